//! A map from ids split over many hash maps. A hash map grows by moving
//! every entry into a table twice as large at once: with a million tasks in a
//! cluster's view that one insert took a quarter of a second alone, and over
//! half a second on a busy machine, with the view's lock held and every
//! placement of the cluster waiting. Split over [`SHARDS`] maps, each grows
//! on its own, a sliver at a time.
//!
//! The ids the server mints (32 lowercase hex digits, every task's) are held
//! as their 16 bytes, in the table itself: a million of them as text would
//! be a million small allocations, and each lookup would follow a pointer
//! to compare them. Any other id is held as text, in a map of its own.

use std::collections::HashMap;

/// How many maps the entries are split over.
const SHARDS: usize = 64;

/// Entries by id, each in the map its id's shard names.
#[derive(Debug)]
pub struct ShardedMap<V> {
    shards: Vec<HashMap<Minted, V>>,
    others: HashMap<String, V>,
}

/// A minted id's 128 bits, as two words (a `u128` would align each entry to
/// 16 bytes): the first 16 digits, then the last 16.
type Minted = [u64; 2];

impl<V> Default for ShardedMap<V> {
    fn default() -> Self {
        ShardedMap {
            shards: (0..SHARDS).map(|_| HashMap::new()).collect(),
            others: HashMap::new(),
        }
    }
}

impl<V> ShardedMap<V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        match minted(key) {
            Some(id) => self.shards[shard_of(id)].get(&id),
            None => self.others.get(key),
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        match minted(key) {
            Some(id) => self.shards[shard_of(id)].get_mut(&id),
            None => self.others.get_mut(key),
        }
    }

    pub fn insert(&mut self, key: &str, value: V) -> Option<V> {
        match minted(key) {
            Some(id) => self.shards[shard_of(id)].insert(id, value),
            None => self.others.insert(key.to_owned(), value),
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<V> {
        match minted(key) {
            Some(id) => self.shards[shard_of(id)].remove(&id),
            None => self.others.remove(key),
        }
    }

    pub fn len(&self) -> usize {
        self.shards.iter().map(HashMap::len).sum::<usize>() + self.others.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shards.iter().all(HashMap::is_empty) && self.others.is_empty()
    }
}

/// The bits of `key` when it is an id as the server mints them: exactly 32
/// lowercase hex digits, so that no other text maps to the same bits.
fn minted(key: &str) -> Option<Minted> {
    let digits = key.as_bytes();
    if digits.len() != 32 {
        return None;
    }
    let word = |half: &[u8]| {
        half.iter().try_fold(0u64, |acc, &digit| {
            let value = match digit {
                b'0'..=b'9' => digit - b'0',
                b'a'..=b'f' => digit - b'a' + 10,
                _ => return None,
            };
            Some((acc << 4) | u64::from(value))
        })
    };
    Some([word(&digits[..16])?, word(&digits[16..])?])
}

/// The shard of a minted id, from its last 16 digits: task ids are UUIDv7,
/// whose leading digits are the time they were made and whose trailing ones
/// are random.
fn shard_of(id: Minted) -> usize {
    // Fibonacci hashing: the top bits of the product mix every bit, and the
    // product's high word scaled by the shard count picks one below it.
    let mixed = id[1].wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((u128::from(mixed) * SHARDS as u128) >> 64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_as_one_map() {
        let mut map = ShardedMap::default();
        assert!(map.is_empty());
        for i in 0..1_000u32 {
            assert_eq!(map.insert(&format!("{i:032x}"), i), None);
        }
        assert_eq!(map.insert(&format!("{:032x}", 7), 70), Some(7));
        assert_eq!(map.len(), 1_000);
        assert_eq!(map.get(&format!("{:032x}", 7)), Some(&70));
        assert_eq!(map.remove(&format!("{:032x}", 7)), Some(70));
        assert_eq!(map.get(&format!("{:032x}", 7)), None);
        *map.get_mut(&format!("{:032x}", 8)).unwrap() = 80;
        assert_eq!(map.remove(&format!("{:032x}", 8)), Some(80));
        assert_eq!(map.remove("nope"), None);
        assert_eq!(map.len(), 998);
        assert!(!map.is_empty());
    }

    #[test]
    fn ids_not_minted_are_kept_as_text_apart_from_minted_ones() {
        let mut map = ShardedMap::default();
        let id = "0190aa55deadbeef0123456789abcdef";
        assert_eq!(
            minted(id),
            Some([0x0190_aa55_dead_beef, 0x0123_4567_89ab_cdef])
        );
        map.insert(id, 1);
        // The same digits spelt otherwise, or one digit more or fewer, are
        // other ids; so are short ones and the empty one.
        let others = [
            "0190AA55DEADBEEF0123456789ABCDEF",
            "+190aa55deadbeef0123456789abcdef",
            "0190aa55deadbeef0123456789abcdef0",
            "0190aa55deadbeef0123456789abcde",
            "0190aa55-deadbeef0123456789abcde",
            "t1",
            "",
        ];
        for (n, other) in others.iter().enumerate() {
            assert_eq!(minted(other), None, "{other}");
            assert_eq!(map.get(other), None, "{other}");
            assert_eq!(map.insert(other, n + 10), None, "{other}");
        }
        assert_eq!(map.len(), others.len() + 1);
        assert_eq!(map.get(id), Some(&1));
        for (n, other) in others.iter().enumerate() {
            assert_eq!(map.get_mut(other).copied(), Some(n + 10));
            assert_eq!(map.remove(other), Some(n + 10));
        }
        assert_eq!(map.remove(id), Some(1));
        assert!(map.is_empty());
    }

    #[test]
    fn uuid_v7_ids_spread_over_every_shard() {
        let mut counts = [0usize; SHARDS];
        let ids = 64_000;
        for _ in 0..ids {
            let id = crate::new_id();
            counts[shard_of(minted(&id).expect("minted"))] += 1;
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
