//! Turning one or more validated verdicts into the points, misconceptions,
//! total and flags of a grading.
//!
//! Each verdict is judged on its own first: every claimed point's quote is
//! checked against the answer, credit without a verified quote is kept only
//! as far as the keyword grader independently finds the point (under the
//! default policy), and a misconception is penalised only when the verdict
//! reports it with a quote that is in the answer. With several samples the
//! grading is the one with the median total (for an even number, the mean of
//! the middle two), and each point reports how many samples agree with it.

use super::super::{
    Flag, Grading, MisconceptionHit, PointAgreement, PointResult, Samples, Total, Verification,
    round_to,
};
use super::EvidencePolicy;
use crate::bank::Rubric;
use crate::llm::evidence::AnswerWords;
use crate::llm::verdict::Verdict;

/// What verdicts are judged against.
pub(super) struct Context<'a> {
    pub rubric: &'a Rubric,
    /// The words of the answer as the model saw it, for checking quotes.
    pub words: &'a AnswerWords,
    /// The keyword grader's grading of the same text.
    pub keyword: &'a Grading,
    pub policy: EvidencePolicy,
    /// The answer addressed the grader: no point gets more credit than the
    /// keyword grader finds.
    pub capped: bool,
}

/// The parts of a grading that come from the verdicts.
pub(super) struct Combined {
    pub points: Vec<PointResult>,
    pub misconceptions: Vec<MisconceptionHit>,
    pub total: Total,
    pub flags: Vec<Flag>,
    pub samples: Option<Samples>,
}

/// One verdict, judged.
struct Sample {
    points: Vec<PointResult>,
    /// The score the model claimed for each point.
    claimed: Vec<f64>,
    misconceptions: Vec<MisconceptionHit>,
    /// Misconceptions reported with a quote that is not in the answer.
    unverified_misconceptions: Vec<String>,
    total: Total,
}

fn judge(ctx: &Context, verdict: &Verdict) -> Sample {
    let answer = ctx.words;
    let mut points = Vec::new();
    let mut claimed = Vec::new();
    for (i, p) in ctx.rubric.points.iter().enumerate() {
        let v = &verdict.points[i];
        let kw = &ctx.keyword.points[i];
        let (mut score, verification, evidence) = if v.score == 0.0 {
            (0.0, Verification::None, None)
        } else if answer.holds(&v.evidence) {
            (v.score, Verification::Verified, Some(v.evidence.clone()))
        } else if kw.score > 0.0 {
            // Corroboration vouches for no more than the keyword grader
            // found: the statement, not how much detail it gave, which the
            // model judges for itself.
            let keep = match ctx.policy {
                EvidencePolicy::Strict => 0.0,
                EvidencePolicy::Corroborate => v.score.min(kw.found()),
                EvidencePolicy::Lenient => v.score,
            };
            (keep, Verification::Corroborated, kw.evidence.clone())
        } else {
            let keep = if ctx.policy == EvidencePolicy::Lenient {
                v.score
            } else {
                0.0
            };
            let quoted = Some(v.evidence.clone()).filter(|e| !e.trim().is_empty());
            (keep, Verification::Unverified, quoted)
        };
        if ctx.capped {
            score = score.min(kw.found());
        }
        claimed.push(v.score);
        points.push(PointResult {
            id: p.id.clone(),
            text: p.text.clone(),
            weight: p.weight,
            score,
            earned: score * p.weight,
            evidence,
            feedback: (score < 1.0).then(|| p.advice().to_string()),
            verification,
            rationale: Some(v.rationale.clone()).filter(|r| !r.trim().is_empty()),
            withheld: None,
            derived: p.derived,
            detail: None,
            halved: None,
        });
    }
    let mut misconceptions = Vec::new();
    let mut unverified_misconceptions = Vec::new();
    for m in &ctx.rubric.misconceptions {
        let Some(v) = verdict
            .misconceptions
            .iter()
            .find(|v| v.id == m.id && v.present)
        else {
            continue;
        };
        if answer.holds(&v.evidence) {
            misconceptions.push(MisconceptionHit {
                id: m.id.clone(),
                text: m.text.clone(),
                penalty: m.penalty,
                evidence: Some(v.evidence.clone()),
                correction: m.correction.clone(),
            });
        } else {
            unverified_misconceptions.push(m.id.clone());
        }
    }
    let total = super::super::total(&points, &misconceptions, ctx.rubric.full_marks);
    Sample {
        points,
        claimed,
        misconceptions,
        unverified_misconceptions,
        total,
    }
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 { 0.0 } else { sum / n as f64 }
}

/// The samples whose totals make the median: the middle one, or the middle
/// two for an even number.
fn middle(samples: &[Sample]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..samples.len()).collect();
    order.sort_by(|a, b| {
        samples[*a]
            .total
            .fraction
            .total_cmp(&samples[*b].total.fraction)
    });
    let n = order.len();
    if n % 2 == 1 {
        vec![order[n / 2]]
    } else {
        vec![order[n / 2 - 1], order[n / 2]]
    }
}

/// Combines the verdicts of one answer; `verdicts` is not empty.
pub(super) fn combine(ctx: &Context, verdicts: &[&Verdict]) -> Combined {
    let samples: Vec<Sample> = verdicts.iter().map(|v| judge(ctx, v)).collect();
    let mid = middle(&samples);
    let chosen: Vec<&Sample> = mid.iter().map(|&i| &samples[i]).collect();

    let mut points = Vec::new();
    let mut claims = Vec::new();
    for (i, p) in ctx.rubric.points.iter().enumerate() {
        let score = mean(chosen.iter().map(|s| s.points[i].score));
        // Evidence and verification come from the chosen sample that gave most.
        let from = chosen
            .iter()
            .copied()
            .reduce(|best, s| {
                if s.points[i].score > best.points[i].score {
                    s
                } else {
                    best
                }
            })
            .expect("one sample at least");
        let mut result = from.points[i].clone();
        result.score = score;
        result.earned = score * p.weight;
        result.feedback = (score < 1.0).then(|| p.advice().to_string());
        points.push(result);
        claims.push(mean(chosen.iter().map(|s| s.claimed[i])));
    }

    let misconceptions: Vec<MisconceptionHit> = ctx
        .rubric
        .misconceptions
        .iter()
        .filter_map(|m| {
            let hits: Vec<&MisconceptionHit> = chosen
                .iter()
                .filter_map(|s| s.misconceptions.iter().find(|h| h.id == m.id))
                .collect();
            let first = hits.first()?;
            Some(MisconceptionHit {
                penalty: m.penalty * hits.len() as f64 / chosen.len() as f64,
                ..(*first).clone()
            })
        })
        .collect();

    let total = if chosen.len() == 1 {
        chosen[0].total
    } else {
        let fraction = round_to(mean(chosen.iter().map(|s| s.total.fraction)), 4);
        Total {
            earned: round_to(mean(chosen.iter().map(|s| s.total.earned)), 4),
            possible: chosen[0].total.possible,
            penalty: round_to(mean(chosen.iter().map(|s| s.total.penalty)), 4),
            contradicted: round_to(mean(chosen.iter().map(|s| s.total.contradicted)), 4),
            fraction,
            percent: round_to(fraction * 100.0, 1),
        }
    };

    let mut flags = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let kw = ctx.keyword.points[i].found();
        if claims[i] >= 1.0 && kw == 0.0 {
            flags.push(Flag {
                kind: "grader-disagreement".into(),
                message: format!(
                    "`{}`: the LLM gave full credit but the keyword rules find no trace of it",
                    p.id
                ),
            });
        } else if claims[i] == 0.0 && kw >= 1.0 {
            flags.push(Flag {
                kind: "grader-disagreement".into(),
                message: format!(
                    "`{}`: the keyword rules find it but the LLM gave no credit",
                    p.id
                ),
            });
        }
    }
    let unverified = points
        .iter()
        .filter(|p| p.verification == Verification::Unverified)
        .count();
    if unverified > 0 {
        flags.push(Flag {
            kind: "unverified-evidence".into(),
            message: format!(
                "{unverified} point(s) claimed with quotes that are not in the answer"
            ),
        });
    }
    let mut unconfirmed: Vec<&String> = chosen
        .iter()
        .flat_map(|s| &s.unverified_misconceptions)
        .filter(|id| !misconceptions.iter().any(|m| &m.id == *id))
        .collect();
    unconfirmed.dedup();
    for id in unconfirmed {
        flags.push(Flag {
            kind: "unverified-evidence".into(),
            message: format!(
                "`{id}`: the LLM reports this misconception with a quote that is not in the answer; no penalty applied"
            ),
        });
    }
    for hit in &ctx.keyword.misconceptions {
        if !misconceptions.iter().any(|m| m.id == hit.id) {
            let quote = hit
                .evidence
                .as_deref()
                .map(|e| format!(" (“{e}”)"))
                .unwrap_or_default();
            flags.push(Flag {
                kind: "misconception-disagreement".into(),
                message: format!(
                    "`{}`: the keyword rules find this misconception{quote} but the LLM does not confirm it; no penalty applied",
                    hit.id
                ),
            });
        }
    }

    let samples_report = (samples.len() > 1).then(|| {
        let unanimous = (0..points.len())
            .filter(|&i| {
                samples
                    .iter()
                    .all(|s| s.claimed[i] == samples[0].claimed[i])
            })
            .count();
        Samples {
            n: samples.len() as u32,
            agreement: unanimous as f64 / points.len().max(1) as f64,
            totals: samples.iter().map(|s| s.total.fraction).collect(),
            points: points
                .iter()
                .enumerate()
                .map(|(i, p)| PointAgreement {
                    id: p.id.clone(),
                    agreement: round_to(
                        samples
                            .iter()
                            .filter(|s| (s.points[i].score - p.score).abs() < 1e-9)
                            .count() as f64
                            / samples.len() as f64,
                        4,
                    ),
                })
                .collect(),
        }
    });

    Combined {
        points,
        misconceptions,
        total,
        flags,
        samples: samples_report,
    }
}
