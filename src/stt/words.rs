//! Splitting transcript text into lower-case words and the punctuation
//! between them, which filler detection and the repeated-phrase check read.

/// A word (lower case, apostrophes kept) or one punctuation mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Word(String),
    Mark(char),
}

impl Token {
    pub fn word(&self) -> Option<&str> {
        match self {
            Token::Word(w) => Some(w),
            Token::Mark(_) => None,
        }
    }

    /// A comma, or the end of a clause or sentence.
    pub fn is_break(&self) -> bool {
        matches!(
            self,
            Token::Mark(',' | '.' | ';' | ':' | '!' | '?' | '-' | '—')
        )
    }
}

pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || (c == '\'' && !word.is_empty()) || c == '’' && !word.is_empty()
        {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(&mut word).replace('’', "'")));
        }
        if matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | '—') || c == '-' {
            out.push(Token::Mark(c));
        }
    }
    if !word.is_empty() {
        out.push(Token::Word(word.replace('’', "'")));
    }
    out
}

/// The words alone.
pub fn words(text: &str) -> Vec<String> {
    tokens(text)
        .into_iter()
        .filter_map(|t| match t {
            Token::Word(w) => Some(w),
            Token::Mark(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_marks() {
        assert_eq!(
            tokens("It's, like, a LOCK."),
            [
                Token::Word("it's".into()),
                Token::Mark(','),
                Token::Word("like".into()),
                Token::Mark(','),
                Token::Word("a".into()),
                Token::Word("lock".into()),
                Token::Mark('.'),
            ]
        );
        assert_eq!(words("Don’t stop"), ["don't", "stop"]);
    }
}
