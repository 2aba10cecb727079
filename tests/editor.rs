//! Output fitted to the screen: `COLUMNS` (or the terminal) sets the width
//! that reports wrap at and listings truncate at, by display width.

use insta::assert_snapshot;

use crate::common::{example, run, stdout, viva};

#[test]
fn questions_fit_forty_columns() {
    // At 40 columns the text used to run far past the edge.
    let out = run(viva()
        .env("COLUMNS", "40")
        .args(["questions", "--topic", "memory"]));
    assert_snapshot!(out);
}

#[test]
fn questions_use_two_hundred_columns() {
    // At 200 columns the text used to stop at 90 characters without "…".
    let out = stdout(
        viva()
            .env("COLUMNS", "200")
            .args(["questions", "--topic", "concurrency"]),
    );
    assert!(out.lines().all(|l| l.chars().count() <= 200), "{out}");
    assert!(
        out.lines().any(|l| l.chars().count() > 100),
        "long texts use the width: {out}"
    );
    assert_snapshot!(out);
}

#[test]
fn a_grade_report_wraps_at_forty_columns() {
    let out = run(viva()
        .env("COLUMNS", "40")
        .args(["grade", "gil-what-it-protects"])
        .arg(example("gil-strong.md")));
    // The question and every wrapped point, quote and hint fit.
    for line in out.lines().filter(|l| l.starts_with("      ")) {
        assert!(line.chars().count() <= 40, "{line}");
    }
    assert_snapshot!(out);
}

#[test]
fn a_grade_report_uses_two_hundred_columns() {
    let out = run(viva()
        .env("COLUMNS", "200")
        .args(["grade", "gil-what-it-protects"])
        .arg(example("gil-strong.md")));
    assert_snapshot!(out);
}

/// Drives `viva practice` in a real terminal (a tmux pane): line editing,
/// a multi-line answer with a blank line, a retry that starts from the last
/// answer, and Ctrl-C keeping a draft. Skipped where tmux is not installed.
#[cfg(unix)]
#[test]
fn practice_edits_lines_in_a_terminal() {
    use std::process::Command;
    use std::time::{Duration, Instant};

    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("tmux not installed; skipping the terminal test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("tmux.sock");
    let history = dir.path().join("h.jsonl");
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .arg("-S")
            .arg(&socket)
            .args(args)
            .output()
            .unwrap()
    };
    let screen =
        || String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-S", "-200"]).stdout).to_string();
    let wait_for = |text: &str| {
        let start = Instant::now();
        loop {
            let s = screen();
            if s.contains(text) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "no {text:?} on:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let bin = assert_cmd::cargo::cargo_bin("viva");
    let cmd = format!(
        "env -u COLUMNS NO_COLOR=1 VIVA_TEST_MODE=1 {} practice --question gil-what-it-protects --backend keyword --history {}; echo EXIT=$?; sleep 30",
        bin.display(),
        history.display()
    );
    tmux(&["new-session", "-d", "-x", "100", "-y", "50", &cmd]);
    // The pane's server goes away even when an assertion fails.
    struct Server(std::path::PathBuf);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = Command::new("tmux")
                .arg("-S")
                .arg(&self.0)
                .arg("kill-server")
                .output();
        }
    }
    let _server = Server(socket.clone());
    wait_for("Enter submits");
    // Keys sent before the editor takes the terminal would reach it in
    // cooked mode; the editor draws its "> " prompt once it has it.
    let start = Instant::now();
    let prompt_drawn = || {
        screen()
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim_end() == ">")
    };
    while !prompt_drawn() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no prompt:\n{}",
            screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Arrow keys move the cursor instead of inserting `^[[D`.
    tmux(&[
        "send-keys",
        "The GIL is lock",
        "Left",
        "Left",
        "Left",
        "Left",
        "a ",
    ]);
    wait_for("The GIL is a lock");
    // Alt-Enter adds lines, blank ones too; Enter then submits.
    tmux(&[
        "send-keys",
        "End",
        "M-Enter",
        "M-Enter",
        "Threads share it.",
    ]);
    tmux(&["send-keys", "Enter"]);
    wait_for("[r]etry");
    tmux(&["send-keys", "r", "Enter"]);
    wait_for("try 2");
    // The editor draws the previous answer once it has the terminal.
    let start = Instant::now();
    loop {
        let s = screen();
        if s.matches("Threads share it.").count() >= 2 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no pre-fill:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    tmux(&["send-keys", " More", "C-c"]);
    let s = wait_for("EXIT=");
    assert!(s.contains("EXIT=130"), "{s}");
    let draft =
        std::fs::read_to_string(dir.path().join("drafts/gil-what-it-protects.txt")).unwrap();
    assert_eq!(draft, "The GIL is a lock\n\nThreads share it. More");
}
