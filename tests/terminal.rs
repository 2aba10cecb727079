//! Candidate text never reaches a terminal as escape sequences: an answer
//! or a name full of ANSI and OSC sequences is shown with each sequence
//! replaced by `�` in `grade`, `report` and `practice`.

use crate::common::{stdout, viva, write};

/// Clears the screen, sets the window title, colours text, and plants a
/// hyperlink, around sentences the keyword grader quotes as evidence.
const HOSTILE: &str = "\u{1b}]0;PWNED\u{7}The GIL is a lock: only one thread runs Python bytecode at a time.\u{1b}[2J\u{1b}[31m Threads are bad for CPU heavy work, use multiprocessing \u{1b}]8;;http://evil.example\u{1b}\\instead\u{1b}]8;;\u{1b}\\.\u{9b}31m\r\u{8}";

fn assert_inert(out: &str) {
    for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{8}', '\r'] {
        assert!(!out.contains(bad), "{bad:?} reached the terminal:\n{out:?}");
    }
}

/// `viva grade` on gil-what-it-protects, with colours off, in `format`.
fn grade_gil(format: &str, answer: &'static str) -> String {
    stdout(
        viva()
            .args([
                "--color",
                "never",
                "grade",
                "gil-what-it-protects",
                "-f",
                format,
                "-",
            ])
            .write_stdin(answer),
    )
}

#[test]
fn grade_neutralises_escape_sequences_in_quotes() {
    for format in ["text", "markdown"] {
        let out = grade_gil(format, HOSTILE);
        assert_inert(&out);
        assert!(out.contains("The GIL is a lock"), "{out}");
    }
}

/// A quote shown for a point withheld (here the answer states the point's
/// opposite) is candidate text too.
#[test]
fn grade_neutralises_escape_sequences_in_withheld_quotes() {
    let answer = "The GIL stays held during blocking \u{1b}[31mI/O, so threads do not help \
                  with network calls.\u{1b}]0;PWNED\u{7}\n";
    for format in ["text", "markdown"] {
        let out = grade_gil(format, answer);
        assert_inert(&out);
        assert!(out.contains("the answer states the opposite"), "{out}");
    }
}

#[test]
fn report_and_practice_neutralise_names_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = csv::Writer::from_path(dir.path().join("in.csv")).unwrap();
    w.write_record(["candidate", "question_id", "answer"])
        .unwrap();
    w.write_record([
        "ann\u{1b}]0;PWNED\u{7}\u{1b}[2J",
        "gil-what-it-protects",
        HOSTILE,
    ])
    .unwrap();
    w.flush().unwrap();
    let code = viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv", "-q"])
        .output()
        .unwrap()
        .status
        .code();
    assert_eq!(code, Some(0));
    for format in ["text", "markdown"] {
        let out = stdout(viva().current_dir(dir.path()).args([
            "report",
            "in.csv.journal.jsonl",
            "-f",
            format,
        ]));
        assert_inert(&out);
        assert!(out.contains("ann�"), "{out}");
    }

    let answer = write(dir.path(), "answer.txt", HOSTILE.as_bytes());
    let out = stdout(
        viva()
            .current_dir(dir.path())
            .env("VIVA_HISTORY", dir.path().join("h.jsonl"))
            .env("VIVA_NOW", "2026-01-01T00:00:00Z")
            .arg("practice")
            .args(["--question", "gil-what-it-protects", "--answer-file"])
            .arg(&answer)
            .write_stdin("q\n"),
    );
    assert_inert(&out);
    assert!(out.contains("The GIL is a lock"), "{out}");
}

/// A journal graded from one row whose candidate name and answer are hostile.
fn hostile_journal(dir: &std::path::Path) {
    let mut w = csv::Writer::from_path(dir.join("in.csv")).unwrap();
    w.write_record(["candidate", "question_id", "answer"])
        .unwrap();
    w.write_record([NAME, "gil-what-it-protects", HOSTILE])
        .unwrap();
    w.flush().unwrap();
    let out = viva()
        .current_dir(dir)
        .args(["batch", "in.csv", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

/// A name that sets the title, clears the screen, moves the cursor back and
/// opens a C1 CSI.
const NAME: &str = "ann\u{1b}]0;PWNED\u{7}\u{1b}[2J\r\u{8}\u{9b}2J";

/// Runs `viva ARGS` with its stdout on a pseudo-terminal (through `script`),
/// in `dir`; `None` when `script` is not installed.
fn on_a_terminal(dir: &std::path::Path, args: &str) -> Option<String> {
    let viva = assert_cmd::cargo::cargo_bin("viva");
    let out = std::process::Command::new("script")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("VIVA_RUBRIC_CACHE", "off")
        .args(["-q", "-e", "-c"])
        .arg(format!("'{}' {args}", viva.display()))
        .arg("/dev/null")
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    assert!(out.status.success(), "{out:?}");
    // The terminal turns each newline into CR LF.
    Some(String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"))
}

#[test]
fn csv_keeps_bytes_in_a_pipe_and_neutralises_them_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    hostile_journal(dir.path());
    let piped = viva()
        .current_dir(dir.path())
        .args(["report", "in.csv.journal.jsonl", "-f", "csv"])
        .output()
        .unwrap();
    let piped = String::from_utf8(piped.stdout).unwrap();
    assert!(
        piped.contains(NAME),
        "a file or pipe gets the exact name: {piped:?}"
    );

    let Some(shown) = on_a_terminal(dir.path(), "report in.csv.journal.jsonl -f csv") else {
        eprintln!(
            "skipped csv_keeps_bytes_in_a_pipe_and_neutralises_them_on_a_terminal: no `script`"
        );
        return;
    };
    assert_inert(&shown);
    assert!(shown.contains("ann�"), "{shown:?}");
    assert!(shown.contains("gil-what-it-protects"), "{shown:?}");
}

#[test]
fn spreadsheet_formulas_in_names_stay_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("in.csv"),
        "candidate,question_id,answer\n\"=HYPERLINK(\"\"http://evil.example\"\")\",gil-what-it-protects,The GIL is a lock.\n",
    )
    .unwrap();
    viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv", "-q"])
        .assert()
        .code(0);
    let out = stdout(viva().current_dir(dir.path()).args([
        "report",
        "in.csv.journal.jsonl",
        "-f",
        "csv",
    ]));
    assert!(
        out.contains("\"'=HYPERLINK(\"\"http://evil.example\"\")\""),
        "{out}"
    );
}

#[test]
fn json_escapes_every_control_character() {
    let graded = stdout(
        viva()
            .args(["grade", "gil-what-it-protects", "-f", "json", "-"])
            .write_stdin(HOSTILE),
    );
    assert_inert(&graded);
    assert!(graded.contains("The GIL is a lock"), "{graded}");
    // The request body carries the whole answer, C1 CSI included.
    let prompt = stdout(
        viva()
            .env("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
            .args(["prompt", "gil-what-it-protects", "-"])
            .write_stdin(HOSTILE),
    );
    assert_inert(&prompt);
    assert!(prompt.contains(r"\u009b31m"), "{prompt}");
}

#[test]
fn an_error_quoting_a_hostile_first_line_is_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in.csv",
        format!("{NAME},gil-what-it-protects,x\n").as_bytes(),
    );
    let out = viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_inert(&err);
    assert!(err.contains("is not a header"), "{err}");
}

#[test]
fn progress_neutralises_a_shared_history() {
    let dir = tempfile::tempdir().unwrap();
    let line = serde_json::json!({
        "schema": "viva.practice/v1",
        "timestamp": "2026-01-01T00:00:00Z",
        "question_id": NAME,
        "topic": NAME,
        "level": "senior",
        "percent": 0.0,
        "fraction": 0.0,
        "backend": "keyword",
        "points": [{"id": NAME, "score": 0.0, "weight": 1.0}],
        "misconceptions": [],
    });
    let history = write(dir.path(), "h.jsonl", format!("{line}\n").as_bytes());
    let out = stdout(
        viva()
            .env("VIVA_NOW", "2026-01-02T00:00:00Z")
            .arg("progress")
            .arg("--history")
            .arg(&history),
    );
    assert_inert(&out);
    assert!(out.contains("ann�"), "{out}");
}
