//! Task definitions: what a client registers (`TaskDefinitionSpec`), and the
//! stored revision (`TaskDefinition`) with ECS's defaults filled in and the
//! compatibilities and required attributes ECS computes.

mod attributes;
mod container;
mod validate;
mod volume;

use serde::{Deserialize, Serialize};

pub use attributes::{compute_compatibilities, compute_requires_attributes};
pub use container::*;
pub use validate::{MAX_CONTAINERS, MAX_DOCUMENT_BYTES, fargate_supports, validate};
pub use volume::*;

use crate::validation::ValidationError;

/// Docker network modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkMode {
    /// Docker's bridge (the Linux default when none is given).
    Bridge,
    /// The host's network stack.
    Host,
    /// A network interface per task.
    Awsvpc,
    /// No networking.
    None,
}

/// PID namespace sharing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PidMode {
    /// The host's namespace.
    Host,
    /// One namespace per task.
    Task,
}

/// IPC namespace sharing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IpcMode {
    /// The host's namespace.
    Host,
    /// One namespace per task.
    Task,
    /// Private per container.
    None,
}

/// Launch types a task definition can be checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compatibility {
    /// Container instances the user runs.
    Ec2,
    /// Hosts Berth provisions per task.
    Fargate,
    /// On-premises instances.
    External,
    /// Managed instances.
    ManagedInstances,
}

/// Lifecycle of a revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskDefinitionStatus {
    /// Usable for new tasks and services.
    Active,
    /// Deregistered; existing users keep running.
    Inactive,
    /// Deletion requested; removed once nothing references it.
    DeleteInProgress,
}

/// A task definition as a client registers it, in our names. Absent members
/// stay `None` so a describe can return exactly what was given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskDefinitionSpec {
    /// Family (the name shared by all revisions).
    pub family: String,
    /// IAM role the containers assume.
    pub task_role_arn: Option<String>,
    /// IAM role the agent uses to pull images and write logs.
    pub execution_role_arn: Option<String>,
    /// Network mode; absent means bridge on Linux, and stays absent.
    pub network_mode: Option<NetworkMode>,
    /// Containers (1-10).
    pub containers: Vec<ContainerDefinition>,
    /// Volumes; ECS fills in `[]`.
    pub volumes: Option<Vec<Volume>>,
    /// Placement constraints; ECS fills in `[]`.
    pub placement_constraints: Option<Vec<PlacementConstraint>>,
    /// Launch types to validate against.
    pub requires_compatibilities: Option<Vec<Compatibility>>,
    /// Task CPU as given (units or vCPUs); stored as units.
    pub cpu: Option<String>,
    /// Task memory as given (MiB or GB); stored as MiB.
    pub memory: Option<String>,
    /// PID namespace.
    pub pid_mode: Option<PidMode>,
    /// IPC namespace.
    pub ipc_mode: Option<IpcMode>,
    /// App Mesh proxy.
    pub proxy_configuration: Option<ProxyConfiguration>,
    /// Elastic Inference accelerators.
    pub inference_accelerators: Option<Vec<InferenceAccelerator>>,
    /// Extra ephemeral storage.
    pub ephemeral_storage: Option<EphemeralStorage>,
    /// Platform.
    pub runtime_platform: Option<RuntimePlatform>,
    /// Accept fault injection requests from the task.
    pub enable_fault_injection: Option<bool>,
}

impl TaskDefinitionSpec {
    /// The network mode in effect: the given one, else bridge.
    pub fn effective_network_mode(&self) -> NetworkMode {
        self.network_mode.unwrap_or(NetworkMode::Bridge)
    }

    /// Whether the client asked ECS to validate against `compatibility`.
    pub fn requires(&self, compatibility: Compatibility) -> bool {
        self.requires_compatibilities
            .as_deref()
            .is_some_and(|list| list.contains(&compatibility))
    }
}

/// A container instance attribute a task definition needs, as ECS reports
/// in `requiresAttributes` (name only, e.g. `ecs.capability.task-eni`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RequiredAttribute {
    /// Attribute name.
    pub name: String,
}

/// What the caller knows about a registration besides the spec: injected so
/// the model never reads a clock or counts revisions itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// Revision number to assign (previous maximum + 1).
    pub revision: u32,
    /// Registration time, epoch milliseconds.
    pub registered_at_ms: i64,
    /// ARN of the principal registering, if known.
    pub registered_by: Option<String>,
    /// Size in bytes of the request document as received (JSON).
    pub document_bytes: usize,
}

/// A stored revision of a task definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskDefinition {
    /// The registered content with ECS's defaults filled in; `cpu` and
    /// `memory` hold plain units and MiB.
    pub spec: TaskDefinitionSpec,
    /// Revision within the family, from 1.
    pub revision: u32,
    /// Lifecycle state.
    pub status: TaskDefinitionStatus,
    /// Launch types this revision can run on.
    pub compatibilities: Vec<Compatibility>,
    /// Container instance attributes it needs.
    pub requires_attributes: Vec<RequiredAttribute>,
    /// Registration time, epoch milliseconds.
    pub registered_at_ms: i64,
    /// Deregistration time, epoch milliseconds.
    pub deregistered_at_ms: Option<i64>,
    /// Deletion request time, epoch milliseconds.
    pub delete_requested_at_ms: Option<i64>,
    /// Principal that registered it.
    pub registered_by: Option<String>,
}

impl TaskDefinition {
    /// Validates `spec` as a new registration and builds the stored revision:
    /// ECS's defaults filled in, cpu and memory converted to units and MiB,
    /// compatibilities and required attributes computed.
    pub fn register(
        spec: TaskDefinitionSpec,
        registration: Registration,
    ) -> Result<TaskDefinition, ValidationError> {
        validate(&spec, registration.document_bytes)?;
        let spec = fill_defaults(spec);
        let compatibilities = compute_compatibilities(&spec);
        let requires_attributes = compute_requires_attributes(&spec);
        Ok(TaskDefinition {
            spec,
            revision: registration.revision,
            status: TaskDefinitionStatus::Active,
            compatibilities,
            requires_attributes,
            registered_at_ms: registration.registered_at_ms,
            deregistered_at_ms: None,
            delete_requested_at_ms: None,
            registered_by: registration.registered_by,
        })
    }

    /// The family name.
    pub fn family(&self) -> &str {
        &self.spec.family
    }

    /// Task CPU in units, when set.
    pub fn cpu_units(&self) -> Option<u32> {
        self.spec
            .cpu
            .as_deref()
            .and_then(crate::resources::parse_cpu_units)
    }

    /// Task memory in MiB, when set.
    pub fn memory_mib(&self) -> Option<u32> {
        self.spec
            .memory
            .as_deref()
            .and_then(crate::resources::parse_memory_mib)
    }
}

/// Fills in what ECS adds to a registered definition (observed in real
/// DescribeTaskDefinition output): container cpu 0, essential true, empty
/// lists for environment, mount points, volumes-from, port mappings and
/// system controls, port protocol tcp, host ports from the network mode,
/// health-check interval/timeout/retries 30/5/3, task volumes and placement
/// constraints `[]`, and cpu/memory as plain numbers.
fn fill_defaults(mut spec: TaskDefinitionSpec) -> TaskDefinitionSpec {
    let network_mode = spec.effective_network_mode();
    spec.cpu = spec
        .cpu
        .as_deref()
        .and_then(crate::resources::parse_cpu_units)
        .map(|units| units.to_string());
    spec.memory = spec
        .memory
        .as_deref()
        .and_then(crate::resources::parse_memory_mib)
        .map(|mib| mib.to_string());
    spec.volumes.get_or_insert_with(Vec::new);
    spec.placement_constraints.get_or_insert_with(Vec::new);
    for container in &mut spec.containers {
        container.cpu.get_or_insert(0);
        container.essential.get_or_insert(true);
        container.environment.get_or_insert_with(Vec::new);
        container.mount_points.get_or_insert_with(Vec::new);
        container.volumes_from.get_or_insert_with(Vec::new);
        container.system_controls.get_or_insert_with(Vec::new);
        for mapping in container.port_mappings.get_or_insert_with(Vec::new) {
            mapping.protocol.get_or_insert(Protocol::Tcp);
            // Ranges get their host ports at run time; ECS leaves hostPort out.
            if mapping.container_port_range.is_none() {
                let default_host_port = match network_mode {
                    NetworkMode::Host | NetworkMode::Awsvpc => mapping.container_port,
                    NetworkMode::Bridge | NetworkMode::None => Some(0),
                };
                if mapping.host_port.is_none() {
                    mapping.host_port = default_host_port;
                }
            }
        }
        if let Some(check) = &mut container.health_check {
            check.interval.get_or_insert(30);
            check.timeout.get_or_insert(5);
            check.retries.get_or_insert(3);
        }
    }
    spec
}
