//! Rules for one container definition: image, memory, ports for the
//! task's network mode, links, dependencies, health check, limits,
//! environment and secrets.

use std::collections::BTreeMap;

use super::super::{
    ContainerDefinition, DependencyCondition, LogDriver, NetworkMode, Protocol, ResourceType,
    TaskDefinitionSpec,
};
use super::{MIN_CONTAINER_MEMORY_MIB, ipc_is_host};
use crate::validation::ValidationError;

/// Longest image reference (the part before any `@`).
const MAX_IMAGE_LEN: usize = 255;
/// Most port ranges per container.
const MAX_PORT_RANGES: usize = 100;
/// Most environment files per container.
const MAX_ENVIRONMENT_FILES: usize = 10;

pub(super) fn validate_container(
    spec: &TaskDefinitionSpec,
    container: &ContainerDefinition,
    task_memory: Option<u32>,
) -> Result<(), ValidationError> {
    validate_image(&container.image)?;
    validate_memory(container, task_memory)?;
    validate_ports(spec, container)?;
    validate_links_and_hostname(spec, container)?;
    validate_dependencies(spec, container)?;
    validate_health_check(container)?;
    validate_limits(container)?;
    validate_environment(container)?;
    validate_references(spec, container)?;
    validate_system_controls(spec, container)?;
    Ok(())
}

fn invalid(container: &ContainerDefinition, field: &str, detail: &str) -> ValidationError {
    ValidationError::client(format!(
        "Invalid '{field}' setting for container '{}'. {detail}",
        container.name
    ))
}

/// `repo[:tag]` of allowed characters, or `repo@sha256:<64 hex>`.
fn validate_image(image: &str) -> Result<(), ValidationError> {
    if image.is_empty() {
        return Err(ValidationError::client(
            "Container.image should not be null or empty.",
        ));
    }
    let (reference, digest) = match image.split_once('@') {
        Some((reference, digest)) => (reference, Some(digest)),
        None => (image, None),
    };
    if reference.is_empty() || reference.len() > MAX_IMAGE_LEN {
        return Err(ValidationError::client(
            "Container.image must be 1-255 characters (the part before '@' for digests).",
        ));
    }
    let allowed =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.' | b'/' | b'#');
    if !reference.bytes().all(allowed) {
        return Err(ValidationError::client(
            "Container.image contains invalid characters.",
        ));
    }
    if let Some(digest) = digest {
        let valid = digest
            .strip_prefix("sha256:")
            .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
        if !valid {
            return Err(ValidationError::client(
                "Container.image digest must be 'sha256:' followed by exactly 64 hexadecimal characters.",
            ));
        }
    }
    Ok(())
}

fn validate_memory(
    container: &ContainerDefinition,
    task_memory: Option<u32>,
) -> Result<(), ValidationError> {
    if container.cpu.is_some_and(|cpu| cpu < 0) {
        return Err(invalid(container, "cpu", "The value must not be negative."));
    }
    let hard = container.memory;
    let soft = container.memory_reservation;
    if task_memory.is_none() && hard.unwrap_or(0) <= 0 && soft.unwrap_or(0) <= 0 {
        return Err(ValidationError::client(format!(
            "Invalid setting for container '{}'. At least one of 'memory' or 'memoryReservation' must be specified.",
            container.name
        )));
    }
    let minimum = format!("The minimum is {MIN_CONTAINER_MEMORY_MIB} MiB.");
    if hard.is_some_and(|mib| mib < MIN_CONTAINER_MEMORY_MIB) {
        return Err(invalid(container, "memory", &minimum));
    }
    if soft.is_some_and(|mib| mib < MIN_CONTAINER_MEMORY_MIB) {
        return Err(invalid(container, "memoryReservation", &minimum));
    }
    if let (Some(hard), Some(soft)) = (hard, soft)
        && hard <= soft
    {
        return Err(invalid(
            container,
            "memory",
            "'memory' must be greater than 'memoryReservation'.",
        ));
    }
    Ok(())
}

/// `first-last` with 1 <= first < last <= 65535.
fn parse_port_range(text: &str) -> Option<(i32, i32)> {
    let (first, last) = text.split_once('-')?;
    let first: i32 = first.trim().parse().ok()?;
    let last: i32 = last.trim().parse().ok()?;
    (1 <= first && first < last && last <= 65_535).then_some((first, last))
}

fn validate_ports(
    spec: &TaskDefinitionSpec,
    container: &ContainerDefinition,
) -> Result<(), ValidationError> {
    let mappings = container.port_mappings.as_deref().unwrap_or_default();
    if mappings.is_empty() {
        return Ok(());
    }
    let mode = spec.effective_network_mode();
    if mode == NetworkMode::None {
        return Err(ValidationError::client(
            "When networkMode=none, containers cannot have port mappings.",
        ));
    }
    // Every container port, from single mappings and ranges, with its protocol.
    let mut claimed: BTreeMap<i32, Protocol> = BTreeMap::new();
    let mut n_ranges = 0;
    for mapping in mappings {
        let protocol = mapping.protocol.unwrap_or(Protocol::Tcp);
        if let Some(name) = &mapping.name {
            let valid = !name.is_empty()
                && name.len() <= 64
                && !name.starts_with('-')
                && name.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
                });
            if !valid {
                return Err(invalid(
                    container,
                    "portMappings",
                    "A port mapping name is up to 64 lowercase letters, numbers, underscores and hyphens, and cannot start with a hyphen.",
                ));
            }
        }
        let ports = match (&mapping.container_port_range, mapping.container_port) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    container,
                    "portMappings",
                    "Specify either containerPort or containerPortRange, not both.",
                ));
            }
            (None, None) => {
                return Err(invalid(
                    container,
                    "portMappings",
                    "Each port mapping needs a containerPort or a containerPortRange.",
                ));
            }
            (Some(range), None) => {
                if !matches!(mode, NetworkMode::Bridge | NetworkMode::Awsvpc) {
                    return Err(invalid(
                        container,
                        "portMappings",
                        "containerPortRange is only supported when networkMode is bridge or awsvpc.",
                    ));
                }
                if mapping.host_port.is_some() {
                    return Err(invalid(
                        container,
                        "portMappings",
                        "Do not specify hostPort with containerPortRange.",
                    ));
                }
                let (first, last) = parse_port_range(range).ok_or_else(|| {
                    invalid(
                        container,
                        "portMappings",
                        "containerPortRange must be 'first-last' with 1 <= first < last <= 65535.",
                    )
                })?;
                n_ranges += 1;
                if n_ranges > MAX_PORT_RANGES {
                    return Err(invalid(
                        container,
                        "portMappings",
                        "A container can have at most 100 port ranges.",
                    ));
                }
                first..=last
            }
            (None, Some(port)) => {
                if !(1..=65_535).contains(&port) {
                    return Err(invalid(
                        container,
                        "portMappings",
                        "containerPort must be between 1 and 65535.",
                    ));
                }
                if let Some(host_port) = mapping.host_port {
                    if !(0..=65_535).contains(&host_port) {
                        return Err(invalid(
                            container,
                            "portMappings",
                            "hostPort must be between 0 and 65535.",
                        ));
                    }
                    if matches!(mode, NetworkMode::Host | NetworkMode::Awsvpc) && host_port != port
                    {
                        let mode_name = if mode == NetworkMode::Host {
                            "host"
                        } else {
                            "awsvpc"
                        };
                        return Err(ValidationError::client(format!(
                            "When networkMode={mode_name}, the host ports and container ports in port mappings must match."
                        )));
                    }
                }
                port..=port
            }
        };
        for port in ports {
            if let Some(previous) = claimed.insert(port, protocol) {
                let detail = if previous == protocol {
                    format!("Container port {port} is mapped more than once.")
                } else {
                    format!("Container port {port} cannot be mapped for two protocols.")
                };
                return Err(invalid(container, "portMappings", &detail));
            }
        }
    }
    Ok(())
}

fn validate_links_and_hostname(
    spec: &TaskDefinitionSpec,
    container: &ContainerDefinition,
) -> Result<(), ValidationError> {
    let mode = spec.effective_network_mode();
    let links = container.links.as_deref().unwrap_or_default();
    if !links.is_empty() && mode != NetworkMode::Bridge {
        return Err(ValidationError::client(
            "Links are only supported when networkMode=bridge.",
        ));
    }
    for link in links {
        let target = link.split_once(':').map_or(link.as_str(), |(name, _)| name);
        if !spec
            .containers
            .iter()
            .any(|c| c.name == target && c.name != container.name)
        {
            return Err(invalid(
                container,
                "links",
                &format!(
                    "Linked container '{target}' is not another container of the task definition."
                ),
            ));
        }
    }
    if container.hostname.is_some() && mode == NetworkMode::Awsvpc {
        return Err(ValidationError::client(
            "The 'hostname' parameter is not supported when networkMode=awsvpc.",
        ));
    }
    Ok(())
}

fn validate_dependencies(
    spec: &TaskDefinitionSpec,
    container: &ContainerDefinition,
) -> Result<(), ValidationError> {
    for dependency in container.depends_on.as_deref().unwrap_or_default() {
        let target = spec
            .containers
            .iter()
            .find(|c| c.name == dependency.container_name && c.name != container.name)
            .ok_or_else(|| {
                invalid(
                    container,
                    "dependsOn",
                    &format!(
                        "Container '{}' is not another container of the task definition.",
                        dependency.container_name
                    ),
                )
            })?;
        let exits = matches!(
            dependency.condition,
            DependencyCondition::Complete | DependencyCondition::Success
        );
        if exits && target.is_essential() {
            return Err(invalid(
                container,
                "dependsOn",
                &format!(
                    "The COMPLETE and SUCCESS conditions cannot be used on essential container '{}'.",
                    target.name
                ),
            ));
        }
        if dependency.condition == DependencyCondition::Healthy && target.health_check.is_none() {
            return Err(invalid(
                container,
                "dependsOn",
                &format!(
                    "The HEALTHY condition requires container '{}' to have a healthCheck.",
                    target.name
                ),
            ));
        }
    }
    if depends_on_itself(spec, &container.name) {
        return Err(invalid(
            container,
            "dependsOn",
            "Container dependencies form a cycle.",
        ));
    }
    Ok(())
}

/// Whether following dependsOn from `start` leads back to it.
fn depends_on_itself(spec: &TaskDefinitionSpec, start: &str) -> bool {
    let deps_of = |name: &str| -> Vec<&str> {
        spec.containers
            .iter()
            .find(|c| c.name == name)
            .and_then(|c| c.depends_on.as_deref())
            .unwrap_or_default()
            .iter()
            .map(|d| d.container_name.as_str())
            .collect()
    };
    let mut stack = deps_of(start);
    let mut visited = Vec::new();
    while let Some(name) = stack.pop() {
        if name == start {
            return true;
        }
        if !visited.contains(&name) {
            visited.push(name);
            stack.extend(deps_of(name));
        }
    }
    false
}

fn validate_health_check(container: &ContainerDefinition) -> Result<(), ValidationError> {
    let Some(check) = &container.health_check else {
        return Ok(());
    };
    let starts_right = matches!(
        check.command.first().map(String::as_str),
        Some("CMD" | "CMD-SHELL")
    );
    if !starts_right || check.command.len() < 2 {
        return Err(invalid(
            container,
            "healthCheck",
            "The command must start with CMD or CMD-SHELL followed by the command to run.",
        ));
    }
    let ranges = [
        ("interval", check.interval, 5..=300),
        ("timeout", check.timeout, 2..=60),
        ("retries", check.retries, 1..=10),
        ("startPeriod", check.start_period, 0..=300),
    ];
    for (field, value, range) in ranges {
        if value.is_some_and(|v| !range.contains(&v)) {
            return Err(invalid(
                container,
                "healthCheck",
                &format!(
                    "'{field}' must be between {} and {}.",
                    range.start(),
                    range.end()
                ),
            ));
        }
    }
    Ok(())
}

/// Ulimits, timeouts, restart policy, Linux parameters.
fn validate_limits(container: &ContainerDefinition) -> Result<(), ValidationError> {
    let ulimits = container.ulimits.as_deref().unwrap_or_default();
    for (ulimit_idx, ulimit) in ulimits.iter().enumerate() {
        if ulimit.soft_limit > ulimit.hard_limit {
            return Err(invalid(
                container,
                "ulimits",
                "softLimit must not exceed hardLimit.",
            ));
        }
        if ulimits[..ulimit_idx].iter().any(|u| u.name == ulimit.name) {
            return Err(invalid(
                container,
                "ulimits",
                "Each ulimit name may appear only once.",
            ));
        }
    }
    for (field, value) in [
        ("startTimeout", container.start_timeout),
        ("stopTimeout", container.stop_timeout),
    ] {
        if value.is_some_and(|seconds| seconds < 0) {
            return Err(invalid(container, field, "The value must not be negative."));
        }
    }
    if let Some(policy) = &container.restart_policy {
        if policy
            .ignored_exit_codes
            .as_ref()
            .is_some_and(|codes| codes.len() > 50)
        {
            return Err(invalid(
                container,
                "restartPolicy",
                "At most 50 ignored exit codes are allowed.",
            ));
        }
        if policy
            .restart_attempt_period
            .is_some_and(|seconds| !(60..=1800).contains(&seconds))
        {
            return Err(invalid(
                container,
                "restartPolicy",
                "restartAttemptPeriod must be between 60 and 1800 seconds.",
            ));
        }
    }
    if let Some(linux) = &container.linux_parameters {
        if linux.swappiness.is_some_and(|v| !(0..=100).contains(&v)) {
            return Err(invalid(
                container,
                "linuxParameters",
                "swappiness must be between 0 and 100.",
            ));
        }
        if linux.max_swap.is_some_and(|v| v < 0) {
            return Err(invalid(
                container,
                "linuxParameters",
                "maxSwap must not be negative.",
            ));
        }
        if linux.shared_memory_size.is_some_and(|v| v <= 0) {
            return Err(invalid(
                container,
                "linuxParameters",
                "sharedMemorySize must be positive.",
            ));
        }
        if linux
            .tmpfs
            .as_deref()
            .unwrap_or_default()
            .iter()
            .any(|t| t.size <= 0)
        {
            return Err(invalid(
                container,
                "linuxParameters",
                "tmpfs size must be positive.",
            ));
        }
    }
    if container
        .credential_specs
        .as_ref()
        .is_some_and(|specs| specs.len() > 1)
    {
        return Err(invalid(
            container,
            "credentialSpecs",
            "At most one credential spec is allowed.",
        ));
    }
    Ok(())
}

fn validate_environment(container: &ContainerDefinition) -> Result<(), ValidationError> {
    for variable in container.environment.as_deref().unwrap_or_default() {
        let name = variable.name.as_deref().unwrap_or_default();
        if name.is_empty() || name.contains('=') || name.contains('\0') {
            return Err(invalid(
                container,
                "environment",
                "Environment variable names must be non-empty and contain no '=' or NUL.",
            ));
        }
        if variable
            .value
            .as_deref()
            .is_some_and(|value| value.contains('\0'))
        {
            return Err(invalid(
                container,
                "environment",
                "Environment variable values must not contain NUL.",
            ));
        }
    }
    let files = container.environment_files.as_deref().unwrap_or_default();
    if files.len() > MAX_ENVIRONMENT_FILES {
        return Err(invalid(
            container,
            "environmentFiles",
            "At most 10 environment files are allowed.",
        ));
    }
    if files.iter().any(|file| !file.value.ends_with(".env")) {
        return Err(invalid(
            container,
            "environmentFiles",
            "Environment files must have the .env extension.",
        ));
    }
    let secrets = container.secrets.iter().flatten().chain(
        container
            .log_configuration
            .iter()
            .flat_map(|log| log.secret_options.iter().flatten()),
    );
    for secret in secrets {
        if secret.name.is_empty() || secret.value_from.is_empty() {
            return Err(invalid(
                container,
                "secrets",
                "Secrets need a non-empty name and valueFrom.",
            ));
        }
    }
    Ok(())
}

/// Mount points, volumes-from and the awsfirelens log driver refer to
/// things defined elsewhere in the task definition.
fn validate_references(
    spec: &TaskDefinitionSpec,
    container: &ContainerDefinition,
) -> Result<(), ValidationError> {
    let volumes = spec.volumes.as_deref().unwrap_or_default();
    for mount in container.mount_points.as_deref().unwrap_or_default() {
        let source = mount.source_volume.as_deref().unwrap_or_default();
        if !volumes.iter().any(|v| v.name.as_deref() == Some(source)) {
            return Err(invalid(
                container,
                "mountPoints",
                &format!(
                    "Source volume '{source}' is not defined in the task definition's volumes."
                ),
            ));
        }
        if mount
            .container_path
            .as_deref()
            .unwrap_or_default()
            .is_empty()
        {
            return Err(invalid(
                container,
                "mountPoints",
                "containerPath is required.",
            ));
        }
    }
    for from in container.volumes_from.as_deref().unwrap_or_default() {
        let source = from.source_container.as_deref().unwrap_or_default();
        if !spec
            .containers
            .iter()
            .any(|c| c.name == source && c.name != container.name)
        {
            return Err(invalid(
                container,
                "volumesFrom",
                &format!(
                    "Source container '{source}' is not another container of the task definition."
                ),
            ));
        }
    }
    let uses_firelens = container
        .log_configuration
        .as_ref()
        .is_some_and(|log| log.log_driver == LogDriver::Awsfirelens);
    if uses_firelens
        && !spec
            .containers
            .iter()
            .any(|c| c.firelens_configuration.is_some())
    {
        return Err(invalid(
            container,
            "logConfiguration",
            "The awsfirelens log driver needs a container with a firelensConfiguration.",
        ));
    }
    Ok(())
}

fn validate_system_controls(
    spec: &TaskDefinitionSpec,
    container: &ContainerDefinition,
) -> Result<(), ValidationError> {
    for control in container.system_controls.as_deref().unwrap_or_default() {
        let namespace = control.namespace.as_deref().unwrap_or_default();
        if namespace.is_empty() {
            return Err(invalid(
                container,
                "systemControls",
                "namespace is required.",
            ));
        }
        let ipc_namespaced =
            namespace.starts_with("kernel.") || namespace.starts_with("fs.mqueue.");
        if ipc_namespaced && ipc_is_host(spec) {
            return Err(invalid(
                container,
                "systemControls",
                "IPC namespace system controls are not supported when ipcMode=host.",
            ));
        }
        if namespace.starts_with("net.") && spec.effective_network_mode() == NetworkMode::Host {
            return Err(invalid(
                container,
                "systemControls",
                "Network namespace system controls are not supported when networkMode=host.",
            ));
        }
    }
    Ok(())
}

/// The first reason this container cannot run on Fargate, if any.
pub(super) fn fargate_incompatibility(
    spec: &TaskDefinitionSpec,
    container: &ContainerDefinition,
) -> Option<String> {
    let name = &container.name;
    if container.privileged == Some(true) {
        return Some(format!(
            "Fargate does not support privileged containers ('{name}')."
        ));
    }
    if container
        .docker_security_options
        .as_ref()
        .is_some_and(|options| !options.is_empty())
    {
        return Some(format!(
            "Fargate does not support dockerSecurityOptions ('{name}')."
        ));
    }
    if let Some(linux) = &container.linux_parameters
        && (linux.devices.as_ref().is_some_and(|d| !d.is_empty())
            || linux.shared_memory_size.is_some()
            || linux.max_swap.is_some()
            || linux.swappiness.is_some())
    {
        return Some(format!(
            "Fargate does not support devices, sharedMemorySize, maxSwap or swappiness ('{name}')."
        ));
    }
    if container
        .resource_requirements
        .iter()
        .flatten()
        .any(|r| r.resource_type == ResourceType::Gpu)
    {
        return Some(format!("Fargate does not support GPUs ('{name}')."));
    }
    for timeout in [container.start_timeout, container.stop_timeout]
        .into_iter()
        .flatten()
    {
        if !(2..=120).contains(&timeout) {
            return Some(format!(
                "Fargate requires startTimeout and stopTimeout between 2 and 120 seconds ('{name}')."
            ));
        }
    }
    let awslogs = container
        .log_configuration
        .as_ref()
        .is_some_and(|log| log.log_driver == LogDriver::Awslogs);
    if awslogs && spec.execution_role_arn.is_none() {
        return Some(
            "Fargate requires task definition to have execution role ARN to support log driver awslogs."
                .to_owned(),
        );
    }
    if is_ecr_image(&container.image) && spec.execution_role_arn.is_none() {
        return Some(
            "Fargate requires task definition to have execution role ARN to support ECR images."
                .to_owned(),
        );
    }
    None
}

/// `<account>.dkr.ecr.<region>.amazonaws.com/...`.
pub(crate) fn is_ecr_image(image: &str) -> bool {
    image.split('/').next().is_some_and(|registry| {
        registry.contains(".dkr.ecr.") && registry.contains(".amazonaws.com")
    })
}
