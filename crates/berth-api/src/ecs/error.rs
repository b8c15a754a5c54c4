//! ECS errors as handlers raise them, and how each maps to `__type`.

use berth_state::StateError;

use crate::error::AwsError;

/// A failed ECS operation. Messages are the client-facing text.
#[derive(Debug, thiserror::Error)]
pub enum EcsError {
    #[error("Cluster not found.")]
    ClusterNotFound,
    #[error("{0}")]
    Client(String),
    #[error("{0}")]
    InvalidParameter(String),
    #[error("{0}")]
    ResourceNotFound(String),
    #[error("The Cluster cannot be deleted while Container Instances are active or draining.")]
    ClusterContainsContainerInstances,
    #[error("The Cluster cannot be deleted while Services are active.")]
    ClusterContainsServices,
    #[error("The Cluster cannot be deleted while Tasks are active.")]
    ClusterContainsTasks,
    #[error("{0}")]
    LimitExceeded(String),
    /// A client token reused with different parameters; the ARNs are those
    /// the token already created.
    #[error("{message}")]
    Conflict {
        message: String,
        resource_ids: Vec<String>,
    },
    #[error("{0}")]
    Unsupported(String),
    /// A protocol-level failure (parsing) already in AWS form.
    #[error("{}", .0.message)]
    Aws(AwsError),
    /// Our own fault; its chain is logged, not shown.
    #[error("storage failed")]
    State(#[from] StateError),
}

impl EcsError {
    /// The `__type` AWS uses for this error.
    pub fn aws_code(&self) -> &'static str {
        match self {
            EcsError::ClusterNotFound => "ClusterNotFoundException",
            EcsError::Client(_) => "ClientException",
            EcsError::InvalidParameter(_) => "InvalidParameterException",
            EcsError::ResourceNotFound(_) => "ResourceNotFoundException",
            EcsError::ClusterContainsContainerInstances => {
                "ClusterContainsContainerInstancesException"
            }
            EcsError::ClusterContainsServices => "ClusterContainsServicesException",
            EcsError::ClusterContainsTasks => "ClusterContainsTasksException",
            EcsError::LimitExceeded(_) => "LimitExceededException",
            EcsError::Conflict { .. } => "ConflictException",
            EcsError::Unsupported(_) => "UnsupportedFeatureException",
            EcsError::Aws(error) => error.code,
            EcsError::State(_) => "ServerException",
        }
    }
}

impl From<AwsError> for EcsError {
    fn from(error: AwsError) -> Self {
        EcsError::Aws(error)
    }
}

impl From<berth_model::tag::TagError> for EcsError {
    fn from(error: berth_model::tag::TagError) -> Self {
        EcsError::InvalidParameter(error.0)
    }
}

impl From<EcsError> for AwsError {
    fn from(error: EcsError) -> Self {
        match error {
            EcsError::Aws(error) => error,
            EcsError::State(ref cause) => AwsError::server(cause),
            EcsError::Conflict {
                message,
                resource_ids,
            } => {
                let mut error = AwsError::client("ConflictException", message);
                let mut extra = serde_json::Map::new();
                extra.insert("resourceIds".to_owned(), resource_ids.into());
                error.extra = Some(extra);
                error
            }
            other => AwsError::client(other.aws_code(), other.to_string()),
        }
    }
}
