//! The LLM grader: one request per answer covering every point and
//! misconception, a validated verdict, and evidence checked against the answer.
//!
//! A small model often awards points without quoting the answer, and answers
//! that tell the grader to give full marks can sway it. So passages that
//! address the grader ([`super::injection`]) are flagged and never sent to
//! the model, and then no point gets more credit than the keyword grader
//! finds; credit whose quote is not in the answer is kept only as far as the
//! keyword grader independently finds the point (`corroborated`), unless the
//! policy says otherwise; misconceptions count only when the model quotes
//! them; and the keyword grader's view is compared point by point to flag
//! sharp disagreements. How verdicts combine is in `combine`.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use clap::ValueEnum;
use serde_json::{Value, json};

use super::injection::{self, Injection};
use super::keyword::KeywordGrader;
use super::{Backend, Flag, Grading, QuestionRef};
use super::{GradeError, Grader};
use crate::bank::{Question, Rubric};
use crate::llm::client::{Client, LlmError, Usage};
use crate::llm::evidence::AnswerWords;
use crate::llm::prompt::{RubricParts, Templates};
use crate::llm::verdict::{self, Verdict};

mod combine;

/// What happens to LLM credit whose quote is not found in the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum EvidencePolicy {
    /// Unverified credit is withdrawn.
    Strict,
    /// Kept only when the keyword grader finds the same point.
    #[default]
    Corroborate,
    /// Kept, and marked unverified in the report.
    Lenient,
}

/// How many times a verdict cut off by the token limit is retried, each time
/// with double the limit.
const LENGTH_RETRIES: u32 = 2;

pub struct LlmGrader {
    pub client: Client,
    pub templates: Templates,
    pub policy: EvidencePolicy,
    pub samples: u32,
    keyword: KeywordGrader,
    /// Per question id: what its requests share (see [`RubricParts`]).
    /// A grader serves one bank, so the id names one rubric.
    parts: Mutex<HashMap<String, Arc<RubricParts>>>,
}

/// What the grader reads of an answer without the model (see
/// [`LlmGrader::read`]).
struct Reading {
    keyword: Grading,
    words: AnswerWords,
}

/// The result of one request-and-validate round.
struct Round {
    verdict: Verdict,
    usage: Usage,
    repaired: bool,
}

impl LlmGrader {
    pub fn new(client: Client, templates: Templates, policy: EvidencePolicy, samples: u32) -> Self {
        LlmGrader {
            client,
            templates,
            policy,
            samples: samples.max(1),
            keyword: KeywordGrader::new("corroboration"),
            parts: Mutex::default(),
        }
    }

    fn parts(&self, question: &Question, rubric: &Rubric) -> Arc<RubricParts> {
        let mut memo = self.parts.lock().unwrap_or_else(|e| e.into_inner());
        memo.entry(question.id.clone())
            .or_insert_with(|| Arc::new(RubricParts::new(&self.templates, question, rubric)))
            .clone()
    }

    /// The marker around the answer in the prompt, derived from everything
    /// that is graded, so identical inputs give byte-identical requests
    /// (and cache hits) while an answer still cannot predict its own marker.
    pub fn nonce(&self, question: &Question, rubric: &Rubric, answer: &str) -> String {
        self.parts(question, rubric).nonce(answer)
    }

    fn seed(&self, sample: u32) -> Option<i64> {
        match self.client.cfg.seed.value {
            Some(s) => Some(s + i64::from(sample)),
            None if self.samples > 1 => Some(i64::from(sample)),
            None => None,
        }
    }

    /// The exact request body for the first sample, for `viva prompt`.
    pub fn request(
        &self,
        question: &Question,
        rubric: &Rubric,
        answer: &str,
    ) -> crate::error::Result<Value> {
        let parts = self.parts(question, rubric);
        let (sent, _) = screened(answer);
        let messages = self.templates.messages(
            question,
            rubric,
            &sent,
            &parts.nonce(&sent),
            &parts.schema_text,
        )?;
        Ok(self.client.body(
            &messages,
            &parts.schema,
            self.client.cfg.max_tokens.value,
            self.seed(0),
            self.client.format_mode(),
        ))
    }

    async fn round(
        &self,
        messages: &[Value],
        rubric: &Rubric,
        schema: &Value,
        seed: Option<i64>,
    ) -> Result<Round, LlmError> {
        let mut usage = Usage::default();
        let mut max_tokens = self.client.cfg.max_tokens.value;
        let mut reply = self
            .client
            .complete(messages, schema, max_tokens, seed)
            .await?;
        usage.add(reply.usage);
        for _ in 0..LENGTH_RETRIES {
            if reply.finish_reason.as_deref() != Some("length") {
                break;
            }
            max_tokens = max_tokens.saturating_mul(2);
            reply = self
                .client
                .complete(messages, schema, max_tokens, seed)
                .await?;
            usage.add(reply.usage);
        }
        match verdict::parse(&reply.content, rubric) {
            Ok(verdict) => Ok(Round {
                verdict,
                usage,
                repaired: false,
            }),
            Err(problem) => {
                self.client.stats.repairs.fetch_add(1, Ordering::Relaxed);
                let mut repair = messages.to_vec();
                repair.push(json!({"role": "assistant", "content": reply.content}));
                repair.push(json!({"role": "user", "content": format!(
                    "Your reply is not a valid verdict: {problem}. Reply again with the corrected JSON object only: \
                     every key point exactly once, scores 0, 0.5 or 1, evidence quoted verbatim from the answer."
                )}));
                let fixed = self
                    .client
                    .complete(&repair, schema, max_tokens, seed)
                    .await?;
                usage.add(fixed.usage);
                verdict::parse(&fixed.content, rubric)
                    .map(|verdict| Round {
                        verdict,
                        usage,
                        repaired: true,
                    })
                    .map_err(LlmError::InvalidVerdict)
            }
        }
    }

    /// Grades one answer. Fails only when the endpoint fails or the verdict
    /// stays invalid after a repair; never makes up a score.
    pub async fn grade(
        &self,
        question: &Question,
        rubric: &Rubric,
        answer: &str,
    ) -> Result<Grading, LlmError> {
        let parts = self.parts(question, rubric);
        let screened = screened(answer);
        let sent = &screened.0;
        let messages = self
            .templates
            .messages(
                question,
                rubric,
                sent,
                &parts.nonce(sent),
                &parts.schema_text,
            )
            .map_err(|e| LlmError::BadResponse(e.to_string()))?;
        let requests = async {
            let mut rounds = Vec::new();
            for sample in 0..self.samples {
                rounds.push(
                    self.round(&messages, rubric, &parts.schema, self.seed(sample))
                        .await?,
                );
            }
            Ok::<_, LlmError>(rounds)
        };
        // What the keyword rules read needs no verdict, so it is read while
        // the request is in flight, in the lull before the reply (see
        // `Outgoing::lull`), or once the reply is in if that comes first.
        // Read as soon as the request started, it held back the requests
        // started after it; read only after the reply, it sat on the path
        // from every reply to the next request.
        tokio::pin!(requests);
        let (rounds, reading) = tokio::select! {
            biased;
            rounds = &mut requests => (rounds, self.read(question, rubric, sent)),
            () = self.client.outgoing.lull() => {
                let reading = self.read(question, rubric, sent);
                (requests.await, reading)
            }
        };
        Ok(self.combine(question, rubric, answer, &screened, &reading, &rounds?))
    }

    /// Grades from a reply obtained elsewhere (an imported batch response):
    /// validated exactly like a live one, but without a repair request.
    pub fn grade_reply(
        &self,
        question: &Question,
        rubric: &Rubric,
        answer: &str,
        content: &str,
        usage: Usage,
    ) -> Result<Grading, LlmError> {
        let verdict = verdict::parse(content, rubric).map_err(LlmError::InvalidVerdict)?;
        let round = Round {
            verdict,
            usage,
            repaired: false,
        };
        let screened = screened(answer);
        let reading = self.read(question, rubric, &screened.0);
        Ok(self.combine(
            question,
            rubric,
            answer,
            &screened,
            &reading,
            std::slice::from_ref(&round),
        ))
    }

    /// What verdicts are judged against: the answer as the model saw it
    /// (`screened`), since a passage addressing the grader is no evidence.
    /// One keyword grading of it serves corroboration, disagreement flags
    /// and misconception flags; its words are split once for every quote.
    fn read(&self, question: &Question, rubric: &Rubric, sent: &str) -> Reading {
        Reading {
            keyword: self.keyword.grade(question, rubric, sent),
            words: AnswerWords::new(sent),
        }
    }

    fn combine(
        &self,
        question: &Question,
        rubric: &Rubric,
        full_answer: &str,
        (_, injections): &(String, Vec<Injection>),
        reading: &Reading,
        rounds: &[Round],
    ) -> Grading {
        let ctx = combine::Context {
            rubric,
            words: &reading.words,
            keyword: &reading.keyword,
            policy: self.policy,
            capped: !injections.is_empty(),
        };
        let verdicts: Vec<&Verdict> = rounds.iter().map(|r| &r.verdict).collect();
        let combined = combine::combine(&ctx, &verdicts);
        let mut flags = combined.flags;
        if !injections.is_empty() {
            flags.push(Flag {
                kind: "possible-manipulation".into(),
                message: format!(
                    "the answer addresses the grader ({}); {} passage(s) were not sent to the model, \
                     and no point gets more credit than the keyword rules find",
                    injection::summary(full_answer, injections),
                    injections.len()
                ),
            });
        }
        let mut usage = Usage::default();
        for r in rounds {
            usage.add(r.usage);
        }
        let cfg = &self.client.cfg;
        let cost = cfg.price.as_ref().map(|p| {
            (usage.prompt_tokens as f64 * p.value.input_per_million
                + usage.completion_tokens as f64 * p.value.output_per_million)
                / 1e6
        });
        Grading {
            schema: super::SCHEMA.to_string(),
            question: QuestionRef::from(question),
            backend: Backend {
                name: "llm".into(),
                model: Some(cfg.model.value.clone()),
                reason: format!("endpoint {}", cfg.base_url.value),
                response_format: Some(self.client.format_mode().name().to_string()),
                repairs: Some(rounds.iter().filter(|r| r.repaired).count() as u32),
            },
            points: combined.points,
            misconceptions: combined.misconceptions,
            total: combined.total,
            flags,
            usage: Some(super::UsageReport {
                prompt_tokens: usage.prompt_tokens,
                completion_tokens: usage.completion_tokens,
                cost_usd: cost,
            }),
            samples: combined.samples,
            spoken: None,
        }
    }
}

impl Grader for LlmGrader {
    async fn grade(
        &self,
        question: &Question,
        rubric: &Rubric,
        answer: &str,
    ) -> Result<Grading, GradeError> {
        Ok(LlmGrader::grade(self, question, rubric, answer).await?)
    }
}

/// The answer without the passages that address the grader, and those passages.
fn screened(answer: &str) -> (String, Vec<Injection>) {
    let found = injection::detect(answer);
    (injection::without(answer, &found), found)
}
