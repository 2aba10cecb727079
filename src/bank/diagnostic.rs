//! Problems found while loading a bank, each tied to a file and line so the
//! author can jump straight to it.

use std::fmt;

/// One problem in one bank file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Path relative to the bank root, e.g. `rubrics/gil-what-it-protects.toml`.
    pub file: String,
    /// 1-based line; 0 when the problem concerns the file as a whole.
    pub line: usize,
    /// 1-based column in characters; 0 when not known. The text form
    /// leaves it out; `viva rubric lint --format json` reports it.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

/// Converts byte offsets into 1-based line and column numbers for one file.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
    text: String,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            text: text.to_string(),
        }
    }

    /// The 1-based column, in characters, of a byte offset.
    pub fn column(&self, offset: usize) -> usize {
        let start = self.starts[self.line(offset).saturating_sub(1)];
        let end = offset.min(self.text.len());
        self.text
            .get(start..end)
            .map_or(1, |before| before.chars().count() + 1)
    }

    pub fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// Collects diagnostics for one file.
pub(crate) struct FileDiagnostics<'a> {
    pub file: &'a str,
    pub index: LineIndex,
    pub out: &'a mut Vec<Diagnostic>,
}

impl FileDiagnostics<'_> {
    pub fn at(&mut self, offset: usize, message: impl Into<String>) {
        let line = self.index.line(offset);
        self.out.push(Diagnostic {
            file: self.file.to_string(),
            line,
            column: self.index.column(offset),
            message: message.into(),
        });
    }

    pub fn whole(&mut self, message: impl Into<String>) {
        self.out.push(Diagnostic {
            file: self.file.to_string(),
            line: 0,
            column: 0,
            message: message.into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines() {
        let idx = LineIndex::new("a\nbc\n\nd");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(1), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(6), 4);
        assert_eq!(idx.column(0), 1);
        assert_eq!(idx.column(3), 2);
        let idx = LineIndex::new("é = 1\nab");
        assert_eq!(idx.column(3), 3, "columns count characters, not bytes");
    }
}
