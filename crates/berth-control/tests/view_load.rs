//! The calls that need a cluster's view at once, as the first ones after a
//! start do, wait for one load of it instead of each making their own; and
//! no view is kept for a cluster that does not exist or was deleted, even
//! one deleted while its view loads.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use berth_control::ControlError;
use berth_model::cluster::ClusterStatus;
use berth_state::tasks::TASKS;
use berth_store::{KeyRange, MemoryKv};

mod support;

use support::intercept::{Hooks, InterceptKv};

const CLUSTER: &str = "herd";

/// Counts the reads of the cluster's task records, the bulk of a view's
/// load, and yields before each so concurrent loads interleave.
#[derive(Default)]
struct CountTaskReads(AtomicUsize);

#[async_trait::async_trait]
impl Hooks for CountTaskReads {
    async fn before_range(&self, range: &KeyRange) {
        if range.start.starts_with(&TASKS.key(&format!("{CLUSTER}/"))) {
            self.0.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
        }
    }
}

#[tokio::test]
async fn calls_that_need_a_view_at_once_share_one_load() {
    let kv = Arc::new(InterceptKv::new(CountTaskReads::default()));
    let first = support::server_with_cluster(kv.clone(), CLUSTER).await;
    support::placed_on_one_host(&first, CLUSTER, 3).await;

    // A server that starts over the same store, and eight calls at once.
    let restarted = support::server(kv.clone());
    let before = kv.hooks.0.load(Ordering::SeqCst);
    let views = futures::future::join_all((0..8).map(|_| restarted.views.get(CLUSTER))).await;
    assert_eq!(kv.hooks.0.load(Ordering::SeqCst) - before, 1);
    let first_view = views[0]
        .as_ref()
        .expect("the view loads")
        .as_ref()
        .expect("the cluster has a view");
    for view in &views {
        let view = view
            .as_ref()
            .expect("the view loads")
            .as_ref()
            .expect("the cluster has a view");
        assert!(Arc::ptr_eq(view, first_view));
    }
    first_view.read(|data| assert_eq!(data.tasks.len(), 3));
}

#[tokio::test]
async fn a_run_task_naming_no_cluster_makes_no_view() {
    let control = support::server(Arc::new(MemoryKv::new()));
    let definition = support::web_definition(None);
    let answer = control
        .run_tasks(support::run_request("nowhere", &definition, 1))
        .await;
    assert!(matches!(answer, Err(ControlError::ClusterNotFound)));
    assert!(control.views.loaded("nowhere").is_none());
}

#[tokio::test]
async fn a_deleted_cluster_gets_no_view() {
    let control = support::server_with_cluster(Arc::new(MemoryKv::new()), CLUSTER).await;
    control
        .state
        .clusters
        .modify::<berth_state::StateError>(CLUSTER, |cluster| {
            let mut cluster = cluster.expect("the cluster exists");
            cluster.status = ClusterStatus::Inactive;
            Ok(cluster)
        })
        .await
        .expect("the cluster is deleted");
    let view = control.views.get(CLUSTER).await.expect("the lookup works");
    assert!(view.is_none());
    assert!(control.views.loaded(CLUSTER).is_none());
}

/// Holds the first read of the cluster's task records, the middle of a
/// view's load, until the test lets it go on.
#[derive(Default)]
struct PauseFirstTaskRead {
    reads: AtomicUsize,
    paused: std::sync::atomic::AtomicBool,
    reached: tokio::sync::Notify,
    resume: tokio::sync::Notify,
}

#[async_trait::async_trait]
impl Hooks for PauseFirstTaskRead {
    async fn before_range(&self, range: &KeyRange) {
        if !range.start.starts_with(&TASKS.key(&format!("{CLUSTER}/"))) {
            return;
        }
        self.reads.fetch_add(1, Ordering::SeqCst);
        if !self.paused.swap(true, Ordering::SeqCst) {
            self.reached.notify_one();
            self.resume.notified().await;
        }
    }
}

#[tokio::test]
async fn a_cluster_deleted_while_its_view_loads_keeps_no_view() {
    let kv = Arc::new(InterceptKv::new(PauseFirstTaskRead::default()));
    let control = support::server_with_cluster(kv.clone(), CLUSTER).await;
    let loading = tokio::spawn({
        let control = control.clone();
        async move { control.views.get(CLUSTER).await }
    });
    kv.hooks.reached.notified().await;
    // What DeleteCluster does once the cluster is INACTIVE.
    control.views.forget(CLUSTER);
    kv.hooks.resume.notify_one();
    let view = loading.await.expect("joined").expect("the load works");
    assert!(view.is_some(), "the call that asked still gets its view");
    assert!(control.views.loaded(CLUSTER).is_none());
}

#[tokio::test]
async fn a_load_whose_caller_went_away_finishes_for_the_callers_behind_it() {
    let kv = Arc::new(InterceptKv::new(PauseFirstTaskRead::default()));
    let control = support::server_with_cluster(kv.clone(), CLUSTER).await;
    let first = tokio::spawn({
        let control = control.clone();
        async move { control.views.get(CLUSTER).await }
    });
    kv.hooks.reached.notified().await;
    // The first caller goes away mid-load, as a client that timed out does.
    first.abort();
    let second = tokio::spawn({
        let control = control.clone();
        async move { control.views.get(CLUSTER).await }
    });
    kv.hooks.resume.notify_one();
    let view = second.await.expect("joined").expect("the load works");
    assert!(view.is_some());
    assert!(control.views.loaded(CLUSTER).is_some());
    assert_eq!(
        kv.hooks.reads.load(Ordering::SeqCst),
        1,
        "one load, finished"
    );
}
