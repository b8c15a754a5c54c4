//! Entering the tasks a store held before one of the derived task indexes
//! existed, once per store and index.

use berth_store::{KeyRange, KeyValue, Kv, Op, Revision, Txn};

use super::TASKS;
use crate::{StateError, Table};

/// Store-wide marks, by name.
const MARKS: Table<()> = Table::new("ecs/meta/");

/// Writes `entries_of(record)` for every stored task record that calls for
/// any, unless `mark` says this was done; then sets `mark`. Each record's
/// entries are written only if it is unchanged since it was read (one
/// changed meanwhile is read again), so no entry outlives the state it was
/// derived from. Returns how many records got entries.
pub(super) async fn backfill(
    kv: &dyn Kv,
    mark: &str,
    entries_of: impl Fn(&KeyValue) -> Result<Vec<Op>, StateError>,
) -> Result<usize, StateError> {
    if MARKS.get(kv, mark).await?.is_some() {
        return Ok(0);
    }
    let prefix = TASKS.key("");
    let mut range = KeyRange::prefix(prefix.clone());
    let mut entered = 0;
    loop {
        let page = kv.range(&range, 100).await?;
        for record in &page.kvs {
            let id = String::from_utf8_lossy(&record.key[prefix.len()..]).into_owned();
            if enter(kv, &id, record, &entries_of).await? {
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
        ops: vec![MARKS.put_op(mark, &())],
    })
    .await?;
    Ok(entered)
}

/// Writes the entries of task `id` (`<cluster>/<task id>`), read as
/// `record`, compared on its revision and read again when it changed;
/// whether it had any.
async fn enter(
    kv: &dyn Kv,
    id: &str,
    record: &KeyValue,
    entries_of: &impl Fn(&KeyValue) -> Result<Vec<Op>, StateError>,
) -> Result<bool, StateError> {
    let mut ops = entries_of(record)?;
    let mut read_at: Revision = record.mod_revision;
    for _ in 0..crate::MAX_CAS_ATTEMPTS {
        if ops.is_empty() {
            return Ok(false);
        }
        let txn = Txn {
            compares: vec![TASKS.unchanged(id, read_at)],
            ops,
        };
        if kv.txn(txn).await?.succeeded {
            return Ok(true);
        }
        let Some(current) = kv.get(&TASKS.key(id)).await? else {
            return Ok(false);
        };
        ops = entries_of(&current)?;
        read_at = current.mod_revision;
    }
    Err(StateError::Contention {
        key: format!("the index entries of task {id}"),
    })
}
