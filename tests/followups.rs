//! Follow-up questions: the bank's links and their lint, the follow-up that
//! practice offers after an answer, and a timed mock interview driven
//! through stdin with a fake clock.

use std::path::Path;

use assert_cmd::Command;
use insta::assert_snapshot;

use crate::common::{fixture, run, scrub, viva};

const NOW: &str = "2024-06-15T12:00:00Z";
/// Makes the one-thread point and the refcounts, misses blocking I/O.
const PARTIAL: &str = "The GIL lets only one thread run Python bytecode at a time. It \
    protects the reference counts of objects from races.\n";
const RELEASE: &str = "The GIL is released around blocking I/O such as socket reads and \
    time.sleep. C extensions release it with Py_BEGIN_ALLOW_THREADS around long computations, \
    as NumPy does.\n";

/// A bank in `dir` with the mini bank's rubric for questions `a`, `b`, `c`,
/// whose `follow_ups` lines are given.
fn linked_bank(dir: &Path, links: [&str; 3]) {
    std::fs::create_dir_all(dir.join("questions")).unwrap();
    std::fs::create_dir_all(dir.join("rubrics")).unwrap();
    let rubric = std::fs::read_to_string(fixture("mini-bank/rubrics/list-vs-tuple.toml")).unwrap();
    let mut questions = String::from("topic = \"basics\"\n");
    for (id, line) in ["a", "b", "c"].into_iter().zip(links) {
        questions.push_str(&format!(
            "\n[[question]]\nid = \"{id}\"\nlevel = \"junior\"\ntext = \"What is the difference between a list and a tuple?\"\n{line}\n"
        ));
        let r = rubric.replace(
            "question = \"list-vs-tuple\"",
            &format!("question = \"{id}\""),
        );
        std::fs::write(dir.join(format!("rubrics/{id}.toml")), r).unwrap();
    }
    std::fs::write(dir.join("questions/basics.toml"), questions).unwrap();
}

fn lint(dir: &Path) -> String {
    let out = run(viva().arg("--bank").arg(dir).args(["rubric", "lint"]));
    out.replace(&scrub(&dir.display().to_string()), "[BANK]")
}

#[test]
fn lint_refuses_unknown_ids_self_links_and_cycles() {
    let dir = tempfile::tempdir().unwrap();
    linked_bank(
        dir.path(),
        [
            "follow_ups = [\"b\", \"a\"]",
            "follow_ups = [\"c\", \"no-such-question\"]",
            "follow_ups = [\"a\"]",
        ],
    );
    assert_snapshot!(lint(dir.path()));
}

#[test]
fn lint_accepts_chains_that_branch_and_meet() {
    let dir = tempfile::tempdir().unwrap();
    linked_bank(
        dir.path(),
        ["follow_ups = [\"b\", \"c\"]", "follow_ups = [\"c\"]", ""],
    );
    let out = lint(dir.path());
    assert!(out.starts_with("exit: 0\n"), "{out}");
}

#[test]
fn show_lists_the_follow_ups_and_where_missed_points_lead() {
    let out = run(viva().args(["show", "gil-what-it-protects"]));
    assert!(
        out.contains("follow-up when missed: gil-release-points"),
        "{out}"
    );
    let follow_ups = out.split("Follow-ups\n").nth(1).unwrap_or_default();
    let follow_ups = follow_ups.split("\n\n").next().unwrap_or_default();
    assert_snapshot!(follow_ups);
}

/// `viva practice` offline, with a pinned clock and a history in `dir`.
fn practice(dir: &Path) -> Command {
    let mut cmd = viva();
    cmd.env("VIVA_NOW", NOW)
        .env_remove("VIVA_HISTORY")
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .args(["practice", "--backend", "keyword", "--history"])
        .arg(dir.join("practice.jsonl"));
    cmd
}

fn history_ids(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("practice.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["question_id"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn practice_offers_the_follow_up_a_missed_point_leads_to_and_grades_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(practice(dir.path())
        .args(["--question", "gil-what-it-protects", "--seed", "1"])
        .write_stdin(format!("{PARTIAL}\nf\n{RELEASE}\nq\n")));
    let out = out.replace(&scrub(&dir.path().display().to_string()), "[DIR]");
    assert_snapshot!(out);
    assert_eq!(
        history_ids(dir.path()),
        ["gil-what-it-protects", "gil-release-points"]
    );
}

#[test]
fn a_follow_up_already_asked_is_not_offered_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(practice(dir.path())
        .args(["--question", "gil-what-it-protects"])
        .write_stdin(format!("{PARTIAL}\nf\n{RELEASE}\nn\nq\n")));
    // After the follow-up, `n` moves on; the first question's offer is gone.
    assert_eq!(
        out.matches("Follow-up: gil-release-points").count(),
        1,
        "{out}"
    );
}

/// A mock interview whose clock moves 60 s per line of input.
fn mock(dir: &Path, length: &str) -> Command {
    let mut cmd = practice(dir);
    cmd.env("VIVA_TEST_CLOCK", "60").args([
        "--mock",
        length,
        "--level",
        "senior",
        "--seed",
        "7",
        "--summary-out",
    ]);
    cmd.arg(dir.join("summary.md"));
    cmd
}

#[test]
fn a_mock_interview_asks_follow_ups_stops_when_time_is_up_and_sums_up() {
    let dir = tempfile::tempdir().unwrap();
    // The clock moves a minute per line: an answer and its empty line take
    // two, a pass (an empty line alone) one. Two answers, a pass and one
    // more answer reach the seven minutes, so the last lines go unread.
    let input = format!(
        "{PARTIAL}\n{RELEASE}\n\nA closure keeps variables alive.\n\n{PARTIAL}\n{RELEASE}\n"
    );
    let out = run(mock(dir.path(), "7m")
        .args(["--question", "gil-what-it-protects"])
        .write_stdin(input));
    let out = out.replace(&scrub(&dir.path().display().to_string()), "[DIR]");
    assert_snapshot!("mock_session", out);
    let md = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert_snapshot!("mock_summary_markdown", md);
    let ids = history_ids(dir.path());
    assert_eq!(ids[..2], ["gil-what-it-protects", "gil-release-points"]);
}

#[test]
fn end_of_input_ends_a_mock_interview_early_with_its_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(mock(dir.path(), "30m")
        .args(["--question", "gil-what-it-protects"])
        .write_stdin(PARTIAL));
    assert!(out.starts_with("exit: 0\n"), "{out}");
    assert!(out.contains("1 question(s) in 1:00 of 30:00"), "{out}");
    assert!(!out.contains("Time is up"), "{out}");
}

#[test]
fn q_as_an_answer_ends_a_mock_interview_early_with_its_summary() {
    // `q` used to be graded as an answer to the next question.
    let dir = tempfile::tempdir().unwrap();
    let out = run(mock(dir.path(), "30m")
        .args(["--question", "gil-what-it-protects"])
        .write_stdin(format!("{PARTIAL}\nq\n\n{RELEASE}\n")));
    assert!(out.starts_with("exit: 0\n"), "{out}");
    // Each answer is its lines and an empty line, a minute each: two
    // for the first answer, two for `q`.
    assert!(out.contains("1 question(s) in 4:00 of 30:00"), "{out}");
    assert!(!out.contains("Time is up"), "{out}");
    assert_eq!(out.matches("Answer noted").count(), 1, "{out}");
    assert_eq!(history_ids(dir.path()), ["gil-what-it-protects"]);
    // Piped, `q` alone with no empty line after it ends it too.
    let dir = tempfile::tempdir().unwrap();
    let out = run(mock(dir.path(), "30m")
        .args(["--question", "gil-what-it-protects"])
        .write_stdin("q\n"));
    assert!(out.contains("0 question(s) in 1:00 of 30:00"), "{out}");
    assert!(history_ids(dir.path()).is_empty(), "{out}");
}

#[test]
fn a_bad_mock_length_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&mut mock(dir.path(), "soon"));
    assert!(out.starts_with("exit: 2\n"), "{out}");
    assert!(out.contains("`soon` is not a duration"), "{out}");
}

#[test]
fn a_mock_summary_fits_forty_columns() {
    // The summary's gaps and study hints were wrapped at 88 columns whatever
    // the screen's width.
    let dir = tempfile::tempdir().unwrap();
    let out = run(mock(dir.path(), "30m")
        .env("COLUMNS", "40")
        .args(["--question", "gil-what-it-protects"])
        .write_stdin(PARTIAL));
    let summary = &out[out.find("Mock interview summary").expect("a summary")..];
    assert!(
        summary.contains("The three most important gaps"),
        "{summary}"
    );
    for line in summary.lines() {
        // A path or an id is one word and cannot break.
        let unbreakable = line
            .split_whitespace()
            .any(|w| w.chars().count() > 30 || (w.len() > 1 && w.contains('/')));
        assert!(
            unbreakable || line.chars().count() <= 40,
            "over 40 columns: {line:?}"
        );
    }
}
