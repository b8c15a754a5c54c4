//! The events of recent revisions, kept in memory for watches, within a
//! bounded retention (revisions and bytes). Both local backends keep their
//! history here: every watcher of a local store lives in the store's own
//! process, so history that outlived the process would serve no one, while
//! writing it to the file doubled what each commit wrote and fsynced.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::kv::{Event, KeyRange, Revision, StoreError};
use crate::watch::{Fetched, MAX_REVISIONS_PER_FETCH};

/// What one event counts for against the byte bound besides its key and
/// value: about what its struct, its two allocations and its share of the
/// revision's cost in memory. The bound is approximate, by this much.
const EVENT_OVERHEAD_BYTES: u64 = 100;

/// Recent revisions' events, oldest first.
#[derive(Debug)]
pub(crate) struct History {
    /// The oldest revision a watch may start from.
    oldest: Revision,
    /// The latest revision recorded (or the store's revision when it opened).
    latest: Revision,
    revisions: VecDeque<(Revision, Arc<Vec<Event>>)>,
    bytes: u64,
    max_revisions: u64,
    max_bytes: u64,
}

impl History {
    /// An empty history of a store at `revision`: watches may start after
    /// it. Keeps at most `max_revisions` revisions (at least 1) and, beyond
    /// the latest revision, at most `max_bytes` of events.
    pub(crate) fn new(revision: Revision, max_revisions: u64, max_bytes: u64) -> History {
        History {
            oldest: revision + 1,
            latest: revision,
            revisions: VecDeque::new(),
            bytes: 0,
            max_revisions: max_revisions.max(1),
            max_bytes,
        }
    }

    /// The oldest revision a watch may start from.
    #[cfg(test)]
    fn oldest(&self) -> Revision {
        self.oldest
    }

    /// Records the events of `revision`, the next one committed, and drops
    /// what falls out of the retention.
    pub(crate) fn record(&mut self, revision: Revision, events: Vec<Event>) {
        debug_assert!(revision > self.latest, "revisions are recorded in order");
        self.bytes += events.iter().map(event_bytes).sum::<u64>();
        self.revisions.push_back((revision, Arc::new(events)));
        self.latest = revision;
        let keep_from = (revision + 1).saturating_sub(self.max_revisions);
        self.compact_to(keep_from);
        while self.bytes > self.max_bytes && self.oldest < self.latest {
            self.drop_oldest();
        }
    }

    /// Forgets every revision before `revision`; a watch may then start at
    /// `revision`, or right after the latest one if that comes first.
    pub(crate) fn compact_to(&mut self, revision: Revision) {
        let target = revision.min(self.latest + 1);
        while self.oldest < target {
            self.drop_oldest();
        }
    }

    fn drop_oldest(&mut self) {
        if self
            .revisions
            .front()
            .is_some_and(|(revision, _)| *revision == self.oldest)
            && let Some((_, events)) = self.revisions.pop_front()
        {
            self.bytes = self
                .bytes
                .saturating_sub(events.iter().map(event_bytes).sum::<u64>());
        }
        self.oldest += 1;
    }

    /// Fails when a watch can no longer start at `from`.
    pub(crate) fn check_from(&self, from: Revision) -> Result<(), StoreError> {
        if from < self.oldest {
            return Err(StoreError::Compacted {
                requested: from,
                oldest: self.oldest,
            });
        }
        Ok(())
    }

    /// The revisions from `from` on, up to [`MAX_REVISIONS_PER_FETCH`] of
    /// them, and the first revision not covered. Cheap to call under a lock:
    /// events are shared, filtered later by [`Slice::events_in`].
    pub(crate) fn slice(&self, from: Revision) -> Result<Slice, StoreError> {
        self.check_from(from)?;
        let until = self
            .latest
            .min(from.saturating_add(MAX_REVISIONS_PER_FETCH - 1));
        let start = self.revisions.partition_point(|(rev, _)| *rev < from);
        let revisions = self
            .revisions
            .range(start..)
            .take_while(|(rev, _)| *rev <= until)
            .map(|(_, events)| events.clone())
            .collect();
        Ok(Slice {
            revisions,
            next: until.max(from.saturating_sub(1)) + 1,
        })
    }
}

/// Some revisions' events, taken from a [`History`].
pub(crate) struct Slice {
    revisions: Vec<Arc<Vec<Event>>>,
    next: Revision,
}

impl Slice {
    /// The events of the slice inside `range`, for a watcher.
    pub(crate) fn events_in(self, range: &KeyRange) -> Fetched {
        let events = self
            .revisions
            .iter()
            .flat_map(|events| events.iter())
            .filter(|event| range.contains(&event.kv.key))
            .cloned()
            .collect();
        Fetched {
            events,
            next: self.next,
        }
    }
}

fn event_bytes(event: &Event) -> u64 {
    (event.kv.key.len() + event.kv.value.len()) as u64 + EVENT_OVERHEAD_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kv::{EventKind, KeyValue};

    fn put(key: &str, revision: Revision, value_len: usize) -> Vec<Event> {
        vec![Event {
            kind: EventKind::Put,
            kv: Arc::new(KeyValue {
                key: key.as_bytes().to_vec(),
                value: vec![b'v'; value_len].into(),
                create_revision: revision,
                mod_revision: revision,
                version: 1,
            }),
        }]
    }

    fn revisions(history: &History, from: Revision) -> Vec<Revision> {
        history
            .slice(from)
            .expect("kept")
            .events_in(&KeyRange::prefix(""))
            .events
            .iter()
            .map(|event| event.kv.mod_revision)
            .collect()
    }

    #[test]
    fn starts_after_the_revision_the_store_opened_at() {
        let mut history = History::new(7, 10, u64::MAX);
        assert!(matches!(
            history.check_from(7),
            Err(StoreError::Compacted {
                requested: 7,
                oldest: 8
            })
        ));
        let empty = history
            .slice(8)
            .expect("nothing yet")
            .events_in(&KeyRange::prefix(""));
        assert_eq!((empty.events.len(), empty.next), (0, 8));
        history.record(8, put("a", 8, 1));
        assert_eq!(revisions(&history, 8), [8]);
    }

    #[test]
    fn keeps_the_last_revisions_and_bytes_but_always_the_latest() {
        let mut history = History::new(0, 3, u64::MAX);
        for revision in 1..=5 {
            history.record(revision, put("a", revision, 1));
        }
        assert_eq!(history.oldest(), 3);
        assert_eq!(revisions(&history, 3), [3, 4, 5]);

        let mut history = History::new(0, 100, 1_000);
        for revision in 1..=5 {
            history.record(revision, put("a", revision, 200));
        }
        // 301 bytes each: three fit in 1,000.
        assert_eq!(history.oldest(), 3);
        history.record(6, put("huge", 6, 5_000));
        assert_eq!(history.oldest(), 6, "the latest is kept whatever its size");
        assert_eq!(revisions(&history, 6), [6]);
    }

    #[test]
    fn compaction_goes_no_further_than_after_the_latest_revision() {
        let mut history = History::new(0, 100, u64::MAX);
        for revision in 1..=4 {
            history.record(revision, put("a", revision, 1));
        }
        history.compact_to(3);
        assert_eq!(revisions(&history, 3), [3, 4]);
        history.compact_to(100);
        assert_eq!(history.oldest(), 5);
        assert_eq!(revisions(&history, 5), Vec::<Revision>::new());
    }
}
