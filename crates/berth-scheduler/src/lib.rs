//! Placement as a pure function: given a snapshot of container instances and
//! a request, decide where tasks go (binpack, spread, random; distinctInstance
//! and memberOf with the cluster query language) or say why they cannot.
//! No clock, no I/O, no wire names: plain data in, a decision value out.

pub mod index;
pub mod instance;
pub mod outcome;
pub mod query;
pub mod request;

pub use index::{ClusterIndex, place};
pub use instance::{
    AVAILABILITY_ZONE_ATTRIBUTE, ClusterSnapshot, ContainerInstanceId, GroupName, InstanceSnapshot,
    InstanceStatus, Timestamp,
};
pub use outcome::{
    Placement, PlacementOutcome, Rejection, RejectionReason, TaskDecision, Unplaceable,
};
pub use query::{Expression, QueryError};
pub use request::{
    BinpackField, PlacementConstraint, PlacementRequest, PlacementStrategy, RequestError,
    SpreadField,
};
