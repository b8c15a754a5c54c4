//! Starting `berth` for a test, and talking to it with the AWS CLI and raw
//! HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

/// How long a server may take to say it is listening.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running `berth` process, killed when dropped.
pub struct Berth {
    child: Child,
    pub endpoint: String,
    pub address: String,
    pub data_dir: PathBuf,
    _temp_dir: Option<tempfile::TempDir>,
}

impl Berth {
    /// `berth server` on a free port with a fresh data directory.
    pub fn start() -> Berth {
        Berth::start_fresh(&[], &[])
    }

    /// `berth server` with extra flags, on a fresh data directory.
    pub fn start_with(flags: &[&str]) -> Berth {
        Berth::start_fresh(flags, &[])
    }

    /// `berth server` with extra environment, on a fresh data directory.
    pub fn start_with_env(envs: &[(&str, &str)]) -> Berth {
        Berth::start_fresh(&[], envs)
    }

    fn start_fresh(flags: &[&str], envs: &[(&str, &str)]) -> Berth {
        let temp_dir = tempfile::tempdir().expect("temp dir");
        let data_dir = temp_dir.path().to_path_buf();
        let mut berth = Berth::spawn(&data_dir, "server", flags, envs);
        berth._temp_dir = Some(temp_dir);
        berth
    }

    /// `berth <subcommand>` on a free port over `data_dir`.
    pub fn start_in(data_dir: &Path, subcommand: &str) -> Berth {
        Berth::spawn(data_dir, subcommand, &[], &[])
    }

    fn spawn(data_dir: &Path, subcommand: &str, flags: &[&str], envs: &[(&str, &str)]) -> Berth {
        let mut child = Command::new(env!("CARGO_BIN_EXE_berth"))
            .args([subcommand, "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .args(flags)
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
        let address = match receiver.recv_timeout(START_TIMEOUT) {
            Ok(address) => address,
            Err(_) => {
                let _ = child.kill();
                panic!("berth did not start within {START_TIMEOUT:?}");
            }
        };
        Berth {
            child,
            endpoint: format!("http://{address}"),
            address,
            data_dir: data_dir.to_path_buf(),
            _temp_dir: None,
        }
    }

    /// Stops the server with SIGTERM and waits for it to exit.
    pub fn stop(mut self) -> Option<tempfile::TempDir> {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let exit = self.child.wait().expect("berth exits");
        assert!(exit.success(), "berth exited with {exit}");
        self._temp_dir.take()
    }

    /// Kills the server with SIGKILL, as a crash would, and waits for it.
    pub fn crash(mut self) -> Option<tempfile::TempDir> {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("berth is reaped");
        self._temp_dir.take()
    }

    /// Runs `aws <args>` against this server and parses its JSON output.
    pub fn aws(&self, args: &[&str]) -> Result<Value, AwsFailure> {
        aws_cli(&self.endpoint, args)
    }

    /// Like [`Berth::aws`], for calls that must succeed.
    pub fn aws_ok(&self, args: &[&str]) -> Value {
        match self.aws(args) {
            Ok(value) => value,
            Err(failure) => panic!("aws {} failed: {}", args.join(" "), failure.stderr),
        }
    }

    /// Posts a raw AWS JSON request; returns the status and parsed body.
    pub fn post_json(&self, target: Option<&str>, body: &[u8]) -> (u16, Value) {
        try_post_json(&self.address, target, body)
            .unwrap_or_else(|err| panic!("POST {target:?} to {}: {err}", self.address))
    }
}

/// Like [`Berth::post_json`], to the server at `address`, for calls that may
/// find it gone.
pub fn try_post_json(
    address: &str,
    target: Option<&str>,
    body: &[u8],
) -> std::io::Result<(u16, Value)> {
    let mut headers = vec![
        ("Content-Type", "application/x-amz-json-1.1".to_owned()),
        ("Authorization", signed_authorization()),
    ];
    if let Some(target) = target {
        headers.push(("X-Amz-Target", target.to_owned()));
    }
    let (status, body) = try_http_request(address, "POST", "/", &headers, body)?;
    let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    Ok((status, value))
}

impl Drop for Berth {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An AWS CLI call that exited non-zero.
#[derive(Debug)]
pub struct AwsFailure {
    pub stderr: String,
}

impl AwsFailure {
    /// Whether the CLI reported the error code `code`.
    pub fn has_code(&self, code: &str) -> bool {
        self.stderr.contains(&format!("({code})"))
    }
}

/// The AWS CLI to test with: `$BERTH_TEST_AWS_CLI`, else Debian's v2 at
/// /usr/bin/aws, else whatever `aws` is on PATH.
pub fn aws_binary() -> String {
    if let Ok(path) = std::env::var("BERTH_TEST_AWS_CLI") {
        return path;
    }
    if Path::new("/usr/bin/aws").exists() {
        return "/usr/bin/aws".to_owned();
    }
    "aws".to_owned()
}

/// Runs the AWS CLI with throwaway credentials against `endpoint`.
pub fn aws_cli(endpoint: &str, args: &[&str]) -> Result<Value, AwsFailure> {
    let output = Command::new(aws_binary())
        .args([
            "--endpoint-url",
            endpoint,
            "--region",
            "us-east-1",
            "--output",
            "json",
        ])
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "AKIDBERTHTEST")
        .env("AWS_SECRET_ACCESS_KEY", "berth-test-secret")
        .env("AWS_CONFIG_FILE", "/nonexistent/berth-test")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/berth-test")
        .env("AWS_PAGER", "")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("the AWS CLI runs");
    if !output.status.success() {
        return Err(AwsFailure {
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    if output.stdout.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    Ok(
        serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
            panic!(
                "aws {} printed non-JSON ({error}): {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stdout)
            )
        }),
    )
}

/// The MEMORY a described container instance has left.
pub fn remaining_memory(instance: &Value) -> i64 {
    instance["remainingResources"]
        .as_array()
        .expect("remainingResources")
        .iter()
        .find(|resource| resource["name"] == "MEMORY")
        .and_then(|resource| resource["integerValue"].as_i64())
        .expect("MEMORY")
}

/// A syntactically valid SigV4 header for raw requests.
pub fn signed_authorization() -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=AKIDBERTHTEST/20260101/us-east-1/ecs/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={}",
        "0".repeat(64)
    )
}

/// One HTTP/1.1 request on a fresh connection; returns status and body.
pub fn http_request(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> (u16, Vec<u8>) {
    try_http_request(address, method, path, headers, body)
        .unwrap_or_else(|err| panic!("{method} {path} to {address}: {err}"))
}

/// Like [`http_request`], for calls that may find the server gone: a
/// refused connection or a response cut short is an error, not a panic.
pub fn try_http_request(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> std::io::Result<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    // The server may answer and close before reading a body it refuses.
    let _ = stream.write_all(body);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let incomplete = || std::io::Error::other("an incomplete HTTP response");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(incomplete)?;
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(incomplete)?;
    let mut body = response[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Ok((status, body))
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.trim(), 16).unwrap_or(0);
        data = &data[line_end + 2..];
        if size == 0 || data.len() < size {
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[(size + 2).min(data.len())..];
    }
    out
}
