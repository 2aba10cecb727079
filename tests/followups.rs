//! Follow-up questions: the bank's links and their lint.

use std::path::Path;

use insta::assert_snapshot;

use crate::common::{fixture, run, scrub, viva};

/// A bank in `dir` with the mini bank's rubric for questions `a`, `b`, `c`,
/// whose `follow_ups` lines are given.
fn linked_bank(dir: &Path, links: [&str; 3]) {
    std::fs::create_dir_all(dir.join("questions")).unwrap();
    std::fs::create_dir_all(dir.join("rubrics")).unwrap();
    let rubric = std::fs::read_to_string(fixture("mini-bank/rubrics/list-vs-tuple.toml")).unwrap();
    let mut questions = String::from("topic = \"basics\"\n");
    for (id, line) in ["a", "b", "c"].into_iter().zip(links) {
        questions.push_str(&format!(
            "\n[[question]]\nid = \"{id}\"\nlevel = \"junior\"\ntext = \"What is the difference between a list and a tuple?\"\n{line}\n"
        ));
        let r = rubric.replace(
            "question = \"list-vs-tuple\"",
            &format!("question = \"{id}\""),
        );
        std::fs::write(dir.join(format!("rubrics/{id}.toml")), r).unwrap();
    }
    std::fs::write(dir.join("questions/basics.toml"), questions).unwrap();
}

fn lint(dir: &Path) -> String {
    let out = run(viva().arg("--bank").arg(dir).args(["rubric", "lint"]));
    out.replace(&scrub(&dir.display().to_string()), "[BANK]")
}

#[test]
fn lint_refuses_unknown_ids_self_links_and_cycles() {
    let dir = tempfile::tempdir().unwrap();
    linked_bank(
        dir.path(),
        [
            "follow_ups = [\"b\", \"a\"]",
            "follow_ups = [\"c\", \"no-such-question\"]",
            "follow_ups = [\"a\"]",
        ],
    );
    assert_snapshot!(lint(dir.path()));
}

#[test]
fn lint_accepts_chains_that_branch_and_meet() {
    let dir = tempfile::tempdir().unwrap();
    linked_bank(
        dir.path(),
        ["follow_ups = [\"b\", \"c\"]", "follow_ups = [\"c\"]", ""],
    );
    let out = lint(dir.path());
    assert!(out.starts_with("exit: 0\n"), "{out}");
}

#[test]
fn show_lists_the_follow_ups_and_where_missed_points_lead() {
    let out = run(viva().args(["show", "gil-what-it-protects"]));
    assert!(
        out.contains("follow-up when missed: gil-release-points"),
        "{out}"
    );
    let follow_ups = out.split("Follow-ups\n").nth(1).unwrap_or_default();
    let follow_ups = follow_ups.split("\n\n").next().unwrap_or_default();
    assert_snapshot!(follow_ups);
}
