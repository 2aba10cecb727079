//! `viva questions`: list and search the bank.

use std::fmt::Write;

use super::Context;
use crate::bank::{Level, Question};
use crate::cli::{ListFormat, QuestionsArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::report::width;

/// Fewer cells than this beside the id and level, and the text gets a line
/// of its own.
const MIN_TEXT: usize = 20;

fn matches_search(q: &Question, words: &[String]) -> bool {
    let mut hay = format!("{} {} {}", q.id, q.text, q.tags.join(" "));
    for s in &q.sources {
        hay.push(' ');
        hay.push_str(&s.text);
        if let Some(t) = &s.title {
            hay.push(' ');
            hay.push_str(t);
        }
    }
    let hay = hay.to_lowercase();
    words.iter().all(|w| hay.contains(w.as_str()))
}

pub fn run(ctx: &mut Context, args: &QuestionsArgs) -> Result<ExitStatus> {
    let bank = ctx.bank()?;
    let topics = bank.topics();
    let topic = match &args.topic {
        Some(t) => Some(bank.find_topic(t).ok_or_else(|| {
            Error::usage(
                format!("unknown topic `{t}`"),
                format!("topics: {}", topics.join(", ")),
            )
        })?),
        None => None,
    };
    let level: Option<Level> = match &args.level {
        Some(l) => Some(
            l.parse()
                .map_err(|e: String| Error::usage(e, "use --level junior, middle or senior"))?,
        ),
        None => None,
    };
    let words: Vec<String> = args
        .search
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let selected: Vec<&Question> = bank
        .questions()
        .iter()
        .filter(|q| topic.is_none_or(|t| q.topic == t))
        .filter(|q| level.is_none_or(|l| q.level == l))
        .filter(|q| matches_search(q, &words))
        .collect();
    let out = match args.format {
        ListFormat::Json => crate::report::document(&selected),
        ListFormat::Text => {
            let mut o = String::new();
            let width = selected.iter().map(|q| q.id.len()).max().unwrap_or(0);
            let mut current = "";
            for q in &selected {
                if q.topic != current {
                    current = &q.topic;
                    let n = selected.iter().filter(|x| x.topic == q.topic).count();
                    let _ = writeln!(o, "{}", ctx.paint.bold(&format!("{current} ({n})")));
                }
                let first = q.text.lines().next().unwrap_or("");
                let (text, under) = match width::detected() {
                    // Piped without COLUMNS: the fixed layout scripts know.
                    None => (first.chars().take(90).collect(), false),
                    // Too narrow for a useful column: the text goes below.
                    Some(w) if w < width + 12 + MIN_TEXT => (width::truncate(first, w - 4), true),
                    Some(w) => (width::truncate(first, w - (width + 12)), false),
                };
                let sep = if under {
                    "\n    ".to_string()
                } else {
                    "  ".to_string()
                };
                let _ = writeln!(
                    o,
                    "  {:width$}  {:6}{sep}{}",
                    q.id,
                    q.level.as_str(),
                    ctx.paint.dim(&text)
                );
            }
            let _ = writeln!(o, "{} question(s)", selected.len());
            o
        }
    };
    ctx.print(&out)?;
    Ok(ExitStatus::Success)
}
