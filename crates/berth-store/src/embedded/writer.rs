//! The single writer thread of the embedded store: it drains every request
//! queued while the previous commit was being synced, evaluates the txns in
//! order in one redb write transaction (each sees the writes of the earlier
//! ones), commits that transaction durably once, and only then records their
//! events in the watch history, publishes the revision and answers them.
//! Concurrency thus turns into larger batches, not more fsyncs.

use std::sync::Arc;
use std::sync::mpsc::Receiver;

use redb::{ReadableTable, Table};
use tokio::sync::oneshot;

use super::codec;
use super::{KV, META, META_REVISION, Shared, backend};
use crate::apply::{self, Outcome, Stamp, StateView};
use crate::kv::{Event, EventKind, Revision, StoreError, Txn, TxnResult};

/// A txn for the writer thread, and where its answer goes.
pub(super) struct Request {
    pub txn: Txn,
    pub reply: oneshot::Sender<Result<TxnResult, StoreError>>,
}

/// Most requests, and most bytes of keys and values, one commit carries.
const MAX_BATCH_REQUESTS: usize = 4096;
const MAX_BATCH_BYTES: usize = 32 * 1024 * 1024;

/// Runs until every sender of `requests` is gone. `revision` is the last
/// committed one.
pub(super) fn run(shared: Arc<Shared>, requests: Receiver<Request>, mut revision: Revision) {
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
        match commit_batch(&shared, &batch, revision) {
            Ok(Committed { results, events }) => {
                {
                    let mut history = shared.history();
                    for (at, commit_events) in events {
                        history.record(at, commit_events);
                        revision = at;
                    }
                }
                // Published before answering, so a caller that saw its txn
                // succeed also sees its revision in `revision()` and watches.
                shared.published.send_replace(revision);
                for (request, result) in batch.into_iter().zip(results) {
                    let _ = request.reply.send(Ok(result));
                }
            }
            Err(err) => {
                tracing::error!(error = %err, n_requests = batch.len(), "group commit failed");
                let err = Arc::new(err);
                for request in batch {
                    let _ = request.reply.send(Err(StoreError::Backend {
                        context: "the group commit holding this txn failed".into(),
                        source: Box::new(err.clone()),
                    }));
                }
                // The failed transaction was dropped, so nothing it wrote
                // stays; a later batch starts again from the committed state.
            }
        }
    }
}

fn request_bytes(request: &Request) -> usize {
    request
        .txn
        .ops
        .iter()
        .map(|op| match op {
            crate::kv::Op::Put { key, value } => key.len() + value.len(),
            crate::kv::Op::Delete { key } => key.len(),
        })
        .sum()
}

/// What a durable group commit did: each txn's result, and the events of
/// each new revision, in order.
struct Committed {
    results: Vec<TxnResult>,
    events: Vec<(Revision, Vec<Event>)>,
}

/// The kv table seen as the state the next txn of the batch runs against.
struct TableView<'a, 'txn>(&'a Table<'txn, &'static [u8], &'static [u8]>);

impl StateView for TableView<'_, '_> {
    fn load(&mut self, key: &[u8]) -> Result<Option<Stamp>, StoreError> {
        let guard = self
            .0
            .get(key)
            .map_err(backend("reading a key to commit"))?;
        match guard {
            Some(bytes) => Ok(Some(codec::decode_stamp(bytes.value())?)),
            None => Ok(None),
        }
    }
}

fn commit_batch(
    shared: &Shared,
    batch: &[Request],
    start: Revision,
) -> Result<Committed, StoreError> {
    let mut revision = start;
    let mut results = Vec::with_capacity(batch.len());
    let mut events_by_revision = Vec::new();
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
        for request in batch {
            let next = revision + 1;
            let outcome = apply::evaluate(&mut TableView(&kv), &request.txn, next)?;
            let result = match outcome {
                Outcome::Failed(idx) => TxnResult {
                    succeeded: false,
                    revision,
                    failed_compare: Some(idx),
                },
                Outcome::Applied(events) if events.is_empty() => TxnResult {
                    succeeded: true,
                    revision,
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
                    events_by_revision.push((next, events));
                    revision = next;
                    TxnResult {
                        succeeded: true,
                        revision: next,
                        failed_compare: None,
                    }
                }
            };
            results.push(result);
        }
        if revision != start {
            let mut meta = write
                .open_table(META)
                .map_err(backend("opening the meta table"))?;
            meta.insert(META_REVISION, revision)
                .map_err(backend("writing the revision"))?;
        }
    }
    write.commit().map_err(backend("committing"))?;
    Ok(Committed {
        results,
        events: events_by_revision,
    })
}
