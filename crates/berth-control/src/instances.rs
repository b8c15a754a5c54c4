//! Registering and deregistering container instances.

use berth_model::container_instance::{Attribute, ContainerInstance, InstanceStatus, Resources};
use berth_model::task::{StopCode, Task};
use berth_state::instances::{INSTANCE_HOSTS, InstanceStamp, StoredInstance, instance_key};
use berth_state::tasks::{ASSIGNMENTS, TASKS, assignment_key, task_key, task_put_ops};
use berth_state::{ClusterRepo, StateError};
use berth_store::{Op, Revision, Txn};

use crate::{Control, ControlError, MAX_TXN_ATTEMPTS, new_id};

/// What a host says about itself when it registers.
#[derive(Debug, Clone)]
pub struct Registration {
    pub cluster: String,
    pub host_id: String,
    /// The instance the host was before (from its checkpoint), if any.
    pub instance_id: Option<String>,
    pub resources: Resources,
    pub attributes: Vec<Attribute>,
    pub agent_version: String,
    pub docker_version: String,
}

impl Control {
    /// Registers a host in a cluster. A host that registered before (by its
    /// checkpointed instance id, else by host id) gets the same instance
    /// back, refreshed, so restarts never create duplicates.
    pub async fn register_instance(
        &self,
        registration: Registration,
    ) -> Result<ContainerInstance, ControlError> {
        let cluster = &registration.cluster;
        for _ in 0..MAX_TXN_ATTEMPTS {
            let lifecycle = self.active_cluster_lifecycle(cluster).await?;
            let previous_id = match &registration.instance_id {
                Some(id) => Some(id.clone()),
                None => {
                    self.state
                        .instances
                        .by_host(cluster, &registration.host_id)
                        .await?
                }
            };
            let existing = match &previous_id {
                Some(id) => self
                    .state
                    .instances
                    .get(cluster, id)
                    .await?
                    .filter(|record| record.value.is_registered()),
                None => None,
            };
            let now = self.clock.now_millis();
            // A new instance is read as absent: its compares hold while
            // neither of its records exists.
            let (instance, stamp) = match existing {
                Some(record) => {
                    let mut instance = record.value;
                    let tasks = self.active_tasks_on(cluster, &instance.id).await?;
                    refresh(&mut instance, &registration, &tasks);
                    (instance, record.stamp)
                }
                None => (new_instance(&registration, now), InstanceStamp::default()),
            };
            let mut txn = stamp.whole_txn(cluster, &instance);
            // Not into a cluster deleted meanwhile, nor behind the back of a
            // DeleteCluster counting its instances.
            let (cluster_unchanged, member_added) = ClusterRepo::member_added(cluster, lifecycle);
            txn.compares.push(cluster_unchanged);
            txn.ops.extend([
                INSTANCE_HOSTS.put_op(&instance_key(cluster, &registration.host_id), &instance.id),
                member_added,
            ]);
            if self.commit_instance(cluster, txn, &instance).await? {
                self.heartbeats.seen(&instance.id, cluster, now);
                self.heartbeats.set_connected(&instance.id, true);
                return Ok(instance);
            }
        }
        Err(contention(cluster))
    }

    /// Deregisters an instance. Without `force`, an instance that still has
    /// tasks is refused; with it, its tasks are stopped (orphaned): in the
    /// same commit when one transaction of the store holds them all, else
    /// first, in commits of their own (see `stop_before_deregistering`).
    pub async fn deregister_instance(
        &self,
        cluster: &str,
        instance_id: &str,
        force: bool,
    ) -> Result<ContainerInstance, ControlError> {
        for _ in 0..MAX_TXN_ATTEMPTS {
            let Some(record) = self
                .state
                .instances
                .get(cluster, instance_id)
                .await?
                .filter(|r| r.value.is_registered())
            else {
                return Err(ControlError::InstanceNotFound(
                    "The referenced container instance was not found.".to_owned(),
                ));
            };
            let tasks = self.active_tasks_on(cluster, instance_id).await?;
            if !tasks.is_empty() && !force {
                return Err(ControlError::InvalidParameter(
                    "The container instance has tasks that are running. Stop them or use force to deregister it.".to_owned(),
                ));
            }
            let now = self.clock.now_millis();
            let mut instance = record.value.clone();
            instance.status = InstanceStatus::Inactive;
            instance.agent_connected = false;
            instance.version += 1;
            let mut txn = record.stamp.whole_txn(cluster, &instance);
            txn.ops
                .push(INSTANCE_HOSTS.delete_op(&instance_key(cluster, &instance.host_id)));
            let stopped: Vec<String> = tasks.iter().map(|(task, _)| task.id.clone()).collect();
            for (task, revision) in &tasks {
                let (compare, ops) =
                    stop_for_deregistration(cluster, instance_id, task, *revision, now);
                txn.compares.push(compare);
                txn.ops.extend(ops);
            }
            if self.state.kv.limits().check(&txn).is_err() {
                // More tasks than one transaction holds: they stop first, in
                // transactions of their own, and the deregistration then
                // commits alone.
                self.stop_before_deregistering(cluster, &record, &tasks, now)
                    .await?;
                continue;
            }
            if self.commit_instance(cluster, txn, &instance).await? {
                self.heartbeats.forget(instance_id);
                for task_id in &stopped {
                    self.state.tasks.forget(cluster, task_id);
                }
                return Ok(instance);
            }
        }
        Err(contention(cluster))
    }

    /// Stops the tasks of an instance being deregistered by force, as many
    /// to a transaction as the store takes, each giving its tasks'
    /// resources back. The instance is drained first, so nothing new lands
    /// on it meanwhile, and a deregistration cut short (a crash, a lost
    /// race) leaves it DRAINING with some of its tasks stopped: deregistering
    /// it again goes on. Returns once a commit fails or every task is
    /// stopped; the caller reads the instance and its tasks again.
    async fn stop_before_deregistering(
        &self,
        cluster: &str,
        read: &StoredInstance,
        tasks: &[(Task, u64)],
        now: i64,
    ) -> Result<(), ControlError> {
        if read.value.status == InstanceStatus::Active {
            let mut draining = read.value.clone();
            draining.status = InstanceStatus::Draining;
            draining.version += 1;
            let txn = read.stamp.whole_txn(cluster, &draining);
            if !self.commit_instance(cluster, txn, &draining).await? {
                return Ok(());
            }
        }
        let instance_id = &read.value.id;
        let limits = self.state.kv.limits();
        let mut tasks = tasks.iter().peekable();
        while tasks.peek().is_some() {
            let Some(instance) = self.state.instances.get(cluster, instance_id).await? else {
                return Ok(());
            };
            let mut remaining = instance.value.remaining.clone();
            // Room for the usage record's compare and put.
            let mut txn = Txn {
                compares: vec![instance.stamp.unchanged(cluster, instance_id)],
                ops: Vec::new(),
            };
            let mut stopping = Vec::new();
            let mut bytes = USAGE_WRITE_BYTES;
            while let Some((task, revision)) = tasks.peek() {
                let (compare, ops) =
                    stop_for_deregistration(cluster, instance_id, task, *revision, now);
                let count = txn.compares.len() + txn.ops.len() + 1 + ops.len() + 1;
                let task_bytes: usize = ops.iter().map(Op::bytes).sum();
                let fits =
                    count <= limits.max_txn_ops && bytes + task_bytes <= limits.max_txn_bytes;
                if !stopping.is_empty() && !fits {
                    break;
                }
                bytes += task_bytes;
                txn.compares.push(compare);
                txn.ops.extend(ops);
                remaining.give_back(&task.reserved, &instance.value.registered);
                stopping.push(task.id.clone());
                tasks.next();
            }
            let (usage, _) = instance.stamp.write_usage(cluster, instance_id, &remaining);
            txn.ops.push(usage);
            if !self.state.commit(txn).await? {
                return Ok(());
            }
            for task_id in &stopping {
                self.state.tasks.forget(cluster, task_id);
            }
        }
        Ok(())
    }

    /// Commits `txn`, which writes `instance`, and records the instance in
    /// the cluster's view (see [`Control::record_instance`]).
    async fn commit_instance(
        &self,
        cluster: &str,
        txn: Txn,
        instance: &ContainerInstance,
    ) -> Result<bool, ControlError> {
        let result = self.state.kv.txn(txn).await.map_err(StateError::from)?;
        if result.succeeded {
            self.record_instance(cluster, instance, result.revision);
        }
        Ok(result.succeeded)
    }

    /// Records `instance`, just committed by this server at `revision`, in
    /// the cluster's view if it is loaded. What this server answers from the
    /// view next (ListContainerInstances, DescribeClusters' count of
    /// registered instances) then holds it already, as the watch may bring
    /// it a moment later. Every writer of an instance record on this server
    /// calls it once its commit is answered.
    pub fn record_instance(&self, cluster: &str, instance: &ContainerInstance, revision: Revision) {
        if let Some(view) = self.views.loaded(cluster) {
            view.refresh_instance(StoredInstance {
                value: instance.clone(),
                stamp: InstanceStamp::written_whole(revision),
            });
        }
    }

    /// The tasks not yet STOPPED on an instance, with their revisions.
    pub async fn active_tasks_on(
        &self,
        cluster: &str,
        instance_id: &str,
    ) -> Result<Vec<(Task, u64)>, ControlError> {
        let (assignments, _) = self.state.tasks.assignments(instance_id).await?;
        let mut tasks = Vec::with_capacity(assignments.len());
        for assigned in assignments {
            if let Some(record) = self.state.tasks.get(cluster, &assigned.task_id).await?
                && record.value.is_active()
            {
                tasks.push((record.value, record.mod_revision));
            }
        }
        Ok(tasks)
    }

    /// The revision of the cluster's lifecycle marker if it is ACTIVE, for a
    /// commit adding members to it to compare on
    /// (`ClusterRepo::member_added`).
    pub(crate) async fn active_cluster_lifecycle(
        &self,
        cluster: &str,
    ) -> Result<Revision, ControlError> {
        self.state
            .clusters
            .active_lifecycle(cluster)
            .await?
            .ok_or(ControlError::ClusterNotFound)
    }
}

fn new_instance(registration: &Registration, now_ms: i64) -> ContainerInstance {
    let mut attributes = registration.attributes.clone();
    attributes.sort();
    attributes.dedup_by(|a, b| a.name == b.name);
    ContainerInstance {
        id: new_id(),
        cluster: registration.cluster.clone(),
        host_id: registration.host_id.clone(),
        status: InstanceStatus::Active,
        agent_connected: true,
        registered: registration.resources.clone(),
        remaining: registration.resources.clone(),
        attributes,
        agent_version: registration.agent_version.clone(),
        docker_version: registration.docker_version.clone(),
        registered_at_ms: now_ms,
        tags: Vec::new(),
        version: 1,
    }
}

/// Brings a returning instance up to date: what the agent says now replaces
/// its own attributes and resources (custom attributes put through the API
/// stay), and what is left is recomputed from the tasks still on it.
fn refresh(instance: &mut ContainerInstance, registration: &Registration, tasks: &[(Task, u64)]) {
    for attribute in &registration.attributes {
        match instance
            .attributes
            .iter_mut()
            .find(|a| a.name == attribute.name)
        {
            Some(existing) => existing.value.clone_from(&attribute.value),
            None => instance.attributes.push(attribute.clone()),
        }
    }
    instance.attributes.sort();
    instance.registered = registration.resources.clone();
    let mut remaining = registration.resources.clone();
    for (task, _) in tasks {
        remaining.take(&task.reserved);
    }
    instance.remaining = remaining;
    instance.agent_connected = true;
    instance
        .agent_version
        .clone_from(&registration.agent_version);
    instance
        .docker_version
        .clone_from(&registration.docker_version);
    instance.version += 1;
}

/// A bound on the bytes of a usage record's put, its key included.
const USAGE_WRITE_BYTES: usize = 1024;

/// The compare and the writes that stop `task`, read at `revision`, because
/// its instance is deregistered: its record, its index entries, and its
/// assignment gone.
fn stop_for_deregistration(
    cluster: &str,
    instance_id: &str,
    task: &Task,
    revision: u64,
    now: i64,
) -> (berth_store::Compare, Vec<Op>) {
    let mut task = task.clone();
    let was = task.desired_status;
    task.mark_stopped(
        StopCode::TaskFailedToStart,
        "Task stopped because its container instance was deregistered.",
        now,
    );
    let key = task_key(cluster, &task.id);
    let mut ops = task_put_ops(cluster, &task, Some(was));
    ops.push(ASSIGNMENTS.delete_op(&assignment_key(instance_id, &task.id)));
    (TASKS.unchanged(&key, revision), ops)
}

fn contention(cluster: &str) -> ControlError {
    ControlError::State(berth_state::StateError::Contention {
        key: format!("instances of {cluster}"),
    })
}
