//! What the integration tests of berth-control share: a server over a
//! given store, a host to register and the one-container definition they run.
//! Each test binary uses its own part of it.
#![allow(dead_code)]

use std::sync::Arc;

use berth_control::instances::Registration;
use berth_control::tasks::RunRequest;
use berth_control::view::ClusterView;
use berth_control::{Control, ControlConfig};
use berth_model::arn::Scope;
use berth_model::cluster::Cluster;
use berth_model::container_instance::{Attribute, ContainerInstance, Resources};
use berth_model::task::{HealthStatus, TaskOverride, TaskReport, TaskStatus};
use berth_model::task_definition::{
    ContainerDefinition, Registration as DefinitionRegistration, TaskDefinition, TaskDefinitionSpec,
};
use berth_scheduler::PlacementStrategy;
use berth_state::State;
use berth_state::clock::ManualClock;
use berth_store::Kv;

pub mod intercept;

/// The view of `cluster`, loaded on first use; the cluster must be ACTIVE.
pub async fn view_of(control: &Control, cluster: &str) -> Arc<ClusterView> {
    control
        .views
        .get(cluster)
        .await
        .expect("the view loads")
        .expect("an ACTIVE cluster has a view")
}

/// A server (the domain operations) over `kv`, at a fixed time.
pub fn server(kv: Arc<dyn Kv>) -> Control {
    server_at(kv, Arc::new(ManualClock::new(1_700_000_000_000)))
}

/// A server over `kv` whose time `clock` tells.
pub fn server_at(kv: Arc<dyn Kv>, clock: Arc<ManualClock>) -> Control {
    Control::new(
        State::new(kv),
        Scope::new("us-east-1", "000000000000"),
        clock,
        ControlConfig::default(),
    )
}

/// A server (the domain operations) over `kv` holding the ACTIVE cluster
/// `cluster`.
pub async fn server_with_cluster(kv: Arc<dyn Kv>, cluster: &str) -> Control {
    server_with_cluster_at(kv, cluster, Arc::new(ManualClock::new(1_700_000_000_000))).await
}

/// [`server_with_cluster`] whose time `clock` tells.
pub async fn server_with_cluster_at(
    kv: Arc<dyn Kv>,
    cluster: &str,
    clock: Arc<ManualClock>,
) -> Control {
    let control = server_at(kv, clock);
    control
        .state
        .clusters
        .create(Cluster::active(cluster))
        .await
        .expect("cluster");
    control
}

/// Registers one roomy host in `cluster` and places `count` tasks of
/// [`web_definition`] on it: the instance id and the task ids, in id order.
pub async fn placed_on_one_host(
    control: &Control,
    cluster: &str,
    count: u32,
) -> (String, Vec<String>) {
    let instance = control
        .register_instance(host(cluster, "host-0".to_owned(), 4_096, 4_096, Vec::new()))
        .await
        .expect("instance registers");
    let outcome = control
        .run_tasks(run_request(cluster, &web_definition(None), count))
        .await
        .expect("RunTask");
    let mut ids: Vec<String> = outcome.tasks.iter().map(|task| task.id.clone()).collect();
    ids.sort();
    (instance.id, ids)
}

/// Places `count` tasks of [`web_definition`] in `cluster`, ten to a
/// RunTask (its most): their ids.
pub async fn run_web_tasks(control: &Control, cluster: &str, count: u32) -> Vec<String> {
    let mut placed = Vec::new();
    let mut left = count;
    while left > 0 {
        let outcome = control
            .run_tasks(run_request(cluster, &web_definition(None), left.min(10)))
            .await
            .expect("RunTask");
        placed.extend(outcome.tasks.iter().map(|task| task.id.clone()));
        left -= left.min(10);
    }
    placed
}

/// Registers `host_id` in `cluster` with 1,024 CPU units, 1,024 MiB and no
/// attributes.
pub async fn register_host(control: &Control, cluster: &str, host_id: &str) -> ContainerInstance {
    control
        .register_instance(host(cluster, host_id.to_owned(), 1_024, 1_024, Vec::new()))
        .await
        .expect("instance registers")
}

/// An agent's first report of a task: it stopped (its essential container
/// exited).
pub fn stopped_report() -> TaskReport {
    TaskReport {
        epoch: 1,
        seq: 1,
        last_status: TaskStatus::Stopped,
        health_status: HealthStatus::Unknown,
        stop_code: None,
        stopped_reason: Some("Essential container in task exited".to_owned()),
        pull_started_at_ms: None,
        pull_stopped_at_ms: None,
        started_at_ms: None,
        stopping_at_ms: None,
        execution_stopped_at_ms: None,
        containers: Vec::new(),
    }
}

/// RunTask of `count` tasks of `definition` in `cluster`, group
/// `family:web`, the service default strategies, no client token.
pub fn run_request(cluster: &str, definition: &TaskDefinition, count: u32) -> RunRequest {
    RunRequest {
        cluster: cluster.to_owned(),
        definition: definition.clone(),
        overrides: TaskOverride::default(),
        count,
        group: "family:web".to_owned(),
        started_by: None,
        constraints: Vec::new(),
        strategies: PlacementStrategy::service_default(),
        tags: Vec::new(),
        enable_execute_command: false,
        target_instances: None,
        client_token: None,
    }
}

/// A host of `cluster` with `cpu` units and `memory_mib`, carrying
/// `attributes`.
pub fn host(
    cluster: &str,
    host_id: String,
    cpu: u32,
    memory_mib: u32,
    attributes: Vec<Attribute>,
) -> Registration {
    Registration {
        cluster: cluster.to_owned(),
        host_id,
        instance_id: None,
        resources: Resources {
            cpu,
            memory_mib,
            tcp_ports: Vec::new(),
            udp_ports: Vec::new(),
        },
        attributes,
        agent_version: "test".to_owned(),
        docker_version: "none".to_owned(),
    }
}

/// Revision 1 of family `web`: one essential busybox container of 64 MiB,
/// taking `cpu` units when given.
pub fn web_definition(cpu: Option<i32>) -> TaskDefinition {
    TaskDefinition::register(
        TaskDefinitionSpec {
            family: "web".to_owned(),
            containers: vec![ContainerDefinition {
                name: "web".to_owned(),
                image: "busybox".to_owned(),
                cpu,
                memory: Some(64),
                essential: Some(true),
                ..Default::default()
            }],
            ..Default::default()
        },
        DefinitionRegistration {
            revision: 1,
            registered_at_ms: 0,
            registered_by: None,
            document_bytes: 100,
        },
    )
    .expect("a valid definition")
}
