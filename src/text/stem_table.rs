//! The Snowball stems of the embedded bank's words, computed when the binary
//! is built (`build.rs`): compiling a rubric stems every phrase word, and
//! stemming was an eighth of an offline `viva grade`. A word not in the
//! table is stemmed as before; the table only saves the work.

include!(concat!(env!("OUT_DIR"), "/stems.rs"));

fn word(e: &[u32; 4]) -> &'static str {
    &BLOB[e[0] as usize..(e[0] + e[1]) as usize]
}

/// The stem of `word` (lowercase ASCII) if the bank has the word.
pub fn lookup(w: &str) -> Option<&'static str> {
    let i = ENTRIES.binary_search_by(|e| word(e).cmp(w)).ok()?;
    let e = &ENTRIES[i];
    Some(&BLOB[e[2] as usize..(e[2] + e[3]) as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table was made by the stemmer the binary also uses: each entry
    /// must be what stemming the word gives now.
    #[test]
    fn every_entry_is_the_stemmers_own_stem() {
        let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
        assert!(ENTRIES.len() > 5000, "the bank has thousands of words");
        for e in &ENTRIES {
            assert_eq!(lookup(word(e)), Some(stemmer.stem(word(e)).as_ref()));
        }
        assert_eq!(lookup("threads"), Some("thread"));
        assert_eq!(lookup("zzzz-not-a-word"), None);
    }
}
