//! Units of meaning: the sentences (or windows of unpunctuated speech) an
//! answer is read in, and what kind of statement each one is.
//!
//! A point is earned by a statement, not by words. So each unit records
//! whether it is a list of terms rather than a statement (no credit), how
//! many clauses it has (one clause makes at most one point, so a sentence
//! stuffed with rubric words cannot collect several), and matching code asks
//! here whether a belief is held or only reported ("people assume X, but").

use crate::text::WordSet;
use std::ops::Range;

use crate::text::{self, Analysis, Kind};

/// Sentences longer than this many matchable words are read in windows, so
/// that an unpunctuated transcript is not one giant "sentence".
const LONG_SENTENCE: usize = 40;
const WINDOW: usize = 30;
const WINDOW_STRIDE: usize = 15;
/// A sentence of at least this many matchable words with no comma, colon,
/// semicolon or dash inside is speech run together ("the gil is a lock only
/// one thread runs at a time it keeps the counts safe when a thread waits on
/// the network it lets go"): written prose that long has clause marks.
const RUN_ON_WORDS: usize = 20;
/// A fragment of at most this many content words with no function word is a
/// term ("reference counting"), not a statement.
const TERM_WORDS: usize = 3;
/// A fragment of at most this many words without an auxiliary or a subject
/// pronoun is a phrase, not a clause.
const SHORT_PHRASE_WORDS: usize = 3;
/// Share of a unit's fragments that must be terms for it to be a list.
const LIST_SHARE: f64 = 0.75;
/// From this many fragments on, a smaller share of terms makes a list.
const LONG_LIST: usize = 6;
const LONG_LIST_SHARE: f64 = 0.6;
/// Clauses of their own ([`Fragment::is_framing_clause`]) that make a long
/// run of fragments speech rather than a list: "and fail fast when retrying
/// can't help or makes it worse, so deterministic errors like four hundred,
/// four oh one, validation errors, bad credentials, misconfiguration, you
/// know, crash at startup if settings are missing rather than limping
/// along" is how an expert talks, and bare lists have no clause at all.
const LONG_LIST_CLAUSES: usize = 2;
/// An unpunctuated run of at least this many content words without a single
/// function word is a list said aloud ("gil mutex refcount bytecode io").
const SPOKEN_LIST_WORDS: usize = 6;
/// A run of speech (see `Unit::run_on`) may have one function word per
/// this many content words and still be a list said aloud: terms recited
/// without commas carry a few ("expected an indented block", "mixed tabs
/// and spaces"), where speech has nearly one function word per content
/// word.
const SPOKEN_LIST_CONTENT_PER_FUNCTION: usize = 8;

/// Content words a sentence needs for each point it makes beyond the first.
const WORDS_PER_POINT: usize = 6;

/// A unit touching the words of at least this many points may be dense...
const DENSE_POINTS: usize = 3;
/// ...when it has fewer than this many content words per point touched.
const DENSE_WORDS_PER_POINT: usize = 3;

/// Words that start a new clause: each clause may earn its own point.
static CLAUSE_WORDS: WordSet = WordSet::new(&[
    "and",
    "but",
    "because",
    "so",
    "which",
    "while",
    "whereas",
    "since",
    "although",
    "though",
    "when",
    "where",
    "if",
    "then",
    "or",
    "that",
    "unless",
    "until",
    "otherwise",
]);

/// Whether a word starts a new clause (see [`CLAUSE_WORDS`]).
pub(super) fn starts_clause(word: &str) -> bool {
    CLAUSE_WORDS.contains(word)
}

/// Words that report a belief rather than hold it ("people assume X").
static REPORTING_CUES: WordSet = WordSet::new(&[
    "assume",
    "assumes",
    "assumed",
    "assuming",
    "assumption",
    "think",
    "thinks",
    "thought",
    "believe",
    "believes",
    "believed",
    "belief",
    "expect",
    "expects",
    "expected",
    "misconception",
    "misconceptions",
    "mistake",
    "mistaken",
    "mistakenly",
    "myth",
    "misunderstanding",
    "wrongly",
    "incorrectly",
    "naively",
    "naive",
    "seems",
    "seem",
    "appears",
    "surprise",
    "surprising",
    "surprisingly",
    "trap",
    "gotcha",
    "claim",
    "claims",
    "say",
    "says",
    "saying",
    "confusion",
    "tempting",
    "intuition",
    "intuitively",
    "imagine",
    "imagines",
]);

/// Nouns that report what follows only as a kind of fault ("a common bug
/// is you only check the root", "the classic error is to catch
/// everything"), not alone: "the bug is that the list is created once"
/// states the cause.
static FAULTS: WordSet = WordSet::new(&["bug", "bugs", "error", "errors"]);

/// What makes a [`FAULTS`] word a kind of fault.
static FAULT_KINDS: WordSet = WordSet::new(&["common", "classic", "typical", "frequent", "usual"]);

/// Cues that report what follows and deny it, whoever says them: "I disagree
/// that it is easy to master" holds the opposite, where "I think" holds
/// the belief. Not "doubt": "there is no doubt that" holds it.
static DENYING_CUES: WordSet = WordSet::new(&["disagree", "disagrees", "disagreed"]);

/// Words that deny the clause their "that" opens, whoever says them: "it
/// is false that tuples cannot be dict keys", "the idea that constructors
/// cannot take arguments is wrong". `true` and `case` only after a negation
/// ("it is not true that", "it is not the case that").
static DENYING_FRAMES: WordSet = WordSet::new(&[
    "false",
    "untrue",
    "incorrect",
    "wrong",
    "idea",
    "notion",
    "true",
    "case",
]);

/// Verdicts that call the claim before them false: "every thread has its
/// own GIL is wrong", "k8s secrets are always encrypted is a myth".
static FALSE_VERDICTS: WordSet = WordSet::new(&[
    "wrong",
    "false",
    "untrue",
    "incorrect",
    "myth",
    "misconception",
    "backwards",
    "mistaken",
]);

/// Words that may stand between a claim, its copula and a verdict on it:
/// "is just a myth", "is simply wrong", "is a common misconception".
static VERDICT_FILLERS: WordSet = WordSet::new(&[
    "just", "simply", "actually", "really", "plainly", "a", "an", "the", "common", "classic",
    "total", "complete",
]);

/// Whether the claim ending at `last` is judged false right after it: a
/// copula, then (after fillers) a [`FALSE_VERDICTS`] word, with no clause
/// break between; or, outside speech run together, denied by a "nothing"
/// right after it.
pub(super) fn judged_false_after(analysis: &Analysis, last: usize) -> bool {
    let tokens = &analysis.tokens;
    let Some(t) = tokens.get(last) else {
        return false;
    };
    let mut rest = tokens[last + 1..]
        .iter()
        .take_while(|c| c.sentence == t.sentence && !c.clause_break);
    match rest.next().map(|c| c.norm.as_str()) {
        // "Pylint reformats nothing": the claim's verb done to nothing. In
        // speech run together "nothing" may open the next claim instead
        // ("no need to read release notes nothing has been removed").
        Some("nothing") => return sentence_words(tokens, t.sentence) <= LONG_SENTENCE,
        Some("is" | "are" | "was" | "were") => {}
        _ => return false,
    }
    rest.take(4)
        .find(|c| !VERDICT_FILLERS.contains(c.norm.as_str()))
        .is_some_and(|c| FALSE_VERDICTS.contains(c.norm.as_str()))
}

/// How many tokens the sentence has.
fn sentence_words(tokens: &[crate::text::Token], sentence: usize) -> usize {
    tokens.partition_point(|c| c.sentence <= sentence)
        - tokens.partition_point(|c| c.sentence < sentence)
}

/// Whether the token at `j` opens a denial frame (see [`DENYING_FRAMES`]):
/// the word is followed by "that" in its clause, and `true` or `case` come
/// within three words after a negation.
fn denial_frame(tokens: &[crate::text::Token], j: usize) -> bool {
    let c = &tokens[j];
    if !DENYING_FRAMES.contains(c.norm.as_str()) {
        return false;
    }
    let that = tokens
        .get(j + 1)
        .is_some_and(|n| n.norm == "that" && n.sentence == c.sentence && !n.clause_break);
    if !that {
        return false;
    }
    if matches!(c.norm.as_str(), "true" | "case") {
        return tokens[j.saturating_sub(3)..j]
            .iter()
            .any(|b| b.sentence == c.sentence && b.kind == Kind::Negator);
    }
    true
}

/// A run of stream positions read as one unit of meaning.
#[derive(Debug, Clone)]
pub(super) struct Unit {
    pub stream: Range<usize>,
    /// A window cut from a long sentence rather than whole sentences.
    pub window: bool,
    /// Speech without punctuation (a window, or a long sentence with no
    /// comma or other clause mark): its claims are read in short windows,
    /// since nothing marks where one ends.
    pub run_on: bool,
    /// Byte range quoted as evidence.
    pub bytes: Range<usize>,
    /// The first and last single units this one is made of: itself, two
    /// neighbours, a lead and a later sentence (with a `hole` between), or a
    /// list's lead and its last item (see [`Unit::members`]).
    pub parts: [usize; 2],
    /// A list of terms rather than a statement.
    pub list: bool,
    /// For a list led by a statement ("CPU-bound work spends its time
    /// executing instructions: parsing, compression, numeric loops"): the
    /// stream end of that statement, which still counts as one.
    pub lead: Option<usize>,
    /// For a list whose lead is the sentence before it (speech ends the
    /// lead with a full stop where writing puts a colon: "use data only
    /// formats. json, messagepack, protocol buffers, avro"): that single
    /// unit.
    pub led_by: Option<usize>,
    /// How many points the unit may earn: its clauses, fewer when it has
    /// too few words for each to make an authored point.
    pub capacity: usize,
    /// Its clauses: how many derived points it may earn, since those are
    /// made of a reference clause's words and need only a share of them.
    pub clauses: usize,
    /// Content words (not stopwords, not function words).
    pub content: usize,
    /// A list with a clause of its own among its items, which frames it as
    /// a statement: it earns half credit instead of none, or full credit
    /// for a point the clause itself states (see `framing`). Only single
    /// units are framed; a pair never is.
    pub framed: bool,
    /// The stream ranges of a framed list's clauses ("unit testing checks
    /// the smallest testable piece" in "..., a function, a method, a class,
    /// in isolation"). Empty for every other unit.
    pub framing: Vec<Range<usize>>,
    /// A pair whose first sentence ends with a colon: it introduces the
    /// second ("move the call off the loop thread:" and then the code that
    /// does it), so the two are read as one sentence. Also a list's lead
    /// with each sentence of its items, and an item's first sentence with
    /// its later ones (see [`list_leads`]), and a sentence with the next
    /// when that one opens by referring back to it ("... like calling
    /// requests inside a coroutine. Those stop the whole loop": see
    /// [`ANAPHORA`]) or draws a consequence from it ("So I'd use
    /// multiprocessing": see [`CONSEQUENCES`]), and a bold lead-in with
    /// the sentence after it ("**Generators.** Produce values lazily": see
    /// [`bold_lead`]).
    pub introduces: bool,
    /// Stream positions inside `stream` that are not part of the unit: the
    /// sentences between a list's lead (or an item's first sentence) and
    /// the sentence it is paired with (see [`list_leads`]). Empty for every
    /// other unit.
    pub hole: Range<usize>,
}

impl Unit {
    /// Whether the unit's text ends in a colon: it introduces what follows.
    fn ends_in_colon(&self, text: &str) -> bool {
        text[self.bytes.clone()].trim_end().ends_with(':')
    }

    /// Whether this is a list's lead with all its items, more than a pair.
    pub fn is_block(&self) -> bool {
        self.hole.is_empty() && self.parts[1] > self.parts[0] + 1
    }

    /// The unit made of the singles from `parts[0]` to `parts[1]`: all of
    /// them if `through`, otherwise only those two, the sentences between
    /// left as its `hole`.
    fn joined(singles: &[Unit], parts: [usize; 2], through: bool, introduces: bool) -> Unit {
        let [first, last] = parts;
        let (first_unit, last_unit) = (&singles[first], &singles[last]);
        let members = || {
            (first..=last)
                .filter(move |&s| through || s == first || s == last)
                .map(|s| &singles[s])
        };
        Unit {
            stream: first_unit.stream.start..last_unit.stream.end,
            window: members().any(|u| u.window),
            run_on: members().any(|u| u.run_on),
            bytes: first_unit.bytes.start..last_unit.bytes.end,
            parts,
            list: members().any(|u| u.list),
            lead: None,
            led_by: None,
            capacity: members().map(|u| u.capacity).sum(),
            clauses: members().map(|u| u.clauses).sum(),
            content: members().map(|u| u.content).sum(),
            framed: false,
            framing: Vec::new(),
            introduces,
            hole: if through {
                0..0
            } else {
                first_unit.stream.end..last_unit.stream.start
            },
        }
    }

    /// The single units this one is made of: itself, a pair of neighbours,
    /// a lead with one later sentence (the sentences between are not part
    /// of it), or a list's lead with all its items.
    pub fn members(&self) -> impl Iterator<Item = usize> + '_ {
        let [first, last] = self.parts;
        let through = self.hole.is_empty();
        (first..=last).filter(move |&s| through || s == first || s == last)
    }
}

/// Auxiliaries and subject pronouns: a fragment with one of these is a
/// clause ("it is fast"), however short.
static PREDICATE_WORDS: WordSet = WordSet::new(&[
    "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "has", "have",
    "had", "can", "could", "will", "would", "shall", "should", "may", "might", "must", "i", "we",
    "you", "he", "she", "they", "it",
]);

/// A clause-level fragment: its content words, its words in all,
/// its function words, and whether it has a predicate word.
#[derive(Debug, Default)]
struct Fragment {
    content: usize,
    words: usize,
    /// How many function words (stopwords, negators) it has.
    functions: usize,
    predicate: bool,
    /// The fragment's first token.
    start: usize,
    /// One past the last token of the fragment.
    end: usize,
    /// The fragment introduces what follows: it ends in a colon or in
    /// "such as", "like", "including", "e.g.", or the next one opens with
    /// "so" (speech opens an enumeration with it where writing has a
    /// colon: "anything that needs the end, so list, tuple, sum").
    introduces: bool,
    /// It opens with a preposition ("with actionable messages", "for
    /// errors"): a modifier of the statement around it, not an item of a
    /// list of terms.
    prepositional: bool,
    /// It opens with a subject pronoun and an auxiliary ("it's just a
    /// second name for the same object"): a sentence of its own.
    subject_first: bool,
    /// Its first word is a subject pronoun (while reading its second).
    pronoun_first: bool,
    /// It opens with "then": a step of a sequence ("f2, then f1, then
    /// f3"), which says in what order, not an item of a list of terms.
    step: bool,
    /// It opens with a pronoun that can take up the items before it
    /// ("they", "those", "these"; see [`closing_statement`]).
    resumes: bool,
}

/// Prepositions that open a modifier rather than a list item.
static OPENING_PREPOSITIONS: WordSet = WordSet::new(&[
    "with", "for", "by", "from", "in", "on", "at", "via", "without", "into", "to", "of", "through",
    "during", "after", "before", "under", "over", "across", "within", "between", "against", "per",
]);

/// Last words of a fragment that introduce an enumeration.
const INTRODUCING_WORDS: &[&str] = &["as", "like", "including", "eg", "e.g", "example"];

/// Content words a clause among a list's items needs to frame the list as
/// a statement ("Get a reproducible benchmark with realistic input, then
/// profile: cProfile, py-spy, line_profiler"). With 3 or 4, items of bare
/// lists ("evaluation order left to right") passed for clauses: bare lists
/// of held-out sets 2-5 rose to 0.02-0.17; with 5, one of 330 rose.
const FRAMING_WORDS: usize = 5;

/// Content words a clause that opens with its subject and an auxiliary
/// needs to frame a list: "plain assignment, b equals a, copies nothing,
/// it's just a second name for the same object" is speech with commas,
/// not a list. Bare lists have no such clause.
const SUBJECT_FRAMING_WORDS: usize = 3;

/// Subject pronouns that open a sentence of their own.
const SUBJECT_PRONOUNS: &[&str] = &["i", "we", "you", "he", "she", "they", "it"];

impl Fragment {
    /// A clause long enough to make a statement of the list it sits in
    /// (see [`FRAMING_WORDS`]).
    /// Whether the fragment says enough to lead an enumeration, before a
    /// colon or before a full stop ([`LEAD_WORDS`] content words, with a
    /// predicate or a function word).
    fn says_enough_to_lead(&self) -> bool {
        self.content >= LEAD_WORDS && (self.predicate || self.functions > 0)
    }

    fn is_framing_clause(&self) -> bool {
        !self.is_term()
            && ((self.content >= FRAMING_WORDS && (self.predicate || self.functions > 0))
                || (self.subject_first && self.content >= SUBJECT_FRAMING_WORDS))
    }

    /// A bare term ("reference counting") or a short noun phrase ("from the
    /// user", "rather than returning"), not a clause.
    fn is_term(&self) -> bool {
        !self.step
            && self.content > 0
            && ((self.content <= TERM_WORDS && self.functions == 0)
                || (self.words <= SHORT_PHRASE_WORDS && !self.predicate))
    }
}

/// Splits a single unit's tokens into fragments at punctuation breaks; and
/// counts clauses, which also start at clause words ("and", "because").
fn fragments(
    text: &str,
    analysis: &Analysis,
    tokens: Range<usize>,
    code: &[Range<usize>],
) -> (Vec<Fragment>, [usize; 2], usize) {
    let mut frags: Vec<Fragment> = vec![Fragment {
        start: tokens.start,
        ..Fragment::default()
    }];
    let mut clauses = 0;
    let mut clause_has_content = false;
    let all = &analysis.tokens;
    // Punctuation inside brackets is code or an aside
    // (`{k: v for k, v in d.items()}`), not a list; so is punctuation in
    // an inline code span (`lazy="raise"`).
    let span = all[tokens.start].span.start..all[tokens.end - 1].span.end;
    let bracketed = bracketed(text, span);
    for (k, t) in all[tokens.clone()].iter().enumerate() {
        // Punctuation between words, not a hyphen inside a compound
        // ("CPU-bound", "pydantic-settings") or a dotted name.
        let punctuated = k > 0 && t.clause_break && {
            let gap_start = all[tokens.start + k - 1].span.end;
            let gap = text.get(gap_start..t.span.start).unwrap_or("");
            let inside = |at: usize| {
                let at = gap_start + at;
                bracketed.iter().chain(code).any(|b| b.contains(&at))
            };
            gap.char_indices().any(|(at, c)| {
                matches!(c, ',' | ';' | ':' | '\u{2014}' | '\u{2013}' | '"' | '\n') && !inside(at)
            }) || gap.find(" - ").is_some_and(|at| !inside(at))
        };
        if punctuated {
            let gap = text
                .get(all[tokens.start + k - 1].span.end..t.span.start)
                .unwrap_or("");
            let prev = &all[tokens.start + k - 1];
            // ", such as X, Y": the enumeration may also open the next fragment.
            let next = all
                .get(tokens.start + k + 1)
                .map_or("", |n| n.norm.as_str());
            let opens = matches!(
                (t.norm.as_str(), next),
                ("such", "as")
                    | ("like" | "including" | "eg" | "e.g" | "so", _)
                    | ("for", "example")
            );
            if let Some(f) = frags.last_mut() {
                f.introduces =
                    gap.contains(':') || INTRODUCING_WORDS.contains(&prev.norm.as_str()) || opens;
            }
            frags.push(Fragment {
                start: tokens.start + k,
                ..Fragment::default()
            });
        }
        let starts_clause = punctuated || CLAUSE_WORDS.contains(t.norm.as_str());
        if starts_clause && clause_has_content {
            clauses += 1;
            clause_has_content = false;
        }
        let frag = frags.last_mut().expect("one fragment at least");
        if frag.words == 0 && t.kind != Kind::Filler {
            frag.prepositional = OPENING_PREPOSITIONS.contains(t.norm.as_str());
            frag.step = t.norm == "then";
            frag.resumes = RESUMPTIVE.contains(&t.norm.as_str());
            frag.pronoun_first = SUBJECT_PRONOUNS.contains(&t.norm.as_str());
            // "it's", "they're", "we'll": the auxiliary is in the word.
            frag.subject_first = frag.pronoun_first
                && text
                    .get(t.span.clone())
                    .is_some_and(|w| w.contains(['\'', '\u{2019}']));
        } else if frag.words == 1 && t.kind != Kind::Filler && !frag.subject_first {
            frag.subject_first = frag.pronoun_first
                && PREDICATE_WORDS.contains(t.norm.as_str())
                && !SUBJECT_PRONOUNS.contains(&t.norm.as_str());
        }
        frag.end = tokens.start + k + 1;
        if t.kind != Kind::Filler {
            frag.words += 1;
        }
        if t.kind == Kind::Stop && PREDICATE_WORDS.contains(t.norm.as_str()) {
            frag.predicate = true;
        }
        match t.kind {
            Kind::Word if !text::is_function_word(&t.norm) => {
                frag.content += 1;
                clause_has_content = true;
            }
            Kind::Filler => {}
            _ => frag.functions += 1,
        }
    }
    if clause_has_content {
        clauses += 1;
    }
    frags.retain(|f| f.content > 0);
    // A clause that makes a point needs words of its own: a short sentence
    // with many clause words is still one claim's worth of words.
    let content: usize = frags.iter().map(|f| f.content).sum();
    let capacity = clauses.min(content / WORDS_PER_POINT).max(1);
    (frags, [capacity, clauses.max(1)], content)
}

/// Byte ranges of `text[span]` inside brackets that close again within
/// it (outermost pairs only). An unclosed bracket shields nothing: a list
/// must not hide behind a stray "{".
pub(super) fn bracketed(text: &str, span: Range<usize>) -> Vec<Range<usize>> {
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut out: Vec<Range<usize>> = Vec::new();
    let Some(part) = text.get(span.clone()) else {
        return out;
    };
    for (at, c) in part.char_indices() {
        let closes = match c {
            '(' | '[' | '{' => {
                open.push((c, span.start + at));
                continue;
            }
            ')' => '(',
            ']' => '[',
            '}' => '{',
            _ => continue,
        };
        // A closer that matches no opener is left alone.
        if let Some(k) = open.iter().rposition(|&(o, _)| o == closes) {
            let start = open[k].1;
            open.truncate(k);
            if open.is_empty() {
                out.push(start..span.start + at);
            }
        }
    }
    out
}

/// Byte ranges inside the answer's inline code spans (between a pair of
/// backticks on one line), found once per answer. Backticks pair from the
/// start of each line, since a sentence may start inside a span after its
/// first backtick; a backtick without its pair shields nothing.
fn code_spans(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if !text.contains('`') {
        return out;
    }
    let mut line_start = 0;
    for line in text.split('\n') {
        let mut ticks = line.match_indices('`').map(|(at, _)| line_start + at);
        while let (Some(open), Some(close)) = (ticks.next(), ticks.next()) {
            out.push(open + 1..close);
        }
        line_start += line.len() + 1;
    }
    out
}

/// Content words a named thing may have ("member function prototypes"): more
/// is a clause ("divide a problem into smaller subproblems"), not a name.
const NAME_WORDS: usize = 3;

/// Whether a key point's text names things rather than stating a claim:
/// two or more noun phrases ("Private and public.", "Function members and
/// data members.") joined by commas, "and" or "or", none with a predicate
/// word. Naming them is then the answer, so a list of terms may earn it.
/// Returns the text's content words when it does.
pub(super) fn names_things(text: &str) -> Option<usize> {
    let analysis = text::analyse(text);
    let mut names = 0;
    let mut content = 0;
    let mut total = 0;
    for (i, t) in analysis.tokens.iter().enumerate() {
        let joins = matches!(t.norm.as_str(), "and" | "or");
        let punctuated = i > 0
            && t.clause_break
            && text
                .get(analysis.tokens[i - 1].span.end..t.span.start)
                .is_some_and(|gap| gap.contains([',', ';']));
        if joins || punctuated {
            if content > 0 {
                names += 1;
            }
            content = 0;
        }
        if t.kind == Kind::Stop && PREDICATE_WORDS.contains(t.norm.as_str()) {
            return None;
        }
        if t.kind == Kind::Word && !joins && !text::is_function_word(&t.norm) {
            content += 1;
            total += 1;
            if content > NAME_WORDS {
                return None;
            }
        }
    }
    if content > 0 {
        names += 1;
    }
    (total > 0 && names >= 2).then_some(total)
}

/// The clause each stream word lies in, numbered across the whole answer: a
/// clause starts with each sentence, after a comma, semicolon, colon, dash
/// or line break between words, and at a clause word ("and", "because",
/// "which"). A clause carries one point (see `assign` in the grader), so two
/// points cannot both be earned from "integers above 256 are stored as
/// strings".
pub(super) fn clause_ids(text: &str, analysis: &Analysis, stream: &[usize]) -> Vec<u32> {
    let mut ids = Vec::with_capacity(stream.len());
    let (mut id, mut k) = (0u32, 0usize);
    for &t in stream {
        // Every token up to this word may open a clause, stopwords too.
        while k < t {
            k += 1;
            if opens_clause(text, analysis, k) {
                id += 1;
            }
        }
        ids.push(id);
    }
    ids
}

/// Whether token `k` opens a clause (see [`clause_ids`]).
fn opens_clause(text: &str, analysis: &Analysis, k: usize) -> bool {
    let (prev, t) = (&analysis.tokens[k - 1], &analysis.tokens[k]);
    if prev.sentence != t.sentence || CLAUSE_WORDS.contains(t.norm.as_str()) {
        return true;
    }
    t.clause_break
        && text.get(prev.span.end..t.span.start).is_some_and(|gap| {
            gap.contains([',', ';', ':', '\u{2014}', '\u{2013}', '\n']) || gap.contains(" - ")
        })
}

/// Builds the units of an answer: each sentence (or window of a long one),
/// then each pair of neighbouring units. Returns them with the number of
/// singles, which come first.
pub(super) fn units(text: &str, analysis: &Analysis, stream: &[usize]) -> (Vec<Unit>, usize) {
    let mut sentence_first = vec![usize::MAX; analysis.sentences.len()];
    for (i, t) in analysis.tokens.iter().enumerate().rev() {
        if let Some(f) = sentence_first.get_mut(t.sentence) {
            *f = i;
        }
    }
    let code = code_spans(text);
    let mut singles: Vec<Unit> = Vec::new();
    let mut frags_of: Vec<Vec<Fragment>> = Vec::new();
    let mut pos = 0;
    for (si, sentence) in analysis.sentences.iter().enumerate() {
        let start = pos;
        while pos < stream.len() && analysis.tokens[stream[pos]].sentence == si {
            pos += 1;
        }
        let end = pos;
        if end == start {
            continue;
        }
        let mut push = |s: Range<usize>, window: bool, bytes: Range<usize>| {
            let tokens = stream[s.start]..stream[s.end - 1] + 1;
            // Leading stopwords belong to the sentence too ("The GIL ...").
            let tokens = if window {
                tokens
            } else {
                sentence_first[si].min(tokens.start)..tokens.end
            };
            let (frags, [capacity, clauses], content) = fragments(text, analysis, tokens, &code);
            let n = singles.len();
            let run_on = window
                || (s.len() >= RUN_ON_WORDS
                    && !text[bytes.clone()]
                        .trim_end()
                        .trim_end_matches(['.', '!', '?'])
                        .contains([',', ';', ':', '\u{2014}', '\u{2013}']));
            singles.push(Unit {
                stream: s,
                window,
                run_on,
                bytes,
                parts: [n, n],
                list: false,
                lead: None,
                led_by: None,
                capacity,
                clauses,
                content,
                framed: false,
                framing: Vec::new(),
                introduces: false,
                hole: 0..0,
            });
            frags_of.push(frags);
        };
        if end - start <= LONG_SENTENCE {
            push(start..end, false, sentence.clone());
            continue;
        }
        let mut w = start;
        loop {
            let we = (w + WINDOW).min(end);
            let first = &analysis.tokens[stream[w]];
            let last = &analysis.tokens[stream[we - 1]];
            push(w..we, true, first.span.start..last.span.end);
            if we == end {
                break;
            }
            w += WINDOW_STRIDE;
        }
    }
    let item_lines = item_lines(text, &singles);
    let framing = mark_lists(&mut singles, &frags_of, &item_lines);
    for (unit, clauses) in singles.iter_mut().zip(framing) {
        unit.framing = clauses
            .into_iter()
            .map(|t| {
                stream.partition_point(|&p| p < t.start)..stream.partition_point(|&p| p < t.end)
            })
            .collect();
    }
    for (unit, frags) in singles.iter_mut().zip(&frags_of) {
        if unit.list
            && !unit.window
            && let Some(end) = led_by_statement(frags)
        {
            unit.lead = Some(stream.partition_point(|&t| t < end));
        }
    }
    for i in 1..singles.len() {
        if led_by_sentence(text, &singles[i - 1..=i], &frags_of[i - 1]) {
            singles[i].led_by = Some(i - 1);
        }
    }
    let n = singles.len();
    let (leads, heads) = list_leads(text, &singles, &item_lines);
    // What introduces single `j`, besides a colon: its list's lead and the
    // first sentence of its item.
    let introducers = |j: usize| [leads[j], heads[j]].into_iter().flatten();
    let mut all = singles.clone();
    for (i, pair) in singles.windows(2).enumerate() {
        if pair[0].stream.end > pair[1].stream.start {
            // Overlapping windows of one long sentence: already covered.
            continue;
        }
        let introduces = !pair[0].window
            && !pair[1].window
            && (pair[0].ends_in_colon(text)
                || introducers(i + 1).any(|l| l == i)
                || refers_back(analysis, &pair[1].bytes)
                || (pair[0].content <= BOLD_LEAD_WORDS && bold_lead(text, &pair[0].bytes))
                || (names_a_topic(&pair[0], &frags_of[i]) && states(&pair[1], &frags_of[i + 1]))
                || pair[1].led_by == Some(i));
        all.push(Unit::joined(&singles, [i, i + 1], true, introduces));
    }
    // A lead (or an item's first sentence) with the sentences its
    // neighbour pair does not already reach.
    for j in 0..n {
        for l in introducers(j).filter(|&l| j > l + 1) {
            all.push(Unit::joined(&singles, [l, j], false, true));
        }
    }
    // A list's lead with all of its items, for a point whose words the
    // items share out ("LEGB is the order Python searches: 1. Local ...
    // 2. Enclosing ... 3. Global ... 4. Built-in ..."). Two are a pair
    // already.
    for (l, last) in list_blocks(&leads) {
        // Item numbers read as sentences of their own ("1.") do not count.
        let said = singles[l..=last]
            .iter()
            .filter(|u| !item_number(text, u))
            .count();
        if last < l + 2 || said > BLOCK_SINGLES {
            continue;
        }
        all.push(Unit::joined(&singles, [l, last], true, true));
    }
    (all, n)
}

/// Most content words of a sentence that only names the topic of the next
/// (see [`names_a_topic`]).
const TOPIC_WORDS: usize = 4;

/// Whether a single unit only names a topic: one short fragment of
/// content words alone, perhaps after a "then" ("Then mutable default
/// arguments. Defaults are evaluated once, ..."). Speech says its headings
/// as sentences where writing puts a colon or bold type ("**Mutable default
/// arguments**: defaults are evaluated once"), so the topic is read with
/// the sentence after it. A function word marks a sentence of its own
/// ("Then print calls repr on the result."; "pip and conda both install
/// packages."), whose verb the word counts cannot tell from a noun.
fn names_a_topic(unit: &Unit, frags: &[Fragment]) -> bool {
    !unit.window
        && !unit.list
        && matches!(frags, [f] if !f.predicate
            && (1..=TOPIC_WORDS).contains(&f.content)
            && f.functions == usize::from(f.step))
}

/// Whether a single unit makes a statement a topic can head: not a list,
/// and a fragment with a predicate.
fn states(unit: &Unit, frags: &[Fragment]) -> bool {
    !unit.window && !unit.list && frags.iter().any(|f| f.predicate)
}

/// Whether the second of two neighbouring single units is a list led by
/// the first, a statement ending in a full stop on the same line: speech
/// ends the lead of an enumeration with a full stop where writing puts a
/// colon ("use data only formats. json, messagepack, protocol buffers").
/// The lead must say something (as a lead before a colon must: see
/// [`led_by_statement`]) and not be a list itself, and the list must have
/// items: a run of words said without a comma ("ASGI lifespan events make
/// SIGTERM non-blocking") is read as a list for having no function word,
/// and may be a sentence.
fn led_by_sentence(text: &str, pair: &[Unit], lead_frags: &[Fragment]) -> bool {
    let [lead, list] = pair else {
        return false;
    };
    let between = &text[lead.bytes.end.min(list.bytes.start)..list.bytes.start];
    list.list
        && text[list.bytes.clone()].contains(',')
        && list.lead.is_none()
        && !lead.list
        && !lead.window
        && !list.window
        && text[lead.bytes.clone()].trim_end().ends_with('.')
        && !between.contains('\n')
        && lead_frags.last().is_some_and(Fragment::says_enough_to_lead)
}

/// Most sentences of a list's lead with its items read as one (see
/// [`list_blocks`]): a short enumeration, not a whole answer's outline.
const BLOCK_SINGLES: usize = 8;

/// Whether a single unit is only an item's number ("5."), read as a
/// sentence of its own.
fn item_number(text: &str, unit: &Unit) -> bool {
    text[unit.bytes.clone()]
        .trim()
        .trim_end_matches(['.', ')'])
        .bytes()
        .all(|b| b.is_ascii_digit())
}

/// Each list's lead and the last single unit of its items, from the lead
/// of every single (see [`list_leads`]).
fn list_blocks(leads: &[Option<usize>]) -> Vec<(usize, usize)> {
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    for (j, lead) in leads.iter().enumerate() {
        let Some(l) = *lead else { continue };
        match blocks.last_mut() {
            Some((bl, last)) if *bl == l => *last = j,
            _ => blocks.push((l, j)),
        }
    }
    blocks
}

/// Per single unit: whether it starts on a markdown list item's line (see
/// [`on_item_line`]), read once for [`mark_lists`] and [`list_leads`].
fn item_lines(text: &str, singles: &[Unit]) -> Vec<bool> {
    let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    singles
        .iter()
        .map(|u| on_item_line(text, &newlines, u.bytes.start))
        .collect()
}

/// Whether the line holding byte `at` is a markdown list item: after its
/// indentation, a bullet (`-`, `*`, `+`) or a number (`1.`, `2)`) and a space.
/// `newlines` are the text's line breaks, in order.
fn on_item_line(text: &str, newlines: &[usize], at: usize) -> bool {
    let before = newlines.partition_point(|&n| n < at);
    let line_start = before.checked_sub(1).map_or(0, |k| newlines[k] + 1);
    let line = text[line_start..].trim_start_matches([' ', '\t']);
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = if digits > 0 {
        line[digits..].strip_prefix(['.', ')'])
    } else {
        line.strip_prefix(['-', '*', '+'])
    };
    rest.is_some_and(|r| r.starts_with([' ', '\t']))
}

/// Per single unit on a markdown list item's line: the unit that leads its
/// list, and the first sentence of its item (for the later sentences on the
/// item's line). A line that is not an item's (a wrapped continuation, a
/// paragraph) ends the list.
///
/// A list's lead is the sentence that ends the line right before the
/// list's first item ("ThreadPoolExecutor runs tasks on threads of the
/// current process." above "- Ideal for I/O-bound work"): markdown answers
/// say what their items are about once, above them, and an item read
/// without it says nothing of its subject. An item's first sentence names
/// what its later ones are about ("- `tee`: splits one iterator into
/// several. It buffers the gap between them, so memory grows."). Each is
/// paired with the sentences it introduces, as a sentence ending in a
/// colon is with the one after it.
/// `item_lines` says which units start on an item's line ([`item_lines`]).
fn list_leads(
    text: &str,
    singles: &[Unit],
    item_lines: &[bool],
) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut leads = vec![None; singles.len()];
    let mut heads = vec![None; singles.len()];
    let mut lead = None;
    for (i, u) in singles.iter().enumerate() {
        if u.window {
            lead = None;
            continue;
        }
        if item_lines[i] {
            // A later sentence on the same line belongs to the same item.
            if i > 0
                && !singles[i - 1].window
                && !text[singles[i - 1].bytes.start..u.bytes.start].contains('\n')
                && item_lines[i - 1]
            {
                // "5. Immutability is shallow.": a number read as a
                // sentence of its own heads nothing.
                let bare_number = item_number(text, &singles[i - 1]);
                heads[i] = heads[i - 1].or((!bare_number).then_some(i - 1));
            }
            if lead.is_none()
                && i > 0
                && !singles[i - 1].window
                && !item_lines[i - 1]
                && text[singles[i - 1].bytes.end..u.bytes.start].contains('\n')
            {
                lead = Some(label_lead(text, singles, i - 1).unwrap_or(i - 1));
            }
            leads[i] = lead;
        } else {
            lead = None;
        }
    }
    (leads, heads)
}

/// Content words at most in a label that ends a list's lead line
/// ("Options:", "Common fixes:").
const LABEL_WORDS: usize = 2;

/// For a list whose lead line ends in a bare label ("... raise
/// `TypeError: unhashable type`. Options:"), the statement before the
/// label on the same line: the label only announces the items, and the
/// statement is what they answer.
fn label_lead(text: &str, singles: &[Unit], label: usize) -> Option<usize> {
    let u = &singles[label];
    let before = label.checked_sub(1)?;
    let b = &singles[before];
    (u.content <= LABEL_WORDS
        && u.ends_in_colon(text)
        && !b.window
        && !b.list
        && !text[b.bytes.end..u.bytes.start].contains('\n'))
    .then_some(before)
}

/// Decides which units are lists of terms rather than statements:
/// - several fragments, nearly all of them bare terms ("GIL, mutex, I/O");
/// - a run of three or more bare-term units (a bulleted list of terms);
/// - a bare-term item of a markdown list whose items are mostly bare terms
///   ([`term_blocks`]);
/// - a long unpunctuated run without a single function word.
///
/// A short answer of one or two bare terms ("Dynamic size.") is not a list:
/// it may state one idea, and human graders credit it (on the Mohler set,
/// treating it as a list cost 0.06 of Pearson's r). Rubrics keep such words
/// from earning a point on their own by asking for a claim.
/// `item_lines` says which units start on an item's line ([`item_lines`]).
fn mark_lists(
    singles: &mut [Unit],
    frags_of: &[Vec<Fragment>],
    item_lines: &[bool],
) -> Vec<Vec<Range<usize>>> {
    let mut framing = vec![Vec::new(); singles.len()];
    let all_terms =
        |frags: &Vec<Fragment>| !frags.is_empty() && frags.iter().all(Fragment::is_term);
    let bare: Vec<bool> = frags_of.iter().map(all_terms).collect();
    let in_term_block = term_blocks(singles, &bare, item_lines);
    for (i, frags) in frags_of.iter().enumerate() {
        // A fragment opening with a preposition that follows a clause
        // ("raise specific exceptions, with actionable messages") or opens
        // the sentence ("For errors: ...") modifies a statement; it is
        // neither a list item nor a clause, so it does not count either way.
        // So is a heading that labels what follows ("Laziness: range, map,
        // filter and zip return iterators, ..."): a term ending in a colon
        // that opens the unit names the topic, not an item of a list.
        // A heading of several names before a colon, over a statement
        // ("DRY, KISS, YAGNI: remove duplication that represents the same
        // concept, but don't abstract prematurely") labels it as one name
        // does; over more bare terms, or nothing said, it stays a list.
        let heading = frags.iter().position(|f| f.introduces).filter(|&end| {
            end >= 1
                && frags[..=end].iter().all(Fragment::is_term)
                && frags[end + 1..]
                    .iter()
                    .any(|f| !f.is_term() && f.content >= STATEMENT_WORDS)
        });
        let label = |k: usize| {
            (k == 0 && frags.len() >= 3 && frags[0].introduces && frags[0].is_term())
                || heading.is_some_and(|end| k <= end)
        };
        let neutral =
            |k: usize| (frags[k].prepositional && (k == 0 || !frags[k - 1].is_term())) || label(k);
        let counted = (0..frags.len()).filter(|&k| !neutral(k)).count();
        let terms = (0..frags.len())
            .filter(|&k| !neutral(k) && frags[k].is_term())
            .count();
        // A long run of fragments is a list even with a clause in it, but
        // not with two: then it is telegraphic speech.
        let share = if counted >= LONG_LIST {
            LONG_LIST_SHARE
        } else {
            LIST_SHARE
        };
        let clauses = (0..frags.len())
            .filter(|&k| !neutral(k) && frags[k].is_framing_clause())
            .count();
        let many = counted >= 3
            && terms as f64 >= share * counted as f64
            && !(counted >= LONG_LIST && clauses >= LONG_LIST_CLAUSES);
        let run = bare[i]
            && (in_term_block[i] || {
                let lo = i.saturating_sub(2);
                let hi = (i + 3).min(frags_of.len());
                (lo..hi)
                    .collect::<Vec<_>>()
                    .windows(3)
                    .any(|w| w.iter().all(|&j| bare[j]))
            });
        let spoken = frags.len() == 1
            && frags[0].content >= SPOKEN_LIST_WORDS
            && (frags[0].functions == 0
                || (singles[i].run_on
                    && frags[0].functions * SPOKEN_LIST_CONTENT_PER_FUNCTION <= frags[0].content));
        singles[i].list = many || run || spoken;
        // Only a list needs framing: other units are statements already. A
        // list said aloud is one fragment, its few small words no clause.
        let closing = closing_statement(frags);
        let frames = |k: usize| frags[k].is_framing_clause() || closing == Some(k);
        singles[i].framed = singles[i].list && !spoken && (0..frags.len()).any(frames);
        if singles[i].framed && counted <= FRAMED_FRAGMENTS {
            framing[i] = (0..frags.len())
                .filter(|&k| !neutral(k) && frames(k))
                .map(|k| frags[k].start..frags[k].end)
                .collect();
        }
    }
    framing
}

/// Words that open a clause taking up the items before it ("indexing,
/// len, append, those are all O of one").
const RESUMPTIVE: &[&str] = &["they", "those", "these"];

/// The fragment after a run of items that takes them up and says
/// something of them: "so indexing, setting by index, len, append, popping
/// from the end, those are all O of one"; "list, sorted, sum, max, they all
/// try to exhaust the iterator". Speech says after its items what writing
/// puts in a lead before a colon. It opens with the pronoun ("all O of
/// one" is one more item), and it needs a word of its own and a verb's
/// company: an auxiliary, or a function word besides the pronoun.
fn closing_statement(frags: &[Fragment]) -> Option<usize> {
    (2..frags.len()).find(|&k| {
        let f = &frags[k];
        f.resumes
            && f.content >= 1
            && (f.predicate || f.functions >= 2)
            && frags[..k].iter().filter(|f| f.is_term()).count() >= 2
    })
}

/// Most fragments (labels and modifiers aside) a framed list may have for
/// its clauses to state points in full (see `Unit::framing`): past that,
/// a clause is one item of a long list ("..., PEP 328, implicit relative
/// import removed in Python 3, sibling module, ..."). On held-out sets
/// 1-58, 8 gave 28 expert and 13 spoken answers their points without
/// raising a list; from 10 on, bare lists rose.
const FRAMED_FRAGMENTS: usize = 8;

/// Content words a fragment after a heading of names needs to be the
/// statement the heading labels (see `mark_lists`).
const STATEMENT_WORDS: usize = 2;

/// Share of a markdown list's items that must be bare terms for all of its
/// bare-term items to be read as a list of terms.
const TERM_BLOCK_SHARE: f64 = 0.6;

/// Per single unit: whether it sits in a markdown list (consecutive units
/// on item lines, at least three) most of whose units are bare terms
/// ([`TERM_BLOCK_SHARE`]). A list of notes ("- anonymous: function",
/// "- small: surface") names terms whether or not one of its items has a
/// verb; three bare-term units in a row were needed before, so one item
/// with a verb between them let every other item pass for a statement.
/// `bare` says which units are all bare terms, `item_lines` which start on
/// an item's line.
fn term_blocks(singles: &[Unit], bare: &[bool], item_lines: &[bool]) -> Vec<bool> {
    let on_item = |j: usize| !singles[j].window && item_lines[j];
    let mut marks = vec![false; singles.len()];
    let mut i = 0;
    while i < singles.len() {
        if !on_item(i) {
            i += 1;
            continue;
        }
        let end = (i..singles.len())
            .find(|&j| !on_item(j))
            .unwrap_or(singles.len());
        let terms = bare[i..end].iter().filter(|&&b| b).count();
        if end - i >= 3 && terms as f64 >= TERM_BLOCK_SHARE * (end - i) as f64 {
            marks[i..end].fill(true);
        }
        i = end;
    }
    marks
}

/// Content words a statement before an enumeration needs to count on its
/// own: a subject and what is said of it ("JSON is hierarchical: objects,
/// arrays, ..."). With 3, that definition was a bare list; 2 changed no
/// list, salad or wrong answer of the held-out sets.
const LEAD_WORDS: usize = 2;

/// Where the statement ends when the fragments of a list are a statement
/// followed by an enumeration: the statement is a clause of its own (a
/// predicate or function word and [`LEAD_WORDS`] content words) that
/// introduces what follows (a colon, "such as", "including"), perhaps after
/// clauses that set its condition ("If it doesn't fit in RAM, move it out of
/// process: sqlite3, dbm, LMDB, Redis") or modifiers opening with a
/// preposition ("In production, ..."); none of them a bare term. The unit
/// is a list already, so the rest is mostly terms; an item may still be a
/// longer phrase ("deadlocks or serialization failures in the database").
fn led_by_statement(frags: &[Fragment]) -> Option<usize> {
    let k = frags.iter().position(|f| f.introduces)?;
    let (lead, rest) = frags.split_at(k + 1);
    let last = &lead[k];
    (lead.iter().all(|f| !f.is_term() || f.prepositional)
        && last.says_enough_to_lead()
        && !rest.is_empty())
    .then_some(last.end)
}

/// Whether a unit that touches the vocabulary of `touched` different points
/// is dense: rubric words of many points packed into few words, the shape of
/// keyword salad ("The GIL releases reference counts during multiprocessing
/// I/O"). A sentence that makes one point carries words of its own.
pub(super) fn dense(unit: &Unit, touched: usize) -> bool {
    touched >= DENSE_POINTS && unit.content < DENSE_WORDS_PER_POINT * touched
}

/// Words that put a claim in an imagined world: "reference counts would
/// otherwise need atomic operations" says they do not.
const HYPOTHETICAL_CUES: &[&str] = &["otherwise", "hypothetically", "imagine", "suppose"];

/// Words that set the condition a "would" depends on. Without one, "would"
/// states what the speaker holds or recommends ("I would use a plain list,
/// a list is a thread-safe queue"; "sum() would load the whole file").
const CONDITION_CUES: &[&str] = &["if", "unless", "were", "without", "when", "once"];

/// True when a finding that ends at `last` (a token) sits in a hypothetical:
/// a cue from the start of its sentence up to its last word, or a "would"
/// there in a sentence that sets a condition (a condition word anywhere in
/// it, or a gerund opening a clause before the "would": "writing assert
/// (x, msg) would be a tuple").
/// Used for contradictions and misconceptions, which must be claims the
/// answer makes.
pub(super) fn hypothetical(analysis: &Analysis, last: usize) -> bool {
    let tokens = &analysis.tokens;
    let Some(t) = tokens.get(last) else {
        return false;
    };
    let before = || {
        tokens[..=last]
            .iter()
            .rev()
            .take_while(|c| c.sentence == t.sentence)
    };
    if before().any(|c| HYPOTHETICAL_CUES.contains(&c.norm.as_str())) {
        return true;
    }
    let Some(would) = before().position(|c| c.norm.as_str() == "would") else {
        return false;
    };
    let would = last - would;
    let start = last + 1 - before().count();
    let end = start + tokens[start..].partition_point(|c| c.sentence == t.sentence);
    // A gerund opening a clause before the "would" is its condition.
    let mut clause_start = true;
    let gerund = tokens[start..would].iter().any(|c| {
        clause_start |= c.clause_break;
        let opens = clause_start && ing_form(c);
        clause_start &= c.kind != Kind::Word;
        opens
    });
    gerund
        || tokens[start..end]
            .iter()
            .any(|c| CONDITION_CUES.contains(&c.norm.as_str()))
}

/// Verbs (stems) after which "if" opens an indirect question, as "whether"
/// does: "decide if", "check if", "ask if".
const ASKING_STEMS: &[&str] = &[
    "ask", "check", "decid", "determin", "know", "see", "test", "verifi", "wonder",
];

/// Whether the words `first..=last` (tokens) lie in an indirect question:
/// one clause opened by "whether" (or "if" after a verb of asking: "decide
/// if") asks, it does not claim. "Decide whether one failing observer
/// should stop the others" holds neither answer; "It tells you whether your
/// code is correct: with full coverage every bug is tested" still claims
/// what follows the colon.
pub(super) fn questioned(analysis: &Analysis, first: usize, last: usize) -> bool {
    let tokens = &analysis.tokens;
    let (Some(t), Some(_)) = (tokens.get(first), tokens.get(last)) else {
        return false;
    };
    let mut k = first;
    loop {
        let c = &tokens[k];
        if c.sentence != t.sentence {
            return false;
        }
        let asks = c.norm.as_str() == "whether"
            || (c.norm.as_str() == "if"
                && k > 0
                && tokens[k - 1].sentence == t.sentence
                && ASKING_STEMS.contains(&tokens[k - 1].stem.as_str()));
        if asks {
            // The question ends where the next clause starts.
            return !tokens[k + 1..=last.max(k)].iter().any(|c| c.clause_break);
        }
        if c.clause_break || k == 0 {
            return false;
        }
        k -= 1;
    }
}

/// How far back, in words, a reporting cue reaches in speech run together.
const REPORT_REACH_RUN_ON: usize = 15;

/// True when the tokens before `token` in its sentence report a belief
/// ("newcomers assume", "a common mistake is to think") rather than hold it.
/// First-person cues ("I think", "we assumed") are held beliefs, unless
/// they are past ones ("I used to think") or deny it ("I disagree that").
pub(super) fn reported(analysis: &Analysis, token: usize) -> bool {
    let tokens = &analysis.tokens;
    let Some(t) = tokens.get(token) else {
        return false;
    };
    let sentence = t.sentence;
    // Speech run together is one "sentence": a cue must be near, or "people
    // say" at its start would excuse every claim after it.
    let floor = if sentence_words(tokens, sentence) > LONG_SENTENCE {
        token.saturating_sub(REPORT_REACH_RUN_ON)
    } else {
        0
    };
    let mut j = token;
    while j > floor {
        j -= 1;
        let c = &tokens[j];
        if c.sentence != sentence {
            break;
        }
        if denial_frame(tokens, j) {
            return true;
        }
        let denies = DENYING_CUES.contains(c.norm.as_str());
        let kind_of_fault = FAULTS.contains(c.norm.as_str())
            && tokens[j.saturating_sub(2)..j]
                .iter()
                .any(|b| b.sentence == sentence && FAULT_KINDS.contains(b.norm.as_str()));
        if !denies && !kind_of_fault && !REPORTING_CUES.contains(c.norm.as_str()) {
            continue;
        }
        // "expected" as an adjective ("Expected errors are caught", "the
        // expected output", "as expected") describes, it does not report.
        let opens_sentence = j == 0 || tokens[j - 1].sentence != sentence;
        if c.norm == "expected"
            && (opens_sentence
                || matches!(
                    tokens[j - 1].norm.as_str(),
                    "the" | "a" | "an" | "as" | "than"
                ))
        {
            continue;
        }
        let before: Vec<&str> = tokens[j.saturating_sub(3)..j]
            .iter()
            .filter(|b| b.sentence == sentence)
            .map(|b| b.norm.as_str())
            .collect();
        let first_person = before.iter().any(|w| matches!(*w, "i" | "we"));
        let past = before.contains(&"used");
        if !first_person || past || denies {
            return true;
        }
    }
    false
}

/// Whether a denial frame ("it is wrong that", "it is not true that")
/// opens after the first of the words `first..=last` and before the last,
/// in their sentence: "Locust can simulate thousands of users, so it is
/// wrong that load testing cannot simulate concurrency" meets the claim's
/// subject in the first clause and its predicate inside the denial. Only
/// frames: a reporting word there mostly opens a clause that explains the
/// claim ("properties should do I/O because callers expect access to be
/// slow"), which the claim's holder still holds.
pub(super) fn denied_inside(analysis: &Analysis, first: usize, last: usize) -> bool {
    let tokens = &analysis.tokens;
    let Some(t) = tokens.get(first) else {
        return false;
    };
    (first + 1..last.min(tokens.len()))
        .take_while(|&j| tokens[j].sentence == t.sentence)
        .any(|j| denial_frame(tokens, j))
}

/// A content word in "-ing" long enough to be a gerund ("writing",
/// "moving"), the opening of a clause that names a practice or a condition.
fn ing_form(t: &crate::text::Token) -> bool {
    t.kind == Kind::Word && t.norm.len() > 4 && t.norm.ends_with("ing")
}

/// Verdicts that call a practice bad: "Moving imports inside functions is
/// considered a bad practice", "Profiling first is a waste of time". Only
/// judgements, not comparisons: "iterating element by element is slower"
/// states a fact about the practice, often a true one.
static BAD_VERDICTS: WordSet = WordSet::new(&[
    "bad",
    "mistake",
    "antipattern",
    "anti",
    "wrong",
    "unnecessary",
    "pointless",
    "useless",
    "harmful",
    "discouraged",
    "waste",
    "overkill",
    "dangerous",
    "risk",
    "risky",
    "insecure",
    "vulnerability",
    "bug",
    "pitfall",
    "trap",
]);

/// Words that may stand between the copula and the verdict: "is considered
/// a bad", "is generally unnecessary", "is just a waste".
pub(super) static VERDICT_HEDGES: WordSet = WordSet::new(&[
    "considered",
    "generally",
    "usually",
    "often",
    "always",
    "actually",
    "really",
    "mostly",
    "totally",
    "completely",
    "seen",
    "regarded",
    "viewed",
    "pure",
    "big",
    "huge",
    "complete",
    "total",
    // The kind of risk: "is a security risk", "a performance trap".
    "security",
    "performance",
    "serious",
    "common",
    // How well known the mistake is: "is a classic bug", "a typical
    // mistake".
    "classic",
    "typical",
    "frequent",
    "subtle",
]);

/// Verbs that judge the practice their subject names: "Skipping the
/// failing test only hides the problem", "Using processes for I/O-bound
/// work wastes memory".
static BAD_VERBS: WordSet = WordSet::new(&[
    "hides", "hide", "wastes", "waste", "loses", "lose", "masks", "mask",
]);

/// Verbs a practice is said not to do any good with: "moving the import
/// never helps", "deleting the cache doesn't fix it".
static NO_GOOD_VERBS: WordSet = WordSet::new(&[
    "help", "helps", "work", "works", "fix", "fixes", "matter", "matters",
]);

/// Most content words of the subject that may follow the finding before its
/// verb ("Moving imports inside functions is ...": two after "imports").
const SUBJECT_TAIL: usize = 4;

/// True when a finding (tokens `first..=last`) names a practice that its
/// sentence then judges bad: the sentence (or a clause after a break) opens
/// with a gerund, the finding lies in that gerund's subject, and the verb
/// after it is a copula with a [`BAD_VERDICTS`] word ("Moving imports inside
/// functions is considered a bad practice"), a [`BAD_VERBS`] verb ("...
/// only hides the bug") or a denial of doing good ("... never helps").
/// Naming a practice in order to reject it neither states it ("move the
/// import inside the function" earns nothing there) nor holds it (a
/// misconception "move imports inside functions" must not fire on "Moving
/// imports into functions is a mistake"). A rule whose own words reach the
/// verdict ("mutable default ... bug") is not affected: the verdict then
/// lies inside the finding.
pub(super) fn judged(analysis: &Analysis, first: usize, last: usize) -> bool {
    let tokens = &analysis.tokens;
    let Some(f) = tokens.get(first) else {
        return false;
    };
    // The opening word of the finding's clause must be a gerund.
    let mut open = first;
    while open > 0 && !tokens[open].clause_break && tokens[open - 1].sentence == f.sentence {
        open -= 1;
    }
    let Some(gerund) = tokens[open..=first]
        .iter()
        .find(|t| matches!(t.kind, Kind::Word | Kind::Negator))
    else {
        return false;
    };
    if !ing_form(gerund) || gerund.norm.ends_with("thing") {
        return false;
    }
    // The subject ends at its verb, a few content words after the finding.
    let mut content = 0;
    let mut k = last + 1;
    while let Some(t) = tokens.get(k) {
        if t.sentence != f.sentence || t.clause_break {
            return false;
        }
        match t.norm.as_str() {
            "is" | "are" | "was" | "were" => return bad_verdict(tokens, k + 1, f.sentence),
            "never" => return no_good(tokens, k + 1, f.sentence),
            _ if t.kind == Kind::Negator => return no_good(tokens, k + 1, f.sentence),
            w if BAD_VERBS.contains(w) => return true,
            _ => {}
        }
        if t.kind == Kind::Word {
            content += 1;
            if content > SUBJECT_TAIL {
                return false;
            }
        }
        k += 1;
    }
    false
}

/// A [`BAD_VERDICTS`] word at `at`, after hedges and articles.
fn bad_verdict(tokens: &[crate::text::Token], at: usize, sentence: usize) -> bool {
    tokens[at.min(tokens.len())..]
        .iter()
        .take_while(|t| t.sentence == sentence)
        .find(|t| {
            !(matches!(t.norm.as_str(), "a" | "an" | "the" | "just" | "simply")
                || VERDICT_HEDGES.contains(t.norm.as_str()))
        })
        .is_some_and(|t| BAD_VERDICTS.contains(t.norm.as_str()))
}

/// A [`NO_GOOD_VERBS`] word at `at`, after "does"/"do"/"really".
fn no_good(tokens: &[crate::text::Token], at: usize, sentence: usize) -> bool {
    tokens[at.min(tokens.len())..]
        .iter()
        .take_while(|t| t.sentence == sentence)
        .find(|t| {
            !matches!(
                t.norm.as_str(),
                "does" | "do" | "really" | "actually" | "not"
            )
        })
        .is_some_and(|t| NO_GOOD_VERBS.contains(t.norm.as_str()))
}

/// Pronouns that open a sentence continuing the one before it: "Those stop
/// the whole loop" says what the previous sentence named does, so a point
/// may be met across the two. "This" and "these" are not among them: on the
/// held-out answers they joined the sentences of salad and confidently
/// wrong answers ("This is why ...") and no honest ones.
const ANAPHORA: &[&str] = &["that", "those", "it", "they"];

/// Words that open a sentence drawing a consequence from the one before:
/// "Threads won't speed up CPU-heavy code. So I'd use multiprocessing."
const CONSEQUENCES: &[&str] = &["so", "therefore", "hence", "thus", "consequently"];

/// Whether the sentence at bytes `sentence` opens (in the tokenizer's words,
/// so "It's" is "it") with one of [`ANAPHORA`] or [`CONSEQUENCES`], or with
/// one of [`LEADING_PREPOSITIONS`] governing one of [`PREPOSITION_OBJECTS`]
/// ("For that, ...").
fn refers_back(analysis: &Analysis, sentence: &Range<usize>) -> bool {
    let tokens = &analysis.tokens;
    let from = tokens.partition_point(|t| t.span.start < sentence.start);
    let mut words = tokens[from..]
        .iter()
        .take_while(|t| t.span.start < sentence.end)
        .map(|t| t.norm.as_str());
    let Some(first) = words.next() else {
        return false;
    };
    ANAPHORA.contains(&first)
        || CONSEQUENCES.contains(&first)
        || (LEADING_PREPOSITIONS.contains(&first)
            && words
                .next()
                .is_some_and(|w| PREPOSITION_OBJECTS.contains(&w)))
}

/// Prepositions that open a sentence referring back to the one before it
/// when a pronoun follows: "For that you use multiprocessing", "With it you
/// get ...".
const LEADING_PREPOSITIONS: &[&str] = &[
    "for", "in", "with", "because", "after", "without", "besides",
];

/// The pronouns that refer back after one of [`LEADING_PREPOSITIONS`].
const PREPOSITION_OBJECTS: &[&str] = &["that", "those", "it", "them"];

/// Most content words of a bold lead-in (see [`bold_lead`]): a heading,
/// not a statement of its own.
const BOLD_LEAD_WORDS: usize = 6;

/// Whether a sentence is a bold lead-in at the start of its line
/// ("**Generators.** Produce values lazily ...", numbered or not: "**1.
/// Consume the stream in chunks.** With requests, ..."), or a markdown
/// heading line ("### Consume the stream in chunks"): markdown's ways to
/// say what the paragraph after it is about, so the two are read together.
fn bold_lead(text: &str, bytes: &Range<usize>) -> bool {
    let line_start = text[..bytes.start].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..bytes.start].trim();
    let sentence = &text[bytes.clone()];
    if heading_marks(before) {
        // A heading is its whole line.
        return text[bytes.end..]
            .trim_start_matches(['`', '.', ':', '*', '_', ' ', '\t'])
            .starts_with(['\n', '\r']);
    }
    // The bold opens the line, right before the sentence or before an item
    // number read as a sentence of its own ("**1." then "Consume ...").
    let opened = |mark: &str| match before.strip_prefix(mark) {
        Some(number) => enumerator(number.trim()),
        None => before.is_empty() && sentence.starts_with(mark),
    };
    let Some(mark) = ["**", "__"].into_iter().find(|m| opened(m)) else {
        return false;
    };
    text[bytes.end..]
        .trim_start_matches(['`', '.', ':'])
        .starts_with(mark)
}

/// Whether the start of a line is a markdown heading's marks ("###").
fn heading_marks(before: &str) -> bool {
    (1..=6).contains(&before.len()) && before.bytes().all(|b| b == b'#')
}

/// Whether what lies between a bold mark and a sentence is an item
/// number ("1.", "2)").
fn enumerator(between: &str) -> bool {
    between
        .strip_suffix(['.', ')'])
        .is_some_and(|n| (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
}
