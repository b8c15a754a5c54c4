//! Manifest, tag-list, referrers and catalog handlers.

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::blobs::parse_digest;
use super::{Query, content_length, empty, header_str};
use crate::error::RegistryError;
use crate::manifest::OCI_INDEX;
use crate::name::{NameError, Reference, RepositoryName};
use crate::registry::{Page, Registry};

fn parse_reference(text: &str) -> Result<Reference, RegistryError> {
    Reference::parse(text).map_err(|err| match err {
        NameError::Digest(_) => match parse_digest(text) {
            Err(err) => err,
            Ok(_) => RegistryError::DigestInvalid {
                reason: "invalid digest".to_string(),
            },
        },
        _ => RegistryError::TagInvalid {
            tag: text.chars().take(MAX_ECHO).collect(),
        },
    })
}

/// Longest piece of client input echoed back in an error.
const MAX_ECHO: usize = 256;

/// GET/HEAD `/v2/<name>/manifests/<reference>`.
pub(super) async fn get(
    registry: &Registry,
    name: &RepositoryName,
    reference: &str,
    head: bool,
) -> Result<Response, RegistryError> {
    let reference = parse_reference(reference)?;
    let (info, body) = if head {
        (registry.manifest_info(name, &reference).await?, None)
    } else {
        let stored = registry.get_manifest(name, &reference).await?;
        (stored.info, Some(stored.body))
    };
    let mut response = match body {
        Some(body) => body.into_response(),
        None => ().into_response(),
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_LENGTH, header::HeaderValue::from(info.size));
    if let Ok(value) = header::HeaderValue::from_str(&info.media_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = header::HeaderValue::from_str(info.digest.as_str()) {
        headers.insert("docker-content-digest", value);
    }
    Ok(response)
}

/// PUT `/v2/<name>/manifests/<reference>`.
pub(super) async fn put(
    registry: &Registry,
    name: &RepositoryName,
    reference: &str,
    request: Request,
) -> Result<Response, RegistryError> {
    let reference = parse_reference(reference)?;
    let limit = registry.config().max_manifest_size;
    let too_large = || RegistryError::TooLarge {
        what: "manifest",
        limit,
    };
    if content_length(request.headers()).is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    let content_type = header_str(request.headers(), header::CONTENT_TYPE).map(str::to_string);
    let body_limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let body = axum::body::to_bytes(request.into_body(), body_limit)
        .await
        .map_err(|_| too_large())?;
    let pushed = registry
        .put_manifest(name, &reference, content_type.as_deref(), body)
        .await?;
    let mut headers = vec![
        (
            "location",
            format!("/v2/{name}/manifests/{}", pushed.digest),
        ),
        ("docker-content-digest", pushed.digest.to_string()),
        ("content-length", "0".to_string()),
    ];
    if let Some(subject) = &pushed.subject {
        headers.push(("oci-subject", subject.to_string()));
    }
    Ok(empty(StatusCode::CREATED, headers))
}

/// DELETE `/v2/<name>/manifests/<reference>`.
pub(super) async fn delete(
    registry: &Registry,
    name: &RepositoryName,
    reference: &str,
) -> Result<Response, RegistryError> {
    let reference = parse_reference(reference)?;
    registry.delete_manifest(name, &reference).await?;
    Ok(empty(
        StatusCode::ACCEPTED,
        vec![("content-length", "0".to_string())],
    ))
}

/// `n` and `last` of a paginated listing; no `n` means one full page.
fn pagination(
    registry: &Registry,
    query: &Query,
) -> Result<(usize, Option<String>), RegistryError> {
    let n = match query.get("n") {
        Some(text) => text
            .parse::<usize>()
            .map_err(|_| RegistryError::PaginationInvalid)?,
        None => registry.config().max_page_size,
    };
    let last = query
        .get("last")
        .filter(|last| !last.is_empty())
        .map(|last| last.chars().take(MAX_ECHO).collect());
    Ok((n, last))
}

/// A JSON response with a `Link: <...>; rel="next"` header when more remain.
fn paged(body: serde_json::Value, page: &Page<String>, next_base: String, n: usize) -> Response {
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response();
    if page.more
        && let Some(last) = page.items.last()
        && let Ok(value) =
            header::HeaderValue::from_str(&format!("<{next_base}?n={n}&last={last}>; rel=\"next\""))
    {
        response.headers_mut().insert(header::LINK, value);
    }
    response
}

/// GET `/v2/<name>/tags/list?n=&last=`.
pub(super) async fn tags(
    registry: &Registry,
    name: &RepositoryName,
    query: &Query,
) -> Result<Response, RegistryError> {
    let (n, last) = pagination(registry, query)?;
    let page = registry.list_tags(name, last.as_deref(), n).await?;
    let body = json!({ "name": name.as_str(), "tags": page.items });
    Ok(paged(body, &page, format!("/v2/{name}/tags/list"), n))
}

/// GET `/v2/_catalog?n=&last=`.
pub(super) async fn catalog(registry: &Registry, query: &Query) -> Result<Response, RegistryError> {
    let (n, last) = pagination(registry, query)?;
    let page = registry.list_repositories(last.as_deref(), n).await?;
    let body = json!({ "repositories": page.items });
    Ok(paged(body, &page, "/v2/_catalog".to_string(), n))
}

/// GET `/v2/<name>/referrers/<digest>?artifactType=`.
pub(super) async fn referrers(
    registry: &Registry,
    name: &RepositoryName,
    digest: &str,
    query: &Query,
) -> Result<Response, RegistryError> {
    let subject = parse_digest(digest)?;
    let artifact_type = query.get("artifactType").filter(|value| !value.is_empty());
    let found = registry
        .list_referrers(name, &subject, artifact_type)
        .await?;
    let body = json!({
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": found,
    });
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, OCI_INDEX)],
        body.to_string(),
    )
        .into_response();
    if artifact_type.is_some() {
        response.headers_mut().insert(
            "oci-filters-applied",
            header::HeaderValue::from_static("artifactType"),
        );
    }
    Ok(response)
}
