//! Writing an answer in the user's own editor (`--editor`).
//!
//! Long answers with paragraphs or code are painful to type at a prompt, so,
//! like `git commit`, viva writes a temporary file whose commented header
//! restates the question, runs `$VISUAL` or `$EDITOR` on it through the
//! shell (so `EDITOR="code -w"` works), and reads back what is left once
//! the comment lines are dropped. On a retry the previous answer is already
//! in the file, to improve rather than retype.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::bank::Question;
use crate::error::{Error, Result};

/// Lines starting with this are the header and are dropped.
const COMMENT: char = '#';

/// What came back from the editor.
#[derive(Debug, PartialEq, Eq)]
pub enum Edited {
    /// The answer text (comment lines removed, trimmed).
    Answer(String),
    /// The file was left empty, or the editor exited with an error (like
    /// vim's `:cq`): the user gave up on this answer.
    Abandoned,
}

/// `$VISUAL`, else `$EDITOR`, ignoring empty values.
pub fn editor_command() -> Result<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .ok_or_else(|| {
            Error::usage(
                "--editor needs $VISUAL or $EDITOR to be set",
                "e.g. EDITOR=nano or EDITOR=\"code -w\"; or type the answer without --editor",
            )
        })
}

/// Lets the user write an answer to `question` in their editor.
pub fn compose(editor: &str, question: &Question, draft: Option<&str>) -> Result<Edited> {
    let path = temp_path(&question.id);
    let mut body = header(question);
    if let Some(d) = draft {
        body.push_str(d.trim_end());
        body.push('\n');
    }
    std::fs::write(&path, body).map_err(|e| file_error(&path, e))?;
    let result = run_editor(editor, &path).and_then(|ok| {
        let text = std::fs::read_to_string(&path).map_err(|e| file_error(&path, e))?;
        Ok((ok, text))
    });
    let _ = std::fs::remove_file(&path);
    let (ok, text) = result?;
    let answer = strip_comments(&text);
    Ok(if ok && !answer.is_empty() {
        Edited::Answer(answer)
    } else {
        Edited::Abandoned
    })
}

/// The commented header: the question, then how the file is used.
pub fn header(question: &Question) -> String {
    let mut h = format!(
        "{COMMENT} {}  ({} · {})\n",
        question.id,
        question.topic,
        question.level.as_str()
    );
    for line in super::wrap(&question.text, 0, 76).lines() {
        h.push_str(&format!("{COMMENT} {line}\n"));
    }
    h.push_str(&format!(
        "{COMMENT}\n{COMMENT} Write your answer below, save and close the editor to grade it.\n\
         {COMMENT} Lines starting with '{COMMENT}' are dropped (indent code comments to keep them);\n\
         {COMMENT} an empty answer skips the question.\n\n"
    ));
    h
}

/// The answer without header lines, trimmed.
pub fn strip_comments(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with(COMMENT))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

fn temp_path(id: &str) -> PathBuf {
    let nonce = fastrand::u32(..);
    std::env::temp_dir().join(format!("viva-{id}-{}-{nonce:08x}.md", std::process::id()))
}

/// Runs the editor through the shell; `Ok(false)` when it exited with an
/// error, an error when it could not be started at all.
fn run_editor(editor: &str, path: &Path) -> Result<bool> {
    let status = shell(editor, path).status().map_err(|e| {
        Error::usage(
            format!("cannot run the editor `{editor}`: {e}"),
            "check $VISUAL / $EDITOR",
        )
    })?;
    match status.code() {
        Some(126 | 127) => Err(Error::usage(
            format!("cannot run the editor `{editor}` (exit status {status})"),
            "check $VISUAL / $EDITOR: the command must exist and wait until the file is closed",
        )),
        _ => Ok(status.success()),
    }
}

/// `sh -c '<editor> "$1"' sh <path>`: the editor string may hold arguments,
/// the path is passed as a parameter so it needs no quoting.
#[cfg(unix)]
fn shell(editor: &str, path: &Path) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(path);
    cmd
}

#[cfg(windows)]
fn shell(editor: &str, path: &Path) -> Command {
    let mut cmd = Command::new("cmd");
    cmd.arg("/C")
        .arg(format!("{editor} \"{}\"", path.display()));
    cmd
}

fn file_error(path: &Path, e: std::io::Error) -> Error {
    Error::Other(anyhow::anyhow!(
        "cannot use the answer file {}: {e}",
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;

    #[test]
    fn the_header_is_dropped_and_the_answer_kept() {
        let bank = Bank::embedded().unwrap();
        let q = bank.question("gil-what-it-protects").unwrap();
        let text = format!(
            "{}The GIL is a lock.\n\n    # an indented code comment stays\n# a note\n",
            header(q)
        );
        assert_eq!(
            strip_comments(&text),
            "The GIL is a lock.\n\n    # an indented code comment stays"
        );
        assert!(header(q).starts_with("# gil-what-it-protects  (concurrency · senior)\n# "));
    }

    #[cfg(unix)]
    #[test]
    fn a_scripted_editor_writes_the_answer() {
        let bank = Bank::embedded().unwrap();
        let q = bank.question("gil-what-it-protects").unwrap();
        let edited = compose("sed -i 's/^$/Threads share one lock./'", q, None).unwrap();
        assert_eq!(edited, Edited::Answer("Threads share one lock.".into()));
        assert_eq!(compose("true", q, None).unwrap(), Edited::Abandoned);
        assert_eq!(
            compose("false", q, Some("draft")).unwrap(),
            Edited::Abandoned
        );
        assert!(compose("no-such-editor-xyz", q, None).is_err());
    }
}
