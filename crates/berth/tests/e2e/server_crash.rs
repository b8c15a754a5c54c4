//! The server killed with SIGKILL while RunTask calls are in flight: every
//! task it answered with is there after a restart, and every instance's
//! remaining memory agrees with the tasks placed on it.

use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Berth, remaining_memory, try_post_json};
use crate::docker_support::wait_for;
use crate::fake_agent::FakeAgent;

const ECS: &str = "AmazonEC2ContainerServiceV20141113";
const CLUSTER: &str = "crash";
const HOSTS: usize = 8;
const HOST_MEMORY: i64 = 32_768;
const TASK_MEMORY: i64 = 16;
const CLIENTS: usize = 8;
/// Tasks answered before the kill; the calls after them are in flight.
const ANSWERED_BEFORE_KILL: usize = 500;

/// Posts `body` to ECS `operation`; `Err` once the server is gone.
fn try_call(address: &str, operation: &str, body: &Value) -> std::io::Result<(u16, Value)> {
    let target = format!("{ECS}.{operation}");
    try_post_json(address, Some(&target), body.to_string().as_bytes())
}

fn call(berth: &Berth, operation: &str, body: &Value) -> Value {
    let (status, answer) = try_call(&berth.address, operation, body).expect("the server answers");
    assert_eq!(status, 200, "{operation}: {answer}");
    answer
}

/// Every task ARN of the cluster, or of one instance, through ListTasks.
fn list_tasks(berth: &Berth, instance: Option<&str>) -> Vec<String> {
    let mut arns = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"cluster": CLUSTER, "maxResults": 100});
        if let Some(instance) = instance {
            body["containerInstance"] = json!(instance);
        }
        if let Some(token) = &token {
            body["nextToken"] = json!(token);
        }
        let answer = call(berth, "ListTasks", &body);
        arns.extend(
            answer["taskArns"]
                .as_array()
                .expect("taskArns")
                .iter()
                .map(|arn| arn.as_str().expect("arn").to_owned()),
        );
        match answer["nextToken"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => return arns,
        }
    }
}

#[test]
fn tasks_run_task_answered_with_survive_a_sigkill() {
    let berth = Berth::start();
    call(&berth, "CreateCluster", &json!({"clusterName": CLUSTER}));
    call(
        &berth,
        "RegisterTaskDefinition",
        &json!({
            "family": "app",
            "containerDefinitions": [{"name": "main", "image": "busybox", "memory": TASK_MEMORY}],
        }),
    );
    let hosts: Vec<String> = (0..HOSTS)
        .map(|i| {
            FakeAgent::register(
                &berth,
                CLUSTER,
                &format!("i-00000000000c{i:04}"),
                4096,
                HOST_MEMORY as u32,
                "zone-a",
                &[],
            )
            .instance_arn
        })
        .collect();

    let answered = Mutex::new(Vec::<String>::new());
    let address = berth.address.clone();
    let data_dir = std::thread::scope(|scope| {
        for _ in 0..CLIENTS {
            scope.spawn(|| {
                let run = json!({"cluster": CLUSTER, "taskDefinition": "app", "count": 10});
                // Until the server is gone: a call cut off by the kill has no
                // answer, so none of its tasks were acknowledged.
                while let Ok((status, answer)) = try_call(&address, "RunTask", &run) {
                    assert_eq!(status, 200, "RunTask: {answer}");
                    let arns = answer["tasks"]
                        .as_array()
                        .expect("tasks")
                        .iter()
                        .map(|task| task["taskArn"].as_str().expect("taskArn").to_owned());
                    answered.lock().expect("lock").extend(arns);
                }
            });
        }
        wait_for("tasks answered", Duration::from_secs(60), || {
            (answered.lock().expect("lock").len() >= ANSWERED_BEFORE_KILL).then_some(())
        });
        berth.crash()
    });
    let data_dir = data_dir.expect("the test's own data dir");
    let answered = answered.into_inner().expect("lock");
    assert!(answered.len() >= ANSWERED_BEFORE_KILL);

    let berth = Berth::start_in(data_dir.path(), "server");
    for chunk in answered.chunks(100) {
        let described = call(
            &berth,
            "DescribeTasks",
            &json!({"cluster": CLUSTER, "tasks": chunk}),
        );
        assert_eq!(described["failures"], json!([]), "{described}");
        assert_eq!(
            described["tasks"].as_array().map(Vec::len),
            Some(chunk.len())
        );
    }
    // Calls cut off by the kill may have committed too; none are lost.
    let listed = list_tasks(&berth, None);
    assert!(
        listed.len() >= answered.len(),
        "{} < {}",
        listed.len(),
        answered.len()
    );
    // A placement's tasks and its instances' usage commit together.
    let mut on_hosts = 0;
    for host in &hosts {
        let tasks = list_tasks(&berth, Some(host)).len() as i64;
        on_hosts += tasks;
        let described = call(
            &berth,
            "DescribeContainerInstances",
            &json!({"cluster": CLUSTER, "containerInstances": [host]}),
        );
        let remaining = remaining_memory(&described["containerInstances"][0]);
        assert_eq!(
            HOST_MEMORY - remaining,
            tasks * TASK_MEMORY,
            "instance {host}: {tasks} tasks"
        );
    }
    assert_eq!(on_hosts, listed.len() as i64);
}
