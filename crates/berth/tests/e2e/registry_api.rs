//! The ECR JSON API end to end with boto3 and the AWS CLI: layer uploads in
//! parts, PutImage, listings and deletes, lifecycle policies applied by the
//! periodic job, repository policies, and bad input on both the JSON API
//! and the `/v2/` registry.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::http_request;
use crate::registry_support::Server;

/// Python defining `push(repo, tag, seed)`: uploads a config and a layer
/// through the layer API in parts and puts an image manifest; returns its
/// digest.
const PUSH_HELPER: &str = r#"
def upload(repo, data, part=5 * 1024 * 1024):
    digest = 'sha256:' + hashlib.sha256(data).hexdigest()
    found = ecr.batch_check_layer_availability(repositoryName=repo, layerDigests=[digest])
    if found['layers']:
        return digest, len(data)
    up = ecr.initiate_layer_upload(repositoryName=repo)['uploadId']
    first = 0
    while first < len(data):
        chunk = data[first:first + part]
        r = ecr.upload_layer_part(repositoryName=repo, uploadId=up, partFirstByte=first,
                                  partLastByte=first + len(chunk) - 1, layerPartBlob=chunk)
        assert r['lastByteReceived'] == first + len(chunk) - 1, r
        first += len(chunk)
    done = ecr.complete_layer_upload(repositoryName=repo, uploadId=up, layerDigests=[digest])
    assert done['layerDigest'] == digest, done
    return digest, len(data)

def push(repo, tag, seed, layer_size=1024):
    config = json.dumps({'architecture': 'amd64', 'os': 'linux', 'seed': seed}).encode()
    layer = hashlib.sha256(seed.encode()).digest() * (layer_size // 32)
    cd, cs = upload(repo, config)
    ld, ls = upload(repo, layer)
    manifest = json.dumps({'schemaVersion': 2,
        'mediaType': 'application/vnd.docker.distribution.manifest.v2+json',
        'config': {'mediaType': 'application/vnd.docker.container.image.v1+json', 'digest': cd, 'size': cs},
        'layers': [{'mediaType': 'application/vnd.docker.image.rootfs.diff.tar.gzip', 'digest': ld, 'size': ls}]})
    args = {'repositoryName': repo, 'imageManifest': manifest}
    if tag:
        args['imageTag'] = tag
    return ecr.put_image(**args)['image']['imageId']['imageDigest']

def code(call):
    try:
        call()
    except ecr.exceptions.ClientError as err:
        return err.response['Error']['Code']
    return 'no error'
"#;

#[test]
fn layer_upload_api_put_image_listing_and_deletes() {
    let server = Server::start();
    server.aws_ok(&[
        "ecr",
        "create-repository",
        "--repository-name",
        "api/images",
    ]);
    let script = format!(
        "{PUSH_HELPER}\n\
repo = 'api/images'\n\
big = push(repo, 'big', 'big', layer_size=12 * 1024 * 1024)\n\
a = push(repo, 'a', 'one')\n\
b = push(repo, None, 'two')\n\
ecr.put_image(repositoryName=repo, imageTag='a2', imageManifest=ecr.batch_get_image(repositoryName=repo, imageIds=[{{'imageTag': 'a'}}])['images'][0]['imageManifest'])\n\
out = {{}}\n\
out['tagged'] = sorted((i.get('imageTag'), i['imageDigest'] == a) for i in ecr.list_images(repositoryName=repo, filter={{'tagStatus': 'TAGGED'}})['imageIds'])\n\
out['untagged'] = [i['imageDigest'] == b for i in ecr.list_images(repositoryName=repo, filter={{'tagStatus': 'UNTAGGED'}})['imageIds']]\n\
pages = ecr.get_paginator('list_images').paginate(repositoryName=repo, PaginationConfig={{'PageSize': 1}})\n\
out['paged'] = sum(len(p['imageIds']) for p in pages)\n\
d = ecr.describe_images(repositoryName=repo, imageIds=[{{'imageTag': 'big'}}])['imageDetails'][0]\n\
out['big_size'] = d['imageSizeInBytes']\n\
out['media'] = d['imageManifestMediaType']\n\
out['artifact'] = d['artifactMediaType']\n\
out['missing'] = code(lambda: ecr.describe_images(repositoryName=repo, imageIds=[{{'imageTag': 'nope'}}]))\n\
got = ecr.batch_get_image(repositoryName=repo, imageIds=[{{'imageTag': 'a'}}, {{'imageTag': 'nope'}}, {{'imageDigest': 'bad'}}],\n\
    acceptedMediaTypes=['application/vnd.docker.distribution.manifest.v2+json'])\n\
out['got'] = [i['imageId']['imageDigest'] == a for i in got['images']]\n\
out['get_failures'] = sorted(f['failureCode'] for f in got['failures'])\n\
other = ecr.batch_get_image(repositoryName=repo, imageIds=[{{'imageTag': 'a'}}], acceptedMediaTypes=['application/vnd.oci.image.manifest.v1+json'])\n\
out['unaccepted'] = [f['failureCode'] for f in other['failures']]\n\
cd = json.loads(got['images'][0]['imageManifest'])['config']['digest']\n\
out['avail'] = [(l['layerAvailability'], l['layerSize'] > 0) for l in ecr.batch_check_layer_availability(repositoryName=repo, layerDigests=[cd])['layers']]\n\
chk = ecr.batch_check_layer_availability(repositoryName=repo, layerDigests=['sha256:' + '0' * 64, 'nope'])\n\
out['check_failures'] = sorted(f['failureCode'] for f in chk['failures'])\n\
up = ecr.initiate_layer_upload(repositoryName=repo)['uploadId']\n\
out['gap'] = code(lambda: ecr.upload_layer_part(repositoryName=repo, uploadId=up, partFirstByte=5, partLastByte=9, layerPartBlob=b'12345'))\n\
out['span'] = code(lambda: ecr.upload_layer_part(repositoryName=repo, uploadId=up, partFirstByte=0, partLastByte=9, layerPartBlob=b'12345'))\n\
out['empty'] = code(lambda: ecr.complete_layer_upload(repositoryName=repo, uploadId=up, layerDigests=['sha256:' + '0' * 64]))\n\
ecr.upload_layer_part(repositoryName=repo, uploadId=up, partFirstByte=0, partLastByte=4, layerPartBlob=b'12345')\n\
out['wrong_digest'] = code(lambda: ecr.complete_layer_upload(repositoryName=repo, uploadId=up, layerDigests=['sha256:' + '0' * 64]))\n\
out['unknown_upload'] = code(lambda: ecr.upload_layer_part(repositoryName=repo, uploadId='00000000-0000-4000-8000-000000000000', partFirstByte=0, partLastByte=0, layerPartBlob=b'x'))\n\
out['exists'] = code(lambda: ecr.complete_layer_upload(repositoryName=repo, uploadId=ecr.initiate_layer_upload(repositoryName=repo)['uploadId'], layerDigests=[cd]))\n\
out['no_repo'] = code(lambda: ecr.list_images(repositoryName='api/none'))\n\
out['bad_name'] = code(lambda: ecr.list_images(repositoryName='api/../x'))\n\
out['digest_mismatch'] = code(lambda: ecr.put_image(repositoryName=repo, imageManifest=got['images'][0]['imageManifest'], imageTag='zz', imageDigest='sha256:' + '1' * 64))\n\
dl = ecr.batch_delete_image(repositoryName=repo, imageIds=[{{'imageTag': 'a'}}, {{'imageDigest': b}}, {{'imageTag': 'nope'}}])\n\
out['deleted'] = sorted(str(i.get('imageTag')) for i in dl['imageIds'])\n\
out['delete_failures'] = [f['failureCode'] for f in dl['failures']]\n\
out['left'] = sorted(i.get('imageTag', '') for i in ecr.list_images(repositoryName=repo)['imageIds'])\n\
out['not_empty'] = code(lambda: ecr.delete_repository(repositoryName=repo))\n\
out['forced'] = ecr.delete_repository(repositoryName=repo, force=True)['repository']['repositoryName']\n\
print(json.dumps(out))\n"
    );
    let mut out = server.boto3(&script);
    // Config plus a 12 MiB layer, as declared in the manifest.
    let size = out["big_size"].take().as_i64().unwrap_or(0);
    assert!(
        (12 * 1024 * 1024..12 * 1024 * 1024 + 200).contains(&size),
        "{size}"
    );
    let expected = serde_json::json!({
        "tagged": [["a", true], ["a2", true], ["big", false]],
        "untagged": [true],
        "paged": 4,
        "big_size": null,
        "media": "application/vnd.docker.distribution.manifest.v2+json",
        "artifact": "application/vnd.docker.container.image.v1+json",
        "missing": "ImageNotFoundException",
        "got": [true],
        "get_failures": ["ImageNotFound", "InvalidImageDigest"],
        "unaccepted": ["UnsupportedImageType"],
        "avail": [["AVAILABLE", true]],
        "check_failures": ["InvalidLayerDigest", "MissingLayerDigest"],
        "gap": "InvalidLayerPartException",
        "span": "InvalidLayerPartException",
        "empty": "EmptyUploadException",
        "wrong_digest": "InvalidLayerException",
        "unknown_upload": "UploadNotFoundException",
        "exists": "LayerAlreadyExistsException",
        "no_repo": "RepositoryNotFoundException",
        "bad_name": "InvalidParameterException",
        "digest_mismatch": "ImageDigestDoesNotMatchException",
        "deleted": ["None", "a"],
        "delete_failures": ["ImageNotFound"],
        "left": ["a2", "big"],
        "not_empty": "RepositoryNotEmptyException",
        "forced": "api/images",
    });
    assert_eq!(out, expected);
}

fn lifecycle_policy() -> String {
    serde_json::json!({"rules": [
        {"rulePriority": 1, "description": "drop untagged",
         "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1},
         "action": {"type": "expire"}},
        {"rulePriority": 2, "description": "keep one release",
         "selection": {"tagStatus": "tagged", "tagPrefixList": ["release"], "countType": "imageCountMoreThan", "countNumber": 1},
         "action": {"type": "expire"}},
    ]})
    .to_string()
}

#[test]
fn lifecycle_policy_expires_old_images() {
    let server = Server::start_with_env(&[("BERTH_LIFECYCLE_INTERVAL_SECS", "1")]);
    server.aws_ok(&["ecr", "create-repository", "--repository-name", "life"]);
    let missing = server
        .aws(&["ecr", "get-lifecycle-policy", "--repository-name", "life"])
        .expect_err("no policy yet");
    assert!(
        missing.has_code("LifecyclePolicyNotFoundException"),
        "{}",
        missing.stderr
    );
    let script = format!(
        "{PUSH_HELPER}\n\
for n in range(3):\n    push('life', 'release-%d' % n, 'r%d' % n)\n\
push('life', 'dev', 'dev')\n\
push('life', None, 'u1')\n\
push('life', None, 'u2')\n\
out = {{}}\n\
out['bad'] = code(lambda: ecr.put_lifecycle_policy(repositoryName='life', lifecyclePolicyText='{{\"rules\": []}}' + ' ' * 100))\n\
policy = sys.argv[1] if len(sys.argv) > 1 else ''\n\
print(json.dumps(out))\n"
    );
    let out = server.boto3(&script);
    assert_eq!(out["bad"], "InvalidParameterException");
    let policy = lifecycle_policy();
    let preview = server.aws_ok(&[
        "ecr",
        "start-lifecycle-policy-preview",
        "--repository-name",
        "life",
        "--lifecycle-policy-text",
        &policy,
    ]);
    assert_eq!(preview["status"], "COMPLETE");
    let preview = server.aws_ok(&[
        "ecr",
        "get-lifecycle-policy-preview",
        "--repository-name",
        "life",
    ]);
    assert_eq!(
        preview["summary"]["expiringImageTotalCount"], 3,
        "{preview}"
    );
    let results = preview["previewResults"].as_array().expect("results");
    assert_eq!(
        results
            .iter()
            .filter(|r| r["appliedRulePriority"] == 1)
            .count(),
        1
    );
    assert_eq!(
        results
            .iter()
            .filter(|r| r["appliedRulePriority"] == 2)
            .count(),
        2
    );
    assert!(results.iter().all(|r| r["action"]["type"] == "EXPIRE"));

    server.aws_ok(&[
        "ecr",
        "put-lifecycle-policy",
        "--repository-name",
        "life",
        "--lifecycle-policy-text",
        &policy,
    ]);
    let deadline = Instant::now() + Duration::from_secs(30);
    let remaining = loop {
        let listed = server.aws_ok(&["ecr", "list-images", "--repository-name", "life"]);
        let ids = listed["imageIds"].as_array().cloned().unwrap_or_default();
        if ids.len() == 3 || Instant::now() > deadline {
            break ids;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let tags: Vec<&str> = remaining
        .iter()
        .filter_map(|id| id["imageTag"].as_str())
        .collect();
    assert_eq!(remaining.len(), 3, "{remaining:?}");
    assert!(tags.contains(&"dev"), "{tags:?}");
    assert_eq!(
        tags.iter().filter(|t| t.starts_with("release")).count(),
        1,
        "{tags:?}"
    );
    let stored = server.aws_ok(&["ecr", "get-lifecycle-policy", "--repository-name", "life"]);
    assert_eq!(stored["lifecyclePolicyText"], policy.as_str());
    assert!(!stored["lastEvaluatedAt"].is_null(), "{stored}");
    server.aws_ok(&[
        "ecr",
        "delete-lifecycle-policy",
        "--repository-name",
        "life",
    ]);
}

#[test]
fn repository_policies_and_resource_tags() {
    let server = Server::start();
    let created = server.aws_ok(&[
        "ecr",
        "create-repository",
        "--repository-name",
        "pol",
        "--tags",
        "Key=team,Value=a",
        "--image-scanning-configuration",
        "scanOnPush=true",
        "--encryption-configuration",
        "encryptionType=KMS",
    ]);
    let repository = &created["repository"];
    assert_eq!(repository["imageScanningConfiguration"]["scanOnPush"], true);
    assert_eq!(
        repository["encryptionConfiguration"]["encryptionType"],
        "KMS"
    );
    let arn = repository["repositoryArn"]
        .as_str()
        .expect("arn")
        .to_owned();
    assert_eq!(arn, "arn:aws:ecr:us-east-1:000000000000:repository/pol");

    let missing = server
        .aws(&["ecr", "get-repository-policy", "--repository-name", "pol"])
        .expect_err("none");
    assert!(
        missing.has_code("RepositoryPolicyNotFoundException"),
        "{}",
        missing.stderr
    );
    let bad = server
        .aws(&[
            "ecr",
            "set-repository-policy",
            "--repository-name",
            "pol",
            "--policy-text",
            "{\"Statement\": 3}",
        ])
        .expect_err("invalid policy");
    assert!(bad.has_code("InvalidParameterException"), "{}", bad.stderr);
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}"#;
    server.aws_ok(&[
        "ecr",
        "set-repository-policy",
        "--repository-name",
        "pol",
        "--policy-text",
        policy,
    ]);
    let got = server.aws_ok(&["ecr", "get-repository-policy", "--repository-name", "pol"]);
    assert_eq!(got["policyText"], policy);
    server.aws_ok(&[
        "ecr",
        "delete-repository-policy",
        "--repository-name",
        "pol",
    ]);

    server.aws_ok(&[
        "ecr",
        "tag-resource",
        "--resource-arn",
        &arn,
        "--tags",
        "Key=env,Value=prod",
        "Key=team,Value=b",
    ]);
    server.aws_ok(&[
        "ecr",
        "untag-resource",
        "--resource-arn",
        &arn,
        "--tag-keys",
        "env",
    ]);
    let tags = server.aws_ok(&["ecr", "list-tags-for-resource", "--resource-arn", &arn]);
    assert_eq!(
        tags["tags"],
        serde_json::json!([{"Key": "team", "Value": "b"}])
    );
    let reserved = server
        .aws(&[
            "ecr",
            "tag-resource",
            "--resource-arn",
            &arn,
            "--tags",
            "Key=aws:x,Value=1",
        ])
        .expect_err("reserved prefix");
    assert!(
        reserved.has_code("InvalidTagParameterException"),
        "{}",
        reserved.stderr
    );
    let unknown = server
        .aws(&[
            "ecr",
            "list-tags-for-resource",
            "--resource-arn",
            "arn:aws:ecr:us-east-1:000000000000:repository/nope",
        ])
        .expect_err("unknown repository");
    assert!(
        unknown.has_code("RepositoryNotFoundException"),
        "{}",
        unknown.stderr
    );
}

/// One raw registry request: (status, first error code of the body).
fn registry_call(
    server: &Server,
    auth: &str,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> (u16, String) {
    let mut all = vec![("Authorization", auth.to_owned())];
    all.extend(headers.iter().cloned());
    let (status, body) = http_request(&server.address, method, path, &all, body);
    let parsed: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (
        status,
        parsed["errors"][0]["code"]
            .as_str()
            .unwrap_or("")
            .to_owned(),
    )
}

fn upload_location(server: &Server, auth: &str, name: &str) -> String {
    let request = format!(
        "POST /v2/{name}/blobs/uploads/ HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(&server.address).expect("connect");
    stream.write_all(request.as_bytes()).expect("write");
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("location")
                .then(|| value.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("no Location in {response}"))
}

/// Method, path, headers, body, expected status and error code.
type BadCase = (
    &'static str,
    String,
    Vec<(&'static str, String)>,
    Vec<u8>,
    u16,
    &'static str,
);

#[test]
fn registry_refuses_bad_input_with_spec_errors() {
    let server = Server::start();
    server.aws_ok(&["ecr", "create-repository", "--repository-name", "bad/input"]);
    let auth = server.basic_auth();
    let zero = format!("sha256:{}", "0".repeat(64));
    let big_manifest = format!(
        "{{\"schemaVersion\":2,\"pad\":\"{}\"}}",
        "x".repeat(4 * 1024 * 1024 + 1)
    );
    let location = upload_location(&server, &auth, "bad/input");
    let octets = ("Content-Type", "application/octet-stream".to_owned());
    let cases: Vec<BadCase> = vec![
        (
            "GET",
            "/v2/bad/input/blobs/sha256:nothex".into(),
            vec![],
            vec![],
            400,
            "DIGEST_INVALID",
        ),
        (
            "GET",
            format!("/v2/bad/input/blobs/{zero}"),
            vec![],
            vec![],
            404,
            "BLOB_UNKNOWN",
        ),
        (
            "GET",
            "/v2/bad/../input/tags/list".into(),
            vec![],
            vec![],
            400,
            "NAME_INVALID",
        ),
        (
            "GET",
            "/v2/Bad/Input/tags/list".into(),
            vec![],
            vec![],
            400,
            "NAME_INVALID",
        ),
        (
            "GET",
            "/v2/bad/none/tags/list".into(),
            vec![],
            vec![],
            404,
            "NAME_UNKNOWN",
        ),
        (
            "GET",
            "/v2/bad/input/manifests/sha256:totallywrong".into(),
            vec![],
            vec![],
            400,
            "DIGEST_INVALID",
        ),
        (
            "PUT",
            "/v2/bad/input/manifests/big".into(),
            vec![(
                "Content-Type",
                "application/vnd.oci.image.manifest.v1+json".into(),
            )],
            big_manifest.into_bytes(),
            413,
            "MANIFEST_INVALID",
        ),
        (
            "PATCH",
            location.clone(),
            vec![octets.clone(), ("Content-Range", "5-9".into())],
            b"12345".to_vec(),
            416,
            "",
        ),
        (
            "PATCH",
            location.clone(),
            vec![octets.clone(), ("Content-Range", "0-9".into())],
            b"12345".to_vec(),
            400,
            "SIZE_INVALID",
        ),
        (
            "PATCH",
            "/v2/bad/input/blobs/uploads/00000000-0000-4000-8000-000000000000".into(),
            vec![octets.clone()],
            b"x".to_vec(),
            404,
            "BLOB_UPLOAD_UNKNOWN",
        ),
        (
            "PUT",
            format!("{location}&digest={zero}").replace("?&", "?"),
            vec![octets.clone()],
            b"abc".to_vec(),
            400,
            "DIGEST_INVALID",
        ),
    ];
    for (method, path, headers, body, status, code) in cases {
        let (got_status, got_code) = registry_call(&server, &auth, method, &path, &headers, &body);
        assert_eq!(got_status, status, "{method} {path}: {got_code}");
        if !code.is_empty() {
            assert_eq!(got_code, code, "{method} {path}");
        }
    }
    // Wrong or missing credentials: 401 UNAUTHORIZED with a challenge.
    for bad in ["Basic QVdTOm5vdC1hLXRva2Vu", "Bearer nonsense", ""] {
        let (status, code) =
            registry_call(&server, bad, "GET", "/v2/bad/input/tags/list", &[], b"");
        assert_eq!((status, code.as_str()), (401, "UNAUTHORIZED"), "{bad}");
    }
    // Nothing half-written is visible, and the server still serves.
    let (status, body) = http_request(
        &server.address,
        "GET",
        "/v2/bad/input/tags/list",
        &[("Authorization", auth.clone())],
        b"",
    );
    assert_eq!(status, 200);
    let tags: Value = serde_json::from_slice(&body).expect("tags JSON");
    assert_eq!(tags["tags"], serde_json::json!([]));
}
