//! Keyword grading of the embedded bank, one thread, no batch machinery:
//! the grader's own cost per answer, for profiling it (`perf record` on this
//! bench shows only grading).
//!
//! `cargo bench --bench grade_bank` grades ANSWERS (default 20,000) answers
//! of about 1 KB, built like `benches/run.sh` builds its input: sentences of
//! the bank's example answers to questions whose rubric has five points,
//! mixed per answer. Rubrics are compiled before the clock starts. Prints the
//! median answers per second of RUNS (default 5) passes, then the same for
//! those answers as typed in an editor, with em dashes and curly quotes,
//! and for the typed answers signed with a name outside ASCII.

use std::time::Instant;

use viva::bank::Bank;
use viva::grade::keyword::KeywordGrader;

/// The allocator the `viva` binary uses, so the figures are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn answers(bank: &Bank, n: usize) -> Vec<(String, String)> {
    let mut pools: Vec<(String, Vec<String>)> = Vec::new();
    for r in bank.rubrics() {
        if r.points.len() != 5 {
            continue;
        }
        let sentences: Vec<String> = r
            .examples
            .iter()
            .filter(|e| e.label != "injection")
            .flat_map(|e| {
                e.text
                    .split_inclusive(['.', '!', '?'])
                    .map(|s| s.trim().to_string())
                    .collect::<Vec<_>>()
            })
            .filter(|s| s.len() > 20)
            .collect();
        if sentences.len() >= 4 {
            pools.push((r.question.clone(), sentences));
        }
    }
    pools.sort();
    let mut rng = fastrand::Rng::with_seed(7);
    (0..n)
        .map(|i| {
            let (id, pool) = &pools[i % pools.len()];
            let mut text = String::new();
            while text.len() < 1000 {
                text.push_str(&pool[rng.usize(..pool.len())]);
                text.push(' ');
            }
            text.push_str(&format!("(answer {i})"));
            (id.clone(), text)
        })
        .collect()
}

fn main() {
    let n: usize = std::env::var("ANSWERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let bank = Bank::embedded().expect("the embedded bank loads");
    let grader = KeywordGrader::new("bench");
    let plain = answers(&bank, n);
    let rate = median_rate(&bank, &grader, &plain, runs);
    println!(
        "keyword grading, embedded bank, one thread: {rate:.0} answers/s (median of {runs} passes of {n})"
    );
    let typed: Vec<_> = plain.into_iter().map(|(id, t)| (id, typed(&t))).collect();
    let rate = median_rate(&bank, &grader, &typed, runs);
    println!(
        "the same answers as typed in an editor (em dashes, curly quotes): {rate:.0} answers/s"
    );
    let signed: Vec<_> = typed
        .into_iter()
        .map(|(id, t)| (id, format!("{t} \u{2014} Zo\u{eb} \u{c5}ngstr\u{f6}m")))
        .collect();
    let rate = median_rate(&bank, &grader, &signed, runs);
    println!("the typed answers signed with a name outside ASCII: {rate:.0} answers/s");
}

/// An answer as a word processor or a phone keyboard types it: a dash for
/// the first comma of each sentence, and curly quotes and apostrophes.
/// Most typed answers have such characters outside ASCII, which the plain
/// mix (sentences of the bank's examples) mostly lacks.
fn typed(text: &str) -> String {
    text.split_inclusive(". ")
        .map(|s| s.replacen(", ", " \u{2014} ", 1))
        .collect::<String>()
        .replace('\'', "\u{2019}")
        .replace('"', "\u{201c}")
}

/// Median answers per second of `runs` passes over `work`, after grading
/// 500 answers to compile the rubrics they need.
fn median_rate(bank: &Bank, grader: &KeywordGrader, work: &[(String, String)], runs: usize) -> f64 {
    let items: Vec<_> = work
        .iter()
        .map(|(id, text)| (bank.question(id).unwrap(), bank.rubric(id).unwrap(), text))
        .collect();
    for (q, r, t) in items.iter().take(500) {
        std::hint::black_box(grader.grade(q, r, t));
    }
    let mut rates = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        for (q, r, t) in &items {
            std::hint::black_box(grader.grade(q, r, t));
        }
        rates.push(work.len() as f64 / start.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    rates[runs / 2]
}
