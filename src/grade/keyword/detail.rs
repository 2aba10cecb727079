//! How much of a point an answer states: the gist, or the point with its
//! specifics.
//!
//! A point is earned by a statement that meets its groups, and used to earn
//! its whole weight however thinly it was stated. An honest mid-level answer
//! that names every point in a clause each ("it saves memory and makes
//! lookups faster") then tied the expert answer that explains them, and on
//! the held-out sets a partial answer scored as high as its expert on 78 of
//! 1,056 questions. A human grader, and the LLM prompt, give less for a point
//! stated only in part.
//!
//! A point's text names its specifics (the mechanism, the tools, the
//! examples, the versions). An answer whose statements use enough of the
//! text's content words earns the point in full; one that states the point
//! with few of them earns at least [`FLOOR`] of it. Only statements count:
//! words in a list of terms say nothing, so appending one restores nothing.
//! The factor only ever lowers a point already earned, so no answer gains
//! from it, and a salad loses a little as an honest answer does.

use rustc_hash::FxHashSet;

use super::answer::Prepared;
use crate::text::{self, Kind};

/// What a point stated without any of its text's specifics still earns:
/// the statement is what counts, the detail refines it.
pub(super) const FLOOR: f64 = 0.9;

/// The share of the point text's content words at which the point earns
/// in full. Expert answers in their own words reach it on nearly every
/// point (their mean score moved by under 0.001 on the held-out sets).
pub(super) const FULL_AT: f64 = 0.4;

/// The stems of the content words of a point's text, each once: what an
/// answer stating the point in full tends to say too. Numbers and words of
/// one or two letters are left out, as too common to tell anything.
pub(super) fn stems(point_text: &str) -> Vec<Box<str>> {
    let mut out: Vec<Box<str>> = Vec::new();
    for t in text::analyse(point_text).tokens {
        let stem = t.stem.as_str();
        if t.kind == Kind::Word
            && t.norm.as_str().chars().count() > 2
            && stem
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
            && !out.iter().any(|s| &**s == stem)
        {
            out.push(stem.into());
        }
    }
    out
}

/// The stems of the words the answer says in statements: its sentences
/// (or windows of speech) that are not lists of terms, and the statement
/// that leads a list.
pub(super) fn said<'a>(prepared: &'a Prepared<'_>) -> FxHashSet<&'a str> {
    let mut said = FxHashSet::default();
    for unit in &prepared.units[..prepared.singles] {
        let end = match (unit.list, unit.lead) {
            (false, _) => unit.stream.end,
            (true, Some(lead)) => lead.min(unit.stream.end),
            (true, None) => continue,
        };
        for &i in &prepared.stream[unit.stream.start..end] {
            said.insert(prepared.analysis.tokens[i].stem.as_str());
        }
    }
    said
}

/// The share of its credit a point earns, from how many of its text's
/// content words the answer's statements use: [`FLOOR`] with none, rising
/// in a straight line to 1 at [`FULL_AT`] of them, to two decimals.
pub(super) fn factor(detail: &[Box<str>], said: &FxHashSet<&str>) -> f64 {
    if detail.is_empty() {
        return 1.0;
    }
    let used = detail.iter().filter(|s| said.contains(&***s)).count();
    let share = used as f64 / detail.len() as f64;
    let f = FLOOR + (1.0 - FLOOR) * (share / FULL_AT).min(1.0);
    (f * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set<'a>(words: &[&'a str]) -> FxHashSet<&'a str> {
        words.iter().copied().collect()
    }

    #[test]
    fn a_point_texts_content_stems_each_once() {
        let s =
            stems("The GIL is released during blocking I/O, and released by C extensions (3.13).");
        assert!(s.iter().any(|w| &**w == "releas"), "{s:?}");
        assert_eq!(s.iter().filter(|w| &***w == "releas").count(), 1);
        assert!(!s.iter().any(|w| &**w == "the" || &**w == "is"), "{s:?}");
        assert!(!s.iter().any(|w| w.starts_with(char::is_numeric)), "{s:?}");
    }

    #[test]
    fn the_factor_rises_from_the_floor_to_one_and_stays() {
        let detail: Vec<Box<str>> = ["a1", "b1", "c1", "d1", "e1", "f1", "g1", "h1"]
            .iter()
            .map(|s| (*s).into())
            .collect();
        assert_eq!(factor(&detail, &set(&[])), FLOOR);
        assert_eq!(factor(&detail, &set(&["a1", "zz"])), 0.93);
        assert_eq!(factor(&detail, &set(&["a1", "b1"])), 0.96);
        assert_eq!(factor(&detail, &set(&["a1", "b1", "c1", "d1"])), 1.0);
        assert_eq!(
            factor(&detail, &set(&["a1", "b1", "c1", "d1", "e1", "f1"])),
            1.0
        );
        assert_eq!(factor(&[], &set(&[])), 1.0, "nothing to detail");
    }
}
