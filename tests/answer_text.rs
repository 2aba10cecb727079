//! The answer's text in the batch journal: recorded by default, left out
//! with `--no-answer-text`, and lines with and without it mixing in one
//! journal across resumed runs.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::viva;

/// An answer with markup, an ampersand, a CRLF line end and indented code.
pub const HOSTILE: &str = "The GIL lets one thread run bytecode at a time.\r\n\
It does not make `x += 1` atomic:\n\n    \
counter += 1  # read & write\n\n\
<script>alert('x')</script> & done.";

/// The same answer as graded: line ends made `\n`.
pub fn hostile_as_graded() -> String {
    HOSTILE.replace("\r\n", "\n")
}

/// A CSV of (candidate, answer) rows for the GIL question.
pub fn write_csv(dir: &Path, rows: &[(&str, &str)]) -> PathBuf {
    let path = dir.join("in.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(["candidate", "question_id", "answer"])
        .unwrap();
    for (candidate, answer) in rows {
        w.write_record([candidate, &"gil-what-it-protects", answer])
            .unwrap();
    }
    w.flush().unwrap();
    path
}

/// Runs `viva batch in.csv` in `dir` with `extra` flags and returns the
/// journal's lines.
pub fn batch(dir: &Path, extra: &[&str]) -> Vec<Value> {
    let out = viva()
        .current_dir(dir)
        .args(["batch", "in.csv"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(dir.join("in.csv.journal.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn by_candidate<'a>(records: &'a [Value], name: &str) -> &'a Value {
    records
        .iter()
        .find(|r| r["candidate"] == name)
        .unwrap_or_else(|| panic!("no record for {name}"))
}

#[test]
fn the_journal_records_each_answer_as_graded() {
    let dir = tempfile::tempdir().unwrap();
    write_csv(
        dir.path(),
        &[("ann", HOSTILE), ("bob", "Only one thread at a time.")],
    );
    let records = batch(dir.path(), &[]);
    assert_eq!(records.len(), 2);
    let ann = by_candidate(&records, "ann");
    assert_eq!(ann["answer"], hostile_as_graded());
    assert_eq!(
        by_candidate(&records, "bob")["answer"],
        "Only one thread at a time."
    );
    // The text is the one the recorded digest covers.
    let digest = ann["fingerprint"]["answer"].as_str().unwrap();
    assert_eq!(digest, sha256(&hostile_as_graded()));
}

#[test]
fn no_answer_text_keeps_answers_out_of_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), &[("ann", HOSTILE)]);
    let records = batch(dir.path(), &["--no-answer-text"]);
    assert_eq!(records.len(), 1);
    assert!(records[0].get("answer").is_none(), "{}", records[0]);
    let line = std::fs::read_to_string(dir.path().join("in.csv.journal.jsonl")).unwrap();
    assert!(!line.contains("counter += 1"), "answer text leaked: {line}");
    assert_eq!(records[0]["status"], "graded");
}

#[test]
fn a_resumed_run_mixes_lines_with_and_without_text() {
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), &[("ann", HOSTILE)]);
    batch(dir.path(), &["--no-answer-text"]);
    write_csv(
        dir.path(),
        &[("ann", HOSTILE), ("bob", "Only one thread at a time.")],
    );
    let records = batch(dir.path(), &[]);
    // Ann is skipped (same fingerprint) and keeps her line; Bob is new.
    assert_eq!(records.len(), 2);
    assert!(by_candidate(&records, "ann").get("answer").is_none());
    assert_eq!(
        by_candidate(&records, "bob")["answer"],
        "Only one thread at a time."
    );
    // A third run reads both kinds of line and skips both answers.
    let out = viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("graded 0, failed 0, skipped 2"),
        "{stderr}"
    );
}

/// SHA-256 in hex, as the journal's fingerprints are written.
fn sha256(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
