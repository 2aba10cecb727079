//! Parsing and validating bank files.
//!
//! Loading never stops at the first problem: every file is parsed and checked
//! and all problems are returned together, each with file and line, so one
//! `viva rubric lint` run shows an author everything to fix.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::derive;
use super::diagnostic::{Diagnostic, FileDiagnostics, LineIndex};
use super::embedded::RubricSlot;
use super::lexicon::{LEXICON_FILE, Lexicon};
use super::model::{
    Example, KeyPoint, Level, MatchRules, Misconception, Question, Rubric, Scope, Source,
    compile_regex,
};
use super::{Bank, BankFile};
use crate::text;

#[derive(Deserialize)]
struct RawQuestionFile {
    topic: Spanned<String>,
    #[serde(default)]
    question: Vec<RawQuestion>,
}

#[derive(Deserialize)]
struct RawQuestion {
    id: Spanned<String>,
    level: Level,
    text: Spanned<String>,
    #[serde(default)]
    sources: Vec<Source>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    follow_ups: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
struct RawRubric {
    question: Spanned<String>,
    #[serde(default)]
    point: Vec<RawPoint>,
    #[serde(default)]
    misconception: Vec<RawMisconception>,
    #[serde(default)]
    example: Vec<RawExample>,
    #[serde(default)]
    full_marks: Option<Spanned<f64>>,
    #[serde(default)]
    sides: Option<Spanned<Vec<Vec<String>>>>,
}

type RawGroups = Option<Spanned<Vec<Vec<String>>>>;

#[derive(Deserialize)]
struct RawPoint {
    id: Spanned<String>,
    weight: Spanned<f64>,
    text: Spanned<String>,
    #[serde(default)]
    feedback: Option<String>,
    #[serde(default)]
    half: Option<Spanned<usize>>,
    #[serde(default)]
    need: Option<Spanned<usize>>,
    #[serde(default)]
    negative: bool,
    #[serde(default)]
    groups: RawGroups,
    #[serde(default)]
    regex: Vec<Spanned<String>>,
    #[serde(default)]
    contradicts: Option<Spanned<Vec<RawContradiction>>>,
    #[serde(default)]
    scope: Option<Scope>,
    #[serde(default)]
    leads_to: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct RawMisconception {
    id: Spanned<String>,
    penalty: Spanned<f64>,
    text: Spanned<String>,
    correction: String,
    #[serde(default)]
    groups: RawGroups,
    #[serde(default)]
    regex: Vec<Spanned<String>>,
    #[serde(default)]
    not_examples: Vec<Spanned<String>>,
    #[serde(default)]
    unless: Vec<String>,
}

/// One contradiction of a point: its groups alone, or a table with the
/// qualifiers under which its words are true (`MatchRules::unless`).
#[derive(Deserialize)]
#[serde(untagged)]
enum RawContradiction {
    Groups(Vec<Vec<String>>),
    Qualified {
        groups: Vec<Vec<String>>,
        #[serde(default)]
        unless: Vec<String>,
    },
}

#[derive(Deserialize)]
struct RawExample {
    label: Spanned<String>,
    score: Spanned<Vec<f64>>,
    text: Spanned<String>,
}

/// Parses and validates a whole bank. Returns every problem found.
///
/// With `require_rubrics` false, questions without a rubric yet are allowed
/// (an author writes the question first); `rubric lint` always requires them.
/// `deep` also reports unknown fields, checks every phrase and compiles every
/// regex: skipped only for the embedded bank outside `rubric lint` (which
/// [`load_lazy`] reads instead of this), since CI lints it on every change.
///
/// With `lenient_rubrics`, a rubric file with problems is left out (its
/// problems kept in [`Bank::broken`]) instead of failing the whole bank, so
/// one broken rubric does not stop every other question from being graded.
/// Problems in question files are always fatal.
pub fn load(
    files: &[BankFile],
    require_rubrics: bool,
    deep: bool,
    lenient_rubrics: bool,
) -> Result<Bank, Vec<Diagnostic>> {
    let mut broken: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    let mut diags = Vec::new();
    let mut questions: Vec<Question> = Vec::new();
    let mut question_lines: HashMap<String, (String, usize)> = HashMap::new();
    let mut rubrics: BTreeMap<String, RubricSlot> = BTreeMap::new();
    let lexicon = match files.iter().find(|f| f.path == LEXICON_FILE) {
        Some(file) => Lexicon::parse(file).unwrap_or_else(|problems| {
            diags.extend(problems);
            Lexicon::default()
        }),
        None => Lexicon::built_in(),
    };
    let lexicon = Arc::new(lexicon);

    let mut sorted: Vec<&BankFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut links = Vec::new();
    load_questions(
        &sorted,
        deep,
        &mut questions,
        &mut question_lines,
        &mut links,
        &mut diags,
    );
    let mut rubric_files = HashSet::new();
    for file in &sorted {
        if let Some(stem) = toml_stem(&file.path, "rubrics/") {
            rubric_files.insert(stem.to_string());
            let before = diags.len();
            let asked = questions
                .iter()
                .find(|q| q.id == stem)
                .map(|q| q.text.as_str());
            let rubric = load_rubric_file(file, stem, asked, deep, &mut links, &mut diags);
            if let Some(rubric) = &rubric
                && !question_lines.contains_key(&rubric.question)
            {
                diags.push(unknown_question(file, rubric));
            }
            if lenient_rubrics && diags.len() > before {
                broken.insert(stem.to_string(), diags.split_off(before));
                continue;
            }
            if let Some(mut rubric) = rubric {
                rubric.lexicon = lexicon.clone();
                rubrics.insert(rubric.question.clone(), RubricSlot::ready(rubric));
            }
        }
    }
    for q in questions.iter().filter(|_| require_rubrics) {
        if !rubric_files.contains(&q.id) {
            let (file, line) = &question_lines[&q.id];
            diags.push(Diagnostic {
                file: file.clone(),
                line: *line,
                column: 0,
                message: format!(
                    "question `{}` has no rubric (expected rubrics/{}.toml)",
                    q.id, q.id
                ),
            });
        }
    }
    check_links(&questions, &links, &mut diags);
    no_questions(&questions, &mut diags);
    if diags.is_empty() {
        let mut bank = Bank::new(questions, rubrics, Some(lexicon));
        for problems in broken.values_mut() {
            problems.sort();
            problems.dedup();
        }
        bank.broken = broken;
        Ok(bank)
    } else {
        diags.sort();
        diags.dedup();
        Err(diags)
    }
}

/// Reads the question files of the embedded bank, whose rubrics are parsed
/// on first use by [`rubric`]. Only what an ordinary load checks is checked
/// (see `super::embedded`): the tests lint these files strictly.
pub fn load_lazy(
    question_files: &[BankFile],
    rubrics: BTreeMap<String, RubricSlot>,
) -> Result<Bank, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut questions = Vec::new();
    let mut sorted: Vec<&BankFile> = question_files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut links = Vec::new();
    load_questions(
        &sorted,
        false,
        &mut questions,
        &mut HashMap::new(),
        &mut links,
        &mut diags,
    );
    check_links(&questions, &links, &mut diags);
    no_questions(&questions, &mut diags);
    if diags.is_empty() {
        Ok(Bank::new(questions, rubrics, None))
    } else {
        diags.sort();
        diags.dedup();
        Err(diags)
    }
}

/// Parses one rubric file of a bank whose questions are loaded, with the
/// checks of an ordinary (not `deep`) load: what [`load`] would have put in
/// [`Bank::broken`] for it is the error.
pub fn rubric(
    file: &BankFile,
    question: Option<&str>,
    lexicon: Arc<Lexicon>,
) -> Result<Rubric, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let stem = toml_stem(&file.path, "rubrics/").unwrap_or_default();
    // Links were checked with the whole bank (by `rubric lint`).
    let rubric = load_rubric_file(file, stem, question, false, &mut Vec::new(), &mut diags);
    if let Some(rubric) = &rubric
        && question.is_none()
    {
        diags.push(unknown_question(file, rubric));
    }
    match rubric {
        Some(mut rubric) if diags.is_empty() => {
            rubric.lexicon = lexicon;
            Ok(rubric)
        }
        _ => {
            diags.sort();
            diags.dedup();
            Err(diags)
        }
    }
}

fn load_questions(
    sorted: &[&BankFile],
    deep: bool,
    questions: &mut Vec<Question>,
    question_lines: &mut HashMap<String, (String, usize)>,
    links: &mut Vec<Link>,
    diags: &mut Vec<Diagnostic>,
) {
    for file in sorted {
        if let Some(stem) = toml_stem(&file.path, "questions/") {
            load_question_file(file, stem, deep, questions, question_lines, links, diags);
        }
    }
}

fn no_questions(questions: &[Question], diags: &mut Vec<Diagnostic>) {
    if questions.is_empty() && diags.is_empty() {
        diags.push(Diagnostic {
            file: "questions/".into(),
            line: 0,
            column: 0,
            message: "the bank has no questions (expected questions/<topic>.toml files)".into(),
        });
    }
}

/// A rubric whose `question` names no question of the bank.
fn unknown_question(file: &BankFile, rubric: &Rubric) -> Diagnostic {
    Diagnostic {
        file: file.path.clone(),
        line: 1,
        column: 0,
        message: format!(
            "rubric for `{}`, but no question has that id",
            rubric.question
        ),
    }
}

fn toml_stem<'a>(path: &'a str, dir: &str) -> Option<&'a str> {
    path.strip_prefix(dir)?.strip_suffix(".toml")
}

fn parse<T: serde::de::DeserializeOwned>(file: &BankFile, d: &mut FileDiagnostics) -> Option<T> {
    match toml::from_str::<T>(&file.text) {
        Ok(v) => Some(v),
        Err(e) => {
            let message = e.message().trim().to_string();
            match e.span() {
                Some(span) => d.at(span.start, message),
                None => d.whole(message),
            }
            None
        }
    }
}

/// Ids appear on command lines and in file names: keep them simple:
/// lowercase letters and digits, in words joined by `-`, `.` or `_` (a
/// recruiter's own numbering, "1.2", stays as it is).
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.split(['-', '.', '_']).all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn load_question_file(
    file: &BankFile,
    stem: &str,
    deep: bool,
    questions: &mut Vec<Question>,
    seen: &mut HashMap<String, (String, usize)>,
    links: &mut Vec<Link>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut d = FileDiagnostics {
        file: &file.path,
        index: LineIndex::new(&file.text),
        out: diags,
    };
    let Some(raw) = parse::<RawQuestionFile>(file, &mut d) else {
        return;
    };
    if deep {
        super::fields::check_question_file(&file.text, &mut d);
    }
    let topic = raw.topic.get_ref().trim().to_string();
    if topic != stem {
        d.at(
            raw.topic.span().start,
            format!("topic `{topic}` does not match the file name (expected `{stem}`)"),
        );
    }
    for q in raw.question {
        let id = q.id.get_ref().clone();
        let line = d.index.line(q.id.span().start);
        if !valid_id(&id) {
            d.at(
                q.id.span().start,
                format!("question id `{id}` must be lowercase words joined by `-`, `.` or `_`"),
            );
        }
        if let Some((other_file, other_line)) = seen.get(&id) {
            d.at(
                q.id.span().start,
                format!(
                    "duplicate question id `{id}` (first defined at {other_file}:{other_line})"
                ),
            );
            continue;
        }
        if q.text.get_ref().trim().is_empty() {
            d.at(
                q.text.span().start,
                format!("question `{id}` has empty text"),
            );
        }
        seen.insert(id.clone(), (file.path.clone(), line));
        for to in &q.follow_ups {
            links.push(Link {
                from: id.clone(),
                to: to.get_ref().clone(),
                via: format!("follow_ups of `{id}`"),
                file: file.path.clone(),
                line: d.index.line(to.span().start),
            });
        }
        questions.push(Question {
            id,
            text: q.text.into_inner().trim().to_string(),
            topic: topic.clone(),
            level: q.level,
            sources: q.sources,
            tags: q.tags,
            follow_ups: q.follow_ups.into_iter().map(Spanned::into_inner).collect(),
        });
    }
}

/// `question` is the text of the question the rubric grades, when known:
/// points given only as text derive their rules from it (see
/// [`super::derive`]).
fn load_rubric_file(
    file: &BankFile,
    stem: &str,
    question_text: Option<&str>,
    deep: bool,
    links: &mut Vec<Link>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Rubric> {
    let mut d = FileDiagnostics {
        file: &file.path,
        index: LineIndex::new(&file.text),
        out: diags,
    };
    let before = d.out.len();
    let raw = parse::<RawRubric>(file, &mut d)?;
    if deep {
        super::fields::check_rubric_file(&file.text, &mut d);
    }
    let question = raw.question.get_ref().clone();
    if question != stem {
        d.at(
            raw.question.span().start,
            format!("rubric names question `{question}` but the file is rubrics/{stem}.toml"),
        );
    }
    if raw.point.is_empty() {
        d.whole("rubric has no [[point]]");
    }

    let mut ids = HashSet::new();
    let mut points = Vec::new();
    for p in raw.point {
        let id = p.id.get_ref().clone();
        check_item_id(&mut d, &p.id, "point", &mut ids);
        let weight = *p.weight.get_ref();
        if !(weight > 0.0 && weight.is_finite()) {
            d.at(
                p.weight.span().start,
                format!("point `{id}` has weight {weight}; weights must be positive"),
            );
        }
        if p.text.get_ref().trim().is_empty() {
            d.at(
                p.text.span().start,
                format!("point `{id}` has an empty text"),
            );
        }
        // A point with only its text is matched by the text's own words.
        let derived = p.groups.is_none() && p.regex.is_empty();
        let rules = if derived {
            let rules = derive::rules_from_text(p.text.get_ref(), question_text.unwrap_or(""));
            if rules.groups.is_empty() && !p.text.get_ref().trim().is_empty() {
                d.at(
                    p.text.span().start,
                    format!("point `{id}` has no `groups` or `regex`, and its text has no content word to derive them from"),
                );
            }
            rules
        } else {
            check_rules(&mut d, &id, p.id.span().start, p.groups, p.regex, deep)
        };
        if let Some(need) = &p.need {
            let n = rules.groups.len();
            let k = *need.get_ref();
            if k == 0 || k > n {
                d.at(
                    need.span().start,
                    format!("point `{id}` has need = {k}; it must be between 1 and the number of groups ({n})"),
                );
            }
            if p.half.is_some() {
                d.at(
                    need.span().start,
                    format!("point `{id}` has both `need` and `half`; with `need`, fewer groups already earn their share"),
                );
            }
        }
        if let Some(half) = &p.half {
            let n = rules.groups.len();
            let h = *half.get_ref();
            if h == 0 || h >= n {
                d.at(
                    half.span().start,
                    format!("point `{id}` has half = {h}; it must be between 1 and the number of groups minus one ({})", n.saturating_sub(1)),
                );
            }
        }
        let mut contradicts = Vec::new();
        if let Some(spanned) = p.contradicts {
            let at = spanned.span().start;
            for (i, raw) in spanned.into_inner().into_iter().enumerate() {
                let what = format!("{id}` contradiction {}", i + 1);
                let (groups, unless) = match raw {
                    RawContradiction::Groups(groups) => (groups, Vec::new()),
                    RawContradiction::Qualified { groups, unless } => (groups, unless),
                };
                let groups = Some(Spanned::new(at..at, groups));
                let rules = check_rules(&mut d, &what, at, groups, Vec::new(), deep);
                let unless = check_unless(&mut d, &what, at, unless, deep);
                contradicts.push(MatchRules { unless, ..rules });
            }
        }
        if let Some(to) = &p.leads_to {
            links.push(Link {
                from: question.clone(),
                to: to.get_ref().clone(),
                via: format!("leads_to of point `{id}`"),
                file: file.path.clone(),
                line: d.index.line(to.span().start),
            });
        }
        points.push(KeyPoint {
            id,
            weight,
            text: p.text.into_inner().trim().to_string(),
            feedback: p.feedback.map(|f| f.trim().to_string()),
            rules: MatchRules {
                half: p.half.map(|h| h.into_inner()),
                need: p.need.map(|k| k.into_inner()).or(rules.need),
                negative: p.negative || rules.negative,
                ..rules
            },
            contradicts,
            scope: p.scope.unwrap_or_default(),
            derived,
            leads_to: p.leads_to.map(Spanned::into_inner),
        });
    }

    let mut mids = HashSet::new();
    let mut misconceptions = Vec::new();
    for m in raw.misconception {
        let id = m.id.get_ref().clone();
        check_item_id(&mut d, &m.id, "misconception", &mut mids);
        let penalty = *m.penalty.get_ref();
        if !(penalty > 0.0 && penalty <= 1.0) {
            d.at(
                m.penalty.span().start,
                format!("misconception `{id}` has penalty {penalty}; it must be in (0, 1], a fraction of the whole score"),
            );
        }
        if m.text.get_ref().trim().is_empty() {
            d.at(
                m.text.span().start,
                format!("misconception `{id}` has an empty text"),
            );
        }
        let rules = check_rules(&mut d, &id, m.id.span().start, m.groups, m.regex, deep);
        let unless = check_unless(&mut d, &id, m.id.span().start, m.unless, deep);
        let rules = MatchRules { unless, ..rules };
        let mut not_examples = Vec::new();
        for n in m.not_examples {
            if n.get_ref().trim().is_empty() {
                d.at(
                    n.span().start,
                    format!("misconception `{id}` has an empty not_example"),
                );
            }
            not_examples.push(n.into_inner().trim().to_string());
        }
        misconceptions.push(Misconception {
            id,
            penalty,
            text: m.text.into_inner().trim().to_string(),
            correction: m.correction.trim().to_string(),
            rules,
            not_examples,
        });
    }

    let mut examples = Vec::new();
    for e in raw.example {
        let line = d.index.line(e.label.span().start);
        let score = e.score.get_ref();
        let range = match score.as_slice() {
            [lo, hi] if 0.0 <= *lo && lo <= hi && *hi <= 1.0 => (*lo, *hi),
            _ => {
                d.at(
                    e.score.span().start,
                    format!("example score must be [low, high] with 0 <= low <= high <= 1, got {score:?}"),
                );
                (0.0, 1.0)
            }
        };
        if e.text.get_ref().trim().is_empty() {
            d.at(e.text.span().start, "example has an empty text");
        }
        examples.push(Example {
            label: e.label.into_inner(),
            score: range,
            text: e.text.into_inner(),
            line,
        });
    }

    let full_marks = raw.full_marks.map(|f| {
        let total: f64 = points.iter().map(|p| p.weight).sum();
        let v = *f.get_ref();
        if !(v > 0.0 && v <= total) {
            d.at(
                f.span().start,
                format!("full_marks = {v}; it must be positive and at most the sum of the point weights ({total})"),
            );
        }
        v
    });
    let sides = raw.sides.map_or_else(Vec::new, |s| {
        let at = s.span().start;
        let sides = s.into_inner();
        if let Some(problem) = sides_problem(&sides) {
            d.at(at, format!("sides: {problem}"));
        }
        sides
    });
    if d.out.len() > before {
        return None;
    }
    Some(Rubric {
        question,
        points,
        misconceptions,
        examples,
        full_marks,
        sides,
        file: file.path.clone(),
        lexicon: Default::default(),
    })
}

/// What is wrong with a rubric's `sides`, if anything: two or more sides,
/// each named by at least one phrase, no phrase naming two.
fn sides_problem(sides: &[Vec<String>]) -> Option<String> {
    if sides.len() < 2 {
        return Some(format!(
            "{} side(s); a comparison has two or more, e.g. sides = [[\"list\", \"lists\"], [\"tuple\", \"tuples\"]]",
            sides.len()
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, side) in sides.iter().enumerate() {
        if side.is_empty() || side.iter().any(|p| p.trim().is_empty()) {
            return Some(format!("side {} has an empty phrase or none", i + 1));
        }
        for p in side {
            if !seen.insert(p.trim().to_lowercase()) {
                return Some(format!("\"{p}\" names more than one side"));
            }
        }
    }
    None
}

fn check_item_id(
    d: &mut FileDiagnostics,
    id: &Spanned<String>,
    what: &str,
    seen: &mut HashSet<String>,
) {
    let name = id.get_ref();
    if !valid_id(name) {
        d.at(
            id.span().start,
            format!("{what} id `{name}` must be lowercase words joined by `-`, `.` or `_`"),
        );
    }
    if !seen.insert(name.clone()) {
        d.at(id.span().start, format!("duplicate {what} id `{name}`"));
    }
}

fn check_rules(
    d: &mut FileDiagnostics,
    id: &str,
    at: usize,
    raw_groups: RawGroups,
    raw_regex: Vec<Spanned<String>>,
    deep: bool,
) -> MatchRules {
    let mut groups = Vec::new();
    if let Some(spanned) = raw_groups {
        let start = spanned.span().start;
        for (i, group) in spanned.into_inner().into_iter().enumerate() {
            if group.is_empty() {
                d.at(start, format!("`{id}`: group {} is empty", i + 1));
            }
            for phrase in &group {
                if deep && let Err(why) = text::check_phrase(phrase) {
                    d.at(
                        start,
                        format!("`{id}`: group {} phrase {phrase:?} {why}", i + 1),
                    );
                }
            }
            groups.push(group);
        }
    }
    let mut regex = Vec::new();
    for r in raw_regex {
        if deep && let Err(e) = compile_regex(r.get_ref()) {
            let first = e
                .to_string()
                .lines()
                .last()
                .unwrap_or_default()
                .trim()
                .to_string();
            d.at(
                r.span().start,
                format!("`{id}`: invalid regex {:?}: {first}", r.get_ref()),
            );
        }
        regex.push(r.into_inner());
    }
    if groups.is_empty() && regex.is_empty() {
        d.at(
            at,
            format!("`{id}` has no matching rules: give it `groups` of phrases or a `regex`"),
        );
    }
    MatchRules {
        groups,
        regex,
        ..Default::default()
    }
}

/// The qualifiers of a false statement (`unless`), each checked as a phrase.
fn check_unless(
    d: &mut FileDiagnostics,
    id: &str,
    at: usize,
    unless: Vec<String>,
    deep: bool,
) -> Vec<String> {
    for phrase in &unless {
        if deep && let Err(why) = text::check_phrase(phrase) {
            d.at(at, format!("`{id}`: unless phrase {phrase:?} {why}"));
        }
    }
    unless
}

/// One link from a question to a follow-up, kept with where it was written
/// so that a bad one is reported at its line.
struct Link {
    from: String,
    to: String,
    /// Which field made the link, for messages.
    via: String,
    file: String,
    line: usize,
}

/// Follow-up links must name a question of the bank other than their own,
/// and must not form a cycle: practice and mock interviews follow the links
/// from one answer to the next, so a chain that comes back to its start
/// would ask the same questions round and round instead of going deeper.
fn check_links(questions: &[Question], links: &[Link], diags: &mut Vec<Diagnostic>) {
    let known: HashSet<&str> = questions.iter().map(|q| q.id.as_str()).collect();
    let at = |l: &Link, message: String| Diagnostic {
        file: l.file.clone(),
        line: l.line,
        column: 0,
        message,
    };
    let mut edges: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut first: HashMap<(&str, &str), &Link> = HashMap::new();
    for l in links {
        if !known.contains(l.to.as_str()) {
            diags.push(at(
                l,
                format!("{} names `{}`, but no question has that id", l.via, l.to),
            ));
        } else if l.to == l.from {
            diags.push(at(
                l,
                format!(
                    "{} names `{}` itself; a follow-up must be another question",
                    l.via, l.to
                ),
            ));
        } else if first.insert((&l.from, &l.to), l).is_none() {
            edges.entry(&l.from).or_default().push(&l.to);
        }
    }
    let mut state: HashMap<&str, bool> = HashMap::new(); // false: on the path, true: done
    let mut cycles: BTreeSet<Vec<&str>> = BTreeSet::new();
    let mut path = Vec::new();
    for start in edges.keys() {
        find_cycles(start, &edges, &mut state, &mut path, &mut cycles);
    }
    for cycle in cycles {
        let closing = first[&(cycle[cycle.len() - 1], cycle[0])];
        let chain: Vec<&str> = cycle.iter().copied().chain([cycle[0]]).collect();
        diags.push(at(
            closing,
            format!(
                "follow-up cycle {}: a session following the links would come back to `{}`",
                chain.join(" → "),
                cycle[0]
            ),
        ));
    }
}

/// Depth-first search that records every cycle it closes, rotated to start
/// at its smallest id so that each is reported once.
fn find_cycles<'a>(
    node: &'a str,
    edges: &BTreeMap<&'a str, Vec<&'a str>>,
    state: &mut HashMap<&'a str, bool>,
    path: &mut Vec<&'a str>,
    cycles: &mut BTreeSet<Vec<&'a str>>,
) {
    match state.get(node) {
        Some(true) => return,
        Some(false) => {
            let from = path.iter().position(|n| *n == node).unwrap_or(0);
            let mut cycle = path[from..].to_vec();
            let min = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
            cycle.rotate_left(min);
            cycles.insert(cycle);
            return;
        }
        None => {}
    }
    state.insert(node, false);
    path.push(node);
    for next in edges.get(node).into_iter().flatten() {
        find_cycles(next, edges, state, path, cycles);
    }
    path.pop();
    state.insert(node, true);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bank of questions `a`, `b`, `c` with the given `follow_ups` lines
    /// and `leads_to` on the first point of `c`'s rubric, if any.
    fn bank(follow_ups: [&str; 3], leads_to: Option<&str>) -> Result<Bank, Vec<Diagnostic>> {
        let mut questions = String::from("topic = \"t\"\n");
        let mut files = Vec::new();
        for (id, links) in ["a", "b", "c"].iter().zip(follow_ups) {
            questions.push_str(&format!(
                "\n[[question]]\nid = \"{id}\"\nlevel = \"senior\"\ntext = \"Question {id}?\"\n{links}\n"
            ));
            let lead = match (id, leads_to) {
                (&"c", Some(to)) => format!("leads_to = \"{to}\"\n"),
                _ => String::new(),
            };
            files.push(BankFile {
                path: format!("rubrics/{id}.toml"),
                text: format!(
                    "question = \"{id}\"\n[[point]]\nid = \"p\"\nweight = 1\ntext = \"Threads share memory.\"\ngroups = [[\"thread\"], [\"memory\"]]\n{lead}"
                ),
            });
        }
        files.push(BankFile {
            path: "questions/t.toml".into(),
            text: questions,
        });
        load(&files, true, true, false)
    }

    fn messages(r: Result<Bank, Vec<Diagnostic>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .iter()
            .map(|d| format!("{}:{}: {}", d.file, d.line, d.message))
            .collect()
    }

    /// A one-question bank whose rubric starts with `head`.
    fn rubric_with(head: &str) -> Result<Bank, Vec<Diagnostic>> {
        let files = [
            BankFile {
                path: "questions/t.toml".into(),
                text: "topic = \"t\"\n[[question]]\nid = \"a\"\nlevel = \"senior\"\ntext = \"A or B?\"\n".into(),
            },
            BankFile {
                path: "rubrics/a.toml".into(),
                text: format!(
                    "question = \"a\"\n{head}\n[[point]]\nid = \"p\"\nweight = 1\ntext = \"Threads share memory.\"\ngroups = [[\"thread\"], [\"memory\"]]\n"
                ),
            },
        ];
        load(&files, true, true, false)
    }

    #[test]
    fn sides_load_and_bad_ones_are_refused_with_their_line() {
        let b = rubric_with("sides = [[\"thread\", \"threads\"], [\"process\"]]").unwrap();
        assert_eq!(b.rubric("a").unwrap().sides.len(), 2);
        let one = messages(rubric_with("sides = [[\"thread\"]]"));
        assert_eq!(one.len(), 1);
        assert!(
            one[0].starts_with("rubrics/a.toml:2: sides: 1 side(s)"),
            "{one:?}"
        );
        let shared = messages(rubric_with(
            "sides = [[\"thread\"], [\"Thread\", \"process\"]]",
        ));
        assert!(
            shared[0].contains("\"Thread\" names more than one side"),
            "{shared:?}"
        );
        let empty = messages(rubric_with("sides = [[\"thread\"], []]"));
        assert!(
            empty[0].contains("side 2 has an empty phrase or none"),
            "{empty:?}"
        );
    }

    #[test]
    fn follow_ups_and_leads_to_load_into_the_model() {
        let b = bank(["follow_ups = [\"b\", \"c\"]", "", ""], Some("b")).unwrap();
        assert_eq!(b.question("a").unwrap().follow_ups, ["b", "c"]);
        let lead = &b.rubric("c").unwrap().points[0].leads_to;
        assert_eq!(lead.as_deref(), Some("b"));
    }

    #[test]
    fn unknown_and_self_links_are_errors_at_their_line() {
        let m = messages(bank(["follow_ups = [\"a\", \"zz\"]", "", ""], Some("nope")));
        assert_eq!(
            m,
            [
                "questions/t.toml:7: follow_ups of `a` names `a` itself; a follow-up must be another question",
                "questions/t.toml:7: follow_ups of `a` names `zz`, but no question has that id",
                "rubrics/c.toml:7: leads_to of point `p` names `nope`, but no question has that id",
            ]
        );
    }

    #[test]
    fn a_chain_that_returns_to_its_start_is_an_error() {
        let m = messages(bank(
            ["follow_ups = [\"b\"]", "follow_ups = [\"c\"]", ""],
            Some("a"),
        ));
        assert_eq!(
            m,
            [
                "rubrics/c.toml:7: follow-up cycle a → b → c → a: a session following the links would come back to `a`"
            ]
        );
        // A chain that branches and meets again is not a cycle.
        let ok = bank(
            ["follow_ups = [\"b\", \"c\"]", "follow_ups = [\"c\"]", ""],
            None,
        );
        assert!(ok.is_ok(), "{:?}", messages(ok));
    }
}
