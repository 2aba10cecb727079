//! Every kind of unusable answer gets its own message, hint and exit code 4.

use insta::assert_snapshot;

use crate::common::{code, run, viva, write};

/// Grades a file by its name relative to its folder, so snapshots do not
/// carry the random temporary path.
fn grade(path: &std::path::Path) -> String {
    run(viva()
        .current_dir(path.parent().unwrap())
        .args(["grade", "gil-what-it-protects"])
        .arg(path.file_name().unwrap()))
}

#[test]
fn empty_answer() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "empty.txt", b" \n\n ");
    assert_snapshot!(grade(&p));
}

#[test]
fn binary_answer() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "a.txt", b"PK\x03\x04\x00\x00binary");
    assert_snapshot!(grade(&p));
}

#[test]
fn invalid_utf8_answer() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "a.txt", b"The GIL\nis \xe9t\xe9 a lock");
    assert_snapshot!(grade(&p));
}

#[test]
fn oversized_answer() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "a.txt", &vec![b'a'; 300 * 1024]);
    assert_snapshot!(grade(&p));
}

#[test]
fn missing_answer_file() {
    assert_snapshot!(run(viva().args([
        "grade",
        "gil-what-it-protects",
        "no/such/answer.md"
    ])));
}

#[test]
fn empty_stdin() {
    assert_eq!(
        code(
            viva()
                .args(["grade", "gil-what-it-protects", "-"])
                .write_stdin("")
        ),
        4
    );
}

#[test]
fn subtitle_with_no_spoken_text_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "a.vtt",
        b"WEBVTT\n\n00:00.000 --> 00:01.000\n\n",
    );
    assert_eq!(
        code(viva().args(["grade", "gil-what-it-protects"]).arg(&p)),
        4
    );
}

#[test]
fn empty_stdin_says_stdin() {
    // Regression: the hint spoke of writing the answer into "the file".
    assert_snapshot!(run(viva()
        .args(["grade", "gil-what-it-protects", "-"])
        .write_stdin("")));
}

#[test]
fn oversized_stdin() {
    assert_snapshot!(run(viva()
        .args(["grade", "gil-what-it-protects", "-"])
        .write_stdin(vec![b'a'; 300 * 1024])));
}
