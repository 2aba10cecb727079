//! One section per candidate, in ranking order: every answer as a
//! `<details>` element (collapsible without a script) holding the question,
//! the score, each key point met, partly met or missed with the quote that
//! earned it, misconceptions, flags, and the answer itself.
//!
//! The answer's text is shown as written (line breaks and indentation
//! kept) in a box that scrolls, so one long answer cannot swamp the page.
//! Journals written before the text was recorded, and runs with
//! `--no-answer-text`, keep only its SHA-256 and the quotes the grader took
//! from it; such an answer says so and names the input line to read it
//! from. Questions not answered and bad input rows are listed too, so every
//! cell of the matrix has its explanation here.

use std::fmt::Write;

use super::{Grid, answer_id, candidate_id, escape, pct};
use crate::batch::record::Record;
use crate::grade::{Grading, PointResult, Total, Verification};
use crate::llm::cache::digest;
use crate::report::batch::{AnswerRow, CandidateRow, QuestionRow, Summary, svg};
use crate::report::{Block, blocks, deductions, num};

pub(super) fn render(o: &mut String, s: &Summary, grid: &Grid) {
    if s.ranking.is_empty() {
        return;
    }
    o.push_str("<section id=\"candidates\">\n<h2>Candidates</h2>\n");
    for (c, r) in s.ranking.iter().enumerate() {
        candidate(o, s, grid, c, r);
    }
    o.push_str("</section>\n");
}

fn candidate(o: &mut String, s: &Summary, grid: &Grid, c: usize, r: &CandidateRow) {
    let failed = if r.failed > 0 {
        format!(" · {} failed", r.failed)
    } else {
        String::new()
    };
    let _ = writeln!(
        o,
        r#"<article class="candidate" id="{}">
<h3><span class="muted">{}.</span> {}</h3>
<p class="muted small">Mean {} · answered {} of {}{failed}</p>"#,
        candidate_id(r.rank),
        r.rank,
        escape(&r.candidate),
        pct(r.mean_percent),
        r.answered,
        r.questions
    );
    for (q, question) in s.questions.iter().enumerate() {
        let n = q + 1;
        if let Some(a) = grid.answer(c, q) {
            answer(o, question, a, &answer_id(r.rank, n), n);
        } else if let Some(b) = grid.bad_row(c, q) {
            let _ = writeln!(
                o,
                r#"<p class="gap"><span class="qn">Q{n}</span> <code>{}</code> <span class="tag lo">bad row</span> line {}, {}: {}</p>"#,
                escape(&question.id),
                b.line,
                escape(&b.kind),
                escape(&b.message)
            );
        } else {
            let _ = writeln!(
                o,
                r#"<p class="gap"><span class="qn">Q{n}</span> <code>{}</code> <span class="muted">not answered</span></p>"#,
                escape(&question.id)
            );
        }
    }
    o.push_str("</article>\n");
}

fn answer(o: &mut String, question: &QuestionRow, a: &AnswerRow, id: &str, n: usize) {
    let record = &a.record;
    let badge = match a.percent {
        Some(p) => format!(
            r#"<span class="score {}">{}</span>"#,
            svg::band(p),
            pct(Some(p))
        ),
        None => r#"<span class="tag lo">failed</span>"#.into(),
    };
    let flags = match a.flags.len() {
        0 => String::new(),
        k => format!(
            r#" <span class="tag mid" title="{}">⚑ {k}</span>"#,
            escape(&a.flags.join(", "))
        ),
    };
    let _ = writeln!(
        o,
        r#"<details class="answer" id="{id}">
<summary><span class="qn">Q{n}</span> <code>{}</code> {badge}{flags}</summary>
<div class="body">"#,
        escape(&question.id)
    );
    match &record.grading {
        Some(g) if a.percent.is_some() => graded(o, g, record),
        _ => {
            question_text(o, &question.text);
            let why = record.failure.as_ref().map_or_else(
                || "no reason recorded".to_string(),
                |f| format!("{}: {}", f.kind, f.message),
            );
            let _ = writeln!(
                o,
                r#"<p class="failure"><b>Grading failed:</b> {}</p>"#,
                escape(&why)
            );
            answer_text(o, record);
        }
    }
    answer_source(o, record);
    o.push_str("</div>\n</details>\n");
}

fn graded(o: &mut String, g: &Grading, record: &Record) {
    question_text(o, &g.question.text);
    let t = &g.total;
    let penalty = deductions(t);
    let model = g
        .backend
        .model
        .as_deref()
        .map(|m| format!(" ({m})"))
        .unwrap_or_default();
    let _ = writeln!(
        o,
        r#"<p class="muted small">{} of {} points{penalty} · graded by {}{}: {} · rubric <code>{}</code></p>"#,
        num(t.earned),
        num(t.possible),
        escape(&g.backend.name),
        escape(&model),
        escape(&g.backend.reason),
        escape(&short(&record.fingerprint.rubric))
    );
    answer_text(o, record);
    o.push_str("<ul class=\"points\">\n");
    for p in &g.points {
        point(o, p, &g.total);
    }
    o.push_str("</ul>\n");
    if !g.misconceptions.is_empty() {
        o.push_str("<h4>Misconceptions stated</h4>\n<ul class=\"points\">\n");
        for m in &g.misconceptions {
            let evidence = m.evidence.as_deref().map_or(String::new(), |e| {
                format!("<blockquote>{}</blockquote>", escape(e))
            });
            let _ = writeln!(
                o,
                r#"<li class="miss"><span class="mark" aria-hidden="true">!</span><code>{}</code> <span class="muted small">−{}%</span><div class="small">{}</div>{evidence}<div class="small">→ {}</div></li>"#,
                escape(&m.id),
                num(m.penalty * 100.0),
                escape(&m.text),
                escape(&m.correction)
            );
        }
        o.push_str("</ul>\n");
    }
    if !g.flags.is_empty() {
        o.push_str("<h4>Flags</h4>\n<ul class=\"flags\">\n");
        for f in &g.flags {
            let _ = writeln!(
                o,
                r#"<li><span class="tag mid">{}</span> {}</li>"#,
                escape(&f.kind),
                escape(&f.message)
            );
        }
        o.push_str("</ul>\n");
    }
}

fn point(o: &mut String, p: &PointResult, total: &Total) {
    let (class, mark, label) = match crate::report::met(p) {
        crate::report::Met::Fully => ("met", "✓", "met"),
        crate::report::Met::Partly => ("part", "◐", "partly met"),
        crate::report::Met::Not => ("miss", "✗", "missed"),
    };
    let check = match p.verification {
        Verification::Verified => " · quote verified",
        Verification::Corroborated => " · quote not found, corroborated by keywords",
        Verification::Unverified => " · quote not found in the answer",
        Verification::Matched | Verification::None => "",
    };
    let check = format!("{}{check}", crate::report::detail_note(p));
    let _ = write!(
        o,
        r#"<li class="{class}"><span class="mark" aria-hidden="true">{mark}</span><code>{}</code> <span class="small">{}/{} {label}{check}</span><div class="muted small">{}</div>"#,
        escape(&p.id),
        num(p.earned),
        num(p.weight),
        escape(&p.text)
    );
    if let Some(e) = &p.evidence {
        let _ = write!(o, "<blockquote>{}</blockquote>", escape(e));
    }
    if let Some(w) = &p.withheld {
        let _ = write!(
            o,
            r#"<div class="small withheld">No credit, {}:</div><blockquote>{}</blockquote>"#,
            escape(&crate::report::withheld_reason(p, w, total)),
            escape(&w.evidence)
        );
    }
    if let Some(r) = &p.rationale {
        let _ = write!(o, r#"<div class="muted small">grader: {}</div>"#, escape(r));
    }
    if let Some(f) = &p.feedback {
        let _ = write!(o, r#"<div class="small">→ {}</div>"#, escape(f));
    }
    o.push_str("</li>\n");
}

/// The question, prose as paragraphs and code kept as written.
fn question_text(o: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    o.push_str("<div class=\"qtext\">");
    for block in blocks(text) {
        match block {
            Block::Prose(p) => {
                let _ = write!(o, "<p>{}</p>", escape(&p));
            }
            Block::Code(lines) => {
                let _ = write!(o, "<pre><code>{}</code></pre>", escape(&lines.join("\n")));
            }
        }
    }
    o.push_str("</div>\n");
}

/// The answer as graded, when the journal keeps it: escaped, in a box that
/// keeps its line breaks and indentation and scrolls when it is long (the
/// `tabindex` lets a keyboard scroll it too).
fn answer_text(o: &mut String, record: &Record) {
    let Some(text) = &record.answer else {
        return;
    };
    let spoken = record.grading.as_ref().and_then(|g| g.spoken.as_deref());
    let heading = match spoken {
        Some(sp) => format!("Answer (transcript of {})", escape(&sp.audio.file)),
        None => "Answer".into(),
    };
    let _ = writeln!(
        o,
        r#"<h4>{heading}</h4>
<pre class="answer-text" tabindex="0">{}</pre>"#,
        escape(text)
    );
    if let Some(sp) = spoken {
        let quality = if sp.quality.poor {
            format!("poor: {}", sp.quality.reasons.join("; "))
        } else {
            "good".into()
        };
        let delivery = sp
            .delivery
            .as_ref()
            .map(|d| format!(" Delivery: {}.", crate::report::delivery_line(d)))
            .unwrap_or_default();
        let dropped = sp
            .transcriber
            .prompt_dropped
            .as_ref()
            .map(|why| format!(" Transcribed again without the prompt: {why}."))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            r#"<p class="muted small">Transcribed by {}; transcript {}.{}{}</p>"#,
            escape(&sp.transcriber.model),
            escape(&quality),
            escape(&dropped),
            escape(&delivery)
        );
    }
    // A recording is fingerprinted by its audio; its text is the transcript.
    let graded = match spoken {
        Some(sp) => {
            digest(&crate::batch::input::audio_answer(&sp.audio.sha256))
                == record.fingerprint.answer
                && sp.transcript.answer_text() == *text
        }
        None => digest(text) == record.fingerprint.answer,
    };
    if !graded {
        o.push_str(
            "<p class=\"warning small\">This text is not the one graded: it does not match the \
             SHA-256 recorded with the grade, so the journal line was changed afterwards.</p>\n",
        );
    }
}

/// Where the answer came from; without its text, what the journal keeps of
/// it instead.
fn answer_source(o: &mut String, record: &Record) {
    let input = record
        .input
        .as_deref()
        .map_or("the input".to_string(), escape);
    if record.answer.is_some() {
        let _ = writeln!(
            o,
            r#"<p class="source muted small">Answer from position {} of {input} (its line in a CSV or JSONL file), SHA-256 <code>{}</code>.</p>"#,
            record.position,
            escape(&short(&record.fingerprint.answer))
        );
        return;
    }
    let _ = writeln!(
        o,
        r#"<p class="source muted small">Answer: the journal keeps no answer text, only the quotes above and its SHA-256 <code>{}</code>; read it at position {} of {input} (its line in a CSV or JSONL file).</p>"#,
        escape(&short(&record.fingerprint.answer)),
        record.position
    );
}

/// A digest cut to 12 digits, as in the header.
fn short(digest: &str) -> String {
    digest.chars().take(12).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::record::{Fingerprint, RECORD_SCHEMA, Status};

    fn record(answer: Option<&str>, graded_text: &str) -> Record {
        Record {
            journal: RECORD_SCHEMA.into(),
            status: Status::Failed,
            candidate: "ann".into(),
            question_id: "q".into(),
            position: 7,
            input: Some("in.csv".into()),
            fingerprint: Fingerprint {
                answer: digest(graded_text),
                rubric: "r".into(),
                prompt: None,
                grader: "keyword".into(),
                digest: None,
                settings: Default::default(),
            },
            latency_ms: 1,
            grading: None,
            failure: None,
            answer: answer.map(String::from),
        }
    }

    fn shown(record: &Record) -> String {
        let mut o = String::new();
        answer_text(&mut o, record);
        answer_source(&mut o, record);
        o
    }

    #[test]
    fn the_answer_is_escaped_with_its_line_breaks_and_indentation() {
        let text = "Locks:\n    x += 1  # a & b\n<script>alert(1)</script>";
        let o = shown(&record(Some(text), text));
        assert!(o.contains(
            "<pre class=\"answer-text\" tabindex=\"0\">Locks:\n    x += 1  # a &amp; b\n\
             &lt;script&gt;alert(1)&lt;/script&gt;</pre>"
        ));
        assert!(o.contains("Answer from position 7 of in.csv"));
        assert!(!o.contains("keeps no answer text") && !o.contains("warning"));
    }

    #[test]
    fn without_text_the_answer_says_where_to_read_it() {
        let o = shown(&record(None, "x"));
        assert!(!o.contains("<pre"));
        assert!(o.contains("the journal keeps no answer text"));
        assert!(o.contains("read it at position 7 of in.csv"));
    }

    #[test]
    fn text_edited_after_grading_is_called_out() {
        let o = shown(&record(Some("a better answer"), "the answer graded"));
        assert!(o.contains("a better answer</pre>"));
        assert!(o.contains("<p class=\"warning small\">This text is not the one graded"));
    }
}
