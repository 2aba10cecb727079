//! The practice loop: question → answer → feedback → next, retry or quit.
//!
//! Each graded attempt is appended to the history before its feedback is
//! shown, so whatever ends the session (q, Ctrl-D, Ctrl-C, a closed pipe)
//! keeps every answer already graded. Every prompt reads one line of stdin,
//! which makes the whole session scriptable: pipe in an answer, an empty
//! line and `q`.

mod mock;
mod phrase;

use std::collections::HashSet;
use std::path::PathBuf;

use fastrand::Rng;

use super::clock::Clock;
use super::console::{Console, Line};
use super::editor::{self, Edited};
use super::feedback::{self, Extras};
use super::followup::{self, Reason};
use super::history::{self, Attempt};
use super::line::{self, Typed};
use super::{recorder, select, wrap};
use crate::answer;
use crate::bank::{Bank, Question};
use crate::commands::Context;
use crate::commands::spoken::Given;
use crate::config::SttConfig;
use crate::error::{Error, ExitStatus, Result};
use crate::grade::Grading;
use crate::grade::backend::Graders;
use crate::report::fit::{Fit, wrap_known};
use crate::report::width::{display, truncate};
use crate::stt::{Spoken, Transcriber};
use phrase::Offer;

/// How a session is set up; built and checked by `commands::practice`.
pub struct Options<'b> {
    /// Questions `--topic`/`--level` allow.
    pub pool: Vec<&'b Question>,
    /// `--question`: asked first, before the weighted choice takes over.
    pub first: Option<&'b Question>,
    /// `--answer-file`: the answer to the first question (text or a recording).
    pub answer_file: Option<Given>,
    /// `--record`: the recorder command and the transcription settings.
    pub record: Option<(String, SttConfig)>,
    /// The editor command, with `--editor`.
    pub editor: Option<String>,
    pub reveal: bool,
    pub history_path: PathBuf,
    pub graders: Graders,
    pub rng: Rng,
    /// `--mock`: a timed interview instead of open-ended practice.
    pub mock: Option<MockOptions>,
    /// With an LLM grader: the prompt that asks the model to phrase
    /// follow-ups (not used in mock interviews).
    pub phrasing: Option<crate::llm::followup::FollowUpPrompt>,
}

/// How a mock interview is set up (`--mock`, `--summary-out`).
pub struct MockOptions {
    /// How long the interview lasts.
    pub duration: std::time::Duration,
    /// `--summary-out`: where to write the summary as markdown.
    pub summary_out: Option<PathBuf>,
    /// The clock, real or (in tests) fake.
    pub clock: Clock,
}

/// What came of asking for an answer.
enum Step {
    Answer(String),
    /// Skip this answer (nothing written), but keep the session going.
    Skip,
    /// End the session; `abrupt` when by Ctrl-D/Ctrl-C (the cursor is
    /// still on the prompt line).
    Quit {
        abrupt: bool,
    },
}

/// What to do after an answer.
enum Choice {
    Next,
    FollowUp,
    Retry,
    Quit { abrupt: bool },
}

pub struct Session<'a, 'c, 'b> {
    ctx: &'a mut Context<'c>,
    bank: &'b Bank,
    opts: Options<'b>,
    history: Vec<Attempt>,
    console: Console,
    /// Percent scores graded in this session.
    graded: Vec<f64>,
    /// What the recording of the answer being graded told, if it was one.
    spoken: Option<Spoken>,
    /// Recordings made this session, for their file names.
    recordings: usize,
    /// Questions asked this session: a follow-up is never one of them.
    asked: HashSet<String>,
    /// The follow-up offered after the last graded answer.
    offer: Option<Offer<'b>>,
}

impl<'a, 'c, 'b> Session<'a, 'c, 'b> {
    pub fn new(
        ctx: &'a mut Context<'c>,
        bank: &'b Bank,
        opts: Options<'b>,
        history: Vec<Attempt>,
        console: Console,
    ) -> Self {
        Session {
            ctx,
            bank,
            opts,
            history,
            console,
            graded: Vec::new(),
            spoken: None,
            recordings: 0,
            asked: HashSet::new(),
            offer: None,
        }
    }

    /// Runs until the user quits; Ctrl-C while grading exits with 130.
    pub fn run(mut self) -> Result<ExitStatus> {
        if self.opts.mock.is_some() {
            return self.run_mock();
        }
        let mut question = match self.opts.first {
            Some(q) => q,
            None => self.next_question(None)?,
        };
        let (mut number, mut try_no, mut follow_up) = (1, 1, false);
        let mut draft: Option<String> = None;
        // The model's wording of a linked follow-up, asked instead of the bank's.
        let mut wording: Option<String> = None;
        let abrupt = loop {
            let label = if follow_up { "follow-up" } else { "" };
            self.show_question(question, number, try_no, label, wording.as_deref())?;
            self.offer = None;
            let answer = match self.take_answer(question, draft.as_deref())? {
                Step::Answer(text) => Some(text),
                Step::Skip => None,
                Step::Quit { abrupt } => break abrupt,
            };
            if let Some(text) = &answer {
                let grading = self.grade(question, text)?;
                self.offer_follow_up(question, &grading, text)?;
            }
            draft = answer.or(draft);
            let choice = loop {
                match self.choose()? {
                    Choice::FollowUp => match self.offer.take().expect("offered") {
                        Offer::Phrased {
                            text,
                            linked: None,
                            gaps,
                        } => {
                            // Ungraded: then back to this prompt, the offer used.
                            if let Step::Quit { abrupt } =
                                self.ungraded_follow_up(question, &text, gaps)?
                            {
                                break Choice::Quit { abrupt };
                            }
                        }
                        offer => {
                            self.offer = Some(offer);
                            break Choice::FollowUp;
                        }
                    },
                    other => break other,
                }
            };
            match choice {
                Choice::Retry => try_no += 1,
                Choice::Next => {
                    question = self.next_question(Some(&question.id))?;
                    (number, try_no, draft, follow_up) = (number + 1, 1, None, false);
                    wording = None;
                }
                Choice::FollowUp => {
                    (question, wording) = match self.offer.take().expect("offered") {
                        Offer::Bank(f) => (f.question, None),
                        Offer::Phrased { text, linked, .. } => {
                            (linked.expect("an unlinked one is asked above"), Some(text))
                        }
                    };
                    (number, try_no, draft, follow_up) = (number + 1, 1, None, true);
                }
                Choice::Quit { abrupt } => break abrupt,
            }
        };
        self.summary(abrupt)?;
        Ok(ExitStatus::Success)
    }

    fn next_question(&mut self, avoid: Option<&str>) -> Result<&'b Question> {
        let now = history::now()?;
        let pool = &self.opts.pool;
        Ok(
            select::choose(pool, &self.history, now, avoid, &mut self.opts.rng)
                .expect("the pool is never empty"),
        )
    }

    /// The rule, id and text of a question (or the model's `wording` of
    /// it); `label` ("follow-up", the time left...) goes into the rule when
    /// not empty.
    fn show_question(
        &mut self,
        q: &Question,
        number: usize,
        try_no: usize,
        label: &str,
        wording: Option<&str>,
    ) -> Result<()> {
        self.asked.insert(q.id.clone());
        let paint = self.ctx.paint;
        let retry = if try_no > 1 {
            format!(", try {try_no}")
        } else {
            String::new()
        };
        let label = if label.is_empty() {
            String::new()
        } else {
            format!(" · {label}")
        };
        let about = format!("{} · {}", q.topic, q.level.as_str());
        let width = crate::report::width::columns();
        let mut title = format!("── Question {number}{retry}{label} · {about} ");
        let mut id = paint.bold(&q.id);
        if display(&title) > width {
            // Too narrow for the rule to hold the topic: it follows the id.
            title = truncate(&format!("── Question {number}{retry}{label} "), width);
            id = Fit::new(2)
                .push("", &q.id, &id)
                .push("  ", &about, &paint.dim(&about))
                .finish();
        }
        let fill = width.saturating_sub(display(&title));
        let text = format!(
            "\n{}\n{id}\n{}\n",
            paint.dim(&format!("{title}{}", "─".repeat(fill))),
            wrap(wording.unwrap_or(&q.text), 0, width)
        );
        self.ctx.print(&text)
    }

    /// The answer from `--answer-file`, the editor, or typed lines.
    fn take_answer(&mut self, q: &Question, draft: Option<&str>) -> Result<Step> {
        self.spoken = None;
        match self.opts.answer_file.take() {
            Some(Given::Text(a)) => {
                let note = format!("\nAnswer from {}\n", a.origin);
                self.ctx.print(&self.ctx.paint.dim(&note))?;
                return Ok(Step::Answer(a.text));
            }
            Some(Given::Audio(audio, cfg)) => {
                let note = format!("\nAnswer recorded in {}\n", audio.origin);
                self.ctx.print(&self.ctx.paint.dim(&note))?;
                return self.heard(q, &audio, *cfg);
            }
            None => {}
        }
        if let Some((cmd, cfg)) = self.opts.record.clone() {
            return self.recorded_answer(q, &cmd, cfg);
        }
        match self.opts.editor.clone() {
            Some(cmd) => self.edited_answer(&cmd, q, draft),
            None if self.console.interactive => self.line_answer(q, draft),
            None => self.typed_answer(),
        }
    }

    /// Typed in a terminal, with line editing (see [`line`]): a retry starts
    /// from the previous answer, Ctrl-C keeps a draft offered next time.
    fn line_answer(&mut self, q: &Question, draft: Option<&str>) -> Result<Step> {
        let history = self.opts.history_path.clone();
        let saved = line::draft_path(&history, &q.id);
        let kept = std::fs::read_to_string(&saved).ok();
        let restored = draft.is_none() && kept.is_some();
        let initial = draft.map(str::to_string).or(kept).unwrap_or_default();
        let from = if restored {
            ", your unsent draft restored"
        } else {
            ""
        };
        let hint = format!("Your answer{from} ({}):", line::KEYS);
        let hint = wrap(&hint, 0, crate::report::width::columns());
        self.ctx
            .print(&format!("\n{}\n", self.ctx.paint.dim(&hint)))?;
        let typed = line::read("> ", &initial)
            .map_err(|e| Error::Other(anyhow::anyhow!("cannot read the terminal: {e}")))?;
        match typed {
            Typed::Answer(t) if t.trim().is_empty() => {
                self.ctx.print("No answer given; nothing graded.\n")?;
                Ok(Step::Skip)
            }
            Typed::Answer(t) => {
                let _ = std::fs::remove_file(&saved);
                Ok(self.checked(t.as_bytes()))
            }
            Typed::Eof => Ok(Step::Quit { abrupt: true }),
            Typed::Interrupted(t) if t.trim().is_empty() => Ok(Step::Quit { abrupt: true }),
            Typed::Interrupted(t) => {
                let path = line::save_draft(&history, &q.id, &t)
                    .map_err(|e| Error::Other(anyhow::anyhow!("cannot keep the draft: {e}")))?;
                Err(Error::Interrupted {
                    hint: format!(
                        "your answer so far is kept in {} and offered the next time this question comes up",
                        path.display()
                    ),
                })
            }
        }
    }

    /// Records until Enter, then transcribes the recording.
    fn recorded_answer(&mut self, q: &Question, cmd: &str, cfg: SttConfig) -> Result<Step> {
        self.recordings += 1;
        let file = std::env::temp_dir().join(format!(
            "viva-answer-{}-{}.wav",
            std::process::id(),
            self.recordings
        ));
        let note = if self.opts.mock.is_some() {
            let note = "Recording: answer out loud, then press Enter to stop (q then Enter, or \
                        Ctrl-D, ends the interview).";
            format!("\n{}\n", wrap(note, 0, crate::report::width::columns()))
        } else {
            "\nRecording: answer out loud, then press Enter to stop (Ctrl-D or Ctrl-C quits).\n"
                .to_string()
        };
        self.ctx.print(&self.ctx.paint.dim(&note))?;
        let child = recorder::start(cmd, &file).map_err(|e| {
            Error::usage(
                format!("cannot start the recorder `{cmd}`: {e}"),
                "check VIVA_RECORD_CMD, or install sox (`rec`) or alsa-utils (`arecord`)",
            )
        })?;
        let line = self.read_line();
        recorder::stop(child, &file);
        let step = match line? {
            Line::Eof | Line::Interrupted => Ok(Step::Quit { abrupt: true }),
            // In a mock interview, `q` then Enter ends it, as a typed `q` does.
            Line::Text(t) if self.opts.mock.is_some() && mock::ends_interview(&t) => {
                Ok(Step::Quit { abrupt: false })
            }
            Line::Text(_) => match crate::audio::read_if_audio(&file, cfg.max_bytes.value) {
                Ok(Some(mut audio)) => {
                    audio.origin = format!("recording {}", self.recordings);
                    self.heard(q, &audio, cfg)
                }
                Ok(None) => {
                    eprintln!(
                        "error: the recorder `{cmd}` wrote no audio\n  hint: check that it records to the file it is given ({{file}})"
                    );
                    Ok(Step::Skip)
                }
                Err(e) => {
                    eprintln!("{}", Error::from(e).render());
                    Ok(Step::Skip)
                }
            },
        };
        let _ = std::fs::remove_file(&file);
        step
    }

    /// Transcribes a recording into the answer to grade; a recording that
    /// cannot be transcribed is skipped with the reason, like a bad typed
    /// answer, unless the endpoint itself is at fault.
    fn heard(&mut self, q: &Question, audio: &crate::audio::Audio, cfg: SttConfig) -> Result<Step> {
        let (_, rubric) = crate::commands::lookup(self.bank, &q.id)?;
        let transcriber = Transcriber::new(cfg)?;
        let prompt = crate::stt::prompt::for_question(q, rubric);
        self.ctx.print(&self.ctx.paint.dim("Transcribing…\n"))?;
        let work = crate::stt::hear(&transcriber, audio, Some(&prompt));
        let Some(result) = self.console.run(work) else {
            return Ok(Step::Quit { abrupt: true });
        };
        match result {
            Ok(spoken) => {
                let text = spoken.transcript.answer_text();
                self.spoken = Some(spoken);
                Ok(Step::Answer(text))
            }
            Err(e) if !e.is_endpoint_failure() => {
                eprintln!("{}", Error::from(e).render());
                Ok(Step::Skip)
            }
            Err(e) => Err(e.into()),
        }
    }

    fn edited_answer(&mut self, cmd: &str, q: &Question, draft: Option<&str>) -> Result<Step> {
        let note = format!("\nWriting the answer in `{cmd}`…\n");
        self.ctx.print(&self.ctx.paint.dim(&note))?;
        match editor::compose(cmd, q, draft)? {
            Edited::Answer(text) => Ok(self.checked(text.as_bytes())),
            Edited::Abandoned => {
                self.ctx.print("No answer written; nothing graded.\n")?;
                Ok(Step::Skip)
            }
        }
    }

    /// Lines up to an empty line; end of input after some text submits it.
    fn typed_answer(&mut self) -> Result<Step> {
        let hint = "Your answer (an empty line submits it; Ctrl-D or Ctrl-C quits):";
        let hint = format!("\n{}\n", wrap_known(hint, 0));
        self.ctx.print(&self.ctx.paint.dim(&hint))?;
        let mut lines: Vec<String> = Vec::new();
        loop {
            if self.console.interactive {
                self.ctx.print(&self.ctx.paint.dim("> "))?;
            }
            match self.read_line()? {
                Line::Text(l) if l.trim().is_empty() => break,
                Line::Text(l) => lines.push(l),
                Line::Eof if !lines.is_empty() => break,
                Line::Eof => return Ok(Step::Quit { abrupt: true }),
                Line::Interrupted => return Ok(Step::Quit { abrupt: true }),
            }
        }
        if lines.is_empty() {
            self.ctx.print("No answer given; nothing graded.\n")?;
            return Ok(Step::Skip);
        }
        Ok(self.checked(lines.join("\n").as_bytes()))
    }

    /// Applies the same checks as answer files (size, binary, transcripts).
    fn checked(&mut self, bytes: &[u8]) -> Step {
        match answer::from_bytes("typed", bytes, None) {
            Ok(a) => Step::Answer(a.text),
            Err(e) => {
                eprintln!("{}", Error::from(e).render());
                Step::Skip
            }
        }
    }

    fn read_line(&mut self) -> Result<Line> {
        let line = self
            .console
            .read_line()
            .map_err(|e| Error::Other(anyhow::anyhow!("cannot read the terminal: {e}")));
        if let (Some(m), Ok(Line::Text(_))) = (&self.opts.mock, &line) {
            m.clock.line_read();
        }
        line
    }

    /// Grades, appends to the history, then shows the feedback.
    fn grade(&mut self, q: &Question, text: &str) -> Result<Grading> {
        let (grading, attempt) = self.grade_and_save(q, text)?;
        let (_, rubric) = crate::commands::lookup(self.bank, &q.id)?;
        let previous = self.history.iter().rev().find(|a| a.question_id == q.id);
        let strong = self
            .opts
            .reveal
            .then(|| rubric.examples.iter().find(|e| e.label == "strong"))
            .flatten()
            .map(|e| e.text.as_str());
        let extras = Extras {
            previous,
            strong_answer: strong,
        };
        let shown = crate::report::terminal::grading(&grading);
        let mut screen = feedback::render(&shown, &extras, &self.ctx.paint);
        if shown.spoken.is_some() {
            screen.push('\n');
            screen.push_str(&crate::report::spoken_block(&shown, &self.ctx.paint));
        }
        self.graded.push(attempt.percent);
        self.history.push(attempt);
        self.ctx.print(&format!("\n{screen}"))?;
        Ok(grading)
    }

    /// Grades and appends the attempt to the history file; the caller
    /// keeps it in memory once it has used the previous attempts.
    fn grade_and_save(&mut self, q: &Question, text: &str) -> Result<(Grading, Attempt)> {
        // The pool holds questions with a rubric file; a broken one is an error.
        let (_, rubric) = crate::commands::lookup(self.bank, &q.id)?;
        let work = self.opts.graders.grade(q, rubric, text);
        let Some(graded) = self.console.run(work) else {
            return Err(Error::Interrupted {
                hint: format!(
                    "that answer was not graded; earlier ones are in {}",
                    self.opts.history_path.display()
                ),
            });
        };
        let graded = graded?;
        if let Some(fallback) = &graded.fallback {
            self.ctx.note(&format!("warning: {fallback}"));
        }
        let mut grading = graded.grading;
        if let Some(sp) = self.spoken.take() {
            grading.attach_spoken(sp);
        }
        let attempt = Attempt::from_grading(&grading, history::now()?).with_answer(text);
        history::append(&self.opts.history_path, &attempt)?;
        Ok((grading, attempt))
    }

    /// Chooses the follow-up to `q` that probes what `grading` missed (or
    /// has the model phrase one, see [`phrase`]), and shows it; `[f]` at
    /// the next prompt asks it.
    fn offer_follow_up(&mut self, q: &Question, grading: &Grading, answer: &str) -> Result<()> {
        self.offer = match self.phrased_offer(q, grading, answer)? {
            Some(phrased) => Some(phrased),
            None => {
                let asked = &self.asked;
                followup::choose(self.bank, q, grading, &|id| asked.contains(id)).map(Offer::Bank)
            }
        };
        let width = crate::report::width::columns();
        let (head, text) = match &self.offer {
            None => return Ok(()),
            Some(Offer::Phrased { text, linked, gaps }) => {
                (self.phrased_heading(*linked, gaps), text.as_str())
            }
            Some(Offer::Bank(offer)) => {
                let paint = self.ctx.paint;
                let why = match &offer.reason {
                    Reason::Missed { point } => format!("probes {point}"),
                    Reason::Overlap { points } => format!("probes {}", points.join(", ")),
                    Reason::Deeper => "goes deeper".to_string(),
                };
                let title = format!("Follow-up: {}", offer.question.id);
                let head = Fit::new(2)
                    .push("", &title, &paint.bold(&title))
                    .push("  ", &why, &paint.dim(&why))
                    .finish();
                (head, offer.question.text.as_str())
            }
        };
        let out = format!("\n{head}\n  {}\n", wrap(text, 2, width));
        self.ctx.print(&out)
    }

    /// Asks until the answer is n, r or q.
    fn choose(&mut self) -> Result<Choice> {
        loop {
            let choices = if self.offer.is_some() {
                "[f]ollow-up, [n]ext question, [r]etry, [q]uit ›"
            } else {
                "[n]ext question, [r]etry, [q]uit ›"
            };
            let prompt = format!("\n{} ", self.ctx.paint.bold(&wrap_known(choices, 0)));
            self.ctx.print(&prompt)?;
            let line = self.read_line()?;
            if let Line::Text(t) = &line
                && !self.console.interactive
            {
                // Piped input is not echoed; show it so a transcript reads right.
                self.ctx.print(&format!("{t}\n"))?;
            }
            match line {
                Line::Eof | Line::Interrupted => return Ok(Choice::Quit { abrupt: true }),
                Line::Text(t) => match t.trim().to_lowercase().as_str() {
                    "f" | "follow-up" if self.offer.is_some() => return Ok(Choice::FollowUp),
                    "n" | "next" => return Ok(Choice::Next),
                    "r" | "retry" => return Ok(Choice::Retry),
                    "q" | "quit" => return Ok(Choice::Quit { abrupt: false }),
                    _ if self.offer.is_some() => self.ctx.print("Type f, n, r or q.\n")?,
                    _ => self.ctx.print("Type n, r or q.\n")?,
                },
            }
        }
    }

    fn summary(&mut self, abrupt: bool) -> Result<()> {
        // After Ctrl-D/Ctrl-C the cursor is still on the prompt line.
        let mut out = String::from(if abrupt { "\n\n" } else { "\n" });
        if self.graded.is_empty() {
            out.push_str("Nothing graded this session.\n");
        } else {
            let mean = self.graded.iter().sum::<f64>() / self.graded.len() as f64;
            let said = format!(
                "Graded {} answer(s) this session, mean {:.1}%. Saved to {};\n\
                 `viva progress` shows your mastery per topic.",
                self.graded.len(),
                mean,
                self.opts.history_path.display()
            );
            out.push_str(&wrap_known(&said, 0));
            out.push('\n');
        }
        self.ctx.print(&self.ctx.paint.dim(&out))
    }
}
