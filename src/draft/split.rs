//! Splitting a reference (model) answer into key points.
//!
//! A key point is one claim: a sentence, or a clause of it set off by a
//! semicolon or by ", and"/", but"/", which"... A clause too small to claim
//! anything on its own (no content word beyond the question's) joins the one
//! before it. A long write-up with markdown headings keeps its sections, so
//! points are named after them and evidence can be read per section.

use crate::bank::derive;

/// One key point drafted from the reference.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftPoint {
    /// The section heading it comes from, if the reference has headings.
    pub section: Option<String>,
    /// The clause as written in the reference.
    pub text: String,
}

/// Words after a comma that start a new claim.
const CLAUSE_STARTS: &[&str] = &["and", "but", "or", "which", "so", "whereas", "while"];

/// Splits `reference` into key points (see the module comment). Words of
/// `question` do not count as content when deciding whether a clause can
/// stand alone.
pub fn key_points(reference: &str, question: &str) -> Vec<DraftPoint> {
    let mut out: Vec<DraftPoint> = Vec::new();
    let mut section: Option<String> = None;
    let mut body = String::new();
    let flush = |section: &Option<String>, body: &mut String, out: &mut Vec<DraftPoint>| {
        for clause in clauses(body) {
            let stands_alone =
                derive::matchable(&clause, question) && substantive(&clause, question);
            match out.last_mut() {
                Some(last) if !stands_alone && last.section == *section => {
                    last.text.push(' ');
                    last.text.push_str(&clause);
                }
                _ => out.push(DraftPoint {
                    section: section.clone(),
                    text: clause,
                }),
            }
        }
        body.clear();
    };
    for line in reference.lines() {
        let trimmed = line.trim();
        if let Some(heading) = heading(trimmed) {
            flush(&section, &mut body, &mut out);
            section = Some(heading.to_string());
            continue;
        }
        // List items are claims of their own.
        let item = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
            .map(|s| format!("{}.", s.trim_end_matches('.')));
        match item {
            Some(item) => {
                flush(&section, &mut body, &mut out);
                body.push_str(&item);
                flush(&section, &mut body, &mut out);
            }
            None => {
                body.push_str(trimmed);
                body.push(' ');
            }
        }
    }
    flush(&section, &mut body, &mut out);
    out
}

/// A markdown heading's text.
fn heading(line: &str) -> Option<&str> {
    let rest = line.trim_start_matches('#');
    (rest.len() < line.len() && rest.starts_with(' ')).then(|| rest.trim())
}

/// Whether a clause has a content word that the question does not.
fn substantive(clause: &str, question: &str) -> bool {
    let asked: Vec<String> = derive::content_words(question)
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    derive::content_words(clause)
        .iter()
        .any(|(_, s)| !asked.contains(s))
}

/// Sentences, then clauses at semicolons and at ", and"-style joins.
fn clauses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for sentence in sentences(text) {
        let mut current = String::new();
        let parts: Vec<&str> = sentence.split(';').collect();
        for part in parts {
            let pieces = split_at_joins(part);
            for piece in pieces {
                let piece = piece.trim().trim_end_matches([',', ';']).trim();
                if !piece.is_empty() {
                    if !current.is_empty() {
                        out.push(std::mem::take(&mut current));
                    }
                    current = piece.to_string();
                }
            }
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// Splits at ", and", ", but", ", which"... keeping the joining word.
fn split_at_joins(part: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, _) in part.match_indices(", ") {
        let next = part[i + 2..]
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
            .to_lowercase();
        if CLAUSE_STARTS.contains(&next.as_str()) {
            pieces.push(part[start..i].to_string());
            start = i + 2;
        }
    }
    pieces.push(part[start..].to_string());
    pieces
}

/// Sentences at `.`, `!`, `?` followed by a space and a capital, digit or
/// the end (so "e.g. x", "i.e." and "3.5" stay inside one sentence).
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if !matches!(b, b'.' | b'!' | b'?') {
            continue;
        }
        let rest = &text[i + 1..];
        let ends = rest.is_empty()
            || (rest.starts_with(' ')
                && rest
                    .trim_start()
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_uppercase() || c.is_ascii_digit()));
        if ends {
            let s = text[start..=i].trim();
            if !s.is_empty() {
                out.push(s.to_string());
            }
            start = i + 1;
        }
    }
    let tail = text[start..].trim();
    if !tail.is_empty() {
        out.push(tail.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(points: &[DraftPoint]) -> Vec<&str> {
        points.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn sentences_and_joined_clauses_become_points() {
        let p = key_points(
            "Data members can be accessed from any member function. Local variables can only be accessed inside the function, which defines them.",
            "How do data members differ from local variables?",
        );
        assert_eq!(
            texts(&p),
            [
                "Data members can be accessed from any member function.",
                "Local variables can only be accessed inside the function",
                "which defines them."
            ]
        );
    }

    #[test]
    fn semicolons_split_and_abbreviations_do_not() {
        let p = key_points(
            "They both involve repetition; they both have termination tests; e.g. loops can both occur infinitely.",
            "How are recursion and iteration alike?",
        );
        assert_eq!(p.len(), 3);
        assert_eq!(p[2].text, "e.g. loops can both occur infinitely.");
    }

    #[test]
    fn a_clause_with_only_question_words_joins_the_one_before() {
        let p = key_points(
            "It copies the function code to every call site. A function is inlined.",
            "What does it mean for a function to be inlined?",
        );
        assert_eq!(
            texts(&p),
            ["It copies the function code to every call site. A function is inlined."]
        );
    }

    #[test]
    fn headings_name_sections_and_list_items_are_points() {
        let p = key_points(
            "# Storage\nUse Postgres for orders.\n\n# Caching\n- Cache sessions in Redis\n- Expire keys after an hour",
            "Design the order service.",
        );
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].section.as_deref(), Some("Storage"));
        assert_eq!(p[1].section.as_deref(), Some("Caching"));
        assert_eq!(p[2].text, "Expire keys after an hour.");
    }
}
