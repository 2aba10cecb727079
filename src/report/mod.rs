//! Rendering gradings for people and programs. Reports are built from
//! [`Grading`]s only, never by grading again.

pub mod batch;
mod markdown;
mod paint;
mod text;

pub use markdown::render as markdown;
pub use paint::Paint;
pub use text::render as text;
pub(crate) use text::{graded_by, score_summary};

use crate::grade::Grading;

/// The stable JSON form of a grading (`schema: viva.grading/v1`).
pub fn json(grading: &Grading) -> String {
    serde_json::to_string_pretty(grading).expect("a grading always serialises")
}

/// Wraps `text` at `width` columns, indenting continuation lines by `indent`
/// (the first line is assumed to be indented already).
pub(crate) fn wrap(text: &str, indent: usize, width: usize) -> String {
    let mut out = String::new();
    let mut col = indent;
    for (i, word) in text.split_whitespace().enumerate() {
        let len = word.chars().count();
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

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_drop_trailing_zeros() {
        assert_eq!(super::num(3.0), "3");
        assert_eq!(super::num(2.5), "2.5");
        assert_eq!(super::num(0.126), "0.13");
    }
}
