//! Rubric phrases: their matchable words, and the checks lint runs on them.

use super::{Kind, Token, analyse, stem};

/// The matchable words of a rubric phrase: stems of content words and negators.
pub fn phrase_stems(phrase: &str) -> Vec<String> {
    analyse(phrase)
        .tokens
        .into_iter()
        .filter(|t| matches!(t.kind, Kind::Word | Kind::Negator))
        .map(|t| t.stem.to_string())
        .collect()
}

/// Checks that a rubric phrase leaves something to match after analysis.
pub fn check_phrase(phrase: &str) -> Result<(), String> {
    if phrase.trim().is_empty() {
        return Err("is empty".into());
    }
    if phrase_stems(phrase).is_empty() {
        return Err("has only stopwords or punctuation, so it could never match".into());
    }
    Ok(())
}

/// Why a rubric phrase may not match what its author meant, if it may not:
/// a word the stemmer never produces from a real word ("iterat": "iterate"
/// stems to "iter"), or a phrase of several words that shrinks to one once
/// stopwords go ("the same" is just "same" and matches any "same").
pub fn phrase_warnings(phrase: &str) -> Vec<String> {
    let mut out = Vec::new();
    let tokens = analyse(phrase).tokens;
    // Stopwords are what a phrase loses; words said as one ("double
    // underscore" is "dunder") are not lost.
    let stopwords = tokens.iter().any(|t| t.kind == Kind::Stop);
    let words: Vec<Token> = tokens
        .into_iter()
        .filter(|t| matches!(t.kind, Kind::Word | Kind::Negator))
        .collect();
    for t in &words {
        let own = &t.stem;
        let dead = own.chars().all(|c| c.is_ascii_alphabetic())
            && ["e", "ion"].iter().any(|suffix| {
                let other = stem(&format!("{}{suffix}", t.norm));
                other.len() < own.len() && own.starts_with(other.as_str())
            });
        if dead {
            out.push(format!(
                "phrase {phrase:?}: no word stems to `{own}` (\"{}e\" stems to `{}`); write a whole word",
                t.norm,
                stem(&format!("{}e", t.norm))
            ));
        }
    }
    let raw_words = phrase.split_whitespace().count();
    if raw_words >= 2 && words.len() == 1 && stopwords && !phrase.contains(['_', '(', '.']) {
        out.push(format!(
            "phrase {phrase:?} shrinks to the single word `{}` once stopwords go, and matches any use of it",
            words[0].norm
        ));
    }
    out
}
