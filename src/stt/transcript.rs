//! A transcript as a transcription endpoint returns it: the text, and with
//! `verbose_json` its segments with timings and the decoder's confidence.
//! Parsing accepts both `verbose_json` and plain `{"text": ...}` bodies, so
//! servers that ignore `response_format` still work (without timings). A
//! transcript with segments exports as `.srt` or `.vtt`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One stretch of speech with its timing and, when the endpoint gives them,
/// Whisper's confidence figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Seconds from the start of the recording.
    pub start: f64,
    pub end: f64,
    pub text: String,
    /// Mean log-probability of the segment's tokens (closer to 0 is surer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avg_logprob: Option<f64>,
    /// Probability that the segment holds no speech at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_speech_prob: Option<f64>,
    /// gzip compression ratio of the text; high means repetitive output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression_ratio: Option<f64>,
}

impl Segment {
    pub fn secs(&self) -> f64 {
        (self.end - self.start).max(0.0)
    }
}

/// What the endpoint heard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Length of the recording in seconds, when the endpoint says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// Empty when the endpoint answered plain `json` (no timings).
    #[serde(default)]
    pub segments: Vec<Segment>,
}

/// Why a response body is not a transcript.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

fn num(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64).filter(|x| x.is_finite())
}

/// Reads a `verbose_json` or `json` transcription response.
pub fn parse(v: &Value) -> Result<Transcript, ParseError> {
    let text = v
        .get("text")
        .and_then(Value::as_str)
        .ok_or_else(|| ParseError("the response has no `text`".into()))?;
    let mut segments = Vec::new();
    if let Some(list) = v.get("segments").and_then(Value::as_array) {
        for (i, s) in list.iter().enumerate() {
            let (Some(start), Some(end)) = (num(s, "start"), num(s, "end")) else {
                return Err(ParseError(format!("segment {i} has no start or end time")));
            };
            segments.push(Segment {
                start,
                end: end.max(start),
                text: s
                    .get("text")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .trim()
                    .to_string(),
                avg_logprob: num(s, "avg_logprob"),
                no_speech_prob: num(s, "no_speech_prob"),
                compression_ratio: num(s, "compression_ratio"),
            });
        }
    }
    Ok(Transcript {
        text: text.trim().to_string(),
        language: v
            .get("language")
            .and_then(Value::as_str)
            .map(str::to_string),
        duration: num(v, "duration"),
        segments,
    })
}

impl Transcript {
    /// The text to grade: the segments one per line when there are any
    /// (sentence breaks help the keyword grader), else the text.
    pub fn answer_text(&self) -> String {
        let lines: Vec<&str> = self
            .segments
            .iter()
            .map(|s| s.text.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        if lines.is_empty() {
            self.text.clone()
        } else {
            lines.join("\n")
        }
    }

    /// Words in the transcript.
    pub fn words(&self) -> usize {
        self.text.split_whitespace().count()
    }

    /// When a quote from the transcript was said: the start of the segment
    /// where its first words are, matched loosely (case and punctuation
    /// ignored). `None` without segments or when it is not found.
    pub fn time_of(&self, quote: &str) -> Option<f64> {
        let q = loose(quote);
        let head: Vec<&str> = q.split_whitespace().take(4).collect();
        if head.is_empty() {
            return None;
        }
        let head = head.join(" ");
        // A quote may start in one segment and run into the next.
        self.segments.iter().enumerate().find_map(|(i, s)| {
            let mut here = loose(&s.text);
            if let Some(next) = self.segments.get(i + 1) {
                here.push(' ');
                here.push_str(&loose(&next.text));
            }
            let own = loose(&s.text);
            let starts_here = own.contains(&head)
                || (here.contains(&head) && !loose(&self.segments[i + 1].text).contains(&head));
            starts_here.then_some(s.start)
        })
    }

    /// SubRip subtitles, one cue per segment.
    pub fn to_srt(&self) -> String {
        let mut out = String::new();
        for (i, s) in self.segments.iter().enumerate() {
            out.push_str(&format!(
                "{}\n{} --> {}\n{}\n\n",
                i + 1,
                clock(s.start, ','),
                clock(s.end, ','),
                s.text
            ));
        }
        out
    }

    /// WebVTT subtitles, one cue per segment.
    pub fn to_vtt(&self) -> String {
        let mut out = String::from("WEBVTT\n\n");
        for s in &self.segments {
            out.push_str(&format!(
                "{} --> {}\n{}\n\n",
                clock(s.start, '.'),
                clock(s.end, '.'),
                s.text
            ));
        }
        out
    }
}

/// Lower case, letters and digits only, single spaces.
fn loose(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (VTT).
fn clock(secs: f64, sep: char) -> String {
    let ms = (secs.max(0.0) * 1000.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}{sep}{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// A moment as people say it: `0:42`, `12:05`, `1:02:03`.
pub fn at(secs: f64) -> String {
    let s = secs.max(0.0).floor() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Transcript {
        parse(&json!({
            "task": "transcribe", "language": "english", "duration": 9.5,
            "text": " The GIL is a mutex. It protects reference counts.",
            "segments": [
                {"id": 0, "start": 0.0, "end": 3.2, "text": " The GIL is a mutex.", "avg_logprob": -0.2, "no_speech_prob": 0.01, "compression_ratio": 1.1},
                {"id": 1, "start": 42.4, "end": 45.0, "text": " It protects reference counts."}
            ]
        }))
        .unwrap()
    }

    #[test]
    fn verbose_json_keeps_segments_and_confidence() {
        let t = sample();
        assert_eq!(t.text, "The GIL is a mutex. It protects reference counts.");
        assert_eq!(t.duration, Some(9.5));
        assert_eq!(t.segments.len(), 2);
        assert_eq!(t.segments[0].avg_logprob, Some(-0.2));
        assert_eq!(t.segments[1].avg_logprob, None);
        assert_eq!(
            t.answer_text(),
            "The GIL is a mutex.\nIt protects reference counts."
        );
    }

    #[test]
    fn plain_json_has_text_only_and_bad_bodies_say_why() {
        let t = parse(&json!({"text": "hello there"})).unwrap();
        assert!(t.segments.is_empty());
        assert_eq!(t.answer_text(), "hello there");
        assert!(parse(&json!({"transcript": "x"})).is_err());
        assert!(parse(&json!({"text": "x", "segments": [{"text": "y"}]})).is_err());
    }

    #[test]
    fn quotes_get_the_time_they_were_said() {
        let t = sample();
        assert_eq!(t.time_of("it protects Reference counts"), Some(42.4));
        assert_eq!(t.time_of("The GIL is a mutex"), Some(0.0));
        assert_eq!(t.time_of("mutex. It protects"), Some(0.0));
        assert_eq!(t.time_of("nothing like this"), None);
        assert_eq!(at(42.9), "0:42");
        assert_eq!(at(725.0), "12:05");
        assert_eq!(at(3723.0), "1:02:03");
    }

    #[test]
    fn exports_as_srt_and_vtt() {
        let t = sample();
        assert_eq!(
            t.to_srt(),
            "1\n00:00:00,000 --> 00:00:03,200\nThe GIL is a mutex.\n\n2\n00:00:42,400 --> 00:00:45,000\nIt protects reference counts.\n\n"
        );
        assert!(t.to_vtt().starts_with(
            "WEBVTT\n\n00:00:00.000 --> 00:00:03.200\nThe GIL is a mutex.\n\n00:00:42.400"
        ));
        // The export reads back as the same words.
        let back = crate::answer::strip_subtitles(&t.to_srt());
        assert_eq!(back, t.answer_text());
    }
}
