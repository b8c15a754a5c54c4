//! The agent protocol's server side (see `berth_protocol`): registration,
//! long-polled assignments, and task reports, on the API port.

mod hub;
mod pacing;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use berth_control::ControlError;
use berth_control::instances::Registration;
use berth_model::container_instance::{Attribute, Resources};
use berth_model::task::{DesiredStatus, TaskReport};
use berth_protocol::{
    AnswerForm, Assignment, KnownAssignment, MAX_KNOWN_TASKS, MAX_POLL_WAIT_MS,
    MAX_REPORTS_PER_REQUEST, POLL_PATH, PollRequest, PollResponse, ProtocolError,
    ProtocolErrorCode, REGISTER_PATH, REPORT_PATH, REPORTS_PATH, RegisterRequest, RegisterResponse,
    RegistryCredentials, ReportBatchRequest, ReportBatchResponse, ReportOutcome, ReportRequest,
    ReportResponse, ReportResult, TaskStateReport,
};
use berth_state::tasks::Assigned;
use berth_store::Revision;

pub use hub::AssignmentHub;
use hub::Change;

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
    Body(request): Body<RegisterRequest>,
) -> Result<Json<RegisterResponse>, AgentError> {
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
    Body(mut request): Body<PollRequest>,
) -> Result<Json<PollResponse>, AgentError> {
    let reports = std::mem::take(&mut request.reports);
    check_batch_size(reports.len())?;
    let cluster = &request.cluster;
    let instance_id = &request.container_instance_id;
    require_instance(&api, cluster, instance_id).await?;
    api.control.heard_from(cluster, instance_id).await?;
    // Applied before waiting: the reports are durable whatever the wait
    // brings, and a STOPPED one is itself the change that ends the wait.
    let report_results = apply_reports(&api, cluster, instance_id, reports).await;
    let mut answer = answer_poll(&api, &request).await?;
    answer.report_results = report_results;
    if request.takes_shared {
        answer.form = AnswerForm::Shared;
    }
    Ok(Json(answer))
}

/// Waits for the polling agent's assignments to change (or the wait to
/// end) and answers with what it must know.
async fn answer_poll(api: &Api, request: &PollRequest) -> Result<PollResponse, AgentError> {
    let cluster = &request.cluster;
    let instance_id = &request.container_instance_id;
    let wait = Duration::from_millis(request.wait_ms.min(MAX_POLL_WAIT_MS));
    let changed = api
        .hub
        .wait_for_change(instance_id, request.known_revision, wait)
        .await;
    let known = Known::of(request);
    if !changed && request.known_revision > 0 && known.holds_a_set() {
        // The agent holds the set as of its revision, and it has not
        // changed since: say so instead of naming every task again.
        return Ok(PollResponse::unchanged(request.known_revision));
    }
    let credentials = registry_credentials(api);
    if let Known::AsOf(since) = known
        && let Some((changes, revision)) = api.hub.changes_since(instance_id, since)
    {
        let mut answer = PollResponse {
            changes_only: true,
            ..PollResponse::whole_set(revision)
        };
        for change in changes {
            match change {
                Change::Assigned(assigned) => {
                    let known = known.includes(&assigned);
                    answer_task(api, cluster, assigned, known, &credentials, &mut answer).await?;
                }
                Change::Removed(task_id) => answer.removed.push(task_id),
            }
        }
        if !answer.tasks.is_empty() || !answer.stopping_known.is_empty() {
            answer.registry_auth = credentials;
        }
        return Ok(answer);
    }
    let (assignments, revision) = api
        .control
        .state
        .tasks
        .assignments(instance_id)
        .await
        .map_err(ControlError::from)?;
    let mut answer = PollResponse::whole_set(revision);
    for assigned in assignments {
        let known = known.includes(&assigned);
        answer_task(api, cluster, assigned, known, &credentials, &mut answer).await?;
    }
    answer.registry_auth = credentials;
    Ok(answer)
}

/// Which tasks the polling agent holds in full.
enum Known<'a> {
    /// The ones it listed.
    Listed(HashSet<&'a str>),
    /// Every task assigned as of this revision.
    AsOf(Revision),
}

impl<'a> Known<'a> {
    fn of(request: &'a PollRequest) -> Known<'a> {
        if request.wants_changes && request.known_revision > 0 {
            return Known::AsOf(request.known_revision);
        }
        Known::Listed(
            request
                .known_tasks
                .iter()
                .take(MAX_KNOWN_TASKS)
                .map(String::as_str)
                .collect(),
        )
    }

    /// Whether the agent holds a whole set it could be told is unchanged.
    fn holds_a_set(&self) -> bool {
        match self {
            Known::Listed(tasks) => !tasks.is_empty(),
            Known::AsOf(_) => true,
        }
    }

    fn includes(&self, assigned: &Assigned) -> bool {
        match self {
            Known::Listed(tasks) => tasks.contains(assigned.task_id.as_str()),
            Known::AsOf(revision) => assigned.assigned_at <= *revision,
        }
    }
}

/// Adds one assigned task to a poll answer: by id while a known task is to
/// keep running (the marker says so, no need to read the task), in brief
/// once a known task is to stop, in full when the agent does not hold it.
async fn answer_task(
    api: &Api,
    cluster: &str,
    assigned: Assigned,
    known: bool,
    credentials: &Option<RegistryCredentials>,
    answer: &mut PollResponse,
) -> Result<(), AgentError> {
    if known && assigned.marker.desired_status == DesiredStatus::Running {
        answer.running_known.push(assigned.task_id);
        return Ok(());
    }
    // Any state of the task as new as its marker holds the desired state
    // to answer with: usually the one this server just placed or stopped.
    let tasks = &api.control.state.tasks;
    let Some(task) = tasks
        .get_as_new_as(cluster, &assigned)
        .await
        .map_err(ControlError::from)?
    else {
        return Ok(());
    };
    let task = task.value;
    if known {
        answer.stopping_known.push(KnownAssignment {
            task_id: task.id.clone(),
            desired_status: task.desired_status,
            stop_code: task.stop_code,
            stopped_reason: task.stopped_reason.clone(),
        });
        return Ok(());
    }
    let Some(definition) = api
        .definitions
        .get(
            &api.control.state.task_definitions,
            &task.family,
            task.revision,
        )
        .await
        .map_err(ControlError::from)?
    else {
        return Ok(());
    };
    answer.tasks.push(Assignment {
        task_arn: api.control.scope.task_arn(cluster, &task.id),
        task_id: task.id.clone(),
        desired_status: task.desired_status,
        definition,
        overrides: task.overrides.clone(),
        stop_code: task.stop_code,
        stopped_reason: task.stopped_reason.clone(),
        registry_auth: credentials.clone(),
    });
    Ok(())
}

async fn report(
    State(api): State<Arc<Api>>,
    Body(request): Body<ReportRequest>,
) -> Result<Json<ReportResponse>, AgentError> {
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
    Body(request): Body<ReportBatchRequest>,
) -> Result<Json<ReportBatchResponse>, AgentError> {
    check_batch_size(request.reports.len())?;
    let (cluster, instance_id) = (&request.cluster, &request.container_instance_id);
    require_instance(&api, cluster, instance_id).await?;
    api.control.heard_from(cluster, instance_id).await?;
    let results = apply_reports(&api, cluster, instance_id, request.reports).await;
    Ok(Json(ReportBatchResponse { results }))
}

fn check_batch_size(reports: usize) -> Result<(), AgentError> {
    if reports > MAX_REPORTS_PER_REQUEST {
        return Err(AgentError::new(
            ProtocolErrorCode::BadRequest,
            format!("a request carries at most {MAX_REPORTS_PER_REQUEST} reports, not {reports}"),
        ));
    }
    Ok(())
}

/// Applies an instance's reports, each on its own, and says what became of
/// each.
async fn apply_reports(
    api: &Api,
    cluster: &str,
    instance_id: &str,
    reports: Vec<TaskStateReport>,
) -> Vec<ReportResult> {
    // Applied concurrently, so their commits share the store's group commit.
    futures::future::join_all(reports.into_iter().map(|entry| async move {
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
    .await
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
                .is_some_and(|held| held.instance.is_registered())
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
        Some(record) if record.value.is_registered() => Ok(()),
        _ => Err(AgentError::new(
            ProtocolErrorCode::InstanceNotFound,
            format!("container instance {instance_id} is not registered in cluster {cluster}"),
        )),
    }
}

/// Credentials for pulling from this server's own registry.
fn registry_credentials(api: &Api) -> Option<RegistryCredentials> {
    let authority = api.registry.config().auth.as_ref()?;
    let token = authority.issue_shared();
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

/// A request body of the protocol, decoded straight from JSON. axum's own
/// `Json` tracks the path of every field it decodes, for error messages
/// agents never show; on the busiest endpoints that was a measurable share of
/// the server's time. Agents send `application/json`; unlike axum's, this
/// refuses other `+json` types.
struct Body<T>(T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = AgentError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("application/json"));
        if !is_json {
            return Err(AgentError::new(
                ProtocolErrorCode::BadRequest,
                "Expected request with `Content-Type: application/json`",
            ));
        }
        // Bytes honours the router's body limit.
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                AgentError::new(ProtocolErrorCode::BadRequest, rejection.body_text())
            })?;
        serde_json::from_slice(&bytes).map(Body).map_err(|error| {
            AgentError::new(
                ProtocolErrorCode::BadRequest,
                format!("Failed to deserialize the JSON body: {error}"),
            )
        })
    }
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
