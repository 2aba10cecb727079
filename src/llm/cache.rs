//! A content-addressed cache of endpoint responses on disk.
//!
//! The key is a SHA-256 of the endpoint URL and the request body: model,
//! messages, temperature, seed, token limit and response format, which is
//! everything that changes the response and nothing else. The prompt is a
//! pure function of what is graded, so the same grading is answered from
//! disk and reruns are free and reproducible. Credentials are never part of
//! what is hashed or stored.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Hex SHA-256 of a string.
pub fn digest(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// Lowercase hex. A batch takes two digests per answer, and formatting
/// each byte through `format!` allocated a string per byte.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(dir: &Path) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
        }
    }

    /// The cache key of a request to `url` (the full endpoint URL) with
    /// `body`. The body is serialised with sorted object keys, so the key does
    /// not depend on the order fields were set in.
    pub fn key(url: &str, body: &serde_json::Value) -> String {
        Cache::key_of_json(url, body.to_string().as_bytes())
    }

    /// [`Cache::key`] of a body already serialised (compact, as `Display`
    /// writes it): a request is serialised once, for its key and to send.
    pub fn key_of_json(url: &str, body: &[u8]) -> String {
        let mut h = Sha256::new();
        h.update(url.as_bytes());
        h.update(b"\n");
        h.update(body);
        hex(&h.finalize())
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(format!("{key}.json"))
    }

    pub fn get(&self, key: &str) -> Option<serde_json::Value> {
        let text = std::fs::read_to_string(self.path(key)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Stores a response; failures are ignored (the cache is an optimisation).
    pub fn put(&self, key: &str, response: &serde_json::Value) {
        let path = self.path(key);
        if let Some(parent) = path.parent()
            && std::fs::create_dir_all(parent).is_ok()
        {
            let tmp = path.with_extension(format!("tmp{}", std::process::id()));
            if std::fs::write(&tmp, response.to_string()).is_ok() {
                let _ = std::fs::rename(&tmp, &path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body() -> serde_json::Value {
        json!({
            "model": "m",
            "messages": [{"role": "user", "content": "answer"}],
            "temperature": 0.0,
            "max_tokens": 4096,
            "seed": 7,
            "response_format": {"type": "json_object"},
        })
    }

    #[test]
    fn a_digest_is_the_lowercase_hex_sha256() {
        // `printf abc | sha256sum`
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
    }

    #[test]
    fn a_serialised_body_has_the_same_key_as_its_value() {
        let url = "http://127.0.0.1:9090/v1/chat/completions";
        let json = serde_json::to_vec(&body()).unwrap();
        assert_eq!(Cache::key_of_json(url, &json), Cache::key(url, &body()));
    }

    #[test]
    fn the_key_covers_everything_that_changes_the_response() {
        let url = "http://127.0.0.1:8080/v1/chat/completions";
        let base = Cache::key(url, &body());
        assert_eq!(base, Cache::key(url, &body()), "same request, same key");
        let mut reordered = serde_json::Map::new();
        for (k, v) in body().as_object().unwrap().iter().rev() {
            reordered.insert(k.clone(), v.clone());
        }
        assert_eq!(base, Cache::key(url, &reordered.into()));
        let changes = [
            ("model", json!("other")),
            ("messages", json!([{"role": "user", "content": "answer!"}])),
            ("temperature", json!(0.7)),
            ("max_tokens", json!(8192)),
            ("seed", json!(8)),
            ("response_format", json!({"type": "json_schema"})),
        ];
        for (field, value) in changes {
            let mut b = body();
            b[field] = value;
            assert_ne!(base, Cache::key(url, &b), "{field}");
        }
        assert_ne!(
            base,
            Cache::key("http://127.0.0.1:9090/v1/chat/completions", &body())
        );
    }
}
