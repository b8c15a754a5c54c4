//! The scheduler's view of a cluster: one plain snapshot per container
//! instance (identity, liveness, attributes, what is still free on it and
//! which task groups already run there). Callers build it from the store.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

/// The attribute holding an instance's availability zone.
pub const AVAILABILITY_ZONE_ATTRIBUTE: &str = "ecs.availability-zone";

/// A container instance id (the last part of its ARN, e.g. 32 hex digits).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContainerInstanceId(pub String);

impl fmt::Display for ContainerInstanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A task group's name (`family:web`, `service:api`), shared by every
/// instance that counts the group's tasks.
pub type GroupName = Arc<str>;

/// A point in time, in whole seconds since the Unix epoch (UTC).
///
/// Seconds are enough here: the query language's `registeredAt` literals
/// carry no finer precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// Whether an instance accepts new tasks.
///
/// Only ACTIVE instances take placements; DRAINING ones keep running what
/// they have. Other lifecycle states never reach the scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstanceStatus {
    /// Accepts new tasks.
    Active,
    /// Being emptied; accepts no new tasks.
    Draining,
}

/// Everything placement needs to know about one container instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceSnapshot {
    /// The container instance id.
    pub id: ContainerInstanceId,
    /// The host id (the `ec2InstanceId` of the query language).
    pub host_id: String,
    /// ACTIVE or DRAINING.
    pub status: InstanceStatus,
    /// Whether the agent is currently connected.
    pub agent_connected: bool,
    /// The agent's version, e.g. `1.14.5` (compared as a version).
    pub agent_version: String,
    /// When the instance registered.
    pub registered_at: Timestamp,
    /// Built-in and custom attributes by name; a present attribute without a
    /// value maps to the empty string.
    pub attributes: BTreeMap<String, String>,
    /// CPU units still free.
    pub remaining_cpu: u32,
    /// Memory (MiB) still free.
    pub remaining_memory_mib: u32,
    /// Static TCP host ports already taken (reserved ports included).
    pub tcp_ports_in_use: BTreeSet<u16>,
    /// Static UDP host ports already taken.
    pub udp_ports_in_use: BTreeSet<u16>,
    /// Task group name to the number of its tasks on this instance. The
    /// names are shared (an index keeps one copy of each group's name for
    /// all its instances), so a host that joins a group costs no copy of it.
    pub task_groups: BTreeMap<GroupName, u32>,
    /// Tasks on this instance with desired status RUNNING.
    pub running_tasks_count: u32,
}

impl InstanceSnapshot {
    /// The value of attribute `name`, if the instance has it.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    /// How many tasks of `group` run on this instance.
    pub fn group_count(&self, group: &str) -> u32 {
        self.task_groups.get(group).copied().unwrap_or(0)
    }

    /// Whether the instance may take new tasks at all (ACTIVE and its agent
    /// connected).
    pub fn accepts_tasks(&self) -> bool {
        self.status == InstanceStatus::Active && self.agent_connected
    }
}

/// A consistent view of all container instances of one cluster.
///
/// The order of `instances` matters: when strategies leave several equally
/// good instances, the one listed first wins, so callers wanting stable
/// decisions should sort (e.g. by id) before building the snapshot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterSnapshot {
    /// The container instances.
    pub instances: Vec<InstanceSnapshot>,
}
