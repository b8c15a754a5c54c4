//! The cluster repository.

use std::sync::Arc;

use berth_model::cluster::{Cluster, ClusterStatus};
use berth_store::{Compare, Kv, Op, Revision, Txn};

use crate::{Page, StateError, Table, Versioned};

const CLUSTERS: Table<Cluster> = Table::new("ecs/clusters/");

/// Per cluster, a marker rewritten by every commit that adds a member to it
/// (registers a container instance, places a task; services, once they
/// exist, must too). DeleteCluster counts the members and then marks the
/// cluster INACTIVE; comparing on the marker in that commit refuses it when
/// a member was added in between.
const MEMBERS_ADDED: Table<()> = Table::new("ecs/cluster-members-added/");

/// Per cluster, a marker rewritten only when the cluster becomes ACTIVE
/// (CreateCluster) or INACTIVE (DeleteCluster). Every commit that adds a
/// member compares on it, so none lands in a cluster deleted meanwhile,
/// while the cluster's other changes (settings, tags) leave those commits
/// alone.
const LIFECYCLE: Table<()> = Table::new("ecs/cluster-lifecycle/");

/// Clusters by name, ACTIVE or INACTIVE (deleted ones stay describable).
#[derive(Clone)]
pub struct ClusterRepo {
    kv: Arc<dyn Kv>,
}

impl ClusterRepo {
    pub(crate) fn new(kv: Arc<dyn Kv>) -> Self {
        ClusterRepo { kv }
    }

    /// The cluster named `name`, in any status.
    pub async fn get(&self, name: &str) -> Result<Option<Cluster>, StateError> {
        Ok(CLUSTERS
            .get(&*self.kv, name)
            .await?
            .map(|record| record.value))
    }

    /// The cluster named `name` if it is ACTIVE.
    pub async fn get_active(&self, name: &str) -> Result<Option<Cluster>, StateError> {
        Ok(self
            .get_active_versioned(name)
            .await?
            .map(|record| record.value))
    }

    /// Stores `cluster` unless an ACTIVE one of that name exists, in which
    /// case that one is returned unchanged (CreateCluster is idempotent).
    pub async fn create(&self, cluster: Cluster) -> Result<Cluster, StateError> {
        let name = &cluster.name;
        for _ in 0..crate::MAX_CAS_ATTEMPTS {
            let revision = match CLUSTERS.get(&*self.kv, name).await? {
                Some(existing) if existing.value.status == ClusterStatus::Active => {
                    return Ok(existing.value);
                }
                Some(inactive) => inactive.mod_revision,
                None => 0,
            };
            let txn = Txn {
                compares: vec![CLUSTERS.unchanged(name, revision)],
                ops: vec![CLUSTERS.put_op(name, &cluster), LIFECYCLE.put_op(name, &())],
            };
            if self.kv.txn(txn).await.map_err(StateError::from)?.succeeded {
                return Ok(cluster);
            }
        }
        Err(StateError::Contention {
            key: format!("cluster {name}"),
        })
    }

    /// Applies `change` to the cluster named `name` atomically; `change`
    /// receives `None` when no such cluster exists and decides the error.
    pub async fn modify<E: From<StateError>>(
        &self,
        name: &str,
        change: impl FnMut(Option<Cluster>) -> Result<Cluster, E>,
    ) -> Result<Cluster, E> {
        CLUSTERS.modify(&*self.kv, name, change).await
    }

    /// The cluster named `name` if it is ACTIVE, with its record's revision.
    pub async fn get_active_versioned(
        &self,
        name: &str,
    ) -> Result<Option<Versioned<Cluster>>, StateError> {
        Ok(CLUSTERS
            .get(&*self.kv, name)
            .await?
            .filter(|record| record.value.status == ClusterStatus::Active))
    }

    /// If cluster `name` is ACTIVE, the revision of its lifecycle marker:
    /// what a commit adding a member to it compares on (see
    /// [`ClusterRepo::member_added`]).
    pub async fn active_lifecycle(&self, name: &str) -> Result<Option<Revision>, StateError> {
        // The marker first: a deletion after this read moves it, so the
        // commit's compare fails; one before it shows the cluster INACTIVE.
        let lifecycle = LIFECYCLE
            .get(&*self.kv, name)
            .await?
            .map_or(0, |record| record.mod_revision);
        Ok(self.get_active(name).await?.map(|_| lifecycle))
    }

    /// What a commit that adds a member to cluster `name`, found ACTIVE with
    /// its lifecycle marker at `lifecycle`, carries: a compare that the
    /// cluster was neither deleted nor created again since, and the write of
    /// its marker of added members, which a DeleteCluster counting meanwhile
    /// compares on.
    pub fn member_added(name: &str, lifecycle: Revision) -> (Compare, Op) {
        (
            LIFECYCLE.unchanged(name, lifecycle),
            MEMBERS_ADDED.put_op(name, &()),
        )
    }

    /// The revision of cluster `name`'s marker of added members (0 before
    /// any): read before DeleteCluster counts the members.
    pub async fn members_added_at(&self, name: &str) -> Result<Revision, StateError> {
        Ok(MEMBERS_ADDED
            .get(&*self.kv, name)
            .await?
            .map_or(0, |record| record.mod_revision))
    }

    /// Marks cluster `name` INACTIVE (DeleteCluster) if its record is still
    /// `cluster` as read and no member was added since `members_added_at`.
    /// `None` when either changed: the caller counts again.
    pub async fn deactivate(
        &self,
        cluster: &Versioned<Cluster>,
        members_added_at: Revision,
    ) -> Result<Option<Cluster>, StateError> {
        let name = &cluster.value.name;
        let mut inactive = cluster.value.clone();
        inactive.status = ClusterStatus::Inactive;
        let txn = Txn {
            compares: vec![
                CLUSTERS.unchanged(name, cluster.mod_revision),
                MEMBERS_ADDED.unchanged(name, members_added_at),
            ],
            ops: vec![
                CLUSTERS.put_op(name, &inactive),
                LIFECYCLE.put_op(name, &()),
            ],
        };
        let committed = self.kv.txn(txn).await.map_err(StateError::from)?;
        Ok(committed.succeeded.then_some(inactive))
    }

    /// Clusters of any status in name order, after `after`.
    pub async fn list_all(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page<Cluster>, StateError> {
        CLUSTERS.page(&*self.kv, "", after, limit).await
    }

    /// ACTIVE clusters in name order, after `after`.
    pub async fn list_active(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page<Cluster>, StateError> {
        CLUSTERS
            .page_where(&*self.kv, "", after, limit, |cluster| {
                cluster.status == ClusterStatus::Active
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use berth_store::MemoryKv;

    use super::*;

    /// A commit adding a member, as a registration or a placement makes it.
    async fn add_member(kv: &dyn Kv, name: &str, lifecycle: Revision) -> bool {
        let (unchanged, marker) = ClusterRepo::member_added(name, lifecycle);
        let txn = Txn {
            compares: vec![unchanged],
            ops: vec![marker],
        };
        kv.txn(txn).await.expect("txn").succeeded
    }

    #[tokio::test]
    async fn deletion_and_added_members_exclude_each_other() {
        let kv: Arc<dyn Kv> = Arc::new(MemoryKv::new());
        let clusters = ClusterRepo::new(kv.clone());
        clusters
            .create(Cluster::active("c"))
            .await
            .expect("created");
        let lifecycle = clusters
            .active_lifecycle("c")
            .await
            .expect("read")
            .expect("active");
        assert!(lifecycle > 0, "CreateCluster wrote the marker");
        assert_eq!(clusters.members_added_at("c").await.expect("read"), 0);

        // A member added after DeleteCluster read the marker (and so after
        // it counted) refuses the deletion.
        let counted_at = clusters.members_added_at("c").await.expect("read");
        assert!(add_member(&*kv, "c", lifecycle).await);
        // Other changes to the cluster leave members' commits alone.
        clusters
            .modify("c", |current| {
                let mut cluster = current.expect("cluster");
                cluster.settings.clear();
                Ok::<_, StateError>(cluster)
            })
            .await
            .expect("updated");
        assert!(add_member(&*kv, "c", lifecycle).await);
        let read = clusters
            .get_active_versioned("c")
            .await
            .expect("read")
            .expect("active");
        assert_eq!(
            clusters.deactivate(&read, counted_at).await.expect("txn"),
            None
        );
        assert_eq!(
            clusters.get("c").await.expect("read").map(|c| c.status),
            Some(ClusterStatus::Active)
        );

        // Counted again after it: deleted.
        let counted_at = clusters.members_added_at("c").await.expect("read");
        assert!(counted_at > 0);
        let deleted = clusters.deactivate(&read, counted_at).await.expect("txn");
        assert_eq!(deleted.map(|c| c.status), Some(ClusterStatus::Inactive));
        // A member added on the strength of the ACTIVE cluster seen before
        // the deletion is refused, and so after the cluster is created
        // again: it must find it ACTIVE anew.
        assert!(!add_member(&*kv, "c", lifecycle).await);
        assert_eq!(clusters.active_lifecycle("c").await.expect("read"), None);
        clusters
            .create(Cluster::active("c"))
            .await
            .expect("created");
        assert!(!add_member(&*kv, "c", lifecycle).await);
        let lifecycle = clusters.active_lifecycle("c").await.expect("read");
        assert!(add_member(&*kv, "c", lifecycle.expect("active")).await);
    }
}
