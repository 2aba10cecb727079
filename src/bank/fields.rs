//! Unknown-field checks for bank files.
//!
//! serde stops at the first unknown field of a file; authors want every typo
//! at once. So fields are checked here on the syntax tree, which keeps every
//! key's position, and deserialisation itself ignores unknown fields.

use toml_edit::{ImDocument, Item, Table, Value};

use super::diagnostic::FileDiagnostics;

const QUESTION_FILE: &[&str] = &["topic", "question"];
const QUESTION: &[&str] = &["id", "level", "text", "sources", "tags", "follow_ups"];
const SOURCE: &[&str] = &["seed", "title", "text"];
const RUBRIC_FILE: &[&str] = &[
    "question",
    "full_marks",
    "sides",
    "point",
    "misconception",
    "example",
];
const POINT: &[&str] = &[
    "id",
    "weight",
    "text",
    "feedback",
    "half",
    "need",
    "negative",
    "groups",
    "regex",
    "contradicts",
    "scope",
    "leads_to",
];
const MISCONCEPTION: &[&str] = &[
    "id",
    "penalty",
    "text",
    "correction",
    "groups",
    "regex",
    "not_examples",
    "unless",
];
/// A contradiction written as a table rather than its groups alone.
const CONTRADICTION: &[&str] = &["groups", "unless"];
const EXAMPLE: &[&str] = &["label", "score", "text"];

fn check_keys<'a>(
    d: &mut FileDiagnostics,
    keys: impl Iterator<Item = (&'a toml_edit::Key, Option<std::ops::Range<usize>>)>,
    allowed: &[&str],
    what: &str,
) {
    for (key, fallback) in keys {
        if !allowed.contains(&key.get()) {
            let at = key.span().or(fallback).map_or(0, |s| s.start);
            d.at(
                at,
                format!(
                    "unknown field `{}` in {what}; expected one of: {}",
                    key.get(),
                    allowed.join(", ")
                ),
            );
        }
    }
}

fn table_keys(
    t: &Table,
) -> impl Iterator<Item = (&toml_edit::Key, Option<std::ops::Range<usize>>)> {
    t.iter()
        .filter_map(move |(k, _)| t.key(k).map(|key| (key, t.span())))
}

/// The keys of an inline table, falling back to the table's own position.
fn inline_keys<'a>(
    t: &'a toml_edit::InlineTable,
    value: &'a Value,
) -> impl Iterator<Item = (&'a toml_edit::Key, Option<std::ops::Range<usize>>)> {
    t.iter()
        .filter_map(move |(k, _)| t.key(k).map(|key| (key, value.span())))
}

fn each_table<'a>(root: &'a Table, name: &str) -> Vec<&'a Table> {
    match root.get(name) {
        Some(Item::ArrayOfTables(aot)) => aot.iter().collect(),
        Some(Item::Table(t)) => vec![t],
        _ => Vec::new(),
    }
}

/// Reports unknown fields anywhere in a `questions/*.toml` file.
pub fn check_question_file(text: &str, d: &mut FileDiagnostics) {
    let Ok(doc) = ImDocument::parse(text) else {
        return;
    };
    let root = doc.as_table();
    check_keys(d, table_keys(root), QUESTION_FILE, "a question file");
    for q in each_table(root, "question") {
        check_keys(d, table_keys(q), QUESTION, "[[question]]");
        if let Some(Item::Value(Value::Array(sources))) = q.get("sources") {
            for s in sources.iter() {
                if let Value::InlineTable(t) = s {
                    check_keys(d, inline_keys(t, s), SOURCE, "a source");
                }
            }
        }
    }
}

/// Reports unknown fields anywhere in a `rubrics/*.toml` file.
pub fn check_rubric_file(text: &str, d: &mut FileDiagnostics) {
    let Ok(doc) = ImDocument::parse(text) else {
        return;
    };
    let root = doc.as_table();
    check_keys(d, table_keys(root), RUBRIC_FILE, "a rubric file");
    for (name, allowed) in [
        ("point", POINT),
        ("misconception", MISCONCEPTION),
        ("example", EXAMPLE),
    ] {
        for t in each_table(root, name) {
            check_keys(d, table_keys(t), allowed, &format!("[[{name}]]"));
        }
    }
    for p in each_table(root, "point") {
        if let Some(Item::Value(Value::Array(rules))) = p.get("contradicts") {
            for r in rules.iter() {
                if let Value::InlineTable(t) = r {
                    check_keys(d, inline_keys(t, r), CONTRADICTION, "a contradiction");
                }
            }
        }
    }
}
