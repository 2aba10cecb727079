//! `viva progress`: mastery per topic from the practice history, as a
//! terminal chart or JSON (see [`crate::practice::chart`]).

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::Context;
use crate::cli::{ListFormat, ProgressArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::practice::chart;
use crate::practice::history::{self, Attempt, History};
use crate::practice::progress::progress;

pub fn run(ctx: &mut Context, args: &ProgressArgs) -> Result<ExitStatus> {
    let since = args.since.as_deref().map(parse_date).transpose()?;
    let path = history::resolve_path(args.history.as_deref())?;
    let loaded = History::load(&path)?;
    for warning in loaded.warnings(&path) {
        ctx.note(&warning);
    }
    let total = loaded.attempts.len();
    let attempts: Vec<Attempt> = loaded
        .attempts
        .into_iter()
        .filter(|a| since.is_none_or(|d| utc_date(a) >= d))
        .collect();
    let p = progress(&attempts, since.map(|d| d.to_string()));
    let out = match args.format {
        ListFormat::Json => chart::json(&p),
        ListFormat::Text if total == 0 => format!(
            "No practice history yet in {}.\nRun `viva practice` to answer a question; \
             every graded answer is recorded there.\n",
            path.display()
        ),
        ListFormat::Text if attempts.is_empty() => format!(
            "No attempts since {} ({total} earlier in {}).\n",
            args.since.as_deref().unwrap_or_default(),
            path.display()
        ),
        ListFormat::Text => chart::text(&p, &ctx.paint),
    };
    ctx.print(&out)?;
    Ok(ExitStatus::Success)
}

fn parse_date(s: &str) -> Result<Date> {
    s.parse().map_err(|e| {
        Error::usage(
            format!("invalid --since date `{s}`: {e}"),
            "use YYYY-MM-DD, e.g. --since 2024-06-01",
        )
    })
}

/// The attempt's calendar day in UTC, the zone of the stored timestamps.
fn utc_date(a: &Attempt) -> Date {
    a.timestamp.to_zoned(TimeZone::UTC).date()
}
