//! `viva progress` as a compact terminal chart, or JSON.
//!
//! One row per topic, weakest first, so the top of the screen is what to
//! practise next: a mastery bar, tries, best and latest score, the trend and
//! a sparkline of the last attempts; then the key points missed most often.
//! Colour comes from [`Paint`], so pipes get plain text.

use std::fmt::Write;

use super::progress::{Progress, TopicStats};
use super::review::Review;
use crate::report::Paint;

/// Cells of the mastery bar.
const BAR_CELLS: usize = 10;
/// One to seven eighths of a cell.
const EIGHTHS: [char; 7] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/// Trends within this many points are shown as flat.
const FLAT: f64 = 2.0;

/// A bar of [`BAR_CELLS`] cells for a percentage, in eighths of a cell:
/// the filled part, and the empty track after it.
pub fn bar(percent: f64) -> (String, String) {
    let eighths = (percent.clamp(0.0, 100.0) / 100.0 * (BAR_CELLS * 8) as f64).round() as usize;
    let (full, part) = (eighths / 8, eighths % 8);
    let mut filled = "█".repeat(full);
    if part > 0 {
        filled.push(EIGHTHS[part - 1]);
    }
    let track = "░".repeat(BAR_CELLS - filled.chars().count());
    (filled, track)
}

/// One block per score, `▁` for 0% up to `█` for 100%.
pub fn sparkline(scores: &[f64]) -> String {
    scores
        .iter()
        .map(|p| SPARKS[(p.clamp(0.0, 100.0) / 100.0 * 7.0).round() as usize])
        .collect()
}

/// The text chart.
pub fn text(p: &Progress, paint: &Paint) -> String {
    let mut o = String::new();
    let span = match (p.first, p.last) {
        (Some(a), Some(b)) => format!(", {} to {}", date(a), date(b)),
        _ => String::new(),
    };
    let since = p
        .since
        .as_ref()
        .map(|s| format!(" since {s}"))
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "{}  {}",
        paint.bold("Practice progress"),
        paint.dim(&format!(
            "{} attempt(s){since} on {} question(s) in {} topic(s){span}",
            p.attempts,
            p.questions,
            p.topics.len()
        ))
    );
    let _ = writeln!(o);
    let width = p
        .topics
        .iter()
        .map(|t| shown(&t.topic).chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(
        o,
        "{}",
        paint.dim(&format!(
            "{:width$}  {:15}  {:>5}  {:>4}  {:>6}  {:9}  recent",
            "topic", "mastery", "tries", "best", "latest", "trend"
        ))
    );
    for t in &p.topics {
        topic_row(&mut o, t, width, paint);
    }
    weakest(&mut o, p, paint);
    if let Some(sp) = &p.speaking {
        speaking(&mut o, sp, paint);
    }
    if let Some(r) = &p.review {
        review(&mut o, r, paint);
    }
    o
}

/// "Review (SM-2)": what is due, retention, streak, coverage, then the
/// recommendation.
fn review(o: &mut String, r: &Review, paint: &Paint) {
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}  {}",
        paint.bold("Review"),
        paint.dim("spaced repetition (SM-2) replayed from the history")
    );
    let ids = |list: &[super::review::Due]| {
        let mut ids: Vec<String> = list.iter().take(3).map(|d| shown(&d.question_id)).collect();
        if list.len() > 3 {
            ids.push(format!("{} more", list.len() - 3));
        }
        ids.join(", ")
    };
    let due_now = if r.due_now.is_empty() {
        String::new()
    } else {
        paint.dim(&format!("  due now: {}", ids(&r.due_now)))
    };
    let _ = writeln!(o, "  due today      {}{due_now}", r.due_today);
    let _ = writeln!(o, "  due this week  {}", r.due_this_week);
    if let Some(n) = &r.next_due {
        let _ = writeln!(
            o,
            "  next review    {} on {}",
            shown(&n.question_id),
            date(n.due)
        );
    }
    let today = if r.practised_today {
        ""
    } else {
        " (none yet today)"
    };
    let _ = writeln!(o, "  streak         {} day(s){today}", r.streak_days);
    let c = &r.coverage;
    let _ = writeln!(
        o,
        "  coverage       {} of {} topic(s), {} of {} question(s)",
        c.topics_tried, c.topics, c.questions_tried, c.questions
    );
    if r.retention.is_empty() {
        let _ = writeln!(
            o,
            "  retention      {}",
            paint.dim("– (no question reviewed on a later day yet)")
        );
    } else {
        let width = r
            .retention
            .iter()
            .map(|t| shown(&t.topic).chars().count())
            .max()
            .unwrap_or(0);
        for (i, t) in r.retention.iter().enumerate() {
            let label = if i == 0 { "retention" } else { "" };
            let _ = writeln!(
                o,
                "  {label:13}  {:width$}  {:>4}  {}",
                shown(&t.topic),
                pct(t.percent),
                paint.dim(&format!("{} of {} review(s) passed", t.recalled, t.reviews))
            );
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{} {}",
        paint.bold("Practise next:"),
        shown(&r.recommendation.command)
    );
    let _ = writeln!(o, "  {}", paint.dim(&shown(&r.recommendation.reason)));
}

/// "Speaking (4 spoken answers)": rate, fillers and pauses with their trends.
fn speaking(o: &mut String, s: &super::progress::Speaking, paint: &Paint) {
    let change = |t: Option<f64>, unit: &str| match t {
        Some(t) if t != 0.0 => format!(" ({t:+} {unit} on the latest vs before)"),
        Some(_) => " (latest as before)".into(),
        None => String::new(),
    };
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}  {}",
        paint.bold("Speaking"),
        paint.dim(&format!("{} spoken answer(s)", s.answers))
    );
    let _ = writeln!(
        o,
        "  {} words per minute{}  {}",
        s.words_per_minute,
        change(s.words_per_minute_trend, "wpm"),
        paint.dim(&sparkline_of(&s.recent_words_per_minute, 220.0))
    );
    let _ = writeln!(
        o,
        "  {} fillers per minute{}  {}",
        s.fillers_per_minute,
        change(s.fillers_per_minute_trend, "/min"),
        paint.dim(&sparkline_of(&s.recent_fillers_per_minute, 12.0))
    );
    let _ = writeln!(o, "  {} long pauses per answer", s.long_pauses_per_answer);
    if s.poor_transcripts > 0 {
        let _ = writeln!(
            o,
            "  {}",
            paint.warn(&format!(
                "{} answer(s) had a poor transcript: their scores may be too low",
                s.poor_transcripts
            ))
        );
    }
}

/// A sparkline of values scaled so `full` is the top bar.
fn sparkline_of(values: &[f64], full: f64) -> String {
    let scaled: Vec<f64> = values
        .iter()
        .map(|v| (v / full * 100.0).clamp(0.0, 100.0))
        .collect();
    sparkline(&scaled)
}

/// Text from the history file, which may come from anyone, made safe for
/// the terminal.
fn shown(s: &str) -> String {
    crate::report::terminal::neutralise(s)
}

fn topic_row(o: &mut String, t: &TopicStats, width: usize, paint: &Paint) {
    let _ = writeln!(
        o,
        "{:width$}  {} {:>4}  {:>5}  {:>4}  {:>6}  {}  {}",
        shown(&t.topic),
        mastery_bar(t.mastery, paint),
        pct(t.mastery),
        t.attempts,
        pct(t.best),
        pct(t.latest),
        trend(t.trend, paint),
        paint.dim(&sparkline(&t.recent)),
    );
}

fn weakest(o: &mut String, p: &Progress, paint: &Paint) {
    if p.weakest_points.is_empty() {
        return;
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", paint.bold("Key points missed most often"));
    let names: Vec<String> = p
        .weakest_points
        .iter()
        .map(|w| shown(&format!("{} / {}", w.question_id, w.point_id)))
        .collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    for (w, name) in p.weakest_points.iter().zip(&names) {
        let _ = writeln!(
            o,
            "  {}  {}",
            format_args!("{name:width$}"),
            paint.dim(&format!("missed {} of {}", w.missed, w.attempts))
        );
    }
}

/// Trend as an arrow and signed points, padded to 9 columns.
fn trend(t: Option<f64>, paint: &Paint) -> String {
    let Some(t) = t else {
        return paint.dim(&format!("{:9}", "–"));
    };
    let sign = if t < 0.0 { "−" } else { "+" };
    let text = format!("{sign}{:.1}", t.abs());
    if t > FLAT {
        paint.good(&format!("↑ {text:7}"))
    } else if t < -FLAT {
        paint.bad(&format!("↓ {text:7}"))
    } else {
        paint.dim(&format!("→ {text:7}"))
    }
}

fn mastery_bar(percent: f64, paint: &Paint) -> String {
    let (filled, track) = bar(percent);
    format!("{}{}", by_score(&filled, percent, paint), paint.dim(&track))
}

fn by_score(s: &str, percent: f64, paint: &Paint) -> String {
    if percent >= 75.0 {
        paint.good(s)
    } else if percent >= 40.0 {
        paint.warn(s)
    } else {
        paint.bad(s)
    }
}

fn pct(x: f64) -> String {
    format!("{}%", x.round())
}

fn date(t: jiff::Timestamp) -> String {
    t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string()
}

/// The JSON form (`schema: viva.progress/v1`).
pub fn json(p: &Progress) -> String {
    crate::report::document(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_in_eighths_and_keep_their_width() {
        let joined = |p| {
            let (f, t) = bar(p);
            format!("{f}{t}")
        };
        assert_eq!(joined(0.0), "░".repeat(10));
        assert_eq!(joined(100.0), "█".repeat(10));
        assert_eq!(joined(25.0), "██▌░░░░░░░");
        for p in [0.0, 3.0, 49.9, 87.5, 99.0, 100.0] {
            assert_eq!(joined(p).chars().count(), BAR_CELLS, "{p}");
        }
    }

    #[test]
    fn sparklines_map_scores_to_eight_levels() {
        assert_eq!(sparkline(&[0.0, 50.0, 100.0]), "▁▅█");
    }
}
