//! The Docker driver: every call the agent makes to the Docker Engine (pull,
//! create, start, wait, inspect, stop, remove, list by label), through
//! bollard with a negotiated API version. Conversions live in `convert`.

pub mod convert;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bollard::Docker;
use bollard::auth::DockerCredentials;
use bollard::errors::Error as BollardError;
use bollard::models::ContainerStateStatusEnum;
use bollard::query_parameters::{
    CreateContainerOptions, CreateImageOptions, ListContainersOptions, RemoveContainerOptions,
    RemoveVolumeOptions, StopContainerOptions, WaitContainerOptions,
};
use futures::StreamExt;

use crate::spec::{ContainerSpec, RegistryAuth, TaskSpec};
use crate::state::NetworkBinding;
use convert::{LABEL_MANAGED, MANAGED_VALUE};

/// Floor of the HTTP request timeout; a stop also gets its own timeout plus
/// this much, since the Engine answers only once the container is down.
const REQUEST_TIMEOUT_FLOOR: Duration = Duration::from_secs(120);

/// A failed Docker Engine call, with what it was about.
#[derive(Debug, thiserror::Error)]
pub enum DockerError {
    /// The Engine could not be reached or the version not negotiated.
    #[error("cannot connect to the Docker Engine")]
    Connect(#[source] BollardError),
    /// Pulling an image failed.
    #[error("pulling image {image} failed")]
    Pull {
        /// Image reference.
        image: String,
        /// Engine error.
        #[source]
        source: BollardError,
    },
    /// Looking up a local image failed.
    #[error("inspecting image {image} failed")]
    InspectImage {
        /// Image reference.
        image: String,
        /// Engine error.
        #[source]
        source: BollardError,
    },
    /// Creating a container failed.
    #[error("creating container {name} failed")]
    Create {
        /// Docker container name.
        name: String,
        /// Engine error.
        #[source]
        source: BollardError,
    },
    /// A call on an existing container failed.
    #[error("{action} of container {id} failed")]
    Container {
        /// `start`, `inspect`, `wait`, `stop` or `remove`.
        action: &'static str,
        /// Container id.
        id: String,
        /// Engine error.
        #[source]
        source: BollardError,
    },
    /// Removing a volume failed.
    #[error("removing volume {name} failed")]
    RemoveVolume {
        /// Volume name.
        name: String,
        /// Engine error.
        #[source]
        source: BollardError,
    },
    /// Listing containers failed.
    #[error("listing containers failed")]
    List(#[source] BollardError),
}

impl DockerError {
    /// The Engine's own message, as the text after an ECS error prefix.
    pub fn engine_message(&self) -> String {
        let source = match self {
            DockerError::Connect(source) | DockerError::List(source) => source,
            DockerError::Pull { source, .. }
            | DockerError::InspectImage { source, .. }
            | DockerError::Create { source, .. }
            | DockerError::Container { source, .. }
            | DockerError::RemoveVolume { source, .. } => source,
        };
        match source {
            BollardError::DockerResponseServerError { message, .. } => message.clone(),
            BollardError::DockerStreamError { error } => error.clone(),
            other => format!("{self}: {other}"),
        }
    }

    /// Whether the Engine answered 404 (no such container, image or volume).
    pub fn is_not_found(&self) -> bool {
        self.status_code() == Some(404)
    }

    fn status_code(&self) -> Option<u16> {
        match self {
            DockerError::Container { source, .. }
            | DockerError::InspectImage { source, .. }
            | DockerError::RemoveVolume { source, .. }
            | DockerError::Create { source, .. } => match source {
                BollardError::DockerResponseServerError { status_code, .. } => Some(*status_code),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Docker's view of a container's lifecycle, reduced to what the agent needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuntimeStatus {
    /// Created, never started.
    Created,
    /// Running (or paused/restarting: the process exists).
    Running,
    /// Exited or dead.
    Exited,
    /// Being removed or unknown.
    Other,
}

/// What inspect says about one container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerInfo {
    /// Docker container id.
    pub runtime_id: String,
    /// Docker container name (without the leading `/`).
    pub docker_name: String,
    /// Image reference the container was created from.
    pub image: String,
    /// All labels.
    pub labels: HashMap<String, String>,
    /// Lifecycle status.
    pub status: RuntimeStatus,
    /// Exit code (meaningful once exited).
    pub exit_code: Option<i64>,
    /// The Engine's error text for a failed start, if any.
    pub error: Option<String>,
    /// Killed by the kernel OOM killer.
    pub oom_killed: bool,
    /// `State.Health.Status` (`starting`, `healthy`, `unhealthy`), if a check runs.
    pub health: Option<String>,
    /// `State.StartedAt`.
    pub started_at: Option<SystemTime>,
    /// `State.FinishedAt`.
    pub finished_at: Option<SystemTime>,
    /// Published ports from `NetworkSettings.Ports`.
    pub port_bindings: Vec<NetworkBinding>,
}

/// The Docker driver. Cheap to clone; clones share the connection and the
/// record of images this agent pulled.
#[derive(Debug, Clone)]
pub struct DockerDriver {
    docker: Docker,
    pulled: Arc<Mutex<HashSet<String>>>,
}

impl DockerDriver {
    /// Connects to the local Engine and negotiates the API version.
    pub async fn connect() -> Result<Self, DockerError> {
        let docker = Docker::connect_with_local_defaults()
            .map_err(DockerError::Connect)?
            .negotiate_version()
            .await
            .map_err(DockerError::Connect)?;
        Ok(Self::from_client(docker))
    }

    /// Wraps an existing (already negotiated) client.
    pub fn from_client(docker: Docker) -> Self {
        DockerDriver {
            docker,
            pulled: Arc::new(Mutex::new(HashSet::new())),
        }
    }

    /// The underlying client, for callers that need an Engine call the
    /// driver does not wrap.
    pub fn client(&self) -> &Docker {
        &self.docker
    }

    /// Whether the image exists locally.
    pub async fn image_present(&self, image: &str) -> Result<bool, DockerError> {
        match self.docker.inspect_image(image).await {
            Ok(_) => Ok(true),
            Err(BollardError::DockerResponseServerError {
                status_code: 404, ..
            }) => Ok(false),
            Err(source) => Err(DockerError::InspectImage {
                image: image.to_string(),
                source,
            }),
        }
    }

    /// Whether this driver (or a clone) pulled the image successfully before.
    pub fn pulled_before(&self, image: &str) -> bool {
        self.pulled
            .lock()
            .map(|set| set.contains(image))
            .unwrap_or(false)
    }

    /// Pulls an image, with registry credentials if given, and waits for
    /// the pull to finish.
    pub async fn pull(&self, image: &str, auth: Option<&RegistryAuth>) -> Result<(), DockerError> {
        let (from_image, tag) = convert::split_image_reference(image);
        let options = CreateImageOptions {
            from_image: Some(from_image),
            tag: Some(tag),
            ..Default::default()
        };
        let credentials = auth.map(|a| DockerCredentials {
            username: Some(a.username.clone()),
            password: Some(a.password.clone()),
            serveraddress: Some(a.server_address.clone()),
            ..Default::default()
        });
        let mut progress = self.docker.create_image(Some(options), None, credentials);
        while let Some(item) = progress.next().await {
            item.map_err(|source| DockerError::Pull {
                image: image.to_string(),
                source,
            })?;
        }
        if let Ok(mut set) = self.pulled.lock() {
            set.insert(image.to_string());
        }
        Ok(())
    }

    /// Creates a task's container (labels, limits, ports, mounts, health
    /// check) and returns its id.
    pub async fn create(
        &self,
        task: &TaskSpec,
        container: &ContainerSpec,
    ) -> Result<String, DockerError> {
        let name = convert::docker_container_name(task, container);
        let options = CreateContainerOptions {
            name: Some(name.clone()),
            ..Default::default()
        };
        let body = convert::build_create_body(task, container);
        let created = self
            .docker
            .create_container(Some(options), body)
            .await
            .map_err(|source| DockerError::Create { name, source })?;
        Ok(created.id)
    }

    /// Starts a created container.
    pub async fn start(&self, id: &str) -> Result<(), DockerError> {
        self.docker
            .start_container(id, None)
            .await
            .map_err(|source| container_error("start", id, source))
    }

    /// Waits until the container is not running. A container that is
    /// already gone counts as stopped.
    pub async fn wait(&self, id: &str) -> Result<(), DockerError> {
        let options = WaitContainerOptions {
            condition: "not-running".to_string(),
        };
        let mut stream = self.docker.wait_container(id, Some(options));
        match stream.next().await {
            None | Some(Ok(_)) => Ok(()),
            // bollard reports a non-zero exit status as an error; it is an exit all the same.
            Some(Err(BollardError::DockerContainerWaitError { .. })) => Ok(()),
            Some(Err(BollardError::DockerResponseServerError {
                status_code: 404, ..
            })) => Ok(()),
            Some(Err(source)) => Err(container_error("wait", id, source)),
        }
    }

    /// Inspects a container.
    pub async fn inspect(&self, id: &str) -> Result<ContainerInfo, DockerError> {
        let response = self
            .docker
            .inspect_container(id, None)
            .await
            .map_err(|source| container_error("inspect", id, source))?;
        let state = response.state.unwrap_or_default();
        let status = match state.status {
            Some(ContainerStateStatusEnum::CREATED) => RuntimeStatus::Created,
            Some(
                ContainerStateStatusEnum::RUNNING
                | ContainerStateStatusEnum::PAUSED
                | ContainerStateStatusEnum::RESTARTING,
            ) => RuntimeStatus::Running,
            Some(ContainerStateStatusEnum::EXITED | ContainerStateStatusEnum::DEAD) => {
                RuntimeStatus::Exited
            }
            _ => RuntimeStatus::Other,
        };
        let port_bindings = response
            .network_settings
            .and_then(|n| n.ports)
            .map(|ports| convert::bindings_from_port_map(&ports))
            .unwrap_or_default();
        let config = response.config.unwrap_or_default();
        Ok(ContainerInfo {
            runtime_id: response.id.unwrap_or_else(|| id.to_string()),
            docker_name: response
                .name
                .map(|n| n.trim_start_matches('/').to_string())
                .unwrap_or_default(),
            image: config.image.unwrap_or_default(),
            labels: config.labels.unwrap_or_default(),
            status,
            exit_code: state.exit_code,
            error: state.error.filter(|e| !e.is_empty()),
            oom_killed: state.oom_killed.unwrap_or(false),
            health: state.health.and_then(|h| h.status).map(|s| s.to_string()),
            started_at: state
                .started_at
                .as_deref()
                .and_then(convert::parse_docker_time),
            finished_at: state
                .finished_at
                .as_deref()
                .and_then(convert::parse_docker_time),
            port_bindings,
        })
    }

    /// Stops a container: the stop signal, then SIGKILL after `timeout`.
    /// Stopping a container that is already stopped or gone succeeds.
    pub async fn stop(&self, id: &str, timeout: Duration) -> Result<(), DockerError> {
        let secs = timeout.as_secs() + u64::from(timeout.subsec_nanos() > 0);
        let options = StopContainerOptions {
            t: Some(i32::try_from(secs).unwrap_or(i32::MAX)),
            signal: None,
        };
        let mut client = self.docker.clone();
        client.set_timeout(REQUEST_TIMEOUT_FLOOR.max(timeout + Duration::from_secs(60)));
        match client.stop_container(id, Some(options)).await {
            Ok(()) => Ok(()),
            Err(BollardError::DockerResponseServerError {
                status_code: 304 | 404,
                ..
            }) => Ok(()),
            Err(source) => Err(container_error("stop", id, source)),
        }
    }

    /// Removes a container (forcefully); a missing one is not an error.
    pub async fn remove(&self, id: &str) -> Result<(), DockerError> {
        let options = RemoveContainerOptions {
            force: true,
            ..Default::default()
        };
        match self.docker.remove_container(id, Some(options)).await {
            Ok(()) => Ok(()),
            Err(BollardError::DockerResponseServerError {
                status_code: 404, ..
            }) => Ok(()),
            Err(source) => Err(container_error("remove", id, source)),
        }
    }

    /// Removes a volume; a missing one is not an error.
    pub async fn remove_volume(&self, name: &str) -> Result<(), DockerError> {
        match self
            .docker
            .remove_volume(name, Some(RemoveVolumeOptions { force: false }))
            .await
        {
            Ok(()) => Ok(()),
            Err(BollardError::DockerResponseServerError {
                status_code: 404, ..
            }) => Ok(()),
            Err(source) => Err(DockerError::RemoveVolume {
                name: name.to_string(),
                source,
            }),
        }
    }

    /// Every container (running or not) that Berth created on this host.
    pub async fn list_managed(&self) -> Result<Vec<ContainerInfo>, DockerError> {
        self.list_by_label(LABEL_MANAGED, MANAGED_VALUE).await
    }

    /// Every container (running or not) carrying `key=value`, inspected.
    /// Containers removed between the listing and the inspect are skipped.
    pub async fn list_by_label(
        &self,
        key: &str,
        value: &str,
    ) -> Result<Vec<ContainerInfo>, DockerError> {
        let filters = HashMap::from([("label".to_string(), vec![format!("{key}={value}")])]);
        let options = ListContainersOptions {
            all: true,
            filters: Some(filters),
            ..Default::default()
        };
        let summaries = self
            .docker
            .list_containers(Some(options))
            .await
            .map_err(DockerError::List)?;
        let mut found = Vec::with_capacity(summaries.len());
        for id in summaries.into_iter().filter_map(|s| s.id) {
            match self.inspect(&id).await {
                Ok(info) => found.push(info),
                Err(err) if err.is_not_found() => {}
                Err(err) => return Err(err),
            }
        }
        Ok(found)
    }
}

fn container_error(action: &'static str, id: &str, source: BollardError) -> DockerError {
    DockerError::Container {
        action,
        id: id.to_string(),
        source,
    }
}
