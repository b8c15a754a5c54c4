//! A scripted agent speaking the real agent protocol over HTTP, without
//! Docker: it registers a host, polls for assignments and reports whatever
//! states a test dictates.

use serde_json::{Value, json};

use crate::common::{Berth, http_request};

/// One simulated host.
pub struct FakeAgent<'a> {
    berth: &'a Berth,
    pub cluster: String,
    pub instance_id: String,
    pub instance_arn: String,
    epoch: u64,
    seq: u64,
}

impl<'a> FakeAgent<'a> {
    /// Registers a host with `cpu` units, `memory` MiB, an availability zone
    /// and extra attributes.
    pub fn register(
        berth: &'a Berth,
        cluster: &str,
        host_id: &str,
        cpu: u32,
        memory: u32,
        zone: &str,
        attributes: &[(&str, &str)],
    ) -> FakeAgent<'a> {
        let mut attrs = vec![
            json!(["ecs.availability-zone", zone]),
            json!(["ecs.os-type", "linux"]),
        ];
        attrs.extend(attributes.iter().map(|(name, value)| json!([name, value])));
        let body = json!({
            "cluster": cluster,
            "host_id": host_id,
            "container_instance_id": null,
            "cpu": cpu,
            "memory_mib": memory,
            "reserved_tcp_ports": [22],
            "reserved_udp_ports": [],
            "attributes": attrs,
            "agent_version": "test",
            "docker_version": "none",
        });
        let answer = post(berth, "/agent/v1/register", &body);
        FakeAgent {
            berth,
            cluster: cluster.to_owned(),
            instance_id: answer["container_instance_id"]
                .as_str()
                .expect("id")
                .to_owned(),
            instance_arn: answer["container_instance_arn"]
                .as_str()
                .expect("arn")
                .to_owned(),
            epoch: 1,
            seq: 0,
        }
    }

    /// The current assignments (no waiting).
    pub fn poll(&self) -> Vec<Value> {
        let body = json!({
            "cluster": self.cluster,
            "container_instance_id": self.instance_id,
            "known_revision": 0,
            "wait_ms": 0,
        });
        let answer = post(self.berth, "/agent/v1/poll", &body);
        answer["tasks"].as_array().cloned().unwrap_or_default()
    }

    /// The whole answer to a poll from `known_revision`, whose set the agent
    /// holds, asking for only what changed since (waits up to `wait_ms`).
    pub fn poll_changes(&self, known_revision: u64, wait_ms: u64) -> Value {
        let body = json!({
            "cluster": self.cluster,
            "container_instance_id": self.instance_id,
            "known_revision": known_revision,
            "wait_ms": wait_ms,
            "wants_changes": true,
        });
        post(self.berth, "/agent/v1/poll", &body)
    }

    /// The whole answer to a first poll by an agent that takes the shared
    /// form: definitions once per answer.
    pub fn poll_shared(&self) -> Value {
        let body = json!({
            "cluster": self.cluster,
            "container_instance_id": self.instance_id,
            "known_revision": 0,
            "wait_ms": 0,
            "takes_shared": true,
        });
        post(self.berth, "/agent/v1/poll", &body)
    }

    /// The whole answer to a first poll.
    pub fn poll_answer(&self) -> Value {
        self.poll_changes(0, 0)
    }

    /// Reports a task with every container in `container_status`.
    pub fn report(
        &mut self,
        assignment: &Value,
        task_status: &str,
        container_status: &str,
        exit_code: Option<i32>,
    ) -> Value {
        let mut body = self.task_report(assignment, task_status, container_status, exit_code);
        body["cluster"] = json!(self.cluster);
        body["container_instance_id"] = json!(self.instance_id);
        post(self.berth, "/agent/v1/report", &body)
    }

    /// A poll from `known_revision` (see [`FakeAgent::poll_changes`])
    /// carrying `reports`, each made by [`FakeAgent::task_report`].
    pub fn poll_with_reports(&self, known_revision: u64, wait_ms: u64, reports: &[Value]) -> Value {
        post(
            self.berth,
            "/agent/v1/poll",
            &self.poll_body(known_revision, wait_ms, reports),
        )
    }

    /// The body of a poll carrying `reports`.
    pub fn poll_body(&self, known_revision: u64, wait_ms: u64, reports: &[Value]) -> Value {
        json!({
            "cluster": self.cluster,
            "container_instance_id": self.instance_id,
            "known_revision": known_revision,
            "wait_ms": wait_ms,
            "wants_changes": true,
            "reports": reports,
        })
    }

    /// The next report of a task with every container in
    /// `container_status`, as `{task_arn, report}`.
    pub fn task_report(
        &mut self,
        assignment: &Value,
        task_status: &str,
        container_status: &str,
        exit_code: Option<i32>,
    ) -> Value {
        self.seq += 1;
        let containers: Vec<Value> = assignment["definition"]["spec"]["containers"]
            .as_array()
            .expect("containers")
            .iter()
            .map(|c| {
                json!({
                    "name": c["name"],
                    "runtime_id": "fake",
                    "image_digest": null,
                    "last_status": container_status,
                    "exit_code": exit_code,
                    "reason": null,
                    "health_status": "unknown",
                    "network_bindings": [],
                })
            })
            .collect();
        let stopped = task_status == "stopped";
        json!({
            "task_arn": assignment["task_arn"],
            "report": {
                "epoch": self.epoch,
                "seq": self.seq,
                "last_status": task_status,
                "health_status": "unknown",
                "stop_code": if stopped { json!("essential_container_exited") } else { Value::Null },
                "stopped_reason": if stopped { json!("Essential container in task exited") } else { Value::Null },
                "pull_started_at_ms": 1,
                "pull_stopped_at_ms": 2,
                "started_at_ms": 3,
                "stopping_at_ms": null,
                "execution_stopped_at_ms": null,
                "containers": containers,
            },
        })
    }
}

fn post(berth: &Berth, path: &str, body: &Value) -> Value {
    let headers = [("Content-Type", "application/json".to_owned())];
    let (status, answer) = http_request(
        &berth.address,
        "POST",
        path,
        &headers,
        body.to_string().as_bytes(),
    );
    assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&answer));
    serde_json::from_slice(&answer).expect("json answer")
}
