//! Two servers over one store. Each remembers the task records it wrote
//! last, to spare reading them back; what one remembers must never hide or
//! undo what the other wrote since. And one loads, page by page, the view
//! of a cluster the other filled.

use std::sync::Arc;

use berth_control::Control;
use berth_control::view::LOAD_PAGE;
use berth_model::task::{
    ContainerReport, ContainerStatus, DesiredStatus, HealthStatus, StopCode, Task, TaskReport,
    TaskStatus,
};
use berth_state::tasks::Assigned;
use berth_store::{Kv, MemoryKv};

mod support;

const CLUSTER: &str = "two-servers";

/// Two servers over one store, and one task that the first placed (and so
/// remembers) on the cluster's only instance.
async fn placed_by_first() -> (Control, Control, Task) {
    let kv: Arc<dyn Kv> = Arc::new(MemoryKv::new());
    let first = support::server_with_cluster(kv.clone(), CLUSTER).await;
    let second = support::server(kv);
    support::register_host(&first, CLUSTER, "host-0").await;
    let definition = support::web_definition(None);
    let outcome = first
        .run_tasks(support::run_request(CLUSTER, &definition, 1))
        .await
        .expect("RunTask");
    let task = Arc::unwrap_or_clone(outcome.tasks.into_iter().next().expect("one task placed"));
    (first, second, task)
}

fn running(seq: u64) -> TaskReport {
    TaskReport {
        epoch: 1,
        seq,
        last_status: TaskStatus::Running,
        health_status: HealthStatus::Unknown,
        stop_code: None,
        stopped_reason: None,
        pull_started_at_ms: None,
        pull_stopped_at_ms: None,
        started_at_ms: Some(1_700_000_000_100),
        stopping_at_ms: None,
        execution_stopped_at_ms: None,
        containers: vec![ContainerReport {
            name: "web".to_owned(),
            runtime_id: Some("c0ffee".to_owned()),
            image_digest: None,
            last_status: ContainerStatus::Running,
            exit_code: None,
            reason: None,
            network_bindings: Vec::new(),
            health_status: HealthStatus::Unknown,
        }],
    }
}

/// StopTask of `task` on `server`, "stopped elsewhere".
async fn stop_on(server: &Control, task: &Task) -> Task {
    server
        .stop_task(
            CLUSTER,
            &task.id,
            StopCode::UserInitiated,
            "stopped elsewhere",
        )
        .await
        .expect("StopTask on the other server")
}

/// The task's assignment marker as the store holds it.
async fn assigned(control: &Control, task: &Task) -> Assigned {
    let (assignments, _) = control
        .state
        .tasks
        .assignments(&task.container_instance_id)
        .await
        .expect("read");
    assignments
        .into_iter()
        .find(|assigned| assigned.task_id == task.id)
        .expect("the task is still assigned")
}

async fn stored(control: &Control, task: &Task) -> Task {
    control
        .state
        .tasks
        .get(CLUSTER, &task.id)
        .await
        .expect("read")
        .expect("the task is stored")
        .value
}

#[tokio::test]
async fn a_report_lands_on_top_of_a_stop_the_other_server_recorded() {
    let (first, second, task) = placed_by_first().await;
    stop_on(&second, &task).await;

    // The first server still remembers the task as it placed it.
    let (applied, answered) = first
        .apply_report(CLUSTER, &task.container_instance_id, &task.id, &running(1))
        .await
        .expect("the report is applied");
    assert!(applied);
    assert_eq!(answered.desired_status, DesiredStatus::Stopped);
    let now = stored(&first, &task).await;
    assert_eq!(now.last_status, TaskStatus::Running);
    assert_eq!(now.desired_status, DesiredStatus::Stopped);
    assert_eq!(now.stopped_reason.as_deref(), Some("stopped elsewhere"));
}

#[tokio::test]
async fn a_report_the_other_server_applied_is_a_duplicate() {
    let (first, second, task) = placed_by_first().await;
    let instance = &task.container_instance_id;
    let (applied, _) = second
        .apply_report(CLUSTER, instance, &task.id, &running(1))
        .await
        .expect("applied by the second server");
    assert!(applied);
    let before = first
        .state
        .tasks
        .get(CLUSTER, &task.id)
        .await
        .expect("read")
        .expect("stored");

    // The first server remembers the task from before that report.
    let (applied, _) = first
        .apply_report(CLUSTER, instance, &task.id, &running(1))
        .await
        .expect("answered");
    assert!(!applied, "the same report is not applied twice");
    let after = first
        .state
        .tasks
        .get(CLUSTER, &task.id)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        after.mod_revision, before.mod_revision,
        "nothing was written"
    );
}

#[tokio::test]
async fn a_poll_never_answers_from_a_state_older_than_the_marker() {
    let (first, second, task) = placed_by_first().await;
    let stopped = stop_on(&second, &task).await;
    let marker = assigned(&first, &task).await;
    assert_eq!(marker.marker.desired_status, DesiredStatus::Stopped);

    // What the first server remembers is older than the marker: not used.
    let answered = first
        .state
        .tasks
        .get_as_new_as(CLUSTER, &marker)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(answered.value.desired_status, DesiredStatus::Stopped);
    assert_eq!(answered.value.stopped_reason, stopped.stopped_reason);
    assert!(answered.mod_revision >= marker.changed_at);
}

#[tokio::test]
async fn an_unconfirmed_placement_answers_only_an_unchanged_marker() {
    let (first, second, task) = placed_by_first().await;

    // What a server remembers just before its placement commit is
    // confirmed: told apart from the stored state by its group.
    let mut remembered = task.clone();
    remembered.group = "remembered".to_owned();
    second
        .state
        .tasks
        .remember_unconfirmed(Arc::new(remembered));
    let answered = |assigned| {
        let second = second.clone();
        async move {
            second
                .state
                .tasks
                .get_as_new_as(CLUSTER, &assigned)
                .await
                .expect("read")
                .expect("found")
                .value
        }
    };
    let unchanged = assigned(&second, &task).await;
    assert_eq!(unchanged.changed_at, unchanged.assigned_at);
    assert_eq!(answered(unchanged).await.group, "remembered");
    // A report never starts from an unconfirmed state.
    assert!(
        second
            .state
            .tasks
            .take_remembered(CLUSTER, &task.id)
            .is_none()
    );

    // Once the marker changed, only a state at least that new will do.
    first
        .stop_task(CLUSTER, &task.id, StopCode::UserInitiated, "stopped")
        .await
        .expect("StopTask");
    let changed = assigned(&second, &task).await;
    assert!(changed.changed_at > changed.assigned_at);
    let now = answered(changed).await;
    assert_eq!(now.group, task.group);
    assert_eq!(now.desired_status, DesiredStatus::Stopped);
}

/// A server loads the view of a cluster another one filled: every instance
/// and active task, more of each than one page of the load holds.
#[tokio::test]
async fn a_view_loads_every_page_of_a_big_cluster() {
    const HOSTS: usize = 1_200;
    const CALLS: usize = 130;
    const { assert!(HOSTS > LOAD_PAGE && CALLS * 10 > LOAD_PAGE) };
    let kv: Arc<dyn Kv> = Arc::new(MemoryKv::new());
    let first = support::server_with_cluster(kv.clone(), CLUSTER).await;
    for host in 0..HOSTS {
        first
            .register_instance(support::host(
                CLUSTER,
                format!("host-{host}"),
                1_024,
                64 * 1_024,
                Vec::new(),
            ))
            .await
            .expect("instance registers");
    }
    let definition = support::web_definition(None);
    let mut placed = 0;
    for _ in 0..CALLS {
        let outcome = first
            .run_tasks(support::run_request(CLUSTER, &definition, 10))
            .await
            .expect("RunTask");
        placed += outcome.tasks.len();
    }
    assert_eq!(placed, CALLS * 10);

    let second = support::server(kv);
    let view = support::view_of(&second, CLUSTER).await;
    view.read(|data| {
        assert_eq!(data.instances.len(), HOSTS);
        assert_eq!(data.tasks.len(), placed);
        assert_eq!(data.phases.pending, placed as u64);
        let desired_running: u32 = data.counts.values().map(|counts| counts.meant_to_run).sum();
        assert_eq!(desired_running as usize, placed);
    });
}
