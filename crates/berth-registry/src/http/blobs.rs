//! Blob and upload-session handlers: reads with `Range`, deletes, and the
//! four upload flows (POST+PUT, single POST, chunked and streamed PATCH) plus
//! cross-repository mounts, status and cancel.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use futures::TryStreamExt;

use super::{Query, content_length, empty, error_response, header_str};
use crate::blob::{ByteStream, UploadState};
use crate::digest::{Digest, DigestError};
use crate::error::RegistryError;
use crate::name::RepositoryName;
use crate::range::{RangeRequest, parse_content_range, parse_range};
use crate::registry::Registry;

/// Parses a digest from a URL or query, mapping failures to `DIGEST_INVALID`.
pub(super) fn parse_digest(text: &str) -> Result<Digest, RegistryError> {
    Digest::parse(text).map_err(|err| RegistryError::DigestInvalid {
        reason: match err {
            DigestError::Malformed(_) => format!("malformed digest: {err}"),
            DigestError::UnsupportedAlgorithm(_) => err.to_string(),
        },
    })
}

fn body_stream(request: Request) -> ByteStream {
    Box::pin(
        request
            .into_body()
            .into_data_stream()
            .map_err(std::io::Error::other),
    )
}

fn blob_location(name: &RepositoryName, digest: &Digest) -> String {
    format!("/v2/{name}/blobs/{digest}")
}

fn upload_location(name: &RepositoryName, id: &str) -> String {
    format!("/v2/{name}/blobs/uploads/{id}")
}

/// The `Range` value for an upload holding `size` bytes (`0-0` when empty,
/// as the reference registry answers).
fn upload_range(size: u64) -> String {
    format!("0-{}", size.saturating_sub(1))
}

fn upload_response(status: StatusCode, name: &RepositoryName, state: &UploadState) -> Response {
    empty(
        status,
        vec![
            ("location", upload_location(name, &state.id)),
            ("range", upload_range(state.size)),
            ("docker-upload-uuid", state.id.clone()),
            ("content-length", "0".to_string()),
        ],
    )
}

fn created_blob(name: &RepositoryName, digest: &Digest) -> Response {
    empty(
        StatusCode::CREATED,
        vec![
            ("location", blob_location(name, digest)),
            ("docker-content-digest", digest.to_string()),
            ("content-length", "0".to_string()),
        ],
    )
}

/// GET/HEAD `/v2/<name>/blobs/<digest>`.
pub(super) async fn get(
    registry: &Registry,
    name: &RepositoryName,
    digest: &str,
    head: bool,
    headers: &HeaderMap,
) -> Result<Response, RegistryError> {
    let digest = parse_digest(digest)?;
    let info = registry.blob_info(name, &digest).await?;
    let range = match header_str(headers, header::RANGE) {
        Some(value) if !head => parse_range(value, info.size),
        _ => RangeRequest::Full,
    };
    let mut response = match range {
        RangeRequest::Unsatisfiable => {
            return Ok(empty(
                StatusCode::RANGE_NOT_SATISFIABLE,
                vec![("content-range", format!("bytes */{}", info.size))],
            ));
        }
        RangeRequest::Full => {
            let body = if head {
                Body::empty()
            } else {
                Body::from_stream(registry.read_blob(&digest, None).await?)
            };
            let mut response = Response::new(body);
            response
                .headers_mut()
                .insert(header::CONTENT_LENGTH, header::HeaderValue::from(info.size));
            response
        }
        RangeRequest::Partial(part) => {
            let stream = registry.read_blob(&digest, Some(part)).await?;
            let mut response = Response::new(Body::from_stream(stream));
            *response.status_mut() = StatusCode::PARTIAL_CONTENT;
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_LENGTH,
                header::HeaderValue::from(part.len()),
            );
            if let Ok(value) = header::HeaderValue::from_str(&format!(
                "bytes {}-{}/{}",
                part.start, part.end, info.size
            )) {
                headers.insert(header::CONTENT_RANGE, value);
            }
            response
        }
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(
        header::ACCEPT_RANGES,
        header::HeaderValue::from_static("bytes"),
    );
    if let Ok(value) = header::HeaderValue::from_str(digest.as_str()) {
        headers.insert("docker-content-digest", value);
    }
    Ok(response)
}

/// DELETE `/v2/<name>/blobs/<digest>`.
pub(super) async fn delete(
    registry: &Registry,
    name: &RepositoryName,
    digest: &str,
) -> Result<Response, RegistryError> {
    let digest = parse_digest(digest)?;
    registry.delete_blob(name, &digest).await?;
    Ok(empty(
        StatusCode::ACCEPTED,
        vec![("content-length", "0".to_string())],
    ))
}

/// POST `/v2/<name>/blobs/uploads/`: mount, single-request upload, or a new
/// session.
pub(super) async fn start(
    registry: &Registry,
    name: &RepositoryName,
    query: &Query,
    request: Request,
) -> Result<Response, RegistryError> {
    if let Some(algorithm) = query.get("digest-algorithm")
        && algorithm != "sha256"
    {
        return Err(RegistryError::Unsupported {
            reason: format!("digest algorithm {algorithm:?} is not supported"),
        });
    }
    if let Some(mount) = query.get("mount") {
        let digest = parse_digest(mount)?;
        let from = query
            .get("from")
            .and_then(|from| RepositoryName::parse(from).ok());
        if let Some(from) = from
            && registry.mount_blob(name, &digest, &from).await?.is_some()
        {
            return Ok(created_blob(name, &digest));
        }
    } else if let Some(digest) = query.get("digest") {
        let digest = parse_digest(digest)?;
        let expected_len = content_length(request.headers());
        let state = registry.start_upload(name).await?;
        let finished = async {
            registry
                .append_upload(name, &state.id, Some(0), expected_len, body_stream(request))
                .await?;
            registry.finish_upload(name, &state.id, &digest).await
        }
        .await;
        if finished.is_err() {
            let _ = registry.cancel_upload(name, &state.id).await;
        }
        finished?;
        return Ok(created_blob(name, &digest));
    }
    let state = registry.start_upload(name).await?;
    Ok(upload_response(StatusCode::ACCEPTED, name, &state))
}

/// GET on an upload session: where it stands.
pub(super) async fn status(
    registry: &Registry,
    name: &RepositoryName,
    id: &str,
) -> Result<Response, RegistryError> {
    let state = registry.upload_status(name, id).await?;
    Ok(upload_response(StatusCode::NO_CONTENT, name, &state))
}

/// Appends the request body to a session, honouring `Content-Range` and
/// `Content-Length`. A 416 carries the session's current `Range` so the
/// client can resume.
async fn append(
    registry: &Registry,
    name: &RepositoryName,
    id: &str,
    request: Request,
) -> Result<UploadState, Response> {
    let headers = request.headers();
    let length = content_length(headers);
    let range = match header_str(headers, header::CONTENT_RANGE) {
        Some(value) => match parse_content_range(value) {
            Ok(range) => Some(range),
            Err(_) => {
                let state = registry
                    .upload_status(name, id)
                    .await
                    .map_err(|err| error_response(&err))?;
                return Err(range_refused(name, &state, state.size));
            }
        },
        None => None,
    };
    if let (Some(range), Some(length)) = (range, length)
        && range.len() != length
    {
        return Err(error_response(&RegistryError::SizeInvalid {
            reason: format!(
                "Content-Range covers {} bytes but Content-Length is {length}",
                range.len()
            ),
        }));
    }
    let expected_len = range.map(|range| range.len()).or(length);
    let start = range.map(|range| range.start);
    match registry
        .append_upload(name, id, start, expected_len, body_stream(request))
        .await
    {
        Ok(state) => Ok(state),
        Err(RegistryError::RangeInvalid { start, .. }) => {
            let state = registry
                .upload_status(name, id)
                .await
                .map_err(|err| error_response(&err))?;
            Err(range_refused(name, &state, start))
        }
        Err(err) => Err(error_response(&err)),
    }
}

fn range_refused(name: &RepositoryName, state: &UploadState, start: u64) -> Response {
    let err = RegistryError::RangeInvalid {
        size: state.size,
        start,
    };
    let mut response = error_response(&err);
    let headers = response.headers_mut();
    for (key, value) in [
        ("location", upload_location(name, &state.id)),
        ("range", upload_range(state.size)),
        ("docker-upload-uuid", state.id.clone()),
    ] {
        if let Ok(value) = header::HeaderValue::from_str(&value) {
            headers.insert(key, value);
        }
    }
    response
}

/// PATCH on an upload session: one chunk (with `Content-Range`) or a
/// streamed body (without).
pub(super) async fn patch(
    registry: &Registry,
    name: &RepositoryName,
    id: &str,
    request: Request,
) -> Result<Response, RegistryError> {
    match append(registry, name, id, request).await {
        Ok(state) => Ok(upload_response(StatusCode::ACCEPTED, name, &state)),
        Err(response) => Ok(response),
    }
}

/// PUT on an upload session with `?digest=`: optional last chunk, then
/// verify and publish.
pub(super) async fn put(
    registry: &Registry,
    name: &RepositoryName,
    id: &str,
    query: &Query,
    request: Request,
) -> Result<Response, RegistryError> {
    let digest = match query.get("digest") {
        Some(digest) => parse_digest(digest)?,
        None => {
            return Err(RegistryError::DigestInvalid {
                reason: "the digest query parameter is required".to_string(),
            });
        }
    };
    if let Err(response) = append(registry, name, id, request).await {
        return Ok(response);
    }
    registry.finish_upload(name, id, &digest).await?;
    Ok(created_blob(name, &digest))
}

/// DELETE on an upload session: cancel it.
pub(super) async fn cancel(
    registry: &Registry,
    name: &RepositoryName,
    id: &str,
) -> Result<Response, RegistryError> {
    registry.cancel_upload(name, id).await?;
    Ok(empty(
        StatusCode::NO_CONTENT,
        vec![("content-length", "0".to_string())],
    ))
}
