//! End-to-end tests: the real `berth` binary on a free port with its own data
//! directory, driven by the real AWS CLI and raw HTTP.

mod bad_input;
mod clusters;
mod common;
mod container_instances;
mod fake_agent;
mod task_definitions;
mod tasks;
