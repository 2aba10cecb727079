//! How the bank's patterns (rubric regexes, the grader's own injection
//! patterns) are searched in answers: each compiled lazily, in the form that
//! suits the text at hand, and every form finding exactly what the Unicode
//! regex finds.

use std::ops::Range;
use std::sync::OnceLock;

use regex_automata::meta::Regex;

/// A pattern searched in answers, compiled on first use in each form it is
/// needed in: most runs need few of the bank's patterns, and most answers
/// only the small ASCII form (see [`Haystack`]).
#[derive(Debug)]
pub struct SearchRegex {
    /// The pattern as the regex engine takes it (flags included).
    source: String,
    /// [`search_regex_ascii`]; `None` inside for a pattern that needs
    /// Unicode (a literal outside ASCII).
    ascii: OnceLock<Option<Regex>>,
    /// [`search_regex_ascii_words`].
    ascii_words: OnceLock<Option<Regex>>,
    /// [`search_regex`].
    unicode: OnceLock<Option<Regex>>,
}

impl SearchRegex {
    /// `source` as the engine takes it (see [`super::rubric_regex_source`]).
    pub fn new(source: String) -> Self {
        SearchRegex {
            source,
            ascii: OnceLock::new(),
            ascii_words: OnceLock::new(),
            unicode: OnceLock::new(),
        }
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Where the pattern matches `text`, as byte ranges, given what the
    /// text holds outside ASCII ([`Haystack::of`]) and, for
    /// [`Haystack::Symbols`], its [`Shadow`]: that text is searched as its
    /// shadow with the ASCII form, which finds there what the Unicode form
    /// finds in the text (unless the pattern names bytes, see
    /// [`reads_shadows`]). No matches if the pattern does not compile
    /// (patterns are validated when the bank loads, so none should).
    pub fn matches(
        &self,
        text: &str,
        haystack: Haystack,
        shadow: Option<&Shadow>,
    ) -> Vec<Range<usize>> {
        if haystack == Haystack::Symbols
            && let Some(shadow) = shadow
            && reads_shadows(&self.source)
            && let Some(re) = self.ascii()
        {
            return shadow.find_iter(re).collect();
        }
        let haystack = match haystack {
            Haystack::Symbols => Haystack::NoWordOutsideAscii,
            other => other,
        };
        self.form(haystack)
            .map(|re| re.find_iter(text).map(|m| m.range()).collect())
            .unwrap_or_default()
    }

    /// The form that searches a text of this kind as it is: ASCII text the
    /// ASCII form, text with no word character outside ASCII the form with
    /// ASCII word boundaries, any other the Unicode form (also wherever the
    /// smaller form does not compile).
    pub fn form(&self, haystack: Haystack) -> Option<&Regex> {
        match haystack {
            Haystack::Ascii => self.ascii(),
            Haystack::Symbols | Haystack::NoWordOutsideAscii => self
                .ascii_words
                .get_or_init(|| search_regex_ascii_words(&self.source).ok())
                .as_ref(),
            Haystack::Unicode => None,
        }
        .or_else(|| self.unicode())
    }

    fn ascii(&self) -> Option<&Regex> {
        self.ascii
            .get_or_init(|| search_regex_ascii(&self.source).ok())
            .as_ref()
    }

    fn unicode(&self) -> Option<&Regex> {
        self.unicode
            .get_or_init(|| search_regex(&self.source).ok())
            .as_ref()
    }

    /// Which forms have been compiled so far: ASCII, ASCII word
    /// boundaries, Unicode.
    #[cfg(test)]
    pub fn compiled(&self) -> [bool; 3] {
        let built = |form: &OnceLock<Option<Regex>>| form.get().is_some_and(Option::is_some);
        [
            built(&self.ascii),
            built(&self.ascii_words),
            built(&self.unicode),
        ]
    }
}

/// A regex built for finding where it matches and nothing more: the same
/// matches as [`super::compile_regex`] gives for the same source, without the
/// engines that only serve capture groups (a backtracker's and a one-pass
/// DFA's scratch space) and without capture slots in the NFA (which every
/// thread's PikeVM scratch would hold). Rubric and injection patterns are
/// only ever searched; with those engines and slots they held a third of a
/// keyword batch's memory over the whole bank. Nor is a full DFA built
/// ahead of time for small patterns: the lazy DFA finds the same matches,
/// a keyword batch runs as fast without it, and building it was 5% of the
/// instructions of a whole `viva grade`. Nor the engine's literal
/// prefilter: rubric patterns open with `\b` and word alternations, so it
/// rejected little (500 batch answers took 0.3% fewer instructions without
/// it) and building it was a tenth of a `viva grade`. (The keyword grader
/// does its own literal test, before it compiles a pattern at all.)
pub fn search_regex(source: &str) -> Result<regex_automata::meta::Regex, String> {
    search_regex_with(source, true)
}

/// [`search_regex`] for text that is all ASCII: the pattern read without
/// Unicode (`\w`, `\b`, `.` and case-insensitivity in their ASCII forms).
/// On ASCII text it finds exactly what the Unicode regex finds (a Unicode
/// class or case fold differs only on characters outside ASCII), with an
/// automaton a fraction of the size: the Unicode NFAs of the bank's
/// patterns were a seventh of a keyword batch's heap. Fails for a pattern
/// that needs Unicode (a non-ASCII literal, `\p{...}`); use the Unicode one.
pub fn search_regex_ascii(source: &str) -> Result<regex_automata::meta::Regex, String> {
    search_regex_with(source, false)
}

/// What a text holds outside ASCII, which decides the form of a search regex
/// that finds in it exactly what the Unicode regex ([`search_regex`]) finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Haystack {
    /// All ASCII: [`search_regex_ascii`].
    Ascii,
    /// Outside ASCII only symbols, characters that are neither word
    /// characters nor spaces (dashes, curly quotes, arrows, superscripts):
    /// [`search_regex_ascii`] over the text's [`Shadow`].
    Symbols,
    /// Outside ASCII no word character, but some space (a no-break space):
    /// [`search_regex_ascii_words`].
    NoWordOutsideAscii,
    /// A word character outside ASCII ("naïve", "Ω"): [`search_regex`].
    Unicode,
}

impl Haystack {
    pub fn of(text: &str) -> Self {
        if text.is_ascii() {
            return Haystack::Ascii;
        }
        let mut space = false;
        for c in text.chars().filter(|c| !c.is_ascii()) {
            if regex_syntax::is_word_character(c) {
                return Haystack::Unicode;
            }
            space |= c.is_whitespace();
        }
        if space {
            Haystack::NoWordOutsideAscii
        } else {
            Haystack::Symbols
        }
    }
}

/// A text of [`Haystack::Symbols`] as the ASCII form of a regex
/// ([`search_regex_ascii`]) can read it: each character outside ASCII
/// becomes the one byte 0xFF. To that form the byte is what the symbol is
/// to the Unicode regex: one character, matched by `.`, `\W`, `\S`, `\D`
/// and negated classes, never by a literal, a word or space class or a
/// case fold, and no word character at a boundary. Only a pattern that
/// names a byte outside ASCII itself (`\xFF`) could tell them apart, and
/// such a pattern is not searched this way (see [`reads_shadows`]).
#[derive(Debug)]
pub struct Shadow {
    bytes: Vec<u8>,
    /// By shadow byte, and one past the last: its offset in the text.
    at: Vec<usize>,
}

impl Shadow {
    pub fn of(text: &str) -> Self {
        let mut bytes = Vec::with_capacity(text.len());
        let mut at = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            at.push(i);
            bytes.push(if c.is_ascii() { c as u8 } else { 0xFF });
        }
        at.push(text.len());
        Shadow { bytes, at }
    }

    /// Where the ASCII-form regex `re` matches, as byte ranges of the text.
    pub fn find_iter<'a>(
        &'a self,
        re: &'a regex_automata::meta::Regex,
    ) -> impl Iterator<Item = std::ops::Range<usize>> + 'a {
        re.find_iter(self.bytes.as_slice())
            .map(|m| self.at[m.start()]..self.at[m.end()])
    }
}

/// Whether the ASCII form of a pattern may search a [`Shadow`]: not when
/// the pattern names bytes by escape (`\xFF`, `[\x80-\xff]`), which the
/// ASCII form reads as bytes and the Unicode one as characters.
pub fn reads_shadows(source: &str) -> bool {
    !source.contains("\\x")
}

/// [`search_regex`] with ASCII word boundaries (`\b` read as `(?-u:\b)`),
/// for text whose characters outside ASCII are none of them word characters
/// (see [`Haystack`]). There both kinds of boundary fall in the same places,
/// since both take every character outside ASCII for a non-word one, so the
/// two regexes find the same matches. But the lazy DFA cannot decide a
/// Unicode word boundary next to a character outside ASCII: it gives up, and
/// the search runs the PikeVM over the whole answer instead, several times
/// slower. One em dash or curly quote in an answer did that to every rubric
/// regex that could match it.
pub fn search_regex_ascii_words(source: &str) -> Result<regex_automata::meta::Regex, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(true)
        .utf8(true)
        .build()
        .parse(source)
        .map_err(|e| e.to_string())?;
    search_regex_builder()
        .build_from_hir(&ascii_word_boundaries(hir))
        .map_err(|e| e.to_string())
}

/// `hir` with every Unicode word boundary made its ASCII form.
fn ascii_word_boundaries(hir: regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Capture, Hir, HirKind, Look, Repetition};
    match hir.into_kind() {
        HirKind::Look(look) => Hir::look(match look {
            Look::WordUnicode => Look::WordAscii,
            Look::WordUnicodeNegate => Look::WordAsciiNegate,
            Look::WordStartUnicode => Look::WordStartAscii,
            Look::WordEndUnicode => Look::WordEndAscii,
            Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
            Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
            other => other,
        }),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(ascii_word_boundaries(*r.sub)),
            ..r
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            sub: Box::new(ascii_word_boundaries(*c.sub)),
            ..c
        }),
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(ascii_word_boundaries).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.into_iter().map(ascii_word_boundaries).collect())
        }
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(lit) => Hir::literal(lit.0),
        HirKind::Class(class) => Hir::class(class),
    }
}

fn search_regex_with(source: &str, unicode: bool) -> Result<regex_automata::meta::Regex, String> {
    use regex_automata::util::syntax;
    if !unicode && !source.is_ascii() {
        return Err("the pattern has characters outside ASCII".into());
    }
    search_regex_builder()
        .syntax(syntax::Config::new().unicode(unicode).utf8(unicode))
        .build(source)
        .map_err(|e| e.to_string())
}

/// The engines and limits of every search regex (see [`search_regex`]).
fn search_regex_builder() -> regex_automata::meta::Builder {
    use regex_automata::meta::{Config, Regex};
    use regex_automata::nfa::thompson::WhichCaptures;
    let mut builder = Regex::builder();
    builder.configure(
        Config::new()
            .backtrack(false)
            .onepass(false)
            .dfa(false)
            .auto_prefilter(false)
            .which_captures(WhichCaptures::Implicit)
            .hybrid_cache_capacity(REGEX_DFA_CACHE),
    );
    builder
}

/// Cache of a rubric regex's lazy DFA, per thread (forward and reverse
/// each). The cache only grows as the DFA meets new states, and it must hold
/// a minimum for the pattern, or the lazy DFA is not used at all and every
/// search runs the much slower PikeVM. The default (2 MiB) made a keyword
/// batch over the whole bank hold over 100 MB. At 16 KiB, 81 of the bank's
/// 324 rubric regexes (bounded repetitions of Unicode classes such as
/// `[^.]{0,60}`) were below their minimum; at 64 KiB, 11 are, and a keyword
/// batch took 26% fewer instructions per answer (callgrind) for about 10%
/// more peak RSS. 128 KiB was slower again: the largest patterns then build
/// DFA states faster than they reuse them. That was with the Unicode forms.
/// Now nearly every answer is searched with the small ASCII forms (ASCII
/// text, or a [`Shadow`]), where a full cache still made the lazy DFA give
/// up on patterns with bounded repetitions (`[^.;,]{0,30}`) and hand the
/// search to the PikeVM. At 256 KiB `cargo bench --bench grade_bank` takes
/// 7% fewer instructions per answer (PikeVM 4.1% -> 1.9% of them). The
/// memory is paid in long batches, where the caches of patterns with long
/// bounded repetitions (`.{0,120}?`, `.{0,200}`) fill up: `benches/run.sh`'s
/// 100,000 answers at `-j 2` peak at 95 MB, against 91 MB at 128 KiB, 88 MB
/// at 64 KiB and 83.5 MB at 32 KiB (62.5 MB with no rubric regex searched
/// at all).
pub const REGEX_DFA_CACHE: usize = 256 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_haystack_is_told_by_its_characters_outside_ascii() {
        assert_eq!(Haystack::of("plain text"), Haystack::Ascii);
        for text in [
            "a \u{2014} b",
            "\u{201c}GIL\u{201d}",
            "x\u{b2}",
            "a \u{2192} b",
        ] {
            assert_eq!(Haystack::of(text), Haystack::Symbols, "{text}");
        }
        for text in ["a\u{a0}b", "a\u{2003}\u{2014}"] {
            assert_eq!(Haystack::of(text), Haystack::NoWordOutsideAscii, "{text}");
        }
        for text in ["caf\u{e9}", "\u{3a9}(n)", "x\u{2014}\u{e9}", "\u{a0}\u{e9}"] {
            assert_eq!(Haystack::of(text), Haystack::Unicode, "{text}");
        }
    }

    #[test]
    fn a_shadow_maps_its_matches_back_to_the_text() {
        let text = "a \u{2014} b \u{201c}c\u{201d}";
        let shadow = Shadow::of(text);
        let re = search_regex_ascii(r"(?i)\bb\W+c\b").unwrap();
        let found: Vec<_> = shadow.find_iter(&re).collect();
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].clone()], "b \u{201c}c");
    }

    #[test]
    fn a_pattern_that_names_bytes_reads_no_shadow() {
        // `\xFF` is a byte to the ASCII form, the character ÿ to the Unicode
        // one: on a shadow it would match every symbol.
        assert!(!reads_shadows(r"[\x80-\xff]"));
        assert!(reads_shadows(r"\bthreads?\b"));
    }
}
