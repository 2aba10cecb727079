//! Pre-parses the embedded question files into JSON, so that every run of
//! `viva` does not parse 18 TOML files (about 130 KB) before it can look up
//! one question: that parse was a third of the instructions of a whole
//! `viva grade`. The JSON holds the questions exactly as `bank::load` builds
//! them, one per line, each parsed when first asked for; a test checks the
//! two agree.
//!
//! A file that does not parse, or holds something unexpected, is not an
//! error here: the script writes an empty file and the binary falls back to
//! the TOML files, whose loader reports the problem with file and line.

use std::path::Path;

use serde_json::{Map, Value, json};

fn main() {
    println!("cargo::rerun-if-changed=questions");
    println!("cargo::rerun-if-changed=rubrics");
    println!("cargo::rerun-if-changed=lexicon.toml");
    let out_dir = std::env::var("OUT_DIR").unwrap();
    // One question per line, its id, a tab and its JSON, so the binary can
    // find one without parsing the rest; an empty file when the questions do
    // not parse.
    let lines: String = match questions(Path::new("questions")) {
        Some(Value::Array(all)) => all
            .iter()
            .map(|q| format!("{}\t{q}\n", q["id"].as_str().unwrap_or_default()))
            .collect(),
        _ => String::new(),
    };
    std::fs::write(Path::new(&out_dir).join("questions.jsonl"), lines).unwrap();
    std::fs::write(Path::new(&out_dir).join("stems.rs"), stem_table()).unwrap();
}

/// The Snowball stem of every ASCII word in the embedded bank's files, as
/// Rust source for `text::stem_table`. Compiling a rubric stems each of its
/// phrase words, and the stemmer was an eighth of the instructions of an
/// offline `viva grade`; a lookup here costs a few string comparisons. The
/// table is one string and an array of offsets, not a slice of `&str`: a
/// pointer per entry would be a relocation for every run to apply.
fn stem_table() -> String {
    use std::collections::BTreeMap;
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let mut words = std::collections::BTreeSet::new();
    let files = ["questions", "rubrics"]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).into_iter().flatten())
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .chain([std::path::PathBuf::from("lexicon.toml")]);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for w in text.split(|c: char| !c.is_ascii_alphanumeric()) {
            if !w.is_empty() {
                words.insert(w.to_ascii_lowercase());
            }
        }
    }
    let stems: BTreeMap<String, String> = words
        .into_iter()
        .map(|w| {
            let s = stemmer.stem(&w).into_owned();
            (w, s)
        })
        .collect();
    let mut blob = String::new();
    let mut entries = Vec::new();
    for (word, stem) in &stems {
        let at = blob.len();
        blob.push_str(word);
        // Most stems are a prefix of their word: stored once.
        let stem_at = if word.starts_with(stem.as_str()) {
            at
        } else {
            let s = blob.len();
            blob.push_str(stem);
            s
        };
        entries.push(format!("[{at}, {}, {stem_at}, {}]", word.len(), stem.len()));
    }
    format!(
        "static BLOB: &str = {blob:?};\nstatic ENTRIES: [[u32; 4]; {}] = [{}];\n",
        entries.len(),
        entries.join(", ")
    )
}

/// Every question of every `*.toml` file in `dir`, files in name order.
fn questions(dir: &Path) -> Option<Value> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let mut all = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).ok()?;
        let file: toml::Table = toml::from_str(&text).ok()?;
        let topic = file.get("topic")?.as_str()?.trim();
        if Some(topic) != path.file_stem()?.to_str() {
            return None;
        }
        for q in file.get("question")?.as_array()? {
            all.push(question(q.as_table()?, topic)?);
        }
    }
    Some(Value::Array(all))
}

/// One question in the shape of `bank::model::Question`.
fn question(q: &toml::Table, topic: &str) -> Option<Value> {
    let known = ["id", "level", "text", "sources", "tags", "follow_ups"];
    if q.keys().any(|k| !known.contains(&k.as_str())) {
        return None;
    }
    let strings = |key: &str| -> Option<Vec<String>> {
        match q.get(key) {
            None => Some(Vec::new()),
            Some(v) => v
                .as_array()?
                .iter()
                .map(|s| s.as_str().map(str::to_string))
                .collect(),
        }
    };
    let mut sources = Vec::new();
    for s in q
        .get("sources")
        .and_then(|s| s.as_array())
        .unwrap_or(&Vec::new())
    {
        let s = s.as_table()?;
        let mut source = Map::new();
        for (k, v) in s {
            if !["seed", "title", "text"].contains(&k.as_str()) {
                return None;
            }
            source.insert(k.clone(), Value::String(v.as_str()?.to_string()));
        }
        sources.push(Value::Object(source));
    }
    Some(json!({
        "id": q.get("id")?.as_str()?,
        "text": q.get("text")?.as_str()?.trim(),
        "topic": topic,
        "level": q.get("level")?.as_str()?,
        "sources": sources,
        "tags": strings("tags")?,
        "follow_ups": strings("follow_ups")?,
    }))
}
