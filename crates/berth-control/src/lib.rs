//! Controllers and the domain operations they share with the API: placing
//! tasks (RunTask, StartTask), stopping them, applying agent reports,
//! registering instances, and the background loops that watch instance
//! liveness and expire stopped tasks. Every operation re-reads the store and
//! writes with compare-and-swap, so it can be retried or run twice safely.

pub mod heartbeats;
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

/// A fresh 32-hex-digit id for a task or an instance. Ids are ordered by
/// creation time (UUIDv7), so the records of tasks placed together sit side
/// by side in the store's B-tree: a batch of placements, and the reports that
/// follow it, dirty a few pages instead of one page per task. Ids made in the
/// same millisecond are in random order.
pub fn new_id() -> String {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let millis = u64::try_from(since_epoch.as_millis()).unwrap_or(u64::MAX);
    uuid::Builder::from_unix_timestamp_millis(millis, &random_bytes())
        .into_uuid()
        .simple()
        .to_string()
}

/// A fresh random (version 4) UUID, hyphenated: the ids of containers and
/// of API requests.
pub fn new_random_uuid() -> String {
    uuid::Builder::from_random_bytes(random_bytes())
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// Bytes from the thread's cryptographically secure generator (rand's
/// `ThreadRng`, seeded from the OS and reseeded as it goes). `uuid` would
/// make a `getrandom` system call for every id: two a task, the server's
/// most frequent system call when placing tasks.
fn random_bytes<const N: usize>() -> [u8; N] {
    rand::random()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(id: &str) -> uuid::Uuid {
        uuid::Uuid::parse_str(id).expect("an id is a UUID")
    }

    #[test]
    fn ids_are_version_7_and_ordered_by_their_millisecond() {
        let first = new_id();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let second = new_id();
        assert_eq!(first.len(), 32);
        for id in [&first, &second] {
            let uuid = parse(id);
            assert_eq!(uuid.get_version_num(), 7);
            assert_eq!(uuid.get_variant(), uuid::Variant::RFC4122);
        }
        assert!(first < second, "{first} was made before {second}");
        let (seconds, _) = parse(&second)
            .get_timestamp()
            .expect("a v7 UUID has a timestamp")
            .to_unix();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(now.abs_diff(seconds) <= 1, "stamped {seconds}, now {now}");
    }

    #[test]
    fn ids_made_together_differ() {
        let ids: std::collections::HashSet<String> = (0..10_000).map(|_| new_id()).collect();
        assert_eq!(ids.len(), 10_000);
        let uuids: std::collections::HashSet<String> =
            (0..10_000).map(|_| new_random_uuid()).collect();
        assert_eq!(uuids.len(), 10_000);
    }

    #[test]
    fn random_uuids_are_version_4_and_hyphenated() {
        let id = new_random_uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(id.matches('-').count(), 4);
        assert_eq!(parse(&id).get_version_num(), 4);
        assert_eq!(parse(&id).get_variant(), uuid::Variant::RFC4122);
    }
}
