//! Typing an answer at the prompt with line editing (rustyline).
//!
//! Arrow keys, Home/End, word moves and history-free editing come from
//! rustyline, chosen over reedline because it needs no async runtime of its
//! own, leaves SIGINT to the session when it is not reading, and its
//! validator makes multi-line input simple. Enter submits, unless the answer
//! is inside an unclosed ``` code block or its last line ends with `\`;
//! Alt-Enter always starts a new line, so prose can hold blank lines too.
//! Ctrl-D submits whatever is typed, code block open or not, and quits on
//! an empty prompt.
//! A retry starts from the previous answer. Ctrl-C keeps what was typed as a
//! draft, which the caller saves and offers next time.
//!
//! Only used when stdin is a terminal; piped input keeps line-based reading.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{
    Cmd, ConditionalEventHandler, Editor, Event, EventContext, EventHandler, Helper, KeyCode,
    KeyEvent, Modifiers, RepeatCount,
};

/// What the prompt got.
#[derive(Debug, PartialEq, Eq)]
pub enum Typed {
    /// The submitted answer (may be empty).
    Answer(String),
    /// Ctrl-D on an empty prompt (on a non-empty one it submits).
    Eof,
    /// Ctrl-C, with what had been typed so far.
    Interrupted(String),
}

/// Whether Enter should start a new line instead of submitting.
pub fn incomplete(input: &str) -> bool {
    let fences = input
        .lines()
        .filter(|l| l.trim_start().starts_with("```"))
        .count();
    fences % 2 == 1 || input.trim_end_matches([' ', '\t']).ends_with('\\')
}

struct AnswerHelper;

impl Completer for AnswerHelper {
    type Candidate = String;
}
impl Hinter for AnswerHelper {
    type Hint = String;
}
impl Highlighter for AnswerHelper {}
impl Helper for AnswerHelper {}
impl Validator for AnswerHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(if incomplete(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

/// Ctrl-D: quit on an empty answer, else submit the answer as it stands,
/// even inside an open ``` block or with the cursor mid-line. rustyline's
/// default deletes the character under the cursor instead, which left no
/// key that always submits; the Delete key still deletes.
struct SubmitOrQuit;

impl ConditionalEventHandler for SubmitOrQuit {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        Some(if ctx.line().is_empty() {
            Cmd::EndOfFile
        } else {
            // Unlike Enter's AcceptOrInsertLine, AcceptLine skips the validator.
            Cmd::AcceptLine
        })
    }
}

/// Ctrl-C: remember the buffer, then interrupt.
struct KeepDraft(Arc<Mutex<String>>);

impl ConditionalEventHandler for KeepDraft {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        if let Ok(mut d) = self.0.lock() {
            *d = ctx.line().to_string();
        }
        Some(Cmd::Interrupt)
    }
}

/// How the prompt explains its keys.
pub const KEYS: &str = "Enter submits; Alt-Enter, a trailing \\ or an open ``` block adds a line; \
                        Ctrl-D submits as it stands (quits when empty); Ctrl-C keeps a draft and quits";

/// Where an interrupted answer to `id` is kept: `drafts/ID.txt` beside the
/// history file.
pub fn draft_path(history: &Path, id: &str) -> PathBuf {
    history
        .parent()
        .unwrap_or(Path::new("."))
        .join("drafts")
        .join(format!("{id}.txt"))
}

/// Saves a draft; returns its path.
pub fn save_draft(history: &Path, id: &str, text: &str) -> std::io::Result<PathBuf> {
    let path = draft_path(history, id);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, text)?;
    Ok(path)
}

/// Reads one answer, starting from `initial` (a retry's previous answer or
/// a saved draft).
pub fn read(prompt: &str, initial: &str) -> std::io::Result<Typed> {
    let mut ed: Editor<AnswerHelper, rustyline::history::DefaultHistory> =
        Editor::new().map_err(std::io::Error::other)?;
    ed.set_helper(Some(AnswerHelper));
    ed.bind_sequence(
        KeyEvent(KeyCode::Enter, Modifiers::ALT),
        EventHandler::Simple(Cmd::Newline),
    );
    ed.bind_sequence(
        KeyEvent::ctrl('D'),
        EventHandler::Conditional(Box::new(SubmitOrQuit)),
    );
    let draft = Arc::new(Mutex::new(String::new()));
    ed.bind_sequence(
        KeyEvent::ctrl('C'),
        EventHandler::Conditional(Box::new(KeepDraft(draft.clone()))),
    );
    match ed.readline_with_initial(prompt, (initial, "")) {
        Ok(text) => Ok(Typed::Answer(text)),
        Err(ReadlineError::Eof) => Ok(Typed::Eof),
        Err(ReadlineError::Interrupted) => {
            let kept = draft.lock().map(|d| d.clone()).unwrap_or_default();
            Ok(Typed::Interrupted(kept))
        }
        Err(e) => Err(std::io::Error::other(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::incomplete;

    #[test]
    fn enter_submits_unless_a_code_block_or_continuation_is_open() {
        assert!(!incomplete("The GIL is a lock."));
        assert!(incomplete("Like this:\n```python\nx = 1\n\n"));
        assert!(!incomplete("Like this:\n```python\nx = 1\n\ny = 2\n```"));
        assert!(incomplete("First paragraph. \\"));
        assert!(!incomplete(""));
    }
}
