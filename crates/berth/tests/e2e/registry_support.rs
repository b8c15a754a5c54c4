//! Helpers for the registry tests: a `berth server` started with extra
//! environment, registry credentials, and Docker state that is cleaned up
//! (images by tag and by label, containers by label) even when a test fails.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use crate::common::{AwsFailure, aws_cli};

/// A `berth server` with its own data directory, killed when dropped.
pub struct Server {
    child: Child,
    pub endpoint: String,
    /// `127.0.0.1:port`: the API and the registry host.
    pub address: String,
    _data_dir: tempfile::TempDir,
}

impl Server {
    /// Starts `berth server` on a free port with `envs` set.
    pub fn start(envs: &[(&str, &str)]) -> Server {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut child = Command::new(env!("CARGO_BIN_EXE_berth"))
            .args(["server", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir.path())
            .env("RUST_LOG", "warn")
            .envs(envs.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("berth starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(address) = line.strip_prefix("berth listening on http://") {
                    let _ = sender.send(address.to_owned());
                }
            }
        });
        let Ok(address) = receiver.recv_timeout(Duration::from_secs(30)) else {
            let _ = child.kill();
            panic!("berth did not start");
        };
        Server {
            child,
            endpoint: format!("http://{address}"),
            address,
            _data_dir: data_dir,
        }
    }

    /// `aws <args>` against this server.
    pub fn aws(&self, args: &[&str]) -> Result<Value, AwsFailure> {
        aws_cli(&self.endpoint, args)
    }

    /// `aws <args>` that must succeed.
    pub fn aws_ok(&self, args: &[&str]) -> Value {
        self.aws(args)
            .unwrap_or_else(|failure| panic!("aws {} failed: {}", args.join(" "), failure.stderr))
    }

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

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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
