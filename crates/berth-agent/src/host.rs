//! Host facts the agent registers: CPU units, memory, reserved ports, the
//! `ecs.*` attributes and the capabilities this agent really has. Reading
//! `/proc` is at the edge ([`read_mem_total_mib`]); the rest is pure.

use std::path::Path;

/// TCP ports never given to tasks: SSH, the Docker API (plain and TLS) and
/// the ECS agent's own ports, as the ECS agent reserves them.
pub const RESERVED_TCP_PORTS: [u16; 6] = [22, 2375, 2376, 51678, 51679, 51680];
/// CPU units per core, as ECS counts them.
pub const CPU_UNITS_PER_CORE: u32 = 1024;
/// Oldest Docker remote API version ECS lists as a capability.
const MIN_DOCKER_API_MINOR: usize = 17;

/// A failure reading the host's facts.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// `/proc/meminfo` could not be read.
    #[error("reading {path} failed")]
    Read {
        /// The file.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// `/proc/meminfo` has no usable `MemTotal` line.
    #[error("{path} has no MemTotal line")]
    NoMemTotal {
        /// The file.
        path: String,
    },
}

/// What the host offers and says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostFacts {
    /// CPU units offered.
    pub cpu: u32,
    /// Memory offered, MiB.
    pub memory_mib: u32,
    /// Attributes, `(name, value)`, sorted by name.
    pub attributes: Vec<(String, Option<String>)>,
}

/// Inputs to [`host_facts`].
#[derive(Debug, Clone)]
pub struct HostInputs {
    /// Cores available to the agent.
    pub cores: u32,
    /// `MemTotal` in MiB.
    pub mem_total_mib: u32,
    /// `--cpu`: overrides the cores-based figure.
    pub cpu_override: Option<u32>,
    /// `--memory`: overrides `MemTotal` less the reservation.
    pub memory_override: Option<u32>,
    /// `--reserved-memory`: MiB kept for the host.
    pub reserved_memory_mib: u32,
    /// Rust's `std::env::consts::ARCH`.
    pub arch: &'static str,
    /// `--availability-zone`.
    pub availability_zone: String,
    /// Negotiated Docker API version, `(major, minor)`.
    pub docker_api: (usize, usize),
    /// `--attribute` values, in the order given.
    pub custom_attributes: Vec<(String, Option<String>)>,
}

/// The facts registered for this host.
pub fn host_facts(inputs: &HostInputs) -> HostFacts {
    let cpu = inputs
        .cpu_override
        .unwrap_or_else(|| inputs.cores.saturating_mul(CPU_UNITS_PER_CORE));
    let memory_mib = inputs.memory_override.unwrap_or_else(|| {
        inputs
            .mem_total_mib
            .saturating_sub(inputs.reserved_memory_mib)
    });
    let mut attributes: Vec<(String, Option<String>)> = vec![
        ("ecs.os-type".into(), Some("linux".into())),
        ("ecs.os-family".into(), Some("LINUX".into())),
        (
            "ecs.cpu-architecture".into(),
            Some(ecs_architecture(inputs.arch).to_string()),
        ),
        (
            "ecs.availability-zone".into(),
            Some(inputs.availability_zone.clone()),
        ),
        ("ecs.instance-type".into(), Some("berth".into())),
        ("ecs.capability.container-health-check".into(), None),
        ("ecs.capability.container-ordering".into(), None),
        (
            "com.amazonaws.ecs.capability.logging-driver.json-file".into(),
            None,
        ),
    ];
    let (major, minor) = inputs.docker_api;
    if major == 1 {
        for api_minor in MIN_DOCKER_API_MINOR..=minor {
            attributes.push((
                format!("com.amazonaws.ecs.capability.docker-remote-api.1.{api_minor}"),
                None,
            ));
        }
    }
    // Custom attributes may refine the built-in ones (an operator setting
    // ecs.instance-type, say); the last value given for a name wins.
    for (name, value) in &inputs.custom_attributes {
        attributes.retain(|(n, _)| n != name);
        attributes.push((name.clone(), value.clone()));
    }
    attributes.sort_by(|a, b| a.0.cmp(&b.0));
    HostFacts {
        cpu,
        memory_mib,
        attributes,
    }
}

/// ECS's name for a CPU architecture.
pub fn ecs_architecture(arch: &str) -> &str {
    match arch {
        "aarch64" => "arm64",
        other => other,
    }
}

/// `MemTotal` of a `/proc/meminfo` text, in MiB.
pub fn parse_mem_total_mib(meminfo: &str) -> Option<u32> {
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let mut parts = line.split_whitespace().skip(1);
    let value: u64 = parts.next()?.parse().ok()?;
    let kib = match parts.next() {
        Some("kB") | None => value,
        Some(_) => return None,
    };
    u32::try_from(kib / 1024).ok()
}

/// Reads `MemTotal` from a meminfo file (normally `/proc/meminfo`).
pub fn read_mem_total_mib(path: &Path) -> Result<u32, HostError> {
    let text = std::fs::read_to_string(path).map_err(|source| HostError::Read {
        path: path.display().to_string(),
        source,
    })?;
    parse_mem_total_mib(&text).ok_or_else(|| HostError::NoMemTotal {
        path: path.display().to_string(),
    })
}

/// Parses `KEY=VALUE` (or a bare `KEY`) as given to `--attribute`.
pub fn parse_attribute(text: &str) -> Result<(String, Option<String>), String> {
    let (name, value) = match text.split_once('=') {
        Some((name, value)) => (name, Some(value.to_string())),
        None => (text, None),
    };
    let valid_name = !name.is_empty()
        && name.len() <= 128
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | '@'));
    if !valid_name {
        return Err(format!(
            "attribute name {name:?} must be 1-128 letters, digits or . - _ / @"
        ));
    }
    if value
        .as_ref()
        .is_some_and(|v| v.is_empty() || v.len() > 128)
    {
        return Err(format!(
            "attribute {name:?} needs a value of 1-128 characters"
        ));
    }
    Ok((name.to_string(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> HostInputs {
        HostInputs {
            cores: 2,
            mem_total_mib: 4000,
            cpu_override: None,
            memory_override: None,
            reserved_memory_mib: 256,
            arch: "x86_64",
            availability_zone: "local".into(),
            docker_api: (1, 19),
            custom_attributes: vec![],
        }
    }

    fn names(facts: &HostFacts) -> Vec<&str> {
        facts.attributes.iter().map(|(n, _)| n.as_str()).collect()
    }

    fn value<'a>(facts: &'a HostFacts, name: &str) -> Option<&'a str> {
        facts
            .attributes
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    #[test]
    fn resources_from_host_or_overrides() {
        let check = |change: fn(&mut HostInputs), cpu: u32, memory: u32| {
            let mut i = inputs();
            change(&mut i);
            let facts = host_facts(&i);
            assert_eq!((facts.cpu, facts.memory_mib), (cpu, memory));
        };
        check(|_| {}, 2048, 3744);
        check(|i| i.cpu_override = Some(512), 512, 3744);
        check(|i| i.memory_override = Some(1000), 2048, 1000);
        check(|i| i.reserved_memory_mib = 9000, 2048, 0);
    }

    #[test]
    fn attributes_list_what_the_agent_supports() {
        let mut i = inputs();
        i.arch = "aarch64";
        i.custom_attributes = vec![
            ("stack".into(), Some("blue".into())),
            ("ecs.instance-type".into(), Some("big".into())),
            ("gpu".into(), None),
        ];
        let facts = host_facts(&i);
        assert_eq!(
            names(&facts),
            vec![
                "com.amazonaws.ecs.capability.docker-remote-api.1.17",
                "com.amazonaws.ecs.capability.docker-remote-api.1.18",
                "com.amazonaws.ecs.capability.docker-remote-api.1.19",
                "com.amazonaws.ecs.capability.logging-driver.json-file",
                "ecs.availability-zone",
                "ecs.capability.container-health-check",
                "ecs.capability.container-ordering",
                "ecs.cpu-architecture",
                "ecs.instance-type",
                "ecs.os-family",
                "ecs.os-type",
                "gpu",
                "stack",
            ]
        );
        assert_eq!(value(&facts, "ecs.cpu-architecture"), Some("arm64"));
        assert_eq!(value(&facts, "ecs.instance-type"), Some("big"));
        assert_eq!(value(&facts, "ecs.availability-zone"), Some("local"));
    }

    #[test]
    fn meminfo_parsing() {
        let cases = [
            ("MemTotal:       16318412 kB\nMemFree: 1 kB\n", Some(15935)),
            ("MemFree: 1 kB\n", None),
            ("MemTotal: lots kB\n", None),
            ("MemTotal: 1024 MB\n", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_mem_total_mib(text), expected, "{text}");
        }
    }

    #[test]
    fn attribute_flag_parsing() {
        let cases = [
            ("stack=blue", Some(("stack", Some("blue")))),
            ("gpu", Some(("gpu", None))),
            ("a=b=c", Some(("a", Some("b=c")))),
            ("=x", None),
            ("bad name=x", None),
            ("empty=", None),
        ];
        for (text, expected) in cases {
            let parsed = parse_attribute(text).ok();
            let parsed = parsed.as_ref().map(|(n, v)| (n.as_str(), v.as_deref()));
            assert_eq!(parsed, expected, "{text}");
        }
    }
}
