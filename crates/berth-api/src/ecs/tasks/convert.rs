//! Tasks and overrides between the model and the wire.

use berth_model::task::{ContainerOverride, Task, TaskOverride, TaskStatus};

use super::super::tags::tags_to_wire;
use super::super::{EcsError, wire, wire_time};
use crate::Api;

/// The wire shape of a task. Tags only when asked for (`include: TAGS`).
pub fn task_to_wire(api: &Api, task: &Task, include_tags: bool) -> wire::Task {
    let task_arn = api.control.scope.task_arn(&task.cluster, &task.id);
    let time = |millis: Option<i64>| millis.map(wire_time);
    let connected = task.last_status >= TaskStatus::Running;
    wire::Task {
        task_arn: Some(task_arn.clone()),
        cluster_arn: Some(api.control.scope.cluster_arn(&task.cluster)),
        task_definition_arn: Some(task_definition_arn(api, task)),
        container_instance_arn: Some(
            api.control
                .scope
                .container_instance_arn(&task.cluster, &task.container_instance_id),
        ),
        overrides: Some(overrides_to_wire(&task.overrides)),
        last_status: Some(task.last_status.as_str().to_owned()),
        desired_status: Some(task.desired_status.as_str().to_owned()),
        cpu: task.cpu.clone(),
        memory: task.memory.clone(),
        containers: Some(
            task.containers
                .iter()
                .map(|container| wire::Container {
                    container_arn: Some(api.control.scope.container_arn(
                        &task.cluster,
                        &task.id,
                        &container.id,
                    )),
                    task_arn: Some(task_arn.clone()),
                    name: Some(container.name.clone()),
                    image: Some(container.image.clone()),
                    image_digest: container.image_digest.clone(),
                    runtime_id: container.runtime_id.clone(),
                    last_status: Some(container.last_status.as_str().to_owned()),
                    exit_code: container.exit_code,
                    reason: container.reason.clone(),
                    network_bindings: Some(
                        container
                            .network_bindings
                            .iter()
                            .map(|binding| wire::NetworkBinding {
                                bind_ip: Some(binding.bind_ip.clone()),
                                container_port: Some(i32::from(binding.container_port)),
                                host_port: Some(i32::from(binding.host_port)),
                                protocol: Some(binding.protocol.clone()),
                                container_port_range: None,
                                host_port_range: None,
                            })
                            .collect(),
                    ),
                    network_interfaces: Some(Vec::new()),
                    health_status: Some(container.health_status.as_str().to_owned()),
                    managed_agents: None,
                    cpu: Some(container.cpu.unwrap_or(0).to_string()),
                    memory: container.memory.map(|m| m.to_string()),
                    memory_reservation: container.memory_reservation.map(|m| m.to_string()),
                    gpu_ids: None,
                })
                .collect(),
        ),
        started_by: task.started_by.clone(),
        version: Some(i64::try_from(task.version).unwrap_or(i64::MAX)),
        stopped_reason: task.stopped_reason.clone(),
        stop_code: task.stop_code.map(|code| code.as_str().to_owned()),
        connectivity: Some(
            if connected {
                "CONNECTED"
            } else {
                "DISCONNECTED"
            }
            .to_owned(),
        ),
        connectivity_at: if connected {
            time(task.started_at_ms)
        } else {
            None
        },
        pull_started_at: time(task.pull_started_at_ms),
        pull_stopped_at: time(task.pull_stopped_at_ms),
        execution_stopped_at: time(task.execution_stopped_at_ms),
        created_at: Some(wire_time(task.created_at_ms)),
        started_at: time(task.started_at_ms),
        stopping_at: time(task.stopping_at_ms),
        stopped_at: time(task.stopped_at_ms),
        group: Some(task.group.clone()),
        launch_type: Some(task.launch_type.as_str().to_owned()),
        platform_family: None,
        platform_version: None,
        capacity_provider_name: None,
        attachments: Some(Vec::new()),
        attributes: None,
        health_status: Some(task.health_status.as_str().to_owned()),
        tags: include_tags.then(|| tags_to_wire(&task.tags)),
        availability_zone: task.availability_zone.clone(),
        enable_execute_command: Some(task.enable_execute_command),
        inference_accelerators: Some(Vec::new()),
        ephemeral_storage: None,
        fargate_ephemeral_storage: None,
    }
}

/// `arn:…:task-definition/<family>:<revision>` of a task.
pub fn task_definition_arn(api: &Api, task: &Task) -> String {
    api.control
        .scope
        .task_definition_arn(&task.family, task.revision)
}

/// RunTask overrides from the wire. Each container override must name a
/// container; unsupported kinds (GPUs, accelerators, environment files) are
/// refused rather than silently ignored.
pub fn overrides_from_wire(overrides: wire::TaskOverride) -> Result<TaskOverride, EcsError> {
    if overrides
        .inference_accelerator_overrides
        .as_ref()
        .is_some_and(|o| !o.is_empty())
    {
        return Err(EcsError::InvalidParameter(
            "Inference accelerators are not supported by this Berth.".to_owned(),
        ));
    }
    let mut containers = Vec::new();
    for container in overrides.container_overrides.unwrap_or_default() {
        let Some(name) = container.name else {
            return Err(EcsError::InvalidParameter(
                "Container overrides must name a container.".to_owned(),
            ));
        };
        if container
            .environment_files
            .as_ref()
            .is_some_and(|f| !f.is_empty())
            || container
                .resource_requirements
                .as_ref()
                .is_some_and(|r| !r.is_empty())
        {
            return Err(EcsError::InvalidParameter(
                "environmentFiles and resourceRequirements overrides are not supported by this Berth.".to_owned(),
            ));
        }
        let non_negative = |value: Option<i32>, field: &str| match value {
            Some(v) if v < 0 => Err(EcsError::InvalidParameter(format!(
                "Container override {field} must not be negative."
            ))),
            other => Ok(other.map(|v| v as u32)),
        };
        let mut environment = Vec::new();
        for pair in container.environment.unwrap_or_default() {
            let Some(key) = pair.name.filter(|k| !k.is_empty()) else {
                return Err(EcsError::InvalidParameter(
                    "Environment variable names in overrides must not be empty.".to_owned(),
                ));
            };
            environment.push((key, pair.value.unwrap_or_default()));
        }
        containers.push(ContainerOverride {
            name,
            command: container.command,
            environment,
            cpu: non_negative(container.cpu, "cpu")?,
            memory: non_negative(container.memory, "memory")?,
            memory_reservation: non_negative(container.memory_reservation, "memoryReservation")?,
        });
    }
    Ok(TaskOverride {
        container_overrides: containers,
        cpu: overrides.cpu,
        memory: overrides.memory,
        task_role_arn: overrides.task_role_arn,
        execution_role_arn: overrides.execution_role_arn,
        ephemeral_storage_gib: overrides
            .ephemeral_storage
            .and_then(|storage| storage.size_in_gi_b)
            .and_then(|size| u32::try_from(size).ok()),
    })
}

/// Overrides as DescribeTasks shows them.
pub fn overrides_to_wire(overrides: &TaskOverride) -> wire::TaskOverride {
    wire::TaskOverride {
        container_overrides: Some(
            overrides
                .container_overrides
                .iter()
                .map(|container| wire::ContainerOverride {
                    name: Some(container.name.clone()),
                    command: container.command.clone(),
                    environment: (!container.environment.is_empty()).then(|| {
                        container
                            .environment
                            .iter()
                            .map(|(name, value)| wire::KeyValuePair {
                                name: Some(name.clone()),
                                value: Some(value.clone()),
                            })
                            .collect()
                    }),
                    environment_files: None,
                    cpu: container.cpu.map(|v| v as i32),
                    memory: container.memory.map(|v| v as i32),
                    memory_reservation: container.memory_reservation.map(|v| v as i32),
                    resource_requirements: None,
                })
                .collect(),
        ),
        cpu: overrides.cpu.clone(),
        memory: overrides.memory.clone(),
        task_role_arn: overrides.task_role_arn.clone(),
        execution_role_arn: overrides.execution_role_arn.clone(),
        inference_accelerator_overrides: Some(Vec::new()),
        ephemeral_storage: overrides
            .ephemeral_storage_gib
            .map(|size| wire::EphemeralStorage {
                size_in_gi_b: Some(size as i32),
            }),
    }
}
