//! An in-memory view of each cluster's instances and active tasks, loaded
//! once and kept fresh by store watches, so placement does not read every
//! instance and every task of a cluster from the store on each RunTask.
//!
//! The view is a cache, never the authority: placement commits compare the
//! mod revisions the view recorded, so a stale view only costs a retry on
//! records read from the store.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, RwLock};

use berth_model::container_instance::ContainerInstance;
use berth_model::task::{DesiredStatus, Task, TaskStatus};
use berth_scheduler::{ClusterIndex, ClusterSnapshot, ContainerInstanceId, InstanceSnapshot};
use berth_state::ClusterRepo;
use berth_state::StateError;
use berth_state::instances::INSTANCES;
use berth_state::tasks::TASKS;
use berth_store::{Event, EventKind, KeyRange, Kv, Revision, StoreError};
use futures::StreamExt;

use crate::snapshot::{cluster_snapshot_with_counts, instance_snapshot};
use crate::tasks::QueuedRun;

/// What placement (and the cluster's task counts) need to know of an
/// active task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSummary {
    pub instance_id: String,
    pub group: String,
    pub desired_running: bool,
    pub phase: Phase,
}

/// Where an active task is in its life, as DescribeClusters counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Not yet RUNNING (PROVISIONING to ACTIVATING).
    Pending,
    Running,
    /// Past RUNNING but not yet STOPPED.
    Stopping,
}

impl Phase {
    /// The phase of a task last reported `status`; `None` once STOPPED.
    pub fn of(status: TaskStatus) -> Option<Phase> {
        match status {
            TaskStatus::Stopped => None,
            status if status < TaskStatus::Running => Some(Phase::Pending),
            TaskStatus::Running => Some(Phase::Running),
            _ => Some(Phase::Stopping),
        }
    }
}

impl TaskSummary {
    fn of(task: &Task) -> Option<TaskSummary> {
        Self::from_parts(
            &task.container_instance_id,
            &task.group,
            task.desired_status,
            task.last_status,
        )
    }

    fn from_parts(
        instance_id: &str,
        group: &str,
        desired_status: DesiredStatus,
        last_status: TaskStatus,
    ) -> Option<TaskSummary> {
        Phase::of(last_status).map(|phase| TaskSummary {
            instance_id: instance_id.to_owned(),
            group: group.to_owned(),
            desired_running: desired_status == DesiredStatus::Running,
            phase,
        })
    }

    /// The summary of a stored task record, reading only the members the
    /// view needs: the rest is skipped unparsed, which is most of the cost of
    /// loading a big cluster's view and of following its reports.
    fn decode(record: &[u8]) -> Result<Option<TaskSummary>, serde_json::Error> {
        #[derive(serde::Deserialize)]
        struct Stored<'a> {
            #[serde(borrow)]
            container_instance_id: std::borrow::Cow<'a, str>,
            #[serde(borrow)]
            group: std::borrow::Cow<'a, str>,
            desired_status: DesiredStatus,
            last_status: TaskStatus,
        }
        let stored: Stored<'_> = serde_json::from_slice(record)?;
        Ok(Self::from_parts(
            &stored.container_instance_id,
            &stored.group,
            stored.desired_status,
            stored.last_status,
        ))
    }

    /// The part placement depends on.
    fn placement(&self) -> (&str, &str, bool) {
        (&self.instance_id, &self.group, self.desired_running)
    }
}

/// How many active tasks a cluster has in each phase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PhaseCounts {
    pub pending: u64,
    pub running: u64,
}

impl PhaseCounts {
    /// The counts of tasks last reported these statuses.
    pub fn tally(statuses: impl IntoIterator<Item = TaskStatus>) -> PhaseCounts {
        let mut counts = PhaseCounts::default();
        for phase in statuses.into_iter().filter_map(Phase::of) {
            counts.add(phase, 1);
        }
        counts
    }

    fn add(&mut self, phase: Phase, delta: i64) {
        let slot = match phase {
            Phase::Pending => &mut self.pending,
            Phase::Running => &mut self.running,
            Phase::Stopping => return,
        };
        *slot = slot.saturating_add_signed(delta);
    }
}

/// Per instance: the groups of its active tasks, and how many of them are
/// meant to run.
pub type TaskCounts = (BTreeMap<String, u32>, u32);

/// One cluster's instances (with mod revisions) and active tasks, plus what
/// changed since the placement index last looked.
#[derive(Debug, Default)]
pub struct ViewData {
    pub instances: BTreeMap<String, (ContainerInstance, Revision)>,
    pub tasks: HashMap<String, (TaskSummary, Revision)>,
    pub counts: HashMap<String, TaskCounts>,
    /// Active tasks by phase, for DescribeClusters.
    pub phases: PhaseCounts,
    /// Instances changed by others since the index saw them.
    pub dirty: BTreeSet<String>,
    /// The placement commit in flight: its instances and tasks are in the
    /// index already, so the watch delivering them must not mark them dirty
    /// (which would make the next placement re-index them for nothing).
    in_flight: InFlight,
}

/// What a placement commit in flight writes, and the changes to those
/// records the watch delivered meanwhile (instance, revision): only those
/// at another revision than the commit's were made by someone else.
#[derive(Debug, Default)]
struct InFlight {
    instances: HashSet<String>,
    tasks: HashSet<String>,
    seen: Vec<(String, Revision)>,
}

/// Who made a change: this server's own commit (already in its placement
/// index) or someone else (the index must catch up).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    OwnCommit,
    Store,
}

impl ViewData {
    fn put_instance(&mut self, instance: ContainerInstance, revision: Revision, origin: Origin) {
        match self.instances.get(&instance.id) {
            Some((_, known)) if *known >= revision => {}
            _ => {
                if origin == Origin::Store {
                    if self.in_flight.instances.contains(&instance.id) {
                        self.in_flight.seen.push((instance.id.clone(), revision));
                    } else {
                        self.dirty.insert(instance.id.clone());
                    }
                }
                self.instances
                    .insert(instance.id.clone(), (instance, revision));
            }
        }
    }

    fn put_task(
        &mut self,
        task_id: &str,
        new: Option<TaskSummary>,
        revision: Revision,
        origin: Origin,
    ) {
        // Taken out whole, so neither its summary nor its key is copied.
        let (key, old) = match self.tasks.remove_entry(task_id) {
            Some((key, (summary, known))) if known >= revision => {
                self.tasks.insert(key, (summary, known));
                return;
            }
            Some((key, (summary, _))) => (key, Some(summary)),
            None => (task_id.to_owned(), None),
        };
        if old.as_ref().map(TaskSummary::placement) != new.as_ref().map(TaskSummary::placement) {
            let in_flight = self.in_flight.tasks.contains(task_id);
            for (summary, delta) in [(&old, -1), (&new, 1)] {
                if let Some(summary) = summary {
                    self.count(summary, delta);
                    if origin == Origin::Store {
                        if in_flight {
                            let seen = (summary.instance_id.clone(), revision);
                            self.in_flight.seen.push(seen);
                        } else {
                            self.dirty.insert(summary.instance_id.clone());
                        }
                    }
                }
            }
        }
        if let Some(old) = &old {
            self.phases.add(old.phase, -1);
        }
        if let Some(summary) = new {
            self.phases.add(summary.phase, 1);
            self.tasks.insert(key, (summary, revision));
        }
    }

    fn remove_task(&mut self, task_id: &str) {
        if let Some((summary, _)) = self.tasks.remove(task_id) {
            self.count(&summary, -1);
            self.phases.add(summary.phase, -1);
            self.dirty.insert(summary.instance_id);
        }
    }

    fn count(&mut self, summary: &TaskSummary, delta: i64) {
        let entry = self.counts.entry(summary.instance_id.clone()).or_default();
        let group = entry.0.entry(summary.group.clone()).or_default();
        *group = (i64::from(*group) + delta).max(0) as u32;
        if *group == 0 {
            entry.0.remove(&summary.group);
        }
        if summary.desired_running {
            entry.1 = (i64::from(entry.1) + delta).max(0) as u32;
        }
    }

    /// Whether the view holds task `id` as of `revision` or later.
    fn knows_task_at(&self, id: &str, revision: Revision) -> bool {
        self.tasks
            .get(id)
            .is_some_and(|(_, known)| *known >= revision)
    }

    /// Whether the view holds instance `id` as of `revision` or later.
    fn knows_instance_at(&self, id: &str, revision: Revision) -> bool {
        self.instances
            .get(id)
            .is_some_and(|(_, known)| *known >= revision)
    }

    /// The scheduler's snapshot of one instance.
    pub fn snapshot_of(&self, instance_id: &str) -> Option<InstanceSnapshot> {
        let (instance, _) = self.instances.get(instance_id)?;
        instance_snapshot(instance, self.counts.get(instance_id))
    }

    /// The scheduler's snapshot of the whole cluster.
    pub fn cluster_snapshot(&self) -> ClusterSnapshot {
        let instances: Vec<ContainerInstance> =
            self.instances.values().map(|(i, _)| i.clone()).collect();
        cluster_snapshot_with_counts(&instances, &self.counts)
    }
}

/// A cluster's view, the RunTask and StartTask calls waiting to be placed
/// in it, and the lock that serializes placement in it.
pub struct ClusterView {
    data: RwLock<ViewData>,
    /// False once a watch feeding the view was lost: it may miss changes.
    valid: std::sync::atomic::AtomicBool,
    /// Held by the one task placing this cluster's queue, from decision to
    /// commit, so this server never races itself for the same resources. It
    /// guards the scheduler's incremental index of the cluster (`None` until
    /// built, or after it fell out of step).
    pub placement: Arc<tokio::sync::Mutex<Option<ClusterIndex>>>,
    queue: Mutex<VecDeque<QueuedRun>>,
    /// The watches feeding the view; they end when the view is dropped, even
    /// if no change ever comes to wake them.
    followers: Mutex<Vec<tokio::task::AbortHandle>>,
}

impl Drop for ClusterView {
    fn drop(&mut self) {
        for follower in lock(&self.followers).drain(..) {
            follower.abort();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

impl ClusterView {
    /// Adds a call to the placement queue.
    pub(crate) fn enqueue(&self, queued: QueuedRun) {
        self.queue().push_back(queued);
    }

    /// Whether no call waits to be placed.
    pub(crate) fn queue_is_empty(&self) -> bool {
        self.queue().is_empty()
    }

    /// How many calls wait to be placed: the size of the next batches.
    pub fn queued(&self) -> usize {
        self.queue().len()
    }

    /// The next calls to place in one commit: RunTasks in arrival order
    /// while their tasks fit `task_budget` (at least one call), or a lone
    /// StartTask, which bypasses the placement index.
    pub(crate) fn take_batch(&self, task_budget: u32) -> Vec<QueuedRun> {
        let mut queue = self.queue();
        let mut batch = Vec::new();
        let mut tasks = 0u32;
        while let Some(next) = queue.front() {
            let targeted = next.request.target_instances.is_some();
            let fits = tasks.saturating_add(next.request.count) <= task_budget;
            if !batch.is_empty() && (targeted || !fits) {
                break;
            }
            tasks = tasks.saturating_add(next.request.count);
            batch.extend(queue.pop_front());
            if targeted {
                break;
            }
        }
        batch
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, VecDeque<QueuedRun>> {
        lock(&self.queue)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, ViewData> {
        // Plain data behind the lock stays valid after a panic elsewhere.
        self.data
            .write()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Brings `index` up to date with the view: built from scratch when
    /// absent or when an instance vanished, else only the instances others
    /// changed are replaced.
    pub fn sync_index<'a>(&self, index: &'a mut Option<ClusterIndex>) -> &'a mut ClusterIndex {
        let mut data = self.write();
        let dirty = std::mem::take(&mut data.dirty);
        if let Some(current) = index.as_mut() {
            let mut complete = true;
            for instance_id in &dirty {
                match data.snapshot_of(instance_id) {
                    Some(snapshot) => current.replace_instance(snapshot),
                    // Deregistered or deleted: the index cannot drop an
                    // instance, so it is rebuilt.
                    None => complete = !current_has(current, instance_id) && complete,
                }
            }
            if !complete {
                *index = None;
            }
        }
        index.get_or_insert_with(|| ClusterIndex::new(data.cluster_snapshot()))
    }

    /// One instance and the revision the view holds for it.
    pub fn instance(&self, instance_id: &str) -> Option<(ContainerInstance, Revision)> {
        self.read(|data| data.instances.get(instance_id).cloned())
    }

    /// Reads the view.
    pub fn read<R>(&self, read: impl FnOnce(&ViewData) -> R) -> R {
        read(
            &self
                .data
                .read()
                .unwrap_or_else(|poison| poison.into_inner()),
        )
    }

    /// Records writes this server just committed, before the watch
    /// delivers them, so the next placement sees them.
    pub fn record_commit<'a>(
        &self,
        instances: impl IntoIterator<Item = &'a ContainerInstance>,
        tasks: impl IntoIterator<Item = &'a Task>,
        revision: Revision,
    ) {
        let mut data = self.write();
        for instance in instances {
            data.put_instance(instance.clone(), revision, Origin::OwnCommit);
        }
        for task in tasks {
            data.put_task(&task.id, TaskSummary::of(task), revision, Origin::OwnCommit);
        }
        let in_flight = std::mem::take(&mut data.in_flight);
        for (instance_id, seen_at) in in_flight.seen {
            if seen_at != revision {
                data.dirty.insert(instance_id);
            }
        }
    }

    /// Records a task this server just committed outside placement (an
    /// agent's report), as the watch will deliver it, so following the
    /// watch need not decode the record again. A change placement depends
    /// on still makes the index catch up, as from any other writer.
    ///
    /// A task no longer active is left to the watch: the view drops it, so
    /// no revision would be left to skip its event by, and a watch running
    /// behind could bring it back until that event came.
    pub fn record_task(&self, task: &Task, revision: Revision) {
        if let Some(summary) = TaskSummary::of(task) {
            self.write()
                .put_task(&task.id, Some(summary), revision, Origin::Store);
        }
    }

    /// Notes the records a placement commit is about to write (see
    /// [`ClusterView::record_commit`], or [`ClusterView::abandon_commit`]
    /// when it does not happen).
    pub fn begin_commit<'a>(
        &self,
        instance_ids: impl IntoIterator<Item = &'a String>,
        task_ids: impl IntoIterator<Item = &'a String>,
    ) {
        let mut data = self.write();
        data.in_flight = InFlight {
            instances: instance_ids.into_iter().cloned().collect(),
            tasks: task_ids.into_iter().cloned().collect(),
            seen: Vec::new(),
        };
    }

    /// The commit begun did not happen: whatever the watch delivered for its
    /// records was someone else's change.
    pub fn abandon_commit(&self) {
        let mut data = self.write();
        let in_flight = std::mem::take(&mut data.in_flight);
        for (instance_id, _) in in_flight.seen {
            data.dirty.insert(instance_id);
        }
    }

    /// Replaces one instance with a record just read from the store.
    pub fn refresh_instance(&self, instance: ContainerInstance, revision: Revision) {
        self.write().put_instance(instance, revision, Origin::Store);
    }

    fn apply(&self, events: &[Event], instance_prefix: usize, task_prefix: usize) {
        let mut data = self.write();
        for event in events {
            let key = String::from_utf8_lossy(&event.kv.key);
            let revision = event.kv.mod_revision;
            if key.starts_with(INSTANCES_PREFIX) {
                let id = key[instance_prefix..].to_owned();
                match event.kind {
                    EventKind::Put if data.knows_instance_at(&id, revision) => {}
                    EventKind::Put => {
                        match serde_json::from_slice::<ContainerInstance>(&event.kv.value) {
                            Ok(instance) => data.put_instance(instance, revision, Origin::Store),
                            Err(error) => {
                                tracing::error!(%key, %error, "unreadable instance record")
                            }
                        }
                    }
                    EventKind::Delete => {
                        data.instances.remove(&id);
                        data.dirty.insert(id);
                    }
                }
            } else {
                let id = key[task_prefix..].to_owned();
                match event.kind {
                    // This server's own commits are in the view already;
                    // decoding them again would be the view's main cost.
                    EventKind::Put if data.knows_task_at(&id, revision) => {}
                    EventKind::Put => match TaskSummary::decode(&event.kv.value) {
                        Ok(summary) => data.put_task(&id, summary, revision, Origin::Store),
                        Err(error) => tracing::error!(%key, %error, "unreadable task record"),
                    },
                    EventKind::Delete => data.remove_task(&id),
                }
            }
        }
    }
}

const INSTANCES_PREFIX: &str = "ecs/instances/";

/// Records read at a time while a view loads: what a page holds in memory,
/// and the longest stretch a load runs without yielding. The embedded store
/// reads ranges this small on the calling thread, larger ones on its
/// blocking pool.
pub const LOAD_PAGE: usize = 1_000;

fn current_has(index: &ClusterIndex, instance_id: &str) -> bool {
    index
        .position_of(&ContainerInstanceId(instance_id.to_owned()))
        .is_some()
}

/// The views of every cluster this server has placed tasks in.
pub struct Views {
    kv: Arc<dyn Kv>,
    /// Where a view's cluster is looked up before it loads.
    cluster_records: ClusterRepo,
    clusters: Mutex<HashMap<String, Arc<ClusterView>>>,
    /// Per cluster, held while its view loads: the calls that need it at
    /// once (as the first ones after a start do) wait for one load, which
    /// for a big cluster takes seconds, instead of each making its own. A
    /// gate is the cluster's only while it is the one in this map: `forget`
    /// removes it, which tells a load still running to keep nothing, and the
    /// calls queued on it to start again. Lock order: `clusters`, then
    /// `loading` (see `load`).
    loading: Mutex<HashMap<String, Gate>>,
}

/// A cluster's loading gate.
type Gate = Arc<tokio::sync::Mutex<()>>;

/// Most times a call for a view starts again because its cluster's gate
/// was replaced (a DeleteCluster on this server) while it waited.
const MAX_GATE_ATTEMPTS: usize = 16;

/// Whether the cluster's `current` gate is `gate`.
fn is_gate(current: Option<&Gate>, gate: &Gate) -> bool {
    current.is_some_and(|current| Arc::ptr_eq(current, gate))
}

/// What one load under a gate came to.
enum Loaded {
    Kept(Arc<ClusterView>),
    NoActiveCluster,
    /// The gate was replaced while the view loaded: it was not kept.
    GateReplaced,
}

impl Views {
    /// No views yet; each is loaded on first use.
    pub fn new(kv: Arc<dyn Kv>, cluster_records: ClusterRepo) -> Self {
        Views {
            kv,
            cluster_records,
            clusters: Mutex::new(HashMap::new()),
            loading: Mutex::new(HashMap::new()),
        }
    }

    /// The view of `cluster` if one is loaded and valid; never loads one.
    pub fn loaded(&self, cluster: &str) -> Option<Arc<ClusterView>> {
        self.lock()
            .get(cluster)
            .filter(|view| view.valid.load(std::sync::atomic::Ordering::Acquire))
            .cloned()
    }

    /// The view of `cluster`, loading it and starting its watches on first
    /// use; calls that need it while it loads wait for that load. `None`
    /// when no ACTIVE cluster has that name, so none is made for a name that
    /// is not one, or for a deleted cluster. (A DeleteCluster on this server
    /// drops the cluster's view; another server's view of it stays until
    /// that server restarts.)
    pub async fn get(
        self: &Arc<Self>,
        cluster: &str,
    ) -> Result<Option<Arc<ClusterView>>, StateError> {
        for _ in 0..MAX_GATE_ATTEMPTS {
            if let Some(view) = self.loaded(cluster) {
                return Ok(Some(view));
            }
            let gate = lock(&self.loading)
                .entry(cluster.to_owned())
                .or_default()
                .clone();
            let held = gate.clone().lock_owned().await;
            if !self.gate_is_current(cluster, &gate) {
                continue;
            }
            // Loaded by the call this one waited for.
            if let Some(view) = self.loaded(cluster) {
                return Ok(Some(view));
            }
            // The load runs in a task of its own, holding the gate: a caller
            // that goes away mid-load (a client that timed out) leaves it to
            // finish for the callers waiting behind it, instead of each of
            // them starting over, which a big cluster's seconds-long load and
            // clients retrying on a shorter timeout could keep doing for ever.
            // A load that fails is tried again by each waiter in turn, as a
            // store that failed once may answer the next.
            let views = self.clone();
            let name = cluster.to_owned();
            let load = tokio::spawn(async move {
                let _held = held;
                views.load_under(&name, &gate).await
            });
            let loaded = match load.await {
                Ok(loaded) => loaded?,
                Err(ended) if ended.is_panic() => std::panic::resume_unwind(ended.into_panic()),
                // Only a runtime shutting down cancels the load.
                Err(_) => return Err(StateError::Store(berth_store::StoreError::Closed)),
            };
            match loaded {
                Loaded::Kept(view) => return Ok(Some(view)),
                Loaded::NoActiveCluster => return Ok(None),
                Loaded::GateReplaced => continue,
            }
        }
        Err(StateError::Contention {
            key: format!("the view of cluster {cluster}"),
        })
    }

    /// Whether `gate` is still the cluster's.
    fn gate_is_current(&self, cluster: &str, gate: &Gate) -> bool {
        is_gate(lock(&self.loading).get(cluster), gate)
    }

    /// Loads the view of `cluster` if it is ACTIVE; the caller holds
    /// `gate`. A name with no ACTIVE cluster leaves no gate behind.
    async fn load_under(&self, cluster: &str, gate: &Gate) -> Result<Loaded, StateError> {
        if self.cluster_records.get_active(cluster).await?.is_none() {
            let mut loading = lock(&self.loading);
            if is_gate(loading.get(cluster), gate) {
                loading.remove(cluster);
            }
            return Ok(Loaded::NoActiveCluster);
        }
        self.load(cluster, gate).await
    }

    /// The view of `cluster`: the one loaded, if valid, or a new one. The
    /// caller holds the cluster's loading `gate`.
    async fn load(&self, cluster: &str, gate: &Gate) -> Result<Loaded, StateError> {
        {
            let mut clusters = self.lock();
            match clusters.get(cluster) {
                Some(view) if view.valid.load(std::sync::atomic::Ordering::Acquire) => {
                    return Ok(Loaded::Kept(view.clone()));
                }
                Some(_) => {
                    clusters.remove(cluster);
                }
                None => {}
            }
        }
        let revision = self.kv.revision().await?;
        let mut data = ViewData::default();
        let instance_prefix = INSTANCES.key(&format!("{cluster}/"));
        let task_prefix = TASKS.key(&format!("{cluster}/"));
        // Page by page, so a big cluster's records are never all in memory
        // at once. Each page is read at a revision of its own, `revision` or
        // later, and the watches from `revision + 1` bring every change
        // since: a record created behind the cursor comes with them, and a
        // put the view holds a newer record of is skipped by its revision.
        // A delete comes after every put of its record (ids are never
        // reused), so it leaves the view without the record, as it should.
        for (prefix, is_instance) in [(&instance_prefix, true), (&task_prefix, false)] {
            let mut range = KeyRange::prefix(prefix.clone());
            loop {
                let page = self.kv.range(&range, LOAD_PAGE).await?;
                for kv in &page.kvs {
                    let key = String::from_utf8_lossy(&kv.key);
                    let decode_error = |source| StateError::Corrupt {
                        key: key.to_string(),
                        source,
                    };
                    if is_instance {
                        let instance: ContainerInstance =
                            serde_json::from_slice(&kv.value).map_err(decode_error)?;
                        data.put_instance(instance, kv.mod_revision, Origin::Store);
                    } else {
                        let summary = TaskSummary::decode(&kv.value).map_err(decode_error)?;
                        data.put_task(
                            &key[prefix.len()..],
                            summary,
                            kv.mod_revision,
                            Origin::Store,
                        );
                    }
                }
                match range.rest_after(&page) {
                    Some(rest) => range = rest,
                    None => break,
                }
                // A big cluster's load takes seconds; other requests run
                // between its pages.
                tokio::task::yield_now().await;
            }
        }
        let view = Arc::new(ClusterView {
            data: RwLock::new(data),
            valid: std::sync::atomic::AtomicBool::new(true),
            placement: Arc::new(tokio::sync::Mutex::new(None)),
            queue: Mutex::new(VecDeque::new()),
            followers: Mutex::new(Vec::new()),
        });
        {
            let mut clusters = self.lock();
            if let Some(existing) = clusters.get(cluster) {
                return Ok(Loaded::Kept(existing.clone()));
            }
            // Checked under `clusters`: `forget` removes the gate before the
            // view, so either this finds the gate replaced and keeps nothing,
            // or `forget` finds the view kept here and drops it.
            if !self.gate_is_current(cluster, gate) {
                return Ok(Loaded::GateReplaced);
            }
            clusters.insert(cluster.to_owned(), view.clone());
        }
        for prefix in [instance_prefix.clone(), task_prefix.clone()] {
            let follower = tokio::spawn(follow(
                self.kv.clone(),
                Arc::downgrade(&view),
                prefix,
                revision + 1,
                instance_prefix.len(),
                task_prefix.len(),
            ));
            lock(&view.followers).push(follower.abort_handle());
        }
        Ok(Loaded::Kept(view))
    }

    /// Drops the view of a cluster deleted through this server (its watches
    /// end with it). The gate goes first, and a load checks its gate under
    /// `clusters` before it keeps its view: so a load still running keeps
    /// nothing, and one that kept its view did so before it is dropped here.
    pub fn forget(&self, cluster: &str) {
        lock(&self.loading).remove(cluster);
        self.lock().remove(cluster);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<ClusterView>>> {
        lock(&self.clusters)
    }
}

/// Applies the changes under `prefix` to the view for as long as it lives.
/// If the watch is lost (compaction, backend error) the view may miss
/// changes, so it is marked invalid and the next use loads a fresh one.
async fn follow(
    kv: Arc<dyn Kv>,
    view: std::sync::Weak<ClusterView>,
    prefix: Vec<u8>,
    from: Revision,
    instance_prefix: usize,
    task_prefix: usize,
) {
    let mut stream = match kv.watch(KeyRange::prefix(prefix.clone()), from).await {
        Ok(stream) => stream,
        Err(error) => {
            tracing::error!(%error, "cannot watch for the placement view; it will reload");
            if let Some(view) = view.upgrade() {
                view.valid
                    .store(false, std::sync::atomic::Ordering::Release);
            }
            return;
        }
    };
    while let Some(batch) = stream.next().await {
        let Some(view) = view.upgrade() else { return };
        match batch {
            Ok(events) => view.apply(&events, instance_prefix, task_prefix),
            Err(StoreError::Closed) => return,
            Err(error) => {
                tracing::warn!(%error, "placement view watch ended; the view will reload");
                view.valid
                    .store(false, std::sync::atomic::Ordering::Release);
                return;
            }
        }
    }
}
