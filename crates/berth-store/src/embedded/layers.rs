//! What the embedded store's readers see: the commits since the last
//! checkpoint, held in memory over redb's last checkpointed state.
//!
//! The writer adds each durable group commit to the `active` layer. A
//! checkpoint freezes that layer and writes it into redb on a thread of its
//! own, while new commits go to a fresh active layer; once redb holds the
//! frozen layer durably, it is dropped. A key's state is thus the newest of
//! the active layer, the frozen one and redb. redb sees one write
//! transaction per checkpoint, of each key's last state, instead of one per
//! group commit: a task written at placement and again when it runs is
//! written to redb once, and no commit waits for a checkpoint.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::iter::Peekable;
use std::sync::Arc;

use crate::apply::Stamp;
use crate::kv::{Event, EventKind, KeyRange, KeyValue, Order, Revision, StoreError};

/// A key's state in a layer: its last put, or `None` for a delete.
pub(super) type Slot = Option<Arc<KeyValue>>;
/// The last state of each key a run of commits wrote.
pub(super) type Layer = BTreeMap<Vec<u8>, Slot>;

/// The layers over redb and the revision they bring the store to.
#[derive(Default)]
pub(super) struct Layers {
    /// Commits since the last freeze; only the writer changes it.
    pub active: Layer,
    /// The layer a checkpoint is writing into redb, if one is.
    pub frozen: Option<Arc<Layer>>,
    /// The last revision committed.
    pub revision: Revision,
    /// How many times an active layer was frozen. Reads note it, so that
    /// the deletions they walked count only while the layer holding them is
    /// the active one (see `Shared::note_deletions_walked`).
    pub freezes: u64,
}

impl Layers {
    /// The state of `key` the layers hold, if they hold one; `None` means
    /// redb's state is the current one.
    pub fn lookup(&self, key: &[u8]) -> Option<&Slot> {
        self.active
            .get(key)
            .or_else(|| self.frozen.as_ref()?.get(key))
    }

    /// The revisions of `key` the layers hold, if they hold its state.
    pub fn stamp(&self, key: &[u8]) -> Option<Option<Stamp>> {
        self.lookup(key)
            .map(|slot| slot.as_deref().map(Stamp::from))
    }

    /// What the layers hold in `range`, newest state per key, in `order`:
    /// enough to answer a read of `limit` keys (0: all) merged with redb.
    /// A merged read stops at its `limit + 1`th key (the last tells whether
    /// there are more), which is never past the `limit + 1`th put here, so
    /// later keys here cannot matter.
    pub fn collect(&self, range: &KeyRange, limit: usize, order: Order) -> Vec<Found> {
        if !range.end.is_empty() && range.start >= range.end {
            return Vec::new();
        }
        let wanted = if limit == 0 {
            usize::MAX
        } else {
            limit.saturating_add(1)
        };
        let active = ranged(&self.active, range, order).map(|(key, slot)| (key, slot, true));
        let frozen = self
            .frozen
            .as_deref()
            .map(|frozen| ranged(frozen, range, order))
            .into_iter()
            .flatten()
            .map(|(key, slot)| (key, slot, false));
        let mut puts = 0;
        let mut found = Vec::new();
        for (key, slot, active) in NewerFirst::new(active, frozen, order) {
            if puts == wanted {
                break;
            }
            found.push(match slot {
                Some(kv) => {
                    puts += 1;
                    Found::Put(kv.clone())
                }
                None => Found::Deleted {
                    key: key.clone(),
                    active,
                },
            });
        }
        found
    }

    /// Freezes the active layer for a checkpoint to write into redb, and
    /// starts a new one.
    pub fn freeze(&mut self) -> Arc<Layer> {
        let frozen = Arc::new(std::mem::take(&mut self.active));
        self.frozen = Some(frozen.clone());
        self.freezes += 1;
        frozen
    }

    /// Adds the changes of durable commits up to `revision` to the active
    /// layer.
    pub fn record(&mut self, revision: Revision, changes: Changes) {
        self.active.extend(changes.0);
        self.revision = revision;
    }
}

/// What commits changed, made ready to add to a layer outside its lock.
pub(super) struct Changes(Vec<(Vec<u8>, Slot)>);

impl Changes {
    pub fn of<'e>(events: impl IntoIterator<Item = &'e Event>) -> Changes {
        let slots = events.into_iter().map(|event| {
            let slot = match event.kind {
                EventKind::Put => Some(Arc::clone(&event.kv)),
                EventKind::Delete => None,
            };
            (event.kv.key.clone(), slot)
        });
        Changes(slots.collect())
    }
}

/// The entries of `layer` in `range`, in `order`.
fn ranged<'l>(
    layer: &'l Layer,
    range: &KeyRange,
    order: Order,
) -> Box<dyn Iterator<Item = (&'l Vec<u8>, &'l Slot)> + 'l> {
    let entries = layer.range::<[u8], _>(range.bounds());
    match order {
        Order::Ascending => Box::new(entries),
        Order::Descending => Box::new(entries.rev()),
    }
}

/// A key's state found while reading a range.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Found {
    Put(Arc<KeyValue>),
    /// A deletion, and whether the active layer holds it: the frozen
    /// layer's go when the running checkpoint ends.
    Deleted {
        key: Vec<u8>,
        active: bool,
    },
}

/// What a key-ordered merge needs of an item.
pub(super) trait Keyed {
    fn key(&self) -> &[u8];
}

impl Keyed for Found {
    fn key(&self) -> &[u8] {
        match self {
            Found::Put(kv) => &kv.key,
            Found::Deleted { key, .. } => key,
        }
    }
}

impl Keyed for (&Vec<u8>, &Slot, bool) {
    fn key(&self) -> &[u8] {
        self.0
    }
}

/// Merges two sequences of items in the same key order into one, taking
/// the item of `newer` where both hold a key.
pub(super) struct NewerFirst<A: Iterator, B: Iterator> {
    newer: Peekable<A>,
    older: Peekable<B>,
    order: Order,
}

impl<A: Iterator, B: Iterator> NewerFirst<A, B> {
    pub fn new(newer: A, older: B, order: Order) -> Self {
        NewerFirst {
            newer: newer.peekable(),
            older: older.peekable(),
            order,
        }
    }
}

impl<T: Keyed, A: Iterator<Item = T>, B: Iterator<Item = T>> Iterator for NewerFirst<A, B> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let first = match (self.newer.peek(), self.older.peek()) {
            (None, None) => return None,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(newer), Some(older)) => {
                let ascending = newer.key().cmp(older.key());
                match self.order {
                    Order::Ascending => ascending,
                    Order::Descending => ascending.reverse(),
                }
            }
        };
        match first {
            Ordering::Less => self.newer.next(),
            Ordering::Greater => self.older.next(),
            Ordering::Equal => {
                self.older.next();
                self.newer.next()
            }
        }
    }
}

/// An entry of redb read in a range, decoded only if the read returns it:
/// entries the layers replace or delete cost their key compare alone.
pub(super) trait DiskEntry {
    fn key(&self) -> &[u8];
    fn decode(self) -> Result<KeyValue, StoreError>;
}

impl DiskEntry for KeyValue {
    fn key(&self) -> &[u8] {
        &self.key
    }

    fn decode(self) -> Result<KeyValue, StoreError> {
        Ok(self)
    }
}

/// An item of a merged range read, from the layers or from redb.
enum Source<D> {
    Memory(Found),
    Disk(D),
}

impl<D: DiskEntry> Keyed for Source<D> {
    fn key(&self) -> &[u8] {
        match self {
            Source::Memory(found) => found.key(),
            Source::Disk(entry) => entry.key(),
        }
    }
}

/// What a merged range read found.
#[derive(Debug)]
pub(super) struct Merged {
    /// At most the read's limit of keys, in its order.
    pub kvs: Vec<KeyValue>,
    /// Whether more keys follow.
    pub more: bool,
    /// How many deletions in the active layer the read stepped over, each
    /// with the redb entry it hides: a cost every read of the range pays
    /// until a checkpoint writes the deletion into redb.
    pub deletions_walked: u64,
}

/// The keys of a range read: `memory` (what [`Layers::collect`] found)
/// over redb's `disk` entries of the same range and order, at most `limit`
/// of them (0: all).
pub(super) fn merge_range<D: DiskEntry>(
    memory: Vec<Found>,
    disk: impl Iterator<Item = Result<D, StoreError>>,
    limit: usize,
    order: Order,
) -> Result<Merged, StoreError> {
    let limit = if limit == 0 { usize::MAX } else { limit };
    let mut failure = None;
    let disk = disk.map_while(|item| match item {
        Ok(entry) => Some(Source::Disk(entry)),
        Err(err) => {
            failure = Some(err);
            None
        }
    });
    let memory = memory.into_iter().map(Source::Memory);
    let mut kvs = Vec::new();
    let mut more = false;
    let mut deletions_walked = 0;
    for item in NewerFirst::new(memory, disk, order) {
        if kvs.len() == limit && !matches!(item, Source::Memory(Found::Deleted { .. })) {
            more = true;
            break;
        }
        kvs.push(match item {
            Source::Memory(Found::Put(kv)) => Arc::unwrap_or_clone(kv),
            Source::Memory(Found::Deleted { active, .. }) => {
                deletions_walked += u64::from(active);
                continue;
            }
            Source::Disk(entry) => entry.decode()?,
        });
    }
    match failure {
        Some(err) => Err(err),
        None => Ok(Merged {
            kvs,
            more,
            deletions_walked,
        }),
    }
}

/// How many deletions stepped over cost range reads about as much as one
/// key written by a checkpoint (seen: 0.1–0.5 µs, against 5–14 µs a key).
pub(super) const WALKS_PER_CHECKPOINTED_KEY: u64 = 16;
/// What a checkpoint costs beyond its keys (syncs of the log's rotation and
/// of redb's commit), in checkpointed keys.
pub(super) const CHECKPOINT_FIXED_KEYS: u64 = 512;

/// Whether reads stepping over the active layer's deleted keys have cost
/// about as much as a checkpoint of its `layer_keys` keys would, which
/// ends that cost: the rule of renting until the rent paid equals the price
/// of buying, never more than twice the best choice made in hindsight.
/// Loads that delete keys no read walks over never start a checkpoint so.
pub(super) fn deletions_outweigh_checkpoint(deletions_walked: u64, layer_keys: usize) -> bool {
    let keys = u64::try_from(layer_keys).unwrap_or(u64::MAX);
    deletions_walked
        >= keys
            .saturating_add(CHECKPOINT_FIXED_KEYS)
            .saturating_mul(WALKS_PER_CHECKPOINTED_KEY)
}

/// What range reads stepping over deletions in the active layer have cost
/// since it was started.
#[derive(Debug, Default)]
pub(super) struct DeletionWalks {
    /// [`Layers::freezes`] when the active layer was started.
    freezes: u64,
    pub walked: u64,
    /// Whether the reads asked the writer for a checkpoint: once per layer.
    pub asked: bool,
}

impl DeletionWalks {
    /// The count for the active layer started by the `freezes`th freeze.
    pub fn since(freezes: u64) -> DeletionWalks {
        DeletionWalks {
            freezes,
            ..DeletionWalks::default()
        }
    }

    /// Adds `walked` deletions a read stepped over in the layer the
    /// `freezes`th freeze started, and says whether the reads now ask for a
    /// checkpoint of its `layer_keys` keys, for the first time. A count from
    /// an older layer is of the frozen one, which the running checkpoint
    /// removes, and is dropped.
    pub fn note(&mut self, walked: u64, layer_keys: usize, freezes: u64) -> bool {
        if self.freezes != freezes || self.asked {
            return false;
        }
        self.walked = self.walked.saturating_add(walked);
        self.asked = deletions_outweigh_checkpoint(self.walked, layer_keys);
        self.asked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(key: &str, value: &str, revision: Revision) -> Event {
        Event {
            kind: EventKind::Put,
            kv: Arc::new(KeyValue {
                key: key.into(),
                value: bytes::Bytes::copy_from_slice(value.as_bytes()),
                create_revision: revision,
                mod_revision: revision,
                version: 1,
            }),
        }
    }

    fn delete(key: &str) -> Event {
        let mut event = put(key, "", 0);
        event.kind = EventKind::Delete;
        event
    }

    fn kv(key: &str, value: &str) -> KeyValue {
        KeyValue::clone(&put(key, value, 1).kv)
    }

    fn keys_values(kvs: &[KeyValue]) -> Vec<(String, String)> {
        kvs.iter()
            .map(|kv| {
                (
                    String::from_utf8_lossy(&kv.key).into_owned(),
                    String::from_utf8_lossy(&kv.value).into_owned(),
                )
            })
            .collect()
    }

    /// Layers where `b` and `d` were frozen, then `a` put, `b` deleted and
    /// `c` put after the freeze, over a redb that holds `a`, `b`, `c`, `e`.
    fn layered() -> (Layers, Vec<KeyValue>) {
        let mut layers = Layers::default();
        layers.record(
            2,
            Changes::of(&[put("b", "frozen", 2), put("d", "frozen", 2)]),
        );
        layers.freeze();
        let after_freeze = [put("a", "active", 3), delete("b"), put("c", "active", 3)];
        layers.record(3, Changes::of(&after_freeze));
        let disk = ["a", "b", "c", "e"].map(|key| kv(key, "disk")).to_vec();
        (layers, disk)
    }

    fn merged(layers: &Layers, disk: &[KeyValue], limit: usize, order: Order) -> Merged {
        let range = KeyRange {
            start: Vec::new(),
            end: Vec::new(),
        };
        let mut disk = disk.to_vec();
        if order == Order::Descending {
            disk.reverse();
        }
        let memory = layers.collect(&range, limit, order);
        merge_range(memory, disk.into_iter().map(Ok), limit, order).expect("merge")
    }

    fn read(
        layers: &Layers,
        disk: &[KeyValue],
        limit: usize,
        order: Order,
    ) -> (Vec<(String, String)>, bool) {
        let merged = merged(layers, disk, limit, order);
        (keys_values(&merged.kvs), merged.more)
    }

    #[test]
    fn the_newest_layer_decides_each_key() {
        let (layers, disk) = layered();
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let all = pairs(&[
            ("a", "active"),
            ("c", "active"),
            ("d", "frozen"),
            ("e", "disk"),
        ]);
        assert_eq!(
            read(&layers, &disk, 0, Order::Ascending),
            (all.clone(), false)
        );
        let mut reversed = all.clone();
        reversed.reverse();
        assert_eq!(
            read(&layers, &disk, 0, Order::Descending),
            (reversed, false)
        );
        assert_eq!(layers.stamp(b"b"), Some(None), "deleted after the freeze");
        assert_eq!(
            layers.stamp(b"d").map(|s| s.map(|s| s.mod_revision)),
            Some(Some(2))
        );
        assert_eq!(layers.stamp(b"e"), None, "redb's state stands");
    }

    #[test]
    fn limits_count_only_keys_that_exist() {
        let (layers, disk) = layered();
        for limit in 1..=5 {
            for order in [Order::Ascending, Order::Descending] {
                let (all, _) = read(&layers, &disk, 0, order);
                let (page, more) = read(&layers, &disk, limit, order);
                let expected: Vec<_> = all.iter().take(limit).cloned().collect();
                assert_eq!(page, expected, "limit {limit} {order:?}");
                assert_eq!(more, limit < all.len(), "limit {limit} {order:?}");
            }
        }
    }

    #[test]
    fn reads_count_the_deletions_they_step_over() {
        let (layers, disk) = layered();
        let walked = |limit, order| merged(&layers, &disk, limit, order).deletions_walked;
        assert_eq!(walked(0, Order::Ascending), 1, "b");
        assert_eq!(walked(0, Order::Descending), 1, "b");
        assert_eq!(walked(1, Order::Ascending), 1, "b lies between a and c");
        assert_eq!(walked(1, Order::Descending), 0, "the page ends at d");
    }

    #[test]
    fn only_the_active_layers_deletions_count() {
        let mut layers = Layers::default();
        layers.record(2, Changes::of(&[delete("a")]));
        layers.freeze();
        layers.record(3, Changes::of(&[delete("b")]));
        let disk = ["a", "b", "c"].map(|key| kv(key, "disk")).to_vec();
        let merged = merged(&layers, &disk, 0, Order::Ascending);
        assert_eq!(
            keys_values(&merged.kvs),
            [("c".to_string(), "disk".to_string())]
        );
        assert_eq!(
            merged.deletions_walked, 1,
            "b; a goes with the running checkpoint"
        );
    }

    #[test]
    fn deletions_walked_start_a_checkpoint_once_they_cost_as_much() {
        let price = |keys: u64| (keys + CHECKPOINT_FIXED_KEYS) * WALKS_PER_CHECKPOINTED_KEY;
        for keys in [0, 1, 5_040, 100_000] {
            let layer_keys = usize::try_from(keys).expect("fits");
            assert!(!deletions_outweigh_checkpoint(price(keys) - 1, layer_keys));
            assert!(deletions_outweigh_checkpoint(price(keys), layer_keys));
        }
    }

    #[test]
    fn a_failing_disk_read_fails_the_merge() {
        let (layers, _) = layered();
        let range = KeyRange {
            start: Vec::new(),
            end: Vec::new(),
        };
        let disk = vec![
            Ok(kv("a", "disk")),
            Err(StoreError::Closed),
            Ok(kv("z", "disk")),
        ];
        let memory = layers.collect(&range, 0, Order::Ascending);
        let err = merge_range(memory, disk.into_iter(), 0, Order::Ascending).expect_err("fails");
        assert!(matches!(err, StoreError::Closed), "{err}");
    }
}
