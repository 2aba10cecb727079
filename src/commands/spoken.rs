//! Taking an answer that may be a recording: the one way `grade`, `prompt`
//! and `practice` read an answer file. Text goes through [`crate::answer`];
//! a recording is transcribed (with the question's terms as the
//! transcriber's prompt) and its transcript becomes the answer's text.

use std::io::{IsTerminal, Read};
use std::path::Path;

use super::grade::read_answer;
use crate::answer::{self, AnswerError};
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
    let stdin = match path {
        Some(p) => p == Path::new("-"),
        None => !std::io::stdin().is_terminal(),
    };
    if stdin {
        return read_stdin(stt, llm);
    }
    if let Some(p) = path
        && let Some(format) = audio::sniff_file(p)?
    {
        let cfg = SttConfig::resolve(stt, llm)?;
        let audio = audio::read(p, format, cfg.max_bytes.value)?;
        return Ok(Given::Audio(audio, Box::new(cfg)));
    }
    Ok(Given::Text(read_answer(path)?))
}

/// Stdin, sniffed like a file: `cat answer.wav | viva grade ID -` works.
fn read_stdin(stt: &SttArgs, llm: &LlmArgs) -> Result<Given> {
    let read_err = |source| {
        crate::error::Error::from(AnswerError::Read {
            origin: "stdin".into(),
            source,
        })
    };
    let mut input = std::io::stdin().lock();
    let mut bytes = Vec::new();
    (&mut input)
        .take(64)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    let Some(format) = audio::sniff(&bytes) else {
        (&mut input)
            .take(answer::MAX_ANSWER_BYTES as u64 + 1 - bytes.len() as u64)
            .read_to_end(&mut bytes)
            .map_err(read_err)?;
        return Ok(Given::Text(answer::from_bytes("stdin", &bytes, None)?));
    };
    let cfg = SttConfig::resolve(stt, llm)?;
    let limit = cfg.max_bytes.value;
    (&mut input)
        .take(limit + 1 - bytes.len() as u64)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > limit {
        return Err(audio::AudioError::TooLarge {
            origin: "stdin".into(),
            size: None,
            limit,
        }
        .into());
    }
    let name = format!("answer.{}", format.name());
    let audio = Audio::from_bytes("stdin", &name, format, bytes);
    Ok(Given::Audio(audio, Box::new(cfg)))
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
