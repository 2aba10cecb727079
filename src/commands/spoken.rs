//! Taking an answer that may be a recording: the one way `grade`, `prompt`
//! and `practice` read an answer file. Text goes through [`crate::answer`];
//! a recording is transcribed (with the question's terms as the
//! transcriber's prompt) and its transcript becomes the answer's text.

use std::path::Path;

use super::grade::read_answer;
use crate::audio::{self, Audio};
use crate::bank::{Question, Rubric};
use crate::cli::{LlmArgs, SttArgs};
use crate::config::SttConfig;
use crate::error::Result;
use crate::stt::{self, Spoken, Transcriber};

/// An answer as given: text, or a recording.
pub enum Given {
    Text(crate::answer::Answer),
    Audio(Audio, Box<SttConfig>),
}

/// Reads the answer at `path` (or stdin): a recording when its content is
/// audio, else text. The transcription settings are resolved only for a
/// recording, so a text answer never reads them.
pub fn read(path: Option<&Path>, stt: &SttArgs, llm: &LlmArgs) -> Result<Given> {
    if let Some(p) = path.filter(|p| *p != Path::new("-"))
        && let Some(format) = audio::sniff_file(p)?
    {
        let cfg = SttConfig::resolve(stt, llm)?;
        let audio = audio::read(p, format, cfg.max_bytes.value)?;
        return Ok(Given::Audio(audio, Box::new(cfg)));
    }
    Ok(Given::Text(read_answer(path)?))
}

/// An answer's text, and what its recording told when it was one.
pub struct Heard {
    pub text: String,
    pub spoken: Option<Spoken>,
}

/// The transcriber prompt for a question, as sent (or would be).
pub fn prompt_for(question: &Question, rubric: &Rubric) -> String {
    stt::prompt::for_question(question, rubric)
}

/// Turns what was given into text to grade, transcribing a recording.
pub fn hear(
    given: Given,
    question: &Question,
    rubric: &Rubric,
    runtime: &tokio::runtime::Runtime,
) -> Result<Heard> {
    match given {
        Given::Text(a) => Ok(Heard {
            text: a.text,
            spoken: None,
        }),
        Given::Audio(audio, cfg) => {
            let transcriber = Transcriber::new(*cfg)?;
            let prompt = prompt_for(question, rubric);
            let spoken = runtime.block_on(stt::hear(&transcriber, &audio, Some(&prompt)))?;
            Ok(Heard {
                text: spoken.transcript.answer_text(),
                spoken: Some(spoken),
            })
        }
    }
}
