//! Tasks on the real Docker Engine through `berth agent` processes, driven
//! with the AWS CLI: exit codes, published ports, health, dependsOn,
//! stopTimeout, spread over zones, and an agent killed mid-flight.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::Berth;
use crate::docker_support::{
    AgentProcess, ClusterContainers, TestImage, cluster_name, wait_for, wait_for_instances,
};

/// A server, a cluster, one image and `n_agents` agents in zones a, b, c, ….
/// Fields drop in order: agents first (so nothing restarts containers), then
/// the containers, then the image they used.
struct Fleet {
    agents: Vec<AgentProcess>,
    _containers: ClusterContainers,
    image: TestImage,
    berth: Berth,
    cluster: String,
    agent_dirs: Vec<tempfile::TempDir>,
}

impl Fleet {
    fn start(name: &str, n_agents: usize) -> Fleet {
        let berth = Berth::start();
        let cluster = cluster_name(name);
        let containers = ClusterContainers(cluster.clone());
        berth.aws_ok(&["ecs", "create-cluster", "--cluster-name", &cluster]);
        let image = TestImage::busybox(&cluster);
        let mut fleet = Fleet {
            berth,
            cluster,
            image,
            agents: Vec::new(),
            agent_dirs: Vec::new(),
            _containers: containers,
        };
        for idx in 0..n_agents {
            fleet
                .agent_dirs
                .push(tempfile::tempdir().expect("agent dir"));
            fleet.start_agent(idx);
        }
        wait_for_instances(&fleet.berth, &fleet.cluster, n_agents);
        fleet
    }

    fn start_agent(&mut self, idx: usize) {
        let zone = format!("zone-{}", (b'a' + idx as u8) as char);
        let agent = AgentProcess::start(
            &self.berth,
            &self.cluster,
            self.agent_dirs[idx].path(),
            &zone,
            &[],
        );
        if idx < self.agents.len() {
            self.agents[idx] = agent;
        } else {
            self.agents.push(agent);
        }
    }

    fn register(&self, family: &str, containers: Value) {
        self.register_with(family, containers, json!([]));
    }

    fn register_with(&self, family: &str, containers: Value, volumes: Value) {
        let definition =
            json!({"family": family, "containerDefinitions": containers, "volumes": volumes});
        self.berth.aws_ok(&[
            "ecs",
            "register-task-definition",
            "--cli-input-json",
            &definition.to_string(),
        ]);
    }

    fn run(&self, family: &str, extra: &[&str]) -> Vec<String> {
        let mut args = vec![
            "ecs",
            "run-task",
            "--cluster",
            &self.cluster,
            "--task-definition",
            family,
        ];
        args.extend_from_slice(extra);
        let answer = self.berth.aws_ok(&args);
        assert_eq!(answer["failures"], json!([]), "{answer}");
        answer["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .map(|t| t["taskArn"].as_str().expect("arn").to_owned())
            .collect()
    }

    fn describe(&self, arn: &str) -> Value {
        let answer = self.berth.aws_ok(&[
            "ecs",
            "describe-tasks",
            "--cluster",
            &self.cluster,
            "--tasks",
            arn,
        ]);
        answer["tasks"][0].clone()
    }

    /// The `version` DescribeContainerInstances gives `arn`.
    fn instance_version(&self, arn: &str) -> u64 {
        let answer = self.berth.aws_ok(&[
            "ecs",
            "describe-container-instances",
            "--cluster",
            &self.cluster,
            "--container-instances",
            arn,
        ]);
        answer["containerInstances"][0]["version"]
            .as_u64()
            .unwrap_or_else(|| panic!("no version in {answer}"))
    }

    fn wait_status(&self, arn: &str, status: &str) -> Value {
        wait_for(
            &format!("{arn} to be {status}"),
            Duration::from_secs(90),
            || {
                let task = self.describe(arn);
                if status != "STOPPED" && task["lastStatus"] == "STOPPED" {
                    panic!("task stopped early: {task}");
                }
                (task["lastStatus"] == status).then_some(task)
            },
        )
    }
}

fn container(image: &TestImage, name: &str, command: &str, extra: Value) -> Value {
    let mut c =
        json!({"name": name, "image": image.name, "memory": 32, "command": ["sh", "-c", command]});
    if let (Some(c), Some(extra)) = (c.as_object_mut(), extra.as_object()) {
        c.extend(extra.clone());
    }
    c
}

#[test]
fn a_task_that_exits_3_stops_with_its_exit_code() {
    let fleet = Fleet::start("exit", 1);
    fleet.register(
        "exit",
        json!([container(
            &fleet.image,
            "main",
            "echo hello; exit 3",
            json!({})
        )]),
    );
    let arn = fleet.run("exit", &[]).remove(0);
    fleet.berth.aws_ok(&[
        "ecs",
        "wait",
        "tasks-stopped",
        "--cluster",
        &fleet.cluster,
        "--tasks",
        &arn,
    ]);
    let task = fleet.describe(&arn);
    assert_eq!(task["stopCode"], "EssentialContainerExited", "{task}");
    assert_eq!(task["stoppedReason"], "Essential container in task exited");
    assert_eq!(task["containers"][0]["exitCode"], 3);
    assert!(task["containers"][0]["runtimeId"].is_string());
    assert!(task["executionStoppedAt"].is_string(), "{task}");
}

#[test]
fn httpd_answers_on_its_dynamic_host_port() {
    let fleet = Fleet::start("httpd", 1);
    fleet.register(
        "web",
        json!([container(
            &fleet.image,
            "web",
            "httpd -f -p 8080 -h /www",
            json!({
                "portMappings": [{"containerPort": 8080, "hostPort": 0}],
            })
        )]),
    );
    let arn = fleet.run("web", &[]).remove(0);
    let task = fleet.wait_status(&arn, "RUNNING");
    let binding = &task["containers"][0]["networkBindings"][0];
    assert_eq!(binding["containerPort"], 8080, "{task}");
    let host_port = binding["hostPort"].as_u64().expect("host port");
    assert!(host_port > 0);
    let body = wait_for("httpd to answer", Duration::from_secs(20), || {
        let address = format!("127.0.0.1:{host_port}");
        let stream = std::net::TcpStream::connect(&address).ok()?;
        drop(stream);
        let (status, body) = crate::common::http_request(&address, "GET", "/index.html", &[], b"");
        (status == 200).then_some(body)
    });
    assert_eq!(String::from_utf8_lossy(&body), "hello from berth\n");
    fleet.berth.aws_ok(&[
        "ecs",
        "stop-task",
        "--cluster",
        &fleet.cluster,
        "--task",
        &arn,
    ]);
    fleet.berth.aws_ok(&[
        "ecs",
        "wait",
        "tasks-stopped",
        "--cluster",
        &fleet.cluster,
        "--tasks",
        &arn,
    ]);
}

#[test]
fn health_checks_dependencies_and_stop_timeout() {
    let fleet = Fleet::start("health", 1);
    // A check that always fails turns the container and the task UNHEALTHY.
    fleet.register(
        "sick",
        json!([container(&fleet.image, "main", "sleep 300", json!({
            "healthCheck": {"command": ["CMD-SHELL", "exit 1"], "interval": 5, "timeout": 2, "retries": 1},
        }))]),
    );
    let sick = fleet.run("sick", &[]).remove(0);
    // The app needs the init container to finish first, through a shared
    // volume; it ignores SIGTERM so stopping it takes its stopTimeout.
    let volumes = json!([{"name": "data", "dockerVolumeConfiguration": {"scope": "task", "driver": "local"}}]);
    fleet.register_with(
        "ordered",
        json!([
            container(
                &fleet.image,
                "init",
                "sleep 1; touch /data/ready",
                json!({
                    "essential": false,
                    "mountPoints": [{"sourceVolume": "data", "containerPath": "/data"}],
                })
            ),
            container(
                &fleet.image,
                "app",
                "test -f /data/ready || exit 9; trap '' TERM; while true; do sleep 1; done",
                json!({
                    "dependsOn": [{"containerName": "init", "condition": "SUCCESS"}],
                    "mountPoints": [{"sourceVolume": "data", "containerPath": "/data"}],
                    "stopTimeout": 3,
                })
            ),
        ]),
        volumes,
    );
    let ordered = fleet.run("ordered", &[]).remove(0);
    let task = fleet.wait_status(&ordered, "RUNNING");
    let init = task["containers"]
        .as_array()
        .expect("containers")
        .iter()
        .find(|c| c["name"] == "init")
        .cloned()
        .expect("init");
    let init = if init["lastStatus"] == "STOPPED" {
        init
    } else {
        wait_for("init to finish", Duration::from_secs(30), || {
            let task = fleet.describe(&ordered);
            task["containers"]
                .as_array()?
                .iter()
                .find(|c| c["name"] == "init" && c["lastStatus"] == "STOPPED")
                .cloned()
        })
    };
    assert_eq!(init["exitCode"], 0, "{init}");

    wait_for("the failing check", Duration::from_secs(60), || {
        let task = fleet.describe(&sick);
        (task["healthStatus"] == "UNHEALTHY"
            && task["containers"][0]["healthStatus"] == "UNHEALTHY")
            .then_some(())
    });

    let asked = Instant::now();
    fleet.berth.aws_ok(&[
        "ecs",
        "stop-task",
        "--cluster",
        &fleet.cluster,
        "--task",
        &ordered,
    ]);
    let task = fleet.wait_status(&ordered, "STOPPED");
    let took = asked.elapsed();
    assert!(
        took >= Duration::from_secs(3),
        "stopped after {took:?}, before its stopTimeout"
    );
    assert!(took < Duration::from_secs(30), "stopped after {took:?}");
    let app = task["containers"]
        .as_array()
        .expect("containers")
        .iter()
        .find(|c| c["name"] == "app")
        .cloned()
        .expect("app");
    assert_eq!(app["exitCode"], 137, "SIGKILL after the timeout: {app}");
    fleet.berth.aws_ok(&[
        "ecs",
        "stop-task",
        "--cluster",
        &fleet.cluster,
        "--task",
        &sick,
    ]);
}

#[test]
fn three_agents_in_three_zones_share_a_spread() {
    let fleet = Fleet::start("spread", 3);
    fleet.register(
        "idle",
        json!([container(
            &fleet.image,
            "main",
            "sleep 300",
            json!({"memory": 16})
        )]),
    );
    let arns = fleet.run(
        "idle",
        &[
            "--count",
            "6",
            "--placement-strategy",
            "type=spread,field=attribute:ecs.availability-zone",
        ],
    );
    let mut zones = std::collections::BTreeMap::new();
    for arn in &arns {
        let task = fleet.wait_status(arn, "RUNNING");
        *zones
            .entry(task["availabilityZone"].as_str().unwrap_or("?").to_owned())
            .or_insert(0) += 1;
    }
    assert_eq!(
        zones.values().copied().collect::<Vec<_>>(),
        vec![2, 2, 2],
        "{zones:?}"
    );
    for arn in &arns {
        fleet.berth.aws_ok(&[
            "ecs",
            "stop-task",
            "--cluster",
            &fleet.cluster,
            "--task",
            arn,
        ]);
    }
}

#[test]
fn an_agent_killed_and_restarted_keeps_its_tasks() {
    let mut fleet = Fleet::start("restart", 1);
    fleet.register(
        "idle",
        json!([container(
            &fleet.image,
            "main",
            "sleep 300",
            json!({"memory": 16})
        )]),
    );
    let arn = fleet.run("idle", &[]).remove(0);
    let before = fleet.wait_status(&arn, "RUNNING");
    let instance_arn = before["containerInstanceArn"].as_str().expect("arn");
    let registered_version = fleet.instance_version(instance_arn);
    fleet.agents[0].kill();
    fleet.start_agent(0);
    // The restarted agent re-registers as the same instance, which a
    // registration's refresh shows in its version...
    wait_for(
        "the restarted agent to register again",
        Duration::from_secs(90),
        || (fleet.instance_version(instance_arn) > registered_version).then_some(()),
    );
    // ...and adopts the container. A wrong second start would follow its
    // first poll: two seconds leave room for one before the checks below.
    std::thread::sleep(Duration::from_secs(2));
    let instances = wait_for_instances(&fleet.berth, &fleet.cluster, 1);
    assert_eq!(instances, [instance_arn], "the same instance, not another");
    let arn_for_stop = arn.clone();
    let after = fleet.describe(&arn);
    assert_eq!(after["lastStatus"], "RUNNING", "{after}");
    assert_eq!(
        after["containers"][0]["runtimeId"],
        before["containers"][0]["runtimeId"]
    );
    let label = format!("label=com.amazonaws.ecs.task-arn={arn}");
    let output = std::process::Command::new("docker")
        .args(["ps", "-q", "--filter", &label])
        .output()
        .expect("docker ps");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).lines().count(),
        1,
        "one container, not two"
    );
    fleet.berth.aws_ok(&[
        "ecs",
        "stop-task",
        "--cluster",
        &fleet.cluster,
        "--task",
        &arn_for_stop,
    ]);
    fleet.wait_status(&arn_for_stop, "STOPPED");
}
