//! The HTML form of a batch report: one self-contained file to mail or
//! archive, readable on screen, on a phone and on paper.
//!
//! The file loads nothing: styles are inline, charts are inline SVG, and
//! there is no script at all. Journal text (candidate names, answers quoted
//! as evidence, ids, messages) is untrusted, so every piece of it passes
//! through [`escape`] before it reaches the page, in text and attributes
//! alike, and element ids are made from ranks and question numbers, never
//! from journal text. A Content-Security-Policy that forbids scripts and
//! remote loads is set as well, as a second line of defence should an
//! escape ever be missed.
//!
//! The same journal and the same generation time give the same bytes: the
//! caller passes the time (from `SOURCE_DATE_EPOCH` when set).

mod answers;
mod matrix;

use std::collections::HashMap;
use std::fmt::Write;

use jiff::Timestamp;

use super::summary::{AnswerRow, FlagRow, Summary};
use super::svg;
use crate::batch::input::RowError;

/// Forbids everything but inline styles and data: images.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE: &str = include_str!("report.css");

/// Escapes text for HTML element content and quoted attribute values.
/// Escape sequences and other control characters become `�` as well: the
/// report may be printed to a terminal (`viva report -f html` without `-o`),
/// and they mean nothing on a page.
pub fn escape(s: &str) -> String {
    let s = crate::report::terminal::neutralise(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The id of a candidate's section: from their rank, never their name.
fn candidate_id(rank: usize) -> String {
    format!("c{rank}")
}

/// The id of one answer's details: candidate rank and question number.
fn answer_id(rank: usize, question: usize) -> String {
    format!("a{rank}-{question}")
}

/// What sits at each (candidate, question): indexes into `ranking` and
/// `questions`.
struct Grid<'a> {
    answers: HashMap<(usize, usize), &'a AnswerRow>,
    bad_rows: HashMap<(usize, usize), &'a RowError>,
}

impl<'a> Grid<'a> {
    fn new(s: &'a Summary) -> Self {
        let candidates: HashMap<&str, usize> = s
            .ranking
            .iter()
            .enumerate()
            .map(|(i, r)| (r.candidate.as_str(), i))
            .collect();
        let questions: HashMap<&str, usize> = s
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.as_str(), i))
            .collect();
        let at = |c: &str, q: &str| Some((*candidates.get(c)?, *questions.get(q)?));
        let answers = s
            .answers
            .iter()
            .filter_map(|a| Some((at(&a.candidate, &a.question_id)?, a)))
            .collect();
        let mut bad_rows = HashMap::new();
        for b in &s.bad_rows {
            let (Some(c), Some(q)) = (&b.candidate, &b.question_id) else {
                continue;
            };
            if let Some(key) = at(c.trim(), q.trim()) {
                // The first bad row of a cell is the one to explain.
                bad_rows.entry(key).or_insert(b);
            }
        }
        Grid { answers, bad_rows }
    }

    fn answer(&self, c: usize, q: usize) -> Option<&'a AnswerRow> {
        self.answers.get(&(c, q)).copied()
    }

    fn bad_row(&self, c: usize, q: usize) -> Option<&'a RowError> {
        self.bad_rows.get(&(c, q)).copied()
    }
}

/// The report, made at `generated` (shown in the header).
pub fn render(s: &Summary, generated: Timestamp) -> String {
    let grid = Grid::new(s);
    let mut o = String::new();
    head(&mut o, s);
    header(&mut o, s, generated);
    charts(&mut o, s);
    matrix::render(&mut o, s, &grid);
    questions(&mut o, s);
    missed(&mut o, s);
    flags(&mut o, s);
    bad_rows(&mut o, s);
    answers::render(&mut o, s, &grid);
    let _ = writeln!(
        o,
        "<footer>Made by viva from {} · {}</footer>\n</body>\n</html>",
        escape(&s.journal.name),
        s.schema
    );
    o
}

fn pct(x: Option<f64>) -> String {
    x.map_or("—".into(), |x| format!("{x:.1}%"))
}

fn num(x: Option<f64>) -> String {
    x.map_or("—".into(), |x| format!("{x:.1}"))
}

/// A percentage cell, coloured by band.
fn score_cell(x: Option<f64>) -> String {
    match x {
        Some(p) => format!(r#"<td class="num {}">{}</td>"#, svg::band(p), pct(x)),
        None => r#"<td class="num muted">—</td>"#.into(),
    }
}

fn head(o: &mut String, s: &Summary) {
    let _ = writeln!(
        o,
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>viva report · {}</title>
<style>
{STYLE}</style>
</head>
<body>"#,
        escape(&s.journal.name)
    );
}

fn header(o: &mut String, s: &Summary, generated: Timestamp) {
    let c = &s.counts;
    let _ = writeln!(
        o,
        r#"<header>
<h1>viva report <span class="muted">{}</span></h1>
<p class="muted">Generated <time datetime="{}">{}</time></p>"#,
        escape(&s.journal.name),
        generated.strftime("%Y-%m-%dT%H:%M:%SZ"),
        generated.strftime("%Y-%m-%d %H:%M UTC")
    );
    settings(o, s);
    o.push_str("<div class=\"cards\">\n");
    for (label, value) in [
        ("candidates", c.candidates),
        ("questions", c.questions),
        ("answers graded", c.graded),
        ("answers failed", c.failed),
        ("flags", s.flags.len()),
        ("superseded records", s.journal.superseded),
    ] {
        let _ = writeln!(
            o,
            r#"<div class="card"><b>{value}</b><span>{label}</span></div>"#
        );
    }
    o.push_str("</div>\n");
    if let Some(w) = s.journal.warning() {
        let _ = writeln!(
            o,
            r#"<p class="warning"><b>Warning:</b> {}</p>"#,
            escape(&w)
        );
    }
    o.push_str(r#"<nav class="toc" aria-label="Sections">"#);
    for (id, label, shown) in [
        ("ranking", "Ranking", true),
        ("questions", "Questions", true),
        ("flags", "Flagged answers", !s.flags.is_empty()),
        ("candidates", "Answers per candidate", !s.ranking.is_empty()),
    ] {
        if shown {
            let _ = write!(o, r##"<a href="#{id}">{label}</a> "##);
        }
    }
    o.push_str("</nav>\n</header>\n");
}

/// How the answers were graded, as the journal records it.
fn settings(o: &mut String, s: &Summary) {
    if s.grader.is_empty() {
        return;
    }
    o.push_str("<dl class=\"settings\">\n");
    for row in &s.grader {
        let values: Vec<String> = row.values.iter().map(|v| escape(v)).collect();
        let _ = writeln!(
            o,
            "<div><dt>{}</dt><dd>{}</dd></div>",
            escape(&row.name),
            values.join(" · ")
        );
    }
    o.push_str("</dl>\n");
}

fn charts(o: &mut String, s: &Summary) {
    let _ = writeln!(
        o,
        r#"<section class="charts">
<figure>{}<figcaption>Score distribution: graded answers per 10-point band</figcaption></figure>
<figure>{}<figcaption>Mean score per topic</figcaption></figure>
</section>"#,
        svg::histogram(&s.distribution),
        svg::topic_bars(&s.topics)
    );
}

fn questions(o: &mut String, s: &Summary) {
    o.push_str(
        r#"<section id="questions">
<h2>Questions</h2>
<div class="scroll">
<table>
<thead><tr><th class="num">#</th><th>Question</th><th>Topic</th><th class="num">n</th><th class="num">Mean</th><th class="num">SD</th><th class="num">Min</th><th class="num">Max</th><th class="num">Failed</th></tr></thead>
<tbody>
"#,
    );
    for (i, q) in s.questions.iter().enumerate() {
        let _ = writeln!(
            o,
            "<tr><td class=\"num\">Q{}</td><td><code>{}</code><div class=\"muted small\">{}</div></td><td>{}</td><td class=\"num\">{}</td>{}<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            i + 1,
            escape(&q.id),
            escape(&q.text),
            escape(&q.topic),
            q.n,
            score_cell(q.mean),
            num(q.std_dev),
            num(q.min),
            num(q.max),
            q.failed
        );
    }
    o.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

fn missed(o: &mut String, s: &Summary) {
    if s.missed_points.is_empty() {
        return;
    }
    o.push_str(
        r#"<section>
<h2>Most missed key points</h2>
<div class="scroll">
<table>
<thead><tr><th class="num">Missed by</th><th>Question</th><th>Key point</th></tr></thead>
<tbody>
"#,
    );
    for m in &s.missed_points {
        let _ = writeln!(
            o,
            "<tr><td class=\"num\">{:.0}% <span class=\"muted small\">({} of {})</span></td><td><code>{}</code></td><td><code>{}</code><div class=\"muted small\">{}</div></td></tr>",
            m.share * 100.0,
            m.missed,
            m.graded,
            escape(&m.question_id),
            escape(&m.point_id),
            escape(&m.text)
        );
    }
    o.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

fn flags(o: &mut String, s: &Summary) {
    if s.flags.is_empty() {
        return;
    }
    o.push_str(
        r#"<section id="flags">
<h2>Flagged answers</h2>
<table class="reflow">
<thead><tr><th>Candidate</th><th>Question</th><th>Kind</th><th>Detail</th></tr></thead>
<tbody>
"#,
    );
    for f in &s.flags {
        flag_row(o, f);
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

fn bad_rows(o: &mut String, s: &Summary) {
    if s.bad_rows.is_empty() {
        return;
    }
    o.push_str(
        r#"<section>
<h2>Bad rows (not graded)</h2>
<table class="reflow">
<thead><tr><th class="num">Line</th><th>Kind</th><th>Candidate</th><th>Question</th><th>Problem</th></tr></thead>
<tbody>
"#,
    );
    for b in &s.bad_rows {
        let _ = writeln!(
            o,
            "<tr><td class=\"num\">{}</td><td><span class=\"tag mid\">{}</span></td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            b.line,
            escape(&b.kind),
            escape(b.candidate.as_deref().unwrap_or("")),
            escape(b.question_id.as_deref().unwrap_or("")),
            escape(&b.message)
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

fn flag_row(o: &mut String, f: &FlagRow) {
    let tone = match f.kind.as_str() {
        "failed" | "possible-manipulation" => "lo",
        _ => "mid",
    };
    let evidence = f.evidence.as_deref().map_or(String::new(), |e| {
        format!("<blockquote>{}</blockquote>", escape(e))
    });
    let _ = writeln!(
        o,
        "<tr><td>{}</td><td><code>{}</code></td><td><span class=\"tag {tone}\">{}</span></td><td>{}{evidence}</td></tr>",
        escape(&f.candidate),
        escape(&f.question_id),
        escape(&f.kind),
        escape(&f.message)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_html_specials() {
        assert_eq!(
            escape(r#"<img src=x onerror="a('&')">"#),
            "&lt;img src=x onerror=&quot;a(&#39;&amp;&#39;)&quot;&gt;"
        );
    }

    #[test]
    fn control_characters_never_reach_a_terminal_showing_the_html() {
        assert_eq!(
            escape("a\u{1b}]0;pwned\u{7}b\u{1b}[2Jc\rd\n\te"),
            "a\u{fffd}b\u{fffd}c\u{fffd}d\n\te"
        );
    }
}
