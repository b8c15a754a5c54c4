//! RegisterTaskDefinition requests into `TaskDefinitionSpec`, and stored
//! `TaskDefinition`s back into the wire `TaskDefinition` shape.

mod container;
mod enums;
#[cfg(test)]
mod tests;

use berth_model::arn::Scope;
use berth_model::task_definition::{
    DockerVolume, EfsAuthorization, EfsVolume, EphemeralStorage, FsxWindowsVolume, HostVolume,
    InferenceAccelerator, PlacementConstraint, Property, ProxyConfiguration, RuntimePlatform,
    S3FilesVolume, TaskDefinition, TaskDefinitionSpec, Volume,
};
use berth_model::validation::ValidationError;

use super::required;
use crate::ecs::wire;
use enums::*;

/// Converts a RegisterTaskDefinition request (tags aside) into the model.
/// Unknown enum values and missing required members are InvalidParameter;
/// everything else is left to `berth_model::task_definition::validate`.
pub fn spec_from_register_request(
    request: wire::RegisterTaskDefinitionRequest,
) -> Result<TaskDefinitionSpec, ValidationError> {
    let family = required(request.family, "family")?;
    let containers = required(request.container_definitions, "containerDefinitions")?
        .into_iter()
        .map(container::container_from_wire)
        .collect::<Result<_, _>>()?;
    Ok(TaskDefinitionSpec {
        family,
        task_role_arn: request.task_role_arn,
        execution_role_arn: request.execution_role_arn,
        network_mode: request
            .network_mode
            .as_deref()
            .map(parse_network_mode)
            .transpose()?,
        containers,
        volumes: map_list(request.volumes, volume_from_wire)?,
        placement_constraints: map_list(request.placement_constraints, constraint_from_wire)?,
        requires_compatibilities: map_list(request.requires_compatibilities, |c| {
            parse_compatibility(&c)
        })?,
        cpu: request.cpu,
        memory: request.memory,
        pid_mode: request
            .pid_mode
            .as_deref()
            .map(parse_pid_mode)
            .transpose()?,
        ipc_mode: request
            .ipc_mode
            .as_deref()
            .map(parse_ipc_mode)
            .transpose()?,
        proxy_configuration: request
            .proxy_configuration
            .map(proxy_from_wire)
            .transpose()?,
        inference_accelerators: map_list(request.inference_accelerators, |acc| {
            Ok(InferenceAccelerator {
                device_name: required(acc.device_name, "inferenceAccelerators.deviceName")?,
                device_type: required(acc.device_type, "inferenceAccelerators.deviceType")?,
            })
        })?,
        ephemeral_storage: request
            .ephemeral_storage
            .map(|storage| {
                Ok::<_, ValidationError>(EphemeralStorage {
                    size_in_gib: required(storage.size_in_gi_b, "ephemeralStorage.sizeInGiB")?,
                })
            })
            .transpose()?,
        runtime_platform: request
            .runtime_platform
            .map(|platform| {
                Ok::<_, ValidationError>(RuntimePlatform {
                    cpu_architecture: platform
                        .cpu_architecture
                        .as_deref()
                        .map(parse_cpu_architecture)
                        .transpose()?,
                    os_family: platform
                        .operating_system_family
                        .as_deref()
                        .map(parse_os_family)
                        .transpose()?,
                })
            })
            .transpose()?,
        enable_fault_injection: request.enable_fault_injection,
    })
}

/// The wire shape of a stored revision, with its ARN minted in `scope`.
pub fn task_definition_to_wire(definition: &TaskDefinition, scope: &Scope) -> wire::TaskDefinition {
    let spec = &definition.spec;
    wire::TaskDefinition {
        task_definition_arn: Some(scope.task_definition_arn(&spec.family, definition.revision)),
        container_definitions: Some(
            spec.containers
                .iter()
                .map(container::container_to_wire)
                .collect(),
        ),
        family: Some(spec.family.clone()),
        task_role_arn: spec.task_role_arn.clone(),
        execution_role_arn: spec.execution_role_arn.clone(),
        network_mode: spec
            .network_mode
            .map(|mode| print_network_mode(mode).to_owned()),
        revision: Some(i32::try_from(definition.revision).unwrap_or(i32::MAX)),
        volumes: spec
            .volumes
            .as_ref()
            .map(|v| v.iter().map(volume_to_wire).collect()),
        status: Some(print_status(definition.status).to_owned()),
        requires_attributes: Some(
            definition
                .requires_attributes
                .iter()
                .map(|attribute| wire::Attribute {
                    name: Some(attribute.name.clone()),
                    ..wire::Attribute::default()
                })
                .collect(),
        ),
        placement_constraints: spec
            .placement_constraints
            .as_ref()
            .map(|list| list.iter().map(constraint_to_wire).collect()),
        compatibilities: Some(
            definition
                .compatibilities
                .iter()
                .map(|c| print_compatibility(*c).to_owned())
                .collect(),
        ),
        runtime_platform: spec.runtime_platform.map(|platform| wire::RuntimePlatform {
            cpu_architecture: platform
                .cpu_architecture
                .map(|arch| print_cpu_architecture(arch).to_owned()),
            operating_system_family: platform.os_family.map(|os| print_os_family(os).to_owned()),
        }),
        requires_compatibilities: spec.requires_compatibilities.as_ref().map(|list| {
            list.iter()
                .map(|c| print_compatibility(*c).to_owned())
                .collect()
        }),
        cpu: spec.cpu.clone(),
        memory: spec.memory.clone(),
        inference_accelerators: spec.inference_accelerators.as_ref().map(|list| {
            list.iter()
                .map(|acc| wire::InferenceAccelerator {
                    device_name: Some(acc.device_name.clone()),
                    device_type: Some(acc.device_type.clone()),
                })
                .collect()
        }),
        pid_mode: spec.pid_mode.map(|mode| print_pid_mode(mode).to_owned()),
        ipc_mode: spec.ipc_mode.map(|mode| print_ipc_mode(mode).to_owned()),
        proxy_configuration: spec.proxy_configuration.as_ref().map(proxy_to_wire),
        registered_at: Some(millis_to_seconds(definition.registered_at_ms)),
        deregistered_at: definition.deregistered_at_ms.map(millis_to_seconds),
        delete_requested_at: definition.delete_requested_at_ms.map(millis_to_seconds),
        registered_by: definition.registered_by.clone(),
        ephemeral_storage: spec
            .ephemeral_storage
            .map(|storage| wire::EphemeralStorage {
                size_in_gi_b: Some(storage.size_in_gib),
            }),
        enable_fault_injection: spec.enable_fault_injection,
    }
}

/// Epoch milliseconds as the epoch seconds the wire carries.
fn millis_to_seconds(millis: i64) -> f64 {
    millis as f64 / 1000.0
}

/// Maps an optional wire list, failing on the first bad element.
pub(super) fn map_list<W, M>(
    list: Option<Vec<W>>,
    convert: impl FnMut(W) -> Result<M, ValidationError>,
) -> Result<Option<Vec<M>>, ValidationError> {
    list.map(|items| items.into_iter().map(convert).collect())
        .transpose()
}

fn volume_from_wire(volume: wire::Volume) -> Result<Volume, ValidationError> {
    Ok(Volume {
        name: volume.name,
        host: volume.host.map(|host| HostVolume {
            source_path: host.source_path,
        }),
        docker_volume: volume
            .docker_volume_configuration
            .map(|docker| {
                Ok::<_, ValidationError>(DockerVolume {
                    scope: docker
                        .scope
                        .as_deref()
                        .map(parse_docker_scope)
                        .transpose()?,
                    autoprovision: docker.autoprovision,
                    driver: docker.driver,
                    driver_opts: docker.driver_opts,
                    labels: docker.labels,
                })
            })
            .transpose()?,
        efs: volume
            .efs_volume_configuration
            .map(|efs| {
                Ok::<_, ValidationError>(EfsVolume {
                    file_system_id: required(
                        efs.file_system_id,
                        "efsVolumeConfiguration.fileSystemId",
                    )?,
                    root_directory: efs.root_directory,
                    transit_encryption: efs
                        .transit_encryption
                        .as_deref()
                        .map(|v| parse_switch(v, "efsVolumeConfiguration.transitEncryption"))
                        .transpose()?,
                    transit_encryption_port: efs.transit_encryption_port,
                    authorization: efs
                        .authorization_config
                        .map(|auth| {
                            Ok::<_, ValidationError>(EfsAuthorization {
                                access_point_id: auth.access_point_id,
                                iam: auth
                                    .iam
                                    .as_deref()
                                    .map(|v| parse_switch(v, "authorizationConfig.iam"))
                                    .transpose()?,
                            })
                        })
                        .transpose()?,
                })
            })
            .transpose()?,
        s3_files: volume
            .s3files_volume_configuration
            .map(|s3| {
                Ok::<_, ValidationError>(S3FilesVolume {
                    file_system_arn: required(
                        s3.file_system_arn,
                        "s3filesVolumeConfiguration.fileSystemArn",
                    )?,
                    root_directory: s3.root_directory,
                    transit_encryption_port: s3.transit_encryption_port,
                    access_point_arn: s3.access_point_arn,
                })
            })
            .transpose()?,
        fsx_windows: volume
            .fsx_windows_file_server_volume_configuration
            .map(|fsx| {
                let field = "fsxWindowsFileServerVolumeConfiguration";
                let auth = required(fsx.authorization_config, field)?;
                Ok::<_, ValidationError>(FsxWindowsVolume {
                    file_system_id: required(fsx.file_system_id, field)?,
                    root_directory: required(fsx.root_directory, field)?,
                    credentials_parameter: required(auth.credentials_parameter, field)?,
                    domain: required(auth.domain, field)?,
                })
            })
            .transpose()?,
        configured_at_launch: volume.configured_at_launch,
    })
}

fn volume_to_wire(volume: &Volume) -> wire::Volume {
    wire::Volume {
        name: volume.name.clone(),
        host: volume.host.as_ref().map(|host| wire::HostVolumeProperties {
            source_path: host.source_path.clone(),
        }),
        docker_volume_configuration: volume.docker_volume.as_ref().map(|docker| {
            wire::DockerVolumeConfiguration {
                scope: docker
                    .scope
                    .map(|scope| print_docker_scope(scope).to_owned()),
                autoprovision: docker.autoprovision,
                driver: docker.driver.clone(),
                driver_opts: docker.driver_opts.clone(),
                labels: docker.labels.clone(),
            }
        }),
        efs_volume_configuration: volume.efs.as_ref().map(|efs| wire::EFSVolumeConfiguration {
            file_system_id: Some(efs.file_system_id.clone()),
            root_directory: efs.root_directory.clone(),
            transit_encryption: efs.transit_encryption.map(|s| print_switch(s).to_owned()),
            transit_encryption_port: efs.transit_encryption_port,
            authorization_config: efs.authorization.as_ref().map(|auth| {
                wire::EFSAuthorizationConfig {
                    access_point_id: auth.access_point_id.clone(),
                    iam: auth.iam.map(|s| print_switch(s).to_owned()),
                }
            }),
        }),
        s3files_volume_configuration: volume.s3_files.as_ref().map(|s3| {
            wire::S3FilesVolumeConfiguration {
                file_system_arn: Some(s3.file_system_arn.clone()),
                root_directory: s3.root_directory.clone(),
                transit_encryption_port: s3.transit_encryption_port,
                access_point_arn: s3.access_point_arn.clone(),
            }
        }),
        fsx_windows_file_server_volume_configuration: volume.fsx_windows.as_ref().map(|fsx| {
            wire::FSxWindowsFileServerVolumeConfiguration {
                file_system_id: Some(fsx.file_system_id.clone()),
                root_directory: Some(fsx.root_directory.clone()),
                authorization_config: Some(wire::FSxWindowsFileServerAuthorizationConfig {
                    credentials_parameter: Some(fsx.credentials_parameter.clone()),
                    domain: Some(fsx.domain.clone()),
                }),
            }
        }),
        configured_at_launch: volume.configured_at_launch,
    }
}

fn constraint_from_wire(
    constraint: wire::TaskDefinitionPlacementConstraint,
) -> Result<PlacementConstraint, ValidationError> {
    Ok(PlacementConstraint {
        constraint_type: parse_constraint_type(&required(
            constraint.r#type,
            "placementConstraints.type",
        )?)?,
        expression: constraint.expression,
    })
}

fn constraint_to_wire(constraint: &PlacementConstraint) -> wire::TaskDefinitionPlacementConstraint {
    wire::TaskDefinitionPlacementConstraint {
        r#type: Some(print_constraint_type(constraint.constraint_type).to_owned()),
        expression: constraint.expression.clone(),
    }
}

fn proxy_from_wire(proxy: wire::ProxyConfiguration) -> Result<ProxyConfiguration, ValidationError> {
    Ok(ProxyConfiguration {
        proxy_type: proxy.r#type.as_deref().map(parse_proxy_type).transpose()?,
        container_name: required(proxy.container_name, "proxyConfiguration.containerName")?,
        properties: proxy.properties.map(|list| {
            list.into_iter()
                .map(|pair| Property {
                    name: pair.name,
                    value: pair.value,
                })
                .collect()
        }),
    })
}

fn proxy_to_wire(proxy: &ProxyConfiguration) -> wire::ProxyConfiguration {
    wire::ProxyConfiguration {
        r#type: proxy.proxy_type.map(|t| print_proxy_type(t).to_owned()),
        container_name: Some(proxy.container_name.clone()),
        properties: proxy.properties.as_ref().map(|list| {
            list.iter()
                .map(|p| wire::KeyValuePair {
                    name: p.name.clone(),
                    value: p.value.clone(),
                })
                .collect()
        }),
    }
}
