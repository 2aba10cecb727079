//! The Markdown form of an agreement report, for a review document, and the
//! sentences both human-readable forms open with.
//!
//! Names from the input files go through [`cell`]: one line, Markdown
//! syntax escaped, control characters replaced.

use std::fmt::Write;

use super::analyse::Agreement;
use super::text::{interval, share, value};
use crate::report::markdown::escape;
use crate::report::terminal::neutralise;

pub fn render(a: &Agreement) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# viva agree: {} × {}\n",
        cell(&a.journal),
        cell(&a.humans)
    );
    for line in preamble(a) {
        let _ = writeln!(o, "- {}", cell(&line));
    }
    for c in &a.comparisons {
        let _ = writeln!(
            o,
            "\n## {} vs {} ({} answers)\n",
            cell(&c.a),
            cell(&c.b),
            c.n
        );
        let _ = writeln!(o, "| figure | value | 95% by answer | 95% by question |");
        let _ = writeln!(o, "|---|---:|---:|---:|");
        for (label, f, kind) in c.figures.rows() {
            let _ = writeln!(
                o,
                "| {label} | {} | {} | {} |",
                value(f, kind),
                interval(f.by_answer.map(|i| (i.low, i.high)), kind),
                interval(f.by_question.map(|i| (i.low, i.high)), kind),
            );
        }
    }
    let _ = writeln!(
        o,
        "\n## Per question, least agreement first (viva vs {})\n",
        cell(&a.reference)
    );
    // Against a mean of graders no question has an exact figure: no column.
    let exact = a.per_question.iter().any(|q| q.exact.is_some());
    let (head, rule) = if exact {
        (
            "| question | n | viva | human | MAE | exact | r |",
            "|---|---:|---:|---:|---:|---:|---:|",
        )
    } else {
        (
            "| question | n | viva | human | MAE | r |",
            "|---|---:|---:|---:|---:|---:|",
        )
    };
    let _ = writeln!(o, "{head}\n{rule}");
    for q in &a.per_question {
        let _ = write!(
            o,
            "| {} | {} | {:.2} | {:.2} | {:.2} |",
            cell(&q.question),
            q.n,
            q.viva_mean,
            q.human_mean,
            q.mae,
        );
        if exact {
            let _ = write!(o, " {} |", share(q.exact));
        }
        let _ = writeln!(
            o,
            " {} |",
            q.pearson.map_or("—".into(), |x| format!("{x:.2}"))
        );
    }
    o
}

fn cell(s: &str) -> String {
    escape(
        &neutralise(s)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// What was matched, how viva's score was put on the human scale, and how
/// the intervals were made: the sentences that open the text and Markdown
/// reports.
pub(super) fn preamble(a: &Agreement) -> Vec<String> {
    let c = &a.counts;
    let mut left: Vec<String> = vec![
        format!(
            "{} without human scores",
            count(c.journal_unmatched, "journal answer")
        ),
        format!(
            "{} without a journal answer",
            count(c.humans_unmatched, "human row")
        ),
    ];
    if c.journal_failed > 0 {
        left.push(format!(
            "{} left out",
            count(c.journal_failed, "failed grading")
        ));
    }
    if c.humans_unscored > 0 {
        left.push(format!(
            "{} with an empty score left out",
            count(c.humans_unscored, "human row")
        ));
    }
    let mut lines = vec![format!(
        "{} to {} matched on candidate and question id; {}",
        count(c.matched, "answer"),
        count(c.questions, "question"),
        left.join(", ")
    )];
    let m = &a.mapping;
    lines.push(match &m.fitted_on {
        None => format!(
            "viva's score fraction put on the {} scale as {}, rounded to the nearest whole score for exact, within one and QWK",
            a.scale, m.rule
        ),
        Some(p) => format!(
            "viva's score fraction put on the {} scale by {}, fitted on {} ({}, to {}){}, rounded to the nearest whole score for exact, within one and QWK",
            a.scale,
            m.rule,
            p.journal,
            count(p.answers, "answer"),
            target(&p.target),
            m.file.as_ref().map_or(String::new(), |f| format!(", file {f}"))
        ),
    });
    lines.push(format!(
        "95% intervals: percentile bootstrap, {} resamples (seed {}), once resampling answers and once resampling whole questions",
        a.bootstrap.resamples, a.bootstrap.seed
    ));
    if a.counts.questions < FEW_QUESTIONS {
        lines.push(format!(
            "only {}: intervals by question are rough with fewer than about {FEW_QUESTIONS}",
            count(a.counts.questions, "question")
        ));
    }
    let fractional: Vec<&str> = a
        .comparisons
        .iter()
        .filter(|c| c.figures.qwk.value.is_none() && c.figures.exact.value.is_none())
        .map(|c| c.b.as_str())
        .collect();
    if !fractional.is_empty() {
        lines.push(format!(
            "exact, within one and QWK need whole-number scores on both sides, so they are — against {}",
            fractional.join(", ")
        ));
    }
    lines
}

/// Below this many questions, resampling questions says little.
const FEW_QUESTIONS: usize = 10;

/// "1 answer", "2 answers".
fn count(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

fn target(columns: &[String]) -> String {
    match columns {
        [one] => one.clone(),
        many => format!("the mean of {}", many.join(", ")),
    }
}
