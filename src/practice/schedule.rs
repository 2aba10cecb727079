//! Spaced review: when each question is due again, derived from the history.
//!
//! The algorithm is SM-2 (P. A. Woźniak, "Optimization of learning", 1990;
//! the pseudocode on Wikipedia's "SuperMemo" page is the same), chosen over
//! FSRS because it needs no fitted weights and no dependency, and its integer
//! day intervals can be checked by hand. The schedule is never stored: it is
//! replayed from the attempts in time order each time it is needed, so the
//! append-only history stays the only record and nothing new can be lost.
//!
//! Two rules adapt SM-2 to graded answers:
//!
//! - The score fraction maps to SM-2's 0–5 quality by [`rating`]; 60% or
//!   more passes (quality 3 or more).
//! - Only the first attempt at a question on a given UTC day counts as a
//!   review. A retry right after feedback is practice, not recall, and would
//!   otherwise push the question weeks out within minutes.

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::history::Attempt;
use super::progress::chronological;

/// SM-2's starting ease factor.
pub const START_EASE: f64 = 2.5;
/// SM-2's lowest ease factor.
pub const MIN_EASE: f64 = 1.3;
/// The lowest quality that passes a review.
pub const PASS: u8 = 3;

/// SM-2 quality (0–5) of a score fraction (0–1):
///
/// | score      | quality |
/// |------------|---------|
/// | 90% – 100% | 5 |
/// | 75% – 89%  | 4 |
/// | 60% – 74%  | 3 (the lowest pass) |
/// | 40% – 59%  | 2 |
/// | 20% – 39%  | 1 |
/// | under 20%  | 0 |
pub fn rating(fraction: f64) -> u8 {
    // Rounded to the stored percent's precision, so 0.6 - ε still passes.
    let percent = (fraction * 1000.0).round() / 10.0;
    match percent {
        p if p >= 90.0 => 5,
        p if p >= 75.0 => 4,
        p if p >= 60.0 => 3,
        p if p >= 40.0 => 2,
        p if p >= 20.0 => 1,
        _ => 0,
    }
}

/// SM-2 state of one question between reviews.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sm2 {
    /// Passed reviews in a row (SM-2's `n`).
    pub streak: u32,
    /// Ease factor (SM-2's `EF`).
    pub ease: f64,
    /// Days until the next review (SM-2's `I`).
    pub interval: u32,
}

impl Default for Sm2 {
    fn default() -> Self {
        Sm2 {
            streak: 0,
            ease: START_EASE,
            interval: 0,
        }
    }
}

impl Sm2 {
    /// The state after a review of quality `q` (0–5): a pass sets the
    /// interval to 1 day, then 6, then the previous interval times the ease
    /// (before this review's change), rounded; a fail starts over at 1 day.
    /// The ease then moves by `0.1 − (5−q)(0.08 + (5−q)·0.02)`, never below
    /// [`MIN_EASE`].
    pub fn review(self, q: u8) -> Sm2 {
        let q = q.min(5);
        let (streak, interval) = if q >= PASS {
            let interval = match self.streak {
                0 => 1,
                1 => 6,
                _ => (f64::from(self.interval) * self.ease).round() as u32,
            };
            (self.streak + 1, interval)
        } else {
            (0, 1)
        };
        let miss = f64::from(5 - q);
        let ease = (self.ease + (0.1 - miss * (0.08 + miss * 0.02))).max(MIN_EASE);
        Sm2 {
            streak,
            ease,
            interval,
        }
    }
}

/// The review schedule of one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    pub question_id: String,
    pub topic: String,
    /// Attempts that counted as reviews (the first of each day).
    pub reviews: usize,
    /// Reviews after the first that passed, and all reviews after the first.
    pub recalled: usize,
    pub recalls: usize,
    /// Passed reviews in a row.
    pub streak: u32,
    /// SM-2 ease factor, rounded to 2 decimals on output.
    #[serde(serialize_with = "round2")]
    pub ease: f64,
    /// Days from the last review to the next.
    pub interval_days: u32,
    #[serde(serialize_with = "as_string")]
    pub last_review: Timestamp,
    #[serde(serialize_with = "as_string")]
    pub due: Timestamp,
}

fn round2<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((x * 100.0).round() / 100.0)
}

fn as_string<S: serde::Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(t)
}

/// Replays every attempt in time order into one card per question tried,
/// keyed by question id.
pub fn schedule(attempts: &[Attempt]) -> BTreeMap<String, Card> {
    let mut states: BTreeMap<String, (Sm2, Card)> = BTreeMap::new();
    for a in chronological(attempts) {
        let q = rating(a.fraction);
        match states.get_mut(&a.question_id) {
            Some((_, card)) if same_utc_day(card.last_review, a.timestamp) => {}
            Some((sm2, card)) => {
                *sm2 = sm2.review(q);
                card.reviews += 1;
                card.recalls += 1;
                card.recalled += usize::from(q >= PASS);
                update(card, *sm2, a.timestamp);
            }
            None => {
                let sm2 = Sm2::default().review(q);
                let mut card = Card {
                    question_id: a.question_id.clone(),
                    topic: a.topic.clone(),
                    reviews: 1,
                    recalled: 0,
                    recalls: 0,
                    streak: 0,
                    ease: START_EASE,
                    interval_days: 0,
                    last_review: a.timestamp,
                    due: a.timestamp,
                };
                update(&mut card, sm2, a.timestamp);
                states.insert(a.question_id.clone(), (sm2, card));
            }
        }
    }
    states.into_iter().map(|(id, (_, c))| (id, c)).collect()
}

fn update(card: &mut Card, sm2: Sm2, at: Timestamp) {
    card.streak = sm2.streak;
    card.ease = sm2.ease;
    card.interval_days = sm2.interval;
    card.last_review = at;
    card.due = at + SignedDuration::from_hours(24 * i64::from(sm2.interval));
}

fn same_utc_day(a: Timestamp, b: Timestamp) -> bool {
    a.to_zoned(TimeZone::UTC).date() == b.to_zoned(TimeZone::UTC).date()
}

/// Cards due at `now`, most overdue first (then by id).
pub fn due<'c>(cards: impl IntoIterator<Item = &'c Card>, now: Timestamp) -> Vec<&'c Card> {
    let mut due: Vec<&Card> = cards.into_iter().filter(|c| c.due <= now).collect();
    due.sort_by(|a, b| a.due.cmp(&b.due).then(a.question_id.cmp(&b.question_id)));
    due
}

/// The card due soonest after `now`.
pub fn next_due<'c>(cards: impl IntoIterator<Item = &'c Card>, now: Timestamp) -> Option<&'c Card> {
    cards
        .into_iter()
        .filter(|c| c.due > now)
        .min_by(|a, b| a.due.cmp(&b.due).then(a.question_id.cmp(&b.question_id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::testing::attempt;

    /// Intervals after each quality in turn, starting from a new question.
    fn intervals(qualities: &[u8]) -> Vec<u32> {
        let mut s = Sm2::default();
        qualities
            .iter()
            .map(|q| {
                s = s.review(*q);
                s.interval
            })
            .collect()
    }

    #[test]
    fn the_score_maps_to_sm2_quality_with_60_percent_as_the_pass_mark() {
        let q: Vec<u8> = [0.0, 0.19, 0.2, 0.4, 0.5999, 0.6, 0.75, 0.899, 0.9, 1.0]
            .iter()
            .map(|f| rating(*f))
            .collect();
        assert_eq!(q, [0, 0, 1, 2, 3, 3, 4, 4, 5, 5]);
    }

    #[test]
    fn perfect_reviews_follow_the_sm2_intervals() {
        // Hand computation with SM-2: 1, 6, then I·EF with EF before the
        // update; EF rises by 0.1 per quality 5 (2.6, 2.7, 2.8):
        // 6·2.7 = 16.2 → 16, 16·2.8 = 44.8 → 45.
        assert_eq!(intervals(&[5, 5, 5, 5]), [1, 6, 16, 45]);
    }

    #[test]
    fn quality_4_keeps_the_ease_and_3_lowers_it() {
        // q = 4: EF stays 2.5, so 6·2.5 = 15, 15·2.5 = 37.5 → 38.
        assert_eq!(intervals(&[4, 4, 4, 4]), [1, 6, 15, 38]);
        // q = 3: EF falls by 0.14 each time: 2.36, 2.22, 2.08;
        // 6·2.22 = 13.32 → 13, 13·2.08 = 27.04 → 27.
        assert_eq!(intervals(&[3, 3, 3, 3]), [1, 6, 13, 27]);
        let mut s = Sm2::default();
        for _ in 0..4 {
            s = s.review(3);
        }
        assert!((s.ease - 1.94).abs() < 1e-9, "{}", s.ease);
    }

    #[test]
    fn a_lapse_restarts_the_intervals_and_the_ease_never_drops_below_1_3() {
        // 5, 5 → EF 2.7; q = 1 → EF 2.7 − 0.54 = 2.16, interval 1;
        // 4 → EF 2.16, 1; 4 → 6; 4 → 6·2.16 = 12.96 → 13.
        assert_eq!(intervals(&[5, 5, 1, 4, 4, 4]), [1, 6, 1, 1, 6, 13]);
        let mut s = Sm2::default();
        for _ in 0..5 {
            s = s.review(0);
        }
        assert_eq!(s.ease, MIN_EASE);
        assert_eq!((s.streak, s.interval), (0, 1));
    }

    #[test]
    fn the_schedule_is_replayed_from_history_with_one_review_a_day() {
        let attempts = [
            attempt("q1", "oop", 95.0, "2024-06-01T09:00:00Z"),
            // A retry on the same day does not count.
            attempt("q1", "oop", 10.0, "2024-06-01T09:05:00Z"),
            attempt("q1", "oop", 95.0, "2024-06-02T09:00:00Z"),
            attempt("q1", "oop", 30.0, "2024-06-08T09:00:00Z"),
            attempt("q2", "memory", 50.0, "2024-06-03T10:00:00Z"),
        ];
        let cards = schedule(&attempts);
        let q1 = &cards["q1"];
        assert_eq!((q1.reviews, q1.recalls, q1.recalled), (3, 2, 1));
        assert_eq!(q1.interval_days, 1);
        assert_eq!(q1.due.to_string(), "2024-06-09T09:00:00Z");
        let q2 = &cards["q2"];
        assert_eq!(q2.due.to_string(), "2024-06-04T10:00:00Z");
        let now: Timestamp = "2024-06-08T12:00:00Z".parse().unwrap();
        let due: Vec<_> = due(cards.values(), now)
            .iter()
            .map(|c| c.question_id.as_str())
            .collect();
        assert_eq!(due, ["q2"]);
        assert_eq!(next_due(cards.values(), now).unwrap().question_id, "q1");
    }
}
