//! Table of registration cases: one per rule, each with the exact kind and
//! message expected.

use super::super::*;
use super::validate;
use crate::validation::{ValidationError, ValidationErrorKind};

fn container(name: &str) -> ContainerDefinition {
    ContainerDefinition {
        name: name.to_owned(),
        image: "nginx:1.27".to_owned(),
        memory: Some(256),
        ..ContainerDefinition::default()
    }
}

fn base() -> TaskDefinitionSpec {
    TaskDefinitionSpec {
        family: "web".to_owned(),
        containers: vec![container("web")],
        ..TaskDefinitionSpec::default()
    }
}

fn fargate() -> TaskDefinitionSpec {
    TaskDefinitionSpec {
        network_mode: Some(NetworkMode::Awsvpc),
        requires_compatibilities: Some(vec![Compatibility::Fargate]),
        cpu: Some("256".to_owned()),
        memory: Some("512".to_owned()),
        ..base()
    }
}

fn port(container_port: i32, host_port: Option<i32>) -> PortMapping {
    PortMapping {
        container_port: Some(container_port),
        host_port,
        ..PortMapping::default()
    }
}

fn dep(name: &str, condition: DependencyCondition) -> ContainerDependency {
    ContainerDependency {
        container_name: name.to_owned(),
        condition,
    }
}

type Case = (&'static str, TaskDefinitionSpec, Option<&'static str>);

fn check(cases: Vec<Case>, kind: ValidationErrorKind) {
    for (label, spec, expected) in cases {
        let got = validate(&spec, 1000);
        let expected = expected.map_or(Ok(()), |message| {
            Err(ValidationError {
                kind,
                message: message.to_owned(),
            })
        });
        assert_eq!(got, expected, "case {label}");
    }
}

fn with(
    spec: TaskDefinitionSpec,
    edit: impl FnOnce(&mut TaskDefinitionSpec),
) -> TaskDefinitionSpec {
    let mut spec = spec;
    edit(&mut spec);
    spec
}

fn with_web(
    spec: TaskDefinitionSpec,
    edit: impl FnOnce(&mut ContainerDefinition),
) -> TaskDefinitionSpec {
    with(spec, |s| edit(&mut s.containers[0]))
}

#[test]
fn task_level_rules() {
    let eleven = (0..11).map(|i| container(&format!("c{i}"))).collect();
    check(
        vec![
            ("valid bridge", base(), None),
            ("valid fargate", fargate(), None),
            (
                "family empty",
                with(base(), |s| s.family.clear()),
                Some("Family should not be null or empty."),
            ),
            (
                "family chars",
                with(base(), |s| s.family = "a.b".into()),
                Some(
                    "Family must be 1-255 characters: letters (uppercase and lowercase), numbers, hyphens and underscores.",
                ),
            ),
            (
                "no containers",
                with(base(), |s| s.containers.clear()),
                Some("Task definition must contain at least one container definition."),
            ),
            (
                "eleven containers",
                with(base(), |s| s.containers = eleven),
                Some("Too many containers: a task definition can have at most 10."),
            ),
            (
                "duplicate names",
                with(base(), |s| s.containers.push(container("web"))),
                Some(
                    "Duplicate container name 'web'. Container names must be unique within a task definition.",
                ),
            ),
            (
                "container name",
                with_web(base(), |c| c.name = "a b".into()),
                Some(
                    "Container name must be 1-255 characters: letters (uppercase and lowercase), numbers, hyphens and underscores.",
                ),
            ),
            (
                "no essential",
                with_web(base(), |c| c.essential = Some(false)),
                Some("Task definition must have at least one essential container."),
            ),
            (
                "cpu text",
                with(base(), |s| s.cpu = Some("lots".into())),
                Some("Invalid 'cpu' setting for task."),
            ),
            (
                "cpu vcpu ok",
                with(base(), |s| s.cpu = Some("1 vCPU".into())),
                None,
            ),
            (
                "cpu low",
                with(base(), |s| s.cpu = Some("64".into())),
                Some(
                    "Invalid 'cpu' setting for task. Supported values are between 128 and 196608 CPU units.",
                ),
            ),
            (
                "cpu high",
                with(base(), |s| s.cpu = Some("196609".into())),
                Some(
                    "Invalid 'cpu' setting for task. Supported values are between 128 and 196608 CPU units.",
                ),
            ),
            (
                "memory text",
                with(base(), |s| s.memory = Some("2 TB".into())),
                Some("Invalid 'memory' setting for task."),
            ),
            (
                "memory tiny",
                with(base(), |s| s.memory = Some("4".into())),
                Some("Invalid 'memory' setting for task. The minimum is 6 MiB."),
            ),
            (
                "memory gb ok",
                with(base(), |s| s.memory = Some("1GB".into())),
                None,
            ),
            (
                "cpu sum",
                with(with_web(base(), |c| c.cpu = Some(512)), |s| {
                    s.cpu = Some("256".into())
                }),
                Some(
                    "Invalid 'cpu' setting for task. The sum of container cpu values (512) exceeds the task cpu (256).",
                ),
            ),
            (
                "container memory over task",
                with(base(), |s| s.memory = Some("128".into())),
                Some(
                    "Invalid 'memory' setting for container 'web'. The container memory exceeds the task memory (128 MiB).",
                ),
            ),
            (
                "memory sum",
                with(base(), |s| {
                    s.memory = Some("300".into());
                    s.containers.push(container("side"));
                }),
                Some(
                    "Invalid 'memory' setting for task. The sum of container memory reservations (512 MiB) exceeds the task memory (300 MiB).",
                ),
            ),
            ("document size", base(), None),
            (
                "ephemeral storage",
                with(fargate(), |s| {
                    s.ephemeral_storage = Some(EphemeralStorage { size_in_gib: 20 })
                }),
                Some(
                    "Invalid 'ephemeralStorage' setting for task. The size must be between 21 and 200 GiB.",
                ),
            ),
            (
                "ephemeral ok",
                with(fargate(), |s| {
                    s.ephemeral_storage = Some(EphemeralStorage { size_in_gib: 200 })
                }),
                None,
            ),
            (
                "distinctInstance",
                with(base(), |s| {
                    s.placement_constraints = Some(vec![PlacementConstraint {
                        constraint_type: PlacementConstraintType::DistinctInstance,
                        expression: None,
                    }])
                }),
                Some(
                    "Only placement constraints of type 'memberOf' are supported in a task definition.",
                ),
            ),
            (
                "eleven constraints",
                with(base(), |s| {
                    s.placement_constraints = Some(vec![
                        PlacementConstraint {
                            constraint_type: PlacementConstraintType::MemberOf,
                            expression: Some("attribute:ecs.os-type == linux".into()),
                        };
                        11
                    ])
                }),
                Some("Too many placement constraints: at most 10 are allowed."),
            ),
            (
                "memberOf without expression",
                with(base(), |s| {
                    s.placement_constraints = Some(vec![PlacementConstraint {
                        constraint_type: PlacementConstraintType::MemberOf,
                        expression: None,
                    }])
                }),
                Some("A 'memberOf' placement constraint requires an expression."),
            ),
            (
                "unknown volume",
                with_web(base(), |c| {
                    c.mount_points = Some(vec![MountPoint {
                        source_volume: Some("data".into()),
                        container_path: Some("/data".into()),
                        read_only: None,
                    }])
                }),
                Some(
                    "Invalid 'mountPoints' setting for container 'web'. Source volume 'data' is not defined in the task definition's volumes.",
                ),
            ),
            (
                "duplicate volume",
                with(base(), |s| {
                    let volume = Volume {
                        name: Some("data".into()),
                        ..Volume::default()
                    };
                    s.volumes = Some(vec![volume.clone(), volume]);
                }),
                Some(
                    "Duplicate volume name 'data'. Volume names must be unique within a task definition.",
                ),
            ),
            (
                "proxy container",
                with(fargate(), |s| {
                    s.proxy_configuration = Some(ProxyConfiguration {
                        proxy_type: None,
                        container_name: "envoy".into(),
                        properties: None,
                    })
                }),
                Some(
                    "Proxy configuration names container 'envoy', which is not defined in the task definition.",
                ),
            ),
        ],
        ValidationErrorKind::Client,
    );
    let too_big = validate(&base(), MAX_DOCUMENT_BYTES + 1);
    assert_eq!(
        too_big,
        Err(ValidationError::client(
            "Task definition size is 65537 bytes; the maximum is 65536 bytes."
        ))
    );
}

#[test]
fn fargate_rules() {
    check(
        vec![
            (
                "bridge",
                with(fargate(), |s| s.network_mode = None),
                Some("Fargate only supports network mode 'awsvpc'."),
            ),
            (
                "no cpu",
                with(fargate(), |s| s.cpu = None),
                Some("Fargate requires that 'cpu' be defined at the task level."),
            ),
            (
                "no memory",
                with(fargate(), |s| s.memory = None),
                Some("Fargate requires that 'memory' be defined at the task level."),
            ),
            (
                "bad pair",
                with(fargate(), |s| s.memory = Some("4096".into())),
                Some("No Fargate configuration exists for given values."),
            ),
            (
                "16 vCPU",
                with(fargate(), |s| {
                    s.cpu = Some("16 vCPU".into());
                    s.memory = Some("120GB".into());
                }),
                None,
            ),
            (
                "8 vCPU off step",
                with(fargate(), |s| {
                    s.cpu = Some("8192".into());
                    s.memory = Some("17408".into());
                }),
                Some("No Fargate configuration exists for given values."),
            ),
            (
                "pid host",
                with(fargate(), |s| s.pid_mode = Some(PidMode::Host)),
                Some("Fargate does not support pidMode 'host'."),
            ),
            (
                "ipc",
                with(fargate(), |s| s.ipc_mode = Some(IpcMode::Task)),
                Some("Fargate does not support ipcMode."),
            ),
            (
                "constraints",
                with(fargate(), |s| {
                    s.placement_constraints = Some(vec![PlacementConstraint {
                        constraint_type: PlacementConstraintType::MemberOf,
                        expression: Some("attribute:ecs.os-type == linux".into()),
                    }])
                }),
                Some("Fargate does not support placement constraints."),
            ),
            (
                "privileged",
                with_web(fargate(), |c| c.privileged = Some(true)),
                Some("Fargate does not support privileged containers ('web')."),
            ),
            (
                "stop timeout",
                with_web(fargate(), |c| c.stop_timeout = Some(121)),
                Some(
                    "Fargate requires startTimeout and stopTimeout between 2 and 120 seconds ('web').",
                ),
            ),
            (
                "awslogs without execution role",
                with_web(fargate(), |c| {
                    c.log_configuration = Some(LogConfiguration {
                        log_driver: LogDriver::Awslogs,
                        options: None,
                        secret_options: None,
                    })
                }),
                Some(
                    "Fargate requires task definition to have execution role ARN to support log driver awslogs.",
                ),
            ),
            (
                "ecr without execution role",
                with_web(fargate(), |c| {
                    c.image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1".into()
                }),
                Some(
                    "Fargate requires task definition to have execution role ARN to support ECR images.",
                ),
            ),
            (
                "external awsvpc",
                with(fargate(), |s| {
                    s.requires_compatibilities = Some(vec![Compatibility::External])
                }),
                Some("EXTERNAL does not support network mode 'awsvpc'."),
            ),
        ],
        ValidationErrorKind::Client,
    );
}

#[test]
fn container_rules() {
    let digest = format!("nginx@sha256:{}", "a".repeat(64));
    let health = |command: &[&str]| HealthCheck {
        command: command.iter().map(|s| s.to_string()).collect(),
        ..HealthCheck::default()
    };
    let two = |spec: TaskDefinitionSpec| with(spec, |s| s.containers.push(container("db")));
    check(
        vec![
            (
                "image empty",
                with_web(base(), |c| c.image.clear()),
                Some("Container.image should not be null or empty."),
            ),
            (
                "image chars",
                with_web(base(), |c| c.image = "nginx latest".into()),
                Some("Container.image contains invalid characters."),
            ),
            (
                "image long",
                with_web(base(), |c| c.image = "a".repeat(256)),
                Some("Container.image must be 1-255 characters (the part before '@' for digests)."),
            ),
            (
                "digest ok",
                with_web(base(), |c| c.image = digest.clone()),
                None,
            ),
            (
                "digest short",
                with_web(base(), |c| c.image = "nginx@sha256:abc".into()),
                Some(
                    "Container.image digest must be 'sha256:' followed by exactly 64 hexadecimal characters.",
                ),
            ),
            (
                "no memory on ec2",
                with_web(base(), |c| c.memory = None),
                Some(
                    "Invalid setting for container 'web'. At least one of 'memory' or 'memoryReservation' must be specified.",
                ),
            ),
            (
                "reservation only",
                with_web(base(), |c| {
                    c.memory = None;
                    c.memory_reservation = Some(128);
                }),
                None,
            ),
            (
                "task memory covers",
                with(with_web(base(), |c| c.memory = None), |s| {
                    s.memory = Some("512".into())
                }),
                None,
            ),
            (
                "hard below soft",
                with_web(base(), |c| c.memory_reservation = Some(256)),
                Some(
                    "Invalid 'memory' setting for container 'web'. 'memory' must be greater than 'memoryReservation'.",
                ),
            ),
            (
                "memory 5",
                with_web(base(), |c| c.memory = Some(5)),
                Some("Invalid 'memory' setting for container 'web'. The minimum is 6 MiB."),
            ),
            (
                "cpu negative",
                with_web(base(), |c| c.cpu = Some(-1)),
                Some("Invalid 'cpu' setting for container 'web'. The value must not be negative."),
            ),
            (
                "none with ports",
                with(
                    with_web(base(), |c| c.port_mappings = Some(vec![port(80, None)])),
                    |s| s.network_mode = Some(NetworkMode::None),
                ),
                Some("When networkMode=none, containers cannot have port mappings."),
            ),
            (
                "awsvpc host port",
                with_web(fargate(), |c| {
                    c.port_mappings = Some(vec![port(80, Some(8080))])
                }),
                Some(
                    "When networkMode=awsvpc, the host ports and container ports in port mappings must match.",
                ),
            ),
            (
                "host host port",
                with(
                    with_web(base(), |c| c.port_mappings = Some(vec![port(80, Some(81))])),
                    |s| s.network_mode = Some(NetworkMode::Host),
                ),
                Some(
                    "When networkMode=host, the host ports and container ports in port mappings must match.",
                ),
            ),
            (
                "bridge dynamic",
                with_web(base(), |c| {
                    c.port_mappings = Some(vec![port(80, Some(0)), port(443, Some(8443))])
                }),
                None,
            ),
            (
                "two protocols",
                with_web(base(), |c| {
                    let mut udp = port(53, None);
                    udp.protocol = Some(Protocol::Udp);
                    c.port_mappings = Some(vec![port(53, None), udp]);
                }),
                Some(
                    "Invalid 'portMappings' setting for container 'web'. Container port 53 cannot be mapped for two protocols.",
                ),
            ),
            (
                "range on host",
                with(
                    with_web(base(), |c| {
                        c.port_mappings = Some(vec![PortMapping {
                            container_port_range: Some("8000-8010".into()),
                            ..PortMapping::default()
                        }])
                    }),
                    |s| s.network_mode = Some(NetworkMode::Host),
                ),
                Some(
                    "Invalid 'portMappings' setting for container 'web'. containerPortRange is only supported when networkMode is bridge or awsvpc.",
                ),
            ),
            (
                "range reversed",
                with_web(base(), |c| {
                    c.port_mappings = Some(vec![PortMapping {
                        container_port_range: Some("9000-8000".into()),
                        ..PortMapping::default()
                    }])
                }),
                Some(
                    "Invalid 'portMappings' setting for container 'web'. containerPortRange must be 'first-last' with 1 <= first < last <= 65535.",
                ),
            ),
            (
                "range overlaps port",
                with_web(base(), |c| {
                    c.port_mappings = Some(vec![
                        port(8005, None),
                        PortMapping {
                            container_port_range: Some("8000-8010".into()),
                            ..PortMapping::default()
                        },
                    ])
                }),
                Some(
                    "Invalid 'portMappings' setting for container 'web'. Container port 8005 is mapped more than once.",
                ),
            ),
            (
                "port name",
                with_web(base(), |c| {
                    c.port_mappings = Some(vec![PortMapping {
                        name: Some("-Web".into()),
                        ..port(80, None)
                    }])
                }),
                Some(
                    "Invalid 'portMappings' setting for container 'web'. A port mapping name is up to 64 lowercase letters, numbers, underscores and hyphens, and cannot start with a hyphen.",
                ),
            ),
            (
                "links on awsvpc",
                with_web(two(fargate()), |c| c.links = Some(vec!["db".into()])),
                Some("Links are only supported when networkMode=bridge."),
            ),
            (
                "links ok",
                with_web(two(base()), |c| c.links = Some(vec!["db:database".into()])),
                None,
            ),
            (
                "hostname awsvpc",
                with_web(fargate(), |c| c.hostname = Some("web".into())),
                Some("The 'hostname' parameter is not supported when networkMode=awsvpc."),
            ),
            (
                "depends on unknown",
                with_web(base(), |c| {
                    c.depends_on = Some(vec![dep("db", DependencyCondition::Start)])
                }),
                Some(
                    "Invalid 'dependsOn' setting for container 'web'. Container 'db' is not another container of the task definition.",
                ),
            ),
            (
                "complete on essential",
                with_web(two(base()), |c| {
                    c.depends_on = Some(vec![dep("db", DependencyCondition::Complete)])
                }),
                Some(
                    "Invalid 'dependsOn' setting for container 'web'. The COMPLETE and SUCCESS conditions cannot be used on essential container 'db'.",
                ),
            ),
            (
                "success on non-essential",
                with(
                    with_web(two(base()), |c| {
                        c.depends_on = Some(vec![dep("db", DependencyCondition::Success)])
                    }),
                    |s| s.containers[1].essential = Some(false),
                ),
                None,
            ),
            (
                "healthy needs check",
                with_web(two(base()), |c| {
                    c.depends_on = Some(vec![dep("db", DependencyCondition::Healthy)])
                }),
                Some(
                    "Invalid 'dependsOn' setting for container 'web'. The HEALTHY condition requires container 'db' to have a healthCheck.",
                ),
            ),
            (
                "cycle",
                with(
                    with_web(two(base()), |c| {
                        c.depends_on = Some(vec![dep("db", DependencyCondition::Start)])
                    }),
                    |s| {
                        s.containers[1].depends_on =
                            Some(vec![dep("web", DependencyCondition::Start)])
                    },
                ),
                Some(
                    "Invalid 'dependsOn' setting for container 'web'. Container dependencies form a cycle.",
                ),
            ),
            (
                "health command",
                with_web(base(), |c| {
                    c.health_check = Some(health(&["curl", "-f", "localhost"]))
                }),
                Some(
                    "Invalid 'healthCheck' setting for container 'web'. The command must start with CMD or CMD-SHELL followed by the command to run.",
                ),
            ),
            (
                "health ok",
                with_web(base(), |c| {
                    c.health_check = Some(health(&["CMD-SHELL", "curl -f localhost || exit 1"]))
                }),
                None,
            ),
            (
                "health interval",
                with_web(base(), |c| {
                    c.health_check = Some(HealthCheck {
                        interval: Some(4),
                        ..health(&["CMD", "true"])
                    })
                }),
                Some(
                    "Invalid 'healthCheck' setting for container 'web'. 'interval' must be between 5 and 300.",
                ),
            ),
            (
                "health retries",
                with_web(base(), |c| {
                    c.health_check = Some(HealthCheck {
                        retries: Some(11),
                        ..health(&["CMD", "true"])
                    })
                }),
                Some(
                    "Invalid 'healthCheck' setting for container 'web'. 'retries' must be between 1 and 10.",
                ),
            ),
            (
                "ulimit soft over hard",
                with_web(base(), |c| {
                    c.ulimits = Some(vec![Ulimit {
                        name: UlimitName::Nofile,
                        soft_limit: 10,
                        hard_limit: 5,
                    }])
                }),
                Some(
                    "Invalid 'ulimits' setting for container 'web'. softLimit must not exceed hardLimit.",
                ),
            ),
            (
                "env name",
                with_web(base(), |c| {
                    c.environment = Some(vec![EnvironmentVariable {
                        name: Some("A=B".into()),
                        value: None,
                    }])
                }),
                Some(
                    "Invalid 'environment' setting for container 'web'. Environment variable names must be non-empty and contain no '=' or NUL.",
                ),
            ),
            (
                "env file extension",
                with_web(base(), |c| {
                    c.environment_files = Some(vec![EnvironmentFile {
                        value: "arn:aws:s3:::bucket/app.txt".into(),
                        file_type: EnvironmentFileType::S3,
                    }])
                }),
                Some(
                    "Invalid 'environmentFiles' setting for container 'web'. Environment files must have the .env extension.",
                ),
            ),
            (
                "restart period",
                with_web(base(), |c| {
                    c.restart_policy = Some(RestartPolicy {
                        enabled: true,
                        ignored_exit_codes: None,
                        restart_attempt_period: Some(59),
                    })
                }),
                Some(
                    "Invalid 'restartPolicy' setting for container 'web'. restartAttemptPeriod must be between 60 and 1800 seconds.",
                ),
            ),
            (
                "firelens missing",
                with_web(base(), |c| {
                    c.log_configuration = Some(LogConfiguration {
                        log_driver: LogDriver::Awsfirelens,
                        options: None,
                        secret_options: None,
                    })
                }),
                Some(
                    "Invalid 'logConfiguration' setting for container 'web'. The awsfirelens log driver needs a container with a firelensConfiguration.",
                ),
            ),
            (
                "gpu count",
                with_web(base(), |c| {
                    c.resource_requirements = Some(vec![ResourceRequirement {
                        value: "zero".into(),
                        resource_type: ResourceType::Gpu,
                    }])
                }),
                Some("Invalid 'resourceRequirements' setting for container 'web'."),
            ),
        ],
        ValidationErrorKind::Client,
    );
}

#[test]
fn registration_fills_defaults_and_computes() {
    let spec = with_web(fargate(), |c| {
        c.port_mappings = Some(vec![port(80, None)]);
        c.health_check = Some(HealthCheck {
            command: vec!["CMD".into(), "true".into()],
            ..HealthCheck::default()
        });
    });
    let spec = with(spec, |s| {
        s.cpu = Some(".25 vCPU".into());
        s.memory = Some("0.5GB".into());
        s.task_role_arn = Some("arn:aws:iam::1:role/app".into());
    });
    let registration = Registration {
        revision: 3,
        registered_at_ms: 1_700_000_000_123,
        registered_by: None,
        document_bytes: 900,
    };
    let registered = TaskDefinition::register(spec, registration).expect("valid");
    let web = &registered.spec.containers[0];
    assert_eq!(registered.spec.cpu.as_deref(), Some("256"));
    assert_eq!(registered.spec.memory.as_deref(), Some("512"));
    assert_eq!(web.cpu, Some(0));
    assert_eq!(web.essential, Some(true));
    assert_eq!(web.environment, Some(vec![]));
    let mapping = &web.port_mappings.as_ref().expect("ports")[0];
    assert_eq!(
        (mapping.host_port, mapping.protocol),
        (Some(80), Some(Protocol::Tcp))
    );
    let check = web.health_check.as_ref().expect("check");
    assert_eq!(
        (
            check.interval,
            check.timeout,
            check.retries,
            check.start_period
        ),
        (Some(30), Some(5), Some(3), None)
    );
    assert_eq!(
        registered.compatibilities,
        vec![Compatibility::Ec2, Compatibility::Fargate]
    );
    let names: Vec<&str> = registered
        .requires_attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(
        names,
        vec![
            "com.amazonaws.ecs.capability.docker-remote-api.1.24",
            "com.amazonaws.ecs.capability.task-iam-role",
            "ecs.capability.container-health-check",
            "ecs.capability.task-eni",
        ]
    );
    let bridge = TaskDefinition::register(
        with_web(base(), |c| c.port_mappings = Some(vec![port(80, None)])),
        Registration {
            revision: 1,
            registered_at_ms: 0,
            registered_by: None,
            document_bytes: 10,
        },
    )
    .expect("valid");
    assert_eq!(
        bridge.spec.containers[0]
            .port_mappings
            .as_ref()
            .expect("ports")[0]
            .host_port,
        Some(0)
    );
    assert_eq!(bridge.spec.network_mode, None);
    assert_eq!(
        bridge.compatibilities,
        vec![Compatibility::Ec2, Compatibility::External]
    );
}
