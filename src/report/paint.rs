//! Terminal colour, decided once: on for a terminal unless `NO_COLOR` is set
//! or `--color never` was given, so pipes and files get plain text.

use std::io::IsTerminal;

use clap::ValueEnum;
use owo_colors::OwoColorize;

/// `--color`: when to colour terminal output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Applies colour when enabled, and passes text through untouched when not.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    enabled: bool,
}

impl Paint {
    pub fn plain() -> Self {
        Paint { enabled: false }
    }

    /// Colour for stdout, following the user's choice and the environment.
    pub fn for_stdout(choice: ColorChoice) -> Self {
        let enabled = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        };
        Paint { enabled }
    }

    fn apply(&self, s: &str, f: impl Fn(&str) -> String) -> String {
        if self.enabled { f(s) } else { s.to_string() }
    }

    pub fn good(&self, s: &str) -> String {
        self.apply(s, |s| s.green().to_string())
    }
    pub fn warn(&self, s: &str) -> String {
        self.apply(s, |s| s.yellow().to_string())
    }
    pub fn bad(&self, s: &str) -> String {
        self.apply(s, |s| s.red().to_string())
    }
    pub fn bold(&self, s: &str) -> String {
        self.apply(s, |s| s.bold().to_string())
    }
    pub fn dim(&self, s: &str) -> String {
        self.apply(s, |s| s.dimmed().to_string())
    }
}
