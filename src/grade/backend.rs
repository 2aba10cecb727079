//! Which grader grades an answer: the `--backend` choice.

use clap::ValueEnum;

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
