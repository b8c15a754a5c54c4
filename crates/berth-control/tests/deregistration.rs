//! A forced deregistration stops every task of its instance, however many
//! more there are than one transaction of the store holds.

use std::sync::Arc;

use berth_model::container_instance::InstanceStatus;
use berth_model::task::{DesiredStatus, TaskStatus};
use berth_store::MemoryKv;

mod support;

const CLUSTER: &str = "deregistering";

#[tokio::test]
async fn a_forced_deregistration_stops_more_tasks_than_one_transaction_holds() {
    let kv = Arc::new(MemoryKv::new());
    let control = support::server_with_cluster(kv.clone(), CLUSTER).await;
    let host = control
        .register_instance(support::host(
            CLUSTER,
            "host-0".to_owned(),
            4_096,
            8_192,
            Vec::new(),
        ))
        .await
        .expect("registered");
    let placed = support::run_web_tasks(&control, CLUSTER, 100).await;
    assert_eq!(placed.len(), 100);
    let deregistered = control
        .deregister_instance(CLUSTER, &host.id, true)
        .await
        .expect("deregistered");
    assert_eq!(deregistered.status, InstanceStatus::Inactive);
    for id in &placed {
        let task = control
            .state
            .tasks
            .get(CLUSTER, id)
            .await
            .expect("read")
            .expect("task")
            .value;
        assert_eq!(task.desired_status, DesiredStatus::Stopped, "{id}");
        assert_eq!(task.last_status, TaskStatus::Stopped, "{id}");
    }
    let (assignments, _) = control
        .state
        .tasks
        .assignments(&host.id)
        .await
        .expect("read");
    assert!(assignments.is_empty());
}
