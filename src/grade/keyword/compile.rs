//! Rubric compilation: each phrase analysed once into vocabulary ids, widened
//! by the bank's lexicon, and each rule's regexes compiled.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::rule_regex::RuleRegex;
use super::vocab::Vocab;
use crate::bank::{Lexicon, MatchRules, Rubric, Scope};
use crate::text::{self, Kind};

/// Most variants one phrase may grow into through the lexicon; a phrase
/// whose every word has synonyms would otherwise multiply out.
const MAX_VARIANTS: usize = 24;
/// A word in the groups of at most this many points is specific to them.
const SPECIFIC_POINTS: usize = 2;

/// A phrase's words (vocabulary ids), kept inline for the nine phrases in
/// ten that have at most four: grading reads every phrase of a rubric for
/// each answer, and a separate allocation per phrase was a cache miss each.
pub(super) type PhraseWords = smallvec::SmallVec<[u32; 4]>;

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Phrase {
    pub words: PhraseWords,
    /// The phrase states a negation itself ("not thread safe"), so a negation
    /// before it is part of the phrase, not a denial.
    pub negated_form: bool,
    /// The phrase opens with a negator ("not need lock"): its next word
    /// must lie in the negator's clause, as far as a negation reaches.
    pub opens_negated: bool,
    /// Some word of the phrase belongs to at most [`SPECIFIC_POINTS`] of the
    /// rubric's points: the phrase says which point a sentence is about
    /// ("socket"), unlike a word every point uses ("GIL", "thread").
    pub specific: bool,
    /// Bit `i`: the phrase joins its words `i` and `i + 1` with a copula
    /// ("tuples are mutable"). An answer may not skip a verb of containment
    /// there: "a tuple can contain mutable objects" does not say that tuples
    /// are mutable (see `Prepared::step`).
    pub copulas: u32,
    /// Bit `i`: the phrase itself has a contrastive word ("but",
    /// "however") between its words `i` and `i + 1`. Elsewhere a phrase
    /// never reads across one: "map returned a list, but in Python 3 ..."
    /// does not say "a list in Python 3" (see `Prepared::step`).
    pub contrasts: u32,
    /// The phrase is not read across a joint of two clauses, even where
    /// its words are adjacent (see `answer::clause_joint_before`). Set for
    /// the phrases of a misconception or a contradiction, unless the
    /// phrase itself has such a joint: penalising or withholding needs the
    /// claim said in one clause. "Threads run inside the same process; they
    /// all share the same memory" does not say that processes share memory.
    pub within_clause: bool,
    /// The phrase has a `than` of its own ("slower than plain loops"): a
    /// false statement's phrase is otherwise not read in what a comparison
    /// sets aside (see `Prepared::compared_against`).
    pub compares: bool,
    /// The phrase states what earns a point (a group of a point or a
    /// side), not a false statement or an excuse: a negation in a
    /// condition does not deny it (see `Prepared::conditional_denial`).
    pub states_point: bool,
}

/// Copulas a phrase may join two of its words with (see [`Phrase::copulas`]).
pub(super) const COPULAS: &[&str] = &["is", "are", "was", "were", "be", "been", "being"];

/// [`Phrase::copulas`] and [`Phrase::contrasts`] of a phrase's tokens (all
/// of them, stopwords too), for its matchable words in order.
fn joints_of(tokens: &[text::Token]) -> (u32, u32) {
    let (mut copulas, mut contrasts) = (0u32, 0u32);
    let mut word = None::<usize>;
    let (mut copula, mut contrast) = (false, false);
    for t in tokens {
        if matches!(t.kind, Kind::Word | Kind::Negator) {
            if let Some(i) = word
                && i < 32
            {
                copulas |= u32::from(copula) << i;
                contrasts |= u32::from(contrast) << i;
            }
            word = Some(word.map_or(0, |i| i + 1));
            (copula, contrast) = (false, false);
        } else if COPULAS.contains(&t.norm.as_str()) {
            copula = true;
        } else if text::is_contrastive(&t.norm) {
            contrast = true;
        }
    }
    (copulas, contrasts)
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Rules {
    pub groups: Vec<Vec<Phrase>>,
    pub regex: Vec<RuleRegex>,
    pub half: Option<usize>,
    /// Groups that earn full credit, when fewer than all (see `MatchRules::need`).
    pub need: Option<usize>,
    /// By group: a sentence that negates the group outright (and does not
    /// also state it) says the opposite of the rules. Set for points
    /// derived from a reference statement, for the words it states, so "a
    /// pointer holds a value, never an address" denies "a variable that
    /// contains the address of another variable" (see
    /// `MatchRules::deniable`). Empty for other rules.
    pub deniable: Vec<bool>,
    /// Phrases that, in the unit of a false statement, make it a true one
    /// (see `MatchRules::unless`).
    pub unless: Vec<Phrase>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct PointRules {
    pub rules: Rules,
    pub contradicts: Vec<Rules>,
    pub scope: Scope,
    /// The point's rules were derived from a text that names things
    /// ("private and public"): a list of terms can state it (see
    /// `units::names_things`). Authors' own groups ask for a claim.
    pub names_things: bool,
    /// The point's text neither negates nor dismisses anything, so an
    /// answer that dismisses its words says the opposite (see
    /// `dismissal::positive`).
    pub positive: bool,
    /// The side of the rubric's comparison the point is about: the one its
    /// text opens by naming, when it names no other (see `sides`).
    pub side: Option<usize>,
    /// The content stems of the point's text, which an answer stating the
    /// point in full tends to use (see `detail`).
    pub detail: Vec<Box<str>>,
}

/// A rubric prepared for fast repeated grading. It is kept on disk between
/// runs (see `store`), so everything in it serialises.
#[derive(Debug, Serialize, Deserialize)]
pub struct CompiledRubric {
    pub(super) vocab: Vocab,
    pub(super) points: Vec<PointRules>,
    pub(super) misconceptions: Vec<Rules>,
    /// The rubric's sides, each one group of the phrases naming it.
    pub(super) sides: Vec<Rules>,
    /// Whether an answer can be scrambled (see `spread`): not when one of
    /// the rubric's own honest examples would be, since then its points
    /// share too many words to tell a summary from keyword salad.
    pub(super) unscrambles: bool,
}

/// The lexicon's members as stem sequences, one list per set, and which
/// sets have a member starting with a given stem.
#[derive(Debug, Default)]
struct LexiconStems {
    sets: Vec<Vec<Vec<String>>>,
    by_first: rustc_hash::FxHashMap<String, Vec<usize>>,
}

impl LexiconStems {
    fn new(lexicon: &Lexicon) -> Self {
        let sets: Vec<Vec<Vec<String>>> = lexicon
            .sets
            .iter()
            .map(|set| set.iter().map(|p| text::phrase_stems(p)).collect())
            .collect();
        let mut by_first: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
        for (i, set) in sets.iter().enumerate() {
            for first in set.iter().filter_map(|m| m.first()) {
                let ids = by_first.entry(first.clone()).or_default();
                if ids.last() != Some(&i) {
                    ids.push(i);
                }
            }
        }
        LexiconStems { sets, by_first }
    }

    /// The stems of a bank's lexicon, analysed once per process: every
    /// rubric of the bank shares the lexicon, and analysing its phrases
    /// again for each rubric was a tenth of compiling one.
    fn of(lexicon: &Arc<Lexicon>) -> Arc<LexiconStems> {
        static SEEN: Mutex<Vec<(Arc<Lexicon>, Arc<LexiconStems>)>> = Mutex::new(Vec::new());
        let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, stems)) = seen.iter().find(|(l, _)| Arc::ptr_eq(l, lexicon)) {
            return stems.clone();
        }
        let stems = Arc::new(LexiconStems::new(lexicon));
        seen.push((lexicon.clone(), stems.clone()));
        stems
    }

    /// Queues the sets after `after` that have a member starting with a
    /// stem of `phrase`: no other set can match it.
    fn queue(&self, phrase: &[String], after: Option<usize>, pending: &mut BTreeSet<usize>) {
        for stem in phrase {
            for &i in self.by_first.get(stem).into_iter().flatten() {
                if after.is_none_or(|a| i > a) {
                    pending.insert(i);
                }
            }
        }
    }
}

/// Where `needle` occurs as a contiguous run in `hay`.
fn find(hay: &[String], needle: &[String]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The phrase and the variants the lexicon allows: each member of a set that
/// occurs in the phrase may be replaced by any other member of the set. Sets
/// apply in the lexicon's order; only those with a member starting with a
/// stem of some variant so far are looked at.
fn variants(stems: Vec<String>, lexicon: &LexiconStems) -> Vec<Vec<String>> {
    let mut pending = BTreeSet::new();
    lexicon.queue(&stems, None, &mut pending);
    let mut out = vec![stems];
    while let Some(si) = pending.pop_first() {
        let set = &lexicon.sets[si];
        let mut added = Vec::new();
        for variant in &out {
            for member in set {
                let Some(at) = find(variant, member) else {
                    continue;
                };
                for other in set.iter().filter(|o| *o != member) {
                    let mut v = variant[..at].to_vec();
                    v.extend(other.iter().cloned());
                    v.extend(variant[at + member.len()..].iter().cloned());
                    added.push(v);
                }
                break;
            }
        }
        for v in added {
            if out.len() >= MAX_VARIANTS {
                return out;
            }
            if !out.contains(&v) {
                lexicon.queue(&v, Some(si), &mut pending);
                out.push(v);
            }
        }
    }
    out
}

/// A phrase's stems, and the same phrase with what it sets aside said the
/// other ways English has: "X instead of Y" and "X rather than Y" say the
/// same, and both deny Y as "X, not Y" does (their "of" and "than" are
/// negators: see `text::tokenize`). So a point's "not implementation
/// details" is also heard in "behaviour rather than implementation
/// details", and any phrase's "instead of mutating" in "rather than
/// mutating". Only a point's "not Y" reads the longer forms: a false
/// statement's rule keeps its own words, since "Java developers use
/// interfaces instead of multiple inheritance, while Python classes
/// inherit from several bases" sets aside what Java lacks, in a clause
/// the rule's "Python" is not in. And never the other way round: a plain
/// "not Y" does not say what "instead of Y" adds, that something else is
/// done ("try not to mutate" is no "return a new object instead of
/// mutating").
fn set_aside_alike(
    words: &[text::Token],
    stems: &[String],
    states_point: bool,
) -> Vec<Vec<String>> {
    let mut out = vec![stems.to_vec()];
    // "instead" and "rather" are no words of a phrase (only what they set
    // aside is): the negator stands for the pair.
    let sets_aside =
        |t: &text::Token| t.kind == Kind::Negator && matches!(t.norm.as_str(), "of" | "than");
    if words.iter().any(sets_aside) {
        let other: Vec<String> = words
            .iter()
            .zip(stems)
            .map(|(t, stem)| match (t.kind, t.norm.as_str()) {
                (Kind::Negator, "of") => "than".to_string(),
                (Kind::Negator, "than") => "of".to_string(),
                _ => stem.clone(),
            })
            .collect();
        out.push(other);
    }
    if states_point && words[0].norm == "not" && words.len() > 1 {
        for negator in ["of", "than"] {
            let mut other = stems.to_vec();
            other[0] = negator.to_string();
            out.push(other);
        }
    }
    out
}

impl CompiledRubric {
    pub fn new(rubric: &Rubric) -> Self {
        let sets = LexiconStems::of(&rubric.lexicon);
        let mut vocab = Vocab::default();
        // Points and sides read phrases loosely; what would penalise or
        // withhold keeps each phrase within one clause.
        let mut compile = |rules: &MatchRules, within_clause: bool| {
            compile_rules(rules, &sets, &mut vocab, within_clause)
        };
        let points = rubric
            .points
            .iter()
            .map(|p| PointRules {
                rules: compile(&p.rules, false),
                contradicts: p.contradicts.iter().map(|c| compile(c, true)).collect(),
                scope: p.scope,
                names_things: super::names_things(p),
                positive: !p.rules.negative && super::dismissal::positive(&p.text),
                side: None,
                detail: super::detail::stems(&p.text),
            })
            .collect();
        let misconceptions = rubric
            .misconceptions
            .iter()
            .map(|m| compile(&m.rules, true))
            .collect();
        let sides: Vec<Rules> = rubric
            .sides
            .iter()
            .map(|s| {
                compile(
                    &MatchRules {
                        groups: vec![s.clone()],
                        ..Default::default()
                    },
                    false,
                )
            })
            .collect();
        let mut points: Vec<PointRules> = points;
        mark_specific(&mut points);
        vocab.shrink();
        if !sides.is_empty() {
            for (p, point) in points.iter_mut().zip(&rubric.points) {
                let text = super::answer::Prepared::new(&point.text, &vocab);
                p.side = text.subject_side(&sides);
            }
        }
        let mut compiled = CompiledRubric {
            vocab,
            points,
            misconceptions,
            sides,
            unscrambles: true,
        };
        // An example the author expects to earn credit is an honest answer.
        compiled.unscrambles = !rubric.examples.iter().filter(|e| e.score.0 > 0.0).any(|e| {
            let text = super::answer::Prepared::new(&e.text, &compiled.vocab);
            super::spread::Spread::new(&compiled, &text)
                .scrambled()
                .is_some()
        });
        compiled
    }
}

impl CompiledRubric {
    /// By point, the side of the rubric's comparison its text is about
    /// (see `Rubric::sides`), for authors to check.
    pub fn point_sides(&self) -> Vec<Option<usize>> {
        self.points.iter().map(|p| p.side).collect()
    }
}

/// Marks the point phrases that have a word few points use.
fn mark_specific(points: &mut [PointRules]) {
    let mut spread: std::collections::HashMap<u32, usize> = Default::default();
    for p in points.iter() {
        let mut mine: Vec<u32> = p
            .rules
            .groups
            .iter()
            .flatten()
            .flat_map(|ph| ph.words.iter().copied())
            .collect();
        mine.sort_unstable();
        mine.dedup();
        for id in mine {
            *spread.entry(id).or_default() += 1;
        }
    }
    for p in points.iter_mut() {
        for phrase in p.rules.groups.iter_mut().flatten() {
            phrase.specific = phrase.words.iter().any(|id| spread[id] <= SPECIFIC_POINTS);
        }
    }
}

fn compile_rules(
    rules: &MatchRules,
    sets: &LexiconStems,
    vocab: &mut Vocab,
    within_clause: bool,
) -> Rules {
    let groups = rules
        .groups
        .iter()
        .enumerate()
        .map(|(gi, group)| {
            // A negative statement's words are said after a negation, except
            // those a derived rule knows the statement affirms.
            let negative = rules.negative && !rules.deniable.get(gi).copied().unwrap_or(false);
            compile_group(group, negative, within_clause, !within_clause, sets, vocab)
        })
        .collect();
    Rules {
        groups,
        // Patterns were validated when the bank loaded; each is compiled
        // when an answer first could match it.
        regex: rules.regex.iter().map(|r| RuleRegex::new(r)).collect(),
        half: rules.half_threshold(),
        need: rules.need.filter(|&k| k <= rules.groups.len()),
        deniable: rules.deniable.clone(),
        unless: compile_group(&rules.unless, false, false, false, sets, vocab),
    }
}

/// The phrases of one group, each with its lexicon variants.
fn compile_group(
    group: &[String],
    negative: bool,
    within_clause: bool,
    states_point: bool,
    sets: &LexiconStems,
    vocab: &mut Vocab,
) -> Vec<Phrase> {
    let mut phrases = Vec::new();
    for p in group {
        // The matchable words of the phrase, analysed once.
        let analysis = text::analyse(p);
        // A phrase that itself joins two clauses may be read across
        // such a joint.
        let within_clause = within_clause
            && !(1..analysis.tokens.len())
                .any(|k| super::answer::clause_joint_before(p, &analysis, k));
        let tokens = analysis.tokens;
        let compares = tokens.iter().any(|t| t.norm == "than");
        let (copulas, contrasts) = joints_of(&tokens);
        let words: Vec<text::Token> = tokens
            .into_iter()
            .filter(|t| matches!(t.kind, Kind::Word | Kind::Negator))
            .collect();
        let Some(first) = words.first() else {
            continue;
        };
        let opens_negated = first.kind == Kind::Negator;
        let negated_form = negative || opens_negated;
        if (2..=3).contains(&words.len()) {
            // "ref count" also matches "refcount".
            let joined: String = words.iter().map(|t| t.norm.as_str()).collect();
            phrases.push(Phrase {
                words: smallvec::smallvec![vocab.intern_joined(&text::stem(&joined))],
                negated_form,
                opens_negated,
                specific: true,
                copulas: 0,
                contrasts: 0,
                within_clause,
                compares,
                states_point,
            });
        }
        let stems: Vec<String> = words.iter().map(|t| t.stem.to_string()).collect();
        for (t, stem) in words.iter().zip(&stems) {
            let id = vocab.intern(stem);
            vocab.note_surface(&t.norm, id);
        }
        let len = stems.len();
        let mut all: Vec<Vec<String>> = Vec::new();
        for said in set_aside_alike(&words, &stems, states_point) {
            for variant in variants(said, sets) {
                if !all.contains(&variant) {
                    all.push(variant);
                }
            }
        }
        for variant in all {
            phrases.push(Phrase {
                // A variant of another length has other word places.
                copulas: if variant.len() == len { copulas } else { 0 },
                // Where its own contrast falls is unknown: allow any.
                contrasts: match (variant.len() == len, contrasts) {
                    (true, c) => c,
                    (false, 0) => 0,
                    (false, _) => u32::MAX,
                },
                words: variant.iter().map(|s| vocab.intern(s)).collect(),
                negated_form,
                opens_negated,
                specific: true,
                within_clause,
                compares,
                states_point,
            });
        }
    }
    // Kept for the whole run, by every compiled rubric: no slack.
    phrases.shrink_to_fit();
    phrases
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(s: &str) -> Vec<String> {
        text::phrase_stems(s)
    }

    #[test]
    fn lexicon_members_replace_each_other_inside_a_phrase() {
        let sets = LexiconStems::new(&Lexicon {
            sets: vec![
                vec!["fresh".into(), "new".into()],
                vec!["every call".into(), "each call".into()],
            ],
        });
        let got = variants(stems("fresh list every call"), &sets);
        assert!(got.contains(&stems("new list every call")));
        assert!(got.contains(&stems("fresh list each call")));
        assert!(got.contains(&stems("new list each call")));
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn sets_apply_in_order_to_the_variants_of_earlier_sets() {
        // Only sets with a member starting with a stem present are looked
        // at; the result must be what trying every set in order gives.
        let lex = |sets: &[&[&str]]| {
            LexiconStems::new(&Lexicon {
                sets: sets
                    .iter()
                    .map(|s| s.iter().map(|m| m.to_string()).collect())
                    .collect(),
            })
        };
        let forward = lex(&[&["alpha", "beta"], &["beta gamma", "delta"]]);
        assert_eq!(
            variants(stems("alpha gamma"), &forward),
            [stems("alpha gamma"), stems("beta gamma"), stems("delta")]
        );
        let backward = lex(&[&["beta gamma", "delta"], &["alpha", "beta"]]);
        assert_eq!(
            variants(stems("alpha gamma"), &backward),
            [stems("alpha gamma"), stems("beta gamma")]
        );
    }

    #[test]
    fn variants_are_bounded() {
        let sets = LexiconStems::new(&Lexicon {
            sets: (0..10)
                .map(|i| vec![format!("w{i}"), format!("x{i}"), format!("y{i}")])
                .collect(),
        });
        let phrase: Vec<String> = (0..10).map(|i| format!("w{i}")).collect();
        assert_eq!(variants(phrase, &sets).len(), MAX_VARIANTS);
    }
}
