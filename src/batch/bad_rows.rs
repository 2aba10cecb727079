//! Rows that were read but cannot be graded (an unknown question, a second
//! answer to the same question), and the errors file every bad row goes
//! to, so live runs and Batch API imports report bad rows the same way.

use std::io::Write;
use std::path::Path;

use hashbrown::HashTable;

use super::input::{Item, RowError};
use super::record::pair_key;
use crate::bank::Bank;

/// The bad row for an answer to a question the bank does not have (or has
/// no rubric for), with the closest id as a hint.
pub fn unknown_question(bank: &Bank, item: Item) -> RowError {
    let known = bank.question(&item.question_id).is_some();
    let hint = bank.closest_ids(&item.question_id, 1);
    let broken = bank.broken_rubric(&item.question_id);
    let message = if let Some(first) = broken.and_then(<[_]>::first) {
        format!(
            "the rubric of `{}` is broken: {}",
            item.question_id,
            bank.origin.locate(first)
        )
    } else if known {
        format!("question `{}` has no rubric", item.question_id)
    } else if let Some(h) = hint.first() {
        format!(
            "unknown question id `{}` (did you mean `{h}`?)",
            item.question_id
        )
    } else {
        format!("unknown question id `{}`", item.question_id)
    };
    RowError {
        line: item.position,
        kind: "unknown-question".into(),
        message,
        candidate: Some(item.candidate),
        question_id: Some(item.question_id),
    }
}

/// The (candidate, question) pairs seen so far in the input, with the line
/// of each first answer: a later row for the same pair is a bad row of kind
/// `duplicate`, so only the first answer is graded.
///
/// This is the one part of a batch that grows with its answers, so a pair
/// is kept in 17 bytes of table (its control byte included) rather than a
/// `HashMap<u128, u64>`'s 33: 96 bits of its [`pair_key`] (two different
/// pairs of a million-row input share them with odds near one in 10^17)
/// and the line as a `u32`. A 200,000-row batch peaked 12 MB higher than a
/// 20,000-row one with the map, and about 6 MB with this table.
#[derive(Debug, Default)]
pub struct Seen(HashTable<SeenPair>);

/// 96 bits of a pair's key and the line of its first answer (saturated at
/// `u32::MAX`, past which the message says "an earlier line").
type SeenPair = [u32; 4];

impl Seen {
    pub fn check(&mut self, item: &Item) -> Result<(), RowError> {
        let key = pair_key(&item.candidate, &item.question_id);
        // The key is a digest: its low bits are already a uniform hash.
        let hash = key as u64;
        let parts = [key as u32, (key >> 32) as u32, (key >> 64) as u32];
        let same = |e: &SeenPair| e[..3] == parts;
        match self
            .0
            .entry(hash, same, |e| u64::from(e[0]) | u64::from(e[1]) << 32)
        {
            hashbrown::hash_table::Entry::Vacant(e) => {
                let line = u32::try_from(item.position).unwrap_or(u32::MAX);
                e.insert([parts[0], parts[1], parts[2], line]);
                Ok(())
            }
            hashbrown::hash_table::Entry::Occupied(e) => {
                let first = match e.get()[3] {
                    u32::MAX => "an earlier line".to_string(),
                    n => format!("line {n}"),
                };
                Err(RowError {
                    line: item.position,
                    kind: "duplicate".into(),
                    message: format!(
                        "candidate `{}` already answered `{}` at {first}; only that answer is graded",
                        item.candidate, item.question_id
                    ),
                    candidate: Some(item.candidate.clone()),
                    question_id: Some(item.question_id.clone()),
                })
            }
        }
    }
}

/// Starts an errors file afresh: it describes this run's input only.
pub fn reset_errors(path: &Path) {
    // Only a file of our own: `--errors /dev/null` must not delete the device.
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file()) {
        let _ = std::fs::remove_file(path);
    }
}

/// Appends one bad row to the errors file, creating it on the first.
pub fn write_errors_line(out: &mut Option<std::fs::File>, path: &Path, e: &RowError) {
    if out.is_none() {
        *out = std::fs::File::create(path).ok();
    }
    if let Some(f) = out {
        let _ = writeln!(f, "{}", serde_json::to_string(e).unwrap_or_default());
        let _ = f.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(position: u64, candidate: &str, question_id: &str) -> Item {
        Item {
            position,
            candidate: candidate.into(),
            question_id: question_id.into(),
            answer: String::new(),
            audio: None,
        }
    }

    #[test]
    fn only_the_same_candidate_and_question_is_a_duplicate() {
        let mut seen = Seen::default();
        assert!(seen.check(&item(2, "ab", "c")).is_ok());
        // The parts do not run together.
        assert!(seen.check(&item(3, "a", "bc")).is_ok());
        assert!(seen.check(&item(4, "ab", "d")).is_ok());
        let dup = seen.check(&item(5, "ab", "c")).unwrap_err();
        assert_eq!((dup.line, dup.kind.as_str()), (5, "duplicate"));
        assert!(dup.message.contains("at line 2"), "{}", dup.message);
    }

    #[test]
    fn every_pair_of_a_large_input_is_told_apart_through_the_table_growing() {
        let mut seen = Seen::default();
        for i in 0..50_000u64 {
            let (c, q) = (format!("c{i}"), format!("q{}", i % 7));
            assert!(seen.check(&item(i + 2, &c, &q)).is_ok(), "pair {i}");
        }
        for i in (0..50_000u64).step_by(997) {
            let (c, q) = (format!("c{i}"), format!("q{}", i % 7));
            let dup = seen.check(&item(60_000, &c, &q)).unwrap_err();
            assert!(
                dup.message.contains(&format!("at line {};", i + 2)),
                "{}",
                dup.message
            );
        }
    }

    #[test]
    fn a_first_line_past_u32_is_an_earlier_line() {
        let mut seen = Seen::default();
        assert!(
            seen.check(&item(u64::from(u32::MAX) + 5, "ann", "q"))
                .is_ok()
        );
        let dup = seen
            .check(&item(u64::from(u32::MAX) + 9, "ann", "q"))
            .unwrap_err();
        assert!(
            dup.message.contains("at an earlier line;"),
            "{}",
            dup.message
        );
    }

    #[cfg(unix)]
    #[test]
    fn resetting_the_errors_file_removes_only_a_regular_file() {
        // Regression: `--errors /dev/null` deleted /dev/null (run as root),
        // and the next write made it a regular file.
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            reset_errors(&fifo);
            assert!(std::fs::symlink_metadata(&fifo).is_ok(), "a FIFO is kept");
        }
        let file = dir.path().join("errors.jsonl");
        std::fs::write(&file, "old\n").unwrap();
        reset_errors(&file);
        assert!(!file.exists(), "a previous errors file is removed");
    }

    #[test]
    fn a_second_answer_to_the_same_question_is_a_duplicate() {
        let item = |position: u64, candidate: &str| Item {
            position,
            candidate: candidate.into(),
            question_id: "q".into(),
            answer: "a".into(),
            audio: None,
        };
        let mut seen = Seen::default();
        assert!(seen.check(&item(2, "ann")).is_ok());
        assert!(seen.check(&item(3, "bob")).is_ok());
        let e = seen.check(&item(5, "ann")).unwrap_err();
        assert_eq!((e.line, e.kind.as_str()), (5, "duplicate"));
        assert!(e.message.contains("at line 2"), "{}", e.message);
    }
}
