//! Rubric self-checks: what a rubric must get right about itself before it
//! grades anyone.
//!
//! - A misconception or a point's contradiction must not fire on the
//!   rubric's own key-point texts or its honest examples (they are true
//!   statements), nor a misconception on its `not_examples`.
//! - A bare list of the rubric's own phrases, and the question restated,
//!   must score at most [`GAMING_MAX`]: a score has to mean understanding,
//!   not vocabulary.
//!
//! `rubric lint` reports the first kind as errors; `rubric test` runs all of
//! them and prints bank-wide figures.

use super::keyword::KeywordGrader;
use crate::bank::{Question, Rubric};

/// Highest score an answer built only to game a rubric may reach.
pub const GAMING_MAX: f64 = 0.2;

/// A true statement that sets off a misconception.
#[derive(Debug, Clone, PartialEq)]
pub struct FalseAlarm {
    pub misconception: String,
    /// What the statement is: `point `x` text`, `strong example (line N)`,
    /// or `not_example`.
    pub source: String,
    pub text: String,
}

/// Example labels of answers that state only true things (possibly not
/// all of them): a misconception or contradiction that fires on one of
/// them fires on a true statement. Weak examples may be wrong, and salad
/// and reversed ones are wrong on purpose.
pub const HONEST_LABELS: &[&str] = &[
    "strong",
    "partial",
    "paraphrase",
    "spoken-paraphrase",
    "plain",
    "transcript",
    "partial-plain",
    "plain-one-line",
];

/// A rule that calls one of the rubric's own true statements false.
#[derive(Debug, Clone, PartialEq)]
pub struct SelfContradiction {
    /// "misconception `x`" or "a contradiction of point `y`".
    pub rule: String,
    /// What the statement is: "the text of point `x`", "the strong example
    /// at line N".
    pub source: String,
    /// The sentence the rule fires on.
    pub evidence: String,
}

/// Misconceptions and contradictions that fire on the rubric's own point
/// texts or honest examples: a rubric contradicting itself. `rubric lint`
/// errors on these.
pub fn self_contradictions(grader: &KeywordGrader, r: &Rubric) -> Vec<SelfContradiction> {
    let mut sources: Vec<(String, &str)> = r
        .points
        .iter()
        .map(|p| (format!("the text of point `{}`", p.id), p.text.as_str()))
        .collect();
    sources.extend(
        r.examples
            .iter()
            .filter(|e| HONEST_LABELS.contains(&e.label.as_str()))
            .map(|e| {
                (
                    format!("the {} example at line {}", e.label, e.line),
                    e.text.as_str(),
                )
            }),
    );
    let mut out = Vec::new();
    for (source, text) in sources {
        for s in grader.false_statements(r, text) {
            let found = SelfContradiction {
                rule: s.rule.describe(r),
                source: source.clone(),
                evidence: s.evidence,
            };
            if !out.contains(&found) {
                out.push(found);
            }
        }
    }
    out
}

/// `not_examples` that set off the misconception they belong to.
pub fn not_example_hits(grader: &KeywordGrader, q: &Question, r: &Rubric) -> Vec<FalseAlarm> {
    let mut out = Vec::new();
    for m in &r.misconceptions {
        let sources = m
            .not_examples
            .iter()
            .map(|t| ("a not_example".to_string(), t.as_str()))
            .collect();
        out.extend(alarms(grader, q, r, sources, |id| id == m.id));
    }
    out
}

fn alarms(
    grader: &KeywordGrader,
    q: &Question,
    r: &Rubric,
    sources: Vec<(String, &str)>,
    wanted: impl Fn(&str) -> bool,
) -> Vec<FalseAlarm> {
    let mut out = Vec::new();
    for (source, text) in sources {
        for hit in grader.grade(q, r, text).misconceptions {
            if wanted(&hit.id) {
                out.push(FalseAlarm {
                    misconception: hit.id,
                    source: source.clone(),
                    text: text.to_string(),
                });
            }
        }
    }
    out
}

/// Answers built to game a rubric: a bare list of its own phrases, and the
/// question restated. Each must score at most [`GAMING_MAX`].
///
/// Neither is built where it would be a right answer: the bare list when the
/// expected answer is itself a term or two, or names things ("Private and
/// public."), and the restated question when the answer's words are all in
/// the question ("By rows or by columns?" "By rows.").
pub fn gaming_answers(q: &Question, r: &Rubric) -> Vec<(&'static str, String)> {
    let mut phrases: Vec<&str> = Vec::new();
    for p in &r.points {
        for group in &p.rules.groups {
            for phrase in group {
                if !phrases.contains(&phrase.as_str()) {
                    phrases.push(phrase);
                }
            }
        }
    }
    let mut out = Vec::new();
    let naming = r.points.iter().any(super::keyword::names_things);
    if phrases.len() > 2 && !naming {
        out.push(("bare list", phrases.join(", ")));
    }
    let asked = r.points.iter().all(|p| p.derived)
        && r.points
            .iter()
            .all(|p| crate::bank::derive::only_question_words(&p.text, &q.text));
    if !asked {
        out.push(("question restated", q.text.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;

    #[test]
    fn gaming_answers_list_every_phrase_once_and_restate_the_question() {
        let bank = Bank::embedded().unwrap();
        let q = bank.question("gil-what-it-protects").unwrap();
        let r = bank.rubric("gil-what-it-protects").unwrap();
        let answers = gaming_answers(q, r);
        assert_eq!(answers[0].0, "bare list");
        let first = &r.points[0].rules.groups[0][0];
        assert!(answers[0].1.contains(first.as_str()));
        assert_eq!(answers[1].1, q.text);
    }

    #[test]
    fn a_contradiction_firing_on_an_honest_example_is_a_self_contradiction() {
        let bank = Bank::embedded().unwrap();
        let grader = KeywordGrader::new("test");
        let mut r = bank.rubric("gil-what-it-protects").unwrap().clone();
        assert_eq!(self_contradictions(&grader, &r), []);
        // "thread" and "bytecode" are in the strong example's true sentences.
        r.question = "gil-with-a-bad-rule".into();
        r.points[0].contradicts = vec![crate::bank::MatchRules {
            groups: vec![vec!["thread".into()], vec!["bytecode".into()]],
            ..Default::default()
        }];
        let found = self_contradictions(&grader, &r);
        assert!(
            found.iter().any(|f| f.rule
                == format!("contradiction 1 of point `{}`", r.points[0].id)
                && f.source.starts_with("the strong example at line")),
            "{found:?}"
        );
    }
}
