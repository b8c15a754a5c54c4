//! An in-memory view of each cluster's instances and active tasks, loaded
//! once and kept fresh by store watches, so placement does not read every
//! instance and every task of a cluster from the store on each RunTask.
//!
//! The view is a cache, never the authority: placement commits compare the
//! mod revisions the view recorded, so a stale view only costs a retry on
//! records read from the store.

mod shards;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::ops::Bound;
use std::sync::{Arc, Mutex, RwLock};

use berth_model::container_instance::ContainerInstance;
use berth_model::task::{DesiredStatus, Task, TaskStatus};
use berth_scheduler::{
    ClusterIndex, ClusterSnapshot, ContainerInstanceId, GroupName, InstanceSnapshot,
};
use berth_state::ClusterRepo;
use berth_state::Page;
use berth_state::StateError;
use berth_state::instances::{
    Decoded, INSTANCES, InstanceKey, InstanceStamp, InstanceUsage, StoredInstance, UsageStamp,
    merge,
};
use berth_state::tasks::TASKS;
use berth_store::{Event, EventKind, KeyRange, Kv, Revision, StoreError};
use futures::StreamExt;

use crate::snapshot::{cluster_snapshot_with_counts, instance_snapshot};
use crate::tasks::QueuedRun;
use shards::ShardedMap;

/// What placement (and the cluster's task counts) need to know of an
/// active task. Its instance's id and its group's name are the view's
/// shared copies (see [`ViewData::counts`]), not copies of their own: a
/// million tasks hold a few thousand names between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSummary {
    pub instance_id: Arc<str>,
    pub group: GroupName,
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
    /// The part placement depends on.
    fn placement(&self) -> (&str, &str, bool) {
        (&self.instance_id, &self.group, self.desired_running)
    }

    /// Whether `facts` leave what placement depends on as it is.
    fn places_as(&self, facts: &TaskFacts<'_>) -> bool {
        self.placement() == facts.placement()
    }
}

/// What the view takes from a task record or its writer, borrowed from it
/// until the view puts it in with its shared names.
#[derive(Debug, Clone, Copy)]
struct TaskFacts<'a> {
    instance_id: &'a str,
    group: &'a str,
    desired_running: bool,
    phase: Phase,
}

impl<'a> TaskFacts<'a> {
    /// The facts of an active task; `None` once it is STOPPED.
    fn of(task: &'a Task) -> Option<TaskFacts<'a>> {
        Self::from_parts(
            &task.container_instance_id,
            &task.group,
            task.desired_status,
            task.last_status,
        )
    }

    fn from_parts(
        instance_id: &'a str,
        group: &'a str,
        desired_status: DesiredStatus,
        last_status: TaskStatus,
    ) -> Option<TaskFacts<'a>> {
        Phase::of(last_status).map(|phase| TaskFacts {
            instance_id,
            group,
            desired_running: desired_status == DesiredStatus::Running,
            phase,
        })
    }

    fn placement(&self) -> (&str, &str, bool) {
        (self.instance_id, self.group, self.desired_running)
    }
}

/// The members of a stored task record the view needs: the rest is
/// skipped unparsed, which is most of the cost of loading a big cluster's
/// view and of following its reports.
#[derive(serde::Deserialize)]
struct StoredTask<'a> {
    #[serde(borrow)]
    container_instance_id: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    group: std::borrow::Cow<'a, str>,
    desired_status: DesiredStatus,
    last_status: TaskStatus,
}

impl StoredTask<'_> {
    fn decode(record: &[u8]) -> Result<StoredTask<'_>, serde_json::Error> {
        serde_json::from_slice(record)
    }

    fn facts(&self) -> Option<TaskFacts<'_>> {
        TaskFacts::from_parts(
            &self.container_instance_id,
            &self.group,
            self.desired_status,
            self.last_status,
        )
    }
}

/// The instance a task is pending on, if it is not yet RUNNING.
fn pending_on(summary: Option<&TaskSummary>) -> Option<&str> {
    summary
        .filter(|summary| summary.phase == Phase::Pending)
        .map(|summary| &*summary.instance_id)
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

/// What runs on one instance: its active tasks by group, how many of them
/// are meant to run (desired RUNNING), and how many are not yet RUNNING.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskCounts {
    /// Active tasks by task group.
    pub groups: BTreeMap<GroupName, u32>,
    /// Active tasks whose desired status is RUNNING (`runningTasksCount`).
    pub meant_to_run: u32,
    /// Active tasks not yet RUNNING (`pendingTasksCount`).
    pub pending: u32,
}

impl TaskCounts {
    /// Nothing is counted: the view drops such an entry, so the instances
    /// that come and go leave nothing behind.
    fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.meant_to_run == 0 && self.pending == 0
    }
}

/// One instance as the view holds it: its record with its usage applied,
/// and the revisions a write of it compares on.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewInstance {
    pub instance: ContainerInstance,
    pub stamp: InstanceStamp,
    /// The record's own version, which a usage record's changes add to.
    record_version: u64,
}

impl ViewInstance {
    fn of(stored: StoredInstance) -> ViewInstance {
        let changes = stored.stamp.usage.map_or(0, |usage| usage.changes);
        ViewInstance {
            record_version: stored.value.version.saturating_sub(changes),
            instance: stored.value,
            stamp: stored.stamp,
        }
    }

    /// The latest revision at which either record changed: every change
    /// of the pair moves one of them to its commit's revision.
    fn known(&self) -> Revision {
        known(&self.stamp)
    }

    /// Whether a usage record written at `revision` is no news: the view
    /// holds that one or a later one, or a later record (a whole write,
    /// which wrote a usage record of its own).
    fn knows_usage_at(&self, revision: Revision) -> bool {
        self.stamp.record > revision
            || self
                .stamp
                .usage
                .is_some_and(|usage| usage.revision >= revision)
    }

    fn apply_usage(&mut self, usage: &InstanceUsage, revision: Revision) {
        self.instance.version = self.record_version;
        merge(&mut self.instance, usage);
        self.stamp.usage = Some(UsageStamp {
            revision,
            changes: usage.changes,
        });
    }

    /// This record with the usage `other` holds. Asked only when `other`
    /// holds the pair as of a later change than this record: then it has a
    /// usage, as a pair without one is known only as of its record.
    fn with_usage_of(mut self, other: &ViewInstance) -> ViewInstance {
        match other.stamp.usage {
            Some(usage) => {
                self.instance
                    .remaining
                    .clone_from(&other.instance.remaining);
                self.instance.version = self.record_version + usage.changes;
                self.stamp.usage = Some(usage);
            }
            None => self.remove_usage(),
        }
        self
    }

    /// Usage records go only with their instance, whose record carries
    /// what was left: what is left stays.
    fn remove_usage(&mut self) {
        self.instance.version = self.record_version;
        self.stamp.usage = None;
    }
}

fn known(stamp: &InstanceStamp) -> Revision {
    stamp
        .usage
        .map_or(stamp.record, |usage| usage.revision.max(stamp.record))
}

/// One cluster's instances (with the revisions of their records) and
/// active tasks, plus what changed since the placement index last looked.
#[derive(Debug, Default)]
pub struct ViewData {
    pub instances: BTreeMap<String, ViewInstance>,
    pub tasks: ShardedMap<(TaskSummary, Revision)>,
    /// What runs on each instance with a task. Its keys are the view's one
    /// copy of each such instance's id, which the instance's task summaries
    /// share (an instance keeps its entry while any task is counted on it).
    pub counts: HashMap<Arc<str>, TaskCounts>,
    /// The view's one copy of each group's name, which the counts and task
    /// summaries share, with how many instances count the group: a name no
    /// instance counts any more is dropped.
    group_names: HashMap<GroupName, u32>,
    /// Active tasks by phase, for DescribeClusters.
    pub phases: PhaseCounts,
    /// Instances registered (ACTIVE or DRAINING), for DescribeClusters: the
    /// view keeps deregistered ones too, which a count would pass over.
    registered: u64,
    /// Instances changed by others since the index saw them.
    pub dirty: BTreeSet<String>,
    /// The placement commit in flight: its instances and tasks are in the
    /// index already, and the placer records them itself once committed.
    in_flight: InFlight,
    /// Tasks this server is writing outside placement (an agent's report, a
    /// StopTask), while their commits await their answers.
    task_writes: HashMap<String, TaskWrites>,
}

/// What a placement commit in flight writes, and the watch events for those
/// records that came before the commit's answer, held back undecoded.
#[derive(Debug, Default)]
struct InFlight {
    /// The instances whose usage records it writes.
    instances: HashSet<String>,
    tasks: HashSet<String>,
    early: Vec<Early>,
    /// Those of its records removed meanwhile: they stay out of the view.
    removed: HashSet<(RecordKind, String)>,
}

impl InFlight {
    /// Whether the placement in flight writes the record.
    fn writes(&self, kind: RecordKind, id: &str) -> bool {
        match kind {
            RecordKind::Usage => self.instances.contains(id),
            RecordKind::Instance => false,
            RecordKind::Task => self.tasks.contains(id),
        }
    }

    /// Whether the record was removed while the commit was in flight;
    /// asked of every record a placement writes, and nearly always empty.
    fn removed(&self, kind: RecordKind, id: &str) -> bool {
        !self.removed.is_empty() && self.removed.contains(&(kind, id.to_owned()))
    }
}

/// How many commits of writes of a task are in flight, and the watch events
/// of the task that came before their answers, held back undecoded.
#[derive(Debug, Default)]
struct TaskWrites {
    writers: u32,
    early: Vec<Early>,
    /// The task was removed meanwhile: it stays out of the view.
    removed: bool,
}

/// A watch event held back until the commit it may belong to is answered.
/// A commit that writes gets a revision of its own, so an event at that
/// commit's revision is the commit's own write, which its writer records
/// without decoding it (the watch often delivers it first, and decoding it
/// was most of what the view cost); any other is someone else's change and
/// is applied then.
#[derive(Debug)]
struct Early {
    kind: RecordKind,
    id: String,
    revision: Revision,
    value: bytes::Bytes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum RecordKind {
    /// An instance's record.
    Instance,
    /// An instance's usage record (the id is the instance's).
    Usage,
    Task,
}

/// Who made a change: this server's own placement commit (already in its
/// placement index) or anyone else, this server's registrations included
/// (the index must catch up).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    OwnCommit,
    Store,
}

impl ViewData {
    /// Puts an instance read or written whole, part by part: the record
    /// unless the view holds a later one, the usage unless the view holds
    /// the pair as of a later change. (Reads take both parts from one
    /// range read; a record event comes without its usage, which follows
    /// in the same batch.)
    fn put_instance(&mut self, stored: StoredInstance) {
        let new = ViewInstance::of(stored);
        let put = match self.instances.get(&new.instance.id) {
            None => new,
            Some(held) => {
                let newer_record = new.stamp.record > held.stamp.record;
                let newer_usage = new.known() > held.known();
                match (newer_record, newer_usage) {
                    (false, false) => return,
                    (true, true) => new,
                    (true, false) => new.with_usage_of(held),
                    (false, true) => held.clone().with_usage_of(&new),
                }
            }
        };
        self.dirty.insert(put.instance.id.clone());
        self.count_registered(&put.instance, 1);
        if let Some(was) = self.instances.insert(put.instance.id.clone(), put) {
            self.count_registered(&was.instance, -1);
        }
    }

    /// Applies a usage record written at `revision`, unless the view holds
    /// it or later news. A usage whose record the view does not hold is
    /// left out: the record comes first in every read and watch, so only a
    /// usage of a removed instance gets here.
    fn put_usage(
        &mut self,
        instance_id: &str,
        usage: &InstanceUsage,
        revision: Revision,
        origin: Origin,
    ) {
        let Some(held) = self.instances.get_mut(instance_id) else {
            return;
        };
        if held.knows_usage_at(revision) {
            return;
        }
        held.apply_usage(usage, revision);
        if origin == Origin::Store {
            self.dirty.insert(instance_id.to_owned());
        }
    }

    /// A usage record removed at `revision`: only with its instance.
    fn remove_usage(&mut self, instance_id: &str, revision: Revision) {
        if let Some(held) = self.instances.get_mut(instance_id)
            && !held.knows_usage_at(revision)
        {
            held.remove_usage();
            self.dirty.insert(instance_id.to_owned());
        }
    }

    fn remove_instance(&mut self, instance_id: &str) {
        if let Some(was) = self.instances.remove(instance_id) {
            self.count_registered(&was.instance, -1);
        }
        self.dirty.insert(instance_id.to_owned());
    }

    fn count_registered(&mut self, instance: &ContainerInstance, delta: i64) {
        if instance.is_registered() {
            self.registered = (self.registered as i64 + delta).max(0) as u64;
        }
    }

    fn put_task(
        &mut self,
        task_id: &str,
        new: Option<TaskFacts<'_>>,
        revision: Revision,
        origin: Origin,
    ) {
        let old = match self.tasks.get_mut(task_id) {
            None => None,
            Some((_, known)) if *known >= revision => return,
            Some((held, known)) => {
                if let Some(facts) = new.filter(|facts| held.places_as(facts)) {
                    // Only its phase moved (a report on its way to RUNNING):
                    // changed in place, with no count placement reads.
                    let was = std::mem::replace(&mut held.phase, facts.phase);
                    *known = revision;
                    self.phases.add(was, -1);
                    self.phases.add(facts.phase, 1);
                    match (was == Phase::Pending, facts.phase == Phase::Pending) {
                        (true, false) => self.count_pending(facts.instance_id, -1),
                        (false, true) => self.count_pending(facts.instance_id, 1),
                        _ => {}
                    }
                    return;
                }
                self.tasks.remove(task_id).map(|(summary, _)| summary)
            }
        };
        if let Some(old) = old {
            self.count_out(&old);
            self.phases.add(old.phase, -1);
            if let Some(instance_id) = pending_on(Some(&old)) {
                self.count_pending(instance_id, -1);
            }
            if origin == Origin::Store {
                self.dirty.insert(old.instance_id.to_string());
            }
        }
        if let Some(facts) = new {
            let summary = self.count_in(&facts);
            self.phases.add(summary.phase, 1);
            if let Some(instance_id) = pending_on(Some(&summary)) {
                self.count_pending(instance_id, 1);
            }
            if origin == Origin::Store {
                self.dirty.insert(facts.instance_id.to_owned());
            }
            self.tasks.insert(task_id, (summary, revision));
        }
    }

    fn remove_task(&mut self, task_id: &str) {
        if let Some((summary, _)) = self.tasks.remove(task_id) {
            self.count_out(&summary);
            self.phases.add(summary.phase, -1);
            if let Some(instance_id) = pending_on(Some(&summary)) {
                self.count_pending(instance_id, -1);
            }
            self.dirty.insert(summary.instance_id.to_string());
        }
    }

    /// Counts a task not yet RUNNING on its instance. Unlike what
    /// [`ViewData::count_in`] counts, this changes with the reports up to
    /// RUNNING, so it is kept apart from what placement reads.
    fn count_pending(&mut self, instance_id: &str, delta: i64) {
        let entry = match self.counts.get_mut(instance_id) {
            Some(entry) => entry,
            None => self.counts.entry(instance_id.into()).or_default(),
        };
        entry.pending = (i64::from(entry.pending) + delta).max(0) as u32;
        if entry.is_empty() {
            self.counts.remove(instance_id);
        }
    }

    /// Counts an active task on its instance, in its group (and as meant to
    /// run if it is), and gives its summary, holding the view's shared
    /// names of both.
    fn count_in(&mut self, facts: &TaskFacts<'_>) -> TaskSummary {
        let instance_id = match self.counts.get_key_value(facts.instance_id) {
            Some((id, _)) => id.clone(),
            None => Arc::from(facts.instance_id),
        };
        let group = match self.group_names.get_key_value(facts.group) {
            Some((name, _)) => name.clone(),
            None => GroupName::from(facts.group),
        };
        let entry = self.counts.entry(instance_id.clone()).or_default();
        match entry.groups.get_mut(facts.group) {
            Some(count) => *count = count.saturating_add(1),
            None => {
                entry.groups.insert(group.clone(), 1);
                *self.group_names.entry(group.clone()).or_default() += 1;
            }
        }
        if facts.desired_running {
            entry.meant_to_run = entry.meant_to_run.saturating_add(1);
        }
        TaskSummary {
            instance_id,
            group,
            desired_running: facts.desired_running,
            phase: facts.phase,
        }
    }

    /// Takes back what [`ViewData::count_in`] counted for `summary`.
    fn count_out(&mut self, summary: &TaskSummary) {
        let Some(entry) = self.counts.get_mut(&*summary.instance_id) else {
            return;
        };
        if let Some(count) = entry.groups.get_mut(&*summary.group) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                entry.groups.remove(&*summary.group);
                if let Some(instances) = self.group_names.get_mut(&*summary.group) {
                    *instances = instances.saturating_sub(1);
                    if *instances == 0 {
                        self.group_names.remove(&*summary.group);
                    }
                }
            }
        }
        if summary.desired_running {
            entry.meant_to_run = entry.meant_to_run.saturating_sub(1);
        }
        if entry.is_empty() {
            self.counts.remove(&*summary.instance_id);
        }
    }

    /// Whether the view holds `id` as of `revision` or later.
    fn knows_at(&self, kind: RecordKind, id: &str, revision: Revision) -> bool {
        match kind {
            RecordKind::Instance => self
                .instances
                .get(id)
                .is_some_and(|held| held.stamp.record >= revision),
            RecordKind::Usage => self
                .instances
                .get(id)
                .is_some_and(|held| held.knows_usage_at(revision)),
            RecordKind::Task => self.knows_task_at(id, revision),
        }
    }

    /// Whether a commit of this server's that writes the record is awaiting
    /// its answer, so the record's events wait for it (see [`Early`]).
    fn holds_back(&self, kind: RecordKind, id: &str) -> bool {
        self.in_flight.writes(kind, id)
            || (kind == RecordKind::Task && self.task_writes.contains_key(id))
    }

    /// Holds `early` back with the commit that settles it: the placement's
    /// when the record is one it writes, else the task's writes'.
    fn hold(&mut self, early: Early) {
        let writes = match early.kind {
            RecordKind::Task if !self.in_flight.writes(early.kind, &early.id) => {
                self.task_writes.get_mut(&early.id)
            }
            _ => None,
        };
        match writes {
            Some(writes) => writes.early.push(early),
            None => self.in_flight.early.push(early),
        }
    }

    /// Forgets what was held back of a record just removed, and keeps the
    /// commits in flight from putting it back: ids are never reused, and a
    /// commit compares what it writes, so its write came before the removal.
    fn removed_while_held(&mut self, kind: RecordKind, id: &str) {
        if !self.holds_back(kind, id) {
            return;
        }
        let of_record = |early: &Early| early.kind == kind && early.id == id;
        self.in_flight.early.retain(|early| !of_record(early));
        if self.in_flight.writes(kind, id) {
            self.in_flight.removed.insert((kind, id.to_owned()));
        }
        if kind == RecordKind::Task
            && let Some(writes) = self.task_writes.get_mut(id)
        {
            writes.early.retain(|early| !of_record(early));
            writes.removed = true;
        }
    }

    /// Ends a placement commit that was not made: whatever the watch held
    /// back for its records was someone else's change.
    fn abandon_placement(&mut self) {
        let in_flight = std::mem::take(&mut self.in_flight);
        self.release(in_flight.early, None);
    }

    /// Applies held-back events once their commit is answered, but for those
    /// at `own`, the commit's revision: the commit's writer recorded them.
    fn release(&mut self, held: Vec<Early>, own: Option<Revision>) {
        for early in held {
            if Some(early.revision) != own {
                self.put_stored(early.kind, &early.id, early.revision, &early.value);
            }
        }
    }

    /// One of the commits of writes of `task_id` was answered, at `own` if
    /// it was made; the task's held-back events are applied once none is
    /// left (another one's own write would be decoded for nothing).
    fn settle_task_write(&mut self, task_id: &str, own: Option<Revision>) {
        let Some(writes) = self.task_writes.get_mut(task_id) else {
            return;
        };
        debug_assert!(writes.writers > 0, "an entry lives while it has writers");
        writes.writers -= 1;
        if let Some(own) = own {
            writes.early.retain(|early| early.revision != own);
        }
        if writes.writers == 0
            && let Some(writes) = self.task_writes.remove(task_id)
        {
            self.release(writes.early, None);
        }
    }

    /// Decodes a record the watch delivered and puts it in the view.
    fn put_stored(&mut self, kind: RecordKind, id: &str, revision: Revision, value: &[u8]) {
        match kind {
            RecordKind::Instance => match serde_json::from_slice::<ContainerInstance>(value) {
                // A record is written whole: the usage record goes with it.
                Ok(instance) => self.put_instance(StoredInstance {
                    value: instance,
                    stamp: InstanceStamp {
                        record: revision,
                        usage: None,
                    },
                }),
                Err(error) => tracing::error!(instance = id, %error, "unreadable instance record"),
            },
            RecordKind::Usage => match serde_json::from_slice::<InstanceUsage>(value) {
                Ok(usage) => self.put_usage(id, &usage, revision, Origin::Store),
                Err(error) => tracing::error!(instance = id, %error, "unreadable usage record"),
            },
            RecordKind::Task => match StoredTask::decode(value) {
                Ok(stored) => self.put_task(id, stored.facts(), revision, Origin::Store),
                Err(error) => tracing::error!(task = id, %error, "unreadable task record"),
            },
        }
    }

    /// Whether the view holds task `id` as of `revision` or later.
    fn knows_task_at(&self, id: &str, revision: Revision) -> bool {
        self.tasks
            .get(id)
            .is_some_and(|(_, known)| *known >= revision)
    }

    /// How many instances are registered (ACTIVE or DRAINING), as
    /// DescribeClusters counts them.
    pub fn registered_instances(&self) -> u64 {
        self.registered
    }

    /// The scheduler's snapshot of one instance.
    pub fn snapshot_of(&self, instance_id: &str) -> Option<InstanceSnapshot> {
        let held = self.instances.get(instance_id)?;
        instance_snapshot(&held.instance, self.counts.get(instance_id))
    }

    /// The scheduler's snapshot of the whole cluster.
    pub fn cluster_snapshot(&self) -> ClusterSnapshot {
        let instances: Vec<ContainerInstance> = self
            .instances
            .values()
            .map(|held| held.instance.clone())
            .collect();
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
    fn new(data: ViewData) -> ClusterView {
        ClusterView {
            data: RwLock::new(data),
            valid: std::sync::atomic::AtomicBool::new(true),
            placement: Arc::new(tokio::sync::Mutex::new(None)),
            queue: Mutex::new(VecDeque::new()),
            followers: Mutex::new(Vec::new()),
        }
    }

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

    /// Up to `limit` (1 or more) of the view's instances after `after`, in
    /// id order, that `keep` accepts given each one's task counts: their ids
    /// and the revisions the view holds, paged as the store pages them.
    /// The view is read [`LIST_CHUNK`] instances at a time, so a listing
    /// that passes over a big cluster never holds its writers back for long.
    pub fn list_instances(
        &self,
        after: Option<&str>,
        limit: usize,
        mut keep: impl FnMut(&ContainerInstance, Option<&TaskCounts>) -> bool,
    ) -> Page<Revision> {
        let limit = limit.max(1);
        let mut items = Vec::new();
        let mut cursor = after.map(str::to_owned);
        loop {
            let read_up_to = self.read(|data| {
                let from = match &cursor {
                    Some(id) => Bound::Excluded(id.as_str()),
                    None => Bound::Unbounded,
                };
                let mut read = 0;
                let mut last = None;
                for (id, held) in data
                    .instances
                    .range::<str, _>((from, Bound::Unbounded))
                    .take(LIST_CHUNK)
                {
                    if keep(&held.instance, data.counts.get(id.as_str())) {
                        items.push((id.clone(), held.known()));
                        if items.len() == limit {
                            return None;
                        }
                    }
                    read += 1;
                    last = Some(id);
                }
                // A chunk that ran short reached the end.
                last.filter(|_| read == LIST_CHUNK).cloned()
            });
            match read_up_to {
                Some(id) => cursor = Some(id),
                None => break,
            }
        }
        // A full page may be followed by nothing: a final empty page is
        // allowed, as with the store's pages.
        let next_after = (items.len() == limit).then(|| items[limit - 1].0.clone());
        Page { items, next_after }
    }

    /// One instance and the revisions the view holds it at.
    pub fn instance(&self, instance_id: &str) -> Option<(ContainerInstance, InstanceStamp)> {
        self.read(|data| {
            data.instances
                .get(instance_id)
                .map(|held| (held.instance.clone(), held.stamp))
        })
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

    /// Notes a commit of a write of `task_id` outside placement (an agent's
    /// report, a StopTask) about to be made, so the watch holds the task's
    /// events back until it is answered (see [`TaskWriteInFlight`]). Only for
    /// a write that leaves the task active: the view drops a task once it is
    /// not, so no revision would be left to skip its event by, and such a
    /// write is left to the watch.
    pub fn expect_task_write(self: &Arc<Self>, task_id: &str) -> TaskWriteInFlight {
        self.write()
            .task_writes
            .entry(task_id.to_owned())
            .or_default()
            .writers += 1;
        TaskWriteInFlight {
            view: self.clone(),
            task_id: task_id.to_owned(),
            settled: false,
        }
    }

    /// Notes the records a placement commit is about to write, so the watch
    /// holds their events back until it is answered (see
    /// [`PlacementInFlight`]).
    pub fn begin_commit<'a>(
        &self,
        instance_ids: impl IntoIterator<Item = &'a String>,
        task_ids: impl IntoIterator<Item = &'a String>,
    ) -> PlacementInFlight<'_> {
        let mut data = self.write();
        let in_flight = InFlight {
            instances: instance_ids.into_iter().cloned().collect(),
            tasks: task_ids.into_iter().cloned().collect(),
            ..InFlight::default()
        };
        // Only one placement commits at a time (under the placement lock),
        // and its guard settles it; this is for a guard that was leaked.
        data.abandon_placement();
        data.in_flight = in_flight;
        PlacementInFlight {
            view: self,
            settled: false,
        }
    }

    /// Replaces one instance with a record just read from the store, or
    /// just committed by this server (see `Control::record_instance`),
    /// unless the view holds a newer one; the placement index catches up
    /// with it as with someone else's change.
    pub fn refresh_instance(&self, stored: StoredInstance) {
        self.write().put_instance(stored);
    }

    fn apply(&self, events: &[Event], instance_prefix: usize, task_prefix: usize) {
        let mut data = self.write();
        for event in events {
            let key = String::from_utf8_lossy(&event.kv.key);
            let revision = event.kv.mod_revision;
            let (kind, id) = if key.starts_with(INSTANCES_PREFIX) {
                match InstanceKey::parse(&key[instance_prefix..]) {
                    InstanceKey::Record(id) => (RecordKind::Instance, id),
                    InstanceKey::Usage(id) => (RecordKind::Usage, id),
                }
            } else {
                (RecordKind::Task, &key[task_prefix..])
            };
            match event.kind {
                // This server's own commits are in the view already.
                EventKind::Put if data.knows_at(kind, id, revision) => {}
                EventKind::Put if data.holds_back(kind, id) => data.hold(Early {
                    kind,
                    id: id.to_owned(),
                    revision,
                    value: event.kv.value.clone(),
                }),
                EventKind::Put => data.put_stored(kind, id, revision, &event.kv.value),
                EventKind::Delete => {
                    data.removed_while_held(kind, id);
                    match kind {
                        RecordKind::Instance => {
                            data.remove_instance(id);
                        }
                        RecordKind::Usage => data.remove_usage(id, revision),
                        RecordKind::Task => data.remove_task(id),
                    }
                }
            }
        }
    }
}

/// A commit of a write that leaves its task active, from just
/// before it is sent until it is answered: [`TaskWriteInFlight::committed`]
/// records the task as committed; dropped without that (the commit failed,
/// or its caller went away), the task's held-back events are applied.
pub struct TaskWriteInFlight {
    view: Arc<ClusterView>,
    task_id: String,
    settled: bool,
}

impl TaskWriteInFlight {
    /// Records `task`, just committed at `revision`, as the watch will
    /// deliver it. A change placement depends on still makes the index
    /// catch up, as from any other writer.
    pub fn committed(mut self, task: &Task, revision: Revision) {
        debug_assert_eq!(task.id, self.task_id);
        let mut data = self.view.write();
        if !data
            .task_writes
            .get(&self.task_id)
            .is_some_and(|r| r.removed)
        {
            data.put_task(&self.task_id, TaskFacts::of(task), revision, Origin::Store);
        }
        data.settle_task_write(&self.task_id, Some(revision));
        self.settled = true;
    }
}

impl Drop for TaskWriteInFlight {
    fn drop(&mut self) {
        if !self.settled {
            self.view.write().settle_task_write(&self.task_id, None);
        }
    }
}

/// A placement commit, from just before it is sent until it is answered:
/// [`PlacementInFlight::committed`] records its writes; dropped without that
/// (the commit failed, or the placer went away), whatever the watch held
/// back of its records was someone else's change and is applied.
pub struct PlacementInFlight<'a> {
    view: &'a ClusterView,
    settled: bool,
}

impl PlacementInFlight<'_> {
    /// Records the writes just committed at `revision`, so the next
    /// placement sees them, and applies what the watch brought meanwhile for
    /// the same records from anyone else.
    pub fn committed<'a>(
        mut self,
        usages: impl IntoIterator<Item = (&'a str, &'a InstanceUsage)>,
        tasks: impl IntoIterator<Item = &'a Task>,
        revision: Revision,
    ) {
        let mut data = self.view.write();
        let in_flight = std::mem::take(&mut data.in_flight);
        for (instance_id, usage) in usages {
            if !in_flight.removed(RecordKind::Usage, instance_id) {
                data.put_usage(instance_id, usage, revision, Origin::OwnCommit);
            }
        }
        for task in tasks {
            if !in_flight.removed(RecordKind::Task, &task.id) {
                data.put_task(&task.id, TaskFacts::of(task), revision, Origin::OwnCommit);
            }
        }
        data.release(in_flight.early, Some(revision));
        self.settled = true;
    }
}

impl Drop for PlacementInFlight<'_> {
    fn drop(&mut self) {
        if !self.settled {
            self.view.write().abandon_placement();
        }
    }
}

const INSTANCES_PREFIX: &str = "ecs/instances/";

/// Instances a listing reads at a time under the view's lock.
const LIST_CHUNK: usize = 256;

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

/// The views of the clusters this server has placed tasks in, described or
/// listed the instances of.
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
        let mut instances = Decoded::new(cluster);
        for (prefix, is_instance) in [(&instance_prefix, true), (&task_prefix, false)] {
            let mut range = KeyRange::prefix(prefix.clone());
            loop {
                let page = self.kv.range(&range, LOAD_PAGE).await?;
                let rest = if is_instance {
                    // A record and its usage record come from one page.
                    let (complete, rest) = instances.take_page(&range, &page)?;
                    for stored in complete {
                        data.put_instance(stored);
                    }
                    rest
                } else {
                    for kv in &page.kvs {
                        let key = String::from_utf8_lossy(&kv.key);
                        let stored = StoredTask::decode(&kv.value).map_err(|source| {
                            StateError::Corrupt {
                                key: key.to_string(),
                                source,
                            }
                        })?;
                        data.put_task(
                            &key[prefix.len()..],
                            stored.facts(),
                            kv.mod_revision,
                            Origin::Store,
                        );
                    }
                    range.rest_after(&page)
                };
                match rest {
                    Some(rest) => range = rest,
                    None => break,
                }
                // A big cluster's load takes seconds; other requests run
                // between its pages.
                tokio::task::yield_now().await;
            }
        }
        let view = Arc::new(ClusterView::new(data));
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

#[cfg(test)]
mod tests {
    use berth_model::container_instance::InstanceStatus;
    use berth_model::task::{LaunchType, Reservation, TaskOverride};
    use berth_store::KeyValue;

    use super::*;

    const CLUSTER: &str = "c";
    const TASK: &str = "0123456789abcdef0123456789abcdef";

    fn view() -> Arc<ClusterView> {
        Arc::new(ClusterView::new(ViewData::default()))
    }

    /// A running task of `group` on instance `i1`.
    fn task(group: &str) -> Task {
        Task {
            id: TASK.to_owned(),
            cluster: CLUSTER.to_owned(),
            family: "web".to_owned(),
            revision: 1,
            container_instance_id: "i1".to_owned(),
            launch_type: LaunchType::Ec2,
            group: group.to_owned(),
            started_by: None,
            last_status: TaskStatus::Running,
            desired_status: DesiredStatus::Running,
            health_status: berth_model::task::HealthStatus::Unknown,
            containers: Vec::new(),
            overrides: TaskOverride::default(),
            cpu: None,
            memory: None,
            reserved: Reservation::default(),
            availability_zone: None,
            tags: Vec::new(),
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
            last_report: (1, 1),
        }
    }

    fn task_key() -> Vec<u8> {
        TASKS.key(&format!("{CLUSTER}/{TASK}"))
    }

    /// What the watch delivers for a write of `task` at `revision`.
    fn put(task: &Task, revision: Revision) -> Event {
        Event {
            kind: EventKind::Put,
            kv: Arc::new(KeyValue {
                key: task_key(),
                value: serde_json::to_vec(task).unwrap().into(),
                create_revision: 1,
                mod_revision: revision,
                version: 1,
            }),
        }
    }

    fn delete(revision: Revision) -> Event {
        Event {
            kind: EventKind::Delete,
            kv: Arc::new(KeyValue {
                key: task_key(),
                value: bytes::Bytes::new(),
                create_revision: 0,
                mod_revision: revision,
                version: 0,
            }),
        }
    }

    fn deliver(view: &ClusterView, events: &[Event]) {
        let instance_prefix = INSTANCES.key(&format!("{CLUSTER}/")).len();
        let task_prefix = TASKS.key(&format!("{CLUSTER}/")).len();
        view.apply(events, instance_prefix, task_prefix);
    }

    /// The group and revision the view holds for the task.
    fn held(view: &ClusterView) -> Option<(String, Revision)> {
        view.read(|data| {
            data.tasks
                .get(TASK)
                .map(|(summary, revision)| (summary.group.to_string(), *revision))
        })
    }

    fn nothing_held_back(view: &ClusterView) -> bool {
        view.read(|data| data.task_writes.is_empty() && data.in_flight.early.is_empty())
    }

    // The stored bytes say "stored" and the writer's task "written": a view
    // holding "written" took the writer's record and never decoded the event.

    #[test]
    fn a_report_delivered_before_its_answer_is_not_decoded() {
        let view = view();
        let in_view = view.expect_task_write(TASK);
        deliver(&view, &[put(&task("stored"), 7)]);
        in_view.committed(&task("written"), 7);
        assert_eq!(held(&view), Some(("written".to_owned(), 7)));
        assert!(nothing_held_back(&view));
    }

    #[test]
    fn another_writers_change_held_back_during_a_report_is_applied_after_it() {
        let view = view();
        let in_view = view.expect_task_write(TASK);
        deliver(&view, &[put(&task("written"), 7), put(&task("stored"), 9)]);
        assert_eq!(held(&view), None, "held back until the report is answered");
        in_view.committed(&task("written"), 7);
        assert_eq!(held(&view), Some(("stored".to_owned(), 9)));
        assert!(nothing_held_back(&view));
    }

    #[test]
    fn a_report_that_failed_applies_what_was_held_back() {
        let view = view();
        let in_view = view.expect_task_write(TASK);
        deliver(&view, &[put(&task("stored"), 7)]);
        drop(in_view);
        assert_eq!(held(&view), Some(("stored".to_owned(), 7)));
        assert!(nothing_held_back(&view));
    }

    #[test]
    fn two_reports_in_flight_each_skip_only_their_own_event() {
        let view = view();
        let first = view.expect_task_write(TASK);
        let second = view.expect_task_write(TASK);
        deliver(&view, &[put(&task("stored"), 7), put(&task("stored"), 8)]);
        first.committed(&task("written"), 7);
        // The second's event waits for it rather than be decoded now.
        assert_eq!(held(&view), Some(("written".to_owned(), 7)));
        second.committed(&task("written"), 8);
        assert_eq!(held(&view), Some(("written".to_owned(), 8)));
        assert!(nothing_held_back(&view));
    }

    #[test]
    fn a_removal_drops_what_was_held_back_of_the_record() {
        let view = view();
        let in_view = view.expect_task_write(TASK);
        deliver(&view, &[put(&task("stored"), 7), delete(8)]);
        drop(in_view);
        assert_eq!(held(&view), None, "an older put must not bring it back");
        assert!(nothing_held_back(&view));
    }

    #[test]
    fn a_placement_delivered_before_its_answer_is_not_decoded() {
        let view = view();
        let in_view = view.begin_commit([], [&TASK.to_owned()]);
        deliver(&view, &[put(&task("stored"), 7)]);
        in_view.committed([], [&task("written")], 7);
        assert_eq!(held(&view), Some(("written".to_owned(), 7)));
        assert!(
            view.read(|data| data.dirty.is_empty()),
            "its own commit is in the placement index already"
        );
        assert!(nothing_held_back(&view));
    }

    #[test]
    fn a_later_change_during_a_placement_is_applied_and_marks_its_instance() {
        let view = view();
        let in_view = view.begin_commit([], [&TASK.to_owned()]);
        deliver(&view, &[put(&task("written"), 7), put(&task("stored"), 9)]);
        in_view.committed([], [&task("written")], 7);
        assert_eq!(held(&view), Some(("stored".to_owned(), 9)));
        assert!(view.read(|data| data.dirty.contains("i1")));
        assert!(nothing_held_back(&view));
    }

    #[test]
    fn an_abandoned_placement_applies_what_was_held_back() {
        let view = view();
        let in_view = view.begin_commit([], [&TASK.to_owned()]);
        deliver(&view, &[put(&task("stored"), 7)]);
        drop(in_view);
        assert_eq!(held(&view), Some(("stored".to_owned(), 7)));
        assert!(view.read(|data| data.dirty.contains("i1")));
    }

    #[test]
    fn a_leaked_placement_guard_is_released_by_the_next_placement() {
        let view = view();
        let in_view = view.begin_commit([], [&TASK.to_owned()]);
        deliver(&view, &[put(&task("stored"), 7)]);
        std::mem::forget(in_view);
        let _next = view.begin_commit([], []);
        assert_eq!(held(&view), Some(("stored".to_owned(), 7)));
    }

    /// An instance with `cpu` units left, as stored at `revision`.
    fn instance_put(cpu: u32, revision: Revision) -> (ContainerInstance, Event) {
        let resources = |cpu| berth_model::container_instance::Resources {
            cpu,
            memory_mib: 1_024,
            tcp_ports: Vec::new(),
            udp_ports: Vec::new(),
        };
        let instance = ContainerInstance {
            id: "i1".to_owned(),
            cluster: CLUSTER.to_owned(),
            host_id: "h1".to_owned(),
            status: berth_model::container_instance::InstanceStatus::Active,
            agent_connected: true,
            registered: resources(4_096),
            remaining: resources(cpu),
            attributes: Vec::new(),
            agent_version: String::new(),
            docker_version: String::new(),
            registered_at_ms: 1,
            tags: Vec::new(),
            version: 1,
        };
        let event = Event {
            kind: EventKind::Put,
            kv: Arc::new(KeyValue {
                key: INSTANCES.key(&format!("{CLUSTER}/i1")),
                value: serde_json::to_vec(&instance).unwrap().into(),
                create_revision: 1,
                mod_revision: revision,
                version: 1,
            }),
        };
        (instance, event)
    }

    /// What the watch delivers for a usage record of `i1` with `cpu` left,
    /// counting `changes`, written at `revision`.
    fn usage_put(cpu: u32, changes: u64, revision: Revision) -> (InstanceUsage, Event) {
        let usage = InstanceUsage {
            remaining: berth_model::container_instance::Resources {
                cpu,
                memory_mib: 1_024,
                tcp_ports: Vec::new(),
                udp_ports: Vec::new(),
            },
            changes,
        };
        let event = Event {
            kind: EventKind::Put,
            kv: Arc::new(KeyValue {
                key: INSTANCES.key(&format!("{CLUSTER}/i1/usage")),
                value: serde_json::to_vec(&usage).unwrap().into(),
                create_revision: 1,
                mod_revision: revision,
                version: 1,
            }),
        };
        (usage, event)
    }

    /// `instance` as written whole at `revision`.
    fn whole(instance: ContainerInstance, revision: Revision) -> StoredInstance {
        StoredInstance {
            value: instance,
            stamp: InstanceStamp::written_whole(revision),
        }
    }

    /// The view holds `i1` as stored at revision 5, and nothing is dirty.
    fn view_with_instance() -> Arc<ClusterView> {
        let view = view();
        deliver(&view, &[instance_put(4_096, 5).1]);
        view.write().dirty.clear();
        view
    }

    #[test]
    fn registered_instances_follow_status_changes_refreshes_and_removals() {
        let view = view();
        let registered = || view.read(|data| data.registered_instances());
        let (active, delivered) = instance_put(4_096, 7);
        deliver(&view, &[delivered]);
        assert_eq!(registered(), 1);
        // A registration's own refresh, put again: still one instance.
        view.refresh_instance(whole(active.clone(), 7));
        assert_eq!(registered(), 1);
        let mut draining = active.clone();
        draining.status = InstanceStatus::Draining;
        view.refresh_instance(whole(draining, 8));
        assert_eq!(registered(), 1, "DRAINING is still registered");
        let mut deregistered = active.clone();
        deregistered.status = InstanceStatus::Inactive;
        view.refresh_instance(whole(deregistered, 9));
        assert_eq!(registered(), 0);
        // A refresh older than what the view holds changes nothing.
        view.refresh_instance(whole(active.clone(), 8));
        assert_eq!(registered(), 0);
        assert_eq!(
            view.instance("i1")
                .map(|(i, stamp)| (i.status, stamp.record)),
            Some((InstanceStatus::Inactive, 9))
        );
        let mut again = active;
        again.id = "i2".to_owned();
        view.refresh_instance(whole(again, 10));
        assert_eq!(registered(), 1, "a host registered anew is a new instance");
        deliver(
            &view,
            &[Event {
                kind: EventKind::Delete,
                kv: Arc::new(KeyValue {
                    key: INSTANCES.key(&format!("{CLUSTER}/i2")),
                    value: bytes::Bytes::new(),
                    create_revision: 0,
                    mod_revision: 11,
                    version: 0,
                }),
            }],
        );
        assert_eq!(registered(), 0, "a removed record");
    }

    /// What `i1` has left, its version, and the latest revision of its
    /// records the view holds.
    fn cpu_left(view: &ClusterView) -> Option<(u32, u64, Revision)> {
        view.instance("i1")
            .map(|(instance, stamp)| (instance.remaining.cpu, instance.version, known(&stamp)))
    }

    #[test]
    fn a_placements_own_usage_write_is_not_decoded_and_marks_nothing() {
        let view = view_with_instance();
        let (written, _) = usage_put(3_000, 1, 7);
        let (_, stored) = usage_put(1, 1, 7);
        let in_view = view.begin_commit([&"i1".to_owned()], []);
        deliver(&view, &[stored]);
        assert_eq!(cpu_left(&view), Some((4_096, 1, 5)), "held back");
        in_view.committed([("i1", &written)], [], 7);
        assert_eq!(cpu_left(&view), Some((3_000, 2, 7)));
        assert!(view.read(|data| data.dirty.is_empty()));
    }

    #[test]
    fn another_writers_usage_change_during_a_placement_marks_it() {
        let view = view_with_instance();
        let (written, own) = usage_put(3_000, 1, 7);
        let (_, later) = usage_put(2_000, 2, 9);
        let in_view = view.begin_commit([&"i1".to_owned()], []);
        deliver(&view, &[own, later]);
        in_view.committed([("i1", &written)], [], 7);
        assert_eq!(cpu_left(&view), Some((2_000, 3, 9)));
        assert!(view.read(|data| data.dirty.contains("i1")));
    }

    #[test]
    fn a_whole_write_replaces_the_usage_and_an_older_usage_is_skipped() {
        let view = view_with_instance();
        let (_, usage) = usage_put(3_000, 1, 7);
        deliver(&view, &[usage]);
        assert_eq!(cpu_left(&view), Some((3_000, 2, 7)));
        // A whole write at 9 folds the usage into the record and writes a
        // usage that counts no change yet.
        let (mut folded, mut record) = instance_put(3_000, 9);
        folded.version = 3;
        Arc::make_mut(&mut record.kv).value = serde_json::to_vec(&folded).unwrap().into();
        let (_, fresh) = usage_put(3_000, 0, 9);
        deliver(&view, &[record, fresh]);
        assert_eq!(cpu_left(&view), Some((3_000, 3, 9)));
        assert_eq!(
            view.instance("i1").map(|(_, stamp)| stamp),
            Some(InstanceStamp::written_whole(9))
        );
        // The same, as its writer recorded it, is no news.
        view.refresh_instance(whole(folded, 9));
        assert_eq!(cpu_left(&view), Some((3_000, 3, 9)));
        // A refresh read before the whole write changes nothing.
        let (stale, _) = instance_put(4_096, 5);
        view.refresh_instance(StoredInstance {
            value: stale,
            stamp: InstanceStamp {
                record: 5,
                usage: Some(UsageStamp {
                    revision: 7,
                    changes: 1,
                }),
            },
        });
        assert_eq!(cpu_left(&view), Some((3_000, 3, 9)));
        // Placement after it counts on from the record's version.
        let (_, next) = usage_put(2_000, 1, 11);
        deliver(&view, &[next]);
        assert_eq!(cpu_left(&view), Some((2_000, 4, 11)));
    }

    #[test]
    fn a_record_older_than_the_usage_paired_with_it_is_taken_part_by_part() {
        // Were a read to pair the record at 5 with the usage written at 12,
        // after another server's whole write at 9 (reads take both parts
        // from one range read, so none does), the view would still end
        // right.
        let view = view();
        let (mut read, _) = instance_put(2_000, 5);
        read.version = 1 + 2;
        view.refresh_instance(StoredInstance {
            value: read,
            stamp: InstanceStamp {
                record: 5,
                usage: Some(UsageStamp {
                    revision: 12,
                    changes: 2,
                }),
            },
        });
        // The watch from the load's revision brings the whole write at 9:
        // its record (say, DRAINING) is taken, the later usage kept.
        let (mut draining, mut record) = instance_put(3_000, 9);
        draining.status = InstanceStatus::Draining;
        draining.version = 5;
        Arc::make_mut(&mut record.kv).value = serde_json::to_vec(&draining).unwrap().into();
        deliver(&view, &[record]);
        let (instance, stamp) = view.instance("i1").unwrap();
        assert_eq!(instance.status, InstanceStatus::Draining);
        assert_eq!((instance.remaining.cpu, instance.version), (2_000, 7));
        assert_eq!(
            (stamp.record, stamp.usage.map(|u| u.revision)),
            (9, Some(12))
        );
    }

    #[test]
    fn a_stop_held_back_during_a_report_removes_the_task_and_its_counts() {
        let view = view();
        view.begin_commit([], [&TASK.to_owned()])
            .committed([], [&task("g")], 5);
        assert_eq!(view.read(|data| data.phases.running), 1);
        let in_view = view.expect_task_write(TASK);
        let mut stopped = task("g");
        stopped.last_status = TaskStatus::Stopped;
        stopped.desired_status = DesiredStatus::Stopped;
        deliver(&view, &[put(&task("g"), 7), put(&stopped, 9)]);
        in_view.committed(&task("g"), 7);
        assert_eq!(held(&view), None);
        view.read(|data| {
            assert_eq!(data.phases, PhaseCounts::default());
            assert!(!data.counts.contains_key("i1"));
        });
    }

    #[test]
    fn a_record_removed_while_its_commit_was_in_flight_stays_out() {
        let view = view();
        let in_view = view.expect_task_write(TASK);
        deliver(&view, &[put(&task("stored"), 7), delete(8)]);
        in_view.committed(&task("written"), 7);
        assert_eq!(held(&view), None);
        let in_view = view.begin_commit([], [&TASK.to_owned()]);
        deliver(&view, &[put(&task("stored"), 10), delete(11)]);
        in_view.committed([], [&task("written")], 10);
        assert_eq!(held(&view), None);
        assert!(nothing_held_back(&view));
    }

    #[test]
    fn an_instance_removed_during_a_placement_stays_out() {
        let view = view_with_instance();
        let (written, own) = usage_put(3_000, 1, 7);
        let in_view = view.begin_commit([&"i1".to_owned()], []);
        let removed = Event {
            kind: EventKind::Delete,
            kv: Arc::new(KeyValue {
                key: INSTANCES.key(&format!("{CLUSTER}/i1")),
                value: bytes::Bytes::new(),
                create_revision: 0,
                mod_revision: 8,
                version: 0,
            }),
        };
        deliver(&view, &[own, removed]);
        in_view.committed([("i1", &written)], [], 7);
        assert_eq!(cpu_left(&view), None);
        assert!(nothing_held_back(&view));
    }

    #[test]
    fn a_report_that_moves_its_task_to_another_group_marks_its_instance() {
        let view = view();
        view.begin_commit([], [&TASK.to_owned()])
            .committed([], [&task("before")], 5);
        view.write().dirty.clear();
        view.expect_task_write(TASK).committed(&task("after"), 7);
        assert_eq!(held(&view), Some(("after".to_owned(), 7)));
        assert!(view.read(|data| data.dirty.contains("i1")));
    }

    /// A view in which this server placed a PENDING task of group `g` on
    /// `i1`, at revision 5.
    fn placed_pending() -> (Arc<ClusterView>, Task) {
        let view = view();
        let mut placed = task("g");
        placed.last_status = TaskStatus::Pending;
        view.begin_commit([], [&TASK.to_owned()])
            .committed([], [&placed], 5);
        (view, placed)
    }

    fn counts_on_i1(view: &ClusterView) -> TaskCounts {
        view.read(|data| data.counts.get("i1").cloned().unwrap_or_default())
    }

    #[test]
    fn an_instance_counts_its_tasks_meant_to_run_and_pending() {
        let (view, _) = placed_pending();
        let counts = || counts_on_i1(&view);
        assert_eq!((counts().meant_to_run, counts().pending), (1, 1));
        view.expect_task_write(TASK).committed(&task("g"), 6);
        assert_eq!((counts().meant_to_run, counts().pending), (1, 0));
        let mut stopping = task("g");
        stopping.desired_status = DesiredStatus::Stopped;
        view.expect_task_write(TASK).committed(&stopping, 7);
        assert_eq!((counts().meant_to_run, counts().pending), (0, 0));
        assert_eq!(counts().groups.get("g"), Some(&1), "active until STOPPED");
        view.read(|data| assert_eq!(data.phases.running, 1));
    }

    #[test]
    fn a_task_pending_until_it_stops_leaves_no_count_and_marks_nothing_while_pending() {
        let (view, placed) = placed_pending();
        let counts = || counts_on_i1(&view);
        let mut activating = placed.clone();
        activating.last_status = TaskStatus::Activating;
        deliver(&view, &[put(&activating, 6)]);
        assert_eq!(counts().pending, 1, "still not RUNNING");
        assert!(
            view.read(|data| data.dirty.is_empty()),
            "a phase is nothing placement reads"
        );
        let mut stopped = placed;
        stopped.last_status = TaskStatus::Stopped;
        stopped.desired_status = DesiredStatus::Stopped;
        deliver(&view, &[put(&stopped, 7)]);
        view.read(|data| {
            assert_eq!(data.phases, PhaseCounts::default());
            assert!(
                !data.counts.contains_key("i1"),
                "nothing counted on the instance is left behind"
            );
        });
    }

    #[test]
    fn tasks_share_their_instance_and_group_names_until_nothing_counts_them() {
        let view = view();
        let on = |id: &str, instance: &str, group: &str| {
            let mut placed = task(group);
            placed.id = id.to_owned();
            placed.container_instance_id = instance.to_owned();
            placed.last_status = TaskStatus::Pending;
            placed
        };
        let placed = [
            on("t1", "i1", "g"),
            on("t2", "i1", "g"),
            on("t3", "i2", "g"),
            on("t4", "i2", "h"),
        ];
        let ids: Vec<String> = placed.iter().map(|task| task.id.clone()).collect();
        view.begin_commit([], &ids).committed([], &placed, 5);
        view.read(|data| {
            let summary = |id: &str| data.tasks.get(id).map(|(summary, _)| summary.clone());
            let (t1, t2, t3) = (
                summary("t1").unwrap(),
                summary("t2").unwrap(),
                summary("t3").unwrap(),
            );
            assert!(Arc::ptr_eq(&t1.instance_id, &t2.instance_id));
            assert!(
                Arc::ptr_eq(&t1.group, &t3.group),
                "one name for the group on both hosts"
            );
            let (i2, _) = data.counts.get_key_value("i2").unwrap();
            assert!(
                Arc::ptr_eq(i2, &t3.instance_id),
                "the counts' key is the one copy"
            );
            assert_eq!(
                data.group_names.get("g"),
                Some(&2),
                "counted on two instances"
            );
            assert_eq!(data.group_names.get("h"), Some(&1));
        });
        // A report on the way to RUNNING changes the task in place.
        let mut running = placed[0].clone();
        running.last_status = TaskStatus::Running;
        view.expect_task_write("t1").committed(&running, 6);
        view.read(|data| {
            assert_eq!(data.tasks.get("t1").unwrap().0.phase, Phase::Running);
            assert_eq!((data.phases.pending, data.phases.running), (3, 1));
            assert_eq!(data.counts.get("i1").unwrap().pending, 1);
        });
        // A task that moves to another group counts its new name.
        let mut moved = placed[3].clone();
        moved.group = "g".to_owned();
        view.expect_task_write("t4").committed(&moved, 7);
        view.read(|data| {
            assert_eq!(
                data.group_names.get("h"),
                None,
                "no instance counts h any more"
            );
            assert_eq!(data.group_names.get("g"), Some(&2));
            assert_eq!(data.counts.get("i2").unwrap().groups.get("g"), Some(&2));
        });
        for (revision, task) in (8..).zip(placed.iter().take(3).chain([&moved])) {
            let mut stopped = task.clone();
            stopped.last_status = TaskStatus::Stopped;
            view.expect_task_write(&task.id)
                .committed(&stopped, revision);
        }
        view.read(|data| {
            assert!(data.tasks.is_empty());
            assert!(data.counts.is_empty(), "{:?}", data.counts);
            assert!(data.group_names.is_empty(), "{:?}", data.group_names);
            assert_eq!(data.phases, PhaseCounts::default());
        });
    }

    #[test]
    fn a_report_committed_before_its_tasks_placement_is_recorded_ends_right() {
        // The agent may get its task, and report it, before the placer
        // records the commit that placed it.
        let view = view();
        let placing = view.begin_commit([], [&TASK.to_owned()]);
        let reporting = view.expect_task_write(TASK);
        deliver(&view, &[put(&task("placed"), 7), put(&task("reported"), 8)]);
        reporting.committed(&task("reported"), 8);
        placing.committed([], [&task("placed")], 7);
        assert_eq!(held(&view), Some(("reported".to_owned(), 8)));
        assert!(nothing_held_back(&view));
    }

    /// Lists the view page by page as ListContainerInstances does, returning
    /// every id listed and how many pages it took.
    fn list_all(
        view: &ClusterView,
        limit: usize,
        keep: impl Fn(&str) -> bool,
    ) -> (Vec<String>, usize) {
        let mut listed = Vec::new();
        let mut after: Option<String> = None;
        for pages in 1.. {
            let page =
                view.list_instances(after.as_deref(), limit, |instance, _| keep(&instance.id));
            assert!(page.items.len() <= limit);
            listed.extend(page.items.into_iter().map(|(id, _)| id));
            match page.next_after {
                Some(next) => after = Some(next),
                None => return (listed, pages),
            }
        }
        unreachable!()
    }

    #[test]
    fn listing_instances_pages_in_id_order_across_reads_of_the_view() {
        let view = view();
        let (instance, _) = instance_put(4_096, 1);
        // More instances than one read of the view takes, so that sparse
        // matches span reads.
        let count = LIST_CHUNK * 2 + 7;
        let ids: Vec<String> = (0..count).map(|n| format!("i{n:05}")).collect();
        for (revision, id) in ids.iter().enumerate() {
            let mut instance = instance.clone();
            instance.id = id.clone();
            view.refresh_instance(whole(instance, revision as Revision + 1));
        }
        let page = view.list_instances(None, 3, |_, _| true);
        assert_eq!(
            page.items,
            vec![
                ("i00000".to_owned(), 1),
                ("i00001".to_owned(), 2),
                ("i00002".to_owned(), 3)
            ]
        );
        assert_eq!(page.next_after.as_deref(), Some("i00002"));

        for limit in [1, 5, 100, LIST_CHUNK, count + 1] {
            let (listed, pages) = list_all(&view, limit, |_| true);
            assert_eq!(
                listed, ids,
                "every instance once, in order, pages of {limit}"
            );
            // A full last page is followed by an empty one, as the store's.
            assert_eq!(pages, count / limit + 1, "pages of {limit}");
        }
        // Matches in different reads of the view, the last at the very end.
        let sparse = |id: &str| {
            let n: usize = id[1..].parse().unwrap();
            n.is_multiple_of(LIST_CHUNK - 6) || n == count - 1
        };
        let expected: Vec<String> = ids.iter().filter(|id| sparse(id)).cloned().collect();
        assert_eq!(expected.len(), 4, "{expected:?}");
        for limit in [1, 2, 100] {
            assert_eq!(
                list_all(&view, limit, sparse).0,
                expected,
                "pages of {limit}"
            );
        }
        // None matches: one empty page, having passed over them all.
        assert_eq!(list_all(&view, 100, |_| false), (Vec::new(), 1));
        // After the last instance, or after an id that is not held.
        assert!(
            view.list_instances(Some("i99999"), 10, |_, _| true)
                .items
                .is_empty()
        );
        let page = view.list_instances(Some("i00000x"), 1, |_, _| true);
        assert_eq!(page.items[0].0, "i00001");
    }
}
