//! Entering the records a store held before one of the derived indexes
//! (of tasks, or of client tokens) existed, once per store and index.

use berth_store::{Compare, Condition, KeyRange, KeyValue, Kv, Op, Txn};

use crate::{StateError, Table};

/// Store-wide marks, by name.
const MARKS: Table<()> = Table::new("ecs/meta/");

/// Records read, and entered, per transaction.
const BATCH: usize = 100;

/// Writes `entries_of(record)` for every record under `prefix` that calls
/// for any, unless `mark` says this was done; then sets `mark`. Each record's
/// entries are written only if it is unchanged since it was read (one
/// changed meanwhile is read again), so no entry outlives the state it was
/// derived from. Returns how many records had entries written.
///
/// The records of one page are entered in one transaction, so a store of
/// many records costs a commit per hundred, not one each; only when another
/// writer changed one of them meanwhile does the page go one by one.
pub(super) async fn backfill(
    kv: &dyn Kv,
    mark: &str,
    prefix: Vec<u8>,
    entries_of: impl Fn(&KeyValue) -> Result<Vec<Op>, StateError>,
) -> Result<usize, StateError> {
    if MARKS.get(kv, mark).await?.is_some() {
        return Ok(0);
    }
    let limits = kv.limits();
    let mut range = KeyRange::prefix(prefix);
    let mut entered = 0;
    loop {
        let page = kv.range(&range, BATCH).await?;
        let mut pending = Pending::default();
        for record in &page.kvs {
            let ops = entries_of(record)?;
            if ops.is_empty() {
                continue;
            }
            let bytes = record.key.len() + ops.iter().map(Op::bytes).sum::<usize>();
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
        match range.rest_after(&page) {
            Some(rest) => range = rest,
            None => break,
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

/// A compare that holds while `record` is as read.
fn compare_unchanged(record: &KeyValue) -> Compare {
    Compare {
        key: record.key.clone(),
        condition: Condition::ModRevision(record.mod_revision),
    }
}

/// Writes the entries of the record stored as `record`, compared on its
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
        key: format!(
            "the index entries of {}",
            String::from_utf8_lossy(&record.key)
        ),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use berth_store::{KeyRange, Kv, Limits, MemoryKv, Op, Txn};

    use crate::tasks::{IndexedTasks, RUNNING_TASKS, STOPPED_TASKS, TaskRepo};

    /// A task record as a store from before the indexes holds it, with the
    /// members the indexes read; a stopped one stopped at `1_000 + id`.
    fn record(id: usize, stopped: bool) -> Op {
        Op::Put {
            key: crate::tasks::TASKS.key(&format!("c/{id:032x}")),
            value: record_value(id, stopped),
        }
    }

    fn record_value(id: usize, stopped: bool) -> Vec<u8> {
        let (desired, last, stopped_at) = if stopped {
            ("stopped", "stopped", format!("{}", 1_000 + id))
        } else {
            ("running", "running", "null".to_owned())
        };
        format!(
            r#"{{"family":"web","started_by":null,"container_instance_id":"i","launch_type":"ec2","desired_status":"{desired}","last_status":"{last}","stopped_at_ms":{stopped_at}}}"#
        )
        .into_bytes()
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
        // Running: three pages of 20, 20 and 10 entries, a transaction each.
        // Stopped: pages of 80, 80 and 40 entries, a compare and an op each,
        // so the first two go as 64 + 16 under the 128-op limit. And a mark
        // for each index.
        let commits = kv.revision().await.expect("revision") - before;
        assert_eq!(commits, 3 + 5 + 2);
        assert_eq!(
            tasks.index_stored_tasks().await.expect("indexing"),
            IndexedTasks::default()
        );
    }

    #[tokio::test]
    async fn a_page_changed_since_it_was_read_is_entered_record_by_record() {
        let kv: Arc<dyn Kv> = Arc::new(MemoryKv::new());
        let txn = Txn {
            compares: Vec::new(),
            ops: (0..3).map(|id| record(id, true)).collect(),
        };
        kv.txn(txn).await.expect("txn");
        let page = kv
            .range(&KeyRange::prefix(crate::tasks::TASKS.key("")), 0)
            .await
            .expect("range");
        // Since the page was read: task 0 stopped at another time (as no
        // writer does, so the entry shows which state was used), task 1 is gone.
        let moved = Op::Put {
            key: page.kvs[0].key.clone(),
            value: record_value(1_000, true),
        };
        let gone = Op::Delete {
            key: page.kvs[1].key.clone(),
        };
        let txn = Txn {
            compares: Vec::new(),
            ops: vec![moved, gone],
        };
        kv.txn(txn).await.expect("txn");

        let mut pending = super::Pending::default();
        for record in &page.kvs {
            let ops = super::super::stopped::backfill_ops(record).expect("ops");
            pending.add(record, ops, 2, 0);
        }
        let entered = pending
            .commit(&*kv, &super::super::stopped::backfill_ops)
            .await
            .expect("commit");
        assert_eq!(entered, 2);
        let entries = kv
            .range(&KeyRange::prefix(STOPPED_TASKS.key("")), 0)
            .await
            .expect("range");
        let times: Vec<String> = entries
            .kvs
            .iter()
            .map(|kv| String::from_utf8_lossy(&kv.key).into_owned())
            .collect();
        assert_eq!(times.len(), 2, "{times:?}");
        // Task 0 entered at the stop time it has now, task 2 as read.
        assert!(
            times
                .iter()
                .any(|key| key.contains(&format!("/{:019}/", 2_000)))
        );
        assert!(
            times
                .iter()
                .any(|key| key.contains(&format!("/{:019}/", 1_002)))
        );
    }

    #[tokio::test]
    async fn pages_split_by_bytes_too() {
        let limits = Limits {
            max_txn_bytes: 1_000,
            ..Limits::default()
        };
        let kv: Arc<dyn Kv> = Arc::new(MemoryKv::with_options(limits, 1_000));
        for ids in (0..20).collect::<Vec<_>>().chunks(3) {
            let txn = Txn {
                compares: Vec::new(),
                ops: ids.iter().map(|id| record(*id, true)).collect(),
            };
            kv.txn(txn).await.expect("txn");
        }
        let before = kv.revision().await.expect("revision");
        let tasks = TaskRepo::new(kv.clone());
        let indexed = tasks.index_stored_tasks().await.expect("indexing");
        assert_eq!(indexed.stopped, 20);
        assert_eq!(count(&*kv, STOPPED_TASKS.key("")).await, 20);
        // A record's compare (44 bytes) and entry (76) take 120 of the
        // 1,000 bytes a transaction may carry: 8 records a transaction, so
        // the one page of 20 goes in three. And a mark for each index.
        let commits = kv.revision().await.expect("revision") - before;
        assert_eq!(commits, 3 + 2);
    }
}
