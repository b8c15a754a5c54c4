//! Starting and stopping the server: open the store, serve the APIs on one
//! port, shut down gracefully on SIGINT or SIGTERM.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use berth_agent::{AgentConfig, PullBehavior};
use berth_api::Api;
use berth_api::agent::AssignmentHub;
use berth_control::{Control, ControlConfig};
use berth_model::arn::Scope;
use berth_model::cluster::{Cluster, ClusterSetting};
use berth_registry::{LocalBlobStore, Registry, RegistryConfig, TokenAuthority};
use berth_state::State;
use berth_state::clock::{Clock, SystemClock};
use berth_state::tasks::IndexedTasks;
use berth_store::{Compare, Condition, Embedded, EmbeddedOptions, Kv, Limits, Op, Txn};

use crate::ServerArgs;

/// Which entry point started the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `berth up`: the whole of Berth for one machine.
    Up,
    /// `berth server`: the control plane alone.
    Server,
}

/// The embedded store as the server uses it. Its transactions may be far
/// larger than etcd's defaults: placement commits a whole batch of queued
/// RunTasks in one transaction (one fsync), and sizes batches to these limits.
fn store_options() -> EmbeddedOptions {
    let defaults = EmbeddedOptions::default();
    EmbeddedOptions {
        limits: Limits {
            max_txn_ops: 16 * 1024,
            max_txn_bytes: 32 * 1024 * 1024,
            ..defaults.limits
        },
        ..defaults
    }
}

/// Serves until a shutdown signal arrives.
pub async fn run(args: ServerArgs, mode: Mode) -> anyhow::Result<()> {
    let data_dir = match args.data_dir {
        Some(dir) => dir,
        None => crate::process::default_data_dir()?,
    };
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("creating the data directory {}", data_dir.display()))?;
    let kv: Arc<dyn Kv> = Arc::new(
        Embedded::open_with(data_dir.join("store"), store_options())
            .with_context(|| format!("opening the store in {}", data_dir.display()))?,
    );
    let state = State::new(kv.clone());
    // Stores written before the indexes of running and of stopped tasks
    // existed get them before ListTasks or retention reads them; after that
    // this is a read per index.
    let indexed = state
        .tasks
        .index_stored_tasks()
        .await
        .context("indexing the stored tasks")?;
    if indexed != IndexedTasks::default() {
        tracing::info!(
            running = indexed.running,
            stopped = indexed.stopped,
            "indexed the stored tasks"
        );
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    // So are the client tokens of stores from before tokens expired.
    let tokens = state
        .tasks
        .index_stored_client_tokens(clock.now_millis())
        .await
        .context("indexing the stored client tokens")?;
    if tokens > 0 {
        tracing::info!(tokens, "indexed the stored client tokens");
    }
    if mode == Mode::Up {
        ensure_default_cluster(&state).await?;
    }
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let address = listener.local_addr()?;
    let registry = open_registry(kv.clone(), &data_dir.join("registry")).await?;
    let scope = Scope::new(args.region, args.account_id);
    let control = Control::new(
        state.clone(),
        scope.clone(),
        clock.clone(),
        ControlConfig {
            disconnect_after_ms: secs_to_ms(args.agent_disconnect_after),
            lost_after_ms: secs_to_ms(args.instance_lost_after),
            stopped_task_retention_ms: secs_to_ms(args.stopped_task_retention),
            ..ControlConfig::default()
        },
    );
    let hub = AssignmentHub::start(kv.clone())
        .await
        .context("watching task assignments")?;
    let api = Arc::new(Api {
        hub,
        definitions: Default::default(),
        definition_records: Default::default(),
        control: control.clone(),
        registry: Arc::new(registry),
        registry_host: args.advertise.unwrap_or_else(|| address.to_string()),
    });
    // Lifecycle policies and garbage collection (BERTH_LIFECYCLE_INTERVAL_SECS,
    // BERTH_GC_INTERVAL_SECS override the hourly defaults).
    berth_registry::maintenance::spawn(
        api.registry.clone(),
        berth_registry::MaintenanceConfig::from_env(),
    );
    tracing::info!(%address, data_dir = %data_dir.display(), "berth is ready");
    // One plain line on stdout tells scripts (and tests using port 0) where
    // to connect.
    println!("berth listening on http://{address}");
    let (stop_sender, stop_receiver) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        crate::process::shutdown_signal().await;
        let _ = stop_sender.send(true);
    });
    let controllers = tokio::spawn(berth_control::liveness::run_controllers(
        control,
        stopped(stop_receiver.clone()),
    ));
    let agent = (mode == Mode::Up).then(|| {
        tokio::spawn(run_local_agent(
            address,
            data_dir.join("agent"),
            args.image_pull_behavior.into(),
            stopped(stop_receiver.clone()),
        ))
    });
    // Without TCP_NODELAY a small registry response (headers, then a blob
    // chunk) waits ~40 ms for the client's delayed ACK (registry-bench.md).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, berth_api::router(api))
        .with_graceful_shutdown(stopped(stop_receiver))
        .await
        .context("serving")?;
    let _ = controllers.await;
    if let Some(agent) = agent {
        let _ = agent.await;
    }
    tracing::info!("berth stopped");
    Ok(())
}

/// `berth up`'s agent for this host, in the `default` cluster, speaking the
/// same protocol over loopback as any remote agent. Without a Docker Engine
/// the server keeps serving and says why no tasks can run here.
async fn run_local_agent(
    address: SocketAddr,
    data_dir: PathBuf,
    pull_behavior: PullBehavior,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let host = if address.ip().is_unspecified() {
        SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), address.port())
    } else {
        address
    };
    let mut config = AgentConfig::new(
        format!("http://{host}"),
        berth_api::ecs::DEFAULT_CLUSTER,
        data_dir,
    );
    config.pull_behavior = pull_behavior;
    if let Err(error) = berth_agent::run(config, shutdown).await {
        tracing::error!(error = %format!("{error:#}"), "the local agent stopped; this host runs no tasks");
    }
}

/// The registry over the shared store, with its blobs under `blob_dir` and
/// a token secret kept in the store, so tokens outlive restarts.
async fn open_registry(kv: Arc<dyn Kv>, blob_dir: &Path) -> anyhow::Result<Registry> {
    let blobs = LocalBlobStore::open(blob_dir, MAX_BLOB_BYTES)
        .await
        .with_context(|| format!("opening the blob store in {}", blob_dir.display()))?;
    let secret = token_secret(&*kv).await?;
    let config = RegistryConfig::new(TokenAuthority::new(
        secret,
        Arc::new(berth_registry::SystemClock),
    ));
    Ok(Registry::new(kv, Arc::new(blobs), config))
}

/// Largest single blob (layer) the registry stores: 10 GiB, as ECR allows.
const MAX_BLOB_BYTES: u64 = 10 * 1024 * 1024 * 1024;

/// Key of the registry token secret in the store.
const TOKEN_SECRET_KEY: &[u8] = b"berth/registry-token-secret";

/// Reads the registry token secret, creating it on first start. Two servers
/// starting at once agree on one secret through the compare.
async fn token_secret(kv: &dyn Kv) -> anyhow::Result<Vec<u8>> {
    if let Some(existing) = kv.get(TOKEN_SECRET_KEY).await? {
        return Ok(existing.value.to_vec());
    }
    let secret = TokenAuthority::generate_secret();
    let txn = Txn {
        compares: vec![Compare {
            key: TOKEN_SECRET_KEY.to_vec(),
            condition: Condition::Absent,
        }],
        ops: vec![Op::Put {
            key: TOKEN_SECRET_KEY.to_vec(),
            value: secret.clone(),
        }],
    };
    if kv.txn(txn).await?.succeeded {
        return Ok(secret);
    }
    let stored = kv
        .get(TOKEN_SECRET_KEY)
        .await?
        .context("the registry token secret vanished while being created")?;
    Ok(stored.value.to_vec())
}

/// `berth up` users get the `default` cluster from the first start, as ECS
/// accounts do.
async fn ensure_default_cluster(state: &State) -> anyhow::Result<()> {
    state
        .clusters
        .create(Cluster {
            settings: vec![ClusterSetting {
                name: "containerInsights".to_owned(),
                value: "disabled".to_owned(),
            }],
            ..Cluster::active(berth_api::ecs::DEFAULT_CLUSTER)
        })
        .await
        .context("creating the default cluster")?;
    Ok(())
}

/// Resolves once a shutdown was asked for.
async fn stopped(mut receiver: tokio::sync::watch::Receiver<bool>) {
    // An error means the sender is gone, which only happens at shutdown.
    let _ = receiver.wait_for(|stop| *stop).await;
}

fn secs_to_ms(seconds: u64) -> i64 {
    i64::try_from(seconds.saturating_mul(1000)).unwrap_or(i64::MAX)
}
