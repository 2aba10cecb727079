//! The screen shown right after an answer is graded.
//!
//! `viva grade`'s report is written for a reviewer and restates every key
//! point; someone practising wants to know what to do next, so this screen
//! is organised by that: the score (and how it compares with the last try at
//! the same question), what the answer covered with the words that earned
//! it, what to add, what was wrong, and optionally a strong answer to learn
//! from. Rendered from the [`Grading`] only, like every report.

use std::fmt::Write;

use super::history::Attempt;
use super::wrap;
use crate::grade::{Grading, PointResult, WithheldReason};
use crate::report::fit::{Fit, wrap_known};
use crate::report::{Paint, point_heading, width};

/// Everything the screen shows besides the grading itself.
pub struct Extras<'a> {
    /// The previous attempt at the same question, if any.
    pub previous: Option<&'a Attempt>,
    /// The rubric's strong example answer, with `--reveal`.
    pub strong_answer: Option<&'a str>,
}

pub fn render(g: &Grading, extras: &Extras, paint: &Paint) -> String {
    let mut o = String::new();
    score_line(&mut o, g, extras.previous, paint);
    let covered: Vec<&PointResult> = g.points.iter().filter(|p| p.score > 0.0).collect();
    let to_add: Vec<&PointResult> = g.points.iter().filter(|p| p.found() < 1.0).collect();
    heading(&mut o, "What you covered", paint);
    if covered.is_empty() {
        let _ = writeln!(o, "  {}", paint.dim("no key point yet — see below"));
    }
    for p in &covered {
        point_line(&mut o, p, paint);
        evidence(&mut o, p.evidence.as_deref(), paint);
        // Stated in outline: what the rest of the point would add.
        if let (Some(d), Some(advice)) = (p.detail, p.feedback.as_deref()) {
            let more = format!(
                "stated in outline, {}% of the point; to earn all of it: {advice}",
                crate::report::percent(d)
            );
            let _ = writeln!(o, "      {}", paint.dim(&wrap(&more, 6, width::columns())));
        }
    }
    heading(&mut o, "What to add", paint);
    if to_add.is_empty() {
        let _ = writeln!(o, "  {}", paint.good("nothing: every key point is covered"));
    }
    for p in &to_add {
        point_line(&mut o, p, paint);
        let advice = p.feedback.as_deref().unwrap_or(&p.text);
        let _ = writeln!(
            o,
            "      {}",
            wrap(&format!("→ {advice}"), 8, width::columns())
        );
    }
    misconceptions(&mut o, g, paint);
    flags(&mut o, g, paint);
    if let Some(strong) = extras.strong_answer {
        heading(&mut o, "A strong answer", paint);
        for para in strong.split("\n\n").filter(|p| !p.trim().is_empty()) {
            let _ = writeln!(o, "  {}", wrap(para, 2, width::columns()));
        }
    }
    o
}

fn heading(o: &mut String, title: &str, paint: &Paint) {
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", paint.bold(title));
}

fn score_line(o: &mut String, g: &Grading, previous: Option<&Attempt>, paint: &Paint) {
    let t = &g.total;
    let mut line = crate::report::score_summary(t, paint);
    if let Some(prev) = previous {
        let delta = t.percent - prev.percent;
        let change = format!(
            "{}{}",
            if delta >= 0.0 { "+" } else { "−" },
            num(delta.abs())
        );
        let last = format!("last time {}% ({change})", num(prev.percent));
        line.push("  ", &last, &paint.dim(&last));
    }
    let _ = writeln!(o, "{}", line.finish());
    let by = crate::report::graded_by(&g.backend);
    let _ = writeln!(o, "{}", paint.dim(&wrap_known(&by, 2)));
}

fn point_line(o: &mut String, p: &PointResult, paint: &Paint) {
    let score = format!("{}/{}", num(p.earned), num(p.weight));
    let line = point_heading(p, paint, &score, &paint.dim(&score)).finish();
    let _ = writeln!(o, "{line}");
}

fn evidence(o: &mut String, quote: Option<&str>, paint: &Paint) {
    if let Some(e) = quote {
        let _ = writeln!(
            o,
            "      {}",
            paint.dim(&wrap(&format!("“{e}”"), 6, width::columns()))
        );
    }
}

/// What the answer got wrong: the misconceptions it states, and the key
/// points it states the opposite of (with what that cost, where it cost
/// the score), each with the candidate's own words and what is true.
fn misconceptions(o: &mut String, g: &Grading, paint: &Paint) {
    let denied: Vec<&PointResult> = g
        .points
        .iter()
        .filter(|p| {
            p.withheld.as_ref().is_some_and(|w| {
                matches!(
                    w.reason,
                    WithheldReason::Contradiction | WithheldReason::BothWays
                )
            })
        })
        .collect();
    if g.misconceptions.is_empty() && denied.is_empty() {
        return;
    }
    heading(o, "Not quite right", paint);
    let mut wrong = |id: &str, cost: Option<String>, quote: Option<&str>, truth: &str| {
        let mut line = Fit::new(6);
        line.push(
            "",
            &format!("  ! {id}"),
            &format!("  {} {}", paint.bad("!"), paint.bold(id)),
        );
        if let Some(cost) = cost {
            line.push("  ", &cost, &paint.dim(&cost));
        }
        let _ = writeln!(o, "{}", line.finish());
        evidence(o, quote, paint);
        let _ = writeln!(
            o,
            "      {}",
            wrap(&format!("→ {truth}"), 8, width::columns())
        );
    };
    for m in &g.misconceptions {
        let cost = format!("−{}%", num(m.penalty * 100.0));
        wrong(&m.id, Some(cost), m.evidence.as_deref(), &m.correction);
    }
    for p in denied {
        let w = p.withheld.as_ref().expect("filtered on withheld");
        let cost = crate::report::charged_share(p, &g.total)
            .map(|share| format!("−{}%", crate::report::percent(share)));
        wrong(&p.id, cost, Some(&w.evidence), &p.text);
    }
}

fn flags(o: &mut String, g: &Grading, paint: &Paint) {
    if g.flags.is_empty() {
        return;
    }
    heading(o, "Check these", paint);
    for f in &g.flags {
        let _ = writeln!(
            o,
            "  {} {}",
            paint.warn("⚑"),
            wrap(&format!("{}: {}", f.kind, f.message), 4, width::columns())
        );
    }
}

/// A score like "2.5" or "3", without trailing zeros.
fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;
    use crate::grade::keyword::KeywordGrader;

    const PARTIAL: &str = include_str!("../../examples/answers/gil-partial.txt");

    fn grading(answer: &str) -> Grading {
        let bank = Bank::embedded().unwrap();
        let id = "gil-what-it-protects";
        let (q, r) = (bank.question(id).unwrap(), bank.rubric(id).unwrap());
        KeywordGrader::new("test").grade(q, r, answer)
    }

    #[test]
    fn covered_points_quote_the_answer_and_missed_ones_say_what_to_add() {
        let g = grading(PARTIAL);
        let extras = Extras {
            previous: None,
            strong_answer: Some("First paragraph.\n\nSecond one."),
        };
        let out = render(&g, &extras, &Paint::plain());
        assert!(out.contains("✓ one-thread-at-a-time"), "{out}");
        assert!(
            out.contains("“Only one thread can run Python code at a time, so threads"),
            "{out}"
        );
        assert!(
            out.contains("✗ released-on-blocking-io  0/2\n      → "),
            "{out}"
        );
        assert!(out.contains("A strong answer\n  First paragraph.\n  Second one.\n"));
    }

    #[test]
    fn the_score_line_compares_with_the_previous_attempt() {
        let g = grading(PARTIAL);
        let previous = crate::practice::testing::attempt("q", "t", 60.0, "2024-06-01T00:00:00Z");
        let extras = Extras {
            previous: Some(&previous),
            strong_answer: None,
        };
        let out = render(&g, &extras, &Paint::plain());
        let first = out.lines().next().unwrap();
        assert!(first.contains("last time 60% (−"), "{first}");
    }
}
