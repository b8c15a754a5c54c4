//! Container definitions between the wire and the model, member by member.

use berth_model::task_definition::{
    ContainerDefinition, ContainerDependency, Device, EnvironmentFile, EnvironmentVariable,
    FirelensConfiguration, HealthCheck, HostEntry, KernelCapabilities, LinuxParameters,
    LogConfiguration, MountPoint, PortMapping, RepositoryCredentials, ResourceRequirement,
    RestartPolicy, SecretRef, SystemControl, Tmpfs, Ulimit, VolumeFrom,
};
use berth_model::validation::ValidationError;

use super::enums::*;
use super::map_list;
use crate::ecs::convert::required;
use crate::ecs::wire;

pub(super) fn container_from_wire(
    c: wire::ContainerDefinition,
) -> Result<ContainerDefinition, ValidationError> {
    Ok(ContainerDefinition {
        // Name and image are not required in botocore's model; the model's
        // validation reports them empty with ECS's wording.
        name: c.name.unwrap_or_default(),
        image: c.image.unwrap_or_default(),
        repository_credentials: c
            .repository_credentials
            .map(|creds| {
                Ok::<_, ValidationError>(RepositoryCredentials {
                    credentials_parameter: required(
                        creds.credentials_parameter,
                        "repositoryCredentials.credentialsParameter",
                    )?,
                })
            })
            .transpose()?,
        cpu: c.cpu,
        memory: c.memory,
        memory_reservation: c.memory_reservation,
        links: c.links,
        port_mappings: map_list(c.port_mappings, |pm| {
            Ok(PortMapping {
                container_port: pm.container_port,
                host_port: pm.host_port,
                protocol: pm.protocol.as_deref().map(parse_protocol).transpose()?,
                name: pm.name,
                app_protocol: pm
                    .app_protocol
                    .as_deref()
                    .map(parse_app_protocol)
                    .transpose()?,
                container_port_range: pm.container_port_range,
            })
        })?,
        essential: c.essential,
        restart_policy: c
            .restart_policy
            .map(|policy| {
                Ok::<_, ValidationError>(RestartPolicy {
                    enabled: required(policy.enabled, "restartPolicy.enabled")?,
                    ignored_exit_codes: policy.ignored_exit_codes,
                    restart_attempt_period: policy.restart_attempt_period,
                })
            })
            .transpose()?,
        entry_point: c.entry_point,
        command: c.command,
        environment: c.environment.map(|list| {
            list.into_iter()
                .map(|pair| EnvironmentVariable {
                    name: pair.name,
                    value: pair.value,
                })
                .collect()
        }),
        environment_files: map_list(c.environment_files, |file| {
            Ok(EnvironmentFile {
                value: required(file.value, "environmentFiles.value")?,
                file_type: parse_environment_file_type(&required(
                    file.r#type,
                    "environmentFiles.type",
                )?)?,
            })
        })?,
        mount_points: c.mount_points.map(|list| {
            list.into_iter()
                .map(|mp| MountPoint {
                    source_volume: mp.source_volume,
                    container_path: mp.container_path,
                    read_only: mp.read_only,
                })
                .collect()
        }),
        volumes_from: c.volumes_from.map(|list| {
            list.into_iter()
                .map(|vf| VolumeFrom {
                    source_container: vf.source_container,
                    read_only: vf.read_only,
                })
                .collect()
        }),
        linux_parameters: c.linux_parameters.map(linux_from_wire).transpose()?,
        secrets: map_list(c.secrets, |s| secret_from_wire(s, "secrets"))?,
        depends_on: map_list(c.depends_on, |dep| {
            Ok(ContainerDependency {
                container_name: required(dep.container_name, "dependsOn.containerName")?,
                condition: parse_condition(&required(dep.condition, "dependsOn.condition")?)?,
            })
        })?,
        start_timeout: c.start_timeout,
        stop_timeout: c.stop_timeout,
        version_consistency: c
            .version_consistency
            .as_deref()
            .map(parse_version_consistency)
            .transpose()?,
        hostname: c.hostname,
        user: c.user,
        working_directory: c.working_directory,
        disable_networking: c.disable_networking,
        privileged: c.privileged,
        readonly_root_filesystem: c.readonly_root_filesystem,
        dns_servers: c.dns_servers,
        dns_search_domains: c.dns_search_domains,
        extra_hosts: map_list(c.extra_hosts, |host| {
            Ok(HostEntry {
                hostname: required(host.hostname, "extraHosts.hostname")?,
                ip_address: required(host.ip_address, "extraHosts.ipAddress")?,
            })
        })?,
        docker_security_options: c.docker_security_options,
        interactive: c.interactive,
        pseudo_terminal: c.pseudo_terminal,
        docker_labels: c.docker_labels,
        ulimits: map_list(c.ulimits, |u| {
            Ok(Ulimit {
                name: parse_ulimit_name(&required(u.name, "ulimits.name")?)?,
                soft_limit: required(u.soft_limit, "ulimits.softLimit")?,
                hard_limit: required(u.hard_limit, "ulimits.hardLimit")?,
            })
        })?,
        log_configuration: c
            .log_configuration
            .map(|log| {
                Ok::<_, ValidationError>(LogConfiguration {
                    log_driver: parse_log_driver(&required(
                        log.log_driver,
                        "logConfiguration.logDriver",
                    )?)?,
                    options: log.options,
                    secret_options: map_list(log.secret_options, |s| {
                        secret_from_wire(s, "logConfiguration.secretOptions")
                    })?,
                })
            })
            .transpose()?,
        health_check: c
            .health_check
            .map(|hc| {
                Ok::<_, ValidationError>(HealthCheck {
                    command: required(hc.command, "healthCheck.command")?,
                    interval: hc.interval,
                    timeout: hc.timeout,
                    retries: hc.retries,
                    start_period: hc.start_period,
                })
            })
            .transpose()?,
        system_controls: c.system_controls.map(|list| {
            list.into_iter()
                .map(|sc| SystemControl {
                    namespace: sc.namespace,
                    value: sc.value,
                })
                .collect()
        }),
        resource_requirements: map_list(c.resource_requirements, |rr| {
            Ok(ResourceRequirement {
                value: required(rr.value, "resourceRequirements.value")?,
                resource_type: parse_resource_type(&required(
                    rr.r#type,
                    "resourceRequirements.type",
                )?)?,
            })
        })?,
        firelens_configuration: c
            .firelens_configuration
            .map(|fl| {
                Ok::<_, ValidationError>(FirelensConfiguration {
                    router_type: parse_firelens_type(&required(
                        fl.r#type,
                        "firelensConfiguration.type",
                    )?)?,
                    options: fl.options,
                })
            })
            .transpose()?,
        credential_specs: c.credential_specs,
    })
}

fn secret_from_wire(secret: wire::Secret, field: &str) -> Result<SecretRef, ValidationError> {
    Ok(SecretRef {
        name: required(secret.name, &format!("{field}.name"))?,
        value_from: required(secret.value_from, &format!("{field}.valueFrom"))?,
    })
}

fn secret_to_wire(secret: &SecretRef) -> wire::Secret {
    wire::Secret {
        name: Some(secret.name.clone()),
        value_from: Some(secret.value_from.clone()),
    }
}

fn linux_from_wire(linux: wire::LinuxParameters) -> Result<LinuxParameters, ValidationError> {
    Ok(LinuxParameters {
        capabilities: linux.capabilities.map(|caps| KernelCapabilities {
            add: caps.add,
            drop: caps.drop,
        }),
        devices: map_list(linux.devices, |device| {
            Ok(Device {
                host_path: required(device.host_path, "devices.hostPath")?,
                container_path: device.container_path,
                permissions: map_list(device.permissions, |p| parse_device_permission(&p))?,
            })
        })?,
        init_process_enabled: linux.init_process_enabled,
        shared_memory_size: linux.shared_memory_size,
        tmpfs: map_list(linux.tmpfs, |t| {
            Ok(Tmpfs {
                container_path: required(t.container_path, "tmpfs.containerPath")?,
                size: required(t.size, "tmpfs.size")?,
                mount_options: t.mount_options,
            })
        })?,
        max_swap: linux.max_swap,
        swappiness: linux.swappiness,
    })
}

fn linux_to_wire(linux: &LinuxParameters) -> wire::LinuxParameters {
    wire::LinuxParameters {
        capabilities: linux
            .capabilities
            .as_ref()
            .map(|caps| wire::KernelCapabilities {
                add: caps.add.clone(),
                drop: caps.drop.clone(),
            }),
        devices: linux.devices.as_ref().map(|list| {
            list.iter()
                .map(|d| wire::Device {
                    host_path: Some(d.host_path.clone()),
                    container_path: d.container_path.clone(),
                    permissions: d.permissions.as_ref().map(|ps| {
                        ps.iter()
                            .map(|p| print_device_permission(*p).to_owned())
                            .collect()
                    }),
                })
                .collect()
        }),
        init_process_enabled: linux.init_process_enabled,
        shared_memory_size: linux.shared_memory_size,
        tmpfs: linux.tmpfs.as_ref().map(|list| {
            list.iter()
                .map(|t| wire::Tmpfs {
                    container_path: Some(t.container_path.clone()),
                    size: Some(t.size),
                    mount_options: t.mount_options.clone(),
                })
                .collect()
        }),
        max_swap: linux.max_swap,
        swappiness: linux.swappiness,
    }
}

pub(super) fn container_to_wire(c: &ContainerDefinition) -> wire::ContainerDefinition {
    wire::ContainerDefinition {
        name: Some(c.name.clone()),
        image: Some(c.image.clone()),
        repository_credentials: c.repository_credentials.as_ref().map(|creds| {
            wire::RepositoryCredentials {
                credentials_parameter: Some(creds.credentials_parameter.clone()),
            }
        }),
        cpu: c.cpu,
        memory: c.memory,
        memory_reservation: c.memory_reservation,
        links: c.links.clone(),
        port_mappings: c.port_mappings.as_ref().map(|list| {
            list.iter()
                .map(|pm| wire::PortMapping {
                    container_port: pm.container_port,
                    host_port: pm.host_port,
                    protocol: pm.protocol.map(|p| print_protocol(p).to_owned()),
                    name: pm.name.clone(),
                    app_protocol: pm.app_protocol.map(|p| print_app_protocol(p).to_owned()),
                    container_port_range: pm.container_port_range.clone(),
                })
                .collect()
        }),
        essential: c.essential,
        restart_policy: c
            .restart_policy
            .as_ref()
            .map(|policy| wire::ContainerRestartPolicy {
                enabled: Some(policy.enabled),
                ignored_exit_codes: policy.ignored_exit_codes.clone(),
                restart_attempt_period: policy.restart_attempt_period,
            }),
        entry_point: c.entry_point.clone(),
        command: c.command.clone(),
        environment: c.environment.as_ref().map(|list| {
            list.iter()
                .map(|v| wire::KeyValuePair {
                    name: v.name.clone(),
                    value: v.value.clone(),
                })
                .collect()
        }),
        environment_files: c.environment_files.as_ref().map(|list| {
            list.iter()
                .map(|f| wire::EnvironmentFile {
                    value: Some(f.value.clone()),
                    r#type: Some(print_environment_file_type(f.file_type).to_owned()),
                })
                .collect()
        }),
        mount_points: c.mount_points.as_ref().map(|list| {
            list.iter()
                .map(|mp| wire::MountPoint {
                    source_volume: mp.source_volume.clone(),
                    container_path: mp.container_path.clone(),
                    read_only: mp.read_only,
                })
                .collect()
        }),
        volumes_from: c.volumes_from.as_ref().map(|list| {
            list.iter()
                .map(|vf| wire::VolumeFrom {
                    source_container: vf.source_container.clone(),
                    read_only: vf.read_only,
                })
                .collect()
        }),
        linux_parameters: c.linux_parameters.as_ref().map(linux_to_wire),
        secrets: c
            .secrets
            .as_ref()
            .map(|list| list.iter().map(secret_to_wire).collect()),
        depends_on: c.depends_on.as_ref().map(|list| {
            list.iter()
                .map(|dep| wire::ContainerDependency {
                    container_name: Some(dep.container_name.clone()),
                    condition: Some(print_condition(dep.condition).to_owned()),
                })
                .collect()
        }),
        start_timeout: c.start_timeout,
        stop_timeout: c.stop_timeout,
        version_consistency: c
            .version_consistency
            .map(|v| print_version_consistency(v).to_owned()),
        hostname: c.hostname.clone(),
        user: c.user.clone(),
        working_directory: c.working_directory.clone(),
        disable_networking: c.disable_networking,
        privileged: c.privileged,
        readonly_root_filesystem: c.readonly_root_filesystem,
        dns_servers: c.dns_servers.clone(),
        dns_search_domains: c.dns_search_domains.clone(),
        extra_hosts: c.extra_hosts.as_ref().map(|list| {
            list.iter()
                .map(|h| wire::HostEntry {
                    hostname: Some(h.hostname.clone()),
                    ip_address: Some(h.ip_address.clone()),
                })
                .collect()
        }),
        docker_security_options: c.docker_security_options.clone(),
        interactive: c.interactive,
        pseudo_terminal: c.pseudo_terminal,
        docker_labels: c.docker_labels.clone(),
        ulimits: c.ulimits.as_ref().map(|list| {
            list.iter()
                .map(|u| wire::Ulimit {
                    name: Some(print_ulimit_name(u.name).to_owned()),
                    soft_limit: Some(u.soft_limit),
                    hard_limit: Some(u.hard_limit),
                })
                .collect()
        }),
        log_configuration: c
            .log_configuration
            .as_ref()
            .map(|log| wire::LogConfiguration {
                log_driver: Some(print_log_driver(log.log_driver).to_owned()),
                options: log.options.clone(),
                secret_options: log
                    .secret_options
                    .as_ref()
                    .map(|list| list.iter().map(secret_to_wire).collect()),
            }),
        health_check: c.health_check.as_ref().map(|hc| wire::HealthCheck {
            command: Some(hc.command.clone()),
            interval: hc.interval,
            timeout: hc.timeout,
            retries: hc.retries,
            start_period: hc.start_period,
        }),
        system_controls: c.system_controls.as_ref().map(|list| {
            list.iter()
                .map(|sc| wire::SystemControl {
                    namespace: sc.namespace.clone(),
                    value: sc.value.clone(),
                })
                .collect()
        }),
        resource_requirements: c.resource_requirements.as_ref().map(|list| {
            list.iter()
                .map(|rr| wire::ResourceRequirement {
                    value: Some(rr.value.clone()),
                    r#type: Some(print_resource_type(rr.resource_type).to_owned()),
                })
                .collect()
        }),
        firelens_configuration: c.firelens_configuration.as_ref().map(|fl| {
            wire::FirelensConfiguration {
                r#type: Some(print_firelens_type(fl.router_type).to_owned()),
                options: fl.options.clone(),
            }
        }),
        credential_specs: c.credential_specs.clone(),
    }
}
