//! How closely viva's scores agree with human graders' scores for the same
//! answers (`viva agree`).
//!
//! A batch journal gives viva's score fraction per answer; a CSV gives one
//! or more human scores per answer on a whole-number scale. Answers are
//! joined on the key a journal line carries from its batch input row,
//! candidate and question id ([`join`]). viva's fraction is put on the human
//! scale linearly or by a calibration fitted on other answers
//! ([`calibrate`]); then [`analyse`] computes the [`metrics`] for every pair
//! of raters with [`bootstrap`] intervals, and the renderers print them.
//! Nothing here grades: it reads what a batch recorded.

pub mod analyse;
pub mod bootstrap;
pub mod calibrate;
pub mod humans;
pub mod join;
mod markdown;
pub mod metrics;
mod text;

pub use analyse::{Agreement, SCHEMA};
pub use markdown::render as markdown;
pub use text::render as text;

use std::fmt;
use std::str::FromStr;

/// A human grading scale of whole numbers, `--scale LO-HI`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub lo: i64,
    pub hi: i64,
}

/// Widest scale accepted: QWK keeps a table of categories squared.
const MAX_CATEGORIES: i64 = 101;

impl Scale {
    /// viva's fraction (0–1) put linearly on the scale: `lo + f·(hi − lo)`.
    pub fn from_fraction(self, f: f64) -> f64 {
        self.lo as f64 + f * (self.hi - self.lo) as f64
    }

    /// The whole-number category nearest a score (halves round up), kept
    /// within the scale.
    pub fn category(self, score: f64) -> i64 {
        ((score + 0.5).floor() as i64).clamp(self.lo, self.hi)
    }

    pub fn contains(self, score: f64) -> bool {
        score >= self.lo as f64 && score <= self.hi as f64
    }
}

impl FromStr for Scale {
    type Err = String;

    fn from_str(s: &str) -> Result<Scale, String> {
        let bad = || format!("`{s}` is not a scale: write LOW-HIGH in whole numbers, e.g. 0-5");
        let (lo, hi) = s.trim().split_once('-').ok_or_else(bad)?;
        let lo: i64 = lo.trim().parse().map_err(|_| bad())?;
        let hi: i64 = hi.trim().parse().map_err(|_| bad())?;
        if hi <= lo {
            return Err(format!(
                "`{s}` is not a scale: the high end must exceed the low end"
            ));
        }
        if hi - lo + 1 > MAX_CATEGORIES {
            return Err(format!(
                "`{s}` has more than {MAX_CATEGORIES} scores; use a scale of at most {MAX_CATEGORIES}"
            ));
        }
        Ok(Scale { lo, hi })
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.lo, self.hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_parse_and_map_fractions() {
        let s: Scale = "0-5".parse().unwrap();
        assert_eq!((s.lo, s.hi), (0, 5));
        assert_eq!(s.to_string(), "0-5");
        assert_eq!(s.from_fraction(0.5), 2.5);
        assert_eq!(s.category(2.5), 3);
        assert_eq!(s.category(2.49), 2);
        assert_eq!(s.category(7.0), 5);
        let t: Scale = "1-10".parse().unwrap();
        assert_eq!(t.from_fraction(1.0), 10.0);
        for bad in ["5", "5-0", "3-3", "a-b", "0-500"] {
            assert!(bad.parse::<Scale>().is_err(), "{bad}");
        }
    }
}
