//! Which follow-up question to ask after an answer, as an interviewer would:
//! the one that probes what the answer missed or only half made.
//!
//! The bank links a question to its follow-ups (`follow_ups`), and a key
//! point can name the follow-up its absence leads to (`leads_to`). The
//! choice only reads the grading and the bank, so it is the same for the
//! keyword and the LLM grader, and deterministic.

use std::collections::HashSet;

use crate::bank::{Bank, Question, derive};
use crate::grade::{Grading, PointResult};

/// Points an overlap reason names at most: the ones sharing most words.
const NAMED: usize = 2;

/// A follow-up question and why it was chosen.
#[derive(Debug, Clone)]
pub struct FollowUp<'b> {
    pub question: &'b Question,
    pub reason: Reason,
}

impl PartialEq for FollowUp<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.question.id == other.question.id && self.reason == other.reason
    }
}

/// Why a follow-up was chosen, for the line that offers it.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// A missed or half-made point names this follow-up (`leads_to`).
    Missed { point: String },
    /// Its rubric shares the most words with the points not fully made;
    /// `points` names those sharing the most.
    Overlap { points: Vec<String> },
    /// Nothing was missed, or nothing it asks about was: it goes deeper.
    Deeper,
}

/// The follow-up to offer after `asked` was graded as `grading`, leaving out
/// the questions `skip` says were already asked; `None` when `asked` has no
/// follow-up left.
///
/// 1. The first point not fully made that names a follow-up with
///    `leads_to`, taking missed points before half-made ones, then the
///    heavier point, then rubric order.
/// 2. Else the linked follow-up whose question and rubric share the most
///    word stems with the texts of the points not fully made; a tie goes to
///    the one listed first in `follow_ups`.
pub fn choose<'b>(
    bank: &'b Bank,
    asked: &Question,
    grading: &Grading,
    skip: &dyn Fn(&str) -> bool,
) -> Option<FollowUp<'b>> {
    let available = |id: &str| bank.question(id).filter(|q| q.id != asked.id && !skip(id));
    let mut short: Vec<&PointResult> = grading.points.iter().filter(|p| p.found() < 1.0).collect();
    short.sort_by(|a, b| {
        a.score
            .total_cmp(&b.score)
            .then(b.weight.total_cmp(&a.weight))
    });
    if let Some(rubric) = bank.rubric(&asked.id) {
        for p in &short {
            let target = rubric
                .points
                .iter()
                .find(|kp| kp.id == p.id)
                .and_then(|kp| kp.leads_to.as_deref())
                .and_then(available);
            if let Some(question) = target {
                return Some(FollowUp {
                    question,
                    reason: Reason::Missed {
                        point: p.id.clone(),
                    },
                });
            }
        }
    }
    let missed: HashSet<String> = short
        .iter()
        .flat_map(|p| {
            stems(&format!(
                "{} {}",
                p.text,
                p.feedback.as_deref().unwrap_or("")
            ))
        })
        .collect();
    let mut best: Option<(usize, &'b Question)> = None;
    for q in asked.follow_ups.iter().filter_map(|id| available(id)) {
        let words = question_words(bank, q);
        let overlap = missed.intersection(&words).count();
        if best.is_none_or(|(b, _)| overlap > b) {
            best = Some((overlap, q));
        }
    }
    let (overlap, question) = best?;
    let reason = if overlap == 0 {
        Reason::Deeper
    } else {
        let words = question_words(bank, question);
        let mut shared: Vec<(usize, &PointResult)> = short
            .iter()
            .map(|p| (stems(&p.text).intersection(&words).count(), *p))
            .filter(|(n, _)| *n > 0)
            .collect();
        shared.sort_by_key(|s| std::cmp::Reverse(s.0));
        let points = shared
            .into_iter()
            .take(NAMED)
            .map(|(_, p)| p.id.clone())
            .collect();
        Reason::Overlap { points }
    };
    Some(FollowUp { question, reason })
}

/// The stems of a question's text and of its rubric's point texts.
fn question_words(bank: &Bank, q: &Question) -> HashSet<String> {
    let mut text = q.text.clone();
    if let Some(r) = bank.rubric(&q.id) {
        for p in &r.points {
            text.push(' ');
            text.push_str(&p.text);
        }
    }
    stems(&text)
}

/// Stems of the content words of `text`, function words left out.
fn stems(text: &str) -> HashSet<String> {
    derive::content_words(text)
        .into_iter()
        .filter(|(norm, _)| !crate::text::is_function_word(norm))
        .map(|(_, stem)| stem)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::keyword::KeywordGrader;

    fn graded(bank: &Bank, id: &str, answer: &str) -> Grading {
        let (q, r) = (bank.question(id).unwrap(), bank.rubric(id).unwrap());
        KeywordGrader::new("test").grade(q, r, answer)
    }

    fn never(_: &str) -> bool {
        false
    }

    #[test]
    fn a_missed_point_that_leads_to_a_follow_up_wins() {
        let bank = Bank::embedded().unwrap();
        let id = "gil-what-it-protects";
        // Covers the one-thread rule and the refcounts, misses blocking I/O.
        let g = graded(
            &bank,
            id,
            "The GIL lets only one thread run Python bytecode at a time. It protects the \
             reference counts of objects from races.",
        );
        let f = choose(&bank, bank.question(id).unwrap(), &g, &never).unwrap();
        // released-on-blocking-io and cpu-bound-needs-processes (weight 2)
        // are missed and heavier than the others that lead somewhere.
        assert_eq!(f.question.id, "gil-release-points");
        assert_eq!(
            f.reason,
            Reason::Missed {
                point: "released-on-blocking-io".into()
            }
        );
        // Once asked, the next missed point's follow-up comes instead.
        let skip = |id: &str| id == "gil-release-points";
        let f = choose(&bank, bank.question(id).unwrap(), &g, &skip).unwrap();
        assert_ne!(f.question.id, "gil-release-points");
        assert!(matches!(f.reason, Reason::Missed { .. }), "{f:?}");
    }

    #[test]
    fn without_leads_to_the_follow_up_nearest_the_missed_points_is_chosen() {
        let bank = Bank::embedded().unwrap();
        let id = "process-file-too-large-for-memory";
        let q = bank.question(id).unwrap();
        assert_eq!(
            q.follow_ups,
            [
                "large-file-memory-efficient-scalable",
                "compressed-file-streaming"
            ]
        );
        let g = graded(&bank, id, "I would read it.");
        let f = choose(&bank, q, &g, &never).unwrap();
        assert!(matches!(f.reason, Reason::Overlap { .. }), "{f:?}");
        // Deterministic: the same grading always gives the same follow-up.
        let again = choose(&bank, q, &g, &never).unwrap();
        assert_eq!(f, again);
    }

    #[test]
    fn nothing_left_to_ask_gives_none() {
        let bank = Bank::embedded().unwrap();
        let id = "process-file-too-large-for-memory";
        let q = bank.question(id).unwrap();
        let g = graded(&bank, id, "I would read it.");
        let all = |f: &str| q.follow_ups.iter().any(|x| x == f);
        assert_eq!(choose(&bank, q, &g, &all), None);
    }
}
