//! Task records this server wrote lately, each with the revision it was
//! committed at.
//!
//! A placed task is read again at once, twice: by the poll that hands it to
//! its agent and by the agent's first report. Reading and decoding the
//! record it has just written was a tenth of the server's work under load;
//! this bounded write-through cache spares both.
//!
//! A confirmed entry is a state the store committed at the entry's
//! revision, so it can be behind the store (another server, or a writer that
//! did not tell the cache, wrote since) but never wrong about its revision.
//! Readers make that safe: a poll takes an entry only when it is at least as
//! new as the assignment marker it answers for, and a writer compares the
//! entry's revision in its commit. An unconfirmed entry (remembered before
//! its commit, which may still fail) is taken only by a poll whose marker
//! shows the commit happened, and never by a writer.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use berth_store::Revision;

/// The revision of a state remembered before its commit was confirmed;
/// no commit has it, and every confirmed state is newer.
pub(super) const UNCONFIRMED: Revision = 0;

/// Tasks remembered at most: more than are ever between placement and
/// their first reports at once, and a few tens of megabytes at worst. Half
/// as many fell short in the C1M replay: placing 17,000 tasks a second, with
/// agents reporting up to about 1.5 s later, some of the tasks were
/// forgotten before their first report, which then read them back from the
/// store (about 2% of the server's CPU; see BENCHMARKS.md).
pub(super) const CAPACITY: usize = 32_768;

/// Independently locked parts of the cache. Every placement, poll and report
/// takes the cache's lock, on both runtime workers at once; with one lock,
/// a worker often slept on it while the other held it (or was preempted
/// holding it), and the core stood idle.
pub(super) const SHARDS: usize = 16;

/// A bounded map from a record's key (`<cluster>/<task id>` for tasks) to
/// its last written state, in shards by key. Each shard holds its part of
/// the capacity and forgets its oldest keys first, so forgetting starts a
/// little before the whole cache is full, once the fullest shard is.
pub(super) struct Recent<T> {
    shard_capacity: usize,
    shards: Box<[Mutex<Entries<T>>]>,
}

struct Entries<T> {
    /// Each key's state and its revision; no state while a writer has
    /// taken it out to write anew (the key keeps its place in the order,
    /// and the writer's state takes it back).
    by_key: HashMap<String, (Revision, Option<Arc<T>>)>,
    /// Keys in the order they were first remembered. May name keys already
    /// forgotten, or a key twice when it was remembered again after being
    /// forgotten (its older name then takes it out early, which costs only a
    /// read); it never holds more than the shard's capacity of names.
    order: VecDeque<String>,
}

impl<T> Recent<T> {
    /// A cache of about `capacity` entries in `shards` shards (at least
    /// one entry each).
    pub(super) fn new(capacity: usize, shards: usize) -> Self {
        let shards = shards.max(1);
        Recent {
            shard_capacity: capacity.div_ceil(shards).max(1),
            shards: (0..shards)
                .map(|_| {
                    Mutex::new(Entries {
                        by_key: HashMap::new(),
                        order: VecDeque::new(),
                    })
                })
                .collect(),
        }
    }

    fn shard(&self, key: &str) -> MutexGuard<'_, Entries<T>> {
        lock(&self.shards[crate::shards::shard_of(key, self.shards.len())])
    }

    /// Remembers `record` as committed at `revision`, unless a newer state
    /// of it is remembered already (a state taken out is given back at the
    /// revision it was taken at, too).
    pub(super) fn remember(&self, key: String, record: Arc<T>, revision: Revision) {
        // What this replaces or pushes out (one state at most, since the
        // order never names more than the shard holds) is dropped after the
        // lock is let go: the last reference to a task frees all its parts.
        let dropped = {
            let mut entries = self.shard(&key);
            if let Some(entry) = entries.by_key.get_mut(&key) {
                if entry.0 < revision || (entry.1.is_none() && entry.0 == revision) {
                    std::mem::replace(entry, (revision, Some(record))).1
                } else {
                    // `record` itself goes with this call, after the lock.
                    None
                }
            } else {
                let evicted = if entries.order.len() >= self.shard_capacity {
                    entries
                        .order
                        .pop_front()
                        .and_then(|oldest| entries.by_key.remove(&oldest))
                        .and_then(|(_, record)| record)
                } else {
                    None
                };
                entries.order.push_back(key.clone());
                entries.by_key.insert(key, (revision, Some(record)));
                evicted
            }
        };
        drop(dropped);
    }

    /// Confirms an entry remembered before its commit at `revision`, the
    /// commit's. An entry forgotten meanwhile (its task already stopped)
    /// stays forgotten rather than coming back older than what the store has.
    pub(super) fn confirm(&self, key: &str, revision: Revision) {
        let mut entries = self.shard(key);
        if let Some(entry) = entries.by_key.get_mut(key)
            && entry.0 == UNCONFIRMED
        {
            entry.0 = revision;
        }
    }

    /// The remembered state of `key` and its revision.
    pub(super) fn get(&self, key: &str) -> Option<(Revision, Arc<T>)> {
        let entries = self.shard(key);
        let (revision, record) = entries.by_key.get(key)?;
        Some((*revision, record.clone()?))
    }

    /// Takes out the state of `key` and its revision, if its commit was
    /// confirmed (an unconfirmed one stays for the polls that may take it),
    /// for a writer that will remember the state it writes instead.
    pub(super) fn take_confirmed(&self, key: &str) -> Option<(Revision, Arc<T>)> {
        let mut entries = self.shard(key);
        match entries.by_key.get_mut(key) {
            Some((revision, record)) if *revision != UNCONFIRMED => {
                Some((*revision, record.take()?))
            }
            _ => None,
        }
    }

    /// Forgets `key`: its record is gone or its remembered state is stale.
    pub(super) fn forget(&self, key: &str) {
        // Taken out under the shard's lock, dropped once it is let go.
        let forgotten = self.shard(key).by_key.remove(key);
        drop(forgotten);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|shard| lock(shard).by_key.len())
            .sum()
    }
}

/// A shard's entries: plain data, still whole after a panic elsewhere.
fn lock<T>(shard: &Mutex<Entries<T>>) -> MutexGuard<'_, Entries<T>> {
    shard.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_state_of_a_record() {
        let recent = Recent::new(4, 1);
        recent.remember("c/a".into(), Arc::new(1), 10);
        recent.remember("c/a".into(), Arc::new(2), 12);
        recent.remember("c/a".into(), Arc::new(9), 11);
        assert_eq!(recent.get("c/a"), Some((12, Arc::new(2))));
    }

    #[test]
    fn a_taken_state_keeps_its_place_until_the_writer_remembers_the_next() {
        let recent = Recent::new(2, 1);
        recent.remember("c/a".into(), Arc::new(1), UNCONFIRMED);
        assert_eq!(recent.take_confirmed("c/a"), None, "not before its commit");
        recent.confirm("c/a", 10);
        recent.remember("c/b".into(), Arc::new(2), 11);
        assert_eq!(recent.take_confirmed("c/a"), Some((10, Arc::new(1))));
        assert_eq!(recent.get("c/a"), None, "taken");
        assert_eq!(recent.take_confirmed("c/a"), None, "taken once");
        recent.remember("c/a".into(), Arc::new(1), 10);
        assert_eq!(
            recent.take_confirmed("c/a"),
            Some((10, Arc::new(1))),
            "given back"
        );
        recent.remember("c/a".into(), Arc::new(0), 9);
        assert_eq!(recent.get("c/a"), None, "an older state is not taken back");
        recent.remember("c/a".into(), Arc::new(3), 12);
        assert_eq!(recent.get("c/a"), Some((12, Arc::new(3))));
        // Written back in its place, not under a second name that would
        // count against the capacity: a, remembered first, goes first.
        assert_eq!(lock(&recent.shards[0]).order.len(), 2);
        recent.remember("c/c".into(), Arc::new(4), 13);
        assert_eq!(recent.get("c/a"), None);
        assert_eq!(recent.get("c/b"), Some((11, Arc::new(2))));
        assert_eq!(recent.get("c/c"), Some((13, Arc::new(4))));
    }

    #[test]
    fn forgets_the_oldest_keys_beyond_its_capacity() {
        let recent = Recent::new(3, 1);
        for (n, id) in ["a", "b", "c", "d"].iter().enumerate() {
            recent.remember(format!("c/{id}"), Arc::new(n), n as Revision + 1);
        }
        assert_eq!(recent.get("c/a"), None);
        assert_eq!(recent.get("c/d"), Some((4, Arc::new(3))));
        assert_eq!(recent.len(), 3);
        // A forgotten key keeps its place in the order until it is pushed
        // out; the bound holds all along.
        recent.forget("c/b");
        assert_eq!(recent.len(), 2);
        for (n, id) in ["e", "f", "g", "h", "i"].iter().enumerate() {
            recent.remember(format!("c/{id}"), Arc::new(n), n as Revision + 10);
            assert!(recent.len() <= 3);
        }
        assert_eq!(recent.len(), 3);
        assert!(recent.get("c/i").is_some() && recent.get("c/g").is_some());
    }

    #[test]
    fn shards_keep_each_keys_newest_state_and_share_the_capacity() {
        let recent = Recent::new(1024, 16);
        // Task ids as the server mints them: time-ordered, random at the end.
        let ids: Vec<String> = (0..64u64)
            .map(|n| format!("c/0190{:028x}", n.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
            .collect();
        for (n, id) in ids.iter().enumerate() {
            recent.remember(id.clone(), Arc::new(n), UNCONFIRMED);
            recent.confirm(id, 2);
            recent.remember(id.clone(), Arc::new(n + 100), 1);
        }
        let used = recent
            .shards
            .iter()
            .filter(|shard| !shard.lock().expect("not poisoned").by_key.is_empty())
            .count();
        assert!(used >= 12, "64 random ids fell in only {used} of 16 shards");
        for (n, id) in ids.iter().enumerate() {
            assert_eq!(recent.get(id), Some((2, Arc::new(n))), "{id}");
        }
        for id in &ids[..32] {
            recent.forget(id);
            assert_eq!(recent.get(id), None);
        }
        assert_eq!(recent.len(), 32);
        let small = Recent::new(64, 16);
        for n in 0..1_000u64 {
            small.remember(
                format!("c/0190{:028x}", n.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
                Arc::new(n),
                1,
            );
            assert!(small.len() <= 64);
        }
    }
}
