//! The question bank: questions, their rubrics, and where they come from.
//!
//! The repo's `questions/` and `rubrics/` are compiled into the binary so an
//! installed `viva` works from any folder; `--bank DIR` (or `VIVA_BANK`) reads
//! another bank with the same layout instead, e.g. a recruiter's own questions.

pub mod derive;
mod diagnostic;
mod embedded;
mod fields;
mod lexicon;
mod load;
mod model;
mod search;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use embedded::RubricSlot;

pub use diagnostic::Diagnostic;
pub use lexicon::{LEXICON_FILE, Lexicon};
pub use load::valid_id;
pub use model::{
    Example, KeyPoint, Level, MatchRules, Misconception, Question, Rubric, Scope, Source,
    compile_regex, rubric_regex_source,
};
pub use search::{
    ASCII_FOLDS, Haystack, REGEX_DFA_CACHE, SearchRegex, Shadow, reads_shadows, reads_word_shadows,
    search_regex, search_regex_ascii, search_regex_ascii_words,
};

/// One bank file's text and its path relative to the bank root.
#[derive(Debug, Clone)]
pub struct BankFile {
    pub path: String,
    pub text: String,
}

/// Where the bank was read from; reports and fingerprints mention it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BankOrigin {
    Embedded,
    Dir(PathBuf),
}

impl std::fmt::Display for BankOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BankOrigin::Embedded => f.write_str("embedded bank"),
            BankOrigin::Dir(p) => write!(f, "bank at {}", p.display()),
        }
    }
}

impl BankOrigin {
    /// A bank file's path as the user would type it: under the `--bank`
    /// folder as given, or relative to the embedded bank's root.
    pub fn display_path(&self, file: &str) -> String {
        match self {
            BankOrigin::Dir(d) => d.join(file).display().to_string(),
            BankOrigin::Embedded => file.to_string(),
        }
    }

    /// A problem as `path:line: message`, with the path as the user typed it.
    pub fn locate(&self, d: &Diagnostic) -> String {
        Diagnostic {
            file: self.display_path(&d.file),
            ..d.clone()
        }
        .to_string()
    }
}

/// Why a bank could not be used.
#[derive(Debug, thiserror::Error)]
pub enum BankError {
    #[error("cannot read the bank at {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{origin} has {} problem(s); first: {}", .problems.len(), .origin.locate(&.problems[0]))]
    Invalid {
        origin: BankOrigin,
        problems: Vec<Diagnostic>,
    },
}

/// A validated bank. Every rubric belongs to a question; a question may lack
/// a rubric only when loaded leniently (see [`Bank::open`]).
#[derive(Debug, Clone)]
pub struct Bank {
    questions: Questions,
    by_id: HashMap<String, usize>,
    /// Rubrics by question id; the embedded bank's are parsed on first use.
    rubrics: BTreeMap<String, RubricSlot>,
    /// Rubric files left out because they have problems, by file stem (the
    /// question id they should grade), when loaded leniently from files.
    /// (A problem in an embedded rubric, which the tests rule out, shows when
    /// that rubric is first used; see [`Bank::broken_rubric`].)
    pub broken: BTreeMap<String, Vec<Diagnostic>>,
    /// Equivalences every rubric of the bank compiles with; the built-in
    /// ones until set.
    lexicon: OnceLock<Arc<Lexicon>>,
    /// Set by the constructors; `Embedded` for banks built from files in tests.
    pub origin: BankOrigin,
}

/// A bank's questions: parsed, or the embedded ones as JSON, each parsed
/// the first time it is looked up (and all of them when all are asked for).
#[derive(Debug, Clone)]
enum Questions {
    Parsed(Vec<Question>),
    Embedded {
        json: Vec<&'static str>,
        one: Vec<OnceLock<Question>>,
        all: OnceLock<Vec<Question>>,
    },
}

impl Questions {
    fn all(&self) -> &[Question] {
        match self {
            Questions::Parsed(all) => all,
            Questions::Embedded { json, all, .. } => {
                all.get_or_init(|| json.iter().map(|j| embedded::parse_question(j)).collect())
            }
        }
    }

    fn get(&self, i: usize) -> &Question {
        match self {
            Questions::Parsed(all) => &all[i],
            // Parsed once: from the whole list if that was read already.
            Questions::Embedded { json, one, all } => match all.get() {
                Some(all) => &all[i],
                None => one[i].get_or_init(|| embedded::parse_question(json[i])),
            },
        }
    }
}

impl Bank {
    fn new(
        questions: Vec<Question>,
        rubrics: BTreeMap<String, RubricSlot>,
        lexicon: Option<Arc<Lexicon>>,
    ) -> Self {
        let by_id = questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), i))
            .collect();
        Self::with(Questions::Parsed(questions), by_id, rubrics, lexicon)
    }

    /// The embedded bank from `build.rs`'s (id, JSON) questions.
    fn embedded_lazy(
        questions: Vec<(&'static str, &'static str)>,
        rubrics: BTreeMap<String, RubricSlot>,
    ) -> Self {
        let by_id = questions
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (id.to_string(), i))
            .collect();
        let questions = Questions::Embedded {
            one: questions.iter().map(|_| OnceLock::new()).collect(),
            json: questions.into_iter().map(|(_, j)| j).collect(),
            all: OnceLock::new(),
        };
        Self::with(questions, by_id, rubrics, None)
    }

    fn with(
        questions: Questions,
        by_id: HashMap<String, usize>,
        rubrics: BTreeMap<String, RubricSlot>,
        lexicon: Option<Arc<Lexicon>>,
    ) -> Self {
        Bank {
            questions,
            by_id,
            rubrics,
            broken: BTreeMap::new(),
            lexicon: lexicon.map(OnceLock::from).unwrap_or_default(),
            origin: BankOrigin::Embedded,
        }
    }

    /// The bank compiled into the binary.
    pub fn embedded() -> Result<Bank, BankError> {
        Self::open(None, false)
    }

    /// A bank laid out as `DIR/questions/*.toml` and `DIR/rubrics/*.toml`.
    pub fn from_dir(dir: &Path) -> Result<Bank, BankError> {
        Self::from_files(
            BankOrigin::Dir(dir.to_path_buf()),
            read_dir_files(dir)?,
            false,
        )
    }

    /// Loads the embedded bank or a directory; `strict` also requires every
    /// question to have a rubric and every rubric to be valid (what `rubric
    /// lint` checks). Otherwise a broken rubric is left out and listed in
    /// [`Bank::broken`], so the other questions can still be graded.
    ///
    /// The embedded bank, unless `strict`, is read lazily: its questions now,
    /// each rubric when first asked for (see `embedded.rs`).
    pub fn open(dir: Option<&Path>, strict: bool) -> Result<Bank, BankError> {
        match dir {
            Some(d) => Self::build(
                BankOrigin::Dir(d.to_path_buf()),
                read_dir_files(d)?,
                strict,
                true,
                !strict,
            ),
            None if strict => {
                Self::build(BankOrigin::Embedded, embedded::files(), true, true, false)
            }
            // The tests lint the embedded files (links included), so the
            // pre-parsed questions need no checks.
            None => match embedded::questions() {
                Some(questions) => Ok(Bank::embedded_lazy(
                    questions,
                    embedded::rubric_slots().collect(),
                )),
                None => load::load_lazy(
                    &embedded::question_files(),
                    embedded::rubric_slots().collect(),
                )
                .map_err(|problems| BankError::Invalid {
                    origin: BankOrigin::Embedded,
                    problems,
                }),
            },
        }
    }

    fn build(
        origin: BankOrigin,
        files: Vec<BankFile>,
        strict: bool,
        deep: bool,
        lenient_rubrics: bool,
    ) -> Result<Bank, BankError> {
        match load::load(&files, strict, deep, lenient_rubrics) {
            Ok(mut bank) => {
                bank.origin = origin;
                Ok(bank)
            }
            Err(problems) => Err(BankError::Invalid { origin, problems }),
        }
    }

    /// Builds and validates a bank from in-memory files.
    pub fn from_files(
        origin: BankOrigin,
        files: Vec<BankFile>,
        strict: bool,
    ) -> Result<Bank, BankError> {
        Self::build(origin, files, strict, true, false)
    }

    /// The problems of the rubric for `id` when it was left out as broken.
    pub fn broken_rubric(&self, id: &str) -> Option<&[Diagnostic]> {
        match self.broken.get(id) {
            Some(problems) => Some(problems),
            None => self.rubric_slot(id)?.as_ref().err().map(Vec::as_slice),
        }
    }

    /// The rubric for `id` or its problems, parsing it on first use.
    fn rubric_slot(&self, id: &str) -> Option<&Result<Rubric, Vec<Diagnostic>>> {
        let slot = self.rubrics.get(id)?;
        Some(slot.get(|file| {
            load::rubric(
                file,
                self.question(id).map(|q| q.text.as_str()),
                self.lexicon_arc(),
            )
        }))
    }

    pub fn questions(&self) -> &[Question] {
        self.questions.all()
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.by_id.get(id).map(|&i| self.questions.get(i))
    }

    pub fn rubric(&self, id: &str) -> Option<&Rubric> {
        self.rubric_slot(id)?.as_ref().ok()
    }

    /// Whether the bank has a rubric file for `id`, without parsing it. For
    /// a bank read from files this is [`Bank::rubric`]`.is_some()`; for the
    /// embedded one, whose files the tests lint, too.
    pub fn has_rubric(&self, id: &str) -> bool {
        self.rubrics.contains_key(id)
    }

    pub fn lexicon(&self) -> &Lexicon {
        self.lexicon.get_or_init(embedded::lexicon)
    }

    fn lexicon_arc(&self) -> Arc<Lexicon> {
        self.lexicon.get_or_init(embedded::lexicon).clone()
    }

    /// Every usable rubric, by question id (parsing any not parsed yet).
    pub fn rubrics(&self) -> impl Iterator<Item = &Rubric> {
        self.rubrics.keys().filter_map(|id| self.rubric(id))
    }

    /// Topics in the order their questions appear.
    pub fn topics(&self) -> Vec<&str> {
        let mut topics: Vec<&str> = Vec::new();
        for q in self.questions() {
            if !topics.contains(&q.topic.as_str()) {
                topics.push(&q.topic);
            }
        }
        topics
    }

    /// The bank's spelling of a topic typed in any case (`Concurrency`).
    pub fn find_topic(&self, wanted: &str) -> Option<&str> {
        let wanted = wanted.trim();
        self.topics()
            .into_iter()
            .find(|t| t.eq_ignore_ascii_case(wanted))
    }

    /// Ids closest to a mistyped one, best first, for "did you mean" hints.
    pub fn closest_ids(&self, wanted: &str, max: usize) -> Vec<&str> {
        let wanted = wanted.to_lowercase();
        // By the ids alone: the embedded questions need not be parsed.
        let mut scored: Vec<(f64, &str)> = self
            .by_id
            .keys()
            .map(|id| {
                let mut s = strsim::jaro_winkler(&wanted, id);
                if id.contains(&wanted) || wanted.split('-').all(|w| id.contains(w)) {
                    s += 0.5;
                }
                (s, id.as_str())
            })
            .filter(|(s, _)| *s >= 0.7)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        scored.into_iter().take(max).map(|(_, id)| id).collect()
    }
}

fn read_dir_files(root: &Path) -> Result<Vec<BankFile>, BankError> {
    let io = |path: &Path, source| BankError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for sub in ["questions", "rubrics"] {
        let dir = root.join(sub);
        let entries = std::fs::read_dir(&dir).map_err(|e| io(&dir, e))?;
        for entry in entries {
            let path = entry.map_err(|e| io(&dir, e))?.path();
            if path.extension().is_some_and(|e| e == "toml") {
                let bytes = std::fs::read(&path).map_err(|e| io(&path, e))?;
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                files.push(BankFile {
                    path: format!("{sub}/{name}"),
                    text: String::from_utf8_lossy(&bytes).into_owned(),
                });
            }
        }
    }
    let lexicon = root.join(LEXICON_FILE);
    if lexicon.is_file() {
        let bytes = std::fs::read(&lexicon).map_err(|e| io(&lexicon, e))?;
        files.push(BankFile {
            path: LEXICON_FILE.into(),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        });
    }
    Ok(files)
}
