//! The Markdown form of a batch report, for a review document or a ticket.
//!
//! Every journal string goes through [`cell`], which joins it onto one line
//! (a newline would end a table row) and escapes Markdown syntax, so a
//! candidate cannot inject links, HTML or table columns.

use std::fmt::Write;

use super::count;
use super::summary::Summary;
use crate::report::markdown::escape;

pub fn render(s: &Summary) -> String {
    let mut o = String::new();
    header(&mut o, s);
    ranking(&mut o, s);
    questions(&mut o, s);
    topics(&mut o, s);
    distribution(&mut o, s);
    missed(&mut o, s);
    flags(&mut o, s);
    bad_rows(&mut o, s);
    o
}

/// Journal text as one escaped line, safe inside a table cell.
fn cell(s: &str) -> String {
    escape(
        &crate::report::terminal::neutralise(s)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn pct(x: Option<f64>) -> String {
    x.map_or("—".into(), |x| format!("{x:.1}%"))
}

fn num(x: Option<f64>) -> String {
    x.map_or("—".into(), |x| format!("{x:.1}"))
}

fn header(o: &mut String, s: &Summary) {
    let c = &s.counts;
    let _ = writeln!(o, "# viva report: {}\n", cell(&s.journal.name));
    let _ = writeln!(
        o,
        "{} · {} · {} ({} graded, {} failed) · {}\n",
        count(c.candidates, "candidate"),
        count(c.questions, "question"),
        count(c.answers, "answer"),
        c.graded,
        c.failed,
        count(s.journal.superseded, "superseded record")
    );
    if let Some(w) = s.journal.warning() {
        let _ = writeln!(o, "> **Warning:** {}\n", cell(&w));
    }
}

fn ranking(o: &mut String, s: &Summary) {
    let _ = writeln!(o, "## Ranking\n");
    let _ = writeln!(o, "| # | Candidate | Mean | Answered | Failed |");
    let _ = writeln!(o, "|---:|---|---:|---:|---:|");
    for r in &s.ranking {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} of {} | {} |",
            r.rank,
            cell(&r.candidate),
            pct(r.mean_percent),
            r.answered,
            r.questions,
            r.failed
        );
    }
    if let Some(note) = super::missing_note(s) {
        let _ = writeln!(o, "\n{note}.");
    }
}

fn bad_rows(o: &mut String, s: &Summary) {
    if s.bad_rows.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Bad rows (not graded)\n");
    let _ = writeln!(o, "| Line | Kind | Candidate | Question | Problem |");
    let _ = writeln!(o, "|---:|---|---|---|---|");
    for b in &s.bad_rows {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            b.line,
            cell(&b.kind),
            cell(b.candidate.as_deref().unwrap_or("")),
            cell(b.question_id.as_deref().unwrap_or("")),
            cell(&b.message)
        );
    }
}

fn questions(o: &mut String, s: &Summary) {
    let _ = writeln!(o, "\n## Questions\n");
    let _ = writeln!(
        o,
        "| Question | Topic | n | Mean | SD | Min | Max | Failed |"
    );
    let _ = writeln!(o, "|---|---|---:|---:|---:|---:|---:|---:|");
    for q in &s.questions {
        let _ = writeln!(
            o,
            "| **{}** — {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&q.id),
            cell(&q.text),
            cell(&q.topic),
            q.n,
            pct(q.mean),
            num(q.std_dev),
            num(q.min),
            num(q.max),
            q.failed
        );
    }
}

fn topics(o: &mut String, s: &Summary) {
    let _ = writeln!(o, "\n## Topics\n");
    let _ = writeln!(o, "| Topic | Answers | Mean |");
    let _ = writeln!(o, "|---|---:|---:|");
    for t in &s.topics {
        let _ = writeln!(
            o,
            "| {} | {} | {} |",
            cell(&t.topic),
            t.n,
            pct(Some(t.mean))
        );
    }
}

fn distribution(o: &mut String, s: &Summary) {
    let _ = writeln!(o, "\n## Score distribution\n");
    let _ = writeln!(o, "| Score | Answers |");
    let _ = writeln!(o, "|---|---:|");
    for b in &s.distribution {
        let _ = writeln!(o, "| {}–{}% | {} |", b.from, b.to, b.count);
    }
}

fn missed(o: &mut String, s: &Summary) {
    if s.missed_points.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Most missed key points\n");
    let _ = writeln!(o, "| Missed by | Question | Key point |");
    let _ = writeln!(o, "|---:|---|---|");
    for m in &s.missed_points {
        let _ = writeln!(
            o,
            "| {:.0}% ({} of {}) | {} | **{}**: {} |",
            m.share * 100.0,
            m.missed,
            m.graded,
            cell(&m.question_id),
            cell(&m.point_id),
            cell(&m.text)
        );
    }
}

fn flags(o: &mut String, s: &Summary) {
    if s.flags.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Flags\n");
    let _ = writeln!(o, "| Candidate | Question | Kind | Detail |");
    let _ = writeln!(o, "|---|---|---|---|");
    for f in &s.flags {
        let evidence = f
            .evidence
            .as_deref()
            .map(|e| format!(" — “{}”", cell(e)))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "| {} | {} | {} | {}{evidence} |",
            cell(&f.candidate),
            cell(&f.question_id),
            cell(&f.kind),
            cell(&f.message)
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_stay_on_one_line_and_cannot_add_columns() {
        assert_eq!(super::cell("a |\nb <x>"), "a \\| b \\<x\\>");
    }
}
