//! `viva rubric lint` and `viva rubric test`: the author's tools for keeping a
//! bank correct as it grows.

use std::fmt::Write;

use serde::Serialize;

use super::Context;
use crate::bank::{Bank, BankError, BankOrigin, Rubric};
use crate::cli::{ListFormat, RubricCommand, RubricLintArgs, RubricTestArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::grade::keyword::KeywordGrader;
use crate::grade::selfcheck::{self, GAMING_MAX};
use crate::report::num;
use crate::text;

pub fn run(ctx: &mut Context, cmd: &RubricCommand) -> Result<ExitStatus> {
    match cmd {
        RubricCommand::Lint(args) => lint(ctx, args),
        RubricCommand::Test(args) => test(ctx, args),
        RubricCommand::Draft(args) => super::draft::run(ctx, args),
        RubricCommand::Fires(args) => super::rubric_fires::run(ctx, args),
    }
}

/// Quality rules a rubric should meet but that do not stop grading, each
/// with its code.
pub fn warnings(rubric: &Rubric) -> Vec<(&'static str, String)> {
    let mut w = Vec::new();
    for label in ["strong", "partial", "weak"] {
        if !rubric.examples.iter().any(|e| e.label == label) {
            w.push(("missing-example", format!("no `{label}` example answer")));
        }
    }
    if !(3..=7).contains(&rubric.points.len()) {
        w.push((
            "point-count",
            format!(
                "{} key points; a rubric should have 3 to 7",
                rubric.points.len()
            ),
        ));
    }
    let derived: Vec<&str> = rubric
        .points
        .iter()
        .filter(|p| p.derived)
        .map(|p| p.id.as_str())
        .collect();
    if !derived.is_empty() {
        w.push((
            "derived-rules",
            format!(
                "point(s) {} have no `groups` or `regex`: they are matched by the words of their text",
                derived.join(", ")
            ),
        ));
    }
    if !rubric.sides.is_empty()
        && crate::grade::keyword::CompiledRubric::new(rubric)
            .point_sides()
            .iter()
            .all(Option::is_none)
    {
        w.push((
            "idle-sides",
            "`sides` is set, but no point's text opens by naming exactly one side, so no point is about a side".to_string(),
        ));
    }
    for m in &rubric.misconceptions {
        if m.not_examples.is_empty() {
            w.push((
                "no-not-examples",
                format!(
                    "misconception `{}` has no not_examples (true statements close to it that must not set it off)",
                    m.id
                ),
            ));
        }
    }
    // Every phrase should be able to match. A phrase must also not shrink to
    // one word where that word alone decides: in the rules that cost a
    // candidate credit, and in a point whose one group (or whose half-credit
    // threshold of one group) lets the phrase earn credit by itself.
    let mut phrases: Vec<(&str, bool)> = Vec::new();
    for p in &rubric.points {
        let alone = p.rules.groups.len() == 1 || p.rules.half == Some(1);
        phrases.extend(p.rules.groups.iter().flatten().map(|s| (s.as_str(), alone)));
        let denials = p.contradicts.iter().flat_map(|r| r.groups.iter().flatten());
        phrases.extend(denials.map(|s| (s.as_str(), true)));
        // A qualifier of one word excuses every sentence with that word.
        let qualifiers = p.contradicts.iter().flat_map(|r| &r.unless);
        phrases.extend(qualifiers.map(|s| (s.as_str(), true)));
    }
    for m in &rubric.misconceptions {
        phrases.extend(m.rules.groups.iter().flatten().map(|s| (s.as_str(), true)));
        phrases.extend(m.rules.unless.iter().map(|s| (s.as_str(), true)));
    }
    phrases.sort_unstable();
    phrases.dedup();
    for (phrase, decisive) in phrases {
        w.extend(
            text::phrase_warnings(phrase)
                .into_iter()
                .filter(|w| decisive || !w.contains("shrinks"))
                .map(|w| ("phrase", w)),
        );
    }
    w
}

/// What to do about a warning or error of each code.
fn hint(code: &str) -> Option<&'static str> {
    match code {
        "missing-example" => Some("add an [[example]] with that label and its score range"),
        "derived-rules" => Some(
            "fine for a drafted rubric; add `groups` of phrases to match answers that use other words",
        ),
        "point-count" => Some("split a broad key point, or merge points that say the same"),
        "idle-sides" => Some(
            "start a point's text with the side it is about (\"CPU-bound work spends ...\"), or remove `sides`",
        ),
        "no-not-examples" => {
            Some("list true statements close to the misconception in its not_examples")
        }
        "self-contradiction" => Some(
            "narrow the rule to the false claim itself, with its subject, so the rubric's own true statements do not match it",
        ),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Severity {
    Error,
    Warning,
}

/// One problem `rubric lint` found, with the file as the user typed the
/// bank path.
#[derive(Debug, Serialize)]
struct Finding {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    severity: Severity,
    code: &'static str,
    message: String,
    hint: Option<&'static str>,
}

impl Finding {
    fn new(file: String, severity: Severity, code: &'static str, message: String) -> Self {
        Finding {
            file,
            line: None,
            column: None,
            severity,
            code,
            message,
            hint: hint(code),
        }
    }
}

/// The JSON form of `rubric lint` (`viva.rubric-lint/v1`).
#[derive(Debug, Serialize)]
struct LintDocument {
    schema: &'static str,
    /// The `--bank` folder as given; null for the embedded bank.
    bank_dir: Option<String>,
    strict: bool,
    /// Null when the bank did not load.
    questions: Option<usize>,
    topics: Option<usize>,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<Finding>,
}

/// The schema name of `rubric lint --format json`.
pub const LINT_SCHEMA: &str = "viva.rubric-lint/v1";
/// The schema name of `rubric test --format json`.
pub const TEST_SCHEMA: &str = "viva.rubric-test/v1";

fn lint(ctx: &mut Context, args: &RubricLintArgs) -> Result<ExitStatus> {
    let (origin, counts, findings, text) =
        match Bank::open(ctx.global.bank.as_deref(), true).map_err(Error::from) {
            Ok(bank) => {
                let mut o = String::new();
                let mut findings = Vec::new();
                let grader = KeywordGrader::new("rubric lint");
                for r in bank.rubrics() {
                    let file = bank.origin.display_path(&r.file);
                    for a in selfcheck::self_contradictions(&grader, r) {
                        let message = format!(
                            "{} fires on {}, a true statement of the rubric itself: {:?}",
                            a.rule, a.source, a.evidence
                        );
                        let _ = writeln!(o, "{file}: {message}");
                        findings.push(Finding::new(
                            file.clone(),
                            Severity::Error,
                            "self-contradiction",
                            message,
                        ));
                    }
                    for (code, w) in warnings(r) {
                        let _ = writeln!(o, "{file}: warning: {w}");
                        findings.push(Finding::new(file.clone(), Severity::Warning, code, w));
                    }
                }
                let (errors, n) = count(&findings);
                let _ = writeln!(
                    o,
                    "{}: {} questions, {} topics, {errors} errors, {n} warnings",
                    bank.origin,
                    bank.questions().len(),
                    bank.topics().len()
                );
                let counts = Some((bank.questions().len(), bank.topics().len()));
                (bank.origin, counts, findings, o)
            }
            Err(Error::Bank(BankError::Invalid { origin, problems })) => {
                let mut o = String::new();
                let mut findings = Vec::new();
                for p in &problems {
                    let _ = writeln!(o, "{}", origin.locate(p));
                    let mut f = Finding::new(
                        origin.display_path(&p.file),
                        Severity::Error,
                        "invalid",
                        p.message.clone(),
                    );
                    f.line = (p.line > 0).then_some(p.line);
                    f.column = (p.column > 0).then_some(p.column);
                    findings.push(f);
                }
                let _ = writeln!(o, "{origin}: {} errors", problems.len());
                (origin, None, findings, o)
            }
            Err(e) => return Err(e),
        };
    let (errors, n) = count(&findings);
    let status = if errors > 0 {
        ExitStatus::Bank
    } else if args.strict && n > 0 {
        ExitStatus::Failures
    } else {
        ExitStatus::Success
    };
    let out = match args.format {
        ListFormat::Text => text,
        ListFormat::Json => crate::report::document(&LintDocument {
            schema: LINT_SCHEMA,
            bank_dir: match &origin {
                BankOrigin::Dir(d) => Some(d.display().to_string()),
                BankOrigin::Embedded => None,
            },
            strict: args.strict,
            questions: counts.map(|c| c.0),
            topics: counts.map(|c| c.1),
            errors,
            warnings: n,
            diagnostics: findings,
        }),
    };
    ctx.print(&out)?;
    Ok(status)
}

/// Errors and warnings among the findings.
fn count(findings: &[Finding]) -> (usize, usize) {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    (errors, findings.len() - errors)
}

/// One example that graded outside its expected range.
struct Miss {
    line: String,
    detail: String,
}

/// One rubric's checks, for the JSON form.
#[derive(Debug, Serialize)]
struct RubricChecks {
    question: String,
    /// The rubric file, under the `--bank` folder as given.
    file: String,
    examples: Vec<ExampleCheck>,
    not_examples: Vec<NotExampleCheck>,
    gaming: Vec<GamingCheck>,
}

#[derive(Debug, Serialize)]
struct ExampleCheck {
    label: String,
    line: usize,
    expected: Range,
    score: f64,
    passed: bool,
    /// Each key point's score, in rubric order.
    points: Vec<PointScore>,
    /// Misconceptions the example set off.
    misconceptions: Vec<String>,
}

#[derive(Debug, Serialize)]
struct PointScore {
    id: String,
    score: f64,
}

#[derive(Debug, Serialize)]
struct Range {
    min: f64,
    max: f64,
}

#[derive(Debug, Serialize)]
struct NotExampleCheck {
    misconception: String,
    text: String,
    /// False when the statement sets off its misconception.
    passed: bool,
}

#[derive(Debug, Serialize)]
struct GamingCheck {
    kind: &'static str,
    score: f64,
    max: f64,
    passed: bool,
}

/// Bank-wide figures of one kind of gaming answer.
#[derive(Debug, Serialize)]
struct GamingFigures {
    kind: &'static str,
    mean: f64,
    max: f64,
    over: usize,
    of: usize,
    threshold: f64,
}

/// The JSON form of `rubric test` (`viva.rubric-test/v1`).
#[derive(Debug, Serialize)]
struct TestDocument {
    schema: &'static str,
    bank_dir: Option<String>,
    rubrics: Vec<RubricChecks>,
    gaming: Vec<GamingFigures>,
    checks: usize,
    examples: usize,
    not_examples: usize,
    gaming_answers: usize,
    passed: usize,
    failed: usize,
}

fn test(ctx: &mut Context, args: &RubricTestArgs) -> Result<ExitStatus> {
    let bank: Bank = ctx.bank()?;
    let rubrics: Vec<&Rubric> = if args.questions.is_empty() {
        bank.rubrics().collect()
    } else {
        args.questions
            .iter()
            .map(|id| super::lookup(&bank, id).map(|(_, r)| r))
            .collect::<Result<_>>()?
    };
    let grader = KeywordGrader::new("rubric test");
    let mut misses = Vec::new();
    let mut examples = 0;
    let mut o = String::new();
    let mut checks: Vec<RubricChecks> = rubrics
        .iter()
        .map(|r| RubricChecks {
            question: r.question.clone(),
            file: bank.origin.display_path(&r.file),
            examples: Vec::new(),
            not_examples: Vec::new(),
            gaming: Vec::new(),
        })
        .collect();
    for (r, c) in rubrics.iter().zip(&mut checks) {
        let question = bank.question(&r.question).expect("validated bank");
        for e in &r.examples {
            examples += 1;
            let g = grader.grade(question, r, &e.text);
            let got = g.total.fraction;
            let ok = e.score.0 <= got && got <= e.score.1;
            let line = format!(
                "{} {} {} ({}:{}): scored {}, expected {}–{}",
                if ok { "ok  " } else { "FAIL" },
                r.question,
                e.label,
                r.file,
                e.line,
                num(got),
                num(e.score.0),
                num(e.score.1)
            );
            let mut detail = String::from("      points:");
            for p in &g.points {
                let _ = write!(detail, " {}={}", p.id, num(p.score));
            }
            for m in &g.misconceptions {
                let _ = write!(detail, " misconception:{}", m.id);
            }
            c.examples.push(ExampleCheck {
                label: e.label.clone(),
                line: e.line,
                expected: Range {
                    min: e.score.0,
                    max: e.score.1,
                },
                score: got,
                passed: ok,
                points: g
                    .points
                    .iter()
                    .map(|p| PointScore {
                        id: p.id.clone(),
                        score: p.score,
                    })
                    .collect(),
                misconceptions: g.misconceptions.iter().map(|m| m.id.clone()).collect(),
            });
            if !ok {
                misses.push(Miss { line, detail });
            } else if args.verbose {
                let _ = writeln!(o, "{line}\n{detail}");
            }
        }
    }
    // True statements that must not set off their misconception.
    let mut not_examples = 0;
    for (r, c) in rubrics.iter().zip(&mut checks) {
        let question = bank.question(&r.question).expect("validated bank");
        not_examples += r
            .misconceptions
            .iter()
            .map(|m| m.not_examples.len())
            .sum::<usize>();
        let hits = selfcheck::not_example_hits(&grader, question, r);
        for m in &r.misconceptions {
            for text in &m.not_examples {
                let hit = hits
                    .iter()
                    .any(|a| a.misconception == m.id && a.text == *text);
                c.not_examples.push(NotExampleCheck {
                    misconception: m.id.clone(),
                    text: text.clone(),
                    passed: !hit,
                });
            }
        }
        for a in hits {
            misses.push(Miss {
                line: format!(
                    "FAIL {} not_example of `{}` ({}): sets off the misconception",
                    r.question, a.misconception, r.file
                ),
                detail: format!("      {:?}", a.text),
            });
        }
    }
    // Answers built to game the rubric: a bare list of its phrases, the
    // question restated.
    let mut gaming: Vec<(&str, Vec<f64>)> = Vec::new();
    for (r, c) in rubrics.iter().zip(&mut checks) {
        let question = bank.question(&r.question).expect("validated bank");
        for (kind, answer) in selfcheck::gaming_answers(question, r) {
            let got = grader.grade(question, r, &answer).total.fraction;
            match gaming.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, v)) => v.push(got),
                None => gaming.push((kind, vec![got])),
            }
            c.gaming.push(GamingCheck {
                kind,
                score: got,
                max: GAMING_MAX,
                passed: got <= GAMING_MAX,
            });
            if got > GAMING_MAX {
                misses.push(Miss {
                    line: format!(
                        "FAIL {} {kind} ({}): scored {}, expected at most {}",
                        r.question,
                        r.file,
                        num(got),
                        num(GAMING_MAX)
                    ),
                    detail: format!("      {:?}", answer),
                });
            }
        }
    }
    for m in &misses {
        let _ = writeln!(o, "{}\n{}", m.line, m.detail);
    }
    let mut figures = Vec::new();
    for (kind, scores) in &gaming {
        let mean = scores.iter().sum::<f64>() / scores.len().max(1) as f64;
        let max = scores.iter().copied().fold(0.0, f64::max);
        let over = scores.iter().filter(|&&s| s > GAMING_MAX).count();
        let _ = writeln!(
            o,
            "{kind}: mean {}, max {}, {over} of {} over {}",
            num(mean),
            num(max),
            scores.len(),
            num(GAMING_MAX)
        );
        figures.push(GamingFigures {
            kind,
            mean,
            max,
            over,
            of: scores.len(),
            threshold: GAMING_MAX,
        });
    }
    let total = examples + not_examples + gaming.iter().map(|(_, v)| v.len()).sum::<usize>();
    let _ = writeln!(
        o,
        "{total} checks in {} rubrics ({examples} examples, {not_examples} not_examples, {} gaming answers): {} passed, {} failed",
        rubrics.len(),
        total - examples - not_examples,
        total - misses.len(),
        misses.len()
    );
    let out = match args.format {
        ListFormat::Text => o,
        ListFormat::Json => crate::report::document(&TestDocument {
            schema: TEST_SCHEMA,
            bank_dir: match &bank.origin {
                BankOrigin::Dir(d) => Some(d.display().to_string()),
                BankOrigin::Embedded => None,
            },
            rubrics: checks,
            gaming: figures,
            checks: total,
            examples,
            not_examples,
            gaming_answers: total - examples - not_examples,
            passed: total - misses.len(),
            failed: misses.len(),
        }),
    };
    ctx.print(&out)?;
    Ok(if misses.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failures
    })
}
