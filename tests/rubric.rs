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

/// The mini bank plus a second question whose rubric is broken, in `dir/bank`.
fn bank_with_one_broken_rubric(dir: &std::path::Path) {
    let bank = dir.join("bank");
    std::fs::create_dir_all(bank.join("questions")).unwrap();
    std::fs::create_dir_all(bank.join("rubrics")).unwrap();
    let questions = std::fs::read_to_string(fixture("mini-bank/questions/basics.toml")).unwrap();
    std::fs::write(
        bank.join("questions/basics.toml"),
        format!(
            "{questions}\n[[question]]\nid = \"dict-keys\"\nlevel = \"junior\"\ntext = \"What can be a dict key?\"\n"
        ),
    )
    .unwrap();
    std::fs::copy(
        fixture("mini-bank/rubrics/list-vs-tuple.toml"),
        bank.join("rubrics/list-vs-tuple.toml"),
    )
    .unwrap();
    std::fs::write(
        bank.join("rubrics/dict-keys.toml"),
        "question = \"dict-keys\"\n\n[[point]]\nid = \"hashable\"\nweight = \"heavy\"\ntext = \"Hashable objects.\"\n",
    )
    .unwrap();
}

#[test]
fn one_broken_rubric_blocks_only_its_own_question() {
    // Regression: one broken rubric in --bank made every question exit 3.
    let dir = tempfile::tempdir().unwrap();
    bank_with_one_broken_rubric(dir.path());
    let in_dir = |args: &[&str]| {
        let mut cmd = viva();
        cmd.current_dir(dir.path())
            .args(["--bank", "bank"])
            .args(args);
        cmd
    };
    assert_snapshot!(
        "broken_rubric_grade_other",
        run(in_dir(&["grade", "list-vs-tuple", "-"]).write_stdin("A tuple is immutable."))
    );
    assert_snapshot!(
        "broken_rubric_grade_it",
        run(in_dir(&["grade", "dict-keys", "-"]).write_stdin("Hashable objects."))
    );
    assert_snapshot!("broken_rubric_lint", run(&mut in_dir(&["rubric", "lint"])));
}

/// Every rule each line sets off, including a contradiction in a sentence
/// that earns no point (which a grading would not show); exit 1 when any
/// line sets one off, 0 when none does.
#[test]
fn rubric_fires_lists_every_rule_each_statement_sets_off() {
    let statements = "The GIL is released during blocking I/O, so threads help for downloads.\n\n\
        Multiprocessing does not help either, because processes share the GIL.\n\
        The GIL makes Python code thread-safe, so you never need locks.\n";
    assert_snapshot!(run(viva()
        .args(["rubric", "fires", "gil-what-it-protects", "-"])
        .write_stdin(statements)));
    let true_only = run(viva()
        .args(["rubric", "fires", "gil-what-it-protects", "-"])
        .write_stdin(
            "Threads don't help for CPU-heavy work, you need multiprocessing for that.\n",
        ));
    assert!(true_only.starts_with("exit: 0\n"), "{true_only}");
    assert!(
        true_only.contains("0 of 1 lines set off a rule"),
        "{true_only}"
    );
}

#[test]
fn rubric_fires_on_an_unknown_question_is_a_usage_error() {
    let out = run(viva()
        .args(["rubric", "fires", "gil-what-it-protect", "-"])
        .write_stdin("The GIL is a lock.\n"));
    assert!(out.starts_with("exit: 2\n"), "{out}");
    assert!(
        out.contains("did you mean `gil-what-it-protects`?"),
        "{out}"
    );
}

/// `sides` that no point is about do nothing, and lint says so; once a
/// point's text opens with one side, the warning goes.
#[test]
fn lint_warns_about_sides_no_point_is_about() {
    let dir = tempfile::tempdir().unwrap();
    let bank = dir.path().join("bank");
    for sub in ["questions", "rubrics"] {
        std::fs::create_dir_all(bank.join(sub)).unwrap();
    }
    std::fs::copy(
        fixture("mini-bank/questions/basics.toml"),
        bank.join("questions/basics.toml"),
    )
    .unwrap();
    let rubric = std::fs::read_to_string(fixture("mini-bank/rubrics/list-vs-tuple.toml")).unwrap();
    // Every point names both sides.
    let with_sides = rubric
        .replacen(
            "question = \"list-vs-tuple\"\n",
            "question = \"list-vs-tuple\"\nsides = [[\"list\", \"lists\"], [\"tuple\", \"tuples\"]]\n",
            1,
        )
        .replace(
            "text = \"Tuples of hashable items are hashable, so they can be dict keys.\"",
            "text = \"Tuples of hashable items can be dict keys; lists cannot.\"",
        );
    let lint = |text: &str| {
        std::fs::write(bank.join("rubrics/list-vs-tuple.toml"), text).unwrap();
        run(viva().arg("--bank").arg(&bank).args(["rubric", "lint"]))
    };
    let idle = lint(&with_sides);
    assert!(
        idle.contains("warning: `sides` is set, but no point"),
        "{idle}"
    );
    // "Tuples hold fixed records." is about tuples.
    let used = lint(&with_sides.replace(
        "text = \"Tuples for fixed records, lists for homogeneous sequences that grow.\"",
        "text = \"Tuples hold fixed records.\"",
    ));
    assert!(!used.contains("`sides` is set"), "{used}");
}
