//! The repo's own bank: every file valid, every example graded in range, and
//! every seed question present.

use crate::common::{run, viva};

#[test]
fn embedded_bank_lints_clean() {
    let out = run(viva().args(["rubric", "lint", "--strict"]));
    assert!(out.starts_with("exit: 0\n"), "{out}");
}

#[test]
fn embedded_bank_examples_grade_in_range() {
    let out = run(viva().args(["rubric", "test"]));
    assert!(out.starts_with("exit: 0\n"), "{out}");
}
