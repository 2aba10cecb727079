//! How an answer's sentences spread over a rubric's points: which of them
//! earn half credit because they string many points' words together.
//!
//! Keyword salad packs the words of many points into its sentences. A short
//! sentence of it is *dense* (see [`units::dense`]): "The GIL releases
//! reference counts during multiprocessing I/O". A fluent salad writes
//! longer sentences, but nearly every one of them still touches the words
//! of three or more points, and ties two points' words together in one
//! clause: "The Borg pattern makes a singleton thread-safe by giving each
//! thread its own `__dict__`, which is why double-checked locking is only
//! needed in multiprocessing." An honest answer spends most of its sentences
//! on one or two points each, however many words they share. So an answer
//! whose sentences nearly all cross several points is *scrambled*, and a
//! point it earns in such a sentence earns half credit, as in a dense one.
//! The share is taken over the whole answer because one crossed sentence is
//! how an honest summary talks too ("functools.wraps copies the name and
//! docstring, so help() shows the original").

use super::answer::Prepared;
use super::compile::CompiledRubric;
use super::units::{self, Unit};
use crate::grade::Halved;

/// A sentence crosses points when it touches the specific words (see
/// `Phrase::specific`) of at least this many of them...
const CROSSED_POINTS: usize = 3;
/// ...with fewer than this many content words per point touched (a long
/// sentence, such as a transcript's, has room for several claims)...
const CROSSED_WORDS_PER_POINT: usize = 6;
/// ...and one of its clauses holds the specific words of at least this
/// many points.
const CROSSED_CLAUSE_POINTS: usize = 2;
/// The share of crossed sentences is taken over the sentences with at least
/// this many content words, written with punctuation and not lists of
/// terms: the answer's statements.
const STATEMENT_WORDS: usize = 6;
/// An answer with fewer statements than this is never scrambled: a short
/// answer has too few sentences to tell a habit from a summary.
const MIN_STATEMENTS: usize = 4;
/// An answer is scrambled when at least this share of its statements
/// (numerator, denominator) cross points.
const SCRAMBLED_SHARE: (usize, usize) = (4, 5);

/// Which of an answer's sentences halve the credit of a point earned in
/// them.
pub(super) struct Spread {
    /// By single unit: rubric words of many points in few words.
    dense: Vec<bool>,
    /// By single unit: the sentence crosses points (see [`CROSSED_POINTS`]).
    crossed: Vec<bool>,
    /// How many statements the answer has, and how many of them cross
    /// points, when that makes it scrambled.
    scrambled: Option<(usize, usize)>,
}

impl Spread {
    pub fn new(compiled: &CompiledRubric, prepared: &Prepared) -> Self {
        let singles = prepared.singles;
        let clauses = prepared.clause.last().map_or(0, |&c| c as usize + 1);
        // How many points' specific words each sentence and each clause
        // touches.
        let mut touched = vec![0usize; singles];
        let mut in_clause = vec![0usize; clauses];
        let mut scratch = Vec::new();
        let mut units = vec![false; singles];
        let mut marks = vec![false; clauses];
        for p in &compiled.points {
            units.fill(false);
            marks.fill(false);
            prepared.touched(&p.rules, &mut scratch, &mut units, &mut marks);
            for (t, &m) in touched.iter_mut().zip(&units) {
                *t += usize::from(m);
            }
            for (t, &m) in in_clause.iter_mut().zip(&marks) {
                *t += usize::from(m);
            }
        }
        let sentences = &prepared.units[..singles];
        let dense = sentences
            .iter()
            .zip(&touched)
            .map(|(u, &t)| units::dense(u, t))
            .collect();
        let crossed: Vec<bool> = sentences
            .iter()
            .zip(&touched)
            .map(|(u, &t)| {
                t >= CROSSED_POINTS
                    && u.content < CROSSED_WORDS_PER_POINT * t
                    && prepared.clause[u.stream.clone()]
                        .iter()
                        .any(|&c| in_clause[c as usize] >= CROSSED_CLAUSE_POINTS)
            })
            .collect();
        let statements: Vec<usize> = (0..singles)
            .filter(|&s| {
                let u = &sentences[s];
                !u.run_on && !u.list && u.content >= STATEMENT_WORDS
            })
            .collect();
        let crossing = statements.iter().filter(|&&s| crossed[s]).count();
        let (share, of) = SCRAMBLED_SHARE;
        let scrambled = (compiled.unscrambles
            && statements.len() >= MIN_STATEMENTS
            && crossing * of >= statements.len() * share)
            .then_some((crossing, statements.len()));
        Spread {
            dense,
            crossed,
            scrambled,
        }
    }

    /// Whether a point earned in `unit` earns half its credit: every
    /// sentence of the unit is dense, or crosses points in a scrambled
    /// answer.
    pub fn halves(&self, unit: &Unit) -> bool {
        self.halved(unit).is_some()
    }

    /// Why a point earned in `unit` gets half its credit, for the report:
    /// scrambled first, since that is what the grading's flag counts.
    pub fn halved(&self, unit: &Unit) -> Option<Halved> {
        if self.scrambles(unit) {
            Some(Halved::Scrambled)
        } else if unit.members().all(|s| self.dense[s]) {
            Some(Halved::Dense)
        } else {
            None
        }
    }

    /// Whether `unit` halves a point's credit because the answer is
    /// scrambled (it may be dense as well), for the report.
    fn scrambles(&self, unit: &Unit) -> bool {
        self.scrambled.is_some() && unit.members().all(|s| self.crossed[s])
    }

    /// The answer's crossed statements and all its statements, when it is
    /// scrambled.
    pub fn scrambled(&self) -> Option<(usize, usize)> {
        self.scrambled
    }
}
