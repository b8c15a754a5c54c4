//! RegisterTaskDefinition, DescribeTaskDefinition, ListTaskDefinitions,
//! ListTaskDefinitionFamilies, DeregisterTaskDefinition and
//! DeleteTaskDefinitions.

use berth_model::arn::Arn;
use berth_model::tag::validate_tags;
use berth_model::task_definition::{Registration, TaskDefinition, TaskDefinitionStatus};
use berth_model::validation::{ValidationError, ValidationErrorKind};
use berth_state::{RegisterError, RevisionKey, TaskDefinitionRecord};

use super::convert::task_definition::{spec_from_register_request, task_definition_to_wire};
use super::pagination::{decode_token, encode_token, page_size};
use super::tags::{tags_from_wire, tags_to_wire};
use super::{EcsError, wire};
use crate::Api;

/// Most revisions one DeleteTaskDefinitions call may name.
const MAX_DELETE: usize = 10;

pub async fn register_task_definition(
    api: &Api,
    input: wire::RegisterTaskDefinitionRequest,
    document_bytes: usize,
) -> Result<wire::RegisterTaskDefinitionResponse, EcsError> {
    let tags = tags_from_wire(input.tags.clone().unwrap_or_default())?;
    validate_tags(&tags)?;
    let spec = spec_from_register_request(input).map_err(validation)?;
    let family = spec.family.clone();
    let now = api.control.clock.now_millis();
    let record = api
        .control
        .state
        .task_definitions
        .register(&family, |revision| {
            let definition = TaskDefinition::register(
                spec.clone(),
                Registration {
                    revision,
                    registered_at_ms: now,
                    registered_by: None,
                    document_bytes,
                },
            )
            .map_err(validation)?;
            Ok::<_, EcsError>(TaskDefinitionRecord {
                definition,
                tags: tags.clone(),
            })
        })
        .await?;
    Ok(wire::RegisterTaskDefinitionResponse {
        task_definition: Some(task_definition_to_wire(
            &record.definition,
            &api.control.scope,
        )),
        tags: Some(tags_to_wire(&record.tags)),
    })
}

pub async fn describe_task_definition(
    api: &Api,
    input: wire::DescribeTaskDefinitionRequest,
) -> Result<wire::DescribeTaskDefinitionResponse, EcsError> {
    let include_tags = parse_include_tags(input.include.as_deref())?;
    let reference = input.task_definition.unwrap_or_default();
    let record = match parse_reference(api, &reference)? {
        (family, Some(revision)) => {
            api.control
                .state
                .task_definitions
                .get(family, revision)
                .await?
        }
        (family, None) => {
            api.control
                .state
                .task_definitions
                .latest_active(family)
                .await?
        }
    }
    .ok_or_else(unable_to_describe)?;
    Ok(wire::DescribeTaskDefinitionResponse {
        task_definition: Some(task_definition_to_wire(
            &record.definition,
            &api.control.scope,
        )),
        tags: include_tags.then(|| tags_to_wire(&record.tags)),
    })
}

pub async fn list_task_definitions(
    api: &Api,
    input: wire::ListTaskDefinitionsRequest,
) -> Result<wire::ListTaskDefinitionsResponse, EcsError> {
    const OPERATION: &str = "ListTaskDefinitions";
    let limit = page_size(input.max_results, 100, 100)?;
    let status = match input.status.as_deref() {
        None | Some("ACTIVE") => TaskDefinitionStatus::Active,
        Some("INACTIVE") => TaskDefinitionStatus::Inactive,
        Some("DELETE_IN_PROGRESS") => TaskDefinitionStatus::DeleteInProgress,
        Some(other) => {
            return Err(invalid_enum(
                "status",
                other,
                "ACTIVE, INACTIVE, DELETE_IN_PROGRESS",
            ));
        }
    };
    let descending = match input.sort.as_deref() {
        None | Some("ASC") => false,
        Some("DESC") => true,
        Some(other) => return Err(invalid_enum("sort", other, "ASC, DESC")),
    };
    let family = input.family_prefix.as_deref().filter(|f| !f.is_empty());
    let after = match input.next_token.as_deref() {
        Some(token) => Some(parse_position(&decode_token(OPERATION, token)?)?),
        None => None,
    };
    let (keys, next) = api
        .control
        .state
        .task_definitions
        .list(status, family, descending, after.as_ref(), limit)
        .await?;
    Ok(wire::ListTaskDefinitionsResponse {
        task_definition_arns: Some(
            keys.iter()
                .map(|key| {
                    api.control
                        .scope
                        .task_definition_arn(&key.family, key.revision)
                })
                .collect(),
        ),
        next_token: next
            .map(|key| encode_token(OPERATION, &format!("{}:{}", key.family, key.revision))),
    })
}

pub async fn list_task_definition_families(
    api: &Api,
    input: wire::ListTaskDefinitionFamiliesRequest,
) -> Result<wire::ListTaskDefinitionFamiliesResponse, EcsError> {
    const OPERATION: &str = "ListTaskDefinitionFamilies";
    let limit = page_size(input.max_results, 100, 100)?;
    let wanted: fn(u32) -> bool = match input.status.as_deref() {
        None | Some("ALL") => |_| true,
        Some("ACTIVE") => |active| active > 0,
        Some("INACTIVE") => |active| active == 0,
        Some(other) => return Err(invalid_enum("status", other, "ACTIVE, INACTIVE, ALL")),
    };
    let prefix = input.family_prefix.unwrap_or_default();
    let after = match input.next_token.as_deref() {
        Some(token) => Some(decode_token(OPERATION, token)?),
        None => None,
    };
    let page = api
        .control
        .state
        .task_definitions
        .list_families(&prefix, after.as_deref(), limit, |family| {
            wanted(family.active_revisions)
        })
        .await?;
    Ok(wire::ListTaskDefinitionFamiliesResponse {
        families: Some(page.items.into_iter().map(|(family, _)| family).collect()),
        next_token: page.next_after.map(|after| encode_token(OPERATION, &after)),
    })
}

pub async fn deregister_task_definition(
    api: &Api,
    input: wire::DeregisterTaskDefinitionRequest,
) -> Result<wire::DeregisterTaskDefinitionResponse, EcsError> {
    let reference = input.task_definition.unwrap_or_default();
    let (family, revision) = parse_reference(api, &reference)?;
    let Some(revision) = revision else {
        return Err(EcsError::Client(
            "The specified task definition must include a revision (family:revision) or be a full ARN.".to_owned(),
        ));
    };
    let now = api.control.clock.now_millis();
    let record = api
        .control
        .state
        .task_definitions
        .change_status(family, revision, |current| {
            let mut record = current.ok_or_else(unable_to_describe)?;
            if record.definition.status == TaskDefinitionStatus::Active {
                record.definition.status = TaskDefinitionStatus::Inactive;
                record.definition.deregistered_at_ms = Some(now);
            }
            Ok::<_, EcsError>(record)
        })
        .await?;
    Ok(wire::DeregisterTaskDefinitionResponse {
        task_definition: Some(task_definition_to_wire(
            &record.definition,
            &api.control.scope,
        )),
    })
}

pub async fn delete_task_definitions(
    api: &Api,
    input: wire::DeleteTaskDefinitionsRequest,
) -> Result<wire::DeleteTaskDefinitionsResponse, EcsError> {
    let references = input.task_definitions.unwrap_or_default();
    if references.is_empty() || references.len() > MAX_DELETE {
        return Err(EcsError::InvalidParameter(format!(
            "taskDefinitions must contain between 1 and {MAX_DELETE} items."
        )));
    }
    let now = api.control.clock.now_millis();
    let mut deleted = Vec::new();
    let mut failures = Vec::new();
    for reference in &references {
        let failure = |reason: &str| wire::Failure {
            arn: Some(reference.clone()),
            reason: Some(reason.to_owned()),
            detail: None,
        };
        let (family, revision) = match parse_reference(api, reference) {
            Ok((family, Some(revision))) => (family, revision),
            Ok((_, None)) => {
                failures.push(failure(
                    "The specified task definition must include a revision.",
                ));
                continue;
            }
            Err(_) => {
                failures.push(failure("The specified task definition does not exist."));
                continue;
            }
        };
        let result = api
            .control
            .state
            .task_definitions
            .change_status(family, revision, |current| {
                let Some(mut record) = current else {
                    return Err(DeleteRefusal::Missing);
                };
                match record.definition.status {
                    TaskDefinitionStatus::Active => Err(DeleteRefusal::StillActive),
                    TaskDefinitionStatus::Inactive => {
                        record.definition.status = TaskDefinitionStatus::DeleteInProgress;
                        record.definition.delete_requested_at_ms = Some(now);
                        Ok(record)
                    }
                    TaskDefinitionStatus::DeleteInProgress => Ok(record),
                }
            })
            .await;
        match result {
            Ok(record) => deleted.push(task_definition_to_wire(&record.definition, &api.control.scope)),
            Err(DeleteRefusal::Missing) => {
                failures.push(failure("The specified task definition does not exist."))
            }
            Err(DeleteRefusal::StillActive) => failures.push(failure(
                "The specified task definition is still in ACTIVE status. Please deregister the target and try again.",
            )),
            Err(DeleteRefusal::State(error)) => return Err(error.into()),
        }
    }
    Ok(wire::DeleteTaskDefinitionsResponse {
        task_definitions: Some(deleted),
        failures: Some(failures),
    })
}

/// Why one revision of a DeleteTaskDefinitions call was not deleted.
enum DeleteRefusal {
    Missing,
    StillActive,
    State(berth_state::StateError),
}

impl From<berth_state::StateError> for DeleteRefusal {
    fn from(error: berth_state::StateError) -> Self {
        DeleteRefusal::State(error)
    }
}

impl From<RegisterError> for EcsError {
    fn from(error: RegisterError) -> Self {
        match error {
            RegisterError::RevisionLimit { family } => EcsError::LimitExceeded(format!(
                "The task definition family {family} has reached the limit of {} revisions.",
                berth_state::MAX_REVISIONS
            )),
            RegisterError::State(error) => EcsError::State(error),
        }
    }
}

/// `family`, `family:revision` or a task definition ARN of this Berth, as
/// (family, revision).
fn parse_reference<'a>(api: &Api, reference: &'a str) -> Result<(&'a str, Option<u32>), EcsError> {
    if reference.is_empty() {
        return Err(EcsError::Client(
            "taskDefinition can not be blank.".to_owned(),
        ));
    }
    let family_revision = match Arn::parse(reference) {
        Some(arn) => match arn.resource_type() {
            ("task-definition", rest) if arn.service == "ecs" && arn.is_in(&api.control.scope) => {
                rest
            }
            _ => return Err(unable_to_describe()),
        },
        None => reference,
    };
    let (family, revision) = match family_revision.rsplit_once(':') {
        Some((family, revision)) => {
            let revision = revision
                .parse::<u32>()
                .ok()
                .filter(|r| *r > 0)
                .ok_or_else(|| {
                    EcsError::Client(format!(
                        "Invalid revision number. Number: {}",
                        crate::error::truncated(revision, 32)
                    ))
                })?;
            (family, Some(revision))
        }
        None => (family_revision, None),
    };
    if !berth_model::names::is_valid_name(family) {
        return Err(unable_to_describe());
    }
    Ok((family, revision))
}

/// A pagination position `family:revision`.
fn parse_position(position: &str) -> Result<RevisionKey, EcsError> {
    let invalid = || EcsError::InvalidParameter("Invalid nextToken.".to_owned());
    let (family, revision) = position.rsplit_once(':').ok_or_else(invalid)?;
    Ok(RevisionKey {
        family: family.to_owned(),
        revision: revision.parse().map_err(|_| invalid())?,
    })
}

fn parse_include_tags(include: Option<&[String]>) -> Result<bool, EcsError> {
    let mut tags = false;
    for value in include.unwrap_or_default() {
        match value.as_str() {
            "TAGS" => tags = true,
            other => return Err(invalid_enum("include", other, "TAGS")),
        }
    }
    Ok(tags)
}

fn invalid_enum(field: &str, value: &str, allowed: &str) -> EcsError {
    EcsError::InvalidParameter(format!(
        "Invalid value '{}' for {field}. Valid values: {allowed}.",
        crate::error::truncated(value, 64)
    ))
}

fn unable_to_describe() -> EcsError {
    EcsError::Client("Unable to describe task definition.".to_owned())
}

fn validation(error: ValidationError) -> EcsError {
    match error.kind {
        ValidationErrorKind::Client => EcsError::Client(error.message),
        ValidationErrorKind::InvalidParameter => EcsError::InvalidParameter(error.message),
    }
}
