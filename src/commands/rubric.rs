//! `viva rubric lint` and `viva rubric test`: the author's tools for keeping a
//! bank correct as it grows.

use std::fmt::Write;

use super::Context;
use crate::bank::{Bank, BankError, Rubric};
use crate::cli::{RubricCommand, RubricTestArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::grade::Grader;
use crate::grade::keyword::KeywordGrader;
use crate::report::num;

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
    w
}

fn lint(ctx: &mut Context, strict: bool) -> Result<ExitStatus> {
    match Bank::open(ctx.global.bank.as_deref(), true).map_err(Error::from) {
        Ok(bank) => {
            let mut o = String::new();
            let mut n = 0;
            for r in bank.rubrics() {
                for w in warnings(r) {
                    let _ = writeln!(o, "{}: warning: {w}", bank.origin.display_path(&r.file));
                    n += 1;
                }
            }
            let _ = writeln!(
                o,
                "{}: {} questions, {} topics, 0 errors, {n} warnings",
                bank.origin,
                bank.questions().len(),
                bank.topics().len()
            );
            ctx.print(&o)?;
            Ok(if strict && n > 0 {
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
    for m in &misses {
        let _ = writeln!(o, "{}\n{}", m.line, m.detail);
    }
    let _ = writeln!(
        o,
        "{} examples in {} rubrics: {} passed, {} failed",
        examples,
        rubrics.len(),
        examples - misses.len(),
        misses.len()
    );
    ctx.print(&o)?;
    Ok(if misses.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failures
    })
}
