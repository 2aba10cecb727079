//! One module per subcommand. Each takes its parsed arguments and the shared
//! context, writes results to stdout, and returns the exit status.

pub mod agree;
pub mod batch;
pub mod config;
pub mod draft;
pub mod grade;
pub mod practice;
pub mod progress;
pub mod prompt;
pub mod questions;
pub mod report;
pub mod rubric;
pub mod rubric_fires;
pub mod shell;
pub mod show;
pub mod spoken;

use std::io::Write;

use crate::bank::Bank;
use crate::cli::GlobalArgs;
use crate::error::{Error, Result};
use crate::report::Paint;

/// What every command may need: the bank, output streams and colour choice.
pub struct Context<'a> {
    pub global: &'a GlobalArgs,
    pub out: &'a mut dyn Write,
    pub paint: Paint,
}

impl Context<'_> {
    /// Loads the bank named by `--bank`/`VIVA_BANK`, or the embedded one.
    /// A broken rubric is left out with a warning naming its file, so the
    /// other questions can still be graded.
    pub fn bank(&self) -> Result<Bank> {
        let bank = Bank::open(self.global.bank.as_deref(), false)?;
        for (id, problems) in &bank.broken {
            let more = match problems.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            eprintln!(
                "warning: question `{id}` cannot be graded: its rubric is broken: {}{more}\n  hint: the other questions are graded; `viva rubric lint` lists every problem",
                bank.origin.locate(&problems[0])
            );
        }
        Ok(bank)
    }

    /// Writes to stdout; a closed pipe (`viva questions | head`) is not an error.
    pub fn print(&mut self, s: &str) -> Result<()> {
        match self
            .out
            .write_all(s.as_bytes())
            .and_then(|_| self.out.flush())
        {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(Error::Other(e.into())),
            Ok(()) => Ok(()),
        }
    }

    /// A note for the person at the terminal, on stderr, unless `--quiet`.
    pub fn note(&self, s: &str) {
        if !self.global.quiet {
            eprintln!("{s}");
        }
    }
}

/// Finds a question and its rubric, or explains which ids come closest.
pub fn lookup<'b>(
    bank: &'b Bank,
    id: &str,
) -> Result<(&'b crate::bank::Question, &'b crate::bank::Rubric)> {
    match (bank.question(id), bank.rubric(id)) {
        (Some(q), Some(r)) => Ok((q, r)),
        (Some(_), None) if bank.broken_rubric(id).is_some() => {
            let problems = bank.broken_rubric(id).unwrap_or_default();
            Err(Error::Bank(crate::bank::BankError::Invalid {
                origin: bank.origin.clone(),
                problems: problems.to_vec(),
            }))
        }
        (Some(_), None) => Err(Error::usage(
            format!("question `{id}` has no rubric yet"),
            format!("write rubrics/{id}.toml; `viva rubric lint` lists every question without one"),
        )),
        _ => Err(unknown_question(bank, id)),
    }
}

/// An id the bank does not have, with the closest ids it does have.
pub fn unknown_question(bank: &Bank, id: &str) -> Error {
    Error::UnknownQuestion {
        id: id.to_string(),
        suggestions: bank
            .closest_ids(id, 3)
            .into_iter()
            .map(String::from)
            .collect(),
    }
}
