//! `viva questions` and `viva show`.

use insta::assert_snapshot;

use crate::common::{run, stdout, viva};

#[test]
fn lists_one_topic() {
    assert_snapshot!(run(viva().args(["questions", "--topic", "memory"])));
}

#[test]
fn searches_ids_text_and_sources() {
    let out = stdout(viva().args(["questions", "--search", "gil"]));
    assert!(out.contains("gil-what-it-protects"));
    assert!(out.contains("why-gil-still-exists"));
    assert!(!out.contains("metaclasses"));
}

#[test]
fn filters_by_level() {
    let out = stdout(viva().args(["questions", "--level", "junior", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let qs = v.as_array().unwrap();
    assert!(!qs.is_empty());
    assert!(qs.iter().all(|q| q["level"] == "junior"));
}

#[test]
fn json_lists_sources() {
    let out = stdout(viva().args(["questions", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for q in v.as_array().unwrap() {
        for field in ["id", "text", "topic", "level", "sources"] {
            assert!(q.get(field).is_some(), "{q} lacks {field}");
        }
        for s in q["sources"].as_array().unwrap() {
            assert!(s["seed"].is_string() && s["text"].is_string());
        }
    }
}

#[test]
fn unknown_topic_lists_the_topics() {
    assert_snapshot!(run(viva().args(["questions", "--topic", "cooking"])));
}

#[test]
fn unknown_level() {
    assert_snapshot!(run(viva().args(["questions", "--level", "principal"])));
}

#[test]
fn shows_a_question_with_its_rubric() {
    assert_snapshot!(run(viva().args(["show", "gil-what-it-protects"])));
}

#[test]
fn show_as_json_carries_the_rubric() {
    let out = stdout(viva().args(["show", "gil-what-it-protects", "-f", "json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rubric"]["question"], "gil-what-it-protects");
    assert!(v["rubric"]["points"][0]["match"]["groups"].is_array());
}

#[test]
fn unknown_question_suggests_close_ids() {
    assert_snapshot!(run(viva()
        .args(["grade", "gil-what-it-protect", "-"])
        .write_stdin("x")));
    assert_snapshot!(run(viva().args(["show", "metaclass"])));
}
