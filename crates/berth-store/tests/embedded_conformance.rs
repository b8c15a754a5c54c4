//! Runs the conformance suite against the embedded backend, plus what only a
//! persistent store can show: state and locking across reopen, and the
//! bounds of its watch history.

use berth_store::{Embedded, EmbeddedOptions, KeyRange, Kv, Op, StoreError, Txn};
use futures::StreamExt;

async fn new_store() -> (Embedded, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Embedded::open(dir.path()).expect("open store");
    (store, dir)
}

berth_store::conformance_tests!(new_store);

fn put(key: &str, value: &str) -> Txn {
    Txn {
        compares: vec![],
        ops: vec![Op::Put {
            key: key.into(),
            value: value.into(),
        }],
    }
}

#[tokio::test]
async fn reopen_keeps_values_and_revisions_and_watches_start_after_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let store = Embedded::open(dir.path()).expect("open");
        for i in 0..5 {
            store.txn(put(&format!("k{i}"), "v")).await.expect("txn");
        }
    }
    let store = Embedded::open(dir.path()).expect("reopen");
    assert_eq!(store.revision().await.ok(), Some(5));
    let k4 = store.get(b"k4").await.expect("get").expect("k4 kept");
    assert_eq!((k4.create_revision, k4.mod_revision, k4.version), (5, 5, 1));
    // History lives in memory: every watcher lives in the process that
    // opened the store, so none can ask for what came before it.
    assert!(matches!(
        store.watch(KeyRange::prefix(""), 5).await.err(),
        Some(StoreError::Compacted {
            requested: 5,
            oldest: 6
        })
    ));
    let mut stream = store.watch(KeyRange::prefix(""), 6).await.expect("watch");
    assert_eq!(store.txn(put("k5", "v")).await.expect("txn").revision, 6);
    let batch = stream.next().await.expect("open").expect("events");
    assert_eq!(batch[0].kv.key, b"k5");
    assert_eq!(batch[0].kv.mod_revision, 6);
}

#[tokio::test]
async fn second_open_of_a_dir_fails_clearly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let _first = Embedded::open(dir.path()).expect("open");
    let err = Embedded::open(dir.path())
        .err()
        .expect("second open must fail");
    assert!(err.to_string().contains("already open"), "{err}");
}

#[tokio::test]
async fn retention_bounds_history() {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = EmbeddedOptions {
        history_revisions: 10,
        ..EmbeddedOptions::default()
    };
    let store = Embedded::open_with(dir.path(), options).expect("open");
    for i in 0..30 {
        store.txn(put(&format!("k{i}"), "v")).await.expect("txn");
    }
    let oldest = match store.watch(KeyRange::prefix(""), 1).await {
        Err(StoreError::Compacted { oldest, .. }) => oldest,
        other => panic!("expected Compacted, got {:?}", other.err()),
    };
    assert_eq!(oldest, 21, "the last 10 revisions are kept");
    assert!(store.watch(KeyRange::prefix(""), 21).await.is_ok());
}

#[tokio::test]
async fn retention_bounds_history_bytes_but_keeps_the_latest_revision() {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = EmbeddedOptions {
        history_max_bytes: 1_000,
        ..EmbeddedOptions::default()
    };
    let store = Embedded::open_with(dir.path(), options).expect("open");
    let value = "v".repeat(200);
    for i in 0..20 {
        store.txn(put(&format!("k{i}"), &value)).await.expect("txn");
    }
    let oldest = match store.watch(KeyRange::prefix(""), 1).await {
        Err(StoreError::Compacted { oldest, .. }) => oldest,
        other => panic!("expected Compacted, got {:?}", other.err()),
    };
    // Each revision's event counts for about 303 bytes: three of them fit.
    assert_eq!(oldest, 18);
    let huge = "h".repeat(5_000);
    let rev = store.txn(put("huge", &huge)).await.expect("txn").revision;
    let mut stream = store
        .watch(KeyRange::prefix(""), rev)
        .await
        .expect("latest kept");
    let batch = stream.next().await.expect("open").expect("events");
    assert_eq!(batch[0].kv.value.len(), 5_000);
}

/// The suite again, on a store that checkpoints after every commit, so
/// reads merge the commits in memory, a frozen layer being written into
/// redb, and redb itself.
mod checkpointing_after_every_commit {
    use super::*;

    async fn new_store() -> (Embedded, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = EmbeddedOptions {
            checkpoint_log_bytes: 1,
            ..EmbeddedOptions::default()
        };
        let store = Embedded::open_with(dir.path(), options).expect("open store");
        (store, dir)
    }

    berth_store::conformance_tests!(new_store);
}

/// Random puts, deletes and compares on a few keys, with reads of every
/// kind between them, answer as the in-memory reference store does, while
/// checkpoints come at random points and the store is reopened now and then.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_agree_with_the_reference_store_across_checkpoints_and_reopens() {
    use berth_store::{Compare, Condition, MemoryKv};
    use rand::{Rng, SeedableRng};

    let dir = tempfile::tempdir().expect("temp dir");
    let options = EmbeddedOptions {
        checkpoint_log_bytes: 600,
        ..EmbeddedOptions::default()
    };
    let mut store = Embedded::open_with(dir.path(), options).expect("open");
    let reference = MemoryKv::new();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let key = |rng: &mut rand::rngs::StdRng| format!("k{:02}", rng.random_range(0..24));
    for step in 0..3_000 {
        let mut ops = Vec::new();
        for _ in 0..rng.random_range(1..4) {
            let key = key(&mut rng);
            ops.push(if rng.random_bool(0.3) {
                Op::Delete { key: key.into() }
            } else {
                Op::Put {
                    key: key.into(),
                    value: format!("v{step}").into(),
                }
            });
        }
        let compares = if rng.random_bool(0.3) {
            let condition = match rng.random_range(0..3) {
                0 => Condition::Absent,
                1 => Condition::Exists,
                _ => Condition::ModRevision(rng.random_range(0..=step as u64)),
            };
            vec![Compare {
                key: key(&mut rng).into(),
                condition,
            }]
        } else {
            Vec::new()
        };
        let txn = Txn { compares, ops };
        let stored = store.txn(txn.clone()).await.expect("txn");
        assert_eq!(
            stored,
            reference.txn(txn).await.expect("txn"),
            "step {step}"
        );

        let start = key(&mut rng);
        let end = if rng.random_bool(0.2) {
            String::new()
        } else {
            key(&mut rng)
        };
        let range = KeyRange {
            start: start.into(),
            end: end.into(),
        };
        let limit = rng.random_range(0..6);
        assert_eq!(
            store.range(&range, limit).await.expect("range"),
            reference.range(&range, limit).await.expect("range"),
            "step {step}: range {range:?} limit {limit}"
        );
        assert_eq!(
            store.range_rev(&range, limit).await.expect("range"),
            reference.range_rev(&range, limit).await.expect("range"),
            "step {step}: descending range {range:?} limit {limit}"
        );
        let probe = key(&mut rng);
        assert_eq!(
            store.get(probe.as_bytes()).await.expect("get"),
            reference.get(probe.as_bytes()).await.expect("get"),
            "step {step}: {probe}"
        );
        if step % 500 == 499 {
            drop(store);
            store = Embedded::open_with(dir.path(), options).expect("reopen");
        }
    }
}
