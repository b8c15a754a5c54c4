//! Table tests of the assignment conversion.
use std::collections::BTreeMap;

use berth_model::task::TaskOverride;
use berth_model::task_definition::{
    ContainerDependency, DockerVolume, EnvironmentVariable, HostVolume, KernelCapabilities,
    TaskDefinition, TaskDefinitionSpec, TaskDefinitionStatus, Volume,
};
use berth_protocol::Assignment;

use super::*;

const ARN: &str = "arn:aws:ecs:us-east-1:000000000000:task/c/0123456789abcdef0123456789abcdef";

fn context() -> ConvertContext<'static> {
    ConvertContext {
        cluster: "c",
        host_id: "i-0123456789abcdef0",
        pull_behavior: PullBehavior::Default,
    }
}

fn definition(containers: Vec<ContainerDefinition>) -> TaskDefinition {
    TaskDefinition {
        spec: TaskDefinitionSpec {
            family: "web".into(),
            containers,
            ..Default::default()
        },
        revision: 4,
        status: TaskDefinitionStatus::Active,
        compatibilities: vec![],
        requires_attributes: vec![],
        registered_at_ms: 0,
        deregistered_at_ms: None,
        delete_requested_at_ms: None,
        registered_by: None,
    }
}

fn container(name: &str) -> ContainerDefinition {
    ContainerDefinition {
        name: name.into(),
        image: "busybox".into(),
        ..Default::default()
    }
}

fn assignment(containers: Vec<ContainerDefinition>) -> Assignment {
    Assignment {
        task_arn: ARN.into(),
        task_id: "0123456789abcdef0123456789abcdef".into(),
        desired_status: berth_model::task::DesiredStatus::Running,
        definition: definition(containers).into(),
        overrides: TaskOverride::default(),
        stop_code: None,
        stopped_reason: None,
        registry_auth: None,
    }
}

fn expected_container(name: &str) -> ContainerSpec {
    ContainerSpec {
        name: name.into(),
        image: "busybox".into(),
        essential: true,
        docker_labels: HashMap::from([(
            LABEL_HOST_ID.to_string(),
            "i-0123456789abcdef0".to_string(),
        )]),
        ..Default::default()
    }
}

fn expected(containers: Vec<ContainerSpec>) -> TaskSpec {
    TaskSpec {
        task_arn: ARN.into(),
        cluster: "c".into(),
        family: "web".into(),
        revision: 4,
        network_mode: NetworkMode::Bridge,
        volumes: vec![],
        containers,
    }
}

fn check(assignment: Assignment, expected: Result<TaskSpec, ConvertError>) {
    assert_eq!(spec_from_assignment(&assignment, &context()), expected);
}

#[test]
fn minimal_definition_gets_defaults() {
    check(
        assignment(vec![container("app")]),
        Ok(expected(vec![expected_container("app")])),
    );
}

#[test]
fn container_members_are_carried_over() {
    let mut def = container("app");
    def.command = Some(vec!["sh".into(), "-c".into(), "echo hi".into()]);
    def.entry_point = Some(vec!["/bin/env".into()]);
    def.environment = Some(vec![
        EnvironmentVariable {
            name: Some("A".into()),
            value: Some("1".into()),
        },
        EnvironmentVariable {
            name: None,
            value: Some("dropped".into()),
        },
        EnvironmentVariable {
            name: Some("EMPTY".into()),
            value: None,
        },
    ]);
    def.working_directory = Some("/srv".into());
    def.user = Some("1000:1000".into());
    def.cpu = Some(256);
    def.memory = Some(128);
    def.memory_reservation = Some(64);
    def.stop_timeout = Some(7);
    def.port_mappings = Some(vec![
        model::PortMapping {
            container_port: Some(80),
            host_port: Some(0),
            protocol: Some(ModelProtocol::Tcp),
            ..Default::default()
        },
        model::PortMapping {
            container_port: Some(53),
            host_port: Some(5353),
            protocol: Some(ModelProtocol::Udp),
            ..Default::default()
        },
    ]);
    def.ulimits = Some(vec![model::Ulimit {
        name: UlimitName::Nofile,
        soft_limit: 1024,
        hard_limit: 4096,
    }]);
    def.linux_parameters = Some(model::LinuxParameters {
        init_process_enabled: Some(true),
        capabilities: Some(KernelCapabilities {
            add: Some(vec!["NET_ADMIN".into()]),
            drop: Some(vec!["MKNOD".into()]),
        }),
        ..Default::default()
    });
    def.health_check = Some(model::HealthCheck {
        command: vec!["CMD-SHELL".into(), "true".into()],
        interval: Some(10),
        timeout: None,
        retries: Some(2),
        start_period: Some(3),
    });
    def.docker_labels = Some(BTreeMap::from([
        ("team".to_string(), "blue".to_string()),
        (LABEL_HOST_ID.to_string(), "spoofed".to_string()),
    ]));
    let mut sidecar = container("sidecar");
    sidecar.essential = Some(false);
    sidecar.depends_on = Some(vec![ContainerDependency {
        container_name: "app".into(),
        condition: ModelCondition::Healthy,
    }]);

    let mut app = expected_container("app");
    app.command = Some(vec!["sh".into(), "-c".into(), "echo hi".into()]);
    app.entry_point = Some(vec!["/bin/env".into()]);
    app.environment = vec![("A".into(), "1".into()), ("EMPTY".into(), String::new())];
    app.working_directory = Some("/srv".into());
    app.user = Some("1000:1000".into());
    app.cpu = Some(256);
    app.memory_mib = Some(128);
    app.memory_reservation_mib = Some(64);
    app.stop_timeout = Some(Duration::from_secs(7));
    app.port_mappings = vec![
        PortMapping {
            container_port: 80,
            host_port: 0,
            protocol: Protocol::Tcp,
        },
        PortMapping {
            container_port: 53,
            host_port: 5353,
            protocol: Protocol::Udp,
        },
    ];
    app.ulimits = vec![Ulimit {
        name: "nofile".into(),
        soft_limit: 1024,
        hard_limit: 4096,
    }];
    app.linux_parameters = LinuxParameters {
        init_process_enabled: true,
        capabilities_add: vec!["NET_ADMIN".into()],
        capabilities_drop: vec!["MKNOD".into()],
    };
    app.health_check = Some(HealthCheck {
        command: vec!["CMD-SHELL".into(), "true".into()],
        interval: Duration::from_secs(10),
        timeout: Duration::from_secs(5),
        retries: 2,
        start_period: Some(Duration::from_secs(3)),
    });
    app.docker_labels
        .insert("team".to_string(), "blue".to_string());
    let mut side = expected_container("sidecar");
    side.essential = false;
    side.depends_on = vec![Dependency {
        container_name: "app".into(),
        condition: DependencyCondition::Healthy,
    }];
    check(
        assignment(vec![def, sidecar]),
        Ok(expected(vec![app, side])),
    );
}

#[test]
fn overrides_replace_command_and_merge_environment() {
    let mut def = container("app");
    def.command = Some(vec!["old".into()]);
    def.environment = Some(vec![
        EnvironmentVariable {
            name: Some("KEEP".into()),
            value: Some("k".into()),
        },
        EnvironmentVariable {
            name: Some("CHANGE".into()),
            value: Some("before".into()),
        },
    ]);
    def.memory = Some(128);
    let mut input = assignment(vec![def, container("other")]);
    input.overrides.container_overrides = vec![ContainerOverride {
        name: "app".into(),
        command: Some(vec!["new".into()]),
        environment: vec![
            ("CHANGE".into(), "after".into()),
            ("ADDED".into(), "a".into()),
        ],
        cpu: Some(512),
        memory: Some(256),
        memory_reservation: Some(32),
    }];
    let mut app = expected_container("app");
    app.command = Some(vec!["new".into()]);
    app.environment = vec![
        ("KEEP".into(), "k".into()),
        ("CHANGE".into(), "after".into()),
        ("ADDED".into(), "a".into()),
    ];
    app.cpu = Some(512);
    app.memory_mib = Some(256);
    app.memory_reservation_mib = Some(32);
    check(input, Ok(expected(vec![app, expected_container("other")])));

    let mut unknown = assignment(vec![container("app")]);
    unknown.overrides.container_overrides = vec![ContainerOverride {
        name: "ghost".into(),
        ..Default::default()
    }];
    check(unknown, Err(ConvertError::UnknownOverride("ghost".into())));
}

#[test]
fn network_modes_and_port_mappings() {
    let mapped = |host_port: Option<i32>| {
        let mut def = container("app");
        def.port_mappings = Some(vec![model::PortMapping {
            container_port: Some(8080),
            host_port,
            ..Default::default()
        }]);
        def
    };
    let with_mode = |mode: ModelNetworkMode, def: ContainerDefinition| {
        let mut a = assignment(vec![def]);
        a.definition.make_mut().spec.network_mode = Some(mode);
        a
    };
    let expected_mapped = |mode: NetworkMode, host_port: u16| {
        let mut app = expected_container("app");
        app.port_mappings = vec![PortMapping {
            container_port: 8080,
            host_port,
            protocol: Protocol::Tcp,
        }];
        let mut spec = expected(vec![app]);
        spec.network_mode = mode;
        spec
    };
    check(
        with_mode(ModelNetworkMode::Host, mapped(Some(9999))),
        Ok(expected_mapped(NetworkMode::Host, 8080)),
    );
    check(
        with_mode(ModelNetworkMode::Bridge, mapped(None)),
        Ok(expected_mapped(NetworkMode::Bridge, 0)),
    );
    check(
        with_mode(ModelNetworkMode::None, mapped(Some(81))),
        Ok(expected_mapped(NetworkMode::None, 81)),
    );
    check(
        with_mode(ModelNetworkMode::Awsvpc, container("app")),
        Err(ConvertError::UnsupportedNetworkMode("awsvpc")),
    );
    let mut range = container("app");
    range.port_mappings = Some(vec![model::PortMapping {
        container_port_range: Some("8000-8010".into()),
        ..Default::default()
    }]);
    check(
        assignment(vec![range]),
        Err(ConvertError::BadPortMapping {
            container: "app".into(),
            detail: "container port range 8000-8010".into(),
        }),
    );
    check(
        assignment(vec![mapped(Some(70000))]),
        Err(ConvertError::BadPortMapping {
            container: "app".into(),
            detail: "host port 70000".into(),
        }),
    );
}

#[test]
fn volumes_and_mount_points() {
    let mut def = container("app");
    def.mount_points = Some(vec![
        model::MountPoint {
            source_volume: Some("host".into()),
            container_path: Some("/h".into()),
            read_only: Some(true),
        },
        model::MountPoint {
            source_volume: Some("shared".into()),
            container_path: Some("/s".into()),
            read_only: None,
        },
    ]);
    let mut input = assignment(vec![def]);
    input.definition.make_mut().spec.volumes = Some(vec![
        Volume {
            name: Some("host".into()),
            host: Some(HostVolume {
                source_path: Some("/var/data".into()),
            }),
            ..Default::default()
        },
        Volume {
            name: Some("scratch".into()),
            ..Default::default()
        },
        Volume {
            name: Some("shared".into()),
            docker_volume: Some(DockerVolume {
                scope: Some(DockerVolumeScope::Shared),
                driver: Some("local".into()),
                driver_opts: Some(BTreeMap::from([("type".into(), "tmpfs".into())])),
                labels: None,
                autoprovision: Some(true),
            }),
            ..Default::default()
        },
    ]);
    let mut app = expected_container("app");
    app.mount_points = vec![
        MountPoint {
            source_volume: "host".into(),
            container_path: "/h".into(),
            read_only: true,
        },
        MountPoint {
            source_volume: "shared".into(),
            container_path: "/s".into(),
            read_only: false,
        },
    ];
    let mut spec = expected(vec![app]);
    spec.volumes = vec![
        VolumeSpec {
            name: "host".into(),
            kind: VolumeKind::Host {
                source_path: Some("/var/data".into()),
            },
        },
        VolumeSpec {
            name: "scratch".into(),
            kind: VolumeKind::Host { source_path: None },
        },
        VolumeSpec {
            name: "shared".into(),
            kind: VolumeKind::Docker {
                scope: VolumeScope::Shared,
                driver: Some("local".into()),
                driver_opts: HashMap::from([("type".into(), "tmpfs".into())]),
                labels: HashMap::new(),
            },
        },
    ];
    check(input, Ok(spec));

    let mut efs = assignment(vec![container("app")]);
    efs.definition.make_mut().spec.volumes = Some(vec![Volume {
        name: Some("nfs".into()),
        efs: Some(Default::default()),
        ..Default::default()
    }]);
    check(
        efs,
        Err(ConvertError::UnsupportedVolume {
            name: "nfs".into(),
            kind: "efs",
        }),
    );
    let mut unnamed = assignment(vec![container("app")]);
    unnamed.definition.make_mut().spec.volumes = Some(vec![Volume::default()]);
    check(unnamed, Err(ConvertError::UnnamedVolume { index: 0 }));
    let mut missing = container("app");
    missing.mount_points = Some(vec![model::MountPoint {
        source_volume: Some("x".into()),
        ..Default::default()
    }]);
    check(
        assignment(vec![missing]),
        Err(ConvertError::IncompleteMountPoint {
            container: "app".into(),
        }),
    );
    let mut unknown_volume = container("app");
    unknown_volume.mount_points = Some(vec![model::MountPoint {
        source_volume: Some("x".into()),
        container_path: Some("/x".into()),
        read_only: None,
    }]);
    check(
        assignment(vec![unknown_volume]),
        Err(ConvertError::Spec(SpecError::UnknownVolume {
            container: "app".into(),
            volume: "x".into(),
        })),
    );
}

#[test]
fn no_essential_container_is_refused() {
    let mut def = container("app");
    def.essential = Some(false);
    check(
        assignment(vec![def]),
        Err(ConvertError::Spec(SpecError::NoEssentialContainer)),
    );
}

#[test]
fn registry_credentials_follow_the_image_host() {
    let cases = [
        ("registry.local:4510/app:1", "registry.local:4510", true),
        (
            "REGISTRY.local:4510/app",
            "http://registry.local:4510/",
            true,
        ),
        ("registry.local:4511/app", "registry.local:4510", false),
        ("busybox", "registry.local:4510", false),
        ("library/busybox", "docker.io", true),
        ("localhost/app", "localhost", true),
    ];
    for (image, server, expected) in cases {
        assert_eq!(
            registry_matches(image, server),
            expected,
            "{image} {server}"
        );
    }
    let mut private = container("app");
    private.image = "127.0.0.1:4510/app:1".into();
    let mut input = assignment(vec![private, container("public")]);
    input.registry_auth = Some(RegistryCredentials {
        server_address: "127.0.0.1:4510".into(),
        username: "AWS".into(),
        password: "token".into(),
    });
    let spec = spec_from_assignment(&input, &context()).expect("converts");
    assert_eq!(
        spec.containers
            .iter()
            .map(|c| c.registry_auth.as_ref().map(|a| a.password.as_str()))
            .collect::<Vec<_>>(),
        vec![Some("token"), None]
    );
}
