//! Turning free text (typed answers, speech transcripts, rubric phrases) into
//! tokens the keyword grader can compare.
//!
//! Both sides go through the same analysis, so a rubric phrase and an answer
//! agree on what a word is: Unicode-folded, lowercased, contractions expanded
//! ("doesn't" → "does not"), stemmed (Snowball English), with transcript noise
//! ("um", "you know", "the the") marked so matching skips it. Every token keeps
//! its byte range in the original text, so evidence is quoted exactly.

use std::ops::Range;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// What part a token plays in matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A content word: matched against rubric phrases.
    Word,
    /// "not", "never", "without"...: matched, and turns off a match after it.
    Negator,
    /// A function word ("the", "is"): skipped by matching.
    Stop,
    /// Speech noise ("um", a stuttered repeat): skipped by matching.
    Filler,
}

/// One token of an analysed text.
#[derive(Debug, Clone)]
pub struct Token {
    /// Folded, lowercased form (after contraction expansion).
    pub norm: String,
    /// Snowball stem of `norm`.
    pub stem: String,
    /// Byte range in the original text.
    pub span: Range<usize>,
    /// Index of the sentence the token belongs to.
    pub sentence: usize,
    pub kind: Kind,
    /// True when punctuation or a contrastive word separates this token from
    /// the one before it; negation does not reach across such a break.
    pub clause_break: bool,
}

/// A text split into sentences and tokens.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub tokens: Vec<Token>,
    /// Byte range of each sentence in the original text.
    pub sentences: Vec<Range<usize>>,
}

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

const STOPWORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "am",
    "do",
    "does",
    "did",
    "doing",
    "has",
    "have",
    "had",
    "having",
    "will",
    "would",
    "shall",
    "should",
    "can",
    "could",
    "may",
    "might",
    "must",
    "i",
    "me",
    "my",
    "we",
    "our",
    "us",
    "you",
    "your",
    "he",
    "him",
    "his",
    "she",
    "her",
    "they",
    "them",
    "their",
    "there",
    "here",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "with",
    "as",
    "into",
    "onto",
    "about",
    "than",
    "then",
    "so",
    "and",
    "or",
    "if",
    "also",
    "just",
    "very",
    "really",
    "actually",
    "basically",
    "simply",
    "quite",
    "which",
    "who",
    "whom",
    "whose",
    "what",
    "when",
    "where",
    "how",
    "why",
    "such",
    "some",
    "okay",
    "ok",
    "well",
    "yeah",
    "yes",
    "right",
    "oh",
];

const NEGATORS: &[&str] = &["not", "no", "never", "neither", "nor", "without"];

const FILLERS: &[&str] = &[
    "um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "ahh", "hmm", "hm", "mm", "mhm", "eh",
];

/// Words after which a negation no longer applies ("not X, but Y").
const CONTRASTIVE: &[&str] = &[
    "but", "however", "although", "though", "whereas", "yet", "instead",
];

/// Contractions written without an apostrophe, common in transcripts.
const BARE_NEGATIVES: &[(&str, &str)] = &[
    ("dont", "do"),
    ("doesnt", "does"),
    ("didnt", "did"),
    ("isnt", "is"),
    ("arent", "are"),
    ("wasnt", "was"),
    ("werent", "were"),
    ("cant", "can"),
    ("cannot", "can"),
    ("couldnt", "could"),
    ("shouldnt", "should"),
    ("wouldnt", "would"),
    ("hasnt", "has"),
    ("havent", "have"),
    ("hadnt", "had"),
    ("wont", "will"),
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02bc}')
}

fn is_operator_char(c: char) -> bool {
    matches!(
        c,
        '=' | '!' | '<' | '>' | '+' | '*' | '-' | '/' | '%' | '&' | '|' | '^' | '~' | ':'
    )
}

/// Folds a word: compatibility forms, accents removed, lowercase.
fn fold(word: &str) -> String {
    word.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// Snowball stem of a word. Answers repeat the same technical words, so
/// stems are memoised per thread (bounded, cleared when full).
pub fn stem(word: &str) -> String {
    const CAPACITY: usize = 50_000;
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, String>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(s) = cache.get(word) {
            return s.clone();
        }
        let s = STEMMER.stem(word).into_owned();
        if cache.len() >= CAPACITY {
            cache.clear();
        }
        cache.insert(word.to_string(), s.clone());
        s
    })
}

/// Collapses runs of a repeated letter ("gill" → "gil", "tupple" → "tuple"),
/// a common shape of misspellings and mishearings.
pub fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = None;
    for c in s.chars() {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

fn classify(norm: &str) -> Kind {
    if NEGATORS.contains(&norm) {
        Kind::Negator
    } else if FILLERS.contains(&norm) {
        Kind::Filler
    } else if STOPWORDS.contains(&norm) {
        Kind::Stop
    } else {
        Kind::Word
    }
}

/// Splits a raw word into normalised words, expanding negative contractions.
fn expand(raw: &str) -> Vec<String> {
    let folded = fold(raw);
    let folded: String = folded
        .chars()
        .map(|c| if is_apostrophe(c) { '\'' } else { c })
        .collect();
    let trimmed = folded.trim_matches('_');
    let word = if trimmed.is_empty() {
        folded.as_str()
    } else {
        trimmed
    };
    if let Some(base) = word.strip_suffix("n't") {
        let base = match base {
            "ca" => "can",
            "wo" => "will",
            "sha" => "shall",
            "ai" => "is",
            b => b,
        };
        return vec![base.to_string(), "not".to_string()];
    }
    if let Some((head, _)) = word.split_once('\'') {
        return vec![head.to_string()];
    }
    if let Some((_, base)) = BARE_NEGATIVES.iter().find(|(w, _)| *w == word) {
        return vec![base.to_string(), "not".to_string()];
    }
    vec![word.to_string()]
}

/// Common abbreviations whose trailing dot does not end a sentence.
fn ends_with_abbreviation(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let tail: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    matches!(
        tail.as_str(),
        "e.g" | "i.e" | "etc" | "vs" | "cf" | "approx" | "mr" | "dr" | "ms" | "eg" | "ie"
    )
}

/// True if a newline at `i` starts a list item, a heading or a code fence.
fn newline_starts_block(text: &str, i: usize) -> bool {
    let rest = text[i + 1..].trim_start_matches([' ', '\t']);
    if rest.starts_with('\n') || rest.starts_with("\r\n") {
        return true;
    }
    let mut chars = rest.chars();
    match chars.next() {
        Some('-' | '*' | '+' | '\u{2022}' | '#' | '>') => true,
        Some('`') => rest.starts_with("```"),
        Some(c) if c.is_ascii_digit() => {
            let after: String = rest
                .chars()
                .skip_while(|c| c.is_ascii_digit())
                .take(1)
                .collect();
            after == "." || after == ")"
        }
        _ => false,
    }
}

/// Analyses a text into sentences and tokens.
pub fn analyse(text: &str) -> Analysis {
    let mut tokens: Vec<Token> = Vec::new();
    let mut sentences: Vec<Range<usize>> = Vec::new();
    let mut sentence_start: Option<usize> = None;
    let mut sentence_end = 0;
    let mut clause_break = false;

    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    let close_sentence =
        |sentences: &mut Vec<Range<usize>>, start: &mut Option<usize>, end: usize| {
            if let Some(s) = start.take() {
                sentences.push(s..end);
            }
        };

    while i < chars.len() {
        let (pos, c) = chars[i];
        if is_word_char(c) {
            // A word: word characters, with apostrophes allowed between them.
            let mut j = i + 1;
            while j < chars.len() {
                let cj = chars[j].1;
                if is_word_char(cj)
                    || (is_apostrophe(cj) && j + 1 < chars.len() && is_word_char(chars[j + 1].1))
                {
                    j += 1;
                } else {
                    break;
                }
            }
            // "I/O", "A/B": two single letters around a slash read as one word.
            if j - i == 1
                && j + 2 < chars.len() + 1
                && chars.get(j).map(|c| c.1) == Some('/')
                && chars.get(j + 1).is_some_and(|c| c.1.is_alphanumeric())
                && !chars.get(j + 2).is_some_and(|c| is_word_char(c.1))
            {
                j += 2;
            }
            let end = chars.get(j).map_or(text.len(), |c| c.0);
            let raw: String = text[pos..end].chars().filter(|c| *c != '/').collect();
            let sentence = sentences.len();
            if sentence_start.is_none() {
                sentence_start = Some(pos);
            }
            sentence_end = end;
            for norm in expand(&raw) {
                if norm.is_empty() {
                    continue;
                }
                let contrast = CONTRASTIVE.contains(&norm.as_str());
                tokens.push(Token {
                    stem: stem(&norm),
                    kind: if contrast {
                        Kind::Stop
                    } else {
                        classify(&norm)
                    },
                    norm,
                    span: pos..end,
                    sentence,
                    clause_break: clause_break || contrast,
                });
                clause_break = false;
            }
            i = j;
            continue;
        }
        if is_operator_char(c) {
            let mut j = i + 1;
            while j < chars.len() && is_operator_char(chars[j].1) {
                j += 1;
            }
            if j - i >= 2 {
                let end = chars.get(j).map_or(text.len(), |c| c.0);
                let op = &text[pos..end];
                if sentence_start.is_none() {
                    sentence_start = Some(pos);
                }
                sentence_end = end;
                tokens.push(Token {
                    norm: op.to_string(),
                    stem: op.to_string(),
                    span: pos..end,
                    sentence: sentences.len(),
                    kind: Kind::Word,
                    clause_break,
                });
                clause_break = false;
                i = j;
                continue;
            }
        }
        let next = chars.get(i + 1).map(|c| c.1);
        let ends_sentence = match c {
            '.' | '!' | '?' => {
                next.is_none_or(char::is_whitespace)
                    && !(c == '.' && ends_with_abbreviation(text, pos))
            }
            '\n' => newline_starts_block(text, pos),
            ':' => next == Some('\n'),
            _ => false,
        };
        if ends_sentence {
            let end = if c == '\n' {
                sentence_end
            } else {
                pos + c.len_utf8()
            };
            close_sentence(&mut sentences, &mut sentence_start, end);
            clause_break = true;
        } else if matches!(
            c,
            ',' | ';'
                | ':'
                | '('
                | ')'
                | '\u{2014}'
                | '\u{2013}'
                | '-'
                | '"'
                | '\u{201c}'
                | '\u{201d}'
        ) || (c == '.' && next.is_none_or(char::is_whitespace))
        {
            clause_break = true;
        }
        i += 1;
    }
    close_sentence(&mut sentences, &mut sentence_start, sentence_end);
    mark_spoken_noise(&mut tokens);
    Analysis { tokens, sentences }
}

/// Marks "you know", "I mean" and stuttered repeats ("the the") as fillers.
fn mark_spoken_noise(tokens: &mut [Token]) {
    for i in 1..tokens.len() {
        let (prev, cur) = (&tokens[i - 1], &tokens[i]);
        let pair = (prev.norm.as_str(), cur.norm.as_str());
        if matches!(pair, ("you", "know") | ("i", "mean")) && !cur.clause_break {
            // "you know" as a filler is set off from its neighbours: followed
            // by a break or by another clause, never by an object ("you know the answer").
            let next_is_break = tokens.get(i + 1).is_none_or(|t| t.clause_break);
            if next_is_break || prev.clause_break || i == 1 {
                tokens[i - 1].kind = Kind::Filler;
                tokens[i].kind = Kind::Filler;
            }
        } else if prev.norm == cur.norm
            && !cur.clause_break
            && prev.span != cur.span
            && matches!(cur.kind, Kind::Word | Kind::Stop)
        {
            tokens[i].kind = Kind::Filler;
        }
    }
}

/// The matchable words of a rubric phrase: stems of content words and negators.
pub fn phrase_stems(phrase: &str) -> Vec<String> {
    analyse(phrase)
        .tokens
        .into_iter()
        .filter(|t| matches!(t.kind, Kind::Word | Kind::Negator))
        .map(|t| t.stem)
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

/// Collapses runs of whitespace to one space and trims, for quoting evidence.
pub fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        analyse(text).tokens.into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn folds_unicode_and_case() {
        assert_eq!(norms("Naïve ＧＩＬ"), ["naive", "gil"]);
    }

    #[test]
    fn expands_contractions() {
        assert_eq!(norms("It doesn’t"), ["it", "does", "not"]);
        assert_eq!(norms("can't won't"), ["can", "not", "will", "not"]);
        assert_eq!(norms("dont"), ["do", "not"]);
        assert_eq!(norms("Python's GC"), ["python", "gc"]);
    }

    #[test]
    fn keeps_io_and_dunders_together() {
        assert_eq!(
            norms("blocking I/O and __slots__"),
            ["blocking", "io", "and", "slots"]
        );
        assert_eq!(norms("a == b"), ["a", "==", "b"]);
    }

    #[test]
    fn stems_inflections_alike() {
        assert_eq!(stem("released"), stem("releases"));
        assert_eq!(stem("counting"), stem("counts"));
    }

    #[test]
    fn splits_sentences_but_not_abbreviations_or_dotted_names() {
        let a = analyse("Use e.g. os.path here. Then stop!\n- a bullet\nnext line");
        let texts: Vec<&str> = a
            .sentences
            .iter()
            .map(|r| &"Use e.g. os.path here. Then stop!\n- a bullet\nnext line"[r.clone()])
            .collect();
        assert_eq!(
            texts,
            [
                "Use e.g. os.path here.",
                "Then stop!",
                "a bullet\nnext line"
            ]
        );
    }

    #[test]
    fn marks_fillers_and_stutters() {
        let a = analyse("um so the the gil is you know, a lock");
        let kinds: Vec<(String, Kind)> =
            a.tokens.iter().map(|t| (t.norm.clone(), t.kind)).collect();
        assert_eq!(kinds[0], ("um".into(), Kind::Filler));
        assert_eq!(kinds[3], ("the".into(), Kind::Filler));
        assert_eq!(kinds[6].1, Kind::Filler);
        assert_eq!(kinds[7].1, Kind::Filler);
    }

    #[test]
    fn you_know_with_an_object_is_not_noise() {
        let a = analyse("then you know the answer");
        assert!(a.tokens.iter().all(|t| t.kind != Kind::Filler));
    }

    #[test]
    fn squash_collapses_doubled_letters() {
        assert_eq!(squash("gill"), "gil");
        assert_eq!(squash("tupple"), "tuple");
    }

    #[test]
    fn phrase_checks() {
        assert!(check_phrase("the of").is_err());
        assert!(check_phrase("   ").is_err());
        assert!(check_phrase("reference count").is_ok());
        assert_eq!(phrase_stems("one at a time"), ["one", "time"]);
    }

    #[test]
    fn clause_breaks_are_recorded() {
        let a = analyse("not this, but that");
        let that = a.tokens.iter().find(|t| t.norm == "that").unwrap();
        let but = a.tokens.iter().find(|t| t.norm == "but").unwrap();
        assert!(but.clause_break);
        assert!(!that.clause_break);
    }
}
