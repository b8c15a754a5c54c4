//! From an assignment (the registered task definition plus RunTask overrides)
//! to the runner's [`TaskSpec`]: defaults, overrides, volumes, health checks,
//! dependencies and registry credentials. Pure; members the runner does not
//! implement (log drivers, secrets, devices, tmpfs, …) are left out, and
//! those it cannot honour safely (awsvpc, port ranges, EFS/FSx/S3 volumes)
//! refuse the task.

use std::collections::HashMap;
use std::time::Duration;

use berth_model::task::ContainerOverride;
use berth_model::task_definition::{
    self as model, ContainerDefinition, DependencyCondition as ModelCondition, DockerVolumeScope,
    NetworkMode as ModelNetworkMode, Protocol as ModelProtocol, UlimitName,
};
use berth_protocol::{Assignment, RegistryCredentials};

use crate::spec::{
    ContainerSpec, Dependency, DependencyCondition, HealthCheck, LinuxParameters, MountPoint,
    NetworkMode, PortMapping, Protocol, PullBehavior, RegistryAuth, SpecError, TaskSpec, Ulimit,
    VolumeKind, VolumeScope, VolumeSpec,
};

/// Label naming the agent (host id) that created a container, so several
/// agents sharing one Docker Engine adopt only their own containers.
pub const LABEL_HOST_ID: &str = "berth.host-id";

/// What the conversion needs besides the assignment.
#[derive(Debug, Clone, Copy)]
pub struct ConvertContext<'a> {
    /// Cluster the agent serves; it labels the containers.
    pub cluster: &'a str,
    /// The agent's host id, set as [`LABEL_HOST_ID`].
    pub host_id: &'a str,
    /// When images are pulled.
    pub pull_behavior: PullBehavior,
}

/// Why an assignment cannot become a runnable task.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConvertError {
    /// The network mode is not available on this agent.
    #[error("network mode {0} is not supported by this agent")]
    UnsupportedNetworkMode(&'static str),
    /// A task volume has no name.
    #[error("volume {index} has no name")]
    UnnamedVolume {
        /// Position in the task definition.
        index: usize,
    },
    /// A task volume uses a kind of storage this agent cannot mount.
    #[error("volume {name:?} uses {kind}, which this agent does not support")]
    UnsupportedVolume {
        /// Volume name.
        name: String,
        /// The storage kind.
        kind: &'static str,
    },
    /// A port mapping lacks a container port or uses a range.
    #[error("container {container:?} has a port mapping this agent cannot publish: {detail}")]
    BadPortMapping {
        /// Container name.
        container: String,
        /// What is wrong.
        detail: String,
    },
    /// A mount point lacks its volume or path.
    #[error("container {container:?} has a mount point without a source volume or path")]
    IncompleteMountPoint {
        /// Container name.
        container: String,
    },
    /// An override names a container the definition does not have.
    #[error("override names unknown container {0:?}")]
    UnknownOverride(String),
    /// The resulting spec breaks a runner rule.
    #[error("task definition cannot run")]
    Spec(#[source] SpecError),
}

/// Builds the runner's spec for an assignment.
pub fn spec_from_assignment(
    assignment: &Assignment,
    context: &ConvertContext<'_>,
) -> Result<TaskSpec, ConvertError> {
    let definition = &assignment.definition.spec;
    let network_mode = match definition.effective_network_mode() {
        ModelNetworkMode::Bridge => NetworkMode::Bridge,
        ModelNetworkMode::Host => NetworkMode::Host,
        ModelNetworkMode::None => NetworkMode::None,
        ModelNetworkMode::Awsvpc => return Err(ConvertError::UnsupportedNetworkMode("awsvpc")),
    };
    let volumes = definition
        .volumes
        .as_deref()
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(index, volume)| convert_volume(index, volume))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(unknown) = assignment
        .overrides
        .container_overrides
        .iter()
        .find(|o| !definition.containers.iter().any(|c| c.name == o.name))
    {
        return Err(ConvertError::UnknownOverride(unknown.name.clone()));
    }
    let containers = definition
        .containers
        .iter()
        .map(|container| {
            let container_override = assignment
                .overrides
                .container_overrides
                .iter()
                .find(|o| o.name == container.name);
            convert_container(
                container,
                container_override,
                network_mode,
                assignment.registry_auth.as_ref(),
                context,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let spec = TaskSpec {
        task_arn: assignment.task_arn.clone(),
        cluster: context.cluster.to_string(),
        family: definition.family.clone(),
        revision: assignment.definition.revision,
        network_mode,
        volumes,
        containers,
    };
    spec.validate().map_err(ConvertError::Spec)?;
    Ok(spec)
}

fn convert_volume(index: usize, volume: &model::Volume) -> Result<VolumeSpec, ConvertError> {
    let name = volume
        .name
        .clone()
        .filter(|n| !n.is_empty())
        .ok_or(ConvertError::UnnamedVolume { index })?;
    let unsupported = |kind| ConvertError::UnsupportedVolume {
        name: name.clone(),
        kind,
    };
    if volume.efs.is_some() {
        return Err(unsupported("efs"));
    }
    if volume.fsx_windows.is_some() {
        return Err(unsupported("fsxWindowsFileServer"));
    }
    if volume.s3_files.is_some() {
        return Err(unsupported("s3Files"));
    }
    if volume.configured_at_launch == Some(true) {
        return Err(unsupported("configuredAtLaunch"));
    }
    let kind = match &volume.docker_volume {
        Some(docker) => VolumeKind::Docker {
            scope: match docker.scope {
                Some(DockerVolumeScope::Shared) => VolumeScope::Shared,
                Some(DockerVolumeScope::Task) | None => VolumeScope::Task,
            },
            driver: docker.driver.clone(),
            driver_opts: to_hash_map(docker.driver_opts.as_ref()),
            labels: to_hash_map(docker.labels.as_ref()),
        },
        None => VolumeKind::Host {
            source_path: volume
                .host
                .as_ref()
                .and_then(|h| h.source_path.clone())
                .filter(|p| !p.is_empty()),
        },
    };
    Ok(VolumeSpec { name, kind })
}

fn to_hash_map(
    map: Option<&std::collections::BTreeMap<String, String>>,
) -> HashMap<String, String> {
    map.map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

fn convert_container(
    container: &ContainerDefinition,
    container_override: Option<&ContainerOverride>,
    network_mode: NetworkMode,
    registry: Option<&RegistryCredentials>,
    context: &ConvertContext<'_>,
) -> Result<ContainerSpec, ConvertError> {
    let mut environment: Vec<(String, String)> = container
        .environment
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter_map(|var| Some((var.name.clone()?, var.value.clone().unwrap_or_default())))
        .collect();
    let mut command = container.command.clone();
    let mut cpu = non_negative(container.cpu);
    let mut memory = non_negative(container.memory);
    let mut memory_reservation = non_negative(container.memory_reservation);
    if let Some(o) = container_override {
        if o.command.is_some() {
            command.clone_from(&o.command);
        }
        // ECS merges override variables into the definition's: a name given
        // again takes the override's value, new names are appended.
        for (name, value) in &o.environment {
            match environment.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1.clone_from(value),
                None => environment.push((name.clone(), value.clone())),
            }
        }
        cpu = o.cpu.or(cpu);
        memory = o.memory.or(memory);
        memory_reservation = o.memory_reservation.or(memory_reservation);
    }
    let port_mappings = container
        .port_mappings
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|mapping| convert_port_mapping(&container.name, mapping, network_mode))
        .collect::<Result<Vec<_>, _>>()?;
    let mount_points = container
        .mount_points
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|mount| {
            match (
                mount.source_volume.as_deref(),
                mount.container_path.as_deref(),
            ) {
                (Some(volume), Some(path)) if !volume.is_empty() && !path.is_empty() => {
                    Ok(MountPoint {
                        source_volume: volume.to_string(),
                        container_path: path.to_string(),
                        read_only: mount.read_only.unwrap_or(false),
                    })
                }
                _ => Err(ConvertError::IncompleteMountPoint {
                    container: container.name.clone(),
                }),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut docker_labels: HashMap<String, String> = container
        .docker_labels
        .as_ref()
        .map(|labels| labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    docker_labels.insert(LABEL_HOST_ID.to_string(), context.host_id.to_string());
    Ok(ContainerSpec {
        name: container.name.clone(),
        image: container.image.clone(),
        command,
        entry_point: container.entry_point.clone(),
        environment,
        working_directory: container.working_directory.clone(),
        user: container.user.clone(),
        essential: container.is_essential(),
        cpu,
        memory_mib: memory,
        memory_reservation_mib: memory_reservation,
        port_mappings,
        ulimits: container
            .ulimits
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|u| Ulimit {
                name: ulimit_name(u.name).to_string(),
                soft_limit: i64::from(u.soft_limit),
                hard_limit: i64::from(u.hard_limit),
            })
            .collect(),
        linux_parameters: convert_linux_parameters(container.linux_parameters.as_ref()),
        mount_points,
        health_check: container.health_check.as_ref().map(convert_health_check),
        depends_on: container
            .depends_on
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|d| Dependency {
                container_name: d.container_name.clone(),
                condition: match d.condition {
                    ModelCondition::Start => DependencyCondition::Start,
                    ModelCondition::Complete => DependencyCondition::Complete,
                    ModelCondition::Success => DependencyCondition::Success,
                    ModelCondition::Healthy => DependencyCondition::Healthy,
                },
            })
            .collect(),
        stop_timeout: container
            .stop_timeout
            .and_then(|secs| u64::try_from(secs).ok())
            .map(Duration::from_secs),
        docker_labels,
        pull_behavior: context.pull_behavior,
        registry_auth: registry
            .filter(|r| registry_matches(&container.image, &r.server_address))
            .map(|r| RegistryAuth {
                username: r.username.clone(),
                password: r.password.clone(),
                server_address: r.server_address.clone(),
            }),
    })
}

fn non_negative(value: Option<i32>) -> Option<u32> {
    value.and_then(|v| u32::try_from(v).ok())
}

fn convert_port_mapping(
    container: &str,
    mapping: &model::PortMapping,
    network_mode: NetworkMode,
) -> Result<PortMapping, ConvertError> {
    let bad = |detail: String| ConvertError::BadPortMapping {
        container: container.to_string(),
        detail,
    };
    if let Some(range) = &mapping.container_port_range {
        return Err(bad(format!("container port range {range}")));
    }
    let container_port = mapping
        .container_port
        .ok_or_else(|| bad("no container port".to_string()))?;
    let container_port = u16::try_from(container_port)
        .ok()
        .filter(|p| *p != 0)
        .ok_or_else(|| bad(format!("container port {container_port}")))?;
    let host_port = match network_mode {
        // In host mode the container's port is the host's, whatever was written.
        NetworkMode::Host => container_port,
        NetworkMode::Bridge | NetworkMode::None => {
            let host_port = mapping.host_port.unwrap_or(0);
            u16::try_from(host_port).map_err(|_| bad(format!("host port {host_port}")))?
        }
    };
    Ok(PortMapping {
        container_port,
        host_port,
        protocol: match mapping.protocol {
            Some(ModelProtocol::Udp) => Protocol::Udp,
            Some(ModelProtocol::Tcp) | None => Protocol::Tcp,
        },
    })
}

fn convert_linux_parameters(params: Option<&model::LinuxParameters>) -> LinuxParameters {
    let Some(params) = params else {
        return LinuxParameters::default();
    };
    let capabilities = params.capabilities.clone().unwrap_or_default();
    LinuxParameters {
        init_process_enabled: params.init_process_enabled.unwrap_or(false),
        capabilities_add: capabilities.add.unwrap_or_default(),
        capabilities_drop: capabilities.drop.unwrap_or_default(),
    }
}

fn convert_health_check(check: &model::HealthCheck) -> HealthCheck {
    let secs = |value: Option<i32>, default: u64| {
        Duration::from_secs(value.and_then(|v| u64::try_from(v).ok()).unwrap_or(default))
    };
    HealthCheck {
        command: check.command.clone(),
        interval: secs(check.interval, 30),
        timeout: secs(check.timeout, 5),
        retries: check
            .retries
            .and_then(|r| u32::try_from(r).ok())
            .unwrap_or(3),
        start_period: check
            .start_period
            .and_then(|v| u64::try_from(v).ok())
            .filter(|v| *v > 0)
            .map(Duration::from_secs),
    }
}

fn ulimit_name(name: UlimitName) -> &'static str {
    match name {
        UlimitName::Core => "core",
        UlimitName::Cpu => "cpu",
        UlimitName::Data => "data",
        UlimitName::Fsize => "fsize",
        UlimitName::Locks => "locks",
        UlimitName::Memlock => "memlock",
        UlimitName::Msgqueue => "msgqueue",
        UlimitName::Nice => "nice",
        UlimitName::Nofile => "nofile",
        UlimitName::Nproc => "nproc",
        UlimitName::Rss => "rss",
        UlimitName::Rtprio => "rtprio",
        UlimitName::Rttime => "rttime",
        UlimitName::Sigpending => "sigpending",
        UlimitName::Stack => "stack",
    }
}

/// The registry host of an image reference, as Docker reads it: the first
/// path component when it looks like a host (has a `.` or `:`, or is
/// `localhost`), else Docker Hub.
pub fn image_registry_host(image: &str) -> &str {
    match image.split_once('/') {
        Some((first, _)) if first.contains('.') || first.contains(':') || first == "localhost" => {
            first
        }
        _ => "docker.io",
    }
}

/// Whether credentials for `server_address` apply to `image`.
pub fn registry_matches(image: &str, server_address: &str) -> bool {
    let server = server_address
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    image_registry_host(image).eq_ignore_ascii_case(server)
}

#[cfg(test)]
mod tests;
