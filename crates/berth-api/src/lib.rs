//! The AWS JSON 1.1 edge: parses `X-Amz-Target` into an operation, wire
//! shapes into the domain model, and domain errors into AWS error bodies.
//! [`router`] serves every API on one port.

pub mod agent;
pub mod ecr;
pub mod ecs;
pub mod error;
pub mod protocol;
pub mod sigv4;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use berth_control::Control;
use berth_model::cluster::ClusterCounts;
use berth_model::container_instance::InstanceStatus;
use berth_model::task::TaskStatus;
use berth_registry::Registry;
use berth_state::StateError;

/// What every handler needs: where ARNs are minted, the repositories, the
/// registry, and the clock.
pub struct Api {
    /// Domain operations shared with the controllers (placement, reports),
    /// and through them the repositories, the ARN scope and the clock.
    pub control: Control,
    /// Wakes agents' long polls when their assignments change.
    pub hub: Arc<agent::AssignmentHub>,
    pub registry: Arc<Registry>,
    /// `host:port` clients use to reach the registry: ECR's `repositoryUri`
    /// and `proxyEndpoint` name it.
    pub registry_host: String,
}

impl Api {
    /// The counts DescribeClusters shows. Task counts come from the
    /// cluster's in-memory view: reading every task would make a describe
    /// cost as much as the cluster is big. Like ECS's, they may trail the
    /// latest reports by a moment. (Services arrive later.)
    pub async fn cluster_counts(&self, cluster_name: &str) -> Result<ClusterCounts, StateError> {
        let view = self.control.views.get(cluster_name).await?;
        let phases = view.read(|data| data.phases);
        Ok(ClusterCounts {
            running_tasks: phases.running,
            pending_tasks: phases.pending,
            ..self.counts_without_tasks(cluster_name).await?
        })
    }

    /// The counts read from the store itself, for decisions that must not
    /// act on a view a moment behind (DeleteCluster).
    pub async fn stored_cluster_counts(
        &self,
        cluster_name: &str,
    ) -> Result<ClusterCounts, StateError> {
        let tasks = self
            .control
            .state
            .tasks
            .all(cluster_name, |task| task.is_active())
            .await?;
        Ok(ClusterCounts {
            running_tasks: tasks
                .iter()
                .filter(|t| t.last_status == TaskStatus::Running)
                .count() as u64,
            pending_tasks: tasks
                .iter()
                .filter(|t| t.last_status < TaskStatus::Running)
                .count() as u64,
            ..self.counts_without_tasks(cluster_name).await?
        })
    }

    async fn counts_without_tasks(&self, cluster_name: &str) -> Result<ClusterCounts, StateError> {
        let instances = self.control.state.instances.all(cluster_name).await?;
        Ok(ClusterCounts {
            registered_container_instances: instances
                .iter()
                .filter(|i| i.status != InstanceStatus::Inactive)
                .count() as u64,
            running_tasks: 0,
            pending_tasks: 0,
            active_services: 0,
        })
    }
}

/// The HTTP routes of every API Berth serves on its one port.
pub fn router(api: Arc<Api>) -> Router {
    let registry = berth_registry::router(api.registry.clone());
    Router::new()
        .route("/", post(protocol::handle))
        .route("/_berth/health", get(|| async { "ok" }))
        .merge(agent::routes())
        .with_state(api)
        .merge(registry)
}
