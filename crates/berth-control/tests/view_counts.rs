//! The cluster view's per-instance task counts (what DescribeContainerInstances
//! and the task filters of ListContainerInstances read) take this server's
//! own writes from their writers, not from the store's watch: they hold
//! before the watch brings anything.

use std::sync::Arc;

use berth_model::task::{StopCode, TaskReport, TaskStatus};
use berth_store::{
    KeyRange, KeyValue, Kv, Limits, MemoryKv, RangeResult, Revision, StoreError, Txn, TxnResult,
    WatchStream,
};
use futures::StreamExt;

mod support;

const CLUSTER: &str = "counts";

/// [`MemoryKv`] whose watches deliver nothing while the test runs.
struct HeldWatches {
    store: MemoryKv,
    open: tokio::sync::watch::Sender<bool>,
}

#[async_trait::async_trait]
impl Kv for HeldWatches {
    async fn get(&self, key: &[u8]) -> Result<Option<KeyValue>, StoreError> {
        self.store.get(key).await
    }

    async fn range(&self, range: &KeyRange, limit: usize) -> Result<RangeResult, StoreError> {
        self.store.range(range, limit).await
    }

    async fn txn(&self, txn: Txn) -> Result<TxnResult, StoreError> {
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
        let open = self.open.subscribe();
        Ok(Box::pin(futures::stream::unfold(
            (events, open),
            |(mut events, mut open)| async move {
                open.wait_for(|open| *open).await.ok()?;
                let next = events.next().await?;
                Some((next, (events, open)))
            },
        )))
    }

    async fn compact(&self, revision: Revision) -> Result<(), StoreError> {
        self.store.compact(revision).await
    }
}

fn running_report() -> TaskReport {
    TaskReport {
        last_status: TaskStatus::Running,
        stopped_reason: None,
        started_at_ms: Some(1_700_000_000_000),
        ..support::stopped_report()
    }
}

#[tokio::test]
async fn this_servers_reports_and_stops_count_before_the_watch_brings_them() {
    let kv = Arc::new(HeldWatches {
        store: MemoryKv::new(),
        open: tokio::sync::watch::channel(false).0,
    });
    let control = support::server_with_cluster(kv.clone(), CLUSTER).await;
    let (instance_id, ids) = support::placed_on_one_host(&control, CLUSTER, 2).await;
    let view = control
        .views
        .loaded(CLUSTER)
        .expect("RunTask loaded the view");
    let counts = || {
        view.read(|data| {
            let counts = data.counts.get(&instance_id).cloned().unwrap_or_default();
            (counts.meant_to_run, counts.pending)
        })
    };
    assert_eq!(counts(), (2, 2), "placed: meant to run, not yet running");
    control
        .apply_report(CLUSTER, &instance_id, &ids[0], &running_report())
        .await
        .expect("report");
    assert_eq!(counts(), (2, 1), "the report's RUNNING");
    control
        .stop_task(CLUSTER, &ids[1], StopCode::UserInitiated, "by hand")
        .await
        .expect("StopTask");
    assert_eq!(
        counts(),
        (1, 1),
        "the stop, still pending until its agent reports"
    );
    assert!(!*kv.open.borrow(), "the watch brought nothing");
}
