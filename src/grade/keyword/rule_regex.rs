//! A rubric regex that is compiled only when an answer could match it.
//!
//! Compiling a rubric regex is the dearest step of preparing a rubric: the
//! bank's patterns are case-insensitive and full of Unicode classes and
//! bounded repetitions (`.{0,40}`), and three of them took 2 ms of an
//! offline `viva grade` that should take 10 ms in all. Yet most answers
//! cannot match most patterns. Every match of a pattern starts with one of a
//! small set of literals that `regex-syntax` can extract ("set switch",
//! "setswitch", ... for `\bset ?switch ?interval\b`), so an answer that
//! contains none of them is skipped without compiling or running the regex.
//! A pattern without such a set (one that can start with any word, `\w+`) is
//! compiled on first use and run on every answer, as before.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
#[cfg(test)]
use regex_automata::meta::Regex;
use regex_syntax::hir::literal::{ExtractKind, Extractor};

use crate::bank::{ASCII_FOLDS, Haystack, SearchRegex, Shadow};

/// Most starting literals kept as they are; more are cut to their first
/// [`SHORT_PREFIX`] bytes, which is still a sound test, only a looser one.
const MAX_STARTS: usize = 32;
const SHORT_PREFIX: usize = 4;

#[derive(Debug)]
pub(super) struct RuleRegex {
    /// The pattern as the rubric writes it: what a compiled rubric keeps
    /// on disk (see `store`), everything else being derived from it.
    pattern: Box<str>,
    /// Finds any literal a match must start with, ignoring ASCII case; `None`
    /// when the pattern has no finite set of them.
    starts: Option<AhoCorasick>,
    /// The pattern itself, in the forms the answers searched so far needed.
    search: SearchRegex,
    /// The pattern spells out a negation itself (`not`, `never`, `n't`...):
    /// a negator inside one of its matches is part of what it looks for.
    pub names_negation: bool,
}

/// Stored as the pattern alone; reading it back prepares it again, as
/// compiling the rubric did.
impl serde::Serialize for RuleRegex {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.pattern)
    }
}

impl<'de> serde::Deserialize<'de> for RuleRegex {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pattern = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(RuleRegex::new(&pattern))
    }
}

/// Whether a pattern's text could spell a negation. Loose on purpose: a
/// pattern wrongly taken to name one only keeps the older, narrower test of
/// a negation before its match.
fn names_negation(pattern: &str) -> bool {
    // Escapes such as `\b` and `\s` are not letters of a word.
    let mut p = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
            p.push(' ');
        } else {
            p.push(c.to_ascii_lowercase());
        }
    }
    p.split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| crate::text::is_negator(w) || w == "cannot")
        || ["n'", "n.?t", "nt "].iter().any(|s| p.contains(s))
}

impl RuleRegex {
    /// A rubric regex from the pattern as the rubric writes it.
    pub fn new(pattern: &str) -> Self {
        let starts = starting_literals(pattern).and_then(|lits| {
            // The contiguous NFA: a DFA searches a little faster, but
            // building one (and its own prefilter) cost a third of a
            // millisecond per pattern.
            AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .prefilter(false)
                .ascii_case_insensitive(true)
                .build(lits)
                .ok()
        });
        RuleRegex {
            pattern: pattern.into(),
            names_negation: names_negation(pattern),
            starts,
            search: SearchRegex::new(crate::bank::rubric_regex_source(pattern).into_owned()),
        }
    }

    /// The compiled regex that searches `text` as written, if `text` could
    /// hold a match: compiled on the first answer that could, and shared by
    /// every thread after that.
    #[cfg(test)]
    pub fn for_text(&self, text: &str) -> Option<&Regex> {
        let haystack = Haystack::of(text);
        if self.skips(text, haystack) {
            return None;
        }
        self.search.form(haystack)
    }

    /// Where the pattern matches `text`, as byte ranges, given what the
    /// text holds outside ASCII and, for [`Haystack::Symbols`], its
    /// [`Shadow`] (see [`SearchRegex::matches`]). A text without any of the
    /// pattern's starting literals is not searched at all.
    pub fn matches(
        &self,
        text: &str,
        haystack: Haystack,
        shadow: Option<&Shadow>,
    ) -> Vec<Range<usize>> {
        if self.skips(text, haystack) {
            return Vec::new();
        }
        self.search.matches(text, haystack, shadow)
    }

    /// Whether `text` holds none of the literals a match must start with.
    /// The test only ignores ASCII case, so a text with one of the
    /// [`ASCII_FOLDS`] always runs the regex.
    fn skips(&self, text: &str, haystack: Haystack) -> bool {
        self.starts.as_ref().is_some_and(|starts| {
            (haystack == Haystack::Ascii || !text.contains(ASCII_FOLDS)) && !starts.is_match(text)
        })
    }
}

/// The literals, lowercased in ASCII, one of which starts every match of
/// `pattern` once ASCII case is ignored; `None` if the pattern does not
/// parse or has no finite set (a match may start anywhere), or one of them
/// is empty. The pattern is read as written, without the case-insensitive
/// flag the grader adds: folding every letter through Unicode's case table
/// cost more than compiling the regex saved.
fn starting_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::parse(pattern).ok()?;
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let mut lits: Vec<Vec<u8>> = seq
        .literals()?
        .iter()
        .map(|l| l.as_bytes().to_ascii_lowercase())
        .collect();
    if lits.is_empty() || lits.iter().any(|l| l.is_empty()) {
        return None;
    }
    lits.sort();
    lits.dedup();
    if lits.len() > MAX_STARTS {
        for l in &mut lits {
            l.truncate(SHORT_PREFIX);
        }
        lits.dedup();
    }
    Some(lits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(pattern: &str) -> RuleRegex {
        RuleRegex::new(pattern)
    }

    #[test]
    fn an_answer_without_a_starting_literal_skips_the_pattern() {
        let r = rule(r"\bset ?switch ?interval\b");
        assert!(r.starts.is_some());
        assert!(r.for_text("The GIL is released on blocking I/O.").is_none());
        // Nothing was compiled for it.
        assert_eq!(r.search.compiled(), [false; 3]);
        let re = r
            .for_text("Call sys.SetSwitchInterval to tune it.")
            .unwrap();
        assert!(re.is_match("Call sys.SetSwitchInterval to tune it."));
    }

    #[test]
    fn the_literal_test_ignores_case_as_the_pattern_does() {
        let r = rule(r"\bqueue\.shutdown\b");
        assert!(r.for_text("then QUEUE.SHUTDOWN() wakes them").is_some());
    }

    #[test]
    fn a_pattern_that_can_start_anywhere_always_runs() {
        let r = rule(r"(\w+\W+){0,2}?keyboard\s?interrupt");
        assert!(r.starts.is_none());
        assert!(r.for_text("nothing relevant").is_some());
    }

    #[test]
    fn a_case_sensitive_pattern_keeps_its_own_flags() {
        // The literal test ignores ASCII case, so it may let an answer
        // through that the regex then rejects, never the other way round.
        let r = rule(r"(?-i)\bO\(1\)");
        let re = r.for_text("it is o(1)").unwrap();
        assert!(!re.is_match("it is o(1)"));
        assert!(r.for_text("it is O(1)").unwrap().is_match("it is O(1)"));
    }

    #[test]
    fn a_text_with_a_non_ascii_fold_of_a_letter_always_runs() {
        // Under (?i) "s" also matches the long s, which the literal test
        // does not see.
        let r = rule(r"\bset\b");
        assert!(r.for_text("ſet").is_some_and(|re| re.is_match("ſet")));
        let keep = rule(r"\bkeep\b");
        let kelvin = "\u{212A}eep it";
        assert!(keep.for_text(kelvin).is_some_and(|re| re.is_match(kelvin)));
    }

    #[test]
    fn text_with_no_word_character_outside_ascii_keeps_the_lazy_dfa() {
        let r = rule(r"\bthreads?\b.{0,3}\bsafe\b");
        // The em dash is one character to `.`, three bytes to an ASCII `.`:
        // the ASCII form would not do on the text itself, the form with
        // ASCII boundaries does, and so does the ASCII form on the shadow.
        let text = "threads \u{2014} safe";
        assert_eq!(Haystack::of(text), Haystack::Symbols);
        assert!(r.for_text(text).is_some_and(|re| re.is_match(text)));
        assert_eq!(r.search.compiled(), [false, true, false]);
        let shadow = Shadow::of(text);
        let whole = std::iter::once(0..text.len()).collect::<Vec<_>>();
        assert_eq!(r.matches(text, Haystack::Symbols, Some(&shadow)), whole);
        assert_eq!(r.search.compiled(), [true, true, false]);
        // A no-break space is a space outside ASCII: no shadow for it.
        let spaced = "threads\u{a0}\u{2014} safe";
        assert_eq!(Haystack::of(spaced), Haystack::NoWordOutsideAscii);
        let whole = std::iter::once(0..spaced.len()).collect::<Vec<_>>();
        assert_eq!(r.matches(spaced, Haystack::NoWordOutsideAscii, None), whole);
        // Letters outside ASCII are read through the shadow too.
        let accented = "naïve threads \u{2014} safe";
        assert_eq!(Haystack::of(accented), Haystack::Words);
        let shadow = Haystack::Words.shadow(accented);
        let at = accented.find("threads").unwrap();
        let found = r.matches(accented, Haystack::Words, shadow.as_ref());
        assert_eq!(found, vec![at..accented.len()]);
        assert_eq!(r.search.compiled(), [true, true, false]);
        // Any other word character outside ASCII needs the Unicode form.
        let digit = "\u{663} threads \u{2014} safe";
        assert_eq!(Haystack::of(digit), Haystack::Unicode);
        assert!(r.for_text(digit).is_some_and(|re| re.is_match(digit)));
        assert_eq!(r.search.compiled(), [true, true, true]);
    }

    #[test]
    fn a_pattern_that_names_bytes_never_reads_a_shadow() {
        // `\xFF` is a byte to the ASCII form, the character ÿ to the Unicode
        // one: on a shadow it would match every symbol.
        let r = rule(r"a[\x80-\xff]b");
        let text = "a\u{2014}b";
        let shadow = Shadow::of(text);
        assert_eq!(
            r.matches(text, Haystack::Symbols, Some(&shadow)),
            Vec::<Range<usize>>::new()
        );
    }

    #[test]
    fn a_pattern_that_needs_unicode_runs_as_written_on_ascii_text() {
        // The ASCII form refuses a non-ASCII pattern; the Unicode one runs.
        let r = rule(r"\bna(ï|i)ve\b");
        let text = "a naive approach";
        assert!(r.for_text(text).is_some_and(|re| re.is_match(text)));
        assert_eq!(r.search.compiled(), [false, false, true]);
    }

    /// [`ASCII_FOLDS`] is every character outside ASCII that a
    /// case-insensitive ASCII letter matches.
    #[test]
    fn the_non_ascii_folds_of_ascii_letters_are_listed() {
        use regex_syntax::hir::{Class, HirKind};
        let hir = regex_syntax::parse("(?i)[a-z]").unwrap();
        let HirKind::Class(Class::Unicode(class)) = hir.kind() else {
            panic!("a Unicode class");
        };
        let folds: Vec<char> = class
            .iter()
            .flat_map(|r| r.start()..=r.end())
            .filter(|c| !c.is_ascii())
            .collect();
        assert_eq!(folds, ASCII_FOLDS);
    }

    /// A text as written, and with characters outside ASCII put where
    /// ASCII ones were, so that nearly every word boundary has one beside
    /// it: symbols (em dashes for commas, curly quotes, every space an em
    /// dash), no-break spaces, and letters (a word with one between
    /// clauses, "é" for every word-final "e", a Greek letter between words).
    fn outside_ascii_variants(text: &str) -> [String; 7] {
        [
            text.to_string(),
            text.replace(", ", " \u{2014} ")
                .replace('"', "\u{201c}")
                .replace('\'', "\u{2019}"),
            text.replace(' ', "\u{2014}"),
            text.replace(' ', "\u{a0}"),
            text.replace(", ", ", na\u{ef}vely, ")
                .replace('"', "\u{201c}"),
            text.replace("e ", "\u{e9} "),
            text.replace(' ', " \u{3a9} "),
        ]
    }

    /// Every literal set the bank's patterns give is sound, and each form of
    /// each pattern finds what the Unicode one finds: on text built to match
    /// each pattern (its own example answers, ASCII or not, and their
    /// [`outside_ascii_variants`]), the matches are exactly those of the full
    /// Unicode regex.
    #[test]
    fn the_bank_patterns_find_what_the_full_regex_finds() {
        let bank = crate::bank::Bank::embedded().expect("embedded bank loads");
        let (mut checked, mut letters, mut patterns, mut shadowed) = (0, 0, 0, 0);
        for rubric in bank.rubrics() {
            let rules = rubric
                .points
                .iter()
                .flat_map(|p| std::iter::once(&p.rules).chain(&p.contradicts))
                .chain(rubric.misconceptions.iter().map(|m| &m.rules));
            for rules in rules {
                for pattern in &rules.regex {
                    let source = crate::bank::rubric_regex_source(pattern);
                    let full = crate::bank::search_regex(&source).unwrap();
                    let r = RuleRegex::new(pattern);
                    for text in rubric
                        .examples
                        .iter()
                        .flat_map(|e| outside_ascii_variants(&e.text))
                    {
                        let want: Vec<_> = full.find_iter(&text).map(|m| m.range()).collect();
                        let haystack = Haystack::of(&text);
                        let shadow = haystack.shadow(&text);
                        let got = r.matches(&text, haystack, shadow.as_ref());
                        assert_eq!(got, want, "{}: {pattern} on {text:?}", rubric.question);
                        // The form with ASCII boundaries, too, where a
                        // shadow would have been read.
                        let got: Vec<_> = r
                            .for_text(&text)
                            .map(|re| re.find_iter(&text).map(|m| m.range()).collect())
                            .unwrap_or_default();
                        assert_eq!(got, want, "{}: {pattern} on {text:?}", rubric.question);
                        checked += usize::from(!want.is_empty());
                        letters += usize::from(haystack == Haystack::Words && !want.is_empty());
                    }
                    patterns += 1;
                    shadowed += usize::from(crate::bank::reads_word_shadows(&source));
                }
            }
        }
        assert!(checked > 100, "only {checked} matches checked");
        assert!(
            letters > 100,
            "only {letters} matches beside letters checked"
        );
        // Most patterns read the shadow of a text with letters: not those
        // that name `_` (dunder names) or a byte by escape.
        assert!(shadowed * 10 > patterns * 8, "{shadowed} of {patterns}");
    }
}
