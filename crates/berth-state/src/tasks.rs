//! The task repository, the per-instance assignment index that agents
//! long-poll, and RunTask's idempotency tokens.

use std::sync::Arc;

use berth_model::task::{DesiredStatus, Task};
use berth_store::{KeyRange, Kv, Revision};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::instances::strip_cluster_prefix;
use crate::{Page, StateError, Table, Versioned};

mod backfill;
mod dated;
mod recent;
mod running;
mod stopped;
mod tokens;

pub use running::{RUNNING_TASKS, TaskListing};
pub use stopped::{STOPPED_TASKS, StoppedEntry};
pub use tokens::{CLIENT_TOKEN_EXPIRY, CLIENT_TOKENS, ClientTokenRecord, TokenEntry};

/// More tasks than one instance normally holds.
const TYPICAL_ASSIGNMENTS: usize = 1_000;

/// Tasks by `<cluster>/<task id>`.
pub const TASKS: Table<Task> = Table::new("ecs/tasks/");
/// Tasks an instance is responsible for, by `<instance id>/<task id>`;
/// present from placement until the task is STOPPED.
pub const ASSIGNMENTS: Table<AssignmentMarker> = Table::new("ecs/assignments/");

/// The store prefix agents' long polls watch.
pub const ASSIGNMENTS_PREFIX: &str = "ecs/assignments/";

/// The id of a task record: `<cluster>/<task id>`.
pub fn task_key(cluster: &str, task_id: &str) -> String {
    [cluster, "/", task_id].concat()
}

/// The id of an assignment: `<instance id>/<task id>`.
pub fn assignment_key(instance_id: &str, task_id: &str) -> String {
    [instance_id, "/", task_id].concat()
}

/// The ops that store `task` of `cluster` over a record whose desired
/// status was `was` (`None` for a new task), with the derived indexes kept
/// in step: the one way task records are written, so no writer can forget
/// an index.
pub fn task_put_ops(
    cluster: &str,
    task: &Task,
    was: Option<DesiredStatus>,
) -> Vec<berth_store::Op> {
    let key = task_key(cluster, &task.id);
    let mut ops = Vec::with_capacity(2);
    ops.push(TASKS.put_op(&key, task));
    ops.extend(running::entry_op(&key, task, was));
    // Written again with each later write of a STOPPED task (a late
    // report): the same entry, as the stop time never changes.
    ops.extend(StoppedEntry::of(cluster, task).map(|entry| entry.put_op()));
    ops
}

/// The id (`<cluster>/<task id>`) of a stored task record.
fn stored_id(record: &berth_store::KeyValue) -> String {
    String::from_utf8_lossy(&record.key[TASKS.key("").len()..]).into_owned()
}

/// How many stored tasks [`TaskRepo::index_stored_tasks`] wrote entries of
/// each index for (entries already there are written again).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexedTasks {
    pub running: usize,
    pub stopped: usize,
}

/// The store key prefix of the tasks assigned to an instance.
fn assignments_prefix(instance_id: &str) -> Vec<u8> {
    ASSIGNMENTS.key(&format!("{instance_id}/"))
}

/// What the assignment index says about one task; rewritten (or removed) in
/// the same commit as every change of the task's desired status, so a long
/// poll wakes up for it, and a task record at least as new as its marker
/// holds the desired state the marker announces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentMarker {
    pub cluster: String,
    pub desired_status: DesiredStatus,
}

/// One task an instance is responsible for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    pub task_id: String,
    pub marker: AssignmentMarker,
    /// When the task was assigned: an agent that holds the set of a later
    /// revision has the task in full.
    pub assigned_at: Revision,
    /// When the marker was last written: any state of the task at least
    /// this new holds its current desired state.
    pub changed_at: Revision,
}

impl Assigned {
    /// The assignment stored as `kv`, whose key continues with the task id
    /// after `prefix_len` bytes.
    pub fn decode(kv: &berth_store::KeyValue, prefix_len: usize) -> Result<Assigned, StateError> {
        let corrupt = |source| StateError::Corrupt {
            key: String::from_utf8_lossy(&kv.key).into_owned(),
            source,
        };
        Ok(Assigned {
            task_id: String::from_utf8_lossy(&kv.key[prefix_len..]).into_owned(),
            marker: serde_json::from_slice(&kv.value).map_err(corrupt)?,
            assigned_at: kv.create_revision,
            changed_at: kv.mod_revision,
        })
    }
}

/// Tasks of every cluster.
#[derive(Clone)]
pub struct TaskRepo {
    kv: Arc<dyn Kv>,
    /// What this server committed lately, see [`recent`].
    recent: Arc<recent::Recent<Task>>,
}

impl TaskRepo {
    pub(crate) fn new(kv: Arc<dyn Kv>) -> Self {
        TaskRepo {
            kv,
            recent: Arc::new(recent::Recent::new(recent::CAPACITY, recent::SHARDS)),
        }
    }

    /// One task with its revision.
    pub async fn get(
        &self,
        cluster: &str,
        task_id: &str,
    ) -> Result<Option<Versioned<Task>>, StateError> {
        TASKS.get(&*self.kv, &task_key(cluster, task_id)).await
    }

    /// Remembers a task as this server just committed it at `revision`, so
    /// the poll and the reports that follow need not read it back. A task
    /// no longer active is forgotten instead: nothing reads it back soon.
    pub fn remember(&self, task: Arc<Task>, revision: Revision) {
        let key = task_key(&task.cluster, &task.id);
        if task.is_active() {
            self.recent.remember(key, task, revision);
        } else {
            self.recent.forget(&key);
        }
    }

    /// Remembers a new task just before the commit that creates it, so a
    /// poll woken by that commit finds it even before the placer hears the
    /// commit's revision. The placer confirms it with
    /// [`TaskRepo::confirm`], or forgets it when the commit fails. Task ids
    /// are never reused, so if the task's assignment exists at all, this is
    /// the state it was created with.
    pub fn remember_unconfirmed(&self, task: Arc<Task>) {
        self.recent
            .remember(task_key(&task.cluster, &task.id), task, recent::UNCONFIRMED);
    }

    /// Confirms a task remembered by [`TaskRepo::remember_unconfirmed`] as
    /// committed at `revision`.
    pub fn confirm(&self, cluster: &str, task_id: &str, revision: Revision) {
        self.recent.confirm(&task_key(cluster, task_id), revision);
    }

    /// Forgets what this server remembers of a task: it is gone, or a write
    /// based on the remembered state lost a race. Only memory depends on
    /// forgetting a stopped or deleted task (the retention sweep does not
    /// bother): readers never trust an entry beyond its revision.
    pub fn forget(&self, cluster: &str, task_id: &str) {
        self.recent.forget(&task_key(cluster, task_id));
    }

    /// A state of an assigned task at least as new as its assignment
    /// marker, so holding the desired state the marker announces: the one
    /// this server remembers when it is that new, else the stored one.
    pub async fn get_as_new_as(
        &self,
        cluster: &str,
        assigned: &Assigned,
    ) -> Result<Option<Versioned<Arc<Task>>>, StateError> {
        let key = task_key(cluster, &assigned.task_id);
        if let Some((mod_revision, task)) = self.recent.get(&key) {
            if mod_revision >= assigned.changed_at {
                return Ok(Some(Versioned {
                    value: task,
                    mod_revision,
                }));
            }
            // Not confirmed yet, but its marker exists, unchanged since the
            // commit that created both.
            if mod_revision == recent::UNCONFIRMED && assigned.changed_at == assigned.assigned_at {
                return Ok(Some(Versioned {
                    value: task,
                    mod_revision: assigned.assigned_at,
                }));
            }
        }
        self.get_shared(cluster, &assigned.task_id).await
    }

    /// Takes out the last state of the task this server committed, if it
    /// remembers it, for a writer about to write the task anew: held by no
    /// one else then, it changes without a copy (the writer remembers what
    /// it commits). It is behind the store when another server wrote since,
    /// so it may be written back only with a compare on its revision.
    pub fn take_remembered(&self, cluster: &str, task_id: &str) -> Option<Versioned<Arc<Task>>> {
        self.recent
            .take_confirmed(&task_key(cluster, task_id))
            .map(|(mod_revision, task)| Versioned {
                value: task,
                mod_revision,
            })
    }

    /// One task with its revision, shareable like a remembered one.
    pub async fn get_shared(
        &self,
        cluster: &str,
        task_id: &str,
    ) -> Result<Option<Versioned<Arc<Task>>>, StateError> {
        Ok(self.get(cluster, task_id).await?.map(|record| Versioned {
            value: Arc::new(record.value),
            mod_revision: record.mod_revision,
        }))
    }

    /// Ids of the tasks of `cluster` whose desired status is `desired`, in
    /// id order after `after`, that `keep` accepts. RUNNING ones are read
    /// from [`RUNNING_TASKS`], so the hour's stopped tasks cost nothing;
    /// STOPPED ones from the task records, decoding only the listing's
    /// members.
    pub async fn list(
        &self,
        cluster: &str,
        desired: DesiredStatus,
        after: Option<&str>,
        limit: usize,
        mut keep: impl FnMut(&TaskListing) -> bool,
    ) -> Result<Page<Revision>, StateError> {
        let listed = |record: &[u8]| {
            let task: TaskListing = serde_json::from_slice(record)?;
            Ok(task.desired_status == desired && keep(&task))
        };
        match desired {
            DesiredStatus::Running => {
                self.ids_where(RUNNING_TASKS, cluster, after, limit, listed)
                    .await
            }
            DesiredStatus::Stopped => self.ids_where(TASKS, cluster, after, limit, listed).await,
        }
    }

    /// Enters every task stored before [`RUNNING_TASKS`] or
    /// [`STOPPED_TASKS`] existed in them; a no-op once done for a store.
    /// Run before serving.
    pub async fn index_stored_tasks(&self) -> Result<IndexedTasks, StateError> {
        let kv = &*self.kv;
        Ok(IndexedTasks {
            running: backfill::backfill(kv, running::INDEXED, TASKS.key(""), running::backfill_ops)
                .await?,
            stopped: backfill::backfill(kv, stopped::INDEXED, TASKS.key(""), stopped::backfill_ops)
                .await?,
        })
    }

    /// Enters the client tokens stored before [`CLIENT_TOKEN_EXPIRY`]
    /// existed in it, dated `now_ms`, so they expire like the others; a
    /// no-op once done for a store. Returns how many. Run before serving.
    pub async fn index_stored_client_tokens(&self, now_ms: i64) -> Result<usize, StateError> {
        backfill::backfill(
            &*self.kv,
            tokens::INDEXED,
            CLIENT_TOKENS.key(""),
            |record| tokens::backfill_ops(record, now_ms),
        )
        .await
    }

    /// Up to `limit` entries of [`CLIENT_TOKEN_EXPIRY`] (1 or more) of
    /// tokens first used before `cutoff_ms`, oldest first, after the entry
    /// `after`: the tokens expiry removes. Reads only those entries.
    pub async fn client_tokens_first_used_before(
        &self,
        cutoff_ms: i64,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page<TokenEntry>, StateError> {
        tokens::first_used_before(&*self.kv, cutoff_ms, after, limit).await
    }

    /// Up to `limit` entries of [`STOPPED_TASKS`] (1 or more) of tasks of
    /// `cluster` stopped before `cutoff_ms`, oldest first, after the entry
    /// `after`: the tasks retention removes. Reads only those entries.
    pub async fn stopped_before(
        &self,
        cluster: &str,
        cutoff_ms: i64,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page<StoppedEntry>, StateError> {
        stopped::stopped_before(&*self.kv, cluster, cutoff_ms, after, limit).await
    }

    /// When task `task_id` of `cluster` stopped, as its [`StoppedEntry`]
    /// records it (`None` while it has not), and the revision its record was
    /// read at; `None` if it is not stored. Decodes only those members of
    /// the record.
    pub async fn stop_time(
        &self,
        cluster: &str,
        task_id: &str,
    ) -> Result<Option<(Option<i64>, Revision)>, StateError> {
        let Some(record) = self.kv.get(&TASKS.key(&task_key(cluster, task_id))).await? else {
            return Ok(None);
        };
        let stop = stopped::StopMembers::of(&record)?;
        Ok(Some((stop.stopped_at(), record.mod_revision)))
    }

    /// Ids (with mod revisions) of the records of `cluster` in `table` after
    /// `after` whose stored JSON `keep` accepts (see [`Table::ids_where`]).
    async fn ids_where<T: Serialize + DeserializeOwned>(
        &self,
        table: Table<T>,
        cluster: &str,
        after: Option<&str>,
        limit: usize,
        keep: impl FnMut(&[u8]) -> Result<bool, serde_json::Error>,
    ) -> Result<Page<Revision>, StateError> {
        let after = after.map(|id| task_key(cluster, id));
        let mut page = table
            .ids_where(
                &*self.kv,
                &format!("{cluster}/"),
                after.as_deref(),
                limit,
                keep,
            )
            .await?;
        strip_cluster_prefix(&mut page);
        Ok(page)
    }

    /// Every task of `cluster` that `keep` accepts.
    pub async fn all(
        &self,
        cluster: &str,
        keep: impl FnMut(&Task) -> bool,
    ) -> Result<Vec<Task>, StateError> {
        TASKS
            .all_where(&*self.kv, &format!("{cluster}/"), keep)
            .await
    }

    /// The tasks assigned to an instance, as of the returned store revision.
    /// Polling agents call this when they cannot be told only what changed.
    pub async fn assignments(
        &self,
        instance_id: &str,
    ) -> Result<(Vec<Assigned>, Revision), StateError> {
        let prefix = assignments_prefix(instance_id);
        let range = KeyRange::prefix(prefix.clone());
        // Asked with a bound first, which a backend may serve more cheaply;
        // an instance holding more is read whole, still at one revision.
        let mut result = self.kv.range(&range, TYPICAL_ASSIGNMENTS).await?;
        if result.more {
            result = self.kv.range(&range, 0).await?;
        }
        let assigned = result
            .kvs
            .iter()
            .map(|kv| Assigned::decode(kv, prefix.len()))
            .collect::<Result<_, _>>()?;
        Ok((assigned, result.revision))
    }

    /// The record of a RunTask client token and its mod revision.
    pub async fn client_token(
        &self,
        cluster: &str,
        token: &str,
    ) -> Result<Option<(ClientTokenRecord, Revision)>, StateError> {
        Ok(CLIENT_TOKENS
            .get(&*self.kv, &task_key(cluster, token))
            .await?
            .map(|record| (record.value, record.mod_revision)))
    }
}
