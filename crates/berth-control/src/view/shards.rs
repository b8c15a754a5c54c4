//! A map from ids split over many hash maps. A hash map grows by moving
//! every entry into a table twice as large at once: with a million tasks in a
//! cluster's view that one insert took a quarter of a second alone, and over
//! half a second on a busy machine, with the view's lock held and every
//! placement of the cluster waiting. Split over [`SHARDS`] maps, each grows
//! on its own, a sliver at a time.

use std::collections::HashMap;

/// How many maps the entries are split over.
const SHARDS: usize = 64;

/// Entries by id, each in the map its id's shard names.
#[derive(Debug)]
pub struct ShardedMap<V> {
    shards: Vec<HashMap<String, V>>,
}

impl<V> Default for ShardedMap<V> {
    fn default() -> Self {
        ShardedMap {
            shards: (0..SHARDS).map(|_| HashMap::new()).collect(),
        }
    }
}

impl<V> ShardedMap<V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        self.shards[shard_of(key)].get(key)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.shards[shard_of(key)].get_mut(key)
    }

    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        let shard = shard_of(&key);
        self.shards[shard].insert(key, value)
    }

    pub fn remove(&mut self, key: &str) -> Option<V> {
        self.shards[shard_of(key)].remove(key)
    }

    pub fn len(&self) -> usize {
        self.shards.iter().map(HashMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.shards.iter().all(HashMap::is_empty)
    }
}

fn shard_of(key: &str) -> usize {
    berth_state::shards::shard_of(key, SHARDS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_as_one_map() {
        let mut map = ShardedMap::default();
        assert!(map.is_empty());
        for i in 0..1_000u32 {
            assert_eq!(map.insert(format!("{i:032x}"), i), None);
        }
        assert_eq!(map.insert(format!("{:032x}", 7), 70), Some(7));
        assert_eq!(map.len(), 1_000);
        assert_eq!(map.get(&format!("{:032x}", 7)), Some(&70));
        assert_eq!(map.remove(&format!("{:032x}", 7)), Some(70));
        assert_eq!(map.get(&format!("{:032x}", 7)), None);
        *map.get_mut(&format!("{:032x}", 8)).unwrap() = 80;
        assert_eq!(map.remove(&format!("{:032x}", 8)), Some(80));
        assert_eq!(map.remove("nope"), None);
        assert_eq!(map.len(), 998);
        assert!(!map.is_empty());
        // Keys shorter than eight bytes, and the empty one, have shards too.
        for key in ["", "a", "ab"] {
            map.insert(key.to_owned(), 1);
            assert_eq!(map.get(key), Some(&1));
        }
    }

    #[test]
    fn uuid_v7_ids_spread_over_every_shard() {
        let mut counts = [0usize; SHARDS];
        let ids = 64_000;
        for _ in 0..ids {
            counts[shard_of(&crate::new_id())] += 1;
        }
        let fair = ids / SHARDS;
        // Random ids land within a few standard deviations (about 31) of a
        // fair share; ids shared by the time digits alone would not.
        assert!(
            counts.iter().all(|&n| n > fair - 200 && n < fair + 200),
            "{counts:?}"
        );
    }
}
