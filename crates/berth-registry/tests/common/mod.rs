//! Test harness: a registry served on a real TCP socket (127.0.0.1:0) over a
//! temp directory and a `MemoryKv`, and a plain hyper HTTP/1.1 client.

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use berth_registry::{
    Clock, LocalBlobStore, Registry, RegistryConfig, RepositoryName, TokenAuthority,
};
use berth_store::MemoryKv;
use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::Frame;
use hyper::{HeaderMap, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};

/// A clock the tests move by hand.
pub struct FakeClock(Mutex<SystemTime>);

impl FakeClock {
    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap();
        *now += by;
    }
}

impl Clock for FakeClock {
    fn now_millis(&self) -> i64 {
        berth_state::clock::millis_of(*self.0.lock().unwrap())
    }
}

/// A registry on a socket, with what a test needs to reach into it.
pub struct Server {
    pub addr: SocketAddr,
    pub registry: Arc<Registry>,
    pub kv: MemoryKv,
    pub dir: Arc<tempfile::TempDir>,
    pub clock: Arc<FakeClock>,
    pub authority: TokenAuthority,
    pub auth_header: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// How a test wants its registry.
pub struct Options {
    pub require_existing_repository: bool,
    pub gc_grace_period: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            require_existing_repository: true,
            gc_grace_period: Duration::from_secs(3600),
        }
    }
}

const SECRET: &[u8] = b"test secret";

impl Server {
    pub async fn start(options: Options) -> Server {
        let dir = Arc::new(tempfile::tempdir().unwrap());
        // Starts at the real time because blob ages come from file times.
        let clock = Arc::new(FakeClock(Mutex::new(SystemTime::now())));
        Server::start_over(MemoryKv::new(), dir, clock, options).await
    }

    /// A new registry instance over the same metadata, directory and clock:
    /// what a process restart looks like.
    pub async fn restart(&self, options: Options) -> Server {
        Server::start_over(
            self.kv.clone(),
            self.dir.clone(),
            self.clock.clone(),
            options,
        )
        .await
    }

    async fn start_over(
        kv: MemoryKv,
        dir: Arc<tempfile::TempDir>,
        clock: Arc<FakeClock>,
        options: Options,
    ) -> Server {
        let blobs = LocalBlobStore::open(dir.path(), 1 << 30).await.unwrap();
        let authority = TokenAuthority::new(SECRET, clock.clone());
        let mut config = RegistryConfig::new(authority.clone());
        config.require_existing_repository = options.require_existing_repository;
        config.gc_grace_period = options.gc_grace_period;
        config.realm = "berth-test".to_string();
        config.clock = clock.clone();
        config.max_page_size = 100;
        let registry = Arc::new(Registry::new(Arc::new(kv.clone()), Arc::new(blobs), config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = berth_registry::router(registry.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        let issued = authority.issue();
        let auth_header = format!("Basic {}", issued.authorization_token);
        Server {
            addr,
            registry,
            kv,
            dir,
            clock,
            authority,
            auth_header,
            task,
        }
    }

    pub async fn create_repo(&self, name: &str) {
        self.registry
            .create_repository(&RepositoryName::parse(name).unwrap(), false)
            .await
            .unwrap();
    }

    /// A request with the server's valid credentials.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Response {
        let mut all = vec![("authorization", self.auth_header.as_str())];
        all.extend_from_slice(headers);
        send(self.addr, method, path, &all, full(body)).await
    }

    /// A request whose body is streamed in `chunks` (chunked encoding, no
    /// Content-Length).
    pub async fn send_streamed(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        chunks: Vec<Bytes>,
    ) -> Response {
        let mut all = vec![("authorization", self.auth_header.as_str())];
        all.extend_from_slice(headers);
        let stream = futures::stream::iter(
            chunks
                .into_iter()
                .map(|chunk| Ok::<_, Infallible>(Frame::data(chunk))),
        );
        send(
            self.addr,
            method,
            path,
            &all,
            BodyExt::boxed(StreamBody::new(stream)),
        )
        .await
    }

    /// Uploads `data` as a blob of `name` (POST then PUT) and returns its digest.
    pub async fn push_blob(&self, name: &str, data: &[u8]) -> String {
        let digest = digest_of(data);
        let res = self
            .send(
                "POST",
                &format!("/v2/{name}/blobs/uploads/?digest={digest}"),
                &[],
                data.to_vec(),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        digest
    }

    /// Pushes a manifest under `reference` and returns the response.
    pub async fn push_manifest(
        &self,
        name: &str,
        reference: &str,
        media_type: &str,
        body: &str,
    ) -> Response {
        self.send(
            "PUT",
            &format!("/v2/{name}/manifests/{reference}"),
            &[("content-type", media_type)],
            body.to_string(),
        )
        .await
    }
}

fn full(body: impl Into<Bytes>) -> BoxBody<Bytes, Infallible> {
    BodyExt::boxed(Full::new(body.into()))
}

/// A received response.
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// The first OCI error code of the body.
    pub fn error_code(&self) -> String {
        self.json()["errors"][0]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

/// One request on a fresh connection.
pub async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: BoxBody<Bytes, Infallible>,
) -> Response {
    let stream = TcpStream::connect(addr).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header("host", addr.to_string());
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let response = sender
        .send_request(builder.body(body).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    Response {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

/// A request without credentials.
pub async fn send_anonymous(addr: SocketAddr, method: &str, path: &str) -> Response {
    send(addr, method, path, &[], full(Bytes::new())).await
}

pub fn digest_of(data: &[u8]) -> String {
    use sha2::Digest as _;
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(data)))
}

pub fn basic(user_and_password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(user_and_password)
    )
}

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";

/// An image manifest body of `media_type` with one config and layers.
pub fn image_manifest(media_type: &str, config: &str, layers: &[&str], extra: &str) -> String {
    let layers: Vec<String> = layers
        .iter()
        .map(|digest| {
            format!(
                r#"{{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{digest}","size":1}}"#
            )
        })
        .collect();
    format!(
        r#"{{"schemaVersion":2,"mediaType":"{media_type}","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{config}","size":2}},"layers":[{}]{extra}}}"#,
        layers.join(",")
    )
}

/// An index / manifest list body over child manifests.
pub fn index_manifest(media_type: &str, children: &[&str]) -> String {
    let children: Vec<String> = children
        .iter()
        .map(|digest| {
            format!(
                r#"{{"mediaType":"{OCI_MANIFEST}","digest":"{digest}","size":1,"platform":{{"architecture":"amd64","os":"linux"}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"schemaVersion":2,"mediaType":"{media_type}","manifests":[{}]}}"#,
        children.join(",")
    )
}
