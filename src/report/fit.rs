//! Lines built from parts that move to the next line when the screen is too
//! narrow for them: a label and its score, an id and its topic, a "graded
//! by" sentence.
//!
//! [`super::wrap`] reflows prose at [`width::columns`], which is 88 when
//! output is piped. These lines were never wrapped, and scripts read them,
//! so they only break at a width that was asked for (`COLUMNS`, or a
//! terminal): with none, the parts are joined exactly as before. Widths
//! are display widths, measured on the unpainted text.

use super::width;

/// One line (or, when it must break, several) under construction.
pub(crate) struct Fit {
    out: String,
    /// Display column after what is written so far.
    col: usize,
    /// Where continuation lines start.
    indent: usize,
    width: Option<usize>,
}

impl Fit {
    /// A line whose continuation lines are indented by `indent`, fitted
    /// to the width `COLUMNS` or the terminal gives, if any.
    pub(crate) fn new(indent: usize) -> Fit {
        Fit::at(width::detected(), indent)
    }

    pub(crate) fn at(width: Option<usize>, indent: usize) -> Fit {
        Fit {
            out: String::new(),
            col: 0,
            indent,
            width,
        }
    }

    fn fits(&self, more: usize) -> bool {
        self.width.is_none_or(|w| self.col + more <= w)
    }

    fn break_line(&mut self) {
        self.out.push('\n');
        self.out.push_str(&" ".repeat(self.indent));
        self.col = self.indent;
    }

    /// Appends `sep` then `shown` (`plain` painted); when they would pass
    /// the width, starts a continuation line instead of writing `sep`. A
    /// part is never split, so one wider than the screen still overflows.
    pub(crate) fn push(&mut self, sep: &str, plain: &str, shown: &str) -> &mut Fit {
        let w = width::display(plain);
        if self.col > self.indent && !self.fits(width::display(sep) + w) {
            self.break_line();
        } else {
            self.out.push_str(sep);
            self.col += width::display(sep);
        }
        self.out.push_str(shown);
        self.col += w;
        self
    }

    /// Appends `plain` painted by `paint`, whole when it fits (or no
    /// width was asked for), else word by word, breaking between words.
    /// Leading spaces in `plain` are its separator.
    pub(crate) fn words(&mut self, plain: &str, paint: &dyn Fn(&str) -> String) -> &mut Fit {
        if self.fits(width::display(plain)) {
            self.out.push_str(&paint(plain));
            self.col += width::display(plain);
            return self;
        }
        let lead = &plain[..plain.len() - plain.trim_start().len()];
        for (i, word) in plain.split_whitespace().enumerate() {
            let sep = if i == 0 { lead } else { " " };
            self.push(sep, word, &paint(word));
        }
        self
    }

    pub(crate) fn finish(&mut self) -> String {
        std::mem::take(&mut self.out)
    }
}

/// `text` wrapped at the width `COLUMNS` or the terminal gives,
/// continuation lines indented by `indent`; unchanged when there is none.
pub(crate) fn wrap_known(text: &str, indent: usize) -> String {
    match width::detected() {
        Some(w) => super::wrap(text, indent, w),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(width: Option<usize>) -> String {
        Fit::at(width, 6)
            .push("", "  ✓ not-thread-safety", "  ✓ not-thread-safety")
            .push("  ", "1/1 met", "1/1 met")
            .words(" · quote not found in the answer", &|s| format!("<{s}>"))
            .finish()
    }

    #[test]
    fn without_a_width_the_parts_join_as_before() {
        assert_eq!(
            line(None),
            "  ✓ not-thread-safety  1/1 met< · quote not found in the answer>"
        );
    }

    #[test]
    fn parts_that_pass_the_width_start_an_indented_line() {
        let out = line(Some(30));
        assert_eq!(
            out,
            "  ✓ not-thread-safety  1/1 met\n      <·> <quote> <not> <found> <in> <the>\n      <answer>"
        );
        let wide = line(Some(100));
        assert_eq!(wide, line(None));
    }

    #[test]
    fn widths_are_display_widths() {
        // Six cells, two, three: eleven.
        let out = Fit::at(Some(11), 2)
            .push("", "全局锁", "全局锁")
            .push("  ", "GIL", "GIL")
            .finish();
        assert_eq!(out, "全局锁  GIL");
        let out = Fit::at(Some(11), 2)
            .push("", "全局解释器", "全局解释器")
            .push("  ", "GIL", "GIL")
            .finish();
        assert_eq!(out, "全局解释器\n  GIL");
    }
}
