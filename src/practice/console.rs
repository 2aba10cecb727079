//! Prompts that Ctrl-C can interrupt cleanly.
//!
//! A blocking `read_line` cannot be interrupted: Rust retries reads that a
//! signal cuts short, and the default SIGINT kills the process mid-screen.
//! So a session catches SIGINT itself (for its whole life, so a Ctrl-C is
//! never lost between two prompts) and each line is read on a helper thread
//! while the session waits for whichever comes first: the line, end of
//! input, or Ctrl-C. A line is only read when asked for, so nothing reads
//! the terminal while `$EDITOR` owns it.

use std::future::Future;
use std::io::{BufRead, IsTerminal};

use tokio::runtime::Runtime;

/// What a prompt got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A line, without its line ending.
    Text(String),
    /// End of input (Ctrl-D, or the end of a piped script).
    Eof,
    /// Ctrl-C.
    Interrupted,
}

/// Stdin with Ctrl-C, on the runtime that also runs the grading.
pub struct Console {
    runtime: Runtime,
    interrupt: Interrupt,
    /// Whether stdin is a terminal (then the terminal echoes what is typed).
    pub interactive: bool,
}

impl Console {
    /// Takes over SIGINT until the console is dropped.
    pub fn new(runtime: Runtime) -> std::io::Result<Console> {
        let interrupt = {
            let _guard = runtime.enter();
            Interrupt::new()?
        };
        Ok(Console {
            runtime,
            interrupt,
            interactive: std::io::stdin().is_terminal(),
        })
    }

    /// Reads one line of stdin, or notices end of input or Ctrl-C.
    pub fn read_line(&mut self) -> std::io::Result<Line> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        // A plain thread, not `spawn_blocking`: after Ctrl-C the read stays
        // blocked, and the runtime would wait for it when dropped.
        std::thread::spawn(move || {
            let mut line = String::new();
            let result = std::io::stdin().lock().read_line(&mut line).map(|n| {
                if n == 0 {
                    Line::Eof
                } else {
                    let end = line.trim_end_matches(['\n', '\r']).len();
                    line.truncate(end);
                    Line::Text(line)
                }
            });
            let _ = tx.send(result);
        });
        let interrupt = &mut self.interrupt;
        self.runtime.block_on(async {
            tokio::select! {
                line = rx => line.unwrap_or(Ok(Line::Eof)),
                _ = interrupt.recv() => Ok(Line::Interrupted),
            }
        })
    }

    /// Runs `work` to completion, or returns `None` on Ctrl-C.
    pub fn run<F: Future>(&mut self, work: F) -> Option<F::Output> {
        let interrupt = &mut self.interrupt;
        self.runtime.block_on(async {
            tokio::select! {
                out = work => Some(out),
                _ = interrupt.recv() => None,
            }
        })
    }
}

/// SIGINT (Ctrl-C on Windows) as a stream of events.
struct Interrupt {
    #[cfg(unix)]
    inner: tokio::signal::unix::Signal,
    #[cfg(windows)]
    inner: tokio::signal::windows::CtrlC,
}

impl Interrupt {
    #[cfg(unix)]
    fn new() -> std::io::Result<Interrupt> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Interrupt {
            inner: signal(SignalKind::interrupt())?,
        })
    }

    #[cfg(windows)]
    fn new() -> std::io::Result<Interrupt> {
        Ok(Interrupt {
            inner: tokio::signal::windows::ctrl_c()?,
        })
    }

    async fn recv(&mut self) {
        self.inner.recv().await;
    }
}
