//! The Markdown report of one grading, for pasting into a review or a ticket.

use std::fmt::Write;

use super::num;
use crate::grade::Grading;

/// Escapes characters that would turn candidate text into Markdown markup.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn render(g: &Grading) -> String {
    let mut o = String::new();
    let q = &g.question;
    let _ = writeln!(o, "# {} — {}%\n", escape(&q.id), num(g.total.percent));
    let _ = writeln!(o, "> {}\n", escape(&q.text).replace('\n', "\n> "));
    let model = g
        .backend
        .model
        .as_deref()
        .map(|m| format!(" ({})", escape(m)))
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "Graded by **{}**{model}: {}.\n",
        g.backend.name,
        escape(&g.backend.reason)
    );
    let t = &g.total;
    let _ = writeln!(
        o,
        "**Score: {}%** ({} of {} points, misconception penalty {}%)\n",
        num(t.percent),
        num(t.earned),
        num(t.possible),
        num(t.penalty * 100.0)
    );
    let _ = writeln!(o, "| | Key point | Earned | Evidence |");
    let _ = writeln!(o, "|---|---|---|---|");
    for p in &g.points {
        let mark = if p.score >= 1.0 {
            "✅"
        } else if p.score > 0.0 {
            "🟡"
        } else {
            "❌"
        };
        let evidence = p
            .evidence
            .as_deref()
            .map(|e| format!("“{}”", escape(e)))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "| {mark} | **{}**: {} | {}/{} | {evidence} |",
            escape(&p.id),
            escape(&p.text),
            num(p.earned),
            num(p.weight)
        );
    }
    let missed: Vec<_> = g
        .points
        .iter()
        .filter_map(|p| p.feedback.as_ref().map(|f| (p, f)))
        .collect();
    if !missed.is_empty() {
        let _ = writeln!(o, "\n## To improve\n");
        for (p, f) in missed {
            let _ = writeln!(o, "- **{}**: {}", escape(&p.id), escape(f));
        }
    }
    if !g.misconceptions.is_empty() {
        let _ = writeln!(o, "\n## Misconceptions\n");
        for m in &g.misconceptions {
            let _ = writeln!(
                o,
                "- **{}** (−{}%): {}",
                escape(&m.id),
                num(m.penalty * 100.0),
                escape(&m.text)
            );
            if let Some(e) = &m.evidence {
                let _ = writeln!(o, "  - said: “{}”", escape(e));
            }
            let _ = writeln!(o, "  - correction: {}", escape(&m.correction));
        }
    }
    if !g.flags.is_empty() {
        let _ = writeln!(o, "\n## Flags\n");
        for f in &g.flags {
            let _ = writeln!(o, "- **{}**: {}", f.kind, escape(&f.message));
        }
    }
    o
}
