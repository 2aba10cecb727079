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

/// Lines of `out` wider than `width` display cells.
fn too_wide(out: &str, width: usize) -> Vec<&str> {
    use unicode_width::UnicodeWidthStr;
    out.lines().filter(|l| l.width() > width).collect()
}

#[test]
fn every_line_of_a_keyword_report_fits_forty_columns() {
    // The header, "graded by" and key point lines used to run past the edge.
    for answer in ["gil-strong.md", "gil-partial.txt", "gil-weak.txt"] {
        let out = run(viva()
            .env("COLUMNS", "40")
            .args(["grade", "gil-what-it-protects", "--backend", "keyword"])
            .arg(example(answer)));
        assert!(out.starts_with("exit: 0\n"), "{out}");
        assert_eq!(too_wide(&out, 40), Vec::<&str>::new(), "{answer}:\n{out}");
        if answer == "gil-weak.txt" {
            assert_snapshot!(out);
        }
    }
}

#[test]
fn practice_feedback_fits_forty_columns() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("h.jsonl");
    let out = run(viva()
        .env("COLUMNS", "40")
        .env("VIVA_NOW", "2024-06-15T12:00:00Z")
        .args(["practice", "--question", "gil-what-it-protects"])
        .args(["--backend", "keyword", "--history"])
        .arg(&history)
        .write_stdin(format!(
            "{}\nr\n{}\nq\n",
            std::fs::read_to_string(example("gil-weak.txt")).unwrap(),
            std::fs::read_to_string(example("gil-partial.txt")).unwrap()
        )));
    assert!(out.contains("last time"), "{out}");
    // The history's path is one word that cannot be broken.
    let path = history.display().to_string();
    let wide: Vec<&str> = too_wide(&out, 40)
        .into_iter()
        .filter(|l| !l.contains(&crate::common::scrub(&path)))
        .collect();
    assert_eq!(wide, Vec::<&str>::new(), "{out}");
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
/// answer, Ctrl-D submitting a non-empty answer and quitting on an empty
/// one, and Ctrl-C keeping a draft. Skipped where tmux is not installed.
#[cfg(unix)]
#[test]
fn practice_edits_lines_in_a_terminal() {
    use std::process::Command;

    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("tmux not installed; skipping the terminal test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("h.jsonl");
    let bin = assert_cmd::cargo::cargo_bin("viva");
    let cmd = format!(
        "env -u COLUMNS NO_COLOR=1 VIVA_TEST_MODE=1 VIVA_RUBRIC_CACHE=off {} practice --question gil-what-it-protects --backend keyword --history {}; echo EXIT=$?; sleep 30",
        bin.display(),
        history.display()
    );
    let Some(pane) = tmux::Pane::start(dir.path(), "edit", &cmd) else {
        eprintln!("tmux cannot start a server here; skipping the terminal test");
        return;
    };
    pane.wait_for("Enter submits");
    pane.wait_for_prompt();
    // Arrow keys move the cursor instead of inserting `^[[D`.
    pane.keys(&["The GIL is lock", "Left", "Left", "Left", "Left", "a "]);
    pane.wait_for("The GIL is a lock");
    // Alt-Enter adds lines, blank ones too; Enter then submits.
    pane.keys(&["End", "M-Enter", "M-Enter", "Threads share it."]);
    pane.keys(&["Enter"]);
    pane.wait_for("[r]etry");
    pane.keys(&["r", "Enter"]);
    pane.wait_for("try 2");
    // The editor draws the previous answer once it has the terminal.
    pane.wait_until("the pre-fill", |s| {
        s.matches("Threads share it.").count() >= 2
    });
    // Ctrl-D on a non-empty answer submits all of it, even with the
    // cursor at the start of a line (rustyline's default deleted the
    // character under the cursor).
    pane.keys(&["Home", "C-d"]);
    pane.wait_until("a second feedback", |s| s.matches("[r]etry").count() >= 2);
    let answers: Vec<String> = std::fs::read_to_string(&history)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["answer"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        answers,
        ["The GIL is a lock\n\nThreads share it."; 2],
        "{}",
        pane.screen()
    );
    pane.keys(&["r", "Enter"]);
    pane.wait_for("try 3");
    pane.wait_until("the pre-fill", |s| {
        s.matches("Threads share it.").count() >= 3
    });
    pane.keys(&[" More", "C-c"]);
    let s = pane.wait_for("EXIT=");
    assert!(s.contains("EXIT=130"), "{s}");
    let draft =
        std::fs::read_to_string(dir.path().join("drafts/gil-what-it-protects.txt")).unwrap();
    assert_eq!(draft, "The GIL is a lock\n\nThreads share it. More");

    // Ctrl-D on an empty answer still quits, with exit code 0.
    let other = dir.path().join("other.jsonl");
    let cmd = format!(
        "env -u COLUMNS NO_COLOR=1 VIVA_TEST_MODE=1 {} practice --question closures --backend keyword --history {}; echo EXIT=$?; sleep 30",
        bin.display(),
        other.display()
    );
    let pane = tmux::Pane::start(dir.path(), "quit", &cmd).expect("tmux started before");
    pane.wait_for("Enter submits");
    pane.wait_for_prompt();
    pane.keys(&["C-d"]);
    let s = pane.wait_for("EXIT=");
    assert!(s.contains("EXIT=0"), "{s}");
    assert!(s.contains("Nothing graded this session."), "{s}");
}

/// A tmux pane to type into and read back, on a private server.
#[cfg(unix)]
mod tmux {
    use std::path::{Path, PathBuf};
    use std::process::{Child, Command, Output, Stdio};
    use std::time::{Duration, Instant};

    /// How long the pane may take to show what is waited for.
    const PATIENCE: Duration = Duration::from_secs(20);

    pub struct Pane {
        socket: PathBuf,
        /// The server, when it runs in the foreground (`tmux -D`).
        server: Option<Child>,
    }

    impl Pane {
        /// Runs `cmd` in a 100×50 pane of a tmux server whose socket is
        /// `NAME.sock` in `dir`; `None` when no server can start.
        ///
        /// tmux daemonises its server, and glibc's `daemon()` fails where
        /// `/dev/null` is not a character device (as in some containers);
        /// then the server runs in the foreground instead (`-D`, tmux 3.2+).
        pub fn start(dir: &Path, name: &str, cmd: &str) -> Option<Pane> {
            let mut pane = Pane {
                socket: dir.join(format!("{name}.sock")),
                server: None,
            };
            let session = ["new-session", "-d", "-x", "100", "-y", "50", cmd];
            if pane.tmux(&session).status.success() {
                return Some(pane);
            }
            let server = Command::new("tmux")
                .arg("-S")
                .arg(&pane.socket)
                .arg("-D")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .ok()?;
            pane.server = Some(server);
            let start = Instant::now();
            while !pane.socket.exists() && start.elapsed() < PATIENCE {
                std::thread::sleep(Duration::from_millis(20));
            }
            pane.tmux(&session).status.success().then_some(pane)
        }

        fn tmux(&self, args: &[&str]) -> Output {
            Command::new("tmux")
                .arg("-S")
                .arg(&self.socket)
                .args(args)
                .output()
                .unwrap()
        }

        pub fn screen(&self) -> String {
            let out = self.tmux(&["capture-pane", "-p", "-S", "-"]);
            String::from_utf8_lossy(&out.stdout).to_string()
        }

        pub fn keys(&self, keys: &[&str]) {
            let mut args = vec!["send-keys"];
            args.extend_from_slice(keys);
            self.tmux(&args);
        }

        /// Waits until `done` holds for the screen, and returns it.
        pub fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
            let start = Instant::now();
            loop {
                let s = self.screen();
                if done(&s) {
                    return s;
                }
                assert!(start.elapsed() < PATIENCE, "no {what} on:\n{s}");
                std::thread::sleep(Duration::from_millis(50));
            }
        }

        pub fn wait_for(&self, text: &str) -> String {
            self.wait_until(&format!("{text:?}"), |s| s.contains(text))
        }

        /// Keys sent before the editor takes the terminal would reach it in
        /// cooked mode; the editor draws its "> " prompt once it has it.
        pub fn wait_for_prompt(&self) {
            self.wait_until("prompt", |s| {
                s.lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .is_some_and(|l| l.trim_end() == ">")
            });
        }
    }

    /// The pane's server goes away even when an assertion fails.
    impl Drop for Pane {
        fn drop(&mut self) {
            let _ = self.tmux(&["kill-server"]);
            if let Some(mut server) = self.server.take() {
                let _ = server.kill();
                let _ = server.wait();
            }
        }
    }
}
