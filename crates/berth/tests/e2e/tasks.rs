//! Tasks through the AWS CLI with scripted agents speaking the real agent
//! protocol: placement, states, waiters, stop, failures, idempotency.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Berth, http_request, remaining_memory};
use crate::docker_support::wait_for;
use crate::fake_agent::FakeAgent;

fn setup(berth: &Berth, cluster: &str, memory: u32) {
    berth.aws_ok(&["ecs", "create-cluster", "--cluster-name", cluster]);
    let definition = json!({
        "family": "app",
        "containerDefinitions": [{"name": "main", "image": "busybox", "memory": memory, "command": ["true"]}],
        "tags": [{"key": "owner", "value": "tests"}],
    });
    berth.aws_ok(&[
        "ecs",
        "register-task-definition",
        "--cli-input-json",
        &definition.to_string(),
    ]);
}

/// What DescribeContainerInstances says instance `arn` has left of its
/// memory, and its version.
fn memory_left(berth: &Berth, cluster: &str, arn: &str) -> (i64, i64) {
    let described = berth.aws_ok(&[
        "ecs",
        "describe-container-instances",
        "--cluster",
        cluster,
        "--container-instances",
        arn,
    ]);
    let instance = &described["containerInstances"][0];
    (
        remaining_memory(instance),
        instance["version"].as_i64().expect("version"),
    )
}

fn task_arns(answer: &Value) -> Vec<String> {
    answer["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .map(|t| t["taskArn"].as_str().expect("arn").to_owned())
        .collect()
}

#[test]
fn a_task_runs_and_stops_through_its_agent() {
    let berth = Berth::start();
    setup(&berth, "life", 128);
    let mut agent = FakeAgent::register(
        &berth,
        "life",
        "i-0000000000000001",
        2048,
        1024,
        "zone-a",
        &[],
    );
    let (memory, registered_version) = memory_left(&berth, "life", &agent.instance_arn);
    assert_eq!(memory, 1024);
    let run = berth.aws_ok(&[
        "ecs",
        "run-task",
        "--cluster",
        "life",
        "--task-definition",
        "app",
        "--started-by",
        "tester",
        "--propagate-tags",
        "TASK_DEFINITION",
    ]);
    assert_eq!(run["failures"], json!([]));
    // The placement took the task's memory, and counts as a change.
    let (memory, placed_version) = memory_left(&berth, "life", &agent.instance_arn);
    assert_eq!(memory, 1024 - 128);
    assert!(placed_version > registered_version);
    let task = &run["tasks"][0];
    let arn = task["taskArn"].as_str().expect("arn").to_owned();
    assert!(
        arn.starts_with("arn:aws:ecs:us-east-1:000000000000:task/life/"),
        "{arn}"
    );
    assert_eq!(task["lastStatus"], "PENDING");
    assert_eq!(task["desiredStatus"], "RUNNING");
    assert_eq!(task["containerInstanceArn"], agent.instance_arn.as_str());
    assert_eq!(
        task["taskDefinitionArn"],
        "arn:aws:ecs:us-east-1:000000000000:task-definition/app:1"
    );
    assert_eq!(task["group"], "family:app");

    let assignments = agent.poll();
    assert_eq!(assignments.len(), 1);
    assert_eq!(assignments[0]["task_arn"], arn.as_str());
    agent.report(&assignments[0], "running", "running", None);
    berth.aws_ok(&[
        "ecs",
        "wait",
        "tasks-running",
        "--cluster",
        "life",
        "--tasks",
        &arn,
    ]);
    let described = berth.aws_ok(&[
        "ecs",
        "describe-tasks",
        "--cluster",
        "life",
        "--tasks",
        &arn,
        "--include",
        "TAGS",
    ]);
    let task = &described["tasks"][0];
    assert_eq!(task["lastStatus"], "RUNNING");
    assert_eq!(task["containers"][0]["lastStatus"], "RUNNING");
    assert_eq!(task["containers"][0]["runtimeId"], "fake");
    assert_eq!(task["tags"], json!([{"key": "owner", "value": "tests"}]));
    assert_eq!(task["startedBy"], "tester");
    let listed = berth.aws_ok(&["ecs", "list-tasks", "--cluster", "life"]);
    assert_eq!(listed["taskArns"], json!([arn]));
    let listed = berth.aws_ok(&[
        "ecs",
        "list-tasks",
        "--cluster",
        "life",
        "--started-by",
        "someone-else",
    ]);
    assert_eq!(listed["taskArns"], json!([]));

    let stopped = berth.aws_ok(&["ecs", "stop-task", "--cluster", "life", "--task", &arn]);
    assert_eq!(stopped["task"]["desiredStatus"], "STOPPED");
    let assignments = agent.poll();
    assert_eq!(assignments[0]["desired_status"], "stopped");
    agent.report(&assignments[0], "stopped", "stopped", Some(0));
    berth.aws_ok(&[
        "ecs",
        "wait",
        "tasks-stopped",
        "--cluster",
        "life",
        "--tasks",
        &arn,
    ]);
    let described = berth.aws_ok(&[
        "ecs",
        "describe-tasks",
        "--cluster",
        "life",
        "--tasks",
        &arn,
    ]);
    let task = &described["tasks"][0];
    assert_eq!(task["lastStatus"], "STOPPED");
    assert_eq!(task["stopCode"], "UserInitiated");
    assert_eq!(task["stoppedReason"], "Task stopped by user");
    assert_eq!(task["containers"][0]["exitCode"], 0);
    // The CLI prints timestamps as ISO-8601 text.
    assert!(task["stoppedAt"].is_string(), "{task}");
    assert!(
        agent.poll().is_empty(),
        "a stopped task leaves its agent's set"
    );
    let (memory, released_version) = memory_left(&berth, "life", &agent.instance_arn);
    assert_eq!(memory, 1024, "the stopped task's memory is back");
    assert!(released_version > placed_version);
    let listed = berth.aws_ok(&[
        "ecs",
        "list-tasks",
        "--cluster",
        "life",
        "--desired-status",
        "STOPPED",
    ]);
    assert_eq!(listed["taskArns"], json!([arn]));
    // Its memory came back: a task as large as the instance fits again.
    let run = berth.aws_ok(&[
        "ecs",
        "run-task",
        "--cluster",
        "life",
        "--task-definition",
        "app",
        "--count",
        "8",
    ]);
    assert_eq!(run["tasks"].as_array().map(Vec::len), Some(8), "{run}");
}

#[test]
fn a_full_fleet_reports_resource_memory() {
    let berth = Berth::start();
    setup(&berth, "full", 300);
    FakeAgent::register(
        &berth,
        "full",
        "i-0000000000000002",
        1024,
        512,
        "zone-a",
        &[],
    );
    let first = berth.aws_ok(&[
        "ecs",
        "run-task",
        "--cluster",
        "full",
        "--task-definition",
        "app",
    ]);
    assert_eq!(first["tasks"].as_array().map(Vec::len), Some(1));
    let second = berth.aws_ok(&[
        "ecs",
        "run-task",
        "--cluster",
        "full",
        "--task-definition",
        "app",
    ]);
    assert_eq!(second["tasks"], json!([]));
    assert_eq!(
        second["failures"][0]["reason"], "RESOURCE:MEMORY",
        "{second}"
    );
    let empty = berth.aws_ok(&["ecs", "create-cluster", "--cluster-name", "empty"]);
    assert_eq!(empty["cluster"]["status"], "ACTIVE");
    let failure = berth
        .aws(&[
            "ecs",
            "run-task",
            "--cluster",
            "empty",
            "--task-definition",
            "app",
        ])
        .expect_err("no instances");
    assert!(
        failure.has_code("InvalidParameterException"),
        "{}",
        failure.stderr
    );
}

#[test]
fn spread_by_zone_and_member_of_a_custom_attribute() {
    let berth = Berth::start();
    setup(&berth, "fleet", 64);
    let zones = ["zone-a", "zone-b", "zone-c"];
    let agents: Vec<FakeAgent> = zones
        .iter()
        .enumerate()
        .map(|(idx, zone)| {
            let stack = if idx == 2 { "prod" } else { "dev" };
            FakeAgent::register(
                &berth,
                "fleet",
                &format!("i-00000000000000a{idx}"),
                4096,
                4096,
                zone,
                &[("stack", stack)],
            )
        })
        .collect();
    let run = berth.aws_ok(&[
        "ecs",
        "run-task",
        "--cluster",
        "fleet",
        "--task-definition",
        "app",
        "--count",
        "9",
        "--placement-strategy",
        "type=spread,field=attribute:ecs.availability-zone",
    ]);
    let mut per_instance = std::collections::BTreeMap::new();
    for task in run["tasks"].as_array().expect("tasks") {
        *per_instance
            .entry(
                task["containerInstanceArn"]
                    .as_str()
                    .expect("arn")
                    .to_owned(),
            )
            .or_insert(0) += 1;
    }
    assert_eq!(
        per_instance.values().copied().collect::<Vec<_>>(),
        vec![3, 3, 3],
        "{per_instance:?}"
    );
    let run = berth.aws_ok(&[
        "ecs",
        "run-task",
        "--cluster",
        "fleet",
        "--task-definition",
        "app",
        "--count",
        "4",
        "--placement-constraints",
        "type=memberOf,expression=attribute:stack == prod",
    ]);
    for task in run["tasks"].as_array().expect("tasks") {
        assert_eq!(
            task["containerInstanceArn"],
            agents[2].instance_arn.as_str()
        );
    }
    let failure = berth
        .aws(&[
            "ecs",
            "run-task",
            "--cluster",
            "fleet",
            "--task-definition",
            "app",
            "--placement-constraints",
            "type=memberOf,expression=attribute:stack ==",
        ])
        .expect_err("bad expression");
    assert!(
        failure.has_code("InvalidParameterException"),
        "{}",
        failure.stderr
    );
    let run = berth.aws_ok(&[
        "ecs",
        "run-task",
        "--cluster",
        "fleet",
        "--task-definition",
        "app",
        "--placement-constraints",
        "type=memberOf,expression=attribute:stack == staging",
    ]);
    assert_eq!(run["failures"][0]["reason"], "ATTRIBUTE", "{run}");
}

#[test]
fn client_tokens_make_run_task_idempotent() {
    let berth = Berth::start();
    setup(&berth, "idem", 64);
    FakeAgent::register(
        &berth,
        "idem",
        "i-0000000000000003",
        1024,
        1024,
        "zone-a",
        &[],
    );
    // Debian's CLI predates clientToken, so these calls are raw requests.
    let run = |body: Value| {
        berth.post_json(
            Some("AmazonEC2ContainerServiceV20141113.RunTask"),
            body.to_string().as_bytes(),
        )
    };
    let request =
        json!({"cluster": "idem", "taskDefinition": "app", "count": 2, "clientToken": "token-1"});
    let (status, first) = run(request.clone());
    assert_eq!(status, 200, "{first}");
    let (_, again) = run(request);
    assert_eq!(task_arns(&first).len(), 2);
    assert_eq!(task_arns(&first), task_arns(&again));
    let listed = berth.aws_ok(&["ecs", "list-tasks", "--cluster", "idem"]);
    assert_eq!(listed["taskArns"].as_array().map(Vec::len), Some(2));
    let (status, conflict) = run(
        json!({"cluster": "idem", "taskDefinition": "app", "count": 1, "clientToken": "token-1"}),
    );
    assert_eq!(
        (status, conflict["__type"].as_str()),
        (400, Some("ConflictException")),
        "{conflict}"
    );
    assert_eq!(
        conflict["resourceIds"],
        json!(task_arns(&first)),
        "{conflict}"
    );
}

#[test]
fn bad_task_requests_get_aws_errors() {
    let berth = Berth::start();
    setup(&berth, "bad", 64);
    let check = |args: &[&str], code: &str| {
        let failure = berth.aws(args).expect_err("must fail");
        assert!(failure.has_code(code), "{args:?}: {}", failure.stderr);
    };
    check(
        &[
            "ecs",
            "run-task",
            "--cluster",
            "ghost",
            "--task-definition",
            "app",
        ],
        "ClusterNotFoundException",
    );
    check(
        &[
            "ecs",
            "run-task",
            "--cluster",
            "bad",
            "--task-definition",
            "ghost",
        ],
        "ClientException",
    );
    check(
        &[
            "ecs",
            "run-task",
            "--cluster",
            "bad",
            "--task-definition",
            "app",
            "--count",
            "11",
        ],
        "InvalidParameterException",
    );
    check(
        &[
            "ecs",
            "stop-task",
            "--cluster",
            "bad",
            "--task",
            "0123456789abcdef0123456789abcdef",
        ],
        "InvalidParameterException",
    );
    check(
        &[
            "ecs",
            "list-tasks",
            "--cluster",
            "bad",
            "--desired-status",
            "SLEEPING",
        ],
        "InvalidParameterException",
    );
    let described = berth.aws_ok(&[
        "ecs",
        "describe-tasks",
        "--cluster",
        "bad",
        "--tasks",
        "0123456789abcdef0123456789abcdef",
    ]);
    assert_eq!(described["failures"][0]["reason"], "MISSING");
}

#[test]
fn a_lost_instance_stops_its_tasks() {
    // Timeouts long enough for a slow CLI call between the agent's
    // registration and RunTask, short enough for a quick test.
    let berth = Berth::start_with(&[
        "--agent-disconnect-after",
        "5",
        "--instance-lost-after",
        "8",
    ]);
    setup(&berth, "lost", 64);
    let mut agent = FakeAgent::register(
        &berth,
        "lost",
        "i-0000000000000004",
        1024,
        1024,
        "zone-a",
        &[],
    );
    let run = berth.aws_ok(&[
        "ecs",
        "run-task",
        "--cluster",
        "lost",
        "--task-definition",
        "app",
    ]);
    let arn = task_arns(&run).remove(0);
    let assignments = agent.poll();
    agent.report(&assignments[0], "running", "running", None);
    // The agent goes silent: after the lost timeout its task is STOPPED.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let described = berth.aws_ok(&[
            "ecs",
            "describe-tasks",
            "--cluster",
            "lost",
            "--tasks",
            &arn,
        ]);
        let task = &described["tasks"][0];
        if task["lastStatus"] == "STOPPED" {
            let reason = task["stoppedReason"].as_str().unwrap_or_default();
            assert!(reason.contains("was lost"), "{reason}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "task never stopped: {task}"
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    // The agent comes back: it is not handed the stopped task again.
    assert!(agent.poll().is_empty());
}

/// Task ids a poll answer names in one of its lists.
fn named(answer: &Value, list: &str, id_member: Option<&str>) -> Vec<String> {
    let mut ids: Vec<String> = answer[list]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| match id_member {
                    Some(member) => item[member].as_str().expect("id").to_owned(),
                    None => item.as_str().expect("id").to_owned(),
                })
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

fn task_id(arn: &str) -> String {
    arn.rsplit('/').next().expect("id").to_owned()
}

#[test]
fn polls_from_a_held_revision_are_answered_with_only_what_changed() {
    let berth = Berth::start();
    setup(&berth, "deltas", 64);
    let mut agent = FakeAgent::register(&berth, "deltas", "i-delta", 2048, 1024, "zone-a", &[]);
    let run = |count: &str| {
        task_arns(&berth.aws_ok(&[
            "ecs",
            "run-task",
            "--cluster",
            "deltas",
            "--task-definition",
            "app",
            "--count",
            count,
        ]))
    };
    let first = run("2");
    let whole = agent.poll_answer();
    assert_eq!(whole["changes_only"], Value::Null, "{whole}");
    assert_eq!(named(&whole, "tasks", Some("task_id")).len(), 2);
    let held = whole["revision"].as_u64().expect("revision");

    // Nothing happened since: said in one word.
    let quiet = agent.poll_changes(held, 0);
    assert_eq!(quiet["unchanged"], true, "{quiet}");

    // One more task, and one of the first is stopped: the answer names just
    // those two, the new one in full and the stopping one in brief. The
    // hub may see the two commits one at a time, so poll until both came.
    let added = task_id(&run("1")[0]);
    let stopping = task_id(&first[0]);
    berth.aws_ok(&[
        "ecs",
        "stop-task",
        "--cluster",
        "deltas",
        "--task",
        &first[0],
    ]);
    let (mut full, mut brief, mut revision) = (Vec::new(), Vec::new(), held);
    while full.is_empty() || brief.is_empty() {
        let answer = agent.poll_changes(revision, 5_000);
        assert_eq!(answer["changes_only"], true, "{answer}");
        assert_eq!(named(&answer, "running_known", None), Vec::<String>::new());
        full.extend(named(&answer, "tasks", Some("task_id")));
        brief.extend(named(&answer, "stopping_known", Some("task_id")));
        revision = answer["revision"].as_u64().expect("revision");
    }
    assert_eq!((full, brief), (vec![added.clone()], vec![stopping.clone()]));

    // Once its STOPPED state is recorded, the task is removed.
    let assignment = whole["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .find(|task| task["task_id"] == stopping.as_str())
        .expect("the stopping task")
        .clone();
    agent.report(&assignment, "stopped", "stopped", Some(0));
    let gone = agent.poll_changes(revision, 5_000);
    assert_eq!(gone["changes_only"], true, "{gone}");
    assert_eq!(named(&gone, "removed", None), vec![stopping]);

    // From a revision the change log no longer reaches back to (the agent
    // has polled past it), the whole set comes back, tasks assigned since
    // in full.
    let stale = agent.poll_changes(1, 0);
    assert_eq!(stale["changes_only"], Value::Null, "{stale}");
    let mut expected = vec![task_id(&first[1]), added];
    expected.sort();
    assert_eq!(named(&stale, "tasks", Some("task_id")), expected);
}

#[test]
fn agents_that_take_the_shared_form_read_each_definition_once() {
    let berth = Berth::start();
    setup(&berth, "shared", 64);
    let agent = FakeAgent::register(&berth, "shared", "i-shared", 2048, 1024, "zone-a", &[]);
    berth.aws_ok(&[
        "ecs",
        "run-task",
        "--cluster",
        "shared",
        "--task-definition",
        "app",
        "--count",
        "3",
    ]);
    let shared = agent.poll_shared();
    let definitions = shared["definitions"].as_array().expect("definitions");
    assert_eq!(definitions.len(), 1, "{shared}");
    assert_eq!(definitions[0]["spec"]["family"], "app");
    assert!(shared["registry_auth"].is_object(), "{shared}");
    let tasks = shared["tasks"].as_array().expect("tasks");
    assert_eq!(tasks.len(), 3);
    for task in tasks {
        assert_eq!(task["definition_ref"], 0, "{task}");
        for left_out in ["definition", "overrides", "registry_auth"] {
            assert!(task.get(left_out).is_none(), "{left_out} in {task}");
        }
    }

    // An agent that does not ask gets every definition inline, as before.
    let inline = agent.poll_answer();
    assert!(inline.get("definitions").is_none(), "{inline}");
    for task in inline["tasks"].as_array().expect("tasks") {
        assert_eq!(task["definition"], definitions[0], "{task}");
        assert!(task.get("overrides").is_some() && task.get("registry_auth").is_some());
    }
}

#[test]
fn reports_ride_on_polls() {
    let berth = Berth::start();
    setup(&berth, "riders", 64);
    let mut agent = FakeAgent::register(&berth, "riders", "i-rider", 2048, 1024, "zone-a", &[]);
    let arns = task_arns(&berth.aws_ok(&[
        "ecs",
        "run-task",
        "--cluster",
        "riders",
        "--task-definition",
        "app",
        "--count",
        "2",
    ]));
    let whole = agent.poll_answer();
    let held = whole["revision"].as_u64().expect("revision");
    let assignments = whole["tasks"].as_array().expect("tasks").clone();
    let outcomes = |answer: &Value| -> Vec<(String, bool)> {
        let mut outcomes: Vec<(String, bool)> = answer["report_results"]
            .as_array()
            .expect("report results")
            .iter()
            .map(|result| {
                (
                    result["task_arn"].as_str().expect("arn").to_owned(),
                    result["outcome"]["taken"]["applied"] == true,
                )
            })
            .collect();
        outcomes.sort();
        outcomes
    };
    let mut sorted_arns = arns.clone();
    sorted_arns.sort();
    let last_statuses = |tasks: &[String]| -> Vec<String> {
        let mut args = vec!["ecs", "describe-tasks", "--cluster", "riders", "--tasks"];
        args.extend(tasks.iter().map(String::as_str));
        berth.aws_ok(&args)["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .map(|task| task["lastStatus"].as_str().expect("status").to_owned())
            .collect()
    };

    // Both RUNNING reports ride on a poll; they change no assignment, so
    // the answer says "unchanged" and what became of each report.
    let running: Vec<Value> = assignments
        .iter()
        .map(|task| agent.task_report(task, "running", "running", None))
        .collect();
    let answer = agent.poll_with_reports(held, 0, &running);
    assert_eq!(answer["unchanged"], true, "{answer}");
    assert_eq!(
        outcomes(&answer),
        sorted_arns
            .iter()
            .map(|arn| (arn.clone(), true))
            .collect::<Vec<_>>()
    );
    assert_eq!(last_statuses(&arns), ["RUNNING", "RUNNING"]);

    // A STOPPED report is itself the change the poll waited for: the task
    // is removed in the same answer.
    let stopped = agent.task_report(&assignments[0], "stopped", "stopped", Some(0));
    let answer = agent.poll_with_reports(held, 5_000, &[stopped]);
    assert_eq!(answer["changes_only"], true, "{answer}");
    let gone = assignments[0]["task_id"].as_str().expect("id").to_owned();
    assert_eq!(named(&answer, "removed", None), vec![gone]);
    let arn = assignments[0]["task_arn"].as_str().expect("arn").to_owned();
    assert_eq!(outcomes(&answer), vec![(arn, true)]);

    // More reports than a request may carry: refused whole, none applied.
    let report = agent.task_report(&assignments[1], "stopped", "stopped", Some(0));
    let too_many = vec![report; 101];
    let body = agent.poll_body(held, 0, &too_many).to_string();
    let headers = [("Content-Type", "application/json".to_owned())];
    let (status, refusal) = http_request(
        &berth.address,
        "POST",
        "/agent/v1/poll",
        &headers,
        body.as_bytes(),
    );
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&refusal));
    let refusal: Value = serde_json::from_slice(&refusal).expect("json");
    assert_eq!(refusal["code"], "bad_request", "{refusal}");
    let untouched = assignments[1]["task_arn"].as_str().expect("arn").to_owned();
    assert_eq!(last_statuses(&[untouched]), ["RUNNING"]);
}

/// RunTask reads its task definition through a cache of decoded revisions:
/// whatever it ran before, it follows every later change of the revision's
/// status, by family and by revision.
#[test]
fn run_task_follows_the_status_of_its_task_definition() {
    let berth = Berth::start();
    setup(&berth, "revs", 64);
    FakeAgent::register(
        &berth,
        "revs",
        "i-0000000000000005",
        1024,
        1024,
        "zone-a",
        &[],
    );
    let definition = json!({
        "family": "app",
        "containerDefinitions": [{"name": "main", "image": "busybox", "memory": 32}],
    });
    berth.aws_ok(&[
        "ecs",
        "register-task-definition",
        "--cli-input-json",
        &definition.to_string(),
    ]);
    let run_revision = |reference: &str| {
        let run = berth.aws_ok(&[
            "ecs",
            "run-task",
            "--cluster",
            "revs",
            "--task-definition",
            reference,
        ]);
        run["tasks"][0]["taskDefinitionArn"]
            .as_str()
            .expect("a task")
            .rsplit_once(':')
            .map(|(_, revision)| revision.to_owned())
            .expect("a revision")
    };
    assert_eq!(run_revision("app"), "2");
    assert_eq!(run_revision("app:2"), "2");
    assert_eq!(run_revision("app:1"), "1");
    berth.aws_ok(&[
        "ecs",
        "deregister-task-definition",
        "--task-definition",
        "app:2",
    ]);
    assert_eq!(run_revision("app"), "1", "the latest ACTIVE revision");
    let refused = berth
        .aws(&[
            "ecs",
            "run-task",
            "--cluster",
            "revs",
            "--task-definition",
            "app:2",
        ])
        .expect_err("an INACTIVE revision starts no task");
    assert!(refused.has_code("ClientException"), "{}", refused.stderr);
    assert!(refused.stderr.contains("inactive"), "{}", refused.stderr);
    // Debian's CLI lacks DeleteTaskDefinitions: a raw request.
    let (status, deleted) = berth.post_json(
        Some("AmazonEC2ContainerServiceV20141113.DeleteTaskDefinitions"),
        json!({"taskDefinitions": ["app:2"]}).to_string().as_bytes(),
    );
    assert_eq!(status, 200, "{deleted}");
    assert_eq!(deleted["failures"], json!([]), "{deleted}");
    let refused = berth
        .aws(&[
            "ecs",
            "run-task",
            "--cluster",
            "revs",
            "--task-definition",
            "app:2",
        ])
        .expect_err("a revision being deleted starts no task");
    assert!(refused.has_code("ClientException"), "{}", refused.stderr);
}

/// Filters on what runs where (`task:group`, `runningTasksCount`) read the
/// cluster's task counts, and follow tasks as they are placed and stopped.
#[test]
fn instance_filters_on_tasks_follow_placements_and_stops() {
    let berth = Berth::start();
    setup(&berth, "where", 64);
    let busy = FakeAgent::register(
        &berth,
        "where",
        "i-00000000000000b1",
        1024,
        1024,
        "zone-a",
        &[],
    );
    let idle = FakeAgent::register(
        &berth,
        "where",
        "i-00000000000000b2",
        1024,
        1024,
        "zone-b",
        &[],
    );
    let listed = |filter: &str| {
        let answer = berth.aws_ok(&[
            "ecs",
            "list-container-instances",
            "--cluster",
            "where",
            "--filter",
            filter,
        ]);
        let mut arns: Vec<String> = answer["containerInstanceArns"]
            .as_array()
            .expect("arns")
            .iter()
            .map(|arn| arn.as_str().expect("arn").to_owned())
            .collect();
        arns.sort();
        arns
    };
    let mut both = vec![busy.instance_arn.clone(), idle.instance_arn.clone()];
    both.sort();
    assert_eq!(listed("runningTasksCount == 0"), both);
    let run = berth.aws_ok(&[
        "ecs",
        "run-task",
        "--cluster",
        "where",
        "--task-definition",
        "app",
        "--count",
        "2",
        "--group",
        "service:web",
        "--placement-constraints",
        "type=memberOf,expression=attribute:ecs.availability-zone == zone-a",
    ]);
    assert_eq!(task_arns(&run).len(), 2, "{run}");
    let busy_only = vec![busy.instance_arn.clone()];
    assert_eq!(listed("task:group == service:web"), busy_only);
    assert_eq!(listed("runningTasksCount == 2"), busy_only);
    let idle_only = vec![idle.instance_arn.clone()];
    assert_eq!(listed("not(task:group == service:web)"), idle_only);
    for arn in task_arns(&run) {
        berth.aws_ok(&["ecs", "stop-task", "--cluster", "where", "--task", &arn]);
    }
    // Stopped tasks no longer count as meant to run, once the cluster's
    // view has followed the stop.
    wait_for("the stops to be counted", Duration::from_secs(10), || {
        (listed("runningTasksCount == 0") == both).then_some(())
    });
}

/// DescribeContainerInstances counts an instance's tasks from the cluster's
/// view: placements and this server's StopTask at once, the agent's reports
/// as they are applied.
#[test]
fn instance_task_counts_follow_placement_reports_and_stops() {
    let berth = Berth::start();
    setup(&berth, "counts", 64);
    let mut agent = FakeAgent::register(
        &berth,
        "counts",
        "i-00000000000000c1",
        1024,
        1024,
        "zone-a",
        &[],
    );
    let instance_arn = agent.instance_arn.clone();
    let counts = || {
        let described = berth.aws_ok(&[
            "ecs",
            "describe-container-instances",
            "--cluster",
            "counts",
            "--container-instances",
            &instance_arn,
        ]);
        let instance = &described["containerInstances"][0];
        (
            instance["runningTasksCount"].as_i64().expect("running"),
            instance["pendingTasksCount"].as_i64().expect("pending"),
        )
    };
    assert_eq!(counts(), (0, 0));
    let run = berth.aws_ok(&[
        "ecs",
        "run-task",
        "--cluster",
        "counts",
        "--task-definition",
        "app",
        "--count",
        "2",
    ]);
    let arns = task_arns(&run);
    assert_eq!(arns.len(), 2, "{run}");
    assert_eq!(counts(), (2, 2), "meant to run, not yet running");
    let assignments = agent.poll();
    let first = assignments
        .iter()
        .find(|a| a["task_arn"] == arns[0].as_str())
        .expect("assigned")
        .clone();
    agent.report(&first, "running", "running", None);
    assert_eq!(counts(), (2, 1), "this server applied the report");
    berth.aws_ok(&[
        "ecs",
        "stop-task",
        "--cluster",
        "counts",
        "--task",
        &arns[0],
    ]);
    assert_eq!(counts(), (1, 1), "this server's StopTask counts at once");
    // A task that ends leaves the view with the watch's event, a moment later.
    let second = assignments
        .iter()
        .find(|a| a["task_arn"] == arns[1].as_str())
        .expect("assigned")
        .clone();
    agent.report(&second, "stopped", "stopped", Some(1));
    wait_for("the end to be counted", Duration::from_secs(10), || {
        (counts() == (0, 0)).then_some(())
    });
}
