//! The agent protocol: how a `berth agent` registers its host, learns which
//! tasks it must run, and reports what happened to them. JSON over HTTP on
//! the server's one port, under [`PATH_PREFIX`].
//!
//! The protocol is level-triggered so that no message can be lost or
//! duplicated in effect:
//! - [`PollResponse`] always carries the *whole* set of tasks the instance
//!   must run or stop, stamped with a store revision. An agent that missed
//!   an answer simply polls again; one that sees the same set twice changes
//!   nothing.
//! - What cannot change (a task's definition and overrides) is sent once:
//!   the agent lists the tasks it already holds in full, and the answer
//!   names those by id while they are to keep running, or in brief
//!   ([`KnownAssignment`]) once they are to stop. [`AssignmentCache`] turns
//!   the answer back into the whole set, so the agent acts on the same
//!   level-triggered picture either way, and a poll carries objects only for
//!   what changed.
//! - An agent whose cache holds the whole set of its `known_revision` says
//!   so ([`PollRequest::wants_changes`]) instead of listing it. The server
//!   then answers with only the tasks whose assignment changed since
//!   ([`PollResponse::changes_only`]), so a poll costs what changed, not
//!   what the host holds; when it cannot tell what changed (after its own
//!   restart, say) it answers the whole set as before, counting every task
//!   assigned by `known_revision` as known.
//! - [`ReportRequest`] carries a task's *whole* state, ordered by
//!   `(epoch, seq)`. The server ignores reports older than the last one it
//!   applied, so retries and reordering are harmless, and states only move
//!   forward.
//! - An agent that says so ([`PollRequest::takes_shared`]) is answered in
//!   the shared form ([`AnswerForm::Shared`]): each task definition once per
//!   answer, in `definitions`, with every assignment naming its place there,
//!   and the registry credentials once, in the answer's `registry_auth`. On
//!   a host given many tasks of one revision that is most of an answer's
//!   bytes. An answer decodes the same in either form.
//! - Reports may also ride on a poll ([`PollRequest::reports`]): the server
//!   applies them before the poll waits and says what became of them in the
//!   answer. An agent given new tasks sends their first reports with its
//!   next poll, so on a busy host a task costs one exchange, not two.
//! - Registering again with the instance id from the agent's checkpoint
//!   returns the same container instance, so a restarted agent (or server)
//!   never creates a duplicate.

use berth_model::task::{DesiredStatus, TaskOverride, TaskReport};
use serde::{Deserialize, Serialize};

mod answer;
mod definition;

pub use answer::AnswerForm;
pub use definition::SharedDefinition;

/// Where the protocol's endpoints live on the server.
pub const PATH_PREFIX: &str = "/agent/v1";
/// `POST` a [`RegisterRequest`], answered with a [`RegisterResponse`].
pub const REGISTER_PATH: &str = "/agent/v1/register";
/// `POST` a [`PollRequest`], answered with a [`PollResponse`].
pub const POLL_PATH: &str = "/agent/v1/poll";
/// `POST` a [`ReportRequest`], answered with a [`ReportResponse`].
pub const REPORT_PATH: &str = "/agent/v1/report";
/// `POST` a [`ReportBatchRequest`], answered with a [`ReportBatchResponse`].
pub const REPORTS_PATH: &str = "/agent/v1/reports";
/// Most reports one [`ReportBatchRequest`] may carry.
pub const MAX_REPORTS_PER_REQUEST: usize = 100;

/// Longest a poll may be held open before the server answers anyway.
pub const MAX_POLL_WAIT_MS: u64 = 30_000;

/// How long an agent holds its next poll back, after an answer that brought
/// tasks, for their first reports to ride on it.
pub const FIRST_REPORTS_LINGER_MS: u64 = 1_000;
/// The longest wait an agent asks for on a poll that carries reports: they
/// are acknowledged only by its answer. The server applies them durably
/// before it waits, so the answer only lets the agent forget them; but a
/// wait that ends before the host's next task comes costs the host an
/// exchange that brings nothing, so it is a few seconds, not one.
pub const REPORTING_POLL_WAIT_MS: u64 = 5_000;

/// A host introducing itself to a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterRequest {
    pub cluster: String,
    /// Stable identity of the host (kept in the agent's data directory).
    pub host_id: String,
    /// The instance id from the agent's checkpoint, when it has one.
    pub container_instance_id: Option<String>,
    pub cpu: u32,
    pub memory_mib: u32,
    /// Host ports that tasks may never use (SSH, the Docker API, …).
    pub reserved_tcp_ports: Vec<u16>,
    pub reserved_udp_ports: Vec<u16>,
    /// `ecs.*` facts, capabilities and custom attributes, `(name, value)`.
    pub attributes: Vec<(String, Option<String>)>,
    pub agent_version: String,
    pub docker_version: String,
}

/// The container instance the host is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterResponse {
    pub container_instance_id: String,
    pub container_instance_arn: String,
    /// How long the agent should hold each poll open.
    pub poll_wait_ms: u64,
}

/// "Tell me what to run once it differs from what I know." Also the
/// agent's heartbeat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollRequest {
    pub cluster: String,
    pub container_instance_id: String,
    /// The revision of the last answer the agent acted on (0 at first).
    pub known_revision: u64,
    /// How long the server may wait for a change, capped at [`MAX_POLL_WAIT_MS`].
    pub wait_ms: u64,
    /// Ids of tasks the agent already holds in full from earlier answers;
    /// the server may answer them in brief. At most [`MAX_KNOWN_TASKS`] are
    /// honoured.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub known_tasks: Vec<String>,
    /// The agent holds in full every task assigned as of `known_revision`,
    /// so it need not list them, and it takes an answer of only what
    /// changed since.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub wants_changes: bool,
    /// Reports riding on the poll, at most [`MAX_REPORTS_PER_REQUEST`]:
    /// applied as a [`ReportBatchRequest`]'s would be, durably, before the
    /// poll waits; what became of them comes back in the answer's
    /// `report_results`. An agent that has just been given tasks can so
    /// send their first reports with its next poll, and a task costs the
    /// host one exchange instead of two.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<TaskStateReport>,
    /// The agent reads answers in the shared form ([`AnswerForm::Shared`]).
    /// A server older than the field ignores it and answers in the inline
    /// form, which every agent reads.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub takes_shared: bool,
}

/// Most `known_tasks` a server reads from one poll; beyond them tasks are
/// answered in full.
pub const MAX_KNOWN_TASKS: usize = 10_000;

/// Every task the instance must run or stop, as of `revision`: in full in
/// `tasks`; the ones the request listed as known by id in `running_known`
/// while they are to keep running, or in brief in `stopping_known`.
///
/// Written and read through the wire forms in `answer.rs`; members unset
/// (empty, false, none) are left out.
#[derive(Debug, Clone)]
pub struct PollResponse {
    pub revision: u64,
    pub tasks: Vec<Assignment>,
    pub running_known: Vec<String>,
    pub stopping_known: Vec<KnownAssignment>,
    /// Fresh credentials for Berth's own registry, for the known tasks, and
    /// in the shared form for any task in `tasks` that leaves its own out
    /// (so there a task without credentials under an answer with some reads
    /// as having the answer's; the server never answers such a task).
    pub registry_auth: Option<RegistryCredentials>,
    /// The set is exactly the one of the agent's `known_revision`, which is
    /// also this answer's revision; only sent to agents that listed known
    /// tasks, and nothing else in the answer is set but `report_results`.
    pub unchanged: bool,
    /// Only to agents that asked with `wants_changes`: the answer names only
    /// the tasks whose assignment changed since the request's
    /// `known_revision` (new ones in full, known ones in brief, and the ones
    /// no longer assigned in `removed`); every other task the agent holds
    /// stays as it is.
    pub changes_only: bool,
    /// With `changes_only`: tasks the instance is no longer responsible for,
    /// because their STOPPED state is recorded.
    pub removed: Vec<String>,
    /// What became of each of the request's `reports`, in their order; set
    /// whatever else the answer says.
    pub report_results: Vec<ReportResult>,
    /// How the answer is written; not itself a member of it, and not
    /// compared. A decoded answer that lists definitions is of the shared
    /// form; one without any reads as inline, which writes it the same.
    pub form: AnswerForm,
}

impl PartialEq for PollResponse {
    /// What the answers say, whatever form they are written in.
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision
            && self.tasks == other.tasks
            && self.running_known == other.running_known
            && self.stopping_known == other.stopping_known
            && self.registry_auth == other.registry_auth
            && self.unchanged == other.unchanged
            && self.changes_only == other.changes_only
            && self.removed == other.removed
            && self.report_results == other.report_results
    }
}

impl PollResponse {
    /// "Nothing changed since `revision`."
    pub fn unchanged(revision: u64) -> PollResponse {
        PollResponse {
            unchanged: true,
            ..PollResponse::whole_set(revision)
        }
    }

    /// An empty answer naming the whole set as of `revision`, to fill in.
    pub fn whole_set(revision: u64) -> PollResponse {
        PollResponse {
            revision,
            tasks: Vec::new(),
            running_known: Vec::new(),
            stopping_known: Vec::new(),
            registry_auth: None,
            unchanged: false,
            changes_only: false,
            removed: Vec::new(),
            report_results: Vec::new(),
            form: AnswerForm::Inline,
        }
    }
}

/// A known task that is now to stop, and why. Unset members are left out;
/// readers of every version take an absent one as unset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnownAssignment {
    pub task_id: String,
    pub desired_status: DesiredStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_code: Option<berth_model::task::StopCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_reason: Option<String>,
}

/// One task the agent is responsible for until it reports it STOPPED.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub task_arn: String,
    pub task_id: String,
    pub desired_status: DesiredStatus,
    /// The revision to run, as registered.
    pub definition: SharedDefinition,
    pub overrides: TaskOverride,
    /// Why the task must stop, once `desired_status` is STOPPED.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_code: Option<berth_model::task::StopCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_reason: Option<String>,
    /// Credentials for pulling images from Berth's own registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_auth: Option<RegistryCredentials>,
}

/// A username and password for one registry host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryCredentials {
    /// `host:port` these credentials are good for.
    pub server_address: String,
    pub username: String,
    pub password: String,
}

/// The whole current state of one task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRequest {
    pub cluster: String,
    pub container_instance_id: String,
    pub task_arn: String,
    pub report: TaskReport,
}

/// Whether the report changed the stored task, and what is wanted of it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportResponse {
    pub applied: bool,
    pub desired_status: DesiredStatus,
}

/// The whole current states of several tasks of one instance, each applied
/// as its own [`ReportRequest`] would be, so a busy host pays for one
/// request instead of one per task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportBatchRequest {
    pub cluster: String,
    pub container_instance_id: String,
    /// At most [`MAX_REPORTS_PER_REQUEST`].
    pub reports: Vec<TaskStateReport>,
}

/// One task's whole state within a [`ReportBatchRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskStateReport {
    pub task_arn: String,
    pub report: TaskReport,
}

/// What became of each report, in the order they were sent. Failures that
/// concern the whole request (an unknown instance, a malformed body) are
/// answered as errors of the request instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportBatchResponse {
    pub results: Vec<ReportResult>,
}

/// What became of one report of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportResult {
    pub task_arn: String,
    pub outcome: ReportOutcome,
}

/// Taken (as [`ReportResponse`] says), or refused with the error a single
/// report would have got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportOutcome {
    Taken(ReportResponse),
    Refused(ProtocolError),
}

/// Any protocol failure; `code` is stable, `message` is for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtocolError {
    pub code: ProtocolErrorCode,
    pub message: String,
}

/// What went wrong with a protocol request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProtocolErrorCode {
    /// The body is not a valid request.
    BadRequest,
    /// The cluster does not exist or is not ACTIVE.
    ClusterNotFound,
    /// The instance was deregistered; the agent must register anew.
    InstanceNotFound,
    /// The task is not on this instance.
    TaskNotFound,
    /// The server failed; retry later.
    Internal,
}

/// The whole assignments an agent holds and the revision they are of, so
/// that its polls can ask for only what changed and brief answers can be
/// completed.
#[derive(Debug, Default)]
pub struct AssignmentCache {
    full: std::collections::HashMap<String, Assignment>,
    /// The revision `full` is the whole set of; 0 while it holds nothing
    /// the server answered.
    revision: u64,
}

/// A brief answer named a task the agent does not hold in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTask(pub String);

impl std::fmt::Display for UnknownTask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the server answered task {} in brief, but it is not known here",
            self.0
        )
    }
}

impl std::error::Error for UnknownTask {}

impl AssignmentCache {
    /// The next poll of `container_instance_id`: from the revision the cache
    /// holds, asking for only what changed since.
    pub fn poll_request(
        &self,
        cluster: &str,
        container_instance_id: &str,
        wait_ms: u64,
    ) -> PollRequest {
        PollRequest {
            cluster: cluster.to_owned(),
            container_instance_id: container_instance_id.to_owned(),
            known_revision: self.revision,
            wait_ms,
            known_tasks: Vec::new(),
            wants_changes: self.revision > 0,
            reports: Vec::new(),
            takes_shared: true,
        }
    }

    /// The revision of the set the cache holds (0 for none).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Whether the cache holds task `task_id` in full.
    pub fn holds(&self, task_id: &str) -> bool {
        self.full.contains_key(task_id)
    }

    /// Turns `response` into one where every task is in full, and from then
    /// on holds exactly the tasks it names. On an error the cache is emptied,
    /// so the next poll asks for everything in full.
    pub fn complete(&mut self, response: PollResponse) -> Result<PollResponse, UnknownTask> {
        let revision = response.revision;
        let credentials = response.registry_auth.clone();
        let merged = if response.unchanged {
            Ok(())
        } else if response.changes_only {
            self.apply_changes(response)
        } else {
            self.replace(response)
        };
        if let Err(unknown) = merged {
            self.clear();
            return Err(unknown);
        }
        self.revision = revision;
        Ok(PollResponse {
            tasks: self.sorted(),
            registry_auth: credentials,
            ..PollResponse::whole_set(revision)
        })
    }

    /// Takes a whole-set answer: the cache holds exactly what it names.
    fn replace(&mut self, response: PollResponse) -> Result<(), UnknownTask> {
        let mut full = std::collections::HashMap::with_capacity(
            response.tasks.len() + response.running_known.len() + response.stopping_known.len(),
        );
        let mut take = |task_id: &str| match self.full.remove(task_id) {
            Some(assignment) => Ok(assignment),
            None => Err(UnknownTask(task_id.to_owned())),
        };
        let mut known = Vec::new();
        for task_id in &response.running_known {
            let mut assignment = take(task_id)?;
            assignment.desired_status = DesiredStatus::Running;
            known.push(assignment);
        }
        for brief in response.stopping_known {
            let mut assignment = take(&brief.task_id)?;
            brief.apply_to(&mut assignment);
            known.push(assignment);
        }
        for mut assignment in known {
            if response.registry_auth.is_some() {
                assignment.registry_auth = response.registry_auth.clone();
            }
            full.insert(assignment.task_id.clone(), assignment);
        }
        for assignment in response.tasks {
            full.insert(assignment.task_id.clone(), assignment);
        }
        self.full = full;
        Ok(())
    }

    /// Takes an answer of only what changed: the rest stays as held.
    fn apply_changes(&mut self, response: PollResponse) -> Result<(), UnknownTask> {
        for task_id in &response.running_known {
            self.held(task_id)?.desired_status = DesiredStatus::Running;
        }
        for brief in response.stopping_known {
            let held = self.held(&brief.task_id)?;
            brief.apply_to(held);
        }
        for task_id in &response.removed {
            self.full.remove(task_id);
        }
        if response.registry_auth.is_some() {
            for assignment in self.full.values_mut() {
                assignment.registry_auth = response.registry_auth.clone();
            }
        }
        for assignment in response.tasks {
            self.full.insert(assignment.task_id.clone(), assignment);
        }
        Ok(())
    }

    fn held(&mut self, task_id: &str) -> Result<&mut Assignment, UnknownTask> {
        self.full
            .get_mut(task_id)
            .ok_or_else(|| UnknownTask(task_id.to_owned()))
    }

    /// Every held assignment, by task id.
    fn sorted(&self) -> Vec<Assignment> {
        let mut tasks: Vec<Assignment> = self.full.values().cloned().collect();
        tasks.sort_by(|a, b| a.task_id.cmp(&b.task_id));
        tasks
    }

    /// Forgets everything, as after registering anew.
    pub fn clear(&mut self) {
        self.full.clear();
        self.revision = 0;
    }
}

impl KnownAssignment {
    /// Sets what the brief says on the held assignment.
    fn apply_to(self, assignment: &mut Assignment) {
        assignment.desired_status = self.desired_status;
        assignment.stop_code = self.stop_code;
        assignment.stopped_reason = self.stopped_reason;
    }
}

#[cfg(test)]
mod tests {
    use berth_model::task_definition::{TaskDefinition, TaskDefinitionStatus};

    use super::*;

    fn definition() -> TaskDefinition {
        TaskDefinition {
            spec: Default::default(),
            revision: 1,
            status: TaskDefinitionStatus::Active,
            compatibilities: Vec::new(),
            requires_attributes: Vec::new(),
            registered_at_ms: 0,
            deregistered_at_ms: None,
            delete_requested_at_ms: None,
            registered_by: None,
        }
    }

    fn assignment(task_id: &str) -> Assignment {
        Assignment {
            task_arn: format!("arn:aws:ecs:us-east-1:000000000000:task/c/{task_id}"),
            task_id: task_id.to_owned(),
            desired_status: DesiredStatus::Running,
            definition: definition().into(),
            overrides: TaskOverride::default(),
            stop_code: None,
            stopped_reason: None,
            registry_auth: None,
        }
    }

    fn answer(revision: u64, tasks: Vec<Assignment>, running_known: &[&str]) -> PollResponse {
        PollResponse {
            revision,
            tasks,
            running_known: running_known.iter().map(|id| (*id).to_owned()).collect(),
            ..PollResponse::whole_set(revision)
        }
    }

    fn sorted(mut ids: Vec<String>) -> Vec<String> {
        ids.sort();
        ids
    }

    fn held(cache: &AssignmentCache) -> Vec<String> {
        sorted(cache.full.keys().cloned().collect())
    }

    #[test]
    fn brief_answers_complete_to_the_whole_set() {
        let mut cache = AssignmentCache::default();
        let (a, b) = (assignment("a"), assignment("b"));
        let first = cache
            .complete(answer(5, vec![a.clone(), b.clone()], &[]))
            .expect("full answers need nothing known");
        assert_eq!(first.tasks, vec![a.clone(), b.clone()]);
        assert_eq!(sorted(held(&cache)), ["a", "b"]);

        // b is asked to stop, a is gone, c is new; fresh credentials.
        let c = assignment("c");
        let credentials = RegistryCredentials {
            server_address: "127.0.0.1:4510".to_owned(),
            username: "AWS".to_owned(),
            password: "fresh".to_owned(),
        };
        let mut second = answer(9, vec![c.clone()], &[]);
        second.stopping_known = vec![KnownAssignment {
            task_id: "b".to_owned(),
            desired_status: DesiredStatus::Stopped,
            stop_code: None,
            stopped_reason: Some("Task stopped by user".to_owned()),
        }];
        second.registry_auth = Some(credentials.clone());
        let second = cache.complete(second).expect("b is known");
        let mut b_expected = b.clone();
        b_expected.desired_status = DesiredStatus::Stopped;
        b_expected.stopped_reason = Some("Task stopped by user".to_owned());
        b_expected.registry_auth = Some(credentials);
        assert_eq!(second.revision, 9);
        assert_eq!(second.tasks, vec![b_expected, c.clone()]);
        assert_eq!(sorted(held(&cache)), ["b", "c"]);

        // Named by id only, c keeps running as received.
        let third = cache.complete(answer(12, Vec::new(), &["c"])).expect("c");
        assert_eq!(third.tasks, vec![c]);
        assert_eq!(held(&cache), ["c"]);
    }

    #[test]
    fn an_unchanged_answer_completes_to_the_held_set() {
        let mut cache = AssignmentCache::default();
        let (a, b) = (assignment("a"), assignment("b"));
        cache
            .complete(answer(7, vec![b.clone(), a.clone()], &[]))
            .expect("full");
        let again = cache
            .complete(PollResponse::unchanged(7))
            .expect("nothing to look up");
        assert_eq!(again.revision, 7);
        assert_eq!(again.tasks, vec![a, b]);
        assert!(!again.unchanged, "a completed answer names the whole set");
        assert_eq!(sorted(held(&cache)), ["a", "b"]);
    }

    #[test]
    fn a_brief_answer_for_an_unknown_task_empties_the_cache() {
        let mut cache = AssignmentCache::default();
        cache
            .complete(answer(1, vec![assignment("a")], &[]))
            .expect("full");
        assert_eq!(
            cache.complete(answer(2, Vec::new(), &["a", "z"])),
            Err(UnknownTask("z".to_owned()))
        );
        assert!(held(&cache).is_empty());
    }

    #[test]
    fn polls_ask_for_changes_once_a_set_is_held() {
        let mut cache = AssignmentCache::default();
        let first = cache.poll_request("c", "i", 1_000);
        assert_eq!((first.known_revision, first.wants_changes), (0, false));
        cache
            .complete(answer(4, vec![assignment("a")], &[]))
            .expect("full");
        let next = cache.poll_request("c", "i", 1_000);
        assert_eq!((next.known_revision, next.wants_changes), (4, true));
        assert!(
            next.known_tasks.is_empty(),
            "the revision stands for the set"
        );
        cache.clear();
        assert!(!cache.poll_request("c", "i", 1_000).wants_changes);
    }

    #[test]
    fn a_changes_only_answer_patches_the_held_set() {
        let mut cache = AssignmentCache::default();
        let (a, b, c) = (assignment("a"), assignment("b"), assignment("c"));
        cache
            .complete(answer(3, vec![a.clone(), b.clone(), c.clone()], &[]))
            .expect("full");
        // b is to stop, c is gone, d is new; a is not named and stays.
        let d = assignment("d");
        let mut changes = answer(8, vec![d.clone()], &[]);
        changes.changes_only = true;
        changes.stopping_known = vec![KnownAssignment {
            task_id: "b".to_owned(),
            desired_status: DesiredStatus::Stopped,
            stop_code: Some(berth_model::task::StopCode::UserInitiated),
            stopped_reason: Some("Task stopped by user".to_owned()),
        }];
        changes.removed = vec!["c".to_owned(), "never-held".to_owned()];
        let whole = cache.complete(changes).expect("b is held");
        let mut b_stopping = b;
        b_stopping.desired_status = DesiredStatus::Stopped;
        b_stopping.stop_code = Some(berth_model::task::StopCode::UserInitiated);
        b_stopping.stopped_reason = Some("Task stopped by user".to_owned());
        assert_eq!(whole.revision, 8);
        assert!(!whole.changes_only && whole.removed.is_empty());
        assert_eq!(whole.tasks, vec![a, b_stopping, d]);
        assert_eq!(cache.revision(), 8);

        // A brief for a task not held cannot be completed: start over.
        let mut bad = answer(9, Vec::new(), &["zz"]);
        bad.changes_only = true;
        assert_eq!(cache.complete(bad), Err(UnknownTask("zz".to_owned())));
        assert_eq!(cache.revision(), 0);
        assert!(held(&cache).is_empty());
    }

    #[test]
    fn old_peers_interoperate() {
        // A request without known tasks, and an answer without briefs, parse.
        let request: PollRequest = serde_json::from_str(
            r#"{"cluster":"c","container_instance_id":"i","known_revision":0,"wait_ms":1}"#,
        )
        .expect("old request");
        assert!(request.known_tasks.is_empty());
        let response: PollResponse =
            serde_json::from_str(r#"{"revision":3,"tasks":[]}"#).expect("old answer");
        assert!(response.running_known.is_empty() && response.stopping_known.is_empty());
    }

    #[test]
    fn a_known_task_to_stop_leaves_unset_members_out() {
        let stopping = KnownAssignment {
            task_id: "t".to_owned(),
            desired_status: DesiredStatus::Stopped,
            stop_code: None,
            stopped_reason: None,
        };
        let written = serde_json::to_string(&stopping).expect("encodes");
        assert_eq!(written, r#"{"task_id":"t","desired_status":"stopped"}"#);
        assert_eq!(
            serde_json::from_str::<KnownAssignment>(&written).expect("decodes"),
            stopping
        );
        // What servers before this wrote, nulls included, reads the same.
        let older =
            r#"{"task_id":"t","desired_status":"stopped","stop_code":null,"stopped_reason":null}"#;
        assert_eq!(
            serde_json::from_str::<KnownAssignment>(older).expect("decodes"),
            stopping
        );
        let reasoned = KnownAssignment {
            stop_code: Some(berth_model::task::StopCode::UserInitiated),
            stopped_reason: Some("scaled in".to_owned()),
            ..stopping
        };
        let written = serde_json::to_string(&reasoned).expect("encodes");
        assert_eq!(
            serde_json::from_str::<KnownAssignment>(&written).expect("decodes"),
            reasoned
        );
    }
}
