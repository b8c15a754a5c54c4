//! The index of STOPPED tasks by when they stopped: entries
//! `<cluster>/<stopped at, ms, 19 digits>/<task id>`, so the tasks whose
//! retention has passed are the first entries of their cluster.
//!
//! Retention used to read every task record of every cluster each minute
//! to find the few to remove: with a million tasks stored that was a
//! million records read and decoded a minute, competing with placement for
//! the store. Now a pass reads only the entries it removes, and their
//! tasks' records.
//!
//! Like the index of running tasks it is derived state, written by
//! [`super::task_put_ops`] in the same transaction as the task: a task
//! enters once it is STOPPED, and it leaves with its record. A store from
//! before the index gets it once at start. One that an older Berth wrote
//! to after that (a downgrade, then an upgrade again) holds STOPPED tasks
//! without entries, which retention never sees; deleting the mark
//! `ecs/meta/stopped-tasks-indexed` enters them at the next start.

use berth_model::task::{Task, TaskStatus};
use berth_store::{KeyValue, Kv, Op};
use serde::Deserialize;

use super::dated::{self, entry_time, parse_time_digits, time_digits};
use crate::{Page, StateError, Table};

/// STOPPED tasks by `<cluster>/<stopped at>/<task id>`.
pub const STOPPED_TASKS: Table<()> = Table::new("ecs/stopped-tasks/");

/// Set once every task stored before the index existed is in it.
pub(super) const INDEXED: &str = "stopped-tasks-indexed";

/// One entry of the index: a task and when it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoppedEntry {
    pub cluster: String,
    pub task_id: String,
    pub stopped_at_ms: i64,
}

impl StoppedEntry {
    /// The entry of `task` of `cluster`, if it is STOPPED (a record from
    /// before stop times were kept has none and is never expired).
    pub fn of(cluster: &str, task: &Task) -> Option<StoppedEntry> {
        let stopped_at_ms = entry_time(task.stopped_at_ms?);
        (task.last_status == TaskStatus::Stopped).then(|| StoppedEntry {
            cluster: cluster.to_owned(),
            task_id: task.id.clone(),
            stopped_at_ms,
        })
    }

    /// The entry's id within [`STOPPED_TASKS`].
    pub fn id(&self) -> String {
        format!(
            "{}/{}/{}",
            self.cluster,
            time_digits(self.stopped_at_ms),
            self.task_id
        )
    }

    pub fn put_op(&self) -> Op {
        STOPPED_TASKS.put_op(&self.id(), &())
    }

    pub fn delete_op(&self) -> Op {
        STOPPED_TASKS.delete_op(&self.id())
    }

    /// The entry stored under `key`, of `cluster`.
    fn decode(cluster: &str, key: &[u8]) -> Result<StoppedEntry, StateError> {
        let corrupt = || StateError::Corrupt {
            key: String::from_utf8_lossy(key).into_owned(),
            source: serde::de::Error::custom("not a stopped-task entry"),
        };
        let prefix_len = STOPPED_TASKS.key(cluster).len() + 1;
        let rest = key
            .get(prefix_len..)
            .and_then(|rest| std::str::from_utf8(rest).ok())
            .ok_or_else(corrupt)?;
        let (time, task_id) = rest.split_once('/').ok_or_else(corrupt)?;
        let stopped_at_ms = parse_time_digits(time).ok_or_else(corrupt)?;
        Ok(StoppedEntry {
            cluster: cluster.to_owned(),
            task_id: task_id.to_owned(),
            stopped_at_ms,
        })
    }
}

/// Up to `limit` entries of `cluster` (1 or more) of tasks stopped before
/// `cutoff_ms`, oldest first, after the entry `after` (an id of a previous
/// page).
pub(super) async fn stopped_before(
    kv: &dyn Kv,
    cluster: &str,
    cutoff_ms: i64,
    after: Option<&str>,
    limit: usize,
) -> Result<Page<StoppedEntry>, StateError> {
    let scope = STOPPED_TASKS.key(&format!("{cluster}/"));
    let after = after.map(|id| STOPPED_TASKS.key(id));
    let range = dated::range_before(scope, cutoff_ms, after.as_deref());
    let decode = |key: &[u8]| StoppedEntry::decode(cluster, key);
    dated::page(kv, &range, limit, decode, StoppedEntry::id).await
}

/// The entry a task stored before the index calls for, read from its few
/// members: one if it is STOPPED.
pub(super) fn backfill_ops(record: &KeyValue) -> Result<Vec<Op>, StateError> {
    let stop = StopMembers::of(record)?;
    let id = super::stored_id(record);
    let (Some(stopped_at_ms), Some((cluster, task_id))) = (stop.stopped_at(), id.split_once('/'))
    else {
        return Ok(Vec::new());
    };
    let entry = StoppedEntry {
        cluster: cluster.to_owned(),
        task_id: task_id.to_owned(),
        stopped_at_ms,
    };
    Ok(vec![entry.put_op()])
}

/// The members of a task record that say whether and when it stopped; the
/// rest of the record is skipped, not decoded.
#[derive(Deserialize)]
pub(super) struct StopMembers {
    last_status: TaskStatus,
    stopped_at_ms: Option<i64>,
}

impl StopMembers {
    pub(super) fn of(record: &KeyValue) -> Result<StopMembers, StateError> {
        serde_json::from_slice(&record.value).map_err(|source| StateError::Corrupt {
            key: String::from_utf8_lossy(&record.key).into_owned(),
            source,
        })
    }

    /// When the task stopped, as its entry records it, if it is STOPPED.
    pub(super) fn stopped_at(&self) -> Option<i64> {
        self.stopped_at_ms
            .filter(|_| self.last_status == TaskStatus::Stopped)
            .map(entry_time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_sort_by_time_and_read_back() {
        let entry = |at| StoppedEntry {
            cluster: "c".to_owned(),
            task_id: "0123abcd".to_owned(),
            stopped_at_ms: at,
        };
        let early = entry(999);
        let late = entry(1_700_000_000_000);
        assert!(early.id() < late.id());
        for entry in [early, late, entry(i64::MAX)] {
            let key = STOPPED_TASKS.key(&entry.id());
            assert_eq!(StoppedEntry::decode("c", &key).expect("decodes"), entry);
        }
        assert_eq!(entry(-5).id(), entry(0).id());
    }

    #[test]
    fn keys_that_are_not_entries_are_corrupt() {
        for bad in [
            "c/12/x",
            "c/notanumber0000000000/x",
            "c/0000000000000000001",
        ] {
            let key = STOPPED_TASKS.key(bad);
            assert!(StoppedEntry::decode("c", &key).is_err(), "{bad}");
        }
    }
}
