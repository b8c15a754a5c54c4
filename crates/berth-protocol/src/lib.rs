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
//! - [`ReportRequest`] carries a task's *whole* state, ordered by
//!   `(epoch, seq)`. The server ignores reports older than the last one it
//!   applied, so retries and reordering are harmless, and states only move
//!   forward.
//! - Registering again with the instance id from the agent's checkpoint
//!   returns the same container instance, so a restarted agent (or server)
//!   never creates a duplicate.

use berth_model::task::{DesiredStatus, TaskOverride, TaskReport};
use berth_model::task_definition::TaskDefinition;
use serde::{Deserialize, Serialize};

/// Where the protocol's endpoints live on the server.
pub const PATH_PREFIX: &str = "/agent/v1";
/// `POST` a [`RegisterRequest`], answered with a [`RegisterResponse`].
pub const REGISTER_PATH: &str = "/agent/v1/register";
/// `POST` a [`PollRequest`], answered with a [`PollResponse`].
pub const POLL_PATH: &str = "/agent/v1/poll";
/// `POST` a [`ReportRequest`], answered with a [`ReportResponse`].
pub const REPORT_PATH: &str = "/agent/v1/report";

/// Longest a poll may be held open before the server answers anyway.
pub const MAX_POLL_WAIT_MS: u64 = 30_000;

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
}

/// Every task the instance must run or stop, as of `revision`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PollResponse {
    pub revision: u64,
    pub tasks: Vec<Assignment>,
}

/// One task the agent is responsible for until it reports it STOPPED.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub task_arn: String,
    pub task_id: String,
    pub desired_status: DesiredStatus,
    /// The revision to run, as registered.
    pub definition: TaskDefinition,
    pub overrides: TaskOverride,
    /// Why the task must stop, once `desired_status` is STOPPED.
    pub stop_code: Option<berth_model::task::StopCode>,
    pub stopped_reason: Option<String>,
    /// Credentials for pulling images from Berth's own registry.
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
