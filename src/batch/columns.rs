//! Which input column (or JSONL key) holds which field, checked before any
//! grading starts.
//!
//! Recruiters' CSVs come from spreadsheets and forms: headers are spelled
//! `Candidate`, `name` or `Response`, the delimiter is sometimes `;`, and a
//! file may have no header row at all. Rather than failing every row with
//! "row has no `candidate`", the header is matched case-insensitively
//! against common aliases (or an explicit `--columns` mapping), and a header
//! that does not name the needed columns stops the run with a hint.

use std::fmt;

/// A field viva reads from each row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Candidate,
    QuestionId,
    Answer,
    AnswerFile,
    /// A recording to transcribe (a path, like `answer_file`).
    Audio,
}

impl Field {
    const ALL: [Field; 5] = [
        Field::Candidate,
        Field::QuestionId,
        Field::Answer,
        Field::AnswerFile,
        Field::Audio,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::Candidate => "candidate",
            Field::QuestionId => "question_id",
            Field::Answer => "answer",
            Field::AnswerFile => "answer_file",
            Field::Audio => "audio",
        }
    }

    /// Header spellings accepted for the field, normalised (see [`normalise`]).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Candidate => &[
                "candidate",
                "name",
                "candidate_name",
                "candidate_id",
                "applicant",
            ],
            Field::QuestionId => &["question_id", "question", "qid", "question_name"],
            Field::Answer => &["answer", "response", "answer_text", "text"],
            Field::AnswerFile => &["answer_file", "file", "answer_path", "path"],
            Field::Audio => &[
                "audio",
                "audio_file",
                "audio_path",
                "recording",
                "recording_file",
            ],
        }
    }

    fn parse(name: &str) -> Option<Field> {
        let n = normalise(name);
        Field::ALL.into_iter().find(|f| f.name() == n)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Lower case, a byte-order mark and surrounding space dropped, spaces and
/// hyphens as underscores: `Question ID` → `question_id`.
pub fn normalise(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .trim()
        .to_lowercase()
        .replace([' ', '-'], "_")
}

/// `--columns candidate=Name,question_id=Q`: header names chosen by the user.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap(Vec<(Field, String)>);

impl ColumnMap {
    pub fn parse(spec: &str) -> Result<ColumnMap, String> {
        let mut out = Vec::new();
        for part in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let (field, header) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` is not FIELD=HEADER"))?;
            let field = Field::parse(field).ok_or_else(|| {
                format!(
                    "`{field}` is not a field: use candidate, question_id, answer, answer_file or audio"
                )
            })?;
            out.push((field, normalise(header)));
        }
        Ok(ColumnMap(out))
    }

    /// The field a header (or JSONL key) stands for: the user's mapping
    /// first, then the aliases.
    pub fn field_for(&self, header: &str) -> Option<Field> {
        let n = normalise(header);
        if let Some((f, _)) = self.0.iter().find(|(_, h)| *h == n) {
            return Some(*f);
        }
        Field::ALL
            .into_iter()
            .filter(|f| !self.0.iter().any(|(g, _)| g == f))
            .find(|f| f.aliases().contains(&n.as_str()))
    }
}

/// Column indexes of a CSV header.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Columns {
    pub candidate: usize,
    pub question_id: usize,
    pub answer: Option<usize>,
    pub answer_file: Option<usize>,
    pub audio: Option<usize>,
}

/// Why a header cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderError {
    pub message: String,
    pub hint: String,
}

const HEADER_HINT: &str = "the first line must name the columns, e.g. \
candidate,question_id,answer (or answer_file); names are case-insensitive and \
name, question, response are accepted too; --columns candidate=NAME,question_id=NAME,answer=NAME \
maps other names";

/// Maps a header row to columns, or says which field is missing.
pub fn resolve(headers: &[String], map: &ColumnMap) -> Result<Columns, HeaderError> {
    let mut found: [Option<usize>; 5] = [None; 5];
    for (i, h) in headers.iter().enumerate() {
        let Some(field) = map.field_for(h) else {
            continue;
        };
        let slot = &mut found[Field::ALL.iter().position(|f| *f == field).unwrap_or(0)];
        if let Some(first) = slot {
            return Err(HeaderError {
                message: format!(
                    "the header has two columns for `{field}`: `{}` and `{}`",
                    headers[*first].trim(),
                    h.trim()
                ),
                hint: "rename one, or choose with --columns".into(),
            });
        }
        *slot = Some(i);
    }
    let [candidate, question_id, answer, answer_file, audio] = found;
    let missing: Vec<&str> = [
        (candidate.is_none(), "`candidate`"),
        (question_id.is_none(), "`question_id`"),
        (
            answer.is_none() && answer_file.is_none() && audio.is_none(),
            "`answer`, `answer_file` or `audio`",
        ),
    ]
    .into_iter()
    .filter_map(|(m, name)| m.then_some(name))
    .collect();
    match (candidate, question_id) {
        (Some(candidate), Some(question_id)) if missing.is_empty() => Ok(Columns {
            candidate,
            question_id,
            answer,
            answer_file,
            audio,
        }),
        _ => {
            let shown: Vec<&str> = headers.iter().map(|h| h.trim()).collect();
            let shown = shown.join(",");
            let shown = match shown.char_indices().nth(60) {
                Some((i, _)) => format!("{}…", &shown[..i]),
                None => shown,
            };
            let message = if found.iter().all(Option::is_none) {
                format!(
                    "the first line `{shown}` is not a header: it names none of the columns candidate, question_id, answer"
                )
            } else {
                format!(
                    "the header `{shown}` has no {} column",
                    missing.join(" and no ")
                )
            };
            Err(HeaderError {
                message,
                hint: HEADER_HINT.into(),
            })
        }
    }
}

/// The delimiter of a CSV file, from its first line: the most frequent of
/// `,` `;` and tab outside quotes, `,` when none occurs.
pub fn sniff_delimiter(first_line: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in first_line {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
            c.1 += 1;
        }
    }
    // On a tie, the earlier (the comma) wins.
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(s: &str) -> Vec<String> {
        s.split(',').map(String::from).collect()
    }

    #[test]
    fn aliases_and_case_are_accepted() {
        let c = resolve(&headers("Name,Question,Response"), &ColumnMap::default()).unwrap();
        assert_eq!((c.candidate, c.question_id, c.answer), (0, 1, Some(2)));
        let c = resolve(
            &headers("\u{feff}Candidate , Question ID,answer_file"),
            &ColumnMap::default(),
        )
        .unwrap();
        assert_eq!(c.answer_file, Some(2));
    }

    #[test]
    fn a_mapping_overrides_the_aliases() {
        let map = ColumnMap::parse("candidate=Who,question_id=Topic Id,answer=Said").unwrap();
        let c = resolve(&headers("said,who,topic id"), &map).unwrap();
        assert_eq!((c.candidate, c.question_id, c.answer), (1, 2, Some(0)));
        assert!(ColumnMap::parse("person=Who").is_err());
        assert!(ColumnMap::parse("candidate").is_err());
    }

    #[test]
    fn a_data_row_as_header_names_what_is_missing() {
        let e = resolve(
            &headers("ann,gil-what-it-protects,The GIL is a lock"),
            &ColumnMap::default(),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "the first line `ann,gil-what-it-protects,The GIL is a lock` is not a header: it names none of the columns candidate, question_id, answer"
        );
        let e = resolve(&headers("candidate,answer"), &ColumnMap::default()).unwrap_err();
        assert_eq!(
            e.message,
            "the header `candidate,answer` has no `question_id` column"
        );
    }

    #[test]
    fn delimiters_are_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter(b"candidate;question_id;answer"), b';');
        assert_eq!(sniff_delimiter(b"candidate,question_id,answer"), b',');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b;c\",d"), b',');
        assert_eq!(sniff_delimiter(b"single"), b',');
    }
}
