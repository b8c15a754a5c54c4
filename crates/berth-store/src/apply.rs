//! Transaction evaluation shared by every local backend: checks the compares
//! against the current state and turns the ops into the final per-key changes
//! of one revision, which the backend then stores and records as history.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::sync::Arc;

use bytes::Bytes;

use crate::kv::{Condition, Event, EventKind, KeyValue, Op, Revision, StoreError, Txn};

/// What a transaction needs to know of a key's current state: its
/// revisions, never its value (compares look at revisions, and a put
/// replaces the value whole), so backends need not copy values to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub create_revision: Revision,
    pub mod_revision: Revision,
    pub version: u64,
}

impl From<&KeyValue> for Stamp {
    fn from(kv: &KeyValue) -> Self {
        Stamp {
            create_revision: kv.create_revision,
            mod_revision: kv.mod_revision,
            version: kv.version,
        }
    }
}

/// One key a transaction touches: whether it existed before, and its state
/// now, with the value the transaction put if it put one.
struct Touched {
    existed: bool,
    now: Option<(Stamp, Vec<u8>)>,
}

/// Read access to the state a transaction is evaluated against (including
/// the writes of earlier transactions of the same batch).
pub(crate) trait StateView {
    /// The revisions of `key`, if it exists.
    fn load(&mut self, key: &[u8]) -> Result<Option<Stamp>, StoreError>;
}

/// What evaluating a transaction decided.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The compare at this index failed; nothing is written.
    Failed(usize),
    /// Every compare held; these are the changes of the new revision, one per
    /// key in key order (empty when the transaction changes nothing).
    Applied(Vec<Event>),
}

/// Evaluates `txn` as the commit of `revision` against `view`. The events
/// take the txn's keys and values as they are: the one copy of each made by
/// the caller is the one the backend keeps, records and hands to watchers.
pub(crate) fn evaluate(
    view: &mut impl StateView,
    txn: Txn,
    revision: Revision,
) -> Result<Outcome, StoreError> {
    let Txn { compares, ops } = txn;
    // Most writes compare the key they put (a record read, then written
    // back if unchanged): what the compare loaded serves the put too.
    let mut compared: BTreeMap<&[u8], Option<Stamp>> = BTreeMap::new();
    for (idx, compare) in compares.iter().enumerate() {
        let current = view.load(&compare.key)?;
        if !holds(compare.condition, current) {
            return Ok(Outcome::Failed(idx));
        }
        compared.insert(&compare.key, current);
    }
    let mut touched: BTreeMap<Vec<u8>, Touched> = BTreeMap::new();
    for op in ops {
        let (key, put) = match op {
            Op::Put { key, value } => (key, Some(value)),
            Op::Delete { key } => (key, None),
        };
        let Touched { now, .. } = match touched.entry(key) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => {
                let before = match compared.get(entry.key().as_slice()) {
                    Some(stamp) => *stamp,
                    None => view.load(entry.key())?,
                };
                entry.insert(Touched {
                    existed: before.is_some(),
                    now: before.map(|stamp| (stamp, Vec::new())),
                })
            }
        };
        let Some(value) = put else {
            *now = None;
            continue;
        };
        let (create_revision, version) = match now {
            // Written earlier in this transaction: still one version.
            Some((cur, _)) if cur.mod_revision == revision => (cur.create_revision, cur.version),
            Some((cur, _)) => (cur.create_revision, cur.version + 1),
            // Absent, or deleted earlier in this transaction: new life.
            None => (revision, 1),
        };
        let stamp = Stamp {
            create_revision,
            mod_revision: revision,
            version,
        };
        *now = Some((stamp, value));
    }
    let events = touched
        .into_iter()
        .filter_map(|(key, Touched { existed, now })| match now {
            // The key's last op was a put, which stamped it with this
            // revision; untouched keys are never in the map.
            Some((stamp, value)) => Some(Event {
                kind: EventKind::Put,
                kv: Arc::new(KeyValue {
                    key,
                    value: Bytes::from(value),
                    create_revision: stamp.create_revision,
                    mod_revision: stamp.mod_revision,
                    version: stamp.version,
                }),
            }),
            None if existed => Some(Event {
                kind: EventKind::Delete,
                kv: Arc::new(KeyValue {
                    key,
                    value: Bytes::new(),
                    create_revision: 0,
                    mod_revision: revision,
                    version: 0,
                }),
            }),
            None => None,
        })
        .collect();
    Ok(Outcome::Applied(events))
}

fn holds(condition: Condition, current: Option<Stamp>) -> bool {
    match condition {
        Condition::Absent => current.is_none(),
        Condition::Exists => current.is_some(),
        Condition::ModRevision(rev) => current.map_or(0, |stamp| stamp.mod_revision) == rev,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kv::Compare;

    struct Map(BTreeMap<Vec<u8>, KeyValue>);

    impl StateView for Map {
        fn load(&mut self, key: &[u8]) -> Result<Option<Stamp>, StoreError> {
            Ok(self.0.get(key).map(Stamp::from))
        }
    }

    fn kv(key: &str, value: &str, create: u64, modr: u64, version: u64) -> KeyValue {
        KeyValue {
            key: key.into(),
            value: Bytes::copy_from_slice(value.as_bytes()),
            create_revision: create,
            mod_revision: modr,
            version,
        }
    }

    fn put(key: &str, value: &str) -> Op {
        Op::Put {
            key: key.into(),
            value: value.into(),
        }
    }

    fn del(key: &str) -> Op {
        Op::Delete { key: key.into() }
    }

    fn cmp(key: &str, condition: Condition) -> Compare {
        Compare {
            key: key.into(),
            condition,
        }
    }

    fn put_event(kv: KeyValue) -> Event {
        Event {
            kind: EventKind::Put,
            kv: Arc::new(kv),
        }
    }

    fn del_event(key: &str, rev: u64) -> Event {
        Event {
            kind: EventKind::Delete,
            kv: Arc::new(kv(key, "", 0, rev, 0)),
        }
    }

    /// Evaluates at revision 10 against a state holding `a` (created at 2,
    /// written at 5, version 3).
    fn check(compares: Vec<Compare>, ops: Vec<Op>, expected: Outcome) {
        let mut state = Map(BTreeMap::from([(b"a".to_vec(), kv("a", "old", 2, 5, 3))]));
        let txn = Txn { compares, ops };
        let got = evaluate(&mut state, txn.clone(), 10).expect("in-memory view never fails");
        assert_eq!(got, expected, "{txn:?}");
    }

    /// Counts the loads of the view it wraps.
    struct Counting(Map, usize);

    impl StateView for Counting {
        fn load(&mut self, key: &[u8]) -> Result<Option<Stamp>, StoreError> {
            self.1 += 1;
            self.0.load(key)
        }
    }

    #[test]
    fn a_compared_key_is_loaded_once() {
        let state = Map(BTreeMap::from([(b"a".to_vec(), kv("a", "old", 2, 5, 3))]));
        let mut view = Counting(state, 0);
        let txn = Txn {
            compares: vec![
                cmp("a", Condition::ModRevision(5)),
                cmp("b", Condition::Absent),
            ],
            ops: vec![put("a", "new"), put("b", "fresh"), put("c", "other")],
        };
        let got = evaluate(&mut view, txn, 10).expect("in-memory view never fails");
        assert_eq!(
            got,
            Outcome::Applied(vec![
                put_event(kv("a", "new", 2, 10, 4)),
                put_event(kv("b", "fresh", 10, 10, 1)),
                put_event(kv("c", "other", 10, 10, 1)),
            ])
        );
        assert_eq!(view.1, 3, "a and b once each, c once");
    }

    #[test]
    fn evaluate_cases() {
        use Condition::*;
        check(vec![], vec![], Outcome::Applied(vec![]));
        check(vec![cmp("a", Absent)], vec![], Outcome::Failed(0));
        check(
            vec![cmp("a", Exists), cmp("b", Exists)],
            vec![],
            Outcome::Failed(1),
        );
        check(
            vec![cmp("a", ModRevision(4))],
            vec![put("a", "x")],
            Outcome::Failed(0),
        );
        check(
            vec![cmp("b", ModRevision(0)), cmp("a", ModRevision(5))],
            vec![put("a", "new"), put("b", "fresh")],
            Outcome::Applied(vec![
                put_event(kv("a", "new", 2, 10, 4)),
                put_event(kv("b", "fresh", 10, 10, 1)),
            ]),
        );
        check(
            vec![],
            vec![put("a", "x"), put("a", "y")],
            Outcome::Applied(vec![put_event(kv("a", "y", 2, 10, 4))]),
        );
        check(
            vec![],
            vec![del("a"), put("a", "again")],
            Outcome::Applied(vec![put_event(kv("a", "again", 10, 10, 1))]),
        );
        check(
            vec![],
            vec![put("a", "x"), del("a")],
            Outcome::Applied(vec![del_event("a", 10)]),
        );
        check(
            vec![],
            vec![put("b", "x"), del("b"), del("c")],
            Outcome::Applied(vec![]),
        );
        check(
            vec![],
            vec![put("b", "1"), del("a")],
            Outcome::Applied(vec![del_event("a", 10), put_event(kv("b", "1", 10, 10, 1))]),
        );
    }
}
