//! Splits a cluster query expression into tokens, each with the 1-based
//! character column it starts at so parse errors can point at it.

use super::QueryError;

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenKind {
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    /// A symbolic operator: `==`, `!=`, `>`, `>=`, `<`, `<=`, `=~`, `!~`,
    /// `&&`, `||` or `!`.
    Symbol(&'static str),
    /// A bare word: subject, keyword, word operator or unquoted literal.
    Word(String),
    /// A single- or double-quoted literal, unescaped.
    Quoted(String),
}

/// One token and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub column: usize,
}

impl TokenKind {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        match self {
            TokenKind::LParen => "'('".to_owned(),
            TokenKind::RParen => "')'".to_owned(),
            TokenKind::LBracket => "'['".to_owned(),
            TokenKind::RBracket => "']'".to_owned(),
            TokenKind::Comma => "','".to_owned(),
            TokenKind::Symbol(symbol) => format!("'{symbol}'"),
            TokenKind::Word(word) => format!("'{word}'"),
            TokenKind::Quoted(text) => format!("quoted string '{text}'"),
        }
    }
}

/// Two-character symbols first so `>=` is not read as `>` then `=`.
const SYMBOLS: [&str; 11] = [
    "==", "!=", ">=", "<=", "=~", "!~", "&&", "||", ">", "<", "!",
];

/// Symbols that also end a bare word, so `a==b` lexes as three tokens.
/// A lone `!` or `=` does not, which keeps regexes like `a!b` one word.
const WORD_BREAKING: [&str; 10] = ["==", "!=", ">=", "<=", "=~", "!~", "&&", "||", ">", "<"];

fn symbol_at(chars: &[char], pos: usize, table: &[&'static str]) -> Option<&'static str> {
    table.iter().copied().find(|symbol| {
        symbol
            .chars()
            .enumerate()
            .all(|(offset, c)| chars.get(pos + offset) == Some(&c))
    })
}

fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | ',' | '\'' | '"')
}

/// Tokenizes `source`.
pub(crate) fn tokenize(source: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut pos = 0;
    while let Some(&c) = chars.get(pos) {
        let column = pos + 1;
        let single = match c {
            '(' => Some(TokenKind::LParen),
            ')' => Some(TokenKind::RParen),
            '[' => Some(TokenKind::LBracket),
            ']' => Some(TokenKind::RBracket),
            ',' => Some(TokenKind::Comma),
            _ => None,
        };
        if c.is_whitespace() {
            pos += 1;
        } else if let Some(kind) = single {
            tokens.push(Token { kind, column });
            pos += 1;
        } else if c == '\'' || c == '"' {
            let (text, next) = read_quoted(&chars, pos)?;
            tokens.push(Token {
                kind: TokenKind::Quoted(text),
                column,
            });
            pos = next;
        } else if let Some(symbol) = symbol_at(&chars, pos, &SYMBOLS) {
            tokens.push(Token {
                kind: TokenKind::Symbol(symbol),
                column,
            });
            pos += symbol.chars().count();
        } else {
            let start = pos;
            while let Some(&c) = chars.get(pos) {
                if ends_word(c) || symbol_at(&chars, pos, &WORD_BREAKING).is_some() {
                    break;
                }
                pos += 1;
            }
            tokens.push(Token {
                kind: TokenKind::Word(chars[start..pos].iter().collect()),
                column,
            });
        }
    }
    Ok(tokens)
}

/// Reads a quoted string starting at `start` (the quote). A backslash
/// escapes the closing quote or another backslash; any other backslash is
/// kept, so regexes such as `'g2\..*'` need no doubling.
fn read_quoted(chars: &[char], start: usize) -> Result<(String, usize), QueryError> {
    let quote = chars[start];
    let mut text = String::new();
    let mut pos = start + 1;
    loop {
        match chars.get(pos) {
            None => return Err(QueryError::UnterminatedQuote { column: start + 1 }),
            Some(&'\\') if matches!(chars.get(pos + 1), Some(&next) if next == quote || next == '\\') =>
            {
                text.push(chars[pos + 1]);
                pos += 2;
            }
            Some(&c) if c == quote => return Ok((text, pos + 1)),
            Some(&c) => {
                text.push(c);
                pos += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[(TokenKind, usize)]) {
        let tokens = tokenize(input).expect("lexes");
        let got: Vec<(TokenKind, usize)> = tokens.into_iter().map(|t| (t.kind, t.column)).collect();
        assert_eq!(got, expected, "input {input:?}");
    }

    fn word(text: &str) -> TokenKind {
        TokenKind::Word(text.to_owned())
    }

    #[test]
    fn tokens() {
        use TokenKind::*;
        check(
            "attribute:a==b",
            &[
                (word("attribute:a"), 1),
                (Symbol("=="), 12),
                (word("b"), 14),
            ],
        );
        check(
            "not(task:group == 'x y')",
            &[
                (word("not"), 1),
                (LParen, 4),
                (word("task:group"), 5),
                (Symbol("=="), 16),
                (Quoted("x y".to_owned()), 19),
                (RParen, 24),
            ],
        );
        check(
            "a in [b, 'c']",
            &[
                (word("a"), 1),
                (word("in"), 3),
                (LBracket, 6),
                (word("b"), 7),
                (Comma, 8),
                (Quoted("c".to_owned()), 10),
                (RBracket, 13),
            ],
        );
        check(
            "a !exists",
            &[(word("a"), 1), (Symbol("!"), 3), (word("exists"), 4)],
        );
        check(
            r"'it\'s' 'a\.b'",
            &[
                (Quoted("it's".to_owned()), 1),
                (Quoted(r"a\.b".to_owned()), 9),
            ],
        );
        check(
            "x >= 1.2.3",
            &[(word("x"), 1), (Symbol(">="), 3), (word("1.2.3"), 6)],
        );
        check(
            "g2.*&&b",
            &[(word("g2.*"), 1), (Symbol("&&"), 5), (word("b"), 7)],
        );
    }

    #[test]
    fn unterminated_quote_reports_its_column() {
        assert!(matches!(
            tokenize("a == 'b"),
            Err(QueryError::UnterminatedQuote { column: 6 })
        ));
    }
}
