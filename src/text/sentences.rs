//! Where sentences end: abbreviations that keep a dot, and line breaks that
//! start a list item, a heading or a code fence.

/// Common abbreviations whose trailing dot does not end a sentence.
pub(super) fn ends_with_abbreviation(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let tail: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    matches!(
        tail.as_str(),
        "e.g" | "i.e" | "etc" | "vs" | "cf" | "approx" | "mr" | "dr" | "ms" | "eg" | "ie"
    )
}

/// True if a newline at `i` starts a list item, a heading or a code fence.
pub(super) fn newline_starts_block(text: &str, i: usize) -> bool {
    let rest = text[i + 1..].trim_start_matches([' ', '\t']);
    if rest.starts_with('\n') || rest.starts_with("\r\n") {
        return true;
    }
    let mut chars = rest.chars();
    match chars.next() {
        Some('-' | '*' | '+' | '\u{2022}' | '#' | '>') => true,
        Some('`') => rest.starts_with("```"),
        Some(c) if c.is_ascii_digit() => {
            let after: String = rest
                .chars()
                .skip_while(|c| c.is_ascii_digit())
                .take(1)
                .collect();
            after == "." || after == ")"
        }
        _ => false,
    }
}
