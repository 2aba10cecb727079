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
