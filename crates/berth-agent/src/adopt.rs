//! Re-adoption after an agent restart: containers found by Berth's labels are
//! grouped back into tasks and their state rebuilt (running containers keep
//! running, exited ones report their exit code). Pure functions over
//! [`ContainerInfo`]; the listing itself is [`DockerDriver::list_managed`].
//!
//! [`DockerDriver::list_managed`]: crate::docker::DockerDriver::list_managed

use std::collections::BTreeMap;
use std::time::SystemTime;

use crate::decide::{health_from_docker, task_status};
use crate::docker::convert::{
    LABEL_CLUSTER, LABEL_CONTAINER_NAME, LABEL_FAMILY, LABEL_TASK_ARN, LABEL_VERSION,
};
use crate::docker::{ContainerInfo, RuntimeStatus};
use crate::spec::TaskSpec;
use crate::state::{ContainerState, ContainerStatus, TaskState, TaskStatus, truncate_reason};

/// Reason reported for a container the kernel OOM killer stopped.
pub const OOM_REASON: &str = "OutOfMemoryError: Container killed due to memory usage";

/// One task rebuilt from the containers found on the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdoptedTask {
    /// Task ARN from the labels.
    pub task_arn: String,
    /// Cluster from the labels.
    pub cluster: String,
    /// Task definition family from the labels.
    pub family: String,
    /// Task definition revision, if the label parses.
    pub revision: Option<u32>,
    /// Status derived from the containers found.
    pub last_status: TaskStatus,
    /// The containers found, ordered by name.
    pub containers: Vec<ContainerState>,
}

/// The reported state of a container as Docker describes it. `Created`
/// containers stay PENDING (with their runtime id) so a runner can start them.
pub fn container_state_from_info(name: &str, info: &ContainerInfo) -> ContainerState {
    let mut state = ContainerState::pending(name, &info.image);
    state.runtime_id = Some(info.runtime_id.clone());
    state.started_at = info.started_at;
    state.health_status = health_from_docker(info.health.is_some(), info.health.as_deref());
    state.network_bindings = info.port_bindings.clone();
    match info.status {
        RuntimeStatus::Created => state.started_at = None,
        RuntimeStatus::Running => state.last_status = ContainerStatus::Running,
        RuntimeStatus::Exited | RuntimeStatus::Other => {
            state.last_status = ContainerStatus::Stopped;
            state.finished_at = info.finished_at;
            if info.status == RuntimeStatus::Exited {
                state.exit_code = info.exit_code;
            }
            state.reason = if info.oom_killed {
                Some(OOM_REASON.to_string())
            } else {
                info.error.as_deref().map(truncate_reason)
            };
        }
    }
    state
}

/// Groups found containers by task ARN and rebuilds each task's state.
/// Containers without the task ARN or container name labels are ignored;
/// tasks come out ordered by ARN.
pub fn adopt_containers(found: &[ContainerInfo]) -> Vec<AdoptedTask> {
    let mut tasks: BTreeMap<String, AdoptedTask> = BTreeMap::new();
    for info in found {
        let (Some(task_arn), Some(name)) = (
            info.labels.get(LABEL_TASK_ARN),
            info.labels.get(LABEL_CONTAINER_NAME),
        ) else {
            continue;
        };
        let label = |key: &str| info.labels.get(key).cloned().unwrap_or_default();
        let task = tasks
            .entry(task_arn.clone())
            .or_insert_with(|| AdoptedTask {
                task_arn: task_arn.clone(),
                cluster: label(LABEL_CLUSTER),
                family: label(LABEL_FAMILY),
                revision: info.labels.get(LABEL_VERSION).and_then(|v| v.parse().ok()),
                last_status: TaskStatus::Pending,
                containers: Vec::new(),
            });
        let state = container_state_from_info(name, info);
        // Two containers claiming the same name (a crash between create and
        // start, then a retry) keep the one that got further.
        match task.containers.iter_mut().find(|c| c.name == *name) {
            Some(existing) if rank(existing) < rank(&state) => *existing = state,
            Some(_) => {}
            None => task.containers.push(state),
        }
    }
    tasks
        .into_values()
        .map(|mut task| {
            task.containers.sort_by(|a, b| a.name.cmp(&b.name));
            task.last_status = task_status(TaskStatus::Pending, &task.containers);
            task
        })
        .collect()
}

fn rank(state: &ContainerState) -> u8 {
    match state.last_status {
        ContainerStatus::Pending => 0,
        ContainerStatus::Stopped => 1,
        ContainerStatus::Running => 2,
    }
}

/// The state a runner resumes from: the spec's containers, taking what was
/// found for each and PENDING for those never created.
pub fn rebuild_task_state(spec: &TaskSpec, adopted: &AdoptedTask, now: SystemTime) -> TaskState {
    let mut state = TaskState::pending(spec);
    for container in &mut state.containers {
        if let Some(found) = adopted.containers.iter().find(|c| c.name == container.name) {
            let image = container.image.clone();
            *container = found.clone();
            container.image = image;
        }
    }
    state.last_status = task_status(TaskStatus::Pending, &state.containers);
    if state.last_status >= TaskStatus::Running {
        state.started_at = state
            .containers
            .iter()
            .filter_map(|c| c.started_at)
            .min()
            .or(Some(now));
    }
    state
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::time::Duration;

    use super::*;
    use crate::spec::{ContainerSpec, NetworkMode};
    use crate::state::HealthStatus;

    fn info(task: &str, name: &str, status: RuntimeStatus, exit_code: i64) -> ContainerInfo {
        let labels = HashMap::from([
            (LABEL_TASK_ARN.to_string(), task.to_string()),
            (LABEL_CONTAINER_NAME.to_string(), name.to_string()),
            (LABEL_CLUSTER.to_string(), "c".to_string()),
            (LABEL_FAMILY.to_string(), "f".to_string()),
            (LABEL_VERSION.to_string(), "7".to_string()),
        ]);
        ContainerInfo {
            runtime_id: format!("id-{task}-{name}"),
            docker_name: name.to_string(),
            image: "img".to_string(),
            labels,
            status,
            exit_code: Some(exit_code),
            error: None,
            oom_killed: false,
            health: None,
            started_at: (status != RuntimeStatus::Created)
                .then_some(SystemTime::UNIX_EPOCH + Duration::from_secs(10)),
            finished_at: (status == RuntimeStatus::Exited)
                .then_some(SystemTime::UNIX_EPOCH + Duration::from_secs(20)),
            port_bindings: vec![],
        }
    }

    /// Each found task as (arn, status, [(container, status, exit code)]).
    type Summary = Vec<(
        String,
        TaskStatus,
        Vec<(String, ContainerStatus, Option<i64>)>,
    )>;

    fn summarize(tasks: &[AdoptedTask]) -> Summary {
        tasks
            .iter()
            .map(|t| {
                let containers = t
                    .containers
                    .iter()
                    .map(|c| (c.name.clone(), c.last_status, c.exit_code))
                    .collect();
                (t.task_arn.clone(), t.last_status, containers)
            })
            .collect()
    }

    fn check(found: Vec<ContainerInfo>, expected: Summary) {
        assert_eq!(summarize(&adopt_containers(&found)), expected);
    }

    #[test]
    fn adopt_cases() {
        use ContainerStatus as C;
        use RuntimeStatus as R;
        use TaskStatus as T;
        let s = |v: &str| v.to_string();
        check(vec![], vec![]);
        check(
            vec![
                info("t1", "app", R::Running, 0),
                info("t1", "side", R::Exited, 3),
            ],
            vec![(
                s("t1"),
                T::Running,
                vec![
                    (s("app"), C::Running, None),
                    (s("side"), C::Stopped, Some(3)),
                ],
            )],
        );
        check(
            vec![
                info("t2", "app", R::Exited, 137),
                info("t1", "app", R::Created, 0),
            ],
            vec![
                (s("t1"), T::Pending, vec![(s("app"), C::Pending, None)]),
                (s("t2"), T::Stopped, vec![(s("app"), C::Stopped, Some(137))]),
            ],
        );
        check(
            vec![
                info("t1", "app", R::Created, 0),
                info("t1", "app", R::Running, 0),
            ],
            vec![(s("t1"), T::Running, vec![(s("app"), C::Running, None)])],
        );
        let mut unlabeled = info("t1", "app", R::Running, 0);
        unlabeled.labels.remove(LABEL_TASK_ARN);
        check(vec![unlabeled], vec![]);
    }

    #[test]
    fn container_state_details() {
        let mut oom = info("t", "app", RuntimeStatus::Exited, 137);
        oom.oom_killed = true;
        oom.health = Some("unhealthy".into());
        let state = container_state_from_info("app", &oom);
        assert_eq!(state.reason.as_deref(), Some(OOM_REASON));
        assert_eq!(state.health_status, HealthStatus::Unhealthy);
        assert_eq!(
            state.finished_at,
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(20))
        );
        assert_eq!(state.runtime_id.as_deref(), Some("id-t-app"));
    }

    #[test]
    fn rebuild_fills_missing_containers_as_pending() {
        let spec = TaskSpec {
            task_arn: "t1".into(),
            cluster: "c".into(),
            family: "f".into(),
            revision: 7,
            network_mode: NetworkMode::Bridge,
            volumes: vec![],
            containers: ["db", "app"]
                .iter()
                .map(|n| ContainerSpec {
                    name: n.to_string(),
                    image: "img".into(),
                    essential: true,
                    ..Default::default()
                })
                .collect(),
        };
        let adopted = adopt_containers(&[info("t1", "db", RuntimeStatus::Running, 0)]);
        let state = rebuild_task_state(&spec, &adopted[0], SystemTime::UNIX_EPOCH);
        let statuses: Vec<_> = state
            .containers
            .iter()
            .map(|c| (c.name.as_str(), c.last_status))
            .collect();
        assert_eq!(
            statuses,
            vec![
                ("db", ContainerStatus::Running),
                ("app", ContainerStatus::Pending)
            ]
        );
        assert_eq!(state.last_status, TaskStatus::Pending);
        assert_eq!(state.started_at, None);
    }
}
