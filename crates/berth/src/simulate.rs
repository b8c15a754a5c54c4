//! `berth simulate`: thousands of simulated hosts in one process, each
//! speaking the real agent protocol to a real server over HTTP, without
//! Docker. It is how Berth is load-tested at the scale of thousands of
//! instances per cluster; it stops by itself and prints what it saw.

mod agent;
mod client;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use clap::{Args, ValueEnum};
use serde::Serialize;
use tokio::sync::{Semaphore, watch};

use agent::Fleet;
use client::{ClientError, HttpClient};

/// Options of `berth simulate`.
#[derive(Debug, Clone, Args)]
pub struct SimulateArgs {
    /// The server to load, `http://host:port`.
    #[arg(long, default_value = "http://127.0.0.1:4510", env = "BERTH_ENDPOINT")]
    pub endpoint: String,
    /// Cluster the simulated hosts join.
    #[arg(long, default_value = "default")]
    pub cluster: String,
    /// Create the cluster first (CreateCluster is idempotent).
    #[arg(long)]
    pub create_cluster: bool,
    /// How many hosts to simulate.
    #[arg(long, default_value_t = 100)]
    pub instances: usize,
    /// Availability zones the hosts are spread over (`us-east-1a`, …).
    #[arg(long, default_value_t = 3)]
    pub zones: u32,
    /// CPU units of each host.
    #[arg(long, default_value_t = 4096)]
    pub cpu: u32,
    /// Memory of each host, MiB.
    #[arg(long, default_value_t = 16384)]
    pub memory: u32,
    /// Seconds to run; 0 runs until interrupted.
    #[arg(long, default_value_t = 60)]
    pub run_for: u64,
    /// Stop once this many tasks were acknowledged RUNNING.
    #[arg(long)]
    pub until_running: Option<u64>,
    /// Seconds a task runs before it exits by itself (default: until stopped).
    #[arg(long)]
    pub stop_after: Option<u64>,
    /// Milliseconds between first seeing a task and reporting it RUNNING.
    #[arg(long, default_value_t = 200)]
    pub ack_delay_ms: u64,
    /// How long each long poll (the heartbeat) may be held open, ms.
    #[arg(long, default_value_t = 20_000)]
    pub poll_wait_ms: u64,
    /// Most requests open at once, long polls included. Below
    /// `--instances`, hosts take turns polling. Each host keeps its own
    /// connection whatever the bound (and a second once it reports while a
    /// poll is open), so the simulator and the server need a file
    /// descriptor or two per host.
    #[arg(long, default_value_t = 8192)]
    pub connections: usize,
    /// Register the attributes a Berth agent on a current Docker Engine
    /// registers (33: the built-in ones and a capability per Docker API
    /// version), not the four a simulated host needs, so instance records
    /// are as large as real ones.
    #[arg(long)]
    pub agent_attributes: bool,
    /// Host ids are `<prefix>-<n>`; the same prefix re-registers the same
    /// container instances on a rerun.
    #[arg(long, default_value = "sim")]
    pub host_prefix: String,
    /// Seconds between progress lines on stderr; 0 prints none.
    #[arg(long, default_value_t = 5)]
    pub progress_every: u64,
    /// Summary format on stdout (progress lines follow it on stderr).
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

/// How the summary is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Text,
    Json,
}

/// Why the simulation could not run.
#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    #[error(transparent)]
    Client(#[from] ClientError),
    /// CreateCluster was refused.
    #[error("CreateCluster answered {status}: {body}")]
    CreateCluster { status: u16, body: String },
    /// Nothing to simulate.
    #[error("--instances must be at least 1")]
    NoInstances,
}

/// Counters every simulated host adds to.
#[derive(Debug, Default)]
pub struct Stats {
    pub registered: AtomicU64,
    pub register_errors: AtomicU64,
    pub polls: AtomicU64,
    pub poll_errors: AtomicU64,
    /// Report requests of their own (reports riding on polls not counted).
    pub report_requests: AtomicU64,
    pub tasks_seen: AtomicU64,
    pub running_reported: AtomicU64,
    pub stopped_reported: AtomicU64,
    pub report_errors: AtomicU64,
    /// When a task was first seen / last acknowledged RUNNING, ms since the
    /// run began (0: never).
    pub first_seen_ms: AtomicU64,
    pub last_running_ms: AtomicU64,
}

impl Stats {
    fn add(&self, counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    fn seen_at(&self, ms: u64) {
        // Keeps the earliest non-zero time.
        let _ = self
            .first_seen_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |current| {
                (current == 0 || ms < current).then_some(ms.max(1))
            });
    }

    fn running_at(&self, ms: u64) {
        self.last_running_ms.fetch_max(ms, Ordering::Relaxed);
    }

    fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    /// The counters now.
    pub fn snapshot(&self, elapsed: Duration) -> Summary {
        let ms = |counter: &AtomicU64| Some(Stats::get(counter)).filter(|ms| *ms > 0);
        Summary {
            elapsed_secs: elapsed.as_secs_f64(),
            instances_registered: Stats::get(&self.registered),
            register_errors: Stats::get(&self.register_errors),
            polls: Stats::get(&self.polls),
            poll_errors: Stats::get(&self.poll_errors),
            report_requests: Stats::get(&self.report_requests),
            tasks_seen: Stats::get(&self.tasks_seen),
            running_reported: Stats::get(&self.running_reported),
            stopped_reported: Stats::get(&self.stopped_reported),
            report_errors: Stats::get(&self.report_errors),
            first_task_seen_secs: ms(&self.first_seen_ms).map(|ms| ms as f64 / 1e3),
            last_running_secs: ms(&self.last_running_ms).map(|ms| ms as f64 / 1e3),
            peak_rss_kib: peak_rss_kib(),
        }
    }
}

/// What a run saw; printed at the end (and in progress lines).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub elapsed_secs: f64,
    /// Registrations that succeeded (re-registrations included).
    pub instances_registered: u64,
    pub register_errors: u64,
    pub polls: u64,
    pub poll_errors: u64,
    /// Requests that carried only reports.
    pub report_requests: u64,
    /// Distinct task assignments seen.
    pub tasks_seen: u64,
    /// RUNNING reports the server acknowledged.
    pub running_reported: u64,
    /// STOPPED reports the server acknowledged.
    pub stopped_reported: u64,
    pub report_errors: u64,
    /// Seconds from the start to the first assignment seen.
    pub first_task_seen_secs: Option<f64>,
    /// Seconds from the start to the last RUNNING acknowledgement.
    pub last_running_secs: Option<f64>,
    /// The simulator's own peak memory (VmHWM).
    pub peak_rss_kib: Option<u64>,
}

impl Summary {
    /// Every error the run met.
    pub fn errors(&self) -> u64 {
        self.register_errors + self.poll_errors + self.report_errors
    }

    fn text(&self) -> String {
        let secs =
            |value: Option<f64>| value.map_or_else(|| "-".to_owned(), |s| format!("{s:.3}s"));
        format!(
            "elapsed {:.1}s: {} instances registered, {} polls, {} report requests, {} tasks seen, {} RUNNING and {} STOPPED reported, {} errors (register {}, poll {}, report {}); first task seen at {}, last RUNNING at {}; simulator peak RSS {}",
            self.elapsed_secs,
            self.instances_registered,
            self.polls,
            self.report_requests,
            self.tasks_seen,
            self.running_reported,
            self.stopped_reported,
            self.errors(),
            self.register_errors,
            self.poll_errors,
            self.report_errors,
            secs(self.first_task_seen_secs),
            secs(self.last_running_secs),
            self.peak_rss_kib
                .map_or_else(|| "-".to_owned(), |kib| format!("{} MiB", kib / 1024)),
        )
    }

    fn render(&self, output: Output) -> String {
        match output {
            Output::Text => self.text(),
            Output::Json => serde_json::to_string(self).unwrap_or_default(),
        }
    }
}

/// Registrations in flight at once.
const REGISTER_CONCURRENCY: usize = 64;

/// Runs the fleet until `--run-for` passes, `--until-running` is reached or
/// SIGINT/SIGTERM arrives; prints and returns the summary.
pub async fn run(args: SimulateArgs) -> Result<Summary, SimulateError> {
    if args.instances == 0 {
        return Err(SimulateError::NoInstances);
    }
    let client = HttpClient::new(&args.endpoint, args.connections)?;
    if args.create_cluster {
        create_cluster(&client, &args.cluster).await?;
    }
    let started = tokio::time::Instant::now();
    let stats = Arc::new(Stats::default());
    let fleet = Arc::new(Fleet {
        client,
        stats: stats.clone(),
        cluster: args.cluster.clone(),
        cpu: args.cpu,
        memory_mib: args.memory,
        zones: args.zones,
        agent_attributes: args.agent_attributes,
        host_prefix: args.host_prefix.clone(),
        ack_delay_ms: args.ack_delay_ms,
        stop_after_ms: args.stop_after.map(|s| s.saturating_mul(1000)),
        poll_wait_ms: args.poll_wait_ms,
        epoch: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_secs()),
        register_permits: Semaphore::new(REGISTER_CONCURRENCY),
        started,
    });
    let (stop_sender, stop_receiver) = watch::channel(false);
    let mut agents = tokio::task::JoinSet::new();
    for index in 0..args.instances {
        agents.spawn(agent::run(fleet.clone(), index, stop_receiver.clone()));
    }
    watch_for_end(&args, &stats, started).await;
    let _ = stop_sender.send(true);
    while agents.join_next().await.is_some() {}
    let summary = stats.snapshot(started.elapsed());
    println!("{}", summary.render(args.output));
    Ok(summary)
}

/// Returns when the run should end, printing progress meanwhile.
async fn watch_for_end(args: &SimulateArgs, stats: &Stats, started: tokio::time::Instant) {
    let deadline = (args.run_for > 0).then(|| started + Duration::from_secs(args.run_for));
    let mut next_progress =
        (args.progress_every > 0).then(|| started + Duration::from_secs(args.progress_every));
    let signal = interrupted();
    tokio::pin!(signal);
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    loop {
        tokio::select! {
            () = &mut signal => return,
            _ = tick.tick() => {}
        }
        let now = tokio::time::Instant::now();
        if let Some(target) = args.until_running
            && Stats::get(&stats.running_reported) >= target
        {
            return;
        }
        if deadline.is_some_and(|deadline| now >= deadline) {
            return;
        }
        if let Some(at) = next_progress
            && now >= at
        {
            eprintln!(
                "simulate: {}",
                stats.snapshot(now - started).render(args.output)
            );
            next_progress = Some(at + Duration::from_secs(args.progress_every));
        }
    }
}

/// Resolves on SIGINT or SIGTERM (SIGINT alone where there is no SIGTERM).
async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

async fn create_cluster(client: &HttpClient, cluster: &str) -> Result<(), SimulateError> {
    let body = serde_json::json!({ "clusterName": cluster }).to_string();
    let answer = client
        .link()
        .post_ecs("CreateCluster", body.into_bytes(), Duration::from_secs(60))
        .await?;
    if answer.status != hyper::StatusCode::OK {
        return Err(SimulateError::CreateCluster {
            status: answer.status.as_u16(),
            body: String::from_utf8_lossy(&answer.body).into_owned(),
        });
    }
    Ok(())
}

/// This process's peak resident memory, KiB (Linux only).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(summary: &Summary, output: Output, expected: &str) {
        assert_eq!(summary.render(output), expected);
    }

    #[test]
    fn summaries_render_as_text_and_json() {
        let summary = Summary {
            elapsed_secs: 12.5,
            instances_registered: 5,
            register_errors: 1,
            polls: 40,
            poll_errors: 2,
            report_requests: 7,
            tasks_seen: 30,
            running_reported: 30,
            stopped_reported: 10,
            report_errors: 0,
            first_task_seen_secs: Some(1.25),
            last_running_secs: None,
            peak_rss_kib: Some(20_480),
        };
        check(
            &summary,
            Output::Text,
            "elapsed 12.5s: 5 instances registered, 40 polls, 7 report requests, 30 tasks seen, 30 RUNNING and 10 STOPPED reported, 3 errors (register 1, poll 2, report 0); first task seen at 1.250s, last RUNNING at -; simulator peak RSS 20 MiB",
        );
        check(
            &summary,
            Output::Json,
            r#"{"elapsed_secs":12.5,"instances_registered":5,"register_errors":1,"polls":40,"poll_errors":2,"report_requests":7,"tasks_seen":30,"running_reported":30,"stopped_reported":10,"report_errors":0,"first_task_seen_secs":1.25,"last_running_secs":null,"peak_rss_kib":20480}"#,
        );
    }

    #[test]
    fn stats_keep_the_earliest_sighting_and_latest_ack() {
        let stats = Stats::default();
        for ms in [500, 200, 900] {
            stats.seen_at(ms);
            stats.running_at(ms);
        }
        let summary = stats.snapshot(Duration::from_secs(1));
        assert_eq!(summary.first_task_seen_secs, Some(0.2));
        assert_eq!(summary.last_running_secs, Some(0.9));
    }
}
