//! The aggregate behind every batch report format. It is computed once from
//! a journal, so text, Markdown, CSV, JSON and HTML always agree, and the
//! renderers only lay it out.
//!
//! Only the last record per (candidate, question) counts: a journal may hold
//! a failed attempt followed by a graded retry, or several shard journals
//! concatenated, and the latest line is the answer's current state. Numbers
//! are rounded here (percentages to one decimal, shares to four places) so
//! every format shows the same values and rankings follow what is shown.
//!
//! A candidate is ranked over every question of the journal: a question
//! they did not answer (no row, or a bad row such as an empty answer)
//! counts 0 by default, so answering one question well does not outrank
//! answering all five ([`MissingPolicy`]). The bad rows of the run, read
//! from its errors file, are listed so no answer disappears silently.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::settings::{self, Setting};
use super::stats::{self, BUCKETS, round_to};
use crate::batch::input::RowError;
use crate::batch::journal::Loaded;
use crate::batch::record::{Record, Status};
use crate::grade::Grading;

/// Identifies the JSON layout of a batch report.
pub const SCHEMA: &str = "viva.report/v1";

/// How many of the most-missed key points a report lists.
pub const TOP_MISSED: usize = 10;

/// How questions a candidate did not answer count in the ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    /// A missing answer scores 0%: the mean is over every question.
    #[default]
    Zero,
    /// Missing answers are left out: the mean is over the graded answers.
    Skip,
}

/// What a report is made from besides the journal.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub missing: MissingPolicy,
    /// The run's bad rows (its errors file), by line.
    pub bad_rows: Vec<RowError>,
}

/// Everything a batch report shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub schema: &'static str,
    pub journal: JournalHealth,
    pub counts: Counts,
    /// How missing answers count in `ranking`.
    pub missing: MissingPolicy,
    /// Candidates, best mean first; ties by name; no graded answer last.
    pub ranking: Vec<CandidateRow>,
    /// Per question, by id.
    pub questions: Vec<QuestionRow>,
    /// Per topic, by name.
    pub topics: Vec<TopicRow>,
    /// Graded answers per 10-point score band, lowest band first.
    pub distribution: Vec<Bucket>,
    /// The key points most often scored 0, at most [`TOP_MISSED`].
    pub missed_points: Vec<MissedPoint>,
    /// What a reviewer should look at, by candidate and question.
    pub flags: Vec<FlagRow>,
    /// The current state of every answer, by candidate and question.
    pub answers: Vec<AnswerRow>,
    /// Rows of the input that could not be graded (from the errors file).
    pub bad_rows: Vec<RowError>,
    /// How the answers were graded: backend, model, prompt and grader
    /// versions, rubric versions. Shown in the HTML header; not (yet) part of
    /// the JSON layout.
    #[serde(skip)]
    pub grader: Vec<Setting>,
}

/// Where the data came from, and what could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JournalHealth {
    /// The journal's file name.
    pub name: String,
    /// Valid records read.
    pub records: usize,
    /// Records replaced by a later one for the same candidate and question.
    pub superseded: usize,
    pub bad_lines: Vec<BadLine>,
    /// The last line had no newline: a batch is writing it, or crashed.
    pub torn_tail: bool,
}

/// A complete journal line that is not a valid record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BadLine {
    pub line: usize,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Counts {
    pub candidates: usize,
    pub questions: usize,
    pub answers: usize,
    pub graded: usize,
    pub failed: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateRow {
    /// 1-based position in the ranking.
    pub rank: usize,
    pub candidate: String,
    /// Mean percentage: over the graded and the missing answers (scored 0)
    /// with [`MissingPolicy::Zero`], over the graded ones with `Skip`;
    /// `None` when there is nothing to average.
    pub mean_percent: Option<f64>,
    /// Questions with an answer in the journal (graded or failed).
    pub answered: usize,
    /// Questions in the journal: "answered 3 of 5".
    pub questions: usize,
    /// Questions without an answer (`questions - answered`).
    pub missing: usize,
    pub graded: usize,
    pub failed: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionRow {
    pub id: String,
    /// Text, topic and level as recorded; empty when every answer failed.
    pub text: String,
    pub topic: String,
    pub level: String,
    /// Graded answers.
    pub n: usize,
    pub failed: usize,
    /// Statistics of the graded percentages; `None` when `n` is 0.
    pub mean: Option<f64>,
    pub std_dev: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicRow {
    pub topic: String,
    /// Graded answers in the topic.
    pub n: usize,
    /// Mean percentage over those answers.
    pub mean: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bucket {
    /// Lower bound, inclusive.
    pub from: u32,
    /// Upper bound, exclusive except for the top band, which includes 100.
    pub to: u32,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissedPoint {
    pub question_id: String,
    pub point_id: String,
    pub text: String,
    /// Graded answers that scored 0 on the point.
    pub missed: usize,
    /// Graded answers that were scored on the point.
    pub graded: usize,
    /// `missed / graded`, rounded to 4 places.
    pub share: f64,
}

/// One thing to review about one answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlagRow {
    pub candidate: String,
    pub question_id: String,
    /// A grading flag kind (`unverified-evidence`, `grader-disagreement`,
    /// `misconception-disagreement`,
    /// `possible-manipulation`), `misconception`, or `failed`.
    pub kind: String,
    pub message: String,
    /// The answer's words, for misconceptions.
    pub evidence: Option<String>,
}

/// The current state of one answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerRow {
    pub candidate: String,
    pub question_id: String,
    /// From the grading, or from another grading of the same question when
    /// this answer failed; empty when no grading names it.
    pub topic: String,
    pub status: Status,
    pub percent: Option<f64>,
    pub earned: Option<f64>,
    pub possible: Option<f64>,
    /// Short tags: grading flag kinds, `misconception:<id>`, `failed:<kind>`.
    pub flags: Vec<String>,
    /// The journal record itself (grading or failure, input line,
    /// fingerprint), for the HTML report's per-answer details.
    #[serde(skip)]
    pub record: Record,
}

/// What became of one answer, read from its latest record.
enum Outcome<'a> {
    Graded(&'a Grading),
    Failed { kind: String, message: String },
}

/// The latest record of one answer.
struct Answer<'a> {
    record: &'a Record,
    outcome: Outcome<'a>,
}

impl<'a> Answer<'a> {
    fn new(record: &'a Record) -> Self {
        let outcome = match (&record.grading, &record.failure) {
            (Some(g), _) if record.status == Status::Graded => Outcome::Graded(g),
            (_, Some(f)) => Outcome::Failed {
                kind: f.kind.clone(),
                message: f.message.clone(),
            },
            (None, None) if record.status == Status::Graded => Outcome::Failed {
                kind: "no-grading".into(),
                message: "the record says graded but holds no grading".into(),
            },
            _ => Outcome::Failed {
                kind: "unknown".into(),
                message: "no reason recorded".into(),
            },
        };
        Answer { record, outcome }
    }

    fn grading(&self) -> Option<&'a Grading> {
        match self.outcome {
            Outcome::Graded(g) => Some(g),
            Outcome::Failed { .. } => None,
        }
    }

    fn percent(&self) -> Option<f64> {
        self.grading().map(|g| g.total.percent)
    }
}

/// Builds the aggregate of a loaded journal.
pub fn summarise(name: &str, loaded: &Loaded, options: &Options) -> Summary {
    let latest = latest(&loaded.records);
    let answers: Vec<Answer> = latest.iter().map(|r| Answer::new(r)).collect();
    let graded = answers.iter().filter(|a| a.grading().is_some()).count();
    let questions = question_rows(&answers);
    let ranking = ranking(&answers, questions.len(), options);
    Summary {
        schema: SCHEMA,
        journal: JournalHealth {
            name: name.to_string(),
            records: loaded.records.len(),
            superseded: loaded.records.len() - latest.len(),
            bad_lines: loaded
                .bad_lines
                .iter()
                .map(|(line, reason)| BadLine {
                    line: *line,
                    reason: reason.clone(),
                })
                .collect(),
            torn_tail: loaded.torn_tail,
        },
        counts: Counts {
            candidates: ranking.len(),
            questions: questions.len(),
            answers: answers.len(),
            graded,
            failed: answers.len() - graded,
        },
        ranking,
        topics: topic_rows(&answers),
        distribution: distribution(&answers),
        missed_points: missed_points(&answers),
        flags: flag_rows(&answers),
        answers: answer_rows(&answers, &questions),
        questions,
        missing: options.missing,
        bad_rows: options.bad_rows.clone(),
        grader: settings::grader_settings(&latest),
    }
}

/// The last record of each (candidate, question), ordered by that key.
fn latest(records: &[Record]) -> Vec<&Record> {
    let mut by_key: BTreeMap<(&str, &str), &Record> = BTreeMap::new();
    for r in records {
        by_key.insert((&r.candidate, &r.question_id), r);
    }
    by_key.into_values().collect()
}

fn ranking(answers: &[Answer], questions: usize, options: &Options) -> Vec<CandidateRow> {
    let mut by_name: BTreeMap<&str, (Vec<f64>, usize)> = BTreeMap::new();
    for a in answers {
        let entry = by_name.entry(&a.record.candidate).or_default();
        match a.percent() {
            Some(p) => entry.0.push(p),
            None => entry.1 += 1,
        }
    }
    // A candidate whose every row was bad is still ranked: 0 of M answered.
    for row in &options.bad_rows {
        if let Some(c) = row.candidate.as_deref().filter(|c| !c.trim().is_empty()) {
            by_name.entry(c.trim()).or_default();
        }
    }
    let mut rows: Vec<CandidateRow> = by_name
        .into_iter()
        .map(|(name, (percents, failed))| {
            let answered = percents.len() + failed;
            let missing = questions.saturating_sub(answered);
            let mut counted = percents.clone();
            if options.missing == MissingPolicy::Zero {
                counted.extend(std::iter::repeat_n(0.0, missing));
            }
            CandidateRow {
                rank: 0,
                candidate: name.to_string(),
                mean_percent: stats::mean(&counted).map(|m| round_to(m, 1)),
                answered,
                questions,
                missing,
                graded: percents.len(),
                failed,
            }
        })
        .collect();
    // Stable sort: rows are in name order already, so equal means stay so.
    rows.sort_by(|a, b| match (a.mean_percent, b.mean_percent) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (x, y) => y.is_some().cmp(&x.is_some()),
    });
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = i + 1;
    }
    rows
}

fn question_rows(answers: &[Answer]) -> Vec<QuestionRow> {
    let mut by_id: BTreeMap<&str, (Option<&Grading>, Vec<f64>, usize)> = BTreeMap::new();
    for a in answers {
        let entry = by_id.entry(&a.record.question_id).or_default();
        match a.grading() {
            Some(g) => {
                entry.0 = Some(g);
                entry.1.push(g.total.percent);
            }
            None => entry.2 += 1,
        }
    }
    by_id
        .into_iter()
        .map(|(id, (grading, percents, failed))| {
            let q = grading.map(|g| &g.question);
            let (min, max) = stats::min_max(&percents).unzip();
            QuestionRow {
                id: id.to_string(),
                text: q.map(|q| q.text.clone()).unwrap_or_default(),
                topic: q.map(|q| q.topic.clone()).unwrap_or_default(),
                level: q.map(|q| q.level.clone()).unwrap_or_default(),
                n: percents.len(),
                failed,
                mean: stats::mean(&percents).map(|m| round_to(m, 1)),
                std_dev: stats::std_dev(&percents).map(|s| round_to(s, 1)),
                min,
                max,
            }
        })
        .collect()
}

fn topic_rows(answers: &[Answer]) -> Vec<TopicRow> {
    let mut by_topic: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for g in answers.iter().filter_map(Answer::grading) {
        by_topic
            .entry(&g.question.topic)
            .or_default()
            .push(g.total.percent);
    }
    by_topic
        .into_iter()
        .map(|(topic, percents)| TopicRow {
            topic: topic.to_string(),
            n: percents.len(),
            mean: stats::mean(&percents).map_or(0.0, |m| round_to(m, 1)),
        })
        .collect()
}

fn distribution(answers: &[Answer]) -> Vec<Bucket> {
    let mut counts = [0usize; BUCKETS];
    for p in answers.iter().filter_map(Answer::percent) {
        counts[stats::bucket(p)] += 1;
    }
    counts
        .iter()
        .zip(0u32..)
        .map(|(&count, i)| Bucket {
            from: i * 10,
            to: i * 10 + 10,
            count,
        })
        .collect()
}

fn missed_points(answers: &[Answer]) -> Vec<MissedPoint> {
    let mut by_point: BTreeMap<(&str, &str), (&str, usize, usize)> = BTreeMap::new();
    for g in answers.iter().filter_map(Answer::grading) {
        for p in &g.points {
            let entry = by_point
                .entry((&g.question.id, &p.id))
                .or_insert((&p.text, 0, 0));
            entry.2 += 1;
            if p.score == 0.0 {
                entry.1 += 1;
            }
        }
    }
    let mut rows: Vec<MissedPoint> = by_point
        .into_iter()
        .filter(|(_, (_, missed, _))| *missed > 0)
        .map(|((q, p), (text, missed, graded))| MissedPoint {
            question_id: q.to_string(),
            point_id: p.to_string(),
            text: text.to_string(),
            missed,
            graded,
            share: round_to(missed as f64 / graded as f64, 4),
        })
        .collect();
    // Stable sort over (question, point) order: equal shares stay by id.
    rows.sort_by(|a, b| {
        b.share
            .total_cmp(&a.share)
            .then_with(|| b.missed.cmp(&a.missed))
    });
    rows.truncate(TOP_MISSED);
    rows
}

fn flag_rows(answers: &[Answer]) -> Vec<FlagRow> {
    let mut rows = Vec::new();
    for a in answers {
        let row = |kind: &str, message: String, evidence: Option<String>| FlagRow {
            candidate: a.record.candidate.clone(),
            question_id: a.record.question_id.clone(),
            kind: kind.to_string(),
            message,
            evidence,
        };
        match &a.outcome {
            Outcome::Failed { kind, message } => {
                rows.push(row("failed", format!("{kind}: {message}"), None));
            }
            Outcome::Graded(g) => {
                for f in &g.flags {
                    rows.push(row(&f.kind, f.message.clone(), None));
                }
                for m in &g.misconceptions {
                    let message = format!("{}: {}", m.id, m.text);
                    rows.push(row("misconception", message, m.evidence.clone()));
                }
            }
        }
    }
    rows
}

fn answer_rows(answers: &[Answer], questions: &[QuestionRow]) -> Vec<AnswerRow> {
    let topics: HashMap<&str, &str> = questions
        .iter()
        .map(|q| (q.id.as_str(), q.topic.as_str()))
        .collect();
    answers
        .iter()
        .map(|a| {
            let r = a.record;
            let g = a.grading();
            AnswerRow {
                candidate: r.candidate.clone(),
                question_id: r.question_id.clone(),
                topic: topics
                    .get(r.question_id.as_str())
                    .unwrap_or(&"")
                    .to_string(),
                status: if g.is_some() {
                    Status::Graded
                } else {
                    Status::Failed
                },
                percent: g.map(|g| g.total.percent),
                earned: g.map(|g| g.total.earned),
                possible: g.map(|g| g.total.possible),
                flags: answer_tags(&a.outcome),
                record: r.clone(),
            }
        })
        .collect()
}

fn answer_tags(outcome: &Outcome) -> Vec<String> {
    match outcome {
        Outcome::Failed { kind, .. } => vec![format!("failed:{kind}")],
        Outcome::Graded(g) => {
            let mut tags: Vec<String> = Vec::new();
            for f in &g.flags {
                if !tags.contains(&f.kind) {
                    tags.push(f.kind.clone());
                }
            }
            tags.extend(
                g.misconceptions
                    .iter()
                    .map(|m| format!("misconception:{}", m.id)),
            );
            tags
        }
    }
}

impl JournalHealth {
    /// One line describing what could not be read, or `None` when all was.
    pub fn warning(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(first) = self.bad_lines.first() {
            let more = match self.bad_lines.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            parts.push(format!(
                "line {} is not a valid record ({}){more}, skipped",
                first.line, first.reason
            ));
        }
        if self.torn_tail {
            parts.push(
                "the last line is incomplete (a batch may still be writing it), skipped".into(),
            );
        }
        (!parts.is_empty()).then(|| format!("journal {}: {}", self.name, parts.join("; ")))
    }
}

#[cfg(test)]
mod tests;
