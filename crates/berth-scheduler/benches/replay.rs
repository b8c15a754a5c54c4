//! A C1M-shaped replay on the scheduler alone: groups of tasks (services)
//! placed one after another with the service default strategy (spread over
//! availability zones, then instances), ten tasks a call, on hosts of the
//! fleet bench's C1M size. Prints the decisions per second, the slowest
//! calls with how many tasks were placed by then, the groups that took far
//! longer than the median group, and how the tasks ended up over the hosts.
//!
//! Run: `cargo bench -p berth-scheduler --bench replay` (1,000 groups x
//! 1,000 tasks on 5,000 hosts; `BERTH_REPLAY_GROUPS`, `BERTH_REPLAY_PER_GROUP`
//! and `BERTH_REPLAY_INSTANCES` change the sizes). Without `--bench`
//! (`cargo test --benches`) it runs at a tiny size.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use berth_scheduler::{ClusterIndex, ClusterSnapshot, PlacementRequest, PlacementStrategy};
use rand::SeedableRng;
use rand::rngs::SmallRng;

mod support;

const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
/// The fleet bench's C1M host: 32 vCPU and 128 GiB, room for 512 tasks of
/// 64 CPU units and 128 MiB.
const HOST_CPU: u32 = 32_768;
const HOST_MEMORY_MIB: u32 = 131_072;
const TASKS_PER_CALL: u32 = 10;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn cluster(instances: usize) -> ClusterSnapshot {
    let instances = (0..instances)
        .map(|idx| {
            let zone = ZONES[idx % ZONES.len()].to_owned();
            support::host(
                idx,
                BTreeMap::from([("ecs.availability-zone".to_owned(), zone)]),
                HOST_CPU,
                HOST_MEMORY_MIB,
            )
        })
        .collect();
    ClusterSnapshot { instances }
}

/// One call's duration, the group it placed for and the tasks placed once
/// it was done.
struct Call {
    took: Duration,
    group: usize,
    placed_after: u64,
}

fn main() {
    let full = std::env::args().any(|arg| arg == "--bench");
    let (groups, per_group, instances) = if full {
        (
            env_or("BERTH_REPLAY_GROUPS", 1_000),
            env_or("BERTH_REPLAY_PER_GROUP", 1_000),
            env_or("BERTH_REPLAY_INSTANCES", 5_000),
        )
    } else {
        (20, 20, 50)
    };
    let mut index = ClusterIndex::new(cluster(instances));
    let mut rng = SmallRng::seed_from_u64(1);
    let mut calls = Vec::new();
    let mut placed = 0u64;
    let started = Instant::now();
    for group in 0..groups {
        let mut left = per_group as u32;
        while left > 0 {
            let count = left.min(TASKS_PER_CALL);
            left -= count;
            let request = PlacementRequest {
                cpu: 64,
                memory_mib: 128,
                tcp_ports: BTreeSet::new(),
                udp_ports: BTreeSet::new(),
                count,
                group: format!("service:g{group}"),
                constraints: Vec::new(),
                strategies: PlacementStrategy::service_default(),
            };
            let call_started = Instant::now();
            let outcome = index.place(&request, &mut rng).expect("a valid request");
            placed += outcome.placements().count() as u64;
            calls.push(Call {
                took: call_started.elapsed(),
                group,
                placed_after: placed,
            });
        }
    }
    let elapsed = started.elapsed();
    println!(
        "{groups} groups x {per_group} tasks on {instances} hosts: {placed} placed in {:.3} s, {:.0} decisions/s",
        elapsed.as_secs_f64(),
        placed as f64 / elapsed.as_secs_f64()
    );

    let mut slowest: Vec<&Call> = calls.iter().collect();
    slowest.sort_by_key(|call| std::cmp::Reverse(call.took));
    for call in slowest.iter().take(5) {
        println!(
            "slow call: {:.3} ms, group {}, {} tasks placed by then",
            call.took.as_secs_f64() * 1e3,
            call.group,
            call.placed_after
        );
    }

    let mut per_group_time = vec![Duration::ZERO; groups];
    for call in &calls {
        per_group_time[call.group] += call.took;
    }
    let mut ordered = per_group_time.clone();
    ordered.sort();
    let median = ordered.get(ordered.len() / 2).copied().unwrap_or_default();
    println!("median group: {:.3} ms", median.as_secs_f64() * 1e3);
    for (group, took) in per_group_time.iter().enumerate() {
        if *took > median * 3 {
            println!("slow group {group}: {:.3} ms", took.as_secs_f64() * 1e3);
        }
    }

    let mut hosts_by_tasks = BTreeMap::new();
    for instance in index.instances() {
        *hosts_by_tasks
            .entry(instance.running_tasks_count)
            .or_insert(0u32) += 1;
    }
    let summary: Vec<String> = hosts_by_tasks
        .iter()
        .map(|(tasks, hosts)| format!("{hosts} with {tasks}"))
        .collect();
    println!("hosts by tasks: {}", summary.join(", "));
}
