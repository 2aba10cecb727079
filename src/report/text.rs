//! The terminal report of one grading: score first, then each point with the
//! quote that earned it or what to add, then misconceptions and flags.

use std::fmt::Write;

use super::fit::{Fit, wrap_known};
use super::{Paint, deductions, num, width, withheld_reason, wrap};
use crate::grade::{Backend, Grading, PointResult, QuestionRef, Total, Verification};
use crate::stt::transcript::at;
use crate::stt::{Delivery, Spoken};

/// "graded by llm (model): reason", the line that says which grader decided.
pub(crate) fn graded_by(b: &Backend) -> String {
    let model = b
        .model
        .as_deref()
        .map(|m| format!(" ({m})"))
        .unwrap_or_default();
    format!("graded by {}{model}: {}", b.name, b.reason)
}

/// "Score 62.5%  (5 of 8 points, minus 10% for misconceptions)", coloured
/// by how good the score is; the caller may add to the line.
pub(crate) fn score_summary(t: &Total, paint: &Paint) -> Fit {
    let score = format!("{}%", num(t.percent));
    let coloured = if t.fraction >= 0.75 {
        paint.good(&score)
    } else if t.fraction >= 0.4 {
        paint.warn(&score)
    } else {
        paint.bad(&score)
    };
    let penalty = deductions(t);
    let points = format!(
        "  ({} of {} points{penalty})",
        num(t.earned),
        num(t.possible)
    );
    let mut line = Fit::new(2);
    line.push(
        "",
        &format!("Score {score}"),
        &format!("Score {}", paint.bold(&coloured)),
    )
    .words(&points, &|s| s.to_string());
    line
}

/// "gil-what-it-protects  concurrency · senior": the question's id, then
/// its topic and level (on the next line when they do not fit).
fn question_header(q: &QuestionRef, paint: &Paint) -> String {
    let about = format!("{} · {}", q.topic, q.level);
    Fit::new(2)
        .push("", &q.id, &paint.bold(&q.id))
        .push("  ", &about, &paint.dim(&about))
        .finish()
}

/// " (at 0:42)" after a quote from a spoken answer, when its time is known.
fn said_at(g: &Grading, id: &str) -> String {
    g.spoken
        .as_ref()
        .and_then(|s| s.quote_at(id))
        .map(|t| format!(" (at {})", at(t)))
        .unwrap_or_default()
}

/// "0:31 speaking · 87 words · 153 wpm · 2.1 fillers/min (um ×2) · 1 long pause (3.5 s at 0:12)".
pub(crate) fn delivery_line(d: &Delivery) -> String {
    let mut parts = vec![
        format!("{} speaking", at(d.speaking_secs)),
        format!("{} words", d.words),
        format!("{} wpm", num(d.words_per_minute)),
    ];
    let fillers = if d.filler_words.is_empty() {
        "no fillers".to_string()
    } else {
        let each: Vec<String> = d
            .filler_words
            .iter()
            .map(|(w, n)| format!("{w} ×{n}"))
            .collect();
        format!(
            "{} fillers/min ({})",
            num(d.fillers_per_minute),
            each.join(", ")
        )
    };
    parts.push(fillers);
    parts.push(match d.long_pauses.len() {
        0 => "no long pauses".to_string(),
        n => {
            let each: Vec<String> = d
                .long_pauses
                .iter()
                .map(|p| format!("{} s at {}", num(p.secs), at(p.at)))
                .collect();
            format!(
                "{n} long pause{} ({})",
                if n == 1 { "" } else { "s" },
                each.join(", ")
            )
        }
    });
    parts.join(" · ")
}

/// What the recording told: transcription, quality, delivery.
fn spoken(o: &mut String, sp: &Spoken, paint: &Paint) {
    let length = sp
        .audio
        .duration_secs
        .map(|d| format!(" · {}", at(d.ceil())))
        .unwrap_or_default();
    let cached = if sp.transcriber.cached {
        ", cached"
    } else {
        ""
    };
    let _ = writeln!(
        o,
        "{}  {}",
        paint.bold("Spoken answer"),
        paint.dim(&format!(
            "{} ({}){length} · transcribed by {}{cached}",
            sp.audio.file, sp.audio.format, sp.transcriber.model
        ))
    );
    if sp.quality.poor {
        let _ = writeln!(
            o,
            "  {} {}",
            paint.bad("transcript: poor:"),
            wrap(&sp.quality.reasons.join("; "), 4, width::columns())
        );
    } else {
        let _ = writeln!(o, "  transcript: {}", paint.good("good"));
    }
    if let Some(why) = &sp.transcriber.prompt_dropped {
        let _ = writeln!(
            o,
            "  {}",
            wrap(
                &format!("transcribed again without the prompt: {why}"),
                4,
                width::columns()
            )
        );
    }
    match &sp.delivery {
        Some(d) => {
            let _ = writeln!(
                o,
                "  delivery: {}",
                wrap(&delivery_line(d), 4, width::columns())
            );
        }
        None => {
            let _ = writeln!(
                o,
                "  delivery: {}",
                paint.dim("unknown (the endpoint gave no segment timings)")
            );
        }
    }
}

/// What the recording of a spoken answer told (transcription, quality,
/// delivery), as the text report shows it; empty for a typed answer.
pub fn spoken_block(g: &Grading, paint: &Paint) -> String {
    let mut o = String::new();
    if let Some(sp) = &g.spoken {
        spoken(&mut o, sp, paint);
    }
    o
}

/// The transcript of a spoken answer, one timed segment a line
/// (`viva grade --show-transcript`).
pub fn transcript(g: &Grading, paint: &Paint) -> String {
    let Some(sp) = &g.spoken else {
        return String::new();
    };
    let mut o = String::new();
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", paint.bold("Transcript"));
    if sp.transcript.segments.is_empty() {
        let _ = writeln!(o, "  {}", wrap(&sp.transcript.text, 2, width::columns()));
    }
    for s in &sp.transcript.segments {
        let _ = writeln!(
            o,
            "  {} {}",
            paint.dim(&format!("[{}]", at(s.start))),
            wrap(&s.text, 9, width::columns())
        );
    }
    o
}

pub fn render(g: &Grading, paint: &Paint) -> String {
    let mut o = String::new();
    let q = &g.question;
    let _ = writeln!(o, "{}", question_header(q, paint));
    let _ = writeln!(o, "{}", wrap(&q.text, 0, width::columns()));
    let _ = writeln!(o, "{}", paint.dim(&wrap_known(&graded_by(&g.backend), 2)));
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", score_summary(&g.total, paint).finish());
    let _ = writeln!(o);
    if let Some(sp) = &g.spoken {
        spoken(&mut o, sp, paint);
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "{}", paint.bold("Key points"));
    for p in &g.points {
        // Marked by the statement found; its detail is noted after.
        let label = point_mark(p, paint).2;
        let check = match p.verification {
            Verification::Verified => " · quote verified",
            Verification::Corroborated => " · quote not found, corroborated by keywords",
            Verification::Unverified => " · quote not found in the answer",
            Verification::Matched | Verification::None => "",
        };
        let check = if p.derived {
            format!("{check} · rules derived from the point's text")
        } else {
            format!("{}{check}", super::detail_note(p))
        };
        let score = format!("{}/{} {label}", num(p.earned), num(p.weight));
        let line = point_heading(p, paint, &score, &score)
            .words(&check, &|s| paint.dim(s))
            .finish();
        let _ = writeln!(o, "{line}");
        let _ = writeln!(o, "      {}", wrap(&p.text, 6, width::columns()));
        if let Some(e) = &p.evidence {
            let at = said_at(g, &p.id);
            let _ = writeln!(
                o,
                "      {}",
                paint.dim(&wrap(&format!("“{e}”{at}"), 6, width::columns()))
            );
        }
        if let Some(w) = &p.withheld {
            let why = format!(
                "no credit, {}: “{}”",
                withheld_reason(p, w, &g.total),
                w.evidence
            );
            let _ = writeln!(o, "      {}", paint.warn(&wrap(&why, 6, width::columns())));
        }
        if let Some(r) = &p.rationale {
            let _ = writeln!(
                o,
                "      {}",
                paint.dim(&wrap(&format!("grader: {r}"), 6, width::columns()))
            );
        }
        if let Some(f) = &p.feedback {
            let _ = writeln!(o, "      {}", wrap(&format!("→ {f}"), 8, width::columns()));
        }
    }
    if !g.misconceptions.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "{}", paint.bold("Misconceptions"));
        for m in &g.misconceptions {
            let penalty = format!("−{}%", num(m.penalty * 100.0));
            let line = Fit::new(6)
                .push(
                    "",
                    &format!("  ! {}", m.id),
                    &format!("  {} {}", paint.bad("!"), paint.bold(&m.id)),
                )
                .push("  ", &penalty, &penalty)
                .finish();
            let _ = writeln!(o, "{line}");
            let _ = writeln!(o, "      {}", wrap(&m.text, 6, width::columns()));
            if let Some(e) = &m.evidence {
                let at = said_at(g, &m.id);
                let _ = writeln!(
                    o,
                    "      {}",
                    paint.dim(&wrap(&format!("“{e}”{at}"), 6, width::columns()))
                );
            }
            let _ = writeln!(
                o,
                "      {}",
                wrap(&format!("→ {}", m.correction), 8, width::columns())
            );
        }
    }
    if let Some(u) = &g.usage {
        let cost = u.cost_usd.map(|c| format!(", ${c:.4}")).unwrap_or_default();
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "{}",
            paint.dim(&wrap_known(
                &format!(
                    "tokens: {} prompt, {} completion{cost}",
                    u.prompt_tokens, u.completion_tokens
                ),
                2
            ))
        );
    }
    if let Some(s) = &g.samples {
        let _ = writeln!(
            o,
            "{}",
            paint.dim(&wrap_known(
                &format!(
                    "{} samples{}; the score is their median; all agreed on {}% of key points",
                    s.n,
                    if s.totals.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " scoring {}",
                            s.totals
                                .iter()
                                .map(|t| format!("{}%", num(t * 100.0)))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    },
                    num(s.agreement * 100.0)
                ),
                2
            ))
        );
    }
    if !g.flags.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "{}", paint.bold("Flags"));
        for f in &g.flags {
            let _ = writeln!(
                o,
                "  {} {}: {}",
                paint.warn("⚑"),
                f.kind,
                wrap(&f.message, 6, width::columns())
            );
        }
    }
    o
}

/// A point's mark: its glyph, the glyph painted, and the word for it.
pub(crate) fn point_mark(p: &PointResult, paint: &Paint) -> (&'static str, String, &'static str) {
    match super::met(p) {
        super::Met::Fully => ("✓", paint.good("✓"), "met"),
        super::Met::Partly => ("◐", paint.warn("◐"), "partly met"),
        super::Met::Not => ("✗", paint.bad("✗"), "missed"),
    }
}

/// The start of a point's line: its mark and id, then `score` (`shown`
/// painted), moving to an indented next line when the screen is too narrow.
pub(crate) fn point_heading(p: &PointResult, paint: &Paint, score: &str, shown: &str) -> Fit {
    let (glyph, mark, _) = point_mark(p, paint);
    let mut fit = Fit::new(6);
    fit.push(
        "",
        &format!("  {glyph} {}", p.id),
        &format!("  {mark} {}", paint.bold(&p.id)),
    )
    .push("  ", score, shown);
    fit
}

#[cfg(test)]
mod tests {
    #[test]
    fn wrap_respects_width_and_indent() {
        let w = super::wrap("aaa bbb ccc ddd", 2, 9);
        assert_eq!(w, "aaa bbb\n  ccc ddd");
    }
}
