//! Manifest endpoints over a real socket: the four manifest types,
//! reference checks, tags, referrers, catalog, deletes, names and GC.

mod common;

use std::time::Duration;

use bytes::Bytes;
use common::*;
use hyper::StatusCode;

const REPO: &str = "team/app";

async fn server_with_repo() -> Server {
    let server = Server::start(Options::default()).await;
    server.create_repo(REPO).await;
    server
}

#[tokio::test]
async fn manifests_of_all_four_types() {
    let server = server_with_repo().await;
    let config = server.push_blob(REPO, b"{}").await;
    let layer = server.push_blob(REPO, b"layer bytes").await;

    let oci = image_manifest(OCI_MANIFEST, &config, &[&layer], "");
    let docker = image_manifest(DOCKER_MANIFEST, &config, &[&layer], "");
    let mut digests = Vec::new();
    for (tag, media, body) in [
        ("oci", OCI_MANIFEST, &oci),
        ("docker", DOCKER_MANIFEST, &docker),
    ] {
        let res = server.push_manifest(REPO, tag, media, body).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        let digest = digest_of(body.as_bytes());
        assert_eq!(res.header("docker-content-digest"), Some(digest.as_str()));
        assert_eq!(
            res.header("location"),
            Some(format!("/v2/{REPO}/manifests/{digest}").as_str())
        );
        digests.push(digest);
    }
    let index = index_manifest(OCI_INDEX, &[&digests[0]]);
    let list = index_manifest(DOCKER_LIST, &[&digests[1]]);
    for (tag, media, body) in [("index", OCI_INDEX, &index), ("list", DOCKER_LIST, &list)] {
        let res = server.push_manifest(REPO, tag, media, body).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }
    // Pulled back byte for byte, by tag and by digest, with their types.
    for (tag, media, body) in [
        ("oci", OCI_MANIFEST, &oci),
        ("docker", DOCKER_MANIFEST, &docker),
        ("index", OCI_INDEX, &index),
        ("list", DOCKER_LIST, &list),
    ] {
        let digest = digest_of(body.as_bytes());
        for reference in [tag, digest.as_str()] {
            let path = format!("/v2/{REPO}/manifests/{reference}");
            let res = server.send("GET", &path, &[], Bytes::new()).await;
            assert_eq!(res.status, StatusCode::OK);
            assert_eq!(res.body.as_ref(), body.as_bytes());
            assert_eq!(res.header("content-type"), Some(media));
            assert_eq!(res.header("docker-content-digest"), Some(digest.as_str()));
            let head = server.send("HEAD", &path, &[], Bytes::new()).await;
            assert_eq!(head.status, StatusCode::OK);
            assert!(head.body.is_empty());
            assert_eq!(
                head.header("content-length"),
                Some(body.len().to_string().as_str())
            );
            assert_eq!(head.header("docker-content-digest"), Some(digest.as_str()));
        }
    }

    // Refusals.
    let missing = digest_of(b"never pushed");
    let res = server
        .push_manifest(
            REPO,
            "bad",
            OCI_MANIFEST,
            &image_manifest(OCI_MANIFEST, &config, &[&missing], ""),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.error_code(), "MANIFEST_BLOB_UNKNOWN");
    assert_eq!(
        res.json()["errors"][0]["detail"]["digest"],
        missing.as_str()
    );
    let res = server
        .push_manifest(
            REPO,
            "bad",
            OCI_INDEX,
            &index_manifest(OCI_INDEX, &[&missing]),
        )
        .await;
    assert_eq!(res.error_code(), "MANIFEST_BLOB_UNKNOWN");
    let res = server
        .push_manifest(REPO, &digest_of(b"other"), OCI_MANIFEST, &oci)
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.error_code(), "DIGEST_INVALID");
    let res = server
        .push_manifest(REPO, "bad", OCI_MANIFEST, "{not json")
        .await;
    assert_eq!(res.error_code(), "MANIFEST_INVALID");
    let res = server
        .push_manifest(REPO, "bad", DOCKER_MANIFEST, &oci)
        .await;
    assert_eq!(res.error_code(), "MANIFEST_INVALID", "type mismatch");
    let huge = image_manifest(
        OCI_MANIFEST,
        &config,
        &[&layer],
        &format!(
            r#","annotations":{{"pad":"{}"}}"#,
            "x".repeat(4 * 1024 * 1024)
        ),
    );
    let res = server
        .push_manifest(REPO, "huge", OCI_MANIFEST, &huge)
        .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.error_code(), "MANIFEST_INVALID");
    let res = server
        .push_manifest(REPO, "bad%20tag", OCI_MANIFEST, &oci)
        .await;
    assert_eq!(res.error_code(), "TAG_INVALID");

    for (path, status, code) in [
        (
            format!("/v2/{REPO}/manifests/nope"),
            StatusCode::NOT_FOUND,
            "MANIFEST_UNKNOWN",
        ),
        (
            format!("/v2/{REPO}/manifests/{missing}"),
            StatusCode::NOT_FOUND,
            "MANIFEST_UNKNOWN",
        ),
        (
            format!("/v2/{REPO}/manifests/sha256:totallywrong"),
            StatusCode::BAD_REQUEST,
            "DIGEST_INVALID",
        ),
        (
            "/v2/no/such/repo/manifests/latest".to_string(),
            StatusCode::NOT_FOUND,
            "NAME_UNKNOWN",
        ),
    ] {
        let res = server.send("GET", &path, &[], Bytes::new()).await;
        assert_eq!(res.status, status, "{path}");
        assert_eq!(res.error_code(), code, "{path}");
    }
}

#[tokio::test]
async fn immutable_tags_refuse_to_move() {
    let server = Server::start(Options::default()).await;
    let name = berth_registry::RepositoryName::parse("fixed").unwrap();
    server
        .registry
        .create_repository(&name, true)
        .await
        .unwrap();
    let config = server.push_blob("fixed", b"{}").await;
    let first = image_manifest(OCI_MANIFEST, &config, &[], "");
    let second = image_manifest(OCI_MANIFEST, &config, &[], r#","annotations":{"v":"2"}"#);
    let res = server
        .push_manifest("fixed", "v1", OCI_MANIFEST, &first)
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let res = server
        .push_manifest("fixed", "v1", OCI_MANIFEST, &first)
        .await;
    assert_eq!(
        res.status,
        StatusCode::CREATED,
        "re-pushing the same manifest is fine"
    );
    let res = server
        .push_manifest("fixed", "v1", OCI_MANIFEST, &second)
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.error_code(), "TAG_INVALID");
}

#[tokio::test]
async fn tag_list_and_catalog_paginate_with_link() {
    let server = server_with_repo().await;
    let config = server.push_blob(REPO, b"{}").await;
    let manifest = image_manifest(OCI_MANIFEST, &config, &[], "");
    for tag in ["e", "a", "d", "b", "c"] {
        let res = server
            .push_manifest(REPO, tag, OCI_MANIFEST, &manifest)
            .await;
        assert_eq!(res.status, StatusCode::CREATED);
    }
    let res = server
        .send("GET", &format!("/v2/{REPO}/tags/list"), &[], Bytes::new())
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.json(),
        serde_json::json!({"name": REPO, "tags": ["a", "b", "c", "d", "e"]})
    );
    assert!(res.header("link").is_none());

    let mut path = format!("/v2/{REPO}/tags/list?n=2");
    let mut pages = Vec::new();
    loop {
        let res = server.send("GET", &path, &[], Bytes::new()).await;
        pages.push(res.json()["tags"].clone());
        match res.header("link") {
            Some(link) => {
                path = link
                    .trim_start_matches('<')
                    .split('>')
                    .next()
                    .unwrap()
                    .to_string();
                assert!(link.ends_with("; rel=\"next\""), "{link}");
            }
            None => break,
        }
    }
    assert_eq!(
        pages,
        vec![
            serde_json::json!(["a", "b"]),
            serde_json::json!(["c", "d"]),
            serde_json::json!(["e"])
        ]
    );
    let res = server
        .send(
            "GET",
            &format!("/v2/{REPO}/tags/list?n=2&last=b"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.json()["tags"], serde_json::json!(["c", "d"]));
    let res = server
        .send(
            "GET",
            &format!("/v2/{REPO}/tags/list?n=0"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.json()["tags"], serde_json::json!([]));
    assert!(res.header("link").is_none());
    let res = server
        .send(
            "GET",
            &format!("/v2/{REPO}/tags/list?n=x"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = server
        .send("GET", "/v2/unknown/tags/list", &[], Bytes::new())
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.error_code(), "NAME_UNKNOWN");

    server.create_repo("a/first").await;
    server.create_repo("z/last").await;
    let res = server
        .send("GET", "/v2/_catalog?n=2", &[], Bytes::new())
        .await;
    assert_eq!(
        res.json(),
        serde_json::json!({"repositories": ["a/first", REPO]})
    );
    assert_eq!(
        res.header("link"),
        Some(format!("</v2/_catalog?n=2&last={REPO}>; rel=\"next\"").as_str())
    );
    let res = server
        .send(
            "GET",
            &format!("/v2/_catalog?n=2&last={REPO}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.json(), serde_json::json!({"repositories": ["z/last"]}));
}

#[tokio::test]
async fn referrers_are_indexed_and_filtered() {
    let server = server_with_repo().await;
    let config = server.push_blob(REPO, b"{}").await;
    let subject_body = image_manifest(OCI_MANIFEST, &config, &[], "");
    let subject = digest_of(subject_body.as_bytes());

    // A referrer may arrive before its subject.
    let subject_field = format!(
        r#","artifactType":"application/x-sbom","subject":{{"mediaType":"{OCI_MANIFEST}","digest":"{subject}","size":1}},"annotations":{{"k":"v"}}"#
    );
    let sbom = image_manifest(OCI_MANIFEST, &config, &[], &subject_field);
    let res = server
        .push_manifest(REPO, &digest_of(sbom.as_bytes()), OCI_MANIFEST, &sbom)
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.header("oci-subject"), Some(subject.as_str()));
    let res = server
        .push_manifest(REPO, "subject", OCI_MANIFEST, &subject_body)
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert!(res.header("oci-subject").is_none());
    let signature = image_manifest(
        OCI_MANIFEST,
        &config,
        &[],
        &subject_field.replace("application/x-sbom", "application/x-signature"),
    );
    let res = server
        .push_manifest(REPO, "sig", OCI_MANIFEST, &signature)
        .await;
    assert_eq!(res.status, StatusCode::CREATED);

    let path = format!("/v2/{REPO}/referrers/{subject}");
    let res = server.send("GET", &path, &[], Bytes::new()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), Some(OCI_INDEX));
    let index = res.json();
    assert_eq!(index["schemaVersion"], 2);
    assert_eq!(index["manifests"].as_array().unwrap().len(), 2);
    assert!(res.header("oci-filters-applied").is_none());

    let res = server
        .send(
            "GET",
            &format!("{path}?artifactType=application/x-sbom"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.header("oci-filters-applied"), Some("artifactType"));
    let manifests = res.json()["manifests"].clone();
    assert_eq!(manifests.as_array().unwrap().len(), 1);
    assert_eq!(manifests[0]["digest"], digest_of(sbom.as_bytes()).as_str());
    assert_eq!(manifests[0]["artifactType"], "application/x-sbom");
    assert_eq!(manifests[0]["annotations"]["k"], "v");
    assert_eq!(manifests[0]["size"], sbom.len());

    let res = server
        .send(
            "GET",
            &format!("/v2/{REPO}/referrers/{}", digest_of(b"none")),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json()["manifests"], serde_json::json!([]));
    let res = server
        .send(
            "GET",
            &format!("/v2/{REPO}/referrers/sha256:bad"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);

    // Deleting a referrer drops it from the index.
    let res = server
        .send(
            "DELETE",
            &format!("/v2/{REPO}/manifests/{}", digest_of(signature.as_bytes())),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::ACCEPTED);
    let res = server.send("GET", &path, &[], Bytes::new()).await;
    assert_eq!(res.json()["manifests"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn deletes_of_tags_manifests_and_blobs() {
    let server = server_with_repo().await;
    let config = server.push_blob(REPO, b"{}").await;
    let manifest = image_manifest(OCI_MANIFEST, &config, &[], "");
    let digest = digest_of(manifest.as_bytes());
    for tag in ["one", "two", "three"] {
        server
            .push_manifest(REPO, tag, OCI_MANIFEST, &manifest)
            .await;
    }
    let res = server
        .send(
            "DELETE",
            &format!("/v2/{REPO}/manifests/one"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::ACCEPTED);
    let res = server
        .send(
            "GET",
            &format!("/v2/{REPO}/manifests/one"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = server
        .send(
            "GET",
            &format!("/v2/{REPO}/manifests/two"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "other tags stay");
    let res = server
        .send(
            "DELETE",
            &format!("/v2/{REPO}/manifests/one"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.error_code(), "MANIFEST_UNKNOWN");

    let res = server
        .send(
            "DELETE",
            &format!("/v2/{REPO}/manifests/{digest}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::ACCEPTED);
    for reference in ["two", "three", digest.as_str()] {
        let res = server
            .send(
                "GET",
                &format!("/v2/{REPO}/manifests/{reference}"),
                &[],
                Bytes::new(),
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{reference}");
    }
    let res = server
        .send("GET", &format!("/v2/{REPO}/tags/list"), &[], Bytes::new())
        .await;
    assert_eq!(res.json()["tags"], serde_json::json!([]));

    let res = server
        .send(
            "DELETE",
            &format!("/v2/{REPO}/blobs/{config}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::ACCEPTED);
    let res = server
        .send(
            "GET",
            &format!("/v2/{REPO}/blobs/{config}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.error_code(), "BLOB_UNKNOWN");
    let res = server
        .send(
            "DELETE",
            &format!("/v2/{REPO}/blobs/{config}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = server.send("POST", "/v2/_catalog", &[], Bytes::new()).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.error_code(), "UNSUPPORTED");
}

#[tokio::test]
async fn bad_names_and_multi_component_names() {
    let server = Server::start(Options {
        require_existing_repository: false,
        ..Options::default()
    })
    .await;
    for path in [
        "/v2/../etc/tags/list",
        "/v2/a/../b/manifests/latest",
        "/v2/Upper/manifests/latest",
        "/v2/a//b/blobs/uploads/",
        "/v2/-a/tags/list",
    ] {
        let method = if path.ends_with("uploads/") {
            "POST"
        } else {
            "GET"
        };
        let res = server.send(method, path, &[], Bytes::new()).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(res.error_code(), "NAME_INVALID", "{path}");
    }
    let long = format!("/v2/{}/tags/list", "a".repeat(300));
    let res = server.send("GET", &long, &[], Bytes::new()).await;
    assert_eq!(res.error_code(), "NAME_INVALID");

    // Without require_existing_repository the first push creates a deep name.
    let name = "org/team/blobs/manifests/app";
    let config = server.push_blob(name, b"{}").await;
    let manifest = image_manifest(OCI_MANIFEST, &config, &[], "");
    let res = server
        .push_manifest(name, "latest", OCI_MANIFEST, &manifest)
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = server
        .send(
            "GET",
            &format!("/v2/{name}/manifests/latest"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.body.as_ref(), manifest.as_bytes());
    let res = server.send("GET", "/v2/_catalog", &[], Bytes::new()).await;
    assert_eq!(res.json()["repositories"], serde_json::json!([name]));
}

#[tokio::test]
async fn garbage_collection_removes_only_unreferenced_old_blobs() {
    let mut server = Server::start(Options {
        gc_grace_period: Duration::from_secs(3600),
        ..Options::default()
    })
    .await;
    server.create_repo(REPO).await;
    let config = server.push_blob(REPO, b"{}").await;
    let layer = server.push_blob(REPO, b"kept layer").await;
    let orphan = server.push_blob(REPO, b"orphan layer").await;
    let manifest = image_manifest(OCI_MANIFEST, &config, &[&layer], "");
    server
        .push_manifest(REPO, "v1", OCI_MANIFEST, &manifest)
        .await;
    let res = server
        .send(
            "POST",
            &format!("/v2/{REPO}/blobs/uploads/"),
            &[],
            Bytes::new(),
        )
        .await;
    let upload = res.header("location").unwrap().to_string();

    // Within the grace period nothing goes.
    let report = server.registry.collect_garbage().await.unwrap();
    assert_eq!(report.blobs_deleted, 0);

    server.clock.advance(Duration::from_secs(2 * 24 * 3600));
    // The old token expired with the jump; log in again.
    server.auth_header = format!("Basic {}", server.authority.issue().authorization_token);
    let fresh = &server;
    let report = fresh.registry.collect_garbage().await.unwrap();
    assert_eq!(report.blobs_deleted, 1, "{report:?}");
    assert_eq!(report.links_removed, 1);
    assert_eq!(report.uploads_expired, 1);
    let res = fresh
        .send(
            "GET",
            &format!("/v2/{REPO}/blobs/{orphan}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    for kept in [&config, &layer] {
        let res = fresh
            .send(
                "GET",
                &format!("/v2/{REPO}/blobs/{kept}"),
                &[],
                Bytes::new(),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
    }
    let res = fresh
        .send(
            "GET",
            &format!("/v2/{REPO}/manifests/v1"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.body.as_ref(), manifest.as_bytes());
    let res = fresh.send("GET", &upload, &[], Bytes::new()).await;
    assert_eq!(res.error_code(), "BLOB_UPLOAD_UNKNOWN");

    // After deleting the manifest its blobs go too; the orphan can be re-pushed.
    fresh
        .send(
            "DELETE",
            &format!("/v2/{REPO}/manifests/v1"),
            &[],
            Bytes::new(),
        )
        .await;
    let res = fresh
        .send(
            "DELETE",
            &format!("/v2/{REPO}/manifests/{}", digest_of(manifest.as_bytes())),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::ACCEPTED);
    let report = fresh.registry.collect_garbage().await.unwrap();
    assert_eq!(
        report.blobs_deleted, 3,
        "config, layer and manifest bytes: {report:?}"
    );
    assert_eq!(fresh.push_blob(REPO, b"orphan layer").await, orphan);
}

#[tokio::test]
async fn concurrent_pushes_of_one_blob_and_one_tag_are_safe() {
    let server = std::sync::Arc::new(server_with_repo().await);
    let data = vec![7u8; 256 * 1024];
    let digest = digest_of(&data);
    let mut pushes = Vec::new();
    for _ in 0..8 {
        let server = server.clone();
        let data = data.clone();
        pushes.push(tokio::spawn(
            async move { server.push_blob(REPO, &data).await },
        ));
    }
    for push in pushes {
        assert_eq!(push.await.unwrap(), digest);
    }
    let res = server
        .send(
            "GET",
            &format!("/v2/{REPO}/blobs/{digest}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.body.as_ref(), data.as_slice());

    // Eight different manifests race for one tag: each push succeeds and the
    // tag ends on exactly one of them.
    let config = server.push_blob(REPO, b"{}").await;
    let bodies: Vec<String> = (0..8)
        .map(|idx| {
            image_manifest(
                OCI_MANIFEST,
                &config,
                &[&digest],
                &format!(r#","annotations":{{"n":"{idx}"}}"#),
            )
        })
        .collect();
    let mut tags = Vec::new();
    for body in bodies.clone() {
        let server = server.clone();
        tags.push(tokio::spawn(async move {
            server
                .push_manifest(REPO, "race", OCI_MANIFEST, &body)
                .await
                .status
        }));
    }
    for tag in tags {
        assert_eq!(tag.await.unwrap(), StatusCode::CREATED);
    }
    let res = server
        .send(
            "GET",
            &format!("/v2/{REPO}/manifests/race"),
            &[],
            Bytes::new(),
        )
        .await;
    assert!(
        bodies
            .iter()
            .any(|body| body.as_bytes() == res.body.as_ref())
    );
    let res = server
        .send("GET", &format!("/v2/{REPO}/tags/list"), &[], Bytes::new())
        .await;
    assert_eq!(res.json()["tags"], serde_json::json!(["race"]));
}

#[tokio::test]
async fn manifest_push_fails_while_its_blob_is_being_collected() {
    use berth_store::{Kv, Op, Txn};
    let server = server_with_repo().await;
    let config = server.push_blob(REPO, b"{}").await;
    // What the collector writes before deleting a blob.
    let doomed = format!("registry/doomed/{config}").into_bytes();
    let txn = Txn {
        compares: Vec::new(),
        ops: vec![Op::Put {
            key: doomed.clone(),
            value: Vec::new(),
        }],
    };
    assert!(server.kv.txn(txn).await.unwrap().succeeded);
    let manifest = image_manifest(OCI_MANIFEST, &config, &[], "");
    let res = server
        .push_manifest(REPO, "v1", OCI_MANIFEST, &manifest)
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.error_code(), "TOOMANYREQUESTS");
    let res = server
        .send(
            "GET",
            &format!("/v2/{REPO}/manifests/v1"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "nothing half-written");
}
