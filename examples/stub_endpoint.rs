//! A stub OpenAI-compatible endpoint with a fixed latency, for benchmarks.
//!
//! `cargo run --release --example stub_endpoint -- LATENCY_MS` prints its
//! base URL and answers every chat completion, after LATENCY_MS, with a full
//! verdict for `gil-what-it-protects`. It serves until killed.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::main]
async fn main() {
    let latency: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let points = [
        "one-thread-at-a-time",
        "protects-refcounts",
        "released-on-blocking-io",
        "cpu-bound-needs-processes",
        "not-thread-safety-for-user-code",
        "free-threaded-and-switching",
    ];
    let verdict: serde_json::Map<String, serde_json::Value> = points
        .iter()
        .map(|p| {
            (
                p.to_string(),
                json!({"score": 1, "evidence": "only one thread", "rationale": "stated"}),
            )
        })
        .collect();
    let content = json!({"points": verdict, "misconceptions": {}}).to_string();
    let body = json!({
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 900, "completion_tokens": 250}
    });
    // Recording every request would grow without bound over a long bench.
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(body)
                .set_delay(Duration::from_millis(latency)),
        )
        .mount(&server)
        .await;
    println!("{}/v1", server.uri());
    std::future::pending::<()>().await;
}
