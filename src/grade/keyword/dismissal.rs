//! Dismissals: a sentence that names what a point recommends and then waves
//! it away. "Lock files are unnecessary for applications", "Caching should be
//! avoided until the very end", "Database performance is rarely the issue":
//! the point's words are all there, as the subject of a predicate that says
//! the opposite. Such a sentence earns the point nothing, and the report
//! shows it as a statement of the opposite, with the quote.
//!
//! Only points whose own text is positive are read this way (see
//! [`positive`]): a point that itself dismisses something ("no container is
//! required") is stated, not denied, by a dismissal. A practice named by a
//! gerund and judged bad ("Moving imports into functions is a mistake") is
//! `units::judged`, which also keeps misconceptions from firing on it.

use super::units;
use crate::text::WordSet;
use crate::text::{Analysis, Kind, Token};

/// Predicate words that wave their subject away ("is unnecessary", "should
/// be avoided"). Judgements of worth only: "slow", "unsafe" or "dangerous"
/// state facts that are often exactly what a point says.
static DISMISSIVE: WordSet = WordSet::new(&[
    "unnecessary",
    "pointless",
    "useless",
    "overkill",
    "irrelevant",
    "obsolete",
    "unreliable",
    "counterproductive",
    "unpythonic",
    "superfluous",
    "avoided",
    "discouraged",
    "ignored",
    "skipped",
]);

/// What "not" (or "rarely", "never") denies of the subject: "not needed",
/// "rarely the bottleneck", "never worth it".
const NOT_WHAT: &[&str] = &[
    "needed",
    "necessary",
    "required",
    "worth",
    "useful",
    "important",
    "relevant",
    "helpful",
    "issue",
    "problem",
    "bottleneck",
    "concern",
    "help",
    "helps",
    "work",
    "works",
    "matter",
    "matters",
    "apply",
    "applies",
    "happen",
    "happens",
    "occur",
    "occurs",
];

/// Words that deny what follows them in a predicate.
const DENIERS: &[&str] = &["not", "never", "rarely", "seldom", "hardly"];

/// Auxiliaries and articles that may stand between the subject and the
/// dismissing word, besides the hedges a verdict may follow
/// (`units::VERDICT_HEDGES`: "should generally be avoided", "is not really
/// the issue").
static LINKS: WordSet = WordSet::new(&[
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "should",
    "must",
    "can",
    "could",
    "will",
    "would",
    "may",
    "might",
    "do",
    "does",
    "did",
    "basically",
    "essentially",
    "simply",
    "just",
    "almost",
    "pretty",
    "quite",
    "entirely",
    "largely",
    "a",
    "an",
    "the",
]);

/// Whether a word may stand between the subject and the dismissal.
fn link(w: &str) -> bool {
    LINKS.contains(w) || units::VERDICT_HEDGES.contains(w)
}

/// Words that open a clause of their own after the subject: a predicate
/// past one belongs to another clause ("use a lock because races are
/// hard to reproduce").
static CLAUSE_OPENERS: WordSet = WordSet::new(&[
    "because", "so", "which", "that", "when", "while", "if", "since", "but", "whereas", "although",
    "though", "unless", "until", "where", "then",
]);

/// Words before the subject that make the sentence a condition or a
/// question, not a claim ("if caching is unnecessary, ...").
const CONDITIONS: &[&str] = &["if", "when", "whether", "unless", "once"];

/// Most content words between the matched words and the predicate ("Tests
/// written against the old code are mostly useless": four).
const SUBJECT_TAIL: usize = 4;

/// Most content words of a clause before the matched words: the matched
/// words must be its subject, not an object further on.
const SUBJECT_LEAD: usize = 3;

/// Words that negate, as a point's text may spell them ("cannot", "don't").
static NEGATIONS: WordSet = WordSet::new(&[
    "not", "no", "never", "neither", "nor", "without", "nothing", "nobody", "cannot",
]);

/// Whether a point's text is positive: no negation and no dismissal of its
/// own, so a dismissal of its words says the opposite. A plain word scan,
/// not a full analysis: this runs for every point of every rubric compiled,
/// `viva grade` included.
pub(super) fn positive(text: &str) -> bool {
    !text
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .map(|w| w.to_lowercase())
        .any(|w| {
            w.ends_with("n't")
                || w.ends_with("n\u{2019}t")
                || NEGATIONS.contains(w.as_str())
                || DISMISSIVE.contains(w.as_str())
                || DENIERS.contains(&w.as_str())
                || matches!(w.as_str(), "avoid" | "instead" | "rather" | "only")
        })
}

/// Whether the matched tokens (indices into `analysis.tokens`, ascending)
/// are the subject of a dismissing predicate in their clause: they open
/// the clause, a dismissal follows them within [`SUBJECT_TAIL`] content
/// words, and any matched word after the dismissal lies inside its clause
/// ("Lock files are unnecessary for applications").
pub(super) fn dismissed(analysis: &Analysis, matched: &[usize]) -> bool {
    let tokens = &analysis.tokens;
    let (Some(&first), Some(&last)) = (matched.first(), matched.last()) else {
        return false;
    };
    let sentence = tokens[first].sentence;
    // The matched words open their clause.
    let mut lead = 0;
    let mut k = first;
    while k > 0 && !tokens[k].clause_break && tokens[k - 1].sentence == sentence {
        k -= 1;
        let t = &tokens[k];
        if CONDITIONS.contains(&t.norm.as_str()) {
            return false;
        }
        if t.kind == Kind::Word {
            lead += 1;
            if lead > SUBJECT_LEAD {
                return false;
            }
        }
    }
    // The predicate follows the subject.
    let mut tail = 0;
    let mut k = first + 1;
    while let Some(t) = tokens.get(k) {
        if t.sentence != sentence || t.clause_break || CLAUSE_OPENERS.contains(t.norm.as_str()) {
            return false;
        }
        if let Some(end) = dismissal_at(tokens, k, sentence) {
            return matched
                .iter()
                .filter(|&&m| m >= k)
                .all(|&m| m < end || same_clause(tokens, end, m));
        }
        if k > last && t.kind == Kind::Word {
            tail += 1;
            if tail > SUBJECT_TAIL {
                return false;
            }
        }
        k += 1;
    }
    false
}

/// Whether tokens `from..=to` stay in one clause: no clause break, no
/// clause opener and no "and"/"or" (which, after a predicate, start the next
/// claim: "threads don't help and you should use multiprocessing").
fn same_clause(tokens: &[Token], from: usize, to: usize) -> bool {
    tokens[from..=to].iter().all(|t| {
        !t.clause_break
            && !CLAUSE_OPENERS.contains(t.norm.as_str())
            && !matches!(t.norm.as_str(), "and" | "or")
    })
}

/// The end (exclusive) of a dismissing predicate that starts at `at`, if
/// one does: links, then a [`DISMISSIVE`] word, a denier and what it denies
/// ("not needed", "rarely the issue"), "only adds", "adds nothing", "makes
/// no difference" or "has nothing to do with".
fn dismissal_at(tokens: &[Token], at: usize, sentence: usize) -> Option<usize> {
    let word = |k: usize| {
        tokens
            .get(k)
            .filter(|t| t.sentence == sentence && (k == at || !t.clause_break))
            .map(|t| t.norm.as_str())
    };
    let mut k = at;
    // A predicate opens with a link or with its own word, never mid-subject
    // after an article: "the" alone starts nothing.
    while word(k).is_some_and(link) {
        k += 1;
        if k - at > 5 {
            return None;
        }
    }
    let w = word(k)?;
    if DISMISSIVE.contains(w) {
        return Some(k + 1);
    }
    if w == "waste" && word(k + 1) == Some("of") {
        return Some(k + 2);
    }
    if DENIERS.contains(&w) {
        let mut j = k + 1;
        while word(j).is_some_and(link) {
            j += 1;
        }
        return word(j).filter(|w| NOT_WHAT.contains(w)).map(|_| j + 1);
    }
    match (w, word(k + 1), word(k + 2)) {
        ("only", Some("add" | "adds"), _) => Some(k + 2),
        ("add" | "adds" | "gain" | "gains", Some("nothing"), _) => Some(k + 2),
        ("make" | "makes", Some("no"), Some("difference")) => Some(k + 3),
        ("has" | "have", Some("nothing"), Some("to")) => Some(k + 3),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the words `subject` (space-separated, in order) of `text`
    /// are dismissed there.
    fn check(text: &str, subject: &str) -> bool {
        let analysis = crate::text::analyse(text);
        let mut matched = Vec::new();
        let mut from = 0;
        for w in subject.split(' ') {
            let k = (from..analysis.tokens.len())
                .find(|&k| analysis.tokens[k].norm.as_str() == w)
                .unwrap_or_else(|| panic!("{w} not in {text}"));
            matched.push(k);
            from = k + 1;
        }
        dismissed(&analysis, &matched)
    }

    #[test]
    fn a_subject_waved_away_is_dismissed() {
        assert!(check(
            "Lock files are unnecessary for applications.",
            "lock files applications"
        ));
        assert!(check(
            "Caching should be avoided until the very end.",
            "caching"
        ));
        assert!(check(
            "Database performance is rarely the issue in web apps.",
            "database performance"
        ));
        assert!(check(
            "Feature flags and deprecation shims only add complexity.",
            "feature flags"
        ));
        assert!(check("Load tests are not really needed.", "load tests"));
        assert!(check(
            "Type hints make no difference at runtime here.",
            "type hints"
        ));
        assert!(check(
            "Django signals have nothing to do with this pattern.",
            "django signals"
        ));
        assert!(check(
            "Tests written against the old code are mostly useless.",
            "tests"
        ));
        assert!(check(
            "Order dependence cannot happen in pytest.",
            "order dependence"
        ));
    }

    #[test]
    fn a_dismissal_of_something_else_is_not() {
        // The dismissal is in another clause, or of another subject.
        assert!(!check(
            "Use a lock file so that surprise upgrades are impossible.",
            "lock file"
        ));
        assert!(!check(
            "Cache results, because recomputing them is pointless.",
            "cache results"
        ));
        assert!(!check("Profile first; guessing is pointless.", "profile"));
        assert!(!check("If caching is unnecessary, skip it.", "caching"));
        // The matched words are an object, not the subject.
        assert!(!check(
            "In my experience with large services the hot path caching is useless.",
            "experience"
        ));
        // A later clause states the point: the dismissal does not govern it.
        assert!(!check(
            "Mutable defaults are useless, and the list is shared between calls.",
            "mutable defaults shared calls"
        ));
        // Facts, not dismissals.
        assert!(!check(
            "Pickle is unsafe with untrusted data.",
            "pickle untrusted"
        ));
        assert!(!check("Threads are limited by the GIL.", "threads gil"));
    }

    #[test]
    fn a_point_that_denies_or_dismisses_is_not_positive() {
        assert!(positive("Lock the full resolved set for applications."));
        assert!(!positive("No container is required."));
        assert!(!positive("Avoid global mutable state."));
        assert!(!positive("Slicing never raises IndexError."));
        assert!(!positive("Locks are rarely needed between awaits."));
        assert!(!positive("You don't need a framework."));
        assert!(!positive("It can\u{2019}t be pickled."));
        assert!(!positive("A lambda cannot be pickled."));
    }
}
