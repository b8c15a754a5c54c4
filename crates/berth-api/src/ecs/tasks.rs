//! RunTask, StartTask, StopTask, DescribeTasks and ListTasks.

mod convert;

use std::sync::Arc;

use berth_control::ControlError;
use berth_control::tasks::{RunOutcome, RunRequest};
use berth_model::arn::Arn;
use berth_model::tag::{Tag, validate_tags};
use berth_model::task::{DesiredStatus, StopCode};
use berth_model::task_definition::{PlacementConstraintType, TaskDefinitionStatus};
use berth_scheduler::{PlacementConstraint, PlacementStrategy};
use berth_state::TaskDefinitionRecord;
use sha2::{Digest, Sha256};

use convert::overrides_from_wire;
pub use convert::task_to_wire;

use super::pagination::{decode_token, encode_token, page_size};
use super::tags::tags_from_wire;
use super::{EcsError, cluster_name, wire};
use crate::Api;

/// Most tasks one RunTask call may start.
const MAX_COUNT: i32 = 10;
/// Most tasks one DescribeTasks call may name.
const MAX_DESCRIBE: usize = 100;
/// Most instances one StartTask call may name.
const MAX_START_INSTANCES: usize = 10;
/// Longest `overrides` document ECS accepts, in characters of JSON.
const MAX_OVERRIDES_CHARS: usize = 8192;

pub async fn run_task(
    api: &Api,
    input: wire::RunTaskRequest,
) -> Result<wire::RunTaskResponse, EcsError> {
    let fingerprint = fingerprint(&input);
    let cluster = existing_cluster(api, input.cluster.as_deref())?;
    if let Some(launch_type) = input.launch_type.as_deref() {
        check_launch_type(launch_type)?;
    }
    if input
        .capacity_provider_strategy
        .as_ref()
        .is_some_and(|s| !s.is_empty())
    {
        return Err(EcsError::InvalidParameter(
            "Capacity provider strategies are not supported for tasks by this Berth yet; use launchType EC2.".to_owned(),
        ));
    }
    let count = input.count.unwrap_or(1);
    if !(1..=MAX_COUNT).contains(&count) {
        return Err(EcsError::InvalidParameter(format!(
            "count must be between 1 and {MAX_COUNT}."
        )));
    }
    let client_token = match input.client_token {
        Some(token) => {
            if token.is_empty()
                || token.len() > 64
                || !token.bytes().all(|b| (33..=126).contains(&b))
            {
                return Err(EcsError::InvalidParameter(
                    "clientToken must be 1-64 ASCII characters between 33 and 126.".to_owned(),
                ));
            }
            Some((token, fingerprint))
        }
        None => None,
    };
    let record = resolve_definition(api, input.task_definition.as_deref()).await?;
    let mut constraints = definition_constraints(&record)?;
    for constraint in input.placement_constraints.unwrap_or_default() {
        constraints.push(
            PlacementConstraint::from_parts(
                constraint.r#type.as_deref().unwrap_or_default(),
                constraint.expression.as_deref(),
            )
            .map_err(invalid)?,
        );
    }
    let strategies = match input.placement_strategy {
        Some(strategies) if !strategies.is_empty() => strategies
            .iter()
            .map(|s| {
                PlacementStrategy::from_parts(
                    s.r#type.as_deref().unwrap_or_default(),
                    s.field.as_deref(),
                )
                .map_err(invalid)
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => PlacementStrategy::service_default(),
    };
    let request = RunRequest {
        cluster: cluster.clone(),
        group: group(input.group, &record)?,
        started_by: started_by(input.started_by, 128)?,
        overrides: overrides(input.overrides)?,
        count: count as u32,
        constraints,
        strategies,
        tags: task_tags(input.tags, input.propagate_tags.as_deref(), &record)?,
        enable_execute_command: input.enable_execute_command.unwrap_or(false),
        target_instances: None,
        client_token,
        definition: record.definition.clone(),
    };
    let outcome = api
        .control
        .run_tasks(request)
        .await
        .map_err(control_error)?;
    Ok(wire::RunTaskResponse {
        tasks: Some(tasks_to_wire(api, &outcome, true)),
        failures: Some(failures_to_wire(&outcome)),
    })
}

pub async fn start_task(
    api: &Api,
    input: wire::StartTaskRequest,
) -> Result<wire::StartTaskResponse, EcsError> {
    let cluster = existing_cluster(api, input.cluster.as_deref())?;
    let targets = input.container_instances.unwrap_or_default();
    if targets.is_empty() || targets.len() > MAX_START_INSTANCES {
        return Err(EcsError::InvalidParameter(format!(
            "containerInstances must name between 1 and {MAX_START_INSTANCES} container instances."
        )));
    }
    let targets = targets
        .iter()
        .map(|target| instance_id(api, &cluster, target))
        .collect::<Result<Vec<_>, _>>()?;
    let record = resolve_definition(api, input.task_definition.as_deref()).await?;
    let request = RunRequest {
        cluster,
        group: group(input.group, &record)?,
        started_by: started_by(input.started_by, 128)?,
        overrides: overrides(input.overrides)?,
        count: targets.len() as u32,
        constraints: Vec::new(),
        strategies: Vec::new(),
        tags: task_tags(input.tags, input.propagate_tags.as_deref(), &record)?,
        enable_execute_command: input.enable_execute_command.unwrap_or(false),
        target_instances: Some(targets),
        client_token: None,
        definition: record.definition.clone(),
    };
    let outcome = api
        .control
        .run_tasks(request)
        .await
        .map_err(control_error)?;
    Ok(wire::StartTaskResponse {
        tasks: Some(tasks_to_wire(api, &outcome, true)),
        failures: Some(failures_to_wire(&outcome)),
    })
}

pub async fn stop_task(
    api: &Api,
    input: wire::StopTaskRequest,
) -> Result<wire::StopTaskResponse, EcsError> {
    let cluster = existing_cluster(api, input.cluster.as_deref())?;
    let task_id = task_id(api, &cluster, input.task.as_deref().unwrap_or_default())
        .ok_or_else(task_not_found)?;
    let reason = match input.reason {
        Some(reason) if reason.chars().count() > 255 => {
            return Err(EcsError::InvalidParameter(
                "reason must be at most 255 characters.".to_owned(),
            ));
        }
        Some(reason) if !reason.is_empty() => reason,
        _ => "Task stopped by user".to_owned(),
    };
    let task = api
        .control
        .stop_task(&cluster, &task_id, StopCode::UserInitiated, &reason)
        .await
        .map_err(control_error)?;
    Ok(wire::StopTaskResponse {
        task: Some(task_to_wire(api, &task, true)),
    })
}

pub async fn describe_tasks(
    api: &Api,
    input: wire::DescribeTasksRequest,
) -> Result<wire::DescribeTasksResponse, EcsError> {
    let cluster = existing_cluster(api, input.cluster.as_deref())?;
    let mut include_tags = false;
    for value in input.include.unwrap_or_default() {
        match value.as_str() {
            "TAGS" => include_tags = true,
            other => {
                return Err(EcsError::InvalidParameter(format!(
                    "Invalid include value: {}. Valid values: TAGS.",
                    crate::error::truncated(other, 64)
                )));
            }
        }
    }
    let identifiers = input.tasks.unwrap_or_default();
    if identifiers.is_empty() || identifiers.len() > MAX_DESCRIBE {
        return Err(EcsError::InvalidParameter(format!(
            "tasks must name between 1 and {MAX_DESCRIBE} tasks."
        )));
    }
    let mut tasks = Vec::with_capacity(identifiers.len());
    let mut failures = Vec::new();
    for identifier in &identifiers {
        let found = match task_id(api, &cluster, identifier) {
            Some(id) => api.control.state.tasks.get(&cluster, &id).await?,
            None => None,
        };
        match found {
            Some(record) => tasks.push(task_to_wire(api, &record.value, include_tags)),
            None => failures.push(wire::Failure {
                arn: Some(if identifier.starts_with("arn:") {
                    identifier.clone()
                } else {
                    api.control.scope.task_arn(&cluster, identifier)
                }),
                reason: Some("MISSING".to_owned()),
                detail: None,
            }),
        }
    }
    Ok(wire::DescribeTasksResponse {
        tasks: Some(tasks),
        failures: Some(failures),
    })
}

pub async fn list_tasks(
    api: &Api,
    input: wire::ListTasksRequest,
) -> Result<wire::ListTasksResponse, EcsError> {
    const OPERATION: &str = "ListTasks";
    let cluster = existing_cluster(api, input.cluster.as_deref())?;
    let limit = page_size(input.max_results, 100, 100)?;
    let desired = match input.desired_status.as_deref() {
        None | Some("RUNNING") => Some(DesiredStatus::Running),
        Some("STOPPED") => Some(DesiredStatus::Stopped),
        // ECS never sets a desired status of PENDING, so nothing matches.
        Some("PENDING") => None,
        Some(other) => {
            return Err(EcsError::InvalidParameter(format!(
                "Invalid desiredStatus: {}. Valid values: RUNNING, PENDING, STOPPED.",
                crate::error::truncated(other, 64)
            )));
        }
    };
    if let Some(launch_type) = input.launch_type.as_deref() {
        check_launch_type(launch_type)?;
    }
    let instance = match input.container_instance.as_deref() {
        Some(identifier) => Some(instance_id(api, &cluster, identifier)?),
        None => None,
    };
    let after = match input.next_token.as_deref() {
        Some(token) => Some(decode_token(OPERATION, token)?),
        None => None,
    };
    let family = input.family;
    let started_by = input.started_by;
    let launch_type = input.launch_type;
    // Services arrive later; no task belongs to one yet.
    let service_name = input.service_name;
    let page = match desired {
        None => berth_state::Page {
            items: Vec::new(),
            next_after: None,
        },
        Some(desired) => {
            api.control
                .state
                .tasks
                .list(&cluster, desired, after.as_deref(), limit, |task| {
                    family.as_ref().is_none_or(|f| task.family == *f)
                        && started_by
                            .as_ref()
                            .is_none_or(|s| task.started_by.as_ref() == Some(s))
                        && instance
                            .as_ref()
                            .is_none_or(|i| task.container_instance_id == *i)
                        && launch_type
                            .as_deref()
                            .is_none_or(|l| task.launch_type.as_str() == l)
                        && service_name.is_none()
                })
                .await?
        }
    };
    Ok(wire::ListTasksResponse {
        task_arns: Some(
            page.items
                .iter()
                .map(|(id, _)| api.control.scope.task_arn(&cluster, id))
                .collect(),
        ),
        next_token: page.next_after.map(|after| encode_token(OPERATION, &after)),
    })
}

/// The cluster a task request names, which must exist and be ACTIVE.
fn existing_cluster(api: &Api, identifier: Option<&str>) -> Result<String, EcsError> {
    cluster_name(api, identifier)
        .map(str::to_owned)
        .ok_or(EcsError::ClusterNotFound)
}

/// The task definition revision a RunTask/StartTask names; INACTIVE and
/// deleted revisions cannot start tasks.
async fn resolve_definition(
    api: &Api,
    reference: Option<&str>,
) -> Result<Arc<TaskDefinitionRecord>, EcsError> {
    let reference = reference.unwrap_or_default();
    if reference.is_empty() {
        return Err(EcsError::InvalidParameter(
            "taskDefinition must be specified.".to_owned(),
        ));
    }
    let not_found = || EcsError::Client("TaskDefinition not found.".to_owned());
    let family_revision = match Arn::parse(reference) {
        Some(arn) => match arn.resource_type() {
            ("task-definition", rest) if arn.service == "ecs" && arn.is_in(&api.control.scope) => {
                rest
            }
            _ => return Err(not_found()),
        },
        None => reference,
    };
    let repo = &api.control.state.task_definitions;
    let (family, revision) = match family_revision.rsplit_once(':') {
        Some((family, revision)) => (family, revision.parse().map_err(|_| not_found())?),
        None => (
            family_revision,
            repo.latest_active_revision(family_revision)
                .await?
                .ok_or_else(not_found)?,
        ),
    };
    let record = api
        .definition_records
        .get(repo, family, revision)
        .await?
        .ok_or_else(not_found)?;
    if record.definition.status != TaskDefinitionStatus::Active {
        return Err(EcsError::Client("TaskDefinition is inactive".to_owned()));
    }
    Ok(record)
}

/// memberOf constraints written into the task definition apply to every
/// task of it.
fn definition_constraints(
    record: &TaskDefinitionRecord,
) -> Result<Vec<PlacementConstraint>, EcsError> {
    record
        .definition
        .spec
        .placement_constraints
        .iter()
        .flatten()
        .map(|constraint| {
            let kind = match constraint.constraint_type {
                PlacementConstraintType::MemberOf => "memberOf",
                PlacementConstraintType::DistinctInstance => "distinctInstance",
            };
            PlacementConstraint::from_parts(kind, constraint.expression.as_deref()).map_err(invalid)
        })
        .collect()
}

fn group(group: Option<String>, record: &TaskDefinitionRecord) -> Result<String, EcsError> {
    match group {
        Some(group) if group.is_empty() || group.chars().count() > 255 => Err(
            EcsError::InvalidParameter("group must be 1-255 characters.".to_owned()),
        ),
        Some(group) => Ok(group),
        None => Ok(format!("family:{}", record.definition.spec.family)),
    }
}

fn started_by(started_by: Option<String>, max: usize) -> Result<Option<String>, EcsError> {
    match started_by {
        Some(value) if value.chars().count() > max => Err(EcsError::InvalidParameter(format!(
            "startedBy must be at most {max} characters."
        ))),
        other => Ok(other),
    }
}

fn overrides(
    overrides: Option<wire::TaskOverride>,
) -> Result<berth_model::task::TaskOverride, EcsError> {
    let Some(overrides) = overrides else {
        return Ok(berth_model::task::TaskOverride::default());
    };
    let size = serde_json::to_string(&overrides).map_or(0, |json| json.chars().count());
    if size > MAX_OVERRIDES_CHARS {
        return Err(EcsError::InvalidParameter(format!(
            "Container Overrides length must be at most {MAX_OVERRIDES_CHARS}"
        )));
    }
    overrides_from_wire(overrides)
}

/// The tags of new tasks: those given, plus the task definition's when
/// `propagateTags` is TASK_DEFINITION.
fn task_tags(
    tags: Option<Vec<wire::Tag>>,
    propagate: Option<&str>,
    record: &TaskDefinitionRecord,
) -> Result<Vec<Tag>, EcsError> {
    let mut tags = tags_from_wire(tags.unwrap_or_default())?;
    match propagate {
        None | Some("NONE") => {}
        Some("TASK_DEFINITION") => {
            for tag in &record.tags {
                if !tags.iter().any(|t| t.key == tag.key) {
                    tags.push(tag.clone());
                }
            }
        }
        Some("SERVICE") => {
            return Err(EcsError::InvalidParameter(
                "propagateTags SERVICE applies only to tasks started by a service.".to_owned(),
            ));
        }
        Some(other) => {
            return Err(EcsError::InvalidParameter(format!(
                "Invalid propagateTags: {}. Valid values: TASK_DEFINITION, SERVICE, NONE.",
                crate::error::truncated(other, 64)
            )));
        }
    }
    validate_tags(&tags)?;
    Ok(tags)
}

fn check_launch_type(launch_type: &str) -> Result<(), EcsError> {
    match launch_type {
        "EC2" => Ok(()),
        "FARGATE" | "EXTERNAL" | "MANAGED_INSTANCES" => Err(EcsError::InvalidParameter(format!(
            "The {launch_type} launch type is not supported by this Berth yet; use EC2."
        ))),
        other => Err(EcsError::InvalidParameter(format!(
            "Invalid launchType: {}. Valid values: EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES.",
            crate::error::truncated(other, 64)
        ))),
    }
}

/// A task id from an id or a task ARN of `cluster`.
fn task_id(api: &Api, cluster: &str, identifier: &str) -> Option<String> {
    let id = match Arn::parse(identifier) {
        Some(arn) if arn.service == "ecs" && arn.is_in(&api.control.scope) => {
            match arn.resource_type() {
                ("task", rest) => match rest.split_once('/') {
                    Some((arn_cluster, id)) if arn_cluster == cluster => id,
                    Some(_) => return None,
                    None => rest,
                },
                _ => return None,
            }
        }
        Some(_) => return None,
        None => identifier,
    };
    (id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())).then(|| id.to_owned())
}

/// An instance id from an id or a container-instance ARN of `cluster`.
fn instance_id(api: &Api, cluster: &str, identifier: &str) -> Result<String, EcsError> {
    let invalid = || {
        EcsError::InvalidParameter(format!(
            "Invalid container instance: {}",
            crate::error::truncated(identifier, 128)
        ))
    };
    let id = match Arn::parse(identifier) {
        Some(arn) if arn.service == "ecs" && arn.is_in(&api.control.scope) => {
            match arn.resource_type() {
                ("container-instance", rest) => match rest.split_once('/') {
                    Some((arn_cluster, id)) if arn_cluster == cluster => id,
                    Some(_) => return Err(invalid()),
                    None => rest,
                },
                _ => return Err(invalid()),
            }
        }
        Some(_) => return Err(invalid()),
        None => identifier,
    };
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(invalid());
    }
    Ok(id.to_owned())
}

/// A stable digest of a RunTask request without its token, to tell a retry
/// from a reuse of the token with other parameters.
fn fingerprint(input: &wire::RunTaskRequest) -> String {
    let mut canonical = input.clone();
    canonical.client_token = None;
    let json = serde_json::to_vec(&canonical).unwrap_or_default();
    let digest = Sha256::digest(&json);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn tasks_to_wire(api: &Api, outcome: &RunOutcome, include_tags: bool) -> Vec<wire::Task> {
    outcome
        .tasks
        .iter()
        .map(|task| task_to_wire(api, task, include_tags))
        .collect()
}

fn failures_to_wire(outcome: &RunOutcome) -> Vec<wire::Failure> {
    outcome
        .failures
        .iter()
        .map(|failure| wire::Failure {
            arn: Some(failure.arn.clone()),
            reason: Some(failure.reason.clone()),
            detail: failure.detail.clone(),
        })
        .collect()
}

fn invalid(error: impl std::fmt::Display) -> EcsError {
    EcsError::InvalidParameter(error.to_string())
}

fn task_not_found() -> EcsError {
    EcsError::InvalidParameter("The referenced task was not found.".to_owned())
}

/// Maps the domain errors of task operations to ECS exceptions.
pub fn control_error(error: ControlError) -> EcsError {
    match error {
        ControlError::ClusterNotFound => EcsError::ClusterNotFound,
        ControlError::Client(message) => EcsError::Client(message),
        ControlError::InvalidParameter(message) => EcsError::InvalidParameter(message),
        ControlError::InstanceNotFound(message) => EcsError::InvalidParameter(message),
        ControlError::TaskNotFound => task_not_found(),
        ControlError::Conflict {
            message,
            resource_ids,
        } => EcsError::Conflict {
            message,
            resource_ids,
        },
        ControlError::State(error) => EcsError::State(error),
    }
}
