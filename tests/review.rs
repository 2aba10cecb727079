//! Spaced review: `viva progress` due counts, retention, streak, coverage
//! and recommendation on a written history with a pinned clock;
//! `viva progress --question` side by side; `viva practice --due`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use insta::assert_snapshot;

use crate::common::{run, stdout, viva};

/// The bank's size, which grows with every question added, as `[N]`.
fn bank_size(out: &str) -> String {
    regex::Regex::new(r"of \d+ (topic|question)\(s\)")
        .unwrap()
        .replace_all(out, "of [N] $1(s)")
        .into_owned()
}

const NOW: &str = "2024-06-15T08:00:00Z";

/// One history line with two points scored by `percent` (like a keyword
/// grading would store), optionally with the answer text.
fn line(q: &str, topic: &str, percent: f64, at: &str, answer: Option<&str>) -> String {
    let (a, b) = match percent {
        p if p >= 90.0 => (1.0, 1.0),
        p if p >= 50.0 => (1.0, 0.5),
        p if p >= 20.0 => (0.5, 0.0),
        _ => (0.0, 0.0),
    };
    let mut v = serde_json::json!({
        "schema": "viva.practice/v1",
        "timestamp": at,
        "question_id": q,
        "topic": topic,
        "level": "senior",
        "percent": percent,
        "fraction": percent / 100.0,
        "backend": "keyword",
        "points": [
            {"id": "first-point", "score": a, "weight": 2.0},
            {"id": "second-point", "score": b, "weight": 1.0},
        ],
        "misconceptions": [],
    });
    if let Some(text) = answer {
        v["answer"] = text.into();
    }
    v.to_string()
}

/// A history in `dir`:
/// - closures: 95% on 06-10, 95% on 06-11 → due 06-17 (interval 6);
/// - memory-management-refcount-gc: 30% on 06-12 → overdue since 06-13;
/// - gil-what-it-protects: 70% on 06-14 → due 06-15 09:00, later today,
///   with an old line without the answer text and a same-day retry.
fn history(dir: &Path) -> PathBuf {
    let path = dir.join("practice.jsonl");
    let lines = [
        line("closures", "functions", 95.0, "2024-06-10T09:00:00Z", None),
        line("closures", "functions", 95.0, "2024-06-11T09:00:00Z", None),
        line(
            "memory-management-refcount-gc",
            "memory",
            30.0,
            "2024-06-12T09:00:00Z",
            Some("Reference counting frees objects."),
        ),
        line(
            "gil-what-it-protects",
            "concurrency",
            40.0,
            "2024-06-14T09:00:00Z",
            None,
        ),
        line(
            "gil-what-it-protects",
            "concurrency",
            70.0,
            "2024-06-14T09:10:00Z",
            Some("The GIL protects reference counts; I/O releases it."),
        ),
    ];
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn progress(history: &Path) -> Command {
    let mut cmd = viva();
    cmd.env("VIVA_NOW", NOW)
        .env_remove("VIVA_HISTORY")
        .arg("progress")
        .arg("--history")
        .arg(history);
    cmd
}

#[test]
fn progress_shows_what_is_due_today_and_this_week() {
    let dir = tempfile::tempdir().unwrap();
    assert_snapshot!(bank_size(&run(&mut progress(&history(dir.path())))));
}

#[test]
fn progress_json_carries_the_review() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(progress(&history(dir.path())).args(["--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = &v["review"];
    assert_eq!(r["due_today"], 2);
    assert_eq!(r["due_this_week"], 3);
    assert_eq!(
        r["due_now"][0]["question_id"],
        "memory-management-refcount-gc"
    );
    assert_eq!(r["next_due"]["question_id"], "gil-what-it-protects");
    assert_eq!(r["streak_days"], 1);
    assert_eq!(r["coverage"]["topics_tried"], 3);
    assert_eq!(r["coverage"]["questions_tried"], 3);
    assert_eq!(r["retention"][0]["topic"], "functions");
    assert_eq!(r["retention"][0]["percent"], 100.0);
    assert_eq!(r["recommendation"]["command"], "viva practice --due");
}

#[test]
fn progress_question_compares_attempts_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    assert_snapshot!(run(
        progress(&history(dir.path())).args(["--question", "gil-what-it-protects"])
    ));
}

#[test]
fn progress_question_as_json_lists_points_gained() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(progress(&history(dir.path())).args([
        "--question",
        "gil-what-it-protects",
        "-f",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "viva.progress-question/v1");
    assert_eq!(v["changes"][0]["delta"], 30.0);
    assert_eq!(v["changes"][0]["gained"][0], "first-point");
    assert_eq!(v["attempts"][0]["answer"], serde_json::Value::Null);
    assert_eq!(v["schedule"]["interval_days"], 1);
}

#[test]
fn progress_question_rejects_an_unknown_id() {
    let dir = tempfile::tempdir().unwrap();
    assert_snapshot!(run(
        progress(&history(dir.path())).args(["--question", "gil-what-it-protect"])
    ));
}

fn practice(history: &Path, now: &str) -> Command {
    let mut cmd = viva();
    cmd.env("VIVA_NOW", now)
        .env_remove("VIVA_HISTORY")
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .args(["practice", "--backend", "keyword", "--due", "--history"])
        .arg(history);
    cmd
}

#[test]
fn practice_due_with_nothing_due_says_when_the_next_one_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = history(dir.path());
    let out = run(practice(&path, NOW).args(["--topic", "functions"]));
    assert_snapshot!(out);
}

#[test]
fn practice_due_asks_the_due_question_and_keeps_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let path = history(dir.path());
    let answer = "Reference counting frees most objects; the cycle collector finds cycles.";
    practice(&path, NOW)
        .args(["--seed", "1"])
        .write_stdin(format!("{answer}\n\nq\n"))
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).unwrap();
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(last["question_id"], "memory-management-refcount-gc");
    assert_eq!(last["answer"], answer);
}
