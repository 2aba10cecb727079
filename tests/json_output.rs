//! `--format json` of `config`, `rubric lint` and `rubric test`, and
//! `batch --summary-format json`: one document on stdout with a `schema`,
//! notes on stderr, the exit codes of the text forms, and never a key.

use std::path::Path;

use insta::assert_snapshot;
use serde_json::Value;

use crate::common::{fixture, run, viva};

/// stdout parsed as one JSON document.
fn parse(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

const KEY: &str = "sk-test-SECRETvalue9876";

#[test]
fn config_json_says_where_the_key_is_from_but_never_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("team.toml"),
        "[llm]\nmodel = \"gpt-4o-mini\"\nmax_attempts = 2\n\n[prices.\"gpt-4o-mini\"]\ninput_per_million = 0.15\noutput_per_million = 0.6\n",
    )
    .unwrap();
    let mut cmd = viva();
    cmd.current_dir(dir.path())
        .env("VIVA_CONFIG", "team.toml")
        .env("OPENAI_API_KEY", KEY)
        .env("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
        .args([
            "config",
            "--format",
            "json",
            "--no-cache",
            "--timeout",
            "30",
        ]);
    let out = cmd.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for part in [KEY, "SECRET", "9876", "sk-"] {
        assert!(!text.contains(part), "{part} leaked:\n{text}");
    }
    let doc = parse(&out);
    assert_eq!(doc["schema"], "viva.config/v1");
    assert_eq!(doc["api_key"]["set"], true);
    assert_eq!(doc["api_key"]["origin"], "env OPENAI_API_KEY");
    assert_snapshot!(run(&mut cmd));
}

#[test]
fn config_json_without_a_key() {
    let dir = tempfile::tempdir().unwrap();
    assert_snapshot!(run(viva()
        .current_dir(dir.path())
        .env("VIVA_CONFIG", "none.toml")
        .args(["config", "-f", "json", "--no-cache"])));
}

#[test]
fn lint_json_lists_every_error_with_file_line_and_column() {
    // The bank path as typed (relative), so files read as the user wrote them.
    let mut cmd = viva();
    cmd.args([
        "--bank",
        "tests/fixtures/broken-bank",
        "rubric",
        "lint",
        "--format",
        "json",
    ]);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(3), "exit code of the text form");
    let doc = parse(&out);
    assert_eq!(doc["schema"], "viva.rubric-lint/v1");
    // A point with only its text is no longer an error: its rules are derived.
    assert_eq!(doc["errors"], 11);
    let diagnostics = doc["diagnostics"].as_array().unwrap();
    assert!(diagnostics.iter().all(|d| {
        d["file"]
            .as_str()
            .unwrap()
            .starts_with("tests/fixtures/broken-bank/")
    }));
    assert_snapshot!(run(&mut cmd));
}

/// The mini bank with two warnings: no weak example, a misconception
/// without not_examples.
fn bank_with_warnings(dir: &Path) {
    let bank = dir.join("bank");
    std::fs::create_dir_all(bank.join("questions")).unwrap();
    std::fs::create_dir_all(bank.join("rubrics")).unwrap();
    std::fs::copy(
        fixture("mini-bank/questions/basics.toml"),
        bank.join("questions/basics.toml"),
    )
    .unwrap();
    let rubric = std::fs::read_to_string(fixture("mini-bank/rubrics/list-vs-tuple.toml"))
        .unwrap()
        .replace(
            "not_examples = [\"Tuples are slightly faster to create, but choose by meaning.\"]\n",
            "",
        )
        .replace("label = \"weak\"", "label = \"poor\"");
    std::fs::write(bank.join("rubrics/list-vs-tuple.toml"), rubric).unwrap();
}

#[test]
fn lint_json_reports_warnings_and_strict_fails_on_them() {
    let dir = tempfile::tempdir().unwrap();
    bank_with_warnings(dir.path());
    let mut cmd = viva();
    cmd.current_dir(dir.path())
        .args(["--bank", "bank", "rubric", "lint", "--strict", "-f", "json"]);
    let doc = parse(&cmd.output().unwrap());
    assert_eq!(doc["warnings"], 2);
    assert_snapshot!(run(&mut cmd));
}

#[test]
fn rubric_test_json_has_every_check_and_the_bank_wide_figures() {
    let mut cmd = viva();
    cmd.args([
        "--bank",
        "tests/fixtures/mini-bank",
        "rubric",
        "test",
        "--format",
        "json",
    ]);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1), "a miss fails as in text");
    let doc = parse(&out);
    assert_eq!(doc["schema"], "viva.rubric-test/v1");
    assert_eq!(doc["checks"], 7);
    assert_eq!(doc["failed"], 1);
    let examples = doc["rubrics"][0]["examples"].as_array().unwrap();
    assert_eq!(examples.len(), 4, "passing examples too, without -v");
    assert_snapshot!(run(&mut cmd));
}

#[test]
fn rubric_test_json_on_the_embedded_bank_passes() {
    let out = viva()
        .args(["rubric", "test", "-f", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc = parse(&out);
    assert_eq!(doc["failed"], 0);
    assert_eq!(doc["checks"], doc["passed"]);
}

/// A CSV of one good row and one row for an unknown question.
fn batch_input(dir: &Path) {
    std::fs::write(
        dir.join("in.csv"),
        "candidate,question_id,answer\n\
         ann,list-vs-tuple,\"A tuple is immutable while a list can change.\"\n\
         bob,no-such-question,some answer\n",
    )
    .unwrap();
}

/// A run's output with its timings pinned, for a snapshot.
fn pinned(out: &str) -> String {
    let re = regex::Regex::new(r#""(wall_secs|answers_per_sec)": [0-9.]+"#).unwrap();
    re.replace_all(out, r#""$1": "[pinned]""#).into_owned()
}

#[test]
fn batch_summary_json_goes_to_stdout_and_the_text_summary_nowhere() {
    let dir = tempfile::tempdir().unwrap();
    batch_input(dir.path());
    let batch = |extra: &[&str]| {
        let mut cmd = viva();
        cmd.current_dir(dir.path())
            .args(["--bank"])
            .arg(fixture("mini-bank"))
            .args(["batch", "in.csv", "--summary-format", "json"])
            .args(extra);
        cmd
    };
    let out = batch(&[]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "a bad row exits 1, as in text");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("graded 1"), "no text summary: {stderr}");
    let doc = parse(&out);
    assert!(doc["wall_secs"].as_f64().unwrap() >= 0.0);
    assert!(doc["answers_per_sec"].as_f64().unwrap() >= 0.0);
    std::fs::remove_file(dir.path().join("in.csv.journal.jsonl")).unwrap();
    assert_snapshot!(pinned(&run(&mut batch(&[]))));

    // Resumed and quiet: the document is a result, so it is still printed.
    let out = batch(&["-q"]).output().unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = parse(&out);
    assert_eq!(
        (doc["graded"].as_u64(), doc["skipped"].as_u64()),
        (Some(0), Some(1))
    );
}

#[test]
fn batch_summary_json_of_an_input_with_nothing_to_grade_still_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("in.csv"),
        "candidate,question_id,answer\nbob,no-such-question,x\n",
    )
    .unwrap();
    let out = viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv", "--summary-format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(parse(&out)["bad_rows"], 1);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("error: no row of in.csv could be graded")
    );
}

#[test]
fn rubric_fires_json_lists_each_line_and_the_rules_it_sets_off() {
    let mut cmd = viva();
    cmd.args(["rubric", "fires", "gil-what-it-protects", "-", "-f", "json"])
        .write_stdin(
            "The GIL is released during blocking I/O.\n\
             The GIL makes Python code thread-safe, so you never need locks.\n",
        );
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a rule that fires fails as in text"
    );
    let doc = parse(&out);
    assert_eq!(doc["schema"], "viva.rubric-fires/v1");
    assert_eq!(doc["fired"], 1);
    assert_eq!(doc["lines"][0]["fires"].as_array().unwrap().len(), 0);
    assert_eq!(
        doc["lines"][1]["fires"][0]["rule"],
        "misconception `gil-makes-code-thread-safe`"
    );
    assert_snapshot!(run(&mut cmd));
}
