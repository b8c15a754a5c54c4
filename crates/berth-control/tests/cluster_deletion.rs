//! A DeleteCluster that commits between a registration's (or a placement's)
//! check that the cluster is ACTIVE and its commit leaves no instance and no
//! task in the deleted cluster: the commit compares on the cluster's record,
//! and the call is refused as for any cluster that is not there.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use berth_control::ControlError;
use berth_state::State;
use berth_store::{KeyRange, Kv, MemoryKv, Op, Txn};

mod support;

use support::intercept::{Hooks, InterceptKv};

const CLUSTER: &str = "deleted";

/// Deletes the cluster, as a DeleteCluster on another server would, just
/// before the first transaction that writes a key under `prefix`.
struct DeleteBefore {
    prefix: &'static str,
    done: AtomicBool,
}

impl DeleteBefore {
    fn new(prefix: &'static str) -> Self {
        DeleteBefore {
            prefix,
            done: AtomicBool::new(false),
        }
    }
}

#[async_trait::async_trait]
impl Hooks for DeleteBefore {
    async fn before_txn(&self, store: &MemoryKv, txn: &Txn) {
        let writes_prefix = txn
            .ops
            .iter()
            .any(|op| matches!(op, Op::Put { key, .. } if key.starts_with(self.prefix.as_bytes())));
        if !writes_prefix || self.done.swap(true, Ordering::SeqCst) {
            return;
        }
        // DeleteCluster's own commit, over the same store, with nothing
        // counted yet in the cluster.
        let clusters = State::new(Arc::new(store.clone())).clusters;
        let record = clusters
            .get_active_versioned(CLUSTER)
            .await
            .expect("read")
            .expect("active");
        let counted_at = clusters.members_added_at(CLUSTER).await.expect("read");
        let deleted = clusters.deactivate(&record, counted_at).await.expect("txn");
        assert!(deleted.is_some(), "deleted");
    }
}

async fn keys_under(kv: &dyn Kv, prefix: &str) -> usize {
    kv.range(&KeyRange::prefix(prefix.as_bytes().to_vec()), 1_000)
        .await
        .expect("range")
        .kvs
        .len()
}

#[tokio::test]
async fn a_registration_lands_in_no_cluster_deleted_meanwhile() {
    let kv = Arc::new(InterceptKv::new(DeleteBefore::new("ecs/instances/")));
    let control = support::server_with_cluster(kv.clone(), CLUSTER).await;
    let registered = control
        .register_instance(support::host(
            CLUSTER,
            "host-0".to_owned(),
            1_024,
            1_024,
            Vec::new(),
        ))
        .await;
    assert!(
        matches!(registered, Err(ControlError::ClusterNotFound)),
        "{registered:?}"
    );
    assert!(kv.hooks.done.load(Ordering::SeqCst), "the race ran");
    assert_eq!(keys_under(&*kv, "ecs/instances/").await, 0);
}

#[tokio::test]
async fn tasks_land_in_no_cluster_deleted_meanwhile() {
    let kv = Arc::new(InterceptKv::new(DeleteBefore::new("ecs/tasks/")));
    let control = support::server_with_cluster(kv.clone(), CLUSTER).await;
    support::register_host(&control, CLUSTER, "host-0").await;
    let definition = support::web_definition(None);
    let placed = control
        .run_tasks(support::run_request(CLUSTER, &definition, 2))
        .await;
    assert!(
        matches!(placed, Err(ControlError::ClusterNotFound)),
        "{placed:?}"
    );
    assert!(kv.hooks.done.load(Ordering::SeqCst), "the race ran");
    assert_eq!(keys_under(&*kv, "ecs/tasks/").await, 0);
    assert_eq!(keys_under(&*kv, "ecs/assignments/").await, 0);
}
