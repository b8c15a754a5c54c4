//! Wire spellings of every enum a task definition uses, parsed and printed
//! through `wire_enum!` (values exactly as in botocore's model).

use berth_model::task_definition::*;

use crate::ecs::convert::wire_enum;

wire_enum!(parse_network_mode, print_network_mode, NetworkMode, "networkMode", {
    NetworkMode::Bridge => "bridge", NetworkMode::Host => "host",
    NetworkMode::Awsvpc => "awsvpc", NetworkMode::None => "none",
});
wire_enum!(parse_pid_mode, print_pid_mode, PidMode, "pidMode", {
    PidMode::Host => "host", PidMode::Task => "task",
});
wire_enum!(parse_ipc_mode, print_ipc_mode, IpcMode, "ipcMode", {
    IpcMode::Host => "host", IpcMode::Task => "task", IpcMode::None => "none",
});
wire_enum!(parse_compatibility, print_compatibility, Compatibility, "requiresCompatibilities", {
    Compatibility::Ec2 => "EC2", Compatibility::Fargate => "FARGATE",
    Compatibility::External => "EXTERNAL", Compatibility::ManagedInstances => "MANAGED_INSTANCES",
});
wire_enum!(parse_status, print_status, TaskDefinitionStatus, "status", {
    TaskDefinitionStatus::Active => "ACTIVE", TaskDefinitionStatus::Inactive => "INACTIVE",
    TaskDefinitionStatus::DeleteInProgress => "DELETE_IN_PROGRESS",
});
wire_enum!(parse_constraint_type, print_constraint_type, PlacementConstraintType, "placementConstraints.type", {
    PlacementConstraintType::MemberOf => "memberOf",
    PlacementConstraintType::DistinctInstance => "distinctInstance",
});
wire_enum!(parse_proxy_type, print_proxy_type, ProxyType, "proxyConfiguration.type", {
    ProxyType::AppMesh => "APPMESH",
});
wire_enum!(parse_cpu_architecture, print_cpu_architecture, CpuArchitecture, "runtimePlatform.cpuArchitecture", {
    CpuArchitecture::X86_64 => "X86_64", CpuArchitecture::Arm64 => "ARM64",
});
wire_enum!(parse_os_family, print_os_family, OsFamily, "runtimePlatform.operatingSystemFamily", {
    OsFamily::Linux => "LINUX",
    OsFamily::WindowsServer2016Full => "WINDOWS_SERVER_2016_FULL",
    OsFamily::WindowsServer2019Full => "WINDOWS_SERVER_2019_FULL",
    OsFamily::WindowsServer2019Core => "WINDOWS_SERVER_2019_CORE",
    OsFamily::WindowsServer2004Core => "WINDOWS_SERVER_2004_CORE",
    OsFamily::WindowsServer20H2Core => "WINDOWS_SERVER_20H2_CORE",
    OsFamily::WindowsServer2022Full => "WINDOWS_SERVER_2022_FULL",
    OsFamily::WindowsServer2022Core => "WINDOWS_SERVER_2022_CORE",
    OsFamily::WindowsServer2025Full => "WINDOWS_SERVER_2025_FULL",
    OsFamily::WindowsServer2025Core => "WINDOWS_SERVER_2025_CORE",
});
wire_enum!(parse_docker_scope, print_docker_scope, DockerVolumeScope, "dockerVolumeConfiguration.scope", {
    DockerVolumeScope::Task => "task", DockerVolumeScope::Shared => "shared",
});
wire_enum!(parse_switch_value, print_switch, Switch, "efsVolumeConfiguration", {
    Switch::Enabled => "ENABLED", Switch::Disabled => "DISABLED",
});
wire_enum!(parse_protocol, print_protocol, Protocol, "portMappings.protocol", {
    Protocol::Tcp => "tcp", Protocol::Udp => "udp",
});
wire_enum!(parse_app_protocol, print_app_protocol, AppProtocol, "portMappings.appProtocol", {
    AppProtocol::Http => "http", AppProtocol::Http2 => "http2", AppProtocol::Grpc => "grpc",
});
wire_enum!(parse_condition, print_condition, DependencyCondition, "dependsOn.condition", {
    DependencyCondition::Start => "START", DependencyCondition::Complete => "COMPLETE",
    DependencyCondition::Success => "SUCCESS", DependencyCondition::Healthy => "HEALTHY",
});
wire_enum!(parse_version_consistency, print_version_consistency, VersionConsistency, "versionConsistency", {
    VersionConsistency::Enabled => "enabled", VersionConsistency::Disabled => "disabled",
});
wire_enum!(parse_ulimit_name, print_ulimit_name, UlimitName, "ulimits.name", {
    UlimitName::Core => "core", UlimitName::Cpu => "cpu", UlimitName::Data => "data",
    UlimitName::Fsize => "fsize", UlimitName::Locks => "locks", UlimitName::Memlock => "memlock",
    UlimitName::Msgqueue => "msgqueue", UlimitName::Nice => "nice", UlimitName::Nofile => "nofile",
    UlimitName::Nproc => "nproc", UlimitName::Rss => "rss", UlimitName::Rtprio => "rtprio",
    UlimitName::Rttime => "rttime", UlimitName::Sigpending => "sigpending", UlimitName::Stack => "stack",
});
wire_enum!(parse_log_driver, print_log_driver, LogDriver, "logConfiguration.logDriver", {
    LogDriver::JsonFile => "json-file", LogDriver::Syslog => "syslog",
    LogDriver::Journald => "journald", LogDriver::Gelf => "gelf", LogDriver::Fluentd => "fluentd",
    LogDriver::Awslogs => "awslogs", LogDriver::Splunk => "splunk",
    LogDriver::Awsfirelens => "awsfirelens",
});
wire_enum!(parse_device_permission, print_device_permission, DevicePermission, "devices.permissions", {
    DevicePermission::Read => "read", DevicePermission::Write => "write",
    DevicePermission::Mknod => "mknod",
});
wire_enum!(parse_environment_file_type, print_environment_file_type, EnvironmentFileType, "environmentFiles.type", {
    EnvironmentFileType::S3 => "s3",
});
wire_enum!(parse_resource_type, print_resource_type, ResourceType, "resourceRequirements.type", {
    ResourceType::Gpu => "GPU", ResourceType::InferenceAccelerator => "InferenceAccelerator",
});
wire_enum!(parse_firelens_type, print_firelens_type, FirelensType, "firelensConfiguration.type", {
    FirelensType::Fluentd => "fluentd", FirelensType::Fluentbit => "fluentbit",
});

/// EFS switches name the member in the error.
pub(super) fn parse_switch(
    value: &str,
    field: &str,
) -> Result<Switch, berth_model::validation::ValidationError> {
    parse_switch_value(value)
        .map_err(|_| crate::ecs::convert::invalid_enum(field, value, &["ENABLED", "DISABLED"]))
}
