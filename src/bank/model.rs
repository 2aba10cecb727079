//! The bank's validated, in-memory types.
//!
//! These are what graders and reports work with. They are built only by
//! [`crate::bank::load`], which checks every invariant documented here, so the
//! rest of the program can rely on them without re-checking.

use regex::Regex;
use serde::{Deserialize, Serialize};

/// A rubric regex's source as compiled: case-insensitive unless the author
/// sets flags of their own.
pub fn rubric_regex_source(pattern: &str) -> std::borrow::Cow<'_, str> {
    if pattern.starts_with("(?") {
        pattern.into()
    } else {
        format!("(?i){pattern}").into()
    }
}

/// Compiles a rubric regex: case-insensitive unless the author says otherwise.
pub fn compile_regex(pattern: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(&rubric_regex_source(pattern))
        .dfa_size_limit(REGEX_DFA_CACHE)
        .build()
}

/// A regex built for finding where it matches and nothing more: the same
/// matches as [`compile_regex`] gives for the same source, without the
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
/// 7% fewer instructions per answer (PikeVM 4.1% -> 1.9% of them), and a
/// 20,000-answer batch at `-j 2` peaks at 86.8 MB, against 85.3 MB with 64
/// KiB and Unicode forms for answers with symbols: a cache grows only as
/// far as its pattern needs.
pub const REGEX_DFA_CACHE: usize = 256 * 1024;

/// How senior a question is; used to filter the bank and to pick practice questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Junior,
    Middle,
    Senior,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Junior => "junior",
            Level::Middle => "middle",
            Level::Senior => "senior",
        }
    }
}

impl std::str::FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "junior" => Ok(Level::Junior),
            "middle" => Ok(Level::Middle),
            "senior" => Ok(Level::Senior),
            other => Err(format!(
                "unknown level `{other}` (expected junior, middle or senior)"
            )),
        }
    }
}

/// Where a question comes from: the seed document and its own wording, kept so
/// that every question can be traced back and seed coverage can be checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// File name of the seed document.
    pub seed: String,
    /// The seed's short heading for the question, where it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The seed's wording, verbatim.
    pub text: String,
}

/// One interview question.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Question {
    /// Stable kebab-case id used on the command line and in journals.
    pub id: String,
    /// The question as an interviewer asks it.
    pub text: String,
    pub topic: String,
    pub level: Level,
    pub sources: Vec<Source>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Ids of the questions an interviewer asks next to go deeper on the
    /// same topic, most natural first (`follow_ups` in the question file).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<String>,
}

/// The keyword grader's rules for recognising a key point or misconception.
///
/// A rule set is met in full when, within one sentence (or two adjacent ones),
/// every group has one of its phrases present and not negated, or when any of
/// the regexes matches. Matching `half` groups earns half credit. With
/// `need`, that many groups earn full credit and fewer earn their share.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MatchRules {
    pub groups: Vec<Vec<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regex: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub half: Option<usize>,
    /// Groups that earn full credit when fewer than all are required (rules
    /// derived from a point's text, where the words of a reference sentence
    /// are many ways of saying one thing); fewer groups earn `met / need`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub need: Option<usize>,
    /// The statement is itself negative ("the base case is not reached"):
    /// a negation before its words in an answer says the same thing, so it
    /// does not deny them.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub negative: bool,
    /// By group, for rules derived from a text: whether an answer that
    /// negates the group's word outright says the opposite of the text.
    /// True for the words the text states, false for those it negates
    /// itself and for the negation. Empty for an author's rules.
    #[serde(skip)]
    pub deniable: Vec<bool>,
}

impl MatchRules {
    /// Number of groups that earns half credit, if half credit is possible.
    ///
    /// By default only rules with three or more groups give half credit (for
    /// all but one group): with fewer, a single matched word would be enough,
    /// and an answer that merely names the topic would score.
    pub fn half_threshold(&self) -> Option<usize> {
        match self.half {
            Some(h) => Some(h),
            None if self.need.is_none() && self.groups.len() >= 3 => Some(self.groups.len() - 1),
            None => None,
        }
    }
}

/// One thing a strong answer says, with its share of the score.
#[derive(Debug, Clone, Serialize)]
pub struct KeyPoint {
    pub id: String,
    pub weight: f64,
    /// The point as a reviewer would state it.
    pub text: String,
    /// What to tell a candidate who missed the point; defaults to the statement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
    #[serde(rename = "match")]
    pub rules: MatchRules,
    /// Statements that deny the point: a unit that states one earns nothing
    /// for the point, and the report shows it as a correction.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contradicts: Vec<MatchRules>,
    /// How far apart the point's groups may be found.
    #[serde(skip_serializing_if = "Scope::is_default")]
    pub scope: Scope,
    /// The point gave only its text, so its rules were derived from the text
    /// (see `bank::derive`); reports say so, since such rules match words of
    /// the statement rather than phrasings an author chose.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    /// The follow-up question that probes this point when an answer misses
    /// it (`leads_to` in the rubric): practice asks it before the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leads_to: Option<String>,
}

/// The stretch of an answer within which every group of a point must match.
///
/// A point is a statement, so by default its parts must be said together, in
/// one sentence; two sentences joined only because they are adjacent would
/// let unrelated claims add up to a point nobody made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// One sentence (or one window of an unpunctuated transcript).
    #[default]
    Sentence,
    /// One sentence or two adjacent ones, for points whose parts are
    /// naturally said in two steps ("X happens. That is why Y.").
    Pair,
}

impl Scope {
    fn is_default(&self) -> bool {
        *self == Scope::Sentence
    }
}

impl KeyPoint {
    pub fn advice(&self) -> &str {
        self.feedback.as_deref().unwrap_or(&self.text)
    }
}

/// A common wrong belief; stating it costs `penalty` of the total score.
#[derive(Debug, Clone, Serialize)]
pub struct Misconception {
    pub id: String,
    /// Fraction of the whole score (0–1] subtracted when the belief is stated.
    pub penalty: f64,
    pub text: String,
    /// The correct view, shown to the candidate.
    pub correction: String,
    #[serde(rename = "match")]
    pub rules: MatchRules,
    /// True statements close to the belief that must not set it off;
    /// `rubric test` checks each one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_examples: Vec<String>,
}

/// An answer the rubric must grade into a known score range; `rubric test`
/// checks them so that rubric edits cannot silently change grading.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// strong, partial, weak, transcript, or any other word the author picks.
    pub label: String,
    /// Inclusive range of the expected total fraction.
    pub score: (f64, f64),
    pub text: String,
    /// Line in the rubric file where the example starts, for error messages.
    #[serde(skip)]
    pub line: usize,
}

/// The grading scheme of one question.
#[derive(Debug, Clone, Serialize)]
pub struct Rubric {
    pub question: String,
    pub points: Vec<KeyPoint>,
    pub misconceptions: Vec<Misconception>,
    pub examples: Vec<Example>,
    /// Weight that earns full marks, when less than the sum of the weights:
    /// "any three of these five points" in a mark scheme.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_marks: Option<f64>,
    /// The things a comparison question sets against each other ("CPU-bound"
    /// and "I/O-bound"), each as phrases naming it. A point whose text names
    /// one side is not earned by a sentence that says its words of another
    /// side ("CPU-bound work waits on the network"); see `docs/grading.md`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sides: Vec<Vec<String>>,
    /// Path of the rubric file relative to the bank root.
    #[serde(skip)]
    pub file: String,
    /// The bank's equivalences, applied when the rubric's phrases compile.
    #[serde(skip)]
    pub lexicon: std::sync::Arc<super::Lexicon>,
}

impl Rubric {
    pub fn total_weight(&self) -> f64 {
        self.points.iter().map(|p| p.weight).sum()
    }

    /// The weight an answer must earn for a full score.
    pub fn full_weight(&self) -> f64 {
        let total = self.total_weight();
        self.full_marks.map_or(total, |f| f.min(total))
    }
}
