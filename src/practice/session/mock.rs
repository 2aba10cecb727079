//! `viva practice --mock`: a timed interview. Questions mix topics, each
//! answer may be followed by up to [`MAX_DEPTH`] follow-ups that probe what
//! it missed, nothing is scored aloud until the end, and the interview ends
//! with a one-page summary when the time is up (or at end of input).

use std::collections::HashSet;
use std::time::Duration;

use super::{MockOptions, Session, Step};
use crate::bank::Question;
use crate::error::{Error, ExitStatus, Result};
use crate::practice::clock::clock_time;
use crate::practice::followup;
use crate::practice::history;
use crate::practice::mock_summary::{MockAnswer, Summary};
use crate::practice::select;

/// Follow-ups asked in a row before the interview moves to another topic.
pub const MAX_DEPTH: usize = 2;

/// Whether a typed answer asks to end the interview: `q` alone, the key
/// that quits everywhere else in practice. A mock interview has no prompt
/// between answers to type it at, and no real answer is just "q". A
/// spoken answer's transcript never does: it is speech, not a key (`q`
/// then Enter to stop a recording does, see `recorded_answer`).
pub(super) fn ends_interview(answer: &str) -> bool {
    answer.trim().eq_ignore_ascii_case("q")
}

impl<'b> Session<'_, '_, 'b> {
    fn mock(&self) -> &MockOptions {
        self.opts.mock.as_ref().expect("a mock interview")
    }

    fn elapsed(&self) -> Duration {
        self.mock().clock.elapsed()
    }

    /// Runs the interview, then prints the summary (and writes it with
    /// `--summary-out`).
    pub(super) fn run_mock(mut self) -> Result<ExitStatus> {
        let planned = self.mock().duration;
        let intro = if self.opts.record.is_some() {
            format!(
                "Mock interview, {}. Answer out loud as you would to an interviewer: Enter \
                 stops each recording, q then Enter or Ctrl-D ends the interview early. Scores \
                 come at the end.\n",
                clock_time(planned)
            )
        } else {
            // The line editor submits on Enter; piped input on an empty line.
            let submit = match (&self.opts.editor, self.console.interactive) {
                (Some(_), _) => "saving the file submits an answer",
                (None, true) => "Enter submits an answer",
                (None, false) => "an empty line submits an answer",
            };
            format!(
                "Mock interview, {}. Answer as you would to an interviewer: {submit}, an empty \
                 answer passes, q or Ctrl-D ends the interview early. Scores come at the end.\n",
                clock_time(planned)
            )
        };
        self.ctx.print(&self.ctx.paint.dim(&super::wrap(
            &intro,
            0,
            crate::report::width::columns(),
        )))?;
        self.ctx.print("\n")?;
        let mut answers: Vec<MockAnswer> = Vec::new();
        let mut next: Option<(&'b Question, usize)> = self.opts.first.map(|q| (q, 0));
        let (mut time_up, mut abrupt) = (false, false);
        loop {
            let start = self.elapsed();
            if start >= planned {
                time_up = true;
                break;
            }
            let (q, depth) = match next.take() {
                Some(asked) => asked,
                None => (self.core_question(&answers)?, 0),
            };
            let left = format!("{} left", clock_time(planned - start));
            let label = if depth > 0 {
                format!("follow-up · {left}")
            } else {
                left
            };
            self.show_question(q, answers.len() + 1, 1, &label, None)?;
            let step = self.take_answer(q, None)?;
            let time = self.elapsed().saturating_sub(start);
            let text = match step {
                Step::Answer(text) if self.spoken.is_none() && ends_interview(&text) => break,
                Step::Answer(text) => text,
                Step::Skip => {
                    answers.push(MockAnswer {
                        question_id: q.id.clone(),
                        topic: q.topic.clone(),
                        follow_up: depth > 0,
                        time,
                        percent: None,
                        gaps: Vec::new(),
                        speech: None,
                    });
                    continue;
                }
                Step::Quit { abrupt: a } => {
                    abrupt = a;
                    break;
                }
            };
            let (grading, attempt) = self.grade_and_save(q, &text)?;
            let (_, rubric) = crate::commands::lookup(self.bank, &q.id)?;
            let mut answer = MockAnswer::graded(&grading, rubric, depth > 0, time);
            answer.speech = attempt.speech.clone();
            answers.push(answer);
            self.graded.push(attempt.percent);
            self.history.push(attempt);
            let noted = format!("Answer noted ({}).\n", clock_time(time));
            self.ctx.print(&self.ctx.paint.dim(&noted))?;
            if depth < MAX_DEPTH {
                let asked = &self.asked;
                let chosen = followup::choose(self.bank, q, &grading, &|id| asked.contains(id));
                next = chosen.map(|f| (f.question, depth + 1));
            }
        }
        let summary = Summary {
            level: self.mock_level(),
            planned,
            elapsed: self.elapsed(),
            time_up,
            answers,
        };
        let mut out = String::from(if abrupt { "\n\n" } else { "\n" });
        if time_up {
            out.push_str("Time is up.\n\n");
        }
        out.push_str(&summary.text(&self.ctx.paint));
        if let Some(path) = &self.mock().summary_out {
            std::fs::write(path, summary.markdown()).map_err(|e| {
                Error::Other(anyhow::anyhow!(
                    "cannot write the summary to {}: {e}",
                    path.display()
                ))
            })?;
            out.push_str(&format!("\nSummary written to {}.\n", path.display()));
        }
        if !self.graded.is_empty() {
            out.push_str(&self.ctx.paint.dim(&format!(
                "Answers saved to {}.\n",
                self.opts.history_path.display()
            )));
        }
        self.ctx.print(&out)?;
        Ok(ExitStatus::Success)
    }

    /// The level of the questions, when the pool has only one.
    fn mock_level(&self) -> Option<String> {
        let levels: HashSet<&str> = self.opts.pool.iter().map(|q| q.level.as_str()).collect();
        (levels.len() == 1).then(|| levels.into_iter().next().unwrap_or_default().to_string())
    }

    /// The next question that opens a topic, as an interviewer changes
    /// subject: from a topic not covered yet, preferring the bank's central
    /// questions (those with follow-ups), never one already asked.
    fn core_question(&mut self, answers: &[MockAnswer]) -> Result<&'b Question> {
        let covered: HashSet<&str> = answers.iter().map(|a| a.topic.as_str()).collect();
        let fresh: Vec<&'b Question> = self
            .opts
            .pool
            .iter()
            .copied()
            .filter(|q| !self.asked.contains(&q.id))
            .collect();
        let new_topic = |q: &&Question| !covered.contains(q.topic.as_str());
        let central = |q: &&Question| !q.follow_ups.is_empty();
        let tiers: [Vec<&'b Question>; 3] = [
            fresh
                .iter()
                .copied()
                .filter(new_topic)
                .filter(central)
                .collect(),
            fresh.iter().copied().filter(new_topic).collect(),
            fresh.clone(),
        ];
        let pool = tiers
            .into_iter()
            .find(|t| !t.is_empty())
            .unwrap_or_else(|| self.opts.pool.clone());
        let now = history::now()?;
        Ok(
            select::choose(&pool, &self.history, now, None, &mut self.opts.rng)
                .expect("the pool is never empty"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::ends_interview;

    #[test]
    fn only_q_alone_ends_the_interview() {
        for quit in ["q", "Q", " q\n"] {
            assert!(ends_interview(quit), "{quit:?}");
        }
        for answer in ["", "quick sort", "q is a variable", "qq"] {
            assert!(!ends_interview(answer), "{answer:?}");
        }
    }
}
