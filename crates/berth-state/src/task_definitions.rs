//! The task definition repository: revisions per family, a status index for
//! listings in either order, and per-family counters.

use std::sync::Arc;

use berth_model::tag::Tag;
use berth_model::task_definition::{TaskDefinition, TaskDefinitionStatus};
use berth_store::{Kv, Revision, Txn};
use serde::{Deserialize, Serialize};

use crate::{Page, StateError, Table, Versioned};

const REVISIONS: Table<TaskDefinitionRecord> = Table::new("ecs/taskdefs/");
const BY_STATUS: Table<()> = Table::new("ecs/taskdef-status/");
const FAMILIES: Table<FamilyRecord> = Table::new("ecs/taskdef-families/");

/// Most revisions one family may ever have (deregistered ones count).
pub const MAX_REVISIONS: u32 = 1_000_000;

/// A stored revision and the tags on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskDefinitionRecord {
    pub definition: TaskDefinition,
    pub tags: Vec<Tag>,
}

/// What a family knows about its revisions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyRecord {
    /// The highest revision ever registered; revisions only grow.
    pub last_revision: u32,
    /// How many revisions are ACTIVE now.
    pub active_revisions: u32,
}

/// A revision's place in listings: `family` and `revision`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionKey {
    pub family: String,
    pub revision: u32,
}

impl RevisionKey {
    /// The id under which the revision is stored. `!` sorts before every
    /// character allowed in a family name, so `web` lists before `web-2`.
    fn id(&self) -> String {
        revision_id(&self.family, self.revision)
    }

    fn parse(id: &str) -> Option<Self> {
        let (family, revision) = id.rsplit_once('!')?;
        Some(RevisionKey {
            family: family.to_owned(),
            revision: revision.parse().ok()?,
        })
    }
}

fn revision_id(family: &str, revision: u32) -> String {
    format!("{family}!{revision:07}")
}

fn status_id(status: TaskDefinitionStatus, key: &str) -> String {
    let status = match status {
        TaskDefinitionStatus::Active => "ACTIVE",
        TaskDefinitionStatus::Inactive => "INACTIVE",
        TaskDefinitionStatus::DeleteInProgress => "DELETE_IN_PROGRESS",
    };
    format!("{status}/{key}")
}

/// Why a task definition write was refused.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// The family already used every revision number it may have.
    #[error("family {family} has reached the limit of {MAX_REVISIONS} revisions")]
    RevisionLimit { family: String },
    #[error(transparent)]
    State(#[from] StateError),
}

/// Task definitions by family and revision.
#[derive(Clone)]
pub struct TaskDefinitionRepo {
    kv: Arc<dyn Kv>,
}

impl TaskDefinitionRepo {
    pub(crate) fn new(kv: Arc<dyn Kv>) -> Self {
        TaskDefinitionRepo { kv }
    }

    /// Stores a new ACTIVE revision of `family`, built by `build` from the
    /// revision number it gets (the previous highest plus one).
    pub async fn register<E: From<RegisterError>>(
        &self,
        family: &str,
        mut build: impl FnMut(u32) -> Result<TaskDefinitionRecord, E>,
    ) -> Result<TaskDefinitionRecord, E> {
        for _ in 0..crate::MAX_CAS_ATTEMPTS {
            let current = FAMILIES
                .get(&*self.kv, family)
                .await
                .map_err(RegisterError::from)?;
            let (mut record, mod_revision) = current
                .map(|record| (record.value, record.mod_revision))
                .unwrap_or_default();
            if record.last_revision >= MAX_REVISIONS {
                return Err(RegisterError::RevisionLimit {
                    family: family.to_owned(),
                }
                .into());
            }
            record.last_revision += 1;
            record.active_revisions += 1;
            let definition = build(record.last_revision)?;
            let id = revision_id(family, record.last_revision);
            let txn = Txn {
                compares: vec![FAMILIES.unchanged(family, mod_revision)],
                ops: vec![
                    FAMILIES.put_op(family, &record),
                    REVISIONS.put_op(&id, &definition),
                    BY_STATUS.put_op(&status_id(TaskDefinitionStatus::Active, &id), &()),
                ],
            };
            let committed = self.kv.txn(txn).await.map_err(StateError::from);
            if committed.map_err(RegisterError::from)?.succeeded {
                return Ok(definition);
            }
        }
        Err(RegisterError::from(StateError::Contention {
            key: family.to_owned(),
        })
        .into())
    }

    /// One revision, in any status.
    pub async fn get(
        &self,
        family: &str,
        revision: u32,
    ) -> Result<Option<TaskDefinitionRecord>, StateError> {
        Ok(self
            .get_versioned(family, revision)
            .await?
            .map(|record| record.value))
    }

    /// One revision with the store revision it was last written at.
    pub async fn get_versioned(
        &self,
        family: &str,
        revision: u32,
    ) -> Result<Option<Versioned<TaskDefinitionRecord>>, StateError> {
        REVISIONS
            .get(&*self.kv, &revision_id(family, revision))
            .await
    }

    /// The store revision at which revision `revision` of `family` was last
    /// written, without decoding the record: what a cache of decoded
    /// revisions checks itself against.
    pub async fn mod_revision(
        &self,
        family: &str,
        revision: u32,
    ) -> Result<Option<Revision>, StateError> {
        let key = REVISIONS.key(&revision_id(family, revision));
        Ok(self.kv.get(&key).await?.map(|kv| kv.mod_revision))
    }

    /// The highest ACTIVE revision of `family`.
    pub async fn latest_active(
        &self,
        family: &str,
    ) -> Result<Option<TaskDefinitionRecord>, StateError> {
        match self.latest_active_revision(family).await? {
            Some(revision) => self.get(family, revision).await,
            None => Ok(None),
        }
    }

    /// The number of the highest ACTIVE revision of `family`, read from the
    /// status index without decoding the revision.
    pub async fn latest_active_revision(&self, family: &str) -> Result<Option<u32>, StateError> {
        let prefix = status_id(TaskDefinitionStatus::Active, &format!("{family}!"));
        let page = BY_STATUS.page_rev(&*self.kv, &prefix, None, 1).await?;
        Ok(page
            .items
            .first()
            .and_then(|(id, ())| id.split_once('/'))
            .and_then(|(_, key)| RevisionKey::parse(key))
            .map(|key| key.revision))
    }

    /// Moves one revision to the status `change` returns, keeping the status
    /// index and the family counters in step. `change` sees the stored
    /// revision and may refuse with its own error.
    pub async fn change_status<E: From<StateError>>(
        &self,
        family: &str,
        revision: u32,
        mut change: impl FnMut(Option<TaskDefinitionRecord>) -> Result<TaskDefinitionRecord, E>,
    ) -> Result<TaskDefinitionRecord, E> {
        let id = revision_id(family, revision);
        for _ in 0..crate::MAX_CAS_ATTEMPTS {
            let current = REVISIONS.get(&*self.kv, &id).await?;
            let family_record = FAMILIES.get(&*self.kv, family).await?;
            let (definition_revision, old_status) = match &current {
                Some(record) => (record.mod_revision, Some(record.value.definition.status)),
                None => (0, None),
            };
            let updated = change(current.map(|record| record.value))?;
            let (Some(old_status), Some(family_record)) = (old_status, family_record) else {
                // `change` must refuse a missing revision; storing one here
                // would bypass registration.
                return Err(StateError::Contention { key: id }.into());
            };
            let mut counters = family_record.value;
            let mut ops = vec![REVISIONS.put_op(&id, &updated)];
            let new_status = updated.definition.status;
            if new_status != old_status {
                ops.push(BY_STATUS.delete_op(&status_id(old_status, &id)));
                ops.push(BY_STATUS.put_op(&status_id(new_status, &id), &()));
                if old_status == TaskDefinitionStatus::Active {
                    counters.active_revisions = counters.active_revisions.saturating_sub(1);
                }
                if new_status == TaskDefinitionStatus::Active {
                    counters.active_revisions += 1;
                }
                ops.push(FAMILIES.put_op(family, &counters));
            }
            let txn = Txn {
                compares: vec![
                    REVISIONS.unchanged(&id, definition_revision),
                    FAMILIES.unchanged(family, family_record.mod_revision),
                ],
                ops,
            };
            if self.kv.txn(txn).await.map_err(StateError::from)?.succeeded {
                return Ok(updated);
            }
        }
        Err(StateError::Contention { key: id }.into())
    }

    /// Revisions in `status`, of one family or all, ordered by family then
    /// revision (descending when `descending`), continuing after `after`.
    pub async fn list(
        &self,
        status: TaskDefinitionStatus,
        family: Option<&str>,
        descending: bool,
        after: Option<&RevisionKey>,
        limit: usize,
    ) -> Result<(Vec<RevisionKey>, Option<RevisionKey>), StateError> {
        let prefix = status_id(status, &family.map(|f| format!("{f}!")).unwrap_or_default());
        let after_id = after.map(|key| status_id(status, &key.id()));
        let page = if descending {
            BY_STATUS
                .page_rev(&*self.kv, &prefix, after_id.as_deref(), limit)
                .await?
        } else {
            BY_STATUS
                .page(&*self.kv, &prefix, after_id.as_deref(), limit)
                .await?
        };
        let parse = |id: &str| {
            id.split_once('/')
                .and_then(|(_, key)| RevisionKey::parse(key))
        };
        let keys = page.items.iter().filter_map(|(id, ())| parse(id)).collect();
        let next = page.next_after.as_deref().and_then(parse);
        Ok((keys, next))
    }

    /// Families whose names start with `prefix`, keeping those `keep`
    /// accepts, in name order after `after`.
    pub async fn list_families(
        &self,
        prefix: &str,
        after: Option<&str>,
        limit: usize,
        keep: impl FnMut(&FamilyRecord) -> bool,
    ) -> Result<Page<FamilyRecord>, StateError> {
        FAMILIES
            .page_where(&*self.kv, prefix, after, limit, keep)
            .await
    }
}
