//! The aggregate's arithmetic on small hand-made journals.

use super::*;
use crate::batch::record::{Failure, Fingerprint, RECORD_SCHEMA};
use crate::grade::{self, Backend, Flag, MisconceptionHit, PointResult, QuestionRef, Verification};

/// A graded record whose points have weight 1 and the given scores.
fn graded(candidate: &str, question: &str, topic: &str, scores: &[f64]) -> Record {
    let points: Vec<PointResult> = scores
        .iter()
        .enumerate()
        .map(|(i, &score)| PointResult {
            id: format!("p{i}"),
            text: format!("point {i}"),
            weight: 1.0,
            score,
            earned: score,
            evidence: None,
            feedback: None,
            verification: Verification::Matched,
            rationale: None,
            withheld: None,
            derived: false,
            detail: None,
            halved: None,
        })
        .collect();
    let total = grade::total(&points, &[], None);
    let grading = Grading {
        schema: grade::SCHEMA.into(),
        question: QuestionRef {
            id: question.into(),
            text: format!("text of {question}"),
            topic: topic.into(),
            level: "senior".into(),
        },
        backend: Backend {
            name: "keyword".into(),
            model: None,
            reason: "test".into(),
            response_format: None,
            repairs: None,
        },
        points,
        misconceptions: vec![],
        total,
        flags: vec![],
        usage: None,
        samples: None,
        spoken: None,
    };
    Record {
        status: Status::Graded,
        grading: Some(grading),
        failure: None,
        ..failed(candidate, question)
    }
}

fn failed(candidate: &str, question: &str) -> Record {
    Record {
        journal: RECORD_SCHEMA.into(),
        status: Status::Failed,
        candidate: candidate.into(),
        question_id: question.into(),
        position: 1,
        input: None,
        fingerprint: Fingerprint {
            answer: "a".into(),
            rubric: "r".into(),
            prompt: None,
            grader: "keyword".into(),
            digest: None,
            settings: Default::default(),
        },
        latency_ms: 1,
        grading: None,
        failure: Some(Failure {
            kind: "endpoint".into(),
            message: "refused".into(),
        }),
        answer: None,
    }
}

fn summary(records: Vec<Record>) -> Summary {
    summary_with(records, &Options::default())
}

fn summary_with(records: Vec<Record>, options: &Options) -> Summary {
    summarise(
        "j.jsonl",
        &Loaded {
            records,
            ..Loaded::default()
        },
        options,
    )
}

#[test]
fn missing_answers_count_zero_in_the_ranking_unless_skipped() {
    // Regression: one good answer out of five ranked above five fair ones.
    let qs = ["q1", "q2", "q3", "q4", "q5"];
    let mut records = vec![graded("solo", "q1", "t", &[1.0, 1.0, 0.0])];
    for q in qs {
        records.push(graded("full", q, "t", &[1.0, 0.0, 0.0, 0.0]));
    }
    let s = summary(records.clone());
    let names: Vec<(&str, Option<f64>, usize, usize)> = s
        .ranking
        .iter()
        .map(|r| {
            (
                r.candidate.as_str(),
                r.mean_percent,
                r.answered,
                r.questions,
            )
        })
        .collect();
    assert_eq!(
        names,
        [("full", Some(25.0), 5, 5), ("solo", Some(13.3), 1, 5)]
    );
    assert_eq!(s.ranking[1].missing, 4);
    let skip = summary_with(
        records,
        &Options {
            missing: MissingPolicy::Skip,
            ..Options::default()
        },
    );
    assert_eq!(skip.ranking[0].candidate, "solo");
    assert_eq!(skip.ranking[0].mean_percent, Some(66.7));
}

#[test]
fn a_candidate_with_only_bad_rows_is_ranked_with_nothing_answered() {
    let bad = RowError {
        line: 3,
        kind: "empty-answer".into(),
        message: "answer on line 3 is empty".into(),
        candidate: Some("dee".into()),
        question_id: Some("q".into()),
    };
    let s = summary_with(
        vec![graded("ann", "q", "t", &[1.0])],
        &Options {
            bad_rows: vec![bad.clone()],
            ..Options::default()
        },
    );
    let dee = s.ranking.iter().find(|r| r.candidate == "dee").unwrap();
    assert_eq!(
        (dee.answered, dee.questions, dee.mean_percent),
        (0, 1, Some(0.0))
    );
    assert_eq!(s.bad_rows, [bad]);
}

#[test]
fn question_statistics_use_population_std_dev() {
    // Percentages 25, 50, 100 (four points each).
    let s = summary(vec![
        graded("a", "q", "t", &[1.0, 0.0, 0.0, 0.0]),
        graded("b", "q", "t", &[1.0, 1.0, 0.0, 0.0]),
        graded("c", "q", "t", &[1.0, 1.0, 1.0, 1.0]),
    ]);
    let q = &s.questions[0];
    assert_eq!((q.n, q.failed), (3, 0));
    assert_eq!(q.mean, Some(58.3));
    // sqrt(((25-58.33)^2 + (50-58.33)^2 + (100-58.33)^2) / 3) = 31.18
    assert_eq!(q.std_dev, Some(31.2));
    assert_eq!((q.min, q.max), (Some(25.0), Some(100.0)));
}

#[test]
fn the_last_record_per_candidate_and_question_wins() {
    let s = summary(vec![
        failed("ann", "q"),
        graded("bob", "q", "t", &[0.0, 0.0]),
        graded("ann", "q", "t", &[1.0, 1.0]),
        // A merged shard journal graded bob again, later.
        graded("bob", "q", "t", &[1.0, 0.0]),
    ]);
    assert_eq!(s.journal.records, 4);
    assert_eq!(s.journal.superseded, 2);
    assert_eq!(s.counts.answers, 2);
    assert_eq!(s.counts.failed, 0);
    let percents: Vec<_> = s.answers.iter().map(|a| a.percent).collect();
    assert_eq!(percents, [Some(100.0), Some(50.0)]);
    assert!(s.flags.is_empty(), "the superseded failure is not flagged");
}

#[test]
fn a_later_failure_replaces_an_earlier_grading() {
    let s = summary(vec![graded("ann", "q", "t", &[1.0]), failed("ann", "q")]);
    assert_eq!(s.answers[0].status, Status::Failed);
    assert_eq!(s.answers[0].topic, "", "no other grading names the topic");
    assert_eq!(s.ranking[0].mean_percent, None);
    assert_eq!(s.flags[0].kind, "failed");
    assert_eq!(s.flags[0].message, "endpoint: refused");
}

#[test]
fn ranking_is_by_mean_then_name_with_ungraded_last() {
    let skip = Options {
        missing: MissingPolicy::Skip,
        ..Options::default()
    };
    let s = summary_with(
        vec![
            failed("aaron", "q1"),
            graded("zoe", "q1", "t", &[1.0, 0.0]),
            graded("mia", "q1", "t", &[1.0, 1.0]),
            graded("bea", "q1", "t", &[0.0, 1.0]),
            graded("bea", "q2", "t", &[1.0, 0.0]),
            failed("bea", "q3"),
        ],
        &skip,
    );
    let order: Vec<_> = s
        .ranking
        .iter()
        .map(|r| (r.rank, r.candidate.as_str(), r.mean_percent))
        .collect();
    assert_eq!(
        order,
        [
            (1, "mia", Some(100.0)),
            (2, "bea", Some(50.0)),
            (3, "zoe", Some(50.0)),
            (4, "aaron", None),
        ]
    );
    assert_eq!((s.ranking[1].graded, s.ranking[1].failed), (2, 1));
}

#[test]
fn missed_points_rank_by_share_then_count_then_id() {
    let s = summary(vec![
        graded("a", "q1", "t", &[0.0, 1.0, 0.5]),
        graded("b", "q1", "t", &[0.0, 0.0, 1.0]),
        graded("c", "q1", "t", &[1.0, 0.0, 1.0]),
        graded("a", "q2", "t", &[0.0, 1.0]),
    ]);
    let order: Vec<_> = s
        .missed_points
        .iter()
        .map(|m| {
            (
                m.question_id.as_str(),
                m.point_id.as_str(),
                m.missed,
                m.share,
            )
        })
        .collect();
    // Half credit is not a miss, so q1/p2 is absent.
    assert_eq!(
        order,
        [
            ("q2", "p0", 1, 1.0),
            ("q1", "p0", 2, 0.6667),
            ("q1", "p1", 2, 0.6667),
        ]
    );
}

#[test]
fn missed_points_keep_the_top_ten() {
    let scores = [0.0; 12];
    let s = summary(vec![graded("a", "q", "t", &scores)]);
    assert_eq!(s.missed_points.len(), TOP_MISSED);
}

#[test]
fn topics_average_graded_answers_and_failures_take_a_known_topic() {
    let s = summary(vec![
        graded("a", "q1", "alpha", &[1.0]),
        graded("b", "q1", "alpha", &[0.0]),
        graded("a", "q2", "beta", &[1.0, 0.0]),
        failed("c", "q2"),
    ]);
    let topics: Vec<_> = s
        .topics
        .iter()
        .map(|t| (t.topic.as_str(), t.n, t.mean))
        .collect();
    assert_eq!(topics, [("alpha", 2, 50.0), ("beta", 1, 50.0)]);
    let failed = s.answers.iter().find(|a| a.candidate == "c").unwrap();
    assert_eq!(failed.topic, "beta");
    assert_eq!(failed.flags, ["failed:endpoint"]);
}

#[test]
fn distribution_counts_graded_answers_per_band() {
    let s = summary(vec![
        graded("a", "q", "t", &[1.0]),
        graded("b", "q", "t", &[0.0]),
        graded("c", "q", "t", &[1.0, 1.0, 1.0, 0.0]),
        failed("d", "q"),
    ]);
    let counts: Vec<_> = s.distribution.iter().map(|b| b.count).collect();
    assert_eq!(counts, [1, 0, 0, 0, 0, 0, 0, 1, 0, 1]);
    assert_eq!((s.distribution[9].from, s.distribution[9].to), (90, 100));
}

#[test]
fn flags_list_grading_flags_and_misconceptions_with_evidence() {
    let mut r = graded("a", "q", "t", &[1.0]);
    let g = r.grading.as_mut().unwrap();
    g.flags.push(Flag {
        kind: "possible-manipulation".into(),
        message: "asks for full marks".into(),
    });
    g.misconceptions.push(MisconceptionHit {
        id: "m1".into(),
        text: "wrong idea".into(),
        penalty: 0.1,
        evidence: Some("they said so".into()),
        correction: "c".into(),
    });
    let s = summary(vec![r]);
    let kinds: Vec<_> = s.flags.iter().map(|f| f.kind.as_str()).collect();
    assert_eq!(kinds, ["possible-manipulation", "misconception"]);
    assert_eq!(s.flags[1].message, "m1: wrong idea");
    assert_eq!(s.flags[1].evidence.as_deref(), Some("they said so"));
    assert_eq!(
        s.answers[0].flags,
        ["possible-manipulation", "misconception:m1"]
    );
}

#[test]
fn journal_problems_make_one_warning_line() {
    let mut s = summary(vec![graded("a", "q", "t", &[1.0])]);
    assert_eq!(s.journal.warning(), None);
    s.journal.bad_lines = vec![
        BadLine {
            line: 3,
            reason: "expected value".into(),
        },
        BadLine {
            line: 9,
            reason: "x".into(),
        },
    ];
    s.journal.torn_tail = true;
    assert_eq!(
        s.journal.warning().unwrap(),
        "journal j.jsonl: line 3 is not a valid record (expected value) and 1 more, skipped; \
         the last line is incomplete (a batch may still be writing it), skipped"
    );
}
