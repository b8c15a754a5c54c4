//! What a task takes from its instance: CPU units, memory and static host
//! ports, from its definition and run-time overrides. Pure.

use berth_model::resources::{parse_cpu_units, parse_memory_mib};
use berth_model::task::{Reservation, TaskOverride};
use berth_model::task_definition::{NetworkMode, Protocol, TaskDefinition};

/// The reservation of one task of `definition` run with `overrides`.
///
/// CPU and memory come from the task level when set there (or overridden),
/// else from the sum over containers (memory counts the hard limit, else the
/// soft one, as ECS does). Host ports are reserved only when fixed: in host
/// mode every mapping's port; in bridge mode non-zero host ports; awsvpc and
/// none use no host ports.
pub fn reservation(definition: &TaskDefinition, overrides: &TaskOverride) -> Reservation {
    let spec = &definition.spec;
    let container_override = |name: &str| {
        overrides
            .container_overrides
            .iter()
            .find(|o| o.name == name)
    };
    let task_cpu = overrides
        .cpu
        .as_deref()
        .or(spec.cpu.as_deref())
        .and_then(parse_cpu_units);
    let task_memory = overrides
        .memory
        .as_deref()
        .or(spec.memory.as_deref())
        .and_then(parse_memory_mib);
    let positive = |value: Option<i32>| value.and_then(|v| u32::try_from(v).ok());
    let cpu = task_cpu.unwrap_or_else(|| {
        spec.containers
            .iter()
            .map(|c| {
                container_override(&c.name)
                    .and_then(|o| o.cpu)
                    .or_else(|| positive(c.cpu))
                    .unwrap_or(0)
            })
            .sum()
    });
    let memory_mib = task_memory.unwrap_or_else(|| {
        spec.containers
            .iter()
            .map(|c| {
                let over = container_override(&c.name);
                over.and_then(|o| o.memory)
                    .or_else(|| positive(c.memory))
                    .or_else(|| over.and_then(|o| o.memory_reservation))
                    .or_else(|| positive(c.memory_reservation))
                    .unwrap_or(0)
            })
            .sum()
    });
    let mut tcp_ports = Vec::new();
    let mut udp_ports = Vec::new();
    let network_mode = spec.effective_network_mode();
    for container in &spec.containers {
        for mapping in container.port_mappings.iter().flatten() {
            let host_port = match network_mode {
                NetworkMode::Host => mapping.host_port.or(mapping.container_port),
                NetworkMode::Bridge => mapping.host_port.filter(|port| *port != 0),
                NetworkMode::Awsvpc | NetworkMode::None => None,
            };
            let Some(port) = host_port.and_then(|p| u16::try_from(p).ok()) else {
                continue;
            };
            match mapping.protocol.unwrap_or(Protocol::Tcp) {
                Protocol::Tcp => tcp_ports.push(port),
                Protocol::Udp => udp_ports.push(port),
            }
        }
    }
    tcp_ports.sort_unstable();
    tcp_ports.dedup();
    udp_ports.sort_unstable();
    udp_ports.dedup();
    Reservation {
        cpu,
        memory_mib,
        tcp_ports,
        udp_ports,
    }
}
