//! The cluster view's per-instance task counts (what DescribeContainerInstances
//! and the task filters of ListContainerInstances read) and its count of
//! registered instances (DescribeClusters) take this server's own writes from
//! their writers, not from the store's watch: they hold before the watch
//! brings anything.

use std::sync::Arc;

use berth_model::task::{StopCode, TaskReport, TaskStatus};

mod support;

use support::intercept::{Hooks, InterceptKv};

const CLUSTER: &str = "counts";

/// Watches that deliver nothing while the test runs.
struct HeldWatches {
    open: tokio::sync::watch::Sender<bool>,
}

impl Hooks for HeldWatches {
    fn watch_gate(&self) -> Option<tokio::sync::watch::Receiver<bool>> {
        Some(self.open.subscribe())
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
    let kv = Arc::new(InterceptKv::new(HeldWatches {
        open: tokio::sync::watch::channel(false).0,
    }));
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
    assert!(!*kv.hooks.open.borrow(), "the watch brought nothing");
}

#[tokio::test]
async fn this_servers_registrations_count_before_the_watch_brings_them() {
    let kv = Arc::new(InterceptKv::new(HeldWatches {
        open: tokio::sync::watch::channel(false).0,
    }));
    let control = support::server_with_cluster(kv.clone(), CLUSTER).await;
    let view = support::view_of(&control, CLUSTER).await;
    let registered = || view.read(|data| data.registered_instances());
    let register = |host: &str| {
        control.register_instance(support::host(
            CLUSTER,
            host.to_owned(),
            1_024,
            1_024,
            Vec::new(),
        ))
    };
    assert_eq!(registered(), 0);
    let first = register("host-0").await.expect("instance registers");
    register("host-1").await.expect("instance registers");
    assert_eq!(registered(), 2, "both registrations");
    register("host-0")
        .await
        .expect("the same host registers again");
    assert_eq!(
        registered(),
        2,
        "a host registering again is the same instance"
    );
    control
        .deregister_instance(CLUSTER, &first.id, false)
        .await
        .expect("deregistered");
    assert_eq!(registered(), 1, "the deregistration");
    assert!(!*kv.hooks.open.borrow(), "the watch brought nothing");
}
