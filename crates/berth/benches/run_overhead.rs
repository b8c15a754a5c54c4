//! RunTask → RUNNING overhead over plain Docker: the release `berth up`
//! binary (server and local agent in one process, over the real agent
//! protocol) starts `sleep 300` from a locally imported busybox image, timed
//! from sending RunTask until DescribeTasks first shows RUNNING; the same
//! image and command started by the Docker Engine API (create + start) and by
//! `docker run -d` are the baselines. The three kinds of runs alternate so
//! they share the machine's noise. Docker's own part of each start (the
//! container's `Created` to its `State.StartedAt`, from inspect) is also
//! taken out, leaving the time spent outside Docker: far less noisy than
//! the totals, whose spread is mostly Docker's. With
//! `BERTH_BENCH_PEERS=fakecloud` (and `BERTH_BENCH_FAKECLOUD`, its binary)
//! fakecloud runs the same task definition through its own ECS API as a
//! fourth kind, pulling the image from its own registry as it does before
//! every run. With `BERTH_BENCH_PULL=1`, a second `berth up`, whose agent
//! pulls before every run (the ECS agent's default) from its own registry,
//! runs it as a fifth kind: a pull against fakecloud's pull. Each ECS run
//! also times StopTask's answer and reads the memory limit its container
//! got. Prints Markdown tables.
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
use support::{ECS_TARGET, Peers, Summary, millis};

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

/// One timed start.
#[derive(Debug, Clone, Copy)]
struct Sample {
    /// From the first request until the container was seen running.
    total: Duration,
    /// Docker's own part: the container's `Created` to its `StartedAt`.
    in_docker: Duration,
    /// How long StopTask took to answer, for runs through an ECS API.
    stop_answered: Option<Duration>,
    /// The memory limit Docker holds the container to, in bytes (0: none),
    /// for runs through an ECS API: the task definition asks for 32 MiB.
    memory_limit: Option<u64>,
}

impl Sample {
    /// The part spent outside Docker's create → start.
    fn outside_docker(&self) -> Duration {
        self.total.saturating_sub(self.in_docker)
    }
}

/// Settings for a full run or a quick test-mode round.
struct Plan {
    runs: usize,
}

impl Plan {
    fn new() -> Plan {
        // `cargo bench` passes --bench; `cargo test --benches` does not.
        if std::env::args().any(|arg| arg == "--bench") {
            Plan { runs: 40 }
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
        remove_image(&self.name);
    }
}

/// `docker rmi -f` of image `name`, whatever becomes of it.
fn remove_image(name: &str) {
    let _ = Command::new("docker")
        .args(["rmi", "-f", name])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Every container this bench started, removed when dropped: the baseline
/// containers by their `berth.test` label, the ECS servers' by the labels of
/// the tasks this bench ran (never other containers of Berth's `default`
/// cluster) and, for fakecloud, by the label it puts on every container it
/// starts.
struct Containers {
    run_id: String,
    labels: Vec<String>,
}

impl Drop for Containers {
    fn drop(&mut self) {
        remove_labelled(&format!("berth.test={}", self.run_id));
        for label in &self.labels {
            remove_labelled(label);
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
/// connection as a client would open; returns status and body. HTTP/1.0
/// keeps the Engine from chunking the body, which then runs to the close.
fn docker_api(method: &str, path: &str, body: Option<&Value>) -> io::Result<(u16, Vec<u8>)> {
    let mut stream = UnixStream::connect(docker_socket())?;
    stream.set_read_timeout(Some(TASK_DEADLINE))?;
    let payload = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.0\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{payload}",
        payload.len()
    );
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let head_end = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .ok_or_else(|| io::Error::other(format!("bad Docker API answer to {path}")))?;
    let status = String::from_utf8_lossy(&response[..head_end])
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| io::Error::other(format!("bad Docker API status for {path}")))?;
    Ok((status, response.split_off(head_end + 4)))
}

/// A container as inspect shows it.
fn inspect(id: &str) -> io::Result<Value> {
    let (status, body) = docker_api("GET", &format!("/containers/{id}/json"), None)?;
    serde_json::from_slice(&body)
        .ok()
        .filter(|_| status == 200)
        .ok_or_else(|| io::Error::other(format!("inspect of {id} answered {status}")))
}

/// Docker's own part of a container's start: `Created` to
/// `State.StartedAt`, from inspect.
fn time_in_docker(id: &str) -> io::Result<Duration> {
    time_in_docker_of(id, &inspect(id)?)
}

/// [`time_in_docker`] of a container already inspected.
fn time_in_docker_of(id: &str, inspected: &Value) -> io::Result<Duration> {
    let instant = |value: &Value| {
        value
            .as_str()
            .and_then(parse_rfc3339_nanos)
            .ok_or_else(|| io::Error::other(format!("inspect of {id}: bad timestamp {value}")))
    };
    let created = instant(&inspected["Created"])?;
    let started = instant(&inspected["State"]["StartedAt"])?;
    let nanos = u64::try_from(started - created)
        .map_err(|_| io::Error::other(format!("{id} started before it was created")))?;
    Ok(Duration::from_nanos(nanos))
}

/// Nanoseconds since the epoch of a UTC RFC 3339 timestamp as Docker writes
/// them (`2026-01-02T03:04:05.123456789Z`).
fn parse_rfc3339_nanos(text: &str) -> Option<i128> {
    let (date, time) = text.strip_suffix('Z')?.split_once('T')?;
    let mut date_parts = date.splitn(3, '-').map(|part| part.parse::<i64>().ok());
    let (year, month, day) = (
        date_parts.next()??,
        date_parts.next()??,
        date_parts.next()??,
    );
    let (clock, fraction) = time.split_once('.').unwrap_or((time, "0"));
    let mut clock_parts = clock.splitn(3, ':').map(|part| part.parse::<i64>().ok());
    let (hour, minute, second) = (
        clock_parts.next()??,
        clock_parts.next()??,
        clock_parts.next()??,
    );
    let digits: String = fraction
        .chars()
        .chain(std::iter::repeat('0'))
        .take(9)
        .collect();
    let nanos: i128 = digits.parse().ok()?;
    // Days since 1970-01-01 of the civil date (Howard Hinnant's
    // days_from_civil), with years starting in March.
    let march_year = if month <= 2 { year - 1 } else { year };
    let era = march_year.div_euclid(400);
    let year_of_era = march_year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    Some(i128::from(seconds) * 1_000_000_000 + nanos)
}

/// Creates and starts a container of `image` running `COMMAND` through the
/// Docker Engine API, timed until start answered (the container is running
/// then), then removes it.
fn docker_api_run(image: &str, run_id: &str) -> io::Result<Sample> {
    let started = Instant::now();
    let create = json!({
        "Image": image,
        "Cmd": COMMAND,
        "Labels": {"berth.test": run_id},
    });
    let (status, body) = docker_api("POST", "/containers/create", Some(&create))?;
    let id = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|created| created["Id"].as_str().map(str::to_owned))
        .filter(|_| status == 201)
        .ok_or_else(|| {
            io::Error::other(format!(
                "container create answered {status}: {}",
                String::from_utf8_lossy(&body)
            ))
        })?;
    let (status, body) = docker_api("POST", &format!("/containers/{id}/start"), None)?;
    let total = started.elapsed();
    if status != 204 {
        return Err(io::Error::other(format!(
            "container start answered {status}: {}",
            String::from_utf8_lossy(&body)
        )));
    }
    let in_docker = time_in_docker(&id)?;
    docker_api(
        "DELETE",
        &format!("/containers/{id}?force=true&v=true"),
        None,
    )?;
    Ok(Sample {
        total,
        in_docker,
        stop_answered: None,
        memory_limit: None,
    })
}

/// `docker run -d` of `image` running `COMMAND`, timed until the CLI
/// returned (after the container started), then removes it.
fn docker_cli_run(image: &str, run_id: &str) -> io::Result<Sample> {
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
    let total = started.elapsed();
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "docker run failed with {}",
            output.status
        )));
    }
    let id = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let in_docker = time_in_docker(&id)?;
    Command::new("docker")
        .args(["rm", "-f", "-v", &id])
        .stdout(Stdio::null())
        .status()?;
    Ok(Sample {
        total,
        in_docker,
        stop_answered: None,
        memory_limit: None,
    })
}

/// A server that runs tasks through the ECS API.
struct EcsServer {
    /// For messages.
    name: &'static str,
    client: Client,
    /// The label (`key=value`) on the containers of a task, by its ARN.
    task_label: fn(&str) -> String,
}

/// Berth's agent labels containers as the ECS agent does.
fn berth_task_label(task_arn: &str) -> String {
    format!("com.amazonaws.ecs.task-arn={task_arn}")
}

/// fakecloud labels them with the task's id.
fn fakecloud_task_label(task_arn: &str) -> String {
    let task_id = task_arn.rsplit('/').next().unwrap_or(task_arn);
    format!("fakecloud-ecs-task={task_id}")
}

impl EcsServer {
    /// Sends one ECS request and insists on a 200.
    fn ecs(&mut self, operation: &str, body: &Value) -> Value {
        let name = self.name;
        let target = format!("{ECS_TARGET}.{operation}");
        let response = self
            .client
            .post_aws_json(&target, body.to_string().as_bytes())
            .unwrap_or_else(|error| panic!("{name} {operation} failed: {error}"));
        assert!(
            response.status == 200,
            "{name} {operation} answered {}: {}",
            response.status,
            String::from_utf8_lossy(&response.body)
        );
        serde_json::from_slice(&response.body)
            .unwrap_or_else(|error| panic!("{name} {operation} answered bad JSON: {error}"))
    }

    /// The DescribeTasks view of `task_arn`.
    fn describe(&mut self, task_arn: &str) -> Value {
        let mut answer = self.ecs("DescribeTasks", &json!({"tasks": [task_arn]}));
        answer["tasks"][0].take()
    }

    /// Runs one task and times RunTask → first DescribeTasks showing
    /// RUNNING; then times StopTask's answer, waits for STOPPED and removes
    /// the task's containers.
    fn run(&mut self, containers: &mut Containers) -> Sample {
        let name = self.name;
        self.try_run(containers)
            .unwrap_or_else(|task| panic!("{name}: a task stopped before it ran: {task}"))
    }

    /// [`EcsServer::run`], or the task as DescribeTasks showed it if it
    /// stopped before it ran.
    fn try_run(&mut self, containers: &mut Containers) -> Result<Sample, Value> {
        let name = self.name;
        let started = Instant::now();
        let answer = self.ecs(
            "RunTask",
            &json!({"taskDefinition": "run-overhead", "count": 1}),
        );
        let task_arn = answer["tasks"][0]["taskArn"]
            .as_str()
            .unwrap_or_else(|| panic!("{name} RunTask placed nothing: {answer}"))
            .to_owned();
        let label = (self.task_label)(&task_arn);
        containers.labels.push(label.clone());
        let task = loop {
            let task = self.describe(&task_arn);
            let status = task["lastStatus"].as_str().unwrap_or_default();
            if status == "RUNNING" {
                break task;
            }
            if status == "STOPPED" {
                return Err(task);
            }
            assert!(
                started.elapsed() < TASK_DEADLINE,
                "{name} task {task_arn} did not reach RUNNING (last status {status}): {task}"
            );
            std::thread::sleep(POLL_INTERVAL);
        };
        let total = started.elapsed();
        let runtime_id = task["containers"][0]["runtimeId"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: a RUNNING task without a runtimeId: {task}"));
        let inspected = inspect(runtime_id)
            .unwrap_or_else(|error| panic!("{name}'s container does not inspect: {error}"));
        let in_docker = time_in_docker_of(runtime_id, &inspected)
            .unwrap_or_else(|error| panic!("{name}'s container: {error}"));
        let memory_limit = inspected["HostConfig"]["Memory"].as_u64().unwrap_or(0);
        let stop_started = Instant::now();
        self.ecs(
            "StopTask",
            &json!({"task": task_arn, "reason": "run_overhead bench"}),
        );
        let stop_answered = stop_started.elapsed();
        while self.describe(&task_arn)["lastStatus"] != "STOPPED" {
            assert!(
                stop_started.elapsed() < TASK_DEADLINE,
                "{name} task {task_arn} did not stop"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        remove_labelled(&label);
        Ok(Sample {
            total,
            in_docker,
            stop_answered: Some(stop_answered),
            memory_limit: Some(memory_limit),
        })
    }
}

/// How long fakecloud may take to find the container runtime after it
/// first answers: until then it stops every task it is asked to run.
const RUNTIME_DEADLINE: Duration = Duration::from_secs(30);

/// An untimed first run on fakecloud, once it has found Docker.
fn warm_up_fakecloud(fakecloud: &mut EcsServer, containers: &mut Containers) {
    let deadline = Instant::now() + RUNTIME_DEADLINE;
    loop {
        match fakecloud.try_run(containers) {
            Ok(_) => return,
            Err(task) => {
                let reason = task["stoppedReason"].as_str().unwrap_or_default();
                assert!(
                    reason.contains("No container runtime") && Instant::now() < deadline,
                    "fakecloud stopped a task before it ran: {task}"
                );
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    }
}

/// The bench image pushed to a server's own registry through its ECR API
/// (Berth's or fakecloud's), and the names it is known by there; every name
/// is removed from the Docker Engine when it drops.
struct PushedImage {
    /// The name pushed (`<server address>/run-overhead:<run id>`), then any
    /// other name the server's pulls tag it with.
    names: Vec<String>,
    /// `docker login`'s credentials for the server, kept out of the user's.
    docker_config: tempfile::TempDir,
}

impl PushedImage {
    fn push(image: &BenchImage, address: &str, run_id: &str) -> io::Result<PushedImage> {
        let endpoint = format!("http://{address}");
        let aws = |args: &[&str]| -> io::Result<String> {
            let output = Command::new("aws")
                .args(["--endpoint-url", &endpoint, "--region", "us-east-1"])
                .args(args)
                .env("AWS_ACCESS_KEY_ID", "AKIDBENCH")
                .env("AWS_SECRET_ACCESS_KEY", "bench-secret")
                .stderr(Stdio::inherit())
                .output()?;
            if !output.status.success() {
                return Err(io::Error::other(format!("aws {args:?} failed")));
            }
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
        };
        aws(&[
            "ecr",
            "create-repository",
            "--repository-name",
            "run-overhead",
        ])?;
        let password = aws(&["ecr", "get-login-password"])?;
        let pushed = PushedImage {
            names: vec![format!("{address}/run-overhead:{run_id}")],
            docker_config: tempfile::tempdir()?,
        };
        let docker = |args: &[&str], input: Option<&str>| -> io::Result<()> {
            let mut child = Command::new("docker")
                .arg("--config")
                .arg(pushed.docker_config.path())
                .args(args)
                .stdin(if input.is_some() {
                    Stdio::piped()
                } else {
                    Stdio::null()
                })
                .stdout(Stdio::null())
                .spawn()?;
            if let (Some(mut stdin), Some(input)) = (child.stdin.take(), input) {
                stdin.write_all(input.as_bytes())?;
            }
            if !child.wait()?.success() {
                return Err(io::Error::other(format!("docker {} failed", args[0])));
            }
            Ok(())
        };
        docker(
            &["login", "-u", "AWS", "--password-stdin", address],
            Some(&password),
        )?;
        docker(&["tag", &image.name, &pushed.names[0]], None)?;
        docker(&["push", &pushed.names[0]], None)?;
        Ok(pushed)
    }

    /// Also removes `name`, which the server's pulls tag the image with.
    fn also_named(mut self, name: String) -> PushedImage {
        self.names.push(name);
        self
    }

    /// The name a task definition runs: the last the server knows it by.
    fn task_image(&self) -> &str {
        self.names.last().expect("the pushed name")
    }
}

impl Drop for PushedImage {
    fn drop(&mut self) {
        for name in &self.names {
            remove_image(name);
        }
    }
}

/// An ECS server that pulls the bench image from its own registry before
/// every run: fakecloud, or a second `berth up` whose agent has the ECS
/// agent's default pull behaviour. Held for its drops in field order: the
/// server stops, its image's names go, then its data.
struct PullingServer {
    ecs: EcsServer,
    _server: Server,
    _image: PushedImage,
    _data_dir: Option<tempfile::TempDir>,
}

impl PullingServer {
    fn berth(image: &BenchImage, run_id: &str) -> io::Result<PullingServer> {
        let data_dir = tempfile::tempdir()?;
        let server = Server::berth_with(
            &berth_binary(),
            "up",
            data_dir.path(),
            &["--image-pull-behavior", "default"],
        )?;
        let mut ecs = EcsServer {
            name: "berth, pulling",
            client: Client::new(&server.address),
            task_label: berth_task_label,
        };
        wait_for_agent(&mut ecs);
        let pushed = PushedImage::push(image, &server.address, run_id)?;
        ecs.ecs(
            "RegisterTaskDefinition",
            &task_definition(pushed.task_image()),
        );
        Ok(PullingServer {
            ecs,
            _server: server,
            _image: pushed,
            _data_dir: Some(data_dir),
        })
    }
}

/// The task definition every ECS run starts: the baseline's image and
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

/// Waits until `berth up`'s agent has registered its host in `default`.
fn wait_for_agent(berth: &mut EcsServer) {
    let deadline = Instant::now() + AGENT_DEADLINE;
    loop {
        let answer = berth.ecs("ListContainerInstances", &json!({}));
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
    // Dropped in reverse order: the servers stop first, then their
    // containers and the image go.
    let image = BenchImage::import(&run_id).expect("busybox image imports");
    let mut containers = Containers {
        run_id: run_id.clone(),
        labels: Vec::new(),
    };
    let data_dir = tempfile::tempdir().expect("a temporary data dir");
    let server = Server::berth_with(
        &berth_binary(),
        "up",
        data_dir.path(),
        &["--image-pull-behavior", "prefer-cached"],
    )
    .expect("berth up starts");
    let mut berth = EcsServer {
        name: "berth",
        client: Client::new(&server.address),
        task_label: berth_task_label,
    };
    wait_for_agent(&mut berth);
    berth.ecs("RegisterTaskDefinition", &task_definition(&image.name));
    let mut peer = Peers::from_env().fakecloud.map(|binary| {
        let server = Server::fakecloud(&binary).expect("fakecloud starts");
        // Whatever fakecloud started goes, even containers of a task this
        // bench did not get to record.
        containers
            .labels
            .push(format!("fakecloud-instance=fakecloud-{}", server.pid()));
        let mut ecs = EcsServer {
            name: "fakecloud",
            client: Client::new(&server.address),
            task_label: fakecloud_task_label,
        };
        let pushed = PushedImage::push(&image, &server.address, &run_id)
            .expect("fakecloud's registry takes the image")
            // fakecloud's default account and region.
            .also_named(format!(
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/run-overhead:{run_id}"
            ));
        ecs.ecs("CreateCluster", &json!({"clusterName": "default"}));
        ecs.ecs(
            "RegisterTaskDefinition",
            &task_definition(pushed.task_image()),
        );
        PullingServer {
            ecs,
            _server: server,
            _image: pushed,
            _data_dir: None,
        }
    });

    let mut pulling = std::env::var_os("BERTH_BENCH_PULL").map(|_| {
        PullingServer::berth(&image, &run_id).expect("a second berth up, pulling, starts")
    });

    // One untimed run of each kind warms the image cache, Docker's network
    // setup and the servers' connections.
    berth.run(&mut containers);
    docker_api_run(&image.name, &run_id).expect("docker API run");
    docker_cli_run(&image.name, &run_id).expect("docker run");
    if let Some(fakecloud) = peer.as_mut() {
        warm_up_fakecloud(&mut fakecloud.ecs, &mut containers);
    }
    if let Some(pulling) = pulling.as_mut() {
        pulling.ecs.run(&mut containers);
    }

    let mut kinds = vec![Run::Berth, Run::DockerApi, Run::DockerCli];
    kinds.extend(peer.is_some().then_some(Run::Fakecloud));
    kinds.extend(pulling.is_some().then_some(Run::BerthPulling));
    let mut samples = Samples::default();
    for run_idx in 0..plan.runs {
        // Rotating the order keeps any after-effect of one kind (a
        // container being torn down) from always landing on the same next
        // kind.
        for kind in 0..kinds.len() {
            match kinds[(run_idx + kind) % kinds.len()] {
                Run::Berth => samples.berth.push(berth.run(&mut containers)),
                Run::DockerApi => samples
                    .api
                    .push(docker_api_run(&image.name, &run_id).expect("docker API run")),
                Run::DockerCli => samples
                    .cli
                    .push(docker_cli_run(&image.name, &run_id).expect("docker run")),
                Run::Fakecloud => {
                    if let Some(fakecloud) = peer.as_mut() {
                        samples.fakecloud.push(fakecloud.ecs.run(&mut containers));
                    }
                }
                Run::BerthPulling => {
                    if let Some(pulling) = pulling.as_mut() {
                        samples.berth_pulling.push(pulling.ecs.run(&mut containers));
                    }
                }
            }
        }
    }
    print_tables(&samples);
    server.stop().expect("berth up stops on SIGTERM");
    drop(peer);
    drop(pulling);
    drop(containers);
    drop(image);
}

/// The kinds of runs, taken in turn.
#[derive(Debug, Clone, Copy)]
enum Run {
    Berth,
    DockerApi,
    DockerCli,
    Fakecloud,
    BerthPulling,
}

/// Every kind's samples.
#[derive(Default)]
struct Samples {
    berth: Vec<Sample>,
    api: Vec<Sample>,
    cli: Vec<Sample>,
    fakecloud: Vec<Sample>,
    berth_pulling: Vec<Sample>,
}

/// The summaries of one kind of run: totals, Docker's part, the rest.
struct Kind {
    total: Summary,
    in_docker: Summary,
    outside_docker: Summary,
}

impl Kind {
    fn of(samples: &[Sample]) -> Option<Kind> {
        let mut total: Vec<Duration> = samples.iter().map(|s| s.total).collect();
        let mut in_docker: Vec<Duration> = samples.iter().map(|s| s.in_docker).collect();
        let mut outside: Vec<Duration> = samples.iter().map(Sample::outside_docker).collect();
        Some(Kind {
            total: Summary::of(&mut total)?,
            in_docker: Summary::of(&mut in_docker)?,
            outside_docker: Summary::of(&mut outside)?,
        })
    }
}

/// Prints the Markdown tables: each kind's totals, Docker's part and the
/// rest, then Berth's overhead over each baseline (and fakecloud's, and
/// Berth's pulling, when they ran); then StopTask's answers.
fn print_tables(samples: &Samples) {
    let (Some(berth_kind), Some(api), Some(cli)) = (
        Kind::of(&samples.berth),
        Kind::of(&samples.api),
        Kind::of(&samples.cli),
    ) else {
        panic!("no runs were measured");
    };
    let fakecloud_kind = Kind::of(&samples.fakecloud);
    let pulling_kind = Kind::of(&samples.berth_pulling);
    println!(
        "\n| Start of `sleep 300` (busybox, cached) | runs | total p50 | total p99 | in Docker p50 | outside Docker p50 | outside Docker p99 |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let mut kinds = vec![
        ("Berth RunTask → DescribeTasks RUNNING", &berth_kind),
        ("Docker Engine API create + start", &api),
        ("`docker run -d` (CLI)", &cli),
    ];
    if let Some(fakecloud) = &fakecloud_kind {
        kinds.push(("fakecloud RunTask → DescribeTasks RUNNING", fakecloud));
    }
    if let Some(pulling) = &pulling_kind {
        kinds.push((
            "Berth RunTask, pulling from its own registry → DescribeTasks RUNNING",
            pulling,
        ));
    }
    for (case, kind) in kinds {
        println!(
            "| {case} | {} | {} | {} | {} | {} | {} |",
            kind.total.count,
            millis(kind.total.p50),
            millis(kind.total.p99),
            millis(kind.in_docker.p50),
            millis(kind.outside_docker.p50),
            millis(kind.outside_docker.p99),
        );
    }
    let mut overheads = vec![
        ("Berth", &berth_kind, "Docker API", &api),
        ("Berth", &berth_kind, "`docker run -d`", &cli),
    ];
    if let Some(fakecloud) = &fakecloud_kind {
        overheads.push(("fakecloud", fakecloud, "Docker API", &api));
        overheads.push(("Berth", &berth_kind, "fakecloud", fakecloud));
    }
    if let Some(pulling) = &pulling_kind {
        overheads.push(("Berth, pulling,", pulling, "Docker API", &api));
        if let Some(fakecloud) = &fakecloud_kind {
            overheads.push(("Berth, pulling,", pulling, "fakecloud", fakecloud));
        }
    }
    for (server, kind, baseline, base) in overheads {
        println!(
            "| {server} over {baseline} | | {} | {} | | {} | {} |",
            signed_millis(kind.total.p50, base.total.p50),
            signed_millis(kind.total.p99, base.total.p99),
            signed_millis(kind.outside_docker.p50, base.outside_docker.p50),
            signed_millis(kind.outside_docker.p99, base.outside_docker.p99),
        );
    }
    println!(
        "\n| ECS server | runs | StopTask of a running `sleep 300` (stopTimeout 1) answered, p50 | p99 | containers' memory limits (the definition asks for 32 MiB) |"
    );
    println!("|---|---:|---:|---:|---|");
    for (server, samples) in [
        ("Berth", &samples.berth),
        ("fakecloud", &samples.fakecloud),
        ("Berth, pulling", &samples.berth_pulling),
    ] {
        let mut answered: Vec<Duration> = samples.iter().filter_map(|s| s.stop_answered).collect();
        let mut limits: Vec<String> = samples
            .iter()
            .filter_map(|s| s.memory_limit)
            .map(|bytes| match bytes {
                0 => "none".to_owned(),
                bytes => format!("{} MiB", bytes / (1024 * 1024)),
            })
            .collect();
        limits.sort();
        limits.dedup();
        if let Some(answered) = Summary::of(&mut answered) {
            println!(
                "| {server} | {} | {} | {} | {} |",
                answered.count,
                millis(answered.p50),
                millis(answered.p99),
                limits.join(", "),
            );
        }
    }
}

/// `a - b` in milliseconds with a sign.
fn signed_millis(a: Duration, b: Duration) -> String {
    format!("{:+.3} ms", (a.as_secs_f64() - b.as_secs_f64()) * 1e3)
}
