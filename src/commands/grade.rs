//! `viva grade`: grade one answer and print the report.

use std::io::IsTerminal;
use std::path::Path;

use super::{Context, lookup};
use crate::answer;
use crate::cli::{GradeArgs, ReportFormat};
use crate::error::{Error, ExitStatus, Result};
use crate::grade::Grader;
use crate::grade::keyword::KeywordGrader;
use crate::report;

/// Reads the answer named on the command line, or piped stdin.
pub fn read_answer(path: Option<&Path>) -> Result<answer::Answer> {
    match path {
        Some(p) => Ok(answer::read(p)?),
        None if std::io::stdin().is_terminal() => Err(Error::usage(
            "no answer given",
            "pass an answer file, or `-` and pipe the answer into stdin",
        )),
        None => Ok(answer::read(Path::new("-"))?),
    }
}

pub fn run(ctx: &mut Context, args: &GradeArgs) -> Result<ExitStatus> {
    let bank = ctx.bank()?;
    let (question, rubric) = lookup(&bank, &args.question)?;
    let answer = read_answer(args.answer.as_deref())?;
    let grader = KeywordGrader::new("no LLM endpoint configured; offline keyword rules");
    let grading = grader.grade(question, rubric, &answer.text);
    let rendered = match args.format {
        ReportFormat::Text => report::text(&grading, &ctx.paint),
        ReportFormat::Json => report::json(&grading) + "\n",
        ReportFormat::Markdown => report::markdown(&grading),
    };
    ctx.print(&rendered)?;
    Ok(ExitStatus::Success)
}
