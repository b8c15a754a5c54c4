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
/// the revision of the store record it was made from. A record rewritten
/// since (its status changed) is decoded again, so a caller never gets a
/// state older than the store's.
pub struct RevisionCache<V> {
    entries: Mutex<Entries<V>>,
    make: fn(TaskDefinitionRecord) -> V,
}

/// What poll answers carry: the definition, encoded once for every task of it.
pub type DefinitionCache = RevisionCache<SharedDefinition>;

/// What RunTask and StartTask read: the definition and its tags.
pub type RecordCache = RevisionCache<Arc<TaskDefinitionRecord>>;

impl Default for DefinitionCache {
    fn default() -> Self {
        RevisionCache::new(|record| SharedDefinition::new(record.definition))
    }
}

impl Default for RecordCache {
    fn default() -> Self {
        RevisionCache::new(Arc::new)
    }
}

impl<V: Clone> RevisionCache<V> {
    fn new(make: fn(TaskDefinitionRecord) -> V) -> Self {
        RevisionCache {
            entries: Mutex::new(HashMap::new()),
            make,
        }
    }

    /// Revision `revision` of `family` as stored now.
    pub async fn get(
        &self,
        repo: &TaskDefinitionRepo,
        family: &str,
        revision: u32,
    ) -> Result<Option<V>, StateError> {
        let Some(stored_at) = repo.mod_revision(family, revision).await? else {
            return Ok(None);
        };
        if let Some((at, value)) = self.lock().get(family).and_then(|by| by.get(&revision))
            && *at == stored_at
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
