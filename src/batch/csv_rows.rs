//! CSV rows, with recovery from a quote that is never closed.
//!
//! The csv crate reads an unclosed quote as one field running to the end of
//! the file, silently swallowing every later row. Here a record with a
//! quoted field and an odd number of quote characters is reported as a
//! broken row, and reading restarts on the line after the one where it
//! began, so the rows after it are still graded.
//!
//! The header is read when the file is opened and mapped to fields by
//! [`super::columns`], so a file without a usable header stops before any
//! grading. The delimiter is given or sniffed from the first line.

use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::columns::{self, Columns};
use super::input::{OpenError, Options, RawRow, Row, RowError, finish};

/// Streams the rows of a CSV file whose first line is the header.
pub struct CsvRows {
    path: PathBuf,
    base: PathBuf,
    raw: File,
    len: u64,
    reader: csv::Reader<BufReader<File>>,
    /// Byte where the current reader started.
    offset: u64,
    /// Newlines counted in the file up to byte `counted_to`: line numbers
    /// come from the bytes, because the csv crate's count is one too low
    /// for CRLF files.
    counted_to: u64,
    newlines: u64,
    delimiter: u8,
    width: usize,
    columns: Columns,
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

fn reader_at(
    path: &Path,
    offset: u64,
    delimiter: u8,
) -> std::io::Result<csv::Reader<BufReader<File>>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    Ok(csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(BufReader::new(file)))
}

/// The first line of a file (at most 64 KiB of it).
fn first_line(file: &File) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0u8; 64 * 1024];
    let n = file.read_at(&mut buf, 0)?;
    buf.truncate(n);
    if let Some(i) = buf.iter().position(|&b| b == b'\n') {
        buf.truncate(i);
    }
    Ok(buf)
}

impl CsvRows {
    /// Opens the file and reads its header, refusing an empty file and a
    /// header that does not name the needed columns.
    pub fn open(path: &Path, base: PathBuf, options: &Options) -> Result<CsvRows, OpenError> {
        let raw = File::open(path)?;
        let len = raw.metadata()?.len();
        let first = first_line(&raw)?;
        if String::from_utf8_lossy(&first).trim().is_empty() && len <= first.len() as u64 + 2 {
            return Err(OpenError::Empty);
        }
        let delimiter = options
            .delimiter
            .unwrap_or_else(|| columns::sniff_delimiter(&first));
        let mut reader = reader_at(path, 0, delimiter)?;
        let mut header = csv::StringRecord::new();
        match reader.read_record(&mut header) {
            Ok(true) => {}
            Ok(false) => return Err(OpenError::Empty),
            Err(e) => return Err(OpenError::Io(std::io::Error::other(e))),
        }
        let headers: Vec<String> = header.iter().map(str::to_string).collect();
        let columns = columns::resolve(&headers, &options.columns).map_err(OpenError::Header)?;
        Ok(CsvRows {
            path: path.to_path_buf(),
            base,
            raw,
            len,
            reader,
            offset: 0,
            counted_to: 0,
            newlines: 0,
            delimiter,
            width: headers.len(),
            columns,
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
        let opens_quoted_field =
            raw.first() == Some(&b'"') || raw.windows(2).any(|w| w == [self.delimiter, b'"']);
        quotes % 2 == 1 && opens_quoted_field
    }

    /// The first byte at or after `at` that is not a line end. After a
    /// `\r\n` the csv crate puts the next record at the `\n`; a record never
    /// starts with a line end, so skipping them gives its true first byte.
    fn past_line_ends(&self, mut at: u64) -> u64 {
        let mut b = [0u8; 1];
        while at < self.len
            && self.raw.read_exact_at(&mut b, at).is_ok()
            && (b[0] == b'\n' || b[0] == b'\r')
        {
            at += 1;
        }
        at
    }

    /// The 1-based line on which byte `at` lies, for any line ending
    /// (`\n`, `\r\n`); `at` never goes backwards between calls.
    fn line_at(&mut self, at: u64) -> u64 {
        let mut buf = [0u8; 8192];
        while self.counted_to < at {
            let want = (at - self.counted_to).min(buf.len() as u64) as usize;
            match self.raw.read_at(&mut buf[..want], self.counted_to) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    self.newlines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
                    self.counted_to += n as u64;
                }
            }
        }
        self.newlines + 1
    }

    /// Restarts reading on the line after the one that starts at `start`.
    fn skip_line(&mut self, start: u64) -> std::io::Result<()> {
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
        self.reader = reader_at(&self.path, next, self.delimiter)?;
        self.offset = next;
        Ok(())
    }

    fn next_row(&mut self) -> Option<Row> {
        let mut rec = csv::StringRecord::new();
        match self.reader.read_record(&mut rec) {
            Ok(false) => None,
            Ok(true) => {
                let pos = rec.position().cloned().unwrap_or_else(csv::Position::new);
                let start = self.past_line_ends(self.offset + pos.byte());
                let end = self.offset + self.reader.position().byte();
                let line = self.line_at(start);
                if self.unclosed_quote(start, end) {
                    let error = broken(
                        line,
                        "a quoted field is never closed (rows after it are read again from the next line)".into(),
                    );
                    if let Err(e) = self.skip_line(start) {
                        return Some(Err(broken(
                            line,
                            format!("cannot read on after the broken row: {e}"),
                        )));
                    }
                    return Some(Err(error));
                }
                if rec.len() != self.width {
                    return Some(Err(broken(
                        line,
                        format!(
                            "row has {} fields but the header has {} (check the quoting)",
                            rec.len(),
                            self.width
                        ),
                    )));
                }
                let field = |i: Option<usize>| i.and_then(|i| rec.get(i)).map(str::to_string);
                let c = &self.columns;
                let raw = RawRow {
                    candidate: field(Some(c.candidate)),
                    question_id: field(Some(c.question_id)),
                    answer: field(c.answer),
                    answer_file: field(c.answer_file),
                    audio: field(c.audio),
                };
                Some(finish(line, raw, &self.base))
            }
            Err(e) => {
                let at = self.past_line_ends(self.offset + e.position().map_or(0, |p| p.byte()));
                let line = self.line_at(at);
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
