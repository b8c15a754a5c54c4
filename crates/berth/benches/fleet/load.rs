//! Load the fleet bench sends through the ECS API: concurrent RunTask
//! clients until a number of tasks is placed, and timed read calls.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::http::Client;
use crate::support::{ECS_TARGET, Summary};

/// Sends one ECS call and insists on a 200 with a JSON body.
pub fn call(client: &mut Client, operation: &str, body: &Value) -> Value {
    call_with(client, operation, body, |body| {
        serde_json::from_slice(body).unwrap_or(Value::Null)
    })
}

/// Sends one ECS call, insists on a 200 and hands its body to `read`.
fn call_with<T>(
    client: &mut Client,
    operation: &str,
    body: &Value,
    read: impl FnOnce(&[u8]) -> T,
) -> T {
    let target = format!("{ECS_TARGET}.{operation}");
    match client.post_aws_json(&target, body.to_string().as_bytes()) {
        Ok(response) if response.status == 200 => read(&response.body),
        Ok(response) => panic!(
            "{operation} answered {}: {}",
            response.status,
            String::from_utf8_lossy(&response.body)
        ),
        Err(error) => panic!("{operation} failed: {error}"),
    }
}

/// What the RunTask clients read of an answer. The rest of each task is
/// skipped, not built: the clients share the server's two cores, and
/// building every answer as a `Value` cost them a fifth of their CPU.
#[derive(serde::Deserialize)]
struct RunTaskAnswer<'a> {
    #[serde(default, borrow)]
    tasks: Vec<PlacedTask<'a>>,
    #[serde(default)]
    failures: Vec<serde::de::IgnoredAny>,
}

#[derive(serde::Deserialize)]
struct PlacedTask<'a> {
    #[serde(rename = "taskArn", borrow)]
    task_arn: std::borrow::Cow<'a, str>,
}

/// What the RunTask clients achieved.
pub struct Placement {
    /// Tasks placed (acknowledged, durable) in all.
    pub placed: u64,
    /// Failures RunTask returned (no room).
    pub failures: u64,
    /// From the first request to the last answer.
    pub elapsed: Duration,
    /// Latency of every RunTask call.
    pub latencies: Vec<Duration>,
    /// Tasks placed in each whole second of the run.
    pub per_second: Vec<u64>,
    /// Calls slower than [`SLOW_CALL`], by the whole second of the run they
    /// ended in: how many, and the slowest. Stalls that hold every client
    /// at once show here as one second with a call from each.
    pub slow_by_second: BTreeMap<u64, (usize, Duration)>,
    /// Whether the time budget ended the run before the target.
    pub cut_short: bool,
    /// Up to 10,000 task ARNs, for reads.
    pub arns: Vec<String>,
}

/// A RunTask call slower than this is counted in
/// [`Placement::slow_by_second`].
pub const SLOW_CALL: Duration = Duration::from_millis(200);

/// How RunTask is called.
pub struct RunPlan<'a> {
    pub address: &'a str,
    pub cluster: &'a str,
    pub family: &'a str,
    pub clients: usize,
    pub target: u64,
    pub budget: Duration,
    /// `placementStrategy` of every call.
    pub strategy: Value,
    /// Tasks per group (`group` = `service:g<n>`); 0 puts every task in
    /// the family's default group.
    pub per_group: u64,
}

/// Runs RunTask (count 10) from `clients` threads until `target` tasks are
/// placed or the budget is spent.
pub fn run_tasks(plan: &RunPlan<'_>) -> Placement {
    let placed = Arc::new(AtomicU64::new(0));
    let batches = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + plan.budget;
    let results: Vec<_> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..plan.clients)
            .map(|_| {
                let placed = placed.clone();
                let batches = batches.clone();
                scope.spawn(move || {
                    let mut client = Client::new(plan.address);
                    let mut latencies = Vec::new();
                    let mut done_at = Vec::new();
                    let mut arns = Vec::new();
                    let mut failures = 0;
                    loop {
                        if Instant::now() > deadline {
                            break;
                        }
                        // Claim a batch before sending, so the clients stop at the target.
                        let batch = batches.fetch_add(1, Ordering::Relaxed);
                        let count = plan.target.saturating_sub(batch * 10).min(10);
                        if count == 0 {
                            break;
                        }
                        let mut body = json!({
                            "cluster": plan.cluster,
                            "taskDefinition": plan.family,
                            "count": count,
                            "placementStrategy": plan.strategy,
                        });
                        if let Some(group) = (batch * 10).checked_div(plan.per_group) {
                            body["group"] = json!(format!("service:g{group}"));
                        }
                        let sent = Instant::now();
                        let (n_tasks, n_failures) =
                            call_with(&mut client, "RunTask", &body, |body| {
                                let answer: RunTaskAnswer<'_> = serde_json::from_slice(body)
                                    .unwrap_or_else(|err| {
                                        panic!("RunTask's answer does not parse: {err}")
                                    });
                                if arns.len() < 10_000 / plan.clients.max(1) {
                                    arns.extend(
                                        answer
                                            .tasks
                                            .iter()
                                            .map(|t| t.task_arn.clone().into_owned()),
                                    );
                                }
                                (answer.tasks.len() as u64, answer.failures.len() as u64)
                            });
                        latencies.push(sent.elapsed());
                        failures += n_failures;
                        placed.fetch_add(n_tasks, Ordering::Relaxed);
                        done_at.push((started.elapsed(), n_tasks));
                    }
                    (latencies, done_at, arns, failures)
                })
            })
            .collect();
        workers.into_iter().filter_map(|w| w.join().ok()).collect()
    });
    let elapsed = started.elapsed();
    let mut placement = Placement {
        placed: placed.load(Ordering::Relaxed),
        failures: 0,
        elapsed,
        latencies: Vec::new(),
        per_second: vec![0; usize::try_from(elapsed.as_secs()).unwrap_or(0) + 1],
        slow_by_second: BTreeMap::new(),
        cut_short: Instant::now() > deadline,
        arns: Vec::new(),
    };
    for (latencies, done_at, arns, failures) in results {
        for (latency, (at, n)) in latencies.iter().zip(done_at) {
            if let Some(slot) = placement
                .per_second
                .get_mut(usize::try_from(at.as_secs()).unwrap_or(usize::MAX))
            {
                *slot += n;
            }
            if *latency > SLOW_CALL {
                let slow = placement
                    .slow_by_second
                    .entry(at.as_secs())
                    .or_insert((0, Duration::ZERO));
                slow.0 += 1;
                slow.1 = slow.1.max(*latency);
            }
        }
        placement.latencies.extend(latencies);
        placement.arns.extend(arns);
        placement.failures += failures;
    }
    // The last second is partial; it would understate the rate.
    if placement.per_second.len() > 1 {
        placement.per_second.pop();
    }
    placement
}

/// Times `calls` sequential calls of `operation` whose body `body(i)` gives.
pub fn timed(
    address: &str,
    operation: &str,
    calls: usize,
    body: impl Fn(usize) -> Value,
) -> Option<Summary> {
    let mut client = Client::new(address);
    let mut latencies = Vec::with_capacity(calls);
    for i in 0..calls {
        let request = body(i);
        let sent = Instant::now();
        call(&mut client, operation, &request);
        latencies.push(sent.elapsed());
    }
    Summary::of(&mut latencies)
}

/// StopTask of every task in `arns`, shared out among `clients` concurrent
/// clients.
pub fn stop_tasks(address: &str, cluster: &str, arns: &[String], clients: usize) {
    let per_client = arns.len().div_ceil(clients.max(1)).max(1);
    std::thread::scope(|scope| {
        for share in arns.chunks(per_client) {
            scope.spawn(move || {
                let mut client = Client::new(address);
                for arn in share {
                    call(
                        &mut client,
                        "StopTask",
                        &json!({"cluster": cluster, "task": arn, "reason": "fleet bench"}),
                    );
                }
            });
        }
    });
}

/// Median and 10th/90th percentiles of per-second counts.
pub fn rate_spread(per_second: &[u64]) -> (u64, u64, u64) {
    let mut sorted = per_second.to_vec();
    sorted.sort_unstable();
    let at = |p: usize| {
        sorted
            .get((sorted.len() * p / 100).min(sorted.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    (at(50), at(10), at(90))
}
