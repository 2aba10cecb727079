//! Asking the model to phrase a follow-up question from what an answer
//! missed, as an interviewer would ("You said the GIL is released during
//! I/O; how do C extensions release it?").
//!
//! The request is rendered from `prompts/followup.jinja` (or the one in
//! `--prompts DIR`); the answer and points reach it as values, never as
//! template source. The reply must be one JSON object with the question and
//! the id of the linked follow-up it probes, or "" for none; anything else
//! is an error, so the caller can fall back to the bank's own follow-up.

use std::path::Path;

use minijinja::Environment;
use serde::Deserialize;
use serde_json::{Value, json};

use super::client::{Client, LlmError};
use super::verdict::extract_json;
use crate::bank::Question;
use crate::error::{Error, Result};

const TEMPLATE: &str = "followup.jinja";

/// Longest follow-up question accepted, in characters: a follow-up is one
/// or two sentences, and anything longer is the model rambling.
const MAX_CHARS: usize = 400;

/// Tokens allowed for the reply: a short question in a small object.
const MAX_TOKENS: u32 = 300;

/// A key point the answer did not fully make.
#[derive(Debug, Clone)]
pub struct Gap {
    pub id: String,
    pub text: String,
    /// Made in part (scored ½) rather than missed.
    pub half: bool,
}

/// What the model asked, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrased {
    pub question: String,
    /// The linked follow-up it probes, one of those offered; `None` when
    /// none fits.
    pub linked: Option<String>,
}

/// Why no phrased follow-up came back.
#[derive(Debug, thiserror::Error)]
pub enum PhraseError {
    #[error(transparent)]
    Endpoint(#[from] LlmError),
    #[error("the reply is not a valid follow-up: {0}")]
    Invalid(String),
}

/// The compiled follow-up template.
#[derive(Debug)]
pub struct FollowUpPrompt {
    env: Environment<'static>,
}

impl FollowUpPrompt {
    /// The template in `dir` when it has one (`--prompts DIR`), else the
    /// built-in one; a template that does not compile is a usage error
    /// before the session starts.
    pub fn load(dir: Option<&Path>) -> Result<FollowUpPrompt> {
        let custom = dir.map(|d| d.join(TEMPLATE)).filter(|p| p.is_file());
        let source = match &custom {
            Some(p) => std::fs::read_to_string(p).map_err(|e| {
                Error::usage(
                    format!("cannot read prompt template {}: {e}", p.display()),
                    "check the file, or remove it to use the built-in follow-up prompt",
                )
            })?,
            None => super::prompt::embedded(TEMPLATE).to_string(),
        };
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        env.add_template_owned(TEMPLATE, source).map_err(|e| {
            Error::usage(
                format!("prompt template {TEMPLATE} does not compile: {e}"),
                "fix the template syntax",
            )
        })?;
        Ok(FollowUpPrompt { env })
    }

    /// The chat messages asking for a follow-up to `answer`, which fell
    /// short on `gaps`; `linked` are the bank's follow-ups still to ask.
    pub fn messages(
        &self,
        question: &Question,
        answer: &str,
        gaps: &[Gap],
        linked: &[&Question],
    ) -> Result<Vec<Value>> {
        let nonce = &super::cache::digest(&json!([question.id, answer]).to_string())[..16];
        let ctx = json!({
            "question": {"id": question.id, "text": question.text, "topic": question.topic, "level": question.level.as_str()},
            "answer": answer,
            "nonce": nonce,
            "gaps": gaps.iter().map(|g| json!({"id": g.id, "text": g.text, "made": if g.half { "half made" } else { "missed" }})).collect::<Vec<_>>(),
            "follow_ups": linked.iter().map(|q| json!({"id": q.id, "text": q.text})).collect::<Vec<_>>(),
            "schema": serde_json::to_string_pretty(&schema(linked)).expect("schema serialises"),
        });
        let content = self
            .env
            .get_template(TEMPLATE)
            .and_then(|t| t.render(&ctx))
            .map_err(|e| {
                Error::usage(
                    format!("prompt template {TEMPLATE} failed to render: {e}"),
                    "check the template's variables (see prompts/README.md)",
                )
            })?;
        Ok(vec![json!({"role": "user", "content": content})])
    }
}

/// The JSON schema of a reply: the question, and one of the linked ids or
/// "" (an enum, so a server that enforces the schema cannot invent an id).
pub fn schema(linked: &[&Question]) -> Value {
    let mut ids: Vec<&str> = linked.iter().map(|q| q.id.as_str()).collect();
    ids.push("");
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["question", "linked_question"],
        "properties": {
            "question": {"type": "string"},
            "linked_question": {"type": "string", "enum": ids}
        }
    })
}

#[derive(Deserialize)]
struct Reply {
    question: String,
    #[serde(default)]
    linked_question: Option<String>,
}

/// Checks a reply: one JSON object, a question of one to [`MAX_CHARS`]
/// characters, and a linked id that is one of `linked` (or empty).
pub fn parse(content: &str, linked: &[&Question]) -> std::result::Result<Phrased, String> {
    let json = extract_json(content).ok_or("no JSON object in the reply")?;
    let reply: Reply = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let question = reply
        .question
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if question.is_empty() {
        return Err("the question is empty".into());
    }
    if question.chars().count() > MAX_CHARS {
        return Err(format!(
            "the question is longer than {MAX_CHARS} characters"
        ));
    }
    if question.chars().any(|c| c.is_control()) {
        return Err("the question contains control characters".into());
    }
    let linked_id = match reply.linked_question.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(id) if linked.iter().any(|q| q.id == id) => Some(id.to_string()),
        Some(id) => return Err(format!("`{id}` is not one of the linked follow-ups")),
    };
    Ok(Phrased {
        question,
        linked: linked_id,
    })
}

/// Asks the model for a follow-up and checks the reply.
pub async fn phrase(
    client: &Client,
    messages: &[Value],
    linked: &[&Question],
) -> std::result::Result<Phrased, PhraseError> {
    let reply = client
        .complete(messages, &schema(linked), MAX_TOKENS, client.cfg.seed.value)
        .await?;
    parse(&reply.content, linked).map_err(PhraseError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;

    #[test]
    fn a_reply_names_a_linked_follow_up_or_none() {
        let bank = Bank::embedded().unwrap();
        let linked = [bank.question("gil-release-points").unwrap()];
        let ok = parse(
            r#"{"question": "You said the GIL is a lock;  when is it released?", "linked_question": "gil-release-points"}"#,
            &linked,
        );
        assert_eq!(
            ok,
            Ok(Phrased {
                question: "You said the GIL is a lock; when is it released?".into(),
                linked: Some("gil-release-points".into()),
            })
        );
        let none = parse(
            "```json\n{\"question\": \"Why?\", \"linked_question\": \"\"}\n```",
            &linked,
        );
        assert_eq!(none.unwrap().linked, None);
        for bad in [
            r#"{"question": "Why?", "linked_question": "closures"}"#,
            r#"{"question": "  ", "linked_question": ""}"#,
            r#"{"linked_question": ""}"#,
            "Here is a question: why?",
        ] {
            assert!(parse(bad, &linked).is_err(), "{bad}");
        }
        let long = json!({"question": "why ".repeat(200), "linked_question": ""}).to_string();
        assert!(parse(&long, &linked).is_err());
    }

    #[test]
    fn the_prompt_holds_the_gaps_the_links_and_the_answer_as_data() {
        let bank = Bank::embedded().unwrap();
        let q = bank.question("gil-what-it-protects").unwrap();
        let linked = [bank.question("gil-release-points").unwrap()];
        let gaps = [Gap {
            id: "released-on-blocking-io".into(),
            text: "The GIL is released during blocking I/O.".into(),
            half: false,
        }];
        let prompt = FollowUpPrompt::load(None).unwrap();
        let m = prompt
            .messages(q, "It is a lock {{ nonce }}.", &gaps, &linked)
            .unwrap();
        let text = m[0]["content"].as_str().unwrap();
        assert!(text.contains("- released-on-blocking-io (missed): The GIL is released"));
        assert!(text.contains("- id: gil-release-points:"));
        assert!(text.contains("It is a lock {{ nonce }}."), "{text}");
        assert!(text.contains(r#""linked_question""#));
    }
}
