//! Berth's domain model: the plain data types every other crate shares
//! (clusters, task definitions, tasks, container instances, ARNs) and the
//! rules that decide whether they are valid. No I/O, no clock, no wire names.

pub mod arn;
pub mod cluster;
pub mod container_instance;
pub mod names;
pub mod resources;
pub mod tag;
pub mod task;
pub mod task_definition;
pub mod validation;

pub use tag::Tag;
pub use validation::{ValidationError, ValidationErrorKind};
