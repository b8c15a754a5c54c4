//! The task runner on the real Docker Engine: exits and stop codes, dynamic
//! ports, health checks, dependsOn order, stop timeouts, cgroup limits and
//! re-adoption. Every resource carries a per-test `berth.test` label.

mod support;

use std::time::{Duration, Instant};

use berth_agent::{
    ContainerStatus, Dependency, DependencyCondition, HealthCheck, HealthStatus, LinuxParameters,
    PortMapping, Protocol, PullBehavior, StopCode, TaskState, TaskStatus, adopt_containers,
};
use support::{TEST_LABEL, TestEnv, collect_until};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

const LONG: Duration = Duration::from_secs(60);

fn stopped(task: &TaskState) -> bool {
    task.last_status == TaskStatus::Stopped
}

fn running(task: &TaskState) -> bool {
    task.last_status == TaskStatus::Running
}

fn check_health(seconds_interval: u64, command: &[&str]) -> HealthCheck {
    HealthCheck {
        command: command.iter().map(|s| s.to_string()).collect(),
        interval: Duration::from_secs(seconds_interval),
        timeout: Duration::from_secs(2),
        retries: 1,
        start_period: None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn container_exiting_three_stops_task_as_essential_exit() {
    let env = TestEnv::new().await;
    let spec = env.task(
        "exit3",
        vec![env.container("app", &["sh", "-c", "echo hello; exit 3"])],
    );
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handle = env.runner.spawn(spec.clone(), tx).expect("spawn");
    let events = collect_until(&mut rx, LONG, stopped).await;
    let task = &events.last().expect("events").task;
    let app = task.container("app").expect("app");
    assert_eq!(app.exit_code, Some(3));
    assert_eq!(app.last_status, ContainerStatus::Stopped);
    assert!(app.runtime_id.is_some());
    assert!(app.started_at.is_some() && app.finished_at.is_some());
    assert_eq!(task.stop_code, Some(StopCode::EssentialContainerExited));
    assert_eq!(
        task.stopped_reason.as_deref(),
        Some("Essential container in task exited")
    );
    assert!(task.stopping_at.is_some() && task.execution_stopped_at.is_some());
    assert_eq!(
        events.first().map(|e| e.task.last_status),
        Some(TaskStatus::Pending)
    );
    let versions: Vec<u64> = events.iter().map(|e| e.version).collect();
    assert_eq!(versions, (1..=events.len() as u64).collect::<Vec<_>>());
    let statuses: Vec<TaskStatus> = events.iter().map(|e| e.task.last_status).collect();
    assert!(
        statuses.windows(2).all(|w| w[0] <= w[1]),
        "status went backwards: {statuses:?}"
    );
    let final_state = handle.wait().await.expect("runner result");
    assert_eq!(&final_state, task);
    env.runner
        .remove_task(&spec, &final_state)
        .await
        .expect("remove");
}

#[tokio::test(flavor = "multi_thread")]
async fn httpd_is_reachable_on_dynamic_host_port() {
    let env = TestEnv::new().await;
    let mut web = env.container("web", &["httpd", "-f", "-p", "8080", "-h", "/www"]);
    web.port_mappings = vec![PortMapping {
        container_port: 8080,
        host_port: 0,
        protocol: Protocol::Tcp,
    }];
    // docker-init forwards SIGTERM to httpd, which as PID 1 would ignore it.
    web.linux_parameters = LinuxParameters {
        init_process_enabled: true,
        ..Default::default()
    };
    web.stop_timeout = Some(Duration::from_secs(20));
    let spec = env.task("web", vec![web]);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handle = env.runner.spawn(spec, tx).expect("spawn");
    let events = collect_until(&mut rx, LONG, running).await;
    let task = &events.last().expect("events").task;
    let bindings = &task.container("web").expect("web").network_bindings;
    let binding = bindings
        .iter()
        .find(|b| b.bind_ip == "0.0.0.0")
        .unwrap_or_else(|| panic!("no IPv4 binding in {bindings:?}"));
    assert_eq!(
        (binding.container_port, binding.protocol),
        (8080, Protocol::Tcp)
    );
    assert_ne!(binding.host_port, 0);

    let deadline = Instant::now() + Duration::from_secs(10);
    let body = loop {
        match fetch(binding.host_port).await {
            Ok(body) if body.contains("berth-ok") => break body,
            other if Instant::now() > deadline => panic!("httpd not reachable: {other:?}"),
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };
    assert!(body.starts_with("HTTP/1."), "{body}");

    let asked = Instant::now();
    assert!(handle.stop(StopCode::UserInitiated, "Task stopped by user"));
    let events = collect_until(&mut rx, LONG, stopped).await;
    let task = &events.last().expect("events").task;
    assert_eq!(task.stop_code, Some(StopCode::UserInitiated));
    assert_eq!(task.stopped_reason.as_deref(), Some("Task stopped by user"));
    assert!(
        asked.elapsed() < Duration::from_secs(10),
        "httpd took {:?} to stop",
        asked.elapsed()
    );
    assert_eq!(task.container("web").and_then(|c| c.exit_code), Some(143));
}

async fn fetch(port: u16) -> std::io::Result<String> {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    stream
        .write_all(b"GET /index.html HTTP/1.0\r\nHost: x\r\n\r\n")
        .await?;
    let mut body = String::new();
    stream.read_to_string(&mut body).await?;
    Ok(body)
}

#[tokio::test(flavor = "multi_thread")]
async fn failing_health_check_reports_unhealthy() {
    let env = TestEnv::new().await;
    let mut app = env.container("app", &["sleep", "300"]);
    app.health_check = Some(check_health(1, &["CMD-SHELL", "exit 1"]));
    app.stop_timeout = Some(Duration::from_secs(1));
    let spec = env.task("sick", vec![app]);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handle = env.runner.spawn(spec, tx).expect("spawn");
    let events = collect_until(&mut rx, LONG, |t| {
        t.health_status == HealthStatus::Unhealthy
    })
    .await;
    let task = &events.last().expect("events").task;
    assert_eq!(
        task.container("app").map(|c| c.health_status),
        Some(HealthStatus::Unhealthy)
    );
    assert_eq!(task.last_status, TaskStatus::Running);
    handle.stop(StopCode::UserInitiated, "done");
    collect_until(&mut rx, LONG, stopped).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn depends_on_orders_starts() {
    let env = TestEnv::new().await;
    let mut init = env.container("init", &["sh", "-c", "sleep 1; exit 0"]);
    init.essential = false;
    let mut db = env.container("db", &["sleep", "300"]);
    db.health_check = Some(check_health(1, &["CMD", "true"]));
    db.stop_timeout = Some(Duration::from_secs(1));
    let mut app = env.container("app", &["sleep", "300"]);
    app.depends_on = vec![
        Dependency {
            container_name: "init".into(),
            condition: DependencyCondition::Success,
        },
        Dependency {
            container_name: "db".into(),
            condition: DependencyCondition::Healthy,
        },
    ];
    app.stop_timeout = Some(Duration::from_secs(1));
    let mut side = env.container("side", &["sleep", "300"]);
    side.essential = false;
    side.depends_on = vec![Dependency {
        container_name: "app".into(),
        condition: DependencyCondition::Start,
    }];
    side.stop_timeout = Some(Duration::from_secs(1));
    let spec = env.task("order", vec![init, db, app, side]);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handle = env.runner.spawn(spec, tx).expect("spawn");
    let events = collect_until(&mut rx, LONG, running).await;
    for event in &events {
        let task = &event.task;
        let get = |name: &str| task.container(name).expect("container");
        if get("app").runtime_id.is_some() {
            assert_eq!(
                get("init").exit_code,
                Some(0),
                "app created before init succeeded"
            );
            assert_eq!(
                get("db").health_status,
                HealthStatus::Healthy,
                "app created before db was healthy"
            );
        }
        if get("side").runtime_id.is_some() {
            assert!(
                get("app").started_at.is_some(),
                "side created before app started"
            );
        }
    }
    let task = &events.last().expect("events").task;
    let started = |name: &str| {
        task.container(name)
            .and_then(|c| c.started_at)
            .expect("started")
    };
    assert!(
        started("app")
            >= task
                .container("init")
                .and_then(|c| c.finished_at)
                .expect("init finished")
    );
    assert!(started("side") >= started("app"));
    assert_eq!(
        task.health_status,
        HealthStatus::Unknown,
        "app (essential) has no health check"
    );

    handle.stop(StopCode::UserInitiated, "done");
    let events = collect_until(&mut rx, LONG, stopped).await;
    let task = &events.last().expect("events").task;
    // Shutdown runs in reverse dependency order: side, then app, then db.
    let finished = |name: &str| {
        task.container(name)
            .and_then(|c| c.finished_at)
            .expect("finished")
    };
    assert!(finished("side") <= finished("app") && finished("app") <= finished("db"));
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_success_dependency_and_failed_pull_stop_the_task() {
    let env = TestEnv::new().await;
    let mut init = env.container("init", &["false"]);
    init.essential = false;
    let mut app = env.container("app", &["sleep", "300"]);
    app.depends_on = vec![Dependency {
        container_name: "init".into(),
        condition: DependencyCondition::Success,
    }];
    let (tx, mut rx) = mpsc::unbounded_channel();
    env.runner
        .spawn(env.task("dep", vec![init, app]), tx)
        .expect("spawn");
    let task = collect_until(&mut rx, LONG, stopped)
        .await
        .pop()
        .expect("event")
        .task;
    let app = task.container("app").expect("app");
    assert!(app.runtime_id.is_none(), "app must never be created");
    assert!(
        app.reason
            .as_deref()
            .is_some_and(|r| r.starts_with("DependencyError:")),
        "{app:?}"
    );
    assert_eq!(task.stop_code, Some(StopCode::EssentialContainerExited));

    // Nothing listens on this port, so the pull fails at once.
    let free_port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let mut missing = env.container("app", &["true"]);
    missing.image = format!("127.0.0.1:{free_port}/berth-missing:{}", env.id);
    missing.pull_behavior = PullBehavior::Always;
    let (tx, mut rx) = mpsc::unbounded_channel();
    env.runner
        .spawn(env.task("nopull", vec![missing]), tx)
        .expect("spawn");
    let task = collect_until(&mut rx, LONG, stopped)
        .await
        .pop()
        .expect("event")
        .task;
    assert_eq!(task.stop_code, Some(StopCode::TaskFailedToStart));
    let reason = task.stopped_reason.clone().unwrap_or_default();
    assert!(reason.starts_with("CannotPullContainerError: "), "{reason}");
    assert!(task.pull_started_at.is_some() && task.pull_stopped_at.is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn stop_kills_a_container_ignoring_sigterm_after_stop_timeout() {
    let env = TestEnv::new().await;
    // The health check turns healthy only once the trap is in place, so the
    // stop cannot race the shell's start-up.
    let mut stubborn = env.container(
        "stubborn",
        &[
            "sh",
            "-c",
            "trap '' TERM; touch /tmp/ready; while true; do sleep 1; done",
        ],
    );
    stubborn.linux_parameters.init_process_enabled = true;
    stubborn.stop_timeout = Some(Duration::from_secs(3));
    stubborn.health_check = Some(check_health(1, &["CMD-SHELL", "test -f /tmp/ready"]));
    let spec = env.task("stubborn", vec![stubborn]);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handle = env.runner.spawn(spec, tx).expect("spawn");
    collect_until(&mut rx, LONG, |t| t.health_status == HealthStatus::Healthy).await;
    let asked = Instant::now();
    handle.stop(StopCode::UserInitiated, "Task stopped by user");
    let task = collect_until(&mut rx, LONG, stopped)
        .await
        .pop()
        .expect("event")
        .task;
    let took = asked.elapsed();
    assert!(
        took >= Duration::from_secs(3),
        "stopped after {took:?}, before the timeout"
    );
    assert!(took < Duration::from_secs(15), "stop took {took:?}");
    assert_eq!(
        task.container("stubborn").and_then(|c| c.exit_code),
        Some(137)
    );
    eprintln!("stop with stopTimeout 3s took {took:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn cgroup_limits_are_set() {
    let env = TestEnv::new().await;
    // cgroup v1: the container sees its own memory and cpu controllers.
    let mut limited = env.container(
        "limited",
        &[
            "sh",
            "-c",
            "test \"$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)\" = 67108864 \
             && test \"$(cat /sys/fs/cgroup/memory/memory.soft_limit_in_bytes)\" = 33554432 \
             && test \"$(cat /sys/fs/cgroup/cpu/cpu.shares)\" = 256",
        ],
    );
    limited.cpu = Some(256);
    limited.memory_mib = Some(64);
    limited.memory_reservation_mib = Some(32);
    let spec = env.task("limits", vec![limited]);
    let (tx, mut rx) = mpsc::unbounded_channel();
    env.runner.spawn(spec, tx).expect("spawn");
    let task = collect_until(&mut rx, LONG, stopped)
        .await
        .pop()
        .expect("event")
        .task;
    let container = task.container("limited").expect("limited");
    assert_eq!(
        container.exit_code,
        Some(0),
        "limits not visible inside the container"
    );
    let id = container.runtime_id.clone().expect("id");
    let inspect = env
        .runner
        .driver()
        .client()
        .inspect_container(&id, None)
        .await
        .expect("inspect");
    let host = inspect.host_config.expect("host config");
    assert_eq!(host.cpu_shares, Some(256));
    assert_eq!(host.memory, Some(64 * 1024 * 1024));
    assert_eq!(host.memory_reservation, Some(32 * 1024 * 1024));
    let labels = inspect.config.and_then(|c| c.labels).expect("labels");
    assert_eq!(
        labels.get("com.amazonaws.ecs.task-arn"),
        Some(&task.task_arn)
    );
    assert_eq!(
        labels
            .get("com.amazonaws.ecs.container-name")
            .map(String::as_str),
        Some("limited")
    );
    assert_eq!(
        labels
            .get("com.amazonaws.ecs.task-definition-family")
            .map(String::as_str),
        Some("limits")
    );
    assert_eq!(
        labels
            .get("com.amazonaws.ecs.task-definition-version")
            .map(String::as_str),
        Some("1")
    );
    assert_eq!(labels.get("com.amazonaws.ecs.cluster"), Some(&env.id));
}

#[tokio::test(flavor = "multi_thread")]
async fn readoption_finds_a_running_task() {
    let env = TestEnv::new().await;
    let mut app = env.container("app", &["sleep", "300"]);
    app.stop_timeout = Some(Duration::from_secs(1));
    let mut job = env.container("job", &["sh", "-c", "exit 5"]);
    job.essential = false;
    let spec = env.task("adopt", vec![app, job]);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handle = env.runner.spawn(spec.clone(), tx).expect("spawn");
    collect_until(&mut rx, LONG, |t| {
        t.container("job").and_then(|c| c.exit_code).is_some()
            && t.last_status == TaskStatus::Running
    })
    .await;
    // The agent goes away; its containers keep running.
    handle.detach();

    let found = env
        .runner
        .driver()
        .list_by_label(TEST_LABEL, &env.id)
        .await
        .expect("list");
    let adopted = adopt_containers(&found);
    let task = adopted
        .iter()
        .find(|t| t.task_arn == spec.task_arn)
        .expect("task re-adopted");
    assert_eq!((task.family.as_str(), task.revision), ("adopt", Some(1)));
    assert_eq!(task.last_status, TaskStatus::Running);
    let app = task
        .containers
        .iter()
        .find(|c| c.name == "app")
        .expect("app");
    assert_eq!(app.last_status, ContainerStatus::Running);
    let job = task
        .containers
        .iter()
        .find(|c| c.name == "job")
        .expect("job");
    assert_eq!(
        (job.last_status, job.exit_code),
        (ContainerStatus::Stopped, Some(5))
    );

    // A new runner takes over supervision and can stop the task.
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handle = env
        .runner
        .spawn_adopted(spec, task, tx)
        .expect("spawn adopted");
    let first = collect_until(&mut rx, LONG, |_| true)
        .await
        .pop()
        .expect("event")
        .task;
    assert_eq!(first.last_status, TaskStatus::Running);
    handle.stop(StopCode::UserInitiated, "Task stopped by user");
    let task = collect_until(&mut rx, LONG, stopped)
        .await
        .pop()
        .expect("event")
        .task;
    assert_eq!(task.container("job").and_then(|c| c.exit_code), Some(5));
    assert_eq!(
        task.container("app").map(|c| c.last_status),
        Some(ContainerStatus::Stopped)
    );
}
