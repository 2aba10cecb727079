//! Keyword grader throughput: ~1 KB answers against a 5-point rubric, one thread.
//!
//! `cargo bench --bench keyword_grader`; criterion reports the median time per
//! answer, whose inverse is answers per second.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use viva::bank::{Bank, BankFile, BankOrigin};
use viva::grade::keyword::{CompiledRubric, KeywordGrader};

/// The allocator the `viva` binary uses, so the figures are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const QUESTIONS: &str = r#"
topic = "bench"
[[question]]
id = "gil"
level = "senior"
text = "What is the GIL?"
"#;

const RUBRIC: &str = r#"
question = "gil"
[[point]]
id = "one-thread"
weight = 2
text = "One thread runs bytecode at a time."
groups = [["mutex", "lock", "gil"], ["one thread", "single thread", "one at a time"]]
[[point]]
id = "refcounts"
weight = 3
text = "Protects reference counts."
groups = [["protect", "guard", "safe"], ["reference count", "refcount", "interpreter state", "memory management"]]
[[point]]
id = "io"
weight = 2
text = "Released on blocking I/O."
groups = [["release", "drop", "give up"], ["i/o", "blocking", "network", "socket", "sleep"]]
[[point]]
id = "cpu"
weight = 2
text = "CPU-bound work needs processes."
groups = [["cpu bound", "cpu heavy", "parallel"], ["multiprocessing", "process pool", "c extension", "numpy"]]
[[point]]
id = "locks"
weight = 1
text = "User code still needs locks."
groups = [["not thread safe", "still need locks", "race condition"]]
[[misconception]]
id = "thread-safe"
penalty = 0.15
text = "GIL makes code thread-safe."
correction = "It does not."
groups = [["gil"], ["thread safe", "no need for locks"]]
"#;

fn answer() -> String {
    let base = "So um the gill is a lock in CPython and only one thread can run bytecode at a time. \
        It protects the reference counts, you know, so memory management stays safe without fine-grained locks. \
        When a thread does blocking I/O such as reading a socket, the lock is released so other threads run. \
        For CPU heavy work you want multiprocessing or a process pool, or numpy which drops the lock. \
        It does not make your code thread safe, a counter increment can still race. ";
    let mut s = String::new();
    while s.len() < 1000 {
        s.push_str(base);
    }
    s.truncate(1024);
    s
}

fn bench(c: &mut Criterion) {
    let files = vec![
        BankFile {
            path: "questions/bench.toml".into(),
            text: QUESTIONS.into(),
        },
        BankFile {
            path: "rubrics/gil.toml".into(),
            text: RUBRIC.into(),
        },
    ];
    let bank = Bank::from_files(BankOrigin::Embedded, files, true).expect("bench bank is valid");
    let question = bank.question("gil").unwrap();
    let rubric = bank.rubric("gil").unwrap();
    let grader = KeywordGrader::new("bench");
    let answer = answer();

    let mut group = c.benchmark_group("keyword_grader");
    group.throughput(Throughput::Elements(1));
    group.bench_function("grade_1kb_answer_5_points", |b| {
        b.iter(|| grader.grade(question, rubric, std::hint::black_box(&answer)))
    });
    group.bench_function("compile_rubric", |b| {
        b.iter(|| CompiledRubric::new(std::hint::black_box(rubric)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
