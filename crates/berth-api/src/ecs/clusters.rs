//! CreateCluster, DescribeClusters, ListClusters, UpdateCluster,
//! UpdateClusterSettings and DeleteCluster.

use berth_model::cluster::{
    CLUSTER_SETTING_NAMES, CONTAINER_INSIGHTS_VALUES, CapacityProviderStrategyItem, Cluster,
    ClusterConfiguration, ClusterCounts, ClusterSetting, ClusterStatus,
    ExecuteCommandConfiguration, ExecuteCommandLogConfiguration, ManagedStorageConfiguration,
};
use berth_model::names::{NameKind, validate_name};
use berth_model::tag::validate_tags;
use berth_state::{MAX_CAS_ATTEMPTS, StateError};

use super::pagination::{decode_token, encode_token, page_size};
use super::tags::{tags_from_wire, tags_to_wire};
use super::{DEFAULT_CLUSTER, EcsError, cluster_name, wire};
use crate::Api;

/// Capacity providers every cluster may use without creating them.
const BUILT_IN_CAPACITY_PROVIDERS: &[&str] = &["FARGATE", "FARGATE_SPOT"];
/// Most clusters one DescribeClusters call may name.
const MAX_DESCRIBE: usize = 100;

/// Which optional parts a cluster answer includes.
#[derive(Debug, Clone, Copy, Default)]
struct Include {
    tags: bool,
    settings: bool,
    statistics: bool,
    configurations: bool,
}

impl Include {
    const ALL: Include = Include {
        tags: true,
        settings: true,
        statistics: false,
        configurations: true,
    };

    fn parse(values: Option<&[String]>) -> Result<Include, EcsError> {
        let mut include = Include::default();
        for value in values.unwrap_or_default() {
            match value.as_str() {
                "TAGS" => include.tags = true,
                "SETTINGS" => include.settings = true,
                "STATISTICS" => include.statistics = true,
                "CONFIGURATIONS" => include.configurations = true,
                // Attachments belong to capacity providers with Auto Scaling
                // groups, which Berth clusters never have: nothing to add.
                "ATTACHMENTS" => {}
                other => {
                    return Err(EcsError::InvalidParameter(format!(
                        "Invalid include value: {}. Valid values are ATTACHMENTS, CONFIGURATIONS, SETTINGS, STATISTICS, TAGS.",
                        crate::error::truncated(other, 64)
                    )));
                }
            }
        }
        Ok(include)
    }
}

pub async fn create_cluster(
    api: &Api,
    input: wire::CreateClusterRequest,
) -> Result<wire::CreateClusterResponse, EcsError> {
    let name = input
        .cluster_name
        .unwrap_or_else(|| DEFAULT_CLUSTER.to_owned());
    validate_name(NameKind::Cluster, &name).map_err(|e| EcsError::InvalidParameter(e.message))?;
    let tags = tags_from_wire(input.tags.unwrap_or_default())?;
    validate_tags(&tags)?;
    let settings = match input.settings {
        Some(settings) => settings_from_wire(settings)?,
        None => default_settings(),
    };
    let capacity_providers = input.capacity_providers.unwrap_or_default();
    validate_capacity_providers(&capacity_providers)?;
    let strategy = strategy_from_wire(
        input.default_capacity_provider_strategy.unwrap_or_default(),
        &capacity_providers,
    )?;
    let cluster = Cluster {
        name,
        status: ClusterStatus::Active,
        settings,
        configuration: input.configuration.map(configuration_from_wire),
        service_connect_namespace: input.service_connect_defaults.and_then(|d| d.namespace),
        capacity_providers,
        default_capacity_provider_strategy: strategy,
        tags,
    };
    let cluster = api.control.state.clusters.create(cluster).await?;
    Ok(wire::CreateClusterResponse {
        cluster: Some(cluster_to_wire(api, &cluster, Include::ALL, None)),
    })
}

pub async fn describe_clusters(
    api: &Api,
    input: wire::DescribeClustersRequest,
) -> Result<wire::DescribeClustersResponse, EcsError> {
    let include = Include::parse(input.include.as_deref())?;
    let identifiers = input
        .clusters
        .filter(|clusters| !clusters.is_empty())
        .unwrap_or_else(|| vec![DEFAULT_CLUSTER.to_owned()]);
    if identifiers.len() > MAX_DESCRIBE {
        return Err(EcsError::InvalidParameter(format!(
            "clusters can have at most {MAX_DESCRIBE} items."
        )));
    }
    let mut clusters = Vec::new();
    let mut failures = Vec::new();
    for identifier in &identifiers {
        let found = match cluster_name(api, Some(identifier)) {
            Some(name) => api.control.state.clusters.get(name).await?,
            None => None,
        };
        match found {
            Some(cluster) => {
                let counts = api.cluster_counts(&cluster.name).await?;
                clusters.push(cluster_to_wire(api, &cluster, include, Some(counts)));
            }
            None => failures.push(wire::Failure {
                arn: Some(missing_arn(api, identifier)),
                reason: Some("MISSING".to_owned()),
                detail: None,
            }),
        }
    }
    Ok(wire::DescribeClustersResponse {
        clusters: Some(clusters),
        failures: Some(failures),
    })
}

pub async fn list_clusters(
    api: &Api,
    input: wire::ListClustersRequest,
) -> Result<wire::ListClustersResponse, EcsError> {
    const OPERATION: &str = "ListClusters";
    let limit = page_size(input.max_results, 100, 100)?;
    let after = match input.next_token.as_deref() {
        Some(token) => Some(decode_token(OPERATION, token)?),
        None => None,
    };
    let page = api
        .control
        .state
        .clusters
        .list_active(after.as_deref(), limit)
        .await?;
    Ok(wire::ListClustersResponse {
        cluster_arns: Some(
            page.items
                .iter()
                .map(|(name, _)| api.control.scope.cluster_arn(name))
                .collect(),
        ),
        next_token: page.next_after.map(|after| encode_token(OPERATION, &after)),
    })
}

pub async fn update_cluster(
    api: &Api,
    input: wire::UpdateClusterRequest,
) -> Result<wire::UpdateClusterResponse, EcsError> {
    let name = required_cluster(api, input.cluster.as_deref())?;
    let settings = input.settings.map(settings_from_wire).transpose()?;
    let configuration = input.configuration.map(configuration_from_wire);
    let namespace = input.service_connect_defaults.map(|d| d.namespace);
    let cluster = api
        .control
        .state
        .clusters
        .modify(&name, |current| {
            let mut cluster = active(current)?;
            if let Some(settings) = &settings {
                merge_settings(&mut cluster.settings, settings);
            }
            if let Some(configuration) = &configuration {
                cluster.configuration = Some(configuration.clone());
            }
            if let Some(namespace) = &namespace {
                cluster.service_connect_namespace = namespace.clone();
            }
            Ok::<_, EcsError>(cluster)
        })
        .await?;
    Ok(wire::UpdateClusterResponse {
        cluster: Some(cluster_to_wire(api, &cluster, Include::ALL, None)),
    })
}

pub async fn update_cluster_settings(
    api: &Api,
    input: wire::UpdateClusterSettingsRequest,
) -> Result<wire::UpdateClusterSettingsResponse, EcsError> {
    let name = required_cluster(api, input.cluster.as_deref())?;
    let Some(settings) = input.settings else {
        return Err(EcsError::InvalidParameter(
            "settings must be specified.".to_owned(),
        ));
    };
    let settings = settings_from_wire(settings)?;
    let cluster = api
        .control
        .state
        .clusters
        .modify(&name, |current| {
            let mut cluster = active(current)?;
            merge_settings(&mut cluster.settings, &settings);
            Ok::<_, EcsError>(cluster)
        })
        .await?;
    Ok(wire::UpdateClusterSettingsResponse {
        cluster: Some(cluster_to_wire(api, &cluster, Include::ALL, None)),
    })
}

pub async fn delete_cluster(
    api: &Api,
    input: wire::DeleteClusterRequest,
) -> Result<wire::DeleteClusterResponse, EcsError> {
    let name = required_cluster(api, input.cluster.as_deref())?;
    let clusters = &api.control.state.clusters;
    for _ in 0..MAX_CAS_ATTEMPTS {
        let Some(record) = clusters.get_active_versioned(&name).await? else {
            return Err(EcsError::ClusterNotFound);
        };
        // Read before counting: an instance registered or a task placed
        // after it refuses the commit below, which then counts again.
        let members_added_at = clusters.members_added_at(&name).await?;
        let counts = api.stored_cluster_counts(&name).await?;
        if counts.registered_container_instances > 0 {
            return Err(EcsError::ClusterContainsContainerInstances);
        }
        if counts.active_services > 0 {
            return Err(EcsError::ClusterContainsServices);
        }
        if counts.running_tasks + counts.pending_tasks > 0 {
            return Err(EcsError::ClusterContainsTasks);
        }
        if let Some(cluster) = clusters.deactivate(&record, members_added_at).await? {
            api.control.views.forget(&name);
            return Ok(wire::DeleteClusterResponse {
                cluster: Some(cluster_to_wire(api, &cluster, Include::ALL, Some(counts))),
            });
        }
    }
    Err(StateError::Contention {
        key: format!("cluster {name}"),
    }
    .into())
}

/// The cluster a mutating request names, which must be a possible name.
fn required_cluster(api: &Api, identifier: Option<&str>) -> Result<String, EcsError> {
    let Some(identifier) = identifier else {
        return Err(EcsError::InvalidParameter(
            "cluster must be specified.".to_owned(),
        ));
    };
    cluster_name(api, Some(identifier))
        .map(str::to_owned)
        .ok_or(EcsError::ClusterNotFound)
}

fn active(current: Option<Cluster>) -> Result<Cluster, EcsError> {
    current
        .filter(|cluster| cluster.status == ClusterStatus::Active)
        .ok_or(EcsError::ClusterNotFound)
}

/// The ARN a failure reports for an identifier that matched nothing.
fn missing_arn(api: &Api, identifier: &str) -> String {
    if identifier.starts_with("arn:") {
        identifier.to_owned()
    } else {
        api.control.scope.cluster_arn(identifier)
    }
}

fn default_settings() -> Vec<ClusterSetting> {
    vec![ClusterSetting {
        name: "containerInsights".to_owned(),
        value: "disabled".to_owned(),
    }]
}

fn merge_settings(settings: &mut Vec<ClusterSetting>, new: &[ClusterSetting]) {
    for setting in new {
        match settings.iter_mut().find(|s| s.name == setting.name) {
            Some(existing) => existing.value = setting.value.clone(),
            None => settings.push(setting.clone()),
        }
    }
}

fn settings_from_wire(
    settings: Vec<wire::ClusterSetting>,
) -> Result<Vec<ClusterSetting>, EcsError> {
    let mut parsed = Vec::with_capacity(settings.len());
    for setting in settings {
        let name = setting.name.unwrap_or_default();
        let value = setting.value.unwrap_or_default();
        if !CLUSTER_SETTING_NAMES.contains(&name.as_str()) {
            return Err(EcsError::InvalidParameter(format!(
                "Invalid cluster setting name: '{}'. Valid names: containerInsights.",
                crate::error::truncated(&name, 64)
            )));
        }
        if !CONTAINER_INSIGHTS_VALUES.contains(&value.as_str()) {
            return Err(EcsError::InvalidParameter(format!(
                "Invalid value for containerInsights: '{}'. Valid values: enabled, disabled, enhanced.",
                crate::error::truncated(&value, 64)
            )));
        }
        parsed.push(ClusterSetting { name, value });
    }
    Ok(parsed)
}

fn validate_capacity_providers(providers: &[String]) -> Result<(), EcsError> {
    if providers.len() > 20 {
        return Err(EcsError::InvalidParameter(
            "A cluster can have at most 20 capacity providers.".to_owned(),
        ));
    }
    for provider in providers {
        if !BUILT_IN_CAPACITY_PROVIDERS.contains(&provider.as_str()) {
            return Err(EcsError::InvalidParameter(format!(
                "The specified capacity provider '{}' is not in an ACTIVE state. Specify a valid capacity provider and try again.",
                crate::error::truncated(provider, 255)
            )));
        }
    }
    Ok(())
}

fn strategy_from_wire(
    items: Vec<wire::CapacityProviderStrategyItem>,
    providers: &[String],
) -> Result<Vec<CapacityProviderStrategyItem>, EcsError> {
    if items.len() > 20 {
        return Err(EcsError::InvalidParameter(
            "A capacity provider strategy can have at most 20 items.".to_owned(),
        ));
    }
    let mut strategy: Vec<CapacityProviderStrategyItem> = Vec::with_capacity(items.len());
    for item in items {
        let provider = item.capacity_provider.unwrap_or_default();
        if !providers.contains(&provider) {
            return Err(EcsError::InvalidParameter(format!(
                "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster: '{}'.",
                crate::error::truncated(&provider, 255)
            )));
        }
        let weight = item.weight.unwrap_or(0);
        let base = item.base.unwrap_or(0);
        if !(0..=1000).contains(&weight) || !(0..=100_000).contains(&base) {
            return Err(EcsError::InvalidParameter(
                "Capacity provider weight must be 0-1000 and base 0-100000.".to_owned(),
            ));
        }
        if base > 0 && strategy.iter().any(|s| s.base > 0) {
            return Err(EcsError::InvalidParameter(
                "Only one capacity provider in a strategy can have a base defined.".to_owned(),
            ));
        }
        strategy.push(CapacityProviderStrategyItem {
            capacity_provider: provider,
            weight: weight as u32,
            base: base as u32,
        });
    }
    Ok(strategy)
}

fn configuration_from_wire(configuration: wire::ClusterConfiguration) -> ClusterConfiguration {
    ClusterConfiguration {
        execute_command: configuration.execute_command_configuration.map(|c| {
            ExecuteCommandConfiguration {
                kms_key_id: c.kms_key_id,
                logging: c.logging,
                log_configuration: c.log_configuration.map(|l| ExecuteCommandLogConfiguration {
                    cloud_watch_log_group_name: l.cloud_watch_log_group_name,
                    cloud_watch_encryption_enabled: l.cloud_watch_encryption_enabled,
                    s3_bucket_name: l.s3_bucket_name,
                    s3_encryption_enabled: l.s3_encryption_enabled,
                    s3_key_prefix: l.s3_key_prefix,
                }),
            }
        }),
        managed_storage: configuration.managed_storage_configuration.map(|c| {
            ManagedStorageConfiguration {
                kms_key_id: c.kms_key_id,
                fargate_ephemeral_storage_kms_key_id: c.fargate_ephemeral_storage_kms_key_id,
            }
        }),
    }
}

fn configuration_to_wire(configuration: &ClusterConfiguration) -> wire::ClusterConfiguration {
    wire::ClusterConfiguration {
        execute_command_configuration: configuration.execute_command.as_ref().map(|c| {
            wire::ExecuteCommandConfiguration {
                kms_key_id: c.kms_key_id.clone(),
                logging: c.logging.clone(),
                log_configuration: c.log_configuration.as_ref().map(|l| {
                    wire::ExecuteCommandLogConfiguration {
                        cloud_watch_log_group_name: l.cloud_watch_log_group_name.clone(),
                        cloud_watch_encryption_enabled: l.cloud_watch_encryption_enabled,
                        s3_bucket_name: l.s3_bucket_name.clone(),
                        s3_encryption_enabled: l.s3_encryption_enabled,
                        s3_key_prefix: l.s3_key_prefix.clone(),
                    }
                }),
            }
        }),
        managed_storage_configuration: configuration.managed_storage.as_ref().map(|c| {
            wire::ManagedStorageConfiguration {
                kms_key_id: c.kms_key_id.clone(),
                fargate_ephemeral_storage_kms_key_id: c
                    .fargate_ephemeral_storage_kms_key_id
                    .clone(),
            }
        }),
    }
}

fn cluster_to_wire(
    api: &Api,
    cluster: &Cluster,
    include: Include,
    counts: Option<ClusterCounts>,
) -> wire::Cluster {
    let counts = counts.unwrap_or_default();
    let count = |n: u64| Some(i32::try_from(n).unwrap_or(i32::MAX));
    wire::Cluster {
        cluster_arn: Some(api.control.scope.cluster_arn(&cluster.name)),
        cluster_name: Some(cluster.name.clone()),
        status: Some(cluster.status.as_str().to_owned()),
        registered_container_instances_count: count(counts.registered_container_instances),
        running_tasks_count: count(counts.running_tasks),
        pending_tasks_count: count(counts.pending_tasks),
        active_services_count: count(counts.active_services),
        statistics: include.statistics.then(|| statistics(&counts)),
        tags: include.tags.then(|| tags_to_wire(&cluster.tags)),
        settings: include.settings.then(|| {
            cluster
                .settings
                .iter()
                .map(|s| wire::ClusterSetting {
                    name: Some(s.name.clone()),
                    value: Some(s.value.clone()),
                })
                .collect()
        }),
        configuration: if include.configurations {
            cluster.configuration.as_ref().map(configuration_to_wire)
        } else {
            None
        },
        capacity_providers: Some(cluster.capacity_providers.clone()),
        default_capacity_provider_strategy: Some(
            cluster
                .default_capacity_provider_strategy
                .iter()
                .map(|s| wire::CapacityProviderStrategyItem {
                    capacity_provider: Some(s.capacity_provider.clone()),
                    weight: Some(s.weight as i32),
                    base: Some(s.base as i32),
                })
                .collect(),
        ),
        service_connect_defaults: cluster.service_connect_namespace.as_ref().map(|namespace| {
            wire::ClusterServiceConnectDefaults {
                namespace: Some(namespace.clone()),
            }
        }),
        attachments: None,
        attachments_status: None,
    }
}

/// The STATISTICS ECS reports; every Berth task and service runs on the EC2
/// launch type until Fargate arrives.
fn statistics(counts: &ClusterCounts) -> Vec<wire::KeyValuePair> {
    let pair = |name: &str, value: u64| wire::KeyValuePair {
        name: Some(name.to_owned()),
        value: Some(value.to_string()),
    };
    vec![
        pair("runningEC2TasksCount", counts.running_tasks),
        pair("runningFargateTasksCount", 0),
        pair("pendingEC2TasksCount", counts.pending_tasks),
        pair("pendingFargateTasksCount", 0),
        pair("runningExternalTasksCount", 0),
        pair("pendingExternalTasksCount", 0),
        pair("activeEC2ServiceCount", counts.active_services),
        pair("activeFargateServiceCount", 0),
        pair("drainingEC2ServiceCount", 0),
        pair("drainingFargateServiceCount", 0),
        pair("activeExternalServiceCount", 0),
        pair("drainingExternalServiceCount", 0),
    ]
}
