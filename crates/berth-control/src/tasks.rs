//! Placing tasks (RunTask, StartTask), stopping them, and applying what
//! agents report. Each operation reads the records it changes and commits
//! them in one compare-and-swap transaction: resources are reserved on the
//! instance in the same commit that creates the task, so concurrent calls can
//! never over-commit an instance.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use berth_model::container_instance::{ContainerInstance, InstanceStatus, Resources};
use berth_model::tag::Tag;
use berth_model::task::{
    Container, ContainerStatus, DesiredStatus, HealthStatus, LaunchType, Reservation, StopCode,
    Task, TaskOverride, TaskReport, TaskStatus,
};
use berth_model::task_definition::TaskDefinition;
use berth_scheduler::{AVAILABILITY_ZONE_ATTRIBUTE, ClusterIndex};
use berth_scheduler::{PlacementConstraint, PlacementRequest, PlacementStrategy, TaskDecision};
use berth_state::instances::InstanceStamp;
use berth_state::tasks::{
    ASSIGNMENTS, AssignmentMarker, ClientTokenRecord, TASKS, assignment_key, task_key, task_put_ops,
};
use berth_state::{ClusterRepo, StateError};
use berth_store::{Revision, StoreError, Txn};
use rand::SeedableRng;
use tokio::sync::oneshot;

use crate::reservation::reservation;
use crate::view::{ClusterView, TaskWriteInFlight};
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
    /// Shared with the records this server remembers (see
    /// `TaskRepo::remember_unconfirmed`), so remembering a placed task
    /// copies nothing.
    pub tasks: Vec<Arc<Task>>,
    pub failures: Vec<PlacementFailure>,
}

/// A RunTask or StartTask waiting in its cluster's placement queue, and
/// where its answer goes.
pub(crate) struct QueuedRun {
    pub(crate) request: RunRequest,
    reply: oneshot::Sender<Result<RunOutcome, ControlError>>,
}

impl QueuedRun {
    fn answer(self, result: Result<RunOutcome, ControlError>) {
        // The caller may have gone away; nobody is left to tell.
        let _ = self.reply.send(result);
    }
}

/// Most tasks placed in one commit, whatever the store allows.
const MAX_BATCH_TASKS: u32 = 1024;

/// The most transaction ops one task adds to a placement commit: its record,
/// its entry in the index of running tasks and its assignment, a compare and
/// a put of its instance's usage record, and room for its call's client
/// token (a compare, the token and its entry in the expiry index).
const TASK_COMMIT_OPS: usize = 8;

/// The transaction ops a placement commit has whatever its tasks: a compare
/// on the cluster's lifecycle marker and the write of its marker of added
/// members.
const BATCH_COMMIT_OPS: usize = 2;

/// A bound on the bytes of those two (their keys hold the cluster's name,
/// at most 255 bytes).
const BATCH_COMMIT_BYTES: usize = 1024;

/// A generous bound on the bytes one task adds to a placement commit (its
/// record, its assignment and its share of an instance record), used only to
/// size batches; a batch that still turns out too large is split.
const TASK_COMMIT_BYTES: usize = 16 * 1024;

/// The tasks of one batch, and the instances they take from, as they will
/// be written.
#[derive(Default)]
struct BatchCommit {
    /// Each touched instance as it will be.
    touched: BTreeMap<String, Touched>,
    /// The client tokens of the calls in the batch.
    tokens: HashSet<String>,
    /// Set when a decision did not fit the records: the batch is placed again.
    stale: bool,
    /// The revision of the cluster's lifecycle marker, read with the
    /// cluster ACTIVE before placing.
    cluster_lifecycle: Revision,
}

/// What a batch needs of an instance it places tasks on: what it will have
/// left, the revisions of its records the commit compares on, and its zone
/// (for its tasks' records). Not the whole instance, whose attributes a
/// real agent's host has over thirty of.
struct Touched {
    remaining: Resources,
    stamp: InstanceStamp,
    availability_zone: Option<String>,
}

impl Touched {
    fn of(view: &ClusterView, instance_id: &str) -> Option<Touched> {
        view.read(|data| {
            let held = data.instances.get(instance_id)?;
            Some(Touched {
                remaining: held.instance.remaining.clone(),
                stamp: held.stamp,
                availability_zone: held
                    .instance
                    .attributes
                    .iter()
                    .find(|a| a.name == AVAILABILITY_ZONE_ATTRIBUTE)
                    .and_then(|a| a.value.clone()),
            })
        })
    }
}

impl BatchCommit {
    /// Turns one call's decisions into tasks, taking their resources from the
    /// touched instances. `None` when a decision does not fit the instance
    /// record the commit will compare on.
    fn add(
        &mut self,
        control: &Control,
        view: &ClusterView,
        request: &RunRequest,
        decisions: Vec<Result<String, PlacementFailure>>,
        reserved: &Reservation,
    ) -> Option<RunOutcome> {
        let now = control.clock.now_millis();
        let mut outcome = RunOutcome::default();
        for decision in decisions {
            match decision {
                Ok(instance_id) => {
                    let entry = match self.touched.entry(instance_id.clone()) {
                        std::collections::btree_map::Entry::Occupied(entry) => entry.into_mut(),
                        std::collections::btree_map::Entry::Vacant(entry) => {
                            let current = Touched::of(view, entry.key())?;
                            entry.insert(current)
                        }
                    };
                    // The decision may rest on an index a little ahead of or
                    // behind this record; the record we compare on decides.
                    if !entry.remaining.fits(reserved) {
                        return None;
                    }
                    // The usage record written counts the commit's change
                    // in the instance's version, once.
                    entry.remaining.take(reserved);
                    let task = control.new_task(
                        request,
                        &instance_id,
                        entry.availability_zone.clone(),
                        reserved,
                        now,
                    );
                    outcome.tasks.push(Arc::new(task));
                }
                Err(failure) => outcome.failures.push(failure),
            }
        }
        Some(outcome)
    }
}

/// Gives every call in `calls` its own copy of `error`.
fn answer_all(calls: impl IntoIterator<Item = QueuedRun>, error: &ControlError) {
    for queued in calls {
        queued.answer(Err(copy_error(error)));
    }
}

/// A copy of `error` for another caller who shared the failed work. Store
/// failures keep their message and their first cause, as text.
fn copy_error(error: &ControlError) -> ControlError {
    match error {
        ControlError::ClusterNotFound => ControlError::ClusterNotFound,
        ControlError::Client(message) => ControlError::Client(message.clone()),
        ControlError::InvalidParameter(message) => ControlError::InvalidParameter(message.clone()),
        ControlError::InstanceNotFound(message) => ControlError::InstanceNotFound(message.clone()),
        ControlError::TaskNotFound => ControlError::TaskNotFound,
        ControlError::Conflict {
            message,
            resource_ids,
        } => ControlError::Conflict {
            message: message.clone(),
            resource_ids: resource_ids.clone(),
        },
        ControlError::State(StateError::Contention { key }) => {
            ControlError::State(StateError::Contention { key: key.clone() })
        }
        ControlError::State(StateError::Store(StoreError::Closed)) => {
            ControlError::State(StateError::Store(StoreError::Closed))
        }
        ControlError::State(other) => {
            let cause =
                std::error::Error::source(other).map_or_else(String::new, |c| c.to_string());
            ControlError::State(StateError::Store(StoreError::Backend {
                context: other.to_string(),
                source: std::io::Error::other(cause).into(),
            }))
        }
    }
}

impl Control {
    /// Places and records the tasks of `request`.
    ///
    /// Calls for one cluster queue up; one task at a time places everything
    /// queued and commits it in one transaction, so concurrent callers share
    /// a durable commit (an fsync) instead of waiting for one each.
    pub async fn run_tasks(&self, request: RunRequest) -> Result<RunOutcome, ControlError> {
        if let Some((token, fingerprint)) = &request.client_token
            && let Some(outcome) = self
                .replay_token(&request.cluster, token, fingerprint)
                .await?
        {
            return Ok(outcome);
        }
        let Some(view) = self.views.get(&request.cluster).await? else {
            return Err(ControlError::ClusterNotFound);
        };
        let (reply, answer) = oneshot::channel();
        view.enqueue(QueuedRun { request, reply });
        // Whoever finds the lock free places the queue; a separate task does
        // it, so a caller that goes away mid-commit abandons nobody else.
        if let Ok(index) = view.placement.clone().try_lock_owned() {
            tokio::spawn(self.clone().drain_placements(view, index));
        }
        answer.await.unwrap_or_else(|_| {
            Err(ControlError::State(StateError::Contention {
                key: "the placement queue".to_owned(),
            }))
        })
    }

    /// Places queued calls until the queue is empty, then lets go of the
    /// lock. A call queued just as the lock is released is picked up either
    /// here (the queue is checked again after releasing) or by its own caller
    /// (who then finds the lock free).
    async fn drain_placements(
        self,
        view: Arc<ClusterView>,
        mut index: tokio::sync::OwnedMutexGuard<Option<ClusterIndex>>,
    ) {
        let limits = self.state.kv.limits();
        let task_budget = (limits.max_txn_ops.saturating_sub(BATCH_COMMIT_OPS) / TASK_COMMIT_OPS)
            .min(limits.max_txn_bytes.saturating_sub(BATCH_COMMIT_BYTES) / TASK_COMMIT_BYTES)
            .clamp(1, MAX_BATCH_TASKS as usize) as u32;
        loop {
            loop {
                let batch = view.take_batch(task_budget);
                if batch.is_empty() {
                    break;
                }
                if let Err(oversized) = self.place_batch(&view, &mut index, batch).await {
                    for queued in oversized {
                        // A batch of one answers every outcome itself.
                        let _ = self.place_batch(&view, &mut index, vec![queued]).await;
                    }
                }
            }
            drop(index);
            if view.queue_is_empty() {
                return;
            }
            match view.placement.clone().try_lock_owned() {
                Ok(again) => index = again,
                Err(_) => return,
            }
        }
    }

    /// Places `batch` and commits all of it in one transaction, answering
    /// every call. Gives the batch back when the store finds the transaction
    /// too large, so the caller can place its calls one by one.
    async fn place_batch(
        &self,
        view: &ClusterView,
        index: &mut Option<ClusterIndex>,
        mut batch: Vec<QueuedRun>,
    ) -> Result<(), Vec<QueuedRun>> {
        // Seeded from the thread's generator, not the OS: a system call a
        // batch otherwise.
        let mut rng = rand::rngs::SmallRng::from_rng(&mut rand::rng());
        for _ in 0..MAX_TXN_ATTEMPTS {
            // Calls whose callers went away are not placed.
            batch.retain(|queued| !queued.reply.is_closed());
            let Some(first) = batch.first() else {
                return Ok(());
            };
            let cluster = first.request.cluster.clone();
            let cluster_lifecycle = match self.active_cluster_lifecycle(&cluster).await {
                Ok(revision) => revision,
                Err(error) => {
                    answer_all(batch, &error);
                    return Ok(());
                }
            };
            let mut commit = BatchCommit {
                cluster_lifecycle,
                ..BatchCommit::default()
            };
            // Calls that share a client token with one already in this
            // commit wait for it, then replay its outcome.
            let mut later = Vec::new();
            let mut placed = Vec::with_capacity(batch.len());
            for queued in batch.drain(..) {
                if let Some((token, _)) = &queued.request.client_token
                    && !commit.tokens.insert(token.clone())
                {
                    later.push(queued);
                    continue;
                }
                match self.decide(view, index, &queued.request, &mut rng).await {
                    Ok((decisions, reserved)) => {
                        match commit.add(self, view, &queued.request, decisions, &reserved) {
                            Some(outcome) => placed.push((queued, outcome)),
                            // The index and the records disagree: place the
                            // whole batch again on a fresh index.
                            None => {
                                commit.stale = true;
                                placed.push((queued, RunOutcome::default()));
                            }
                        }
                    }
                    Err(error) => queued.answer(Err(error)),
                }
            }
            let result = if commit.stale {
                None
            } else {
                match self.commit_batch(view, &cluster, &commit, &placed).await {
                    Ok(committed) => committed,
                    Err(ControlError::State(StateError::Store(StoreError::TooLarge {
                        ..
                    }))) if placed.len() + later.len() > 1 => {
                        *index = None;
                        batch.extend(placed.into_iter().map(|(queued, _)| queued));
                        batch.extend(later);
                        return Err(batch);
                    }
                    Err(error) => {
                        *index = None;
                        answer_all(placed.into_iter().map(|(queued, _)| queued), &error);
                        batch = later;
                        continue;
                    }
                }
            };
            match result {
                Some(()) => {
                    for (queued, outcome) in placed {
                        queued.answer(Ok(outcome));
                    }
                }
                None => {
                    // The index holds reservations that were not committed.
                    *index = None;
                    self.refresh_instances(view, &cluster, commit.touched.keys())
                        .await;
                    for (queued, _) in placed {
                        // A concurrent call with the same token may have won.
                        match self.replayed(&queued.request).await {
                            Ok(Some(outcome)) => queued.answer(Ok(outcome)),
                            Ok(None) => batch.push(queued),
                            Err(error) => queued.answer(Err(error)),
                        }
                    }
                }
            }
            for queued in later {
                match self.replayed(&queued.request).await {
                    Ok(Some(outcome)) => queued.answer(Ok(outcome)),
                    Ok(None) => batch.push(queued),
                    Err(error) => queued.answer(Err(error)),
                }
            }
        }
        if let Some(first) = batch.first() {
            let error = ControlError::State(StateError::Contention {
                key: format!("placement in {}", first.request.cluster),
            });
            answer_all(batch, &error);
        }
        Ok(())
    }

    /// The outcome already recorded under the call's client token, if any.
    async fn replayed(&self, request: &RunRequest) -> Result<Option<RunOutcome>, ControlError> {
        match &request.client_token {
            Some((token, fingerprint)) => {
                self.replay_token(&request.cluster, token, fingerprint)
                    .await
            }
            None => Ok(None),
        }
    }

    /// Where each task of `request` goes (or why it cannot), reserved in the
    /// placement index, and what one task takes.
    async fn decide(
        &self,
        view: &ClusterView,
        index: &mut Option<ClusterIndex>,
        request: &RunRequest,
        rng: &mut rand::rngs::SmallRng,
    ) -> Result<(Vec<Result<String, PlacementFailure>>, Reservation), ControlError> {
        let reserved = reservation(&request.definition, &request.overrides);
        if let Some(targets) = &request.target_instances {
            let instances: Vec<ContainerInstance> = view.read(|data| {
                data.instances
                    .values()
                    .map(|held| held.instance.clone())
                    .collect()
            });
            // StartTask bypasses the index, which must then catch up.
            *index = None;
            let decisions = self
                .decide_targets(request, &instances, targets, &reserved)
                .await?;
            return Ok((decisions, reserved));
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
        let current = view.sync_index(index);
        // The index holds exactly the instances that are not deregistered,
        // so this needs no walk over the cluster per call.
        if current.instances().is_empty() {
            return Err(ControlError::InvalidParameter(
                "No Container Instances were found in your cluster.".to_owned(),
            ));
        }
        // The index reserves what it places, so the next call sees it before
        // the store or the watch does.
        let outcome = current
            .place(&placement, rng)
            .map_err(|e| ControlError::InvalidParameter(e.to_string()))?;
        let decisions = outcome
            .decisions
            .into_iter()
            .map(|decision| match decision {
                TaskDecision::Placed(placement) => Ok(placement.instance_id.0),
                TaskDecision::Unplaceable(unplaceable) => Err(PlacementFailure {
                    arn: unplaceable.closest().map_or_else(
                        || self.scope.cluster_arn(&request.cluster),
                        |closest| {
                            self.scope
                                .container_instance_arn(&request.cluster, &closest.instance_id.0)
                        },
                    ),
                    reason: unplaceable.aws_reason().unwrap_or("MISSING").to_owned(),
                    detail: Some(unplaceable.describe()),
                }),
            })
            .collect();
        Ok((decisions, reserved))
    }
    /// StartTask: one task per named instance, each checked for room.
    async fn decide_targets(
        &self,
        request: &RunRequest,
        instances: &[ContainerInstance],
        targets: &[String],
        reserved: &Reservation,
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

    /// Writes every placed task of a batch, its assignment, the instances'
    /// new remaining resources and the client tokens in one transaction.
    /// `Ok(None)` when another writer changed an instance first, or the
    /// cluster was deleted (or created again) meanwhile: the batch is placed
    /// again on fresh data.
    async fn commit_batch(
        &self,
        view: &ClusterView,
        cluster: &str,
        commit: &BatchCommit,
        placed: &[(QueuedRun, RunOutcome)],
    ) -> Result<Option<()>, ControlError> {
        let mut txn = Txn::default();
        let now = self.clock.now_millis();
        let mut usages = Vec::with_capacity(commit.touched.len());
        for (instance_id, touched) in &commit.touched {
            // If the instance changed since the view's revisions, the commit
            // fails and placement runs again on fresh records.
            txn.compares
                .push(touched.stamp.unchanged(cluster, instance_id));
            let (op, usage) = touched
                .stamp
                .write_usage(cluster, instance_id, &touched.remaining);
            txn.ops.push(op);
            usages.push((instance_id.as_str(), usage));
        }
        for (queued, outcome) in placed {
            for task in &outcome.tasks {
                txn.ops.extend(task_put_ops(cluster, task, None));
                txn.ops.push(ASSIGNMENTS.put_op(
                    &assignment_key(&task.container_instance_id, &task.id),
                    &AssignmentMarker {
                        cluster: cluster.to_owned(),
                        desired_status: DesiredStatus::Running,
                    },
                ));
            }
            if let Some((token, fingerprint)) = &queued.request.client_token {
                let record = ClientTokenRecord {
                    request_fingerprint: fingerprint.clone(),
                    task_ids: outcome.tasks.iter().map(|t| t.id.clone()).collect(),
                    failures: outcome
                        .failures
                        .iter()
                        .map(|f| (f.arn.clone(), f.reason.clone(), f.detail.clone()))
                        .collect(),
                    first_used_at_ms: None,
                };
                let (unused, ops) = record.first_use(cluster, token, now);
                txn.compares.push(unused);
                txn.ops.extend(ops);
            }
        }
        if txn.ops.is_empty() {
            return Ok(Some(()));
        }
        // Not into a cluster deleted meanwhile, nor behind the back of a
        // DeleteCluster counting its tasks.
        let (cluster_unchanged, member_added) =
            ClusterRepo::member_added(cluster, commit.cluster_lifecycle);
        txn.compares.push(cluster_unchanged);
        txn.ops.push(member_added);
        let in_view = view.begin_commit(
            commit.touched.keys(),
            placed
                .iter()
                .flat_map(|(_, outcome)| outcome.tasks.iter().map(|task| &task.id)),
        );
        let new_tasks = || placed.iter().flat_map(|(_, outcome)| &outcome.tasks);
        for task in new_tasks() {
            // A poll the commit wakes may come before its answer does.
            self.state.tasks.remember_unconfirmed(task.clone());
        }
        let committed = match self.state.kv.txn(txn).await {
            Ok(committed) if committed.succeeded => committed,
            other => {
                for task in new_tasks() {
                    self.state.tasks.forget(cluster, &task.id);
                }
                // What the watch held back of its records is someone else's.
                drop(in_view);
                return match other {
                    Ok(_) => Ok(None),
                    Err(error) => Err(StateError::from(error).into()),
                };
            }
        };
        for task in new_tasks() {
            // Its first reports read it next.
            self.state
                .tasks
                .confirm(cluster, &task.id, committed.revision);
        }
        in_view.committed(
            usages.iter().map(|(id, usage)| (*id, usage)),
            new_tasks().map(|task| &**task),
            committed.revision,
        );
        Ok(Some(()))
    }

    /// Brings the instances a failed commit used up to date in the view
    /// before the batch is placed again. A read that fails leaves the view
    /// as it was: the next commit's compare catches it.
    async fn refresh_instances<'a>(
        &self,
        view: &ClusterView,
        cluster: &str,
        instance_ids: impl Iterator<Item = &'a String>,
    ) {
        for instance_id in instance_ids {
            if let Ok(Some(current)) = self.state.instances.get(cluster, instance_id).await {
                view.refresh_instance(current);
            }
        }
    }

    fn new_task(
        &self,
        request: &RunRequest,
        instance_id: &str,
        availability_zone: Option<String>,
        reserved: &Reservation,
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
                    id: crate::new_random_uuid(),
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
            container_instance_id: instance_id.to_owned(),
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
            availability_zone,
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
        let Some((record, _)) = self.state.tasks.client_token(cluster, token).await? else {
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
                outcome.tasks.push(Arc::new(task.value));
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

    /// StopTask: asks the task's agent to stop it (its desired status and
    /// assignment marker turn STOPPED, which wakes the agent's long poll);
    /// the task stays active until the agent reports it STOPPED.
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
            let was = task.desired_status;
            if !task.request_stop(code, reason) {
                return Ok(task);
            }
            let mut txn = Txn {
                compares: vec![TASKS.unchanged(&key, record.mod_revision)],
                ops: task_put_ops(cluster, &task, Some(was)),
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
            let in_view = self.expect_in_view(cluster, &task);
            let committed = self.state.kv.txn(txn).await.map_err(StateError::from)?;
            if committed.succeeded {
                if let Some(in_view) = in_view {
                    in_view.committed(&task, committed.revision);
                }
                // The poll that tells its agent, and the agent's reports of
                // the stop, read it next.
                self.state
                    .tasks
                    .remember(Arc::new(task.clone()), committed.revision);
                return Ok(task);
            }
        }
        Err(ControlError::State(StateError::Contention {
            key: format!("task {task_id}"),
        }))
    }

    /// Notes a write of `task` outside placement in its cluster's view, so
    /// the view takes the task from the writer rather than decode it again
    /// when the watch brings the commit, as it may before the answer comes.
    fn expect_in_view(&self, cluster: &str, task: &Task) -> Option<TaskWriteInFlight> {
        task.is_active()
            .then(|| self.views.loaded(cluster))
            .flatten()
            .map(|view| view.expect_task_write(&task.id))
    }

    /// Adds to `txn` what a task's end releases: its assignment, and its
    /// reservation given back to its instance (compared, so a concurrent
    /// placement on the instance is never overwritten).
    pub(crate) async fn add_release(&self, txn: &mut Txn, task: &Task) -> Result<(), ControlError> {
        let instance_id = &task.container_instance_id;
        txn.ops
            .push(ASSIGNMENTS.delete_op(&assignment_key(instance_id, &task.id)));
        if let Some(instance) = self.state.instances.get(&task.cluster, instance_id).await? {
            let mut remaining = instance.value.remaining;
            remaining.give_back(&task.reserved, &instance.value.registered);
            txn.compares
                .push(instance.stamp.unchanged(&task.cluster, instance_id));
            let (op, _) = instance
                .stamp
                .write_usage(&task.cluster, instance_id, &remaining);
            txn.ops.push(op);
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
    ) -> Result<(bool, Arc<Task>), ControlError> {
        let tasks = &self.state.tasks;
        // The state this server last wrote spares a read, and taken out of
        // memory it is changed without a copy; it may be behind the store
        // (another server wrote since), which the compare catches.
        let mut try_remembered = true;
        for _ in 0..MAX_TXN_ATTEMPTS {
            let remembered = try_remembered
                .then(|| tasks.take_remembered(cluster, task_id))
                .flatten();
            let from_memory = remembered.is_some();
            let record = match remembered {
                Some(record) => Some(record),
                None => tasks.get_shared(cluster, task_id).await?,
            };
            let Some(record) = record else {
                return Err(ControlError::TaskNotFound);
            };
            let current = record.value;
            if current.container_instance_id != instance_id {
                return Err(ControlError::TaskNotFound);
            }
            let was_active = current.is_active();
            let was = current.desired_status;
            // Copied only when a poll's answer still holds it.
            let mut task = Arc::try_unwrap(current).unwrap_or_else(|shared| Task::clone(&shared));
            let Some(changed) = task.apply_report(report, self.clock.now_millis()) else {
                if from_memory {
                    // Given back as it was taken, and a duplicate answered
                    // from the stored state, not from one that may be
                    // behind it.
                    tasks.remember(Arc::new(task), record.mod_revision);
                    try_remembered = false;
                    continue;
                }
                // A duplicate or out-of-date report: nothing to record.
                return Ok((false, Arc::new(task)));
            };
            let key = task_key(cluster, task_id);
            let mut txn = Txn {
                compares: vec![TASKS.unchanged(&key, record.mod_revision)],
                ops: task_put_ops(cluster, &task, Some(was)),
            };
            if was_active && !task.is_active() {
                self.add_release(&mut txn, &task).await?;
            }
            let in_view = self.expect_in_view(cluster, &task);
            let committed = self.state.kv.txn(txn).await.map_err(StateError::from)?;
            if committed.succeeded {
                if let Some(in_view) = in_view {
                    in_view.committed(&task, committed.revision);
                }
                let task = Arc::new(task);
                tasks.remember(task.clone(), committed.revision);
                return Ok((changed, task));
            }
            tasks.forget(cluster, task_id);
            try_remembered = false;
        }
        Err(ControlError::State(StateError::Contention {
            key: format!("task {task_id}"),
        }))
    }
}
