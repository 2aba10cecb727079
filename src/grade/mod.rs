//! Grading: the common result type every grader returns, and how per-point
//! scores add up to a total.
//!
//! The keyword grader and the LLM grader both produce a [`Grading`], so
//! reports, journals and tests do not care which one graded.

pub mod backend;
pub mod injection;
pub mod keyword;
pub mod llm;
pub mod selfcheck;

use serde::{Deserialize, Serialize};

use crate::bank::{Question, Rubric};
use crate::llm::client::LlmError;
use crate::stt::{QuoteTime, Spoken};

/// Identifies the JSON layout of a grading; bumped on breaking changes.
pub const SCHEMA: &str = "viva.grading/v1";

/// Version of the keyword grading rules. Bump it with any change that can
/// change a keyword grade, so batch journals regrade on resume.
pub const KEYWORD_GRADER_VERSION: &str = "keyword/110";

/// Version of the LLM grading logic (verdict checks, evidence verification,
/// combining samples). Bump it with any change that can change an LLM grade.
pub const LLM_GRADER_VERSION: &str = "llm/1";

/// How a point's credit was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verification {
    /// Found by the keyword grader's rules in the answer itself.
    Matched,
    /// The LLM's quote was found in the answer.
    Verified,
    /// The LLM's quote was not found, but the keyword grader found the point.
    Corroborated,
    /// The LLM's quote was not found and nothing backs it; credit withheld
    /// unless the policy allows it.
    Unverified,
    /// No credit was claimed.
    None,
}

/// The verdict on one key point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointResult {
    pub id: String,
    pub text: String,
    pub weight: f64,
    /// 0, 0.5 or 1; with an even number of LLM samples, the mean of the
    /// middle two, so also 0.25 or 0.75. A point with `need` (derived from
    /// its text) may also earn a share: met groups over needed groups.
    pub score: f64,
    /// `score * weight`.
    pub earned: f64,
    /// The answer's words that earned the credit.
    pub evidence: Option<String>,
    /// What to add to earn the point (for points not fully met).
    pub feedback: Option<String>,
    pub verification: Verification,
    /// The grader's own explanation, when it gives one (LLM only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// Why words of the answer that touch the point earned nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld: Option<Withheld>,
    /// The point's keyword rules were derived from its text, not written by
    /// the rubric's author (see `bank::derive`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    /// For a keyword grading of a point stated without all its specifics,
    /// the share of the statement's credit it earns (see
    /// `keyword::detail`): `score` is that credit times this. Left out
    /// when the point earns its statement's whole credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<f64>,
    /// For a keyword grading, why the statement that earned the point got
    /// half its credit, when it did for the way it strings several points'
    /// words together (see `keyword::spread`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub halved: Option<Halved>,
}

/// Why a keyword grading gave a point's statement half its credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Halved {
    /// The sentence packs the words of many points into few words.
    Dense,
    /// The sentence ties several points' words together, as nearly every
    /// statement of the answer does.
    Scrambled,
}

impl Halved {
    /// How reports say it, after the point's score.
    pub fn describe(self) -> &'static str {
        match self {
            Halved::Dense => "half credit, packs several points' words",
            Halved::Scrambled => {
                "half credit, mixes several points' words, like most of the answer"
            }
        }
    }
}

impl PointResult {
    /// The credit of the statement found, before its detail: what the
    /// keyword rules vouch for when they corroborate another grader.
    pub fn found(&self) -> f64 {
        match self.detail {
            Some(d) if d > 0.0 => (self.score / d * 1e6).round() / 1e6,
            _ => self.score,
        }
    }
}

/// Words of the answer that touch a point but earn it nothing, and why: a
/// score must reflect statements, so the report says which words did not
/// count instead of silently ignoring them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Withheld {
    pub reason: WithheldReason,
    /// The answer's words in question.
    pub evidence: String,
    /// The point's worth was taken off the total because the answer states
    /// its opposite (see [`total`]), so a report can say which points cost
    /// what. Left out of JSON when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub charged: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WithheldReason {
    /// The words come as a list of terms, not as a statement.
    TermList,
    /// The answer states the opposite of the point.
    Contradiction,
    /// The clause already earned another point.
    ClauseCap,
    /// The answer says the point of another side of a comparison ("CPU-bound
    /// work waits on the network").
    OtherSide,
    /// The answer states the point in one sentence and, in another, one of
    /// its written contradictions, and it makes at least one more false
    /// statement: two false statements are no slip, and what the answer
    /// says of the point cannot be trusted either way.
    BothWays,
}

impl WithheldReason {
    /// How a report explains it.
    pub fn describe(self) -> &'static str {
        match self {
            WithheldReason::TermList => "a list of terms, not a statement",
            WithheldReason::Contradiction => "the answer states the opposite",
            WithheldReason::ClauseCap => "that clause already earned another point",
            WithheldReason::OtherSide => "the answer says it of another side of the comparison",
            WithheldReason::BothWays => {
                "the answer states both it and its opposite, among other false statements"
            }
        }
    }
}

/// A misconception the answer states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MisconceptionHit {
    pub id: String,
    pub text: String,
    pub penalty: f64,
    pub evidence: Option<String>,
    pub correction: String,
}

/// The total score, as a fraction and a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Total {
    /// Weighted points earned.
    pub earned: f64,
    /// Sum of all point weights.
    pub possible: f64,
    /// Sum of misconception penalties applied (fraction of the whole).
    pub penalty: f64,
    /// What stating the opposite of key points cost (fraction of the whole):
    /// what each point whose [`Withheld::charged`] is set is worth (see
    /// [`total`]).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub contradicted: f64,
    /// `earned / possible - penalty - contradicted`, clamped to [0, 1],
    /// rounded to 4 places.
    pub fraction: f64,
    /// `fraction` as a percentage, rounded to one decimal.
    pub percent: f64,
}

/// Which grader produced a grading, and why that one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backend {
    /// `keyword` or `llm`.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Why this backend graded (e.g. "no endpoint configured").
    pub reason: String,
    /// The structured-output form the endpoint accepted (LLM only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<String>,
    /// Verdicts that needed a repair request (LLM only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repairs: Option<u32>,
}

/// A question as it appears in a grading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionRef {
    pub id: String,
    pub text: String,
    pub topic: String,
    pub level: String,
}

impl From<&Question> for QuestionRef {
    fn from(q: &Question) -> Self {
        QuestionRef {
            id: q.id.clone(),
            text: q.text.clone(),
            topic: q.topic.clone(),
            level: q.level.as_str().to_string(),
        }
    }
}

/// The full result of grading one answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grading {
    pub schema: String,
    pub question: QuestionRef,
    pub backend: Backend,
    pub points: Vec<PointResult>,
    pub misconceptions: Vec<MisconceptionHit>,
    pub total: Total,
    /// Warnings a reviewer should look at (disagreements, manipulation attempts...).
    #[serde(default)]
    pub flags: Vec<Flag>,
    /// Tokens spent (LLM only), with the cost when a price table is configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<UsageReport>,
    /// How independent verdicts agreed, with `--samples N` (N > 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<Samples>,
    /// For a recorded answer: the recording, its transcript with timings,
    /// the transcript's quality and how the answer was said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spoken: Option<Box<Spoken>>,
}

/// The flag kind of a transcript too poor to trust the grade.
pub const POOR_TRANSCRIPT: &str = "poor-transcript";

impl Grading {
    /// Attaches what is known of a recorded answer: the time each quote was
    /// said, and a `poor-transcript` flag when the quality gate failed.
    pub fn attach_spoken(&mut self, mut spoken: Spoken) {
        let quoted = self
            .points
            .iter()
            .map(|p| (&p.id, &p.evidence))
            .chain(self.misconceptions.iter().map(|m| (&m.id, &m.evidence)));
        spoken.quotes = quoted
            .filter_map(|(id, e)| {
                let at = spoken.transcript.time_of(e.as_deref()?)?;
                Some(QuoteTime { id: id.clone(), at })
            })
            .collect();
        if spoken.quality.poor {
            self.flags.push(Flag {
                kind: POOR_TRANSCRIPT.into(),
                message: format!(
                    "the transcript may have lost the candidate's words, so the score may be too low: {}; listen to the recording",
                    spoken.quality.reasons.join("; ")
                ),
            });
        }
        self.spoken = Some(Box::new(spoken));
    }

    /// Whether the transcript of a recorded answer failed the quality gate.
    pub fn poor_transcript(&self) -> bool {
        self.spoken.as_ref().is_some_and(|s| s.quality.poor)
    }
}

/// Tokens used to grade one answer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct UsageReport {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
}

/// Agreement between independent verdicts. The grading's total is the
/// median of the samples' totals (the mean of the middle two for an even
/// number), and its points are those of the median sample(s).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Samples {
    pub n: u32,
    /// Share of key points on which every sample gave the same score.
    pub agreement: f64,
    /// Each sample's total fraction, in the order they were asked for.
    #[serde(default)]
    pub totals: Vec<f64>,
    /// Per key point, the share of samples whose score equals the chosen one.
    #[serde(default)]
    pub points: Vec<PointAgreement>,
}

/// How many samples agree with the chosen score of one key point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointAgreement {
    pub id: String,
    /// Share of samples (0–1) that gave the point the chosen score.
    pub agreement: f64,
}

/// Something about a grading that a human should check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    /// Stable machine-readable kind, e.g. `grader-disagreement`.
    pub kind: String,
    pub message: String,
}

/// Why a grader could not grade an answer. The keyword rules never fail;
/// the LLM grader fails when its endpoint does, or when its verdict stays
/// invalid after a repair.
#[derive(Debug, Clone, thiserror::Error)]
pub enum GradeError {
    #[error(transparent)]
    Llm(#[from] LlmError),
}

/// Anything that can grade an answer against a rubric. Grading may wait on
/// an endpoint and may fail, so the method is async and fallible; the
/// keyword grader also has a synchronous inherent `grade` for hot paths.
pub trait Grader {
    fn grade(
        &self,
        question: &Question,
        rubric: &Rubric,
        answer: &str,
    ) -> impl Future<Output = Result<Grading, GradeError>> + Send;
}

pub(crate) fn round_to(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    // `+ 0.0` turns the -0.0 of an empty float sum into 0.0.
    (x * f).round() / f + 0.0
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// What the misconceptions stated cost together: one false claim costs
/// once. Misconceptions quoted from the same sentence cost the dearest of
/// them, not their sum; those without a quote each cost their own. A
/// rubric drafted with borrowed claims (see `draft::borrow`) holds several
/// rules for one belief, from each bank question that names it, and "default
/// arguments are evaluated every time the function is called" set off
/// seven of them, taking 80% off an otherwise full answer.
fn misconception_penalty(misconceptions: &[MisconceptionHit]) -> f64 {
    let mut by_quote: std::collections::BTreeMap<&str, f64> = Default::default();
    let mut unquoted = 0.0;
    for m in misconceptions {
        match m.evidence.as_deref() {
            Some(quote) => {
                let dearest = by_quote.entry(quote).or_insert(0.0);
                *dearest = dearest.max(m.penalty);
            }
            None => unquoted += m.penalty,
        }
    }
    unquoted + by_quote.values().sum::<f64>()
}

/// Adds up point scores and misconception penalties, and takes off what
/// each point the answer states the opposite of is worth (those whose
/// [`Withheld::charged`] the grader set): its weight as a share of the
/// weight that earns full marks. `full_marks` is that weight when the rubric
/// sets one below the sum of the weights.
///
/// Stating the opposite of a point costs what saying the point earns, as
/// negative marking does: an answer of right words in false claims is worse
/// than one that leaves the points out. Without a cost, such an answer lost
/// only the points it contradicted and kept whatever its other sentences'
/// vocabulary earned; with a flat 0.1 (the penalty most of the bank's
/// misconceptions carry, keyword/69-70), a point worth a quarter of the score
/// earned 0.25 when stated and cost 0.1 when denied. On the held-out sets,
/// honest written answers almost never state one (2 of 3,168 expert, partial
/// and spoken answers), while 35% of keyword salads and 83% of confidently
/// wrong answers do.
pub fn total(
    points: &[PointResult],
    misconceptions: &[MisconceptionHit],
    full_marks: Option<f64>,
) -> Total {
    let earned: f64 = points.iter().map(|p| p.earned).sum();
    let all: f64 = points.iter().map(|p| p.weight).sum();
    let possible = full_marks.map_or(all, |f| f.min(all));
    let penalty = misconception_penalty(misconceptions);
    let denied: f64 = points
        .iter()
        .filter(|p| p.withheld.as_ref().is_some_and(|w| w.charged))
        .map(|p| p.weight)
        .sum();
    let contradicted = if possible > 0.0 {
        denied / possible
    } else {
        0.0
    };
    let earned = earned.min(possible);
    let raw = if possible > 0.0 {
        earned / possible
    } else {
        0.0
    };
    let fraction = round_to((raw - penalty - contradicted).clamp(0.0, 1.0), 4);
    Total {
        earned: round_to(earned, 4),
        possible: round_to(possible, 4),
        penalty: round_to(penalty, 4),
        contradicted: round_to(contradicted, 4),
        fraction,
        percent: round_to(fraction * 100.0, 1),
    }
}

impl Total {
    /// What was taken off the points' score, and why, for a report:
    /// "minus 10% for misconceptions".
    pub fn deductions(&self) -> Vec<(f64, &'static str)> {
        [
            (self.penalty, "misconceptions"),
            (self.contradicted, "stating the opposite of key points"),
        ]
        .into_iter()
        .filter(|&(x, _)| x > 0.0)
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(weight: f64, score: f64) -> PointResult {
        PointResult {
            id: "p".into(),
            text: "t".into(),
            weight,
            score,
            earned: weight * score,
            evidence: None,
            feedback: None,
            verification: Verification::Matched,
            rationale: None,
            withheld: None,
            derived: false,
            detail: None,
            halved: None,
        }
    }

    #[test]
    fn total_is_weighted_and_penalised() {
        let points = [point(3.0, 1.0), point(2.0, 0.5), point(1.0, 0.0)];
        let t = total(&points, &[], None);
        assert_eq!(t.earned, 4.0);
        assert_eq!(t.possible, 6.0);
        assert_eq!(t.fraction, 0.6667);
        assert_eq!(t.percent, 66.7);
        let hit = MisconceptionHit {
            id: "m".into(),
            text: "t".into(),
            penalty: 0.2,
            evidence: None,
            correction: "c".into(),
        };
        let t = total(&points, std::slice::from_ref(&hit), None);
        assert_eq!(t.fraction, 0.4667);
    }

    #[test]
    fn a_spoken_answer_gets_quote_times_and_a_flag_when_poor() {
        use crate::stt::{AudioInfo, Quality, Segment, Spoken, TranscriberInfo, Transcript};
        let mut p = point(1.0, 1.0);
        p.evidence = Some("It protects the reference counts".into());
        let seg = |start: f64, text: &str| Segment {
            start,
            end: start + 3.0,
            text: text.into(),
            avg_logprob: None,
            no_speech_prob: None,
            compression_ratio: None,
        };
        let spoken = |poor: bool| Spoken {
            audio: AudioInfo {
                file: "a.wav".into(),
                format: "wav".into(),
                bytes: 1,
                sha256: "x".into(),
                duration_secs: None,
            },
            transcriber: TranscriberInfo {
                model: "m".into(),
                base_url: "u".into(),
                prompt: None,
                cached: false,
                prompt_dropped: None,
            },
            transcript: Transcript {
                text: String::new(),
                language: None,
                duration: None,
                segments: vec![
                    seg(0.0, "The GIL is a lock."),
                    seg(42.5, "It protects the reference counts."),
                ],
            },
            quality: Quality {
                poor,
                reasons: vec!["too quiet".into()],
                words_per_minute: None,
                speech_share: None,
                doubtful_share: None,
                mean_logprob: None,
            },
            delivery: None,
            quotes: vec![],
        };
        let mut g = Grading {
            schema: SCHEMA.into(),
            question: QuestionRef {
                id: "q".into(),
                text: "t".into(),
                topic: "x".into(),
                level: "senior".into(),
            },
            backend: Backend {
                name: "keyword".into(),
                model: None,
                reason: "r".into(),
                response_format: None,
                repairs: None,
            },
            points: vec![p],
            misconceptions: vec![],
            total: total(&[], &[], None),
            flags: vec![],
            usage: None,
            samples: None,
            spoken: None,
        };
        let mut good = g.clone();
        good.attach_spoken(spoken(false));
        assert!(good.flags.is_empty() && !good.poor_transcript());
        assert_eq!(good.spoken.as_ref().unwrap().quote_at("p"), Some(42.5));
        g.attach_spoken(spoken(true));
        assert!(g.poor_transcript());
        assert_eq!(g.flags[0].kind, POOR_TRANSCRIPT);
        assert!(g.flags[0].message.contains("too quiet"));
    }

    #[test]
    fn a_statement_of_the_opposite_costs_what_its_point_is_worth() {
        let denied = |weight: f64| {
            let mut p = point(weight, 0.0);
            p.withheld = Some(Withheld {
                reason: WithheldReason::Contradiction,
                evidence: "e".into(),
                charged: true,
            });
            p
        };
        // Weights 1 and 3: the second point, denied, would have earned 0.75.
        let t = total(&[point(1.0, 1.0), denied(3.0)], &[], None);
        assert_eq!((t.contradicted, t.fraction), (0.75, 0.0));
        let t = total(&[point(3.0, 1.0), denied(1.0)], &[], None);
        assert_eq!((t.contradicted, t.fraction), (0.25, 0.5));
        assert_eq!(
            t.deductions(),
            [(0.25, "stating the opposite of key points")]
        );
        // A point withheld but not charged costs nothing beyond itself.
        let mut free = denied(1.0);
        free.withheld.as_mut().unwrap().charged = false;
        let t = total(&[point(3.0, 1.0), free], &[], None);
        assert_eq!((t.contradicted, t.fraction), (0.0, 0.75));
        // Two points denied, two costs; a share of full marks where a
        // rubric sets them below the sum of the weights.
        let t = total(&[point(2.0, 1.0), denied(1.0), denied(1.0)], &[], Some(2.0));
        assert_eq!((t.contradicted, t.fraction), (1.0, 0.0));
        let t = total(
            &[point(4.0, 1.0), denied(2.0), point(2.0, 0.0)],
            &[],
            Some(8.0),
        );
        assert_eq!((t.contradicted, t.fraction), (0.25, 0.25));
        let points = [point(1.0, 1.0), point(3.0, 0.0)];
        // Not written to a journal when nothing was taken off.
        let plain = serde_json::to_value(total(&points, &[], None)).unwrap();
        assert!(plain.get("contradicted").is_none());
        let back: Total = serde_json::from_value(plain).unwrap();
        assert_eq!(back.contradicted, 0.0);
    }

    #[test]
    fn total_never_goes_below_zero() {
        let hit = MisconceptionHit {
            id: "m".into(),
            text: "t".into(),
            penalty: 0.5,
            evidence: None,
            correction: "c".into(),
        };
        let t = total(&[point(1.0, 0.0)], &[hit], None);
        assert_eq!(t.fraction, 0.0);
        assert_eq!(t.percent, 0.0);
    }

    #[test]
    fn one_false_sentence_costs_its_dearest_misconception_once() {
        let hit = |id: &str, penalty: f64, evidence: Option<&str>| MisconceptionHit {
            id: id.into(),
            text: "t".into(),
            penalty,
            evidence: evidence.map(String::from),
            correction: "c".into(),
        };
        let same = "Defaults are evaluated on every call.";
        let hits = [
            hit("a", 0.1, Some(same)),
            hit("b", 0.15, Some(same)),
            hit("c", 0.1, Some(same)),
            hit("d", 0.1, Some("Lists are immutable.")),
            hit("e", 0.05, None),
        ];
        let t = total(&[point(1.0, 1.0)], &hits, None);
        assert_eq!(t.penalty, 0.3);
        assert_eq!(t.fraction, 0.7);
    }
}
