//! `viva grade` on the embedded bank, in every output format.

use insta::assert_snapshot;

use crate::common::{example, fixture, run, stdout, viva, walk};

#[test]
fn grades_a_strong_answer_as_text() {
    assert_snapshot!(run(viva()
        .args(["grade", "gil-what-it-protects"])
        .arg(example("gil-strong.md"))));
}

#[test]
fn grades_a_weak_answer_with_a_misconception() {
    assert_snapshot!(run(viva()
        .args(["grade", "gil-what-it-protects"])
        .arg(example("gil-weak.txt"))));
}

#[test]
fn grades_a_subtitle_transcript_as_json() {
    assert_snapshot!(run(viva()
        .args(["grade", "gil-what-it-protects", "--format", "json"])
        .arg(example("gil-spoken.srt"))));
}

#[test]
fn grades_as_markdown() {
    assert_snapshot!(run(viva()
        .args(["grade", "gil-what-it-protects", "-f", "markdown"])
        .arg(example("gil-partial.txt"))));
}

#[test]
fn reads_the_answer_from_stdin() {
    let answer = std::fs::read(example("gil-strong.md")).unwrap();
    let piped = stdout(
        viva()
            .args(["grade", "gil-what-it-protects", "-"])
            .write_stdin(answer.clone()),
    );
    let implicit = stdout(
        viva()
            .args(["grade", "gil-what-it-protects"])
            .write_stdin(answer),
    );
    let from_file = stdout(
        viva()
            .args(["grade", "gil-what-it-protects"])
            .arg(example("gil-strong.md")),
    );
    assert_eq!(piped, from_file);
    assert_eq!(implicit, from_file);
}

#[test]
fn json_report_has_the_documented_fields() {
    let out = stdout(
        viva()
            .args(["grade", "gil-what-it-protects", "--format", "json"])
            .arg(example("gil-partial.txt")),
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "viva.grading/v1");
    assert_eq!(v["question"]["id"], "gil-what-it-protects");
    assert_eq!(v["backend"]["name"], "keyword");
    for p in v["points"].as_array().unwrap() {
        for field in [
            "id",
            "score",
            "weight",
            "earned",
            "evidence",
            "feedback",
            "verification",
        ] {
            assert!(p.get(field).is_some(), "point lacks {field}: {p}");
        }
    }
    let t = &v["total"];
    assert!(t["fraction"].as_f64().unwrap() <= 1.0);
    assert_eq!(
        t["percent"].as_f64().unwrap(),
        (t["fraction"].as_f64().unwrap() * 1000.0).round() / 10.0
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = stdout(
        viva()
            .args(["grade", "gil-what-it-protects"])
            .arg(example("gil-strong.md")),
    );
    assert!(
        !plain.contains('\x1b'),
        "NO_COLOR and a pipe mean no escapes"
    );
    let forced = stdout(
        viva()
            .args(["--color", "always", "grade", "gil-what-it-protects"])
            .arg(example("gil-strong.md")),
    );
    assert!(forced.contains("\x1b["));
}

#[test]
fn grades_against_another_bank() {
    assert_snapshot!(run(viva()
        .arg("--bank")
        .arg(fixture("mini-bank"))
        .args(["grade", "list-vs-tuple", "-"])
        .write_stdin(
            "Tuples are immutable, lists are not. A tuple can be a dict key."
        )));
}

#[test]
fn bank_comes_from_the_environment_too() {
    let out = stdout(
        viva()
            .env("VIVA_BANK", fixture("mini-bank"))
            .args(["questions"]),
    );
    assert!(out.contains("list-vs-tuple"));
    assert!(out.contains("1 question(s)"));
}

#[test]
fn code_in_a_question_keeps_its_lines_in_text_and_markdown() {
    // Regression: text flattened the code onto one line, and Markdown
    // escaped it inside an indented block (`a = \[\[\]\] \* 3`).
    let text = stdout(
        viva()
            .args(["grade", "list-multiplication-aliasing", "-"])
            .write_stdin("It prints [[1], [1], [1]]."),
    );
    let head: String = text.lines().take(7).collect::<Vec<_>>().join("\n");
    assert_snapshot!("code_question_text", head);
    let md = stdout(
        viva()
            .args([
                "grade",
                "list-multiplication-aliasing",
                "-f",
                "markdown",
                "-",
            ])
            .write_stdin("It prints [[1], [1], [1]]."),
    );
    let head: String = md.lines().take(9).collect::<Vec<_>>().join("\n");
    assert_snapshot!("code_question_markdown", head);
}

/// A negation before a list closed by "or" denies every item of it, in the
/// real binary's report: naming the servers only to say they are never used
/// earns nothing, naming them as what is used earns the point.
#[test]
fn a_negation_before_an_or_list_denies_every_item() {
    let score = |answer: &str| {
        let v = graded_json("request-response-cycle", answer);
        let point = v["points"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == "server-and-wsgi")
            .unwrap()
            .clone();
        point["score"].as_f64().unwrap()
    };
    assert_eq!(
        score(
            "Production deployments never use Gunicorn, Uvicorn or nginx, and WSGI is a template language."
        ),
        0.0
    );
    // Earned (in outline: the point's text names more than this says).
    assert!(
        score(
            "Production deployments use Gunicorn, Uvicorn or nginx, and WSGI is the interface they call."
        ) >= 0.9
    );
}

/// A short answer spoken without punctuation is read like a transcript: the
/// words of two true statements ("keeps the counts safe", "when a thread
/// waits on the network it lets go of the lock") do not make the false one
/// "the lock is kept during network waits", which would take every point of
/// the sentence; the same words said with punctuation score the same.
#[test]
fn an_unpunctuated_spoken_answer_scores_like_the_punctuated_one() {
    let fraction = |answer: &str| {
        graded_json("gil-what-it-protects", answer)["total"]["fraction"]
            .as_f64()
            .unwrap()
    };
    let written = "So basically the GIL is a lock inside CPython and only one thread can run \
                   Python code at a time. It mostly keeps the memory bookkeeping safe, like the \
                   counts of how many things point at each object. When a thread waits on the \
                   network or a file it lets go of the lock so other threads can run. But for \
                   heavy number crunching you want separate processes.";
    let spoken = written.to_lowercase().replace([',', '.'], "");
    let punctuated = fraction(written);
    assert!(punctuated > 0.5, "{punctuated}");
    assert_eq!(fraction(&spoken), punctuated);
}

/// A dunder name said aloud ("double underscore get") meets the rubric's
/// spoken spelling ("dunder get") as the written `__get__` does.
#[test]
fn a_dunder_said_aloud_scores_like_the_written_one() {
    let score = |answer: &str| {
        graded_json("descriptors-protocol", answer)["points"][0]["score"]
            .as_f64()
            .unwrap()
    };
    let written = "A descriptor is an object that defines __get__ and lives as a class attribute.";
    let spoken = "so a descriptor is an object that defines double underscore get double \
                  underscore and it lives as a class attribute";
    assert!(score(written) >= 0.9, "earned");
    assert_eq!(score(spoken), score(written));
}

/// Numbers said aloud ("four oh one", "python three twelve") meet the digits
/// rubrics write (`401`, `3.12`), as the written answer does.
#[test]
fn numbers_said_aloud_score_like_the_written_digits() {
    let score = |answer: &str| {
        let report = graded_json("authentication-decorator", answer);
        let points = report["points"].as_array().unwrap().clone();
        let point = points.iter().find(|p| p["id"] == "reject-401-403").unwrap();
        point["score"].as_f64().unwrap()
    };
    let written = "If the user is not authenticated the wrapper returns a response with status \
                   401, and if the roles don't intersect it returns 403, without calling the handler.";
    let spoken = "so if the user isn't authenticated the wrapper returns a response with status \
                  four oh one and if the roles don't intersect it returns four oh three without \
                  calling the handler";
    assert!(score(written) >= 0.9, "earned");
    assert_eq!(score(spoken), score(written));
}

/// Keyword salad with its punctuation stripped escapes the checks that need
/// sentences and clauses, so it scores higher; the grading says so, and
/// the same words written with full stops are not flagged.
#[test]
fn salad_without_punctuation_is_flagged_as_read_as_speech() {
    let written = "Cython is the interpreter that PyPy uses to run its tracing JIT, which is why \
        every cdef declaration ends up executed by the .NET CLR at import time. IronPython, on the \
        other hand, is the reference implementation's garbage collector, compiled from RPython so \
        that reference counting can be traced across the GIL. CPython exists mainly as a \
        compatibility layer called cpyext that lets Jython load C extension modules through the \
        JVM. When you need the C API, PyPy switches to bytecode interpretation and Cython turns \
        the JIT traces back into Python source.";
    let spoken = written.to_lowercase().replace([',', '.'], "");
    let flags = |report: &serde_json::Value| -> Vec<String> {
        report["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["kind"].as_str().unwrap().to_string())
            .collect()
    };
    let fraction = |report: &serde_json::Value| report["total"]["fraction"].as_f64().unwrap();
    let (w, s) = (
        graded_json("alternative-implementations", written),
        graded_json("alternative-implementations", &spoken),
    );
    assert!(
        fraction(&s) > fraction(&w),
        "{} vs {}",
        fraction(&s),
        fraction(&w)
    );
    assert!(
        flags(&s).contains(&"unpunctuated".to_string()),
        "{:?}",
        flags(&s)
    );
    assert!(!flags(&w).contains(&"unpunctuated".to_string()));
}

/// The real binary's JSON report for `answer` to question `id`, read from
/// stdin with the keyword grader.
fn graded_json(id: &str, answer: &str) -> serde_json::Value {
    let out = stdout(
        viva()
            .args(["grade", id, "-", "--format", "json"])
            .write_stdin(answer.to_string()),
    );
    serde_json::from_str(&out).unwrap()
}

/// Every answer file of `examples/answers/` graded with its question, as
/// JSON: what the rubric store must not change.
fn grade_examples(store: &str) -> Vec<String> {
    let cases = [
        ("gil-what-it-protects", "gil-strong.md"),
        ("gil-what-it-protects", "gil-weak.txt"),
        ("gil-what-it-protects", "gil-partial.txt"),
        ("gil-what-it-protects", "gil-spoken.srt"),
    ];
    cases
        .iter()
        .map(|(id, file)| {
            stdout(
                viva()
                    .env("VIVA_RUBRIC_CACHE", store)
                    .args(["grade", id, "--format", "json"])
                    .arg(example(file)),
            )
        })
        .collect()
}

/// Compiled rubrics are kept between runs; a run that reads one back, and
/// a run that finds it damaged, grade exactly as a run that compiles.
#[test]
fn the_rubric_store_never_changes_a_grade() {
    let compiled = grade_examples("off");
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().to_str().unwrap();
    assert_eq!(
        grade_examples(store),
        compiled,
        "first run: compiles and stores"
    );
    let files: Vec<_> = walk(dir.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    assert_eq!(files.len(), 1, "one stored rubric: {files:?}");
    assert_eq!(grade_examples(store), compiled, "later run: reads it back");

    let mut bytes = std::fs::read(&files[0]).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&files[0], &bytes).unwrap();
    assert_eq!(
        grade_examples(store),
        compiled,
        "a damaged file is compiled again"
    );
    assert_ne!(std::fs::read(&files[0]).unwrap(), bytes, "and rewritten");

    // `viva config` says where the store is and why.
    let config: serde_json::Value = serde_json::from_str(&stdout(
        viva()
            .env("VIVA_RUBRIC_CACHE", store)
            .args(["config", "--format", "json"]),
    ))
    .unwrap();
    let shown = config["rubric_cache"]["value"].as_str().unwrap();
    assert!(files[0].starts_with(shown), "{shown} holds {:?}", files[0]);
    assert_eq!(config["rubric_cache"]["origin"], "env VIVA_RUBRIC_CACHE");
}

/// A markdown write-up names its subject once, above a list: each item is
/// read with that line, and the quote shows both with the gap marked.
#[test]
fn list_items_are_read_with_the_line_that_leads_their_list() {
    let answer = "Both are `concurrent.futures` executors with the same `submit()`/`map()` API.\n\n\
                  ThreadPoolExecutor runs tasks on a pool of threads in the current process.\n\
                  - Arguments are passed by reference, so nothing is pickled.\n\
                  - Subject to the GIL. Ideal for I/O-bound work: HTTP requests, database queries.\n\n\
                  ProcessPoolExecutor runs tasks in separate worker processes.\n\
                  - Each worker has its own interpreter and GIL.\n\
                  - Arguments and results must be picklable.\n\
                  - CPU-bound Python code gets true parallelism across cores.\n";
    assert_snapshot!(run(viva()
        .args([
            "grade",
            "threadpool-vs-processpool",
            "-",
            "--backend",
            "keyword"
        ])
        .write_stdin(answer)));
}
