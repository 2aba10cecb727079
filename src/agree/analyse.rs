//! From joined answers to the figures a report shows: every pair of raters
//! with seven statistics and two bootstrap intervals each, and a table of
//! questions from least to most agreement.
//!
//! Raters are viva (its fraction on the human scale, linearly or through a
//! calibration), each human column, and with two or more humans their mean.
//! Correlations, MAE and RMSE use the scores as they are; exact, within-one
//! and QWK need whole-number categories, so viva's score is rounded to the
//! nearest one, and a human side that is not all whole numbers (a mean of
//! two graders, usually) has none of these three.

use serde::Serialize;

use super::Scale;
use super::bootstrap::{self, Interval, Scheme};
use super::calibrate::{Calibration, Provenance};
use super::join::Answer;
use super::metrics;

pub const SCHEMA: &str = "viva.agree/v1";

/// Everything `viva agree` reports (`viva.agree/v1`).
#[derive(Debug, Clone, Serialize)]
pub struct Agreement {
    pub schema: &'static str,
    /// The journal's and the human file's names as given.
    pub journal: String,
    pub humans: String,
    pub scale: String,
    pub mapping: Mapping,
    pub counts: Counts,
    pub bootstrap: BootstrapInfo,
    pub comparisons: Vec<Comparison>,
    /// What the per-question table compares viva with.
    pub reference: String,
    pub per_question: Vec<QuestionRow>,
}

/// How viva's fraction was put on the human scale.
#[derive(Debug, Clone, Serialize)]
pub struct Mapping {
    /// `linear` or `calibration`.
    pub kind: &'static str,
    /// In words, e.g. `0 + 5 × fraction`.
    pub rule: String,
    /// `isotonic` or `linear`, with calibration.
    pub method: Option<&'static str>,
    pub fitted_on: Option<Provenance>,
    /// The calibration file read or written, if any.
    pub file: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// Answers with a viva score and every human score.
    pub matched: usize,
    pub questions: usize,
    /// Journal answers with a score but no human row.
    pub journal_unmatched: usize,
    /// Journal answers whose last record failed.
    pub journal_failed: usize,
    /// Human rows matching no journal answer (nor a `--fit` answer).
    pub humans_unmatched: usize,
    /// Human rows left out for an empty score cell.
    pub humans_unscored: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct BootstrapInfo {
    pub resamples: usize,
    pub seed: u64,
    pub confidence: f64,
    pub method: &'static str,
}

/// Two raters over the same answers.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub a: String,
    pub b: String,
    pub n: usize,
    pub figures: Figures,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    pub pearson: Figure,
    pub spearman: Figure,
    pub qwk: Figure,
    pub exact: Figure,
    pub within_one: Figure,
    pub mae: Figure,
    pub rmse: Figure,
}

impl Figures {
    /// (label, figure, is a share) in report order.
    pub fn rows(&self) -> [(&'static str, &Figure, Kind); 7] {
        [
            ("Pearson r", &self.pearson, Kind::Correlation),
            ("Spearman ρ", &self.spearman, Kind::Correlation),
            ("QWK", &self.qwk, Kind::Correlation),
            ("exact", &self.exact, Kind::Share),
            ("within one", &self.within_one, Kind::Share),
            ("MAE", &self.mae, Kind::Points),
            ("RMSE", &self.rmse, Kind::Points),
        ]
    }

    fn slots(&mut self) -> [&mut Figure; 7] {
        [
            &mut self.pearson,
            &mut self.spearman,
            &mut self.qwk,
            &mut self.exact,
            &mut self.within_one,
            &mut self.mae,
            &mut self.rmse,
        ]
    }
}

/// How a figure reads: a correlation, a share of answers, or scale points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Correlation,
    Share,
    Points,
}

/// A statistic and its 95% intervals; null where undefined.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Figure {
    pub value: Option<f64>,
    pub by_answer: Option<Interval>,
    pub by_question: Option<Interval>,
}

/// One question: viva against the reference over its answers.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionRow {
    pub question: String,
    pub n: usize,
    pub viva_mean: f64,
    pub human_mean: f64,
    pub mae: f64,
    pub exact: Option<f64>,
    pub pearson: Option<f64>,
}

/// The inputs of an analysis besides the answers.
pub struct Setup<'a> {
    pub journal: String,
    pub humans: String,
    pub columns: &'a [String],
    pub scale: Scale,
    pub calibration: Option<(&'a Calibration, Option<String>)>,
    pub counts: Counts,
    pub resamples: usize,
    pub seed: u64,
}

/// One rater's scores over the answers.
struct Rater {
    name: String,
    values: Vec<f64>,
    /// Whole-number categories, when every score is one (always for viva).
    categories: Option<Vec<i64>>,
}

impl Rater {
    fn human(name: String, values: Vec<f64>) -> Rater {
        let categories = values
            .iter()
            .all(|v| v.fract() == 0.0)
            .then(|| values.iter().map(|&v| v as i64).collect());
        Rater {
            name,
            values,
            categories,
        }
    }
}

/// Figures are kept to six decimals: enough that the one-decimal
/// percentages and two- or three-place figures printed from them are not
/// rounded twice, few enough that the JSON stays readable.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The seven statistics of two raters over the answers `idx`.
fn statistics(a: &Rater, b: &Rater, idx: &[usize], scale: Scale) -> [Option<f64>; 7] {
    let x: Vec<f64> = idx.iter().map(|&i| a.values[i]).collect();
    let y: Vec<f64> = idx.iter().map(|&i| b.values[i]).collect();
    let (qwk, exact, within) = match (&a.categories, &b.categories) {
        (Some(ca), Some(cb)) => {
            let u: Vec<i64> = idx.iter().map(|&i| ca[i]).collect();
            let v: Vec<i64> = idx.iter().map(|&i| cb[i]).collect();
            (
                metrics::qwk(&u, &v, scale.lo, scale.hi),
                metrics::exact(&u, &v),
                metrics::within_one(&u, &v),
            )
        }
        _ => (None, None, None),
    };
    [
        metrics::pearson(&x, &y),
        metrics::spearman(&x, &y),
        qwk,
        exact,
        within,
        metrics::mae(&x, &y),
        metrics::rmse(&x, &y),
    ]
}

/// Computes every figure. `answers` must be non-empty.
pub fn analyse(answers: &[Answer], setup: Setup) -> Agreement {
    let scale = setup.scale;
    let viva_values: Vec<f64> = answers
        .iter()
        .map(|a| match setup.calibration {
            Some((c, _)) => c.apply(a.fraction),
            None => scale.from_fraction(a.fraction),
        })
        .collect();
    let viva = Rater {
        name: "viva".into(),
        categories: Some(viva_values.iter().map(|&v| scale.category(v)).collect()),
        values: viva_values,
    };
    let humans: Vec<Rater> = setup
        .columns
        .iter()
        .enumerate()
        .map(|(j, name)| Rater::human(name.clone(), answers.iter().map(|a| a.scores[j]).collect()))
        .collect();
    let mean = (humans.len() > 1).then(|| {
        Rater::human(
            format!("mean of {}", setup.columns.join(", ")),
            answers
                .iter()
                .map(|a| a.scores.iter().sum::<f64>() / a.scores.len() as f64)
                .collect(),
        )
    });
    let mut pairs: Vec<(&Rater, &Rater)> = humans.iter().map(|h| (&viva, h)).collect();
    if let Some(m) = &mean {
        pairs.push((&viva, m));
    }
    for i in 0..humans.len() {
        for j in i + 1..humans.len() {
            pairs.push((&humans[i], &humans[j]));
        }
    }
    let reference = mean.as_ref().unwrap_or(&humans[0]);

    // Questions as clusters, numbered in id order.
    let mut ids: Vec<&str> = answers.iter().map(|a| a.question_id.as_str()).collect();
    ids.dedup();
    let clusters: Vec<usize> = answers
        .iter()
        .map(|a| ids.binary_search(&a.question_id.as_str()).unwrap_or(0))
        .collect();

    let all: Vec<usize> = (0..answers.len()).collect();
    let flat = |idx: &[usize]| -> Vec<Option<f64>> {
        pairs
            .iter()
            .flat_map(|(a, b)| statistics(a, b, idx, scale))
            .collect()
    };
    let values = flat(&all);
    let by_answer = bootstrap::intervals(
        &clusters,
        Scheme::Answers,
        setup.resamples,
        setup.seed,
        flat,
    );
    let by_question = bootstrap::intervals(
        &clusters,
        Scheme::Questions,
        setup.resamples,
        setup.seed,
        flat,
    );
    let round = |i: Option<Interval>| {
        i.map(|i| Interval {
            low: round6(i.low),
            high: round6(i.high),
        })
    };
    let comparisons = pairs
        .iter()
        .enumerate()
        .map(|(p, (a, b))| {
            let mut figures = Figures::default();
            for (k, slot) in figures.slots().into_iter().enumerate() {
                let at = p * 7 + k;
                *slot = Figure {
                    value: values[at].map(round6),
                    by_answer: round(by_answer.get(at).copied().flatten()),
                    by_question: round(by_question.get(at).copied().flatten()),
                };
            }
            Comparison {
                a: a.name.clone(),
                b: b.name.clone(),
                n: answers.len(),
                figures,
            }
        })
        .collect();

    let mut per_question: Vec<QuestionRow> = ids
        .iter()
        .enumerate()
        .map(|(q, id)| {
            let idx: Vec<usize> = (0..answers.len()).filter(|&i| clusters[i] == q).collect();
            let [pearson, _, _, exact, _, mae, _] = statistics(&viva, reference, &idx, scale);
            let mean = |r: &Rater| idx.iter().map(|&i| r.values[i]).sum::<f64>() / idx.len() as f64;
            QuestionRow {
                question: id.to_string(),
                n: idx.len(),
                viva_mean: round6(mean(&viva)),
                human_mean: round6(mean(reference)),
                mae: round6(mae.unwrap_or(0.0)),
                exact: exact.map(round6),
                pearson: pearson.map(round6),
            }
        })
        .collect();
    per_question.sort_by(|a, b| {
        b.mae
            .total_cmp(&a.mae)
            .then_with(|| a.question.cmp(&b.question))
    });

    let mut counts = setup.counts;
    counts.matched = answers.len();
    counts.questions = ids.len();
    let mapping = match setup.calibration {
        None => Mapping {
            kind: "linear",
            rule: format!("{} + {} × fraction", scale.lo, scale.hi - scale.lo),
            method: None,
            fitted_on: None,
            file: None,
        },
        Some((c, file)) => Mapping {
            kind: "calibration",
            rule: match &c.map {
                super::calibrate::Map::Isotonic { points } => {
                    format!("an isotonic calibration with {} knots", points.len())
                }
                super::calibrate::Map::Linear { intercept, slope } => format!(
                    "a linear calibration, {intercept:.4} + {slope:.4} × fraction clamped to {scale}"
                ),
            },
            method: Some(match c.map {
                super::calibrate::Map::Isotonic { .. } => "isotonic",
                super::calibrate::Map::Linear { .. } => "linear",
            }),
            fitted_on: Some(c.fitted_on.clone()),
            file,
        },
    };
    Agreement {
        schema: SCHEMA,
        journal: setup.journal,
        humans: setup.humans,
        scale: scale.to_string(),
        mapping,
        counts,
        bootstrap: BootstrapInfo {
            resamples: setup.resamples,
            seed: setup.seed,
            confidence: 0.95,
            method: "percentile",
        },
        comparisons,
        reference: reference.name.clone(),
        per_question,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(q: &str, c: &str, fraction: f64, scores: &[f64]) -> Answer {
        Answer {
            candidate: c.into(),
            question_id: q.into(),
            fraction,
            scores: scores.to_vec(),
        }
    }

    fn setup(columns: &[String]) -> Setup<'_> {
        Setup {
            journal: "j.jsonl".into(),
            humans: "h.csv".into(),
            columns,
            scale: "0-4".parse().unwrap(),
            calibration: None,
            counts: Counts::default(),
            resamples: 200,
            seed: 1,
        }
    }

    #[test]
    fn viva_is_compared_with_each_human_their_mean_and_the_humans_with_each_other() {
        let answers = [
            answer("q1", "a", 0.0, &[0.0, 1.0]),
            answer("q1", "b", 0.5, &[2.0, 2.0]),
            answer("q2", "a", 1.0, &[4.0, 3.0]),
            answer("q2", "b", 0.25, &[1.0, 1.0]),
        ];
        let cols = ["g1".to_string(), "g2".to_string()];
        let a = analyse(&answers, setup(&cols));
        let names: Vec<(&str, &str)> = a
            .comparisons
            .iter()
            .map(|c| (c.a.as_str(), c.b.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("viva", "g1"),
                ("viva", "g2"),
                ("viva", "mean of g1, g2"),
                ("g1", "g2")
            ]
        );
        // On 0-4, viva's fractions are exactly g1's scores.
        let f = &a.comparisons[0].figures;
        assert_eq!(
            (f.pearson.value, f.exact.value, f.mae.value),
            (Some(1.0), Some(1.0), Some(0.0))
        );
        // The mean has halves, so no categorical figures against it.
        assert_eq!(a.comparisons[2].figures.qwk.value, None);
        assert!(a.comparisons[2].figures.pearson.value.is_some());
        assert_eq!(a.reference, "mean of g1, g2");
        assert_eq!((a.counts.matched, a.counts.questions), (4, 2));
    }

    #[test]
    fn questions_are_listed_least_agreement_first() {
        let answers = [
            answer("easy", "a", 0.5, &[2.0]),
            answer("easy", "b", 1.0, &[4.0]),
            answer("hard", "a", 0.0, &[4.0]),
            answer("hard", "b", 1.0, &[0.0]),
        ];
        let cols = ["score".to_string()];
        let a = analyse(&answers, setup(&cols));
        let order: Vec<&str> = a.per_question.iter().map(|q| q.question.as_str()).collect();
        assert_eq!(order, ["hard", "easy"]);
        assert_eq!(a.per_question[0].mae, 4.0);
        assert_eq!(a.per_question[0].pearson, Some(-1.0));
    }
}
