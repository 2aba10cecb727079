//! What a batch run reports at the end: counts by outcome and reason, and
//! what to do next (resume, retry the failed answers, or wait for the
//! endpoint). The collector fills it in; the command prints it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

/// The schema name of the JSON summary (`viva batch --summary-format json`).
pub const SCHEMA: &str = "viva.batch-summary/v1";

/// Why the circuit breaker stopped a run.
#[derive(Debug, Clone, Serialize)]
pub struct Breaker {
    /// Answers that failed in a row.
    pub failures: u32,
    /// The last failure's kind and message.
    pub kind: String,
    pub message: String,
}

/// How a batch went.
#[derive(Debug, Default)]
pub struct Summary {
    pub graded: u64,
    pub failed: BTreeMap<String, u64>,
    pub skipped: u64,
    /// Answers graded again because their entry was stale, by reason.
    pub regraded: BTreeMap<String, u64>,
    /// Stale entries kept on purpose (`--keep-stale`), by reason.
    pub kept_stale: BTreeMap<String, u64>,
    pub bad_rows: BTreeMap<String, u64>,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub cost_usd: Option<f64>,
    pub wall: Duration,
    pub interrupted: bool,
    /// Set when the circuit breaker stopped the run.
    pub breaker: Option<Breaker>,
    /// Answers left unstarted for a resume after the breaker stopped the run.
    pub not_started: u64,
    /// Recorded answers graded although their transcript failed the
    /// quality gate (flagged `poor-transcript`).
    pub poor_transcripts: u64,
    /// Whether some transient failure went unretried: the retry budget was spent.
    pub budget_spent: bool,
    pub journal: PathBuf,
    pub errors: PathBuf,
}

impl Summary {
    pub fn failed_total(&self) -> u64 {
        self.failed.values().sum()
    }

    pub fn bad_total(&self) -> u64 {
        self.bad_rows.values().sum()
    }

    /// Answers graded per second of wall time.
    fn rate(&self) -> f64 {
        let secs = self.wall.as_secs_f64();
        if secs > 0.0 {
            self.graded as f64 / secs
        } else {
            0.0
        }
    }

    /// How the run ended: `completed`, `interrupted` (Ctrl-C) or `stopped`
    /// (the circuit breaker).
    fn outcome(&self) -> &'static str {
        if self.breaker.is_some() {
            "stopped"
        } else if self.interrupted {
            "interrupted"
        } else {
            "completed"
        }
    }

    /// The summary as one JSON document (`viva.batch-summary/v1`), with the
    /// same figures as [`Summary::render`].
    pub fn json(&self) -> String {
        crate::report::document(&Document {
            schema: SCHEMA,
            outcome: self.outcome(),
            graded: self.graded,
            failed: self.failed_total(),
            failed_by_kind: &self.failed,
            skipped: self.skipped,
            kept_stale: &self.kept_stale,
            regraded: &self.regraded,
            bad_rows: self.bad_total(),
            bad_rows_by_kind: &self.bad_rows,
            not_started: self.not_started,
            poor_transcripts: self.poor_transcripts,
            tokens: Tokens {
                prompt: self.prompt_tokens,
                completion: self.completion_tokens,
            },
            cost_usd: self.cost_usd,
            wall_secs: (self.wall.as_secs_f64() * 1000.0).round() / 1000.0,
            answers_per_sec: (self.rate() * 10.0).round() / 10.0,
            retry_budget_spent: self.budget_spent,
            breaker: self.breaker.as_ref(),
            journal: self.journal.display().to_string(),
            errors_file: self.errors.display().to_string(),
        })
    }

    /// The human summary printed at the end.
    pub fn render(&self) -> String {
        let mut o = String::new();
        let secs = self.wall.as_secs_f64();
        let rate = self.rate();
        let _ = writeln!(
            o,
            "graded {}, failed {}, skipped {} (already in the journal), bad rows {}",
            self.graded,
            self.failed_total(),
            self.skipped,
            self.bad_total()
        );
        for (reason, n) in &self.regraded {
            let _ = writeln!(o, "  {n} regraded: {reason}");
        }
        for (reason, n) in &self.kept_stale {
            let _ = writeln!(o, "  {n} kept although stale (--keep-stale): {reason}");
        }
        for (kind, n) in &self.failed {
            let _ = writeln!(o, "  failed: {n} × {kind}");
        }
        if self.poor_transcripts > 0 {
            let _ = writeln!(
                o,
                "  {} graded from a poor transcript (flagged poor-transcript: the score may be too low)",
                self.poor_transcripts
            );
        }
        for (kind, n) in &self.bad_rows {
            let _ = writeln!(
                o,
                "  bad rows: {n} × {kind} (see {})",
                self.errors.display()
            );
        }
        if self.prompt_tokens + self.completion_tokens > 0 {
            let cost = self
                .cost_usd
                .map(|c| format!(", ${c:.4}"))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "tokens: {} prompt, {} completion{cost}",
                self.prompt_tokens, self.completion_tokens
            );
        }
        let _ = writeln!(o, "wall time {secs:.2} s, {rate:.1} answers/s");
        let _ = writeln!(o, "journal: {}", self.journal.display());
        if self.budget_spent {
            let _ = writeln!(
                o,
                "retry budget spent: later transient failures were not retried (--retry-budget)"
            );
        }
        if let Some(b) = &self.breaker {
            let _ = writeln!(
                o,
                "stopped: the endpoint failed {} answers in a row (last: {})",
                b.failures,
                crate::report::terminal::neutralise(&b.message)
            );
            let _ = writeln!(
                o,
                "{} answers not started; once the endpoint works, rerun the same command with --retry-failed to grade them and the failed ones (graded answers are kept)",
                self.not_started
            );
        } else if self.interrupted {
            let _ = writeln!(
                o,
                "interrupted: rerun the same command to grade the rest (finished answers are kept)"
            );
        } else if self.failed_total() > 0 {
            let _ = writeln!(
                o,
                "rerun with --retry-failed to grade the failed answers again"
            );
        }
        o
    }
}

#[derive(Serialize)]
struct Tokens {
    prompt: u64,
    completion: u64,
}

/// The JSON form of a [`Summary`], fields in the text form's order.
#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    outcome: &'static str,
    graded: u64,
    failed: u64,
    failed_by_kind: &'a BTreeMap<String, u64>,
    skipped: u64,
    kept_stale: &'a BTreeMap<String, u64>,
    regraded: &'a BTreeMap<String, u64>,
    bad_rows: u64,
    bad_rows_by_kind: &'a BTreeMap<String, u64>,
    not_started: u64,
    poor_transcripts: u64,
    tokens: Tokens,
    cost_usd: Option<f64>,
    wall_secs: f64,
    answers_per_sec: f64,
    retry_budget_spent: bool,
    breaker: Option<&'a Breaker>,
    journal: String,
    errors_file: String,
}
