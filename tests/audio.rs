//! Recorded answers against a stub transcription endpoint on 127.0.0.1:
//! the multipart request, verbose and plain responses, every failure the
//! endpoint can give, the quality gate, the transcript cache across
//! processes, and recordings in batch and practice. Test audio is a short
//! WAV made here; the stub decides what was "heard".

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use insta::assert_snapshot;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{scrub, viva};

const KEY: &str = "sk-test-SECRET-KEY-0123456789";

/// Half a second of a quiet tone: an 8 KB WAV.
fn wav() -> Vec<u8> {
    let samples: Vec<i16> = (0..4000)
        .map(|i| ((i as f64 * 0.3).sin() * 3000.0) as i16)
        .collect();
    viva::audio::wav_bytes(&samples, 8000)
}

fn write_wav(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, wav()).unwrap();
    p
}

/// A verbose_json transcript of a fair GIL answer: three segments, a
/// three-second pause, one filler.
fn verbose() -> Value {
    json!({
        "task": "transcribe",
        "language": "english",
        "duration": 22.0,
        "text": "The GIL is a lock in CPython that lets only one thread execute Python bytecode at a time. It protects the reference counts of every object from concurrent modification. Um, the GIL is released during blocking IO, so threads do speed up IO bound work.",
        "segments": [
            {"id": 0, "start": 0.0, "end": 6.0, "text": " The GIL is a lock in CPython that lets only one thread execute Python bytecode at a time.", "avg_logprob": -0.21, "no_speech_prob": 0.01, "compression_ratio": 1.3},
            {"id": 1, "start": 6.0, "end": 12.5, "text": " It protects the reference counts of every object from concurrent modification.", "avg_logprob": -0.25, "no_speech_prob": 0.02, "compression_ratio": 1.2},
            {"id": 2, "start": 15.5, "end": 21.0, "text": " Um, the GIL is released during blocking IO, so threads do speed up IO bound work.", "avg_logprob": -0.3, "no_speech_prob": 0.02, "compression_ratio": 1.25}
        ]
    })
}

/// The same words heard with low confidence on most of the speech.
fn mumbled() -> Value {
    let mut v = verbose();
    for s in v["segments"].as_array_mut().unwrap().iter_mut().skip(1) {
        s["avg_logprob"] = json!(-1.4);
        s["no_speech_prob"] = json!(0.7);
    }
    v
}

fn route() -> wiremock::MockBuilder {
    Mock::given(method("POST")).and(path("/v1/audio/transcriptions"))
}

/// `viva` with the stub as its transcription endpoint and offline keyword
/// grading, fast retries, no cache unless a test gives one.
fn cmd(s: &MockServer) -> Command {
    let mut c = viva();
    c.env("VIVA_STT_BASE_URL", format!("{}/v1", s.uri()))
        .env("OPENAI_API_KEY", KEY)
        .env("VIVA_RETRY_BASE_MS", "10")
        .env("VIVA_BACKEND", "keyword");
    c
}

/// [`cmd`] grading a recording of `gil-what-it-protects` as JSON, uncached.
fn grade_json(s: &MockServer, answer: &Path) -> Command {
    let mut c = cmd(s);
    c.args(["grade", "gil-what-it-protects", "--no-cache", "-f", "json"])
        .arg(answer);
    c
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

async fn run(mut c: Command) -> Out {
    let out = tokio::task::spawn_blocking(move || c.output().expect("viva runs"))
        .await
        .unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn clean(s: &MockServer, dir: &Path, text: &str) -> String {
    scrub(&text.replace(&dir.display().to_string(), "[DIR]")).replace(&s.uri(), "http://[STUB]")
}

/// The multipart fields of a request, name → value (the file's bytes as
/// their length).
fn fields(body: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    text.split("Content-Disposition: form-data; ")
        .skip(1)
        .map(|part| {
            let name = part.split('"').nth(1).unwrap_or_default().to_string();
            let value = part
                .split_once("\r\n\r\n")
                .map(|(_, v)| v.rsplit_once("\r\n--").map_or(v, |(v, _)| v))
                .unwrap_or_default();
            let value = if name == "file" {
                format!("{} bytes", value.len())
            } else {
                value.to_string()
            };
            (name, value)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recording_is_transcribed_and_graded_with_timed_quotes() {
    let s = MockServer::start().await;
    route()
        .respond_with(ResponseTemplate::new(200).set_body_json(verbose()))
        .expect(1)
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let answer = write_wav(dir.path(), "answer.wav");
    let mut c = cmd(&s);
    c.args([
        "grade",
        "gil-what-it-protects",
        "--no-cache",
        "--show-transcript",
    ])
    .arg(&answer);
    let out = run(c).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains(KEY) && !out.stderr.contains(KEY));
    assert_snapshot!(clean(&s, dir.path(), &out.stdout));

    let req = &s.received_requests().await.unwrap()[0];
    let header = |h: &str| {
        req.headers
            .get(h)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert!(header("content-type").starts_with("multipart/form-data; boundary="));
    assert_eq!(header("authorization"), format!("Bearer {KEY}"));
    let f = fields(&req.body);
    let names: Vec<&str> = f.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["file", "model", "response_format", "prompt"]);
    let audio = wav();
    assert!(
        req.body.windows(audio.len()).any(|w| w == audio.as_slice()),
        "the file part holds the recording byte for byte"
    );
    assert_eq!(f[1].1, "whisper-1");
    assert_eq!(f[2].1, "verbose_json");
    assert!(f[3].1.starts_with("GIL, "), "{}", f[3].1);
    let raw = String::from_utf8_lossy(&req.body);
    assert!(raw.contains("name=\"file\"; filename=\"answer.wav\"\r\nContent-Type: audio/wav"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_json_report_carries_transcript_quality_and_delivery() {
    let s = MockServer::start().await;
    route()
        .respond_with(ResponseTemplate::new(200).set_body_json(verbose()))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let answer = write_wav(dir.path(), "take-1");
    let mut c = cmd(&s);
    c.args([
        "grade",
        "gil-what-it-protects",
        "--no-cache",
        "-f",
        "json",
        "--stt-language",
        "en",
        "--stt-model",
        "gpt-4o-transcribe",
        "--no-stt-prompt",
    ])
    .arg(&answer);
    let out = run(c).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let g: Value = serde_json::from_str(&out.stdout).unwrap();
    let sp = &g["spoken"];
    assert_eq!(
        sp["audio"]["format"], "wav",
        "recognised without an extension"
    );
    assert_eq!(sp["audio"]["duration_secs"], 22.0);
    assert_eq!(sp["transcriber"]["model"], "gpt-4o-transcribe");
    assert_eq!(sp["transcriber"]["prompt"], Value::Null);
    assert_eq!(sp["transcript"]["segments"].as_array().unwrap().len(), 3);
    assert_eq!(sp["quality"]["poor"], false);
    assert_eq!(sp["delivery"]["fillers"], 1);
    assert_eq!(
        sp["delivery"]["long_pauses"][0],
        json!({"at": 12.5, "secs": 3.0})
    );
    let at: Vec<f64> = sp["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["at"].as_f64().unwrap())
        .collect();
    assert!(at.contains(&6.0) && at.contains(&15.5), "{at:?}");
    let req = &s.received_requests().await.unwrap()[0];
    let f = fields(&req.body);
    assert!(f.contains(&("language".into(), "en".into())));
    assert!(!f.iter().any(|(n, _)| n == "prompt"));
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_json_is_graded_without_timings() {
    let s = MockServer::start().await;
    route()
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"text": verbose()["text"]})))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let answer = write_wav(dir.path(), "answer.wav");
    let c = grade_json(&s, &answer);
    let out = run(c).await;
    // Half a second of audio for 40 words: plausible only because the
    // recording is too short for the rate check.
    assert_eq!(out.code, 0, "{}", out.stderr);
    let g: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(g["spoken"]["delivery"], Value::Null);
    assert_eq!(g["spoken"]["transcript"]["segments"], json!([]));
    assert!(g["total"]["fraction"].as_f64().unwrap() > 0.5);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_poor_transcript_is_flagged_and_exits_9() {
    let s = MockServer::start().await;
    route()
        .respond_with(ResponseTemplate::new(200).set_body_json(mumbled()))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let answer = write_wav(dir.path(), "answer.wav");
    let mut c = cmd(&s);
    c.args(["grade", "gil-what-it-protects", "--no-cache"])
        .arg(&answer);
    let out = run(c).await;
    assert_eq!(out.code, 9, "{}", out.stderr);
    assert_snapshot!(clean(
        &s,
        dir.path(),
        &format!("{}--- stderr\n{}", out.stdout, out.stderr)
    ));
    let c = grade_json(&s, &answer);
    let out = run(c).await;
    assert_eq!(out.code, 9);
    let g: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(g["flags"][0]["kind"], "poor-transcript");
    assert_eq!(g["spoken"]["quality"]["doubtful_share"], 0.67);
}

/// Answers a request that carries a prompt with what a derailed model
/// hears (dots, and nothing else), and one without with `verbose()`.
struct DerailedByPrompt;

impl wiremock::Respond for DerailedByPrompt {
    fn respond(&self, req: &wiremock::Request) -> ResponseTemplate {
        let prompted = fields(&req.body).iter().any(|(n, _)| n == "prompt");
        if prompted {
            ResponseTemplate::new(200).set_body_json(json!({
                "task": "transcribe", "language": "english", "duration": 22.0,
                "text": ". . . . . .",
                "segments": [
                    {"id": 0, "start": 0.0, "end": 22.0, "text": " . . . . . .", "avg_logprob": -0.9, "no_speech_prob": 0.4, "compression_ratio": 0.8}
                ]
            }))
        } else {
            ResponseTemplate::new(200).set_body_json(verbose())
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_transcript_derailed_by_the_prompt_is_heard_again_without_it() {
    let s = MockServer::start().await;
    route().respond_with(DerailedByPrompt).mount(&s).await;
    let dir = tempfile::tempdir().unwrap();
    let answer = write_wav(dir.path(), "answer.wav");
    let c = grade_json(&s, &answer);
    let out = run(c).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let g: Value = serde_json::from_str(&out.stdout).unwrap();
    let t = &g["spoken"]["transcriber"];
    assert_eq!(
        t["prompt"],
        Value::Null,
        "the kept transcript had no prompt"
    );
    let why = t["prompt_dropped"].as_str().unwrap();
    assert!(why.contains("words per minute"), "{why}");
    assert_eq!(g["spoken"]["quality"]["poor"], false);
    assert!(g["total"]["fraction"].as_f64().unwrap() > 0.5);
    let sent: Vec<bool> = s
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| fields(&r.body).iter().any(|(n, _)| n == "prompt"))
        .collect();
    assert_eq!(sent, [true, false]);
    // The report says so.
    let mut c = cmd(&s);
    c.args(["grade", "gil-what-it-protects", "--no-cache"])
        .arg(&answer);
    let out = run(c).await;
    assert!(
        out.stdout
            .contains("transcribed again without the prompt: heard with the question's terms"),
        "{}",
        out.stdout
    );
    // A transcript that passes is kept as heard: one request, the prompt sent.
    let s = MockServer::start().await;
    route()
        .respond_with(ResponseTemplate::new(200).set_body_json(verbose()))
        .mount(&s)
        .await;
    let c = grade_json(&s, &answer);
    let g: Value = serde_json::from_str(&run(c).await.stdout).unwrap();
    assert_eq!(g["spoken"]["transcriber"].get("prompt_dropped"), None);
    assert_eq!(s.received_requests().await.unwrap().len(), 1);
}

/// Runs `grade` on a WAV against a stub answering `response`.
async fn failing(response: ResponseTemplate, extra: &[&str]) -> (Out, usize) {
    let s = MockServer::start().await;
    route().respond_with(response).mount(&s).await;
    let dir = tempfile::tempdir().unwrap();
    let answer = write_wav(dir.path(), "answer.wav");
    let mut c = cmd(&s);
    c.args(["grade", "gil-what-it-protects", "--no-cache"])
        .args(extra)
        .arg(&answer);
    let mut out = run(c).await;
    out.stderr = clean(&s, dir.path(), &out.stderr);
    let n = s.received_requests().await.unwrap().len();
    (out, n)
}

#[tokio::test(flavor = "multi_thread")]
async fn endpoint_failures_each_say_what_to_fix() {
    let error = |status: u16, message: &str| {
        ResponseTemplate::new(status).set_body_json(
            json!({"error": {"message": message, "type": "invalid_request_error", "param": null, "code": null}}),
        )
    };
    let mut report = String::new();
    for (name, response, code, requests) in [
        ("401", error(401, "Incorrect API key provided"), 6, 1),
        (
            "404",
            error(404, "Invalid URL (POST /v1/audio/transcriptions)"),
            5,
            1,
        ),
        (
            "413",
            error(413, "Maximum content size limit (26214400) exceeded"),
            4,
            1,
        ),
        (
            "400 undecodable",
            error(
                400,
                "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'ogg', 'wav', 'webm']",
            ),
            4,
            1,
        ),
        // Heard again without the prompt before giving up.
        (
            "empty transcript",
            ResponseTemplate::new(200).set_body_json(json!({"text": ""})),
            4,
            2,
        ),
        ("503 three times", error(503, "overloaded"), 5, 3),
    ] {
        let (out, n) = failing(response, &["--max-attempts", "3"]).await;
        assert_eq!(out.code, code, "{name}: {}", out.stderr);
        assert_eq!(n, requests, "{name}: requests sent");
        assert!(!out.stderr.contains(KEY));
        report.push_str(&format!("## {name}: exit {}\n{}", out.code, out.stderr));
    }
    assert_snapshot!(report);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hanging_endpoint_times_out() {
    let slow = ResponseTemplate::new(200)
        .set_body_json(verbose())
        .set_delay(std::time::Duration::from_secs(30));
    let (out, _) = failing(slow, &["--timeout", "1", "--max-attempts", "1"]).await;
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("error: transcription failed: the endpoint did not answer within 1 s"),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_recordings_are_refused_before_upload() {
    let s = MockServer::start().await;
    route()
        .respond_with(ResponseTemplate::new(200).set_body_json(verbose()))
        .expect(0)
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("answer.mp3");
    std::fs::write(&fake, "this is not audio").unwrap();
    let big = dir.path().join("big.wav");
    let samples = vec![0i16; 600_000];
    std::fs::write(&big, viva::audio::wav_bytes(&samples, 16000)).unwrap();
    let mut report = String::new();
    for (file, extra) in [(&fake, vec![]), (&big, vec!["--stt-max-mb", "1"])] {
        let mut c = cmd(&s);
        c.args(["grade", "gil-what-it-protects", "--no-cache"])
            .args(extra)
            .arg(file);
        let out = run(c).await;
        assert_eq!(out.code, 4, "{}", out.stderr);
        report.push_str(&clean(&s, dir.path(), &out.stderr));
    }
    assert_snapshot!(report);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_transcript_is_cached_across_processes() {
    let s = MockServer::start().await;
    route()
        .respond_with(ResponseTemplate::new(200).set_body_json(verbose()))
        .expect(2)
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let answer = write_wav(dir.path(), "answer.wav");
    let cache = dir.path().join("cache");
    let grade = |extra: &[&str]| {
        let mut c = cmd(&s);
        c.args(["grade", "gil-what-it-protects", "-f", "json", "--cache-dir"])
            .arg(&cache)
            .args(extra)
            .arg(&answer);
        c
    };
    let first = run(grade(&[])).await;
    let second = run(grade(&[])).await;
    assert_eq!((first.code, second.code), (0, 0), "{}", second.stderr);
    let a: Value = serde_json::from_str(&first.stdout).unwrap();
    let b: Value = serde_json::from_str(&second.stdout).unwrap();
    assert_eq!(a["spoken"]["transcriber"]["cached"], false);
    assert_eq!(b["spoken"]["transcriber"]["cached"], true);
    assert_eq!(a["spoken"]["transcript"], b["spoken"]["transcript"]);
    // Another model is another transcription.
    let third = run(grade(&["--stt-model", "other"])).await;
    assert_eq!(third.code, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_transcript_exports_as_subtitles() {
    let s = MockServer::start().await;
    route()
        .respond_with(ResponseTemplate::new(200).set_body_json(verbose()))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let answer = write_wav(dir.path(), "answer.wav");
    for name in ["t.srt", "t.vtt"] {
        let mut c = cmd(&s);
        c.args([
            "grade",
            "gil-what-it-protects",
            "--no-cache",
            "-q",
            "--transcript-out",
        ])
        .arg(dir.path().join(name))
        .arg(&answer);
        assert_eq!(run(c).await.code, 0);
    }
    let srt = std::fs::read_to_string(dir.path().join("t.srt")).unwrap();
    assert!(
        srt.starts_with("1\n00:00:00,000 --> 00:00:06,000\nThe GIL is a lock"),
        "{srt}"
    );
    let vtt = std::fs::read_to_string(dir.path().join("t.vtt")).unwrap();
    assert!(
        vtt.contains("\n00:00:15.500 --> 00:00:21.000\nUm, the GIL"),
        "{vtt}"
    );
    // The subtitles grade like the recording.
    let out = run({
        let mut c = viva();
        c.args(["grade", "gil-what-it-protects", "-f", "json"])
            .arg(dir.path().join("t.srt"));
        c
    })
    .await;
    let g: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(g["total"]["fraction"].as_f64().unwrap() > 0.5);
}

#[test]
fn config_shows_the_transcription_settings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("viva.toml"),
        "[stt]\nmodel = \"whisper-large-v3\"\ntimeout_secs = 300\n",
    )
    .unwrap();
    let out = crate::common::run(
        viva()
            .current_dir(dir.path())
            .env("VIVA_CONFIG", "no-user-config.toml")
            .env("OPENAI_BASE_URL", "http://127.0.0.1:8080/v1")
            .env("VIVA_STT_LANGUAGE", "en")
            .args(["config", "--stt-max-mb", "100", "--cache-dir", "cache"]),
    );
    assert_snapshot!(out.replace(&dir.path().display().to_string(), "[DIR]"));
    let json = crate::common::stdout(
        viva()
            .current_dir(dir.path())
            .env("VIVA_CONFIG", "no-user-config.toml")
            .args([
                "config",
                "-f",
                "json",
                "--stt-url",
                "http://127.0.0.1:8098/v1",
            ]),
    );
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["stt"]["base_url"],
        json!({"value": "http://127.0.0.1:8098/v1", "origin": "flag"})
    );
    assert_eq!(v["stt"]["model"]["origin"], "file viva.toml");
}

#[test]
fn prompt_shows_the_transcription_request() {
    let dir = tempfile::tempdir().unwrap();
    let answer = write_wav(dir.path(), "answer.wav");
    let out = crate::common::run(
        viva()
            .env("OPENAI_API_KEY", KEY)
            .args([
                "prompt",
                "gil-what-it-protects",
                "--stt-url",
                "http://127.0.0.1:9/v1",
            ])
            .arg(&answer),
    );
    assert!(!out.contains(KEY));
    assert_snapshot!(out.replace(&dir.path().display().to_string(), "[DIR]"));
}

/// Answers a transcription with `verbose()`, except for a recording whose
/// upload names `cy.wav`, which the endpoint cannot decode.
struct PerFile;

impl wiremock::Respond for PerFile {
    fn respond(&self, req: &wiremock::Request) -> ResponseTemplate {
        let named = |n: &[u8]| req.body.windows(n.len()).any(|w| w == n);
        if named(b"filename=\"cy.wav\"") {
            ResponseTemplate::new(400).set_body_json(json!({"error": {
                "message": "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'ogg', 'wav', 'webm']",
                "type": "invalid_request_error", "param": "file", "code": "invalid_file_format"}}))
        } else {
            ResponseTemplate::new(200).set_body_json(verbose())
        }
    }
}

fn journal(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn batch_grades_audio_rows_and_records_the_one_that_fails() {
    let s = MockServer::start().await;
    route().respond_with(PerFile).mount(&s).await;
    let dir = tempfile::tempdir().unwrap();
    for name in ["ann.wav", "cy.wav", "eve.ogg"] {
        write_wav(dir.path(), name);
    }
    let csv = dir.path().join("in.csv");
    std::fs::write(
        &csv,
        "candidate,question_id,answer,recording\n\
         ann,gil-what-it-protects,,ann.wav\n\
         bob,gil-what-it-protects,The GIL is a lock that lets one thread run bytecode at a time.,\n\
         cy,gil-what-it-protects,,cy.wav\n\
         dee,gil-what-it-protects,,missing.wav\n\
         eve,list-vs-tuple,,eve.ogg\n",
    )
    .unwrap();
    let mut c = cmd(&s);
    c.args(["batch", "--no-cache", "-j", "2", "--stt-jobs", "1"])
        .arg(&csv);
    let out = run(c).await;
    assert_eq!(out.code, 1, "{}", out.stderr);
    let summary: String = clean(&s, dir.path(), &out.stderr)
        .lines()
        .filter(|l| !l.starts_with("wall time"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_snapshot!(summary);
    let lines = journal(&dir.path().join("in.csv.journal.jsonl"));
    let by = |c: &str| lines.iter().find(|l| l["candidate"] == c).unwrap().clone();
    let ann = by("ann");
    assert_eq!(ann["status"], "graded");
    assert_eq!(
        ann["spoken"]["transcript"]["segments"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(
        ann["answer"]
            .as_str()
            .unwrap()
            .starts_with("The GIL is a lock in CPython")
    );
    assert_eq!(by("bob")["status"], "graded");
    assert!(by("bob").get("spoken").is_none());
    let cy = by("cy");
    assert_eq!(cy["status"], "failed");
    assert_eq!(cy["failure"]["kind"], "undecodable-audio");
    assert_eq!(
        by("eve")["status"],
        "graded",
        "by content, whatever the name"
    );
    let errors = std::fs::read_to_string(dir.path().join("in.csv.errors.jsonl")).unwrap();
    assert!(errors.contains("\"kind\":\"missing-file\""), "{errors}");
    let sent = s.received_requests().await.unwrap().len();
    assert_eq!(sent, 3);

    // A rerun transcribes nothing again: graded recordings are skipped by
    // the digest of their audio, and the failed one waits for --retry-failed.
    let mut c = cmd(&s);
    c.args(["batch", "--no-cache", "-q"]).arg(&csv);
    run(c).await;
    assert_eq!(s.received_requests().await.unwrap().len(), sent);

    // The HTML report shows the transcript as the answer, graded as it is.
    let html = crate::common::stdout(
        viva()
            .args(["report", "-f", "html"])
            .arg(dir.path().join("in.csv.journal.jsonl")),
    );
    assert!(html.contains("Answer (transcript of"), "transcript heading");
    assert!(html.contains("Transcribed by whisper-1; transcript good."));
    assert!(!html.contains("This text is not the one graded"));

    // --no-answer-text keeps the transcript's timings, not its words.
    let mut c = cmd(&s);
    c.args(["batch", "--no-cache", "-q", "--no-answer-text", "--out"])
        .arg(dir.path().join("private.jsonl"))
        .arg(&csv);
    run(c).await;
    let private = journal(&dir.path().join("private.jsonl"));
    let ann = private.iter().find(|l| l["candidate"] == "ann").unwrap();
    assert!(ann.get("answer").is_none());
    assert_eq!(ann["spoken"]["transcript"]["text"], "");
    assert_eq!(ann["spoken"]["transcript"]["segments"][1]["text"], "");
    assert_eq!(ann["spoken"]["transcript"]["segments"][1]["start"], 6.0);
    assert_eq!(ann["spoken"]["quotes"].as_array().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn batch_reads_recordings_from_folders_and_jsonl() {
    let s = MockServer::start().await;
    route()
        .respond_with(ResponseTemplate::new(200).set_body_json(mumbled()))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("answers").join("ann");
    std::fs::create_dir_all(&sub).unwrap();
    write_wav(&sub, "gil-what-it-protects.m4a");
    std::fs::write(sub.join("list-vs-tuple.md"), "A list is mutable.").unwrap();
    let mut c = cmd(&s);
    c.args(["batch", "--no-cache", "-q", "--summary-format", "json"])
        .arg(dir.path().join("answers"));
    let out = run(c).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let summary: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        (
            summary["graded"].as_u64(),
            summary["poor_transcripts"].as_u64()
        ),
        (Some(2), Some(1))
    );

    let jsonl = dir.path().join("in.jsonl");
    write_wav(dir.path(), "r.wav");
    std::fs::write(
        &jsonl,
        "{\"candidate\":\"zed\",\"question_id\":\"gil-what-it-protects\",\"audio\":\"r.wav\"}\n",
    )
    .unwrap();
    let mut c = cmd(&s);
    c.args(["batch", "--no-cache", "-q"]).arg(&jsonl);
    assert_eq!(run(c).await.code, 0);
    let lines = journal(&dir.path().join("in.jsonl.journal.jsonl"));
    assert_eq!(lines[0]["flags"][0]["kind"], "poor-transcript");
}

#[tokio::test(flavor = "multi_thread")]
async fn practice_records_with_the_configured_command_then_grades() {
    let s = MockServer::start().await;
    route()
        .respond_with(ResponseTemplate::new(200).set_body_json(verbose()))
        .expect(2)
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let take = write_wav(dir.path(), "take.wav");
    // A fake recorder: writes a recording, and ignores the SIGINT that stops it.
    let recorder = format!("trap '' INT; cp '{}' {{file}}", take.display());
    let history = dir.path().join("history.jsonl");
    let mut c = cmd(&s);
    c.env("VIVA_NOW", "2026-03-01T09:00:00Z")
        .env("VIVA_RECORD_CMD", &recorder)
        .args([
            "practice",
            "--question",
            "gil-what-it-protects",
            "--record",
            "--no-cache",
        ])
        .arg("--history")
        .arg(&history)
        .write_stdin("\nq\n");
    let out = run(c).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    assert_snapshot!(clean(&s, dir.path(), &out.stdout));
    let h: Value = serde_json::from_str(std::fs::read_to_string(&history).unwrap().trim()).unwrap();
    assert_eq!(h["speech"]["words_per_minute"], 150.0);
    assert_eq!(h["speech"]["long_pauses"], 1);

    // The answer file may be a recording too, and progress shows the trend.
    let mut c = cmd(&s);
    c.env("VIVA_NOW", "2026-03-02T09:00:00Z")
        .args([
            "practice",
            "--question",
            "gil-what-it-protects",
            "--answer-file",
        ])
        .arg(&take)
        .args(["--cache-dir"])
        .arg(dir.path().join("cache"))
        .arg("--history")
        .arg(&history)
        .write_stdin("q\n");
    let _ = run(c).await;
    let progress = crate::common::stdout(viva().args(["progress", "--history"]).arg(&history));
    assert!(
        progress.contains("Speaking  2 spoken answer(s)"),
        "{progress}"
    );
    let json: Value = serde_json::from_str(&crate::common::stdout(
        viva()
            .args(["progress", "-f", "json", "--history"])
            .arg(&history),
    ))
    .unwrap();
    assert_eq!(json["speaking"]["answers"], 2);
    assert_eq!(json["speaking"]["words_per_minute"], 150.0);
    assert_eq!(json["speaking"]["words_per_minute_trend"], 0.0);
    assert_eq!(
        json["speaking"]["recent_fillers_per_minute"],
        json!([3.3, 3.3])
    );
}

#[test]
fn record_without_a_recorder_says_how_to_get_one() {
    let out = crate::common::run(viva().env("PATH", "/nonexistent").args([
        "practice",
        "--question",
        "gil-what-it-protects",
        "--record",
    ]));
    assert_snapshot!(out);
}

/// A server that knows only `json`: it rejects `verbose_json` as OpenAI
/// does for the gpt-4o transcription models.
struct JsonOnly;

impl wiremock::Respond for JsonOnly {
    fn respond(&self, req: &wiremock::Request) -> ResponseTemplate {
        if req.body.windows(12).any(|w| w == b"verbose_json") {
            ResponseTemplate::new(400).set_body_json(json!({"error": {
                "message": "response_format 'verbose_json' is not compatible with model 'gpt-4o-transcribe', use 'json' or 'text'",
                "type": "invalid_request_error", "param": "response_format", "code": "unsupported_value"}}))
        } else {
            ResponseTemplate::new(200).set_body_json(json!({"text": verbose()["text"]}))
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_without_verbose_json_is_asked_for_json() {
    let s = MockServer::start().await;
    route().respond_with(JsonOnly).expect(2).mount(&s).await;
    let dir = tempfile::tempdir().unwrap();
    let answer = write_wav(dir.path(), "answer.wav");
    let mut c = grade_json(&s, &answer);
    c.args(["--stt-model", "gpt-4o-transcribe"]);
    let out = run(c).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let g: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(g["spoken"]["delivery"], Value::Null);
    let last = &s.received_requests().await.unwrap()[1];
    assert!(fields(&last.body).contains(&("response_format".into(), "json".into())));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recording_on_stdin_is_recognised_by_its_content() {
    let s = MockServer::start().await;
    route()
        .respond_with(ResponseTemplate::new(200).set_body_json(verbose()))
        .expect(1)
        .mount(&s)
        .await;
    let mut c = cmd(&s);
    c.args([
        "grade",
        "gil-what-it-protects",
        "-",
        "--no-cache",
        "-f",
        "json",
    ])
    .write_stdin(wav());
    let out = run(c).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let g: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(g["spoken"]["audio"]["file"], "stdin");
    let raw = String::from_utf8_lossy(&s.received_requests().await.unwrap()[0].body).into_owned();
    assert!(raw.contains("filename=\"answer.wav\""));

    // Over the limit, stdin is read no further than it: the size is not known.
    let mut big = viva::audio::wav_bytes(&vec![0i16; 600_000], 16000);
    big.truncate(1_100_000);
    let mut c = cmd(&s);
    c.args(["grade", "gil-what-it-protects", "--stt-max-mb", "1"])
        .write_stdin(big);
    let out = run(c).await;
    assert_eq!(out.code, 4);
    assert_eq!(
        out.stderr.lines().next().unwrap(),
        "error: recording stdin is over the transcription endpoint's 1 MiB (1048576-byte) limit"
    );
}

#[test]
fn exported_requests_leave_recordings_out() {
    let dir = tempfile::tempdir().unwrap();
    write_wav(dir.path(), "ann.wav");
    let csv = dir.path().join("in.csv");
    std::fs::write(
        &csv,
        "candidate,question_id,answer,audio\n\
         ann,gil-what-it-protects,,ann.wav\n\
         bob,gil-what-it-protects,The GIL is a lock.,\n",
    )
    .unwrap();
    let out = dir.path().join("requests.jsonl");
    let code = crate::common::code(
        viva()
            .env("OPENAI_API_KEY", KEY)
            .args(["batch", "--export-requests"])
            .arg(&out)
            .arg(&csv),
    );
    assert_eq!(code, 1, "one row skipped");
    let lines = std::fs::read_to_string(&out).unwrap();
    assert_eq!(lines.lines().count(), 1);
    assert!(!lines.contains("audio sha256"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_markdown_report_says_when_quotes_were_said() {
    let s = MockServer::start().await;
    route()
        .respond_with(ResponseTemplate::new(200).set_body_json(verbose()))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let answer = write_wav(dir.path(), "answer.wav");
    let mut c = cmd(&s);
    c.args([
        "grade",
        "gil-what-it-protects",
        "--no-cache",
        "-f",
        "markdown",
    ])
    .arg(&answer);
    let out = run(c).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("transcribed by whisper-1. Transcript: good."),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Delivery: 0:18 speaking · 45 words · 150 wpm")
    );
    assert!(
        out.stdout
            .contains("from concurrent modification.” (at 0:06)")
    );
}

#[test]
fn bad_transcription_settings_are_usage_errors() {
    let out = crate::common::run(viva().args([
        "config",
        "--stt-language",
        "english",
        "--stt-url",
        "ftp://host/v1",
    ]));
    assert!(out.starts_with("exit: 2"), "{out}");
    assert!(
        out.contains("error: transcription URL `ftp://host/v1` must be http or https"),
        "{out}"
    );
    let out = crate::common::run(viva().args(["config", "--stt-language", "english"]));
    assert!(
        out.contains("transcription language `english` (flag) is not a two-letter ISO-639-1 code"),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mock_interview_can_be_answered_out_loud() {
    let s = MockServer::start().await;
    route()
        .respond_with(ResponseTemplate::new(200).set_body_json(verbose()))
        .expect(2)
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let take = write_wav(dir.path(), "take.wav");
    let recorder = format!("trap '' INT; cp '{}' {{file}}", take.display());
    let mut c = cmd(&s);
    c.env("VIVA_NOW", "2026-03-01T09:00:00Z")
        .env("VIVA_RECORD_CMD", &recorder)
        .env("VIVA_TEST_CLOCK", "60")
        .args(["practice", "--question", "gil-what-it-protects", "--record"])
        .args([
            "--mock",
            "30m",
            "--level",
            "senior",
            "--seed",
            "7",
            "--no-cache",
        ])
        .arg("--summary-out")
        .arg(dir.path().join("summary.md"))
        .arg("--history")
        .arg(dir.path().join("h.jsonl"))
        // Two answers, each recorded until Enter; then `q` ends it.
        .write_stdin("\n\nq\n");
    let out = run(c).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    assert_snapshot!(clean(&s, dir.path(), &out.stdout));
    let md = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(
        md.contains("## Speaking\n\n2 spoken answer(s): 150 wpm"),
        "{md}"
    );
    let history = std::fs::read_to_string(dir.path().join("h.jsonl")).unwrap();
    assert_eq!(
        history.matches("\"words_per_minute\":150.0").count(),
        2,
        "{history}"
    );
}
