//! Task definitions through the AWS CLI: revisions of a family registered
//! from JSON files, described, listed, paginated, deregistered and deleted,
//! and still there after the server restarts or is killed.

use serde_json::{Value, json};

use crate::common::Berth;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/e2e/fixtures");

fn register_fixture(berth: &Berth, name: &str) -> Value {
    let argument = format!("file://{FIXTURES}/{name}.json");
    berth.aws_ok(&[
        "ecs",
        "register-task-definition",
        "--cli-input-json",
        &argument,
    ])
}

fn arn(family: &str, revision: u32) -> String {
    format!("arn:aws:ecs:us-east-1:000000000000:task-definition/{family}:{revision}")
}

#[test]
fn revisions_of_a_family_survive_restarts() {
    let berth = Berth::start();
    let first = register_fixture(&berth, "web-v1");
    let definition = &first["taskDefinition"];
    assert_eq!(definition["taskDefinitionArn"], arn("web", 1));
    assert_eq!(definition["revision"], 1);
    assert_eq!(definition["status"], "ACTIVE");
    assert_eq!(
        definition["containerDefinitions"][0]["portMappings"][0]["containerPort"],
        8080
    );
    assert_eq!(
        definition["containerDefinitions"][0]["dockerLabels"],
        json!({"tier": "front"})
    );
    assert_eq!(first["tags"], json!([{"key": "app", "value": "web"}]));
    let second = register_fixture(&berth, "web-v2");
    assert_eq!(second["taskDefinition"]["revision"], 2);
    assert_eq!(second["taskDefinition"]["cpu"], "512");
    assert_eq!(second["taskDefinition"]["memory"], "1024");
    let third = register_fixture(&berth, "web-v3");
    assert_eq!(third["taskDefinition"]["revision"], 3);
    assert!(
        third["taskDefinition"]["compatibilities"]
            .as_array()
            .is_some_and(|c| c.contains(&json!("FARGATE")))
    );

    // A graceful restart in the middle keeps everything.
    let data_dir = berth.data_dir.clone();
    let temp_dir = berth.stop();
    let berth = Berth::start_in(&data_dir, "server");

    let latest = berth.aws_ok(&[
        "ecs",
        "describe-task-definition",
        "--task-definition",
        "web",
    ]);
    assert_eq!(latest["taskDefinition"]["revision"], 3);
    let by_revision = berth.aws_ok(&[
        "ecs",
        "describe-task-definition",
        "--task-definition",
        "web:1",
        "--include",
        "TAGS",
    ]);
    assert_eq!(by_revision["taskDefinition"], first["taskDefinition"]);
    assert_eq!(by_revision["tags"], json!([{"key": "app", "value": "web"}]));
    let by_arn = berth.aws_ok(&[
        "ecs",
        "describe-task-definition",
        "--task-definition",
        &arn("web", 2),
    ]);
    assert_eq!(by_arn["taskDefinition"], second["taskDefinition"]);

    let listed = berth.aws_ok(&["ecs", "list-task-definitions"]);
    assert_eq!(
        listed["taskDefinitionArns"],
        json!([arn("web", 1), arn("web", 2), arn("web", 3)])
    );
    let listed = berth.aws_ok(&[
        "ecs",
        "list-task-definitions",
        "--sort",
        "DESC",
        "--family-prefix",
        "web",
    ]);
    assert_eq!(
        listed["taskDefinitionArns"],
        json!([arn("web", 3), arn("web", 2), arn("web", 1)])
    );

    let deregistered = berth.aws_ok(&[
        "ecs",
        "deregister-task-definition",
        "--task-definition",
        "web:3",
    ]);
    assert_eq!(deregistered["taskDefinition"]["status"], "INACTIVE");
    // Debian's CLI predates deregisteredAt and drops it; ask without the CLI.
    let (status, raw) = berth.post_json(
        Some("AmazonEC2ContainerServiceV20141113.DescribeTaskDefinition"),
        br#"{"taskDefinition": "web:3"}"#,
    );
    assert_eq!(status, 200);
    assert!(raw["taskDefinition"]["deregisteredAt"].is_number(), "{raw}");
    let latest = berth.aws_ok(&[
        "ecs",
        "describe-task-definition",
        "--task-definition",
        "web",
    ]);
    assert_eq!(latest["taskDefinition"]["revision"], 2);
    let inactive = berth.aws_ok(&["ecs", "list-task-definitions", "--status", "INACTIVE"]);
    assert_eq!(inactive["taskDefinitionArns"], json!([arn("web", 3)]));
    let failure = berth
        .aws(&[
            "ecs",
            "deregister-task-definition",
            "--task-definition",
            "web",
        ])
        .expect_err("a revision is required");
    assert!(failure.has_code("ClientException"), "{}", failure.stderr);

    // Killed without warning: acknowledged writes are still there.
    drop(berth);
    let berth = Berth::start_in(&data_dir, "server");
    let after_kill = berth.aws_ok(&[
        "ecs",
        "describe-task-definition",
        "--task-definition",
        "web:3",
    ]);
    assert_eq!(after_kill["taskDefinition"]["status"], "INACTIVE");
    // Revisions keep growing after deregistration and restarts.
    let fourth = register_fixture(&berth, "web-v1");
    assert_eq!(fourth["taskDefinition"]["revision"], 4);

    let families = berth.aws_ok(&["ecs", "list-task-definition-families"]);
    assert_eq!(families["families"], json!(["web"]));
    drop(berth);
    drop(temp_dir);
}

#[test]
fn pagination_over_150_task_definitions() {
    let berth = Berth::start();
    for idx in 0..150 {
        let family = format!("fam{:02}", idx % 30);
        let body = json!({
            "family": family,
            "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 32}],
        });
        let (status, answer) = berth.post_json(
            Some("AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition"),
            body.to_string().as_bytes(),
        );
        assert_eq!(status, 200, "{answer}");
    }
    let listed = berth.aws_ok(&["ecs", "list-task-definitions", "--page-size", "7"]);
    let arns: Vec<String> = listed["taskDefinitionArns"]
        .as_array()
        .expect("arns")
        .iter()
        .filter_map(|arn| arn.as_str().map(str::to_owned))
        .collect();
    let mut expected = Vec::new();
    for family_idx in 0..30 {
        for revision in 1..=5 {
            expected.push(arn(&format!("fam{family_idx:02}"), revision));
        }
    }
    assert_eq!(arns, expected);
    let descending = berth.aws_ok(&[
        "ecs",
        "list-task-definitions",
        "--sort",
        "DESC",
        "--page-size",
        "11",
    ]);
    let mut reversed = expected.clone();
    reversed.reverse();
    assert_eq!(descending["taskDefinitionArns"], json!(reversed));
    let families = berth.aws_ok(&[
        "ecs",
        "list-task-definition-families",
        "--page-size",
        "4",
        "--family-prefix",
        "fam1",
    ]);
    assert_eq!(families["families"].as_array().map(Vec::len), Some(10));
    let one_family = berth.aws_ok(&[
        "ecs",
        "list-task-definitions",
        "--family-prefix",
        "fam07",
        "--page-size",
        "2",
    ]);
    assert_eq!(
        one_family["taskDefinitionArns"].as_array().map(Vec::len),
        Some(5)
    );
}

#[test]
fn delete_task_definitions_needs_inactive_revisions() {
    let berth = Berth::start();
    register_fixture(&berth, "web-v1");
    register_fixture(&berth, "web-v1");
    berth.aws_ok(&[
        "ecs",
        "deregister-task-definition",
        "--task-definition",
        "web:1",
    ]);
    // DeleteTaskDefinitions is missing from the CLI v2 that Debian ships, so
    // this call goes through boto3, the same botocore models as newer CLIs.
    let script = format!(
        r#"
import boto3, json
ecs = boto3.client("ecs", endpoint_url="{endpoint}", region_name="us-east-1",
                   aws_access_key_id="AKIDBERTHTEST", aws_secret_access_key="x")
out = ecs.delete_task_definitions(taskDefinitions=["web:1", "web:2", "web:9", "nope"])
out.pop("ResponseMetadata")
print(json.dumps(out, default=str))
"#,
        endpoint = berth.endpoint
    );
    let output = std::process::Command::new("python3")
        .args(["-c", &script])
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answer: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(answer["taskDefinitions"][0]["status"], "DELETE_IN_PROGRESS");
    let reasons: Vec<&str> = answer["failures"]
        .as_array()
        .expect("failures")
        .iter()
        .filter_map(|f| f["reason"].as_str())
        .collect();
    assert_eq!(reasons.len(), 3, "{answer}");
    assert!(reasons[0].contains("ACTIVE"), "{reasons:?}");
    let tags = berth.aws_ok(&[
        "ecs",
        "list-tags-for-resource",
        "--resource-arn",
        &arn("web", 2),
    ]);
    assert_eq!(tags["tags"], json!([{"key": "app", "value": "web"}]));
}
