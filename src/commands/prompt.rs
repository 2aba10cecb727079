//! `viva prompt`: the exact request body the LLM grader would send for an
//! answer, so a prompt can be inspected or replayed by hand. No key is shown.

use super::grade::read_answer;
use super::{Context, lookup};
use crate::cli::PromptArgs;
use crate::config::LlmConfig;
use crate::error::{ExitStatus, Result};
use crate::grade::llm::LlmGrader;
use crate::llm::client::Client;
use crate::llm::prompt::Templates;

pub fn run(ctx: &mut Context, args: &PromptArgs) -> Result<ExitStatus> {
    let bank = ctx.bank()?;
    let (question, rubric) = lookup(&bank, &args.question)?;
    let answer = read_answer(args.answer.as_deref())?;
    let cfg = LlmConfig::resolve(&args.llm)?;
    let url = format!(
        "POST {}/chat/completions",
        cfg.base_url.value.trim_end_matches('/')
    );
    let templates = Templates::load(args.llm.prompts.as_deref())?;
    let client = Client::new(cfg).map_err(super::grade::llm_error)?;
    let grader = LlmGrader::new(client, templates, args.llm.evidence, args.llm.samples);
    let body = grader.request(question, rubric, &answer.text)?;
    ctx.print(&format!(
        "{url}\n{}\n",
        serde_json::to_string_pretty(&body).expect("body serialises")
    ))?;
    Ok(ExitStatus::Success)
}
