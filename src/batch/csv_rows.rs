//! CSV rows, with recovery from a quote that is never closed.
//!
//! The csv crate reads an unclosed quote as one field running to the end of
//! the file, silently swallowing every later row. Here a record with a
//! quoted field and an odd number of quote characters is reported as a
//! broken row, and reading restarts on the line after the one where it
//! began, so the rows after it are still graded.

use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::input::{RawRow, Row, RowError, finish};

/// Streams the rows of a CSV file whose first line is the header.
pub struct CsvRows {
    path: PathBuf,
    base: PathBuf,
    raw: File,
    len: u64,
    reader: csv::Reader<BufReader<File>>,
    /// Byte and line where the current reader started.
    offset: u64,
    lines_before: u64,
    headers: Option<Vec<String>>,
}

fn broken(line: u64, message: String) -> RowError {
    RowError {
        line,
        kind: "broken-row".into(),
        message,
        candidate: None,
        question_id: None,
    }
}

fn reader_at(path: &Path, offset: u64) -> std::io::Result<csv::Reader<BufReader<File>>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    Ok(csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(BufReader::new(file)))
}

impl CsvRows {
    pub fn open(path: &Path, base: PathBuf) -> std::io::Result<CsvRows> {
        let raw = File::open(path)?;
        let len = raw.metadata()?.len();
        Ok(CsvRows {
            path: path.to_path_buf(),
            base,
            raw,
            len,
            reader: reader_at(path, 0)?,
            offset: 0,
            lines_before: 0,
            headers: None,
        })
    }

    /// Whether the record in `start..end` opened a quote it never closed.
    fn unclosed_quote(&self, start: u64, end: u64) -> bool {
        let mut raw = vec![0; (end - start) as usize];
        if self.raw.read_exact_at(&mut raw, start).is_err() {
            return false;
        }
        // A quote inside an unquoted field is literal (`a 5" screen`); only
        // a field that opens with a quote must close it.
        let quotes = raw.iter().filter(|&&b| b == b'"').count();
        let opens_quoted_field = raw.first() == Some(&b'"') || raw.windows(2).any(|w| w == b",\"");
        quotes % 2 == 1 && opens_quoted_field
    }

    /// Restarts reading on the line after the one that starts at `start`.
    fn skip_line(&mut self, start: u64, line: u64) -> std::io::Result<()> {
        let mut pos = start;
        let mut buf = [0u8; 4096];
        let next = loop {
            let n = self.raw.read_at(&mut buf, pos)?;
            if n == 0 {
                break self.len;
            }
            if let Some(i) = buf[..n].iter().position(|&b| b == b'\n') {
                break pos + i as u64 + 1;
            }
            pos += n as u64;
        };
        self.reader = reader_at(&self.path, next)?;
        self.offset = next;
        self.lines_before = line;
        Ok(())
    }

    fn next_row(&mut self) -> Option<Row> {
        let mut rec = csv::StringRecord::new();
        match self.reader.read_record(&mut rec) {
            Ok(false) => None,
            Ok(true) => {
                let pos = rec.position().cloned().unwrap_or_else(csv::Position::new);
                let start = self.offset + pos.byte();
                let end = self.offset + self.reader.position().byte();
                let line = self.lines_before + pos.line();
                if self.unclosed_quote(start, end) {
                    let error = broken(
                        line,
                        "a quoted field is never closed (rows after it are read again from the next line)".into(),
                    );
                    if let Err(e) = self.skip_line(start, line) {
                        return Some(Err(broken(
                            line,
                            format!("cannot read on after the broken row: {e}"),
                        )));
                    }
                    return Some(Err(error));
                }
                let Some(headers) = &self.headers else {
                    self.headers = Some(rec.iter().map(|h| h.trim().to_string()).collect());
                    return self.next_row();
                };
                if rec.len() != headers.len() {
                    return Some(Err(broken(
                        line,
                        format!(
                            "row has {} fields but the header has {} (check the quoting)",
                            rec.len(),
                            headers.len()
                        ),
                    )));
                }
                let field = |name: &str| {
                    headers
                        .iter()
                        .position(|h| h == name)
                        .and_then(|i| rec.get(i))
                        .map(str::to_string)
                };
                let raw = RawRow {
                    candidate: field("candidate"),
                    question_id: field("question_id"),
                    answer: field("answer"),
                    answer_file: field("answer_file"),
                };
                Some(finish(line, raw, &self.base))
            }
            Err(e) => {
                let line = self.lines_before + e.position().map_or(0, |p| p.line());
                let (kind, message) = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => {
                        ("invalid-utf8", "row is not valid UTF-8".to_string())
                    }
                    _ => ("broken-row", e.to_string()),
                };
                Some(Err(RowError {
                    line,
                    kind: kind.into(),
                    message,
                    candidate: None,
                    question_id: None,
                }))
            }
        }
    }
}

impl Iterator for CsvRows {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        self.next_row()
    }
}
