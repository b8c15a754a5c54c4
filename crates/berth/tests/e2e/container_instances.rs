//! Container instances through the AWS CLI, registered the way the ECS agent
//! does: describe, list with cluster query language filters, drain and
//! reactivate, attributes with their limit, tags, re-registration,
//! deregistration, and DeleteCluster's refusal while instances remain.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::common::{AwsFailure, Berth};

const ECS: &str = "AmazonEC2ContainerServiceV20141113";
const ARN_PREFIX: &str = "arn:aws:ecs:us-east-1:000000000000:container-instance";

/// What an agent sends for a host with 2 vCPUs and 4 GiB.
const TOTAL_RESOURCES: &str = r#"[
    {"name": "CPU", "type": "INTEGER", "integerValue": 2048},
    {"name": "MEMORY", "type": "INTEGER", "integerValue": 3768},
    {"name": "PORTS", "type": "STRINGSET", "stringSetValue": ["22", "2376", "2375", "51678", "51679"]},
    {"name": "PORTS_UDP", "type": "STRINGSET", "stringSetValue": []}
]"#;

/// Registers host `host` in `cluster` in availability zone `zone`, with the
/// custom attribute `stack`.
fn register(berth: &Berth, cluster: &str, host: &str, zone: &str, stack: &str) -> Value {
    let document = json!({"instanceId": host, "region": "us-east-1", "instanceType": "t3.medium"});
    let answer = berth.aws_ok(&[
        "ecs",
        "register-container-instance",
        "--cluster",
        cluster,
        "--instance-identity-document",
        &document.to_string(),
        "--total-resources",
        TOTAL_RESOURCES,
        "--version-info",
        "agentVersion=1.80.0,agentHash=abc123,dockerVersion=DockerVersion: 24.0.7",
        "--attributes",
        &format!("name=ecs.availability-zone,value={zone}"),
        "name=ecs.os-type,value=linux",
        "name=com.amazonaws.ecs.capability.docker-remote-api.1.44",
        &format!("name=stack,value={stack}"),
        "--tags",
        &format!("key=host,value={host}"),
    ]);
    answer["containerInstance"].clone()
}

fn arn_of(instance: &Value) -> String {
    instance["containerInstanceArn"]
        .as_str()
        .expect("an ARN")
        .to_owned()
}

fn id_of(instance: &Value) -> String {
    arn_of(instance)
        .rsplit('/')
        .next()
        .expect("an id")
        .to_owned()
}

fn expect_code(result: Result<Value, AwsFailure>, code: &str) -> String {
    match result {
        Ok(value) => panic!("expected {code}, got {value}"),
        Err(failure) => {
            assert!(
                failure.has_code(code),
                "expected {code}: {}",
                failure.stderr
            );
            failure.stderr
        }
    }
}

/// The ARNs ListContainerInstances returns for `extra` arguments.
fn listed(berth: &Berth, cluster: &str, extra: &[&str]) -> BTreeSet<String> {
    let mut args = vec!["ecs", "list-container-instances", "--cluster", cluster];
    args.extend_from_slice(extra);
    let answer = berth.aws_ok(&args);
    answer["containerInstanceArns"]
        .as_array()
        .expect("arns")
        .iter()
        .filter_map(|arn| arn.as_str().map(str::to_owned))
        .collect()
}

fn set(arns: &[&String]) -> BTreeSet<String> {
    arns.iter().map(|arn| (*arn).clone()).collect()
}

#[test]
fn register_describe_list_and_drain_container_instances() {
    let berth = Berth::start();
    berth.aws_ok(&["ecs", "create-cluster", "--cluster-name", "fleet"]);
    let a = register(&berth, "fleet", "i-0aaaaaaaaaaaaaaaa", "a", "prod");
    let b = register(&berth, "fleet", "i-0bbbbbbbbbbbbbbbb", "b", "prod");
    let c = register(&berth, "fleet", "i-0cccccccccccccccc", "c", "dev");
    let (arn_a, arn_b, arn_c) = (arn_of(&a), arn_of(&b), arn_of(&c));

    assert!(
        arn_a.starts_with(&format!("{ARN_PREFIX}/fleet/")),
        "{arn_a}"
    );
    assert_eq!(id_of(&a).len(), 32);
    assert_eq!(a["ec2InstanceId"], "i-0aaaaaaaaaaaaaaaa");
    assert_eq!(a["status"], "ACTIVE");
    assert_eq!(a["agentConnected"], true);
    assert_eq!(a["runningTasksCount"], 0);
    assert_eq!(a["pendingTasksCount"], 0);
    assert_eq!(a["attachments"], json!([]));
    assert_eq!(a["versionInfo"]["agentVersion"], "1.80.0");
    assert_eq!(a["versionInfo"]["dockerVersion"], "DockerVersion: 24.0.7");
    assert_eq!(
        a["tags"],
        json!([{"key": "host", "value": "i-0aaaaaaaaaaaaaaaa"}])
    );
    let expected_resources = json!([
        {"name": "CPU", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": 2048},
        {"name": "MEMORY", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": 3768},
        {"name": "PORTS", "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0, "integerValue": 0,
         "stringSetValue": ["22", "2375", "2376", "51678", "51679"]},
        {"name": "PORTS_UDP", "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0, "integerValue": 0,
         "stringSetValue": []},
    ]);
    assert_eq!(a["registeredResources"], expected_resources);
    assert_eq!(a["remainingResources"], expected_resources);
    let attributes = a["attributes"].as_array().expect("attributes");
    for expected in [
        json!({"name": "ecs.availability-zone", "value": "a"}),
        json!({"name": "ecs.instance-type", "value": "t3.medium"}),
        json!({"name": "com.amazonaws.ecs.capability.docker-remote-api.1.44"}),
        json!({"name": "stack", "value": "prod"}),
    ] {
        assert!(
            attributes.contains(&expected),
            "{expected} in {attributes:?}"
        );
    }

    // Every listing, then each filter of the cluster query language.
    assert_eq!(listed(&berth, "fleet", &[]), set(&[&arn_a, &arn_b, &arn_c]));
    assert_eq!(
        listed(&berth, "fleet", &["--page-size", "1"]),
        set(&[&arn_a, &arn_b, &arn_c])
    );
    let filtered = |filter: &str| listed(&berth, "fleet", &["--filter", filter]);
    assert_eq!(filtered("attribute:stack == prod"), set(&[&arn_a, &arn_b]));
    assert_eq!(
        listed(
            &berth,
            "fleet",
            &["--filter", "attribute:stack == prod", "--page-size", "1"]
        ),
        set(&[&arn_a, &arn_b])
    );
    assert_eq!(
        filtered("attribute:ecs.availability-zone in [a, b]"),
        set(&[&arn_a, &arn_b])
    );
    assert_eq!(
        filtered("attribute:stack == prod and attribute:ecs.availability-zone != a"),
        set(&[&arn_b])
    );
    assert_eq!(filtered("ec2InstanceId =~ i-0c.*"), set(&[&arn_c]));
    assert_eq!(
        filtered("runningTasksCount == 0"),
        set(&[&arn_a, &arn_b, &arn_c])
    );
    let stderr = expect_code(
        berth.aws(&[
            "ecs",
            "list-container-instances",
            "--cluster",
            "fleet",
            "--filter",
            "attribute:stack ==",
        ]),
        "InvalidParameterException",
    );
    assert!(stderr.contains("column"), "{stderr}");

    // Raw paging: two pages of two and one, the token naming its operation.
    let target = format!("{ECS}.ListContainerInstances");
    let (status, first) = berth.post_json(
        Some(&target),
        json!({"cluster": "fleet", "maxResults": 2})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(status, 200, "{first}");
    assert_eq!(
        first["containerInstanceArns"].as_array().map(Vec::len),
        Some(2)
    );
    let token = first["nextToken"].as_str().expect("a token");
    let (_, second) = berth.post_json(
        Some(&target),
        json!({"cluster": "fleet", "maxResults": 2, "nextToken": token})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(
        second["containerInstanceArns"].as_array().map(Vec::len),
        Some(1)
    );
    assert!(second.get("nextToken").is_none(), "{second}");
    let (status, answer) = berth.post_json(
        Some(&target),
        json!({"cluster": "fleet", "maxResults": 101})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(
        (status, &answer["__type"]),
        (400, &json!("InvalidParameterException"))
    );

    // Describe by id and by ARN, with an unknown one among them.
    let unknown = "ffffffffffffffffffffffffffffffff";
    let described = berth.aws_ok(&[
        "ecs",
        "describe-container-instances",
        "--cluster",
        "fleet",
        "--container-instances",
        &id_of(&a),
        &arn_b,
        unknown,
        "--include",
        "TAGS",
        "CONTAINER_INSTANCE_HEALTH",
    ]);
    let instances = described["containerInstances"]
        .as_array()
        .expect("instances");
    assert_eq!(instances.len(), 2);
    assert_eq!(instances[0]["containerInstanceArn"], arn_a.as_str());
    assert_eq!(instances[1]["ec2InstanceId"], "i-0bbbbbbbbbbbbbbbb");
    assert_eq!(instances[0]["tags"].as_array().map(Vec::len), Some(1));
    assert_eq!(instances[0]["healthStatus"]["overallStatus"], "OK");
    assert_eq!(
        described["failures"],
        json!([{"arn": format!("{ARN_PREFIX}/fleet/{unknown}"), "reason": "MISSING"}])
    );
    let plain = berth.aws_ok(&[
        "ecs",
        "describe-container-instances",
        "--cluster",
        "fleet",
        "--container-instances",
        &arn_c,
    ]);
    assert!(plain["containerInstances"][0].get("tags").is_none());
    assert!(plain["containerInstances"][0].get("healthStatus").is_none());
    // An instance of this cluster is unknown in another one.
    berth.aws_ok(&["ecs", "create-cluster", "--cluster-name", "other"]);
    let elsewhere = berth.aws_ok(&[
        "ecs",
        "describe-container-instances",
        "--cluster",
        "other",
        "--container-instances",
        &arn_a,
    ]);
    assert_eq!(elsewhere["failures"][0]["reason"], "MISSING");

    // Drain two (one by ARN), with an unknown instance failing alone.
    let drained = berth.aws_ok(&[
        "ecs",
        "update-container-instances-state",
        "--cluster",
        "fleet",
        "--container-instances",
        &id_of(&a),
        &arn_b,
        unknown,
        "--status",
        "DRAINING",
    ]);
    let changed = drained["containerInstances"].as_array().expect("instances");
    assert_eq!(changed.len(), 2);
    assert!(changed.iter().all(|i| i["status"] == "DRAINING"));
    assert!(changed[0]["version"].as_i64() > a["version"].as_i64());
    assert_eq!(drained["failures"][0]["reason"], "MISSING");
    assert_eq!(
        listed(&berth, "fleet", &["--status", "DRAINING"]),
        set(&[&arn_a, &arn_b])
    );
    assert_eq!(
        listed(&berth, "fleet", &["--status", "ACTIVE"]),
        set(&[&arn_c])
    );
    assert_eq!(listed(&berth, "fleet", &[]).len(), 3);
    assert!(listed(&berth, "fleet", &["--status", "REGISTERING"]).is_empty());
    let reactivated = berth.aws_ok(&[
        "ecs",
        "update-container-instances-state",
        "--cluster",
        "fleet",
        "--container-instances",
        &arn_a,
        &arn_b,
        "--status",
        "ACTIVE",
    ]);
    assert!(
        reactivated["containerInstances"]
            .as_array()
            .is_some_and(|all| all.iter().all(|i| i["status"] == "ACTIVE"))
    );
    assert_eq!(listed(&berth, "fleet", &["--status", "ACTIVE"]).len(), 3);
    expect_code(
        berth.aws(&[
            "ecs",
            "update-container-instances-state",
            "--cluster",
            "fleet",
            "--container-instances",
            &arn_a,
            "--status",
            "INACTIVE",
        ]),
        "InvalidParameterException",
    );

    // Bad registrations.
    expect_code(
        berth.aws(&[
            "ecs",
            "register-container-instance",
            "--cluster",
            "ghost",
            "--total-resources",
            TOTAL_RESOURCES,
        ]),
        "ClusterNotFoundException",
    );
    expect_code(
        berth.aws(&[
            "ecs",
            "register-container-instance",
            "--cluster",
            "fleet",
            "--total-resources",
            r#"[{"name": "CPU", "type": "INTEGER", "integerValue": 1024}]"#,
        ]),
        "InvalidParameterException",
    );
    expect_code(
        berth.aws(&[
            "ecs",
            "register-container-instance",
            "--cluster",
            "fleet",
            "--instance-identity-document",
            "not json",
            "--total-resources",
            TOTAL_RESOURCES,
        ]),
        "InvalidParameterException",
    );
    // Without an identity document the host gets a generated EC2-like id.
    let anonymous = berth.aws_ok(&[
        "ecs",
        "register-container-instance",
        "--cluster",
        "other",
        "--total-resources",
        TOTAL_RESOURCES,
    ]);
    let host = anonymous["containerInstance"]["ec2InstanceId"]
        .as_str()
        .expect("a host id");
    assert!(host.starts_with("i-") && host.len() == 19, "{host}");
}

#[test]
fn attributes_and_tags_on_container_instances() {
    let berth = Berth::start();
    berth.aws_ok(&["ecs", "create-cluster", "--cluster-name", "attrs"]);
    let a = register(&berth, "attrs", "i-0aaaaaaaaaaaaaaaa", "a", "prod");
    let b = register(&berth, "attrs", "i-0bbbbbbbbbbbbbbbb", "b", "prod");
    let c = register(&berth, "attrs", "i-0cccccccccccccccc", "c", "dev");
    let (arn_a, arn_b) = (arn_of(&a), arn_of(&b));

    let put = berth.aws_ok(&[
        "ecs",
        "put-attributes",
        "--cluster",
        "attrs",
        "--attributes",
        &format!("name=team,value=web,targetId={arn_a}"),
        &format!(
            "name=team,value=api,targetType=container-instance,targetId={}",
            id_of(&c)
        ),
    ]);
    assert_eq!(
        put["attributes"][0],
        json!({"name": "team", "value": "web", "targetId": arn_a})
    );
    let filtered = listed(&berth, "attrs", &["--filter", "attribute:team == web"]);
    assert_eq!(filtered, set(&[&arn_a]));

    // ListAttributes across the cluster, by name and by name and value.
    let list = |extra: &[&str]| {
        let mut args = vec![
            "ecs",
            "list-attributes",
            "--cluster",
            "attrs",
            "--target-type",
            "container-instance",
        ];
        args.extend_from_slice(extra);
        berth.aws_ok(&args)["attributes"]
            .as_array()
            .expect("attributes")
            .clone()
    };
    assert_eq!(list(&["--attribute-name", "stack"]).len(), 3);
    let prod: BTreeSet<String> = list(&["--attribute-name", "stack", "--attribute-value", "prod"])
        .iter()
        .map(Value::to_string)
        .collect();
    let expected: BTreeSet<String> = [&arn_a, &arn_b]
        .iter()
        .map(|arn| json!({"name": "stack", "value": "prod", "targetId": arn}).to_string())
        .collect();
    assert_eq!(prod, expected);
    let all = list(&[]);
    let everything = list(&["--page-size", "2"]);
    assert_eq!(all, everything, "paging changes nothing");
    assert!(
        all.len() >= 12,
        "built-in attributes are listed too: {all:?}"
    );
    expect_code(
        berth.aws(&[
            "ecs",
            "list-attributes",
            "--cluster",
            "attrs",
            "--target-type",
            "service",
        ]),
        "InvalidParameterException",
    );

    // Bad targets and reserved names.
    expect_code(
        berth.aws(&[
            "ecs",
            "put-attributes",
            "--cluster",
            "attrs",
            "--attributes",
            &format!("name=team,value=x,targetId={}", id_of(&a)),
        ]),
        "InvalidParameterException",
    );
    expect_code(
        berth.aws(&[
            "ecs",
            "put-attributes",
            "--cluster",
            "attrs",
            "--attributes",
            &format!(
                "name=team,value=x,targetId={ARN_PREFIX}/attrs/ffffffffffffffffffffffffffffffff"
            ),
        ]),
        "TargetNotFoundException",
    );
    expect_code(
        berth.aws(&[
            "ecs",
            "put-attributes",
            "--cluster",
            "attrs",
            "--attributes",
            &format!("name=ecs.availability-zone,value=z,targetId={arn_a}"),
        ]),
        "InvalidParameterException",
    );

    // Ten custom attributes at most: stack and team plus eight more fit.
    let eight: Vec<String> = (1..=8)
        .map(|n| format!("name=custom{n},value=v{n},targetId={arn_a}"))
        .collect();
    let mut args = vec![
        "ecs",
        "put-attributes",
        "--cluster",
        "attrs",
        "--attributes",
    ];
    args.extend(eight.iter().map(String::as_str));
    berth.aws_ok(&args);
    let eleventh = format!("name=custom9,value=v9,targetId={arn_a}");
    expect_code(
        berth.aws(&[
            "ecs",
            "put-attributes",
            "--cluster",
            "attrs",
            "--attributes",
            &eleventh,
        ]),
        "AttributeLimitExceededException",
    );
    // Replacing a value does not add one.
    berth.aws_ok(&[
        "ecs",
        "put-attributes",
        "--cluster",
        "attrs",
        "--attributes",
        &format!("name=custom1,value=again,targetId={arn_a}"),
    ]);
    // A refused call changes nothing, even for its valid parts.
    expect_code(
        berth.aws(&[
            "ecs",
            "put-attributes",
            "--cluster",
            "attrs",
            "--attributes",
            &format!("name=late,value=x,targetId={arn_b}"),
            &eleventh,
        ]),
        "AttributeLimitExceededException",
    );
    assert!(list(&["--attribute-name", "late"]).is_empty());
    let deleted = berth.aws_ok(&[
        "ecs",
        "delete-attributes",
        "--cluster",
        "attrs",
        "--attributes",
        &format!("name=custom1,targetId={arn_a}"),
    ]);
    assert_eq!(
        deleted["attributes"],
        json!([{"name": "custom1", "value": "again", "targetId": arn_a}])
    );
    berth.aws_ok(&[
        "ecs",
        "put-attributes",
        "--cluster",
        "attrs",
        "--attributes",
        &eleventh,
    ]);
    let described = berth.aws_ok(&[
        "ecs",
        "describe-container-instances",
        "--cluster",
        "attrs",
        "--container-instances",
        &arn_a,
    ]);
    let names: BTreeSet<&str> = described["containerInstances"][0]["attributes"]
        .as_array()
        .expect("attributes")
        .iter()
        .filter_map(|a| a["name"].as_str())
        .filter(|name| !name.starts_with("ecs.") && !name.starts_with("com.amazonaws.ecs."))
        .collect();
    assert_eq!(names.len(), 10, "{names:?}");
    assert!(names.contains("custom9") && !names.contains("custom1"));
    expect_code(
        berth.aws(&[
            "ecs",
            "delete-attributes",
            "--cluster",
            "attrs",
            "--attributes",
            "name=team,targetId=nope,targetType=container-instance",
        ]),
        "TargetNotFoundException",
    );

    // Tags on the instance ARN.
    berth.aws_ok(&[
        "ecs",
        "tag-resource",
        "--resource-arn",
        &arn_a,
        "--tags",
        "key=env,value=test",
        "key=host,value=renamed",
    ]);
    berth.aws_ok(&[
        "ecs",
        "untag-resource",
        "--resource-arn",
        &arn_a,
        "--tag-keys",
        "env",
    ]);
    let tags = berth.aws_ok(&["ecs", "list-tags-for-resource", "--resource-arn", &arn_a]);
    assert_eq!(tags["tags"], json!([{"key": "host", "value": "renamed"}]));
    expect_code(
        berth.aws(&[
            "ecs",
            "list-tags-for-resource",
            "--resource-arn",
            &format!("{ARN_PREFIX}/attrs/ffffffffffffffffffffffffffffffff"),
        ]),
        "ResourceNotFoundException",
    );
}

#[test]
fn reregistration_deregistration_and_cluster_deletion() {
    let berth = Berth::start();
    berth.aws_ok(&["ecs", "create-cluster", "--cluster-name", "life"]);
    let a = register(&berth, "life", "i-0aaaaaaaaaaaaaaaa", "a", "prod");
    let b = register(&berth, "life", "i-0bbbbbbbbbbbbbbbb", "b", "prod");
    let arn_a = arn_of(&a);
    berth.aws_ok(&[
        "ecs",
        "put-attributes",
        "--cluster",
        "life",
        "--attributes",
        &format!("name=team,value=web,targetId={arn_a}"),
    ]);

    // An agent restarting with its checkpointed ARN gets the same instance,
    // keeping attributes put through the API; so does the same host alone.
    let again = berth.aws_ok(&[
        "ecs",
        "register-container-instance",
        "--cluster",
        "life",
        "--container-instance-arn",
        &arn_a,
        "--total-resources",
        TOTAL_RESOURCES,
        "--attributes",
        "name=stack,value=canary",
    ]);
    let again = &again["containerInstance"];
    assert_eq!(arn_of(again), arn_a);
    assert_eq!(again["ec2InstanceId"], "i-0aaaaaaaaaaaaaaaa");
    let attributes = again["attributes"].as_array().expect("attributes");
    assert!(attributes.contains(&json!({"name": "team", "value": "web"})));
    assert!(attributes.contains(&json!({"name": "stack", "value": "canary"})));
    let same_host = register(&berth, "life", "i-0aaaaaaaaaaaaaaaa", "a", "prod");
    assert_eq!(arn_of(&same_host), arn_a);
    assert_eq!(listed(&berth, "life", &[]).len(), 2);
    expect_code(
        berth.aws(&[
            "ecs",
            "register-container-instance",
            "--cluster",
            "life",
            "--container-instance-arn",
            &arn_a,
            "--instance-identity-document",
            r#"{"instanceId": "i-0zzzzzzzzzzzzzzzz"}"#,
            "--total-resources",
            TOTAL_RESOURCES,
        ]),
        "ClientException",
    );

    let counts = berth.aws_ok(&["ecs", "describe-clusters", "--clusters", "life"]);
    assert_eq!(
        counts["clusters"][0]["registeredContainerInstancesCount"],
        2
    );
    let stderr = expect_code(
        berth.aws(&["ecs", "delete-cluster", "--cluster", "life"]),
        "ClusterContainsContainerInstancesException",
    );
    assert!(stderr.contains("active or draining"), "{stderr}");

    let gone = berth.aws_ok(&[
        "ecs",
        "deregister-container-instance",
        "--cluster",
        "life",
        "--container-instance",
        &arn_a,
        "--force",
    ]);
    assert_eq!(gone["containerInstance"]["status"], "INACTIVE");
    assert_eq!(gone["containerInstance"]["agentConnected"], false);
    // Counted from the cluster's view, which has the deregistration the
    // moment it is answered.
    let counts = berth.aws_ok(&["ecs", "describe-clusters", "--clusters", "life"]);
    assert_eq!(
        counts["clusters"][0]["registeredContainerInstancesCount"],
        1
    );
    assert_eq!(listed(&berth, "life", &[]), set(&[&arn_of(&b)]));
    let described = berth.aws_ok(&[
        "ecs",
        "describe-container-instances",
        "--cluster",
        "life",
        "--container-instances",
        &arn_a,
    ]);
    assert_eq!(described["containerInstances"][0]["status"], "INACTIVE");
    let update = berth.aws_ok(&[
        "ecs",
        "update-container-instances-state",
        "--cluster",
        "life",
        "--container-instances",
        &arn_a,
        "--status",
        "DRAINING",
    ]);
    assert_eq!(update["failures"][0]["reason"], "INACTIVE");
    expect_code(
        berth.aws(&[
            "ecs",
            "put-attributes",
            "--cluster",
            "life",
            "--attributes",
            &format!("name=team,value=x,targetId={arn_a}"),
        ]),
        "TargetNotFoundException",
    );
    // Deregistration is final: the old ARN is refused, the host may join
    // afresh as a new instance.
    let stderr = expect_code(
        berth.aws(&[
            "ecs",
            "register-container-instance",
            "--cluster",
            "life",
            "--container-instance-arn",
            &arn_a,
            "--total-resources",
            TOTAL_RESOURCES,
        ]),
        "ClientException",
    );
    assert!(stderr.contains("inactive"), "{stderr}");
    expect_code(
        berth.aws(&[
            "ecs",
            "deregister-container-instance",
            "--cluster",
            "life",
            "--container-instance",
            &arn_a,
        ]),
        "ClientException",
    );
    let fresh = register(&berth, "life", "i-0aaaaaaaaaaaaaaaa", "a", "prod");
    assert_ne!(arn_of(&fresh), arn_a);

    for instance in [&b, &fresh] {
        berth.aws_ok(&[
            "ecs",
            "deregister-container-instance",
            "--cluster",
            "life",
            "--container-instance",
            &id_of(instance),
        ]);
    }
    assert!(listed(&berth, "life", &[]).is_empty());
    let deleted = berth.aws_ok(&["ecs", "delete-cluster", "--cluster", "life"]);
    assert_eq!(deleted["cluster"]["status"], "INACTIVE");
    expect_code(
        berth.aws(&["ecs", "list-container-instances", "--cluster", "life"]),
        "ClusterNotFoundException",
    );
}
