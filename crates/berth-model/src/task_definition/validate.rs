//! Validation of a new registration: the task-level rules (family, sizes,
//! network mode, launch types, volumes, constraints) here; per-container
//! rules in `container`. Every rule returns the first violation found.

mod container;

pub(super) use container::is_ecr_image;

use std::collections::BTreeSet;

use super::{
    Compatibility, IpcMode, NetworkMode, PidMode, PlacementConstraintType, ResourceType,
    TaskDefinitionSpec,
};
use crate::names::{NameKind, is_valid_name, validate_name};
use crate::resources::{parse_cpu_units, parse_memory_mib};
use crate::validation::ValidationError;

/// Most containers in one task definition.
pub const MAX_CONTAINERS: usize = 10;
/// Largest task definition document ECS accepts.
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024;
/// Most placement constraints in a task definition.
pub const MAX_PLACEMENT_CONSTRAINTS: usize = 10;
/// Longest memberOf expression.
pub const MAX_EXPRESSION_LEN: usize = 2000;
/// Task CPU bounds for EC2 and EXTERNAL, in units.
pub const TASK_CPU_RANGE: std::ops::RangeInclusive<u32> = 128..=196_608;
/// Docker 20.10+ reserves this much memory per container, in MiB.
pub const MIN_CONTAINER_MEMORY_MIB: i32 = 6;

/// Whether Fargate offers a task of `cpu` units with `memory` MiB (Linux).
pub fn fargate_supports(cpu: u32, memory: u32) -> bool {
    let in_steps = |low: u32, high: u32, step: u32| {
        (low..=high).contains(&memory) && (memory - low).is_multiple_of(step)
    };
    match cpu {
        256 => matches!(memory, 512 | 1024 | 2048),
        512 => in_steps(1024, 4096, 1024),
        1024 => in_steps(2048, 8192, 1024),
        2048 => in_steps(4096, 16_384, 1024),
        4096 => in_steps(8192, 30_720, 1024),
        8192 => in_steps(16_384, 61_440, 4096),
        16_384 => in_steps(32_768, 122_880, 8192),
        _ => false,
    }
}

/// Checks a registration against every rule ECS applies. `document_bytes`
/// is the size of the request document as received.
pub fn validate(spec: &TaskDefinitionSpec, document_bytes: usize) -> Result<(), ValidationError> {
    if document_bytes > MAX_DOCUMENT_BYTES {
        return Err(ValidationError::client(format!(
            "Task definition size is {document_bytes} bytes; the maximum is {MAX_DOCUMENT_BYTES} bytes."
        )));
    }
    validate_name(NameKind::Family, &spec.family)?;
    validate_container_set(spec)?;
    let task_cpu = validate_task_cpu(spec)?;
    let task_memory = validate_task_memory(spec)?;
    for container in &spec.containers {
        container::validate_container(spec, container, task_memory)?;
    }
    validate_totals(spec, task_cpu, task_memory)?;
    validate_volumes(spec)?;
    validate_placement_constraints(spec)?;
    validate_task_options(spec)?;
    if spec.requires(Compatibility::Fargate) {
        check_fargate(spec, task_cpu, task_memory)?;
    }
    if spec.requires(Compatibility::External) {
        check_external(spec)?;
    }
    Ok(())
}

fn validate_container_set(spec: &TaskDefinitionSpec) -> Result<(), ValidationError> {
    if spec.containers.is_empty() {
        return Err(ValidationError::client(
            "Task definition must contain at least one container definition.",
        ));
    }
    if spec.containers.len() > MAX_CONTAINERS {
        return Err(ValidationError::client(format!(
            "Too many containers: a task definition can have at most {MAX_CONTAINERS}."
        )));
    }
    let mut seen = BTreeSet::new();
    for container in &spec.containers {
        validate_name(NameKind::Container, &container.name)?;
        if !seen.insert(container.name.as_str()) {
            return Err(ValidationError::client(format!(
                "Duplicate container name '{}'. Container names must be unique within a task definition.",
                container.name
            )));
        }
    }
    if !spec.containers.iter().any(|c| c.is_essential()) {
        return Err(ValidationError::client(
            "Task definition must have at least one essential container.",
        ));
    }
    Ok(())
}

fn validate_task_cpu(spec: &TaskDefinitionSpec) -> Result<Option<u32>, ValidationError> {
    let Some(text) = spec.cpu.as_deref() else {
        return Ok(None);
    };
    let units = parse_cpu_units(text)
        .ok_or_else(|| ValidationError::client("Invalid 'cpu' setting for task."))?;
    if !TASK_CPU_RANGE.contains(&units) {
        return Err(ValidationError::client(format!(
            "Invalid 'cpu' setting for task. Supported values are between {} and {} CPU units.",
            TASK_CPU_RANGE.start(),
            TASK_CPU_RANGE.end()
        )));
    }
    Ok(Some(units))
}

fn validate_task_memory(spec: &TaskDefinitionSpec) -> Result<Option<u32>, ValidationError> {
    let Some(text) = spec.memory.as_deref() else {
        return Ok(None);
    };
    let mib = parse_memory_mib(text)
        .ok_or_else(|| ValidationError::client("Invalid 'memory' setting for task."))?;
    if mib < MIN_CONTAINER_MEMORY_MIB as u32 {
        return Err(ValidationError::client(format!(
            "Invalid 'memory' setting for task. The minimum is {MIN_CONTAINER_MEMORY_MIB} MiB."
        )));
    }
    Ok(Some(mib))
}

/// Container reservations must fit in the task totals.
fn validate_totals(
    spec: &TaskDefinitionSpec,
    task_cpu: Option<u32>,
    task_memory: Option<u32>,
) -> Result<(), ValidationError> {
    if let Some(task_cpu) = task_cpu {
        let total: i64 = spec
            .containers
            .iter()
            .map(|c| i64::from(c.cpu.unwrap_or(0)))
            .sum();
        if total > i64::from(task_cpu) {
            return Err(ValidationError::client(format!(
                "Invalid 'cpu' setting for task. The sum of container cpu values ({total}) exceeds the task cpu ({task_cpu})."
            )));
        }
    }
    if let Some(task_memory) = task_memory {
        for container in &spec.containers {
            if container
                .memory
                .is_some_and(|hard| i64::from(hard) > i64::from(task_memory))
            {
                return Err(ValidationError::client(format!(
                    "Invalid 'memory' setting for container '{}'. The container memory exceeds the task memory ({task_memory} MiB).",
                    container.name
                )));
            }
        }
        let total: i64 = spec
            .containers
            .iter()
            .map(|c| i64::from(c.memory_reservation.or(c.memory).unwrap_or(0)))
            .sum();
        if total > i64::from(task_memory) {
            return Err(ValidationError::client(format!(
                "Invalid 'memory' setting for task. The sum of container memory reservations ({total} MiB) exceeds the task memory ({task_memory} MiB)."
            )));
        }
    }
    Ok(())
}

fn validate_volumes(spec: &TaskDefinitionSpec) -> Result<(), ValidationError> {
    let volumes = spec.volumes.as_deref().unwrap_or_default();
    let mut names = BTreeSet::new();
    let mut n_at_launch = 0;
    for volume in volumes {
        let name = volume.name.as_deref().unwrap_or_default();
        if !is_valid_name(name) {
            return Err(ValidationError::client(
                "Volume name must be 1-255 characters: letters (uppercase and lowercase), numbers, hyphens and underscores.",
            ));
        }
        if !names.insert(name) {
            return Err(ValidationError::client(format!(
                "Duplicate volume name '{name}'. Volume names must be unique within a task definition."
            )));
        }
        let n_sources = [
            volume.host.is_some(),
            volume.docker_volume.is_some(),
            volume.efs.is_some(),
            volume.s3_files.is_some(),
            volume.fsx_windows.is_some(),
        ]
        .iter()
        .filter(|set| **set)
        .count();
        if n_sources > 1 {
            return Err(ValidationError::client(format!(
                "Volume '{name}' may specify only one of host, dockerVolumeConfiguration, efsVolumeConfiguration, s3filesVolumeConfiguration and fsxWindowsFileServerVolumeConfiguration."
            )));
        }
        if volume.configured_at_launch == Some(true) {
            n_at_launch += 1;
        }
        if let Some(efs) = &volume.efs {
            let iam_on = efs
                .authorization
                .as_ref()
                .is_some_and(|auth| auth.iam == Some(super::Switch::Enabled));
            let uses_access_point = efs
                .authorization
                .as_ref()
                .is_some_and(|auth| auth.access_point_id.is_some());
            let encrypted = efs.transit_encryption == Some(super::Switch::Enabled);
            if (iam_on || uses_access_point) && !encrypted {
                return Err(ValidationError::client(format!(
                    "Volume '{name}': transit encryption must be enabled when EFS IAM authorization or an access point is used."
                )));
            }
            if uses_access_point && efs.root_directory.as_deref().is_some_and(|dir| dir != "/") {
                return Err(ValidationError::client(format!(
                    "Volume '{name}': the root directory must be omitted or '/' when an EFS access point is used."
                )));
            }
        }
    }
    if n_at_launch > 1 {
        return Err(ValidationError::client(
            "Only one volume per task definition may be configured at launch.",
        ));
    }
    Ok(())
}

fn validate_placement_constraints(spec: &TaskDefinitionSpec) -> Result<(), ValidationError> {
    let constraints = spec.placement_constraints.as_deref().unwrap_or_default();
    if constraints.len() > MAX_PLACEMENT_CONSTRAINTS {
        return Err(ValidationError::client(format!(
            "Too many placement constraints: at most {MAX_PLACEMENT_CONSTRAINTS} are allowed."
        )));
    }
    for constraint in constraints {
        if constraint.constraint_type != PlacementConstraintType::MemberOf {
            return Err(ValidationError::client(
                "Only placement constraints of type 'memberOf' are supported in a task definition.",
            ));
        }
        match constraint.expression.as_deref() {
            None | Some("") => {
                return Err(ValidationError::client(
                    "A 'memberOf' placement constraint requires an expression.",
                ));
            }
            Some(expression) if expression.chars().count() > MAX_EXPRESSION_LEN => {
                return Err(ValidationError::client(format!(
                    "Placement constraint expressions can be at most {MAX_EXPRESSION_LEN} characters."
                )));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Ephemeral storage, proxy and accelerator references.
fn validate_task_options(spec: &TaskDefinitionSpec) -> Result<(), ValidationError> {
    if let Some(storage) = spec.ephemeral_storage
        && !(21..=200).contains(&storage.size_in_gib)
    {
        return Err(ValidationError::client(
            "Invalid 'ephemeralStorage' setting for task. The size must be between 21 and 200 GiB.",
        ));
    }
    if let Some(proxy) = &spec.proxy_configuration {
        if !spec
            .containers
            .iter()
            .any(|c| c.name == proxy.container_name)
        {
            return Err(ValidationError::client(format!(
                "Proxy configuration names container '{}', which is not defined in the task definition.",
                proxy.container_name
            )));
        }
        if spec.effective_network_mode() != NetworkMode::Awsvpc {
            return Err(ValidationError::client(
                "Proxy configuration is only supported when networkMode=awsvpc.",
            ));
        }
    }
    let accelerators = spec.inference_accelerators.as_deref().unwrap_or_default();
    for container in &spec.containers {
        for requirement in container
            .resource_requirements
            .as_deref()
            .unwrap_or_default()
        {
            let known = match requirement.resource_type {
                ResourceType::Gpu => requirement.value.parse::<u32>().is_ok_and(|n| n > 0),
                ResourceType::InferenceAccelerator => accelerators
                    .iter()
                    .any(|acc| acc.device_name == requirement.value),
            };
            if !known {
                return Err(ValidationError::client(format!(
                    "Invalid 'resourceRequirements' setting for container '{}'.",
                    container.name
                )));
            }
        }
    }
    Ok(())
}

/// The first reason a definition cannot run on Fargate, if any.
pub(super) fn fargate_incompatibility(
    spec: &TaskDefinitionSpec,
    task_cpu: Option<u32>,
    task_memory: Option<u32>,
) -> Option<String> {
    if spec.effective_network_mode() != NetworkMode::Awsvpc {
        return Some("Fargate only supports network mode 'awsvpc'.".to_owned());
    }
    let Some(cpu) = task_cpu else {
        return Some("Fargate requires that 'cpu' be defined at the task level.".to_owned());
    };
    let Some(memory) = task_memory else {
        return Some("Fargate requires that 'memory' be defined at the task level.".to_owned());
    };
    if !fargate_supports(cpu, memory) {
        return Some("No Fargate configuration exists for given values.".to_owned());
    }
    if !spec
        .placement_constraints
        .as_deref()
        .unwrap_or_default()
        .is_empty()
    {
        return Some("Fargate does not support placement constraints.".to_owned());
    }
    if spec.pid_mode == Some(PidMode::Host) {
        return Some("Fargate does not support pidMode 'host'.".to_owned());
    }
    if spec.ipc_mode.is_some() {
        return Some("Fargate does not support ipcMode.".to_owned());
    }
    if spec
        .inference_accelerators
        .as_deref()
        .is_some_and(|a| !a.is_empty())
    {
        return Some("Fargate does not support inference accelerators.".to_owned());
    }
    for volume in spec.volumes.as_deref().unwrap_or_default() {
        if volume.docker_volume.is_some() {
            return Some("Fargate does not support Docker volumes.".to_owned());
        }
        if volume
            .host
            .as_ref()
            .is_some_and(|host| host.source_path.is_some())
        {
            return Some("Fargate does not support host volumes with a sourcePath.".to_owned());
        }
    }
    for container in &spec.containers {
        if let Some(reason) = container::fargate_incompatibility(spec, container) {
            return Some(reason);
        }
    }
    None
}

fn check_fargate(
    spec: &TaskDefinitionSpec,
    task_cpu: Option<u32>,
    task_memory: Option<u32>,
) -> Result<(), ValidationError> {
    match fargate_incompatibility(spec, task_cpu, task_memory) {
        Some(reason) => Err(ValidationError::client(reason)),
        None => Ok(()),
    }
}

/// The first reason a definition cannot run on EXTERNAL instances, if any.
pub(super) fn external_incompatibility(spec: &TaskDefinitionSpec) -> Option<String> {
    if spec.effective_network_mode() == NetworkMode::Awsvpc {
        return Some("EXTERNAL does not support network mode 'awsvpc'.".to_owned());
    }
    if spec.proxy_configuration.is_some() {
        return Some("EXTERNAL does not support proxy configuration.".to_owned());
    }
    if spec
        .inference_accelerators
        .as_deref()
        .is_some_and(|a| !a.is_empty())
    {
        return Some("EXTERNAL does not support inference accelerators.".to_owned());
    }
    if spec.enable_fault_injection == Some(true) {
        return Some("EXTERNAL does not support fault injection.".to_owned());
    }
    None
}

fn check_external(spec: &TaskDefinitionSpec) -> Result<(), ValidationError> {
    match external_incompatibility(spec) {
        Some(reason) => Err(ValidationError::client(reason)),
        None => Ok(()),
    }
}

/// Parsed task cpu and memory of a spec that passed validation.
pub(super) fn task_sizes(spec: &TaskDefinitionSpec) -> (Option<u32>, Option<u32>) {
    (
        spec.cpu.as_deref().and_then(parse_cpu_units),
        spec.memory.as_deref().and_then(parse_memory_mib),
    )
}

/// IPC mode is consulted by the container rules for systemControls.
pub(super) fn ipc_is_host(spec: &TaskDefinitionSpec) -> bool {
    spec.ipc_mode == Some(IpcMode::Host)
}

#[cfg(test)]
mod tests;
