//! Container instance wire conversions: `totalResources` into [`Resources`],
//! resources back into the four-entry list AWS shows, the instance identity
//! document, and the `ContainerInstance` shape.

use berth_model::container_instance::{Attribute, ContainerInstance, Resources};

use super::super::tags::tags_to_wire;
use super::super::{EcsError, wire, wire_time};
use crate::Api;

/// What a registering host says about itself in its identity document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdentityDocument {
    pub instance_id: String,
    pub availability_zone: Option<String>,
    pub instance_type: Option<String>,
    pub image_id: Option<String>,
}

impl IdentityDocument {
    /// The built-in attributes ECS derives from the document, for those the
    /// registration did not set itself.
    pub fn builtin_attributes(&self) -> Vec<Attribute> {
        [
            ("ecs.availability-zone", &self.availability_zone),
            ("ecs.instance-type", &self.instance_type),
            ("ecs.ami-id", &self.image_id),
        ]
        .into_iter()
        .filter_map(|(name, value)| {
            value.as_ref().map(|value| Attribute {
                name: name.to_owned(),
                value: Some(value.clone()),
            })
        })
        .collect()
    }
}

/// Parses an EC2 instance identity document: a JSON object whose
/// `instanceId` names the host.
pub fn parse_identity_document(document: &str) -> Result<IdentityDocument, EcsError> {
    let invalid = |why: &str| {
        EcsError::InvalidParameter(format!("instanceIdentityDocument is invalid: {why}."))
    };
    let value: serde_json::Value =
        serde_json::from_str(document).map_err(|_| invalid("it is not a JSON object"))?;
    let object = value
        .as_object()
        .ok_or_else(|| invalid("it is not a JSON object"))?;
    let text = |key: &str| -> Result<Option<String>, EcsError> {
        match object.get(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(text)) if is_identity_text(text) => {
                Ok(Some(text.clone()))
            }
            Some(_) => Err(invalid(&format!(
                "{key} must be 1-255 letters, digits, '-', '_' or '.'"
            ))),
        }
    };
    let instance_id = text("instanceId")?.ok_or_else(|| invalid("instanceId is missing"))?;
    Ok(IdentityDocument {
        instance_id,
        availability_zone: text("availabilityZone")?,
        instance_type: text("instanceType")?,
        image_id: text("imageId")?,
    })
}

/// Identity document values end up in attributes and query results, so they
/// keep to the characters attribute values allow.
fn is_identity_text(text: &str) -> bool {
    (1..=255).contains(&text.len())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

/// Reads `totalResources`. CPU and MEMORY are required numbers; PORTS and
/// PORTS_UDP are optional sets of reserved host ports. Other resources
/// (GPUs, user-defined ones) are not scheduled by Berth and are ignored.
pub fn resources_from_wire(resources: &[wire::Resource]) -> Result<Resources, EcsError> {
    let mut cpu = None;
    let mut memory = None;
    let mut tcp_ports = Vec::new();
    let mut udp_ports = Vec::new();
    for resource in resources {
        let name = resource.name.as_deref().unwrap_or_default();
        match name {
            "CPU" => cpu = Some(resource_number(resource, name)?),
            "MEMORY" => memory = Some(resource_number(resource, name)?),
            "PORTS" => tcp_ports = resource_ports(resource, name)?,
            "PORTS_UDP" => udp_ports = resource_ports(resource, name)?,
            "" => {
                return Err(EcsError::InvalidParameter(
                    "Every resource in totalResources must have a name.".to_owned(),
                ));
            }
            _ => {}
        }
    }
    let missing =
        |name: &str| EcsError::InvalidParameter(format!("totalResources must include {name}."));
    Ok(Resources {
        cpu: cpu.ok_or_else(|| missing("CPU"))?,
        memory_mib: memory.ok_or_else(|| missing("MEMORY"))?,
        tcp_ports,
        udp_ports,
    })
}

/// A whole, non-negative amount read from the member its type names.
fn resource_number(resource: &wire::Resource, name: &str) -> Result<u32, EcsError> {
    let invalid = |why: &str| EcsError::InvalidParameter(format!("Resource {name} {why}."));
    let value: Option<i64> = match resource.r#type.as_deref().unwrap_or("INTEGER") {
        "INTEGER" => resource.integer_value.map(i64::from),
        "LONG" => resource.long_value,
        "DOUBLE" => match resource.double_value {
            Some(v) if v.is_finite() && v.fract() == 0.0 && v.abs() <= u32::MAX as f64 => {
                Some(v as i64)
            }
            Some(_) => return Err(invalid("must be a whole number")),
            None => None,
        },
        _ => return Err(invalid("must have type INTEGER, LONG or DOUBLE")),
    };
    let value = value.ok_or_else(|| invalid("has no value of its type"))?;
    u32::try_from(value).map_err(|_| invalid("must be between 0 and 4294967295"))
}

/// Port numbers from a STRINGSET, sorted and deduplicated.
fn resource_ports(resource: &wire::Resource, name: &str) -> Result<Vec<u16>, EcsError> {
    if resource.r#type.as_deref().unwrap_or("STRINGSET") != "STRINGSET" {
        return Err(EcsError::InvalidParameter(format!(
            "Resource {name} must have type STRINGSET."
        )));
    }
    let mut ports = Vec::new();
    for text in resource.string_set_value.as_deref().unwrap_or_default() {
        match text.trim().parse::<u16>() {
            Ok(port) if port > 0 => ports.push(port),
            _ => {
                return Err(EcsError::InvalidParameter(format!(
                    "Resource {name} holds '{}', which is not a port number (1-65535).",
                    crate::error::truncated(text, 32)
                )));
            }
        }
    }
    ports.sort_unstable();
    ports.dedup();
    Ok(ports)
}

/// Resources as AWS lists them: CPU, MEMORY, PORTS, PORTS_UDP, each with
/// every numeric member present (zero where unused), as the service does.
pub fn resources_to_wire(resources: &Resources) -> Vec<wire::Resource> {
    let number = |name: &str, value: u32| wire::Resource {
        name: Some(name.to_owned()),
        r#type: Some("INTEGER".to_owned()),
        double_value: Some(0.0),
        long_value: Some(0),
        integer_value: Some(i32::try_from(value).unwrap_or(i32::MAX)),
        string_set_value: None,
    };
    let ports = |name: &str, ports: &[u16]| wire::Resource {
        name: Some(name.to_owned()),
        r#type: Some("STRINGSET".to_owned()),
        double_value: Some(0.0),
        long_value: Some(0),
        integer_value: Some(0),
        string_set_value: Some(ports.iter().map(u16::to_string).collect()),
    };
    vec![
        number("CPU", resources.cpu),
        number("MEMORY", resources.memory_mib),
        ports("PORTS", &resources.tcp_ports),
        ports("PORTS_UDP", &resources.udp_ports),
    ]
}

/// Attributes as DescribeContainerInstances shows them: name and value.
pub fn attributes_to_wire(attributes: &[Attribute]) -> Vec<wire::Attribute> {
    attributes
        .iter()
        .map(|attribute| wire::Attribute {
            name: Some(attribute.name.clone()),
            value: attribute.value.clone(),
            target_type: None,
            target_id: None,
        })
        .collect()
}

/// The task counts an instance shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShownTaskCounts {
    /// Tasks whose desired status is RUNNING.
    pub running: u32,
    /// Tasks not yet RUNNING (PROVISIONING, PENDING, ACTIVATING).
    pub pending: u32,
}

impl From<&berth_control::view::TaskCounts> for ShownTaskCounts {
    fn from(counts: &berth_control::view::TaskCounts) -> ShownTaskCounts {
        ShownTaskCounts {
            running: counts.meant_to_run,
            pending: counts.pending,
        }
    }
}

/// Which optional parts an instance answer includes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Include {
    pub tags: bool,
    pub health: bool,
}

impl Include {
    /// The `include` values of DescribeContainerInstances.
    pub fn parse(values: Option<&[String]>) -> Result<Include, EcsError> {
        let mut include = Include::default();
        for value in values.unwrap_or_default() {
            match value.as_str() {
                "TAGS" => include.tags = true,
                "CONTAINER_INSTANCE_HEALTH" => include.health = true,
                other => {
                    return Err(EcsError::InvalidParameter(format!(
                        "Invalid include value: {}. Valid values are TAGS, CONTAINER_INSTANCE_HEALTH.",
                        crate::error::truncated(other, 64)
                    )));
                }
            }
        }
        Ok(include)
    }
}

/// The `ContainerInstance` shape.
pub fn instance_to_wire(
    api: &Api,
    instance: &ContainerInstance,
    counts: ShownTaskCounts,
    include: Include,
) -> wire::ContainerInstance {
    let count = |n: u32| Some(i32::try_from(n).unwrap_or(i32::MAX));
    wire::ContainerInstance {
        container_instance_arn: Some(
            api.control
                .scope
                .container_instance_arn(&instance.cluster, &instance.id),
        ),
        ec2_instance_id: Some(instance.host_id.clone()),
        capacity_provider_name: None,
        version: Some(i64::try_from(instance.version).unwrap_or(i64::MAX)),
        version_info: Some(wire::VersionInfo {
            agent_version: Some(instance.agent_version.clone()),
            // The model keeps no agent hash; absent rather than invented.
            agent_hash: None,
            docker_version: Some(instance.docker_version.clone()),
        }),
        remaining_resources: Some(resources_to_wire(&instance.remaining)),
        registered_resources: Some(resources_to_wire(&instance.registered)),
        status: Some(instance.status.as_str().to_owned()),
        status_reason: None,
        agent_connected: Some(instance.agent_connected),
        running_tasks_count: count(counts.running),
        pending_tasks_count: count(counts.pending),
        agent_update_status: None,
        attributes: Some(attributes_to_wire(&instance.attributes)),
        registered_at: Some(wire_time(instance.registered_at_ms)),
        attachments: Some(Vec::new()),
        tags: include.tags.then(|| tags_to_wire(&instance.tags)),
        health_status: include.health.then(|| health_to_wire(api, instance)),
    }
}

/// Berth checks one thing about a host: that its agent keeps polling, which
/// it reports as the CONTAINER_RUNTIME check.
fn health_to_wire(api: &Api, instance: &ContainerInstance) -> wire::ContainerInstanceHealthStatus {
    let status = if instance.agent_connected {
        "OK"
    } else {
        "INSUFFICIENT_DATA"
    };
    let last_seen = api
        .control
        .heartbeats
        .get(&instance.id)
        .map(|liveness| wire_time(liveness.last_seen_ms));
    wire::ContainerInstanceHealthStatus {
        overall_status: Some(status.to_owned()),
        details: Some(vec![wire::InstanceHealthCheckResult {
            r#type: Some("CONTAINER_RUNTIME".to_owned()),
            status: Some(status.to_owned()),
            status_reason: None,
            last_updated: last_seen,
            last_status_change: None,
        }]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(name: &str, kind: &str, integer: Option<i32>, long: Option<i64>) -> wire::Resource {
        wire::Resource {
            name: Some(name.to_owned()),
            r#type: Some(kind.to_owned()),
            integer_value: integer,
            long_value: long,
            ..Default::default()
        }
    }

    fn ports(name: &str, values: &[&str]) -> wire::Resource {
        wire::Resource {
            name: Some(name.to_owned()),
            r#type: Some("STRINGSET".to_owned()),
            string_set_value: Some(values.iter().map(|v| (*v).to_owned()).collect()),
            ..Default::default()
        }
    }

    fn check(input: Vec<wire::Resource>, expected: Result<Resources, &str>) {
        match (resources_from_wire(&input), expected) {
            (Ok(actual), Ok(expected)) => assert_eq!(actual, expected),
            (Err(actual), Err(fragment)) => assert!(
                actual.to_string().contains(fragment),
                "{actual} lacks {fragment}"
            ),
            (actual, expected) => panic!("{input:?}: got {actual:?}, want {expected:?}"),
        }
    }

    #[test]
    fn total_resources_are_read() {
        let agent = vec![
            number("CPU", "INTEGER", Some(2048), None),
            number("MEMORY", "INTEGER", Some(3768), None),
            ports("PORTS", &["22", "2376", "2375", "51678", "51679", "22"]),
            ports("PORTS_UDP", &[]),
        ];
        check(
            agent,
            Ok(Resources {
                cpu: 2048,
                memory_mib: 3768,
                tcp_ports: vec![22, 2375, 2376, 51678, 51679],
                udp_ports: vec![],
            }),
        );
        check(
            vec![
                number("CPU", "LONG", None, Some(1024)),
                number("MEMORY", "INTEGER", Some(512), None),
                ports("GPU", &["gpu-0"]),
            ],
            Ok(Resources {
                cpu: 1024,
                memory_mib: 512,
                ..Resources::default()
            }),
        );
        check(
            vec![number("CPU", "INTEGER", Some(1024), None)],
            Err("must include MEMORY"),
        );
        check(
            vec![
                number("CPU", "INTEGER", Some(-1), None),
                number("MEMORY", "INTEGER", Some(1), None),
            ],
            Err("between 0 and"),
        );
        check(
            vec![
                number("CPU", "STRINGSET", Some(1), None),
                number("MEMORY", "INTEGER", Some(1), None),
            ],
            Err("must have type"),
        );
        check(
            vec![
                number("CPU", "INTEGER", None, Some(5)),
                number("MEMORY", "INTEGER", Some(1), None),
            ],
            Err("no value"),
        );
        check(
            vec![
                number("CPU", "INTEGER", Some(1), None),
                number("MEMORY", "INTEGER", Some(1), None),
                ports("PORTS", &["80", "http"]),
            ],
            Err("not a port number"),
        );
        check(
            vec![
                number("CPU", "INTEGER", Some(1), None),
                number("MEMORY", "INTEGER", Some(1), None),
                ports("PORTS", &["0"]),
            ],
            Err("not a port number"),
        );
    }

    #[test]
    fn resources_are_listed_as_aws_shows_them() {
        let listed = resources_to_wire(&Resources {
            cpu: 2048,
            memory_mib: 3955,
            tcp_ports: vec![22, 2375],
            udp_ports: vec![],
        });
        let json = serde_json::to_value(&listed).expect("encodes");
        assert_eq!(
            json,
            serde_json::json!([
                {"name": "CPU", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": 2048},
                {"name": "MEMORY", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": 3955},
                {"name": "PORTS", "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0, "integerValue": 0, "stringSetValue": ["22", "2375"]},
                {"name": "PORTS_UDP", "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0, "integerValue": 0, "stringSetValue": []},
            ])
        );
    }

    #[test]
    fn identity_documents_name_the_host() {
        let check = |document: &str, expected: Result<IdentityDocument, &str>| match (
            parse_identity_document(document),
            expected,
        ) {
            (Ok(actual), Ok(expected)) => assert_eq!(actual, expected),
            (Err(actual), Err(fragment)) => {
                assert!(actual.to_string().contains(fragment), "{actual}")
            }
            (actual, expected) => panic!("{document}: got {actual:?}, want {expected:?}"),
        };
        check(
            r#"{"instanceId": "i-0abc", "availabilityZone": "us-east-1a", "region": "us-east-1"}"#,
            Ok(IdentityDocument {
                instance_id: "i-0abc".to_owned(),
                availability_zone: Some("us-east-1a".to_owned()),
                ..IdentityDocument::default()
            }),
        );
        check("not json", Err("not a JSON object"));
        check("[1]", Err("not a JSON object"));
        check(r#"{"region": "x"}"#, Err("instanceId is missing"));
        check(r#"{"instanceId": 7}"#, Err("instanceId must be"));
        check(r#"{"instanceId": "i-1 2"}"#, Err("instanceId must be"));
        let document = parse_identity_document(
            r#"{"instanceId": "i-1", "instanceType": "t3.large", "imageId": "ami-1"}"#,
        )
        .expect("valid");
        let names: Vec<_> = document
            .builtin_attributes()
            .into_iter()
            .map(|a| a.name)
            .collect();
        assert_eq!(names, ["ecs.instance-type", "ecs.ami-id"]);
    }
}
