//! The rubric's vocabulary: every stem its phrases use, stored once, with the
//! lookups that let an answer word stand for a rubric word (exactly, after
//! collapsing doubled letters, or within a small edit distance).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::text;

/// The first three characters of a word, the part no stemming changes.
pub(super) fn prefix(word: &str) -> &str {
    let end = word.char_indices().nth(3).map_or(word.len(), |(i, _)| i);
    &word[..end]
}

#[derive(Debug, Default)]
pub(super) struct Vocab {
    /// `prefix()` of every stem a phrase has as a word of its own (the
    /// only stems two joined answer words may stand for), to rule out
    /// joined words quickly.
    pub prefixes: HashSet<String>,
    stems: Vec<String>,
    /// `squash()` of each stem, by id, for the edit-distance lookup.
    squashed_stems: Vec<String>,
    /// Characters in each of `squashed_stems`, counted once: the
    /// edit-distance lookup compares lengths before anything else.
    squashed_lens: Vec<usize>,
    /// By id: whether some rubric phrase has the stem as a word of its own,
    /// rather than only as two of its words joined ("ref count" →
    /// "refcount").
    word: Vec<bool>,
    pub exact: HashMap<String, u32>,
    squashed: HashMap<String, Vec<u32>>,
    by_first: HashMap<char, Vec<u32>>,
}

impl Vocab {
    /// Interns a stem that a rubric phrase has as one of its words.
    pub fn intern(&mut self, stem: &str) -> u32 {
        let id = self.intern_joined(stem);
        if !self.word[id as usize] {
            self.word[id as usize] = true;
            self.prefixes.insert(prefix(stem).to_string());
        }
        id
    }

    /// Interns the joined form of two or three phrase words.
    pub fn intern_joined(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.exact.get(stem) {
            return id;
        }
        self.word.push(false);
        let id = self.stems.len() as u32;
        self.stems.push(stem.to_string());
        self.exact.insert(stem.to_string(), id);
        let sq = text::squash(stem);
        self.squashed_lens.push(sq.chars().count());
        self.squashed_stems.push(sq.clone());
        if let Some(first) = sq.chars().next() {
            self.by_first.entry(first).or_default().push(id);
        }
        self.squashed.entry(sq).or_default().push(id);
        id
    }

    /// Whether a rubric phrase has the stem as a word of its own. Two answer
    /// words joined may stand only for such a stem: "lists hash" joined is
    /// "listshash", which is also what stemming "lists hashable" joined
    /// gives, and must not match it.
    pub fn is_word(&self, id: u32) -> bool {
        self.word[id as usize]
    }

    /// Vocabulary entries an answer word stands for.
    pub fn lookup(&self, stem: &str, out: &mut Vec<u32>) {
        if let Some(&id) = self.exact.get(stem) {
            out.push(id);
            return;
        }
        let sq = text::squash(stem);
        if let Some(ids) = self.squashed.get(&sq) {
            out.extend(ids);
            return;
        }
        let len = sq.chars().count();
        if len < 5 || sq.chars().any(|c| c.is_ascii_digit()) {
            return;
        }
        let max = if len >= 9 { 2 } else { 1 };
        let Some(first) = sq.chars().next() else {
            return;
        };
        for &id in self.by_first.get(&first).into_iter().flatten() {
            let clen = self.squashed_lens[id as usize];
            if clen >= 4
                && clen.abs_diff(len) <= max
                && strsim::levenshtein(&sq, &self.squashed_stems[id as usize]) <= max
            {
                out.push(id);
            }
        }
    }
}
