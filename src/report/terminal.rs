//! Candidate text made safe to print on a terminal.
//!
//! Answers, the quotes taken from them, an LLM's rationale and candidate
//! names are written by someone else. Printed raw, an escape sequence in an
//! answer could recolour or clear a recruiter's screen, rewrite the window
//! title (OSC), hide text, or plant a hyperlink. Every such sequence is
//! replaced by one visible `�`, and so is every other control character
//! (and the bidirectional overrides that reorder what is shown); newlines
//! and tabs stay.

use crate::grade::Grading;

const REPLACEMENT: char = '\u{fffd}';

/// Whether a character reorders displayed text (bidi embeddings,
/// overrides and isolates).
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with escape sequences and control characters neutralised.
pub fn neutralise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\u{1b}' => {
                match chars.next() {
                    Some('[') => skip_csi(&mut chars),
                    Some(']' | 'P' | '_' | '^' | 'X') => skip_string(&mut chars),
                    _ => {}
                }
                out.push(REPLACEMENT);
            }
            '\u{9b}' => {
                skip_csi(&mut chars);
                out.push(REPLACEMENT);
            }
            '\u{9d}' | '\u{90}' | '\u{9e}' | '\u{9f}' | '\u{98}' => {
                skip_string(&mut chars);
                out.push(REPLACEMENT);
            }
            c if c.is_control() || is_bidi_control(c) => out.push(REPLACEMENT),
            c => out.push(c),
        }
    }
    out
}

/// Skips a CSI sequence's parameters up to and including its final byte.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// Skips an OSC/DCS-style string up to its terminator (BEL, ST or ESC \).
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// A copy of a grading with every string that may carry candidate or model
/// text neutralised, for the text and Markdown renderers.
pub fn grading(g: &Grading) -> Grading {
    let mut g = g.clone();
    let n = |s: &mut String| *s = neutralise(s);
    let opt = |s: &mut Option<String>| {
        if let Some(s) = s {
            *s = neutralise(s);
        }
    };
    n(&mut g.question.text);
    n(&mut g.backend.reason);
    opt(&mut g.backend.model);
    for p in &mut g.points {
        n(&mut p.text);
        opt(&mut p.evidence);
        opt(&mut p.feedback);
        opt(&mut p.rationale);
        if let Some(w) = &mut p.withheld {
            n(&mut w.evidence);
        }
    }
    for m in &mut g.misconceptions {
        n(&mut m.text);
        opt(&mut m.evidence);
        n(&mut m.correction);
    }
    for f in &mut g.flags {
        n(&mut f.message);
    }
    if let Some(sp) = &mut g.spoken {
        n(&mut sp.audio.file);
        n(&mut sp.transcript.text);
        opt(&mut sp.transcript.language);
        opt(&mut sp.transcriber.prompt);
        opt(&mut sp.transcriber.prompt_dropped);
        for seg in &mut sp.transcript.segments {
            n(&mut seg.text);
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_one_visible_mark() {
        assert_eq!(
            neutralise("a\u{1b}[2J\u{1b}[31mred"),
            "a\u{fffd}\u{fffd}red"
        );
        assert_eq!(
            neutralise("t\u{1b}]0;PWNED\u{7}x \u{1b}]8;;http://e\u{1b}\\link"),
            "t\u{fffd}x \u{fffd}link"
        );
        assert_eq!(neutralise("\u{9b}31mc1"), "\u{fffd}c1");
        assert_eq!(
            neutralise("back\u{8}\rspace\u{202e}"),
            "back\u{fffd}\u{fffd}space\u{fffd}"
        );
        assert_eq!(
            neutralise("keeps\nlines\tand tabs é"),
            "keeps\nlines\tand tabs é"
        );
    }
}
