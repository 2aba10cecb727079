//! `viva report`: summarise a batch journal in one of five formats.
//!
//! The journal is read once, as it is at this moment: a batch may still be
//! appending, so an incomplete last line is skipped and reported rather than
//! treated as an error. A report written to a file goes through a temporary
//! file in the same folder and a rename, so a reader never sees half a
//! report and an old report survives a failed write.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::Context;
use crate::batch::input::RowError;
use crate::batch::journal::{self, Loaded};
use crate::cli::{BatchReportFormat, ReportArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::report::Paint;
use crate::report::batch::{self, Summary};

pub fn run(ctx: &mut Context, args: &ReportArgs) -> Result<ExitStatus> {
    let loaded = load(&args.journal)?;
    let errors = args
        .errors
        .clone()
        .unwrap_or_else(|| journal::errors_path(&args.journal));
    let options = batch::Options {
        missing: args.missing,
        bad_rows: bad_rows(&errors),
    };
    let summary = batch::summarise(&file_name(&args.journal), &loaded, &options);
    if args.format == BatchReportFormat::Csv {
        // CSV has no place for prose, so journal problems go to stderr.
        if let Some(w) = summary.journal.warning() {
            ctx.note(&format!("warning: {w}"));
        }
        if !summary.bad_rows.is_empty() {
            ctx.note(&format!(
                "warning: {} bad rows were not graded (see {})",
                summary.bad_rows.len(),
                errors.display()
            ));
        }
    }
    match &args.output {
        Some(path) => {
            write_atomically(path, &render(&summary, args.format, &Paint::plain())?)?;
            ctx.note(&format!("wrote {}", path.display()));
        }
        None => {
            let out = render(&summary, args.format, &ctx.paint)?;
            let on_terminal = std::io::IsTerminal::is_terminal(&std::io::stdout());
            ctx.print(&for_stdout(out, args.format, on_terminal))?;
        }
    }
    Ok(ExitStatus::Success)
}

/// What to print on stdout. CSV and HTML keep candidate text byte for byte,
/// as a file or a pipe needs it; on a terminal, where an escape sequence in
/// a name would act on the screen, their control characters are
/// neutralised. (Text and Markdown neutralise each piece of candidate text;
/// JSON escapes them.)
fn for_stdout(out: String, format: BatchReportFormat, on_terminal: bool) -> String {
    match format {
        BatchReportFormat::Csv | BatchReportFormat::Html if on_terminal => {
            crate::report::terminal::neutralise(&out)
        }
        _ => out,
    }
}

fn render(summary: &Summary, format: BatchReportFormat, paint: &Paint) -> Result<String> {
    Ok(match format {
        BatchReportFormat::Text => batch::text(summary, paint),
        BatchReportFormat::Markdown => batch::markdown(summary),
        BatchReportFormat::Csv => batch::csv(summary),
        BatchReportFormat::Json => batch::json(summary),
        BatchReportFormat::Html => batch::html(summary, generated_at()?),
    })
}

/// When the report is made: `SOURCE_DATE_EPOCH` (seconds since 1970, the
/// reproducible-builds convention) when set, so the same journal gives the
/// same bytes; otherwise now.
fn generated_at() -> Result<Timestamp> {
    let Some(raw) = std::env::var_os("SOURCE_DATE_EPOCH").filter(|v| !v.is_empty()) else {
        return Ok(Timestamp::now());
    };
    raw.to_str()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| Timestamp::from_second(secs).ok())
        .ok_or_else(|| {
            Error::usage(
                format!(
                    "SOURCE_DATE_EPOCH {:?} is not a number of seconds since 1970-01-01",
                    raw
                ),
                "set it to e.g. the journal's time, SOURCE_DATE_EPOCH=$(date -r answers.csv.journal.jsonl +%s), or unset it",
            )
        })
}

/// The bad rows of the errors file, by line; none when there is no file.
fn bad_rows(path: &Path) -> Vec<RowError> {
    let mut rows: Vec<RowError> = std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    rows.sort_by_key(|r| r.line);
    rows
}

/// Reads the journal, refusing a path that is not one and a journal with
/// nothing to report.
pub(super) fn load(path: &Path) -> Result<Loaded> {
    // `journal::load` treats a missing file as an empty journal (right for
    // resuming a batch); for a report it is a mistyped path.
    let meta = std::fs::metadata(path).map_err(|e| unreadable(path, &e))?;
    if meta.is_dir() {
        return Err(Error::usage(
            format!("journal {} is a folder", path.display()),
            "pass the .journal.jsonl file that `viva batch` wrote",
        ));
    }
    let loaded = journal::load(path).map_err(|e| unreadable(path, &e))?;
    if loaded.records.is_empty() {
        return Err(empty(path, &loaded));
    }
    Ok(loaded)
}

fn unreadable(path: &Path, e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        return Error::usage(
            format!("journal {} not found", path.display()),
            "pass the journal `viva batch` wrote (by default the input's name with .journal.jsonl added, e.g. answers.csv.journal.jsonl)",
        );
    }
    Error::usage(
        format!("cannot read journal {}: {e}", path.display()),
        "check the path and that you may read the file",
    )
}

fn empty(path: &Path, loaded: &Loaded) -> Error {
    match loaded.bad_lines.first() {
        Some((line, reason)) => Error::usage(
            format!(
                "journal {} holds no valid records ({} unreadable lines; line {line}: {reason})",
                path.display(),
                loaded.bad_lines.len()
            ),
            "is this a journal written by `viva batch`? each line must be a viva.journal/v1 record",
        ),
        None => Error::usage(
            format!("journal {} has no answers yet", path.display()),
            "`viva batch` adds one line per answer as it is graded; run it, or wait for the first answers",
        ),
    }
}

/// The journal's file name, as shown in report titles.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    )
}

/// Writes `text` to `path` through a temporary file in the same folder, so
/// the rename is atomic and a failure leaves any previous report intact.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let tmp = temp_path(path);
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.sync_all()
    });
    let result = written.and_then(|()| std::fs::rename(&tmp, path));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::output(
            format!("cannot write report {}: {e}", path.display()),
            "check that the folder exists and you may write to it",
        )
    })
}

/// A hidden sibling of `path`, unique to this process.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_exact_in_a_pipe_and_inert_on_a_terminal() {
        let csv = "candidate\nann\u{1b}]0;PWNED\u{7}\u{9b}2J\n".to_string();
        let piped = for_stdout(csv.clone(), BatchReportFormat::Csv, false);
        assert_eq!(piped, csv);
        let shown = for_stdout(csv, BatchReportFormat::Csv, true);
        assert_eq!(shown, "candidate\nann\u{fffd}\u{fffd}\n");
    }

    #[test]
    fn the_temporary_file_sits_next_to_the_report() {
        let tmp = temp_path(Path::new("out/report.html"));
        assert_eq!(tmp.parent(), Some(Path::new("out")));
        assert!(
            tmp.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with(".report.html.")
        );
    }
}
