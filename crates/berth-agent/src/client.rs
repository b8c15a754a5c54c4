//! The agent side of the protocol's transport: JSON POSTs to the server's
//! `/agent/v1/*` endpoints over plain HTTP/1.1, each with a deadline and a
//! cap on the response size; error answers decode into [`ProtocolError`].

use std::time::Duration;

use berth_protocol::{ProtocolError, ProtocolErrorCode};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Largest response body accepted (a poll answer carries whole task
/// definitions, each at most 64 KiB, for every task of the instance).
pub const MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// A failed protocol call.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The endpoint URL is not `http://host[:port][/prefix]`.
    #[error("endpoint {0:?} must look like http://host:port")]
    InvalidEndpoint(String),
    /// The request could not be built.
    #[error("building the request to {url} failed")]
    Request {
        /// Target URL.
        url: String,
        /// The cause.
        #[source]
        source: hyper::http::Error,
    },
    /// The request did not reach the server or its answer broke off.
    #[error("POST {url} failed")]
    Transport {
        /// Target URL.
        url: String,
        /// The cause.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// No complete answer within the deadline.
    #[error("POST {url} timed out after {timeout:?}")]
    Timeout {
        /// Target URL.
        url: String,
        /// The deadline.
        timeout: Duration,
    },
    /// The request or answer is not the JSON expected.
    #[error("POST {url}: the body is not valid protocol JSON")]
    Json {
        /// Target URL.
        url: String,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
    /// The server answered with a protocol error.
    #[error("POST {url}: server answered {status}: {:?}: {}", error.code, error.message)]
    Server {
        /// Target URL.
        url: String,
        /// HTTP status.
        status: u16,
        /// The decoded error.
        error: ProtocolError,
    },
    /// The server answered a non-2xx status without a protocol error body.
    #[error("POST {url}: server answered HTTP {status}")]
    Status {
        /// Target URL.
        url: String,
        /// HTTP status.
        status: u16,
    },
}

impl ClientError {
    /// The protocol error code, when the server sent one.
    pub fn code(&self) -> Option<ProtocolErrorCode> {
        match self {
            ClientError::Server { error, .. } => Some(error.code),
            _ => None,
        }
    }
}

/// A client for one server.
#[derive(Debug, Clone)]
pub struct ProtocolClient {
    base: String,
    http: Client<HttpConnector, Full<Bytes>>,
}

impl ProtocolClient {
    /// A client for `endpoint` (`http://host:port`, optionally with a path
    /// prefix the server is mounted under).
    pub fn new(endpoint: &str) -> Result<Self, ClientError> {
        let base = endpoint.trim_end_matches('/');
        let rest = base
            .strip_prefix("http://")
            .ok_or_else(|| ClientError::InvalidEndpoint(endpoint.to_string()))?;
        let authority = rest.split('/').next().unwrap_or_default();
        if authority.is_empty() || authority.contains('@') || base.parse::<hyper::Uri>().is_err() {
            return Err(ClientError::InvalidEndpoint(endpoint.to_string()));
        }
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(Duration::from_secs(10)));
        let http = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(4)
            .build(connector);
        Ok(ProtocolClient {
            base: base.to_string(),
            http,
        })
    }

    /// POSTs `request` as JSON to `path` and decodes the answer, all within `timeout`.
    pub async fn post<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        path: &str,
        request: &Req,
        timeout: Duration,
    ) -> Result<Resp, ClientError> {
        let url = format!("{}{path}", self.base);
        match tokio::time::timeout(timeout, self.post_inner(&url, request)).await {
            Ok(result) => result,
            Err(_) => Err(ClientError::Timeout { url, timeout }),
        }
    }

    async fn post_inner<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        url: &str,
        request: &Req,
    ) -> Result<Resp, ClientError> {
        let json = |source| ClientError::Json {
            url: url.to_string(),
            source,
        };
        let body = serde_json::to_vec(request).map_err(json)?;
        let request = Request::builder()
            .method(Method::POST)
            .uri(url)
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(body)))
            .map_err(|source| ClientError::Request {
                url: url.to_string(),
                source,
            })?;
        let response =
            self.http
                .request(request)
                .await
                .map_err(|source| ClientError::Transport {
                    url: url.to_string(),
                    source: Box::new(source),
                })?;
        let status = response.status();
        let bytes = Limited::new(response.into_body(), MAX_RESPONSE_BYTES)
            .collect()
            .await
            .map_err(|source| ClientError::Transport {
                url: url.to_string(),
                source,
            })?
            .to_bytes();
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(json);
        }
        match serde_json::from_slice::<ProtocolError>(&bytes) {
            Ok(error) => Err(ClientError::Server {
                url: url.to_string(),
                status: status.as_u16(),
                error,
            }),
            Err(_) => Err(ClientError::Status {
                url: url.to_string(),
                status: status.as_u16(),
            }),
        }
    }
}

/// Whether a failed call is worth retrying as is (the server or the
/// network failed) rather than a verdict on the request.
pub fn is_retryable(error: &ClientError) -> bool {
    match error {
        ClientError::Transport { .. } | ClientError::Timeout { .. } => true,
        ClientError::Status { status, .. } | ClientError::Server { status, .. } => {
            *status >= 500 || *status == StatusCode::TOO_MANY_REQUESTS.as_u16()
        }
        ClientError::InvalidEndpoint(_)
        | ClientError::Request { .. }
        | ClientError::Json { .. } => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_validation() {
        let cases = [
            ("http://127.0.0.1:4510", true),
            ("http://berth.local:4510/", true),
            ("http://host/prefix", true),
            ("https://host:4510", false),
            ("127.0.0.1:4510", false),
            ("http://", false),
            ("http://user@host", false),
        ];
        for (endpoint, ok) in cases {
            assert_eq!(ProtocolClient::new(endpoint).is_ok(), ok, "{endpoint}");
        }
    }
}
