//! The few descriptive statistics a batch report needs, kept apart from the
//! report types so the arithmetic can be tested on plain numbers.
//!
//! Standard deviations are population ones (divide by n): a report
//! describes the cohort that was graded, not a sample of a larger one, and a
//! question answered once then has a spread of 0 rather than none.

/// The arithmetic mean, or `None` for no values.
pub fn mean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    Some(xs.iter().sum::<f64>() / xs.len() as f64)
}

/// The population standard deviation, or `None` for no values.
pub fn std_dev(xs: &[f64]) -> Option<f64> {
    let m = mean(xs)?;
    let var = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / xs.len() as f64;
    Some(var.sqrt())
}

/// The smallest and largest value, or `None` for no values.
pub fn min_max(xs: &[f64]) -> Option<(f64, f64)> {
    let first = *xs.first()?;
    Some(
        xs.iter()
            .fold((first, first), |(lo, hi), &x| (lo.min(x), hi.max(x))),
    )
}

/// Rounds to `places` decimals; `+ 0.0` turns a -0.0 into 0.0.
pub fn round_to(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f + 0.0
}

/// Number of buckets in a score histogram.
pub const BUCKETS: usize = 10;

/// The histogram bucket of a percentage: 0 for [0, 10), ..., 9 for [90, 100]
/// (a perfect score belongs to the top bucket, not an eleventh).
pub fn bucket(percent: f64) -> usize {
    ((percent / 10.0).floor().max(0.0) as usize).min(BUCKETS - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_population_std_dev() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert_eq!(mean(&xs), Some(5.0));
        assert_eq!(std_dev(&xs), Some(2.0));
        assert_eq!(std_dev(&[42.0]), Some(0.0));
        assert_eq!(mean(&[]), None);
        assert_eq!(std_dev(&[]), None);
    }

    #[test]
    fn min_and_max() {
        assert_eq!(min_max(&[3.0, -1.0, 8.5]), Some((-1.0, 8.5)));
        assert_eq!(min_max(&[]), None);
    }

    #[test]
    fn buckets_are_tens_with_100_in_the_top_one() {
        assert_eq!(bucket(0.0), 0);
        assert_eq!(bucket(9.9), 0);
        assert_eq!(bucket(10.0), 1);
        assert_eq!(bucket(89.9), 8);
        assert_eq!(bucket(90.0), 9);
        assert_eq!(bucket(100.0), 9);
    }

    #[test]
    fn rounding_never_yields_negative_zero() {
        assert_eq!(round_to(-0.00001, 2).to_string(), "0");
        assert_eq!(round_to(66.666, 1), 66.7);
    }
}
