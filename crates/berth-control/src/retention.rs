//! Removes STOPPED tasks once their retention has passed, so DescribeTasks
//! shows them for the promised time and the store does not grow forever.

use berth_state::tasks::{TASKS, task_key};
use berth_store::Txn;

use crate::{Control, ControlError};

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
                let mut after_task: Option<String> = None;
                loop {
                    let expired = self
                        .state
                        .tasks
                        .stopped_before(name, cutoff, after_task.as_deref(), 1000)
                        .await?;
                    for (task_id, read_at) in &expired.items {
                        let key = task_key(name, task_id);
                        // A task changed since the scan is left for the next pass.
                        let txn = Txn {
                            compares: vec![TASKS.unchanged(&key, *read_at)],
                            ops: vec![TASKS.delete_op(&key)],
                        };
                        if self.state.commit(txn).await? {
                            n_deleted += 1;
                        }
                    }
                    match expired.next_after {
                        Some(next) => after_task = Some(next),
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
}
