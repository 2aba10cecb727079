//! Maps from viva's score fraction (0–1) to a human scale, fitted on one set
//! of answers and applied unchanged to another.
//!
//! Two shapes: isotonic (the best non-decreasing step function, found by
//! pool-adjacent-violators, then interpolated linearly between the ends of
//! its steps, as scikit-learn's `IsotonicRegression(out_of_bounds="clip")`
//! predicts) and linear (least squares). Both are clamped to the scale. A
//! fitted map is saved as a small JSON document, `viva.calibration/v1`, that
//! names the scale it maps to, so it cannot be applied to another.

use serde::{Deserialize, Serialize};

use super::Scale;

pub const SCHEMA: &str = "viva.calibration/v1";

/// Which kind of map to fit (`--method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    Isotonic,
    Linear,
}

/// The fitted function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum Map {
    /// Knots with increasing `fraction` and non-decreasing `score`; linear
    /// between them, flat beyond the first and last.
    Isotonic { points: Vec<Knot> },
    /// `score = intercept + slope × fraction`.
    Linear { intercept: f64, slope: f64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Knot {
    pub fraction: f64,
    pub score: f64,
}

/// What a map was fitted on, kept for the reader of the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// The journal's file name.
    pub journal: String,
    /// Answers the map was fitted on.
    pub answers: usize,
    /// The human score column(s) it was fitted to (their mean when several).
    pub target: Vec<String>,
}

/// A saved map: `viva.calibration/v1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub schema: String,
    /// The human scale, e.g. `0-5`.
    pub scale: String,
    pub fitted_on: Provenance,
    #[serde(flatten)]
    pub map: Map,
}

impl Calibration {
    /// The score on the human scale for a viva fraction.
    pub fn apply(&self, fraction: f64) -> f64 {
        let scale: Scale = self.scale.parse().expect("checked when read or fitted");
        let y = match &self.map {
            Map::Linear { intercept, slope } => intercept + slope * fraction,
            Map::Isotonic { points } => interpolate(points, fraction),
        };
        y.clamp(scale.lo as f64, scale.hi as f64)
    }

    /// Reads a saved map, checking its shape; the message says what is wrong.
    pub fn parse(text: &str) -> Result<Calibration, String> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        match value.get("schema").and_then(|s| s.as_str()) {
            Some(SCHEMA) => {}
            Some(other) => return Err(format!("its schema is `{other}`, not `{SCHEMA}`")),
            None => return Err(format!("it has no `schema` field (expected `{SCHEMA}`)")),
        }
        let c: Calibration = serde_json::from_value(value).map_err(|e| e.to_string())?;
        c.scale
            .parse::<Scale>()
            .map_err(|e| format!("its scale: {e}"))?;
        match &c.map {
            Map::Isotonic { points } => {
                if points.is_empty() {
                    return Err("its isotonic map has no points".into());
                }
                if points
                    .iter()
                    .any(|k| !k.fraction.is_finite() || !k.score.is_finite())
                    || points
                        .windows(2)
                        .any(|w| w[0].fraction >= w[1].fraction || w[0].score > w[1].score)
                {
                    return Err(
                        "its isotonic points must rise: fractions strictly, scores never fall"
                            .into(),
                    );
                }
            }
            Map::Linear { intercept, slope } => {
                if !intercept.is_finite() || !slope.is_finite() {
                    return Err("its linear map has a non-finite coefficient".into());
                }
            }
        }
        Ok(c)
    }

    /// The saved form, one pretty JSON document.
    pub fn to_json(&self) -> String {
        crate::report::document(self)
    }
}

fn interpolate(points: &[Knot], x: f64) -> f64 {
    let first = points[0];
    let last = points[points.len() - 1];
    if x <= first.fraction {
        return first.score;
    }
    if x >= last.fraction {
        return last.score;
    }
    let i = points.partition_point(|k| k.fraction <= x);
    let (a, b) = (points[i - 1], points[i]);
    a.score + (x - a.fraction) / (b.fraction - a.fraction) * (b.score - a.score)
}

/// Fits a map from `fractions` to `targets` (the human scores).
pub fn fit(method: Method, fractions: &[f64], targets: &[f64]) -> Result<Map, String> {
    if fractions.len() < 2 {
        return Err(format!(
            "{} matched answer(s) is too few to fit a map",
            fractions.len()
        ));
    }
    match method {
        Method::Isotonic => Ok(Map::Isotonic {
            points: isotonic(fractions, targets),
        }),
        Method::Linear => linear(fractions, targets),
    }
}

/// Pool-adjacent-violators on the points sorted by fraction. Equal
/// fractions are pooled first (their mean score, weighted by count), then
/// neighbouring blocks whose means fall are merged until none do. Each
/// block becomes a knot at its lowest and highest fraction.
pub fn isotonic(fractions: &[f64], targets: &[f64]) -> Vec<Knot> {
    let mut order: Vec<usize> = (0..fractions.len()).collect();
    order.sort_by(|&a, &b| fractions[a].total_cmp(&fractions[b]));
    // (first fraction, last fraction, sum of scores, count)
    let mut blocks: Vec<(f64, f64, f64, f64)> = Vec::new();
    for i in order {
        let (x, y) = (fractions[i], targets[i]);
        match blocks.last_mut() {
            Some(b) if b.1 == x => {
                b.2 += y;
                b.3 += 1.0;
            }
            _ => blocks.push((x, x, y, 1.0)),
        }
        while blocks.len() >= 2 {
            let n = blocks.len();
            let (prev, last) = (blocks[n - 2], blocks[n - 1]);
            if prev.2 / prev.3 <= last.2 / last.3 {
                break;
            }
            blocks[n - 2] = (prev.0, last.1, prev.2 + last.2, prev.3 + last.3);
            blocks.pop();
        }
    }
    // Pooling equal fractions after a merge can leave the last block out of
    // order only transiently: the loop above restores order on every push.
    let mut points = Vec::new();
    for (first, last, sum, count) in blocks {
        let score = sum / count;
        points.push(Knot {
            fraction: first,
            score,
        });
        if last > first {
            points.push(Knot {
                fraction: last,
                score,
            });
        }
    }
    points
}

fn linear(fractions: &[f64], targets: &[f64]) -> Result<Map, String> {
    let n = fractions.len() as f64;
    let mx = fractions.iter().sum::<f64>() / n;
    let my = targets.iter().sum::<f64>() / n;
    let sxx: f64 = fractions.iter().map(|x| (x - mx).powi(2)).sum();
    let sxy: f64 = fractions
        .iter()
        .zip(targets)
        .map(|(x, y)| (x - mx) * (y - my))
        .sum();
    if sxx <= 1e-24 {
        return Err(
            "viva gave every answer it is fitted on the same score, so a line cannot be fitted"
                .into(),
        );
    }
    let slope = sxy / sxx;
    Ok(Map::Linear {
        intercept: my - slope * mx,
        slope,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal(map: Map) -> Calibration {
        Calibration {
            schema: SCHEMA.into(),
            scale: "0-5".into(),
            fitted_on: Provenance {
                journal: "dev.jsonl".into(),
                answers: 6,
                target: vec!["grader1".into()],
            },
            map,
        }
    }

    #[test]
    fn pav_pools_the_violators_by_hand() {
        // Scores 1, 3, 2, 4 at fractions .1 .2 .3 .4: 3 > 2 violates, so the
        // two pool to 2.5 over [.2, .3].
        let k = isotonic(&[0.1, 0.2, 0.3, 0.4], &[1.0, 3.0, 2.0, 4.0]);
        let got: Vec<(f64, f64)> = k.iter().map(|k| (k.fraction, k.score)).collect();
        assert_eq!(got, [(0.1, 1.0), (0.2, 2.5), (0.3, 2.5), (0.4, 4.0)]);
    }

    #[test]
    fn pav_matches_sklearn() {
        // sklearn.isotonic.IsotonicRegression(out_of_bounds="clip")
        //   .fit(x, y).predict([0, .05, .25, .4, .65, .85, 1])
        // with x = [.1, .2, .2, .3, .5, .6, .6, .8, .9]
        //      y = [2, 1, 3, 1, 4, 5, 3, 4, 5]
        // -> [1.75, 1.75, 1.75, 2.875, 4.0, 4.5, 5.0] (scikit-learn 1.9.1, to 1e-12)
        let x = [0.1, 0.2, 0.2, 0.3, 0.5, 0.6, 0.6, 0.8, 0.9];
        let y = [2.0, 1.0, 3.0, 1.0, 4.0, 5.0, 3.0, 4.0, 5.0];
        let c = cal(fit(Method::Isotonic, &x, &y).unwrap());
        let got: Vec<f64> = [0.0, 0.05, 0.25, 0.4, 0.65, 0.85, 1.0]
            .iter()
            .map(|&f| c.apply(f))
            .collect();
        let want = [1.75, 1.75, 1.75, 2.875, 4.0, 4.5, 5.0];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{got:?} != {want:?}");
        }
    }

    #[test]
    fn an_isotonic_map_never_falls() {
        let x: Vec<f64> = (0..200).map(|i| ((i * 37) % 101) as f64 / 100.0).collect();
        let y: Vec<f64> = (0..200).map(|i| ((i * 53) % 6) as f64).collect();
        let c = cal(fit(Method::Isotonic, &x, &y).unwrap());
        let mut prev = f64::MIN;
        for i in 0..=1000 {
            let v = c.apply(i as f64 / 1000.0);
            assert!(v >= prev - 1e-12, "falls at {i}: {prev} -> {v}");
            assert!((0.0..=5.0).contains(&v));
            prev = v;
        }
    }

    #[test]
    fn a_line_by_least_squares_clamped_to_the_scale() {
        let m = fit(Method::Linear, &[0.0, 0.5, 1.0], &[1.0, 2.0, 3.0]).unwrap();
        assert_eq!(
            m,
            Map::Linear {
                intercept: 1.0,
                slope: 2.0
            }
        );
        let c = cal(Map::Linear {
            intercept: -1.0,
            slope: 10.0,
        });
        assert_eq!((c.apply(0.0), c.apply(0.3), c.apply(1.0)), (0.0, 2.0, 5.0));
        assert!(fit(Method::Linear, &[0.4, 0.4], &[1.0, 2.0]).is_err());
        assert!(fit(Method::Isotonic, &[0.4], &[1.0]).is_err());
    }

    #[test]
    fn a_saved_map_reads_back_the_same() {
        let c = cal(fit(Method::Isotonic, &[0.1, 0.2, 0.7], &[1.0, 0.5, 4.0]).unwrap());
        let text = c.to_json();
        assert!(
            text.contains("\"schema\": \"viva.calibration/v1\""),
            "{text}"
        );
        assert!(text.contains("\"method\": \"isotonic\""), "{text}");
        assert_eq!(Calibration::parse(&text).unwrap(), c);
        let l = cal(Map::Linear {
            intercept: 0.25,
            slope: 4.5,
        });
        assert_eq!(Calibration::parse(&l.to_json()).unwrap(), l);
    }

    #[test]
    fn a_broken_file_says_what_is_wrong() {
        let err = |s: &str| Calibration::parse(s).unwrap_err();
        assert!(err("{").starts_with("not JSON"));
        assert!(err(r#"{"schema": "viva.grading/v1"}"#).contains("not `viva.calibration/v1`"));
        let falling = r#"{"schema": "viva.calibration/v1", "scale": "0-5",
            "fitted_on": {"journal": "d", "answers": 2, "target": ["h"]},
            "method": "isotonic", "points": [{"fraction": 0.1, "score": 3}, {"fraction": 0.2, "score": 2}]}"#;
        assert!(err(falling).contains("must rise"));
        let scale = falling.replace("0-5", "5-0");
        assert!(err(&scale).contains("its scale"));
    }
}
