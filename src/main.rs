use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = viva::cli::Cli::parse();
    ExitCode::from(viva::run(cli).code())
}
