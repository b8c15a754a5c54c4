//! Clusters through the AWS CLI: create, describe (with every include),
//! list, update, delete, and tags.

use serde_json::json;

use crate::common::Berth;

#[test]
fn cluster_lifecycle_with_the_aws_cli() {
    let berth = Berth::start();
    let created = berth.aws_ok(&[
        "ecs",
        "create-cluster",
        "--cluster-name",
        "web",
        "--tags",
        "key=team,value=edge",
        "key=env,value=test",
        "--settings",
        "name=containerInsights,value=enabled",
    ]);
    let cluster = &created["cluster"];
    assert_eq!(
        cluster["clusterArn"],
        "arn:aws:ecs:us-east-1:000000000000:cluster/web"
    );
    assert_eq!(cluster["clusterName"], "web");
    assert_eq!(cluster["status"], "ACTIVE");
    assert_eq!(cluster["registeredContainerInstancesCount"], 0);
    assert_eq!(
        cluster["settings"],
        json!([{"name": "containerInsights", "value": "enabled"}])
    );
    assert_eq!(
        cluster["tags"],
        json!([{"key": "team", "value": "edge"}, {"key": "env", "value": "test"}])
    );

    // CreateCluster is idempotent: the same name returns the same cluster.
    let again = berth.aws_ok(&["ecs", "create-cluster", "--cluster-name", "web"]);
    assert_eq!(again["cluster"]["settings"], cluster["settings"]);

    berth.aws_ok(&["ecs", "create-cluster", "--cluster-name", "batch"]);
    let listed = berth.aws_ok(&["ecs", "list-clusters"]);
    assert_eq!(
        listed["clusterArns"],
        json!([
            "arn:aws:ecs:us-east-1:000000000000:cluster/batch",
            "arn:aws:ecs:us-east-1:000000000000:cluster/web"
        ])
    );

    let described = berth.aws_ok(&[
        "ecs",
        "describe-clusters",
        "--clusters",
        "web",
        "arn:aws:ecs:us-east-1:000000000000:cluster/batch",
        "nope",
        "--include",
        "TAGS",
        "SETTINGS",
        "STATISTICS",
        "CONFIGURATIONS",
    ]);
    let clusters = described["clusters"].as_array().expect("clusters");
    assert_eq!(clusters.len(), 2);
    assert_eq!(clusters[0]["tags"].as_array().map(Vec::len), Some(2));
    assert!(
        clusters[0]["statistics"]
            .as_array()
            .is_some_and(|s| !s.is_empty())
    );
    assert_eq!(
        described["failures"],
        json!([{"arn": "arn:aws:ecs:us-east-1:000000000000:cluster/nope", "reason": "MISSING"}])
    );
    // Without include, tags and settings stay out.
    let plain = berth.aws_ok(&["ecs", "describe-clusters", "--clusters", "web"]);
    assert!(plain["clusters"][0].get("tags").is_none());

    let updated = berth.aws_ok(&[
        "ecs",
        "update-cluster-settings",
        "--cluster",
        "web",
        "--settings",
        "name=containerInsights,value=disabled",
    ]);
    assert_eq!(updated["cluster"]["settings"][0]["value"], "disabled");
    let updated = berth.aws_ok(&[
        "ecs", "update-cluster", "--cluster", "web", "--configuration",
        r#"{"executeCommandConfiguration": {"logging": "OVERRIDE", "logConfiguration": {"cloudWatchLogGroupName": "exec"}}}"#,
    ]);
    assert_eq!(
        updated["cluster"]["configuration"]["executeCommandConfiguration"]["logConfiguration"]["cloudWatchLogGroupName"],
        "exec"
    );

    let deleted = berth.aws_ok(&["ecs", "delete-cluster", "--cluster", "batch"]);
    assert_eq!(deleted["cluster"]["status"], "INACTIVE");
    // Deleted clusters stay describable but leave the listing.
    let described = berth.aws_ok(&["ecs", "describe-clusters", "--clusters", "batch"]);
    assert_eq!(described["clusters"][0]["status"], "INACTIVE");
    let listed = berth.aws_ok(&["ecs", "list-clusters"]);
    assert_eq!(listed["clusterArns"].as_array().map(Vec::len), Some(1));
    let failure = berth
        .aws(&["ecs", "delete-cluster", "--cluster", "batch"])
        .expect_err("a second delete fails");
    assert!(
        failure.has_code("ClusterNotFoundException"),
        "{}",
        failure.stderr
    );
    let failure = berth
        .aws(&[
            "ecs",
            "update-cluster-settings",
            "--cluster",
            "ghost",
            "--settings",
            "name=containerInsights,value=enabled",
        ])
        .expect_err("unknown cluster");
    assert!(
        failure.has_code("ClusterNotFoundException"),
        "{}",
        failure.stderr
    );
}

#[test]
fn cluster_tags_and_pagination() {
    let berth = Berth::start();
    for idx in 0..12 {
        berth.aws_ok(&[
            "ecs",
            "create-cluster",
            "--cluster-name",
            &format!("c{idx:02}"),
        ]);
    }
    // The CLI follows nextToken by itself; a small page size forces it to.
    let listed = berth.aws_ok(&["ecs", "list-clusters", "--page-size", "5"]);
    let arns: Vec<&str> = listed["clusterArns"]
        .as_array()
        .expect("arns")
        .iter()
        .filter_map(|arn| arn.as_str())
        .collect();
    assert_eq!(arns.len(), 12);
    assert!(arns.windows(2).all(|pair| pair[0] < pair[1]), "{arns:?}");
    let page = berth.aws_ok(&["ecs", "list-clusters", "--max-items", "5"]);
    assert_eq!(page["clusterArns"].as_array().map(Vec::len), Some(5));
    assert!(page["NextToken"].is_string());

    let arn = "arn:aws:ecs:us-east-1:000000000000:cluster/c03";
    berth.aws_ok(&[
        "ecs",
        "tag-resource",
        "--resource-arn",
        arn,
        "--tags",
        "key=a,value=1",
        "key=b,value=2",
    ]);
    berth.aws_ok(&[
        "ecs",
        "tag-resource",
        "--resource-arn",
        arn,
        "--tags",
        "key=a,value=3",
    ]);
    berth.aws_ok(&[
        "ecs",
        "untag-resource",
        "--resource-arn",
        arn,
        "--tag-keys",
        "b",
    ]);
    let tags = berth.aws_ok(&["ecs", "list-tags-for-resource", "--resource-arn", arn]);
    assert_eq!(tags["tags"], json!([{"key": "a", "value": "3"}]));
    let failure = berth
        .aws(&[
            "ecs",
            "tag-resource",
            "--resource-arn",
            arn,
            "--tags",
            "key=aws:x,value=1",
        ])
        .expect_err("reserved prefix");
    assert!(
        failure.has_code("InvalidParameterException"),
        "{}",
        failure.stderr
    );
    let failure = berth
        .aws(&[
            "ecs",
            "list-tags-for-resource",
            "--resource-arn",
            "arn:aws:ecs:us-east-1:000000000000:cluster/ghost",
        ])
        .expect_err("unknown cluster");
    assert!(
        failure.has_code("ClusterNotFoundException"),
        "{}",
        failure.stderr
    );
}
