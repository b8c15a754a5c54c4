//! The ECS API: operation routing and the handlers, one module per resource
//! group. Handlers take a wire input shape and return a wire output shape.

mod attributes;
mod clusters;
mod container_instances;
mod convert;
mod error;
mod pagination;
mod tags;
mod task_definitions;
mod tasks;
pub mod wire;

use axum::body::Bytes;
use berth_model::arn::Arn;

pub use error::EcsError;

use crate::Api;
use crate::error::AwsError;
use crate::protocol::{encode_output, parse_input};

/// The cluster ECS uses when a request names none.
pub const DEFAULT_CLUSTER: &str = "default";

/// Runs `operation` on `body`, returning the encoded output shape.
pub async fn handle(api: &Api, operation: &str, body: &Bytes) -> Result<Vec<u8>, AwsError> {
    macro_rules! route {
        ($($name:literal => $handler:path,)*) => {
            match operation {
                // The only handler that needs the raw size: ECS bounds the
                // registered document, not the parsed shape.
                "RegisterTaskDefinition" => {
                    let input = parse_input(body)?;
                    let output = task_definitions::register_task_definition(api, input, body.len())
                        .await
                        .map_err(AwsError::from)?;
                    encode_output(&output)
                }
                $($name => {
                    let input = parse_input(body)?;
                    let output = $handler(api, input).await.map_err(AwsError::from)?;
                    encode_output(&output)
                })*
                known if wire::OPERATIONS.contains(&known) => Err(AwsError::client(
                    "UnsupportedFeatureException",
                    format!("{known} is not supported by this version of Berth."),
                )),
                unknown => Err(AwsError::unknown_operation(unknown)),
            }
        };
    }
    route! {
        "CreateCluster" => clusters::create_cluster,
        "DescribeClusters" => clusters::describe_clusters,
        "ListClusters" => clusters::list_clusters,
        "UpdateCluster" => clusters::update_cluster,
        "UpdateClusterSettings" => clusters::update_cluster_settings,
        "DeleteCluster" => clusters::delete_cluster,
        "DescribeTaskDefinition" => task_definitions::describe_task_definition,
        "ListTaskDefinitions" => task_definitions::list_task_definitions,
        "ListTaskDefinitionFamilies" => task_definitions::list_task_definition_families,
        "DeregisterTaskDefinition" => task_definitions::deregister_task_definition,
        "DeleteTaskDefinitions" => task_definitions::delete_task_definitions,
        "RunTask" => tasks::run_task,
        "StartTask" => tasks::start_task,
        "StopTask" => tasks::stop_task,
        "DescribeTasks" => tasks::describe_tasks,
        "ListTasks" => tasks::list_tasks,
        "RegisterContainerInstance" => container_instances::register_container_instance,
        "DeregisterContainerInstance" => container_instances::deregister_container_instance,
        "DescribeContainerInstances" => container_instances::describe_container_instances,
        "ListContainerInstances" => container_instances::list_container_instances,
        "UpdateContainerInstancesState" => container_instances::update_container_instances_state,
        "PutAttributes" => attributes::put_attributes,
        "DeleteAttributes" => attributes::delete_attributes,
        "ListAttributes" => attributes::list_attributes,
        "TagResource" => tags::tag_resource,
        "UntagResource" => tags::untag_resource,
        "ListTagsForResource" => tags::list_tags_for_resource,
    }
}

/// The cluster name a request means: `default` when absent, the name itself,
/// or the name inside a cluster ARN of this Berth. `None` for anything that
/// cannot name a cluster here.
pub fn cluster_name<'a>(api: &Api, identifier: Option<&'a str>) -> Option<&'a str> {
    let identifier = identifier.unwrap_or(DEFAULT_CLUSTER);
    let name = match Arn::parse(identifier) {
        Some(arn) => match arn.resource_type() {
            ("cluster", name) if arn.service == "ecs" && arn.is_in(&api.control.scope) => name,
            _ => return None,
        },
        None => identifier,
    };
    berth_model::names::is_valid_name(name).then_some(name)
}

/// Epoch milliseconds as the wire's epoch seconds.
pub fn wire_time(millis: i64) -> f64 {
    millis as f64 / 1000.0
}
