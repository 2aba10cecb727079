//! Numbers said aloud, as transcripts write them: "four oh one", "three
//! twelve", "five hundred", "pep eight". Rubrics write them in digits (`401`,
//! `3.12`, `PEP 8`), and a transcript that spells them out met none of them.
//!
//! Only runs that can only be numbers are read: two or more number words
//! together, or one after a word that names a numbered thing ("python
//! three", "utf eight"). A number word alone stays a word ("one thread at a
//! time", "two processes"), since rubrics say those in words too. Both sides
//! of a match go through the same analysis, so a rubric phrase that spells
//! a number out still meets the answer that does.

use super::words::WordSet;
use super::{Kind, Token};

/// Words that name a numbered thing: a number word after one of these is a
/// number ("python three", "utf eight", "http two", "sha two fifty six").
/// Not "level" or "base": "the higher-level one", "the base one" are
/// pronouns.
const NUMBERED: &[&str] = &[
    "pep",
    "utf",
    "sha",
    "md",
    "python",
    "py",
    "cpython",
    "http",
    "ipv",
    "generation",
    "gen",
];

/// Letters that take a number into one name ("f two" is `f2`, "p ninety
/// nine" is `p99`). Not "a", "i" or "o" ("o of one" is Big-O; "a two" and
/// "i two" are not names).
fn joins_letter(word: &str) -> bool {
    word.len() == 1
        && word.bytes().all(|b| b.is_ascii_lowercase())
        && !matches!(word, "a" | "i" | "o")
}

/// The number words below a hundred that are one word: zero to nineteen,
/// by value, then the tens from twenty to ninety.
#[rustfmt::skip]
const NUMBER_NAMES: [&str; 28] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// How many of [`NUMBER_NAMES`] come before the tens.
const UNITS: usize = 20;

/// [`NUMBER_NAMES`] as a hashed set: every token of every answer is asked
/// about, so it rules most words out before [`small`] looks up a value.
static NUMBER_WORDS: WordSet = WordSet::new(&NUMBER_NAMES);

/// The value of a number word below a hundred.
fn small(word: &str) -> Option<u32> {
    let at = NUMBER_NAMES.iter().position(|w| *w == word)?;
    Some(if at < UNITS {
        at as u32
    } else {
        20 + 10 * (at - UNITS) as u32
    })
}

fn is_digit_word(word: &str) -> bool {
    small(word).is_some_and(|n| n < 10)
}

fn is_tens(word: &str) -> bool {
    small(word).is_some_and(|n| n >= 20 && n % 10 == 0)
}

/// What a run of words reads as: each token's new form (`None`: the token
/// becomes a filler).
type Reading = Vec<Option<String>>;

/// Reads a run of number words (and "oh", "point", "hundred"...), longest
/// reading first; `None` when the run is not a number said aloud.
fn read(words: &[&str]) -> Option<Reading> {
    let n = words.len();
    // "three point twelve", "two dot seven": a decimal, written with the
    // point as two tokens (`3.12` is the tokens `3` and `12`).
    if n >= 3 && matches!(words[1], "point" | "dot") && small(words[0]).is_some_and(|v| v < 20) {
        let (fraction, _) = below_hundred(&words[2..]).filter(|(_, used)| *used == n - 2)?;
        let mut out: Reading = vec![None; n];
        out[0] = Some(small(words[0])?.to_string());
        out[n - 1] = Some(fraction.to_string());
        return Some(out);
    }
    // "four oh one": a three-digit code said digit by digit.
    if n == 3 && words[1] == "oh" && is_digit_word(words[0]) && is_digit_word(words[2]) {
        let code = format!("{}0{}", small(words[0])?, small(words[2])?);
        return Some(last(n, code));
    }
    // "four hundred and four", "two hundred".
    if words.contains(&"hundred") {
        return scaled(words).map(|v| last(n, v.to_string()));
    }
    // "twenty two".
    if let Some((v, used)) = below_hundred(words)
        && used == n
        && n == 2
    {
        return Some(last(n, v.to_string()));
    }
    // "four twenty two", "two fifty six": a code said in two parts.
    if n >= 2 && is_digit_word(words[0]) && small(words[0])? > 0 && is_tens(words[1]) {
        let (rest, used) = below_hundred(&words[1..])?;
        if used == n - 1 {
            return Some(last(n, format!("{}{rest:02}", small(words[0])?)));
        }
    }
    // "three twelve", "two seven": a Python version (`3.12`, `2.7`). Not
    // "two three" or "three four", which are as often two counts.
    if n == 2
        && matches!(words[0], "two" | "three")
        && small(words[1]).is_some_and(|v| (5..20).contains(&v))
    {
        return Some(vec![
            Some(small(words[0])?.to_string()),
            Some(small(words[1])?.to_string()),
        ]);
    }
    None
}

/// Every token of `n` a filler but the last, which reads as `value`.
fn last(n: usize, value: String) -> Reading {
    let mut out: Reading = vec![None; n];
    out[n - 1] = Some(value);
    out
}

/// A number below a hundred at the start of `words`, and how many words it
/// took ("fifty six" is 56, two words).
fn below_hundred(words: &[&str]) -> Option<(u32, usize)> {
    let first = small(words.first()?)?;
    if is_tens(words[0])
        && let Some(unit) = words
            .get(1)
            .and_then(|w| small(w))
            .filter(|&u| (1..10).contains(&u))
    {
        return Some((first + unit, 2));
    }
    Some((first, 1))
}

/// A number with "hundred": "four hundred and four" is 404, "five
/// hundred" 500. "hundred" needs a digit before it, and "and" may only join
/// a round hundred to what follows. Thousands are left as words: rubrics
/// write "thousands of connections", seldom the digits of one.
fn scaled(words: &[&str]) -> Option<u32> {
    let mut value = None::<u32>;
    let mut i = 0;
    while i < words.len() {
        match words[i] {
            "hundred" => value = Some(value.filter(|v| (1..10).contains(v))? * 100),
            "and" if value.is_some_and(|v| v >= 100 && v % 100 == 0) => {}
            "and" => return None,
            _ => {
                let (v, used) = below_hundred(&words[i..])?;
                value = match value {
                    None => Some(v),
                    Some(h) if h >= 100 && h % 100 == 0 => Some(h + v),
                    // Two numbers in a row: not one number.
                    Some(_) => return None,
                };
                i += used;
                continue;
            }
        }
        i += 1;
    }
    value
}

/// Whether a word may sit inside a run of number words.
fn in_run(word: &str) -> bool {
    small(word).is_some() || matches!(word, "oh" | "point" | "dot" | "hundred" | "and")
}

/// Whether the word at `token` is joined by a hyphen to the word after it
/// ("one-liner", "two-phase", "three-way"): a number word in a compound
/// describes, it does not count.
fn hyphenated(text: &str, tokens: &[Token], token: usize) -> bool {
    let Some(next) = tokens.get(token + 1) else {
        return false;
    };
    text.get(tokens[token].span.end..next.span.start) == Some("-")
}

/// Reads the numbers said aloud among `tokens` (see the module's doc).
pub(super) fn spoken_numbers(text: &str, tokens: &mut [Token]) {
    let mut i = 0;
    while i < tokens.len() {
        if !NUMBER_WORDS.contains(&tokens[i].norm) {
            i += 1;
            continue;
        }
        // The run: number words and their joiners, within one clause.
        let mut end = i + 1;
        while end < tokens.len()
            && !tokens[end].clause_break
            && in_run(&tokens[end].norm)
            // "and" only joins a hundred to what follows ("four hundred and
            // four"); "python two and three" names two versions.
            && (tokens[end].norm != "and" || tokens[end - 1].norm == "hundred")
        {
            end += 1;
        }
        // A run never ends on a joiner ("three and", "two point").
        while end > i + 1
            && matches!(
                tokens[end - 1].norm.as_str(),
                "oh" | "point" | "dot" | "and"
            )
        {
            end -= 1;
        }
        if hyphenated(text, tokens, end - 1) {
            i = end;
            continue;
        }
        let words: Vec<&str> = tokens[i..end].iter().map(|t| t.norm.as_str()).collect();
        let before = i
            .checked_sub(1)
            .filter(|&b| !tokens[i].clause_break && tokens[b].kind != Kind::Filler)
            .map(|b| (tokens[b].norm.to_string(), tokens[b].span.len() == 1));
        // A letter written alone ("f two"), not one left of a contraction.
        let letter = before
            .as_ref()
            .filter(|(b, alone)| *alone && joins_letter(b))
            .map(|(b, _)| b.clone());
        let before = before.map(|(b, _)| b);
        let reading = match read(&words) {
            Some(r) => Some(r),
            // One number word after a numbered thing: "pep eight".
            None if end == i + 1 => before
                .as_deref()
                .filter(|b| NUMBERED.contains(b) || letter.is_some())
                .and_then(|_| small(words[0]))
                .map(|v| vec![Some(v.to_string())]),
            None => None,
        };
        let Some(reading) = reading else {
            i = end.max(i + 1);
            continue;
        };
        for (k, form) in reading.into_iter().enumerate() {
            let t = &mut tokens[i + k];
            match form {
                Some(value) => t.read_as(&value),
                None => t.kind = Kind::Filler,
            }
        }
        // "three thirteen t" is `3.13t`, the free-threaded build's name.
        if tokens.get(end).is_some_and(|t| {
            t.norm == "t" && t.span.len() == 1 && !t.clause_break && t.kind != Kind::Filler
        }) && tokens[end - 1].kind != Kind::Filler
        {
            let suffixed = format!("{}t", tokens[end - 1].norm);
            tokens[end - 1].read_as(&suffixed);
            tokens[end].kind = Kind::Filler;
        }
        // "f two" is `f2`: the letter takes the number.
        if let Some(b) = letter {
            let at = (i..end)
                .find(|&k| tokens[k].kind != Kind::Filler)
                .unwrap_or(i);
            let joined = format!("{b}{}", tokens[at].norm);
            tokens[at].read_as(&joined);
            tokens[i - 1].kind = Kind::Filler;
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use crate::text::{Kind, analyse};

    /// The matchable words a text reads as (stopwords and fillers left out).
    fn read(text: &str) -> Vec<String> {
        analyse(text)
            .tokens
            .iter()
            .filter(|t| matches!(t.kind, Kind::Word | Kind::Negator))
            .map(|t| t.norm.to_string())
            .collect()
    }

    #[test]
    fn status_codes_said_digit_by_digit_read_as_codes() {
        assert_eq!(
            read("status four oh one, then four oh three"),
            read("status 401, then 403")
        );
        assert_eq!(read("a five oh three"), ["503"]);
    }

    #[test]
    fn hundreds_and_thousands_read_as_numbers() {
        assert_eq!(read("four hundred and four"), ["404"]);
        assert_eq!(read("five hundred"), ["500"]);
        // Thousands stay words, as rubrics write them ("thousands of").
        assert_eq!(read("ten thousand rows"), ["ten", "thousand", "rows"]);
        assert_eq!(read("one hundred percent"), ["100", "percent"]);
    }

    #[test]
    fn versions_read_as_written() {
        assert_eq!(read("python three twelve"), read("Python 3.12"));
        assert_eq!(read("three point thirteen"), read("3.13"));
        assert_eq!(read("two dot seven"), read("2.7"));
        assert_eq!(read("python three thirteen t"), read("Python 3.13t"));
        assert_eq!(read("pep eight"), read("PEP 8"));
        assert_eq!(read("utf eight"), read("utf-8"));
    }

    #[test]
    fn codes_in_two_parts_and_tens() {
        assert_eq!(read("four twenty two"), ["422"]);
        assert_eq!(read("sha two fifty six"), read("SHA-256"));
        assert_eq!(read("twenty two"), ["22"]);
    }

    #[test]
    fn a_letter_takes_its_number() {
        assert_eq!(read("f two is fastest"), read("f2 is fastest"));
        assert_eq!(read("p ninety nine latency"), read("p99 latency"));
        assert_eq!(read("o of one"), read("O(1)"));
    }

    #[test]
    fn number_words_alone_stay_words() {
        assert_eq!(read("one thread at a time"), ["one", "thread", "time"]);
        assert_eq!(read("two processes"), ["two", "processes"]);
        assert_eq!(read("each one of the two"), ["each", "one", "two"]);
        // Across a comma the words are two numbers, not one.
        assert_eq!(read("three, twelve"), ["three", "twelve"]);
        assert_eq!(read("one and two"), ["one", "two"]);
        assert_eq!(read("python two and three"), ["python", "2", "three"]);
        assert_eq!(
            read("two three-letter names"),
            ["two", "three", "letter", "names"]
        );
        assert_eq!(read("a python one-liner"), ["python", "one", "liner"]);
        assert_eq!(
            read("the higher-level one first"),
            ["higher", "level", "one", "first"]
        );
    }
}
