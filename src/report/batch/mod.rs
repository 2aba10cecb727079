//! Reports over a whole batch journal: who ranks where, which questions and
//! key points were hard, and which answers a person should look at.
//!
//! A journal is read once into a [`Summary`] ([`summarise`]); each format is
//! a renderer of that summary alone, so every format shows the same numbers
//! and none of them grades or reads the journal again.

mod csv;
mod html;
mod markdown;
mod settings;
mod stats;
mod summary;
mod svg;
pub(crate) mod text;

pub use csv::render as csv;
pub use html::render as html;
pub use markdown::render as markdown;
pub use settings::Setting;
pub use summary::{
    AnswerRow, BadLine, Bucket, CandidateRow, Counts, FlagRow, JournalHealth, MissedPoint,
    MissingPolicy, Options, QuestionRow, SCHEMA, Summary, TOP_MISSED, TopicRow, summarise,
};
pub use text::render as text;

/// "1 answer", "2 answers": a count with its noun.
fn count(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

/// How the ranking treats missing answers, when some candidate has any.
fn missing_note(s: &Summary) -> Option<String> {
    let missing: usize = s.ranking.iter().map(|r| r.missing).sum();
    if missing == 0 {
        return None;
    }
    Some(match s.missing {
        MissingPolicy::Zero => format!(
            "{} not answered count 0% in the mean (--missing skip leaves them out)",
            count(missing, "question")
        ),
        MissingPolicy::Skip => format!(
            "{} not answered are left out of the mean (--missing skip)",
            count(missing, "question")
        ),
    })
}

/// The summary as pretty JSON (`schema: viva.report/v1`).
pub fn json(summary: &Summary) -> String {
    crate::report::document(summary)
}
