//! Which grader grades an answer: the `--backend` choice resolved against
//! the LLM configuration, and the fallback to the keyword rules when the
//! endpoint cannot be reached in `auto` mode.
//!
//! `viva grade`, `viva batch` and `viva practice` all build their graders
//! with [`Graders::resolve`] and grade through [`Graders::grade`], so they
//! choose and fall back alike. A fallback is reported as a [`Fallback`]
//! value next to the grading, for the caller to warn about.

use std::fmt;
use std::path::Path;

use clap::ValueEnum;

use super::keyword::KeywordGrader;
use super::llm::{EvidencePolicy, LlmGrader};
use super::{GradeError, Grader, Grading};
use crate::bank::{Question, Rubric};
use crate::config::LlmConfig;
use crate::error::{Error, Result};
use crate::llm::client::{Client, LlmError};
use crate::llm::prompt::Templates;

/// Which grader to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum BackendChoice {
    #[default]
    /// The LLM when an endpoint is configured, falling back to keywords when it is unreachable.
    Auto,
    /// Always the LLM endpoint; never falls back (needs OPENAI_API_KEY or a base URL).
    Llm,
    /// The offline keyword rules; never calls out.
    Keyword,
}

/// How the LLM grader is built, besides the endpoint configuration.
#[derive(Debug, Clone, Copy)]
pub struct LlmOptions<'a> {
    /// A folder of prompt templates replacing the built-in ones (`--prompts`).
    pub prompts: Option<&'a Path>,
    /// What happens to credit whose quote is not in the answer (`--evidence`).
    pub evidence: EvidencePolicy,
    /// Independent verdicts per answer (`--samples`).
    pub samples: u32,
}

/// Why an answer meant for the LLM was graded by the keyword rules instead.
#[derive(Debug, Clone)]
pub enum Fallback {
    /// `auto` mode, and the endpoint could not be reached.
    Unreachable(LlmError),
}

impl fmt::Display for Fallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fallback::Unreachable(e) => write!(f, "fell back to offline keyword rules: {e}"),
        }
    }
}

/// A grading, and the fallback that produced it, if one did.
#[derive(Debug, Clone)]
pub struct Graded {
    pub grading: Grading,
    pub fallback: Option<Fallback>,
}

/// The graders of a run: the LLM grader when the backend choice and the
/// configuration call for one, and the keyword grader, which grades when
/// there is no LLM grader and when the LLM grader falls back. Each rubric is
/// compiled once for the whole run.
pub struct Graders {
    choice: BackendChoice,
    /// The LLM grader; `None` when the keyword rules grade every answer.
    pub llm: Option<LlmGrader>,
    keyword: KeywordGrader,
}

impl Graders {
    /// Builds the graders for `choice`. `config` is resolved only when the
    /// choice may use the LLM, so `--backend keyword` never reads it.
    pub fn resolve(
        choice: BackendChoice,
        config: impl FnOnce() -> Result<LlmConfig>,
        options: LlmOptions<'_>,
    ) -> Result<Graders> {
        let llm = match choice {
            BackendChoice::Keyword => None,
            _ => {
                let cfg = config()?;
                match (choice, cfg.endpoint_configured) {
                    (_, true) => Some(llm_grader(cfg, options)?),
                    (BackendChoice::Auto, false) => None,
                    (_, false) => return Err(no_endpoint()),
                }
            }
        };
        let reason = match choice {
            BackendChoice::Keyword => "--backend keyword",
            _ => "no LLM endpoint configured; offline keyword rules",
        };
        Ok(Graders {
            choice,
            llm,
            keyword: KeywordGrader::new(reason),
        })
    }

    /// Replaces the reason keyword gradings give for using the keyword rules.
    pub fn with_keyword_reason(mut self, reason: impl Into<String>) -> Graders {
        self.keyword = KeywordGrader::new(reason);
        self
    }

    /// Whether an answer may end up graded by the keyword rules after all.
    pub fn can_fall_back(&self) -> bool {
        self.llm.is_some() && self.choice == BackendChoice::Auto
    }

    /// Grades by the keyword rules at once when there is no LLM grader;
    /// `None` when there is one (use [`Graders::grade`]).
    pub fn grade_offline(
        &self,
        question: &Question,
        rubric: &Rubric,
        answer: &str,
    ) -> Option<Graded> {
        self.llm.is_none().then(|| Graded {
            grading: self.keyword.grade(question, rubric, answer),
            fallback: None,
        })
    }

    /// Grades one answer with the LLM grader when there is one, falling back
    /// to the keyword rules in `auto` mode when the endpoint is unreachable.
    pub async fn grade(
        &self,
        question: &Question,
        rubric: &Rubric,
        answer: &str,
    ) -> std::result::Result<Graded, GradeError> {
        let Some(llm) = &self.llm else {
            return Ok(Graded {
                grading: self.keyword.grade(question, rubric, answer),
                fallback: None,
            });
        };
        match Grader::grade(llm, question, rubric, answer).await {
            Ok(grading) => Ok(Graded {
                grading,
                fallback: None,
            }),
            Err(GradeError::Llm(e)) if self.choice == BackendChoice::Auto && e.is_unreachable() => {
                let fallback = Fallback::Unreachable(e);
                let mut grading = self.keyword.grade(question, rubric, answer);
                grading.backend.reason = fallback.to_string();
                Ok(Graded {
                    grading,
                    fallback: Some(fallback),
                })
            }
            Err(e) => Err(e),
        }
    }
}

/// Builds the LLM grader whatever the backend choice, for commands that
/// prepare requests without sending them (`viva prompt`, batch export/import).
pub fn llm_grader(cfg: LlmConfig, options: LlmOptions<'_>) -> Result<LlmGrader> {
    let templates = Templates::load(options.prompts)?;
    let client = Client::new(cfg).map_err(llm_error)?;
    Ok(LlmGrader::new(
        client,
        templates,
        options.evidence,
        options.samples,
    ))
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

impl From<GradeError> for Error {
    fn from(e: GradeError) -> Self {
        match e {
            GradeError::Llm(e) => llm_error(e),
        }
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
