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

#[test]
fn restating_the_question_earns_nothing() {
    // An answer that only repeats the question's words must score 0 on every rubric.
    let bank = viva::bank::Bank::embedded().unwrap();
    let grader = viva::grade::keyword::KeywordGrader::new("test");
    let scoring: Vec<(String, f64)> = bank
        .questions()
        .iter()
        .filter_map(|q| {
            let rubric = bank.rubric(&q.id)?;
            let answer = format!("{}\n{}", q.text, q.text);
            let f = grader.grade(q, rubric, &answer).total.fraction;
            (f > 0.0).then(|| (q.id.clone(), f))
        })
        .collect();
    assert!(
        scoring.is_empty(),
        "question text alone earns credit: {scoring:?}"
    );
}

#[test]
fn every_embedded_rubric_has_room_to_rank_depth() {
    // With four points, a plain correct mid-level answer met them all and
    // scored like an expert's; every rubric of the bank has at least five,
    // one of them something a senior answer adds (docs/bank-format.md).
    let bank = viva::bank::Bank::embedded().unwrap();
    let shallow: Vec<(&str, usize)> = bank
        .rubrics()
        .filter(|r| r.points.len() < 5)
        .map(|r| (r.question.as_str(), r.points.len()))
        .collect();
    assert!(
        shallow.is_empty(),
        "rubrics with fewer than five points: {shallow:?}"
    );
}
