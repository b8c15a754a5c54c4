//! What the daemon does about each task: runs the reconcile decision over
//! its state, performs the actions (start, adopt, stop, report, remove,
//! forget) and turns runner state changes into queued reports.

use std::collections::{BTreeMap, BTreeSet};

use berth_model::task::{StopCode as ModelStopCode, TaskReport, TaskStatus};
use berth_protocol::Assignment;

use super::links::format_error;
use super::{AgentError, Daemon};
use crate::adopt::AdoptedTask;
use crate::assign::{ConvertContext, spec_from_assignment};
use crate::reconcile::{Action, LOST_REASON, LocalTask, ReconcileInput, StopOrder, reconcile};
use crate::report::{report_from_state, stopped_report};
use crate::runner::TaskHandle;
use crate::spec::{DEFAULT_STOP_TIMEOUT, TaskSpec};
use crate::state::{StateChange, TaskState, TaskStatus as AgentTaskStatus};

/// A task this host holds containers of.
#[derive(Debug)]
pub(super) enum Supervised {
    /// Found at startup, waiting for the first assignment answer.
    Adopted(AdoptedTask),
    /// A runner supervises it.
    Active {
        /// Its spec (for removal later).
        spec: TaskSpec,
        /// The runner's handle.
        handle: TaskHandle,
        /// A stop was already asked.
        stop_requested: bool,
    },
    /// Stopped; containers kept until the cleanup delay passes.
    Finished {
        /// Its spec.
        spec: TaskSpec,
        /// Its final state (container ids).
        state: TaskState,
        /// When it stopped, epoch milliseconds.
        finished_at_ms: i64,
    },
}

impl Supervised {
    fn local_task(&self) -> LocalTask {
        match self {
            Supervised::Adopted(_) => LocalTask::Adopted,
            Supervised::Active { stop_requested, .. } => LocalTask::Active {
                stop_requested: *stop_requested,
            },
            Supervised::Finished { finished_at_ms, .. } => LocalTask::Finished {
                finished_at_ms: *finished_at_ms,
            },
        }
    }
}

/// The assignment without registry credentials, as the checkpoint keeps it.
fn without_credentials(assignment: &Assignment) -> Assignment {
    Assignment {
        registry_auth: None,
        ..assignment.clone()
    }
}

fn container_names(assignment: Option<&Assignment>) -> Vec<String> {
    assignment
        .map(|a| {
            a.definition
                .spec
                .containers
                .iter()
                .map(|c| c.name.clone())
                .collect()
        })
        .unwrap_or_default()
}

impl Daemon {
    /// Runs the reconcile decision and performs its actions. Nothing is
    /// decided before the first assignment answer: until then the agent
    /// does not know what the server wants.
    pub(super) async fn reconcile(&mut self, fresh: bool) -> Result<(), AgentError> {
        if self.last_revision.is_none() {
            return Ok(());
        }
        let local: BTreeMap<String, LocalTask> = self
            .supervised
            .iter()
            .map(|(arn, task)| (arn.clone(), task.local_task()))
            .collect();
        let records = self
            .checkpoint
            .tasks
            .iter()
            .map(|(arn, record)| (arn.clone(), record.view()))
            .collect();
        let pending_reports: BTreeSet<String> = self
            .checkpoint
            .tasks
            .iter()
            .filter(|(_, record)| record.unacked.is_some())
            .map(|(arn, _)| arn.clone())
            .collect();
        let actions = reconcile(&ReconcileInput {
            assignments: &self.assignments,
            fresh_assignments: fresh,
            local: &local,
            records: &records,
            pending_reports: &pending_reports,
            now_ms: Self::now_ms(),
            cleanup_delay_ms: i64::try_from(self.config.cleanup_delay.as_millis())
                .unwrap_or(i64::MAX),
        });
        for action in actions {
            tracing::debug!(?action, "reconcile");
            self.perform(action).await?;
        }
        Ok(())
    }

    fn assignment(&self, task_arn: &str) -> Option<&Assignment> {
        self.assignments.iter().find(|a| a.task_arn == task_arn)
    }

    fn convert(&self, assignment: &Assignment) -> Result<TaskSpec, String> {
        let context = ConvertContext {
            cluster: &self.config.cluster,
            host_id: &self.checkpoint.host_id,
            pull_behavior: self.config.pull_behavior,
        };
        spec_from_assignment(assignment, &context).map_err(|err| format_error(&err))
    }

    async fn perform(&mut self, action: Action) -> Result<(), AgentError> {
        match action {
            Action::Start { task_arn } => self.start(&task_arn).await?,
            Action::Adopt { task_arn, stop } => self.adopt(&task_arn, stop),
            Action::Stop { task_arn, stop } => {
                if let Some(Supervised::Active {
                    handle,
                    stop_requested,
                    ..
                }) = self.supervised.get_mut(&task_arn)
                {
                    tracing::info!(task = %task_arn, reason = %stop.reason, "stopping task");
                    handle.stop(stop.code, stop.reason);
                    *stop_requested = true;
                }
            }
            Action::ReportLost { task_arn } => self.report_lost(&task_arn),
            Action::ReportNeverStarted { task_arn, stop } => {
                let names = container_names(self.assignment(&task_arn));
                self.queue_report(&task_arn, |epoch, seq| {
                    stopped_report(
                        &names,
                        stop.code,
                        &stop.reason,
                        std::time::SystemTime::now(),
                        epoch,
                        seq,
                    )
                });
            }
            Action::ResendFinal { task_arn } => {
                let last = self
                    .checkpoint
                    .tasks
                    .get(&task_arn)
                    .and_then(|r| r.last_report.clone());
                match last {
                    Some(report) => self.queue_report(&task_arn, |epoch, seq| TaskReport {
                        epoch,
                        seq,
                        ..report
                    }),
                    None => self.report_lost(&task_arn),
                }
            }
            Action::DiscardOrphan { task_arn } => {
                if let Some(Supervised::Adopted(adopted)) = self.supervised.remove(&task_arn) {
                    tracing::warn!(task = %task_arn, "removing containers of a task neither the server nor the checkpoint knows");
                    self.discard_containers(adopted);
                }
            }
            Action::Remove { task_arn } => {
                if let Some(Supervised::Finished { spec, state, .. }) =
                    self.supervised.remove(&task_arn)
                {
                    let runner = self.runner.clone();
                    tokio::spawn(async move {
                        if let Err(err) = runner.remove_task(&spec, &state).await {
                            tracing::warn!(task = %spec.task_arn, error = %format_error(&err), "removing a stopped task's containers failed");
                        }
                    });
                }
            }
            Action::Forget { task_arn } => {
                self.checkpoint.tasks.remove(&task_arn);
                self.dirty = true;
            }
        }
        Ok(())
    }

    /// Starts a new task. The record is written durably before any
    /// container exists, so a crash at any point can never lead to a
    /// second start: after a restart the task is adopted or reported lost.
    async fn start(&mut self, task_arn: &str) -> Result<(), AgentError> {
        let Some(assignment) = self.assignment(task_arn).cloned() else {
            return Ok(());
        };
        let record = self.checkpoint.record_mut(task_arn);
        record.assignment = Some(without_credentials(&assignment));
        record.last_status = TaskStatus::Pending;
        self.flush_checkpoint().await?;
        let spec = match self.convert(&assignment) {
            Ok(spec) => spec,
            Err(reason) => {
                self.fail_to_start(task_arn, &assignment, &reason);
                return Ok(());
            }
        };
        tracing::info!(task = %task_arn, family = %spec.family, revision = spec.revision, "starting task");
        match self.runner.spawn(spec.clone(), self.events_tx.clone()) {
            Ok(handle) => {
                self.supervised.insert(
                    task_arn.to_string(),
                    Supervised::Active {
                        spec,
                        handle,
                        stop_requested: false,
                    },
                );
            }
            Err(err) => self.fail_to_start(task_arn, &assignment, &format_error(&err)),
        }
        Ok(())
    }

    fn fail_to_start(&mut self, task_arn: &str, assignment: &Assignment, reason: &str) {
        tracing::warn!(task = %task_arn, %reason, "task cannot start");
        let names = container_names(Some(assignment));
        let reason = format!("CannotStartTaskError: {reason}");
        self.queue_report(task_arn, |epoch, seq| {
            stopped_report(
                &names,
                ModelStopCode::TaskFailedToStart,
                &reason,
                std::time::SystemTime::now(),
                epoch,
                seq,
            )
        });
    }

    /// Supervises adopted containers again, from the fresh assignment or the
    /// one the checkpoint kept.
    fn adopt(&mut self, task_arn: &str, stop: Option<StopOrder>) {
        let Some(Supervised::Adopted(adopted)) = self.supervised.remove(task_arn) else {
            return;
        };
        let fresh = self.assignment(task_arn).map(without_credentials);
        let record = self.checkpoint.record_mut(task_arn);
        if fresh.is_some() {
            record.assignment.clone_from(&fresh);
            self.dirty = true;
        }
        let Some(assignment) = fresh.or_else(|| record.assignment.clone()) else {
            self.discard_containers(adopted);
            return;
        };
        // Credentials matter only for containers never created; the fresh
        // assignment has them when the server still wants the task.
        let assignment = self.assignment(task_arn).cloned().unwrap_or(assignment);
        let spawned = self.convert(&assignment).and_then(|spec| {
            self.runner
                .spawn_adopted(spec.clone(), &adopted, self.events_tx.clone())
                .map(|handle| (spec, handle))
                .map_err(|err| format_error(&err))
        });
        match spawned {
            Ok((spec, handle)) => {
                tracing::info!(task = %task_arn, "supervising the task's containers again");
                let stop_requested = match stop {
                    Some(order) => {
                        tracing::info!(task = %task_arn, reason = %order.reason, "stopping adopted task");
                        handle.stop(order.code, order.reason)
                    }
                    None => false,
                };
                self.supervised.insert(
                    task_arn.to_string(),
                    Supervised::Active {
                        spec,
                        handle,
                        stop_requested,
                    },
                );
            }
            Err(reason) => {
                tracing::warn!(task = %task_arn, %reason, "cannot adopt task; removing its containers");
                self.discard_containers(adopted);
                self.report_lost(task_arn);
            }
        }
    }

    fn report_lost(&mut self, task_arn: &str) {
        let names = container_names(self.assignment(task_arn).or_else(|| {
            self.checkpoint
                .tasks
                .get(task_arn)
                .and_then(|r| r.assignment.as_ref())
        }));
        tracing::warn!(task = %task_arn, "task's containers are gone; reporting it stopped");
        self.queue_report(task_arn, |epoch, seq| {
            stopped_report(
                &names,
                ModelStopCode::EssentialContainerExited,
                LOST_REASON,
                std::time::SystemTime::now(),
                epoch,
                seq,
            )
        });
    }

    /// Stops and removes adopted containers in the background.
    fn discard_containers(&self, adopted: AdoptedTask) {
        let driver = self.runner.driver().clone();
        tokio::spawn(async move {
            for id in adopted
                .containers
                .iter()
                .filter_map(|c| c.runtime_id.as_deref())
            {
                if let Err(err) = driver.stop(id, DEFAULT_STOP_TIMEOUT).await {
                    tracing::warn!(container = %id, error = %format_error(&err), "stopping a discarded container failed");
                }
                if let Err(err) = driver.remove(id).await {
                    tracing::warn!(container = %id, error = %format_error(&err), "removing a discarded container failed");
                }
            }
        });
    }

    /// A runner reported a change: keep its state and queue its report.
    pub(super) fn on_change(&mut self, change: StateChange) {
        let task_arn = change.task.task_arn.clone();
        let finished = change.task.last_status == AgentTaskStatus::Stopped
            && matches!(
                self.supervised.get(&task_arn),
                Some(Supervised::Active { .. })
            );
        if finished && let Some(Supervised::Active { spec, .. }) = self.supervised.remove(&task_arn)
        {
            tracing::info!(task = %task_arn, reason = ?change.task.stopped_reason, "task stopped");
            self.supervised.insert(
                task_arn.clone(),
                Supervised::Finished {
                    spec,
                    state: change.task.clone(),
                    finished_at_ms: Self::now_ms(),
                },
            );
        }
        self.queue_report(&task_arn, |epoch, seq| {
            report_from_state(&change.task, epoch, seq)
        });
    }

    /// Builds the task's next report (next sequence number, this run's
    /// epoch), records it in the checkpoint and hands it to the reporter.
    pub(super) fn queue_report(
        &mut self,
        task_arn: &str,
        build: impl FnOnce(u64, u64) -> TaskReport,
    ) {
        let epoch = self.checkpoint.epoch;
        let record = self.checkpoint.record_mut(task_arn);
        record.last_seq += 1;
        let report = build(epoch, record.last_seq);
        record.last_status = report.last_status;
        record.last_report = Some(report.clone());
        record.unacked = Some(report.clone());
        self.dirty = true;
        // The reporter outlives the daemon loop; during shutdown the report
        // stays in the checkpoint and goes out at the next start.
        let _ = self.report_tx.send((task_arn.to_string(), report));
    }
}
