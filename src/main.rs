use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: compiling a rubric and
/// grading an answer make many small short-lived allocations, and glibc's
/// malloc was a sixth of the instructions of `viva grade`. Built without
/// transparent huge pages, which held 2 MiB pages per thread for a few
/// bytes of use.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = viva::cli::Cli::parse();
    ExitCode::from(viva::run(cli).code())
}
