//! The task definitions poll answers carry, decoded and encoded once per
//! stored version instead of once per task.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use berth_protocol::SharedDefinition;
use berth_state::{StateError, TaskDefinitionRepo};
use berth_store::Revision;

/// Revisions kept at most; past this the cache starts over, which costs
/// one decode per revision in use.
const CAPACITY: usize = 1_024;

/// Task definition revisions as poll answers carry them, each with the
/// revision of the store record it was decoded from. A record rewritten
/// since (its status changed) is decoded again, so an answer never carries
/// a state older than the store's.
#[derive(Default)]
pub struct DefinitionCache {
    entries: Mutex<HashMap<(String, u32), (Revision, SharedDefinition)>>,
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
        if let Some((at, definition)) = self.lock().get(&(family.to_owned(), revision))
            && *at == stored_at
        {
            return Ok(Some(definition.clone()));
        }
        let Some(record) = repo.get(family, revision).await? else {
            return Ok(None);
        };
        // The record may have changed again between the two reads; it is
        // then newer than `stored_at`, and the next lookup decodes it anew.
        let definition = SharedDefinition::new(record.definition);
        let mut entries = self.lock();
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(
            (family.to_owned(), revision),
            (stored_at, definition.clone()),
        );
        Ok(Some(definition))
    }

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<(String, u32), (Revision, SharedDefinition)>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
