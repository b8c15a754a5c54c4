//! The `berth` binary: `berth up` (everything in one process),
//! `berth server` (the control plane alone), `berth agent` (one host) and
//! `berth simulate` (a simulated fleet for load tests).

mod agent;
mod allocator;
mod process;
mod server;
mod simulate;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Berth: a self-hosted container service that speaks the Amazon ECS and ECR APIs.
#[derive(Debug, Parser)]
#[command(name = "berth", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Runs Berth on this machine in one process: every API on one port, the
    /// embedded store, and the `default` cluster.
    Up(ServerArgs),
    /// Runs the control plane: the ECS API on one port over the store.
    Server(ServerArgs),
    /// Runs the host agent: registers this host in a cluster and runs the
    /// tasks the server assigns to it as Docker containers.
    Agent(agent::AgentArgs),
    /// Simulates a fleet of hosts in one process: each registers, long-polls
    /// and reports its tasks RUNNING and STOPPED over the agent protocol,
    /// without Docker. For load-testing a server.
    Simulate(simulate::SimulateArgs),
}

/// Options shared by `up` and `server`.
#[derive(Debug, Clone, Args)]
pub struct ServerArgs {
    /// Address and port that serve every API.
    #[arg(long, default_value = "127.0.0.1:4510", env = "BERTH_LISTEN")]
    pub listen: SocketAddr,
    /// Directory holding the store (default: a per-user data directory).
    #[arg(long, env = "BERTH_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Region used in ARNs.
    #[arg(long, default_value = "us-east-1", env = "BERTH_REGION")]
    pub region: String,
    /// `host:port` that clients use to reach this server's registry, as
    /// shown in repository URIs (default: the address it listens on).
    #[arg(long, env = "BERTH_ADVERTISE")]
    pub advertise: Option<String>,
    /// Account id used in ARNs.
    #[arg(long, default_value = "000000000000", env = "BERTH_ACCOUNT_ID")]
    pub account_id: String,
    /// Seconds without a poll before an instance shows agentConnected false.
    #[arg(long, default_value_t = 60, env = "BERTH_AGENT_DISCONNECT_AFTER")]
    pub agent_disconnect_after: u64,
    /// Seconds without a poll before an instance is lost and its tasks stop.
    #[arg(long, default_value_t = 600, env = "BERTH_INSTANCE_LOST_AFTER")]
    pub instance_lost_after: u64,
    /// Seconds STOPPED tasks stay describable.
    #[arg(long, default_value_t = 3600, env = "BERTH_STOPPED_TASK_RETENTION")]
    pub stopped_task_retention: u64,
    /// When `berth up`'s own agent pulls images (as `berth agent
    /// --image-pull-behavior`).
    #[arg(long, value_enum, default_value_t = agent::PullArg::Default, env = "BERTH_IMAGE_PULL_BEHAVIOR")]
    pub image_pull_behavior: agent::PullArg,
}

fn main() -> anyhow::Result<()> {
    allocator::purge_less_often();
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(async {
        match cli.command {
            Command::Up(args) => server::run(args, server::Mode::Up).await,
            Command::Server(args) => server::run(args, server::Mode::Server).await,
            Command::Agent(args) => agent::run(args).await,
            Command::Simulate(args) => simulate::run(args).await.map(drop).map_err(Into::into),
        }
    });
    if let Err(error) = &result {
        eprintln!("berth: {error:#}");
    }
    result
}
