//! Berth's host agent: the Docker driver, the task runner that turns a task
//! into real containers on the local Docker Engine, and the daemon
//! ([`run`]) that registers the host, long-polls its assignments and
//! reports every state change to the server.
//!
//! Decisions (start order, essential rule, task status and health,
//! re-adoption, what to do about each assignment) are pure functions in
//! [`decide`], [`adopt`] and [`reconcile`]; conversions in [`assign`] and
//! [`report`]; Docker calls live in [`docker`] and are driven by [`runner`];
//! the server is reached through [`client`].

pub mod adopt;
pub mod assign;
pub mod checkpoint;
pub mod client;
pub mod daemon;
pub mod decide;
pub mod docker;
pub mod host;
pub mod outbox;
pub mod reconcile;
pub mod report;
pub mod runner;
pub mod spec;
pub mod state;

pub use adopt::{AdoptedTask, adopt_containers, rebuild_task_state};
pub use daemon::{AgentConfig, AgentError, run};
pub use docker::{ContainerInfo, DockerDriver, DockerError, RuntimeStatus};
pub use runner::{RunnerConfig, RunnerError, StopRequest, TaskHandle, TaskRunner};
pub use spec::{
    ContainerSpec, Dependency, DependencyCondition, HealthCheck, LinuxParameters, MountPoint,
    NetworkMode, PortMapping, Protocol, PullBehavior, RegistryAuth, SpecError, TaskSpec, Ulimit,
    VolumeKind, VolumeScope, VolumeSpec,
};
pub use state::{
    ChangeKind, ContainerState, ContainerStatus, DesiredStatus, HealthStatus, NetworkBinding,
    StateChange, StopCode, TaskState, TaskStatus,
};
