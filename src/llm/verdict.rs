//! Parsing and validating a model's verdict against the rubric.
//!
//! A verdict must score every key point exactly once with 0, 0.5 or 1, and
//! name no unknown ids. Anything else is rejected with a message precise
//! enough to send back to the model in a repair request.

use std::collections::HashSet;

use serde::Deserialize;

use crate::bank::Rubric;

#[derive(Debug, Clone, Deserialize)]
pub struct PointVerdict {
    pub id: String,
    pub score: f64,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub rationale: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MisconceptionVerdict {
    pub id: String,
    #[serde(default)]
    pub present: bool,
    #[serde(default)]
    pub evidence: String,
}

/// A validated verdict, points in rubric order.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub points: Vec<PointVerdict>,
    pub misconceptions: Vec<MisconceptionVerdict>,
}

/// Reads a list of entries written either as an array of objects with an
/// `id`, or as an object keyed by id (the form the schema asks for).
fn entries<T: serde::de::DeserializeOwned>(
    v: Option<&serde_json::Value>,
    what: &str,
) -> Result<Vec<T>, String> {
    use serde_json::Value;
    let items: Vec<Value> = match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.clone(),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(id, entry)| {
                let mut e = entry.clone();
                if let Value::Object(o) = &mut e {
                    o.insert("id".into(), Value::String(id.clone()));
                }
                e
            })
            .collect(),
        Some(other) => {
            return Err(format!(
                "`{what}` must be an object keyed by id, got {other}"
            ));
        }
    };
    items
        .into_iter()
        .map(|e| {
            serde_json::from_value(e.clone())
                .map_err(|err| format!("bad `{what}` entry {e}: {err}"))
        })
        .collect()
}

/// Finds the JSON object in a reply: the whole text, a ```json fence, or the
/// outermost braces, for servers that cannot enforce JSON output.
pub fn extract_json(text: &str) -> Option<&str> {
    let t = text.trim();
    if t.starts_with('{') && t.ends_with('}') {
        return Some(t);
    }
    if let Some(start) = t.find("```") {
        let rest = &t[start + 3..];
        let rest = rest.strip_prefix("json").unwrap_or(rest);
        if let Some(end) = rest.find("```") {
            let inner = rest[..end].trim();
            if inner.starts_with('{') {
                return Some(inner);
            }
        }
    }
    let (s, e) = (t.find('{')?, t.rfind('}')?);
    (s < e).then(|| &t[s..=e])
}

/// Parses and validates a reply; the error lists every problem.
pub fn parse(text: &str, rubric: &Rubric) -> Result<Verdict, String> {
    let json = extract_json(text).ok_or_else(|| "the reply contains no JSON object".to_string())?;
    let raw: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| format!("the reply is not a valid verdict object: {e}"))?;
    if !raw.is_object() || raw.get("points").is_none() {
        return Err("the reply is not a valid verdict object: it has no `points`".into());
    }
    let mut v = Verdict {
        points: entries(raw.get("points"), "points")?,
        misconceptions: entries(raw.get("misconceptions"), "misconceptions")?,
    };
    let mut problems = Vec::new();
    let ids: Vec<&str> = rubric.points.iter().map(|p| p.id.as_str()).collect();
    let mut seen = HashSet::new();
    for p in &v.points {
        if !ids.contains(&p.id.as_str()) {
            problems.push(format!("unknown point id `{}`", p.id));
        } else if !seen.insert(p.id.clone()) {
            problems.push(format!("point `{}` appears more than once", p.id));
        }
        if ![0.0, 0.5, 1.0].contains(&p.score) {
            problems.push(format!(
                "point `{}` has score {}; scores must be 0, 0.5 or 1",
                p.id, p.score
            ));
        }
    }
    for id in &ids {
        if !seen.contains(*id) {
            problems.push(format!("point `{id}` is missing"));
        }
    }
    let mids: Vec<&str> = rubric
        .misconceptions
        .iter()
        .map(|m| m.id.as_str())
        .collect();
    let mut mseen = HashSet::new();
    for m in &v.misconceptions {
        if !mids.contains(&m.id.as_str()) {
            problems.push(format!("unknown misconception id `{}`", m.id));
        } else if !mseen.insert(m.id.clone()) {
            problems.push(format!("misconception `{}` appears more than once", m.id));
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    v.points
        .sort_by_key(|p| ids.iter().position(|id| *id == p.id));
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::{KeyPoint, MatchRules, Rubric};

    fn rubric() -> Rubric {
        let point = |id: &str| KeyPoint {
            id: id.into(),
            weight: 1.0,
            text: "t".into(),
            feedback: None,
            rules: MatchRules::default(),
            contradicts: vec![],
            scope: Default::default(),
            derived: false,
            leads_to: None,
        };
        Rubric {
            question: "q".into(),
            points: vec![point("a"), point("b")],
            misconceptions: vec![],
            examples: vec![],
            full_marks: None,
            sides: Vec::new(),
            file: "r".into(),
            lexicon: Default::default(),
        }
    }

    #[test]
    fn accepts_a_complete_verdict_in_any_order() {
        let v = parse(r#"{"points":[{"id":"b","score":0.5,"evidence":"x","rationale":""},{"id":"a","score":1,"evidence":"y","rationale":""}],"misconceptions":[]}"#, &rubric()).unwrap();
        assert_eq!(v.points[0].id, "a");
    }

    #[test]
    fn extracts_json_from_prose_and_fences() {
        let text = "Here is the verdict:\n```json\n{\"points\":[{\"id\":\"a\",\"score\":0},{\"id\":\"b\",\"score\":0}]}\n```";
        assert!(parse(text, &rubric()).is_ok());
    }

    #[test]
    fn reports_every_problem() {
        let e = parse(
            r#"{"points":[{"id":"a","score":0.7},{"id":"a","score":1},{"id":"z","score":1}]}"#,
            &rubric(),
        )
        .unwrap_err();
        assert!(e.contains("score 0.7"), "{e}");
        assert!(e.contains("`a` appears more than once"), "{e}");
        assert!(e.contains("unknown point id `z`"), "{e}");
        assert!(e.contains("`b` is missing"), "{e}");
    }

    #[test]
    fn accepts_the_keyed_form_the_schema_asks_for() {
        let v = parse(r#"{"points":{"b":{"score":1,"evidence":"x","rationale":""},"a":{"score":0,"evidence":"","rationale":""}},"misconceptions":{}}"#, &rubric()).unwrap();
        assert_eq!((v.points[0].id.as_str(), v.points[1].score), ("a", 1.0));
        let e = parse(r#"{"points":{"a":{"score":1}}}"#, &rubric()).unwrap_err();
        assert!(e.contains("`b` is missing"), "{e}");
    }

    #[test]
    fn rejects_non_json() {
        assert!(
            parse("I think it is good", &rubric())
                .unwrap_err()
                .contains("no JSON")
        );
        assert!(
            parse("{not json}", &rubric())
                .unwrap_err()
                .contains("not a valid verdict")
        );
    }
}
