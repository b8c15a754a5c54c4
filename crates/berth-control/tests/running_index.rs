//! ListTasks' default listing reads the index of tasks to keep running: a
//! task is in it from its placement until its desired status turns STOPPED,
//! whichever way that happens, and stores from before the index get it.

use std::sync::Arc;

use berth_control::Control;
use berth_model::task::{DesiredStatus, StopCode};
use berth_state::tasks::{IndexedTasks, RUNNING_TASKS, task_key};
use berth_store::{Kv, MemoryKv, Txn};

mod support;

const CLUSTER: &str = "running-index";

/// The ids ListTasks lists for `desired`, in id order.
async fn listed(control: &Control, desired: DesiredStatus) -> Vec<String> {
    let page = control
        .state
        .tasks
        .list(CLUSTER, desired, None, 100, |_| true)
        .await
        .expect("listing");
    page.items.into_iter().map(|(id, _)| id).collect()
}

/// A server over a fresh store with one instance, and `count` tasks placed
/// on it, in id order.
async fn placed(count: u32) -> (Control, String, Vec<String>) {
    let kv: Arc<dyn Kv> = Arc::new(MemoryKv::new());
    let control = support::server_with_cluster(kv, CLUSTER).await;
    let (instance_id, ids) = support::placed_on_one_host(&control, CLUSTER, count).await;
    (control, instance_id, ids)
}

#[tokio::test]
async fn a_task_leaves_the_running_listing_whichever_way_it_stops() {
    let (control, instance_id, ids) = placed(4).await;
    assert_eq!(listed(&control, DesiredStatus::Running).await, ids);
    assert!(listed(&control, DesiredStatus::Stopped).await.is_empty());

    control
        .stop_task(CLUSTER, &ids[0], StopCode::UserInitiated, "by hand")
        .await
        .expect("StopTask");
    let report = support::stopped_report();
    control
        .apply_report(CLUSTER, &instance_id, &ids[1], &report)
        .await
        .expect("report");
    assert_eq!(listed(&control, DesiredStatus::Running).await, ids[2..]);
    assert_eq!(listed(&control, DesiredStatus::Stopped).await, ids[..2]);

    // A report after StopTask (the agent confirming the stop) leaves it out.
    control
        .apply_report(CLUSTER, &instance_id, &ids[0], &report)
        .await
        .expect("report");
    assert_eq!(listed(&control, DesiredStatus::Running).await, ids[2..]);

    control
        .deregister_instance(CLUSTER, &instance_id, true)
        .await
        .expect("deregistered with force");
    assert!(listed(&control, DesiredStatus::Running).await.is_empty());
    assert_eq!(listed(&control, DesiredStatus::Stopped).await, ids);
}

#[tokio::test]
async fn tasks_stored_before_the_index_existed_enter_it_once() {
    let (control, _, ids) = placed(3).await;
    control
        .stop_task(CLUSTER, &ids[0], StopCode::UserInitiated, "by hand")
        .await
        .expect("StopTask");
    // As a store written before the index: its entries are missing.
    let forget_index = Txn {
        compares: Vec::new(),
        ops: ids
            .iter()
            .map(|id| RUNNING_TASKS.delete_op(&task_key(CLUSTER, id)))
            .collect(),
    };
    control.state.kv.txn(forget_index).await.expect("txn");
    assert!(listed(&control, DesiredStatus::Running).await.is_empty());

    let tasks = &control.state.tasks;
    assert_eq!(
        tasks.index_stored_tasks().await.expect("indexing").running,
        2
    );
    assert_eq!(listed(&control, DesiredStatus::Running).await, ids[1..]);
    // Once a store is indexed, placements and stops keep it so.
    assert_eq!(
        tasks.index_stored_tasks().await.expect("indexing"),
        IndexedTasks::default()
    );
}
