//! What the bench binaries share: starting servers, a keep-alive HTTP
//! client, the request bodies they send and latency summaries.

// Each bench binary compiles this module on its own and uses a different
// part of it.
#![allow(dead_code)]

pub mod http;
pub mod server;

use std::path::PathBuf;
use std::time::Duration;

/// `X-Amz-Target` prefix of the ECS API.
pub const ECS_TARGET: &str = "AmazonEC2ContainerServiceV20141113";

/// A realistic one-container task definition of `family`: a web server with
/// a port, environment, a health check, logging, labels and limits.
pub fn task_definition(family: &str) -> Vec<u8> {
    format!(
        r#"{{
  "family": "{family}",
  "networkMode": "bridge",
  "requiresCompatibilities": ["EC2"],
  "cpu": "256",
  "memory": "512",
  "containerDefinitions": [
    {{
      "name": "web",
      "image": "public.ecr.aws/nginx/nginx:1.27",
      "cpu": 256,
      "memory": 512,
      "memoryReservation": 256,
      "essential": true,
      "command": ["nginx", "-g", "daemon off;"],
      "portMappings": [{{"containerPort": 80, "hostPort": 0, "protocol": "tcp"}}],
      "environment": [
        {{"name": "APP_ENV", "value": "production"}},
        {{"name": "LOG_LEVEL", "value": "info"}},
        {{"name": "UPSTREAM_URL", "value": "http://api.internal:8080"}}
      ],
      "healthCheck": {{
        "command": ["CMD-SHELL", "curl -fsS http://127.0.0.1/ || exit 1"],
        "interval": 30, "timeout": 5, "retries": 3, "startPeriod": 10
      }},
      "logConfiguration": {{
        "logDriver": "json-file",
        "options": {{"max-size": "10m", "max-file": "3"}}
      }},
      "dockerLabels": {{"team": "platform", "tier": "front"}},
      "ulimits": [{{"name": "nofile", "softLimit": 65536, "hardLimit": 65536}}],
      "stopTimeout": 30
    }}
  ],
  "tags": [{{"key": "app", "value": "web"}}, {{"key": "env", "value": "bench"}}]
}}"#
    )
    .into_bytes()
}

/// The body of a DescribeTaskDefinition of the latest ACTIVE revision of
/// `family`, with its tags.
pub fn describe_task_definition(family: &str) -> Vec<u8> {
    format!(r#"{{"taskDefinition": "{family}", "include": ["TAGS"]}}"#).into_bytes()
}

/// Which peers to start next to Berth, from `$BERTH_BENCH_PEERS`
/// (comma-separated: `moto`, `fakecloud`); none by default so that
/// `cargo test --benches` stays quick and needs nothing installed.
#[derive(Debug, Default)]
pub struct Peers {
    /// The Python interpreter that has moto installed, when moto runs.
    pub moto_python: Option<String>,
    /// The fakecloud binary, when fakecloud runs.
    pub fakecloud: Option<PathBuf>,
}

impl Peers {
    /// Reads `$BERTH_BENCH_PEERS`, `$BERTH_BENCH_PYTHON` (default `python3`)
    /// and `$BERTH_BENCH_FAKECLOUD` (default `fakecloud` on PATH).
    pub fn from_env() -> Peers {
        let wanted = std::env::var("BERTH_BENCH_PEERS").unwrap_or_default();
        let mut peers = Peers::default();
        for name in wanted.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "moto" => {
                    peers.moto_python = Some(
                        std::env::var("BERTH_BENCH_PYTHON").unwrap_or_else(|_| "python3".into()),
                    );
                }
                "fakecloud" => {
                    peers.fakecloud = Some(
                        std::env::var_os("BERTH_BENCH_FAKECLOUD")
                            .map(PathBuf::from)
                            .unwrap_or_else(|| PathBuf::from("fakecloud")),
                    );
                }
                other => eprintln!("BERTH_BENCH_PEERS: unknown peer {other:?} ignored"),
            }
        }
        peers
    }
}

/// Percentiles of a set of durations.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    /// How many values.
    pub count: usize,
    /// The median.
    pub p50: Duration,
    /// The 90th percentile.
    pub p90: Duration,
    /// The 99th percentile.
    pub p99: Duration,
    /// The largest.
    pub max: Duration,
}

impl Summary {
    /// Summarises `values` (sorted in place); `None` when empty.
    pub fn of(values: &mut [Duration]) -> Option<Summary> {
        values.sort_unstable();
        let last = values.len().checked_sub(1)?;
        // Nearest-rank percentiles: the smallest value with at least p% at
        // or below it.
        let rank = |p: usize| values[(values.len() * p).div_ceil(100).saturating_sub(1).min(last)];
        Some(Summary {
            count: values.len(),
            p50: rank(50),
            p90: rank(90),
            p99: rank(99),
            max: values[last],
        })
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "n={} p50={} p90={} p99={} max={}",
            self.count,
            millis(self.p50),
            millis(self.p90),
            millis(self.p99),
            millis(self.max)
        )
    }
}

/// A duration in milliseconds with three decimals, for tables.
pub fn millis(duration: Duration) -> String {
    format!("{:.3} ms", duration.as_secs_f64() * 1e3)
}
