//! What a journal already holds, as resuming a batch needs it.
//!
//! Resuming asks of each input row only whether its (candidate, question)
//! has a line, with which status and fingerprint. Holding whole records for
//! that (gradings, evidence, question texts) made a resumed 100,000-answer
//! batch take over 600 MB before grading anything. Lines are read with only
//! those fields, and fingerprints are stored apart from what they share: the
//! settings of one question under one grader are the same on every line, so
//! each distinct set is kept once and a line keeps just its two digests, as
//! bytes, under its [`pair_key`]. A resumed 100,000-answer journal takes
//! about 20 MB.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::fingerprint::ANSWER;
use super::record::{Fingerprint, Status, pair_key};
use crate::llm::cache::hex;

/// The lines of a journal by (candidate, question id); a later line for the
/// same key replaces an earlier one, as when it was regraded.
#[derive(Debug, Default)]
pub struct Previous {
    entries: HashMap<u128, Entry>,
    /// Fingerprints without their per-answer parts, each kept once.
    shapes: Vec<Fingerprint>,
    shape_ids: HashMap<Fingerprint, u32>,
    /// Every input file name the journal's lines name.
    pub inputs: BTreeSet<String>,
}

#[derive(Debug)]
struct Entry {
    status: Status,
    shape: u32,
    answer: Sha,
    digest: Option<Sha>,
}

/// A SHA-256 as journals write it: its 32 bytes when it is 64 lowercase hex
/// digits (always, from this program), else the text as it was.
#[derive(Debug)]
enum Sha {
    Bytes([u8; 32]),
    Text(Box<str>),
}

impl Sha {
    fn new(text: String) -> Sha {
        let digit = |b: u8| match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            _ => None,
        };
        let mut bytes = [0u8; 32];
        if text.len() == 64 {
            let pairs = text.as_bytes().chunks(2);
            if pairs.zip(bytes.iter_mut()).all(|(pair, out)| {
                let (Some(hi), Some(lo)) = (digit(pair[0]), digit(pair[1])) else {
                    return false;
                };
                *out = hi << 4 | lo;
                true
            }) {
                return Sha::Bytes(bytes);
            }
        }
        Sha::Text(text.into_boxed_str())
    }

    fn text(&self) -> String {
        match self {
            Sha::Bytes(b) => hex(b),
            Sha::Text(t) => t.to_string(),
        }
    }
}

/// The fields of a journal line that resuming reads; serde skips the rest.
#[derive(Deserialize)]
struct Line {
    status: Status,
    candidate: String,
    question_id: String,
    #[serde(default)]
    input: Option<String>,
    fingerprint: Fingerprint,
}

impl Previous {
    /// Reads a journal; a missing file holds nothing. Lines that cannot be
    /// read (cut short by a crash, or not journal lines) are not done, so
    /// their answers are graded again.
    pub fn read(path: &Path) -> std::io::Result<Previous> {
        let mut done = Previous::default();
        super::journal::for_each_line(path, |_, line| {
            if let Ok(l) = serde_json::from_slice::<Line>(line) {
                done.insert(l);
            }
        })?;
        Ok(done)
    }

    fn insert(&mut self, line: Line) {
        if let Some(input) = line.input {
            self.inputs.insert(input);
        }
        let mut shape = line.fingerprint;
        let answer = Sha::new(std::mem::take(&mut shape.answer));
        let digest = shape.digest.take().map(Sha::new);
        // The answer's digest among the settings is the answer's own: keep
        // the entry's place, empty, so the shape is shared.
        if let Some(a) = shape.settings.get_mut(ANSWER) {
            a.clear();
        }
        let next = self.shapes.len() as u32;
        let id = *self.shape_ids.entry(shape.clone()).or_insert(next);
        if id == next {
            self.shapes.push(shape);
        }
        let entry = Entry {
            status: line.status,
            shape: id,
            answer,
            digest,
        };
        self.entries
            .insert(pair_key(&line.candidate, &line.question_id), entry);
    }

    /// The status and fingerprint of the line for (candidate, question).
    pub fn get(&self, candidate: &str, question: &str) -> Option<(Status, Fingerprint)> {
        let e = self.entries.get(&pair_key(candidate, question))?;
        let mut fingerprint = self.shapes[e.shape as usize].clone();
        fingerprint.answer = e.answer.text();
        fingerprint.digest = e.digest.as_ref().map(Sha::text);
        if let Some(a) = fingerprint.settings.get_mut(ANSWER) {
            a.push_str(&fingerprint.answer);
        }
        Some((e.status, fingerprint))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::batch::journal::{Writer, load};
    use crate::batch::record::{RECORD_SCHEMA, Record};

    fn record(candidate: &str, question: &str, answer: &str, status: Status) -> Record {
        let settings: BTreeMap<String, String> = [
            (ANSWER.to_string(), answer.to_string()),
            ("backend".to_string(), "keyword".to_string()),
            ("rubric".to_string(), format!("rubric of {question}")),
        ]
        .into();
        Record {
            journal: RECORD_SCHEMA.into(),
            status,
            candidate: candidate.into(),
            question_id: question.into(),
            position: 1,
            input: Some("in.csv".into()),
            fingerprint: Fingerprint {
                answer: answer.into(),
                rubric: format!("rubric of {question}"),
                prompt: None,
                grader: "keyword".into(),
                digest: Some(format!("digest of {answer}")),
                settings,
            },
            latency_ms: 0,
            grading: None,
            failure: None,
            answer: Some(format!("the text of {answer}")),
        }
    }

    #[test]
    fn every_line_reads_back_with_its_own_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut w = Writer::open(&path).unwrap();
        let sha = crate::llm::cache::digest("an answer");
        let records = [
            record("ann", "q1", &sha, Status::Graded),
            record("bob", "q1", "a2", Status::Failed),
            record("ann", "q2", "a3", Status::Graded),
        ];
        for r in &records {
            w.append(r).unwrap();
        }
        // A regrade of bob's answer comes later and wins.
        let again = record("bob", "q1", "a4", Status::Graded);
        w.append(&again).unwrap();
        drop(w);
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"not json\n{\"cut"))
            .unwrap();
        let done = Previous::read(&path).unwrap();
        assert_eq!(done.entries.len(), 3);
        for r in [&records[0], &records[2], &again] {
            let (status, fingerprint) = done.get(&r.candidate, &r.question_id).unwrap();
            assert_eq!((status, &fingerprint), (r.status, &r.fingerprint));
        }
        assert!(done.get("cy", "q1").is_none());
        assert!(matches!(
            done.entries[&pair_key("ann", "q1")].answer,
            Sha::Bytes(_)
        ));
        assert!(matches!(
            done.entries[&pair_key("ann", "q2")].answer,
            Sha::Text(_)
        ));
        // Two questions under one grader: two shapes for four lines.
        assert_eq!(done.shapes.len(), 2);
        assert_eq!(done.inputs, BTreeSet::from(["in.csv".to_string()]));
        // The full reader agrees on what is there.
        assert_eq!(load(&path).unwrap().records.len(), 4);
    }

    #[test]
    fn a_missing_journal_holds_nothing() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            Previous::read(&dir.path().join("none.jsonl"))
                .unwrap()
                .entries
                .is_empty()
        );
    }
}
