//! The simulator's HTTP client. Each simulated host holds its own
//! connection to the server ([`Link`]), as a real agent does, opened on first
//! use and again after any failure; a semaphore shared by the fleet bounds
//! how many requests (long polls included) are open at once.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderValue};
use hyper::{Method, Request, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

/// `X-Amz-Target` prefix of the ECS API.
const ECS_TARGET: &str = "AmazonEC2ContainerServiceV20141113";

/// Why a request got no answer.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The endpoint is not an `http://host:port` URL.
    #[error("endpoint {0:?} is not an http://host:port URL")]
    BadEndpoint(String),
    /// Opening the connection failed.
    #[error("connecting to {address} failed")]
    Connect {
        address: String,
        #[source]
        cause: std::io::Error,
    },
    /// The HTTP exchange failed.
    #[error("request to {path} failed")]
    Exchange {
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

/// The server every link of the fleet talks to, and the fleet's bound on
/// open requests.
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Endpoint>,
}

struct Endpoint {
    /// `host:port`, to connect to.
    address: String,
    /// The same, as every request's `Host` header.
    host: HeaderValue,
    permits: Semaphore,
}

impl HttpClient {
    /// A client for `endpoint` (`http://host:port`) whose links keep at most
    /// `connections` requests open at once.
    pub fn new(endpoint: &str, connections: usize) -> Result<HttpClient, ClientError> {
        let address = parse_endpoint(endpoint)?;
        let host = HeaderValue::from_str(&address)
            .map_err(|_| ClientError::BadEndpoint(endpoint.to_owned()))?;
        Ok(HttpClient {
            inner: Arc::new(Endpoint {
                address,
                host,
                permits: Semaphore::new(connections.max(1)),
            }),
        })
    }

    /// A link of its own, not yet connected.
    pub fn link(&self) -> Link {
        Link {
            endpoint: self.inner.clone(),
            sender: None,
        }
    }
}

/// One connection to the server, used for one request at a time.
pub struct Link {
    endpoint: Arc<Endpoint>,
    /// `None` until the first request, while one is under way, and after a
    /// failed one: the next request connects anew, as the state of a
    /// connection that failed or timed out mid-exchange is unknown.
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Link {
    /// Posts a JSON body to an agent protocol `path`.
    pub async fn post_json(
        &mut self,
        path: &'static str,
        body: Vec<u8>,
        timeout: Duration,
    ) -> Result<Answer, ClientError> {
        let json = HeaderValue::from_static("application/json");
        self.post(path, [(CONTENT_TYPE, json)], body, timeout).await
    }

    /// Posts an ECS API request (`operation` such as `CreateCluster`) with
    /// a SigV4-shaped Authorization header, as SDKs send.
    pub async fn post_ecs(
        &mut self,
        operation: &str,
        body: Vec<u8>,
        timeout: Duration,
    ) -> Result<Answer, ClientError> {
        let target = HeaderValue::from_str(&format!("{ECS_TARGET}.{operation}"))
            .map_err(|_| ClientError::BadEndpoint(format!("operation {operation:?}")))?;
        let headers = [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-amz-json-1.1"),
            ),
            (
                hyper::header::HeaderName::from_static("x-amz-target"),
                target,
            ),
            (
                hyper::header::HeaderName::from_static("x-amz-date"),
                HeaderValue::from_static("20260101T000000Z"),
            ),
            (AUTHORIZATION, HeaderValue::from_static(SIGV4_AUTHORIZATION)),
        ];
        self.post("/", headers, body, timeout).await
    }

    async fn post(
        &mut self,
        path: &'static str,
        headers: impl IntoIterator<Item = (hyper::header::HeaderName, HeaderValue)>,
        body: Vec<u8>,
        timeout: Duration,
    ) -> Result<Answer, ClientError> {
        let mut builder = Request::builder()
            .method(Method::POST)
            .uri(Uri::from_static(path))
            .header(HOST, self.endpoint.host.clone());
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        let request = builder
            .body(Full::new(Bytes::from(body)))
            .map_err(|cause| ClientError::Build {
                path: path.to_owned(),
                cause,
            })?;
        let endpoint = self.endpoint.clone();
        let bounded = async {
            // The semaphore is never closed, so acquiring only waits; under
            // the deadline, so a host that holds a permit in an open poll
            // while it reports cannot wait for one forever.
            let _permit = endpoint.permits.acquire().await;
            self.exchange(path, request).await
        };
        tokio::time::timeout(timeout, bounded)
            .await
            .unwrap_or_else(|_| {
                Err(ClientError::Timeout {
                    path: path.to_owned(),
                    timeout,
                })
            })
    }

    async fn exchange(
        &mut self,
        path: &str,
        request: Request<Full<Bytes>>,
    ) -> Result<Answer, ClientError> {
        let failed = |cause| ClientError::Exchange {
            path: path.to_owned(),
            cause,
        };
        // Taken for the exchange and given back only once it is whole, so
        // an exchange that fails or is cancelled leaves no connection in an
        // unknown state behind.
        let mut sender = match self.sender.take() {
            Some(mut kept) if !kept.is_closed() => match kept.ready().await {
                Ok(()) => kept,
                // Closed by the server while idle; the request was not sent.
                Err(_) => connect(&self.endpoint.address).await?,
            },
            _ => connect(&self.endpoint.address).await?,
        };
        let response = sender.send_request(request).await.map_err(failed)?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(failed)?
            .to_bytes();
        self.sender = Some(sender);
        Ok(Answer { status, body })
    }
}

/// Opens a connection to `address`, ready for a request and driven by a
/// task of its own until its link lets go of it.
async fn connect(address: &str) -> Result<SendRequest<Full<Bytes>>, ClientError> {
    let failed = |cause| ClientError::Connect {
        address: address.to_owned(),
        cause,
    };
    let refused = |cause| ClientError::Exchange {
        path: "(handshake)".to_owned(),
        cause,
    };
    let stream = TcpStream::connect(address).await.map_err(failed)?;
    // Reports are small; Nagle plus delayed ACKs would add ~40 ms each.
    stream.set_nodelay(true).map_err(failed)?;
    let (mut sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(refused)?;
    tokio::spawn(async move {
        // Ends when the link drops its sender, or the server closes.
        let _ = connection.await;
    });
    sender.ready().await.map_err(refused)?;
    Ok(sender)
}

/// A syntactically valid SigV4 header: Berth parses it and does not verify
/// signatures.
const SIGV4_AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=AKIDBERTHSIMULATE/20260101/us-east-1/ecs/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000000000000000000000000000000000000000000000000000000000000000";

/// `http://host:port[/]` → `host:port`.
fn parse_endpoint(endpoint: &str) -> Result<String, ClientError> {
    let bad = || ClientError::BadEndpoint(endpoint.to_owned());
    let uri: Uri = endpoint.parse().map_err(|_| bad())?;
    if uri.scheme_str() != Some("http") || !matches!(uri.path(), "" | "/") || uri.query().is_some()
    {
        return Err(bad());
    }
    let authority = uri.authority().ok_or_else(bad)?;
    // Connecting needs a port (http's is 80), and no user part.
    Ok(format!(
        "{}:{}",
        authority.host(),
        authority.port_u16().unwrap_or(80)
    ))
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
        check("http://127.0.0.1:4510", Some("127.0.0.1:4510"));
        check("http://127.0.0.1:4510/", Some("127.0.0.1:4510"));
        check("http://berth.internal", Some("berth.internal:80"));
        check("https://127.0.0.1:4510", None);
        check("http://127.0.0.1:4510/api", None);
        check("http://127.0.0.1:4510/?x=1", None);
        check("http://user@127.0.0.1:4510", Some("127.0.0.1:4510"));
        check("127.0.0.1:4510", None);
        check("", None);
    }
}
