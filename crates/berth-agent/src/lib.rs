//! Berth's host agent: the Docker driver and the task runner that turns a
//! task into real containers on the local Docker Engine and reports what
//! happens to them as plain state-change values.
//!
//! Decisions (start order, essential rule, task status and health,
//! re-adoption) are pure functions in [`decide`] and [`adopt`]; Docker calls
//! live in [`docker`] and are driven by [`runner`].

pub mod adopt;
pub mod decide;
pub mod docker;
pub mod runner;
pub mod spec;
pub mod state;

pub use adopt::{AdoptedTask, adopt_containers, rebuild_task_state};
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
