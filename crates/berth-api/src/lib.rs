//! The AWS JSON 1.1 edge: parses `X-Amz-Target` into an operation, wire
//! shapes into the domain model, and domain errors into AWS error bodies.
//! [`router`] serves every API on one port.

pub mod ecr;
pub mod ecs;
pub mod error;
pub mod protocol;
pub mod sigv4;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use berth_model::arn::Scope;
use berth_model::cluster::ClusterCounts;
use berth_registry::Registry;
use berth_state::clock::Clock;
use berth_state::{State, StateError};

/// What every handler needs: where ARNs are minted, the repositories, the
/// registry, and the clock.
pub struct Api {
    pub scope: Scope,
    pub state: State,
    pub clock: Arc<dyn Clock>,
    pub registry: Arc<Registry>,
    /// `host:port` clients use to reach the registry: ECR's `repositoryUri`
    /// and `proxyEndpoint` name it.
    pub registry_host: String,
}

impl Api {
    /// The counts DescribeClusters shows, derived from the stored instances,
    /// tasks and services of the cluster. Berth stores none of those yet, so
    /// every cluster is empty.
    pub async fn cluster_counts(&self, _cluster_name: &str) -> Result<ClusterCounts, StateError> {
        Ok(ClusterCounts::default())
    }
}

/// The HTTP routes of every API Berth serves on its one port.
pub fn router(api: Arc<Api>) -> Router {
    let registry = berth_registry::router(api.registry.clone());
    Router::new()
        .route("/", post(protocol::handle))
        .route("/_berth/health", get(|| async { "ok" }))
        .with_state(api)
        .merge(registry)
}
