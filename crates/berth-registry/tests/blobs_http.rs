//! Blob endpoints and upload flows over a real socket: auth, monolithic,
//! single-POST, chunked, streamed and resumed uploads, ranges and mounts.

mod common;

use std::time::Duration;

use bytes::Bytes;
use common::*;
use hyper::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const REPO: &str = "team/app";

async fn server_with_repo() -> Server {
    let server = Server::start(Options::default()).await;
    server.create_repo(REPO).await;
    server
}

#[tokio::test]
async fn base_endpoint_requires_a_valid_unexpired_token() {
    let server = Server::start(Options::default()).await;
    let anonymous = send_anonymous(server.addr, "GET", "/v2/").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous.header("www-authenticate"),
        Some("Basic realm=\"berth-test\"")
    );
    assert_eq!(anonymous.error_code(), "UNAUTHORIZED");
    assert_eq!(
        anonymous.header("docker-distribution-api-version"),
        Some("registry/2.0")
    );

    let ok = server.send("GET", "/v2/", &[], Bytes::new()).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(
        ok.header("docker-distribution-api-version"),
        Some("registry/2.0")
    );

    let password = server.authority.issue().password;
    for (credentials, expected) in [
        (format!("AWS:{password}"), StatusCode::OK),
        (format!("bob:{password}"), StatusCode::UNAUTHORIZED),
        ("AWS:not-a-token".to_string(), StatusCode::UNAUTHORIZED),
    ] {
        let header = basic(&credentials);
        let res = common::send(
            server.addr,
            "GET",
            "/v2/",
            &[("authorization", header.as_str())],
            http_body_util::BodyExt::boxed(http_body_util::Full::new(Bytes::new())),
        )
        .await;
        assert_eq!(res.status, expected, "{credentials}");
    }

    // Every endpoint is guarded, not only the base.
    let res = send_anonymous(server.addr, "GET", "/v2/_catalog").await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);

    server.clock.advance(Duration::from_secs(12 * 3600));
    let expired = server.send("GET", "/v2/", &[], Bytes::new()).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert_eq!(expired.error_code(), "UNAUTHORIZED");
}

#[tokio::test]
async fn monolithic_and_single_post_uploads() {
    let server = Server::start(Options::default()).await;
    // ECR semantics: the repository must be created first.
    let res = server
        .send("POST", "/v2/missing/blobs/uploads/", &[], Bytes::new())
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.error_code(), "NAME_UNKNOWN");
    server.create_repo(REPO).await;

    let data = b"monolithic blob".to_vec();
    let digest = digest_of(&data);
    let res = server
        .send(
            "POST",
            &format!("/v2/{REPO}/blobs/uploads/"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::ACCEPTED);
    assert_eq!(res.header("range"), Some("0-0"));
    let location = res.header("location").unwrap().to_string();
    let uuid = res.header("docker-upload-uuid").unwrap().to_string();
    assert!(location.ends_with(&uuid), "{location}");

    let res = server
        .send(
            "PUT",
            &format!("{location}?digest={digest}"),
            &[("content-type", "application/octet-stream")],
            data.clone(),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(
        res.header("location"),
        Some(format!("/v2/{REPO}/blobs/{digest}").as_str())
    );
    assert_eq!(res.header("docker-content-digest"), Some(digest.as_str()));

    let head = server
        .send(
            "HEAD",
            &format!("/v2/{REPO}/blobs/{digest}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(
        head.header("content-length"),
        Some(data.len().to_string().as_str())
    );
    assert_eq!(head.header("docker-content-digest"), Some(digest.as_str()));
    let get = server
        .send(
            "GET",
            &format!("/v2/{REPO}/blobs/{digest}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(get.status, StatusCode::OK);
    assert_eq!(get.body.as_ref(), data.as_slice());

    // Single POST with ?digest= (percent-encoded, as Go clients send it).
    let single = b"single post".to_vec();
    let single_digest = digest_of(&single);
    let res = server
        .send(
            "POST",
            &format!(
                "/v2/{REPO}/blobs/uploads/?digest={}",
                single_digest.replace(':', "%3A")
            ),
            &[],
            single.clone(),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let get = server
        .send(
            "GET",
            &format!("/v2/{REPO}/blobs/{single_digest}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(get.body.as_ref(), single.as_slice());

    // Digest mismatches and bad digests.
    let wrong = digest_of(b"something else");
    let res = server
        .send(
            "POST",
            &format!("/v2/{REPO}/blobs/uploads/?digest={wrong}"),
            &[],
            single.clone(),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.error_code(), "DIGEST_INVALID");
    let sha512 = format!("sha512:{}", "a".repeat(128));
    for bad in ["sha256:nothex", sha512.as_str(), "md5:abc"] {
        let res = server
            .send(
                "POST",
                &format!("/v2/{REPO}/blobs/uploads/?digest={bad}"),
                &[],
                single.clone(),
            )
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(res.error_code(), "DIGEST_INVALID", "{bad}");
    }
    let res = server
        .send(
            "POST",
            &format!("/v2/{REPO}/blobs/uploads/"),
            &[],
            Bytes::new(),
        )
        .await;
    let location = res.header("location").unwrap().to_string();
    let res = server.send("PUT", &location, &[], data.clone()).await;
    assert_eq!(res.error_code(), "DIGEST_INVALID", "PUT without ?digest");

    let res = server
        .send(
            "GET",
            &format!("/v2/{REPO}/blobs/{}", digest_of(b"absent")),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.error_code(), "BLOB_UNKNOWN");
    let res = server
        .send(
            "GET",
            &format!("/v2/{REPO}/blobs/sha256:short"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.error_code(), "DIGEST_INVALID");
}

#[tokio::test]
async fn chunked_upload_checks_ranges_and_resumes_after_restart() {
    let server = server_with_repo().await;
    let data = b"0123456789abcdefghij".to_vec();
    let digest = digest_of(&data);
    let res = server
        .send(
            "POST",
            &format!("/v2/{REPO}/blobs/uploads/"),
            &[],
            Bytes::new(),
        )
        .await;
    let location = res.header("location").unwrap().to_string();

    // Out of order: the first chunk must start at 0.
    let res = server
        .send(
            "PATCH",
            &location,
            &[("content-range", "5-9")],
            data[5..10].to_vec(),
        )
        .await;
    assert_eq!(res.status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(res.error_code(), "BLOB_UPLOAD_INVALID");
    assert_eq!(res.header("range"), Some("0-0"));

    let res = server
        .send(
            "PATCH",
            &location,
            &[
                ("content-range", "0-9"),
                ("content-type", "application/octet-stream"),
            ],
            data[..10].to_vec(),
        )
        .await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.text());
    assert_eq!(res.header("range"), Some("0-9"));
    let location = res.header("location").unwrap().to_string();

    // Re-sending the same chunk is out of order too.
    let res = server
        .send(
            "PATCH",
            &location,
            &[("content-range", "0-9")],
            data[..10].to_vec(),
        )
        .await;
    assert_eq!(res.status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(res.header("range"), Some("0-9"));
    // A malformed Content-Range.
    let res = server
        .send(
            "PATCH",
            &location,
            &[("content-range", "ten-twenty")],
            data[10..].to_vec(),
        )
        .await;
    assert_eq!(res.status, StatusCode::RANGE_NOT_SATISFIABLE);
    // Content-Length disagreeing with Content-Range.
    let res = server
        .send(
            "PATCH",
            &location,
            &[("content-range", "10-14")],
            data[10..].to_vec(),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.error_code(), "SIZE_INVALID");

    let status = server.send("GET", &location, &[], Bytes::new()).await;
    assert_eq!(status.status, StatusCode::NO_CONTENT);
    assert_eq!(status.header("range"), Some("0-9"));
    assert!(status.header("docker-upload-uuid").is_some());
    assert_eq!(status.header("location"), Some(location.as_str()));

    // A new registry instance over the same directory and metadata.
    let restarted = server.restart(Options::default()).await;
    drop(server);
    let status = restarted.send("GET", &location, &[], Bytes::new()).await;
    assert_eq!(status.status, StatusCode::NO_CONTENT);
    assert_eq!(status.header("range"), Some("0-9"));
    let res = restarted
        .send(
            "PATCH",
            &location,
            &[("content-range", "10-19")],
            data[10..].to_vec(),
        )
        .await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.text());
    assert_eq!(res.header("range"), Some("0-19"));
    let res = restarted
        .send(
            "PUT",
            &format!("{location}?digest={digest}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let get = restarted
        .send(
            "GET",
            &format!("/v2/{REPO}/blobs/{digest}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(get.body.as_ref(), data.as_slice());

    // The finished session is gone.
    let res = restarted.send("GET", &location, &[], Bytes::new()).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.error_code(), "BLOB_UPLOAD_UNKNOWN");
}

#[tokio::test]
async fn final_chunk_may_ride_on_the_put() {
    let server = server_with_repo().await;
    let data = b"first-second".to_vec();
    let digest = digest_of(&data);
    let res = server
        .send(
            "POST",
            &format!("/v2/{REPO}/blobs/uploads/"),
            &[],
            Bytes::new(),
        )
        .await;
    let location = res.header("location").unwrap().to_string();
    let res = server
        .send(
            "PATCH",
            &location,
            &[("content-range", "0-5")],
            data[..6].to_vec(),
        )
        .await;
    assert_eq!(res.status, StatusCode::ACCEPTED);
    let res = server
        .send(
            "PUT",
            &format!("{location}?digest={digest}"),
            &[("content-range", "6-11")],
            data[6..].to_vec(),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
}

#[tokio::test]
async fn streamed_upload_and_unknown_or_cancelled_sessions() {
    let server = server_with_repo().await;
    let chunks: Vec<Bytes> = (0..50)
        .map(|idx| Bytes::from(vec![idx as u8; 10_000]))
        .collect();
    let whole: Vec<u8> = chunks.iter().flat_map(|chunk| chunk.to_vec()).collect();
    let digest = digest_of(&whole);
    let res = server
        .send(
            "POST",
            &format!("/v2/{REPO}/blobs/uploads/"),
            &[],
            Bytes::new(),
        )
        .await;
    let location = res.header("location").unwrap().to_string();
    let res = server
        .send_streamed(
            "PATCH",
            &location,
            &[("content-type", "application/octet-stream")],
            chunks,
        )
        .await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.text());
    assert_eq!(
        res.header("range"),
        Some(format!("0-{}", whole.len() - 1).as_str())
    );
    let res = server
        .send(
            "PUT",
            &format!("{location}?digest={digest}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let get = server
        .send(
            "GET",
            &format!("/v2/{REPO}/blobs/{digest}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(get.body.len(), whole.len());

    // Unknown ids, ids that are not UUIDs, and sessions of another repository.
    server.create_repo("other").await;
    let res = server
        .send(
            "POST",
            &format!("/v2/{REPO}/blobs/uploads/"),
            &[],
            Bytes::new(),
        )
        .await;
    let location = res.header("location").unwrap().to_string();
    let id = res.header("docker-upload-uuid").unwrap().to_string();
    for path in [
        format!("/v2/{REPO}/blobs/uploads/00000000-0000-4000-8000-000000000000"),
        format!("/v2/{REPO}/blobs/uploads/..%2F..%2Fetc"),
        format!("/v2/{REPO}/blobs/uploads/not-a-uuid"),
        format!("/v2/other/blobs/uploads/{id}"),
    ] {
        let res = server.send("PATCH", &path, &[], b"x".to_vec()).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(res.error_code(), "BLOB_UPLOAD_UNKNOWN", "{path}");
    }
    let res = server.send("DELETE", &location, &[], Bytes::new()).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let res = server.send("GET", &location, &[], Bytes::new()).await;
    assert_eq!(res.error_code(), "BLOB_UPLOAD_UNKNOWN");
    let res = server.send("DELETE", &location, &[], Bytes::new()).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn body_shorter_than_content_length_leaves_the_session_unchanged() {
    let server = server_with_repo().await;
    let res = server
        .send(
            "POST",
            &format!("/v2/{REPO}/blobs/uploads/"),
            &[],
            Bytes::new(),
        )
        .await;
    let location = res.header("location").unwrap().to_string();
    let res = server
        .send(
            "PATCH",
            &location,
            &[("content-range", "0-3")],
            b"abcd".to_vec(),
        )
        .await;
    assert_eq!(res.status, StatusCode::ACCEPTED);

    // Announce 10 bytes, send 5, and close the sending half.
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "PATCH {location} HTTP/1.1\r\nhost: x\r\nauthorization: {}\r\ncontent-length: 10\r\n\r\nefghi",
        server.auth_header
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.shutdown().await.unwrap();
    let mut reply = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut reply)).await;
    let reply = String::from_utf8_lossy(&reply);
    assert!(
        reply.starts_with("HTTP/1.1 400"),
        "unexpected reply {reply}"
    );
    assert!(reply.contains("SIZE_INVALID"), "unexpected reply {reply}");

    let status = server.send("GET", &location, &[], Bytes::new()).await;
    assert_eq!(
        status.header("range"),
        Some("0-3"),
        "partial chunk was rolled back"
    );
    let res = server
        .send(
            "PATCH",
            &location,
            &[("content-range", "4-5")],
            b"ef".to_vec(),
        )
        .await;
    assert_eq!(res.status, StatusCode::ACCEPTED);
    let res = server
        .send(
            "PUT",
            &format!("{location}?digest={}", digest_of(b"abcdef")),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
}

#[tokio::test]
async fn range_reads() {
    let server = server_with_repo().await;
    let data: Vec<u8> = (0..100u8).collect();
    let digest = server.push_blob(REPO, &data).await;
    let path = format!("/v2/{REPO}/blobs/{digest}");
    let cases: [(&str, StatusCode, Option<&str>, std::ops::Range<usize>); 5] = [
        (
            "bytes=2-5",
            StatusCode::PARTIAL_CONTENT,
            Some("bytes 2-5/100"),
            2..6,
        ),
        (
            "bytes=90-",
            StatusCode::PARTIAL_CONTENT,
            Some("bytes 90-99/100"),
            90..100,
        ),
        (
            "bytes=-10",
            StatusCode::PARTIAL_CONTENT,
            Some("bytes 90-99/100"),
            90..100,
        ),
        (
            "bytes=100-",
            StatusCode::RANGE_NOT_SATISFIABLE,
            Some("bytes */100"),
            0..0,
        ),
        ("bytes=0-1,4-5", StatusCode::OK, None, 0..100),
    ];
    for (range, status, content_range, slice) in cases {
        let res = server
            .send("GET", &path, &[("range", range)], Bytes::new())
            .await;
        assert_eq!(res.status, status, "{range}");
        assert_eq!(res.header("content-range"), content_range, "{range}");
        if status != StatusCode::RANGE_NOT_SATISFIABLE {
            assert_eq!(res.body.as_ref(), &data[slice], "{range}");
        }
    }
}

#[tokio::test]
async fn cross_repository_mount() {
    let server = server_with_repo().await;
    server.create_repo("mirror").await;
    let digest = server.push_blob(REPO, b"shared layer").await;

    let res = server
        .send(
            "POST",
            &format!("/v2/mirror/blobs/uploads/?mount={digest}&from={REPO}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(
        res.header("location"),
        Some(format!("/v2/mirror/blobs/{digest}").as_str())
    );
    let res = server
        .send(
            "GET",
            &format!("/v2/mirror/blobs/{digest}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.body.as_ref(), b"shared layer");

    // Without `from`, from a repository lacking the blob, or an unknown blob:
    // an ordinary upload session instead.
    let unknown = digest_of(b"nowhere");
    for query in [
        format!("mount={digest}"),
        format!("mount={unknown}&from={REPO}"),
        format!("mount={digest}&from=not-there"),
    ] {
        let res = server
            .send(
                "POST",
                &format!("/v2/mirror/blobs/uploads/?{query}"),
                &[],
                Bytes::new(),
            )
            .await;
        assert_eq!(res.status, StatusCode::ACCEPTED, "{query}");
        assert!(
            res.header("location")
                .unwrap()
                .starts_with("/v2/mirror/blobs/uploads/")
        );
    }
    // A blob pushed to one repository is not readable from another.
    let res = server
        .send(
            "GET",
            &format!("/v2/other-repo/blobs/{digest}"),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}
