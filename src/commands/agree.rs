//! `viva agree`: how closely a batch journal's scores agree with human
//! graders' scores for the same answers.
//!
//! Reads the journal and the human CSV, optionally fits a calibration on a
//! second journal (`--fit`, refused when it shares an answer with the one
//! scored) or reads a saved one (`--calibration`), and prints the figures of
//! [`crate::agree::analyse`]. Every input problem stops the command with the
//! file (and line) to fix; nothing is graded.

use std::path::Path;

use super::Context;
use super::report::load;
use crate::agree::analyse::{self, Counts, Setup};
use crate::agree::calibrate::{self, Calibration, Provenance};
use crate::agree::humans::{self, Humans};
use crate::agree::join::{self, Scored};
use crate::agree::{self as agreement, Scale};
use crate::batch::columns::ColumnMap;
use crate::cli::{AgreeArgs, ReportFormat};
use crate::error::{Error, ExitStatus, Result};

pub fn run(ctx: &mut Context, args: &AgreeArgs) -> Result<ExitStatus> {
    let columns = match &args.columns {
        Some(spec) => ColumnMap::parse(spec).map_err(|e| {
            Error::usage(
                format!("--columns: {e}"),
                "write --columns candidate=NAME,question_id=NAME",
            )
        })?,
        None => ColumnMap::default(),
    };
    let options = humans::Options {
        delimiter: args.delimiter,
        columns,
        human: args.human.clone(),
        scale: args.scale,
    };
    let humans =
        humans::read(&args.humans, &options).map_err(|e| Error::usage(e.message, e.hint))?;
    let scored = read_journal(ctx, &args.journal)?;

    let mut dev_scored = None;
    let calibration = match (&args.fit, &args.calibration) {
        (Some(dev), _) => {
            let (c, dev) = fit(ctx, args, dev, &scored, &humans)?;
            dev_scored = Some(dev);
            if let Some(path) = &args.save_calibration {
                std::fs::write(path, c.to_json()).map_err(|e| {
                    Error::output(
                        format!("cannot write calibration {}: {e}", path.display()),
                        "check that the folder exists and you may write to it",
                    )
                })?;
                ctx.note(&format!("wrote {}", path.display()));
            }
            let file = args
                .save_calibration
                .as_ref()
                .map(|p| p.display().to_string());
            Some((c, file))
        }
        (None, Some(path)) => Some((
            read_calibration(path, args.scale)?,
            Some(path.display().to_string()),
        )),
        (None, None) => None,
    };

    let joined = join::join(&scored, &humans);
    if joined.answers.is_empty() {
        return Err(nothing_matched(args, &scored, &humans));
    }
    let journals: Vec<&Scored> = std::iter::once(&scored)
        .chain(dev_scored.as_ref())
        .collect();
    let counts = Counts {
        journal_unmatched: joined.journal_only,
        journal_failed: scored.failed.len(),
        humans_unmatched: join::humans_only(&humans, &journals),
        humans_unscored: humans.unscored,
        ..Counts::default()
    };
    let agreement = analyse::analyse(
        &joined.answers,
        Setup {
            journal: args.journal.display().to_string(),
            humans: args.humans.display().to_string(),
            columns: &humans.columns,
            scale: args.scale,
            calibration: calibration.as_ref().map(|(c, f)| (c, f.clone())),
            counts,
            resamples: args.resamples,
            seed: args.seed,
        },
    );
    let out = match args.format {
        ReportFormat::Text => agreement::text(&agreement, &ctx.paint),
        ReportFormat::Markdown => agreement::markdown(&agreement),
        ReportFormat::Json => crate::report::document(&agreement),
    };
    ctx.print(&out)?;
    Ok(ExitStatus::Success)
}

/// Fits the calibration on the `--fit` journal's answers, after making sure
/// they are not the answers being scored.
fn fit(
    ctx: &Context,
    args: &AgreeArgs,
    dev_path: &Path,
    scored: &Scored,
    humans: &Humans,
) -> Result<(Calibration, Scored)> {
    let same_file = match (dev_path.canonicalize(), args.journal.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => dev_path == args.journal,
    };
    let refuse = |what: String| {
        Error::usage(
            what,
            "a calibration fitted on the answers it is scored on looks better than it is; fit on one set of answers (--fit dev.jsonl) and score another",
        )
    };
    if same_file {
        return Err(refuse(format!(
            "--fit {} is the journal being scored",
            dev_path.display()
        )));
    }
    let dev = read_journal(ctx, dev_path)?;
    let shared: Vec<&join::Key> = dev
        .fractions
        .keys()
        .filter(|k| scored.fractions.contains_key(*k))
        .collect();
    if let Some((candidate, question)) = shared.first() {
        return Err(refuse(format!(
            "--fit {} and {} share {} answer(s), e.g. candidate `{candidate}`, question `{question}`",
            dev_path.display(),
            args.journal.display(),
            shared.len()
        )));
    }
    let joined = join::join(&dev, humans);
    let fractions: Vec<f64> = joined.answers.iter().map(|a| a.fraction).collect();
    let targets: Vec<f64> = joined
        .answers
        .iter()
        .map(|a| a.scores.iter().sum::<f64>() / a.scores.len() as f64)
        .collect();
    let map = calibrate::fit(args.method, &fractions, &targets).map_err(|e| {
        Error::usage(
            format!("cannot fit a calibration on {}: {e}", dev_path.display()),
            "the --fit journal needs answers with human scores in the same CSV, and varied viva scores",
        )
    })?;
    let name = dev_path.file_name().map_or_else(
        || dev_path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok((
        Calibration {
            schema: calibrate::SCHEMA.into(),
            scale: args.scale.to_string(),
            fitted_on: Provenance {
                journal: name,
                answers: fractions.len(),
                target: humans.columns.clone(),
            },
            map,
        },
        dev,
    ))
}

/// viva's scores from a journal, with a warning for lines that could not
/// be read (a batch may still be writing the last one).
fn read_journal(ctx: &Context, path: &Path) -> Result<Scored> {
    let loaded = load(path)?;
    if !loaded.bad_lines.is_empty() || loaded.torn_tail {
        let torn = if loaded.torn_tail {
            " and an incomplete last line"
        } else {
            ""
        };
        ctx.note(&format!(
            "warning: journal {} has {} unreadable line(s){torn}; they are left out",
            path.display(),
            loaded.bad_lines.len()
        ));
    }
    Ok(join::scored(&loaded.records))
}

fn read_calibration(path: &Path, scale: Scale) -> Result<Calibration> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::usage(
            format!("cannot read calibration {}: {e}", path.display()),
            "pass a file written by `viva agree --fit DEV --save-calibration FILE`",
        )
    })?;
    let c = Calibration::parse(&text).map_err(|e| {
        Error::usage(
            format!("calibration {} cannot be used: {e}", path.display()),
            "pass a file written by `viva agree --fit DEV --save-calibration FILE`",
        )
    })?;
    if c.scale != scale.to_string() {
        return Err(Error::usage(
            format!(
                "calibration {} maps to the scale {}, not {scale}",
                path.display(),
                c.scale
            ),
            format!("use --scale {} or fit a calibration for {scale}", c.scale),
        ));
    }
    Ok(c)
}

/// No answer is on both sides: say how many each side had and show a key
/// from each, which is usually enough to see the mismatch.
fn nothing_matched(args: &AgreeArgs, scored: &Scored, humans: &Humans) -> Error {
    let journal_key = scored.fractions.keys().next();
    let human_key = humans.rows.first();
    let example = match (journal_key, human_key) {
        (Some((c, q)), Some(r)) => format!(
            "; e.g. the journal has candidate `{c}`, question `{q}` and {} line {} has candidate `{}`, question `{}`",
            args.humans.display(),
            r.line,
            r.candidate,
            r.question_id
        ),
        _ => String::new(),
    };
    Error::usage(
        format!(
            "no answer of {} ({} scored) has a row in {} ({} scored rows){example}",
            args.journal.display(),
            scored.fractions.len(),
            args.humans.display(),
            humans.rows.len()
        ),
        "answers are matched on candidate and question_id exactly as the batch input wrote them; --columns candidate=NAME,question_id=NAME picks the human file's columns",
    )
}
