//! Wire shapes of the Amazon Elastic Container Registry API, generated from
//! botocore 1.43.11 (`ecr/2015-09-21`) by `tools/gen-wire-shapes.py`.
//! Do not edit by hand: change the generator and run it again.
//!
//! Every member is optional so handlers decide which absences are errors;
//! timestamps are epoch seconds, blobs are base64 text, as on the wire.

#![allow(clippy::all, missing_docs)]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Operations of the API, as named after the `X-Amz-Target` prefix.
pub const OPERATIONS: &[&str] = &[
    "BatchCheckLayerAvailability",
    "BatchDeleteImage",
    "BatchGetImage",
    "BatchGetRepositoryScanningConfiguration",
    "CompleteLayerUpload",
    "CreatePullThroughCacheRule",
    "CreateRepository",
    "CreateRepositoryCreationTemplate",
    "DeleteLifecyclePolicy",
    "DeletePullThroughCacheRule",
    "DeleteRegistryPolicy",
    "DeleteRepository",
    "DeleteRepositoryCreationTemplate",
    "DeleteRepositoryPolicy",
    "DeleteSigningConfiguration",
    "DeregisterPullTimeUpdateExclusion",
    "DescribeImageReplicationStatus",
    "DescribeImageScanFindings",
    "DescribeImageSigningStatus",
    "DescribeImages",
    "DescribePullThroughCacheRules",
    "DescribeRegistry",
    "DescribeRepositories",
    "DescribeRepositoryCreationTemplates",
    "GetAccountSetting",
    "GetAuthorizationToken",
    "GetDownloadUrlForLayer",
    "GetLifecyclePolicy",
    "GetLifecyclePolicyPreview",
    "GetRegistryPolicy",
    "GetRegistryScanningConfiguration",
    "GetRepositoryPolicy",
    "GetSigningConfiguration",
    "InitiateLayerUpload",
    "ListImageReferrers",
    "ListImages",
    "ListPullTimeUpdateExclusions",
    "ListTagsForResource",
    "PutAccountSetting",
    "PutImage",
    "PutImageScanningConfiguration",
    "PutImageTagMutability",
    "PutLifecyclePolicy",
    "PutRegistryPolicy",
    "PutRegistryScanningConfiguration",
    "PutReplicationConfiguration",
    "PutSigningConfiguration",
    "RegisterPullTimeUpdateExclusion",
    "SetRepositoryPolicy",
    "StartImageScan",
    "StartLifecyclePolicyPreview",
    "TagResource",
    "UntagResource",
    "UpdateImageStorageClass",
    "UpdatePullThroughCacheRule",
    "UpdateRepositoryCreationTemplate",
    "UploadLayerPart",
    "ValidatePullThroughCacheRule",
];

/// Allowed values of each enum shape.
pub mod enums {
    /// Values of `ArtifactStatus`.
    pub const ARTIFACT_STATUS: &[&str] = &["ACTIVE", "ARCHIVED", "ACTIVATING"];
    /// Values of `ArtifactStatusFilter`.
    pub const ARTIFACT_STATUS_FILTER: &[&str] = &["ACTIVE", "ARCHIVED", "ACTIVATING", "ANY"];
    /// Values of `EncryptionType`.
    pub const ENCRYPTION_TYPE: &[&str] = &["AES256", "KMS", "KMS_DSSE"];
    /// Values of `FindingSeverity`.
    pub const FINDING_SEVERITY: &[&str] = &[
        "INFORMATIONAL",
        "LOW",
        "MEDIUM",
        "HIGH",
        "CRITICAL",
        "UNDEFINED",
    ];
    /// Values of `ImageActionType`.
    pub const IMAGE_ACTION_TYPE: &[&str] = &["EXPIRE", "TRANSITION"];
    /// Values of `ImageFailureCode`.
    pub const IMAGE_FAILURE_CODE: &[&str] = &[
        "InvalidImageDigest",
        "InvalidImageTag",
        "ImageTagDoesNotMatchDigest",
        "ImageNotFound",
        "MissingDigestAndTag",
        "ImageReferencedByManifestList",
        "KmsError",
        "UpstreamAccessDenied",
        "UpstreamTooManyRequests",
        "UpstreamUnavailable",
        "ImageInaccessible",
    ];
    /// Values of `ImageStatus`.
    pub const IMAGE_STATUS: &[&str] = &["ACTIVE", "ARCHIVED", "ACTIVATING"];
    /// Values of `ImageStatusFilter`.
    pub const IMAGE_STATUS_FILTER: &[&str] = &["ACTIVE", "ARCHIVED", "ACTIVATING", "ANY"];
    /// Values of `ImageTagMutability`.
    pub const IMAGE_TAG_MUTABILITY: &[&str] = &[
        "MUTABLE",
        "IMMUTABLE",
        "IMMUTABLE_WITH_EXCLUSION",
        "MUTABLE_WITH_EXCLUSION",
    ];
    /// Values of `ImageTagMutabilityExclusionFilterType`.
    pub const IMAGE_TAG_MUTABILITY_EXCLUSION_FILTER_TYPE: &[&str] = &["WILDCARD"];
    /// Values of `LayerAvailability`.
    pub const LAYER_AVAILABILITY: &[&str] = &["AVAILABLE", "UNAVAILABLE", "ARCHIVED"];
    /// Values of `LayerFailureCode`.
    pub const LAYER_FAILURE_CODE: &[&str] = &["InvalidLayerDigest", "MissingLayerDigest"];
    /// Values of `LifecyclePolicyPreviewStatus`.
    pub const LIFECYCLE_POLICY_PREVIEW_STATUS: &[&str] =
        &["IN_PROGRESS", "COMPLETE", "EXPIRED", "FAILED"];
    /// Values of `LifecyclePolicyStorageClass`.
    pub const LIFECYCLE_POLICY_STORAGE_CLASS: &[&str] = &["ARCHIVE", "STANDARD"];
    /// Values of `LifecyclePolicyTargetStorageClass`.
    pub const LIFECYCLE_POLICY_TARGET_STORAGE_CLASS: &[&str] = &["ARCHIVE"];
    /// Values of `RCTAppliedFor`.
    pub const RCT_APPLIED_FOR: &[&str] = &["REPLICATION", "PULL_THROUGH_CACHE", "CREATE_ON_PUSH"];
    /// Values of `ReplicationStatus`.
    pub const REPLICATION_STATUS: &[&str] = &["IN_PROGRESS", "COMPLETE", "FAILED"];
    /// Values of `RepositoryFilterType`.
    pub const REPOSITORY_FILTER_TYPE: &[&str] = &["PREFIX_MATCH"];
    /// Values of `ScanFrequency`.
    pub const SCAN_FREQUENCY: &[&str] = &["SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL"];
    /// Values of `ScanStatus`.
    pub const SCAN_STATUS: &[&str] = &[
        "IN_PROGRESS",
        "COMPLETE",
        "FAILED",
        "UNSUPPORTED_IMAGE",
        "ACTIVE",
        "PENDING",
        "SCAN_ELIGIBILITY_EXPIRED",
        "FINDINGS_UNAVAILABLE",
        "LIMIT_EXCEEDED",
        "IMAGE_ARCHIVED",
    ];
    /// Values of `ScanType`.
    pub const SCAN_TYPE: &[&str] = &["BASIC", "ENHANCED"];
    /// Values of `ScanningConfigurationFailureCode`.
    pub const SCANNING_CONFIGURATION_FAILURE_CODE: &[&str] = &["REPOSITORY_NOT_FOUND"];
    /// Values of `ScanningRepositoryFilterType`.
    pub const SCANNING_REPOSITORY_FILTER_TYPE: &[&str] = &["WILDCARD"];
    /// Values of `SigningRepositoryFilterType`.
    pub const SIGNING_REPOSITORY_FILTER_TYPE: &[&str] = &["WILDCARD_MATCH"];
    /// Values of `SigningStatus`.
    pub const SIGNING_STATUS: &[&str] = &["IN_PROGRESS", "COMPLETE", "FAILED"];
    /// Values of `TagStatus`.
    pub const TAG_STATUS: &[&str] = &["TAGGED", "UNTAGGED", "ANY"];
    /// Values of `TargetStorageClass`.
    pub const TARGET_STORAGE_CLASS: &[&str] = &["STANDARD", "ARCHIVE"];
    /// Values of `UpstreamRegistry`.
    pub const UPSTREAM_REGISTRY: &[&str] = &[
        "ecr",
        "ecr-public",
        "quay",
        "k8s",
        "docker-hub",
        "github-container-registry",
        "azure-container-registry",
        "gitlab-container-registry",
        "chainguard",
    ];
}

/// Wire shape `Attribute`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Attribute {
    #[serde(rename = "key", skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Wire shape `AuthorizationData`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuthorizationData {
    #[serde(rename = "authorizationToken", skip_serializing_if = "Option::is_none")]
    pub authorization_token: Option<String>,
    #[serde(rename = "expiresAt", skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<f64>,
    #[serde(rename = "proxyEndpoint", skip_serializing_if = "Option::is_none")]
    pub proxy_endpoint: Option<String>,
}

/// Wire shape `AwsEcrContainerImageDetails`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AwsEcrContainerImageDetails {
    #[serde(rename = "architecture", skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
    #[serde(rename = "author", skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(rename = "imageHash", skip_serializing_if = "Option::is_none")]
    pub image_hash: Option<String>,
    #[serde(rename = "imageTags", skip_serializing_if = "Option::is_none")]
    pub image_tags: Option<Vec<String>>,
    #[serde(rename = "platform", skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(rename = "pushedAt", skip_serializing_if = "Option::is_none")]
    pub pushed_at: Option<f64>,
    #[serde(rename = "lastInUseAt", skip_serializing_if = "Option::is_none")]
    pub last_in_use_at: Option<f64>,
    #[serde(rename = "inUseCount", skip_serializing_if = "Option::is_none")]
    pub in_use_count: Option<i64>,
    #[serde(rename = "registry", skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
}

/// Wire shape `BatchCheckLayerAvailabilityRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchCheckLayerAvailabilityRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "layerDigests", skip_serializing_if = "Option::is_none")]
    pub layer_digests: Option<Vec<String>>,
}

/// Wire shape `BatchCheckLayerAvailabilityResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchCheckLayerAvailabilityResponse {
    #[serde(rename = "layers", skip_serializing_if = "Option::is_none")]
    pub layers: Option<Vec<Layer>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<LayerFailure>>,
}

/// Wire shape `BatchDeleteImageRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchDeleteImageRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageIds", skip_serializing_if = "Option::is_none")]
    pub image_ids: Option<Vec<ImageIdentifier>>,
}

/// Wire shape `BatchDeleteImageResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchDeleteImageResponse {
    #[serde(rename = "imageIds", skip_serializing_if = "Option::is_none")]
    pub image_ids: Option<Vec<ImageIdentifier>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<ImageFailure>>,
}

/// Wire shape `BatchGetImageRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchGetImageRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageIds", skip_serializing_if = "Option::is_none")]
    pub image_ids: Option<Vec<ImageIdentifier>>,
    #[serde(rename = "acceptedMediaTypes", skip_serializing_if = "Option::is_none")]
    pub accepted_media_types: Option<Vec<String>>,
}

/// Wire shape `BatchGetImageResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchGetImageResponse {
    #[serde(rename = "images", skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<Image>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<ImageFailure>>,
}

/// Wire shape `BatchGetRepositoryScanningConfigurationRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchGetRepositoryScanningConfigurationRequest {
    #[serde(rename = "repositoryNames", skip_serializing_if = "Option::is_none")]
    pub repository_names: Option<Vec<String>>,
}

/// Wire shape `BatchGetRepositoryScanningConfigurationResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchGetRepositoryScanningConfigurationResponse {
    #[serde(
        rename = "scanningConfigurations",
        skip_serializing_if = "Option::is_none"
    )]
    pub scanning_configurations: Option<Vec<RepositoryScanningConfiguration>>,
    #[serde(rename = "failures", skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<RepositoryScanningConfigurationFailure>>,
}

/// Wire shape `CompleteLayerUploadRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompleteLayerUploadRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "uploadId", skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
    #[serde(rename = "layerDigests", skip_serializing_if = "Option::is_none")]
    pub layer_digests: Option<Vec<String>>,
}

/// Wire shape `CompleteLayerUploadResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompleteLayerUploadResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "uploadId", skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
    #[serde(rename = "layerDigest", skip_serializing_if = "Option::is_none")]
    pub layer_digest: Option<String>,
}

/// Wire shape `CreatePullThroughCacheRuleRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreatePullThroughCacheRuleRequest {
    #[serde(
        rename = "ecrRepositoryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub ecr_repository_prefix: Option<String>,
    #[serde(
        rename = "upstreamRegistryUrl",
        skip_serializing_if = "Option::is_none"
    )]
    pub upstream_registry_url: Option<String>,
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "upstreamRegistry", skip_serializing_if = "Option::is_none")]
    pub upstream_registry: Option<String>,
    #[serde(rename = "credentialArn", skip_serializing_if = "Option::is_none")]
    pub credential_arn: Option<String>,
    #[serde(rename = "customRoleArn", skip_serializing_if = "Option::is_none")]
    pub custom_role_arn: Option<String>,
    #[serde(
        rename = "upstreamRepositoryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub upstream_repository_prefix: Option<String>,
}

/// Wire shape `CreatePullThroughCacheRuleResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreatePullThroughCacheRuleResponse {
    #[serde(
        rename = "ecrRepositoryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub ecr_repository_prefix: Option<String>,
    #[serde(
        rename = "upstreamRegistryUrl",
        skip_serializing_if = "Option::is_none"
    )]
    pub upstream_registry_url: Option<String>,
    #[serde(rename = "createdAt", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "upstreamRegistry", skip_serializing_if = "Option::is_none")]
    pub upstream_registry: Option<String>,
    #[serde(rename = "credentialArn", skip_serializing_if = "Option::is_none")]
    pub credential_arn: Option<String>,
    #[serde(rename = "customRoleArn", skip_serializing_if = "Option::is_none")]
    pub custom_role_arn: Option<String>,
    #[serde(
        rename = "upstreamRepositoryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub upstream_repository_prefix: Option<String>,
}

/// Wire shape `CreateRepositoryCreationTemplateRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateRepositoryCreationTemplateRequest {
    #[serde(rename = "prefix", skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(rename = "description", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(
        rename = "encryptionConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub encryption_configuration: Option<EncryptionConfigurationForRepositoryCreationTemplate>,
    #[serde(rename = "resourceTags", skip_serializing_if = "Option::is_none")]
    pub resource_tags: Option<Vec<Tag>>,
    #[serde(rename = "imageTagMutability", skip_serializing_if = "Option::is_none")]
    pub image_tag_mutability: Option<String>,
    #[serde(
        rename = "imageTagMutabilityExclusionFilters",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_tag_mutability_exclusion_filters: Option<Vec<ImageTagMutabilityExclusionFilter>>,
    #[serde(rename = "repositoryPolicy", skip_serializing_if = "Option::is_none")]
    pub repository_policy: Option<String>,
    #[serde(rename = "lifecyclePolicy", skip_serializing_if = "Option::is_none")]
    pub lifecycle_policy: Option<String>,
    #[serde(rename = "appliedFor", skip_serializing_if = "Option::is_none")]
    pub applied_for: Option<Vec<String>>,
    #[serde(rename = "customRoleArn", skip_serializing_if = "Option::is_none")]
    pub custom_role_arn: Option<String>,
}

/// Wire shape `CreateRepositoryCreationTemplateResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateRepositoryCreationTemplateResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(
        rename = "repositoryCreationTemplate",
        skip_serializing_if = "Option::is_none"
    )]
    pub repository_creation_template: Option<RepositoryCreationTemplate>,
}

/// Wire shape `CreateRepositoryRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateRepositoryRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "imageTagMutability", skip_serializing_if = "Option::is_none")]
    pub image_tag_mutability: Option<String>,
    #[serde(
        rename = "imageTagMutabilityExclusionFilters",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_tag_mutability_exclusion_filters: Option<Vec<ImageTagMutabilityExclusionFilter>>,
    #[serde(
        rename = "imageScanningConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_scanning_configuration: Option<ImageScanningConfiguration>,
    #[serde(
        rename = "encryptionConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub encryption_configuration: Option<EncryptionConfiguration>,
}

/// Wire shape `CreateRepositoryResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateRepositoryResponse {
    #[serde(rename = "repository", skip_serializing_if = "Option::is_none")]
    pub repository: Option<Repository>,
}

/// Wire shape `CvssScore`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CvssScore {
    #[serde(rename = "baseScore", skip_serializing_if = "Option::is_none")]
    pub base_score: Option<f64>,
    #[serde(rename = "scoringVector", skip_serializing_if = "Option::is_none")]
    pub scoring_vector: Option<String>,
    #[serde(rename = "source", skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(rename = "version", skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// Wire shape `CvssScoreAdjustment`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CvssScoreAdjustment {
    #[serde(rename = "metric", skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    #[serde(rename = "reason", skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Wire shape `CvssScoreDetails`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CvssScoreDetails {
    #[serde(rename = "adjustments", skip_serializing_if = "Option::is_none")]
    pub adjustments: Option<Vec<CvssScoreAdjustment>>,
    #[serde(rename = "score", skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(rename = "scoreSource", skip_serializing_if = "Option::is_none")]
    pub score_source: Option<String>,
    #[serde(rename = "scoringVector", skip_serializing_if = "Option::is_none")]
    pub scoring_vector: Option<String>,
    #[serde(rename = "version", skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// Wire shape `DeleteLifecyclePolicyRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteLifecyclePolicyRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
}

/// Wire shape `DeleteLifecyclePolicyResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteLifecyclePolicyResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(
        rename = "lifecyclePolicyText",
        skip_serializing_if = "Option::is_none"
    )]
    pub lifecycle_policy_text: Option<String>,
    #[serde(rename = "lastEvaluatedAt", skip_serializing_if = "Option::is_none")]
    pub last_evaluated_at: Option<f64>,
}

/// Wire shape `DeletePullThroughCacheRuleRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeletePullThroughCacheRuleRequest {
    #[serde(
        rename = "ecrRepositoryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub ecr_repository_prefix: Option<String>,
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
}

/// Wire shape `DeletePullThroughCacheRuleResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeletePullThroughCacheRuleResponse {
    #[serde(
        rename = "ecrRepositoryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub ecr_repository_prefix: Option<String>,
    #[serde(
        rename = "upstreamRegistryUrl",
        skip_serializing_if = "Option::is_none"
    )]
    pub upstream_registry_url: Option<String>,
    #[serde(rename = "createdAt", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "credentialArn", skip_serializing_if = "Option::is_none")]
    pub credential_arn: Option<String>,
    #[serde(rename = "customRoleArn", skip_serializing_if = "Option::is_none")]
    pub custom_role_arn: Option<String>,
    #[serde(
        rename = "upstreamRepositoryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub upstream_repository_prefix: Option<String>,
}

/// Wire shape `DeleteRegistryPolicyRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteRegistryPolicyRequest {}

/// Wire shape `DeleteRegistryPolicyResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteRegistryPolicyResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "policyText", skip_serializing_if = "Option::is_none")]
    pub policy_text: Option<String>,
}

/// Wire shape `DeleteRepositoryCreationTemplateRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteRepositoryCreationTemplateRequest {
    #[serde(rename = "prefix", skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
}

/// Wire shape `DeleteRepositoryCreationTemplateResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteRepositoryCreationTemplateResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(
        rename = "repositoryCreationTemplate",
        skip_serializing_if = "Option::is_none"
    )]
    pub repository_creation_template: Option<RepositoryCreationTemplate>,
}

/// Wire shape `DeleteRepositoryPolicyRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteRepositoryPolicyRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
}

/// Wire shape `DeleteRepositoryPolicyResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteRepositoryPolicyResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "policyText", skip_serializing_if = "Option::is_none")]
    pub policy_text: Option<String>,
}

/// Wire shape `DeleteRepositoryRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteRepositoryRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "force", skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

/// Wire shape `DeleteRepositoryResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteRepositoryResponse {
    #[serde(rename = "repository", skip_serializing_if = "Option::is_none")]
    pub repository: Option<Repository>,
}

/// Wire shape `DeleteSigningConfigurationRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteSigningConfigurationRequest {}

/// Wire shape `DeleteSigningConfigurationResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteSigningConfigurationResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(
        rename = "signingConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub signing_configuration: Option<SigningConfiguration>,
}

/// Wire shape `DeregisterPullTimeUpdateExclusionRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeregisterPullTimeUpdateExclusionRequest {
    #[serde(rename = "principalArn", skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
}

/// Wire shape `DeregisterPullTimeUpdateExclusionResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeregisterPullTimeUpdateExclusionResponse {
    #[serde(rename = "principalArn", skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
}

/// Wire shape `DescribeImageReplicationStatusRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeImageReplicationStatusRequest {
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageId", skip_serializing_if = "Option::is_none")]
    pub image_id: Option<ImageIdentifier>,
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
}

/// Wire shape `DescribeImageReplicationStatusResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeImageReplicationStatusResponse {
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageId", skip_serializing_if = "Option::is_none")]
    pub image_id: Option<ImageIdentifier>,
    #[serde(
        rename = "replicationStatuses",
        skip_serializing_if = "Option::is_none"
    )]
    pub replication_statuses: Option<Vec<ImageReplicationStatus>>,
}

/// Wire shape `DescribeImageScanFindingsRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeImageScanFindingsRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageId", skip_serializing_if = "Option::is_none")]
    pub image_id: Option<ImageIdentifier>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

/// Wire shape `DescribeImageScanFindingsResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeImageScanFindingsResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageId", skip_serializing_if = "Option::is_none")]
    pub image_id: Option<ImageIdentifier>,
    #[serde(rename = "imageScanStatus", skip_serializing_if = "Option::is_none")]
    pub image_scan_status: Option<ImageScanStatus>,
    #[serde(rename = "imageScanFindings", skip_serializing_if = "Option::is_none")]
    pub image_scan_findings: Option<ImageScanFindings>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `DescribeImageSigningStatusRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeImageSigningStatusRequest {
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageId", skip_serializing_if = "Option::is_none")]
    pub image_id: Option<ImageIdentifier>,
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
}

/// Wire shape `DescribeImageSigningStatusResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeImageSigningStatusResponse {
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageId", skip_serializing_if = "Option::is_none")]
    pub image_id: Option<ImageIdentifier>,
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "signingStatuses", skip_serializing_if = "Option::is_none")]
    pub signing_statuses: Option<Vec<ImageSigningStatus>>,
}

/// Wire shape `DescribeImagesFilter`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeImagesFilter {
    #[serde(rename = "tagStatus", skip_serializing_if = "Option::is_none")]
    pub tag_status: Option<String>,
    #[serde(rename = "imageStatus", skip_serializing_if = "Option::is_none")]
    pub image_status: Option<String>,
}

/// Wire shape `DescribeImagesRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeImagesRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageIds", skip_serializing_if = "Option::is_none")]
    pub image_ids: Option<Vec<ImageIdentifier>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(rename = "filter", skip_serializing_if = "Option::is_none")]
    pub filter: Option<DescribeImagesFilter>,
}

/// Wire shape `DescribeImagesResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeImagesResponse {
    #[serde(rename = "imageDetails", skip_serializing_if = "Option::is_none")]
    pub image_details: Option<Vec<ImageDetail>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `DescribePullThroughCacheRulesRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribePullThroughCacheRulesRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(
        rename = "ecrRepositoryPrefixes",
        skip_serializing_if = "Option::is_none"
    )]
    pub ecr_repository_prefixes: Option<Vec<String>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

/// Wire shape `DescribePullThroughCacheRulesResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribePullThroughCacheRulesResponse {
    #[serde(
        rename = "pullThroughCacheRules",
        skip_serializing_if = "Option::is_none"
    )]
    pub pull_through_cache_rules: Option<Vec<PullThroughCacheRule>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `DescribeRegistryRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeRegistryRequest {}

/// Wire shape `DescribeRegistryResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeRegistryResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(
        rename = "replicationConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub replication_configuration: Option<ReplicationConfiguration>,
}

/// Wire shape `DescribeRepositoriesRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeRepositoriesRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryNames", skip_serializing_if = "Option::is_none")]
    pub repository_names: Option<Vec<String>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

/// Wire shape `DescribeRepositoriesResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeRepositoriesResponse {
    #[serde(rename = "repositories", skip_serializing_if = "Option::is_none")]
    pub repositories: Option<Vec<Repository>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `DescribeRepositoryCreationTemplatesRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeRepositoryCreationTemplatesRequest {
    #[serde(rename = "prefixes", skip_serializing_if = "Option::is_none")]
    pub prefixes: Option<Vec<String>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

/// Wire shape `DescribeRepositoryCreationTemplatesResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeRepositoryCreationTemplatesResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(
        rename = "repositoryCreationTemplates",
        skip_serializing_if = "Option::is_none"
    )]
    pub repository_creation_templates: Option<Vec<RepositoryCreationTemplate>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `EncryptionConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EncryptionConfiguration {
    #[serde(rename = "encryptionType", skip_serializing_if = "Option::is_none")]
    pub encryption_type: Option<String>,
    #[serde(rename = "kmsKey", skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<String>,
}

/// Wire shape `EncryptionConfigurationForRepositoryCreationTemplate`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EncryptionConfigurationForRepositoryCreationTemplate {
    #[serde(rename = "encryptionType", skip_serializing_if = "Option::is_none")]
    pub encryption_type: Option<String>,
    #[serde(rename = "kmsKey", skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<String>,
}

/// Wire shape `EnhancedImageScanFinding`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EnhancedImageScanFinding {
    #[serde(rename = "awsAccountId", skip_serializing_if = "Option::is_none")]
    pub aws_account_id: Option<String>,
    #[serde(rename = "description", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "findingArn", skip_serializing_if = "Option::is_none")]
    pub finding_arn: Option<String>,
    #[serde(rename = "firstObservedAt", skip_serializing_if = "Option::is_none")]
    pub first_observed_at: Option<f64>,
    #[serde(rename = "lastObservedAt", skip_serializing_if = "Option::is_none")]
    pub last_observed_at: Option<f64>,
    #[serde(
        rename = "packageVulnerabilityDetails",
        skip_serializing_if = "Option::is_none"
    )]
    pub package_vulnerability_details: Option<PackageVulnerabilityDetails>,
    #[serde(rename = "remediation", skip_serializing_if = "Option::is_none")]
    pub remediation: Option<Remediation>,
    #[serde(rename = "resources", skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<Resource>>,
    #[serde(rename = "score", skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(rename = "scoreDetails", skip_serializing_if = "Option::is_none")]
    pub score_details: Option<ScoreDetails>,
    #[serde(rename = "severity", skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "title", skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
    #[serde(rename = "fixAvailable", skip_serializing_if = "Option::is_none")]
    pub fix_available: Option<String>,
    #[serde(rename = "exploitAvailable", skip_serializing_if = "Option::is_none")]
    pub exploit_available: Option<String>,
}

/// Wire shape `GetAccountSettingRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetAccountSettingRequest {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Wire shape `GetAccountSettingResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetAccountSettingResponse {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Wire shape `GetAuthorizationTokenRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetAuthorizationTokenRequest {
    #[serde(rename = "registryIds", skip_serializing_if = "Option::is_none")]
    pub registry_ids: Option<Vec<String>>,
}

/// Wire shape `GetAuthorizationTokenResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetAuthorizationTokenResponse {
    #[serde(rename = "authorizationData", skip_serializing_if = "Option::is_none")]
    pub authorization_data: Option<Vec<AuthorizationData>>,
}

/// Wire shape `GetDownloadUrlForLayerRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetDownloadUrlForLayerRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "layerDigest", skip_serializing_if = "Option::is_none")]
    pub layer_digest: Option<String>,
}

/// Wire shape `GetDownloadUrlForLayerResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetDownloadUrlForLayerResponse {
    #[serde(rename = "downloadUrl", skip_serializing_if = "Option::is_none")]
    pub download_url: Option<String>,
    #[serde(rename = "layerDigest", skip_serializing_if = "Option::is_none")]
    pub layer_digest: Option<String>,
}

/// Wire shape `GetLifecyclePolicyPreviewRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetLifecyclePolicyPreviewRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageIds", skip_serializing_if = "Option::is_none")]
    pub image_ids: Option<Vec<ImageIdentifier>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(rename = "filter", skip_serializing_if = "Option::is_none")]
    pub filter: Option<LifecyclePolicyPreviewFilter>,
}

/// Wire shape `GetLifecyclePolicyPreviewResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetLifecyclePolicyPreviewResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(
        rename = "lifecyclePolicyText",
        skip_serializing_if = "Option::is_none"
    )]
    pub lifecycle_policy_text: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "previewResults", skip_serializing_if = "Option::is_none")]
    pub preview_results: Option<Vec<LifecyclePolicyPreviewResult>>,
    #[serde(rename = "summary", skip_serializing_if = "Option::is_none")]
    pub summary: Option<LifecyclePolicyPreviewSummary>,
}

/// Wire shape `GetLifecyclePolicyRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetLifecyclePolicyRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
}

/// Wire shape `GetLifecyclePolicyResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetLifecyclePolicyResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(
        rename = "lifecyclePolicyText",
        skip_serializing_if = "Option::is_none"
    )]
    pub lifecycle_policy_text: Option<String>,
    #[serde(rename = "lastEvaluatedAt", skip_serializing_if = "Option::is_none")]
    pub last_evaluated_at: Option<f64>,
}

/// Wire shape `GetRegistryPolicyRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetRegistryPolicyRequest {}

/// Wire shape `GetRegistryPolicyResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetRegistryPolicyResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "policyText", skip_serializing_if = "Option::is_none")]
    pub policy_text: Option<String>,
}

/// Wire shape `GetRegistryScanningConfigurationRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetRegistryScanningConfigurationRequest {}

/// Wire shape `GetRegistryScanningConfigurationResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetRegistryScanningConfigurationResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(
        rename = "scanningConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub scanning_configuration: Option<RegistryScanningConfiguration>,
}

/// Wire shape `GetRepositoryPolicyRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetRepositoryPolicyRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
}

/// Wire shape `GetRepositoryPolicyResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetRepositoryPolicyResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "policyText", skip_serializing_if = "Option::is_none")]
    pub policy_text: Option<String>,
}

/// Wire shape `GetSigningConfigurationRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetSigningConfigurationRequest {}

/// Wire shape `GetSigningConfigurationResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetSigningConfigurationResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(
        rename = "signingConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub signing_configuration: Option<SigningConfiguration>,
}

/// Wire shape `Image`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Image {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageId", skip_serializing_if = "Option::is_none")]
    pub image_id: Option<ImageIdentifier>,
    #[serde(rename = "imageManifest", skip_serializing_if = "Option::is_none")]
    pub image_manifest: Option<String>,
    #[serde(
        rename = "imageManifestMediaType",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_manifest_media_type: Option<String>,
}

/// Wire shape `ImageDetail`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageDetail {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageDigest", skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
    #[serde(rename = "imageTags", skip_serializing_if = "Option::is_none")]
    pub image_tags: Option<Vec<String>>,
    #[serde(rename = "imageSizeInBytes", skip_serializing_if = "Option::is_none")]
    pub image_size_in_bytes: Option<i64>,
    #[serde(rename = "imagePushedAt", skip_serializing_if = "Option::is_none")]
    pub image_pushed_at: Option<f64>,
    #[serde(rename = "imageScanStatus", skip_serializing_if = "Option::is_none")]
    pub image_scan_status: Option<ImageScanStatus>,
    #[serde(
        rename = "imageScanFindingsSummary",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_scan_findings_summary: Option<ImageScanFindingsSummary>,
    #[serde(
        rename = "imageManifestMediaType",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_manifest_media_type: Option<String>,
    #[serde(rename = "artifactMediaType", skip_serializing_if = "Option::is_none")]
    pub artifact_media_type: Option<String>,
    #[serde(
        rename = "lastRecordedPullTime",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_recorded_pull_time: Option<f64>,
    #[serde(
        rename = "subjectManifestDigest",
        skip_serializing_if = "Option::is_none"
    )]
    pub subject_manifest_digest: Option<String>,
    #[serde(rename = "imageStatus", skip_serializing_if = "Option::is_none")]
    pub image_status: Option<String>,
    #[serde(rename = "lastArchivedAt", skip_serializing_if = "Option::is_none")]
    pub last_archived_at: Option<f64>,
    #[serde(rename = "lastActivatedAt", skip_serializing_if = "Option::is_none")]
    pub last_activated_at: Option<f64>,
}

/// Wire shape `ImageFailure`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageFailure {
    #[serde(rename = "imageId", skip_serializing_if = "Option::is_none")]
    pub image_id: Option<ImageIdentifier>,
    #[serde(rename = "failureCode", skip_serializing_if = "Option::is_none")]
    pub failure_code: Option<String>,
    #[serde(rename = "failureReason", skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
}

/// Wire shape `ImageIdentifier`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageIdentifier {
    #[serde(rename = "imageDigest", skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
    #[serde(rename = "imageTag", skip_serializing_if = "Option::is_none")]
    pub image_tag: Option<String>,
}

/// Wire shape `ImageReferrer`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageReferrer {
    #[serde(rename = "digest", skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    #[serde(rename = "mediaType", skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(rename = "artifactType", skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    #[serde(rename = "size", skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    #[serde(rename = "annotations", skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
    #[serde(rename = "artifactStatus", skip_serializing_if = "Option::is_none")]
    pub artifact_status: Option<String>,
}

/// Wire shape `ImageReplicationStatus`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageReplicationStatus {
    #[serde(rename = "region", skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "failureCode", skip_serializing_if = "Option::is_none")]
    pub failure_code: Option<String>,
}

/// Wire shape `ImageScanFinding`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageScanFinding {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "description", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "uri", skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(rename = "severity", skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(rename = "attributes", skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
}

/// Wire shape `ImageScanFindings`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageScanFindings {
    #[serde(
        rename = "imageScanCompletedAt",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_scan_completed_at: Option<f64>,
    #[serde(
        rename = "vulnerabilitySourceUpdatedAt",
        skip_serializing_if = "Option::is_none"
    )]
    pub vulnerability_source_updated_at: Option<f64>,
    #[serde(
        rename = "findingSeverityCounts",
        skip_serializing_if = "Option::is_none"
    )]
    pub finding_severity_counts: Option<BTreeMap<String, i32>>,
    #[serde(rename = "findings", skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<ImageScanFinding>>,
    #[serde(rename = "enhancedFindings", skip_serializing_if = "Option::is_none")]
    pub enhanced_findings: Option<Vec<EnhancedImageScanFinding>>,
}

/// Wire shape `ImageScanFindingsSummary`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageScanFindingsSummary {
    #[serde(
        rename = "imageScanCompletedAt",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_scan_completed_at: Option<f64>,
    #[serde(
        rename = "vulnerabilitySourceUpdatedAt",
        skip_serializing_if = "Option::is_none"
    )]
    pub vulnerability_source_updated_at: Option<f64>,
    #[serde(
        rename = "findingSeverityCounts",
        skip_serializing_if = "Option::is_none"
    )]
    pub finding_severity_counts: Option<BTreeMap<String, i32>>,
}

/// Wire shape `ImageScanStatus`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageScanStatus {
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "description", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Wire shape `ImageScanningConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageScanningConfiguration {
    #[serde(rename = "scanOnPush", skip_serializing_if = "Option::is_none")]
    pub scan_on_push: Option<bool>,
}

/// Wire shape `ImageSigningStatus`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageSigningStatus {
    #[serde(rename = "signingProfileArn", skip_serializing_if = "Option::is_none")]
    pub signing_profile_arn: Option<String>,
    #[serde(rename = "failureCode", skip_serializing_if = "Option::is_none")]
    pub failure_code: Option<String>,
    #[serde(rename = "failureReason", skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// Wire shape `ImageTagMutabilityExclusionFilter`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageTagMutabilityExclusionFilter {
    #[serde(rename = "filterType", skip_serializing_if = "Option::is_none")]
    pub filter_type: Option<String>,
    #[serde(rename = "filter", skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
}

/// Wire shape `InitiateLayerUploadRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InitiateLayerUploadRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
}

/// Wire shape `InitiateLayerUploadResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InitiateLayerUploadResponse {
    #[serde(rename = "uploadId", skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
    #[serde(rename = "partSize", skip_serializing_if = "Option::is_none")]
    pub part_size: Option<i64>,
}

/// Wire shape `Layer`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Layer {
    #[serde(rename = "layerDigest", skip_serializing_if = "Option::is_none")]
    pub layer_digest: Option<String>,
    #[serde(rename = "layerAvailability", skip_serializing_if = "Option::is_none")]
    pub layer_availability: Option<String>,
    #[serde(rename = "layerSize", skip_serializing_if = "Option::is_none")]
    pub layer_size: Option<i64>,
    #[serde(rename = "mediaType", skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

/// Wire shape `LayerFailure`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LayerFailure {
    #[serde(rename = "layerDigest", skip_serializing_if = "Option::is_none")]
    pub layer_digest: Option<String>,
    #[serde(rename = "failureCode", skip_serializing_if = "Option::is_none")]
    pub failure_code: Option<String>,
    #[serde(rename = "failureReason", skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
}

/// Wire shape `LifecyclePolicyPreviewFilter`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LifecyclePolicyPreviewFilter {
    #[serde(rename = "tagStatus", skip_serializing_if = "Option::is_none")]
    pub tag_status: Option<String>,
}

/// Wire shape `LifecyclePolicyPreviewResult`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LifecyclePolicyPreviewResult {
    #[serde(rename = "imageTags", skip_serializing_if = "Option::is_none")]
    pub image_tags: Option<Vec<String>>,
    #[serde(rename = "imageDigest", skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
    #[serde(rename = "imagePushedAt", skip_serializing_if = "Option::is_none")]
    pub image_pushed_at: Option<f64>,
    #[serde(rename = "action", skip_serializing_if = "Option::is_none")]
    pub action: Option<LifecyclePolicyRuleAction>,
    #[serde(
        rename = "appliedRulePriority",
        skip_serializing_if = "Option::is_none"
    )]
    pub applied_rule_priority: Option<i32>,
    #[serde(rename = "storageClass", skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<String>,
}

/// Wire shape `LifecyclePolicyPreviewSummary`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LifecyclePolicyPreviewSummary {
    #[serde(
        rename = "expiringImageTotalCount",
        skip_serializing_if = "Option::is_none"
    )]
    pub expiring_image_total_count: Option<i32>,
    #[serde(
        rename = "transitioningImageTotalCounts",
        skip_serializing_if = "Option::is_none"
    )]
    pub transitioning_image_total_counts: Option<Vec<TransitioningImageTotalCount>>,
}

/// Wire shape `LifecyclePolicyRuleAction`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LifecyclePolicyRuleAction {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(rename = "targetStorageClass", skip_serializing_if = "Option::is_none")]
    pub target_storage_class: Option<String>,
}

/// Wire shape `ListImageReferrersFilter`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListImageReferrersFilter {
    #[serde(rename = "artifactTypes", skip_serializing_if = "Option::is_none")]
    pub artifact_types: Option<Vec<String>>,
    #[serde(rename = "artifactStatus", skip_serializing_if = "Option::is_none")]
    pub artifact_status: Option<String>,
}

/// Wire shape `ListImageReferrersRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListImageReferrersRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "subjectId", skip_serializing_if = "Option::is_none")]
    pub subject_id: Option<SubjectIdentifier>,
    #[serde(rename = "filter", skip_serializing_if = "Option::is_none")]
    pub filter: Option<ListImageReferrersFilter>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

/// Wire shape `ListImageReferrersResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListImageReferrersResponse {
    #[serde(rename = "referrers", skip_serializing_if = "Option::is_none")]
    pub referrers: Option<Vec<ImageReferrer>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `ListImagesFilter`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListImagesFilter {
    #[serde(rename = "tagStatus", skip_serializing_if = "Option::is_none")]
    pub tag_status: Option<String>,
    #[serde(rename = "imageStatus", skip_serializing_if = "Option::is_none")]
    pub image_status: Option<String>,
}

/// Wire shape `ListImagesRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListImagesRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(rename = "filter", skip_serializing_if = "Option::is_none")]
    pub filter: Option<ListImagesFilter>,
}

/// Wire shape `ListImagesResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListImagesResponse {
    #[serde(rename = "imageIds", skip_serializing_if = "Option::is_none")]
    pub image_ids: Option<Vec<ImageIdentifier>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `ListPullTimeUpdateExclusionsRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListPullTimeUpdateExclusionsRequest {
    #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `ListPullTimeUpdateExclusionsResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListPullTimeUpdateExclusionsResponse {
    #[serde(
        rename = "pullTimeUpdateExclusions",
        skip_serializing_if = "Option::is_none"
    )]
    pub pull_time_update_exclusions: Option<Vec<String>>,
    #[serde(rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Wire shape `ListTagsForResourceRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListTagsForResourceRequest {
    #[serde(rename = "resourceArn", skip_serializing_if = "Option::is_none")]
    pub resource_arn: Option<String>,
}

/// Wire shape `ListTagsForResourceResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListTagsForResourceResponse {
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// Wire shape `PackageVulnerabilityDetails`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PackageVulnerabilityDetails {
    #[serde(rename = "cvss", skip_serializing_if = "Option::is_none")]
    pub cvss: Option<Vec<CvssScore>>,
    #[serde(rename = "referenceUrls", skip_serializing_if = "Option::is_none")]
    pub reference_urls: Option<Vec<String>>,
    #[serde(
        rename = "relatedVulnerabilities",
        skip_serializing_if = "Option::is_none"
    )]
    pub related_vulnerabilities: Option<Vec<String>>,
    #[serde(rename = "source", skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(rename = "sourceUrl", skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    #[serde(rename = "vendorCreatedAt", skip_serializing_if = "Option::is_none")]
    pub vendor_created_at: Option<f64>,
    #[serde(rename = "vendorSeverity", skip_serializing_if = "Option::is_none")]
    pub vendor_severity: Option<String>,
    #[serde(rename = "vendorUpdatedAt", skip_serializing_if = "Option::is_none")]
    pub vendor_updated_at: Option<f64>,
    #[serde(rename = "vulnerabilityId", skip_serializing_if = "Option::is_none")]
    pub vulnerability_id: Option<String>,
    #[serde(rename = "vulnerablePackages", skip_serializing_if = "Option::is_none")]
    pub vulnerable_packages: Option<Vec<VulnerablePackage>>,
}

/// Wire shape `PullThroughCacheRule`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PullThroughCacheRule {
    #[serde(
        rename = "ecrRepositoryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub ecr_repository_prefix: Option<String>,
    #[serde(
        rename = "upstreamRegistryUrl",
        skip_serializing_if = "Option::is_none"
    )]
    pub upstream_registry_url: Option<String>,
    #[serde(rename = "createdAt", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "credentialArn", skip_serializing_if = "Option::is_none")]
    pub credential_arn: Option<String>,
    #[serde(rename = "customRoleArn", skip_serializing_if = "Option::is_none")]
    pub custom_role_arn: Option<String>,
    #[serde(
        rename = "upstreamRepositoryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub upstream_repository_prefix: Option<String>,
    #[serde(rename = "upstreamRegistry", skip_serializing_if = "Option::is_none")]
    pub upstream_registry: Option<String>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
}

/// Wire shape `PutAccountSettingRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutAccountSettingRequest {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Wire shape `PutAccountSettingResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutAccountSettingResponse {
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Wire shape `PutImageRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutImageRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageManifest", skip_serializing_if = "Option::is_none")]
    pub image_manifest: Option<String>,
    #[serde(
        rename = "imageManifestMediaType",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_manifest_media_type: Option<String>,
    #[serde(rename = "imageTag", skip_serializing_if = "Option::is_none")]
    pub image_tag: Option<String>,
    #[serde(rename = "imageDigest", skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
}

/// Wire shape `PutImageResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutImageResponse {
    #[serde(rename = "image", skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
}

/// Wire shape `PutImageScanningConfigurationRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutImageScanningConfigurationRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(
        rename = "imageScanningConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_scanning_configuration: Option<ImageScanningConfiguration>,
}

/// Wire shape `PutImageScanningConfigurationResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutImageScanningConfigurationResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(
        rename = "imageScanningConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_scanning_configuration: Option<ImageScanningConfiguration>,
}

/// Wire shape `PutImageTagMutabilityRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutImageTagMutabilityRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageTagMutability", skip_serializing_if = "Option::is_none")]
    pub image_tag_mutability: Option<String>,
    #[serde(
        rename = "imageTagMutabilityExclusionFilters",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_tag_mutability_exclusion_filters: Option<Vec<ImageTagMutabilityExclusionFilter>>,
}

/// Wire shape `PutImageTagMutabilityResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutImageTagMutabilityResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageTagMutability", skip_serializing_if = "Option::is_none")]
    pub image_tag_mutability: Option<String>,
    #[serde(
        rename = "imageTagMutabilityExclusionFilters",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_tag_mutability_exclusion_filters: Option<Vec<ImageTagMutabilityExclusionFilter>>,
}

/// Wire shape `PutLifecyclePolicyRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutLifecyclePolicyRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(
        rename = "lifecyclePolicyText",
        skip_serializing_if = "Option::is_none"
    )]
    pub lifecycle_policy_text: Option<String>,
}

/// Wire shape `PutLifecyclePolicyResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutLifecyclePolicyResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(
        rename = "lifecyclePolicyText",
        skip_serializing_if = "Option::is_none"
    )]
    pub lifecycle_policy_text: Option<String>,
}

/// Wire shape `PutRegistryPolicyRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutRegistryPolicyRequest {
    #[serde(rename = "policyText", skip_serializing_if = "Option::is_none")]
    pub policy_text: Option<String>,
}

/// Wire shape `PutRegistryPolicyResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutRegistryPolicyResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "policyText", skip_serializing_if = "Option::is_none")]
    pub policy_text: Option<String>,
}

/// Wire shape `PutRegistryScanningConfigurationRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutRegistryScanningConfigurationRequest {
    #[serde(rename = "scanType", skip_serializing_if = "Option::is_none")]
    pub scan_type: Option<String>,
    #[serde(rename = "rules", skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<RegistryScanningRule>>,
}

/// Wire shape `PutRegistryScanningConfigurationResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutRegistryScanningConfigurationResponse {
    #[serde(
        rename = "registryScanningConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub registry_scanning_configuration: Option<RegistryScanningConfiguration>,
}

/// Wire shape `PutReplicationConfigurationRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutReplicationConfigurationRequest {
    #[serde(
        rename = "replicationConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub replication_configuration: Option<ReplicationConfiguration>,
}

/// Wire shape `PutReplicationConfigurationResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutReplicationConfigurationResponse {
    #[serde(
        rename = "replicationConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub replication_configuration: Option<ReplicationConfiguration>,
}

/// Wire shape `PutSigningConfigurationRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutSigningConfigurationRequest {
    #[serde(
        rename = "signingConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub signing_configuration: Option<SigningConfiguration>,
}

/// Wire shape `PutSigningConfigurationResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PutSigningConfigurationResponse {
    #[serde(
        rename = "signingConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub signing_configuration: Option<SigningConfiguration>,
}

/// Wire shape `Recommendation`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Recommendation {
    #[serde(rename = "url", skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(rename = "text", skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Wire shape `RegisterPullTimeUpdateExclusionRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterPullTimeUpdateExclusionRequest {
    #[serde(rename = "principalArn", skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
}

/// Wire shape `RegisterPullTimeUpdateExclusionResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterPullTimeUpdateExclusionResponse {
    #[serde(rename = "principalArn", skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
    #[serde(rename = "createdAt", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
}

/// Wire shape `RegistryScanningConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistryScanningConfiguration {
    #[serde(rename = "scanType", skip_serializing_if = "Option::is_none")]
    pub scan_type: Option<String>,
    #[serde(rename = "rules", skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<RegistryScanningRule>>,
}

/// Wire shape `RegistryScanningRule`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistryScanningRule {
    #[serde(rename = "scanFrequency", skip_serializing_if = "Option::is_none")]
    pub scan_frequency: Option<String>,
    #[serde(rename = "repositoryFilters", skip_serializing_if = "Option::is_none")]
    pub repository_filters: Option<Vec<ScanningRepositoryFilter>>,
}

/// Wire shape `Remediation`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Remediation {
    #[serde(rename = "recommendation", skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<Recommendation>,
}

/// Wire shape `ReplicationConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplicationConfiguration {
    #[serde(rename = "rules", skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<ReplicationRule>>,
}

/// Wire shape `ReplicationDestination`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplicationDestination {
    #[serde(rename = "region", skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
}

/// Wire shape `ReplicationRule`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplicationRule {
    #[serde(rename = "destinations", skip_serializing_if = "Option::is_none")]
    pub destinations: Option<Vec<ReplicationDestination>>,
    #[serde(rename = "repositoryFilters", skip_serializing_if = "Option::is_none")]
    pub repository_filters: Option<Vec<RepositoryFilter>>,
}

/// Wire shape `Repository`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Repository {
    #[serde(rename = "repositoryArn", skip_serializing_if = "Option::is_none")]
    pub repository_arn: Option<String>,
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "repositoryUri", skip_serializing_if = "Option::is_none")]
    pub repository_uri: Option<String>,
    #[serde(rename = "createdAt", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "imageTagMutability", skip_serializing_if = "Option::is_none")]
    pub image_tag_mutability: Option<String>,
    #[serde(
        rename = "imageTagMutabilityExclusionFilters",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_tag_mutability_exclusion_filters: Option<Vec<ImageTagMutabilityExclusionFilter>>,
    #[serde(
        rename = "imageScanningConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_scanning_configuration: Option<ImageScanningConfiguration>,
    #[serde(
        rename = "encryptionConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub encryption_configuration: Option<EncryptionConfiguration>,
}

/// Wire shape `RepositoryCreationTemplate`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RepositoryCreationTemplate {
    #[serde(rename = "prefix", skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(rename = "description", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(
        rename = "encryptionConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub encryption_configuration: Option<EncryptionConfigurationForRepositoryCreationTemplate>,
    #[serde(rename = "resourceTags", skip_serializing_if = "Option::is_none")]
    pub resource_tags: Option<Vec<Tag>>,
    #[serde(rename = "imageTagMutability", skip_serializing_if = "Option::is_none")]
    pub image_tag_mutability: Option<String>,
    #[serde(
        rename = "imageTagMutabilityExclusionFilters",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_tag_mutability_exclusion_filters: Option<Vec<ImageTagMutabilityExclusionFilter>>,
    #[serde(rename = "repositoryPolicy", skip_serializing_if = "Option::is_none")]
    pub repository_policy: Option<String>,
    #[serde(rename = "lifecyclePolicy", skip_serializing_if = "Option::is_none")]
    pub lifecycle_policy: Option<String>,
    #[serde(rename = "appliedFor", skip_serializing_if = "Option::is_none")]
    pub applied_for: Option<Vec<String>>,
    #[serde(rename = "customRoleArn", skip_serializing_if = "Option::is_none")]
    pub custom_role_arn: Option<String>,
    #[serde(rename = "createdAt", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
}

/// Wire shape `RepositoryFilter`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RepositoryFilter {
    #[serde(rename = "filter", skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    #[serde(rename = "filterType", skip_serializing_if = "Option::is_none")]
    pub filter_type: Option<String>,
}

/// Wire shape `RepositoryScanningConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RepositoryScanningConfiguration {
    #[serde(rename = "repositoryArn", skip_serializing_if = "Option::is_none")]
    pub repository_arn: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "scanOnPush", skip_serializing_if = "Option::is_none")]
    pub scan_on_push: Option<bool>,
    #[serde(rename = "scanFrequency", skip_serializing_if = "Option::is_none")]
    pub scan_frequency: Option<String>,
    #[serde(rename = "appliedScanFilters", skip_serializing_if = "Option::is_none")]
    pub applied_scan_filters: Option<Vec<ScanningRepositoryFilter>>,
}

/// Wire shape `RepositoryScanningConfigurationFailure`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RepositoryScanningConfigurationFailure {
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "failureCode", skip_serializing_if = "Option::is_none")]
    pub failure_code: Option<String>,
    #[serde(rename = "failureReason", skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
}

/// Wire shape `Resource`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Resource {
    #[serde(rename = "details", skip_serializing_if = "Option::is_none")]
    pub details: Option<ResourceDetails>,
    #[serde(rename = "id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
}

/// Wire shape `ResourceDetails`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResourceDetails {
    #[serde(
        rename = "awsEcrContainerImage",
        skip_serializing_if = "Option::is_none"
    )]
    pub aws_ecr_container_image: Option<AwsEcrContainerImageDetails>,
}

/// Wire shape `ScanningRepositoryFilter`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScanningRepositoryFilter {
    #[serde(rename = "filter", skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    #[serde(rename = "filterType", skip_serializing_if = "Option::is_none")]
    pub filter_type: Option<String>,
}

/// Wire shape `ScoreDetails`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScoreDetails {
    #[serde(rename = "cvss", skip_serializing_if = "Option::is_none")]
    pub cvss: Option<CvssScoreDetails>,
}

/// Wire shape `SetRepositoryPolicyRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SetRepositoryPolicyRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "policyText", skip_serializing_if = "Option::is_none")]
    pub policy_text: Option<String>,
    #[serde(rename = "force", skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

/// Wire shape `SetRepositoryPolicyResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SetRepositoryPolicyResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "policyText", skip_serializing_if = "Option::is_none")]
    pub policy_text: Option<String>,
}

/// Wire shape `SigningConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SigningConfiguration {
    #[serde(rename = "rules", skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<SigningRule>>,
}

/// Wire shape `SigningRepositoryFilter`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SigningRepositoryFilter {
    #[serde(rename = "filter", skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    #[serde(rename = "filterType", skip_serializing_if = "Option::is_none")]
    pub filter_type: Option<String>,
}

/// Wire shape `SigningRule`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SigningRule {
    #[serde(rename = "signingProfileArn", skip_serializing_if = "Option::is_none")]
    pub signing_profile_arn: Option<String>,
    #[serde(rename = "repositoryFilters", skip_serializing_if = "Option::is_none")]
    pub repository_filters: Option<Vec<SigningRepositoryFilter>>,
}

/// Wire shape `StartImageScanRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StartImageScanRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageId", skip_serializing_if = "Option::is_none")]
    pub image_id: Option<ImageIdentifier>,
}

/// Wire shape `StartImageScanResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StartImageScanResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageId", skip_serializing_if = "Option::is_none")]
    pub image_id: Option<ImageIdentifier>,
    #[serde(rename = "imageScanStatus", skip_serializing_if = "Option::is_none")]
    pub image_scan_status: Option<ImageScanStatus>,
}

/// Wire shape `StartLifecyclePolicyPreviewRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StartLifecyclePolicyPreviewRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(
        rename = "lifecyclePolicyText",
        skip_serializing_if = "Option::is_none"
    )]
    pub lifecycle_policy_text: Option<String>,
}

/// Wire shape `StartLifecyclePolicyPreviewResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StartLifecyclePolicyPreviewResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(
        rename = "lifecyclePolicyText",
        skip_serializing_if = "Option::is_none"
    )]
    pub lifecycle_policy_text: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// Wire shape `SubjectIdentifier`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubjectIdentifier {
    #[serde(rename = "imageDigest", skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
}

/// Wire shape `Tag`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tag {
    #[serde(rename = "Key", skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(rename = "Value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Wire shape `TagResourceRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TagResourceRequest {
    #[serde(rename = "resourceArn", skip_serializing_if = "Option::is_none")]
    pub resource_arn: Option<String>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// Wire shape `TagResourceResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TagResourceResponse {}

/// Wire shape `TransitioningImageTotalCount`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TransitioningImageTotalCount {
    #[serde(rename = "targetStorageClass", skip_serializing_if = "Option::is_none")]
    pub target_storage_class: Option<String>,
    #[serde(rename = "imageTotalCount", skip_serializing_if = "Option::is_none")]
    pub image_total_count: Option<i32>,
}

/// Wire shape `UntagResourceRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UntagResourceRequest {
    #[serde(rename = "resourceArn", skip_serializing_if = "Option::is_none")]
    pub resource_arn: Option<String>,
    #[serde(rename = "tagKeys", skip_serializing_if = "Option::is_none")]
    pub tag_keys: Option<Vec<String>>,
}

/// Wire shape `UntagResourceResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UntagResourceResponse {}

/// Wire shape `UpdateImageStorageClassRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateImageStorageClassRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageId", skip_serializing_if = "Option::is_none")]
    pub image_id: Option<ImageIdentifier>,
    #[serde(rename = "targetStorageClass", skip_serializing_if = "Option::is_none")]
    pub target_storage_class: Option<String>,
}

/// Wire shape `UpdateImageStorageClassResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateImageStorageClassResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "imageId", skip_serializing_if = "Option::is_none")]
    pub image_id: Option<ImageIdentifier>,
    #[serde(rename = "imageStatus", skip_serializing_if = "Option::is_none")]
    pub image_status: Option<String>,
}

/// Wire shape `UpdatePullThroughCacheRuleRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdatePullThroughCacheRuleRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(
        rename = "ecrRepositoryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub ecr_repository_prefix: Option<String>,
    #[serde(rename = "credentialArn", skip_serializing_if = "Option::is_none")]
    pub credential_arn: Option<String>,
    #[serde(rename = "customRoleArn", skip_serializing_if = "Option::is_none")]
    pub custom_role_arn: Option<String>,
}

/// Wire shape `UpdatePullThroughCacheRuleResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdatePullThroughCacheRuleResponse {
    #[serde(
        rename = "ecrRepositoryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub ecr_repository_prefix: Option<String>,
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "updatedAt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<f64>,
    #[serde(rename = "credentialArn", skip_serializing_if = "Option::is_none")]
    pub credential_arn: Option<String>,
    #[serde(rename = "customRoleArn", skip_serializing_if = "Option::is_none")]
    pub custom_role_arn: Option<String>,
    #[serde(
        rename = "upstreamRepositoryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub upstream_repository_prefix: Option<String>,
}

/// Wire shape `UpdateRepositoryCreationTemplateRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateRepositoryCreationTemplateRequest {
    #[serde(rename = "prefix", skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(rename = "description", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(
        rename = "encryptionConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub encryption_configuration: Option<EncryptionConfigurationForRepositoryCreationTemplate>,
    #[serde(rename = "resourceTags", skip_serializing_if = "Option::is_none")]
    pub resource_tags: Option<Vec<Tag>>,
    #[serde(rename = "imageTagMutability", skip_serializing_if = "Option::is_none")]
    pub image_tag_mutability: Option<String>,
    #[serde(
        rename = "imageTagMutabilityExclusionFilters",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_tag_mutability_exclusion_filters: Option<Vec<ImageTagMutabilityExclusionFilter>>,
    #[serde(rename = "repositoryPolicy", skip_serializing_if = "Option::is_none")]
    pub repository_policy: Option<String>,
    #[serde(rename = "lifecyclePolicy", skip_serializing_if = "Option::is_none")]
    pub lifecycle_policy: Option<String>,
    #[serde(rename = "appliedFor", skip_serializing_if = "Option::is_none")]
    pub applied_for: Option<Vec<String>>,
    #[serde(rename = "customRoleArn", skip_serializing_if = "Option::is_none")]
    pub custom_role_arn: Option<String>,
}

/// Wire shape `UpdateRepositoryCreationTemplateResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateRepositoryCreationTemplateResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(
        rename = "repositoryCreationTemplate",
        skip_serializing_if = "Option::is_none"
    )]
    pub repository_creation_template: Option<RepositoryCreationTemplate>,
}

/// Wire shape `UploadLayerPartRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UploadLayerPartRequest {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "uploadId", skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
    #[serde(rename = "partFirstByte", skip_serializing_if = "Option::is_none")]
    pub part_first_byte: Option<i64>,
    #[serde(rename = "partLastByte", skip_serializing_if = "Option::is_none")]
    pub part_last_byte: Option<i64>,
    #[serde(rename = "layerPartBlob", skip_serializing_if = "Option::is_none")]
    pub layer_part_blob: Option<String>,
}

/// Wire shape `UploadLayerPartResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UploadLayerPartResponse {
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(rename = "repositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    #[serde(rename = "uploadId", skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
    #[serde(rename = "lastByteReceived", skip_serializing_if = "Option::is_none")]
    pub last_byte_received: Option<i64>,
}

/// Wire shape `ValidatePullThroughCacheRuleRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ValidatePullThroughCacheRuleRequest {
    #[serde(
        rename = "ecrRepositoryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub ecr_repository_prefix: Option<String>,
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
}

/// Wire shape `ValidatePullThroughCacheRuleResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ValidatePullThroughCacheRuleResponse {
    #[serde(
        rename = "ecrRepositoryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub ecr_repository_prefix: Option<String>,
    #[serde(rename = "registryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(
        rename = "upstreamRegistryUrl",
        skip_serializing_if = "Option::is_none"
    )]
    pub upstream_registry_url: Option<String>,
    #[serde(rename = "credentialArn", skip_serializing_if = "Option::is_none")]
    pub credential_arn: Option<String>,
    #[serde(rename = "customRoleArn", skip_serializing_if = "Option::is_none")]
    pub custom_role_arn: Option<String>,
    #[serde(
        rename = "upstreamRepositoryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub upstream_repository_prefix: Option<String>,
    #[serde(rename = "isValid", skip_serializing_if = "Option::is_none")]
    pub is_valid: Option<bool>,
    #[serde(rename = "failure", skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

/// Wire shape `VulnerablePackage`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VulnerablePackage {
    #[serde(rename = "arch", skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    #[serde(rename = "epoch", skip_serializing_if = "Option::is_none")]
    pub epoch: Option<i32>,
    #[serde(rename = "filePath", skip_serializing_if = "Option::is_none")]
    pub file_path: Option<String>,
    #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "packageManager", skip_serializing_if = "Option::is_none")]
    pub package_manager: Option<String>,
    #[serde(rename = "release", skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    #[serde(rename = "sourceLayerHash", skip_serializing_if = "Option::is_none")]
    pub source_layer_hash: Option<String>,
    #[serde(rename = "version", skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(rename = "fixedInVersion", skip_serializing_if = "Option::is_none")]
    pub fixed_in_version: Option<String>,
}
