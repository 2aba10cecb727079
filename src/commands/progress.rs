//! `viva progress`: mastery per topic from the practice history, as a
//! terminal chart or JSON (see [`crate::practice::chart`]), with what is due
//! for review ([`crate::practice::review`]); or, with `--question`, one
//! question's attempts side by side ([`crate::practice::compare`]).

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::Context;
use crate::cli::{ListFormat, ProgressArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::practice::history::{self, Attempt, History};
use crate::practice::progress::progress;
use crate::practice::{chart, compare, review};

pub fn run(ctx: &mut Context, args: &ProgressArgs) -> Result<ExitStatus> {
    let since = args.since.as_deref().map(parse_date).transpose()?;
    let now = history::now()?;
    let path = history::resolve_path(args.history.as_deref())?;
    let loaded = History::load(&path)?;
    for warning in loaded.warnings(&path) {
        ctx.note(&warning);
    }
    if let Some(id) = &args.question {
        return question(ctx, args, &loaded, id);
    }
    let bank = ctx.bank()?;
    let questions: Vec<(&str, &str)> = bank
        .questions()
        .iter()
        .filter(|q| bank.has_rubric(&q.id))
        .map(|q| (q.id.as_str(), q.topic.as_str()))
        .collect();
    // The schedule needs every attempt, whatever --since shows.
    let due = review::review(&loaded.attempts, &questions, now);
    let total = loaded.attempts.len();
    let attempts: Vec<Attempt> = loaded
        .attempts
        .into_iter()
        .filter(|a| since.is_none_or(|d| utc_date(a) >= d))
        .collect();
    let mut p = progress(&attempts, since.map(|d| d.to_string()));
    p.review = Some(due);
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

/// `--question ID`: that question's attempts side by side.
fn question(
    ctx: &mut Context,
    args: &ProgressArgs,
    loaded: &History,
    id: &str,
) -> Result<ExitStatus> {
    let Some(c) = compare::compare(&loaded.attempts, &loaded.ungraded, id) else {
        let bank = ctx.bank()?;
        if bank.question(id).is_none() {
            return Err(super::unknown_question(&bank, id));
        }
        let out = match args.format {
            ListFormat::Json => compare::json(&serde_json::json!({
                "schema": "viva.progress-question/v1",
                "question_id": id,
                "attempts": [],
            })),
            ListFormat::Text => format!(
                "No attempts at {id} yet.\nRun `viva practice --question {id}` to answer it.\n"
            ),
        };
        ctx.print(&out)?;
        return Ok(ExitStatus::Success);
    };
    let out = match args.format {
        ListFormat::Json => compare::json(&c),
        ListFormat::Text => compare::text(&c, &ctx.paint),
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
