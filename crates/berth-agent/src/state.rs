//! What the agent reports: the observed state of a task and its containers,
//! and the state-change events the runner sends through its channel. Plain
//! data, named after the ECS fields they become.

use std::time::SystemTime;

use crate::spec::{Protocol, TaskSpec};

/// `lastStatus` of a task as the agent reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TaskStatus {
    /// Accepted; containers are being pulled, created or started.
    Pending,
    /// Every container has been started (or given up on) and one still runs.
    Running,
    /// Terminal: no container runs and none will start.
    Stopped,
}

// The statuses, health and stop codes the agent reports are the model's own.
pub use berth_model::task::{ContainerStatus, DesiredStatus, HealthStatus, StopCode};

/// `stoppedReason` for [`StopCode::EssentialContainerExited`].
pub const ESSENTIAL_EXITED_REASON: &str = "Essential container in task exited";

/// `stoppedReason` for a StopTask without a reason.
pub const USER_STOP_REASON: &str = "Task stopped by user";

/// Maximum length ECS allows for a container `reason`.
pub const MAX_REASON_LEN: usize = 1024;

/// One published port as Docker bound it (`networkBindings[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkBinding {
    /// Host address (`0.0.0.0`, `::`).
    pub bind_ip: String,
    /// Port inside the container.
    pub container_port: u16,
    /// Port on the host.
    pub host_port: u16,
    /// Transport protocol.
    pub protocol: Protocol,
}

/// Observed state of one container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerState {
    /// Container name from the task definition.
    pub name: String,
    /// Image reference from the task definition.
    pub image: String,
    /// Docker container id, once created.
    pub runtime_id: Option<String>,
    /// `lastStatus`.
    pub last_status: ContainerStatus,
    /// Exit code, once exited.
    pub exit_code: Option<i64>,
    /// Why it stopped or failed, when there is more to say than the exit code.
    pub reason: Option<String>,
    /// Health from Docker's health status ([`HealthStatus::Unknown`] without a check).
    pub health_status: HealthStatus,
    /// Published ports.
    pub network_bindings: Vec<NetworkBinding>,
    /// When Docker started it; `None` means it never started.
    pub started_at: Option<SystemTime>,
    /// When it exited.
    pub finished_at: Option<SystemTime>,
}

impl ContainerState {
    /// A container that has not been created yet.
    pub fn pending(name: &str, image: &str) -> Self {
        ContainerState {
            name: name.to_string(),
            image: image.to_string(),
            runtime_id: None,
            last_status: ContainerStatus::Pending,
            exit_code: None,
            reason: None,
            health_status: HealthStatus::Unknown,
            network_bindings: Vec::new(),
            started_at: None,
            finished_at: None,
        }
    }

    /// Whether the container was ever started.
    pub fn was_started(&self) -> bool {
        self.started_at.is_some() || self.exit_code.is_some()
    }
}

/// Observed state of one task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskState {
    /// Task ARN.
    pub task_arn: String,
    /// Cluster.
    pub cluster: String,
    /// `lastStatus`.
    pub last_status: TaskStatus,
    /// `desiredStatus` as this agent applies it.
    pub desired_status: DesiredStatus,
    /// Health from the essential containers.
    pub health_status: HealthStatus,
    /// Why it stopped (set when stopping begins).
    pub stop_code: Option<StopCode>,
    /// Human-readable stop reason.
    pub stopped_reason: Option<String>,
    /// First image pull began.
    pub pull_started_at: Option<SystemTime>,
    /// Last image pull ended.
    pub pull_stopped_at: Option<SystemTime>,
    /// Task reached RUNNING.
    pub started_at: Option<SystemTime>,
    /// Stopping began.
    pub stopping_at: Option<SystemTime>,
    /// Every container had stopped.
    pub execution_stopped_at: Option<SystemTime>,
    /// Containers, in task definition order.
    pub containers: Vec<ContainerState>,
}

impl TaskState {
    /// A new task with all containers pending.
    pub fn pending(spec: &TaskSpec) -> Self {
        TaskState {
            task_arn: spec.task_arn.clone(),
            cluster: spec.cluster.clone(),
            last_status: TaskStatus::Pending,
            desired_status: DesiredStatus::Running,
            health_status: HealthStatus::Unknown,
            stop_code: None,
            stopped_reason: None,
            pull_started_at: None,
            pull_stopped_at: None,
            started_at: None,
            stopping_at: None,
            execution_stopped_at: None,
            containers: spec
                .containers
                .iter()
                .map(|c| ContainerState::pending(&c.name, &c.image))
                .collect(),
        }
    }

    /// The container with this name.
    pub fn container(&self, name: &str) -> Option<&ContainerState> {
        self.containers.iter().find(|c| c.name == name)
    }
}

/// What a [`StateChange`] is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// Task-level fields changed (a `SubmitTaskStateChange`).
    Task,
    /// One container changed (a `SubmitContainerStateChange`).
    Container {
        /// Container name.
        name: String,
    },
}

/// One event from the runner: what changed, and the whole task after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateChange {
    /// Per-task sequence number, starting at 1 and growing by one per event.
    pub version: u64,
    /// What changed.
    pub kind: ChangeKind,
    /// The task after the change.
    pub task: TaskState,
}

/// Cuts a reason to [`MAX_REASON_LEN`] bytes on a character boundary.
pub fn truncate_reason(reason: &str) -> String {
    if reason.len() <= MAX_REASON_LEN {
        return reason.to_string();
    }
    let mut end = MAX_REASON_LEN;
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    reason[..end].to_string()
}

/// Lists what differs between two snapshots of one task: each changed
/// container in order, then the task itself if a task-level field changed.
pub fn diff_changes(before: &TaskState, after: &TaskState) -> Vec<ChangeKind> {
    let mut changes = Vec::new();
    for container in &after.containers {
        if before.container(&container.name) != Some(container) {
            changes.push(ChangeKind::Container {
                name: container.name.clone(),
            });
        }
    }
    let task_fields_differ = before.last_status != after.last_status
        || before.desired_status != after.desired_status
        || before.health_status != after.health_status
        || before.stop_code != after.stop_code
        || before.stopped_reason != after.stopped_reason
        || before.pull_started_at != after.pull_started_at
        || before.pull_stopped_at != after.pull_stopped_at
        || before.started_at != after.started_at
        || before.stopping_at != after.stopping_at
        || before.execution_stopped_at != after.execution_stopped_at;
    if task_fields_differ {
        changes.push(ChangeKind::Task);
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> TaskState {
        TaskState {
            task_arn: "t".into(),
            cluster: "c".into(),
            last_status: TaskStatus::Pending,
            desired_status: DesiredStatus::Running,
            health_status: HealthStatus::Unknown,
            stop_code: None,
            stopped_reason: None,
            pull_started_at: None,
            pull_stopped_at: None,
            started_at: None,
            stopping_at: None,
            execution_stopped_at: None,
            containers: vec![
                ContainerState::pending("a", "i"),
                ContainerState::pending("b", "i"),
            ],
        }
    }

    fn check(change: fn(&mut TaskState), expected: Vec<ChangeKind>) {
        let before = base();
        let mut after = base();
        change(&mut after);
        assert_eq!(diff_changes(&before, &after), expected);
    }

    #[test]
    fn diff_cases() {
        let container_b = || ChangeKind::Container { name: "b".into() };
        check(|_| {}, vec![]);
        check(
            |t| t.last_status = TaskStatus::Running,
            vec![ChangeKind::Task],
        );
        check(|t| t.containers[1].exit_code = Some(3), vec![container_b()]);
        check(
            |t| {
                t.containers[1].last_status = ContainerStatus::Stopped;
                t.desired_status = DesiredStatus::Stopped;
            },
            vec![container_b(), ChangeKind::Task],
        );
        check(
            |t| t.containers[0].health_status = HealthStatus::Healthy,
            vec![ChangeKind::Container { name: "a".into() }],
        );
    }

    #[test]
    fn truncate_reason_cases() {
        let cases: Vec<(String, usize)> = vec![
            ("short".into(), 5),
            ("x".repeat(2000), MAX_REASON_LEN),
            (
                format!("{}é", "x".repeat(MAX_REASON_LEN - 1)),
                MAX_REASON_LEN - 1,
            ),
        ];
        for (input, expected_len) in cases {
            assert_eq!(truncate_reason(&input).len(), expected_len);
        }
    }
}
