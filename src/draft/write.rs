//! The drafted bank's files, in the format `docs/bank-format.md` describes,
//! laid out for a person to read and edit.

use std::fmt::Write;

use super::Draft;

/// A TOML basic string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Formats a weight or score without a trailing `.0` where it is whole.
fn number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.1}")
    } else {
        format!("{x}")
    }
}

/// Strings as a TOML array of basic strings, on one line.
fn quoted_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[{}]", items.join(", "))
}

/// Contradiction groups as TOML: a list of rule sets, each a list of
/// groups of quoted phrases, on one line.
fn toml_groups(rules: &[Vec<Vec<String>>]) -> String {
    let list = |items: Vec<String>| format!("[{}]", items.join(", "));
    list(
        rules
            .iter()
            .map(|groups| list(groups.iter().map(|g| quoted_list(g)).collect()))
            .collect(),
    )
}

/// The `[[question]]` entry for a topic's question file.
pub fn question_entry(d: &Draft) -> String {
    let s = &d.source;
    format!(
        "\n[[question]]\nid = {}\nlevel = \"{}\"\ntext = {}\n",
        quoted(&s.id),
        s.level.as_str(),
        quoted(&s.question)
    )
}

/// A self-test example of the drafted rubric: label, score range, text.
pub type DraftExample = (String, (f64, f64), String);

/// The rubric file of a draft, with its self-test examples.
pub fn rubric_file(d: &Draft, examples: &[DraftExample]) -> String {
    let mut out = String::new();
    let from = if d.proposed_examples.is_empty() && d.proposed_misconceptions.is_empty() {
        "the reference answer"
    } else {
        "key points an LLM proposed from the reference answer"
    };
    let _ = writeln!(out, "# Drafted by `viva rubric draft` from {from}.");
    let _ = writeln!(
        out,
        "# Each point is\n\
         # matched by the content words of its text (the comment under it lists\n\
         # them); add `groups = [[...], ...]` to a point to match other phrasings.\n\
         question = {}",
        quoted(&d.source.id)
    );
    if let Some(full) = d.full_marks {
        let total: usize = d.points.iter().map(|p| p.weight).sum();
        let _ = writeln!(
            out,
            "# A full score needs {} of the {total} points' weight: the reference says more than a full answer must.\nfull_marks = {}",
            number(full),
            number(full)
        );
    }
    if !d.sides.is_empty() {
        let sides: Vec<String> = d.sides.iter().map(|s| quoted_list(s)).collect();
        let _ = writeln!(
            out,
            "# The question compares these: a point about one of them is not earned by its words said of the other.\nsides = [{}]",
            sides.join(", ")
        );
    }
    let mut section: Option<&str> = None;
    for p in &d.points {
        if p.point.section.as_deref() != section {
            section = p.point.section.as_deref();
            if let Some(s) = section {
                let _ = writeln!(out, "\n# ## {s}");
            }
        }
        let _ = writeln!(
            out,
            "\n[[point]]\nid = {}\nweight = {}\ntext = {}",
            quoted(&p.id),
            p.weight,
            quoted(&p.point.text)
        );
        let _ = writeln!(out, "# matched by {} of: {}", p.need, p.words.join(" · "));
        if !p.contradicts.is_empty() {
            let _ = writeln!(
                out,
                "# denied where the answer negates what it says ({}, ...)\ncontradicts = {}",
                p.contradicts
                    .iter()
                    .flatten()
                    .flatten()
                    .filter(|c| c.starts_with("not "))
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", "),
                toml_groups(&p.contradicts)
            );
        }
    }
    for (text, correction) in &d.proposed_misconceptions {
        let _ = writeln!(
            out,
            "\n# Proposed misconception, to review: add `groups` that match only the wrong belief\n\
             # and `not_examples` of true statements close to it, then uncomment.\n\
             # [[misconception]]\n\
             # id = \"...\"\n\
             # penalty = 0.1\n\
             # text = {}\n\
             # correction = {}",
            quoted(text),
            quoted(correction)
        );
    }
    let mut from: Option<&str> = None;
    for b in &d.borrowed {
        if from != Some(b.from.as_str()) {
            from = Some(b.from.as_str());
            let _ = writeln!(
                out,
                "\n# Borrowed from the bank's question `{}`, on the same subject: false claims\n\
                 # a wrong answer to this question may make too. Delete any that can be true here.",
                b.from
            );
        }
        let _ = writeln!(
            out,
            "\n[[misconception]]\nid = {}\npenalty = {}\ntext = {}\ncorrection = {}",
            quoted(&b.id),
            number(b.penalty),
            quoted(&b.text),
            quoted(&b.correction)
        );
        if !b.rules.groups.is_empty() {
            let groups: Vec<String> = b.rules.groups.iter().map(|g| quoted_list(g)).collect();
            let _ = writeln!(out, "groups = [{}]", groups.join(", "));
        }
        for (key, items) in [
            ("unless", &b.rules.unless),
            ("regex", &b.rules.regex),
            ("not_examples", &b.not_examples),
        ] {
            if !items.is_empty() {
                let _ = writeln!(out, "{key} = {}", quoted_list(items));
            }
        }
    }
    for (label, (lo, hi), text) in examples {
        let _ = writeln!(
            out,
            "\n[[example]]\nlabel = {}\nscore = [{}, {}]\ntext = {}",
            quoted(label),
            number(*lo),
            number(*hi),
            quoted(text)
        );
    }
    out
}
