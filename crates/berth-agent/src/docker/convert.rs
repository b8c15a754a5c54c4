//! Pure conversions between the agent's types and Docker Engine API shapes:
//! the container create body (labels, cgroup limits, ports, mounts, health
//! check), container names, image references, port bindings and timestamps.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use bollard::models::{
    ContainerCreateBody, HealthConfig, HostConfig, Mount, MountType, MountVolumeOptions,
    MountVolumeOptionsDriverConfig, PortBinding, PortMap, ResourcesUlimits,
};

use crate::spec::{ContainerSpec, NetworkMode, Protocol, TaskSpec, VolumeKind, VolumeScope};
use crate::state::NetworkBinding;

/// Label: cluster (as the ECS agent sets it).
pub const LABEL_CLUSTER: &str = "com.amazonaws.ecs.cluster";
/// Label: task ARN.
pub const LABEL_TASK_ARN: &str = "com.amazonaws.ecs.task-arn";
/// Label: container name from the task definition.
pub const LABEL_CONTAINER_NAME: &str = "com.amazonaws.ecs.container-name";
/// Label: task definition family.
pub const LABEL_FAMILY: &str = "com.amazonaws.ecs.task-definition-family";
/// Label: task definition revision.
pub const LABEL_VERSION: &str = "com.amazonaws.ecs.task-definition-version";
/// Label marking a container as Berth's; its value is [`MANAGED_VALUE`].
pub const LABEL_MANAGED: &str = "berth.managed";
/// Value of [`LABEL_MANAGED`].
pub const MANAGED_VALUE: &str = "true";

/// Smallest and largest CpuShares the Linux kernel accepts; the ECS agent
/// clamps to this range, so an unset or zero `cpu` becomes 2.
const MIN_CPU_SHARES: i64 = 2;
const MAX_CPU_SHARES: i64 = 262_144;

const MIB: i64 = 1024 * 1024;

/// The Docker name of a task's container: `berth-<family>-<rev>-<name>-<task id>`,
/// restricted to the characters Docker allows.
pub fn docker_container_name(task: &TaskSpec, container: &ContainerSpec) -> String {
    let raw = format!(
        "berth-{}-{}-{}-{}",
        task.family,
        task.revision,
        container.name,
        task.task_id()
    );
    sanitize_name(&raw)
}

/// The Docker volume name of a task-scoped volume.
pub fn docker_volume_name(task: &TaskSpec, volume_name: &str) -> String {
    sanitize_name(&format!("berth-{}-{}", task.task_id(), volume_name))
}

fn sanitize_name(raw: &str) -> String {
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Labels of a task's container: the user's `dockerLabels`, overridden by
/// the ECS agent's labels and Berth's marker.
pub fn container_labels(task: &TaskSpec, container: &ContainerSpec) -> HashMap<String, String> {
    let mut labels = container.docker_labels.clone();
    for (key, value) in [
        (LABEL_CLUSTER, task.cluster.clone()),
        (LABEL_TASK_ARN, task.task_arn.clone()),
        (LABEL_CONTAINER_NAME, container.name.clone()),
        (LABEL_FAMILY, task.family.clone()),
        (LABEL_VERSION, task.revision.to_string()),
        (LABEL_MANAGED, MANAGED_VALUE.to_string()),
    ] {
        labels.insert(key.to_string(), value);
    }
    labels
}

fn duration_nanos(duration: Duration) -> i64 {
    i64::try_from(duration.as_nanos()).unwrap_or(i64::MAX)
}

/// Docker's key for a port: `8080/tcp`.
pub fn port_key(port: u16, protocol: Protocol) -> String {
    format!("{port}/{}", protocol.as_str())
}

/// The `POST /containers/create` body for one container of a task.
pub fn build_create_body(task: &TaskSpec, container: &ContainerSpec) -> ContainerCreateBody {
    let healthcheck = match &container.health_check {
        Some(check) => HealthConfig {
            test: Some(check.command.clone()),
            interval: Some(duration_nanos(check.interval)),
            timeout: Some(duration_nanos(check.timeout)),
            retries: Some(i64::from(check.retries)),
            start_period: check.start_period.map(duration_nanos),
            start_interval: None,
        },
        // ECS ignores health checks baked into the image.
        None => HealthConfig {
            test: Some(vec!["NONE".to_string()]),
            ..Default::default()
        },
    };
    let publishes = task.network_mode != NetworkMode::None;
    let exposed_ports: Vec<String> = if publishes {
        container
            .port_mappings
            .iter()
            .map(|p| port_key(p.container_port, p.protocol))
            .collect()
    } else {
        Vec::new()
    };
    let port_bindings = (task.network_mode == NetworkMode::Bridge
        && !container.port_mappings.is_empty())
    .then(|| bridge_port_bindings(container));
    let cpu_shares = i64::from(container.cpu.unwrap_or(0)).clamp(MIN_CPU_SHARES, MAX_CPU_SHARES);
    let host_config = HostConfig {
        cpu_shares: Some(cpu_shares),
        memory: container.memory_mib.map(|m| i64::from(m) * MIB),
        memory_reservation: container.memory_reservation_mib.map(|m| i64::from(m) * MIB),
        network_mode: Some(network_mode_name(task.network_mode).to_string()),
        port_bindings,
        ulimits: (!container.ulimits.is_empty()).then(|| {
            container
                .ulimits
                .iter()
                .map(|u| ResourcesUlimits {
                    name: Some(u.name.clone()),
                    soft: Some(u.soft_limit),
                    hard: Some(u.hard_limit),
                })
                .collect()
        }),
        init: container
            .linux_parameters
            .init_process_enabled
            .then_some(true),
        cap_add: non_empty(&container.linux_parameters.capabilities_add),
        cap_drop: non_empty(&container.linux_parameters.capabilities_drop),
        mounts: (!container.mount_points.is_empty()).then(|| build_mounts(task, container)),
        ..Default::default()
    };
    ContainerCreateBody {
        image: Some(container.image.clone()),
        cmd: container.command.clone(),
        entrypoint: container.entry_point.clone(),
        env: (!container.environment.is_empty()).then(|| {
            container
                .environment
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect()
        }),
        working_dir: container.working_directory.clone(),
        user: container.user.clone(),
        labels: Some(container_labels(task, container)),
        healthcheck: Some(healthcheck),
        exposed_ports: (!exposed_ports.is_empty()).then_some(exposed_ports),
        stop_timeout: Some(
            i64::try_from(container.effective_stop_timeout().as_secs()).unwrap_or(i64::MAX),
        ),
        host_config: Some(host_config),
        ..Default::default()
    }
}

fn non_empty(values: &[String]) -> Option<Vec<String>> {
    (!values.is_empty()).then(|| values.to_vec())
}

fn network_mode_name(mode: NetworkMode) -> &'static str {
    match mode {
        NetworkMode::Bridge => "bridge",
        NetworkMode::Host => "host",
        NetworkMode::None => "none",
    }
}

fn bridge_port_bindings(container: &ContainerSpec) -> PortMap {
    let mut map: PortMap = HashMap::new();
    for mapping in &container.port_mappings {
        // An empty HostPort asks Docker for a port from its ephemeral range.
        let host_port = if mapping.host_port == 0 {
            String::new()
        } else {
            mapping.host_port.to_string()
        };
        map.entry(port_key(mapping.container_port, mapping.protocol))
            .or_insert_with(|| Some(Vec::new()))
            .get_or_insert_with(Vec::new)
            .push(PortBinding {
                host_ip: None,
                host_port: Some(host_port),
            });
    }
    map
}

fn build_mounts(task: &TaskSpec, container: &ContainerSpec) -> Vec<Mount> {
    container
        .mount_points
        .iter()
        .filter_map(|mount| {
            let volume = task
                .volumes
                .iter()
                .find(|v| v.name == mount.source_volume)?;
            let base = Mount {
                target: Some(mount.container_path.clone()),
                read_only: Some(mount.read_only),
                ..Default::default()
            };
            Some(match &volume.kind {
                VolumeKind::Host {
                    source_path: Some(path),
                } => Mount {
                    typ: Some(MountType::BIND),
                    source: Some(path.clone()),
                    ..base
                },
                VolumeKind::Host { source_path: None } => Mount {
                    typ: Some(MountType::VOLUME),
                    source: Some(docker_volume_name(task, &volume.name)),
                    volume_options: Some(MountVolumeOptions {
                        labels: Some(task_volume_labels(task, &HashMap::new())),
                        ..Default::default()
                    }),
                    ..base
                },
                VolumeKind::Docker {
                    scope,
                    driver,
                    driver_opts,
                    labels,
                } => Mount {
                    typ: Some(MountType::VOLUME),
                    source: Some(match scope {
                        VolumeScope::Task => docker_volume_name(task, &volume.name),
                        VolumeScope::Shared => volume.name.clone(),
                    }),
                    volume_options: Some(MountVolumeOptions {
                        // Task-scoped volumes carry the task's labels, so they
                        // can be found and removed with its containers.
                        labels: match scope {
                            VolumeScope::Task => Some(task_volume_labels(task, labels)),
                            VolumeScope::Shared => (!labels.is_empty()).then(|| labels.clone()),
                        },
                        driver_config: driver.as_ref().map(|name| MountVolumeOptionsDriverConfig {
                            name: Some(name.clone()),
                            options: (!driver_opts.is_empty()).then(|| driver_opts.clone()),
                        }),
                        ..Default::default()
                    }),
                    ..base
                },
            })
        })
        .collect()
}

/// The labels of a task-scoped volume: the user's, then the task's own.
fn task_volume_labels(
    task: &TaskSpec,
    user_labels: &HashMap<String, String>,
) -> HashMap<String, String> {
    let mut labels = user_labels.clone();
    labels.insert(LABEL_CLUSTER.to_owned(), task.cluster.clone());
    labels.insert(LABEL_TASK_ARN.to_owned(), task.task_arn.clone());
    labels.insert(LABEL_MANAGED.to_owned(), "true".to_owned());
    labels
}

/// Names of the task-scoped Docker volumes the task's containers create.
pub fn task_scoped_volumes(task: &TaskSpec) -> Vec<String> {
    task.volumes
        .iter()
        .filter(|v| {
            matches!(
                v.kind,
                VolumeKind::Host { source_path: None }
                    | VolumeKind::Docker {
                        scope: VolumeScope::Task,
                        ..
                    }
            )
        })
        .map(|v| docker_volume_name(task, &v.name))
        .collect()
}

/// Network bindings from inspect's `NetworkSettings.Ports`, sorted for a
/// stable report. Unparseable entries are skipped.
pub fn bindings_from_port_map(ports: &PortMap) -> Vec<NetworkBinding> {
    let mut bindings = Vec::new();
    for (key, host_bindings) in ports {
        let Some((port, protocol)) = key.split_once('/') else {
            continue;
        };
        let protocol = match protocol {
            "tcp" => Protocol::Tcp,
            "udp" => Protocol::Udp,
            _ => continue,
        };
        let Ok(container_port) = port.parse::<u16>() else {
            continue;
        };
        for binding in host_bindings.iter().flatten() {
            let Some(Ok(host_port)) = binding.host_port.as_deref().map(str::parse::<u16>) else {
                continue;
            };
            bindings.push(NetworkBinding {
                bind_ip: binding.host_ip.clone().unwrap_or_default(),
                container_port,
                host_port,
                protocol,
            });
        }
    }
    bindings.sort_by(|a, b| {
        (a.container_port, a.protocol.as_str(), &a.bind_ip).cmp(&(
            b.container_port,
            b.protocol.as_str(),
            &b.bind_ip,
        ))
    });
    bindings
}

/// Network bindings of a host-mode container: each container port is the host port.
pub fn host_mode_bindings(container: &ContainerSpec) -> Vec<NetworkBinding> {
    container
        .port_mappings
        .iter()
        .map(|p| NetworkBinding {
            bind_ip: "0.0.0.0".to_string(),
            container_port: p.container_port,
            host_port: p.container_port,
            protocol: p.protocol,
        })
        .collect()
}

/// Splits an image reference into the `fromImage` and `tag` of a pull. A
/// reference with neither tag nor digest gets `latest`, because an empty
/// tag makes the Engine pull every tag of the repository.
pub fn split_image_reference(image: &str) -> (String, String) {
    if let Some((repo, digest)) = image.split_once('@') {
        return (repo.to_string(), digest.to_string());
    }
    let last_slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[last_slash..].rfind(':') {
        Some(colon) => {
            let split_at = last_slash + colon;
            (
                image[..split_at].to_string(),
                image[split_at + 1..].to_string(),
            )
        }
        None => (image.to_string(), "latest".to_string()),
    }
}

/// Parses Docker's RFC 3339 timestamps (`2024-05-07T21:09:36.123456789Z`,
/// or with a `+hh:mm` offset). Docker's zero time (year 1) and anything
/// before the epoch or malformed yield `None`.
pub fn parse_docker_time(text: &str) -> Option<SystemTime> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[10] != b'T' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> { text.get(range)?.parse().ok() };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &text[19..];
    let mut nanos: u32 = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let kept = &fraction[..digits.min(9)];
        nanos = kept.parse::<u32>().ok()? * 10u32.pow(9 - kept.len() as u32);
        rest = &fraction[digits..];
    }
    let offset_secs = match rest {
        "Z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                return None;
            }
            let hours: i64 = rest.get(1..3)?.parse().ok()?;
            let minutes: i64 = rest.get(4..6)?.parse().ok()?;
            sign * (hours * 3600 + minutes * 60)
        }
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    if secs < 0 {
        return None;
    }
    let secs = u64::try_from(secs).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::new(secs, nanos))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{HealthCheck, LinuxParameters, MountPoint, PortMapping, Ulimit, VolumeSpec};

    fn task(mode: NetworkMode, container: ContainerSpec) -> TaskSpec {
        TaskSpec {
            task_arn: "arn:aws:ecs:r:1:task/c/abc".into(),
            cluster: "c".into(),
            family: "web".into(),
            revision: 4,
            network_mode: mode,
            volumes: vec![
                VolumeSpec {
                    name: "host".into(),
                    kind: VolumeKind::Host {
                        source_path: Some("/srv".into()),
                    },
                },
                VolumeSpec {
                    name: "scratch".into(),
                    kind: VolumeKind::Host { source_path: None },
                },
            ],
            containers: vec![container],
        }
    }

    fn container() -> ContainerSpec {
        ContainerSpec {
            name: "app".into(),
            image: "img:1".into(),
            essential: true,
            ..Default::default()
        }
    }

    #[test]
    fn create_body_carries_labels_limits_and_options() {
        let mut spec = container();
        spec.cpu = Some(512);
        spec.memory_mib = Some(64);
        spec.memory_reservation_mib = Some(32);
        spec.environment = vec![("A".into(), "1".into())];
        spec.docker_labels
            .insert(LABEL_CLUSTER.into(), "spoofed".into());
        spec.docker_labels.insert("team".into(), "x".into());
        spec.ulimits = vec![Ulimit {
            name: "nofile".into(),
            soft_limit: 10,
            hard_limit: 20,
        }];
        spec.linux_parameters = LinuxParameters {
            init_process_enabled: true,
            capabilities_add: vec!["NET_ADMIN".into()],
            capabilities_drop: vec![],
        };
        spec.mount_points = vec![
            MountPoint {
                source_volume: "host".into(),
                container_path: "/h".into(),
                read_only: true,
            },
            MountPoint {
                source_volume: "scratch".into(),
                container_path: "/s".into(),
                read_only: false,
            },
        ];
        spec.port_mappings = vec![PortMapping {
            container_port: 80,
            host_port: 0,
            protocol: Protocol::Tcp,
        }];
        let task = task(NetworkMode::Bridge, spec.clone());
        let body = build_create_body(&task, &spec);
        let labels = body.labels.clone().unwrap_or_default();
        assert_eq!(labels.get(LABEL_CLUSTER).map(String::as_str), Some("c"));
        assert_eq!(labels.get(LABEL_VERSION).map(String::as_str), Some("4"));
        assert_eq!(labels.get(LABEL_FAMILY).map(String::as_str), Some("web"));
        assert_eq!(labels.get("team").map(String::as_str), Some("x"));
        assert_eq!(body.env, Some(vec!["A=1".to_string()]));
        assert_eq!(
            body.healthcheck.and_then(|h| h.test),
            Some(vec!["NONE".to_string()])
        );
        assert_eq!(body.exposed_ports, Some(vec!["80/tcp".to_string()]));
        assert_eq!(body.stop_timeout, Some(30));
        let host = body.host_config.unwrap_or_default();
        assert_eq!(host.cpu_shares, Some(512));
        assert_eq!(host.memory, Some(64 * MIB));
        assert_eq!(host.memory_reservation, Some(32 * MIB));
        assert_eq!(host.init, Some(true));
        assert_eq!(host.cap_add, Some(vec!["NET_ADMIN".to_string()]));
        assert_eq!(host.cap_drop, None);
        assert_eq!(host.network_mode.as_deref(), Some("bridge"));
        let bindings = host.port_bindings.unwrap_or_default();
        assert_eq!(
            bindings.get("80/tcp"),
            Some(&Some(vec![PortBinding {
                host_ip: None,
                host_port: Some(String::new())
            }]))
        );
        let mounts = host.mounts.unwrap_or_default();
        assert_eq!(mounts[0].typ, Some(MountType::BIND));
        assert_eq!(mounts[0].source.as_deref(), Some("/srv"));
        assert_eq!(mounts[1].typ, Some(MountType::VOLUME));
        assert_eq!(mounts[1].source.as_deref(), Some("berth-abc-scratch"));
        assert_eq!(
            task_scoped_volumes(&task),
            vec!["berth-abc-scratch".to_string()]
        );
    }

    #[test]
    fn cpu_shares_are_clamped() {
        let cases = [
            (None, 2),
            (Some(0), 2),
            (Some(1), 2),
            (Some(1024), 1024),
            (Some(1_000_000), 262_144),
        ];
        for (cpu, expected) in cases {
            let mut spec = container();
            spec.cpu = cpu;
            let body = build_create_body(&task(NetworkMode::Bridge, spec.clone()), &spec);
            assert_eq!(
                body.host_config.and_then(|h| h.cpu_shares),
                Some(expected),
                "{cpu:?}"
            );
        }
    }

    #[test]
    fn health_check_is_passed_in_nanoseconds() {
        let mut spec = container();
        let mut check = HealthCheck::with_defaults(vec!["CMD-SHELL".into(), "exit 1".into()]);
        check.interval = Duration::from_secs(5);
        check.start_period = Some(Duration::from_secs(1));
        spec.health_check = Some(check);
        let body = build_create_body(&task(NetworkMode::Host, spec.clone()), &spec);
        let health = body.healthcheck.unwrap_or_default();
        assert_eq!(
            health.test,
            Some(vec!["CMD-SHELL".to_string(), "exit 1".to_string()])
        );
        assert_eq!(health.interval, Some(5_000_000_000));
        assert_eq!(health.timeout, Some(5_000_000_000));
        assert_eq!(health.retries, Some(3));
        assert_eq!(health.start_period, Some(1_000_000_000));
    }

    #[test]
    fn ports_depend_on_network_mode() {
        let mut spec = container();
        spec.port_mappings = vec![PortMapping {
            container_port: 53,
            host_port: 5353,
            protocol: Protocol::Udp,
        }];
        let cases = [
            (NetworkMode::Bridge, true, Some("5353")),
            (NetworkMode::Host, true, None),
            (NetworkMode::None, false, None),
        ];
        for (mode, exposed, host_port) in cases {
            let body = build_create_body(&task(mode, spec.clone()), &spec);
            assert_eq!(body.exposed_ports.is_some(), exposed, "{mode:?}");
            let bound = body
                .host_config
                .and_then(|h| h.port_bindings)
                .and_then(|b| b.get("53/udp").cloned().flatten())
                .and_then(|b| b.first().and_then(|p| p.host_port.clone()));
            assert_eq!(bound.as_deref(), host_port, "{mode:?}");
        }
    }

    #[test]
    fn container_name_is_sanitized() {
        let mut t = task(NetworkMode::Bridge, container());
        t.task_arn = "arn:aws:ecs:r:1:task/c/a b$c".into();
        assert_eq!(
            docker_container_name(&t, &container()),
            "berth-web-4-app-a-b-c"
        );
    }

    #[test]
    fn bindings_from_port_map_cases() {
        let binding = |ip: &str, port: &str| PortBinding {
            host_ip: Some(ip.into()),
            host_port: Some(port.into()),
        };
        let mut ports: PortMap = HashMap::new();
        ports.insert(
            "8080/tcp".into(),
            Some(vec![binding("0.0.0.0", "49153"), binding("::", "49153")]),
        );
        ports.insert("53/udp".into(), Some(vec![binding("0.0.0.0", "5353")]));
        ports.insert("9000/tcp".into(), None);
        ports.insert("junk".into(), Some(vec![binding("0.0.0.0", "1")]));
        ports.insert("1/tcp".into(), Some(vec![binding("0.0.0.0", "notaport")]));
        let got = bindings_from_port_map(&ports);
        let expected = vec![
            NetworkBinding {
                bind_ip: "0.0.0.0".into(),
                container_port: 53,
                host_port: 5353,
                protocol: Protocol::Udp,
            },
            NetworkBinding {
                bind_ip: "0.0.0.0".into(),
                container_port: 8080,
                host_port: 49153,
                protocol: Protocol::Tcp,
            },
            NetworkBinding {
                bind_ip: "::".into(),
                container_port: 8080,
                host_port: 49153,
                protocol: Protocol::Tcp,
            },
        ];
        assert_eq!(got, expected);
    }

    #[test]
    fn split_image_reference_cases() {
        let cases = [
            ("busybox", ("busybox", "latest")),
            ("busybox:1.36", ("busybox", "1.36")),
            ("localhost:5000/app", ("localhost:5000/app", "latest")),
            ("localhost:5000/app:v2", ("localhost:5000/app", "v2")),
            ("repo/app@sha256:abcd", ("repo/app", "sha256:abcd")),
        ];
        for (input, (repo, tag)) in cases {
            assert_eq!(
                split_image_reference(input),
                (repo.to_string(), tag.to_string()),
                "{input}"
            );
        }
    }

    #[test]
    fn parse_docker_time_cases() {
        let at = |secs: u64, nanos: u32| Some(SystemTime::UNIX_EPOCH + Duration::new(secs, nanos));
        let cases = [
            ("1970-01-01T00:00:00Z", at(0, 0)),
            (
                "2024-05-07T21:09:36.123456789Z",
                at(1_715_116_176, 123_456_789),
            ),
            ("2024-05-07T21:09:36.5Z", at(1_715_116_176, 500_000_000)),
            ("2024-05-07T23:09:36+02:00", at(1_715_116_176, 0)),
            ("2000-02-29T00:00:00Z", at(951_782_400, 0)),
            ("0001-01-01T00:00:00Z", None),
            ("", None),
            ("garbage-that-is-long-enough", None),
            ("2024-13-07T21:09:36Z", None),
            ("2024-05-07T21:09:36.Z", None),
            ("2024-05-07T21:09:36+0200", None),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_docker_time(input), expected, "{input}");
        }
    }
}
