//! The two small charts of the HTML report, drawn as inline SVG so the report
//! stays one self-contained file with no scripts and no fetched assets.
//!
//! Colours come from CSS classes in the page's stylesheet, so the print
//! stylesheet can restyle them; every journal string (topic names) is
//! escaped, including inside `<title>` tooltips and attributes.

use std::fmt::Write;

use super::html::escape;
use super::summary::{Bucket, TopicRow};

/// Histogram size, in user units.
const HIST_W: f64 = 480.0;
const HIST_H: f64 = 220.0;
/// Plot margins: left (y labels), right, top, bottom (x labels).
const LEFT: f64 = 34.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 34.0;

/// Topic chart: width, row height, and the room kept for topic names.
const TOPIC_W: f64 = 480.0;
const ROW: f64 = 30.0;
const LABEL: f64 = 150.0;
/// Room after a bar for its value.
const VALUE: f64 = 58.0;
/// Topic names longer than this are cut in the label (the tooltip has all).
const LABEL_CHARS: usize = 20;

/// A CSS class for a score band: low, middle or high.
pub fn band(percent: f64) -> &'static str {
    if percent >= 75.0 {
        "hi"
    } else if percent >= 40.0 {
        "mid"
    } else {
        "lo"
    }
}

/// A step between y-axis ticks that gives at most about five ticks.
fn tick_step(max: usize) -> usize {
    max.div_ceil(5).max(1)
}

/// A vertical bar chart of graded answers per 10-point score band.
pub fn histogram(buckets: &[Bucket]) -> String {
    let most = buckets.iter().map(|b| b.count).max().unwrap_or(0);
    let step = tick_step(most);
    let top = (most.div_ceil(step) * step).max(1) as f64;
    let plot_w = HIST_W - LEFT - RIGHT;
    let plot_h = HIST_H - TOP - BOTTOM;
    let slot = plot_w / buckets.len().max(1) as f64;
    let y = |count: f64| TOP + plot_h - count / top * plot_h;
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<svg class="chart" viewBox="0 0 {HIST_W} {HIST_H}" width="{HIST_W}" height="{HIST_H}" role="img" aria-labelledby="hist-title"><title id="hist-title">Graded answers per score band</title>"#
    );
    for tick in (0..=top as usize).step_by(step) {
        let ty = y(tick as f64);
        let _ = write!(
            o,
            r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{ty:.1}" y2="{ty:.1}"/><text class="axis" x="{}" y="{:.1}" text-anchor="end">{tick}</text>"#,
            HIST_W - RIGHT,
            LEFT - 6.0,
            ty + 4.0
        );
    }
    for (i, b) in buckets.iter().enumerate() {
        let x = LEFT + i as f64 * slot;
        let by = y(b.count as f64);
        let mid = f64::from(b.from) + 5.0;
        let _ = write!(
            o,
            r#"<rect class="bar {}" x="{:.1}" y="{by:.1}" width="{:.1}" height="{:.1}"><title>{}–{}%: {} answer{}</title></rect>"#,
            band(mid),
            x + 3.0,
            slot - 6.0,
            TOP + plot_h - by,
            b.from,
            b.to,
            b.count,
            if b.count == 1 { "" } else { "s" }
        );
        if b.count > 0 {
            let _ = write!(
                o,
                r#"<text class="value" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x + slot / 2.0,
                by - 4.0,
                b.count
            );
        }
        let _ = write!(
            o,
            r#"<text class="axis" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            TOP + plot_h + 16.0,
            b.from
        );
    }
    let _ = write!(
        o,
        r#"<text class="axis" x="{:.1}" y="{:.1}" text-anchor="middle">100</text><line class="base" x1="{LEFT}" x2="{}" y1="{:.1}" y2="{:.1}"/><text class="axis" x="{:.1}" y="{:.1}" text-anchor="middle">score (%)</text></svg>"#,
        LEFT + plot_w,
        TOP + plot_h + 16.0,
        HIST_W - RIGHT,
        TOP + plot_h,
        TOP + plot_h,
        LEFT + plot_w / 2.0,
        HIST_H - 4.0
    );
    o
}

/// A horizontal bar per topic, its length the topic's mean score.
pub fn topic_bars(topics: &[TopicRow]) -> String {
    let plot_w = TOPIC_W - LABEL - VALUE;
    let height = TOP + ROW * topics.len().max(1) as f64 + 22.0;
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<svg class="chart" viewBox="0 0 {TOPIC_W} {height}" width="{TOPIC_W}" height="{height}" role="img" aria-labelledby="topic-title"><title id="topic-title">Mean score per topic</title>"#
    );
    for pct in [0u32, 25, 50, 75, 100] {
        let x = LABEL + f64::from(pct) / 100.0 * plot_w;
        let _ = write!(
            o,
            r#"<line class="grid" x1="{x:.1}" x2="{x:.1}" y1="{}" y2="{:.1}"/><text class="axis" x="{x:.1}" y="{:.1}" text-anchor="middle">{pct}</text>"#,
            TOP - 6.0,
            height - 20.0,
            height - 6.0
        );
    }
    for (i, t) in topics.iter().enumerate() {
        let y = TOP + i as f64 * ROW;
        let w = (t.mean.clamp(0.0, 100.0) / 100.0 * plot_w).max(1.0);
        let _ = write!(
            o,
            r#"<g><title>{}: {:.1}% mean over {} answer{}</title><text class="label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect class="bar {}" x="{LABEL}" y="{:.1}" width="{w:.1}" height="{:.1}"/><text class="value" x="{:.1}" y="{:.1}">{:.1}%</text></g>"#,
            escape(&t.topic),
            t.mean,
            t.n,
            if t.n == 1 { "" } else { "s" },
            LABEL - 8.0,
            y + ROW / 2.0 + 4.0,
            escape(&short(&t.topic)),
            band(t.mean),
            y + 5.0,
            ROW - 10.0,
            LABEL + w + 6.0,
            y + ROW / 2.0 + 4.0,
            t.mean
        );
    }
    o.push_str("</svg>");
    o
}

/// A topic name cut to fit its label, with an ellipsis when cut.
fn short(s: &str) -> String {
    if s.chars().count() <= LABEL_CHARS {
        return s.to_string();
    }
    let cut: String = s.chars().take(LABEL_CHARS - 1).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_stay_few() {
        assert_eq!(tick_step(0), 1);
        assert_eq!(tick_step(4), 1);
        assert_eq!(tick_step(12), 3);
    }

    #[test]
    fn topic_names_are_escaped_in_labels_and_tooltips() {
        let svg = topic_bars(&[TopicRow {
            topic: "<b onmouseover='x'>".into(),
            n: 1,
            mean: 50.0,
        }]);
        assert!(!svg.contains("<b "), "{svg}");
        assert!(svg.contains("&lt;b onmouseover=&#39;x&#39;&gt;: 50.0% mean"));
    }

    #[test]
    fn a_histogram_has_one_bar_per_band() {
        let buckets: Vec<Bucket> = (0..10)
            .map(|i| Bucket {
                from: i * 10,
                to: i * 10 + 10,
                count: i as usize,
            })
            .collect();
        let svg = histogram(&buckets);
        assert_eq!(svg.matches("<rect").count(), 10);
        assert!(svg.contains("90–100%: 9 answers"));
    }
}
