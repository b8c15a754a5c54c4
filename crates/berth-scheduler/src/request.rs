//! What to place: one task shape (CPU, memory, static host ports), how many,
//! its task group, and the placement constraints and strategies that steer
//! it. Also the checks that make a request well-formed.

use std::collections::BTreeSet;

use crate::instance::AVAILABILITY_ZONE_ATTRIBUTE;
use crate::query::{Expression, QueryError};

/// Most tasks one request may place (the RunTask `count` limit).
pub const MAX_COUNT: u32 = 10;
/// Most strategies one request may chain.
pub const MAX_STRATEGIES: usize = 5;
/// Most constraints one request may carry (task definition and run time
/// together).
pub const MAX_CONSTRAINTS: usize = 10;

/// A binding rule on where a task may go.
#[derive(Debug, Clone)]
pub enum PlacementConstraint {
    /// No two tasks of the request's group on one instance.
    DistinctInstance,
    /// Only instances matching the expression.
    MemberOf(Expression),
}

/// The resource a binpack strategy packs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinpackField {
    /// CPU units.
    Cpu,
    /// Memory MiB.
    Memory,
}

/// What a spread strategy balances over.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SpreadField {
    /// Each instance is its own bucket (`instanceId`, also `host`).
    InstanceId,
    /// Instances grouped by an attribute's value (`attribute:NAME`);
    /// instances lacking it form one more bucket.
    Attribute(String),
}

/// A best-effort preference; strategies apply in order, each choosing among
/// the instances the previous ones left tied.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PlacementStrategy {
    /// Prefer the instance with the least remaining amount of the field.
    Binpack(BinpackField),
    /// Prefer the bucket (then instance) with the fewest tasks of the
    /// request's group.
    Spread(SpreadField),
    /// Pick uniformly at random among the tied instances.
    Random,
}

impl PlacementStrategy {
    /// Reads a strategy from its type and field as ECS spells them
    /// (`binpack`+`cpu`|`memory`, `spread`+`instanceId`|`host`|`attribute:NAME`,
    /// `random` without field). Type and field names are case-sensitive.
    pub fn from_parts(kind: &str, field: Option<&str>) -> Result<PlacementStrategy, RequestError> {
        let invalid = || RequestError::InvalidStrategy {
            kind: kind.to_owned(),
            field: field.map(str::to_owned),
        };
        match (kind, field) {
            ("binpack", Some("cpu" | "CPU")) => Ok(PlacementStrategy::Binpack(BinpackField::Cpu)),
            ("binpack", Some("memory" | "MEMORY")) => {
                Ok(PlacementStrategy::Binpack(BinpackField::Memory))
            }
            ("spread", Some("instanceId" | "host")) => {
                Ok(PlacementStrategy::Spread(SpreadField::InstanceId))
            }
            ("spread", Some(field)) => match field.strip_prefix("attribute:") {
                Some(name) if !name.is_empty() => Ok(PlacementStrategy::Spread(
                    SpreadField::Attribute(name.to_owned()),
                )),
                _ => Err(invalid()),
            },
            ("random", None) => Ok(PlacementStrategy::Random),
            _ => Err(invalid()),
        }
    }

    /// What a service uses when it names no strategy: spread over
    /// availability zones, then over instances.
    pub fn service_default() -> Vec<PlacementStrategy> {
        vec![
            PlacementStrategy::Spread(SpreadField::Attribute(
                AVAILABILITY_ZONE_ATTRIBUTE.to_owned(),
            )),
            PlacementStrategy::Spread(SpreadField::InstanceId),
        ]
    }
}

impl PlacementConstraint {
    /// Reads a constraint from its type and expression as ECS spells them
    /// (`distinctInstance` without expression, `memberOf` with one).
    pub fn from_parts(
        kind: &str,
        expression: Option<&str>,
    ) -> Result<PlacementConstraint, RequestError> {
        match (kind, expression) {
            ("distinctInstance", None) => Ok(PlacementConstraint::DistinctInstance),
            ("memberOf", Some(source)) => Expression::parse(source)
                .map(PlacementConstraint::MemberOf)
                .map_err(|source| RequestError::InvalidExpression { source }),
            _ => Err(RequestError::InvalidConstraint {
                kind: kind.to_owned(),
                has_expression: expression.is_some(),
            }),
        }
    }
}

/// A request to place `count` identical tasks.
#[derive(Debug, Clone)]
pub struct PlacementRequest {
    /// CPU units per task.
    pub cpu: u32,
    /// Memory MiB per task.
    pub memory_mib: u32,
    /// Static TCP host ports each task binds.
    pub tcp_ports: BTreeSet<u16>,
    /// Static UDP host ports each task binds.
    pub udp_ports: BTreeSet<u16>,
    /// How many tasks, 1 to [`MAX_COUNT`].
    pub count: u32,
    /// The tasks' group (`family:NAME` or `service:NAME`); spread and
    /// distinctInstance count tasks of this group.
    pub group: String,
    /// Binding constraints, all of which must hold.
    pub constraints: Vec<PlacementConstraint>,
    /// Strategies in order; none means the first feasible instance in
    /// snapshot order (callers choose defaults, e.g.
    /// [`PlacementStrategy::service_default`]).
    pub strategies: Vec<PlacementStrategy>,
}

/// Why a request is malformed (an `InvalidParameterException`).
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// `count` outside 1..=10.
    #[error("count must be between 1 and {max}, got {count}")]
    InvalidCount {
        /// The count given.
        count: u32,
        /// The limit.
        max: u32,
    },
    /// Too many strategies.
    #[error("at most {max} placement strategies are allowed, got {count}")]
    TooManyStrategies {
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// Too many constraints.
    #[error("at most {max} placement constraints are allowed, got {count}")]
    TooManyConstraints {
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// An unknown strategy type or a field it does not take.
    #[error("invalid placement strategy type '{kind}' with field {field:?}")]
    InvalidStrategy {
        /// The type given.
        kind: String,
        /// The field given.
        field: Option<String>,
    },
    /// An unknown constraint type, or an expression where none belongs (or
    /// none where one is needed).
    #[error("invalid placement constraint type '{kind}' (expression given: {has_expression})")]
    InvalidConstraint {
        /// The type given.
        kind: String,
        /// Whether an expression came with it.
        has_expression: bool,
    },
    /// A memberOf expression that does not parse.
    #[error("invalid memberOf expression")]
    InvalidExpression {
        /// The parse error, with its column.
        #[source]
        source: QueryError,
    },
    /// The group name is empty.
    #[error("the task group must not be empty")]
    EmptyGroup,
}

impl PlacementRequest {
    /// Checks the limits `place` relies on.
    pub fn validate(&self) -> Result<(), RequestError> {
        if self.count == 0 || self.count > MAX_COUNT {
            return Err(RequestError::InvalidCount {
                count: self.count,
                max: MAX_COUNT,
            });
        }
        if self.strategies.len() > MAX_STRATEGIES {
            return Err(RequestError::TooManyStrategies {
                count: self.strategies.len(),
                max: MAX_STRATEGIES,
            });
        }
        if self.constraints.len() > MAX_CONSTRAINTS {
            return Err(RequestError::TooManyConstraints {
                count: self.constraints.len(),
                max: MAX_CONSTRAINTS,
            });
        }
        if self.group.is_empty() {
            return Err(RequestError::EmptyGroup);
        }
        Ok(())
    }

    /// Whether the request carries a distinctInstance constraint.
    pub fn is_distinct_instance(&self) -> bool {
        self.constraints
            .iter()
            .any(|constraint| matches!(constraint, PlacementConstraint::DistinctInstance))
    }

    /// The position, among `instances` in snapshot order, from which the
    /// ties every strategy leaves are broken: the first tied instance at or
    /// after it wins, wrapping around to the start.
    ///
    /// Each group starts at its own place, a hash of its name. Spread by
    /// instance counts only the group's own tasks, so if the lowest position
    /// always won, every group would begin on the same instances and fill
    /// them to the brim while the rest of the cluster stayed empty. A hash,
    /// rather than a draw, keeps a placement reproducible from its inputs.
    pub fn tie_start(&self, instances: usize) -> usize {
        if instances == 0 {
            return 0;
        }
        // FNV-1a: stable across processes and releases, unlike the
        // standard library's randomly keyed hasher.
        let hash = self
            .group
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
            });
        (hash % instances as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_strategy(kind: &str, field: Option<&str>, expected: Option<PlacementStrategy>) {
        assert_eq!(
            PlacementStrategy::from_parts(kind, field).ok(),
            expected,
            "{kind} {field:?}"
        );
    }

    #[test]
    fn reads_strategies() {
        use PlacementStrategy::*;
        let cases = [
            ("binpack", Some("cpu"), Some(Binpack(BinpackField::Cpu))),
            (
                "binpack",
                Some("memory"),
                Some(Binpack(BinpackField::Memory)),
            ),
            ("binpack", Some("disk"), None),
            ("binpack", None, None),
            (
                "spread",
                Some("instanceId"),
                Some(Spread(SpreadField::InstanceId)),
            ),
            (
                "spread",
                Some("host"),
                Some(Spread(SpreadField::InstanceId)),
            ),
            (
                "spread",
                Some("attribute:ecs.availability-zone"),
                Some(Spread(SpreadField::Attribute(
                    "ecs.availability-zone".to_owned(),
                ))),
            ),
            ("spread", Some("attribute:"), None),
            ("spread", Some("zone"), None),
            ("random", None, Some(Random)),
            ("random", Some("cpu"), None),
            ("Random", None, None),
        ];
        for (kind, field, expected) in cases {
            check_strategy(kind, field, expected);
        }
    }

    #[test]
    fn reads_constraints() {
        let cases = [
            ("distinctInstance", None, true),
            ("distinctInstance", Some("attribute:a == b"), false),
            ("memberOf", Some("attribute:a == b"), true),
            ("memberOf", Some("attribute:a =="), false),
            ("memberOf", None, false),
            ("sameInstance", None, false),
        ];
        for (kind, expression, ok) in cases {
            assert_eq!(
                PlacementConstraint::from_parts(kind, expression).is_ok(),
                ok,
                "{kind} {expression:?}"
            );
        }
    }

    #[test]
    fn validates_limits() {
        let base = PlacementRequest {
            cpu: 1,
            memory_mib: 1,
            tcp_ports: BTreeSet::new(),
            udp_ports: BTreeSet::new(),
            count: 1,
            group: "family:a".to_owned(),
            constraints: Vec::new(),
            strategies: Vec::new(),
        };
        assert!(base.validate().is_ok());
        let cases: Vec<(PlacementRequest, &str)> = vec![
            (
                PlacementRequest {
                    count: 0,
                    ..base.clone()
                },
                "count must be between 1 and 10, got 0",
            ),
            (
                PlacementRequest {
                    count: 11,
                    ..base.clone()
                },
                "count must be between 1 and 10, got 11",
            ),
            (
                PlacementRequest {
                    strategies: vec![PlacementStrategy::Random; 6],
                    ..base.clone()
                },
                "at most 5 placement strategies are allowed, got 6",
            ),
            (
                PlacementRequest {
                    constraints: vec![PlacementConstraint::DistinctInstance; 11],
                    ..base.clone()
                },
                "at most 10 placement constraints are allowed, got 11",
            ),
            (
                PlacementRequest {
                    group: String::new(),
                    ..base.clone()
                },
                "the task group must not be empty",
            ),
        ];
        for (request, expected) in cases {
            let err = request.validate().expect_err("invalid request");
            assert_eq!(err.to_string(), expected);
        }
    }

    #[test]
    fn tie_starts_are_a_stable_hash_of_the_group() {
        let start = |group: &str, instances| {
            PlacementRequest {
                cpu: 0,
                memory_mib: 0,
                tcp_ports: BTreeSet::new(),
                udp_ports: BTreeSet::new(),
                count: 1,
                group: group.to_owned(),
                constraints: Vec::new(),
                strategies: Vec::new(),
            }
            .tie_start(instances)
        };
        // FNV-1a, which no release or process may change: placements are
        // reproducible from their inputs.
        assert_eq!(start("service:web", 5_000), 4_140);
        assert_eq!(start("family:web", 5_000), 4_237);
        assert_eq!(start("service:g0", 5_000), 2_997);
        assert_eq!(start("service:web", 6), 2);
        assert_eq!(start("service:web", 1), 0);
        assert_eq!(start("service:web", 0), 0);
    }
}
