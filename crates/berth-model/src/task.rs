//! Tasks: one run of a task definition on a container instance, the states
//! it passes through, and the rule that applies an agent's report to it
//! (states only move forward; a stale or repeated report changes nothing).

use serde::{Deserialize, Serialize};

use crate::tag::Tag;

/// A task as stored. Members that are not set are left out of the stored
/// JSON (they are read back as unset), which keeps a new task's record about
/// half the size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// 32 lowercase hex digits; the last part of the task ARN.
    pub id: String,
    pub cluster: String,
    pub family: String,
    pub revision: u32,
    /// The container instance it was placed on.
    pub container_instance_id: String,
    pub launch_type: LaunchType,
    /// `family:<family>` for standalone tasks, `service:<name>` for services.
    pub group: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    pub last_status: TaskStatus,
    pub desired_status: DesiredStatus,
    pub health_status: HealthStatus,
    pub containers: Vec<Container>,
    pub overrides: TaskOverride,
    /// Task-level cpu units and memory MiB, as the definition or overrides set them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    /// What placement reserved on the instance; given back when it stops.
    pub reserved: Reservation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    pub tags: Vec<Tag>,
    pub enable_execute_command: bool,
    pub created_at_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_started_at_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_stopped_at_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopping_at_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_stopped_at_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_at_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_code: Option<StopCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_reason: Option<String>,
    /// Bumped on every change of state ECS reports (`version` on the wire).
    pub version: u64,
    /// Position of the last agent report applied: (agent epoch, sequence).
    pub last_report: (u64, u64),
}

/// Resources a placed task holds on its instance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
    pub cpu: u32,
    pub memory_mib: u32,
    pub tcp_ports: Vec<u16>,
    pub udp_ports: Vec<u16>,
}

/// How a task is launched. Only EC2 runs today; the other values exist so
/// stored tasks stay readable when more launch types arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LaunchType {
    Ec2,
    Fargate,
    External,
}

impl LaunchType {
    /// The ECS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            LaunchType::Ec2 => "EC2",
            LaunchType::Fargate => "FARGATE",
            LaunchType::External => "EXTERNAL",
        }
    }
}

/// `lastStatus` of a task, in lifecycle order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Provisioning,
    Pending,
    Activating,
    Running,
    Deactivating,
    Stopping,
    Deprovisioning,
    Stopped,
}

impl TaskStatus {
    /// The ECS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Provisioning => "PROVISIONING",
            TaskStatus::Pending => "PENDING",
            TaskStatus::Activating => "ACTIVATING",
            TaskStatus::Running => "RUNNING",
            TaskStatus::Deactivating => "DEACTIVATING",
            TaskStatus::Stopping => "STOPPING",
            TaskStatus::Deprovisioning => "DEPROVISIONING",
            TaskStatus::Stopped => "STOPPED",
        }
    }
}

/// `desiredStatus` of a task. ECS never sets PENDING as a desired status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DesiredStatus {
    Running,
    Stopped,
}

impl DesiredStatus {
    /// The ECS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DesiredStatus::Running => "RUNNING",
            DesiredStatus::Stopped => "STOPPED",
        }
    }
}

/// Health of a container or a task.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Healthy,
    Unhealthy,
    #[default]
    Unknown,
}

impl HealthStatus {
    /// The ECS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            HealthStatus::Healthy => "HEALTHY",
            HealthStatus::Unhealthy => "UNHEALTHY",
            HealthStatus::Unknown => "UNKNOWN",
        }
    }
}

/// Why a task stopped (`stopCode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopCode {
    TaskFailedToStart,
    EssentialContainerExited,
    UserInitiated,
    ServiceSchedulerInitiated,
    SpotInterruption,
    TerminationNotice,
}

impl StopCode {
    /// The ECS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            StopCode::TaskFailedToStart => "TaskFailedToStart",
            StopCode::EssentialContainerExited => "EssentialContainerExited",
            StopCode::UserInitiated => "UserInitiated",
            StopCode::ServiceSchedulerInitiated => "ServiceSchedulerInitiated",
            StopCode::SpotInterruption => "SpotInterruption",
            StopCode::TerminationNotice => "TerminationNotice",
        }
    }
}

/// `lastStatus` of a container: ECS reports only these three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContainerStatus {
    Pending,
    Running,
    Stopped,
}

impl ContainerStatus {
    /// The ECS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ContainerStatus::Pending => "PENDING",
            ContainerStatus::Running => "RUNNING",
            ContainerStatus::Stopped => "STOPPED",
        }
    }
}

/// One container of a task as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Container {
    pub name: String,
    /// A UUID; the last part of the container ARN.
    pub id: String,
    pub image: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
    /// The Docker container id once created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_id: Option<String>,
    pub last_status: ContainerStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub health_status: HealthStatus,
    pub network_bindings: Vec<NetworkBinding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<u32>,
}

/// A published port of a running container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkBinding {
    pub bind_ip: String,
    pub container_port: u16,
    pub host_port: u16,
    /// `tcp` or `udp`.
    pub protocol: String,
}

/// Run-time changes to a task definition (RunTask `overrides`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskOverride {
    pub container_overrides: Vec<ContainerOverride>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral_storage_gib: Option<u32>,
}

/// Run-time changes to one container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerOverride {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    pub environment: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<u32>,
}

/// What an agent reports about one task: its whole current state, so
/// applying the same report twice is harmless. Unset members are left out
/// of its JSON (a RUNNING report carries seven of them); every reader, this
/// version's or an older one, takes an absent member as unset, as a null.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskReport {
    /// Increases each time the agent restarts; orders reports across restarts.
    pub epoch: u64,
    /// Increases with every report of this task within one epoch.
    pub seq: u64,
    pub last_status: TaskStatus,
    pub health_status: HealthStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_code: Option<StopCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_started_at_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_stopped_at_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopping_at_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_stopped_at_ms: Option<i64>,
    pub containers: Vec<ContainerReport>,
}

/// What an agent reports about one container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerReport {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
    pub last_status: ContainerStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub health_status: HealthStatus,
    pub network_bindings: Vec<NetworkBinding>,
}

/// Longest `reason` ECS keeps for a container.
pub const MAX_CONTAINER_REASON_CHARS: usize = 1024;
/// Longest `stoppedReason` kept for a task.
pub const MAX_STOPPED_REASON_CHARS: usize = 1024;

impl Task {
    /// Whether the task holds resources on its instance (not yet STOPPED).
    pub fn is_active(&self) -> bool {
        self.last_status != TaskStatus::Stopped
    }

    /// Applies `report`, received at `now_ms`, and tells whether anything
    /// ECS shows changed; `None`, leaving the task as it is, if the report
    /// is not newer than the last one applied. Neither the task nor any
    /// container ever moves backwards. In place, so that a caller holding
    /// the only reference changes the task without a copy.
    pub fn apply_report(&mut self, report: &TaskReport, now_ms: i64) -> Option<bool> {
        if (report.epoch, report.seq) <= self.last_report {
            return None;
        }
        let changed = self.absorb(report, now_ms);
        // Recording the report's position alone is not a change of state.
        self.last_report = (report.epoch, report.seq);
        if changed {
            self.version += 1;
        }
        Some(changed)
    }

    /// Takes in what a newer `report` says without moving backwards, and
    /// tells whether that changed anything.
    fn absorb(&mut self, report: &TaskReport, now_ms: i64) -> bool {
        let mut changed = false;
        if report.last_status > self.last_status {
            self.last_status = report.last_status;
            changed = true;
            if report.last_status == TaskStatus::Stopped {
                self.stopped_at_ms = Some(now_ms);
                self.desired_status = DesiredStatus::Stopped;
            }
        }
        if self.last_status != TaskStatus::Stopped || report.last_status == TaskStatus::Stopped {
            changed |= set(&mut self.health_status, report.health_status);
        }
        changed |= keep_first(&mut self.stop_code, report.stop_code);
        if self.stopped_reason.is_none()
            && let Some(reason) = &report.stopped_reason
        {
            self.stopped_reason = Some(truncate(reason, MAX_STOPPED_REASON_CHARS));
            changed = true;
        }
        changed |= keep_first(&mut self.pull_started_at_ms, report.pull_started_at_ms);
        changed |= keep_first(&mut self.pull_stopped_at_ms, report.pull_stopped_at_ms);
        changed |= keep_first(&mut self.started_at_ms, report.started_at_ms);
        changed |= keep_first(&mut self.stopping_at_ms, report.stopping_at_ms);
        changed |= keep_first(
            &mut self.execution_stopped_at_ms,
            report.execution_stopped_at_ms,
        );
        if self.last_status == TaskStatus::Stopped && self.execution_stopped_at_ms.is_none() {
            self.execution_stopped_at_ms = Some(now_ms);
            changed = true;
        }
        for container_report in &report.containers {
            if let Some(container) = self
                .containers
                .iter_mut()
                .find(|c| c.name == container_report.name)
            {
                changed |= container.apply_report(container_report);
            }
        }
        changed
    }

    /// Asks the task to stop (StopTask, a lost instance, a scheduler); the
    /// first reason and code given are the ones kept. Returns whether
    /// anything changed.
    pub fn request_stop(&mut self, code: StopCode, reason: &str) -> bool {
        if self.desired_status == DesiredStatus::Stopped {
            return false;
        }
        self.desired_status = DesiredStatus::Stopped;
        self.stop_code.get_or_insert(code);
        self.stopped_reason
            .get_or_insert_with(|| truncate(reason, MAX_STOPPED_REASON_CHARS));
        self.version += 1;
        true
    }

    /// Marks the task STOPPED without an agent report: its instance is gone,
    /// so nothing can report for it any more.
    pub fn mark_stopped(&mut self, code: StopCode, reason: &str, now_ms: i64) -> bool {
        if self.last_status == TaskStatus::Stopped {
            return false;
        }
        self.request_stop(code, reason);
        self.last_status = TaskStatus::Stopped;
        self.stopped_at_ms = Some(now_ms);
        self.execution_stopped_at_ms.get_or_insert(now_ms);
        for container in &mut self.containers {
            if container.last_status != ContainerStatus::Stopped {
                container.last_status = ContainerStatus::Stopped;
                container
                    .reason
                    .get_or_insert_with(|| truncate(reason, MAX_CONTAINER_REASON_CHARS));
            }
        }
        self.version += 1;
        true
    }
}

impl Container {
    /// Takes in a report of this container unless it is behind, and tells
    /// whether that changed anything.
    fn apply_report(&mut self, report: &ContainerReport) -> bool {
        if report.last_status < self.last_status {
            return false;
        }
        let mut changed = set(&mut self.last_status, report.last_status);
        changed |= set(&mut self.health_status, report.health_status);
        changed |= set_if_given(&mut self.runtime_id, &report.runtime_id);
        changed |= set_if_given(&mut self.image_digest, &report.image_digest);
        changed |= set_if_given(&mut self.exit_code, &report.exit_code);
        if let Some(reason) = &report.reason {
            changed |= set(
                &mut self.reason,
                Some(truncate(reason, MAX_CONTAINER_REASON_CHARS)),
            );
        }
        if (!report.network_bindings.is_empty() || report.last_status == ContainerStatus::Stopped)
            && self.network_bindings != report.network_bindings
        {
            self.network_bindings.clone_from(&report.network_bindings);
            changed = true;
        }
        changed
    }
}

/// Puts `value` in `slot`, telling whether that changed it.
fn set<T: PartialEq>(slot: &mut T, value: T) -> bool {
    let changed = *slot != value;
    if changed {
        *slot = value;
    }
    changed
}

/// Puts a `value` the report gives in `slot` (one it leaves out changes
/// nothing), telling whether that changed it.
fn set_if_given<T: PartialEq + Clone>(slot: &mut Option<T>, value: &Option<T>) -> bool {
    let changed = value.is_some() && slot != value;
    if changed {
        slot.clone_from(value);
    }
    changed
}

/// Fills `slot` with `value` if it is still empty, telling whether that
/// changed it.
fn keep_first<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    if slot.is_none() && value.is_some() {
        *slot = value;
        return true;
    }
    false
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// A new task id: 32 lowercase hex digits from 16 random bytes the caller
/// draws (the model has no randomness of its own).
pub fn task_id_from_bytes(bytes: [u8; 16]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task() -> Task {
        Task {
            id: "0123456789abcdef0123456789abcdef".to_owned(),
            cluster: "c".to_owned(),
            family: "web".to_owned(),
            revision: 1,
            container_instance_id: "i".to_owned(),
            launch_type: LaunchType::Ec2,
            group: "family:web".to_owned(),
            started_by: None,
            last_status: TaskStatus::Pending,
            desired_status: DesiredStatus::Running,
            health_status: HealthStatus::Unknown,
            containers: vec![Container {
                name: "app".to_owned(),
                id: "c0".to_owned(),
                image: "busybox".to_owned(),
                image_digest: None,
                runtime_id: None,
                last_status: ContainerStatus::Pending,
                exit_code: None,
                reason: None,
                health_status: HealthStatus::Unknown,
                network_bindings: vec![],
                cpu: None,
                memory: Some(64),
                memory_reservation: None,
            }],
            overrides: TaskOverride::default(),
            cpu: None,
            memory: None,
            reserved: Reservation::default(),
            availability_zone: None,
            tags: vec![],
            enable_execute_command: false,
            created_at_ms: 1,
            pull_started_at_ms: None,
            pull_stopped_at_ms: None,
            started_at_ms: None,
            stopping_at_ms: None,
            execution_stopped_at_ms: None,
            stopped_at_ms: None,
            stop_code: None,
            stopped_reason: None,
            version: 1,
            last_report: (0, 0),
        }
    }

    #[test]
    fn unset_members_are_left_out_of_the_record_and_read_back_unset() {
        let task = task();
        let json = serde_json::to_string(&task).expect("encodes");
        assert!(!json.contains("null"), "{json}");
        let read: Task = serde_json::from_str(&json).expect("decodes");
        assert_eq!(read, task);
        // Records written before members were left out still read.
        let mut old = serde_json::to_value(&task).expect("encodes");
        old["stopped_reason"] = serde_json::Value::Null;
        old["containers"][0]["exit_code"] = serde_json::Value::Null;
        let read: Task = serde_json::from_value(old).expect("decodes");
        assert_eq!(read, task);
    }

    fn report(epoch: u64, seq: u64, status: TaskStatus, container: ContainerStatus) -> TaskReport {
        TaskReport {
            epoch,
            seq,
            last_status: status,
            health_status: HealthStatus::Unknown,
            stop_code: (status == TaskStatus::Stopped)
                .then_some(StopCode::EssentialContainerExited),
            stopped_reason: (status == TaskStatus::Stopped)
                .then(|| "Essential container in task exited".to_owned()),
            pull_started_at_ms: Some(5),
            pull_stopped_at_ms: Some(6),
            started_at_ms: (status >= TaskStatus::Running).then_some(7),
            stopping_at_ms: None,
            execution_stopped_at_ms: None,
            containers: vec![ContainerReport {
                name: "app".to_owned(),
                runtime_id: Some("docker-id".to_owned()),
                image_digest: None,
                last_status: container,
                exit_code: (container == ContainerStatus::Stopped).then_some(3),
                reason: None,
                health_status: HealthStatus::Unknown,
                network_bindings: vec![],
            }],
        }
    }

    #[test]
    fn reports_leave_unset_members_out_and_read_nulls_as_unset() {
        for (status, container) in [
            (TaskStatus::Running, ContainerStatus::Running),
            (TaskStatus::Stopped, ContainerStatus::Stopped),
        ] {
            let sent = report(3, 9, status, container);
            let json = serde_json::to_value(&sent).expect("encodes");
            let text = json.to_string();
            assert!(!text.contains("null"), "{text}");
            assert_eq!(
                serde_json::from_value::<TaskReport>(json.clone()).expect("decodes"),
                sent
            );
            // What an agent from before the change sends: every member, unset ones as null.
            let mut with_nulls = json;
            for member in [
                "stop_code",
                "stopped_reason",
                "pull_started_at_ms",
                "pull_stopped_at_ms",
                "started_at_ms",
                "stopping_at_ms",
                "execution_stopped_at_ms",
            ] {
                with_nulls
                    .as_object_mut()
                    .expect("an object")
                    .entry(member)
                    .or_insert(serde_json::Value::Null);
            }
            for member in ["runtime_id", "image_digest", "exit_code", "reason"] {
                with_nulls["containers"][0]
                    .as_object_mut()
                    .expect("an object")
                    .entry(member)
                    .or_insert(serde_json::Value::Null);
            }
            assert!(with_nulls.to_string().contains("null"));
            assert_eq!(
                serde_json::from_value::<TaskReport>(with_nulls).expect("decodes"),
                sent
            );
        }
    }

    #[test]
    fn reports_move_states_forward_only() {
        let check = |reports: &[TaskReport],
                     status: TaskStatus,
                     container: ContainerStatus,
                     version: u64| {
            let mut task = task();
            for report in reports {
                task.apply_report(report, 100);
            }
            assert_eq!(
                (
                    task.last_status,
                    task.containers[0].last_status,
                    task.version
                ),
                (status, container, version),
                "{reports:?}"
            );
        };
        use ContainerStatus as C;
        use TaskStatus as T;
        check(
            &[report(1, 1, T::Running, C::Running)],
            T::Running,
            C::Running,
            2,
        );
        // A repeated report changes nothing, not even the version.
        check(
            &[
                report(1, 1, T::Running, C::Running),
                report(1, 1, T::Running, C::Running),
            ],
            T::Running,
            C::Running,
            2,
        );
        // An older report arriving late is ignored.
        check(
            &[
                report(1, 2, T::Stopped, C::Stopped),
                report(1, 1, T::Running, C::Running),
            ],
            T::Stopped,
            C::Stopped,
            2,
        );
        // A newer epoch (agent restarted) wins over a higher sequence.
        check(
            &[
                report(1, 9, T::Running, C::Running),
                report(2, 1, T::Stopped, C::Stopped),
            ],
            T::Stopped,
            C::Stopped,
            3,
        );
        // Even a newer report cannot move a state backwards.
        check(
            &[
                report(1, 1, T::Stopped, C::Stopped),
                report(1, 2, T::Running, C::Running),
            ],
            T::Stopped,
            C::Stopped,
            2,
        );
    }

    #[test]
    fn a_report_applied_tells_what_changed() {
        use ContainerStatus as C;
        use TaskStatus as T;
        let mut task = task();
        let changed = task.apply_report(&report(1, 1, T::Running, C::Running), 100);
        assert_eq!(changed, Some(true));
        assert_eq!((task.last_status, task.version), (T::Running, 2));
        assert_eq!(task.last_report, (1, 1));
        // The same state again, later: only the report's position moves.
        let changed = task.apply_report(&report(1, 2, T::Running, C::Running), 200);
        assert_eq!(changed, Some(false));
        assert_eq!((task.version, task.last_report), (2, (1, 2)));
        let before = task.clone();
        assert_eq!(
            task.apply_report(&report(1, 2, T::Stopped, C::Stopped), 300),
            None,
            "a report not newer than the last applied is not applied"
        );
        assert_eq!(task, before, "and leaves the task as it was");
    }

    /// A change to one member of a report.
    type Variation = Box<dyn Fn(&mut TaskReport)>;

    /// A report of what `task` shows already: it changes nothing, unless
    /// the task is STOPPED without an execution stop time.
    fn mirror(task: &Task) -> TaskReport {
        let held = &task.containers[0];
        TaskReport {
            epoch: 1,
            seq: 1,
            last_status: task.last_status,
            health_status: task.health_status,
            stop_code: None,
            stopped_reason: None,
            pull_started_at_ms: None,
            pull_stopped_at_ms: None,
            started_at_ms: None,
            stopping_at_ms: None,
            execution_stopped_at_ms: None,
            containers: vec![ContainerReport {
                name: held.name.clone(),
                runtime_id: None,
                image_digest: None,
                last_status: held.last_status,
                exit_code: None,
                reason: None,
                health_status: held.health_status,
                network_bindings: held.network_bindings.clone(),
            }],
        }
    }

    /// Tasks in many states, and reports that differ from what each shows
    /// in one member at a time: absorbing a report says it changed
    /// something exactly when the task differs after it.
    #[test]
    fn absorbing_a_report_tells_whether_the_task_changed() {
        use ContainerStatus as C;
        use TaskStatus as T;
        let binding = |port: u16| NetworkBinding {
            bind_ip: "0.0.0.0".to_owned(),
            container_port: 80,
            host_port: port,
            protocol: "tcp".to_owned(),
        };
        let statuses = [
            (T::Pending, C::Pending),
            (T::Running, C::Running),
            (T::Running, C::Pending),
            (T::Stopped, C::Stopped),
        ];
        let mut tasks = Vec::new();
        for (status, container) in statuses {
            for filled in [false, true] {
                let mut task = task();
                task.last_status = status;
                task.containers[0].last_status = container;
                if filled {
                    task.health_status = HealthStatus::Healthy;
                    task.stop_code = Some(StopCode::UserInitiated);
                    task.stopped_reason = Some("asked".to_owned());
                    task.pull_started_at_ms = Some(1);
                    task.pull_stopped_at_ms = Some(1);
                    task.started_at_ms = Some(2);
                    task.stopping_at_ms = Some(2);
                    task.execution_stopped_at_ms = Some(3);
                    let held = &mut task.containers[0];
                    held.runtime_id = Some("docker-id".to_owned());
                    held.image_digest = Some("sha256:1".to_owned());
                    held.exit_code = Some(3);
                    held.reason = Some("why".to_owned());
                    held.health_status = HealthStatus::Healthy;
                    held.network_bindings = vec![binding(8080)];
                }
                tasks.push(task);
            }
        }
        let long = |c: char, max: usize| Some(c.to_string().repeat(max + 5));
        let mut variations: Vec<Variation> = vec![Box::new(|_| {})];
        for status in [T::Pending, T::Running, T::Stopped] {
            variations.push(Box::new(move |r| r.last_status = status));
        }
        for health in [
            HealthStatus::Healthy,
            HealthStatus::Unhealthy,
            HealthStatus::Unknown,
        ] {
            variations.push(Box::new(move |r| r.health_status = health));
            variations.push(Box::new(move |r| r.containers[0].health_status = health));
        }
        for code in [StopCode::TaskFailedToStart, StopCode::UserInitiated] {
            variations.push(Box::new(move |r| r.stop_code = Some(code)));
        }
        for reason in [
            Some("asked".to_owned()),
            Some("other".to_owned()),
            long('x', MAX_STOPPED_REASON_CHARS),
        ] {
            variations.push(Box::new(move |r| r.stopped_reason.clone_from(&reason)));
        }
        for at in [1, 50] {
            variations.push(Box::new(move |r| r.pull_started_at_ms = Some(at)));
            variations.push(Box::new(move |r| r.pull_stopped_at_ms = Some(at)));
            variations.push(Box::new(move |r| r.started_at_ms = Some(at)));
            variations.push(Box::new(move |r| r.stopping_at_ms = Some(at)));
            variations.push(Box::new(move |r| r.execution_stopped_at_ms = Some(at)));
        }
        for status in [C::Pending, C::Running, C::Stopped] {
            variations.push(Box::new(move |r| r.containers[0].last_status = status));
        }
        for id in ["docker-id", "other-id"] {
            variations.push(Box::new(move |r| {
                r.containers[0].runtime_id = Some(id.to_owned())
            }));
        }
        for digest in ["sha256:1", "sha256:2"] {
            variations.push(Box::new(move |r| {
                r.containers[0].image_digest = Some(digest.to_owned())
            }));
        }
        for code in [3, 137] {
            variations.push(Box::new(move |r| r.containers[0].exit_code = Some(code)));
        }
        for reason in [
            Some("why".to_owned()),
            Some("other".to_owned()),
            long('y', MAX_CONTAINER_REASON_CHARS),
        ] {
            variations.push(Box::new(move |r| {
                r.containers[0].reason.clone_from(&reason)
            }));
        }
        for bindings in [vec![], vec![binding(8080)], vec![binding(9090)]] {
            variations.push(Box::new(move |r| {
                r.containers[0].network_bindings.clone_from(&bindings)
            }));
        }
        variations.push(Box::new(|r| r.containers[0].name = "sidecar".to_owned()));
        let (mut changed, mut unchanged) = (0, 0);
        for before in &tasks {
            for vary in &variations {
                let mut report = mirror(before);
                vary(&mut report);
                let mut after = before.clone();
                let said = after.absorb(&report, 500);
                assert_eq!(said, after != *before, "{report:?} on {before:?}");
                if said {
                    changed += 1;
                } else {
                    unchanged += 1;
                }
                // The same report again changes nothing.
                let mut again = after.clone();
                assert!(
                    !again.absorb(&report, 600),
                    "{report:?} twice on {before:?}"
                );
                assert_eq!(again, after);
            }
        }
        assert!(
            changed > 100 && unchanged > 100,
            "{changed} changed, {unchanged} not"
        );
    }

    #[test]
    fn stopping_keeps_the_first_reason_and_records_times() {
        let mut task = task();
        assert!(task.request_stop(StopCode::UserInitiated, "Task stopped by user"));
        assert!(!task.request_stop(StopCode::ServiceSchedulerInitiated, "later"));
        task.apply_report(
            &report(1, 1, TaskStatus::Stopped, ContainerStatus::Stopped),
            100,
        );
        assert_eq!(task.stop_code, Some(StopCode::UserInitiated));
        assert_eq!(task.stopped_reason.as_deref(), Some("Task stopped by user"));
        assert_eq!(task.stopped_at_ms, Some(100));
        assert_eq!(task.containers[0].exit_code, Some(3));
        assert_eq!(task.desired_status, DesiredStatus::Stopped);
    }

    #[test]
    fn a_lost_instance_stops_its_tasks_without_a_report() {
        let mut task = task();
        task.apply_report(
            &report(1, 1, TaskStatus::Running, ContainerStatus::Running),
            50,
        );
        assert!(task.mark_stopped(StopCode::TaskFailedToStart, "instance lost", 200));
        assert!(!task.mark_stopped(StopCode::TaskFailedToStart, "instance lost", 300));
        assert_eq!(task.last_status, TaskStatus::Stopped);
        assert_eq!(task.containers[0].last_status, ContainerStatus::Stopped);
        assert_eq!(task.stopped_at_ms, Some(200));
    }
}
