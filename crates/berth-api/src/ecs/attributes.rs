//! PutAttributes, DeleteAttributes and ListAttributes: custom attributes on
//! container instances (the only target type ECS has), written atomically
//! across every instance one call names.

use std::collections::BTreeMap;

use berth_model::container_instance::{
    Attribute, ContainerInstance, MAX_CUSTOM_ATTRIBUTES, is_builtin_attribute, validate_attribute,
};
use berth_state::{MAX_CAS_ATTEMPTS, StateError};
use berth_store::Txn;

use super::container_instances::{active_cluster, instance_id};
use super::pagination::{decode_token, encode_token, page_size};
use super::{EcsError, wire};
use crate::Api;
use crate::error::{AwsError, truncated};

/// Most attributes one Put/DeleteAttributes call may carry.
const MAX_ATTRIBUTES_PER_CALL: usize = 10;
/// The one target type ECS attributes apply to.
const TARGET_TYPE: &str = "container-instance";

/// One attribute of a request, with the instance its target resolved to.
struct Change {
    instance_id: String,
    /// The `targetId` as the caller wrote it, echoed in answers and errors.
    target_id: String,
    attribute: Attribute,
}

pub async fn put_attributes(
    api: &Api,
    input: wire::PutAttributesRequest,
) -> Result<wire::PutAttributesResponse, EcsError> {
    let given = required_attributes(input.attributes)?;
    for attribute in &given {
        let parsed = custom_attribute(attribute)?;
        validate_attribute(&parsed).map_err(EcsError::InvalidParameter)?;
    }
    let cluster = active_cluster(api, input.cluster.as_deref()).await?;
    let changes = resolve_targets(api, &cluster, &given)?;
    update_instances(api, &cluster, &changes, |instance, change| {
        let attributes = &mut instance.attributes;
        match attributes
            .iter_mut()
            .find(|a| a.name == change.attribute.name)
        {
            Some(existing) => existing.value.clone_from(&change.attribute.value),
            None => {
                attributes.push(change.attribute.clone());
                attributes.sort();
            }
        }
        let n_custom = attributes
            .iter()
            .filter(|a| !is_builtin_attribute(&a.name))
            .count();
        if n_custom > MAX_CUSTOM_ATTRIBUTES {
            return Err(EcsError::Aws(AwsError::client(
                "AttributeLimitExceededException",
                format!(
                    "Container instance {} would have {n_custom} custom attributes; the limit is {MAX_CUSTOM_ATTRIBUTES}.",
                    truncated(&change.target_id, 256)
                ),
            )));
        }
        Ok(())
    })
    .await?;
    Ok(wire::PutAttributesResponse {
        attributes: Some(given),
    })
}

pub async fn delete_attributes(
    api: &Api,
    input: wire::DeleteAttributesRequest,
) -> Result<wire::DeleteAttributesResponse, EcsError> {
    let given = required_attributes(input.attributes)?;
    for attribute in &given {
        custom_attribute(attribute)?;
    }
    let cluster = active_cluster(api, input.cluster.as_deref()).await?;
    let changes = resolve_targets(api, &cluster, &given)?;
    let before = update_instances(api, &cluster, &changes, |instance, change| {
        instance
            .attributes
            .retain(|a| a.name != change.attribute.name);
        Ok(())
    })
    .await?;
    // Like ECS, answer with each deleted attribute as it was.
    let deleted = given
        .into_iter()
        .zip(&changes)
        .map(|(mut attribute, change)| {
            attribute.value = before.get(&change.instance_id).and_then(|instance| {
                instance
                    .attributes
                    .iter()
                    .find(|a| a.name == change.attribute.name)
                    .and_then(|a| a.value.clone())
            });
            attribute
        })
        .collect();
    Ok(wire::DeleteAttributesResponse {
        attributes: Some(deleted),
    })
}

pub async fn list_attributes(
    api: &Api,
    input: wire::ListAttributesRequest,
) -> Result<wire::ListAttributesResponse, EcsError> {
    const OPERATION: &str = "ListAttributes";
    match input.target_type.as_deref() {
        Some(TARGET_TYPE) => {}
        Some(other) => return Err(invalid_target_type(other)),
        None => {
            return Err(EcsError::InvalidParameter(
                "targetType must be specified.".to_owned(),
            ));
        }
    }
    if input.attribute_value.is_some() && input.attribute_name.is_none() {
        return Err(EcsError::InvalidParameter(
            "attributeName must be specified with attributeValue.".to_owned(),
        ));
    }
    let limit = page_size(input.max_results, 100, 100)?;
    let after = match input.next_token.as_deref() {
        Some(token) => Some(decode_token(OPERATION, token)?),
        None => None,
    };
    let cluster = active_cluster(api, input.cluster.as_deref()).await?;
    let instances = api.control.state.instances.all(&cluster).await?;
    let filter = AttributeFilter {
        name: input.attribute_name.as_deref(),
        value: input.attribute_value.as_deref(),
    };
    let (page, next_after) = list_page(&instances, &filter, after.as_deref(), limit);
    Ok(wire::ListAttributesResponse {
        attributes: Some(
            page.into_iter()
                .map(|(instance, attribute)| wire::Attribute {
                    name: Some(attribute.name.clone()),
                    value: attribute.value.clone(),
                    target_type: None,
                    target_id: Some(
                        api.control
                            .scope
                            .container_instance_arn(&cluster, &instance.id),
                    ),
                })
                .collect(),
        ),
        next_token: next_after.map(|after| encode_token(OPERATION, &after)),
    })
}

/// Which attributes ListAttributes returns.
struct AttributeFilter<'a> {
    name: Option<&'a str>,
    value: Option<&'a str>,
}

impl AttributeFilter<'_> {
    fn accepts(&self, attribute: &Attribute) -> bool {
        self.name.is_none_or(|name| attribute.name == name)
            && self
                .value
                .is_none_or(|value| attribute.value.as_deref() == Some(value))
    }
}

/// One page of the attributes of registered `instances` (in id order, each
/// sorted by name) after the position `after` (`<instance id>/<name>`),
/// and the position to continue from when more remain.
fn list_page<'a>(
    instances: &'a [ContainerInstance],
    filter: &AttributeFilter<'_>,
    after: Option<&str>,
    limit: usize,
) -> (Vec<(&'a ContainerInstance, &'a Attribute)>, Option<String>) {
    // Neither ids nor attribute names contain '/', so the split is exact.
    let after = after.map(|position| position.split_once('/').unwrap_or((position, "")));
    let mut rest = instances
        .iter()
        .filter(|instance| instance.is_registered())
        .flat_map(|instance| {
            instance
                .attributes
                .iter()
                .map(move |attribute| (instance, attribute))
        })
        .filter(|(instance, attribute)| {
            filter.accepts(attribute)
                && after.is_none_or(|after| (instance.id.as_str(), attribute.name.as_str()) > after)
        });
    let page: Vec<_> = rest.by_ref().take(limit).collect();
    let next = match rest.next() {
        Some(_) => page
            .last()
            .map(|(instance, attribute)| format!("{}/{}", instance.id, attribute.name)),
        None => None,
    };
    (page, next)
}

fn required_attributes(
    attributes: Option<Vec<wire::Attribute>>,
) -> Result<Vec<wire::Attribute>, EcsError> {
    let attributes = attributes.unwrap_or_default();
    if attributes.is_empty() {
        return Err(EcsError::InvalidParameter(
            "attributes must contain at least one attribute.".to_owned(),
        ));
    }
    if attributes.len() > MAX_ATTRIBUTES_PER_CALL {
        return Err(EcsError::InvalidParameter(format!(
            "attributes can have at most {MAX_ATTRIBUTES_PER_CALL} items."
        )));
    }
    Ok(attributes)
}

/// The attribute a request names, which must be a custom one: built-in and
/// capability attributes belong to the agent and its registration.
fn custom_attribute(attribute: &wire::Attribute) -> Result<Attribute, EcsError> {
    let Some(name) = attribute.name.clone() else {
        return Err(EcsError::InvalidParameter(
            "Every attribute must have a name.".to_owned(),
        ));
    };
    if is_builtin_attribute(&name) {
        return Err(EcsError::InvalidParameter(format!(
            "Attribute {} is reserved: names starting with 'ecs.' or 'com.amazonaws.ecs.' are set by the container agent.",
            truncated(&name, 128)
        )));
    }
    match attribute.target_type.as_deref() {
        None | Some(TARGET_TYPE) => {}
        Some(other) => return Err(invalid_target_type(other)),
    }
    match attribute.target_id.as_deref() {
        None | Some("") => {
            return Err(EcsError::InvalidParameter(format!(
                "Attribute {} must have a targetId.",
                truncated(&name, 128)
            )));
        }
        Some(target) if !target.starts_with("arn:") && attribute.target_type.is_none() => {
            return Err(EcsError::InvalidParameter(format!(
                "targetType must be specified when targetId '{}' is not an ARN.",
                truncated(target, 256)
            )));
        }
        Some(_) => {}
    }
    Ok(Attribute {
        name,
        value: attribute.value.clone(),
    })
}

/// Each attribute with the instance its target names, in request order.
fn resolve_targets(
    api: &Api,
    cluster: &str,
    given: &[wire::Attribute],
) -> Result<Vec<Change>, EcsError> {
    given
        .iter()
        .map(|attribute| {
            let target_id = attribute.target_id.clone().unwrap_or_default();
            let instance_id = instance_id(api, cluster, &target_id)
                .ok_or_else(|| target_not_found(&target_id))?
                .to_owned();
            Ok(Change {
                instance_id,
                target_id,
                attribute: custom_attribute(attribute)?,
            })
        })
        .collect()
}

/// Applies `change` for every change to its instance and writes all the
/// instances in one transaction, so a call takes effect wholly or not at
/// all. Returns the instances as they were before.
async fn update_instances(
    api: &Api,
    cluster: &str,
    changes: &[Change],
    mut change: impl FnMut(&mut ContainerInstance, &Change) -> Result<(), EcsError>,
) -> Result<BTreeMap<String, ContainerInstance>, EcsError> {
    for _ in 0..MAX_CAS_ATTEMPTS {
        let mut before = BTreeMap::new();
        let mut revisions = BTreeMap::new();
        for item in changes {
            if before.contains_key(&item.instance_id) {
                continue;
            }
            let record = api
                .control
                .state
                .instances
                .get(cluster, &item.instance_id)
                .await?
                .filter(|record| record.value.is_registered())
                .ok_or_else(|| target_not_found(&item.target_id))?;
            revisions.insert(item.instance_id.clone(), record.stamp);
            before.insert(item.instance_id.clone(), record.value);
        }
        let mut after = before.clone();
        for item in changes {
            if let Some(instance) = after.get_mut(&item.instance_id) {
                change(instance, item)?;
            }
        }
        let mut txn = Txn::default();
        for (id, instance) in &mut after {
            if before.get(id) == Some(&*instance) {
                continue;
            }
            instance.version += 1;
            let stamp = revisions.get(id).copied().unwrap_or_default();
            txn.compares.extend(stamp.whole_unchanged(cluster, id));
            txn.ops.extend(stamp.write_whole(cluster, instance));
        }
        let committed = api
            .control
            .state
            .kv
            .txn(txn)
            .await
            .map_err(StateError::from)?;
        if committed.succeeded {
            for (id, instance) in &after {
                if before.get(id) != Some(instance) {
                    api.control
                        .record_instance(cluster, instance, committed.revision);
                }
            }
            return Ok(before);
        }
    }
    Err(StateError::Contention {
        key: format!("container instances of {cluster}"),
    }
    .into())
}

fn target_not_found(target_id: &str) -> EcsError {
    EcsError::Aws(AwsError::client(
        "TargetNotFoundException",
        format!(
            "Could not find {}. Check the targetId and the cluster and try again.",
            truncated(target_id, 256)
        ),
    ))
}

fn invalid_target_type(target_type: &str) -> EcsError {
    EcsError::InvalidParameter(format!(
        "Invalid targetType: {}. The only valid value is {TARGET_TYPE}.",
        truncated(target_type, 64)
    ))
}

#[cfg(test)]
mod tests {
    use berth_model::container_instance::{InstanceStatus, Resources};

    use super::*;

    fn instance(
        id: &str,
        status: InstanceStatus,
        attributes: &[(&str, Option<&str>)],
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
                    value: value.map(str::to_owned),
                })
                .collect(),
            agent_version: String::new(),
            docker_version: String::new(),
            registered_at_ms: 0,
            tags: Vec::new(),
            version: 1,
        }
    }

    fn fleet() -> Vec<ContainerInstance> {
        vec![
            instance(
                "a",
                InstanceStatus::Active,
                &[
                    ("ecs.capability.x", None),
                    ("ecs.os-type", Some("linux")),
                    ("stack", Some("prod")),
                ],
            ),
            instance("b", InstanceStatus::Inactive, &[("stack", Some("prod"))]),
            instance(
                "c",
                InstanceStatus::Draining,
                &[("ecs.os-type", Some("linux")), ("stack", Some("dev"))],
            ),
        ]
    }

    fn check(
        name: Option<&str>,
        value: Option<&str>,
        after: Option<&str>,
        limit: usize,
        expected: &[&str],
        expected_next: Option<&str>,
    ) {
        let instances = fleet();
        let filter = AttributeFilter { name, value };
        let (page, next) = list_page(&instances, &filter, after, limit);
        let listed: Vec<String> = page
            .iter()
            .map(|(instance, attribute)| format!("{}/{}", instance.id, attribute.name))
            .collect();
        assert_eq!(listed, expected, "{name:?} {value:?} {after:?}");
        assert_eq!(next.as_deref(), expected_next);
    }

    #[test]
    fn attributes_are_listed_by_instance_then_name() {
        check(
            None,
            None,
            None,
            100,
            &[
                "a/ecs.capability.x",
                "a/ecs.os-type",
                "a/stack",
                "c/ecs.os-type",
                "c/stack",
            ],
            None,
        );
        check(
            Some("stack"),
            None,
            None,
            100,
            &["a/stack", "c/stack"],
            None,
        );
        check(Some("stack"), Some("prod"), None, 100, &["a/stack"], None);
        check(
            Some("ecs.os-type"),
            Some("linux"),
            None,
            100,
            &["a/ecs.os-type", "c/ecs.os-type"],
            None,
        );
        check(Some("missing"), None, None, 100, &[], None);
        check(
            None,
            None,
            None,
            2,
            &["a/ecs.capability.x", "a/ecs.os-type"],
            Some("a/ecs.os-type"),
        );
        check(
            None,
            None,
            Some("a/ecs.os-type"),
            2,
            &["a/stack", "c/ecs.os-type"],
            Some("c/ecs.os-type"),
        );
        check(None, None, Some("c/ecs.os-type"), 2, &["c/stack"], None);
        // A page that ends exactly at the last attribute has no successor.
        check(Some("stack"), None, None, 2, &["a/stack", "c/stack"], None);
    }

    #[test]
    fn request_attributes_must_be_custom_and_targeted() {
        let attribute = |name: Option<&str>, target_type: Option<&str>, target_id: Option<&str>| {
            wire::Attribute {
                name: name.map(str::to_owned),
                value: Some("v".to_owned()),
                target_type: target_type.map(str::to_owned),
                target_id: target_id.map(str::to_owned),
            }
        };
        let arn = "arn:aws:ecs:us-east-1:000000000000:container-instance/web/abc";
        let cases = [
            (attribute(Some("stack"), None, Some(arn)), None),
            (
                attribute(Some("stack"), Some(TARGET_TYPE), Some("abc")),
                None,
            ),
            (attribute(None, None, Some(arn)), Some("must have a name")),
            (
                attribute(Some("ecs.os-type"), None, Some(arn)),
                Some("reserved"),
            ),
            (
                attribute(Some("com.amazonaws.ecs.capability.x"), None, Some(arn)),
                Some("reserved"),
            ),
            (
                attribute(Some("stack"), Some("service"), Some(arn)),
                Some("Invalid targetType"),
            ),
            (
                attribute(Some("stack"), None, None),
                Some("must have a targetId"),
            ),
            (
                attribute(Some("stack"), None, Some("abc")),
                Some("targetType must be specified"),
            ),
        ];
        for (input, expected) in cases {
            match (custom_attribute(&input), expected) {
                (Ok(_), None) => {}
                (Err(error), Some(fragment)) => {
                    assert!(error.to_string().contains(fragment), "{error}")
                }
                (result, expected) => panic!("{input:?}: got {result:?}, want {expected:?}"),
            }
        }
    }
}
