//! The agent protocol's server side (see `berth_protocol`): registration,
//! long-polled assignments, and task reports, on the API port.

mod hub;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use berth_control::ControlError;
use berth_control::instances::Registration;
use berth_model::container_instance::{Attribute, InstanceStatus, Resources};
use berth_model::task::{DesiredStatus, TaskReport};
use berth_protocol::{
    Assignment, KnownAssignment, MAX_KNOWN_TASKS, MAX_POLL_WAIT_MS, MAX_REPORTS_PER_REQUEST,
    POLL_PATH, PollRequest, PollResponse, ProtocolError, ProtocolErrorCode, REGISTER_PATH,
    REPORT_PATH, REPORTS_PATH, RegisterRequest, RegisterResponse, RegistryCredentials,
    ReportBatchRequest, ReportBatchResponse, ReportOutcome, ReportRequest, ReportResponse,
    ReportResult,
};

pub use hub::AssignmentHub;

use crate::Api;

/// How long agents are told to hold a poll open.
const POLL_WAIT_MS: u64 = 20_000;

/// The protocol's routes.
pub fn routes() -> Router<Arc<Api>> {
    Router::new()
        .route(REGISTER_PATH, post(register))
        .route(POLL_PATH, post(poll))
        .route(REPORT_PATH, post(report))
        .route(REPORTS_PATH, post(reports))
}

async fn register(
    State(api): State<Arc<Api>>,
    request: Result<Json<RegisterRequest>, JsonRejection>,
) -> Result<Json<RegisterResponse>, AgentError> {
    let Json(request) = request.map_err(bad_request)?;
    let mut attributes: Vec<Attribute> = request
        .attributes
        .into_iter()
        .map(|(name, value)| Attribute { name, value })
        .collect();
    for attribute in &attributes {
        berth_model::container_instance::validate_attribute(attribute)
            .map_err(|message| AgentError::new(ProtocolErrorCode::BadRequest, message))?;
    }
    attributes.sort();
    let mut tcp_ports = request.reserved_tcp_ports;
    tcp_ports.sort_unstable();
    tcp_ports.dedup();
    let mut udp_ports = request.reserved_udp_ports;
    udp_ports.sort_unstable();
    udp_ports.dedup();
    let instance = api
        .control
        .register_instance(Registration {
            cluster: request.cluster.clone(),
            host_id: request.host_id,
            instance_id: request.container_instance_id,
            resources: Resources {
                cpu: request.cpu,
                memory_mib: request.memory_mib,
                tcp_ports,
                udp_ports,
            },
            attributes,
            agent_version: request.agent_version,
            docker_version: request.docker_version,
        })
        .await?;
    Ok(Json(RegisterResponse {
        container_instance_arn: api
            .control
            .scope
            .container_instance_arn(&request.cluster, &instance.id),
        container_instance_id: instance.id,
        poll_wait_ms: POLL_WAIT_MS,
    }))
}

async fn poll(
    State(api): State<Arc<Api>>,
    request: Result<Json<PollRequest>, JsonRejection>,
) -> Result<Json<PollResponse>, AgentError> {
    let Json(request) = request.map_err(bad_request)?;
    let cluster = &request.cluster;
    let instance_id = &request.container_instance_id;
    require_instance(&api, cluster, instance_id).await?;
    api.control.heard_from(cluster, instance_id).await?;
    let wait = Duration::from_millis(request.wait_ms.min(MAX_POLL_WAIT_MS));
    let changed = api
        .hub
        .wait_for_change(instance_id, request.known_revision, wait)
        .await;
    if !changed && request.known_revision > 0 && !request.known_tasks.is_empty() {
        // The agent holds the set as of its revision, and it has not
        // changed since: say so instead of naming every task again.
        return Ok(Json(PollResponse::unchanged(request.known_revision)));
    }
    let (markers, revision) = api
        .control
        .state
        .tasks
        .assignments(instance_id)
        .await
        .map_err(ControlError::from)?;
    let credentials = registry_credentials(&api);
    let known: HashSet<&str> = request
        .known_tasks
        .iter()
        .take(MAX_KNOWN_TASKS)
        .map(String::as_str)
        .collect();
    let mut tasks = Vec::new();
    let mut running_known = Vec::new();
    let mut stopping_known = Vec::new();
    for (task_id, marker) in markers {
        let is_known = known.contains(task_id.as_str());
        if is_known && marker.desired_status == DesiredStatus::Running {
            // Nothing but the desired status can have changed, and the
            // marker holds it: no need to read the task.
            running_known.push(task_id);
            continue;
        }
        let Some(task) = api
            .control
            .state
            .tasks
            .get(cluster, &task_id)
            .await
            .map_err(ControlError::from)?
        else {
            continue;
        };
        let task = task.value;
        if is_known {
            stopping_known.push(KnownAssignment {
                task_id: task.id,
                desired_status: task.desired_status,
                stop_code: task.stop_code,
                stopped_reason: task.stopped_reason,
            });
            continue;
        }
        let Some(definition) = api
            .control
            .state
            .task_definitions
            .get(&task.family, task.revision)
            .await
            .map_err(ControlError::from)?
        else {
            continue;
        };
        tasks.push(Assignment {
            task_arn: api.control.scope.task_arn(cluster, &task.id),
            task_id: task.id,
            desired_status: task.desired_status,
            definition: definition.definition,
            overrides: task.overrides,
            stop_code: task.stop_code,
            stopped_reason: task.stopped_reason,
            registry_auth: credentials.clone(),
        });
    }
    Ok(Json(PollResponse {
        revision,
        tasks,
        running_known,
        stopping_known,
        registry_auth: credentials,
        unchanged: false,
    }))
}

async fn report(
    State(api): State<Arc<Api>>,
    request: Result<Json<ReportRequest>, JsonRejection>,
) -> Result<Json<ReportResponse>, AgentError> {
    let Json(request) = request.map_err(bad_request)?;
    let instance_id = &request.container_instance_id;
    require_instance(&api, &request.cluster, instance_id).await?;
    api.control
        .heard_from(&request.cluster, instance_id)
        .await?;
    let response = apply_report(
        &api,
        &request.cluster,
        instance_id,
        &request.task_arn,
        &request.report,
    )
    .await?;
    Ok(Json(response))
}

async fn reports(
    State(api): State<Arc<Api>>,
    request: Result<Json<ReportBatchRequest>, JsonRejection>,
) -> Result<Json<ReportBatchResponse>, AgentError> {
    let Json(request) = request.map_err(bad_request)?;
    if request.reports.len() > MAX_REPORTS_PER_REQUEST {
        return Err(AgentError::new(
            ProtocolErrorCode::BadRequest,
            format!(
                "a batch carries at most {MAX_REPORTS_PER_REQUEST} reports, not {}",
                request.reports.len()
            ),
        ));
    }
    let (cluster, instance_id) = (&request.cluster, &request.container_instance_id);
    require_instance(&api, cluster, instance_id).await?;
    api.control.heard_from(cluster, instance_id).await?;
    // Applied concurrently, so their commits share the store's group commit.
    let api = &api;
    let results = futures::future::join_all(request.reports.into_iter().map(|entry| async move {
        let outcome =
            match apply_report(api, cluster, instance_id, &entry.task_arn, &entry.report).await {
                Ok(response) => ReportOutcome::Taken(response),
                Err(AgentError(error)) => ReportOutcome::Refused(error),
            };
        ReportResult {
            task_arn: entry.task_arn,
            outcome,
        }
    }))
    .await;
    Ok(Json(ReportBatchResponse { results }))
}

/// Applies one task's reported state.
async fn apply_report(
    api: &Api,
    cluster: &str,
    instance_id: &str,
    task_arn: &str,
    report: &TaskReport,
) -> Result<ReportResponse, AgentError> {
    let task_id = task_arn.rsplit('/').next().unwrap_or_default();
    let (applied, task) = api
        .control
        .apply_report(cluster, instance_id, task_id, report)
        .await?;
    Ok(ReportResponse {
        applied,
        desired_status: task.desired_status,
    })
}

/// Refuses polls and reports from instances that were deregistered, so
/// their agents register anew.
async fn require_instance(api: &Api, cluster: &str, instance_id: &str) -> Result<(), AgentError> {
    // A loaded placement view answers the common case without decoding the
    // instance record; a refusal is always confirmed from the store, since
    // the view may not have caught up with a registration yet.
    let active_in_view = api.control.views.loaded(cluster).is_some_and(|view| {
        view.read(|data| {
            data.instances
                .get(instance_id)
                .is_some_and(|(instance, _)| instance.status != InstanceStatus::Inactive)
        })
    });
    if active_in_view {
        return Ok(());
    }
    let instance = api
        .control
        .state
        .instances
        .get(cluster, instance_id)
        .await
        .map_err(ControlError::from)?;
    match instance {
        Some(record) if record.value.status != InstanceStatus::Inactive => Ok(()),
        _ => Err(AgentError::new(
            ProtocolErrorCode::InstanceNotFound,
            format!("container instance {instance_id} is not registered in cluster {cluster}"),
        )),
    }
}

/// Credentials for pulling from this server's own registry.
fn registry_credentials(api: &Api) -> Option<RegistryCredentials> {
    let authority = api.registry.config().auth.as_ref()?;
    let token = authority.issue();
    Some(RegistryCredentials {
        server_address: api.registry_host.clone(),
        username: "AWS".to_owned(),
        password: token.password,
    })
}

/// A protocol failure as JSON with a matching status.
#[derive(Debug)]
pub struct AgentError(ProtocolError);

impl AgentError {
    fn new(code: ProtocolErrorCode, message: impl Into<String>) -> Self {
        AgentError(ProtocolError {
            code,
            message: message.into(),
        })
    }
}

fn bad_request(rejection: JsonRejection) -> AgentError {
    AgentError::new(ProtocolErrorCode::BadRequest, rejection.body_text())
}

impl From<ControlError> for AgentError {
    fn from(error: ControlError) -> Self {
        let code = match &error {
            ControlError::ClusterNotFound => ProtocolErrorCode::ClusterNotFound,
            ControlError::InstanceNotFound(_) => ProtocolErrorCode::InstanceNotFound,
            ControlError::TaskNotFound => ProtocolErrorCode::TaskNotFound,
            ControlError::Client(_)
            | ControlError::InvalidParameter(_)
            | ControlError::Conflict { .. } => ProtocolErrorCode::BadRequest,
            ControlError::State(cause) => {
                tracing::error!(error = %cause, "agent request failed");
                return AgentError::new(ProtocolErrorCode::Internal, "internal error; retry later");
            }
        };
        AgentError::new(code, error.to_string())
    }
}

impl IntoResponse for AgentError {
    fn into_response(self) -> Response {
        let status = match self.0.code {
            ProtocolErrorCode::BadRequest => StatusCode::BAD_REQUEST,
            ProtocolErrorCode::ClusterNotFound
            | ProtocolErrorCode::InstanceNotFound
            | ProtocolErrorCode::TaskNotFound => StatusCode::NOT_FOUND,
            ProtocolErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, Json(self.0)).into_response()
    }
}
