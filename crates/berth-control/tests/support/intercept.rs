//! A store that lets a test act just before reads and transactions reach an
//! in-memory store (to count them, or to race them with another writer), or
//! hold its watches back.

use futures::StreamExt;

use berth_store::{
    KeyRange, KeyValue, Kv, Limits, MemoryKv, RangeResult, Revision, StoreError, Txn, TxnResult,
    WatchStream,
};

/// What a test does before a call reaches the store; nothing by default.
#[async_trait::async_trait]
pub trait Hooks: Send + Sync + 'static {
    async fn before_range(&self, _range: &KeyRange) {}
    async fn before_txn(&self, _store: &MemoryKv, _txn: &Txn) {}
    /// A gate the store's watches wait at before each batch of events,
    /// until it reads true; none by default.
    fn watch_gate(&self) -> Option<tokio::sync::watch::Receiver<bool>> {
        None
    }
}

/// [`MemoryKv`] with `hooks` run before its reads and transactions.
pub struct InterceptKv<H> {
    pub store: MemoryKv,
    pub hooks: H,
}

impl<H: Hooks> InterceptKv<H> {
    pub fn new(hooks: H) -> Self {
        InterceptKv {
            store: MemoryKv::new(),
            hooks,
        }
    }
}

#[async_trait::async_trait]
impl<H: Hooks> Kv for InterceptKv<H> {
    async fn get(&self, key: &[u8]) -> Result<Option<KeyValue>, StoreError> {
        self.store.get(key).await
    }

    async fn range(&self, range: &KeyRange, limit: usize) -> Result<RangeResult, StoreError> {
        self.hooks.before_range(range).await;
        self.store.range(range, limit).await
    }

    async fn txn(&self, txn: Txn) -> Result<TxnResult, StoreError> {
        self.hooks.before_txn(&self.store, &txn).await;
        self.store.txn(txn).await
    }

    fn limits(&self) -> Limits {
        self.store.limits()
    }

    async fn revision(&self) -> Result<Revision, StoreError> {
        self.store.revision().await
    }

    async fn watch(
        &self,
        range: KeyRange,
        from_revision: Revision,
    ) -> Result<WatchStream, StoreError> {
        let events = self.store.watch(range, from_revision).await?;
        let Some(gate) = self.hooks.watch_gate() else {
            return Ok(events);
        };
        Ok(Box::pin(futures::stream::unfold(
            (events, gate),
            |(mut events, mut gate)| async move {
                gate.wait_for(|open| *open).await.ok()?;
                let next = events.next().await?;
                Some((next, (events, gate)))
            },
        )))
    }

    async fn compact(&self, revision: Revision) -> Result<(), StoreError> {
        self.store.compact(revision).await
    }
}
