//! Pairing journal answers with human score rows.
//!
//! A journal line carries from its batch input row the candidate and the
//! question id (the key a batch resumes and merges on), so that pair is the
//! answer's key here too. The last record per key wins, as in `viva report`;
//! an answer whose last record failed has no score and is counted, not
//! compared.

use std::collections::{BTreeMap, BTreeSet};

use super::humans::Humans;
use crate::batch::record::Record;

/// Candidate and question id.
pub type Key = (String, String);

/// viva's score fraction per answer, from the last record of each key.
#[derive(Debug, Default)]
pub struct Scored {
    pub fractions: BTreeMap<Key, f64>,
    /// Answers whose last record is a failure.
    pub failed: BTreeSet<Key>,
}

pub fn scored(records: &[Record]) -> Scored {
    let mut latest: BTreeMap<Key, &Record> = BTreeMap::new();
    for r in records {
        latest.insert(
            (
                r.candidate.trim().to_string(),
                r.question_id.trim().to_string(),
            ),
            r,
        );
    }
    let mut out = Scored::default();
    for (key, r) in latest {
        match &r.grading {
            Some(g) => {
                out.fractions.insert(key, g.total.fraction.clamp(0.0, 1.0));
            }
            None => {
                out.failed.insert(key);
            }
        }
    }
    out
}

/// An answer scored by viva and by every human column.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub candidate: String,
    pub question_id: String,
    /// viva's score fraction, 0–1.
    pub fraction: f64,
    /// Human scores, in column order.
    pub scores: Vec<f64>,
}

/// The answers found on both sides, ordered by question then candidate.
#[derive(Debug, Default)]
pub struct Joined {
    pub answers: Vec<Answer>,
    /// Scored journal answers without a human row.
    pub journal_only: usize,
}

pub fn join(scored: &Scored, humans: &Humans) -> Joined {
    let rows: BTreeMap<Key, &[f64]> = humans
        .rows
        .iter()
        .map(|r| {
            (
                (r.candidate.clone(), r.question_id.clone()),
                r.scores.as_slice(),
            )
        })
        .collect();
    let mut out = Joined::default();
    let mut answers: Vec<Answer> = Vec::new();
    for (key, &fraction) in &scored.fractions {
        match rows.get(key) {
            Some(scores) => answers.push(Answer {
                candidate: key.0.clone(),
                question_id: key.1.clone(),
                fraction,
                scores: scores.to_vec(),
            }),
            None => out.journal_only += 1,
        }
    }
    answers.sort_by(|a, b| (&a.question_id, &a.candidate).cmp(&(&b.question_id, &b.candidate)));
    out.answers = answers;
    out
}

/// Human rows matching none of the given journals' answers.
pub fn humans_only(humans: &Humans, journals: &[&Scored]) -> usize {
    let keys: BTreeSet<&Key> = journals
        .iter()
        .flat_map(|s| s.fractions.keys().chain(&s.failed))
        .collect();
    humans
        .rows
        .iter()
        .filter(|r| !keys.contains(&(r.candidate.clone(), r.question_id.clone())))
        .count()
}
