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
/// [`NEED_SHARE`] of the groups. A text with no content word is matched by
/// its numbers and letters (see [`bare_words`]); empty groups when it has
/// none either.
pub fn rules_from_text(text: &str, question: &str) -> MatchRules {
    let asked: HashSet<String> = rule_words(question).into_iter().map(|(_, s)| s).collect();
    let mut words = rule_words(text);
    if words.is_empty() {
        words = bare_words(text);
    }
    let fresh: Vec<&(String, String)> = words.iter().filter(|(_, s)| !asked.contains(s)).collect();
    let chosen: Vec<&(String, String)> = if fresh.is_empty() {
        // A reference that picks one of the question's options says it in
        // the question's words: what tells it from the others is the point.
        let picked = picked_option(&words, question);
        if picked.is_empty() {
            words.iter().collect()
        } else {
            words.iter().filter(|(_, s)| picked.contains(s)).collect()
        }
    } else {
        fresh
    };
    let mut groups: Vec<Vec<String>> = chosen
        .into_iter()
        .take(MAX_GROUPS)
        .map(|(norm, _)| {
            let mut group = vec![norm.clone()];
            group.extend(number_word(norm).map(str::to_string));
            group.extend(ability_bases(norm));
            group
        })
        .collect();
    closed_compounds(text, &mut groups);
    // A negative statement ("the base case is not included") is said with
    // a negation ("there is no base case"): the negation is one of its parts.
    let negative = states_negation(text);
    if negative {
        let mut negation: Vec<String> = NEGATIONS.iter().map(|s| s.to_string()).collect();
        negation.extend(
            text::analyse(text)
                .tokens
                .iter()
                .filter(|t| text::is_preventing(&t.norm))
                .map(|t| t.norm.to_string()),
        );
        groups.retain(|g| !text::is_preventing(&g[0]));
        groups.push(negation);
    }
    let need = need_for(groups.len());
    let negated = negated_words(text);
    // The negation of a negative statement is its last group.
    let negation = negative.then(|| groups.len() - 1);
    let deniable = groups
        .iter()
        .enumerate()
        .map(|(i, g)| Some(i) != negation && !negated.contains(&g[0]))
        .collect();
    MatchRules {
        groups,
        regex: Vec::new(),
        half: None,
        need,
        negative,
        deniable,
        unless: Vec::new(),
    }
}

/// A hyphenated compound of the text ("run-time", "read-only") is often
/// written closed in answers ("runtime", "readonly"): the closed word
/// joins the group of each of its parts.
fn closed_compounds(text: &str, groups: &mut [Vec<String>]) {
    let tokens = text::analyse(text).tokens;
    for pair in tokens.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.kind != Kind::Word
            || b.kind != Kind::Word
            || text.get(a.span.end..b.span.start) != Some("-")
        {
            continue;
        }
        let closed = format!("{}{}", a.norm, b.norm);
        for g in groups.iter_mut() {
            if (g[0] == *a.norm || g[0] == *b.norm) && !g.contains(&closed) {
                g.push(closed.clone());
            }
        }
    }
}

/// The options a question offers to choose from ("Is this a compilation
/// error or a run-time error?", "stored by rows or by columns?"): the
/// stems of each option's content words. The last sentence with a
/// question mark, split at " or ", its first option cut at the last comma
/// or colon before it. Empty unless there are two options or more, each
/// with a content word.
fn question_options(question: &str) -> Vec<HashSet<String>> {
    let asked = question
        .split_inclusive(['.', '!', '?'])
        .rfind(|s| s.trim_end().ends_with('?'))
        .unwrap_or("");
    let lower = asked.to_lowercase();
    let mut options: Vec<&str> = lower
        .trim_end()
        .trim_end_matches('?')
        .split(" or ")
        .collect();
    if options.len() < 2 {
        return Vec::new();
    }
    if let Some(first) = options.first_mut()
        && let Some(cut) = first.rfind([',', ':'])
    {
        *first = &first[cut + 1..];
    }
    let stems: Vec<HashSet<String>> = options
        .iter()
        .map(|o| content_words(o).into_iter().map(|(_, s)| s).collect())
        .collect();
    if stems.iter().any(HashSet::is_empty) {
        return Vec::new();
    }
    stems
}

/// Of `words` (a reference made only of the question's words), the stems
/// that tell the option it picks from the question's other options: "Run-time
/// error." picks "a run-time error" over "a compilation error", and "error",
/// a word of both, says nothing about which. Empty when the question offers
/// no options, or the words do not pick exactly one.
fn picked_option(words: &[(String, String)], question: &str) -> HashSet<String> {
    let options = question_options(question);
    let own = |i: usize| -> HashSet<String> {
        options[i]
            .iter()
            .filter(|s| (0..options.len()).all(|j| j == i || !options[j].contains(*s)))
            .cloned()
            .collect()
    };
    let said: Vec<HashSet<String>> = (0..options.len())
        .map(|i| {
            let own = own(i);
            words
                .iter()
                .map(|(_, s)| s.clone())
                .filter(|s| own.contains(s))
                .collect()
        })
        .collect();
    let mut picked = said.iter().filter(|s| !s.is_empty());
    match (picked.next(), picked.next()) {
        (Some(one), None) => one.clone(),
        _ => HashSet::new(),
    }
}

/// Whether `text` has anything a derived point can be matched by: a
/// content word, or else a number or a letter. A point without one has no
/// rules, and its rubric does not load.
pub fn matchable(text: &str, question: &str) -> bool {
    !rules_from_text(text, question).groups.is_empty()
}

/// Words that end the name of a side in "the difference between X and Y
/// inside ...": what follows qualifies it.
const SIDE_ENDS: &[&str] = &[
    "inside", "in", "within", "when", "that", "which", "who", "for", "of", "on", "with", "from",
    "declared", "used", "defined", "if", "as",
];

/// Words that also join clauses ("while a while loop may never run"): a
/// side named by one of them alone cannot be told from the conjunction.
const CONJUNCTIONS: &[&str] = &[
    "while", "if", "for", "when", "as", "since", "until", "unless", "after", "before", "and", "or",
    "but", "so",
];

/// Most words a side's name may have.
const SIDE_WORDS: usize = 4;

/// The two things a question asks to tell apart ("What is the difference
/// between a constructor and a function?"): each a one-phrase side, for
/// the rubric's `sides`. Empty unless the question has that shape and both
/// names are short noun phrases ("one that is not" is no name).
pub fn sides_from_question(question: &str) -> Vec<Vec<String>> {
    let lower = question.to_lowercase();
    let Some(at) = [
        "difference between ",
        "differences between ",
        "differ between ",
    ]
    .iter()
    .find_map(|k| lower.find(k).map(|i| i + k.len())) else {
        return Vec::new();
    };
    let rest = lower[at..].split(['?', ';', ':']).next().unwrap_or("");
    let Some((x, y)) = rest.split_once(" and ") else {
        return Vec::new();
    };
    let name = |s: &str| -> Option<String> {
        let mut words: Vec<&str> = s.split_whitespace().collect();
        while words
            .first()
            .is_some_and(|w| matches!(*w, "a" | "an" | "the"))
        {
            words.remove(0);
        }
        let end = words
            .iter()
            .position(|w| SIDE_ENDS.contains(&w.trim_matches(',')))
            .unwrap_or(words.len());
        let words = &words[..end];
        let has_content = words.iter().any(|w| {
            text::analyse(w)
                .tokens
                .iter()
                .any(|t| t.kind == Kind::Word && !matches!(t.norm.as_str(), "one" | "ones"))
        });
        let conjunction = words.len() == 1 && CONJUNCTIONS.contains(&words[0]);
        (has_content && !conjunction && (1..=SIDE_WORDS).contains(&words.len()))
            .then(|| words.join(" ").trim_matches(',').to_string())
    };
    match (name(x), name(y)) {
        (Some(x), Some(y)) if x != y => vec![vec![x], vec![y]],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod side_tests {
    use super::sides_from_question;

    #[test]
    fn a_question_asking_for_a_difference_names_its_sides() {
        let s = |q: &str| sides_from_question(q);
        assert_eq!(
            s("What is the difference between a constructor and a function?"),
            [["constructor"], ["function"]]
        );
        assert_eq!(
            s(
                "What is the difference between a data member and a local variable inside a member function?"
            ),
            [["data member"], ["local variable"]]
        );
        assert_eq!(
            s("What are the differences between CSV and JSON as data formats?"),
            [["csv"], ["json"]]
        );
        // No names to give: "one that is not", or no comparison at all.
        assert!(
            s("What is the difference between an array declared as static, and one that is not?")
                .is_empty()
        );
        assert!(s("What is a pointer?").is_empty());
        assert!(s("What is the difference between the two?").is_empty());
        // "while" is also the conjunction of "while a while loop ...".
        assert!(
            s("What is the main difference between a while and a do...while statement?").is_empty()
        );
    }
}

/// Words of `text` in a clause with a negation ("never false negatives",
/// "if the base case is not included", "avoids making copies"): an answer
/// may put the negation before any of them ("there is no base case"). Words
/// of the other clauses ("it can report false positives, but ...") are
/// stated, and an answer that negates them says the opposite.
fn negated_words(text: &str) -> HashSet<String> {
    let tokens = text::analyse(text).tokens;
    let mut out = HashSet::new();
    let mut start = 0;
    for end in 1..=tokens.len() {
        let breaks = tokens
            .get(end)
            .is_none_or(|t| t.clause_break || text::is_contrastive(&t.norm));
        if !breaks {
            continue;
        }
        let clause = &tokens[start..end];
        let negated = clause.iter().any(negates);
        if negated {
            out.extend(
                clause
                    .iter()
                    .filter(|t| t.kind == Kind::Word)
                    .map(|t| t.norm.to_string()),
            );
        }
        start = end;
    }
    out
}

/// How a negative statement's negation may be said.
pub const NEGATIONS: &[&str] = &["not", "no", "never", "without", "none", "nothing"];

/// Whether `text` negates what it says: a negator among its words, or a
/// verb such as "avoids".
fn states_negation(text: &str) -> bool {
    text::analyse(text).tokens.iter().any(negates)
}

/// Whether a token negates: a negator (not the "of" of "instead of" or the
/// "than" of "rather than", which deny what follows, not the statement) or
/// a negative verb such as "avoids".
fn negates(t: &text::Token) -> bool {
    (t.kind == Kind::Negator && t.norm != "of" && t.norm != "than") || text::is_preventing(&t.norm)
}

/// Words after which a content word says what the subject does or is:
/// auxiliaries and modals ("can be accessed", "will execute"), the
/// infinitive's "to", and subject and relative pronouns ("it inserts", "a
/// variable that contains").
const BEFORE_PREDICATE: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "am", "can", "could", "will", "would",
    "shall", "should", "may", "might", "must", "do", "does", "did", "to", "it", "they", "he",
    "she", "we", "you", "i", "that", "which", "who",
];

/// Words that may stand between such a word and its predicate ("can only
/// be accessed", "they both involve", "will automatically add").
const BEFORE_PREDICATE_SKIPPED: &[&str] = &[
    "only", "also", "both", "always", "already", "first", "just", "still", "then", "all", "each",
    "often", "usually",
];

/// Words that look like predicates to the rules below but join or place
/// things ("called whenever an object", "live throughout the life").
const NOT_PREDICATES: &[&str] = &[
    "whenever",
    "wherever",
    "throughout",
    "except",
    "including",
    "unlike",
    "despite",
    "toward",
    "towards",
    "along",
    "besides",
    "anywhere",
    "everywhere",
];

/// Words that end what a predicate applies to: a new clause begins.
const OBJECT_ENDS: &[&str] = &[
    "when", "whenever", "where", "if", "that", "which", "while", "because", "and", "or", "but",
    "so", "then", "until", "unless", "whereas",
];

/// Words that open a verb's object: a content word right before one of
/// these is a verb ("divide a problem", "solve them", "merges the sorted
/// arrays"), since a noun is rarely followed by a determiner.
const OBJECT_OPENERS: &[&str] = &[
    "a", "an", "the", "them", "it", "its", "their", "each", "this", "these", "those", "itself",
];

/// The predicates of a statement, in order, each with the content words
/// that follow it in its clause (at most [`OBJECT_WORDS`]): what its subject
/// does or is and to what ("inserts" "position", "can store" "value"),
/// found without a parser from the words around them (see
/// [`BEFORE_PREDICATE`] and [`OBJECT_OPENERS`]). A text that names things
/// ("private and public") has none.
pub fn predicates(text: &str) -> Vec<(String, Vec<String>)> {
    let tokens = text::analyse(text).tokens;
    let is_adverb = |norm: &str| {
        BEFORE_PREDICATE_SKIPPED.contains(&norm) || (norm.len() > 4 && norm.ends_with("ly"))
    };
    let is_content = |t: &text::Token| {
        t.kind == Kind::Word
            && !text::is_function_word(&t.norm)
            && t.norm.chars().count() > 1
            && !t.norm.chars().any(|c| c.is_ascii_digit())
    };
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if !is_content(t) || is_adverb(&t.norm) || NOT_PREDICATES.contains(&t.norm.as_str()) {
            continue;
        }
        // Back over adverbs and negations to the word before the predicate.
        let mut j = i;
        let mut before = None;
        while j > 0 {
            j -= 1;
            let b = &tokens[j];
            if b.sentence != t.sentence {
                break;
            }
            if b.kind == Kind::Negator || is_adverb(&b.norm) {
                if b.clause_break {
                    break;
                }
                continue;
            }
            before = Some(b.norm.as_str());
            break;
        }
        // "to" is also a preposition ("a pointer to constant data"): a word
        // after it that a content word follows at once is a modifier.
        let modifies = tokens.get(i + 1).is_some_and(&is_content);
        let after_auxiliary = before.is_some_and(|b| BEFORE_PREDICATE.contains(&b))
            && !(before == Some("to") && modifies);
        // "by using an initializer list": a gerund after "by".
        let gerund = before == Some("by") && t.norm.ends_with("ing");
        let before_object = tokens
            .get(i + 1)
            .is_some_and(|n| n.sentence == t.sentence && OBJECT_OPENERS.contains(&n.norm.as_str()));
        if !(after_auxiliary || gerund || before_object)
            || out.iter().any(|(p, _)| *p == t.norm.as_str())
        {
            continue;
        }
        // The first content word after it in its clause, and the next word
        // too when it follows at once ("the original array", "a return
        // type"), not across a preposition ("the address in memory").
        let mut object: Vec<String> = Vec::new();
        let mut last = None;
        for (k, n) in tokens.iter().enumerate().skip(i + 1) {
            if n.sentence != t.sentence
                || n.clause_break
                || OBJECT_ENDS.contains(&n.norm.as_str())
                || object.len() == OBJECT_WORDS
                || last.is_some_and(|l| l + 1 != k)
            {
                break;
            }
            // "solve them recursively": a manner adverb says how, but "only"
            // or "first" says nothing the point is about.
            if is_content(n) && !BEFORE_PREDICATE_SKIPPED.contains(&n.norm.as_str()) {
                object.push(n.norm.to_string());
                last = Some(k);
            }
        }
        out.push((t.norm.to_string(), object));
    }
    out
}

/// Content words after a predicate that say what it applies to: the first,
/// and the one right after it.
const OBJECT_WORDS: usize = 2;

/// Negations that deny a predicate written right before it ("does not
/// split", "never divide or solve", "without merging").
const DENIALS: &[&str] = &["not", "never", "without"];

/// Statements that deny a derived point, as contradiction groups: one of
/// its predicates negated right before the word that follows it ("never
/// divide or solve anything recursively" denies "divide a problem into
/// smaller subproblems, solve them recursively"). An answer that negates
/// what the point says its subject does, to what it does it, states the
/// opposite in the point's own words, which its nouns would otherwise still
/// earn a share of. A negated predicate alone is not enough: answers to
/// "what is the difference" questions deny it of the other thing in the
/// same sentence ("a do-while executes at least once, a while loop may
/// never execute"), and the question's own words are what such answers
/// contrast ("an array that is not declared as static"), so neither the
/// predicate nor the word after it may be a word of `question`. Negative
/// statements get none: their opposite is said
/// without a negation, and a true answer says it the same way ("the
/// compiler creates one only when none is defined"). Empty when the text
/// has no predicate with a word after it.
pub fn contradictions_from_text(text: &str, question: &str) -> Vec<Vec<Vec<String>>> {
    if states_negation(text) {
        return Vec::new();
    }
    let asked: HashSet<String> = content_words(question)
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    let fresh = |w: &String| !asked.contains(&text::stem(w));
    let mut phrases: Vec<String> = Vec::new();
    for (p, object) in predicates(text).into_iter().filter(|(p, _)| fresh(p)) {
        for o in object.into_iter().filter(fresh) {
            for n in DENIALS {
                phrases.push(format!("{n} {p} {o}"));
            }
        }
    }
    if phrases.is_empty() {
        Vec::new()
    } else {
        vec![vec![phrases]]
    }
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
    words(text, false)
}

/// The content words a derived point is matched by: [`content_words`],
/// and a capital letter standing alone, which names a quantity ("N
/// operations") where a lowercase one is a stray "x" or "a".
fn rule_words(text: &str) -> Vec<(String, String)> {
    words(text, true)
}

/// Words after which "one" stands for a noun said before it ("the first
/// one", "a new one", "each one") rather than counting anything.
const BEFORE_PRONOUN_ONE: &[&str] = &[
    "the", "a", "an", "this", "that", "each", "every", "other", "another", "first", "last",
    "second", "next", "previous", "new", "old", "same", "which", "any",
];

/// Whether token `i` is "one" standing for a noun: after one of
/// [`BEFORE_PRONOUN_ONE`] and before the end of its clause or a word that
/// is not content ("all the dimensions except the first one", "each one of
/// them"). "one element" and "only one" count; this one names nothing a
/// point should ask for.
fn pronoun_one(tokens: &[text::Token], i: usize) -> bool {
    &*tokens[i].norm == "one"
        && i > 0
        && !tokens[i].clause_break
        && BEFORE_PRONOUN_ONE.contains(&&*tokens[i - 1].norm)
        && tokens
            .get(i + 1)
            .is_none_or(|n| n.clause_break || n.kind != Kind::Word)
}

/// Words that are no stopwords but say nothing a derived point should ask
/// for: in a reference answer "right" mostly means "correct" ("inserts it
/// in the right position"), which an answer says in its own way, or a
/// direction that "left" already names ("from left to right").
const NOT_DERIVED: &[&str] = &["right"];

/// The words of a text that has no content word: an answer that is a
/// number or a formula ("2", "n - 1"). Only there are bare numbers and
/// single letters what a point says, rather than noise beside its words;
/// without them the point had no rule at all and its rubric did not load.
fn bare_words(text: &str) -> Vec<(String, String)> {
    let mut seen = HashSet::new();
    text::analyse(text)
        .tokens
        .into_iter()
        .filter(|t| t.kind == Kind::Word && seen.insert(t.stem.clone()))
        .map(|t| (t.norm.to_string(), t.stem.to_string()))
        .collect()
}

/// The verb an "-ability" noun is made from, in the two spellings its stem
/// may need ("reusability": "reus", "reuse"; "scalability": "scal",
/// "scale"): an answer says the quality with the verb ("classes can be
/// reused"), and the stemmer keeps "-abl" on short bases ("reusabl"), so
/// "reused" would not meet "reusability". Only "-ability" and "-ibility"
/// nouns: an "-able" word is often a noun of its own ("variable", "table")
/// whose base means something else ("vary").
fn ability_bases(norm: &str) -> Vec<String> {
    let base = ["ability", "ibility"]
        .iter()
        .find_map(|suffix| norm.strip_suffix(suffix));
    match base {
        Some(b) if b.len() >= 3 && b.chars().all(|c| c.is_ascii_lowercase()) => {
            vec![b.to_string(), format!("{b}e")]
        }
        _ => Vec::new(),
    }
}

/// A small whole number written as a word: an answer says "two children"
/// where the reference says "2". Only for points that are numbers alone
/// (see [`bare_words`]): elsewhere digits are mostly versions and code
/// ("Python 2", "@retry(3)"), which must not stand for "two" or "three".
fn number_word(digits: &str) -> Option<&'static str> {
    const WORDS: [&str; 11] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    digits
        .parse::<usize>()
        .ok()
        .and_then(|n| WORDS.get(n).copied())
}

fn words(text: &str, capitals: bool) -> Vec<(String, String)> {
    let mut seen = HashSet::new();
    let tokens = text::analyse(text).tokens;
    tokens
        .iter()
        .enumerate()
        .filter(|&(i, t)| {
            t.kind == Kind::Word
                && !NOT_DERIVED.contains(&t.norm.as_str())
                && !pronoun_one(&tokens, i)
        })
        .map(|(_, t)| t)
        .filter(|t| {
            let named = capitals
                && text
                    .get(t.span.clone())
                    .is_some_and(|w| w.len() == 1 && w.chars().all(|c| c.is_ascii_uppercase()));
            (t.norm.chars().count() > 1 || named) && !t.norm.chars().all(|c| c.is_ascii_digit())
        })
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
    fn a_reference_that_picks_an_option_is_matched_by_what_tells_it_apart() {
        let q = "Using an index outside the bounds of the array generates an error. \
                 Is this a compilation error or a run-time error?";
        let r = rules_from_text("Run-time error.", q);
        assert_eq!(r.groups, [["run", "runtime"], ["time", "runtime"]]);
        let r = rules_from_text(
            "By rows.",
            "How are bi-dimensional arrays stored in memory, by rows or by columns?",
        );
        assert_eq!(r.groups, [["rows"]]);
        // Words of both options, or of none, pick nothing: all are kept.
        assert_eq!(
            rules_from_text("An error.", q).groups,
            [["error"]],
            "a word of both options"
        );
        let r = rules_from_text("Compilation error or run-time error.", q);
        assert_eq!(r.groups.len(), 4, "both options: {:?}", r.groups);
        // A question without options keeps the old fallback.
        assert_eq!(
            rules_from_text("A prototype program.", "What is a prototype program?").groups,
            [["prototype"], ["program"]]
        );
    }

    #[test]
    fn an_ability_noun_is_also_met_by_its_verb() {
        let r = rules_from_text(
            "Abstraction and reusability.",
            "What are the main advantages associated with object-oriented programming?",
        );
        assert_eq!(
            r.groups,
            [vec!["abstraction"], vec!["reusability", "reus", "reuse"]]
        );
        let r = rules_from_text("Scalability.", "Why use a cluster?");
        assert_eq!(r.groups, [["scalability", "scal", "scale"]]);
        // "-able" words keep to themselves: "variable" is no "vary".
        assert_eq!(
            rules_from_text("A variable.", "What is x?").groups,
            [["variable"]]
        );
    }

    #[test]
    fn one_standing_for_a_noun_is_not_asked_for() {
        let q = "How many dimensions must be given when passing a multi-dimensional array?";
        let r = rules_from_text("All the dimensions, except the first one.", q);
        let words: Vec<&str> = r.groups.iter().map(|g| g[0].as_str()).collect();
        assert_eq!(words, ["all", "except", "first"]);
        // "one" that counts stays.
        let r = rules_from_text("Only one thread runs at a time.", "");
        assert!(r.groups.iter().any(|g| g[0] == "one"), "{:?}", r.groups);
        let r = rules_from_text("The first one element is sorted.", "");
        assert!(r.groups.iter().any(|g| g[0] == "one"), "{:?}", r.groups);
        let r = rules_from_text("Each one of them is copied.", "");
        assert!(r.groups.iter().all(|g| g[0] != "one"), "{:?}", r.groups);
    }

    #[test]
    fn a_restated_question_keeps_its_words() {
        let r = rules_from_text("A prototype program.", "What is a prototype program?");
        assert_eq!(r.groups, [["prototype"], ["program"]]);
        assert_eq!(r.need, Some(2), "two groups need both");
    }

    #[test]
    fn right_as_correct_is_not_asked_for() {
        let r = rules_from_text(
            "It inserts each element in the right position, from left to right.",
            "What does insertion sort do?",
        );
        let words: Vec<&str> = r.groups.iter().map(|g| g[0].as_str()).collect();
        assert_eq!(words, ["each", "element", "position", "left"]);
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
    fn predicates_are_found_from_the_words_around_them() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Divide a problem into smaller subproblems, solve them recursively, and then combine the solutions into a solution for the original problem.",
                &["divide", "solve", "combine"],
            ),
            (
                "It splits the original array into two, sorts each of the two halves, and then merges the sorted arrays.",
                &["splits", "sorts", "merges"],
            ),
            (
                "Data members can be accessed from any member functions inside the class defintion.",
                &["accessed"],
            ),
            (
                "A variable that contains the address in memory of another variable.",
                &["contains"],
            ),
            (
                "The block inside a do...while statement will execute at least once.",
                &["execute"],
            ),
            ("They both involve repetition", &["involve"]),
            (
                "In the array declaration, or by using an initializer list.",
                &["using"],
            ),
            (
                "A constructor is called whenever an object is created",
                &["called", "created"],
            ),
            ("A nonconstant pointer to constant data.", &[]),
            (
                "The char[] will automatically add a null character.",
                &["add"],
            ),
            ("Private and public.", &[]),
            ("Function members and data members.", &[]),
            ("The memory address of its operand.", &[]),
        ];
        for (text, want) in cases {
            let got: Vec<String> = predicates(text).into_iter().map(|(p, _)| p).collect();
            assert_eq!(got, *want, "{text}");
        }
        let got =
            predicates("It splits the original array into two, sorts each of the two halves.");
        assert_eq!(got[0].1, ["original", "array"]);
        let got = predicates("A variable that contains the address in memory of another variable.");
        assert_eq!(got[0].1, ["address"], "not across a preposition");
        let got = predicates("A constructor is called whenever an object is created");
        assert!(got[0].1.is_empty(), "not into the next clause: {got:?}");
    }

    #[test]
    fn contradictions_negate_the_predicates_of_positive_statements_only() {
        let c = contradictions_from_text(
            "Divide a problem into smaller subproblems, solve them recursively",
            "",
        );
        assert_eq!(c.len(), 1);
        assert!(
            c[0][0].contains(&"never solve recursively".to_string()),
            "{c:?}"
        );
        assert!(c[0][0].contains(&"not divide problem".to_string()), "{c:?}");
        assert!(
            contradictions_from_text("The block will execute.", "").is_empty(),
            "a predicate with nothing after it is denied too easily"
        );
        let c = contradictions_from_text(
            "It makes a copy of the function code in every place.",
            "How does the compiler handle inline functions?",
        );
        assert_eq!(
            c[0][0][..3],
            ["not makes copy", "never makes copy", "without makes copy"],
            "question words are not objects: {c:?}"
        );
        assert!(contradictions_from_text("or if the base case is not included.", "").is_empty());
        assert!(
            contradictions_from_text("It avoids making copies of large data structures.", "")
                .is_empty()
        );
        assert!(contradictions_from_text("Private and public.", "").is_empty());
    }

    #[test]
    fn a_capital_letter_alone_names_a_quantity() {
        let r = rules_from_text("N (the length of the array) operations, x or 2.", "");
        assert_eq!(r.groups, [["n"], ["length"], ["array"], ["operations"]]);
        assert!(
            content_words("N operations").len() == 1,
            "only derived rules keep it"
        );
    }

    #[test]
    fn a_number_alone_is_what_the_point_says() {
        let r = rules_from_text(
            "2",
            "What is the most children a node of a binary tree can have?",
        );
        assert_eq!(r.groups, [["2", "two"]]);
        let r = rules_from_text("n - 1", "How many comparisons?");
        assert_eq!(r.groups, [vec!["n"], vec!["1", "one"]]);
        // Beside content words, numbers are still left out.
        let r = rules_from_text("The size is 1 (or 2).", "");
        assert_eq!(r.groups, [["size"]]);
        assert!(rules_from_text("???", "").groups.is_empty());
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
