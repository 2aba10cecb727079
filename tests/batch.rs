//! `viva batch`: inputs, bad rows, resume, shards, faults from the endpoint,
//! a killed run, Ctrl-C, and the Batch API export/import round trip.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use insta::assert_snapshot;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common::{example, viva};

const POINTS: [&str; 6] = [
    "one-thread-at-a-time",
    "protects-refcounts",
    "released-on-blocking-io",
    "cpu-bound-needs-processes",
    "not-thread-safety-for-user-code",
    "free-threaded-and-switching",
];

fn good_content() -> String {
    let points: serde_json::Map<String, Value> = POINTS
        .iter()
        .map(|p| {
            (
                p.to_string(),
                json!({"score": 1, "evidence": "only one thread ... at a time", "rationale": "ok"}),
            )
        })
        .collect();
    json!({"points": points, "misconceptions": {}}).to_string()
}

fn completion(content: &str) -> Value {
    json!({
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 50}
    })
}

/// Deterministic faults by request number: 10% rate limits and server
/// errors, 5% malformed verdicts; a fixed latency.
struct Faulty {
    n: AtomicU64,
    latency: Duration,
}

impl Respond for Faulty {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let n = self.n.fetch_add(1, Ordering::SeqCst);
        // Repair requests (the original two messages plus the bad reply and
        // the repair instruction) are answered properly, so each malformed
        // verdict costs exactly one repair and no answer fails by design.
        let body: Value = serde_json::from_slice(&req.body).unwrap_or_default();
        let repair = body["messages"].as_array().is_some_and(|m| m.len() > 2);
        let r = match n % 20 {
            3 => ResponseTemplate::new(429).insert_header("retry-after", "0"),
            13 => ResponseTemplate::new(500).set_body_string("boom"),
            7 if !repair => ResponseTemplate::new(200)
                .set_body_json(completion("{\"points\": \"not a verdict\"")),
            _ => ResponseTemplate::new(200).set_body_json(completion(&good_content())),
        };
        r.set_delay(self.latency)
    }
}

async fn stub(latency_ms: u64) -> MockServer {
    let s = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(Faulty {
            n: AtomicU64::new(0),
            latency: Duration::from_millis(latency_ms),
        })
        .mount(&s)
        .await;
    s
}

fn strong_answer() -> String {
    std::fs::read_to_string(example("gil-strong.md")).unwrap()
}

/// A CSV of `n` candidates answering the GIL question.
fn write_csv(dir: &Path, n: usize) -> PathBuf {
    let mut w = csv::Writer::from_path(dir.join("in.csv")).unwrap();
    w.write_record(["candidate", "question_id", "answer"])
        .unwrap();
    let strong = strong_answer();
    for i in 0..n {
        let answer = if i % 2 == 0 {
            strong.clone()
        } else {
            format!("Candidate {i}: the GIL is a lock; only one thread runs at a time.")
        };
        w.write_record([
            format!("c{i:04}").as_str(),
            "gil-what-it-protects",
            answer.as_str(),
        ])
        .unwrap();
    }
    w.flush().unwrap();
    dir.join("in.csv")
}

fn journal(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// What must not change between runs: key → (status, fraction, point scores).
fn essence(records: &[Value]) -> BTreeMap<(String, String), String> {
    records
        .iter()
        .map(|r| {
            let key = (
                r["candidate"].as_str().unwrap().to_string(),
                r["question_id"].as_str().unwrap().to_string(),
            );
            let scores: Vec<String> = r["points"].as_array().map_or(vec![], |ps| {
                ps.iter().map(|p| p["score"].to_string()).collect()
            });
            (
                key,
                format!(
                    "{} {} {}",
                    r["status"],
                    r["total"]["fraction"],
                    scores.join(",")
                ),
            )
        })
        .collect()
}

fn llm_batch(server: &MockServer, dir: &Path, extra: &[&str]) -> assert_cmd::Command {
    assert_cmd::Command::from_std(llm_batch_std(server, dir, extra))
}

fn llm_batch_std(server: &MockServer, dir: &Path, extra: &[&str]) -> std::process::Command {
    let mut cmd = crate::common::viva_std();
    cmd.current_dir(dir)
        .env("OPENAI_BASE_URL", format!("{}/v1", server.uri()))
        .env("VIVA_RETRY_BASE_MS", "5")
        .args(["batch", "in.csv", "--backend", "llm", "--no-cache"])
        .args(extra);
    if !extra.contains(&"--max-attempts") {
        cmd.args(["--max-attempts", "8"]);
    }
    cmd
}

async fn output(mut cmd: assert_cmd::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

/// Waits (up to a few seconds) until a journal being written has `n` lines.
async fn wait_for_lines(path: &Path, n: usize) {
    for _ in 0..300 {
        if std::fs::read_to_string(path)
            .map(|t| t.lines().count())
            .unwrap_or(0)
            >= n
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Replaces the run's timing so the summary can be snapshotted.
fn summary(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let re = regex::Regex::new(r"wall time [0-9.]+ s, [0-9.]+ answers/s").unwrap();
    re.replace_all(&text, "wall time [T] s, [R] answers/s")
        .into_owned()
}

#[test]
fn keyword_batch_grades_good_rows_and_reports_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ann.md"), strong_answer()).unwrap();
    std::fs::write(dir.path().join("bin.txt"), b"\x00\x01").unwrap();
    std::fs::write(
        dir.path().join("in.csv"),
        "candidate,question_id,answer,answer_file\n\
         ann,gil-what-it-protects,,ann.md\n\
         bob,gil-what-it-protects,\"The GIL is a lock, only one thread at a time.\",\n\
         cy,gil-what-it-protect,some answer,\n\
         dee,gil-what-it-protects,,\n\
         eve,gil-what-it-protects,,missing.md\n\
         fay,gil-what-it-protects,,bin.txt\n\
         gus,gil-what-it-protects,an answer with, unquoted, commas,\n\
         hal,mutable-default-arguments,\"Defaults are evaluated once at def time, so a list default is shared between calls; use None.\",\n",
    )
    .unwrap();
    let out = viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "bad rows make the exit code 1");
    assert!(out.stdout.is_empty(), "nothing on stdout but results");
    assert_snapshot!(summary(&out.stderr));
    let mut records = journal(&dir.path().join("in.csv.journal.jsonl"));
    // Lines are appended as answers complete; order by input position.
    records.sort_by_key(|r| r["position"].as_u64());
    let names: Vec<&str> = records
        .iter()
        .map(|r| r["candidate"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ann", "bob", "hal"]);
    assert_eq!(records[0]["schema"], "viva.grading/v1");
    assert_eq!(records[0]["position"], 2);
    let errors = std::fs::read_to_string(dir.path().join("in.csv.errors.jsonl")).unwrap();
    assert_snapshot!(errors);
}

#[test]
fn jsonl_and_folder_inputs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("in.jsonl"),
        format!(
            "{}\n{}\n",
            json!({"candidate": "ann", "question_id": "gil-what-it-protects", "answer": strong_answer()}),
            json!({"candidate": "bob", "question_id": "gil-what-it-protects", "answer": "a lock"})
        ),
    )
    .unwrap();
    let out = viva()
        .current_dir(dir.path())
        .args(["batch", "in.jsonl", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(journal(&dir.path().join("in.jsonl.journal.jsonl")).len(), 2);

    let answers = dir.path().join("answers");
    for (c, q) in [
        ("ann", "gil-what-it-protects"),
        ("bob", "gil-what-it-protects"),
    ] {
        std::fs::create_dir_all(answers.join(c)).unwrap();
        std::fs::copy(
            example("gil-spoken.srt"),
            answers.join(c).join(format!("{q}.srt")),
        )
        .unwrap();
    }
    let out = viva()
        .current_dir(dir.path())
        .args(["batch", "answers", "--out", "dir.jsonl", "-q"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = journal(&dir.path().join("dir.jsonl"));
    assert_eq!(records.len(), 2);
    assert!(
        records[0]["total"]["fraction"].as_f64().unwrap() > 0.5,
        "subtitles are stripped before grading"
    );
}

#[test]
fn reruns_resume_and_regrade_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), 6);
    let first = viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv"])
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(0));
    let again = viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv"])
        .output()
        .unwrap();
    assert!(
        summary(&again.stderr).starts_with("graded 0, failed 0, skipped 6"),
        "{}",
        summary(&again.stderr)
    );
    // Change one answer: only that one is graded again.
    let csv = std::fs::read_to_string(dir.path().join("in.csv"))
        .unwrap()
        .replace("Candidate 3:", "Candidate three:");
    std::fs::write(dir.path().join("in.csv"), csv).unwrap();
    let third = viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv"])
        .output()
        .unwrap();
    assert!(
        summary(&third.stderr).starts_with("graded 1, failed 0, skipped 5"),
        "{}",
        summary(&third.stderr)
    );
    assert_eq!(why(&third.stderr), ["1 regraded: answer changed"]);
    assert_eq!(journal(&dir.path().join("in.csv.journal.jsonl")).len(), 7);
}

#[test]
fn shards_partition_the_input_exactly() {
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), 30);
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for i in 1..=3 {
        let out = viva()
            .current_dir(dir.path())
            .args(["batch", "in.csv", "-q", "--shard", &format!("{i}/3")])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        for r in journal(
            &dir.path()
                .join(format!("in.csv.shard-{i}-of-3.journal.jsonl")),
        ) {
            total += 1;
            seen.insert(r["candidate"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(
        (total, seen.len()),
        (30, 30),
        "every answer in exactly one shard"
    );
    let bad = viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv", "--shard", "4/3"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn two_hundred_answers_through_a_faulty_endpoint_all_end_graded() {
    let s = stub(5).await;
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), 200);
    let out = output(llm_batch(&s, dir.path(), &["-j", "16"])).await;
    let failures: Vec<String> = journal(&dir.path().join("in.csv.journal.jsonl"))
        .iter()
        .filter(|r| r["status"] == "failed")
        .map(|r| r["failure"]["message"].to_string())
        .collect();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{} {failures:?}",
        summary(&out.stderr)
    );
    let records = journal(&dir.path().join("in.csv.journal.jsonl"));
    assert_eq!(records.len(), 200);
    assert!(records.iter().all(|r| r["status"] == "graded"));
    let repaired: u64 = records
        .iter()
        .map(|r| r["backend"]["repairs"].as_u64().unwrap())
        .sum();
    assert!(repaired > 0, "malformed verdicts were repaired");
    assert!(
        summary(&out.stderr).contains("tokens: "),
        "{}",
        summary(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_run_resumes_to_the_same_journal() {
    let s = stub(40).await;
    let reference = tempfile::tempdir().unwrap();
    write_csv(reference.path(), 40);
    let out = output(llm_batch(&s, reference.path(), &["-j", "4"])).await;
    assert_eq!(out.status.code(), Some(0));
    let expected = essence(&journal(&reference.path().join("in.csv.journal.jsonl")));

    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), 40);
    let mut child = llm_batch_std(&s, dir.path(), &["-j", "4"]).spawn().unwrap();
    let journal_path = dir.path().join("in.csv.journal.jsonl");
    wait_for_lines(&journal_path, 8).await;
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    let partial = std::fs::read_to_string(&journal_path)
        .unwrap()
        .lines()
        .count();
    assert!(
        (8..40).contains(&partial),
        "killed partway: {partial} lines"
    );

    let out = output(llm_batch(&s, dir.path(), &["-j", "4"])).await;
    assert_eq!(out.status.code(), Some(0), "{}", summary(&out.stderr));
    let records = journal(&journal_path);
    let keys: BTreeSet<_> = records
        .iter()
        .map(|r| r["candidate"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(records.len(), 40, "no duplicate and no missing answer");
    assert_eq!(keys.len(), 40);
    assert_eq!(essence(&records), expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_stops_dispatching_and_says_how_to_resume() {
    let s = stub(200).await;
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), 40);
    let mut cmd = llm_batch_std(&s, dir.path(), &["-j", "2"]);
    cmd.stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    let journal_path = dir.path().join("in.csv.journal.jsonl");
    wait_for_lines(&journal_path, 2).await;
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(130));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rerun the same command"), "{err}");
    let records = journal(&journal_path);
    assert!(
        records.len() < 40 && !records.is_empty(),
        "{}",
        records.len()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn batch_api_export_and_import_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), 5);
    let out = viva()
        .current_dir(dir.path())
        .args([
            "batch",
            "in.csv",
            "--export-requests",
            "requests.jsonl",
            "--model",
            "gpt-4o-mini",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let requests = journal(&dir.path().join("requests.jsonl"));
    assert_eq!(requests.len(), 5);
    for r in &requests {
        assert_eq!(
            (r["method"].as_str(), r["url"].as_str()),
            (Some("POST"), Some("/v1/chat/completions"))
        );
        assert_eq!(r["body"]["model"], "gpt-4o-mini");
        assert!(r["custom_id"].as_str().unwrap().starts_with("viva-"));
    }
    // What OpenAI's Batch API (or vLLM's run_batch) writes back; one failed.
    let responses: Vec<String> = requests
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let response = if i == 4 {
                json!({"custom_id": r["custom_id"], "response": {"status_code": 500, "body": {}}, "error": {"message": "failed"}})
            } else {
                json!({"id": format!("batch_req_{i}"), "custom_id": r["custom_id"], "response": {"status_code": 200, "body": completion(&good_content())}, "error": null})
            };
            response.to_string()
        })
        .collect();
    std::fs::write(
        dir.path().join("responses.jsonl"),
        responses.join("\n") + "\n",
    )
    .unwrap();
    let out = viva()
        .current_dir(dir.path())
        .args([
            "batch",
            "in.csv",
            "--import-responses",
            "responses.jsonl",
            "--model",
            "gpt-4o-mini",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "one failed response");
    let records = journal(&dir.path().join("in.csv.journal.jsonl"));
    assert_eq!(records.len(), 5);
    let graded = records.iter().filter(|r| r["status"] == "graded").count();
    assert_eq!(graded, 4);
    // Evidence is checked like a live verdict: "only one thread ... at a time" is in every answer.
    assert!(
        records
            .iter()
            .filter(|r| r["status"] == "graded")
            .all(|r| r["points"][0]["verification"] == "verified")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_answers_are_kept_skipped_and_retried_on_request() {
    // The endpoint rejects the first three requests (not retried), then recovers.
    let s = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_string("bad request"))
        .up_to_n_times(3)
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion(&good_content())))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), 6);
    let first = output(llm_batch(&s, dir.path(), &["-j", "1"])).await;
    assert_eq!(first.status.code(), Some(1), "{}", summary(&first.stderr));
    assert!(
        summary(&first.stderr).contains("failed: 3 × endpoint"),
        "{}",
        summary(&first.stderr)
    );
    let rerun = output(llm_batch(&s, dir.path(), &["-j", "1"])).await;
    assert!(
        summary(&rerun.stderr).starts_with("graded 0, failed 0, skipped 6"),
        "{}",
        summary(&rerun.stderr)
    );
    let retry = output(llm_batch(&s, dir.path(), &["-j", "1", "--retry-failed"])).await;
    assert_eq!(retry.status.code(), Some(0), "{}", summary(&retry.stderr));
    assert!(
        summary(&retry.stderr).starts_with("graded 3, failed 0, skipped 3"),
        "{}",
        summary(&retry.stderr)
    );
    let last: BTreeMap<_, _> = essence(&journal(&dir.path().join("in.csv.journal.jsonl")));
    assert!(
        last.values().all(|v| v.starts_with("\"graded\"")),
        "the last record of each answer is graded"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_server_errors_does_not_weaken_the_output_format() {
    // Regression: 500s that outlasted the retries downgraded json_schema for
    // the rest of the batch, as if the server had rejected the format.
    let s = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .up_to_n_times(2)
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion(&good_content())))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), 3);
    let out = output(llm_batch(
        &s,
        dir.path(),
        &["-j", "1", "--max-attempts", "2"],
    ))
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", summary(&out.stderr));
    assert!(
        summary(&out.stderr).starts_with("graded 2, failed 1"),
        "{}",
        summary(&out.stderr)
    );
    let formats: Vec<String> = s
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            body["response_format"]["type"]
                .as_str()
                .unwrap_or("none")
                .to_string()
        })
        .collect();
    assert_eq!(formats, ["json_schema"; 4]);
}

#[test]
fn a_second_row_for_the_same_candidate_and_question_is_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("in.csv"),
        "candidate,question_id,answer\n\
         ann,gil-what-it-protects,The GIL lets only one thread run at a time.\n\
         bob,gil-what-it-protects,A lock.\n\
         ann,gil-what-it-protects,A different answer from ann.\n",
    )
    .unwrap();
    let out = viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a duplicate is a bad row");
    assert!(
        summary(&out.stderr).contains("bad rows: 1 × duplicate"),
        "{}",
        summary(&out.stderr)
    );
    let mut records = journal(&dir.path().join("in.csv.journal.jsonl"));
    records.sort_by_key(|r| r["position"].as_u64());
    let graded: Vec<(&str, u64)> = records
        .iter()
        .map(|r| {
            (
                r["candidate"].as_str().unwrap(),
                r["position"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        graded,
        [("ann", 2), ("bob", 3)],
        "the first answer is graded"
    );
    let errors = std::fs::read_to_string(dir.path().join("in.csv.errors.jsonl")).unwrap();
    assert_snapshot!(errors);
}

#[test]
fn a_second_run_on_a_locked_journal_exits_at_once() {
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), 2);
    // What a running batch holds: an exclusive lock on its journal.
    let held = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.path().join("in.csv.journal.jsonl"))
        .unwrap();
    held.try_lock().unwrap();
    let out = viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7));
    assert_snapshot!(summary(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("in.csv.journal.jsonl")).unwrap(),
        "",
        "nothing written to a journal another run holds"
    );
    drop(held);
    let out = viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv", "-q"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "free again once the lock is gone"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn importing_responses_writes_the_errors_file_it_reports() {
    // Regression: the import summary pointed at an errors file it never wrote.
    let dir = tempfile::tempdir().unwrap();
    let strong = strong_answer();
    let mut w = csv::Writer::from_path(dir.path().join("in.csv")).unwrap();
    w.write_record(["candidate", "question_id", "answer"])
        .unwrap();
    w.write_record(["ann", "gil-what-it-protects", strong.as_str()])
        .unwrap();
    w.write_record(["bob", "gil-what-it-protect", "A lock."])
        .unwrap();
    w.write_record(["cy", "gil-what-it-protects", ""]).unwrap();
    w.write_record(["ann", "gil-what-it-protects", "Again."])
        .unwrap();
    w.flush().unwrap();
    let out = viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv", "--export-requests", "requests.jsonl"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let requests = journal(&dir.path().join("requests.jsonl"));
    assert_eq!(requests.len(), 1, "only the good row is exported");
    let response = json!({"custom_id": requests[0]["custom_id"], "response": {"status_code": 200, "body": completion(&good_content())}});
    std::fs::write(dir.path().join("responses.jsonl"), format!("{response}\n")).unwrap();
    let out = viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv", "--import-responses", "responses.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = summary(&out.stderr);
    assert!(err.starts_with("graded 1, failed 0"), "{err}");
    assert!(err.contains("(see in.csv.errors.jsonl)"), "{err}");
    let errors = std::fs::read_to_string(dir.path().join("in.csv.errors.jsonl")).unwrap();
    assert_snapshot!(errors);
}

/// Copies a folder tree (the bank or the prompt templates) for editing.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let p = entry.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// The summary lines of a run that say what was regraded or kept, and why.
fn why(stderr: &[u8]) -> Vec<String> {
    summary(stderr)
        .lines()
        .filter(|l| l.contains("regraded") || l.contains("--keep-stale"))
        .map(|l| l.trim().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn resuming_with_changed_settings_regrades_and_says_why() {
    // Regression: the fingerprint was model@base_url only, so a resume with
    // another evidence policy, sample count, temperature, template or rubric
    // silently kept the old grades.
    let s = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion(&good_content())))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), 4);
    let root = crate::common::root();
    let prompts = dir.path().join("prompts");
    copy_tree(&root.join("prompts"), &prompts);
    let user = prompts.join("user.jinja");
    let edited = std::fs::read_to_string(&user).unwrap() + "\nBe brief.\n";
    std::fs::write(&user, edited).unwrap();
    let bank = dir.path().join("bank");
    for part in ["questions", "rubrics"] {
        copy_tree(&root.join(part), &bank.join(part));
    }
    let rubric = bank.join("rubrics/gil-what-it-protects.toml");
    let edited = std::fs::read_to_string(&rubric)
        .unwrap()
        .replacen("weight = 3", "weight = 4", 1);
    std::fs::write(&rubric, edited).unwrap();
    let (prompts, bank) = (prompts.display().to_string(), bank.display().to_string());

    let first = output(llm_batch(&s, dir.path(), &[])).await;
    assert_eq!(first.status.code(), Some(0), "{}", summary(&first.stderr));
    // Each step adds one change to the settings of the step before.
    let steps: [(&[&str], &str); 6] = [
        (
            &["--evidence", "strict"],
            "4 regraded: evidence policy changed",
        ),
        (&["--samples", "2"], "4 regraded: samples changed"),
        (&["--temperature", "0.5"], "4 regraded: temperature changed"),
        (
            &["--prompts", &prompts],
            "4 regraded: prompt template changed",
        ),
        (&["--bank", &bank], "4 regraded: rubric changed"),
        (&["--model", "other-model"], "4 regraded: model changed"),
    ];
    let mut args: Vec<&str> = Vec::new();
    for (change, expected) in steps {
        args.extend_from_slice(change);
        let out = output(llm_batch(&s, dir.path(), &args)).await;
        assert_eq!(out.status.code(), Some(0), "{}", summary(&out.stderr));
        assert!(
            summary(&out.stderr).starts_with("graded 4, failed 0, skipped 0"),
            "{change:?}: {}",
            summary(&out.stderr)
        );
        assert_eq!(why(&out.stderr), [expected], "{change:?}");
    }
    let unchanged = output(llm_batch(&s, dir.path(), &args)).await;
    assert!(
        summary(&unchanged.stderr).starts_with("graded 0, failed 0, skipped 4"),
        "{}",
        summary(&unchanged.stderr)
    );
    assert!(
        why(&unchanged.stderr).is_empty(),
        "{}",
        summary(&unchanged.stderr)
    );
    let last = journal(&dir.path().join("in.csv.journal.jsonl"))
        .pop()
        .unwrap();
    let settings = &last["fingerprint"]["settings"];
    assert_eq!(
        (
            settings["evidence policy"].as_str(),
            settings["samples"].as_str()
        ),
        (Some("strict"), Some("2")),
        "the record says which settings graded it"
    );
    assert_eq!(settings["model"], "other-model");
}

#[tokio::test(flavor = "multi_thread")]
async fn keep_stale_keeps_grades_made_with_other_settings() {
    let s = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion(&good_content())))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), 4);
    let first = output(llm_batch(&s, dir.path(), &[])).await;
    assert_eq!(first.status.code(), Some(0), "{}", summary(&first.stderr));
    let before = journal(&dir.path().join("in.csv.journal.jsonl"));
    let kept = output(llm_batch(
        &s,
        dir.path(),
        &["--evidence", "lenient", "--keep-stale"],
    ))
    .await;
    assert_eq!(kept.status.code(), Some(0), "{}", summary(&kept.stderr));
    assert!(
        summary(&kept.stderr).starts_with("graded 0, failed 0, skipped 4"),
        "{}",
        summary(&kept.stderr)
    );
    assert_eq!(
        why(&kept.stderr),
        ["4 kept although stale (--keep-stale): evidence policy changed"]
    );
    assert_eq!(journal(&dir.path().join("in.csv.journal.jsonl")), before);
}

#[test]
fn an_older_journal_resumes_by_regrading_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), 3);
    let run = || {
        viva()
            .current_dir(dir.path())
            .args(["batch", "in.csv"])
            .output()
            .unwrap()
    };
    assert_eq!(run().status.code(), Some(0));
    // What a journal written before settings were recorded looks like.
    let path = dir.path().join("in.csv.journal.jsonl");
    let old: Vec<String> = journal(&path)
        .into_iter()
        .map(|mut r| {
            let fp = r["fingerprint"].as_object_mut().unwrap();
            fp.remove("digest");
            fp.remove("settings");
            r.to_string()
        })
        .collect();
    std::fs::write(&path, old.join("\n") + "\n").unwrap();
    let out = run();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        summary(&out.stderr).starts_with("graded 3, failed 0, skipped 0"),
        "{}",
        summary(&out.stderr)
    );
    assert_eq!(why(&out.stderr), ["3 regraded: older journal format"]);
    let out = run();
    assert!(
        summary(&out.stderr).starts_with("graded 0, failed 0, skipped 3"),
        "{}",
        summary(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_endpoint_trips_the_breaker_and_leaves_the_rest_for_resume() {
    // The endpoint answers three times, then only fails.
    let s = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion(&good_content())))
        .up_to_n_times(3)
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("down"))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), 20);
    let args = ["-j", "1", "--max-attempts", "1"];
    let out = output(llm_batch(&s, dir.path(), &args)).await;
    let err = summary(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(
        err.contains("stopped: the endpoint failed 5 answers in a row (last: the endpoint kept failing (HTTP 503): down)"),
        "{err}"
    );
    let not_started: u64 = regex::Regex::new(r"(\d+) answers not started; once the endpoint works, rerun the same command with --retry-failed")
        .unwrap()
        .captures(&err)
        .unwrap_or_else(|| panic!("{err}"))[1]
        .parse()
        .unwrap();
    let records = journal(&dir.path().join("in.csv.journal.jsonl"));
    let graded = records.iter().filter(|r| r["status"] == "graded").count();
    let failed = records.len() - graded;
    assert_eq!(graded, 3, "{err}");
    // Regression: a worker freed its slot before the collector had recorded
    // its failure, so a slow collector let answers past the breaker (17 of
    // 17 failed). With one worker, exactly the five failures run.
    assert_eq!(failed, 5, "{err}");
    assert_eq!(failed as u64 + not_started, 17, "{err}");

    s.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion(&good_content())))
        .mount(&s)
        .await;
    let resumed = output(llm_batch(&s, dir.path(), &["-j", "1", "--retry-failed"])).await;
    let err = summary(&resumed.stderr);
    assert_eq!(resumed.status.code(), Some(0), "{err}");
    assert!(err.starts_with("graded 17, failed 0, skipped 3"), "{err}");
    assert!(
        essence(&journal(&dir.path().join("in.csv.journal.jsonl")))
            .values()
            .all(|v| v.starts_with("\"graded\"")),
        "every answer ends graded"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_retry_budget_is_shared_by_the_whole_run() {
    let s = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .up_to_n_times(3)
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion(&good_content())))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), 2);
    let out = output(llm_batch(
        &s,
        dir.path(),
        &["-j", "1", "--retry-budget", "1"],
    ))
    .await;
    let err = summary(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.starts_with("graded 0, failed 2"), "{err}");
    assert!(err.contains("retry budget spent"), "{err}");
    assert_eq!(
        s.received_requests().await.unwrap().len(),
        3,
        "one retry in all, then each failure is final"
    );
}

#[test]
fn a_missing_input_leaves_no_journal_behind() {
    let dir = tempfile::tempdir().unwrap();
    let out = viva()
        .current_dir(dir.path())
        .args(["batch", "typo/in.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !dir.path().join("typo").exists(),
        "the journal is opened only once the input is"
    );
}

#[test]
fn keyword_answers_graded_in_chunks_are_each_graded_once_whatever_the_jobs() {
    // Offline answers go to workers in chunks of up to 64: with more rows
    // than that, every answer must still get exactly one journal line, the
    // same grade at -j 1 and -j 2, and a resume must skip them all.
    let dir = tempfile::tempdir().unwrap();
    write_csv(dir.path(), 150);
    let mut runs = Vec::new();
    for jobs in ["1", "2"] {
        let out = format!("j{jobs}.jsonl");
        let run = viva()
            .current_dir(dir.path())
            .args([
                "batch",
                "in.csv",
                "--backend",
                "keyword",
                "-j",
                jobs,
                "--out",
                &out,
            ])
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(0), "{}", summary(&run.stderr));
        assert!(
            summary(&run.stderr).starts_with("graded 150, failed 0, skipped 0"),
            "{}",
            summary(&run.stderr)
        );
        let records = journal(&dir.path().join(&out));
        assert_eq!(records.len(), 150);
        runs.push(essence(&records));
    }
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[0].len(), 150);
    let again = viva()
        .current_dir(dir.path())
        .args([
            "batch",
            "in.csv",
            "--backend",
            "keyword",
            "-j",
            "2",
            "--out",
            "j2.jsonl",
        ])
        .output()
        .unwrap();
    assert!(
        summary(&again.stderr).starts_with("graded 0, failed 0, skipped 150"),
        "{}",
        summary(&again.stderr)
    );
}
