//! Compiled rubrics kept on disk between runs.
//!
//! Compiling a rubric (analysing and stemming its phrases, widening them by
//! the lexicon, interning the vocabulary) was more than half of the
//! instructions of an offline `viva grade`, and it gives the same result
//! every time for the same rubric and the same build of viva. So the first
//! run that compiles a rubric writes the result to the user's cache folder,
//! and later runs read it back, as Python keeps compiled modules in
//! `__pycache__`.
//!
//! What a stored rubric is keyed by makes a stale one impossible to read:
//! the file's name is a SHA-256 digest of everything compiling reads (the
//! rubric's points, contradictions, misconceptions' rules and sides, and the
//! bank's lexicon), inside a folder named after the running executable's
//! size and modification time, so a rebuilt or upgraded viva never reads
//! what another build wrote. A file that does not read back whole (a
//! checksum guards against a torn or altered file) is compiled again and
//! rewritten. Writing goes through a temporary file and a rename, so two
//! processes compiling the same rubric at once each leave a whole file.
//! Any failure to read or write only costs the compile it would have saved.
//!
//! The store is off unless the program enables it ([`enable_from_env`]):
//! the library's own users (tests, benches, tools) compile in memory. It
//! holds a folder per build of viva; the oldest beyond [`KEEP_BUILDS`] are
//! removed when a new one is made, and a folder keeps at most
//! [`MAX_RUBRICS`] rubrics.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use super::compile::CompiledRubric;
use crate::bank::Rubric;

/// The environment variable that moves the store (a folder) or turns it
/// off (`off`).
pub const ENV: &str = "VIVA_RUBRIC_CACHE";

/// Folders of other builds of viva kept beside the running build's: enough
/// for a developer alternating a few builds, bounded for everyone.
const KEEP_BUILDS: usize = 3;

/// Stored rubrics one build's folder holds at most: an author editing a
/// rubric leaves one file per version. Past this, the oldest go, down to
/// [`KEEP_RUBRICS`].
const MAX_RUBRICS: usize = 1000;
const KEEP_RUBRICS: usize = 750;

/// The first bytes of a stored rubric; the last one is the format's
/// version, raised whenever what is stored changes shape.
const MAGIC: &[u8; 8] = b"vivacr\x00\x06";

/// The folder of this build's stored rubrics, once enabled.
static FOLDER: OnceLock<Option<PathBuf>> = OnceLock::new();

/// Turns the store on for this process, in the folder `VIVA_RUBRIC_CACHE`
/// names or else `viva/rubrics` in the user's cache folder; `off` (or an
/// empty value) leaves it off. Only the first call has an effect.
pub fn enable_from_env() {
    FOLDER.get_or_init(|| {
        let root = match std::env::var_os(ENV) {
            Some(v) if v.is_empty() || v == "off" => return None,
            Some(v) => PathBuf::from(v),
            None => dirs::cache_dir()?.join("viva").join("rubrics"),
        };
        Some(root.join(build_id()?))
    });
}

/// The folder this build's compiled rubrics are kept in, when the store is
/// on (after [`enable_from_env`]).
pub fn folder() -> Option<&'static Path> {
    FOLDER.get()?.as_deref()
}

/// Where the store's setting comes from, for `viva config`.
pub fn origin() -> String {
    if std::env::var_os(ENV).is_some() {
        format!("env {ENV}")
    } else {
        "default".into()
    }
}

/// The running executable's size and modification time: a new build or
/// an upgrade changes them, so its rubrics are compiled afresh.
fn build_id() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "{}-{:x}-{:x}",
        env!("CARGO_PKG_VERSION"),
        meta.len(),
        modified.as_nanos()
    ))
}

/// The rubric compiled: read from the store when it holds it, else
/// compiled (and stored, when the store is on).
pub(super) fn compiled(rubric: &Rubric) -> CompiledRubric {
    let Some(Some(folder)) = FOLDER.get() else {
        return CompiledRubric::new(rubric);
    };
    let path = folder.join(format!("{}.bin", key(rubric)));
    if let Some(c) = read(&path) {
        return c;
    }
    let c = CompiledRubric::new(rubric);
    // Best effort: a read-only or full disk only costs the next run a
    // compile.
    let _ = write(folder, &path, &c);
    c
}

/// Hex SHA-256 of everything [`CompiledRubric::new`] reads of a rubric.
fn key(rubric: &Rubric) -> String {
    let misconceptions: Vec<_> = rubric.misconceptions.iter().map(|m| &m.rules).collect();
    // `deniable` is not part of a rubric's serialised form (it is derived
    // when the bank loads), so it is hashed on its own.
    let deniable: Vec<_> = rubric
        .points
        .iter()
        .map(|p| {
            (
                &p.rules.deniable,
                p.contradicts
                    .iter()
                    .map(|c| &c.deniable)
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let inputs = (
        &rubric.points,
        misconceptions,
        &rubric.sides,
        deniable,
        &rubric.lexicon.sets,
    );
    // Straight into the digest: building the JSON text first cost more
    // than hashing it.
    let mut hasher = Sha256::new();
    serde_json::to_writer(&mut hasher, &inputs).expect("a rubric serialises");
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A checksum of a stored payload: a torn or altered file must not read
/// back as some other valid rubric.
fn checksum(payload: &[u8]) -> [u8; 32] {
    Sha256::digest(payload).into()
}

fn read(path: &Path) -> Option<CompiledRubric> {
    let bytes = std::fs::read(path).ok()?;
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let (sum, payload) = rest.split_at_checked(32)?;
    if sum != checksum(payload) {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

fn write(folder: &Path, path: &Path, compiled: &CompiledRubric) -> std::io::Result<()> {
    let payload = postcard::to_allocvec(compiled).map_err(std::io::Error::other)?;
    if !folder.is_dir() {
        std::fs::create_dir_all(folder)?;
        prune(folder);
    }
    let tmp = folder.join(format!(
        ".{}.{}.tmp",
        path.file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("rubric"),
        std::process::id()
    ));
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(MAGIC)?;
    file.write_all(&checksum(&payload))?;
    file.write_all(&payload)?;
    drop(file);
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    trim(folder, MAX_RUBRICS, KEEP_RUBRICS);
    Ok(())
}

/// Removes the least recently written rubrics of a build's folder once it
/// holds more than `max`, keeping the newest `keep`.
fn trim(folder: &Path, max: usize, keep: usize) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    if files.len() <= max {
        return;
    }
    let mut dated: Vec<(std::time::SystemTime, PathBuf)> = files
        .into_iter()
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect();
    dated.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
    for (_, old) in dated.into_iter().skip(keep) {
        let _ = std::fs::remove_file(old);
    }
}

/// Removes the folders of other builds beyond the [`KEEP_BUILDS`] most
/// recently changed: every rebuild of viva starts a folder of its own.
fn prune(current: &Path) {
    let Some(root) = current.parent() else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let mut others: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p != current && p.is_dir())
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect();
    others.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
    for (_, old) in others.into_iter().skip(KEEP_BUILDS) {
        let _ = std::fs::remove_dir_all(old);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;
    use crate::grade::keyword::KeywordGrader;

    /// A rubric read back grades every example of the bank exactly as the
    /// rubric compiled in memory does.
    #[test]
    fn a_stored_rubric_grades_as_the_compiled_one() {
        let bank = Bank::embedded().expect("the embedded bank loads");
        let fresh = KeywordGrader::new("test");
        let mut examples = 0;
        for rubric in bank.rubrics() {
            let question = bank.question(&rubric.question).expect("question");
            let payload = postcard::to_allocvec(&CompiledRubric::new(rubric)).expect("serialises");
            let stored: CompiledRubric = postcard::from_bytes(&payload).expect("reads back");
            let again = KeywordGrader::with_compiled(rubric, stored);
            for e in &rubric.examples {
                let want = serde_json::to_string(&fresh.grade(question, rubric, &e.text)).unwrap();
                let got = serde_json::to_string(&again.grade(question, rubric, &e.text)).unwrap();
                assert_eq!(got, want, "{} {}", rubric.question, e.label);
                examples += 1;
            }
        }
        assert!(examples > 1000, "only {examples} examples graded");
    }

    #[test]
    fn a_stored_rubric_is_read_back_and_a_damaged_one_is_not() {
        let bank = Bank::embedded().expect("the embedded bank loads");
        let rubric = bank.rubric("mutable-default-arguments").expect("rubric");
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("build");
        let path = folder.join(format!("{}.bin", key(rubric)));
        write(&folder, &path, &CompiledRubric::new(rubric)).expect("writes");
        assert!(read(&path).is_some());

        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert!(read(&path).is_none(), "a changed byte must not read back");
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        assert!(read(&path).is_none(), "a torn file must not read back");
        std::fs::write(&path, b"not a rubric").unwrap();
        assert!(read(&path).is_none());
    }

    #[test]
    fn the_key_changes_with_anything_compiling_reads() {
        let bank = Bank::embedded().expect("the embedded bank loads");
        let rubric = bank.rubric("mutable-default-arguments").expect("rubric");
        let base = key(rubric);
        assert_eq!(key(rubric), base, "the key is deterministic");

        let mut r = rubric.clone();
        r.points[0].rules.groups[0].push("a new phrase".into());
        assert_ne!(key(&r), base, "a phrase");
        let mut r = rubric.clone();
        r.points[0].rules.deniable = vec![true];
        assert_ne!(key(&r), base, "deniable groups");
        let mut r = rubric.clone();
        r.misconceptions[0].rules.groups[0].push("another phrase".into());
        assert_ne!(key(&r), base, "a misconception's rules");
        let mut r = rubric.clone();
        r.sides = vec![vec!["left".into()], vec!["right".into()]];
        assert_ne!(key(&r), base, "sides");
        let mut r = rubric.clone();
        let mut lexicon = (*r.lexicon).clone();
        lexicon.sets.push(vec!["alpha".into(), "beta".into()]);
        r.lexicon = std::sync::Arc::new(lexicon);
        assert_ne!(key(&r), base, "the lexicon");
    }

    #[test]
    fn a_full_folder_keeps_its_newest_rubrics() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..6u64 {
            let p = dir.path().join(format!("{i}.bin"));
            std::fs::write(&p, b"x").unwrap();
            let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000 + i);
            std::fs::File::options()
                .write(true)
                .open(&p)
                .unwrap()
                .set_modified(t)
                .unwrap();
        }
        trim(dir.path(), 6, 2);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            6,
            "not over"
        );
        trim(dir.path(), 5, 2);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["4.bin", "5.bin"]);
    }

    #[test]
    fn only_the_newest_folders_of_other_builds_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        for (i, name) in ["a", "b", "c", "d", "e"].iter().enumerate() {
            let p = dir.path().join(name);
            std::fs::create_dir(&p).unwrap();
            let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000 + i as u64);
            std::fs::File::open(&p).unwrap().set_modified(t).unwrap();
        }
        let current = dir.path().join("now");
        std::fs::create_dir(&current).unwrap();
        prune(&current);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["c", "d", "e", "now"]);
    }
}
