//! How the answers of a journal were graded, for a report's header: a
//! reader of scores needs to know which grader, model, prompt and rubric
//! versions produced them, and whether they were all produced alike.
//!
//! Every journal record carries a fingerprint of what decided its grade
//! ([`crate::batch::fingerprint`]). This module tallies those settings over
//! the answers of a report: a setting every answer shares is shown as one
//! value; one that differs lists each value with how many answers had it.
//! Per-answer settings (the answer, question and rubric digests) are left
//! out, except that a question graded against more than one rubric version
//! is named. Digests are cut to 12 hex digits, enough to tell them apart.

use std::collections::BTreeMap;

use crate::batch::fingerprint::{ANSWER, BACKEND, QUESTION, RUBRIC};
use crate::batch::record::Record;

/// Settings shown elsewhere or specific to one answer: the backend, model
/// and base url are all in the `grader` line.
const LEFT_OUT: [&str; 6] = [ANSWER, QUESTION, RUBRIC, BACKEND, "model", "base url"];

/// What older journals (without a settings record) say for a setting.
const NOT_RECORDED: &str = "not recorded";

/// One line of the header: a setting and the values it took.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub name: String,
    /// One value when every answer shares it; otherwise each value with
    /// its count, most answers first: `0.0 (3 answers)`.
    pub values: Vec<String>,
}

/// The settings of the latest record of every answer.
pub fn grader_settings(records: &[&Record]) -> Vec<Setting> {
    let mut rows = Vec::new();
    let graded_by = records.iter().filter_map(|r| {
        let b = &r.grading.as_ref()?.backend;
        Some(match &b.model {
            Some(m) => format!("{}, {m}", b.name),
            None => b.name.clone(),
        })
    });
    rows.push(tally("graded by", graded_by));
    rows.push(tally(
        "grader",
        records.iter().map(|r| r.fingerprint.grader.clone()),
    ));
    let mut names: Vec<&str> = records
        .iter()
        .flat_map(|r| r.fingerprint.settings.keys())
        .map(String::as_str)
        .filter(|k| !LEFT_OUT.contains(k))
        .collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let values = records.iter().map(|r| {
            let f = &r.fingerprint;
            match f.settings.get(name) {
                Some(v) => v.clone(),
                None if f.settings.is_empty() => NOT_RECORDED.into(),
                // Settings of another grader, e.g. no temperature for keywords.
                None => "n/a".into(),
            }
        });
        rows.push(tally(name, values));
    }
    let older = records
        .iter()
        .filter(|r| r.fingerprint.settings.is_empty())
        .count();
    if older > 0 {
        rows.push(Setting {
            name: "settings".into(),
            values: vec![format!(
                "{NOT_RECORDED} for {} (older journal format); prompt {}",
                answers(older),
                prompts(records)
            )],
        });
    }
    rows.push(Setting {
        name: "rubric".into(),
        values: rubric_versions(records),
    });
    rows.retain(|r| !r.values.is_empty());
    rows
}

/// The values of one setting over the answers, most frequent first.
fn tally(name: &str, values: impl Iterator<Item = String>) -> Setting {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(short(&v)).or_default() += 1;
    }
    let single = counts.len() == 1;
    let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
    // Stable: equal counts stay in value order.
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    Setting {
        name: name.into(),
        values: counts
            .into_iter()
            .map(|(v, n)| {
                if single {
                    v
                } else {
                    format!("{v} ({})", answers(n))
                }
            })
            .collect(),
    }
}

/// The prompt digests of older records: `none` for the keyword grader.
fn prompts(records: &[&Record]) -> String {
    let mut all: Vec<String> = records
        .iter()
        .filter(|r| r.fingerprint.settings.is_empty())
        .map(|r| r.fingerprint.prompt.as_deref().map_or("none".into(), short))
        .collect();
    all.sort_unstable();
    all.dedup();
    all.join(", ")
}

/// "one version per question", or each question graded against several.
fn rubric_versions(records: &[&Record]) -> Vec<String> {
    let mut by_question: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    for r in records.iter().filter(|r| !r.fingerprint.rubric.is_empty()) {
        *by_question
            .entry(&r.question_id)
            .or_default()
            .entry(short(&r.fingerprint.rubric))
            .or_default() += 1;
    }
    if by_question.is_empty() {
        return Vec::new();
    }
    let mixed: Vec<String> = by_question
        .iter()
        .filter(|(_, versions)| versions.len() > 1)
        .map(|(q, versions)| {
            let each: Vec<String> = versions
                .iter()
                .map(|(v, n)| format!("{v} for {}", answers(*n)))
                .collect();
            format!("{q}: {} versions ({})", versions.len(), each.join(", "))
        })
        .collect();
    if mixed.is_empty() {
        vec!["one version per question".into()]
    } else {
        mixed
    }
}

/// A SHA-256 hex digest cut to 12 digits; any other value as it is.
fn short(v: &str) -> String {
    if v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()) {
        v[..12].to_string()
    } else {
        v.to_string()
    }
}

fn answers(n: usize) -> String {
    super::count(n, "answer")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::record::{Fingerprint, RECORD_SCHEMA, Status};

    fn record(question: &str, rubric: &str, settings: &[(&str, &str)]) -> Record {
        Record {
            journal: RECORD_SCHEMA.into(),
            status: Status::Failed,
            candidate: "c".into(),
            question_id: question.into(),
            position: 1,
            input: None,
            fingerprint: Fingerprint {
                answer: "a".into(),
                rubric: rubric.into(),
                prompt: None,
                grader: "keyword".into(),
                digest: None,
                settings: settings
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            },
            latency_ms: 1,
            grading: None,
            failure: None,
            answer: None,
        }
    }

    fn find<'a>(rows: &'a [Setting], name: &str) -> Option<&'a [String]> {
        rows.iter()
            .find(|r| r.name == name)
            .map(|r| r.values.as_slice())
    }

    #[test]
    fn a_shared_setting_is_one_value_and_a_mixed_one_is_counted() {
        let a = record("q1", "r1", &[("grader version", "kw/3"), ("answer", "x")]);
        let b = record("q2", "r2", &[("grader version", "kw/3"), ("answer", "y")]);
        let c = record("q2", "r2", &[("grader version", "kw/2"), ("answer", "z")]);
        let rows = grader_settings(&[&a, &b]);
        assert_eq!(find(&rows, "grader version").unwrap(), ["kw/3"]);
        assert_eq!(
            find(&rows, "answer"),
            None,
            "per-answer settings are left out"
        );
        let rows = grader_settings(&[&a, &b, &c]);
        assert_eq!(
            find(&rows, "grader version").unwrap(),
            ["kw/3 (2 answers)", "kw/2 (1 answer)"]
        );
    }

    #[test]
    fn digests_are_cut_and_rubric_versions_are_named_when_they_differ() {
        let long = "ab".repeat(32);
        let a = record("q1", &long, &[("prompt template", &long)]);
        let b = record("q1", "other", &[("prompt template", &long)]);
        let rows = grader_settings(&[&a]);
        assert_eq!(find(&rows, "prompt template").unwrap(), ["abababababab"]);
        assert_eq!(find(&rows, "rubric").unwrap(), ["one version per question"]);
        let rows = grader_settings(&[&a, &b]);
        assert_eq!(
            find(&rows, "rubric").unwrap(),
            ["q1: 2 versions (abababababab for 1 answer, other for 1 answer)"]
        );
    }

    #[test]
    fn older_records_say_their_settings_were_not_recorded() {
        let old = record("q1", "r", &[]);
        let new = record("q1", "r", &[("seed", "7")]);
        let rows = grader_settings(&[&old, &new]);
        assert_eq!(
            find(&rows, "seed").unwrap(),
            ["7 (1 answer)", "not recorded (1 answer)"]
        );
        assert_eq!(
            find(&rows, "settings").unwrap(),
            ["not recorded for 1 answer (older journal format); prompt none"]
        );
        assert_eq!(find(&rows, "graded by"), None, "no answer was graded");
        assert_eq!(find(&rows, "grader").unwrap(), ["keyword"]);
    }
}
