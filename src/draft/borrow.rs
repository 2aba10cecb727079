//! False claims a drafted rubric borrows from the bank's rubrics on the same
//! subject.
//!
//! A reference answer says what is true, not which false beliefs to expect,
//! so a rubric drafted from it alone cannot tell a confidently wrong answer
//! ("default arguments are evaluated on every call") from an honest one: the
//! wrong one uses the same words. The embedded bank's rubrics name such
//! claims for 229 senior Python questions, in their misconceptions and in
//! their points' contradictions, each reviewed against true sentences
//! written to trip it. A recruiter's own question is usually on a subject
//! some of them cover, so drafting borrows the false claims of the bank
//! rubrics most like the question and its reference answer.
//!
//! Likeness is the cosine of TF-IDF vectors of word stems (the question
//! and reference against each bank question, its points and its strong
//! example), IDF taken over the bank: words every rubric uses ("function",
//! "python") weigh little, a subject's own words ("GIL", "pickle") much.
//! At most [`MOST_ALIKE`] rubrics at or above [`LEAST_LIKENESS`] lend their
//! rules. A claim is borrowed as a `[[misconception]]` of the draft, with
//! its source named, so the author sees it and can delete it; `viva rubric
//! draft` drops any that fires on the draft's own reference answer or point
//! texts, which are true in the new question's context.

use std::collections::{BTreeMap, HashMap};

use crate::bank::{Bank, MatchRules, Rubric};
use crate::text::{self, Kind};

/// How many of the most alike bank rubrics lend their false claims.
pub const MOST_ALIKE: usize = 3;

/// The least likeness (cosine, 0-1) at which a bank rubric lends its false
/// claims: below it, the rubrics share words but not a subject.
pub const LEAST_LIKENESS: f64 = 0.2;

/// The share of a bank point's credit the reference answer must earn for
/// the point's contradictions to be borrowed.
pub const POINT_MADE: f64 = 0.5;

/// The penalty of a borrowed contradiction: the share of the score a stated
/// misconception typically costs in the bank.
const CONTRADICTION_PENALTY: f64 = 0.1;

/// A false claim borrowed from a bank rubric, as a misconception of the
/// draft.
#[derive(Debug, Clone)]
pub struct Borrowed {
    /// The id in the draft: the source rubric's question id and the rule's.
    pub id: String,
    /// The bank question it comes from.
    pub from: String,
    pub penalty: f64,
    pub text: String,
    pub correction: String,
    pub rules: MatchRules,
    pub not_examples: Vec<String>,
}

/// The bank's rubrics as TF-IDF vectors, built once for a drafting run.
pub struct Library<'a> {
    idf: HashMap<String, f64>,
    rubrics: Vec<(&'a Rubric, Vec<(String, f64)>)>,
}

impl<'a> Library<'a> {
    pub fn new(bank: &'a Bank) -> Self {
        let docs: Vec<(&Rubric, BTreeMap<String, usize>)> = bank
            .rubrics()
            .map(|r| {
                let mut text = bank
                    .question(&r.question)
                    .map_or(String::new(), |q| q.text.clone());
                for p in &r.points {
                    text.push('\n');
                    text.push_str(&p.text);
                }
                for e in r.examples.iter().filter(|e| e.label == "strong") {
                    text.push('\n');
                    text.push_str(&e.text);
                }
                (r, counts(&text))
            })
            .collect();
        let mut df: HashMap<String, usize> = HashMap::new();
        for (_, c) in &docs {
            for w in c.keys() {
                *df.entry(w.clone()).or_default() += 1;
            }
        }
        let n = docs.len() as f64;
        let idf: HashMap<String, f64> = df
            .into_iter()
            .map(|(w, d)| (w, (n / d as f64).ln()))
            .collect();
        let rubrics = docs
            .into_iter()
            .map(|(r, c)| (r, weighted(&c, &idf)))
            .collect();
        Library { idf, rubrics }
    }

    /// The bank rubrics most like a question and its reference answer, most
    /// alike first, with their likeness. A bank question with the draft's
    /// own id is skipped: drafting the bank's own questions (which is how
    /// `scripts/drafted-heldout.py` measures drafting) borrows only from
    /// the others.
    pub fn alike(&self, id: &str, question: &str, reference: &str) -> Vec<(&'a Rubric, f64)> {
        let v = weighted(&counts(&format!("{question}\n{reference}")), &self.idf);
        let v: HashMap<&str, f64> = v.iter().map(|(w, x)| (w.as_str(), *x)).collect();
        let mut found: Vec<(&Rubric, f64)> = self
            .rubrics
            .iter()
            .filter(|(r, _)| r.question != id)
            .map(|(r, rv)| {
                let cos = rv
                    .iter()
                    .map(|(w, x)| x * v.get(w.as_str()).unwrap_or(&0.0))
                    .sum();
                (*r, cos)
            })
            .filter(|&(_, cos)| cos >= LEAST_LIKENESS)
            .collect();
        // Ties broken by id, so the same input always borrows the same rules.
        found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.question.cmp(&b.0.question)));
        found.truncate(MOST_ALIKE);
        found
    }

    /// The false claims of the rubrics most like the question: each
    /// misconception as it is, and the contradictions of each point the
    /// reference answer makes, as misconceptions whose correction is the
    /// point's text. `credit` grades the reference answer with a bank
    /// rubric: each point's credit (0-1), in order.
    ///
    /// A contradiction denies its point in its own question's context
    /// ("workers share memory" is false of processes, true of threads), so
    /// it is borrowed only where the reference makes the same point: there
    /// the context is the same.
    pub fn borrow(
        &self,
        id: &str,
        question: &str,
        reference: &str,
        credit: impl Fn(&Rubric) -> Vec<f64>,
    ) -> Vec<Borrowed> {
        let mut out = Vec::new();
        for (r, _) in self.alike(id, question, reference) {
            let from = &r.question;
            let credit = credit(r);
            for m in &r.misconceptions {
                out.push(Borrowed {
                    id: borrowed_id(from, &m.id),
                    from: from.clone(),
                    penalty: m.penalty,
                    text: m.text.clone(),
                    correction: m.correction.clone(),
                    rules: m.rules.clone(),
                    not_examples: m.not_examples.clone(),
                });
            }
            let made = r
                .points
                .iter()
                .zip(credit.iter().chain(std::iter::repeat(&0.0)))
                .filter(|&(_, &c)| c >= POINT_MADE)
                .map(|(p, _)| p);
            for p in made {
                for (i, c) in p.contradicts.iter().enumerate() {
                    out.push(Borrowed {
                        id: borrowed_id(from, &format!("{}.{}", p.id, i + 1)),
                        from: from.clone(),
                        penalty: CONTRADICTION_PENALTY,
                        text: format!("States the opposite of: {}", p.text),
                        correction: p.text.clone(),
                        rules: c.clone(),
                        // The point's own text is true and says what the
                        // rule denies: it must not set the rule off.
                        not_examples: vec![p.text.clone()],
                    });
                }
            }
        }
        // Two long ids cut to the same 64 characters stay apart.
        let mut seen = std::collections::HashSet::new();
        for b in &mut out {
            let mut k = 2;
            let base = b.id.clone();
            while !seen.insert(b.id.clone()) {
                b.id = borrowed_id(&base, &k.to_string());
                k += 1;
            }
        }
        out
    }
}

/// A misconception id of at most 64 characters (what the bank accepts):
/// the source question's id, a dot, the rule's, shortened from the front
/// of each part when too long.
fn borrowed_id(from: &str, rule: &str) -> String {
    const MAX: usize = 64;
    // Ids are ASCII (see `bank::valid_id`), so any byte is a cut point.
    let rule = &rule[rule.len().saturating_sub(MAX / 2)..];
    let from = &from[..from.len().min(MAX - 1 - rule.len())];
    let trim = |s: &str| s.trim_matches(['-', '.', '_']).to_string();
    format!("{}.{}", trim(from), trim(rule))
}

/// How often each content word's stem occurs in a text, in the stems'
/// order: sums over it are taken in the same order on every run, so the
/// same input always borrows the same claims.
fn counts(text: &str) -> BTreeMap<String, usize> {
    let mut c = BTreeMap::new();
    for t in text::analyse(text).tokens {
        if t.kind == Kind::Word && !text::is_function_word(t.norm.as_str()) {
            *c.entry(t.stem.as_str().to_string()).or_default() += 1;
        }
    }
    c
}

/// A unit TF-IDF vector: sublinear term frequency times IDF, over the
/// words the bank knows.
fn weighted(counts: &BTreeMap<String, usize>, idf: &HashMap<String, f64>) -> Vec<(String, f64)> {
    let mut v: Vec<(String, f64)> = counts
        .iter()
        .filter_map(|(w, &n)| idf.get(w).map(|i| (w.clone(), (1.0 + (n as f64).ln()) * i)))
        .filter(|(_, x)| *x > 0.0)
        .collect();
    let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, x)| *x /= norm);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_fit_the_bank_and_name_their_source() {
        let id = borrowed_id("gil-what-it-protects", "one-thread-at-a-time.1");
        assert_eq!(id, "gil-what-it-protects.one-thread-at-a-time.1");
        let long = borrowed_id(&"q".repeat(50), &"r".repeat(50));
        assert!(long.len() <= 64, "{long}");
        assert!(crate::bank::valid_id(&long), "{long}");
        let cut = borrowed_id(
            "a-very-long-question-id-about-many-things",
            "x-y-z-rule-name-that-is-long.12",
        );
        assert!(crate::bank::valid_id(&cut), "{cut}");
        assert!(cut.ends_with(".12"), "{cut}");
    }

    #[test]
    fn a_question_borrows_from_rubrics_on_its_subject_and_never_its_own() {
        let bank = Bank::embedded().unwrap();
        let library = Library::new(&bank);
        let alike = library.alike(
            "my-gil-question",
            "What does the GIL protect, and why can't threads speed up CPU-bound Python?",
            "The global interpreter lock lets only one thread run Python bytecode at a time, \
             protecting reference counts; threads still help with I/O because blocking calls \
             release the GIL, and CPU-bound work needs processes.",
        );
        let ids: Vec<&str> = alike.iter().map(|(r, _)| r.question.as_str()).collect();
        assert!(ids.contains(&"gil-what-it-protects"), "{ids:?}");
        assert!(ids.len() <= MOST_ALIKE);
        let own = library.alike(
            "gil-what-it-protects",
            "What does the GIL protect?",
            "The GIL lets one thread run bytecode at a time and protects reference counts.",
        );
        assert!(
            own.iter()
                .all(|(r, _)| r.question != "gil-what-it-protects")
        );
        // A subject the bank does not cover lends nothing.
        let none = library.alike(
            "tax",
            "How is VAT charged on exports?",
            "Exports outside the customs union are zero-rated; keep proof of export.",
        );
        assert!(none.is_empty(), "{none:?}");
    }
}
