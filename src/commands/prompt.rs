//! `viva prompt`: the exact request body the LLM grader would send for an
//! answer, so a prompt can be inspected or replayed by hand. No key is shown.

use super::grade::{forced_llm_grader, read_answer};
use super::{Context, lookup};
use crate::cli::PromptArgs;
use crate::error::{ExitStatus, Result};

pub fn run(ctx: &mut Context, args: &PromptArgs) -> Result<ExitStatus> {
    let bank = ctx.bank()?;
    let (question, rubric) = lookup(&bank, &args.question)?;
    let answer = read_answer(args.answer.as_deref())?;
    let grader = forced_llm_grader(&args.llm)?;
    let base = &grader.client.cfg.base_url.value;
    let url = format!("POST {}/chat/completions", base.trim_end_matches('/'));
    let body = grader.request(question, rubric, &answer.text)?;
    ctx.print(&format!("{url}\n{}", crate::report::document(&body)))?;
    Ok(ExitStatus::Success)
}
