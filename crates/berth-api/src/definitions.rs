//! Task definition revisions decoded once per stored version instead of
//! once per use: poll answers carry them to agents, and RunTask and
//! StartTask place their tasks by them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use berth_protocol::SharedDefinition;
use berth_state::{StateError, TaskDefinitionRecord, TaskDefinitionRepo};
use berth_store::Revision;

/// Revisions kept at most; past this the cache starts over, which costs
/// one decode per revision in use.
const CAPACITY: usize = 1_024;

/// Decoded revisions by family, then revision, each with the store revision
/// of the record it was decoded from.
type Entries<V> = HashMap<String, HashMap<u32, (Revision, V)>>;

/// Task definition revisions as `V`, made from the stored record, each with
/// the revision of the store record it was made from.
pub struct RevisionCache<V> {
    entries: Mutex<Entries<V>>,
    make: fn(TaskDefinitionRecord) -> V,
    freshness: Freshness,
}

/// How current a [`RevisionCache`]'s answers are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Freshness {
    /// Each use reads the record's mod revision, and a record rewritten since
    /// it was decoded (its status or tags changed) is decoded again: a caller
    /// never gets a state older than the store's.
    AsStored,
    /// A revision is read from the store once. Only for values made from
    /// what never changes after registration: revision numbers are never
    /// reused and revision records never removed (DeleteTaskDefinitions
    /// marks them DELETE_IN_PROGRESS), and later writes of a record change
    /// only its status, their times and its tags.
    AsRegistered,
}

/// What poll answers carry: the definition as registered, encoded once for
/// every task of it. Agents run a task by its definition's content and never
/// act on its status, so an answer need not read the record again to learn
/// the status (in a C1M replay that read was 2% of the server's CPU);
/// the status in an answer is the one the server first read.
pub type DefinitionCache = RevisionCache<SharedDefinition>;

/// What RunTask and StartTask read: the definition and its tags, as stored
/// now, since placement refuses revisions by status.
pub type RecordCache = RevisionCache<Arc<TaskDefinitionRecord>>;

impl Default for DefinitionCache {
    fn default() -> Self {
        RevisionCache::new(
            |record| SharedDefinition::new(record.definition),
            Freshness::AsRegistered,
        )
    }
}

impl Default for RecordCache {
    fn default() -> Self {
        RevisionCache::new(Arc::new, Freshness::AsStored)
    }
}

impl<V: Clone> RevisionCache<V> {
    fn new(make: fn(TaskDefinitionRecord) -> V, freshness: Freshness) -> Self {
        RevisionCache {
            entries: Mutex::new(HashMap::new()),
            make,
            freshness,
        }
    }

    /// Revision `revision` of `family`: as stored now, or as registered
    /// (see [`Freshness`]).
    pub async fn get(
        &self,
        repo: &TaskDefinitionRepo,
        family: &str,
        revision: u32,
    ) -> Result<Option<V>, StateError> {
        let stored_at = match self.freshness {
            Freshness::AsRegistered => None,
            Freshness::AsStored => {
                let Some(stored_at) = repo.mod_revision(family, revision).await? else {
                    return Ok(None);
                };
                Some(stored_at)
            }
        };
        if let Some((at, value)) = self.lock().get(family).and_then(|by| by.get(&revision))
            && stored_at.is_none_or(|stored_at| *at == stored_at)
        {
            return Ok(Some(value.clone()));
        }
        let Some(record) = repo.get_versioned(family, revision).await? else {
            return Ok(None);
        };
        let value = (self.make)(record.value);
        let mut entries = self.lock();
        if entries.values().map(HashMap::len).sum::<usize>() >= CAPACITY {
            entries.clear();
        }
        entries
            .entry(family.to_owned())
            .or_default()
            .insert(revision, (record.mod_revision, value.clone()));
        Ok(Some(value))
    }

    fn lock(&self) -> MutexGuard<'_, Entries<V>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use berth_model::task_definition::{
        ContainerDefinition, Registration, TaskDefinition, TaskDefinitionSpec, TaskDefinitionStatus,
    };
    use berth_state::{State, StateError, TaskDefinitionRecord};
    use berth_store::MemoryKv;

    use super::{DefinitionCache, RecordCache};

    async fn registered_web() -> State {
        let state = State::new(Arc::new(MemoryKv::new()));
        state
            .task_definitions
            .register("web", |revision| {
                let spec = TaskDefinitionSpec {
                    family: "web".to_owned(),
                    containers: vec![ContainerDefinition {
                        name: "web".to_owned(),
                        image: "busybox".to_owned(),
                        memory: Some(64),
                        ..Default::default()
                    }],
                    ..Default::default()
                };
                let registration = Registration {
                    revision,
                    registered_at_ms: 0,
                    registered_by: None,
                    document_bytes: 0,
                };
                let definition = TaskDefinition::register(spec, registration).expect("valid");
                Ok::<_, berth_state::RegisterError>(TaskDefinitionRecord {
                    definition,
                    tags: Vec::new(),
                })
            })
            .await
            .expect("registers");
        state
    }

    async fn deregister(state: &State) {
        state
            .task_definitions
            .change_status("web", 1, |record| {
                let mut record = record.expect("stored");
                record.definition.status = TaskDefinitionStatus::Inactive;
                Ok::<_, StateError>(record)
            })
            .await
            .expect("deregisters");
    }

    #[tokio::test]
    async fn records_follow_the_store_and_definitions_keep_what_was_registered() {
        let state = registered_web().await;
        let repo = &state.task_definitions;
        let definitions = DefinitionCache::default();
        let records = RecordCache::default();
        let first = definitions.get(repo, "web", 1).await.expect("reads");
        assert_eq!(first.map(|d| d.status), Some(TaskDefinitionStatus::Active));
        let record = records.get(repo, "web", 1).await.expect("reads");
        assert_eq!(
            record.map(|r| r.definition.status),
            Some(TaskDefinitionStatus::Active)
        );

        deregister(&state).await;

        // RunTask must see the revision is no longer ACTIVE.
        let record = records.get(repo, "web", 1).await.expect("reads");
        assert_eq!(
            record.map(|r| r.definition.status),
            Some(TaskDefinitionStatus::Inactive)
        );
        // Poll answers keep the content they first read, without a read.
        let again = definitions.get(repo, "web", 1).await.expect("reads");
        let again = again.expect("cached");
        assert_eq!(again.status, TaskDefinitionStatus::Active);
        assert_eq!(again.spec.containers[0].image, "busybox");
    }

    #[tokio::test]
    async fn a_revision_never_registered_is_none_in_both() {
        let state = registered_web().await;
        let repo = &state.task_definitions;
        let definitions = DefinitionCache::default();
        let records = RecordCache::default();
        assert!(
            definitions
                .get(repo, "web", 2)
                .await
                .expect("reads")
                .is_none()
        );
        assert!(records.get(repo, "web", 2).await.expect("reads").is_none());
        assert!(
            definitions
                .get(repo, "db", 1)
                .await
                .expect("reads")
                .is_none()
        );
    }
}
