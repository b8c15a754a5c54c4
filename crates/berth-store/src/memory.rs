//! `MemoryKv`: a complete in-memory [`Kv`] with revisions, transactions and
//! watches, for unit tests of the crates above the store. Nothing survives a
//! drop.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use tokio::sync::watch;

use crate::apply::{self, Outcome, Stamp, StateView};
use crate::history::History;
use crate::kv::{
    KeyRange, KeyValue, Kv, Order, RangeResult, Revision, StoreError, Txn, TxnResult, WatchStream,
};
use crate::limits::Limits;
use crate::watch::{self as watch_stream, FetchFuture};

/// How many revisions of history a [`MemoryKv`] keeps by default.
pub const DEFAULT_MEMORY_HISTORY: u64 = 10_000;

/// An in-memory [`Kv`]. Clones share the same store.
#[derive(Clone)]
pub struct MemoryKv {
    inner: Arc<Inner>,
}

struct Inner {
    state: Mutex<State>,
    published: watch::Sender<Revision>,
    limits: Limits,
}

struct State {
    kvs: BTreeMap<Vec<u8>, KeyValue>,
    revision: Revision,
    history: History,
}

impl StateView for BTreeMap<Vec<u8>, KeyValue> {
    fn load(&mut self, key: &[u8]) -> Result<Option<Stamp>, StoreError> {
        Ok(self.get(key).map(Stamp::from))
    }
}

impl Default for MemoryKv {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryKv {
    /// An empty store with the default [`Limits`] and history retention.
    pub fn new() -> Self {
        Self::with_options(Limits::default(), DEFAULT_MEMORY_HISTORY)
    }

    /// An empty store enforcing `limits` that keeps the history of the last
    /// `history_revisions` revisions (at least 1) for watches.
    pub fn with_options(limits: Limits, history_revisions: u64) -> Self {
        let (published, _) = watch::channel(0);
        MemoryKv {
            inner: Arc::new(Inner {
                state: Mutex::new(State {
                    kvs: BTreeMap::new(),
                    revision: 0,
                    history: History::new(0, history_revisions, u64::MAX),
                }),
                published,
                limits,
            }),
        }
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state half-written:
        // every mutation is computed first and then applied without failing.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl MemoryKv {
    /// The first `limit` (0: all) keys of `range` in `order`.
    fn read_range(&self, range: &KeyRange, limit: usize, order: Order) -> RangeResult {
        let state = self.inner.lock();
        let limit = if limit == 0 { usize::MAX } else { limit };
        let mut kvs = Vec::new();
        let mut more = false;
        if range.end.is_empty() || range.start < range.end {
            let items = state.kvs.range::<[u8], _>(range.bounds());
            let items: Box<dyn Iterator<Item = _>> = match order {
                Order::Ascending => Box::new(items),
                Order::Descending => Box::new(items.rev()),
            };
            for (_, kv) in items {
                if kvs.len() == limit {
                    more = true;
                    break;
                }
                kvs.push(kv.clone());
            }
        }
        RangeResult {
            kvs,
            more,
            revision: state.revision,
        }
    }
}

#[async_trait::async_trait]
impl Kv for MemoryKv {
    async fn get(&self, key: &[u8]) -> Result<Option<KeyValue>, StoreError> {
        Ok(self.inner.lock().kvs.get(key).cloned())
    }

    async fn range(&self, range: &KeyRange, limit: usize) -> Result<RangeResult, StoreError> {
        Ok(self.read_range(range, limit, Order::Ascending))
    }

    async fn range_rev(&self, range: &KeyRange, limit: usize) -> Result<RangeResult, StoreError> {
        Ok(self.read_range(range, limit, Order::Descending))
    }

    fn limits(&self) -> Limits {
        self.inner.limits
    }

    async fn txn(&self, txn: Txn) -> Result<TxnResult, StoreError> {
        self.inner.limits.check(&txn)?;
        let mut state = self.inner.lock();
        let revision = state.revision + 1;
        let events = match apply::evaluate(&mut state.kvs, txn, revision)? {
            Outcome::Failed(idx) => {
                return Ok(TxnResult {
                    succeeded: false,
                    revision: state.revision,
                    failed_compare: Some(idx),
                });
            }
            Outcome::Applied(events) if events.is_empty() => {
                return Ok(TxnResult {
                    succeeded: true,
                    revision: state.revision,
                    failed_compare: None,
                });
            }
            Outcome::Applied(events) => events,
        };
        for event in &events {
            match event.kind {
                crate::kv::EventKind::Put => {
                    state
                        .kvs
                        .insert(event.kv.key.clone(), KeyValue::clone(&event.kv));
                }
                crate::kv::EventKind::Delete => {
                    state.kvs.remove(&event.kv.key);
                }
            }
        }
        state.revision = revision;
        state.history.record(revision, events);
        // Published under the lock so watchers never see revisions out of order.
        self.inner.published.send_replace(revision);
        Ok(TxnResult {
            succeeded: true,
            revision,
            failed_compare: None,
        })
    }

    async fn revision(&self) -> Result<Revision, StoreError> {
        Ok(self.inner.lock().revision)
    }

    async fn watch(
        &self,
        range: KeyRange,
        from_revision: Revision,
    ) -> Result<WatchStream, StoreError> {
        let from = {
            let state = self.inner.lock();
            if from_revision == 0 {
                state.revision + 1
            } else {
                state.history.check_from(from_revision)?;
                from_revision
            }
        };
        let weak: Weak<Inner> = Arc::downgrade(&self.inner);
        let fetch = Arc::new(move |from: Revision| -> FetchFuture {
            let result = match weak.upgrade() {
                Some(inner) => {
                    let slice = inner.lock().history.slice(from);
                    slice.map(|slice| slice.events_in(&range))
                }
                None => Err(StoreError::Closed),
            };
            Box::pin(std::future::ready(result))
        });
        Ok(watch_stream::stream(
            self.inner.published.subscribe(),
            from,
            fetch,
        ))
    }

    async fn compact(&self, revision: Revision) -> Result<(), StoreError> {
        self.inner.lock().history.compact_to(revision);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use futures::StreamExt;

    use super::*;
    use crate::kv::{EventKind, Op};

    fn put(key: &str, value: &str) -> Txn {
        Txn {
            compares: vec![],
            ops: vec![Op::Put {
                key: key.into(),
                value: value.into(),
            }],
        }
    }

    #[tokio::test]
    async fn memory_kv_put_get_and_watch() {
        let kv = MemoryKv::new();
        let mut watch = kv.watch(KeyRange::prefix("a/"), 0).await.expect("watch");
        assert_eq!(kv.txn(put("a/1", "x")).await.expect("txn").revision, 1);
        assert_eq!(kv.txn(put("b/1", "y")).await.expect("txn").revision, 2);
        assert_eq!(kv.txn(put("a/2", "z")).await.expect("txn").revision, 3);
        let got = kv.get(b"a/1").await.expect("get").expect("present");
        assert_eq!((&got.value[..], got.mod_revision), (&b"x"[..], 1));
        let mut seen = Vec::new();
        while seen.len() < 2 {
            let batch = watch.next().await.expect("open").expect("events");
            seen.extend(
                batch
                    .into_iter()
                    .map(|e| (e.kind, e.kv.key.clone(), e.kv.mod_revision)),
            );
        }
        assert_eq!(
            seen,
            vec![
                (EventKind::Put, b"a/1".to_vec(), 1),
                (EventKind::Put, b"a/2".to_vec(), 3)
            ]
        );
    }
}
