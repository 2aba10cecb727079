use super::*;
use crate::bank::{KeyPoint, Level, Misconception};

fn rubric(points: &[(&str, &[&[&str]])], misconceptions: &[(&str, &[&[&str]])]) -> Rubric {
    let rules = |groups: &[&[&str]]| MatchRules {
        groups: groups
            .iter()
            .map(|g| g.iter().map(|s| s.to_string()).collect())
            .collect(),
        regex: vec![],
        half: None,
    };
    Rubric {
        question: "q".into(),
        points: points
            .iter()
            .map(|(id, groups)| KeyPoint {
                id: id.to_string(),
                weight: 1.0,
                text: format!("point {id}"),
                feedback: None,
                rules: rules(groups),
            })
            .collect(),
        misconceptions: misconceptions
            .iter()
            .map(|(id, groups)| Misconception {
                id: id.to_string(),
                penalty: 0.25,
                text: format!("misconception {id}"),
                correction: "fix".into(),
                rules: rules(groups),
            })
            .collect(),
        examples: vec![],
        file: "rubrics/q.toml".into(),
    }
}

fn question() -> Question {
    Question {
        id: "q".into(),
        text: "Q?".into(),
        topic: "t".into(),
        level: Level::Senior,
        sources: vec![],
        tags: vec![],
    }
}

fn scores(r: &Rubric, answer: &str) -> Vec<f64> {
    KeywordGrader::new("test")
        .grade(&question(), r, answer)
        .points
        .into_iter()
        .map(|p| p.score)
        .collect()
}

fn misconceptions(r: &Rubric, answer: &str) -> Vec<MisconceptionHit> {
    KeywordGrader::new("test")
        .grade(&question(), r, answer)
        .misconceptions
}

const RELEASE_IO: &[&[&str]] = &[
    &["release", "drop", "give up"],
    &["i/o", "blocking call", "network"],
];

#[test]
fn phrase_found_in_one_sentence_earns_full_credit() {
    let r = rubric(&[("io", RELEASE_IO)], &[]);
    assert_eq!(
        scores(
            &r,
            "The GIL is released while a thread waits on blocking I/O."
        ),
        [1.0]
    );
    assert_eq!(
        scores(&r, "Threads drop the lock for network reads."),
        [1.0]
    );
}

#[test]
fn inflections_and_stems_match() {
    let r = rubric(&[("rc", &[&["reference counting"]])], &[]);
    assert_eq!(
        scores(&r, "It protects the reference counts of objects."),
        [1.0]
    );
    assert_eq!(
        scores(&r, "It protects refcounts."),
        [0.0],
        "needs the joined variant"
    );
    let r = rubric(&[("rc", &[&["ref count"]])], &[]);
    assert_eq!(scores(&r, "It protects refcounts."), [1.0]);
}

#[test]
fn negation_before_a_phrase_cancels_it() {
    let r = rubric(&[("io", RELEASE_IO)], &[]);
    assert_eq!(scores(&r, "The GIL does not release during I/O."), [0.0]);
    assert_eq!(
        scores(&r, "A thread doesn't release the GIL for I/O."),
        [0.0]
    );
    assert_eq!(scores(&r, "It never gets released on I/O."), [0.0]);
}

#[test]
fn negation_stops_at_clause_boundaries_and_hedges() {
    let r = rubric(&[("io", RELEASE_IO)], &[]);
    assert_eq!(
        scores(
            &r,
            "CPU work does not benefit, but the GIL is released during I/O."
        ),
        [1.0]
    );
    assert_eq!(
        scores(&r, "It is not only released during I/O but also on sleep."),
        [1.0]
    );
}

#[test]
fn phrases_that_state_a_negation_match_it() {
    let r = rubric(&[("ts", &[&["not thread safe"]])], &[]);
    assert_eq!(
        scores(&r, "A list append is atomic but x += 1 is not thread-safe."),
        [1.0]
    );
}

#[test]
fn misconception_is_not_triggered_when_denied() {
    let r = rubric(&[], &[("safe", &[&["gil"], &["thread safe", "no race"]])]);
    assert_eq!(
        misconceptions(&r, "The GIL makes my code thread safe.").len(),
        1
    );
    assert!(misconceptions(&r, "The GIL does not make your code thread safe.").is_empty());
}

#[test]
fn groups_must_meet_in_one_or_two_adjacent_sentences() {
    let r = rubric(&[("io", RELEASE_IO)], &[]);
    assert_eq!(
        scores(&r, "The GIL gets released. That happens for I/O."),
        [1.0]
    );
    assert_eq!(
        scores(
            &r,
            "The GIL gets released. Python is popular. Java is too. I/O is slow."
        ),
        [0.0]
    );
}

#[test]
fn half_credit_for_most_groups() {
    let r = rubric(&[("three", &[&["alpha"], &["beta"], &["gamma"]])], &[]);
    assert_eq!(scores(&r, "alpha beta gamma"), [1.0]);
    assert_eq!(scores(&r, "alpha and beta only"), [0.5]);
    assert_eq!(scores(&r, "alpha alone"), [0.0]);
    let two = rubric(&[("two", RELEASE_IO)], &[]);
    assert_eq!(
        scores(&two, "it is released"),
        [0.0],
        "two groups give no half credit by default"
    );
}

#[test]
fn transcript_noise_is_tolerated() {
    let r = rubric(
        &[(
            "gil",
            &[&["gil", "global interpreter lock"], &["reference count"]],
        )],
        &[],
    );
    let transcript = "so um the gill basically uh protects the the reference counts you know";
    assert_eq!(scores(&r, transcript), [1.0]);
}

#[test]
fn fuzzy_matching_is_bounded() {
    let r = rubric(&[("mp", &[&["multiprocessing"]])], &[]);
    assert_eq!(
        scores(&r, "use multiprocesing for CPU work"),
        [1.0],
        "one typo"
    );
    assert_eq!(
        scores(&r, "use multi processing for CPU work"),
        [1.0],
        "split word"
    );
    let r = rubric(&[("async", &[&["async"]])], &[]);
    assert_eq!(
        scores(&r, "it is sync code"),
        [0.0],
        "first letter must agree"
    );
    let r = rubric(&[("heap", &[&["heap"]])], &[]);
    assert_eq!(scores(&r, "a help"), [0.0], "short words are never fuzzy");
}

#[test]
fn filler_between_phrase_words_is_skipped_but_negators_are_not() {
    let r = rubric(&[("p", &[&["deep copy"]])], &[]);
    assert_eq!(scores(&r, "a deep, um, copy"), [1.0]);
    assert_eq!(scores(&r, "deep recursive copy"), [1.0]);
    assert_eq!(scores(&r, "deep but not copy"), [0.0]);
}

#[test]
fn long_transcripts_are_windowed() {
    let filler: String = (0..60).map(|i| format!("w{i} ")).collect();
    let r = rubric(&[("io", RELEASE_IO)], &[]);
    let text = format!("it is released {filler} and then network");
    assert_eq!(
        scores(&r, &text),
        [0.0],
        "far-apart words in one run-on do not combine"
    );
    let text = format!("{filler} it is released for network {filler}");
    let got: Vec<(f64, Option<String>)> = KeywordGrader::new("t")
        .grade(&question(), &r, &text)
        .points
        .into_iter()
        .map(|p| (p.score, p.evidence))
        .collect();
    assert_eq!(got[0].0, 1.0);
    assert!(
        got[0].1.as_ref().unwrap().len() < text.len(),
        "evidence is a window, not the whole text"
    );
}

#[test]
fn evidence_is_the_matching_sentence() {
    let r = rubric(&[("io", RELEASE_IO)], &[]);
    let g = KeywordGrader::new("t").grade(
        &question(),
        &r,
        "The GIL is a mutex.  It is released\n during blocking I/O! Other text.",
    );
    assert_eq!(
        g.points[0].evidence.as_deref(),
        Some("It is released during blocking I/O!")
    );
    assert_eq!(g.total.percent, 100.0);
}

#[test]
fn regex_rules_give_full_credit() {
    let mut r = rubric(&[("re", &[])], &[]);
    r.points[0].rules.regex = vec![r"\bO\(1\)".into()];
    assert_eq!(scores(&r, "Lookups are o(1) on average."), [1.0]);
    assert_eq!(scores(&r, "Lookups are not O(1)."), [0.0]);
}

#[test]
fn grading_is_deterministic() {
    let r = rubric(&[("io", RELEASE_IO), ("rc", &[&["reference count"]])], &[]);
    let g = KeywordGrader::new("t");
    let a = g.grade(&question(), &r, "released for I/O; reference counts");
    let b = g.grade(&question(), &r, "released for I/O; reference counts");
    assert_eq!(a, b);
}

#[test]
fn negation_does_not_reach_into_the_next_clause() {
    let r = rubric(&[("mp", &[&["cpu heavy"], &["multiprocessing"]])], &[]);
    assert_eq!(
        scores(
            &r,
            "for CPU heavy work threads don't help and you should use multiprocessing"
        ),
        [1.0]
    );
}

#[test]
fn negation_reaches_over_a_short_object() {
    // Pins a false misconception hit: "does not make your own code thread-safe".
    let r = rubric(&[], &[("safe", &[&["gil"], &["thread safe"]])]);
    assert!(misconceptions(&r, "The GIL does not make your own code thread-safe.").is_empty());
}

#[test]
fn negation_does_not_reach_past_a_preposition() {
    let r = rubric(&[("cpu", &[&["cpu heavy"], &["multiprocessing"]])], &[]);
    assert_eq!(
        scores(
            &r,
            "threads are not good for CPU heavy work, use multiprocessing"
        ),
        [1.0]
    );
}
