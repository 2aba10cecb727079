//! Sides of a comparison. A question that sets things against each other
//! ("CPU-bound or I/O-bound?", "a set or a list?") has points that say
//! something of one side: "I/O-bound work spends its time waiting". The
//! commonest confident mistake swaps them: "CPU-bound work is the kind that
//! waits on external devices" has every word of that point, said of the
//! other side. A rubric names its sides (`sides` in the rubric file); a
//! point whose text opens by naming one of them, and names no other, is
//! about that side, and a finding whose words are all said of another side
//! is a statement of the opposite, not the point.
//!
//! What a word is said of: the side named near it in its own clause
//! ("threads suit I/O-bound work"), or else the nearest side named before
//! it in its sentence ("For CPU-bound code, threads are the answer"), if
//! either is near enough (see [`TOPIC_REACH`], [`OBJECT_REACH`]). A clause
//! that names two sides near the word says it of neither.

use std::ops::Range;

use crate::text::{Analysis, Kind, Token};

/// How early a point's text must name its side to be about it.
pub(super) const SUBJECT_WORDS: usize = 4;

/// Most content words between a side named before a clause and a word of
/// that clause said of it ("For CPU-bound code, threads are the standard
/// answer: the GIL is released between bytecodes": seven). A transcript's
/// run-on sentence moves on to other things long before it ends.
const TOPIC_REACH: usize = 10;

/// Most content words between a word and a side named after it in its
/// clause that it is said of ("threads suit I/O-bound work": one). Further
/// on, the side is more often the start of the next thing said.
const OBJECT_REACH: usize = 4;

/// A side named in the answer.
#[derive(Debug, Clone)]
pub(super) struct Mention {
    /// Index into the rubric's sides.
    pub side: usize,
    /// Its tokens (indices into the analysis).
    pub tokens: Range<usize>,
}

/// Whether every one of `words` (token indices, outside any mention) is
/// said of a side other than `own`. `mentions` are in text order.
pub(super) fn swapped(
    analysis: &Analysis,
    words: &[usize],
    own: usize,
    mentions: &[Mention],
) -> bool {
    let tokens = &analysis.tokens;
    !words.is_empty()
        && words
            .iter()
            .all(|&w| said_of(tokens, w, mentions).is_some_and(|side| side != own))
}

/// The side the word at `w` is said of, if one (see the module's rule):
/// none when its clause names two sides ("sets, unlike lists, are
/// unordered") or no side is named before it in its sentence. Only sides
/// named within [`TOPIC_REACH`] words before it, or [`OBJECT_REACH`] after
/// it, count.
fn said_of(tokens: &[Token], w: usize, mentions: &[Mention]) -> Option<usize> {
    let clause = clause_of(tokens, w);
    let near = |m: &&Mention| {
        if m.tokens.end <= w {
            words_between(tokens, m.tokens.end, w) <= TOPIC_REACH
        } else {
            words_between(tokens, w + 1, m.tokens.start) <= OBJECT_REACH
        }
    };
    let mut named = mentions
        .iter()
        .filter(|m| clause.contains(&m.tokens.start))
        .filter(near)
        .map(|m| m.side);
    if let Some(side) = named.next() {
        return named.all(|s| s == side).then_some(side);
    }
    let sentence = tokens[w].sentence;
    mentions
        .iter()
        .rfind(|m| m.tokens.end <= w && tokens[m.tokens.start].sentence == sentence)
        .filter(near)
        .map(|m| m.side)
}

/// Content words in `tokens[from..to]` (none when `to <= from`).
fn words_between(tokens: &[Token], from: usize, to: usize) -> usize {
    tokens[from.min(to)..to]
        .iter()
        .filter(|t| t.kind == Kind::Word)
        .count()
}

/// The tokens of the clause holding token `t`: up to the clause breaks
/// around it, within its sentence.
fn clause_of(tokens: &[Token], t: usize) -> Range<usize> {
    let sentence = tokens[t].sentence;
    let mut start = t;
    while start > 0 && !tokens[start].clause_break && tokens[start - 1].sentence == sentence {
        start -= 1;
    }
    let mut end = t + 1;
    while end < tokens.len() && !tokens[end].clause_break && tokens[end].sentence == sentence {
        end += 1;
    }
    start..end
}
