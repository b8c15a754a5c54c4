//! Berth at fleet scale: a `berth server` process, a `berth simulate`
//! process with thousands of protocol-speaking hosts, and concurrent raw
//! HTTP RunTask clients. Cases:
//! - `binpack`: RunTask (count 10, binpack on memory) until the target is
//!   placed; time to all RUNNING; then reads on that data (DescribeTasks of
//!   100 ARNs, ListTasks, filtered ListContainerInstances, ListTasks with
//!   the older half stopped) and restart time.
//! - `spread`: the same placement, spread over availability zones.
//! - `c1m`: a C1M-style replay, tasks in groups of `BERTH_FLEET_PER_GROUP`
//!   (`service:g<n>`), spread over zones then instances as ECS services do.
//!
//! Run: `cargo bench -p berth --bench fleet [-- binpack|spread|c1m]`.
//! Sizes: `BERTH_FLEET_INSTANCES` (5000), `BERTH_FLEET_TASKS` (100000),
//! `BERTH_FLEET_CLIENTS` (16), `BERTH_FLEET_BUDGET_SECS` (300, placement
//! time cap), `BERTH_FLEET_GROUPS` (1000), `BERTH_FLEET_PER_GROUP` (10) and
//! `BERTH_FLEET_ACK_DELAY_MS` (100, how long a host takes to report a new
//! task RUNNING; a host's next poll waits for it, so it sets how many tasks
//! each poll brings).
//! Without `--bench` (`cargo test --benches`) every case runs at a tiny size.

#[path = "../support/mod.rs"]
mod support;

/// The same allocator as the server: glibc's malloc spent a fifth of the
/// RunTask clients' CPU consolidating, on cores the server needs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod load;
mod sim;

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use load::{RunPlan, call, rate_spread, run_tasks, stop_tasks, timed};
use sim::{FleetShape, Simulator};
use support::http::Client;
use support::server::{Server, berth_binary, cpu_secs, process_stat};
use support::{Summary, millis};

/// Sizes of one run.
struct Plan {
    instances: usize,
    tasks: u64,
    clients: usize,
    budget: Duration,
    groups: u64,
    per_group: u64,
    reads: usize,
    restarts: usize,
    /// How long an idle server's CPU is watched after a restart.
    idle: Duration,
    /// Hosts register the 33 attributes a Berth agent registers, not 4.
    agent_attributes: bool,
    /// How long a simulated host takes to report a new task RUNNING.
    ack_delay_ms: u64,
}

/// How long a simulated host takes to report a new task RUNNING unless
/// `BERTH_FLEET_ACK_DELAY_MS` says otherwise: faster than Docker's own
/// create-and-start here (about 195 ms), and kept so that sessions compare.
const ACK_DELAY_MS: u64 = 100;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

impl Plan {
    fn new() -> Plan {
        // `cargo bench` passes --bench; `cargo test --benches` does not.
        if std::env::args().any(|arg| arg == "--bench") {
            Plan {
                instances: env_or("BERTH_FLEET_INSTANCES", 5_000),
                tasks: env_or("BERTH_FLEET_TASKS", 100_000),
                clients: env_or("BERTH_FLEET_CLIENTS", 16),
                budget: Duration::from_secs(env_or("BERTH_FLEET_BUDGET_SECS", 300)),
                groups: env_or("BERTH_FLEET_GROUPS", 1_000),
                per_group: env_or("BERTH_FLEET_PER_GROUP", 10),
                reads: 200,
                restarts: 3,
                idle: Duration::from_secs(5),
                agent_attributes: env_or("BERTH_FLEET_AGENT_ATTRIBUTES", 0) == 1,
                ack_delay_ms: env_or("BERTH_FLEET_ACK_DELAY_MS", ACK_DELAY_MS),
            }
        } else {
            Plan {
                instances: 6,
                tasks: 40,
                clients: 2,
                budget: Duration::from_secs(60),
                groups: 2,
                per_group: 10,
                reads: 3,
                restarts: 1,
                idle: Duration::from_millis(200),
                agent_attributes: true,
                ack_delay_ms: ACK_DELAY_MS,
            }
        }
    }
}

const CLUSTER: &str = "fleet";
const FAMILY: &str = "fleet-web";
/// How long the fleet may take to register or to acknowledge tasks.
const FLEET_TIMEOUT: Duration = Duration::from_secs(600);

fn main() {
    let plan = Plan::new();
    let cases: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    let wanted = |case: &str| cases.is_empty() || cases.iter().any(|c| c == case);
    println!(
        "fleet bench: {} instances, {} tasks target, {} RunTask clients, budget {:?}, \
         tasks reported RUNNING {} ms after their assignment",
        plan.instances, plan.tasks, plan.clients, plan.budget, plan.ack_delay_ms
    );
    let binpack = json!([{"type": "binpack", "field": "memory"}]);
    let spread = json!([{"type": "spread", "field": "attribute:ecs.availability-zone"}]);
    let service = json!([
        {"type": "spread", "field": "attribute:ecs.availability-zone"},
        {"type": "spread", "field": "instanceId"}
    ]);
    if wanted("binpack") {
        placement_case(
            &plan,
            "binpack",
            binpack,
            plan.tasks,
            0,
            STANDARD_HOST,
            true,
        );
    }
    if wanted("spread") {
        placement_case(
            &plan,
            "spread-az",
            spread,
            plan.tasks,
            0,
            STANDARD_HOST,
            false,
        );
    }
    if wanted("c1m") {
        let total = plan.groups * plan.per_group;
        placement_case(
            &plan,
            "c1m",
            service,
            total,
            plan.per_group,
            C1M_HOST,
            false,
        );
    }
}

/// How often the control plane is asked whether every task is RUNNING.
const RUNNING_CHECK_EVERY: Duration = Duration::from_millis(20);

/// When DescribeClusters first counts `placed` tasks RUNNING in the fresh
/// cluster: the moment an ECS user sees them all running. The hosts'
/// acknowledgements trail it by up to a poll's wait, since reports that
/// ride on a poll are answered with it.
fn all_running_at(client: &mut Client, placed: u64) -> Instant {
    let deadline = Instant::now() + FLEET_TIMEOUT;
    loop {
        let answer = call(client, "DescribeClusters", &json!({"clusters": [CLUSTER]}));
        let running = answer["clusters"][0]["runningTasksCount"]
            .as_u64()
            .unwrap_or(0);
        if running >= placed {
            return Instant::now();
        }
        assert!(
            Instant::now() < deadline,
            "{running} of {placed} tasks RUNNING after {FLEET_TIMEOUT:?}"
        );
        std::thread::sleep(RUNNING_CHECK_EVERY);
    }
}

/// A host's CPU units and MiB: 4 vCPU and 16 GiB, room for 64 bench tasks.
const STANDARD_HOST: (u32, u32) = (4_096, 16_384);
/// 32 vCPU and 128 GiB (512 bench tasks), so 1,000,000 tasks fit on 5,000
/// hosts (C1M placed 200 per host).
const C1M_HOST: (u32, u32) = (32_768, 131_072);

/// One placement run on a fresh server and fleet of `host`-sized instances;
/// with `follow_up`, the read and restart measurements on the data it leaves.
fn placement_case(
    plan: &Plan,
    case: &str,
    strategy: Value,
    target: u64,
    per_group: u64,
    host: (u32, u32),
    follow_up: bool,
) {
    let binary = berth_binary();
    let data_dir = tempfile::tempdir().expect("a temporary directory");
    let server =
        Server::berth_with(&binary, "server", data_dir.path(), &[]).expect("berth server starts");
    let shape = FleetShape {
        cluster: CLUSTER,
        instances: plan.instances,
        zones: 3,
        cpu: host.0,
        memory: host.1,
        agent_attributes: plan.agent_attributes,
        ack_delay_ms: plan.ack_delay_ms,
    };
    let registering = Instant::now();
    let mut fleet =
        Simulator::start(&binary, &server.address, &shape).expect("berth simulate starts");
    fleet
        .wait_for("instances_registered", plan.instances as u64, FLEET_TIMEOUT)
        .expect("the fleet registers");
    let registered_in = registering.elapsed();
    let mut client = Client::new(&server.address);
    call(
        &mut client,
        "RegisterTaskDefinition",
        &json!({
            "family": FAMILY,
            "requiresCompatibilities": ["EC2"],
            "containerDefinitions": [{
                "name": "web", "image": "public.ecr.aws/nginx/nginx:1.27",
                "cpu": 64, "memory": 128, "essential": true,
                "environment": [{"name": "APP_ENV", "value": "bench"}]
            }]
        }),
    );
    let cpu_before = server.cpu_secs();
    let faults_before = minor_faults(server.pid());
    let machine_before = MachineTicks::now();
    // The simulated hosts and the RunTask clients share the server's cores.
    let simulator_cpu_before = cpu_secs(fleet.pid());
    let clients_cpu_before = cpu_secs(std::process::id());
    let polls_before = fleet.progress()["polls"].as_u64().unwrap_or(0);
    let started = Instant::now();
    let placement = run_tasks(&RunPlan {
        address: &server.address,
        cluster: CLUSTER,
        family: FAMILY,
        clients: plan.clients,
        target,
        budget: plan.budget,
        strategy,
        per_group,
    });
    let all_running = all_running_at(&mut client, placement.placed);
    // The window the CPU figures cover ends here, not with the hosts'
    // acknowledgements, which come up to a poll's wait later on a machine
    // with little left to do.
    let server_cpu = server.cpu_secs() - cpu_before;
    let simulator_cpu = cpu_secs(fleet.pid()) - simulator_cpu_before;
    let clients_cpu = cpu_secs(std::process::id()) - clients_cpu_before;
    let harness_cpu = simulator_cpu + clients_cpu;
    let server_faults = minor_faults(server.pid()).saturating_sub(faults_before);
    let machine = MachineTicks::now().since(&machine_before);
    let polls = fleet.progress()["polls"]
        .as_u64()
        .unwrap_or(0)
        .saturating_sub(polls_before);
    let running = fleet
        .wait_for("running_reported", placement.placed, FLEET_TIMEOUT)
        .expect("the fleet acknowledges every task");
    // The simulator times its acknowledgements from its own start.
    let last_running =
        Duration::from_secs_f64(running["last_running_secs"].as_f64().unwrap_or(0.0));
    let to_running = (fleet.spawned + last_running).saturating_duration_since(started);
    let (rss, hwm) = memory_kib(server.pid());
    let (median, p10, p90) = rate_spread(&placement.per_second);
    let mut latencies = placement.latencies.clone();
    let latency = Summary::of(&mut latencies);
    println!(
        "\n### {case}: {} instances registered in {:.1}s",
        plan.instances,
        registered_in.as_secs_f64()
    );
    println!("| measure | value |\n|---|---|");
    println!(
        "| tasks placed (acknowledged) | {} of {target}{} in {:.1}s, {} failures |",
        placement.placed,
        if placement.cut_short {
            " (time budget hit)"
        } else {
            ""
        },
        placement.elapsed.as_secs_f64(),
        placement.failures
    );
    println!(
        "| placements/s overall | {:.0} |",
        placement.placed as f64 / placement.elapsed.as_secs_f64().max(1e-9)
    );
    println!("| placements/s per 1-s window: median (p10–p90) | {median} ({p10}–{p90}) |");
    if let (Some(first), Some(last)) = (placement.per_second.first(), placement.per_second.last()) {
        println!("| placements/s first second → last whole second | {first} → {last} |");
    }
    if let Some(latency) = latency {
        println!(
            "| RunTask latency | p50 {} p90 {} p99 {} max {} |",
            millis(latency.p50),
            millis(latency.p90),
            millis(latency.p99),
            millis(latency.max)
        );
    }
    println!(
        "| RunTask calls over {} ms, by the second of the run they ended in (the slowest there) | {} |",
        load::SLOW_CALL.as_millis(),
        slow_calls(&placement.slow_by_second)
    );
    println!(
        "| first RunTask → every task RUNNING in DescribeClusters | {:.2}s |",
        all_running.saturating_duration_since(started).as_secs_f64()
    );
    println!(
        "| first RunTask → last RUNNING acknowledged to its host | {:.2}s |",
        to_running.as_secs_f64()
    );
    // CPU time is steadier than wall time on a shared machine.
    println!(
        "| server CPU from the first RunTask to every task RUNNING | {server_cpu:.1} s, {:.0} µs per task |",
        server_cpu * 1e6 / placement.placed.max(1) as f64
    );
    println!(
        "| simulator and RunTask clients' CPU in the same window | {harness_cpu:.1} s, {:.0} µs per task ({:.0} µs the simulator, {:.0} µs the clients) |",
        harness_cpu * 1e6 / placement.placed.max(1) as f64,
        simulator_cpu * 1e6 / placement.placed.max(1) as f64,
        clients_cpu * 1e6 / placement.placed.max(1) as f64
    );
    // Each answered poll is an exchange that the server and the simulator
    // both pay for; how many tasks one carries depends on how the
    // placements spread over the hosts, and on how fast the server is.
    println!(
        "| polls answered in the same window, per task | {:.2} |",
        polls as f64 / placement.placed.max(1) as f64
    );
    println!("| server's minor page faults in the same window | {server_faults} |");
    // Figures from a machine whose hypervisor took much of its CPUs are
    // not comparable with those of a quieter one.
    println!(
        "| the machine's CPUs in the same window: busy / idle / stolen by the hypervisor | {} |",
        machine.shares()
    );
    println!(
        "| server RSS now / peak | {} MiB / {} MiB |",
        rss / 1024,
        hwm / 1024
    );
    // How the placements spread decides how many tasks each poll brings.
    let mut per_host = tasks_per_host(&mut client);
    per_host.sort_unstable();
    if let (Some(least), Some(most)) = (per_host.first(), per_host.last()) {
        println!(
            "| hosts with tasks, of all; tasks per host: least / median / most | {} of {}; {least} / {} / {most} |",
            per_host.iter().filter(|&&tasks| tasks > 0).count(),
            per_host.len(),
            per_host[per_host.len() / 2]
        );
    }
    if follow_up {
        reads(plan, &server.address, &placement.arns);
    }
    let summary = fleet.stop().expect("simulate stops with a summary");
    println!("| simulator | {summary} |");
    if follow_up {
        restarts(plan, &binary, server, data_dir.path(), placement.placed);
    }
}

/// The running and pending tasks of every instance of the cluster, from
/// ListContainerInstances and DescribeContainerInstances a page at a time.
fn tasks_per_host(client: &mut Client) -> Vec<u64> {
    let mut counts = Vec::new();
    let mut next_token: Option<String> = None;
    loop {
        let mut list = json!({"cluster": CLUSTER, "maxResults": 100});
        if let Some(token) = &next_token {
            list["nextToken"] = json!(token);
        }
        let page = call(client, "ListContainerInstances", &list);
        let arns = page["containerInstanceArns"].clone();
        if arns.as_array().is_some_and(|arns| !arns.is_empty()) {
            let described = call(
                client,
                "DescribeContainerInstances",
                &json!({"cluster": CLUSTER, "containerInstances": arns}),
            );
            for instance in described["containerInstances"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let count = |member: &str| instance[member].as_u64().unwrap_or(0);
                counts.push(count("runningTasksCount") + count("pendingTasksCount"));
            }
        }
        match page["nextToken"].as_str() {
            Some(token) => next_token = Some(token.to_owned()),
            None => return counts,
        }
    }
}

/// DescribeTasks (100 ARNs), ListTasks and filtered ListContainerInstances
/// on the stored data; then ListTasks again once the older half of the
/// tasks is stopped.
fn reads(plan: &Plan, address: &str, arns: &[String]) {
    if arns.is_empty() {
        return;
    }
    let row = |name: &str, summary: Option<Summary>| {
        if let Some(s) = summary {
            println!(
                "| {name} | p50 {} p90 {} p99 {} (n={}) |",
                millis(s.p50),
                millis(s.p90),
                millis(s.p99),
                s.count
            );
        }
    };
    row(
        "DescribeTasks, 100 ARNs",
        timed(address, "DescribeTasks", plan.reads, |i| {
            let batch: Vec<&String> = arns
                .iter()
                .cycle()
                .skip(i * 100 % arns.len())
                .take(100.min(arns.len()))
                .collect();
            json!({"cluster": CLUSTER, "tasks": batch})
        }),
    );
    row(
        "ListTasks, first page of 100",
        timed(
            address,
            "ListTasks",
            plan.reads,
            |_| json!({"cluster": CLUSTER, "maxResults": 100}),
        ),
    );
    row(
        "ListTasks, desiredStatus RUNNING, family, first page",
        timed(
            address,
            "ListTasks",
            plan.reads,
            |_| json!({"cluster": CLUSTER, "family": FAMILY, "desiredStatus": "RUNNING", "maxResults": 100}),
        ),
    );
    row(
        "ListContainerInstances, filter `attribute:ecs.availability-zone == us-east-1a`, first page",
        timed(
            address,
            "ListContainerInstances",
            plan.reads,
            |_| json!({"cluster": CLUSTER, "filter": "attribute:ecs.availability-zone == us-east-1a", "maxResults": 100}),
        ),
    );
    // No instance matches: the listing reads all of them for an empty page.
    row(
        "ListContainerInstances, filter `attribute:ecs.instance-type == none` (no match), first page",
        timed(
            address,
            "ListContainerInstances",
            plan.reads,
            |_| json!({"cluster": CLUSTER, "filter": "attribute:ecs.instance-type == none", "maxResults": 100}),
        ),
    );
    // Counts every instance registered in the cluster.
    row(
        "DescribeClusters, 1 cluster",
        timed(
            address,
            "DescribeClusters",
            plan.reads,
            |_| json!({"clusters": [CLUSTER]}),
        ),
    );
    let listed = call(
        &mut Client::new(address),
        "ListContainerInstances",
        &json!({"cluster": CLUSTER, "maxResults": 100}),
    );
    let instances = listed["containerInstanceArns"].clone();
    row(
        "DescribeContainerInstances, 100 instances",
        timed(
            address,
            "DescribeContainerInstances",
            plan.reads,
            |_| json!({"cluster": CLUSTER, "containerInstances": instances}),
        ),
    );
    // A filter on what runs where needs each instance's task counts: a
    // tenth as many calls, as it once read every task of the cluster.
    row(
        "ListContainerInstances, filter `runningTasksCount > 0`, first page",
        timed(
            address,
            "ListContainerInstances",
            (plan.reads / 10).max(1),
            |_| json!({"cluster": CLUSTER, "filter": "runningTasksCount > 0", "maxResults": 100}),
        ),
    );
    // Stopped tasks stay stored for the hour of retention, and ids grow
    // with time, so the oldest tasks stopped come first in id order: the
    // listing of tasks to keep running must not have to read past them.
    let mut oldest = arns.to_vec();
    oldest.sort();
    oldest.truncate(arns.len() / 2);
    stop_tasks(address, CLUSTER, &oldest, plan.clients);
    row(
        &format!(
            "ListTasks, first page of 100, after StopTask of the oldest {}",
            oldest.len()
        ),
        timed(
            address,
            "ListTasks",
            plan.reads,
            |_| json!({"cluster": CLUSTER, "maxResults": 100}),
        ),
    );
}

/// Stops the server and starts it again over the same data, `restarts` times.
fn restarts(
    plan: &Plan,
    binary: &std::path::Path,
    server: Server,
    data_dir: &std::path::Path,
    tasks: u64,
) {
    // A crash first: the next start replays the store's write-ahead log
    // (what was committed since its last checkpoint) before it is ready.
    server.crash();
    let log = data_dir.join("store").join(berth_store::embedded::WAL_FILE);
    let log = std::fs::read(&log).unwrap_or_default();
    // A log started in a spare file of zeros: its records end where the
    // zeros start (give or take a record's own last zero bytes).
    let records = log
        .iter()
        .rposition(|&byte| byte != 0)
        .map_or(0, |last| last + 1);
    let recovered = Server::berth_with(binary, "server", data_dir, &[]).expect("berth restarts");
    let mib = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
    println!(
        "| restart after SIGKILL with {tasks} tasks and {} instances, replaying {:.1} MiB of write-ahead log (a {:.1} MiB file): spawn → ready line | {} |",
        plan.instances,
        mib(records),
        mib(log.len()),
        millis(recovered.start_to_ready)
    );
    recovered.stop().expect("berth stops");
    let mut ready = Vec::new();
    let mut answering = Vec::new();
    let mut viewed = Vec::new();
    let mut viewed_peak_kib = 0;
    for _ in 0..plan.restarts {
        let started = Instant::now();
        let server = Server::berth_with(binary, "server", data_dir, &[]).expect("berth restarts");
        ready.push(server.start_to_ready);
        let mut client = Client::new(&server.address);
        call(
            &mut client,
            "ListTasks",
            &json!({"cluster": CLUSTER, "maxResults": 1}),
        );
        answering.push(started.elapsed());
        // The first call that needs the cluster's view loads it: every
        // host and task record of the cluster is read once.
        let loading = Instant::now();
        call(
            &mut client,
            "DescribeClusters",
            &json!({"clusters": [CLUSTER]}),
        );
        viewed.push(loading.elapsed());
        viewed_peak_kib = viewed_peak_kib.max(memory_kib(server.pid()).1);
        server.stop().expect("berth stops");
    }
    let ready = Summary::of(&mut ready);
    let answering = Summary::of(&mut answering);
    let viewed = Summary::of(&mut viewed);
    if let (Some(ready), Some(answering), Some(viewed)) = (ready, answering, viewed) {
        println!(
            "| restart with {tasks} tasks and {} instances: spawn → ready line, median (max) of {} | {} ({}); first ListTasks answered {} ({}); then first DescribeClusters (loads the cluster view) {} ({}), server peak RSS by then {} MiB at most |",
            plan.instances,
            ready.count,
            millis(ready.p50),
            millis(ready.max),
            millis(answering.p50),
            millis(answering.max),
            millis(viewed.p50),
            millis(viewed.max),
            viewed_peak_kib / 1024
        );
    }
    // After a start every client's first call needs the view at once.
    let server = Server::berth_with(binary, "server", data_dir, &[]).expect("berth restarts");
    let herd = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..plan.clients {
            scope.spawn(|| {
                call(
                    &mut Client::new(&server.address),
                    "DescribeClusters",
                    &json!({"clusters": [CLUSTER]}),
                );
            });
        }
    });
    let herd = herd.elapsed();
    let herd_peak_kib = memory_kib(server.pid()).1;
    server.stop().expect("berth stops");
    println!(
        "| restart with {tasks} tasks stored, then {} DescribeClusters at once, each needing the cluster view: all answered | {}, server peak RSS by then {} MiB |",
        plan.clients,
        millis(herd),
        herd_peak_kib / 1024
    );
    // An idle server's controllers start with a pass each: retention's
    // read every task record until it had an index of stopped tasks.
    let server = Server::berth_with(binary, "server", data_dir, &[]).expect("berth restarts");
    let cpu_before = server.cpu_secs();
    std::thread::sleep(plan.idle);
    let idle_cpu = server.cpu_secs() - cpu_before;
    server.stop().expect("berth stops");
    println!(
        "| idle server after a restart with {tasks} tasks stored: CPU in its first {:.1} s after ready | {idle_cpu:.2} s |",
        plan.idle.as_secs_f64()
    );
}

/// `slow_by_second` as "<total>: <n> at <second> s (<slowest>), …", the
/// first dozen seconds only.
fn slow_calls(slow_by_second: &std::collections::BTreeMap<u64, (usize, Duration)>) -> String {
    let total: usize = slow_by_second.values().map(|(n, _)| n).sum();
    if total == 0 {
        return "none".to_owned();
    }
    let seconds: Vec<String> = slow_by_second
        .iter()
        .take(12)
        .map(|(second, (n, slowest))| format!("{n} at {second} s ({})", millis(*slowest)))
        .collect();
    let more = if slow_by_second.len() > 12 {
        ", …"
    } else {
        ""
    };
    format!("{total}: {}{more}", seconds.join(", "))
}

/// Minor page faults of process `pid` so far (field 10 of its stat).
fn minor_faults(pid: u32) -> u64 {
    process_stat(pid).get(7).copied().unwrap_or(0)
}

/// The machine's CPU time so far, from the `cpu` line of `/proc/stat`, in
/// clock ticks: all of it, idle (with I/O wait), and stolen.
#[derive(Debug, Default, Clone, Copy)]
struct MachineTicks {
    total: u64,
    idle: u64,
    steal: u64,
}

impl MachineTicks {
    fn now() -> MachineTicks {
        let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
        let Some(line) = stat.lines().find(|line| line.starts_with("cpu ")) else {
            return MachineTicks::default();
        };
        // user nice system idle iowait irq softirq steal guest guest_nice;
        // guest time is already counted in user and nice.
        let fields: Vec<u64> = line
            .split_whitespace()
            .skip(1)
            .map(|field| field.parse().unwrap_or(0))
            .collect();
        let field = |n: usize| fields.get(n).copied().unwrap_or(0);
        MachineTicks {
            total: (0..8).map(field).sum(),
            idle: field(3) + field(4),
            steal: field(7),
        }
    }

    fn since(&self, earlier: &MachineTicks) -> MachineTicks {
        MachineTicks {
            total: self.total.saturating_sub(earlier.total),
            idle: self.idle.saturating_sub(earlier.idle),
            steal: self.steal.saturating_sub(earlier.steal),
        }
    }

    fn shares(&self) -> String {
        if self.total == 0 {
            return "unknown".to_owned();
        }
        let percent = |ticks: u64| ticks as f64 * 100.0 / self.total as f64;
        let busy = self.total.saturating_sub(self.idle + self.steal);
        format!(
            "{:.0}% / {:.0}% / {:.0}%",
            percent(busy),
            percent(self.idle),
            percent(self.steal)
        )
    }
}

/// VmRSS and VmHWM of process `pid`, KiB.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
