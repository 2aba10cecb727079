//! Checking that a quoted piece of evidence really is in the answer, and
//! says there what it says in the quote.
//!
//! An LLM's quote earns credit only when it lines up with one contiguous
//! span of the answer. Both sides are reduced to lowercase words, so case,
//! punctuation and spacing do not matter, and transcription noise is
//! tolerated: filler words ("um", "uh"), doubled letters ("gill" for "GIL"),
//! words split or joined ("c python" for "CPython") and a small edit
//! distance on long words. What is never tolerated is a difference that
//! changes the meaning: negations ("not", "no", "n't", "never"), quantifiers
//! ("all", "some", "none", "every", "only", "always") and numbers must be
//! identical, and the span must not sit right after a negation the quote
//! leaves out. A quote must have at least four words (or the whole answer,
//! when it is shorter). Quotes with "..." (or "…") are checked piece by piece:
//! the pieces must appear in order, within one sentence or two adjacent ones.

use std::collections::HashMap;

/// Words whose presence or absence flips a statement.
#[rustfmt::skip]
const NEGATIONS: &[&str] = &[
    "not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "nowhere", "cannot",
    "without", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant", "couldnt",
    "wont", "wouldnt", "shouldnt", "hasnt", "havent", "hadnt", "mustnt", "neednt", "aint",
    "mightnt",
];

/// Words that say how much or how often.
#[rustfmt::skip]
const QUANTIFIERS: &[&str] = &[
    "all", "some", "every", "each", "only", "always", "sometimes", "often", "usually", "rarely",
    "seldom", "any", "many", "most", "few", "fewer", "several", "both", "either", "everything",
    "everyone", "anything", "something", "more", "less", "least", "once", "twice", "half",
    "double", "single", "multiple",
];

/// Numbers written as words.
#[rustfmt::skip]
const NUMBER_WORDS: &[&str] = &[
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "hundred", "thousand", "million", "first", "second", "third",
];

/// Spoken fillers a transcript keeps and a quote may drop (or keep).
const FILLERS: &[&str] = &[
    "um", "uh", "uhm", "umm", "er", "erm", "ah", "eh", "hmm", "mm",
];

/// Prefixes that turn a word into its opposite ("synchronous" and
/// "asynchronous" are one edit apart but mean opposite things).
const NEGATING_PREFIXES: &[&str] = &["a", "un", "in", "im", "il", "ir", "non", "dis", "anti"];

/// Quotes shorter than this many words prove nothing.
const MIN_WORDS: usize = 4;

#[derive(Debug)]
struct Word {
    text: String,
    /// Index of the sentence the word is in.
    sentence: usize,
    /// Whether clause punctuation (, ; : . ! ? brackets, dashes) separates it
    /// from the word before.
    after_break: bool,
}

impl Word {
    fn is_filler(&self) -> bool {
        FILLERS.contains(&self.text.as_str())
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Lowercase words with their sentence numbers. Apostrophes inside a word
/// are dropped ("doesn't" is "doesnt"), so contractions stay one word.
fn words(s: &str) -> Vec<Word> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut sentence = 0;
    let mut current = String::new();
    let mut gap = String::new();
    let mut flush = |current: &mut String, gap: &mut String, out: &mut Vec<Word>| {
        if current.is_empty() {
            return;
        }
        let ends_sentence = gap
            .char_indices()
            .any(|(i, c)| matches!(c, '.' | '!' | '?') && gap[i..].contains(char::is_whitespace))
            || gap.matches('\n').count() >= 2;
        if ends_sentence && !out.is_empty() {
            sentence += 1;
        }
        let after_break = gap.contains(|c: char| {
            matches!(
                c,
                ',' | ';' | ':' | '.' | '!' | '?' | '(' | ')' | '[' | ']' | '—' | '–' | '"'
            )
        });
        out.push(Word {
            text: std::mem::take(current),
            sentence,
            after_break,
        });
        gap.clear();
    };
    let mut pending_gap = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let inner_apostrophe = is_apostrophe(c)
            && !current.is_empty()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if is_word_char(c) {
            if current.is_empty() {
                gap = std::mem::take(&mut pending_gap);
            }
            current.extend(c.to_lowercase());
        } else if inner_apostrophe {
            // part of the word, dropped
        } else {
            if !current.is_empty() {
                flush(&mut current, &mut gap, &mut out);
            }
            pending_gap.push(c);
        }
    }
    if !current.is_empty() {
        flush(&mut current, &mut gap, &mut out);
    }
    out
}

fn is_negation(w: &str) -> bool {
    NEGATIONS.contains(&w)
}

/// Words that must match exactly: negations, quantifiers and numbers.
fn is_protected(w: &str) -> bool {
    is_negation(w)
        || QUANTIFIERS.contains(&w)
        || NUMBER_WORDS.contains(&w)
        || w.chars().any(|c| c.is_ascii_digit())
}

/// The word with runs of one letter collapsed: "gill" is "gil".
fn squeeze(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    for c in w.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// Whether two words are the same word, allowing transcription noise but no
/// change of meaning.
fn close(a: &str, q: &str) -> bool {
    if a == q {
        return true;
    }
    if is_protected(a) || is_protected(q) {
        return false;
    }
    if squeeze(a) == squeeze(q) {
        return true;
    }
    let opposite = |x: &str, y: &str| {
        NEGATING_PREFIXES
            .iter()
            .any(|p| x.strip_prefix(p).is_some_and(|rest| rest == y))
    };
    if opposite(a, q) || opposite(q, a) {
        return false;
    }
    let shorter = a.chars().count().min(q.chars().count());
    let distance = strsim::levenshtein(a, q);
    (shorter >= 5 && distance <= 1) || (shorter >= 9 && distance <= 2)
}

/// Aligns quote words `q[j..]` with answer words from `i` on; returns where
/// the span ends in the answer. Fillers on either side may be skipped, and a
/// word on one side may be two joined words on the other.
fn align(
    a: &[Word],
    q: &[Word],
    i: usize,
    j: usize,
    memo: &mut HashMap<(usize, usize), Option<usize>>,
) -> Option<usize> {
    if j == q.len() {
        return Some(i);
    }
    if let Some(done) = memo.get(&(i, j)) {
        return *done;
    }
    let found = (|| {
        if i < a.len()
            && close(&a[i].text, &q[j].text)
            && let Some(end) = align(a, q, i + 1, j + 1, memo)
        {
            return Some(end);
        }
        if q[j].is_filler()
            && let Some(end) = align(a, q, i, j + 1, memo)
        {
            return Some(end);
        }
        if i >= a.len() {
            return None;
        }
        if a[i].is_filler()
            && let Some(end) = align(a, q, i + 1, j, memo)
        {
            return Some(end);
        }
        if i + 1 < a.len()
            && close(&format!("{}{}", a[i].text, a[i + 1].text), &q[j].text)
            && let Some(end) = align(a, q, i + 2, j + 1, memo)
        {
            return Some(end);
        }
        if j + 1 < q.len() && close(&a[i].text, &format!("{}{}", q[j].text, q[j + 1].text)) {
            return align(a, q, i + 1, j + 2, memo);
        }
        None
    })();
    memo.insert((i, j), found);
    found
}

/// Whether the answer span starting at `start` follows a negation that the
/// quote leaves out ("does not make code thread-safe" quoted as "make code
/// thread-safe").
fn negated_from_outside(a: &[Word], start: usize) -> bool {
    let mut k = start;
    while k > 0 {
        if a[k].after_break {
            return false;
        }
        k -= 1;
        if !a[k].is_filler() {
            return is_negation(&a[k].text);
        }
    }
    false
}

/// A piece of the quote that aligns at some answer position at or after
/// `from`: its start and end, earliest first.
fn spans<'a>(
    a: &'a [Word],
    piece: &'a [Word],
    from: usize,
    memo: &'a mut HashMap<(usize, usize), Option<usize>>,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    (from..a.len()).filter_map(move |i| {
        if a[i].is_filler() || negated_from_outside(a, i) {
            return None;
        }
        align(a, piece, i, 0, memo).map(|end| (i, end))
    })
}

/// Whether `quote` is in `answer`, meaning the same thing there: one
/// contiguous span (or "..." pieces in order within one or two adjacent
/// sentences), tolerating case, punctuation, spacing and transcription noise
/// but never a different negation, quantifier or number.
pub fn quote_in_answer(quote: &str, answer: &str) -> bool {
    AnswerWords::new(answer).holds(quote)
}

/// An answer split into words once, for checking every quote of a verdict
/// against it: splitting the answer again for each quote was most of the
/// CPU time of an LLM batch, beside the HTTP work.
pub struct AnswerWords(Vec<Word>);

impl AnswerWords {
    pub fn new(answer: &str) -> Self {
        AnswerWords(words(answer))
    }

    /// [`quote_in_answer`] for this answer.
    pub fn holds(&self, quote: &str) -> bool {
        quote_in(quote, &self.0)
    }
}

fn quote_in(quote: &str, answer_words: &[Word]) -> bool {
    let pieces: Vec<Vec<Word>> = quote
        .split("...")
        .flat_map(|p| p.split('…'))
        .map(words)
        .filter(|w| w.iter().any(|w| !w.is_filler()))
        .collect();
    let spoken = |ws: &[Word]| ws.iter().filter(|w| !w.is_filler()).count();
    let quoted: usize = pieces.iter().map(|p| spoken(p)).sum();
    let needed = MIN_WORDS.min(spoken(answer_words)).max(1);
    if pieces.is_empty() || quoted < needed {
        return false;
    }
    if pieces.len() > 1 && pieces.iter().any(|p| spoken(p) < 2) {
        return false;
    }
    let mut memos: Vec<HashMap<(usize, usize), Option<usize>>> =
        pieces.iter().map(|_| HashMap::new()).collect();
    let (first_memo, rest_memos) = memos.split_first_mut().expect("one piece at least");
    let firsts: Vec<(usize, usize)> = spans(answer_words, &pieces[0], 0, first_memo).collect();
    'start: for (start, mut end) in firsts {
        for (piece, memo) in pieces[1..].iter().zip(rest_memos.iter_mut()) {
            match spans(answer_words, piece, end, memo).next() {
                Some((_, e)) => end = e,
                None => continue 'start,
            }
        }
        let last = end.saturating_sub(1).max(start);
        if pieces.len() == 1 || answer_words[last].sentence <= answer_words[start].sentence + 1 {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = "So the GIL is a mutex.\nIt protects  the reference counts, you know!";

    #[test]
    fn exact_and_normalised_quotes_verify() {
        assert!(quote_in_answer("the GIL is a mutex", ANSWER));
        assert!(quote_in_answer("it protects the Reference counts", ANSWER));
        assert!(quote_in_answer("a mutex. It protects", ANSWER));
    }

    #[test]
    fn ellipses_split_the_quote() {
        assert!(quote_in_answer("the GIL ... reference counts", ANSWER));
        assert!(quote_in_answer("the GIL … reference counts", ANSWER));
        assert!(!quote_in_answer("the GIL ... is released", ANSWER));
    }

    #[test]
    fn paraphrases_and_empty_quotes_fail() {
        assert!(!quote_in_answer("The GIL guards refcounts", ANSWER));
        assert!(!quote_in_answer("", ANSWER));
        assert!(!quote_in_answer("...", ANSWER));
        assert!(!quote_in_answer("um uh", ANSWER));
    }

    #[test]
    fn small_transcription_differences_pass_in_long_quotes() {
        let answer =
            "so um the gill is basically a lock in c python and only one thread runs at a time";
        assert!(quote_in_answer(
            "the GIL is basically a lock in C Python and only one thread runs",
            answer
        ));
        assert!(!quote_in_answer("the GIL is", "the lock is"));
    }

    #[test]
    fn noisy_transcript_quotes_are_accepted() {
        let answer = "so, um, the gill is basically, uh, a lock in cpython, and for CPU heavy \
                      stuff you use multi processing, uh, with a proces pool executer";
        // Fillers dropped, doubled letters, joined and split words, misspellings.
        assert!(quote_in_answer(
            "the GIL is basically a lock in C Python",
            answer
        ));
        assert!(quote_in_answer(
            "for CPU heavy stuff you use multiprocessing with a process pool executor",
            answer
        ));
        assert!(quote_in_answer("The GIL is basically, um, a lock", answer));
    }

    #[test]
    fn a_flipped_negation_quantifier_or_number_is_rejected() {
        // Regression: a quote of ten or more words could differ in one whole word.
        let answer = "In CPython the GIL always lets only one thread execute Python bytecode at a \
                      time, and it does not make your own code thread safe. The switch interval \
                      is 5 ms by default and all threads share it.";
        assert!(quote_in_answer(
            "the GIL always lets only one thread execute Python bytecode at a time",
            answer
        ));
        for flipped in [
            "the GIL never lets only one thread execute Python bytecode at a time",
            "the GIL always lets some one thread execute Python bytecode at a time",
            "the GIL always lets only two threads execute Python bytecode at a time",
            "it does make your own code thread safe",
            "it doesn't make your own code thread safe",
            "it does no make your own code thread safe",
            "The switch interval is 50 ms by default",
            "and some threads share it",
            "and no threads share it",
            "and every thread shares it",
        ] {
            assert!(!quote_in_answer(flipped, answer), "{flipped}");
        }
        // Dropping the negation before the span changes the meaning too.
        assert!(!quote_in_answer("make your own code thread safe", answer));
        assert!(quote_in_answer(
            "not make your own code thread safe",
            answer
        ));
    }

    #[test]
    fn opposite_prefixes_are_not_misspellings() {
        let answer = "With asyncio the code is asynchronous and runs on one event loop";
        assert!(!quote_in_answer("the code is synchronous and runs", answer));
        assert!(quote_in_answer("the code is asynchronous and runs", answer));
    }

    #[test]
    fn ellipsis_pieces_must_be_in_order() {
        let answer = "The GIL protects reference counts. It is released during blocking I/O.";
        assert!(quote_in_answer(
            "protects reference counts ... released during blocking",
            answer
        ));
        assert!(!quote_in_answer(
            "released during blocking ... protects reference counts",
            answer
        ));
    }

    #[test]
    fn ellipsis_pieces_must_be_in_one_or_two_adjacent_sentences() {
        let answer = "The GIL is a mutex in CPython. It protects reference counts. Threads still \
                      help with I/O. Since Python 3.13 there is a free-threaded build.";
        assert!(quote_in_answer(
            "The GIL is a mutex ... protects reference counts",
            answer
        ));
        assert!(!quote_in_answer(
            "The GIL is a mutex ... there is a free-threaded build",
            answer
        ));
        // "3.13" is a version, not the end of a sentence.
        assert!(quote_in_answer("Since Python 3.13 there is a", answer));
    }

    #[test]
    fn a_quote_needs_four_words_unless_the_answer_is_shorter() {
        assert!(!quote_in_answer("mutex", ANSWER));
        assert!(!quote_in_answer("the GIL", ANSWER));
        assert!(!quote_in_answer("GIL ... counts", ANSWER));
        assert!(quote_in_answer("Use processes", "Use processes."));
        assert!(!quote_in_answer("processes", "Use processes."));
    }
}
