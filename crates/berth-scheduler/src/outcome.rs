//! What placement decides: per task either the chosen instance or an
//! [`Unplaceable`] value that lists, per instance, why it was rejected and
//! maps that to the ECS failure reasons (`RESOURCE:CPU`, `AGENT`, ...).

use std::collections::BTreeMap;

use crate::instance::ContainerInstanceId;

/// One task placed on one instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The chosen instance.
    pub instance_id: ContainerInstanceId,
    /// Its position in the snapshot the decision was made on.
    pub instance_index: usize,
}

/// Why one instance cannot take the task. Variants are listed in the order
/// placement checks them; the later the check, the closer the instance came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RejectionReason {
    /// The instance is DRAINING.
    Draining,
    /// The agent is not connected.
    AgentDisconnected,
    /// Not enough CPU units left.
    InsufficientCpu {
        /// Units the task needs.
        required: u32,
        /// Units still free.
        available: u32,
    },
    /// Not enough memory left.
    InsufficientMemory {
        /// MiB the task needs.
        required: u32,
        /// MiB still free.
        available: u32,
    },
    /// A static TCP host port is taken.
    TcpPortInUse {
        /// The first conflicting port.
        port: u16,
    },
    /// A static UDP host port is taken.
    UdpPortInUse {
        /// The first conflicting port.
        port: u16,
    },
    /// A memberOf expression does not match the instance.
    MemberOf {
        /// The expression as written.
        expression: String,
    },
    /// The instance already runs a task of the group (distinctInstance).
    DistinctInstance,
}

impl RejectionReason {
    /// The ECS `failures[].reason` code. DRAINING maps to `INACTIVE` (the
    /// instance takes no tasks) and both constraint failures to `ATTRIBUTE`;
    /// AWS documents no closer codes for them.
    pub fn aws_reason(&self) -> &'static str {
        match self {
            RejectionReason::Draining => "INACTIVE",
            RejectionReason::AgentDisconnected => "AGENT",
            RejectionReason::InsufficientCpu { .. } => "RESOURCE:CPU",
            RejectionReason::InsufficientMemory { .. } => "RESOURCE:MEMORY",
            RejectionReason::TcpPortInUse { .. } => "RESOURCE:PORTS",
            RejectionReason::UdpPortInUse { .. } => "RESOURCE:PORTS_UDP",
            RejectionReason::MemberOf { .. } | RejectionReason::DistinctInstance => "ATTRIBUTE",
        }
    }

    /// How far placement got on the instance before rejecting it.
    fn stage(&self) -> u8 {
        match self {
            RejectionReason::Draining => 0,
            RejectionReason::AgentDisconnected => 1,
            RejectionReason::InsufficientCpu { .. } => 2,
            RejectionReason::InsufficientMemory { .. } => 3,
            RejectionReason::TcpPortInUse { .. } => 4,
            RejectionReason::UdpPortInUse { .. } => 5,
            RejectionReason::MemberOf { .. } => 6,
            RejectionReason::DistinctInstance => 7,
        }
    }

    /// A sentence for a failure `detail` or a service event.
    pub fn describe(&self) -> String {
        match self {
            RejectionReason::Draining => "is DRAINING".to_owned(),
            RejectionReason::AgentDisconnected => "has no connected agent".to_owned(),
            RejectionReason::InsufficientCpu {
                required,
                available,
            } => {
                format!(
                    "has insufficient CPU units available ({available} free, {required} needed)"
                )
            }
            RejectionReason::InsufficientMemory {
                required,
                available,
            } => {
                format!(
                    "has insufficient memory available ({available} MiB free, {required} MiB needed)"
                )
            }
            RejectionReason::TcpPortInUse { port } => {
                format!("is already using a port required by your task (tcp {port})")
            }
            RejectionReason::UdpPortInUse { port } => {
                format!("is already using a port required by your task (udp {port})")
            }
            RejectionReason::MemberOf { expression } => {
                format!("does not satisfy the memberOf placement constraint '{expression}'")
            }
            RejectionReason::DistinctInstance => {
                "already runs a task of this group (distinctInstance placement constraint)"
                    .to_owned()
            }
        }
    }
}

/// One instance and why it was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The instance.
    pub instance_id: ContainerInstanceId,
    /// Why.
    pub reason: RejectionReason,
}

/// A task that no instance could take, with every instance's reason.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unplaceable {
    /// One entry per instance in the snapshot, in snapshot order.
    pub rejections: Vec<Rejection>,
}

impl Unplaceable {
    /// The instance that passed the most checks (the first such in snapshot
    /// order), as ECS reports "the closest matching container-instance".
    pub fn closest(&self) -> Option<&Rejection> {
        self.rejections
            .iter()
            .rev()
            .max_by_key(|rejection| rejection.reason.stage())
    }

    /// The ECS failure reason for the task: the closest instance's. `None`
    /// when the cluster has no instances at all (RunTask then answers
    /// `InvalidParameterException`: "No Container Instances were found in
    /// your cluster.").
    pub fn aws_reason(&self) -> Option<&'static str> {
        self.closest()
            .map(|rejection| rejection.reason.aws_reason())
    }

    /// How many instances were rejected for each ECS reason.
    pub fn reason_counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for rejection in &self.rejections {
            *counts.entry(rejection.reason.aws_reason()).or_insert(0) += 1;
        }
        counts
    }

    /// A sentence naming the closest instance and its problem.
    pub fn describe(&self) -> String {
        match self.closest() {
            Some(closest) => format!(
                "No container instance met all of the task's requirements. The closest matching container-instance {} {}.",
                closest.instance_id,
                closest.reason.describe()
            ),
            None => "No Container Instances were found in your cluster.".to_owned(),
        }
    }
}

/// The decision for one task of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskDecision {
    /// Placed.
    Placed(Placement),
    /// Could not be placed.
    Unplaceable(Unplaceable),
}

/// The decisions for all tasks of a request, in task order. Tasks placed
/// earlier are accounted for when placing later ones.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlacementOutcome {
    /// One decision per requested task.
    pub decisions: Vec<TaskDecision>,
}

impl PlacementOutcome {
    /// The placements made.
    pub fn placements(&self) -> impl Iterator<Item = &Placement> {
        self.decisions.iter().filter_map(|decision| match decision {
            TaskDecision::Placed(placement) => Some(placement),
            TaskDecision::Unplaceable(_) => None,
        })
    }

    /// The tasks that could not be placed.
    pub fn unplaceable(&self) -> impl Iterator<Item = &Unplaceable> {
        self.decisions.iter().filter_map(|decision| match decision {
            TaskDecision::Placed(_) => None,
            TaskDecision::Unplaceable(unplaceable) => Some(unplaceable),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejection(id: &str, reason: RejectionReason) -> Rejection {
        Rejection {
            instance_id: ContainerInstanceId(id.to_owned()),
            reason,
        }
    }

    fn check(
        rejections: Vec<Rejection>,
        expected_reason: Option<&str>,
        expected_closest: Option<&str>,
    ) {
        let unplaceable = Unplaceable { rejections };
        assert_eq!(unplaceable.aws_reason(), expected_reason);
        assert_eq!(
            unplaceable.closest().map(|r| r.instance_id.0.as_str()),
            expected_closest
        );
    }

    #[test]
    fn closest_instance_decides_the_reason() {
        let cpu = RejectionReason::InsufficientCpu {
            required: 2,
            available: 1,
        };
        let memory = RejectionReason::InsufficientMemory {
            required: 2,
            available: 1,
        };
        check(Vec::new(), None, None);
        check(
            vec![rejection("a", RejectionReason::AgentDisconnected)],
            Some("AGENT"),
            Some("a"),
        );
        check(
            vec![
                rejection("a", cpu.clone()),
                rejection("b", memory.clone()),
                rejection("c", cpu),
            ],
            Some("RESOURCE:MEMORY"),
            Some("b"),
        );
        check(
            vec![
                rejection("a", RejectionReason::UdpPortInUse { port: 53 }),
                rejection("b", RejectionReason::UdpPortInUse { port: 53 }),
            ],
            Some("RESOURCE:PORTS_UDP"),
            Some("a"),
        );
        check(
            vec![
                rejection("a", RejectionReason::Draining),
                rejection("b", RejectionReason::TcpPortInUse { port: 80 }),
                rejection("c", RejectionReason::DistinctInstance),
            ],
            Some("ATTRIBUTE"),
            Some("c"),
        );
        check(
            vec![rejection("a", RejectionReason::Draining)],
            Some("INACTIVE"),
            Some("a"),
        );
        check(
            vec![rejection("a", memory)],
            Some("RESOURCE:MEMORY"),
            Some("a"),
        );
    }

    #[test]
    fn describes_and_counts() {
        let unplaceable = Unplaceable {
            rejections: vec![
                rejection("a", RejectionReason::AgentDisconnected),
                rejection(
                    "b",
                    RejectionReason::InsufficientCpu {
                        required: 512,
                        available: 256,
                    },
                ),
                rejection("c", RejectionReason::AgentDisconnected),
            ],
        };
        assert_eq!(
            unplaceable.describe(),
            "No container instance met all of the task's requirements. The closest matching container-instance b has insufficient CPU units available (256 free, 512 needed)."
        );
        assert_eq!(
            unplaceable.reason_counts(),
            BTreeMap::from([("AGENT", 2), ("RESOURCE:CPU", 1)])
        );
    }
}
