//! Match rules derived from a key point's own words.
//!
//! A recruiter usually has a model answer, not phrase groups. A point given
//! only as `text` is matched by the content words of that text: each word
//! (with its stem and the bank lexicon's equivalences, applied when the rubric
//! compiles) is a group, and a share of the groups earns the point, since a
//! reference sentence says one thing in more words than an answer needs.
//! Words of the question itself are left out when anything else is left:
//! restating the question is not an answer.
//!
//! `viva rubric draft` writes the same rules into the files it drafts, so a
//! drafted rubric and a text-only point grade alike.

use std::collections::HashSet;

use super::MatchRules;
use crate::text::{self, Kind};

/// Share of a derived point's groups that earns it in full: the middle of
/// the range (0.4 to 0.8) over which agreement with human graders on the
/// Mohler development split stays flat (see `docs/drafting.md`).
pub const NEED_SHARE: f64 = 0.6;

/// Most groups a derived point keeps: the first content words of a long
/// sentence, which name what it is about.
pub const MAX_GROUPS: usize = 8;

/// The content words of `text` as rules: one group per distinct stem, words
/// of `question` left out unless nothing else is left, and `need` set to
/// [`NEED_SHARE`] of the groups. Empty groups when `text` has no content word.
pub fn rules_from_text(text: &str, question: &str) -> MatchRules {
    let asked: HashSet<String> = content_words(question)
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    let words = content_words(text);
    let fresh: Vec<&(String, String)> = words.iter().filter(|(_, s)| !asked.contains(s)).collect();
    let chosen: Vec<&(String, String)> = if fresh.is_empty() {
        words.iter().collect()
    } else {
        fresh
    };
    let groups: Vec<Vec<String>> = chosen
        .into_iter()
        .take(MAX_GROUPS)
        .map(|(norm, _)| vec![norm.clone()])
        .collect();
    // A negative statement ("the base case is not included") is said with
    // a negation ("there is no base case"): the negation is one of its parts.
    let negative = states_negation(text);
    let mut groups = groups;
    if negative {
        let mut negation: Vec<String> = NEGATIONS.iter().map(|s| s.to_string()).collect();
        negation.extend(
            text::analyse(text)
                .tokens
                .iter()
                .filter(|t| NEGATIVE_VERBS.contains(&t.norm.as_str()))
                .map(|t| t.norm.to_string()),
        );
        groups.retain(|g| !NEGATIVE_VERBS.contains(&g[0].as_str()));
        groups.push(negation);
    }
    let need = need_for(groups.len());
    MatchRules {
        groups,
        regex: Vec::new(),
        half: None,
        need,
        negative,
    }
}

/// How a negative statement's negation may be said.
pub const NEGATIONS: &[&str] = &["not", "no", "never", "without", "none", "nothing"];

/// Verbs that state a negative ("it avoids copies": no copies are made).
const NEGATIVE_VERBS: &[&str] = &[
    "avoid",
    "avoids",
    "avoided",
    "avoiding",
    "prevent",
    "prevents",
    "prevented",
    "preventing",
    "eliminate",
    "eliminates",
    "lack",
    "lacks",
];

/// Whether `text` negates what it says: a negator among its words, or a
/// verb such as "avoids".
fn states_negation(text: &str) -> bool {
    text::analyse(text).tokens.iter().any(|t| {
        (t.kind == Kind::Negator && t.norm != "of" && t.norm != "than")
            || NEGATIVE_VERBS.contains(&t.norm.as_str())
    })
}

/// Whether every content word of `text` is also a word of `question`.
pub fn only_question_words(text: &str, question: &str) -> bool {
    let asked: HashSet<String> = content_words(question)
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    content_words(text).iter().all(|(_, s)| asked.contains(s))
}

/// Groups that earn a derived point with `n` groups in full: [`NEED_SHARE`]
/// of them, rounded up; `None` for a single group. With two groups both are
/// needed, and one earns half.
pub fn need_for(n: usize) -> Option<usize> {
    let need = ((n as f64) * NEED_SHARE).ceil() as usize;
    (n >= 2).then_some(need.max(1))
}

/// Distinct content words of `text` in order, as (word, stem). Single
/// letters and bare numbers say too little to match on.
pub fn content_words(text: &str) -> Vec<(String, String)> {
    let mut seen = HashSet::new();
    text::analyse(text)
        .tokens
        .into_iter()
        .filter(|t| t.kind == Kind::Word)
        .filter(|t| t.norm.chars().count() > 1 && !t.norm.chars().all(|c| c.is_ascii_digit()))
        .filter(|t| seen.insert(t.stem.clone()))
        .map(|t| (t.norm.to_string(), t.stem.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_words_are_left_out_when_others_remain() {
        let r = rules_from_text(
            "To simulate the behaviour of portions of the desired software product.",
            "What is the role of a prototype program in problem solving?",
        );
        let words: Vec<&str> = r.groups.iter().map(|g| g[0].as_str()).collect();
        assert_eq!(
            words,
            [
                "simulate",
                "behaviour",
                "portions",
                "desired",
                "software",
                "product"
            ]
        );
        assert_eq!(r.need, Some(4));
    }

    #[test]
    fn a_restated_question_keeps_its_words() {
        let r = rules_from_text("A prototype program.", "What is a prototype program?");
        assert_eq!(r.groups, [["prototype"], ["program"]]);
        assert_eq!(r.need, Some(2), "two groups need both");
    }

    #[test]
    fn need_is_a_share_rounded_up_and_never_every_group() {
        assert_eq!(need_for(1), None);
        assert_eq!(need_for(2), Some(2));
        assert_eq!(need_for(3), Some(2));
        assert_eq!(need_for(5), Some(3));
        assert_eq!(need_for(8), Some(5));
    }

    #[test]
    fn long_sentences_keep_their_first_words() {
        let r = rules_from_text(
            "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo",
            "",
        );
        assert_eq!(r.groups.len(), MAX_GROUPS);
        assert_eq!(r.groups[0], ["alpha"]);
    }
}
