//! `viva practice --record`: answering out loud. A recorder command runs
//! until Enter, writing a WAV file that is then transcribed and graded.
//!
//! The command is `VIVA_RECORD_CMD` when set, else `rec` (sox) or `arecord`
//! when installed. `{file}` in it stands for the file to write (appended
//! when absent), which is also in `VIVA_RECORD_FILE`. It runs under `sh`
//! in a process group of its own, so the terminal's Ctrl-C reaches viva
//! only, and stopping it is one SIGINT to that group (which lets sox and
//! arecord finish the WAV header), then a kill if it lingers.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// Recorders tried when `VIVA_RECORD_CMD` is not set: mono 16 kHz WAV,
/// what transcription models use.
const DEFAULTS: &[(&str, &str)] = &[
    ("rec", "rec -q -c 1 -r 16000 -b 16 {file}"),
    ("arecord", "arecord -q -f S16_LE -c 1 -r 16000 {file}"),
];

/// Whether `program` is on the PATH.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

/// The recorder command, checked before the session starts.
pub fn command() -> Result<String> {
    if let Some(cmd) = std::env::var("VIVA_RECORD_CMD")
        .ok()
        .filter(|c| !c.trim().is_empty())
    {
        return Ok(cmd);
    }
    DEFAULTS
        .iter()
        .find(|(program, _)| on_path(program))
        .map(|(_, cmd)| cmd.to_string())
        .ok_or_else(|| {
            Error::usage(
                "--record needs a recorder, but neither `rec` (sox) nor `arecord` is installed and VIVA_RECORD_CMD is not set",
                "install sox (`apt-get install sox`) or alsa-utils, or set VIVA_RECORD_CMD, e.g. \
'ffmpeg -loglevel error -f pulse -i default {file}'",
            )
        })
}

/// `'path'` for `sh`, with any single quote escaped.
fn quoted(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

/// Starts recording into `file`.
pub fn start(command: &str, file: &Path) -> std::io::Result<Child> {
    let line = if command.contains("{file}") {
        command.replace("{file}", &quoted(file))
    } else {
        format!("{command} {}", quoted(file))
    };
    use std::os::unix::process::CommandExt;
    Command::new("sh")
        .arg("-c")
        .arg(line)
        .process_group(0)
        .env("VIVA_RECORD_FILE", file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
}

/// Sends `signal` to the recorder's process group.
fn signal_group(child: &Child, signal: &str) {
    let _ = Command::new("kill")
        .args([signal, "--", &format!("-{}", child.id())])
        .stderr(Stdio::null())
        .status();
}

/// Stops the recorder: SIGINT (recorders finish their file on it), then
/// a kill after three seconds. A recorder that has not created `file` yet
/// is given up to five seconds to start, so a quick Enter cannot kill it
/// before it wrote anything.
pub fn stop(mut child: Child, file: &Path) {
    let started = Instant::now() + Duration::from_secs(5);
    while !file.exists() && Instant::now() < started && matches!(child.try_wait(), Ok(None)) {
        std::thread::sleep(Duration::from_millis(20));
    }
    if matches!(child.try_wait(), Ok(None)) {
        signal_group(&child, "-INT");
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if !matches!(child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        signal_group(&child, "-KILL");
        let _ = child.kill();
    }
    let _ = child.wait();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_put_where_the_command_says() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("it's.wav");
        let child = start("printf x > {file}", &file).unwrap();
        stop(child, &file);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
        let other = dir.path().join("b.wav");
        stop(start("touch", &other).unwrap(), &other);
        assert!(other.exists());
    }
}
