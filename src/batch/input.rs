//! Reading batch input as a stream of answers.
//!
//! CSV and JSONL files are read row by row and folders entry by entry, so
//! memory stays flat however large the input is. A row that cannot be used
//! (broken quoting, a missing column or file, an empty or non-UTF-8 answer)
//! becomes a [`RowError`] carrying its line number; it never stops the rest.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

use super::columns::{ColumnMap, HeaderError};
use crate::answer;

/// The layout of a batch input: `--input-format`, or detected from the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Csv,
    Jsonl,
    Dir,
}

/// How to read a CSV or JSONL input.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The CSV delimiter; sniffed from the first line when `None`.
    pub delimiter: Option<u8>,
    /// Header names chosen by the user (`--columns`).
    pub columns: ColumnMap,
}

/// Why an input cannot be read at all (as opposed to one bad row).
#[derive(Debug)]
pub enum OpenError {
    Io(std::io::Error),
    /// The file holds nothing, not even a header.
    Empty,
    Header(HeaderError),
}

impl From<std::io::Error> for OpenError {
    fn from(e: std::io::Error) -> Self {
        OpenError::Io(e)
    }
}

/// One answer to grade.
#[derive(Debug, Clone)]
pub struct Item {
    /// 1-based position: the line of a CSV/JSONL row, or the order in a folder.
    pub position: u64,
    pub candidate: String,
    pub question_id: String,
    /// The answer's text; for a recording, `audio sha256:<hex>` until it is
    /// transcribed, so fingerprints and resume work before any upload.
    pub answer: String,
    /// A recording to transcribe before grading.
    pub audio: Option<PathBuf>,
}

/// What stands for a recording's answer until it is transcribed.
pub fn audio_answer(sha256: &str) -> String {
    format!("audio sha256:{sha256}")
}

/// The SHA-256 of a file, read as a stream.
fn file_digest(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut f = File::open(path)?;
    std::io::copy(&mut f, &mut h)?;
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// A recording as an item, or the row error that says why it cannot be one.
fn audio_item(
    line: u64,
    path: &Path,
    candidate: &str,
    question_id: &str,
) -> Result<Option<Item>, RowError> {
    let err = |kind: &str, message: String| RowError {
        line,
        kind: kind.into(),
        message,
        candidate: Some(candidate.to_string()),
        question_id: Some(question_id.to_string()),
    };
    match crate::audio::sniff_file(path) {
        Ok(Some(_)) => {}
        Ok(None) => return Ok(None),
        Err(e) => return Err(err("undecodable-audio", e.to_string())),
    }
    let sha = file_digest(path).map_err(|e| {
        err(
            "missing-file",
            format!("cannot read recording {}: {e}", path.display()),
        )
    })?;
    Ok(Some(Item {
        position: line,
        candidate: candidate.trim().to_string(),
        question_id: question_id.trim().to_string(),
        answer: audio_answer(&sha),
        audio: Some(path.to_path_buf()),
    }))
}

/// A row that could not be read, with where it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowError {
    /// 1-based line (CSV/JSONL) or position (folder).
    pub line: u64,
    /// Stable kind: `broken-row`, `missing-field`, `missing-file`, `empty-answer`,
    /// `binary-answer`, `invalid-utf8`, `answer-too-large`, `unknown-question`.
    pub kind: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question_id: Option<String>,
}

pub type Row = Result<Item, RowError>;

/// Picks the format from the flag, or from the path.
pub fn detect(path: &Path, flag: Option<InputFormat>) -> Option<InputFormat> {
    if flag.is_some() {
        return flag;
    }
    if path.is_dir() {
        return Some(InputFormat::Dir);
    }
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("csv") => Some(InputFormat::Csv),
        Some("jsonl" | "ndjson") => Some(InputFormat::Jsonl),
        _ => None,
    }
}

/// The fields of a CSV or JSONL row.
#[derive(Debug, Default)]
pub(super) struct RawRow {
    pub candidate: Option<String>,
    pub question_id: Option<String>,
    pub answer: Option<String>,
    pub answer_file: Option<String>,
    pub audio: Option<String>,
}

fn answer_error(line: u64, e: answer::AnswerError) -> RowError {
    let kind = match &e {
        answer::AnswerError::Read { .. } => "missing-file",
        answer::AnswerError::Empty { .. } => "empty-answer",
        answer::AnswerError::Binary { .. } => "binary-answer",
        answer::AnswerError::InvalidUtf8 { .. } => "invalid-utf8",
        answer::AnswerError::TooLarge { .. } => "answer-too-large",
    };
    RowError {
        line,
        kind: kind.into(),
        message: e.to_string(),
        candidate: None,
        question_id: None,
    }
}

/// Turns a parsed row into an item, reading `answer_file` relative to `base`.
pub(super) fn finish(line: u64, raw: RawRow, base: &Path) -> Row {
    let missing = |field: &str| RowError {
        line,
        kind: "missing-field".into(),
        message: format!("row has no `{field}`"),
        candidate: raw.candidate.clone(),
        question_id: raw.question_id.clone(),
    };
    let candidate = raw
        .candidate
        .clone()
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| missing("candidate"))?;
    let question_id = raw
        .question_id
        .clone()
        .filter(|q| !q.trim().is_empty())
        .ok_or_else(|| missing("question_id"))?;
    let with_ids = |mut e: RowError| {
        e.candidate = Some(candidate.clone());
        e.question_id = Some(question_id.clone());
        e
    };
    let answer_file = raw
        .answer_file
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty());
    let has_text = raw.answer.as_deref().is_some_and(|t| !t.trim().is_empty());
    let audio = raw
        .audio
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty());
    // A recording: the `audio` column, or an answer file whose content is audio.
    if !has_text && let Some(file) = audio.or(answer_file) {
        let path = base.join(file);
        if let Some(item) = audio_item(line, &path, &candidate, &question_id)? {
            return Ok(item);
        }
        if audio.is_some() {
            let (kind, message) = if path.is_file() {
                (
                    "undecodable-audio",
                    format!(
                        "recording {} is not audio viva can recognise (not WAV, MP3, M4A, Ogg, FLAC or WebM)",
                        path.display()
                    ),
                )
            } else {
                (
                    "missing-file",
                    format!("cannot read recording {}: no such file", path.display()),
                )
            };
            return Err(with_ids(RowError {
                line,
                kind: kind.into(),
                message,
                candidate: None,
                question_id: None,
            }));
        }
    }
    let answer = match (&raw.answer, answer_file) {
        (Some(text), _) if !text.trim().is_empty() || answer_file.is_none() => {
            answer::from_bytes(&format!("on line {line}"), text.as_bytes(), Some("txt"))
                .map_err(|e| with_ids(answer_error(line, e)))?
        }
        (_, Some(file)) => {
            answer::read(&base.join(file)).map_err(|e| with_ids(answer_error(line, e)))?
        }
        _ => return Err(with_ids(missing("answer`, `answer_file` or `audio"))),
    };
    Ok(Item {
        position: line,
        candidate: candidate.trim().to_string(),
        question_id: question_id.trim().to_string(),
        answer: answer.text,
        audio: None,
    })
}

/// Opens the input as a stream of rows.
pub fn open(
    path: &Path,
    format: InputFormat,
    options: &Options,
) -> Result<Box<dyn Iterator<Item = Row> + Send>, OpenError> {
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(match format {
        InputFormat::Csv => Box::new(super::csv_rows::CsvRows::open(path, base, options)?),
        InputFormat::Jsonl => {
            let file = File::open(path)?;
            if file.metadata()?.len() == 0 {
                return Err(OpenError::Empty);
            }
            Box::new(jsonl_rows(file, base, options.columns.clone()))
        }
        InputFormat::Dir => Box::new(dir_rows(path)?),
    })
}

/// A JSONL object's fields, with keys mapped like CSV headers.
fn raw_from_object(
    object: serde_json::Map<String, serde_json::Value>,
    columns: &ColumnMap,
) -> RawRow {
    use super::columns::Field;
    let mut raw = RawRow::default();
    for (key, value) in object {
        let text = match value {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => continue,
            other => other.to_string(),
        };
        match columns.field_for(&key) {
            Some(Field::Candidate) => raw.candidate = Some(text),
            Some(Field::QuestionId) => raw.question_id = Some(text),
            Some(Field::Answer) => raw.answer = Some(text),
            Some(Field::AnswerFile) => raw.answer_file = Some(text),
            Some(Field::Audio) => raw.audio = Some(text),
            None => {}
        }
    }
    raw
}

fn jsonl_rows(file: File, base: PathBuf, columns: ColumnMap) -> impl Iterator<Item = Row> {
    let mut lines = BufReader::new(file).split(b'\n');
    let mut number = 0u64;
    std::iter::from_fn(move || {
        loop {
            number += 1;
            let bytes = match lines.next()? {
                Ok(b) => b,
                Err(e) => {
                    return Some(Err(RowError {
                        line: number,
                        kind: "broken-row".into(),
                        message: e.to_string(),
                        candidate: None,
                        question_id: None,
                    }));
                }
            };
            let text = match std::str::from_utf8(&bytes) {
                Ok(t) => t,
                Err(_) => {
                    return Some(Err(RowError {
                        line: number,
                        kind: "invalid-utf8".into(),
                        message: "line is not valid UTF-8".into(),
                        candidate: None,
                        question_id: None,
                    }));
                }
            };
            if text.trim().is_empty() {
                continue;
            }
            return Some(match serde_json::from_str::<serde_json::Map<_, _>>(text) {
                Ok(object) => finish(number, raw_from_object(object, &columns), &base),
                Err(e) => Err(RowError {
                    line: number,
                    kind: "broken-row".into(),
                    message: format!("not a JSON object with the expected fields: {e}"),
                    candidate: None,
                    question_id: None,
                }),
            });
        }
    })
}

const ANSWER_EXTENSIONS: &[&str] = &["md", "txt", "srt", "vtt"];

/// `DIR/<candidate>/<question_id>.<ext>` (text, subtitles or a recording),
/// in sorted order so positions are stable.
fn dir_rows(root: &Path) -> std::io::Result<impl Iterator<Item = Row> + use<>> {
    let mut candidates: Vec<PathBuf> = std::fs::read_dir(root)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    candidates.sort();
    let mut files = Vec::new();
    for dir in candidates {
        let mut answers: Vec<PathBuf> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && (crate::audio::has_audio_extension(p)
                        || p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                            ANSWER_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
                        }))
            })
            .collect();
        answers.sort();
        files.extend(answers);
    }
    Ok(files.into_iter().enumerate().map(|(i, path)| {
        let position = i as u64 + 1;
        let candidate = path
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let question_id = path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match audio_item(position, &path, &candidate, &question_id) {
            Ok(Some(item)) => return Ok(item),
            Ok(None) => {}
            Err(e) => return Err(e),
        }
        match answer::read(&path) {
            Ok(a) => Ok(Item {
                position,
                candidate,
                question_id,
                answer: a.text,
                audio: None,
            }),
            Err(e) => {
                let mut err = answer_error(position, e);
                err.candidate = Some(candidate);
                err.question_id = Some(question_id);
                Err(err)
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(format: InputFormat, name: &str, content: &[u8]) -> Vec<Row> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        std::fs::write(dir.path().join("ann.md"), "The GIL is a lock.").unwrap();
        open(&path, format, &Options::default()).unwrap().collect()
    }

    #[test]
    fn csv_rows_carry_line_numbers_and_errors() {
        let csv = "candidate,question_id,answer,answer_file\n\
            ann,q1,\"multi\nline answer\",\n\
            bob,q1,,ann.md\n\
            cy,q1,\"broken,quote\n\
            dee,q2,,\n\
            eve,q2,,missing.md\n";
        let r = rows(InputFormat::Csv, "in.csv", csv.as_bytes());
        assert_eq!(r[0].as_ref().unwrap().answer, "multi\nline answer");
        assert_eq!(r[0].as_ref().unwrap().position, 2);
        assert_eq!(r[1].as_ref().unwrap().answer, "The GIL is a lock.");
        assert_eq!(r[1].as_ref().unwrap().position, 4);
        let errs: Vec<&RowError> = r.iter().filter_map(|x| x.as_ref().err()).collect();
        assert!(
            errs.iter().any(|e| e.kind == "broken-row" && e.line == 5),
            "{errs:?}"
        );
    }

    #[test]
    fn an_unclosed_quote_is_a_broken_row_and_later_rows_survive() {
        // Regression: the csv crate read everything after `"never closed` as
        // one field, so bob and cy were silently lost.
        let csv = "candidate,question_id,answer\n\
            ann,q1,\"never closed\n\
            bob,q1,second answer\n\
            cy,q1,\"quoted, \"\"fine\"\" answer\"\n\
            dee,q1,a 5\" screen is fine unquoted\n";
        let r = rows(InputFormat::Csv, "in.csv", csv.as_bytes());
        let err = r[0].as_ref().unwrap_err();
        assert_eq!((err.line, err.kind.as_str()), (2, "broken-row"));
        let ok: Vec<(u64, String)> = r[1..]
            .iter()
            .map(|x| {
                let i = x.as_ref().unwrap();
                (i.position, i.answer.clone())
            })
            .collect();
        assert_eq!(
            ok,
            [
                (3, "second answer".to_string()),
                (4, "quoted, \"fine\" answer".to_string()),
                (5, "a 5\" screen is fine unquoted".to_string()),
            ]
        );
        let tail = rows(
            InputFormat::Csv,
            "in.csv",
            b"candidate,question_id,answer\nann,q1,\"x,y\n",
        );
        assert_eq!(
            tail[0].as_ref().unwrap_err().kind,
            "broken-row",
            "unclosed at the end of the file"
        );
    }

    #[test]
    fn crlf_line_numbers_match_lf_ones() {
        // Regression: with CRLF endings every line number was one too low.
        let lf = "candidate,question_id,answer\nann,q1,\nbob,q1,\"a\nb\"\ncy,q1,\"x,y\ndee,q1,z\n";
        let crlf = lf.replace('\n', "\r\n");
        let lines = |text: &str| -> Vec<u64> {
            rows(InputFormat::Csv, "in.csv", text.as_bytes())
                .iter()
                .map(|r| match r {
                    Ok(i) => i.position,
                    Err(e) => e.line,
                })
                .collect()
        };
        assert_eq!(lines(lf), [2, 3, 5, 6]);
        assert_eq!(lines(&crlf), [2, 3, 5, 6]);
    }

    #[test]
    fn jsonl_rows_report_bad_lines() {
        let jsonl = b"{\"candidate\":\"ann\",\"question_id\":\"q\",\"answer\":\"hi\"}\n\nnot json\n{\"candidate\":\"bob\",\"question_id\":\"q\",\"answer\":\"  \"}\n{\"candidate\":\"cy\",\"question_id\":\"q\",\"answer\":\"\xff\"}\n";
        let r = rows(InputFormat::Jsonl, "in.jsonl", jsonl);
        assert_eq!(r.len(), 4);
        assert!(r[0].is_ok());
        assert_eq!(r[1].as_ref().unwrap_err().line, 3);
        assert_eq!(r[2].as_ref().unwrap_err().kind, "empty-answer");
        assert_eq!(r[3].as_ref().unwrap_err().kind, "invalid-utf8");
    }

    #[test]
    fn folders_are_read_in_sorted_order() {
        let dir = tempfile::tempdir().unwrap();
        for (c, q, text) in [
            ("bob", "q2", "b2"),
            ("ann", "q1", "a1"),
            ("ann", "q2", "a2"),
        ] {
            std::fs::create_dir_all(dir.path().join(c)).unwrap();
            std::fs::write(dir.path().join(c).join(format!("{q}.md")), text).unwrap();
        }
        std::fs::write(dir.path().join("ann").join("notes.pdf"), "x").unwrap();
        let items: Vec<Item> = open(dir.path(), InputFormat::Dir, &Options::default())
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let got: Vec<(String, String, u64)> = items
            .into_iter()
            .map(|i| (i.candidate, i.question_id, i.position))
            .collect();
        assert_eq!(
            got,
            [
                ("ann".into(), "q1".into(), 1),
                ("ann".into(), "q2".into(), 2),
                ("bob".into(), "q2".into(), 3)
            ]
        );
    }
}
