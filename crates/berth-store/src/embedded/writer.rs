//! The single writer thread of the embedded store: it drains every request
//! queued while the previous commit was being synced, evaluates the txns in
//! order (each sees the writes of the earlier ones), makes their changes
//! durable with one write-ahead log record, adds them to the in-memory
//! layer readers see (see `layers`), and only then records their events in
//! the watch history, publishes the revision and answers them. Concurrency
//! thus turns into larger batches, not more syncs. Between batches it
//! starts checkpoints (by the log's size or age, or when range reads ask
//! for one because deletions cost them more than it would): each freezes
//! the layer, moves the log aside and writes the layer into redb durably on
//! a thread of its own, while commits go on.

use std::collections::HashMap;
use std::iter::Peekable;
use std::ops::Bound;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use redb::{ReadOnlyTable, Table};
use tokio::sync::oneshot;

use super::codec;
use super::layers::{Changes, DeletionWalks, Layer, Layers, Slot};
use super::wal::{self, AppendError, CHECKPOINTING_WAL_FILE, Wal};
use super::{KV, META, META_REVISION, Shared, backend, begin_durable_write};
use crate::apply::{self, Outcome, Stamp, StateView};
use crate::kv::{Event, EventKind, KeyRange, KeyValue, Revision, StoreError, Txn, TxnResult};

/// What the writer thread is asked to do.
pub(super) enum Work {
    Commit(Request),
    /// Start a checkpoint, once the running one (if any) has ended: reads
    /// asked for it (see `Shared::note_deletions_walked`).
    Checkpoint,
}

/// A txn for the writer thread, and where its answer goes.
pub(super) struct Request {
    pub txn: Txn,
    pub reply: Reply,
}

/// Where a txn's result goes.
pub(super) type Reply = oneshot::Sender<Result<TxnResult, StoreError>>;

/// Most requests, and most bytes of log, one commit carries.
const MAX_BATCH_REQUESTS: usize = 4096;
const MAX_BATCH_BYTES: usize = 32 * 1024 * 1024;
/// Largest transaction the store accepts, so that a batch (which may end
/// with one) always fits one log record.
pub(super) const MAX_TXN_BYTES: usize = 128 * 1024 * 1024;
/// How often the writer looks whether a running checkpoint has finished,
/// while it has nothing else to do.
const CHECKPOINT_POLL: Duration = Duration::from_millis(10);
/// How many times the checkpoint threshold the log may hold while a
/// checkpoint runs, before commits wait for it: bounds the layers' memory
/// when redb cannot keep up.
const LOG_BYTES_BEFORE_WAITING: u64 = 4;

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

/// Whether a checkpoint's rotation takes the spare and a new one is
/// written once it is done: not the last one, on close, which leaves the
/// spare for the next open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spare {
    TakeAndPrepare,
    Keep,
}

/// The spare written for a store opened without one, as large as a few
/// seconds of a busy server's log; later ones are sized by the logs before
/// them.
const FIRST_SPARE_BYTES: u64 = 4 * 1024 * 1024;
/// How long after opening the first spare is written: after the writes a
/// server makes as it starts, whose syncs would otherwise wait for the
/// spare's data (a sync that commits the file system's journal writes out
/// every file's newly allocated blocks first).
const FIRST_SPARE_DELAY: Duration = Duration::from_millis(250);

/// The writing of the next spare (see `wal`): one at a time, on a thread of
/// its own, never while a rotation could take it.
enum SpareWriter {
    Idle,
    /// To be written from this instant, this large.
    Due {
        at: Instant,
        len: u64,
    },
    /// Being written; the thread says whether it was.
    Writing(JoinHandle<bool>),
}

/// The writer's durable state: the log, and when its oldest record was
/// written.
struct Durable {
    wal: Wal,
    /// The data dir, where the log is rotated.
    dir: PathBuf,
    policy: CheckpointPolicy,
    /// When the first record since the last checkpoint was appended.
    oldest_record: Option<Instant>,
    /// The checkpoint writing the frozen layer into redb, if one runs.
    checkpoint: Option<JoinHandle<Result<(), StoreError>>>,
    /// The size of spare the running checkpoint's rotation asked for, to be
    /// written once it is done.
    next_spare_len: Option<u64>,
    spare: SpareWriter,
    /// Whether a whole spare waits in the data dir.
    spare_on_disk: bool,
    /// Whether the log is the one the store opened with, found without a
    /// spare: once one is written, a checkpoint (or, while the log is
    /// empty, a rename) moves it into the spare.
    log_awaits_spare: bool,
    /// Set when a failure left the log and the layers out of step, or redb
    /// could not checkpoint: every later request is refused, and the next
    /// open recovers from the log.
    broken: Option<Arc<StoreError>>,
    /// What the writer knows redb cannot hold (see [`Fences`]).
    fences: Fences,
}

/// Runs until every sender of `requests` is gone, then checkpoints so the
/// next open has nothing to replay. `revision` is the last committed one.
pub(super) fn run(
    shared: Arc<Shared>,
    requests: Receiver<Work>,
    mut revision: Revision,
    wal: Wal,
    dir: PathBuf,
    policy: CheckpointPolicy,
) {
    let mut durable = Durable {
        wal,
        dir,
        policy,
        oldest_record: None,
        checkpoint: None,
        next_spare_len: None,
        spare: SpareWriter::Idle,
        spare_on_disk: false,
        log_awaits_spare: false,
        broken: None,
        fences: Fences::default(),
    };
    durable.start_first_log();
    loop {
        let work = match durable.wake_in() {
            None => match requests.recv() {
                Ok(work) => work,
                Err(_) => break,
            },
            Some(wait) => match requests.recv_timeout(wait) {
                Ok(work) => work,
                Err(RecvTimeoutError::Timeout) => {
                    durable.tend_checkpoints(&shared);
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            },
        };
        let first = match work {
            Work::Commit(request) => request,
            Work::Checkpoint => {
                durable.tend_checkpoints(&shared);
                continue;
            }
        };
        let mut bytes = request_bytes(&first);
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH_REQUESTS && bytes < MAX_BATCH_BYTES {
            match requests.try_recv() {
                Ok(Work::Commit(request)) => {
                    bytes += request_bytes(&request);
                    batch.push(request);
                }
                // Looked at once the batch is committed.
                Ok(Work::Checkpoint) => {}
                Err(_) => break,
            }
        }
        let (txns, replies): (Vec<Txn>, Vec<Reply>) = batch
            .into_iter()
            .map(|request| (request.txn, request.reply))
            .unzip();
        if let Some(err) = &durable.broken {
            refuse(replies, err, STOPPED);
            continue;
        }
        match commit_batch(&shared, &mut durable, txns, revision) {
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
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(Ok(result));
                }
            }
            Err(err) => {
                tracing::error!(error = %err, n_requests = replies.len(), "group commit failed");
                refuse(
                    replies,
                    &Arc::new(err),
                    "the group commit holding this txn failed",
                );
                // Nothing of a failed batch reached the layers; a later
                // batch starts again from the committed state.
            }
        }
        durable.tend_checkpoints(&shared);
    }
    durable.close(&shared);
}

/// Why a broken writer refuses a request.
const STOPPED: &str = "the store stopped writing after a failure; restart to recover from its log";

fn refuse(replies: Vec<Reply>, err: &Arc<StoreError>, context: &str) {
    for reply in replies {
        let _ = reply.send(Err(StoreError::Backend {
            context: context.into(),
            source: Box::new(err.clone()),
        }));
    }
}

impl Durable {
    /// How long the writer may wait for a request before it has checkpoint
    /// work to do; `None` while there is none.
    fn wake_in(&self) -> Option<Duration> {
        if self.broken.is_some() {
            return None;
        }
        let due = self.oldest_record.map(|oldest| {
            if self.wal.len() >= self.policy.log_bytes {
                Duration::ZERO
            } else {
                self.policy.interval.saturating_sub(oldest.elapsed())
            }
        });
        let checkpoint = match (&self.checkpoint, due) {
            (None, due) => due,
            // A new checkpoint waits for the running one, which is looked
            // at now and then rather than waited for.
            (Some(_), Some(due)) => Some(due.max(CHECKPOINT_POLL)),
            (Some(_), None) => Some(CHECKPOINT_POLL),
        };
        let spare = match &self.spare {
            SpareWriter::Idle => None,
            SpareWriter::Due { at, .. } => Some(at.saturating_duration_since(Instant::now())),
            // Looked at now and then, like a running checkpoint.
            SpareWriter::Writing(_) => Some(CHECKPOINT_POLL),
        };
        match (checkpoint, spare) {
            (Some(checkpoint), Some(spare)) => Some(checkpoint.min(spare)),
            (checkpoint, spare) => checkpoint.or(spare),
        }
    }

    /// Finishes a checkpoint that has written redb, and starts one when
    /// due and none runs. While one runs, commits go on until the log holds
    /// [`LOG_BYTES_BEFORE_WAITING`] times the threshold; then the writer
    /// waits for it.
    fn tend_checkpoints(&mut self, shared: &Arc<Shared>) {
        if self.broken.is_some() {
            return;
        }
        let over = self.wal.len()
            >= self
                .policy
                .log_bytes
                .saturating_mul(LOG_BYTES_BEFORE_WAITING);
        if self
            .checkpoint
            .as_ref()
            .is_some_and(|running| running.is_finished() || over)
        {
            self.finish_checkpoint(shared);
        }
        self.tend_spare();
        let Some(oldest) = self.oldest_record else {
            return;
        };
        let asked_by_reads = shared.deletion_walks().asked;
        let due = self.wal.len() >= self.policy.log_bytes
            || oldest.elapsed() >= self.policy.interval
            || asked_by_reads
            || (self.log_awaits_spare && self.spare_on_disk);
        if due && self.checkpoint.is_none() && self.broken.is_none() {
            tracing::debug!(
                log_bytes = self.wal.len(),
                asked_by_reads,
                "starting a checkpoint"
            );
            self.start_checkpoint(shared, Spare::TakeAndPrepare);
        }
    }

    /// Freezes the active layer, moves the log of its commits aside (into
    /// the spare, if one is written), and starts writing the layer into
    /// redb durably on a thread of its own; a spare for the next rotation,
    /// sized by this log, is written once it is done.
    fn start_checkpoint(&mut self, shared: &Arc<Shared>, spare: Spare) {
        let rotated_len = self.wal.len();
        let take = spare == Spare::TakeAndPrepare && self.spare_on_disk;
        let taken = match self.wal.rotate(&self.dir, take) {
            Ok(taken) => taken,
            Err(err) => {
                self.break_down(err);
                return;
            }
        };
        if take {
            self.spare_on_disk = wal::spare_ready(&self.dir);
        }
        self.log_awaits_spare = false;
        self.next_spare_len = (spare == Spare::TakeAndPrepare)
            .then(|| wal::spare_len(rotated_len, taken, self.policy.log_bytes));
        let (frozen, revision) = {
            let mut layers = shared.layers_mut();
            let frozen = layers.freeze();
            // Deletions counted so far are in the frozen layer now, which
            // this checkpoint removes.
            *shared.deletion_walks() = DeletionWalks::since(layers.freezes);
            (frozen, layers.revision)
        };
        self.oldest_record = None;
        let shared = shared.clone();
        let started = std::thread::Builder::new()
            .name("berth-store-checkpoint".into())
            .spawn(move || checkpoint(&shared.db, &frozen, revision));
        match started {
            Ok(handle) => self.checkpoint = Some(handle),
            Err(err) => {
                self.break_down(StoreError::Backend {
                    context: "starting a checkpoint thread".into(),
                    source: Box::new(err),
                });
            }
        }
    }

    /// Waits for the running checkpoint, if any. Once redb holds the frozen
    /// layer durably, readers no longer need it, nor a restart the log of
    /// its commits.
    fn finish_checkpoint(&mut self, shared: &Shared) {
        let Some(running) = self.checkpoint.take() else {
            return;
        };
        let outcome = running.join().unwrap_or_else(|_| {
            Err(StoreError::Backend {
                context: "the checkpoint thread panicked".into(),
                source: "panic".into(),
            })
        });
        if let Err(err) = outcome {
            self.break_down(err);
            return;
        }
        shared.layers_mut().frozen = None;
        self.fences.forget();
        let aside = self.dir.join(CHECKPOINTING_WAL_FILE);
        // A log left behind holds only revisions redb has: the next open
        // skips them, and the next rotation replaces the file.
        if let Err(err) = std::fs::remove_file(&aside) {
            tracing::warn!(error = %err, path = %aside.display(), "removing a checkpointed log");
        }
        // A first spare still waiting for start-up writes to be synced is
        // written now too: a checkpoint came first.
        if let Some(len) = self.next_spare_len.take()
            && !self.spare_on_disk
            && matches!(self.spare, SpareWriter::Idle | SpareWriter::Due { .. })
        {
            self.spare = SpareWriter::Due {
                at: Instant::now(),
                len,
            };
        }
    }

    /// Starts the log the store opened with in the spare the last run left,
    /// or has one written for it a moment later.
    fn start_first_log(&mut self) {
        self.spare_on_disk = wal::spare_ready(&self.dir);
        if self.wal.len() > 0 {
            return;
        }
        if self.spare_on_disk {
            self.start_log_in_spare();
            return;
        }
        // A crash can leave an empty log in a spare: its zeros serve.
        if self.wal.file_len().is_ok_and(|len| len >= wal::SPARE_STEP) {
            return;
        }
        self.log_awaits_spare = true;
        self.spare = SpareWriter::Due {
            at: Instant::now() + FIRST_SPARE_DELAY,
            len: FIRST_SPARE_BYTES,
        };
    }

    /// Starts writing a spare once it is due, and notes one written; the
    /// log the store opened with, if still empty, starts in it at once.
    fn tend_spare(&mut self) {
        match &self.spare {
            SpareWriter::Due { at, len } if Instant::now() >= *at => {
                let (dir, len) = (self.dir.clone(), *len);
                let started = std::thread::Builder::new()
                    .name("berth-store-spare".into())
                    .spawn(move || match wal::prepare_spare(&dir, len) {
                        Ok(()) => true,
                        Err(err) => {
                            // Without a spare the next log grows as it is
                            // written: slower syncs, nothing lost.
                            tracing::warn!(error = %err, "preparing a spare write-ahead log");
                            false
                        }
                    });
                self.spare = match started {
                    Ok(writing) => SpareWriter::Writing(writing),
                    Err(err) => {
                        tracing::warn!(error = %err, "starting a thread to write a spare log");
                        SpareWriter::Idle
                    }
                };
            }
            SpareWriter::Writing(writing) if writing.is_finished() => {
                self.settle_spare();
                if self.log_awaits_spare && self.spare_on_disk && self.wal.len() == 0 {
                    self.log_awaits_spare = false;
                    self.start_log_in_spare();
                }
            }
            _ => {}
        }
    }

    /// Starts the log, which holds no record, over in the spare on disk.
    fn start_log_in_spare(&mut self) {
        if let Err(err) = self.wal.start_in_spare(&self.dir) {
            self.break_down(err);
        }
        self.spare_on_disk = wal::spare_ready(&self.dir);
    }

    /// Waits for the spare being written, if any, and writes none that is
    /// due.
    fn settle_spare(&mut self) {
        if let SpareWriter::Writing(writing) = std::mem::replace(&mut self.spare, SpareWriter::Idle)
        {
            self.spare_on_disk |= writing.join().unwrap_or(false);
        }
    }

    /// Checkpoints everything committed, so the next open has nothing to
    /// replay, and empties the log's file, so that it has no spare's zeros
    /// to read either: an empty log in a spare, when none other is left,
    /// becomes the spare again for the next open.
    fn close(&mut self, shared: &Arc<Shared>) {
        self.finish_checkpoint(shared);
        self.settle_spare();
        if self.broken.is_none() && self.wal.len() > 0 {
            self.start_checkpoint(shared, Spare::Keep);
            self.finish_checkpoint(shared);
        }
        if self.broken.is_some() {
            return;
        }
        let in_spare = self.wal.file_len().is_ok_and(|len| len > 0);
        let emptied = if in_spare && !self.spare_on_disk {
            self.wal.retire_to_spare(&self.dir)
        } else {
            self.wal.reset()
        };
        if let Err(err) = emptied {
            tracing::warn!(error = %err, "emptying the write-ahead log on close");
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

/// Writes `frozen`, the layer of every commit up to `revision` since the
/// last checkpoint, into redb in one durable transaction.
fn checkpoint(db: &redb::Database, frozen: &Layer, revision: Revision) -> Result<(), StoreError> {
    let write = begin_durable_write(db, "starting a checkpoint")?;
    {
        let mut kv = write
            .open_table(KV)
            .map_err(backend("opening the kv table"))?;
        write_layer(&mut kv, frozen)?;
    }
    write_revision(&write, revision)?;
    write.commit().map_err(backend("checkpointing"))
}

/// Writes `frozen` into `kv`. A key new to the tree opens a run: the puts
/// after it in the layer that fall in the same gap of the tree (before the
/// entry that followed the new key) go in through one cursor, which packs
/// them into leaves and splices them in about once a MiB, where one insert
/// each descends the tree and rewrites its path for every key. New tasks,
/// their index entries and an instance's new assignments come as such runs,
/// since their ids grow with time: in the C1M replay a checkpoint's inserts
/// took 10–14% less CPU and the checkpoint a quarter less time (see
/// BENCHMARKS.md).
fn write_layer(
    kv: &mut Table<'_, &'static [u8], &'static [u8]>,
    frozen: &Layer,
) -> Result<(), StoreError> {
    let mut entries = frozen.iter().peekable();
    while let Some((key, slot)) = entries.next() {
        let was_new = store_key(kv, key, slot.as_deref())?;
        if was_new && matches!(entries.peek(), Some((_, Some(_)))) {
            append_run(kv, key, &mut entries)?;
        }
    }
    Ok(())
}

/// Inserts the puts at the head of `entries` that sort before the tree's
/// next key after `after`, through one cursor in the gap after it.
fn append_run<'a>(
    kv: &mut Table<'_, &'static [u8], &'static [u8]>,
    after: &[u8],
    entries: &mut Peekable<impl Iterator<Item = (&'a Vec<u8>, &'a Slot)>>,
) -> Result<(), StoreError> {
    let mut cursor = kv
        .upper_bound_mut(Bound::Included(after))
        .map_err(backend("opening a cursor"))?;
    let next_in_tree = cursor
        .peek_next()
        .map_err(backend("reading the next key"))?
        .map(|(key, _)| key.value().to_vec());
    while let Some((key, Some(put))) = entries.peek() {
        if next_in_tree
            .as_deref()
            .is_some_and(|next| key.as_slice() >= next)
        {
            break;
        }
        let entry = codec::encode_entry(put);
        cursor
            .insert_before(key.as_slice(), entry.as_slice())
            .map_err(backend("writing a run of keys"))?;
        entries.next();
    }
    cursor.close().map_err(backend("closing a cursor"))
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
        let put = (event.kind == EventKind::Put).then_some(&*event.kv);
        store_key(kv, &event.kv.key, put)?;
    }
    Ok(())
}

/// Stores `key`'s last put, or removes it when it was last deleted; tells
/// whether the put made a key the tree did not hold.
fn store_key(
    kv: &mut Table<'_, &'static [u8], &'static [u8]>,
    key: &[u8],
    put: Option<&KeyValue>,
) -> Result<bool, StoreError> {
    match put {
        Some(put) => {
            let entry = codec::encode_entry(put);
            let replaced = kv
                .insert(key, entry.as_slice())
                .map_err(backend("writing a key"))?;
            Ok(replaced.is_none())
        }
        None => {
            kv.remove(key).map_err(backend("deleting a key"))?;
            Ok(false)
        }
    }
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

/// The state the next txn of a batch runs against: the writes of the
/// batch's earlier txns, over the layers, over redb.
struct BatchView<'a, 'r> {
    written: HashMap<Vec<u8>, Option<Stamp>>,
    layers: &'a Layers,
    disk: &'r ReadOnlyTable<&'static [u8], &'static [u8]>,
    fences: &'a mut Fences,
}

/// The last key redb holds under each prefix (a key up to its last `/`)
/// the writer has looked under, each found with one descent of the tree. A
/// key past the last one under its prefix is not in redb, so a new task,
/// its index entry and its marker (whose ids grow with time) are known new
/// without the descent of the tree that finds each absent (2.4% of the
/// server's CPU in the C1M replay; the writer's lookups went from 4.5% of
/// it to 3.3% with the fences).
///
/// redb changes only by a checkpoint, whose keys stay in the frozen layer,
/// which the writer reads first, until the writer drops that layer; the
/// fences are forgotten then, and found again in the redb that holds them.
#[derive(Default)]
struct Fences {
    last_under: HashMap<Vec<u8>, Option<Vec<u8>>>,
}

impl Fences {
    /// Whether `disk` cannot hold `key`, as the last key under its prefix
    /// comes before it (or there is none).
    fn rule_out(
        &mut self,
        disk: &ReadOnlyTable<&'static [u8], &'static [u8]>,
        key: &[u8],
    ) -> Result<bool, StoreError> {
        let prefix_len = key
            .iter()
            .rposition(|byte| *byte == b'/')
            .map_or(0, |slash| slash + 1);
        let prefix = &key[..prefix_len];
        let last = match self.last_under.get(prefix) {
            Some(last) => last,
            None => {
                let last = last_key_under(disk, prefix)?;
                self.last_under.entry(prefix.to_vec()).or_insert(last)
            }
        };
        Ok(last.as_deref().is_none_or(|last| key > last))
    }

    /// Forgets every fence: redb may hold keys past them now.
    fn forget(&mut self) {
        self.last_under.clear();
    }
}

/// The last key `disk` holds that starts with `prefix`.
fn last_key_under(
    disk: &ReadOnlyTable<&'static [u8], &'static [u8]>,
    prefix: &[u8],
) -> Result<Option<Vec<u8>>, StoreError> {
    const CONTEXT: &str = "reading the last key under a prefix";
    let range = KeyRange::prefix(prefix);
    let mut keys = disk
        .range::<&[u8]>(range.bounds())
        .map_err(backend(CONTEXT))?;
    match keys.next_back() {
        Some(entry) => Ok(Some(entry.map_err(backend(CONTEXT))?.0.value().to_vec())),
        None => Ok(None),
    }
}

impl BatchView<'_, '_> {
    fn note(&mut self, events: &[Event]) {
        for event in events {
            let stamp = match event.kind {
                EventKind::Put => Some(Stamp::from(&*event.kv)),
                EventKind::Delete => None,
            };
            self.written.insert(event.kv.key.clone(), stamp);
        }
    }
}

impl StateView for BatchView<'_, '_> {
    fn load(&mut self, key: &[u8]) -> Result<Option<Stamp>, StoreError> {
        if let Some(stamp) = self.written.get(key) {
            return Ok(*stamp);
        }
        if let Some(stamp) = self.layers.stamp(key) {
            return Ok(stamp);
        }
        if self.fences.rule_out(self.disk, key)? {
            return Ok(None);
        }
        let guard = self
            .disk
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
    txns: Vec<Txn>,
    start: Revision,
) -> Result<Committed, StoreError> {
    let mut revision = start;
    let mut results = Vec::with_capacity(txns.len());
    let mut events_by_revision = Vec::new();
    {
        // Only this thread changes the layers, so they hold still while
        // the batch is evaluated; redb, read under the same lock, is at
        // least as new as the frozen layer's base.
        let layers = shared.layers();
        let read = shared.snapshot()?;
        let disk = read
            .open_table(KV)
            .map_err(backend("opening the kv table"))?;
        // Sized for every key the batch may write, so that noting a busy
        // batch's writes never grows the map by moving what it holds.
        let keys = txns.iter().map(|txn| txn.ops.len()).sum();
        let mut view = BatchView {
            written: HashMap::with_capacity(keys),
            layers: &layers,
            disk: &disk,
            fences: &mut durable.fences,
        };
        for txn in txns {
            let next = revision + 1;
            let outcome = apply::evaluate(&mut view, txn, next)?;
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
                    view.note(&events);
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
    }
    if events_by_revision.is_empty() {
        return Ok(Committed {
            results,
            events: events_by_revision,
        });
    }
    // Durable through the log before readers can see it.
    match durable.wal.append(&events_by_revision) {
        Ok(()) => {
            durable.oldest_record.get_or_insert_with(Instant::now);
        }
        Err(AppendError::Refused(err)) => return Err(err),
        Err(AppendError::Broken(err)) => return Err(durable.break_down(err)),
    }
    let changes = Changes::of(events_by_revision.iter().flat_map(|(_, events)| events));
    shared.layers_mut().record(revision, changes);
    Ok(Committed {
        results,
        events: events_by_revision,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use redb::{ReadableDatabase, ReadableTable};

    use super::*;

    fn stored(value: &str, revision: Revision) -> Slot {
        Some(Arc::new(KeyValue {
            key: Vec::new(),
            value: bytes::Bytes::copy_from_slice(value.as_bytes()),
            create_revision: revision,
            mod_revision: revision,
            version: 1,
        }))
    }

    /// Every key of the table, with its value.
    fn contents(db: &redb::Database) -> BTreeMap<String, String> {
        let read = db.begin_read().expect("read");
        let kv = read.open_table(KV).expect("table");
        kv.iter()
            .expect("iterate")
            .map(|entry| {
                let (key, value) = entry.expect("entry");
                let key = String::from_utf8(key.value().to_vec()).expect("key");
                let decoded = codec::decode_entry(key.as_bytes(), value.value()).expect("entry");
                let value = String::from_utf8(decoded.value.to_vec()).expect("value");
                (key, value)
            })
            .collect()
    }

    fn write(db: &redb::Database, layer: &Layer) {
        let write = db.begin_write().expect("write");
        {
            let mut kv = write.open_table(KV).expect("table");
            write_layer(&mut kv, layer).expect("layer written");
        }
        write.commit().expect("commit");
    }

    /// A key past the last one redb holds under its prefix (the key up to
    /// its last `/`) is ruled out without a look in the tree; one at or
    /// before it is looked for; a fence outlives no change of redb.
    #[test]
    fn fences_rule_out_keys_past_the_last_under_their_prefix() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = redb::Database::create(dir.path().join("kv.redb")).expect("db");
        let layer = |keys: &[&str]| -> Layer {
            keys.iter()
                .map(|key| (key.as_bytes().to_vec(), stored("v", 1)))
                .collect()
        };
        // Asked of redb as it is now, through the fences as they are.
        let rule_out = |fences: &mut Fences, key: &str| {
            let read = db.begin_read().expect("read");
            let disk = read.open_table(KV).expect("table");
            fences.rule_out(&disk, key.as_bytes()).expect("read")
        };
        let mut fences = Fences::default();
        write(&db, &Layer::new());
        assert!(rule_out(&mut fences, "a/1"), "nothing stored");
        fences.forget();
        write(&db, &layer(&["a/1", "a/3", "a/b/9", "b/2"]));
        // Under a/, the last key is a/b/9: a deeper key counts too.
        assert!(!rule_out(&mut fences, "a/2"));
        assert!(!rule_out(&mut fences, "a/3"));
        assert!(!rule_out(&mut fences, "a/4"), "a/4 comes before a/b/9");
        assert!(rule_out(&mut fences, "a/c"));
        assert!(!rule_out(&mut fences, "b/1"));
        assert!(rule_out(&mut fences, "b/3"));
        assert!(rule_out(&mut fences, "c/1"), "no key under c/");
        // A key with no `/` falls under the empty prefix: every key.
        assert!(!rule_out(&mut fences, "a"));
        assert!(rule_out(&mut fences, "c"));

        // Keys past a fence land: the fence would rule them out until it is
        // forgotten.
        write(&db, &layer(&["b/5"]));
        assert!(rule_out(&mut fences, "b/5"), "a stale fence");
        fences.forget();
        assert!(!rule_out(&mut fences, "b/5"));
        assert!(rule_out(&mut fences, "b/6"));
    }

    /// Runs of new keys go in through a cursor up to the tree's next key;
    /// updates, deletions and keys past that key go in one by one; the
    /// result is what the layer says over what the tree held.
    #[test]
    fn a_layer_lands_whole_through_runs_and_single_writes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = redb::Database::create(dir.path().join("kv.redb")).expect("db");
        let before: Layer = ["a/1", "a/5", "b/1", "c/1", "c/3"]
            .into_iter()
            .map(|key| (key.as_bytes().to_vec(), stored("old", 1)))
            .collect();
        write(&db, &before);

        let layer: Layer = [
            ("a/0", Some("new")), // new, before every key; the run stops at a/1
            ("a/1", Some("updated")),
            ("a/2", Some("new")), // new after an update: a run up to a/5
            ("a/3", Some("new")),
            ("a/4", Some("new")),
            ("a/5", Some("updated")), // the run's bound, written on its own
            ("a/6", Some("new")),
            ("b/0", None), // the deletion of a key never stored ends the run
            ("b/1", None),
            ("b/2", Some("new")),
            ("b/3", Some("new")),
            ("c/1", Some("updated")), // equal to the run's bound
            ("c/2", Some("new")),     // a run of one before c/3
            ("c/4", Some("new")),     // a run at the end of the tree
            ("c/5", Some("new")),
            ("d/1", Some("new")),
        ]
        .into_iter()
        .map(|(key, value)| (key.as_bytes().to_vec(), value.and_then(|v| stored(v, 2))))
        .collect();
        write(&db, &layer);

        let mut expected: BTreeMap<String, String> = before
            .keys()
            .map(|key| {
                (
                    String::from_utf8(key.clone()).expect("key"),
                    "old".to_owned(),
                )
            })
            .collect();
        for (key, slot) in &layer {
            let key = String::from_utf8(key.clone()).expect("key");
            match slot {
                Some(put) => {
                    let value = String::from_utf8(put.value.to_vec()).expect("value");
                    expected.insert(key, value);
                }
                None => {
                    expected.remove(&key);
                }
            }
        }
        assert_eq!(contents(&db), expected);
    }

    /// A long run of new keys between two stored ones, far more than a
    /// cursor buffers before it splices, lands whole and in order.
    #[test]
    fn a_long_run_between_stored_keys_lands_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = redb::Database::create(dir.path().join("kv.redb")).expect("db");
        let before: Layer = ["t/", "u/"]
            .into_iter()
            .map(|key| (key.as_bytes().to_vec(), stored("edge", 1)))
            .collect();
        write(&db, &before);
        let value = "v".repeat(600);
        let layer: Layer = (0..20_000)
            .map(|n| (format!("t/{n:08}").into_bytes(), stored(&value, 2)))
            .collect();
        write(&db, &layer);

        let stored = contents(&db);
        assert_eq!(stored.len(), 20_002);
        assert_eq!(stored["t/"], "edge");
        assert_eq!(stored["u/"], "edge");
        assert!((0..20_000).all(|n| stored[&format!("t/{n:08}")] == value));
    }
}
