//! Running the binary under test with a pinned environment and turning what
//! it did into one snapshot-friendly string.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repo root, where `examples/` and `tests/fixtures/` live.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

pub fn example(rel: &str) -> PathBuf {
    root().join("examples/answers").join(rel)
}

/// `viva` with an environment that cannot leak in from the developer's
/// shell: no colour, no endpoint, no alternate bank, a private home.
pub fn viva() -> Command {
    Command::from_std(viva_std())
}

/// The same, as a plain `std::process::Command`, for tests that spawn the
/// process and signal or kill it.
pub fn viva_std() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("viva"));
    for var in [
        "VIVA_BANK",
        "VIVA_MODEL",
        "OPENAI_BASE_URL",
        "OPENAI_API_KEY",
        "VIVA_BACKEND",
        "VIVA_CONFIG",
        "VIVA_STT_BASE_URL",
        "VIVA_STT_MODEL",
        "VIVA_STT_LANGUAGE",
        "VIVA_STT_MAX_MB",
        "VIVA_RECORD_CMD",
        "COLUMNS",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1");
    cmd.env("VIVA_TEST_MODE", "1");
    // Compiled rubrics stay in memory: no test writes to the user's cache
    // (tests of the store name a folder of their own).
    cmd.env("VIVA_RUBRIC_CACHE", "off");
    cmd.current_dir(root());
    cmd
}

/// Runs the command and renders exit code, stdout and stderr for a snapshot,
/// with machine-specific paths replaced.
pub fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("viva runs");
    let code = out
        .status
        .code()
        .map_or("signal".to_string(), |c| c.to_string());
    let text = format!(
        "exit: {code}\n--- stdout\n{}--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    scrub(&text)
}

pub fn scrub(text: &str) -> String {
    let root = root();
    let mut text = text.replace(&root.display().to_string(), "[ROOT]");
    let tmp = std::env::temp_dir();
    text = text.replace(&tmp.display().to_string(), "[TMP]");
    text
}

/// The exit code alone.
pub fn code(cmd: &mut Command) -> i32 {
    cmd.output().expect("viva runs").status.code().unwrap_or(-1)
}

pub fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().expect("viva runs").stdout).expect("utf-8 stdout")
}

#[allow(dead_code)]
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p
}

/// Every file under `dir`, at any depth.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
