//! Removes STOPPED tasks once their retention has passed, so DescribeTasks
//! shows them for the promised time and the store does not grow forever;
//! and RunTask client tokens once they expire, for the same reason.
//!
//! Both read an index whose keys begin with a time, only as far as the
//! cutoff, so a pass costs what it removes, not what is stored.

use std::collections::HashSet;

use berth_state::StateError;
use berth_state::tasks::{CLIENT_TOKENS, StoppedEntry, TASKS, TokenEntry, task_key};
use berth_store::{Compare, Condition, Op, Revision, Txn};

use crate::{Control, ControlError};

/// Index entries read at a time.
const PAGE: usize = 1000;

/// An index entry to remove, with the record it stands for when that goes
/// too; both compared on the record as read.
struct Removal {
    /// Holds while the record is as read (revision 0: still absent).
    unchanged: Compare,
    /// The entry's delete, then the record's when it goes.
    ops: Vec<Op>,
}

impl Removal {
    /// Removes `entry_delete`, and the record under `record_key` if
    /// `record_goes`, compared on the record's mod revision `read_at`.
    fn new(entry_delete: Op, record_key: Vec<u8>, read_at: Revision, record_goes: bool) -> Self {
        let mut ops = vec![entry_delete];
        if record_goes {
            ops.push(Op::Delete {
                key: record_key.clone(),
            });
        }
        Removal {
            unchanged: Compare {
                key: record_key,
                condition: Condition::ModRevision(read_at),
            },
            ops,
        }
    }

    fn removes_record(&self) -> bool {
        self.ops.len() > 1
    }

    fn op_count(&self) -> usize {
        1 + self.ops.len()
    }

    fn bytes(&self) -> usize {
        self.unchanged.key.len() + self.ops.iter().map(Op::bytes).sum::<usize>()
    }
}

impl Control {
    /// One pass: deletes every STOPPED task stopped longer ago than the
    /// retention. Returns how many were deleted.
    pub async fn expire_stopped_tasks(&self) -> Result<usize, ControlError> {
        let cutoff = self.clock.now_millis() - self.config.stopped_task_retention_ms;
        let mut n_deleted = 0;
        let mut after: Option<String> = None;
        loop {
            let page = self.state.clusters.list_all(after.as_deref(), 100).await?;
            for (name, _) in &page.items {
                let mut after_entry: Option<String> = None;
                loop {
                    let expired = self
                        .state
                        .tasks
                        .stopped_before(name, cutoff, after_entry.as_deref(), PAGE)
                        .await?;
                    let mut removals = Vec::with_capacity(expired.items.len());
                    for (_, entry) in &expired.items {
                        removals.extend(self.stopped_task_removal(entry).await?);
                    }
                    n_deleted += self.remove(removals).await?;
                    match expired.next_after {
                        Some(next) => after_entry = Some(next),
                        None => break,
                    }
                }
            }
            match page.next_after {
                Some(next) => after = Some(next),
                None => return Ok(n_deleted),
            }
        }
    }

    /// The removal of `entry`: with its task, if the entry still stands for
    /// it; alone if the task is gone or stopped at another time. `None` for
    /// a task record that cannot be read.
    async fn stopped_task_removal(
        &self,
        entry: &StoppedEntry,
    ) -> Result<Option<Removal>, ControlError> {
        let read = self
            .state
            .tasks
            .stop_time(&entry.cluster, &entry.task_id)
            .await;
        let Some(stop) = unless_unreadable(read)? else {
            return Ok(None);
        };
        let (stopped_at, read_at) = stop.unwrap_or((None, 0));
        let key = TASKS.key(&task_key(&entry.cluster, &entry.task_id));
        let goes = stopped_at == Some(entry.stopped_at_ms);
        Ok(Some(Removal::new(entry.delete_op(), key, read_at, goes)))
    }

    /// One pass: deletes every RunTask client token first used longer ago
    /// than the tokens' time to live, so a retry with it runs new tasks.
    /// Returns how many were deleted.
    pub async fn expire_client_tokens(&self) -> Result<usize, ControlError> {
        let cutoff = self.clock.now_millis() - self.config.client_token_ttl_ms;
        let mut n_deleted = 0;
        let mut after: Option<String> = None;
        loop {
            let expired = self
                .state
                .tasks
                .client_tokens_first_used_before(cutoff, after.as_deref(), PAGE)
                .await?;
            let mut removals = Vec::with_capacity(expired.items.len());
            for (_, entry) in &expired.items {
                removals.extend(self.client_token_removal(entry).await?);
            }
            n_deleted += self.remove(removals).await?;
            match expired.next_after {
                Some(next) => after = Some(next),
                None => return Ok(n_deleted),
            }
        }
    }

    /// The removal of `entry`: with its token, if the entry stands for it;
    /// alone if the token is gone or was used again after it expired (and
    /// has an entry of its own). `None` for a token record that cannot be
    /// read.
    async fn client_token_removal(
        &self,
        entry: &TokenEntry,
    ) -> Result<Option<Removal>, ControlError> {
        let read = self
            .state
            .tasks
            .client_token(&entry.cluster, &entry.token)
            .await;
        let Some(stored) = unless_unreadable(read)? else {
            return Ok(None);
        };
        let (goes, read_at) = match &stored {
            Some((record, read_at)) => (entry.is_entry_of(record), *read_at),
            None => (false, 0),
        };
        let key = CLIENT_TOKENS.key(&task_key(&entry.cluster, &entry.token));
        Ok(Some(Removal::new(entry.delete_op(), key, read_at, goes)))
    }

    /// Commits `removals`, as many to a transaction as the store takes; a
    /// transaction whose compares fail goes again one removal at a time, so
    /// a record changed since it was read waits for the next pass alone.
    /// Returns how many records went.
    async fn remove(&self, removals: Vec<Removal>) -> Result<usize, ControlError> {
        let limits = self.state.kv.limits();
        let mut n_removed = 0;
        let mut removals = removals.into_iter().peekable();
        while removals.peek().is_some() {
            let mut batch = Vec::new();
            let (mut count, mut bytes) = (0, 0);
            // Two entries of one record (a token entered twice) go in
            // separate transactions, as etcd refuses a transaction that
            // writes one key twice.
            let mut records = HashSet::new();
            while let Some(next) = removals.peek() {
                let fits = count + next.op_count() <= limits.max_txn_ops
                    && bytes + next.bytes() <= limits.max_txn_bytes
                    && !records.contains(&next.unchanged.key);
                if !batch.is_empty() && !fits {
                    break;
                }
                count += next.op_count();
                bytes += next.bytes();
                records.insert(next.unchanged.key.clone());
                batch.extend(removals.next());
            }
            n_removed += self.commit_removals(batch).await?;
        }
        Ok(n_removed)
    }

    /// Commits `batch` in one transaction, or one removal at a time if its
    /// compares fail; how many records went.
    async fn commit_removals(&self, batch: Vec<Removal>) -> Result<usize, ControlError> {
        if batch.len() > 1 {
            let together = Txn {
                compares: batch.iter().map(|r| r.unchanged.clone()).collect(),
                ops: batch.iter().flat_map(|r| r.ops.iter().cloned()).collect(),
            };
            if self.state.commit(together).await? {
                return Ok(batch.iter().filter(|r| r.removes_record()).count());
            }
        }
        let mut n_removed = 0;
        for removal in batch {
            let removes_record = removal.removes_record();
            let txn = Txn {
                compares: vec![removal.unchanged],
                ops: removal.ops,
            };
            if self.state.commit(txn).await? && removes_record {
                n_removed += 1;
            }
        }
        Ok(n_removed)
    }
}

/// What `read` read, or `None` when the record is unreadable: one such
/// record must not stop every later pass, so it stays, logged.
fn unless_unreadable<T>(read: Result<T, StateError>) -> Result<Option<T>, ControlError> {
    match read {
        Ok(value) => Ok(Some(value)),
        Err(StateError::Corrupt { key, source }) => {
            tracing::error!(%key, error = %source, "an expiry pass cannot read a record; it stays");
            Ok(None)
        }
        Err(other) => Err(other.into()),
    }
}
