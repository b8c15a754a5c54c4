//! What the scheduler's benches share: a host as the benches register it.

use std::collections::{BTreeMap, BTreeSet};

use berth_scheduler::{ContainerInstanceId, InstanceSnapshot, InstanceStatus, Timestamp};

/// The ACTIVE, connected host at position `idx` with `attributes` and the
/// CPU units and MiB it has left; no ports in use and no tasks.
pub fn host(
    idx: usize,
    attributes: BTreeMap<String, String>,
    remaining_cpu: u32,
    remaining_memory_mib: u32,
) -> InstanceSnapshot {
    InstanceSnapshot {
        id: ContainerInstanceId(format!("{idx:032x}")),
        host_id: format!("i-{idx:017x}"),
        status: InstanceStatus::Active,
        agent_connected: true,
        agent_version: "1.80.0".to_owned(),
        registered_at: Timestamp(1_700_000_000 + idx as i64),
        attributes,
        remaining_cpu,
        remaining_memory_mib,
        tcp_ports_in_use: BTreeSet::new(),
        udp_ports_in_use: BTreeSet::new(),
        task_groups: BTreeMap::new(),
        running_tasks_count: 0,
    }
}
