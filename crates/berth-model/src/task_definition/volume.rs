//! Task-level parts of a task definition other than containers: data
//! volumes, placement constraints, proxy, accelerators, storage and
//! platform.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A data volume containers can mount. At most one kind of source is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volume {
    /// Name referenced by `mount_points[].source_volume`.
    pub name: Option<String>,
    /// A bind mount (path on the host, or a Docker-managed path).
    pub host: Option<HostVolume>,
    /// A Docker volume.
    pub docker_volume: Option<DockerVolume>,
    /// An Amazon EFS file system.
    pub efs: Option<EfsVolume>,
    /// An Amazon S3 Files file system.
    pub s3_files: Option<S3FilesVolume>,
    /// An FSx for Windows File Server file system.
    pub fsx_windows: Option<FsxWindowsVolume>,
    /// Configured when the task is launched (EBS).
    pub configured_at_launch: Option<bool>,
}

/// A bind mount volume.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostVolume {
    /// Path on the host; absent lets Docker choose one.
    pub source_path: Option<String>,
}

/// Lifetime of a Docker volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DockerVolumeScope {
    /// Created and removed with the task.
    Task,
    /// Outlives the task.
    Shared,
}

/// A Docker volume.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DockerVolume {
    /// Lifetime.
    pub scope: Option<DockerVolumeScope>,
    /// Create when missing (shared scope only).
    pub autoprovision: Option<bool>,
    /// Volume driver.
    pub driver: Option<String>,
    /// Driver options.
    pub driver_opts: Option<BTreeMap<String, String>>,
    /// Volume labels.
    pub labels: Option<BTreeMap<String, String>>,
}

/// ENABLED / DISABLED switch used by EFS settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Switch {
    /// On.
    Enabled,
    /// Off.
    Disabled,
}

/// An EFS volume.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EfsVolume {
    /// File system id.
    pub file_system_id: String,
    /// Directory mounted as the root.
    pub root_directory: Option<String>,
    /// Encryption in transit.
    pub transit_encryption: Option<Switch>,
    /// Port for encrypted traffic.
    pub transit_encryption_port: Option<i32>,
    /// Access point and IAM authorization.
    pub authorization: Option<EfsAuthorization>,
}

/// EFS authorization settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EfsAuthorization {
    /// Access point id.
    pub access_point_id: Option<String>,
    /// Use the task role for IAM authorization.
    pub iam: Option<Switch>,
}

/// An S3 Files volume.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct S3FilesVolume {
    /// File system ARN.
    pub file_system_arn: String,
    /// Directory mounted as the root.
    pub root_directory: Option<String>,
    /// Port for encrypted traffic.
    pub transit_encryption_port: Option<i32>,
    /// Access point ARN.
    pub access_point_arn: Option<String>,
}

/// An FSx for Windows File Server volume.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FsxWindowsVolume {
    /// File system id.
    pub file_system_id: String,
    /// Directory mounted as the root.
    pub root_directory: String,
    /// Secret with the domain credentials.
    pub credentials_parameter: String,
    /// Domain name.
    pub domain: String,
}

/// Kinds of placement constraint; only `MemberOf` may sit in a task definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacementConstraintType {
    /// Instances matching a cluster query expression.
    MemberOf,
    /// Every task of the group on a different instance.
    DistinctInstance,
}

/// A placement constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementConstraint {
    /// Kind.
    pub constraint_type: PlacementConstraintType,
    /// Cluster query language expression (memberOf).
    pub expression: Option<String>,
}

/// Proxy kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProxyType {
    /// AWS App Mesh.
    AppMesh,
}

/// A task-level proxy (App Mesh).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyConfiguration {
    /// Kind; absent means App Mesh.
    pub proxy_type: Option<ProxyType>,
    /// The proxy container.
    pub container_name: String,
    /// CNI plugin properties.
    pub properties: Option<Vec<Property>>,
}

/// A name/value property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Property {
    /// Name.
    pub name: Option<String>,
    /// Value.
    pub value: Option<String>,
}

/// An Elastic Inference accelerator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InferenceAccelerator {
    /// Name referenced by containers' resource requirements.
    pub device_name: String,
    /// Accelerator type.
    pub device_type: String,
}

/// Extra ephemeral storage for the task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EphemeralStorage {
    /// Size in GiB (21-200).
    pub size_in_gib: i32,
}

/// CPU architectures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CpuArchitecture {
    /// x86-64.
    X86_64,
    /// 64-bit ARM.
    Arm64,
}

/// Operating system families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OsFamily {
    /// Linux.
    Linux,
    /// Windows Server 2016 Full.
    WindowsServer2016Full,
    /// Windows Server 2019 Full.
    WindowsServer2019Full,
    /// Windows Server 2019 Core.
    WindowsServer2019Core,
    /// Windows Server 2004 Core.
    WindowsServer2004Core,
    /// Windows Server 20H2 Core.
    WindowsServer20H2Core,
    /// Windows Server 2022 Full.
    WindowsServer2022Full,
    /// Windows Server 2022 Core.
    WindowsServer2022Core,
    /// Windows Server 2025 Full.
    WindowsServer2025Full,
    /// Windows Server 2025 Core.
    WindowsServer2025Core,
}

/// Platform the task runs on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimePlatform {
    /// CPU architecture.
    pub cpu_architecture: Option<CpuArchitecture>,
    /// Operating system.
    pub os_family: Option<OsFamily>,
}
