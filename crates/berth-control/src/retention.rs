//! Removes STOPPED tasks once their retention has passed, so DescribeTasks
//! shows them for the promised time and the store does not grow forever;
//! and RunTask client tokens once they expire, for the same reason.

use berth_state::StateError;
use berth_state::tasks::{CLIENT_TOKENS, StoppedEntry, TASKS, TokenEntry, task_key};
use berth_store::Txn;

use crate::{Control, ControlError};

/// Entries of the stopped-task index read at a time.
const PAGE: usize = 1000;

impl Control {
    /// One pass: deletes every STOPPED task stopped longer ago than the
    /// retention. Returns how many were deleted. Reads the index of stopped
    /// tasks only as far as the cutoff, so a pass costs what it removes,
    /// not what is stored.
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
                    for (_, entry) in &expired.items {
                        if self.expire(entry).await? {
                            n_deleted += 1;
                        }
                    }
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

    /// Deletes the task of `entry` with the entry; whether it did. An entry
    /// its task does not call for (the task is gone, or stopped at another
    /// time) is deleted alone. Either is compared on the task as read, so a
    /// task changed since is left for the next pass.
    async fn expire(&self, entry: &StoppedEntry) -> Result<bool, ControlError> {
        let key = task_key(&entry.cluster, &entry.task_id);
        let stop = match self
            .state
            .tasks
            .stop_time(&entry.cluster, &entry.task_id)
            .await
        {
            Ok(stop) => stop,
            // One unreadable record must not stop every later pass.
            Err(StateError::Corrupt { key, source }) => {
                tracing::error!(%key, error = %source, "retention cannot read a stopped task; it stays");
                return Ok(false);
            }
            Err(other) => return Err(other.into()),
        };
        let (stopped_at, read_at) = stop.unwrap_or((None, 0));
        let expires = stopped_at == Some(entry.stopped_at_ms);
        let mut ops = vec![entry.delete_op()];
        if expires {
            ops.push(TASKS.delete_op(&key));
        }
        let txn = Txn {
            // Revision 0 compares on the task still being absent.
            compares: vec![TASKS.unchanged(&key, read_at)],
            ops,
        };
        Ok(self.state.commit(txn).await? && expires)
    }

    /// One pass: deletes every RunTask client token first used longer ago
    /// than the tokens' time to live, so a retry with it runs new tasks.
    /// Returns how many were deleted. Reads the index of tokens only as far
    /// as the cutoff.
    pub async fn expire_client_tokens(&self) -> Result<usize, ControlError> {
        let cutoff = self.clock.now_millis() - self.config.client_token_ttl_ms;
        let mut n_deleted = 0;
        let mut after: Option<String> = None;
        loop {
            let expired = self
                .state
                .tasks
                .client_tokens_created_before(cutoff, after.as_deref(), PAGE)
                .await?;
            for (_, entry) in &expired.items {
                if self.expire_token(entry).await? {
                    n_deleted += 1;
                }
            }
            match expired.next_after {
                Some(next) => after = Some(next),
                None => return Ok(n_deleted),
            }
        }
    }

    /// Deletes the token of `entry` with the entry; whether it did. An entry
    /// whose token is gone, or was used again since it expired (and has an
    /// entry of its own), is deleted alone. Compared on the token as read.
    async fn expire_token(&self, entry: &TokenEntry) -> Result<bool, ControlError> {
        let key = task_key(&entry.cluster, &entry.token);
        let stored = match self
            .state
            .tasks
            .client_token(&entry.cluster, &entry.token)
            .await
        {
            Ok(stored) => stored,
            Err(StateError::Corrupt { key, source }) => {
                tracing::error!(%key, error = %source, "token expiry cannot read a client token; it stays");
                return Ok(false);
            }
            Err(other) => return Err(other.into()),
        };
        let (expires, read_at) = match &stored {
            Some((record, read_at)) => (entry.dates(record), *read_at),
            None => (false, 0),
        };
        let mut ops = vec![entry.delete_op()];
        if expires {
            ops.push(CLIENT_TOKENS.delete_op(&key));
        }
        let txn = Txn {
            // Revision 0 compares on the token still being absent.
            compares: vec![CLIENT_TOKENS.unchanged(&key, read_at)],
            ops,
        };
        Ok(self.state.commit(txn).await? && expires)
    }
}
