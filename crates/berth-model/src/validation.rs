//! The error every validation rule reports: which family of AWS exception it
//! belongs to and the text the client sees. The API edge maps the kind to an
//! exception name; the model never names exceptions itself.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Which AWS exception family a rejected input belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidationErrorKind {
    /// A malformed or illegal parameter (`InvalidParameterException`).
    InvalidParameter,
    /// A request whose content the service refuses (`ClientException`).
    Client,
}

/// An input that breaks a rule; `message` is safe to show to the client.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct ValidationError {
    /// The exception family the API answers with.
    pub kind: ValidationErrorKind,
    /// The client-facing text.
    pub message: String,
}

impl ValidationError {
    /// A rejection answered with `ClientException`.
    pub fn client(message: impl Into<String>) -> Self {
        ValidationError {
            kind: ValidationErrorKind::Client,
            message: message.into(),
        }
    }

    /// A rejection answered with `InvalidParameterException`.
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        ValidationError {
            kind: ValidationErrorKind::InvalidParameter,
            message: message.into(),
        }
    }
}
