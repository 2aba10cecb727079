//! The ranking as a candidate × question score matrix: one row per
//! candidate with their mean and "answered N of M", one cell per question
//! coloured by score band, linking to that answer's details.
//!
//! The page has no script, so the table cannot be sorted in the browser.
//! Instead it is rendered once per order (rows by rank or by name, questions
//! by id or hardest first), and links to `#by-name` and the like show the
//! order they name through CSS `:target`; with no fragment the ranking
//! shows. The default order comes last so `.order:target ~ .default` can
//! hide it. A missing answer, a failed grading and a bad input row each
//! look different from a score of 0%.

use std::cmp::Ordering;
use std::fmt::Write;

use super::{Grid, answer_id, candidate_id, escape, pct, score_cell};
use crate::report::batch::Summary;
use crate::report::batch::svg;

/// One precomputed order of the matrix.
struct Order {
    /// The fragment that selects it.
    id: &'static str,
    rows_by_name: bool,
    hardest_first: bool,
}

/// The default (ranking, questions by id) comes last: see the module docs.
const ORDERS: [Order; 4] = [
    Order {
        id: "by-name",
        rows_by_name: true,
        hardest_first: false,
    },
    Order {
        id: "by-name-hardest",
        rows_by_name: true,
        hardest_first: true,
    },
    Order {
        id: "by-rank-hardest",
        rows_by_name: false,
        hardest_first: true,
    },
    Order {
        id: "by-rank",
        rows_by_name: false,
        hardest_first: false,
    },
];

fn order(rows_by_name: bool, hardest_first: bool) -> &'static str {
    ORDERS
        .iter()
        .find(|o| o.rows_by_name == rows_by_name && o.hardest_first == hardest_first)
        .map_or("by-rank", |o| o.id)
}

/// The ranking section: the matrix in every order, and its legend.
pub(super) fn render(o: &mut String, s: &Summary, grid: &Grid) {
    o.push_str("<section id=\"ranking\">\n<h2>Ranking</h2>\n<div class=\"orders\">\n");
    for ord in &ORDERS {
        table(o, s, grid, ord);
    }
    o.push_str("</div>\n");
    legend(o, s);
    o.push_str("</section>\n");
}

/// Question indexes (into `s.questions`) in the order's column order.
fn columns(s: &Summary, hardest_first: bool) -> Vec<usize> {
    let mut cols: Vec<usize> = (0..s.questions.len()).collect();
    if hardest_first {
        // Lowest mean first; questions without a graded answer last; stable.
        cols.sort_by(|&a, &b| match (s.questions[a].mean, s.questions[b].mean) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (x, y) => y.is_some().cmp(&x.is_some()),
        });
    }
    cols
}

/// Candidate indexes (into `s.ranking`) in the order's row order.
fn rows(s: &Summary, by_name: bool) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..s.ranking.len()).collect();
    if by_name {
        rows.sort_by(|&a, &b| by_name_cmp(&s.ranking[a].candidate, &s.ranking[b].candidate));
    }
    rows
}

/// Names as a person sorts them: ignoring case first, then exactly.
fn by_name_cmp(a: &str, b: &str) -> Ordering {
    a.to_lowercase()
        .cmp(&b.to_lowercase())
        .then_with(|| a.cmp(b))
}

fn table(o: &mut String, s: &Summary, grid: &Grid, ord: &Order) {
    let default = if ord.id == "by-rank" { " default" } else { "" };
    let _ = writeln!(o, r#"<div class="order{default}" id="{}">"#, ord.id);
    sort_nav(o, ord);
    o.push_str("<div class=\"scroll\">\n<table class=\"matrix\">\n<thead><tr><th scope=\"col\">Candidate</th><th class=\"num\" scope=\"col\">Mean</th><th class=\"num\" scope=\"col\">Answered</th>");
    let cols = columns(s, ord.hardest_first);
    for &q in &cols {
        let row = &s.questions[q];
        let _ = write!(
            o,
            r#"<th class="num" scope="col"><abbr title="{}: {}">Q{}</abbr></th>"#,
            escape(&row.id),
            escape(&row.text),
            q + 1
        );
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for c in rows(s, ord.rows_by_name) {
        let r = &s.ranking[c];
        let _ = write!(
            o,
            r##"<tr><th scope="row"><span class="muted">{}.</span> <a href="#{}">{}</a></th>{}<td class="num{}">{} of {}</td>"##,
            r.rank,
            candidate_id(r.rank),
            escape(&r.candidate),
            score_cell(r.mean_percent),
            if r.answered < r.questions {
                " short"
            } else {
                ""
            },
            r.answered,
            r.questions
        );
        for &q in &cols {
            cell(o, s, grid, c, q);
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n</div>\n</div>\n");
}

/// Links to the orders that differ from this one in one respect.
fn sort_nav(o: &mut String, ord: &Order) {
    let link = |label: &str, by_name: bool, hardest: bool| {
        let target = order(by_name, hardest);
        if target == ord.id {
            format!(r##"<a href="#{target}" aria-current="true">{label}</a>"##)
        } else {
            format!(r##"<a href="#{target}">{label}</a>"##)
        }
    };
    let _ = writeln!(
        o,
        r#"<nav class="sort" aria-label="Order of the table"><span>Candidates: {} · {}</span><span>Questions: {} · {}</span></nav>"#,
        link("by rank", false, ord.hardest_first),
        link("by name", true, ord.hardest_first),
        link("by id", ord.rows_by_name, false),
        link("hardest first", ord.rows_by_name, true),
    );
}

/// One candidate's answer to one question.
fn cell(o: &mut String, s: &Summary, grid: &Grid, c: usize, q: usize) {
    let r = &s.ranking[c];
    let question = &s.questions[q];
    let label = format!("Q{} {}", q + 1, question.id);
    if let Some(a) = grid.answer(c, q) {
        let href = answer_id(r.rank, q + 1);
        let Some(p) = a.percent else {
            let _ = write!(
                o,
                r##"<td class="cell fail"><a href="#{href}" title="{}: grading failed">failed</a></td>"##,
                escape(&label)
            );
            return;
        };
        let flag = if a.flags.is_empty() {
            String::new()
        } else {
            let tags = escape(&a.flags.join(", "));
            format!(
                r#" <span class="flag" title="flagged: {tags}" aria-hidden="true">⚑</span><span class="sr"> flagged: {tags}</span>"#
            )
        };
        let _ = write!(
            o,
            r##"<td class="cell {}"><a href="#{href}" title="{}: {}">{}</a>{flag}</td>"##,
            svg::band(p),
            escape(&label),
            pct(Some(p)),
            pct(Some(p))
        );
    } else if let Some(b) = grid.bad_row(c, q) {
        let _ = write!(
            o,
            r#"<td class="cell bad" title="{}: bad row at line {}: {}">bad row</td>"#,
            escape(&label),
            b.line,
            escape(&b.kind)
        );
    } else {
        let _ = write!(
            o,
            r#"<td class="cell none" title="{}: not answered"><span aria-hidden="true">—</span><span class="sr">not answered</span></td>"#,
            escape(&label)
        );
    }
}

fn legend(o: &mut String, s: &Summary) {
    let missing = super::super::missing_note(s)
        .map(|n| format!(" {}.", escape(&n)))
        .unwrap_or_default();
    let _ = writeln!(
        o,
        r#"<p class="legend muted small">Cells link to the answer below. <span class="cell hi">75%+</span> <span class="cell mid">40–75%</span> <span class="cell lo">under 40%</span> · <b>—</b> not answered · <b>failed</b> grading failed · <b>bad row</b> the input row could not be graded · ⚑ flagged for review.{missing} Questions are numbered by id (Q1, Q2…) as in the table below.</p>"#
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_order_links_to_its_neighbours() {
        for ord in &ORDERS {
            let mut o = String::new();
            sort_nav(&mut o, ord);
            assert_eq!(o.matches("href=").count(), 4, "{o}");
            assert_eq!(
                o.matches(&format!(r##"href="#{}" aria-current"##, ord.id))
                    .count(),
                2,
                "{o}"
            );
        }
        assert_eq!(ORDERS.last().unwrap().id, "by-rank", "the default is last");
    }

    #[test]
    fn names_sort_ignoring_case() {
        let mut names = ["bob", "Ann", "ann", "Zoe"];
        names.sort_by(|a, b| by_name_cmp(a, b));
        assert_eq!(names, ["Ann", "ann", "bob", "Zoe"]);
    }
}
