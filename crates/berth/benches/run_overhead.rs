//! RunTask → RUNNING overhead over plain Docker: the release `berth up`
//! binary (server and local agent in one process, over the real agent
//! protocol) starts `sleep 300` from a locally imported busybox image, timed
//! from sending RunTask until DescribeTasks first shows RUNNING; the same
//! image and command started by the Docker Engine API (create + start) and by
//! `docker run -d` are the baselines. The three kinds of runs alternate so
//! they share the machine's noise. Prints a Markdown table.
//!
//! Run: `cargo bench -p berth --bench run_overhead`; `cargo test -p berth
//! --benches` does two runs of each kind. Needs a Docker Engine; without one
//! it says so and measures nothing.

mod support;

use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use support::http::Client;
use support::server::{Server, berth_binary};
use support::{ECS_TARGET, Summary, millis};

/// How often DescribeTasks is polled while a task starts.
const POLL_INTERVAL: Duration = Duration::from_millis(2);

/// How long one task may take to reach RUNNING or STOPPED.
const TASK_DEADLINE: Duration = Duration::from_secs(60);

/// How long `berth up`'s agent may take to register its host.
const AGENT_DEADLINE: Duration = Duration::from_secs(60);

/// The Docker Engine's socket (`$DOCKER_HOST` when it names a unix socket).
fn docker_socket() -> String {
    std::env::var("DOCKER_HOST")
        .ok()
        .and_then(|host| host.strip_prefix("unix://").map(str::to_owned))
        .unwrap_or_else(|| "/var/run/docker.sock".to_owned())
}

/// The command every run starts.
const COMMAND: [&str; 2] = ["sleep", "300"];

/// Settings for a full run or a quick test-mode round.
struct Plan {
    runs: usize,
}

impl Plan {
    fn new() -> Plan {
        // `cargo bench` passes --bench; `cargo test --benches` does not.
        if std::env::args().any(|arg| arg == "--bench") {
            Plan { runs: 30 }
        } else {
            Plan { runs: 2 }
        }
    }
}

/// A unique label value for everything this bench creates.
fn run_id() -> String {
    format!("run-overhead-{}", std::process::id())
}

/// A busybox image imported from the host's busybox-static, labelled
/// `berth.test=<run id>`, removed when dropped.
struct BenchImage {
    name: String,
}

impl BenchImage {
    fn import(run_id: &str) -> io::Result<BenchImage> {
        let root = tempfile::tempdir()?;
        let bin = root.path().join("bin");
        std::fs::create_dir_all(&bin)?;
        std::fs::copy("/bin/busybox", bin.join("busybox"))?;
        for applet in ["sh", "sleep"] {
            std::os::unix::fs::symlink("busybox", bin.join(applet))?;
        }
        let name = format!("berth-bench/busybox:{run_id}");
        let mut tar = Command::new("tar")
            .arg("-C")
            .arg(root.path())
            .args(["-c", "."])
            .stdout(Stdio::piped())
            .spawn()?;
        let tar_output = tar
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("tar's stdout is not piped"))?;
        let imported = Command::new("docker")
            .args([
                "import",
                "--change",
                &format!("LABEL berth.test={run_id}"),
                "-",
                &name,
            ])
            .stdin(tar_output)
            .stdout(Stdio::null())
            .status()?;
        let tarred = tar.wait()?;
        // Built before checking, so a half-made image is removed too.
        let image = BenchImage { name };
        if !(imported.success() && tarred.success()) {
            return Err(io::Error::other("docker import of busybox failed"));
        }
        Ok(image)
    }
}

impl Drop for BenchImage {
    fn drop(&mut self) {
        let _ = Command::new("docker")
            .args(["rmi", "-f", &self.name])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// Every container this bench started, removed when dropped: the baseline
/// containers by their `berth.test` label, Berth's by the ARNs of the tasks
/// this bench ran (never other containers of the `default` cluster).
struct Containers {
    run_id: String,
    task_arns: Vec<String>,
}

impl Containers {
    /// Removes the containers of `task_arn` now.
    fn remove_task(&self, task_arn: &str) {
        remove_labelled(&format!("com.amazonaws.ecs.task-arn={task_arn}"));
    }
}

impl Drop for Containers {
    fn drop(&mut self) {
        remove_labelled(&format!("berth.test={}", self.run_id));
        for task_arn in &self.task_arns {
            self.remove_task(task_arn);
        }
    }
}

/// `docker rm -f -v` of every container carrying `label` (`key=value`).
fn remove_labelled(label: &str) {
    let Ok(output) = Command::new("docker")
        .args(["ps", "-aq", "--filter", &format!("label={label}")])
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
}

/// One request to the Docker Engine API over its unix socket, on a fresh
/// connection as a client would open; returns status and body.
fn docker_api(method: &str, path: &str, body: Option<&Value>) -> io::Result<(u16, Vec<u8>)> {
    let mut stream = UnixStream::connect(docker_socket())?;
    stream.set_read_timeout(Some(TASK_DEADLINE))?;
    let payload = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    );
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| io::Error::other(format!("bad Docker API answer to {path}")))?;
    // Callers read JSON between the outer braces, which skips chunked
    // framing if the Engine uses it.
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, rest)| rest.to_owned())
        .unwrap_or_default();
    Ok((status, body.into_bytes()))
}

/// Creates and starts a container of `image` running `COMMAND` through the
/// Docker Engine API; returns the time until start answered (the container
/// is running then).
fn docker_api_run(image: &str, run_id: &str) -> io::Result<Duration> {
    let started = Instant::now();
    let create = json!({
        "Image": image,
        "Cmd": COMMAND,
        "Labels": {"berth.test": run_id},
    });
    let (status, body) = docker_api("POST", "/containers/create", Some(&create))?;
    let text = String::from_utf8_lossy(&body);
    let id = text
        .find('{')
        .zip(text.rfind('}'))
        .and_then(|(start, end)| text.get(start..=end))
        .and_then(|object| serde_json::from_str::<Value>(object).ok())
        .and_then(|created| created["Id"].as_str().map(str::to_owned))
        .filter(|_| status == 201)
        .ok_or_else(|| io::Error::other(format!("container create answered {status}: {text}")))?;
    let (status, body) = docker_api("POST", &format!("/containers/{id}/start"), None)?;
    let elapsed = started.elapsed();
    if status != 204 {
        return Err(io::Error::other(format!(
            "container start answered {status}: {}",
            String::from_utf8_lossy(&body)
        )));
    }
    docker_api(
        "DELETE",
        &format!("/containers/{id}?force=true&v=true"),
        None,
    )?;
    Ok(elapsed)
}

/// `docker run -d` of `image` running `COMMAND`; returns the time until the
/// CLI returned (after the container started).
fn docker_cli_run(image: &str, run_id: &str) -> io::Result<Duration> {
    let started = Instant::now();
    let output = Command::new("docker")
        .args([
            "run",
            "-d",
            "--label",
            &format!("berth.test={run_id}"),
            image,
        ])
        .args(COMMAND)
        .stderr(Stdio::inherit())
        .output()?;
    let elapsed = started.elapsed();
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "docker run failed with {}",
            output.status
        )));
    }
    let id = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    Command::new("docker")
        .args(["rm", "-f", "-v", &id])
        .stdout(Stdio::null())
        .status()?;
    Ok(elapsed)
}

/// Sends one ECS request and insists on a 200.
fn ecs(client: &mut Client, operation: &str, body: &Value) -> Value {
    let target = format!("{ECS_TARGET}.{operation}");
    let response = client
        .post_aws_json(&target, body.to_string().as_bytes())
        .unwrap_or_else(|error| panic!("{operation} failed: {error}"));
    assert!(
        response.status == 200,
        "{operation} answered {}: {}",
        response.status,
        String::from_utf8_lossy(&response.body)
    );
    serde_json::from_slice(&response.body)
        .unwrap_or_else(|error| panic!("{operation} answered bad JSON: {error}"))
}

/// The task definition every Berth run starts: the baseline's image and
/// command, with a short stopTimeout because `sleep` as PID 1 ignores
/// SIGTERM.
fn task_definition(image: &str) -> Value {
    json!({
        "family": "run-overhead",
        "containerDefinitions": [{
            "name": "sleeper",
            "image": image,
            "memory": 32,
            "essential": true,
            "command": COMMAND,
            "stopTimeout": 1,
        }],
    })
}

/// `lastStatus` of `task_arn`.
fn last_status(client: &mut Client, task_arn: &str) -> String {
    let answer = ecs(client, "DescribeTasks", &json!({"tasks": [task_arn]}));
    answer["tasks"][0]["lastStatus"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Waits until `berth up`'s agent has registered its host in `default`.
fn wait_for_agent(client: &mut Client) {
    let deadline = Instant::now() + AGENT_DEADLINE;
    loop {
        let answer = ecs(client, "ListContainerInstances", &json!({}));
        if answer["containerInstanceArns"]
            .as_array()
            .is_some_and(|arns| !arns.is_empty())
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "berth up's agent did not register within {AGENT_DEADLINE:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Runs one task and times RunTask → first DescribeTasks showing RUNNING;
/// then stops it, waits for STOPPED and removes its container.
fn berth_run(client: &mut Client, containers: &mut Containers) -> Duration {
    let started = Instant::now();
    let answer = ecs(
        client,
        "RunTask",
        &json!({"taskDefinition": "run-overhead", "count": 1}),
    );
    let task_arn = answer["tasks"][0]["taskArn"]
        .as_str()
        .unwrap_or_else(|| panic!("RunTask placed nothing: {answer}"))
        .to_owned();
    containers.task_arns.push(task_arn.clone());
    loop {
        let status = last_status(client, &task_arn);
        if status == "RUNNING" {
            break;
        }
        assert!(
            status != "STOPPED" && started.elapsed() < TASK_DEADLINE,
            "task {task_arn} did not reach RUNNING (last status {status})"
        );
        std::thread::sleep(POLL_INTERVAL);
    }
    let elapsed = started.elapsed();
    ecs(
        client,
        "StopTask",
        &json!({"task": task_arn, "reason": "run_overhead bench"}),
    );
    let stop_started = Instant::now();
    while last_status(client, &task_arn) != "STOPPED" {
        assert!(
            stop_started.elapsed() < TASK_DEADLINE,
            "task {task_arn} did not stop"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    containers.remove_task(&task_arn);
    elapsed
}

fn docker_available() -> bool {
    Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn main() {
    if !docker_available() {
        println!("run_overhead: no Docker Engine reachable; nothing measured");
        return;
    }
    let plan = Plan::new();
    let run_id = run_id();
    // Dropped in reverse order: the server stops first, then its containers
    // and the image go.
    let image = BenchImage::import(&run_id).expect("busybox image imports");
    let mut containers = Containers {
        run_id: run_id.clone(),
        task_arns: Vec::new(),
    };
    let data_dir = tempfile::tempdir().expect("a temporary data dir");
    let server = Server::berth_with(
        &berth_binary(),
        "up",
        data_dir.path(),
        &["--image-pull-behavior", "prefer-cached"],
    )
    .expect("berth up starts");
    let mut client = Client::new(&server.address);
    wait_for_agent(&mut client);
    ecs(
        &mut client,
        "RegisterTaskDefinition",
        &task_definition(&image.name),
    );

    // One untimed run of each kind warms the image cache, Docker's network
    // setup and the server's connections.
    berth_run(&mut client, &mut containers);
    docker_api_run(&image.name, &run_id).expect("docker API run");
    docker_cli_run(&image.name, &run_id).expect("docker run");

    let mut berth_times = Vec::with_capacity(plan.runs);
    let mut api_times = Vec::with_capacity(plan.runs);
    let mut cli_times = Vec::with_capacity(plan.runs);
    for run_idx in 0..plan.runs {
        // Rotating the order keeps any after-effect of one kind (a
        // container being torn down) from always landing on the same next
        // kind.
        for kind in 0..3 {
            match (run_idx + kind) % 3 {
                0 => berth_times.push(berth_run(&mut client, &mut containers)),
                1 => api_times.push(docker_api_run(&image.name, &run_id).expect("docker API run")),
                _ => cli_times.push(docker_cli_run(&image.name, &run_id).expect("docker run")),
            }
        }
    }
    let (Some(berth), Some(api), Some(cli)) = (
        Summary::of(&mut berth_times),
        Summary::of(&mut api_times),
        Summary::of(&mut cli_times),
    ) else {
        panic!("no runs were measured");
    };
    println!("\n| Start of `sleep 300` (busybox, cached) | runs | p50 | p99 | max |");
    println!("|---|---:|---:|---:|---:|");
    for (case, summary) in [
        ("Berth RunTask → DescribeTasks RUNNING", berth),
        ("Docker Engine API create + start", api),
        ("`docker run -d` (CLI)", cli),
    ] {
        println!(
            "| {case} | {} | {} | {} | {} |",
            summary.count,
            millis(summary.p50),
            millis(summary.p99),
            millis(summary.max)
        );
    }
    for (baseline, summary) in [("Docker API", api), ("`docker run -d`", cli)] {
        println!(
            "| Berth overhead over {baseline} | | {} | {} | |",
            signed_millis(berth.p50, summary.p50),
            signed_millis(berth.p99, summary.p99),
        );
    }
    server.stop().expect("berth up stops on SIGTERM");
    drop(containers);
    drop(image);
}

/// `a - b` in milliseconds with a sign.
fn signed_millis(a: Duration, b: Duration) -> String {
    format!("{:+.3} ms", (a.as_secs_f64() - b.as_secs_f64()) * 1e3)
}
