//! Container instances: hosts registered in a cluster by an agent, with the
//! resources they offer, what is left of them, and their attributes.

use serde::{Deserialize, Serialize};

use crate::tag::Tag;
use crate::task::Reservation;

/// A container instance as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerInstance {
    /// 32 lowercase hex digits; the last part of the ARN.
    pub id: String,
    pub cluster: String,
    /// The host's own identity (`ec2InstanceId` on the wire).
    pub host_id: String,
    pub status: InstanceStatus,
    pub agent_connected: bool,
    pub registered: Resources,
    pub remaining: Resources,
    /// Built-in (`ecs.*`), capability and custom attributes, sorted by name.
    pub attributes: Vec<Attribute>,
    pub agent_version: String,
    pub docker_version: String,
    pub registered_at_ms: i64,
    pub tags: Vec<Tag>,
    /// Bumped on every change (`version` on the wire).
    pub version: u64,
}

impl ContainerInstance {
    /// Whether the instance is registered in its cluster (ACTIVE or
    /// DRAINING): a deregistered one stays stored, INACTIVE.
    pub fn is_registered(&self) -> bool {
        self.status != InstanceStatus::Inactive
    }
}

/// What an instance offers or has left.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resources {
    pub cpu: u32,
    pub memory_mib: u32,
    /// TCP host ports taken: reserved by the host or by static port mappings.
    pub tcp_ports: Vec<u16>,
    pub udp_ports: Vec<u16>,
}

impl Resources {
    /// Whether `reservation` fits in what is left.
    pub fn fits(&self, reservation: &Reservation) -> bool {
        reservation.cpu <= self.cpu
            && reservation.memory_mib <= self.memory_mib
            && reservation
                .tcp_ports
                .iter()
                .all(|p| !self.tcp_ports.contains(p))
            && reservation
                .udp_ports
                .iter()
                .all(|p| !self.udp_ports.contains(p))
    }

    /// Takes `reservation` out of what is left; the caller checked [`Resources::fits`].
    pub fn take(&mut self, reservation: &Reservation) {
        self.cpu -= reservation.cpu.min(self.cpu);
        self.memory_mib -= reservation.memory_mib.min(self.memory_mib);
        self.tcp_ports.extend_from_slice(&reservation.tcp_ports);
        self.tcp_ports.sort_unstable();
        self.udp_ports.extend_from_slice(&reservation.udp_ports);
        self.udp_ports.sort_unstable();
    }

    /// Gives `reservation` back, never above `registered`.
    pub fn give_back(&mut self, reservation: &Reservation, registered: &Resources) {
        self.cpu = (self.cpu + reservation.cpu).min(registered.cpu);
        self.memory_mib = (self.memory_mib + reservation.memory_mib).min(registered.memory_mib);
        self.tcp_ports
            .retain(|p| !reservation.tcp_ports.contains(p) || registered.tcp_ports.contains(p));
        self.udp_ports
            .retain(|p| !reservation.udp_ports.contains(p) || registered.udp_ports.contains(p));
    }
}

/// The lifecycle of an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstanceStatus {
    Active,
    Draining,
    Inactive,
}

impl InstanceStatus {
    /// The ECS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            InstanceStatus::Active => "ACTIVE",
            InstanceStatus::Draining => "DRAINING",
            InstanceStatus::Inactive => "INACTIVE",
        }
    }
}

/// A name, and a value unless the attribute is a bare capability.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Attribute {
    pub name: String,
    pub value: Option<String>,
}

/// Most custom attributes one instance may carry.
pub const MAX_CUSTOM_ATTRIBUTES: usize = 10;

/// Whether `name` is an attribute ECS or the agent sets, which does not
/// count against [`MAX_CUSTOM_ATTRIBUTES`].
pub fn is_builtin_attribute(name: &str) -> bool {
    name.starts_with("ecs.") || name.starts_with("com.amazonaws.ecs.")
}

/// Checks a custom attribute: name 1–128 of letters, digits, `-_/\.`;
/// value 1–128 of letters, digits, `-_.@/\:` and inner spaces.
pub fn validate_attribute(attribute: &Attribute) -> Result<(), String> {
    let name = &attribute.name;
    let name_ok = (1..=128).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_/\\.".contains(c));
    if !name_ok {
        return Err(format!(
            "Attribute name '{}' is invalid: use 1-128 letters, numbers, hyphens, underscores, slashes, backslashes or periods.",
            name.chars().take(128).collect::<String>()
        ));
    }
    if let Some(value) = &attribute.value {
        let value_ok = (1..=128).contains(&value.len())
            && !value.starts_with(' ')
            && !value.ends_with(' ')
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.@/\\: ".contains(c));
        if !value_ok {
            return Err(format!(
                "Attribute value for '{name}' is invalid: use 1-128 letters, numbers, hyphens, underscores, periods, at signs, slashes, backslashes, colons or spaces."
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(name: &str, value: Option<&str>) -> Attribute {
        Attribute {
            name: name.to_owned(),
            value: value.map(str::to_owned),
        }
    }

    #[test]
    fn validates_attributes() {
        let check = |attribute: Attribute, ok: bool| {
            assert_eq!(validate_attribute(&attribute).is_ok(), ok, "{attribute:?}");
        };
        check(attr("stack", Some("prod")), true);
        check(attr("team/web.tier_1", Some("a b:c@d")), true);
        check(attr("flag", None), true);
        check(attr("", Some("x")), false);
        check(attr("has space", Some("x")), false);
        check(attr(&"n".repeat(129), Some("x")), false);
        check(attr("stack", Some(" lead")), false);
        check(attr("stack", Some("")), false);
        check(attr("stack", Some("semi;colon")), false);
    }

    #[test]
    fn reservations_fit_take_and_come_back() {
        let registered = Resources {
            cpu: 2048,
            memory_mib: 4096,
            tcp_ports: vec![22],
            udp_ports: vec![],
        };
        let mut remaining = registered.clone();
        let web = Reservation {
            cpu: 1024,
            memory_mib: 1024,
            tcp_ports: vec![80],
            udp_ports: vec![53],
        };
        assert!(remaining.fits(&web));
        remaining.take(&web);
        assert_eq!(remaining.tcp_ports, vec![22, 80]);
        assert!(!remaining.fits(&web), "port 80 is taken");
        let ssh = Reservation {
            tcp_ports: vec![22],
            ..Reservation::default()
        };
        assert!(!remaining.fits(&ssh), "host-reserved port");
        remaining.give_back(&web, &registered);
        assert_eq!(remaining, registered);
    }
}
