//! `viva rubric draft`: banks drafted from questions and reference answers,
//! graded at once with `--bank`.

use insta::assert_snapshot;

use crate::common::{fixture, run, viva};

/// The keyword grade of `answer` to question `id` of the bank at `bank`,
/// as `viva grade --format json` reports it.
fn graded(bank: &std::path::Path, id: &str, answer: &str) -> serde_json::Value {
    let out = viva()
        .arg("--bank")
        .arg(bank)
        .args(["grade", id, "-", "--backend", "keyword", "--format", "json"])
        .write_stdin(answer.to_string())
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The score fraction of [`graded`].
fn fraction(bank: &std::path::Path, id: &str, answer: &str) -> f64 {
    graded(bank, id, answer)["total"]["fraction"]
        .as_f64()
        .unwrap()
}

fn draft_into(dir: &std::path::Path) -> String {
    run(viva()
        .args(["rubric", "draft"])
        .arg(fixture("draft/questions.csv"))
        .arg("--out")
        .arg(dir))
    .replace(&dir.display().to_string(), "BANK")
}

#[test]
fn drafts_a_bank_that_lints_tests_and_grades() {
    let dir = tempfile::tempdir().unwrap();
    let drafted = draft_into(dir.path());
    assert!(drafted.starts_with("exit: 0\n"), "{drafted}");
    assert!(
        drafted.contains("drafted 3 rubric(s), 7 key point(s)"),
        "{drafted}"
    );
    assert!(drafted.contains("written as `cache-design`"), "{drafted}");
    let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
    assert_snapshot!("draft_negative_statement", read("rubrics/3.6.toml"));
    assert_snapshot!("draft_naming_answer", read("rubrics/11.2.toml"));
    assert_snapshot!("draft_two_sentences", read("rubrics/cache-design.toml"));
    assert_snapshot!("draft_questions", read("questions/design.toml"));

    let lint = run(viva()
        .arg("--bank")
        .arg(dir.path())
        .args(["rubric", "lint"]));
    assert!(lint.starts_with("exit: 0\n"), "{lint}");
    assert!(lint.contains("0 errors"), "{lint}");
    let test = run(viva()
        .arg("--bank")
        .arg(dir.path())
        .args(["rubric", "test"]));
    assert!(test.starts_with("exit: 0\n"), "{test}");

    // An answer in other words earns the points it states.
    let grade = |answer: &str| fraction(dir.path(), "cache-design", answer);
    let good = grade(
        "Put the prices in Redis with a short TTL so they expire; when a price changes, invalidate that entry.",
    );
    let list = grade("redis, ttl, prices, expire, invalidate, stale");
    let restated = grade("I would add a cache in front of the slow pricing service.");
    assert!(good >= 0.8, "{good}");
    assert_eq!(list, 0.0);
    assert_eq!(restated, 0.0);
}

/// A reference answer says what is true, not which false beliefs to expect:
/// drafted alone, a rubric gives a confidently wrong answer in the
/// reference's words nearly full marks. Borrowing the false claims of the
/// bank's questions on the same subject takes that away, and costs the
/// reference and an honest plain answer nothing.
#[test]
fn drafts_borrow_the_false_claims_of_the_banks_questions_on_the_subject() {
    let question =
        "Why is using a mutable default argument a problem in Python, and how do you avoid it?";
    let reference = "Default argument values are evaluated once, when the def statement runs, not on \
        each call. A mutable default such as a list is therefore one object shared by every call that \
        does not pass the argument, so appending to it in one call shows up in the next. Use None as \
        the default and create a new list inside the function.";
    let wrong = "Default arguments are evaluated every time the function is called, so a list default \
        is always a fresh empty list and never shared between calls. That is why def f(items=[]) is \
        safe and the usual idiom; using None as a default is an outdated habit from Python 2.";
    let plain = "If you use a list as a default argument it keeps its values between calls, which \
        causes bugs. You should use None instead and create the list inside the function.";
    let draft = |dir: &std::path::Path, extra: &[&str]| {
        run(viva()
            .args([
                "rubric",
                "draft",
                "--id",
                "defaults",
                "--question",
                question,
            ])
            .args(["--reference", reference, "--out"])
            .arg(dir)
            .args(extra))
    };
    let (borrowing, alone) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let out = draft(borrowing.path(), &[]);
    assert!(out.starts_with("exit: 0\n"), "{out}");
    assert!(out.contains("borrowed "), "{out}");
    let out = draft(alone.path(), &["--no-borrow"]);
    assert!(!out.contains("borrowed "), "{out}");
    let file = std::fs::read_to_string(borrowing.path().join("rubrics/defaults.toml")).unwrap();
    assert!(
        file.contains("# Borrowed from the bank's question `mutable-default-arguments`"),
        "{file}"
    );
    let file = std::fs::read_to_string(alone.path().join("rubrics/defaults.toml")).unwrap();
    assert!(!file.contains("[[misconception]]"), "{file}");

    let score = |dir: &tempfile::TempDir, answer: &str| fraction(dir.path(), "defaults", answer);
    assert!(
        score(&alone, wrong) > 0.9,
        "without borrowing the wrong answer scores high"
    );
    // Each of its false sentences costs once, however many borrowed rules
    // name the claim.
    assert!(
        score(&borrowing, wrong) < 0.2,
        "{}",
        score(&borrowing, wrong)
    );
    let flagged = graded(borrowing.path(), "defaults", wrong);
    let ids: Vec<&str> = flagged["misconceptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"mutable-default-arguments.default-reevaluated-each-call"),
        "{ids:?}"
    );
    for honest in [reference, plain] {
        assert_eq!(score(&borrowing, honest), score(&alone, honest), "{honest}");
    }
    assert!(score(&borrowing, plain) >= 0.5);
    let lint = run(viva()
        .arg("--bank")
        .arg(borrowing.path())
        .args(["rubric", "lint", "--strict"]));
    // The one warning is drafting's own: points matched by their text.
    assert!(lint.contains("0 errors, 1 warnings"), "{lint}");
    assert!(lint.contains("have no `groups` or `regex`"), "{lint}");
    let test = run(viva()
        .arg("--bank")
        .arg(borrowing.path())
        .args(["rubric", "test"]));
    assert!(test.starts_with("exit: 0\n"), "{test}");
}

/// A derived contradiction is a guess at a point's opposite; where it
/// fires on the reference answer itself ("It does not make your code
/// thread-safe: `counter += 1` ... can race" against a point about threads
/// racing), the guess is wrong for that question and is left out, so the
/// drafted bank lints clean. The references are three of the embedded
/// bank's strong examples on which it once fired.
#[test]
fn derived_contradictions_that_fire_on_the_reference_are_left_out() {
    let bank = viva::bank::Bank::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("q.csv");
    let mut w = csv::Writer::from_path(&csv).unwrap();
    w.write_record(["question_id", "question", "reference_answer"])
        .unwrap();
    for id in [
        "gil-what-it-protects",
        "high-performance-async-api-server",
        "polymorphism-in-python",
    ] {
        let strong = bank
            .rubric(id)
            .unwrap()
            .examples
            .iter()
            .find(|e| e.label == "strong");
        w.write_record([id, &bank.question(id).unwrap().text, &strong.unwrap().text])
            .unwrap();
    }
    w.flush().unwrap();
    let out = run(viva()
        .args(["rubric", "draft"])
        .arg(&csv)
        .arg("--out")
        .arg(dir.path().join("bank")));
    assert!(out.contains("left out 3 derived contradiction(s)"), "{out}");
    let lint = run(viva()
        .arg("--bank")
        .arg(dir.path().join("bank"))
        .args(["rubric", "lint"]));
    assert!(lint.contains(" 0 errors"), "{lint}");
}

#[test]
fn existing_rubrics_are_kept_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    draft_into(dir.path());
    let path = dir.path().join("rubrics/11.2.toml");
    std::fs::write(&path, "# edited by hand\n").unwrap();
    let again = draft_into(dir.path());
    assert!(again.contains("kept 3 existing rubric(s)"), "{again}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "# edited by hand\n"
    );
    let forced = run(viva()
        .args(["rubric", "draft"])
        .arg(fixture("draft/questions.csv"))
        .arg("--out")
        .arg(dir.path())
        .arg("--force"));
    assert!(forced.starts_with("exit: 0\n"), "{forced}");
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("Private and public.")
    );
    // The question file does not list a question twice.
    let questions = std::fs::read_to_string(dir.path().join("questions/classes.toml")).unwrap();
    assert_eq!(questions.matches("id = \"11.2\"").count(), 1);
}

/// Drafts question `order-service` from a reference file into `bank`.
fn draft_order_service(reference: &std::path::Path, bank: &std::path::Path) {
    let out = run(viva()
        .args(["rubric", "draft", "--id", "order-service"])
        .args(["--question", "Design an order service."])
        .arg("--reference-file")
        .arg(reference)
        .arg("--out")
        .arg(bank));
    assert!(out.starts_with("exit: 0\n"), "{out}");
}

#[test]
fn one_question_from_flags_with_a_sectioned_reference() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("model.md");
    std::fs::write(
        &reference,
        "# Storage\nOrders are written to Postgres in one transaction.\n\n# Caching\n- Sessions are cached in Redis.\n- Keys expire after an hour.\n",
    )
    .unwrap();
    draft_order_service(&reference, &dir.path().join("bank"));
    let rubric =
        std::fs::read_to_string(dir.path().join("bank/rubrics/order-service.toml")).unwrap();
    for id in ["storage-1", "caching-2", "caching-3"] {
        assert!(rubric.contains(&format!("id = \"{id}\"")), "{rubric}");
    }
}

#[test]
fn bad_csv_input_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("q.csv");
    let draft = |text: &str| {
        std::fs::write(&csv, text).unwrap();
        run(viva()
            .current_dir(dir.path())
            .args(["rubric", "draft", "q.csv", "--out", "bank"]))
    };
    assert_snapshot!(
        "draft_missing_column",
        draft("question_id,question\nq1,Why?\n")
    );
    assert_snapshot!(
        "draft_empty_reference",
        draft("question_id,question,reference_answer\nq1,Why?,Because.\nq2,How?,\n")
    );
    assert_snapshot!(
        "draft_reference_without_words",
        draft("question_id,question,reference_answer\nq1,Why?,Because.\nq2,How?,???\n")
    );
    assert_snapshot!(
        "draft_bad_level",
        draft("question_id,question,reference_answer,level\nq1,Why?,Because it is.,expert\n")
    );
}

/// Drafts `csv` (written to `dir/q.csv`) into `dir/bank`, which it
/// returns; drafting must succeed.
fn draft_csv(dir: &std::path::Path, csv: &str) -> std::path::PathBuf {
    std::fs::write(dir.join("q.csv"), csv).unwrap();
    let drafted = run(viva()
        .current_dir(dir)
        .args(["rubric", "draft", "q.csv", "--out", "bank"]));
    assert!(drafted.starts_with("exit: 0\n"), "{drafted}");
    dir.join("bank")
}

/// A reference that picks one of the options its question offers is
/// matched by the words that tell that option from the others: naming the
/// other option earns nothing, and a closed compound ("runtime") counts as
/// its hyphenated parts.
#[test]
fn a_reference_that_picks_an_option_drafts_a_rubric_that_tells_them_apart() {
    let dir = tempfile::tempdir().unwrap();
    let bank = draft_csv(
        dir.path(),
        "question_id,question,reference_answer\n\
         bounds,\"Using an index outside the bounds of an array generates an error. \
         Is this a compilation error or a run-time error?\",Run-time error.\n",
    );
    let rubric = std::fs::read_to_string(bank.join("rubrics/bounds.toml")).unwrap();
    assert!(
        rubric.contains("# matched by 2 of: run | runtime · time | runtime"),
        "{rubric}"
    );
    let test = run(viva().arg("--bank").arg(&bank).args(["rubric", "test"]));
    assert!(test.starts_with("exit: 0\n"), "{test}");
    let grade = |answer: &str| fraction(&bank, "bounds", answer);
    assert_eq!(grade("It is a run-time error."), 1.0);
    assert_eq!(grade("runtime error"), 1.0);
    assert_eq!(grade("Compilation error."), 0.0);
    assert_eq!(grade("Not a compilation error: it fails at run time."), 1.0);
}

/// A reference that is a number ("2") or a formula ("log n") is all the
/// point says: its rubric loads and grades, where a point with no content
/// word used to leave the question ungradable.
#[test]
fn a_number_alone_drafts_a_rubric_that_grades() {
    let dir = tempfile::tempdir().unwrap();
    let bank = draft_csv(
        dir.path(),
        "question_id,question,reference_answer\n\
         children,What is the most children a node of a binary tree can have?,2\n\
         search,How many steps does binary search take on n sorted items?,log n\n\
         cache,Why is it fast?,\"?!. Results are cached, so repeated calls reuse them.\"\n",
    );
    let rubric = std::fs::read_to_string(bank.join("rubrics/children.toml")).unwrap();
    assert!(rubric.contains("# matched by 1 of: 2 | two"), "{rubric}");
    let lint = run(viva().arg("--bank").arg(&bank).args(["rubric", "lint"]));
    assert!(lint.contains("0 errors"), "{lint}");
    let test = run(viva().arg("--bank").arg(&bank).args(["rubric", "test"]));
    assert!(test.starts_with("exit: 0\n"), "{test}");
    let grade = |id: &str, answer: &str| fraction(&bank, id, answer);
    assert_eq!(
        grade("children", "At most two, a left and a right child."),
        1.0
    );
    assert_eq!(grade("children", "2"), 1.0);
    assert_eq!(grade("children", "Any number of children."), 0.0);
    assert_eq!(
        grade("search", "About log n steps, since it halves the range."),
        1.0
    );
    // Punctuation before the first sentence is no point of its own.
    let cache = std::fs::read_to_string(bank.join("rubrics/cache.toml")).unwrap();
    assert!(!cache.contains("text = \"?!.\"\n"), "{cache}");
    // With no word or number at all there is nothing to draft.
    let refused = run(viva().current_dir(dir.path()).args([
        "rubric",
        "draft",
        "--id",
        "q",
        "--question",
        "Why?",
        "--reference",
        "???",
        "--out",
        "bank",
    ]));
    assert!(refused.starts_with("exit: 2\n"), "{refused}");
    assert!(refused.contains("no word or number to match"), "{refused}");
}

#[test]
fn the_example_mohler_bank_lints_and_passes_its_self_tests() {
    let bank = crate::common::root().join("examples/banks/mohler");
    let lint = run(viva().arg("--bank").arg(&bank).args(["rubric", "lint"]));
    assert!(lint.starts_with("exit: 0\n"), "{lint}");
    assert!(lint.contains("49 questions, 1 topics, 0 errors"), "{lint}");
    let test = run(viva().arg("--bank").arg(&bank).args(["rubric", "test"]));
    assert!(test.starts_with("exit: 0\n"), "{test}");
}

/// The example bank is what drafting writes from the data set, untouched.
/// The data set lives beside the repo (`../shared/eval/mohler/`), on the
/// team's machines and in CI; elsewhere this check is skipped with a message.
#[test]
fn the_example_mohler_bank_is_drafting_output_untouched() {
    let root = crate::common::root();
    let data = root.join("../shared/eval/mohler/answers.csv");
    if !data.exists() {
        assert!(
            std::env::var_os("VIVA_REQUIRE_SEEDS").is_none(),
            "VIVA_REQUIRE_SEEDS is set but {} is missing",
            data.display()
        );
        eprintln!("skipped: no Mohler data set at ../shared/eval/mohler beside the repo");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut reader = csv::Reader::from_path(&data).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, q, r) = (col("question_id"), col("question"), col("reference_answer"));
    let mut w = csv::Writer::from_path(dir.path().join("q.csv")).unwrap();
    w.write_record([
        "question_id",
        "question",
        "reference_answer",
        "topic",
        "level",
    ])
    .unwrap();
    let mut seen = std::collections::HashSet::new();
    for row in reader.records() {
        let row = row.unwrap();
        if seen.insert(row[id].to_string()) {
            w.write_record([&row[id], &row[q], &row[r], "data-structures", "junior"])
                .unwrap();
        }
    }
    w.flush().unwrap();
    let out = run(viva()
        .args(["rubric", "draft"])
        .arg(dir.path().join("q.csv"))
        .arg("--out")
        .arg(dir.path().join("bank")));
    assert!(out.starts_with("exit: 0\n"), "{out}");
    for sub in ["questions", "rubrics"] {
        for entry in std::fs::read_dir(root.join("examples/banks/mohler").join(sub)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap();
            let drafted = std::fs::read_to_string(dir.path().join("bank").join(sub).join(name))
                .unwrap_or_default();
            assert_eq!(
                std::fs::read_to_string(&path).unwrap(),
                drafted,
                "{} differs from a fresh draft: run `BANK=examples/banks/mohler scripts/mohler-draft.sh`",
                path.display()
            );
        }
    }
}

mod with_an_llm {
    //! `--backend llm` against a stub endpoint on 127.0.0.1.

    use insta::assert_snapshot;
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use crate::common::{fixture, viva};

    fn completion(content: &str) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(json!({
            "id": "cmpl-1",
            "object": "chat.completion",
            "model": "stub-model",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 300, "completion_tokens": 120, "total_tokens": 420}
        }))
    }

    async fn draft(server: &MockServer, dir: &std::path::Path) -> std::process::Output {
        let mut cmd = viva();
        cmd.env("OPENAI_BASE_URL", format!("{}/v1", server.uri()))
            .env("OPENAI_API_KEY", "sk-test-key-never-printed")
            .env("VIVA_RETRY_BASE_MS", "10")
            .args([
                "rubric",
                "draft",
                "--backend",
                "llm",
                "--no-cache",
                "--model",
                "stub-model",
            ])
            .arg(fixture("draft/questions.csv"))
            .arg("--out")
            .arg(dir);
        tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_models_proposal_is_checked_and_written_with_derived_rules() {
        let s = MockServer::start().await;
        let proposal = json!({
            "points": [
                {"text": "Cache prices in Redis with a short expiry time.", "weight": 3},
                {"text": "Invalidate a cached price when it changes.", "weight": 2}
            ],
            "misconceptions": [
                {"text": "A cache never serves stale data.", "correction": "Until an entry expires or is invalidated, readers can see an old price."}
            ],
            "examples": [
                {"label": "strong", "text": "Keep prices in Redis with a short TTL, and delete the key when the price changes."},
                {"label": "partial", "text": "Put the prices in Redis."},
                {"label": "weak", "text": "Make the service faster."}
            ]
        });
        // Every question gets the same proposal but the second, which gets prose.
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .and(wiremock::matchers::body_string_contains(
                "access-specifiers",
            ))
            .respond_with(completion("Sure! Private and public."))
            .mount(&s)
            .await;
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .respond_with(completion(&proposal.to_string()))
            .mount(&s)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let out = draft(&s, dir.path()).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(
            stderr.contains(
                "warning: question `11.2`: the model's draft was not usable (not the JSON asked for"
            ),
            "{stderr}"
        );
        assert!(!stderr.contains("sk-test-key"), "{stderr}");
        let rubric = std::fs::read_to_string(dir.path().join("rubrics/cache-design.toml")).unwrap();
        assert_snapshot!("draft_llm_proposal", rubric);
        // The question that fell back was drafted offline from its reference.
        let offline = std::fs::read_to_string(dir.path().join("rubrics/11.2.toml")).unwrap();
        assert!(
            offline.contains("text = \"Private and public.\""),
            "{offline}"
        );
        // The drafted bank passes its own checks.
        let test = viva()
            .arg("--bank")
            .arg(dir.path())
            .args(["rubric", "test"])
            .output()
            .unwrap();
        assert_eq!(
            test.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&test.stdout)
        );
        // One request per question, each carrying the reference as data.
        let requests = s.received_requests().await.unwrap();
        assert_eq!(requests.len(), 3);
        let body: serde_json::Value = requests[0].body_json().unwrap();
        assert!(
            body["messages"][0]["content"]
                .as_str()
                .unwrap()
                .contains("<<<REFERENCE ")
        );
        assert_eq!(body["response_format"]["type"], "json_schema");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn an_endpoint_that_refuses_the_key_stops_drafting() {
        let s = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(401).set_body_string("bad key"))
            .mount(&s)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let out = draft(&s, dir.path()).await;
        assert_eq!(
            out.status.code(),
            Some(6),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!dir.path().join("rubrics/3.6.toml").exists());
    }
}

#[test]
fn a_long_sectioned_write_up_is_graded_with_evidence_for_each_section() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("model.md");
    std::fs::write(
        &reference,
        "# Storage\nOrders are written to Postgres in one transaction.\n\n\
         # Caching\nSessions are cached in Redis with an expiry.\n\n\
         # Failure handling\nPayment calls are retried with exponential backoff.\n",
    )
    .unwrap();
    let bank = dir.path().join("bank");
    draft_order_service(&reference, &bank);
    // A take-home write-up of about 20 KB: the claims sit in their sections
    // among paragraphs of other material.
    let filler = "The service exposes a small HTTP API behind a load balancer, and each team owns its deployment pipeline. ";
    let mut answer = String::new();
    for (heading, claim) in [
        (
            "Storage",
            "We write every order to Postgres inside a single transaction.",
        ),
        (
            "Caching",
            "User sessions live in Redis, each with an expiry.",
        ),
        (
            "Failure handling",
            "Calls to the payment provider are retried with exponential backoff.",
        ),
    ] {
        answer.push_str(&format!("## {heading}\n\n"));
        for _ in 0..60 {
            answer.push_str(filler);
        }
        answer.push_str(&format!("\n\n{claim}\n\n"));
    }
    assert!(answer.len() > 19_000, "{}", answer.len());
    let graded = viva()
        .arg("--bank")
        .arg(&bank)
        .args(["grade", "order-service", "-", "--format", "json"])
        .write_stdin(answer)
        .output()
        .unwrap();
    assert_eq!(
        graded.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&graded.stderr)
    );
    let g: serde_json::Value = serde_json::from_slice(&graded.stdout).unwrap();
    let evidence: Vec<&str> = g["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["evidence"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        evidence,
        [
            "We write every order to Postgres inside a single transaction.",
            "User sessions live in Redis, each with an expiry.",
            "Calls to the payment provider are retried with exponential backoff."
        ]
    );
    assert_eq!(g["total"]["fraction"], 1.0);
}

/// The mean score of each kind of probe answer (list, salad, reversed,
/// honest), printed for `--nocapture`.
fn probe_means<K: std::borrow::Borrow<str> + Ord>(
    scores: &std::collections::BTreeMap<K, Vec<f64>>,
) -> std::collections::BTreeMap<&'static str, f64> {
    let means: std::collections::BTreeMap<&'static str, f64> =
        ["list", "salad", "reversed", "honest"]
            .into_iter()
            .map(|kind| {
                let s = &scores[kind];
                (kind, s.iter().sum::<f64>() / s.len() as f64)
            })
            .collect();
    eprintln!(
        "means: list {:.3}, salad {:.3}, reversed {:.3}, honest {:.3}",
        means["list"], means["salad"], means["reversed"], means["honest"]
    );
    means
}

/// Probe answers written for the drafted Mohler bank before any was graded
/// (`tests/fixtures/drafted-probes/mohler.toml`): bare lists of the
/// reference's words, its words in wrong sentences, its words stating the
/// opposite, and honest answers in plain words, graded by the real binary.
///
/// Bare lists earn nothing anywhere, and a statement that negates what a
/// point says its subject does (the predicate and the word after it) is
/// denied. Keyword salad and reversals said without a negation ("makes a
/// copy" for "avoids copies") still score high on drafted rubrics, and many
/// honest paraphrases low: the means below are the state of things, checked
/// so they cannot get worse unnoticed, not goals.
#[test]
fn drafted_rubrics_resist_lists_and_negated_statements() {
    let bank = crate::common::root().join("examples/banks/mohler");
    let probes: toml::Value =
        toml::from_str(&std::fs::read_to_string(fixture("drafted-probes/mohler.toml")).unwrap())
            .unwrap();
    let grade = |id: &str, answer: &str| fraction(&bank, id, answer);
    let texts = |v: &toml::Value| -> Vec<String> {
        match v {
            toml::Value::String(s) => vec![s.clone()],
            toml::Value::Array(a) => a.iter().map(|s| s.as_str().unwrap().to_string()).collect(),
            _ => panic!("a probe is a string or a list of strings"),
        }
    };
    let kinds = ["list", "salad", "reversed", "honest"];
    let mut scores: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
    let mut by_answer = std::collections::HashMap::new();
    let questions = probes["question"].as_array().unwrap();
    assert!(questions.len() >= 8);
    for q in questions {
        let id = q["id"].as_str().unwrap();
        for kind in kinds {
            for text in texts(&q[kind]) {
                let s = grade(id, &text);
                eprintln!("{id:6} {kind:8} {s:.2}  {text}");
                if kind == "list" {
                    assert!(s <= 0.2, "{id}: a bare list scores {s}: {text}");
                }
                scores.entry(kind).or_default().push(s);
                by_answer.insert(text, s);
            }
        }
    }
    let means = probe_means(&scores);
    let mean = |k: &str| means[k];
    // Negated predicates, with the word after them, deny the point.
    for (denial, most) in [
        (
            "You combine the problem into one big subproblem and never divide or solve anything recursively.",
            0.5,
        ),
        (
            "In a do...while statement the block is not guaranteed to execute even once; the condition is checked first.",
            0.2,
        ),
        (
            "It does not split the array in two; it sorts the whole array in one pass without merging anything.",
            0.3,
        ),
        // A word of the point negated outright denies it (keyword/18).
        (
            "A pointer contains the value of another variable, never its address in memory.",
            0.0,
        ),
        (
            "It takes elements from right to left and puts each one at the end of the array, never among the sorted elements.",
            0.0,
        ),
    ] {
        assert!(
            by_answer[denial] <= most,
            "{} for {denial}",
            by_answer[denial]
        );
    }
    assert!(
        by_answer["Break it into smaller sub-problems, solve each recursively, and combine their results."]
            >= 0.9
    );
    // The state of things (see above): no worse than when written.
    assert!(mean("salad") <= 0.9, "salad {}", mean("salad"));
    assert!(mean("reversed") <= 0.55, "reversed {}", mean("reversed"));
    assert!(mean("honest") >= 0.45, "honest {}", mean("honest"));
}

/// Probe answers of the same four kinds for the other 34 questions of the
/// drafted Mohler bank (`tests/fixtures/drafted-probes/mohler-fresh.toml`),
/// written later by someone who saw only each question and its reference
/// answer, and graded once before any change: nobody tuned drafting to
/// them, so they measure what the probes above, written alongside the
/// drafting rules, no longer can. On short answers the keyword grader
/// cannot tell a reference's words in the wrong relations from the right
/// ones: salad scores nearly full marks and reversals more than half,
/// and a bare list earns full marks where the reference is itself a list
/// of names ("Private and public."). The bounds are the state of things
/// when measured (docs/drafting.md), checked so that they cannot get worse
/// unnoticed; they are not goals.
#[test]
fn drafted_rubrics_on_probes_nobody_tuned_to_are_no_worse_than_measured() {
    let bank = crate::common::root().join("examples/banks/mohler");
    let probes: toml::Value = toml::from_str(
        &std::fs::read_to_string(fixture("drafted-probes/mohler-fresh.toml")).unwrap(),
    )
    .unwrap();
    let questions = probes["question"].as_array().unwrap();
    assert_eq!(questions.len(), 34);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("probes.csv");
    let mut csv = csv::Writer::from_path(&input).unwrap();
    csv.write_record(["candidate", "question_id", "answer"])
        .unwrap();
    for q in questions {
        let id = q["id"].as_str().unwrap();
        for kind in ["list", "salad", "reversed", "honest"] {
            let texts: Vec<&str> = match &q[kind] {
                toml::Value::String(s) => vec![s.as_str()],
                toml::Value::Array(a) => a.iter().map(|s| s.as_str().unwrap()).collect(),
                _ => panic!("{id}: a probe is a string or a list of strings"),
            };
            for (n, text) in texts.iter().enumerate() {
                csv.write_record([format!("{id}|{kind}|{n}").as_str(), id, text])
                    .unwrap();
            }
        }
    }
    csv.flush().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let out = run(viva()
        .arg("--bank")
        .arg(&bank)
        .args(["batch", "--backend", "keyword", "-q", "-o"])
        .arg(&journal)
        .arg(&input));
    assert!(out.starts_with("exit: 0\n"), "{out}");
    let mut scores: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    for line in std::fs::read_to_string(&journal).unwrap().lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let candidate = record["candidate"].as_str().unwrap();
        let kind = candidate.split('|').nth(1).unwrap().to_string();
        let fraction = record["total"]["fraction"].as_f64().unwrap();
        eprintln!("{candidate:16} {fraction:.2}");
        scores.entry(kind).or_default().push(fraction);
    }
    let means = probe_means(&scores);
    let mean = |k: &str| means[k];
    assert_eq!(scores["honest"].len(), 68);
    assert!(mean("honest") >= 0.70, "honest {}", mean("honest"));
    assert!(mean("reversed") <= 0.60, "reversed {}", mean("reversed"));
    assert!(mean("list") <= 0.27, "list {}", mean("list"));
}

/// The report of a drafted point that an answer denies through one of its
/// words: no credit, and the quote that says the opposite, so a recruiter
/// can see why.
#[test]
fn a_denied_drafted_point_is_reported_with_its_quote() {
    let bank = crate::common::root().join("examples/banks/mohler");
    let out = viva()
        .arg("--bank")
        .arg(&bank)
        .args([
            "grade",
            "6.1",
            "-",
            "--backend",
            "keyword",
            "--color",
            "never",
        ])
        .write_stdin(
            "A pointer contains the value of another variable, never its address in memory.",
        )
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_snapshot!(
        "drafted_point_denied",
        String::from_utf8(out.stdout).unwrap()
    );
}

/// A question asking for the difference between two things drafts a
/// rubric that names them as its sides: a point said of the other one
/// earns nothing, the same words said of its own earn it.
#[test]
fn a_difference_question_drafts_its_sides() {
    let dir = tempfile::tempdir().unwrap();
    let bank = dir.path().join("bank");
    let out = run(viva()
        .args(["rubric", "draft", "--id", "ctor"])
        .args([
            "--question",
            "What is the difference between a constructor and a function?",
        ])
        .args([
            "--reference",
            "A constructor is called automatically whenever an object is created. \
             A function has to be called explicitly by name.",
        ])
        .arg("--out")
        .arg(&bank));
    assert!(out.starts_with("exit: 0\n"), "{out}");
    let rubric = std::fs::read_to_string(bank.join("rubrics/ctor.toml")).unwrap();
    assert!(
        rubric.contains("\nsides = [[\"constructor\"], [\"function\"]]\n"),
        "{rubric}"
    );
    let grade = |answer: &str| graded(&bank, "ctor", answer)["points"][1].clone();
    let swapped = grade("A constructor has to be called explicitly by name, like any other call.");
    assert_eq!(swapped["score"], 0.0, "{swapped}");
    assert_eq!(swapped["withheld"]["reason"], "other-side", "{swapped}");
    let right = grade("A function has to be called explicitly by name, like any other call.");
    assert_eq!(right["score"], 1.0, "{right}");
}
