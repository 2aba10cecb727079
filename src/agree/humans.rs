//! The human scores: a CSV with one row per answer, the answer's key
//! (candidate and question id, as in the batch input) and one column per
//! human grader.
//!
//! Key columns are found as `viva batch` finds them (case-insensitive, with
//! the same aliases, or `--columns candidate=NAME,question_id=NAME`), so the
//! batch input itself with score columns added is a valid human file. Score
//! columns are named with `--human`; without it, columns called `score`,
//! `human`, `human_score`, `grade` or `rating`, or `grader1`, `rater2`,
//! `human_1` and the like, are taken. Every problem names the file and the
//! line: a score that is not a number or lies outside `--scale` stops the
//! command, since a typo there would skew every figure silently. A row whose
//! score cell is empty (not graded yet) is left out and counted.

use std::collections::HashMap;
use std::path::Path;

use super::Scale;
use crate::batch::columns::{self, ColumnMap, Field};

/// How to read the file.
#[derive(Debug, Clone)]
pub struct Options {
    pub delimiter: Option<u8>,
    pub columns: ColumnMap,
    /// `--human` columns, in the order given; empty for the defaults.
    pub human: Vec<String>,
    pub scale: Scale,
}

/// One graded answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based line where the row starts.
    pub line: u64,
    pub candidate: String,
    pub question_id: String,
    /// One score per human column, in column order.
    pub scores: Vec<f64>,
}

/// The file's usable rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Humans {
    /// The human columns' names, as written in the header.
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// Rows left out because a score cell was empty.
    pub unscored: usize,
}

/// Why the file cannot be used: `message` names the file (and line).
#[derive(Debug, Clone, PartialEq)]
pub struct HumansError {
    pub message: String,
    pub hint: String,
}

fn error(message: String, hint: &str) -> HumansError {
    HumansError {
        message,
        hint: hint.into(),
    }
}

/// Header names taken as human scores when `--human` is not given.
fn is_default_score_column(normalised: &str) -> bool {
    const NAMES: [&str; 5] = ["score", "human", "human_score", "grade", "rating"];
    const STEMS: [&str; 4] = ["grader", "rater", "human", "score"];
    NAMES.contains(&normalised)
        || STEMS.iter().any(|stem| {
            normalised
                .strip_prefix(stem)
                .map(|rest| rest.strip_prefix('_').unwrap_or(rest))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// Reads the human scores. `shown` is the path as the user typed it.
pub fn read(path: &Path, options: &Options) -> Result<Humans, HumansError> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| {
        let what = if e.kind() == std::io::ErrorKind::NotFound {
            "not found".to_string()
        } else {
            format!("cannot be read: {e}")
        };
        error(
            format!("human scores {shown} {what}"),
            "pass the CSV of human scores: a header, then one row per answer",
        )
    })?;
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = options
        .delimiter
        .unwrap_or_else(|| columns::sniff_delimiter(first));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes.as_slice());
    let lines = LineCounter::new(&bytes);
    // The line where the next record starts: the reader's position before
    // it reads, past any blank lines it will skip.
    let start_line = |reader: &csv::Reader<&[u8]>| {
        let mut at = reader.position().byte() as usize;
        while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        lines.line_of(at)
    };
    let mut header = csv::StringRecord::new();
    match reader.read_record(&mut header) {
        Ok(true) => {}
        Err(e) => {
            return Err(error(
                format!("{shown}:1: {e}"),
                "the file must be UTF-8 CSV",
            ));
        }
        Ok(false) => {
            return Err(error(
                format!("human scores {shown} is empty"),
                "the first line must name the columns, e.g. candidate,question_id,score",
            ));
        }
    }
    let headers: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let shown_header = headers.join(",");
    let key = |field: Field| {
        headers
            .iter()
            .position(|h| options.columns.field_for(h) == Some(field))
            .ok_or_else(|| {
                error(
                    format!("{shown}: the header `{shown_header}` has no `{field}` column"),
                    "answers are matched on candidate and question_id, as in the batch input; \
                     --columns candidate=NAME,question_id=NAME names other columns",
                )
            })
    };
    let (candidate, question) = (key(Field::Candidate)?, key(Field::QuestionId)?);
    let human: Vec<usize> = if options.human.is_empty() {
        let found: Vec<usize> = (0..headers.len())
            .filter(|&i| i != candidate && i != question)
            .filter(|&i| is_default_score_column(&columns::normalise(&headers[i])))
            .collect();
        if found.is_empty() {
            return Err(error(
                format!("{shown}: the header `{shown_header}` has no human score column"),
                "name the score columns with --human COLUMN (once per grader), or call one `score`",
            ));
        }
        found
    } else {
        let mut picked = Vec::new();
        for name in &options.human {
            let n = columns::normalise(name);
            let i = headers
                .iter()
                .position(|h| columns::normalise(h) == n)
                .ok_or_else(|| {
                    error(
                        format!("{shown}: no column `{name}` in the header `{shown_header}`"),
                        "--human names a column of the header (case-insensitive)",
                    )
                })?;
            if picked.contains(&i) {
                return Err(error(
                    format!("--human `{name}` is given twice"),
                    "name each grader's column once",
                ));
            }
            picked.push(i);
        }
        picked
    };
    let names: Vec<String> = human.iter().map(|&i| headers[i].clone()).collect();
    let mut rows = Vec::new();
    let mut unscored = 0;
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = start_line(&reader);
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(error(
                    format!("{shown}:{line}: {e}"),
                    "the file must be UTF-8 CSV",
                ));
            }
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let (who, what) = (cell(candidate), cell(question));
        if who.is_empty() || what.is_empty() {
            let field = if who.is_empty() {
                "candidate"
            } else {
                "question_id"
            };
            return Err(error(
                format!("{shown}:{line}: the row has no `{field}`"),
                "every scored row needs the candidate and question_id of its answer",
            ));
        }
        let mut scores = Vec::with_capacity(human.len());
        for (&i, name) in human.iter().zip(&names) {
            let raw = cell(i);
            if raw.is_empty() {
                break;
            }
            let score: f64 = raw.parse().ok().filter(|s: &f64| s.is_finite()).ok_or_else(|| {
                error(
                    format!("{shown}:{line}: the score `{raw}` in column `{name}` is not a number"),
                    "scores are numbers such as 3 or 4.5; leave the cell empty for an answer not graded",
                )
            })?;
            if !options.scale.contains(score) {
                return Err(error(
                    format!(
                        "{shown}:{line}: the score {raw} in column `{name}` is outside the scale {}",
                        options.scale
                    ),
                    "give the scale the graders used with --scale LOW-HIGH, e.g. --scale 0-10",
                ));
            }
            scores.push(score);
        }
        if scores.len() < human.len() {
            unscored += 1;
            continue;
        }
        let key = (who.to_string(), what.to_string());
        if let Some(first) = seen.insert(key, line) {
            return Err(error(
                format!(
                    "{shown}:{line}: a second row for candidate `{who}` and question `{what}` (the first is on line {first})"
                ),
                "keep one row per answer; scores of several graders go in several columns",
            ));
        }
        rows.push(Row {
            line,
            candidate: who.to_string(),
            question_id: what.to_string(),
            scores,
        });
    }
    Ok(Humans {
        columns: names,
        rows,
        unscored,
    })
}

/// Line numbers from byte offsets, counting `\n` (the csv crate's own count
/// is off by one for CRLF files).
struct LineCounter {
    newlines: Vec<usize>,
}

impl LineCounter {
    fn new(bytes: &[u8]) -> Self {
        LineCounter {
            newlines: bytes
                .iter()
                .enumerate()
                .filter_map(|(i, &b)| (b == b'\n').then_some(i))
                .collect(),
        }
    }

    /// 1-based line of the byte at `offset`.
    fn line_of(&self, offset: usize) -> u64 {
        self.newlines.partition_point(|&n| n < offset) as u64 + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(human: &[&str]) -> Options {
        Options {
            delimiter: None,
            columns: ColumnMap::default(),
            human: human.iter().map(|s| s.to_string()).collect(),
            scale: "0-5".parse().unwrap(),
        }
    }

    fn read_str(text: &str, human: &[&str]) -> Result<Humans, HumansError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.csv");
        std::fs::write(&path, text).unwrap();
        read(&path, &options(human)).map_err(|mut e| {
            e.message = e.message.replace(&path.display().to_string(), "h.csv");
            e
        })
    }

    #[test]
    fn default_columns_and_line_numbers() {
        let h = read_str(
            "Candidate;Question;Answer;Grader 1;grader2;notes\r\nann;q1;\"two\r\nlines\";3;4;x\r\nbob;q1;;5;;\r\n\r\ncy;q2;;0;1.5;\r\n",
            &[],
        )
        .unwrap();
        assert_eq!(h.columns, ["Grader 1", "grader2"]);
        assert_eq!(h.unscored, 1);
        let got: Vec<(u64, &str, Vec<f64>)> = h
            .rows
            .iter()
            .map(|r| (r.line, r.candidate.as_str(), r.scores.clone()))
            .collect();
        assert_eq!(got, [(2, "ann", vec![3.0, 4.0]), (6, "cy", vec![0.0, 1.5])]);
    }

    #[test]
    fn key_columns_can_be_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.csv");
        std::fs::write(&path, "Who\tTopic\tMark\nann\tq1\t4\n").unwrap();
        let opts = Options {
            columns: ColumnMap::parse("candidate=Who,question_id=Topic").unwrap(),
            delimiter: Some(b'\t'),
            ..options(&["mark"])
        };
        let h = read(&path, &opts).unwrap();
        assert_eq!(h.columns, ["Mark"]);
        assert_eq!(
            (h.rows[0].candidate.as_str(), h.rows[0].question_id.as_str()),
            ("ann", "q1")
        );
    }

    #[test]
    fn default_score_names() {
        for yes in [
            "score", "grader1", "grader_2", "rater3", "human_1", "score2",
        ] {
            assert!(is_default_score_column(yes), "{yes}");
        }
        for no in [
            "score_avg",
            "grader",
            "notes",
            "raw_scale_max",
            "score_grader1_raw",
        ] {
            assert!(!is_default_score_column(no), "{no}");
        }
    }

    #[test]
    fn bad_input_names_file_and_line() {
        let csv = "candidate,question_id,score\nann,q1,3\nbob,q1,three\n";
        let e = read_str(csv, &[]).unwrap_err();
        assert_eq!(
            e.message,
            "h.csv:3: the score `three` in column `score` is not a number"
        );
        let e = read_str("candidate,question_id,score\nann,q1,3\nbob,q1,6\n", &[]).unwrap_err();
        assert_eq!(
            e.message,
            "h.csv:3: the score 6 in column `score` is outside the scale 0-5"
        );
        let e = read_str("candidate,score\nann,3\n", &[]).unwrap_err();
        assert_eq!(
            e.message,
            "h.csv: the header `candidate,score` has no `question_id` column"
        );
        let e = read_str("candidate,question_id,score\nann,q1,3\n", &["g1"]).unwrap_err();
        assert_eq!(
            e.message,
            "h.csv: no column `g1` in the header `candidate,question_id,score`"
        );
        let e = read_str("candidate,question_id,notes\nann,q1,3\n", &[]).unwrap_err();
        assert!(e.message.contains("has no human score column"), "{e:?}");
        let e = read_str("candidate,question_id,score\nann,q1,3\nann,q1,4\n", &[]).unwrap_err();
        assert_eq!(
            e.message,
            "h.csv:3: a second row for candidate `ann` and question `q1` (the first is on line 2)"
        );
        let e = read_str("", &[]).unwrap_err();
        assert_eq!(e.message, "human scores h.csv is empty");
    }
}
