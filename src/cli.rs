//! The command line as typed: raw values only. Checking and combining them
//! with the environment and config files happens in [`crate::config`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Grade answers to technical interview questions against rubrics of key points.
#[derive(Debug, Parser)]
#[command(name = "viva", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Use the bank in DIR (with questions/ and rubrics/) instead of the embedded one.
    #[arg(long, global = true, env = "VIVA_BANK", value_name = "DIR")]
    pub bank: Option<PathBuf>,
    /// When to colour terminal output (NO_COLOR is honoured with `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only results: no progress, no notes on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Grade one answer to one question.
    Grade(GradeArgs),
    /// List the questions in the bank.
    Questions(QuestionsArgs),
    /// Show a question and its rubric.
    Show(ShowArgs),
    /// Check and test rubrics.
    #[command(subcommand)]
    Rubric(RubricCommand),
}

#[derive(Debug, Args)]
pub struct GradeArgs {
    /// Question id, e.g. `gil-what-it-protects` (see `viva questions`).
    pub question: String,
    /// Answer file (.txt, .md, .srt, .vtt), or `-` for stdin. Reads stdin when omitted and piped.
    pub answer: Option<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct QuestionsArgs {
    /// Only questions of this topic (see the list with no filter).
    #[arg(long)]
    pub topic: Option<String>,
    /// Only questions of this level: junior, middle or senior.
    #[arg(long)]
    pub level: Option<String>,
    /// Only questions whose id, text, tags or sources contain all these words.
    #[arg(long, short)]
    pub search: Option<String>,
    #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    pub question: String,
    #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Subcommand)]
pub enum RubricCommand {
    /// Validate every question and rubric file; report each problem with file and line.
    Lint(RubricLintArgs),
    /// Grade every rubric's example answers with the keyword grader and check their score ranges.
    Test(RubricTestArgs),
}

#[derive(Debug, Args)]
pub struct RubricLintArgs {
    /// Fail on warnings too (missing strong/partial/weak examples, too few or many points).
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct RubricTestArgs {
    /// Only these question ids (default: all).
    pub questions: Vec<String>,
    /// Print every example's score, not only the failures.
    #[arg(long, short)]
    pub verbose: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
