//! Tasks whose images live in Berth's own registry: the agent pulls them
//! with credentials the server hands out, and a missing image fails the
//! task the way ECS does.

use std::time::Duration;

use serde_json::{Value, json};

use crate::docker_support::{AgentProcess, ClusterContainers, cluster_name, wait_for};
use crate::registry_support::{Docker, Server};

fn describe(server: &Server, cluster: &str, arn: &str) -> Value {
    server.aws_ok(&[
        "ecs",
        "describe-tasks",
        "--cluster",
        cluster,
        "--tasks",
        arn,
    ])["tasks"][0]
        .clone()
}

#[test]
fn a_task_runs_an_image_pulled_from_berth_and_a_missing_one_fails_to_start() {
    let server = Server::start();
    let cluster = cluster_name("pull");
    let _containers = ClusterContainers(cluster.clone());
    let mut docker = Docker::new("task-pull");
    server.aws_ok(&["ecs", "create-cluster", "--cluster-name", &cluster]);
    let repository = server.aws_ok(&[
        "ecr",
        "create-repository",
        "--repository-name",
        "tasks/busybox",
    ]);
    let uri = repository["repository"]["repositoryUri"]
        .as_str()
        .expect("uri")
        .to_owned();
    let image = format!("{uri}:v1");
    docker.login(&server);
    docker.import_busybox(&image, "pulled-from-berth");
    docker.ok(&["push", &image]);
    // Only the registry has the image now, so the agent must pull it.
    docker.ok(&["rmi", &image]);

    let agent_dir = tempfile::tempdir().expect("agent dir");
    // The agent's own Docker config has no credentials: the pull can only
    // succeed with the ones the server hands out.
    let _agent = AgentProcess::start_at(
        &server.endpoint,
        &cluster,
        agent_dir.path(),
        "zone-a",
        &["--image-pull-behavior", "always"],
    );
    wait_for("the instance", Duration::from_secs(60), || {
        let listed = server.aws_ok(&["ecs", "list-container-instances", "--cluster", &cluster]);
        (listed["containerInstanceArns"].as_array()?.len() == 1).then_some(())
    });
    let definitions = [
        ("pulled", image.clone()),
        ("missing", format!("{uri}:no-such-tag")),
    ];
    for (family, image) in &definitions {
        let definition = json!({
            "family": family,
            "containerDefinitions": [{"name": "main", "image": image, "memory": 32, "command": ["sh", "-c", "cat /marker"]}],
        });
        server.aws_ok(&[
            "ecs",
            "register-task-definition",
            "--cli-input-json",
            &definition.to_string(),
        ]);
    }
    let run = |family: &str| {
        let answer = server.aws_ok(&[
            "ecs",
            "run-task",
            "--cluster",
            &cluster,
            "--task-definition",
            family,
        ]);
        answer["tasks"][0]["taskArn"]
            .as_str()
            .expect("arn")
            .to_owned()
    };
    let pulled = run("pulled");
    let missing = run("missing");
    for arn in [&pulled, &missing] {
        server.aws_ok(&[
            "ecs",
            "wait",
            "tasks-stopped",
            "--cluster",
            &cluster,
            "--tasks",
            arn,
        ]);
    }
    let task = describe(&server, &cluster, &pulled);
    assert_eq!(task["containers"][0]["exitCode"], 0, "{task}");
    assert_eq!(task["stopCode"], "EssentialContainerExited", "{task}");
    let task = describe(&server, &cluster, &missing);
    assert_eq!(task["stopCode"], "TaskFailedToStart", "{task}");
    let reason = task["stoppedReason"].as_str().unwrap_or_default();
    assert!(reason.starts_with("CannotPullContainerError"), "{reason}");
    docker.track(&image);
}
