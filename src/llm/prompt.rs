//! Rendering the grading request from minijinja templates.
//!
//! The templates in `prompts/` are compiled into the binary; `--prompts DIR`
//! replaces them. The answer and rubric reach templates as values, never as
//! template source, so an answer containing `{{ ... }}` is just text.

use std::path::Path;

use include_dir::{Dir, include_dir};
use minijinja::Environment;
use serde_json::{Value, json};

use crate::bank::{Question, Rubric};
use crate::error::{Error, Result};

static EMBEDDED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/prompts");

/// A built-in template's source; `name` is one of the files in `prompts/`.
pub(crate) fn embedded(name: &str) -> &'static str {
    EMBEDDED
        .get_file(name)
        .and_then(|f| f.contents_utf8())
        .expect("embedded templates exist")
}

/// The system and user templates, compiled and checked.
#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
    /// Hash of both templates' source, recorded with gradings.
    pub fingerprint: String,
}

impl Templates {
    pub fn load(dir: Option<&Path>) -> Result<Templates> {
        let mut sources = Vec::new();
        for name in ["system.jinja", "user.jinja"] {
            let text = match dir {
                Some(d) => std::fs::read_to_string(d.join(name)).map_err(|e| {
                    Error::usage(
                        format!(
                            "cannot read prompt template {}: {e}",
                            d.join(name).display()
                        ),
                        "--prompts DIR must contain system.jinja and user.jinja",
                    )
                })?,
                None => EMBEDDED
                    .get_file(name)
                    .and_then(|f| f.contents_utf8())
                    .expect("embedded templates exist")
                    .to_string(),
            };
            sources.push((name, text));
        }
        let fingerprint = crate::llm::cache::digest(
            &sources
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join("\u{0}"),
        );
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        for (name, text) in sources {
            env.add_template_owned(name, text).map_err(|e| {
                Error::usage(
                    format!("prompt template {name} does not compile: {e}"),
                    "fix the template syntax",
                )
            })?;
        }
        Ok(Templates { env, fingerprint })
    }

    /// Renders the chat messages for one answer.
    /// `schema` is the rubric's [`verdict_schema`] as pretty-printed JSON
    /// ([`RubricParts::schema_text`]), computed once per question.
    pub fn messages(
        &self,
        question: &Question,
        rubric: &Rubric,
        answer: &str,
        nonce: &str,
        schema: &str,
    ) -> Result<Vec<Value>> {
        let ctx = json!({
            "question": {"id": question.id, "text": question.text, "topic": question.topic, "level": question.level.as_str()},
            "points": rubric.points.iter().map(|p| json!({"id": p.id, "text": p.text, "weight": p.weight})).collect::<Vec<_>>(),
            "misconceptions": rubric.misconceptions.iter().map(|m| json!({"id": m.id, "text": m.text})).collect::<Vec<_>>(),
            "answer": answer,
            "nonce": nonce,
            "schema": schema,
        });
        let render = |name: &str| {
            self.env
                .get_template(name)
                .and_then(|t| t.render(&ctx))
                .map_err(|e| {
                    Error::usage(
                        format!("prompt template {name} failed to render: {e}"),
                        "check the template's variables (see prompts/README.md)",
                    )
                })
        };
        Ok(vec![
            json!({"role": "system", "content": render("system.jinja")?}),
            json!({"role": "user", "content": render("user.jinja")?}),
        ])
    }
}

/// The hex marker around the answer, so the answer cannot fake the end of its
/// own section.
///
/// It is a digest of what is graded (templates, question, rubric, answer):
/// the same inputs always give the same request, which is what makes the
/// response cache hit across runs, and an answer cannot contain its own
/// marker without finding a SHA-256 fixed point. The answer comes last in
/// the digest's input, after everything that is the same for every answer
/// to the question (see [`RubricParts::nonce`]).
pub fn nonce(templates: &Templates, question: &Question, rubric: &Rubric, answer: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(fixed_nonce_input(templates, question, rubric).as_bytes());
    h.update(answer.as_bytes());
    nonce_hex(h)
}

/// The part of [`nonce`]'s digest input that does not depend on the
/// answer: the templates' fingerprint, the question and the rubric as one
/// JSON object with sorted keys, then a NUL, which no JSON text contains.
fn fixed_nonce_input(templates: &Templates, question: &Question, rubric: &Rubric) -> String {
    let mut fixed = json!({
        "question": question,
        "rubric": rubric,
        "templates": templates.fingerprint,
    })
    .to_string();
    fixed.push('\u{0}');
    fixed
}

fn nonce_hex(h: sha2::Sha256) -> String {
    use sha2::Digest;
    let digest = h.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// What every request for one question carries whatever the answer: the
/// verdict schema, and the digest state of [`nonce`] after its fixed part.
/// Building both from the rubric for every answer (a JSON tree of the whole
/// rubric, its examples included) was a fifth of an LLM batch's CPU, and
/// hashing that JSON again for every answer a twentieth; they are built
/// once per question, and an answer's nonce hashes only the answer.
#[derive(Debug)]
pub struct RubricParts {
    pub schema: Value,
    /// The schema pretty-printed, as the templates show it.
    pub schema_text: String,
    /// SHA-256 having read [`nonce`]'s input up to the answer.
    nonce_head: sha2::Sha256,
}

impl RubricParts {
    pub fn new(templates: &Templates, question: &Question, rubric: &Rubric) -> Self {
        use sha2::{Digest, Sha256};
        let schema = verdict_schema(rubric);
        let mut nonce_head = Sha256::new();
        nonce_head.update(fixed_nonce_input(templates, question, rubric).as_bytes());
        RubricParts {
            schema_text: serde_json::to_string_pretty(&schema).expect("schema serialises"),
            schema,
            nonce_head,
        }
    }

    /// [`nonce`] for an answer to this question: the same digest of the
    /// same bytes, reading only the answer's.
    pub fn nonce(&self, answer: &str) -> String {
        use sha2::Digest;
        let mut h = self.nonce_head.clone();
        h.update(answer.as_bytes());
        nonce_hex(h)
    }
}

/// The JSON schema of a verdict for this rubric.
///
/// Points and misconceptions are objects keyed by id with every id
/// required, so a server that enforces the schema with a grammar (llama.cpp)
/// cannot leave a point out or repeat one; scores are 0, 0.5 or 1.
pub fn verdict_schema(rubric: &Rubric) -> Value {
    let point = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["score", "evidence", "rationale"],
        "properties": {
            "score": {"type": "number", "enum": [0, 0.5, 1]},
            "evidence": {"type": "string"},
            "rationale": {"type": "string"}
        }
    });
    let misconception = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["present", "evidence"],
        "properties": {
            "present": {"type": "boolean"},
            "evidence": {"type": "string"}
        }
    });
    let keyed = |ids: Vec<&str>, item: &Value| {
        let props: serde_json::Map<String, Value> = ids
            .iter()
            .map(|id| (id.to_string(), item.clone()))
            .collect();
        json!({"type": "object", "additionalProperties": false, "required": ids, "properties": props})
    };
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["points", "misconceptions"],
        "properties": {
            "points": keyed(rubric.points.iter().map(|p| p.id.as_str()).collect(), &point),
            "misconceptions": keyed(rubric.misconceptions.iter().map(|m| m.id.as_str()).collect(), &misconception),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;

    #[test]
    fn a_rubrics_parts_give_the_nonce_built_from_the_whole_request() {
        let bank = Bank::embedded().unwrap();
        let templates = Templates::load(None).unwrap();
        for id in ["gil-what-it-protects", "mutable-default-arguments"] {
            let (question, rubric) = (bank.question(id).unwrap(), bank.rubric(id).unwrap());
            let parts = RubricParts::new(&templates, question, rubric);
            assert_eq!(parts.schema, verdict_schema(rubric));
            let mut seen = std::collections::BTreeSet::new();
            for answer in [
                "",
                "The GIL protects reference counts.",
                "quotes \" and \\ backslashes, a tab\t, a newline\n, a bell \u{7}, ünïcödé and 🐍",
                "{\"answer\": \"fake\"}",
            ] {
                assert_eq!(
                    parts.nonce(answer),
                    nonce(&templates, question, rubric, answer),
                    "{id}: {answer:?}"
                );
                let n = parts.nonce(answer);
                assert!(n.len() == 16 && n.bytes().all(|b| b.is_ascii_hexdigit()));
                assert!(seen.insert(n), "{id}: each answer its own nonce");
            }
        }
    }
}
