//! Images: listing and describing them, fetching and storing manifests
//! through the JSON API, and deleting by tag or digest with per-image
//! failures.

use std::collections::{BTreeMap, HashSet};

use axum::body::Bytes;
use berth_registry::meta::ManifestRecord;
use berth_registry::{Digest, Reference, RegistryError, RepositoryName, Tag};

use super::{EcrError, existing_repository, page_size, paginate, target, wire, wire_time};
use crate::Api;

/// Most image ids one batch call may name.
const MAX_IMAGE_IDS: usize = 100;
/// Longest manifest PutImage accepts (ECR's limit, in characters).
const MAX_MANIFEST_CHARS: usize = 4 * 1024 * 1024;

/// The images of one repository keyed by digest, each with its record and
/// tags, plus the digests some index or list of the repository refers to.
struct Images {
    by_digest: BTreeMap<String, (ManifestRecord, Vec<String>)>,
    children: HashSet<String>,
}

impl Images {
    async fn load(api: &Api, name: &RepositoryName) -> Result<Images, EcrError> {
        let listed = api.registry.list_manifests(name).await?;
        let children = listed
            .iter()
            .flat_map(|(_, record, _)| record.manifests.iter().cloned())
            .collect();
        let by_digest = listed
            .into_iter()
            .map(|(digest, record, tags)| (digest.to_string(), (record, tags)))
            .collect();
        Ok(Images {
            by_digest,
            children,
        })
    }

    fn digest_of_tag(&self, tag: &str) -> Option<&str> {
        self.by_digest
            .iter()
            .find(|(_, (_, tags))| tags.iter().any(|t| t == tag))
            .map(|(digest, _)| digest.as_str())
    }

    /// ECR's `imageSizeInBytes`: declared config + layer bytes, and for an
    /// index or list the largest of its manifests.
    fn size_of(&self, record: &ManifestRecord) -> u64 {
        if record.manifests.is_empty() {
            return record.content_size;
        }
        record
            .manifests
            .iter()
            .filter_map(|child| self.by_digest.get(child))
            .map(|(child, _)| child.content_size)
            .max()
            .unwrap_or(0)
    }
}

/// What an `ImageIdentifier` names, or the failure ECR reports for it.
enum ImageRef {
    Digest(Digest),
    Tag(Tag),
    Both(Digest, Tag),
}

fn parse_image_id(id: &wire::ImageIdentifier) -> Result<ImageRef, (&'static str, String)> {
    let digest = id
        .image_digest
        .as_deref()
        .map(|text| {
            Digest::parse(text).map_err(|_| {
                (
                    "InvalidImageDigest",
                    "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'".to_owned(),
                )
            })
        })
        .transpose()?;
    let tag = id
        .image_tag
        .as_deref()
        .map(|text| {
            Tag::parse(text).map_err(|_| {
                (
                    "InvalidImageTag",
                    "Invalid request parameters: image tag must match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}".to_owned(),
                )
            })
        })
        .transpose()?;
    match (digest, tag) {
        (Some(digest), Some(tag)) => Ok(ImageRef::Both(digest, tag)),
        (Some(digest), None) => Ok(ImageRef::Digest(digest)),
        (None, Some(tag)) => Ok(ImageRef::Tag(tag)),
        (None, None) => Err((
            "MissingDigestAndTag",
            "Invalid request parameters: both tag and digest cannot be null".to_owned(),
        )),
    }
}

/// The digest an image reference names in `images`, or its failure.
fn resolve(images: &Images, image: &ImageRef) -> Result<String, (&'static str, String)> {
    let not_found = || ("ImageNotFound", "Requested image not found".to_owned());
    match image {
        ImageRef::Digest(digest) => images
            .by_digest
            .contains_key(digest.as_str())
            .then(|| digest.to_string())
            .ok_or_else(not_found),
        ImageRef::Tag(tag) => images
            .digest_of_tag(tag.as_str())
            .map(str::to_owned)
            .ok_or_else(not_found),
        ImageRef::Both(digest, tag) => match images.digest_of_tag(tag.as_str()) {
            Some(found) if found == digest.as_str() => Ok(found.to_owned()),
            Some(_) => Err((
                "ImageTagDoesNotMatchDigest",
                "Invalid request parameters: given tag does not map to the given digest".to_owned(),
            )),
            None => Err(not_found()),
        },
    }
}

fn failure(
    id: wire::ImageIdentifier,
    (code, reason): (&'static str, String),
) -> wire::ImageFailure {
    wire::ImageFailure {
        image_id: Some(id),
        failure_code: Some(code.to_owned()),
        failure_reason: Some(reason),
    }
}

/// `ANY` (or absent), `TAGGED` or `UNTAGGED`, as keep-this-image tests.
fn parse_tag_status(status: Option<&str>) -> Result<fn(&[String]) -> bool, EcrError> {
    match status.unwrap_or("ANY") {
        "ANY" => Ok(|_| true),
        "TAGGED" => Ok(|tags| !tags.is_empty()),
        "UNTAGGED" => Ok(|tags| tags.is_empty()),
        other => Err(EcrError::InvalidParameter(format!(
            "Invalid parameter at 'tagStatus' failed to satisfy constraint: 'Member must satisfy enum value set: [ANY, TAGGED, UNTAGGED]' ({})",
            crate::error::truncated(other, 32)
        ))),
    }
}

fn check_batch_size(
    ids: &Option<Vec<wire::ImageIdentifier>>,
) -> Result<&[wire::ImageIdentifier], EcrError> {
    match ids.as_deref() {
        Some(ids) if !ids.is_empty() && ids.len() <= MAX_IMAGE_IDS => Ok(ids),
        _ => Err(EcrError::InvalidParameter(format!(
            "imageIds must have between 1 and {MAX_IMAGE_IDS} items."
        ))),
    }
}

pub async fn list_images(
    api: &Api,
    input: wire::ListImagesRequest,
) -> Result<wire::ListImagesResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let keep = parse_tag_status(input.filter.as_ref().and_then(|f| f.tag_status.as_deref()))?;
    let size = page_size(input.max_results, 100, 1000)?;
    let images = Images::load(api, &name).await?;
    // One entry per tag, an untagged image once without a tag, as ECR.
    let mut ids: Vec<wire::ImageIdentifier> = Vec::new();
    for (digest, (_, tags)) in &images.by_digest {
        if !keep(tags) {
            continue;
        }
        if tags.is_empty() {
            ids.push(wire::ImageIdentifier {
                image_digest: Some(digest.clone()),
                image_tag: None,
            });
        }
        for tag in tags {
            ids.push(wire::ImageIdentifier {
                image_digest: Some(digest.clone()),
                image_tag: Some(tag.clone()),
            });
        }
    }
    let key = |id: &wire::ImageIdentifier| {
        format!(
            "{}\t{}",
            id.image_digest.as_deref().unwrap_or(""),
            id.image_tag.as_deref().unwrap_or("")
        )
    };
    let (page, next_token) = paginate("ListImages", ids, key, input.next_token.as_deref(), size)?;
    Ok(wire::ListImagesResponse {
        image_ids: Some(page),
        next_token,
    })
}

fn detail(
    api: &Api,
    name: &RepositoryName,
    images: &Images,
    digest: &str,
) -> Option<wire::ImageDetail> {
    let (record, tags) = images.by_digest.get(digest)?;
    Some(wire::ImageDetail {
        registry_id: Some(api.control.scope.account_id.clone()),
        repository_name: Some(name.to_string()),
        image_digest: Some(digest.to_owned()),
        image_tags: (!tags.is_empty()).then(|| tags.clone()),
        image_size_in_bytes: Some(i64::try_from(images.size_of(record)).unwrap_or(i64::MAX)),
        image_pushed_at: Some(wire_time(record.pushed_at)),
        image_manifest_media_type: Some(record.media_type.clone()),
        artifact_media_type: record.artifact_type.clone(),
        subject_manifest_digest: record.subject.clone(),
        image_status: Some("ACTIVE".to_owned()),
        ..wire::ImageDetail::default()
    })
}

pub async fn describe_images(
    api: &Api,
    input: wire::DescribeImagesRequest,
) -> Result<wire::DescribeImagesResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let keep = parse_tag_status(input.filter.as_ref().and_then(|f| f.tag_status.as_deref()))?;
    let images = Images::load(api, &name).await?;
    if input.image_ids.is_some() {
        if input.max_results.is_some() || input.next_token.is_some() {
            return Err(EcrError::InvalidParameter(
                "maxResults and nextToken cannot be used with imageIds.".to_owned(),
            ));
        }
        let mut details = Vec::new();
        let mut seen = HashSet::new();
        for id in check_batch_size(&input.image_ids)? {
            let digest = parse_image_id(id)
                .and_then(|image| resolve(&images, &image))
                .map_err(|(code, reason)| match code {
                    "ImageNotFound" | "ImageTagDoesNotMatchDigest" => EcrError::ImageNotFound(format!(
                        "The image with imageId {{imageDigest:'{}', imageTag:'{}'}} does not exist within the repository with name '{name}' in the registry with id '{}'",
                        id.image_digest.as_deref().unwrap_or("null"),
                        id.image_tag.as_deref().unwrap_or("null"),
                        api.control.scope.account_id
                    )),
                    _ => EcrError::InvalidParameter(reason),
                })?;
            if seen.insert(digest.clone())
                && let Some(found) = detail(api, &name, &images, &digest)
            {
                details.push(found);
            }
        }
        return Ok(wire::DescribeImagesResponse {
            image_details: Some(details),
            next_token: None,
        });
    }
    let size = page_size(input.max_results, 100, 1000)?;
    let digests: Vec<String> = images
        .by_digest
        .iter()
        .filter(|(_, (_, tags))| keep(tags))
        .map(|(digest, _)| digest.clone())
        .collect();
    let (page, next_token) = paginate(
        "DescribeImages",
        digests,
        String::clone,
        input.next_token.as_deref(),
        size,
    )?;
    Ok(wire::DescribeImagesResponse {
        image_details: Some(
            page.iter()
                .filter_map(|digest| detail(api, &name, &images, digest))
                .collect(),
        ),
        next_token,
    })
}

pub async fn batch_get_image(
    api: &Api,
    input: wire::BatchGetImageRequest,
) -> Result<wire::BatchGetImageResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let ids = check_batch_size(&input.image_ids)?;
    if let Some(types) = &input.accepted_media_types
        && (types.is_empty() || types.len() > 100)
    {
        return Err(EcrError::InvalidParameter(
            "acceptedMediaTypes must have between 1 and 100 items.".to_owned(),
        ));
    }
    let images = Images::load(api, &name).await?;
    let mut found = Vec::new();
    let mut failures = Vec::new();
    for id in ids {
        let digest = match parse_image_id(id).and_then(|image| resolve(&images, &image)) {
            Ok(digest) => digest,
            Err(reason) => {
                failures.push(failure(id.clone(), reason));
                continue;
            }
        };
        let Ok(parsed) = Digest::parse(&digest) else {
            continue;
        };
        let manifest = match api
            .registry
            .get_manifest(&name, &Reference::Digest(parsed))
            .await
        {
            Ok(manifest) => manifest,
            // Deleted since the listing: report it like any other miss.
            Err(RegistryError::ManifestUnknown { .. }) => {
                failures.push(failure(
                    id.clone(),
                    ("ImageNotFound", "Requested image not found".to_owned()),
                ));
                continue;
            }
            Err(other) => return Err(other.into()),
        };
        if let Some(accepted) = &input.accepted_media_types
            && !accepted.contains(&manifest.info.media_type)
        {
            failures.push(failure(
                id.clone(),
                (
                    "UnsupportedImageType",
                    format!(
                        "The image is stored as {} which is not among the accepted media types",
                        manifest.info.media_type
                    ),
                ),
            ));
            continue;
        }
        found.push(wire::Image {
            registry_id: Some(api.control.scope.account_id.clone()),
            repository_name: Some(name.to_string()),
            image_id: Some(wire::ImageIdentifier {
                image_digest: Some(digest),
                image_tag: id.image_tag.clone(),
            }),
            image_manifest: Some(String::from_utf8_lossy(&manifest.body).into_owned()),
            image_manifest_media_type: Some(manifest.info.media_type),
        });
    }
    Ok(wire::BatchGetImageResponse {
        images: Some(found),
        failures: Some(failures),
    })
}

pub async fn put_image(
    api: &Api,
    input: wire::PutImageRequest,
) -> Result<wire::PutImageResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let Some(manifest) = input.image_manifest.filter(|m| !m.is_empty()) else {
        return Err(EcrError::InvalidParameter(
            "imageManifest must be specified.".to_owned(),
        ));
    };
    if manifest.chars().count() > MAX_MANIFEST_CHARS {
        return Err(EcrError::InvalidParameter(format!(
            "Invalid parameter at 'imageManifest' failed to satisfy constraint: 'Member must have length less than or equal to {MAX_MANIFEST_CHARS}'"
        )));
    }
    let tag = input
        .image_tag
        .as_deref()
        .map(|text| {
            Tag::parse(text).map_err(|_| {
                EcrError::InvalidParameter(format!(
                    "Invalid parameter at 'imageTag' failed to satisfy constraint: 'must match [a-zA-Z0-9_][a-zA-Z0-9._-]{{0,127}}' ({})",
                    crate::error::truncated(text, 64)
                ))
            })
        })
        .transpose()?;
    let body = Bytes::from(manifest.into_bytes());
    let digest = Digest::of(&body);
    if let Some(claimed) = input.image_digest.as_deref() {
        let claimed = Digest::parse(claimed).map_err(|_| {
            EcrError::InvalidParameter("Invalid parameter at 'imageDigest'.".to_owned())
        })?;
        if claimed != digest {
            return Err(EcrError::ImageDigestDoesNotMatch(format!(
                "Invalid parameter at 'imageDigest' failed to satisfy constraint: 'The provided digest {claimed} does not match the calculated digest {digest}'"
            )));
        }
    }
    existing_repository(api, &name).await?;
    let already = match &tag {
        Some(tag) => api
            .registry
            .manifest_info(&name, &Reference::Tag(tag.clone()))
            .await
            .is_ok_and(|info| info.digest == digest),
        None => api
            .registry
            .manifest_info(&name, &Reference::Digest(digest.clone()))
            .await
            .is_ok(),
    };
    if already {
        return Err(EcrError::ImageAlreadyExists(format!(
            "Image with digest '{digest}' and tag '{}' already exists in the repository with name '{name}' in registry with id '{}'",
            tag.as_ref().map_or("null", |t| t.as_str()),
            api.control.scope.account_id
        )));
    }
    let reference = match &tag {
        Some(tag) => Reference::Tag(tag.clone()),
        None => Reference::Digest(digest.clone()),
    };
    let media_type = input.image_manifest_media_type.as_deref();
    match api
        .registry
        .put_manifest(&name, &reference, media_type, body.clone())
        .await
    {
        Ok(_) => {}
        Err(RegistryError::ManifestBlobUnknown { digests }) => {
            let is_index = berth_registry::manifest::parse_manifest(&body, media_type)
                .is_ok_and(|parsed| !parsed.manifests.is_empty());
            let listed: Vec<&str> = digests.iter().map(Digest::as_str).collect();
            return Err(if is_index {
                EcrError::ReferencedImagesNotFound(format!(
                    "Manifests with digests '[{}]' referenced by the image do not exist in the repository with name '{name}'",
                    listed.join(", ")
                ))
            } else {
                EcrError::LayersNotFound(format!(
                    "Layers with digests '[{}]' required for pushing image into repository with name '{name}' in the registry with id '{}' do not exist",
                    listed.join(", "),
                    api.control.scope.account_id
                ))
            });
        }
        Err(RegistryError::ManifestInvalid { reason }) => {
            return Err(EcrError::InvalidParameter(format!(
                "Invalid parameter at 'ImageManifest' failed to satisfy constraint: '{reason}'"
            )));
        }
        Err(other) => return Err(other.into()),
    }
    let info = api
        .registry
        .manifest_info(&name, &Reference::Digest(digest.clone()))
        .await?;
    Ok(wire::PutImageResponse {
        image: Some(wire::Image {
            registry_id: Some(api.control.scope.account_id.clone()),
            repository_name: Some(name.to_string()),
            image_id: Some(wire::ImageIdentifier {
                image_digest: Some(digest.to_string()),
                image_tag: tag.map(|t| t.to_string()),
            }),
            image_manifest: Some(String::from_utf8_lossy(&body).into_owned()),
            image_manifest_media_type: Some(info.media_type),
        }),
    })
}

pub async fn batch_delete_image(
    api: &Api,
    input: wire::BatchDeleteImageRequest,
) -> Result<wire::BatchDeleteImageResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let ids = check_batch_size(&input.image_ids)?;
    let mut images = Images::load(api, &name).await?;
    let mut deleted = Vec::new();
    let mut failures = Vec::new();
    for id in ids {
        let image = match parse_image_id(id) {
            Ok(image) => image,
            Err(reason) => {
                failures.push(failure(id.clone(), reason));
                continue;
            }
        };
        let digest = match resolve(&images, &image) {
            Ok(digest) => digest,
            Err(reason) => {
                failures.push(failure(id.clone(), reason));
                continue;
            }
        };
        let tag = match &image {
            ImageRef::Tag(tag) | ImageRef::Both(_, tag) => Some(tag.to_string()),
            ImageRef::Digest(_) => None,
        };
        let remaining: Vec<String> = images
            .by_digest
            .get(&digest)
            .map(|(_, tags)| {
                tags.iter()
                    .filter(|t| Some(*t) != tag.as_ref())
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        // Removing a tag that leaves others only untags; removing the last
        // tag or naming the digest deletes the image, which an index of
        // the repository must not still need.
        let delete_image = tag.is_none() || remaining.is_empty();
        if tag.is_none() && images.children.contains(&digest) {
            failures.push(failure(
                id.clone(),
                (
                    "ImageReferencedByManifestList",
                    "Requested image is referenced by an image index or manifest list".to_owned(),
                ),
            ));
            continue;
        }
        let Ok(parsed) = Digest::parse(&digest) else {
            continue;
        };
        if let Some(tag) = &tag {
            let reference = Reference::Tag(
                Tag::parse(tag)
                    .map_err(|_| EcrError::InvalidParameter("invalid tag".to_owned()))?,
            );
            match api.registry.delete_manifest(&name, &reference).await {
                Ok(()) | Err(RegistryError::ManifestUnknown { .. }) => {}
                Err(other) => return Err(other.into()),
            }
        }
        let mut removed_tags = tag.iter().cloned().collect::<Vec<_>>();
        if delete_image && !images.children.contains(&digest) {
            match api
                .registry
                .delete_manifest(&name, &Reference::Digest(parsed))
                .await
            {
                Ok(()) | Err(RegistryError::ManifestUnknown { .. }) => {}
                Err(other) => return Err(other.into()),
            }
            if tag.is_none() {
                removed_tags = remaining.clone();
            }
            images.by_digest.remove(&digest);
        } else if let Some((_, tags)) = images.by_digest.get_mut(&digest) {
            tags.retain(|t| Some(t) != tag.as_ref());
        }
        if removed_tags.is_empty() {
            deleted.push(wire::ImageIdentifier {
                image_digest: Some(digest.clone()),
                image_tag: None,
            });
        }
        for removed in removed_tags {
            deleted.push(wire::ImageIdentifier {
                image_digest: Some(digest.clone()),
                image_tag: Some(removed),
            });
        }
    }
    Ok(wire::BatchDeleteImageResponse {
        image_ids: Some(deleted),
        failures: Some(failures),
    })
}
