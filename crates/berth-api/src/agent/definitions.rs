//! The task definitions poll answers carry, decoded and encoded once per
//! stored version instead of once per task.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use berth_protocol::SharedDefinition;
use berth_state::{StateError, TaskDefinitionRepo};
use berth_store::Revision;

/// Revisions kept at most; past this the cache starts over, which costs
/// one decode per revision in use.
const CAPACITY: usize = 1_024;

/// Decoded revisions by family, then revision, each with the store revision
/// of the record it was decoded from.
type Entries = HashMap<String, HashMap<u32, (Revision, SharedDefinition)>>;

/// Task definition revisions as poll answers carry them, each with the
/// revision of the store record it was decoded from. A record rewritten
/// since (its status changed) is decoded again, so an answer never carries
/// a state older than the store's.
#[derive(Default)]
pub struct DefinitionCache {
    entries: Mutex<Entries>,
}

impl DefinitionCache {
    /// Revision `revision` of `family` as stored now.
    pub async fn get(
        &self,
        repo: &TaskDefinitionRepo,
        family: &str,
        revision: u32,
    ) -> Result<Option<SharedDefinition>, StateError> {
        let Some(stored_at) = repo.mod_revision(family, revision).await? else {
            return Ok(None);
        };
        if let Some((at, definition)) = self.lock().get(family).and_then(|by| by.get(&revision))
            && *at == stored_at
        {
            return Ok(Some(definition.clone()));
        }
        let Some(record) = repo.get_versioned(family, revision).await? else {
            return Ok(None);
        };
        let definition = SharedDefinition::new(record.value.definition);
        let mut entries = self.lock();
        if entries.values().map(HashMap::len).sum::<usize>() >= CAPACITY {
            entries.clear();
        }
        entries
            .entry(family.to_owned())
            .or_default()
            .insert(revision, (record.mod_revision, definition.clone()));
        Ok(Some(definition))
    }

    fn lock(&self) -> MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
