//! One line of a batch journal: the outcome of grading one answer.
//!
//! A graded line carries the same fields as `viva grade --format json`, plus
//! where the answer came from and fingerprints of everything that decided the
//! result, so a rerun can tell which answers are already done. It also keeps
//! the answer's text, so a report can show it beside its points, unless the
//! run was told not to store answers (`--no-answer-text`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::grade::Grading;

/// Identifies the journal line layout.
pub const RECORD_SCHEMA: &str = "viva.journal/v1";

/// Whether the answer was graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Graded,
    Failed,
}

/// What determined a result; an equal `digest` means a rerun would produce
/// the same grading, so the answer can be skipped. See
/// [`crate::batch::fingerprint`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Fingerprint {
    /// SHA-256 of the answer text.
    pub answer: String,
    /// SHA-256 of the rubric as graded (the whole rubric file's content).
    pub rubric: String,
    /// SHA-256 of the prompt templates; null for the keyword grader.
    pub prompt: Option<String>,
    /// `keyword`, or `llm:<model>@<base url>`.
    pub grader: String,
    /// SHA-256 over every entry of `settings`; absent from journals written
    /// before settings were recorded, which therefore count as changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Each setting that can change a grade, with its value or a digest of
    /// its contents (`evidence policy`, `temperature`, `rubric`...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub settings: BTreeMap<String, String>,
}

/// Why an answer could not be graded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// Stable kind: `endpoint`, `auth`, `invalid-verdict`, `interrupted`.
    pub kind: String,
    pub message: String,
}

/// One journal line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub journal: String,
    pub status: Status,
    pub candidate: String,
    pub question_id: String,
    /// 1-based position of the answer in the input (CSV/JSONL line, or
    /// order in a folder).
    pub position: u64,
    /// The input file (or folder) name the answer came from; absent from
    /// journals written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    pub fingerprint: Fingerprint,
    /// Wall time spent grading, in milliseconds.
    pub latency_ms: u64,
    /// The grading (flattened: the same fields as `viva grade --format json`).
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub grading: Option<Grading>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    /// The answer as graded: the submitted text with subtitle timing and a
    /// byte-order mark removed and line ends made `\n` (its SHA-256 is
    /// `fingerprint.answer`). Absent from journals written before it was
    /// recorded and from runs with `--no-answer-text`. Last, so the rest of
    /// a line stays readable ahead of a long answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

/// A (candidate, question) pair as a 128-bit digest, for sets of every pair
/// of a large batch: 100,000 pairs take 13 MB as strings and 3 MB as
/// digests, and two different pairs share a digest with odds far below one
/// in 10^28.
pub fn pair_key(candidate: &str, question_id: &str) -> u128 {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
    for part in [candidate, question_id] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    let digest = h.finalize();
    u128::from_le_bytes(digest[..16].try_into().expect("16 bytes"))
}
