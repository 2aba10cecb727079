//! Answer intake: reading a candidate's answer from a file or stdin and
//! turning it into plain text.
//!
//! Subtitle files (`.srt`, `.vtt`) from speech-to-text tools lose their cue
//! numbers, timestamps and markup, so only what was said is graded. Input that
//! cannot be an answer (empty, binary, not UTF-8, too large) is rejected with
//! a reason, before any grading or network work.

use std::io::Read;
use std::path::Path;

/// Largest answer accepted, in bytes of input. A ten-minute spoken answer is
/// about 10 KB of text and its subtitle file about 40 KB; anything far larger
/// is almost certainly the wrong file.
pub const MAX_ANSWER_BYTES: usize = 256 * 1024;

/// The shape of an answer file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerFormat {
    Text,
    Srt,
    Vtt,
}

/// An answer ready to grade.
#[derive(Debug, Clone)]
pub struct Answer {
    /// Plain text of the answer.
    pub text: String,
    /// Where it came from (a path, or `stdin`), for messages and reports.
    pub origin: String,
    pub format: AnswerFormat,
}

/// Why an input cannot be graded.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    #[error("cannot read answer {origin}: {source}")]
    Read {
        origin: String,
        #[source]
        source: std::io::Error,
    },
    #[error("answer {origin} is empty")]
    Empty { origin: String },
    #[error("answer {origin} looks binary (it contains a NUL byte at offset {offset})")]
    Binary { origin: String, offset: usize },
    #[error("answer {origin} is not valid UTF-8 (first bad byte at line {line}, column {column})")]
    InvalidUtf8 {
        origin: String,
        line: usize,
        /// 1-based, in characters: where an editor puts the cursor.
        column: usize,
    },
    #[error("{}", too_large(.origin, *.size))]
    TooLarge {
        origin: String,
        /// The whole size when known (a file); `None` for stdin, which is
        /// read no further than the limit.
        size: Option<u64>,
    },
}

/// "answer a.txt is 307200 bytes (300 KiB), over the 256 KiB limit".
fn too_large(origin: &str, size: Option<u64>) -> String {
    let limit = format!(
        "the {} KiB ({MAX_ANSWER_BYTES}-byte) limit",
        MAX_ANSWER_BYTES / 1024
    );
    match size {
        Some(n) => format!(
            "answer {origin} is {n} bytes ({} KiB), over {limit}",
            n / 1024
        ),
        None => format!("answer {origin} is over {limit}"),
    }
}

impl AnswerError {
    pub fn hint(&self) -> &'static str {
        match self {
            AnswerError::Read { .. } => "check the path; use `-` to read the answer from stdin",
            AnswerError::Empty { origin } if origin == "stdin" => {
                "nothing came in on stdin: pipe the answer's text into viva, or pass an answer file"
            }
            AnswerError::Empty { .. } => {
                "write the answer into the file (subtitle files need spoken text in their cues)"
            }
            AnswerError::Binary { .. } | AnswerError::InvalidUtf8 { .. } => {
                "answers must be UTF-8 text: .txt, .md, .srt or .vtt"
            }
            AnswerError::TooLarge { .. } => {
                "pass only the answer to one question; split long transcripts"
            }
        }
    }
}

/// Reads an answer from a path, or from stdin when the path is `-`.
pub fn read(path: &Path) -> Result<Answer, AnswerError> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_ANSWER_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|source| AnswerError::Read {
                origin: "stdin".into(),
                source,
            })?;
        return from_bytes("stdin", &bytes, None);
    }
    let origin = path.display().to_string();
    let read_err = |source| AnswerError::Read {
        origin: origin.clone(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let len = file.metadata().map_err(read_err)?.len();
    if len > MAX_ANSWER_BYTES as u64 && file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(AnswerError::TooLarge {
            origin,
            size: Some(len),
        });
    }
    let mut bytes = Vec::new();
    file.take(MAX_ANSWER_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    from_bytes(&origin, &bytes, ext.as_deref())
}

/// Validates raw bytes and converts them into an answer. The format comes
/// from the extension, or is sniffed from the content when there is none.
pub fn from_bytes(origin: &str, bytes: &[u8], ext: Option<&str>) -> Result<Answer, AnswerError> {
    let origin = origin.to_string();
    if bytes.len() > MAX_ANSWER_BYTES {
        // Read no further than the limit: the true size is not known.
        return Err(AnswerError::TooLarge { origin, size: None });
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(AnswerError::Binary { origin, offset });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.valid_up_to();
            let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = bytes[..offset]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            // Everything before the bad byte is valid UTF-8.
            let column = String::from_utf8_lossy(&bytes[line_start..offset])
                .chars()
                .count()
                + 1;
            return Err(AnswerError::InvalidUtf8 {
                origin,
                line,
                column,
            });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let format = match ext {
        Some("srt") => AnswerFormat::Srt,
        Some("vtt") => AnswerFormat::Vtt,
        Some(_) => AnswerFormat::Text,
        None => sniff(text),
    };
    let text = match format {
        AnswerFormat::Text => text.replace("\r\n", "\n"),
        AnswerFormat::Srt | AnswerFormat::Vtt => strip_subtitles(text),
    };
    if text.trim().is_empty() {
        return Err(AnswerError::Empty { origin });
    }
    Ok(Answer {
        text,
        origin,
        format,
    })
}

fn sniff(text: &str) -> AnswerFormat {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first.trim_start().starts_with("WEBVTT") {
        AnswerFormat::Vtt
    } else if first.trim().chars().all(|c| c.is_ascii_digit())
        && text.lines().take(4).any(is_timing_line)
    {
        AnswerFormat::Srt
    } else {
        AnswerFormat::Text
    }
}

fn is_timing_line(line: &str) -> bool {
    line.contains("-->")
}

/// Keeps only the spoken text of SRT or WebVTT subtitles, one cue per line.
pub fn strip_subtitles(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut skip_block = false;
    let mut in_cue = false;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            skip_block = false;
            in_cue = false;
            continue;
        }
        if skip_block {
            continue;
        }
        if !in_cue
            && (line.starts_with("WEBVTT")
                || line.starts_with("NOTE")
                || line.starts_with("STYLE")
                || line.starts_with("REGION"))
        {
            skip_block = true;
            continue;
        }
        if is_timing_line(line) {
            in_cue = true;
            continue;
        }
        if !in_cue {
            // A cue number (SRT) or cue identifier (VTT) before the timing line.
            continue;
        }
        let spoken = strip_tags(line);
        if !spoken.is_empty() {
            out.push(spoken);
        }
    }
    out.join("\n")
}

/// Removes `<v Speaker>`, `<c.x>`, `<00:00:01.000>`, `<i>`-style tags and `{\an8}` codes.
fn strip_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut depth_angle = false;
    let mut depth_brace = false;
    for c in line.chars() {
        match c {
            '<' => depth_angle = true,
            '>' if depth_angle => depth_angle = false,
            '{' if line.contains("{\\") => depth_brace = true,
            '}' if depth_brace => depth_brace = false,
            _ if depth_angle || depth_brace => {}
            _ => out.push(c),
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srt_loses_numbers_and_timestamps() {
        let srt = "1\n00:00:01,000 --> 00:00:03,000\nso the GIL is\n\n2\n00:00:03,500 --> 00:00:05,000\n<i>a mutex</i>\n";
        let a = from_bytes("a.srt", srt.as_bytes(), Some("srt")).unwrap();
        assert_eq!(a.text, "so the GIL is\na mutex");
        assert_eq!(a.format, AnswerFormat::Srt);
    }

    #[test]
    fn vtt_loses_header_notes_and_voice_tags() {
        let vtt = "WEBVTT\nKind: captions\n\nNOTE a comment\nspanning lines\n\nintro\n00:00.000 --> 00:02.000 align:start\n<v Ana>um the <00:00:01.000>GIL</v>\n\n00:02.000 --> 00:04.000\nprotects refcounts\n";
        let a = from_bytes("a.vtt", vtt.as_bytes(), Some("vtt")).unwrap();
        assert_eq!(a.text, "um the GIL\nprotects refcounts");
    }

    #[test]
    fn stdin_subtitles_are_sniffed() {
        let srt = "1\n00:00:01,000 --> 00:00:03,000\nhello\n";
        assert_eq!(
            from_bytes("stdin", srt.as_bytes(), None).unwrap().text,
            "hello"
        );
        assert_eq!(
            from_bytes("stdin", b"WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n", None)
                .unwrap()
                .text,
            "hi"
        );
    }

    #[test]
    fn rejects_unusable_input() {
        assert!(matches!(
            from_bytes("x", b"  \n\t", None),
            Err(AnswerError::Empty { .. })
        ));
        assert!(matches!(
            from_bytes("x", b"ab\0c", None),
            Err(AnswerError::Binary { offset: 2, .. })
        ));
        assert!(matches!(
            from_bytes("x", b"ok\nline \xff", None),
            Err(AnswerError::InvalidUtf8 {
                line: 2,
                column: 6,
                ..
            })
        ));
        // Regression: the column counted bytes, so `é` moved it by two.
        assert!(matches!(
            from_bytes(
                "x",
                "ok\ncaf\u{e9} "
                    .bytes()
                    .chain([0xff])
                    .collect::<Vec<_>>()
                    .as_slice(),
                None
            ),
            Err(AnswerError::InvalidUtf8 {
                line: 2,
                column: 6,
                ..
            })
        ));
        let big = vec![b'a'; MAX_ANSWER_BYTES + 1];
        assert!(matches!(
            from_bytes("x", &big, None),
            Err(AnswerError::TooLarge { .. })
        ));
        let only_timings = "1\n00:00:01,000 --> 00:00:03,000\n\n";
        assert!(matches!(
            from_bytes("x.srt", only_timings.as_bytes(), Some("srt")),
            Err(AnswerError::Empty { .. })
        ));
    }

    #[test]
    fn strips_bom_and_crlf() {
        let a = from_bytes("x", "\u{feff}line one\r\nline two".as_bytes(), Some("txt")).unwrap();
        assert_eq!(a.text, "line one\nline two");
    }
}
