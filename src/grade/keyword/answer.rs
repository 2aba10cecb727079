//! An answer prepared for matching against one compiled rubric: its words
//! mapped to the rubric's vocabulary, where each phrase occurs (negated
//! occurrences left out), and the units of meaning it is read in.

use crate::text::WordSet;
use std::ops::Range;

use super::compile::{Phrase, Rules};
use super::dismissal;
use super::sides::{self, Mention};
use super::units::{self, Unit};
use super::vocab::{Vocab, prefix};
use crate::text::{self, Analysis, Kind};

/// Unmatched words allowed between two words of a phrase.
const PHRASE_GAP: usize = 1;
/// Content words after `than` that a comparison sets aside (see
/// `Prepared::compared_against`).
const COMPARED_REACH: usize = 3;
/// Words that end what a comparison sets aside: the clause goes on with a
/// claim of its own ("slower than methods because they are evaluated on
/// every access", "safer than JSON as long as HMAC encrypts it").
static COMPARISON_ENDS: WordSet = WordSet::new(&[
    "and", "or", "but", "so", "then", "because", "since", "which", "that", "while", "when",
    "where", "if", "unless", "as", "although", "though", "who", "whose",
]);
/// Words that relate the words around them ("caught before runtime",
/// "held during I/O", "slower than"). A phrase never skips one: a phrase
/// whose stopwords are gone would otherwise take a different relation for
/// its own ("mypy catches it before runtime" is not the contradiction
/// "catches them at runtime"). Modifiers ("always", "all", "each") may
/// still be skipped.
static RELATION_WORDS: WordSet = WordSet::new(&[
    "during", "over", "under", "between", "across", "through", "after", "before", "until", "via",
    "per", "within", "against", "among", "around", "behind", "beyond", "inside", "outside", "upon",
    "instead", "rather", "than", "like", "unless", "whether", "but", "because", "while", "since",
    "although", "though", "whereas", "except", "unlike",
]);
/// Words that turn an amount into its opposite ("much less memory than"
/// does not say "as much memory as"; "fewer threads" is not "threads"
/// added): a phrase never skips one, or a claim of the same size would be
/// read where the answer states a smaller one. "More" may be skipped: it
/// only strengthens what the phrase says ("uses more memory" still says it
/// uses memory). See [`diminishes`] for the words with "-less".
static DIMINISHERS: WordSet = WordSet::new(&["less", "fewer", "least", "fewest"]);

/// Whether a word takes away what a phrase would read across it: one of
/// the [`DIMINISHERS`], or an adjective with the privative "-less"
/// ("stateless", "lockless"), which says its base is absent: "HTTP is
/// stateless, so state comes from cookies" does not say "HTTP is stateful"
/// (the stemmer leaves "stateful" as "state").
fn diminishes(word: &str) -> bool {
    DIMINISHERS.contains(word) || (word.len() > 6 && word.ends_with("less"))
}
/// Verbs that say what something holds, not what it is: a phrase that
/// joins two words with a copula ("tuples are mutable") never skips one
/// between them ("tuples can contain mutable items" is true of tuples).
/// Other phrases may ("a format that only holds data" says `only data`).
static CONTAINMENT: WordSet = WordSet::new(&[
    "contain",
    "contains",
    "containing",
    "contained",
    "hold",
    "holds",
    "holding",
    "include",
    "includes",
    "including",
    "store",
    "stores",
    "storing",
    "reference",
    "references",
    "referencing",
    "refer",
    "refers",
]);
/// Most words (matchable ones, stopwords left out) a false statement's
/// groups may spread over in a window of a run-on sentence. A transcript
/// has no punctuation to end a claim, so a whole 30-word window was one:
/// "it only tracks container objects ... and frees groups" met `only` +
/// `garbage collector` + `frees` + `objects` across three true statements,
/// and the contradiction took the window's credit from every point.
const CLAIM_WINDOW: usize = 12;
/// Prefixes that make a word's opposite ("immutable", "unhashable",
/// "nonblocking"): "not" and the word stand for the prefixed word, and
/// "not" and the prefixed word for the word.
const NEGATIVE_PREFIXES: &[&str] = &["un", "im", "in", "ir", "il", "non"];
/// Auxiliaries between a phrase and the negation of its existence ("X
/// does not exist", "X really doesn't exist").
static EXISTENCE_AUXILIARIES: WordSet = WordSet::new(&[
    "do", "does", "did", "really", "actually", "simply", "even", "just",
]);
/// Modals after which "not X" forbids X rather than saying its opposite:
/// "async endpoints must not block" is no claim that they are non-blocking.
static OBLIGATIONS: WordSet = WordSet::new(&["must", "should", "shall", "need", "ought"]);
/// How many stopwords may stand between a negated verb of a point's
/// phrase and its object ("can't free the cycles").
const OBJECT_REACH: usize = 2;

/// Content words a negation reaches forward over.
const NEGATION_REACH: usize = 3;
/// Words that start a new clause or a prepositional phrase, beyond which a
/// negation does not reach ("threads don't help, and you use
/// multiprocessing"; "not good for CPU-bound work" does not deny "CPU-bound";
/// "concerns that don't care what the function does" does not deny the
/// function). "how" is not one: "it cannot tell how many items are left"
/// denies that it tells.
static NEGATION_BARRIERS: WordSet = WordSet::new(&[
    "and", "so", "then", "because", "since", "which", "while", "when", "where", "if", "for",
    "during", "with", "from", "into", "like", "via", "than", "on", "in", "at", "by", "what", "why",
    "who", "whose", "per",
]);

/// Words that make a noun phrase on their own, which a relative clause
/// can describe: indefinite pronouns ("something that blocks"), and
/// "code", used without an article ("never call code that blocks").
static INDEFINITE_PRONOUNS: WordSet = WordSet::new(&[
    "something",
    "anything",
    "everything",
    "nothing",
    "someone",
    "anyone",
    "one",
    "ones",
    "code",
]);
/// Nouns whose "that" clause is their content, not a description.
static CONTENT_NOUNS: WordSet = WordSet::new(&[
    "case",
    "fact",
    "idea",
    "claim",
    "notion",
    "belief",
    "myth",
    "assumption",
    "guarantee",
    "promise",
    "sense",
    "point",
]);
/// Articles that open a noun phrase a relative clause can describe ("a
/// library that blocks").
static ARTICLES: WordSet = WordSet::new(&["a", "an", "the", "any", "some", "every", "each"]);

/// Words after "not" that hedge it rather than deny ("not only", "not
/// always"; see `Prepared::verb_denied_inside`).
static HEDGES: WordSet = WordSet::new(&["only", "just", "merely", "always", "all", "every"]);
/// Prepositions a negated verb reaches past to the claim after them ("does
/// not go from source straight to bytecode"; see
/// `Prepared::verb_denied_before`).
static PREPOSITIONS: WordSet = WordSet::new(&[
    "from", "into", "to", "on", "in", "at", "by", "with", "via", "for", "through", "onto",
]);

/// Verbs that open a yes/no question (see `Prepared::asked`).
static AUXILIARIES: WordSet = WordSet::new(&[
    "is", "are", "was", "were", "do", "does", "did", "can", "could", "will", "would", "should",
    "shall", "has", "have", "had", "may", "might", "must",
]);

/// Words that open a clause of their own: a negation before one does not
/// deny what follows it (see `Prepared::verb_denied_inside`).
static CLAUSE_OPENERS: WordSet = WordSet::new(&[
    "and", "so", "then", "because", "since", "which", "while", "when", "where", "if", "what",
    "why", "who", "whose", "that", "as", "unless", "until", "or",
]);

/// Words that make a negation deny how often or how much rather than the
/// word it stands before (see `Prepared::denied_outright`).
static QUANTIFIERS: WordSet = WordSet::new(&[
    "every",
    "each",
    "all",
    "always",
    "again",
    "both",
    "whole",
    "entire",
    "only",
    "just",
    "more",
    "twice",
    "everything",
    "everywhere",
]);
/// Words that open a condition: a negation inside one is no denial (see
/// `Prepared::denied_outright`).
const CONDITIONS: &[&str] = &["if", "when", "whenever", "unless", "until", "once"];
/// Words whose `'s` is "is" ("there's", "it's"), not a possessive.
const CONTRACTED_IS: &[&str] = &[
    "there", "it", "that", "what", "here", "who", "he", "she", "this", "where",
];
/// Whether a word after a comma goes on with a condition's clause rather
/// than start the claim it sets (see `Prepared::conditional_denial`): a
/// word that opens a clause of its own ("because", "and", "which"...),
/// other than a condition's own words and its "then", or "as" and "for".
fn continues_condition(word: &str) -> bool {
    (units::starts_clause(word) && !CONDITIONS.contains(&word) && !matches!(word, "then" | "where"))
        || matches!(word, "as" | "for")
}
/// Content words one item of a list a negation reaches over may have
/// (see `Prepared::in_or_list`).
const LIST_ITEM_WORDS: usize = 2;
/// Tokens after a list comma searched for the rest of the list.
const LIST_SPAN: usize = 16;
/// Words either side of a window of a long sentence searched for a false
/// statement's qualifier (see `Prepared::qualified`).
const QUALIFIER_REACH: usize = 6;
/// Tokens after a denied word searched for a [`QUANTIFIERS`] word.
const QUANTIFIER_REACH: usize = 3;

/// Sentences of a list's lead with all its items (see
/// [`Unit::is_block`]) a point must be met in to be read from it.
const BLOCK_MEMBERS: usize = 3;

/// How far apart the groups of a rule may be met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reach {
    /// Within one claim of a sentence: no semicolon and no contrastive word
    /// ("but", "whereas") between them. A false statement is one claim;
    /// "one process with shared memory; ... threads suit I/O-bound work"
    /// does not say that processes suit I/O-bound work.
    Claim,
    /// Within one sentence (or window of a long one), or a sentence ending
    /// in a colon with the one it introduces (see `Unit::introduces`).
    Sentence,
    /// Within one sentence or two neighbouring ones.
    Pair,
}

/// Where a rule set is met inside one unit.
#[derive(Debug, Clone)]
pub(super) struct Found {
    /// Index into [`Prepared::units`].
    pub unit: usize,
    /// 1 (every group) or 0.5 (enough for half credit).
    pub credit: f64,
    /// The matched phrase occurrences (stream ranges), for evidence.
    pub matched: Vec<Range<usize>>,
    /// Byte range a regex matched, when a regex earned the credit.
    pub regex: Option<Range<usize>>,
    /// The unit negates one of the groups and earns nothing (see
    /// `Rules::deniable`); kept to say why in the report.
    pub denied: bool,
    /// For each group met, every occurrence inside the unit (`matched`
    /// holds the first): where else the group may be met when the clause
    /// of the first already carries another point. Empty for a regex.
    pub choices: Vec<Vec<Range<usize>>>,
}

pub(super) struct Prepared<'a> {
    pub text: &'a str,
    /// What the text holds outside ASCII: which form of each rubric regex
    /// searches it (see [`crate::bank::Haystack`]).
    haystack: crate::bank::Haystack,
    /// The text as the ASCII form of a regex reads it, when it holds
    /// symbols outside ASCII and nothing else there (see
    /// [`crate::bank::Shadow`]).
    shadow: Option<crate::bank::Shadow>,
    pub analysis: Analysis,
    /// Indices into `analysis.tokens` of the words matching looks at.
    pub stream: Vec<usize>,
    /// Per stream position: (vocabulary id, number of stream words it
    /// covers), all positions in one list: position `p` owns
    /// `hits[hit_at[p]..hit_at[p + 1]]`.
    hits: Vec<(u32, usize)>,
    hit_at: Vec<usize>,
    /// Stream positions by vocabulary id: the positions where id `i`
    /// starts a hit are `at[starts[i]..starts[i + 1]]`. Ids are dense, so
    /// this is an array lookup where a hash map was most of the time spent
    /// finding phrases.
    starts: Vec<u32>,
    at: Vec<u32>,
    /// Per stream position, whether a negation denies it (0 not yet asked,
    /// 1 no, 2 yes): phrases sharing a first word ask about the same place.
    denied: Vec<std::cell::Cell<u8>>,
    /// Asides in brackets: (first stream position inside, first after),
    /// in order. A phrase may step over one ("filter(pred, iterable)
    /// keeps", "the GIL (a mutex) protects").
    asides: Vec<(usize, usize)>,
    /// Per stream position: a negator, a [`RELATION_WORDS`] word or a word
    /// that [`diminishes`], which a phrase never skips. Asked once per word,
    /// not once per phrase tried.
    unskippable: Vec<bool>,
    /// Per stream position: a verb that says what follows does not happen
    /// ([`crate::text::is_preventing`]: "a weak reference avoids keeping the
    /// object alive"), which a false statement's phrase never skips, or it
    /// would read the denied thing as claimed. A point's phrase may ("a lock
    /// prevents race conditions" says `lock race`).
    preventing: Vec<bool>,
    /// Per stream position: whether a clause break lies between the word
    /// before and this one. A phrase may not skip a word across one.
    break_before: Vec<bool>,
    /// Per stream position: whether a contrastive word ("but", "however")
    /// lies between the word before and this one. Contrastive words are
    /// stopwords, so the stream itself does not show them.
    contrast_before: Vec<bool>,
    /// Per stream position: whether a new claim starts between the word
    /// before and this one (see [`Reach::Claim`]). Worked out when a false
    /// statement's groups first all occur: most answers never need it.
    claim_before: std::cell::OnceCell<Vec<bool>>,
    /// Single sentences (or windows) first, then pairs of neighbours.
    pub units: Vec<Unit>,
    /// How many of `units` are singles.
    pub singles: usize,
    /// The clause of each stream position, numbered across the answer (see
    /// [`units::clause_ids`]).
    pub clause: Vec<u32>,
}

/// The positions of each vocabulary id's hits, grouped by id (counting
/// sort): `(starts, at)` as in [`Prepared`].
fn index(hits: &[(u32, usize)], hit_at: &[usize], ids: usize) -> (Vec<u32>, Vec<u32>) {
    let mut starts = vec![0u32; ids + 1];
    for &(id, _) in hits {
        starts[id as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut at = vec![0u32; hits.len()];
    for (pos, w) in hit_at.windows(2).enumerate() {
        for &(id, _) in &hits[w[0]..w[1]] {
            let slot = &mut next[id as usize];
            at[*slot as usize] = pos as u32;
            *slot += 1;
        }
    }
    (starts, at)
}

/// The answer's asides in brackets that close again, as (first stream
/// position inside, first stream position after the closing bracket).
fn asides(text: &str, analysis: &Analysis, stream: &[usize]) -> Vec<(usize, usize)> {
    if !text.contains(['(', '[', '{']) {
        return Vec::new();
    }
    units::bracketed(text, 0..text.len())
        .into_iter()
        .filter_map(|b| {
            // Stream positions are in text order.
            let inside = stream.partition_point(|&t| analysis.tokens[t].span.start <= b.start);
            let after = stream.partition_point(|&t| analysis.tokens[t].span.start <= b.end);
            (inside > 0 && inside < after).then_some((inside, after))
        })
        .collect()
}

impl<'a> Prepared<'a> {
    pub fn new(text: &'a str, vocab: &Vocab) -> Self {
        let analysis = text::analyse(text);
        let haystack = crate::bank::Haystack::of(text);
        let stream: Vec<usize> = analysis
            .tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t.kind, Kind::Word | Kind::Negator))
            .map(|(i, _)| i)
            .collect();
        let mut hits = Vec::with_capacity(stream.len());
        let mut hit_at = Vec::with_capacity(stream.len() + 1);
        let mut ids = Vec::new();
        for (pos, &ti) in stream.iter().enumerate() {
            let tok = &analysis.tokens[ti];
            let first = hits.len();
            hit_at.push(first);
            ids.clear();
            vocab.lookup_word(&tok.stem, &tok.norm, &mut ids);
            for &id in &ids {
                hits.push((id, 1));
            }
            // "multi processing" also matches "multiprocessing".
            if let Some(&next) = stream.get(pos + 1) {
                let nt = &analysis.tokens[next];
                // Stemming only trims endings, so a joined word can match only
                // if some rubric stem starts like it: skip the rest cheaply.
                let could_match = vocab.could_start(prefix(&tok.norm));
                if could_match && nt.sentence == tok.sentence && !nt.clause_break {
                    if let Some(id) = vocab.joined(tok.norm.as_str(), nt.norm.as_str()) {
                        hits.push((id, 2));
                    }
                    if next == ti + 1 {
                        snake_hits(vocab, &analysis, &stream, pos, &mut hits);
                    }
                }
                // "not mutable" also matches "immutable", "not hashable"
                // "unhashable": the negated word with a negative prefix.
                if tok.norm == "not"
                    && next == ti + 1
                    && nt.kind == Kind::Word
                    && !nt.clause_break
                    && !is_comparative(nt.norm.as_str())
                    && !(ti > 0 && OBLIGATIONS.contains(analysis.tokens[ti - 1].norm.as_str()))
                {
                    for neg in NEGATIVE_PREFIXES {
                        if takes_negative_prefix(neg, nt.norm.as_str())
                            && let Some(id) = vocab.joined(neg, nt.norm.as_str())
                        {
                            hits.push((id, 2));
                        }
                        // And the other way: "not immutable" says "mutable",
                        // "not unhashable" "hashable".
                        if let Some(word) = nt.norm.strip_prefix(neg)
                            && takes_negative_prefix(neg, word)
                        {
                            ids.clear();
                            let (stem, norm) =
                                (text::Word::from(text::stem(word)), text::Word::from(word));
                            vocab.lookup_word(&stem, &norm, &mut ids);
                            hits.extend(ids.iter().map(|&id| (id, 2)));
                        }
                    }
                }
            }
        }
        hit_at.push(hits.len());
        let (starts, at) = index(&hits, &hit_at, vocab.len());
        let (units, singles) = units::units(text, &analysis, &stream);
        let clause = units::clause_ids(text, &analysis, &stream);
        let asides = asides(text, &analysis, &stream);
        let (unskippable, preventing) = stream
            .iter()
            .map(|&t| {
                let tok = &analysis.tokens[t];
                let word = tok.norm.as_str();
                (
                    tok.kind == Kind::Negator || RELATION_WORDS.contains(word) || diminishes(word),
                    crate::text::is_preventing(word),
                )
            })
            .unzip();
        // What lies in the gap before each stream word: one pass for both.
        let (break_before, contrast_before) = (0..stream.len())
            .map(|q| {
                let from = if q == 0 { 0 } else { stream[q - 1] + 1 };
                let gap = from..stream[q];
                (
                    (from..=stream[q]).any(|k| clause_punctuation_before(text, &analysis, k)),
                    analysis.tokens[gap]
                        .iter()
                        .any(|t| t.kind == Kind::Stop && text::is_contrastive(&t.norm)),
                )
            })
            .unzip();
        Prepared {
            asides,
            unskippable,
            preventing,
            break_before,
            contrast_before,
            claim_before: std::cell::OnceCell::new(),
            haystack,
            shadow: haystack.shadow(text),
            text,
            analysis,
            denied: vec![std::cell::Cell::new(0); stream.len()],
            stream,
            hits,
            hit_at,
            starts,
            at,
            units,
            singles,
            clause,
        }
    }

    /// Whether a vocabulary id starts a hit anywhere in the answer.
    fn occurs(&self, id: u32) -> bool {
        let id = id as usize;
        self.starts.get(id..id + 2).is_some_and(|r| r[1] > r[0])
    }

    /// What matched at a stream position.
    fn hits_at(&self, pos: usize) -> &[(u32, usize)] {
        &self.hits[self.hit_at[pos]..self.hit_at[pos + 1]]
    }

    /// [`Prepared::negated`] for a stream position, asked once.
    fn denied_at(&self, pos: usize) -> bool {
        let cell = &self.denied[pos];
        if cell.get() == 0 {
            cell.set(if self.negated(self.stream[pos]) { 2 } else { 1 });
        }
        cell.get() == 2
    }

    fn sentence_of(&self, pos: usize) -> usize {
        self.analysis.tokens[self.stream[pos]].sentence
    }

    /// Where a phrase occurs, as stream ranges, skipping negated
    /// occurrences; those go to `denied` when it is given, and every one a
    /// negation before it skips goes to `skipped` with that negator's token.
    fn occurrences(
        &self,
        phrase: &Phrase,
        out: &mut Vec<Range<usize>>,
        mut denied: Option<&mut Vec<Range<usize>>>,
        mut skipped: Option<&mut Vec<(Range<usize>, usize)>>,
    ) {
        // A phrase can occur only where all its words do: most phrases of a
        // rubric have some word the answer never uses.
        if !phrase.words.iter().all(|&w| self.occurs(w)) {
            return;
        }
        let first = phrase.words[0] as usize;
        let range = &self.starts[first..first + 2];
        for &start in &self.at[range[0] as usize..range[1] as usize] {
            let start = start as usize;
            for &(id, len) in self.hits_at(start) {
                if id as usize != first {
                    continue;
                }
                if let Some(end) = self.extend(start + len, phrase, self.sentence_of(start)) {
                    if phrase.within_clause
                        && !phrase.compares
                        && self.compared_against(self.stream[start])
                    {
                        // "more useful than returning None or error codes":
                        // what a comparison sets aside is not claimed.
                        continue;
                    }
                    if phrase.negated_form && self.negation_negated(self.stream[start]) {
                        // "not rarely useful", "not without cost": a
                        // negation denied is no negation.
                        continue;
                    }
                    let said_not_to_exist =
                        phrase.states_point && !phrase.negated_form && self.said_not_to_exist(end);
                    if !said_not_to_exist
                        && (phrase.negated_form
                            || !self.denied_at(start)
                            || (phrase.states_point
                                && (self.conditional_denial(start)
                                    || self.negation_stops_before(self.stream[start]))))
                    {
                        out.push(start..end);
                        continue;
                    }
                    if let Some(denied) = denied.as_deref_mut()
                        && (said_not_to_exist || self.denied_outright(self.stream[start]))
                    {
                        denied.push(start..end);
                    }
                    if let Some(skipped) = skipped.as_deref_mut()
                        && !said_not_to_exist
                        && let Some(negator) = self.negator_of(self.stream[start])
                    {
                        skipped.push((start..end, negator));
                    }
                }
            }
        }
    }

    /// Whether the words that end at stream position `end` (exclusive) are
    /// said not to exist: "parametrized fixtures don't exist in pytest". The
    /// negation comes after what it denies, so the test of a negator before
    /// a phrase misses it. Only "not"/"never" and "exist" right after the
    /// phrase, with nothing but an auxiliary between, and not in a condition
    /// ("if the file doesn't exist") or a relative clause ("a key that
    /// doesn't exist yet"), whose "that" ends the run.
    fn said_not_to_exist(&self, end: usize) -> bool {
        let tokens = &self.analysis.tokens;
        let last = self.stream[end - 1];
        let mut k = last + 1;
        while k < tokens.len()
            && !tokens[k].clause_break
            && tokens[k].kind == Kind::Stop
            && EXISTENCE_AUXILIARIES.contains(tokens[k].norm.as_str())
        {
            k += 1;
        }
        let Some(negator) = tokens.get(k) else {
            return false;
        };
        negator.kind == Kind::Negator
            && matches!(negator.norm.as_str(), "not" | "never")
            && !negator.clause_break
            && negator.sentence == tokens[last].sentence
            && tokens.get(k + 1).is_some_and(|t| {
                !t.clause_break && matches!(t.norm.as_str(), "exist" | "exists" | "existed")
            })
            && !self.in_condition(k)
    }

    /// Whether the token, a negator, comes right after another one that
    /// denies it ("not rarely", "not without").
    fn negation_negated(&self, token: usize) -> bool {
        let tokens = &self.analysis.tokens;
        token > 0
            && tokens[token].kind == Kind::Negator
            && tokens[token - 1].kind == Kind::Negator
            && tokens[token - 1].sentence == tokens[token].sentence
            && !tokens[token].clause_break
    }

    /// Whether a negator lies inside a byte range of the answer.
    fn negator_within(&self, bytes: &Range<usize>) -> bool {
        let tokens = &self.analysis.tokens;
        let from = tokens.partition_point(|t| t.span.start < bytes.start);
        tokens[from..]
            .iter()
            .take_while(|t| t.span.end <= bytes.end)
            .any(|t| t.kind == Kind::Negator)
    }

    /// Whether the token lies in what a comparison sets its subject against:
    /// within [`COMPARED_REACH`] content words after `than`, in its clause
    /// ("more useful than returning None", "better than aiming for 100%
    /// coverage first").
    fn compared_against(&self, token: usize) -> bool {
        let tokens = &self.analysis.tokens;
        let mut content = 0;
        for t in tokens[..=token].iter().rev().skip(1) {
            if t.norm == "than" {
                return true;
            }
            if t.clause_break
                || t.sentence != tokens[token].sentence
                || COMPARISON_ENDS.contains(t.norm.as_str())
            {
                return false;
            }
            if t.kind != Kind::Stop {
                content += 1;
                if content > COMPARED_REACH {
                    return false;
                }
            }
        }
        false
    }

    /// Matches the rest of a phrase (after its first word) from `pos`,
    /// allowing small gaps and stepping over an aside in brackets.
    fn extend(&self, mut pos: usize, phrase: &Phrase, sentence: usize) -> Option<usize> {
        for (i, &want) in phrase.words[1..].iter().enumerate() {
            let link = Link {
                copula: i < 32 && phrase.copulas & (1 << i) != 0,
                contrast: i >= 32 || phrase.contrasts & (1 << i) != 0,
                within_clause: phrase.within_clause,
            };
            let (at, end) = self
                .step(pos, want, PHRASE_GAP, sentence, link)
                .or_else(|| {
                    // Right after the aside, no gap: one skip per word.
                    let &(_, after) = self.asides.iter().find(|&&(inside, _)| inside == pos)?;
                    self.step(after, want, 0, sentence, link)
                })?;
            // A negator reaches its next phrase word only within its clause,
            // as in [`Prepared::negated`]: "not atomic and needs a lock"
            // does not say "not need lock".
            if i == 0
                && phrase.opens_negated
                && self.barrier_between(self.stream[pos - 1], self.stream[at])
            {
                return None;
            }
            pos = end;
        }
        Some(pos)
    }

    /// Whether a clause break or a [`NEGATION_BARRIERS`] word lies between
    /// two tokens.
    fn barrier_between(&self, from: usize, to: usize) -> bool {
        let tokens = &self.analysis.tokens;
        tokens[from + 1..=to].iter().any(|t| t.clause_break)
            || tokens[from + 1..to].iter().any(|t| self.is_barrier(t))
    }

    /// Whether the token is a [`NEGATION_BARRIERS`] word: not when it opens
    /// a hyphenated compound ("no per-object overhead", "an in-process
    /// cache"), which is a modifier of the noun after it, not a phrase.
    fn is_barrier(&self, t: &crate::text::Token) -> bool {
        NEGATION_BARRIERS.contains(t.norm.as_str()) && !self.text[t.span.end..].starts_with('-')
    }

    /// Where the phrase continues after `want` met at `pos` or after at
    /// most `max_gap` unmatched words: the position of `want` and the one
    /// after it. Unless `link.contrast` (the phrase has a contrastive word
    /// of its own there), it never reads across one.
    fn step(
        &self,
        pos: usize,
        want: u32,
        max_gap: usize,
        sentence: usize,
        link: Link,
    ) -> Option<(usize, usize)> {
        let Link {
            copula,
            contrast,
            within_clause,
        } = link;
        for gap in 0..=max_gap {
            let q = pos + gap;
            if q >= self.stream.len() || self.sentence_of(q) != sentence {
                return None;
            }
            if !contrast && self.contrast_before[q] {
                return None;
            }
            // A skipped word stays inside the phrase's clause: "Unlike pip,
            // conda can install" does not say "pip can install".
            if gap > 0 && self.break_before[pos..=q].iter().any(|&b| b) {
                return None;
            }
            if let Some(&(_, len)) = self.hits_at(q).iter().find(|(id, _)| *id == want) {
                // Nor, in a false statement, an adjacent word across a
                // joint of two clauses: "threads run inside one process;
                // they share its memory" does not say that processes share
                // memory. Asked only of a word that would match: rarely.
                if within_clause && gap == 0 && self.joint_before(q) {
                    return None;
                }
                // Nor across a comma where the phrase says one thing is
                // another and the answer does not: "changes the caller's
                // list, immutable objects you can share" does not say that
                // lists are immutable ("readlines(), which is lazy" does).
                if copula && self.break_before[q] && !self.copula_before(q) {
                    return None;
                }
                return Some((q, q + len));
            }
            if self.unskippable[q]
                || (copula && self.contains_verb(q))
                || (within_clause && self.preventing[q])
            {
                return None;
            }
        }
        None
    }

    /// Whether a copula lies between the stream position and the matchable
    /// word before it, also as a contraction ("so there's no
    /// serialization", whose `'s` the tokenizer drops like a possessive's).
    fn copula_before(&self, pos: usize) -> bool {
        let tokens = &self.analysis.tokens;
        let from = pos.checked_sub(1).map_or(0, |p| self.stream[p] + 1);
        tokens[from..self.stream[pos]].iter().any(|t| {
            super::compile::COPULAS.contains(&t.norm.as_str())
                || (CONTRACTED_IS.contains(&t.norm.as_str())
                    && self.text[t.span.clone()].ends_with(['s', 'S'])
                    && self.text[t.span.clone()].len() > t.norm.len())
        })
    }

    /// Whether the word at a stream position is a [`CONTAINMENT`] verb.
    fn contains_verb(&self, pos: usize) -> bool {
        CONTAINMENT.contains(self.analysis.tokens[self.stream[pos]].norm.as_str())
    }

    /// Whether a negation in the same clause precedes the token.
    pub fn negated(&self, token: usize) -> bool {
        self.negator_of(token).is_some()
    }

    /// The negator that denies the token, if any (see [`Prepared::negated`]).
    fn negator_of(&self, token: usize) -> Option<usize> {
        let tokens = &self.analysis.tokens;
        let sentence = tokens[token].sentence;
        let mut content = 0;
        let mut j = token;
        while j > 0 {
            if tokens[j].clause_break && !self.opens_quote(j) {
                if !self.in_or_list(j) {
                    break;
                }
                // "never use gunicorn, uvicorn or nginx": the negation
                // denies every item; the items do not use up its reach.
                content = 0;
            }
            j -= 1;
            let t = &tokens[j];
            if t.sentence != sentence {
                break;
            }
            // "none of this is guaranteed": a negator, though "none"
            // alone is Python's None.
            let none_of = t.norm == "none" && tokens.get(j + 1).is_some_and(|n| n.norm == "of");
            if t.kind == Kind::Negator || none_of {
                // "not only X": a hedge, not a denial. But a phrase word
                // that is itself the hedge word ("only one thread") after
                // "not" is denied: the hedge must leave words before the token.
                let hedge = j + 1 < token
                    && tokens.get(j + 1).is_some_and(|n| {
                        matches!(n.norm.as_str(), "only" | "just" | "merely" | "matter")
                    })
                    && !self.denies_a_doing(j);
                // "no doubt that X", "without a doubt, X": certainty, not
                // a denial of X.
                let certain = tokens[j + 1..token]
                    .iter()
                    .take(2)
                    .position(|n| n.norm == "doubt")
                    .is_some_and(|at| at == 0 || tokens[j + 1].norm == "a");
                if !hedge && !certain {
                    return Some(j);
                }
                continue;
            }
            if self.is_barrier(t) {
                // Right after a negator (not "without", which sets aside):
                let after_negator = !t.clause_break
                    && j > 0
                    && tokens[j - 1].sentence == sentence
                    && tokens[j - 1].kind == Kind::Negator
                    && tokens[j - 1].norm != "without";
                // "not because they are slow to hash": the negation denies
                // the reason the "because" gives, so it reaches through it.
                let denied_reason = after_negator && matches!(t.norm.as_str(), "because" | "since");
                // "at runtime, not at compile time": a negation right
                // before a preposition denies the phrase it opens, from its
                // first content word ("isn't for python you know it's a
                // java thing" still says "java thing"). Not "in": "not in"
                // is Python's operator ("x not in seen").
                let denied_phrase = after_negator
                    && PREPOSITIONS.contains(t.norm.as_str())
                    && t.norm != "in"
                    && content == 0;
                if denied_reason || denied_phrase {
                    return Some(j - 1);
                }
                break;
            }
            if t.kind == Kind::Word {
                content += 1;
                if content > NEGATION_REACH {
                    break;
                }
            }
        }
        None
    }

    /// Whether the token's negation stops at a relative clause between the
    /// negator and it (see [`Prepared::opens_relative_clause`]). Asked only
    /// of what earns a point: a false statement's words in a relative
    /// clause after a negation ("Python won't stop a subclass that is free
    /// to break the contract") are a description the writer need not hold,
    /// so the negation still keeps them from counting as a claim.
    fn negation_stops_before(&self, token: usize) -> bool {
        self.negator_of(token).is_some_and(|j| {
            !self.denies_being(j) && (j + 1..token).any(|k| self.opens_relative_clause(k))
        })
    }

    /// Whether the token at `k` is a "that" opening a relative clause: it
    /// follows a noun phrase (an indefinite pronoun, or a word one or two
    /// after an article), so what the clause says describes that noun and
    /// a negation before it does not deny it ("never pass one to something
    /// that exhausts its input" warns about exhausting it). After a verb,
    /// "that" opens what the verb is about, and a negation reaches in ("do
    /// not assume that dicts are sorted").
    fn opens_relative_clause(&self, k: usize) -> bool {
        let tokens = &self.analysis.tokens;
        if tokens[k].norm != "that" || k == 0 {
            return false;
        }
        let before = &tokens[k - 1];
        if before.sentence != tokens[k].sentence || before.kind != Kind::Word {
            return false;
        }
        if INDEFINITE_PRONOUNS.contains(before.norm.as_str()) {
            return true;
        }
        // "not the case that X", "not the idea that X": what follows is
        // the content of the noun, which the negation denies.
        if CONTENT_NOUNS.contains(before.norm.as_str()) {
            return false;
        }
        tokens[k.saturating_sub(3)..k - 1]
            .iter()
            .any(|t| t.sentence == before.sentence && ARTICLES.contains(t.norm.as_str()))
    }

    /// Whether the negator at `j` denies that the subject is something
    /// ("a race is not something that happens only on multiple cores",
    /// "isn't a library that ..."): after a copula, or right before an
    /// article or an indefinite pronoun. Such a negation covers the
    /// relative clause that describes the something.
    fn denies_being(&self, j: usize) -> bool {
        let tokens = &self.analysis.tokens;
        let copula = j > 0 && {
            let before = tokens[j - 1].norm.as_str();
            super::compile::COPULAS.contains(&before) || CONTRACTED_IS.contains(&before)
        };
        let noun_next = tokens.get(j + 1).is_some_and(|n| {
            ARTICLES.contains(n.norm.as_str()) || INDEFINITE_PRONOUNS.contains(n.norm.as_str())
        });
        copula || noun_next
    }

    /// Whether "not just" (or "not only", "not merely") at the negator `j`
    /// turns down what follows rather than hedging it: a gerund comes next
    /// and nothing later in the sentence adds to it ("find which difference
    /// matters, not just hitting rerun until it goes green"). "Not just
    /// writing tests but also reviewing them" is still a hedge.
    fn denies_a_doing(&self, j: usize) -> bool {
        let tokens = &self.analysis.tokens;
        let sentence = tokens[j].sentence;
        let Some(next) = tokens.get(j + 2) else {
            return false;
        };
        let gerund = next.kind == Kind::Word
            && next.sentence == sentence
            && next.norm.len() > 5
            && next.norm.ends_with("ing");
        gerund
            && !tokens[j + 2..]
                .iter()
                .take_while(|t| t.sentence == sentence)
                .any(|t| matches!(t.norm.as_str(), "but" | "also" | "too"))
    }

    /// Whether the clause break before token `k` is only an opening double
    /// quote: what is quoted after a negation is what it denies ("there is
    /// no "interpreting line by line"", "it is not "pass by reference"").
    fn opens_quote(&self, k: usize) -> bool {
        let tokens = &self.analysis.tokens;
        if k == 0 || tokens[k - 1].sentence != tokens[k].sentence {
            return false;
        }
        let gap = &self.text[tokens[k - 1].span.end..tokens[k].span.start];
        gap.starts_with(char::is_whitespace) && matches!(gap.trim_start(), "\"" | "\u{201c}")
    }

    /// Whether the clause break before token `k` is a comma between the
    /// items of a list closed by "or"/"nor": from `k` on, items of one or
    /// two content words separated by commas, then "or" or "nor" and a last
    /// item, with at least one item before the comma. "Never use gunicorn,
    /// uvicorn or nginx" denies all three; "not thread-safe, use a lock"
    /// (no closing "or") and "no locks, or you get deadlocks" (two items)
    /// stay two clauses.
    fn in_or_list(&self, k: usize) -> bool {
        let tokens = &self.analysis.tokens;
        let comma_before = |i: usize| {
            i > 0
                && tokens[i].clause_break
                && self.text[tokens[i - 1].span.end..tokens[i].span.start].trim() == ","
        };
        if !comma_before(k) || tokens[k - 1].sentence != tokens[k].sentence {
            return false;
        }
        let sentence = tokens[k].sentence;
        // Content words of the item being read, items complete since `k`,
        // and whether the closing "or" has come.
        let (mut words, mut items, mut closed) = (0, 0, false);
        if matches!(tokens[k].norm.as_str(), "or" | "nor") {
            // "A, B, or C": the item before this comma follows a comma too.
            let Some(m) = (1..k).rev().find(|&m| tokens[m].clause_break) else {
                return false;
            };
            let item = tokens[m..k].iter().filter(|t| t.kind == Kind::Word).count();
            if tokens[m].sentence != sentence
                || !comma_before(m)
                || !(1..=LIST_ITEM_WORDS).contains(&item)
            {
                return false;
            }
            items = 1;
        }
        for (i, t) in tokens.iter().enumerate().skip(k).take(LIST_SPAN) {
            if t.sentence != sentence {
                break;
            }
            let norm = t.norm.as_str();
            if i > k && t.clause_break {
                if closed || !comma_before(i) || words == 0 {
                    break;
                }
                items += 1;
                words = 0;
            }
            if matches!(norm, "or" | "nor") {
                if words > 0 {
                    items += 1;
                }
                // "A, B or C" (or "A, B, or C"): an item between the comma
                // and the "or".
                if closed || items == 0 || (words == 0 && !comma_before(i)) {
                    return false;
                }
                closed = true;
                words = 0;
                continue;
            }
            if t.kind == Kind::Negator || self.is_barrier(t) {
                // "... or nginx in front of it": a preposition ends the last item.
                return closed && words > 0 && t.kind != Kind::Negator;
            }
            if t.kind == Kind::Word {
                words += 1;
                if words > LIST_ITEM_WORDS {
                    return false;
                }
            }
        }
        closed && words > 0
    }

    /// Whether the token is denied outright: "never", "not" or "no" right
    /// before it, with no content word between and no contrast before the
    /// negator, no [`QUANTIFIERS`] word between or just after ("not
    /// initialized every time" denies how often, not that it is
    /// initialized), and not inside a condition. "X but not Y", "instead
    /// of Y", "without Y" and "no limit to the number" set something aside
    /// or qualify it; they do not say the opposite of a statement about Y.
    fn denied_outright(&self, token: usize) -> bool {
        let tokens = &self.analysis.tokens;
        let Some(j) = self.negator_of(token) else {
            return false;
        };
        let quantifies = |t: &text::Token| QUANTIFIERS.contains(t.norm.as_str());
        let mut after = tokens[token + 1..]
            .iter()
            .take_while(|t| !t.clause_break && t.sentence == tokens[token].sentence)
            .take(QUANTIFIER_REACH);
        matches!(tokens[j].norm.as_str(), "not" | "never" | "no")
            && tokens[j + 1..token]
                .iter()
                .all(|t| t.kind != Kind::Word && !quantifies(t))
            && !after.any(quantifies)
            && !(j > 0 && text::is_contrastive(&tokens[j - 1].norm))
            && !self.in_condition(j)
    }

    /// Whether the negation of the token at stream position `pos` lies in
    /// a condition ("if a child class doesn't implement an abstract method,
    /// you get a TypeError"): the condition names the case a claim is
    /// about, it does not deny it.
    ///
    /// The condition must be closed by a comma before the claim it sets
    /// ("if X doesn't Y, Z"): "when writing one you don't need a finally,
    /// because ..." states its denial in the main clause.
    fn conditional_denial(&self, pos: usize) -> bool {
        let tokens = &self.analysis.tokens;
        let Some(j) = self.negator_of(self.stream[pos]) else {
            return false;
        };
        let Some(c) = self.condition_of(j) else {
            return false;
        };
        // "when one case fails pytest stops and the rest are never
        // reported": a conjunction has ended the condition.
        if tokens[c + 1..j]
            .iter()
            .any(|t| t.norm == "then" || continues_condition(&t.norm))
        {
            return false;
        }
        // "Python skips the compile step if the file hasn't changed": a
        // condition after its claim runs to the end of the clause.
        let opens_sentence = tokens[..c]
            .iter()
            .rev()
            .take_while(|t| t.sentence == tokens[c].sentence)
            .all(|t| t.kind != Kind::Word);
        if !opens_sentence {
            return true;
        }
        let Some(k) = (j + 1..tokens.len())
            .take_while(|&k| tokens[k].sentence == tokens[j].sentence)
            .find(|&k| tokens[k].clause_break)
        else {
            return false;
        };
        let between = &self.text[tokens[k - 1].span.end..tokens[k].span.start];
        (between.contains(',') || tokens[k].norm == "then") && !continues_condition(&tokens[k].norm)
    }

    /// Whether the token lies in a clause opened by a [`CONDITIONS`] word:
    /// "when we do not define one" is a condition, not a claim.
    fn in_condition(&self, token: usize) -> bool {
        self.condition_of(token).is_some()
    }

    /// The [`CONDITIONS`] word that opens the token's clause, if any.
    fn condition_of(&self, token: usize) -> Option<usize> {
        let tokens = &self.analysis.tokens;
        let mut k = token;
        while k > 0 && !tokens[k].clause_break {
            k -= 1;
            if tokens[k].sentence != tokens[token].sentence {
                return None;
            }
            if CONDITIONS.contains(&tokens[k].norm.as_str()) {
                return Some(k);
            }
        }
        None
    }

    /// Every unit in which a rule set is met (fully or for half credit), in
    /// unit order, its groups as close together as `reach` asks.
    pub fn find(&self, rules: &Rules, reach: Reach, scratch: &mut Vec<Range<usize>>) -> Vec<Found> {
        let mut found = Vec::new();
        for r in &rules.regex {
            for m in r.matches(self.text, self.haystack, self.shadow.as_ref()) {
                let first = self
                    .analysis
                    .tokens
                    .iter()
                    .position(|t| t.span.start >= m.start);
                if first.is_some_and(|t| self.negated(t)) {
                    continue;
                }
                // "Default arguments are not re-evaluated on every call": a
                // negation inside the match of a false statement's pattern
                // denies what it says, unless the pattern asks for one. A
                // point's pattern may pair words a contrast joins ("adds
                // behaviour rather than an is-a relationship") and keeps the
                // narrower test.
                if reach == Reach::Claim && !r.names_negation && self.negator_within(&m) {
                    continue;
                }
                let unit = self.units[..self.singles].iter().position(|u| {
                    u.bytes.start <= m.start && m.start < u.bytes.end.max(u.bytes.start + 1)
                });
                if let Some(unit) = unit
                    && !found.iter().any(|f: &Found| f.unit == unit)
                {
                    found.push(Found {
                        unit,
                        credit: 1.0,
                        matched: Vec::new(),
                        regex: Some(m),
                        denied: false,
                        choices: Vec::new(),
                    });
                }
            }
        }
        if rules.groups.is_empty() {
            return found;
        }
        let mut per_group: Vec<Vec<Range<usize>>> = Vec::with_capacity(rules.groups.len());
        let mut denied: Vec<Vec<Range<usize>>> = Vec::new();
        let mut skipped: Vec<Vec<(Range<usize>, usize)>> = Vec::new();
        let every_group = rules.half.is_none() && rules.need.is_none();
        for (gi, g) in rules.groups.iter().enumerate() {
            scratch.clear();
            let deniable = rules.deniable.get(gi).copied().unwrap_or(false);
            let mut negated = Vec::new();
            let mut negated_at = Vec::new();
            for phrase in g {
                self.occurrences(
                    phrase,
                    scratch,
                    deniable.then_some(&mut negated),
                    (reach != Reach::Claim).then_some(&mut negated_at),
                );
            }
            if !rules.deniable.is_empty() {
                denied.push(negated);
            }
            // Every group must be met unless half credit is possible: most
            // rules (above all contradictions) stop at their first group
            // the answer never states.
            if scratch.is_empty() && negated_at.is_empty() && every_group {
                found.sort_by_key(|f| f.unit);
                return found;
            }
            per_group.push(scratch.clone());
            skipped.push(negated_at);
        }
        // A false statement's rule is kept to what its words say outright
        // (its groups are often the negation and the thing denied): only a
        // point's rules collect what a negation skipped.
        self.own_negations(&mut per_group, &mut denied, &skipped);
        if every_group && per_group.iter().any(Vec::is_empty) {
            found.sort_by_key(|f| f.unit);
            return found;
        }
        let n = rules.groups.len();
        let end = if reach == Reach::Pair {
            self.units.len()
        } else {
            self.singles
        };
        for (ui, unit) in self.units.iter().enumerate() {
            if ui >= end && !(reach == Reach::Sentence && unit.introduces) {
                continue;
            }
            if found.iter().any(|f| f.unit == ui) {
                continue;
            }
            let matched = if reach == Reach::Claim {
                self.claims(unit.stream.clone(), unit.run_on)
                    .map(|claim| met(&per_group, claim, &unit.hole))
                    .reduce(|best, m| if m.len() > best.len() { m } else { best })
                    .unwrap_or_default()
            } else {
                met(&per_group, unit.stream.clone(), &unit.hole)
            };
            if denies(&per_group, &denied, unit.stream.clone(), &unit.hole) {
                if !matched.is_empty() {
                    found.push(Found {
                        unit: ui,
                        credit: 0.0,
                        matched,
                        regex: None,
                        denied: true,
                        choices: Vec::new(),
                    });
                }
                continue;
            }
            if unit.is_block() && self.members_met(unit, &matched) < BLOCK_MEMBERS {
                // Two of a list's sentences are read as a pair, or as its
                // lead with one item; a block is for what takes more.
                continue;
            }
            let credit = if matched.len() >= rules.need.unwrap_or(n) {
                1.0
            } else if rules.half.is_some_and(|h| matched.len() >= h) {
                0.5
            } else if let Some(need) = rules.need.filter(|_| !matched.is_empty()) {
                matched.len() as f64 / need as f64
            } else {
                continue;
            };
            let choices = per_group
                .iter()
                .map(|occ| {
                    occ.iter()
                        .filter(|o| within(o, &unit.stream, &unit.hole))
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .filter(|o| !o.is_empty())
                .collect();
            found.push(Found {
                unit: ui,
                credit,
                matched,
                regex: None,
                denied: false,
                choices,
            });
        }
        found.sort_by_key(|f| f.unit);
        found
    }

    /// Gives back to each group the occurrences skipped for a negation
    /// that lies inside another group's match: in "refcounting can't free
    /// cycles" the "can't" that reaches "cycles" is the point's own words
    /// ("can't free"), so the cycles are what the point is about, not
    /// something denied.
    fn own_negations(
        &self,
        per_group: &mut [Vec<Range<usize>>],
        denied: &mut [Vec<Range<usize>>],
        skipped: &[Vec<(Range<usize>, usize)>],
    ) {
        let mut back = Vec::new();
        for (gi, occurrences) in skipped.iter().enumerate() {
            for (occurrence, negator) in occurrences {
                let inside = per_group.iter().enumerate().any(|(gj, matched)| {
                    gj != gi
                        && matched
                            .iter()
                            .any(|o| self.denies_its_object(*negator, o, occurrence))
                });
                if inside {
                    back.push((gi, occurrence.clone()));
                }
            }
        }
        for (gi, occurrence) in back {
            if let Some(d) = denied.get_mut(gi) {
                d.retain(|o| *o != occurrence);
            }
            per_group[gi].push(occurrence);
        }
    }

    /// Whether the negator at token `negator` lies inside the match `o`,
    /// denies a content word of it ("can't free"), and `object` follows
    /// right after it, in the same clause and with no content word between
    /// ("can't free cycles"). A match that ends with its negation ("rather
    /// than") hands the denial on to what comes next ("rather than by its
    /// methods"); one that holds the object ("no side effects") is a denial
    /// of it; and an object further off is another claim ("attributes that
    /// don't exist, mirroring the fallback").
    fn denies_its_object(&self, negator: usize, o: &Range<usize>, object: &Range<usize>) -> bool {
        let tokens = &self.analysis.tokens;
        let (first, last) = (self.stream[o.start], self.stream[o.end - 1]);
        let start = self.stream[object.start];
        first <= negator
            && negator < last
            && tokens[negator + 1..=last]
                .iter()
                .any(|t| t.kind == Kind::Word)
            && last < start
            && start - last <= OBJECT_REACH + 1
            && !tokens[last + 1..=start].iter().any(|t| t.clause_break)
            && tokens[last + 1..start].iter().all(|t| t.kind != Kind::Word)
    }

    /// How many of a unit's single units hold a matched phrase.
    fn members_met(&self, unit: &Unit, matched: &[Range<usize>]) -> usize {
        unit.members()
            .filter(|&s| {
                let single = &self.units[s].stream;
                matched
                    .iter()
                    .any(|o| single.start <= o.start && o.start < single.end)
            })
            .count()
    }

    /// The claims of a run of stream positions (see [`Reach::Claim`]). In a
    /// window cut from an overlong sentence (a transcript, mostly), a claim
    /// longer than [`CLAIM_WINDOW`] words is read in overlapping windows of
    /// that many: written sentences keep their claims whole.
    fn claims(&self, run: Range<usize>, run_on: bool) -> impl Iterator<Item = Range<usize>> + '_ {
        let starts = self
            .claim_before
            .get_or_init(|| claim_starts(self.text, &self.analysis, &self.stream));
        let mut start = run.start;
        (run.start + 1..=run.end)
            .filter_map(move |p| {
                if p < run.end && !starts[p] {
                    return None;
                }
                let claim = start..p;
                start = p;
                Some(claim)
            })
            .flat_map(move |claim| windows(claim, if run_on { CLAIM_WINDOW } else { usize::MAX }))
    }

    /// Whether a joint of two clauses (see [`clause_joint_before`]) lies
    /// between the stream word before `q` and the word at `q`.
    fn joint_before(&self, q: usize) -> bool {
        q > 0
            && (self.stream[q - 1] + 1..=self.stream[q])
                .any(|k| clause_joint_before(self.text, &self.analysis, k))
    }

    /// Which single units hold a phrase specific to the rules (see
    /// [`Phrase::specific`]), and which clauses hold a word of one.
    pub fn touched(
        &self,
        rules: &Rules,
        scratch: &mut Vec<Range<usize>>,
        units: &mut [bool],
        clauses: &mut [bool],
    ) {
        scratch.clear();
        for phrase in rules.groups.iter().flatten().filter(|p| p.specific) {
            self.occurrences(phrase, scratch, None, None);
        }
        for o in scratch.iter() {
            for (ui, unit) in self.units[..self.singles].iter().enumerate() {
                if unit.stream.start <= o.start && o.end <= unit.stream.end {
                    units[ui] = true;
                }
            }
            for &c in &self.clause[o.clone()] {
                clauses[c as usize] = true;
            }
        }
    }

    /// Whether every list in a unit (one sentence, or each of its members)
    /// is led by a statement, and the stream range of one of those leads
    /// passes `test`.
    fn any_lead(&self, unit: &Unit, test: impl Fn(Range<usize>) -> bool) -> bool {
        let lists = || unit.members().map(|s| &self.units[s]).filter(|u| u.list);
        // A list's lead: inside its sentence before a colon, or the
        // sentence before it when that is a member of this unit too.
        let lead_of = |u: &Unit| match (u.lead, u.led_by) {
            (Some(end), _) => Some(u.stream.start..end),
            (None, Some(l)) if unit.members().any(|m| m == l) => Some(self.units[l].stream.clone()),
            _ => None,
        };
        lists().all(|u| lead_of(u).is_some()) && lists().filter_map(lead_of).any(test)
    }

    /// Whether matched phrases in a unit that holds a list are stated by
    /// the statements leading its lists: every list in the unit is led by
    /// a statement, and one of the phrases lies in a lead. "Retry when the
    /// failure is transient: timeouts, 503s. Fail fast when retrying can't
    /// help: 400s, 404." states a point across its two leads and their
    /// enumerations.
    pub fn led(&self, unit: &Unit, matched: &[Range<usize>]) -> bool {
        self.any_lead(unit, |lead| {
            matched
                .iter()
                .any(|o| lead.start <= o.start && o.end <= lead.end)
        })
    }

    /// Whether every list in a unit is led by a statement and one of the
    /// leads says its enumeration is an order or a ranking ("Most to least
    /// efficient: f2, f1, f3"; "The MRO lists them in order: D, B, C, A"): then
    /// the items, in the order written, are the claim, as the steps of a
    /// numbered list are.
    pub fn ordered(&self, unit: &Unit) -> bool {
        self.any_lead(unit, |lead| {
            !lead.is_empty()
                && says_order(
                    &self.analysis.tokens[self.stream[lead.start]..=self.stream[lead.end - 1]],
                )
        })
    }

    /// Whether a matched phrase of a framed list lies in one of the
    /// clauses that frame it (see `Unit::framing`).
    pub fn said_in_clause(&self, unit: &Unit, matched: &[Range<usize>]) -> bool {
        unit.framing.iter().any(|clause| {
            matched
                .iter()
                .any(|o| clause.start <= o.start && o.end <= clause.end)
        })
    }

    /// The last answer token a finding rests on.
    pub fn last_token(&self, f: &Found) -> usize {
        if let Some(r) = &f.regex {
            return self
                .analysis
                .tokens
                .iter()
                .rposition(|t| t.span.start < r.end)
                .unwrap_or(0);
        }
        let last = f
            .matched
            .iter()
            .map(|o| o.end.saturating_sub(1))
            .max()
            .unwrap_or(self.units[f.unit].stream.start);
        self.stream.get(last).copied().unwrap_or(0)
    }

    /// Whether a finding is a claim the answer makes: not in a list of
    /// terms, not a reported belief, not an indirect question, not a
    /// hypothetical.
    ///
    /// A denial frame inside the finding denies it too (see
    /// [`units::denied_inside`]).
    pub fn asserted(&self, f: &Found) -> bool {
        f.credit >= 1.0
            && !self.units[f.unit].list
            && !units::reported(&self.analysis, self.first_token(f))
            && !units::denied_inside(&self.analysis, self.first_token(f), self.last_token(f))
            && !self.verb_denied_inside(f)
            && !units::questioned(&self.analysis, self.first_token(f), self.last_token(f))
            && !units::hypothetical(&self.analysis, self.last_token(f))
            && !units::judged_false_after(&self.analysis, self.last_token(f))
            && !self.judged(f)
            && !self.asked(f)
    }

    /// Whether the finding's sentence is a question the answer asks, not a
    /// claim it makes: one that opens with an auxiliary ("Does every call
    /// evaluate the default?"), or any question answered "no" ("Every call
    /// evaluates the default? No, once at definition."). A question answered
    /// "yes", a tag question ("..., right?") and a why-question hold their
    /// claim; so does a negative one ("Doesn't the GIL make it
    /// thread-safe?"), rhetorical, unless its own "not" denies the words.
    /// A "why not" question raises an option without claiming it ("Why not
    /// the obvious `sum(1 for line in open(path) ...)`?", before saying why
    /// not): the "not" there negates no claim, so "not ... sum" is not "can't
    /// be summed".
    fn asked(&self, f: &Found) -> bool {
        let tokens = &self.analysis.tokens;
        let sentence = tokens[self.first_token(f)].sentence;
        let Some(range) = self.analysis.sentences.get(sentence) else {
            return false;
        };
        if !self.text[range.clone()].trim_end().ends_with('?') {
            return false;
        }
        let start = tokens.partition_point(|t| t.sentence < sentence);
        let next = tokens.partition_point(|t| t.sentence <= sentence);
        match tokens.get(next).map(|t| t.norm.as_str()) {
            Some("yes" | "yeah" | "yep" | "right" | "exactly" | "correct") => return false,
            Some("no" | "nope") => return true,
            _ => {}
        }
        let word = |k: usize| tokens.get(k).filter(|t| t.sentence == sentence);
        if word(start).is_some_and(|t| t.norm == "why")
            && word(start + 1).is_some_and(|t| t.norm == "not")
        {
            return true;
        }
        word(start).is_some_and(|t| AUXILIARIES.contains(t.norm.as_str()))
            && !word(start + 1).is_some_and(|t| t.kind == Kind::Negator)
    }

    /// Whether a "not" or "never" between a false statement's matched words
    /// denies the claim they make together: "twelve-factor does not
    /// recommend storing config in a database" states no "twelve-factor ...
    /// config in a database". A plain negation stops at a preposition (it
    /// denies "recommend storing config", not what comes after "in"), which
    /// is right for a point's phrase but lets a denied claim whose words
    /// straddle the verb through. Only within one clause:
    /// a word that opens another ("because", "so", "which") ends it.
    fn verb_denied_inside(&self, f: &Found) -> bool {
        if f.regex.is_some() {
            return false;
        }
        let matched = self.matched_tokens(f);
        let (Some(&first), Some(&last)) = (matched.first(), matched.last()) else {
            return false;
        };
        let tokens = &self.analysis.tokens;
        // Speech without punctuation: nothing marks where the negated
        // clause ends ("leaving out wraps doesn't really matter you know it
        // has no consequence").
        let sentence = tokens[first].sentence;
        let start = tokens[..first]
            .iter()
            .rposition(|t| t.sentence != sentence)
            .map_or(0, |i| i + 1);
        let end = tokens[last..]
            .iter()
            .position(|t| t.sentence != sentence)
            .map_or(tokens.len(), |i| last + i);
        let after = tokens[end - 1].span.end;
        let mark = self.text[after..].chars().next().map_or(0, char::len_utf8);
        let said = &self.text[tokens[start].span.start..after + mark];
        if self.units[f.unit].run_on || !said.contains(['.', ',', ';', ':', '!', '?']) {
            return false;
        }
        if self.verb_denied_before(first, last, start) {
            return true;
        }
        let opens_clause = |n: &crate::text::Token| CLAUSE_OPENERS.contains(n.norm.as_str());
        (first + 1..last).any(|j| {
            let t = &tokens[j];
            let before = match matched.binary_search(&j) {
                Ok(_) => return false,
                Err(at) => matched[at - 1],
            };
            matches!(t.norm.as_str(), "not" | "never")
                && !tokens[before + 1..=j].iter().any(|n| n.clause_break)
                && !tokens[before + 1..j].iter().any(opens_clause)
                && t.sentence == tokens[last].sentence
                && !self.hedged(j)
                && !tokens[j + 1..=last].iter().any(|n| n.clause_break)
                && !tokens[j + 1..last].iter().any(opens_clause)
        })
    }

    /// Whether the negator at token `j` is a hedge ("not only", "not
    /// always"): it denies nothing.
    fn hedged(&self, j: usize) -> bool {
        self.analysis
            .tokens
            .get(j + 1)
            .is_some_and(|n| HEDGES.contains(n.norm.as_str()))
    }

    /// Whether a "not" or "never" shortly before a false statement's first
    /// matched word negates a verb whose prepositional phrase holds the
    /// claim: "CPython does not go from source straight to bytecode" states
    /// no "source straight to bytecode". A plain negation stops at the
    /// preposition; here it reaches past one (and no further than
    /// [`NEGATION_REACH`] content words) to a claim that starts after it,
    /// within the clause (`start` is the sentence's first token). Without a
    /// preposition between, the plain negation has already decided.
    ///
    /// The whole claim, up to its `last` word, must lie in the negated
    /// clause: "you don't need to design for backpressure, the garbage
    /// collector takes care of it" denies the design, and states the
    /// claim about the collector all the same.
    fn verb_denied_before(&self, first: usize, last: usize, start: usize) -> bool {
        let tokens = &self.analysis.tokens;
        if tokens[first + 1..=last]
            .iter()
            .any(|n| n.clause_break || CLAUSE_OPENERS.contains(n.norm.as_str()))
        {
            return false;
        }
        let mut content = 0;
        let mut preposition = false;
        for j in (start..first).rev() {
            if tokens[j + 1].clause_break {
                return false;
            }
            let t = &tokens[j];
            let word = t.norm.as_str();
            if matches!(word, "not" | "never") {
                return preposition && !self.hedged(j);
            }
            if CLAUSE_OPENERS.contains(word) {
                return false;
            }
            preposition |= PREPOSITIONS.contains(word);
            if t.kind == Kind::Word {
                content += 1;
                if content > NEGATION_REACH {
                    return false;
                }
            }
        }
        false
    }

    /// Whether the unit of a false statement's finding also says one of the
    /// statement's qualifiers (`Rules::unless`), under which its words are
    /// true: "on the free-threaded build, threads run on all cores".
    ///
    /// A window cut from a long sentence (a transcript, mostly) ends where
    /// the cut falls, not where the claim does: there the qualifier may
    /// also be said just outside it, within [`QUALIFIER_REACH`] words of
    /// the finding's own words and in its sentence ("and if you just call
    /// reversed on a generator | you get a type error").
    pub fn qualified(&self, unless: &[Phrase], f: &Found, scratch: &mut Vec<Range<usize>>) -> bool {
        if unless.is_empty() {
            return false;
        }
        let unit = &self.units[f.unit];
        let mut run = unit.stream.clone();
        if unit.window && !run.is_empty() {
            // Stream positions of the finding's first and last words.
            let first = self.stream.partition_point(|&t| t < self.first_token(f));
            let last = self.stream.partition_point(|&t| t <= self.last_token(f));
            // A sentence's words are one run of the stream.
            let sentence = self.sentence_of(run.start);
            let start = (first.saturating_sub(QUALIFIER_REACH)..run.start)
                .find(|&p| self.sentence_of(p) == sentence)
                .unwrap_or(run.start);
            let end = (run.end..(last + QUALIFIER_REACH).min(self.stream.len()))
                .take_while(|&p| self.sentence_of(p) == sentence)
                .last()
                .map_or(run.end, |p| p + 1);
            run = start..end;
        }
        scratch.clear();
        for phrase in unless {
            self.occurrences(phrase, scratch, None, None);
        }
        scratch.iter().any(|o| within(o, &run, &unit.hole))
    }

    /// Whether a finding names a practice its sentence judges bad (see
    /// [`units::judged`]).
    pub fn judged(&self, f: &Found) -> bool {
        units::judged(&self.analysis, self.first_token(f), self.last_token(f))
    }

    /// Whether a finding's words are the subject of a predicate that waves
    /// them away (see [`dismissal::dismissed`]).
    pub fn dismissed(&self, f: &Found) -> bool {
        if f.regex.is_some() {
            return false;
        }
        dismissal::dismissed(&self.analysis, &self.matched_tokens(f))
    }

    /// The answer tokens a finding's phrases matched, in text order.
    fn matched_tokens(&self, f: &Found) -> Vec<usize> {
        let mut tokens: Vec<usize> = f
            .matched
            .iter()
            .flat_map(|o| o.clone())
            .filter_map(|p| self.stream.get(p).copied())
            .collect();
        tokens.sort_unstable();
        tokens.dedup();
        tokens
    }

    /// Where the answer names each of the rubric's sides, in text order.
    pub fn side_mentions(&self, sides: &[Rules]) -> Vec<Mention> {
        let mut out = Vec::new();
        let (mut said, mut negated) = (Vec::new(), Vec::new());
        for (side, rules) in sides.iter().enumerate() {
            said.clear();
            negated.clear();
            for phrase in rules.groups.iter().flatten() {
                self.occurrences(phrase, &mut said, Some(&mut negated), None);
            }
            out.extend(said.iter().chain(&negated).map(|o| Mention {
                side,
                tokens: self.stream[o.start]..self.stream[o.end - 1] + 1,
            }));
        }
        // Where names overlap, the longer one is meant: "do...while
        // statement" names that side, not "while" inside it.
        out.sort_by_key(|m| (m.tokens.start, std::cmp::Reverse(m.tokens.end), m.side));
        let mut kept: Vec<Mention> = Vec::with_capacity(out.len());
        for m in out {
            if kept.last().is_none_or(|k| m.tokens.start >= k.tokens.end) {
                kept.push(m);
            }
        }
        kept
    }

    /// The side a point's text is about: the one it names among its first
    /// [`sides::SUBJECT_WORDS`] words, when it names no other side at all.
    /// "Python's sort is Timsort, a hybrid of merge sort" is not about
    /// merge sort; "as in C" names C as a foil, not as the subject.
    pub fn subject_side(&self, sides: &[Rules]) -> Option<usize> {
        let mentions = self.side_mentions(sides);
        let first = mentions.first()?;
        let opening = self
            .stream
            .get(sides::SUBJECT_WORDS)
            .is_none_or(|&t| first.tokens.start < t);
        (opening && mentions.iter().all(|m| m.side == first.side)).then_some(first.side)
    }

    /// Whether a finding says its point's words of another side than the
    /// point's own (see `sides`).
    pub fn swapped(&self, f: &Found, own: usize, mentions: &[Mention]) -> bool {
        if f.regex.is_some() || mentions.is_empty() {
            return false;
        }
        let mut words = self.matched_tokens(f);
        words.retain(|t| !mentions.iter().any(|m| m.tokens.contains(t)));
        sides::swapped(&self.analysis, &words, own, mentions)
    }

    /// The first answer token a finding rests on.
    pub fn first_token(&self, f: &Found) -> usize {
        if let Some(r) = &f.regex {
            return self
                .analysis
                .tokens
                .iter()
                .position(|t| t.span.start >= r.start)
                .unwrap_or(0);
        }
        let first = f
            .matched
            .iter()
            .map(|o| o.start)
            .min()
            .unwrap_or(self.units[f.unit].stream.start);
        self.stream.get(first).copied().unwrap_or(0)
    }
}

/// Whether some group occurs in `run` only negated (see
/// `Rules::deniable`); `denied` is empty for other rules.
fn denies(
    per_group: &[Vec<Range<usize>>],
    denied: &[Vec<Range<usize>>],
    run: Range<usize>,
    hole: &Range<usize>,
) -> bool {
    let inside = |o: &Range<usize>| within(o, &run, hole);
    denied
        .iter()
        .zip(per_group)
        .any(|(no, yes)| no.iter().any(inside) && !yes.iter().any(inside))
}

/// The snake_case names that the answer word at stream position `pos`
/// and the next one or two start, said aloud: "task done" for
/// `task_done`, "call soon threadsafe" for `call_soon_threadsafe`. Only
/// words written next to each other, as speech has them.
fn snake_hits(
    vocab: &Vocab,
    analysis: &Analysis,
    stream: &[usize],
    pos: usize,
    hits: &mut Vec<(u32, usize)>,
) {
    let tokens = &analysis.tokens;
    let (ti, next) = (stream[pos], stream[pos + 1]);
    let (a, b) = (tokens[ti].norm.as_str(), tokens[next].norm.as_str());
    if let Some(id) = vocab.snake_joined(&[a, b]) {
        hits.push((id, 2));
    }
    if let Some(&third) = stream.get(pos + 2)
        && third == next + 1
        && !tokens[third].clause_break
        && let Some(id) = vocab.snake_joined(&[a, b, tokens[third].norm.as_str()])
    {
        hits.push((id, 3));
    }
}

/// Whether an occurrence lies inside `run` and outside its `hole` (see
/// `Unit::hole`).
fn within(o: &Range<usize>, run: &Range<usize>, hole: &Range<usize>) -> bool {
    run.start <= o.start && o.end <= run.end && !(o.start < hole.end && hole.start < o.end)
}

/// Whether `prefix` before `word` makes its opposite rather than another
/// word: "un" and "non" go before almost any adjective or participle
/// ("unsafe", "unsupported", "nonblocking"; not "less", which would make
/// "unless"), while "in", "im", "ir" and "il" only before the endings of
/// adjectives ("invalid", "immutable", "irreversible", "illegal"), so
/// "not prove" is no "improve", "not put" no "input", "not stall" no
/// "install".
fn takes_negative_prefix(prefix: &str, word: &str) -> bool {
    const ADJECTIVE_ENDINGS: &[&str] = &[
        "able", "ible", "al", "ive", "ent", "ant", "id", "ete", "ect", "ure", "ite", "ate", "ous",
        "ic", "ful",
    ];
    match prefix {
        "un" | "non" => word.len() >= 4 && word != "less",
        _ => word.len() >= 5 && ADJECTIVE_ENDINGS.iter().any(|e| word.ends_with(e)),
    }
}

/// Whether a word looks like a comparative or superlative ("safer",
/// "fastest"): "not safer" is no "unsafe", though both stem alike.
fn is_comparative(word: &str) -> bool {
    word.len() > 4 && (word.ends_with("er") || word.ends_with("est"))
}

/// The first occurrence of each group met inside `run` and outside `hole`,
/// in group order; groups not met there are left out.
fn met(
    per_group: &[Vec<Range<usize>>],
    run: Range<usize>,
    hole: &Range<usize>,
) -> Vec<Range<usize>> {
    per_group
        .iter()
        .filter_map(|occ| occ.iter().find(|o| within(o, &run, hole)).cloned())
        .collect()
}

/// Words that carry a claim's subject on from the claim before: a pronoun
/// ("; they raise IndexError"), or, right after the break, a word a
/// predicate opens with when its subject is left out ("but never stores
/// it", "; is also ...").
static SUBJECT_CARRIED: WordSet = WordSet::new(&[
    "it", "they", "this", "these", "that", "those", "which", "he", "she", "its", "their", "never",
    "not", "no", "also", "still", "only", "always", "just", "then", "is", "are", "was", "were",
    "does", "do", "did", "can", "cannot", "will", "would", "should", "must", "may", "has", "have",
    "had", "be",
]);
/// How many words after a break are searched for a subject carried on
/// ("; like Java it relies on ...").
const SUBJECT_SEARCH: usize = 3;

/// Per stream position, whether a new claim with a subject of its own
/// starts between the word before and this one (see [`Reach::Claim`]): a
/// semicolon or a contrastive word comes between them, and none of the
/// [`SUBJECT_SEARCH`] words after it is a [`SUBJECT_CARRIED`] word, and
/// its first word does not name again a word of the claim before ("index
/// every column; indexes make writes faster").
fn claim_starts(text: &str, analysis: &Analysis, stream: &[usize]) -> Vec<bool> {
    let tokens = &analysis.tokens;
    let mut starts = vec![false; stream.len()];
    let mut claim = 0;
    for q in 1..stream.len() {
        let Some(after) = claim_break(text, analysis, stream[q - 1] + 1..stream[q] + 1) else {
            continue;
        };
        let next = &tokens[after..];
        let carried = next
            .iter()
            .take(SUBJECT_SEARCH)
            .any(|n| SUBJECT_CARRIED.contains(n.norm.as_str()))
            || next
                .iter()
                .find(|n| n.kind == Kind::Word)
                .is_some_and(|n| stream[claim..q].iter().any(|&t| tokens[t].stem == n.stem));
        if !carried {
            starts[q] = true;
            claim = q;
        }
    }
    starts
}

/// A claim as overlapping windows of `size` stream words, half a window
/// apart: the claim itself when it is no longer than one.
fn windows(claim: Range<usize>, size: usize) -> impl Iterator<Item = Range<usize>> {
    let step = (size / 2).max(1);
    let last = claim.end.saturating_sub(size).max(claim.start);
    (claim.start..=last)
        .step_by(step)
        .chain((last > claim.start && !(last - claim.start).is_multiple_of(step)).then_some(last))
        .map(move |s| s..s.saturating_add(size).min(claim.end))
}

/// Where a claim could start among the tokens `between` (those after one
/// matched word, up to and including the next): the first token after a
/// contrastive word, or the first one after a semicolon.
fn claim_break(text: &str, analysis: &Analysis, between: Range<usize>) -> Option<usize> {
    let tokens = &analysis.tokens;
    between.into_iter().find_map(|k| {
        let t = &tokens[k];
        if t.kind == Kind::Stop && text::is_contrastive(&t.norm) {
            return Some(k + 1);
        }
        let gap_start = if k == 0 { 0 } else { tokens[k - 1].span.end };
        text.get(gap_start..t.span.start)
            .is_some_and(|g| g.contains(';'))
            .then_some(k)
    })
}

/// Words that name an order or a ranking.
const ORDER_WORDS: &[&str] = &["order", "ordered", "rank", "ranked", "ranking", "ranks"];

/// Ends of a scale that "X to Y" runs between ("fastest to slowest").
const SCALE_ENDS: &[&str] = &[
    "most", "least", "fastest", "slowest", "quickest", "best", "worst", "first", "last", "highest",
    "lowest", "cheapest", "top", "bottom",
];

/// Whether tokens say that what follows them is in order (see
/// [`Prepared::ordered`]).
fn says_order(tokens: &[crate::text::Token]) -> bool {
    tokens
        .iter()
        .any(|t| ORDER_WORDS.contains(&t.norm.as_str()))
        || tokens.windows(3).any(|w| {
            SCALE_ENDS.contains(&w[0].norm.as_str())
                && w[1].norm == "to"
                && SCALE_ENDS.contains(&w[2].norm.as_str())
        })
}

/// How a phrase joins two of its words, for `Prepared::step`.
#[derive(Debug, Clone, Copy)]
struct Link {
    /// A copula joins them (see `Phrase::copulas`).
    copula: bool,
    /// The phrase has a contrastive word of its own between them.
    contrast: bool,
    /// Not across a joint of two clauses (see `Phrase::within_clause`).
    within_clause: bool,
}

/// Conjunctions that, after a comma, open a clause of its own ("..., and
/// they share ...").
static CLAUSE_CONJUNCTIONS: WordSet = WordSet::new(&["and", "or", "but", "yet"]);

/// Whether token `k` opens a clause joined to the one before: a semicolon
/// or a dash (" - " too) before it, or a comma and it a
/// [`CLAUSE_CONJUNCTIONS`] word. A comma alone does not ("with large
/// dicts, lookups are O(n)" is one claim), nor a colon, which opens an
/// elaboration or code (`except Exception: pass`) more often.
pub(super) fn clause_joint_before(text: &str, analysis: &Analysis, k: usize) -> bool {
    if k == 0 {
        return false;
    }
    let t = &analysis.tokens[k];
    // Every such mark breaks a clause: most tokens are ruled out here.
    if !t.clause_break {
        return false;
    }
    // The words of a contraction ("don't" → "do", "not") share a span.
    let Some(gap) = text.get(analysis.tokens[k - 1].span.end..t.span.start) else {
        return false;
    };
    gap.contains([';', '\u{2014}', '\u{2013}'])
        || gap.contains(" - ")
        || (gap.contains(',') && CLAUSE_CONJUNCTIONS.contains(t.norm.as_str()))
}

/// Whether token `k` opens a clause by punctuation or a contrastive word,
/// not by the brackets or quotes of code written inline (`isupper()`).
fn clause_punctuation_before(text: &str, analysis: &Analysis, k: usize) -> bool {
    let t = &analysis.tokens[k];
    if !t.clause_break || k == 0 {
        return t.clause_break;
    }
    let gap = &text[analysis.tokens[k - 1].span.end..t.span.start];
    gap.contains([',', ';', ':', '\u{2014}', '\u{2013}'])
        || !gap.contains(['(', ')', '"', '\u{201c}', '\u{201d}'])
}
