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
use std::sync::{Arc, Mutex, PoisonError};

use berth_store::Revision;

/// The revision of a state remembered before its commit was confirmed;
/// no commit has it, and every confirmed state is newer.
pub(super) const UNCONFIRMED: Revision = 0;

/// Tasks remembered at most: far more than are ever between placement and
/// their first reports at once, and a few tens of megabytes at worst.
pub(super) const CAPACITY: usize = 16_384;

/// A bounded map from a record's key (`<cluster>/<task id>` for tasks) to
/// its last written state; the oldest keys are forgotten first.
pub(super) struct Recent<T> {
    capacity: usize,
    inner: Mutex<Entries<T>>,
}

struct Entries<T> {
    by_key: HashMap<String, (Revision, Arc<T>)>,
    /// Keys in the order they were first remembered. May name keys already
    /// forgotten, or a key twice when it was remembered again after being
    /// forgotten (its older name then takes it out early, which costs only a
    /// read); it never holds more than `capacity` names.
    order: VecDeque<String>,
}

impl<T> Recent<T> {
    pub(super) fn new(capacity: usize) -> Self {
        Recent {
            capacity: capacity.max(1),
            inner: Mutex::new(Entries {
                by_key: HashMap::new(),
                order: VecDeque::new(),
            }),
        }
    }

    /// Remembers `record` as committed at `revision`, unless a newer state
    /// of it is remembered already.
    pub(super) fn remember(&self, key: String, record: Arc<T>, revision: Revision) {
        let mut entries = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = entries.by_key.get_mut(&key) {
            if entry.0 < revision {
                *entry = (revision, record);
            }
            return;
        }
        while entries.order.len() >= self.capacity {
            if let Some(oldest) = entries.order.pop_front() {
                entries.by_key.remove(&oldest);
            }
        }
        entries.order.push_back(key.clone());
        entries.by_key.insert(key, (revision, record));
    }

    /// Confirms an entry remembered before its commit at `revision`, the
    /// commit's. An entry forgotten meanwhile (its task already stopped)
    /// stays forgotten rather than coming back older than what the store has.
    pub(super) fn confirm(&self, key: &str, revision: Revision) {
        let mut entries = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = entries.by_key.get_mut(key)
            && entry.0 == UNCONFIRMED
        {
            entry.0 = revision;
        }
    }

    /// The remembered state of `key` and its revision.
    pub(super) fn get(&self, key: &str) -> Option<(Revision, Arc<T>)> {
        let entries = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        entries.by_key.get(key).cloned()
    }

    /// Forgets `key`: its record is gone or its remembered state is stale.
    pub(super) fn forget(&self, key: &str) {
        let mut entries = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        entries.by_key.remove(key);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .by_key
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_state_of_a_record() {
        let recent = Recent::new(4);
        recent.remember("c/a".into(), Arc::new(1), 10);
        recent.remember("c/a".into(), Arc::new(2), 12);
        recent.remember("c/a".into(), Arc::new(9), 11);
        assert_eq!(recent.get("c/a"), Some((12, Arc::new(2))));
    }

    #[test]
    fn forgets_the_oldest_keys_beyond_its_capacity() {
        let recent = Recent::new(3);
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
}
