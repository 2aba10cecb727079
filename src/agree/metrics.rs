//! Agreement statistics between two sets of scores for the same answers.
//!
//! Each function takes two equally long slices, one score per answer, and
//! returns `None` where the statistic is undefined (no answers, or a rater
//! who gave every answer the same score for a correlation). They are small
//! enough to write out, and written out they state exactly which variant is
//! meant: Pearson's r, Spearman's ρ as Pearson's r of average ranks (ties
//! share the mean of their ranks, as `scipy.stats.spearmanr` does),
//! quadratic weighted kappa over every category of the scale (as
//! `sklearn.metrics.cohen_kappa_score(weights="quadratic", labels=...)`),
//! mean absolute and root mean square difference, and exact and within-one
//! agreement of whole-number categories.

/// Pearson's product-moment correlation; `None` for fewer than two answers
/// or when either side does not vary.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    debug_assert_eq!(x.len(), y.len());
    let n = x.len();
    if n < 2 {
        return None;
    }
    let mx = x.iter().sum::<f64>() / n as f64;
    let my = y.iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (da, db) = (a - mx, b - my);
        sxy += da * db;
        sxx += da * da;
        syy += db * db;
    }
    // A constant side has no spread to correlate; rounding may leave a
    // speck of variance, so compare with the scale of the values.
    let tiny = |s: f64, m: f64| s <= 1e-24 * (1.0 + m * m) * n as f64;
    if tiny(sxx, mx) || tiny(syy, my) {
        return None;
    }
    Some((sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0))
}

/// 1-based ranks with ties given the mean of the ranks they span.
pub fn average_ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
    let mut ranks = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && x[order[j + 1]] == x[order[i]] {
            j += 1;
        }
        // Positions i..=j (0-based) share ranks i+1..=j+1.
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k] = rank;
        }
        i = j + 1;
    }
    ranks
}

/// Spearman's rank correlation: Pearson's r of the average ranks.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    pearson(&average_ranks(x), &average_ranks(y))
}

/// Mean absolute difference.
pub fn mae(x: &[f64], y: &[f64]) -> Option<f64> {
    (!x.is_empty())
        .then(|| x.iter().zip(y).map(|(a, b)| (a - b).abs()).sum::<f64>() / x.len() as f64)
}

/// Root mean square difference.
pub fn rmse(x: &[f64], y: &[f64]) -> Option<f64> {
    (!x.is_empty()).then(|| {
        (x.iter().zip(y).map(|(a, b)| (a - b) * (a - b)).sum::<f64>() / x.len() as f64).sqrt()
    })
}

/// Share of answers whose categories are equal.
pub fn exact(x: &[i64], y: &[i64]) -> Option<f64> {
    share(x, y, 0)
}

/// Share of answers whose categories differ by at most one.
pub fn within_one(x: &[i64], y: &[i64]) -> Option<f64> {
    share(x, y, 1)
}

fn share(x: &[i64], y: &[i64], tolerance: i64) -> Option<f64> {
    (!x.is_empty()).then(|| {
        let hits = x
            .iter()
            .zip(y)
            .filter(|(a, b)| (*a - *b).abs() <= tolerance)
            .count();
        hits as f64 / x.len() as f64
    })
}

/// Quadratic weighted kappa over the categories `lo..=hi`: one minus the
/// ratio of observed to chance-expected squared disagreement, where chance
/// pairs the two raters' own category frequencies. `None` when chance
/// disagreement is zero (both raters used one and the same category) or a
/// category lies outside the scale.
pub fn qwk(x: &[i64], y: &[i64], lo: i64, hi: i64) -> Option<f64> {
    debug_assert_eq!(x.len(), y.len());
    if x.is_empty() || hi < lo {
        return None;
    }
    let k = (hi - lo + 1) as usize;
    let index = |c: i64| (c >= lo && c <= hi).then(|| (c - lo) as usize);
    let mut observed = vec![0.0; k * k];
    let mut rows = vec![0.0; k];
    let mut cols = vec![0.0; k];
    for (a, b) in x.iter().zip(y) {
        let (i, j) = (index(*a)?, index(*b)?);
        observed[i * k + j] += 1.0;
        rows[i] += 1.0;
        cols[j] += 1.0;
    }
    let n = x.len() as f64;
    let (mut seen, mut chance) = (0.0, 0.0);
    for i in 0..k {
        for j in 0..k {
            let w = ((i as f64) - (j as f64)).powi(2);
            seen += w * observed[i * k + j];
            chance += w * rows[i] * cols[j] / n;
        }
    }
    (chance > 0.0).then(|| 1.0 - seen / chance)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("defined");
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn pearson_by_hand() {
        // x = 1,2,3; y = 1,3,2: deviations (-1,0,1)·(-1,1,0) = 1, each sum of squares 2.
        close(pearson(&[1.0, 2.0, 3.0], &[1.0, 3.0, 2.0]), 0.5);
        close(pearson(&[1.0, 2.0, 3.0], &[6.0, 4.0, 2.0]), -1.0);
        assert_eq!(pearson(&[1.0, 2.0, 3.0], &[2.0, 2.0, 2.0]), None);
        assert_eq!(pearson(&[1.0], &[2.0]), None);
    }

    #[test]
    fn ties_share_the_mean_of_their_ranks() {
        assert_eq!(
            average_ranks(&[10.0, 20.0, 10.0, 30.0, 20.0, 20.0]),
            [1.5, 4.0, 1.5, 6.0, 4.0, 4.0]
        );
        // Monotone but not linear: ρ is 1 where r is not.
        close(
            spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 4.0, 9.0, 100.0]),
            1.0,
        );
    }

    #[test]
    fn differences_by_hand() {
        let (x, y) = ([0.0, 1.0, 2.0, 4.0], [0.0, 2.0, 2.0, 1.0]);
        close(mae(&x, &y), 1.0); // (0 + 1 + 0 + 3) / 4
        close(rmse(&x, &y), (10.0f64 / 4.0).sqrt()); // (0 + 1 + 0 + 9) / 4
        assert_eq!(mae(&[], &[]), None);
        close(exact(&[1, 2, 3, 4], &[1, 3, 3, 1]), 0.5);
        close(within_one(&[1, 2, 3, 4], &[1, 3, 3, 1]), 0.75);
    }

    #[test]
    fn qwk_by_hand() {
        // Two answers on a 0-1 scale, raters swapped: observed squared
        // disagreement 2, chance (1·1 + 1·1)/2 = 1 per off cell → 1 - 2/1 = -1.
        close(qwk(&[0, 1], &[1, 0], 0, 1), -1.0);
        close(qwk(&[0, 1, 2], &[0, 1, 2], 0, 2), 1.0);
        // x = 0,1,2; y = 0,2,2 on 0-2. Observed: one pair (1,2), weight 1.
        // Margins x 1,1,1 and y 1,0,2; chance = Σ w·r_i·c_j / 3 over the cells
        // (0,2) 4·1·2, (1,0) 1·1·1, (1,2) 1·1·2, (2,0) 4·1·1 → 15 / 3 = 5.
        close(qwk(&[0, 1, 2], &[0, 2, 2], 0, 2), 1.0 - 1.0 / 5.0);
        assert_eq!(qwk(&[3, 3], &[3, 3], 0, 5), None);
        assert_eq!(qwk(&[6], &[1], 0, 5), None);
    }

    // Reference figures from Python 3 with scipy 1.17.1 and scikit-learn 1.9.1:
    //   x = [0.1, 0.35, 0.35, 0.6, 0.8, 0.95, 0.5, 0.2, 0.7, 0.35]
    //   h = [1, 2, 1, 3, 4, 5, 3, 0, 5, 2]
    //   scipy.stats.pearsonr(x, h).statistic   -> 0.9254279966881844
    //   scipy.stats.spearmanr(x, h).statistic  -> 0.9378881987577641
    //   v = [1, 2, 2, 3, 4, 5, 3, 1, 4, 2]  (5·x rounded half away from zero, as viva
    //       does; Python's round() would send 0.5 and 2.5 to even, so v is written out)
    //   sklearn.metrics.cohen_kappa_score(v, h, weights="quadratic",
    //       labels=[0, 1, 2, 3, 4, 5])                         -> 0.9295774647887324
    //   numpy.mean(numpy.abs(5 * numpy.array(x) - h))          -> 0.5
    //   numpy.sqrt(numpy.mean((5 * numpy.array(x) - h) ** 2))  -> 0.6708203932499369
    //   cohen_kappa_score([0, 1, 2], [0, 2, 2], weights="quadratic",
    //       labels=[0, 1, 2])                                  -> 0.8 (the hand case)
    const X: [f64; 10] = [0.1, 0.35, 0.35, 0.6, 0.8, 0.95, 0.5, 0.2, 0.7, 0.35];
    const H: [f64; 10] = [1.0, 2.0, 1.0, 3.0, 4.0, 5.0, 3.0, 0.0, 5.0, 2.0];
    const V: [i64; 10] = [1, 2, 2, 3, 4, 5, 3, 1, 4, 2];
    const HC: [i64; 10] = [1, 2, 1, 3, 4, 5, 3, 0, 5, 2];

    #[test]
    fn matches_scipy_and_sklearn() {
        let scaled: Vec<f64> = X.iter().map(|f| 5.0 * f).collect();
        close(pearson(&X, &H), 0.9254279966881844);
        close(spearman(&X, &H), 0.9378881987577641);
        close(qwk(&V, &HC, 0, 5), 0.9295774647887324);
        close(mae(&scaled, &H), 0.5);
        close(rmse(&scaled, &H), 0.6708203932499369);
    }
}
