//! `viva batch` intake mistakes recruiters make: a CSV without a header,
//! other header spellings, `;` delimiters, CRLF line endings, empty files,
//! and two inputs in one folder.

use insta::assert_snapshot;

use crate::common::{scrub, viva, write};

/// Runs `viva batch ARGS` in `dir` and renders exit code and stderr, with
/// the run's timing replaced.
fn batch(dir: &std::path::Path, args: &[&str]) -> String {
    let out = viva()
        .current_dir(dir)
        .arg("batch")
        .args(args)
        .output()
        .unwrap();
    let re = regex::Regex::new(r"wall time [0-9.]+ s, [0-9.]+ answers/s").unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    scrub(&format!(
        "exit: {}\n--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        re.replace_all(&stderr, "wall time [T] s, [R] answers/s")
    ))
}

const GIL: &str = "The GIL lets only one thread run Python bytecode at a time.";

#[test]
fn a_csv_without_a_header_is_refused_before_grading() {
    // Regression: the first answer was taken as the header, every other row
    // failed or nothing was graded, and the exit code was 0.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in.csv",
        format!("ann,gil-what-it-protects,{GIL}\nbob,gil-what-it-protects,{GIL}\n").as_bytes(),
    );
    assert_snapshot!(batch(dir.path(), &["in.csv"]));
    assert!(!dir.path().join("in.csv.journal.jsonl").exists());
}

#[test]
fn headers_in_other_spellings_and_semicolons_are_read() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in.csv",
        format!("Name;Question;Response\nann;gil-what-it-protects;{GIL}\n").as_bytes(),
    );
    assert_snapshot!(batch(dir.path(), &["in.csv"]));
}

#[test]
fn columns_and_delimiter_can_be_given() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in.csv",
        format!("who|asked|said\nann|gil-what-it-protects|{GIL}\n").as_bytes(),
    );
    let out = batch(
        dir.path(),
        &[
            "in.csv",
            "--delimiter",
            "|",
            "--columns",
            "candidate=Who,question_id=Asked,answer=Said",
        ],
    );
    assert!(out.starts_with("exit: 0\n"), "{out}");
    let bad = batch(dir.path(), &["in.csv", "--columns", "person=who"]);
    assert!(bad.starts_with("exit: 2\n"), "{bad}");
}

#[test]
fn an_empty_csv_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "in.csv", b"");
    assert_snapshot!(batch(dir.path(), &["in.csv"]));
}

#[test]
fn a_header_without_rows_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "in.csv", b"candidate,question_id,answer\n");
    assert_snapshot!(batch(dir.path(), &["in.csv"]));
}

#[test]
fn a_file_of_only_bad_rows_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in.csv",
        b"candidate,question_id,answer\nann,no-such-question,hello\nbob,gil-what-it-protects,\n",
    );
    assert_snapshot!(batch(dir.path(), &["in.csv"]));
}

#[test]
fn crlf_files_have_true_line_numbers_in_the_errors_file_and_journal() {
    // Regression: CRLF line numbers were one too low in both files.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in.csv",
        format!(
            "candidate,question_id,answer\r\nann,gil-what-it-protects,{GIL}\r\nbob,gil-what-it-protects,\r\ncy,gil-what-it-protects,\"two\r\nlines\"\r\n"
        )
        .as_bytes(),
    );
    let out = batch(dir.path(), &["in.csv", "--out", "j.jsonl", "-q"]);
    assert!(out.starts_with("exit: 1\n"), "{out}");
    let positions: Vec<u64> = std::fs::read_to_string(dir.path().join("j.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["position"]
                .as_u64()
                .unwrap()
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(positions, [2, 4]);
    let errors = std::fs::read_to_string(dir.path().join("j.errors.jsonl")).unwrap();
    assert!(errors.contains("\"line\":3"), "{errors}");
}

#[test]
fn two_inputs_in_one_folder_get_their_own_journals() {
    // Regression: x.csv and x.jsonl both wrote x.journal.jsonl.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "x.csv",
        format!("candidate,question_id,answer\nann,gil-what-it-protects,{GIL}\n").as_bytes(),
    );
    write(
        dir.path(),
        "x.jsonl",
        format!(
            "{}\n",
            serde_json::json!({"candidate": "bob", "question_id": "gil-what-it-protects", "answer": GIL})
        )
        .as_bytes(),
    );
    assert!(batch(dir.path(), &["x.csv", "-q"]).starts_with("exit: 0\n"));
    assert!(batch(dir.path(), &["x.jsonl", "-q"]).starts_with("exit: 0\n"));
    for (journal, candidate) in [
        ("x.csv.journal.jsonl", "ann"),
        ("x.jsonl.journal.jsonl", "bob"),
    ] {
        let text = std::fs::read_to_string(dir.path().join(journal)).unwrap();
        assert_eq!(text.lines().count(), 1, "{journal}");
        assert!(
            text.contains(&format!("\"candidate\":\"{candidate}\"")),
            "{journal}"
        );
    }
}

#[test]
fn a_journal_of_another_input_is_refused_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.csv", "b.csv"] {
        write(
            dir.path(),
            name,
            format!("candidate,question_id,answer\nann,gil-what-it-protects,{GIL}\n").as_bytes(),
        );
    }
    assert!(batch(dir.path(), &["a.csv", "-o", "j.jsonl"]).starts_with("exit: 0\n"));
    assert_snapshot!(batch(dir.path(), &["b.csv", "-o", "j.jsonl"]));
    let allowed = batch(
        dir.path(),
        &["b.csv", "-o", "j.jsonl", "--allow-other-input", "-q"],
    );
    assert!(allowed.starts_with("exit: 0\n"), "{allowed}");
}

#[test]
fn an_unwritable_journal_is_an_output_error() {
    // Regression: it exited 2 (usage) and hinted at --out when none was given.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in.csv",
        format!("candidate,question_id,answer\nann,gil-what-it-protects,{GIL}\n").as_bytes(),
    );
    std::fs::create_dir(dir.path().join("in.csv.journal.jsonl")).unwrap();
    assert_snapshot!("unwritable_default_journal", batch(dir.path(), &["in.csv"]));
    write(dir.path(), "file", b"");
    assert_snapshot!(
        "unwritable_out_journal",
        batch(dir.path(), &["in.csv", "--out", "file/j.jsonl"])
    );
}
