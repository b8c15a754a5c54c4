//! The calls that need a cluster's view at once, as the first ones after a
//! start do, wait for one load of it instead of each making their own; and
//! no view is kept for a cluster that does not exist or was deleted, even
//! one deleted while its view loads.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use berth_control::ControlError;
use berth_control::view::ClusterView;
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
    set_status(&control, ClusterStatus::Inactive).await;
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

/// Waits for `notify`, failing the test rather than hanging it.
async fn reached(notify: &tokio::sync::Notify) {
    tokio::time::timeout(std::time::Duration::from_secs(30), notify.notified())
        .await
        .expect("the load reaches the task records");
}

/// Sets the cluster's status, as DeleteCluster and CreateCluster do.
async fn set_status(control: &berth_control::Control, status: ClusterStatus) {
    control
        .state
        .clusters
        .modify::<berth_state::StateError>(CLUSTER, |cluster| {
            let mut cluster = cluster.expect("the cluster exists");
            cluster.status = status;
            Ok(cluster)
        })
        .await
        .expect("the cluster changes");
}

/// A view's load.
type Loading = tokio::task::JoinHandle<Result<Option<Arc<ClusterView>>, berth_state::StateError>>;

/// A server with the cluster, and its view loading in the background,
/// paused at its first read of task records.
async fn a_paused_load() -> (
    Arc<InterceptKv<PauseFirstTaskRead>>,
    berth_control::Control,
    Loading,
) {
    let kv = Arc::new(InterceptKv::new(PauseFirstTaskRead::default()));
    let control = support::server_with_cluster(kv.clone(), CLUSTER).await;
    let loading = tokio::spawn({
        let control = control.clone();
        async move { control.views.get(CLUSTER).await }
    });
    reached(&kv.hooks.reached).await;
    (kv, control, loading)
}

/// What DeleteCluster does: the cluster INACTIVE, and its view forgotten.
async fn delete_cluster(control: &berth_control::Control) {
    set_status(control, ClusterStatus::Inactive).await;
    control.views.forget(CLUSTER);
}

#[tokio::test]
async fn a_cluster_deleted_while_its_view_loads_keeps_no_view() {
    let (kv, control, loading) = a_paused_load().await;
    delete_cluster(&control).await;
    kv.hooks.resume.notify_one();
    let view = loading.await.expect("joined").expect("the lookup works");
    assert!(view.is_none(), "the caller learns the cluster is gone");
    assert!(control.views.loaded(CLUSTER).is_none());
}

#[tokio::test]
async fn a_cluster_deleted_and_created_again_while_its_view_loads_gets_one_view() {
    let (kv, control, old_load) = a_paused_load().await;
    delete_cluster(&control).await;
    set_status(&control, ClusterStatus::Active).await;
    let new_view = support::view_of(&control, CLUSTER).await;
    kv.hooks.resume.notify_one();
    let old_view = old_load
        .await
        .expect("joined")
        .expect("loads")
        .expect("a view");
    assert!(
        Arc::ptr_eq(&old_view, &new_view),
        "one view for the cluster"
    );
    let kept = control.views.loaded(CLUSTER).expect("kept");
    assert!(Arc::ptr_eq(&kept, &new_view));
}

#[tokio::test]
async fn a_load_whose_caller_went_away_finishes_all_the_same() {
    let (kv, control, first) = a_paused_load().await;
    // The caller goes away mid-load, as a client that timed out does.
    first.abort();
    kv.hooks.resume.notify_one();
    let kept = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        loop {
            if let Some(view) = control.views.loaded(CLUSTER) {
                return view;
            }
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
    })
    .await
    .expect("the load finishes without its caller");
    let view = support::view_of(&control, CLUSTER).await;
    assert!(Arc::ptr_eq(&view, &kept));
    assert_eq!(
        kv.hooks.reads.load(Ordering::SeqCst),
        1,
        "one load, finished"
    );
}
