//! How an answer was said, from the transcript's segments: speaking time,
//! words per minute, filler words per minute and long pauses. For candidates
//! practising; it never changes a score.
//!
//! Fillers counted: `um`, `uh`, `er`, `erm`, `uhm`, `umm`, `hmm`, `mm`, `ah`,
//! `eh` anywhere; `like` and `you know` when set off by a comma or a clause
//! break ("it's, like, a lock", "you know, threads"), not in "it looks like
//! a lock" or "you know that"; `I mean` followed by a comma. Transcription
//! models often drop fillers, so the count is a floor.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::transcript::Transcript;
use super::words::{Token, tokens};

/// A silence between two segments at least this long is a long pause.
pub const LONG_PAUSE_SECS: f64 = 2.0;

const ALWAYS_FILLERS: &[&str] = &[
    "um", "uh", "er", "erm", "uhm", "umm", "uhh", "hmm", "mm", "ah", "eh",
];

/// A silence in the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pause {
    /// When it started, in seconds from the start of the recording.
    pub at: f64,
    pub secs: f64,
}

/// Delivery figures of one spoken answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    /// Seconds inside segments (speech).
    pub speaking_secs: f64,
    pub words: usize,
    /// Words per minute of speaking time.
    pub words_per_minute: f64,
    pub fillers: usize,
    /// Fillers per minute of speaking time.
    pub fillers_per_minute: f64,
    /// Each filler and how often it was said.
    #[serde(default)]
    pub filler_words: BTreeMap<String, usize>,
    /// Silences of at least [`LONG_PAUSE_SECS`] between segments.
    #[serde(default)]
    pub long_pauses: Vec<Pause>,
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f + 0.0
}

/// The fillers in a text, each with how often it occurs.
pub fn fillers(text: &str) -> BTreeMap<String, usize> {
    let toks = tokens(text);
    let mut out: BTreeMap<String, usize> = BTreeMap::new();
    let word = |i: usize| toks.get(i).and_then(Token::word);
    // A clause edge: the text's start or end, or a punctuation mark.
    let edge = |i: Option<usize>| i.is_none_or(|i| toks.get(i).is_none_or(Token::is_break));
    let mut i = 0;
    while i < toks.len() {
        let Some(w) = word(i) else {
            i += 1;
            continue;
        };
        let before = i.checked_sub(1);
        let found = if ALWAYS_FILLERS.contains(&w) {
            Some((w.to_string(), 1))
        } else if w == "like"
            && (edge(before) && edge(Some(i + 1)) || toks.get(i + 1) == Some(&Token::Mark(',')))
        {
            Some(("like".into(), 1))
        } else if w == "you"
            && word(i + 1) == Some("know")
            && (edge(before) || edge(Some(i + 2)))
            && (toks.get(i + 2).is_none_or(Token::is_break))
        {
            Some(("you know".into(), 2))
        } else if w == "i"
            && word(i + 1) == Some("mean")
            && toks.get(i + 2) == Some(&Token::Mark(','))
        {
            Some(("i mean".into(), 2))
        } else {
            None
        };
        match found {
            Some((f, n)) => {
                *out.entry(f).or_default() += 1;
                i += n;
            }
            None => i += 1,
        }
    }
    out
}

/// The delivery figures, or `None` without segment timings.
pub fn measure(t: &Transcript) -> Option<Delivery> {
    if t.segments.is_empty() {
        return None;
    }
    let speaking: f64 = t.segments.iter().map(|s| s.secs()).sum();
    let words = t.words();
    let filler_words = fillers(&t.text);
    let count: usize = filler_words.values().sum();
    let minutes = speaking / 60.0;
    let per_min = |n: usize| {
        if minutes > 0.0 {
            round(n as f64 / minutes, 1)
        } else {
            0.0
        }
    };
    let long_pauses = t
        .segments
        .windows(2)
        .filter_map(|w| {
            let gap = w[1].start - w[0].end;
            (gap >= LONG_PAUSE_SECS).then(|| Pause {
                at: round(w[0].end, 2),
                secs: round(gap, 2),
            })
        })
        .collect();
    Some(Delivery {
        speaking_secs: round(speaking, 2),
        words,
        words_per_minute: per_min(words),
        fillers: count,
        fillers_per_minute: per_min(count),
        filler_words,
        long_pauses,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stt::transcript::Segment;

    fn seg(start: f64, end: f64, text: &str) -> Segment {
        Segment {
            start,
            end,
            text: text.into(),
            avg_logprob: None,
            no_speech_prob: None,
            compression_ratio: None,
        }
    }

    #[test]
    fn fillers_are_told_from_ordinary_words() {
        let f = fillers(
            "Um, so the GIL is, like, a lock. Like, you know, threads. It looks like a lock and you know that. I mean, uh, yes.",
        );
        let got: Vec<(&str, usize)> = f.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(
            got,
            [
                ("i mean", 1),
                ("like", 2),
                ("uh", 1),
                ("um", 1),
                ("you know", 1)
            ]
        );
        assert!(fillers("It works like a mutex, and you know the rest.").is_empty());
    }

    #[test]
    fn rate_fillers_and_pauses_come_from_segments() {
        let segments = vec![
            seg(
                0.0,
                10.0,
                "Um the GIL is a lock that lets one thread run at a time.",
            ),
            seg(
                13.5,
                23.5,
                "It protects, like, the reference counts of every object.",
            ),
            seg(24.0, 30.0, "Uh that is all."),
        ];
        let text = segments
            .iter()
            .map(|s| s.text.clone())
            .collect::<Vec<_>>()
            .join(" ");
        let t = Transcript {
            text,
            language: None,
            duration: Some(31.0),
            segments,
        };
        let d = measure(&t).unwrap();
        assert_eq!(d.speaking_secs, 26.0);
        assert_eq!(d.words, 27);
        assert_eq!(d.words_per_minute, 62.3);
        assert_eq!(d.fillers, 3);
        assert_eq!(d.fillers_per_minute, 6.9);
        assert_eq!(
            d.long_pauses,
            [Pause {
                at: 10.0,
                secs: 3.5
            }]
        );
        let plain = Transcript {
            segments: vec![],
            ..t
        };
        assert!(measure(&plain).is_none());
    }
}
