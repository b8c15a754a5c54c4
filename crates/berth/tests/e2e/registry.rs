//! The registry end to end with real clients: docker push and pull of
//! locally built images (several tags, several layers), skopeo round trips
//! from an OCI layout, the ECR login flow, and immutable tags.

use std::path::Path;

use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::common::http_request;
use crate::registry_support::{Docker, Server};

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn image_tags(details: &Value) -> Vec<Vec<String>> {
    let mut tags: Vec<Vec<String>> = details["imageDetails"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|detail| {
                    let mut tags: Vec<String> = detail["imageTags"]
                        .as_array()
                        .map(|t| {
                            t.iter()
                                .filter_map(|v| v.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default();
                    tags.sort();
                    tags
                })
                .collect()
        })
        .unwrap_or_default();
    tags.sort();
    tags
}

#[test]
fn docker_push_and_pull_several_tags_and_layers() {
    let server = Server::start();
    let mut docker = Docker::new("push-pull");
    let created = server.aws_ok(&["ecr", "create-repository", "--repository-name", "team/app"]);
    let uri = created["repository"]["repositoryUri"]
        .as_str()
        .expect("uri")
        .to_owned();
    assert_eq!(uri, format!("{}/team/app", server.address));
    docker.login(&server);

    let v1 = format!("{uri}:v1");
    let v2 = format!("{uri}:v2");
    let multi = format!("{uri}:multi");
    docker.import_busybox(&v1, &docker.id.clone());
    docker.ok(&["tag", &v1, &v2]);
    docker.track(&v2);
    docker.commit_layer(&v1, &multi, "hello-from-berth");
    for reference in [&v1, &v2, &multi] {
        docker.ok(&["push", reference]);
    }

    let details = server.aws_ok(&["ecr", "describe-images", "--repository-name", "team/app"]);
    assert_eq!(
        image_tags(&details),
        vec![
            vec!["multi".to_owned()],
            vec!["v1".to_owned(), "v2".to_owned()]
        ],
        "{details}"
    );
    for detail in details["imageDetails"].as_array().expect("details") {
        assert!(
            detail["imageSizeInBytes"].as_i64().unwrap_or(0) > 500_000,
            "{detail}"
        );
        assert!(!detail["imagePushedAt"].is_null(), "{detail}");
        assert_eq!(
            detail["imageManifestMediaType"],
            "application/vnd.docker.distribution.manifest.v2+json"
        );
    }
    let got = server.aws_ok(&[
        "ecr",
        "batch-get-image",
        "--repository-name",
        "team/app",
        "--image-ids",
        "imageTag=multi",
    ]);
    let manifest: Value = serde_json::from_str(
        got["images"][0]["imageManifest"]
            .as_str()
            .expect("manifest text"),
    )
    .expect("manifest JSON");
    let layers = manifest["layers"].as_array().expect("layers");
    assert_eq!(layers.len(), 2, "{manifest}");

    // GetDownloadUrlForLayer gives a URL the registry credentials open.
    let digest = layers[1]["digest"].as_str().expect("digest");
    let url = server.aws_ok(&[
        "ecr",
        "get-download-url-for-layer",
        "--repository-name",
        "team/app",
        "--layer-digest",
        digest,
    ]);
    let url = url["downloadUrl"].as_str().expect("downloadUrl");
    let path = url
        .strip_prefix(&format!("http://{}", server.address))
        .expect("our host");
    let (status, body) = http_request(
        &server.address,
        "GET",
        path,
        &[("Authorization", server.basic_auth())],
        b"",
    );
    assert_eq!((status, sha256(&body)), (200, digest.to_owned()));

    // Pull everything back after removing the local copies.
    for reference in [&v1, &v2, &multi] {
        docker.ok(&["rmi", reference]);
    }
    for reference in [&v2, &multi] {
        docker.ok(&["pull", reference]);
    }
    let out = docker.ok(&[
        "run",
        "--rm",
        "--label",
        &format!("berth.test={}", docker.id),
        &multi,
        "cat",
        "/hello",
    ]);
    assert_eq!(out.trim(), "hello-from-berth");
    let out = docker.ok(&[
        "run",
        "--rm",
        "--label",
        &format!("berth.test={}", docker.id),
        &v2,
        "cat",
        "/marker",
    ]);
    assert_eq!(out.trim(), docker.id);
}

#[test]
fn ecr_login_flow_and_anonymous_refusal() {
    let server = Server::start();
    let docker = Docker::new("login");
    let token = server.aws_ok(&["ecr", "get-authorization-token"]);
    let data = &token["authorizationData"][0];
    assert_eq!(data["proxyEndpoint"], format!("http://{}", server.address));
    docker.login(&server);
    let (status, body) = http_request(&server.address, "GET", "/v2/", &[], b"");
    assert_eq!(status, 401);
    assert!(String::from_utf8_lossy(&body).contains("UNAUTHORIZED"));
    let (success, _, stderr) = docker.run_with_input(
        &[
            "login",
            "--username",
            "AWS",
            "--password-stdin",
            &server.address,
        ],
        Some(b"not-a-token"),
    );
    assert!(!success, "a bad password must not log in: {stderr}");
}

#[test]
fn immutable_tags_refuse_overwrite() {
    let server = Server::start();
    let mut docker = Docker::new("immutable");
    server.aws_ok(&[
        "ecr",
        "create-repository",
        "--repository-name",
        "fixed",
        "--image-tag-mutability",
        "IMMUTABLE",
    ]);
    docker.login(&server);
    let reference = format!("{}/fixed:v1", server.address);
    docker.import_busybox(&reference, "first");
    docker.ok(&["push", &reference]);
    let first = server.aws_ok(&[
        "ecr",
        "batch-get-image",
        "--repository-name",
        "fixed",
        "--image-ids",
        "imageTag=v1",
    ]);
    let first_manifest = first["images"][0]["imageManifest"]
        .as_str()
        .expect("manifest")
        .to_owned();

    // A different image under the same tag is refused by docker push ...
    docker.ok(&["rmi", &reference]);
    docker.import_busybox(&reference, "second");
    let (success, _, stderr) = docker.run(&["push", &reference]);
    assert!(!success, "pushing over an immutable tag must fail");
    assert!(
        stderr.contains("cannot be overwritten") || stderr.contains("tag invalid"),
        "{stderr}"
    );

    // ... and by PutImage; the same manifest again is ImageAlreadyExists.
    let failure = server
        .aws(&["ecr", "put-image", "--repository-name", "fixed", "--image-tag", "v1", "--image-manifest", "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},\"layers\":[]}"])
        .expect_err("an unknown config layer");
    assert!(
        failure.has_code("LayersNotFoundException"),
        "{}",
        failure.stderr
    );
    let failure = server
        .aws(&[
            "ecr",
            "put-image",
            "--repository-name",
            "fixed",
            "--image-tag",
            "v1",
            "--image-manifest",
            &first_manifest,
        ])
        .expect_err("the same image again");
    assert!(
        failure.has_code("ImageAlreadyExistsException"),
        "{}",
        failure.stderr
    );
    let manifest: Value = serde_json::from_str(&first_manifest).expect("manifest");
    let config = manifest["config"].clone();
    let other = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": config,
        "layers": [],
    })
    .to_string();
    let failure = server
        .aws(&[
            "ecr",
            "put-image",
            "--repository-name",
            "fixed",
            "--image-tag",
            "v1",
            "--image-manifest",
            &other,
        ])
        .expect_err("moving an immutable tag");
    assert!(
        failure.has_code("ImageTagAlreadyExistsException"),
        "{}",
        failure.stderr
    );

    // Switching to MUTABLE lets the tag move.
    server.aws_ok(&[
        "ecr",
        "put-image-tag-mutability",
        "--repository-name",
        "fixed",
        "--image-tag-mutability",
        "MUTABLE",
    ]);
    let moved = server.aws_ok(&[
        "ecr",
        "put-image",
        "--repository-name",
        "fixed",
        "--image-tag",
        "v1",
        "--image-manifest",
        &other,
    ]);
    assert_eq!(moved["image"]["imageId"]["imageTag"], "v1");
}

/// Writes an OCI layout with one image (random layer) tagged `tag`;
/// returns the manifest digest.
fn write_oci_layout(dir: &Path, tag: &str) -> String {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).expect("mkdir");
    let mut layer = vec![0u8; 3 * 1024 * 1024 + 17];
    let mut state = 0x9e37_79b9_7f4a_7c15_u64 ^ u64::from(std::process::id());
    for byte in &mut layer {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        *byte = state as u8;
    }
    // skopeo compresses uncompressed layers on the way to a registry, so the
    // layout holds a gzip layer, which it passes through untouched.
    let layer = gzip(&layer);
    let config =
        br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#
            .to_vec();
    let put = |bytes: &[u8]| {
        let digest = sha256(bytes);
        let hex = digest.trim_start_matches("sha256:");
        std::fs::write(blobs.join(hex), bytes).expect("write blob");
        digest
    };
    let layer_digest = put(&layer);
    let config_digest = put(&config);
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer_digest, "size": layer.len()}],
    })
    .to_string();
    let manifest_digest = put(manifest.as_bytes());
    let index = json!({
        "schemaVersion": 2,
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": manifest_digest,
            "size": manifest.len(),
            "annotations": {"org.opencontainers.image.ref.name": tag},
        }],
    });
    std::fs::write(dir.join("index.json"), index.to_string()).expect("index");
    std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).expect("layout");
    manifest_digest
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut child = std::process::Command::new("gzip")
        .args(["-c", "-n", "-1"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = data.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().expect("gzip finishes");
    assert!(writer.join().is_ok_and(|written| written.is_ok()) && output.status.success());
    output.stdout
}

fn skopeo(args: &[&str]) {
    let output = std::process::Command::new("skopeo")
        .args(args)
        .output()
        .expect("skopeo runs");
    assert!(
        output.status.success(),
        "skopeo {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn skopeo_copies_an_oci_layout_in_and_out_byte_identical() {
    let server = Server::start();
    server.aws_ok(&["ecr", "create-repository", "--repository-name", "oci/copy"]);
    let source = tempfile::tempdir().expect("temp dir");
    let back = tempfile::tempdir().expect("temp dir");
    let manifest_digest = write_oci_layout(source.path(), "v1");
    let creds = format!("AWS:{}", server.password());
    let remote = format!("docker://{}/oci/copy:v1", server.address);
    skopeo(&[
        "copy",
        "--dest-creds",
        &creds,
        "--dest-tls-verify=false",
        &format!("oci:{}:v1", source.path().display()),
        &remote,
    ]);
    let described = server.aws_ok(&["ecr", "describe-images", "--repository-name", "oci/copy"]);
    assert_eq!(
        described["imageDetails"][0]["imageDigest"],
        manifest_digest.as_str()
    );
    skopeo(&[
        "copy",
        "--src-creds",
        &creds,
        "--src-tls-verify=false",
        &remote,
        &format!("oci:{}:v1", back.path().display()),
    ]);
    let mut originals: Vec<_> = std::fs::read_dir(source.path().join("blobs/sha256"))
        .expect("blobs")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name())
        .collect();
    originals.sort();
    assert_eq!(originals.len(), 3);
    for name in originals {
        let original = std::fs::read(source.path().join("blobs/sha256").join(&name)).expect("read");
        let copied = std::fs::read(back.path().join("blobs/sha256").join(&name))
            .unwrap_or_else(|_| panic!("blob {name:?} came back"));
        assert!(original == copied, "blob {name:?} differs");
    }
}
