//! `Embedded`: the default product backend, one redb file and its
//! write-ahead log in the data dir. A single writer thread group-commits
//! concurrent txns (each batch synced to the log before it is acknowledged,
//! see `wal`) and keeps the commits since the last checkpoint in memory
//! (see `layers`); reads merge those with MVCC snapshots of redb. Watches
//! are served from the events of recent revisions kept in memory (see
//! `history`): they start at or after the revision the store opened at.

mod codec;
mod layers;
mod wal;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

use redb::{ReadableDatabase, ReadableTable, TableDefinition};
use tokio::sync::{oneshot, watch};

use crate::history::History;
use crate::kv::{
    KeyRange, KeyValue, Kv, Order, RangeResult, Revision, StoreError, Txn, TxnResult, WatchStream,
};
use crate::limits::Limits;
use crate::watch::{self as watch_stream, FetchFuture};
use layers::{DeletionWalks, Layers};
use wal::Wal;
use writer::{CheckpointPolicy, Request, Work};

/// Key → entry (revisions and value, see `codec`).
const KV: TableDefinition<&[u8], &[u8]> = TableDefinition::new("kv");
/// Store-wide counters.
const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
const META_REVISION: &str = "revision";
/// What stores written by earlier versions kept of their watch history,
/// removed when such a store is opened.
const LEGACY_HISTORY: TableDefinition<u64, &[u8]> = TableDefinition::new("history");
const LEGACY_META_KEYS: [&str; 2] = ["oldest", "history_bytes"];

/// Ranges of at most this many keys are read on the calling thread.
const INLINE_RANGE_LIMIT: usize = 1_000;

/// The database file inside the data dir.
pub const DATABASE_FILE: &str = "berth.redb";
pub use wal::{CHECKPOINTING_WAL_FILE, SPARE_WAL_FILE, WAL_FILE};

/// How an [`Embedded`] store behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedOptions {
    /// Size limits on keys, values and txns.
    pub limits: Limits,
    /// How many recent revisions keep their events in memory for watches
    /// (at least 1).
    pub history_revisions: u64,
    /// Most bytes of kept events; older revisions are dropped beyond it (the
    /// latest revision is always kept). A watcher that falls further behind
    /// gets [`StoreError::Compacted`] and starts over from a fresh read.
    pub history_max_bytes: u64,
    /// Bytes of file pages redb keeps in memory. redb's own default (1 GiB)
    /// would make a small server's resident memory grow to a gigabyte.
    /// Half of it is the most a write transaction holds dirty before redb
    /// writes pages out early, and a checkpoint should fit in that half: at
    /// commit redb takes each page the transaction wrote back in for
    /// writing, to checksum it, so a page written out early is read back
    /// and written again. A checkpoint of the C1M replay dirtied up to
    /// 99 MiB of pages; with 128 MiB here every page was written twice.
    pub cache_bytes: usize,
    /// Bytes of write-ahead log after which the writer checkpoints (writes
    /// the last state of each key the commits since the last one wrote into
    /// redb, durably, beside new commits). Bounds the log, the commits held
    /// in memory, and the replay after a crash.
    pub checkpoint_log_bytes: u64,
    /// Most time a commit stays only in the log before a checkpoint.
    pub checkpoint_interval: Duration,
}

impl Default for EmbeddedOptions {
    fn default() -> Self {
        EmbeddedOptions {
            limits: Limits::default(),
            history_revisions: 100_000,
            history_max_bytes: 128 * 1024 * 1024,
            cache_bytes: 256 * 1024 * 1024,
            checkpoint_log_bytes: 64 * 1024 * 1024,
            checkpoint_interval: Duration::from_secs(5),
        }
    }
}

/// The embedded [`Kv`] backend. Dropping it waits for the writer to finish
/// the commit in flight and closes the file; its watches then end.
pub struct Embedded {
    shared: Arc<Shared>,
    requests: Option<mpsc::Sender<Work>>,
    writer: Option<JoinHandle<()>>,
}

struct Shared {
    db: redb::Database,
    /// The commits since the last checkpoint, over `db`; see `layers`.
    layers: RwLock<Layers>,
    /// Deletions range reads stepped over in the active layer.
    deletion_walks: Mutex<DeletionWalks>,
    published: watch::Sender<Revision>,
    /// Recorded by the writer after each durable commit, before the
    /// revision is published.
    history: Mutex<History>,
    limits: Limits,
}

/// Maps a redb failure to a [`StoreError::Backend`] saying what was being done.
fn backend<E: Into<redb::Error>>(context: &'static str) -> impl FnOnce(E) -> StoreError {
    move |err| StoreError::Backend {
        context: context.into(),
        source: Box::new(err.into()),
    }
}

/// A write transaction whose commit is durable and saves redb's allocator
/// state with it ("quick repair"). Without it, opening the file after a
/// crash walks every page of it to rebuild that state: seconds for a store
/// of a few hundred thousand tasks, on top of replaying the log. The store
/// commits durably only while opening and at checkpoints (a clean close
/// is one), so the state is saved once a checkpoint, not once a commit.
fn begin_durable_write(
    db: &redb::Database,
    context: &'static str,
) -> Result<redb::WriteTransaction, StoreError> {
    let mut write = db.begin_write().map_err(backend(context))?;
    write.set_quick_repair(true);
    Ok(write)
}

impl Embedded {
    /// Opens (creating if needed) the store in data dir `dir`, with the
    /// default options. Fails when another process has it open.
    pub fn open(dir: impl AsRef<Path>) -> Result<Embedded, StoreError> {
        Self::open_with(dir, EmbeddedOptions::default())
    }

    /// Opens (creating if needed) the store in `dir` with `options`.
    pub fn open_with(
        dir: impl AsRef<Path>,
        options: EmbeddedOptions,
    ) -> Result<Embedded, StoreError> {
        let dir = dir.as_ref();
        if !writer::logs_whole_batches(&options.limits) {
            return Err(StoreError::TooLarge {
                what: "transaction limits of the embedded store (a batch must fit one log record)",
                size: options.limits.max_txn_bytes,
                limit: writer::MAX_TXN_BYTES,
            });
        }
        std::fs::create_dir_all(dir).map_err(|err| StoreError::Backend {
            context: format!("creating data dir {}", dir.display()),
            source: Box::new(err),
        })?;
        // The store's directory must outlive a crash like what it holds.
        wal::sync_dir(
            dir.parent()
                .filter(|parent| !parent.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        )?;
        let path: PathBuf = dir.join(DATABASE_FILE);
        let db = redb::Builder::new()
            .set_cache_size(options.cache_bytes)
            .create(&path)
            .map_err(|err| match err {
            redb::DatabaseError::DatabaseAlreadyOpen => StoreError::Backend {
                context: format!(
                    "the store {} is already open in another process (or elsewhere in this one)",
                    path.display()
                ),
                source: Box::new(redb::Error::from(err)),
            },
            other => StoreError::Backend {
                context: format!("opening the store {}", path.display()),
                source: Box::new(redb::Error::from(other)),
            },
        })?;
        let durable = init_tables(&db)?;
        let (wal, revision) = recover(&db, dir, durable)?;
        let (published, _) = watch::channel(revision);
        let shared = Arc::new(Shared {
            db,
            layers: RwLock::new(Layers {
                revision,
                ..Layers::default()
            }),
            deletion_walks: Mutex::new(DeletionWalks::default()),
            published,
            history: Mutex::new(History::new(
                revision,
                options.history_revisions,
                options.history_max_bytes,
            )),
            limits: options.limits,
        });
        let (requests, receiver) = mpsc::channel();
        let writer_shared = shared.clone();
        let writer_dir = dir.to_path_buf();
        let policy = CheckpointPolicy {
            log_bytes: options.checkpoint_log_bytes,
            interval: options.checkpoint_interval,
        };
        let writer = std::thread::Builder::new()
            .name("berth-store-writer".into())
            .spawn(move || writer::run(writer_shared, receiver, revision, wal, writer_dir, policy))
            .map_err(|err| StoreError::Backend {
                context: "starting the store writer thread".into(),
                source: Box::new(err),
            })?;
        Ok(Embedded {
            shared,
            requests: Some(requests),
            writer: Some(writer),
        })
    }

    async fn read<T, F>(&self, read: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Shared) -> Result<T, StoreError> + Send + 'static,
    {
        let shared = self.shared.clone();
        spawn_read(move || read(&shared)).await
    }

    async fn submit(&self, txn: Txn) -> Result<TxnResult, StoreError> {
        let (reply, answer) = oneshot::channel();
        let requests = self.requests.as_ref().ok_or(StoreError::Closed)?;
        requests
            .send(Work::Commit(Request { txn, reply }))
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }
}

/// Runs a blocking read off the async threads.
async fn spawn_read<T: Send + 'static>(
    read: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(read)
        .await
        .map_err(|err| StoreError::Backend {
            context: "a store read task failed".into(),
            source: Box::new(err),
        })?
}

impl Drop for Embedded {
    fn drop(&mut self) {
        // Closing the queue lets the writer finish its batch and stop.
        self.requests = None;
        let panicked = self
            .writer
            .take()
            .is_some_and(|writer| writer.join().is_err());
        if panicked {
            tracing::error!("the store writer thread panicked");
        }
    }
}

/// Creates the tables of a new file and reads the revision an existing one
/// stands at. A file from an earlier version loses the watch history it
/// kept: nothing could read it any more.
fn init_tables(db: &redb::Database) -> Result<Revision, StoreError> {
    let write = begin_durable_write(db, "starting to open the store")?;
    let revision = {
        write
            .open_table(KV)
            .map_err(backend("creating the kv table"))?;
        let mut meta = write
            .open_table(META)
            .map_err(backend("creating the meta table"))?;
        for key in LEGACY_META_KEYS {
            meta.remove(key)
                .map_err(backend("removing the legacy history counters"))?;
        }
        meta.get(META_REVISION)
            .map_err(backend("reading the meta table"))?
            .map(|v| v.value())
            .unwrap_or(0)
    };
    write
        .delete_table(LEGACY_HISTORY)
        .map_err(backend("removing the legacy history table"))?;
    write.commit().map_err(backend("opening the store"))?;
    Ok(revision)
}

/// Replays into redb the commits the write-ahead logs hold past its durable
/// revision `durable` (first the log a checkpoint was writing, if a crash
/// left one, then the current one), makes them durable there and starts the
/// log over. Returns the log and the revision the store stands at.
fn recover(
    db: &redb::Database,
    dir: &Path,
    durable: Revision,
) -> Result<(Wal, Revision), StoreError> {
    wal::remove_unfinished_spare(dir)?;
    let write = begin_durable_write(db, "starting to replay the write-ahead log")?;
    let mut revision = durable;
    let aside = dir.join(wal::CHECKPOINTING_WAL_FILE);
    let aside_exists = aside.try_exists().map_err(|err| StoreError::Backend {
        context: format!("looking for {}", aside.display()),
        source: Box::new(err),
    })?;
    let mut wal = {
        let mut kv = write
            .open_table(KV)
            .map_err(backend("opening the kv table"))?;
        if aside_exists {
            Wal::open(dir, wal::CHECKPOINTING_WAL_FILE, revision, |at, events| {
                writer::write_events(&mut kv, &events)?;
                revision = at;
                Ok(())
            })?;
        }
        let wal = Wal::open(dir, wal::WAL_FILE, revision, |at, events| {
            writer::write_events(&mut kv, &events)?;
            revision = at;
            Ok(())
        })?;
        if revision != durable {
            writer::write_revision(&write, revision)?;
            tracing::info!(
                from = durable + 1,
                to = revision,
                "replayed the write-ahead log"
            );
        }
        wal
    };
    if revision == durable {
        // Nothing to replay: opening costs no durable commit of its own.
        write
            .abort()
            .map_err(backend("ending an empty replay of the write-ahead log"))?;
    } else {
        write
            .commit()
            .map_err(backend("committing the write-ahead log's replay"))?;
    }
    if aside_exists {
        std::fs::remove_file(&aside).map_err(|err| StoreError::Backend {
            context: format!("removing the replayed log {}", aside.display()),
            source: Box::new(err),
        })?;
    }
    if wal.len() > 0 {
        wal.reset()?;
    }
    Ok((wal, revision))
}

impl Shared {
    fn snapshot(&self) -> Result<redb::ReadTransaction, StoreError> {
        self.db.begin_read().map_err(backend("starting a read"))
    }

    fn layers(&self) -> RwLockReadGuard<'_, Layers> {
        // Only the writer changes the layers, by complete steps that
        // cannot fail halfway.
        self.layers
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn layers_mut(&self) -> RwLockWriteGuard<'_, Layers> {
        self.layers
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts the deletions in the active layer a range read stepped over
    /// (see [`DeletionWalks::note`]), and says whether the reads now ask the
    /// writer for a checkpoint. A read that walked none takes no lock.
    fn note_deletions_walked(&self, walked: u64, layer_keys: usize, freezes: u64) -> bool {
        walked > 0 && self.deletion_walks().note(walked, layer_keys, freezes)
    }

    fn deletion_walks(&self) -> MutexGuard<'_, DeletionWalks> {
        // Only changed by complete, infallible steps.
        self.deletion_walks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn history(&self) -> MutexGuard<'_, History> {
        // The history is only changed by complete, infallible steps, so it
        // stays whole even if a holder of the lock panicked.
        self.history
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// An entry of the kv table as a range read finds it.
struct Stored<'a> {
    key: redb::AccessGuard<'a, &'static [u8]>,
    entry: redb::AccessGuard<'a, &'static [u8]>,
}

impl layers::DiskEntry for Stored<'_> {
    fn key(&self) -> &[u8] {
        self.key.value()
    }

    fn decode(self) -> Result<KeyValue, StoreError> {
        Ok(codec::decode_entry(self.key.value(), self.entry.value())?)
    }
}

/// A range read, and whether the writer should be asked for a checkpoint
/// (see [`Shared::note_deletions_walked`]).
fn read_range(
    shared: &Shared,
    range: &KeyRange,
    limit: usize,
    order: Order,
) -> Result<(RangeResult, bool), StoreError> {
    if !range.end.is_empty() && range.start >= range.end {
        let empty = RangeResult {
            kvs: Vec::new(),
            more: false,
            revision: shared.layers().revision,
        };
        return Ok((empty, false));
    }
    // Taken under the layers' lock, redb is at least as new as the frozen
    // layer's base and no newer than the layers: together they are the
    // state at `revision`.
    let (memory, read, revision, layer_keys, freezes) = {
        let layers = shared.layers();
        (
            layers.collect(range, limit, order),
            shared.snapshot()?,
            layers.revision,
            layers.active.len(),
            layers.freezes,
        )
    };
    let table = read
        .open_table(KV)
        .map_err(backend("opening the kv table"))?;
    let iter = table
        .range::<&[u8]>(range.bounds())
        .map_err(backend("reading a range"))?;
    let stored = |item: Result<_, redb::StorageError>| {
        item.map(|(key, entry)| Stored { key, entry })
            .map_err(backend("reading a range"))
    };
    let merged = match order {
        Order::Ascending => layers::merge_range(memory, iter.map(stored), limit, order),
        Order::Descending => layers::merge_range(memory, iter.rev().map(stored), limit, order),
    }?;
    let ask_checkpoint = shared.note_deletions_walked(merged.deletions_walked, layer_keys, freezes);
    let result = RangeResult {
        kvs: merged.kvs,
        more: merged.more,
        revision,
    };
    Ok((result, ask_checkpoint))
}

impl Embedded {
    async fn read_range(
        &self,
        range: &KeyRange,
        limit: usize,
        order: Order,
    ) -> Result<RangeResult, StoreError> {
        // Pages are bounded work like a point read; whole ranges may be
        // large, so they run off the async threads.
        let (result, ask_checkpoint) = if (1..=INLINE_RANGE_LIMIT).contains(&limit) {
            read_range(&self.shared, range, limit, order)?
        } else {
            let range = range.clone();
            self.read(move |shared| read_range(shared, &range, limit, order))
                .await?
        };
        if ask_checkpoint && let Some(requests) = &self.requests {
            // A closed queue means the writer has stopped: there is nothing
            // to ask.
            let _ = requests.send(Work::Checkpoint);
        }
        Ok(result)
    }
}

#[async_trait::async_trait]
impl Kv for Embedded {
    async fn get(&self, key: &[u8]) -> Result<Option<KeyValue>, StoreError> {
        // A point read is one B-tree descent over pages that are almost
        // always cached: cheaper done here than handed to a blocking thread
        // (the handoff was 13% of the server's CPU under a placement load).
        if let Some(slot) = self.shared.layers().lookup(key) {
            return Ok(slot.as_deref().cloned());
        }
        let read = self.shared.snapshot()?;
        let table = read
            .open_table(KV)
            .map_err(backend("opening the kv table"))?;
        let entry = table.get(key).map_err(backend("reading a key"))?;
        match entry {
            Some(bytes) => Ok(Some(codec::decode_entry(key, bytes.value())?)),
            None => Ok(None),
        }
    }

    async fn range(&self, range: &KeyRange, limit: usize) -> Result<RangeResult, StoreError> {
        self.read_range(range, limit, Order::Ascending).await
    }

    async fn range_rev(&self, range: &KeyRange, limit: usize) -> Result<RangeResult, StoreError> {
        self.read_range(range, limit, Order::Descending).await
    }

    async fn txn(&self, txn: Txn) -> Result<TxnResult, StoreError> {
        self.shared.limits.check(&txn)?;
        self.submit(txn).await
    }

    fn limits(&self) -> Limits {
        self.shared.limits
    }

    async fn revision(&self) -> Result<Revision, StoreError> {
        Ok(*self.shared.published.borrow())
    }

    async fn watch(
        &self,
        range: KeyRange,
        from_revision: Revision,
    ) -> Result<WatchStream, StoreError> {
        // Subscribing first means no commit published after the start point
        // is chosen can be missed.
        let published = self.shared.published.subscribe();
        let from = if from_revision == 0 {
            *published.borrow() + 1
        } else {
            self.shared.history().check_from(from_revision)?;
            from_revision
        };
        let weak: Weak<Shared> = Arc::downgrade(&self.shared);
        let fetch = Arc::new(move |from: Revision| -> FetchFuture {
            let fetched = match weak.upgrade() {
                Some(shared) => {
                    // Only the shared events are taken under the lock the
                    // writer records into; copying them happens after.
                    let slice = shared.history().slice(from);
                    slice.map(|slice| slice.events_in(&range))
                }
                None => Err(StoreError::Closed),
            };
            Box::pin(std::future::ready(fetched))
        });
        Ok(watch_stream::stream(published, from, fetch))
    }

    async fn compact(&self, revision: Revision) -> Result<(), StoreError> {
        self.shared.history().compact_to(revision);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::kv::{Event, EventKind, Op, Txn};

    fn put(
        key: &str,
        value: &str,
        create_revision: Revision,
        revision: Revision,
        version: u64,
    ) -> Event {
        Event {
            kind: EventKind::Put,
            kv: Arc::new(KeyValue {
                key: key.into(),
                value: bytes::Bytes::copy_from_slice(value.as_bytes()),
                create_revision,
                mod_revision: revision,
                version,
            }),
        }
    }

    #[test]
    fn limits_a_log_record_cannot_hold_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut options = EmbeddedOptions::default();
        options.limits.max_txn_bytes = 200 * 1024 * 1024;
        let err = Embedded::open_with(dir.path(), options)
            .err()
            .expect("refused");
        assert!(matches!(err, StoreError::TooLarge { .. }), "{err}");
        options.limits.max_txn_bytes = 32 * 1024 * 1024;
        options.limits.max_txn_ops = 16 * 1024;
        Embedded::open_with(dir.path(), options).expect("the server's limits fit");
    }

    #[tokio::test]
    async fn opening_replays_puts_and_deletes_the_log_holds() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Embedded::open(dir.path()).expect("open");
        let ops = ["a", "b"]
            .map(|key| Op::Put {
                key: key.into(),
                value: b"1".to_vec(),
            })
            .to_vec();
        let first = store
            .txn(Txn {
                compares: Vec::new(),
                ops,
            })
            .await
            .expect("write");
        assert_eq!(first.revision, 1);
        // A clean close checkpoints: redb holds revision 1 durably.
        drop(store);

        // What a crash leaves: revision 2 only in the log.
        let mut wal = Wal::open(dir.path(), WAL_FILE, 1, |_, _| Ok(())).expect("the log");
        assert_eq!(wal.len(), 0, "a clean close leaves nothing to replay");
        let mut delete_a = put("a", "", 0, 2, 0);
        delete_a.kind = EventKind::Delete;
        let events = vec![delete_a, put("b", "2", 1, 2, 2), put("c", "3", 2, 2, 1)];
        wal.append(&[(2, events)]).expect("append");
        drop(wal);

        let store = Embedded::open(dir.path()).expect("reopen");
        assert_eq!(store.revision().await.expect("revision"), 2);
        assert_eq!(store.get(b"a").await.expect("get"), None);
        let b = store.get(b"b").await.expect("get").expect("b");
        assert_eq!(
            (
                b.value.to_vec(),
                b.create_revision,
                b.mod_revision,
                b.version
            ),
            (b"2".to_vec(), 1, 2, 2)
        );
        let c = store.get(b"c").await.expect("get").expect("c");
        assert_eq!(
            (
                c.value.to_vec(),
                c.create_revision,
                c.mod_revision,
                c.version
            ),
            (b"3".to_vec(), 2, 2, 1)
        );
        let log = std::fs::read(dir.path().join(WAL_FILE)).expect("read the log");
        assert!(
            log.iter().all(|&byte| byte == 0),
            "the replay is durable in redb and the log starts over (in a spare, if one is ready)"
        );
        let next = store
            .txn(Txn {
                compares: Vec::new(),
                ops: vec![Op::Delete { key: b"b".to_vec() }],
            })
            .await
            .expect("write after the replay");
        assert_eq!(next.revision, 3);
    }

    /// What a crash during a checkpoint leaves: the commits it was writing
    /// in the log moved aside, newer ones in the current log, and redb
    /// with or without the checkpoint's commit.
    fn crash_mid_checkpoint(dir: &Path, checkpoint_committed: bool) {
        let store = Embedded::open(dir).expect("open");
        drop(store);
        let mut aside =
            Wal::open(dir, wal::CHECKPOINTING_WAL_FILE, 0, |_, _| Ok(())).expect("the log");
        aside
            .append(&[
                (1, vec![put("a", "1", 1, 1, 1)]),
                (2, vec![put("b", "2", 2, 2, 1)]),
            ])
            .expect("append");
        drop(aside);
        if checkpoint_committed {
            let db = redb::Database::open(dir.join(DATABASE_FILE)).expect("redb");
            let write = db.begin_write().expect("write");
            {
                let mut kv = write.open_table(KV).expect("kv");
                writer::write_events(&mut kv, &[put("a", "1", 1, 1, 1), put("b", "2", 2, 2, 1)])
                    .expect("checkpoint");
            }
            writer::write_revision(&write, 2).expect("revision");
            write.commit().expect("commit");
        }
        let mut current = Wal::open(dir, WAL_FILE, 2, |_, _| Ok(())).expect("the log");
        current
            .append(&[(3, vec![put("a", "3", 1, 3, 2)])])
            .expect("append");
    }

    #[tokio::test]
    async fn opening_replays_the_log_a_checkpoint_was_writing_then_the_current_one() {
        for checkpoint_committed in [false, true] {
            let dir = tempfile::tempdir().expect("temp dir");
            crash_mid_checkpoint(dir.path(), checkpoint_committed);
            let store = Embedded::open(dir.path()).expect("reopen");
            assert_eq!(store.revision().await.expect("revision"), 3);
            let a = store.get(b"a").await.expect("get").expect("a");
            assert_eq!(
                (a.value.to_vec(), a.mod_revision, a.version),
                (b"3".to_vec(), 3, 2)
            );
            let b = store.get(b"b").await.expect("get").expect("b");
            assert_eq!((b.value.to_vec(), b.mod_revision), (b"2".to_vec(), 2));
            assert!(
                !dir.path().join(wal::CHECKPOINTING_WAL_FILE).exists(),
                "the replayed log is removed"
            );
        }
    }

    #[tokio::test]
    async fn reads_stepping_over_many_deletions_start_a_checkpoint() {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = EmbeddedOptions {
            checkpoint_interval: Duration::from_secs(3600),
            ..EmbeddedOptions::default()
        };
        let keys: Vec<Vec<u8>> = (0..1_000)
            .map(|n| format!("k{n:04}").into_bytes())
            .collect();
        let write = |ops| Txn {
            compares: Vec::new(),
            ops,
        };
        let store = Embedded::open_with(dir.path(), options).expect("open");
        for chunk in keys.chunks(100) {
            let puts = chunk.iter().map(|key| Op::Put {
                key: key.clone(),
                value: b"1".to_vec(),
            });
            store.txn(write(puts.collect())).await.expect("puts");
        }
        // A clean close checkpoints: redb holds every key.
        drop(store);
        let store = Embedded::open_with(dir.path(), options).expect("reopen");
        let (gone, kept) = keys.split_at(keys.len() - 1);
        for chunk in gone.chunks(100) {
            let deletes = chunk.iter().map(|key| Op::Delete { key: key.clone() });
            store.txn(write(deletes.collect())).await.expect("deletes");
        }

        let range = KeyRange {
            start: b"k".to_vec(),
            end: b"l".to_vec(),
        };
        let first_page = async || {
            let page = store.range(&range, 1).await.expect("range");
            assert_eq!(page.kvs.len(), 1);
            assert_eq!(page.kvs[0].key, kept[0]);
        };
        let price = (gone.len() as u64 + layers::CHECKPOINT_FIXED_KEYS)
            * layers::WALKS_PER_CHECKPOINTED_KEY;
        let per_read = gone.len() as u64;
        for _ in 0..(price - 1) / per_read {
            first_page().await;
        }
        assert_eq!(
            store.shared.deletion_walks().walked,
            price - 1 - (price - 1) % per_read
        );
        assert!(!store.shared.deletion_walks().asked, "below the price");
        assert_eq!(store.shared.layers().freezes, 0);

        // This read reaches the price.
        first_page().await;
        assert!(store.shared.deletion_walks().asked || store.shared.layers().freezes == 1);
        let checkpointed = || {
            let layers = store.shared.layers();
            layers.freezes == 1 && layers.frozen.is_none()
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while !checkpointed() {
            assert!(std::time::Instant::now() < deadline, "no checkpoint");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert!(store.shared.layers().active.is_empty());
        let read = store.shared.snapshot().expect("snapshot");
        let table = read.open_table(KV).expect("kv table");
        for key in gone {
            assert!(table.get(key.as_slice()).expect("get").is_none());
        }
        first_page().await;
    }

    #[tokio::test]
    async fn deletions_walked_in_a_layer_being_checkpointed_do_not_count() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Embedded::open(dir.path()).expect("open");
        let shared = &store.shared;
        let freezes = shared.layers().freezes;
        let price = (layers::CHECKPOINT_FIXED_KEYS + 10) * layers::WALKS_PER_CHECKPOINTED_KEY;
        // A read that saw the layers before a freeze walked the frozen
        // layer's deletions: they go with the running checkpoint.
        assert!(!shared.note_deletions_walked(price, 10, freezes + 1));
        assert_eq!(shared.deletion_walks().walked, 0);
        // The reads of one active layer ask once, however many reach the
        // price.
        assert!(!shared.note_deletions_walked(price - 1, 10, freezes));
        assert!(shared.note_deletions_walked(1, 10, freezes));
        assert!(!shared.note_deletions_walked(price, 10, freezes));
        assert!(shared.deletion_walks().asked);
    }

    /// A store that starts a checkpoint after every commit (once the last
    /// one has ended).
    fn open_checkpointing_every_commit(dir: &Path) -> Embedded {
        let options = EmbeddedOptions {
            checkpoint_log_bytes: 1,
            ..EmbeddedOptions::default()
        };
        Embedded::open_with(dir, options).expect("open")
    }

    /// Writes keys `k0`, `k1`, … until `done` holds, for at most 30 s;
    /// returns how many were written.
    async fn write_until(store: &Embedded, mut done: impl FnMut() -> bool) -> u64 {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        let mut written = 0;
        while !done() {
            assert!(
                std::time::Instant::now() < deadline,
                "not done after {written} writes"
            );
            written = put_key(store, format!("k{written}")).await;
        }
        written
    }

    async fn put_key(store: &Embedded, key: String) -> Revision {
        store
            .txn(Txn {
                compares: Vec::new(),
                ops: vec![Op::Put {
                    key: key.into(),
                    value: b"v".to_vec(),
                }],
            })
            .await
            .expect("write")
            .revision
    }

    /// Every commit starts a checkpoint, so keys move from the layers into
    /// redb between any two commits: the writer's fences (the last key redb
    /// holds under a prefix) must not outlive the checkpoint that wrote keys
    /// past them, or a key only redb holds would be taken for a new one.
    #[tokio::test]
    async fn keys_checkpointed_between_commits_keep_their_versions() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = open_checkpointing_every_commit(dir.path());
        let mut versions: HashMap<String, u64> = HashMap::new();
        for i in 0..300u64 {
            let keys = [
                format!("p/{i:04}"),
                format!("p/{:04}", i.saturating_sub(1)),
                "p/0000".into(),
            ];
            for key in keys {
                let revision = put_key(&store, key.clone()).await;
                let version = versions.entry(key.clone()).or_default();
                *version += 1;
                let stored = store
                    .get(key.as_bytes())
                    .await
                    .expect("get")
                    .expect("stored");
                assert_eq!(stored.mod_revision, revision);
                assert_eq!(stored.version, *version, "{key} after {i} rounds");
                if *version == 1 {
                    assert_eq!(stored.create_revision, revision, "{key} is new");
                }
            }
        }
    }

    #[tokio::test]
    async fn a_written_value_is_the_one_copy_the_layers_and_watches_hold() {
        use futures::StreamExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Embedded::open(dir.path()).expect("open");
        let range = KeyRange::prefix(b"shared/");
        let mut first_watch = store.watch(range.clone(), 0).await.expect("watch");
        let mut second_watch = store.watch(range, 0).await.expect("watch");
        let value = vec![7u8; 4096];
        let written_at = value.as_ptr();
        let txn = Txn {
            compares: Vec::new(),
            ops: vec![Op::Put {
                key: b"shared/a".to_vec(),
                value,
            }],
        };
        store.txn(txn).await.expect("write");
        let seen = first_watch.next().await.expect("event").expect("events");
        let seen_again = second_watch.next().await.expect("event").expect("events");
        assert_eq!(
            seen[0].kv.value.as_ptr(),
            written_at,
            "the txn's bytes, not a copy"
        );
        assert!(Arc::ptr_eq(&seen[0].kv, &seen_again[0].kv));
        let layers = store.shared.layers();
        let held = layers.lookup(b"shared/a").expect("in the layers");
        assert!(Arc::ptr_eq(held.as_ref().expect("a put"), &seen[0].kv));
    }

    #[tokio::test]
    async fn logs_start_in_spares_and_a_clean_close_empties_the_log() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = open_checkpointing_every_commit(dir.path());
        let log = dir.path().join(WAL_FILE);
        // The log's file, read between the writer's rotations.
        let log_size = || std::fs::metadata(&log).map_or(0, |meta| meta.len());
        // Every commit starts a checkpoint once the last has ended; a spare
        // as large as the log allows (here the smallest) is written after
        // each, and the next rotation takes it.
        let written = write_until(&store, || log_size() == 64 * 1024).await;
        drop(store);
        assert_eq!(
            log_size(),
            0,
            "a clean close leaves no zeros for the next open to read"
        );
        let store = Embedded::open(dir.path()).expect("reopen");
        assert_eq!(put_key(&store, "after".into()).await, written + 1);
        let stored = store.range(&KeyRange::prefix(""), 0).await.expect("range");
        assert_eq!(stored.kvs.len() as u64, written + 1);
    }

    #[tokio::test]
    async fn a_store_opened_without_a_spare_moves_its_log_into_the_first_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Embedded::open(dir.path()).expect("open");
        let log = dir.path().join(WAL_FILE);
        let log_size = || std::fs::metadata(&log).map_or(0, |meta| meta.len());
        // The log moved into the first spare.
        let written = write_until(&store, || log_size() == 4 * 1024 * 1024).await;
        drop(store);
        let store = Embedded::open(dir.path()).expect("reopen");
        let stored = store.range(&KeyRange::prefix(""), 0).await.expect("range");
        assert_eq!(stored.kvs.len() as u64, written);
    }

    #[tokio::test]
    async fn an_idle_store_starts_its_empty_log_in_the_first_spare() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Embedded::open(dir.path()).expect("open");
        let log = dir.path().join(WAL_FILE);
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while std::fs::metadata(&log).map_or(0, |meta| meta.len()) < 4 * 1024 * 1024 {
            assert!(
                std::time::Instant::now() < deadline,
                "the empty log never started in the first spare"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(!dir.path().join(SPARE_WAL_FILE).exists());
        assert_eq!(put_key(&store, "k".into()).await, 1);
        drop(store);
        let store = Embedded::open(dir.path()).expect("reopen");
        assert_eq!(store.revision().await.expect("revision"), 1);
    }

    #[tokio::test]
    async fn a_store_closed_idle_gives_its_log_s_spare_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let log = dir.path().join(WAL_FILE);
        let spare = dir.path().join(SPARE_WAL_FILE);
        let size = |path: &Path| std::fs::metadata(path).map_or(0, |meta| meta.len());
        // A spare a last run left: the log starts in it at once.
        wal::prepare_spare(dir.path(), 3 * wal::SPARE_STEP).expect("spare");
        let store = Embedded::open(dir.path()).expect("open");
        assert_eq!(put_key(&store, "k".into()).await, 1);
        assert_eq!(size(&log), 3 * wal::SPARE_STEP);
        drop(store);
        // Its record went to redb on close, its zeros with the log.
        assert_eq!((size(&log), spare.exists()), (0, false));

        wal::prepare_spare(dir.path(), 3 * wal::SPARE_STEP).expect("spare");
        let store = Embedded::open(dir.path()).expect("reopen");
        assert_eq!(store.revision().await.expect("revision"), 1);
        drop(store);
        // Closed with nothing written, the log in the spare is the spare
        // again.
        assert_eq!(size(&log), 0);
        assert_eq!(size(&spare), 3 * wal::SPARE_STEP);
    }

    #[tokio::test]
    async fn opening_recovers_what_a_crash_among_spares_left() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Embedded::open(dir.path()).expect("open");
        assert_eq!(put_key(&store, "a".into()).await, 1);
        drop(store);
        let put_event = |key: &str, at: Revision| put(key, "v", at, at, 1);

        // A crash mid-rotation: revision 2 in the log moved aside, a spare
        // present, no log; a half-written spare beside them.
        let mut moved = Wal::open(dir.path(), WAL_FILE, 1, |_, _| Ok(())).expect("the log");
        moved
            .append(&[(2, vec![put_event("b", 2)])])
            .expect("append");
        drop(moved);
        std::fs::rename(
            dir.path().join(WAL_FILE),
            dir.path().join(wal::CHECKPOINTING_WAL_FILE),
        )
        .expect("move aside");
        wal::prepare_spare(dir.path(), wal::SPARE_STEP).expect("spare");
        let preparing = dir.path().join(wal::PREPARING_SPARE_FILE);
        std::fs::write(&preparing, [0, 1]).expect("write");
        let store = Embedded::open(dir.path()).expect("reopen");
        assert_eq!(store.revision().await.expect("revision"), 2);
        assert!(store.get(b"b").await.expect("get").is_some());
        assert!(!preparing.exists());
        assert_eq!(put_key(&store, "c".into()).await, 3);
        assert_eq!(
            std::fs::metadata(dir.path().join(WAL_FILE))
                .expect("stat")
                .len(),
            wal::SPARE_STEP,
            "the log started in the spare"
        );
        drop(store);

        // A crash with a record in a log that started in a spare: it
        // replays, and the zeros after it stay out of the way.
        wal::prepare_spare(dir.path(), wal::SPARE_STEP).expect("spare");
        std::fs::rename(dir.path().join(SPARE_WAL_FILE), dir.path().join(WAL_FILE))
            .expect("the spare as the log");
        let mut log = Wal::open(dir.path(), WAL_FILE, 3, |_, _| Ok(())).expect("the log");
        assert_eq!(log.len(), 0);
        log.append(&[(4, vec![put_event("d", 4)])]).expect("append");
        drop(log);
        let store = Embedded::open(dir.path()).expect("reopen");
        assert_eq!(store.revision().await.expect("revision"), 4);
        assert!(store.get(b"d").await.expect("get").is_some());
        assert_eq!(put_key(&store, "e".into()).await, 5);
    }

    #[tokio::test]
    async fn commits_during_a_checkpoint_survive_a_reopen() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = open_checkpointing_every_commit(dir.path());
        for round in 0..200u32 {
            let key = format!("k{}", round % 7);
            store
                .txn(Txn {
                    compares: Vec::new(),
                    ops: vec![Op::Put {
                        key: key.into(),
                        value: round.to_string().into(),
                    }],
                })
                .await
                .expect("write");
        }
        drop(store);
        assert!(!dir.path().join(wal::CHECKPOINTING_WAL_FILE).exists());
        let store = Embedded::open(dir.path()).expect("reopen");
        assert_eq!(store.revision().await.expect("revision"), 200);
        for (key, last) in (0..7).map(|k| (format!("k{k}"), (0..200).filter(|r| r % 7 == k).max()))
        {
            let kv = store
                .get(key.as_bytes())
                .await
                .expect("get")
                .expect("stored");
            assert_eq!(kv.value, last.expect("written").to_string().into_bytes());
        }
    }
}
