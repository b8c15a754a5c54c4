//! RegisterContainerInstance, DeregisterContainerInstance,
//! DescribeContainerInstances, ListContainerInstances and
//! UpdateContainerInstancesState, over the registrations of berth-control.

mod convert;

use berth_control::ControlError;
use berth_control::instances::Registration;
use berth_control::snapshot::InstanceSubjects;
use berth_model::arn::{Arn, Scope};
use berth_model::container_instance::{
    Attribute, ContainerInstance, InstanceStatus, MAX_CUSTOM_ATTRIBUTES, is_builtin_attribute,
    validate_attribute,
};
use berth_model::tag::{merge_tags, validate_tags};
use berth_scheduler::Expression;
use berth_state::Page;

use self::convert::{
    IdentityDocument, Include, ShownTaskCounts, instance_to_wire, parse_identity_document,
    resources_from_wire,
};
use super::pagination::{decode_token, encode_token, page_size};
use super::tags::tags_from_wire;
use super::{EcsError, cluster_name, wire};
use crate::Api;
use crate::error::{AwsError, truncated};

/// Most instances one DescribeContainerInstances call may name.
const MAX_DESCRIBE: usize = 100;
/// Most instances one UpdateContainerInstancesState call may name.
const MAX_UPDATE_STATE: usize = 10;
/// The statuses ListContainerInstances may filter on (the model's enum).
const LISTABLE_STATUSES: &[&str] = &[
    "ACTIVE",
    "DRAINING",
    "REGISTERING",
    "DEREGISTERING",
    "REGISTRATION_FAILED",
];

pub async fn register_container_instance(
    api: &Api,
    input: wire::RegisterContainerInstanceRequest,
) -> Result<wire::RegisterContainerInstanceResponse, EcsError> {
    let cluster = cluster_name(api, input.cluster.as_deref())
        .ok_or(EcsError::ClusterNotFound)?
        .to_owned();
    let resources = resources_from_wire(input.total_resources.as_deref().unwrap_or_default())?;
    let identity = input
        .instance_identity_document
        .as_deref()
        .map(parse_identity_document)
        .transpose()?;
    let attributes = registration_attributes(input.attributes.unwrap_or_default(), &identity)?;
    let tags = tags_from_wire(input.tags.unwrap_or_default())?;
    validate_tags(&tags)?;
    let previous = match input.container_instance_arn.as_deref() {
        Some(arn) => Some(previous_registration(api, &cluster, arn).await?),
        None => None,
    };
    let host_id = match (&identity, &previous) {
        (Some(document), Some(previous)) if document.instance_id != previous.host_id => {
            return Err(EcsError::Client(format!(
                "The instance identity document names {}, but container instance {} is {}.",
                document.instance_id, previous.id, previous.host_id
            )));
        }
        (Some(document), _) => document.instance_id.clone(),
        (None, Some(previous)) => previous.host_id.clone(),
        (None, None) => generated_host_id(),
    };
    let version = input.version_info.unwrap_or_default();
    let mut instance = api
        .control
        .register_instance(Registration {
            cluster: cluster.clone(),
            host_id,
            instance_id: previous.map(|p| p.id),
            resources,
            attributes,
            agent_version: version.agent_version.unwrap_or_default(),
            docker_version: version.docker_version.unwrap_or_default(),
        })
        .await
        .map_err(control_error)?;
    if !tags.is_empty() {
        let tagged = api
            .control
            .state
            .instances
            .modify(&cluster, &instance.id, |current| {
                let mut current = current
                    .filter(|i| i.is_registered())
                    .ok_or_else(|| instance_not_found(&instance.id))?;
                merge_tags(&mut current.tags, tags.clone());
                validate_tags(&current.tags)?;
                current.version += 1;
                Ok::<_, EcsError>(current)
            })
            .await?;
        api.control
            .record_instance(&cluster, &tagged.value, tagged.mod_revision);
        instance = tagged.value;
    }
    let counts = task_counts(api, &instance).await?;
    let include = Include {
        tags: true,
        health: false,
    };
    Ok(wire::RegisterContainerInstanceResponse {
        container_instance: Some(instance_to_wire(api, &instance, counts, include)),
    })
}

pub async fn deregister_container_instance(
    api: &Api,
    input: wire::DeregisterContainerInstanceRequest,
) -> Result<wire::DeregisterContainerInstanceResponse, EcsError> {
    let cluster = active_cluster(api, input.cluster.as_deref()).await?;
    let Some(identifier) = input.container_instance else {
        return Err(EcsError::InvalidParameter(
            "containerInstance must be specified.".to_owned(),
        ));
    };
    let id =
        instance_id(api, &cluster, &identifier).ok_or_else(|| instance_not_found(&identifier))?;
    let instance = api
        .control
        .deregister_instance(&cluster, id, input.force.unwrap_or(false))
        .await
        .map_err(|error| match error {
            ControlError::InstanceNotFound(_) => instance_not_found(&identifier),
            other => control_error(other),
        })?;
    Ok(wire::DeregisterContainerInstanceResponse {
        container_instance: Some(instance_to_wire(
            api,
            &instance,
            ShownTaskCounts::default(),
            Include::default(),
        )),
    })
}

pub async fn describe_container_instances(
    api: &Api,
    input: wire::DescribeContainerInstancesRequest,
) -> Result<wire::DescribeContainerInstancesResponse, EcsError> {
    let include = Include::parse(input.include.as_deref())?;
    let identifiers = required_identifiers(input.container_instances, MAX_DESCRIBE)?;
    let cluster = active_cluster(api, input.cluster.as_deref()).await?;
    let mut instances = Vec::new();
    let mut failures = Vec::new();
    for identifier in &identifiers {
        let found = match instance_id(api, &cluster, identifier) {
            Some(id) => api.control.state.instances.get(&cluster, id).await?,
            None => None,
        };
        match found {
            Some(record) => {
                let counts = task_counts(api, &record.value).await?;
                instances.push(instance_to_wire(api, &record.value, counts, include));
            }
            None => failures.push(failure(api, &cluster, identifier, "MISSING")),
        }
    }
    Ok(wire::DescribeContainerInstancesResponse {
        container_instances: Some(instances),
        failures: Some(failures),
    })
}

/// The operation ListContainerInstances' page tokens name.
const LIST_OPERATION: &str = "ListContainerInstances";

pub async fn list_container_instances(
    api: &Api,
    input: wire::ListContainerInstancesRequest,
) -> Result<wire::ListContainerInstancesResponse, EcsError> {
    let limit = page_size(input.max_results, 100, 100)?;
    let status = match input.status.as_deref() {
        None => None,
        Some(status) if LISTABLE_STATUSES.contains(&status) => Some(status),
        Some(other) => {
            return Err(EcsError::InvalidParameter(format!(
                "Invalid status: {}. Valid values are {}.",
                truncated(other, 64),
                LISTABLE_STATUSES.join(", ")
            )));
        }
    };
    let filter = match input.filter.as_deref() {
        Some(text) => Some(Expression::parse(text).map_err(|error| {
            EcsError::InvalidParameter(format!(
                "Invalid filter '{}': {error}.",
                truncated(text, 256)
            ))
        })?),
        None => None,
    };
    let after = match input.next_token.as_deref() {
        Some(token) => Some(decode_token(LIST_OPERATION, token)?),
        None => None,
    };
    let cluster = active_cluster(api, input.cluster.as_deref()).await?;
    // The cluster's view holds every instance and each one's task counts,
    // so a filter or a status that few instances match, or a filter on what
    // runs where, reads no record. This server's own changes to what a
    // listing reads are in it once answered; another server's may trail by a
    // moment, as ECS's listings may. A plain listing reads one page of the
    // store rather than wait for the view to load.
    let view = match (&filter, status, api.control.views.loaded(&cluster)) {
        (_, _, Some(view)) => view,
        (None, None, None) => {
            let page = api
                .control
                .state
                .instances
                .list(
                    &cluster,
                    after.as_deref(),
                    limit,
                    ContainerInstance::is_registered,
                )
                .await?;
            return Ok(list_response(api, &cluster, page));
        }
        _ => match api.control.views.get(&cluster).await? {
            Some(view) => view,
            None => return Err(EcsError::ClusterNotFound),
        },
    };
    let page = view.list_instances(after.as_deref(), limit, |instance, counts| {
        listed(instance, status, filter.as_ref(), counts)
    });
    Ok(list_response(api, &cluster, page))
}

/// The ARNs of a page of instances, and the token of the next page.
fn list_response<T>(
    api: &Api,
    cluster: &str,
    page: Page<T>,
) -> wire::ListContainerInstancesResponse {
    wire::ListContainerInstancesResponse {
        container_instance_arns: Some(
            page.items
                .iter()
                .map(|(id, _)| api.control.scope.container_instance_arn(cluster, id))
                .collect(),
        ),
        next_token: page
            .next_after
            .map(|after| encode_token(LIST_OPERATION, &after)),
    }
}

/// Whether ListContainerInstances lists `instance`: of the `status` asked
/// for (any but INACTIVE by default) and matching the `filter`, which no
/// deregistered instance does.
fn listed(
    instance: &ContainerInstance,
    status: Option<&str>,
    filter: Option<&Expression>,
    counts: Option<&berth_control::view::TaskCounts>,
) -> bool {
    let status_matches = match status {
        Some(status) => instance.status.as_str() == status,
        None => instance.is_registered(),
    };
    status_matches
        && filter.is_none_or(|expression| {
            InstanceSubjects::of(instance, counts)
                .is_some_and(|subjects| expression.matches(&subjects))
        })
}

pub async fn update_container_instances_state(
    api: &Api,
    input: wire::UpdateContainerInstancesStateRequest,
) -> Result<wire::UpdateContainerInstancesStateResponse, EcsError> {
    let identifiers = required_identifiers(input.container_instances, MAX_UPDATE_STATE)?;
    let status = match input.status.as_deref() {
        Some("ACTIVE") => InstanceStatus::Active,
        Some("DRAINING") => InstanceStatus::Draining,
        Some(other) => {
            return Err(EcsError::InvalidParameter(format!(
                "Container instances can only be set to ACTIVE or DRAINING, not {}.",
                truncated(other, 64)
            )));
        }
        None => {
            return Err(EcsError::InvalidParameter(
                "status must be specified.".to_owned(),
            ));
        }
    };
    let cluster = active_cluster(api, input.cluster.as_deref()).await?;
    let mut instances = Vec::new();
    let mut failures = Vec::new();
    for identifier in &identifiers {
        let Some(id) = instance_id(api, &cluster, identifier) else {
            failures.push(failure(api, &cluster, identifier, "MISSING"));
            continue;
        };
        let result = api
            .control
            .state
            .instances
            .modify(&cluster, id, |current| {
                let mut instance = current.ok_or(StateChange::Missing)?;
                if !instance.is_registered() {
                    return Err(StateChange::Inactive);
                }
                if instance.status != status {
                    instance.status = status;
                    instance.version += 1;
                }
                Ok(instance)
            })
            .await;
        match result {
            Ok(written) => {
                let instance = written.value;
                api.control
                    .record_instance(&cluster, &instance, written.mod_revision);
                let counts = task_counts(api, &instance).await?;
                instances.push(instance_to_wire(api, &instance, counts, Include::default()));
            }
            Err(StateChange::Missing) => {
                failures.push(failure(api, &cluster, identifier, "MISSING"));
            }
            Err(StateChange::Inactive) => {
                failures.push(failure(api, &cluster, identifier, "INACTIVE"));
            }
            Err(StateChange::State(error)) => return Err(error.into()),
        }
    }
    Ok(wire::UpdateContainerInstancesStateResponse {
        container_instances: Some(instances),
        failures: Some(failures),
    })
}

/// Why one instance of UpdateContainerInstancesState was not changed.
enum StateChange {
    Missing,
    Inactive,
    State(berth_state::StateError),
}

impl From<berth_state::StateError> for StateChange {
    fn from(error: berth_state::StateError) -> Self {
        StateChange::State(error)
    }
}

/// The name of the ACTIVE cluster a request names (`default` when absent).
pub(super) async fn active_cluster(
    api: &Api,
    identifier: Option<&str>,
) -> Result<String, EcsError> {
    let name = cluster_name(api, identifier).ok_or(EcsError::ClusterNotFound)?;
    match api.control.state.clusters.get_active(name).await? {
        Some(_) => Ok(name.to_owned()),
        None => Err(EcsError::ClusterNotFound),
    }
}

/// The instance id an identifier names within `cluster`: a bare id, a
/// long-form ARN of that cluster, or a legacy ARN without a cluster. `None`
/// for malformed identifiers and ARNs of other clusters, accounts or regions.
pub(super) fn instance_id<'a>(api: &Api, cluster: &str, identifier: &'a str) -> Option<&'a str> {
    parse_instance_identifier(&api.control.scope, cluster, identifier)
}

fn parse_instance_identifier<'a>(
    scope: &Scope,
    cluster: &str,
    identifier: &'a str,
) -> Option<&'a str> {
    let id = match Arn::parse(identifier) {
        Some(arn) => {
            if arn.service != "ecs" || !arn.is_in(scope) {
                return None;
            }
            match arn.resource_type() {
                ("container-instance", rest) => match rest.split_once('/') {
                    Some((arn_cluster, id)) if arn_cluster == cluster => id,
                    Some(_) => return None,
                    None => rest,
                },
                _ => return None,
            }
        }
        None => identifier,
    };
    is_instance_id(id).then_some(id)
}

/// Instance ids are 32 hex digits; legacy UUIDs add hyphens.
fn is_instance_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The ARN a failure reports for an identifier that matched nothing.
fn failure(api: &Api, cluster: &str, identifier: &str, reason: &str) -> wire::Failure {
    let arn = if identifier.starts_with("arn:") {
        identifier.to_owned()
    } else {
        api.control
            .scope
            .container_instance_arn(cluster, identifier)
    };
    wire::Failure {
        arn: Some(arn),
        reason: Some(reason.to_owned()),
        detail: None,
    }
}

fn required_identifiers(
    identifiers: Option<Vec<String>>,
    max: usize,
) -> Result<Vec<String>, EcsError> {
    let identifiers = identifiers.unwrap_or_default();
    if identifiers.is_empty() {
        return Err(EcsError::InvalidParameter(
            "containerInstances must contain at least one container instance.".to_owned(),
        ));
    }
    if identifiers.len() > max {
        return Err(EcsError::InvalidParameter(format!(
            "containerInstances can have at most {max} items."
        )));
    }
    Ok(identifiers)
}

/// The instance a re-registration names, which must still be registered:
/// ECS treats deregistration as final, so an agent holding the ARN of a
/// deregistered instance is refused and must register afresh.
async fn previous_registration(
    api: &Api,
    cluster: &str,
    arn: &str,
) -> Result<ContainerInstance, EcsError> {
    let id = instance_id(api, cluster, arn).ok_or_else(|| {
        EcsError::InvalidParameter(format!(
            "containerInstanceArn '{}' does not name a container instance of cluster {cluster}.",
            truncated(arn, 256)
        ))
    })?;
    match api.control.state.instances.get(cluster, id).await? {
        Some(record) if record.value.is_registered() => Ok(record.value),
        Some(_) => Err(EcsError::Client(format!(
            "Container instance {id} is inactive."
        ))),
        None => Err(instance_not_found(arn)),
    }
}

/// The attributes a registration carries, validated, with the built-in ones
/// the identity document implies when the agent did not send them. A name
/// given twice keeps its last value.
fn registration_attributes(
    given: Vec<wire::Attribute>,
    identity: &Option<IdentityDocument>,
) -> Result<Vec<Attribute>, EcsError> {
    let mut attributes: Vec<Attribute> = Vec::with_capacity(given.len() + 3);
    for attribute in given {
        let Some(name) = attribute.name else {
            return Err(EcsError::InvalidParameter(
                "Every attribute must have a name.".to_owned(),
            ));
        };
        let attribute = Attribute {
            name,
            value: attribute.value,
        };
        validate_attribute(&attribute).map_err(EcsError::InvalidParameter)?;
        attributes.retain(|a| a.name != attribute.name);
        attributes.push(attribute);
    }
    if let Some(identity) = identity {
        for implied in identity.builtin_attributes() {
            if !attributes.iter().any(|a| a.name == implied.name) {
                attributes.push(implied);
            }
        }
    }
    let n_custom = attributes
        .iter()
        .filter(|a| !is_builtin_attribute(&a.name))
        .count();
    if n_custom > MAX_CUSTOM_ATTRIBUTES {
        return Err(EcsError::InvalidParameter(format!(
            "A container instance can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes; {n_custom} were given."
        )));
    }
    attributes.sort();
    Ok(attributes)
}

/// A host id for a registration without an identity document, shaped like
/// an EC2 instance id.
fn generated_host_id() -> String {
    let id = berth_control::new_id();
    format!("i-{}", &id[..17])
}

/// The running and pending task counts of one instance, from its cluster's
/// view rather than every task on it; like ECS's, they may trail the
/// latest reports by a moment.
async fn task_counts(api: &Api, instance: &ContainerInstance) -> Result<ShownTaskCounts, EcsError> {
    if !instance.is_registered() {
        return Ok(ShownTaskCounts::default());
    }
    let Some(view) = api.control.views.get(&instance.cluster).await? else {
        return Ok(ShownTaskCounts::default());
    };
    Ok(view.read(|data| {
        data.counts
            .get(instance.id.as_str())
            .map(ShownTaskCounts::from)
            .unwrap_or_default()
    }))
}

fn instance_not_found(identifier: &str) -> EcsError {
    EcsError::Client(format!(
        "The referenced container instance {} was not found.",
        truncated(identifier, 256)
    ))
}

/// The ECS exception for a failed domain operation.
pub(super) fn control_error(error: ControlError) -> EcsError {
    match error {
        ControlError::ClusterNotFound => EcsError::ClusterNotFound,
        ControlError::Client(message) | ControlError::InstanceNotFound(message) => {
            EcsError::Client(message)
        }
        ControlError::InvalidParameter(message) => EcsError::InvalidParameter(message),
        ControlError::TaskNotFound => {
            EcsError::Client("The referenced task was not found.".to_owned())
        }
        ControlError::Conflict { message, .. } => {
            EcsError::Aws(AwsError::client("ConflictException", message))
        }
        ControlError::State(error) => EcsError::State(error),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use berth_model::container_instance::Resources;

    use super::*;

    fn instance(
        id: &str,
        status: InstanceStatus,
        attributes: &[(&str, &str)],
    ) -> ContainerInstance {
        ContainerInstance {
            id: id.to_owned(),
            cluster: "web".to_owned(),
            host_id: format!("i-{id}"),
            status,
            agent_connected: true,
            registered: Resources::default(),
            remaining: Resources::default(),
            attributes: attributes
                .iter()
                .map(|(name, value)| Attribute {
                    name: (*name).to_owned(),
                    value: Some((*value).to_owned()),
                })
                .collect(),
            agent_version: "1.80.0".to_owned(),
            docker_version: "24.0.0".to_owned(),
            registered_at_ms: 1_700_000_000_000,
            tags: Vec::new(),
            version: 1,
        }
    }

    fn fleet() -> Vec<ContainerInstance> {
        vec![
            instance(
                "a1",
                InstanceStatus::Active,
                &[("ecs.availability-zone", "a"), ("stack", "prod")],
            ),
            instance(
                "b2",
                InstanceStatus::Draining,
                &[("ecs.availability-zone", "b"), ("stack", "dev")],
            ),
            instance(
                "c3",
                InstanceStatus::Active,
                &[("ecs.availability-zone", "c")],
            ),
        ]
    }

    fn listed_ids(
        instances: &[ContainerInstance],
        status: Option<&str>,
        filter: &str,
    ) -> Vec<String> {
        let expression = Expression::parse(filter).expect("parses");
        instances
            .iter()
            .filter(|instance| listed(instance, status, Some(&expression), None))
            .map(|instance| instance.id.clone())
            .collect()
    }

    #[test]
    fn filters_select_instances_through_the_snapshot() {
        let check = |filter: &str, expected: &[&str]| {
            assert_eq!(listed_ids(&fleet(), None, filter), expected, "{filter}");
        };
        check("attribute:stack == prod", &["a1"]);
        check("attribute:ecs.availability-zone in [a, b]", &["a1", "b2"]);
        check("attribute:stack exists", &["a1", "b2"]);
        check("not(attribute:stack exists)", &["c3"]);
        check("ec2InstanceId =~ i-a.*", &["a1"]);
        check("ec2InstanceId in [i-a1, i-b2]", &["a1", "b2"]);
        check("runningTasksCount == 0", &["a1", "b2", "c3"]);
        check(
            "agentVersion >= 1.70.0 and attribute:stack != prod",
            &["b2", "c3"],
        );
        assert_eq!(
            listed_ids(&fleet(), Some("DRAINING"), "attribute:stack exists"),
            ["b2"]
        );
    }

    #[test]
    fn inactive_instances_never_match() {
        let mut instances = fleet();
        instances[0].status = InstanceStatus::Inactive;
        assert!(listed_ids(&instances, None, "attribute:stack == prod").is_empty());
        assert!(listed_ids(&instances, Some("INACTIVE"), "attribute:stack == prod").is_empty());
        assert!(listed(&instances[0], Some("INACTIVE"), None, None));
        assert!(!listed(&instances[0], None, None, None));
    }

    #[test]
    fn task_counts_decide_dynamic_filters() {
        let expression = Expression::parse("runningTasksCount > 1").expect("parses");
        let running = |n| berth_control::view::TaskCounts {
            groups: BTreeMap::from([("family:web".into(), n)]),
            meant_to_run: n,
            pending: 0,
        };
        let counts = HashMap::from([("a1".to_owned(), running(2)), ("b2".to_owned(), running(1))]);
        let ids: Vec<String> = fleet()
            .into_iter()
            .filter(|instance| {
                let counts = counts.get(instance.id.as_str());
                listed(instance, None, Some(&expression), counts)
            })
            .map(|instance| instance.id)
            .collect();
        assert_eq!(ids, ["a1"]);
    }

    #[test]
    fn registration_attributes_are_checked_and_completed() {
        let attribute = |name: &str, value: &str| wire::Attribute {
            name: Some(name.to_owned()),
            value: Some(value.to_owned()),
            ..Default::default()
        };
        let identity = Some(IdentityDocument {
            instance_id: "i-1".to_owned(),
            availability_zone: Some("us-east-1a".to_owned()),
            ..IdentityDocument::default()
        });
        let attributes = registration_attributes(
            vec![
                attribute("stack", "dev"),
                attribute("stack", "prod"),
                attribute("ecs.os-type", "linux"),
            ],
            &identity,
        )
        .expect("valid");
        let pairs: Vec<_> = attributes
            .iter()
            .map(|a| (a.name.as_str(), a.value.as_deref()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("ecs.availability-zone", Some("us-east-1a")),
                ("ecs.os-type", Some("linux")),
                ("stack", Some("prod")),
            ]
        );
        let too_many: Vec<_> = (0..11)
            .map(|n| attribute(&format!("custom{n}"), "x"))
            .collect();
        assert!(registration_attributes(too_many, &None).is_err());
        assert!(registration_attributes(vec![attribute("bad name", "x")], &None).is_err());
    }

    #[test]
    fn instance_identifiers_are_ids_or_arns_of_the_cluster() {
        let scope = Scope::new("us-east-1", "000000000000");
        let check = |identifier: &str, expected: Option<&str>| {
            assert_eq!(
                parse_instance_identifier(&scope, "web", identifier),
                expected,
                "{identifier}"
            );
        };
        let id = "0123456789abcdef0123456789abcdef";
        check(id, Some(id));
        check(
            &format!("arn:aws:ecs:us-east-1:000000000000:container-instance/web/{id}"),
            Some(id),
        );
        check(
            "arn:aws:ecs:us-east-1:000000000000:container-instance/1c3be8ed-df30-47b4-8f1e-6e68ebd01f34",
            Some("1c3be8ed-df30-47b4-8f1e-6e68ebd01f34"),
        );
        check(
            &format!("arn:aws:ecs:us-east-1:000000000000:container-instance/batch/{id}"),
            None,
        );
        check(
            &format!("arn:aws:ecs:eu-west-1:000000000000:container-instance/web/{id}"),
            None,
        );
        check(
            &format!("arn:aws:ecs:us-east-1:000000000000:task/web/{id}"),
            None,
        );
        check("web/abc", None);
        check("", None);
        check(&"a".repeat(65), None);
    }

    #[test]
    fn generated_host_ids_look_like_ec2_ids() {
        let id = generated_host_id();
        assert_eq!(id.len(), 19);
        assert!(id.starts_with("i-"));
    }
}
