//! RegisterTaskDefinition and DescribeTaskDefinition through the real HTTP
//! stack: the release `berth up` binary on a socket, driven by keep-alive
//! HTTP/1.1 clients, next to the peers named in `$BERTH_BENCH_PEERS`.
//!
//! Run: `cargo bench -p berth --bench api` (add
//! `BERTH_BENCH_PEERS=moto,fakecloud` to compare); `cargo test -p berth
//! --benches` runs each case once.

mod support;

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use support::http::Client;
use support::server::{Server, berth_binary};
use support::{ECS_TARGET, Peers, Summary, describe_task_definition, task_definition};

/// Concurrent clients in the throughput case.
const CLIENTS: usize = 64;

/// Revisions registered in the family that DescribeTaskDefinition reads,
/// so every server answers over the same data.
const DESCRIBE_REVISIONS: usize = 20;

fn target(operation: &str) -> String {
    format!("{ECS_TARGET}.{operation}")
}

/// Sends one request and insists on a 200: a bench over errors measures
/// nothing.
fn call(client: &mut Client, target: &str, body: &[u8], server: &str) {
    match client.post_aws_json(target, body) {
        Ok(response) if response.status == 200 => {}
        Ok(response) => panic!(
            "{server}: {target} answered {}: {}",
            response.status,
            String::from_utf8_lossy(&response.body)
        ),
        Err(error) => panic!("{server}: {target} failed: {error}"),
    }
}

/// Every request latency one bench case saw, for percentiles (criterion
/// reports the mean per iteration only).
#[derive(Default, Clone)]
struct Recorder(Arc<Mutex<Vec<Duration>>>);

impl Recorder {
    fn record(&self, latencies: &[Duration]) {
        if let Ok(mut all) = self.0.lock() {
            all.extend_from_slice(latencies);
        }
    }

    /// Prints the case's latencies and the server's CPU time per request
    /// since `cpu_before` (its `cpu_secs` when the case started).
    fn report(&self, case: &str, server: &Server, cpu_before: f64) {
        let Ok(mut all) = self.0.lock() else { return };
        let requests = all.len();
        if let Some(summary) = Summary::of(&mut all) {
            println!("latency {case}: {summary} (every request, warm-up included)");
        }
        if requests > 0 {
            let cpu = server.cpu_secs() - cpu_before;
            println!(
                "server CPU {case}: {:.3} ms per request ({cpu:.2} s over {requests})",
                cpu * 1e3 / requests as f64
            );
        }
        all.clear();
    }
}

/// Runs `body` on `client` `iters` times, timing each request.
fn timed_loop(
    client: &mut Client,
    target: &str,
    body: &[u8],
    server: &str,
    iters: u64,
    recorder: &Recorder,
) -> Duration {
    let mut latencies = Vec::with_capacity(usize::try_from(iters).unwrap_or(0));
    let started = Instant::now();
    for _ in 0..iters {
        let request_started = Instant::now();
        call(client, target, body, server);
        latencies.push(request_started.elapsed());
    }
    let total = started.elapsed();
    recorder.record(&latencies);
    total
}

/// `CLIENTS` threads, each with its own keep-alive connection and its own
/// family, that register task definitions on demand.
struct LoadPool {
    workers: Vec<(mpsc::Sender<u64>, JoinHandle<()>)>,
    done: mpsc::Receiver<Vec<Duration>>,
}

impl LoadPool {
    fn new(address: &str, server: &'static str) -> LoadPool {
        let (done_sender, done) = mpsc::channel();
        let workers = (0..CLIENTS)
            .map(|index| {
                let (jobs, job_receiver) = mpsc::channel::<u64>();
                let done_sender = done_sender.clone();
                let mut client = Client::new(address);
                let body = task_definition(&format!("bench-load-{index}"));
                let target = target("RegisterTaskDefinition");
                let handle = std::thread::spawn(move || {
                    for count in job_receiver {
                        let mut latencies = Vec::new();
                        for _ in 0..count {
                            let started = Instant::now();
                            call(&mut client, &target, &body, server);
                            latencies.push(started.elapsed());
                        }
                        if done_sender.send(latencies).is_err() {
                            break;
                        }
                    }
                });
                (jobs, handle)
            })
            .collect();
        LoadPool { workers, done }
    }

    /// Registers `total` definitions spread over all clients at once;
    /// returns the wall time until the last was acknowledged.
    fn run(&self, total: u64, recorder: &Recorder) -> Duration {
        let n_workers = self.workers.len() as u64;
        let started = Instant::now();
        for (worker_idx, (jobs, _)) in self.workers.iter().enumerate() {
            let share = total / n_workers + u64::from((worker_idx as u64) < total % n_workers);
            jobs.send(share).expect("a load worker died");
        }
        for _ in 0..self.workers.len() {
            let latencies = self.done.recv().expect("a load worker died");
            recorder.record(&latencies);
        }
        started.elapsed()
    }
}

impl Drop for LoadPool {
    fn drop(&mut self) {
        for (jobs, handle) in self.workers.drain(..) {
            drop(jobs);
            let _ = handle.join();
        }
    }
}

/// Berth and each requested peer, started once for the whole run.
fn start_servers() -> Vec<Server> {
    let mut servers = vec![Server::berth_fresh(&berth_binary()).expect("berth starts")];
    let peers = Peers::from_env();
    if let Some(python) = &peers.moto_python {
        servers.push(Server::moto(python).expect("moto starts"));
    }
    if let Some(binary) = &peers.fakecloud {
        servers.push(Server::fakecloud(binary).expect("fakecloud starts"));
    }
    for server in &servers {
        println!(
            "{} at {} (ready after {:.1} ms)",
            server.name,
            server.address,
            server.start_to_ready.as_secs_f64() * 1e3
        );
    }
    servers
}

fn api_benches(c: &mut Criterion) {
    let servers = start_servers();
    let recorder = Recorder::default();
    let register = target("RegisterTaskDefinition");
    let describe = target("DescribeTaskDefinition");

    let mut group = c.benchmark_group("register_task_definition");
    group.throughput(Throughput::Elements(1));
    for server in &servers {
        let mut client = Client::new(&server.address);
        let body = task_definition("bench-web");
        let cpu_before = server.cpu_secs();
        group.bench_function(server.name, |b| {
            b.iter_custom(|iters| {
                timed_loop(&mut client, &register, &body, server.name, iters, &recorder)
            })
        });
        let case = format!("register_task_definition/{}", server.name);
        recorder.report(&case, server, cpu_before);
    }
    group.finish();

    let mut group = c.benchmark_group("describe_task_definition");
    group.throughput(Throughput::Elements(1));
    for server in &servers {
        let mut client = Client::new(&server.address);
        let family = "bench-describe";
        let definition = task_definition(family);
        for _ in 0..DESCRIBE_REVISIONS {
            call(&mut client, &register, &definition, server.name);
        }
        let body = describe_task_definition(family);
        let cpu_before = server.cpu_secs();
        group.bench_function(server.name, |b| {
            b.iter_custom(|iters| {
                timed_loop(&mut client, &describe, &body, server.name, iters, &recorder)
            })
        });
        let case = format!("describe_task_definition/{}", server.name);
        recorder.report(&case, server, cpu_before);
    }
    group.finish();

    let mut group = c.benchmark_group(format!("register_task_definition_{CLIENTS}_clients"));
    group.throughput(Throughput::Elements(1));
    for server in &servers {
        let pool = LoadPool::new(&server.address, server.name);
        let cpu_before = server.cpu_secs();
        group.bench_function(server.name, |b| {
            b.iter_custom(|iters| pool.run(iters, &recorder))
        });
        let case = format!("register_task_definition_{CLIENTS}_clients/{}", server.name);
        recorder.report(&case, server, cpu_before);
    }
    group.finish();

    for server in servers {
        let name = server.name;
        match server.rss_kib() {
            Ok(rss) => println!("{name}: RSS after the run {} MiB", rss / 1024),
            Err(error) => println!("{name}: RSS unavailable: {error}"),
        }
        if let Err(error) = server.stop() {
            eprintln!("{name}: {error}");
        }
    }
}

criterion_group!(benches, api_benches);
criterion_main!(benches);
