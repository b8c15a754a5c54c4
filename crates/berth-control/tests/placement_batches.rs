//! RunTask calls made at once in one cluster are placed in batches that
//! share a commit. Whatever the batching, no instance is ever over-committed,
//! every call gets its own answer, client tokens keep their meaning inside a
//! batch, and a store with small transaction limits still takes every call,
//! in batches sized to fit them.

use std::collections::BTreeMap;
use std::sync::Arc;

use berth_control::tasks::{RunOutcome, RunRequest};
use berth_control::{Control, ControlError};
use berth_model::container_instance::Attribute;
use berth_model::task_definition::TaskDefinition;
use berth_state::tasks::CLIENT_TOKENS;
use berth_store::{Kv, Limits, MemoryKv, Op, Txn};

mod support;

use support::intercept::{Hooks, InterceptKv};

const CLUSTER: &str = "batches";

/// A cluster of `instances` hosts with `cpu` units each, over a store with
/// `limits`, and a one-container definition taking 100 CPU units.
async fn fleet(limits: Limits, instances: usize, cpu: u32) -> (Control, TaskDefinition) {
    fleet_over(
        Arc::new(MemoryKv::with_options(limits, 10_000)),
        instances,
        cpu,
    )
    .await
}

/// [`fleet`] over `kv`.
async fn fleet_over(kv: Arc<dyn Kv>, instances: usize, cpu: u32) -> (Control, TaskDefinition) {
    let control = support::server_with_cluster(kv, CLUSTER).await;
    for host in 0..instances {
        let zone = Attribute {
            name: "ecs.availability-zone".to_owned(),
            value: Some(format!("us-east-1{}", ["a", "b", "c"][host % 3])),
        };
        control
            .register_instance(support::host(
                CLUSTER,
                format!("host-{host}"),
                cpu,
                64 * 1024,
                vec![zone],
            ))
            .await
            .expect("instance registers");
    }
    let definition = support::web_definition(Some(100));
    (control, definition)
}

fn request(definition: &TaskDefinition, count: u32, token: Option<&str>) -> RunRequest {
    RunRequest {
        client_token: token.map(|t| (t.to_owned(), format!("fingerprint-of-{t}"))),
        ..support::run_request(CLUSTER, definition, count)
    }
}

/// Runs `requests` all at once and returns each call's answer, in order.
async fn run_at_once(
    control: &Control,
    requests: Vec<RunRequest>,
) -> Vec<Result<RunOutcome, ControlError>> {
    let calls = requests.into_iter().map(|request| {
        let control = control.clone();
        tokio::spawn(async move { control.run_tasks(request).await })
    });
    let mut answers = Vec::new();
    for call in calls {
        answers.push(call.await.expect("the call does not panic"));
    }
    answers
}

/// Every task stored in the cluster.
async fn stored_tasks(control: &Control) -> Vec<berth_model::task::Task> {
    control
        .state
        .tasks
        .all(CLUSTER, |_| true)
        .await
        .expect("tasks list")
}

/// CPU units each instance has promised away, from the stored tasks, and
/// what each instance record says is left.
async fn ledger(control: &Control) -> (BTreeMap<String, u32>, BTreeMap<String, u32>) {
    let mut promised = BTreeMap::new();
    for task in stored_tasks(control).await {
        *promised.entry(task.container_instance_id).or_default() += task.reserved.cpu;
    }
    let remaining = control
        .state
        .instances
        .all(CLUSTER)
        .await
        .expect("instances list")
        .into_iter()
        .map(|instance| (instance.id, instance.remaining.cpu))
        .collect();
    (promised, remaining)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_never_over_commit_and_each_gets_its_answer() {
    // 4 hosts × 1,000 units hold 40 tasks; 30 calls ask for 60.
    let (control, definition) = fleet(Limits::default(), 4, 1_000).await;
    let requests = (0..30).map(|_| request(&definition, 2, None)).collect();
    let answers = run_at_once(&control, requests).await;
    let mut placed = 0;
    let mut refused = 0;
    for answer in answers {
        let outcome = answer.expect("every call is answered");
        assert_eq!(outcome.tasks.len() + outcome.failures.len(), 2);
        placed += outcome.tasks.len();
        refused += outcome.failures.len();
        for failure in &outcome.failures {
            assert_eq!(failure.reason, "RESOURCE:CPU");
        }
    }
    assert_eq!((placed, refused), (40, 20));
    let (promised, remaining) = ledger(&control).await;
    assert_eq!(promised.values().sum::<u32>(), 4_000);
    for (instance, left) in remaining {
        assert_eq!(promised.get(&instance).copied().unwrap_or(0) + left, 1_000);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_token_means_the_same_tasks_inside_a_batch() {
    let (control, definition) = fleet(Limits::default(), 3, 10_000).await;
    let mut requests: Vec<RunRequest> = (0..6)
        .map(|_| request(&definition, 3, Some("once")))
        .collect();
    requests.extend((0..6).map(|_| request(&definition, 1, None)));
    let answers = run_at_once(&control, requests).await;
    let mut token_tasks = Vec::new();
    for answer in &answers[..6] {
        let outcome = answer.as_ref().expect("token calls are answered");
        let mut ids: Vec<&str> = outcome.tasks.iter().map(|t| t.id.as_str()).collect();
        ids.sort_unstable();
        token_tasks.push(ids);
    }
    assert!(token_tasks.windows(2).all(|pair| pair[0] == pair[1]));
    assert_eq!(token_tasks[0].len(), 3);
    let stored = stored_tasks(&control).await;
    assert_eq!(stored.len(), 3 + 6, "the token's tasks were created once");

    // The same token with another request is a conflict naming the tasks.
    let mut other = request(&definition, 3, Some("once"));
    other.client_token = Some(("once".to_owned(), "another fingerprint".to_owned()));
    match control.run_tasks(other).await {
        Err(ControlError::Conflict { resource_ids, .. }) => assert_eq!(resource_ids.len(), 3),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_transaction_limits_take_every_call() {
    // etcd's limit of 128 ops per transaction: batches stay small enough.
    let limits = Limits {
        max_txn_ops: 128,
        ..Limits::default()
    };
    let (control, definition) = fleet(limits, 12, 100_000).await;
    let requests = (0..40).map(|_| request(&definition, 10, None)).collect();
    let answers = run_at_once(&control, requests).await;
    for answer in answers {
        let outcome = answer.expect("answered");
        assert_eq!(outcome.tasks.len(), 10);
    }
    let stored = stored_tasks(&control).await;
    assert_eq!(stored.len(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_without_instances_refuses_the_call() {
    let (control, definition) = fleet(Limits::default(), 0, 1_000).await;
    match control.run_tasks(request(&definition, 1, None)).await {
        Err(ControlError::InvalidParameter(message)) => {
            assert_eq!(
                message,
                "No Container Instances were found in your cluster."
            )
        }
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
}

/// Counts the transactions tried over the store's limit on ops, and holds
/// the first placement commit until every call is queued behind it, so the
/// next batches are as large as the placer makes them.
struct OversizedTxns {
    oversized: std::sync::atomic::AtomicUsize,
    all_queued: tokio::sync::Semaphore,
    /// Calls in placement commits held until `all_queued`: the first batch
    /// may take more than one call if they queued before it was taken.
    held_calls: std::sync::atomic::AtomicUsize,
}

#[async_trait::async_trait]
impl Hooks for OversizedTxns {
    async fn before_txn(&self, store: &MemoryKv, txn: &Txn) {
        let client_tokens = CLIENT_TOKENS.key("");
        let tokens = txn
            .ops
            .iter()
            .filter(|op| match op {
                Op::Put { key, .. } => key.starts_with(&client_tokens),
                Op::Delete { .. } => false,
            })
            .count();
        if tokens > 0 {
            self.held_calls
                .fetch_add(tokens, std::sync::atomic::Ordering::SeqCst);
        }
        if tokens > 0
            && let Ok(wait) = self.all_queued.acquire().await
        {
            wait.forget();
        }
        if txn.compares.len() + txn.ops.len() > store.limits().max_txn_ops {
            self.oversized
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_with_client_tokens_fill_batches_that_fit_small_limits() {
    // etcd's 128 ops, and one-task calls that each carry a token (as boto3
    // sends) spread over a dozen hosts: the batches the placer sizes must
    // fit, not fall back to a commit per call.
    let store = MemoryKv::with_options(
        Limits {
            max_txn_ops: 128,
            ..Limits::default()
        },
        10_000,
    );
    let kv = Arc::new(InterceptKv {
        store,
        hooks: OversizedTxns {
            oversized: Default::default(),
            all_queued: tokio::sync::Semaphore::new(0),
            held_calls: Default::default(),
        },
    });
    let (control, definition) = fleet_over(kv.clone(), 12, 100_000).await;
    // Registering the hosts committed without waiting; placements wait.
    let calls: Vec<_> = (0..60)
        .map(|n| {
            let control = control.clone();
            let request = request(&definition, 1, Some(&format!("token-{n}")));
            tokio::spawn(async move { control.run_tasks(request).await })
        })
        .collect();
    let all_queued = async {
        while control.views.loaded(CLUSTER).is_none_or(|view| {
            view.queued()
                + kv.hooks
                    .held_calls
                    .load(std::sync::atomic::Ordering::SeqCst)
                < 60
        }) {
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(30), all_queued)
        .await
        .expect("every call queues behind the first");
    kv.hooks.all_queued.add_permits(1_000);
    for call in calls {
        let outcome = call.await.expect("no panic").expect("answered");
        assert_eq!(outcome.tasks.len(), 1);
    }
    assert_eq!(stored_tasks(&control).await.len(), 60);
    let oversized = &kv.hooks.oversized;
    assert_eq!(oversized.load(std::sync::atomic::Ordering::SeqCst), 0);
}
