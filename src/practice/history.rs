//! The practice history: one JSON line per graded attempt, appended as soon
//! as the attempt is graded.
//!
//! JSONL because it only ever grows: an append is one `write` of one line, so
//! quitting, Ctrl-C or a crash loses at most the attempt being written, and
//! the file stays readable by `jq` and by a spreadsheet import. Reading is
//! forgiving for the same reason: a line that does not parse (cut short by a
//! crash, or edited by hand) is skipped and reported by line number, never
//! fatal, because one bad line must not cost the user the rest of their
//! history.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::grade::Grading;

/// Identifies the layout of a history line; bumped on breaking changes.
pub const SCHEMA: &str = "viva.practice/v1";

/// One graded practice attempt, as stored on one line of the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// Always [`SCHEMA`]; lines of another schema are skipped.
    #[serde(default = "default_schema")]
    pub schema: String,
    /// When the attempt was graded (RFC 3339, UTC).
    #[serde(with = "rfc3339")]
    pub timestamp: Timestamp,
    pub question_id: String,
    pub topic: String,
    pub level: String,
    /// Total score in percent (0–100, one decimal).
    pub percent: f64,
    /// Total score as a fraction (0–1).
    pub fraction: f64,
    /// `keyword` or `llm`.
    pub backend: String,
    /// Every key point of the rubric with the score it got.
    pub points: Vec<PointScore>,
    /// Ids of the misconceptions the answer stated.
    #[serde(default)]
    pub misconceptions: Vec<String>,
    /// How a spoken answer was said; absent for typed answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech: Option<Speech>,
    /// The answer as graded (a spoken answer's transcript), so attempts can
    /// be compared; absent on lines written before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

/// Identifies a history line that records an ungraded answer.
pub const UNGRADED_SCHEMA: &str = "viva.practice-ungraded/v1";

/// An answer to a follow-up the model phrased that no question of the bank
/// fits, so there is no rubric to grade it against. It is kept so the
/// candidate can read it back (`viva progress --question`), and it has its
/// own schema so that scoring, review and scheduling, which read only
/// [`Attempt`]s, never count it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ungraded {
    /// Always [`UNGRADED_SCHEMA`].
    pub schema: String,
    /// When the answer was given (RFC 3339, UTC).
    #[serde(with = "rfc3339")]
    pub timestamp: Timestamp,
    /// The question whose answer the follow-up probed.
    pub question_id: String,
    pub topic: String,
    pub level: String,
    /// The follow-up question as the model phrased it.
    pub follow_up: String,
    /// The key points (ids) the follow-up was phrased from.
    pub probes: Vec<String>,
    pub answer: String,
}

/// Delivery figures of a spoken attempt, for `viva progress` trends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Speech {
    pub speaking_secs: f64,
    pub words_per_minute: f64,
    pub fillers_per_minute: f64,
    pub long_pauses: usize,
    /// The transcript failed the quality gate, so the score may be too low.
    #[serde(default)]
    pub poor_transcript: bool,
}

/// The score of one key point in one attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointScore {
    pub id: String,
    /// 0, 0.5 or 1.
    pub score: f64,
    pub weight: f64,
}

fn default_schema() -> String {
    SCHEMA.to_string()
}

impl Attempt {
    /// The history line for a grading made at `at`.
    pub fn from_grading(g: &Grading, at: Timestamp) -> Attempt {
        Attempt {
            schema: SCHEMA.to_string(),
            timestamp: at,
            question_id: g.question.id.clone(),
            topic: g.question.topic.clone(),
            level: g.question.level.clone(),
            percent: g.total.percent,
            fraction: g.total.fraction,
            backend: g.backend.name.clone(),
            points: g
                .points
                .iter()
                .map(|p| PointScore {
                    id: p.id.clone(),
                    score: p.score,
                    weight: p.weight,
                })
                .collect(),
            misconceptions: g.misconceptions.iter().map(|m| m.id.clone()).collect(),
            speech: g.spoken.as_ref().and_then(|sp| {
                sp.delivery.as_ref().map(|d| Speech {
                    speaking_secs: d.speaking_secs,
                    words_per_minute: d.words_per_minute,
                    fillers_per_minute: d.fillers_per_minute,
                    long_pauses: d.long_pauses.len(),
                    poor_transcript: sp.quality.poor,
                })
            }),
            answer: None,
        }
    }

    /// The same attempt, keeping the text that was graded.
    pub fn with_answer(mut self, text: &str) -> Attempt {
        self.answer = Some(text.to_string());
        self
    }
}

/// Serde glue: timestamps as RFC 3339 strings (jiff's `serde` feature is off).
mod rfc3339 {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(t)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A line of the history that was skipped, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct BadLine {
    /// 1-based line number.
    pub line: usize,
    pub reason: String,
}

/// Everything a history file holds.
#[derive(Debug, Default)]
pub struct History {
    /// Valid attempts, in file order (which is time order for appended files).
    pub attempts: Vec<Attempt>,
    /// Ungraded answers to follow-ups outside the bank, in file order.
    pub ungraded: Vec<Ungraded>,
    pub bad_lines: Vec<BadLine>,
}

impl History {
    /// Reads a history file; a missing file is an empty history.
    pub fn load(path: &Path) -> Result<History> {
        let mut text = Vec::new();
        match File::open(path) {
            Ok(mut f) => f.read_to_end(&mut text).map_err(|e| io_error(path, e))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(History::default()),
            Err(e) => return Err(io_error(path, e)),
        };
        Ok(History::parse(&String::from_utf8_lossy(&text)))
    }

    /// Parses history text, keeping every valid line and noting the others.
    pub fn parse(text: &str) -> History {
        let mut history = History::default();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match parse_line(line) {
                Ok(Entry::Graded(a)) => history.attempts.push(a),
                Ok(Entry::Ungraded(u)) => history.ungraded.push(u),
                Err(reason) => history.bad_lines.push(BadLine {
                    line: i + 1,
                    reason,
                }),
            }
        }
        history
    }

    /// One warning per skipped line, naming the file and line.
    pub fn warnings(&self, path: &Path) -> Vec<String> {
        self.bad_lines
            .iter()
            .map(|b| {
                format!(
                    "warning: {}:{}: skipped a history line that is not a valid attempt ({})",
                    path.display(),
                    b.line,
                    b.reason
                )
            })
            .collect()
    }
}

/// What one history line holds.
enum Entry {
    Graded(Attempt),
    Ungraded(Ungraded),
}

fn parse_line(line: &str) -> std::result::Result<Entry, String> {
    #[derive(Deserialize)]
    struct Schema {
        schema: Option<String>,
    }
    let kind: Schema = serde_json::from_str(line).map_err(|e| e.to_string())?;
    if kind.schema.as_deref() == Some(UNGRADED_SCHEMA) {
        let u: Ungraded = serde_json::from_str(line).map_err(|e| e.to_string())?;
        return Ok(Entry::Ungraded(u));
    }
    let attempt: Attempt = serde_json::from_str(line).map_err(|e| e.to_string())?;
    if attempt.schema != SCHEMA {
        return Err(format!("unknown schema `{}`", attempt.schema));
    }
    Ok(Entry::Graded(attempt))
}

/// Appends one attempt as one flushed line.
///
/// When the file does not end in a newline (a line cut short by a crash), a
/// newline goes first, so the new line stays whole and the torn one remains a
/// single skipped line rather than corrupting this one too.
pub fn append(path: &Path, attempt: &impl Serialize) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
    }
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| io_error(path, e))?;
    let mut line = Vec::new();
    if !ends_with_newline(&mut file).map_err(|e| io_error(path, e))? {
        line.push(b'\n');
    }
    serde_json::to_writer(&mut line, attempt).expect("a history entry always serialises");
    line.push(b'\n');
    file.write_all(&line)
        .and_then(|()| file.flush())
        .map_err(|e| io_error(path, e))
}

/// True for an empty file or one whose last byte is `\n`.
fn ends_with_newline(file: &mut File) -> std::io::Result<bool> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(true);
    }
    file.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::usage(
        format!("cannot use the practice history {}: {e}", path.display()),
        "pass another file with --history FILE (or VIVA_HISTORY)",
    )
}

/// `--history`/`VIVA_HISTORY`, or `practice.jsonl` in the user data dir.
pub fn resolve_path(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    dirs::data_dir()
        .map(|d| d.join("viva").join("practice.jsonl"))
        .ok_or_else(|| {
            Error::usage(
                "cannot find the user data folder for the practice history",
                "pass --history FILE (or set VIVA_HISTORY)",
            )
        })
}

/// The current time, or `VIVA_NOW` (RFC 3339) when set, so tests and demos
/// are reproducible.
pub fn now() -> Result<Timestamp> {
    match std::env::var("VIVA_NOW") {
        Ok(s) if !s.is_empty() => s.parse().map_err(|e| {
            Error::usage(
                format!("VIVA_NOW `{s}` is not an RFC 3339 timestamp: {e}"),
                "use e.g. VIVA_NOW=2024-06-01T12:00:00Z, or unset it",
            )
        }),
        _ => Ok(Timestamp::now()
            .round(jiff::Unit::Second)
            .unwrap_or_else(|_| Timestamp::now())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::testing;

    fn line(q: &str, topic: &str, percent: f64, at: &str) -> String {
        let a = testing::attempt(q, topic, percent, "2024-01-01T00:00:00Z");
        serde_json::to_string(&a)
            .unwrap()
            .replace("2024-01-01T00:00:00Z", at)
    }

    #[test]
    fn valid_lines_parse_and_bad_ones_are_reported_by_number() {
        let text = [
            line("q1", "memory", 40.0, "2024-06-01T10:00:00Z"),
            String::new(),
            "{not json".to_string(),
            line("q2", "memory", 80.0, "2024-06-02T10:00:00Z"),
            line("q9", "memory", 80.0, "2024-06-01T10:00:00Z").replace("/v1", "/v9"),
            line("q3", "memory", 80.0, "yesterday"),
            // A line cut short by a crash, without its newline.
            line("q4", "memory", 50.0, "2024-06-03T10:00:00Z")[..40].to_string(),
        ]
        .join("\n");
        let h = History::parse(&text);
        let ids: Vec<_> = h.attempts.iter().map(|a| a.question_id.as_str()).collect();
        assert_eq!(ids, ["q1", "q2"]);
        let bad: Vec<_> = h.bad_lines.iter().map(|b| b.line).collect();
        assert_eq!(bad, [3, 5, 6, 7]);
        assert!(h.bad_lines[1].reason.contains("unknown schema"));
    }

    #[test]
    fn attempts_round_trip_with_utc_timestamps() {
        let h = History::parse(&line("q1", "memory", 40.0, "2024-06-01T12:00:00+02:00"));
        let a = &h.attempts[0];
        let out = serde_json::to_string(a).unwrap();
        assert!(
            out.contains(r#""timestamp":"2024-06-01T10:00:00Z""#),
            "{out}"
        );
        assert_eq!(History::parse(&out).attempts[0], *a);
    }

    #[test]
    fn append_after_a_torn_line_keeps_the_new_line_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/h.jsonl");
        let first = History::parse(&line("q1", "memory", 40.0, "2024-06-01T10:00:00Z"))
            .attempts
            .remove(0);
        append(&path, &first).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(b"{\"schema\":\"viva.pra");
        std::fs::write(&path, &bytes).unwrap();
        append(&path, &first).unwrap();
        let h = History::load(&path).unwrap();
        assert_eq!(h.attempts.len(), 2);
        assert_eq!(h.bad_lines.len(), 1);
        assert_eq!(h.bad_lines[0].line, 2);
    }

    #[test]
    fn the_answer_text_is_kept_and_old_lines_without_it_still_load() {
        let old = line("q1", "memory", 40.0, "2024-06-01T10:00:00Z");
        let a = History::parse(&old).attempts.remove(0);
        assert_eq!(a.answer, None);
        let kept = a.with_answer("Refcounts, then the cycle collector.");
        let out = serde_json::to_string(&kept).unwrap();
        assert!(out.contains(r#""answer":"Refcounts, then the cycle collector.""#));
        assert_eq!(History::parse(&out).attempts[0], kept);
    }

    #[test]
    fn ungraded_answers_load_apart_from_the_attempts() {
        let graded = line("q1", "memory", 40.0, "2024-06-01T10:00:00Z");
        let ungraded = r#"{"schema":"viva.practice-ungraded/v1","timestamp":"2024-06-01T10:05:00Z","question_id":"q1","topic":"memory","level":"senior","follow_up":"Why?","probes":["b"],"answer":"Because."}"#;
        let h = History::parse(&format!("{graded}\n{ungraded}\n"));
        assert!(h.bad_lines.is_empty(), "{:?}", h.bad_lines);
        assert_eq!(h.attempts.len(), 1);
        assert_eq!(h.ungraded.len(), 1);
        assert_eq!(h.ungraded[0].follow_up, "Why?");
        let out = serde_json::to_string(&h.ungraded[0]).unwrap();
        assert_eq!(out, ungraded);
    }

    #[test]
    fn a_missing_file_is_an_empty_history() {
        let h = History::load(Path::new("/nonexistent/viva/h.jsonl")).unwrap();
        assert!(h.attempts.is_empty() && h.bad_lines.is_empty());
    }
}
