//! `viva report` on hand-made journals: every format, journal problems, and
//! hostile journal text in the HTML report.
//!
//! `fixtures/journals/cohort.jsonl` holds four candidates and three
//! questions graded by the real keyword grader, one record marked up as an
//! LLM grading with review flags, a failure, a failure superseded by a later
//! retry, a bad line, a torn last line (a batch still writing), and a
//! candidate and an answer carrying script payloads.

use insta::assert_snapshot;

use crate::common::{code, fixture, run, stdout, viva, write};

const COHORT: &str = "tests/fixtures/journals/cohort.jsonl";

fn report(format: &str) -> String {
    run(viva().args(["report", COHORT, "--format", format]))
}

fn html() -> String {
    stdout(viva().args(["report", COHORT, "-f", "html"]))
}

#[test]
fn report_as_text() {
    assert_snapshot!(report("text"));
}

#[test]
fn report_as_markdown() {
    assert_snapshot!(report("markdown"));
}

#[test]
fn report_as_csv() {
    assert_snapshot!(report("csv"));
}

#[test]
fn report_as_json() {
    assert_snapshot!(report("json"));
}

#[test]
fn html_shows_journal_text_as_text() {
    let html = html();
    // The report has no script of its own, so any <script> came from the data.
    assert!(
        !html.to_lowercase().contains("<script"),
        "raw <script> in HTML"
    );
    assert!(!html.contains("<img"), "raw <img> in HTML");
    assert!(
        !html.contains("document.title='PWNED'"),
        "raw payload in HTML"
    );
    let handler = regex::Regex::new(r"<[a-zA-Z][^>]*\son[a-z]+\s*=").unwrap();
    assert!(
        !handler.is_match(&html),
        "an event-handler attribute in HTML"
    );
    for escaped in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;img src=x onerror=alert(1)&gt;",
        "document.title=&#39;PWNED&#39;",
        "onerror=&quot;document.title",
        "What is Python&#39;s GIL",
    ] {
        assert!(html.contains(escaped), "missing escaped text {escaped}");
    }
}

#[test]
fn html_is_one_self_contained_file() {
    let html = html();
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(!html.contains("src=\"") && !html.contains("href="));
    assert!(html.contains(
        r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">"#
    ));
    assert_eq!(html.matches("<svg").count(), 2, "histogram and topic bars");
    assert!(html.contains("@media print"));
    for section in [
        "Ranking",
        "Questions",
        "Most missed key points",
        "Flagged answers",
    ] {
        assert!(
            html.contains(&format!("<h2>{section}</h2>")),
            "no {section}"
        );
    }
}

#[test]
fn missing_journal_is_a_usage_error() {
    assert_snapshot!(run(viva().args(["report", "no-such.journal.jsonl"])));
}

#[test]
fn a_folder_is_not_a_journal() {
    assert_eq!(code(viva().args(["report", "tests/fixtures"])), 2);
}

#[test]
fn empty_journal_says_so() {
    assert_snapshot!(run(
        viva().args(["report", "tests/fixtures/journals/empty.jsonl"])
    ));
}

#[test]
fn a_journal_of_bad_lines_names_the_first() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "j.jsonl", b"not json\n{}\n");
    let out = run(viva().current_dir(dir.path()).args(["report", "j.jsonl"]));
    assert!(out.starts_with("exit: 2\n"), "{out}");
    assert!(
        out.contains("holds no valid records (2 unreadable lines; line 1:"),
        "{out}"
    );
}

#[test]
fn output_file_matches_stdout_without_colour_or_leftovers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.txt");
    let status = viva()
        .args(["--color", "always", "report", COHORT, "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(status.status.success());
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(!written.contains('\u{1b}'), "colour codes in a file");
    assert_eq!(written, stdout(viva().args(["report", COHORT])));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["report.txt"], "temporary files left behind");
}

// A report must work while `viva batch` appends: the torn line is skipped,
// and the next run sees the record once it is complete.
#[test]
fn a_report_follows_a_growing_journal() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("journals/cohort.jsonl")).unwrap();
    let complete = &text[..=text.rfind('\n').unwrap()];
    let mut record: serde_json::Value =
        serde_json::from_str(complete.lines().next().unwrap()).unwrap();
    record["candidate"] = "Dan Okafor".into();
    let grown = format!("{complete}{record}\n");
    write(dir.path(), "j.jsonl", grown.as_bytes());
    let json = stdout(
        viva()
            .current_dir(dir.path())
            .args(["report", "j.jsonl", "-f", "json"]),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["journal"]["torn_tail"], false);
    assert_eq!(v["counts"]["candidates"], 5);
    let dan = v["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["candidate"] == "Dan Okafor")
        .unwrap();
    assert_eq!(dan["graded"], 1);
}

/// A cohort graded by `viva batch`: `solo` answers one question well and
/// skips two, `full` answers all three (one well), `dee`'s only answer is empty.
fn cohort_with_gaps() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let strong = std::fs::read_to_string(crate::common::example("gil-strong.md")).unwrap();
    let mut w = csv::Writer::from_path(dir.path().join("in.csv")).unwrap();
    w.write_record(["candidate", "question_id", "answer"])
        .unwrap();
    w.write_record(["solo", "gil-what-it-protects", strong.as_str()])
        .unwrap();
    let fair = "A tuple is immutable; defaults are evaluated once at def time.";
    for (q, answer) in [
        ("gil-what-it-protects", strong.as_str()),
        ("list-vs-tuple", fair),
        ("mutable-default-arguments", fair),
    ] {
        w.write_record(["full", q, answer]).unwrap();
    }
    w.write_record(["dee", "list-vs-tuple", ""]).unwrap();
    w.flush().unwrap();
    let out = viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "one bad row");
    dir
}

#[test]
fn missing_answers_rank_as_zero_and_bad_rows_are_listed() {
    // Regression: 1 of 3 answered ranked above all 3 answered, and the empty
    // answer appeared in no report.
    let dir = cohort_with_gaps();
    let text = run(viva()
        .current_dir(dir.path())
        .args(["report", "in.csv.journal.jsonl"]));
    assert_snapshot!(text);
    let skip = stdout(viva().current_dir(dir.path()).args([
        "report",
        "in.csv.journal.jsonl",
        "--missing",
        "skip",
        "-f",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&skip).unwrap();
    assert_eq!(v["ranking"][0]["candidate"], "solo");
    assert_eq!(v["bad_rows"][0]["kind"], "empty-answer");
    let md = stdout(viva().current_dir(dir.path()).args([
        "report",
        "in.csv.journal.jsonl",
        "-f",
        "markdown",
    ]));
    assert!(md.contains("| 1 | full |"), "{md}");
    assert!(md.contains("## Bad rows (not graded)"), "{md}");
    let html = stdout(viva().current_dir(dir.path()).args([
        "report",
        "in.csv.journal.jsonl",
        "-f",
        "html",
    ]));
    assert!(html.contains("<h2>Bad rows (not graded)</h2>"));
    assert!(html.contains("1 of 3"));
}
