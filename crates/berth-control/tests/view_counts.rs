//! The cluster view's per-instance task counts (what DescribeContainerInstances
//! and the task filters of ListContainerInstances read), its count of
//! registered instances (DescribeClusters) and its instances (what
//! ListContainerInstances lists) take this server's own writes from their
//! writers, not from the store's watch: they hold before the watch brings
//! anything.

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
            let counts = data
                .counts
                .get(instance_id.as_str())
                .cloned()
                .unwrap_or_default();
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
    let register = |host| support::register_host(&control, CLUSTER, host);
    assert_eq!(registered(), 0);
    let first = register("host-0").await;
    register("host-1").await;
    assert_eq!(registered(), 2, "both registrations");
    // The same host registering again.
    register("host-0").await;
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

#[tokio::test]
async fn this_servers_liveness_changes_are_in_the_view_before_the_watch_brings_them() {
    let kv = Arc::new(InterceptKv::new(HeldWatches {
        open: tokio::sync::watch::channel(false).0,
    }));
    let clock = Arc::new(berth_state::clock::ManualClock::new(1_700_000_000_000));
    let control = support::server_with_cluster_at(kv.clone(), CLUSTER, clock.clone()).await;
    let view = support::view_of(&control, CLUSTER).await;
    let instance = support::register_host(&control, CLUSTER, "host-0").await;
    control
        .heard_from(CLUSTER, &instance.id)
        .await
        .expect("heartbeat");
    let connected = || view.instance(&instance.id).map(|(i, _)| i.agent_connected);
    assert_eq!(connected(), Some(true));
    clock.advance(control.config.disconnect_after_ms + 1);
    control.check_liveness().await.expect("liveness pass");
    assert_eq!(connected(), Some(false), "disconnected");
    control
        .heard_from(CLUSTER, &instance.id)
        .await
        .expect("heartbeat");
    assert_eq!(connected(), Some(true), "reconnected");
    assert!(!*kv.hooks.open.borrow(), "the watch brought nothing");
}
