//! How wide the screen is, and how wide text is on it.
//!
//! Every wrapped report, header rule and listing asks [`columns`] for the
//! width: `COLUMNS` when set (so scripts and tests can pin it), else the
//! terminal's width when stdout is one, else [`DEFAULT`] so piped output
//! stays the same everywhere. Widths are display widths (unicode-width), so
//! CJK characters and emoji count as the two cells they take.

use std::io::IsTerminal;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The width used when stdout is not a terminal and `COLUMNS` is unset.
pub const DEFAULT: usize = 88;

/// Narrower than this, wrapping makes no sense: every word gets a line.
const MIN: usize = 20;

/// The width to wrap and truncate at.
pub fn columns() -> usize {
    detected().unwrap_or(DEFAULT)
}

/// The width from `COLUMNS` or the terminal; `None` when output is piped and
/// `COLUMNS` is unset (callers then keep their fixed, scriptable layout).
pub fn detected() -> Option<usize> {
    let env = std::env::var("COLUMNS").ok();
    from(env.as_deref(), || {
        if std::io::stdout().is_terminal() {
            terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
        } else {
            None
        }
    })
}

/// `COLUMNS` when it is a positive number, else what `terminal` says; never
/// below a usable minimum.
fn from(env: Option<&str>, terminal: impl FnOnce() -> Option<usize>) -> Option<usize> {
    env.and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&w| w > 0)
        .or_else(terminal)
        .filter(|&w| w > 0)
        .map(|w| w.max(MIN))
}

/// How many terminal cells `s` takes.
pub fn display(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `width` cells, ending in "…" when something was cut.
pub fn truncate(s: &str, width: usize) -> String {
    if display(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_come_from_the_env_then_the_terminal_then_the_default() {
        assert_eq!(from(Some("40"), || Some(120)), Some(40));
        assert_eq!(from(Some(" 200 "), || None), Some(200));
        assert_eq!(from(Some("wide"), || Some(120)), Some(120));
        assert_eq!(from(Some("0"), || None), None);
        assert_eq!(from(None, || None), None);
        assert_eq!(from(Some("3"), || None), Some(MIN));
    }

    #[test]
    fn wide_characters_count_two_cells() {
        assert_eq!(display("abc"), 3);
        assert_eq!(display("全局锁"), 6);
        assert_eq!(display("🐍 GIL"), 6);
    }

    #[test]
    fn truncation_ends_in_an_ellipsis_within_the_width() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("What does the GIL protect?", 12), "What does t…");
        assert_eq!(truncate("全局解释器锁保护什么", 7), "全局解…");
        assert_eq!(truncate("🐍🐍🐍🐍", 5), "🐍🐍…");
        for w in 1..12 {
            assert!(
                display(&truncate("全局解释器锁 and 🐍 emoji", w)) <= w,
                "{w}"
            );
        }
    }
}
