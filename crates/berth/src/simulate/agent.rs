//! One simulated host: registers, long-polls its assignments (the
//! heartbeat) and reports its tasks RUNNING after a short delay and STOPPED
//! when asked to stop (or after a set lifetime), exactly as `berth agent`
//! does over the protocol, with no containers behind it: reports due when a
//! poll goes out ride on it, and after an answer that brought tasks the
//! next poll waits until their first reports fall due (at most a second).
//! `berth agent` waits until all of them are queued; here they all fall due
//! together, one acknowledgement delay after the answer.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use berth_model::task::{
    ContainerReport, ContainerStatus, DesiredStatus, HealthStatus, StopCode, TaskReport, TaskStatus,
};
use berth_protocol::{
    FIRST_REPORTS_LINGER_MS, MAX_POLL_WAIT_MS, MAX_REPORTS_PER_REQUEST, POLL_PATH, PollRequest,
    ProtocolError, ProtocolErrorCode, REGISTER_PATH, REPORTING_POLL_WAIT_MS, REPORTS_PATH,
    RegisterRequest, RegisterResponse, ReportBatchRequest, ReportBatchResponse, ReportOutcome,
    ReportResult, TaskStateReport,
};
use hyper::StatusCode;
use serde::Deserialize;
use tokio::sync::{Semaphore, watch};

use super::Stats;
use super::client::{ClientError, HttpClient, Link};

/// What every simulated agent shares.
pub struct Fleet {
    pub client: HttpClient,
    pub stats: Arc<Stats>,
    pub cluster: String,
    pub cpu: u32,
    pub memory_mib: u32,
    pub zones: u32,
    /// Register what a Berth agent registers (see `--agent-attributes`).
    pub agent_attributes: bool,
    /// Host ids are `<prefix>-<index>`, so a rerun finds the same instances.
    pub host_prefix: String,
    pub ack_delay_ms: u64,
    pub stop_after_ms: Option<u64>,
    pub poll_wait_ms: u64,
    /// Orders this run's reports after any earlier run's (unix seconds).
    pub epoch: u64,
    /// Bounds concurrent registrations so a fleet's start is not a stampede.
    pub register_permits: Semaphore,
    pub started: tokio::time::Instant,
}

impl Fleet {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

/// What the agent knows of one assigned task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracked {
    /// Shared by the tasks of one revision an answer brought.
    pub containers: Arc<[String]>,
    pub desired: DesiredStatus,
    /// When the task first appeared in an answer (ms since the run began).
    pub seen_at_ms: u64,
    pub running_at_ms: Option<u64>,
    pub stopped: bool,
    /// A failed report is retried no earlier than this.
    pub retry_at_ms: u64,
}

/// A report the agent owes now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Running(String),
    Stopped(String, StopCode),
}

impl Action {
    /// The task the report is about.
    pub fn task_arn(&self) -> &String {
        match self {
            Action::Running(arn) | Action::Stopped(arn, _) => arn,
        }
    }
}

/// The reports due at `now_ms` among the `pending` tasks (the ones that
/// may still owe one), and when the next one falls due.
pub fn decide<'a>(
    tasks: &HashMap<String, Tracked>,
    pending: impl IntoIterator<Item = &'a String>,
    now_ms: u64,
    ack_delay_ms: u64,
    stop_after_ms: Option<u64>,
) -> (Vec<Action>, Option<u64>) {
    let mut actions = Vec::new();
    let mut next_due: Option<u64> = None;
    for arn in pending {
        let Some(task) = tasks.get(arn) else {
            continue;
        };
        if task.stopped {
            continue;
        }
        let (due, action) = match (task.desired, task.running_at_ms) {
            (DesiredStatus::Stopped, _) => {
                (0, Action::Stopped(arn.clone(), StopCode::UserInitiated))
            }
            (DesiredStatus::Running, None) => (
                task.seen_at_ms.saturating_add(ack_delay_ms),
                Action::Running(arn.clone()),
            ),
            (DesiredStatus::Running, Some(running_at)) => match stop_after_ms {
                Some(lifetime) => (
                    running_at.saturating_add(lifetime),
                    Action::Stopped(arn.clone(), StopCode::EssentialContainerExited),
                ),
                None => continue,
            },
        };
        let due = due.max(task.retry_at_ms);
        if due <= now_ms {
            actions.push(action);
        } else {
            next_due = Some(next_due.map_or(due, |next| next.min(due)));
        }
    }
    // Stable order makes runs and tests repeatable.
    actions.sort_by(|a, b| action_arn(a).cmp(action_arn(b)));
    (actions, next_due)
}

fn action_arn(action: &Action) -> &str {
    match action {
        Action::Running(arn) | Action::Stopped(arn, _) => arn,
    }
}

/// The parts of a poll answer the simulator needs; the rest (definitions,
/// overrides, credentials) is skipped unparsed.
#[derive(Debug, Deserialize)]
pub struct PollView {
    pub revision: u64,
    /// The shared form's definitions, which its tasks name by place.
    #[serde(default)]
    pub definitions: Vec<DefinitionView>,
    pub tasks: Vec<AssignmentView>,
    /// Known tasks still to run, by id.
    #[serde(default)]
    pub running_known: Vec<String>,
    /// Known tasks now to stop.
    #[serde(default)]
    pub stopping_known: Vec<KnownView>,
    /// The set is the one of the last answer.
    #[serde(default)]
    pub unchanged: bool,
    /// Only the tasks that changed are named; the rest stay as they are.
    #[serde(default)]
    pub changes_only: bool,
    /// With `changes_only`: tasks no longer assigned, by id.
    #[serde(default)]
    pub removed: Vec<String>,
    /// What became of the reports that rode on the poll.
    #[serde(default)]
    pub report_results: Vec<ReportResult>,
}

/// A known task now to stop, as far as the simulator reads it.
#[derive(Debug, Deserialize)]
pub struct KnownView {
    pub task_id: String,
    pub desired_status: DesiredStatus,
}

/// One assignment, as far as the simulator reads it.
#[derive(Debug, Deserialize)]
pub struct AssignmentView {
    pub task_arn: String,
    pub desired_status: DesiredStatus,
    /// In the inline form.
    #[serde(default)]
    pub definition: Option<DefinitionView>,
    /// In the shared form: the place of the definition in the answer's.
    #[serde(default)]
    pub definition_ref: Option<usize>,
}

/// The container names of a task definition.
#[derive(Debug, Deserialize)]
pub struct DefinitionView {
    pub spec: SpecView,
}

impl DefinitionView {
    fn container_names(self) -> Arc<[String]> {
        self.spec.containers.into_iter().map(|c| c.name).collect()
    }
}

/// See [`DefinitionView`].
#[derive(Debug, Deserialize)]
pub struct SpecView {
    pub containers: Vec<NameView>,
}

/// See [`DefinitionView`].
#[derive(Debug, Deserialize)]
pub struct NameView {
    pub name: String,
}

/// Where an assignment's definition is written.
enum Definition {
    Inline(DefinitionView),
    /// Its place among the answer's definitions.
    Shared(usize),
}

/// Merges a poll answer into what the agent tracks: new tasks are added,
/// desired statuses updated, tasks no longer assigned forgotten; new and
/// updated tasks join `pending`. Returns how many tasks were new.
pub fn merge(
    tasks: &mut HashMap<String, Tracked>,
    pending: &mut HashSet<String>,
    answer: PollView,
    now_ms: u64,
) -> u64 {
    if answer.unchanged {
        return 0;
    }
    let mut new = 0;
    // The usual answer: every task held is still to run, so only new tasks
    // need looking at.
    let all_still_running = if answer.changes_only {
        answer.stopping_known.is_empty()
            && answer.running_known.is_empty()
            && answer.removed.is_empty()
    } else {
        answer.stopping_known.is_empty() && answer.running_known.len() == tasks.len()
    };
    // A whole set forgets the tasks it leaves out; changes name removals.
    let mut present = (!answer.changes_only).then(|| {
        HashSet::with_capacity(
            answer.tasks.len() + answer.running_known.len() + answer.stopping_known.len(),
        )
    });
    if !all_still_running {
        // The simulator keys its tasks by ARN; known ones come back by id.
        let by_id: HashMap<&str, &String> = tasks
            .keys()
            .filter_map(|arn| arn.rsplit('/').next().map(|id| (id, arn)))
            .collect();
        let mut desired = Vec::new();
        for task_id in &answer.running_known {
            if let Some(arn) = by_id.get(task_id.as_str()) {
                desired.push(((*arn).clone(), DesiredStatus::Running));
            }
        }
        for brief in &answer.stopping_known {
            if let Some(arn) = by_id.get(brief.task_id.as_str()) {
                desired.push(((*arn).clone(), brief.desired_status));
            }
        }
        let removed: Vec<String> = answer
            .removed
            .iter()
            .filter_map(|task_id| by_id.get(task_id.as_str()).map(|arn| (*arn).clone()))
            .collect();
        for (arn, status) in desired {
            if let Some(task) = tasks.get_mut(&arn)
                && task.desired != status
            {
                task.desired = status;
                pending.insert(arn.clone());
            }
            if let Some(present) = present.as_mut() {
                present.insert(arn);
            }
        }
        for arn in removed {
            tasks.remove(&arn);
        }
    }
    let shared: Vec<Arc<[String]>> = answer
        .definitions
        .into_iter()
        .map(DefinitionView::container_names)
        .collect();
    for assignment in answer.tasks {
        // A task names its definition one way, as the protocol's own
        // decoder insists; any other task is not one the server writes, and
        // goes unreported.
        let definition = match (assignment.definition, assignment.definition_ref) {
            (Some(inline), None) => Definition::Inline(inline),
            (None, Some(place)) if place < shared.len() => Definition::Shared(place),
            _ => continue,
        };
        if let Some(present) = present.as_mut() {
            present.insert(assignment.task_arn.clone());
        }
        pending.insert(assignment.task_arn.clone());
        match tasks.get_mut(&assignment.task_arn) {
            Some(task) => task.desired = assignment.desired_status,
            None => {
                new += 1;
                // Names are made only for tasks new to the host: a whole
                // set names every task it holds in full.
                let containers = match definition {
                    Definition::Inline(inline) => inline.container_names(),
                    Definition::Shared(place) => shared[place].clone(),
                };
                tasks.insert(
                    assignment.task_arn,
                    Tracked {
                        containers,
                        desired: assignment.desired_status,
                        seen_at_ms: now_ms,
                        running_at_ms: None,
                        stopped: false,
                        retry_at_ms: 0,
                    },
                );
            }
        }
    }
    if !all_still_running {
        if let Some(present) = present {
            tasks.retain(|arn, _| present.contains(arn));
        }
        pending.retain(|arn| tasks.contains_key(arn));
    }
    new
}

/// Why one protocol exchange failed.
#[derive(Debug, thiserror::Error)]
enum ExchangeError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("the server answered {status}: {code:?}")]
    Refused {
        status: StatusCode,
        code: Option<ProtocolErrorCode>,
    },
    #[error("the answer is not the expected JSON")]
    Decode(#[source] serde_json::Error),
}

impl ExchangeError {
    fn instance_gone(&self) -> bool {
        matches!(
            self,
            ExchangeError::Refused {
                code: Some(ProtocolErrorCode::InstanceNotFound),
                ..
            }
        )
    }
}

/// Pause after a failed exchange so a struggling server is not hammered.
const BACKOFF: Duration = Duration::from_secs(1);
/// Extra time a request may take beyond the wait it asked for.
const REQUEST_SLACK: Duration = Duration::from_secs(60);

/// Runs host `index` until `shutdown` turns true.
pub async fn run(fleet: Arc<Fleet>, index: usize, mut shutdown: watch::Receiver<bool>) {
    let stopping = async move {
        let _ = shutdown.wait_for(|stop| *stop).await;
    };
    tokio::select! {
        () = stopping => {}
        () = live(&fleet, index) => {}
    }
}

/// A poll waiting for its answer while the host goes on reporting; it
/// holds the host's link until answered, and gives it back.
type OpenPoll<'a> =
    std::pin::Pin<Box<dyn Future<Output = (Link, Result<PollView, ExchangeError>)> + Send + 'a>>;

async fn live(fleet: &Fleet, index: usize) {
    let mut instance_id = None;
    let mut host = Host::default();
    let mut known_revision = 0;
    let mut open_poll: Option<OpenPoll<'_>> = None;
    // The host's connection for registering and polling, lent to the open
    // poll; a second one only for reports sent while a poll is open.
    let mut link: Option<Link> = None;
    let mut side_link: Option<Link> = None;
    // Reports riding on the open poll: their tasks owe nothing until it is
    // answered.
    let mut riding: Vec<Action> = Vec::new();
    let mut riding_tasks: HashSet<String> = HashSet::new();
    // After an answer that brought tasks, the next poll is held back until
    // their first reports fall due (as `berth agent` does), at most this long.
    let mut linger_until: Option<u64> = None;
    loop {
        let id = match &instance_id {
            Some(id) => String::clone(id),
            None => match register(
                fleet,
                link.get_or_insert_with(|| fleet.client.link()),
                index,
                None,
            )
            .await
            {
                Ok(id) => {
                    fleet.stats.add(&fleet.stats.registered, 1);
                    instance_id = Some(id.clone());
                    known_revision = 0;
                    // A poll for the instance the host was is of no use.
                    open_poll = None;
                    riding.clear();
                    riding_tasks.clear();
                    id
                }
                Err(_) => {
                    fleet.stats.add(&fleet.stats.register_errors, 1);
                    tokio::time::sleep(BACKOFF).await;
                    continue;
                }
            },
        };
        let now = fleet.now_ms();
        let (actions, next_due) = decide(
            &host.tasks,
            host.pending
                .iter()
                .filter(|arn| !riding_tasks.contains(*arn)),
            now,
            fleet.ack_delay_ms,
            fleet.stop_after_ms,
        );
        if open_poll.is_some() && !actions.is_empty() {
            // The poll is already open: these go on their own.
            for batch in actions.chunks(MAX_REPORTS_PER_REQUEST) {
                fleet.stats.add(&fleet.stats.report_requests, 1);
                let reports = host.reports(fleet, batch);
                let side = side_link.get_or_insert_with(|| fleet.client.link());
                let taken = match report(fleet, side, &id, reports).await {
                    Ok(answer) => taken(batch, answer.results),
                    Err(error) => {
                        if error.instance_gone() {
                            instance_id = None;
                            // Its poll is of no use, and would hold its
                            // permit and connection while the host registers.
                            open_poll = None;
                        }
                        vec![false; batch.len()]
                    }
                };
                host.settle(fleet, batch, &taken);
            }
            // Reporting changed what falls due next (a lifetime starts at
            // RUNNING), so decide again before waiting.
            continue;
        }
        if open_poll.is_none() {
            if let (Some(until), Some(due), true) = (linger_until, next_due, actions.is_empty())
                && due <= until
            {
                tokio::time::sleep(Duration::from_millis(due.saturating_sub(now))).await;
                continue;
            }
            linger_until = None;
            riding = actions.into_iter().take(MAX_REPORTS_PER_REQUEST).collect();
            riding_tasks = riding
                .iter()
                .map(|action| action.task_arn().clone())
                .collect();
            let reports = host.reports(fleet, &riding);
            let lent = link.take().unwrap_or_else(|| fleet.client.link());
            open_poll = Some(Box::pin(poll(fleet, lent, &id, known_revision, reports)));
        }
        // Like a real agent's poller and reporter, the poll stays open while
        // reports fall due and are sent.
        let Some(in_flight) = open_poll.as_mut() else {
            continue;
        };
        let answered = match next_due {
            Some(due) => {
                let until_due = Duration::from_millis(due.saturating_sub(fleet.now_ms()));
                tokio::select! {
                    answer = in_flight.as_mut() => Some(answer),
                    () = tokio::time::sleep(until_due) => None,
                }
            }
            None => Some(in_flight.as_mut().await),
        };
        let Some((returned, answer)) = answered else {
            continue;
        };
        link = Some(returned);
        open_poll = None;
        let ridden = std::mem::take(&mut riding);
        riding_tasks.clear();
        match answer {
            Ok(mut answer) => {
                fleet.stats.add(&fleet.stats.polls, 1);
                let results = std::mem::take(&mut answer.report_results);
                host.settle(fleet, &ridden, &taken(&ridden, results));
                known_revision = answer.revision;
                let new = merge(&mut host.tasks, &mut host.pending, answer, fleet.now_ms());
                if new > 0 {
                    fleet.stats.add(&fleet.stats.tasks_seen, new);
                    fleet.stats.seen_at(fleet.now_ms());
                    linger_until = Some(fleet.now_ms().saturating_add(FIRST_REPORTS_LINGER_MS));
                }
            }
            Err(error) => {
                fleet.stats.add(&fleet.stats.poll_errors, 1);
                host.settle(fleet, &ridden, &vec![false; ridden.len()]);
                if error.instance_gone() {
                    instance_id = None;
                    host = Host::default();
                } else {
                    tokio::time::sleep(BACKOFF).await;
                }
            }
        }
    }
}

/// What one simulated host knows of its tasks.
#[derive(Default)]
struct Host {
    tasks: HashMap<String, Tracked>,
    // The tasks that may still owe a report: a host holding hundreds of
    // running tasks looks only at these.
    pending: HashSet<String>,
    /// Sequence number of the last report.
    seq: u64,
}

impl Host {
    /// The reports `actions` call for, numbered in order.
    fn reports(&mut self, fleet: &Fleet, actions: &[Action]) -> Vec<TaskStateReport> {
        actions
            .iter()
            .map(|action| {
                self.seq += 1;
                let (arn, stop) = match action {
                    Action::Running(arn) => (arn, None),
                    Action::Stopped(arn, code) => (arn, Some(*code)),
                };
                let containers = self
                    .tasks
                    .get(arn)
                    .map(|t| &t.containers[..])
                    .unwrap_or_default();
                TaskStateReport {
                    task_arn: arn.clone(),
                    report: task_report(fleet.epoch, self.seq, containers, stop, unix_ms()),
                }
            })
            .collect()
    }

    /// Records which of `actions` the server took; the others are retried
    /// after a pause.
    fn settle(&mut self, fleet: &Fleet, actions: &[Action], taken: &[bool]) {
        let now = fleet.now_ms();
        for (action, taken) in actions.iter().zip(taken) {
            let Some(task) = self.tasks.get_mut(action.task_arn()) else {
                continue;
            };
            match (taken, action) {
                (true, Action::Running(arn)) => {
                    task.running_at_ms = Some(now);
                    fleet.stats.add(&fleet.stats.running_reported, 1);
                    fleet.stats.running_at(now);
                    if fleet.stop_after_ms.is_none() {
                        // Nothing more is owed until it is asked to stop.
                        self.pending.remove(arn);
                    }
                }
                (true, Action::Stopped(arn, _)) => {
                    task.stopped = true;
                    fleet.stats.add(&fleet.stats.stopped_reported, 1);
                    self.pending.remove(arn);
                }
                (false, _) => {
                    fleet.stats.add(&fleet.stats.report_errors, 1);
                    task.retry_at_ms = now + duration_ms(BACKOFF);
                }
            }
        }
    }
}

/// Which of `actions` the server took, by their `results` in order.
fn taken(actions: &[Action], results: Vec<ReportResult>) -> Vec<bool> {
    let mut results = results.into_iter();
    actions
        .iter()
        .map(|action| {
            results.next().is_some_and(|result| {
                &result.task_arn == action.task_arn()
                    && matches!(result.outcome, ReportOutcome::Taken(_))
            })
        })
        .collect()
}

fn duration_ms(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Registers host `index`; returns its container instance id.
async fn register(
    fleet: &Fleet,
    link: &mut Link,
    index: usize,
    known_id: Option<String>,
) -> Result<String, ExchangeError> {
    let _permit = fleet.register_permits.acquire().await;
    let zone_count = usize::try_from(fleet.zones.max(1)).unwrap_or(1);
    let zone = zone_name(index % zone_count);
    let request = RegisterRequest {
        cluster: fleet.cluster.clone(),
        host_id: format!("{}-{index}", fleet.host_prefix),
        container_instance_id: known_id,
        cpu: fleet.cpu,
        memory_mib: fleet.memory_mib,
        reserved_tcp_ports: vec![22],
        reserved_udp_ports: Vec::new(),
        attributes: if fleet.agent_attributes {
            agent_attributes(fleet, zone)
        } else {
            vec![
                ("ecs.availability-zone".to_owned(), Some(zone)),
                ("ecs.os-type".to_owned(), Some("linux".to_owned())),
                ("ecs.instance-type".to_owned(), Some("sim.large".to_owned())),
                ("berth.simulated".to_owned(), Some("true".to_owned())),
            ]
        },
        agent_version: format!("berth-simulate/{}", env!("CARGO_PKG_VERSION")),
        docker_version: "none".to_owned(),
    };
    let answer: RegisterResponse = exchange(link, REGISTER_PATH, &request, REQUEST_SLACK).await?;
    Ok(answer.container_instance_id)
}

/// What a Berth agent on Docker Engine API 1.41 registers for a host of the
/// fleet's size in `zone`, marked simulated.
fn agent_attributes(fleet: &Fleet, zone: String) -> Vec<(String, Option<String>)> {
    berth_agent::host::host_facts(&berth_agent::host::HostInputs {
        cores: fleet.cpu / 1024,
        mem_total_mib: fleet.memory_mib,
        cpu_override: Some(fleet.cpu),
        memory_override: Some(fleet.memory_mib),
        reserved_memory_mib: 0,
        arch: std::env::consts::ARCH,
        availability_zone: zone,
        docker_api: (1, 41),
        custom_attributes: vec![("berth.simulated".to_owned(), Some("true".to_owned()))],
    })
    .attributes
}

/// `us-east-1a`, `us-east-1b`, … (`us-east-1z1`, … beyond 26 zones).
pub fn zone_name(index: usize) -> String {
    match u8::try_from(index).ok().filter(|i| *i < 26) {
        Some(letter) => format!("us-east-1{}", char::from(b'a' + letter)),
        None => format!("us-east-1z{index}"),
    }
}

/// A poll for what changed since `known_revision`, whose whole set the
/// host holds, carrying `reports`, on `link`, which it gives back with the
/// answer. The request is built at once, so the host's tasks can change
/// while the poll is open.
fn poll(
    fleet: &Fleet,
    mut link: Link,
    instance_id: &str,
    known_revision: u64,
    reports: Vec<TaskStateReport>,
) -> impl Future<Output = (Link, Result<PollView, ExchangeError>)> + Send + use<> {
    // Reports are acknowledged only with the answer, so a poll carrying
    // them waits less.
    let longest = if reports.is_empty() {
        MAX_POLL_WAIT_MS
    } else {
        REPORTING_POLL_WAIT_MS
    };
    let wait_ms = fleet.poll_wait_ms.min(longest);
    let request = PollRequest {
        cluster: fleet.cluster.clone(),
        container_instance_id: instance_id.to_owned(),
        known_revision,
        wait_ms,
        known_tasks: Vec::new(),
        // The simulator needs only container names, which it kept.
        wants_changes: known_revision > 0,
        reports,
        takes_shared: true,
    };
    async move {
        let timeout = Duration::from_millis(wait_ms) + REQUEST_SLACK;
        let answer = exchange(&mut link, POLL_PATH, &request, timeout).await;
        (link, answer)
    }
}

/// Sends the reports of one instance in one request.
async fn report(
    fleet: &Fleet,
    link: &mut Link,
    instance_id: &str,
    reports: Vec<TaskStateReport>,
) -> Result<ReportBatchResponse, ExchangeError> {
    let request = ReportBatchRequest {
        cluster: fleet.cluster.clone(),
        container_instance_id: instance_id.to_owned(),
        reports,
    };
    exchange(link, REPORTS_PATH, &request, REQUEST_SLACK).await
}

/// The whole state of a task that runs (`stop` is `None`) or has stopped.
pub fn task_report(
    epoch: u64,
    seq: u64,
    containers: &[String],
    stop: Option<StopCode>,
    now_ms: i64,
) -> TaskReport {
    let (task_status, container_status, exit_code) = match stop {
        None => (TaskStatus::Running, ContainerStatus::Running, None),
        Some(_) => (TaskStatus::Stopped, ContainerStatus::Stopped, Some(0)),
    };
    TaskReport {
        epoch,
        seq,
        last_status: task_status,
        health_status: HealthStatus::Unknown,
        stop_code: stop,
        stopped_reason: stop.map(|code| match code {
            StopCode::UserInitiated => "Task stopped by user".to_owned(),
            _ => "Essential container in task exited".to_owned(),
        }),
        pull_started_at_ms: Some(now_ms),
        pull_stopped_at_ms: Some(now_ms),
        started_at_ms: Some(now_ms),
        stopping_at_ms: stop.map(|_| now_ms),
        execution_stopped_at_ms: stop.map(|_| now_ms),
        containers: containers
            .iter()
            .map(|name| ContainerReport {
                name: name.clone(),
                runtime_id: Some(format!("sim-{name}")),
                image_digest: None,
                last_status: container_status,
                exit_code,
                reason: None,
                health_status: HealthStatus::Unknown,
                network_bindings: Vec::new(),
            })
            .collect(),
    }
}

fn unix_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Posts `request` to `path` and decodes a 200 answer.
async fn exchange<T: serde::de::DeserializeOwned>(
    link: &mut Link,
    path: &'static str,
    request: &impl serde::Serialize,
    timeout: Duration,
) -> Result<T, ExchangeError> {
    let body = serde_json::to_vec(request).map_err(ExchangeError::Decode)?;
    let answer = link.post_json(path, body, timeout).await?;
    if answer.status != StatusCode::OK {
        let code = serde_json::from_slice::<ProtocolError>(&answer.body)
            .ok()
            .map(|error| error.code);
        return Err(ExchangeError::Refused {
            status: answer.status,
            code,
        });
    }
    serde_json::from_slice(&answer.body).map_err(ExchangeError::Decode)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracked(desired: DesiredStatus, seen: u64, running: Option<u64>, stopped: bool) -> Tracked {
        Tracked {
            containers: Arc::from(["app".to_owned()]),
            desired,
            seen_at_ms: seen,
            running_at_ms: running,
            stopped,
            retry_at_ms: 0,
        }
    }

    fn check(
        task: Tracked,
        now_ms: u64,
        stop_after_ms: Option<u64>,
        expected: (Vec<Action>, Option<u64>),
    ) {
        let tasks = HashMap::from([("t".to_owned(), task.clone())]);
        assert_eq!(
            decide(&tasks, tasks.keys(), now_ms, 100, stop_after_ms),
            expected,
            "{task:?} at {now_ms}"
        );
    }

    #[test]
    fn reports_fall_due_on_schedule() {
        use DesiredStatus::{Running, Stopped};
        let running = || Action::Running("t".to_owned());
        let stopped = |code| Action::Stopped("t".to_owned(), code);
        // Acknowledged after the delay, not before.
        check(
            tracked(Running, 1_000, None, false),
            1_050,
            None,
            (vec![], Some(1_100)),
        );
        check(
            tracked(Running, 1_000, None, false),
            1_100,
            None,
            (vec![running()], None),
        );
        // Running with no lifetime: nothing more to say.
        check(
            tracked(Running, 1_000, Some(1_100), false),
            9_000,
            None,
            (vec![], None),
        );
        // A lifetime ends in an exit.
        check(
            tracked(Running, 1_000, Some(1_100), false),
            2_000,
            Some(5_000),
            (vec![], Some(6_100)),
        );
        check(
            tracked(Running, 1_000, Some(1_100), false),
            6_100,
            Some(5_000),
            (vec![stopped(StopCode::EssentialContainerExited)], None),
        );
        // Asked to stop: at once, running or not.
        check(
            tracked(Stopped, 1_000, None, false),
            1_000,
            None,
            (vec![stopped(StopCode::UserInitiated)], None),
        );
        check(
            tracked(Stopped, 1_000, Some(1_100), false),
            1_200,
            None,
            (vec![stopped(StopCode::UserInitiated)], None),
        );
        // Already reported STOPPED: silent.
        check(
            tracked(Stopped, 1_000, Some(1_100), true),
            9_000,
            Some(1),
            (vec![], None),
        );
        // A failed report waits for its retry time.
        let mut failed = tracked(Running, 1_000, None, false);
        failed.retry_at_ms = 3_000;
        check(failed, 2_000, None, (vec![], Some(3_000)));
    }

    #[test]
    fn merging_an_answer_adds_updates_and_forgets() {
        let answer = r#"{"revision": 7, "tasks": [
            {"task_arn": "a", "task_id": "a", "desired_status": "stopped",
             "definition": {"spec": {"family": "f", "containers": [{"name": "web", "image": "x"}]}, "revision": 1},
             "overrides": {}, "stop_code": null, "stopped_reason": null, "registry_auth": null},
            {"task_arn": "b", "task_id": "b", "desired_status": "running",
             "definition": {"spec": {"containers": [{"name": "app"}, {"name": "log"}]}}}
        ]}"#;
        let answer: PollView = serde_json::from_str(answer).expect("a poll answer");
        assert_eq!(answer.revision, 7);
        let mut tasks = HashMap::from([
            (
                "a".to_owned(),
                tracked(DesiredStatus::Running, 5, Some(6), false),
            ),
            (
                "gone".to_owned(),
                tracked(DesiredStatus::Running, 5, Some(6), true),
            ),
        ]);
        let mut pending = HashSet::from(["gone".to_owned()]);
        assert_eq!(merge(&mut tasks, &mut pending, answer, 50), 1);
        let mut waiting: Vec<&str> = pending.iter().map(String::as_str).collect();
        waiting.sort_unstable();
        assert_eq!(
            waiting,
            ["a", "b"],
            "changed and new tasks, not forgotten ones"
        );
        let mut arns: Vec<&str> = tasks.keys().map(String::as_str).collect();
        arns.sort_unstable();
        assert_eq!(arns, ["a", "b"]);
        assert_eq!(tasks["a"].desired, DesiredStatus::Stopped);
        assert_eq!(tasks["a"].running_at_ms, Some(6));
        assert_eq!(
            tasks["b"],
            Tracked {
                containers: Arc::from(["app".to_owned(), "log".to_owned()]),
                desired: DesiredStatus::Running,
                seen_at_ms: 50,
                running_at_ms: None,
                stopped: false,
                retry_at_ms: 0,
            }
        );
    }

    #[test]
    fn merging_changes_adds_updates_and_forgets_only_what_they_name() {
        let answer = r#"{"revision": 9, "changes_only": true,
            "tasks": [{"task_arn": "arn/c", "desired_status": "running",
                       "definition": {"spec": {"containers": [{"name": "web"}]}}}],
            "stopping_known": [{"task_id": "a", "desired_status": "stopped"}],
            "removed": ["gone"]}"#;
        let answer: PollView = serde_json::from_str(answer).expect("a poll answer");
        let mut tasks: HashMap<String, Tracked> = ["arn/a", "arn/b", "arn/gone"]
            .into_iter()
            .map(|arn| {
                (
                    arn.to_owned(),
                    tracked(DesiredStatus::Running, 5, Some(6), false),
                )
            })
            .collect();
        let mut pending = HashSet::new();
        assert_eq!(merge(&mut tasks, &mut pending, answer, 50), 1);
        let mut arns: Vec<&str> = tasks.keys().map(String::as_str).collect();
        arns.sort_unstable();
        assert_eq!(arns, ["arn/a", "arn/b", "arn/c"], "b is not named, so kept");
        assert_eq!(tasks["arn/a"].desired, DesiredStatus::Stopped);
        assert_eq!(tasks["arn/b"].desired, DesiredStatus::Running);
        let mut waiting: Vec<&str> = pending.iter().map(String::as_str).collect();
        waiting.sort_unstable();
        assert_eq!(waiting, ["arn/a", "arn/c"]);
    }

    #[test]
    fn merging_the_shared_form_reads_each_definition_once() {
        let answer = r#"{"revision": 4, "changes_only": true,
            "definitions": [{"spec": {"containers": [{"name": "web"}, {"name": "log"}]}}],
            "tasks": [
                {"task_arn": "arn/a", "desired_status": "running", "definition_ref": 0},
                {"task_arn": "arn/b", "desired_status": "running", "definition_ref": 0},
                {"task_arn": "arn/c", "desired_status": "running", "definition_ref": 1},
                {"task_arn": "arn/d", "desired_status": "running", "definition_ref": 0,
                 "definition": {"spec": {"containers": [{"name": "web"}]}}},
                {"task_arn": "arn/e", "desired_status": "running"}
            ]}"#;
        let answer: PollView = serde_json::from_str(answer).expect("a poll answer");
        let (mut tasks, mut pending) = (HashMap::new(), HashSet::new());
        assert_eq!(
            merge(&mut tasks, &mut pending, answer, 10),
            2,
            "a task naming a definition the answer lacks, two, or none is passed over"
        );
        assert_eq!(&tasks["arn/a"].containers[..], ["web", "log"]);
        assert!(Arc::ptr_eq(
            &tasks["arn/a"].containers,
            &tasks["arn/b"].containers
        ));
        for passed_over in ["arn/c", "arn/d", "arn/e"] {
            assert!(!tasks.contains_key(passed_over), "{passed_over}");
        }
    }

    #[test]
    fn zones_are_lettered() {
        for (index, expected) in [
            (0, "us-east-1a"),
            (2, "us-east-1c"),
            (25, "us-east-1z"),
            (26, "us-east-1z26"),
        ] {
            assert_eq!(zone_name(index), expected);
        }
    }

    #[test]
    fn reports_carry_the_whole_state() {
        let report = task_report(3, 9, &["web".to_owned()], Some(StopCode::UserInitiated), 42);
        assert_eq!((report.epoch, report.seq), (3, 9));
        assert_eq!(report.last_status, TaskStatus::Stopped);
        assert_eq!(report.containers[0].last_status, ContainerStatus::Stopped);
        assert_eq!(report.containers[0].exit_code, Some(0));
        let report = task_report(3, 10, &["web".to_owned()], None, 42);
        assert_eq!(report.last_status, TaskStatus::Running);
        assert_eq!(report.stop_code, None);
        assert_eq!(report.started_at_ms, Some(42));
    }
}
