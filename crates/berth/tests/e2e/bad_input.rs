//! Every class of bad input gets an AWS error shape with HTTP 400: never a
//! 500, a panic or a hang, and the server keeps serving afterwards.

use serde_json::{Value, json};

use crate::common::{Berth, http_request, signed_authorization};

const ECS: &str = "AmazonEC2ContainerServiceV20141113";

fn check(berth: &Berth, target: Option<&str>, body: &[u8], status: u16, code: &str) {
    let (got_status, answer) = berth.post_json(target, body);
    assert_eq!(
        (got_status, answer["__type"].as_str()),
        (status, Some(code)),
        "target {target:?}, body {}: {answer}",
        String::from_utf8_lossy(&body[..body.len().min(200)])
    );
    assert!(answer["message"].is_string(), "{answer}");
}

fn op(name: &str) -> String {
    format!("{ECS}.{name}")
}

fn register(containers: Value, extra: Value) -> Vec<u8> {
    let mut body = json!({"family": "bad", "containerDefinitions": containers});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    body.to_string().into_bytes()
}

#[test]
fn protocol_errors() {
    let berth = Berth::start();
    let list = op("ListClusters");
    check(
        &berth,
        Some(&list),
        b"{not json",
        400,
        "SerializationException",
    );
    check(
        &berth,
        Some(&list),
        b"[1, 2]",
        400,
        "SerializationException",
    );
    check(
        &berth,
        Some(&list),
        br#"{"maxResults": "ten"}"#,
        400,
        "SerializationException",
    );
    check(
        &berth,
        Some(&list),
        br#"{"maxResults": 1.5}"#,
        400,
        "SerializationException",
    );
    check(
        &berth,
        Some(&list),
        br#"{"maxResults": 99999999999}"#,
        400,
        "SerializationException",
    );
    check(
        &berth,
        Some(&op("CreateCluster")),
        br#"{"clusterName": 5}"#,
        400,
        "SerializationException",
    );
    check(
        &berth,
        Some(&op("CreateCluster")),
        br#"{"tags": {"a": "b"}}"#,
        400,
        "SerializationException",
    );
    check(
        &berth,
        Some(&op("LaunchRockets")),
        b"{}",
        400,
        "UnknownOperationException",
    );
    check(
        &berth,
        Some("AmazonS3.ListBuckets"),
        b"{}",
        400,
        "UnknownOperationException",
    );
    check(&berth, None, b"{}", 400, "UnknownOperationException");
    let huge = format!(r#"{{"clusterName": "{}"}}"#, "a".repeat(2 * 1024 * 1024));
    check(
        &berth,
        Some(&op("CreateCluster")),
        huge.as_bytes(),
        400,
        "ClientException",
    );
    check(
        &berth,
        Some(&list),
        br#"{"maxResults": 0}"#,
        400,
        "InvalidParameterException",
    );
    check(
        &berth,
        Some(&list),
        br#"{"maxResults": 101}"#,
        400,
        "InvalidParameterException",
    );
    check(
        &berth,
        Some(&list),
        br#"{"nextToken": "garbage!!"}"#,
        400,
        "InvalidParameterException",
    );

    // Authentication: absent or malformed signatures are refused.
    let headers = [("X-Amz-Target", list.clone())];
    let (status, body) = http_request(&berth.address, "POST", "/", &headers, b"{}");
    let answer: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(
        (status, answer["__type"].as_str()),
        (400, Some("MissingAuthenticationTokenException"))
    );
    let headers = [
        ("X-Amz-Target", list.clone()),
        (
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=broken".to_owned(),
        ),
    ];
    let (status, body) = http_request(&berth.address, "POST", "/", &headers, b"{}");
    let answer: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(
        (status, answer["__type"].as_str()),
        (400, Some("IncompleteSignatureException"))
    );

    // Still serving.
    let headers = [
        ("X-Amz-Target", list),
        ("Authorization", signed_authorization()),
    ];
    let (status, _) = http_request(&berth.address, "POST", "/", &headers, b"{}");
    assert_eq!(status, 200);
}

#[test]
fn absurd_values_are_refused() {
    let berth = Berth::start();
    let register_op = op("RegisterTaskDefinition");
    let container = |extra: Value| {
        let mut c = json!({"name": "app", "image": "busybox", "memory": 64});
        if let (Some(c), Some(extra)) = (c.as_object_mut(), extra.as_object()) {
            c.extend(extra.clone());
        }
        c
    };
    check(
        &berth,
        Some(&register_op),
        &register(json!([container(json!({"cpu": -5}))]), json!({})),
        400,
        "ClientException",
    );
    check(
        &berth,
        Some(&register_op),
        &register(json!([container(json!({}))]), json!({"cpu": "-1"})),
        400,
        "ClientException",
    );
    let many: Vec<Value> = (0..10_000)
        .map(|i| container(json!({"name": format!("c{i}")})))
        .collect();
    check(
        &berth,
        Some(&register_op),
        &register(json!(many), json!({})),
        400,
        "ClientException",
    );
    check(
        &berth,
        Some(&register_op),
        &register(
            json!([container(json!({}))]),
            json!({"family": "has spaces"}),
        ),
        400,
        "ClientException",
    );
    check(
        &berth,
        Some(&register_op),
        &register(json!([container(json!({"name": "bad name"}))]), json!({})),
        400,
        "ClientException",
    );
    let big_env = json!([{"name": "BIG", "value": "x".repeat(1_000_000)}]);
    check(
        &berth,
        Some(&register_op),
        &register(
            json!([container(json!({"environment": big_env}))]),
            json!({}),
        ),
        400,
        "ClientException",
    );
    check(
        &berth,
        Some(&register_op),
        &register(json!([]), json!({})),
        400,
        "ClientException",
    );
    check(
        &berth,
        Some(&register_op),
        br#"{"family": "x"}"#,
        400,
        "InvalidParameterException",
    );
    check(
        &berth,
        Some(&register_op),
        &register(
            json!([container(json!({}))]),
            json!({"networkMode": "mesh"}),
        ),
        400,
        "InvalidParameterException",
    );
    check(
        &berth,
        Some(&op("CreateCluster")),
        br#"{"clusterName": "has spaces"}"#,
        400,
        "InvalidParameterException",
    );
    check(
        &berth,
        Some(&op("CreateCluster")),
        format!(r#"{{"clusterName": "{}"}}"#, "a".repeat(256)).as_bytes(),
        400,
        "InvalidParameterException",
    );
    check(
        &berth,
        Some(&op("CreateCluster")),
        br#"{"settings": [{"name": "color", "value": "blue"}]}"#,
        400,
        "InvalidParameterException",
    );
    check(
        &berth,
        Some(&op("DescribeTaskDefinition")),
        br#"{"taskDefinition": "ghost"}"#,
        400,
        "ClientException",
    );
    check(
        &berth,
        Some(&op("DescribeTaskDefinition")),
        br#"{"taskDefinition": "ghost:abc"}"#,
        400,
        "ClientException",
    );
    check(
        &berth,
        Some(&op("DeleteCluster")),
        br#"{"cluster": "ghost"}"#,
        400,
        "ClusterNotFoundException",
    );
    check(
        &berth,
        Some(&op("TagResource")),
        br#"{"resourceArn": "not-an-arn", "tags": []}"#,
        400,
        "InvalidParameterException",
    );
    let many_tags: Vec<Value> = (0..51)
        .map(|i| json!({"key": format!("k{i}"), "value": "v"}))
        .collect();
    check(
        &berth,
        Some(&op("CreateCluster")),
        json!({"clusterName": "t", "tags": many_tags})
            .to_string()
            .as_bytes(),
        400,
        "InvalidParameterException",
    );
}

/// Every ECS and ECR operation, sent inputs drawn from botocore's own shapes
/// and bent out of shape (`fixtures/shape_fuzz.py`: wrong types, odd and
/// oversized strings, lists past their limits, bodies that are not JSON),
/// answers with a JSON object: a success, or a 4xx with an AWS `__type`.
/// Never a 5xx, a body that is not JSON, or no answer; and the server still
/// serves afterwards. The inputs are fixed by the seed.
#[test]
fn every_operation_answers_inputs_drawn_from_its_shapes() {
    let berth = Berth::start();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/e2e/fixtures/shape_fuzz.py"
    );
    let output = std::process::Command::new("python3")
        .args([script, &berth.endpoint, "--rounds", "16", "--seed", "1"])
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let (status, answer) = berth.post_json(Some(&op("ListClusters")), b"{}");
    assert_eq!(status, 200, "{answer}");
}
