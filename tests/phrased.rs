//! Follow-ups phrased by the model in `viva practice`, against a stub
//! OpenAI-compatible server on 127.0.0.1: a follow-up that probes a linked
//! question is graded against its rubric, one that fits none is kept
//! ungraded, and a failing endpoint or a bad reply falls back to the bank's
//! follow-up.

use std::path::Path;
use std::sync::Mutex;

use assert_cmd::Command;
use insta::assert_snapshot;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common::{scrub, viva};

const KEY: &str = "sk-test-SECRET-KEY-0123456789";
const NOW: &str = "2024-06-15T12:00:00Z";
const FIRST: &str = "The GIL is a lock that lets one thread run at a time.\n";
const SECOND: &str = "It is released around blocking I/O; C extensions use \
    Py_BEGIN_ALLOW_THREADS.\n";
const PHRASED: &str = "You said the GIL lets one thread run at a time; when does a thread \
    give it up, and how can C code let others run?";

/// What the stub says when asked to phrase a follow-up.
#[derive(Clone, Copy)]
enum Phrasing {
    /// Probes the first linked follow-up offered.
    Linked,
    /// Fits none of them.
    Unlinked,
    /// Names a question that was not offered.
    UnknownId,
    /// Fails with HTTP 500, every time.
    Down,
}

/// Grades every point 0 (so there is always something missed) and
/// phrases follow-ups as told; remembers the follow-up requests.
struct Stub {
    phrasing: Phrasing,
    asked: Mutex<Vec<Value>>,
}

fn completion(content: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20}
    }))
}

impl Respond for &'static Stub {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&req.body).unwrap();
        let schema = &body["response_format"]["json_schema"]["schema"]["properties"];
        if let Some(linked) = schema["linked_question"]["enum"].as_array() {
            self.asked.lock().unwrap().push(body.clone());
            let linked = match self.phrasing {
                Phrasing::Linked => linked[0].as_str().unwrap(),
                Phrasing::Unlinked => "",
                Phrasing::UnknownId => "closures",
                Phrasing::Down => return ResponseTemplate::new(500).set_body_string("down"),
            };
            return completion(
                &json!({"question": PHRASED, "linked_question": linked}).to_string(),
            );
        }
        // A grading request: its schema names the rubric's points.
        let points: Vec<Value> = schema["points"]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(|id| json!({"id": id, "score": 0, "evidence": "", "rationale": "not said"}))
            .collect();
        completion(&json!({"points": points, "misconceptions": []}).to_string())
    }
}

/// A stub server phrasing as told; the stub lives for the whole test run.
async fn stub(phrasing: Phrasing) -> (MockServer, &'static Stub) {
    let server = MockServer::start().await;
    let stub: &'static Stub = Box::leak(Box::new(Stub {
        phrasing,
        asked: Mutex::new(Vec::new()),
    }));
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(stub)
        .mount(&server)
        .await;
    (server, stub)
}

fn practice(server: &MockServer, dir: &Path, input: String) -> Command {
    let mut cmd = viva();
    cmd.env("OPENAI_BASE_URL", format!("{}/v1", server.uri()))
        .env("OPENAI_API_KEY", KEY)
        .env("VIVA_RETRY_BASE_MS", "1")
        .env("VIVA_NOW", NOW)
        .args([
            "practice",
            "--question",
            "gil-what-it-protects",
            "--no-cache",
        ])
        .arg("--history")
        .arg(dir.join("h.jsonl"))
        .write_stdin(input);
    cmd
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

async fn run(mut cmd: Command, dir: &Path) -> Out {
    let out = tokio::task::spawn_blocking(move || cmd.output().expect("viva runs"))
        .await
        .unwrap();
    let clean = |b: &[u8]| {
        scrub(&String::from_utf8_lossy(b)).replace(&scrub(&dir.display().to_string()), "[DIR]")
    };
    let out = Out {
        code: out.status.code().unwrap_or(-1),
        stdout: clean(&out.stdout),
        stderr: clean(&out.stderr),
    };
    assert!(
        !out.stdout.contains(KEY) && !out.stderr.contains(KEY),
        "the key is never printed"
    );
    out
}

fn history(dir: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join("h.jsonl")).unwrap();
    assert!(!text.contains(KEY), "the key is never stored");
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_phrased_follow_up_is_graded_against_the_linked_rubric() {
    let (server, stub) = stub(Phrasing::Linked).await;
    let dir = tempfile::tempdir().unwrap();
    let input = format!("{FIRST}\nf\n{SECOND}\nq\n");
    let out = run(practice(&server, dir.path(), input), dir.path()).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "", "no fallback");
    assert_snapshot!(out.stdout.replace(&server.uri(), "http://[STUB]"));
    let ids: Vec<String> = history(dir.path())
        .iter()
        .map(|v| v["question_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["gil-what-it-protects", "gil-release-points"]);
    // The model was shown the answer, what it missed and the linked
    // follow-ups it may probe.
    let asked = stub.asked.lock().unwrap();
    let prompt = asked[0]["messages"][0]["content"].as_str().unwrap();
    assert!(prompt.contains(FIRST.trim()), "{prompt}");
    assert!(
        prompt.contains("released-on-blocking-io (missed)"),
        "{prompt}"
    );
    assert!(prompt.contains("- id: gil-release-points:"), "{prompt}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_follow_up_no_linked_question_fits_is_kept_ungraded() {
    let (server, _) = stub(Phrasing::Unlinked).await;
    let dir = tempfile::tempdir().unwrap();
    let input = format!("{FIRST}\nf\n{SECOND}\nq\n");
    let out = run(practice(&server, dir.path(), input), dir.path()).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("not in the bank, so not graded"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Noted, not graded"), "{}", out.stdout);
    // After it, the prompt no longer offers a follow-up.
    assert!(
        out.stdout.contains("[n]ext question, [r]etry, [q]uit › q"),
        "{}",
        out.stdout
    );
    let lines = history(dir.path());
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["schema"], "viva.practice-ungraded/v1");
    assert_eq!(lines[1]["question_id"], "gil-what-it-protects");
    assert_eq!(lines[1]["follow_up"], PHRASED);
    assert_eq!(lines[1]["answer"], SECOND.trim());
    assert!(lines[1].get("percent").is_none());

    // Progress scores only the graded attempt; --question shows both.
    let progress = |args: &[&str]| {
        let out = viva()
            .env("VIVA_NOW", NOW)
            .arg("progress")
            .args(args)
            .arg("--history")
            .arg(dir.path().join("h.jsonl"))
            .output()
            .unwrap();
        assert!(out.stderr.is_empty(), "no skipped lines");
        String::from_utf8(out.stdout).unwrap()
    };
    let chart: Value = serde_json::from_str(&progress(&["--format", "json"])).unwrap();
    assert_eq!(chart["attempts"], 1, "{chart}");
    let side = progress(&["--question", "gil-what-it-protects"]);
    assert!(side.contains("1 attempt(s)"), "{side}");
    assert!(side.contains("Follow-ups the model asked"), "{side}");
    assert!(
        side.contains("A: It is released around blocking I/O"),
        "{side}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_reply_or_a_failing_endpoint_falls_back_to_the_bank() {
    for phrasing in [Phrasing::UnknownId, Phrasing::Down] {
        let (server, _) = stub(phrasing).await;
        let dir = tempfile::tempdir().unwrap();
        let out = run(
            practice(&server, dir.path(), format!("{FIRST}\nq\n")),
            dir.path(),
        )
        .await;
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "one warning: {}", out.stderr);
        assert!(
            out.stderr
                .starts_with("warning: the model did not phrase a follow-up ("),
            "{}",
            out.stderr
        );
        assert!(
            out.stdout
                .contains("Follow-up: gil-release-points  probes released-on-blocking-io"),
            "{}",
            out.stdout
        );
    }
}
