//! `berth agent`: runs the host agent against a Berth server until SIGINT or
//! SIGTERM; containers keep running across agent restarts.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use berth_agent::{AgentConfig, PullBehavior};
use clap::{Args, ValueEnum};

/// Options of `berth agent`.
#[derive(Debug, Clone, Args)]
pub struct AgentArgs {
    /// URL of the Berth server (`http://host:port`).
    #[arg(long, env = "BERTH_ENDPOINT")]
    pub endpoint: String,
    /// Cluster to join.
    #[arg(long, default_value = "default", env = "BERTH_CLUSTER")]
    pub cluster: String,
    /// Directory holding the agent's checkpoint (default: a per-user data directory).
    #[arg(long, env = "BERTH_AGENT_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// A custom attribute, `KEY=VALUE` or `KEY`; repeatable.
    #[arg(long = "attribute", value_parser = parse_attribute)]
    pub attributes: Vec<(String, Option<String>)>,
    /// Value of the `ecs.availability-zone` attribute.
    #[arg(long, default_value = "local", env = "BERTH_AVAILABILITY_ZONE")]
    pub availability_zone: String,
    /// CPU units to offer (default: cores × 1024).
    #[arg(long)]
    pub cpu: Option<u32>,
    /// Memory to offer in MiB (default: MemTotal less --reserved-memory).
    #[arg(long)]
    pub memory: Option<u32>,
    /// MiB of memory kept for the host and not offered to tasks.
    #[arg(long, default_value_t = 0)]
    pub reserved_memory: u32,
    /// Seconds a stopped task's containers are kept before removal.
    #[arg(long, default_value_t = 3600)]
    pub cleanup_delay_secs: u64,
    /// When images are pulled.
    #[arg(long, value_enum, default_value_t = PullArg::Default)]
    pub image_pull_behavior: PullArg,
}

/// `--image-pull-behavior` values (as `ECS_IMAGE_PULL_BEHAVIOR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PullArg {
    /// Pull; fall back to a cached image if the pull fails.
    Default,
    /// Always pull; a failed pull fails the task.
    Always,
    /// Pull only the first time.
    Once,
    /// Use a cached image when there is one.
    PreferCached,
}

impl From<PullArg> for PullBehavior {
    fn from(arg: PullArg) -> Self {
        match arg {
            PullArg::Default => PullBehavior::Default,
            PullArg::Always => PullBehavior::Always,
            PullArg::Once => PullBehavior::Once,
            PullArg::PreferCached => PullBehavior::PreferCached,
        }
    }
}

fn parse_attribute(text: &str) -> Result<(String, Option<String>), String> {
    berth_agent::host::parse_attribute(text)
}

/// Runs the agent until a shutdown signal arrives.
pub async fn run(args: AgentArgs) -> anyhow::Result<()> {
    let data_dir = match args.data_dir {
        Some(dir) => dir,
        None => crate::process::default_data_dir()?.join("agent"),
    };
    let mut config = AgentConfig::new(args.endpoint, args.cluster, data_dir);
    config.attributes = args.attributes;
    config.availability_zone = args.availability_zone;
    config.cpu = args.cpu;
    config.memory_mib = args.memory;
    config.reserved_memory_mib = args.reserved_memory;
    config.cleanup_delay = Duration::from_secs(args.cleanup_delay_secs);
    config.pull_behavior = args.image_pull_behavior.into();
    berth_agent::run(config, crate::process::shutdown_signal())
        .await
        .context("berth agent failed")
}
