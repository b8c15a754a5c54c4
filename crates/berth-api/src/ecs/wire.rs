//! Wire shapes of the Amazon EC2 Container Service API, generated from
//! botocore 1.43.11 (`ecs/2014-11-13`) by `tools/gen-wire-shapes.py`.
//! Do not edit by hand: change the generator and run it again.
//!
//! Every member is optional so handlers decide which absences are errors;
//! timestamps are epoch seconds, blobs are base64 text, as on the wire.

#![allow(clippy::all, missing_docs)]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Operations of the API, as named after the `X-Amz-Target` prefix.
pub const OPERATIONS: &[&str] = &[
    "ContinueServiceDeployment",
    "CreateCapacityProvider",
    "CreateCluster",
    "CreateService",
    "CreateTaskSet",
    "DeleteAccountSetting",
    "DeleteAttributes",
    "DeleteCapacityProvider",
    "DeleteCluster",
    "DeleteService",
    "DeleteTaskDefinitions",
    "DeleteTaskSet",
    "DeregisterContainerInstance",
    "DeregisterTaskDefinition",
    "DescribeCapacityProviders",
    "DescribeClusters",
    "DescribeContainerInstances",
    "DescribeServiceDeployments",
    "DescribeServiceRevisions",
    "DescribeServices",
    "DescribeTaskDefinition",
    "DescribeTaskSets",
    "DescribeTasks",
    "DiscoverPollEndpoint",
    "ExecuteCommand",
    "GetTaskProtection",
    "ListAccountSettings",
    "ListAttributes",
    "ListClusters",
    "ListContainerInstances",
    "ListServiceDeployments",
    "ListServices",
    "ListServicesByNamespace",
    "ListTagsForResource",
    "ListTaskDefinitionFamilies",
    "ListTaskDefinitions",
    "ListTasks",
    "PutAccountSetting",
    "PutAccountSettingDefault",
    "PutAttributes",
    "PutClusterCapacityProviders",
    "RegisterContainerInstance",
    "RegisterTaskDefinition",
    "RunTask",
    "StartTask",
    "StopServiceDeployment",
    "StopTask",
    "SubmitAttachmentStateChanges",
    "SubmitContainerStateChange",
    "SubmitTaskStateChange",
    "TagResource",
    "UntagResource",
    "UpdateCapacityProvider",
    "UpdateCluster",
    "UpdateClusterSettings",
    "UpdateContainerAgent",
    "UpdateContainerInstancesState",
    "UpdateService",
    "UpdateServicePrimaryTaskSet",
    "UpdateTaskProtection",
    "UpdateTaskSet",
];

/// Allowed values of each enum shape.
pub mod enums {
    /// Values of `AcceleratorManufacturer`.
    pub const ACCELERATOR_MANUFACTURER: &[&str] =
        &["amazon-web-services", "amd", "nvidia", "xilinx", "habana"];
    /// Values of `AcceleratorName`.
    pub const ACCELERATOR_NAME: &[&str] = &[
        "a100",
        "inferentia",
        "k520",
        "k80",
        "m60",
        "radeon-pro-v520",
        "t4",
        "vu9p",
        "v100",
        "a10g",
        "h100",
        "t4g",
    ];
    /// Values of `AcceleratorType`.
    pub const ACCELERATOR_TYPE: &[&str] = &["gpu", "fpga", "inference"];
    /// Values of `AccessType`.
    pub const ACCESS_TYPE: &[&str] = &["PUBLIC", "PRIVATE"];
    /// Values of `AgentUpdateStatus`.
    pub const AGENT_UPDATE_STATUS: &[&str] = &[
        "PENDING", "STAGING", "STAGED", "UPDATING", "UPDATED", "FAILED",
    ];
    /// Values of `ApplicationProtocol`.
    pub const APPLICATION_PROTOCOL: &[&str] = &["http", "http2", "grpc"];
    /// Values of `AssignPublicIp`.
    pub const ASSIGN_PUBLIC_IP: &[&str] = &["ENABLED", "DISABLED"];
    /// Values of `AutoRepairActionsStatus`.
    pub const AUTO_REPAIR_ACTIONS_STATUS: &[&str] = &["ENABLED", "DISABLED"];
    /// Values of `AvailabilityZoneRebalancing`.
    pub const AVAILABILITY_ZONE_REBALANCING: &[&str] = &["ENABLED", "DISABLED"];
    /// Values of `BareMetal`.
    pub const BARE_METAL: &[&str] = &["included", "required", "excluded"];
    /// Values of `BurstablePerformance`.
    pub const BURSTABLE_PERFORMANCE: &[&str] = &["included", "required", "excluded"];
    /// Values of `CPUArchitecture`.
    pub const CPU_ARCHITECTURE: &[&str] = &["X86_64", "ARM64"];
    /// Values of `CapacityOptionType`.
    pub const CAPACITY_OPTION_TYPE: &[&str] = &["ON_DEMAND", "SPOT", "RESERVED"];
    /// Values of `CapacityProviderField`.
    pub const CAPACITY_PROVIDER_FIELD: &[&str] = &["TAGS"];
    /// Values of `CapacityProviderStatus`.
    pub const CAPACITY_PROVIDER_STATUS: &[&str] =
        &["PROVISIONING", "ACTIVE", "DEPROVISIONING", "INACTIVE"];
    /// Values of `CapacityProviderType`.
    pub const CAPACITY_PROVIDER_TYPE: &[&str] = &[
        "EC2_AUTOSCALING",
        "MANAGED_INSTANCES",
        "FARGATE",
        "FARGATE_SPOT",
    ];
    /// Values of `CapacityProviderUpdateStatus`.
    pub const CAPACITY_PROVIDER_UPDATE_STATUS: &[&str] = &[
        "CREATE_IN_PROGRESS",
        "CREATE_COMPLETE",
        "CREATE_FAILED",
        "DELETE_IN_PROGRESS",
        "DELETE_COMPLETE",
        "DELETE_FAILED",
        "UPDATE_IN_PROGRESS",
        "UPDATE_COMPLETE",
        "UPDATE_FAILED",
    ];
    /// Values of `CapacityReservationPreference`.
    pub const CAPACITY_RESERVATION_PREFERENCE: &[&str] = &[
        "RESERVATIONS_ONLY",
        "RESERVATIONS_FIRST",
        "RESERVATIONS_EXCLUDED",
    ];
    /// Values of `ClusterField`.
    pub const CLUSTER_FIELD: &[&str] = &[
        "ATTACHMENTS",
        "CONFIGURATIONS",
        "SETTINGS",
        "STATISTICS",
        "TAGS",
    ];
    /// Values of `ClusterSettingName`.
    pub const CLUSTER_SETTING_NAME: &[&str] = &["containerInsights"];
    /// Values of `Compatibility`.
    pub const COMPATIBILITY: &[&str] = &["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"];
    /// Values of `Connectivity`.
    pub const CONNECTIVITY: &[&str] = &["CONNECTED", "DISCONNECTED"];
    /// Values of `ContainerCondition`.
    pub const CONTAINER_CONDITION: &[&str] = &["START", "COMPLETE", "SUCCESS", "HEALTHY"];
    /// Values of `ContainerInstanceField`.
    pub const CONTAINER_INSTANCE_FIELD: &[&str] = &["TAGS", "CONTAINER_INSTANCE_HEALTH"];
    /// Values of `ContainerInstanceStatus`.
    pub const CONTAINER_INSTANCE_STATUS: &[&str] = &[
        "ACTIVE",
        "DRAINING",
        "REGISTERING",
        "DEREGISTERING",
        "REGISTRATION_FAILED",
    ];
    /// Values of `CpuManufacturer`.
    pub const CPU_MANUFACTURER: &[&str] = &["intel", "amd", "amazon-web-services"];
    /// Values of `DeploymentControllerType`.
    pub const DEPLOYMENT_CONTROLLER_TYPE: &[&str] = &["ECS", "CODE_DEPLOY", "EXTERNAL"];
    /// Values of `DeploymentLifecycleHookAction`.
    pub const DEPLOYMENT_LIFECYCLE_HOOK_ACTION: &[&str] = &["ROLLBACK", "CONTINUE"];
    /// Values of `DeploymentLifecycleHookStage`.
    pub const DEPLOYMENT_LIFECYCLE_HOOK_STAGE: &[&str] = &[
        "RECONCILE_SERVICE",
        "PRE_SCALE_UP",
        "POST_SCALE_UP",
        "TEST_TRAFFIC_SHIFT",
        "POST_TEST_TRAFFIC_SHIFT",
        "PRE_PRODUCTION_TRAFFIC_SHIFT",
        "PRODUCTION_TRAFFIC_SHIFT",
        "POST_PRODUCTION_TRAFFIC_SHIFT",
    ];
    /// Values of `DeploymentLifecycleHookStatus`.
    pub const DEPLOYMENT_LIFECYCLE_HOOK_STATUS: &[&str] = &[
        "AWAITING_ACTION",
        "IN_PROGRESS",
        "SUCCEEDED",
        "FAILED",
        "TIMED_OUT",
    ];
    /// Values of `DeploymentLifecycleHookTargetType`.
    pub const DEPLOYMENT_LIFECYCLE_HOOK_TARGET_TYPE: &[&str] = &["AWS_LAMBDA", "PAUSE"];
    /// Values of `DeploymentRolloutState`.
    pub const DEPLOYMENT_ROLLOUT_STATE: &[&str] = &["COMPLETED", "FAILED", "IN_PROGRESS"];
    /// Values of `DeploymentStrategy`.
    pub const DEPLOYMENT_STRATEGY: &[&str] = &["ROLLING", "BLUE_GREEN", "LINEAR", "CANARY"];
    /// Values of `DesiredStatus`.
    pub const DESIRED_STATUS: &[&str] = &["RUNNING", "PENDING", "STOPPED"];
    /// Values of `DeviceCgroupPermission`.
    pub const DEVICE_CGROUP_PERMISSION: &[&str] = &["read", "write", "mknod"];
    /// Values of `EBSResourceType`.
    pub const EBS_RESOURCE_TYPE: &[&str] = &["volume"];
    /// Values of `EFSAuthorizationConfigIAM`.
    pub const EFS_AUTHORIZATION_CONFIG_IAM: &[&str] = &["ENABLED", "DISABLED"];
    /// Values of `EFSTransitEncryption`.
    pub const EFS_TRANSIT_ENCRYPTION: &[&str] = &["ENABLED", "DISABLED"];
    /// Values of `EnvironmentFileType`.
    pub const ENVIRONMENT_FILE_TYPE: &[&str] = &["s3"];
    /// Values of `ExecuteCommandLogging`.
    pub const EXECUTE_COMMAND_LOGGING: &[&str] = &["NONE", "DEFAULT", "OVERRIDE"];
    /// Values of `FirelensConfigurationType`.
    pub const FIRELENS_CONFIGURATION_TYPE: &[&str] = &["fluentd", "fluentbit"];
    /// Values of `HealthStatus`.
    pub const HEALTH_STATUS: &[&str] = &["HEALTHY", "UNHEALTHY", "UNKNOWN"];
    /// Values of `InstanceGeneration`.
    pub const INSTANCE_GENERATION: &[&str] = &["current", "previous"];
    /// Values of `InstanceHealthCheckState`.
    pub const INSTANCE_HEALTH_CHECK_STATE: &[&str] =
        &["OK", "IMPAIRED", "INSUFFICIENT_DATA", "INITIALIZING"];
    /// Values of `InstanceHealthCheckType`.
    pub const INSTANCE_HEALTH_CHECK_TYPE: &[&str] =
        &["CONTAINER_RUNTIME", "ACCELERATED_COMPUTE", "DAEMON"];
    /// Values of `IpcMode`.
    pub const IPC_MODE: &[&str] = &["host", "task", "none"];
    /// Values of `LaunchType`.
    pub const LAUNCH_TYPE: &[&str] = &["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"];
    /// Values of `LocalStorage`.
    pub const LOCAL_STORAGE: &[&str] = &["included", "required", "excluded"];
    /// Values of `LocalStorageType`.
    pub const LOCAL_STORAGE_TYPE: &[&str] = &["hdd", "ssd"];
    /// Values of `LogDriver`.
    pub const LOG_DRIVER: &[&str] = &[
        "json-file",
        "syslog",
        "journald",
        "gelf",
        "fluentd",
        "awslogs",
        "splunk",
        "awsfirelens",
    ];
    /// Values of `ManagedAgentName`.
    pub const MANAGED_AGENT_NAME: &[&str] = &["ExecuteCommandAgent"];
    /// Values of `ManagedDraining`.
    pub const MANAGED_DRAINING: &[&str] = &["ENABLED", "DISABLED"];
    /// Values of `ManagedInstancesMonitoringOptions`.
    pub const MANAGED_INSTANCES_MONITORING_OPTIONS: &[&str] = &["BASIC", "DETAILED"];
    /// Values of `ManagedResourceStatus`.
    pub const MANAGED_RESOURCE_STATUS: &[&str] = &[
        "PROVISIONING",
        "ACTIVE",
        "DEPROVISIONING",
        "DELETED",
        "FAILED",
    ];
    /// Values of `ManagedScalingStatus`.
    pub const MANAGED_SCALING_STATUS: &[&str] = &["ENABLED", "DISABLED"];
    /// Values of `ManagedTerminationProtection`.
    pub const MANAGED_TERMINATION_PROTECTION: &[&str] = &["ENABLED", "DISABLED"];
    /// Values of `NetworkMode`.
    pub const NETWORK_MODE: &[&str] = &["bridge", "host", "awsvpc", "none"];
    /// Values of `OSFamily`.
    pub const OS_FAMILY: &[&str] = &[
        "WINDOWS_SERVER_2019_FULL",
        "WINDOWS_SERVER_2019_CORE",
        "WINDOWS_SERVER_2016_FULL",
        "WINDOWS_SERVER_2004_CORE",
        "WINDOWS_SERVER_2022_CORE",
        "WINDOWS_SERVER_2022_FULL",
        "WINDOWS_SERVER_2025_CORE",
        "WINDOWS_SERVER_2025_FULL",
        "WINDOWS_SERVER_20H2_CORE",
        "LINUX",
    ];
    /// Values of `PidMode`.
    pub const PID_MODE: &[&str] = &["host", "task"];
    /// Values of `PlacementConstraintType`.
    pub const PLACEMENT_CONSTRAINT_TYPE: &[&str] = &["distinctInstance", "memberOf"];
    /// Values of `PlacementStrategyType`.
    pub const PLACEMENT_STRATEGY_TYPE: &[&str] = &["random", "spread", "binpack"];
    /// Values of `PlatformDeviceType`.
    pub const PLATFORM_DEVICE_TYPE: &[&str] = &["GPU"];
    /// Values of `PropagateMITags`.
    pub const PROPAGATE_MI_TAGS: &[&str] = &["CAPACITY_PROVIDER", "NONE"];
    /// Values of `PropagateTags`.
    pub const PROPAGATE_TAGS: &[&str] = &["TASK_DEFINITION", "SERVICE", "NONE"];
    /// Values of `ProxyConfigurationType`.
    pub const PROXY_CONFIGURATION_TYPE: &[&str] = &["APPMESH"];
    /// Values of `ResourceManagementType`.
    pub const RESOURCE_MANAGEMENT_TYPE: &[&str] = &["CUSTOMER", "ECS"];
    /// Values of `ResourceType`.
    pub const RESOURCE_TYPE: &[&str] = &["GPU", "InferenceAccelerator"];
    /// Values of `ScaleUnit`.
    pub const SCALE_UNIT: &[&str] = &["PERCENT"];
    /// Values of `SchedulingStrategy`.
    pub const SCHEDULING_STRATEGY: &[&str] = &["REPLICA", "DAEMON"];
    /// Values of `Scope`.
    pub const SCOPE: &[&str] = &["task", "shared"];
    /// Values of `ServiceConnectAccessLoggingFormat`.
    pub const SERVICE_CONNECT_ACCESS_LOGGING_FORMAT: &[&str] = &["TEXT", "JSON"];
    /// Values of `ServiceConnectIncludeQueryParameters`.
    pub const SERVICE_CONNECT_INCLUDE_QUERY_PARAMETERS: &[&str] = &["DISABLED", "ENABLED"];
    /// Values of `ServiceDeploymentLifecycleStage`.
    pub const SERVICE_DEPLOYMENT_LIFECYCLE_STAGE: &[&str] = &[
        "RECONCILE_SERVICE",
        "PRE_SCALE_UP",
        "SCALE_UP",
        "POST_SCALE_UP",
        "TEST_TRAFFIC_SHIFT",
        "POST_TEST_TRAFFIC_SHIFT",
        "PRODUCTION_TRAFFIC_SHIFT",
        "POST_PRODUCTION_TRAFFIC_SHIFT",
        "BAKE_TIME",
        "CLEAN_UP",
    ];
    /// Values of `ServiceDeploymentRollbackMonitorsStatus`.
    pub const SERVICE_DEPLOYMENT_ROLLBACK_MONITORS_STATUS: &[&str] =
        &["TRIGGERED", "MONITORING", "MONITORING_COMPLETE", "DISABLED"];
    /// Values of `ServiceDeploymentStatus`.
    pub const SERVICE_DEPLOYMENT_STATUS: &[&str] = &[
        "PENDING",
        "SUCCESSFUL",
        "STOPPED",
        "STOP_REQUESTED",
        "IN_PROGRESS",
        "ROLLBACK_REQUESTED",
        "ROLLBACK_IN_PROGRESS",
        "ROLLBACK_SUCCESSFUL",
        "ROLLBACK_FAILED",
    ];
    /// Values of `ServiceField`.
    pub const SERVICE_FIELD: &[&str] = &["TAGS"];
    /// Values of `SettingName`.
    pub const SETTING_NAME: &[&str] = &[
        "serviceLongArnFormat",
        "taskLongArnFormat",
        "containerInstanceLongArnFormat",
        "awsvpcTrunking",
        "containerInsights",
        "fargateFIPSMode",
        "tagResourceAuthorization",
        "fargateTaskRetirementWaitPeriod",
        "guardDutyActivate",
        "defaultLogDriverMode",
        "fargateEventWindows",
    ];
    /// Values of `SettingType`.
    pub const SETTING_TYPE: &[&str] = &["user", "aws_managed"];
    /// Values of `SortOrder`.
    pub const SORT_ORDER: &[&str] = &["ASC", "DESC"];
    /// Values of `StabilityStatus`.
    pub const STABILITY_STATUS: &[&str] = &["STEADY_STATE", "STABILIZING"];
    /// Values of `StopServiceDeploymentStopType`.
    pub const STOP_SERVICE_DEPLOYMENT_STOP_TYPE: &[&str] = &["ABORT", "ROLLBACK"];
    /// Values of `TargetType`.
    pub const TARGET_TYPE: &[&str] = &["container-instance"];
    /// Values of `TaskDefinitionFamilyStatus`.
    pub const TASK_DEFINITION_FAMILY_STATUS: &[&str] = &["ACTIVE", "INACTIVE", "ALL"];
    /// Values of `TaskDefinitionField`.
    pub const TASK_DEFINITION_FIELD: &[&str] = &["TAGS"];
    /// Values of `TaskDefinitionPlacementConstraintType`.
    pub const TASK_DEFINITION_PLACEMENT_CONSTRAINT_TYPE: &[&str] = &["memberOf"];
    /// Values of `TaskDefinitionStatus`.
    pub const TASK_DEFINITION_STATUS: &[&str] = &["ACTIVE", "INACTIVE", "DELETE_IN_PROGRESS"];
    /// Values of `TaskField`.
    pub const TASK_FIELD: &[&str] = &["TAGS"];
    /// Values of `TaskFilesystemType`.
    pub const TASK_FILESYSTEM_TYPE: &[&str] = &["ext3", "ext4", "xfs", "ntfs"];
    /// Values of `TaskSetField`.
    pub const TASK_SET_FIELD: &[&str] = &["TAGS"];
    /// Values of `TaskStopCode`.
    pub const TASK_STOP_CODE: &[&str] = &[
        "TaskFailedToStart",
        "EssentialContainerExited",
        "UserInitiated",
        "ServiceSchedulerInitiated",
        "SpotInterruption",
        "TerminationNotice",
    ];
    /// Values of `TransportProtocol`.
    pub const TRANSPORT_PROTOCOL: &[&str] = &["tcp", "udp"];
    /// Values of `UlimitName`.
    pub const ULIMIT_NAME: &[&str] = &[
        "core",
        "cpu",
        "data",
        "fsize",
        "locks",
        "memlock",
        "msgqueue",
        "nice",
        "nofile",
        "nproc",
        "rss",
        "rtprio",
        "rttime",
        "sigpending",
        "stack",
    ];
    /// Values of `VersionConsistency`.
    pub const VERSION_CONSISTENCY: &[&str] = &["enabled", "disabled"];
}

/// Wire shape `AcceleratorCountRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AcceleratorCountRequest {
    #[serde(rename = "min", skip_serializing_if = "Option::is_none")]
    pub min: Option<i32>,
    #[serde(rename = "max", skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
}

/// Wire shape `AcceleratorTotalMemoryMiBRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AcceleratorTotalMemoryMiBRequest {
    #[serde(rename = "min", skip_serializing_if = "Option::is_none")]
    pub min: Option<i32>,
    #[serde(rename = "max", skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
}

/// Wire shape `AdvancedConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdvancedConfiguration {
    #[serde(
        rename = "alternateTargetGroupArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub alternate_target_group_arn: Option<String>,
    #[serde(
        rename = "productionListenerRule",
        skip_serializing_if = "Option::is_none"
    )]
    pub production_listener_rule: Option<String>,
    #[serde(rename = "testListenerRule", skip_serializing_if = "Option::is_none")]
    pub test_listener_rule: Option<String>,
    #[serde(rename = "roleArn", skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

/// Wire shape `Attachment`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Attachment {
    #[serde(rename = "id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "details", skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<KeyValuePair>>,
}

/// Wire shape `AttachmentStateChange`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AttachmentStateChange {
    #[serde(rename = "attachmentArn", skip_serializing_if = "Option::is_none")]
    pub attachment_arn: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// Wire shape `Attribute`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Attribute {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(rename = "targetType", skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    #[serde(rename = "targetId", skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
}

/// Wire shape `AutoRepairConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoRepairConfiguration {
    #[serde(rename = "actionsStatus", skip_serializing_if = "Option::is_none")]
    pub actions_status: Option<String>,
}

/// Wire shape `AutoScalingGroupProvider`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoScalingGroupProvider {
    #[serde(
        rename = "autoScalingGroupArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub auto_scaling_group_arn: Option<String>,
    #[serde(rename = "managedScaling", skip_serializing_if = "Option::is_none")]
    pub managed_scaling: Option<ManagedScaling>,
    #[serde(
        rename = "managedTerminationProtection",
        skip_serializing_if = "Option::is_none"
    )]
    pub managed_termination_protection: Option<String>,
    #[serde(rename = "managedDraining", skip_serializing_if = "Option::is_none")]
    pub managed_draining: Option<String>,
}

/// Wire shape `AutoScalingGroupProviderUpdate`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoScalingGroupProviderUpdate {
    #[serde(rename = "managedScaling", skip_serializing_if = "Option::is_none")]
    pub managed_scaling: Option<ManagedScaling>,
    #[serde(
        rename = "managedTerminationProtection",
        skip_serializing_if = "Option::is_none"
    )]
    pub managed_termination_protection: Option<String>,
    #[serde(rename = "managedDraining", skip_serializing_if = "Option::is_none")]
    pub managed_draining: Option<String>,
}

/// Wire shape `AwsVpcConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AwsVpcConfiguration {
    #[serde(rename = "subnets", skip_serializing_if = "Option::is_none")]
    pub subnets: Option<Vec<String>>,
    #[serde(rename = "securityGroups", skip_serializing_if = "Option::is_none")]
    pub security_groups: Option<Vec<String>>,
    #[serde(rename = "assignPublicIp", skip_serializing_if = "Option::is_none")]
    pub assign_public_ip: Option<String>,
}

/// Wire shape `BaselineEbsBandwidthMbpsRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BaselineEbsBandwidthMbpsRequest {
    #[serde(rename = "min", skip_serializing_if = "Option::is_none")]
    pub min: Option<i32>,
    #[serde(rename = "max", skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
}

/// Wire shape `CanaryConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CanaryConfiguration {
    #[serde(rename = "canaryPercent", skip_serializing_if = "Option::is_none")]
    pub canary_percent: Option<f64>,
    #[serde(
        rename = "canaryBakeTimeInMinutes",
        skip_serializing_if = "Option::is_none"
    )]
    pub canary_bake_time_in_minutes: Option<i32>,
}

/// Wire shape `CapacityProvider`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CapacityProvider {
    #[serde(
        rename = "capacityProviderArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub capacity_provider_arn: Option<String>,
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(
        rename = "autoScalingGroupProvider",
        skip_serializing_if = "Option::is_none"
    )]
    pub auto_scaling_group_provider: Option<AutoScalingGroupProvider>,
    #[serde(
        rename = "managedInstancesProvider",
        skip_serializing_if = "Option::is_none"
    )]
    pub managed_instances_provider: Option<ManagedInstancesProvider>,
    #[serde(rename = "updateStatus", skip_serializing_if = "Option::is_none")]
    pub update_status: Option<String>,
    #[serde(rename = "updateStatusReason", skip_serializing_if = "Option::is_none")]
    pub update_status_reason: Option<String>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
}

/// Wire shape `CapacityProviderStrategyItem`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CapacityProviderStrategyItem {
    #[serde(rename = "capacityProvider", skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<String>,
    #[serde(rename = "weight", skip_serializing_if = "Option::is_none")]
    pub weight: Option<i32>,
    #[serde(rename = "base", skip_serializing_if = "Option::is_none")]
    pub base: Option<i32>,
}

/// Wire shape `CapacityReservationRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CapacityReservationRequest {
    #[serde(
        rename = "reservationGroupArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub reservation_group_arn: Option<String>,
    #[serde(
        rename = "reservationPreference",
        skip_serializing_if = "Option::is_none"
    )]
    pub reservation_preference: Option<String>,
}

/// Wire shape `Cluster`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Cluster {
    #[serde(rename = "clusterArn", skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "clusterName", skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    #[serde(rename = "configuration", skip_serializing_if = "Option::is_none")]
    pub configuration: Option<ClusterConfiguration>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(
        rename = "registeredContainerInstancesCount",
        skip_serializing_if = "Option::is_none"
    )]
    pub registered_container_instances_count: Option<i32>,
    #[serde(rename = "runningTasksCount", skip_serializing_if = "Option::is_none")]
    pub running_tasks_count: Option<i32>,
    #[serde(rename = "pendingTasksCount", skip_serializing_if = "Option::is_none")]
    pub pending_tasks_count: Option<i32>,
    #[serde(
        rename = "activeServicesCount",
        skip_serializing_if = "Option::is_none"
    )]
    pub active_services_count: Option<i32>,
    #[serde(rename = "statistics", skip_serializing_if = "Option::is_none")]
    pub statistics: Option<Vec<KeyValuePair>>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "settings", skip_serializing_if = "Option::is_none")]
    pub settings: Option<Vec<ClusterSetting>>,
    #[serde(rename = "capacityProviders", skip_serializing_if = "Option::is_none")]
    pub capacity_providers: Option<Vec<String>>,
    #[serde(
        rename = "defaultCapacityProviderStrategy",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "attachments", skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    #[serde(rename = "attachmentsStatus", skip_serializing_if = "Option::is_none")]
    pub attachments_status: Option<String>,
    #[serde(
        rename = "serviceConnectDefaults",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_connect_defaults: Option<ClusterServiceConnectDefaults>,
}

/// Wire shape `ClusterConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterConfiguration {
    #[serde(
        rename = "executeCommandConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub execute_command_configuration: Option<ExecuteCommandConfiguration>,
    #[serde(
        rename = "managedStorageConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub managed_storage_configuration: Option<ManagedStorageConfiguration>,
}

/// Wire shape `ClusterServiceConnectDefaults`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterServiceConnectDefaults {
    #[serde(rename = "namespace", skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// Wire shape `ClusterServiceConnectDefaultsRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterServiceConnectDefaultsRequest {
    #[serde(rename = "namespace", skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// Wire shape `ClusterSetting`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterSetting {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Wire shape `Container`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Container {
    #[serde(rename = "containerArn", skip_serializing_if = "Option::is_none")]
    pub container_arn: Option<String>,
    #[serde(rename = "taskArn", skip_serializing_if = "Option::is_none")]
    pub task_arn: Option<String>,
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "image", skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(rename = "imageDigest", skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
    #[serde(rename = "runtimeId", skip_serializing_if = "Option::is_none")]
    pub runtime_id: Option<String>,
    #[serde(rename = "lastStatus", skip_serializing_if = "Option::is_none")]
    pub last_status: Option<String>,
    #[serde(rename = "exitCode", skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(rename = "reason", skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(rename = "networkBindings", skip_serializing_if = "Option::is_none")]
    pub network_bindings: Option<Vec<NetworkBinding>>,
    #[serde(rename = "networkInterfaces", skip_serializing_if = "Option::is_none")]
    pub network_interfaces: Option<Vec<NetworkInterface>>,
    #[serde(rename = "healthStatus", skip_serializing_if = "Option::is_none")]
    pub health_status: Option<String>,
    #[serde(rename = "managedAgents", skip_serializing_if = "Option::is_none")]
    pub managed_agents: Option<Vec<ManagedAgent>>,
    #[serde(rename = "cpu", skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(rename = "memory", skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(rename = "memoryReservation", skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<String>,
    #[serde(rename = "gpuIds", skip_serializing_if = "Option::is_none")]
    pub gpu_ids: Option<Vec<String>>,
}

/// Wire shape `ContainerDefinition`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerDefinition {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "image", skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(
        rename = "repositoryCredentials",
        skip_serializing_if = "Option::is_none"
    )]
    pub repository_credentials: Option<RepositoryCredentials>,
    #[serde(rename = "cpu", skip_serializing_if = "Option::is_none")]
    pub cpu: Option<i32>,
    #[serde(rename = "memory", skip_serializing_if = "Option::is_none")]
    pub memory: Option<i32>,
    #[serde(rename = "memoryReservation", skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<i32>,
    #[serde(rename = "links", skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<String>>,
    #[serde(rename = "portMappings", skip_serializing_if = "Option::is_none")]
    pub port_mappings: Option<Vec<PortMapping>>,
    #[serde(rename = "essential", skip_serializing_if = "Option::is_none")]
    pub essential: Option<bool>,
    #[serde(rename = "restartPolicy", skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<ContainerRestartPolicy>,
    #[serde(rename = "entryPoint", skip_serializing_if = "Option::is_none")]
    pub entry_point: Option<Vec<String>>,
    #[serde(rename = "command", skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(rename = "environment", skip_serializing_if = "Option::is_none")]
    pub environment: Option<Vec<KeyValuePair>>,
    #[serde(rename = "environmentFiles", skip_serializing_if = "Option::is_none")]
    pub environment_files: Option<Vec<EnvironmentFile>>,
    #[serde(rename = "mountPoints", skip_serializing_if = "Option::is_none")]
    pub mount_points: Option<Vec<MountPoint>>,
    #[serde(rename = "volumesFrom", skip_serializing_if = "Option::is_none")]
    pub volumes_from: Option<Vec<VolumeFrom>>,
    #[serde(rename = "linuxParameters", skip_serializing_if = "Option::is_none")]
    pub linux_parameters: Option<LinuxParameters>,
    #[serde(rename = "secrets", skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<Secret>>,
    #[serde(rename = "dependsOn", skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<Vec<ContainerDependency>>,
    #[serde(rename = "startTimeout", skip_serializing_if = "Option::is_none")]
    pub start_timeout: Option<i32>,
    #[serde(rename = "stopTimeout", skip_serializing_if = "Option::is_none")]
    pub stop_timeout: Option<i32>,
    #[serde(rename = "versionConsistency", skip_serializing_if = "Option::is_none")]
    pub version_consistency: Option<String>,
    #[serde(rename = "hostname", skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(rename = "user", skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(rename = "workingDirectory", skip_serializing_if = "Option::is_none")]
    pub working_directory: Option<String>,
    #[serde(rename = "disableNetworking", skip_serializing_if = "Option::is_none")]
    pub disable_networking: Option<bool>,
    #[serde(rename = "privileged", skip_serializing_if = "Option::is_none")]
    pub privileged: Option<bool>,
    #[serde(
        rename = "readonlyRootFilesystem",
        skip_serializing_if = "Option::is_none"
    )]
    pub readonly_root_filesystem: Option<bool>,
    #[serde(rename = "dnsServers", skip_serializing_if = "Option::is_none")]
    pub dns_servers: Option<Vec<String>>,
    #[serde(rename = "dnsSearchDomains", skip_serializing_if = "Option::is_none")]
    pub dns_search_domains: Option<Vec<String>>,
    #[serde(rename = "extraHosts", skip_serializing_if = "Option::is_none")]
    pub extra_hosts: Option<Vec<HostEntry>>,
    #[serde(
        rename = "dockerSecurityOptions",
        skip_serializing_if = "Option::is_none"
    )]
    pub docker_security_options: Option<Vec<String>>,
    #[serde(rename = "interactive", skip_serializing_if = "Option::is_none")]
    pub interactive: Option<bool>,
    #[serde(rename = "pseudoTerminal", skip_serializing_if = "Option::is_none")]
    pub pseudo_terminal: Option<bool>,
    #[serde(rename = "dockerLabels", skip_serializing_if = "Option::is_none")]
    pub docker_labels: Option<BTreeMap<String, String>>,
    #[serde(rename = "ulimits", skip_serializing_if = "Option::is_none")]
    pub ulimits: Option<Vec<Ulimit>>,
    #[serde(rename = "logConfiguration", skip_serializing_if = "Option::is_none")]
    pub log_configuration: Option<LogConfiguration>,
    #[serde(rename = "healthCheck", skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    #[serde(rename = "systemControls", skip_serializing_if = "Option::is_none")]
    pub system_controls: Option<Vec<SystemControl>>,
    #[serde(
        rename = "resourceRequirements",
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_requirements: Option<Vec<ResourceRequirement>>,
    #[serde(
        rename = "firelensConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub firelens_configuration: Option<FirelensConfiguration>,
    #[serde(rename = "credentialSpecs", skip_serializing_if = "Option::is_none")]
    pub credential_specs: Option<Vec<String>>,
}

/// Wire shape `ContainerDependency`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerDependency {
    #[serde(rename = "containerName", skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(rename = "condition", skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// Wire shape `ContainerImage`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerImage {
    #[serde(rename = "containerName", skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(rename = "imageDigest", skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
    #[serde(rename = "image", skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

/// Wire shape `ContainerInstance`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerInstance {
    #[serde(
        rename = "containerInstanceArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub container_instance_arn: Option<String>,
    #[serde(rename = "ec2InstanceId", skip_serializing_if = "Option::is_none")]
    pub ec2_instance_id: Option<String>,
    #[serde(
        rename = "capacityProviderName",
        skip_serializing_if = "Option::is_none"
    )]
    pub capacity_provider_name: Option<String>,
    #[serde(rename = "version", skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(rename = "versionInfo", skip_serializing_if = "Option::is_none")]
    pub version_info: Option<VersionInfo>,
    #[serde(rename = "remainingResources", skip_serializing_if = "Option::is_none")]
    pub remaining_resources: Option<Vec<Resource>>,
    #[serde(
        rename = "registeredResources",
        skip_serializing_if = "Option::is_none"
    )]
    pub registered_resources: Option<Vec<Resource>>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "statusReason", skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "agentConnected", skip_serializing_if = "Option::is_none")]
    pub agent_connected: Option<bool>,
    #[serde(rename = "runningTasksCount", skip_serializing_if = "Option::is_none")]
    pub running_tasks_count: Option<i32>,
    #[serde(rename = "pendingTasksCount", skip_serializing_if = "Option::is_none")]
    pub pending_tasks_count: Option<i32>,
    #[serde(rename = "agentUpdateStatus", skip_serializing_if = "Option::is_none")]
    pub agent_update_status: Option<String>,
    #[serde(rename = "attributes", skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
    #[serde(rename = "registeredAt", skip_serializing_if = "Option::is_none")]
    pub registered_at: Option<f64>,
    #[serde(rename = "attachments", skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "healthStatus", skip_serializing_if = "Option::is_none")]
    pub health_status: Option<ContainerInstanceHealthStatus>,
}

/// Wire shape `ContainerInstanceHealthStatus`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerInstanceHealthStatus {
    #[serde(rename = "overallStatus", skip_serializing_if = "Option::is_none")]
    pub overall_status: Option<String>,
    #[serde(rename = "details", skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<InstanceHealthCheckResult>>,
}

/// Wire shape `ContainerOverride`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerOverride {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "command", skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(rename = "environment", skip_serializing_if = "Option::is_none")]
    pub environment: Option<Vec<KeyValuePair>>,
    #[serde(rename = "environmentFiles", skip_serializing_if = "Option::is_none")]
    pub environment_files: Option<Vec<EnvironmentFile>>,
    #[serde(rename = "cpu", skip_serializing_if = "Option::is_none")]
    pub cpu: Option<i32>,
    #[serde(rename = "memory", skip_serializing_if = "Option::is_none")]
    pub memory: Option<i32>,
    #[serde(rename = "memoryReservation", skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<i32>,
    #[serde(
        rename = "resourceRequirements",
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_requirements: Option<Vec<ResourceRequirement>>,
}

/// Wire shape `ContainerRestartPolicy`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerRestartPolicy {
    #[serde(rename = "enabled", skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(rename = "ignoredExitCodes", skip_serializing_if = "Option::is_none")]
    pub ignored_exit_codes: Option<Vec<i32>>,
    #[serde(
        rename = "restartAttemptPeriod",
        skip_serializing_if = "Option::is_none"
    )]
    pub restart_attempt_period: Option<i32>,
}

/// Wire shape `ContainerStateChange`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerStateChange {
    #[serde(rename = "containerName", skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(rename = "imageDigest", skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
    #[serde(rename = "runtimeId", skip_serializing_if = "Option::is_none")]
    pub runtime_id: Option<String>,
    #[serde(rename = "exitCode", skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(rename = "networkBindings", skip_serializing_if = "Option::is_none")]
    pub network_bindings: Option<Vec<NetworkBinding>>,
    #[serde(rename = "reason", skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// Wire shape `ContinueServiceDeploymentRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContinueServiceDeploymentRequest {
    #[serde(
        rename = "serviceDeploymentArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_deployment_arn: Option<String>,
    #[serde(rename = "hookId", skip_serializing_if = "Option::is_none")]
    pub hook_id: Option<String>,
    #[serde(rename = "action", skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

/// Wire shape `ContinueServiceDeploymentResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContinueServiceDeploymentResponse {
    #[serde(
        rename = "serviceDeploymentArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_deployment_arn: Option<String>,
}

/// Wire shape `CreateCapacityProviderRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateCapacityProviderRequest {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(
        rename = "autoScalingGroupProvider",
        skip_serializing_if = "Option::is_none"
    )]
    pub auto_scaling_group_provider: Option<AutoScalingGroupProvider>,
    #[serde(
        rename = "managedInstancesProvider",
        skip_serializing_if = "Option::is_none"
    )]
    pub managed_instances_provider: Option<CreateManagedInstancesProviderConfiguration>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// Wire shape `CreateCapacityProviderResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateCapacityProviderResponse {
    #[serde(rename = "capacityProvider", skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<CapacityProvider>,
}

/// Wire shape `CreateClusterRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateClusterRequest {
    #[serde(rename = "clusterName", skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "settings", skip_serializing_if = "Option::is_none")]
    pub settings: Option<Vec<ClusterSetting>>,
    #[serde(rename = "configuration", skip_serializing_if = "Option::is_none")]
    pub configuration: Option<ClusterConfiguration>,
    #[serde(rename = "capacityProviders", skip_serializing_if = "Option::is_none")]
    pub capacity_providers: Option<Vec<String>>,
    #[serde(
        rename = "defaultCapacityProviderStrategy",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(
        rename = "serviceConnectDefaults",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_connect_defaults: Option<ClusterServiceConnectDefaultsRequest>,
}

/// Wire shape `CreateClusterResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateClusterResponse {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<Cluster>,
}

/// Wire shape `CreateManagedInstancesProviderConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateManagedInstancesProviderConfiguration {
    #[serde(
        rename = "infrastructureRoleArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub infrastructure_role_arn: Option<String>,
    #[serde(
        rename = "instanceLaunchTemplate",
        skip_serializing_if = "Option::is_none"
    )]
    pub instance_launch_template: Option<InstanceLaunchTemplate>,
    #[serde(rename = "propagateTags", skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<String>,
    #[serde(
        rename = "infrastructureOptimization",
        skip_serializing_if = "Option::is_none"
    )]
    pub infrastructure_optimization: Option<InfrastructureOptimization>,
    #[serde(
        rename = "autoRepairConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub auto_repair_configuration: Option<AutoRepairConfiguration>,
}

/// Wire shape `CreateServiceRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateServiceRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "serviceName", skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(rename = "taskDefinition", skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(
        rename = "availabilityZoneRebalancing",
        skip_serializing_if = "Option::is_none"
    )]
    pub availability_zone_rebalancing: Option<String>,
    #[serde(rename = "loadBalancers", skip_serializing_if = "Option::is_none")]
    pub load_balancers: Option<Vec<LoadBalancer>>,
    #[serde(rename = "serviceRegistries", skip_serializing_if = "Option::is_none")]
    pub service_registries: Option<Vec<ServiceRegistry>>,
    #[serde(rename = "desiredCount", skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<i32>,
    #[serde(rename = "clientToken", skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(rename = "launchType", skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    #[serde(
        rename = "capacityProviderStrategy",
        skip_serializing_if = "Option::is_none"
    )]
    pub capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "platformVersion", skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "role", skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(
        rename = "deploymentConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub deployment_configuration: Option<DeploymentConfiguration>,
    #[serde(
        rename = "placementConstraints",
        skip_serializing_if = "Option::is_none"
    )]
    pub placement_constraints: Option<Vec<PlacementConstraint>>,
    #[serde(rename = "placementStrategy", skip_serializing_if = "Option::is_none")]
    pub placement_strategy: Option<Vec<PlacementStrategy>>,
    #[serde(
        rename = "networkConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(
        rename = "healthCheckGracePeriodSeconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub health_check_grace_period_seconds: Option<i32>,
    #[serde(rename = "schedulingStrategy", skip_serializing_if = "Option::is_none")]
    pub scheduling_strategy: Option<String>,
    #[serde(
        rename = "deploymentController",
        skip_serializing_if = "Option::is_none"
    )]
    pub deployment_controller: Option<DeploymentController>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(
        rename = "enableECSManagedTags",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_ecs_managed_tags: Option<bool>,
    #[serde(rename = "propagateTags", skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<String>,
    #[serde(
        rename = "enableExecuteCommand",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_execute_command: Option<bool>,
    #[serde(
        rename = "serviceConnectConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_connect_configuration: Option<ServiceConnectConfiguration>,
    #[serde(
        rename = "volumeConfigurations",
        skip_serializing_if = "Option::is_none"
    )]
    pub volume_configurations: Option<Vec<ServiceVolumeConfiguration>>,
    #[serde(
        rename = "vpcLatticeConfigurations",
        skip_serializing_if = "Option::is_none"
    )]
    pub vpc_lattice_configurations: Option<Vec<VpcLatticeConfiguration>>,
}

/// Wire shape `CreateServiceResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateServiceResponse {
    #[serde(rename = "service", skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
}

/// Wire shape `CreateTaskSetRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateTaskSetRequest {
    #[serde(rename = "service", skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "externalId", skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(rename = "taskDefinition", skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(
        rename = "networkConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(rename = "loadBalancers", skip_serializing_if = "Option::is_none")]
    pub load_balancers: Option<Vec<LoadBalancer>>,
    #[serde(rename = "serviceRegistries", skip_serializing_if = "Option::is_none")]
    pub service_registries: Option<Vec<ServiceRegistry>>,
    #[serde(rename = "launchType", skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    #[serde(
        rename = "capacityProviderStrategy",
        skip_serializing_if = "Option::is_none"
    )]
    pub capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "platformVersion", skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "scale", skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    #[serde(rename = "clientToken", skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// Wire shape `CreateTaskSetResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateTaskSetResponse {
    #[serde(rename = "taskSet", skip_serializing_if = "Option::is_none")]
    pub task_set: Option<TaskSet>,
}

/// Wire shape `CreatedAt`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreatedAt {
    #[serde(rename = "before", skip_serializing_if = "Option::is_none")]
    pub before: Option<f64>,
    #[serde(rename = "after", skip_serializing_if = "Option::is_none")]
    pub after: Option<f64>,
}

/// Wire shape `DeleteAccountSettingRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteAccountSettingRequest {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "principalArn", skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
}

/// Wire shape `DeleteAccountSettingResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteAccountSettingResponse {
    #[serde(rename = "setting", skip_serializing_if = "Option::is_none")]
    pub setting: Option<Setting>,
}

/// Wire shape `DeleteAttributesRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteAttributesRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "attributes", skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
}

/// Wire shape `DeleteAttributesResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteAttributesResponse {
    #[serde(rename = "attributes", skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
}

/// Wire shape `DeleteCapacityProviderRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteCapacityProviderRequest {
    #[serde(rename = "capacityProvider", skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<String>,
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
}

/// Wire shape `DeleteCapacityProviderResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteCapacityProviderResponse {
    #[serde(rename = "capacityProvider", skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<CapacityProvider>,
}

/// Wire shape `DeleteClusterRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteClusterRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
}

/// Wire shape `DeleteClusterResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteClusterResponse {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<Cluster>,
}

/// Wire shape `DeleteServiceRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteServiceRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "service", skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(rename = "force", skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

/// Wire shape `DeleteServiceResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteServiceResponse {
    #[serde(rename = "service", skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
}

/// Wire shape `DeleteTaskDefinitionsRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteTaskDefinitionsRequest {
    #[serde(rename = "taskDefinitions", skip_serializing_if = "Option::is_none")]
    pub task_definitions: Option<Vec<String>>,
}

/// Wire shape `DeleteTaskDefinitionsResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteTaskDefinitionsResponse {
    #[serde(rename = "taskDefinitions", skip_serializing_if = "Option::is_none")]
    pub task_definitions: Option<Vec<TaskDefinition>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

/// Wire shape `DeleteTaskSetRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteTaskSetRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "service", skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(rename = "taskSet", skip_serializing_if = "Option::is_none")]
    pub task_set: Option<String>,
    #[serde(rename = "force", skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

/// Wire shape `DeleteTaskSetResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteTaskSetResponse {
    #[serde(rename = "taskSet", skip_serializing_if = "Option::is_none")]
    pub task_set: Option<TaskSet>,
}

/// Wire shape `Deployment`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Deployment {
    #[serde(rename = "id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "taskDefinition", skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(rename = "desiredCount", skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<i32>,
    #[serde(rename = "pendingCount", skip_serializing_if = "Option::is_none")]
    pub pending_count: Option<i32>,
    #[serde(rename = "runningCount", skip_serializing_if = "Option::is_none")]
    pub running_count: Option<i32>,
    #[serde(rename = "failedTasks", skip_serializing_if = "Option::is_none")]
    pub failed_tasks: Option<i32>,
    #[serde(rename = "createdAt", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
    #[serde(
        rename = "capacityProviderStrategy",
        skip_serializing_if = "Option::is_none"
    )]
    pub capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "launchType", skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    #[serde(rename = "platformVersion", skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "platformFamily", skip_serializing_if = "Option::is_none")]
    pub platform_family: Option<String>,
    #[serde(
        rename = "networkConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(rename = "rolloutState", skip_serializing_if = "Option::is_none")]
    pub rollout_state: Option<String>,
    #[serde(rename = "rolloutStateReason", skip_serializing_if = "Option::is_none")]
    pub rollout_state_reason: Option<String>,
    #[serde(
        rename = "serviceConnectConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_connect_configuration: Option<ServiceConnectConfiguration>,
    #[serde(
        rename = "serviceConnectResources",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_connect_resources: Option<Vec<ServiceConnectServiceResource>>,
    #[serde(
        rename = "volumeConfigurations",
        skip_serializing_if = "Option::is_none"
    )]
    pub volume_configurations: Option<Vec<ServiceVolumeConfiguration>>,
    #[serde(
        rename = "fargateEphemeralStorage",
        skip_serializing_if = "Option::is_none"
    )]
    pub fargate_ephemeral_storage: Option<DeploymentEphemeralStorage>,
    #[serde(
        rename = "vpcLatticeConfigurations",
        skip_serializing_if = "Option::is_none"
    )]
    pub vpc_lattice_configurations: Option<Vec<VpcLatticeConfiguration>>,
}

/// Wire shape `DeploymentAlarms`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeploymentAlarms {
    #[serde(rename = "alarmNames", skip_serializing_if = "Option::is_none")]
    pub alarm_names: Option<Vec<String>>,
    #[serde(rename = "rollback", skip_serializing_if = "Option::is_none")]
    pub rollback: Option<bool>,
    #[serde(rename = "enable", skip_serializing_if = "Option::is_none")]
    pub enable: Option<bool>,
}

/// Wire shape `DeploymentCircuitBreaker`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeploymentCircuitBreaker {
    #[serde(rename = "enable", skip_serializing_if = "Option::is_none")]
    pub enable: Option<bool>,
    #[serde(rename = "rollback", skip_serializing_if = "Option::is_none")]
    pub rollback: Option<bool>,
}

/// Wire shape `DeploymentConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeploymentConfiguration {
    #[serde(
        rename = "deploymentCircuitBreaker",
        skip_serializing_if = "Option::is_none"
    )]
    pub deployment_circuit_breaker: Option<DeploymentCircuitBreaker>,
    #[serde(rename = "maximumPercent", skip_serializing_if = "Option::is_none")]
    pub maximum_percent: Option<i32>,
    #[serde(
        rename = "minimumHealthyPercent",
        skip_serializing_if = "Option::is_none"
    )]
    pub minimum_healthy_percent: Option<i32>,
    #[serde(rename = "alarms", skip_serializing_if = "Option::is_none")]
    pub alarms: Option<DeploymentAlarms>,
    #[serde(rename = "strategy", skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    #[serde(rename = "bakeTimeInMinutes", skip_serializing_if = "Option::is_none")]
    pub bake_time_in_minutes: Option<i32>,
    #[serde(rename = "lifecycleHooks", skip_serializing_if = "Option::is_none")]
    pub lifecycle_hooks: Option<Vec<DeploymentLifecycleHook>>,
    #[serde(
        rename = "linearConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub linear_configuration: Option<LinearConfiguration>,
    #[serde(
        rename = "canaryConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub canary_configuration: Option<CanaryConfiguration>,
}

/// Wire shape `DeploymentController`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeploymentController {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
}

/// Wire shape `DeploymentEphemeralStorage`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeploymentEphemeralStorage {
    #[serde(rename = "kmsKeyId", skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

/// Wire shape `DeploymentLifecycleHook`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeploymentLifecycleHook {
    #[serde(rename = "targetType", skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    #[serde(rename = "hookTargetArn", skip_serializing_if = "Option::is_none")]
    pub hook_target_arn: Option<String>,
    #[serde(rename = "roleArn", skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(rename = "lifecycleStages", skip_serializing_if = "Option::is_none")]
    pub lifecycle_stages: Option<Vec<String>>,
    #[serde(rename = "hookDetails", skip_serializing_if = "Option::is_none")]
    pub hook_details: Option<HookDetails>,
    #[serde(
        rename = "timeoutConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub timeout_configuration: Option<DeploymentLifecycleHookTimeoutConfiguration>,
}

/// Wire shape `DeploymentLifecycleHookDetail`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeploymentLifecycleHookDetail {
    #[serde(rename = "hookId", skip_serializing_if = "Option::is_none")]
    pub hook_id: Option<String>,
    #[serde(rename = "targetType", skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    #[serde(rename = "targetArn", skip_serializing_if = "Option::is_none")]
    pub target_arn: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "expiresAt", skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<f64>,
    #[serde(rename = "timeoutAction", skip_serializing_if = "Option::is_none")]
    pub timeout_action: Option<String>,
}

/// Wire shape `DeploymentLifecycleHookTimeoutConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeploymentLifecycleHookTimeoutConfiguration {
    #[serde(rename = "timeoutInMinutes", skip_serializing_if = "Option::is_none")]
    pub timeout_in_minutes: Option<i32>,
    #[serde(rename = "action", skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

/// Wire shape `DeregisterContainerInstanceRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeregisterContainerInstanceRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "containerInstance", skip_serializing_if = "Option::is_none")]
    pub container_instance: Option<String>,
    #[serde(rename = "force", skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

/// Wire shape `DeregisterContainerInstanceResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeregisterContainerInstanceResponse {
    #[serde(rename = "containerInstance", skip_serializing_if = "Option::is_none")]
    pub container_instance: Option<ContainerInstance>,
}

/// Wire shape `DeregisterTaskDefinitionRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeregisterTaskDefinitionRequest {
    #[serde(rename = "taskDefinition", skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
}

/// Wire shape `DeregisterTaskDefinitionResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeregisterTaskDefinitionResponse {
    #[serde(rename = "taskDefinition", skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<TaskDefinition>,
}

/// Wire shape `DescribeCapacityProvidersRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeCapacityProvidersRequest {
    #[serde(rename = "capacityProviders", skip_serializing_if = "Option::is_none")]
    pub capacity_providers: Option<Vec<String>>,
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "include", skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<String>>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `DescribeCapacityProvidersResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeCapacityProvidersResponse {
    #[serde(rename = "capacityProviders", skip_serializing_if = "Option::is_none")]
    pub capacity_providers: Option<Vec<CapacityProvider>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `DescribeClustersRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeClustersRequest {
    #[serde(rename = "clusters", skip_serializing_if = "Option::is_none")]
    pub clusters: Option<Vec<String>>,
    #[serde(rename = "include", skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<String>>,
}

/// Wire shape `DescribeClustersResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeClustersResponse {
    #[serde(rename = "clusters", skip_serializing_if = "Option::is_none")]
    pub clusters: Option<Vec<Cluster>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

/// Wire shape `DescribeContainerInstancesRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeContainerInstancesRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "containerInstances", skip_serializing_if = "Option::is_none")]
    pub container_instances: Option<Vec<String>>,
    #[serde(rename = "include", skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<String>>,
}

/// Wire shape `DescribeContainerInstancesResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeContainerInstancesResponse {
    #[serde(rename = "containerInstances", skip_serializing_if = "Option::is_none")]
    pub container_instances: Option<Vec<ContainerInstance>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

/// Wire shape `DescribeServiceDeploymentsRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeServiceDeploymentsRequest {
    #[serde(
        rename = "serviceDeploymentArns",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_deployment_arns: Option<Vec<String>>,
}

/// Wire shape `DescribeServiceDeploymentsResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeServiceDeploymentsResponse {
    #[serde(rename = "serviceDeployments", skip_serializing_if = "Option::is_none")]
    pub service_deployments: Option<Vec<ServiceDeployment>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

/// Wire shape `DescribeServiceRevisionsRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeServiceRevisionsRequest {
    #[serde(
        rename = "serviceRevisionArns",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_revision_arns: Option<Vec<String>>,
}

/// Wire shape `DescribeServiceRevisionsResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeServiceRevisionsResponse {
    #[serde(rename = "serviceRevisions", skip_serializing_if = "Option::is_none")]
    pub service_revisions: Option<Vec<ServiceRevision>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

/// Wire shape `DescribeServicesRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeServicesRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "services", skip_serializing_if = "Option::is_none")]
    pub services: Option<Vec<String>>,
    #[serde(rename = "include", skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<String>>,
}

/// Wire shape `DescribeServicesResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeServicesResponse {
    #[serde(rename = "services", skip_serializing_if = "Option::is_none")]
    pub services: Option<Vec<Service>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

/// Wire shape `DescribeTaskDefinitionRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeTaskDefinitionRequest {
    #[serde(rename = "taskDefinition", skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(rename = "include", skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<String>>,
}

/// Wire shape `DescribeTaskDefinitionResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeTaskDefinitionResponse {
    #[serde(rename = "taskDefinition", skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<TaskDefinition>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// Wire shape `DescribeTaskSetsRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeTaskSetsRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "service", skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(rename = "taskSets", skip_serializing_if = "Option::is_none")]
    pub task_sets: Option<Vec<String>>,
    #[serde(rename = "include", skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<String>>,
}

/// Wire shape `DescribeTaskSetsResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeTaskSetsResponse {
    #[serde(rename = "taskSets", skip_serializing_if = "Option::is_none")]
    pub task_sets: Option<Vec<TaskSet>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

/// Wire shape `DescribeTasksRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeTasksRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "tasks", skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<String>>,
    #[serde(rename = "include", skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<String>>,
}

/// Wire shape `DescribeTasksResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeTasksResponse {
    #[serde(rename = "tasks", skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<Task>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

/// Wire shape `Device`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Device {
    #[serde(rename = "hostPath", skip_serializing_if = "Option::is_none")]
    pub host_path: Option<String>,
    #[serde(rename = "containerPath", skip_serializing_if = "Option::is_none")]
    pub container_path: Option<String>,
    #[serde(rename = "permissions", skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<String>>,
}

/// Wire shape `DiscoverPollEndpointRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DiscoverPollEndpointRequest {
    #[serde(rename = "containerInstance", skip_serializing_if = "Option::is_none")]
    pub container_instance: Option<String>,
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
}

/// Wire shape `DiscoverPollEndpointResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DiscoverPollEndpointResponse {
    #[serde(rename = "endpoint", skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(rename = "telemetryEndpoint", skip_serializing_if = "Option::is_none")]
    pub telemetry_endpoint: Option<String>,
    #[serde(
        rename = "serviceConnectEndpoint",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_connect_endpoint: Option<String>,
}

/// Wire shape `DockerVolumeConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DockerVolumeConfiguration {
    #[serde(rename = "scope", skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(rename = "autoprovision", skip_serializing_if = "Option::is_none")]
    pub autoprovision: Option<bool>,
    #[serde(rename = "driver", skip_serializing_if = "Option::is_none")]
    pub driver: Option<String>,
    #[serde(rename = "driverOpts", skip_serializing_if = "Option::is_none")]
    pub driver_opts: Option<BTreeMap<String, String>>,
    #[serde(rename = "labels", skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
}

/// Wire shape `EBSTagSpecification`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EBSTagSpecification {
    #[serde(rename = "resourceType", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "propagateTags", skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<String>,
}

/// Wire shape `ECSManagedResources`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ECSManagedResources {
    #[serde(rename = "ingressPaths", skip_serializing_if = "Option::is_none")]
    pub ingress_paths: Option<Vec<ManagedIngressPath>>,
    #[serde(rename = "autoScaling", skip_serializing_if = "Option::is_none")]
    pub auto_scaling: Option<ManagedAutoScaling>,
    #[serde(rename = "metricAlarms", skip_serializing_if = "Option::is_none")]
    pub metric_alarms: Option<Vec<ManagedMetricAlarm>>,
    #[serde(
        rename = "serviceSecurityGroups",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_security_groups: Option<Vec<ManagedSecurityGroup>>,
    #[serde(rename = "logGroups", skip_serializing_if = "Option::is_none")]
    pub log_groups: Option<Vec<ManagedLogGroup>>,
}

/// Wire shape `EFSAuthorizationConfig`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EFSAuthorizationConfig {
    #[serde(rename = "accessPointId", skip_serializing_if = "Option::is_none")]
    pub access_point_id: Option<String>,
    #[serde(rename = "iam", skip_serializing_if = "Option::is_none")]
    pub iam: Option<String>,
}

/// Wire shape `EFSVolumeConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EFSVolumeConfiguration {
    #[serde(rename = "fileSystemId", skip_serializing_if = "Option::is_none")]
    pub file_system_id: Option<String>,
    #[serde(rename = "rootDirectory", skip_serializing_if = "Option::is_none")]
    pub root_directory: Option<String>,
    #[serde(rename = "transitEncryption", skip_serializing_if = "Option::is_none")]
    pub transit_encryption: Option<String>,
    #[serde(
        rename = "transitEncryptionPort",
        skip_serializing_if = "Option::is_none"
    )]
    pub transit_encryption_port: Option<i32>,
    #[serde(
        rename = "authorizationConfig",
        skip_serializing_if = "Option::is_none"
    )]
    pub authorization_config: Option<EFSAuthorizationConfig>,
}

/// Wire shape `EnvironmentFile`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EnvironmentFile {
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
}

/// Wire shape `EphemeralStorage`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EphemeralStorage {
    #[serde(rename = "sizeInGiB", skip_serializing_if = "Option::is_none")]
    pub size_in_gi_b: Option<i32>,
}

/// Wire shape `ExecuteCommandConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExecuteCommandConfiguration {
    #[serde(rename = "kmsKeyId", skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    #[serde(rename = "logging", skip_serializing_if = "Option::is_none")]
    pub logging: Option<String>,
    #[serde(rename = "logConfiguration", skip_serializing_if = "Option::is_none")]
    pub log_configuration: Option<ExecuteCommandLogConfiguration>,
}

/// Wire shape `ExecuteCommandLogConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExecuteCommandLogConfiguration {
    #[serde(
        rename = "cloudWatchLogGroupName",
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_watch_log_group_name: Option<String>,
    #[serde(
        rename = "cloudWatchEncryptionEnabled",
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_watch_encryption_enabled: Option<bool>,
    #[serde(rename = "s3BucketName", skip_serializing_if = "Option::is_none")]
    pub s3_bucket_name: Option<String>,
    #[serde(
        rename = "s3EncryptionEnabled",
        skip_serializing_if = "Option::is_none"
    )]
    pub s3_encryption_enabled: Option<bool>,
    #[serde(rename = "s3KeyPrefix", skip_serializing_if = "Option::is_none")]
    pub s3_key_prefix: Option<String>,
}

/// Wire shape `ExecuteCommandRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExecuteCommandRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "container", skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    #[serde(rename = "command", skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    #[serde(rename = "interactive", skip_serializing_if = "Option::is_none")]
    pub interactive: Option<bool>,
    #[serde(rename = "task", skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
}

/// Wire shape `ExecuteCommandResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExecuteCommandResponse {
    #[serde(rename = "clusterArn", skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "containerArn", skip_serializing_if = "Option::is_none")]
    pub container_arn: Option<String>,
    #[serde(rename = "containerName", skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(rename = "interactive", skip_serializing_if = "Option::is_none")]
    pub interactive: Option<bool>,
    #[serde(rename = "session", skip_serializing_if = "Option::is_none")]
    pub session: Option<Session>,
    #[serde(rename = "taskArn", skip_serializing_if = "Option::is_none")]
    pub task_arn: Option<String>,
}

/// Wire shape `FSxWindowsFileServerAuthorizationConfig`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FSxWindowsFileServerAuthorizationConfig {
    #[serde(
        rename = "credentialsParameter",
        skip_serializing_if = "Option::is_none"
    )]
    pub credentials_parameter: Option<String>,
    #[serde(rename = "domain", skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

/// Wire shape `FSxWindowsFileServerVolumeConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FSxWindowsFileServerVolumeConfiguration {
    #[serde(rename = "fileSystemId", skip_serializing_if = "Option::is_none")]
    pub file_system_id: Option<String>,
    #[serde(rename = "rootDirectory", skip_serializing_if = "Option::is_none")]
    pub root_directory: Option<String>,
    #[serde(
        rename = "authorizationConfig",
        skip_serializing_if = "Option::is_none"
    )]
    pub authorization_config: Option<FSxWindowsFileServerAuthorizationConfig>,
}

/// Wire shape `Failure`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Failure {
    #[serde(rename = "arn", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "reason", skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(rename = "detail", skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Wire shape `FirelensConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FirelensConfiguration {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(rename = "options", skip_serializing_if = "Option::is_none")]
    pub options: Option<BTreeMap<String, String>>,
}

/// Wire shape `GetTaskProtectionRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetTaskProtectionRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "tasks", skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<String>>,
}

/// Wire shape `GetTaskProtectionResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetTaskProtectionResponse {
    #[serde(rename = "protectedTasks", skip_serializing_if = "Option::is_none")]
    pub protected_tasks: Option<Vec<ProtectedTask>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

/// Wire shape `HealthCheck`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HealthCheck {
    #[serde(rename = "command", skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(rename = "interval", skip_serializing_if = "Option::is_none")]
    pub interval: Option<i32>,
    #[serde(rename = "timeout", skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i32>,
    #[serde(rename = "retries", skip_serializing_if = "Option::is_none")]
    pub retries: Option<i32>,
    #[serde(rename = "startPeriod", skip_serializing_if = "Option::is_none")]
    pub start_period: Option<i32>,
}

/// Wire shape `HookDetails`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HookDetails {}

/// Wire shape `HostEntry`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HostEntry {
    #[serde(rename = "hostname", skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(rename = "ipAddress", skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
}

/// Wire shape `HostVolumeProperties`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HostVolumeProperties {
    #[serde(rename = "sourcePath", skip_serializing_if = "Option::is_none")]
    pub source_path: Option<String>,
}

/// Wire shape `InferenceAccelerator`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InferenceAccelerator {
    #[serde(rename = "deviceName", skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
    #[serde(rename = "deviceType", skip_serializing_if = "Option::is_none")]
    pub device_type: Option<String>,
}

/// Wire shape `InferenceAcceleratorOverride`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InferenceAcceleratorOverride {
    #[serde(rename = "deviceName", skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
    #[serde(rename = "deviceType", skip_serializing_if = "Option::is_none")]
    pub device_type: Option<String>,
}

/// Wire shape `InfrastructureOptimization`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InfrastructureOptimization {
    #[serde(rename = "scaleInAfter", skip_serializing_if = "Option::is_none")]
    pub scale_in_after: Option<i32>,
}

/// Wire shape `InstanceHealthCheckResult`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InstanceHealthCheckResult {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "statusReason", skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "lastUpdated", skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<f64>,
    #[serde(rename = "lastStatusChange", skip_serializing_if = "Option::is_none")]
    pub last_status_change: Option<f64>,
}

/// Wire shape `InstanceLaunchTemplate`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InstanceLaunchTemplate {
    #[serde(
        rename = "ec2InstanceProfileArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub ec2_instance_profile_arn: Option<String>,
    #[serde(
        rename = "networkConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub network_configuration: Option<ManagedInstancesNetworkConfiguration>,
    #[serde(
        rename = "storageConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub storage_configuration: Option<ManagedInstancesStorageConfiguration>,
    #[serde(
        rename = "localStorageConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub local_storage_configuration: Option<ManagedInstancesLocalStorageConfiguration>,
    #[serde(rename = "monitoring", skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<String>,
    #[serde(rename = "capacityOptionType", skip_serializing_if = "Option::is_none")]
    pub capacity_option_type: Option<String>,
    #[serde(
        rename = "instanceMetadataTagsPropagation",
        skip_serializing_if = "Option::is_none"
    )]
    pub instance_metadata_tags_propagation: Option<bool>,
    #[serde(
        rename = "instanceRequirements",
        skip_serializing_if = "Option::is_none"
    )]
    pub instance_requirements: Option<InstanceRequirementsRequest>,
    #[serde(rename = "fipsEnabled", skip_serializing_if = "Option::is_none")]
    pub fips_enabled: Option<bool>,
    #[serde(
        rename = "capacityReservations",
        skip_serializing_if = "Option::is_none"
    )]
    pub capacity_reservations: Option<CapacityReservationRequest>,
}

/// Wire shape `InstanceLaunchTemplateUpdate`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InstanceLaunchTemplateUpdate {
    #[serde(
        rename = "ec2InstanceProfileArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub ec2_instance_profile_arn: Option<String>,
    #[serde(
        rename = "networkConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub network_configuration: Option<ManagedInstancesNetworkConfiguration>,
    #[serde(
        rename = "storageConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub storage_configuration: Option<ManagedInstancesStorageConfiguration>,
    #[serde(
        rename = "instanceMetadataTagsPropagation",
        skip_serializing_if = "Option::is_none"
    )]
    pub instance_metadata_tags_propagation: Option<bool>,
    #[serde(
        rename = "localStorageConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub local_storage_configuration: Option<ManagedInstancesLocalStorageConfiguration>,
    #[serde(rename = "monitoring", skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<String>,
    #[serde(
        rename = "instanceRequirements",
        skip_serializing_if = "Option::is_none"
    )]
    pub instance_requirements: Option<InstanceRequirementsRequest>,
    #[serde(
        rename = "capacityReservations",
        skip_serializing_if = "Option::is_none"
    )]
    pub capacity_reservations: Option<CapacityReservationRequest>,
}

/// Wire shape `InstanceRequirementsRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InstanceRequirementsRequest {
    #[serde(rename = "vCpuCount", skip_serializing_if = "Option::is_none")]
    pub v_cpu_count: Option<VCpuCountRangeRequest>,
    #[serde(rename = "memoryMiB", skip_serializing_if = "Option::is_none")]
    pub memory_mi_b: Option<MemoryMiBRequest>,
    #[serde(rename = "cpuManufacturers", skip_serializing_if = "Option::is_none")]
    pub cpu_manufacturers: Option<Vec<String>>,
    #[serde(rename = "memoryGiBPerVCpu", skip_serializing_if = "Option::is_none")]
    pub memory_gi_b_per_v_cpu: Option<MemoryGiBPerVCpuRequest>,
    #[serde(
        rename = "excludedInstanceTypes",
        skip_serializing_if = "Option::is_none"
    )]
    pub excluded_instance_types: Option<Vec<String>>,
    #[serde(
        rename = "instanceGenerations",
        skip_serializing_if = "Option::is_none"
    )]
    pub instance_generations: Option<Vec<String>>,
    #[serde(
        rename = "spotMaxPricePercentageOverLowestPrice",
        skip_serializing_if = "Option::is_none"
    )]
    pub spot_max_price_percentage_over_lowest_price: Option<i32>,
    #[serde(
        rename = "onDemandMaxPricePercentageOverLowestPrice",
        skip_serializing_if = "Option::is_none"
    )]
    pub on_demand_max_price_percentage_over_lowest_price: Option<i32>,
    #[serde(rename = "bareMetal", skip_serializing_if = "Option::is_none")]
    pub bare_metal: Option<String>,
    #[serde(
        rename = "burstablePerformance",
        skip_serializing_if = "Option::is_none"
    )]
    pub burstable_performance: Option<String>,
    #[serde(
        rename = "requireHibernateSupport",
        skip_serializing_if = "Option::is_none"
    )]
    pub require_hibernate_support: Option<bool>,
    #[serde(
        rename = "networkInterfaceCount",
        skip_serializing_if = "Option::is_none"
    )]
    pub network_interface_count: Option<NetworkInterfaceCountRequest>,
    #[serde(rename = "localStorage", skip_serializing_if = "Option::is_none")]
    pub local_storage: Option<String>,
    #[serde(rename = "localStorageTypes", skip_serializing_if = "Option::is_none")]
    pub local_storage_types: Option<Vec<String>>,
    #[serde(
        rename = "totalLocalStorageGB",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_local_storage_gb: Option<TotalLocalStorageGBRequest>,
    #[serde(
        rename = "baselineEbsBandwidthMbps",
        skip_serializing_if = "Option::is_none"
    )]
    pub baseline_ebs_bandwidth_mbps: Option<BaselineEbsBandwidthMbpsRequest>,
    #[serde(rename = "acceleratorTypes", skip_serializing_if = "Option::is_none")]
    pub accelerator_types: Option<Vec<String>>,
    #[serde(rename = "acceleratorCount", skip_serializing_if = "Option::is_none")]
    pub accelerator_count: Option<AcceleratorCountRequest>,
    #[serde(
        rename = "acceleratorManufacturers",
        skip_serializing_if = "Option::is_none"
    )]
    pub accelerator_manufacturers: Option<Vec<String>>,
    #[serde(rename = "acceleratorNames", skip_serializing_if = "Option::is_none")]
    pub accelerator_names: Option<Vec<String>>,
    #[serde(
        rename = "acceleratorTotalMemoryMiB",
        skip_serializing_if = "Option::is_none"
    )]
    pub accelerator_total_memory_mi_b: Option<AcceleratorTotalMemoryMiBRequest>,
    #[serde(
        rename = "networkBandwidthGbps",
        skip_serializing_if = "Option::is_none"
    )]
    pub network_bandwidth_gbps: Option<NetworkBandwidthGbpsRequest>,
    #[serde(
        rename = "allowedInstanceTypes",
        skip_serializing_if = "Option::is_none"
    )]
    pub allowed_instance_types: Option<Vec<String>>,
    #[serde(
        rename = "maxSpotPriceAsPercentageOfOptimalOnDemandPrice",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_spot_price_as_percentage_of_optimal_on_demand_price: Option<i32>,
}

/// Wire shape `KernelCapabilities`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KernelCapabilities {
    #[serde(rename = "add", skip_serializing_if = "Option::is_none")]
    pub add: Option<Vec<String>>,
    #[serde(rename = "drop", skip_serializing_if = "Option::is_none")]
    pub drop: Option<Vec<String>>,
}

/// Wire shape `KeyValuePair`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KeyValuePair {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Wire shape `LinearConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinearConfiguration {
    #[serde(rename = "stepPercent", skip_serializing_if = "Option::is_none")]
    pub step_percent: Option<f64>,
    #[serde(
        rename = "stepBakeTimeInMinutes",
        skip_serializing_if = "Option::is_none"
    )]
    pub step_bake_time_in_minutes: Option<i32>,
}

/// Wire shape `LinuxParameters`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinuxParameters {
    #[serde(rename = "capabilities", skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<KernelCapabilities>,
    #[serde(rename = "devices", skip_serializing_if = "Option::is_none")]
    pub devices: Option<Vec<Device>>,
    #[serde(rename = "initProcessEnabled", skip_serializing_if = "Option::is_none")]
    pub init_process_enabled: Option<bool>,
    #[serde(rename = "sharedMemorySize", skip_serializing_if = "Option::is_none")]
    pub shared_memory_size: Option<i32>,
    #[serde(rename = "tmpfs", skip_serializing_if = "Option::is_none")]
    pub tmpfs: Option<Vec<Tmpfs>>,
    #[serde(rename = "maxSwap", skip_serializing_if = "Option::is_none")]
    pub max_swap: Option<i32>,
    #[serde(rename = "swappiness", skip_serializing_if = "Option::is_none")]
    pub swappiness: Option<i32>,
}

/// Wire shape `ListAccountSettingsRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListAccountSettingsRequest {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(rename = "principalArn", skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
    #[serde(rename = "effectiveSettings", skip_serializing_if = "Option::is_none")]
    pub effective_settings: Option<bool>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

/// Wire shape `ListAccountSettingsResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListAccountSettingsResponse {
    #[serde(rename = "settings", skip_serializing_if = "Option::is_none")]
    pub settings: Option<Vec<Setting>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `ListAttributesRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListAttributesRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "targetType", skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    #[serde(rename = "attributeName", skip_serializing_if = "Option::is_none")]
    pub attribute_name: Option<String>,
    #[serde(rename = "attributeValue", skip_serializing_if = "Option::is_none")]
    pub attribute_value: Option<String>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

/// Wire shape `ListAttributesResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListAttributesResponse {
    #[serde(rename = "attributes", skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `ListClustersRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListClustersRequest {
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

/// Wire shape `ListClustersResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListClustersResponse {
    #[serde(rename = "clusterArns", skip_serializing_if = "Option::is_none")]
    pub cluster_arns: Option<Vec<String>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `ListContainerInstancesRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListContainerInstancesRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "filter", skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// Wire shape `ListContainerInstancesResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListContainerInstancesResponse {
    #[serde(
        rename = "containerInstanceArns",
        skip_serializing_if = "Option::is_none"
    )]
    pub container_instance_arns: Option<Vec<String>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `ListServiceDeploymentsRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListServiceDeploymentsRequest {
    #[serde(rename = "service", skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<Vec<String>>,
    #[serde(rename = "createdAt", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<CreatedAt>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

/// Wire shape `ListServiceDeploymentsResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListServiceDeploymentsResponse {
    #[serde(rename = "serviceDeployments", skip_serializing_if = "Option::is_none")]
    pub service_deployments: Option<Vec<ServiceDeploymentBrief>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `ListServicesByNamespaceRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListServicesByNamespaceRequest {
    #[serde(rename = "namespace", skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

/// Wire shape `ListServicesByNamespaceResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListServicesByNamespaceResponse {
    #[serde(rename = "serviceArns", skip_serializing_if = "Option::is_none")]
    pub service_arns: Option<Vec<String>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `ListServicesRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListServicesRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(rename = "launchType", skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    #[serde(rename = "schedulingStrategy", skip_serializing_if = "Option::is_none")]
    pub scheduling_strategy: Option<String>,
    #[serde(
        rename = "resourceManagementType",
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_management_type: Option<String>,
}

/// Wire shape `ListServicesResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListServicesResponse {
    #[serde(rename = "serviceArns", skip_serializing_if = "Option::is_none")]
    pub service_arns: Option<Vec<String>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `ListTagsForResourceRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListTagsForResourceRequest {
    #[serde(rename = "resourceArn", skip_serializing_if = "Option::is_none")]
    pub resource_arn: Option<String>,
}

/// Wire shape `ListTagsForResourceResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListTagsForResourceResponse {
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// Wire shape `ListTaskDefinitionFamiliesRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListTaskDefinitionFamiliesRequest {
    #[serde(rename = "familyPrefix", skip_serializing_if = "Option::is_none")]
    pub family_prefix: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

/// Wire shape `ListTaskDefinitionFamiliesResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListTaskDefinitionFamiliesResponse {
    #[serde(rename = "families", skip_serializing_if = "Option::is_none")]
    pub families: Option<Vec<String>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `ListTaskDefinitionsRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListTaskDefinitionsRequest {
    #[serde(rename = "familyPrefix", skip_serializing_if = "Option::is_none")]
    pub family_prefix: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "sort", skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

/// Wire shape `ListTaskDefinitionsResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListTaskDefinitionsResponse {
    #[serde(rename = "taskDefinitionArns", skip_serializing_if = "Option::is_none")]
    pub task_definition_arns: Option<Vec<String>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `ListTasksRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListTasksRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "containerInstance", skip_serializing_if = "Option::is_none")]
    pub container_instance: Option<String>,
    #[serde(rename = "family", skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(rename = "startedBy", skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    #[serde(rename = "serviceName", skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(rename = "desiredStatus", skip_serializing_if = "Option::is_none")]
    pub desired_status: Option<String>,
    #[serde(rename = "launchType", skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    #[serde(rename = "daemonName", skip_serializing_if = "Option::is_none")]
    pub daemon_name: Option<String>,
}

/// Wire shape `ListTasksResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListTasksResponse {
    #[serde(rename = "taskArns", skip_serializing_if = "Option::is_none")]
    pub task_arns: Option<Vec<String>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `LoadBalancer`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoadBalancer {
    #[serde(rename = "targetGroupArn", skip_serializing_if = "Option::is_none")]
    pub target_group_arn: Option<String>,
    #[serde(rename = "loadBalancerName", skip_serializing_if = "Option::is_none")]
    pub load_balancer_name: Option<String>,
    #[serde(rename = "containerName", skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(rename = "containerPort", skip_serializing_if = "Option::is_none")]
    pub container_port: Option<i32>,
    #[serde(
        rename = "advancedConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub advanced_configuration: Option<AdvancedConfiguration>,
}

/// Wire shape `LogConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogConfiguration {
    #[serde(rename = "logDriver", skip_serializing_if = "Option::is_none")]
    pub log_driver: Option<String>,
    #[serde(rename = "options", skip_serializing_if = "Option::is_none")]
    pub options: Option<BTreeMap<String, String>>,
    #[serde(rename = "secretOptions", skip_serializing_if = "Option::is_none")]
    pub secret_options: Option<Vec<Secret>>,
}

/// Wire shape `ManagedAgent`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedAgent {
    #[serde(rename = "lastStartedAt", skip_serializing_if = "Option::is_none")]
    pub last_started_at: Option<f64>,
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "reason", skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(rename = "lastStatus", skip_serializing_if = "Option::is_none")]
    pub last_status: Option<String>,
}

/// Wire shape `ManagedAgentStateChange`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedAgentStateChange {
    #[serde(rename = "containerName", skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(rename = "managedAgentName", skip_serializing_if = "Option::is_none")]
    pub managed_agent_name: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "reason", skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Wire shape `ManagedApplicationAutoScalingPolicy`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedApplicationAutoScalingPolicy {
    #[serde(rename = "arn", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "statusReason", skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
    #[serde(rename = "policyType", skip_serializing_if = "Option::is_none")]
    pub policy_type: Option<String>,
    #[serde(rename = "targetValue", skip_serializing_if = "Option::is_none")]
    pub target_value: Option<f64>,
    #[serde(rename = "metric", skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
}

/// Wire shape `ManagedAutoScaling`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedAutoScaling {
    #[serde(rename = "scalableTarget", skip_serializing_if = "Option::is_none")]
    pub scalable_target: Option<ManagedScalableTarget>,
    #[serde(
        rename = "applicationAutoScalingPolicies",
        skip_serializing_if = "Option::is_none"
    )]
    pub application_auto_scaling_policies: Option<Vec<ManagedApplicationAutoScalingPolicy>>,
}

/// Wire shape `ManagedCertificate`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedCertificate {
    #[serde(rename = "arn", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "statusReason", skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
    #[serde(rename = "domainName", skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
}

/// Wire shape `ManagedIngressPath`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedIngressPath {
    #[serde(rename = "accessType", skip_serializing_if = "Option::is_none")]
    pub access_type: Option<String>,
    #[serde(rename = "endpoint", skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(rename = "loadBalancer", skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<ManagedLoadBalancer>,
    #[serde(
        rename = "loadBalancerSecurityGroups",
        skip_serializing_if = "Option::is_none"
    )]
    pub load_balancer_security_groups: Option<Vec<ManagedSecurityGroup>>,
    #[serde(rename = "certificate", skip_serializing_if = "Option::is_none")]
    pub certificate: Option<ManagedCertificate>,
    #[serde(rename = "listener", skip_serializing_if = "Option::is_none")]
    pub listener: Option<ManagedListener>,
    #[serde(rename = "rule", skip_serializing_if = "Option::is_none")]
    pub rule: Option<ManagedListenerRule>,
    #[serde(rename = "targetGroups", skip_serializing_if = "Option::is_none")]
    pub target_groups: Option<Vec<ManagedTargetGroup>>,
}

/// Wire shape `ManagedInstancesLocalStorageConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedInstancesLocalStorageConfiguration {
    #[serde(rename = "useLocalStorage", skip_serializing_if = "Option::is_none")]
    pub use_local_storage: Option<bool>,
}

/// Wire shape `ManagedInstancesNetworkConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedInstancesNetworkConfiguration {
    #[serde(rename = "subnets", skip_serializing_if = "Option::is_none")]
    pub subnets: Option<Vec<String>>,
    #[serde(rename = "securityGroups", skip_serializing_if = "Option::is_none")]
    pub security_groups: Option<Vec<String>>,
}

/// Wire shape `ManagedInstancesProvider`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedInstancesProvider {
    #[serde(
        rename = "infrastructureRoleArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub infrastructure_role_arn: Option<String>,
    #[serde(
        rename = "instanceLaunchTemplate",
        skip_serializing_if = "Option::is_none"
    )]
    pub instance_launch_template: Option<InstanceLaunchTemplate>,
    #[serde(rename = "propagateTags", skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<String>,
    #[serde(
        rename = "infrastructureOptimization",
        skip_serializing_if = "Option::is_none"
    )]
    pub infrastructure_optimization: Option<InfrastructureOptimization>,
    #[serde(
        rename = "autoRepairConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub auto_repair_configuration: Option<AutoRepairConfiguration>,
}

/// Wire shape `ManagedInstancesStorageConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedInstancesStorageConfiguration {
    #[serde(rename = "storageSizeGiB", skip_serializing_if = "Option::is_none")]
    pub storage_size_gi_b: Option<i32>,
}

/// Wire shape `ManagedListener`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedListener {
    #[serde(rename = "arn", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "statusReason", skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
}

/// Wire shape `ManagedListenerRule`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedListenerRule {
    #[serde(rename = "arn", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "statusReason", skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
}

/// Wire shape `ManagedLoadBalancer`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedLoadBalancer {
    #[serde(rename = "arn", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "statusReason", skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
    #[serde(rename = "scheme", skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    #[serde(rename = "subnetIds", skip_serializing_if = "Option::is_none")]
    pub subnet_ids: Option<Vec<String>>,
    #[serde(rename = "securityGroupIds", skip_serializing_if = "Option::is_none")]
    pub security_group_ids: Option<Vec<String>>,
}

/// Wire shape `ManagedLogGroup`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedLogGroup {
    #[serde(rename = "arn", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "statusReason", skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
    #[serde(rename = "logGroupName", skip_serializing_if = "Option::is_none")]
    pub log_group_name: Option<String>,
}

/// Wire shape `ManagedMetricAlarm`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedMetricAlarm {
    #[serde(rename = "arn", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "statusReason", skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
}

/// Wire shape `ManagedScalableTarget`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedScalableTarget {
    #[serde(rename = "arn", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "statusReason", skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
    #[serde(rename = "minCapacity", skip_serializing_if = "Option::is_none")]
    pub min_capacity: Option<i32>,
    #[serde(rename = "maxCapacity", skip_serializing_if = "Option::is_none")]
    pub max_capacity: Option<i32>,
}

/// Wire shape `ManagedScaling`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedScaling {
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "targetCapacity", skip_serializing_if = "Option::is_none")]
    pub target_capacity: Option<i32>,
    #[serde(
        rename = "minimumScalingStepSize",
        skip_serializing_if = "Option::is_none"
    )]
    pub minimum_scaling_step_size: Option<i32>,
    #[serde(
        rename = "maximumScalingStepSize",
        skip_serializing_if = "Option::is_none"
    )]
    pub maximum_scaling_step_size: Option<i32>,
    #[serde(
        rename = "instanceWarmupPeriod",
        skip_serializing_if = "Option::is_none"
    )]
    pub instance_warmup_period: Option<i32>,
}

/// Wire shape `ManagedSecurityGroup`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedSecurityGroup {
    #[serde(rename = "arn", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "statusReason", skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
}

/// Wire shape `ManagedStorageConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedStorageConfiguration {
    #[serde(rename = "kmsKeyId", skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    #[serde(
        rename = "fargateEphemeralStorageKmsKeyId",
        skip_serializing_if = "Option::is_none"
    )]
    pub fargate_ephemeral_storage_kms_key_id: Option<String>,
}

/// Wire shape `ManagedTargetGroup`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManagedTargetGroup {
    #[serde(rename = "arn", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "statusReason", skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
    #[serde(rename = "healthCheckPath", skip_serializing_if = "Option::is_none")]
    pub health_check_path: Option<String>,
    #[serde(rename = "healthCheckPort", skip_serializing_if = "Option::is_none")]
    pub health_check_port: Option<i32>,
    #[serde(rename = "port", skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
}

/// Wire shape `MemoryGiBPerVCpuRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemoryGiBPerVCpuRequest {
    #[serde(rename = "min", skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(rename = "max", skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// Wire shape `MemoryMiBRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemoryMiBRequest {
    #[serde(rename = "min", skip_serializing_if = "Option::is_none")]
    pub min: Option<i32>,
    #[serde(rename = "max", skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
}

/// Wire shape `MountPoint`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MountPoint {
    #[serde(rename = "sourceVolume", skip_serializing_if = "Option::is_none")]
    pub source_volume: Option<String>,
    #[serde(rename = "containerPath", skip_serializing_if = "Option::is_none")]
    pub container_path: Option<String>,
    #[serde(rename = "readOnly", skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
}

/// Wire shape `NetworkBandwidthGbpsRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkBandwidthGbpsRequest {
    #[serde(rename = "min", skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(rename = "max", skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// Wire shape `NetworkBinding`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkBinding {
    #[serde(rename = "bindIP", skip_serializing_if = "Option::is_none")]
    pub bind_ip: Option<String>,
    #[serde(rename = "containerPort", skip_serializing_if = "Option::is_none")]
    pub container_port: Option<i32>,
    #[serde(rename = "hostPort", skip_serializing_if = "Option::is_none")]
    pub host_port: Option<i32>,
    #[serde(rename = "protocol", skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(rename = "containerPortRange", skip_serializing_if = "Option::is_none")]
    pub container_port_range: Option<String>,
    #[serde(rename = "hostPortRange", skip_serializing_if = "Option::is_none")]
    pub host_port_range: Option<String>,
}

/// Wire shape `NetworkConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkConfiguration {
    #[serde(
        rename = "awsvpcConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub awsvpc_configuration: Option<AwsVpcConfiguration>,
}

/// Wire shape `NetworkInterface`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkInterface {
    #[serde(rename = "attachmentId", skip_serializing_if = "Option::is_none")]
    pub attachment_id: Option<String>,
    #[serde(rename = "privateIpv4Address", skip_serializing_if = "Option::is_none")]
    pub private_ipv4_address: Option<String>,
    #[serde(rename = "ipv6Address", skip_serializing_if = "Option::is_none")]
    pub ipv6_address: Option<String>,
}

/// Wire shape `NetworkInterfaceCountRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkInterfaceCountRequest {
    #[serde(rename = "min", skip_serializing_if = "Option::is_none")]
    pub min: Option<i32>,
    #[serde(rename = "max", skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
}

/// Wire shape `PlacementConstraint`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlacementConstraint {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(rename = "expression", skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
}

/// Wire shape `PlacementStrategy`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlacementStrategy {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(rename = "field", skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Wire shape `PlatformDevice`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlatformDevice {
    #[serde(rename = "id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
}

/// Wire shape `PortMapping`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PortMapping {
    #[serde(rename = "containerPort", skip_serializing_if = "Option::is_none")]
    pub container_port: Option<i32>,
    #[serde(rename = "hostPort", skip_serializing_if = "Option::is_none")]
    pub host_port: Option<i32>,
    #[serde(rename = "protocol", skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "appProtocol", skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<String>,
    #[serde(rename = "containerPortRange", skip_serializing_if = "Option::is_none")]
    pub container_port_range: Option<String>,
}

/// Wire shape `ProtectedTask`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProtectedTask {
    #[serde(rename = "taskArn", skip_serializing_if = "Option::is_none")]
    pub task_arn: Option<String>,
    #[serde(rename = "protectionEnabled", skip_serializing_if = "Option::is_none")]
    pub protection_enabled: Option<bool>,
    #[serde(rename = "expirationDate", skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<f64>,
}

/// Wire shape `ProxyConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProxyConfiguration {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(rename = "containerName", skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(rename = "properties", skip_serializing_if = "Option::is_none")]
    pub properties: Option<Vec<KeyValuePair>>,
}

/// Wire shape `PutAccountSettingDefaultRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutAccountSettingDefaultRequest {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Wire shape `PutAccountSettingDefaultResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutAccountSettingDefaultResponse {
    #[serde(rename = "setting", skip_serializing_if = "Option::is_none")]
    pub setting: Option<Setting>,
}

/// Wire shape `PutAccountSettingRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutAccountSettingRequest {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(rename = "principalArn", skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
}

/// Wire shape `PutAccountSettingResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutAccountSettingResponse {
    #[serde(rename = "setting", skip_serializing_if = "Option::is_none")]
    pub setting: Option<Setting>,
}

/// Wire shape `PutAttributesRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutAttributesRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "attributes", skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
}

/// Wire shape `PutAttributesResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutAttributesResponse {
    #[serde(rename = "attributes", skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
}

/// Wire shape `PutClusterCapacityProvidersRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutClusterCapacityProvidersRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "capacityProviders", skip_serializing_if = "Option::is_none")]
    pub capacity_providers: Option<Vec<String>>,
    #[serde(
        rename = "defaultCapacityProviderStrategy",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
}

/// Wire shape `PutClusterCapacityProvidersResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutClusterCapacityProvidersResponse {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<Cluster>,
}

/// Wire shape `RegisterContainerInstanceRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterContainerInstanceRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(
        rename = "instanceIdentityDocument",
        skip_serializing_if = "Option::is_none"
    )]
    pub instance_identity_document: Option<String>,
    #[serde(
        rename = "instanceIdentityDocumentSignature",
        skip_serializing_if = "Option::is_none"
    )]
    pub instance_identity_document_signature: Option<String>,
    #[serde(rename = "totalResources", skip_serializing_if = "Option::is_none")]
    pub total_resources: Option<Vec<Resource>>,
    #[serde(rename = "versionInfo", skip_serializing_if = "Option::is_none")]
    pub version_info: Option<VersionInfo>,
    #[serde(
        rename = "containerInstanceArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub container_instance_arn: Option<String>,
    #[serde(rename = "attributes", skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
    #[serde(rename = "platformDevices", skip_serializing_if = "Option::is_none")]
    pub platform_devices: Option<Vec<PlatformDevice>>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// Wire shape `RegisterContainerInstanceResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterContainerInstanceResponse {
    #[serde(rename = "containerInstance", skip_serializing_if = "Option::is_none")]
    pub container_instance: Option<ContainerInstance>,
}

/// Wire shape `RegisterTaskDefinitionRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterTaskDefinitionRequest {
    #[serde(rename = "family", skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(rename = "taskRoleArn", skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(rename = "executionRoleArn", skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(rename = "networkMode", skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<String>,
    #[serde(
        rename = "containerDefinitions",
        skip_serializing_if = "Option::is_none"
    )]
    pub container_definitions: Option<Vec<ContainerDefinition>>,
    #[serde(rename = "volumes", skip_serializing_if = "Option::is_none")]
    pub volumes: Option<Vec<Volume>>,
    #[serde(
        rename = "placementConstraints",
        skip_serializing_if = "Option::is_none"
    )]
    pub placement_constraints: Option<Vec<TaskDefinitionPlacementConstraint>>,
    #[serde(
        rename = "requiresCompatibilities",
        skip_serializing_if = "Option::is_none"
    )]
    pub requires_compatibilities: Option<Vec<String>>,
    #[serde(rename = "cpu", skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(rename = "memory", skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "pidMode", skip_serializing_if = "Option::is_none")]
    pub pid_mode: Option<String>,
    #[serde(rename = "ipcMode", skip_serializing_if = "Option::is_none")]
    pub ipc_mode: Option<String>,
    #[serde(rename = "proxyConfiguration", skip_serializing_if = "Option::is_none")]
    pub proxy_configuration: Option<ProxyConfiguration>,
    #[serde(
        rename = "inferenceAccelerators",
        skip_serializing_if = "Option::is_none"
    )]
    pub inference_accelerators: Option<Vec<InferenceAccelerator>>,
    #[serde(rename = "ephemeralStorage", skip_serializing_if = "Option::is_none")]
    pub ephemeral_storage: Option<EphemeralStorage>,
    #[serde(rename = "runtimePlatform", skip_serializing_if = "Option::is_none")]
    pub runtime_platform: Option<RuntimePlatform>,
    #[serde(
        rename = "enableFaultInjection",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_fault_injection: Option<bool>,
}

/// Wire shape `RegisterTaskDefinitionResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterTaskDefinitionResponse {
    #[serde(rename = "taskDefinition", skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<TaskDefinition>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// Wire shape `RepositoryCredentials`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RepositoryCredentials {
    #[serde(
        rename = "credentialsParameter",
        skip_serializing_if = "Option::is_none"
    )]
    pub credentials_parameter: Option<String>,
}

/// Wire shape `ResolvedConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResolvedConfiguration {
    #[serde(rename = "loadBalancers", skip_serializing_if = "Option::is_none")]
    pub load_balancers: Option<Vec<ServiceRevisionLoadBalancer>>,
}

/// Wire shape `Resource`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Resource {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(rename = "doubleValue", skip_serializing_if = "Option::is_none")]
    pub double_value: Option<f64>,
    #[serde(rename = "longValue", skip_serializing_if = "Option::is_none")]
    pub long_value: Option<i64>,
    #[serde(rename = "integerValue", skip_serializing_if = "Option::is_none")]
    pub integer_value: Option<i32>,
    #[serde(rename = "stringSetValue", skip_serializing_if = "Option::is_none")]
    pub string_set_value: Option<Vec<String>>,
}

/// Wire shape `ResourceRequirement`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResourceRequirement {
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
}

/// Wire shape `Rollback`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rollback {
    #[serde(rename = "reason", skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(rename = "startedAt", skip_serializing_if = "Option::is_none")]
    pub started_at: Option<f64>,
    #[serde(rename = "serviceRevisionArn", skip_serializing_if = "Option::is_none")]
    pub service_revision_arn: Option<String>,
}

/// Wire shape `RunTaskRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunTaskRequest {
    #[serde(
        rename = "capacityProviderStrategy",
        skip_serializing_if = "Option::is_none"
    )]
    pub capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "count", skip_serializing_if = "Option::is_none")]
    pub count: Option<i32>,
    #[serde(
        rename = "enableECSManagedTags",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_ecs_managed_tags: Option<bool>,
    #[serde(
        rename = "enableExecuteCommand",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_execute_command: Option<bool>,
    #[serde(rename = "group", skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(rename = "launchType", skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    #[serde(
        rename = "networkConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(rename = "overrides", skip_serializing_if = "Option::is_none")]
    pub overrides: Option<TaskOverride>,
    #[serde(
        rename = "placementConstraints",
        skip_serializing_if = "Option::is_none"
    )]
    pub placement_constraints: Option<Vec<PlacementConstraint>>,
    #[serde(rename = "placementStrategy", skip_serializing_if = "Option::is_none")]
    pub placement_strategy: Option<Vec<PlacementStrategy>>,
    #[serde(rename = "platformVersion", skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "propagateTags", skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<String>,
    #[serde(rename = "referenceId", skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    #[serde(rename = "startedBy", skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "taskDefinition", skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(rename = "clientToken", skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(
        rename = "volumeConfigurations",
        skip_serializing_if = "Option::is_none"
    )]
    pub volume_configurations: Option<Vec<TaskVolumeConfiguration>>,
}

/// Wire shape `RunTaskResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunTaskResponse {
    #[serde(rename = "tasks", skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<Task>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

/// Wire shape `RuntimePlatform`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuntimePlatform {
    #[serde(rename = "cpuArchitecture", skip_serializing_if = "Option::is_none")]
    pub cpu_architecture: Option<String>,
    #[serde(
        rename = "operatingSystemFamily",
        skip_serializing_if = "Option::is_none"
    )]
    pub operating_system_family: Option<String>,
}

/// Wire shape `S3FilesVolumeConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct S3FilesVolumeConfiguration {
    #[serde(rename = "fileSystemArn", skip_serializing_if = "Option::is_none")]
    pub file_system_arn: Option<String>,
    #[serde(rename = "rootDirectory", skip_serializing_if = "Option::is_none")]
    pub root_directory: Option<String>,
    #[serde(
        rename = "transitEncryptionPort",
        skip_serializing_if = "Option::is_none"
    )]
    pub transit_encryption_port: Option<i32>,
    #[serde(rename = "accessPointArn", skip_serializing_if = "Option::is_none")]
    pub access_point_arn: Option<String>,
}

/// Wire shape `Scale`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scale {
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(rename = "unit", skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// Wire shape `Secret`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Secret {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "valueFrom", skip_serializing_if = "Option::is_none")]
    pub value_from: Option<String>,
}

/// Wire shape `Service`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Service {
    #[serde(rename = "serviceArn", skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    #[serde(rename = "serviceName", skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(rename = "clusterArn", skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "loadBalancers", skip_serializing_if = "Option::is_none")]
    pub load_balancers: Option<Vec<LoadBalancer>>,
    #[serde(rename = "serviceRegistries", skip_serializing_if = "Option::is_none")]
    pub service_registries: Option<Vec<ServiceRegistry>>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "desiredCount", skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<i32>,
    #[serde(rename = "runningCount", skip_serializing_if = "Option::is_none")]
    pub running_count: Option<i32>,
    #[serde(rename = "pendingCount", skip_serializing_if = "Option::is_none")]
    pub pending_count: Option<i32>,
    #[serde(rename = "launchType", skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    #[serde(
        rename = "capacityProviderStrategy",
        skip_serializing_if = "Option::is_none"
    )]
    pub capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "platformVersion", skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "platformFamily", skip_serializing_if = "Option::is_none")]
    pub platform_family: Option<String>,
    #[serde(rename = "taskDefinition", skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(
        rename = "deploymentConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub deployment_configuration: Option<DeploymentConfiguration>,
    #[serde(rename = "taskSets", skip_serializing_if = "Option::is_none")]
    pub task_sets: Option<Vec<TaskSet>>,
    #[serde(rename = "deployments", skip_serializing_if = "Option::is_none")]
    pub deployments: Option<Vec<Deployment>>,
    #[serde(rename = "roleArn", skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(rename = "events", skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<ServiceEvent>>,
    #[serde(rename = "createdAt", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(
        rename = "currentServiceDeployment",
        skip_serializing_if = "Option::is_none"
    )]
    pub current_service_deployment: Option<String>,
    #[serde(
        rename = "currentServiceRevisions",
        skip_serializing_if = "Option::is_none"
    )]
    pub current_service_revisions: Option<Vec<ServiceCurrentRevisionSummary>>,
    #[serde(
        rename = "placementConstraints",
        skip_serializing_if = "Option::is_none"
    )]
    pub placement_constraints: Option<Vec<PlacementConstraint>>,
    #[serde(rename = "placementStrategy", skip_serializing_if = "Option::is_none")]
    pub placement_strategy: Option<Vec<PlacementStrategy>>,
    #[serde(
        rename = "networkConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(
        rename = "healthCheckGracePeriodSeconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub health_check_grace_period_seconds: Option<i32>,
    #[serde(rename = "schedulingStrategy", skip_serializing_if = "Option::is_none")]
    pub scheduling_strategy: Option<String>,
    #[serde(
        rename = "deploymentController",
        skip_serializing_if = "Option::is_none"
    )]
    pub deployment_controller: Option<DeploymentController>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "createdBy", skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(
        rename = "enableECSManagedTags",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_ecs_managed_tags: Option<bool>,
    #[serde(rename = "propagateTags", skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<String>,
    #[serde(
        rename = "enableExecuteCommand",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_execute_command: Option<bool>,
    #[serde(
        rename = "availabilityZoneRebalancing",
        skip_serializing_if = "Option::is_none"
    )]
    pub availability_zone_rebalancing: Option<String>,
    #[serde(
        rename = "resourceManagementType",
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_management_type: Option<String>,
}

/// Wire shape `ServiceConnectAccessLogConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceConnectAccessLogConfiguration {
    #[serde(rename = "format", skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(
        rename = "includeQueryParameters",
        skip_serializing_if = "Option::is_none"
    )]
    pub include_query_parameters: Option<String>,
}

/// Wire shape `ServiceConnectClientAlias`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceConnectClientAlias {
    #[serde(rename = "port", skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    #[serde(rename = "dnsName", skip_serializing_if = "Option::is_none")]
    pub dns_name: Option<String>,
    #[serde(rename = "testTrafficRules", skip_serializing_if = "Option::is_none")]
    pub test_traffic_rules: Option<ServiceConnectTestTrafficRules>,
}

/// Wire shape `ServiceConnectConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceConnectConfiguration {
    #[serde(rename = "enabled", skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(rename = "namespace", skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(rename = "services", skip_serializing_if = "Option::is_none")]
    pub services: Option<Vec<ServiceConnectService>>,
    #[serde(rename = "logConfiguration", skip_serializing_if = "Option::is_none")]
    pub log_configuration: Option<LogConfiguration>,
    #[serde(
        rename = "accessLogConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub access_log_configuration: Option<ServiceConnectAccessLogConfiguration>,
}

/// Wire shape `ServiceConnectService`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceConnectService {
    #[serde(rename = "portName", skip_serializing_if = "Option::is_none")]
    pub port_name: Option<String>,
    #[serde(rename = "discoveryName", skip_serializing_if = "Option::is_none")]
    pub discovery_name: Option<String>,
    #[serde(rename = "clientAliases", skip_serializing_if = "Option::is_none")]
    pub client_aliases: Option<Vec<ServiceConnectClientAlias>>,
    #[serde(
        rename = "ingressPortOverride",
        skip_serializing_if = "Option::is_none"
    )]
    pub ingress_port_override: Option<i32>,
    #[serde(rename = "timeout", skip_serializing_if = "Option::is_none")]
    pub timeout: Option<TimeoutConfiguration>,
    #[serde(rename = "tls", skip_serializing_if = "Option::is_none")]
    pub tls: Option<ServiceConnectTlsConfiguration>,
}

/// Wire shape `ServiceConnectServiceResource`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceConnectServiceResource {
    #[serde(rename = "discoveryName", skip_serializing_if = "Option::is_none")]
    pub discovery_name: Option<String>,
    #[serde(rename = "discoveryArn", skip_serializing_if = "Option::is_none")]
    pub discovery_arn: Option<String>,
}

/// Wire shape `ServiceConnectTestTrafficHeaderMatchRules`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceConnectTestTrafficHeaderMatchRules {
    #[serde(rename = "exact", skip_serializing_if = "Option::is_none")]
    pub exact: Option<String>,
}

/// Wire shape `ServiceConnectTestTrafficHeaderRules`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceConnectTestTrafficHeaderRules {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<ServiceConnectTestTrafficHeaderMatchRules>,
}

/// Wire shape `ServiceConnectTestTrafficRules`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceConnectTestTrafficRules {
    #[serde(rename = "header", skip_serializing_if = "Option::is_none")]
    pub header: Option<ServiceConnectTestTrafficHeaderRules>,
}

/// Wire shape `ServiceConnectTlsCertificateAuthority`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceConnectTlsCertificateAuthority {
    #[serde(rename = "awsPcaAuthorityArn", skip_serializing_if = "Option::is_none")]
    pub aws_pca_authority_arn: Option<String>,
}

/// Wire shape `ServiceConnectTlsConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceConnectTlsConfiguration {
    #[serde(
        rename = "issuerCertificateAuthority",
        skip_serializing_if = "Option::is_none"
    )]
    pub issuer_certificate_authority: Option<ServiceConnectTlsCertificateAuthority>,
    #[serde(rename = "kmsKey", skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<String>,
    #[serde(rename = "roleArn", skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

/// Wire shape `ServiceCurrentRevisionSummary`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceCurrentRevisionSummary {
    #[serde(rename = "arn", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "requestedTaskCount", skip_serializing_if = "Option::is_none")]
    pub requested_task_count: Option<i32>,
    #[serde(rename = "runningTaskCount", skip_serializing_if = "Option::is_none")]
    pub running_task_count: Option<i32>,
    #[serde(rename = "pendingTaskCount", skip_serializing_if = "Option::is_none")]
    pub pending_task_count: Option<i32>,
}

/// Wire shape `ServiceDeployment`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceDeployment {
    #[serde(
        rename = "serviceDeploymentArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_deployment_arn: Option<String>,
    #[serde(rename = "serviceArn", skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    #[serde(rename = "clusterArn", skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "createdAt", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "startedAt", skip_serializing_if = "Option::is_none")]
    pub started_at: Option<f64>,
    #[serde(rename = "finishedAt", skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<f64>,
    #[serde(rename = "stoppedAt", skip_serializing_if = "Option::is_none")]
    pub stopped_at: Option<f64>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
    #[serde(
        rename = "sourceServiceRevisions",
        skip_serializing_if = "Option::is_none"
    )]
    pub source_service_revisions: Option<Vec<ServiceRevisionSummary>>,
    #[serde(
        rename = "targetServiceRevision",
        skip_serializing_if = "Option::is_none"
    )]
    pub target_service_revision: Option<ServiceRevisionSummary>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "statusReason", skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(rename = "lifecycleStage", skip_serializing_if = "Option::is_none")]
    pub lifecycle_stage: Option<String>,
    #[serde(
        rename = "lifecycleHookDetails",
        skip_serializing_if = "Option::is_none"
    )]
    pub lifecycle_hook_details: Option<Vec<DeploymentLifecycleHookDetail>>,
    #[serde(
        rename = "deploymentConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub deployment_configuration: Option<DeploymentConfiguration>,
    #[serde(rename = "rollback", skip_serializing_if = "Option::is_none")]
    pub rollback: Option<Rollback>,
    #[serde(
        rename = "deploymentCircuitBreaker",
        skip_serializing_if = "Option::is_none"
    )]
    pub deployment_circuit_breaker: Option<ServiceDeploymentCircuitBreaker>,
    #[serde(rename = "alarms", skip_serializing_if = "Option::is_none")]
    pub alarms: Option<ServiceDeploymentAlarms>,
}

/// Wire shape `ServiceDeploymentAlarms`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceDeploymentAlarms {
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "alarmNames", skip_serializing_if = "Option::is_none")]
    pub alarm_names: Option<Vec<String>>,
    #[serde(
        rename = "triggeredAlarmNames",
        skip_serializing_if = "Option::is_none"
    )]
    pub triggered_alarm_names: Option<Vec<String>>,
}

/// Wire shape `ServiceDeploymentBrief`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceDeploymentBrief {
    #[serde(
        rename = "serviceDeploymentArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_deployment_arn: Option<String>,
    #[serde(rename = "serviceArn", skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    #[serde(rename = "clusterArn", skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "startedAt", skip_serializing_if = "Option::is_none")]
    pub started_at: Option<f64>,
    #[serde(rename = "createdAt", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "finishedAt", skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<f64>,
    #[serde(
        rename = "targetServiceRevisionArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub target_service_revision_arn: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "statusReason", skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
}

/// Wire shape `ServiceDeploymentCircuitBreaker`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceDeploymentCircuitBreaker {
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "failureCount", skip_serializing_if = "Option::is_none")]
    pub failure_count: Option<i32>,
    #[serde(rename = "threshold", skip_serializing_if = "Option::is_none")]
    pub threshold: Option<i32>,
}

/// Wire shape `ServiceEvent`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceEvent {
    #[serde(rename = "id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "createdAt", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "message", skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Wire shape `ServiceManagedEBSVolumeConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceManagedEBSVolumeConfiguration {
    #[serde(rename = "encrypted", skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    #[serde(rename = "kmsKeyId", skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    #[serde(rename = "volumeType", skip_serializing_if = "Option::is_none")]
    pub volume_type: Option<String>,
    #[serde(rename = "sizeInGiB", skip_serializing_if = "Option::is_none")]
    pub size_in_gi_b: Option<i32>,
    #[serde(rename = "snapshotId", skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
    #[serde(
        rename = "volumeInitializationRate",
        skip_serializing_if = "Option::is_none"
    )]
    pub volume_initialization_rate: Option<i32>,
    #[serde(rename = "iops", skip_serializing_if = "Option::is_none")]
    pub iops: Option<i32>,
    #[serde(rename = "throughput", skip_serializing_if = "Option::is_none")]
    pub throughput: Option<i32>,
    #[serde(rename = "tagSpecifications", skip_serializing_if = "Option::is_none")]
    pub tag_specifications: Option<Vec<EBSTagSpecification>>,
    #[serde(rename = "roleArn", skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(rename = "filesystemType", skip_serializing_if = "Option::is_none")]
    pub filesystem_type: Option<String>,
}

/// Wire shape `ServiceRegistry`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceRegistry {
    #[serde(rename = "registryArn", skip_serializing_if = "Option::is_none")]
    pub registry_arn: Option<String>,
    #[serde(rename = "port", skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    #[serde(rename = "containerName", skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(rename = "containerPort", skip_serializing_if = "Option::is_none")]
    pub container_port: Option<i32>,
}

/// Wire shape `ServiceRevision`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceRevision {
    #[serde(rename = "serviceRevisionArn", skip_serializing_if = "Option::is_none")]
    pub service_revision_arn: Option<String>,
    #[serde(rename = "serviceArn", skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    #[serde(rename = "clusterArn", skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "taskDefinition", skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(
        rename = "capacityProviderStrategy",
        skip_serializing_if = "Option::is_none"
    )]
    pub capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "launchType", skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    #[serde(rename = "platformVersion", skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "platformFamily", skip_serializing_if = "Option::is_none")]
    pub platform_family: Option<String>,
    #[serde(rename = "loadBalancers", skip_serializing_if = "Option::is_none")]
    pub load_balancers: Option<Vec<LoadBalancer>>,
    #[serde(rename = "serviceRegistries", skip_serializing_if = "Option::is_none")]
    pub service_registries: Option<Vec<ServiceRegistry>>,
    #[serde(
        rename = "networkConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(rename = "containerImages", skip_serializing_if = "Option::is_none")]
    pub container_images: Option<Vec<ContainerImage>>,
    #[serde(rename = "guardDutyEnabled", skip_serializing_if = "Option::is_none")]
    pub guard_duty_enabled: Option<bool>,
    #[serde(
        rename = "serviceConnectConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_connect_configuration: Option<ServiceConnectConfiguration>,
    #[serde(
        rename = "volumeConfigurations",
        skip_serializing_if = "Option::is_none"
    )]
    pub volume_configurations: Option<Vec<ServiceVolumeConfiguration>>,
    #[serde(
        rename = "fargateEphemeralStorage",
        skip_serializing_if = "Option::is_none"
    )]
    pub fargate_ephemeral_storage: Option<DeploymentEphemeralStorage>,
    #[serde(rename = "createdAt", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(
        rename = "vpcLatticeConfigurations",
        skip_serializing_if = "Option::is_none"
    )]
    pub vpc_lattice_configurations: Option<Vec<VpcLatticeConfiguration>>,
    #[serde(
        rename = "resolvedConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub resolved_configuration: Option<ResolvedConfiguration>,
    #[serde(
        rename = "ecsManagedResources",
        skip_serializing_if = "Option::is_none"
    )]
    pub ecs_managed_resources: Option<ECSManagedResources>,
}

/// Wire shape `ServiceRevisionLoadBalancer`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceRevisionLoadBalancer {
    #[serde(rename = "targetGroupArn", skip_serializing_if = "Option::is_none")]
    pub target_group_arn: Option<String>,
    #[serde(
        rename = "productionListenerRule",
        skip_serializing_if = "Option::is_none"
    )]
    pub production_listener_rule: Option<String>,
}

/// Wire shape `ServiceRevisionSummary`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceRevisionSummary {
    #[serde(rename = "arn", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(rename = "requestedTaskCount", skip_serializing_if = "Option::is_none")]
    pub requested_task_count: Option<i32>,
    #[serde(rename = "runningTaskCount", skip_serializing_if = "Option::is_none")]
    pub running_task_count: Option<i32>,
    #[serde(rename = "pendingTaskCount", skip_serializing_if = "Option::is_none")]
    pub pending_task_count: Option<i32>,
    #[serde(
        rename = "requestedTestTrafficWeight",
        skip_serializing_if = "Option::is_none"
    )]
    pub requested_test_traffic_weight: Option<f64>,
    #[serde(
        rename = "requestedProductionTrafficWeight",
        skip_serializing_if = "Option::is_none"
    )]
    pub requested_production_traffic_weight: Option<f64>,
}

/// Wire shape `ServiceVolumeConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceVolumeConfiguration {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "managedEBSVolume", skip_serializing_if = "Option::is_none")]
    pub managed_ebs_volume: Option<ServiceManagedEBSVolumeConfiguration>,
}

/// Wire shape `Session`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Session {
    #[serde(rename = "sessionId", skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    #[serde(rename = "streamUrl", skip_serializing_if = "Option::is_none")]
    pub stream_url: Option<String>,
    #[serde(rename = "tokenValue", skip_serializing_if = "Option::is_none")]
    pub token_value: Option<String>,
}

/// Wire shape `Setting`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Setting {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(rename = "principalArn", skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
}

/// Wire shape `StartTaskRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StartTaskRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "containerInstances", skip_serializing_if = "Option::is_none")]
    pub container_instances: Option<Vec<String>>,
    #[serde(
        rename = "enableECSManagedTags",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_ecs_managed_tags: Option<bool>,
    #[serde(
        rename = "enableExecuteCommand",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_execute_command: Option<bool>,
    #[serde(rename = "group", skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(
        rename = "networkConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(rename = "overrides", skip_serializing_if = "Option::is_none")]
    pub overrides: Option<TaskOverride>,
    #[serde(rename = "propagateTags", skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<String>,
    #[serde(rename = "referenceId", skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    #[serde(rename = "startedBy", skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "taskDefinition", skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(
        rename = "volumeConfigurations",
        skip_serializing_if = "Option::is_none"
    )]
    pub volume_configurations: Option<Vec<TaskVolumeConfiguration>>,
}

/// Wire shape `StartTaskResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StartTaskResponse {
    #[serde(rename = "tasks", skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<Task>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

/// Wire shape `StopServiceDeploymentRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StopServiceDeploymentRequest {
    #[serde(
        rename = "serviceDeploymentArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_deployment_arn: Option<String>,
    #[serde(rename = "stopType", skip_serializing_if = "Option::is_none")]
    pub stop_type: Option<String>,
}

/// Wire shape `StopServiceDeploymentResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StopServiceDeploymentResponse {
    #[serde(
        rename = "serviceDeploymentArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_deployment_arn: Option<String>,
}

/// Wire shape `StopTaskRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StopTaskRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "task", skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(rename = "reason", skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Wire shape `StopTaskResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StopTaskResponse {
    #[serde(rename = "task", skip_serializing_if = "Option::is_none")]
    pub task: Option<Task>,
}

/// Wire shape `SubmitAttachmentStateChangesRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubmitAttachmentStateChangesRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "attachments", skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<AttachmentStateChange>>,
}

/// Wire shape `SubmitAttachmentStateChangesResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubmitAttachmentStateChangesResponse {
    #[serde(rename = "acknowledgment", skip_serializing_if = "Option::is_none")]
    pub acknowledgment: Option<String>,
}

/// Wire shape `SubmitContainerStateChangeRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubmitContainerStateChangeRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "task", skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(rename = "containerName", skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(rename = "runtimeId", skip_serializing_if = "Option::is_none")]
    pub runtime_id: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "exitCode", skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(rename = "reason", skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(rename = "networkBindings", skip_serializing_if = "Option::is_none")]
    pub network_bindings: Option<Vec<NetworkBinding>>,
}

/// Wire shape `SubmitContainerStateChangeResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubmitContainerStateChangeResponse {
    #[serde(rename = "acknowledgment", skip_serializing_if = "Option::is_none")]
    pub acknowledgment: Option<String>,
}

/// Wire shape `SubmitTaskStateChangeRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubmitTaskStateChangeRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "task", skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "reason", skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(rename = "containers", skip_serializing_if = "Option::is_none")]
    pub containers: Option<Vec<ContainerStateChange>>,
    #[serde(rename = "attachments", skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<AttachmentStateChange>>,
    #[serde(rename = "managedAgents", skip_serializing_if = "Option::is_none")]
    pub managed_agents: Option<Vec<ManagedAgentStateChange>>,
    #[serde(rename = "pullStartedAt", skip_serializing_if = "Option::is_none")]
    pub pull_started_at: Option<f64>,
    #[serde(rename = "pullStoppedAt", skip_serializing_if = "Option::is_none")]
    pub pull_stopped_at: Option<f64>,
    #[serde(rename = "executionStoppedAt", skip_serializing_if = "Option::is_none")]
    pub execution_stopped_at: Option<f64>,
}

/// Wire shape `SubmitTaskStateChangeResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubmitTaskStateChangeResponse {
    #[serde(rename = "acknowledgment", skip_serializing_if = "Option::is_none")]
    pub acknowledgment: Option<String>,
}

/// Wire shape `SystemControl`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SystemControl {
    #[serde(rename = "namespace", skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Wire shape `Tag`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tag {
    #[serde(rename = "key", skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Wire shape `TagResourceRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TagResourceRequest {
    #[serde(rename = "resourceArn", skip_serializing_if = "Option::is_none")]
    pub resource_arn: Option<String>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// Wire shape `TagResourceResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TagResourceResponse {}

/// Wire shape `Task`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Task {
    #[serde(rename = "attachments", skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    #[serde(rename = "attributes", skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
    #[serde(rename = "availabilityZone", skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    #[serde(
        rename = "capacityProviderName",
        skip_serializing_if = "Option::is_none"
    )]
    pub capacity_provider_name: Option<String>,
    #[serde(rename = "clusterArn", skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "connectivity", skip_serializing_if = "Option::is_none")]
    pub connectivity: Option<String>,
    #[serde(rename = "connectivityAt", skip_serializing_if = "Option::is_none")]
    pub connectivity_at: Option<f64>,
    #[serde(
        rename = "containerInstanceArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub container_instance_arn: Option<String>,
    #[serde(rename = "containers", skip_serializing_if = "Option::is_none")]
    pub containers: Option<Vec<Container>>,
    #[serde(rename = "cpu", skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(rename = "createdAt", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "desiredStatus", skip_serializing_if = "Option::is_none")]
    pub desired_status: Option<String>,
    #[serde(
        rename = "enableExecuteCommand",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_execute_command: Option<bool>,
    #[serde(rename = "executionStoppedAt", skip_serializing_if = "Option::is_none")]
    pub execution_stopped_at: Option<f64>,
    #[serde(rename = "group", skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(rename = "healthStatus", skip_serializing_if = "Option::is_none")]
    pub health_status: Option<String>,
    #[serde(
        rename = "inferenceAccelerators",
        skip_serializing_if = "Option::is_none"
    )]
    pub inference_accelerators: Option<Vec<InferenceAccelerator>>,
    #[serde(rename = "lastStatus", skip_serializing_if = "Option::is_none")]
    pub last_status: Option<String>,
    #[serde(rename = "launchType", skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    #[serde(rename = "memory", skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(rename = "overrides", skip_serializing_if = "Option::is_none")]
    pub overrides: Option<TaskOverride>,
    #[serde(rename = "platformVersion", skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "platformFamily", skip_serializing_if = "Option::is_none")]
    pub platform_family: Option<String>,
    #[serde(rename = "pullStartedAt", skip_serializing_if = "Option::is_none")]
    pub pull_started_at: Option<f64>,
    #[serde(rename = "pullStoppedAt", skip_serializing_if = "Option::is_none")]
    pub pull_stopped_at: Option<f64>,
    #[serde(rename = "startedAt", skip_serializing_if = "Option::is_none")]
    pub started_at: Option<f64>,
    #[serde(rename = "startedBy", skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    #[serde(rename = "stopCode", skip_serializing_if = "Option::is_none")]
    pub stop_code: Option<String>,
    #[serde(rename = "stoppedAt", skip_serializing_if = "Option::is_none")]
    pub stopped_at: Option<f64>,
    #[serde(rename = "stoppedReason", skip_serializing_if = "Option::is_none")]
    pub stopped_reason: Option<String>,
    #[serde(rename = "stoppingAt", skip_serializing_if = "Option::is_none")]
    pub stopping_at: Option<f64>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "taskArn", skip_serializing_if = "Option::is_none")]
    pub task_arn: Option<String>,
    #[serde(rename = "taskDefinitionArn", skip_serializing_if = "Option::is_none")]
    pub task_definition_arn: Option<String>,
    #[serde(rename = "version", skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(rename = "ephemeralStorage", skip_serializing_if = "Option::is_none")]
    pub ephemeral_storage: Option<EphemeralStorage>,
    #[serde(
        rename = "fargateEphemeralStorage",
        skip_serializing_if = "Option::is_none"
    )]
    pub fargate_ephemeral_storage: Option<TaskEphemeralStorage>,
}

/// Wire shape `TaskDefinition`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskDefinition {
    #[serde(rename = "taskDefinitionArn", skip_serializing_if = "Option::is_none")]
    pub task_definition_arn: Option<String>,
    #[serde(
        rename = "containerDefinitions",
        skip_serializing_if = "Option::is_none"
    )]
    pub container_definitions: Option<Vec<ContainerDefinition>>,
    #[serde(rename = "family", skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(rename = "taskRoleArn", skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(rename = "executionRoleArn", skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(rename = "networkMode", skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<String>,
    #[serde(rename = "revision", skip_serializing_if = "Option::is_none")]
    pub revision: Option<i32>,
    #[serde(rename = "volumes", skip_serializing_if = "Option::is_none")]
    pub volumes: Option<Vec<Volume>>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "requiresAttributes", skip_serializing_if = "Option::is_none")]
    pub requires_attributes: Option<Vec<Attribute>>,
    #[serde(
        rename = "placementConstraints",
        skip_serializing_if = "Option::is_none"
    )]
    pub placement_constraints: Option<Vec<TaskDefinitionPlacementConstraint>>,
    #[serde(rename = "compatibilities", skip_serializing_if = "Option::is_none")]
    pub compatibilities: Option<Vec<String>>,
    #[serde(rename = "runtimePlatform", skip_serializing_if = "Option::is_none")]
    pub runtime_platform: Option<RuntimePlatform>,
    #[serde(
        rename = "requiresCompatibilities",
        skip_serializing_if = "Option::is_none"
    )]
    pub requires_compatibilities: Option<Vec<String>>,
    #[serde(rename = "cpu", skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(rename = "memory", skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(
        rename = "inferenceAccelerators",
        skip_serializing_if = "Option::is_none"
    )]
    pub inference_accelerators: Option<Vec<InferenceAccelerator>>,
    #[serde(rename = "pidMode", skip_serializing_if = "Option::is_none")]
    pub pid_mode: Option<String>,
    #[serde(rename = "ipcMode", skip_serializing_if = "Option::is_none")]
    pub ipc_mode: Option<String>,
    #[serde(rename = "proxyConfiguration", skip_serializing_if = "Option::is_none")]
    pub proxy_configuration: Option<ProxyConfiguration>,
    #[serde(rename = "registeredAt", skip_serializing_if = "Option::is_none")]
    pub registered_at: Option<f64>,
    #[serde(rename = "deregisteredAt", skip_serializing_if = "Option::is_none")]
    pub deregistered_at: Option<f64>,
    #[serde(rename = "deleteRequestedAt", skip_serializing_if = "Option::is_none")]
    pub delete_requested_at: Option<f64>,
    #[serde(rename = "registeredBy", skip_serializing_if = "Option::is_none")]
    pub registered_by: Option<String>,
    #[serde(rename = "ephemeralStorage", skip_serializing_if = "Option::is_none")]
    pub ephemeral_storage: Option<EphemeralStorage>,
    #[serde(
        rename = "enableFaultInjection",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_fault_injection: Option<bool>,
}

/// Wire shape `TaskDefinitionPlacementConstraint`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskDefinitionPlacementConstraint {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(rename = "expression", skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
}

/// Wire shape `TaskEphemeralStorage`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskEphemeralStorage {
    #[serde(rename = "sizeInGiB", skip_serializing_if = "Option::is_none")]
    pub size_in_gi_b: Option<i32>,
    #[serde(rename = "kmsKeyId", skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

/// Wire shape `TaskManagedEBSVolumeConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskManagedEBSVolumeConfiguration {
    #[serde(rename = "encrypted", skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    #[serde(rename = "kmsKeyId", skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    #[serde(rename = "volumeType", skip_serializing_if = "Option::is_none")]
    pub volume_type: Option<String>,
    #[serde(rename = "sizeInGiB", skip_serializing_if = "Option::is_none")]
    pub size_in_gi_b: Option<i32>,
    #[serde(rename = "snapshotId", skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
    #[serde(
        rename = "volumeInitializationRate",
        skip_serializing_if = "Option::is_none"
    )]
    pub volume_initialization_rate: Option<i32>,
    #[serde(rename = "iops", skip_serializing_if = "Option::is_none")]
    pub iops: Option<i32>,
    #[serde(rename = "throughput", skip_serializing_if = "Option::is_none")]
    pub throughput: Option<i32>,
    #[serde(rename = "tagSpecifications", skip_serializing_if = "Option::is_none")]
    pub tag_specifications: Option<Vec<EBSTagSpecification>>,
    #[serde(rename = "roleArn", skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(rename = "terminationPolicy", skip_serializing_if = "Option::is_none")]
    pub termination_policy: Option<TaskManagedEBSVolumeTerminationPolicy>,
    #[serde(rename = "filesystemType", skip_serializing_if = "Option::is_none")]
    pub filesystem_type: Option<String>,
}

/// Wire shape `TaskManagedEBSVolumeTerminationPolicy`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskManagedEBSVolumeTerminationPolicy {
    #[serde(
        rename = "deleteOnTermination",
        skip_serializing_if = "Option::is_none"
    )]
    pub delete_on_termination: Option<bool>,
}

/// Wire shape `TaskOverride`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskOverride {
    #[serde(rename = "containerOverrides", skip_serializing_if = "Option::is_none")]
    pub container_overrides: Option<Vec<ContainerOverride>>,
    #[serde(rename = "cpu", skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(
        rename = "inferenceAcceleratorOverrides",
        skip_serializing_if = "Option::is_none"
    )]
    pub inference_accelerator_overrides: Option<Vec<InferenceAcceleratorOverride>>,
    #[serde(rename = "executionRoleArn", skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(rename = "memory", skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(rename = "taskRoleArn", skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(rename = "ephemeralStorage", skip_serializing_if = "Option::is_none")]
    pub ephemeral_storage: Option<EphemeralStorage>,
}

/// Wire shape `TaskSet`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskSet {
    #[serde(rename = "id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "taskSetArn", skip_serializing_if = "Option::is_none")]
    pub task_set_arn: Option<String>,
    #[serde(rename = "serviceArn", skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    #[serde(rename = "clusterArn", skip_serializing_if = "Option::is_none")]
    pub cluster_arn: Option<String>,
    #[serde(rename = "startedBy", skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    #[serde(rename = "externalId", skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "taskDefinition", skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(
        rename = "computedDesiredCount",
        skip_serializing_if = "Option::is_none"
    )]
    pub computed_desired_count: Option<i32>,
    #[serde(rename = "pendingCount", skip_serializing_if = "Option::is_none")]
    pub pending_count: Option<i32>,
    #[serde(rename = "runningCount", skip_serializing_if = "Option::is_none")]
    pub running_count: Option<i32>,
    #[serde(rename = "createdAt", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
    #[serde(rename = "launchType", skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    #[serde(
        rename = "capacityProviderStrategy",
        skip_serializing_if = "Option::is_none"
    )]
    pub capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(rename = "platformVersion", skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "platformFamily", skip_serializing_if = "Option::is_none")]
    pub platform_family: Option<String>,
    #[serde(
        rename = "networkConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(rename = "loadBalancers", skip_serializing_if = "Option::is_none")]
    pub load_balancers: Option<Vec<LoadBalancer>>,
    #[serde(rename = "serviceRegistries", skip_serializing_if = "Option::is_none")]
    pub service_registries: Option<Vec<ServiceRegistry>>,
    #[serde(rename = "scale", skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    #[serde(rename = "stabilityStatus", skip_serializing_if = "Option::is_none")]
    pub stability_status: Option<String>,
    #[serde(rename = "stabilityStatusAt", skip_serializing_if = "Option::is_none")]
    pub stability_status_at: Option<f64>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(
        rename = "fargateEphemeralStorage",
        skip_serializing_if = "Option::is_none"
    )]
    pub fargate_ephemeral_storage: Option<DeploymentEphemeralStorage>,
}

/// Wire shape `TaskVolumeConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskVolumeConfiguration {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "managedEBSVolume", skip_serializing_if = "Option::is_none")]
    pub managed_ebs_volume: Option<TaskManagedEBSVolumeConfiguration>,
}

/// Wire shape `TimeoutConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimeoutConfiguration {
    #[serde(rename = "idleTimeoutSeconds", skip_serializing_if = "Option::is_none")]
    pub idle_timeout_seconds: Option<i32>,
    #[serde(
        rename = "perRequestTimeoutSeconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub per_request_timeout_seconds: Option<i32>,
}

/// Wire shape `Tmpfs`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tmpfs {
    #[serde(rename = "containerPath", skip_serializing_if = "Option::is_none")]
    pub container_path: Option<String>,
    #[serde(rename = "size", skip_serializing_if = "Option::is_none")]
    pub size: Option<i32>,
    #[serde(rename = "mountOptions", skip_serializing_if = "Option::is_none")]
    pub mount_options: Option<Vec<String>>,
}

/// Wire shape `TotalLocalStorageGBRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TotalLocalStorageGBRequest {
    #[serde(rename = "min", skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(rename = "max", skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// Wire shape `Ulimit`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Ulimit {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "softLimit", skip_serializing_if = "Option::is_none")]
    pub soft_limit: Option<i32>,
    #[serde(rename = "hardLimit", skip_serializing_if = "Option::is_none")]
    pub hard_limit: Option<i32>,
}

/// Wire shape `UntagResourceRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UntagResourceRequest {
    #[serde(rename = "resourceArn", skip_serializing_if = "Option::is_none")]
    pub resource_arn: Option<String>,
    #[serde(rename = "tagKeys", skip_serializing_if = "Option::is_none")]
    pub tag_keys: Option<Vec<String>>,
}

/// Wire shape `UntagResourceResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UntagResourceResponse {}

/// Wire shape `UpdateCapacityProviderRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateCapacityProviderRequest {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(
        rename = "autoScalingGroupProvider",
        skip_serializing_if = "Option::is_none"
    )]
    pub auto_scaling_group_provider: Option<AutoScalingGroupProviderUpdate>,
    #[serde(
        rename = "managedInstancesProvider",
        skip_serializing_if = "Option::is_none"
    )]
    pub managed_instances_provider: Option<UpdateManagedInstancesProviderConfiguration>,
}

/// Wire shape `UpdateCapacityProviderResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateCapacityProviderResponse {
    #[serde(rename = "capacityProvider", skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<CapacityProvider>,
}

/// Wire shape `UpdateClusterRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateClusterRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "settings", skip_serializing_if = "Option::is_none")]
    pub settings: Option<Vec<ClusterSetting>>,
    #[serde(rename = "configuration", skip_serializing_if = "Option::is_none")]
    pub configuration: Option<ClusterConfiguration>,
    #[serde(
        rename = "serviceConnectDefaults",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_connect_defaults: Option<ClusterServiceConnectDefaultsRequest>,
}

/// Wire shape `UpdateClusterResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateClusterResponse {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<Cluster>,
}

/// Wire shape `UpdateClusterSettingsRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateClusterSettingsRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "settings", skip_serializing_if = "Option::is_none")]
    pub settings: Option<Vec<ClusterSetting>>,
}

/// Wire shape `UpdateClusterSettingsResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateClusterSettingsResponse {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<Cluster>,
}

/// Wire shape `UpdateContainerAgentRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateContainerAgentRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "containerInstance", skip_serializing_if = "Option::is_none")]
    pub container_instance: Option<String>,
}

/// Wire shape `UpdateContainerAgentResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateContainerAgentResponse {
    #[serde(rename = "containerInstance", skip_serializing_if = "Option::is_none")]
    pub container_instance: Option<ContainerInstance>,
}

/// Wire shape `UpdateContainerInstancesStateRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateContainerInstancesStateRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "containerInstances", skip_serializing_if = "Option::is_none")]
    pub container_instances: Option<Vec<String>>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// Wire shape `UpdateContainerInstancesStateResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateContainerInstancesStateResponse {
    #[serde(rename = "containerInstances", skip_serializing_if = "Option::is_none")]
    pub container_instances: Option<Vec<ContainerInstance>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

/// Wire shape `UpdateManagedInstancesProviderConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateManagedInstancesProviderConfiguration {
    #[serde(
        rename = "infrastructureRoleArn",
        skip_serializing_if = "Option::is_none"
    )]
    pub infrastructure_role_arn: Option<String>,
    #[serde(
        rename = "instanceLaunchTemplate",
        skip_serializing_if = "Option::is_none"
    )]
    pub instance_launch_template: Option<InstanceLaunchTemplateUpdate>,
    #[serde(rename = "propagateTags", skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<String>,
    #[serde(
        rename = "infrastructureOptimization",
        skip_serializing_if = "Option::is_none"
    )]
    pub infrastructure_optimization: Option<InfrastructureOptimization>,
    #[serde(
        rename = "autoRepairConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub auto_repair_configuration: Option<AutoRepairConfiguration>,
}

/// Wire shape `UpdateServicePrimaryTaskSetRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateServicePrimaryTaskSetRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "service", skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(rename = "primaryTaskSet", skip_serializing_if = "Option::is_none")]
    pub primary_task_set: Option<String>,
}

/// Wire shape `UpdateServicePrimaryTaskSetResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateServicePrimaryTaskSetResponse {
    #[serde(rename = "taskSet", skip_serializing_if = "Option::is_none")]
    pub task_set: Option<TaskSet>,
}

/// Wire shape `UpdateServiceRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateServiceRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "service", skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(rename = "desiredCount", skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<i32>,
    #[serde(rename = "taskDefinition", skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(
        rename = "capacityProviderStrategy",
        skip_serializing_if = "Option::is_none"
    )]
    pub capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    #[serde(
        rename = "deploymentConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub deployment_configuration: Option<DeploymentConfiguration>,
    #[serde(
        rename = "availabilityZoneRebalancing",
        skip_serializing_if = "Option::is_none"
    )]
    pub availability_zone_rebalancing: Option<String>,
    #[serde(
        rename = "networkConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(
        rename = "placementConstraints",
        skip_serializing_if = "Option::is_none"
    )]
    pub placement_constraints: Option<Vec<PlacementConstraint>>,
    #[serde(rename = "placementStrategy", skip_serializing_if = "Option::is_none")]
    pub placement_strategy: Option<Vec<PlacementStrategy>>,
    #[serde(rename = "platformVersion", skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(rename = "forceNewDeployment", skip_serializing_if = "Option::is_none")]
    pub force_new_deployment: Option<bool>,
    #[serde(
        rename = "healthCheckGracePeriodSeconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub health_check_grace_period_seconds: Option<i32>,
    #[serde(
        rename = "deploymentController",
        skip_serializing_if = "Option::is_none"
    )]
    pub deployment_controller: Option<DeploymentController>,
    #[serde(
        rename = "enableExecuteCommand",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_execute_command: Option<bool>,
    #[serde(
        rename = "enableECSManagedTags",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_ecs_managed_tags: Option<bool>,
    #[serde(rename = "loadBalancers", skip_serializing_if = "Option::is_none")]
    pub load_balancers: Option<Vec<LoadBalancer>>,
    #[serde(rename = "propagateTags", skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<String>,
    #[serde(rename = "serviceRegistries", skip_serializing_if = "Option::is_none")]
    pub service_registries: Option<Vec<ServiceRegistry>>,
    #[serde(
        rename = "serviceConnectConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_connect_configuration: Option<ServiceConnectConfiguration>,
    #[serde(
        rename = "volumeConfigurations",
        skip_serializing_if = "Option::is_none"
    )]
    pub volume_configurations: Option<Vec<ServiceVolumeConfiguration>>,
    #[serde(
        rename = "vpcLatticeConfigurations",
        skip_serializing_if = "Option::is_none"
    )]
    pub vpc_lattice_configurations: Option<Vec<VpcLatticeConfiguration>>,
}

/// Wire shape `UpdateServiceResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateServiceResponse {
    #[serde(rename = "service", skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
}

/// Wire shape `UpdateTaskProtectionRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateTaskProtectionRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "tasks", skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<String>>,
    #[serde(rename = "protectionEnabled", skip_serializing_if = "Option::is_none")]
    pub protection_enabled: Option<bool>,
    #[serde(rename = "expiresInMinutes", skip_serializing_if = "Option::is_none")]
    pub expires_in_minutes: Option<i32>,
}

/// Wire shape `UpdateTaskProtectionResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateTaskProtectionResponse {
    #[serde(rename = "protectedTasks", skip_serializing_if = "Option::is_none")]
    pub protected_tasks: Option<Vec<ProtectedTask>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<Failure>>,
}

/// Wire shape `UpdateTaskSetRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateTaskSetRequest {
    #[serde(rename = "cluster", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "service", skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(rename = "taskSet", skip_serializing_if = "Option::is_none")]
    pub task_set: Option<String>,
    #[serde(rename = "scale", skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
}

/// Wire shape `UpdateTaskSetResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateTaskSetResponse {
    #[serde(rename = "taskSet", skip_serializing_if = "Option::is_none")]
    pub task_set: Option<TaskSet>,
}

/// Wire shape `VCpuCountRangeRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VCpuCountRangeRequest {
    #[serde(rename = "min", skip_serializing_if = "Option::is_none")]
    pub min: Option<i32>,
    #[serde(rename = "max", skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
}

/// Wire shape `VersionInfo`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VersionInfo {
    #[serde(rename = "agentVersion", skip_serializing_if = "Option::is_none")]
    pub agent_version: Option<String>,
    #[serde(rename = "agentHash", skip_serializing_if = "Option::is_none")]
    pub agent_hash: Option<String>,
    #[serde(rename = "dockerVersion", skip_serializing_if = "Option::is_none")]
    pub docker_version: Option<String>,
}

/// Wire shape `Volume`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Volume {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "host", skip_serializing_if = "Option::is_none")]
    pub host: Option<HostVolumeProperties>,
    #[serde(
        rename = "dockerVolumeConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub docker_volume_configuration: Option<DockerVolumeConfiguration>,
    #[serde(
        rename = "efsVolumeConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub efs_volume_configuration: Option<EFSVolumeConfiguration>,
    #[serde(
        rename = "s3filesVolumeConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub s3files_volume_configuration: Option<S3FilesVolumeConfiguration>,
    #[serde(
        rename = "fsxWindowsFileServerVolumeConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub fsx_windows_file_server_volume_configuration:
        Option<FSxWindowsFileServerVolumeConfiguration>,
    #[serde(rename = "configuredAtLaunch", skip_serializing_if = "Option::is_none")]
    pub configured_at_launch: Option<bool>,
}

/// Wire shape `VolumeFrom`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VolumeFrom {
    #[serde(rename = "sourceContainer", skip_serializing_if = "Option::is_none")]
    pub source_container: Option<String>,
    #[serde(rename = "readOnly", skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
}

/// Wire shape `VpcLatticeConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VpcLatticeConfiguration {
    #[serde(rename = "roleArn", skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(rename = "targetGroupArn", skip_serializing_if = "Option::is_none")]
    pub target_group_arn: Option<String>,
    #[serde(rename = "portName", skip_serializing_if = "Option::is_none")]
    pub port_name: Option<String>,
}
