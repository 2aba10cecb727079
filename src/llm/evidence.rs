//! Checking that a quoted piece of evidence really is in the answer.
//!
//! Both sides are reduced to lowercase words (punctuation and spacing
//! ignored); a quote is found when a run of answer words matches it with at
//! most one word in ten differing by a small misspelling, so a transcript's
//! "gill" still verifies a quote saying "GIL". Quotes with "..." are checked
//! piece by piece.

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn close(a: &str, b: &str) -> bool {
    a == b || (a.chars().count() >= 4 && strsim::levenshtein(a, b) <= 1)
}

fn piece_found(answer: &[String], quote: &[String]) -> bool {
    if quote.is_empty() {
        return true;
    }
    if quote.len() > answer.len() {
        return false;
    }
    let allowed_misses = quote.len() / 10;
    answer.windows(quote.len()).any(|w| {
        let mut misses = 0;
        for (a, q) in w.iter().zip(quote) {
            if !close(a, q) {
                misses += 1;
                if misses > allowed_misses {
                    return false;
                }
            }
        }
        true
    })
}

/// Whether `quote` appears in `answer`, tolerating case, punctuation,
/// spacing, ellipses and small transcription differences.
pub fn quote_in_answer(quote: &str, answer: &str) -> bool {
    let answer_words = words(answer);
    let pieces: Vec<Vec<String>> = quote
        .split("...")
        .flat_map(|p| p.split('…'))
        .map(words)
        .filter(|w| !w.is_empty())
        .collect();
    !pieces.is_empty() && pieces.iter().all(|p| piece_found(&answer_words, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = "So the GIL is a mutex.\nIt protects  the reference counts, you know!";

    #[test]
    fn exact_and_normalised_quotes_verify() {
        assert!(quote_in_answer("the GIL is a mutex", ANSWER));
        assert!(quote_in_answer("it protects the Reference counts", ANSWER));
        assert!(quote_in_answer("mutex. It protects", ANSWER));
    }

    #[test]
    fn ellipses_split_the_quote() {
        assert!(quote_in_answer("the GIL ... reference counts", ANSWER));
        assert!(!quote_in_answer("the GIL ... is released", ANSWER));
    }

    #[test]
    fn paraphrases_and_empty_quotes_fail() {
        assert!(!quote_in_answer("The GIL guards refcounts", ANSWER));
        assert!(!quote_in_answer("", ANSWER));
        assert!(!quote_in_answer("...", ANSWER));
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
}
