//! Percentile bootstrap intervals, reproducible to the bit.
//!
//! Answers to one question are not independent (an easy question gets high
//! scores from everyone), so every statistic gets two 95% intervals: one
//! resampling answers, one resampling whole questions (each drawn question
//! brings all its answers, a cluster bootstrap). The question interval is
//! the honest one when the questions themselves are a sample.
//!
//! The random numbers come from SplitMix64 seeded with `--seed` (default
//! [`DEFAULT_SEED`]), written out here so the sequence never changes with a
//! dependency: the same inputs give the same intervals on every machine.
//! Every statistic is computed on the same resamples, so intervals of
//! different comparisons are paired.

/// Resamples drawn when `--resamples` is not given.
pub const DEFAULT_RESAMPLES: usize = 2000;
/// Seed used when `--seed` is not given.
pub const DEFAULT_SEED: u64 = 1;

/// SplitMix64 (Steele, Lea and Flood 2014): small, fast and fully specified.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (multiply-shift; the bias is below 2⁻³²
    /// for any `n` a score table can have).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
}

/// What one resample draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `n` answers with replacement.
    Answers,
    /// As many questions as there are, with replacement, each with all its answers.
    Questions,
}

/// A 95% percentile interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// Bootstraps `statistics` (one vector of values per call, `None` where a
/// statistic is undefined on that resample) over answers grouped by
/// `clusters` (the question index of each answer). Returns, per statistic,
/// the 2.5th and 97.5th percentiles of its defined values, or `None` when
/// fewer than half the resamples define it.
pub fn intervals(
    clusters: &[usize],
    scheme: Scheme,
    resamples: usize,
    seed: u64,
    statistics: impl Fn(&[usize]) -> Vec<Option<f64>>,
) -> Vec<Option<Interval>> {
    let n = clusters.len();
    let groups = groups(clusters);
    // Each scheme has its own stream, so adding one never shifts the other.
    let stream = match scheme {
        Scheme::Answers => 0x616e_7377,
        Scheme::Questions => 0x7175_6573,
    };
    let mut rng = SplitMix64::new(seed ^ stream);
    let mut values: Vec<Vec<f64>> = Vec::new();
    let mut sample = Vec::with_capacity(n);
    for _ in 0..resamples {
        sample.clear();
        match scheme {
            Scheme::Answers => sample.extend((0..n).map(|_| rng.below(n))),
            Scheme::Questions => {
                for _ in 0..groups.len() {
                    sample.extend_from_slice(&groups[rng.below(groups.len())]);
                }
            }
        }
        let stats = statistics(&sample);
        values.resize_with(stats.len(), Vec::new);
        for (v, s) in values.iter_mut().zip(stats) {
            if let Some(s) = s.filter(|s| s.is_finite()) {
                v.push(s);
            }
        }
    }
    values
        .into_iter()
        .map(|mut v| {
            if v.is_empty() || v.len() * 2 < resamples {
                return None;
            }
            v.sort_by(f64::total_cmp);
            Some(Interval {
                low: percentile(&v, 0.025),
                high: percentile(&v, 0.975),
            })
        })
        .collect()
}

/// Answer indexes per cluster, in cluster order.
fn groups(clusters: &[usize]) -> Vec<Vec<usize>> {
    let count = clusters.iter().map(|c| c + 1).max().unwrap_or(0);
    let mut groups = vec![Vec::new(); count];
    for (i, &c) in clusters.iter().enumerate() {
        groups[c].push(i);
    }
    groups.retain(|g| !g.is_empty());
    groups
}

/// The `p` quantile of sorted values, interpolating linearly between the
/// two nearest (numpy's default, "type 7").
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, frac) = (h.floor() as usize, h - h.floor());
    match sorted.get(lo + 1) {
        Some(next) => sorted[lo] + frac * (next - sorted[lo]),
        None => sorted[lo],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_its_reference_sequence() {
        // The first outputs for seed 0 in the reference implementation
        // (Vigna's splitmix64.c).
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(r.next_u64(), 0x6e78_9e6a_a1b9_65f4);
    }

    #[test]
    fn percentiles_interpolate_like_numpy() {
        // numpy.percentile([1, 2, 3, 4], [2.5, 97.5]) -> [1.075, 3.925]
        let v = [1.0, 2.0, 3.0, 4.0];
        assert!((percentile(&v, 0.025) - 1.075).abs() < 1e-12);
        assert!((percentile(&v, 0.975) - 3.925).abs() < 1e-12);
        assert_eq!(percentile(&[7.0], 0.5), 7.0);
    }

    fn mean(xs: &[f64], idx: &[usize]) -> Option<f64> {
        Some(idx.iter().map(|&i| xs[i]).sum::<f64>() / idx.len() as f64)
    }

    #[test]
    fn the_same_seed_gives_the_same_intervals() {
        let xs: Vec<f64> = (0..40).map(|i| (i * 7 % 13) as f64).collect();
        let clusters: Vec<usize> = (0..40).map(|i| i / 5).collect();
        for scheme in [Scheme::Answers, Scheme::Questions] {
            let a = intervals(&clusters, scheme, 500, 1, |idx| vec![mean(&xs, idx)]);
            let b = intervals(&clusters, scheme, 500, 1, |idx| vec![mean(&xs, idx)]);
            let c = intervals(&clusters, scheme, 500, 2, |idx| vec![mean(&xs, idx)]);
            assert_eq!(a, b);
            assert_ne!(a, c);
            let i = a[0].unwrap();
            let m = xs.iter().sum::<f64>() / 40.0;
            assert!(i.low < m && m < i.high, "{i:?} around {m}");
        }
    }

    #[test]
    fn question_resamples_keep_questions_whole() {
        // Every question's answers share one value, so a question resample
        // can only produce means of whole questions; with two questions of
        // values 0 and 10, the means are 0, 5 or 10.
        let xs = [0.0, 0.0, 0.0, 10.0, 10.0, 10.0];
        let clusters = [0, 0, 0, 1, 1, 1];
        let seen = std::cell::RefCell::new(Vec::new());
        intervals(&clusters, Scheme::Questions, 200, 1, |idx| {
            assert_eq!(idx.len(), 6);
            seen.borrow_mut().push(mean(&xs, idx).unwrap());
            vec![None]
        });
        assert!(seen.borrow().iter().all(|m| [0.0, 5.0, 10.0].contains(m)));
    }

    #[test]
    fn a_statistic_undefined_on_most_resamples_has_no_interval() {
        let clusters = [0, 1, 2];
        let out = intervals(&clusters, Scheme::Answers, 100, 1, |_| {
            vec![None, Some(1.0)]
        });
        assert_eq!(out[0], None);
        assert_eq!(
            out[1],
            Some(Interval {
                low: 1.0,
                high: 1.0
            })
        );
    }
}
