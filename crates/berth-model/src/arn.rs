//! Amazon Resource Names in the long ECS format, built from the configured
//! region and account, and parsed back from what clients send.

use std::fmt;

/// Where ARNs are minted: the partition, region and account of this Berth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub partition: String,
    pub region: String,
    pub account_id: String,
}

impl Scope {
    /// A scope in the standard `aws` partition.
    pub fn new(region: impl Into<String>, account_id: impl Into<String>) -> Self {
        Scope {
            partition: "aws".to_owned(),
            region: region.into(),
            account_id: account_id.into(),
        }
    }

    /// `arn:aws:<service>:<region>:<account>:<resource>`.
    pub fn arn(&self, service: &str, resource: impl fmt::Display) -> String {
        format!(
            "arn:{}:{}:{}:{}:{}",
            self.partition, service, self.region, self.account_id, resource
        )
    }

    /// `arn:…:ecs:…:cluster/<name>`.
    pub fn cluster_arn(&self, cluster_name: &str) -> String {
        self.arn("ecs", format_args!("cluster/{cluster_name}"))
    }

    /// `arn:…:ecs:…:task-definition/<family>:<revision>`.
    pub fn task_definition_arn(&self, family: &str, revision: u32) -> String {
        self.arn("ecs", format_args!("task-definition/{family}:{revision}"))
    }

    /// `arn:…:ecs:…:task/<cluster>/<task id>`.
    pub fn task_arn(&self, cluster_name: &str, task_id: &str) -> String {
        self.arn("ecs", format_args!("task/{cluster_name}/{task_id}"))
    }

    /// `arn:…:ecs:…:container-instance/<cluster>/<id>`.
    pub fn container_instance_arn(&self, cluster_name: &str, instance_id: &str) -> String {
        self.arn(
            "ecs",
            format_args!("container-instance/{cluster_name}/{instance_id}"),
        )
    }

    /// `arn:…:ecs:…:container/<cluster>/<task id>/<container id>`.
    pub fn container_arn(&self, cluster_name: &str, task_id: &str, container_id: &str) -> String {
        self.arn(
            "ecs",
            format_args!("container/{cluster_name}/{task_id}/{container_id}"),
        )
    }

    /// `arn:…:ecs:…:service/<cluster>/<name>`.
    pub fn service_arn(&self, cluster_name: &str, service_name: &str) -> String {
        self.arn("ecs", format_args!("service/{cluster_name}/{service_name}"))
    }

    /// `arn:…:ecs:…:capacity-provider/<name>`.
    pub fn capacity_provider_arn(&self, name: &str) -> String {
        self.arn("ecs", format_args!("capacity-provider/{name}"))
    }

    /// `arn:…:ecr:…:repository/<name>`.
    pub fn repository_arn(&self, repository_name: &str) -> String {
        self.arn("ecr", format_args!("repository/{repository_name}"))
    }
}

/// A parsed ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account_id: &'a str,
    /// The resource part, e.g. `cluster/default` or `task-definition/web:3`.
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Parses an ARN; `None` when `text` is not one.
    pub fn parse(text: &'a str) -> Option<Self> {
        let mut parts = text.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        let arn = Arn {
            partition: parts.next()?,
            service: parts.next()?,
            region: parts.next()?,
            account_id: parts.next()?,
            resource: parts.next()?,
        };
        if arn.partition.is_empty() || arn.service.is_empty() || arn.resource.is_empty() {
            return None;
        }
        Some(arn)
    }

    /// The resource type and the rest: `("task", "c1/abc")` for `task/c1/abc`.
    pub fn resource_type(&self) -> (&'a str, &'a str) {
        self.resource.split_once('/').unwrap_or((self.resource, ""))
    }

    /// Whether this ARN lies in `scope` (same partition, region and account).
    pub fn is_in(&self, scope: &Scope) -> bool {
        self.partition == scope.partition
            && self.region == scope.region
            && self.account_id == scope.account_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_long_arns() {
        let scope = Scope::new("us-east-1", "000000000000");
        assert_eq!(
            scope.cluster_arn("default"),
            "arn:aws:ecs:us-east-1:000000000000:cluster/default"
        );
        assert_eq!(
            scope.task_definition_arn("web", 3),
            "arn:aws:ecs:us-east-1:000000000000:task-definition/web:3"
        );
        assert_eq!(
            scope.task_arn("c1", "0123456789abcdef0123456789abcdef"),
            "arn:aws:ecs:us-east-1:000000000000:task/c1/0123456789abcdef0123456789abcdef"
        );
    }

    #[test]
    fn parses_arns() {
        let check = |text: &str, expected: Option<(&str, &str, &str)>| {
            let got = Arn::parse(text).map(|arn| {
                let (kind, rest) = arn.resource_type();
                (arn.service, kind, rest)
            });
            assert_eq!(got, expected, "{text}");
        };
        check(
            "arn:aws:ecs:us-east-1:000000000000:cluster/default",
            Some(("ecs", "cluster", "default")),
        );
        check(
            "arn:aws:ecs:us-east-1:1:task-definition/web:3",
            Some(("ecs", "task-definition", "web:3")),
        );
        check(
            "arn:aws:ecs:us-east-1:1:task/c/x",
            Some(("ecs", "task", "c/x")),
        );
        check("cluster/default", None);
        check("arn:aws:ecs", None);
        check("arn::ecs:r:a:cluster/x", None);
    }
}
