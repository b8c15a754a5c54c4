//! STOPPED tasks are kept for the retention period after they stopped,
//! then removed; tasks still active are never touched. A pass reads the
//! index of stopped tasks, which every way of stopping a task keeps, and
//! which stores from before it get once. RunTask client tokens expire a day
//! after their first use in the same way.

use std::sync::Arc;

use berth_control::{Control, ControlConfig};
use berth_state::clock::ManualClock;
use berth_state::tasks::{
    CLIENT_TOKEN_EXPIRY, CLIENT_TOKENS, ClientTokenRecord, IndexedTasks, STOPPED_TASKS,
    StoppedEntry, TASKS, TokenEntry, task_key,
};
use berth_store::{KeyRange, Kv, MemoryKv, Op, Txn};

mod support;

use support::intercept::{Hooks, InterceptKv};

const CLUSTER: &str = "retention";
const MINUTE_MS: i64 = 60_000;

/// When the tests' clock starts.
const START_MS: i64 = 1_700_000_000_000;

/// A server over a fresh store with the cluster, its clock, and the
/// retention it keeps stopped tasks for.
async fn server_with_retention() -> (Control, Arc<ManualClock>, i64) {
    let kv: Arc<dyn Kv> = Arc::new(MemoryKv::new());
    let clock = Arc::new(ManualClock::new(START_MS));
    let control = support::server_with_cluster_at(kv, CLUSTER, clock.clone()).await;
    let retention_ms = ControlConfig::default().stopped_task_retention_ms;
    (control, clock, retention_ms)
}

async fn stop_by_report(control: &Control, task_id: &str, instance_id: &str) {
    control
        .apply_report(CLUSTER, instance_id, task_id, &support::stopped_report())
        .await
        .expect("report applied");
}

async fn stored_ids(control: &Control) -> Vec<String> {
    let mut ids: Vec<String> = control
        .state
        .tasks
        .all(CLUSTER, |_| true)
        .await
        .expect("tasks")
        .into_iter()
        .map(|task| task.id)
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn stopped_tasks_go_once_their_retention_has_passed() {
    let (control, clock, retention_ms) = server_with_retention().await;
    let (instance_id, ids) = support::placed_on_one_host(&control, CLUSTER, 4).await;
    let [early_a, early_b, late, running] = <[String; 4]>::try_from(ids).expect("four tasks");

    stop_by_report(&control, &early_a, &instance_id).await;
    stop_by_report(&control, &early_b, &instance_id).await;
    clock.advance(retention_ms / 2);
    stop_by_report(&control, &late, &instance_id).await;

    // Nothing has been stopped for the whole retention yet.
    clock.advance(retention_ms / 2 - MINUTE_MS);
    assert_eq!(control.expire_stopped_tasks().await.expect("pass"), 0);

    clock.advance(2 * MINUTE_MS);
    assert_eq!(control.expire_stopped_tasks().await.expect("pass"), 2);
    let mut kept = vec![late.clone(), running.clone()];
    kept.sort();
    assert_eq!(stored_ids(&control).await, kept);

    clock.advance(retention_ms);
    assert_eq!(control.expire_stopped_tasks().await.expect("pass"), 1);
    assert_eq!(stored_ids(&control).await, vec![running]);
    assert_eq!(control.expire_stopped_tasks().await.expect("pass"), 0);
}

/// An entry of a task with an id of 32 `digit`s, stopped long ago.
fn early_entry(digit: &str) -> StoppedEntry {
    StoppedEntry {
        cluster: CLUSTER.to_owned(),
        task_id: digit.repeat(32),
        stopped_at_ms: 1,
    }
}

/// Commits `ops` as they are, as another writer might have.
async fn write(control: &Control, ops: Vec<Op>) {
    let txn = Txn {
        compares: Vec::new(),
        ops,
    };
    control.state.kv.txn(txn).await.expect("txn");
}

/// The ids of the entries of the stopped-task index, in order.
async fn stopped_entries(control: &Control) -> Vec<String> {
    ids_under(control, &STOPPED_TASKS.key("")).await
}

/// The ids (`<cluster>/<token>`) of the stored client tokens, in order.
async fn token_ids(control: &Control) -> Vec<String> {
    ids_under(control, &CLIENT_TOKENS.key("")).await
}

/// The ids of the entries of the client-token expiry index, in order.
async fn token_entry_ids(control: &Control) -> Vec<String> {
    ids_under(control, &CLIENT_TOKEN_EXPIRY.key("")).await
}

/// Whether no client token, nor any entry of one, is stored.
async fn no_tokens_left(control: &Control) -> bool {
    token_ids(control).await.is_empty() && token_entry_ids(control).await.is_empty()
}

/// The ids of the records under `prefix`, in order.
async fn ids_under(control: &Control, prefix: &[u8]) -> Vec<String> {
    let range = KeyRange::prefix(prefix.to_vec());
    let stored = control.state.kv.range(&range, 0).await.expect("range");
    stored
        .kvs
        .iter()
        .map(|kv| String::from_utf8_lossy(&kv.key[prefix.len()..]).into_owned())
        .collect()
}

#[tokio::test]
async fn tasks_stopped_with_their_instance_expire_too() {
    let (control, clock, retention_ms) = server_with_retention().await;
    let (instance_id, _) = support::placed_on_one_host(&control, CLUSTER, 2).await;
    control
        .deregister_instance(CLUSTER, &instance_id, true)
        .await
        .expect("deregistered with force");
    assert_eq!(stopped_entries(&control).await.len(), 2);

    clock.advance(retention_ms + MINUTE_MS);
    assert_eq!(control.expire_stopped_tasks().await.expect("pass"), 2);
    assert!(stored_ids(&control).await.is_empty());
    assert!(stopped_entries(&control).await.is_empty());
}

#[tokio::test]
async fn stores_from_before_the_index_get_it_and_stray_entries_go() {
    let (control, clock, retention_ms) = server_with_retention().await;
    let (instance_id, ids) = support::placed_on_one_host(&control, CLUSTER, 3).await;
    for id in &ids[..2] {
        stop_by_report(&control, id, &instance_id).await;
    }
    // As a store written before the index: its entries are missing.
    let entries = stopped_entries(&control).await;
    assert_eq!(entries.len(), 2);
    let forget_index = entries.iter().map(|id| STOPPED_TASKS.delete_op(id));
    write(&control, forget_index.collect()).await;
    // And an entry whose task is gone, as an older Berth's retention leaves
    // behind (it deletes the task alone).
    let stray = early_entry("0");
    write(&control, vec![stray.put_op()]).await;

    clock.advance(retention_ms + MINUTE_MS);
    // Without its entries a stopped task is not seen; the stray goes uncounted.
    assert_eq!(control.expire_stopped_tasks().await.expect("pass"), 0);
    assert!(stopped_entries(&control).await.is_empty());
    assert_eq!(stored_ids(&control).await.len(), 3);

    let tasks = &control.state.tasks;
    let indexed = tasks.index_stored_tasks().await.expect("indexing");
    assert_eq!(indexed.stopped, 2);
    assert_eq!(
        tasks.index_stored_tasks().await.expect("indexing"),
        IndexedTasks::default()
    );
    assert_eq!(control.expire_stopped_tasks().await.expect("pass"), 2);
    assert_eq!(stored_ids(&control).await, vec![ids[2].clone()]);
}

#[tokio::test]
async fn a_task_stopped_exactly_at_the_cutoff_is_kept_and_entries_page_in_stop_order() {
    let (control, clock, retention_ms) = server_with_retention().await;
    let (instance_id, ids) = support::placed_on_one_host(&control, CLUSTER, 3).await;
    // Stopped in the reverse of id order, a millisecond apart.
    for id in ids.iter().rev() {
        stop_by_report(&control, id, &instance_id).await;
        clock.advance(1);
    }
    let first_stop = START_MS;
    let cutoff = first_stop + 3;
    let tasks = &control.state.tasks;
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let page = tasks
            .stopped_before(CLUSTER, cutoff, after.as_deref(), 1)
            .await
            .expect("page");
        assert!(page.items.len() <= 1);
        paged.extend(page.items.into_iter().map(|(_, entry)| entry));
        match page.next_after {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let order: Vec<&str> = paged.iter().map(|entry| entry.task_id.as_str()).collect();
    let reversed: Vec<&str> = ids.iter().rev().map(String::as_str).collect();
    assert_eq!(order, reversed);
    assert_eq!(
        paged
            .iter()
            .map(|entry| entry.stopped_at_ms)
            .collect::<Vec<_>>(),
        vec![first_stop, first_stop + 1, first_stop + 2]
    );
    // The cutoff is exclusive: one stopped at it is not yet expired.
    let before_last = tasks
        .stopped_before(CLUSTER, first_stop + 2, None, 10)
        .await
        .expect("page");
    assert_eq!(before_last.items.len(), 2);

    // Now is first_stop + 3: the last stop reaches the retention at
    // first_stop + 2 + retention, and is expired only after it.
    clock.advance(retention_ms - 1);
    assert_eq!(control.expire_stopped_tasks().await.expect("pass"), 2);
    assert_eq!(stored_ids(&control).await, vec![ids[0].clone()]);
    clock.advance(1);
    assert_eq!(control.expire_stopped_tasks().await.expect("pass"), 1);
    assert!(stored_ids(&control).await.is_empty());
}

#[tokio::test]
async fn an_unreadable_task_record_stays_and_the_pass_goes_on() {
    let (control, clock, retention_ms) = server_with_retention().await;
    let (instance_id, ids) = support::placed_on_one_host(&control, CLUSTER, 1).await;
    stop_by_report(&control, &ids[0], &instance_id).await;
    let unreadable = early_entry("f");
    let unreadable_record = Op::Put {
        key: TASKS.key(&task_key(CLUSTER, &unreadable.task_id)),
        value: b"{".to_vec(),
    };
    write(&control, vec![unreadable.put_op(), unreadable_record]).await;

    clock.advance(retention_ms + MINUTE_MS);
    assert_eq!(control.expire_stopped_tasks().await.expect("pass"), 1);
    assert_eq!(stopped_entries(&control).await, vec![unreadable.id()]);
}

const DAY_MS: i64 = 24 * 60 * MINUTE_MS;

async fn register_host(control: &Control) {
    let host = support::host(CLUSTER, "host-0".to_owned(), 4_096, 4_096, Vec::new());
    control
        .register_instance(host)
        .await
        .expect("instance registers");
}

/// RunTask of one task with client token `token`: the ids of its tasks.
async fn run_with_token(control: &Control, token: &str) -> Vec<String> {
    let mut request = support::run_request(CLUSTER, &support::web_definition(None), 1);
    request.client_token = Some((token.to_owned(), "fingerprint".to_owned()));
    let outcome = control.run_tasks(request).await.expect("RunTask");
    outcome.tasks.iter().map(|task| task.id.clone()).collect()
}

#[tokio::test]
async fn client_tokens_expire_a_day_after_their_first_use() {
    let (control, clock, _) = server_with_retention().await;
    register_host(&control).await;
    let first = run_with_token(&control, "retry-me").await;
    clock.advance(DAY_MS / 2);
    let other = run_with_token(&control, "later").await;

    clock.advance(DAY_MS / 2 - MINUTE_MS);
    assert_eq!(control.expire_client_tokens().await.expect("pass"), 0);
    assert_eq!(
        run_with_token(&control, "retry-me").await,
        first,
        "still honoured"
    );

    clock.advance(2 * MINUTE_MS);
    assert_eq!(control.expire_client_tokens().await.expect("pass"), 1);
    let again = run_with_token(&control, "retry-me").await;
    assert_ne!(again, first, "an expired token runs new tasks");
    assert_eq!(run_with_token(&control, "retry-me").await, again);
    assert_eq!(run_with_token(&control, "later").await, other);

    // Each token left has one entry, dated by its first use.
    assert_eq!(
        token_ids(&control).await,
        [format!("{CLUSTER}/later"), format!("{CLUSTER}/retry-me")]
    );
    assert_eq!(token_entry_ids(&control).await.len(), 2);

    clock.advance(DAY_MS + MINUTE_MS);
    assert_eq!(control.expire_client_tokens().await.expect("pass"), 2);
    assert!(no_tokens_left(&control).await);
}

#[tokio::test]
async fn a_stale_entry_never_removes_a_token_used_again() {
    let (control, clock, _) = server_with_retention().await;
    register_host(&control).await;
    run_with_token(&control, "t").await;
    // An entry dated before the token's first use, as a pass that stopped
    // between its two deletes could never leave but a bug might.
    let stale = TokenEntry {
        cluster: CLUSTER.to_owned(),
        token: "t".to_owned(),
        first_used_at_ms: START_MS - DAY_MS - MINUTE_MS,
    };
    write(&control, vec![stale.put_op()]).await;
    assert_eq!(control.expire_client_tokens().await.expect("pass"), 0);
    assert_eq!(token_ids(&control).await.len(), 1);
    assert_eq!(token_entry_ids(&control).await.len(), 1);

    clock.advance(DAY_MS + MINUTE_MS);
    assert_eq!(control.expire_client_tokens().await.expect("pass"), 1);
    assert!(token_ids(&control).await.is_empty());
}

#[tokio::test]
async fn tokens_stored_before_they_expired_expire_a_day_after_the_upgrade() {
    let (control, clock, _) = server_with_retention().await;
    register_host(&control).await;
    // As an older Berth wrote it: no creation time, no entry.
    let legacy = ClientTokenRecord {
        request_fingerprint: "fingerprint".to_owned(),
        task_ids: Vec::new(),
        failures: Vec::new(),
        first_used_at_ms: None,
    };
    write(
        &control,
        vec![CLIENT_TOKENS.put_op(&task_key(CLUSTER, "old/token"), &legacy)],
    )
    .await;
    clock.advance(DAY_MS);
    assert_eq!(control.expire_client_tokens().await.expect("pass"), 0);

    let tasks = &control.state.tasks;
    let upgraded_at = START_MS + DAY_MS;
    assert_eq!(
        tasks
            .index_stored_client_tokens(upgraded_at)
            .await
            .expect("indexing"),
        1
    );
    assert_eq!(
        tasks
            .index_stored_client_tokens(upgraded_at)
            .await
            .expect("indexing"),
        0
    );
    clock.advance(DAY_MS - MINUTE_MS);
    assert_eq!(control.expire_client_tokens().await.expect("pass"), 0);
    clock.advance(2 * MINUTE_MS);
    assert_eq!(control.expire_client_tokens().await.expect("pass"), 1);
    assert!(no_tokens_left(&control).await);
}

#[tokio::test]
async fn a_token_first_used_exactly_at_the_cutoff_is_kept_and_each_cluster_expires() {
    let (control, clock, _) = server_with_retention().await;
    register_host(&control).await;
    let second = "second-cluster";
    let other = support::server_with_cluster_at(
        control.state.kv.clone(),
        second,
        Arc::new(ManualClock::new(START_MS)),
    )
    .await;
    let host = support::host(second, "host-1".to_owned(), 4_096, 4_096, Vec::new());
    other
        .register_instance(host)
        .await
        .expect("instance registers");
    let mut request = support::run_request(second, &support::web_definition(None), 1);
    request.client_token = Some(("t".to_owned(), "fingerprint".to_owned()));
    other.run_tasks(request).await.expect("RunTask");
    run_with_token(&control, "t").await;

    clock.advance(DAY_MS);
    assert_eq!(control.expire_client_tokens().await.expect("pass"), 0);
    clock.advance(1);
    assert_eq!(control.expire_client_tokens().await.expect("pass"), 2);
    assert!(token_ids(&control).await.is_empty());
}

#[tokio::test]
async fn an_entry_whose_token_is_gone_is_removed_alone() {
    let (control, clock, _) = server_with_retention().await;
    let orphan = TokenEntry {
        cluster: CLUSTER.to_owned(),
        token: "gone".to_owned(),
        first_used_at_ms: START_MS,
    };
    write(&control, vec![orphan.put_op()]).await;
    clock.advance(DAY_MS + MINUTE_MS);
    assert_eq!(control.expire_client_tokens().await.expect("pass"), 0);
    assert!(no_tokens_left(&control).await);
}

#[tokio::test]
async fn a_day_of_tokens_goes_in_transactions_within_the_limits() {
    // The tests' store keeps etcd's limit of 128 ops a transaction, and
    // each token takes three (a compare and two deletes): many commits.
    let (control, clock, _) = server_with_retention().await;
    let n_tokens = 150;
    let ops = (0..n_tokens).flat_map(|n| {
        let record = ClientTokenRecord {
            request_fingerprint: "fingerprint".to_owned(),
            task_ids: Vec::new(),
            failures: Vec::new(),
            first_used_at_ms: None,
        };
        let (_, ops) = record.first_use(CLUSTER, &format!("token-{n}"), START_MS);
        ops
    });
    let ops: Vec<Op> = ops.collect();
    for chunk in ops.chunks(100) {
        write(&control, chunk.to_vec()).await;
    }
    clock.advance(DAY_MS + MINUTE_MS);
    assert_eq!(
        control.expire_client_tokens().await.expect("pass"),
        n_tokens
    );
    assert!(no_tokens_left(&control).await);
}

/// Another writer rewrites one client token just before the first
/// transaction that deletes several, as a RunTask could.
#[derive(Default)]
struct RewriteATokenFirst(std::sync::atomic::AtomicBool);

#[async_trait::async_trait]
impl Hooks for RewriteATokenFirst {
    async fn before_txn(&self, store: &MemoryKv, txn: &Txn) {
        let token_deletes: Vec<&Vec<u8>> = txn
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::Delete { key } if key.starts_with(&CLIENT_TOKENS.key("")) => Some(key),
                _ => None,
            })
            .collect();
        if token_deletes.len() < 2 || self.0.swap(true, std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        let current = store
            .get(token_deletes[0])
            .await
            .expect("get")
            .expect("token stored");
        let rewrite = Txn {
            compares: Vec::new(),
            ops: vec![Op::Put {
                key: current.key,
                value: current.value.to_vec(),
            }],
        };
        store.txn(rewrite).await.expect("rewrite");
    }
}

#[tokio::test]
async fn a_token_changed_since_it_was_read_waits_while_the_others_go() {
    let kv = Arc::new(InterceptKv::new(RewriteATokenFirst::default()));
    let clock = Arc::new(ManualClock::new(START_MS));
    let control = support::server_with_cluster_at(kv, CLUSTER, clock.clone()).await;
    register_host(&control).await;
    for token in ["a", "b", "c"] {
        run_with_token(&control, token).await;
    }
    clock.advance(DAY_MS + MINUTE_MS);
    // The batch of three fails on the rewritten token; one by one, the two
    // others go, and the rewritten one is read again at the next pass.
    assert_eq!(control.expire_client_tokens().await.expect("pass"), 2);
    assert_eq!(token_ids(&control).await, [format!("{CLUSTER}/a")]);
    assert_eq!(control.expire_client_tokens().await.expect("pass"), 1);
    assert!(no_tokens_left(&control).await);
}

#[tokio::test]
async fn a_token_entered_twice_goes_once_and_leaves_no_entry() {
    let (control, clock, _) = server_with_retention().await;
    // A token from before the index, entered by two backfills (the mark
    // deleted between them) at different times.
    let legacy = ClientTokenRecord {
        request_fingerprint: "fingerprint".to_owned(),
        task_ids: Vec::new(),
        failures: Vec::new(),
        first_used_at_ms: None,
    };
    let entry = |at| TokenEntry {
        cluster: CLUSTER.to_owned(),
        token: "twice".to_owned(),
        first_used_at_ms: at,
    };
    write(
        &control,
        vec![
            CLIENT_TOKENS.put_op(&task_key(CLUSTER, "twice"), &legacy),
            entry(START_MS).put_op(),
            entry(START_MS + MINUTE_MS).put_op(),
        ],
    )
    .await;
    clock.advance(DAY_MS + 2 * MINUTE_MS);
    assert_eq!(control.expire_client_tokens().await.expect("pass"), 1);
    assert_eq!(control.expire_client_tokens().await.expect("pass"), 0);
    assert!(no_tokens_left(&control).await);
}
