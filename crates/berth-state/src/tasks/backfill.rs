//! Entering the tasks a store held before one of the derived task indexes
//! existed, once per store and index.

use berth_store::{Compare, Condition, KeyRange, KeyValue, Kv, Op, Txn};

use super::TASKS;
use crate::{StateError, Table};

/// Store-wide marks, by name.
const MARKS: Table<()> = Table::new("ecs/meta/");

/// Task records read, and entered, per transaction.
const BATCH: usize = 100;

/// Writes `entries_of(record)` for every stored task record that calls for
/// any, unless `mark` says this was done; then sets `mark`. Each record's
/// entries are written only if it is unchanged since it was read (one
/// changed meanwhile is read again), so no entry outlives the state it was
/// derived from. Returns how many records had entries written.
///
/// The records of one page are entered in one transaction, so a store of
/// many tasks costs a commit per hundred, not one each; only when another
/// writer changed one of them meanwhile does the page go one by one.
pub(super) async fn backfill(
    kv: &dyn Kv,
    mark: &str,
    entries_of: impl Fn(&KeyValue) -> Result<Vec<Op>, StateError>,
) -> Result<usize, StateError> {
    if MARKS.get(kv, mark).await?.is_some() {
        return Ok(0);
    }
    let limits = kv.limits();
    let prefix = TASKS.key("");
    let mut range = KeyRange::prefix(prefix.clone());
    let mut entered = 0;
    loop {
        let page = kv.range(&range, BATCH).await?;
        let mut pending = Pending::default();
        for record in &page.kvs {
            let ops = entries_of(record)?;
            if ops.is_empty() {
                continue;
            }
            let bytes = record.key.len() + ops.iter().map(op_bytes).sum::<usize>();
            let count = 1 + ops.len();
            if !pending.records.is_empty()
                && (pending.count + count > limits.max_txn_ops
                    || pending.bytes + bytes > limits.max_txn_bytes)
            {
                entered += pending.commit(kv, &entries_of).await?;
            }
            pending.add(record, ops, count, bytes);
        }
        entered += pending.commit(kv, &entries_of).await?;
        match page.kvs.last() {
            Some(last) if page.more => range = KeyRange::prefix_after(prefix.clone(), &last.key),
            _ => break,
        }
    }
    kv.txn(Txn {
        compares: Vec::new(),
        ops: vec![MARKS.put_op(mark, &())],
    })
    .await?;
    Ok(entered)
}

/// Records whose entries go in one transaction, each compared as read.
#[derive(Default)]
struct Pending<'a> {
    records: Vec<&'a KeyValue>,
    txn: Txn,
    count: usize,
    bytes: usize,
}

impl<'a> Pending<'a> {
    fn add(&mut self, record: &'a KeyValue, ops: Vec<Op>, count: usize, bytes: usize) {
        self.txn.compares.push(compare_unchanged(record));
        self.txn.ops.extend(ops);
        self.records.push(record);
        self.count += count;
        self.bytes += bytes;
    }

    /// Commits what is pending, record by record if one changed since it
    /// was read; how many records had entries written.
    async fn commit(
        &mut self,
        kv: &dyn Kv,
        entries_of: &impl Fn(&KeyValue) -> Result<Vec<Op>, StateError>,
    ) -> Result<usize, StateError> {
        let Pending { records, txn, .. } = std::mem::take(self);
        if records.is_empty() {
            return Ok(0);
        }
        if kv.txn(txn).await?.succeeded {
            return Ok(records.len());
        }
        let mut entered = 0;
        for record in records {
            if enter(kv, record, entries_of).await? {
                entered += 1;
            }
        }
        Ok(entered)
    }
}

/// The bytes `op` counts toward a transaction's limit.
fn op_bytes(op: &Op) -> usize {
    match op {
        Op::Put { key, value } => key.len() + value.len(),
        Op::Delete { key } => key.len(),
    }
}

/// A compare that holds while `record` is as read.
fn compare_unchanged(record: &KeyValue) -> Compare {
    Compare {
        key: record.key.clone(),
        condition: Condition::ModRevision(record.mod_revision),
    }
}

/// Writes the entries of the task stored as `record`, compared on its
/// revision and read again when it changed; whether it had any.
async fn enter(
    kv: &dyn Kv,
    record: &KeyValue,
    entries_of: &impl Fn(&KeyValue) -> Result<Vec<Op>, StateError>,
) -> Result<bool, StateError> {
    let mut current = record.clone();
    for _ in 0..crate::MAX_CAS_ATTEMPTS {
        let ops = entries_of(&current)?;
        if ops.is_empty() {
            return Ok(false);
        }
        let txn = Txn {
            compares: vec![compare_unchanged(&current)],
            ops,
        };
        if kv.txn(txn).await?.succeeded {
            return Ok(true);
        }
        match kv.get(&current.key).await? {
            Some(again) => current = again,
            None => return Ok(false),
        }
    }
    Err(StateError::Contention {
        key: String::from_utf8_lossy(&record.key).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use berth_store::{KeyRange, Kv, MemoryKv, Op, Txn};

    use crate::tasks::{IndexedTasks, RUNNING_TASKS, STOPPED_TASKS, TaskRepo};

    /// A task record as a store from before the indexes holds it, with the
    /// members the indexes read.
    fn record(id: usize, stopped: bool) -> Op {
        let (desired, last, stopped_at) = if stopped {
            ("stopped", "stopped", format!("{}", 1_000 + id))
        } else {
            ("running", "running", "null".to_owned())
        };
        let json = format!(
            r#"{{"family":"web","started_by":null,"container_instance_id":"i","launch_type":"ec2","desired_status":"{desired}","last_status":"{last}","stopped_at_ms":{stopped_at}}}"#
        );
        Op::Put {
            key: super::TASKS.key(&format!("c/{id:032x}")),
            value: json.into_bytes(),
        }
    }

    async fn count(kv: &dyn Kv, prefix: Vec<u8>) -> usize {
        kv.range(&KeyRange::prefix(prefix), 0)
            .await
            .expect("range")
            .kvs
            .len()
    }

    #[tokio::test]
    async fn stores_of_many_tasks_are_entered_in_transactions_within_the_limits() {
        // MemoryKv keeps etcd's limit of 128 compares and ops a transaction,
        // so the 100 records of a page need more than one.
        let kv: Arc<dyn Kv> = Arc::new(MemoryKv::new());
        let ops: Vec<Op> = (0..250).map(|id| record(id, id % 5 != 0)).collect();
        for chunk in ops.chunks(100) {
            let txn = Txn {
                compares: Vec::new(),
                ops: chunk.to_vec(),
            };
            kv.txn(txn).await.expect("txn");
        }
        let before = kv.revision().await.expect("revision");
        let tasks = TaskRepo::new(kv.clone());
        let indexed = tasks.index_stored_tasks().await.expect("indexing");
        assert_eq!(
            indexed,
            IndexedTasks {
                running: 50,
                stopped: 200
            }
        );
        assert_eq!(count(&*kv, RUNNING_TASKS.key("")).await, 50);
        assert_eq!(count(&*kv, STOPPED_TASKS.key("")).await, 200);
        // Three pages for each index, each of them committed in two
        // transactions at most, and one mark each.
        let commits = kv.revision().await.expect("revision") - before;
        assert!(commits <= 2 * (3 * 2 + 1), "{commits} commits");
        assert_eq!(
            tasks.index_stored_tasks().await.expect("indexing"),
            IndexedTasks::default()
        );
    }
}
