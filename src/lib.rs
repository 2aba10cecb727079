//! viva grades written or transcribed answers to technical interview
//! questions against rubrics of weighted key points.
//!
//! Data flows one way: bank + answer → grader → [`grade::Grading`] → report.
//! A recorded answer is first transcribed ([`audio`] → [`stt`]), and what
//! the transcription learnt travels with the grading.
//! The binary is a thin shell over [`run`], so tests can drive the whole
//! pipeline in-process.

pub mod agree;
pub mod answer;
pub mod audio;
pub mod bank;
pub mod batch;
pub mod cli;
pub mod commands;
pub mod config;
pub mod draft;
pub mod error;
pub mod grade;
pub mod llm;
pub mod practice;
pub mod report;
pub mod stt;
pub mod text;

use cli::{Cli, Command};
use commands::Context;
use error::ExitStatus;

/// Runs one command line to completion, printing errors on stderr.
pub fn run(cli: Cli) -> ExitStatus {
    grade::keyword::store::enable_from_env();
    let mut stdout = std::io::stdout();
    let mut ctx = Context {
        global: &cli.global,
        out: &mut stdout,
        paint: report::Paint::for_stdout(cli.global.color),
    };
    let result = match &cli.command {
        Command::Grade(args) => commands::grade::run(&mut ctx, args),
        Command::Questions(args) => commands::questions::run(&mut ctx, args),
        Command::Show(args) => commands::show::run(&mut ctx, args),
        Command::Rubric(cmd) => commands::rubric::run(&mut ctx, cmd),
        Command::Prompt(args) => commands::prompt::run(&mut ctx, args),
        Command::Config(args) => commands::config::run(&mut ctx, args),
        Command::Batch(args) => commands::batch::run(&mut ctx, args),
        Command::Report(args) => commands::report::run(&mut ctx, args),
        Command::Agree(args) => commands::agree::run(&mut ctx, args),
        Command::Practice(args) => commands::practice::run(&mut ctx, args),
        Command::Progress(args) => commands::progress::run(&mut ctx, args),
        Command::Completions(args) => commands::shell::completions(&mut ctx, args.shell),
        Command::Man => commands::shell::man(&mut ctx),
    };
    match result {
        Ok(status) => status,
        Err(e) => {
            // Messages may quote the user's files (a CSV's first line, a
            // file name), so they reach the terminal neutralised too.
            eprintln!("{}", report::terminal::neutralise(&e.render()));
            e.status()
        }
    }
}
