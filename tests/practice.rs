//! `viva practice` driven through stdin (and a fake `$EDITOR`, and SIGINT),
//! and `viva progress` on a fixture history.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use insta::assert_snapshot;

use crate::common::{code, example, fixture, run, scrub, stdout, viva, write};

const NOW: &str = "2024-06-15T12:00:00Z";
const PARTIAL: &str = "The GIL is the global interpreter lock. Only one thread can run Python \
    code at a time, so threads are not good for CPU heavy work and you should use \
    multiprocessing instead.\n";
const BETTER: &str = "The GIL protects reference counts. Blocking I/O releases the GIL, so \
    threads still help I/O-bound work.\n";

/// `viva practice` offline, with a pinned clock and a history in `dir`.
fn practice(dir: &Path) -> Command {
    let mut cmd = viva();
    cmd.env("VIVA_NOW", NOW)
        .env_remove("VIVA_HISTORY")
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .args(["practice", "--backend", "keyword", "--history"])
        .arg(history(dir));
    cmd
}

fn history(dir: &Path) -> PathBuf {
    dir.join("practice.jsonl")
}

/// The history's lines, parsed.
fn lines(dir: &Path) -> Vec<serde_json::Value> {
    match std::fs::read_to_string(history(dir)) {
        Ok(text) => text
            .lines()
            .map(|l| serde_json::from_str(l).expect("valid history line"))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Snapshot text with the tempdir replaced.
fn run_in(dir: &Path, cmd: &mut Command) -> String {
    run(cmd).replace(&scrub(&dir.display().to_string()), "[DIR]")
}

#[test]
fn answer_then_quit_shows_the_feedback_screen() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(
        dir.path(),
        practice(dir.path())
            .args([
                "--question",
                "gil-what-it-protects",
                "--reveal",
                "--seed",
                "1",
            ])
            .write_stdin(format!("{PARTIAL}\nq\n")),
    );
    assert_snapshot!(out);
    let h = lines(dir.path());
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["question_id"], "gil-what-it-protects");
    assert_eq!(h[0]["timestamp"], NOW);
    assert_eq!(h[0]["backend"], "keyword");
    assert_eq!(h[0]["points"].as_array().unwrap().len(), 6);
}

/// A point the answer states the opposite of is shown under "Not quite
/// right" with the candidate's words, what it cost and what is true, as a
/// misconception is: it is what someone practising most needs to unlearn.
#[test]
fn a_point_stated_the_other_way_round_is_shown_as_not_quite_right() {
    let dir = tempfile::tempdir().unwrap();
    let wrong = "The GIL is held during blocking I/O, so threads cannot overlap network \
        waits. CPU-bound work needs multiprocessing for parallelism.\n";
    let out = run_in(
        dir.path(),
        practice(dir.path())
            .args(["--question", "gil-what-it-protects", "--seed", "1"])
            .write_stdin(format!("{wrong}\nq\n")),
    );
    let not_quite = &out[out
        .find("Not quite right")
        .expect("a Not quite right section")..];
    assert!(not_quite.contains("! released-on-blocking-io"), "{out}");
    assert!(not_quite.contains("−18.2%"), "{out}");
    assert!(
        not_quite.contains("“The GIL is held during blocking I/O"),
        "{out}"
    );
    assert!(
        not_quite.contains("→ The GIL is released during blocking I/O"),
        "{out}"
    );
    assert_snapshot!(out);
}

#[test]
fn retry_grades_the_same_question_again_and_compares() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(
        practice(dir.path())
            .args(["--question", "gil-what-it-protects"])
            .write_stdin(format!("{PARTIAL}\nr\n{BETTER}\nq\n")),
    );
    assert!(
        out.contains("── Question 1, try 2 · concurrency · senior"),
        "{out}"
    );
    assert!(out.contains("last time 36.4% ("), "{out}");
    let h = lines(dir.path());
    let ids: Vec<_> = h
        .iter()
        .map(|a| a["question_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["gil-what-it-protects", "gil-what-it-protects"]);
    assert_ne!(h[0]["percent"], h[1]["percent"]);
}

#[test]
fn next_moves_on_to_another_question() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(
        practice(dir.path())
            .args(["--question", "gil-what-it-protects", "--seed", "4"])
            .write_stdin(format!(
                "{PARTIAL}\nn\nA closure keeps variables alive.\n\nq\n"
            )),
    );
    assert!(out.contains("── Question 2 · "), "{out}");
    assert!(out.contains("Graded 2 answer(s) this session"), "{out}");
    let h = lines(dir.path());
    assert_eq!(h.len(), 2);
    assert_ne!(h[0]["question_id"], h[1]["question_id"]);
}

#[test]
fn eof_at_the_prompt_quits_cleanly_keeping_the_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = practice(dir.path());
    cmd.args(["--question", "gil-what-it-protects"])
        .write_stdin(format!("{PARTIAL}\n"));
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.ends_with("`viva progress` shows your mastery per topic.\n"),
        "{text}"
    );
    assert_eq!(lines(dir.path()).len(), 1);
}

#[test]
fn eof_before_any_answer_grades_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(practice(dir.path()).args(["--seed", "1"]).write_stdin(""));
    assert!(out.ends_with("Nothing graded this session.\n"), "{out}");
    assert!(!history(dir.path()).exists());
}

#[test]
fn an_empty_answer_is_skipped_and_the_prompt_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(
        practice(dir.path())
            .args(["--question", "gil-what-it-protects"])
            .write_stdin("\nx\nr\nThe GIL is a lock.\n\nq\n"),
    );
    assert!(out.contains("No answer given; nothing graded."), "{out}");
    assert!(out.contains("Type n, r or q."), "{out}");
    assert_eq!(lines(dir.path()).len(), 1);
}

#[test]
fn the_editor_writes_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    // Appends an answer to the file it is given; run as `sh SCRIPT` to show
    // that an editor command with arguments works (like `code -w`).
    let script = write(
        dir.path(),
        "fake-editor.sh",
        format!("grep -q '^# gil-what-it-protects' \"$1\" || exit 3\nprintf '%s' '{PARTIAL}' >> \"$1\"\n")
            .as_bytes(),
    );
    let out = stdout(
        practice(dir.path())
            .env("EDITOR", format!("sh {}", script.display()))
            .args(["--editor", "--question", "gil-what-it-protects"])
            .write_stdin("q\n"),
    );
    assert!(out.contains("✓ one-thread-at-a-time"), "{out}");
    let h = lines(dir.path());
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["percent"], 36.4);
}

#[test]
fn the_editor_must_be_configured() {
    let dir = tempfile::tempdir().unwrap();
    assert_snapshot!(run_in(dir.path(), practice(dir.path()).arg("--editor")));
}

#[test]
fn an_answer_file_is_graded_for_the_first_question() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(
        practice(dir.path())
            .args(["--question", "gil-what-it-protects", "--answer-file"])
            .arg(example("gil-spoken.srt"))
            .write_stdin(""),
    );
    assert!(
        out.contains("Answer from ") && out.contains("gil-spoken.srt"),
        "{out}"
    );
    let h = lines(dir.path());
    assert_eq!(h.len(), 1);
    assert!(h[0]["percent"].as_f64().unwrap() > 0.0);
}

#[test]
fn a_bad_answer_file_fails_before_any_question() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.txt", b"");
    let mut cmd = practice(dir.path());
    cmd.arg("--answer-file").arg(&empty);
    assert_eq!(code(&mut cmd), 4);
}

#[test]
fn unknown_topic_level_and_question_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let topic = run_in(d, practice(d).args(["--topic", "cooking"]));
    let level = run_in(d, practice(d).args(["--level", "principal"]));
    let question = run_in(d, practice(d).args(["--question", "gil-what-it-protect"]));
    assert_snapshot!(format!("{topic}\n{level}\n{question}"));
}

/// Writes a history where every topic scored 90% except `weak` at 10%.
fn history_with_one_weak_topic(dir: &Path, weak: &str) {
    let bank = stdout(viva().args(["questions", "--format", "json"]));
    let questions: Vec<serde_json::Value> = serde_json::from_str(&bank).unwrap();
    let mut seen = Vec::new();
    let mut text = String::new();
    for q in &questions {
        let topic = q["topic"].as_str().unwrap();
        if seen.contains(&topic) {
            continue;
        }
        seen.push(topic);
        let percent = if topic == weak { 10.0 } else { 90.0 };
        let line = serde_json::json!({
            "schema": "viva.practice/v1",
            "timestamp": "2024-06-01T10:00:00Z",
            "question_id": q["id"],
            "topic": topic,
            "level": q["level"],
            "percent": percent,
            "fraction": percent / 100.0,
            "backend": "keyword",
            "points": [{"id": "p", "score": 0.0, "weight": 1.0}],
            "misconceptions": [],
        });
        text.push_str(&format!("{line}\n"));
    }
    std::fs::write(history(dir), text).unwrap();
}

/// The topic of the first question a seeded session asks.
fn first_topic(dir: &Path, seed: u64) -> String {
    let out = stdout(
        practice(dir)
            .args(["--seed", &seed.to_string()])
            .write_stdin(""),
    );
    let header = out
        .lines()
        .find(|l| l.starts_with("── Question 1 · "))
        .unwrap_or_else(|| panic!("no question header in {out}"));
    header.split(" · ").nth(1).unwrap().to_string()
}

#[test]
fn weak_topics_are_favoured_and_seeds_repeat() {
    let dir = tempfile::tempdir().unwrap();
    history_with_one_weak_topic(dir.path(), "memory");
    let topics: Vec<String> = (0..12).map(|s| first_topic(dir.path(), s)).collect();
    let memory = topics.iter().filter(|t| *t == "memory").count();
    assert!(
        memory >= 9,
        "memory chosen {memory} of 12 times: {topics:?}"
    );
    for seed in [0, 5] {
        assert_eq!(first_topic(dir.path(), seed), topics[seed as usize]);
    }
}

#[test]
fn a_corrupt_history_line_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture("practice/history.jsonl")).unwrap();
    let first = good.lines().next().unwrap();
    std::fs::write(
        history(dir.path()),
        format!("{first}\n{{\"schema\": \"viva.prac\n{first}\n"),
    )
    .unwrap();
    let out = run_in(
        dir.path(),
        practice(dir.path())
            .args(["--question", "gil-what-it-protects"])
            .write_stdin(format!("{PARTIAL}\nq\n")),
    );
    let stderr = out.split("--- stderr\n").nth(1).unwrap();
    assert_snapshot!(stderr);
    assert!(out.contains("last time 36.4%"), "{out}");
    let text = std::fs::read_to_string(history(dir.path())).unwrap();
    assert_eq!(
        text.lines().count(),
        4,
        "the corrupt line stays, the new one is whole"
    );
}

/// Collects a child's stdout on a thread, so the test can wait for a prompt.
fn watch(mut pipe: impl Read + Send + 'static) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    rx
}

#[cfg(unix)]
#[test]
fn ctrl_c_at_the_prompt_quits_cleanly_keeping_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_viva"))
        .env("NO_COLOR", "1")
        .env("VIVA_RUBRIC_CACHE", "off")
        .env("VIVA_NOW", NOW)
        .env_remove("OPENAI_BASE_URL")
        .env_remove("OPENAI_API_KEY")
        .env_remove("VIVA_BANK")
        .args(["practice", "--backend", "keyword", "--question"])
        .arg("gil-what-it-protects")
        .arg("--history")
        .arg(history(dir.path()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(format!("{PARTIAL}\n").as_bytes()).unwrap();
    stdin.flush().unwrap();
    let rx = watch(child.stdout.take().unwrap());
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !String::from_utf8_lossy(&seen).contains("[q]uit ›") {
        assert!(
            Instant::now() < deadline,
            "no prompt: {}",
            String::from_utf8_lossy(&seen)
        );
        if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(100)) {
            seen.extend(chunk);
        }
    }
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "viva did not exit after SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    };
    drop(stdin);
    assert_eq!(status.code(), Some(0), "{status:?}");
    while let Ok(chunk) = rx.recv_timeout(Duration::from_secs(5)) {
        seen.extend(chunk);
    }
    let out = String::from_utf8_lossy(&seen);
    assert!(out.contains("Graded 1 answer(s) this session"), "{out}");
    let h = lines(dir.path());
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["percent"], 36.4);
}

#[test]
fn progress_as_a_chart() {
    assert_snapshot!(run(viva()
        .arg("--bank")
        .arg(fixture("mini-bank"))
        .args(["progress", "--history"])
        .arg(fixture("practice/history.jsonl"))));
}

#[test]
fn progress_as_json() {
    assert_snapshot!(run(viva()
        .arg("--bank")
        .arg(fixture("mini-bank"))
        .args(["progress", "--format", "json", "--history"])
        .arg(fixture("practice/history.jsonl"))));
}

#[test]
fn progress_since_a_date() {
    assert_snapshot!(run(viva()
        .arg("--bank")
        .arg(fixture("mini-bank"))
        .args(["progress", "--since", "2024-06-05", "--history"])
        .arg(fixture("practice/history.jsonl"))));
}

#[test]
fn progress_rejects_a_bad_date() {
    assert_snapshot!(run(viva()
        .args(["progress", "--since", "June 5", "--history"])
        .arg(fixture("practice/history.jsonl"))));
}

#[test]
fn progress_without_history_is_friendly() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(
        dir.path(),
        viva()
            .arg("progress")
            .arg("--history")
            .arg(history(dir.path())),
    );
    assert_snapshot!(out);
}

#[test]
fn progress_is_coloured_only_when_asked() {
    let path = fixture("practice/history.jsonl");
    let plain = stdout(viva().arg("progress").arg("--history").arg(&path));
    assert!(!plain.contains('\u{1b}'));
    let coloured = stdout(
        viva()
            .args(["--color", "always", "progress", "--history"])
            .arg(&path),
    );
    assert!(coloured.contains("\u{1b}["));
}

#[test]
fn practice_then_progress_agree() {
    let dir = tempfile::tempdir().unwrap();
    practice(dir.path())
        .args(["--question", "gil-what-it-protects"])
        .write_stdin(format!("{PARTIAL}\nr\n{BETTER}\nq\n"))
        .assert()
        .success();
    let out = stdout(
        viva()
            .args(["progress", "-f", "json", "--history"])
            .arg(history(dir.path())),
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["attempts"], 2);
    assert_eq!(v["topics"][0]["topic"], "concurrency");
    assert_eq!(v["topics"][0]["attempts"], 2);
}

#[test]
fn code_in_a_question_keeps_its_lines() {
    // Regression: the question's code was flattened into one line.
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(
        dir.path(),
        practice(dir.path())
            .args(["--question", "list-multiplication-aliasing", "--seed", "1"])
            .write_stdin("It prints [[1], [1], [1]].\n\nq\n"),
    );
    assert!(
        out.contains("\n    a = [[]] * 3\n    a[1].append(1)\n    print(a)\n"),
        "{out}"
    );
}
