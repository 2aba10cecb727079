//! `viva batch`: grade many answers into a resumable journal, or export the
//! requests for an offline batch API and import its responses.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Value, json};

use super::Context;
use super::grade::{forced_llm_grader, graders, runtime};
use crate::bank::{Bank, Question, Rubric};
use crate::batch::bad_rows::{Seen, reset_errors, unknown_question, write_errors_line};
use crate::batch::columns::ColumnMap;
use crate::batch::fingerprint::RunSettings;
use crate::batch::input::InputFormat;
use crate::batch::input::{self, OpenError, Row, RowError};
use crate::batch::journal::{Writer, errors_path};
use crate::batch::previous::Previous;
use crate::batch::record::{Failure, RECORD_SCHEMA, Record, Status};
use crate::batch::run::{self, Settings, in_shard};
use crate::batch::summary::Summary;
use crate::cli::{BatchArgs, ListFormat};
use crate::config::SttConfig;
use crate::error::{Error, ExitStatus, Result};
use crate::llm::cache::digest;
use crate::llm::client::parse_completion;
use crate::llm::limiter::Limiter;
use crate::stt::Transcriber;

/// Parses `I/N` with 1 <= I <= N.
pub fn parse_shard(s: &str) -> Result<(u64, u64)> {
    let bad = || {
        Error::usage(
            format!("--shard {s} is not I/N"),
            "use e.g. --shard 2/4 (slices 1/4 to 4/4 cover the input)",
        )
    };
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (i, n): (u64, u64) = (
        i.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || i == 0 || i > n {
        return Err(bad());
    }
    Ok((i, n))
}

/// The input's file or folder name, as journal lines record it.
fn input_name(input: &Path) -> String {
    input
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "batch".into())
}

/// `answers.csv` → `answers.csv.journal.jsonl`: the whole name, so
/// `x.csv` and `x.jsonl` in one folder never share a journal.
fn default_journal(input: &Path, shard: Option<(u64, u64)>) -> PathBuf {
    let stem = input_name(input);
    let name = match shard {
        Some((i, n)) => format!("{stem}.shard-{i}-of-{n}.journal.jsonl"),
        None => format!("{stem}.journal.jsonl"),
    };
    // Next to the input: beside the file, or beside the folder.
    input
        .parent()
        .map_or_else(|| PathBuf::from(&name), |d| d.join(&name))
}

/// Opens and locks the journal and reads what it holds: a second run on
/// the same journal stops here, before reading any row, instead of
/// interleaving lines with the first, and so does a journal of answers from
/// another input unless `--allow-other-input`.
fn open_journal(journal: &Path, args: &BatchArgs) -> Result<(Writer, Previous)> {
    let writer = lock_journal(journal, args)?;
    let previous = Previous::read(journal).map_err(|e| {
        Error::output(
            format!("cannot read the journal {}: {e}", journal.display()),
            journal_hint(args),
        )
    })?;
    let ours = input_name(&args.input);
    let other = previous.inputs.iter().find(|i| **i != ours);
    if let Some(other) = other
        && !args.allow_other_input
    {
        return Err(Error::usage(
            format!(
                "the journal {} holds answers from {other}, not {ours}",
                journal.display()
            ),
            "give this input its own journal with --out, or pass --allow-other-input to add to it",
        ));
    }
    Ok((writer, previous))
}

/// What to do about a journal that cannot be written: the path came from
/// `--out`, or by default from the input's folder.
fn journal_hint(args: &BatchArgs) -> &'static str {
    if args.out.is_some() {
        "check the --out path: its folder must be writable"
    } else {
        "the journal goes next to the input by default; write it elsewhere with --out FILE"
    }
}

fn lock_journal(journal: &Path, args: &BatchArgs) -> Result<Writer> {
    Writer::open(journal).map_err(|e| {
        if e.kind() == std::io::ErrorKind::WouldBlock {
            Error::Busy {
                message: format!(
                    "the journal {} is in use by another `viva batch`",
                    journal.display()
                ),
                hint: "wait for that run to finish, or write another journal with --out".into(),
            }
        } else {
            Error::output(
                format!("cannot open the journal {}: {e}", journal.display()),
                journal_hint(args),
            )
        }
    })
}

fn open_rows(args: &BatchArgs) -> Result<(Box<dyn Iterator<Item = Row> + Send>, InputFormat)> {
    let format = input::detect(&args.input, args.input_format).ok_or_else(|| {
        Error::usage(
            format!("cannot tell the format of {}", args.input.display()),
            "use a .csv or .jsonl file, a folder, or --input-format csv|jsonl|dir",
        )
    })?;
    let columns = match &args.columns {
        Some(spec) => ColumnMap::parse(spec).map_err(|e| {
            Error::usage(
                format!("--columns {spec}: {e}"),
                "use e.g. --columns candidate=Name,question_id=Question,answer=Reply",
            )
        })?,
        None => ColumnMap::default(),
    };
    let options = input::Options {
        delimiter: args.delimiter,
        columns,
    };
    let input = args.input.display();
    let rows = input::open(&args.input, format, &options).map_err(|e| match e {
        OpenError::Io(e) => {
            Error::usage(format!("cannot read {input}: {e}"), "check the input path")
        }
        OpenError::Empty => Error::usage(
            format!("{input} is empty"),
            "a CSV needs a header line (candidate,question_id,answer) and one row per answer",
        ),
        OpenError::Header(h) => Error::usage(format!("{input}: {}", h.message), h.hint),
    })?;
    Ok((rows, format))
}

pub fn run(ctx: &mut Context, args: &BatchArgs) -> Result<ExitStatus> {
    let bank = ctx.bank()?;
    let shard = args.shard.as_deref().map(parse_shard).transpose()?;
    let journal = args
        .out
        .clone()
        .unwrap_or_else(|| default_journal(&args.input, shard));
    let errors = args.errors.clone().unwrap_or_else(|| errors_path(&journal));
    if let Some(file) = &args.export_requests {
        return export(ctx, args, &bank, shard, file);
    }
    if let Some(file) = &args.import_responses {
        return import(ctx, args, bank, shard, file, &journal, &errors);
    }
    let (rows, _) = open_rows(args)?;
    let (writer, previous) = open_journal(&journal, args)?;
    // Batch journals have always given this reason for keyword gradings,
    // whatever the backend choice.
    let mut graders = graders(&args.llm)?
        .with_keyword_reason("no LLM endpoint configured; offline keyword rules");
    if let Some(g) = &mut graders.llm {
        // One limiter shared by every worker's requests.
        g.client.limiter = Limiter::new(args.rpm, args.tpm).map(Arc::new);
        g.client.retry_budget = args.retry_budget;
    }
    let progress = !ctx.global.quiet;
    let total = if progress && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        open_rows(args).ok().map(|(r, _)| r.count() as u64)
    } else {
        None
    };
    let settings = Settings {
        bank,
        rows,
        journal: journal.clone(),
        writer,
        previous,
        input_name: input_name(&args.input),
        errors,
        jobs: args.jobs as usize,
        retry_failed: args.retry_failed,
        keep_stale: args.keep_stale,
        shard,
        max_consecutive_failures: args.max_consecutive_failures,
        graders,
        progress,
        quiet: ctx.global.quiet,
        total,
        answer_text: !args.no_answer_text,
        // Resolved now but only needed by recordings: a bad transcription
        // setting fails the recordings, not a batch of text answers.
        transcriber: SttConfig::resolve(&args.stt, &args.llm)
            .map_err(|e| e.to_string())
            .and_then(|cfg| Transcriber::new(cfg).map_err(|e| e.to_string()))
            .map(|t| t.with_retry_budget(args.retry_budget)),
        stt_jobs: args.stt_jobs.unwrap_or(args.jobs) as usize,
    };
    let summary = runtime()?.block_on(run::execute(settings)).map_err(|e| {
        Error::output(
            format!("cannot write the journal {}: {e}", journal.display()),
            journal_hint(args),
        )
    })?;
    finish(ctx, args, &summary)
}

fn finish(ctx: &mut Context, args: &BatchArgs, summary: &Summary) -> Result<ExitStatus> {
    match args.summary_format {
        ListFormat::Text => ctx.note(summary.render().trim_end()),
        // A result, not a note: printed under --quiet too.
        ListFormat::Json => ctx.print(&summary.json())?,
    }
    if summary.interrupted {
        return Ok(ExitStatus::Interrupted);
    }
    nothing_gradable(args, summary)?;
    if let Some(b) = &summary.breaker {
        return Ok(if b.kind == "auth" {
            ExitStatus::Auth
        } else {
            ExitStatus::Endpoint
        });
    }
    Ok(if summary.failed_total() + summary.bad_total() > 0 {
        ExitStatus::Failures
    } else {
        ExitStatus::Success
    })
}

/// An input row ready to grade offline: `Ok(None)` when it belongs to another
/// shard, `Err` when it cannot be graded (the same bad rows as a live run).
fn gradable<'b>(
    row: Row,
    shard: Option<(u64, u64)>,
    bank: &'b Bank,
    seen: &mut Seen,
) -> std::result::Result<Option<(input::Item, &'b Question, &'b Rubric)>, RowError> {
    let item = row?;
    if !in_shard(shard, &item.candidate, &item.question_id) {
        return Ok(None);
    }
    if item.audio.is_some() {
        // A recording's text is known only once it is transcribed, live.
        return Err(RowError {
            line: item.position,
            kind: "recording".into(),
            message: "a recording is transcribed when graded live: --export-requests and \
--import-responses take text answers only (grade recordings with a plain `viva batch`)"
                .into(),
            candidate: Some(item.candidate),
            question_id: Some(item.question_id),
        });
    }
    seen.check(&item)?;
    match (
        bank.question(&item.question_id),
        bank.rubric(&item.question_id),
    ) {
        (Some(q), Some(r)) => Ok(Some((item, q, r))),
        _ => Err(unknown_question(bank, item)),
    }
}

/// The id tying an exported request to its input row.
fn custom_id(position: u64, candidate: &str, question: &str, answer: &str) -> String {
    format!(
        "viva-{position}-{}",
        &digest(&format!("{candidate}\u{0}{question}\u{0}{answer}"))[..16]
    )
}

/// Writes one OpenAI Batch API request line per answer.
fn export(
    ctx: &mut Context,
    args: &BatchArgs,
    bank: &Bank,
    shard: Option<(u64, u64)>,
    file: &Path,
) -> Result<ExitStatus> {
    let grader = forced_llm_grader(&args.llm)?;
    let (rows, _) = open_rows(args)?;
    let mut out = std::io::BufWriter::new(std::fs::File::create(file).map_err(|e| {
        Error::output(
            format!("cannot write {}: {e}", file.display()),
            "check the --export-requests path: its folder must exist and be writable",
        )
    })?);
    let (mut written, mut bad) = (0u64, 0u64);
    let mut seen = Seen::default();
    for row in rows {
        let (item, q, r) = match gradable(row, shard, bank, &mut seen) {
            Ok(Some(x)) => x,
            Ok(None) => continue,
            Err(_) => {
                bad += 1;
                continue;
            }
        };
        let body = grader.request(q, r, &item.answer)?;
        let line = json!({
            "custom_id": custom_id(item.position, &item.candidate, &item.question_id, &item.answer),
            "method": "POST",
            "url": "/v1/chat/completions",
            "body": body,
        });
        writeln!(out, "{line}").map_err(|e| Error::Other(e.into()))?;
        written += 1;
    }
    out.flush().map_err(|e| Error::Other(e.into()))?;
    ctx.note(&format!(
        "wrote {written} requests to {} ({bad} rows skipped as unusable)",
        file.display()
    ));
    Ok(if bad > 0 {
        ExitStatus::Failures
    } else {
        ExitStatus::Success
    })
}

/// Reads Batch API output and journals each answer as if graded live.
fn import(
    ctx: &mut Context,
    args: &BatchArgs,
    bank: Bank,
    shard: Option<(u64, u64)>,
    file: &Path,
    journal: &Path,
    errors: &Path,
) -> Result<ExitStatus> {
    let grader = forced_llm_grader(&args.llm)?;
    let reader = std::fs::File::open(file).map_err(|e| {
        Error::usage(
            format!("cannot read {}: {e}", file.display()),
            "check the --import-responses path",
        )
    })?;
    let mut responses: HashMap<String, Value> = HashMap::new();
    for line in std::io::BufReader::new(reader).lines() {
        let line = line.map_err(|e| Error::Other(e.into()))?;
        if let Ok(v) = serde_json::from_str::<Value>(&line)
            && let Some(id) = v.get("custom_id").and_then(Value::as_str)
        {
            responses.insert(id.to_string(), v);
        }
    }
    let bank = std::sync::Arc::new(bank);
    let run_settings = RunSettings::llm(&bank, &grader);
    let (rows, _) = open_rows(args)?;
    let (mut writer, _) = open_journal(journal, args)?;
    let mut summary = Summary {
        journal: journal.to_path_buf(),
        errors: errors.to_path_buf(),
        ..Summary::default()
    };
    let started = std::time::Instant::now();
    let mut seen = Seen::default();
    let mut errors_file = None;
    reset_errors(errors);
    for row in rows {
        let (item, q, r) = match gradable(row, shard, &bank, &mut seen) {
            Ok(Some(x)) => x,
            Ok(None) => continue,
            Err(e) => {
                write_errors_line(&mut errors_file, errors, &e);
                *summary.bad_rows.entry(e.kind.clone()).or_default() += 1;
                continue;
            }
        };
        let id = custom_id(
            item.position,
            &item.candidate,
            &item.question_id,
            &item.answer,
        );
        let Some(resp) = responses.get(&id) else {
            *summary.failed.entry("no-response".into()).or_default() += 1;
            continue;
        };
        let result = match (
            resp.pointer("/response/status_code")
                .and_then(Value::as_u64),
            resp.pointer("/response/body"),
        ) {
            (Some(200), Some(body)) => parse_completion(body).and_then(|reply| {
                grader.grade_reply(q, r, &item.answer, &reply.content, reply.usage)
            }),
            _ => Err(crate::llm::client::LlmError::BadResponse(
                resp.get("error")
                    .map(Value::to_string)
                    .unwrap_or_else(|| "request failed in the batch".into()),
            )),
        };
        let (status, grading, failure) = match result {
            Ok(g) => {
                summary.graded += 1;
                (Status::Graded, Some(g), None)
            }
            Err(e) => {
                *summary.failed.entry("invalid-response".into()).or_default() += 1;
                (
                    Status::Failed,
                    None,
                    Some(Failure {
                        kind: "invalid-response".into(),
                        message: e.to_string(),
                    }),
                )
            }
        };
        let record = Record {
            journal: RECORD_SCHEMA.into(),
            status,
            candidate: item.candidate,
            question_id: item.question_id,
            position: item.position,
            input: Some(input_name(&args.input)),
            fingerprint: run_settings.fingerprint(q, &item.answer),
            latency_ms: 0,
            grading,
            failure,
            answer: (!args.no_answer_text).then_some(item.answer),
        };
        writer.append(&record).map_err(|e| {
            Error::output(
                format!("cannot write the journal {}: {e}", journal.display()),
                journal_hint(args),
            )
        })?;
    }
    summary.wall = started.elapsed();
    finish(ctx, args, &summary)
}

/// A run that found no answer at all is an input mistake, not a success: a
/// header-only file, or one whose every row is bad. (An empty shard of a
/// small input is fine.)
fn nothing_gradable(args: &BatchArgs, s: &Summary) -> Result<()> {
    let answers = s.graded + s.failed_total() + s.skipped + s.not_started;
    let input = args.input.display();
    match (answers, s.bad_total()) {
        (0, 0) if args.shard.is_none() => Err(Error::usage(
            format!("{input} has no answers to grade"),
            "add one row per answer below the header (candidate,question_id,answer)",
        )),
        (0, bad) if bad > 0 => Err(Error::usage(
            format!(
                "no row of {input} could be graded ({})",
                if bad == 1 {
                    "1 bad row".to_string()
                } else {
                    format!("{bad} bad rows")
                }
            ),
            format!("each bad row and why is in {}", s.errors.display()),
        )),
        _ => Ok(()),
    }
}
