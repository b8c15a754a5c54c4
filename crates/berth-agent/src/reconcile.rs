//! The agent's reconcile decision: the server's assignment set, the tasks
//! this host supervises and the checkpoint's records in, a list of actions
//! out. Pure and level-triggered: the same inputs give the same actions, and
//! a task that was ever started here (a record exists) is never started again.

use std::collections::{BTreeMap, BTreeSet};

use berth_model::task::{DesiredStatus, StopCode, TaskStatus};
use berth_protocol::Assignment;

/// `stoppedReason` for a task the server no longer assigns to this host.
pub const UNASSIGNED_REASON: &str = "Task is no longer assigned to this container instance";
/// `stoppedReason` for a task the server stopped before it started here.
pub const NEVER_STARTED_REASON: &str = "Task stopped before it started";
/// `stoppedReason` for a started task whose containers are gone.
pub const LOST_REASON: &str =
    "TaskLost: the task's containers were not found on the host after the agent restarted";

/// What this host is doing with one task right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalTask {
    /// Containers found by label at startup, not yet supervised.
    Adopted,
    /// A runner supervises it and it has not stopped.
    Active {
        /// A stop was already asked of the runner.
        stop_requested: bool,
    },
    /// Stopped; its containers stay until the cleanup delay has passed.
    Finished {
        /// When it stopped, epoch milliseconds.
        finished_at_ms: i64,
    },
}

/// What the checkpoint remembers about a task, as the decision needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordView {
    /// Last status reported (or queued) for the task.
    pub last_status: TaskStatus,
    /// The checkpoint holds the assignment, so a spec can be rebuilt.
    pub has_assignment: bool,
}

/// Everything [`reconcile`] looks at.
#[derive(Debug, Clone, Copy)]
pub struct ReconcileInput<'a> {
    /// The server's latest assignment set.
    pub assignments: &'a [Assignment],
    /// Whether `assignments` is an answer not reconciled before; reports
    /// driven only by the assignment set are resent once per answer.
    pub fresh_assignments: bool,
    /// Tasks on this host.
    pub local: &'a BTreeMap<String, LocalTask>,
    /// Tasks in the checkpoint.
    pub records: &'a BTreeMap<String, RecordView>,
    /// Tasks whose latest report the server has not acknowledged yet.
    pub pending_reports: &'a BTreeSet<String>,
    /// Now, epoch milliseconds.
    pub now_ms: i64,
    /// How long a stopped task's containers are kept.
    pub cleanup_delay_ms: i64,
}

/// Why and how a task must stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopOrder {
    /// The task's `stopCode`.
    pub code: StopCode,
    /// The task's `stoppedReason`.
    pub reason: String,
}

/// One thing the daemon must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Start a new task.
    Start {
        /// Task ARN.
        task_arn: String,
    },
    /// Supervise adopted containers, then stop them if `stop` says so.
    Adopt {
        /// Task ARN.
        task_arn: String,
        /// Stop right after adopting.
        stop: Option<StopOrder>,
    },
    /// Ask a running task to stop.
    Stop {
        /// Task ARN.
        task_arn: String,
        /// Why.
        stop: StopOrder,
    },
    /// Report STOPPED a started task whose containers vanished.
    ReportLost {
        /// Task ARN.
        task_arn: String,
    },
    /// Report STOPPED a task the server stopped before it started here.
    ReportNeverStarted {
        /// Task ARN.
        task_arn: String,
        /// The server's stop code and reason.
        stop: StopOrder,
    },
    /// Send the task's last report again: the server still lists a task
    /// that stopped here and whose report it acknowledged.
    ResendFinal {
        /// Task ARN.
        task_arn: String,
    },
    /// Stop and remove adopted containers nobody knows (no assignment, no
    /// record): nothing could ever report them.
    DiscardOrphan {
        /// Task ARN.
        task_arn: String,
    },
    /// Remove a stopped task's containers (cleanup delay passed).
    Remove {
        /// Task ARN.
        task_arn: String,
    },
    /// Drop the task from the checkpoint: the server no longer lists it and
    /// nothing of it is left here.
    Forget {
        /// Task ARN.
        task_arn: String,
    },
}

/// Decides what to do about every task any input mentions, in ARN order.
pub fn reconcile(input: &ReconcileInput<'_>) -> Vec<Action> {
    let assigned: BTreeMap<&str, &Assignment> = input
        .assignments
        .iter()
        .map(|a| (a.task_arn.as_str(), a))
        .collect();
    let arns: BTreeSet<&str> = assigned
        .keys()
        .copied()
        .chain(input.local.keys().map(String::as_str))
        .chain(input.records.keys().map(String::as_str))
        .collect();
    arns.into_iter()
        .filter_map(|arn| decide(input, arn, assigned.get(arn).copied()))
        .collect()
}

fn decide(
    input: &ReconcileInput<'_>,
    arn: &str,
    assignment: Option<&Assignment>,
) -> Option<Action> {
    let task_arn = arn.to_string();
    let record = input.records.get(arn);
    let pending = input.pending_reports.contains(arn);
    let wanted_stop = match assignment {
        None => Some(StopOrder {
            code: StopCode::UserInitiated,
            reason: UNASSIGNED_REASON.to_string(),
        }),
        Some(a) if a.desired_status == DesiredStatus::Stopped => Some(server_stop(a)),
        Some(_) => None,
    };
    match (input.local.get(arn), assignment, record) {
        (Some(LocalTask::Adopted), _, _) => {
            let spec_known = assignment.is_some() || record.is_some_and(|r| r.has_assignment);
            Some(if spec_known {
                Action::Adopt {
                    task_arn,
                    stop: wanted_stop,
                }
            } else {
                Action::DiscardOrphan { task_arn }
            })
        }
        (Some(LocalTask::Active { stop_requested }), _, _) => match wanted_stop {
            Some(stop) if !stop_requested => Some(Action::Stop { task_arn, stop }),
            _ => None,
        },
        (Some(LocalTask::Finished { finished_at_ms }), _, _) => {
            let due = input.now_ms >= finished_at_ms.saturating_add(input.cleanup_delay_ms);
            (due && !pending).then_some(Action::Remove { task_arn })
        }
        (None, Some(a), None) => Some(match a.desired_status {
            DesiredStatus::Running => Action::Start { task_arn },
            DesiredStatus::Stopped => Action::ReportNeverStarted {
                task_arn,
                stop: server_stop(a),
            },
        }),
        (None, Some(_), Some(r)) if r.last_status != TaskStatus::Stopped => {
            Some(Action::ReportLost { task_arn })
        }
        (None, Some(_), Some(_)) => {
            (input.fresh_assignments && !pending).then_some(Action::ResendFinal { task_arn })
        }
        (None, None, Some(_)) => (!pending).then_some(Action::Forget { task_arn }),
        (None, None, None) => None,
    }
}

fn server_stop(assignment: &Assignment) -> StopOrder {
    StopOrder {
        code: assignment.stop_code.unwrap_or(StopCode::UserInitiated),
        reason: assignment
            .stopped_reason
            .clone()
            .unwrap_or_else(|| crate::state::USER_STOP_REASON.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use berth_model::task::TaskOverride;
    use berth_model::task_definition::{TaskDefinition, TaskDefinitionSpec, TaskDefinitionStatus};

    use super::*;

    const DELAY: i64 = 1_000;

    fn assignment(arn: &str, desired: DesiredStatus) -> Assignment {
        Assignment {
            task_arn: arn.into(),
            task_id: arn.into(),
            desired_status: desired,
            definition: TaskDefinition {
                spec: TaskDefinitionSpec::default(),
                revision: 1,
                status: TaskDefinitionStatus::Active,
                compatibilities: vec![],
                requires_attributes: vec![],
                registered_at_ms: 0,
                deregistered_at_ms: None,
                delete_requested_at_ms: None,
                registered_by: None,
            }
            .into(),
            overrides: TaskOverride::default(),
            stop_code: (desired == DesiredStatus::Stopped).then_some(StopCode::UserInitiated),
            stopped_reason: (desired == DesiredStatus::Stopped).then(|| "by test".to_string()),
            registry_auth: None,
        }
    }

    /// One task's situation: (assignment, local, record, pending report).
    type Case = (
        Option<DesiredStatus>,
        Option<LocalTask>,
        Option<TaskStatus>,
        bool,
    );

    fn check(case: Case, fresh: bool, now_ms: i64, expected: Option<Action>) {
        let (desired, local, record, pending) = case;
        let assignments: Vec<Assignment> =
            desired.map(|d| assignment("t", d)).into_iter().collect();
        let local: BTreeMap<String, LocalTask> =
            local.map(|l| ("t".to_string(), l)).into_iter().collect();
        let records: BTreeMap<String, RecordView> = record
            .map(|status| {
                (
                    "t".to_string(),
                    RecordView {
                        last_status: status,
                        has_assignment: true,
                    },
                )
            })
            .into_iter()
            .collect();
        let pending_reports: BTreeSet<String> =
            pending.then(|| "t".to_string()).into_iter().collect();
        let actions = reconcile(&ReconcileInput {
            assignments: &assignments,
            fresh_assignments: fresh,
            local: &local,
            records: &records,
            pending_reports: &pending_reports,
            now_ms,
            cleanup_delay_ms: DELAY,
        });
        assert_eq!(
            actions,
            expected.into_iter().collect::<Vec<_>>(),
            "{case:?}"
        );
    }

    fn arn() -> String {
        "t".to_string()
    }

    fn server_order() -> StopOrder {
        StopOrder {
            code: StopCode::UserInitiated,
            reason: "by test".into(),
        }
    }

    fn unassigned_order() -> StopOrder {
        StopOrder {
            code: StopCode::UserInitiated,
            reason: UNASSIGNED_REASON.into(),
        }
    }

    #[test]
    fn reconcile_cases() {
        use DesiredStatus::{Running as WantRun, Stopped as WantStop};
        use TaskStatus::{Running, Stopped};
        let active = Some(LocalTask::Active {
            stop_requested: false,
        });
        let stopping = Some(LocalTask::Active {
            stop_requested: true,
        });
        let finished = Some(LocalTask::Finished { finished_at_ms: 0 });
        let adopted = Some(LocalTask::Adopted);
        let cases: Vec<(Case, bool, i64, Option<Action>)> = vec![
            // New work.
            (
                (Some(WantRun), None, None, false),
                true,
                0,
                Some(Action::Start { task_arn: arn() }),
            ),
            (
                (Some(WantStop), None, None, false),
                true,
                0,
                Some(Action::ReportNeverStarted {
                    task_arn: arn(),
                    stop: server_order(),
                }),
            ),
            // Running tasks: keep, stop on request, stop when unassigned, once.
            ((Some(WantRun), active, Some(Running), false), true, 0, None),
            (
                (Some(WantStop), active, Some(Running), false),
                true,
                0,
                Some(Action::Stop {
                    task_arn: arn(),
                    stop: server_order(),
                }),
            ),
            (
                (None, active, Some(Running), false),
                true,
                0,
                Some(Action::Stop {
                    task_arn: arn(),
                    stop: unassigned_order(),
                }),
            ),
            (
                (Some(WantStop), stopping, Some(Running), false),
                true,
                0,
                None,
            ),
            ((None, stopping, Some(Running), true), true, 0, None),
            // Never started twice: a record without local containers is lost,
            // or stopped already.
            (
                (Some(WantRun), None, Some(Running), false),
                true,
                0,
                Some(Action::ReportLost { task_arn: arn() }),
            ),
            (
                (Some(WantStop), None, Some(TaskStatus::Pending), false),
                true,
                0,
                Some(Action::ReportLost { task_arn: arn() }),
            ),
            (
                (Some(WantRun), None, Some(Stopped), false),
                true,
                0,
                Some(Action::ResendFinal { task_arn: arn() }),
            ),
            ((Some(WantRun), None, Some(Stopped), false), false, 0, None),
            ((Some(WantRun), None, Some(Stopped), true), true, 0, None),
            // A stopped task that the server still lists is not restarted.
            (
                (Some(WantRun), finished, Some(Stopped), false),
                true,
                10,
                None,
            ),
            // Cleanup after the delay, once the final report is acknowledged.
            (
                (None, finished, Some(Stopped), false),
                true,
                DELAY - 1,
                None,
            ),
            (
                (None, finished, Some(Stopped), false),
                false,
                DELAY,
                Some(Action::Remove { task_arn: arn() }),
            ),
            ((None, finished, Some(Stopped), true), false, DELAY, None),
            // Forgotten once the server no longer lists it and nothing is left.
            (
                (None, None, Some(Stopped), false),
                false,
                0,
                Some(Action::Forget { task_arn: arn() }),
            ),
            (
                (None, None, Some(Running), false),
                false,
                0,
                Some(Action::Forget { task_arn: arn() }),
            ),
            ((None, None, Some(Stopped), true), false, 0, None),
            // Adoption after a restart.
            (
                (Some(WantRun), adopted, Some(Running), false),
                true,
                0,
                Some(Action::Adopt {
                    task_arn: arn(),
                    stop: None,
                }),
            ),
            (
                (Some(WantStop), adopted, Some(Running), false),
                true,
                0,
                Some(Action::Adopt {
                    task_arn: arn(),
                    stop: Some(server_order()),
                }),
            ),
            (
                (None, adopted, Some(Running), false),
                true,
                0,
                Some(Action::Adopt {
                    task_arn: arn(),
                    stop: Some(unassigned_order()),
                }),
            ),
            (
                (Some(WantRun), adopted, None, false),
                true,
                0,
                Some(Action::Adopt {
                    task_arn: arn(),
                    stop: None,
                }),
            ),
            (
                (None, adopted, None, false),
                true,
                0,
                Some(Action::DiscardOrphan { task_arn: arn() }),
            ),
            ((None, None, None, false), true, 0, None),
        ];
        for (case, fresh, now, expected) in cases {
            check(case, fresh, now, expected);
        }
    }

    #[test]
    fn adopted_without_a_stored_assignment_is_an_orphan() {
        let local = BTreeMap::from([("t".to_string(), LocalTask::Adopted)]);
        let records = BTreeMap::from([(
            "t".to_string(),
            RecordView {
                last_status: TaskStatus::Running,
                has_assignment: false,
            },
        )]);
        let actions = reconcile(&ReconcileInput {
            assignments: &[],
            fresh_assignments: true,
            local: &local,
            records: &records,
            pending_reports: &BTreeSet::new(),
            now_ms: 0,
            cleanup_delay_ms: DELAY,
        });
        assert_eq!(actions, vec![Action::DiscardOrphan { task_arn: arn() }]);
    }

    #[test]
    fn actions_come_in_arn_order_across_inputs() {
        let assignments = vec![
            assignment("c", DesiredStatus::Running),
            assignment("a", DesiredStatus::Running),
        ];
        let records = BTreeMap::from([(
            "b".to_string(),
            RecordView {
                last_status: TaskStatus::Stopped,
                has_assignment: true,
            },
        )]);
        let actions = reconcile(&ReconcileInput {
            assignments: &assignments,
            fresh_assignments: true,
            local: &BTreeMap::new(),
            records: &records,
            pending_reports: &BTreeSet::new(),
            now_ms: 0,
            cleanup_delay_ms: DELAY,
        });
        assert_eq!(
            actions,
            vec![
                Action::Start {
                    task_arn: "a".into()
                },
                Action::Forget {
                    task_arn: "b".into()
                },
                Action::Start {
                    task_arn: "c".into()
                },
            ]
        );
    }
}
