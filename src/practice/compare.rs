//! `viva progress --question ID`: one question's attempts side by side.
//!
//! Seeing the same rubric scored twice shows what an answer gained and what
//! it dropped, which the topic averages hide. Each key point gets a row and
//! each attempt a column; between consecutive attempts the points that went
//! up are "gained" and those that went down "lost". The answer texts follow,
//! for attempts recorded since the history keeps them.

use std::fmt::Write;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::history::{Attempt, Ungraded};
use super::progress::chronological;
use super::schedule::{self, Card};
use super::wrap;
use crate::report::Paint;

/// Attempt columns shown in the text table (the latest ones).
pub const COLUMNS: usize = 6;

/// One question's attempts compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub schema: &'static str,
    pub question_id: String,
    pub topic: String,
    pub attempts: Vec<Shown>,
    /// Every key point, in rubric order of the latest attempt, with its score
    /// in each attempt (`null` where the attempt's rubric lacked it).
    pub points: Vec<PointRow>,
    /// From each attempt to the next.
    pub changes: Vec<Change>,
    /// The review schedule replayed from the whole history.
    pub schedule: Option<Card>,
    /// Follow-ups the model phrased after this question that no bank
    /// question fits, with the answers given, ungraded; left out of the
    /// JSON when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ungraded: Vec<UngradedShown>,
}

/// An ungraded answer to a phrased follow-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UngradedShown {
    #[serde(serialize_with = "as_string")]
    pub timestamp: Timestamp,
    pub follow_up: String,
    pub probes: Vec<String>,
    pub answer: String,
}

/// One attempt, numbered from 1 in time order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shown {
    pub number: usize,
    #[serde(serialize_with = "as_string")]
    pub timestamp: Timestamp,
    pub percent: f64,
    /// SM-2 quality (0–5) of the score.
    pub rating: u8,
    pub backend: String,
    /// `null` for attempts recorded before answers were kept.
    pub answer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointRow {
    pub id: String,
    pub weight: f64,
    pub scores: Vec<Option<f64>>,
}

/// What changed from attempt `from` to attempt `to`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub from: usize,
    pub to: usize,
    /// Score change in percentage points.
    pub delta: f64,
    pub gained: Vec<String>,
    pub lost: Vec<String>,
}

fn as_string<S: serde::Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(t)
}

/// Compares the attempts at `id` in `all` (the whole history), with the
/// ungraded follow-up answers after it; `None` when there are no attempts.
pub fn compare(all: &[Attempt], ungraded: &[Ungraded], id: &str) -> Option<Comparison> {
    let list: Vec<&Attempt> = chronological(all)
        .into_iter()
        .filter(|a| a.question_id == id)
        .collect();
    let latest = list.last()?;
    let mut ids: Vec<(String, f64)> = Vec::new();
    for a in list.iter().rev() {
        for p in &a.points {
            if !ids.iter().any(|(i, _)| *i == p.id) {
                ids.push((p.id.clone(), p.weight));
            }
        }
    }
    let score = |a: &Attempt, point: &str| a.points.iter().find(|p| p.id == point).map(|p| p.score);
    let points: Vec<PointRow> = ids
        .iter()
        .map(|(pid, weight)| PointRow {
            id: pid.clone(),
            weight: *weight,
            scores: list.iter().map(|a| score(a, pid)).collect(),
        })
        .collect();
    let changes = list
        .windows(2)
        .enumerate()
        .map(|(i, pair)| {
            let moved = |up: bool| -> Vec<String> {
                points
                    .iter()
                    .filter(|row| {
                        let (a, b) = (
                            row.scores[i].unwrap_or(0.0),
                            row.scores[i + 1].unwrap_or(0.0),
                        );
                        if up { b > a } else { b < a }
                    })
                    .map(|row| row.id.clone())
                    .collect()
            };
            Change {
                from: i + 1,
                to: i + 2,
                delta: ((pair[1].percent - pair[0].percent) * 10.0).round() / 10.0 + 0.0,
                gained: moved(true),
                lost: moved(false),
            }
        })
        .collect();
    Some(Comparison {
        schema: "viva.progress-question/v1",
        question_id: id.to_string(),
        topic: latest.topic.clone(),
        attempts: list
            .iter()
            .enumerate()
            .map(|(i, a)| Shown {
                number: i + 1,
                timestamp: a.timestamp,
                percent: a.percent,
                rating: schedule::rating(a.fraction),
                backend: a.backend.clone(),
                answer: a.answer.clone(),
            })
            .collect(),
        points,
        changes,
        schedule: schedule::schedule(all).remove(id),
        ungraded: ungraded
            .iter()
            .filter(|u| u.question_id == id)
            .map(|u| UngradedShown {
                timestamp: u.timestamp,
                follow_up: u.follow_up.clone(),
                probes: u.probes.clone(),
                answer: u.answer.clone(),
            })
            .collect(),
    })
}

fn day(t: Timestamp) -> String {
    t.to_zoned(TimeZone::UTC).strftime("%Y-%m-%d").to_string()
}

fn minute(t: Timestamp) -> String {
    t.to_zoned(TimeZone::UTC)
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

fn shown(s: &str) -> String {
    crate::report::terminal::neutralise(s)
}

fn score_cell(s: Option<f64>) -> String {
    match s {
        Some(0.5) => "½".into(),
        Some(s) => format!("{s}"),
        None => "–".into(),
    }
}

/// The side-by-side text: scores table, changes, then the answers.
pub fn text(c: &Comparison, paint: &Paint) -> String {
    let mut o = String::new();
    let next = match &c.schedule {
        Some(card) => format!(
            "; next review {} (interval {} day(s))",
            day(card.due),
            card.interval_days
        ),
        None => String::new(),
    };
    let _ = writeln!(
        o,
        "{}  {}",
        paint.bold(&shown(&c.question_id)),
        paint.dim(&format!(
            "{} · {} attempt(s){next}",
            shown(&c.topic),
            c.attempts.len()
        ))
    );
    let skip = c.attempts.len().saturating_sub(COLUMNS);
    if skip > 0 {
        let _ = writeln!(
            o,
            "{}",
            paint.dim(&format!(
                "(the first {skip} attempt(s) are in the JSON and the answers below)"
            ))
        );
    }
    let width = c
        .points
        .iter()
        .map(|p| shown(&p.id).chars().count())
        .max()
        .unwrap_or(0)
        .max(5);
    let cols = &c.attempts[skip..];
    let _ = writeln!(o);
    let head: String = cols
        .iter()
        .map(|a| format!("  {:>10}", format!("#{}", a.number)))
        .collect();
    let _ = writeln!(o, "{}", paint.dim(&format!("{:width$}{head}", "")));
    let dates: String = cols
        .iter()
        .map(|a| format!("  {:>10}", day(a.timestamp)))
        .collect();
    let _ = writeln!(o, "{}", paint.dim(&format!("{:width$}{dates}", "")));
    let scores: String = cols
        .iter()
        .map(|a| format!("  {:>10}", format!("{}%", a.percent)))
        .collect();
    let _ = writeln!(o, "{}{scores}", paint.bold(&format!("{:width$}", "score")));
    for row in &c.points {
        let cells: String = row.scores[skip..]
            .iter()
            .map(|s| format!("  {:>10}", score_cell(*s)))
            .collect();
        let _ = writeln!(o, "{:width$}{cells}", shown(&row.id));
    }
    if !c.changes.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "{}", paint.bold("Between attempts"));
        for ch in &c.changes {
            let list = |ids: &[String]| {
                if ids.is_empty() {
                    "–".to_string()
                } else {
                    shown(&ids.join(", "))
                }
            };
            let delta = format!("{:+.1}", ch.delta);
            let delta = if ch.delta > 0.0 {
                paint.good(&delta)
            } else if ch.delta < 0.0 {
                paint.bad(&delta)
            } else {
                paint.dim(&delta)
            };
            let _ = writeln!(o, "  #{} → #{}  {delta} points", ch.from, ch.to);
            let _ = writeln!(o, "    gained: {}", list(&ch.gained));
            let _ = writeln!(o, "    lost:   {}", list(&ch.lost));
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", paint.bold("Answers"));
    for a in &c.attempts {
        let _ = writeln!(
            o,
            "{}",
            paint.dim(&format!(
                "  #{}  {}  {}%",
                a.number,
                minute(a.timestamp),
                a.percent
            ))
        );
        match &a.answer {
            Some(text) => {
                let _ = writeln!(o, "    {}", wrap(&shown(text), 4, 88));
            }
            None => {
                let _ = writeln!(
                    o,
                    "{}",
                    paint.dim("    (not kept: recorded before answers were saved)")
                );
            }
        }
    }
    ungraded(&mut o, c, paint);
    o
}

/// The ungraded follow-up answers, for the end of [`text`].
fn ungraded(o: &mut String, c: &Comparison, paint: &Paint) {
    if c.ungraded.is_empty() {
        return;
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}  {}",
        paint.bold("Follow-ups the model asked"),
        paint.dim("not in the bank, so not graded")
    );
    for u in &c.ungraded {
        let _ = writeln!(
            o,
            "{}",
            paint.dim(&format!(
                "  {}  from {}",
                minute(u.timestamp),
                shown(&u.probes.join(", "))
            ))
        );
        let _ = writeln!(o, "    Q: {}", wrap(&shown(&u.follow_up), 7, 88));
        let _ = writeln!(o, "    A: {}", wrap(&shown(&u.answer), 7, 88));
    }
}

/// The JSON form (`schema: viva.progress-question/v1`).
pub fn json<T: Serialize + ?Sized>(c: &T) -> String {
    crate::report::document(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::testing::attempt;

    #[test]
    fn points_gained_and_lost_between_attempts() {
        // `attempt` scores point `a` 1 from 50% up (else 0), `b` always 0.
        let all = [
            attempt("q1", "oop", 80.0, "2024-06-01T10:00:00Z"),
            attempt("q1", "oop", 20.0, "2024-06-02T10:00:00Z"),
            attempt("q2", "oop", 90.0, "2024-06-02T11:00:00Z"),
            attempt("q1", "oop", 60.0, "2024-06-03T10:00:00Z").with_answer("third"),
        ];
        let c = compare(&all, &[], "q1").unwrap();
        assert_eq!(c.attempts.len(), 3);
        assert_eq!(c.attempts[2].answer.as_deref(), Some("third"));
        assert_eq!(c.attempts[0].answer, None);
        let ch: Vec<_> = c
            .changes
            .iter()
            .map(|c| (c.delta, c.gained.clone(), c.lost.clone()))
            .collect();
        assert_eq!(
            ch,
            [
                (-60.0, vec![], vec!["a".to_string()]),
                (40.0, vec!["a".to_string()], vec![]),
            ]
        );
        assert_eq!(c.points[0].scores, [Some(1.0), Some(0.0), Some(1.0)]);
        assert!(compare(&all, &[], "q9").is_none());
    }
}
