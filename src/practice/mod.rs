//! Practice mode: answer questions one after another, get feedback at once,
//! and keep a history that steers the next question and shows progress.
//!
//! Grading itself is the same as `viva grade` (same backends, same
//! [`crate::grade::Grading`]); this module adds what a candidate practising
//! alone needs around it:
//!
//! - [`history`]: the append-only JSONL file of graded attempts;
//! - [`schedule`]: when each question is due for review (SM-2, replayed
//!   from the history);
//! - [`select`]: which question comes next (due ones, weak topics, stale
//!   questions);
//! - [`session`]: the question → answer → feedback → next/retry/quit loop,
//!   with [`console`] for interruptible prompts and [`editor`] for `$EDITOR`;
//! - [`feedback`]: the screen shown after each answer;
//! - [`followup`]: which linked question probes what an answer missed;
//! - [`clock`] and [`mock_summary`]: the timed mock interview (`--mock`)
//!   and the summary that ends it;
//! - [`progress`] and [`chart`]: mastery per topic for `viva progress`,
//!   with [`review`] for what is due and what to practise next, and
//!   [`compare`] for one question's attempts side by side.

pub mod chart;
pub mod clock;
pub mod compare;
pub mod console;
pub mod editor;
pub mod feedback;
pub mod followup;
pub mod history;
pub mod line;
pub mod mock_summary;
pub mod progress;
pub mod recorder;
pub mod review;
pub mod schedule;
pub mod select;
pub mod session;

pub(crate) use crate::report::wrap;

#[cfg(test)]
pub(crate) mod testing {
    //! Attempts for unit tests, built from the JSON a history line holds.

    use super::history::{Attempt, History};

    /// An attempt at `q` with two points: `a` scored 1 from 50% up (else 0),
    /// `b` always 0.
    pub fn attempt(q: &str, topic: &str, percent: f64, at: &str) -> Attempt {
        let a = if percent >= 50.0 { 1.0 } else { 0.0 };
        let line = format!(
            r#"{{"schema":"viva.practice/v1","timestamp":"{at}","question_id":"{q}","topic":"{topic}","level":"senior","percent":{percent},"fraction":{},"backend":"keyword","points":[{{"id":"a","score":{a},"weight":1.0}},{{"id":"b","score":0.0,"weight":1.0}}],"misconceptions":[]}}"#,
            percent / 100.0
        );
        let mut h = History::parse(&line);
        assert!(h.bad_lines.is_empty(), "{:?}", h.bad_lines);
        h.attempts.remove(0)
    }
}
