//! The transcriber prompt: the question's technical terms, so a Whisper
//! model spells "GIL", "asyncio" or `__slots__` as the candidate meant them
//! instead of the nearest common words ("the D.I.L."). Whisper reads the
//! prompt as text said just before the recording, and only its last 224
//! tokens, so it is a short list of terms.

use crate::bank::{Question, Rubric};

/// Longest prompt sent, in characters (well under Whisper's 224 tokens).
pub const MAX_PROMPT_CHARS: usize = 400;

/// Whether a word is jargon worth spelling out for the transcriber: an
/// acronym (`GIL`, `CPU`), a mixed-case name (`CPython`, `NumPy`,
/// `ProcessPoolExecutor`), or an identifier (`__slots__`, `time.sleep`,
/// `asyncio`-like names with underscores or dots inside).
fn is_term(w: &str) -> bool {
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 2 {
        return false;
    }
    let upper = w.chars().filter(|c| c.is_uppercase()).count();
    let inner_upper = w.chars().skip(1).any(char::is_uppercase);
    // "e.g" and "i.e" have a dot inside, but they are no names.
    let abbreviation = w.split('.').all(|part| part.chars().count() <= 1);
    let identifier = w.contains('_') || (w.contains('.') && !w.ends_with('.') && !abbreviation);
    (upper >= 2 || inner_upper || identifier) && !w.contains("://")
}

fn candidates(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| c.is_whitespace() || ",;:!?\"'()[]{}“”’`".contains(c))
        .map(|w| w.trim_end_matches('.').trim_start_matches('.'))
        .filter(|w| is_term(w))
        .map(str::to_string)
}

/// The prompt for a question: its terms, then its rubric's, then its tags
/// (plain words such as "threads" that a small model still mishears), in
/// order of first appearance, without duplicates, at most
/// [`MAX_PROMPT_CHARS`].
pub fn for_question(question: &Question, rubric: &Rubric) -> String {
    let mut terms: Vec<String> = Vec::new();
    let texts = std::iter::once(question.text.as_str())
        .chain(rubric.points.iter().map(|p| p.text.as_str()));
    let tags = question.tags.iter().map(|t| t.replace('-', " "));
    for t in texts.flat_map(candidates).chain(tags) {
        if !terms.iter().any(|x| x.eq_ignore_ascii_case(&t)) {
            terms.push(t);
        }
    }
    let mut out = String::new();
    for t in terms {
        let extra = if out.is_empty() { t.len() } else { t.len() + 2 };
        if out.len() + extra > MAX_PROMPT_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&t);
    }
    if out.is_empty() {
        return String::new();
    }
    format!("{out}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jargon_is_picked_and_plain_words_are_not() {
        let got: Vec<String> = candidates(
            "What is Python's GIL? Explain `__slots__`, time.sleep and CPython, NumPy, e.g. a list, i.e. one. The end. I/O.",
        )
        .collect();
        assert_eq!(
            got,
            ["GIL", "__slots__", "time.sleep", "CPython", "NumPy", "I/O"]
        );
    }

    #[test]
    fn the_gil_question_prompts_its_terms() {
        let bank = crate::bank::Bank::open(None, false).unwrap();
        let q = bank.question("gil-what-it-protects").unwrap();
        let r = bank.rubric("gil-what-it-protects").unwrap();
        let p = for_question(q, r);
        assert!(p.starts_with("GIL, "), "{p}");
        for t in ["CPython", "NumPy", "PEP", "time.sleep"] {
            assert!(p.contains(t), "{t} in {p}");
        }
        assert!(p.len() <= MAX_PROMPT_CHARS + 10);
    }
}
