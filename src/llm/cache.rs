//! A content-addressed cache of endpoint responses on disk.
//!
//! The key is a SHA-256 of the base URL and the request body (model, prompt,
//! sampling settings): the same request is answered from disk, so reruns are
//! free and reproducible. Credentials are never part of what is hashed or stored.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Hex SHA-256 of a string.
pub fn digest(s: &str) -> String {
    let mut h = Sha256::new();
    h.update(s.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
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

    pub fn key(base_url: &str, body: &serde_json::Value) -> String {
        digest(&format!("{base_url}\n{body}"))
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
