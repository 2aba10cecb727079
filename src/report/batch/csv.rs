//! The CSV form of a batch report: one row per candidate × question, the
//! current state of each answer, for spreadsheets and scripts.
//!
//! Columns, in order:
//!
//! | column | meaning |
//! |---|---|
//! | `candidate` | as in the journal |
//! | `question_id` | as in the journal |
//! | `topic` | the question's topic (empty when no grading names it) |
//! | `status` | `graded` or `failed` |
//! | `percent` | the score, 0–100 with one decimal (empty when failed) |
//! | `earned` | weighted points earned (empty when failed) |
//! | `possible` | sum of the point weights (empty when failed) |
//! | `flags` | `;`-separated tags: grading flag kinds, `misconception:<id>`, `failed:<kind>` |
//!
//! Rows are ordered by candidate, then question id. A text cell that starts
//! with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so
//! a spreadsheet shows a hostile candidate name as text instead of running it
//! as a formula.

use super::summary::{AnswerRow, Summary};
use crate::batch::record::Status;

const HEADER: [&str; 8] = [
    "candidate",
    "question_id",
    "topic",
    "status",
    "percent",
    "earned",
    "possible",
    "flags",
];

pub fn render(s: &Summary) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).expect("writing to memory");
    for a in &s.answers {
        w.write_record(row(a)).expect("writing to memory");
    }
    let bytes = w.into_inner().expect("flushing to memory");
    String::from_utf8(bytes).expect("the cells are UTF-8 strings")
}

fn row(a: &AnswerRow) -> [String; 8] {
    let num = |x: Option<f64>| x.map(crate::report::num).unwrap_or_default();
    let status = match a.status {
        Status::Graded => "graded",
        Status::Failed => "failed",
    };
    [
        text(&a.candidate),
        text(&a.question_id),
        text(&a.topic),
        status.to_string(),
        a.percent.map(|p| format!("{p:.1}")).unwrap_or_default(),
        num(a.earned),
        num(a.possible),
        text(&a.flags.join(";")),
    ]
}

/// A text cell that a spreadsheet will not evaluate as a formula.
fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formula_like_cells_are_defused() {
        assert_eq!(super::text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::text("Ann"), "Ann");
    }
}
