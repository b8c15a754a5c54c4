//! The `/v2/` HTTP surface: one axum route that authenticates, parses the
//! path into an [`Endpoint`] (names may hold `/`, so matching runs from the
//! right end of the path), and hands off to the blob or manifest handlers.

mod blobs;
mod manifests;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;

use crate::error::RegistryError;
use crate::name::RepositoryName;
use crate::registry::Registry;

/// Sent on every response; some clients insist on it.
const API_VERSION: (&str, &str) = ("docker-distribution-api-version", "registry/2.0");
/// Longest query string accepted.
const MAX_QUERY_LEN: usize = 4096;
/// Longest path accepted (names are at most 256 bytes, digests ~71).
const MAX_PATH_LEN: usize = 1024;

/// The registry's routes, to be mounted at the server root (they all start
/// with `/v2`).
pub fn router(registry: Arc<Registry>) -> Router {
    Router::new()
        .route("/v2", any(dispatch))
        .route("/v2/", any(dispatch))
        .route("/v2/{*rest}", any(dispatch))
        .with_state(registry)
}

/// What a request path names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Endpoint {
    Base,
    Catalog,
    Tags {
        name: RepositoryName,
    },
    Manifest {
        name: RepositoryName,
        reference: String,
    },
    Blob {
        name: RepositoryName,
        digest: String,
    },
    UploadStart {
        name: RepositoryName,
    },
    Upload {
        name: RepositoryName,
        id: String,
    },
    Referrers {
        name: RepositoryName,
        digest: String,
    },
}

/// Parses a request path. `None` for paths the registry does not serve.
fn parse_endpoint(path: &str) -> Option<Result<Endpoint, RegistryError>> {
    let rest = path.strip_prefix("/v2")?;
    if rest.is_empty() || rest == "/" {
        return Some(Ok(Endpoint::Base));
    }
    let rest = rest.strip_prefix('/')?;
    if rest == "_catalog" {
        return Some(Ok(Endpoint::Catalog));
    }
    let segments: Vec<&str> = rest.split('/').collect();
    let n = segments.len();
    let name_of = |n_suffix: usize| -> Result<RepositoryName, RegistryError> {
        let name = segments[..n - n_suffix].join("/");
        RepositoryName::parse(&name).map_err(|_| RegistryError::NameInvalid { name })
    };
    let last = segments[n - 1];
    let before = |idx: usize| (n > idx).then(|| segments[n - 1 - idx]);
    let endpoint = if before(1) == Some("tags") && last == "list" && n > 2 {
        name_of(2).map(|name| Endpoint::Tags { name })
    } else if before(2) == Some("blobs") && before(1) == Some("uploads") && n > 3 {
        name_of(3).map(|name| {
            if last.is_empty() {
                Endpoint::UploadStart { name }
            } else {
                Endpoint::Upload {
                    name,
                    id: last.to_string(),
                }
            }
        })
    } else if n > 2 && before(1) == Some("blobs") && last == "uploads" {
        // `/v2/<name>/blobs/uploads` without the trailing slash.
        name_of(2).map(|name| Endpoint::UploadStart { name })
    } else if n > 2 && before(1) == Some("blobs") {
        name_of(2).map(|name| Endpoint::Blob {
            name,
            digest: last.to_string(),
        })
    } else if n > 2 && before(1) == Some("manifests") {
        name_of(2).map(|name| Endpoint::Manifest {
            name,
            reference: last.to_string(),
        })
    } else if n > 2 && before(1) == Some("referrers") {
        name_of(2).map(|name| Endpoint::Referrers {
            name,
            digest: last.to_string(),
        })
    } else {
        return None;
    };
    Some(endpoint)
}

/// The single handler behind every route.
async fn dispatch(State(registry): State<Arc<Registry>>, request: Request) -> Response {
    let mut response = handle(&registry, request).await;
    response
        .headers_mut()
        .insert(API_VERSION.0, HeaderValue::from_static(API_VERSION.1));
    response
}

async fn handle(registry: &Registry, request: Request) -> Response {
    if let Some(authority) = &registry.config().auth {
        let header = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok());
        if let Err(err) = authority.verify_authorization(header) {
            tracing::debug!(error = %err, "registry request refused");
            return unauthorized(&registry.config().realm);
        }
    }
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or("").to_string();
    if path.len() > MAX_PATH_LEN {
        return error_response(&RegistryError::NameInvalid {
            name: path.chars().take(64).collect(),
        });
    }
    if query.len() > MAX_QUERY_LEN {
        return error_response(&RegistryError::Unsupported {
            reason: "query string too long".to_string(),
        });
    }
    let endpoint = match parse_endpoint(&path) {
        Some(Ok(endpoint)) => endpoint,
        Some(Err(err)) => return error_response(&err),
        None => return not_found(),
    };
    let query = Query::parse(&query);
    let method = request.method().clone();
    let result = match (&endpoint, &method) {
        (Endpoint::Base, &Method::GET | &Method::HEAD) => Ok(base()),
        (Endpoint::Catalog, &Method::GET) => manifests::catalog(registry, &query).await,
        (Endpoint::Tags { name }, &Method::GET) => manifests::tags(registry, name, &query).await,
        (Endpoint::Manifest { name, reference }, &Method::GET | &Method::HEAD) => {
            manifests::get(registry, name, reference, method == Method::HEAD).await
        }
        (Endpoint::Manifest { name, reference }, &Method::PUT) => {
            manifests::put(registry, name, reference, request).await
        }
        (Endpoint::Manifest { name, reference }, &Method::DELETE) => {
            manifests::delete(registry, name, reference).await
        }
        (Endpoint::Referrers { name, digest }, &Method::GET) => {
            manifests::referrers(registry, name, digest, &query).await
        }
        (Endpoint::Blob { name, digest }, &Method::GET | &Method::HEAD) => {
            blobs::get(
                registry,
                name,
                digest,
                method == Method::HEAD,
                request.headers(),
            )
            .await
        }
        (Endpoint::Blob { name, digest }, &Method::DELETE) => {
            blobs::delete(registry, name, digest).await
        }
        (Endpoint::UploadStart { name }, &Method::POST) => {
            blobs::start(registry, name, &query, request).await
        }
        (Endpoint::Upload { name, id }, &Method::GET) => blobs::status(registry, name, id).await,
        (Endpoint::Upload { name, id }, &Method::PATCH) => {
            blobs::patch(registry, name, id, request).await
        }
        (Endpoint::Upload { name, id }, &Method::PUT) => {
            blobs::put(registry, name, id, &query, request).await
        }
        (Endpoint::Upload { name, id }, &Method::DELETE) => blobs::cancel(registry, name, id).await,
        _ => Err(RegistryError::Unsupported {
            reason: format!("{method} is not supported here"),
        }),
    };
    result.unwrap_or_else(|err| error_response(&err))
}

fn base() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        "{}",
    )
        .into_response()
}

fn not_found() -> Response {
    let err = RegistryError::Unsupported {
        reason: "no such endpoint".to_string(),
    };
    let mut response = error_response(&err);
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

fn unauthorized(realm: &str) -> Response {
    let mut response = error_response(&RegistryError::Unauthorized);
    let challenge = format!("Basic realm=\"{}\"", realm.replace('"', ""));
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// The OCI error body with the error's status.
pub(crate) fn error_response(err: &RegistryError) -> Response {
    if err.http_status().is_server_error() {
        tracing::error!(error = %err, source = ?std::error::Error::source(err), "registry request failed");
    }
    let body = err.body().to_string();
    (
        err.http_status(),
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// Decoded query parameters (first value wins).
#[derive(Debug, Default)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    fn parse(query: &str) -> Query {
        let pairs = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (percent_decode(key), percent_decode(value))
            })
            .collect();
        Query { pairs }
    }

    /// The first value of `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Decodes `%XX` escapes and `+`; invalid escapes stay as they are.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut idx = 0;
    while idx < bytes.len() {
        match bytes[idx] {
            b'%' if idx + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[idx + 1..idx + 3]).ok();
                match hex.and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        idx += 3;
                    }
                    None => {
                        out.push(b'%');
                        idx += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                idx += 1;
            }
            other => {
                out.push(other);
                idx += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A header's value as text, if present and visible ASCII.
pub(crate) fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// The request's `Content-Length`, if present and numeric.
pub(crate) fn content_length(headers: &HeaderMap) -> Option<u64> {
    header_str(headers, header::CONTENT_LENGTH).and_then(|value| value.trim().parse().ok())
}

/// A response with no body and the given headers.
pub(crate) fn empty(status: StatusCode, headers: Vec<(&'static str, String)>) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> RepositoryName {
        RepositoryName::parse(text).unwrap_or_else(|_| panic!("valid test name {text}"))
    }

    fn check(path: &str, expected: Option<Result<Endpoint, &str>>) {
        let got = parse_endpoint(path).map(|result| result.map_err(|err| err.code().as_str()));
        assert_eq!(got, expected, "path {path}");
    }

    #[test]
    fn endpoint_table() {
        let digest = "sha256:abc";
        let cases: Vec<(&str, Option<Result<Endpoint, &str>>)> = vec![
            ("/v2", Some(Ok(Endpoint::Base))),
            ("/v2/", Some(Ok(Endpoint::Base))),
            ("/v2/_catalog", Some(Ok(Endpoint::Catalog))),
            (
                "/v2/a/b/c/tags/list",
                Some(Ok(Endpoint::Tags {
                    name: name("a/b/c"),
                })),
            ),
            (
                "/v2/a/b/manifests/latest",
                Some(Ok(Endpoint::Manifest {
                    name: name("a/b"),
                    reference: "latest".into(),
                })),
            ),
            (
                "/v2/x/blobs/sha256:abc",
                Some(Ok(Endpoint::Blob {
                    name: name("x"),
                    digest: digest.into(),
                })),
            ),
            (
                "/v2/x/y/blobs/uploads/",
                Some(Ok(Endpoint::UploadStart { name: name("x/y") })),
            ),
            (
                "/v2/x/y/blobs/uploads",
                Some(Ok(Endpoint::UploadStart { name: name("x/y") })),
            ),
            (
                "/v2/x/blobs/uploads/some-id",
                Some(Ok(Endpoint::Upload {
                    name: name("x"),
                    id: "some-id".into(),
                })),
            ),
            (
                "/v2/blobs/manifests/manifests/v1",
                Some(Ok(Endpoint::Manifest {
                    name: name("blobs/manifests"),
                    reference: "v1".into(),
                })),
            ),
            (
                "/v2/r/referrers/sha256:abc",
                Some(Ok(Endpoint::Referrers {
                    name: name("r"),
                    digest: digest.into(),
                })),
            ),
            ("/v2/../manifests/latest", Some(Err("NAME_INVALID"))),
            ("/v2/Upper/manifests/latest", Some(Err("NAME_INVALID"))),
            ("/v2/a//b/tags/list", Some(Err("NAME_INVALID"))),
            ("/v2/manifests/latest", None),
            ("/v2/a/unknown/x", None),
            ("/v3/a/tags/list", None),
        ];
        for (path, expected) in cases {
            check(path, expected);
        }
    }

    #[test]
    fn query_decoding_table() {
        let cases = [
            ("digest=sha256%3Aab", "digest", Some("sha256:ab")),
            ("a=1&digest=x", "digest", Some("x")),
            ("digest=%zz", "digest", Some("%zz")),
            ("digest=%4", "digest", Some("%4")),
            ("n=", "n", Some("")),
            ("last=a+b", "last", Some("a b")),
            ("", "n", None),
        ];
        for (query, key, expected) in cases {
            assert_eq!(Query::parse(query).get(key), expected, "{query}");
        }
    }
}
