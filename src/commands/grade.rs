//! `viva grade`: grade one answer and print the report.

use std::io::IsTerminal;
use std::path::Path;

use super::{Context, lookup, spoken};
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
    start(tokio::runtime::Builder::new_multi_thread())
}

/// The runtime of one grading: a single thread. Its only concurrency is
/// waiting on the network (LLM samples, speech to text), and starting the
/// worker threads of a multi-threaded runtime is time every offline
/// `viva grade` pays for nothing.
fn one_thread_runtime() -> Result<tokio::runtime::Runtime> {
    start(tokio::runtime::Builder::new_current_thread())
}

fn start(mut builder: tokio::runtime::Builder) -> Result<tokio::runtime::Runtime> {
    builder
        .enable_all()
        .build()
        .map_err(|e| Error::Other(anyhow::anyhow!("cannot start the async runtime: {e}")))
}

pub fn run(ctx: &mut Context, args: &GradeArgs) -> Result<ExitStatus> {
    let bank = ctx.bank()?;
    let (question, rubric) = lookup(&bank, &args.question)?;
    let given = spoken::read(args.answer.as_deref(), &args.stt, &args.llm)?;
    let graders = graders(&args.llm)?;
    let rt = one_thread_runtime()?;
    let heard = spoken::hear(given, question, rubric, &rt)?;
    if let Some(path) = &args.transcript_out {
        write_transcript(path, heard.spoken.as_ref())?;
    }
    let graded = rt.block_on(graders.grade(question, rubric, &heard.text))?;
    if let Some(fallback) = &graded.fallback {
        ctx.note(&format!("warning: {fallback}"));
    }
    let mut grading = graded.grading;
    if let Some(sp) = heard.spoken {
        grading.attach_spoken(sp);
    }
    let rendered = match args.format {
        ReportFormat::Text => {
            let safe = report::terminal::grading(&grading);
            let mut out = report::text(&safe, &ctx.paint);
            if args.show_transcript {
                out.push_str(&report::transcript(&safe, &ctx.paint));
            }
            out
        }
        ReportFormat::Json => report::json(&grading) + "\n",
        ReportFormat::Markdown => report::markdown(&report::terminal::grading(&grading)),
    };
    ctx.print(&rendered)?;
    // The process ends here: freeing the bank and the compiled rubric one
    // allocation at a time first was a twentieth of an offline grade.
    std::mem::forget(graders);
    std::mem::forget(bank);
    if grading.poor_transcript() {
        let file = args
            .answer
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        ctx.note(&format!(
            "warning: the transcript of {} is poor, so the score may be too low (exit 9)\n  hint: listen to the recording, or record the answer again closer to the microphone",
            report::terminal::neutralise(&file)
        ));
        return Ok(ExitStatus::PoorTranscript);
    }
    Ok(ExitStatus::Success)
}

/// Writes a recording's transcript: `.srt` or `.vtt` subtitles by the
/// file's extension, else plain text.
fn write_transcript(path: &Path, spoken: Option<&crate::stt::Spoken>) -> Result<()> {
    let Some(sp) = spoken else {
        return Err(Error::usage(
            "--transcript-out needs a recorded answer",
            "pass a recording (wav, mp3, m4a, ogg, flac, webm) as the answer",
        ));
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let t = &sp.transcript;
    let body = match ext.as_deref() {
        Some("srt") if !t.segments.is_empty() => t.to_srt(),
        Some("vtt") if !t.segments.is_empty() => t.to_vtt(),
        Some("srt" | "vtt") => {
            return Err(Error::usage(
                "the transcription endpoint gave no segment timings, so there are no subtitles to write",
                "use a .txt file, or an endpoint that answers verbose_json",
            ));
        }
        _ => format!("{}\n", t.answer_text()),
    };
    std::fs::write(path, body).map_err(|e| {
        Error::output(
            format!("cannot write {}: {e}", path.display()),
            "check the folder exists and is writable",
        )
    })
}
