//! `berth up` start-to-ready time and idle memory: spawns the real binary
//! many times (fresh and existing data directories), times spawn to the
//! ready line, and reads VmRSS after 2 s idle. Prints a Markdown table.
//!
//! Run: `cargo bench -p berth --bench startup` (add
//! `BERTH_BENCH_PEERS=moto,fakecloud` to measure the peers too);
//! `cargo test -p berth --benches` does one quick round.

mod support;

use std::time::Duration;

use support::http::Client;
use support::server::{Server, berth_binary};
use support::{ECS_TARGET, Peers, Summary, millis, task_definition};

/// Settings for a full run or a quick test-mode round.
struct Plan {
    runs: usize,
    peer_runs: usize,
    idle: Duration,
    existing_definitions: usize,
}

impl Plan {
    fn new() -> Plan {
        // `cargo bench` passes --bench; `cargo test --benches` does not.
        if std::env::args().any(|arg| arg == "--bench") {
            Plan {
                runs: 20,
                peer_runs: 10,
                idle: Duration::from_secs(2),
                existing_definitions: 1_000,
            }
        } else {
            Plan {
                runs: 1,
                peer_runs: 1,
                idle: Duration::from_millis(100),
                existing_definitions: 10,
            }
        }
    }
}

/// One table row.
struct Row {
    case: String,
    summary: Summary,
    idle_rss_kib: u64,
}

/// Starts a server `runs` times with `start`; the first run also idles and
/// reads its RSS.
fn measure(
    case: &str,
    runs: usize,
    idle: Duration,
    mut start: impl FnMut() -> Server,
) -> Option<Row> {
    let mut times = Vec::with_capacity(runs);
    let mut idle_rss_kib = 0;
    for run_idx in 0..runs {
        let server = start();
        times.push(server.start_to_ready);
        if run_idx == 0 {
            std::thread::sleep(idle);
            idle_rss_kib = server.rss_kib().expect("VmRSS is readable");
        }
        server.stop().expect("the server stops on SIGTERM");
    }
    Some(Row {
        case: case.to_owned(),
        summary: Summary::of(&mut times)?,
        idle_rss_kib,
    })
}

/// Fills `data_dir` with `count` task definitions in 16 families, so the
/// "existing" case opens a store that holds something.
fn populate(data_dir: &std::path::Path, count: usize) {
    let server = Server::berth(&berth_binary(), data_dir).expect("berth starts");
    let mut client = Client::new(&server.address);
    let target = format!("{ECS_TARGET}.RegisterTaskDefinition");
    for index in 0..count {
        let body = task_definition(&format!("startup-{}", index % 16));
        let response = client
            .post_aws_json(&target, &body)
            .expect("RegisterTaskDefinition answers");
        assert_eq!(
            response.status,
            200,
            "RegisterTaskDefinition failed: {}",
            String::from_utf8_lossy(&response.body)
        );
    }
    server.stop().expect("berth stops on SIGTERM");
}

fn main() {
    let plan = Plan::new();
    let binary = berth_binary();
    let mut rows = Vec::new();

    rows.extend(measure(
        "berth up, fresh data dir",
        plan.runs,
        plan.idle,
        || Server::berth_fresh(&binary).expect("berth starts"),
    ));

    let existing = tempfile::tempdir().expect("a temp dir");
    populate(existing.path(), plan.existing_definitions);
    let case = format!(
        "berth up, existing data dir ({} task definitions)",
        plan.existing_definitions
    );
    rows.extend(measure(&case, plan.runs, plan.idle, || {
        Server::berth(&binary, existing.path()).expect("berth starts")
    }));

    let peers = Peers::from_env();
    if let Some(python) = &peers.moto_python {
        rows.extend(measure(
            "moto server (first ECS answer)",
            plan.peer_runs,
            plan.idle,
            || Server::moto(python).expect("moto starts"),
        ));
    }
    if let Some(fakecloud) = &peers.fakecloud {
        rows.extend(measure(
            "fakecloud (first ECS answer)",
            plan.peer_runs,
            plan.idle,
            || Server::fakecloud(fakecloud).expect("fakecloud starts"),
        ));
    }

    println!("binary: {}", binary.display());
    println!(
        "| case | runs | median | p90 | max | idle RSS after {} s |",
        plan.idle.as_secs_f64()
    );
    println!("|---|---|---|---|---|---|");
    for row in rows {
        println!(
            "| {} | {} | {} | {} | {} | {:.1} MiB |",
            row.case,
            row.summary.count,
            millis(row.summary.p50),
            millis(row.summary.p90),
            millis(row.summary.max),
            row.idle_rss_kib as f64 / 1024.0
        );
    }
}
