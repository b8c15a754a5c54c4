//! The scheduler's view of a cluster, built from stored instances and tasks.

use std::collections::{BTreeSet, HashMap};

use berth_model::container_instance::{ContainerInstance, InstanceStatus};
use berth_scheduler::{
    ClusterSnapshot, ContainerInstanceId, InstanceSnapshot, InstanceStatus as PlacementStatus,
    Timestamp,
};

use crate::view::TaskCounts;

/// A snapshot of the ACTIVE and DRAINING `instances`, with the task groups
/// and the number of tasks meant to run tallied per instance, sorted by id
/// so decisions are stable.
pub fn cluster_snapshot_with_counts(
    instances: &[ContainerInstance],
    counts: &HashMap<String, TaskCounts>,
) -> ClusterSnapshot {
    let mut snapshots: Vec<InstanceSnapshot> = instances
        .iter()
        .filter_map(|instance| instance_snapshot(instance, counts.get(instance.id.as_str())))
        .collect();
    snapshots.sort_by(|a, b| a.id.cmp(&b.id));
    ClusterSnapshot {
        instances: snapshots,
    }
}

/// One instance as the scheduler sees it, or `None` for a deregistered one.
pub fn instance_snapshot(
    instance: &ContainerInstance,
    counts: Option<&TaskCounts>,
) -> Option<InstanceSnapshot> {
    let status = match instance.status {
        InstanceStatus::Active => PlacementStatus::Active,
        InstanceStatus::Draining => PlacementStatus::Draining,
        InstanceStatus::Inactive => return None,
    };
    Some(InstanceSnapshot {
        id: ContainerInstanceId(instance.id.clone()),
        host_id: instance.host_id.clone(),
        status,
        agent_connected: instance.agent_connected,
        agent_version: instance.agent_version.clone(),
        registered_at: Timestamp(instance.registered_at_ms / 1000),
        attributes: instance
            .attributes
            .iter()
            .map(|a| (a.name.clone(), a.value.clone().unwrap_or_default()))
            .collect(),
        remaining_cpu: instance.remaining.cpu,
        remaining_memory_mib: instance.remaining.memory_mib,
        tcp_ports_in_use: instance
            .remaining
            .tcp_ports
            .iter()
            .copied()
            .collect::<BTreeSet<_>>(),
        udp_ports_in_use: instance
            .remaining
            .udp_ports
            .iter()
            .copied()
            .collect::<BTreeSet<_>>(),
        task_groups: counts
            .map(|counts| counts.groups.clone())
            .unwrap_or_default(),
        running_tasks_count: counts.map_or(0, |counts| counts.meant_to_run),
    })
}
