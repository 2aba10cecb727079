//! How the bank's patterns (rubric regexes, the grader's own injection
//! patterns) are searched in answers: each compiled lazily, in the form that
//! suits the text at hand, and every form finding exactly what the Unicode
//! regex finds.

use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use regex_automata::meta::Regex;
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};

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
    /// [`reads_word_shadows`] of the source.
    word_shadows: OnceLock<bool>,
}

impl SearchRegex {
    /// `source` as the engine takes it (see [`super::rubric_regex_source`]).
    pub fn new(source: String) -> Self {
        SearchRegex {
            source,
            ascii: OnceLock::new(),
            ascii_words: OnceLock::new(),
            unicode: OnceLock::new(),
            word_shadows: OnceLock::new(),
        }
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Where the pattern matches `text`, as byte ranges, given what the
    /// text holds outside ASCII ([`Haystack::of`]) and its [`Shadow`]
    /// ([`Haystack::shadow`]): a text of symbols, or of symbols and
    /// letters, is searched as its shadow with the ASCII form, which finds
    /// there what the Unicode form finds in the text (for the patterns that
    /// can read such a shadow: see [`reads_shadows`] and
    /// [`reads_word_shadows`]). No matches if the pattern does not compile
    /// (patterns are validated when the bank loads, so none should).
    pub fn matches(
        &self,
        text: &str,
        haystack: Haystack,
        shadow: Option<&Shadow>,
    ) -> Vec<Range<usize>> {
        let readable = match haystack {
            Haystack::Symbols => reads_shadows(&self.source),
            Haystack::Words => *self
                .word_shadows
                .get_or_init(|| reads_word_shadows(&self.source)),
            _ => false,
        };
        if readable
            && let Some(shadow) = shadow
            && let Some(re) = self.ascii()
        {
            return shadow.find_iter(re).collect();
        }
        let haystack = match haystack {
            Haystack::Symbols => Haystack::NoWordOutsideAscii,
            Haystack::Words => Haystack::Unicode,
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
            Haystack::Words | Haystack::Unicode => None,
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
    /// Outside ASCII letters too ("naïve", "José", "Ω"), but no digit, no
    /// letter that a case-insensitive ASCII letter matches (the long s, the
    /// Kelvin sign) and no space: [`search_regex_ascii`] over the text's
    /// [`Shadow`] for the patterns that can read it ([`reads_word_shadows`]),
    /// [`search_regex`] for the others.
    Words,
    /// Outside ASCII no word character, but some space (a no-break space):
    /// [`search_regex_ascii_words`].
    NoWordOutsideAscii,
    /// Any other word character outside ASCII (a digit, the long s), or a
    /// letter beside a space outside ASCII: [`search_regex`].
    Unicode,
}

impl Haystack {
    pub fn of(text: &str) -> Self {
        if text.is_ascii() {
            return Haystack::Ascii;
        }
        let (mut space, mut letter) = (false, false);
        for c in text.chars().filter(|c| !c.is_ascii()) {
            if regex_syntax::is_word_character(c) {
                if !shadowed_as_letter(c) {
                    return Haystack::Unicode;
                }
                letter = true;
            } else {
                space |= c.is_whitespace();
            }
        }
        match (letter, space) {
            (true, true) => Haystack::Unicode,
            (true, false) => Haystack::Words,
            (false, true) => Haystack::NoWordOutsideAscii,
            (false, false) => Haystack::Symbols,
        }
    }

    /// The [`Shadow`] a text of this kind is searched through, if any.
    pub fn shadow(self, text: &str) -> Option<Shadow> {
        matches!(self, Haystack::Symbols | Haystack::Words).then(|| Shadow::of(text))
    }
}

/// The characters outside ASCII that a case-insensitive pattern matches
/// for an ASCII letter: the long s for "s", the Kelvin sign for "k".
pub const ASCII_FOLDS: [char; 2] = ['\u{17F}', '\u{212A}'];

/// Whether a word character outside ASCII becomes `_` in a [`Shadow`]: not
/// a digit (`\d` matches some) nor an [`ASCII_FOLDS`] letter.
fn shadowed_as_letter(c: char) -> bool {
    !c.is_numeric() && !ASCII_FOLDS.contains(&c)
}

/// Every character that [`shadowed_as_letter`] takes.
static SHADOWED_LETTERS: LazyLock<ClassUnicode> = LazyLock::new(|| {
    let class = |pattern: &str| match regex_syntax::parse(pattern).map(Hir::into_kind) {
        Ok(HirKind::Class(Class::Unicode(c))) => c,
        other => unreachable!("{pattern} is a Unicode class: {other:?}"),
    };
    let mut letters = class(r"\w");
    letters.difference(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7F')]));
    letters.difference(&class(r"\pN"));
    for c in ASCII_FOLDS {
        letters.difference(&ClassUnicode::new([ClassUnicodeRange::new(c, c)]));
    }
    letters
});

/// Whether the ASCII form of a pattern finds in a [`Haystack::Words`]
/// text's [`Shadow`] what the Unicode form finds in the text. The shadow
/// has `_` for each letter outside ASCII, which is a word character to
/// `\w` and `\b` as the letter is, but the two differ wherever the pattern
/// names `_` (a literal `__init__`, a class `[a-z_]`), or a class holds
/// some such letters and not others (`[à-ÿ]`), or any without `_`, or the
/// pattern asks for an ASCII word boundary (`(?-u:\b)`). Patterns
/// that name bytes (`\xFF`) never read a shadow ([`reads_shadows`]).
pub fn reads_word_shadows(source: &str) -> bool {
    fn agrees(hir: &Hir) -> bool {
        match hir.kind() {
            HirKind::Empty => true,
            // An ASCII word boundary takes the letter for a non-word
            // character, and `_` for a word one.
            HirKind::Look(look) => !matches!(
                look,
                Look::WordAscii
                    | Look::WordAsciiNegate
                    | Look::WordStartAscii
                    | Look::WordEndAscii
                    | Look::WordStartHalfAscii
                    | Look::WordEndHalfAscii
            ),
            HirKind::Literal(lit) => !lit.0.contains(&b'_'),
            HirKind::Class(Class::Unicode(class)) => {
                let underscore = class
                    .ranges()
                    .iter()
                    .any(|r| r.start() <= '_' && '_' <= r.end());
                let mut held = class.clone();
                held.intersect(&SHADOWED_LETTERS);
                if held.ranges().is_empty() {
                    !underscore
                } else {
                    underscore && held == *SHADOWED_LETTERS
                }
            }
            HirKind::Class(Class::Bytes(_)) => false,
            HirKind::Repetition(r) => agrees(&r.sub),
            HirKind::Capture(c) => agrees(&c.sub),
            HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().all(agrees),
        }
    }
    reads_shadows(source)
        && regex_syntax::ParserBuilder::new()
            .unicode(true)
            .utf8(true)
            .build()
            .parse(source)
            .is_ok_and(|hir| agrees(&hir))
}

/// A text of [`Haystack::Symbols`] as the ASCII form of a regex
/// ([`search_regex_ascii`]) can read it: each character outside ASCII
/// becomes the one byte 0xFF. To that form the byte is what the symbol is
/// to the Unicode regex: one character, matched by `.`, `\W`, `\S`, `\D`
/// and negated classes, never by a literal, a word or space class or a
/// case fold, and no word character at a boundary. Only a pattern that
/// names a byte outside ASCII itself (`\xFF`) could tell them apart, and
/// such a pattern is not searched this way (see [`reads_shadows`]). In a
/// text of [`Haystack::Words`] each letter outside ASCII becomes `_`, a
/// word character to the ASCII form as the letter is to the Unicode one
/// (see [`reads_word_shadows`] for the patterns that can tell them apart).
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
            bytes.push(if c.is_ascii() {
                c as u8
            } else if regex_syntax::is_word_character(c) {
                b'_'
            } else {
                0xFF
            });
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
/// 100,000 answers at `-j 2` peaked at 95 MB, against 91 MB at 128 KiB, 88
/// MB at 64 KiB and 83.5 MB at 32 KiB (62.5 MB with no rubric regex
/// searched at all). Once the vocabularies shrank, the caches were the
/// largest part of a batch's heap (11 of 33 MB after 5,000 answers, `-j
/// 1`), and the instructions saved did not show in time: 64 KiB against
/// 256 KiB, in one session, ran `benches/run.sh` (100,000 answers, 3 runs)
/// at 1.02 of the speed with `-j 1` and 0.97 with `-j 2`, and `cargo bench
/// --bench grade_bank` at 4,840 and 5,310 answers/s against 5,101 (noise),
/// while peak RSS at `-j 2` fell from 83.7 to 72.9 MiB.
pub const REGEX_DFA_CACHE: usize = 64 * 1024;

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
        for text in [
            "caf\u{e9}",
            "\u{3a9}(n)",
            "x\u{2014}\u{e9}",
            "Jos\u{e9} \u{201c}x\u{201d}",
        ] {
            assert_eq!(Haystack::of(text), Haystack::Words, "{text}");
            assert!(Haystack::of(text).shadow(text).is_some());
        }
        // A letter beside a space outside ASCII, a digit outside ASCII, a
        // letter that an ASCII letter matches when case is ignored.
        for text in ["\u{a0}\u{e9}", "x \u{663}", "\u{17F}et", "\u{212A}eep"] {
            assert_eq!(Haystack::of(text), Haystack::Unicode, "{text}");
            assert!(Haystack::of(text).shadow(text).is_none());
        }
    }

    #[test]
    fn a_word_shadow_has_an_underscore_for_each_letter() {
        let text = "na\u{ef}ve \u{2014} caf\u{e9}";
        let shadow = Shadow::of(text);
        assert_eq!(shadow.bytes, b"na_ve \xFF caf_");
        let re = search_regex_ascii(r"(?i)\bna\wve\W+\w+").unwrap();
        let found: Vec<_> = shadow.find_iter(&re).collect();
        assert_eq!(found, vec![0..text.len()]);
    }

    /// Patterns that name `_`, or hold some letters outside ASCII in a
    /// class, find what the Unicode regex finds in a text with letters
    /// outside ASCII beside underscores: through the Unicode form.
    #[test]
    fn a_text_with_letters_is_searched_as_the_unicode_regex_searches_it() {
        let texts = [
            "caf\u{e9}__init__ na\u{ef}ve \u{e9}_x \u{2014} _\u{3a9}_",
            "self._na\u{ef}ve = x; \u{e0}\u{ff}\u{e9} [\u{e9}]",
        ];
        let patterns = [
            r"[a-z_]+",
            r"(?i)__\w+__",
            r"(?i)_\w",
            r"[^_\s]+",
            r"[\u{e0}-\u{ef}]+",
            r"[!-~]+",
            r"(?i)\bna\wve\b",
            r"\w+",
            r".{0,3}\b",
            r"(?i)self\._\w+",
            r"(?-u:\b)ve\b",
            r"(?-u:\w)+",
        ];
        for text in texts {
            let haystack = Haystack::of(text);
            assert_eq!(haystack, Haystack::Words, "{text}");
            let shadow = haystack.shadow(text);
            for pattern in patterns {
                let full = search_regex(pattern).unwrap();
                let want: Vec<_> = full.find_iter(text).map(|m| m.range()).collect();
                let got = SearchRegex::new(pattern.into()).matches(text, haystack, shadow.as_ref());
                assert_eq!(got, want, "{pattern} on {text}");
            }
        }
    }

    #[test]
    fn only_patterns_that_treat_underscore_as_any_letter_read_word_shadows() {
        for source in [
            r"(?i)\bthreads?\b",
            r"\w+",
            r"(?i)\bvalue\s?error\b.{0,120}?\btype",
            r"[^.;,]{0,30}",
            r"\d+\W",
            r"(?i)[a-z]+",
        ] {
            assert!(reads_word_shadows(source), "{source}");
        }
        for source in [
            r"__init__",
            r"(?i)self\._\w+",
            r"[a-z_]+",
            r"[^_]",
            r"[\u{e0}-\u{ff}]",
            r"[\x80-\xff]",
            r"\pL",
            r"[!-~]",
            r"(?-u:\b)ve\b",
            r"(?-u:\w)+",
        ] {
            assert!(!reads_word_shadows(source), "{source}");
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
