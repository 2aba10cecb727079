//! The terminal form of a batch report: compact aligned tables a reviewer can
//! read in one screen, ranking first.
//!
//! Journal text is written to a terminal, so control characters (an ANSI
//! escape in a candidate name, say) are replaced before printing, and long
//! names are cut to keep the columns aligned.

use std::fmt::Write;

use super::count;
use super::summary::{FlagRow, Summary};
use crate::report::Paint;

/// Widest candidate or id column before names are cut.
const MAX_NAME: usize = 30;
/// Width of a score bar, in characters, for 100%.
const BAR: usize = 20;

pub fn render(s: &Summary, paint: &Paint) -> String {
    let mut o = String::new();
    header(&mut o, s, paint);
    ranking(&mut o, s, paint);
    questions(&mut o, s, paint);
    topics(&mut o, s, paint);
    distribution(&mut o, s, paint);
    missed(&mut o, s, paint);
    flags(&mut o, s, paint);
    bad_rows(&mut o, s, paint);
    o
}

/// Journal text made safe for a terminal: one line, no control characters.
pub(crate) fn clean(s: &str) -> String {
    crate::report::terminal::neutralise(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// `s` cleaned, cut to `width` characters and padded to it: one column of
/// a text table (batch reports, `viva agree`).
pub(crate) fn fit(s: &str, width: usize) -> String {
    let s = clean(s);
    let n = s.chars().count();
    if n > width {
        let cut: String = s.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

/// The width of a column holding `values`, at most [`MAX_NAME`].
fn column<'a>(title: &str, values: impl Iterator<Item = &'a str>) -> usize {
    values
        .map(|v| clean(v).chars().count())
        .fold(title.len(), usize::max)
        .min(MAX_NAME)
}

fn pct(x: Option<f64>) -> String {
    x.map_or("—".into(), |x| format!("{x:.1}%"))
}

/// Colours a right-aligned percentage by how good it is.
fn score(paint: &Paint, x: Option<f64>, width: usize) -> String {
    let text = format!("{:>width$}", pct(x));
    match x {
        Some(x) if x >= 75.0 => paint.good(&text),
        Some(x) if x >= 40.0 => paint.warn(&text),
        Some(_) => paint.bad(&text),
        None => paint.dim(&text),
    }
}

fn bar(percent: f64) -> String {
    let full = ((percent / 100.0) * BAR as f64).round() as usize;
    let full = full.min(BAR);
    format!("{}{}", "█".repeat(full), "░".repeat(BAR - full))
}

fn title(o: &mut String, paint: &Paint, t: &str) {
    let _ = writeln!(o, "\n{}", paint.bold(t));
}

fn header(o: &mut String, s: &Summary, paint: &Paint) {
    let c = &s.counts;
    let _ = writeln!(
        o,
        "{}  {}",
        paint.bold("viva report"),
        paint.dim(&clean(&s.journal.name))
    );
    let superseded = match s.journal.superseded {
        0 => String::new(),
        n => format!(" · {}", count(n, "superseded record")),
    };
    let _ = writeln!(
        o,
        "{} · {} · {}: {} graded, {} failed{superseded}",
        count(c.candidates, "candidate"),
        count(c.questions, "question"),
        count(c.answers, "answer"),
        c.graded,
        c.failed
    );
    if let Some(w) = s.journal.warning() {
        let _ = writeln!(o, "{}", paint.warn(&format!("warning: {}", clean(&w))));
    }
}

fn ranking(o: &mut String, s: &Summary, paint: &Paint) {
    title(o, paint, "Ranking");
    let w = column("candidate", s.ranking.iter().map(|r| r.candidate.as_str()));
    let head = format!(
        "{:>4}  {}  {:>7}  answered  failed",
        "#",
        fit("candidate", w),
        "mean"
    );
    let _ = writeln!(o, "{}", paint.dim(&head));
    for r in &s.ranking {
        let _ = writeln!(
            o,
            "{:>4}  {}  {}  {:>8}  {:>6}",
            r.rank,
            fit(&r.candidate, w),
            score(paint, r.mean_percent, 7),
            format!("{} of {}", r.answered, r.questions),
            r.failed
        );
    }
    if let Some(note) = super::missing_note(s) {
        let _ = writeln!(o, "  {}", paint.dim(&note));
    }
}

fn bad_rows(o: &mut String, s: &Summary, paint: &Paint) {
    if s.bad_rows.is_empty() {
        return;
    }
    title(o, paint, "Bad rows (not graded)");
    for b in &s.bad_rows {
        let who = [b.candidate.as_deref(), b.question_id.as_deref()]
            .into_iter()
            .flatten()
            .map(clean)
            .collect::<Vec<_>>()
            .join(" · ");
        let _ = writeln!(
            o,
            "  line {:<5} {}  {}  {}",
            b.line,
            paint.warn(&clean(&b.kind)),
            who,
            paint.dim(&clean(&b.message))
        );
    }
}

fn questions(o: &mut String, s: &Summary, paint: &Paint) {
    title(o, paint, "Questions");
    let w = column("question", s.questions.iter().map(|q| q.id.as_str()));
    let t = column("topic", s.questions.iter().map(|q| q.topic.as_str()));
    let head = format!(
        "  {}  {}  {:>3}  {:>7}  {:>6}  {:>6}  {:>6}  failed",
        fit("question", w),
        fit("topic", t),
        "n",
        "mean",
        "sd",
        "min",
        "max"
    );
    let _ = writeln!(o, "{}", paint.dim(&head));
    for q in &s.questions {
        let num = |x: Option<f64>| x.map_or("—".into(), |x| format!("{x:.1}"));
        let _ = writeln!(
            o,
            "  {}  {}  {:>3}  {}  {:>6}  {:>6}  {:>6}  {:>6}",
            fit(&q.id, w),
            fit(&q.topic, t),
            q.n,
            score(paint, q.mean, 7),
            num(q.std_dev),
            num(q.min),
            num(q.max),
            q.failed
        );
    }
}

fn topics(o: &mut String, s: &Summary, paint: &Paint) {
    title(o, paint, "Topics");
    let w = column("topic", s.topics.iter().map(|t| t.topic.as_str()));
    for t in &s.topics {
        let _ = writeln!(
            o,
            "  {}  {}  {}  {}",
            fit(&t.topic, w),
            bar(t.mean),
            score(paint, Some(t.mean), 6),
            paint.dim(&format!("({} answers)", t.n))
        );
    }
}

fn distribution(o: &mut String, s: &Summary, paint: &Paint) {
    title(o, paint, "Score distribution");
    let most = s.distribution.iter().map(|b| b.count).max().unwrap_or(0);
    for b in &s.distribution {
        let len = if most == 0 {
            0
        } else {
            (b.count * BAR).div_ceil(most)
        };
        let band = format!("{}–{}%", b.from, b.to);
        let _ = writeln!(o, "  {band:>8}  {} {}", "█".repeat(len), b.count);
    }
}

fn missed(o: &mut String, s: &Summary, paint: &Paint) {
    if s.missed_points.is_empty() {
        return;
    }
    title(o, paint, "Most missed key points");
    for m in &s.missed_points {
        let _ = writeln!(
            o,
            "  {:>4}  {} › {}  {}",
            format!("{:.0}%", m.share * 100.0),
            clean(&m.question_id),
            paint.bold(&clean(&m.point_id)),
            paint.dim(&format!("({} of {})", m.missed, m.graded))
        );
    }
}

fn flags(o: &mut String, s: &Summary, paint: &Paint) {
    if s.flags.is_empty() {
        return;
    }
    title(o, paint, "Flags");
    let mut last: Option<(&str, &str)> = None;
    for f in &s.flags {
        let key = (f.candidate.as_str(), f.question_id.as_str());
        if last != Some(key) {
            let _ = writeln!(
                o,
                "  {} · {}",
                paint.bold(&clean(&f.candidate)),
                clean(&f.question_id)
            );
            last = Some(key);
        }
        flag(o, f, paint);
    }
}

fn flag(o: &mut String, f: &FlagRow, paint: &Paint) {
    let kind = match f.kind.as_str() {
        "failed" | "possible-manipulation" => paint.bad(&f.kind),
        _ => paint.warn(&f.kind),
    };
    let _ = writeln!(o, "    {kind}  {}", clean(&f.message));
    if let Some(e) = &f.evidence {
        let _ = writeln!(o, "      {}", paint.dim(&format!("“{}”", clean(e))));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(clean("a\u{1b}[31mb\nc"), "a\u{fffd}b c");
    }

    #[test]
    fn long_names_are_cut_and_short_ones_padded() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("ab", 4), "ab  ");
    }

    #[test]
    fn bars_scale_to_their_width() {
        assert_eq!(bar(0.0), "░".repeat(BAR));
        assert_eq!(bar(100.0), "█".repeat(BAR));
        assert_eq!(bar(50.0).chars().filter(|&c| c == '█').count(), BAR / 2);
    }
}
