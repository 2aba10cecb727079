//! Word lists and what happens to one word: folding, contraction expansion,
//! stemming, and which part a word plays (content, negator, stopword, filler).

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::tokenize::is_apostrophe;
use super::{Kind, Word};

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

const STOPWORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "am",
    "do",
    "does",
    "did",
    "doing",
    "has",
    "have",
    "had",
    "having",
    "will",
    "would",
    "shall",
    "should",
    "can",
    "could",
    "may",
    "might",
    "must",
    "i",
    "me",
    "my",
    "we",
    "our",
    "us",
    "you",
    "your",
    "he",
    "him",
    "his",
    "she",
    "her",
    "they",
    "them",
    "their",
    "there",
    "here",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "with",
    "as",
    "into",
    "onto",
    "about",
    "than",
    "then",
    "so",
    "and",
    "or",
    "if",
    "also",
    "just",
    "very",
    "really",
    "actually",
    "basically",
    "simply",
    "quite",
    "which",
    "who",
    "whom",
    "whose",
    "what",
    "when",
    "where",
    "how",
    "why",
    "such",
    "some",
    "okay",
    "ok",
    "well",
    "yeah",
    "yes",
    "oh",
];

/// Function words beyond the stopwords: prepositions, conjunctions,
/// determiners and quantifiers. A fragment with none of these and no
/// stopword is a bare term ("reference counting"), not a statement.
const FUNCTION_WORDS: &[&str] = &[
    "during", "over", "under", "between", "across", "through", "after", "before", "until", "via",
    "per", "within", "each", "every", "all", "any", "both", "either", "but", "because", "while",
    "since", "although", "though", "whereas", "unless", "plus", "like", "instead", "rather",
    "other", "another", "more", "most", "less", "only", "same", "one", "way", "against", "among",
    "around", "behind", "beyond", "inside", "outside", "without", "upon", "whether", "not", "no",
    "never", "nor", "neither", "up", "out", "down", "off", "too",
];

/// A fixed list of words, asked about once per token: hashed on first use.
/// Scanning the list compared each entry of the same length byte by byte,
/// and the grader asks such lists about every word of every answer.
/// Most words asked about have a length no word of the set has, which a
/// bit per length rules out before any hashing.
pub struct WordSet {
    words: &'static [&'static str],
    /// Bit `n` set when some word of the set is `n` bytes long (63 for
    /// any longer).
    lengths: u64,
    set: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>>,
}

/// The bit of [`WordSet::lengths`] for a word of `len` bytes.
const fn length_bit(len: usize) -> u64 {
    1 << if len < 63 { len } else { 63 }
}

impl WordSet {
    pub const fn new(words: &'static [&'static str]) -> Self {
        let mut lengths = 0;
        let mut i = 0;
        while i < words.len() {
            lengths |= length_bit(words[i].len());
            i += 1;
        }
        WordSet {
            words,
            lengths,
            set: std::sync::OnceLock::new(),
        }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.lengths & length_bit(word.len()) != 0
            && self
                .set
                .get_or_init(|| self.words.iter().copied().collect())
                .contains(word)
    }

    /// The words, in the order listed.
    pub fn words(&self) -> &'static [&'static str] {
        self.words
    }
}

/// Stopwords and function words together, hashed: asked once per token.
static FUNCTION_SET: LazyLock<rustc_hash::FxHashSet<&'static str>> =
    LazyLock::new(|| STOPWORDS.iter().chain(FUNCTION_WORDS).copied().collect());

/// True for words that make a fragment a statement rather than a bare term.
pub fn is_function_word(norm: &str) -> bool {
    FUNCTION_SET.contains(norm)
}

/// True for a contrastive word ("but", "however"), which sets one claim
/// against another.
pub fn is_contrastive(norm: &str) -> bool {
    CONTRASTIVE.contains(norm)
}

/// True for a word that negates what follows ("not", "never", "without").
pub fn is_negator(norm: &str) -> bool {
    NEGATORS.contains(&norm)
}

/// True for a verb that says what follows does not happen ("it avoids
/// copies": no copies are made; "prevents", "lacks", "forbids"). Not
/// "block": in code it is mostly a noun ("the else block runs").
pub fn is_preventing(norm: &str) -> bool {
    PREVENTING.contains(norm)
}

static PREVENTING: WordSet = WordSet::new(&[
    "avoid",
    "avoids",
    "avoided",
    "avoiding",
    "prevent",
    "prevents",
    "prevented",
    "preventing",
    "eliminate",
    "eliminates",
    "eliminated",
    "stop",
    "stops",
    "stopped",
    "stopping",
    "forbid",
    "forbids",
    "forbidden",
    "disallow",
    "disallows",
    "disallowed",
    "prohibit",
    "prohibits",
    "lack",
    "lacks",
    "lacked",
    "lacking",
]);

const NEGATORS: &[&str] = &[
    "not", "no", "never", "neither", "nor", "without", "nothing", "nobody", "rarely", "seldom",
    "hardly",
];

const FILLERS: &[&str] = &[
    "um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "ahh", "hmm", "hm", "mm", "mhm", "eh",
];

/// Words after which a negation no longer applies ("not X, but Y").
pub(super) static CONTRASTIVE: WordSet = WordSet::new(&[
    "but", "however", "although", "though", "whereas", "yet", "instead",
]);

/// Contractions written without an apostrophe, common in transcripts.
const BARE_NEGATIVES: &[(&str, &str)] = &[
    ("dont", "do"),
    ("doesnt", "does"),
    ("didnt", "did"),
    ("isnt", "is"),
    ("arent", "are"),
    ("wasnt", "was"),
    ("werent", "were"),
    ("cant", "can"),
    ("cannot", "can"),
    ("couldnt", "could"),
    ("shouldnt", "should"),
    ("wouldnt", "would"),
    ("hasnt", "has"),
    ("havent", "have"),
    ("hadnt", "had"),
    ("wont", "will"),
];

/// Folds a word: compatibility forms, accents removed, lowercase.
fn fold(word: &str) -> String {
    // Plain ASCII has no compatibility forms or accents to fold.
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    word.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// A per-thread memo that keeps what is used: two generations of at most
/// `cap` entries each. When the young one is full it becomes the old one
/// (the previous old one is dropped), and an entry found in the old one
/// moves back to the young one. A word repeated across answers survives;
/// one-offs (rare words, numbers, word pairs) age out. Clearing everything
/// when full, as before, made stemming a tenth of a long batch's time.
pub struct Memo<K, V> {
    young: rustc_hash::FxHashMap<K, V>,
    old: rustc_hash::FxHashMap<K, V>,
    cap: usize,
}

impl<K: std::hash::Hash + Eq, V> Memo<K, V> {
    pub fn new(cap: usize) -> Self {
        Memo {
            young: Default::default(),
            old: Default::default(),
            cap,
        }
    }

    /// Calls `f` with the value remembered for `key`, if any. A closure
    /// rather than a returned reference: a hit then costs one hash lookup,
    /// where returning the reference needed a second (the borrow checker
    /// cannot see that the miss path no longer borrows the young map).
    pub fn with<Q, R>(&mut self, key: &Q, f: impl FnOnce(&V) -> R) -> Option<R>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        if let Some(v) = self.young.get(key) {
            return Some(f(v));
        }
        let (k, v) = self.old.remove_entry(key)?;
        let r = f(&v);
        self.insert(k, v);
        Some(r)
    }

    pub fn insert(&mut self, key: K, value: V) {
        if self.young.len() >= self.cap {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(key, value);
    }
}

/// The Snowball stem of a word: from the bank's table when the word is
/// there (see [`super::stem_table`]), else from the stemmer.
fn snowball(word: &str) -> std::borrow::Cow<'_, str> {
    match super::stem_table::lookup(word) {
        Some(s) => s.into(),
        None => STEMMER.stem(word),
    }
}

/// Snowball stem of a word. Answers repeat the same technical words, so
/// stems are memoised per thread (see [`Memo`]).
pub fn stem(word: &str) -> String {
    thread_local! {
        static CACHE: std::cell::RefCell<Memo<String, String>> =
            std::cell::RefCell::new(Memo::new(20_000));
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(s) = cache.with(word, String::clone) {
            return s;
        }
        let s = snowball(word).into_owned();
        cache.insert(word.to_string(), s.clone());
        s
    })
}

/// One normalised word of a raw word as written: "doesn't" gives "does"
/// and "not". Everything here depends on the raw word alone.
#[derive(Debug, Clone)]
pub(super) struct Form {
    pub norm: Word,
    pub stem: Word,
    pub kind: Kind,
    /// A contrastive word ("but", "however"): it breaks a clause.
    pub contrast: bool,
}

/// Calls `each` with the normalised words of `raw` (see [`expand`]), each
/// with its stem and kind. Answers repeat the same words, and folding,
/// expanding, classifying and stemming a word cost far more than looking it
/// up, so the forms are memoised per thread (see [`Memo`]) and
/// shared by every token of the same word.
pub(super) fn forms(raw: &str, mut each: impl FnMut(&Form)) {
    thread_local! {
        static CACHE: std::cell::RefCell<Memo<Box<str>, Box<[Form]>>> =
            std::cell::RefCell::new(Memo::new(20_000));
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache
            .with(raw, |forms| forms.iter().for_each(&mut each))
            .is_some()
        {
            return;
        }
        let forms: Box<[Form]> = expand(raw)
            .into_iter()
            .filter(|norm| !norm.is_empty())
            .map(|norm| {
                let contrast = CONTRASTIVE.contains(norm.as_str());
                Form {
                    stem: Word::from(snowball(&norm).as_ref()),
                    kind: if contrast {
                        Kind::Stop
                    } else {
                        classify(&norm)
                    },
                    norm: norm.into(),
                    contrast,
                }
            })
            .collect();
        forms.iter().for_each(&mut each);
        // Numbers are mostly one-offs (ids, counts): keeping them would only
        // fill the cache and clear the words that do repeat.
        if raw.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        cache.insert(raw.into(), forms);
    });
}

/// Collapses runs of a repeated letter ("gill" → "gil", "tupple" → "tuple"),
/// a common shape of misspellings and mishearings.
pub fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = None;
    for c in s.chars() {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

/// Every listed word with its kind, hashed: asked once per token.
static KINDS: LazyLock<rustc_hash::FxHashMap<&'static str, Kind>> = LazyLock::new(|| {
    let mut kinds = rustc_hash::FxHashMap::default();
    // Later lists win: a negator is never a stopword.
    for (list, kind) in [
        (STOPWORDS, Kind::Stop),
        (FILLERS, Kind::Filler),
        (NEGATORS, Kind::Negator),
    ] {
        for w in list {
            kinds.insert(*w, kind);
        }
    }
    kinds
});

pub(super) fn classify(norm: &str) -> Kind {
    KINDS.get(norm).copied().unwrap_or(Kind::Word)
}

/// Splits a raw word into normalised words, expanding negative contractions.
pub(super) fn expand(raw: &str) -> Vec<String> {
    let mut folded = fold(raw);
    // Typographic apostrophes are not ASCII: plain words skip the rewrite.
    if !folded.is_ascii() {
        folded = folded
            .chars()
            .map(|c| if is_apostrophe(c) { '\'' } else { c })
            .collect();
    }
    let trimmed = folded.trim_matches('_');
    if trimmed.len() == folded.len() && !folded.contains('\'') && !folded.ends_with('t') {
        // The common case: nothing to trim and no contraction to expand
        // (every bare negative, "dont" to "cannot", ends in t).
        return vec![folded];
    }
    let word = if trimmed.is_empty() {
        folded.as_str()
    } else {
        trimmed
    };
    if let Some(base) = word.strip_suffix("n't") {
        let base = match base {
            "ca" => "can",
            "wo" => "will",
            "sha" => "shall",
            "ai" => "is",
            b => b,
        };
        return vec![base.to_string(), "not".to_string()];
    }
    if let Some((head, _)) = word.split_once('\'') {
        return vec![head.to_string()];
    }
    if let Some((_, base)) = BARE_NEGATIVES.iter().find(|(w, _)| *w == word) {
        return vec![base.to_string(), "not".to_string()];
    }
    vec![word.to_string()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memo_keeps_what_is_used_and_drops_one_offs() {
        let mut m: Memo<String, u32> = Memo::new(2);
        m.insert("gil".into(), 1);
        m.insert("lock".into(), 2);
        // Full: "gil" and "lock" age into the old generation.
        m.insert("once".into(), 3);
        assert_eq!(
            m.with("gil", |v| *v),
            Some(1),
            "found in the old generation, moved back"
        );
        // Full again: "once" and "gil" age; "lock", never used, is dropped.
        m.insert("twice".into(), 4);
        assert_eq!(m.with("lock", |v| *v), None);
        assert_eq!(m.with("gil", |v| *v), Some(1));
        assert_eq!(m.with("once", |v| *v), Some(3));
    }

    /// `expand` skips its contraction checks for words not ending in "t".
    #[test]
    fn every_bare_negative_ends_in_t() {
        assert!(BARE_NEGATIVES.iter().all(|(w, _)| w.ends_with('t')));
        assert_eq!(expand("dont"), ["do", "not"]);
        assert_eq!(expand("cannot"), ["can", "not"]);
        assert_eq!(expand("Isn\u{2019}t"), ["is", "not"]);
        assert_eq!(expand("__init__"), ["init"]);
        assert_eq!(expand("Threads"), ["threads"]);
    }
}
