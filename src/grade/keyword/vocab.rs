//! The rubric's vocabulary: every stem its phrases use, stored once, with the
//! lookups that let an answer word stand for a rubric word (exactly, after
//! collapsing doubled letters, or within a small edit distance).

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Deserialize, Serialize};

use crate::text::{self, Memo, Word};

/// Distinct answer words (and word pairs) remembered per thread, per
/// vocabulary: enough for a batch's working set across the bank's rubrics.
const LOOKUP_MEMO: usize = 20_000;

/// Answer word (its folded form) in one vocabulary → the ids it stands for.
type LookupMemo = RefCell<Memo<(u64, Word), Box<[u32]>>>;

thread_local! {
    /// What an answer stem stands for in one vocabulary (by
    /// [`Vocab::uid`]). Most answer words are in no rubric phrase, and
    /// finding that out took the edit-distance scan every time.
    static LOOKUPS: LookupMemo = RefCell::new(Memo::new(LOOKUP_MEMO));
}

/// Longest two or three answer words joined (in bytes) that are tried as one
/// word.
const JOINED_MAX: usize = 48;

/// Letters an answer word needs (after collapsing doubled letters) to be
/// compared as written: shorter words are too often two real words one
/// letter apart ("parses", "passes").
const SURFACE_MIN: usize = 7;

/// Whether two words end in the same two letters: a misspelling changes
/// the inside of a word ("refrence", "intialized"), while a change at the
/// end is another form of it ("wrapper", "wrapped"), which its stem
/// already tells apart.
fn same_ending(a: &str, b: &str) -> bool {
    let mut a = a.chars().rev();
    let mut b = b.chars().rev();
    a.next() == b.next() && a.next() == b.next()
}

/// The first two characters of a word, if it has two.
fn head(word: &str) -> Option<[char; 2]> {
    let mut chars = word.chars();
    Some([chars.next()?, chars.next()?])
}

/// The first three characters of a word, the part no stemming changes.
pub(super) fn prefix(word: &str) -> &str {
    let end = word.char_indices().nth(3).map_or(word.len(), |(i, _)| i);
    &word[..end]
}

/// A span of [`Strings::text`]: start and end byte.
type Span = (u32, u32);

/// A rubric word as written (squashed), for [`Vocab::lookup_surface`].
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Surface {
    span: Span,
    /// Its length in characters.
    chars: u32,
    /// The id of its stem.
    id: u32,
}

/// No next id: the end of a chain in [`Strings::same_squash`].
const NONE: u32 = u32::MAX;

/// What a vocabulary keeps, and what is stored with a compiled rubric. A
/// batch keeps every rubric it meets compiled, and with a `String` (and a
/// map entry) per stem, squashed stem, prefix and trunk, the vocabularies
/// were half the heap of a batch over the bank: 99 KB per rubric for
/// about 6 KB of text. Every string now lives in one `text`, referred to by
/// span, and the sets only asked about (prefixes, trunks) keep hashes.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Strings {
    /// Every stem, squashed stem (where squashing changes it) and written
    /// form, end to end.
    text: String,
    /// By id: the stem.
    stems: Vec<Span>,
    /// By id: `squash()` of the stem, for the edit-distance lookup.
    squashed: Vec<Span>,
    /// By id: characters in the squashed stem, counted once: the
    /// edit-distance lookup compares lengths before anything else.
    squashed_lens: Vec<u32>,
    /// By id: whether some rubric phrase has the stem as a word of its own,
    /// rather than only as two of its words joined ("ref count" →
    /// "refcount").
    word: Vec<bool>,
    /// By id: whether other stems collapse to the same squashed form
    /// ("ad", the stem of "adding", and "add"), which an answer word equal
    /// to one of them also stands for.
    shares_squash: Vec<bool>,
    /// By id: the next id whose stem squashes alike, in the order they
    /// came, or [`NONE`].
    same_squash: Vec<u32>,
    /// Hashes of `prefix()` of every stem a phrase has as a word of its
    /// own (the only stems two joined answer words may stand for), to rule
    /// out joined words quickly. A hash that collides only lets a pair
    /// through to [`Vocab::joined`]'s exact check.
    prefixes: HashSet<u64>,
    /// [`trunk_hash`]es of every such stem without its last character: stemming
    /// only trims or rewrites the end of a word ("dictionary" →
    /// "dictionari"), so two words joined can stem to one of these stems
    /// only if the joined form starts with its trunk. Ruling that out is a
    /// few lookups, where stemming every pair of neighbouring words was a
    /// quarter of grading.
    trunks: HashSet<u64>,
    /// Hashes of what comes before each underscore of such a stem
    /// ("call" and "call_soon" of "call_soon_threadsafe"): the only first
    /// words of answer words joined into a snake_case name (see
    /// [`Vocab::snake_joined`]), so most neighbours are ruled out in one
    /// lookup.
    snake_heads: HashSet<u64>,
    by_first: HashMap<char, Vec<u32>>,
    /// Rubric words as written (squashed), by their first two letters: a
    /// misspelling can stem far from its word ("refrence" → "refrenc",
    /// "reference" → "refer") while the written forms are one letter
    /// apart. Misspellings rarely touch the first two letters.
    surfaces: HashMap<[char; 2], Vec<Surface>>,
}

impl Strings {
    fn get(&self, (start, end): Span) -> &str {
        &self.text[start as usize..end as usize]
    }

    fn push(&mut self, s: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(s);
        (start as u32, self.text.len() as u32)
    }

    fn stem(&self, id: u32) -> &str {
        self.get(self.stems[id as usize])
    }

    fn squashed(&self, id: u32) -> &str {
        self.get(self.squashed[id as usize])
    }

    /// The ids whose stems squash alike, from the first.
    fn chain(&self, first: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::successors(Some(first), |&id| {
            Some(self.same_squash[id as usize]).filter(|&n| n != NONE)
        })
    }
}

fn hash(s: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(s)
}

/// FNV-1a's offset basis: [`trunk_hash`] of the empty string.
const TRUNK_SEED: u64 = 0xcbf2_9ce4_8422_2325;

/// [`trunk_hash`] of a string one byte longer.
fn trunk_step(hash: u64, byte: u8) -> u64 {
    (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
}

/// The hash of [`Strings::trunks`]: FNV-1a, byte by byte, so the hashes of
/// every prefix of a string come in one pass over it. A hash of each
/// prefix on its own was quadratic in the joined word's length, and
/// [`Vocab::joined`] asks about every prefix of most neighbouring pairs.
fn trunk_hash(s: &str) -> u64 {
    s.bytes().fold(TRUNK_SEED, trunk_step)
}

pub(super) struct Vocab {
    /// Unique per vocabulary in the process: the key of the per-thread
    /// lookup memos, which outlive any one rubric. A vocabulary read back
    /// from disk draws a new one.
    uid: Uid,
    strings: Strings,
    /// Ids by stem. Rebuilt when a stored vocabulary is read back.
    exact: HashTable<u32>,
    /// The first id of each squashed form, by that form. Rebuilt too.
    squash_heads: HashTable<u32>,
}

impl Default for Vocab {
    fn default() -> Self {
        Vocab::indexed(Strings::default())
    }
}

impl std::fmt::Debug for Vocab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vocab")
            .field("ids", &self.len())
            .field("bytes", &self.strings.text.len())
            .finish()
    }
}

impl Serialize for Vocab {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.strings.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Vocab {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vocab::indexed(Strings::deserialize(d)?))
    }
}

/// A vocabulary's process-unique id, drawn when the vocabulary is made.
#[derive(Debug)]
struct Uid(u64);

impl Default for Uid {
    fn default() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        Uid(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

impl Vocab {
    /// A vocabulary of `strings`, with its lookup tables built.
    fn indexed(strings: Strings) -> Vocab {
        let n = strings.stems.len();
        let mut exact = HashTable::with_capacity(n);
        let mut squash_heads = HashTable::new();
        let mut chained = vec![false; n];
        for id in 0..n as u32 {
            exact.insert_unique(hash(strings.stem(id)), id, |&i| hash(strings.stem(i)));
            if !chained[id as usize] {
                for other in strings.chain(id) {
                    chained[other as usize] = true;
                }
                let h = hash(strings.squashed(id));
                squash_heads.insert_unique(h, id, |&i| hash(strings.squashed(i)));
            }
        }
        Vocab {
            uid: Uid::default(),
            strings,
            exact,
            squash_heads,
        }
    }

    /// The id of a stem, if a phrase has it (as a word or joined).
    fn find(&self, stem: &str) -> Option<u32> {
        let s = &self.strings;
        self.exact
            .find(hash(stem), |&id| s.stem(id) == stem)
            .copied()
    }

    /// The first id whose stem squashes to `sq`.
    fn squash_head(&self, sq: &str) -> Option<u32> {
        let s = &self.strings;
        self.squash_heads
            .find(hash(sq), |&id| s.squashed(id) == sq)
            .copied()
    }

    /// Whether some stem a phrase has as a word of its own starts with
    /// `prefix` (see [`prefix`]); now and then true when none does.
    pub fn could_start(&self, prefix: &str) -> bool {
        self.strings.prefixes.contains(&hash(prefix))
    }

    /// [`Vocab::lookup`] of an answer word's stem, memoised per thread;
    /// when the stem stands for nothing, the word as written is compared
    /// with the rubric's written words (see [`Strings::surfaces`]).
    pub fn lookup_word(&self, stem: &Word, norm: &Word, out: &mut Vec<u32>) {
        if let Some(id) = self.find(stem.as_str())
            && !self.strings.shares_squash[id as usize]
        {
            out.push(id);
            return;
        }
        // A word with a digit matches only exactly (see `Vocab::lookup`),
        // which costs less than a memo lookup; and numbers are mostly
        // one-offs (ids, counts, versions) that would only crowd out the
        // words that repeat.
        if stem.bytes().any(|b| b.is_ascii_digit()) {
            self.lookup(stem, out);
            return;
        }
        LOOKUPS.with(|memo| {
            let mut memo = memo.borrow_mut();
            let key = (self.uid.0, norm.clone());
            if memo.with(&key, |ids| out.extend_from_slice(ids)).is_some() {
                return;
            }
            let start = out.len();
            self.lookup(stem, out);
            if out.len() == start {
                self.lookup_surface(norm, out);
            }
            memo.insert(key, out[start..].into());
        })
    }

    /// Records how a rubric word is written, for [`Vocab::lookup_surface`].
    pub fn note_surface(&mut self, norm: &str, id: u32) {
        // Squashing only shortens a word: most rubric words are too short
        // to be compared as written, and need no squashing to tell.
        if norm.chars().count() < SURFACE_MIN - 1 {
            return;
        }
        let sq = text::squash(norm);
        let len = sq.chars().count();
        if len < SURFACE_MIN - 1 || sq.chars().any(|c| c.is_ascii_digit()) {
            return;
        }
        let Some(head) = head(&sq) else {
            return;
        };
        let s = &mut self.strings;
        let known = s.surfaces.get(&head).is_some_and(|list| {
            list.iter()
                .any(|w| w.id == id && s.get(w.span) == sq.as_str())
        });
        if !known {
            let span = s.push(&sq);
            s.surfaces.entry(head).or_default().push(Surface {
                span,
                chars: len as u32,
                id,
            });
        }
    }

    /// The stems of rubric words written within the edit distance
    /// [`Vocab::lookup`] allows of the answer word as written.
    fn lookup_surface(&self, norm: &str, out: &mut Vec<u32>) {
        let sq = text::squash(norm);
        let len = sq.chars().count();
        if len < SURFACE_MIN || sq.chars().any(|c| c.is_ascii_digit()) {
            return;
        }
        let max = if len >= 9 { 2 } else { 1 };
        let Some(head) = head(&sq) else {
            return;
        };
        let s = &self.strings;
        for w in s.surfaces.get(&head).into_iter().flatten() {
            let written = s.get(w.span);
            if (w.chars as usize).abs_diff(len) <= max
                && same_ending(&sq, written)
                && strsim::levenshtein(&sq, written) <= max
                && !out.contains(&w.id)
            {
                out.push(w.id);
            }
        }
    }

    /// The rubric word that two adjacent answer words stand for when
    /// written as one ("multi processing" → "multiprocessing"): only a stem
    /// some phrase has as a word of its own counts. The pair is stemmed
    /// (memoised per thread) only when it reaches one of
    /// [`Strings::trunks`].
    pub fn joined(&self, first: &str, second: &str) -> Option<u32> {
        self.joined_by(&[first, second], "")
    }

    /// The snake_case rubric word that two or three adjacent answer words
    /// stand for: "task done" → "task_done", "call soon threadsafe" →
    /// "call_soon_threadsafe", as a transcript writes an identifier said
    /// aloud (see [`Vocab::joined`]).
    pub fn snake_joined(&self, words: &[&str]) -> Option<u32> {
        let first = words.first()?;
        if !self.strings.snake_heads.contains(&hash(first)) {
            return None;
        }
        self.joined_by(words, "_")
    }

    /// The rubric word that `words` joined by `separator` stem to, if a
    /// phrase has it as a word of its own (see [`Vocab::joined`]).
    fn joined_by(&self, words: &[&str], separator: &str) -> Option<u32> {
        let len = words.iter().map(|w| w.len()).sum::<usize>()
            + separator.len() * words.len().saturating_sub(1);
        if len > JOINED_MAX || words.len() < 2 || words.iter().any(|w| w.is_empty()) {
            return None;
        }
        let first = words[0];
        let mut buf = [0u8; JOINED_MAX];
        let mut at = 0;
        for (i, word) in words.iter().enumerate() {
            if i > 0 {
                buf[at..at + separator.len()].copy_from_slice(separator.as_bytes());
                at += separator.len();
            }
            buf[at..at + word.len()].copy_from_slice(word.as_bytes());
            at += word.len();
        }
        // Two whole strings joined are valid UTF-8.
        let joined = std::str::from_utf8(&buf[..len]).ok()?;
        // A stem that ends inside the first word would mean the stemmer
        // dropped all of the second: only trunks reaching past it count.
        let mut trunk = TRUNK_SEED;
        let mut reaches_a_trunk = false;
        for (end, &byte) in joined.as_bytes().iter().enumerate().chain([(len, &0)]) {
            if end >= first.len()
                && joined.is_char_boundary(end)
                && self.strings.trunks.contains(&trunk)
            {
                reaches_a_trunk = true;
                break;
            }
            trunk = trunk_step(trunk, byte);
        }
        if !reaches_a_trunk {
            return None;
        }
        let stem = text::stem(joined);
        self.find(&stem).filter(|&id| self.is_word(id))
    }

    /// How many ids there are: every id is below this.
    pub fn len(&self) -> usize {
        self.strings.word.len()
    }

    /// Gives back the room the collections grew into while the rubric was
    /// compiled: a batch keeps every compiled rubric it meets for the
    /// whole run.
    pub fn shrink(&mut self) {
        let s = &mut self.strings;
        s.text.shrink_to_fit();
        s.stems.shrink_to_fit();
        s.squashed.shrink_to_fit();
        s.squashed_lens.shrink_to_fit();
        s.word.shrink_to_fit();
        s.shares_squash.shrink_to_fit();
        s.same_squash.shrink_to_fit();
        s.prefixes.shrink_to_fit();
        s.trunks.shrink_to_fit();
        s.snake_heads.shrink_to_fit();
        s.by_first.shrink_to_fit();
        s.by_first.values_mut().for_each(Vec::shrink_to_fit);
        s.surfaces.shrink_to_fit();
        s.surfaces.values_mut().for_each(Vec::shrink_to_fit);
        let s = &self.strings;
        self.exact.shrink_to_fit(|&i| hash(s.stem(i)));
        self.squash_heads.shrink_to_fit(|&i| hash(s.squashed(i)));
    }

    /// Interns a stem that a rubric phrase has as one of its words.
    pub fn intern(&mut self, stem: &str) -> u32 {
        let id = self.intern_joined(stem);
        let s = &mut self.strings;
        if !s.word[id as usize] {
            s.word[id as usize] = true;
            s.prefixes.insert(hash(prefix(stem)));
            let trunk = stem.char_indices().last().map_or(0, |(i, _)| i);
            s.trunks.insert(trunk_hash(&stem[..trunk]));
            for (at, _) in stem.match_indices('_').filter(|&(at, _)| at > 0) {
                s.snake_heads.insert(hash(&stem[..at]));
            }
        }
        id
    }

    /// Interns the joined form of two or three phrase words.
    pub fn intern_joined(&mut self, stem: &str) -> u32 {
        if let Some(id) = self.find(stem) {
            return id;
        }
        let id = self.len() as u32;
        let sq = text::squash(stem);
        let head = self.squash_head(&sq);
        let s = &mut self.strings;
        let stem_span = s.push(stem);
        let sq_span = if sq == stem { stem_span } else { s.push(&sq) };
        s.stems.push(stem_span);
        s.squashed.push(sq_span);
        s.word.push(false);
        s.squashed_lens.push(sq.chars().count() as u32);
        if let Some(first) = sq.chars().next() {
            s.by_first.entry(first).or_default().push(id);
        }
        s.shares_squash.push(head.is_some());
        s.same_squash.push(NONE);
        let s = &self.strings;
        self.exact
            .insert_unique(hash(stem), id, |&i| hash(s.stem(i)));
        match head {
            Some(first) => {
                // One walk down the chain: every id on it now shares its
                // squashed form, and the new id goes at its end.
                let s = &mut self.strings;
                let mut at = first;
                loop {
                    s.shares_squash[at as usize] = true;
                    match s.same_squash[at as usize] {
                        NONE => break,
                        next => at = next,
                    }
                }
                s.same_squash[at as usize] = id;
            }
            None => {
                self.squash_heads
                    .insert_unique(hash(&sq), id, |&i| hash(s.squashed(i)));
            }
        }
        id
    }

    /// Whether a rubric phrase has the stem as a word of its own. Two answer
    /// words joined may stand only for such a stem: "lists hash" joined is
    /// "listshash", which is also what stemming "lists hashable" joined
    /// gives, and must not match it.
    pub fn is_word(&self, id: u32) -> bool {
        self.strings.word[id as usize]
    }

    /// Vocabulary entries an answer word stands for.
    pub fn lookup(&self, stem: &str, out: &mut Vec<u32>) {
        let s = &self.strings;
        let exact = self.find(stem);
        if let Some(id) = exact
            && !s.shares_squash[id as usize]
        {
            out.push(id);
            return;
        }
        // Numbers match only exactly: "1000" squashes like "10000".
        if stem.bytes().any(|b| b.is_ascii_digit()) {
            out.extend(exact);
            return;
        }
        let sq = text::squash(stem);
        if let Some(first) = self.squash_head(&sq) {
            match exact {
                // An exact entry does not hide the words that squash alike:
                // a rubric that gains "adding" (stem "ad") must not stop
                // "adding" from standing for the "add" of another phrase.
                // A joined form ("never rely" → "neverr") is not such a
                // word: one answer word must not stand for a whole phrase.
                Some(id) => {
                    out.push(id);
                    out.extend(s.chain(first).filter(|&o| o != id && s.word[o as usize]));
                }
                None => out.extend(s.chain(first)),
            }
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
        // Only stems a phrase has as words of its own: a joined form
        // ("same thing" → "samething") is two words the answer must write
        // as one, and two edits away it would be "something".
        for &id in s.by_first.get(&first).into_iter().flatten() {
            let clen = s.squashed_lens[id as usize] as usize;
            if s.word[id as usize]
                && clen >= 4
                && clen.abs_diff(len) <= max
                && strsim::levenshtein(&sq, s.squashed(id)) <= max
            {
                out.push(id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(vocab: &Vocab, stem: &str) -> Vec<u32> {
        let mut out = Vec::new();
        vocab.lookup_word(&Word::from(stem), &Word::from(stem), &mut out);
        out
    }

    #[test]
    fn memoised_lookups_belong_to_their_vocabulary() {
        let mut a = Vocab::default();
        let thread = a.intern("thread");
        let mut b = Vocab::default();
        b.intern("lock");
        let process = b.intern("process");
        // A misspelling found by edit distance, asked twice: same answer.
        assert_eq!(ids(&a, "threed"), [thread]);
        assert_eq!(ids(&a, "threed"), [thread]);
        // The other vocabulary does not see the first one's memo.
        assert_eq!(ids(&b, "threed"), Vec::<u32>::new());
        assert_eq!(ids(&b, "procces"), [process]);
        assert_eq!(ids(&a, "procces"), Vec::<u32>::new());
    }

    #[test]
    fn a_misspelling_is_compared_as_written_when_its_stem_is_far() {
        let mut v = Vocab::default();
        // "reference" stems to "refer"; "refrence" to "refrenc", two
        // edits away. Written, they are one apart.
        let refer = v.intern(&text::stem("reference"));
        v.note_surface("reference", refer);
        let wrap = v.intern(&text::stem("wrapped"));
        v.note_surface("wrapped", wrap);
        let found = |norm: &str| {
            let mut out = Vec::new();
            v.lookup_word(
                &Word::from(text::stem(norm).as_str()),
                &Word::from(norm),
                &mut out,
            );
            out
        };
        assert_eq!(found("refrence"), [refer]);
        assert_eq!(found("reference"), [refer]);
        // Another first letter, or another ending (another form of a
        // word, which its stem decides), stays apart.
        assert_eq!(found("deference"), Vec::<u32>::new());
        assert_eq!(found("wrapper"), Vec::<u32>::new());
        let mut w = Vocab::default();
        let id = w.intern("set");
        w.note_surface("set", id);
        let mut out = Vec::new();
        w.lookup_word(&Word::from("sat"), &Word::from("sat"), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn an_exact_stem_does_not_hide_one_that_squashes_alike() {
        let mut v = Vocab::default();
        let add = v.intern("add");
        // Later, another phrase brings "adding", whose stem is "ad".
        let ad = v.intern("ad");
        let mut found = ids(&v, "ad");
        found.sort();
        assert_eq!(found, [add, ad]);
        assert_eq!(ids(&v, "add").len(), 2);
        // A joined form that squashes like a word is not found by it.
        let never = v.intern("never");
        v.intern_joined("neverr");
        assert_eq!(ids(&v, "never"), [never]);
        // Numbers only exactly.
        let thousand = v.intern("1000");
        v.intern("10000");
        assert_eq!(ids(&v, "1000"), [thousand]);
        assert_eq!(ids(&v, "100"), Vec::<u32>::new());
        // A stem that squashes like no other is still found exactly.
        let queue = v.intern("queue");
        assert_eq!(ids(&v, "queue"), [queue]);
    }

    #[test]
    fn joined_words_stand_only_for_a_phrase_word() {
        let mut v = Vocab::default();
        let multi = v.intern("multiprocess");
        v.intern_joined("refcount");
        assert_eq!(v.joined("multi", "processing"), Some(multi));
        assert_eq!(v.joined("multi", "processes"), Some(multi));
        // Only the joined form of a phrase's words: not a word of its own.
        assert_eq!(v.joined("ref", "count"), None);
        assert_eq!(v.joined("multi", "plier"), None);
        // Stemming rewrote the end: the joined form still reaches the trunk.
        let dict = v.intern("dictionari");
        assert_eq!(v.joined("dic", "tionary"), Some(dict));
    }

    #[test]
    fn two_words_said_stand_for_a_snake_case_name() {
        let mut v = Vocab::default();
        let done = v.intern(&text::stem("task_done"));
        assert_eq!(v.snake_joined(&["task", "done"]), Some(done));
        // Joined without the underscore, they are another word.
        assert_eq!(v.joined("task", "done"), None);
        assert_eq!(v.snake_joined(&["task", "list"]), None);
        let call = v.intern(&text::stem("call_soon_threadsafe"));
        assert_eq!(v.snake_joined(&["call", "soon", "threadsafe"]), Some(call));
        assert_eq!(v.snake_joined(&["call_soon", "threadsafe"]), Some(call));
    }

    #[test]
    fn a_stored_vocabulary_reads_back_with_its_lookups() {
        let mut v = Vocab::default();
        let add = v.intern("add");
        let ad = v.intern("ad");
        let refer = v.intern(&text::stem("reference"));
        v.note_surface("reference", refer);
        let multi = v.intern("multiprocess");
        v.intern_joined("refcount");
        v.shrink();
        let bytes = postcard::to_stdvec(&v).unwrap();
        let back: Vocab = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back.len(), v.len());
        let mut x = ids(&v, "ad");
        let mut y = ids(&back, "ad");
        x.sort();
        y.sort();
        assert_eq!(x, [add, ad]);
        assert_eq!(x, y);
        let mut out = Vec::new();
        back.lookup_word(&Word::from("refrenc"), &Word::from("refrence"), &mut out);
        assert_eq!(out, [refer]);
        assert_eq!(back.joined("multi", "processing"), Some(multi));
        assert_eq!(back.joined("ref", "count"), None);
        assert!(back.could_start("mul"));
    }

    #[test]
    fn a_joined_form_is_not_matched_by_spelling_distance() {
        let mut v = Vocab::default();
        let joined = v.intern_joined("samething");
        let mut out = Vec::new();
        v.lookup_word(&Word::from("samething"), &Word::from("samething"), &mut out);
        assert_eq!(out, [joined]);
        out.clear();
        v.lookup_word(&Word::from("something"), &Word::from("something"), &mut out);
        assert_eq!(out, Vec::<u32>::new());
    }
}
