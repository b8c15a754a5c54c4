//! The ECS cluster query language: parse an expression once into an
//! [`Expression`], then match it against instances (memberOf constraints,
//! ListContainerInstances filters).
//!
//! Precedence, loosest first: `or`/`||`, then `and`/`&&`, then `not`/`!`,
//! then parentheses; so `a or b and c` means `a or (b and c)`. AWS does not
//! document this; it is the usual convention. Keywords and word operators
//! are case-insensitive, subjects are not. `=~` matches the whole value
//! (the pattern is anchored at both ends). Negative operators (`!=`,
//! `!exists`, `!in`, `!~`) are exact negations of their positive forms, so
//! an instance without attribute `x` satisfies `attribute:x != a`.
//! `task:group` has one value per group with tasks on the instance; a
//! positive operator holds when any group satisfies it. Text subjects
//! (attributes, `ec2InstanceId`, `task:group`) compare as numbers when both
//! sides read as numbers, otherwise as strings.

mod ast;
mod lexer;
mod parser;
mod value;

use std::fmt;

pub use ast::{Argument, Expr, Literal, Operator, Subject, Subjects, Term, Typed};
pub use value::{Version, format_date, parse_date};

/// Longest accepted expression, in characters (the ECS limit).
pub const MAX_EXPRESSION_CHARS: usize = 2000;

/// Deepest accepted nesting of parentheses and `not`.
pub const MAX_DEPTH: usize = 32;

/// Why an expression was rejected; the message is meant for an
/// `InvalidParameterException`. Columns count characters from 1.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The expression is empty.
    #[error("the expression is empty")]
    Empty,
    /// The expression is longer than the limit.
    #[error("the expression has {len} characters; the limit is {max}")]
    TooLong {
        /// Its length in characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Parentheses or `not` nest deeper than the limit.
    #[error("the expression nests deeper than {max} levels at column {column}")]
    TooDeep {
        /// Where the limit was hit.
        column: usize,
        /// The limit.
        max: usize,
    },
    /// A quoted string has no closing quote.
    #[error("unterminated quoted string starting at column {column}")]
    UnterminatedQuote {
        /// Where the quote opens.
        column: usize,
    },
    /// A token other than the grammar allows.
    #[error("expected {expected} at column {column}, found {found}")]
    Unexpected {
        /// Where.
        column: usize,
        /// What the grammar allows here.
        expected: String,
        /// What was there.
        found: String,
    },
    /// A literal that does not fit its subject's type.
    #[error("invalid value '{value}' for {subject} at column {column}: expected {expected}")]
    InvalidValue {
        /// Where the literal starts.
        column: usize,
        /// The literal.
        value: String,
        /// The subject it is compared with.
        subject: String,
        /// What would fit.
        expected: &'static str,
    },
    /// An operator the subject does not support.
    #[error("operator '{operator}' is not supported for {subject} at column {column}")]
    UnsupportedOperator {
        /// Where the term starts.
        column: usize,
        /// The operator.
        operator: &'static str,
        /// The subject.
        subject: String,
    },
    /// A pattern the regex engine rejects (syntax or size).
    #[error("invalid regular expression at column {column}")]
    InvalidRegex {
        /// Where the pattern starts.
        column: usize,
        /// The engine's complaint.
        #[source]
        source: regex::Error,
    },
}

/// A parsed, compiled cluster query expression.
#[derive(Debug, Clone)]
pub struct Expression {
    source: String,
    canonical: String,
    root: Expr,
}

impl Expression {
    /// Parses and compiles `source`.
    pub fn parse(source: &str) -> Result<Expression, QueryError> {
        let n_chars = source.chars().count();
        if n_chars > MAX_EXPRESSION_CHARS {
            return Err(QueryError::TooLong {
                len: n_chars,
                max: MAX_EXPRESSION_CHARS,
            });
        }
        if source.trim().is_empty() {
            return Err(QueryError::Empty);
        }
        let tokens = lexer::tokenize(source)?;
        let root = parser::Parser::new(tokens, n_chars).parse()?;
        Ok(Expression {
            source: source.to_owned(),
            canonical: root.to_string(),
            root,
        })
    }

    /// The expression as the caller wrote it.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// A normalised rendering (fully parenthesised, literals quoted); two
    /// expressions with the same canonical text match the same instances.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    /// The syntax tree.
    pub fn ast(&self) -> &Expr {
        &self.root
    }

    /// Whether the result depends on tasks placed on the instance
    /// (`runningTasksCount`, `task:group`) and so may change as tasks land.
    pub fn is_dynamic(&self) -> bool {
        self.root.is_dynamic()
    }

    /// Whether `instance` satisfies the expression.
    pub fn matches(&self, instance: &impl Subjects) -> bool {
        self.root.matches(instance)
    }
}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::instance::{ContainerInstanceId, InstanceSnapshot, InstanceStatus, Timestamp};

    /// A fixed instance the evaluation cases run against.
    fn instance() -> InstanceSnapshot {
        let attributes = [
            ("ecs.instance-type", "t2.small"),
            ("ecs.availability-zone", "us-east-1a"),
            ("ecs.os-type", "linux"),
            ("stack", "prod"),
            ("weight", "10"),
            ("empty", ""),
        ];
        InstanceSnapshot {
            id: ContainerInstanceId("c0ffee".to_owned()),
            host_id: "i-abcd1234".to_owned(),
            status: InstanceStatus::Active,
            agent_connected: true,
            agent_version: "1.14.5".to_owned(),
            registered_at: parse_date("2018-06-18T22:28:28Z").expect("valid date"),
            attributes: attributes
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
            remaining_cpu: 1024,
            remaining_memory_mib: 2048,
            tcp_ports_in_use: BTreeSet::new(),
            udp_ports_in_use: BTreeSet::new(),
            task_groups: BTreeMap::from([
                ("service:web".into(), 2),
                ("family:batch".into(), 1),
                ("gone".into(), 0),
            ]),
            running_tasks_count: 3,
        }
    }

    fn check(input: &str, expected: bool) {
        let expression = match Expression::parse(input) {
            Ok(expression) => expression,
            Err(err) => panic!("{input:?} failed to parse: {err}"),
        };
        assert_eq!(expression.matches(&instance()), expected, "input {input:?}");
        // The canonical text parses back to an expression that agrees.
        let again = Expression::parse(expression.canonical()).expect("canonical text parses");
        assert_eq!(again.canonical(), expression.canonical(), "input {input:?}");
        assert_eq!(
            again.matches(&instance()),
            expected,
            "canonical of {input:?}"
        );
    }

    #[test]
    fn evaluates_documented_examples() {
        let cases = [
            ("attribute:ecs.instance-type == t2.small", true),
            (
                "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
                true,
            ),
            (
                "attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone != us-east-1d",
                true,
            ),
            ("task:group == service:web", true),
            ("not(task:group == database)", true),
            ("runningTasksCount == 1", false),
            ("registeredAt < 2018-02-13", false),
            ("ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']", true),
            ("agentVersion < 1.14.5", false),
        ];
        for (input, expected) in cases {
            check(input, expected);
        }
    }

    #[test]
    fn evaluates_every_operator() {
        let cases = [
            ("attribute:stack equals prod", true),
            ("attribute:stack not_equals prod", false),
            ("attribute:stack != dev", true),
            ("attribute:missing != dev", true),
            ("attribute:missing == dev", false),
            ("attribute:stack exists", true),
            ("attribute:empty exists", true),
            ("attribute:missing exists", false),
            ("attribute:missing !exists", true),
            ("attribute:missing not_exists", true),
            ("attribute:stack !in [prod, dev]", false),
            ("attribute:stack not_in [dev]", true),
            ("attribute:stack in dev", false),
            ("attribute:stack matches 'pr.*'", true),
            ("attribute:stack =~ pr", false),
            ("attribute:stack !~ 'dev|test'", true),
            ("attribute:stack not_matches 'prod'", false),
            ("attribute:weight > 9", true),
            ("attribute:weight greater_than 9", true),
            ("attribute:weight < 9", false),
            ("attribute:weight >= 10", true),
            ("attribute:weight <= 10", true),
            ("attribute:weight less_than_equal 9.5", false),
            ("attribute:weight greater_than_equal 10.0", true),
            ("attribute:weight == 10.0", true),
            ("attribute:weight in [9, 10.0]", true),
            ("attribute:stack > pra", true),
            ("agentConnected == true", true),
            ("agentConnected == FALSE", false),
            ("agentConnected in [false]", false),
            ("agentConnected =~ 'tr.e'", true),
            ("agentVersion >= 1.14", true),
            ("agentVersion > 1.14.4", true),
            ("agentVersion == 1.14.5.0", true),
            ("agentVersion =~ '1\\.14\\..*'", true),
            ("registeredAt > 2018-06-18", true),
            ("registeredAt < 2018-06-19", true),
            ("registeredAt == 2018-06-18T22:28:28", true),
            ("registeredAt == '2018-06-18T23:28:28+01:00'", true),
            ("registeredAt <= 2018-06-18T22:28:27Z", false),
            ("registeredAt =~ '2018-06-18T.*'", true),
            ("runningTasksCount > 2", true),
            ("runningTasksCount less_than 3", false),
            ("runningTasksCount in [1, 3]", true),
            ("task:group in [service:web, x]", true),
            ("task:group != service:web", false),
            ("task:group == gone", false),
            ("task:group =~ 'family:.*'", true),
            ("task:group exists", true),
            ("ec2InstanceId != i-abcd1234", false),
            ("ec2InstanceId =~ 'i-[0-9a-f]{8}'", true),
        ];
        for (input, expected) in cases {
            check(input, expected);
        }
    }

    #[test]
    fn combines_with_precedence() {
        let cases = [
            // `and` binds tighter than `or`.
            (
                "attribute:stack == dev and attribute:stack == dev or attribute:stack == prod",
                true,
            ),
            (
                "attribute:stack == prod or attribute:stack == dev and attribute:stack == dev",
                true,
            ),
            (
                "(attribute:stack == prod or attribute:stack == dev) and attribute:stack == dev",
                false,
            ),
            ("attribute:stack == prod && !attribute:stack == dev", true),
            (
                "not attribute:stack == prod or runningTasksCount == 3",
                true,
            ),
            (
                "not (attribute:stack == prod or runningTasksCount == 3)",
                false,
            ),
            ("!!attribute:stack == prod", true),
            ("((attribute:stack == prod))", true),
            (
                "attribute:stack == prod AND agentConnected == true OR agentConnected == false",
                true,
            ),
            ("attribute:stack==prod&&runningTasksCount>=3", true),
            (
                "attribute:stack == prod || attribute:stack == dev || attribute:stack == test",
                true,
            ),
        ];
        for (input, expected) in cases {
            check(input, expected);
        }
    }

    fn check_error(input: &str, expected: &str) {
        match Expression::parse(input) {
            Ok(expression) => panic!("{input:?} parsed as {}", expression.canonical()),
            Err(err) => assert_eq!(err.to_string(), expected, "input {input:?}"),
        }
    }

    #[test]
    fn reports_precise_errors() {
        let subjects = "a subject (agentConnected, agentVersion, ec2InstanceId, registeredAt, runningTasksCount, task:group or attribute:NAME)";
        let operators =
            "an operator (==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~ or a word form)";
        let cases = [
            ("", "the expression is empty".to_owned()),
            ("   ", "the expression is empty".to_owned()),
            ("color == red", format!("expected {subjects} at column 1, found 'color'")),
            ("attribute: == red", format!("expected {subjects} at column 1, found 'attribute:'")),
            ("attribute:a red", format!("expected {operators} at column 13, found 'red'")),
            ("attribute:a", format!("expected {operators} at column 12, found the end of the expression")),
            ("attribute:a ==", "expected a value at column 15, found the end of the expression".to_owned()),
            ("attribute:a == b c", "expected 'and', 'or' or the end of the expression at column 18, found 'c'".to_owned()),
            ("(attribute:a == b", "expected ')', 'and' or 'or' at column 18, found the end of the expression".to_owned()),
            ("attribute:a == b)", "expected 'and', 'or' or the end of the expression at column 17, found ')'".to_owned()),
            ("attribute:a in [b c]", "expected ',' or ']' at column 19, found 'c'".to_owned()),
            ("attribute:a in [b,", "expected a value at column 19, found the end of the expression".to_owned()),
            ("attribute:a in []", "expected a value at column 17, found ']'".to_owned()),
            ("attribute:a == 'b", "unterminated quoted string starting at column 16".to_owned()),
            ("attribute:a == b and", format!("expected {subjects} at column 21, found the end of the expression")),
            ("agentVersion > abc", "invalid value 'abc' for agentVersion at column 16: expected a version such as 1.14.5".to_owned()),
            ("registeredAt < 2018-02-30", "invalid value '2018-02-30' for registeredAt at column 16: expected a date such as 2018-06-18 or 2018-06-18T22:28:28Z".to_owned()),
            ("runningTasksCount == -1", "invalid value '-1' for runningTasksCount at column 22: expected a non-negative whole number".to_owned()),
            ("agentConnected == yes", "invalid value 'yes' for agentConnected at column 19: expected true or false".to_owned()),
            ("agentConnected > true", "operator '>' is not supported for agentConnected at column 1".to_owned()),
            ("attribute:a =~ '('", "invalid regular expression at column 16".to_owned()),
        ];
        for (input, expected) in cases {
            check_error(input, &expected);
        }
    }

    #[test]
    fn bounds_length_and_nesting() {
        let long = format!("attribute:a == {}", "b".repeat(MAX_EXPRESSION_CHARS));
        assert!(matches!(
            Expression::parse(&long),
            Err(QueryError::TooLong { max: 2000, .. })
        ));
        let deep = format!("{}attribute:a == b{}", "(".repeat(40), ")".repeat(40));
        assert!(matches!(
            Expression::parse(&deep),
            Err(QueryError::TooDeep { max: 32, .. })
        ));
        let nots = format!("{}attribute:a == b", "not ".repeat(40));
        assert!(matches!(
            Expression::parse(&nots),
            Err(QueryError::TooDeep { .. })
        ));
        let wide = vec!["attribute:a == b"; 100].join(" or ");
        assert!(Expression::parse(&wide).is_ok());
        let ok_depth = format!("{}attribute:a == b{}", "(".repeat(31), ")".repeat(31));
        assert!(Expression::parse(&ok_depth).is_ok());
    }

    #[test]
    fn knows_which_expressions_depend_on_placed_tasks() {
        let cases = [
            ("attribute:a == b", false),
            ("ec2InstanceId == i-1 or registeredAt > 2018-01-01", false),
            ("attribute:a == b and not task:group == x", true),
            ("runningTasksCount < 4", true),
        ];
        for (input, expected) in cases {
            let expression = Expression::parse(input).expect("parses");
            assert_eq!(expression.is_dynamic(), expected, "input {input:?}");
        }
    }

    #[test]
    fn unused_timestamp_type_is_seconds() {
        assert_eq!(parse_date("1970-01-02"), Some(Timestamp(86_400)));
    }
}
