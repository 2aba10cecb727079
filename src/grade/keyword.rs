//! The deterministic, offline keyword grader.
//!
//! A rubric is compiled once (phrases stemmed into a small vocabulary, regexes
//! compiled); grading an answer then analyses the answer once, maps every
//! answer word to the vocabulary entries it matches (exactly, after collapsing
//! doubled letters, or within a small edit distance on longer words), and looks
//! for each point's phrase groups inside one sentence or two adjacent ones.
//! A phrase preceded by a negation in the same clause does not count.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use regex::Regex;

use super::{Backend, Grader, Grading, MisconceptionHit, PointResult, QuestionRef, Verification};
use crate::bank::{MatchRules, Question, Rubric};
use crate::text::{self, Analysis, Kind};

/// Sentences longer than this many matchable words are read in windows, so
/// that an unpunctuated transcript is not one giant "sentence".
const LONG_SENTENCE: usize = 40;
const WINDOW: usize = 30;
const WINDOW_STRIDE: usize = 15;
/// Unmatched words allowed between two words of a phrase.
const PHRASE_GAP: usize = 1;
/// Content words a negation reaches forward over.
const NEGATION_REACH: usize = 3;
/// Words that start a new clause or a prepositional phrase, beyond which a
/// negation does not reach ("threads don't help, and you use
/// multiprocessing"; "not good for CPU-bound work" does not deny "CPU-bound").
const NEGATION_BARRIERS: &[&str] = &[
    "and", "so", "then", "because", "since", "which", "while", "when", "where", "if", "for",
    "during", "with", "from", "into", "like", "via", "than", "on", "in", "at", "by",
];
/// Units up to this many matchable words are quoted whole.
const SHORT_UNIT: usize = 15;
/// Matchable words of context quoted around a match in a longer unit.
const CONTEXT_WORDS: usize = 4;
/// Longest evidence quote, in characters.
const MAX_EVIDENCE: usize = 320;

/// The first three characters of a word, the part no stemming changes.
fn prefix(word: &str) -> String {
    word.chars().take(3).collect()
}

/// Compiles a rubric regex: case-insensitive unless the author says otherwise.
pub fn compile_regex(pattern: &str) -> Result<Regex, regex::Error> {
    if pattern.starts_with("(?") {
        Regex::new(pattern)
    } else {
        Regex::new(&format!("(?i){pattern}"))
    }
}

/// The rubric's words, each stored once, with lookups for exact and
/// squashed forms and, for fuzzy matching, by first letter.
#[derive(Debug, Default)]
struct Vocab {
    /// `prefix()` of every stem, to rule out joined words quickly.
    prefixes: std::collections::HashSet<String>,
    stems: Vec<String>,
    exact: HashMap<String, u32>,
    squashed: HashMap<String, Vec<u32>>,
    by_first: HashMap<char, Vec<u32>>,
}

impl Vocab {
    fn intern(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.exact.get(stem) {
            return id;
        }
        let id = self.stems.len() as u32;
        self.prefixes.insert(prefix(stem));
        self.stems.push(stem.to_string());
        self.exact.insert(stem.to_string(), id);
        let sq = text::squash(stem);
        if let Some(first) = sq.chars().next() {
            self.by_first.entry(first).or_default().push(id);
        }
        self.squashed.entry(sq).or_default().push(id);
        id
    }

    /// Vocabulary entries an answer word stands for.
    fn lookup(&self, stem: &str, out: &mut Vec<u32>) {
        if let Some(&id) = self.exact.get(stem) {
            out.push(id);
            return;
        }
        let sq = text::squash(stem);
        if let Some(ids) = self.squashed.get(&sq) {
            out.extend(ids);
            return;
        }
        let len = sq.chars().count();
        if len < 5 || sq.chars().any(|c| c.is_ascii_digit()) {
            return;
        }
        let max = if len >= 9 { 2 } else { 1 };
        let Some(first) = sq.chars().next() else {
            return;
        };
        for &id in self.by_first.get(&first).into_iter().flatten() {
            let cand = text::squash(&self.stems[id as usize]);
            let clen = cand.chars().count();
            if clen >= 4 && clen.abs_diff(len) <= max && strsim::levenshtein(&sq, &cand) <= max {
                out.push(id);
            }
        }
    }
}

#[derive(Debug)]
struct Phrase {
    words: Vec<u32>,
    /// The phrase states a negation itself ("not thread safe"), so a negation
    /// before it is part of the phrase, not a denial.
    negated_form: bool,
}

#[derive(Debug)]
struct Rules {
    groups: Vec<Vec<Phrase>>,
    regex: Vec<Regex>,
    half: Option<usize>,
}

/// A rubric prepared for fast repeated grading.
#[derive(Debug)]
pub struct CompiledRubric {
    vocab: Vocab,
    points: Vec<Rules>,
    misconceptions: Vec<Rules>,
}

impl CompiledRubric {
    pub fn new(rubric: &Rubric) -> Self {
        let mut vocab = Vocab::default();
        let mut compile = |rules: &MatchRules| Rules {
            groups: rules
                .groups
                .iter()
                .map(|group| {
                    let mut phrases = Vec::new();
                    for p in group {
                        // The matchable words of the phrase, analysed once.
                        let words: Vec<text::Token> = text::analyse(p)
                            .tokens
                            .into_iter()
                            .filter(|t| matches!(t.kind, Kind::Word | Kind::Negator))
                            .collect();
                        let Some(first) = words.first() else {
                            continue;
                        };
                        let negated_form = first.kind == Kind::Negator;
                        if (2..=3).contains(&words.len()) {
                            // "ref count" also matches "refcount".
                            let joined: String = words.iter().map(|t| t.norm.as_str()).collect();
                            phrases.push(Phrase {
                                words: vec![vocab.intern(&text::stem(&joined))],
                                negated_form,
                            });
                        }
                        phrases.push(Phrase {
                            words: words.iter().map(|t| vocab.intern(&t.stem)).collect(),
                            negated_form,
                        });
                    }
                    phrases
                })
                .collect(),
            // Patterns were validated when the bank loaded.
            regex: rules
                .regex
                .iter()
                .filter_map(|r| compile_regex(r).ok())
                .collect(),
            half: rules.half_threshold(),
        };
        let points = rubric.points.iter().map(|p| compile(&p.rules)).collect();
        let misconceptions = rubric
            .misconceptions
            .iter()
            .map(|m| compile(&m.rules))
            .collect();
        CompiledRubric {
            vocab,
            points,
            misconceptions,
        }
    }
}

/// A run of stream positions read as one unit of meaning.
#[derive(Debug, Clone)]
struct Unit {
    stream: Range<usize>,
    /// A window cut from a long sentence rather than whole sentences.
    window: bool,
    /// Byte range quoted as evidence.
    bytes: Range<usize>,
}

/// An answer prepared for matching against one compiled rubric.
struct Prepared<'a> {
    text: &'a str,
    analysis: Analysis,
    /// Indices into `analysis.tokens` of the words matching looks at.
    stream: Vec<usize>,
    /// Per stream position: (vocabulary id, number of stream words it covers).
    hits: Vec<Vec<(u32, usize)>>,
    index: HashMap<u32, Vec<usize>>,
    units: Vec<Unit>,
}

impl<'a> Prepared<'a> {
    fn new(text: &'a str, vocab: &Vocab) -> Self {
        let analysis = text::analyse(text);
        let stream: Vec<usize> = analysis
            .tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t.kind, Kind::Word | Kind::Negator))
            .map(|(i, _)| i)
            .collect();
        let mut hits = vec![Vec::new(); stream.len()];
        let mut index: HashMap<u32, Vec<usize>> = HashMap::new();
        let mut ids = Vec::new();
        for (pos, &ti) in stream.iter().enumerate() {
            let tok = &analysis.tokens[ti];
            ids.clear();
            vocab.lookup(&tok.stem, &mut ids);
            for &id in &ids {
                hits[pos].push((id, 1));
            }
            // "multi processing" also matches "multiprocessing".
            if let Some(&next) = stream.get(pos + 1) {
                let nt = &analysis.tokens[next];
                // Stemming only trims endings, so a joined word can match only
                // if some rubric stem starts like it: skip the rest cheaply.
                let could_match = vocab.prefixes.contains(&prefix(&tok.norm));
                if could_match && nt.sentence == tok.sentence && !nt.clause_break {
                    let joined = text::stem(&format!("{}{}", tok.norm, nt.norm));
                    if let Some(&id) = vocab.exact.get(&joined) {
                        hits[pos].push((id, 2));
                    }
                }
            }
            for &(id, _) in &hits[pos] {
                index.entry(id).or_default().push(pos);
            }
        }
        let units = units(&analysis, &stream);
        Prepared {
            text,
            analysis,
            stream,
            hits,
            index,
            units,
        }
    }

    fn sentence_of(&self, pos: usize) -> usize {
        self.analysis.tokens[self.stream[pos]].sentence
    }

    /// Where a phrase occurs, as stream ranges, skipping negated occurrences.
    fn occurrences(&self, phrase: &Phrase, out: &mut Vec<Range<usize>>) {
        let Some(starts) = self.index.get(&phrase.words[0]) else {
            return;
        };
        for &start in starts {
            for &(id, len) in &self.hits[start] {
                if id != phrase.words[0] {
                    continue;
                }
                if let Some(end) =
                    self.extend(start + len, &phrase.words[1..], self.sentence_of(start))
                    && (phrase.negated_form || !self.negated(self.stream[start]))
                {
                    out.push(start..end);
                }
            }
        }
    }

    /// Matches the rest of a phrase from `pos`, allowing small gaps.
    fn extend(&self, mut pos: usize, rest: &[u32], sentence: usize) -> Option<usize> {
        'words: for &want in rest {
            for gap in 0..=PHRASE_GAP {
                let q = pos + gap;
                if q >= self.stream.len() || self.sentence_of(q) != sentence {
                    return None;
                }
                if let Some(&(_, len)) = self.hits[q].iter().find(|(id, _)| *id == want) {
                    pos = q + len;
                    continue 'words;
                }
                if self.analysis.tokens[self.stream[q]].kind == Kind::Negator {
                    return None;
                }
            }
            return None;
        }
        Some(pos)
    }

    /// Whether a negation in the same clause precedes the token.
    fn negated(&self, token: usize) -> bool {
        let tokens = &self.analysis.tokens;
        let sentence = tokens[token].sentence;
        let mut content = 0;
        let mut j = token;
        while j > 0 {
            if tokens[j].clause_break {
                break;
            }
            j -= 1;
            let t = &tokens[j];
            if t.sentence != sentence || NEGATION_BARRIERS.contains(&t.norm.as_str()) {
                break;
            }
            match t.kind {
                Kind::Negator => {
                    let hedge = tokens.get(j + 1).is_some_and(|n| {
                        matches!(n.norm.as_str(), "only" | "just" | "merely" | "matter")
                    });
                    if !hedge {
                        return true;
                    }
                }
                Kind::Word => {
                    content += 1;
                    if content > NEGATION_REACH {
                        break;
                    }
                }
                Kind::Stop | Kind::Filler => {}
            }
        }
        false
    }

    /// Scores one rule set: (score, unit that earned it).
    fn score(&self, rules: &Rules, scratch: &mut Vec<Range<usize>>) -> (f64, Option<Range<usize>>) {
        for re in &rules.regex {
            for m in re.find_iter(self.text) {
                let first = self
                    .analysis
                    .tokens
                    .iter()
                    .position(|t| t.span.start >= m.start());
                if first.is_some_and(|t| self.negated(t)) {
                    continue;
                }
                let sentence = self
                    .analysis
                    .sentences
                    .iter()
                    .find(|s| s.start <= m.start() && m.start() < s.end.max(s.start + 1))
                    .cloned()
                    .unwrap_or(m.range());
                return (
                    1.0,
                    Some(sentence.start.min(m.start())..sentence.end.max(m.end())),
                );
            }
        }
        if rules.groups.is_empty() {
            return (0.0, None);
        }
        let per_group: Vec<Vec<Range<usize>>> = rules
            .groups
            .iter()
            .map(|g| {
                scratch.clear();
                for phrase in g {
                    self.occurrences(phrase, scratch);
                }
                scratch.clone()
            })
            .collect();
        let n = rules.groups.len();
        let inside = |unit: &Unit, o: &Range<usize>| {
            unit.stream.start <= o.start && o.end <= unit.stream.end
        };
        let mut best: (usize, Option<&Unit>) = (0, None);
        for unit in &self.units {
            let found = per_group
                .iter()
                .filter(|occ| occ.iter().any(|o| inside(unit, o)))
                .count();
            if found > best.0 {
                best = (found, Some(unit));
                if found == n {
                    break;
                }
            }
        }
        let score = if best.0 == n {
            1.0
        } else if rules.half.is_some_and(|h| best.0 >= h) {
            0.5
        } else {
            0.0
        };
        match best.1 {
            Some(unit) if score > 0.0 => {
                let matched: Vec<&Range<usize>> = per_group
                    .iter()
                    .filter_map(|occ| occ.iter().find(|o| inside(unit, o)))
                    .collect();
                (score, Some(self.evidence_span(unit, &matched)))
            }
            _ => (0.0, None),
        }
    }

    /// The bytes to quote for a unit: the whole sentence (or two) when it is
    /// short enough to read, otherwise the matched words with a little context.
    fn evidence_span(&self, unit: &Unit, matched: &[&Range<usize>]) -> Range<usize> {
        // Punctuated prose is quoted in whole sentences; unpunctuated speech
        // has no sentences to quote, so it gets an excerpt.
        let punctuated = self.text[unit.bytes.clone()]
            .trim_end()
            .ends_with(['.', '!', '?', ':', ';']);
        let readable = unit.bytes.len() <= MAX_EVIDENCE && !unit.window && punctuated;
        if readable || unit.stream.len() <= SHORT_UNIT || matched.is_empty() {
            return unit.bytes.clone();
        }
        let first = matched
            .iter()
            .map(|o| o.start)
            .min()
            .unwrap_or(unit.stream.start);
        let last = matched
            .iter()
            .map(|o| o.end)
            .max()
            .unwrap_or(unit.stream.end);
        let from = first.saturating_sub(CONTEXT_WORDS).max(unit.stream.start);
        let to = (last + CONTEXT_WORDS).min(unit.stream.end);
        let tokens = &self.analysis.tokens;
        tokens[self.stream[from]].span.start..tokens[self.stream[to - 1]].span.end
    }

    fn quote(&self, bytes: Range<usize>) -> String {
        let quoted = text::collapse_whitespace(&self.text[bytes]);
        if quoted.chars().count() <= MAX_EVIDENCE {
            return quoted;
        }
        let cut: String = quoted.chars().take(MAX_EVIDENCE).collect();
        match cut.rfind(' ') {
            Some(i) => format!("{}…", &cut[..i]),
            None => format!("{cut}…"),
        }
    }
}

/// Units of matching: each sentence (or window of a long one), then each pair
/// of neighbouring units, so a point stated across two sentences still counts.
fn units(analysis: &Analysis, stream: &[usize]) -> Vec<Unit> {
    let mut singles: Vec<Unit> = Vec::new();
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
        if end - start <= LONG_SENTENCE {
            singles.push(Unit {
                stream: start..end,
                window: false,
                bytes: sentence.clone(),
            });
            continue;
        }
        let mut w = start;
        loop {
            let we = (w + WINDOW).min(end);
            let first = &analysis.tokens[stream[w]];
            let last = &analysis.tokens[stream[we - 1]];
            singles.push(Unit {
                stream: w..we,
                window: true,
                bytes: first.span.start..last.span.end,
            });
            if we == end {
                break;
            }
            w += WINDOW_STRIDE;
        }
    }
    let mut all = singles.clone();
    for pair in singles.windows(2) {
        if pair[0].stream.end > pair[1].stream.start {
            // Overlapping windows of one long sentence: already covered.
            continue;
        }
        all.push(Unit {
            stream: pair[0].stream.start..pair[1].stream.end,
            window: pair[0].window || pair[1].window,
            bytes: pair[0].bytes.start..pair[1].bytes.end,
        });
    }
    all
}

/// Grades by the rubric's keyword rules alone: offline and reproducible.
#[derive(Debug, Default)]
pub struct KeywordGrader {
    compiled: Mutex<HashMap<String, Arc<CompiledRubric>>>,
    reason: String,
}

impl KeywordGrader {
    /// `reason` is shown in reports: why the keyword grader was used.
    pub fn new(reason: impl Into<String>) -> Self {
        KeywordGrader {
            compiled: Mutex::default(),
            reason: reason.into(),
        }
    }

    fn compiled(&self, rubric: &Rubric) -> Arc<CompiledRubric> {
        let mut cache = self.compiled.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(rubric.question.clone())
            .or_insert_with(|| Arc::new(CompiledRubric::new(rubric)))
            .clone()
    }
}

fn misconception_hits(
    compiled: &CompiledRubric,
    prepared: &Prepared,
    rubric: &Rubric,
) -> Vec<MisconceptionHit> {
    let mut scratch = Vec::new();
    compiled
        .misconceptions
        .iter()
        .zip(&rubric.misconceptions)
        .filter_map(|(rules, m)| {
            let (s, unit) = prepared.score(rules, &mut scratch);
            (s >= 1.0).then(|| MisconceptionHit {
                id: m.id.clone(),
                text: m.text.clone(),
                penalty: m.penalty,
                evidence: unit.map(|u| prepared.quote(u)),
                correction: m.correction.clone(),
            })
        })
        .collect()
}

impl Grader for KeywordGrader {
    fn grade(&self, question: &Question, rubric: &Rubric, answer: &str) -> Grading {
        let compiled = self.compiled(rubric);
        let prepared = Prepared::new(answer, &compiled.vocab);
        let mut scratch = Vec::new();
        let points: Vec<PointResult> = compiled
            .points
            .iter()
            .zip(&rubric.points)
            .map(|(rules, p)| {
                let (score, unit) = prepared.score(rules, &mut scratch);
                PointResult {
                    id: p.id.clone(),
                    text: p.text.clone(),
                    weight: p.weight,
                    score,
                    earned: score * p.weight,
                    evidence: unit.map(|u| prepared.quote(u)),
                    feedback: (score < 1.0).then(|| p.advice().to_string()),
                    verification: if score > 0.0 {
                        Verification::Matched
                    } else {
                        Verification::None
                    },
                    rationale: None,
                }
            })
            .collect();
        let misconceptions = misconception_hits(&compiled, &prepared, rubric);
        let total = super::total(&points, &misconceptions);
        Grading {
            schema: super::SCHEMA.to_string(),
            question: QuestionRef::from(question),
            backend: Backend {
                name: "keyword".into(),
                model: None,
                reason: self.reason.clone(),
                response_format: None,
                repairs: None,
            },
            points,
            misconceptions,
            total,
            flags: Vec::new(),
            usage: None,
            samples: None,
        }
    }
}

#[cfg(test)]
mod tests;
