//! From the runner's observed [`TaskState`] to the protocol's
//! [`TaskReport`]: statuses, stop codes, reasons, timestamps in epoch
//! milliseconds, exit codes and network bindings. Pure.

use std::time::{SystemTime, UNIX_EPOCH};

use berth_model::task::{
    ContainerReport, ContainerStatus, HealthStatus, NetworkBinding as ModelBinding, StopCode,
    TaskReport, TaskStatus as ModelTaskStatus,
};

use crate::state::{ContainerState, TaskState, TaskStatus};

/// The report of `state` at position `(epoch, seq)`.
pub fn report_from_state(state: &TaskState, epoch: u64, seq: u64) -> TaskReport {
    TaskReport {
        epoch,
        seq,
        last_status: model_task_status(state.last_status),
        health_status: state.health_status,
        stop_code: state.stop_code,
        stopped_reason: state.stopped_reason.clone(),
        pull_started_at_ms: state.pull_started_at.map(epoch_ms),
        pull_stopped_at_ms: state.pull_stopped_at.map(epoch_ms),
        started_at_ms: state.started_at.map(epoch_ms),
        stopping_at_ms: state.stopping_at.map(epoch_ms),
        execution_stopped_at_ms: state.execution_stopped_at.map(epoch_ms),
        containers: state.containers.iter().map(container_report).collect(),
    }
}

/// A STOPPED report for a task that never ran here (or whose containers
/// vanished): every named container STOPPED with `reason`.
pub fn stopped_report(
    container_names: &[String],
    stop_code: StopCode,
    reason: &str,
    now: SystemTime,
    epoch: u64,
    seq: u64,
) -> TaskReport {
    let now_ms = epoch_ms(now);
    TaskReport {
        epoch,
        seq,
        last_status: ModelTaskStatus::Stopped,
        health_status: HealthStatus::Unknown,
        stop_code: Some(stop_code),
        stopped_reason: Some(reason.to_string()),
        pull_started_at_ms: None,
        pull_stopped_at_ms: None,
        started_at_ms: None,
        stopping_at_ms: Some(now_ms),
        execution_stopped_at_ms: Some(now_ms),
        containers: container_names
            .iter()
            .map(|name| ContainerReport {
                name: name.clone(),
                runtime_id: None,
                image_digest: None,
                last_status: ContainerStatus::Stopped,
                exit_code: None,
                reason: Some(reason.to_string()),
                health_status: HealthStatus::Unknown,
                network_bindings: Vec::new(),
            })
            .collect(),
    }
}

fn container_report(container: &ContainerState) -> ContainerReport {
    ContainerReport {
        name: container.name.clone(),
        runtime_id: container.runtime_id.clone(),
        image_digest: None,
        last_status: container.last_status,
        // Docker exit codes fit an i32; anything else is not a real code.
        exit_code: container.exit_code.and_then(|c| i32::try_from(c).ok()),
        reason: container.reason.clone(),
        health_status: container.health_status,
        network_bindings: container
            .network_bindings
            .iter()
            .map(|b| ModelBinding {
                bind_ip: b.bind_ip.clone(),
                container_port: b.container_port,
                host_port: b.host_port,
                protocol: b.protocol.as_str().to_string(),
            })
            .collect(),
    }
}

/// The model's spelling of a task status.
pub fn model_task_status(status: TaskStatus) -> ModelTaskStatus {
    match status {
        TaskStatus::Pending => ModelTaskStatus::Pending,
        TaskStatus::Running => ModelTaskStatus::Running,
        TaskStatus::Stopped => ModelTaskStatus::Stopped,
    }
}

/// Milliseconds since the Unix epoch; times before it count as 0.
pub fn epoch_ms(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::spec::Protocol;
    use crate::state::{DesiredStatus, NetworkBinding};

    fn at(ms: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(ms)
    }

    fn state() -> TaskState {
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
            containers: vec![ContainerState::pending("app", "img")],
        }
    }

    fn check(change: fn(&mut TaskState), expected: fn(&mut TaskReport)) {
        let mut input = state();
        change(&mut input);
        let mut want = report_from_state(&state(), 3, 9);
        expected(&mut want);
        assert_eq!(report_from_state(&input, 3, 9), want);
    }

    #[test]
    fn report_cases() {
        check(|_| {}, |_| {});
        check(
            |s| {
                s.last_status = TaskStatus::Running;
                s.health_status = HealthStatus::Healthy;
                s.started_at = Some(at(1500));
                s.pull_started_at = Some(at(1000));
                s.pull_stopped_at = Some(at(1200));
                let c = &mut s.containers[0];
                c.last_status = ContainerStatus::Running;
                c.runtime_id = Some("abc".into());
                c.health_status = HealthStatus::Healthy;
                c.network_bindings = vec![NetworkBinding {
                    bind_ip: "0.0.0.0".into(),
                    container_port: 80,
                    host_port: 32768,
                    protocol: Protocol::Tcp,
                }];
            },
            |r| {
                r.last_status = ModelTaskStatus::Running;
                r.health_status = HealthStatus::Healthy;
                r.started_at_ms = Some(1500);
                r.pull_started_at_ms = Some(1000);
                r.pull_stopped_at_ms = Some(1200);
                let c = &mut r.containers[0];
                c.last_status = ContainerStatus::Running;
                c.runtime_id = Some("abc".into());
                c.health_status = HealthStatus::Healthy;
                c.network_bindings = vec![ModelBinding {
                    bind_ip: "0.0.0.0".into(),
                    container_port: 80,
                    host_port: 32768,
                    protocol: "tcp".into(),
                }];
            },
        );
        check(
            |s| {
                s.last_status = TaskStatus::Stopped;
                s.stop_code = Some(StopCode::EssentialContainerExited);
                s.stopped_reason = Some("Essential container in task exited".into());
                s.stopping_at = Some(at(2000));
                s.execution_stopped_at = Some(at(2100));
                let c = &mut s.containers[0];
                c.last_status = ContainerStatus::Stopped;
                c.exit_code = Some(3);
                c.reason = Some("OutOfMemoryError".into());
            },
            |r| {
                r.last_status = ModelTaskStatus::Stopped;
                r.stop_code = Some(StopCode::EssentialContainerExited);
                r.stopped_reason = Some("Essential container in task exited".into());
                r.stopping_at_ms = Some(2000);
                r.execution_stopped_at_ms = Some(2100);
                let c = &mut r.containers[0];
                c.last_status = ContainerStatus::Stopped;
                c.exit_code = Some(3);
                c.reason = Some("OutOfMemoryError".into());
            },
        );
        // An exit code no process can have is dropped rather than wrapped.
        check(
            |s| s.containers[0].exit_code = Some(i64::MAX),
            |r| r.containers[0].exit_code = None,
        );
    }

    #[test]
    fn stopped_report_marks_every_container() {
        let report = stopped_report(
            &["a".to_string(), "b".to_string()],
            StopCode::TaskFailedToStart,
            "gone",
            at(5000),
            2,
            1,
        );
        assert_eq!(report.last_status, ModelTaskStatus::Stopped);
        assert_eq!(report.execution_stopped_at_ms, Some(5000));
        assert!(
            report
                .containers
                .iter()
                .all(|c| c.last_status == ContainerStatus::Stopped
                    && c.reason.as_deref() == Some("gone"))
        );
        assert_eq!(epoch_ms(UNIX_EPOCH - Duration::from_secs(1)), 0);
    }
}
