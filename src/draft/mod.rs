//! `viva rubric draft`: a bank drafted from questions and reference answers.
//!
//! A recruiter has a model answer, not phrase groups. Drafting splits the
//! reference into key points (one claim each, see [`split`]), weighs them by
//! how much they say, and writes each point as text alone, so the bank
//! derives its match rules from the words when it loads (`bank::derive`):
//! the drafted file and the grading can never drift apart, and an author who
//! wants other phrasings adds `groups` to a point. Each rubric also gets self-test
//! examples: the reference itself must score high and the question restated
//! must score nothing.
//!
//! Drafting is deterministic: the same input gives the same files.

pub mod borrow;
pub mod llm;
mod split;
pub mod write;

pub use split::{DraftPoint, key_points};
pub use write::{question_entry, rubric_file};

use crate::bank::{Level, derive};

/// Share of a drafted rubric's weight that earns full marks: a reference
/// answer states more than a full-mark answer must (chosen on the Mohler
/// development split, see `docs/drafting.md`).
pub const FULL_MARKS_SHARE: f64 = 0.7;

/// Heaviest weight a drafted point gets, however many words it has.
pub const MAX_WEIGHT: usize = 5;

/// What one question is drafted from.
#[derive(Debug, Clone)]
pub struct DraftSource {
    pub id: String,
    pub question: String,
    pub reference: String,
    pub topic: String,
    pub level: Level,
}

/// A drafted rubric, ready to be written.
#[derive(Debug, Clone)]
pub struct Draft {
    pub source: DraftSource,
    pub points: Vec<WeightedPoint>,
    /// Weight that earns full marks (see [`FULL_MARKS_SHARE`]); `None` for
    /// a single point of weight one.
    pub full_marks: Option<f64>,
    /// The two things the question asks to tell apart, if it asks that
    /// (see `derive::sides_from_question`).
    pub sides: Vec<Vec<String>>,
    /// Example answers an LLM wrote (label, text), pinned as self-tests.
    pub proposed_examples: Vec<(String, String)>,
    /// Misconceptions an LLM proposed (text, correction): written as
    /// comments for the author to review, never switched on unreviewed.
    pub proposed_misconceptions: Vec<(String, String)>,
    /// False claims borrowed from the bank's rubrics on the same subject
    /// (see [`borrow`]), written as misconceptions.
    pub borrowed: Vec<borrow::Borrowed>,
}

/// A drafted key point with its id and weight.
#[derive(Debug, Clone)]
pub struct WeightedPoint {
    pub id: String,
    pub weight: usize,
    pub point: DraftPoint,
    /// The words the bank will derive as groups, and how many are needed:
    /// shown in the file as a comment for the author.
    pub words: Vec<String>,
    pub need: usize,
    /// Statements that deny the point, as contradiction groups (see
    /// `derive::contradictions_from_text`), written into the file.
    pub contradicts: Vec<Vec<Vec<String>>>,
}

/// Drafts the rubric of one question.
pub fn draft(source: DraftSource) -> Draft {
    let mut points = Vec::new();
    let mut ids = std::collections::HashSet::new();
    // A clause of punctuation alone ("?!." before the first sentence) has
    // nothing to match: as a point its rubric would not load.
    let matchable = key_points(&source.reference, &source.question)
        .into_iter()
        .map(|p| (derive::rules_from_text(&p.text, &source.question), p))
        .filter(|(rules, _)| !rules.groups.is_empty());
    for (i, (rules, point)) in matchable.enumerate() {
        let words: Vec<String> = rules.groups.iter().map(|g| g.join(" | ")).collect();
        let content = rules.groups.len() - usize::from(rules.negative);
        let id = point_id(&point, i + 1, &mut ids);
        points.push(WeightedPoint {
            id,
            weight: content.clamp(1, MAX_WEIGHT),
            need: rules.need.unwrap_or(words.len()),
            words,
            contradicts: derive::contradictions_from_text(&point.text, &source.question),
            point,
        });
    }
    finish(source, points)
}

/// A draft of weighted points, with full marks set from their weights.
fn finish(source: DraftSource, points: Vec<WeightedPoint>) -> Draft {
    let total: usize = points.iter().map(|p| p.weight).sum();
    let full_marks = (total > 1).then(|| round1(total as f64 * FULL_MARKS_SHARE).max(1.0));
    Draft {
        sides: derive::sides_from_question(&source.question),
        source,
        points,
        full_marks,
        proposed_examples: Vec::new(),
        proposed_misconceptions: Vec::new(),
        borrowed: Vec::new(),
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// `p1`, `p2`... or, in a sectioned write-up, the section's slug and number.
fn point_id(point: &DraftPoint, n: usize, seen: &mut std::collections::HashSet<String>) -> String {
    let base = match &point.section {
        Some(s) => {
            let slug = slug(s);
            if slug.is_empty() {
                format!("p{n}")
            } else {
                format!("{slug}-{n}")
            }
        }
        None => format!("p{n}"),
    };
    let mut id = base.clone();
    let mut k = 2;
    while !seen.insert(id.clone()) {
        id = format!("{base}-{k}");
        k += 1;
    }
    id
}

/// Lowercase words joined by `-`, at most four of them.
pub fn slug(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(4)
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(question: &str, reference: &str) -> DraftSource {
        DraftSource {
            id: "q".into(),
            question: question.into(),
            reference: reference.into(),
            topic: "t".into(),
            level: Level::Middle,
        }
    }

    #[test]
    fn points_are_weighted_by_what_they_say_and_full_marks_is_a_share() {
        let d = draft(source(
            "What happens when a constructor is not provided?",
            "The compiler provides a default one. If a constructor is defined for a class, the compiler does not create a default one.",
        ));
        assert_eq!(d.points.len(), 2);
        assert_eq!(d.points[0].weight, 3, "{:?}", d.points[0].words);
        assert!(d.points[1].words.iter().any(|w| w.starts_with("not")));
        let total: usize = d.points.iter().map(|p| p.weight).sum();
        assert_eq!(d.full_marks, Some(round1(total as f64 * FULL_MARKS_SHARE)));
    }

    #[test]
    fn sections_name_points() {
        let d = draft(source(
            "Design it.",
            "## Data model\nOrders live in Postgres.\n## Caching\nSessions live in Redis.",
        ));
        let ids: Vec<&str> = d.points.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["data-model-1", "caching-2"]);
    }
}
