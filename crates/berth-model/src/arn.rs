//! Amazon Resource Names in the long ECS format, built from the configured
//! region and account, and parsed back from what clients send.

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

    /// `arn:<partition>:<service>:<region>:<account>:<resource>`.
    pub fn arn(&self, service: &str, resource: &str) -> String {
        self.arn_of(service, &[resource])
    }

    /// `arn:<partition>:<service>:<region>:<account>:` and the pieces of
    /// the resource part, in a string allocated once at its exact size:
    /// answers mint several ARNs for every task they carry, and `format!`
    /// grows its string several times over for each.
    fn arn_of(&self, service: &str, resource: &[&str]) -> String {
        let prefix = [
            "arn:",
            &self.partition,
            ":",
            service,
            ":",
            &self.region,
            ":",
            &self.account_id,
            ":",
        ];
        let len = prefix.iter().chain(resource).map(|piece| piece.len()).sum();
        let mut arn = String::with_capacity(len);
        for piece in prefix.iter().chain(resource) {
            arn.push_str(piece);
        }
        arn
    }

    /// `arn:…:ecs:…:cluster/<name>`.
    pub fn cluster_arn(&self, cluster_name: &str) -> String {
        self.arn_of("ecs", &["cluster/", cluster_name])
    }

    /// `arn:…:ecs:…:task-definition/<family>:<revision>`.
    pub fn task_definition_arn(&self, family: &str, revision: u32) -> String {
        self.arn_of(
            "ecs",
            &["task-definition/", family, ":", &revision.to_string()],
        )
    }

    /// `arn:…:ecs:…:task/<cluster>/<task id>`.
    pub fn task_arn(&self, cluster_name: &str, task_id: &str) -> String {
        self.arn_of("ecs", &["task/", cluster_name, "/", task_id])
    }

    /// `arn:…:ecs:…:container-instance/<cluster>/<id>`.
    pub fn container_instance_arn(&self, cluster_name: &str, instance_id: &str) -> String {
        self.arn_of(
            "ecs",
            &["container-instance/", cluster_name, "/", instance_id],
        )
    }

    /// `arn:…:ecs:…:container/<cluster>/<task id>/<container id>`.
    pub fn container_arn(&self, cluster_name: &str, task_id: &str, container_id: &str) -> String {
        self.arn_of(
            "ecs",
            &["container/", cluster_name, "/", task_id, "/", container_id],
        )
    }

    /// `arn:…:ecs:…:service/<cluster>/<name>`.
    pub fn service_arn(&self, cluster_name: &str, service_name: &str) -> String {
        self.arn_of("ecs", &["service/", cluster_name, "/", service_name])
    }

    /// `arn:…:ecs:…:capacity-provider/<name>`.
    pub fn capacity_provider_arn(&self, name: &str) -> String {
        self.arn_of("ecs", &["capacity-provider/", name])
    }

    /// `arn:…:ecr:…:repository/<name>`.
    pub fn repository_arn(&self, repository_name: &str) -> String {
        self.arn_of("ecr", &["repository/", repository_name])
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
        assert_eq!(
            scope.container_instance_arn("c1", "i1"),
            "arn:aws:ecs:us-east-1:000000000000:container-instance/c1/i1"
        );
        assert_eq!(
            scope.container_arn("c1", "t1", "k1"),
            "arn:aws:ecs:us-east-1:000000000000:container/c1/t1/k1"
        );
        assert_eq!(
            scope.service_arn("c1", "web"),
            "arn:aws:ecs:us-east-1:000000000000:service/c1/web"
        );
        assert_eq!(
            scope.capacity_provider_arn("cp"),
            "arn:aws:ecs:us-east-1:000000000000:capacity-provider/cp"
        );
        assert_eq!(
            scope.repository_arn("team/app"),
            "arn:aws:ecr:us-east-1:000000000000:repository/team/app"
        );
        assert_eq!(
            scope.arn("kms", "alias/aws/ecr"),
            "arn:aws:kms:us-east-1:000000000000:alias/aws/ecr"
        );
        let china = Scope {
            partition: "aws-cn".to_owned(),
            ..Scope::new("cn-north-1", "123456789012")
        };
        assert_eq!(
            china.task_arn("c1", "t1"),
            "arn:aws-cn:ecs:cn-north-1:123456789012:task/c1/t1"
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
