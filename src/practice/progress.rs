//! What the history says about the candidate: mastery per topic, how scores
//! are moving, and which key points keep being missed.
//!
//! Pure functions of the attempts, so `viva progress` and the question
//! choice in [`super::select`] agree on what "weak" means: a topic's mastery
//! is the mean of the latest score of each question tried in it, so retrying
//! a question and doing better raises it at once, and an old bad attempt
//! that was since redone no longer counts.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use serde::Serialize;

use super::history::Attempt;

/// Attempts shown in a topic's sparkline.
pub const RECENT: usize = 8;
/// Key points listed as weakest.
pub const WEAKEST: usize = 5;

/// Per-topic statistics. Scores are percentages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicStats {
    pub topic: String,
    pub attempts: usize,
    /// Distinct questions tried.
    pub questions: usize,
    /// Mean of each question's latest score.
    pub mastery: f64,
    pub best: f64,
    pub latest: f64,
    /// Latest score minus the mean of the earlier ones; `None` after one attempt.
    pub trend: Option<f64>,
    /// The last [`RECENT`] scores, oldest first.
    pub recent: Vec<f64>,
}

/// A key point and how often it scored 0.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeakPoint {
    pub topic: String,
    pub question_id: String,
    pub point_id: String,
    pub attempts: usize,
    pub missed: usize,
}

/// The whole picture, weakest topic first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub schema: &'static str,
    /// `--since`, when given (YYYY-MM-DD).
    pub since: Option<String>,
    pub attempts: usize,
    pub questions: usize,
    #[serde(serialize_with = "opt_timestamp")]
    pub first: Option<Timestamp>,
    #[serde(serialize_with = "opt_timestamp")]
    pub last: Option<Timestamp>,
    pub topics: Vec<TopicStats>,
    pub weakest_points: Vec<WeakPoint>,
    /// Delivery of spoken answers; absent without any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaking: Option<Speaking>,
    /// Due reviews, retention, streak, coverage and a recommendation, from
    /// the whole history (not only `--since`) and the bank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<super::review::Review>,
}

/// How spoken answers were said, over time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Speaking {
    /// Spoken attempts counted.
    pub answers: usize,
    /// Means over every spoken attempt.
    pub words_per_minute: f64,
    pub fillers_per_minute: f64,
    pub long_pauses_per_answer: f64,
    /// The latest value minus the mean of the earlier ones (null with one answer).
    pub words_per_minute_trend: Option<f64>,
    pub fillers_per_minute_trend: Option<f64>,
    /// Words per minute, then fillers per minute, of each attempt in time order.
    pub recent_words_per_minute: Vec<f64>,
    pub recent_fillers_per_minute: Vec<f64>,
    /// Spoken attempts whose transcript failed the quality gate.
    pub poor_transcripts: usize,
}

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

/// Delivery over the spoken attempts, or `None` without any.
fn speaking(sorted: &[&Attempt]) -> Option<Speaking> {
    let spoken: Vec<&super::history::Speech> =
        sorted.iter().filter_map(|a| a.speech.as_ref()).collect();
    if spoken.is_empty() {
        return None;
    }
    let wpm: Vec<f64> = spoken.iter().map(|s| s.words_per_minute).collect();
    let fpm: Vec<f64> = spoken.iter().map(|s| s.fillers_per_minute).collect();
    let pauses: Vec<f64> = spoken.iter().map(|s| s.long_pauses as f64).collect();
    let last = |xs: &[f64]| xs[xs.len().saturating_sub(8)..].to_vec();
    Some(Speaking {
        answers: spoken.len(),
        words_per_minute: round1(mean(&wpm)),
        fillers_per_minute: round1(mean(&fpm)),
        long_pauses_per_answer: round1(mean(&pauses)),
        words_per_minute_trend: trend(&wpm),
        fillers_per_minute_trend: trend(&fpm),
        recent_words_per_minute: last(&wpm),
        recent_fillers_per_minute: last(&fpm),
        poor_transcripts: spoken.iter().filter(|s| s.poor_transcript).count(),
    })
}

fn opt_timestamp<S: serde::Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.collect_str(t),
        None => s.serialize_none(),
    }
}

/// Attempts in time order (a file appended by hand may be out of order).
pub fn chronological(attempts: &[Attempt]) -> Vec<&Attempt> {
    let mut sorted: Vec<&Attempt> = attempts.iter().collect();
    sorted.sort_by_key(|a| a.timestamp);
    sorted
}

/// The latest attempt at each question.
pub fn latest_by_question(attempts: &[Attempt]) -> HashMap<&str, &Attempt> {
    let mut latest: HashMap<&str, &Attempt> = HashMap::new();
    for a in chronological(attempts) {
        latest.insert(&a.question_id, a);
    }
    latest
}

/// Mastery (0–1) of each topic: the mean of its questions' latest fractions.
pub fn topic_mastery(attempts: &[Attempt]) -> HashMap<String, f64> {
    let mut sums: HashMap<String, (f64, usize)> = HashMap::new();
    for a in latest_by_question(attempts).values() {
        let e = sums.entry(a.topic.clone()).or_default();
        e.0 += a.fraction;
        e.1 += 1;
    }
    sums.into_iter()
        .map(|(t, (sum, n))| (t, sum / n as f64))
        .collect()
}

/// The latest score minus the mean of the earlier ones.
pub fn trend(scores: &[f64]) -> Option<f64> {
    let (latest, earlier) = scores.split_last()?;
    if earlier.is_empty() {
        return None;
    }
    let mean = earlier.iter().sum::<f64>() / earlier.len() as f64;
    Some(round1(latest - mean))
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0 + 0.0
}

/// Computes every statistic from attempts (already filtered by `--since`).
pub fn progress(attempts: &[Attempt], since: Option<String>) -> Progress {
    let sorted = chronological(attempts);
    let mastery = topic_mastery(attempts);
    let mut by_topic: BTreeMap<&str, Vec<&Attempt>> = BTreeMap::new();
    for a in &sorted {
        by_topic.entry(&a.topic).or_default().push(a);
    }
    let mut topics: Vec<TopicStats> = by_topic
        .into_iter()
        .map(|(topic, list)| topic_stats(topic, &list, mastery[topic]))
        .collect();
    topics.sort_by(|a, b| a.mastery.total_cmp(&b.mastery).then(a.topic.cmp(&b.topic)));
    Progress {
        schema: "viva.progress/v1",
        since,
        attempts: attempts.len(),
        questions: latest_by_question(attempts).len(),
        first: sorted.first().map(|a| a.timestamp),
        last: sorted.last().map(|a| a.timestamp),
        topics,
        weakest_points: weakest_points(&sorted),
        speaking: speaking(&sorted),
        review: None,
    }
}

fn topic_stats(topic: &str, list: &[&Attempt], mastery: f64) -> TopicStats {
    let scores: Vec<f64> = list.iter().map(|a| a.percent).collect();
    let mut questions: Vec<&str> = list.iter().map(|a| a.question_id.as_str()).collect();
    questions.sort_unstable();
    questions.dedup();
    TopicStats {
        topic: topic.to_string(),
        attempts: list.len(),
        questions: questions.len(),
        mastery: round1(mastery * 100.0),
        best: scores.iter().copied().fold(0.0, f64::max),
        latest: *scores.last().unwrap_or(&0.0),
        trend: trend(&scores),
        recent: scores[scores.len().saturating_sub(RECENT)..].to_vec(),
    }
}

/// Key points most often scored 0, most missed first.
fn weakest_points(sorted: &[&Attempt]) -> Vec<WeakPoint> {
    let mut counts: BTreeMap<(&str, &str), WeakPoint> = BTreeMap::new();
    for a in sorted {
        for p in &a.points {
            let w = counts
                .entry((&a.question_id, &p.id))
                .or_insert_with(|| WeakPoint {
                    topic: a.topic.clone(),
                    question_id: a.question_id.clone(),
                    point_id: p.id.clone(),
                    attempts: 0,
                    missed: 0,
                });
            w.attempts += 1;
            w.missed += usize::from(p.score == 0.0);
        }
    }
    let mut weak: Vec<WeakPoint> = counts.into_values().filter(|w| w.missed > 0).collect();
    // Most misses first; among equals, the larger share of misses.
    weak.sort_by(|a, b| {
        b.missed
            .cmp(&a.missed)
            .then((b.missed * a.attempts).cmp(&(a.missed * b.attempts)))
    });
    weak.truncate(WEAKEST);
    weak
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::testing::attempt;

    #[test]
    fn trend_compares_the_latest_with_the_mean_before_it() {
        assert_eq!(trend(&[]), None);
        assert_eq!(trend(&[50.0]), None);
        assert_eq!(trend(&[20.0, 40.0, 60.0]), Some(30.0));
        assert_eq!(trend(&[80.0, 60.0, 40.0]), Some(-30.0));
    }

    #[test]
    fn mastery_counts_only_the_latest_attempt_at_each_question() {
        let attempts = [
            attempt("q1", "memory", 10.0, "2024-06-01T10:00:00Z"),
            attempt("q1", "memory", 90.0, "2024-06-02T10:00:00Z"),
            attempt("q2", "memory", 50.0, "2024-06-01T11:00:00Z"),
        ];
        let m = topic_mastery(&attempts);
        assert!((m["memory"] - 0.7).abs() < 1e-9);
    }

    #[test]
    fn topics_are_listed_weakest_first_with_their_stats() {
        let attempts = [
            attempt("q1", "oop", 90.0, "2024-06-01T10:00:00Z"),
            attempt("q2", "memory", 20.0, "2024-06-01T11:00:00Z"),
            attempt("q2", "memory", 40.0, "2024-06-02T11:00:00Z"),
        ];
        let p = progress(&attempts, None);
        let names: Vec<_> = p.topics.iter().map(|t| t.topic.as_str()).collect();
        assert_eq!(names, ["memory", "oop"]);
        let memory = &p.topics[0];
        assert_eq!((memory.attempts, memory.questions), (2, 1));
        assert_eq!((memory.best, memory.latest), (40.0, 40.0));
        assert_eq!(memory.trend, Some(20.0));
        assert_eq!(p.questions, 2);
    }

    #[test]
    fn weakest_points_are_those_most_often_scored_zero() {
        // `attempt` scores point `a` 1 from 50% up (else 0), and point `b` 0.
        let attempts = [
            attempt("q1", "oop", 0.0, "2024-06-01T10:00:00Z"),
            attempt("q1", "oop", 100.0, "2024-06-02T10:00:00Z"),
            attempt("q2", "oop", 100.0, "2024-06-02T10:00:00Z"),
        ];
        let w = progress(&attempts, None).weakest_points;
        let ids: Vec<_> = w
            .iter()
            .map(|w| (w.question_id.as_str(), w.point_id.as_str(), w.missed))
            .collect();
        assert_eq!(ids, [("q1", "b", 2), ("q2", "b", 1), ("q1", "a", 1)]);
    }
}
