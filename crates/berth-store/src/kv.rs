//! The storage contract: a revisioned key-value store with compare-and-swap
//! transactions, ranges and watches. Every backend passes the same
//! conformance suite; nothing above the typed repositories knows which
//! backend runs.

use std::ops::Bound;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use futures::Stream;

use crate::limits::Limits;

/// A store-wide, strictly increasing commit number. Revision 0 means "never":
/// no commit has it, and a key whose mod revision is 0 does not exist.
pub type Revision = u64;

/// One stored key with its value and the revisions that describe its history.
/// The value is shared, not copied, by the store's layers, its watch history
/// and every watcher that reads an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub key: Vec<u8>,
    pub value: Bytes,
    /// Revision of the commit that created the key (since its last delete).
    pub create_revision: Revision,
    /// Revision of the commit that last wrote the key.
    pub mod_revision: Revision,
    /// Number of writes since creation; 1 after the first put.
    pub version: u64,
}

/// A half-open key range `[start, end)`. An empty `end` means "no upper bound";
/// a range whose `end` is not after its `start` is empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRange {
    pub start: Vec<u8>,
    pub end: Vec<u8>,
}

impl KeyRange {
    /// All keys that begin with `prefix`.
    pub fn prefix(prefix: impl Into<Vec<u8>>) -> Self {
        let start = prefix.into();
        let end = prefix_end(&start);
        KeyRange { start, end }
    }

    /// Keys of `prefix` strictly after `after` (which must itself begin with
    /// `prefix`): the next page of a paginated listing.
    pub fn prefix_after(prefix: impl Into<Vec<u8>>, after: &[u8]) -> Self {
        let prefix = prefix.into();
        let mut start = after.to_vec();
        start.push(0);
        KeyRange {
            end: prefix_end(&prefix),
            start,
        }
    }

    /// Exactly one key.
    pub fn single(key: impl Into<Vec<u8>>) -> Self {
        let start = key.into();
        let mut end = start.clone();
        end.push(0);
        KeyRange { start, end }
    }

    /// What is left of this range after `page`, a page [`Kv::range`] read
    /// from it in ascending order, or `None` when `page` was its last: the
    /// next page of a read in pages.
    pub fn rest_after(&self, page: &RangeResult) -> Option<KeyRange> {
        let last = page.kvs.last().filter(|_| page.more)?;
        let mut start = last.key.clone();
        start.push(0);
        Some(KeyRange {
            start,
            end: self.end.clone(),
        })
    }

    /// The range as the bounds ordered maps and redb's tables take.
    pub(crate) fn bounds(&self) -> (Bound<&[u8]>, Bound<&[u8]>) {
        let end = if self.end.is_empty() {
            Bound::Unbounded
        } else {
            Bound::Excluded(self.end.as_slice())
        };
        (Bound::Included(self.start.as_slice()), end)
    }

    /// Whether `key` falls inside the range.
    pub fn contains(&self, key: &[u8]) -> bool {
        key >= self.start.as_slice() && (self.end.is_empty() || key < self.end.as_slice())
    }
}

/// The smallest key greater than every key that starts with `prefix`, or empty
/// (unbounded) when no such key exists.
fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return end;
        }
    }
    Vec::new()
}

/// A condition on one key, checked atomically with the rest of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compare {
    pub key: Vec<u8>,
    pub condition: Condition,
}

/// What a [`Compare`] requires of its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// The key does not exist.
    Absent,
    /// The key exists, whatever its value.
    Exists,
    /// The key's mod revision equals this one (0 also matches an absent key).
    ModRevision(Revision),
}

/// One write inside a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Put { key: Vec<u8>, value: Vec<u8> },
    Delete { key: Vec<u8> },
}

impl Op {
    /// The bytes the op carries: its key, and the value it puts.
    pub fn bytes(&self) -> usize {
        match self {
            Op::Put { key, value } => key.len() + value.len(),
            Op::Delete { key } => key.len(),
        }
    }
}

/// Which way a range is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    Ascending,
    Descending,
}

/// An atomic transaction: if every compare holds, all ops apply in one new
/// revision; otherwise nothing is written.
///
/// Ops apply in order and the transaction keeps the final state of each key it
/// touches: a key written twice holds the last value and its version grows by
/// one; a key deleted and written again is created anew (create revision =
/// this revision, version 1); a key put and deleted again, or a delete of an
/// absent key, leaves no trace. A successful transaction that changes nothing
/// (no ops, or only deletes of absent keys) creates no revision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Txn {
    pub compares: Vec<Compare>,
    pub ops: Vec<Op>,
}

/// The outcome of a [`Txn`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxnResult {
    /// Whether every compare held and the ops were applied.
    pub succeeded: bool,
    /// The revision of the commit when `succeeded` (the current revision when
    /// the transaction changed nothing), else the current revision.
    pub revision: Revision,
    /// Index of the first compare that failed, when `!succeeded`.
    pub failed_compare: Option<usize>,
}

/// The answer to a range read, taken at one revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeResult {
    pub kvs: Vec<KeyValue>,
    /// Whether more keys exist in the range beyond the limit.
    pub more: bool,
    /// The store revision the read observed.
    pub revision: Revision,
}

/// Whether an [`Event`] wrote or removed its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Put,
    Delete,
}

/// One change seen by a watch. For a delete, `kv.value` is empty,
/// `kv.mod_revision` is the revision of the delete and `kv.create_revision`
/// and `kv.version` are 0. A commit yields one event per key it changed, in
/// key order. The key and value are shared: the store's memory of the
/// change, its history and every watch that sees it hold the one copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    pub kv: Arc<KeyValue>,
}

/// Batches of events, in revision order; each batch holds the events of one
/// or more whole commits.
pub type WatchStream = Pin<Box<dyn Stream<Item = Result<Vec<Event>, StoreError>> + Send>>;

/// Errors a backend can return.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The requested revision is older than the oldest history the store keeps.
    #[error("revision {requested} has been compacted (oldest kept: {oldest})")]
    Compacted {
        requested: Revision,
        oldest: Revision,
    },
    /// A transaction or value exceeded a limit of the backend.
    /// `size` and `limit` count bytes, except for `"transaction ops"`, which
    /// counts compares and ops.
    #[error("{what} too large: {size} (limit {limit})")]
    TooLarge {
        what: &'static str,
        size: usize,
        limit: usize,
    },
    /// The store was shut down.
    #[error("the store is closed")]
    Closed,
    /// A failure inside the backend (disk, network, corruption).
    #[error("storage backend failed: {context}")]
    Backend {
        context: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// The storage contract. Writes are durable when their future resolves.
#[async_trait::async_trait]
pub trait Kv: Send + Sync + 'static {
    /// Reads one key at the latest revision.
    async fn get(&self, key: &[u8]) -> Result<Option<KeyValue>, StoreError>;

    /// Reads up to `limit` keys of `range` in key order (0 = no limit), all at
    /// one revision.
    async fn range(&self, range: &KeyRange, limit: usize) -> Result<RangeResult, StoreError>;

    /// Like [`Kv::range`] but in descending key order: the `limit` greatest
    /// keys of `range`. Backends with ordered storage override this (both
    /// of Berth's do); the default reads the whole range, which is correct
    /// but unbounded.
    async fn range_rev(&self, range: &KeyRange, limit: usize) -> Result<RangeResult, StoreError> {
        let mut result = self.range(range, 0).await?;
        result.kvs.reverse();
        if limit > 0 && result.kvs.len() > limit {
            result.kvs.truncate(limit);
            result.more = true;
        }
        Ok(result)
    }

    /// Applies `txn` atomically and durably, or not at all. A txn whose
    /// future is dropped before it resolves may or may not have been applied
    /// (as with etcd); callers that must know re-read or use a compare.
    async fn txn(&self, txn: Txn) -> Result<TxnResult, StoreError>;

    /// The size limits [`Kv::txn`] enforces, so callers that batch writes
    /// can size their transactions to fit.
    fn limits(&self) -> Limits;

    /// The latest committed revision.
    async fn revision(&self) -> Result<Revision, StoreError>;

    /// Streams every change to keys in `range` with a revision greater than or
    /// equal to `from_revision` (0 = from the next commit), in revision order,
    /// with no gaps and no duplicates.
    ///
    /// Fails with [`StoreError::Compacted`] when `from_revision` is older than
    /// the kept history; a watcher that falls behind the retention while
    /// streaming gets the same error as its last item. The stream ends after
    /// yielding [`StoreError::Closed`] when the store shuts down.
    async fn watch(
        &self,
        range: KeyRange,
        from_revision: Revision,
    ) -> Result<WatchStream, StoreError>;

    /// Discards the change history of revisions before `revision` (clamped to
    /// the next revision), so watches from older revisions fail with
    /// [`StoreError::Compacted`]. Current values are untouched. Backends also
    /// compact on their own to bound the history they keep.
    async fn compact(&self, revision: Revision) -> Result<(), StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(keys: &[&str], more: bool) -> RangeResult {
        RangeResult {
            kvs: keys
                .iter()
                .map(|key| KeyValue {
                    key: key.as_bytes().to_vec(),
                    value: Bytes::new(),
                    create_revision: 1,
                    mod_revision: 1,
                    version: 1,
                })
                .collect(),
            more,
            revision: 1,
        }
    }

    #[test]
    fn the_rest_of_a_range_starts_just_after_its_last_page() {
        let range = KeyRange::prefix("k/");
        let rest = range
            .rest_after(&page(&["k/a", "k/b"], true))
            .expect("more follows");
        assert_eq!(rest.start, b"k/b\0".to_vec());
        assert_eq!(rest.end, range.end);
        assert!(!rest.contains(b"k/b"));
        assert!(rest.contains(b"k/b0"));
        assert!(!rest.contains(b"l"));
    }

    #[test]
    fn a_last_page_leaves_no_rest() {
        let range = KeyRange::prefix("k/");
        assert_eq!(range.rest_after(&page(&["k/a"], false)), None);
        assert_eq!(range.rest_after(&page(&[], false)), None);
        // An empty page has no key to go on from, whatever it says.
        assert_eq!(range.rest_after(&page(&[], true)), None);
    }
}
