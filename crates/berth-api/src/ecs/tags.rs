//! TagResource, UntagResource and ListTagsForResource over every taggable
//! ECS resource, and the tag wire conversions.

use berth_model::arn::Arn;
use berth_model::cluster::ClusterStatus;
use berth_model::tag::{Tag, merge_tags, validate_tag_key, validate_tags};

use super::{EcsError, wire};
use crate::Api;

/// Most keys one UntagResource call may name.
const MAX_TAG_KEYS: usize = 50;

/// A resource the tag operations can address.
enum Taggable<'a> {
    Cluster(&'a str),
    TaskDefinition { family: &'a str, revision: u32 },
    ContainerInstance { cluster: &'a str, id: &'a str },
}

pub async fn tag_resource(
    api: &Api,
    input: wire::TagResourceRequest,
) -> Result<wire::TagResourceResponse, EcsError> {
    let arn = input.resource_arn.unwrap_or_default();
    let Some(new_tags) = input.tags else {
        return Err(EcsError::InvalidParameter(
            "tags must be specified.".to_owned(),
        ));
    };
    let new_tags = tags_from_wire(new_tags)?;
    validate_tags(&new_tags)?;
    update_tags(api, &arn, |tags| {
        merge_tags(tags, new_tags.clone());
        validate_tags(tags).map_err(EcsError::from)
    })
    .await?;
    Ok(wire::TagResourceResponse {})
}

pub async fn untag_resource(
    api: &Api,
    input: wire::UntagResourceRequest,
) -> Result<wire::UntagResourceResponse, EcsError> {
    let arn = input.resource_arn.unwrap_or_default();
    let Some(keys) = input.tag_keys else {
        return Err(EcsError::InvalidParameter(
            "tagKeys must be specified.".to_owned(),
        ));
    };
    if keys.len() > MAX_TAG_KEYS {
        return Err(EcsError::InvalidParameter(format!(
            "tagKeys can have at most {MAX_TAG_KEYS} items."
        )));
    }
    for key in &keys {
        validate_tag_key(key)?;
    }
    update_tags(api, &arn, |tags| {
        tags.retain(|tag| !keys.contains(&tag.key));
        Ok(())
    })
    .await?;
    Ok(wire::UntagResourceResponse {})
}

pub async fn list_tags_for_resource(
    api: &Api,
    input: wire::ListTagsForResourceRequest,
) -> Result<wire::ListTagsForResourceResponse, EcsError> {
    let arn = input.resource_arn.unwrap_or_default();
    let tags = match parse_taggable(api, &arn)? {
        Taggable::Cluster(name) => {
            api.control
                .state
                .clusters
                .get_active(name)
                .await?
                .ok_or(EcsError::ClusterNotFound)?
                .tags
        }
        Taggable::TaskDefinition { family, revision } => {
            api.control
                .state
                .task_definitions
                .get(family, revision)
                .await?
                .ok_or_else(task_definition_not_found)?
                .tags
        }
        Taggable::ContainerInstance { cluster, id } => {
            api.control
                .state
                .instances
                .get(cluster, id)
                .await?
                .ok_or_else(resource_not_found)?
                .value
                .tags
        }
    };
    Ok(wire::ListTagsForResourceResponse {
        tags: Some(tags_to_wire(&tags)),
    })
}

/// Applies `change` to the tags of the resource `arn` names, atomically.
async fn update_tags(
    api: &Api,
    arn: &str,
    mut change: impl FnMut(&mut Vec<Tag>) -> Result<(), EcsError>,
) -> Result<(), EcsError> {
    match parse_taggable(api, arn)? {
        Taggable::Cluster(name) => {
            api.control
                .state
                .clusters
                .modify(name, |current| {
                    let mut cluster = current
                        .filter(|c| c.status == ClusterStatus::Active)
                        .ok_or(EcsError::ClusterNotFound)?;
                    change(&mut cluster.tags)?;
                    Ok::<_, EcsError>(cluster)
                })
                .await?;
        }
        Taggable::TaskDefinition { family, revision } => {
            api.control
                .state
                .task_definitions
                .change_status(family, revision, |current| {
                    let mut definition = current.ok_or_else(task_definition_not_found)?;
                    change(&mut definition.tags)?;
                    Ok::<_, EcsError>(definition)
                })
                .await?;
        }
        Taggable::ContainerInstance { cluster, id } => {
            let written = api
                .control
                .state
                .instances
                .modify(cluster, id, |current| {
                    let mut instance = current.ok_or_else(resource_not_found)?;
                    change(&mut instance.tags)?;
                    instance.version += 1;
                    Ok::<_, EcsError>(instance)
                })
                .await?;
            api.control
                .record_instance(cluster, &written.value, written.mod_revision);
        }
    }
    Ok(())
}

fn parse_taggable<'a>(api: &Api, arn: &'a str) -> Result<Taggable<'a>, EcsError> {
    let invalid = || {
        EcsError::InvalidParameter(format!(
            "Invalid resource ARN: '{}'. Specify the full ARN of an ECS resource.",
            crate::error::truncated(arn, 256)
        ))
    };
    if arn.is_empty() {
        return Err(EcsError::InvalidParameter(
            "resourceArn must be specified.".to_owned(),
        ));
    }
    let parsed = Arn::parse(arn).ok_or_else(invalid)?;
    if parsed.service != "ecs" {
        return Err(invalid());
    }
    if !parsed.is_in(&api.control.scope) {
        return Err(resource_not_found());
    }
    match parsed.resource_type() {
        ("cluster", name) if berth_model::names::is_valid_name(name) => Ok(Taggable::Cluster(name)),
        ("task-definition", family_revision) => {
            let (family, revision) = family_revision.rsplit_once(':').ok_or_else(invalid)?;
            let revision = revision.parse().map_err(|_| invalid())?;
            Ok(Taggable::TaskDefinition { family, revision })
        }
        // Only the long form, which names the cluster, can be tagged.
        ("container-instance", cluster_id) => match cluster_id.split_once('/') {
            Some((cluster, id)) if berth_model::names::is_valid_name(cluster) && !id.is_empty() => {
                Ok(Taggable::ContainerInstance { cluster, id })
            }
            _ => Err(invalid()),
        },
        ("task" | "service" | "capacity-provider" | "task-set", _) => Err(resource_not_found()),
        _ => Err(invalid()),
    }
}

fn resource_not_found() -> EcsError {
    EcsError::ResourceNotFound("The specified resource could not be found.".to_owned())
}

fn task_definition_not_found() -> EcsError {
    EcsError::Client("Unable to describe task definition.".to_owned())
}

/// Tags from the wire; a key or value left out is an error, as in ECS.
pub fn tags_from_wire(tags: Vec<wire::Tag>) -> Result<Vec<Tag>, EcsError> {
    tags.into_iter()
        .map(|tag| match (tag.key, tag.value) {
            (Some(key), value) => Ok(Tag {
                key,
                value: value.unwrap_or_default(),
            }),
            (None, _) => Err(EcsError::InvalidParameter(
                "Tag keys must be specified.".to_owned(),
            )),
        })
        .collect()
}

/// Tags for the wire.
pub fn tags_to_wire(tags: &[Tag]) -> Vec<wire::Tag> {
    tags.iter()
        .map(|tag| wire::Tag {
            key: Some(tag.key.clone()),
            value: Some(tag.value.clone()),
        })
        .collect()
}
