//! Shared fixtures for the Docker integration tests: a busybox image built
//! locally per test, task specs, event collection, and a guard that removes
//! everything labelled with the test's id even when the test fails.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use berth_agent::{
    ContainerSpec, DockerDriver, NetworkMode, PullBehavior, RunnerConfig, StateChange, TaskRunner,
    TaskSpec, TaskState,
};
use tokio::sync::mpsc;

/// Label key every test resource carries.
pub const TEST_LABEL: &str = "berth.test";

const APPLETS: &[&str] = &[
    "sh", "echo", "sleep", "httpd", "wget", "cat", "true", "false", "test", "[", "kill", "ls",
    "touch",
];

/// One test's Docker resources; dropping it removes them.
pub struct TestEnv {
    /// Unique id, the value of the `berth.test` label.
    pub id: String,
    /// Tag of the image built for this test.
    pub image: String,
    /// Runner on the real Engine.
    pub runner: TaskRunner,
}

impl TestEnv {
    /// Connects to Docker and imports a busybox image labelled with a new id.
    pub async fn new() -> TestEnv {
        assert!(
            Path::new("/bin/busybox").exists(),
            "the Docker tests need /bin/busybox (apt-get install -y busybox-static)"
        );
        let id = format!("agent-{}", uuid::Uuid::new_v4().simple());
        let image = format!("berth-test-busybox:{id}");
        let env = TestEnv {
            id: id.clone(),
            image: image.clone(),
            runner: TaskRunner::new(
                DockerDriver::connect().await.expect("connect to Docker"),
                RunnerConfig {
                    health_poll_interval: Duration::from_millis(250),
                    wait_retry_delay: Duration::from_millis(250),
                },
            ),
        };
        let rootfs = tempfile::tempdir().expect("temp dir");
        let bin = rootfs.path().join("bin");
        std::fs::create_dir_all(&bin).expect("mkdir bin");
        std::fs::copy("/bin/busybox", bin.join("busybox")).expect("copy busybox");
        for applet in APPLETS {
            std::os::unix::fs::symlink("busybox", bin.join(applet)).expect("symlink applet");
        }
        std::fs::create_dir_all(rootfs.path().join("www")).expect("mkdir www");
        std::fs::write(rootfs.path().join("www/index.html"), "berth-ok\n").expect("write index");
        std::fs::create_dir_all(rootfs.path().join("tmp")).expect("mkdir tmp");
        let script = format!(
            "tar -C {} -c . | docker import --change 'LABEL {TEST_LABEL}={id}' - {image} >/dev/null",
            rootfs.path().display()
        );
        let status = Command::new("sh")
            .arg("-c")
            .arg(&script)
            .status()
            .expect("run docker import");
        assert!(status.success(), "docker import failed");
        env
    }

    /// A task with one container per entry, all carrying the test label.
    pub fn task(&self, family: &str, containers: Vec<ContainerSpec>) -> TaskSpec {
        let task_id = uuid::Uuid::new_v4().simple().to_string();
        TaskSpec {
            task_arn: format!(
                "arn:aws:ecs:us-east-1:123456789012:task/{}/{task_id}",
                self.id
            ),
            cluster: self.id.clone(),
            family: family.to_string(),
            revision: 1,
            network_mode: NetworkMode::Bridge,
            volumes: vec![],
            containers: containers
                .into_iter()
                .map(|mut c| {
                    c.docker_labels
                        .insert(TEST_LABEL.to_string(), self.id.clone());
                    c
                })
                .collect(),
        }
    }

    /// An essential container of the test image running `command`.
    pub fn container(&self, name: &str, command: &[&str]) -> ContainerSpec {
        ContainerSpec {
            name: name.to_string(),
            image: self.image.clone(),
            command: Some(command.iter().map(|s| s.to_string()).collect()),
            essential: true,
            pull_behavior: PullBehavior::PreferCached,
            stop_timeout: Some(Duration::from_secs(2)),
            ..Default::default()
        }
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        let filter = format!("label={TEST_LABEL}={}", self.id);
        let script = format!(
            "docker ps -aq --filter {filter} | xargs -r docker rm -f -v >/dev/null; \
             docker volume ls -q --filter {filter} | xargs -r docker volume rm >/dev/null; \
             docker rmi -f {} >/dev/null",
            self.image
        );
        let _ = Command::new("sh").arg("-c").arg(script).status();
    }
}

/// Receives events until `done` holds for one, within `timeout`; returns
/// every event seen, the matching one last.
pub async fn collect_until(
    events: &mut mpsc::UnboundedReceiver<StateChange>,
    timeout: Duration,
    done: impl Fn(&TaskState) -> bool,
) -> Vec<StateChange> {
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let next = tokio::time::timeout_at(deadline, events.recv()).await;
        let Ok(Some(change)) = next else {
            let last = seen.last().map(|c: &StateChange| c.task.clone());
            panic!("condition not reached within {timeout:?}; last state: {last:#?}");
        };
        let finished = done(&change.task);
        seen.push(change);
        if finished {
            return seen;
        }
    }
}
