//! STOPPED tasks are kept for the retention period after they stopped,
//! then removed; tasks still active are never touched.

use std::sync::Arc;

use berth_control::{Control, ControlConfig};
use berth_state::clock::ManualClock;
use berth_store::{Kv, MemoryKv};

mod support;

const CLUSTER: &str = "retention";
const MINUTE_MS: i64 = 60_000;

async fn stop_by_report(control: &Control, task_id: &str, instance_id: &str) {
    control
        .apply_report(CLUSTER, instance_id, task_id, &support::stopped_report())
        .await
        .expect("report applied");
}

async fn stored_ids(control: &Control) -> Vec<String> {
    let mut ids: Vec<String> = control
        .state
        .tasks
        .all(CLUSTER, |_| true)
        .await
        .expect("tasks")
        .into_iter()
        .map(|task| task.id)
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn stopped_tasks_go_once_their_retention_has_passed() {
    let kv: Arc<dyn Kv> = Arc::new(MemoryKv::new());
    let clock = Arc::new(ManualClock::new(1_700_000_000_000));
    let retention_ms = ControlConfig::default().stopped_task_retention_ms;
    let control = support::server_with_cluster_at(kv, CLUSTER, clock.clone()).await;
    let (instance_id, ids) = support::placed_on_one_host(&control, CLUSTER, 4).await;
    let [early_a, early_b, late, running] = <[String; 4]>::try_from(ids).expect("four tasks");

    stop_by_report(&control, &early_a, &instance_id).await;
    stop_by_report(&control, &early_b, &instance_id).await;
    clock.advance(retention_ms / 2);
    stop_by_report(&control, &late, &instance_id).await;

    // Nothing has been stopped for the whole retention yet.
    clock.advance(retention_ms / 2 - MINUTE_MS);
    assert_eq!(control.expire_stopped_tasks().await.expect("pass"), 0);

    clock.advance(2 * MINUTE_MS);
    assert_eq!(control.expire_stopped_tasks().await.expect("pass"), 2);
    let mut kept = vec![late.clone(), running.clone()];
    kept.sort();
    assert_eq!(stored_ids(&control).await, kept);

    clock.advance(retention_ms);
    assert_eq!(control.expire_stopped_tasks().await.expect("pass"), 1);
    assert_eq!(stored_ids(&control).await, vec![running]);
    assert_eq!(control.expire_stopped_tasks().await.expect("pass"), 0);
}
