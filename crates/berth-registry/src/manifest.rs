//! Manifest parsing: which of the four accepted media types a manifest is,
//! and what it references (blobs, child manifests, a subject), so pushes can
//! be reference-checked and referrers indexed.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::digest::Digest;

/// Docker image manifest, schema 2.
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
/// Docker manifest list.
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
/// OCI image manifest.
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// OCI image index (also the referrers response type).
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";

/// What a manifest references, extracted at push time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedManifest {
    /// The media type the manifest is stored and served under.
    pub media_type: String,
    /// Config and layer blobs that must exist in the repository.
    pub blobs: Vec<Digest>,
    /// Child manifests (of an index or list) that must exist in the repository.
    pub manifests: Vec<Digest>,
    /// The manifest this one refers to, if any.
    pub subject: Option<Digest>,
    /// `artifactType`, else the config media type for image manifests.
    pub artifact_type: Option<String>,
    /// The manifest's annotations, copied into referrers descriptors.
    pub annotations: Option<Map<String, Value>>,
    /// Declared bytes of the config and every layer (0 for an index).
    pub content_size: u64,
}

/// Why a manifest was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// Not JSON, wrong schema version or missing fields.
    #[error("{0}")]
    Invalid(String),
    /// A media type Berth does not accept.
    #[error("unsupported manifest media type {0:?}")]
    UnsupportedMediaType(String),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawManifest {
    schema_version: Option<u64>,
    media_type: Option<String>,
    artifact_type: Option<String>,
    config: Option<RawDescriptor>,
    layers: Option<Vec<RawDescriptor>>,
    manifests: Option<Vec<RawDescriptor>>,
    subject: Option<RawDescriptor>,
    annotations: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDescriptor {
    media_type: Option<String>,
    digest: String,
    size: Option<i64>,
    urls: Option<Vec<String>>,
}

/// Parses `body`, taking its type from the `mediaType` field, else from the
/// request's `Content-Type` (parameters ignored), else from its shape.
pub fn parse_manifest(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<ParsedManifest, ManifestError> {
    let raw: RawManifest = serde_json::from_slice(body)
        .map_err(|err| ManifestError::Invalid(format!("not a manifest: {err}")))?;
    if raw.schema_version != Some(2) {
        return Err(ManifestError::Invalid(
            "schemaVersion must be 2".to_string(),
        ));
    }
    let content_type = content_type
        .map(|value| value.split(';').next().unwrap_or("").trim())
        .filter(|value| !value.is_empty());
    let media_type = match (&raw.media_type, content_type) {
        (Some(field), Some(header)) if field != header => {
            return Err(ManifestError::Invalid(format!(
                "mediaType {field:?} does not match Content-Type {header:?}"
            )));
        }
        (Some(field), _) => field.clone(),
        (None, Some(header)) => header.to_string(),
        (None, None) if raw.manifests.is_some() => OCI_INDEX.to_string(),
        (None, None) => OCI_MANIFEST.to_string(),
    };
    let descriptor_digest = |descriptor: &RawDescriptor| {
        if descriptor.size.is_some_and(|size| size < 0) {
            return Err(ManifestError::Invalid(format!(
                "descriptor {} has a negative size",
                descriptor.digest
            )));
        }
        Digest::parse(&descriptor.digest)
            .map_err(|err| ManifestError::Invalid(format!("descriptor digest: {err}")))
    };
    let subject = raw.subject.as_ref().map(descriptor_digest).transpose()?;
    match media_type.as_str() {
        DOCKER_MANIFEST | OCI_MANIFEST => {
            let config = raw
                .config
                .as_ref()
                .ok_or_else(|| ManifestError::Invalid("missing config".to_string()))?;
            let layers = raw
                .layers
                .as_ref()
                .ok_or_else(|| ManifestError::Invalid("missing layers".to_string()))?;
            if raw.manifests.is_some() {
                return Err(ManifestError::Invalid(
                    "an image manifest has no manifests field".to_string(),
                ));
            }
            let mut blobs = vec![descriptor_digest(config)?];
            let declared = |descriptor: &RawDescriptor| descriptor.size.map_or(0, |n| n as u64);
            let content_size = layers.iter().fold(declared(config), |sum, layer| {
                sum.saturating_add(declared(layer))
            });
            for layer in layers {
                let digest = descriptor_digest(layer)?;
                // Foreign (non-distributable) layers are fetched from their
                // URLs and never pushed, so they cannot be required here.
                if layer.urls.as_ref().is_some_and(|urls| !urls.is_empty()) {
                    continue;
                }
                blobs.push(digest);
            }
            let artifact_type = raw.artifact_type.clone().or(config.media_type.clone());
            Ok(ParsedManifest {
                media_type,
                blobs,
                manifests: Vec::new(),
                subject,
                artifact_type,
                annotations: raw.annotations,
                content_size,
            })
        }
        DOCKER_MANIFEST_LIST | OCI_INDEX => {
            let children = raw
                .manifests
                .as_ref()
                .ok_or_else(|| ManifestError::Invalid("missing manifests".to_string()))?;
            if raw.config.is_some() || raw.layers.is_some() {
                return Err(ManifestError::Invalid(
                    "an index has no config or layers".to_string(),
                ));
            }
            let manifests = children
                .iter()
                .map(descriptor_digest)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(ParsedManifest {
                media_type,
                blobs: Vec::new(),
                manifests,
                subject,
                artifact_type: raw.artifact_type,
                annotations: raw.annotations,
                content_size: 0,
            })
        }
        other => Err(ManifestError::UnsupportedMediaType(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D1: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    const D2: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    /// The media type, number of blobs and number of child manifests, or
    /// the kind of error.
    type Outcome<'a> = Result<(&'a str, usize, usize), &'a str>;

    fn check(body: &str, content_type: Option<&str>, expected: Outcome<'_>) {
        let got = parse_manifest(body.as_bytes(), content_type)
            .map(|parsed| {
                (
                    parsed.media_type.clone(),
                    parsed.blobs.len(),
                    parsed.manifests.len(),
                )
            })
            .map_err(|err| match err {
                ManifestError::Invalid(_) => "invalid",
                ManifestError::UnsupportedMediaType(_) => "unsupported",
            });
        let expected =
            expected.map(|(media, blobs, manifests)| (media.to_string(), blobs, manifests));
        assert_eq!(got, expected, "body {body}");
    }

    #[test]
    fn manifest_table() {
        let image = format!(
            r#"{{"schemaVersion":2,"mediaType":"{OCI_MANIFEST}","config":{{"mediaType":"a","digest":"{D1}","size":2}},"layers":[{{"mediaType":"b","digest":"{D2}","size":3}}]}}"#
        );
        let docker = image.replace(OCI_MANIFEST, DOCKER_MANIFEST);
        let untyped = format!(
            r#"{{"schemaVersion":2,"config":{{"mediaType":"a","digest":"{D1}","size":2}},"layers":[]}}"#
        );
        let index = format!(
            r#"{{"schemaVersion":2,"mediaType":"{OCI_INDEX}","manifests":[{{"mediaType":"{OCI_MANIFEST}","digest":"{D1}","size":2}}]}}"#
        );
        let list = index.replace(OCI_INDEX, DOCKER_MANIFEST_LIST);
        let foreign = format!(
            r#"{{"schemaVersion":2,"config":{{"digest":"{D1}"}},"layers":[{{"digest":"{D2}","urls":["http://x"]}}]}}"#
        );
        let bad_digest = image.replace(D2, "sha256:nothex");
        let cases: Vec<(&str, Option<&str>, Outcome<'_>)> = vec![
            (&image, None, Ok((OCI_MANIFEST, 2, 0))),
            (&image, Some(OCI_MANIFEST), Ok((OCI_MANIFEST, 2, 0))),
            (&image, Some(DOCKER_MANIFEST), Err("invalid")),
            (&docker, Some(DOCKER_MANIFEST), Ok((DOCKER_MANIFEST, 2, 0))),
            (&untyped, None, Ok((OCI_MANIFEST, 1, 0))),
            (&untyped, Some(DOCKER_MANIFEST), Ok((DOCKER_MANIFEST, 1, 0))),
            (&index, None, Ok((OCI_INDEX, 0, 1))),
            (&list, None, Ok((DOCKER_MANIFEST_LIST, 0, 1))),
            (&foreign, None, Ok((OCI_MANIFEST, 1, 0))),
            (&bad_digest, None, Err("invalid")),
            (r#"{"schemaVersion":1}"#, None, Err("invalid")),
            ("not json", None, Err("invalid")),
            (&untyped, Some("application/x-other"), Err("unsupported")),
        ];
        for (body, content_type, expected) in cases {
            check(body, content_type, expected);
        }
    }

    #[test]
    fn artifact_type_falls_back_to_config_media_type() {
        let body = format!(
            r#"{{"schemaVersion":2,"config":{{"mediaType":"application/x-sig","digest":"{D1}","size":2}},"layers":[],"subject":{{"digest":"{D2}","size":1}},"annotations":{{"k":"v"}}}}"#
        );
        let parsed = parse_manifest(body.as_bytes(), None).expect("valid manifest");
        assert_eq!(parsed.artifact_type.as_deref(), Some("application/x-sig"));
        assert_eq!(parsed.subject.as_ref().map(Digest::as_str), Some(D2));
        assert!(parsed.annotations.is_some());
    }
}
