//! The single writer thread of the embedded store: it drains every request
//! queued while the previous commit was being synced, evaluates the txns in
//! order in one redb write transaction (each sees the writes of the earlier
//! ones), makes their changes durable with one write-ahead log record, commits
//! the transaction, and only then records their events in the watch history,
//! publishes the revision and answers them. Concurrency thus turns into
//! larger batches, not more syncs. Between batches it checkpoints: a durable
//! redb commit, after which the log starts over.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use redb::{ReadableTable, Table};
use tokio::sync::oneshot;

use super::codec;
use super::wal::{self, AppendError, Wal};
use super::{KV, META, META_REVISION, Shared, backend, begin_durable_write};
use crate::apply::{self, Outcome, Stamp, StateView};
use crate::kv::{Event, EventKind, Revision, StoreError, Txn, TxnResult};

/// A txn for the writer thread, and where its answer goes.
pub(super) struct Request {
    pub txn: Txn,
    pub reply: oneshot::Sender<Result<TxnResult, StoreError>>,
}

/// Most requests, and most bytes of log, one commit carries.
const MAX_BATCH_REQUESTS: usize = 4096;
const MAX_BATCH_BYTES: usize = 32 * 1024 * 1024;
/// Largest transaction the store accepts, so that a batch (which may end
/// with one) always fits one log record.
pub(super) const MAX_TXN_BYTES: usize = 128 * 1024 * 1024;

/// Whether every batch of txns within `limits` fits one log record.
pub(super) fn logs_whole_batches(limits: &crate::limits::Limits) -> bool {
    limits.max_txn_bytes <= MAX_TXN_BYTES
        && wal::logged_bytes(limits.max_txn_ops, limits.max_txn_bytes)
            .saturating_add(MAX_BATCH_BYTES)
            <= wal::MAX_RECORD_BODY
}

/// When the writer checkpoints: once the log holds `log_bytes`, or
/// `interval` after the first record since the last checkpoint.
#[derive(Debug, Clone, Copy)]
pub(super) struct CheckpointPolicy {
    pub log_bytes: u64,
    pub interval: Duration,
}

/// The writer's durable state: the log, and when its oldest record was
/// written.
struct Durable {
    wal: Wal,
    policy: CheckpointPolicy,
    /// When the first record since the last checkpoint was appended.
    oldest_record: Option<Instant>,
    /// Set when a failure left the log and redb out of step, or redb could
    /// not checkpoint: every later request is refused, and the next open
    /// recovers from the log.
    broken: Option<Arc<StoreError>>,
}

/// Runs until every sender of `requests` is gone, then checkpoints so the
/// next open has nothing to replay. `revision` is the last committed one.
pub(super) fn run(
    shared: Arc<Shared>,
    requests: Receiver<Request>,
    mut revision: Revision,
    wal: Wal,
    policy: CheckpointPolicy,
) {
    let mut durable = Durable {
        wal,
        policy,
        oldest_record: None,
        broken: None,
    };
    loop {
        let first = match durable.checkpoint_due_in() {
            None => match requests.recv() {
                Ok(request) => request,
                Err(_) => break,
            },
            Some(wait) => match requests.recv_timeout(wait) {
                Ok(request) => request,
                Err(RecvTimeoutError::Timeout) => {
                    durable.checkpoint(&shared);
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            },
        };
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
        if let Some(err) = &durable.broken {
            refuse(batch, err, STOPPED);
            continue;
        }
        match commit_batch(&shared, &mut durable, &batch, revision) {
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
                refuse(
                    batch,
                    &Arc::new(err),
                    "the group commit holding this txn failed",
                );
                // The failed transaction was dropped, so nothing it wrote
                // stays; a later batch starts again from the committed state.
            }
        }
        if durable.checkpoint_due_in() == Some(Duration::ZERO) {
            durable.checkpoint(&shared);
        }
    }
    if durable.broken.is_none() && durable.wal.len() > 0 {
        durable.checkpoint(&shared);
    }
}

/// Why a broken writer refuses a request.
const STOPPED: &str = "the store stopped writing after a failure; restart to recover from its log";

fn refuse(batch: Vec<Request>, err: &Arc<StoreError>, context: &str) {
    for request in batch {
        let _ = request.reply.send(Err(StoreError::Backend {
            context: context.into(),
            source: Box::new(err.clone()),
        }));
    }
}

impl Durable {
    /// How long until a checkpoint is due; `None` while the log is empty.
    fn checkpoint_due_in(&self) -> Option<Duration> {
        if self.broken.is_some() {
            return None;
        }
        let oldest = self.oldest_record?;
        if self.wal.len() >= self.policy.log_bytes {
            return Some(Duration::ZERO);
        }
        Some(self.policy.interval.saturating_sub(oldest.elapsed()))
    }

    /// Makes every commit so far durable in redb and starts the log over.
    /// After a failure redb takes no more write transactions and the log
    /// can no longer be bounded: the writer stops, and the log, which still
    /// holds every commit since the last checkpoint, is replayed at the next
    /// open.
    fn checkpoint(&mut self, shared: &Shared) {
        let done = durable_commit(shared).and_then(|()| self.wal.reset());
        match done {
            Ok(()) => self.oldest_record = None,
            Err(err) => {
                self.break_down(err);
            }
        }
    }

    /// Stops the writer after `err`. The caller's own outcome is unknown:
    /// the log may hold its commit, which the next open then applies.
    fn break_down(&mut self, err: StoreError) -> StoreError {
        tracing::error!(error = %err, "the store stopped writing; restart to recover from its log");
        let shared = Arc::new(err);
        self.broken = Some(shared.clone());
        StoreError::Backend {
            context: "the store stopped writing, and whether this write is kept is unknown: \
                      reopening the store applies it if its log holds it"
                .into(),
            source: Box::new(shared),
        }
    }
}

/// Commits an empty transaction durably, which makes every earlier commit
/// durable with it.
fn durable_commit(shared: &Shared) -> Result<(), StoreError> {
    begin_durable_write(&shared.db, "starting a checkpoint")?
        .commit()
        .map_err(backend("checkpointing"))
}

/// A write transaction whose commit is not durable by itself: the log
/// record before it is, and the next checkpoint makes it durable in redb.
fn begin_write(shared: &Shared) -> Result<redb::WriteTransaction, StoreError> {
    let mut write = shared
        .db
        .begin_write()
        .map_err(backend("starting a commit"))?;
    write
        .set_durability(redb::Durability::None)
        .map_err(|err| StoreError::Backend {
            context: "requesting a commit that the log makes durable".into(),
            source: Box::new(err),
        })?;
    Ok(write)
}

/// Records `revision` as the one the store stands at.
pub(super) fn write_revision(
    write: &redb::WriteTransaction,
    revision: Revision,
) -> Result<(), StoreError> {
    let mut meta = write
        .open_table(META)
        .map_err(backend("opening the meta table"))?;
    meta.insert(META_REVISION, revision)
        .map_err(backend("writing the revision"))?;
    Ok(())
}

/// Stores what `events` say of their keys.
pub(super) fn write_events(
    kv: &mut Table<'_, &'static [u8], &'static [u8]>,
    events: &[Event],
) -> Result<(), StoreError> {
    for event in events {
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
    Ok(())
}

/// Most bytes of log `request` can take.
fn request_bytes(request: &Request) -> usize {
    let bytes = request.txn.ops.iter().map(crate::kv::Op::bytes).sum();
    wal::logged_bytes(request.txn.ops.len(), bytes)
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
    durable: &mut Durable,
    batch: &[Request],
    start: Revision,
) -> Result<Committed, StoreError> {
    let mut revision = start;
    let mut results = Vec::with_capacity(batch.len());
    let mut events_by_revision = Vec::new();
    // Durable through the log, before the commit makes it visible.
    let write = begin_write(shared)?;
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
                    write_events(&mut kv, &events)?;
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
            write_revision(&write, revision)?;
        }
    }
    if events_by_revision.is_empty() {
        write
            .abort()
            .map_err(backend("ending a commit that changed nothing"))?;
        return Ok(Committed {
            results,
            events: events_by_revision,
        });
    }
    match durable.wal.append(&events_by_revision) {
        Ok(()) => {
            durable.oldest_record.get_or_insert_with(Instant::now);
        }
        Err(AppendError::Refused(err)) => return Err(err),
        Err(AppendError::Broken(err)) => return Err(durable.break_down(err)),
    }
    if let Err(err) = write.commit() {
        // The log holds this batch and redb does not: the next revisions
        // would be given twice. Only a reopen, which replays the log, mends it.
        return Err(durable.break_down(backend("committing")(err)));
    }
    Ok(Committed {
        results,
        events: events_by_revision,
    })
}
