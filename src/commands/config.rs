//! `viva config`: the resolved LLM settings and where each came from. The
//! API key is shown masked, at most `sk-…abcd`, in text; the JSON form
//! (`viva.config/v1`) says only whether one is set and where from.

use std::fmt::Write;

use serde::Serialize;
use serde_json::{Value, json};

use super::Context;
use crate::cli::{BackendChoice, ConfigArgs, ListFormat};
use crate::config::{LlmConfig, Setting, SttConfig, config_files};
use crate::error::{ExitStatus, Result};
use crate::grade::keyword::store;

/// The schema name of the JSON form.
pub const SCHEMA: &str = "viva.config/v1";

pub fn run(ctx: &mut Context, args: &ConfigArgs) -> Result<ExitStatus> {
    let c = LlmConfig::resolve(&args.llm)?;
    let stt = SttConfig::resolve(&args.stt, &args.llm)?;
    let out = match args.format {
        ListFormat::Text => text(&c, &stt, args.llm.backend),
        ListFormat::Json => crate::report::document(&document(&c, &stt, args.llm.backend)),
    };
    ctx.print(&out)?;
    Ok(ExitStatus::Success)
}

/// Which grader would run, and why.
fn backend(c: &LlmConfig, choice: BackendChoice) -> (&'static str, &'static str) {
    match choice {
        BackendChoice::Keyword => ("keyword", "--backend keyword"),
        BackendChoice::Llm => ("llm", "--backend llm"),
        BackendChoice::Auto if c.endpoint_configured => ("llm", "auto: an endpoint is configured"),
        BackendChoice::Auto => ("keyword", "auto: no endpoint configured"),
    }
}

fn text(c: &LlmConfig, stt: &SttConfig, choice: BackendChoice) -> String {
    let mut o = String::new();
    let mut row = |k: &str, v: String, origin: String| {
        let _ = writeln!(o, "{k:<13} {v:<40} ({origin})");
    };
    row(
        "base_url",
        c.base_url.value.clone(),
        c.base_url.origin.to_string(),
    );
    row("model", c.model.value.clone(), c.model.origin.to_string());
    match &c.api_key {
        Some(k) => row("api_key", k.value.masked(), k.origin.to_string()),
        None => row("api_key", "(not set)".into(), "env OPENAI_API_KEY".into()),
    }
    row(
        "temperature",
        c.temperature.value.to_string(),
        c.temperature.origin.to_string(),
    );
    row(
        "seed",
        c.seed.value.map_or("(none)".into(), |s| s.to_string()),
        c.seed.origin.to_string(),
    );
    row(
        "max_tokens",
        c.max_tokens.value.to_string(),
        c.max_tokens.origin.to_string(),
    );
    row(
        "timeout",
        format!("{} s", c.timeout.value.as_secs()),
        c.timeout.origin.to_string(),
    );
    row(
        "max_attempts",
        c.max_attempts.value.to_string(),
        c.max_attempts.origin.to_string(),
    );
    match &c.price {
        Some(p) => row(
            "price",
            format!(
                "${}/M in, ${}/M out",
                p.value.input_per_million, p.value.output_per_million
            ),
            p.origin.to_string(),
        ),
        None => row(
            "price",
            "(none)".into(),
            "no [prices] entry for this model".into(),
        ),
    }
    row(
        "cache",
        c.cache_dir
            .as_ref()
            .map_or("(off)".into(), |d| d.display().to_string()),
        "--cache-dir / --no-cache".into(),
    );
    row(
        "rubric_cache",
        rubric_cache().unwrap_or_else(|| "(off)".into()),
        store::origin(),
    );
    row(
        "stt_url",
        stt.base_url.value.clone(),
        stt.base_url.origin.to_string(),
    );
    row(
        "stt_model",
        stt.model.value.clone(),
        stt.model.origin.to_string(),
    );
    row(
        "stt_language",
        stt.language
            .value
            .clone()
            .unwrap_or_else(|| "(detected)".into()),
        stt.language.origin.to_string(),
    );
    row(
        "stt_prompt",
        if stt.prompt.value {
            "the question's terms".into()
        } else {
            "(off)".into()
        },
        stt.prompt.origin.to_string(),
    );
    row(
        "stt_max",
        format!("{} MiB", stt.max_bytes.value / (1024 * 1024)),
        stt.max_bytes.origin.to_string(),
    );
    row(
        "stt_timeout",
        format!("{} s", stt.timeout.value.as_secs()),
        stt.timeout.origin.to_string(),
    );
    let (name, why) = backend(c, choice);
    let _ = writeln!(o, "{:<13} {name} ({why})", "backend");
    let files: Vec<String> = config_files()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let _ = writeln!(o, "{:<13} {}", "config files", files.join(", "));
    o
}

/// One setting and where it came from.
#[derive(Serialize)]
struct Shown<V: Serialize> {
    value: V,
    origin: String,
}

fn setting<T, V: Serialize>(s: &Setting<T>, value: impl Fn(&T) -> V) -> Shown<V> {
    Shown {
        value: value(&s.value),
        origin: s.origin.to_string(),
    }
}

/// Whether a key is set, and where it comes from; never the key.
#[derive(Serialize)]
struct KeyState {
    set: bool,
    origin: String,
}

#[derive(Serialize)]
struct Backend {
    name: &'static str,
    reason: &'static str,
}

/// The transcription endpoint's settings; the key is the LLM's.
#[derive(Serialize)]
struct Stt {
    base_url: Shown<String>,
    model: Shown<String>,
    language: Shown<Option<String>>,
    prompt: Shown<bool>,
    max_upload_mb: Shown<u64>,
    timeout_secs: Shown<u64>,
}

/// The JSON form (`viva.config/v1`), fields in the text form's order.
#[derive(Serialize)]
struct Document {
    schema: &'static str,
    base_url: Shown<String>,
    model: Shown<String>,
    api_key: KeyState,
    temperature: Shown<f64>,
    seed: Shown<Option<i64>>,
    max_tokens: Shown<u32>,
    timeout_secs: Shown<u64>,
    max_attempts: Shown<u32>,
    price: Shown<Option<Value>>,
    cache_dir: Shown<Option<String>>,
    rubric_cache: Shown<Option<String>>,
    stt: Stt,
    backend: Backend,
    config_files: Vec<String>,
}

/// The folder compiled rubrics are kept in (see `grade::keyword::store`),
/// if the store is on.
fn rubric_cache() -> Option<String> {
    store::folder().map(|d| d.display().to_string())
}

/// The JSON form. The key itself never enters it: only whether one is set
/// and where it would come from.
fn document(c: &LlmConfig, stt: &SttConfig, choice: BackendChoice) -> Document {
    let (name, reason) = backend(c, choice);
    let api_key = KeyState {
        set: c.api_key.is_some(),
        origin: c
            .api_key
            .as_ref()
            .map_or("env OPENAI_API_KEY".into(), |k| k.origin.to_string()),
    };
    let price = match &c.price {
        Some(p) => setting(p, |p| {
            Some(json!({
                "input_per_million": p.input_per_million,
                "output_per_million": p.output_per_million,
            }))
        }),
        None => Shown {
            value: None,
            origin: "no [prices] entry for this model".into(),
        },
    };
    Document {
        schema: SCHEMA,
        base_url: setting(&c.base_url, Clone::clone),
        model: setting(&c.model, Clone::clone),
        api_key,
        temperature: setting(&c.temperature, |t| *t),
        seed: setting(&c.seed, |s| *s),
        max_tokens: setting(&c.max_tokens, |t| *t),
        timeout_secs: setting(&c.timeout, |t| t.as_secs()),
        max_attempts: setting(&c.max_attempts, |a| *a),
        price,
        cache_dir: Shown {
            value: c.cache_dir.as_ref().map(|d| d.display().to_string()),
            origin: "--cache-dir / --no-cache".into(),
        },
        rubric_cache: Shown {
            value: rubric_cache(),
            origin: store::origin(),
        },
        stt: Stt {
            base_url: setting(&stt.base_url, Clone::clone),
            model: setting(&stt.model, Clone::clone),
            language: setting(&stt.language, Clone::clone),
            prompt: setting(&stt.prompt, |p| *p),
            max_upload_mb: setting(&stt.max_bytes, |b| b / (1024 * 1024)),
            timeout_secs: setting(&stt.timeout, |t| t.as_secs()),
        },
        backend: Backend { name, reason },
        config_files: config_files()
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
    }
}
