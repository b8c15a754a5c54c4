//! The container instance repository, with an index from host identity to
//! instance so that a host registering again gets its instance back.

use std::sync::Arc;

use berth_model::container_instance::ContainerInstance;
use berth_store::Kv;

use crate::{Page, StateError, Table, Versioned};

/// Instances by `<cluster>/<instance id>`.
pub const INSTANCES: Table<ContainerInstance> = Table::new("ecs/instances/");
/// Instance ids by `<cluster>/<host id>`.
pub const INSTANCE_HOSTS: Table<String> = Table::new("ecs/instance-hosts/");

/// The id of an instance record: `<cluster>/<instance id>`.
pub fn instance_key(cluster: &str, instance_id: &str) -> String {
    format!("{cluster}/{instance_id}")
}

/// Container instances of every cluster.
#[derive(Clone)]
pub struct InstanceRepo {
    kv: Arc<dyn Kv>,
}

impl InstanceRepo {
    pub(crate) fn new(kv: Arc<dyn Kv>) -> Self {
        InstanceRepo { kv }
    }

    /// One instance with its revision.
    pub async fn get(
        &self,
        cluster: &str,
        instance_id: &str,
    ) -> Result<Option<Versioned<ContainerInstance>>, StateError> {
        INSTANCES
            .get(&*self.kv, &instance_key(cluster, instance_id))
            .await
    }

    /// The instance a host registered as, if any.
    pub async fn by_host(
        &self,
        cluster: &str,
        host_id: &str,
    ) -> Result<Option<String>, StateError> {
        Ok(INSTANCE_HOSTS
            .get(&*self.kv, &instance_key(cluster, host_id))
            .await?
            .map(|record| record.value))
    }

    /// Instances of `cluster` in id order after `after` that `keep` accepts.
    pub async fn list(
        &self,
        cluster: &str,
        after: Option<&str>,
        limit: usize,
        keep: impl FnMut(&ContainerInstance) -> bool,
    ) -> Result<Page<ContainerInstance>, StateError> {
        let after = after.map(|id| instance_key(cluster, id));
        let mut page = INSTANCES
            .page_where(
                &*self.kv,
                &format!("{cluster}/"),
                after.as_deref(),
                limit,
                keep,
            )
            .await?;
        strip_cluster_prefix(&mut page);
        Ok(page)
    }

    /// Every instance of `cluster`, for placement and counts.
    pub async fn all(&self, cluster: &str) -> Result<Vec<ContainerInstance>, StateError> {
        INSTANCES
            .all_where(&*self.kv, &format!("{cluster}/"), |_| true)
            .await
    }
}

/// Turns `<cluster>/<id>` ids of a page into bare ids.
pub(crate) fn strip_cluster_prefix<T>(page: &mut Page<T>) {
    let strip = |id: &mut String| {
        if let Some((_, bare)) = id.split_once('/') {
            *id = bare.to_owned();
        }
    };
    for (id, _) in &mut page.items {
        strip(id);
    }
    if let Some(next) = &mut page.next_after {
        strip(next);
    }
}
