//! The HTTP client for OpenAI-compatible chat completions.
//!
//! It asks for structured output in the strongest form the server accepts
//! (strict `json_schema`, then llama.cpp's `json_object` + `schema`, then plain
//! `json_object`, then free text) and remembers what worked for the rest of
//! the run. Only a response recognised as a rejection of the format weakens
//! it: a burst of server errors is an outage, not a verdict on the format.
//! Transient failures (429, 5xx, timeouts, refused connections) are retried
//! with exponential backoff and jitter, honouring `Retry-After` (seconds or an
//! HTTP date, clamped), within a retry budget shared by the whole run; other
//! 4xx and TLS failures are not, and become specific errors. Successful
//! responses are cached.

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::cache::Cache;
use super::outgoing::Outgoing;
use crate::config::LlmConfig;

/// A chat-completion request, borrowing the messages and schema it sends:
/// building it as a `Value` cloned both for every request. Fields are in
/// alphabetical order, the order a `Value` object serialises its keys in,
/// so the bytes (and the cache keys hashed from them) are the same as the
/// `Value` [`Client::body`] returns.
#[derive(serde::Serialize)]
struct RequestBody<'a> {
    max_tokens: u32,
    messages: &'a [Value],
    model: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_format: Option<ResponseFormat<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<i64>,
    temperature: f64,
}

impl<'a> RequestBody<'a> {
    /// The body serialised, as sent and as hashed for the cache.
    fn json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a request body serialises")
    }

    fn new(
        model: &'a str,
        temperature: f64,
        messages: &'a [Value],
        schema: &'a Value,
        max_tokens: u32,
        seed: Option<i64>,
        mode: FormatMode,
    ) -> Self {
        let format = |json_schema, schema, kind| {
            Some(ResponseFormat {
                json_schema,
                schema,
                kind,
            })
        };
        let response_format = match mode {
            FormatMode::JsonSchema => format(
                Some(NamedSchema {
                    name: "verdict",
                    schema,
                    strict: true,
                }),
                None,
                "json_schema",
            ),
            FormatMode::JsonObjectSchema => format(None, Some(schema), "json_object"),
            FormatMode::JsonObject => format(None, None, "json_object"),
            FormatMode::Plain => None,
        };
        RequestBody {
            max_tokens,
            messages,
            model,
            response_format,
            seed,
            temperature,
        }
    }
}

#[derive(serde::Serialize)]
struct ResponseFormat<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    json_schema: Option<NamedSchema<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<&'a Value>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(serde::Serialize)]
struct NamedSchema<'a> {
    name: &'static str,
    schema: &'a Value,
    strict: bool,
}

/// How structured output is requested, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FormatMode {
    JsonSchema = 0,
    JsonObjectSchema = 1,
    JsonObject = 2,
    Plain = 3,
}

impl FormatMode {
    fn from_u8(v: u8) -> FormatMode {
        match v {
            0 => FormatMode::JsonSchema,
            1 => FormatMode::JsonObjectSchema,
            2 => FormatMode::JsonObject,
            _ => FormatMode::Plain,
        }
    }

    fn weaker(self) -> Option<FormatMode> {
        match self {
            FormatMode::JsonSchema => Some(FormatMode::JsonObjectSchema),
            FormatMode::JsonObjectSchema => Some(FormatMode::JsonObject),
            FormatMode::JsonObject => Some(FormatMode::Plain),
            FormatMode::Plain => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            FormatMode::JsonSchema => "json_schema",
            FormatMode::JsonObjectSchema => "json_object+schema",
            FormatMode::JsonObject => "json_object",
            FormatMode::Plain => "plain text",
        }
    }
}

/// Why a request failed for good.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LlmError {
    #[error("cannot reach the endpoint {url}: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("TLS with {url} failed: {detail}")]
    Tls { url: String, detail: String },
    #[error("the endpoint did not answer within {secs} s")]
    Timeout { secs: u64 },
    #[error("the endpoint refused the credentials (HTTP {status}): {detail}")]
    Auth { status: u16, detail: String },
    #[error("the endpoint answered 404 Not Found: {detail}")]
    NotFound { detail: String },
    #[error("the endpoint rejected the request (HTTP {status}): {detail}")]
    Rejected { status: u16, detail: String },
    #[error("the endpoint kept failing (HTTP {status}): {detail}")]
    Server { status: u16, detail: String },
    #[error("the endpoint's response is not a chat completion: {0}")]
    BadResponse(String),
    #[error("the model's verdict is invalid after a repair request: {0}")]
    InvalidVerdict(String),
}

impl LlmError {
    /// Failures where grading offline instead is the sensible fallback.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            LlmError::Unreachable { .. } | LlmError::Timeout { .. }
        )
    }
}

/// Token counts of one or more requests.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

impl Usage {
    pub fn add(&mut self, other: Usage) {
        self.prompt_tokens += other.prompt_tokens;
        self.completion_tokens += other.completion_tokens;
    }
}

/// One chat completion's useful parts.
#[derive(Debug, Clone)]
pub struct Reply {
    pub content: String,
    pub finish_reason: Option<String>,
    pub usage: Usage,
    pub cached: bool,
}

/// Counters for reports and end-to-end checks.
#[derive(Debug, Default)]
pub struct Stats {
    pub requests: AtomicU64,
    pub retries: AtomicU64,
    pub cache_hits: AtomicU64,
    pub repairs: AtomicU64,
    /// Set once a transient failure was not retried because the run's
    /// retry budget was spent.
    pub budget_spent: AtomicBool,
}

pub struct Client {
    http: reqwest::Client,
    pub cfg: LlmConfig,
    /// Shared request/token limits of a batch.
    pub limiter: Option<std::sync::Arc<super::limiter::Limiter>>,
    mode: AtomicU8,
    cache: Option<Cache>,
    retry_base: Duration,
    /// Retries allowed in the whole run, across all answers; `None` allows
    /// 10 plus a fifth of the requests sent, so a failing endpoint cannot
    /// multiply the load.
    pub retry_budget: Option<u64>,
    pub stats: Stats,
    /// Request bodies built and not yet written, and how long replies
    /// take (see [`Outgoing`]).
    pub outgoing: std::sync::Arc<Outgoing>,
}

/// The longest wait a `Retry-After` header can impose.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

fn is_transient(status: u16) -> bool {
    matches!(status, 408 | 409 | 425 | 429) || status >= 500
}

/// Whether an error response says the `response_format` was not accepted.
/// Servers differ: OpenAI answers 400, the stock llama-cpp-python server 500.
fn is_format_rejection(status: u16, body: &str) -> bool {
    let b = body.to_ascii_lowercase();
    matches!(status, 400 | 422 | 500 | 501)
        && ["response_format", "json_schema", "schema", "grammar"]
            .iter()
            .any(|k| b.contains(k))
}

fn error_detail(body: &str) -> String {
    let from_json = serde_json::from_str::<Value>(body).ok().and_then(|v| {
        v.pointer("/error/message")
            .or_else(|| v.get("error"))
            .or_else(|| v.get("detail"))
            .or_else(|| v.get("message"))
            .map(|m| {
                m.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| m.to_string())
            })
    });
    let text = from_json.unwrap_or_else(|| body.to_string());
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 200 {
        format!("{}…", one_line.chars().take(200).collect::<String>())
    } else if one_line.is_empty() {
        "(empty body)".into()
    } else {
        one_line
    }
}

fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let v = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    retry_after_value(v, SystemTime::now())
}

/// The wait a `Retry-After` value asks for: delay-seconds or an HTTP date,
/// clamped to [0, 60 s]. Anything else (`NaN`, garbage) is ignored, so the
/// usual backoff applies.
fn retry_after_value(v: &str, now: SystemTime) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<f64>() {
        // `inf` is merely huge and clamps; NaN has no meaning at all.
        if secs.is_nan() {
            return None;
        }
        return Some(Duration::from_secs_f64(
            secs.clamp(0.0, MAX_RETRY_AFTER.as_secs_f64()),
        ));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(
        at.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(MAX_RETRY_AFTER),
    )
}

/// Every message in an error's source chain, outermost first.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(inner) = cur {
        out.push(inner.to_string());
        cur = inner.source();
    }
    out
}

/// Whether a connection failed in TLS (handshake, certificate, or a plain
/// HTTP server behind an https URL) rather than in reaching the host:
/// retrying cannot fix it and falling back would hide it. The outermost
/// message names the URL, whose host may contain "tls", so only the causes
/// are read.
fn is_tls_failure(chain: &[String]) -> bool {
    chain.iter().skip(1).any(|m| {
        let m = m.to_ascii_lowercase();
        [
            "certificate",
            "tls",
            "ssl",
            "handshake",
            "invalidcontenttype",
            "corrupt message",
        ]
        .iter()
        .any(|k| m.contains(k))
    })
}

enum Attempt {
    Done(Value),
    Retry(LlmError, Option<Duration>),
    Fail(LlmError),
}

impl Client {
    pub fn new(cfg: LlmConfig) -> Result<Client, LlmError> {
        let http = reqwest::Client::builder()
            .timeout(cfg.timeout.value)
            .connect_timeout(cfg.connect_timeout)
            .user_agent(concat!("viva/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| LlmError::BadResponse(format!("cannot build HTTP client: {e}")))?;
        let retry_base = std::env::var("VIVA_RETRY_BASE_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map_or(Duration::from_millis(500), Duration::from_millis);
        let cache = cfg.cache_dir.as_deref().map(Cache::new);
        Ok(Client {
            http,
            cfg,
            limiter: None,
            mode: AtomicU8::new(FormatMode::JsonSchema as u8),
            cache,
            retry_base,
            retry_budget: None,
            stats: Stats::default(),
            outgoing: Default::default(),
        })
    }

    /// The structured-output form currently in use.
    pub fn format_mode(&self) -> FormatMode {
        FormatMode::from_u8(self.mode.load(Ordering::Relaxed))
    }

    fn downgrade(&self, from: FormatMode) -> bool {
        match from.weaker() {
            Some(w) => {
                // Only ever weaken, even with concurrent requests.
                self.mode.fetch_max(w as u8, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// The request body for the given messages, without credentials.
    pub fn body(
        &self,
        messages: &[Value],
        schema: &Value,
        max_tokens: u32,
        seed: Option<i64>,
        mode: FormatMode,
    ) -> Value {
        serde_json::to_value(self.request_body(messages, schema, max_tokens, seed, mode))
            .expect("a request body is JSON")
    }

    fn request_body<'a>(
        &'a self,
        messages: &'a [Value],
        schema: &'a Value,
        max_tokens: u32,
        seed: Option<i64>,
        mode: FormatMode,
    ) -> RequestBody<'a> {
        RequestBody::new(
            &self.cfg.model.value,
            self.cfg.temperature.value,
            messages,
            schema,
            max_tokens,
            seed,
            mode,
        )
    }

    fn url(&self) -> String {
        format!(
            "{}/chat/completions",
            self.cfg.base_url.value.trim_end_matches('/')
        )
    }

    /// A cached reply to this request in `mode` or a weaker output form.
    ///
    /// A reply cached in a weaker form means the server rejected the stronger
    /// ones on an earlier run; looking it up first (and weakening the mode to
    /// it) keeps a rerun from sending a request only to be rejected again.
    fn cached(
        &self,
        json: &[u8],
        messages: &[Value],
        schema: &Value,
        max_tokens: u32,
        seed: Option<i64>,
        mode: FormatMode,
    ) -> Option<Reply> {
        let cache = self.cache.as_ref()?;
        let mut form = Some(mode);
        while let Some(m) = form {
            let weaker;
            let json = if m == mode {
                json
            } else {
                weaker = self
                    .request_body(messages, schema, max_tokens, seed, m)
                    .json();
                &weaker
            };
            if let Some(hit) = cache.get(&Cache::key_of_json(&self.url(), json))
                && let Ok(mut reply) = parse_completion(&hit)
            {
                self.mode.fetch_max(m as u8, Ordering::Relaxed);
                self.stats.cache_hits.fetch_add(1, Ordering::Relaxed);
                reply.cached = true;
                return Some(reply);
            }
            form = m.weaker();
        }
        None
    }

    /// One chat completion, in the strongest output form the server accepts.
    pub async fn complete(
        &self,
        messages: &[Value],
        schema: &Value,
        max_tokens: u32,
        seed: Option<i64>,
    ) -> Result<Reply, LlmError> {
        loop {
            let mode = self.format_mode();
            // Serialised once: for the cache key and to send. With the
            // keyword grader's corroboration, serialising the body three
            // times was a tenth of a large LLM batch's CPU.
            let json = self
                .request_body(messages, schema, max_tokens, seed, mode)
                .json();
            if let Some(reply) = self.cached(&json, messages, schema, max_tokens, seed, mode) {
                return Ok(reply);
            }
            let key = self
                .cache
                .is_some()
                .then(|| Cache::key_of_json(&self.url(), &json));
            // Rough token estimate for rate limiting: ~4 characters a token.
            let estimate = match &self.limiter {
                Some(_) => {
                    serde_json::to_vec(messages).map_or(0, |m| m.len()) as u64 / 4
                        + u64::from(max_tokens.min(1024))
                }
                None => 0,
            };
            match self.send(json, estimate).await {
                Ok(v) => {
                    let reply = parse_completion(&v)?;
                    if let Some(l) = &self.limiter {
                        l.settle(
                            estimate,
                            reply.usage.prompt_tokens + reply.usage.completion_tokens,
                        )
                        .await;
                    }
                    if let (Some(c), Some(key)) = (&self.cache, &key)
                        && reply.finish_reason.as_deref() != Some("length")
                    {
                        c.put(key, &v);
                    }
                    return Ok(reply);
                }
                Err(LlmError::Rejected { status, detail })
                    if is_format_rejection(status, &detail) =>
                {
                    if !self.downgrade(mode) {
                        return Err(LlmError::Rejected { status, detail });
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn send(&self, json: Vec<u8>, estimate: u64) -> Result<Value, LlmError> {
        let url = self.url();
        let json = bytes::Bytes::from(json);
        let started = std::time::Instant::now();
        let reply = self
            .send_with(estimate, || {
                self.http
                    .post(&url)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(reqwest::Body::wrap(self.outgoing.body(json.clone())))
            })
            .await;
        if reply.is_ok() {
            self.outgoing.took(started.elapsed());
        }
        reply
    }

    /// Posts a multipart form to `url` (a transcription), with the same
    /// retries, backoff, retry budget and error classification as chat
    /// requests. `make` builds the form anew for each attempt.
    pub async fn post_form(
        &self,
        url: &str,
        make: impl Fn() -> reqwest::multipart::Form,
    ) -> Result<Value, LlmError> {
        self.send_with(0, || self.http.post(url).multipart(make()))
            .await
    }

    /// The response cache, when caching is on.
    pub fn cache(&self) -> Option<&Cache> {
        self.cache.as_ref()
    }

    /// Sends the request `make` builds, retrying transient failures.
    async fn send_with(
        &self,
        estimate: u64,
        make: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Value, LlmError> {
        let attempts = self.cfg.max_attempts.value;
        let mut last = None;
        for attempt in 1..=attempts {
            if let Some(l) = &self.limiter {
                l.acquire(estimate).await;
            }
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            match self.attempt(make()).await {
                Attempt::Done(v) => return Ok(v),
                Attempt::Fail(e) => return Err(e),
                Attempt::Retry(e, after) => {
                    last = Some(e);
                    if attempt < attempts {
                        if !self.take_retry() {
                            self.stats.budget_spent.store(true, Ordering::Relaxed);
                            break;
                        }
                        let backoff = self.retry_base.mul_f64(2f64.powi(attempt as i32 - 1));
                        let jittered = backoff.mul_f64(0.5 + fastrand::f64());
                        let wait = after.unwrap_or(jittered).min(MAX_RETRY_AFTER);
                        tokio::time::sleep(wait).await;
                    }
                }
            }
        }
        Err(last.expect("at least one attempt"))
    }

    /// Takes one retry from the run's budget; false when it is spent.
    fn take_retry(&self) -> bool {
        let limit = self
            .retry_budget
            .unwrap_or_else(|| 10 + self.stats.requests.load(Ordering::Relaxed) / 5);
        self.stats
            .retries
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |r| {
                (r < limit).then_some(r + 1)
            })
            .is_ok()
    }

    async fn attempt(&self, mut req: reqwest::RequestBuilder) -> Attempt {
        if let Some(key) = &self.cfg.api_key {
            req = req.bearer_auth(key.value.expose());
        }
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return Attempt::Retry(
                    LlmError::Timeout {
                        secs: self.cfg.timeout.value.as_secs(),
                    },
                    None,
                );
            }
            Err(e) => {
                let chain = error_chain(&e);
                // The innermost cause says the most.
                let detail = chain.last().cloned().unwrap_or_default();
                if is_tls_failure(&chain) {
                    return Attempt::Fail(LlmError::Tls {
                        url: self.cfg.base_url.value.clone(),
                        detail,
                    });
                }
                return Attempt::Retry(
                    LlmError::Unreachable {
                        url: self.cfg.base_url.value.clone(),
                        detail,
                    },
                    None,
                );
            }
        };
        let status = resp.status().as_u16();
        let after = retry_after(resp.headers());
        let text = match resp.text().await {
            Ok(t) => t,
            Err(e) if e.is_timeout() => {
                return Attempt::Retry(
                    LlmError::Timeout {
                        secs: self.cfg.timeout.value.as_secs(),
                    },
                    None,
                );
            }
            Err(e) => return Attempt::Retry(LlmError::BadResponse(e.to_string()), None),
        };
        if (200..300).contains(&status) {
            return match serde_json::from_str(&text) {
                Ok(v) => Attempt::Done(v),
                Err(e) => Attempt::Fail(LlmError::BadResponse(format!("invalid JSON: {e}"))),
            };
        }
        let detail = error_detail(&text);
        if is_format_rejection(status, &text) {
            return Attempt::Fail(LlmError::Rejected {
                status,
                detail: text.chars().take(500).collect(),
            });
        }
        match status {
            401 | 403 => Attempt::Fail(LlmError::Auth { status, detail }),
            404 => Attempt::Fail(LlmError::NotFound { detail }),
            s if is_transient(s) => Attempt::Retry(LlmError::Server { status, detail }, after),
            _ => Attempt::Fail(LlmError::Rejected { status, detail }),
        }
    }
}

/// The useful parts of a chat completion response body.
pub fn parse_completion(v: &Value) -> Result<Reply, LlmError> {
    let choice = v
        .pointer("/choices/0")
        .ok_or_else(|| LlmError::BadResponse("no choices in the response".into()))?;
    let content = choice
        .pointer("/message/content")
        .and_then(Value::as_str)
        .ok_or_else(|| LlmError::BadResponse("the first choice has no message content".into()))?
        .to_string();
    let usage = Usage {
        prompt_tokens: v
            .pointer("/usage/prompt_tokens")
            .and_then(Value::as_u64)
            .unwrap_or(0),
        completion_tokens: v
            .pointer("/usage/completion_tokens")
            .and_then(Value::as_u64)
            .unwrap_or(0),
    };
    Ok(Reply {
        content,
        finish_reason: choice
            .get("finish_reason")
            .and_then(Value::as_str)
            .map(str::to_string),
        usage,
        cached: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The body is serialised from borrowed parts; its bytes must be those
    /// of the same body as a `Value` (keys sorted), or every cached reply
    /// would miss and `viva prompt` would show another request than is sent.
    #[test]
    fn request_bytes_are_those_of_the_value_body() {
        let messages = vec![
            serde_json::json!({"role": "system", "content": "Grade \"this\"."}),
            serde_json::json!({"role": "user", "content": "answer ü"}),
        ];
        let schema = serde_json::json!({"type": "object", "required": ["points"], "additionalProperties": false});
        for mode in [
            FormatMode::JsonSchema,
            FormatMode::JsonObjectSchema,
            FormatMode::JsonObject,
            FormatMode::Plain,
        ] {
            for seed in [None, Some(-3)] {
                let body = RequestBody::new("m-1", 0.2, &messages, &schema, 900, seed, mode);
                let bytes = serde_json::to_vec(&body).unwrap();
                let value = serde_json::to_value(&body).unwrap();
                assert_eq!(
                    bytes,
                    serde_json::to_vec(&value).unwrap(),
                    "{mode:?} {seed:?}"
                );
            }
        }
        let body = RequestBody::new(
            "m-1",
            0.0,
            &messages,
            &schema,
            900,
            Some(7),
            FormatMode::JsonSchema,
        );
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({
                "model": "m-1",
                "messages": messages,
                "temperature": 0.0,
                "max_tokens": 900,
                "seed": 7,
                "response_format": {"type": "json_schema", "json_schema": {"name": "verdict", "strict": true, "schema": schema}},
            })
        );
    }

    #[test]
    fn recognises_format_rejections_by_content() {
        assert!(is_format_rejection(
            500,
            r#"{"error":{"message":"'json_schema' is not supported"}}"#
        ));
        assert!(is_format_rejection(400, "Invalid response_format"));
        assert!(!is_format_rejection(500, "internal error"));
        assert!(!is_format_rejection(429, "schema"));
    }

    #[test]
    fn retry_after_is_seconds_or_a_date_and_never_panics() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        let secs = |v| retry_after_value(v, now);
        assert_eq!(secs("3"), Some(Duration::from_secs(3)));
        assert_eq!(secs(" 1.5 "), Some(Duration::from_millis(1500)));
        // Regression: `NaN` panicked in Duration::from_secs_f64.
        assert_eq!(secs("NaN"), None);
        assert_eq!(secs("soon"), None);
        assert_eq!(secs("-5"), Some(Duration::ZERO));
        assert_eq!(secs("1e300"), Some(MAX_RETRY_AFTER));
        assert_eq!(secs("inf"), Some(MAX_RETRY_AFTER));
        assert_eq!(
            secs("Sun, 06 Nov 1994 08:49:47 GMT"),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            secs("Sunday, 06-Nov-94 08:49:57 GMT"),
            Some(Duration::from_secs(20))
        );
        assert_eq!(secs("Sat, 05 Nov 1994 08:49:37 GMT"), Some(Duration::ZERO));
        assert_eq!(secs("Mon, 07 Nov 1994 08:49:37 GMT"), Some(MAX_RETRY_AFTER));
    }

    #[test]
    fn tls_failures_are_told_apart_from_unreachable_hosts() {
        let chain = |m: &str| vec!["error sending request".to_string(), m.to_string()];
        assert!(is_tls_failure(&chain(
            "invalid peer certificate: UnknownIssuer"
        )));
        assert!(is_tls_failure(&chain(
            "received corrupt message of type InvalidContentType"
        )));
        assert!(!is_tls_failure(&chain("Connection refused (os error 111)")));
        assert!(!is_tls_failure(&[
            "error sending request for url (https://tls-gateway.internal/v1)".into(),
            "Connection refused (os error 111)".into(),
        ]));
    }

    #[test]
    fn classifies_transient_statuses() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(is_transient(s), "{s}");
        }
        for s in [400, 401, 403, 404, 422] {
            assert!(!is_transient(s), "{s}");
        }
    }

    #[test]
    fn error_details_are_one_short_line() {
        assert_eq!(
            error_detail(r#"{"error":{"message":"Incorrect API key\nprovided"}}"#),
            "Incorrect API key provided"
        );
        assert_eq!(error_detail(""), "(empty body)");
        assert!(error_detail(&"x".repeat(500)).ends_with('…'));
    }
}
