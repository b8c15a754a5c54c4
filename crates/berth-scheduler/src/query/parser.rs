//! Recursive-descent parser from tokens to [`Expr`]. Precedence, loosest
//! first: `or`/`||`, `and`/`&&`, `not`/`!`, then parentheses and terms.

use regex::RegexBuilder;

use super::ast::{Argument, Expr, Literal, Operator, Subject, Term, Typed};
use super::lexer::{Token, TokenKind};
use super::value::{Version, parse_date};
use super::{MAX_DEPTH, QueryError};

/// Compiled-regex size cap, so one pattern cannot take much memory.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

const SUBJECTS: &str = "a subject (agentConnected, agentVersion, ec2InstanceId, registeredAt, runningTasksCount, task:group or attribute:NAME)";
const OPERATORS: &str =
    "an operator (==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~ or a word form)";

pub(crate) struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// The column just past the end of input, for "found end" errors.
    end_column: usize,
}

impl Parser {
    pub fn new(tokens: Vec<Token>, n_chars: usize) -> Parser {
        Parser {
            tokens,
            pos: 0,
            end_column: n_chars + 1,
        }
    }

    /// Parses a whole expression; trailing tokens are an error.
    pub fn parse(mut self) -> Result<Expr, QueryError> {
        let expr = self.parse_or(0)?;
        match self.peek() {
            None => Ok(expr),
            Some(token) => Err(QueryError::Unexpected {
                column: token.column,
                expected: "'and', 'or' or the end of the expression".to_owned(),
                found: token.kind.describe(),
            }),
        }
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_kind(&self) -> Option<&TokenKind> {
        self.peek().map(|token| &token.kind)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        if token.is_some() {
            self.pos += 1;
        }
        token
    }

    fn unexpected(&self, expected: &str) -> QueryError {
        match self.peek() {
            Some(token) => QueryError::Unexpected {
                column: token.column,
                expected: expected.to_owned(),
                found: token.kind.describe(),
            },
            None => QueryError::Unexpected {
                column: self.end_column,
                expected: expected.to_owned(),
                found: "the end of the expression".to_owned(),
            },
        }
    }

    fn column(&self) -> usize {
        self.peek().map_or(self.end_column, |token| token.column)
    }

    fn at_keyword(&self, symbol: &str, word: &str) -> bool {
        match self.peek_kind() {
            Some(TokenKind::Symbol(found)) => *found == symbol,
            Some(TokenKind::Word(found)) => found.eq_ignore_ascii_case(word),
            _ => false,
        }
    }

    fn parse_or(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let mut items = vec![self.parse_and(depth)?];
        while self.at_keyword("||", "or") {
            self.pos += 1;
            items.push(self.parse_and(depth)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::Any(items)
        })
    }

    fn parse_and(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let mut items = vec![self.parse_unary(depth)?];
        while self.at_keyword("&&", "and") {
            self.pos += 1;
            items.push(self.parse_unary(depth)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::All(items)
        })
    }

    fn parse_unary(&mut self, depth: usize) -> Result<Expr, QueryError> {
        if depth >= MAX_DEPTH {
            return Err(QueryError::TooDeep {
                column: self.column(),
                max: MAX_DEPTH,
            });
        }
        if self.at_keyword("!", "not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.parse_unary(depth + 1)?)));
        }
        if self.peek_kind() == Some(&TokenKind::LParen) {
            self.pos += 1;
            let inner = self.parse_or(depth + 1)?;
            if self.peek_kind() != Some(&TokenKind::RParen) {
                return Err(self.unexpected("')', 'and' or 'or'"));
            }
            self.pos += 1;
            return Ok(inner);
        }
        self.parse_term().map(Expr::Term)
    }

    fn parse_term(&mut self) -> Result<Term, QueryError> {
        let subject_column = self.column();
        let subject = match self.peek_kind() {
            Some(TokenKind::Word(word)) => parse_subject(word),
            _ => None,
        };
        let Some(subject) = subject else {
            return Err(self.unexpected(SUBJECTS));
        };
        self.pos += 1;
        let operator = self.parse_operator()?;
        if subject == Subject::AgentConnected
            && matches!(
                operator,
                Operator::Gt | Operator::Ge | Operator::Lt | Operator::Le
            )
        {
            return Err(QueryError::UnsupportedOperator {
                column: subject_column,
                operator: operator.symbol(),
                subject: subject.to_string(),
            });
        }
        let argument = match operator {
            Operator::Exists | Operator::NotExists => Argument::None,
            Operator::In | Operator::NotIn => Argument::Values(self.parse_list(&subject)?),
            Operator::Matches | Operator::NotMatches => {
                let column = self.column();
                let source = self.parse_text()?;
                let regex = RegexBuilder::new(&format!("^(?:{source})$"))
                    .size_limit(REGEX_SIZE_LIMIT)
                    .nest_limit(MAX_DEPTH as u32)
                    .build()
                    .map_err(|source| QueryError::InvalidRegex { column, source })?;
                Argument::Pattern { source, regex }
            }
            _ => Argument::Values(vec![self.parse_literal(&subject)?]),
        };
        Ok(Term {
            subject,
            operator,
            argument,
        })
    }

    fn parse_operator(&mut self) -> Result<Operator, QueryError> {
        let operator = match self.peek_kind() {
            Some(TokenKind::Symbol(symbol)) => match *symbol {
                "==" => Some(Operator::Eq),
                "!=" => Some(Operator::Ne),
                ">" => Some(Operator::Gt),
                ">=" => Some(Operator::Ge),
                "<" => Some(Operator::Lt),
                "<=" => Some(Operator::Le),
                "=~" => Some(Operator::Matches),
                "!~" => Some(Operator::NotMatches),
                "!" => {
                    // `!exists` and `!in` lex as `!` and a word.
                    let negated = match self.tokens.get(self.pos + 1).map(|token| &token.kind) {
                        Some(TokenKind::Word(word)) if word.eq_ignore_ascii_case("exists") => {
                            Some(Operator::NotExists)
                        }
                        Some(TokenKind::Word(word)) if word.eq_ignore_ascii_case("in") => {
                            Some(Operator::NotIn)
                        }
                        _ => None,
                    };
                    if negated.is_some() {
                        self.pos += 1;
                    }
                    negated
                }
                _ => None,
            },
            Some(TokenKind::Word(word)) => match word.to_ascii_lowercase().as_str() {
                "equals" => Some(Operator::Eq),
                "not_equals" => Some(Operator::Ne),
                "greater_than" => Some(Operator::Gt),
                "greater_than_equal" => Some(Operator::Ge),
                "less_than" => Some(Operator::Lt),
                "less_than_equal" => Some(Operator::Le),
                "exists" => Some(Operator::Exists),
                "not_exists" => Some(Operator::NotExists),
                "in" => Some(Operator::In),
                "not_in" => Some(Operator::NotIn),
                "matches" => Some(Operator::Matches),
                "not_matches" => Some(Operator::NotMatches),
                _ => None,
            },
            _ => None,
        };
        match operator {
            Some(operator) => {
                self.pos += 1;
                Ok(operator)
            }
            None => Err(self.unexpected(OPERATORS)),
        }
    }

    /// A bare word or quoted string.
    fn parse_text(&mut self) -> Result<String, QueryError> {
        match self.peek_kind() {
            Some(TokenKind::Word(text) | TokenKind::Quoted(text)) => {
                let text = text.clone();
                self.pos += 1;
                Ok(text)
            }
            _ => Err(self.unexpected("a value")),
        }
    }

    fn parse_literal(&mut self, subject: &Subject) -> Result<Literal, QueryError> {
        let column = self.column();
        let text = self.parse_text()?;
        let invalid = |expected: &'static str| QueryError::InvalidValue {
            column,
            value: text.clone(),
            subject: subject.to_string(),
            expected,
        };
        let typed = match subject {
            Subject::AgentConnected => match text.to_ascii_lowercase().as_str() {
                "true" => Typed::Bool(true),
                "false" => Typed::Bool(false),
                _ => return Err(invalid("true or false")),
            },
            Subject::AgentVersion => Typed::Version(
                Version::parse(&text).ok_or_else(|| invalid("a version such as 1.14.5"))?,
            ),
            Subject::RegisteredAt => Typed::Time(
                parse_date(&text)
                    .ok_or_else(|| invalid("a date such as 2018-06-18 or 2018-06-18T22:28:28Z"))?,
            ),
            Subject::RunningTasksCount => Typed::Count(
                text.parse()
                    .map_err(|_| invalid("a non-negative whole number"))?,
            ),
            Subject::Ec2InstanceId | Subject::TaskGroup | Subject::Attribute(_) => Typed::Text {
                number: text.parse::<f64>().ok().filter(|number| number.is_finite()),
            },
        };
        Ok(Literal { text, typed })
    }

    /// `[a, b, ...]`; a single literal without brackets is accepted as a
    /// one-element list.
    fn parse_list(&mut self, subject: &Subject) -> Result<Vec<Literal>, QueryError> {
        if self.peek_kind() != Some(&TokenKind::LBracket) {
            return Ok(vec![self.parse_literal(subject)?]);
        }
        self.pos += 1;
        let mut literals = vec![self.parse_literal(subject)?];
        loop {
            match self.next().map(|token| token.kind) {
                Some(TokenKind::Comma) => literals.push(self.parse_literal(subject)?),
                Some(TokenKind::RBracket) => return Ok(literals),
                _ => {
                    self.pos = self.pos.saturating_sub(1);
                    return Err(self.unexpected("',' or ']'"));
                }
            }
        }
    }
}

fn parse_subject(word: &str) -> Option<Subject> {
    let subject = match word {
        "agentConnected" => Subject::AgentConnected,
        "agentVersion" => Subject::AgentVersion,
        "ec2InstanceId" => Subject::Ec2InstanceId,
        "registeredAt" => Subject::RegisteredAt,
        "runningTasksCount" => Subject::RunningTasksCount,
        "task:group" => Subject::TaskGroup,
        _ => {
            let name = word.strip_prefix("attribute:")?;
            if name.is_empty() {
                return None;
            }
            Subject::Attribute(name.to_owned())
        }
    };
    Some(subject)
}
