//! The agent daemon: loads the checkpoint and bumps its epoch, registers the
//! host, re-adopts its containers, then reconciles every assignment answer
//! against the tasks it supervises and reports every state change. Task
//! handling (what each reconcile action does) lives in `tasks`; the links
//! to the server in `links`.

mod links;
mod tasks;

use std::collections::BTreeMap;
use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use berth_model::task::TaskReport;
use berth_protocol::{Assignment, MAX_POLL_WAIT_MS, RegisterRequest};
use tokio::sync::{mpsc, watch};

use crate::assign::LABEL_HOST_ID;
use crate::checkpoint::{Checkpoint, CheckpointError};
use crate::client::{ClientError, ProtocolClient};
use crate::docker::convert::LABEL_CLUSTER;
use crate::docker::{DockerDriver, DockerError};
use crate::host::{HostError, HostInputs, RESERVED_TCP_PORTS, host_facts, read_mem_total_mib};
use crate::runner::{RunnerConfig, TaskRunner};
use crate::spec::PullBehavior;
use crate::state::StateChange;
use links::{Ack, PollEvent, Poller, Reporter, SharedOutbox, format_error, register};
use tasks::Supervised;

/// How the agent runs.
#[derive(Debug, Clone)]
pub struct AgentConfig {
    /// Server URL (`http://host:port`).
    pub endpoint: String,
    /// Cluster to join.
    pub cluster: String,
    /// Where the checkpoint lives.
    pub data_dir: PathBuf,
    /// Custom attributes, `(name, value)`.
    pub attributes: Vec<(String, Option<String>)>,
    /// `ecs.availability-zone`.
    pub availability_zone: String,
    /// CPU units to offer instead of cores × 1024.
    pub cpu: Option<u32>,
    /// MiB to offer instead of MemTotal less `reserved_memory_mib`.
    pub memory_mib: Option<u32>,
    /// MiB of MemTotal kept for the host.
    pub reserved_memory_mib: u32,
    /// How long a stopped task's containers are kept before removal.
    pub cleanup_delay: Duration,
    /// When images are pulled.
    pub pull_behavior: PullBehavior,
    /// How long each poll may be held open (capped at the protocol maximum).
    pub poll_wait: Duration,
    /// Deadline of one request (on top of the poll wait for polls).
    pub request_timeout: Duration,
    /// How long shutdown waits for unacknowledged reports to go out.
    pub shutdown_flush: Duration,
    /// Runner tunables.
    pub runner: RunnerConfig,
}

impl AgentConfig {
    /// A configuration with the defaults: availability zone `local`, no
    /// reserved memory, containers kept 1 h after their task stops, 20 s
    /// polls, 10 s request deadline, 2 s shutdown flush.
    pub fn new(endpoint: impl Into<String>, cluster: impl Into<String>, data_dir: PathBuf) -> Self {
        AgentConfig {
            endpoint: endpoint.into(),
            cluster: cluster.into(),
            data_dir,
            attributes: Vec::new(),
            availability_zone: "local".to_string(),
            cpu: None,
            memory_mib: None,
            reserved_memory_mib: 0,
            cleanup_delay: Duration::from_secs(3600),
            pull_behavior: PullBehavior::Default,
            poll_wait: Duration::from_secs(20),
            request_timeout: Duration::from_secs(10),
            shutdown_flush: Duration::from_secs(2),
            runner: RunnerConfig::default(),
        }
    }
}

/// Why the agent could not run.
#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    /// The endpoint is not usable.
    #[error("invalid server endpoint")]
    Endpoint(#[source] ClientError),
    /// The checkpoint could not be read or written.
    #[error("agent checkpoint failed")]
    Checkpoint(#[source] CheckpointError),
    /// The host's facts could not be read.
    #[error("reading host facts failed")]
    Host(#[source] HostError),
    /// The Docker Engine could not be reached.
    #[error("Docker Engine unavailable")]
    Docker(#[source] DockerError),
    /// A background task of the agent failed.
    #[error("agent background task failed")]
    Join(#[source] tokio::task::JoinError),
    /// A link to the server (poller or reporter) ended unexpectedly.
    #[error("the agent's {0} ended unexpectedly")]
    LinkEnded(&'static str),
}

/// How often the daemon reconciles without news (cleanup timers) and
/// writes a changed checkpoint.
const TICK: Duration = Duration::from_millis(250);

/// Runs the agent until `shutdown` completes. On shutdown the agent stops
/// polling, leaves its containers running (they are adopted again at the
/// next start), and gives unacknowledged reports a short while to go out.
pub async fn run(
    config: AgentConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<(), AgentError> {
    let mut shutdown = std::pin::pin!(shutdown);
    let client = ProtocolClient::new(&config.endpoint).map_err(AgentError::Endpoint)?;
    let mut checkpoint = load_checkpoint(&config).await?;
    // A new epoch before any report: reports of this run order after all
    // reports of earlier runs, whatever their sequence numbers.
    checkpoint.epoch += 1;
    save(&config, &checkpoint).await?;
    let driver = DockerDriver::connect().await.map_err(AgentError::Docker)?;
    let register_request = registration(&config, &checkpoint, &driver).await?;
    let registered = tokio::select! {
        response = register(&client, register_request.clone(), config.request_timeout) => response,
        () = &mut shutdown => {
            tracing::info!("shutdown before the host was registered");
            return Ok(());
        }
    };
    tracing::info!(
        cluster = %config.cluster,
        instance = %registered.container_instance_id,
        host = %checkpoint.host_id,
        epoch = checkpoint.epoch,
        "registered as a container instance"
    );
    checkpoint.container_instance_id = Some(registered.container_instance_id.clone());
    save(&config, &checkpoint).await?;

    let found = driver
        .list_by_label(LABEL_HOST_ID, &checkpoint.host_id)
        .await
        .map_err(AgentError::Docker)?;
    let ours: Vec<_> = found
        .into_iter()
        .filter(|c| c.labels.get(LABEL_CLUSTER) == Some(&config.cluster))
        .collect();
    let adopted = crate::adopt::adopt_containers(&ours);
    if !adopted.is_empty() {
        tracing::info!(tasks = adopted.len(), "found containers of earlier runs");
    }

    let poll_wait = config
        .poll_wait
        .min(Duration::from_millis(registered.poll_wait_ms.max(1)))
        .min(Duration::from_millis(MAX_POLL_WAIT_MS));
    let (instance_tx, instance_rx) = watch::channel(registered.container_instance_id.clone());
    let (poll_tx, poll_rx) = mpsc::channel(4);
    let (report_tx, report_rx) = mpsc::unbounded_channel();
    let (ack_tx, ack_rx) = mpsc::unbounded_channel();
    let (events_tx, events_rx) = mpsc::unbounded_channel();
    let outbox = SharedOutbox::new();
    let mut register_request = register_request;
    register_request.container_instance_id = Some(registered.container_instance_id);
    let poller = tokio::spawn(
        Poller {
            client: client.clone(),
            register_request,
            instance: instance_tx,
            wait: poll_wait,
            request_timeout: config.request_timeout,
            events: poll_tx,
            outbox: outbox.clone(),
            acks: ack_tx.downgrade(),
        }
        .run(),
    );
    let reporter = tokio::spawn(
        Reporter {
            client,
            cluster: config.cluster.clone(),
            instance: instance_rx,
            queue: report_rx,
            outbox,
            acks: ack_tx,
            request_timeout: config.request_timeout,
        }
        .run(),
    );
    let mut daemon = Daemon {
        runner: TaskRunner::new(driver, config.runner.clone()),
        config,
        checkpoint,
        dirty: false,
        supervised: adopted
            .into_iter()
            .map(|task| (task.task_arn.clone(), Supervised::Adopted(task)))
            .collect(),
        assignments: Vec::new(),
        last_revision: None,
        report_tx,
        events_tx,
    };
    daemon.requeue_unacked();
    let mut channels = Channels {
        polls: poll_rx,
        acks: ack_rx,
        events: events_rx,
    };
    let result = daemon.serve(&mut shutdown, &mut channels).await;
    poller.abort();
    // Stopped before the final flush, so nothing rides on a poll meanwhile.
    let _ = poller.await;
    let flushed = daemon.shut_down(&mut channels.acks).await;
    reporter.abort();
    result.and(flushed)
}

/// The receiving ends the daemon listens on.
struct Channels {
    polls: mpsc::Receiver<PollEvent>,
    acks: mpsc::UnboundedReceiver<Ack>,
    events: mpsc::UnboundedReceiver<StateChange>,
}

/// The daemon's state, owned by its main loop.
struct Daemon {
    config: AgentConfig,
    runner: TaskRunner,
    checkpoint: Checkpoint,
    /// The checkpoint changed since it was last written.
    dirty: bool,
    supervised: BTreeMap<String, Supervised>,
    assignments: Vec<Assignment>,
    /// Revision of the last assignment answer; `None` before the first.
    last_revision: Option<u64>,
    report_tx: mpsc::UnboundedSender<(String, TaskReport)>,
    events_tx: mpsc::UnboundedSender<StateChange>,
}

impl Daemon {
    async fn serve(
        &mut self,
        shutdown: &mut (impl Future<Output = ()> + Unpin),
        channels: &mut Channels,
    ) -> Result<(), AgentError> {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = &mut *shutdown => return Ok(()),
                event = channels.polls.recv() => match event {
                    Some(PollEvent::Assignments(response)) => {
                        let fresh = self.last_revision != Some(response.revision);
                        self.last_revision = Some(response.revision);
                        self.assignments = response.tasks;
                        self.reconcile(fresh).await?;
                    }
                    Some(PollEvent::Registered(response)) => {
                        tracing::info!(instance = %response.container_instance_id, "registered anew");
                        self.checkpoint.container_instance_id = Some(response.container_instance_id);
                        self.last_revision = None;
                        self.flush_checkpoint().await?;
                    }
                    None => return Err(AgentError::LinkEnded("poller")),
                },
                change = channels.events.recv() => {
                    // The daemon holds a sender itself, so the channel never closes.
                    if let Some(change) = change {
                        self.on_change(change);
                    }
                }
                ack = channels.acks.recv() => match ack {
                    Some(ack) => self.on_ack(ack),
                    None => return Err(AgentError::LinkEnded("reporter")),
                },
                _ = tick.tick() => {
                    self.reconcile(false).await?;
                    if self.dirty {
                        self.flush_checkpoint().await?;
                    }
                }
            }
        }
    }

    /// Writes the checkpoint now.
    async fn flush_checkpoint(&mut self) -> Result<(), AgentError> {
        save(&self.config, &self.checkpoint).await?;
        self.dirty = false;
        Ok(())
    }

    /// Stops supervising (containers keep running), closes the report
    /// queue and waits a short while for the reporter to empty it.
    async fn shut_down(
        &mut self,
        acks: &mut mpsc::UnboundedReceiver<Ack>,
    ) -> Result<(), AgentError> {
        tracing::info!("agent shutting down; containers keep running");
        for (_, task) in std::mem::take(&mut self.supervised) {
            if let Supervised::Active { handle, .. } = task {
                handle.detach();
            }
        }
        // Replacing the sender closes the reporter's queue.
        drop(std::mem::replace(
            &mut self.report_tx,
            mpsc::unbounded_channel().0,
        ));
        let deadline = tokio::time::Instant::now() + self.config.shutdown_flush;
        loop {
            tokio::select! {
                ack = acks.recv() => match ack {
                    Some(ack) => self.on_ack(ack),
                    None => break,
                },
                () = tokio::time::sleep_until(deadline) => {
                    tracing::warn!("some reports were not acknowledged before shutdown; they are kept for the next start");
                    break;
                }
            }
        }
        self.flush_checkpoint().await
    }

    fn on_ack(&mut self, ack: Ack) {
        let Some(record) = self.checkpoint.tasks.get_mut(&ack.task_arn) else {
            return;
        };
        if record
            .unacked
            .as_ref()
            .is_some_and(|r| crate::outbox::position(r) == ack.position)
        {
            if !ack.accepted {
                tracing::warn!(task = %ack.task_arn, "the server refused the task's report");
            }
            record.unacked = None;
            self.dirty = true;
        }
    }

    /// Queues every report the last run left unacknowledged.
    fn requeue_unacked(&mut self) {
        let pending: Vec<(String, TaskReport)> = self
            .checkpoint
            .tasks
            .iter()
            .filter_map(|(arn, r)| r.unacked.clone().map(|report| (arn.clone(), report)))
            .collect();
        for (task_arn, report) in pending {
            // The reporter lives as long as the daemon loop; a failed send
            // only happens during shutdown, when the report stays checkpointed.
            let _ = self.report_tx.send((task_arn, report));
        }
    }

    fn now_ms() -> i64 {
        crate::report::epoch_ms(SystemTime::now())
    }
}

async fn load_checkpoint(config: &AgentConfig) -> Result<Checkpoint, AgentError> {
    let data_dir = config.data_dir.clone();
    let cluster = config.cluster.clone();
    tokio::task::spawn_blocking(move || Checkpoint::load_or_create(&data_dir, &cluster))
        .await
        .map_err(AgentError::Join)?
        .map_err(AgentError::Checkpoint)
}

async fn save(config: &AgentConfig, checkpoint: &Checkpoint) -> Result<(), AgentError> {
    let data_dir = config.data_dir.clone();
    let checkpoint = checkpoint.clone();
    tokio::task::spawn_blocking(move || checkpoint.save(&data_dir))
        .await
        .map_err(AgentError::Join)?
        .map_err(AgentError::Checkpoint)
}

async fn registration(
    config: &AgentConfig,
    checkpoint: &Checkpoint,
    driver: &DockerDriver,
) -> Result<RegisterRequest, AgentError> {
    let mem_total_mib = if config.memory_mib.is_some() {
        0
    } else {
        read_mem_total_mib(std::path::Path::new("/proc/meminfo")).map_err(AgentError::Host)?
    };
    let cores = std::thread::available_parallelism()
        .map(|n| u32::try_from(n.get()).unwrap_or(u32::MAX))
        .unwrap_or(1);
    let api = driver.client().client_version();
    let docker_version = match driver.client().version().await {
        Ok(version) => version.version.unwrap_or_default(),
        Err(err) => {
            tracing::warn!(error = %format_error(&err), "cannot read the Docker version");
            String::new()
        }
    };
    let facts = host_facts(&HostInputs {
        cores,
        mem_total_mib,
        cpu_override: config.cpu,
        memory_override: config.memory_mib,
        reserved_memory_mib: config.reserved_memory_mib,
        arch: std::env::consts::ARCH,
        availability_zone: config.availability_zone.clone(),
        docker_api: (api.major_version, api.minor_version),
        custom_attributes: config.attributes.clone(),
    });
    Ok(RegisterRequest {
        cluster: config.cluster.clone(),
        host_id: checkpoint.host_id.clone(),
        container_instance_id: checkpoint.container_instance_id.clone(),
        cpu: facts.cpu,
        memory_mib: facts.memory_mib,
        reserved_tcp_ports: RESERVED_TCP_PORTS.to_vec(),
        reserved_udp_ports: Vec::new(),
        attributes: facts.attributes,
        agent_version: env!("CARGO_PKG_VERSION").to_string(),
        docker_version,
    })
}
