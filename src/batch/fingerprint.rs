//! What decides a grade, so a resumed batch knows which journal entries are
//! still valid and can say why the others are not.
//!
//! Every setting that can change a grade (backend, model, endpoint, sampling,
//! evidence policy, token limit, prompt templates, the question, the rubric,
//! the grader's own version, and the answer) is kept readable in the record,
//! as setting → value or → digest of long contents, and hashed into one
//! digest. A record whose digest differs is stale; the settings that differ
//! become the reason in the summary ("evidence policy changed").

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use clap::ValueEnum;

use super::record::Fingerprint;
use crate::bank::{Bank, Question, Rubric};
use crate::grade::llm::LlmGrader;
use crate::grade::{KEYWORD_GRADER_VERSION, LLM_GRADER_VERSION};
use crate::llm::cache::digest;

/// The setting names, as the summary says them.
pub const BACKEND: &str = "backend";
pub const ANSWER: &str = "answer";
pub const QUESTION: &str = "question";
pub const RUBRIC: &str = "rubric";
pub const GRADER_VERSION: &str = "grader version";

/// The rubric as graded: every field that is read from the rubric file,
/// and the bank's lexicon, whose equivalences its phrases compile with (a
/// bank's `lexicon.toml` edited, its answers grade differently).
pub fn rubric_digest(rubric: &Rubric) -> String {
    let mut graded = serde_json::to_string(rubric).unwrap_or_default();
    graded.push_str(&serde_json::to_string(&rubric.lexicon.sets).unwrap_or_default());
    digest(&graded)
}

/// Question id → its (question digest, rubric digest).
type Digests = HashMap<String, Arc<(String, String)>>;

/// The settings every answer of a run shares.
#[derive(Debug, Clone)]
pub struct RunSettings {
    settings: BTreeMap<String, String>,
    /// `keyword`, or `llm:<model>@<base url>`: which grader, at a glance.
    grader: String,
    prompt: Option<String>,
    bank: Arc<Bank>,
    /// Question id → (question digest, rubric digest), computed the first
    /// time the question is graded. Digesting the whole bank up front parsed
    /// every embedded rubric: most of a small batch's start-up and a tenth of
    /// a keyword batch's memory.
    per_question: Arc<Mutex<Digests>>,
}

impl RunSettings {
    /// The offline keyword grader: only its rules decide.
    pub fn keyword(bank: &Arc<Bank>) -> RunSettings {
        let settings = BTreeMap::from([
            (BACKEND.into(), "keyword".into()),
            (GRADER_VERSION.into(), KEYWORD_GRADER_VERSION.into()),
        ]);
        RunSettings::new(bank, settings, "keyword".into(), None)
    }

    /// The LLM grader: the request it sends and how it judges the verdict.
    pub fn llm(bank: &Arc<Bank>, g: &LlmGrader) -> RunSettings {
        let cfg = &g.client.cfg;
        let policy = g
            .policy
            .to_possible_value()
            .map_or_else(|| format!("{:?}", g.policy), |v| v.get_name().to_string());
        let settings = BTreeMap::from([
            (BACKEND.into(), "llm".into()),
            ("model".into(), cfg.model.value.clone()),
            ("base url".into(), cfg.base_url.value.clone()),
            ("temperature".into(), cfg.temperature.value.to_string()),
            (
                "seed".into(),
                cfg.seed.value.map_or("none".into(), |s| s.to_string()),
            ),
            ("samples".into(), g.samples.to_string()),
            ("evidence policy".into(), policy),
            ("max tokens".into(), cfg.max_tokens.value.to_string()),
            ("prompt template".into(), g.templates.fingerprint.clone()),
            (
                GRADER_VERSION.into(),
                // The LLM grader corroborates evidence with the keyword rules.
                format!("{LLM_GRADER_VERSION}+{KEYWORD_GRADER_VERSION}"),
            ),
        ]);
        let grader = format!("llm:{}@{}", cfg.model.value, cfg.base_url.value);
        RunSettings::new(
            bank,
            settings,
            grader,
            Some(g.templates.fingerprint.clone()),
        )
    }

    fn new(
        bank: &Arc<Bank>,
        settings: BTreeMap<String, String>,
        grader: String,
        prompt: Option<String>,
    ) -> RunSettings {
        RunSettings {
            settings,
            grader,
            prompt,
            bank: bank.clone(),
            per_question: Arc::default(),
        }
    }

    /// Whether the bank can grade this question (it has a rubric).
    pub fn knows(&self, question_id: &str) -> bool {
        self.bank.question(question_id).is_some() && self.bank.rubric(question_id).is_some()
    }

    /// The question's and its rubric's digests, from the bank.
    fn digests(&self, question: &Question) -> Arc<(String, String)> {
        let memo = |m: &Mutex<Digests>| {
            m.lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&question.id)
                .cloned()
        };
        if let Some(d) = memo(&self.per_question) {
            return d;
        }
        // Outside the lock: another worker may digest the same rubric at
        // the same time, to the same result.
        let rubric = self
            .bank
            .rubric(&question.id)
            .map_or_else(String::new, rubric_digest);
        let d = Arc::new((digest(&question.text), rubric));
        self.per_question
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(question.id.clone(), d.clone());
        d
    }

    /// The fingerprint of one answer to one question of the bank.
    pub fn fingerprint(&self, question: &Question, answer: &str) -> Fingerprint {
        let digests = self.digests(question);
        let (question_digest, rubric) = (digests.0.clone(), digests.1.clone());
        let answer = digest(answer);
        let mut settings = self.settings.clone();
        settings.insert(QUESTION.into(), question_digest);
        settings.insert(RUBRIC.into(), rubric.clone());
        settings.insert(ANSWER.into(), answer.clone());
        let all = serde_json::to_string(&settings).unwrap_or_default();
        Fingerprint {
            answer,
            rubric,
            prompt: self.prompt.clone(),
            grader: self.grader.clone(),
            digest: Some(digest(&all)),
            settings,
        }
    }
}

/// The transcription settings that decide a recorded answer's transcript,
/// and so its grade: `stt model`, `stt base url`, `stt language`,
/// `stt prompt`. Only recorded answers carry them, so changing them
/// regrades recordings and nothing else.
pub fn transcription_settings(t: &crate::stt::Transcriber) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("stt model".into(), t.cfg.model.value.clone()),
        ("stt base url".into(), t.cfg.base_url.value.clone()),
        (
            "stt language".into(),
            t.cfg
                .language
                .value
                .clone()
                .unwrap_or_else(|| "detected".into()),
        ),
        (
            "stt prompt".into(),
            if t.cfg.prompt.value {
                "question terms"
            } else {
                "off"
            }
            .into(),
        ),
    ])
}

impl Fingerprint {
    /// The same fingerprint with more settings, its digest recomputed.
    pub fn with_settings(mut self, extra: &BTreeMap<String, String>) -> Fingerprint {
        if extra.is_empty() {
            return self;
        }
        self.settings
            .extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
        let all = serde_json::to_string(&self.settings).unwrap_or_default();
        self.digest = Some(digest(&all));
        self
    }
}

/// Why a journal record no longer matches the current run, or `None` when it
/// still does: the changed settings ("evidence policy changed"), or "older
/// journal format" for records written before settings were recorded.
pub fn stale_reason(old: &Fingerprint, new: &Fingerprint) -> Option<String> {
    let Some(old_digest) = &old.digest else {
        return Some("older journal format".into());
    };
    if Some(old_digest) == new.digest.as_ref() {
        return None;
    }
    // A different grader differs in everything: name only that.
    if old.settings.get(BACKEND) != new.settings.get(BACKEND) {
        return Some(format!("{BACKEND} changed"));
    }
    let changed: Vec<&str> = old
        .settings
        .keys()
        .chain(new.settings.keys())
        .filter(|k| old.settings.get(*k) != new.settings.get(*k))
        .map(String::as_str)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    Some(if changed.is_empty() {
        "settings changed".into()
    } else {
        format!("{} changed", changed.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rubric_digest_changes_with_the_lexicon() {
        let bank = crate::bank::Bank::embedded().unwrap();
        let rubric = bank.rubrics().next().unwrap().clone();
        let mut other = rubric.clone();
        let mut lexicon = (*other.lexicon).clone();
        lexicon.sets.push(vec!["alpha".into(), "beta".into()]);
        other.lexicon = std::sync::Arc::new(lexicon);
        assert_eq!(rubric_digest(&rubric), rubric_digest(&rubric.clone()));
        assert_ne!(rubric_digest(&rubric), rubric_digest(&other));
    }

    fn fp(pairs: &[(&str, &str)]) -> Fingerprint {
        let settings: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Fingerprint {
            answer: "a".into(),
            rubric: "r".into(),
            prompt: None,
            grader: "g".into(),
            digest: Some(digest(&serde_json::to_string(&settings).unwrap())),
            settings,
        }
    }

    #[test]
    fn the_reason_names_what_changed() {
        let old = fp(&[
            ("backend", "llm"),
            ("evidence policy", "corroborate"),
            ("samples", "1"),
        ]);
        assert_eq!(stale_reason(&old, &old.clone()), None);
        let new = fp(&[
            ("backend", "llm"),
            ("evidence policy", "strict"),
            ("samples", "3"),
        ]);
        assert_eq!(
            stale_reason(&old, &new).as_deref(),
            Some("evidence policy, samples changed")
        );
        let keyword = fp(&[("backend", "keyword")]);
        assert_eq!(
            stale_reason(&old, &keyword).as_deref(),
            Some("backend changed")
        );
        let legacy = Fingerprint {
            digest: None,
            settings: BTreeMap::new(),
            ..old.clone()
        };
        assert_eq!(
            stale_reason(&legacy, &old).as_deref(),
            Some("older journal format")
        );
    }
}
