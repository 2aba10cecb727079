//! Drafting with an LLM (`viva rubric draft --backend llm`): the model
//! proposes key points, weights, misconceptions and example answers as JSON,
//! checked like grading verdicts before anything is written. The points are
//! still written as text alone, so their offline rules are derived the same
//! way as an offline draft's and the rubric grades without the model too.
//! Proposed misconceptions are written as comments for the author to review:
//! a misconception rule that fires on a true statement costs a candidate
//! marks, so none is switched on unreviewed.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Draft, DraftSource, WeightedPoint};
use crate::bank::derive;
use crate::llm::client::{Client, LlmError};

/// Most key points a model may propose for one question.
pub const MAX_POINTS: usize = 12;

static TEMPLATE: &str = include_str!("../../prompts/draft.jinja");

/// What the model proposed, checked.
#[derive(Debug, Clone, Deserialize)]
pub struct Proposal {
    pub points: Vec<ProposedPoint>,
    #[serde(default)]
    pub misconceptions: Vec<ProposedMisconception>,
    #[serde(default)]
    pub examples: Vec<ProposedExample>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ProposedPoint {
    pub text: String,
    pub weight: f64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ProposedMisconception {
    pub text: String,
    pub correction: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ProposedExample {
    pub label: String,
    pub text: String,
}

/// The JSON schema sent as the response format.
pub fn schema() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["points", "misconceptions", "examples"],
        "properties": {
            "points": {"type": "array", "items": {
                "type": "object", "additionalProperties": false, "required": ["text", "weight"],
                "properties": {"text": {"type": "string"}, "weight": {"type": "integer"}}}},
            "misconceptions": {"type": "array", "items": {
                "type": "object", "additionalProperties": false, "required": ["text", "correction"],
                "properties": {"text": {"type": "string"}, "correction": {"type": "string"}}}},
            "examples": {"type": "array", "items": {
                "type": "object", "additionalProperties": false, "required": ["label", "text"],
                "properties": {"label": {"type": "string", "enum": ["strong", "partial", "weak"]},
                               "text": {"type": "string"}}}}
        }
    })
}

/// The chat messages for one question: the same inputs render the same
/// request, so the response cache answers a rerun.
pub fn messages(source: &DraftSource) -> Result<Vec<Value>, String> {
    let nonce = crate::llm::cache::digest(&format!(
        "{}\u{0}{}\u{0}{TEMPLATE}",
        source.question, source.reference
    ));
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    let schema = serde_json::to_string_pretty(&schema()).expect("schema serialises");
    let text = env
        .render_str(
            TEMPLATE,
            minijinja::context! {
                question => source.question,
                reference => source.reference,
                nonce => &nonce[..16],
                schema => schema,
                max_points => MAX_POINTS,
            },
        )
        .map_err(|e| format!("the drafting template failed to render: {e}"))?;
    Ok(vec![json!({"role": "user", "content": text})])
}

/// Parses and checks the model's reply: a JSON object (a code fence around
/// it is tolerated), 1 to [`MAX_POINTS`] points with text and a weight of 1
/// to 5, examples labelled strong, partial or weak.
pub fn parse(content: &str) -> Result<Proposal, String> {
    let trimmed = content.trim();
    let body = trimmed
        .strip_prefix("```json")
        .or_else(|| trimmed.strip_prefix("```"))
        .and_then(|s| s.strip_suffix("```"))
        .unwrap_or(trimmed);
    let p: Proposal =
        serde_json::from_str(body.trim()).map_err(|e| format!("not the JSON asked for: {e}"))?;
    if p.points.is_empty() || p.points.len() > MAX_POINTS {
        return Err(format!(
            "{} key points; 1 to {MAX_POINTS} were asked for",
            p.points.len()
        ));
    }
    for (i, point) in p.points.iter().enumerate() {
        if point.text.trim().is_empty() {
            return Err(format!("key point {} has no text", i + 1));
        }
        if !derive::matchable(&point.text, "") {
            return Err(format!(
                "key point {} has no word or number to match",
                i + 1
            ));
        }
        if !(1.0..=5.0).contains(&point.weight) || point.weight.fract() != 0.0 {
            return Err(format!(
                "key point {} has weight {}; 1 to 5 was asked for",
                i + 1,
                point.weight
            ));
        }
    }
    if let Some(e) = p.examples.iter().find(|e| {
        !matches!(e.label.as_str(), "strong" | "partial" | "weak") || e.text.trim().is_empty()
    }) {
        return Err(format!("an example is labelled {:?} or empty", e.label));
    }
    Ok(p)
}

/// Asks the model for a proposal for one question. The outer error is the
/// endpoint failing (which stops drafting); the inner one a reply that is
/// not a usable proposal (that question is drafted offline instead).
pub async fn propose(
    client: &Client,
    source: &DraftSource,
) -> Result<Result<Proposal, String>, LlmError> {
    let messages = match messages(source) {
        Ok(m) => m,
        Err(why) => return Ok(Err(why)),
    };
    let max_tokens = client.cfg.max_tokens.value.max(1500);
    let reply = client
        .complete(&messages, &schema(), max_tokens, client.cfg.seed.value)
        .await?;
    Ok(parse(&reply.content))
}

/// A draft from the model's proposal: its points, weights and examples,
/// with offline rules derived from each point's text.
pub fn draft(source: DraftSource, proposal: &Proposal) -> Draft {
    let mut points = Vec::new();
    for (i, p) in proposal.points.iter().enumerate() {
        let rules = derive::rules_from_text(&p.text, &source.question);
        let words: Vec<String> = rules.groups.iter().map(|g| g.join(" | ")).collect();
        points.push(WeightedPoint {
            id: format!("p{}", i + 1),
            weight: p.weight as usize,
            need: rules.need.unwrap_or(words.len()),
            words,
            contradicts: derive::contradictions_from_text(&p.text, &source.question),
            point: super::DraftPoint {
                section: None,
                text: p.text.trim().to_string(),
            },
        });
    }
    let mut d = super::finish(source, points);
    d.proposed_examples = proposal
        .examples
        .iter()
        .map(|e| (e.label.clone(), e.text.trim().to_string()))
        .collect();
    d.proposed_misconceptions = proposal
        .misconceptions
        .iter()
        .map(|m| (m.text.trim().to_string(), m.correction.trim().to_string()))
        .collect();
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fenced_proposal_parses_and_bad_ones_say_why() {
        let ok = "```json\n{\"points\":[{\"text\":\"A mutex.\",\"weight\":2}],\"misconceptions\":[],\"examples\":[]}\n```";
        assert_eq!(parse(ok).unwrap().points.len(), 1);
        assert!(
            parse("{\"points\":[]}")
                .unwrap_err()
                .contains("0 key points")
        );
        let wordless =
            "{\"points\":[{\"text\":\"A mutex.\",\"weight\":1},{\"text\":\"?!\",\"weight\":1}]}";
        assert!(
            parse(wordless)
                .unwrap_err()
                .contains("key point 2 has no word")
        );
        let heavy = "{\"points\":[{\"text\":\"x\",\"weight\":9}]}";
        assert!(parse(heavy).unwrap_err().contains("weight 9"));
        let label = "{\"points\":[{\"text\":\"x\",\"weight\":1}],\"examples\":[{\"label\":\"great\",\"text\":\"y\"}]}";
        assert!(parse(label).unwrap_err().contains("\"great\""));
        assert!(
            parse("Sure! Here is a rubric.")
                .unwrap_err()
                .starts_with("not the JSON")
        );
    }
}
