//! Placing tasks (RunTask, StartTask), stopping them, and applying what
//! agents report. Each operation reads the records it changes and commits
//! them in one compare-and-swap transaction: resources are reserved on the
//! instance in the same commit that creates the task, so concurrent calls can
//! never over-commit an instance.

use std::collections::BTreeMap;

use berth_model::container_instance::{ContainerInstance, InstanceStatus};
use berth_model::tag::Tag;
use berth_model::task::{
    Container, ContainerStatus, DesiredStatus, HealthStatus, LaunchType, StopCode, Task,
    TaskOverride, TaskReport, TaskStatus,
};
use berth_model::task_definition::TaskDefinition;
use berth_scheduler::{PlacementConstraint, PlacementRequest, PlacementStrategy, TaskDecision};
use berth_state::StateError;
use berth_state::instances::{INSTANCES, instance_key};
use berth_state::tasks::{
    ASSIGNMENTS, AssignmentMarker, CLIENT_TOKENS, ClientTokenRecord, TASKS, assignment_key,
    task_key,
};
use berth_store::Txn;
use rand::SeedableRng;

use crate::reservation::reservation;
use crate::view::ClusterView;
use crate::{Control, ControlError, MAX_TXN_ATTEMPTS, new_id};

/// A request to start tasks, already validated and resolved.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub cluster: String,
    pub definition: TaskDefinition,
    pub overrides: TaskOverride,
    pub count: u32,
    pub group: String,
    pub started_by: Option<String>,
    pub constraints: Vec<PlacementConstraint>,
    pub strategies: Vec<PlacementStrategy>,
    pub tags: Vec<Tag>,
    pub enable_execute_command: bool,
    /// StartTask: exactly these instances, one task each, no strategies.
    pub target_instances: Option<Vec<String>>,
    /// RunTask idempotency: the token and a fingerprint of the request.
    pub client_token: Option<(String, String)>,
}

/// Why one task could not be placed, in ECS's `failures[]` terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementFailure {
    /// The ARN the failure names (an instance, or the cluster).
    pub arn: String,
    pub reason: String,
    pub detail: Option<String>,
}

/// What RunTask and StartTask answer.
#[derive(Debug, Clone, Default)]
pub struct RunOutcome {
    pub tasks: Vec<Task>,
    pub failures: Vec<PlacementFailure>,
}

impl Control {
    /// Places and records the tasks of `request`.
    pub async fn run_tasks(&self, request: &RunRequest) -> Result<RunOutcome, ControlError> {
        if let Some((token, fingerprint)) = &request.client_token
            && let Some(outcome) = self
                .replay_token(&request.cluster, token, fingerprint)
                .await?
        {
            return Ok(outcome);
        }
        let mut rng = rand::rngs::SmallRng::from_os_rng();
        let view = self.views.get(&request.cluster).await?;
        // One placement at a time per cluster on this server: decisions never
        // race each other, and a conflict means another writer (a report, a
        // registration) changed an instance. The lock also guards the
        // scheduler's incremental index of the cluster.
        let mut index = view.placement.lock().await;
        // What one task takes depends only on the request, not on the attempt.
        let reserved = reservation(&request.definition, &request.overrides);
        for _ in 0..MAX_TXN_ATTEMPTS {
            self.require_active_cluster(&request.cluster).await?;
            let decisions = match &request.target_instances {
                Some(targets) => {
                    let instances: Vec<ContainerInstance> =
                        view.read(|data| data.instances.values().map(|(i, _)| i.clone()).collect());
                    // StartTask bypasses the index, which must then catch up.
                    *index = None;
                    self.decide_targets(request, &instances, targets, &reserved)
                        .await?
                }
                None => {
                    let any_instance = view.read(|data| {
                        data.instances
                            .values()
                            .any(|(i, _)| i.status != InstanceStatus::Inactive)
                    });
                    if !any_instance {
                        return Err(ControlError::InvalidParameter(
                            "No Container Instances were found in your cluster.".to_owned(),
                        ));
                    }
                    let placement = PlacementRequest {
                        cpu: reserved.cpu,
                        memory_mib: reserved.memory_mib,
                        tcp_ports: reserved.tcp_ports.iter().copied().collect(),
                        udp_ports: reserved.udp_ports.iter().copied().collect(),
                        count: request.count,
                        group: request.group.clone(),
                        constraints: request.constraints.clone(),
                        strategies: request.strategies.clone(),
                    };
                    placement
                        .validate()
                        .map_err(|e| ControlError::InvalidParameter(e.to_string()))?;
                    view.sync_index(&mut index);
                    let Some(current) = index.as_mut() else {
                        continue;
                    };
                    // The index reserves what it places, so the next request
                    // sees it before the store or the watch does.
                    let outcome = current
                        .place(&placement, &mut rng)
                        .map_err(|e| ControlError::InvalidParameter(e.to_string()))?;
                    outcome
                        .decisions
                        .into_iter()
                        .map(|decision| match decision {
                            TaskDecision::Placed(placement) => Ok(placement.instance_id.0),
                            TaskDecision::Unplaceable(unplaceable) => Err(PlacementFailure {
                                arn: unplaceable.closest().map_or_else(
                                    || self.scope.cluster_arn(&request.cluster),
                                    |closest| {
                                        self.scope.container_instance_arn(
                                            &request.cluster,
                                            &closest.instance_id.0,
                                        )
                                    },
                                ),
                                reason: unplaceable.aws_reason().unwrap_or("MISSING").to_owned(),
                                detail: Some(unplaceable.describe()),
                            }),
                        })
                        .collect()
                }
            };
            let committed = self
                .commit_placements(request, &view, decisions, &reserved)
                .await;
            if !matches!(committed, Ok(Some(_))) {
                // The index holds reservations that were not committed.
                *index = None;
            }
            if let Some(outcome) = committed? {
                return Ok(outcome);
            }
        }
        Err(ControlError::State(StateError::Contention {
            key: format!("placement in {}", request.cluster),
        }))
    }

    /// StartTask: one task per named instance, each checked for room.
    async fn decide_targets(
        &self,
        request: &RunRequest,
        instances: &[ContainerInstance],
        targets: &[String],
        reserved: &berth_model::task::Reservation,
    ) -> Result<Vec<Result<String, PlacementFailure>>, ControlError> {
        let mut remaining: BTreeMap<&str, berth_model::container_instance::Resources> = instances
            .iter()
            .map(|i| (i.id.as_str(), i.remaining.clone()))
            .collect();
        let mut decisions = Vec::with_capacity(targets.len());
        for target in targets {
            let arn = self.scope.container_instance_arn(&request.cluster, target);
            let failure = |reason: &str| PlacementFailure {
                arn: arn.clone(),
                reason: reason.to_owned(),
                detail: None,
            };
            let Some(instance) = instances.iter().find(|i| &i.id == target) else {
                decisions.push(Err(failure("MISSING")));
                continue;
            };
            if instance.status != InstanceStatus::Active {
                decisions.push(Err(failure("INACTIVE")));
                continue;
            }
            if !instance.agent_connected {
                decisions.push(Err(failure("AGENT")));
                continue;
            }
            let left = remaining.entry(instance.id.as_str()).or_default();
            let reason = if reserved.cpu > left.cpu {
                Some("RESOURCE:CPU")
            } else if reserved.memory_mib > left.memory_mib {
                Some("RESOURCE:MEMORY")
            } else if reserved
                .tcp_ports
                .iter()
                .any(|p| left.tcp_ports.contains(p))
            {
                Some("RESOURCE:PORTS")
            } else if reserved
                .udp_ports
                .iter()
                .any(|p| left.udp_ports.contains(p))
            {
                Some("RESOURCE:PORTS_UDP")
            } else {
                None
            };
            match reason {
                Some(reason) => decisions.push(Err(failure(reason))),
                None => {
                    left.take(reserved);
                    decisions.push(Ok(instance.id.clone()));
                }
            }
        }
        Ok(decisions)
    }

    /// Writes the placed tasks and the instances' new remaining resources in
    /// one transaction. `None` when another writer changed an instance first
    /// (the caller places again on fresh data).
    async fn commit_placements(
        &self,
        request: &RunRequest,
        view: &ClusterView,
        decisions: Vec<Result<String, PlacementFailure>>,
        reserved: &berth_model::task::Reservation,
    ) -> Result<Option<RunOutcome>, ControlError> {
        let now = self.clock.now_millis();
        let mut outcome = RunOutcome::default();
        // Each touched instance as it will be written, and the revision the
        // commit expects it to still have.
        let mut touched: BTreeMap<String, (ContainerInstance, u64)> = BTreeMap::new();
        for decision in decisions {
            match decision {
                Ok(instance_id) => {
                    if !touched.contains_key(&instance_id) {
                        let Some(current) = view.instance(&instance_id) else {
                            return Ok(None);
                        };
                        touched.insert(instance_id.clone(), current);
                    }
                    let Some((entry, _)) = touched.get_mut(&instance_id) else {
                        return Ok(None);
                    };
                    // The decision may rest on an index a little ahead of or
                    // behind this record; the record we compare on decides.
                    if !entry.remaining.fits(reserved) {
                        return Ok(None);
                    }
                    entry.remaining.take(reserved);
                    entry.version += 1;
                    let task = self.new_task(request, entry, reserved, now);
                    outcome.tasks.push(task);
                }
                Err(failure) => outcome.failures.push(failure),
            }
        }
        let mut txn = Txn::default();
        for (instance_id, (updated, decided_at)) in &touched {
            let key = instance_key(&request.cluster, instance_id);
            // If the instance changed since the view's revision, the commit
            // fails and placement runs again on fresh records.
            txn.compares.push(INSTANCES.unchanged(&key, *decided_at));
            txn.ops.push(INSTANCES.put_op(&key, updated));
        }
        for task in &outcome.tasks {
            txn.ops
                .push(TASKS.put_op(&task_key(&request.cluster, &task.id), task));
            txn.ops.push(ASSIGNMENTS.put_op(
                &assignment_key(&task.container_instance_id, &task.id),
                &AssignmentMarker {
                    cluster: request.cluster.clone(),
                    desired_status: DesiredStatus::Running,
                },
            ));
        }
        if let Some((token, fingerprint)) = &request.client_token {
            let key = task_key(&request.cluster, token);
            txn.compares.push(CLIENT_TOKENS.absent(&key));
            txn.ops.push(
                CLIENT_TOKENS.put_op(
                    &key,
                    &ClientTokenRecord {
                        request_fingerprint: fingerprint.clone(),
                        task_ids: outcome.tasks.iter().map(|t| t.id.clone()).collect(),
                        failures: outcome
                            .failures
                            .iter()
                            .map(|f| (f.arn.clone(), f.reason.clone(), f.detail.clone()))
                            .collect(),
                    },
                ),
            );
        }
        if txn.ops.is_empty() {
            return Ok(Some(outcome));
        }
        let committed = self.state.kv.txn(txn).await.map_err(StateError::from)?;
        if committed.succeeded {
            let updated: Vec<ContainerInstance> = touched
                .into_values()
                .map(|(instance, _)| instance)
                .collect();
            view.record_commit(&updated, &outcome.tasks, committed.revision);
            return Ok(Some(outcome));
        }
        // Bring the instances this placement used up to date before the
        // caller places again.
        for instance_id in touched.keys() {
            if let Some(current) = self
                .state
                .instances
                .get(&request.cluster, instance_id)
                .await?
            {
                view.refresh_instance(current.value, current.mod_revision);
            }
        }
        // A concurrent call with the same token may have won the race.
        if let Some((token, fingerprint)) = &request.client_token
            && let Some(replayed) = self
                .replay_token(&request.cluster, token, fingerprint)
                .await?
        {
            return Ok(Some(replayed));
        }
        Ok(None)
    }

    fn new_task(
        &self,
        request: &RunRequest,
        instance: &ContainerInstance,
        reserved: &berth_model::task::Reservation,
        now: i64,
    ) -> Task {
        let spec = &request.definition.spec;
        let containers = spec
            .containers
            .iter()
            .map(|c| {
                let over = request
                    .overrides
                    .container_overrides
                    .iter()
                    .find(|o| o.name == c.name);
                let positive = |v: Option<i32>| v.and_then(|v| u32::try_from(v).ok());
                Container {
                    name: c.name.clone(),
                    id: uuid::Uuid::new_v4().to_string(),
                    image: c.image.clone(),
                    image_digest: None,
                    runtime_id: None,
                    last_status: ContainerStatus::Pending,
                    exit_code: None,
                    reason: None,
                    health_status: HealthStatus::Unknown,
                    network_bindings: Vec::new(),
                    cpu: over.and_then(|o| o.cpu).or_else(|| positive(c.cpu)),
                    memory: over.and_then(|o| o.memory).or_else(|| positive(c.memory)),
                    memory_reservation: over
                        .and_then(|o| o.memory_reservation)
                        .or_else(|| positive(c.memory_reservation)),
                }
            })
            .collect();
        Task {
            id: new_id(),
            cluster: request.cluster.clone(),
            family: spec.family.clone(),
            revision: request.definition.revision,
            container_instance_id: instance.id.clone(),
            launch_type: LaunchType::Ec2,
            group: request.group.clone(),
            started_by: request.started_by.clone(),
            last_status: TaskStatus::Pending,
            desired_status: DesiredStatus::Running,
            health_status: HealthStatus::Unknown,
            containers,
            overrides: request.overrides.clone(),
            cpu: request.overrides.cpu.clone().or_else(|| spec.cpu.clone()),
            memory: request
                .overrides
                .memory
                .clone()
                .or_else(|| spec.memory.clone()),
            reserved: reserved.clone(),
            availability_zone: instance
                .attributes
                .iter()
                .find(|a| a.name == "ecs.availability-zone")
                .and_then(|a| a.value.clone()),
            tags: request.tags.clone(),
            enable_execute_command: request.enable_execute_command,
            created_at_ms: now,
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

    /// The tasks a client token created, if the token was used before with
    /// the same request; a conflict if with another.
    async fn replay_token(
        &self,
        cluster: &str,
        token: &str,
        fingerprint: &str,
    ) -> Result<Option<RunOutcome>, ControlError> {
        let Some(record) = self.state.tasks.client_token(cluster, token).await? else {
            return Ok(None);
        };
        let arns: Vec<String> = record
            .task_ids
            .iter()
            .map(|id| self.scope.task_arn(cluster, id))
            .collect();
        if record.request_fingerprint != fingerprint {
            return Err(ControlError::Conflict {
                message: "The clientToken was already used with different parameters.".to_owned(),
                resource_ids: arns,
            });
        }
        let mut outcome = RunOutcome::default();
        for task_id in &record.task_ids {
            if let Some(task) = self.state.tasks.get(cluster, task_id).await? {
                outcome.tasks.push(task.value);
            }
        }
        outcome.failures = record
            .failures
            .into_iter()
            .map(|(arn, reason, detail)| PlacementFailure {
                arn,
                reason,
                detail,
            })
            .collect();
        Ok(Some(outcome))
    }

    /// StopTask: asks the task's agent to stop it. A task whose instance is
    /// gone is marked STOPPED at once, since no agent will report it.
    pub async fn stop_task(
        &self,
        cluster: &str,
        task_id: &str,
        code: StopCode,
        reason: &str,
    ) -> Result<Task, ControlError> {
        for _ in 0..MAX_TXN_ATTEMPTS {
            let Some(record) = self.state.tasks.get(cluster, task_id).await? else {
                return Err(ControlError::TaskNotFound);
            };
            let mut task = record.value;
            let key = task_key(cluster, task_id);
            if !task.request_stop(code, reason) {
                return Ok(task);
            }
            let mut txn = Txn {
                compares: vec![TASKS.unchanged(&key, record.mod_revision)],
                ops: vec![TASKS.put_op(&key, &task)],
            };
            if task.is_active() {
                // Rewriting the marker wakes the agent's long poll.
                txn.ops.push(ASSIGNMENTS.put_op(
                    &assignment_key(&task.container_instance_id, task_id),
                    &AssignmentMarker {
                        cluster: cluster.to_owned(),
                        desired_status: DesiredStatus::Stopped,
                    },
                ));
            }
            if self
                .state
                .kv
                .txn(txn)
                .await
                .map_err(StateError::from)?
                .succeeded
            {
                return Ok(task);
            }
        }
        Err(ControlError::State(StateError::Contention {
            key: format!("task {task_id}"),
        }))
    }

    /// Adds to `txn` what a task's end releases: its assignment, and its
    /// reservation given back to its instance (compared, so a concurrent
    /// placement on the instance is never overwritten).
    pub(crate) async fn add_release(&self, txn: &mut Txn, task: &Task) -> Result<(), ControlError> {
        let instance_id = &task.container_instance_id;
        txn.ops
            .push(ASSIGNMENTS.delete_op(&assignment_key(instance_id, &task.id)));
        if let Some(instance) = self.state.instances.get(&task.cluster, instance_id).await? {
            let mut updated = instance.value;
            let registered = updated.registered.clone();
            updated.remaining.give_back(&task.reserved, &registered);
            updated.version += 1;
            let key = instance_key(&task.cluster, instance_id);
            txn.compares
                .push(INSTANCES.unchanged(&key, instance.mod_revision));
            txn.ops.push(INSTANCES.put_op(&key, &updated));
        }
        Ok(())
    }

    /// Applies an agent's report of one of its tasks. Once the task is
    /// STOPPED its resources go back to the instance and the assignment is
    /// removed, in the same commit.
    pub async fn apply_report(
        &self,
        cluster: &str,
        instance_id: &str,
        task_id: &str,
        report: &TaskReport,
    ) -> Result<(bool, Task), ControlError> {
        for _ in 0..MAX_TXN_ATTEMPTS {
            let Some(record) = self.state.tasks.get(cluster, task_id).await? else {
                return Err(ControlError::TaskNotFound);
            };
            let mut task = record.value;
            if task.container_instance_id != instance_id {
                return Err(ControlError::TaskNotFound);
            }
            let was_active = task.is_active();
            let previous_report = task.last_report;
            let changed = task.apply_report(report, self.clock.now_millis());
            if task.last_report == previous_report {
                // A duplicate or out-of-date report: nothing to record.
                return Ok((false, task));
            }
            let key = task_key(cluster, task_id);
            let mut txn = Txn {
                compares: vec![TASKS.unchanged(&key, record.mod_revision)],
                ops: vec![TASKS.put_op(&key, &task)],
            };
            if was_active && !task.is_active() {
                self.add_release(&mut txn, &task).await?;
            }
            if self
                .state
                .kv
                .txn(txn)
                .await
                .map_err(StateError::from)?
                .succeeded
            {
                return Ok((changed, task));
            }
        }
        Err(ControlError::State(StateError::Contention {
            key: format!("task {task_id}"),
        }))
    }
}
