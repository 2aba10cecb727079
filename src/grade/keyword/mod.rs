//! The deterministic, offline keyword grader.
//!
//! A rubric is compiled once (phrases stemmed into a small vocabulary and
//! widened by the bank's lexicon, regexes compiled); grading an answer then
//! analyses the answer once, maps every answer word to the vocabulary entries
//! it matches, and looks for each point's phrase groups inside one sentence
//! (or two adjacent ones, where the rubric asks for it). A phrase preceded by
//! a negation in the same clause does not count.
//!
//! A point is earned by a statement, not by words: a list of terms earns
//! nothing, one clause earns at most one point, a sentence that states one of
//! the point's contradictions earns nothing for it, nor does one that says
//! the point of the other side of a comparison, and a belief that is only
//! reported ("people assume X") is not held. `docs/grading.md` has the rules.

mod answer;
mod clauses;
mod compile;
mod detail;
mod dismissal;
mod evidence;
mod rule_regex;
mod sides;
mod spread;
pub mod store;
mod units;
mod vocab;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

pub use compile::CompiledRubric;

/// Content words an authored point's text may have and still be read as
/// naming things. Authors often write instructions as comma lists ("Keep
/// each utility small, single-purpose and pure: ..."); a brief text
/// ("Private, protected and public.") is a list of the names asked for.
const AUTHORED_NAMING_WORDS: usize = 6;

/// Whether a key point names things rather than stating a claim (see
/// `units::names_things`), so that naming them, even in a bare list,
/// states it. Rules derived from a text follow the text; an author's own
/// point also has to be brief.
pub fn names_things(point: &crate::bank::KeyPoint) -> bool {
    // Most authored texts are long claims: no need to analyse them.
    if !point.derived && point.text.split_whitespace().count() > 2 * AUTHORED_NAMING_WORDS {
        return false;
    }
    units::names_things(&point.text)
        .is_some_and(|words| point.derived || words <= AUTHORED_NAMING_WORDS)
}

use super::injection;
use super::{
    Backend, Flag, GradeError, Grader, Grading, MisconceptionHit, PointResult, QuestionRef,
    Verification, Withheld, WithheldReason,
};
use crate::bank::{Question, Rubric, Scope};
use answer::{Found, Prepared, Reach};
use spread::Spread;

/// Grades by the rubric's keyword rules alone: offline and reproducible.
#[derive(Debug, Default)]
pub struct KeywordGrader {
    compiled: Mutex<HashMap<String, Arc<OnceLock<Arc<CompiledRubric>>>>>,
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

    /// The rubric compiled, once per grader. The map's lock is held only
    /// to find the rubric's cell: threads of a batch compile different
    /// rubrics at once, and wait only for the one they both need.
    fn compiled(&self, rubric: &Rubric) -> Arc<CompiledRubric> {
        let cell = {
            let mut cells = self.compiled.lock().unwrap_or_else(|e| e.into_inner());
            match cells.get(&rubric.question) {
                Some(cell) => cell.clone(),
                None => cells.entry(rubric.question.clone()).or_default().clone(),
            }
        };
        cell.get_or_init(|| Arc::new(store::compiled(rubric)))
            .clone()
    }

    /// A grader that grades `rubric` with `compiled` (for tests of rubrics
    /// compiled elsewhere, such as read back from the store).
    #[cfg(test)]
    pub(crate) fn with_compiled(rubric: &Rubric, compiled: CompiledRubric) -> Self {
        let grader = KeywordGrader::new("test");
        grader.compiled.lock().unwrap().insert(
            rubric.question.clone(),
            Arc::new(OnceLock::from(Arc::new(compiled))),
        );
        grader
    }
}

/// What matching found for one point before credit is assigned.
struct Candidates {
    /// Units where the point is stated, best first.
    found: Vec<Found>,
    /// The first unit where the point's words came only as a list of terms.
    in_list: Option<Found>,
    /// The first unit that states a contradiction of the point.
    contradicted: Option<Found>,
    /// `contradicted` says the point of another side of the comparison
    /// (see `sides`).
    other_side: bool,
    /// `contradicted` is one of the point's written contradictions, not
    /// the point's own words negated, dismissed or said of another side.
    by_rule: bool,
    /// The point was stated too, and `found` emptied because the answer
    /// makes other false statements as well (see [`candidates`]).
    both_ways: bool,
}

/// Which rule of a rubric calls a statement false.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FalseRule {
    /// The misconception at this index of the rubric.
    Misconception(usize),
    /// The `rule`-th contradiction of the point at index `point`.
    Contradiction { point: usize, rule: usize },
}

impl FalseRule {
    /// How the author's tools name the rule: "misconception `id`", or
    /// "contradiction N of point `id`" counting from 1 in the point's
    /// `contradicts`.
    pub fn describe(self, rubric: &Rubric) -> String {
        match self {
            FalseRule::Misconception(i) => {
                format!("misconception `{}`", rubric.misconceptions[i].id)
            }
            FalseRule::Contradiction { point, rule } => format!(
                "contradiction {} of point `{}`",
                rule + 1,
                rubric.points[point].id
            ),
        }
    }
}

/// A statement the answer makes that one of the rubric's rules calls false.
#[derive(Debug, Clone, PartialEq)]
pub struct FalseStatement {
    pub rule: FalseRule,
    /// The sentence that states it.
    pub evidence: String,
}

/// Every asserted statement (not a list, not reported, not hypothetical)
/// that a misconception or a point's contradiction matches, in rule order.
fn false_findings(compiled: &CompiledRubric, prepared: &Prepared) -> Vec<(FalseRule, Found)> {
    let mut scratch = Vec::new();
    let misconceptions = compiled
        .misconceptions
        .iter()
        .enumerate()
        .map(|(i, r)| (FalseRule::Misconception(i), r));
    let contradictions = compiled.points.iter().enumerate().flat_map(|(point, p)| {
        p.contradicts
            .iter()
            .enumerate()
            .map(move |(rule, r)| (FalseRule::Contradiction { point, rule }, r))
    });
    let mut out = Vec::new();
    for (rule, rules) in misconceptions.chain(contradictions) {
        for f in prepared.find(rules, Reach::Claim, &mut scratch) {
            if prepared.asserted(&f) && !prepared.qualified(&rules.unless, &f, &mut scratch) {
                out.push((rule, f));
            }
        }
    }
    out
}

/// `falsehoods` are the answer's [`false_findings`].
fn candidates(
    compiled: &CompiledRubric,
    prepared: &Prepared,
    falsehoods: &[(FalseRule, Found)],
    spread: &Spread,
) -> Vec<Candidates> {
    // A sentence that states something false is no evidence of
    // understanding for any point: "args collects keyword arguments into a
    // dict, and kwargs positional ones into a list" names what kwargs-dict
    // needs, with the two backwards.
    let mut false_unit = vec![false; prepared.units.len()];
    for (_, f) in falsehoods {
        false_unit[f.unit] = true;
    }
    // Sentences that say something false, in punctuated text (a window of
    // unpunctuated speech joins neighbouring claims, see `denied_points`).
    let false_sentences = false_unit
        .iter()
        .zip(&prepared.units)
        .filter(|(is_false, unit)| **is_false && !unit.run_on)
        .count();
    let mut scratch = Vec::new();
    let mentions = if compiled.sides.is_empty() {
        Vec::new()
    } else {
        prepared.side_mentions(&compiled.sides)
    };
    compiled
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            // The first statement that contradicts this point, for the report.
            let mut contradicted = falsehoods
                .iter()
                .find(|(rule, _)| matches!(rule, FalseRule::Contradiction { point, .. } if *point == i))
                .map(|(_, f)| f.clone());
            let by_rule = contradicted.is_some();
            let mut found = Vec::new();
            let mut in_list = None;
            let mut other_side = false;
            let reach = if p.scope == Scope::Pair {
                Reach::Pair
            } else {
                Reach::Sentence
            };
            for mut f in prepared.find(&p.rules, reach, &mut scratch) {
                let unit = &prepared.units[f.unit];
                if unit.members().any(|s| false_unit[s]) || prepared.judged(&f) {
                    continue;
                }
                if !f.denied && p.positive && prepared.dismissed(&f) {
                    // "Lock files are unnecessary for applications": the
                    // point's words, waved away.
                    f.denied = true;
                }
                if !f.denied
                    && let Some(own) = p.side
                    && !unit.run_on
                    && prepared.swapped(&f, own, &mentions)
                {
                    // "CPU-bound work waits on external devices": the
                    // point's words, said of another side. Speech without
                    // punctuation has no clauses to say what is said of
                    // which side, and is left alone.
                    if contradicted.is_none() && !unit.list {
                        other_side = true;
                    }
                    f.denied = true;
                }
                if f.denied {
                    // "never its address": the sentence negates the point.
                    if !unit.list {
                        contradicted.get_or_insert(f);
                    }
                    continue;
                }
                if spread.halves(unit) {
                    // Rubric words of many points in few words, or strung
                    // together sentence after sentence: half credit.
                    f.credit *= 0.5;
                }
                // A statement that introduces an enumeration ("CPU-bound
                // work spends its time executing instructions: parsing,
                // compression") states a point it starts: the enumeration
                // completes it; a lead that names an order ("Most to least
                // efficient: f2, f1, f3") makes the items the claim.
                let stated_by_lead = || {
                    prepared.ordered(unit) || (f.regex.is_none() && prepared.led(unit, &f.matched))
                };
                if unit.list && !p.names_things && !stated_by_lead() {
                    // A clause among the items ("The order is: measure,
                    // find the bottleneck, fix the biggest one") makes it
                    // a statement, written the way prose enumerates: half
                    // credit, or full credit when the clause itself holds
                    // the point's words ("unit testing checks the smallest
                    // testable piece, a function, a method, a class, in
                    // isolation"). A bare list of terms earns nothing.
                    if unit.framed {
                        if !prepared.said_in_clause(unit, &f.matched) {
                            f.credit *= 0.5;
                        }
                    } else {
                        in_list.get_or_insert(f);
                        continue;
                    }
                }
                found.push(f);
            }
            // A point stated in one sentence and denied by one of its
            // written contradictions in another is not earned when the
            // answer says something false in yet another sentence: "Iterators
            // can be rewound..., so you can loop over the same pipeline stage
            // repeatedly" does not show that an answer which also says "a
            // generator computes all of its values as soon as it's created"
            // knows how generator stages chain. One false statement alone may
            // be a slip, or a rule misreading a true sentence, and leaves
            // the point as stated; on the held-out sets graded before their
            // rules were narrowed (28 and 36-40), withholding on one false
            // statement put 9 more of 240 questions out of order.
            let both_ways = by_rule
                && false_sentences >= 2
                && !found.is_empty()
                && contradicted
                    .as_ref()
                    .is_some_and(|f| !prepared.units[f.unit].run_on);
            if both_ways {
                found.clear();
            }
            // Full credit first, then single sentences before pairs.
            found.sort_by(|a, b| {
                b.credit
                    .total_cmp(&a.credit)
                    .then((a.unit >= prepared.singles).cmp(&(b.unit >= prepared.singles)))
                    .then(a.unit.cmp(&b.unit))
            });
            Candidates {
                found,
                in_list,
                contradicted,
                other_side,
                by_rule,
                both_ways,
            }
        })
        .collect()
}

/// Gives each point the best unit that still has a clause to spare. Points
/// with the fewest places to come from choose first, so a point stated once
/// is not crowded out by one stated everywhere; among equals, the one with
/// more to earn (weight times credit) first, so "Both involve a termination
/// test" earns the point it states in full, not half of another one that
/// shares its words.
///
/// An authored point also needs clauses of its own in the unit (see
/// [`clauses`]). Where another point holds them, and that point can be
/// earned as well elsewhere, it moves there: the order above must not
/// decide which of two honest claims a sentence states.
fn assign(
    cands: &[Candidates],
    weights: &[f64],
    derived: &[bool],
    prepared: &Prepared,
) -> Vec<Option<usize>> {
    let singles = &prepared.units[..prepared.singles];
    let mut authored: Vec<usize> = singles.iter().map(|u| u.capacity).collect();
    let mut clauses: Vec<usize> = singles.iter().map(|u| u.clauses).collect();
    let best = |i: usize| {
        cands[i]
            .found
            .first()
            .map_or(0.0, |f| f.credit * weights[i])
    };
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by(|&a, &b| {
        cands[a]
            .found
            .len()
            .cmp(&cands[b].found.len())
            .then(best(b).total_cmp(&best(a)))
            .then(weights[b].total_cmp(&weights[a]))
            .then(a.cmp(&b))
    });
    // Derived points are made of a reference clause's words and need only
    // a share of them; speech without punctuation has no clauses to tell
    // apart. Neither holds clauses.
    let holds =
        |i: usize, f: &Found| !derived[i] && f.regex.is_none() && !prepared.units[f.unit].run_on;
    let mut owners = clauses::Owners::new(prepared);
    // For each point: which of its findings earns it, and the unit whose
    // capacity that uses.
    let mut chosen: Vec<Option<(usize, usize)>> = vec![None; cands.len()];
    for i in order {
        for (k, f) in cands[i].found.iter().enumerate() {
            let left = if derived[i] {
                &mut clauses
            } else {
                &mut authored
            };
            let Some(part) = spare(prepared, left, f, None) else {
                continue;
            };
            if holds(i, f) {
                let held = match owners.room(prepared, i, f) {
                    Some(held) => held,
                    None => match make_room(
                        cands,
                        &mut chosen,
                        &mut owners,
                        &mut authored,
                        prepared,
                        &holds,
                        (i, part),
                        f,
                    ) {
                        Some(held) => held,
                        None => continue,
                    },
                };
                owners.hold(i, &held);
            }
            let left = if derived[i] {
                &mut clauses
            } else {
                &mut authored
            };
            left[part] -= 1;
            chosen[i] = Some((k, part));
            break;
        }
    }
    chosen.into_iter().map(|c| c.map(|(k, _)| k)).collect()
}

/// The single unit of `f` with the most capacity `left`, if any has some;
/// `keep` is a unit whose last spare clause is spoken for.
fn spare(prepared: &Prepared, left: &[usize], f: &Found, keep: Option<usize>) -> Option<usize> {
    prepared.units[f.unit]
        .members()
        .filter(|&s| left[s] > usize::from(keep == Some(s)))
        .max_by_key(|&s| left[s])
}

/// Where a single other point holds the clauses `f` needs for point `i`,
/// moves that point to another of its findings with as much credit, if one
/// has a spare clause and clauses free; returns the clauses `f` then holds.
/// Leaves everything as it was otherwise. `part` is the unit whose capacity
/// `f` will use: the moved point leaves it one.
#[allow(clippy::too_many_arguments)]
fn make_room(
    cands: &[Candidates],
    chosen: &mut [Option<(usize, usize)>],
    owners: &mut clauses::Owners,
    authored: &mut [usize],
    prepared: &Prepared,
    holds: &dyn Fn(usize, &Found) -> bool,
    (i, part): (usize, usize),
    f: &Found,
) -> Option<Vec<u32>> {
    let [j] = owners.blockers(prepared, i, f)[..] else {
        return None;
    };
    let (kj, part_j) = chosen[j]?;
    let credit = cands[j].found[kj].credit;
    let freed = owners.release(j);
    authored[part_j] += 1;
    let restore = |owners: &mut clauses::Owners, authored: &mut [usize]| {
        owners.hold(j, &freed);
        authored[part_j] -= 1;
    };
    let Some(held) = owners.room(prepared, i, f) else {
        restore(owners, authored);
        return None;
    };
    owners.hold(i, &held);
    for (k2, g) in cands[j].found.iter().enumerate() {
        if k2 == kj || g.credit < credit || g.unit == f.unit {
            continue;
        }
        let Some(to) = spare(prepared, authored, g, Some(part)) else {
            continue;
        };
        let room = if holds(j, g) {
            owners.room(prepared, j, g)
        } else {
            Some(Vec::new())
        };
        if let Some(room) = room {
            owners.hold(j, &room);
            authored[to] -= 1;
            chosen[j] = Some((k2, to));
            return Some(held);
        }
    }
    owners.release(i);
    restore(owners, authored);
    None
}

/// Matchable words an answer needs before it is flagged as read as speech:
/// a short answer in one breath is read the same way, but has little room
/// for salad to hide.
const SPEECH_FLAG_WORDS: usize = 40;

/// How many of the answer's matchable words lie in stretches read as speech
/// (windows of an overlong sentence, or a long run with no clause mark),
/// and how many it has, when those are at least half of at least
/// [`SPEECH_FLAG_WORDS`]. Such stretches have no clauses, statements or
/// sentences to check, so the defences against keyword salad are off there:
/// read aloud without punctuation, the held-out salads average 0.60 against
/// 0.33 written.
fn read_as_speech(prepared: &Prepared) -> Option<(usize, usize)> {
    let words = prepared.stream.len();
    if words < SPEECH_FLAG_WORDS {
        return None;
    }
    let mut speech = vec![false; words];
    for unit in &prepared.units[..prepared.singles] {
        if unit.window || unit.run_on {
            speech[unit.stream.clone()].fill(true);
        }
    }
    let speech = speech.iter().filter(|&&s| s).count();
    (2 * speech >= words).then_some((speech, words))
}

/// The first statement of each misconception the answer holds.
fn misconception_hits(
    rubric: &Rubric,
    prepared: &Prepared,
    falsehoods: &[(FalseRule, Found)],
) -> Vec<MisconceptionHit> {
    rubric
        .misconceptions
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let (_, found) = falsehoods
                .iter()
                .find(|(rule, _)| *rule == FalseRule::Misconception(i))?;
            Some(MisconceptionHit {
                id: m.id.clone(),
                text: m.text.clone(),
                penalty: m.penalty,
                evidence: Some(prepared.evidence(found)),
                correction: m.correction.clone(),
            })
        })
        .collect()
}

/// The key points (by index) the answer states the opposite of, each of
/// which costs what it is worth (see [`super::total`]):
/// points left with nothing by one of their written contradictions (a
/// point's `contradicts`), once each however often the answer repeats the
/// claim, leaving out a point whose denying sentence a misconception
/// already penalises (one false claim costs once).
///
/// Not counted, though each still withholds the point:
/// - the point's own words waved away ("lock files are unnecessary") or,
///   in a point derived from a reference answer, negated ("never its
///   address"): among single true sentences written to trip the rules,
///   such denials were 67 of 315 penalised, and they added 2 of 9,228
///   false ones;
/// - the point's words said of the other side of a comparison, as often a
///   true statement about that side ("data members can be accessed from
///   any member function", against the local-variable point) as a swap;
/// - speech without punctuation, where with no clauses to end a claim a
///   window joins words of neighbouring claims, and honest transcripts set
///   contradictions off far more often than punctuated text.
fn denied_points(
    cands: &[Candidates],
    points: &[PointResult],
    misconceptions: &[MisconceptionHit],
    prepared: &Prepared,
) -> Vec<usize> {
    cands
        .iter()
        .zip(points)
        .enumerate()
        .filter(|(_, (c, p))| p.score == 0.0 && c.by_rule)
        .filter_map(|(i, (c, p))| {
            let f = c.contradicted.as_ref()?;
            let w = p.withheld.as_ref()?;
            let quote = w.evidence.as_str();
            let paid = misconceptions
                .iter()
                .any(|m| m.evidence.as_deref() == Some(quote));
            (!prepared.units[f.unit].run_on && !paid).then_some(i)
        })
        .collect()
}

impl Grader for KeywordGrader {
    async fn grade(
        &self,
        question: &Question,
        rubric: &Rubric,
        answer: &str,
    ) -> Result<Grading, GradeError> {
        Ok(KeywordGrader::grade(self, question, rubric, answer))
    }
}

impl KeywordGrader {
    /// The statements of `answer` that the rubric's misconceptions and
    /// contradictions call false. A rubric's own honest examples must have
    /// none (`rubric lint`).
    pub fn false_statements(&self, rubric: &Rubric, answer: &str) -> Vec<FalseStatement> {
        let compiled = self.compiled(rubric);
        let prepared = Prepared::new(answer, &compiled.vocab);
        false_findings(&compiled, &prepared)
            .into_iter()
            .map(|(rule, f)| FalseStatement {
                rule,
                evidence: prepared.evidence(&f),
            })
            .collect()
    }

    /// Grades at once: the keyword rules never wait and never fail.
    pub fn grade(&self, question: &Question, rubric: &Rubric, full_answer: &str) -> Grading {
        // Text addressed to the grader earns nothing: it is left out of what
        // is matched, and flagged.
        let injections = injection::detect(full_answer);
        let stripped;
        let answer = if injections.is_empty() {
            full_answer
        } else {
            stripped = injection::without(full_answer, &injections);
            stripped.as_str()
        };
        let mut flags = Vec::new();
        if !injections.is_empty() {
            flags.push(Flag {
                kind: "possible-manipulation".into(),
                message: format!(
                    "the answer addresses the grader ({}); {} passage(s) earn nothing",
                    injection::summary(full_answer, &injections),
                    injections.len()
                ),
            });
        }
        let compiled = self.compiled(rubric);
        let prepared = Prepared::new(answer, &compiled.vocab);
        let falsehoods = false_findings(&compiled, &prepared);
        let spread = Spread::new(&compiled, &prepared);
        let cands = candidates(&compiled, &prepared, &falsehoods, &spread);
        let weights: Vec<f64> = rubric.points.iter().map(|p| p.weight).collect();
        let derived: Vec<bool> = rubric.points.iter().map(|p| p.derived).collect();
        let chosen = assign(&cands, &weights, &derived, &prepared);
        // The answer's stated words, gathered only if a point is earned.
        let said = std::cell::OnceCell::new();
        let mut points: Vec<PointResult> = rubric
            .points
            .iter()
            .zip(&compiled.points)
            .zip(&cands)
            .zip(&chosen)
            .map(|(((p, rules), c), choice)| {
                let earned_by = choice.map(|k| &c.found[k]);
                // A point stated without its specifics earns a little less
                // of what its statement earns (see `detail`). A derived
                // point already needs a share of its text's words, and a
                // point that only names things has no more to say.
                let detail = if earned_by.is_none() || p.derived || rules.names_things {
                    1.0
                } else {
                    detail::factor(&rules.detail, said.get_or_init(|| detail::said(&prepared)))
                };
                let score = earned_by.map_or(0.0, |f| f.credit * detail);
                let withheld = if score > 0.0 {
                    None
                } else if let Some(f) = &c.contradicted {
                    let reason = if c.other_side {
                        WithheldReason::OtherSide
                    } else if c.both_ways {
                        WithheldReason::BothWays
                    } else {
                        WithheldReason::Contradiction
                    };
                    Some((reason, f))
                } else if let Some(f) = c.found.first() {
                    Some((WithheldReason::ClauseCap, f))
                } else {
                    c.in_list.as_ref().map(|f| (WithheldReason::TermList, f))
                };
                PointResult {
                    id: p.id.clone(),
                    text: p.text.clone(),
                    weight: p.weight,
                    score,
                    earned: super::round_to(score * p.weight, 4),
                    evidence: earned_by.map(|f| prepared.evidence(f)),
                    feedback: (score < 1.0).then(|| p.advice().to_string()),
                    verification: if score > 0.0 {
                        Verification::Matched
                    } else {
                        Verification::None
                    },
                    rationale: None,
                    withheld: withheld.map(|(reason, f)| Withheld {
                        reason,
                        evidence: prepared.evidence(f),
                        charged: false,
                    }),
                    derived: p.derived,
                    detail: (score > 0.0 && detail < 1.0).then_some(detail),
                    halved: earned_by.and_then(|f| spread.halved(&prepared.units[f.unit])),
                }
            })
            .collect();
        if let Some((crossing, statements)) = spread.scrambled() {
            let halved = points
                .iter()
                .filter(|p| p.halved == Some(super::Halved::Scrambled))
                .count();
            if halved > 0 {
                flags.push(Flag {
                    kind: "scrambled".into(),
                    message: format!(
                        "{crossing} of the answer's {statements} statements each mix the words of \
                         three or more points, the way keyword salad does; {halved} point(s) \
                         earned in them get half credit"
                    ),
                });
            }
        }
        // Only a score that something earned can be too high.
        let earned = points.iter().any(|p| p.score > 0.0);
        if let Some((speech, words)) = earned.then(|| read_as_speech(&prepared)).flatten() {
            flags.push(Flag {
                kind: "unpunctuated".into(),
                message: format!(
                    "{speech} of the answer's {words} words run on without sentence punctuation \
                     and are read as speech: the checks that tell keyword salad from statements \
                     (one point per clause, scrambled answers, points stated both ways) need \
                     punctuation, so the score may be too high; read the answer, or grade it \
                     with an LLM"
                ),
            });
        }
        let misconceptions = misconception_hits(rubric, &prepared, &falsehoods);
        for i in denied_points(&cands, &points, &misconceptions, &prepared) {
            if let Some(w) = points[i].withheld.as_mut() {
                w.charged = true;
            }
        }
        let total = super::total(&points, &misconceptions, rubric.full_marks);
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
            flags,
            usage: None,
            samples: None,
            spoken: None,
        }
    }
}

#[cfg(test)]
mod tests;
