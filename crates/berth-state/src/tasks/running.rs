//! The index of tasks whose desired status is RUNNING, by
//! `<cluster>/<task id>`, each entry holding what ListTasks filters on.
//!
//! ListTasks lists RUNNING-desired tasks unless asked otherwise, while the
//! stopped tasks of the last hour (the retention) stay stored beside them:
//! a busy cluster that stopped 100,000 tasks that hour made the first page
//! of every listing read past them all. The index holds only the tasks to
//! keep running, so a page costs a page.
//!
//! It is derived state, written in the same transaction as the task: a task
//! enters when it is placed and leaves when its desired status turns
//! STOPPED, which never turns back. [`task_put_ops`] is the one way task
//! records are written, so no writer can forget it.

use berth_model::task::{DesiredStatus, LaunchType, Task};
use berth_store::{KeyRange, KeyValue, Kv, Revision, Txn};
use serde::{Deserialize, Serialize};

use super::{TASKS, task_key};
use crate::{StateError, Table};

/// Tasks to keep running, by `<cluster>/<task id>`.
pub const RUNNING_TASKS: Table<TaskListing> = Table::new("ecs/running-tasks/");

/// Store-wide marks, by name.
const MARKS: Table<()> = Table::new("ecs/meta/");
/// Set once every task stored before the index existed is in it.
const INDEXED: &str = "running-tasks-indexed";

/// What ListTasks filters a task on. An entry of [`RUNNING_TASKS`], and
/// what a listing of stopped tasks decodes from each task record (the rest
/// of the record is skipped, not decoded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskListing {
    pub family: String,
    pub started_by: Option<String>,
    pub container_instance_id: String,
    pub launch_type: LaunchType,
    pub desired_status: DesiredStatus,
}

impl TaskListing {
    pub fn of(task: &Task) -> TaskListing {
        TaskListing {
            family: task.family.clone(),
            started_by: task.started_by.clone(),
            container_instance_id: task.container_instance_id.clone(),
            launch_type: task.launch_type,
            desired_status: task.desired_status,
        }
    }
}

/// The ops that store `task` of `cluster` over a record whose desired
/// status was `was` (`None` for a new task), with the index kept in step.
pub fn task_put_ops(
    cluster: &str,
    task: &Task,
    was: Option<DesiredStatus>,
) -> Vec<berth_store::Op> {
    let key = task_key(cluster, &task.id);
    let mut ops = vec![TASKS.put_op(&key, task)];
    match (was, task.desired_status) {
        (None, DesiredStatus::Running) => {
            ops.push(RUNNING_TASKS.put_op(&key, &TaskListing::of(task)));
        }
        (Some(DesiredStatus::Running), DesiredStatus::Stopped) => {
            ops.push(RUNNING_TASKS.delete_op(&key));
        }
        _ => {}
    }
    ops
}

/// Enters every RUNNING-desired task stored before the index existed, once
/// per store. Each entry is written only if its task is unchanged since it
/// was read (a task changed meanwhile is read again), so a task stopped
/// meanwhile cannot be entered. Returns how many were entered.
pub(super) async fn index_stored_tasks(kv: &dyn Kv) -> Result<usize, StateError> {
    if MARKS.get(kv, INDEXED).await?.is_some() {
        return Ok(0);
    }
    let prefix = TASKS.key("");
    let mut range = KeyRange::prefix(prefix.clone());
    let mut entered = 0;
    loop {
        let page = kv.range(&range, 100).await?;
        for record in &page.kvs {
            let id = String::from_utf8_lossy(&record.key[prefix.len()..]).into_owned();
            if enter_stored(kv, &id, listing_of(record)?, record.mod_revision).await? {
                entered += 1;
            }
        }
        match page.kvs.last() {
            Some(last) if page.more => range = KeyRange::prefix_after(prefix.clone(), &last.key),
            _ => break,
        }
    }
    kv.txn(Txn {
        compares: Vec::new(),
        ops: vec![MARKS.put_op(INDEXED, &())],
    })
    .await?;
    Ok(entered)
}

/// Enters task `id` (`<cluster>/<task id>`), read as `listing` at
/// `read_at`, if its desired status is RUNNING, compared on that revision
/// and read again when it changed; whether it was entered.
async fn enter_stored(
    kv: &dyn Kv,
    id: &str,
    mut listing: TaskListing,
    mut read_at: Revision,
) -> Result<bool, StateError> {
    for _ in 0..crate::MAX_CAS_ATTEMPTS {
        if listing.desired_status != DesiredStatus::Running {
            return Ok(false);
        }
        let txn = Txn {
            compares: vec![TASKS.unchanged(id, read_at)],
            ops: vec![RUNNING_TASKS.put_op(id, &listing)],
        };
        if kv.txn(txn).await?.succeeded {
            return Ok(true);
        }
        let Some(record) = kv.get(&TASKS.key(id)).await? else {
            return Ok(false);
        };
        listing = listing_of(&record)?;
        read_at = record.mod_revision;
    }
    Err(StateError::Contention {
        key: format!("the running-tasks entry of {id}"),
    })
}

/// The listing members of a stored task record.
fn listing_of(record: &KeyValue) -> Result<TaskListing, StateError> {
    serde_json::from_slice(&record.value).map_err(|source| StateError::Corrupt {
        key: String::from_utf8_lossy(&record.key).into_owned(),
        source,
    })
}
