//! What ECS computes from a registered definition: the launch types it is
//! compatible with and the container instance attributes (agent
//! capabilities) a host needs to run it. Attribute names follow the ECS
//! agent's vocabulary.

use std::collections::BTreeSet;

use super::validate::{external_incompatibility, fargate_incompatibility, task_sizes};
use super::{
    Compatibility, FirelensType, LogDriver, NetworkMode, RequiredAttribute, TaskDefinitionSpec,
};

const LEGACY: &str = "com.amazonaws.ecs.capability.";
const CURRENT: &str = "ecs.capability.";

/// Launch types the definition can run on: EC2 always, EXTERNAL and
/// FARGATE when nothing in it rules them out, MANAGED_INSTANCES when asked.
pub fn compute_compatibilities(spec: &TaskDefinitionSpec) -> Vec<Compatibility> {
    let (cpu, memory) = task_sizes(spec);
    let mut compatibilities = vec![Compatibility::Ec2];
    if external_incompatibility(spec).is_none() {
        compatibilities.push(Compatibility::External);
    }
    if fargate_incompatibility(spec, cpu, memory).is_none() {
        compatibilities.push(Compatibility::Fargate);
    }
    if spec.requires(Compatibility::ManagedInstances) {
        compatibilities.push(Compatibility::ManagedInstances);
    }
    compatibilities
}

/// Agent capabilities the definition's features need, sorted by name.
pub fn compute_requires_attributes(spec: &TaskDefinitionSpec) -> Vec<RequiredAttribute> {
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut legacy = |suffix: &str| names.insert(format!("{LEGACY}{suffix}"));
    let network_mode = spec.effective_network_mode();
    let has_execution_role = spec.execution_role_arn.is_some();

    if spec.task_role_arn.is_some() {
        legacy("task-iam-role");
        if network_mode == NetworkMode::Host {
            legacy("task-iam-role-network-host");
        }
    }
    let mut current: BTreeSet<&str> = BTreeSet::new();
    if network_mode == NetworkMode::Awsvpc {
        current.insert("task-eni");
    }
    if spec.pid_mode.is_some() || spec.ipc_mode.is_some() {
        current.insert("pid-ipc-namespace-sharing");
    }
    if spec.proxy_configuration.is_some() {
        current.insert("aws-appmesh");
    }
    if spec
        .inference_accelerators
        .as_ref()
        .is_some_and(|a| !a.is_empty())
    {
        current.insert("task-eia");
    }
    if spec.enable_fault_injection == Some(true) {
        current.insert("fault-injection");
    }
    let mut plugin_drivers = BTreeSet::new();
    for volume in spec.volumes.iter().flatten() {
        if let Some(efs) = &volume.efs {
            current.insert("efs");
            if efs.authorization.is_some() || efs.transit_encryption.is_some() {
                current.insert("efsAuth");
            }
        }
        if volume.fsx_windows.is_some() {
            current.insert("fsxWindowsFileServer");
        }
        if let Some(driver) = volume
            .docker_volume
            .as_ref()
            .and_then(|d| d.driver.as_deref())
            && driver != "local"
        {
            plugin_drivers.insert(driver.to_owned());
        }
    }

    for container in &spec.containers {
        if container.docker_labels.is_some() || container.ulimits.is_some() {
            legacy("docker-remote-api.1.18");
        }
        if container.memory_reservation.is_some() {
            legacy("docker-remote-api.1.21");
        }
        if container.privileged == Some(true) {
            legacy("privileged-container");
        }
        for option in container.docker_security_options.iter().flatten() {
            if option.starts_with("label:") {
                legacy("selinux");
            } else if option.starts_with("apparmor:") {
                legacy("apparmor");
            }
        }
        if let Some(log) = &container.log_configuration {
            legacy("docker-remote-api.1.18");
            if log.options.is_some() {
                legacy("docker-remote-api.1.19");
            }
            legacy(&format!(
                "logging-driver.{}",
                log_driver_name(log.log_driver)
            ));
            if log.log_driver == LogDriver::Awslogs && has_execution_role {
                current.insert("execution-role-awslogs");
            }
            for secret in log.secret_options.iter().flatten() {
                current.insert(if is_secrets_manager(&secret.value_from) {
                    "secrets.asm.bootstrap.log-driver"
                } else {
                    "secrets.ssm.bootstrap.log-driver"
                });
            }
        }
        if super::validate::is_ecr_image(&container.image) {
            legacy("ecr-auth");
            if has_execution_role {
                current.insert("execution-role-ecr-pull");
            }
        }
        if container.health_check.is_some() {
            legacy("docker-remote-api.1.24");
            current.insert("container-health-check");
        }
        if container
            .linux_parameters
            .as_ref()
            .is_some_and(|linux| linux.init_process_enabled.is_some())
        {
            legacy("docker-remote-api.1.25");
        }
        if container
            .depends_on
            .as_ref()
            .is_some_and(|deps| !deps.is_empty())
        {
            current.insert("container-ordering");
        }
        if container.repository_credentials.is_some() {
            current.insert("private-registry-authentication.secretsmanager");
        }
        for secret in container.secrets.iter().flatten() {
            current.insert(if is_secrets_manager(&secret.value_from) {
                "secrets.asm.environment-variables"
            } else {
                "secrets.ssm.environment-variables"
            });
        }
        if container
            .environment_files
            .as_ref()
            .is_some_and(|f| !f.is_empty())
        {
            current.insert("env-files.s3");
        }
        if let Some(firelens) = &container.firelens_configuration {
            current.insert(match firelens.router_type {
                FirelensType::Fluentd => "firelens.fluentd",
                FirelensType::Fluentbit => "firelens.fluentbit",
            });
            if let Some(options) = &firelens.options {
                match options.get("config-file-type").map(String::as_str) {
                    Some("file") => {
                        current.insert("firelens.options.config.file");
                    }
                    Some("s3") => {
                        current.insert("firelens.options.config.s3");
                    }
                    _ => {}
                }
            }
        }
        if container
            .port_mappings
            .iter()
            .flatten()
            .any(|mapping| mapping.container_port_range.is_some())
        {
            current.insert("network.container-port-range");
        }
        if container.restart_policy.is_some() {
            current.insert("container-restart-policy");
        }
        for spec_arn in container.credential_specs.iter().flatten() {
            current.insert(if spec_arn.starts_with("credentialspecdomainless:") {
                "gmsa-domainless"
            } else {
                "gmsa"
            });
        }
    }
    names.extend(
        current
            .into_iter()
            .map(|suffix| format!("{CURRENT}{suffix}")),
    );
    names.extend(
        plugin_drivers
            .into_iter()
            .map(|driver| format!("{CURRENT}docker-plugin.{driver}")),
    );
    names
        .into_iter()
        .map(|name| RequiredAttribute { name })
        .collect()
}

/// Secrets Manager ARNs; anything else is an SSM parameter (name or ARN).
fn is_secrets_manager(value_from: &str) -> bool {
    value_from.contains(":secretsmanager:")
}

/// The driver name as it appears in `logging-driver.<name>`.
fn log_driver_name(driver: LogDriver) -> &'static str {
    match driver {
        LogDriver::JsonFile => "json-file",
        LogDriver::Syslog => "syslog",
        LogDriver::Journald => "journald",
        LogDriver::Gelf => "gelf",
        LogDriver::Fluentd => "fluentd",
        LogDriver::Awslogs => "awslogs",
        LogDriver::Splunk => "splunk",
        LogDriver::Awsfirelens => "awsfirelens",
    }
}
