//! `viva completions SHELL` and `viva man`: shell completion scripts and a
//! manual page, generated from the same clap definition as the parser, so
//! they can never drift from the real flags.

use clap::CommandFactory;

use super::Context;
use crate::cli::Cli;
use crate::error::{Error, ExitStatus, Result};

/// Prints the completion script for `shell` on stdout.
pub fn completions(ctx: &mut Context, shell: clap_complete::Shell) -> Result<ExitStatus> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "viva", &mut out);
    ctx.print(&String::from_utf8_lossy(&out))?;
    Ok(ExitStatus::Success)
}

/// Prints the manual page as roff: name, synopsis, options, subcommands,
/// version, from the parser's own definition.
pub fn man(ctx: &mut Context) -> Result<ExitStatus> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Error::Other(e.into()))?;
    ctx.print(&String::from_utf8_lossy(&out))?;
    Ok(ExitStatus::Success)
}
