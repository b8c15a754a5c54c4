//! What the agent is asked to run: a task and its containers, in the agent's
//! own words (converted from the model's task definition by the caller), and
//! the checks the runner needs before it touches Docker.

use std::collections::HashMap;
use std::time::Duration;

/// Stop timeout used when a container names none (the ECS agent default).
pub const DEFAULT_STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// One task to run on this host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSpec {
    /// Full task ARN; it names the task in labels and state changes.
    pub task_arn: String,
    /// Cluster name (or ARN) the task belongs to.
    pub cluster: String,
    /// Task definition family.
    pub family: String,
    /// Task definition revision.
    pub revision: u32,
    /// Docker network mode shared by all containers.
    pub network_mode: NetworkMode,
    /// Task-level volumes that mount points refer to by name.
    pub volumes: Vec<VolumeSpec>,
    /// The containers, in task definition order.
    pub containers: Vec<ContainerSpec>,
}

/// Network mode of a task on the EC2 launch type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NetworkMode {
    /// Docker's default bridge; port mappings publish host ports.
    #[default]
    Bridge,
    /// The host's network namespace; container ports are host ports.
    Host,
    /// A private network namespace with loopback only.
    None,
}

/// One container of a task.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContainerSpec {
    /// Name, unique within the task.
    pub name: String,
    /// Image reference (`repo[:tag][@digest]`).
    pub image: String,
    /// `command`: replaces the image's CMD when set.
    pub command: Option<Vec<String>>,
    /// `entryPoint`: replaces the image's ENTRYPOINT when set.
    pub entry_point: Option<Vec<String>>,
    /// Environment variables, in order.
    pub environment: Vec<(String, String)>,
    /// `workingDirectory`.
    pub working_directory: Option<String>,
    /// `user` (`user`, `uid`, `user:group`, …).
    pub user: Option<String>,
    /// Whether the task stops when this container stops.
    pub essential: bool,
    /// CPU units (Docker CpuShares); `None` behaves like the ECS agent's 2.
    pub cpu: Option<u32>,
    /// Hard memory limit in MiB.
    pub memory_mib: Option<u32>,
    /// Soft memory limit (reservation) in MiB.
    pub memory_reservation_mib: Option<u32>,
    /// Ports to publish.
    pub port_mappings: Vec<PortMapping>,
    /// Resource limits.
    pub ulimits: Vec<Ulimit>,
    /// `linuxParameters` the runner honours.
    pub linux_parameters: LinuxParameters,
    /// Volumes mounted into the container.
    pub mount_points: Vec<MountPoint>,
    /// Task-definition health check; image health checks are disabled without one.
    pub health_check: Option<HealthCheck>,
    /// Containers that must reach a condition before this one starts.
    pub depends_on: Vec<Dependency>,
    /// Time between the stop signal and SIGKILL; [`DEFAULT_STOP_TIMEOUT`] when unset.
    pub stop_timeout: Option<Duration>,
    /// User labels; the agent's own labels win on a clash.
    pub docker_labels: HashMap<String, String>,
    /// When to pull the image.
    pub pull_behavior: PullBehavior,
    /// Credentials for a private registry.
    pub registry_auth: Option<RegistryAuth>,
}

impl ContainerSpec {
    /// The stop timeout in force for this container.
    pub fn effective_stop_timeout(&self) -> Duration {
        self.stop_timeout.unwrap_or(DEFAULT_STOP_TIMEOUT)
    }
}

/// One published port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortMapping {
    /// Port inside the container.
    pub container_port: u16,
    /// Host port; 0 lets Docker pick one from its ephemeral range (bridge only).
    pub host_port: u16,
    /// Transport protocol.
    pub protocol: Protocol,
}

/// Transport protocol of a port mapping or binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protocol {
    /// TCP (the ECS default).
    #[default]
    Tcp,
    /// UDP.
    Udp,
}

impl Protocol {
    /// The lowercase name Docker and ECS use.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }
}

/// One resource limit (`ulimits[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ulimit {
    /// Limit name (`nofile`, `nproc`, …).
    pub name: String,
    /// Soft limit.
    pub soft_limit: i64,
    /// Hard limit.
    pub hard_limit: i64,
}

/// The `linuxParameters` the runner applies.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinuxParameters {
    /// Run an init process (Docker `--init`) as PID 1.
    pub init_process_enabled: bool,
    /// Capabilities to add.
    pub capabilities_add: Vec<String>,
    /// Capabilities to drop.
    pub capabilities_drop: Vec<String>,
}

/// A task-level volume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeSpec {
    /// Name that mount points refer to.
    pub name: String,
    /// Where the data lives.
    pub kind: VolumeKind,
}

/// Backing of a task-level volume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeKind {
    /// A bind mount of a host path; without a path Docker manages a
    /// task-scoped volume (as ECS does).
    Host {
        /// Absolute host path, if any.
        source_path: Option<String>,
    },
    /// A Docker volume.
    Docker {
        /// Task-scoped volumes are named per task and removed with it; shared
        /// ones keep the given name and outlive the task.
        scope: VolumeScope,
        /// Volume driver; Docker's `local` when unset.
        driver: Option<String>,
        /// Driver options.
        driver_opts: HashMap<String, String>,
        /// Volume labels.
        labels: HashMap<String, String>,
    },
}

/// Lifetime of a Docker volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VolumeScope {
    /// Created for the task and removed with it.
    #[default]
    Task,
    /// Shared across tasks and kept.
    Shared,
}

/// One mount of a task volume into a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountPoint {
    /// Name of the task-level volume.
    pub source_volume: String,
    /// Absolute path inside the container.
    pub container_path: String,
    /// Mount read-only.
    pub read_only: bool,
}

/// A task-definition health check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthCheck {
    /// `["CMD", exe, args…]` or `["CMD-SHELL", "shell command"]`.
    pub command: Vec<String>,
    /// Time between checks (ECS default 30 s).
    pub interval: Duration,
    /// Time one check may take (ECS default 5 s).
    pub timeout: Duration,
    /// Consecutive failures that make the container unhealthy (ECS default 3).
    pub retries: u32,
    /// Grace period during which failures do not count.
    pub start_period: Option<Duration>,
}

impl HealthCheck {
    /// A check with the ECS defaults for interval, timeout and retries.
    pub fn with_defaults(command: Vec<String>) -> Self {
        HealthCheck {
            command,
            interval: Duration::from_secs(30),
            timeout: Duration::from_secs(5),
            retries: 3,
            start_period: None,
        }
    }
}

/// One `dependsOn` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// Name of the container depended on.
    pub container_name: String,
    /// What it must reach first.
    pub condition: DependencyCondition,
}

/// `dependsOn[].condition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DependencyCondition {
    /// The dependency has been started.
    Start,
    /// The dependency has exited, with any code.
    Complete,
    /// The dependency has exited with code 0.
    Success,
    /// The dependency's health check reports healthy.
    Healthy,
}

impl DependencyCondition {
    /// The ECS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DependencyCondition::Start => "START",
            DependencyCondition::Complete => "COMPLETE",
            DependencyCondition::Success => "SUCCESS",
            DependencyCondition::Healthy => "HEALTHY",
        }
    }
}

/// Image pull behaviour (`ECS_IMAGE_PULL_BEHAVIOR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PullBehavior {
    /// Pull; if the pull fails, use a cached image when there is one.
    #[default]
    Default,
    /// Pull; a failed pull fails the task.
    Always,
    /// Pull only if this agent has not pulled the image before or it is gone.
    Once,
    /// Use a cached image when there is one; pull otherwise.
    PreferCached,
}

/// Registry credentials for one pull.
#[derive(Clone, PartialEq, Eq)]
pub struct RegistryAuth {
    /// User name.
    pub username: String,
    /// Password or token.
    pub password: String,
    /// Registry host (`registry.example.com:5000`).
    pub server_address: String,
}

impl std::fmt::Debug for RegistryAuth {
    // The password must never reach a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryAuth")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("server_address", &self.server_address)
            .finish()
    }
}

/// Why a task spec cannot be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    /// The task has no containers.
    #[error("task has no containers")]
    NoContainers,
    /// No container is essential.
    #[error("task has no essential container")]
    NoEssentialContainer,
    /// A container name is empty.
    #[error("container {index} has an empty name")]
    EmptyName {
        /// Position in the task definition.
        index: usize,
    },
    /// Two containers share a name.
    #[error("container name {name:?} is used twice")]
    DuplicateName {
        /// The repeated name.
        name: String,
    },
    /// A dependency names an unknown container (or the container itself).
    #[error("container {container:?} depends on unknown container {dependency:?}")]
    UnknownDependency {
        /// The dependent container.
        container: String,
        /// The missing name.
        dependency: String,
    },
    /// Dependencies form a cycle.
    #[error("dependsOn forms a cycle through container {container:?}")]
    DependencyCycle {
        /// A container on the cycle.
        container: String,
    },
    /// COMPLETE/SUCCESS on an essential container (ECS forbids it).
    #[error("container {container:?} waits for essential container {dependency:?} to exit")]
    ExitConditionOnEssential {
        /// The dependent container.
        container: String,
        /// The essential dependency.
        dependency: String,
    },
    /// HEALTHY on a container without a health check.
    #[error(
        "container {container:?} waits for {dependency:?} to be healthy, which has no health check"
    )]
    HealthyWithoutHealthCheck {
        /// The dependent container.
        container: String,
        /// The dependency without a check.
        dependency: String,
    },
    /// A mount point names an unknown task volume.
    #[error("container {container:?} mounts unknown volume {volume:?}")]
    UnknownVolume {
        /// The container.
        container: String,
        /// The missing volume name.
        volume: String,
    },
    /// A health check command does not start with CMD or CMD-SHELL.
    #[error("container {container:?} health check must start with CMD or CMD-SHELL")]
    BadHealthCheck {
        /// The container.
        container: String,
    },
}

impl TaskSpec {
    /// Checks what the runner relies on: unique names, known dependencies
    /// without cycles, at least one essential container, known volumes.
    pub fn validate(&self) -> Result<(), SpecError> {
        if self.containers.is_empty() {
            return Err(SpecError::NoContainers);
        }
        if !self.containers.iter().any(|c| c.essential) {
            return Err(SpecError::NoEssentialContainer);
        }
        let mut seen = std::collections::HashSet::new();
        for (index, container) in self.containers.iter().enumerate() {
            if container.name.is_empty() {
                return Err(SpecError::EmptyName { index });
            }
            if !seen.insert(container.name.as_str()) {
                return Err(SpecError::DuplicateName {
                    name: container.name.clone(),
                });
            }
        }
        for container in &self.containers {
            self.validate_container(container)?;
        }
        if let Some(container) = self.find_cycle() {
            return Err(SpecError::DependencyCycle { container });
        }
        Ok(())
    }

    /// Index of the container with this name.
    pub fn container_index(&self, name: &str) -> Option<usize> {
        self.containers.iter().position(|c| c.name == name)
    }

    /// The id part of the task ARN (after the last `/`), or the whole ARN.
    pub fn task_id(&self) -> &str {
        self.task_arn.rsplit('/').next().unwrap_or(&self.task_arn)
    }

    fn validate_container(&self, container: &ContainerSpec) -> Result<(), SpecError> {
        for dep in &container.depends_on {
            let target = self
                .containers
                .iter()
                .find(|c| c.name == dep.container_name && c.name != container.name)
                .ok_or_else(|| SpecError::UnknownDependency {
                    container: container.name.clone(),
                    dependency: dep.container_name.clone(),
                })?;
            match dep.condition {
                DependencyCondition::Complete | DependencyCondition::Success
                    if target.essential =>
                {
                    return Err(SpecError::ExitConditionOnEssential {
                        container: container.name.clone(),
                        dependency: target.name.clone(),
                    });
                }
                DependencyCondition::Healthy if target.health_check.is_none() => {
                    return Err(SpecError::HealthyWithoutHealthCheck {
                        container: container.name.clone(),
                        dependency: target.name.clone(),
                    });
                }
                _ => {}
            }
        }
        for mount in &container.mount_points {
            if !self.volumes.iter().any(|v| v.name == mount.source_volume) {
                return Err(SpecError::UnknownVolume {
                    container: container.name.clone(),
                    volume: mount.source_volume.clone(),
                });
            }
        }
        if let Some(check) = &container.health_check {
            let kind = check.command.first().map(String::as_str);
            if !matches!(kind, Some("CMD") | Some("CMD-SHELL")) || check.command.len() < 2 {
                return Err(SpecError::BadHealthCheck {
                    container: container.name.clone(),
                });
            }
        }
        Ok(())
    }

    /// Returns a container on a dependency cycle, if any (Kahn's algorithm:
    /// whatever cannot be peeled off in dependency order is on or behind a cycle).
    fn find_cycle(&self) -> Option<String> {
        let n = self.containers.len();
        let mut remaining_deps: Vec<usize> =
            self.containers.iter().map(|c| c.depends_on.len()).collect();
        let mut done = vec![false; n];
        let mut progress = true;
        while progress {
            progress = false;
            for idx in 0..n {
                if done[idx] || remaining_deps[idx] > 0 {
                    continue;
                }
                done[idx] = true;
                progress = true;
                let name = &self.containers[idx].name;
                for (other_idx, other) in self.containers.iter().enumerate() {
                    let n_edges = other
                        .depends_on
                        .iter()
                        .filter(|d| &d.container_name == name)
                        .count();
                    remaining_deps[other_idx] = remaining_deps[other_idx].saturating_sub(n_edges);
                }
            }
        }
        done.iter()
            .position(|d| !d)
            .map(|idx| self.containers[idx].name.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(
        name: &str,
        essential: bool,
        deps: &[(&str, DependencyCondition)],
    ) -> ContainerSpec {
        ContainerSpec {
            name: name.to_string(),
            image: "img".to_string(),
            essential,
            depends_on: deps
                .iter()
                .map(|(n, c)| Dependency {
                    container_name: n.to_string(),
                    condition: *c,
                })
                .collect(),
            ..Default::default()
        }
    }

    fn task(containers: Vec<ContainerSpec>) -> TaskSpec {
        TaskSpec {
            task_arn: "arn:aws:ecs:us-east-1:123456789012:task/c/abc123".to_string(),
            cluster: "c".to_string(),
            family: "fam".to_string(),
            revision: 1,
            network_mode: NetworkMode::Bridge,
            volumes: vec![],
            containers,
        }
    }

    fn check(spec: TaskSpec, expected: Result<(), SpecError>) {
        assert_eq!(spec.validate(), expected);
    }

    #[test]
    fn validate_cases() {
        use DependencyCondition::*;
        check(task(vec![]), Err(SpecError::NoContainers));
        check(
            task(vec![container("a", false, &[])]),
            Err(SpecError::NoEssentialContainer),
        );
        check(task(vec![container("a", true, &[])]), Ok(()));
        check(
            task(vec![container("a", true, &[]), container("a", false, &[])]),
            Err(SpecError::DuplicateName { name: "a".into() }),
        );
        check(
            task(vec![container("", true, &[])]),
            Err(SpecError::EmptyName { index: 0 }),
        );
        check(
            task(vec![container("a", true, &[("b", Start)])]),
            Err(SpecError::UnknownDependency {
                container: "a".into(),
                dependency: "b".into(),
            }),
        );
        check(
            task(vec![container("a", true, &[("a", Start)])]),
            Err(SpecError::UnknownDependency {
                container: "a".into(),
                dependency: "a".into(),
            }),
        );
        check(
            task(vec![
                container("a", true, &[("b", Start)]),
                container("b", true, &[("a", Start)]),
            ]),
            Err(SpecError::DependencyCycle {
                container: "a".into(),
            }),
        );
        check(
            task(vec![
                container("init", false, &[]),
                container("app", true, &[("init", Success)]),
            ]),
            Ok(()),
        );
        check(
            task(vec![
                container("db", true, &[]),
                container("app", true, &[("db", Complete)]),
            ]),
            Err(SpecError::ExitConditionOnEssential {
                container: "app".into(),
                dependency: "db".into(),
            }),
        );
        check(
            task(vec![
                container("db", true, &[]),
                container("app", true, &[("db", Healthy)]),
            ]),
            Err(SpecError::HealthyWithoutHealthCheck {
                container: "app".into(),
                dependency: "db".into(),
            }),
        );
        let mut with_mount = container("a", true, &[]);
        with_mount.mount_points.push(MountPoint {
            source_volume: "data".into(),
            container_path: "/data".into(),
            read_only: false,
        });
        check(
            task(vec![with_mount]),
            Err(SpecError::UnknownVolume {
                container: "a".into(),
                volume: "data".into(),
            }),
        );
        let mut bad_check = container("a", true, &[]);
        bad_check.health_check = Some(HealthCheck::with_defaults(vec!["true".into()]));
        check(
            task(vec![bad_check]),
            Err(SpecError::BadHealthCheck {
                container: "a".into(),
            }),
        );
    }

    #[test]
    fn task_id_is_last_arn_segment() {
        assert_eq!(task(vec![]).task_id(), "abc123");
    }

    #[test]
    fn registry_auth_debug_hides_password() {
        let auth = RegistryAuth {
            username: "u".into(),
            password: "secret".into(),
            server_address: "r".into(),
        };
        assert!(!format!("{auth:?}").contains("secret"));
    }
}
