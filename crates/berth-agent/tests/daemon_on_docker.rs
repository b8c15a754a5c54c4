//! The agent daemon against a fake protocol server (an axum router that
//! records registrations, serves assignments by long poll and collects
//! reports) on the real Docker Engine: start, stop, kill and restart with
//! the same data directory.

// The fixtures are shared with the runner tests; not every helper is used here.
#[allow(dead_code)]
mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use berth_agent::checkpoint::Checkpoint;
use berth_agent::reconcile::LOST_REASON;
use berth_agent::{AgentConfig, DockerDriver, PullBehavior, RunnerConfig};
use berth_model::task::{
    ContainerStatus, DesiredStatus, StopCode, TaskOverride, TaskReport, TaskStatus,
};
use berth_model::task_definition::{
    ContainerDefinition, TaskDefinition, TaskDefinitionSpec, TaskDefinitionStatus,
};
use berth_protocol::{
    Assignment, POLL_PATH, PollRequest, PollResponse, REGISTER_PATH, REPORTS_PATH, RegisterRequest,
    RegisterResponse, ReportBatchRequest, ReportBatchResponse, ReportOutcome, ReportRequest,
    ReportResponse, ReportResult, TaskStateReport,
};
use support::{TEST_LABEL, TestEnv};
use tokio::sync::watch;

const LONG: Duration = Duration::from_secs(60);

/// What the fake server has seen and serves.
#[derive(Default)]
struct Recorded {
    registrations: Vec<RegisterRequest>,
    assignments: Vec<Assignment>,
    reports: Vec<ReportRequest>,
    /// Reports that came on polls, taken or not.
    reports_on_polls: usize,
}

struct FakeServer {
    recorded: Mutex<Recorded>,
    revision: watch::Sender<u64>,
    /// Whether reports on polls are taken, or ignored as by a server that
    /// predates them.
    takes_reports_on_polls: bool,
}

impl FakeServer {
    fn recorded<T>(&self, read: impl FnOnce(&Recorded) -> T) -> T {
        read(&self.recorded.lock().expect("fake server lock"))
    }

    /// Changes the assignment set and wakes pollers.
    fn assign(&self, change: impl FnOnce(&mut Vec<Assignment>)) {
        change(&mut self.recorded.lock().expect("lock").assignments);
        self.revision.send_modify(|r| *r += 1);
    }

    /// Waits until some report of `task_arn` matches.
    async fn report_matching(
        &self,
        task_arn: &str,
        matches: impl Fn(&TaskReport) -> bool,
    ) -> TaskReport {
        let deadline = tokio::time::Instant::now() + LONG;
        loop {
            let found = self.recorded(|r| {
                r.reports
                    .iter()
                    .find(|req| req.task_arn == task_arn && matches(&req.report))
                    .map(|req| req.report.clone())
            });
            if let Some(report) = found {
                return report;
            }
            let last = self.recorded(|r| {
                r.reports
                    .iter()
                    .rev()
                    .find(|req| req.task_arn == task_arn)
                    .map(|req| req.report.clone())
            });
            assert!(
                tokio::time::Instant::now() < deadline,
                "no matching report for {task_arn}; last: {last:#?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn handle_register(
    State(server): State<Arc<FakeServer>>,
    Json(request): Json<RegisterRequest>,
) -> Json<RegisterResponse> {
    let mut recorded = server.recorded.lock().expect("lock");
    let id = request
        .container_instance_id
        .clone()
        .unwrap_or_else(|| format!("ci{}", recorded.registrations.len()));
    recorded.registrations.push(request);
    Json(RegisterResponse {
        container_instance_arn: format!("arn:aws:ecs:us-east-1:0:container-instance/c/{id}"),
        container_instance_id: id,
        poll_wait_ms: 5_000,
    })
}

async fn handle_poll(
    State(server): State<Arc<FakeServer>>,
    Json(mut request): Json<PollRequest>,
) -> Json<PollResponse> {
    let reports = std::mem::take(&mut request.reports);
    let report_results = {
        let mut recorded = server.recorded.lock().expect("lock");
        recorded.reports_on_polls += reports.len();
        if server.takes_reports_on_polls {
            recorded.take(&request.cluster, &request.container_instance_id, reports)
        } else {
            Vec::new()
        }
    };
    let mut revision = server.revision.subscribe();
    let wait = Duration::from_millis(request.wait_ms);
    // Timing out is a normal long-poll answer: the same set again.
    let _ = tokio::time::timeout(wait, revision.wait_for(|r| *r != request.known_revision)).await;
    let revision = *server.revision.borrow();
    let tasks = server.recorded(|r| r.assignments.clone());
    // Always the whole set in full, as a server without brief or
    // changes-only answers sends it.
    Json(PollResponse {
        tasks,
        report_results,
        ..PollResponse::whole_set(revision)
    })
}

async fn handle_reports(
    State(server): State<Arc<FakeServer>>,
    Json(request): Json<ReportBatchRequest>,
) -> Json<ReportBatchResponse> {
    let mut recorded = server.recorded.lock().expect("lock");
    let results = recorded.take(
        &request.cluster,
        &request.container_instance_id,
        request.reports,
    );
    Json(ReportBatchResponse { results })
}

impl Recorded {
    /// Records every report as taken.
    fn take(
        &mut self,
        cluster: &str,
        instance_id: &str,
        reports: Vec<TaskStateReport>,
    ) -> Vec<ReportResult> {
        let mut results = Vec::new();
        for entry in reports {
            let desired_status = self
                .assignments
                .iter()
                .find(|a| a.task_arn == entry.task_arn)
                .map_or(DesiredStatus::Stopped, |a| a.desired_status);
            results.push(ReportResult {
                task_arn: entry.task_arn.clone(),
                outcome: ReportOutcome::Taken(ReportResponse {
                    applied: true,
                    desired_status,
                }),
            });
            self.reports.push(ReportRequest {
                cluster: cluster.to_owned(),
                container_instance_id: instance_id.to_owned(),
                task_arn: entry.task_arn,
                report: entry.report,
            });
        }
        results
    }
}

async fn start_fake_server(takes_reports_on_polls: bool) -> (Arc<FakeServer>, String) {
    let server = Arc::new(FakeServer {
        recorded: Mutex::new(Recorded::default()),
        revision: watch::channel(1).0,
        takes_reports_on_polls,
    });
    let router = Router::new()
        .route(REGISTER_PATH, post(handle_register))
        .route(POLL_PATH, post(handle_poll))
        .route(REPORTS_PATH, post(handle_reports))
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    (server, format!("http://{address}"))
}

/// An agent in its own runtime, so that killing it ends every task it
/// spawned at once, as a kill -9 of the process would.
struct AgentProcess {
    runtime: Option<tokio::runtime::Runtime>,
}

impl AgentProcess {
    fn start(config: AgentConfig) -> AgentProcess {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("agent runtime");
        runtime.spawn(async move {
            if let Err(err) = berth_agent::run(config, std::future::pending()).await {
                panic!("agent failed: {err:?}");
            }
        });
        AgentProcess {
            runtime: Some(runtime),
        }
    }

    fn kill(mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Drop for AgentProcess {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

fn agent_config(env: &TestEnv, endpoint: &str, data_dir: &std::path::Path) -> AgentConfig {
    let mut config = AgentConfig::new(endpoint, env.id.clone(), data_dir.to_path_buf());
    config.cpu = Some(2048);
    config.memory_mib = Some(1024);
    config.availability_zone = "zone-a".into();
    config.attributes = vec![("stack".into(), Some("blue".into()))];
    config.pull_behavior = PullBehavior::PreferCached;
    config.poll_wait = Duration::from_secs(5);
    config.cleanup_delay = Duration::from_secs(1);
    config.request_timeout = Duration::from_secs(5);
    config.runner = RunnerConfig {
        health_poll_interval: Duration::from_millis(250),
        wait_retry_delay: Duration::from_millis(250),
    };
    config
}

/// A one-container task whose container exits 7 on SIGTERM.
fn assignment(env: &TestEnv, family: &str) -> Assignment {
    let task_id = uuid::Uuid::new_v4().simple().to_string();
    let container = ContainerDefinition {
        name: "app".into(),
        image: env.image.clone(),
        command: Some(vec![
            "sh".into(),
            "-c".into(),
            "trap 'exit 7' TERM; while true; do sleep 0.1; done".into(),
        ]),
        essential: Some(true),
        stop_timeout: Some(5),
        docker_labels: Some(BTreeMap::from([(TEST_LABEL.to_string(), env.id.clone())])),
        ..Default::default()
    };
    Assignment {
        task_arn: format!(
            "arn:aws:ecs:us-east-1:000000000000:task/{}/{task_id}",
            env.id
        ),
        task_id,
        desired_status: DesiredStatus::Running,
        definition: TaskDefinition {
            spec: TaskDefinitionSpec {
                family: family.into(),
                containers: vec![container],
                ..Default::default()
            },
            revision: 1,
            status: TaskDefinitionStatus::Active,
            compatibilities: vec![],
            requires_attributes: vec![],
            registered_at_ms: 0,
            deregistered_at_ms: None,
            delete_requested_at_ms: None,
            registered_by: None,
        }
        .into(),
        overrides: TaskOverride::default(),
        stop_code: None,
        stopped_reason: None,
        registry_auth: None,
    }
}

/// Docker container ids of a task, any state.
async fn containers_of(driver: &DockerDriver, env: &TestEnv, task_arn: &str) -> Vec<String> {
    driver
        .list_by_label(TEST_LABEL, &env.id)
        .await
        .expect("list containers")
        .into_iter()
        .filter(|c| {
            c.labels
                .get("com.amazonaws.ecs.task-arn")
                .map(String::as_str)
                == Some(task_arn)
        })
        .map(|c| c.runtime_id)
        .collect()
}

fn running(report: &TaskReport) -> bool {
    report.last_status == TaskStatus::Running
}

fn stopped(report: &TaskReport) -> bool {
    report.last_status == TaskStatus::Stopped
}

#[tokio::test(flavor = "multi_thread")]
async fn agent_runs_stops_and_readopts_tasks_across_a_kill() {
    let server = runs_stops_and_readopts_across_a_kill(true).await;
    let on_polls = server.recorded(|r| r.reports_on_polls);
    assert!(on_polls > 0, "first reports of new tasks ride on polls");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_sends_reports_on_their_own_to_a_server_without_reports_on_polls() {
    let server = runs_stops_and_readopts_across_a_kill(false).await;
    // Once in each run the agent tried, and then stopped trying.
    let on_polls = server.recorded(|r| r.reports_on_polls);
    assert!(on_polls <= 4, "{on_polls} reports were sent on polls");
}

async fn runs_stops_and_readopts_across_a_kill(takes_reports_on_polls: bool) -> Arc<FakeServer> {
    let env = TestEnv::new().await;
    let driver = DockerDriver::connect().await.expect("docker");
    let (server, endpoint) = start_fake_server(takes_reports_on_polls).await;
    let data_dir = tempfile::tempdir().expect("data dir");

    // First run: registers and runs two tasks.
    let agent = AgentProcess::start(agent_config(&env, &endpoint, data_dir.path()));
    let kept = assignment(&env, "kept");
    let lost = assignment(&env, "lost");
    server.assign(|a| a.extend([kept.clone(), lost.clone()]));
    let first = server.report_matching(&kept.task_arn, running).await;
    server.report_matching(&lost.task_arn, running).await;
    assert_eq!(first.containers[0].last_status, ContainerStatus::Running);
    assert_eq!(containers_of(&driver, &env, &kept.task_arn).await.len(), 1);
    let registration = server.recorded(|r| r.registrations[0].clone());
    assert_eq!(registration.container_instance_id, None);
    assert_eq!((registration.cpu, registration.memory_mib), (2048, 1024));
    assert!(registration.host_id.starts_with("i-"));
    assert_eq!(
        registration.reserved_tcp_ports,
        vec![22, 2375, 2376, 51678, 51679, 51680]
    );
    let attribute = |name: &str| {
        registration
            .attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(attribute("ecs.os-type"), Some(Some("linux".into())));
    assert_eq!(
        attribute("ecs.availability-zone"),
        Some(Some("zone-a".into()))
    );
    assert_eq!(attribute("stack"), Some(Some("blue".into())));
    assert_eq!(
        attribute("ecs.capability.container-health-check"),
        Some(None)
    );
    assert_eq!(
        attribute("com.amazonaws.ecs.capability.docker-remote-api.1.17"),
        Some(None)
    );

    // Killed without a chance to clean up; meanwhile one task's container
    // disappears.
    agent.kill();
    for id in containers_of(&driver, &env, &lost.task_arn).await {
        driver.remove(&id).await.expect("remove lost container");
    }
    let reports_before = server.recorded(|r| r.reports.len());

    // Second run with the same data directory: same instance, the running
    // task adopted (not started again), the vanished one reported lost.
    let agent = AgentProcess::start(agent_config(&env, &endpoint, data_dir.path()));
    let adopted = server
        .report_matching(&kept.task_arn, |r| r.epoch == first.epoch + 1 && running(r))
        .await;
    assert_eq!(
        adopted.containers[0].runtime_id, first.containers[0].runtime_id,
        "the same container is supervised again"
    );
    let lost_report = server
        .report_matching(&lost.task_arn, |r| r.epoch == first.epoch + 1 && stopped(r))
        .await;
    assert_eq!(lost_report.stopped_reason.as_deref(), Some(LOST_REASON));
    let registrations = server.recorded(|r| r.registrations.clone());
    assert_eq!(registrations.len(), 2);
    assert_eq!(
        registrations[1].container_instance_id.as_deref(),
        Some("ci0")
    );
    assert_eq!(registrations[1].host_id, registration.host_id);
    assert_eq!(containers_of(&driver, &env, &kept.task_arn).await.len(), 1);
    assert!(server.recorded(|r| r.reports.len()) > reports_before);

    // The server stops the task: SIGTERM, exit code 7, STOPPED reported.
    server.assign(|a| {
        for task in a.iter_mut().filter(|t| t.task_arn == kept.task_arn) {
            task.desired_status = DesiredStatus::Stopped;
            task.stop_code = Some(StopCode::UserInitiated);
            task.stopped_reason = Some("stopped by the test".into());
        }
    });
    let stopped_report = server.report_matching(&kept.task_arn, stopped).await;
    assert_eq!(stopped_report.stop_code, Some(StopCode::UserInitiated));
    assert_eq!(
        stopped_report.stopped_reason.as_deref(),
        Some("stopped by the test")
    );
    assert_eq!(stopped_report.containers[0].exit_code, Some(7));
    assert_eq!(
        stopped_report.containers[0].last_status,
        ContainerStatus::Stopped
    );

    // Once the server drops the tasks, their containers are removed after
    // the cleanup delay and the checkpoint forgets them.
    server.assign(Vec::clear);
    let deadline = tokio::time::Instant::now() + LONG;
    loop {
        let checkpoint = Checkpoint::load_or_create(data_dir.path(), &env.id).expect("checkpoint");
        if checkpoint.tasks.is_empty()
            && containers_of(&driver, &env, &kept.task_arn)
                .await
                .is_empty()
        {
            assert_eq!(checkpoint.epoch, 2);
            assert_eq!(checkpoint.container_instance_id.as_deref(), Some("ci0"));
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "checkpoint still holds {:?}",
            checkpoint.tasks.keys().collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    agent.kill();
    server
}
