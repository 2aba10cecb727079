//! The quality gate: whether a transcript is good enough to grade as if it
//! were what the candidate said.
//!
//! A transcript that lost the candidate's words would earn a confident low
//! score for an answer nobody heard, so a poor one is flagged
//! (`poor-transcript`, with each reason) and `viva grade` exits 9. The
//! checks, with their thresholds (documented in docs/grading.md):
//!
//! - **doubtful segments**: a segment is doubtful when its `avg_logprob` is
//!   below [`MIN_AVG_LOGPROB`] or its `compression_ratio` above
//!   [`MAX_COMPRESSION_RATIO`] (Whisper's own fallback thresholds), or when
//!   its `no_speech_prob` is above [`MAX_NO_SPEECH_PROB`] while its
//!   `avg_logprob` is below [`NO_SPEECH_LOGPROB`] (Whisper drops such a
//!   segment only under -1; a grade needs more certainty); poor when
//!   doubtful segments hold over [`MAX_DOUBTFUL_SHARE`] of the speech;
//! - **mean confidence**: poor when the speech-weighted mean `avg_logprob`
//!   is below [`MIN_MEAN_LOGPROB`];
//! - **speech rate**: poor when words per minute of speech fall outside
//!   [`MIN_WPM`]–[`MAX_WPM`] (words were lost, or invented); without
//!   segments, words per minute of the whole recording below [`MIN_WPM`] / 2;
//! - **speech share**: in a recording of at least [`MIN_GATE_SECS`], poor
//!   when segments cover less than [`MIN_SPEECH_SHARE`] of it;
//! - **repeated phrases**: poor when a phrase of one to four words comes
//!   [`REPEAT_RUN`] or more times in a row ("thank you thank you thank
//!   you thank you"), the loop a decoder falls into on noise.
//!
//! Confidence checks need `verbose_json`; an endpoint that gives only text
//! is checked for rate (when the length of the recording is known) and
//! repetition.

use serde::{Deserialize, Serialize};

use super::transcript::Transcript;
use super::words::words;

/// Below this mean token log-probability a segment is doubtful.
pub const MIN_AVG_LOGPROB: f64 = -1.0;
/// Above this no-speech probability a segment is doubtful, when its
/// `avg_logprob` is also below [`NO_SPEECH_LOGPROB`].
pub const MAX_NO_SPEECH_PROB: f64 = 0.6;
/// See [`MAX_NO_SPEECH_PROB`]: a confident segment may still score a high
/// no-speech probability (a trailing clause after a pause often does).
pub const NO_SPEECH_LOGPROB: f64 = -0.5;
/// Above this gzip ratio a segment's text is doubtful (repetitive).
pub const MAX_COMPRESSION_RATIO: f64 = 2.4;
/// The share of speech in doubtful segments above which a transcript is poor.
pub const MAX_DOUBTFUL_SHARE: f64 = 0.25;
/// The speech-weighted mean `avg_logprob` below which a transcript is poor.
/// Set on faster-whisper tiny.en with synthetic speech
/// (scripts/e2e-real-stt.sh, figures in docs/spoken.md): recordings that
/// kept their words scored above it, those that lost 40% or more below.
pub const MIN_MEAN_LOGPROB: f64 = -0.5;
/// Slowest and fastest plausible speech, in words per minute of speech.
pub const MIN_WPM: f64 = 60.0;
pub const MAX_WPM: f64 = 300.0;
/// The share of a recording that must be speech.
pub const MIN_SPEECH_SHARE: f64 = 0.25;
/// Recordings shorter than this are not checked for speech share or rate.
pub const MIN_GATE_SECS: f64 = 10.0;
/// A phrase repeated this many times in a row makes a transcript poor.
pub const REPEAT_RUN: usize = 4;

/// The gate's verdict and the figures it read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// True when the transcript should not be graded as if it were good.
    pub poor: bool,
    /// Why, one sentence per failed check.
    #[serde(default)]
    pub reasons: Vec<String>,
    /// Words per minute of speech (of the recording without segments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words_per_minute: Option<f64>,
    /// Share of the recording covered by segments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_share: Option<f64>,
    /// Share of speech in doubtful segments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doubtful_share: Option<f64>,
    /// Speech-weighted mean `avg_logprob`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_logprob: Option<f64>,
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f + 0.0
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// The longest run of one phrase (1–4 words) repeated back to back, as
/// (phrase, times), when it reaches `min_run`.
pub fn repeated_phrase(text: &str, min_run: usize) -> Option<(String, usize)> {
    let w = words(text);
    let mut best: Option<(String, usize)> = None;
    for n in 1..=4 {
        let mut i = 0;
        while i + n <= w.len() {
            let mut run = 1;
            while i + (run + 1) * n <= w.len() && w[i..i + n] == w[i + run * n..i + (run + 1) * n] {
                run += 1;
            }
            if run >= min_run && best.as_ref().is_none_or(|(_, r)| run > *r) {
                best = Some((w[i..i + n].join(" "), run));
            }
            i += if run > 1 { run * n } else { 1 };
        }
    }
    best
}

/// Checks a transcript of a recording `duration` seconds long (the
/// endpoint's figure first, then the one read from the file).
pub fn assess(t: &Transcript, file_duration: Option<f64>) -> Quality {
    let duration = t
        .duration
        .or(file_duration)
        .or_else(|| t.segments.last().map(|s| s.end))
        .filter(|d| *d > 0.0);
    let words = t.words() as f64;
    let mut q = Quality {
        poor: false,
        reasons: Vec::new(),
        words_per_minute: None,
        speech_share: None,
        doubtful_share: None,
        mean_logprob: None,
    };
    let speech: f64 = t.segments.iter().map(|s| s.secs()).sum();
    if !t.segments.is_empty() && speech > 0.0 {
        let doubtful: f64 = t
            .segments
            .iter()
            .filter(|s| {
                let logprob = s.avg_logprob.unwrap_or(0.0);
                logprob < MIN_AVG_LOGPROB
                    || (s.no_speech_prob.is_some_and(|p| p > MAX_NO_SPEECH_PROB)
                        && logprob < NO_SPEECH_LOGPROB)
                    || s.compression_ratio
                        .is_some_and(|r| r > MAX_COMPRESSION_RATIO)
            })
            .map(|s| s.secs())
            .sum();
        let has_confidence = t.segments.iter().any(|s| {
            s.avg_logprob.is_some() || s.no_speech_prob.is_some() || s.compression_ratio.is_some()
        });
        if has_confidence {
            let share = doubtful / speech;
            q.doubtful_share = Some(round(share, 2));
            if share > MAX_DOUBTFUL_SHARE {
                q.reasons.push(format!(
                    "{} of the speech is in segments the transcriber was unsure of (over {})",
                    pct(share),
                    pct(MAX_DOUBTFUL_SHARE)
                ));
            }
        }
        let weighted: Vec<(f64, f64)> = t
            .segments
            .iter()
            .filter_map(|s| s.avg_logprob.map(|p| (p, s.secs())))
            .collect();
        let weight: f64 = weighted.iter().map(|(_, w)| w).sum();
        if weight > 0.0 {
            let mean = weighted.iter().map(|(p, w)| p * w).sum::<f64>() / weight;
            q.mean_logprob = Some(round(mean, 2));
            if mean < MIN_MEAN_LOGPROB {
                q.reasons.push(format!(
                    "the transcriber's mean confidence is low (avg_logprob {mean:.2}, under {MIN_MEAN_LOGPROB})"
                ));
            }
        }
        let wpm = words / (speech / 60.0);
        q.words_per_minute = Some(round(wpm, 1));
        if speech >= MIN_GATE_SECS / 2.0 && !(MIN_WPM..=MAX_WPM).contains(&wpm) {
            q.reasons.push(format!(
                "{wpm:.0} words per minute of speech, outside {MIN_WPM:.0}–{MAX_WPM:.0}: words were probably lost or invented"
            ));
        }
        if let Some(d) = duration {
            let share = (speech / d).min(1.0);
            q.speech_share = Some(round(share, 2));
            if d >= MIN_GATE_SECS && share < MIN_SPEECH_SHARE {
                q.reasons.push(format!(
                    "only {} of the {d:.0} s recording was heard as speech (under {})",
                    pct(share),
                    pct(MIN_SPEECH_SHARE)
                ));
            }
        }
    } else if let Some(d) = duration {
        let wpm = words / (d / 60.0);
        q.words_per_minute = Some(round(wpm, 1));
        if d >= MIN_GATE_SECS && wpm < MIN_WPM / 2.0 {
            q.reasons.push(format!(
                "{wpm:.0} words per minute of recording (under {:.0}): words were probably lost",
                MIN_WPM / 2.0
            ));
        }
    }
    if let Some((phrase, run)) = repeated_phrase(&t.text, REPEAT_RUN) {
        q.reasons.push(format!(
            "“{phrase}” repeats {run} times in a row, as a transcriber does on noise"
        ));
    }
    q.poor = !q.reasons.is_empty();
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stt::transcript::Segment;

    fn seg(start: f64, end: f64, text: &str, logprob: f64, no_speech: f64) -> Segment {
        Segment {
            start,
            end,
            text: text.into(),
            avg_logprob: Some(logprob),
            no_speech_prob: Some(no_speech),
            compression_ratio: Some(1.2),
        }
    }

    fn transcript(segments: Vec<Segment>, duration: f64) -> Transcript {
        Transcript {
            text: segments
                .iter()
                .map(|s| s.text.clone())
                .collect::<Vec<_>>()
                .join(" "),
            language: None,
            duration: Some(duration),
            segments,
        }
    }

    const TWENTY: &str = "the gil is a lock that lets only one thread run python bytecode at a time and it protects the reference counts";

    #[test]
    fn a_clear_answer_passes() {
        let t = transcript(
            vec![
                seg(0.0, 8.0, TWENTY, -0.3, 0.01),
                seg(8.5, 16.0, TWENTY, -0.4, 0.02),
            ],
            16.5,
        );
        let q = assess(&t, None);
        assert!(!q.poor, "{:?}", q.reasons);
        assert_eq!(q.doubtful_share, Some(0.0));
        assert_eq!(q.mean_logprob, Some(-0.35));
        assert_eq!(q.speech_share, Some(0.94));
    }

    #[test]
    fn each_threshold_trips_the_gate() {
        // Low confidence over a third of the speech.
        let t = transcript(
            vec![
                seg(0.0, 8.0, TWENTY, -0.3, 0.01),
                seg(8.0, 14.0, TWENTY, -1.3, 0.2),
            ],
            14.0,
        );
        let q = assess(&t, None);
        assert!(q.poor);
        assert!(
            q.reasons[0].contains("43% of the speech"),
            "{:?}",
            q.reasons
        );
        // Exactly at the limits is still good, and so is a confident
        // segment that Whisper thinks may be silence.
        let at_limit = transcript(vec![seg(0.0, 8.0, TWENTY, -0.5, 0.6)], 8.0);
        assert!(!assess(&at_limit, None).poor);
        let sure = transcript(vec![seg(0.0, 8.0, TWENTY, -0.45, 0.65)], 8.0);
        assert!(
            !assess(&sure, None).poor,
            "{:?}",
            assess(&sure, None).reasons
        );
        let unsure = transcript(
            vec![
                seg(0.0, 4.0, TWENTY, -0.3, 0.1),
                seg(4.0, 8.0, TWENTY, -0.6, 0.65),
            ],
            8.0,
        );
        assert!(assess(&unsure, None).reasons[0].contains("50% of the speech"));
        // Mean confidence alone.
        let t = transcript(vec![seg(0.0, 8.0, TWENTY, -0.6, 0.1)], 8.0);
        assert!(assess(&t, None).reasons[0].contains("mean confidence"));
        // Few words for the speaking time: 4 words in 12 s.
        let t = transcript(vec![seg(0.0, 12.0, "the d i l", -0.3, 0.1)], 12.0);
        assert!(assess(&t, None).reasons[0].contains("20 words per minute"));
        // Mostly silence.
        let t = transcript(vec![seg(0.0, 8.0, TWENTY, -0.3, 0.1)], 60.0);
        assert!(assess(&t, None).reasons[0].contains("only 13% of the 60 s"));
        // A decoder loop.
        let t = transcript(
            vec![seg(
                0.0,
                8.0,
                "thank you thank you thank you thank you so",
                -0.3,
                0.1,
            )],
            8.0,
        );
        assert!(assess(&t, None).reasons[0].contains("“thank you” repeats 4 times"));
    }

    #[test]
    fn plain_text_is_checked_for_rate_when_the_length_is_known() {
        let t = Transcript {
            text: "the gil".into(),
            language: None,
            duration: None,
            segments: vec![],
        };
        assert!(assess(&t, Some(30.0)).poor);
        assert!(!assess(&t, None).poor);
        assert_eq!(assess(&t, None).words_per_minute, None);
    }

    #[test]
    fn repeated_phrases_need_a_run() {
        assert_eq!(repeated_phrase("a b a b a b", 4), None);
        assert_eq!(
            repeated_phrase("so so so so so then", 4),
            Some(("so".into(), 5))
        );
        assert_eq!(repeated_phrase("", 4), None);
    }
}
