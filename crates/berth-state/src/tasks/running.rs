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
//! STOPPED, which never turns back. [`super::task_put_ops`] is the one way
//! task records are written, so no writer can forget it.

use berth_model::task::{DesiredStatus, LaunchType, Task};
use berth_store::{KeyValue, Op};
use serde::{Deserialize, Serialize};

use crate::{StateError, Table};

/// Tasks to keep running, by `<cluster>/<task id>`.
pub const RUNNING_TASKS: Table<TaskListing> = Table::new("ecs/running-tasks/");

/// Set once every task stored before the index existed is in it.
pub(super) const INDEXED: &str = "running-tasks-indexed";

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

/// The op that keeps task `key`'s entry in step when its desired status
/// goes from `was` (`None` for a new task) to the one it has now, if any.
pub(super) fn entry_op(key: &str, task: &Task, was: Option<DesiredStatus>) -> Option<Op> {
    match (was, task.desired_status) {
        (None, DesiredStatus::Running) => Some(RUNNING_TASKS.put_op(key, &TaskListing::of(task))),
        (Some(DesiredStatus::Running), DesiredStatus::Stopped) => {
            Some(RUNNING_TASKS.delete_op(key))
        }
        _ => None,
    }
}

/// The entry a task stored before the index calls for: its listing, if its
/// desired status is RUNNING.
pub(super) fn backfill_ops(record: &KeyValue) -> Result<Vec<Op>, StateError> {
    let listing = listing_of(record)?;
    if listing.desired_status != DesiredStatus::Running {
        return Ok(Vec::new());
    }
    Ok(vec![
        RUNNING_TASKS.put_op(&super::stored_id(record), &listing),
    ])
}

/// The listing members of a stored task record.
fn listing_of(record: &KeyValue) -> Result<TaskListing, StateError> {
    serde_json::from_slice(&record.value).map_err(|source| StateError::Corrupt {
        key: String::from_utf8_lossy(&record.key).into_owned(),
        source,
    })
}
