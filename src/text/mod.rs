//! Turning free text (typed answers, speech transcripts, rubric phrases) into
//! tokens the keyword grader can compare.
//!
//! Both sides go through the same analysis, so a rubric phrase and an answer
//! agree on what a word is: Unicode-folded, lowercased, contractions expanded
//! ("doesn't" → "does not"), stemmed (Snowball English), with transcript noise
//! ("um", "you know", "the the") marked so matching skips it. Every token keeps
//! its byte range in the original text, so evidence is quoted exactly.

mod numbers;
mod phrase;
mod sentences;
mod stem_table;
mod tokenize;
mod words;

use std::ops::Range;

pub use phrase::{check_phrase, phrase_stems, phrase_warnings};
pub use tokenize::{analyse, emphasis_markers};
pub use words::{
    Memo, WordSet, is_contrastive, is_function_word, is_negator, is_preventing, squash, stem,
};

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
    pub norm: Word,
    /// Snowball stem of `norm`.
    pub stem: Word,
    /// Byte range in the original text.
    pub span: Range<usize>,
    /// Index of the sentence the token belongs to.
    pub sentence: usize,
    pub kind: Kind,
    /// True when punctuation or a contrastive word separates this token from
    /// the one before it; negation does not reach across such a break.
    pub clause_break: bool,
}

/// A normalised word or stem, shared by every token of the same word (see
/// `words::forms`): a token costs a reference count, not an allocation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Word(std::rc::Rc<str>);

impl Word {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Word {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Word {
    fn from(s: &str) -> Word {
        Word(s.into())
    }
}

impl From<String> for Word {
    fn from(s: String) -> Word {
        Word(s.into())
    }
}

impl From<&Word> for String {
    fn from(w: &Word) -> String {
        w.as_str().to_string()
    }
}

impl PartialEq<str> for Word {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Word {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for Word {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A text split into sentences and tokens.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub tokens: Vec<Token>,
    /// Byte range of each sentence in the original text.
    pub sentences: Vec<Range<usize>>,
}

/// Collapses runs of whitespace to one space and trims, for quoting evidence.
pub fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        analyse(text)
            .tokens
            .into_iter()
            .map(|t| t.norm.to_string())
            .collect()
    }

    /// The words left once fillers go, as matching sees them.
    fn words(text: &str) -> Vec<String> {
        analyse(text)
            .tokens
            .into_iter()
            .filter(|t| t.kind != Kind::Filler)
            .map(|t| t.norm.to_string())
            .collect()
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
    fn emphasis_markers_keep_the_punctuation_after_them() {
        let a = analyse("**Security**: unpickling runs code.");
        assert_eq!(
            norms("**Security**: unpickling"),
            ["**", "security", "**", "unpickling"]
        );
        let unpickling = a.tokens.iter().find(|t| t.norm == "unpickling").unwrap();
        assert!(unpickling.clause_break, "the colon breaks the clause");
        // Operators stay whole: powers, and a `**` with no partner.
        assert_eq!(
            norms("x**2 and f(*args, **kwargs):"),
            ["x", "**", "2", "and", "f", "args", "**", "kwargs"]
        );
        assert_eq!(norms("a **= 2"), ["a", "**=", "2"]);
    }

    #[test]
    fn a_non_prefix_makes_one_word_with_what_it_negates() {
        // "non-atomic" is no "atomic": hyphenated, spaced or written whole.
        assert_eq!(
            words("x += 1 is non-atomic"),
            ["x", "+=", "1", "is", "nonatomic"]
        );
        assert_eq!(words("non blocking sockets"), ["nonblocking", "sockets"]);
        assert_eq!(
            words("a nonblocking socket"),
            ["a", "nonblocking", "socket"]
        );
        assert_eq!(words("NON-Reentrant"), ["nonreentrant"]);
        // Only a word follows: "non" before a clause break or a number
        // stays as written.
        assert_eq!(words("non, reentrant"), ["non", "reentrant"]);
        assert_eq!(words("non 3"), ["non", "3"]);
    }

    #[test]
    fn dunder_names_said_aloud_read_as_dunder() {
        assert_eq!(words("double underscore get"), ["dunder", "get"]);
        assert_eq!(
            words("underscore underscore init underscore underscore takes self"),
            ["dunder", "init", "takes", "self"]
        );
        assert_eq!(
            words("double underscore enter and double underscore exit"),
            ["dunder", "enter", "and", "dunder", "exit"]
        );
        // A single underscore, or "double" alone, stays a word.
        assert_eq!(
            words("self dot underscore name"),
            ["self", "dot", "underscore", "name"]
        );
        assert_eq!(words("double the size"), ["double", "the", "size"]);
        // A rubric phrase reads the same way, so both spellings meet.
        assert_eq!(
            crate::text::phrase_stems("double underscore names"),
            crate::text::phrase_stems("dunder names")
        );
    }

    #[test]
    fn a_numbered_list_s_first_item_says_first_in_its_own_sentence() {
        let a = analyse("In this order:\n\n1. The script's directory.\n2. PYTHONPATH entries.");
        let first = a.tokens.iter().find(|t| t.norm == "first").unwrap();
        let script = a.tokens.iter().find(|t| t.norm == "script").unwrap();
        assert_eq!(
            first.sentence, script.sentence,
            "the marker ends no sentence"
        );
        // The other numbers stay numbers, and their items sentences of their own.
        let two = a.tokens.iter().find(|t| t.norm == "2").unwrap();
        let entries = a.tokens.iter().find(|t| t.norm == "entries").unwrap();
        assert_eq!(two.sentence, entries.sentence);
        assert_ne!(two.sentence, script.sentence);
        assert_eq!(words("1) the script"), ["first", "the", "script"]);
        // A number that does not open its line is no item.
        assert_eq!(analyse("It costs 1. Then we stop.").sentences.len(), 2);
        assert_eq!(words("It costs 1. Then"), ["it", "costs", "1", "then"]);
    }

    #[test]
    fn key_chords_said_aloud_read_like_key_chords_written() {
        assert_eq!(
            words("won't swallow a control c"),
            words("won't swallow a Ctrl+C")
        );
        assert_eq!(words("press control d"), ["press", "ctrl", "d"]);
        // Not the C API, nor control alone.
        assert_eq!(
            words("control c extensions"),
            ["control", "c", "extensions"]
        );
        assert_eq!(words("control flow"), ["control", "flow"]);
    }

    #[test]
    fn big_o_said_aloud_reads_like_big_o_written() {
        assert_eq!(norms("o of one"), ["o", "of", "1"]);
        assert_eq!(norms("O of n squared"), ["o", "of", "n", "2"]);
        let written: Vec<String> = norms("O(1)").into_iter().collect();
        assert_eq!(written, ["o", "1"]);
        // Only after "o of".
        assert_eq!(norms("one of one"), ["one", "of", "one"]);
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
        let kinds: Vec<(String, Kind)> = a
            .tokens
            .iter()
            .map(|t| (t.norm.to_string(), t.kind))
            .collect();
        assert_eq!(kinds[0], ("um".into(), Kind::Filler));
        assert_eq!(kinds[3], ("the".into(), Kind::Filler));
        assert_eq!(kinds[6].1, Kind::Filler);
        assert_eq!(kinds[7].1, Kind::Filler);
    }

    #[test]
    fn a_sentence_ends_before_closing_emphasis_and_quotes() {
        let text = "**Tests before refactoring.** Write tests first. Then \"stop.\" Then \
                    call self.__init__ and obj._x. End map(f, xs, ...) applies f.";
        let texts: Vec<&str> = analyse(text)
            .sentences
            .iter()
            .map(|r| &text[r.clone()])
            .collect();
        assert_eq!(
            texts,
            [
                // `**` is also Python's power operator: a token.
                "**Tests before refactoring.",
                "** Write tests first.",
                "Then \"stop.",
                "Then call self.__init__ and obj._x.",
                "End map(f, xs, ...) applies f."
            ]
        );
    }

    #[test]
    fn a_repeat_is_a_stutter_only_with_space_between() {
        let kinds =
            |text: &str| -> Vec<Kind> { analyse(text).tokens.iter().map(|t| t.kind).collect() };
        // `3.3` is a version: both numbers stay words.
        assert_eq!(
            kinds("came in 3.3"),
            [Kind::Word, Kind::Stop, Kind::Word, Kind::Word]
        );
        assert_eq!(kinds("the the gil")[1], Kind::Filler);
    }

    #[test]
    fn no_before_a_subject_answers_and_negates_nothing() {
        let kind_of_no = |text: &str| analyse(text).tokens[0].kind;
        assert_eq!(kind_of_no("no you have to import it"), Kind::Stop);
        assert_eq!(kind_of_no("no it is not"), Kind::Stop);
        assert_eq!(kind_of_no("no import is needed"), Kind::Negator);
        assert_eq!(kind_of_no("no one calls it"), Kind::Negator);
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
    fn phrase_warnings_catch_dead_stems_and_shrinking_phrases() {
        assert_eq!(phrase_warnings("iterat over").len(), 1);
        assert_eq!(phrase_warnings("evaluat").len(), 1);
        assert!(phrase_warnings("the same")[0].contains("single word `same`"));
        for fine in [
            "create",
            "generat",
            "release",
            "gil",
            "mutex",
            "reference count",
            "double underscore",
        ] {
            assert!(phrase_warnings(fine).is_empty(), "{fine}");
        }
    }

    #[test]
    fn instead_of_and_rather_than_deny_what_follows() {
        let kinds = |t: &str| -> Vec<Kind> { analyse(t).tokens.iter().map(|t| t.kind).collect() };
        assert_eq!(kinds("instead of lists")[1], Kind::Negator);
        assert_eq!(kinds("rather than threads")[1], Kind::Negator);
        assert_eq!(kinds("rather fast")[0], Kind::Word);
        assert_eq!(kinds("nothing is copied")[0], Kind::Negator);
        assert_eq!(kinds("unrelated to refcounts")[1], Kind::Negator);
        assert_eq!(kinds("irrelevant to asyncio")[1], Kind::Negator);
        assert_eq!(kinds("nothing to do with the C API")[3], Kind::Negator);
        assert_eq!(kinds("anything to do with locks")[3], Kind::Negator);
        // Not across a comma, nor when something else is done with it.
        assert_eq!(kinds("nothing to do, with luck")[3], Kind::Stop);
        assert_eq!(kinds("related to refcounts")[1], Kind::Stop);
    }

    #[test]
    fn a_reflexive_split_in_two_reads_as_one_word() {
        assert_eq!(words("calls it self"), ["calls", "itself"]);
        assert_eq!(
            words("calling its self again"),
            ["calling", "itself", "again"]
        );
        assert_eq!(words("sort them selves"), ["sort", "themselves"]);
        // Python's `self`: "its self parameter" keeps both words.
        assert_eq!(words("its self parameter"), ["its", "self", "parameter"]);
        // Not across a clause break.
        assert_eq!(words("call it, self"), ["call", "it", "self"]);
    }

    #[test]
    fn end_up_and_set_up_read_as_one_word() {
        assert_eq!(
            words("named arguments end up in a dict"),
            ["named", "arguments", "endup", "in", "a", "dict"]
        );
        assert_eq!(words("it sets up a venv"), ["it", "setup", "a", "venv"]);
        // The noun and the data type stay themselves, and so does a clause break.
        assert_eq!(words("at the end"), ["at", "the", "end"]);
        assert_eq!(words("a set of keys"), ["a", "set", "of", "keys"]);
        assert_eq!(words("the end, up next"), ["the", "end", "up", "next"]);
    }

    #[test]
    fn clause_breaks_are_recorded() {
        let a = analyse("not this, but that");
        let that = a.tokens.iter().find(|t| t.norm == "that").unwrap();
        let but = a.tokens.iter().find(|t| t.norm == "but").unwrap();
        assert!(but.clause_break);
        assert!(!that.clause_break);
        // Regression: transcripts hyphenate compounds ("multi-processing"),
        // and the hyphen broke the clause, so the joined word never matched.
        let brk = |text: &str, word: &str| {
            analyse(text)
                .tokens
                .iter()
                .find(|t| t.norm == word)
                .unwrap()
                .clause_break
        };
        assert!(!brk("use multi-processing here", "processing"));
        assert!(brk("use locks - processing waits", "processing"));
        assert!(brk("use locks -processing waits", "processing"));
    }
}
