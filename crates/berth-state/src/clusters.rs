//! The cluster repository.

use std::sync::Arc;

use berth_model::cluster::{Cluster, ClusterStatus};
use berth_store::Kv;

use crate::{Page, StateError, Table};

const CLUSTERS: Table<Cluster> = Table::new("ecs/clusters/");

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
            .get(name)
            .await?
            .filter(|cluster| cluster.status == ClusterStatus::Active))
    }

    /// Stores `cluster` unless an ACTIVE one of that name exists, in which
    /// case that one is returned unchanged (CreateCluster is idempotent).
    pub async fn create(&self, cluster: Cluster) -> Result<Cluster, StateError> {
        if let Some(existing) = self.get_active(&cluster.name).await? {
            return Ok(existing);
        }
        let name = cluster.name.clone();
        CLUSTERS
            .modify(&*self.kv, &name, |current| match current {
                Some(existing) if existing.status == ClusterStatus::Active => Ok(existing),
                _ => Ok::<_, StateError>(cluster.clone()),
            })
            .await
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
