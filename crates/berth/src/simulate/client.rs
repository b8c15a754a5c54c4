//! The simulator's one HTTP client: a shared hyper connection pool toward
//! the server, with a semaphore bounding how many requests (long polls
//! included) are open at once.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tokio::sync::Semaphore;

/// `X-Amz-Target` prefix of the ECS API.
const ECS_TARGET: &str = "AmazonEC2ContainerServiceV20141113";

/// Why a request got no answer.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The endpoint is not an `http://host:port` URL.
    #[error("endpoint {0:?} is not an http://host:port URL")]
    BadEndpoint(String),
    /// Connecting or sending failed.
    #[error("request to {path} failed")]
    Send {
        path: String,
        #[source]
        cause: hyper_util::client::legacy::Error,
    },
    /// Reading the answer failed.
    #[error("reading the answer from {path} failed")]
    Body {
        path: String,
        #[source]
        cause: hyper::Error,
    },
    /// No answer within the request's deadline.
    #[error("no answer from {path} within {timeout:?}")]
    Timeout { path: String, timeout: Duration },
    /// A request could not be built (a bad header value).
    #[error("building the request to {path} failed")]
    Build {
        path: String,
        #[source]
        cause: hyper::http::Error,
    },
}

/// A status and body read from the server.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
}

/// A bounded, shared client for one server.
#[derive(Clone)]
pub struct HttpClient {
    inner: Client<HttpConnector, Full<Bytes>>,
    /// `http://host:port`, without a trailing slash.
    base: Arc<str>,
    permits: Arc<Semaphore>,
}

impl HttpClient {
    /// A client for `endpoint` (`http://host:port`) that keeps at most
    /// `connections` requests open at once.
    pub fn new(endpoint: &str, connections: usize) -> Result<HttpClient, ClientError> {
        let base = parse_endpoint(endpoint)?;
        let mut connector = HttpConnector::new();
        // Reports are small; Nagle plus delayed ACKs would add ~40 ms each.
        connector.set_nodelay(true);
        let inner = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(connections)
            .pool_idle_timeout(Duration::from_secs(90))
            .build(connector);
        Ok(HttpClient {
            inner,
            base: base.into(),
            permits: Arc::new(Semaphore::new(connections.max(1))),
        })
    }

    /// Posts a JSON body to an agent protocol `path`.
    pub async fn post_json(
        &self,
        path: &str,
        body: Vec<u8>,
        timeout: Duration,
    ) -> Result<Answer, ClientError> {
        self.post(path, &[("content-type", "application/json")], body, timeout)
            .await
    }

    /// Posts an ECS API request (`operation` such as `CreateCluster`) with
    /// a SigV4-shaped Authorization header, as SDKs send.
    pub async fn post_ecs(
        &self,
        operation: &str,
        body: Vec<u8>,
        timeout: Duration,
    ) -> Result<Answer, ClientError> {
        let target = format!("{ECS_TARGET}.{operation}");
        let headers = [
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-target", target.as_str()),
            ("x-amz-date", "20260101T000000Z"),
            ("authorization", AUTHORIZATION),
        ];
        self.post("/", &headers, body, timeout).await
    }

    async fn post(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
        timeout: Duration,
    ) -> Result<Answer, ClientError> {
        let uri = format!("{}{path}", self.base);
        let mut builder = Request::builder().method(Method::POST).uri(uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = builder
            .body(Full::new(Bytes::from(body)))
            .map_err(|cause| ClientError::Build {
                path: path.to_owned(),
                cause,
            })?;
        // The semaphore is never closed, so acquiring only waits.
        let _permit = self.permits.acquire().await;
        let exchange = async {
            let response =
                self.inner
                    .request(request)
                    .await
                    .map_err(|cause| ClientError::Send {
                        path: path.to_owned(),
                        cause,
                    })?;
            let status = response.status();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|cause| ClientError::Body {
                    path: path.to_owned(),
                    cause,
                })?
                .to_bytes();
            Ok(Answer { status, body })
        };
        tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| ClientError::Timeout {
                path: path.to_owned(),
                timeout,
            })?
    }
}

/// A syntactically valid SigV4 header: Berth parses it and does not verify
/// signatures.
const AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=AKIDBERTHSIMULATE/20260101/us-east-1/ecs/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000000000000000000000000000000000000000000000000000000000000000";

/// `http://host:port[/]` → `http://host:port`.
fn parse_endpoint(endpoint: &str) -> Result<String, ClientError> {
    let bad = || ClientError::BadEndpoint(endpoint.to_owned());
    let uri: Uri = endpoint.parse().map_err(|_| bad())?;
    if uri.scheme_str() != Some("http") || !matches!(uri.path(), "" | "/") || uri.query().is_some()
    {
        return Err(bad());
    }
    let authority = uri.authority().ok_or_else(bad)?;
    Ok(format!("http://{authority}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(endpoint: &str, expected: Option<&str>) {
        let parsed = parse_endpoint(endpoint).ok();
        assert_eq!(parsed.as_deref(), expected, "{endpoint}");
    }

    #[test]
    fn endpoints_must_be_plain_http_roots() {
        check("http://127.0.0.1:4510", Some("http://127.0.0.1:4510"));
        check("http://127.0.0.1:4510/", Some("http://127.0.0.1:4510"));
        check("http://berth.internal", Some("http://berth.internal"));
        check("https://127.0.0.1:4510", None);
        check("http://127.0.0.1:4510/api", None);
        check("http://127.0.0.1:4510/?x=1", None);
        check("127.0.0.1:4510", None);
        check("", None);
    }
}
