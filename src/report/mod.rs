//! Rendering gradings for people and programs. Reports are built from
//! [`Grading`]s only, never by grading again.

pub mod batch;
pub(crate) mod fit;
pub(crate) mod markdown;
mod paint;
pub mod terminal;
mod text;
pub mod width;

pub use markdown::render as markdown;
pub use paint::{ColorChoice, Paint};
pub(crate) use text::delivery_line;
pub(crate) use text::point_heading;
pub use text::render as text;
pub(crate) use text::{graded_by, score_summary};
pub use text::{spoken_block, transcript};

use crate::grade::Grading;

/// The stable JSON form of a grading (`schema: viva.grading/v1`).
pub fn json(grading: &Grading) -> String {
    document(grading).trim_end().to_string()
}

/// A value as one pretty JSON document ending in a newline, safe to print on
/// a terminal: serde_json escapes C0 controls, but writes DEL, C1 controls
/// (U+009B is a CSI to some terminals) and bidi overrides raw, so those are
/// escaped as `\uXXXX` too. They can only occur inside strings, so the
/// document parses to the same value.
pub fn document<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let raw = serde_json::to_string_pretty(value).expect("viva's documents always serialise");
    let mut out = String::with_capacity(raw.len() + 1);
    for c in raw.chars() {
        if c != '\n' && (c.is_control() || terminal::is_bidi_control(c)) {
            use std::fmt::Write as _;
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    out
}

/// A piece of question or rubric text: prose to reflow, or code whose
/// lines must be kept as written.
#[derive(Debug, PartialEq)]
pub(crate) enum Block<'a> {
    Prose(String),
    Code(Vec<&'a str>),
}

/// Whether a line is code: indented by four spaces or a tab (as in
/// Markdown), or a `>>>` interpreter prompt.
fn is_code_line(line: &str) -> bool {
    line.starts_with("    ") || line.starts_with('\t') || line.trim_start().starts_with(">>> ")
}

/// Splits text into prose paragraphs (at blank lines) and code blocks
/// (indented lines, or lines between ``` fences, without the fences).
pub(crate) fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut prose: Vec<&str> = Vec::new();
    let mut code: Vec<&str> = Vec::new();
    let mut fenced = false;
    fn flush_prose(prose: &mut Vec<&str>, out: &mut Vec<Block<'_>>) {
        if !prose.is_empty() {
            out.push(Block::Prose(prose.join(" ")));
            prose.clear();
        }
    }
    fn flush_code<'a>(code: &mut Vec<&'a str>, out: &mut Vec<Block<'a>>) {
        while code.last().is_some_and(|l| l.trim().is_empty()) {
            code.pop();
        }
        if !code.is_empty() {
            out.push(Block::Code(std::mem::take(code)));
        }
    }
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            flush_prose(&mut prose, &mut out);
            if fenced {
                flush_code(&mut code, &mut out);
            }
            fenced = !fenced;
            continue;
        }
        if fenced || is_code_line(line) || (!code.is_empty() && line.trim().is_empty()) {
            flush_prose(&mut prose, &mut out);
            code.push(line.trim_end());
        } else if line.trim().is_empty() {
            flush_prose(&mut prose, &mut out);
        } else {
            flush_code(&mut code, &mut out);
            prose.push(line.trim());
        }
    }
    flush_prose(&mut prose, &mut out);
    flush_code(&mut code, &mut out);
    out
}

/// Wraps `text` at `width` columns, indenting continuation lines by `indent`
/// (the first line is assumed to be indented already). Paragraphs are
/// reflowed one by one; code keeps its lines and indentation.
pub(crate) fn wrap(text: &str, indent: usize, width: usize) -> String {
    let pad = " ".repeat(indent);
    blocks(text)
        .into_iter()
        .map(|b| match b {
            Block::Prose(p) => wrap_words(&p, indent, width),
            Block::Code(lines) => lines
                .iter()
                .map(|l| {
                    if l.is_empty() {
                        String::new()
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(&format!("\n{pad}"))
                .replace(&format!("\n{pad}\n"), "\n\n"),
        })
        .collect::<Vec<_>>()
        .join(&format!("\n\n{pad}"))
}

fn wrap_words(text: &str, indent: usize, width: usize) -> String {
    let mut out = String::new();
    let mut col = indent;
    for (i, word) in text.split_whitespace().enumerate() {
        let len = width::display(word);
        if i > 0 && col + 1 + len > width {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            col = indent;
        } else if i > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += len;
    }
    out
}

/// Formats a score like "2.5" or "3" without trailing zeros.
pub(crate) fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A fraction of the score as a percentage to one decimal, as the score
/// itself is shown: "15", "22.2" (a point of weight 2 in 9).
pub(crate) fn percent(fraction: f64) -> String {
    num((fraction * 1000.0).round() / 10.0)
}

/// The share of the score a point cost because the answer states its
/// opposite ([`crate::grade::Withheld::charged`]), if it cost any.
pub(crate) fn charged_share(p: &crate::grade::PointResult, t: &crate::grade::Total) -> Option<f64> {
    let w = p.withheld.as_ref()?;
    (w.charged && t.possible > 0.0).then(|| p.weight / t.possible)
}

/// Why a point earned nothing, as the reports say it after "no credit, ":
/// "the answer states the opposite", and what that cost where the point's
/// worth was taken off the total: "..., minus 18.2% of the score". The
/// costs shown add up to the summary line's.
pub(crate) fn withheld_reason(
    p: &crate::grade::PointResult,
    w: &crate::grade::Withheld,
    t: &crate::grade::Total,
) -> String {
    match charged_share(p, t) {
        Some(share) => format!(
            "{}, minus {}% of the score",
            w.reason.describe(),
            percent(share)
        ),
        None => w.reason.describe().to_string(),
    }
}

/// How far a point was met, as every report marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Met {
    Fully,
    Partly,
    Not,
}

/// A point is met when its statement was found whole, whatever its detail
/// (see [`detail_note`]); partly when it earned anything less.
pub(crate) fn met(p: &crate::grade::PointResult) -> Met {
    if p.found() >= 1.0 {
        Met::Fully
    } else if p.score > 0.0 {
        Met::Partly
    } else {
        Met::Not
    }
}

/// For a point stated without most of its specifics, or in a sentence that
/// earned half for stringing points' words together, what the reports add
/// after its score: " · stated in outline, 96% of the point" (see
/// [`crate::grade::PointResult::detail`]), " · half credit, packs several
/// points' words" (see [`crate::grade::PointResult::halved`]).
pub(crate) fn detail_note(p: &crate::grade::PointResult) -> String {
    let mut note = match p.detail {
        Some(d) => format!(" · stated in outline, {}% of the point", percent(d)),
        None => String::new(),
    };
    // Why the statement earned half: the reader sees a point "partly met"
    // with a quote that names it.
    if let Some(h) = p.halved {
        note.push_str(" · ");
        note.push_str(h.describe());
    }
    note
}

/// What was taken off the points' score, as the summary line says it:
/// ", minus 10% for misconceptions", or nothing.
pub(crate) fn deductions(t: &crate::grade::Total) -> String {
    t.deductions()
        .into_iter()
        .map(|(x, why)| format!(", minus {}% for {why}", percent(x)))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn documents_escape_what_a_terminal_would_act_on() {
        let doc =
            super::document(&serde_json::json!({"a": "x\u{1b}[2J\u{9b}31m\u{7f}\u{202e}\ty"}));
        assert!(doc.is_ascii(), "{doc}");
        assert!(doc.contains(r"\u001b[2J\u009b31m\u007f\u202e\ty"), "{doc}");
        let back: serde_json::Value = serde_json::from_str(&doc).unwrap();
        assert_eq!(back["a"], "x\u{1b}[2J\u{9b}31m\u{7f}\u{202e}\ty");
    }

    use super::*;

    const CODE_QUESTION: &str = "What will be the output of the following code, and why?\n\n    a = [[]] * 3\n    a[1].append(1)\n    print(a)\n";

    #[test]
    fn code_keeps_its_lines_and_prose_is_reflowed() {
        // Regression: code in a question was flattened onto one line.
        assert_eq!(
            wrap(CODE_QUESTION, 2, 30),
            "What will be the output of\n  the following code, and why?\n\n      a = [[]] * 3\n      a[1].append(1)\n      print(a)"
        );
        assert_eq!(
            blocks("Run:\n```\nx = 1\n\ny = 2\n```\nthen say why."),
            [
                Block::Prose("Run:".into()),
                Block::Code(vec!["x = 1", "", "y = 2"]),
                Block::Prose("then say why.".into()),
            ]
        );
        assert_eq!(wrap("one\ntwo", 0, 80), "one two");
    }
    #[test]
    fn numbers_drop_trailing_zeros() {
        assert_eq!(super::num(3.0), "3");
        assert_eq!(super::num(2.5), "2.5");
        assert_eq!(super::num(0.126), "0.13");
        assert_eq!(super::percent(0.15), "15");
        assert_eq!(super::percent(2.0 / 9.0), "22.2");
        assert_eq!(super::percent(0.6667), "66.7");
    }
}
