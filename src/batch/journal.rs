//! The append-only JSONL journal of a batch.
//!
//! Each graded answer is one line, written and flushed as soon as it
//! completes, so a crash or `kill -9` loses at most the requests in flight.
//! A line cut short by a crash is dropped when the journal is reopened for
//! appending; readers (reports, resume) skip it, so a report can be made
//! while a batch is still writing. The writer holds an exclusive lock on the
//! file, so two runs can never interleave their lines in one journal.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::record::Record;

/// What a journal holds.
#[derive(Debug, Default)]
pub struct Loaded {
    pub records: Vec<Record>,
    /// Complete lines that are not valid records: (line number, reason).
    pub bad_lines: Vec<(usize, String)>,
    /// True when the last line had no newline (a write cut short).
    pub torn_tail: bool,
}

/// The errors file beside a journal: `in.csv.journal.jsonl` →
/// `in.csv.errors.jsonl`, where `viva batch` writes its bad rows and
/// `viva report` reads them.
pub fn errors_path(journal: &Path) -> PathBuf {
    let name = journal
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = name
        .strip_suffix(".journal.jsonl")
        .or_else(|| name.strip_suffix(".jsonl"))
        .unwrap_or(&name);
    journal.with_file_name(format!("{base}.errors.jsonl"))
}

/// Reads every record of a journal; a missing file is an empty journal.
/// (Resuming reads less: see [`super::previous`].)
pub fn load(path: &Path) -> std::io::Result<Loaded> {
    let mut out = Loaded::default();
    out.torn_tail = for_each_line(path, |number, line| {
        let text = String::from_utf8_lossy(line);
        if text.trim().is_empty() {
            return;
        }
        match serde_json::from_str::<Record>(&text) {
            Ok(r) => out.records.push(r),
            Err(e) => out.bad_lines.push((number, e.to_string())),
        }
    })?;
    Ok(out)
}

/// Calls `each` with every complete line of a journal (newline included)
/// and its 1-based number, and says whether the last line was cut short (a
/// write a crash interrupted), which is not passed on. A missing file has
/// no lines.
pub fn for_each_line(path: &Path, mut each: impl FnMut(usize, &[u8])) -> std::io::Result<bool> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(false);
        }
        number += 1;
        if line.last() != Some(&b'\n') {
            return Ok(true);
        }
        each(number, &line);
    }
}

/// Appends records, one flushed line each.
pub struct Writer {
    file: File,
}

impl Writer {
    /// Opens a journal for appending, first cutting off a torn last line.
    /// Fails at once with [`std::io::ErrorKind::WouldBlock`] when another
    /// process holds the journal; the lock lasts as long as the writer.
    pub fn open(path: &Path) -> std::io::Result<Writer> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)?;
        file.try_lock().map_err(|e| match e {
            std::fs::TryLockError::WouldBlock => std::io::Error::new(
                std::io::ErrorKind::WouldBlock,
                "another process is writing this journal",
            ),
            std::fs::TryLockError::Error(e) => e,
        })?;
        let len = file.metadata()?.len();
        if len > 0 {
            // Find the end of the last complete line.
            let mut keep = len;
            let mut buf = [0u8; 4096];
            let mut pos = len;
            'scan: while pos > 0 {
                let step = pos.min(buf.len() as u64);
                pos -= step;
                file.seek(SeekFrom::Start(pos))?;
                let chunk = &mut buf[..step as usize];
                std::io::Read::read_exact(&mut file, chunk)?;
                for (i, b) in chunk.iter().enumerate().rev() {
                    if *b == b'\n' {
                        keep = pos + i as u64 + 1;
                        break 'scan;
                    }
                }
                keep = 0;
            }
            if keep < len {
                file.set_len(keep)?;
            }
        }
        Ok(Writer { file })
    }

    pub fn append(&mut self, record: &Record) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(record).map_err(std::io::Error::other)?;
        line.push(b'\n');
        self.append_lines(&line)
    }

    /// Appends whole lines (each ending in a newline) in one write: a crash
    /// leaves at most the last of them torn, and opening the journal again
    /// drops a torn line.
    pub fn append_lines(&mut self, lines: &[u8]) -> std::io::Result<()> {
        self.file.write_all(lines)?;
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::record::{Fingerprint, Status};

    fn record(candidate: &str) -> Record {
        Record {
            journal: crate::batch::record::RECORD_SCHEMA.into(),
            status: Status::Failed,
            candidate: candidate.into(),
            question_id: "q".into(),
            position: 1,
            input: None,
            fingerprint: Fingerprint {
                answer: "a".into(),
                rubric: "r".into(),
                prompt: None,
                grader: "keyword".into(),
                digest: None,
                settings: Default::default(),
            },
            latency_ms: 3,
            grading: None,
            failure: None,
            answer: None,
        }
    }

    #[test]
    fn a_torn_last_line_is_skipped_and_then_repaired() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut w = Writer::open(&path).unwrap();
        w.append(&record("ann")).unwrap();
        w.append(&record("bob")).unwrap();
        drop(w);
        let full = std::fs::read(&path).unwrap();
        std::fs::write(&path, &full[..full.len() - 10]).unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.records.len(), 1);
        assert!(loaded.torn_tail);
        let mut w = Writer::open(&path).unwrap();
        w.append(&record("cy")).unwrap();
        let loaded = load(&path).unwrap();
        let names: Vec<_> = loaded
            .records
            .iter()
            .map(|r| r.candidate.as_str())
            .collect();
        assert_eq!(names, ["ann", "cy"]);
        assert!(!loaded.torn_tail);
    }

    #[test]
    fn a_second_writer_on_the_same_journal_is_refused_until_the_first_closes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let first = Writer::open(&path).unwrap();
        let err = Writer::open(&path).err().expect("locked");
        assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);
        drop(first);
        assert!(Writer::open(&path).is_ok());
    }

    #[test]
    fn lines_with_and_without_answer_text_mix_in_one_journal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let old = serde_json::to_string(&record("ann")).unwrap();
        let fields: serde_json::Value = serde_json::from_str(&old).unwrap();
        assert!(fields.get("answer").is_none(), "no text, no field: {old}");
        let mut w = Writer::open(&path).unwrap();
        w.append(&record("ann")).unwrap();
        let with_text = Record {
            answer: Some("The GIL is a lock.\n    x += 1\n".into()),
            ..record("bob")
        };
        w.append(&with_text).unwrap();
        drop(w);
        let loaded = load(&path).unwrap();
        assert!(loaded.bad_lines.is_empty());
        assert_eq!(loaded.records[0].answer, None);
        assert_eq!(loaded.records[1], with_text);
    }

    #[test]
    fn bad_complete_lines_are_reported_with_their_number() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let good = serde_json::to_string(&record("ann")).unwrap();
        std::fs::write(&path, format!("{good}\nnot json\n{good}\n")).unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.records.len(), 2);
        assert_eq!(loaded.bad_lines[0].0, 2);
    }
}
