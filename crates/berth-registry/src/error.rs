//! The registry's error type and its mapping to OCI error codes, HTTP
//! statuses and the `{"errors":[{code,message,detail}]}` body.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::blob::BlobStoreError;
use crate::digest::Digest;
use berth_store::StoreError;

/// The error codes of the distribution spec (plus `TAG_INVALID` for ECR's
/// immutable tags and `UNKNOWN` for our own faults).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    BlobUnknown,
    BlobUploadInvalid,
    BlobUploadUnknown,
    DigestInvalid,
    ManifestBlobUnknown,
    ManifestInvalid,
    ManifestUnknown,
    NameInvalid,
    NameUnknown,
    SizeInvalid,
    TagInvalid,
    Unauthorized,
    Denied,
    Unsupported,
    TooManyRequests,
    PaginationNumberInvalid,
    Unknown,
}

impl ErrorCode {
    /// The wire spelling of the code.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BlobUnknown => "BLOB_UNKNOWN",
            ErrorCode::BlobUploadInvalid => "BLOB_UPLOAD_INVALID",
            ErrorCode::BlobUploadUnknown => "BLOB_UPLOAD_UNKNOWN",
            ErrorCode::DigestInvalid => "DIGEST_INVALID",
            ErrorCode::ManifestBlobUnknown => "MANIFEST_BLOB_UNKNOWN",
            ErrorCode::ManifestInvalid => "MANIFEST_INVALID",
            ErrorCode::ManifestUnknown => "MANIFEST_UNKNOWN",
            ErrorCode::NameInvalid => "NAME_INVALID",
            ErrorCode::NameUnknown => "NAME_UNKNOWN",
            ErrorCode::SizeInvalid => "SIZE_INVALID",
            ErrorCode::TagInvalid => "TAG_INVALID",
            ErrorCode::Unauthorized => "UNAUTHORIZED",
            ErrorCode::Denied => "DENIED",
            ErrorCode::Unsupported => "UNSUPPORTED",
            ErrorCode::TooManyRequests => "TOOMANYREQUESTS",
            ErrorCode::PaginationNumberInvalid => "PAGINATION_NUMBER_INVALID",
            ErrorCode::Unknown => "UNKNOWN",
        }
    }
}

/// Everything a registry operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The repository name breaks the grammar.
    #[error("invalid repository name")]
    NameInvalid { name: String },
    /// The repository does not exist.
    #[error("repository name not known to registry")]
    NameUnknown { name: String },
    /// A repository of that name already exists.
    #[error("repository already exists")]
    RepositoryExists { name: String },
    /// The repository still holds images and deletion was not forced.
    #[error("repository is not empty")]
    RepositoryNotEmpty { name: String },
    /// A digest is malformed, uses an unsupported algorithm, or does not
    /// match the content.
    #[error("{reason}")]
    DigestInvalid { reason: String },
    /// A tag breaks the grammar.
    #[error("invalid tag")]
    TagInvalid { tag: String },
    /// The tag exists and the repository forbids moving tags.
    #[error(
        "The image tag '{tag}' already exists in the '{repository}' repository and cannot be overwritten because the repository is immutable."
    )]
    TagImmutable { tag: String, repository: String },
    /// The blob is not linked into the repository.
    #[error("blob unknown to registry")]
    BlobUnknown { digest: String },
    /// The upload session does not exist (or belongs to another repository).
    #[error("blob upload unknown to registry")]
    UploadUnknown { id: String },
    /// A chunk does not continue the upload where it stands.
    #[error("chunk out of order: upload holds {size} bytes, chunk starts at {start}")]
    RangeInvalid { size: u64, start: u64 },
    /// A length disagrees with the content sent.
    #[error("{reason}")]
    SizeInvalid { reason: String },
    /// The request body ended early or failed.
    #[error("request body failed")]
    BodyFailed {
        #[source]
        source: std::io::Error,
    },
    /// A body exceeds its limit.
    #[error("{what} exceeds the limit of {limit} bytes")]
    TooLarge { what: &'static str, limit: u64 },
    /// The manifest does not parse or breaks the schema.
    #[error("manifest invalid: {reason}")]
    ManifestInvalid { reason: String },
    /// The manifest names blobs or manifests this repository lacks.
    #[error("manifest references a manifest or blob unknown to registry")]
    ManifestBlobUnknown { digests: Vec<Digest> },
    /// No manifest under that tag or digest.
    #[error("manifest unknown to registry")]
    ManifestUnknown { reference: String },
    /// The request is not one the registry supports.
    #[error("{reason}")]
    Unsupported { reason: String },
    /// The `n` of a paginated listing is not a number.
    #[error("invalid number of results requested")]
    PaginationInvalid,
    /// No valid credentials came with the request.
    #[error("authentication required")]
    Unauthorized,
    /// Contention did not settle after retries (e.g. a garbage collection
    /// removing the same blob); the client may retry.
    #[error("the registry is busy; retry the request")]
    Busy,
    /// The blob store failed.
    #[error("blob storage failed")]
    Blob {
        #[source]
        source: BlobStoreError,
    },
    /// The metadata store failed.
    #[error("metadata storage failed: {context}")]
    Store {
        context: &'static str,
        #[source]
        source: StoreError,
    },
    /// Stored metadata did not decode.
    #[error("stored metadata is corrupt: {context}")]
    Corrupt {
        context: String,
        #[source]
        source: serde_json::Error,
    },
}

impl RegistryError {
    /// The OCI error code sent to clients.
    pub fn code(&self) -> ErrorCode {
        match self {
            RegistryError::NameInvalid { .. } => ErrorCode::NameInvalid,
            RegistryError::NameUnknown { .. } => ErrorCode::NameUnknown,
            RegistryError::RepositoryExists { .. } | RegistryError::RepositoryNotEmpty { .. } => {
                ErrorCode::Denied
            }
            RegistryError::DigestInvalid { .. } => ErrorCode::DigestInvalid,
            RegistryError::TagInvalid { .. } | RegistryError::TagImmutable { .. } => {
                ErrorCode::TagInvalid
            }
            RegistryError::BlobUnknown { .. } => ErrorCode::BlobUnknown,
            RegistryError::UploadUnknown { .. } => ErrorCode::BlobUploadUnknown,
            RegistryError::RangeInvalid { .. } => ErrorCode::BlobUploadInvalid,
            RegistryError::SizeInvalid { .. } | RegistryError::BodyFailed { .. } => {
                ErrorCode::SizeInvalid
            }
            RegistryError::TooLarge { what, .. } => {
                if *what == "manifest" {
                    ErrorCode::ManifestInvalid
                } else {
                    ErrorCode::SizeInvalid
                }
            }
            RegistryError::ManifestInvalid { .. } => ErrorCode::ManifestInvalid,
            RegistryError::ManifestBlobUnknown { .. } => ErrorCode::ManifestBlobUnknown,
            RegistryError::ManifestUnknown { .. } => ErrorCode::ManifestUnknown,
            RegistryError::Unsupported { .. } => ErrorCode::Unsupported,
            RegistryError::Unauthorized => ErrorCode::Unauthorized,
            RegistryError::PaginationInvalid => ErrorCode::PaginationNumberInvalid,
            RegistryError::Busy => ErrorCode::TooManyRequests,
            RegistryError::Blob { .. }
            | RegistryError::Store { .. }
            | RegistryError::Corrupt { .. } => ErrorCode::Unknown,
        }
    }

    /// The HTTP status of the response (the reference registry's choices
    /// where the spec leaves them open).
    pub fn http_status(&self) -> StatusCode {
        match self {
            RegistryError::NameUnknown { .. }
            | RegistryError::BlobUnknown { .. }
            | RegistryError::UploadUnknown { .. }
            | RegistryError::ManifestUnknown { .. } => StatusCode::NOT_FOUND,
            RegistryError::RangeInvalid { .. } => StatusCode::RANGE_NOT_SATISFIABLE,
            RegistryError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            RegistryError::Unsupported { .. } => StatusCode::METHOD_NOT_ALLOWED,
            RegistryError::Unauthorized => StatusCode::UNAUTHORIZED,
            RegistryError::RepositoryExists { .. } | RegistryError::RepositoryNotEmpty { .. } => {
                StatusCode::CONFLICT
            }
            RegistryError::Busy => StatusCode::TOO_MANY_REQUESTS,
            RegistryError::Blob { .. }
            | RegistryError::Store { .. }
            | RegistryError::Corrupt { .. } => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// The `errors` array of the response body. Internal faults carry no
    /// detail so storage paths and causes stay in the server log.
    pub fn body(&self) -> Value {
        let code = self.code().as_str();
        let errors: Vec<Value> = match self {
            RegistryError::ManifestBlobUnknown { digests } => digests
                .iter()
                .map(|digest| {
                    json!({"code": code, "message": self.to_string(), "detail": {"digest": digest.as_str()}})
                })
                .collect(),
            RegistryError::Blob { .. }
            | RegistryError::Store { .. }
            | RegistryError::Corrupt { .. } => {
                vec![json!({"code": code, "message": "internal server error", "detail": null})]
            }
            _ => vec![json!({"code": code, "message": self.to_string(), "detail": self.detail()})],
        };
        json!({ "errors": errors })
    }

    fn detail(&self) -> Value {
        match self {
            RegistryError::NameInvalid { name }
            | RegistryError::NameUnknown { name }
            | RegistryError::RepositoryExists { name }
            | RegistryError::RepositoryNotEmpty { name } => json!({ "name": name }),
            RegistryError::TagInvalid { tag } | RegistryError::TagImmutable { tag, .. } => {
                json!({ "tag": tag })
            }
            RegistryError::BlobUnknown { digest } => json!({ "digest": digest }),
            RegistryError::UploadUnknown { id } => json!({ "uuid": id }),
            RegistryError::RangeInvalid { size, .. } => json!({ "size": size }),
            RegistryError::TooLarge { limit, .. } => json!({ "limit": limit }),
            RegistryError::ManifestUnknown { reference } => json!({ "reference": reference }),
            _ => Value::Null,
        }
    }
}

impl From<BlobStoreError> for RegistryError {
    fn from(source: BlobStoreError) -> Self {
        match source {
            BlobStoreError::UploadUnknown { id } => RegistryError::UploadUnknown { id },
            BlobStoreError::OffsetMismatch { size, start } => {
                RegistryError::RangeInvalid { size, start }
            }
            BlobStoreError::LengthMismatch { expected, received } => RegistryError::SizeInvalid {
                reason: format!("expected {expected} bytes, received {received}"),
            },
            BlobStoreError::TooLarge { limit } => RegistryError::TooLarge {
                what: "blob",
                limit,
            },
            BlobStoreError::DigestMismatch { expected, actual } => RegistryError::DigestInvalid {
                reason: format!(
                    "provided digest {expected} did not match uploaded content {actual}"
                ),
            },
            BlobStoreError::Body { source } => RegistryError::BodyFailed { source },
            other => RegistryError::Blob { source: other },
        }
    }
}
