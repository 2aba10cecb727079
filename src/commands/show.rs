//! `viva show`: a question with its rubric, as a candidate or author reads it.

use std::fmt::Write;

use super::{Context, lookup};
use crate::cli::{ListFormat, ShowArgs};
use crate::error::{ExitStatus, Result};
use crate::report::num;

pub fn run(ctx: &mut Context, args: &ShowArgs) -> Result<ExitStatus> {
    let bank = ctx.bank()?;
    let (q, r) = lookup(&bank, &args.question)?;
    let out = match args.format {
        ListFormat::Json => {
            let v = serde_json::json!({ "question": q, "rubric": r });
            crate::report::document(&v)
        }
        ListFormat::Text => {
            let p = &ctx.paint;
            let mut o = String::new();
            let _ = writeln!(
                o,
                "{}  {}",
                p.bold(&q.id),
                p.dim(&format!("{} · {}", q.topic, q.level.as_str()))
            );
            let _ = writeln!(o, "{}\n", q.text);
            let total = r.total_weight();
            // Which side of a comparison each point is about, as grading reads it.
            let about = if r.sides.is_empty() {
                vec![None; r.points.len()]
            } else {
                let names: Vec<&str> = r.sides.iter().map(|s| s[0].as_str()).collect();
                let _ = writeln!(o, "{} {}\n", p.bold("Compares"), names.join(" · "));
                crate::grade::keyword::CompiledRubric::new(r).point_sides()
            };
            let _ = writeln!(o, "{}", p.bold("Key points"));
            for (kp, side) in r.points.iter().zip(about) {
                let share = 100.0 * kp.weight / total;
                let _ = writeln!(
                    o,
                    "  {} (weight {}, {}%)",
                    p.bold(&kp.id),
                    num(kp.weight),
                    num(share.round())
                );
                let _ = writeln!(o, "      {}", kp.text);
                if let Some(side) = side {
                    let _ = writeln!(
                        o,
                        "      {}",
                        p.dim(&format!(
                            "about {}: not earned by its words said of another side",
                            r.sides[side][0]
                        ))
                    );
                }
                if let Some(to) = &kp.leads_to {
                    let _ = writeln!(
                        o,
                        "      {}",
                        p.dim(&format!("follow-up when missed: {to}"))
                    );
                }
                if kp.derived {
                    let words: Vec<&str> = kp
                        .rules
                        .groups
                        .iter()
                        .filter_map(|g| g.first().map(String::as_str))
                        .collect();
                    let need = kp.rules.need.unwrap_or(words.len());
                    let _ = writeln!(
                        o,
                        "      {}",
                        p.dim(&format!(
                            "rules derived from the text: {need} of {}",
                            words.join(", ")
                        ))
                    );
                }
            }
            if let Some(full) = r.full_marks {
                let _ = writeln!(
                    o,
                    "  full marks at {} of {} points' weight",
                    num(full),
                    num(total)
                );
            }
            if !r.misconceptions.is_empty() {
                let _ = writeln!(o, "\n{}", p.bold("Misconceptions"));
                for m in &r.misconceptions {
                    let _ = writeln!(o, "  {} (−{}%)", p.bold(&m.id), num(m.penalty * 100.0));
                    let _ = writeln!(o, "      {}", m.text);
                    let _ = writeln!(o, "      → {}", m.correction);
                }
            }
            if !r.examples.is_empty() {
                let _ = writeln!(o, "\n{}", p.bold("Example answers"));
                let width = r.examples.iter().map(|e| e.label.chars().count()).max();
                let width = width.unwrap_or(0).max(11);
                for e in &r.examples {
                    let _ = writeln!(
                        o,
                        "  {:width$} expected {}–{}%",
                        e.label,
                        num(e.score.0 * 100.0),
                        num(e.score.1 * 100.0)
                    );
                }
            }
            if !q.follow_ups.is_empty() {
                let _ = writeln!(o, "\n{}", p.bold("Follow-ups"));
                for id in &q.follow_ups {
                    let text = bank.question(id).map_or("", |f| f.text.as_str());
                    let _ = writeln!(o, "  {}  {text}", p.bold(id));
                }
            }
            if !q.sources.is_empty() {
                let _ = writeln!(o, "\n{}", p.bold("Sources"));
                for s in &q.sources {
                    let text: String = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    let _ = writeln!(o, "  {}: {}", s.seed, text);
                }
            }
            o
        }
    };
    ctx.print(&out)?;
    Ok(ExitStatus::Success)
}
