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

#[test]
fn grade_neutralises_escape_sequences_in_quotes() {
    for format in ["text", "markdown"] {
        let out = stdout(
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
                .write_stdin(HOSTILE),
        );
        assert_inert(&out);
        assert!(out.contains("The GIL is a lock"), "{out}");
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
