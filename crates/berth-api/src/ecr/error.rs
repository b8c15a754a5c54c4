//! ECR errors as handlers raise them, how each maps to `__type`, and how
//! registry errors become ECR ones.

use berth_registry::RegistryError;

use crate::error::AwsError;

/// A failed ECR operation. Messages are the client-facing text; the
/// repository-not-found family names the registry id when rendered.
#[derive(Debug, thiserror::Error)]
pub enum EcrError {
    #[error("The repository with name '{name}' does not exist in the registry")]
    RepositoryNotFound { name: String },
    #[error("The repository with name '{name}' already exists in the registry")]
    RepositoryAlreadyExists { name: String },
    #[error(
        "The repository with name '{name}' in registry cannot be deleted because it still contains images"
    )]
    RepositoryNotEmpty { name: String },
    #[error("{0}")]
    ImageNotFound(String),
    #[error("{0}")]
    ImageAlreadyExists(String),
    #[error("{0}")]
    ImageTagAlreadyExists(String),
    #[error("{0}")]
    ImageDigestDoesNotMatch(String),
    #[error("{0}")]
    LayersNotFound(String),
    #[error("{0}")]
    ReferencedImagesNotFound(String),
    #[error("{0}")]
    UploadNotFound(String),
    #[error("{0}")]
    InvalidLayerPart(String),
    #[error("{0}")]
    EmptyUpload(String),
    #[error("{0}")]
    InvalidLayer(String),
    #[error("{0}")]
    LayerAlreadyExists(String),
    #[error("{0}")]
    InvalidParameter(String),
    #[error("{0}")]
    InvalidTagParameter(String),
    #[error("{0}")]
    TooManyTags(String),
    #[error("{0}")]
    LifecyclePolicyNotFound(String),
    #[error("{0}")]
    LifecyclePolicyPreviewNotFound(String),
    #[error("{0}")]
    RepositoryPolicyNotFound(String),
    #[error("{0}")]
    LimitExceeded(String),
    /// A protocol-level failure (parsing) already in AWS form.
    #[error("{}", .0.message)]
    Aws(AwsError),
    /// Our own fault; its chain is logged, not shown.
    #[error("registry failed")]
    Registry(#[source] RegistryError),
}

impl EcrError {
    /// The `__type` AWS uses for this error.
    pub fn aws_code(&self) -> &'static str {
        match self {
            EcrError::RepositoryNotFound { .. } => "RepositoryNotFoundException",
            EcrError::RepositoryAlreadyExists { .. } => "RepositoryAlreadyExistsException",
            EcrError::RepositoryNotEmpty { .. } => "RepositoryNotEmptyException",
            EcrError::ImageNotFound(_) => "ImageNotFoundException",
            EcrError::ImageAlreadyExists(_) => "ImageAlreadyExistsException",
            EcrError::ImageTagAlreadyExists(_) => "ImageTagAlreadyExistsException",
            EcrError::ImageDigestDoesNotMatch(_) => "ImageDigestDoesNotMatchException",
            EcrError::LayersNotFound(_) => "LayersNotFoundException",
            EcrError::ReferencedImagesNotFound(_) => "ReferencedImagesNotFoundException",
            EcrError::UploadNotFound(_) => "UploadNotFoundException",
            EcrError::InvalidLayerPart(_) => "InvalidLayerPartException",
            EcrError::EmptyUpload(_) => "EmptyUploadException",
            EcrError::InvalidLayer(_) => "InvalidLayerException",
            EcrError::LayerAlreadyExists(_) => "LayerAlreadyExistsException",
            EcrError::InvalidParameter(_) => "InvalidParameterException",
            EcrError::InvalidTagParameter(_) => "InvalidTagParameterException",
            EcrError::TooManyTags(_) => "TooManyTagsException",
            EcrError::LifecyclePolicyNotFound(_) => "LifecyclePolicyNotFoundException",
            EcrError::LifecyclePolicyPreviewNotFound(_) => {
                "LifecyclePolicyPreviewNotFoundException"
            }
            EcrError::RepositoryPolicyNotFound(_) => "RepositoryPolicyNotFoundException",
            EcrError::LimitExceeded(_) => "LimitExceededException",
            EcrError::Aws(error) => error.code,
            EcrError::Registry(_) => "ServerException",
        }
    }

    /// The AWS error, with `registry_id` named where ECR names it.
    pub fn into_aws(self, registry_id: &str) -> AwsError {
        match self {
            EcrError::Aws(error) => error,
            EcrError::Registry(ref cause) => AwsError::server(cause),
            other => {
                let message = match &other {
                    EcrError::RepositoryNotFound { name } => format!(
                        "The repository with name '{name}' does not exist in the registry with id '{registry_id}'"
                    ),
                    EcrError::RepositoryAlreadyExists { name } => format!(
                        "The repository with name '{name}' already exists in the registry with id '{registry_id}'"
                    ),
                    EcrError::RepositoryNotEmpty { name } => format!(
                        "The repository with name '{name}' in registry with id '{registry_id}' cannot be deleted because it still contains images"
                    ),
                    _ => other.to_string(),
                };
                AwsError::client(other.aws_code(), message)
            }
        }
    }
}

impl From<AwsError> for EcrError {
    fn from(error: AwsError) -> Self {
        EcrError::Aws(error)
    }
}

impl From<RegistryError> for EcrError {
    fn from(error: RegistryError) -> Self {
        match error {
            RegistryError::NameUnknown { name } => EcrError::RepositoryNotFound { name },
            RegistryError::RepositoryExists { name } => EcrError::RepositoryAlreadyExists { name },
            RegistryError::RepositoryNotEmpty { name } => EcrError::RepositoryNotEmpty { name },
            RegistryError::TagImmutable { .. } => {
                EcrError::ImageTagAlreadyExists(error.to_string())
            }
            RegistryError::ManifestUnknown { .. } => {
                EcrError::ImageNotFound("Requested image not found".to_owned())
            }
            RegistryError::ManifestBlobUnknown { ref digests } => {
                let listed: Vec<&str> = digests.iter().map(|d| d.as_str()).collect();
                EcrError::LayersNotFound(format!(
                    "Layers with digests '[{}]' required for pushing image into the repository do not exist",
                    listed.join(", ")
                ))
            }
            RegistryError::BlobUnknown { digest } => EcrError::LayersNotFound(format!(
                "The layer with digest '{digest}' does not exist in the repository"
            )),
            RegistryError::UploadUnknown { id } => EcrError::UploadNotFound(format!(
                "The upload with id '{}' does not exist",
                crate::error::truncated(&id, 64)
            )),
            RegistryError::RangeInvalid { size, start } => EcrError::InvalidLayerPart(format!(
                "The part starts at byte {start}, but the upload continues at byte {size} (lastValidByteReceived {})",
                size as i64 - 1
            )),
            RegistryError::Busy => EcrError::LimitExceeded(
                "The repository is busy with concurrent changes; retry the request.".to_owned(),
            ),
            RegistryError::NameInvalid { .. }
            | RegistryError::DigestInvalid { .. }
            | RegistryError::TagInvalid { .. }
            | RegistryError::SizeInvalid { .. }
            | RegistryError::TooLarge { .. }
            | RegistryError::ManifestInvalid { .. }
            | RegistryError::Unsupported { .. }
            | RegistryError::PaginationInvalid => EcrError::InvalidParameter(error.to_string()),
            other => EcrError::Registry(other),
        }
    }
}
