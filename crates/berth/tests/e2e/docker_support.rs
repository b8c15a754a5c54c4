//! Real Docker for end-to-end tests: a busybox image made locally (no image
//! can be pulled here), `berth agent` processes, and guards that remove every
//! container and image a test made, even when it fails.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Berth;

/// A busybox image imported from the host's busybox-static, removed on drop.
pub struct TestImage {
    pub name: String,
}

impl TestImage {
    /// Imports `/bin/busybox` with its applets as `berth-e2e/busybox:<tag>`.
    pub fn busybox(tag: &str) -> TestImage {
        let root = tempfile::tempdir().expect("rootfs dir");
        let bin = root.path().join("bin");
        std::fs::create_dir_all(&bin).expect("bin dir");
        std::fs::copy("/bin/busybox", bin.join("busybox")).expect("busybox-static is installed");
        for applet in [
            "sh", "echo", "sleep", "true", "false", "cat", "httpd", "wget", "touch", "test", "ls",
            "kill", "trap",
        ] {
            let _ = std::os::unix::fs::symlink("busybox", bin.join(applet));
        }
        std::fs::create_dir_all(root.path().join("tmp")).expect("tmp dir");
        std::fs::create_dir_all(root.path().join("www")).expect("www dir");
        std::fs::write(root.path().join("www/index.html"), "hello from berth\n").expect("index");
        let name = format!("berth-e2e/busybox:{tag}");
        let mut tar = Command::new("tar")
            .arg("-C")
            .arg(root.path())
            .args(["-c", "."])
            .stdout(Stdio::piped())
            .spawn()
            .expect("tar runs");
        let status = Command::new("docker")
            .args(["import", "--change", "LABEL berth.test=e2e", "-", &name])
            .stdin(tar.stdout.take().expect("tar output"))
            .stdout(Stdio::null())
            .status()
            .expect("docker import runs");
        let tar_status = tar.wait().expect("tar finishes");
        assert!(
            status.success() && tar_status.success(),
            "docker import failed"
        );
        TestImage { name }
    }
}

impl Drop for TestImage {
    fn drop(&mut self) {
        let _ = Command::new("docker")
            .args(["rmi", "-f", &self.name])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// Removes every container of a cluster when dropped.
pub struct ClusterContainers(pub String);

impl Drop for ClusterContainers {
    fn drop(&mut self) {
        let label = format!("label=com.amazonaws.ecs.cluster={}", self.0);
        let Ok(output) = Command::new("docker")
            .args(["ps", "-aq", "--filter", &label])
            .output()
        else {
            return;
        };
        let ids: Vec<String> = String::from_utf8_lossy(&output.stdout)
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        if !ids.is_empty() {
            let _ = Command::new("docker")
                .args(["rm", "-f", "-v"])
                .args(&ids)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        // Task-scoped volumes carry the cluster label too.
        let _ = Command::new("docker")
            .args(["volume", "prune", "-f", "--filter", &label])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// A `berth agent` process, killed when dropped.
pub struct AgentProcess {
    child: Child,
}

impl AgentProcess {
    /// Starts an agent for `cluster` with its own data dir.
    pub fn start(
        berth: &Berth,
        cluster: &str,
        data_dir: &Path,
        zone: &str,
        extra: &[&str],
    ) -> AgentProcess {
        AgentProcess::start_at(&berth.endpoint, cluster, data_dir, zone, extra)
    }

    /// Starts an agent for `cluster` of the server at `endpoint`.
    pub fn start_at(
        endpoint: &str,
        cluster: &str,
        data_dir: &Path,
        zone: &str,
        extra: &[&str],
    ) -> AgentProcess {
        let child = Command::new(env!("CARGO_BIN_EXE_berth"))
            .args([
                "agent",
                "--endpoint",
                endpoint,
                "--cluster",
                cluster,
                "--data-dir",
            ])
            .arg(data_dir)
            .args([
                "--availability-zone",
                zone,
                "--cpu",
                "2048",
                "--memory",
                "2048",
            ])
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("berth agent starts");
        AgentProcess { child }
    }

    /// Kills the agent with SIGKILL, as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for AgentProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Polls `check` every 200 ms until it returns `Some`, or panics after `timeout`.
pub fn wait_for<T>(what: &str, timeout: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Waits until `n` container instances are registered in `cluster`.
pub fn wait_for_instances(berth: &Berth, cluster: &str, n: usize) -> Vec<String> {
    wait_for("container instances", Duration::from_secs(60), || {
        let answer = berth.aws_ok(&["ecs", "list-container-instances", "--cluster", cluster]);
        let arns: Vec<String> = answer["containerInstanceArns"]
            .as_array()?
            .iter()
            .filter_map(|arn| arn.as_str().map(str::to_owned))
            .collect();
        (arns.len() == n).then_some(arns)
    })
}

/// A cluster name unique to this test process and `name`.
pub fn cluster_name(name: &str) -> String {
    format!("{name}-{}", std::process::id())
}
