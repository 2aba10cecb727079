//! `viva rubric draft`: writes a bank drafted from questions and reference
//! answers (see [`crate::draft`]), then pins each rubric's self-test
//! examples by grading them, so `viva rubric test --bank DIR` passes at once
//! and later edits that change grading show.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::Context;
use crate::bank::{Bank, Level, derive, valid_id};
use crate::cli::BackendChoice;
use crate::cli::RubricDraftArgs;
use crate::config::LlmConfig;
use crate::draft::borrow::Library;
use crate::draft::{self, Draft, DraftSource, question_entry, rubric_file};
use crate::error::{Error, ExitStatus, Result};
use crate::grade::backend::llm_error;
use crate::grade::keyword::{FalseRule, KeywordGrader};
use crate::grade::selfcheck;
use crate::llm::client::Client;

pub fn run(ctx: &mut Context, args: &RubricDraftArgs) -> Result<ExitStatus> {
    let sources = match &args.csv {
        Some(csv) => read_csv(csv, args)?,
        None => vec![one_source(args)?],
    };
    let out = &args.out;
    for dir in ["questions", "rubrics"] {
        fs::create_dir_all(out.join(dir)).map_err(|e| {
            Error::output(
                format!("cannot create {}: {e}", out.join(dir).display()),
                "choose another --out folder",
            )
        })?;
    }
    let mut todo = Vec::new();
    let mut kept = Vec::new();
    for source in sources {
        let path = out.join("rubrics").join(format!("{}.toml", source.id));
        if path.exists() && !args.force {
            kept.push(source.id);
            continue;
        }
        todo.push(source);
    }
    let mut drafts = if args.llm.backend == BackendChoice::Llm {
        with_llm(ctx, args, todo)?
    } else {
        todo.into_iter().map(draft::draft).collect()
    };
    if !args.no_borrow {
        borrow_false_claims(&mut drafts)?;
    }
    write_questions(out, &drafts)?;
    for d in &drafts {
        write(&rubric_path(out, d), &rubric_file(d, &[]))?;
    }
    // The grader of the last pass compiled the rubrics as they are written.
    let (bank, grader, dropped, derived) = drop_false_alarms(out, &mut drafts)?;
    // Pin the self-test examples by grading them with the drafted rules.
    for d in &drafts {
        let examples = examples(&bank, &grader, d);
        write(&rubric_path(out, d), &rubric_file(d, &examples))?;
    }
    let points: usize = drafts.iter().map(|d| d.points.len()).sum();
    let mut report = format!(
        "drafted {} rubric(s), {points} key point(s), into {}\n",
        drafts.len(),
        out.display()
    );
    let borrowed: usize = drafts.iter().map(|d| d.borrowed.len()).sum();
    if borrowed + dropped > 0 {
        let from: std::collections::BTreeSet<&str> = drafts
            .iter()
            .flat_map(|d| d.borrowed.iter().map(|b| b.from.as_str()))
            .collect();
        report.push_str(&format!(
            "borrowed {borrowed} false claim(s) from {} bank question(s) on the same subjects \
             (--no-borrow leaves them out)",
            from.len()
        ));
        if dropped > 0 {
            report.push_str(&format!(
                "; {dropped} more were left out, true of the drafts' own reference answers"
            ));
        }
        report.push('\n');
    }
    if derived > 0 {
        report.push_str(&format!(
            "left out {derived} derived contradiction(s) that fire on the drafts' own reference answers\n"
        ));
    }
    if !kept.is_empty() {
        report.push_str(&format!(
            "kept {} existing rubric(s) (--force replaces them): {}\n",
            kept.len(),
            kept.join(", ")
        ));
    }
    report.push_str(&format!(
        "next: viva rubric lint --bank {0}; viva rubric test --bank {0}\n",
        out.display()
    ));
    ctx.print(&report)?;
    Ok(ExitStatus::Success)
}

/// Drafts each question from the model's proposal; a reply that is not a
/// usable proposal leaves that question to offline drafting, with a warning.
fn with_llm(ctx: &Context, args: &RubricDraftArgs, todo: Vec<DraftSource>) -> Result<Vec<Draft>> {
    let client = Client::new(LlmConfig::resolve(&args.llm)?).map_err(llm_error)?;
    let rt = super::grade::runtime()?;
    let mut drafts = Vec::new();
    for source in todo {
        match rt
            .block_on(draft::llm::propose(&client, &source))
            .map_err(llm_error)?
        {
            Ok(proposal) => drafts.push(draft::llm::draft(source, &proposal)),
            Err(why) => {
                ctx.note(&format!(
                    "warning: question `{}`: the model's draft was not usable ({why}); drafted offline instead",
                    source.id
                ));
                drafts.push(draft::draft(source));
            }
        }
    }
    Ok(drafts)
}

fn rubric_path(out: &Path, d: &Draft) -> PathBuf {
    out.join("rubrics").join(format!("{}.toml", d.source.id))
}

fn write(path: &Path, text: &str) -> Result<()> {
    fs::write(path, text).map_err(|e| {
        Error::output(
            format!("cannot write {}: {e}", path.display()),
            "check the --out folder's permissions and free space",
        )
    })
}

/// The reference must score high, the question restated nothing; with two
/// points or more, the first point alone is pinned as a partial answer.
fn examples(bank: &Bank, grader: &KeywordGrader, d: &Draft) -> Vec<draft::write::DraftExample> {
    let (Some(question), Some(rubric)) = (bank.question(&d.source.id), bank.rubric(&d.source.id))
    else {
        return Vec::new();
    };
    let score = |text: &str| grader.grade(question, rubric, text).total.fraction;
    let pin = |s: f64| {
        let lo = ((s - 0.1) * 100.0).floor() / 100.0;
        let hi = ((s + 0.1) * 100.0).ceil() / 100.0;
        (lo.max(0.0), hi.min(1.0))
    };
    let mut out = Vec::new();
    let strong = score(&d.source.reference);
    out.push((
        "strong".to_string(),
        (pin(strong).0.min(0.8), 1.0),
        d.source.reference.trim().to_string(),
    ));
    let proposed = |label: &str| d.proposed_examples.iter().any(|(l, _)| l == label);
    if d.points.len() >= 2 && !proposed("partial") {
        let first = &d.points[0].point.text;
        out.push(("partial".to_string(), pin(score(first)), first.clone()));
    }
    // Answers the model wrote in a candidate's words: pinned as they grade.
    for (label, text) in &d.proposed_examples {
        out.push((label.clone(), pin(score(text)), text.clone()));
    }
    let restated = score(&d.source.question);
    let label = if proposed("weak") { "restated" } else { "weak" };
    out.push((
        label.to_string(),
        (0.0, pin(restated).1.max(0.2)),
        d.source.question.trim().to_string(),
    ));
    out
}

/// Gives each draft the false claims of the embedded bank's questions on
/// its subject (see [`crate::draft::borrow`]).
fn borrow_false_claims(drafts: &mut [Draft]) -> Result<()> {
    let embedded = Bank::embedded()?;
    let library = Library::new(&embedded);
    let grader = KeywordGrader::new("borrowing");
    for d in drafts {
        let s = &d.source;
        let credit = |r: &crate::bank::Rubric| match embedded.question(&r.question) {
            Some(q) => grader
                .grade(q, r, &s.reference)
                .points
                .iter()
                .map(|p| p.score)
                .collect(),
            None => Vec::new(),
        };
        d.borrowed = library.borrow(&s.id, &s.question, &s.reference, credit);
    }
    Ok(())
}

/// Leaves out of each written draft the rules that fire on what it holds
/// true (see [`false_alarms`]), rewriting its file, until none does
/// (leaving one out changes the rubric's vocabulary, which can change how
/// the rest match). Returns the bank as written, the grader that read it
/// (its compiled rubrics are those files), and how many borrowed claims and
/// derived contradictions were left out.
fn drop_false_alarms(
    out: &Path,
    drafts: &mut [Draft],
) -> Result<(Bank, KeywordGrader, usize, usize)> {
    let (mut dropped, mut derived) = (0, 0);
    loop {
        let bank = Bank::open(Some(out), false)?;
        // A grader compiles each rubric once: each pass reads the files as
        // they are now.
        let grader = KeywordGrader::new("drafting");
        let mut changed = false;
        for d in drafts.iter_mut() {
            let alarms = false_alarms(&bank, &grader, d);
            if alarms.borrowed.is_empty() && alarms.derived.is_empty() {
                continue;
            }
            changed = true;
            dropped += alarms.borrowed.len();
            derived += alarms.derived.len();
            d.borrowed.retain(|b| !alarms.borrowed.contains(&b.id));
            for &(point, rule) in alarms.derived.iter().rev() {
                d.points[point].contradicts.remove(rule);
            }
            write(&rubric_path(out, d), &rubric_file(d, &[]))?;
        }
        if !changed {
            return Ok((bank, grader, dropped, derived));
        }
    }
}

/// A written draft's rules that call one of its own true statements false.
#[derive(Default)]
struct FalseAlarms {
    /// Ids of borrowed claims.
    borrowed: std::collections::BTreeSet<String>,
    /// Derived contradictions, as (point, rule) indices in order.
    derived: std::collections::BTreeSet<(usize, usize)>,
}

/// The rules of a written draft that fire on what it holds true: its
/// reference answer, its points' texts, the honest examples a model wrote,
/// or a borrowed claim's own `not_examples` read in this rubric. `rubric
/// lint` refuses a rubric that contradicts itself; a borrowed claim is
/// false in its own question's context, and a derived contradiction is a
/// guess at the point's opposite: where either fires on the reference, the
/// guess is wrong for this question.
fn false_alarms(bank: &Bank, grader: &KeywordGrader, d: &Draft) -> FalseAlarms {
    let mut out = FalseAlarms::default();
    let (Some(question), Some(rubric)) = (bank.question(&d.source.id), bank.rubric(&d.source.id))
    else {
        return out;
    };
    // Points are written in the draft's order: the same index is the same
    // point.
    let same_points = rubric.points.len() == d.points.len()
        && rubric
            .points
            .iter()
            .zip(&d.points)
            .all(|(r, p)| r.id == p.id);
    let honest = d
        .proposed_examples
        .iter()
        .filter(|(label, _)| selfcheck::HONEST_LABELS.contains(&label.as_str()))
        .map(|(_, text)| text.as_str());
    let texts = rubric
        .points
        .iter()
        .map(|p| p.text.as_str())
        .chain([d.source.reference.as_str()])
        .chain(honest);
    for text in texts {
        for s in grader.false_statements(rubric, text) {
            match s.rule {
                FalseRule::Misconception(i) => {
                    out.borrowed.insert(rubric.misconceptions[i].id.clone());
                }
                FalseRule::Contradiction { point, rule } if same_points => {
                    out.derived.insert((point, rule));
                }
                FalseRule::Contradiction { .. } => {}
            }
        }
    }
    for alarm in selfcheck::not_example_hits(grader, question, rubric) {
        out.borrowed.insert(alarm.misconception);
    }
    out
}

/// Adds each drafted question to its topic's file, keeping the questions
/// already there (a question drafted again is replaced only with --force,
/// which got it this far).
fn write_questions(out: &Path, drafts: &[Draft]) -> Result<()> {
    let mut by_topic: BTreeMap<&str, Vec<&Draft>> = BTreeMap::new();
    for d in drafts {
        by_topic.entry(d.source.topic.as_str()).or_default().push(d);
    }
    for (topic, list) in by_topic {
        let path = out.join("questions").join(format!("{topic}.toml"));
        let existing = fs::read_to_string(&path).unwrap_or_default();
        let mut text = if existing.trim().is_empty() {
            format!("topic = {}\n", toml::Value::String(topic.to_string()))
        } else {
            existing.clone()
        };
        for d in list {
            let id_line = format!("id = {}", toml::Value::String(d.source.id.clone()));
            if existing.lines().any(|l| l.trim() == id_line) {
                continue;
            }
            text.push_str(&question_entry(d));
        }
        write(&path, &text)?;
    }
    Ok(())
}

/// A question id as the bank accepts it: lowercased, and other characters
/// than letters, digits, `.` and `_` turned into `-`.
fn normalise_id(raw: &str) -> String {
    let lower: String = raw
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    lower
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn checked_id(raw: &str, at: &str) -> Result<String> {
    let id = normalise_id(raw);
    if !valid_id(&id) {
        return Err(Error::usage(
            format!("{at}: question id {raw:?} cannot be made a bank id"),
            "use letters, digits, `-`, `.` or `_`, at most 64 characters",
        ));
    }
    if id != raw {
        eprintln!("note: {at}: question id {raw:?} is written as `{id}`");
    }
    Ok(id)
}

fn level(raw: &str, at: &str) -> Result<Level> {
    raw.trim().to_lowercase().parse().map_err(|_| {
        Error::usage(
            format!("{at}: unknown level {raw:?}"),
            "use junior, middle or senior",
        )
    })
}

const NO_WORDS_HINT: &str = "write the reference answer in words; a number alone is fine";

fn one_source(args: &RubricDraftArgs) -> Result<DraftSource> {
    let (Some(id), Some(question)) = (&args.id, &args.question) else {
        return Err(Error::usage(
            "nothing to draft: give a CSV, or --id, --question and --reference",
            "e.g. viva rubric draft questions.csv --out my-bank",
        ));
    };
    let reference = match (&args.reference, &args.reference_file) {
        (Some(r), _) => r.clone(),
        (None, Some(f)) => fs::read_to_string(f).map_err(|e| {
            Error::usage(
                format!("cannot read {}: {e}", f.display()),
                "check the --reference-file path",
            )
        })?,
        (None, None) => {
            return Err(Error::usage(
                "no reference answer: give --reference TEXT or --reference-file FILE",
                "drafting splits the reference answer into key points",
            ));
        }
    };
    if reference.trim().is_empty() {
        return Err(Error::usage(
            "the reference answer is empty",
            "drafting splits the reference answer into key points",
        ));
    }
    if !derive::matchable(&reference, question) {
        return Err(Error::usage(
            "the reference answer has no word or number to match",
            NO_WORDS_HINT,
        ));
    }
    Ok(DraftSource {
        id: checked_id(id, "--id")?,
        question: question.trim().to_string(),
        reference: reference.trim().to_string(),
        topic: draft::slug(&args.topic),
        level: level(&args.level, "--level")?,
    })
}

fn read_csv(path: &Path, args: &RubricDraftArgs) -> Result<Vec<DraftSource>> {
    let name = path.display().to_string();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .map_err(|e| Error::usage(format!("cannot read {name}: {e}"), "check the CSV path"))?;
    let headers = reader
        .headers()
        .map_err(|e| {
            Error::usage(
                format!("{name}: {e}"),
                "the first row must name the columns",
            )
        })?
        .clone();
    let column = |want: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(want))
    };
    let need = |want: &str| {
        column(want).ok_or_else(|| {
            Error::usage(
                format!("{name}:1: no `{want}` column (columns: {})", headers.iter().collect::<Vec<_>>().join(", ")),
                "the CSV needs question_id, question and reference_answer (topic and level are optional)",
            )
        })
    };
    let (id_col, q_col, ref_col) = (
        need("question_id")?,
        need("question")?,
        need("reference_answer")?,
    );
    let (topic_col, level_col) = (column("topic"), column("level"));
    let mut seen = BTreeMap::new();
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(i + 2, |p| p.line() as usize);
            Error::usage(
                format!("{name}:{line}: {e}"),
                "fix the row's quoting or column count",
            )
        })?;
        let line = record.position().map_or(i + 2, |p| p.line() as usize);
        let at = format!("{name}:{line}");
        let field = |c: usize| record.get(c).unwrap_or("").trim().to_string();
        let raw_id = field(id_col);
        if raw_id.is_empty() {
            return Err(Error::usage(
                format!("{at}: empty question_id"),
                "give every row an id",
            ));
        }
        let id = checked_id(&raw_id, &at)?;
        // Answers share a question's row in data sets of graded answers:
        // the first row of each question is drafted, the rest must agree.
        if let Some(first) = seen.get(&id) {
            let (q, r): &(String, String) = first;
            if *q != field(q_col) || *r != field(ref_col) {
                return Err(Error::usage(
                    format!(
                        "{at}: question `{id}` appears again with another question or reference text"
                    ),
                    "give each question one id",
                ));
            }
            continue;
        }
        let (question, reference) = (field(q_col), field(ref_col));
        if question.is_empty() || reference.is_empty() {
            return Err(Error::usage(
                format!("{at}: question `{id}` has an empty question or reference_answer"),
                "drafting needs both",
            ));
        }
        if !derive::matchable(&reference, &question) {
            return Err(Error::usage(
                format!(
                    "{at}: question `{id}` has a reference_answer with no word or number to match"
                ),
                NO_WORDS_HINT,
            ));
        }
        seen.insert(id.clone(), (question.clone(), reference.clone()));
        let topic = topic_col
            .map(field)
            .filter(|t| !t.is_empty())
            .unwrap_or(args.topic.clone());
        let lvl = level_col
            .map(field)
            .filter(|t| !t.is_empty())
            .unwrap_or(args.level.clone());
        out.push(DraftSource {
            id,
            question,
            reference,
            topic: draft::slug(&topic),
            level: level(&lvl, &at)?,
        });
    }
    if out.is_empty() {
        return Err(Error::usage(
            format!("{name}: no rows"),
            "add one row per question",
        ));
    }
    Ok(out)
}
