//! Typed repositories: Berth's records as JSON values under fixed key
//! prefixes of the [`berth_store::Kv`] store, read with their revisions and
//! written with compare-and-swap so concurrent writers never lose an update.
//! Nothing here knows the wire formats or which backend runs.

pub mod clock;
mod clusters;
pub mod instances;
mod shards;
mod table;
mod task_definitions;
pub mod tasks;

use std::sync::Arc;

use berth_store::{Kv, StoreError, Txn};

pub use clusters::ClusterRepo;
pub use instances::InstanceRepo;
pub use table::{Page, Table, Versioned};
pub use task_definitions::{
    FamilyRecord, MAX_REVISIONS, RegisterError, RevisionKey, TaskDefinitionRecord,
    TaskDefinitionRepo,
};
pub use tasks::TaskRepo;

/// Errors of the repositories.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored value could not be decoded: a bug or a corrupted store.
    #[error("stored record {key} is unreadable")]
    Corrupt {
        key: String,
        #[source]
        source: serde_json::Error,
    },
    /// Optimistic writes kept colliding with concurrent writers.
    #[error("too much contention on {key}; try again")]
    Contention { key: String },
}

/// Every repository, sharing one store.
#[derive(Clone)]
pub struct State {
    pub kv: Arc<dyn Kv>,
    pub clusters: ClusterRepo,
    pub task_definitions: TaskDefinitionRepo,
    pub instances: InstanceRepo,
    pub tasks: TaskRepo,
}

impl State {
    /// Repositories over `kv`.
    pub fn new(kv: Arc<dyn Kv>) -> Self {
        State {
            clusters: ClusterRepo::new(kv.clone()),
            task_definitions: TaskDefinitionRepo::new(kv.clone()),
            instances: InstanceRepo::new(kv.clone()),
            tasks: TaskRepo::new(kv.clone()),
            kv,
        }
    }

    /// Commits `txn`; whether its compares held (and so its ops applied).
    pub async fn commit(&self, txn: Txn) -> Result<bool, StateError> {
        Ok(self.kv.txn(txn).await?.succeeded)
    }
}

/// How many times a read-modify-write retries after losing a race before
/// giving up with [`StateError::Contention`].
pub const MAX_CAS_ATTEMPTS: usize = 32;
