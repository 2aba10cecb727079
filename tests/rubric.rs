//! `viva rubric lint` and `viva rubric test` on fixture banks.

use insta::assert_snapshot;

use crate::common::{fixture, run, viva};

#[test]
fn lint_reports_every_problem_with_file_and_line() {
    assert_snapshot!(run(viva()
        .arg("--bank")
        .arg(fixture("broken-bank"))
        .args(["rubric", "lint"])));
}

#[test]
fn grading_with_a_broken_bank_fails_with_exit_3() {
    assert_snapshot!(run(viva()
        .arg("--bank")
        .arg(fixture("broken-bank"))
        .args(["grade", "lists", "-"])
        .write_stdin("a list")));
}

#[test]
fn missing_bank_dir_is_a_usage_error() {
    let out = run(viva().args(["--bank", "no/such/bank", "questions"]));
    assert!(out.starts_with("exit: 2\n"), "{out}");
    assert!(
        out.contains("cannot read the bank at no/such/bank/questions"),
        "{out}"
    );
}

#[test]
fn rubric_test_lists_each_miss() {
    assert_snapshot!(run(viva()
        .arg("--bank")
        .arg(fixture("mini-bank"))
        .args(["rubric", "test"])));
}

#[test]
fn rubric_test_verbose_shows_passing_examples() {
    assert_snapshot!(run(viva().arg("--bank").arg(fixture("mini-bank")).args([
        "rubric",
        "test",
        "-v",
        "list-vs-tuple"
    ])));
}

#[test]
fn lint_passes_a_good_bank() {
    assert_snapshot!(run(viva()
        .arg("--bank")
        .arg(fixture("mini-bank"))
        .args(["rubric", "lint"])));
}
