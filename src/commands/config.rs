//! `viva config`: the resolved LLM settings and where each came from. The
//! API key is shown masked, at most `sk-…abcd`.

use std::fmt::Write;

use super::Context;
use crate::cli::ConfigArgs;
use crate::config::{LlmConfig, config_files};
use crate::error::{ExitStatus, Result};

pub fn run(ctx: &mut Context, args: &ConfigArgs) -> Result<ExitStatus> {
    let c = LlmConfig::resolve(&args.llm)?;
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
    let backend = match args.llm.backend {
        crate::cli::BackendChoice::Keyword => "keyword (--backend keyword)".to_string(),
        crate::cli::BackendChoice::Llm => "llm (--backend llm)".to_string(),
        crate::cli::BackendChoice::Auto if c.endpoint_configured => {
            "llm (auto: an endpoint is configured)".to_string()
        }
        crate::cli::BackendChoice::Auto => "keyword (auto: no endpoint configured)".to_string(),
    };
    let _ = writeln!(o, "{:<13} {backend}", "backend");
    let files: Vec<String> = config_files()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let _ = writeln!(o, "{:<13} {}", "config files", files.join(", "));
    ctx.print(&o)?;
    Ok(ExitStatus::Success)
}
