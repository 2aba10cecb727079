//! The bank compiled into the binary, and its rubrics parsed on first use.
//!
//! The tests lint every embedded file strictly (`viva rubric lint --strict`
//! in `tests/bank_files.rs`), so an ordinary run need not validate them again.
//! Parsing all 229 rubrics (about 2 MB of TOML) was most of the time of every
//! `viva grade`, `viva questions` or `viva show`, although each uses at most
//! one rubric. So the questions come pre-parsed from `build.rs` as JSON, each
//! parsed the first time it is looked up (all of them for a listing), and a
//! rubric is parsed, with the checks of an ordinary load, the first time it is
//! asked for. `rubric lint` still reads the whole bank at once, with every
//! check.

use std::sync::{Arc, OnceLock};

use include_dir::{Dir, File, include_dir};

use super::lexicon::{self, LEXICON_FILE, Lexicon};
use super::{BankFile, Diagnostic, Question, Rubric};

static QUESTIONS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/questions");
static RUBRICS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/rubrics");

fn toml_files(dir: &'static Dir<'static>) -> impl Iterator<Item = &'static File<'static>> {
    dir.files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
}

fn bank_file(prefix: &str, f: &File) -> BankFile {
    BankFile {
        path: format!("{prefix}/{}", f.path().to_string_lossy()),
        text: String::from_utf8_lossy(f.contents()).into_owned(),
    }
}

/// Every file of the embedded bank, for a full load (`rubric lint`).
pub fn files() -> Vec<BankFile> {
    let mut files = question_files();
    files.extend(toml_files(&RUBRICS).map(|f| bank_file("rubrics", f)));
    files.push(BankFile {
        path: LEXICON_FILE.into(),
        text: lexicon::BUILT_IN.into(),
    });
    files
}

/// The embedded questions as `build.rs` pre-parsed them, each as its id
/// and its JSON, or `None` when it could not (a question file being edited
/// does not parse): then the TOML files are loaded, and their loader says
/// what is wrong where. A question's JSON is parsed when it is first asked
/// for: parsing all 229 was a tenth of the instructions of a `viva grade`,
/// which needs one.
pub fn questions() -> Option<Vec<(&'static str, &'static str)>> {
    static LINES: &str = include_str!(concat!(env!("OUT_DIR"), "/questions.jsonl"));
    let entries: Option<Vec<_>> = LINES.lines().map(|l| l.split_once('\t')).collect();
    entries.filter(|e| !e.is_empty())
}

/// Parses one question's JSON from [`questions`]. The tests parse every
/// one, so a failure here is a build that skipped them.
pub fn parse_question(json: &str) -> Question {
    serde_json::from_str(json).expect("an embedded question parses (the tests check each)")
}

/// The embedded question files.
pub fn question_files() -> Vec<BankFile> {
    toml_files(&QUESTIONS)
        .map(|f| bank_file("questions", f))
        .collect()
}

/// The embedded rubrics by file stem (the question id each should grade),
/// not yet parsed.
pub fn rubric_slots() -> impl Iterator<Item = (String, RubricSlot)> {
    toml_files(&RUBRICS).filter_map(|f| {
        let stem = f.path().file_stem()?.to_str()?.to_string();
        Some((stem, RubricSlot::lazy(f)))
    })
}

/// The built-in lexicon, parsed once per process.
pub fn lexicon() -> Arc<Lexicon> {
    static LEXICON: OnceLock<Arc<Lexicon>> = OnceLock::new();
    LEXICON
        .get_or_init(|| Arc::new(Lexicon::built_in()))
        .clone()
}

/// One rubric of a bank: parsed already, or an embedded file parsed on the
/// first call to [`RubricSlot::get`].
#[derive(Debug, Clone)]
pub struct RubricSlot {
    source: Option<&'static File<'static>>,
    parsed: OnceLock<Result<Rubric, Vec<Diagnostic>>>,
}

impl RubricSlot {
    pub fn ready(rubric: Rubric) -> Self {
        RubricSlot {
            source: None,
            parsed: OnceLock::from(Ok(rubric)),
        }
    }

    fn lazy(file: &'static File<'static>) -> Self {
        RubricSlot {
            source: Some(file),
            parsed: OnceLock::new(),
        }
    }

    /// The rubric, or the problems that keep it from being used. `parse`
    /// turns the embedded file into a rubric the first time.
    pub fn get(
        &self,
        parse: impl FnOnce(&BankFile) -> Result<Rubric, Vec<Diagnostic>>,
    ) -> &Result<Rubric, Vec<Diagnostic>> {
        self.parsed.get_or_init(|| match self.source {
            Some(f) => parse(&bank_file("rubrics", f)),
            None => unreachable!("a slot without a source is built parsed"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::Bank;

    #[test]
    fn rubrics_are_parsed_only_when_asked_for() {
        let bank = Bank::embedded().unwrap();
        assert!(bank.questions().len() > 200);
        assert!(bank.rubrics.values().all(|s| s.parsed.get().is_none()));
        assert!(bank.rubric("gil-what-it-protects").is_some());
        let parsed = bank.rubrics.values().filter(|s| s.parsed.get().is_some());
        assert_eq!(parsed.count(), 1);
    }

    #[test]
    fn a_looked_up_question_is_the_only_one_parsed() {
        let bank = Bank::embedded().unwrap();
        let q = bank.question("gil-what-it-protects").unwrap();
        assert_eq!(q.id, "gil-what-it-protects");
        let super::super::Questions::Embedded { one, all, .. } = &bank.questions else {
            panic!("the embedded questions are parsed on use");
        };
        assert_eq!(one.iter().filter(|q| q.get().is_some()).count(), 1);
        // A hint for a mistyped id reads the ids alone.
        assert_eq!(
            bank.closest_ids("gil-what-it-protect", 1),
            ["gil-what-it-protects"]
        );
        assert!(all.get().is_none());
        assert!(bank.questions().len() > 200);
    }

    #[test]
    fn the_questions_are_pre_parsed_at_build_time() {
        // Without them the bank still loads (from TOML), only slower.
        let questions = super::questions().expect("build.rs parsed the questions");
        assert!(questions.len() > 200);
        for (id, json) in questions {
            assert_eq!(super::parse_question(json).id, id);
        }
    }

    #[test]
    fn the_lazy_bank_reads_as_a_full_load_does() {
        let lazy = Bank::embedded().unwrap();
        let full = Bank::open(None, true).unwrap();
        assert_eq!(
            format!("{:?}", lazy.questions()),
            format!("{:?}", full.questions())
        );
        assert_eq!(lazy.rubrics().count(), full.rubrics().count());
        for (a, b) in lazy.rubrics().zip(full.rubrics()) {
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
        }
        assert!(lazy.broken.is_empty());
        assert_eq!(lazy.lexicon(), full.lexicon());
    }
}
