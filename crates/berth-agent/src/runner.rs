//! The task runner: drives one task's containers on Docker in dependsOn
//! order, watches them exit and turn (un)healthy, applies the essential
//! rule and StopTask, and sends every state change through a channel. The
//! decisions come from `decide`; this module only performs them.

use std::time::{Duration, SystemTime};

use futures::future::join_all;
use tokio::sync::mpsc;
use tokio::task::{AbortHandle, JoinHandle};

use crate::adopt::{AdoptedTask, OOM_REASON, rebuild_task_state};
use crate::decide::{
    PullDecision, decide_pull, essential_stopped, health_from_docker, plan_starts, shutdown_waves,
    task_health, task_status,
};
use crate::docker::convert::{host_mode_bindings, task_scoped_volumes};
use crate::docker::{ContainerInfo, DockerDriver, DockerError, RuntimeStatus};
use crate::spec::{NetworkMode, SpecError, TaskSpec};
use crate::state::{
    ChangeKind, ContainerStatus, DesiredStatus, ESSENTIAL_EXITED_REASON, StateChange, StopCode,
    TaskState, TaskStatus, diff_changes, truncate_reason,
};

/// Tunables of the runner.
#[derive(Debug, Clone)]
pub struct RunnerConfig {
    /// How often running containers with a health check are inspected.
    pub health_poll_interval: Duration,
    /// Pause before retrying a Docker wait that failed (not an exit).
    pub wait_retry_delay: Duration,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        RunnerConfig {
            health_poll_interval: Duration::from_secs(1),
            wait_retry_delay: Duration::from_secs(1),
        }
    }
}

/// Why a task could not be handed to the runner or finished abnormally.
#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    /// The spec breaks a rule the runner relies on.
    #[error("task spec is invalid")]
    InvalidSpec(#[source] SpecError),
    /// The adopted containers belong to another task.
    #[error("adopted task {adopted} does not match spec task {spec}")]
    AdoptedMismatch {
        /// ARN in the spec.
        spec: String,
        /// ARN of the adopted containers.
        adopted: String,
    },
    /// The runner's own task ended without a result (it panicked or was aborted).
    #[error("task runner for {task_arn} ended abnormally")]
    Aborted {
        /// Task ARN.
        task_arn: String,
        /// The join failure.
        #[source]
        source: tokio::task::JoinError,
    },
}

/// A request to stop a task (StopTask, the scheduler, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopRequest {
    /// Becomes the task's `stopCode` unless another cause came first.
    pub code: StopCode,
    /// Becomes the task's `stoppedReason`.
    pub reason: String,
}

/// Control of one running task.
#[derive(Debug)]
pub struct TaskHandle {
    task_arn: String,
    stop_tx: mpsc::UnboundedSender<StopRequest>,
    join: JoinHandle<TaskState>,
}

impl TaskHandle {
    /// The task's ARN.
    pub fn task_arn(&self) -> &str {
        &self.task_arn
    }

    /// Asks the task to stop: every container gets its stop signal, then
    /// SIGKILL after its stopTimeout. Returns false if the task already ended.
    pub fn stop(&self, code: StopCode, reason: impl Into<String>) -> bool {
        self.stop_tx
            .send(StopRequest {
                code,
                reason: reason.into(),
            })
            .is_ok()
    }

    /// Whether the runner has finished (the task is STOPPED).
    pub fn is_finished(&self) -> bool {
        self.join.is_finished()
    }

    /// Stops supervising without stopping the containers, as an agent
    /// shutting down does; they can be re-adopted later.
    pub fn detach(self) {
        self.join.abort();
    }

    /// Waits for the task to stop and returns its final state.
    pub async fn wait(self) -> Result<TaskState, RunnerError> {
        self.join.await.map_err(|source| RunnerError::Aborted {
            task_arn: self.task_arn,
            source,
        })
    }
}

/// Starts tasks on Docker.
#[derive(Debug, Clone)]
pub struct TaskRunner {
    driver: DockerDriver,
    config: RunnerConfig,
}

impl TaskRunner {
    /// A runner using `driver`.
    pub fn new(driver: DockerDriver, config: RunnerConfig) -> Self {
        TaskRunner { driver, config }
    }

    /// The driver this runner uses.
    pub fn driver(&self) -> &DockerDriver {
        &self.driver
    }

    /// Runs a new task in the background; its state changes go to `events`
    /// (the first one reports the task PENDING, the last one STOPPED).
    pub fn spawn(
        &self,
        spec: TaskSpec,
        events: mpsc::UnboundedSender<StateChange>,
    ) -> Result<TaskHandle, RunnerError> {
        spec.validate().map_err(RunnerError::InvalidSpec)?;
        let state = TaskState::pending(&spec);
        Ok(self.launch(spec, state, events))
    }

    /// Resumes supervising a task whose containers were found after an agent
    /// restart: running containers are watched, exited ones reported, ones
    /// never started are started, and the essential rule applies at once.
    pub fn spawn_adopted(
        &self,
        spec: TaskSpec,
        adopted: &AdoptedTask,
        events: mpsc::UnboundedSender<StateChange>,
    ) -> Result<TaskHandle, RunnerError> {
        spec.validate().map_err(RunnerError::InvalidSpec)?;
        if adopted.task_arn != spec.task_arn {
            return Err(RunnerError::AdoptedMismatch {
                spec: spec.task_arn,
                adopted: adopted.task_arn.clone(),
            });
        }
        let state = rebuild_task_state(&spec, adopted, SystemTime::now());
        Ok(self.launch(spec, state, events))
    }

    fn launch(
        &self,
        spec: TaskSpec,
        state: TaskState,
        events: mpsc::UnboundedSender<StateChange>,
    ) -> TaskHandle {
        let (stop_tx, stop_rx) = mpsc::unbounded_channel();
        let (exit_tx, exit_rx) = mpsc::unbounded_channel();
        let task_arn = spec.task_arn.clone();
        let run = TaskRun {
            driver: self.driver.clone(),
            config: self.config.clone(),
            emitted: state.clone(),
            state,
            spec,
            version: 0,
            events,
            stop_rx,
            exit_tx,
            exit_rx,
            watchers: Watchers::default(),
        };
        TaskHandle {
            task_arn,
            stop_tx,
            join: tokio::spawn(run.run()),
        }
    }

    /// Removes a finished task's containers and its task-scoped volumes.
    pub async fn remove_task(&self, spec: &TaskSpec, state: &TaskState) -> Result<(), DockerError> {
        for id in state
            .containers
            .iter()
            .filter_map(|c| c.runtime_id.as_deref())
        {
            self.driver.remove(id).await?;
        }
        for volume in task_scoped_volumes(spec) {
            self.driver.remove_volume(&volume).await?;
        }
        Ok(())
    }
}

/// Why a container could not be brought up; the text is the ECS reason.
struct StartFailure(String);

/// The state of one task run, owned by its tokio task.
struct TaskRun {
    driver: DockerDriver,
    config: RunnerConfig,
    spec: TaskSpec,
    state: TaskState,
    emitted: TaskState,
    version: u64,
    events: mpsc::UnboundedSender<StateChange>,
    stop_rx: mpsc::UnboundedReceiver<StopRequest>,
    exit_tx: mpsc::UnboundedSender<usize>,
    exit_rx: mpsc::UnboundedReceiver<usize>,
    watchers: Watchers,
}

/// The exit watchers of one run; dropping the run (finished or detached)
/// ends them.
#[derive(Default)]
struct Watchers(Vec<AbortHandle>);

impl Drop for Watchers {
    fn drop(&mut self) {
        for watcher in &self.0 {
            watcher.abort();
        }
    }
}

impl TaskRun {
    async fn run(mut self) -> TaskState {
        self.send(ChangeKind::Task);
        for idx in 0..self.state.containers.len() {
            let container = &self.state.containers[idx];
            if let (ContainerStatus::Running, Some(id)) =
                (container.last_status, container.runtime_id.clone())
            {
                self.watch(idx, id);
            }
        }
        let mut health_tick = tokio::time::interval(self.config.health_poll_interval);
        health_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            if self.state.desired_status == DesiredStatus::Running {
                self.start_ready_containers().await;
            }
            self.publish();
            if self.state.desired_status == DesiredStatus::Stopped {
                break;
            }
            let watch_health = self.has_running_health_checks();
            tokio::select! {
                Some(request) = self.stop_rx.recv() => self.begin_stop(request.code, request.reason),
                Some(idx) = self.exit_rx.recv() => self.observe(idx).await,
                _ = health_tick.tick(), if watch_health => self.refresh_health().await,
            }
        }
        self.shutdown().await;
        self.state.clone()
    }

    /// Starts every container whose dependencies hold, repeating while a
    /// start unblocks more (START dependencies hold as soon as it ran).
    async fn start_ready_containers(&mut self) {
        loop {
            if let Ok(request) = self.stop_rx.try_recv() {
                self.begin_stop(request.code, request.reason);
                return;
            }
            let plan = plan_starts(&self.spec, &self.state.containers);
            for (idx, reason) in &plan.give_up {
                let container = &mut self.state.containers[*idx];
                container.last_status = ContainerStatus::Stopped;
                container.reason = Some(truncate_reason(&format!("DependencyError: {reason}")));
            }
            if plan.start.is_empty() {
                return;
            }
            for idx in plan.start {
                if let Err(StartFailure(reason)) = self.start_container(idx).await {
                    let reason = truncate_reason(&reason);
                    tracing::warn!(task = %self.spec.task_arn, %reason, "task failed to start");
                    let container = &mut self.state.containers[idx];
                    container.last_status = ContainerStatus::Stopped;
                    container.reason = Some(reason.clone());
                    self.begin_stop(StopCode::TaskFailedToStart, reason);
                    return;
                }
                self.publish();
            }
        }
    }

    async fn start_container(&mut self, idx: usize) -> Result<(), StartFailure> {
        let id = match self.state.containers[idx].runtime_id.clone() {
            Some(id) => id,
            None => {
                self.ensure_image(idx).await?;
                let id = self
                    .driver
                    .create(&self.spec, &self.spec.containers[idx])
                    .await
                    .map_err(|e| {
                        StartFailure(format!(
                            "CannotCreateContainerError: {}",
                            e.engine_message()
                        ))
                    })?;
                self.state.containers[idx].runtime_id = Some(id.clone());
                self.publish();
                id
            }
        };
        self.driver.start(&id).await.map_err(|e| {
            StartFailure(format!("CannotStartContainerError: {}", e.engine_message()))
        })?;
        let info = self.driver.inspect(&id).await.map_err(|e| {
            StartFailure(format!(
                "CannotInspectContainerError: {}",
                e.engine_message()
            ))
        })?;
        self.apply(idx, &info);
        if self.state.containers[idx].started_at.is_none() {
            self.state.containers[idx].started_at = Some(SystemTime::now());
        }
        self.watch(idx, id);
        Ok(())
    }

    /// Pulls the container's image if the pull behaviour says so, recording
    /// the task's pull timestamps.
    async fn ensure_image(&mut self, idx: usize) -> Result<(), StartFailure> {
        let container = &self.spec.containers[idx];
        let image = container.image.clone();
        let present = self.driver.image_present(&image).await.map_err(|e| {
            StartFailure(format!("CannotPullContainerError: {}", e.engine_message()))
        })?;
        let decision = decide_pull(
            container.pull_behavior,
            present,
            self.driver.pulled_before(&image),
        );
        let PullDecision::Pull { fallback_to_cached } = decision else {
            return Ok(());
        };
        let auth = container.registry_auth.clone();
        self.state
            .pull_started_at
            .get_or_insert_with(SystemTime::now);
        self.publish();
        let result = self.driver.pull(&image, auth.as_ref()).await;
        self.state.pull_stopped_at = Some(SystemTime::now());
        match result {
            Ok(()) => Ok(()),
            Err(err) if fallback_to_cached => {
                tracing::warn!(%image, error = %err.engine_message(), "pull failed, using the cached image");
                Ok(())
            }
            Err(err) => Err(StartFailure(format!(
                "CannotPullContainerError: {}",
                err.engine_message()
            ))),
        }
    }

    /// Watches a started container and reports its exit to the run loop.
    fn watch(&mut self, idx: usize, id: String) {
        let driver = self.driver.clone();
        let exit_tx = self.exit_tx.clone();
        let retry_delay = self.config.wait_retry_delay;
        let handle = tokio::spawn(async move {
            loop {
                match driver.wait(&id).await {
                    Ok(()) => break,
                    Err(err) => {
                        tracing::warn!(container = %id, error = %err.engine_message(), "docker wait failed, retrying");
                        tokio::time::sleep(retry_delay).await;
                        if let Ok(info) = driver.inspect(&id).await
                            && info.status != RuntimeStatus::Running
                        {
                            break;
                        }
                    }
                }
            }
            // The run loop may have finished; nobody needs the news then.
            let _ = exit_tx.send(idx);
        });
        self.watchers.0.push(handle.abort_handle());
    }

    /// Re-reads one container from Docker after its watcher fired.
    async fn observe(&mut self, idx: usize) {
        let Some(id) = self.state.containers[idx].runtime_id.clone() else {
            return;
        };
        match self.driver.inspect(&id).await {
            Ok(info) => self.apply(idx, &info),
            Err(err) => {
                let container = &mut self.state.containers[idx];
                container.last_status = ContainerStatus::Stopped;
                container.finished_at.get_or_insert_with(SystemTime::now);
                container.reason = Some(truncate_reason(&format!(
                    "CannotInspectContainerError: {}",
                    err.engine_message()
                )));
            }
        }
    }

    async fn refresh_health(&mut self) {
        for idx in 0..self.state.containers.len() {
            let container = &self.state.containers[idx];
            if container.last_status == ContainerStatus::Running
                && self.spec.containers[idx].health_check.is_some()
            {
                self.observe(idx).await;
            }
        }
    }

    fn has_running_health_checks(&self) -> bool {
        self.spec
            .containers
            .iter()
            .zip(&self.state.containers)
            .any(|(spec, state)| {
                spec.health_check.is_some() && state.last_status == ContainerStatus::Running
            })
    }

    /// Folds what Docker says about a container into its reported state.
    /// A stopped container never goes back to running.
    fn apply(&mut self, idx: usize, info: &ContainerInfo) {
        let spec = &self.spec.containers[idx];
        let network_mode = self.spec.network_mode;
        let container = &mut self.state.containers[idx];
        container.runtime_id = Some(info.runtime_id.clone());
        container.health_status =
            health_from_docker(spec.health_check.is_some(), info.health.as_deref());
        if info.started_at.is_some() {
            container.started_at = info.started_at;
        }
        let bindings = match network_mode {
            NetworkMode::Bridge => info.port_bindings.clone(),
            NetworkMode::Host => host_mode_bindings(spec),
            NetworkMode::None => Vec::new(),
        };
        // Docker forgets the bindings of an exited container; keep the last ones.
        if !bindings.is_empty() {
            container.network_bindings = bindings;
        }
        match info.status {
            RuntimeStatus::Running if container.last_status != ContainerStatus::Stopped => {
                container.last_status = ContainerStatus::Running;
            }
            RuntimeStatus::Exited => {
                container.last_status = ContainerStatus::Stopped;
                container.exit_code = info.exit_code;
                container.finished_at = info.finished_at.or_else(|| Some(SystemTime::now()));
                if info.oom_killed {
                    container.reason = Some(OOM_REASON.to_string());
                } else if let Some(error) = &info.error {
                    container.reason = Some(truncate_reason(error));
                }
            }
            _ => {}
        }
    }

    /// Records the first cause of stopping; later causes do not override it.
    fn begin_stop(&mut self, code: StopCode, reason: String) {
        if self.state.desired_status == DesiredStatus::Stopped {
            return;
        }
        self.state.desired_status = DesiredStatus::Stopped;
        self.state.stop_code = Some(code);
        self.state.stopped_reason = Some(truncate_reason(&reason));
        self.state.stopping_at = Some(SystemTime::now());
    }

    /// Stops the remaining containers wave by wave (dependents before their
    /// dependencies, each within its stopTimeout), then reports STOPPED.
    async fn shutdown(&mut self) {
        for wave in shutdown_waves(&self.spec) {
            let mut stops = Vec::new();
            for idx in wave {
                let container = &mut self.state.containers[idx];
                match (container.last_status, container.runtime_id.clone()) {
                    (ContainerStatus::Running, Some(id)) => {
                        let timeout = self.spec.containers[idx].effective_stop_timeout();
                        let driver = self.driver.clone();
                        stops.push(async move { (idx, driver.stop(&id, timeout).await) });
                    }
                    (ContainerStatus::Pending, _) => {
                        container.last_status = ContainerStatus::Stopped
                    }
                    _ => {}
                }
            }
            for (idx, result) in join_all(stops).await {
                if let Err(err) = result {
                    tracing::warn!(task = %self.spec.task_arn, error = %err.engine_message(), "stop failed");
                }
                self.observe(idx).await;
                let container = &mut self.state.containers[idx];
                if container.last_status == ContainerStatus::Running {
                    container.last_status = ContainerStatus::Stopped;
                    container.reason =
                        Some("CannotStopContainerError: container still running after stop".into());
                }
            }
            self.publish();
        }
        self.publish();
    }

    /// Recomputes the task-level fields and sends one event per change
    /// since the last send.
    fn publish(&mut self) {
        // The essential rule runs before every report, so the event that
        // first shows the task STOPPED already carries its stop code.
        if self.state.desired_status == DesiredStatus::Running
            && let Some(idx) = essential_stopped(&self.spec, &self.state.containers)
        {
            tracing::info!(task = %self.spec.task_arn, container = %self.spec.containers[idx].name, "essential container stopped");
            self.begin_stop(
                StopCode::EssentialContainerExited,
                ESSENTIAL_EXITED_REASON.to_string(),
            );
        }
        let previous = self.state.last_status;
        self.state.last_status = task_status(previous, &self.state.containers);
        if previous == TaskStatus::Pending && self.state.last_status == TaskStatus::Running {
            self.state.started_at.get_or_insert_with(SystemTime::now);
        }
        if self.state.last_status == TaskStatus::Stopped {
            self.state
                .execution_stopped_at
                .get_or_insert_with(SystemTime::now);
        }
        self.state.health_status = task_health(&self.spec, &self.state.containers);
        for kind in diff_changes(&self.emitted, &self.state) {
            self.send(kind);
        }
        self.emitted = self.state.clone();
    }

    fn send(&mut self, kind: ChangeKind) {
        self.version += 1;
        // A dropped receiver means nobody listens any more; the task still runs to its end.
        let _ = self.events.send(StateChange {
            version: self.version,
            kind,
            task: self.state.clone(),
        });
    }
}
