//! `viva agree` on a small committed fixture: every format, calibration
//! fitted on one journal and applied to another, and each kind of bad input.
//!
//! `fixtures/agree/` holds held-out answers (expert, partial, weak, a bare
//! list of terms, confidently wrong) to eight embedded questions, split
//! into `dev.csv` (four questions) and `test.csv` (the other four), each
//! graded with `viva batch X.csv --backend keyword -j 1 --no-answer-text
//! --out X.journal.jsonl`. `humans.csv` holds two graders' 0-5 scores for
//! every answer but one test answer (eve, deadlocks), plus a row for a
//! candidate no journal has (zed).

use insta::assert_snapshot;

use crate::common::{fixture, run, scrub, stdout, viva, write};

const TEST: &str = "tests/fixtures/agree/test.journal.jsonl";
const DEV: &str = "tests/fixtures/agree/dev.journal.jsonl";
const HUMANS: &str = "tests/fixtures/agree/humans.csv";

fn agree(extra: &[&str]) -> String {
    run(viva()
        .args(["agree", TEST, HUMANS, "--scale", "0-5"])
        .args(extra))
}

#[test]
fn agree_as_text() {
    assert_snapshot!(agree(&[]));
}

#[test]
fn agree_as_markdown() {
    assert_snapshot!(agree(&["--format", "markdown"]));
}

#[test]
fn agree_as_json() {
    assert_snapshot!(agree(&["--format", "json"]));
}

#[test]
fn one_grader_as_text_has_exact_agreement_per_question() {
    assert_snapshot!(agree(&["--human", "grader1", "--resamples", "200"]));
}

#[test]
fn one_human_column_and_a_seed_give_the_same_bytes_every_run() {
    let args = [
        "--human",
        "grader2",
        "--seed",
        "7",
        "--resamples",
        "300",
        "-f",
        "json",
    ];
    let first = agree(&args);
    assert_eq!(first, agree(&args));
    let doc: serde_json::Value = serde_json::from_str(
        first
            .split("--- stdout\n")
            .nth(1)
            .unwrap()
            .split("--- stderr")
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(doc["schema"], "viva.agree/v1");
    assert_eq!(doc["comparisons"].as_array().unwrap().len(), 1);
    assert_eq!(doc["bootstrap"]["seed"], 7);
    assert_ne!(
        first,
        agree(&[
            "--human",
            "grader2",
            "--seed",
            "8",
            "--resamples",
            "300",
            "-f",
            "json"
        ])
    );
}

#[test]
fn no_resamples_means_no_intervals_and_a_bad_journal_line_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("agree/test.journal.jsonl")).unwrap();
    let journal = write(
        dir.path(),
        "j.jsonl",
        format!("not json\n{text}").as_bytes(),
    );
    let out = run(viva().args([
        "agree",
        journal.to_str().unwrap(),
        HUMANS,
        "--scale",
        "0-5",
        "--resamples",
        "0",
        "-f",
        "json",
    ]));
    assert!(out.starts_with("exit: 0"), "{out}");
    assert!(out.contains("\"by_answer\": null"), "{out}");
    assert!(!out.contains("\"low\""), "{out}");
    assert!(
        out.contains("has 1 unreadable line(s); they are left out"),
        "{out}"
    );
}

#[test]
fn a_calibration_fitted_on_dev_is_saved_and_applied_unchanged_to_test() {
    let dir = tempfile::tempdir().unwrap();
    // Run in a scratch folder, so the saved file's path is just its name.
    let (test, dev, humans) = (
        fixture("agree/test.journal.jsonl"),
        fixture("agree/dev.journal.jsonl"),
        fixture("agree/humans.csv"),
    );
    let in_dir = |extra: &[&str]| {
        run(viva()
            .current_dir(dir.path())
            .arg("agree")
            .args([&test, &humans])
            .args(["--scale", "0-5", "--resamples", "200"])
            .args(extra))
    };
    let fitted = in_dir(&[
        "--fit",
        dev.to_str().unwrap(),
        "--save-calibration",
        "cal.json",
    ]);
    assert_snapshot!(fitted);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("cal.json")).unwrap())
            .unwrap();
    assert_eq!(saved["schema"], "viva.calibration/v1");
    assert_eq!(saved["method"], "isotonic");
    assert_eq!(saved["fitted_on"]["journal"], "dev.journal.jsonl");
    assert_eq!(saved["fitted_on"]["answers"], 20);
    let applied = in_dir(&["--calibration", "cal.json"]);
    // The same map gives the same figures; only the notes differ.
    let figures =
        |s: &str| s[s.find("viva vs grader1").unwrap()..s.find("--- stderr").unwrap()].to_string();
    assert_eq!(figures(&fitted), figures(&applied));

    let linear = in_dir(&["--fit", dev.to_str().unwrap(), "--method", "linear"]);
    assert!(linear.contains("by a linear calibration, "), "{linear}");
}

#[test]
fn fitting_on_the_journal_being_scored_is_refused() {
    assert_snapshot!(agree(&["--fit", TEST]));
    // A copy under another name holds the same answers.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.jsonl");
    std::fs::copy(fixture("agree/test.journal.jsonl"), &copy).unwrap();
    let out = agree(&["--fit", copy.to_str().unwrap()]);
    assert!(out.starts_with("exit: 2"), "{out}");
    assert!(out.contains("share 20 answer(s)"), "{out}");
}

#[test]
fn a_calibration_for_another_scale_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cal = dir.path().join("cal.json");
    let cal = cal.to_str().unwrap();
    agree(&["--fit", DEV, "--save-calibration", cal, "--resamples", "0"]);
    let out = run(viva().args([
        "agree",
        TEST,
        HUMANS,
        "--scale",
        "0-10",
        "--calibration",
        cal,
    ]));
    assert_snapshot!(in_scratch(&out, dir.path()));
}

#[test]
fn bad_human_files_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("missing-column.csv", "candidate,score\nann,3\n"),
        (
            "no-scores.csv",
            "candidate,question_id,notes\nann,deadlocks,fine\n",
        ),
        (
            "not-a-number.csv",
            "candidate,question_id,score\nann,deadlocks,4\nbob,deadlocks,\"4,5\"\n",
        ),
        (
            "out-of-scale.csv",
            "candidate,question_id,score\nann,deadlocks,4\n\nbob,deadlocks,7\n",
        ),
        (
            "unmatched.csv",
            "candidate,question_id,score\nAnn,Deadlocks,4\nBob,Deadlocks,2\n",
        ),
    ];
    let mut out = String::new();
    for (name, text) in cases {
        let path = write(dir.path(), name, text.as_bytes());
        out.push_str(&format!("== {name}\n"));
        out.push_str(&run(viva().args([
            "agree",
            TEST,
            path.to_str().unwrap(),
            "--scale",
            "0-5",
        ])));
    }
    out.push_str("== --human nope\n");
    out.push_str(&agree(&["--human", "nope"]));
    out.push_str("== --scale 0-3 (the graders used 0-5)\n");
    out.push_str(&run(viva().args(["agree", TEST, HUMANS, "--scale", "0-3"])));
    out.push_str("== --scale 5\n");
    out.push_str(&run(viva().args(["agree", TEST, HUMANS, "--scale", "5"])));
    out.push_str("== missing journal\n");
    out.push_str(&run(viva().args([
        "agree",
        "nope.jsonl",
        HUMANS,
        "--scale",
        "0-5",
    ])));
    assert_snapshot!(in_scratch(&out, dir.path()));
}

/// Output with a scratch folder's path shown as `[DIR]`.
fn in_scratch(out: &str, dir: &std::path::Path) -> String {
    out.replace(&scrub(&dir.display().to_string()), "[DIR]")
}

#[test]
fn the_help_says_how_answers_are_matched() {
    let help = stdout(viva().args(["agree", "--help"]));
    assert!(
        help.contains("matched on candidate and question_id"),
        "{help}"
    );
}
