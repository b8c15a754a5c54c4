//! The AWS JSON 1.1 protocol edge: `POST /` with an `X-Amz-Target` header
//! naming the service and operation, a bounded JSON body, and JSON answers
//! carrying an `x-amzn-RequestId`.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::Api;
use crate::error::AwsError;
use crate::sigv4;

/// The content type of every AWS JSON 1.1 request and answer.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// Largest request body accepted; ECS task definitions are at most 64 KiB,
/// so 1 MiB leaves room for every legitimate request.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Largest ECR request body: a 20 MiB layer part in base64 (UploadLayerPart)
/// or a 4 MiB manifest, JSON-escaped (PutImage), with room to spare.
pub const ECR_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// `X-Amz-Target` prefix of the ECS API.
pub const ECS_TARGET_PREFIX: &str = "AmazonEC2ContainerServiceV20141113.";
/// `X-Amz-Target` prefix of the ECR API.
pub const ECR_TARGET_PREFIX: &str = "AmazonEC2ContainerRegistry_V20150921.";

/// Answers one AWS JSON request: routes on `X-Amz-Target`, never panics and
/// never answers anything but the AWS error shape on failure.
pub async fn handle(State(api): State<Arc<Api>>, request: Request) -> Response {
    let request_id = berth_control::new_random_uuid();
    match dispatch(&api, request).await {
        Ok(body) => {
            let mut response = Response::new(Body::from(body));
            set_headers(response.headers_mut(), &request_id);
            response
        }
        Err(error) => error.into_response_with_id(&request_id),
    }
}

async fn dispatch(api: &Api, request: Request) -> Result<Vec<u8>, AwsError> {
    let (parts, body) = request.into_parts();
    check_authorization(&parts.headers)?;
    let target = parts
        .headers
        .get("x-amz-target")
        .ok_or_else(|| AwsError::unknown_operation("(no X-Amz-Target header)"))?
        .to_str()
        .map_err(|_| AwsError::unknown_operation("(X-Amz-Target is not text)"))?;
    let limit = if target.starts_with(ECR_TARGET_PREFIX) {
        ECR_MAX_BODY_BYTES
    } else {
        MAX_BODY_BYTES
    };
    let body = axum::body::to_bytes(body, limit).await.map_err(|_| {
        AwsError::client(
            "ClientException",
            format!("The request body exceeds the limit of {limit} bytes."),
        )
    })?;
    if let Some(operation) = target.strip_prefix(ECS_TARGET_PREFIX) {
        return crate::ecs::handle(api, operation, &body).await;
    }
    if let Some(operation) = target.strip_prefix(ECR_TARGET_PREFIX) {
        return crate::ecr::handle(api, operation, &body).await;
    }
    Err(AwsError::unknown_operation(target))
}

/// Requests must carry a well-formed SigV4 `Authorization` header; the
/// signature itself is not checked yet.
fn check_authorization(headers: &HeaderMap) -> Result<(), AwsError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(AwsError::client(
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        ));
    };
    let value = value.to_str().map_err(|_| {
        AwsError::client(
            "IncompleteSignatureException",
            "Authorization header is not text.",
        )
    })?;
    sigv4::parse_authorization(value).map(|_| ())
}

/// Parses a request body into the operation's input shape. An empty body is
/// the empty object, as botocore never sends one but curl users do.
pub fn parse_input<T: DeserializeOwned>(body: &Bytes) -> Result<T, AwsError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return serde_json::from_slice(b"{}").map_err(|e| AwsError::serialization(e.to_string()));
    }
    serde_json::from_slice(body).map_err(|error| {
        AwsError::serialization(match error.classify() {
            serde_json::error::Category::Data => format!("Invalid request: {error}"),
            _ => format!("The request body is not valid JSON: {error}"),
        })
    })
}

/// Encodes an operation's output shape.
pub fn encode_output<T: Serialize>(output: &T) -> Result<Vec<u8>, AwsError> {
    serde_json::to_vec(output).map_err(|error| AwsError::server(&error))
}

/// A JSON answer with AWS's headers.
pub fn json_response(status: StatusCode, body: &serde_json::Value, request_id: &str) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = status;
    set_headers(response.headers_mut(), request_id);
    response
}

fn set_headers(headers: &mut HeaderMap, request_id: &str) {
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-requestid", value);
    }
}
