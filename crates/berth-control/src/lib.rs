//! Controllers and the domain operations they share with the API: placing
//! tasks (RunTask, StartTask), stopping them, applying agent reports,
//! registering instances, and the background loops that watch instance
//! liveness and expire stopped tasks. Every operation re-reads the store and
//! writes with compare-and-swap, so it can be retried or run twice safely.

pub mod heartbeats;
mod ids;
pub mod instances;
pub mod liveness;
pub mod reservation;
pub mod retention;
pub mod snapshot;
pub mod tasks;
pub mod view;

use std::sync::Arc;

use berth_model::arn::Scope;
use berth_state::clock::Clock;
use berth_state::{State, StateError};

pub use heartbeats::Heartbeats;
pub use ids::{new_id, new_random_uuid};

/// Errors of the domain operations; the API maps each to an AWS exception.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    #[error("Cluster not found.")]
    ClusterNotFound,
    /// A request that names something unusable (`ClientException` in ECS).
    #[error("{0}")]
    Client(String),
    /// A malformed or illegal parameter (`InvalidParameterException`).
    #[error("{0}")]
    InvalidParameter(String),
    /// The container instance is unknown or deregistered.
    #[error("{0}")]
    InstanceNotFound(String),
    /// The task is unknown.
    #[error("The referenced task was not found.")]
    TaskNotFound,
    /// A client token was reused with different parameters.
    #[error("{message}")]
    Conflict {
        message: String,
        resource_ids: Vec<String>,
    },
    #[error(transparent)]
    State(#[from] StateError),
}

/// What the domain operations need: the repositories, where ARNs are
/// minted, the clock, and the live heartbeat table.
#[derive(Clone)]
pub struct Control {
    pub state: State,
    pub scope: Scope,
    pub clock: Arc<dyn Clock>,
    pub heartbeats: Arc<Heartbeats>,
    /// In-memory views of clusters for placement.
    pub views: Arc<view::Views>,
    pub config: ControlConfig,
}

impl Control {
    /// Domain operations over `state`, with fresh heartbeats and views.
    pub fn new(state: State, scope: Scope, clock: Arc<dyn Clock>, config: ControlConfig) -> Self {
        Control {
            views: Arc::new(view::Views::new(state.kv.clone(), state.clusters.clone())),
            heartbeats: Arc::new(Heartbeats::default()),
            state,
            scope,
            clock,
            config,
        }
    }
}

/// Timeouts and retention of the controllers.
#[derive(Debug, Clone)]
pub struct ControlConfig {
    /// Without a poll for this long, an instance shows agentConnected false.
    pub disconnect_after_ms: i64,
    /// Without a poll for this long, an instance is lost and its tasks stop.
    pub lost_after_ms: i64,
    /// How long STOPPED tasks stay describable.
    pub stopped_task_retention_ms: i64,
    /// How long a RunTask client token is honoured (ECS: 24 hours).
    pub client_token_ttl_ms: i64,
}

impl Default for ControlConfig {
    fn default() -> Self {
        ControlConfig {
            disconnect_after_ms: 60_000,
            lost_after_ms: 10 * 60_000,
            stopped_task_retention_ms: 60 * 60_000,
            client_token_ttl_ms: 24 * 60 * 60_000,
        }
    }
}

/// How many times an optimistic multi-record write is retried.
const MAX_TXN_ATTEMPTS: usize = 16;
