//! AWS JSON error responses: a code for `__type`, an HTTP status and a
//! message for the client, kept apart from internal context that is logged.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::protocol::json_response;

/// An error as an AWS JSON 1.1 service answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    /// The `__type` of the body, e.g. `ClusterNotFoundException`.
    pub code: &'static str,
    /// Shown to the client as `message`.
    pub message: String,
    pub status: StatusCode,
    /// Members of the exception shape beyond `message`, e.g.
    /// `ConflictException.resourceIds`.
    pub extra: Option<serde_json::Map<String, serde_json::Value>>,
}

impl AwsError {
    /// A client fault (HTTP 400) with `code`.
    pub fn client(code: &'static str, message: impl Into<String>) -> Self {
        AwsError {
            code,
            message: message.into(),
            status: StatusCode::BAD_REQUEST,
            extra: None,
        }
    }

    /// Our own fault: HTTP 500 `ServerException`. The cause is logged here and
    /// never sent, so internal paths and values stay private.
    pub fn server(context: &dyn std::error::Error) -> Self {
        tracing::error!(error = %ErrorChain(context), "request failed");
        AwsError {
            code: "ServerException",
            message: "The server encountered an internal error.".to_owned(),
            status: StatusCode::INTERNAL_SERVER_ERROR,
            extra: None,
        }
    }

    /// A JSON document that is not valid for the operation's input shape.
    pub fn serialization(message: impl Into<String>) -> Self {
        Self::client("SerializationException", message)
    }

    /// An `X-Amz-Target` that names no operation of the service.
    pub fn unknown_operation(target: &str) -> Self {
        Self::client(
            "UnknownOperationException",
            format!("Unknown operation: {}", truncated(target, 128)),
        )
    }

    /// The body as AWS sends it, with the request id header.
    pub fn into_response_with_id(self, request_id: &str) -> Response {
        let mut body = self.extra.unwrap_or_default();
        body.insert("__type".to_owned(), self.code.into());
        body.insert("message".to_owned(), self.message.into());
        json_response(self.status, &serde_json::Value::Object(body), request_id)
    }
}

impl IntoResponse for AwsError {
    fn into_response(self) -> Response {
        self.into_response_with_id(&berth_control::new_random_uuid())
    }
}

/// Shows an error with its whole `source()` chain on one line.
struct ErrorChain<'a>(&'a dyn std::error::Error);

impl std::fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

/// At most `max` characters of `text`, so echoed input stays bounded.
pub fn truncated(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((idx, _)) => format!("{}...", &text[..idx]),
        None => text.to_owned(),
    }
}
