//! A typed view of one key prefix: records encoded as JSON, read with their
//! mod revision, paged in key order.

use std::marker::PhantomData;

use berth_store::{Compare, Condition, KeyRange, KeyValue, Kv, Op, Revision, Txn};
use serde::{Serialize, de::DeserializeOwned};

use crate::StateError;

/// A record and the revision it was last written at, for compare-and-swap.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    pub value: T,
    pub mod_revision: Revision,
}

/// One page of a listing and the id to continue after, if any remain.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<(String, T)>,
    pub next_after: Option<String>,
}

/// Records of type `T` under `prefix`, keyed by a string id.
pub struct Table<T> {
    prefix: &'static str,
    _record: PhantomData<fn() -> T>,
}

impl<T> Clone for Table<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Table<T> {}

impl<T: Serialize + DeserializeOwned> Table<T> {
    /// A table whose keys are `prefix` followed by the id.
    pub const fn new(prefix: &'static str) -> Self {
        Table {
            prefix,
            _record: PhantomData,
        }
    }

    /// The store key of `id`.
    pub fn key(&self, id: &str) -> Vec<u8> {
        let mut key = Vec::with_capacity(self.prefix.len() + id.len());
        key.extend_from_slice(self.prefix.as_bytes());
        key.extend_from_slice(id.as_bytes());
        key
    }

    /// Reads one record.
    pub async fn get(&self, kv: &dyn Kv, id: &str) -> Result<Option<Versioned<T>>, StateError> {
        let Some(kv_pair) = kv.get(&self.key(id)).await? else {
            return Ok(None);
        };
        Ok(Some(Versioned {
            value: self.decode(&kv_pair.key, &kv_pair.value)?,
            mod_revision: kv_pair.mod_revision,
        }))
    }

    /// Reads up to `limit` records whose ids start with `id_prefix`, after
    /// the id `after` when given, in id order.
    pub async fn page(
        &self,
        kv: &dyn Kv,
        id_prefix: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page<T>, StateError> {
        let prefix = self.key(id_prefix);
        let range = match after {
            Some(after) => KeyRange::prefix_after(prefix, &self.key(after)),
            None => KeyRange::prefix(prefix),
        };
        let result = kv.range(&range, limit).await?;
        self.decode_page(&result.kvs, result.more)
    }

    fn decode_page(&self, kvs: &[KeyValue], more: bool) -> Result<Page<T>, StateError> {
        let mut items = Vec::with_capacity(kvs.len());
        for kv_pair in kvs {
            let id = String::from_utf8_lossy(&kv_pair.key[self.prefix.len()..]).into_owned();
            items.push((id, self.decode(&kv_pair.key, &kv_pair.value)?));
        }
        let next_after = if more {
            items.last().map(|(id, _)| id.clone())
        } else {
            None
        };
        Ok(Page { items, next_after })
    }

    /// Up to `limit` records (1 or more) whose ids start with `id_prefix` and
    /// that satisfy `keep`, after `after`, in id order. Scans in batches so a
    /// sparse match does not read the whole prefix into memory at once.
    pub async fn page_where(
        &self,
        kv: &dyn Kv,
        id_prefix: &str,
        after: Option<&str>,
        limit: usize,
        mut keep: impl FnMut(&T) -> bool,
    ) -> Result<Page<T>, StateError> {
        self.scan(kv, id_prefix, after, limit, |record| {
            let value = self.decode(&record.key, &record.value)?;
            Ok(keep(&value).then_some(value))
        })
        .await
    }

    /// Ids of up to `limit` records (1 or more) under `id_prefix`, after
    /// `after`, in id order, whose stored JSON `keep` accepts, each with its
    /// record's mod revision (to compare on when acting on it). A listing
    /// that filters on a few members decodes just those (into a partial
    /// type) and skips the rest of each record without decoding it.
    pub async fn ids_where(
        &self,
        kv: &dyn Kv,
        id_prefix: &str,
        after: Option<&str>,
        limit: usize,
        mut keep: impl FnMut(&[u8]) -> Result<bool, serde_json::Error>,
    ) -> Result<Page<Revision>, StateError> {
        self.scan(kv, id_prefix, after, limit, |record| {
            let kept = keep(&record.value).map_err(|source| StateError::Corrupt {
                key: String::from_utf8_lossy(&record.key).into_owned(),
                source,
            })?;
            Ok(kept.then_some(record.mod_revision))
        })
        .await
    }

    /// The records under `id_prefix` after `after` that `pick` turns into
    /// items, up to `limit` of them (1 or more), read in batches.
    async fn scan<V>(
        &self,
        kv: &dyn Kv,
        id_prefix: &str,
        after: Option<&str>,
        limit: usize,
        mut pick: impl FnMut(&KeyValue) -> Result<Option<V>, StateError>,
    ) -> Result<Page<V>, StateError> {
        let limit = limit.max(1);
        let batch = limit.clamp(100, 1000);
        let prefix = self.key(id_prefix);
        let mut items = Vec::new();
        let mut range = match after {
            Some(after) => KeyRange::prefix_after(prefix, &self.key(after)),
            None => KeyRange::prefix(prefix),
        };
        loop {
            let result = kv.range(&range, batch).await?;
            for kv_pair in &result.kvs {
                if let Some(item) = pick(kv_pair)? {
                    let id =
                        String::from_utf8_lossy(&kv_pair.key[self.prefix.len()..]).into_owned();
                    items.push((id.clone(), item));
                    if items.len() == limit {
                        // More may follow; a final empty page is allowed.
                        return Ok(Page {
                            items,
                            next_after: Some(id),
                        });
                    }
                }
            }
            match range.rest_after(&result) {
                Some(rest) => range = rest,
                None => {
                    return Ok(Page {
                        items,
                        next_after: None,
                    });
                }
            }
        }
    }

    /// Every record whose id starts with `id_prefix` and that `keep`
    /// accepts, read in batches.
    pub async fn all_where(
        &self,
        kv: &dyn Kv,
        id_prefix: &str,
        mut keep: impl FnMut(&T) -> bool,
    ) -> Result<Vec<T>, StateError> {
        let mut records = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = self.page(kv, id_prefix, after.as_deref(), 1000).await?;
            records.extend(
                page.items
                    .into_iter()
                    .map(|(_, value)| value)
                    .filter(|value| keep(value)),
            );
            match page.next_after {
                Some(next) => after = Some(next),
                None => return Ok(records),
            }
        }
    }

    /// Like [`Table::page`], in descending id order; `before` continues a
    /// previous descending page.
    pub async fn page_rev(
        &self,
        kv: &dyn Kv,
        id_prefix: &str,
        before: Option<&str>,
        limit: usize,
    ) -> Result<Page<T>, StateError> {
        let mut range = KeyRange::prefix(self.key(id_prefix));
        if let Some(before) = before {
            range.end = self.key(before);
        }
        let result = kv.range_rev(&range, limit).await?;
        self.decode_page(&result.kvs, result.more)
    }

    /// Reads `id`, lets `change` compute the record to store from the current
    /// one (`None` when absent), and writes it if nothing changed meanwhile,
    /// retrying on a lost race. Returns what was written.
    pub async fn modify<E: From<StateError>>(
        &self,
        kv: &dyn Kv,
        id: &str,
        change: impl FnMut(Option<T>) -> Result<T, E>,
    ) -> Result<T, E> {
        Ok(self.modify_versioned(kv, id, change).await?.value)
    }

    /// [`Table::modify`], also answering the revision the record was
    /// written at.
    pub async fn modify_versioned<E: From<StateError>>(
        &self,
        kv: &dyn Kv,
        id: &str,
        mut change: impl FnMut(Option<T>) -> Result<T, E>,
    ) -> Result<Versioned<T>, E> {
        for _ in 0..crate::MAX_CAS_ATTEMPTS {
            let current = self.get(kv, id).await?;
            let mod_revision = current.as_ref().map_or(0, |record| record.mod_revision);
            let updated = change(current.map(|record| record.value))?;
            let txn = Txn {
                compares: vec![self.unchanged(id, mod_revision)],
                ops: vec![self.put_op(id, &updated)],
            };
            let committed = kv.txn(txn).await.map_err(StateError::from)?;
            if committed.succeeded {
                return Ok(Versioned {
                    value: updated,
                    mod_revision: committed.revision,
                });
            }
        }
        Err(StateError::Contention {
            key: String::from_utf8_lossy(&self.key(id)).into_owned(),
        }
        .into())
    }

    /// The write of `value` under `id`.
    pub fn put_op(&self, id: &str, value: &T) -> Op {
        Op::Put {
            key: self.key(id),
            // Encoding plain data types to JSON cannot fail: they hold no maps
            // with non-string keys and no foreign Serialize impls.
            value: serde_json::to_vec(value).expect("records encode to JSON"),
        }
    }

    /// The removal of `id`.
    pub fn delete_op(&self, id: &str) -> Op {
        Op::Delete { key: self.key(id) }
    }

    /// A compare that holds while `id` is unchanged since `mod_revision`
    /// (0: while it does not exist).
    pub fn unchanged(&self, id: &str, mod_revision: Revision) -> Compare {
        Compare {
            key: self.key(id),
            condition: Condition::ModRevision(mod_revision),
        }
    }

    /// A compare that holds while `id` does not exist.
    pub fn absent(&self, id: &str) -> Compare {
        Compare {
            key: self.key(id),
            condition: Condition::Absent,
        }
    }

    fn decode(&self, key: &[u8], value: &[u8]) -> Result<T, StateError> {
        serde_json::from_slice(value).map_err(|source| StateError::Corrupt {
            key: String::from_utf8_lossy(key).into_owned(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use berth_store::MemoryKv;

    use super::*;

    const NUMBERS: Table<u32> = Table::new("test/numbers/");

    async fn filled(n: u32) -> Arc<MemoryKv> {
        let kv = Arc::new(MemoryKv::new());
        for idx in 0..n {
            let txn = Txn {
                compares: vec![],
                ops: vec![NUMBERS.put_op(&format!("{idx:03}"), &idx)],
            };
            kv.txn(txn).await.expect("put");
        }
        kv
    }

    fn ids(page: &Page<u32>) -> Vec<u32> {
        page.items.iter().map(|(_, value)| *value).collect()
    }

    #[tokio::test]
    async fn pages_in_both_directions_without_gaps() {
        let kv = filled(25).await;
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = NUMBERS
                .page(&*kv, "", after.as_deref(), 7)
                .await
                .expect("page");
            seen.extend(ids(&page));
            match page.next_after {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, (0..25).collect::<Vec<_>>());
        let mut seen = Vec::new();
        let mut before = None;
        loop {
            let page = NUMBERS
                .page_rev(&*kv, "", before.as_deref(), 6)
                .await
                .expect("page");
            seen.extend(ids(&page));
            match page.next_after {
                Some(next) => before = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, (0..25).rev().collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn filtered_pages_fill_up_to_the_limit() {
        let kv = filled(250).await;
        let page = NUMBERS
            .page_where(&*kv, "", None, 10, |n| n % 20 == 0)
            .await
            .expect("page");
        assert_eq!(ids(&page), (0..200).step_by(20).collect::<Vec<_>>());
        let rest = NUMBERS
            .page_where(&*kv, "", page.next_after.as_deref(), 10, |n| n % 20 == 0)
            .await
            .expect("page");
        assert_eq!(ids(&rest), vec![200, 220, 240]);
        assert_eq!(rest.next_after, None);
    }

    #[tokio::test]
    async fn id_listings_page_over_the_raw_records_they_accept() {
        let kv = filled(1000).await;
        // Sparse matches span several scan batches.
        let every_300th = |record: &[u8]| Ok(serde_json::from_slice::<u32>(record)? % 300 == 0);
        let page = NUMBERS
            .ids_where(&*kv, "", None, 2, every_300th)
            .await
            .expect("page");
        let listed = |page: &Page<Revision>| -> Vec<String> {
            page.items.iter().map(|(id, _)| id.clone()).collect()
        };
        assert_eq!(listed(&page), ["000", "300"]);
        assert_eq!(page.next_after.as_deref(), Some("300"));
        let rest = NUMBERS
            .ids_where(&*kv, "", page.next_after.as_deref(), 2, every_300th)
            .await
            .expect("page");
        assert_eq!(listed(&rest), ["600", "900"]);
        let last = NUMBERS
            .ids_where(&*kv, "", rest.next_after.as_deref(), 2, every_300th)
            .await
            .expect("page");
        assert!(last.items.is_empty() && last.next_after.is_none());
        // A record the listing cannot read is reported with its key.
        let unreadable = NUMBERS
            .ids_where(&*kv, "", None, 2, |record| {
                serde_json::from_slice::<String>(record).map(|_| true)
            })
            .await;
        assert!(
            matches!(unreadable, Err(StateError::Corrupt { key, .. }) if key == "test/numbers/000")
        );
    }

    #[tokio::test]
    async fn concurrent_modifications_lose_no_update() {
        let kv = filled(1).await;
        let mut handles = Vec::new();
        for _ in 0..8 {
            let kv = kv.clone();
            handles.push(tokio::spawn(async move {
                for _ in 0..10 {
                    NUMBERS
                        .modify(&*kv, "000", |n| Ok::<_, StateError>(n.unwrap_or(0) + 1))
                        .await
                        .expect("modify");
                }
            }));
        }
        for handle in handles {
            handle.await.expect("task");
        }
        let total = NUMBERS
            .get(&*kv, "000")
            .await
            .expect("get")
            .expect("present");
        assert_eq!(total.value, 80);
    }
}
