//! The registry's metadata in the `Kv` store: key layout and records.
//!
//! Keys (names never hold `@`, so `<name>@` ends a repository's prefix):
//! - `registry/repo/<name>` → [`RepositoryRecord`]
//! - `registry/link/<name>@<digest>` → [`LinkRecord`] (blob usable in the repository)
//! - `registry/manifest/<name>@<digest>` → [`ManifestRecord`]
//! - `registry/tag/<name>@<tag>` → [`TagRecord`]
//! - `registry/referrer/<name>@<subject>@<digest>` → [`ReferrerRecord`]
//! - `registry/doomed/<digest>` → empty: the collector is deleting that blob

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use berth_store::{KeyValue, Kv};

use crate::digest::Digest;
use crate::error::RegistryError;

/// Root of every key the registry writes.
pub const PREFIX: &str = "registry/";

/// A repository's settings: what the registry enforces plus everything the
/// ECR API shows about a repository, so one record describes it whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepositoryRecord {
    /// Seconds since the Unix epoch.
    pub created_at: u64,
    /// Whether a pushed tag may never move to another manifest.
    #[serde(default)]
    pub immutable_tags: bool,
    /// Wildcard filters (`*` matches any run) naming the tags that behave
    /// the other way round from `immutable_tags` (ECR's `*_WITH_EXCLUSION`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mutability_exclusions: Vec<String>,
    /// ECR's per-repository `scanOnPush` (stored and shown, no scanner runs).
    #[serde(default)]
    pub scan_on_push: bool,
    /// ECR's `encryptionType` (`AES256`, `KMS`, `KMS_DSSE`); empty = AES256.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub encryption_type: String,
    /// ECR's `kmsKey`, when `encryption_type` is a KMS one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<String>,
    /// Resource tags (key, value) in insertion order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<(String, String)>,
    /// The repository policy document, exactly as set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// The lifecycle policy document, exactly as set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_policy: Option<String>,
    /// When the lifecycle policy was last applied (seconds since the epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_evaluated_at: Option<u64>,
    /// The last lifecycle policy preview, if one was started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_preview: Option<LifecyclePreviewRecord>,
}

impl RepositoryRecord {
    /// Whether `tag`, once pushed, may never move to another manifest.
    pub fn is_tag_immutable(&self, tag: &str) -> bool {
        let excluded = self
            .mutability_exclusions
            .iter()
            .any(|filter| crate::lifecycle::wildcard_match(filter, tag));
        self.immutable_tags != excluded
    }
}

/// The outcome of a lifecycle policy dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifecyclePreviewRecord {
    /// The policy text the preview evaluated.
    pub policy: String,
    /// The images the policy would expire, oldest first.
    pub expiring: Vec<PreviewedImage>,
}

/// One image a lifecycle preview would expire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewedImage {
    pub digest: String,
    pub tags: Vec<String>,
    /// Seconds since the Unix epoch.
    pub pushed_at: u64,
    /// The priority of the rule that expires it.
    pub rule_priority: u32,
}

/// A blob usable from one repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRecord {
    pub size: u64,
}

/// A manifest stored in one repository (its bytes live in the blob store).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestRecord {
    pub media_type: String,
    pub size: u64,
    pub blobs: Vec<String>,
    pub manifests: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Map<String, Value>>,
    /// Seconds since the Unix epoch.
    pub pushed_at: u64,
    /// Bytes of the config and layers the manifest declares (an image's
    /// size as ECR reports it); 0 for an index.
    #[serde(default)]
    pub content_size: u64,
}

/// Where a tag points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagRecord {
    pub digest: String,
}

/// The descriptor served in a referrers index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReferrerRecord {
    pub media_type: String,
    pub digest: String,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Map<String, Value>>,
}

/// Prefix of all repository records.
pub fn repos_prefix() -> Vec<u8> {
    format!("{PREFIX}repo/").into_bytes()
}

/// The key of a repository record.
pub fn repo_key(name: &str) -> Vec<u8> {
    format!("{PREFIX}repo/{name}").into_bytes()
}

/// Prefix of one repository's blob links.
pub fn links_prefix(name: &str) -> Vec<u8> {
    format!("{PREFIX}link/{name}@").into_bytes()
}

/// Prefix of every blob link of every repository.
pub fn all_links_prefix() -> Vec<u8> {
    format!("{PREFIX}link/").into_bytes()
}

/// The key linking `digest` into a repository.
pub fn link_key(name: &str, digest: &Digest) -> Vec<u8> {
    format!("{PREFIX}link/{name}@{digest}").into_bytes()
}

/// Prefix of one repository's manifests.
pub fn manifests_prefix(name: &str) -> Vec<u8> {
    format!("{PREFIX}manifest/{name}@").into_bytes()
}

/// Prefix of every manifest of every repository.
pub fn all_manifests_prefix() -> Vec<u8> {
    format!("{PREFIX}manifest/").into_bytes()
}

/// The key of a manifest record.
pub fn manifest_key(name: &str, digest: &Digest) -> Vec<u8> {
    format!("{PREFIX}manifest/{name}@{digest}").into_bytes()
}

/// Prefix of one repository's tags.
pub fn tags_prefix(name: &str) -> Vec<u8> {
    format!("{PREFIX}tag/{name}@").into_bytes()
}

/// The key of a tag.
pub fn tag_key(name: &str, tag: &str) -> Vec<u8> {
    format!("{PREFIX}tag/{name}@{tag}").into_bytes()
}

/// Prefix of the referrers of `subject` in a repository.
pub fn referrers_prefix(name: &str, subject: &Digest) -> Vec<u8> {
    format!("{PREFIX}referrer/{name}@{subject}@").into_bytes()
}

/// The key recording that `digest` refers to `subject`.
pub fn referrer_key(name: &str, subject: &Digest, digest: &Digest) -> Vec<u8> {
    format!("{PREFIX}referrer/{name}@{subject}@{digest}").into_bytes()
}

/// Prefix of all doomed-blob markers.
pub fn doomed_prefix() -> Vec<u8> {
    format!("{PREFIX}doomed/").into_bytes()
}

/// The marker the collector writes before deleting a blob.
pub fn doomed_key(digest: &Digest) -> Vec<u8> {
    format!("{PREFIX}doomed/{digest}").into_bytes()
}

/// The part of `key` after `prefix`, as text.
pub fn key_suffix<'a>(key: &'a [u8], prefix: &[u8]) -> Option<&'a str> {
    key.strip_prefix(prefix)
        .and_then(|rest| std::str::from_utf8(rest).ok())
}

/// Encodes a record.
pub fn encode<T: Serialize>(record: &T) -> Vec<u8> {
    // Serializing these plain structs to a Vec cannot fail.
    serde_json::to_vec(record).unwrap_or_default()
}

/// Decodes a stored record, naming the key on failure.
pub fn decode<T: DeserializeOwned>(kv: &KeyValue) -> Result<T, RegistryError> {
    serde_json::from_slice(&kv.value).map_err(|source| RegistryError::Corrupt {
        context: String::from_utf8_lossy(&kv.key).into_owned(),
        source,
    })
}

/// Reads one key, mapping store failures.
pub async fn get(
    kv: &dyn Kv,
    key: &[u8],
    context: &'static str,
) -> Result<Option<KeyValue>, RegistryError> {
    kv.get(key)
        .await
        .map_err(|source| RegistryError::Store { context, source })
}

/// Reads and decodes one record.
pub async fn get_record<T: DeserializeOwned>(
    kv: &dyn Kv,
    key: &[u8],
    context: &'static str,
) -> Result<Option<(T, u64)>, RegistryError> {
    match get(kv, key, context).await? {
        Some(found) => Ok(Some((decode(&found)?, found.mod_revision))),
        None => Ok(None),
    }
}
