//! The parsed form of a cluster query expression, its canonical text (used
//! as a cache key) and its evaluation against one instance.

use std::cmp::Ordering;
use std::fmt;

use regex::Regex;

use super::value::{Version, format_date};
use crate::instance::{InstanceSnapshot, Timestamp};

/// A boolean expression over one container instance.
#[derive(Debug, Clone)]
pub enum Expr {
    /// One comparison.
    Term(Term),
    /// Negation (`not` / `!`).
    Not(Box<Expr>),
    /// All operands hold (`and` / `&&`); at least two operands.
    All(Vec<Expr>),
    /// Some operand holds (`or` / `||`); at least two operands.
    Any(Vec<Expr>),
}

/// What a term looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// `agentConnected` (a boolean).
    AgentConnected,
    /// `agentVersion` (compared as a version).
    AgentVersion,
    /// `ec2InstanceId` (the host id).
    Ec2InstanceId,
    /// `registeredAt` (a date).
    RegisteredAt,
    /// `runningTasksCount` (a number).
    RunningTasksCount,
    /// `task:group`: the groups of the tasks on the instance (many values).
    TaskGroup,
    /// `attribute:NAME`.
    Attribute(String),
}

/// A comparison operator; each negative form is exactly the negation of its
/// positive form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// `==`, `equals`.
    Eq,
    /// `!=`, `not_equals`.
    Ne,
    /// `>`, `greater_than`.
    Gt,
    /// `>=`, `greater_than_equal`.
    Ge,
    /// `<`, `less_than`.
    Lt,
    /// `<=`, `less_than_equal`.
    Le,
    /// `exists`.
    Exists,
    /// `!exists`, `not_exists`.
    NotExists,
    /// `in`.
    In,
    /// `!in`, `not_in`.
    NotIn,
    /// `=~`, `matches`.
    Matches,
    /// `!~`, `not_matches`.
    NotMatches,
}

impl Operator {
    /// The symbol used in canonical text.
    pub fn symbol(self) -> &'static str {
        match self {
            Operator::Eq => "==",
            Operator::Ne => "!=",
            Operator::Gt => ">",
            Operator::Ge => ">=",
            Operator::Lt => "<",
            Operator::Le => "<=",
            Operator::Exists => "exists",
            Operator::NotExists => "!exists",
            Operator::In => "in",
            Operator::NotIn => "!in",
            Operator::Matches => "=~",
            Operator::NotMatches => "!~",
        }
    }

    /// The positive operator this one negates, if it is negative.
    fn negated_positive(self) -> Option<Operator> {
        match self {
            Operator::Ne => Some(Operator::Eq),
            Operator::NotExists => Some(Operator::Exists),
            Operator::NotIn => Some(Operator::In),
            Operator::NotMatches => Some(Operator::Matches),
            _ => None,
        }
    }
}

/// A literal converted to the subject's type when the expression was
/// parsed, so evaluation never re-parses it.
#[derive(Debug, Clone)]
pub enum Typed {
    /// `agentConnected` literal.
    Bool(bool),
    /// `agentVersion` literal.
    Version(Version),
    /// `registeredAt` literal.
    Time(Timestamp),
    /// `runningTasksCount` literal.
    Count(u64),
    /// Text for `ec2InstanceId`, `task:group` and attributes; `number` holds
    /// its numeric reading, used instead of the text when the instance's
    /// value is a number too.
    Text {
        /// Numeric reading, if the text is a number.
        number: Option<f64>,
    },
}

/// One literal as written and as typed.
#[derive(Debug, Clone)]
pub struct Literal {
    /// The text as written (unquoted).
    pub text: String,
    /// The typed reading.
    pub typed: Typed,
}

/// The right-hand side of a term.
#[derive(Debug, Clone)]
pub enum Argument {
    /// `exists` / `!exists` take none.
    None,
    /// One literal for comparisons, one or more for `in` / `!in`.
    Values(Vec<Literal>),
    /// A compiled pattern for `=~` / `!~`, anchored to the whole value.
    Pattern {
        /// The pattern as written.
        source: String,
        /// The anchored, compiled pattern.
        regex: Regex,
    },
}

/// `subject operator argument`.
#[derive(Debug, Clone)]
pub struct Term {
    /// What is compared.
    pub subject: Subject,
    /// How.
    pub operator: Operator,
    /// With what.
    pub argument: Argument,
}

impl Expr {
    /// Whether the expression reads state that placing a task changes
    /// (`runningTasksCount`, `task:group`); such results cannot be cached.
    pub fn is_dynamic(&self) -> bool {
        match self {
            Expr::Term(term) => matches!(
                term.subject,
                Subject::RunningTasksCount | Subject::TaskGroup
            ),
            Expr::Not(inner) => inner.is_dynamic(),
            Expr::All(items) | Expr::Any(items) => items.iter().any(Expr::is_dynamic),
        }
    }

    /// Evaluates the expression for one instance.
    pub fn matches(&self, instance: &impl Subjects) -> bool {
        match self {
            Expr::Term(term) => term.matches(instance),
            Expr::Not(inner) => !inner.matches(instance),
            Expr::All(items) => items.iter().all(|item| item.matches(instance)),
            Expr::Any(items) => items.iter().any(|item| item.matches(instance)),
        }
    }
}

/// What an expression reads of one instance. Placement evaluates
/// expressions on its [`InstanceSnapshot`]s; a listing can evaluate them on
/// the stored records it holds without first copying each into a snapshot.
pub trait Subjects {
    /// The value of attribute `name`, if the instance has it (a present
    /// attribute without a value reads as the empty string).
    fn attribute(&self, name: &str) -> Option<&str>;
    /// Each task group on the instance and how many of its tasks are there.
    fn task_groups(&self) -> impl Iterator<Item = (&str, u32)>;
    fn agent_connected(&self) -> bool;
    fn agent_version(&self) -> &str;
    /// The host id (`ec2InstanceId`).
    fn host_id(&self) -> &str;
    fn registered_at(&self) -> Timestamp;
    fn running_tasks_count(&self) -> u32;
}

impl Subjects for InstanceSnapshot {
    fn attribute(&self, name: &str) -> Option<&str> {
        InstanceSnapshot::attribute(self, name)
    }

    fn task_groups(&self) -> impl Iterator<Item = (&str, u32)> {
        self.task_groups
            .iter()
            .map(|(group, count)| (&**group, *count))
    }

    fn agent_connected(&self) -> bool {
        self.agent_connected
    }

    fn agent_version(&self) -> &str {
        &self.agent_version
    }

    fn host_id(&self) -> &str {
        &self.host_id
    }

    fn registered_at(&self) -> Timestamp {
        self.registered_at
    }

    fn running_tasks_count(&self) -> u32 {
        self.running_tasks_count
    }
}

impl Term {
    fn matches(&self, instance: &impl Subjects) -> bool {
        match self.operator.negated_positive() {
            Some(positive) => !self.matches_positive(positive, instance),
            None => self.matches_positive(self.operator, instance),
        }
    }

    /// Evaluates a positive operator. `task:group` holds when any group with
    /// tasks on the instance satisfies it; an absent attribute satisfies no
    /// positive operator.
    fn matches_positive(&self, operator: Operator, instance: &impl Subjects) -> bool {
        match &self.subject {
            Subject::TaskGroup => instance
                .task_groups()
                .filter(|(_, count)| *count > 0)
                .any(|(group, _)| self.value_satisfies(operator, &Value::Text(group))),
            Subject::Attribute(name) => match instance.attribute(name) {
                Some(value) => self.value_satisfies(operator, &Value::Text(value)),
                None => false,
            },
            Subject::AgentConnected => {
                self.value_satisfies(operator, &Value::Bool(instance.agent_connected()))
            }
            Subject::AgentVersion => {
                self.value_satisfies(operator, &Value::Version(instance.agent_version()))
            }
            Subject::Ec2InstanceId => {
                self.value_satisfies(operator, &Value::Text(instance.host_id()))
            }
            Subject::RegisteredAt => {
                self.value_satisfies(operator, &Value::Time(instance.registered_at()))
            }
            Subject::RunningTasksCount => self.value_satisfies(
                operator,
                &Value::Count(u64::from(instance.running_tasks_count())),
            ),
        }
    }

    fn value_satisfies(&self, operator: Operator, value: &Value<'_>) -> bool {
        match (&self.argument, operator) {
            (_, Operator::Exists) => true,
            (Argument::Pattern { regex, .. }, Operator::Matches) => regex.is_match(&value.render()),
            (Argument::Values(literals), Operator::In) => literals
                .iter()
                .any(|literal| value.compare(literal) == Some(Ordering::Equal)),
            (Argument::Values(literals), _) => {
                let Some(literal) = literals.first() else {
                    return false;
                };
                let Some(ordering) = value.compare(literal) else {
                    return false;
                };
                match operator {
                    Operator::Eq => ordering == Ordering::Equal,
                    Operator::Gt => ordering == Ordering::Greater,
                    Operator::Ge => ordering != Ordering::Less,
                    Operator::Lt => ordering == Ordering::Less,
                    Operator::Le => ordering != Ordering::Greater,
                    _ => false,
                }
            }
            _ => false,
        }
    }
}

/// An instance's value of a subject, borrowed.
enum Value<'a> {
    Bool(bool),
    Version(&'a str),
    Time(Timestamp),
    Count(u64),
    Text(&'a str),
}

impl Value<'_> {
    /// Orders the instance's value against a literal; `None` when they are
    /// not comparable (e.g. an unparsable agent version).
    fn compare(&self, literal: &Literal) -> Option<Ordering> {
        match (self, &literal.typed) {
            (Value::Bool(value), Typed::Bool(wanted)) => Some(value.cmp(wanted)),
            (Value::Version(value), Typed::Version(wanted)) => {
                Some(Version::parse(value)?.cmp(wanted))
            }
            (Value::Time(value), Typed::Time(wanted)) => Some(value.cmp(wanted)),
            (Value::Count(value), Typed::Count(wanted)) => Some(value.cmp(wanted)),
            (Value::Text(value), Typed::Text { number }) => {
                match (number, value.parse::<f64>().ok()) {
                    (Some(wanted), Some(have)) if have.is_finite() => have.partial_cmp(wanted),
                    _ => Some((*value).cmp(literal.text.as_str())),
                }
            }
            _ => None,
        }
    }

    /// The text a pattern is matched against.
    fn render(&self) -> String {
        match self {
            Value::Bool(value) => value.to_string(),
            Value::Version(value) | Value::Text(value) => (*value).to_owned(),
            Value::Time(value) => format_date(*value),
            Value::Count(value) => value.to_string(),
        }
    }
}

/// Writes a literal so that it lexes back to the same text.
fn write_quoted(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str("'")?;
    for c in text.chars() {
        if c == '\'' || c == '\\' {
            f.write_str("\\")?;
        }
        write!(f, "{c}")?;
    }
    f.write_str("'")
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::AgentConnected => f.write_str("agentConnected"),
            Subject::AgentVersion => f.write_str("agentVersion"),
            Subject::Ec2InstanceId => f.write_str("ec2InstanceId"),
            Subject::RegisteredAt => f.write_str("registeredAt"),
            Subject::RunningTasksCount => f.write_str("runningTasksCount"),
            Subject::TaskGroup => f.write_str("task:group"),
            Subject::Attribute(name) => write!(f, "attribute:{name}"),
        }
    }
}

/// Canonical text: every compound fully parenthesised, literals quoted.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Term(term) => {
                write!(f, "{} {}", term.subject, term.operator.symbol())?;
                match &term.argument {
                    Argument::None => Ok(()),
                    Argument::Pattern { source, .. } => {
                        f.write_str(" ")?;
                        write_quoted(f, source)
                    }
                    Argument::Values(literals)
                        if term.operator == Operator::In || term.operator == Operator::NotIn =>
                    {
                        f.write_str(" [")?;
                        for (idx, literal) in literals.iter().enumerate() {
                            if idx > 0 {
                                f.write_str(", ")?;
                            }
                            write_quoted(f, &literal.text)?;
                        }
                        f.write_str("]")
                    }
                    Argument::Values(literals) => literals.iter().try_for_each(|literal| {
                        f.write_str(" ")?;
                        write_quoted(f, &literal.text)
                    }),
                }
            }
            Expr::Not(inner) => write!(f, "!({inner})"),
            Expr::All(items) | Expr::Any(items) => {
                let joiner = if matches!(self, Expr::All(_)) {
                    " && "
                } else {
                    " || "
                };
                f.write_str("(")?;
                for (idx, item) in items.iter().enumerate() {
                    if idx > 0 {
                        f.write_str(joiner)?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str(")")
            }
        }
    }
}
