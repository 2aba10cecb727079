//! The Markdown report of one grading, for pasting into a review or a ticket.

use std::fmt::Write;

use super::{Block, num, percent, withheld_reason};
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

/// Question or rubric text as Markdown: prose escaped, code in fenced
/// blocks (escaping inside code would print the backslashes).
pub(crate) fn text_blocks(text: &str) -> String {
    super::blocks(text)
        .into_iter()
        .map(|b| match b {
            Block::Prose(p) => escape(&p),
            Block::Code(lines) => {
                let longest = lines
                    .iter()
                    .flat_map(|l| l.split(|c| c != '`'))
                    .map(str::len)
                    .max()
                    .unwrap_or(0);
                let fence = "`".repeat(longest.max(2) + 1);
                let indent = lines
                    .iter()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| l.len() - l.trim_start().len())
                    .min()
                    .unwrap_or(0);
                let body: Vec<&str> = lines
                    .iter()
                    .map(|l| l.get(indent..).unwrap_or(""))
                    .collect();
                format!("{fence}\n{}\n{fence}", body.join("\n"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Markdown text inside a block quote.
fn quote(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                ">".to_string()
            } else {
                format!("> {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn render(g: &Grading) -> String {
    let mut o = String::new();
    let q = &g.question;
    let _ = writeln!(o, "# {} — {}%\n", escape(&q.id), num(g.total.percent));
    let _ = writeln!(o, "{}\n", quote(&text_blocks(&q.text)));
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
        "**Score: {}%** ({} of {} points, misconception penalty {}%{})\n",
        num(t.percent),
        num(t.earned),
        num(t.possible),
        percent(t.penalty),
        if t.contradicted > 0.0 {
            format!(
                ", minus {}% for stating the opposite of key points",
                percent(t.contradicted)
            )
        } else {
            String::new()
        }
    );
    if let Some(sp) = &g.spoken {
        let quality = if sp.quality.poor {
            format!("**poor**: {}", escape(&sp.quality.reasons.join("; ")))
        } else {
            "good".into()
        };
        let _ = writeln!(
            o,
            "Spoken answer `{}`, transcribed by {}. Transcript: {quality}.",
            sp.audio.file.replace('`', "'"),
            escape(&sp.transcriber.model)
        );
        if let Some(why) = &sp.transcriber.prompt_dropped {
            let _ = writeln!(o, "Transcribed again without the prompt: {}.", escape(why));
        }
        if let Some(d) = &sp.delivery {
            let _ = writeln!(o, "Delivery: {}.", escape(&super::delivery_line(d)));
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "| | Key point | Earned | Evidence |");
    let _ = writeln!(o, "|---|---|---|---|");
    for p in &g.points {
        let mark = match super::met(p) {
            super::Met::Fully => "✅",
            super::Met::Partly => "🟡",
            super::Met::Not => "❌",
        };
        let at = g
            .spoken
            .as_ref()
            .and_then(|s| s.quote_at(&p.id))
            .map(|t| format!(" (at {})", crate::stt::transcript::at(t)))
            .unwrap_or_default();
        let evidence = match (&p.evidence, &p.withheld) {
            (Some(e), _) => format!("“{}”{at}{}", escape(e), super::detail_note(p)),
            (None, Some(w)) => format!(
                "no credit, {}: “{}”",
                withheld_reason(p, w, &g.total),
                escape(&w.evidence)
            ),
            (None, None) => String::new(),
        };
        let _ = writeln!(
            o,
            "| {mark} | **{}**: {} | {}/{} | {evidence} |",
            escape(&p.id),
            escape(&p.text.split_whitespace().collect::<Vec<_>>().join(" ")),
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
