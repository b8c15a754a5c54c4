//! Clusters: the named pools that hold container instances, tasks and
//! services, with their settings and configuration.

use serde::{Deserialize, Serialize};

use crate::tag::Tag;

/// A cluster as stored. Counts of instances, tasks and services are derived
/// from those records when a cluster is described, never stored here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cluster {
    pub name: String,
    pub status: ClusterStatus,
    pub settings: Vec<ClusterSetting>,
    pub configuration: Option<ClusterConfiguration>,
    pub service_connect_namespace: Option<String>,
    pub capacity_providers: Vec<String>,
    pub default_capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
    pub tags: Vec<Tag>,
}

impl Cluster {
    /// A new ACTIVE cluster with nothing configured.
    pub fn active(name: impl Into<String>) -> Cluster {
        Cluster {
            name: name.into(),
            status: ClusterStatus::Active,
            settings: Vec::new(),
            configuration: None,
            service_connect_namespace: None,
            capacity_providers: Vec::new(),
            default_capacity_provider_strategy: Vec::new(),
            tags: Vec::new(),
        }
    }
}

/// The lifecycle of a cluster. Berth clusters are ready when created, so the
/// provisioning states of AWS's capacity-provider clusters never appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClusterStatus {
    Active,
    Inactive,
}

impl ClusterStatus {
    /// The status as ECS spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterStatus::Active => "ACTIVE",
            ClusterStatus::Inactive => "INACTIVE",
        }
    }
}

/// One cluster setting; ECS has only `containerInsights`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterSetting {
    pub name: String,
    pub value: String,
}

/// Names of cluster settings ECS accepts.
pub const CLUSTER_SETTING_NAMES: &[&str] = &["containerInsights"];
/// Values the `containerInsights` setting accepts.
pub const CONTAINER_INSIGHTS_VALUES: &[&str] = &["enabled", "disabled", "enhanced"];

/// Execute-command and managed-storage configuration of a cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterConfiguration {
    pub execute_command: Option<ExecuteCommandConfiguration>,
    pub managed_storage: Option<ManagedStorageConfiguration>,
}

/// How `ExecuteCommand` sessions are encrypted and logged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecuteCommandConfiguration {
    pub kms_key_id: Option<String>,
    /// `NONE`, `DEFAULT` or `OVERRIDE`.
    pub logging: Option<String>,
    pub log_configuration: Option<ExecuteCommandLogConfiguration>,
}

/// Where `ExecuteCommand` session logs go when logging is `OVERRIDE`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecuteCommandLogConfiguration {
    pub cloud_watch_log_group_name: Option<String>,
    pub cloud_watch_encryption_enabled: Option<bool>,
    pub s3_bucket_name: Option<String>,
    pub s3_encryption_enabled: Option<bool>,
    pub s3_key_prefix: Option<String>,
}

/// Keys that encrypt task storage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedStorageConfiguration {
    pub kms_key_id: Option<String>,
    pub fargate_ephemeral_storage_kms_key_id: Option<String>,
}

/// One entry of a capacity provider strategy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapacityProviderStrategyItem {
    pub capacity_provider: String,
    pub weight: u32,
    pub base: u32,
}

/// Counts shown by DescribeClusters, derived from instance, task and service
/// records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClusterCounts {
    pub registered_container_instances: u64,
    pub running_tasks: u64,
    pub pending_tasks: u64,
    pub active_services: u64,
}
