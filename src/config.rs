//! The resolved LLM configuration and where each value came from.
//!
//! Precedence: command-line flags > environment > `viva.toml` in the working
//! folder > the user's `config.toml` (in the platform config dir, `viva/`) >
//! defaults. Everything is validated here, before any work starts. The API
//! key is read only from the environment and never written anywhere.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::cli::{LlmArgs, SttArgs};
use crate::error::{Error, Result};

pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
pub const DEFAULT_MODEL: &str = "gpt-4o-mini";

/// Where a setting's value came from, shown by `viva config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Flag,
    Env(&'static str),
    File(PathBuf),
    Default,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Flag => f.write_str("flag"),
            Origin::Env(v) => write!(f, "env {v}"),
            Origin::File(p) => write!(f, "file {}", p.display()),
            Origin::Default => f.write_str("default"),
        }
    }
}

/// A value with its origin.
#[derive(Debug, Clone)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

/// An API key that cannot be printed by accident.
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// At most the first three and last four characters: `sk-…abcd`.
    pub fn masked(&self) -> String {
        let k = &self.0;
        if k.chars().count() <= 8 {
            return "…".into();
        }
        let head: String = k.chars().take(3).collect();
        let tail: String = k
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("{head}…{tail}")
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Per-million-token prices of one model, for cost reports.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub input_per_million: f64,
    pub output_per_million: f64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLlm {
    base_url: Option<String>,
    model: Option<String>,
    temperature: Option<f64>,
    seed: Option<i64>,
    max_tokens: Option<u32>,
    timeout_secs: Option<u64>,
    max_attempts: Option<u32>,
}

/// The `[stt]` table: the transcription endpoint for recorded answers.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileStt {
    base_url: Option<String>,
    model: Option<String>,
    language: Option<String>,
    prompt: Option<bool>,
    max_upload_mb: Option<u64>,
    timeout_secs: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    llm: FileLlm,
    #[serde(default)]
    stt: FileStt,
    #[serde(default)]
    prices: std::collections::BTreeMap<String, Price>,
}

/// Everything the LLM grader needs, validated.
#[derive(Debug, Clone)]
pub struct LlmConfig {
    pub base_url: Setting<String>,
    /// True when an endpoint was configured anywhere (flag, env, file).
    pub endpoint_configured: bool,
    pub api_key: Option<Setting<ApiKey>>,
    pub model: Setting<String>,
    pub temperature: Setting<f64>,
    pub seed: Setting<Option<i64>>,
    pub max_tokens: Setting<u32>,
    pub timeout: Setting<Duration>,
    pub connect_timeout: Duration,
    pub max_attempts: Setting<u32>,
    pub price: Option<Setting<Price>>,
    pub cache_dir: Option<PathBuf>,
}

fn read_file(path: &Path) -> Result<Option<FileConfig>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::usage(
                format!("cannot read config {}: {e}", path.display()),
                "fix or remove the file",
            ));
        }
    };
    toml::from_str(&text).map(Some).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start].matches('\n').count() + 1)
            .unwrap_or(0);
        Error::usage(
            format!(
                "invalid config {}:{line}: {}",
                path.display(),
                e.message().trim()
            ),
            "see the README's Configuration section for the keys",
        )
    })
}

/// The config files in precedence order: project first, then user.
pub fn config_files() -> Vec<PathBuf> {
    let mut files = vec![PathBuf::from("viva.toml")];
    if let Some(p) = std::env::var_os("VIVA_CONFIG") {
        files.push(PathBuf::from(p));
    } else if let Some(dir) = dirs::config_dir() {
        files.push(dir.join("viva").join("config.toml"));
    }
    files
}

fn env(name: &'static str) -> Option<(String, Origin)> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|v| (v, Origin::Env(name)))
}

fn pick<T: Clone>(
    flag: Option<T>,
    env: Option<(T, Origin)>,
    files: &[(Option<T>, PathBuf)],
    default: T,
) -> Setting<T> {
    if let Some(v) = flag {
        return Setting {
            value: v,
            origin: Origin::Flag,
        };
    }
    if let Some((v, origin)) = env {
        return Setting { value: v, origin };
    }
    for (v, path) in files {
        if let Some(v) = v {
            return Setting {
                value: v.clone(),
                origin: Origin::File(path.clone()),
            };
        }
    }
    Setting {
        value: default,
        origin: Origin::Default,
    }
}

fn parse_env<T: std::str::FromStr>(name: &'static str) -> Result<Option<(T, Origin)>> {
    match env(name) {
        None => Ok(None),
        Some((v, o)) => v.trim().parse().map(|x| Some((x, o))).map_err(|_| {
            Error::usage(
                format!("{name}={v} is not a valid value"),
                format!("unset {name} or fix it"),
            )
        }),
    }
}

/// The config files that exist, parsed, in precedence order.
fn load_files() -> Result<Vec<(FileConfig, PathBuf)>> {
    let mut files = Vec::new();
    for path in config_files() {
        if let Some(cfg) = read_file(&path)? {
            files.push((cfg, path));
        }
    }
    Ok(files)
}

/// Checks that a base URL is an http(s) URL.
fn check_url(s: &Setting<String>, what: &str) -> Result<()> {
    let parsed = reqwest::Url::parse(&s.value).map_err(|e| {
        Error::usage(
            format!("{what} `{}` ({}) is not a URL: {e}", s.value, s.origin),
            "use a URL such as http://127.0.0.1:8080/v1",
        )
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::usage(
            format!("{what} `{}` must be http or https", s.value),
            "use a URL such as http://127.0.0.1:8080/v1",
        ));
    }
    Ok(())
}

impl LlmConfig {
    /// Combines flags, environment and config files, checking every value.
    pub fn resolve(args: &LlmArgs) -> Result<LlmConfig> {
        let files = load_files()?;
        let from = |f: fn(&FileLlm) -> Option<String>| -> Vec<(Option<String>, PathBuf)> {
            files.iter().map(|(c, p)| (f(&c.llm), p.clone())).collect()
        };
        let base_env = env("OPENAI_BASE_URL");
        let base_files = from(|l| l.base_url.clone());
        let endpoint_configured = args.base_url.is_some()
            || base_env.is_some()
            || base_files.iter().any(|(v, _)| v.is_some())
            || env("OPENAI_API_KEY").is_some();
        let base_url = pick(
            args.base_url.clone(),
            base_env,
            &base_files,
            DEFAULT_BASE_URL.to_string(),
        );
        check_url(&base_url, "base URL")?;
        let model = pick(
            args.model.clone(),
            env("VIVA_MODEL"),
            &from(|l| l.model.clone()),
            DEFAULT_MODEL.into(),
        );
        let nums = |f: fn(&FileLlm) -> Option<f64>| -> Vec<(Option<f64>, PathBuf)> {
            files.iter().map(|(c, p)| (f(&c.llm), p.clone())).collect()
        };
        let temperature = pick(
            args.temperature,
            parse_env("VIVA_TEMPERATURE")?,
            &nums(|l| l.temperature),
            0.0,
        );
        if !(0.0..=2.0).contains(&temperature.value) {
            return Err(Error::usage(
                "temperature must be between 0 and 2",
                "use --temperature 0 for repeatable grading",
            ));
        }
        let seed_files: Vec<(Option<Option<i64>>, PathBuf)> = files
            .iter()
            .map(|(c, p)| (c.llm.seed.map(Some), p.clone()))
            .collect();
        let seed = pick(
            args.seed.map(Some),
            parse_env::<i64>("VIVA_SEED")?.map(|(v, o)| (Some(v), o)),
            &seed_files,
            None,
        );
        let mt_files: Vec<(Option<u32>, PathBuf)> = files
            .iter()
            .map(|(c, p)| (c.llm.max_tokens, p.clone()))
            .collect();
        let max_tokens = pick(
            args.max_tokens,
            parse_env("VIVA_MAX_TOKENS")?,
            &mt_files,
            4096,
        );
        if max_tokens.value < 64 {
            return Err(Error::usage(
                "max tokens must be at least 64",
                "a verdict for a long rubric needs ~1000 tokens",
            ));
        }
        let to_files: Vec<(Option<u64>, PathBuf)> = files
            .iter()
            .map(|(c, p)| (c.llm.timeout_secs, p.clone()))
            .collect();
        let timeout_secs = pick(args.timeout, parse_env("VIVA_TIMEOUT")?, &to_files, 120);
        if timeout_secs.value == 0 {
            return Err(Error::usage(
                "the request timeout must be at least 1 second",
                "use --timeout SECONDS",
            ));
        }
        let att_files: Vec<(Option<u32>, PathBuf)> = files
            .iter()
            .map(|(c, p)| (c.llm.max_attempts, p.clone()))
            .collect();
        let max_attempts = pick(
            args.max_attempts,
            parse_env("VIVA_MAX_ATTEMPTS")?,
            &att_files,
            4,
        );
        if max_attempts.value == 0 {
            return Err(Error::usage(
                "max attempts must be at least 1",
                "use --max-attempts N",
            ));
        }
        let api_key = env("OPENAI_API_KEY").map(|(v, origin)| Setting {
            value: ApiKey(v.trim().to_string()),
            origin,
        });
        let price = files.iter().find_map(|(c, p)| {
            c.prices.get(&model.value).map(|pr| Setting {
                value: *pr,
                origin: Origin::File(p.clone()),
            })
        });
        Ok(LlmConfig {
            base_url,
            endpoint_configured,
            api_key,
            model,
            temperature,
            seed,
            max_tokens,
            timeout: Setting {
                value: Duration::from_secs(timeout_secs.value),
                origin: timeout_secs.origin,
            },
            connect_timeout: Duration::from_secs(10),
            max_attempts,
            price,
            cache_dir: if args.no_cache {
                None
            } else {
                args.cache_dir
                    .clone()
                    .or_else(|| dirs::cache_dir().map(|d| d.join("viva").join("responses")))
            },
        })
    }
}

pub const DEFAULT_STT_MODEL: &str = "whisper-1";
/// OpenAI's upload limit for transcriptions, in MB.
pub const DEFAULT_STT_MAX_MB: u64 = 25;

/// The transcription endpoint for recorded answers, validated. It is
/// resolved like the LLM's settings, and defaults to the LLM's endpoint,
/// key, timeout and attempts, since one server often does both.
#[derive(Debug, Clone)]
pub struct SttConfig {
    pub base_url: Setting<String>,
    pub model: Setting<String>,
    /// ISO-639-1 language sent to the endpoint; `None` lets it detect.
    pub language: Setting<Option<String>>,
    /// Whether the question's terms are sent as the transcriber prompt.
    pub prompt: Setting<bool>,
    /// Largest upload, in bytes.
    pub max_bytes: Setting<u64>,
    pub timeout: Setting<Duration>,
    /// The LLM settings the transcriber shares: key, attempts, cache.
    pub llm: LlmConfig,
}

impl SttConfig {
    /// Combines `--stt-*` flags, `VIVA_STT_*` variables and `[stt]` tables,
    /// falling back to the resolved LLM settings.
    pub fn resolve(args: &SttArgs, llm_args: &LlmArgs) -> Result<SttConfig> {
        let llm = LlmConfig::resolve(llm_args)?;
        let files = load_files()?;
        let strings = |f: fn(&FileStt) -> Option<String>| -> Vec<(Option<String>, PathBuf)> {
            files.iter().map(|(c, p)| (f(&c.stt), p.clone())).collect()
        };
        let mut base_url = pick(
            args.stt_url.clone(),
            env("VIVA_STT_BASE_URL"),
            &strings(|s| s.base_url.clone()),
            llm.base_url.value.clone(),
        );
        if base_url.origin == Origin::Default {
            // The LLM's base URL, with its own origin: "env OPENAI_BASE_URL".
            base_url.origin = llm.base_url.origin.clone();
        }
        check_url(&base_url, "transcription URL")?;
        let model = pick(
            args.stt_model.clone(),
            env("VIVA_STT_MODEL"),
            &strings(|s| s.model.clone()),
            DEFAULT_STT_MODEL.to_string(),
        );
        let lang_files: Vec<(Option<Option<String>>, PathBuf)> = files
            .iter()
            .map(|(c, p)| (c.stt.language.clone().map(Some), p.clone()))
            .collect();
        let language = pick(
            args.stt_language.clone().map(Some),
            env("VIVA_STT_LANGUAGE").map(|(v, o)| (Some(v), o)),
            &lang_files,
            None,
        );
        if let Some(l) = &language.value
            && !(l.len() == 2 && l.chars().all(|c| c.is_ascii_lowercase()))
        {
            return Err(Error::usage(
                format!(
                    "transcription language `{l}` ({}) is not a two-letter ISO-639-1 code",
                    language.origin
                ),
                "use a code such as `en`, or leave it unset to let the endpoint detect it",
            ));
        }
        let prompt_files: Vec<(Option<bool>, PathBuf)> = files
            .iter()
            .map(|(c, p)| (c.stt.prompt, p.clone()))
            .collect();
        let prompt = pick(
            args.no_stt_prompt.then_some(false),
            None,
            &prompt_files,
            true,
        );
        let mb_files: Vec<(Option<u64>, PathBuf)> = files
            .iter()
            .map(|(c, p)| (c.stt.max_upload_mb, p.clone()))
            .collect();
        let max_mb = pick(
            args.stt_max_mb,
            parse_env("VIVA_STT_MAX_MB")?,
            &mb_files,
            DEFAULT_STT_MAX_MB,
        );
        if max_mb.value == 0 {
            return Err(Error::usage(
                "the transcription upload limit must be at least 1 MB",
                "use --stt-max-mb N",
            ));
        }
        let to_files: Vec<(Option<u64>, PathBuf)> = files
            .iter()
            .map(|(c, p)| (c.stt.timeout_secs, p.clone()))
            .collect();
        let timeout = match pick(None, None, &to_files, 0) {
            s if s.origin == Origin::Default => llm.timeout.clone(),
            s if s.value == 0 => {
                return Err(Error::usage(
                    "[stt] timeout_secs must be at least 1",
                    "fix the config file",
                ));
            }
            s => Setting {
                value: Duration::from_secs(s.value),
                origin: s.origin,
            },
        };
        Ok(SttConfig {
            base_url,
            model,
            language,
            prompt,
            max_bytes: Setting {
                value: max_mb.value.saturating_mul(1024 * 1024),
                origin: max_mb.origin,
            },
            timeout,
            llm,
        })
    }

    /// The LLM client settings that carry transcription requests: the
    /// transcription URL and timeout, with the LLM's key, attempts and cache.
    pub fn transport(&self) -> LlmConfig {
        let mut cfg = self.llm.clone();
        cfg.base_url = self.base_url.clone();
        cfg.timeout = self.timeout.clone();
        cfg.model = self.model.clone();
        cfg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_masked() {
        assert_eq!(ApiKey("sk-proj-1234567890abcd".into()).masked(), "sk-…abcd");
        assert_eq!(ApiKey("short".into()).masked(), "…");
        assert_eq!(
            format!("{:?}", ApiKey("sk-secret-value-9999".into())),
            "sk-…9999"
        );
    }
}
