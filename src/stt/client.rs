//! The transcription client: one multipart `POST {base}/audio/transcriptions`
//! per recording, carried by the LLM client's transport (retries with
//! backoff and jitter, `Retry-After`, the run's retry budget, and the same
//! classification of 401/403/404/TLS failures), and cached by the audio's
//! digest so a rerun does not transcribe again.
//!
//! The request asks for `verbose_json` (segments with timings and
//! confidence). A server that rejects that format is asked for plain `json`
//! once; a server that ignores it and answers `{"text": ...}` works too,
//! without timings.

use serde_json::{Value, json};

use super::transcript::{self, Transcript};
use crate::audio::Audio;
use crate::config::SttConfig;
use crate::llm::cache::Cache;
use crate::llm::client::{Client, LlmError};

/// Why a recording could not be transcribed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SttError {
    #[error("transcription failed: {0}")]
    Http(LlmError),
    #[error("the endpoint {url} has no transcription route (404): {detail}")]
    NoRoute { url: String, detail: String },
    #[error("the transcription endpoint refused {origin} as too large (HTTP 413): {detail}")]
    TooLarge { origin: String, detail: String },
    #[error("the transcription endpoint could not decode {origin}: {detail}")]
    Undecodable { origin: String, detail: String },
    #[error("the transcript of {origin} is empty: no speech was heard")]
    Empty { origin: String },
    #[error("the transcription endpoint's response is not a transcript: {0}")]
    BadResponse(String),
}

impl SttError {
    /// A stable kind for batch journals.
    pub fn kind(&self) -> &'static str {
        match self {
            SttError::Http(LlmError::Auth { .. }) => "auth",
            SttError::Http(LlmError::Timeout { .. }) => "stt-timeout",
            SttError::Http(LlmError::Unreachable { .. }) => "stt-unreachable",
            SttError::Http(_) => "stt-endpoint",
            SttError::NoRoute { .. } => "stt-no-route",
            SttError::TooLarge { .. } => "audio-too-large",
            SttError::Undecodable { .. } => "undecodable-audio",
            SttError::Empty { .. } => "empty-transcript",
            SttError::BadResponse(_) => "stt-bad-response",
        }
    }

    /// Whether the failure is the endpoint's (as opposed to this recording's).
    pub fn is_endpoint_failure(&self) -> bool {
        !matches!(
            self,
            SttError::TooLarge { .. } | SttError::Undecodable { .. } | SttError::Empty { .. }
        )
    }
}

/// A transcript, and whether it came from the cache.
#[derive(Debug, Clone)]
pub struct Transcribed {
    pub transcript: Transcript,
    pub cached: bool,
}

pub struct Transcriber {
    client: Client,
    pub cfg: SttConfig,
}

/// Whether a 4xx response is about the audio itself.
fn is_undecodable(status: u16, detail: &str) -> bool {
    let d = detail.to_ascii_lowercase();
    matches!(status, 400 | 415 | 422)
        && [
            "file format",
            "invalid file",
            "decode",
            "too short",
            "unsupported",
            "audio",
        ]
        .iter()
        .any(|k| d.contains(k))
}

impl Transcriber {
    pub fn new(cfg: SttConfig) -> Result<Transcriber, SttError> {
        let client = Client::new(cfg.transport()).map_err(SttError::Http)?;
        Ok(Transcriber { client, cfg })
    }

    /// Shares a batch's retry budget with the grader's requests.
    pub fn with_retry_budget(mut self, budget: Option<u64>) -> Transcriber {
        self.client.retry_budget = budget;
        self
    }

    pub fn url(&self) -> String {
        format!(
            "{}/audio/transcriptions",
            self.cfg.base_url.value.trim_end_matches('/')
        )
    }

    /// The form fields besides `file`, in the order sent; `prompt` only
    /// when prompting is on and there is one.
    pub fn fields(&self, prompt: Option<&str>, format: &str) -> Vec<(&'static str, String)> {
        let mut f = vec![
            ("model", self.cfg.model.value.clone()),
            ("response_format", format.to_string()),
        ];
        if let Some(l) = &self.cfg.language.value {
            f.push(("language", l.clone()));
        }
        if let Some(p) = prompt.filter(|p| self.cfg.prompt.value && !p.is_empty()) {
            f.push(("prompt", p.to_string()));
        }
        f
    }

    fn cache_key(&self, audio: &Audio, fields: &[(&'static str, String)]) -> String {
        let fields: serde_json::Map<String, Value> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        Cache::key(
            &self.url(),
            &json!({"audio_sha256": audio.sha256, "fields": fields}),
        )
    }

    /// Transcribes a recording, from the cache when it was heard before with
    /// the same endpoint, model, language and prompt.
    pub async fn transcribe(
        &self,
        audio: &Audio,
        prompt: Option<&str>,
    ) -> Result<Transcribed, SttError> {
        let mut format = "verbose_json";
        loop {
            let fields = self.fields(prompt, format);
            let key = self.cache_key(audio, &fields);
            if let Some(hit) = self.client.cache().and_then(|c| c.get(&key))
                && let Ok(transcript) = transcript::parse(&hit)
            {
                return Ok(Transcribed {
                    transcript,
                    cached: true,
                });
            }
            let make = || {
                let part = reqwest::multipart::Part::bytes(audio.bytes.clone())
                    .file_name(audio.file_name.clone())
                    .mime_str(audio.format.mime())
                    .expect("a valid MIME type");
                fields.iter().fold(
                    reqwest::multipart::Form::new().part("file", part),
                    |form, (k, v)| form.text(*k, v.clone()),
                )
            };
            match self.client.post_form(&self.url(), make).await {
                Ok(v) => {
                    let transcript =
                        transcript::parse(&v).map_err(|e| SttError::BadResponse(e.0))?;
                    if let Some(c) = self.client.cache() {
                        c.put(&key, &v);
                    }
                    return Ok(Transcribed {
                        transcript,
                        cached: false,
                    });
                }
                // A server that only speaks plain `json` is asked once more.
                Err(LlmError::Rejected { detail, .. })
                    if format == "verbose_json" && detail.contains("response_format") =>
                {
                    format = "json";
                }
                Err(e) => return Err(self.classify(audio, e)),
            }
        }
    }

    fn classify(&self, audio: &Audio, e: LlmError) -> SttError {
        match e {
            LlmError::NotFound { detail } => SttError::NoRoute {
                url: self.cfg.base_url.value.clone(),
                detail,
            },
            LlmError::Rejected {
                status: 413,
                detail,
            } => SttError::TooLarge {
                origin: audio.origin.clone(),
                detail,
            },
            LlmError::Rejected { status, detail } if is_undecodable(status, &detail) => {
                SttError::Undecodable {
                    origin: audio.origin.clone(),
                    detail,
                }
            }
            LlmError::BadResponse(d) => SttError::BadResponse(d),
            e => SttError::Http(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audio_errors_are_told_from_other_rejections() {
        assert!(is_undecodable(
            400,
            "Invalid file format. Supported formats: ['flac', 'm4a']"
        ));
        assert!(is_undecodable(400, "Audio file is too short."));
        assert!(!is_undecodable(400, "Invalid language 'xx'"));
        assert!(!is_undecodable(500, "could not decode"));
    }
}
