//! A placement rewrites only its instances' usage records. Another server's
//! change to an instance that commits between a placement's decision and
//! its commit (a drain, which writes the instance whole, or a task's release)
//! makes the commit fail on the usage record, and placement runs again on
//! what the store holds: no task lands on a drained host, and no released
//! resource is lost.

use std::sync::{Arc, Mutex};

use berth_model::container_instance::InstanceStatus;
use berth_state::State;
use berth_store::{MemoryKv, Op, Txn};

mod support;

use support::intercept::{Hooks, InterceptKv};

const CLUSTER: &str = "usage";

/// What another server does, once, just before this server's next
/// placement commit (the first transaction that writes a task assignment).
type Race = Box<dyn FnOnce(MemoryKv) -> futures::future::BoxFuture<'static, ()> + Send>;

#[derive(Default)]
struct BeforePlacement {
    race: Mutex<Option<Race>>,
}

impl BeforePlacement {
    fn arm(&self, race: Race) {
        *self.race.lock().unwrap() = Some(race);
    }

    fn ran(&self) -> bool {
        self.race.lock().unwrap().is_none()
    }
}

#[async_trait::async_trait]
impl Hooks for BeforePlacement {
    async fn before_txn(&self, store: &MemoryKv, txn: &Txn) {
        let places = txn
            .ops
            .iter()
            .any(|op| matches!(op, Op::Put { key, .. } if key.starts_with(b"ecs/assignments/")));
        if !places {
            return;
        }
        let race = self.race.lock().unwrap().take();
        if let Some(race) = race {
            race(store.clone()).await;
        }
    }
}

/// Sets an instance DRAINING, as UpdateContainerInstancesState does: a
/// write of the whole instance.
async fn drain(instances: &berth_state::InstanceRepo, id: &str) {
    instances
        .modify(CLUSTER, id, |current| {
            let mut instance = current.expect("instance");
            instance.status = InstanceStatus::Draining;
            instance.version += 1;
            Ok::<_, berth_state::StateError>(instance)
        })
        .await
        .expect("drained");
}

#[tokio::test]
async fn a_drain_committed_before_a_placement_keeps_its_tasks_off_the_host() {
    let kv = Arc::new(InterceptKv::new(BeforePlacement::default()));
    let control = support::server_with_cluster(kv.clone(), CLUSTER).await;
    let host = support::register_host(&control, CLUSTER, "host-0").await;
    let id = host.id.clone();
    kv.hooks.arm(Box::new(move |store| {
        Box::pin(async move {
            drain(&State::new(Arc::new(store)).instances, &id).await;
        })
    }));
    let outcome = control
        .run_tasks(support::run_request(
            CLUSTER,
            &support::web_definition(None),
            2,
        ))
        .await
        .expect("RunTask");
    assert!(kv.hooks.ran(), "the race ran");
    assert!(outcome.tasks.is_empty(), "{:?}", outcome.tasks);
    assert!(!outcome.failures.is_empty());
    let stored = State::new(kv.clone())
        .instances
        .get(CLUSTER, &host.id)
        .await;
    let stored = stored.expect("read").expect("instance").value;
    assert_eq!(stored.status, InstanceStatus::Draining);
    assert_eq!(stored.remaining, host.remaining, "nothing taken");
}

#[tokio::test]
async fn a_release_committed_before_a_placement_on_its_host_is_kept() {
    let kv = Arc::new(InterceptKv::new(BeforePlacement::default()));
    let control = support::server_with_cluster(kv.clone(), CLUSTER).await;
    let host = support::register_host(&control, CLUSTER, "host-0").await;
    let definition = support::web_definition(Some(256));
    let first = control
        .run_tasks(support::run_request(CLUSTER, &definition, 1))
        .await
        .expect("RunTask");
    let stopped = first.tasks[0].id.clone();
    let id = host.id.clone();
    kv.hooks.arm(Box::new(move |store| {
        Box::pin(async move {
            // The task's agent reports it STOPPED to another server, which
            // gives its 256 units back.
            let other = support::server(Arc::new(store));
            other
                .apply_report(CLUSTER, &id, &stopped, &support::stopped_report())
                .await
                .expect("report");
        })
    }));
    let second = control
        .run_tasks(support::run_request(CLUSTER, &definition, 1))
        .await
        .expect("RunTask");
    assert!(kv.hooks.ran(), "the race ran");
    assert_eq!(second.tasks.len(), 1);
    let stored = State::new(kv.clone())
        .instances
        .get(CLUSTER, &host.id)
        .await;
    let stored = stored.expect("read").expect("instance").value;
    assert_eq!(
        stored.remaining.cpu,
        host.remaining.cpu - 256,
        "the released units are back, the second task's taken"
    );
}

/// Drains every instance of the cluster, once, just before the first read
/// that goes on reading its instances after an earlier read.
#[derive(Default)]
struct DrainBeforeNextRead {
    store: std::sync::OnceLock<MemoryKv>,
    armed: std::sync::atomic::AtomicBool,
}

#[async_trait::async_trait]
impl Hooks for DrainBeforeNextRead {
    async fn before_range(&self, range: &berth_store::KeyRange) {
        let prefix = format!("ecs/instances/{CLUSTER}/");
        let goes_on =
            range.start.starts_with(prefix.as_bytes()) && range.start != prefix.as_bytes();
        if !goes_on || !self.armed.swap(false, std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        let store = self.store.get().expect("set").clone();
        let instances = State::new(Arc::new(store)).instances;
        for instance in instances.all(CLUSTER).await.expect("read") {
            drain(&instances, &instance.id).await;
        }
    }
}

#[tokio::test]
async fn a_listing_never_pairs_a_record_with_a_usage_written_after_it() {
    let kv = Arc::new(InterceptKv::new(DrainBeforeNextRead::default()));
    kv.hooks.store.set(kv.store.clone()).ok();
    let control = support::server_with_cluster(kv.clone(), CLUSTER).await;
    let hosts = 60;
    for n in 0..hosts {
        support::register_host(&control, CLUSTER, &format!("host-{n}")).await;
    }
    let placed = support::run_web_tasks(&control, CLUSTER, hosts).await;
    assert_eq!(placed.len(), hosts as usize);
    // Every host runs one task: registered at version 1, one placement.
    kv.hooks
        .armed
        .store(true, std::sync::atomic::Ordering::SeqCst);
    // Pages of 101 instances are read 101 keys at a time: the first read
    // ends on a record, and the drain commits before the next.
    let listed = State::new(kv.clone())
        .instances
        .list(CLUSTER, None, 101, |_| true)
        .await
        .expect("list");
    assert!(
        !kv.hooks.armed.load(std::sync::atomic::Ordering::SeqCst),
        "the race ran"
    );
    assert_eq!(listed.items.len(), hosts as usize);
    for (id, instance) in &listed.items {
        let seen = (instance.status, instance.version);
        assert!(
            seen == (InstanceStatus::Active, 2) || seen == (InstanceStatus::Draining, 3),
            "{id}: {seen:?}, a record and a usage of different writes"
        );
    }
}
