//! A container definition: everything ECS lets a client say about one
//! container of a task, in our own names. Optional members stay `Option` so
//! a describe returns exactly what was registered plus ECS's defaults.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One container of a task definition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContainerDefinition {
    /// Unique within the task definition.
    pub name: String,
    /// Image reference: `repo[:tag]` or `repo@sha256:<64 hex>`.
    pub image: String,
    /// Secret holding private registry credentials.
    pub repository_credentials: Option<RepositoryCredentials>,
    /// CPU shares; ECS fills in 0.
    pub cpu: Option<i32>,
    /// Hard memory limit in MiB.
    pub memory: Option<i32>,
    /// Soft memory limit (reservation) in MiB.
    pub memory_reservation: Option<i32>,
    /// Docker links `name[:alias]` (bridge only).
    pub links: Option<Vec<String>>,
    /// Published ports; ECS fills in `[]`.
    pub port_mappings: Option<Vec<PortMapping>>,
    /// Whether the task stops when this container stops; ECS fills in true.
    pub essential: Option<bool>,
    /// In-place restarts instead of task replacement.
    pub restart_policy: Option<RestartPolicy>,
    /// Overrides the image entry point.
    pub entry_point: Option<Vec<String>>,
    /// Overrides the image command.
    pub command: Option<Vec<String>>,
    /// Plain environment variables; ECS fills in `[]`.
    pub environment: Option<Vec<EnvironmentVariable>>,
    /// Environment files in S3.
    pub environment_files: Option<Vec<EnvironmentFile>>,
    /// Volume mounts; ECS fills in `[]`.
    pub mount_points: Option<Vec<MountPoint>>,
    /// Volumes taken from other containers; ECS fills in `[]`.
    pub volumes_from: Option<Vec<VolumeFrom>>,
    /// Linux-specific settings.
    pub linux_parameters: Option<LinuxParameters>,
    /// Environment variables resolved from secret stores.
    pub secrets: Option<Vec<SecretRef>>,
    /// Start ordering on other containers of the task.
    pub depends_on: Option<Vec<ContainerDependency>>,
    /// Seconds to wait for dependencies before giving up.
    pub start_timeout: Option<i32>,
    /// Seconds between the stop signal and SIGKILL.
    pub stop_timeout: Option<i32>,
    /// Whether the image tag is resolved to a digest once per deployment.
    pub version_consistency: Option<VersionConsistency>,
    /// Container hostname.
    pub hostname: Option<String>,
    /// User (and group) to run as.
    pub user: Option<String>,
    /// Working directory.
    pub working_directory: Option<String>,
    /// Turns off networking in the container.
    pub disable_networking: Option<bool>,
    /// Runs privileged.
    pub privileged: Option<bool>,
    /// Mounts the root filesystem read-only.
    pub readonly_root_filesystem: Option<bool>,
    /// DNS servers.
    pub dns_servers: Option<Vec<String>>,
    /// DNS search domains.
    pub dns_search_domains: Option<Vec<String>>,
    /// Extra `/etc/hosts` entries.
    pub extra_hosts: Option<Vec<HostEntry>>,
    /// Security options (SELinux, AppArmor, credential specs).
    pub docker_security_options: Option<Vec<String>>,
    /// Keeps stdin open.
    pub interactive: Option<bool>,
    /// Allocates a TTY.
    pub pseudo_terminal: Option<bool>,
    /// Labels set on the Docker container.
    pub docker_labels: Option<BTreeMap<String, String>>,
    /// Resource limits.
    pub ulimits: Option<Vec<Ulimit>>,
    /// Log driver and options.
    pub log_configuration: Option<LogConfiguration>,
    /// Container health check; ECS fills in interval, timeout and retries.
    pub health_check: Option<HealthCheck>,
    /// Namespaced kernel parameters; ECS fills in `[]`.
    pub system_controls: Option<Vec<SystemControl>>,
    /// GPUs and inference accelerators assigned to the container.
    pub resource_requirements: Option<Vec<ResourceRequirement>>,
    /// FireLens log router settings.
    pub firelens_configuration: Option<FirelensConfiguration>,
    /// Active Directory credential spec ARNs (at most one).
    pub credential_specs: Option<Vec<String>>,
}

impl ContainerDefinition {
    /// Whether the container is essential (absent means essential).
    pub fn is_essential(&self) -> bool {
        self.essential.unwrap_or(true)
    }
}

/// Where private registry credentials live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepositoryCredentials {
    /// ARN of the Secrets Manager secret.
    pub credentials_parameter: String,
}

/// Transport protocol of a port mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// TCP (the default).
    Tcp,
    /// UDP.
    Udp,
}

/// Application protocol a port speaks (Service Connect).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppProtocol {
    /// HTTP/1.1.
    Http,
    /// HTTP/2.
    Http2,
    /// gRPC.
    Grpc,
}

/// A container port (or range) published on the host or task ENI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortMapping {
    /// Port inside the container.
    pub container_port: Option<i32>,
    /// Port on the host; ECS fills it in from the network mode.
    pub host_port: Option<i32>,
    /// Transport; ECS fills in TCP.
    pub protocol: Option<Protocol>,
    /// Name used by Service Connect.
    pub name: Option<String>,
    /// Application protocol for Service Connect.
    pub app_protocol: Option<AppProtocol>,
    /// `first-last` range of container ports.
    pub container_port_range: Option<String>,
}

/// Restart policy of one container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestartPolicy {
    /// Whether restarts are on.
    pub enabled: bool,
    /// Exit codes that do not trigger a restart (at most 50).
    pub ignored_exit_codes: Option<Vec<i32>>,
    /// Seconds a container must run before a restart is attempted (60-1800).
    pub restart_attempt_period: Option<i32>,
}

/// A plain environment variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentVariable {
    /// Variable name.
    pub name: Option<String>,
    /// Variable value.
    pub value: Option<String>,
}

/// Kind of an environment file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvironmentFileType {
    /// An object in S3.
    S3,
}

/// An environment file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentFile {
    /// ARN of the object.
    pub value: String,
    /// Where the file lives.
    pub file_type: EnvironmentFileType,
}

/// A volume mounted into the container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountPoint {
    /// Name of a task definition volume.
    pub source_volume: Option<String>,
    /// Path inside the container.
    pub container_path: Option<String>,
    /// Mounts read-only.
    pub read_only: Option<bool>,
}

/// Volumes taken from another container of the task.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeFrom {
    /// The container to take volumes from.
    pub source_container: Option<String>,
    /// Mounts read-only.
    pub read_only: Option<bool>,
}

/// Linux-specific container settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinuxParameters {
    /// Kernel capabilities added and dropped.
    pub capabilities: Option<KernelCapabilities>,
    /// Host devices exposed.
    pub devices: Option<Vec<Device>>,
    /// Runs an init process (`--init`).
    pub init_process_enabled: Option<bool>,
    /// `/dev/shm` size in MiB.
    pub shared_memory_size: Option<i32>,
    /// tmpfs mounts.
    pub tmpfs: Option<Vec<Tmpfs>>,
    /// Swap in MiB beyond memory.
    pub max_swap: Option<i32>,
    /// Swappiness 0-100.
    pub swappiness: Option<i32>,
}

/// Capabilities added to and dropped from Docker's default set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KernelCapabilities {
    /// Added capabilities.
    pub add: Option<Vec<String>>,
    /// Dropped capabilities.
    pub drop: Option<Vec<String>>,
}

/// Cgroup permission on a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DevicePermission {
    /// Read.
    Read,
    /// Write.
    Write,
    /// Create device nodes.
    Mknod,
}

/// A host device exposed to the container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// Path on the host.
    pub host_path: String,
    /// Path inside the container.
    pub container_path: Option<String>,
    /// Permissions; Docker's default is all three.
    pub permissions: Option<Vec<DevicePermission>>,
}

/// A tmpfs mount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tmpfs {
    /// Absolute path inside the container.
    pub container_path: String,
    /// Size in MiB.
    pub size: i32,
    /// Mount options.
    pub mount_options: Option<Vec<String>>,
}

/// An environment variable (or log option) taken from a secret store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretRef {
    /// Variable or option name.
    pub name: String,
    /// ARN (or SSM parameter name) of the secret.
    pub value_from: String,
}

/// Condition a dependency must reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DependencyCondition {
    /// The dependency has started.
    Start,
    /// The dependency has exited.
    Complete,
    /// The dependency has exited with code 0.
    Success,
    /// The dependency's health check passes.
    Healthy,
}

/// A start-order dependency on another container of the task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerDependency {
    /// The container depended on.
    pub container_name: String,
    /// What it must reach.
    pub condition: DependencyCondition,
}

/// Whether image tags are pinned to a digest for a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionConsistency {
    /// Pin (ECS's default behaviour).
    Enabled,
    /// Do not pin.
    Disabled,
}

/// An extra `/etc/hosts` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostEntry {
    /// Hostname.
    pub hostname: String,
    /// Address it resolves to.
    pub ip_address: String,
}

/// Names of the resource limits ECS accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UlimitName {
    /// Core file size.
    Core,
    /// CPU time.
    Cpu,
    /// Data segment size.
    Data,
    /// File size.
    Fsize,
    /// File locks.
    Locks,
    /// Locked memory.
    Memlock,
    /// POSIX message queues.
    Msgqueue,
    /// Nice priority.
    Nice,
    /// Open files.
    Nofile,
    /// Processes.
    Nproc,
    /// Resident set size.
    Rss,
    /// Real-time priority.
    Rtprio,
    /// Real-time CPU time.
    Rttime,
    /// Pending signals.
    Sigpending,
    /// Stack size.
    Stack,
}

/// A resource limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ulimit {
    /// Which limit.
    pub name: UlimitName,
    /// Soft limit.
    pub soft_limit: i32,
    /// Hard limit.
    pub hard_limit: i32,
}

/// Log drivers ECS accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogDriver {
    /// `json-file`.
    JsonFile,
    /// `syslog`.
    Syslog,
    /// `journald`.
    Journald,
    /// `gelf`.
    Gelf,
    /// `fluentd`.
    Fluentd,
    /// `awslogs` (CloudWatch Logs).
    Awslogs,
    /// `splunk`.
    Splunk,
    /// `awsfirelens`.
    Awsfirelens,
}

/// Log routing of a container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogConfiguration {
    /// Driver.
    pub log_driver: LogDriver,
    /// Driver options.
    pub options: Option<BTreeMap<String, String>>,
    /// Driver options taken from secrets.
    pub secret_options: Option<Vec<SecretRef>>,
}

/// A container health check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthCheck {
    /// `["CMD", ...]` or `["CMD-SHELL", "..."]`.
    pub command: Vec<String>,
    /// Seconds between checks (5-300, default 30).
    pub interval: Option<i32>,
    /// Seconds before a check fails (2-60, default 5).
    pub timeout: Option<i32>,
    /// Failures before unhealthy (1-10, default 3).
    pub retries: Option<i32>,
    /// Grace seconds after start (0-300, default off).
    pub start_period: Option<i32>,
}

/// A namespaced kernel parameter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemControl {
    /// Parameter name, e.g. `net.core.somaxconn`.
    pub namespace: Option<String>,
    /// Value.
    pub value: Option<String>,
}

/// Kinds of assignable resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceType {
    /// Physical GPUs (value = count).
    Gpu,
    /// An inference accelerator (value = device name).
    InferenceAccelerator,
}

/// A resource assigned to the container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceRequirement {
    /// GPU count or accelerator device name.
    pub value: String,
    /// Kind of resource.
    pub resource_type: ResourceType,
}

/// FireLens log router kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FirelensType {
    /// Fluentd.
    Fluentd,
    /// Fluent Bit.
    Fluentbit,
}

/// FireLens log router settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirelensConfiguration {
    /// Router kind.
    pub router_type: FirelensType,
    /// Router options.
    pub options: Option<BTreeMap<String, String>>,
}
