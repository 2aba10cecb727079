//! The bank's validated, in-memory types.
//!
//! These are what graders and reports work with. They are built only by
//! [`crate::bank::load`], which checks every invariant documented here, so the
//! rest of the program can rely on them without re-checking.

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::search::REGEX_DFA_CACHE;

/// A rubric regex's source as compiled: case-insensitive unless the author
/// sets flags of their own.
pub fn rubric_regex_source(pattern: &str) -> std::borrow::Cow<'_, str> {
    if pattern.starts_with("(?") {
        pattern.into()
    } else {
        format!("(?i){pattern}").into()
    }
}

/// Compiles a rubric regex: case-insensitive unless the author says otherwise.
pub fn compile_regex(pattern: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(&rubric_regex_source(pattern))
        .dfa_size_limit(REGEX_DFA_CACHE)
        .build()
}

/// How senior a question is; used to filter the bank and to pick practice questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Junior,
    Middle,
    Senior,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Junior => "junior",
            Level::Middle => "middle",
            Level::Senior => "senior",
        }
    }
}

impl std::str::FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "junior" => Ok(Level::Junior),
            "middle" => Ok(Level::Middle),
            "senior" => Ok(Level::Senior),
            other => Err(format!(
                "unknown level `{other}` (expected junior, middle or senior)"
            )),
        }
    }
}

/// Where a question comes from: the seed document and its own wording, kept so
/// that every question can be traced back and seed coverage can be checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// File name of the seed document.
    pub seed: String,
    /// The seed's short heading for the question, where it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The seed's wording, verbatim.
    pub text: String,
}

/// One interview question.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Question {
    /// Stable kebab-case id used on the command line and in journals.
    pub id: String,
    /// The question as an interviewer asks it.
    pub text: String,
    pub topic: String,
    pub level: Level,
    pub sources: Vec<Source>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Ids of the questions an interviewer asks next to go deeper on the
    /// same topic, most natural first (`follow_ups` in the question file).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<String>,
}

/// The keyword grader's rules for recognising a key point or misconception.
///
/// A rule set is met in full when, within one sentence (or two adjacent ones),
/// every group has one of its phrases present and not negated, or when any of
/// the regexes matches. Matching `half` groups earns half credit. With
/// `need`, that many groups earn full credit and fewer earn their share.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MatchRules {
    pub groups: Vec<Vec<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regex: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub half: Option<usize>,
    /// Groups that earn full credit when fewer than all are required (rules
    /// derived from a point's text, where the words of a reference sentence
    /// are many ways of saying one thing); fewer groups earn `met / need`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub need: Option<usize>,
    /// The statement is itself negative ("the base case is not reached"):
    /// a negation before its words in an answer says the same thing, so it
    /// does not deny them.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub negative: bool,
    /// For a false statement (a misconception or a contradiction): phrases
    /// that, said in the same sentence, make its words a true statement,
    /// so it does not fire there. "Threads run on all cores" is false of
    /// the default build and true of the free-threaded one; "Python checks
    /// type hints at runtime" is false, and true of a runtime checker such
    /// as typeguard. Empty for a point's own rules.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unless: Vec<String>,
    /// By group, for rules derived from a text: whether an answer that
    /// negates the group's word outright says the opposite of the text.
    /// True for the words the text states, false for those it negates
    /// itself and for the negation. Empty for an author's rules.
    #[serde(skip)]
    pub deniable: Vec<bool>,
}

impl MatchRules {
    /// Number of groups that earns half credit, if half credit is possible.
    ///
    /// By default only rules with three or more groups give half credit (for
    /// all but one group): with fewer, a single matched word would be enough,
    /// and an answer that merely names the topic would score.
    pub fn half_threshold(&self) -> Option<usize> {
        match self.half {
            Some(h) => Some(h),
            None if self.need.is_none() && self.groups.len() >= 3 => Some(self.groups.len() - 1),
            None => None,
        }
    }
}

/// One thing a strong answer says, with its share of the score.
#[derive(Debug, Clone, Serialize)]
pub struct KeyPoint {
    pub id: String,
    pub weight: f64,
    /// The point as a reviewer would state it.
    pub text: String,
    /// What to tell a candidate who missed the point; defaults to the statement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
    #[serde(rename = "match")]
    pub rules: MatchRules,
    /// Statements that deny the point: a unit that states one earns nothing
    /// for the point, and the report shows it as a correction.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contradicts: Vec<MatchRules>,
    /// How far apart the point's groups may be found.
    #[serde(skip_serializing_if = "Scope::is_default")]
    pub scope: Scope,
    /// The point gave only its text, so its rules were derived from the text
    /// (see `bank::derive`); reports say so, since such rules match words of
    /// the statement rather than phrasings an author chose.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    /// The follow-up question that probes this point when an answer misses
    /// it (`leads_to` in the rubric): practice asks it before the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leads_to: Option<String>,
}

/// The stretch of an answer within which every group of a point must match.
///
/// A point is a statement, so by default its parts must be said together, in
/// one sentence; two sentences joined only because they are adjacent would
/// let unrelated claims add up to a point nobody made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// One sentence (or one window of an unpunctuated transcript).
    #[default]
    Sentence,
    /// One sentence or two adjacent ones, for points whose parts are
    /// naturally said in two steps ("X happens. That is why Y.").
    Pair,
}

impl Scope {
    fn is_default(&self) -> bool {
        *self == Scope::Sentence
    }
}

impl KeyPoint {
    pub fn advice(&self) -> &str {
        self.feedback.as_deref().unwrap_or(&self.text)
    }
}

/// A common wrong belief; stating it costs `penalty` of the total score.
#[derive(Debug, Clone, Serialize)]
pub struct Misconception {
    pub id: String,
    /// Fraction of the whole score (0–1] subtracted when the belief is stated.
    pub penalty: f64,
    pub text: String,
    /// The correct view, shown to the candidate.
    pub correction: String,
    #[serde(rename = "match")]
    pub rules: MatchRules,
    /// True statements close to the belief that must not set it off;
    /// `rubric test` checks each one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_examples: Vec<String>,
}

/// An answer the rubric must grade into a known score range; `rubric test`
/// checks them so that rubric edits cannot silently change grading.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// strong, partial, weak, transcript, or any other word the author picks.
    pub label: String,
    /// Inclusive range of the expected total fraction.
    pub score: (f64, f64),
    pub text: String,
    /// Line in the rubric file where the example starts, for error messages.
    #[serde(skip)]
    pub line: usize,
}

/// The grading scheme of one question.
#[derive(Debug, Clone, Serialize)]
pub struct Rubric {
    pub question: String,
    pub points: Vec<KeyPoint>,
    pub misconceptions: Vec<Misconception>,
    pub examples: Vec<Example>,
    /// Weight that earns full marks, when less than the sum of the weights:
    /// "any three of these five points" in a mark scheme.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_marks: Option<f64>,
    /// The things a comparison question sets against each other ("CPU-bound"
    /// and "I/O-bound"), each as phrases naming it. A point whose text names
    /// one side is not earned by a sentence that says its words of another
    /// side ("CPU-bound work waits on the network"); see `docs/grading.md`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sides: Vec<Vec<String>>,
    /// Path of the rubric file relative to the bank root.
    #[serde(skip)]
    pub file: String,
    /// The bank's equivalences, applied when the rubric's phrases compile.
    #[serde(skip)]
    pub lexicon: std::sync::Arc<super::Lexicon>,
}

impl Rubric {
    pub fn total_weight(&self) -> f64 {
        self.points.iter().map(|p| p.weight).sum()
    }

    /// The weight an answer must earn for a full score.
    pub fn full_weight(&self) -> f64 {
        let total = self.total_weight();
        self.full_marks.map_or(total, |f| f.min(total))
    }
}
