//! `viva grade`: grade one answer and print the report.

use std::io::IsTerminal;
use std::path::Path;

use super::{Context, lookup};
use crate::answer;
use crate::bank::{Question, Rubric};
use crate::cli::{BackendChoice, GradeArgs, LlmArgs, ReportFormat};
use crate::config::LlmConfig;
use crate::error::{Error, ExitStatus, Result};
use crate::grade::keyword::KeywordGrader;
use crate::grade::llm::LlmGrader;
use crate::grade::{Grader, Grading};
use crate::llm::client::{Client, LlmError};
use crate::llm::prompt::Templates;
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

/// Turns an endpoint failure into the error shown to the user.
pub fn llm_error(e: LlmError) -> Error {
    let message = e.to_string();
    match e {
        LlmError::Auth { .. } => Error::Auth {
            message,
            hint: "check OPENAI_API_KEY (`viva config` shows which key is used, masked)".into(),
        },
        LlmError::NotFound { .. } => Error::Endpoint {
            message,
            hint: "check the base URL (it usually ends in /v1) and the model name; `viva config` shows both".into(),
        },
        LlmError::Unreachable { .. } => Error::Endpoint {
            message,
            hint: "is the server running? check OPENAI_BASE_URL, or grade offline with --backend keyword".into(),
        },
        LlmError::Tls { .. } => Error::Endpoint {
            message,
            hint: "check that the server speaks https at that URL (or use http://) and that its certificate is valid and trusted".into(),
        },
        LlmError::Timeout { .. } => Error::Endpoint {
            message,
            hint: "raise --timeout (local models on CPU can take minutes), or grade offline with --backend keyword".into(),
        },
        LlmError::InvalidVerdict(_) => Error::Endpoint {
            message,
            hint: "the model could not produce a valid verdict; try a stronger model or --samples".into(),
        },
        _ => Error::Endpoint {
            message,
            hint: "see the endpoint's message; `viva prompt` prints the request that was sent".into(),
        },
    }
}

/// Grades with the backend the user asked for, falling back to keywords in
/// `auto` mode when the endpoint cannot be reached.
pub async fn grade_with_backend(
    llm: &LlmArgs,
    grader: Option<&LlmGrader>,
    question: &Question,
    rubric: &Rubric,
    answer: &str,
) -> Result<Grading> {
    let keyword = |reason: String| KeywordGrader::new(reason).grade(question, rubric, answer);
    match (llm.backend, grader) {
        (BackendChoice::Keyword, _) => Ok(keyword("--backend keyword".into())),
        (_, None) => Ok(keyword(
            "no LLM endpoint configured; offline keyword rules".into(),
        )),
        (choice, Some(g)) => match g.grade(question, rubric, answer).await {
            Ok(grading) => Ok(grading),
            Err(e) if choice == BackendChoice::Auto && e.is_unreachable() => {
                Ok(keyword(format!("fell back to offline keyword rules: {e}")))
            }
            Err(e) => Err(llm_error(e)),
        },
    }
}

/// Builds the LLM grader when the backend choice and configuration call for one.
pub fn llm_grader(llm: &LlmArgs) -> Result<Option<LlmGrader>> {
    if llm.backend == BackendChoice::Keyword {
        return Ok(None);
    }
    let cfg = LlmConfig::resolve(llm)?;
    if llm.backend == BackendChoice::Auto && !cfg.endpoint_configured {
        return Ok(None);
    }
    if !cfg.endpoint_configured {
        return Err(no_endpoint());
    }
    build_llm_grader(llm, cfg).map(Some)
}

/// `--backend llm` with neither a URL nor a key: calling api.openai.com
/// without a key can only fail, so say what is missing instead.
fn no_endpoint() -> Error {
    Error::usage(
        "--backend llm needs an endpoint, but OPENAI_API_KEY is not set and no base URL is configured",
        "set OPENAI_API_KEY for api.openai.com, or OPENAI_BASE_URL / --base-url for a local server \
(e.g. http://127.0.0.1:8080/v1); `viva config` shows what is used",
    )
}

/// Builds the LLM grader whatever the backend choice, for commands that
/// prepare requests without sending them (`viva prompt`, batch export/import).
pub fn forced_llm_grader(llm: &LlmArgs) -> Result<LlmGrader> {
    build_llm_grader(llm, LlmConfig::resolve(llm)?)
}

fn build_llm_grader(llm: &LlmArgs, cfg: LlmConfig) -> Result<LlmGrader> {
    let templates = Templates::load(llm.prompts.as_deref())?;
    let client = Client::new(cfg).map_err(llm_error)?;
    Ok(LlmGrader::new(client, templates, llm.evidence, llm.samples))
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
    let grader = llm_grader(&args.llm)?;
    let grading = runtime()?.block_on(grade_with_backend(
        &args.llm,
        grader.as_ref(),
        question,
        rubric,
        &answer.text,
    ))?;
    if grading.backend.reason.starts_with("fell back") {
        ctx.note(&format!("warning: {}", grading.backend.reason));
    }
    let rendered = match args.format {
        ReportFormat::Text => report::text(&report::terminal::grading(&grading), &ctx.paint),
        ReportFormat::Json => report::json(&grading) + "\n",
        ReportFormat::Markdown => report::markdown(&report::terminal::grading(&grading)),
    };
    ctx.print(&rendered)?;
    Ok(ExitStatus::Success)
}
