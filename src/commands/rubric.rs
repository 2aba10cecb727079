//! `viva rubric lint` and `viva rubric test`: the author's tools for keeping a
//! bank correct as it grows.

use std::fmt::Write;

use super::Context;
use crate::bank::{Bank, BankError, Rubric};
use crate::cli::{RubricCommand, RubricTestArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::grade::keyword::KeywordGrader;
use crate::grade::selfcheck::{self, GAMING_MAX};
use crate::report::num;
use crate::text;

pub fn run(ctx: &mut Context, cmd: &RubricCommand) -> Result<ExitStatus> {
    match cmd {
        RubricCommand::Lint(args) => lint(ctx, args.strict),
        RubricCommand::Test(args) => test(ctx, args),
    }
}

/// Quality rules a rubric should meet but that do not stop grading.
pub fn warnings(rubric: &Rubric) -> Vec<String> {
    let mut w = Vec::new();
    for label in ["strong", "partial", "weak"] {
        if !rubric.examples.iter().any(|e| e.label == label) {
            w.push(format!("no `{label}` example answer"));
        }
    }
    if !(3..=7).contains(&rubric.points.len()) {
        w.push(format!(
            "{} key points; a rubric should have 3 to 7",
            rubric.points.len()
        ));
    }
    for m in &rubric.misconceptions {
        if m.not_examples.is_empty() {
            w.push(format!(
                "misconception `{}` has no not_examples (true statements close to it that must not set it off)",
                m.id
            ));
        }
    }
    // Every phrase should be able to match; in the rules that cost a
    // candidate credit, a phrase must also not shrink to one generic word.
    let mut phrases: Vec<(&str, bool)> = Vec::new();
    for p in &rubric.points {
        phrases.extend(p.rules.groups.iter().flatten().map(|s| (s.as_str(), false)));
        let denials = p.contradicts.iter().flat_map(|r| r.groups.iter().flatten());
        phrases.extend(denials.map(|s| (s.as_str(), true)));
    }
    for m in &rubric.misconceptions {
        phrases.extend(m.rules.groups.iter().flatten().map(|s| (s.as_str(), true)));
    }
    phrases.sort_unstable();
    phrases.dedup();
    for (phrase, penalising) in phrases {
        w.extend(
            text::phrase_warnings(phrase)
                .into_iter()
                .filter(|w| penalising || !w.contains("shrinks")),
        );
    }
    w
}

fn lint(ctx: &mut Context, strict: bool) -> Result<ExitStatus> {
    match Bank::open(ctx.global.bank.as_deref(), true).map_err(Error::from) {
        Ok(bank) => {
            let mut o = String::new();
            let (mut n, mut errors) = (0, 0);
            let grader = KeywordGrader::new("rubric lint");
            for r in bank.rubrics() {
                let q = bank.question(&r.question).expect("validated bank");
                for a in selfcheck::self_contradictions(&grader, q, r) {
                    let _ = writeln!(
                        o,
                        "{}: misconception `{}` fires on {}, a true statement of the rubric itself",
                        r.file, a.misconception, a.source
                    );
                    errors += 1;
                }
                for w in warnings(r) {
                    let _ = writeln!(o, "{}: warning: {w}", bank.origin.display_path(&r.file));
                    n += 1;
                }
            }
            let _ = writeln!(
                o,
                "{}: {} questions, {} topics, {errors} errors, {n} warnings",
                bank.origin,
                bank.questions().len(),
                bank.topics().len()
            );
            ctx.print(&o)?;
            Ok(if errors > 0 {
                ExitStatus::Bank
            } else if strict && n > 0 {
                ExitStatus::Failures
            } else {
                ExitStatus::Success
            })
        }
        Err(Error::Bank(BankError::Invalid { origin, problems })) => {
            let mut o = String::new();
            for p in &problems {
                let _ = writeln!(o, "{}", origin.locate(p));
            }
            let _ = writeln!(o, "{origin}: {} errors", problems.len());
            ctx.print(&o)?;
            Ok(ExitStatus::Bank)
        }
        Err(e) => Err(e),
    }
}

/// One example that graded outside its expected range.
struct Miss {
    line: String,
    detail: String,
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
    for r in &rubrics {
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
            if !ok {
                misses.push(Miss { line, detail });
            } else if args.verbose {
                let _ = writeln!(o, "{line}\n{detail}");
            }
        }
    }
    // True statements that must not set off their misconception.
    let mut not_examples = 0;
    for r in &rubrics {
        let question = bank.question(&r.question).expect("validated bank");
        not_examples += r
            .misconceptions
            .iter()
            .map(|m| m.not_examples.len())
            .sum::<usize>();
        for a in selfcheck::not_example_hits(&grader, question, r) {
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
    for r in &rubrics {
        let question = bank.question(&r.question).expect("validated bank");
        for (kind, answer) in selfcheck::gaming_answers(question, r) {
            let got = grader.grade(question, r, &answer).total.fraction;
            match gaming.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, v)) => v.push(got),
                None => gaming.push((kind, vec![got])),
            }
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
    }
    let checks = examples + not_examples + gaming.iter().map(|(_, v)| v.len()).sum::<usize>();
    let _ = writeln!(
        o,
        "{checks} checks in {} rubrics ({examples} examples, {not_examples} not_examples, {} gaming answers): {} passed, {} failed",
        rubrics.len(),
        checks - examples - not_examples,
        checks - misses.len(),
        misses.len()
    );
    ctx.print(&o)?;
    Ok(if misses.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failures
    })
}
