//! Helpers for the registry tests: a `berth server` started with extra
//! environment, registry credentials, and Docker state that is cleaned up
//! (images by tag and by label, containers by label) even when a test fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// The registry tests' server is the shared harness's `berth server`.
pub use crate::common::Berth as Server;

/// Registry credentials and boto3 for the registry tests.
impl Server {
    /// The registry password, as `aws ecr get-login-password` prints it.
    pub fn password(&self) -> String {
        let output = Command::new(crate::common::aws_binary())
            .args(["--endpoint-url", &self.endpoint, "--region", "us-east-1"])
            .args(["ecr", "get-login-password"])
            .env("AWS_ACCESS_KEY_ID", "AKIDBERTHTEST")
            .env("AWS_SECRET_ACCESS_KEY", "berth-test-secret")
            .env("AWS_CONFIG_FILE", "/nonexistent/berth-test")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/berth-test")
            .output()
            .expect("the AWS CLI runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// `Authorization` header value for raw registry requests.
    pub fn basic_auth(&self) -> String {
        use base64::Engine;
        let token =
            base64::engine::general_purpose::STANDARD.encode(format!("AWS:{}", self.password()));
        format!("Basic {token}")
    }

    /// Runs a boto3 script with `ecr` bound to a client of this server;
    /// the script prints one JSON document, which is returned.
    pub fn boto3(&self, script: &str) -> Value {
        let program = format!(
            "import boto3, json, base64, hashlib, sys\n\
             ecr = boto3.client('ecr', endpoint_url='{}', region_name='us-east-1',\n\
                 aws_access_key_id='AKIDBERTHTEST', aws_secret_access_key='berth-test-secret')\n\
             {script}",
            self.endpoint
        );
        let output = Command::new("python3")
            .args(["-c", &program])
            .env("AWS_CONFIG_FILE", "/nonexistent/berth-test")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/berth-test")
            .env("AWS_MAX_ATTEMPTS", "1")
            .output()
            .expect("python3 runs");
        assert!(
            output.status.success(),
            "boto3 script failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
            panic!(
                "script printed non-JSON ({err}): {}",
                String::from_utf8_lossy(&output.stdout)
            )
        })
    }
}

/// Docker state of one test: a private client config directory (so the
/// user's logins are untouched), and everything labelled with its id or
/// tagged through it, removed on drop.
pub struct Docker {
    pub id: String,
    config: tempfile::TempDir,
    tags: Vec<String>,
}

impl Docker {
    /// A fresh test scope.
    pub fn new(test: &str) -> Docker {
        Docker {
            id: format!("{test}-{}", std::process::id()),
            config: tempfile::tempdir().expect("temp dir"),
            tags: Vec::new(),
        }
    }

    /// Runs `docker <args>` with this test's config; returns (success,
    /// stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (bool, String, String) {
        self.run_with_input(args, None)
    }

    /// Like [`Docker::run`], feeding `input` on stdin.
    pub fn run_with_input(&self, args: &[&str], input: Option<&[u8]>) -> (bool, String, String) {
        use std::io::Write;
        let mut child = Command::new("docker")
            .args(args)
            .env("DOCKER_CONFIG", self.config.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("docker runs");
        let mut stdin = child.stdin.take().expect("piped stdin");
        if let Some(input) = input {
            let _ = stdin.write_all(input);
        }
        drop(stdin);
        let output = child.wait_with_output().expect("docker finishes");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// `docker <args>` that must succeed; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let (success, stdout, stderr) = self.run(args);
        assert!(success, "docker {} failed: {stderr}", args.join(" "));
        stdout
    }

    /// Remembers `reference` for removal at the end.
    pub fn track(&mut self, reference: &str) {
        self.tags.push(reference.to_owned());
    }

    /// `docker login` to `server`'s registry with its ECR password.
    pub fn login(&self, server: &Server) {
        let password = server.password();
        let (success, _, stderr) = self.run_with_input(
            &[
                "login",
                "--username",
                "AWS",
                "--password-stdin",
                &server.address,
            ],
            Some(password.as_bytes()),
        );
        assert!(success, "docker login failed: {stderr}");
    }

    /// Imports a busybox root file system as image `reference` (one layer),
    /// with `marker` written to /marker so images of different markers differ.
    pub fn import_busybox(&mut self, reference: &str, marker: &str) {
        let root = tempfile::tempdir().expect("temp dir");
        build_busybox_root(root.path(), marker);
        let tar = Command::new("tar")
            .args(["-C"])
            .arg(root.path())
            .args(["-c", "."])
            .output()
            .expect("tar runs");
        assert!(tar.status.success());
        let label = format!("LABEL berth.test={}", self.id);
        let (success, _, stderr) = self.run_with_input(
            &[
                "import",
                "--change",
                &label,
                "--change",
                "CMD [\"/bin/sh\"]",
                "-",
                reference,
            ],
            Some(&tar.stdout),
        );
        assert!(success, "docker import failed: {stderr}");
        self.track(reference);
    }

    /// A two-layer image: `base` plus a layer adding /hello with `text`,
    /// made by committing a container.
    pub fn commit_layer(&mut self, base: &str, reference: &str, text: &str) {
        let container = format!("berth-test-{}", self.id);
        let script = format!("echo {text} > /hello");
        self.ok(&[
            "run",
            "--name",
            &container,
            "--label",
            &format!("berth.test={}", self.id),
            base,
            "sh",
            "-c",
            &script,
        ]);
        self.ok(&[
            "commit",
            "--change",
            &format!("LABEL berth.test={}", self.id),
            &container,
            reference,
        ]);
        self.track(reference);
        self.ok(&["rm", "-f", &container]);
    }
}

impl Drop for Docker {
    fn drop(&mut self) {
        let filter = format!("label=berth.test={}", self.id);
        let (_, containers, _) = self.run(&["ps", "-aq", "--filter", &filter]);
        for container in containers.split_whitespace() {
            let _ = self.run(&["rm", "-f", container]);
        }
        for tag in &self.tags {
            let _ = self.run(&["rmi", "-f", tag]);
        }
        let (_, images, _) = self.run(&["images", "-q", "--filter", &filter]);
        for image in images.split_whitespace() {
            let _ = self.run(&["rmi", "-f", image]);
        }
    }
}

/// A minimal root: busybox with `sh` and `cat`, and /marker.
fn build_busybox_root(root: &Path, marker: &str) {
    let bin = root.join("bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    std::fs::copy(busybox(), bin.join("busybox")).expect("copy busybox");
    for applet in ["sh", "cat", "echo"] {
        std::os::unix::fs::symlink("busybox", bin.join(applet)).expect("symlink");
    }
    std::fs::write(root.join("marker"), marker).expect("marker");
}

fn busybox() -> PathBuf {
    ["/bin/busybox", "/usr/bin/busybox"]
        .iter()
        .map(PathBuf::from)
        .find(|path| path.exists())
        .expect("busybox-static is installed")
}
