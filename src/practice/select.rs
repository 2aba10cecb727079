//! Choosing the next practice question.
//!
//! Questions due for review (see [`super::schedule`]) come first: when any
//! question of the pool is due, the choice is made among the due ones only.
//! Otherwise, or among the due ones, practice pays off most on what the
//! candidate does not know yet, so the choice is weighted in two steps: first a topic, favouring low mastery
//! (every 10 points less mastery doubles a topic's chance; untried topics
//! count as 50%), then a question within it, favouring questions never tried
//! or not tried for a while (a question answered today is rarely repeated;
//! its chance grows back over [`REST_DAYS`], sooner when it went badly).
//! It stays random so a session does not grind one question, and is seeded
//! so `--seed` gives a repeatable session.

use std::collections::HashMap;

use fastrand::Rng;
use jiff::Timestamp;

use super::history::Attempt;
use super::progress::{latest_by_question, topic_mastery};
use super::schedule::schedule;
use crate::bank::{Bank, Level, Question};
use crate::error::{Error, Result};

/// Mastery assumed for a topic with no attempts yet.
pub const UNTRIED_MASTERY: f64 = 0.5;
/// Days after which a question answered perfectly is back at full weight.
pub const REST_DAYS: f64 = 14.0;
/// Weight of a question answered moments ago.
pub const MIN_QUESTION_WEIGHT: f64 = 0.02;

/// The questions `--topic` and `--level` allow (only those with a rubric),
/// rejecting unknown values the way `viva questions` does.
pub fn pool<'b>(
    bank: &'b Bank,
    topic: Option<&str>,
    level: Option<&str>,
) -> Result<Vec<&'b Question>> {
    let topics = bank.topics();
    let topic = match topic {
        Some(t) => Some(bank.find_topic(t).ok_or_else(|| {
            Error::usage(
                format!("unknown topic `{t}`"),
                format!("topics: {}", topics.join(", ")),
            )
        })?),
        None => None,
    };
    let level: Option<Level> = level
        .map(|l| {
            l.parse()
                .map_err(|e: String| Error::usage(e, "use --level junior, middle or senior"))
        })
        .transpose()?;
    let pool: Vec<&Question> = bank
        .questions()
        .iter()
        .filter(|q| topic.is_none_or(|t| q.topic == t))
        .filter(|q| level.is_none_or(|l| q.level == l))
        .filter(|q| bank.has_rubric(&q.id))
        .collect();
    if pool.is_empty() {
        return Err(Error::usage(
            "no question with a rubric matches --topic and --level",
            "`viva questions --topic T --level L` lists what there is",
        ));
    }
    Ok(pool)
}

/// A topic's weight: doubles with every 10 points less mastery.
pub fn topic_weight(mastery: Option<f64>) -> f64 {
    let weakness = 1.0 - mastery.unwrap_or(UNTRIED_MASTERY).clamp(0.0, 1.0);
    2f64.powf(weakness * 10.0)
}

/// A question's weight from its latest attempt: 1 when never tried, near 0
/// just after, growing back linearly, twice as fast after a score of 0.
pub fn question_weight(latest: Option<&Attempt>, now: Timestamp) -> f64 {
    let Some(a) = latest else { return 1.0 };
    let days = now.duration_since(a.timestamp).as_secs_f64() / 86_400.0;
    let speed = 2.0 - a.fraction.clamp(0.0, 1.0);
    (days.max(0.0) / REST_DAYS * speed).clamp(MIN_QUESTION_WEIGHT, 1.0)
}

/// The questions of `pool` due for review at `now`, most overdue first.
pub fn due_pool<'q>(
    pool: &[&'q Question],
    history: &[Attempt],
    now: Timestamp,
) -> Vec<&'q Question> {
    let cards = schedule(history);
    let mut due: Vec<(&Question, Timestamp)> = pool
        .iter()
        .filter_map(|q| cards.get(&q.id).map(|c| (*q, c.due)))
        .filter(|(_, due)| *due <= now)
        .collect();
    due.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.id.cmp(&b.0.id)));
    due.into_iter().map(|(q, _)| q).collect()
}

/// `viva practice --due` found nothing due; says when the next review is.
#[derive(Debug, Clone, PartialEq)]
pub struct NothingDue {
    /// The question of the pool due soonest, and when.
    pub next: Option<(String, Timestamp)>,
}

impl std::fmt::Display for NothingDue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Nothing is due for review.")?;
        match &self.next {
            Some((id, at)) => writeln!(
                f,
                " The next one is {id}, due {}.",
                at.to_zoned(jiff::tz::TimeZone::UTC)
                    .strftime("%Y-%m-%d %H:%M UTC")
            ),
            None => writeln!(
                f,
                " Nothing has been practised yet: run `viva practice` to start."
            ),
        }
    }
}

/// The due part of `pool` for `--due`, or when the next review is.
pub fn only_due<'q>(
    pool: &[&'q Question],
    history: &[Attempt],
    now: Timestamp,
) -> std::result::Result<Vec<&'q Question>, NothingDue> {
    let due = due_pool(pool, history, now);
    if !due.is_empty() {
        return Ok(due);
    }
    let cards = schedule(history);
    let in_pool = pool.iter().filter_map(|q| cards.get(&q.id));
    let next = super::schedule::next_due(in_pool, now).map(|c| (c.question_id.clone(), c.due));
    Err(NothingDue { next })
}

/// Picks the next question from `pool`, avoiding `avoid` (the question just
/// practised) unless it is the only one. Due questions come first.
pub fn choose<'q>(
    pool: &[&'q Question],
    history: &[Attempt],
    now: Timestamp,
    avoid: Option<&str>,
    rng: &mut Rng,
) -> Option<&'q Question> {
    let candidates: Vec<&Question> = if pool.len() > 1 {
        let others = pool.iter().filter(|q| Some(q.id.as_str()) != avoid);
        others.copied().collect()
    } else {
        pool.to_vec()
    };
    let due = due_pool(&candidates, history, now);
    let candidates = if due.is_empty() { candidates } else { due };
    let mastery = topic_mastery(history);
    let latest = latest_by_question(history);
    let mut topics: Vec<&str> = Vec::new();
    for q in &candidates {
        if !topics.contains(&q.topic.as_str()) {
            topics.push(&q.topic);
        }
    }
    let topic_weights: Vec<f64> = topics
        .iter()
        .map(|t| topic_weight(mastery.get(*t).copied()))
        .collect();
    let topic = topics[pick(&topic_weights, rng)?];
    let in_topic: Vec<&Question> = candidates
        .into_iter()
        .filter(|q| q.topic == topic)
        .collect();
    let weights = question_weights(&in_topic, &latest, now);
    Some(in_topic[pick(&weights, rng)?])
}

fn question_weights(
    questions: &[&Question],
    latest: &HashMap<&str, &Attempt>,
    now: Timestamp,
) -> Vec<f64> {
    questions
        .iter()
        .map(|q| question_weight(latest.get(q.id.as_str()).copied(), now))
        .collect()
}

/// Index drawn with probability proportional to its weight.
fn pick(weights: &[f64], rng: &mut Rng) -> Option<usize> {
    let total: f64 = weights.iter().sum();
    if weights.is_empty() || total <= 0.0 {
        return None;
    }
    let mut r = rng.f64() * total;
    for (i, w) in weights.iter().enumerate() {
        if r < *w {
            return Some(i);
        }
        r -= w;
    }
    Some(weights.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::testing::attempt;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn ten_points_less_mastery_doubles_a_topics_weight() {
        let w = |m| topic_weight(Some(m));
        assert!((w(0.3) / w(0.4) - 2.0).abs() < 1e-9);
        assert_eq!(topic_weight(None), w(UNTRIED_MASTERY));
        assert!(w(0.0) > w(1.0));
    }

    #[test]
    fn recently_practised_questions_come_back_slowly_bad_ones_sooner() {
        let now = ts("2024-06-15T12:00:00Z");
        assert_eq!(question_weight(None, now), 1.0);
        let today = attempt("q", "t", 100.0, "2024-06-15T11:00:00Z");
        assert_eq!(question_weight(Some(&today), now), MIN_QUESTION_WEIGHT);
        let week_good = attempt("q", "t", 100.0, "2024-06-08T12:00:00Z");
        let week_bad = attempt("q", "t", 0.0, "2024-06-08T12:00:00Z");
        assert!((question_weight(Some(&week_good), now) - 0.5).abs() < 1e-9);
        assert_eq!(question_weight(Some(&week_bad), now), 1.0);
    }

    #[test]
    fn weak_topics_are_chosen_far_more_often() {
        let bank = Bank::embedded().unwrap();
        let pool: Vec<&Question> = bank.questions().iter().collect();
        let mut history = Vec::new();
        for (i, t) in bank.topics().iter().enumerate() {
            let q = pool.iter().find(|q| q.topic == *t).unwrap();
            let percent = if *t == "memory" { 10.0 } else { 90.0 };
            let at = format!("2024-05-{:02}T10:00:00Z", i + 1);
            history.push(attempt(&q.id, t, percent, &at));
        }
        let now = ts("2024-06-01T12:00:00Z");
        let memory = (0..100)
            .filter(|seed| {
                let mut rng = Rng::with_seed(*seed);
                choose(&pool, &history, now, None, &mut rng).unwrap().topic == "memory"
            })
            .count();
        assert!(memory >= 90, "memory chosen {memory} times in 100");
    }

    #[test]
    fn the_same_seed_gives_the_same_question_and_avoid_is_honoured() {
        let bank = Bank::embedded().unwrap();
        let pool: Vec<&Question> = bank.questions().iter().collect();
        let now = ts("2024-06-01T12:00:00Z");
        let a = choose(&pool, &[], now, None, &mut Rng::with_seed(7)).unwrap();
        let b = choose(&pool, &[], now, None, &mut Rng::with_seed(7)).unwrap();
        assert_eq!(a.id, b.id);
        let one = [a];
        let again = choose(&one, &[], now, Some(&a.id), &mut Rng::with_seed(1));
        assert_eq!(
            again.unwrap().id,
            a.id,
            "a pool of one repeats its question"
        );
        let pair = [pool[0], pool[1]];
        for seed in 0..20 {
            let q = choose(
                &pair,
                &[],
                now,
                Some(&pool[0].id),
                &mut Rng::with_seed(seed),
            );
            assert_eq!(q.unwrap().id, pool[1].id);
        }
    }

    #[test]
    fn due_questions_come_first() {
        let bank = Bank::embedded().unwrap();
        let pool: Vec<&Question> = bank.questions().iter().collect();
        // A failed attempt two days ago is due; a new question is not.
        let due_one = pool[3];
        let history = [attempt(
            &due_one.id,
            &due_one.topic,
            10.0,
            "2024-05-30T10:00:00Z",
        )];
        let now = ts("2024-06-01T12:00:00Z");
        let due: Vec<&str> = due_pool(&pool, &history, now)
            .iter()
            .map(|q| q.id.as_str())
            .collect();
        assert_eq!(due, [due_one.id.as_str()]);
        for seed in 0..20 {
            let q = choose(&pool, &history, now, None, &mut Rng::with_seed(seed));
            assert_eq!(q.unwrap().id, due_one.id);
        }
        // Not due yet the moment after: back to the weighted choice.
        let just_now = ts("2024-05-30T10:01:00Z");
        assert!(due_pool(&pool, &history, just_now).is_empty());
    }

    #[test]
    fn pool_rejects_unknown_topics_and_levels() {
        let bank = Bank::embedded().unwrap();
        let err = pool(&bank, Some("cooking"), None).unwrap_err();
        assert!(err.to_string().contains("unknown topic `cooking`"));
        assert!(pool(&bank, None, Some("principal")).is_err());
        let memory = pool(&bank, Some("memory"), Some("senior")).unwrap();
        assert!(
            memory
                .iter()
                .all(|q| q.topic == "memory" && q.level == Level::Senior)
        );
    }
}
