//! `viva prompt`: the exact request body the LLM grader would send for an
//! answer, so a prompt can be inspected or replayed by hand. For a
//! recording, the transcription request comes first: its form fields,
//! including the transcriber prompt built from the question's terms, with
//! the file described rather than uploaded. No key is shown.

use super::grade::forced_llm_grader;
use super::spoken::{self, Given};
use super::{Context, lookup};
use crate::cli::PromptArgs;
use crate::error::{ExitStatus, Result};
use crate::stt::Transcriber;

pub fn run(ctx: &mut Context, args: &PromptArgs) -> Result<ExitStatus> {
    let bank = ctx.bank()?;
    let (question, rubric) = lookup(&bank, &args.question)?;
    let answer = match spoken::read(args.answer.as_deref(), &args.stt, &args.llm)? {
        Given::Text(a) => a,
        Given::Audio(audio, cfg) => {
            let transcriber = Transcriber::new(*cfg)?;
            let prompt = spoken::prompt_for(question, rubric);
            let mut out = format!(
                "POST {}\nmultipart/form-data\n  file: {} ({}, {} bytes, sha256 {})\n",
                transcriber.url(),
                audio.file_name,
                audio.format.mime(),
                audio.bytes.len(),
                audio.sha256
            );
            for (k, v) in transcriber.fields(Some(&prompt), "verbose_json") {
                out.push_str(&format!("  {k}: {v}\n"));
            }
            out.push_str(
                "\nThe grading request is built from the transcript, once it is known \
(`viva grade ... --transcript-out t.txt`, then `viva prompt QUESTION t.txt`).\n",
            );
            ctx.print(&crate::report::terminal::neutralise(&out))?;
            return Ok(ExitStatus::Success);
        }
    };
    let grader = forced_llm_grader(&args.llm)?;
    let base = &grader.client.cfg.base_url.value;
    let url = format!("POST {}/chat/completions", base.trim_end_matches('/'));
    let body = grader.request(question, rubric, &answer.text)?;
    ctx.print(&format!("{url}\n{}", crate::report::document(&body)))?;
    Ok(ExitStatus::Success)
}
