//! End-to-end tests: the real `berth` binary on a free port with its own data
//! directory, driven by the real AWS CLI and raw HTTP.

mod bad_input;
mod bench_scripts;
mod clusters;
mod common;
mod container_instances;
mod docker_support;
mod docker_tasks;
mod fake_agent;
mod registry;
mod registry_api;
mod registry_support;
mod registry_tasks;
mod server_crash;
mod task_definitions;
mod tasks;
