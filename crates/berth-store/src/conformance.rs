//! The conformance suite every [`Kv`] backend runs: each check takes a fresh,
//! empty store and panics (as tests do) when the backend breaks the contract.
//! [`conformance_tests!`](crate::conformance_tests) turns the suite into one
//! `#[tokio::test]` per check for a backend.

use std::collections::BTreeSet;
use std::future::Future;
use std::time::Duration;

use futures::StreamExt;

use crate::kv::{
    Compare, Condition, Event, EventKind, KeyRange, KeyValue, Kv, Op, Revision, StoreError, Txn,
    TxnResult, WatchStream,
};

/// How long a check waits for a watch event before it fails.
const WATCH_DEADLINE: Duration = Duration::from_secs(10);

/// Expands to one `#[tokio::test]` per conformance check. `$new_store` is an
/// async fn returning `(store, guard)`; the guard (a temp dir, or `()`) lives
/// until the check ends.
#[macro_export]
macro_rules! conformance_tests {
    ($new_store:path) => {
        $crate::conformance_tests!(@each $new_store;
            get_put_delete, revisions, range_limit_and_more, prefix_ranges,
            compare_and_swap, txn_atomicity, too_large_is_rejected,
            watch_ordering, watch_from_past_revision, watch_prefix_only,
            concurrent_txns_on_one_key, watch_of_compacted_revision_fails,
            watch_ends_when_store_closes);
    };
    (@each $new_store:path; $($check:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $check() {
                let (store, _guard) = $new_store().await;
                $crate::conformance::$check(store).await;
            }
        )*
    };
}

/// Runs every check, each on a store from `new_store`.
pub async fn run_all<K, G, F, Fut>(mut new_store: F)
where
    K: Kv,
    F: FnMut() -> Fut,
    Fut: Future<Output = (K, G)>,
{
    macro_rules! run {
        ($($check:ident),*) => {$({
            let (store, guard) = new_store().await;
            $check(store).await;
            drop(guard);
        })*};
    }
    run!(
        get_put_delete,
        revisions,
        range_limit_and_more,
        descending_ranges,
        prefix_ranges,
        compare_and_swap,
        txn_atomicity,
        too_large_is_rejected,
        watch_ordering,
        watch_from_past_revision,
        watch_prefix_only,
        concurrent_txns_on_one_key,
        watch_of_compacted_revision_fails,
        watch_ends_when_store_closes
    );
}

fn put(key: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) -> Op {
    Op::Put {
        key: key.into(),
        value: value.into(),
    }
}

fn del(key: impl Into<Vec<u8>>) -> Op {
    Op::Delete { key: key.into() }
}

fn when(key: impl Into<Vec<u8>>, condition: Condition) -> Compare {
    Compare {
        key: key.into(),
        condition,
    }
}

async fn commit(kv: &impl Kv, compares: Vec<Compare>, ops: Vec<Op>) -> TxnResult {
    kv.txn(Txn { compares, ops })
        .await
        .unwrap_or_else(|err| panic!("txn failed: {err}"))
}

async fn write(kv: &impl Kv, ops: Vec<Op>) -> Revision {
    let res = commit(kv, vec![], ops).await;
    assert!(res.succeeded, "unconditional txn failed: {res:?}");
    res.revision
}

async fn get(kv: &impl Kv, key: &[u8]) -> Option<KeyValue> {
    kv.get(key)
        .await
        .unwrap_or_else(|err| panic!("get failed: {err}"))
}

async fn keys(kv: &impl Kv, range: &KeyRange, limit: usize) -> (Vec<Vec<u8>>, bool) {
    let res = kv
        .range(range, limit)
        .await
        .unwrap_or_else(|err| panic!("range failed: {err}"));
    (res.kvs.into_iter().map(|kv| kv.key).collect(), res.more)
}

/// Collects events from `stream` until `n` have arrived.
async fn next_events(stream: &mut WatchStream, n: usize) -> Vec<Event> {
    let mut events = Vec::new();
    while events.len() < n {
        let batch = tokio::time::timeout(WATCH_DEADLINE, stream.next())
            .await
            .unwrap_or_else(|_| panic!("no watch event within {WATCH_DEADLINE:?}: {events:?}"))
            .unwrap_or_else(|| panic!("watch ended early after {events:?}"))
            .unwrap_or_else(|err| panic!("watch failed: {err}"));
        assert!(!batch.is_empty(), "watch yielded an empty batch");
        events.extend(batch);
    }
    assert_eq!(events.len(), n, "more events than expected: {events:?}");
    events
}

/// Asserts that `stream` has nothing more to yield right now.
async fn assert_quiet(stream: &mut WatchStream) {
    if let Ok(item) = tokio::time::timeout(Duration::from_millis(100), stream.next()).await {
        panic!("unexpected watch item {item:?}");
    }
}

fn summary(events: &[Event]) -> Vec<(EventKind, Vec<u8>, Revision)> {
    events
        .iter()
        .map(|e| (e.kind, e.kv.key.clone(), e.kv.mod_revision))
        .collect()
}

/// Puts, gets and deletes single keys.
pub async fn get_put_delete(kv: impl Kv) {
    assert_eq!(get(&kv, b"a").await, None);
    let rev = write(&kv, vec![put("a", "1")]).await;
    let got = get(&kv, b"a").await.expect("a was written");
    assert_eq!(
        (got.key, got.value.to_vec()),
        (b"a".to_vec(), b"1".to_vec())
    );
    assert_eq!(
        get(&kv, b"ab").await,
        None,
        "get must match the key exactly"
    );
    write(&kv, vec![put("a", "2")]).await;
    assert_eq!(
        get(&kv, b"a").await.map(|kv| kv.value.to_vec()),
        Some(b"2".to_vec())
    );
    let rev_del = write(&kv, vec![del("a")]).await;
    assert!(rev_del > rev);
    assert_eq!(get(&kv, b"a").await, None);
    write(&kv, vec![put("", "empty key"), put(vec![0u8, 0xFF], "")]).await;
    assert_eq!(
        get(&kv, b"").await.map(|kv| kv.value.to_vec()),
        Some(b"empty key".to_vec())
    );
    assert_eq!(
        get(&kv, &[0, 0xFF]).await.map(|kv| kv.value.to_vec()),
        Some(vec![])
    );
}

/// Create, mod revisions and versions follow etcd's rules.
pub async fn revisions(kv: impl Kv) {
    let rev = |kv: &KeyValue| (kv.create_revision, kv.mod_revision, kv.version);
    assert_eq!(kv.revision().await.ok(), Some(0));
    assert_eq!(write(&kv, vec![put("a", "1")]).await, 1);
    assert_eq!(write(&kv, vec![put("b", "1")]).await, 2);
    assert_eq!(write(&kv, vec![put("a", "2")]).await, 3);
    assert_eq!(get(&kv, b"a").await.as_ref().map(rev), Some((1, 3, 2)));
    assert_eq!(get(&kv, b"b").await.as_ref().map(rev), Some((2, 2, 1)));
    // A failed txn and a txn that changes nothing create no revision.
    let failed = commit(
        &kv,
        vec![when("zz", Condition::Exists)],
        vec![put("a", "x")],
    )
    .await;
    assert_eq!((failed.succeeded, failed.revision), (false, 3));
    let noop = commit(&kv, vec![], vec![del("absent")]).await;
    assert_eq!((noop.succeeded, noop.revision), (true, 3));
    assert_eq!(kv.revision().await.ok(), Some(3));
    // Deleting and recreating starts a new life.
    assert_eq!(write(&kv, vec![del("a")]).await, 4);
    assert_eq!(write(&kv, vec![put("a", "3")]).await, 5);
    assert_eq!(get(&kv, b"a").await.as_ref().map(rev), Some((5, 5, 1)));
    // Two puts of one key in a txn are one version; all keys share the revision.
    assert_eq!(
        write(&kv, vec![put("a", "4"), put("a", "5"), put("c", "1")]).await,
        6
    );
    let a = get(&kv, b"a").await.expect("a exists");
    assert_eq!((rev(&a), a.value.to_vec()), ((5, 6, 2), b"5".to_vec()));
    assert_eq!(get(&kv, b"c").await.as_ref().map(rev), Some((6, 6, 1)));
    assert_eq!(kv.revision().await.ok(), Some(6));
}

/// Ranges honour their bounds, the limit and `more`, at one revision.
pub async fn range_limit_and_more(kv: impl Kv) {
    let names: Vec<String> = (0..10).map(|i| format!("k{i}")).collect();
    let rev = write(&kv, names.iter().map(|k| put(k.as_str(), "v")).collect()).await;
    write(&kv, vec![put("j", "before"), put("l", "after")]).await;
    let all = KeyRange::prefix("k");
    let (got, more) = keys(&kv, &all, 0).await;
    assert_eq!(got.len(), 10);
    assert!(!more);
    let (got, more) = keys(&kv, &all, 3).await;
    assert_eq!(got, vec![b"k0".to_vec(), b"k1".to_vec(), b"k2".to_vec()]);
    assert!(more);
    let (_, more) = keys(&kv, &all, 10).await;
    assert!(!more, "exactly `limit` keys left means no more");
    let (got, more) = keys(&kv, &KeyRange::prefix_after("k", b"k7"), 5).await;
    assert_eq!((got, more), (vec![b"k8".to_vec(), b"k9".to_vec()], false));
    let half = KeyRange {
        start: b"k3".to_vec(),
        end: b"k5".to_vec(),
    };
    assert_eq!(
        keys(&kv, &half, 0).await.0,
        vec![b"k3".to_vec(), b"k4".to_vec()]
    );
    let backwards = KeyRange {
        start: b"k5".to_vec(),
        end: b"k3".to_vec(),
    };
    assert_eq!(keys(&kv, &backwards, 0).await, (vec![], false));
    let unbounded = KeyRange {
        start: b"k9".to_vec(),
        end: vec![],
    };
    assert_eq!(
        keys(&kv, &unbounded, 0).await.0,
        vec![b"k9".to_vec(), b"l".to_vec()]
    );
    let res = kv.range(&all, 1).await.expect("range");
    assert_eq!(
        res.revision,
        rev + 1,
        "a range reports the revision it read"
    );
    assert_eq!(res.kvs[0].mod_revision, rev);
}

/// Descending ranges: the greatest keys first, with the same bounds, limit
/// and `more` as ascending ones.
pub async fn descending_ranges(kv: impl Kv) {
    let names: Vec<String> = (0..10).map(|i| format!("k{i}")).collect();
    write(&kv, names.iter().map(|k| put(k.as_str(), "v")).collect()).await;
    let rev = write(&kv, vec![put("j", "before"), put("l", "after")]).await;
    let descending = |range: KeyRange, limit: usize| {
        let kv = &kv;
        async move {
            let res = kv
                .range_rev(&range, limit)
                .await
                .unwrap_or_else(|err| panic!("range_rev failed: {err}"));
            assert_eq!(res.revision, rev, "a range reports the revision it read");
            let keys: Vec<String> = res
                .kvs
                .into_iter()
                .map(|kv| String::from_utf8_lossy(&kv.key).into_owned())
                .collect();
            (keys, res.more)
        }
    };
    let all: Vec<String> = names.iter().rev().cloned().collect();
    assert_eq!(
        descending(KeyRange::prefix("k"), 0).await,
        (all.clone(), false)
    );
    assert_eq!(
        descending(KeyRange::prefix("k"), 3).await,
        (all[..3].to_vec(), true)
    );
    assert_eq!(
        descending(KeyRange::prefix("k"), 10).await,
        (all.clone(), false),
        "exactly `limit` keys left means no more"
    );
    let half = KeyRange {
        start: b"k3".to_vec(),
        end: b"k5".to_vec(),
    };
    assert_eq!(descending(half, 1).await, (vec!["k4".to_owned()], true));
    let backwards = KeyRange {
        start: b"k5".to_vec(),
        end: b"k3".to_vec(),
    };
    assert_eq!(descending(backwards, 0).await, (vec![], false));
    let unbounded = KeyRange {
        start: b"k9".to_vec(),
        end: vec![],
    };
    assert_eq!(
        descending(unbounded, 0).await,
        (vec!["l".to_owned(), "k9".to_owned()], false)
    );
}

/// Prefix ranges, including prefixes ending in (or made of) 0xFF bytes.
pub async fn prefix_ranges(kv: impl Kv) {
    let stored: Vec<Vec<u8>> = vec![
        b"a".to_vec(),
        vec![b'a', 0xFF],
        vec![b'a', 0xFF, 0x00],
        vec![b'a', 0xFF, 0xFF],
        b"b".to_vec(),
        vec![0xFF],
        vec![0xFF, 0x00],
        vec![0xFF, 0xFF, 0xFF],
    ];
    write(&kv, stored.iter().map(|k| put(k.clone(), "v")).collect()).await;
    let check = |prefix: Vec<u8>, expected: Vec<Vec<u8>>| {
        let kv = &kv;
        async move {
            let (got, _) = keys(kv, &KeyRange::prefix(prefix.clone()), 0).await;
            assert_eq!(got, expected, "prefix {prefix:?}");
        }
    };
    check(b"a".to_vec(), stored[0..4].to_vec()).await;
    check(vec![b'a', 0xFF], stored[1..4].to_vec()).await;
    check(vec![b'a', 0xFF, 0xFF], stored[3..4].to_vec()).await;
    check(vec![0xFF], stored[5..8].to_vec()).await;
    check(vec![0xFF, 0xFF], stored[7..8].to_vec()).await;
    check(vec![], stored.clone()).await;
    check(b"c".to_vec(), vec![]).await;
}

/// Compare-and-swap: each condition, success and conflict.
pub async fn compare_and_swap(kv: impl Kv) {
    use Condition::*;
    let ok = |res: TxnResult| (res.succeeded, res.failed_compare);
    let res = commit(&kv, vec![when("a", Absent)], vec![put("a", "1")]).await;
    assert_eq!(ok(res.clone()), (true, None));
    let created = res.revision;
    let res = commit(&kv, vec![when("a", Absent)], vec![put("a", "2")]).await;
    assert_eq!(ok(res), (false, Some(0)));
    let res = commit(&kv, vec![when("b", Exists)], vec![put("b", "1")]).await;
    assert_eq!(ok(res), (false, Some(0)));
    let res = commit(&kv, vec![when("a", Exists)], vec![put("a", "2")]).await;
    assert_eq!(ok(res.clone()), (true, None));
    let second = res.revision;
    let stale = commit(
        &kv,
        vec![when("a", ModRevision(created))],
        vec![put("a", "x")],
    )
    .await;
    assert_eq!(ok(stale), (false, Some(0)));
    let fresh = commit(
        &kv,
        vec![when("a", ModRevision(second))],
        vec![put("a", "3")],
    )
    .await;
    assert_eq!(ok(fresh), (true, None));
    let absent = commit(&kv, vec![when("b", ModRevision(0))], vec![put("b", "1")]).await;
    assert_eq!(ok(absent), (true, None));
    let res = commit(
        &kv,
        vec![when("a", Exists), when("b", Exists), when("c", Exists)],
        vec![put("c", "1")],
    )
    .await;
    assert_eq!(ok(res), (false, Some(2)));
    assert_eq!(
        get(&kv, b"a").await.map(|kv| kv.value.to_vec()),
        Some(b"3".to_vec())
    );
    assert_eq!(get(&kv, b"c").await, None);
}

/// A multi-op txn applies entirely or not at all.
pub async fn txn_atomicity(kv: impl Kv) {
    write(&kv, vec![put("a", "1")]).await;
    let res = commit(
        &kv,
        vec![when("a", Condition::Exists), when("b", Condition::Exists)],
        vec![put("x", "1"), put("y", "1"), del("a")],
    )
    .await;
    assert!(!res.succeeded);
    assert_eq!(get(&kv, b"x").await, None);
    assert_eq!(get(&kv, b"y").await, None);
    assert!(get(&kv, b"a").await.is_some());
    let rev = write(&kv, vec![put("x", "1"), put("y", "1"), del("a")]).await;
    let x = get(&kv, b"x").await.expect("x");
    let y = get(&kv, b"y").await.expect("y");
    assert_eq!((x.mod_revision, y.mod_revision), (rev, rev));
    assert_eq!(get(&kv, b"a").await, None);
}

/// Oversized values and txns are rejected whole with `TooLarge`.
pub async fn too_large_is_rejected(kv: impl Kv) {
    let huge = vec![0u8; 64 * 1024 * 1024];
    let res = kv
        .txn(Txn {
            compares: vec![],
            ops: vec![put("small", "ok"), put("huge", huge)],
        })
        .await;
    assert!(matches!(res, Err(StoreError::TooLarge { .. })), "{res:?}");
    let many: Vec<Op> = (0..100_000).map(|i| put(format!("k{i}"), "v")).collect();
    let res = kv
        .txn(Txn {
            compares: vec![],
            ops: many,
        })
        .await;
    assert!(matches!(res, Err(StoreError::TooLarge { .. })), "{res:?}");
    assert_eq!(get(&kv, b"small").await, None);
    assert_eq!(kv.revision().await.ok(), Some(0));
}

/// Concurrent commits reach a watcher in revision order, none missing, none twice.
pub async fn watch_ordering(kv: impl Kv) {
    const WRITERS: usize = 8;
    const PER_WRITER: usize = 25;
    let kv = std::sync::Arc::new(kv);
    write(&*kv, vec![put("before", "x")]).await;
    let mut stream = kv.watch(KeyRange::prefix(""), 0).await.expect("watch");
    let mut tasks = Vec::new();
    for writer in 0..WRITERS {
        let kv = kv.clone();
        tasks.push(tokio::spawn(async move {
            let mut revs = Vec::new();
            for i in 0..PER_WRITER {
                let key = format!("w{writer}/{i}");
                // Two keys per txn: both events must carry the same revision.
                revs.push(write(&*kv, vec![put(key.clone(), "v"), put(key + "/b", "v")]).await);
            }
            revs
        }));
    }
    let mut committed = BTreeSet::new();
    for task in tasks {
        committed.extend(task.await.expect("writer task"));
    }
    assert_eq!(
        committed.len(),
        WRITERS * PER_WRITER,
        "revisions are unique"
    );
    let events = next_events(&mut stream, 2 * WRITERS * PER_WRITER).await;
    let seen: Vec<(Revision, Vec<u8>)> = events
        .iter()
        .map(|e| (e.kv.mod_revision, e.kv.key.clone()))
        .collect();
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        seen, sorted,
        "events in revision (then key) order, no duplicates"
    );
    let revs: BTreeSet<Revision> = seen.iter().map(|(rev, _)| *rev).collect();
    assert_eq!(
        revs, committed,
        "every commit seen, and only those after the watch"
    );
    assert_quiet(&mut stream).await;
}

/// A watch from a past revision replays history, then follows new commits.
pub async fn watch_from_past_revision(kv: impl Kv) {
    write(&kv, vec![put("a", "1")]).await;
    let r2 = write(&kv, vec![put("b", "1")]).await;
    let r3 = write(&kv, vec![del("a")]).await;
    let mut from_2 = kv.watch(KeyRange::prefix(""), r2).await.expect("watch");
    let mut from_1 = kv.watch(KeyRange::prefix(""), 1).await.expect("watch");
    let mut from_0 = kv.watch(KeyRange::prefix(""), 0).await.expect("watch");
    let mut ahead = kv.watch(KeyRange::prefix(""), r3 + 2).await.expect("watch");
    let r4 = write(&kv, vec![put("a", "2")]).await;
    let r5 = write(&kv, vec![put("c", "1")]).await;
    let got = next_events(&mut from_2, 4).await;
    let expected = vec![
        (EventKind::Put, b"b".to_vec(), r2),
        (EventKind::Delete, b"a".to_vec(), r3),
        (EventKind::Put, b"a".to_vec(), r4),
        (EventKind::Put, b"c".to_vec(), r5),
    ];
    assert_eq!(summary(&got), expected);
    let deleted = &got[1].kv;
    assert_eq!(
        (
            deleted.value.len(),
            deleted.create_revision,
            deleted.version
        ),
        (0, 0, 0)
    );
    assert_eq!(*got[2].kv, get(&kv, b"a").await.expect("a"));
    assert_eq!(next_events(&mut from_1, 5).await.len(), 5);
    assert_eq!(
        summary(&next_events(&mut from_0, 2).await),
        expected[2..].to_vec()
    );
    assert_eq!(
        summary(&next_events(&mut ahead, 1).await),
        expected[3..].to_vec()
    );
    for stream in [&mut from_2, &mut from_1, &mut from_0, &mut ahead] {
        assert_quiet(stream).await;
    }
}

/// A watch sees only the keys of its range.
pub async fn watch_prefix_only(kv: impl Kv) {
    let mut stream = kv.watch(KeyRange::prefix("t/"), 0).await.expect("watch");
    let mut single = kv.watch(KeyRange::single("t/1"), 0).await.expect("watch");
    write(
        &kv,
        vec![put("t", "no"), put("t/1", "yes"), put("u/1", "no")],
    )
    .await;
    write(&kv, vec![put("s/1", "no")]).await;
    let r3 = write(&kv, vec![del("t/1"), put("t/2", "yes")]).await;
    write(&kv, vec![put("t0", "no"), put("t/1/x", "yes")]).await;
    let got = summary(&next_events(&mut stream, 4).await);
    let keys: Vec<&[u8]> = got.iter().map(|(_, key, _)| key.as_slice()).collect();
    assert_eq!(keys, vec![&b"t/1"[..], b"t/1", b"t/2", b"t/1/x"]);
    assert_eq!(got[1], (EventKind::Delete, b"t/1".to_vec(), r3));
    assert_eq!(next_events(&mut single, 2).await.len(), 2);
    assert_quiet(&mut stream).await;
    assert_quiet(&mut single).await;
}

/// Of many concurrent CAS txns on one key, exactly one wins.
pub async fn concurrent_txns_on_one_key(kv: impl Kv) {
    const CONTENDERS: usize = 16;
    let kv = std::sync::Arc::new(kv);
    let race = |compare: Condition| {
        let tasks: Vec<_> = (0..CONTENDERS)
            .map(|i| {
                let kv = kv.clone();
                tokio::spawn(async move {
                    commit(
                        &*kv,
                        vec![when("lock", compare)],
                        vec![put("lock", format!("{i}"))],
                    )
                    .await
                })
            })
            .collect();
        async move {
            let mut winners = Vec::new();
            for task in tasks {
                let res = task.await.expect("contender task");
                if res.succeeded {
                    winners.push(res.revision);
                }
            }
            winners
        }
    };
    let winners = race(Condition::Absent).await;
    assert_eq!(winners.len(), 1, "exactly one creator: {winners:?}");
    let current = get(&*kv, b"lock").await.expect("lock exists");
    assert_eq!(current.mod_revision, winners[0]);
    let winners = race(Condition::ModRevision(current.mod_revision)).await;
    assert_eq!(winners.len(), 1, "exactly one updater: {winners:?}");
    assert_eq!(get(&*kv, b"lock").await.map(|kv| kv.version), Some(2));
}

/// A watch from before the kept history fails with `Compacted`, at once or
/// (for a watcher that fell behind) as its last item.
pub async fn watch_of_compacted_revision_fails(kv: impl Kv) {
    for i in 0..5 {
        write(&kv, vec![put(format!("k{i}"), "v")]).await;
    }
    let mut lagging = kv.watch(KeyRange::prefix(""), 1).await.expect("watch");
    kv.compact(4).await.expect("compact");
    match kv.watch(KeyRange::prefix(""), 2).await {
        Err(StoreError::Compacted { requested, oldest }) => assert_eq!((requested, oldest), (2, 4)),
        Err(other) => panic!("expected Compacted, got {other}"),
        Ok(_) => panic!("expected Compacted, got a stream"),
    }
    let mut kept = kv
        .watch(KeyRange::prefix(""), 4)
        .await
        .expect("watch from oldest");
    assert_eq!(
        summary(&next_events(&mut kept, 2).await),
        vec![
            (EventKind::Put, b"k3".to_vec(), 4),
            (EventKind::Put, b"k4".to_vec(), 5)
        ]
    );
    let item = tokio::time::timeout(WATCH_DEADLINE, lagging.next()).await;
    assert!(
        matches!(item, Ok(Some(Err(StoreError::Compacted { .. })))),
        "lagging watcher: {item:?}"
    );
    assert_eq!(
        get(&kv, b"k0").await.map(|kv| kv.value.to_vec()),
        Some(b"v".to_vec())
    );
    kv.compact(1000).await.expect("compact past the head");
    let mut head = kv
        .watch(KeyRange::prefix(""), 6)
        .await
        .expect("watch next revision");
    write(&kv, vec![put("k5", "v")]).await;
    assert_eq!(next_events(&mut head, 1).await[0].kv.mod_revision, 6);
}

/// Dropping the store ends its watches with `Closed`.
pub async fn watch_ends_when_store_closes(kv: impl Kv) {
    let mut stream = kv.watch(KeyRange::prefix(""), 0).await.expect("watch");
    write(&kv, vec![put("a", "1")]).await;
    assert_eq!(next_events(&mut stream, 1).await.len(), 1);
    drop(kv);
    let item = tokio::time::timeout(WATCH_DEADLINE, stream.next()).await;
    assert!(
        matches!(item, Ok(Some(Err(StoreError::Closed)))),
        "{item:?}"
    );
    let end = tokio::time::timeout(WATCH_DEADLINE, stream.next()).await;
    assert!(matches!(end, Ok(None)), "{end:?}");
}
