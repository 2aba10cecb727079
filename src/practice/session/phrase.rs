//! Follow-ups the model phrases, in ordinary practice with an LLM grader.
//!
//! After an answer the model graded, the model is asked for a short
//! follow-up built on what the answer said and missed (see
//! [`crate::llm::followup`]). When it names one of the question's linked
//! follow-ups, the answer is graded against that question's rubric; when
//! none fits, the answer is kept in the history ungraded. Any endpoint
//! error or invalid reply falls back, with a one-line warning, to the
//! follow-up the bank offers offline; with the keyword grader nothing
//! here runs, so offline practice is unchanged.

use super::{Session, Step};
use crate::bank::Question;
use crate::error::{Error, Result};
use crate::grade::Grading;
use crate::llm::followup::{self, Gap, PhraseError};
use crate::practice::followup::FollowUp;
use crate::practice::history::{self, UNGRADED_SCHEMA, Ungraded};
use crate::report::fit::Fit;

/// Points named in the line that offers a phrased follow-up.
const NAMED: usize = 2;

/// The follow-up offered after an answer.
pub(super) enum Offer<'b> {
    /// One of the bank's questions, asked in its own words.
    Bank(FollowUp<'b>),
    /// A question the model phrased from `gaps`; graded against `linked`'s
    /// rubric, or recorded ungraded when it is `None`.
    Phrased {
        text: String,
        linked: Option<&'b Question>,
        gaps: Vec<String>,
    },
}

impl<'b> Session<'_, '_, 'b> {
    /// A follow-up phrased by the model for `q`'s answer, or `None` when
    /// the model did not grade it, nothing was missed, or phrasing failed
    /// (then with a warning on stderr).
    pub(super) fn phrased_offer(
        &mut self,
        q: &Question,
        grading: &Grading,
        answer: &str,
    ) -> Result<Option<Offer<'b>>> {
        let (Some(prompt), Some(llm)) = (&self.opts.phrasing, &self.opts.graders.llm) else {
            return Ok(None);
        };
        // A grading that fell back to the keyword rules means the endpoint
        // is out of reach: asking it again would only repeat the warning.
        if grading.backend.name != "llm" {
            return Ok(None);
        }
        let gaps = gaps(grading);
        if gaps.is_empty() {
            return Ok(None);
        }
        let bank = self.bank;
        let linked: Vec<&'b Question> = q
            .follow_ups
            .iter()
            .filter_map(|id| bank.question(id))
            .filter(|f| f.id != q.id && !self.asked.contains(&f.id) && bank.has_rubric(&f.id))
            .collect();
        let messages = prompt.messages(q, answer, &gaps, &linked)?;
        let work = followup::phrase(&llm.client, &messages, &linked);
        let Some(reply) = self.console.run(work) else {
            return Err(Error::Interrupted {
                hint: format!(
                    "that answer was graded and saved in {}",
                    self.opts.history_path.display()
                ),
            });
        };
        match reply {
            Ok(p) => Ok(Some(Offer::Phrased {
                text: p.question,
                linked: p
                    .linked
                    .and_then(|id| linked.iter().copied().find(|f| f.id == id)),
                gaps: gaps.into_iter().map(|g| g.id).collect(),
            })),
            Err(e) => {
                let why = match e {
                    PhraseError::Endpoint(e) => e.to_string(),
                    PhraseError::Invalid(why) => format!("invalid reply: {why}"),
                };
                let why = why.split_whitespace().collect::<Vec<_>>().join(" ");
                self.ctx.note(&format!(
                    "warning: the model did not phrase a follow-up ({why}); offering the bank's instead"
                ));
                Ok(None)
            }
        }
    }

    /// The heading line of a phrased offer.
    pub(super) fn phrased_heading(&self, linked: Option<&Question>, gaps: &[String]) -> String {
        let paint = self.ctx.paint;
        let from = gaps
            .iter()
            .take(NAMED)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        let (title, why) = match linked {
            Some(f) => (
                format!("Follow-up: {}", f.id),
                format!("phrased by the model from {from}"),
            ),
            None => (
                "Follow-up".to_string(),
                format!("phrased by the model from {from}; not in the bank, so not graded"),
            ),
        };
        // A new line, so it may wrap at the piped width too.
        let width = crate::report::width::columns();
        Fit::at(Some(width), 2)
            .push("", &title, &paint.bold(&title))
            .push("  ", &why, &paint.dim(&why))
            .finish()
    }

    /// Asks a phrased follow-up that no bank question fits, and records the
    /// answer ungraded; `Step::Quit` when the candidate quit instead.
    pub(super) fn ungraded_follow_up(
        &mut self,
        after: &Question,
        text: &str,
        gaps: Vec<String>,
    ) -> Result<Step> {
        self.show_phrased(after, text, "follow-up, ungraded")?;
        let answer = match self.take_answer(after, None)? {
            Step::Answer(a) => a,
            other => return Ok(other),
        };
        let entry = Ungraded {
            schema: UNGRADED_SCHEMA.to_string(),
            timestamp: history::now()?,
            question_id: after.id.clone(),
            topic: after.topic.clone(),
            level: after.level.as_str().to_string(),
            follow_up: text.to_string(),
            probes: gaps,
            answer: answer.clone(),
        };
        history::append(&self.opts.history_path, &entry)?;
        let note = "Noted, not graded: the bank has no rubric for this follow-up. \
                    `viva progress --question` shows it with your attempts.";
        let note = format!(
            "\n{}\n",
            super::wrap(note, 0, crate::report::width::columns())
        );
        self.ctx.print(&self.ctx.paint.dim(&note))?;
        Ok(Step::Answer(answer))
    }

    /// The rule and the model's wording of a follow-up to `q`.
    pub(super) fn show_phrased(&mut self, q: &Question, text: &str, label: &str) -> Result<()> {
        let paint = self.ctx.paint;
        let width = crate::report::width::columns();
        let title = crate::report::width::truncate(
            &format!("── {label} · {} · {} ", q.topic, q.level.as_str()),
            width,
        );
        let fill = width.saturating_sub(crate::report::width::display(&title));
        let out = format!(
            "\n{}\n{}\n{}\n",
            paint.dim(&format!("{title}{}", "─".repeat(fill))),
            paint.bold(&q.id),
            super::wrap(text, 0, width)
        );
        self.ctx.print(&out)
    }
}

/// The points `grading` did not fully make: missed before half made, then
/// the heavier first, as the offline choice ranks them.
fn gaps(grading: &Grading) -> Vec<Gap> {
    let mut short: Vec<_> = grading.points.iter().filter(|p| p.found() < 1.0).collect();
    short.sort_by(|a, b| {
        a.score
            .total_cmp(&b.score)
            .then(b.weight.total_cmp(&a.weight))
    });
    short
        .into_iter()
        .map(|p| Gap {
            id: p.id.clone(),
            text: p.text.clone(),
            half: p.score > 0.0,
        })
        .collect()
}
