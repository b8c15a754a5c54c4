//! The single writer thread of the embedded store: it drains every request
//! queued while the previous commit was being synced, evaluates the txns in
//! order in one redb write transaction (each sees the writes of the earlier
//! ones), commits that transaction durably once, and only then answers them.
//! Concurrency thus turns into larger batches, not more fsyncs.

use std::sync::Arc;
use std::sync::mpsc::Receiver;

use redb::{ReadableTable, Table};
use tokio::sync::oneshot;

use super::codec;
use super::{HISTORY, KV, META, META_HISTORY_BYTES, META_OLDEST, META_REVISION, Shared, backend};
use crate::apply::{self, Outcome, StateView};
use crate::kv::{EventKind, Revision, StoreError, Txn, TxnResult};

/// Work for the writer thread.
pub(super) enum Request {
    Txn {
        txn: Txn,
        reply: oneshot::Sender<Result<TxnResult, StoreError>>,
    },
    Compact {
        revision: Revision,
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
}

/// Most requests, and most bytes of keys and values, one commit carries.
const MAX_BATCH_REQUESTS: usize = 4096;
const MAX_BATCH_BYTES: usize = 32 * 1024 * 1024;

/// Where the writer stands: the last committed revision, the oldest revision
/// whose history is kept and how much history there is.
#[derive(Debug, Clone, Copy)]
pub(super) struct Position {
    pub revision: Revision,
    pub oldest: Revision,
    /// Total encoded size of the kept history.
    pub history_bytes: u64,
}

/// Runs until every sender of `requests` is gone.
pub(super) fn run(shared: Arc<Shared>, requests: Receiver<Request>, mut position: Position) {
    while let Ok(first) = requests.recv() {
        let mut bytes = request_bytes(&first);
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH_REQUESTS && bytes < MAX_BATCH_BYTES {
            match requests.try_recv() {
                Ok(request) => {
                    bytes += request_bytes(&request);
                    batch.push(request);
                }
                Err(_) => break,
            }
        }
        match commit_batch(&shared, &batch, position) {
            Ok((next, outcomes)) => {
                position = next;
                // Published before answering, so a caller that saw its txn
                // succeed also sees its revision in `revision()` and watches.
                shared.published.send_replace(position.revision);
                for (request, outcome) in batch.into_iter().zip(outcomes) {
                    match (request, outcome) {
                        (Request::Txn { reply, .. }, Answer::Txn(result)) => {
                            let _ = reply.send(Ok(result));
                        }
                        (Request::Compact { reply, .. }, _) => {
                            let _ = reply.send(Ok(()));
                        }
                        // Unreachable: `commit_batch` answers a txn with
                        // `Answer::Txn`. Refusing is the safe answer anyway.
                        (Request::Txn { reply, .. }, Answer::Compacted) => {
                            let _ = reply.send(Err(StoreError::Closed));
                        }
                    }
                }
            }
            Err(err) => {
                tracing::error!(error = %err, n_requests = batch.len(), "group commit failed");
                let err = Arc::new(err);
                for request in batch {
                    let failure = || StoreError::Backend {
                        context: "the group commit holding this txn failed".into(),
                        source: Box::new(err.clone()),
                    };
                    match request {
                        Request::Txn { reply, .. } => {
                            let _ = reply.send(Err(failure()));
                        }
                        Request::Compact { reply, .. } => {
                            let _ = reply.send(Err(failure()));
                        }
                    }
                }
                // The failed transaction was dropped, so nothing it wrote
                // stays; a later batch starts again from the committed state.
            }
        }
    }
}

fn request_bytes(request: &Request) -> usize {
    match request {
        Request::Txn { txn, .. } => txn
            .ops
            .iter()
            .map(|op| match op {
                crate::kv::Op::Put { key, value } => key.len() + value.len(),
                crate::kv::Op::Delete { key } => key.len(),
            })
            .sum(),
        Request::Compact { .. } => 0,
    }
}

enum Answer {
    Txn(TxnResult),
    Compacted,
}

/// The kv table seen as the state the next txn of the batch runs against.
struct TableView<'a, 'txn>(&'a Table<'txn, &'static [u8], &'static [u8]>);

impl StateView for TableView<'_, '_> {
    fn load(&mut self, key: &[u8]) -> Result<Option<crate::kv::KeyValue>, StoreError> {
        let guard = self
            .0
            .get(key)
            .map_err(backend("reading a key to commit"))?;
        match guard {
            Some(bytes) => Ok(Some(codec::decode_entry(key, bytes.value())?)),
            None => Ok(None),
        }
    }
}

fn commit_batch(
    shared: &Shared,
    batch: &[Request],
    start: Position,
) -> Result<(Position, Vec<Answer>), StoreError> {
    let mut position = start;
    let mut answers = Vec::with_capacity(batch.len());
    let mut write = shared
        .db
        .begin_write()
        .map_err(backend("starting a commit"))?;
    write
        .set_durability(redb::Durability::Immediate)
        .map_err(|err| StoreError::Backend {
            context: "requesting a durable commit".into(),
            source: Box::new(err),
        })?;
    {
        let mut kv = write
            .open_table(KV)
            .map_err(backend("opening the kv table"))?;
        let mut history = write
            .open_table(HISTORY)
            .map_err(backend("opening the history table"))?;
        let mut meta = write
            .open_table(META)
            .map_err(backend("opening the meta table"))?;
        let mut new_revisions = 0u64;
        for request in batch {
            match request {
                Request::Txn { txn, .. } => {
                    let next = position.revision + 1;
                    let outcome = apply::evaluate(&mut TableView(&kv), txn, next)?;
                    let result = match outcome {
                        Outcome::Failed(idx) => TxnResult {
                            succeeded: false,
                            revision: position.revision,
                            failed_compare: Some(idx),
                        },
                        Outcome::Applied(events) if events.is_empty() => TxnResult {
                            succeeded: true,
                            revision: position.revision,
                            failed_compare: None,
                        },
                        Outcome::Applied(events) => {
                            for event in &events {
                                let key = event.kv.key.as_slice();
                                match event.kind {
                                    EventKind::Put => {
                                        let entry = codec::encode_entry(&event.kv);
                                        kv.insert(key, entry.as_slice())
                                            .map_err(backend("writing a key"))?;
                                    }
                                    EventKind::Delete => {
                                        kv.remove(key).map_err(backend("deleting a key"))?;
                                    }
                                }
                            }
                            let encoded = codec::encode_events(&events);
                            history
                                .insert(next, encoded.as_slice())
                                .map_err(backend("writing history"))?;
                            position.revision = next;
                            position.history_bytes += encoded.len() as u64;
                            new_revisions += 1;
                            TxnResult {
                                succeeded: true,
                                revision: next,
                                failed_compare: None,
                            }
                        }
                    };
                    answers.push(Answer::Txn(result));
                }
                Request::Compact { revision, .. } => {
                    let target = (*revision).min(position.revision + 1);
                    trim_history(&mut history, &mut position, |p| p.oldest < target)?;
                    answers.push(Answer::Compacted);
                }
            }
        }
        // Bounded retention, by revisions and by bytes (always keeping the
        // latest revision). Each batch drops at most a little more than it
        // added, so an overdue compaction never stalls one commit for long.
        let keep_from = (position.revision + 1).saturating_sub(shared.history_revisions);
        let mut budget = new_revisions + 1024;
        trim_history(&mut history, &mut position, |p| {
            budget = budget.saturating_sub(1);
            budget > 0
                && (p.oldest < keep_from
                    || (p.history_bytes > shared.history_max_bytes && p.oldest < p.revision))
        })?;
        if position.revision != start.revision {
            meta.insert(META_REVISION, position.revision)
                .map_err(backend("writing the revision"))?;
        }
        if position.oldest != start.oldest {
            meta.insert(META_OLDEST, position.oldest)
                .map_err(backend("writing the oldest revision"))?;
        }
        if position.history_bytes != start.history_bytes {
            meta.insert(META_HISTORY_BYTES, position.history_bytes)
                .map_err(backend("writing the history size"))?;
        }
    }
    write.commit().map_err(backend("committing"))?;
    Ok((position, answers))
}

/// Removes the oldest kept revision's history while `more` holds (and some
/// history is left), advancing the oldest kept revision. Every revision has
/// exactly one history row, so the oldest row is always at `position.oldest`.
fn trim_history(
    history: &mut Table<'_, u64, &'static [u8]>,
    position: &mut Position,
    mut more: impl FnMut(&Position) -> bool,
) -> Result<(), StoreError> {
    while position.oldest <= position.revision && more(position) {
        let removed = history
            .remove(position.oldest)
            .map_err(backend("compacting history"))?;
        if let Some(bytes) = removed {
            position.history_bytes = position
                .history_bytes
                .saturating_sub(bytes.value().len() as u64);
        }
        position.oldest += 1;
    }
    Ok(())
}
