//! Evidence: the answer's own words that earned (or cost) credit, quoted as
//! whole sentences when they are short enough to read, otherwise as the
//! matched words with a little context.

use std::ops::Range;

use super::answer::{Found, Prepared};
use super::units::Unit;
use crate::text;

/// Units up to this many matchable words are quoted whole.
const SHORT_UNIT: usize = 15;
/// Matchable words of context quoted around a match in a longer unit.
const CONTEXT_WORDS: usize = 4;
/// Longest evidence quote, in characters.
const MAX_EVIDENCE: usize = 320;

impl Prepared<'_> {
    /// The quote for a finding.
    pub fn evidence(&self, f: &Found) -> String {
        let unit = &self.units[f.unit];
        if !unit.hole.is_empty() {
            // A list's lead (or an item's first sentence) and a sentence it
            // introduces, with others between them: each quoted in its own
            // right, the gap marked.
            return unit
                .parts
                .map(|p| {
                    let part = &self.units[p];
                    let matched: Vec<&Range<usize>> = f
                        .matched
                        .iter()
                        .filter(|o| part.stream.start <= o.start && o.end <= part.stream.end)
                        .collect();
                    self.quote(self.evidence_span(part, &matched))
                })
                .join(" … ");
        }
        let bytes = match &f.regex {
            Some(m) => unit.bytes.start.min(m.start)..unit.bytes.end.max(m.end),
            None => {
                let matched: Vec<&Range<usize>> = f.matched.iter().collect();
                self.evidence_span(unit, &matched)
            }
        };
        self.quote(bytes)
    }

    /// The bytes to quote for a unit: the whole sentence (or two) when it is
    /// short enough to read, otherwise the matched words with a little context.
    fn evidence_span(&self, unit: &Unit, matched: &[&Range<usize>]) -> Range<usize> {
        // Punctuated prose is quoted in whole sentences; unpunctuated speech
        // has no sentences to quote, so it gets an excerpt.
        let punctuated = self.text[unit.bytes.clone()]
            .trim_end()
            .ends_with(['.', '!', '?', ':', ';']);
        let readable = unit.bytes.len() <= MAX_EVIDENCE && !unit.window && punctuated;
        if readable || unit.stream.len() <= SHORT_UNIT || matched.is_empty() {
            return unit.bytes.clone();
        }
        let first = matched
            .iter()
            .map(|o| o.start)
            .min()
            .unwrap_or(unit.stream.start);
        let last = matched
            .iter()
            .map(|o| o.end)
            .max()
            .unwrap_or(unit.stream.end);
        let from = first.saturating_sub(CONTEXT_WORDS).max(unit.stream.start);
        let to = (last + CONTEXT_WORDS).min(unit.stream.end);
        let tokens = &self.analysis.tokens;
        tokens[self.stream[from]].span.start..tokens[self.stream[to - 1]].span.end
    }

    fn quote(&self, bytes: Range<usize>) -> String {
        let bytes = self.with_whole_code(self.without_stray_marks(bytes));
        let quoted = text::collapse_whitespace(&self.text[bytes]);
        if quoted.chars().count() <= MAX_EVIDENCE {
            return quoted;
        }
        let cut: String = quoted.chars().take(MAX_EVIDENCE).collect();
        match cut.rfind(' ') {
            Some(i) => format!("{}…", &cut[..i]),
            None => format!("{cut}…"),
        }
    }

    /// The bytes of a quote without the emphasis markers at its edges that
    /// belong to a pair it cuts through: a sentence may start with the
    /// closing `**` of a bold heading before it ("** Defaults are evaluated
    /// once") or with the opening `**` of a bold sentence whose closing one
    /// lies after its full stop. A marker whose partner is quoted too
    /// stays, and so does a `*` that is no marker (`**kwargs`).
    fn without_stray_marks(&self, bytes: Range<usize>) -> Range<usize> {
        let text = self.text;
        let quoted = &text[bytes.clone()];
        if !quoted.trim_start().starts_with('*') && !quoted.trim_end().ends_with('*') {
            return bytes;
        }
        let markers = text::emphasis_markers(text);
        let (mut start, mut end) = (bytes.start, bytes.end);
        loop {
            start += text[start..end].len() - text[start..end].trim_start().len();
            end -= text[start..end].len() - text[start..end].trim_end().len();
            // The marker runs inside the quote, as byte ranges.
            let mut runs: Vec<Range<usize>> = Vec::new();
            for &at in markers.iter().filter(|&&at| start <= at && at < end) {
                match runs.last_mut() {
                    Some(run) if run.end == at => run.end = at + 1,
                    _ => runs.push(at..at + 1),
                }
            }
            if runs.len().is_multiple_of(2) {
                break;
            }
            match (runs.first(), runs.last()) {
                (Some(first), _) if first.start == start => start = first.end,
                (_, Some(last)) if last.end == end => end = last.start,
                _ => break,
            }
        }
        if start < end { start..end } else { bytes }
    }

    /// The bytes of a quote with the backtick its sentence cut off: a
    /// sentence starts at its first word, so "`super()` means the next
    /// class" was quoted as "super()` means the next class".
    fn with_whole_code(&self, bytes: Range<usize>) -> Range<usize> {
        let text = self.text;
        if text[bytes.clone()].matches('`').count().is_multiple_of(2) {
            return bytes;
        }
        if text[..bytes.start].ends_with('`') {
            bytes.start - 1..bytes.end
        } else if text[bytes.end..].starts_with('`') {
            bytes.start..bytes.end + 1
        } else {
            bytes
        }
    }
}
