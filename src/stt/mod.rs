//! Spoken answers: a recording goes to an OpenAI-compatible transcription
//! endpoint, and the transcript comes back with its timings, a verdict on
//! its quality and figures on how the answer was said.
//!
//! Data flows one way: [`crate::audio`] reads the recording, [`client`]
//! transcribes it (cached by the audio's digest), [`quality`] and
//! [`delivery`] read the transcript, and the result, a [`Spoken`], travels
//! with the grading into reports, journals and practice history. Nothing
//! here grades; `bank` and `text` know nothing of this module.

pub mod client;
pub mod delivery;
pub mod prompt;
pub mod quality;
pub mod transcript;
mod words;

use serde::{Deserialize, Serialize};

pub use client::{SttError, Transcribed, Transcriber};
pub use delivery::Delivery;
pub use quality::Quality;
pub use transcript::{Segment, Transcript};

use crate::audio::Audio;

/// The recording an answer came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioInfo {
    /// The file as given.
    pub file: String,
    /// The container: wav, mp3, m4a, ogg, flac or webm.
    pub format: String,
    pub bytes: u64,
    pub sha256: String,
    /// Length in seconds: the endpoint's figure, else the file's (WAV).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_secs: Option<f64>,
}

/// Who transcribed it, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriberInfo {
    pub model: String,
    pub base_url: String,
    /// The prompt sent (the question's terms), or null.
    #[serde(default)]
    pub prompt: Option<String>,
    /// True when the transcript came from the cache.
    #[serde(default)]
    pub cached: bool,
    /// Why the question's terms were not kept as the prompt: what the
    /// quality gate said of the transcript heard with them, when the one
    /// heard without them passed (see [`hear`]). Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_dropped: Option<String>,
}

/// When a quote the grader took from a spoken answer was said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteTime {
    /// The key point or misconception id the quote belongs to.
    pub id: String,
    /// Seconds from the start of the recording.
    pub at: f64,
}

/// Everything viva knows about a spoken answer besides its grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spoken {
    pub audio: AudioInfo,
    pub transcriber: TranscriberInfo,
    pub transcript: Transcript,
    pub quality: Quality,
    /// Speaking time, rate, fillers and pauses; null without segment timings.
    #[serde(default)]
    pub delivery: Option<Delivery>,
    /// When each quoted piece of evidence was said.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<QuoteTime>,
}

impl Spoken {
    /// When the quote for `id` was said, if known.
    pub fn quote_at(&self, id: &str) -> Option<f64> {
        self.quotes.iter().find(|q| q.id == id).map(|q| q.at)
    }
}

/// Transcribes a recording and reads the transcript: the one way `grade`,
/// `batch` and `practice` hear an answer. An empty transcript is an error,
/// since there is nothing to grade.
///
/// A prompt can derail a small Whisper model: given the terms of a
/// question on iterators, tiny.en heard a two-minute answer as ". . . ."
/// and nothing else, where without the prompt it heard the answer. So when
/// the transcript heard with the prompt fails the quality gate (or is
/// empty), the recording is transcribed once more without it, and that
/// transcript is kept if it passes; the report says the prompt was dropped
/// and why. Whisper itself decodes again, at a higher temperature, when a
/// segment fails its checks; this is the same idea one level up. Both
/// requests are deterministic and cached, so a regrade makes the same ones.
pub async fn hear(
    transcriber: &Transcriber,
    audio: &Audio,
    prompt: Option<&str>,
) -> Result<Spoken, SttError> {
    let file_duration = audio.duration_secs();
    let mut sent_prompt = transcriber
        .fields(prompt, "verbose_json")
        .into_iter()
        .find(|(k, _)| *k == "prompt")
        .map(|(_, v)| v);
    let mut heard = transcriber.transcribe(audio, prompt).await;
    let mut prompt_dropped = None;
    if sent_prompt.is_some() {
        let failed = match &heard {
            Ok(h) if !h.transcript.answer_text().trim().is_empty() => {
                let q = quality::assess(&h.transcript, file_duration);
                q.poor.then(|| q.reasons.join("; "))
            }
            Ok(_) => Some("the transcript was empty".to_string()),
            Err(_) => None,
        };
        if let Some(reasons) = failed
            && let Ok(plain) = transcriber.transcribe(audio, None).await
            && !plain.transcript.answer_text().trim().is_empty()
            && !quality::assess(&plain.transcript, file_duration).poor
        {
            heard = Ok(plain);
            sent_prompt = None;
            prompt_dropped = Some(format!(
                "heard with the question's terms as the prompt, {reasons}"
            ));
        }
    }
    let heard = heard?;
    let t = heard.transcript;
    if t.answer_text().trim().is_empty() {
        return Err(SttError::Empty {
            origin: audio.origin.clone(),
        });
    }
    let quality = quality::assess(&t, file_duration);
    let delivery = delivery::measure(&t);
    Ok(Spoken {
        audio: AudioInfo {
            file: audio.origin.clone(),
            format: audio.format.name().into(),
            bytes: audio.bytes.len() as u64,
            sha256: audio.sha256.clone(),
            duration_secs: t.duration.or(file_duration),
        },
        transcriber: TranscriberInfo {
            model: transcriber.cfg.model.value.clone(),
            base_url: transcriber.cfg.base_url.value.clone(),
            prompt: sent_prompt,
            cached: heard.cached,
            prompt_dropped,
        },
        transcript: t,
        quality,
        delivery,
        quotes: Vec::new(),
    })
}
