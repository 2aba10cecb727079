//! The answer's text in the batch journal: recorded by default, left out
//! with `--no-answer-text`, and lines with and without it mixing in one
//! journal across resumed runs; the HTML report shows it escaped, and says
//! where to read it when the journal has none.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{stdout, viva};

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

fn report(dir: &Path, format: &str) -> String {
    stdout(
        viva()
            .current_dir(dir)
            .env("SOURCE_DATE_EPOCH", "1717243200")
            .args(["report", "in.csv.journal.jsonl", "-f", format]),
    )
}

#[test]
fn the_html_report_shows_the_answer_escaped_as_written() {
    let dir = tempfile::tempdir().unwrap();
    write_csv(
        dir.path(),
        &[("ann", HOSTILE), ("bob", "Only one thread at a time.")],
    );
    batch(dir.path(), &[]);
    let html = report(dir.path(), "html");
    assert!(!html.contains("<script>alert"), "raw script in the report");
    let shown = "<h4>Answer</h4>\n<pre class=\"answer-text\" tabindex=\"0\">\
        The GIL lets one thread run bytecode at a time.\n\
        It does not make `x += 1` atomic:\n\n    \
        counter += 1  # read &amp; write\n\n\
        &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; done.</pre>";
    assert!(html.contains(shown), "no escaped answer in {html}");
    assert!(html.contains("Only one thread at a time.</pre>"));
    assert!(!html.contains("the journal keeps no answer text"));
    // The JSON report's layout does not carry answers; text and Markdown
    // list no answers either.
    for format in ["json", "text", "markdown"] {
        assert!(
            !report(dir.path(), format).contains("counter += 1"),
            "answer text in the {format} report"
        );
    }
}

#[test]
fn without_text_the_html_report_says_where_to_read_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), &[("ann", HOSTILE)]);
    batch(dir.path(), &["--no-answer-text"]);
    let html = report(dir.path(), "html");
    assert!(!html.contains("answer-text\""), "no text, no box");
    assert!(!html.contains("counter += 1"));
    assert!(
        html.contains("the journal keeps no answer text, only the quotes above and its SHA-256")
    );
    assert!(html.contains("read it at position 2 of in.csv"));
}

#[test]
fn an_older_journal_without_text_still_renders() {
    let html = stdout(viva().env("SOURCE_DATE_EPOCH", "1717243200").args([
        "report",
        "tests/fixtures/journals/cohort.jsonl",
        "-f",
        "html",
    ]));
    assert_eq!(html.matches("<details class=\"answer\"").count(), 12);
    assert_eq!(html.matches("the journal keeps no answer text").count(), 12);
    assert!(!html.contains("<pre class=\"answer-text\""));
}

/// SHA-256 in hex, as the journal's fingerprints are written.
fn sha256(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
