//! `viva report` on hand-made journals: every format, journal problems, and
//! hostile journal text in the HTML report.
//!
//! `fixtures/journals/cohort.jsonl` holds four candidates and three
//! questions graded by the real keyword grader, one record marked up as an
//! LLM grading with review flags, a failure, a failure superseded by a later
//! retry, a bad line, a torn last line (a batch still writing), and a
//! candidate and an answer carrying script payloads.

use insta::assert_snapshot;

use crate::common::{code, fixture, run, stdout, viva, write};

const COHORT: &str = "tests/fixtures/journals/cohort.jsonl";

fn report(format: &str) -> String {
    run(viva().args(["report", COHORT, "--format", format]))
}

/// 2024-06-01 12:00 UTC, the generation time of every HTML report here.
const EPOCH: &str = "1717243200";

fn html() -> String {
    stdout(
        viva()
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .args(["report", COHORT, "-f", "html"]),
    )
}

/// The part of `html` from `start` to the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &html[from..];
    &rest[..rest
        .find(end)
        .unwrap_or_else(|| panic!("no {end} after {start}"))]
}

/// One order of the score matrix, from its `<div class="order...">`.
fn matrix<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!(r#"id="{id}">"#))
        .unwrap_or_else(|| panic!("no order {id}"));
    let rest = &html[start..];
    &rest[..rest.find("</table>").unwrap()]
}

/// The candidate names of a matrix's rows, top to bottom.
fn row_names(table: &str) -> Vec<String> {
    let re = regex::Regex::new(
        r##"<th scope="row"><span class="muted">\d+\.</span> <a href="#c\d+">([^<]*)</a>"##,
    )
    .unwrap();
    re.captures_iter(table).map(|c| c[1].to_string()).collect()
}

#[test]
fn report_as_text() {
    assert_snapshot!(report("text"));
}

#[test]
fn report_as_markdown() {
    assert_snapshot!(report("markdown"));
}

#[test]
fn report_as_csv() {
    assert_snapshot!(report("csv"));
}

#[test]
fn report_as_json() {
    assert_snapshot!(report("json"));
}

#[test]
fn html_shows_journal_text_as_text() {
    let html = html();
    // The report has no script of its own, so any <script> came from the data.
    assert!(
        !html.to_lowercase().contains("<script"),
        "raw <script> in HTML"
    );
    assert!(!html.contains("<img"), "raw <img> in HTML");
    assert!(
        !html.contains("document.title='PWNED'"),
        "raw payload in HTML"
    );
    let handler = regex::Regex::new(r"<[a-zA-Z][^>]*\son[a-z]+\s*=").unwrap();
    assert!(
        !handler.is_match(&html),
        "an event-handler attribute in HTML"
    );
    for escaped in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;img src=x onerror=alert(1)&gt;",
        "document.title=&#39;PWNED&#39;",
        "onerror=&quot;document.title",
        "What is Python&#39;s GIL",
    ] {
        assert!(html.contains(escaped), "missing escaped text {escaped}");
    }
}

#[test]
fn report_as_html() {
    assert_snapshot!(html());
}

#[test]
fn html_is_one_self_contained_file() {
    let html = html();
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(!html.contains("src=\""));
    let href = regex::Regex::new(r#"href="([^"]*)""#).unwrap();
    for link in href.captures_iter(&html) {
        assert!(
            link[1].starts_with('#'),
            "a link out of the page: {}",
            &link[1]
        );
    }
    assert!(html.contains(
        r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">"#
    ));
    assert_eq!(html.matches("<svg").count(), 2, "histogram and topic bars");
    assert!(html.contains("@media print"));
    for section in [
        "Ranking",
        "Questions",
        "Most missed key points",
        "Flagged answers",
        "Candidates",
    ] {
        assert!(
            html.contains(&format!("<h2>{section}</h2>")),
            "no {section}"
        );
    }
}

#[test]
fn html_ids_and_links_are_made_from_ranks_not_names() {
    let html = html();
    let id = regex::Regex::new(r#"\bid="([^"]*)""#).unwrap();
    let safe = regex::Regex::new(
        r"^(c\d+|a\d+-\d+|by-(rank|name)(-hardest)?|ranking|questions|flags|candidates|hist-title|topic-title)$",
    )
    .unwrap();
    let ids: Vec<&str> = id
        .captures_iter(&html)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    for i in &ids {
        assert!(safe.is_match(i), "an id not derived from ranks: {i}");
    }
    let href = regex::Regex::new(r##"href="#([^"]*)""##).unwrap();
    for link in href.captures_iter(&html) {
        assert!(
            ids.contains(&&link[1]),
            "a link to no element: #{}",
            &link[1]
        );
    }
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "duplicate ids");
}

#[test]
fn html_matrix_has_a_cell_per_candidate_and_question() {
    let html = html();
    let ranking = matrix(&html, "by-rank");
    assert_eq!(
        row_names(ranking),
        [
            "Ann Lee",
            "Chloé Martin",
            "Bob Stone",
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        ]
    );
    assert_eq!(ranking.matches(r#"<td class="cell "#).count(), 4 * 3);
    // Ann answered concurrency-vs-parallelism (Q1) with 54.6%.
    assert!(ranking.contains(r##"<td class="cell mid"><a href="#a1-1" title="Q1 concurrency-vs-parallelism: 54.6%">54.6%</a></td>"##), "{ranking}");
    // The failed grading is marked, and is not a 0%.
    assert!(ranking.contains(r##"<td class="cell fail"><a href="#a4-1" title="Q1 concurrency-vs-parallelism: grading failed">failed</a></td>"##));
    assert_eq!(
        ranking.matches("⚑").count(),
        3,
        "Chloé's flags, two misconceptions"
    );
    assert_eq!(ranking.matches(r#"<td class="num">3 of 3</td>"#).count(), 4);
    assert_eq!(
        row_names(matrix(&html, "by-name")),
        [
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "Ann Lee",
            "Bob Stone",
            "Chloé Martin"
        ]
    );
    // Hardest first: gil (Q2, 50.0%), list-vs-tuple (Q3, 57.5%), concurrency (Q1, 81.8%).
    let header = between(matrix(&html, "by-rank-hardest"), "<thead>", "</thead>");
    let q = regex::Regex::new(r">(Q\d)</abbr>").unwrap();
    let order: Vec<&str> = q
        .captures_iter(header)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    assert_eq!(order, ["Q2", "Q3", "Q1"]);
    // The ranking comes last, so the :target rule can hide it.
    assert!(html.find(r#"id="by-rank""#) > html.find(r#"id="by-rank-hardest""#));
    assert!(html.contains(".order:target ~ .order.default { display: none; }"));
}

#[test]
fn html_has_one_details_per_answer() {
    let html = html();
    let candidates = between(&html, r#"<section id="candidates">"#, "</section>");
    assert_eq!(candidates.matches("<article").count(), 4);
    assert_eq!(
        candidates.matches("<details").count(),
        12,
        "3 answers × 4 candidates"
    );
    assert_eq!(candidates.matches("<summary>").count(), 12);
    let ann = between(candidates, r#"id="c1""#, "</article>");
    assert!(ann.contains("Ann Lee</h3>") && ann.contains("answered 3 of 3"));
    let gil = between(ann, r#"<details class="answer" id="a1-2">"#, "</details>");
    for piece in [
        r#"<code>gil-what-it-protects</code> <span class="score hi">100.0%</span>"#,
        "What is Python&#39;s GIL",
        "<code>one-thread-at-a-time</code> <span class=\"small\">2/2 met</span>",
        "<blockquote>The GIL (global interpreter lock) is a mutex in CPython",
        "rubric <code>2b3edfc260c8</code>",
        "the journal keeps no answer text",
        "SHA-256 <code>a4af46759245</code>",
    ] {
        assert!(gil.contains(piece), "no {piece} in {gil}");
    }
    let bob = between(candidates, r#"id="c3""#, "</article>");
    assert!(
        bob.contains(r#"<span class="mark" aria-hidden="true">✗</span>"#),
        "missed points"
    );
    assert!(bob.contains("→ "), "feedback on missed points");
    let chloe = between(candidates, r#"id="c2""#, "</article>");
    assert!(chloe.contains("<h4>Flags</h4>") && chloe.contains("possible-manipulation"));
    let hostile = between(candidates, r#"id="c4""#, "</article>");
    assert!(hostile.contains("<b>Grading failed:</b> endpoint: HTTP 502 from the endpoint: &lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;"));
    assert!(hostile.contains("<h4>Misconceptions stated</h4>"));
}

#[test]
fn html_header_shows_the_date_and_how_answers_were_graded() {
    let html = html();
    let header = between(&html, "<header>", "</header>");
    assert!(
        header.contains(
            r#"Generated <time datetime="2024-06-01T12:00:00Z">2024-06-01 12:00 UTC</time>"#
        ),
        "{header}"
    );
    for setting in [
        "<dt>graded by</dt><dd>keyword (10 answers) · llm, qwen2.5-coder (1 answer)</dd>",
        "<dt>grader</dt><dd>keyword</dd>",
        "<dt>settings</dt><dd>not recorded for 12 answers (older journal format); prompt none</dd>",
        "<dt>rubric</dt><dd>one version per question</dd>",
    ] {
        assert!(header.contains(setting), "no {setting} in {header}");
    }
    // Reproducible: the same journal and SOURCE_DATE_EPOCH give the same bytes.
    assert_eq!(html, self::html());
    let bad = run(viva()
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .args(["report", COHORT, "-f", "html"]));
    assert!(bad.starts_with("exit: 2\n"), "{bad}");
    assert!(
        bad.contains("SOURCE_DATE_EPOCH \"yesterday\" is not a number of seconds"),
        "{bad}"
    );
    // Other formats have no date, so they ignore it.
    assert_eq!(
        code(
            viva()
                .env("SOURCE_DATE_EPOCH", "yesterday")
                .args(["report", COHORT])
        ),
        0
    );
}

#[test]
fn missing_journal_is_a_usage_error() {
    assert_snapshot!(run(viva().args(["report", "no-such.journal.jsonl"])));
}

#[test]
fn a_folder_is_not_a_journal() {
    assert_eq!(code(viva().args(["report", "tests/fixtures"])), 2);
}

#[test]
fn empty_journal_says_so() {
    assert_snapshot!(run(
        viva().args(["report", "tests/fixtures/journals/empty.jsonl"])
    ));
}

#[test]
fn a_journal_of_bad_lines_names_the_first() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "j.jsonl", b"not json\n{}\n");
    let out = run(viva().current_dir(dir.path()).args(["report", "j.jsonl"]));
    assert!(out.starts_with("exit: 2\n"), "{out}");
    assert!(
        out.contains("holds no valid records (2 unreadable lines; line 1:"),
        "{out}"
    );
}

#[test]
fn output_file_matches_stdout_without_colour_or_leftovers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.txt");
    let status = viva()
        .args(["--color", "always", "report", COHORT, "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(status.status.success());
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(!written.contains('\u{1b}'), "colour codes in a file");
    assert_eq!(written, stdout(viva().args(["report", COHORT])));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["report.txt"], "temporary files left behind");
}

// A report must work while `viva batch` appends: the torn line is skipped,
// and the next run sees the record once it is complete.
#[test]
fn a_report_follows_a_growing_journal() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("journals/cohort.jsonl")).unwrap();
    let complete = &text[..=text.rfind('\n').unwrap()];
    let mut record: serde_json::Value =
        serde_json::from_str(complete.lines().next().unwrap()).unwrap();
    record["candidate"] = "Dan Okafor".into();
    let grown = format!("{complete}{record}\n");
    write(dir.path(), "j.jsonl", grown.as_bytes());
    let json = stdout(
        viva()
            .current_dir(dir.path())
            .args(["report", "j.jsonl", "-f", "json"]),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["journal"]["torn_tail"], false);
    assert_eq!(v["counts"]["candidates"], 5);
    let dan = v["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["candidate"] == "Dan Okafor")
        .unwrap();
    assert_eq!(dan["graded"], 1);
}

/// A cohort graded by `viva batch`: `solo` answers one question well and
/// skips two, `full` answers all three (one well), `dee`'s only answer is empty.
fn cohort_with_gaps() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let strong = std::fs::read_to_string(crate::common::example("gil-strong.md")).unwrap();
    let mut w = csv::Writer::from_path(dir.path().join("in.csv")).unwrap();
    w.write_record(["candidate", "question_id", "answer"])
        .unwrap();
    w.write_record(["solo", "gil-what-it-protects", strong.as_str()])
        .unwrap();
    let fair = "A tuple is immutable; defaults are evaluated once at def time.";
    for (q, answer) in [
        ("gil-what-it-protects", strong.as_str()),
        ("list-vs-tuple", fair),
        ("mutable-default-arguments", fair),
    ] {
        w.write_record(["full", q, answer]).unwrap();
    }
    w.write_record(["dee", "list-vs-tuple", ""]).unwrap();
    w.flush().unwrap();
    let out = viva()
        .current_dir(dir.path())
        .args(["batch", "in.csv", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "one bad row");
    dir
}

#[test]
fn missing_answers_rank_as_zero_and_bad_rows_are_listed() {
    // Regression: 1 of 3 answered ranked above all 3 answered, and the empty
    // answer appeared in no report.
    let dir = cohort_with_gaps();
    let text = run(viva()
        .current_dir(dir.path())
        .args(["report", "in.csv.journal.jsonl"]));
    assert_snapshot!(text);
    let skip = stdout(viva().current_dir(dir.path()).args([
        "report",
        "in.csv.journal.jsonl",
        "--missing",
        "skip",
        "-f",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&skip).unwrap();
    assert_eq!(v["ranking"][0]["candidate"], "solo");
    assert_eq!(v["bad_rows"][0]["kind"], "empty-answer");
    let md = stdout(viva().current_dir(dir.path()).args([
        "report",
        "in.csv.journal.jsonl",
        "-f",
        "markdown",
    ]));
    assert!(md.contains("| 1 | full |"), "{md}");
    assert!(md.contains("## Bad rows (not graded)"), "{md}");
    let html = stdout(viva().current_dir(dir.path()).args([
        "report",
        "in.csv.journal.jsonl",
        "-f",
        "html",
    ]));
    assert!(html.contains("<h2>Bad rows (not graded)</h2>"));
    assert!(html.contains("1 of 3"));
    // In the matrix (questions gil, list, mutable): a missing answer is not
    // a 0%, and dee's empty answer is a bad row.
    let ranking = matrix(&html, "by-rank");
    assert_eq!(row_names(ranking), ["full", "solo", "dee"], "{ranking}");
    assert_eq!(ranking.matches(r#"<td class="cell none""#).count(), 2 + 2);
    let bad = regex::Regex::new(
        r#"<td class="cell bad" title="Q2 list-vs-tuple: bad row at line \d+: empty-answer">bad row</td>"#,
    )
    .unwrap();
    assert!(bad.is_match(ranking), "{ranking}");
    assert!(ranking.contains(r#"<td class="num short">1 of 3</td>"#));
    let dee = between(
        &html,
        r#"<article class="candidate" id="c3">"#,
        "</article>",
    );
    assert!(
        dee.contains(r#"<span class="tag lo">bad row</span> line "#),
        "{dee}"
    );
    assert!(dee.contains(", empty-answer: answer on line "), "{dee}");
    assert_eq!(dee.matches("not answered</span>").count(), 2);
    // A journal of this version records the grader's settings.
    assert!(
        html.contains("<dt>grader version</dt>"),
        "settings not shown"
    );
}
