//! Command-line conventions: completion scripts, the man page, examples in
//! every subcommand's help, and filters that ignore case.

use crate::common::{code, stdout, viva};

#[test]
fn completions_are_generated_for_bash_zsh_and_fish() {
    for (shell, marker) in [
        ("bash", "complete -F _viva"),
        ("zsh", "#compdef viva"),
        ("fish", "complete -c viva"),
    ] {
        let out = stdout(viva().args(["completions", shell]));
        assert!(out.contains(marker), "{shell}: {out}");
        assert!(
            out.contains("batch") && out.contains("delimiter"),
            "{shell}"
        );
    }
    assert_eq!(code(viva().args(["completions", "tcsh"])), 2);
}

#[test]
fn the_man_page_is_roff_with_every_subcommand() {
    let out = stdout(viva().arg("man"));
    assert!(out.contains(".TH viva 1"), "{out}");
    for sub in ["grade", "batch", "report", "completions"] {
        assert!(out.contains(sub), "no {sub} in the man page");
    }
}

#[test]
fn every_subcommand_has_examples_in_its_help() {
    for sub in [
        "grade",
        "questions",
        "show",
        "rubric",
        "prompt",
        "config",
        "batch",
        "report",
        "practice",
        "progress",
        "completions",
        "man",
    ] {
        let out = stdout(viva().args([sub, "--help"]));
        assert!(
            out.contains("Examples:\n  viva "),
            "{sub} --help has no examples"
        );
    }
}

#[test]
fn topics_match_in_any_case() {
    let lower = stdout(viva().args(["questions", "--topic", "concurrency"]));
    let upper = stdout(viva().args(["questions", "--topic", "Concurrency"]));
    assert!(!lower.is_empty());
    assert_eq!(lower, upper);
}
