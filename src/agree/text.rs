//! The terminal form of an agreement report: a block of figures per pair of
//! raters, then the questions from least to most agreement.
//!
//! Names from the input files (columns, question ids) are shown through
//! [`crate::report::terminal::neutralise`], so they cannot act on the screen.

use std::fmt::Write;

use super::analyse::{Agreement, Figure, Kind};
use crate::report::Paint;
use crate::report::batch::text::{clean, fit};

/// Widest question id before it is cut.
const MAX_ID: usize = 40;

pub fn render(a: &Agreement, paint: &Paint) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}  {} × {}",
        paint.bold("viva agree"),
        clean(&a.journal),
        clean(&a.humans)
    );
    for line in super::markdown::preamble(a) {
        let _ = writeln!(o, "{}", clean(&line));
    }
    for c in &a.comparisons {
        let _ = writeln!(
            o,
            "\n{}  ({} answers)",
            paint.bold(&format!("{} vs {}", clean(&c.a), clean(&c.b))),
            c.n
        );
        let head = format!(
            "  {:<12} {:>7}   {:<17}  {}",
            "", "value", "95% by answer", "95% by question"
        );
        let _ = writeln!(o, "{}", head.trim_end());
        for (label, f, kind) in c.figures.rows() {
            let line = format!(
                "  {:<12} {:>7}   {:<17}  {}",
                label,
                value(f, kind),
                interval(f.by_answer.map(|i| (i.low, i.high)), kind),
                interval(f.by_question.map(|i| (i.low, i.high)), kind),
            );
            let _ = writeln!(o, "{}", line.trim_end());
        }
    }
    let _ = writeln!(
        o,
        "\n{}",
        paint.bold(&format!(
            "Per question, least agreement first (viva vs {})",
            clean(&a.reference)
        ))
    );
    let w = a
        .per_question
        .iter()
        .map(|q| clean(&q.question).chars().count())
        .fold("question".len(), usize::max)
        .min(MAX_ID);
    // Against a mean of graders no question has an exact figure: no column.
    let exact = a.per_question.iter().any(|q| q.exact.is_some());
    let mut head = format!(
        "  {:<w$}  {:>4}  {:>6}  {:>6}  {:>5}",
        "question", "n", "viva", "human", "MAE"
    );
    if exact {
        let _ = write!(head, "  {:>6}", "exact");
    }
    let _ = writeln!(o, "{head}  {:>6}", "r");
    for q in &a.per_question {
        let mut line = format!(
            "  {}  {:>4}  {:>6.2}  {:>6.2}  {:>5.2}",
            fit(&q.question, w),
            q.n,
            q.viva_mean,
            q.human_mean,
            q.mae
        );
        if exact {
            let _ = write!(line, "  {:>6}", share(q.exact));
        }
        let _ = writeln!(
            o,
            "{line}  {:>6}",
            q.pearson.map_or("—".into(), |x| format!("{x:.2}"))
        );
    }
    o
}

/// A figure's value as the report shows it: correlations to three places,
/// shares as percentages, scale points to two places.
pub(super) fn number(x: f64, kind: Kind) -> String {
    match kind {
        Kind::Correlation => format!("{x:.3}"),
        Kind::Share => format!("{:.1}%", x * 100.0),
        Kind::Points => format!("{x:.2}"),
    }
}

/// A per-question share as a percentage, or `—`.
pub(super) fn share(x: Option<f64>) -> String {
    x.map_or("—".into(), |x| format!("{:.1}%", x * 100.0))
}

pub(super) fn value(f: &Figure, kind: Kind) -> String {
    f.value.map_or("—".into(), |x| number(x, kind))
}

pub(super) fn interval(i: Option<(f64, f64)>, kind: Kind) -> String {
    i.map_or("—".into(), |(lo, hi)| {
        format!("[{}, {}]", number(lo, kind), number(hi, kind))
    })
}
