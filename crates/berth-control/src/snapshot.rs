//! The scheduler's view of a cluster, built from stored instances and tasks.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use berth_model::container_instance::{ContainerInstance, InstanceStatus};
use berth_scheduler::query::Subjects;
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
    counts: &HashMap<Arc<str>, TaskCounts>,
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

/// What the cluster query language reads of a stored instance and its task
/// counts, borrowed: a filter evaluated on it reads what
/// [`instance_snapshot`] would copy, without copying it.
pub struct InstanceSubjects<'a> {
    instance: &'a ContainerInstance,
    counts: Option<&'a TaskCounts>,
}

impl<'a> InstanceSubjects<'a> {
    /// The subjects of `instance`, or `None` for a deregistered one, which
    /// no filter matches (as [`instance_snapshot`] has no snapshot of it).
    pub fn of(instance: &'a ContainerInstance, counts: Option<&'a TaskCounts>) -> Option<Self> {
        instance
            .is_registered()
            .then_some(InstanceSubjects { instance, counts })
    }
}

impl Subjects for InstanceSubjects<'_> {
    fn attribute(&self, name: &str) -> Option<&str> {
        // The last of a repeated name, as in a snapshot's map of them.
        self.instance
            .attributes
            .iter()
            .rev()
            .find(|attribute| attribute.name == name)
            .map(|attribute| attribute.value.as_deref().unwrap_or_default())
    }

    fn task_groups(&self) -> impl Iterator<Item = (&str, u32)> {
        self.counts
            .into_iter()
            .flat_map(|counts| &counts.groups)
            .map(|(group, count)| (&**group, *count))
    }

    fn agent_connected(&self) -> bool {
        self.instance.agent_connected
    }

    fn agent_version(&self) -> &str {
        &self.instance.agent_version
    }

    fn host_id(&self) -> &str {
        &self.instance.host_id
    }

    fn registered_at(&self) -> Timestamp {
        Timestamp(self.instance.registered_at_ms / 1000)
    }

    fn running_tasks_count(&self) -> u32 {
        self.counts.map_or(0, |counts| counts.meant_to_run)
    }
}

#[cfg(test)]
mod tests {
    use berth_model::container_instance::{Attribute, Resources};
    use berth_scheduler::Expression;

    use super::*;

    fn instance(host: &str, version: &str, connected: bool) -> ContainerInstance {
        let resources = Resources {
            cpu: 1_024,
            memory_mib: 2_048,
            tcp_ports: vec![22],
            udp_ports: Vec::new(),
        };
        let attribute = |name: &str, value: Option<&str>| Attribute {
            name: name.to_owned(),
            value: value.map(str::to_owned),
        };
        ContainerInstance {
            id: format!("id-{host}"),
            cluster: "c".to_owned(),
            host_id: host.to_owned(),
            status: InstanceStatus::Active,
            agent_connected: connected,
            registered: resources.clone(),
            remaining: resources,
            attributes: vec![
                attribute("ecs.availability-zone", Some("us-east-1a")),
                attribute("stack", Some("prod")),
                attribute("com.amazonaws.ecs.capability.docker-remote-api.1.44", None),
                attribute("stack", Some("dev")),
                attribute("weight", Some("12")),
            ],
            agent_version: version.to_owned(),
            docker_version: String::new(),
            registered_at_ms: 1_529_360_908_000,
            tags: Vec::new(),
            version: 1,
        }
    }

    /// Filters evaluated on the borrowed record match exactly the instances
    /// they match evaluated on the scheduler's snapshot of it.
    #[test]
    fn borrowed_subjects_match_as_snapshots_do() {
        let counts = TaskCounts {
            groups: [("service:web".into(), 2), ("gone".into(), 0)].into(),
            meant_to_run: 2,
            pending: 1,
        };
        let instances = [
            (
                instance("i-0aaaaaaaaaaaaaaaa", "1.80.0", true),
                Some(&counts),
            ),
            (instance("i-0bbbbbbbbbbbbbbbb", "1.14.5", false), None),
            (instance("i-0cccccccccccccccc", "", true), Some(&counts)),
        ];
        let filters = [
            "attribute:stack == dev",
            "attribute:stack == prod",
            "attribute:com.amazonaws.ecs.capability.docker-remote-api.1.44 exists",
            "attribute:com.amazonaws.ecs.capability.docker-remote-api.1.44 == ''",
            "attribute:weight > 9",
            "attribute:missing exists",
            "not(attribute:missing exists)",
            "agentConnected == false",
            "agentVersion >= 1.20",
            "agentVersion =~ '1\\.14\\..*'",
            "ec2InstanceId =~ 'i-0[ab].*'",
            "registeredAt > 2018-06-18",
            "registeredAt == 2018-06-18T22:28:28",
            "runningTasksCount > 1",
            "runningTasksCount == 0",
            "task:group == service:web",
            "task:group == gone",
            "task:group exists",
            "not(task:group exists) and attribute:ecs.availability-zone in [us-east-1a]",
        ];
        let mut matched = 0;
        for filter in filters {
            let expression = Expression::parse(filter).expect(filter);
            for (instance, counts) in &instances {
                let snapshot = instance_snapshot(instance, *counts).expect("registered");
                let borrowed = InstanceSubjects::of(instance, *counts).expect("registered");
                let expected = expression.matches(&snapshot);
                assert_eq!(
                    expression.matches(&borrowed),
                    expected,
                    "{filter} on {}",
                    instance.host_id
                );
                matched += usize::from(expected);
            }
        }
        let mut deregistered = instances[0].0.clone();
        deregistered.status = InstanceStatus::Inactive;
        assert!(instance_snapshot(&deregistered, None).is_none());
        assert!(InstanceSubjects::of(&deregistered, None).is_none());
        // The cases are not all one way.
        assert!(matched > 10 && matched < filters.len() * instances.len() - 10);
    }
}
