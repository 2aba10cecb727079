//! `viva grade`: grade one answer and print the report.

use std::io::IsTerminal;
use std::path::Path;

use super::{Context, lookup};
use crate::answer;
use crate::cli::{GradeArgs, LlmArgs, ReportFormat};
use crate::config::LlmConfig;
use crate::error::{Error, ExitStatus, Result};
use crate::grade::backend::{self, Graders, LlmOptions};
use crate::grade::llm::LlmGrader;
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

/// The graders `--backend` and the LLM options call for: the one way
/// `grade`, `batch` and `practice` choose a grader.
pub fn graders(llm: &LlmArgs) -> Result<Graders> {
    Graders::resolve(llm.backend, || LlmConfig::resolve(llm), llm_options(llm))
}

/// Builds the LLM grader whatever the backend choice, for commands that
/// prepare requests without sending them (`viva prompt`, batch export/import).
pub fn forced_llm_grader(llm: &LlmArgs) -> Result<LlmGrader> {
    backend::llm_grader(LlmConfig::resolve(llm)?, llm_options(llm))
}

fn llm_options(llm: &LlmArgs) -> LlmOptions<'_> {
    LlmOptions {
        prompts: llm.prompts.as_deref(),
        evidence: llm.evidence,
        samples: llm.samples,
    }
}

pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(anyhow::anyhow!("cannot start the async runtime: {e}")))
}

pub fn run(ctx: &mut Context, args: &GradeArgs) -> Result<ExitStatus> {
    let bank = ctx.bank()?;
    let (question, rubric) = lookup(&bank, &args.question)?;
    let answer = read_answer(args.answer.as_deref())?;
    let graders = graders(&args.llm)?;
    let graded = runtime()?.block_on(graders.grade(question, rubric, &answer.text))?;
    if let Some(fallback) = &graded.fallback {
        ctx.note(&format!("warning: {fallback}"));
    }
    let grading = graded.grading;
    let rendered = match args.format {
        ReportFormat::Text => report::text(&report::terminal::grading(&grading), &ctx.paint),
        ReportFormat::Json => report::json(&grading) + "\n",
        ReportFormat::Markdown => report::markdown(&report::terminal::grading(&grading)),
    };
    ctx.print(&rendered)?;
    Ok(ExitStatus::Success)
}
