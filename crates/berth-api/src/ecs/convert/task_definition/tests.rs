//! Round trips of realistic task definitions (after the ECS developer
//! guide's examples): every member given comes back equal, plus defaults.

use berth_model::arn::Scope;
use berth_model::task_definition::{Registration, TaskDefinition};
use berth_model::validation::{ValidationError, ValidationErrorKind};
use serde_json::{Value, json};

use super::{spec_from_register_request, task_definition_to_wire};
use crate::ecs::wire;

/// Asserts every member of `given` is in `got` with an equal value.
fn assert_contains(given: &Value, got: &Value, path: &str) {
    match (given, got) {
        (Value::Object(given), Value::Object(got)) => {
            for (key, value) in given {
                let child = got
                    .get(key)
                    .unwrap_or_else(|| panic!("{path}.{key} missing"));
                assert_contains(value, child, &format!("{path}.{key}"));
            }
        }
        (Value::Array(given), Value::Array(got)) => {
            assert_eq!(given.len(), got.len(), "{path} length");
            for (idx, (g, o)) in given.iter().zip(got).enumerate() {
                assert_contains(g, o, &format!("{path}[{idx}]"));
            }
        }
        _ => assert_eq!(given, got, "{path}"),
    }
}

fn register(request: &Value) -> Result<Value, ValidationError> {
    let parsed: wire::RegisterTaskDefinitionRequest =
        serde_json::from_value(request.clone()).expect("wire shape");
    let document_bytes = serde_json::to_vec(&parsed).expect("json").len();
    let spec = spec_from_register_request(parsed)?;
    let registration = Registration {
        revision: 7,
        registered_at_ms: 1_700_000_000_500,
        registered_by: Some("arn:aws:iam::123456789012:root".to_owned()),
        document_bytes,
    };
    let definition = TaskDefinition::register(spec, registration)?;
    let scope = Scope::new("us-east-1", "123456789012");
    Ok(serde_json::to_value(task_definition_to_wire(&definition, &scope)).expect("json"))
}

fn check_round_trip(request: Value) -> Value {
    let got = register(&request).expect("registers");
    let mut given = request;
    if let Some(object) = given.as_object_mut() {
        object.remove("tags");
    }
    assert_contains(&given, &got, "taskDefinition");
    got
}

#[test]
fn web_server_with_ports_and_health_check() {
    let got = check_round_trip(json!({
        "family": "webserver",
        "containerDefinitions": [{
            "name": "web", "image": "public.ecr.aws/docker/library/httpd:2.4",
            "cpu": 256, "memory": 512, "essential": true,
            "portMappings": [{"containerPort": 80, "hostPort": 8080, "protocol": "tcp"}, {"containerPort": 443}],
            "entryPoint": ["sh", "-c"],
            "command": ["httpd-foreground"],
            "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"], "interval": 10, "startPeriod": 15},
            "dockerLabels": {"app": "web"}
        }],
        "tags": [{"key": "team", "value": "web"}]
    }));
    assert_eq!(
        got["taskDefinitionArn"],
        "arn:aws:ecs:us-east-1:123456789012:task-definition/webserver:7"
    );
    assert_eq!(got["status"], "ACTIVE");
    assert_eq!(got["revision"], 7);
    assert_eq!(got["registeredAt"], 1_700_000_000.5);
    assert_eq!(got["volumes"], json!([]));
    assert_eq!(got["placementConstraints"], json!([]));
    assert_eq!(got["compatibilities"], json!(["EC2", "EXTERNAL"]));
    assert!(got.get("networkMode").is_none());
    let web = &got["containerDefinitions"][0];
    assert_eq!(
        web["portMappings"][1],
        json!({"containerPort": 443, "hostPort": 0, "protocol": "tcp"})
    );
    assert_eq!(web["healthCheck"]["timeout"], 5);
    assert_eq!(web["healthCheck"]["retries"], 3);
    assert_eq!(web["environment"], json!([]));
    assert_eq!(web["mountPoints"], json!([]));
    assert_eq!(web["volumesFrom"], json!([]));
}

#[test]
fn multi_container_with_dependencies_and_volumes() {
    let got = check_round_trip(json!({
        "family": "wordpress",
        "networkMode": "bridge",
        "containerDefinitions": [
            {
                "name": "wordpress", "image": "wordpress:6", "memory": 500, "memoryReservation": 256,
                "links": ["mysql:db"],
                "portMappings": [{"containerPort": 80, "hostPort": 80}],
                "dependsOn": [{"containerName": "mysql", "condition": "HEALTHY"}, {"containerName": "init", "condition": "SUCCESS"}],
                "mountPoints": [{"sourceVolume": "uploads", "containerPath": "/var/www/html/wp-content/uploads", "readOnly": false}],
                "volumesFrom": [{"sourceContainer": "init", "readOnly": true}],
                "environment": [{"name": "WORDPRESS_DB_HOST", "value": "db:3306"}]
            },
            {
                "name": "mysql", "image": "mysql:8.0", "memory": 1024,
                "healthCheck": {"command": ["CMD", "mysqladmin", "ping"], "interval": 30, "timeout": 5, "retries": 3},
                "mountPoints": [{"sourceVolume": "db-data", "containerPath": "/var/lib/mysql"}],
                "stopTimeout": 60
            },
            {"name": "init", "image": "busybox", "memory": 32, "essential": false, "command": ["true"]}
        ],
        "volumes": [
            {"name": "uploads", "host": {"sourcePath": "/ecs/uploads"}},
            {"name": "db-data", "dockerVolumeConfiguration": {"scope": "shared", "autoprovision": true, "driver": "local", "labels": {"app": "wp"}}}
        ],
        "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.*"}]
    }));
    let attributes: Vec<&str> = got["requiresAttributes"]
        .as_array()
        .expect("attributes")
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert!(
        attributes.contains(&"ecs.capability.container-ordering"),
        "{attributes:?}"
    );
    assert!(attributes.contains(&"com.amazonaws.ecs.capability.docker-remote-api.1.21"));
}

#[test]
fn fargate_awsvpc_service() {
    let got = check_round_trip(json!({
        "family": "api",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "1024", "memory": "3072",
        "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "taskRoleArn": "arn:aws:iam::123456789012:role/api",
        "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
        "ephemeralStorage": {"sizeInGiB": 30},
        "containerDefinitions": [{
            "name": "api", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "portMappings": [{"containerPort": 8080, "protocol": "tcp", "name": "api-http", "appProtocol": "http"}],
            "readonlyRootFilesystem": true, "user": "1000:1000", "workingDirectory": "/app",
            "restartPolicy": {"enabled": true, "ignoredExitCodes": [0], "restartAttemptPeriod": 120},
            "versionConsistency": "disabled"
        }],
        "enableFaultInjection": false
    }));
    assert_eq!(
        got["containerDefinitions"][0]["portMappings"][0]["hostPort"],
        8080
    );
    assert_eq!(got["compatibilities"], json!(["EC2", "FARGATE"]));
}

#[test]
fn logging_secrets_ulimits_linux_parameters() {
    check_round_trip(json!({
        "family": "worker",
        "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
        "networkMode": "host",
        "pidMode": "task", "ipcMode": "task",
        "containerDefinitions": [{
            "name": "worker", "image": "example.com/worker:2", "memory": 2048, "cpu": 512,
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {"awslogs-group": "/ecs/worker", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "w"},
                "secretOptions": [{"name": "token", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/log-token"}]
            },
            "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"}],
            "environmentFiles": [{"value": "arn:aws:s3:::config/worker.env", "type": "s3"}],
            "ulimits": [{"name": "nofile", "softLimit": 65536, "hardLimit": 65536}],
            "linuxParameters": {
                "capabilities": {"add": ["SYS_PTRACE"], "drop": ["MKNOD"]},
                "devices": [{"hostPath": "/dev/fuse", "containerPath": "/dev/fuse", "permissions": ["read", "write"]}],
                "initProcessEnabled": true, "sharedMemorySize": 256,
                "tmpfs": [{"containerPath": "/scratch", "size": 64, "mountOptions": ["noexec"]}],
                "maxSwap": 1024, "swappiness": 10
            },
            "systemControls": [{"namespace": "kernel.shmmax", "value": "1000000"}],
            "extraHosts": [{"hostname": "metrics", "ipAddress": "10.0.0.5"}],
            "dnsServers": ["10.0.0.2"], "dnsSearchDomains": ["internal"],
            "dockerSecurityOptions": ["no-new-privileges"],
            "privileged": false, "interactive": false, "pseudoTerminal": false, "disableNetworking": false,
            "repositoryCredentials": {"credentialsParameter": "arn:aws:secretsmanager:us-east-1:123456789012:secret:reg"},
            "startTimeout": 30
        }]
    }));
}

#[test]
fn rejects_unknown_enum_values_and_missing_members() {
    let check = |request: Value, message: &str| {
        let got = register(&request);
        assert_eq!(
            got,
            Err(ValidationError {
                kind: ValidationErrorKind::InvalidParameter,
                message: message.to_owned(),
            }),
            "{request}"
        );
    };
    let container = json!({"name": "a", "image": "busybox", "memory": 64});
    check(
        json!({"family": "f", "networkMode": "overlay", "containerDefinitions": [container]}),
        "Invalid value 'overlay' for networkMode. Valid values: bridge, host, awsvpc, none.",
    );
    check(
        json!({"family": "f", "requiresCompatibilities": ["LAMBDA"], "containerDefinitions": [container]}),
        "Invalid value 'LAMBDA' for requiresCompatibilities. Valid values: EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES.",
    );
    check(
        json!({"family": "f", "containerDefinitions": [{"name": "a", "image": "b", "memory": 64, "ulimits": [{"name": "files", "softLimit": 1, "hardLimit": 1}]}]}),
        "Invalid value 'files' for ulimits.name. Valid values: core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack.",
    );
    check(
        json!({"containerDefinitions": [container]}),
        "Missing required parameter 'family'.",
    );
    check(
        json!({"family": "f"}),
        "Missing required parameter 'containerDefinitions'.",
    );
    check(
        json!({"family": "f", "containerDefinitions": [{"name": "a", "image": "b", "memory": 64, "dependsOn": [{"containerName": "x"}]}]}),
        "Missing required parameter 'dependsOn.condition'.",
    );
}
