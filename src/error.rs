//! Errors shown to the person running viva, and the exit codes they map to.
//!
//! Every error renders as one line of cause and one line of hint, so the fix
//! is obvious; the exit code tells scripts what kind of failure happened.

use crate::answer::AnswerError;
use crate::bank::BankError;

/// The documented exit codes. Scripts may rely on these values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitStatus {
    /// Everything worked.
    Success = 0,
    /// The command ran but found failures: rubric checks failed, or some
    /// answers of a batch could not be graded.
    Failures = 1,
    /// Bad command line, unknown question id, bad configuration.
    Usage = 2,
    /// The bank (questions, rubrics, prompt templates) is invalid.
    Bank = 3,
    /// The answer cannot be graded: missing, empty, binary, not UTF-8, too large.
    Answer = 4,
    /// The LLM endpoint could not be reached or kept failing.
    Endpoint = 5,
    /// The endpoint refused the credentials (bad or missing API key).
    Auth = 6,
    /// Another `viva batch` is writing the same journal.
    Busy = 7,
    /// An output file (journal, report, export) could not be written.
    Output = 8,
    /// A recorded answer was graded, but its transcript failed the quality
    /// gate (`poor-transcript`): the score may be too low.
    PoorTranscript = 9,
    /// Stopped by Ctrl-C.
    Interrupted = 130,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// A failure that ends a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{message}")]
    Usage { message: String, hint: String },
    #[error("unknown question id `{id}`")]
    UnknownQuestion {
        id: String,
        suggestions: Vec<String>,
    },
    #[error(transparent)]
    Bank(#[from] BankError),
    #[error(transparent)]
    Answer(#[from] AnswerError),
    /// A recording that cannot be transcribed: unrecognised, too large,
    /// undecodable, or without speech (exit 4, like any unusable answer).
    #[error("{message}")]
    Audio { message: String, hint: String },
    #[error("{message}")]
    Endpoint { message: String, hint: String },
    #[error("{message}")]
    Auth { message: String, hint: String },
    #[error("{message}")]
    Busy { message: String, hint: String },
    #[error("{message}")]
    Output { message: String, hint: String },
    #[error("interrupted")]
    Interrupted { hint: String },
    #[error("{0:#}")]
    Other(#[from] anyhow::Error),
}

impl Error {
    /// An output file that cannot be written (exit 8).
    pub fn output(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Output {
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn status(&self) -> ExitStatus {
        match self {
            Error::Usage { .. } | Error::UnknownQuestion { .. } => ExitStatus::Usage,
            Error::Bank(BankError::Invalid { .. }) => ExitStatus::Bank,
            Error::Bank(BankError::Io { .. }) => ExitStatus::Usage,
            Error::Answer(_) | Error::Audio { .. } => ExitStatus::Answer,
            Error::Endpoint { .. } => ExitStatus::Endpoint,
            Error::Auth { .. } => ExitStatus::Auth,
            Error::Busy { .. } => ExitStatus::Busy,
            Error::Output { .. } => ExitStatus::Output,
            Error::Interrupted { .. } => ExitStatus::Interrupted,
            Error::Other(_) => ExitStatus::Failures,
        }
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Usage { hint, .. }
            | Error::Audio { hint, .. }
            | Error::Endpoint { hint, .. }
            | Error::Auth { hint, .. }
            | Error::Busy { hint, .. }
            | Error::Output { hint, .. }
            | Error::Interrupted { hint } => Some(hint.clone()).filter(|h| !h.is_empty()),
            Error::UnknownQuestion { suggestions, .. } if !suggestions.is_empty() => Some(format!(
                "did you mean {}? `viva questions` lists all ids",
                suggestions
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Error::UnknownQuestion { .. } => Some("`viva questions` lists all ids".into()),
            Error::Bank(BankError::Invalid { .. }) => {
                Some("run `viva rubric lint` (with the same --bank) to see every problem".into())
            }
            Error::Bank(BankError::Io { .. }) => {
                Some("--bank DIR must contain questions/ and rubrics/ folders".into())
            }
            Error::Answer(e) => Some(e.hint().to_string()),
            Error::Other(_) => None,
        }
    }

    /// The message as printed on stderr: cause, then hint.
    pub fn render(&self) -> String {
        let mut out = format!("error: {self}");
        if let Some(hint) = self.hint() {
            out.push_str("\n  hint: ");
            out.push_str(&hint);
        }
        out
    }
}

impl From<crate::audio::AudioError> for Error {
    fn from(e: crate::audio::AudioError) -> Self {
        Error::Audio {
            message: e.to_string(),
            hint: e.hint().into(),
        }
    }
}

impl From<crate::stt::SttError> for Error {
    fn from(e: crate::stt::SttError) -> Self {
        use crate::llm::client::LlmError;
        use crate::stt::SttError;
        let message = e.to_string();
        let hint = |h: &str| h.to_string();
        match e {
            SttError::TooLarge { .. } => Error::Audio {
                message,
                hint: hint(
                    "compress the recording (e.g. `sox in.wav -r 16000 -c 1 out.flac`) or cut it into one answer per file",
                ),
            },
            SttError::Undecodable { .. } => Error::Audio {
                message,
                hint: hint("check that the file plays; re-encode it, e.g. `sox in.wav out.flac`"),
            },
            SttError::Empty { .. } => Error::Audio {
                message,
                hint: hint(
                    "check the microphone and the recording's volume, then record the answer again",
                ),
            },
            SttError::NoRoute { .. } => Error::Endpoint {
                message,
                hint: hint(
                    "point --stt-url (or VIVA_STT_BASE_URL) at a server with POST /v1/audio/transcriptions: OpenAI, whisper.cpp's server, speaches, vLLM; `viva config` shows the URL used",
                ),
            },
            SttError::Http(LlmError::Auth { .. }) => Error::Auth {
                message,
                hint: hint("check OPENAI_API_KEY (`viva config` shows which key is used, masked)"),
            },
            SttError::Http(LlmError::Unreachable { .. }) => Error::Endpoint {
                message,
                hint: hint(
                    "is the transcription server running? check --stt-url / VIVA_STT_BASE_URL",
                ),
            },
            SttError::Http(LlmError::Timeout { .. }) => Error::Endpoint {
                message,
                hint: hint(
                    "raise --timeout (or [stt] timeout_secs): transcription on CPU takes about a tenth of the recording's length",
                ),
            },
            _ => Error::Endpoint {
                message,
                hint: hint(
                    "see the endpoint's message; `viva prompt QUESTION RECORDING` shows the request",
                ),
            },
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
