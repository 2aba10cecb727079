//! `viva rubric fires`: which of a rubric's false-claim rules each statement
//! sets off. A misconception or contradiction that fires on a true statement
//! takes credit from honest answers, and a grading shows it only where it
//! happens to cost that answer something: a contradiction in a sentence that
//! earns no point is invisible in the report, yet withholds the same
//! sentence's credit in a fuller answer. This lists every rule a line sets
//! off, so an author can keep a file of true sentences beside a rubric and
//! check it after each edit.

use std::fmt::Write;

use serde::Serialize;

use super::Context;
use crate::cli::{ListFormat, RubricFiresArgs};
use crate::error::{ExitStatus, Result};
use crate::grade::keyword::KeywordGrader;

const SCHEMA: &str = "viva.rubric-fires/v1";

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    question: &'a str,
    lines: Vec<Line>,
    fired: usize,
}

#[derive(Serialize)]
struct Line {
    line: usize,
    text: String,
    fires: Vec<Fire>,
}

/// One rule a statement sets off, with the sentence that does.
#[derive(Serialize)]
struct Fire {
    /// "misconception `id`" or "contradiction N of point `id`", as
    /// `rubric lint` names them.
    rule: String,
    evidence: String,
}

pub fn run(ctx: &mut Context, args: &RubricFiresArgs) -> Result<ExitStatus> {
    let bank = ctx.bank()?;
    let (_, rubric) = super::lookup(&bank, &args.question)?;
    let input = super::grade::read_answer(args.file.as_deref())?;
    let grader = KeywordGrader::new("rubric fires");
    let lines: Vec<Line> = input
        .text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| Line {
            line: i + 1,
            text: l.trim().to_string(),
            fires: grader
                .false_statements(rubric, l)
                .into_iter()
                .map(|f| Fire {
                    rule: f.rule.describe(rubric),
                    evidence: f.evidence,
                })
                .collect(),
        })
        .collect();
    let fired = lines.iter().filter(|l| !l.fires.is_empty()).count();
    let out = match args.format {
        ListFormat::Json => crate::report::document(&Document {
            schema: SCHEMA,
            question: &rubric.question,
            lines,
            fired,
        }),
        ListFormat::Text => {
            let mut o = String::new();
            for l in lines.iter().filter(|l| !l.fires.is_empty()) {
                let _ = writeln!(o, "line {}: {}", l.line, l.text);
                for f in &l.fires {
                    let _ = writeln!(o, "  sets off {}", f.rule);
                }
            }
            let _ = writeln!(
                o,
                "{fired} of {} lines set off a rule of `{}`",
                lines.len(),
                rubric.question
            );
            o
        }
    };
    ctx.print(&out)?;
    Ok(if fired == 0 {
        ExitStatus::Success
    } else {
        ExitStatus::Failures
    })
}
