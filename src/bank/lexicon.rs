//! The bank's lexicon: phrases that mean the same thing in this field.
//!
//! Candidates say "a new list" where a rubric says "a fresh list", "IO" where
//! it says "I/O", "ref count" where it says "reference count". Listing every
//! such variant in every rubric is tedious and uneven, so a bank keeps one
//! `lexicon.toml` of equivalence sets, and the keyword grader lets a rubric
//! phrase that contains one member of a set also match with any other member
//! in its place. A bank without its own lexicon uses the built-in one.

use serde::Deserialize;
use toml::Spanned;

use super::diagnostic::{FileDiagnostics, LineIndex};
use super::{BankFile, Diagnostic};
use crate::text;

/// Path of the lexicon inside a bank.
pub const LEXICON_FILE: &str = "lexicon.toml";

/// The lexicon compiled into the binary, used by banks that have none.
pub const BUILT_IN: &str = include_str!("../../lexicon.toml");

/// Equivalence sets, each a list of phrases that may stand for one another.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lexicon {
    pub sets: Vec<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    #[serde(default)]
    same: Vec<Spanned<Vec<String>>>,
}

impl Lexicon {
    /// Parses and checks a lexicon file: every set has two or more phrases,
    /// every phrase leaves words to match, and no phrase is in two sets
    /// (which would silently merge them).
    pub fn parse(file: &BankFile) -> Result<Lexicon, Vec<Diagnostic>> {
        let mut out = Vec::new();
        let mut d = FileDiagnostics {
            file: &file.path,
            index: LineIndex::new(&file.text),
            out: &mut out,
        };
        let raw: RawLexicon = match toml::from_str(&file.text) {
            Ok(raw) => raw,
            Err(e) => {
                let message = e.message().trim().to_string();
                match e.span() {
                    Some(span) => d.at(span.start, message),
                    None => d.whole(message),
                }
                return Err(out);
            }
        };
        let mut seen: std::collections::HashMap<Vec<String>, String> = Default::default();
        let mut sets = Vec::new();
        for set in raw.same {
            let at = set.span().start;
            let set = set.into_inner();
            if set.len() < 2 {
                d.at(at, "a `same` set needs two or more phrases");
            }
            for phrase in &set {
                if let Err(why) = text::check_phrase(phrase) {
                    d.at(at, format!("phrase {phrase:?} {why}"));
                    continue;
                }
                let stems = text::phrase_stems(phrase);
                if let Some(other) = seen.insert(stems, phrase.clone()) {
                    d.at(
                        at,
                        format!("phrase {phrase:?} is already in another set (as {other:?}); merge the two sets"),
                    );
                }
            }
            sets.push(set);
        }
        if out.is_empty() {
            Ok(Lexicon { sets })
        } else {
            Err(out)
        }
    }

    /// The built-in lexicon. The tests check it as [`Lexicon::parse`] does,
    /// so it is only read here: the checks stem every phrase, which was a
    /// tenth of the instructions of a whole `viva grade`.
    pub fn built_in() -> Lexicon {
        let raw: RawLexicon = toml::from_str(BUILT_IN).unwrap_or(RawLexicon { same: Vec::new() });
        Lexicon {
            sets: raw.same.into_iter().map(Spanned::into_inner).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Lexicon, Vec<Diagnostic>> {
        Lexicon::parse(&BankFile {
            path: LEXICON_FILE.into(),
            text: text.into(),
        })
    }

    #[test]
    fn the_built_in_lexicon_is_valid() {
        let lexicon = parse(BUILT_IN).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(lexicon.sets.len() > 20);
        assert_eq!(Lexicon::built_in(), lexicon);
    }

    #[test]
    fn rejects_singletons_stopword_phrases_and_overlaps() {
        let errors = parse(
            "same = [\n  [\"new\"],\n  [\"the\", \"fresh\"],\n  [\"create\", \"make\"],\n  [\"build\", \"creating\"],\n]\n",
        )
        .unwrap_err();
        let messages: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("lexicon.toml:2: a `same` set needs two"));
        assert!(messages[1].contains("\"the\" has only stopwords"));
        assert!(messages[2].contains("\"creating\" is already in another set"));
    }

    #[test]
    fn unknown_fields_are_errors() {
        let errors = parse("sames = []\n").unwrap_err();
        assert!(errors[0].message.contains("unknown field"), "{errors:?}");
    }
}
