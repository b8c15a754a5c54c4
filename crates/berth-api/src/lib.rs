//! The AWS JSON 1.1 edge: parses `X-Amz-Target` into an operation, wire
//! shapes into the domain model, and domain errors into AWS error bodies.
//! [`router`] serves every API on one port.

pub mod agent;
pub mod definitions;
pub mod ecr;
pub mod ecs;
pub mod error;
pub mod protocol;
pub mod sigv4;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use berth_control::Control;
use berth_control::view::PhaseCounts;
use berth_model::cluster::ClusterCounts;
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
    /// The task definitions poll answers carry, decoded and encoded once.
    pub definitions: definitions::DefinitionCache,
    /// The task definitions RunTask and StartTask read, decoded once.
    pub definition_records: definitions::RecordCache,
    pub registry: Arc<Registry>,
    /// `host:port` clients use to reach the registry: ECR's `repositoryUri`
    /// and `proxyEndpoint` name it.
    pub registry_host: String,
}

impl Api {
    /// The counts DescribeClusters shows, from the cluster's in-memory view:
    /// reading every task and instance record would make a describe cost as
    /// much as the cluster is big. Like ECS's, they may trail the latest
    /// changes by a moment. The count of registered instances holds this
    /// server's own registrations and deregistrations once they are answered
    /// (unless the view was still loading then); tasks a forced
    /// deregistration stopped leave the task counts when the watch brings
    /// them. (Services arrive later.)
    pub async fn cluster_counts(&self, cluster_name: &str) -> Result<ClusterCounts, StateError> {
        // No view is made for a name with no ACTIVE cluster: a deleted one
        // shows nothing registered or active, as DeleteCluster refused it
        // while it had either.
        let (phases, registered) = match self.control.views.get(cluster_name).await? {
            Some(view) => view.read(|data| (data.phases, data.registered_instances())),
            None => (PhaseCounts::default(), 0),
        };
        Ok(counts_of(phases, registered))
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
        let phases = PhaseCounts::tally(tasks.iter().map(|task| task.last_status));
        let instances = self.control.state.instances.all(cluster_name).await?;
        let registered = instances.iter().filter(|i| i.is_registered()).count() as u64;
        Ok(counts_of(phases, registered))
    }
}

fn counts_of(phases: PhaseCounts, registered_container_instances: u64) -> ClusterCounts {
    ClusterCounts {
        registered_container_instances,
        running_tasks: phases.running,
        pending_tasks: phases.pending,
        active_services: 0,
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
