//! What to review and what to practise next, for `viva progress`.
//!
//! Everything here is derived on read from the whole history (whatever
//! `--since` shows) and the bank: due counts from the SM-2 schedule in
//! [`super::schedule`], how often a question was recalled on a later day
//! (retention) per topic, the streak of practice days, how much of the bank
//! was tried, and one recommendation.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::history::Attempt;
use super::progress::topic_mastery;
use super::schedule::{self, Card};

/// A topic whose mastery is under this is recommended before new topics.
pub const WEAK_MASTERY: f64 = 0.6;
/// Days counted as "this week", today included.
pub const WEEK_DAYS: i64 = 7;

/// The review part of `viva progress`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// The clock the counts are for (`VIVA_NOW` in tests); left out of the
    /// JSON so the same history gives the same document.
    #[serde(skip)]
    pub now: Timestamp,
    /// Questions due now, most overdue first.
    pub due_now: Vec<Due>,
    /// Questions due by the end of today (UTC), overdue ones included.
    pub due_today: usize,
    /// Questions due within [`WEEK_DAYS`] days, today and overdue included.
    pub due_this_week: usize,
    /// The question due soonest after now.
    pub next_due: Option<Due>,
    /// Per topic: reviews after a question's first day, and how many passed.
    pub retention: Vec<Retention>,
    /// Consecutive UTC days with practice, up to today (or up to yesterday
    /// when today has none yet).
    pub streak_days: u32,
    pub practised_today: bool,
    pub coverage: Coverage,
    pub recommendation: Recommendation,
}

/// A question and when it is due.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Due {
    pub question_id: String,
    pub topic: String,
    #[serde(serialize_with = "as_string")]
    pub due: Timestamp,
    pub interval_days: u32,
}

/// How often a topic's questions were remembered on a later day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Retention {
    pub topic: String,
    /// Reviews after the first, and those scoring 60% or more.
    pub reviews: usize,
    pub recalled: usize,
    /// `recalled / reviews` in percent, one decimal.
    pub percent: f64,
}

/// How much of the bank has been tried.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub topics_tried: usize,
    pub topics: usize,
    pub questions_tried: usize,
    pub questions: usize,
    /// Bank topics without any attempt, in bank order.
    pub untried_topics: Vec<String>,
}

/// One command to run next, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub command: String,
    pub reason: String,
}

fn as_string<S: serde::Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(t)
}

fn day(t: Timestamp) -> Date {
    t.to_zoned(TimeZone::UTC).date()
}

/// Midnight UTC at the start of `d`.
fn start_of(d: Date) -> Timestamp {
    d.to_zoned(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MAX)
}

fn due_of(c: &Card) -> Due {
    Due {
        question_id: c.question_id.clone(),
        topic: c.topic.clone(),
        due: c.due,
        interval_days: c.interval_days,
    }
}

/// The review summary of `attempts` (the whole history) against the bank's
/// questions with a rubric, given as `(id, topic)` in bank order.
pub fn review(attempts: &[Attempt], bank: &[(&str, &str)], now: Timestamp) -> Review {
    let cards = schedule::schedule(attempts);
    let today = day(now);
    let tomorrow = start_of(today.tomorrow().unwrap_or(today));
    let week_end = start_of(
        today
            .checked_add(jiff::Span::new().days(WEEK_DAYS))
            .unwrap_or(today),
    );
    let due_now: Vec<Due> = schedule::due(cards.values(), now)
        .into_iter()
        .map(due_of)
        .collect();
    let due_before = |end: Timestamp| cards.values().filter(|c| c.due < end).count();
    let (streak_days, practised_today) = streak(attempts, today);
    let coverage = coverage(attempts, bank);
    let recommendation = recommend(attempts, &due_now, &coverage, &cards, now);
    Review {
        now,
        due_today: due_before(tomorrow),
        due_this_week: due_before(week_end),
        next_due: schedule::next_due(cards.values(), now).map(due_of),
        due_now,
        retention: retention(&cards),
        streak_days,
        practised_today,
        coverage,
        recommendation,
    }
}

fn retention(cards: &BTreeMap<String, Card>) -> Vec<Retention> {
    let mut by_topic: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for c in cards.values() {
        let e = by_topic.entry(&c.topic).or_default();
        e.0 += c.recalls;
        e.1 += c.recalled;
    }
    by_topic
        .into_iter()
        .filter(|(_, (reviews, _))| *reviews > 0)
        .map(|(topic, (reviews, recalled))| Retention {
            topic: topic.to_string(),
            reviews,
            recalled,
            percent: (recalled as f64 / reviews as f64 * 1000.0).round() / 10.0,
        })
        .collect()
}

/// Consecutive practice days ending today, or yesterday when today has none.
fn streak(attempts: &[Attempt], today: Date) -> (u32, bool) {
    let days: BTreeSet<Date> = attempts.iter().map(|a| day(a.timestamp)).collect();
    let practised_today = days.contains(&today);
    let mut d = if practised_today {
        Some(today)
    } else {
        today.yesterday().ok()
    };
    let mut streak = 0;
    while let Some(current) = d.filter(|d| days.contains(d)) {
        streak += 1;
        d = current.yesterday().ok();
    }
    (streak, practised_today)
}

fn coverage(attempts: &[Attempt], bank: &[(&str, &str)]) -> Coverage {
    let tried: BTreeSet<&str> = attempts.iter().map(|a| a.question_id.as_str()).collect();
    let mut topics: Vec<&str> = Vec::new();
    let mut tried_topics: BTreeSet<&str> = BTreeSet::new();
    for (id, topic) in bank {
        if !topics.contains(topic) {
            topics.push(topic);
        }
        if tried.contains(id) {
            tried_topics.insert(topic);
        }
    }
    Coverage {
        topics_tried: tried_topics.len(),
        topics: topics.len(),
        questions_tried: bank.iter().filter(|(id, _)| tried.contains(id)).count(),
        questions: bank.len(),
        untried_topics: topics
            .into_iter()
            .filter(|t| !tried_topics.contains(t))
            .map(String::from)
            .collect(),
    }
}

/// Due questions first; then the weakest topic under [`WEAK_MASTERY`]; then
/// a topic never tried; else any question.
fn recommend(
    attempts: &[Attempt],
    due_now: &[Due],
    coverage: &Coverage,
    cards: &BTreeMap<String, Card>,
    now: Timestamp,
) -> Recommendation {
    if let Some(first) = due_now.first() {
        return Recommendation {
            command: "viva practice --due".into(),
            reason: format!(
                "{} question(s) due for review; {} is the most overdue",
                due_now.len(),
                first.question_id
            ),
        };
    }
    let mastery = topic_mastery(attempts);
    let weakest = mastery
        .iter()
        .filter(|(_, m)| **m < WEAK_MASTERY)
        .min_by(|a, b| a.1.total_cmp(b.1).then(a.0.cmp(b.0)));
    if let Some((topic, m)) = weakest {
        return Recommendation {
            command: format!("viva practice --topic {topic}"),
            reason: format!("{topic} is your weakest topic ({:.0}% mastery)", m * 100.0),
        };
    }
    if let Some(topic) = coverage.untried_topics.first() {
        return Recommendation {
            command: format!("viva practice --topic {topic}"),
            reason: format!("you have not tried {topic} yet"),
        };
    }
    let reason = match schedule::next_due(cards.values(), now) {
        Some(c) => format!(
            "nothing is due; the next review is {} on {}",
            c.question_id,
            day(c.due)
        ),
        None => "nothing is due".into(),
    };
    Recommendation {
        command: "viva practice".into(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::testing::attempt;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    const BANK: [(&str, &str); 4] = [
        ("q1", "oop"),
        ("q2", "oop"),
        ("q3", "memory"),
        ("q4", "testing"),
    ];

    #[test]
    fn due_counts_streak_coverage_and_retention() {
        let attempts = [
            // q1: 95% then 95% the next day → due 6 days after 06-11.
            attempt("q1", "oop", 95.0, "2024-06-10T09:00:00Z"),
            attempt("q1", "oop", 95.0, "2024-06-11T09:00:00Z"),
            // q3: failed on 06-12 → due 06-13 (overdue at now).
            attempt("q3", "memory", 30.0, "2024-06-12T09:00:00Z"),
            // q2: 70% on 06-14 → due 06-15 09:00, later today.
            attempt("q2", "oop", 70.0, "2024-06-14T09:00:00Z"),
        ];
        let r = review(&attempts, &BANK, ts("2024-06-15T08:00:00Z"));
        let due: Vec<_> = r.due_now.iter().map(|d| d.question_id.as_str()).collect();
        assert_eq!(due, ["q3"]);
        assert_eq!((r.due_today, r.due_this_week), (2, 3));
        assert_eq!(r.next_due.as_ref().unwrap().question_id, "q2");
        // Practised 06-10 to 06-12 and 06-14, not yet on 06-15.
        assert_eq!((r.streak_days, r.practised_today), (1, false));
        let c = &r.coverage;
        assert_eq!((c.topics_tried, c.topics), (2, 3));
        assert_eq!((c.questions_tried, c.questions), (3, 4));
        assert_eq!(c.untried_topics, ["testing"]);
        assert_eq!(r.retention.len(), 1);
        assert_eq!((r.retention[0].reviews, r.retention[0].recalled), (1, 1));
        assert_eq!(r.recommendation.command, "viva practice --due");
    }

    #[test]
    fn without_due_questions_the_weakest_then_an_untried_topic_is_recommended() {
        let weak = [attempt("q3", "memory", 30.0, "2024-06-14T09:00:00Z")];
        let r = review(&weak, &BANK, ts("2024-06-14T10:00:00Z"));
        assert_eq!(r.recommendation.command, "viva practice --topic memory");
        assert_eq!((r.streak_days, r.practised_today), (1, true));
        let strong = [attempt("q3", "memory", 90.0, "2024-06-14T09:00:00Z")];
        let r = review(&strong, &BANK, ts("2024-06-14T10:00:00Z"));
        assert_eq!(r.recommendation.command, "viva practice --topic oop");
    }
}
