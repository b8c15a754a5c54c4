//! Layers through the JSON API: the upload session (initiate, parts,
//! complete), availability checks and download URLs on Berth's registry.

use axum::body::Bytes;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use berth_registry::{Digest, RegistryError, RepositoryName};

use super::{EcrError, existing_repository, target, wire};
use crate::Api;

/// The part size InitiateLayerUpload advertises (ECR's 10 MiB).
const PART_SIZE: i64 = 10 * 1024 * 1024;
/// Largest decoded part UploadLayerPart accepts (the API model's limit).
const MAX_PART_BYTES: usize = 20 * 1024 * 1024;
/// Most digests one batch call may name.
const MAX_LAYER_DIGESTS: usize = 100;

fn check_upload_id(id: Option<&str>) -> Result<String, EcrError> {
    let Some(id) = id else {
        return Err(EcrError::InvalidParameter(
            "uploadId must be specified.".to_owned(),
        ));
    };
    match uuid::Uuid::parse_str(id) {
        Ok(parsed) if parsed.hyphenated().to_string() == id.to_ascii_lowercase() => {
            Ok(id.to_ascii_lowercase())
        }
        _ => Err(EcrError::InvalidParameter(format!(
            "Invalid parameter at 'uploadId' failed to satisfy constraint: 'must be a UUID' ({})",
            crate::error::truncated(id, 64)
        ))),
    }
}

fn upload_not_found(name: &RepositoryName, id: &str) -> EcrError {
    EcrError::UploadNotFound(format!(
        "The upload with id '{id}' does not exist in the repository with name '{name}'"
    ))
}

pub async fn initiate_layer_upload(
    api: &Api,
    input: wire::InitiateLayerUploadRequest,
) -> Result<wire::InitiateLayerUploadResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    existing_repository(api, &name).await?;
    let upload = api.registry.start_upload(&name).await?;
    Ok(wire::InitiateLayerUploadResponse {
        upload_id: Some(upload.id),
        part_size: Some(PART_SIZE),
    })
}

pub async fn upload_layer_part(
    api: &Api,
    input: wire::UploadLayerPartRequest,
) -> Result<wire::UploadLayerPartResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let id = check_upload_id(input.upload_id.as_deref())?;
    let (Some(first), Some(last)) = (input.part_first_byte, input.part_last_byte) else {
        return Err(EcrError::InvalidParameter(
            "partFirstByte and partLastByte must be specified.".to_owned(),
        ));
    };
    let Some(blob) = input.layer_part_blob else {
        return Err(EcrError::InvalidParameter(
            "layerPartBlob must be specified.".to_owned(),
        ));
    };
    let part = STANDARD
        .decode(blob.as_bytes())
        .map_err(|_| EcrError::InvalidParameter("layerPartBlob is not valid base64.".to_owned()))?;
    if part.len() > MAX_PART_BYTES {
        return Err(EcrError::InvalidParameter(format!(
            "layerPartBlob can hold at most {MAX_PART_BYTES} bytes."
        )));
    }
    existing_repository(api, &name).await?;
    let state = match api.registry.upload_status(&name, &id).await {
        Ok(state) => state,
        Err(RegistryError::UploadUnknown { .. }) => return Err(upload_not_found(&name, &id)),
        Err(other) => return Err(other.into()),
    };
    let last_valid = state.size as i64 - 1;
    let invalid_part = |why: &str| {
        EcrError::InvalidLayerPart(format!(
            "{why} (registryId '{}', repositoryName '{name}', uploadId '{id}', lastValidByteReceived {last_valid})",
            api.control.scope.account_id
        ))
    };
    if first < 0 || last < first {
        return Err(invalid_part(
            "partLastByte must not be before partFirstByte",
        ));
    }
    if first as u64 != state.size {
        return Err(invalid_part(&format!(
            "The part must start at byte {}, not {first}",
            state.size
        )));
    }
    if (last - first + 1) as u64 != part.len() as u64 {
        return Err(invalid_part(&format!(
            "The part holds {} bytes but partFirstByte..partLastByte spans {}",
            part.len(),
            last - first + 1
        )));
    }
    let part = Bytes::from(part);
    let body: berth_registry::ByteStream = Box::pin(futures::stream::once(async move { Ok(part) }));
    let state = match api
        .registry
        .append_upload(&name, &id, Some(first as u64), None, body)
        .await
    {
        Ok(state) => state,
        Err(RegistryError::UploadUnknown { .. }) => return Err(upload_not_found(&name, &id)),
        Err(RegistryError::RangeInvalid { .. }) => {
            return Err(invalid_part("Another part was written concurrently"));
        }
        Err(other) => return Err(other.into()),
    };
    Ok(wire::UploadLayerPartResponse {
        registry_id: Some(api.control.scope.account_id.clone()),
        repository_name: Some(name.to_string()),
        upload_id: Some(id),
        last_byte_received: Some(state.size as i64 - 1),
    })
}

pub async fn complete_layer_upload(
    api: &Api,
    input: wire::CompleteLayerUploadRequest,
) -> Result<wire::CompleteLayerUploadResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let id = check_upload_id(input.upload_id.as_deref())?;
    let digests = match input.layer_digests.as_deref() {
        Some(digests) if !digests.is_empty() && digests.len() <= MAX_LAYER_DIGESTS => digests,
        _ => {
            return Err(EcrError::InvalidParameter(format!(
                "layerDigests must have between 1 and {MAX_LAYER_DIGESTS} items."
            )));
        }
    };
    let parsed: Vec<Digest> = digests
        .iter()
        .map(|text| {
            Digest::parse(text).map_err(|_| {
                EcrError::InvalidLayer(format!(
                    "Invalid layer digest '{}'",
                    crate::error::truncated(text, 80)
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    // A layer has one digest; several entries must all name it.
    let digest = &parsed[0];
    if parsed.iter().any(|other| other != digest) {
        return Err(EcrError::InvalidLayer(
            "layerDigests name different digests for one layer".to_owned(),
        ));
    }
    existing_repository(api, &name).await?;
    let state = match api.registry.upload_status(&name, &id).await {
        Ok(state) => state,
        Err(RegistryError::UploadUnknown { .. }) => return Err(upload_not_found(&name, &id)),
        Err(other) => return Err(other.into()),
    };
    if api.registry.blob_info(&name, digest).await.is_ok() {
        // The session is of no further use; its bytes are already stored.
        let _ = api.registry.cancel_upload(&name, &id).await;
        return Err(EcrError::LayerAlreadyExists(format!(
            "The layer with digest '{digest}' already exists in the repository with name '{name}'"
        )));
    }
    if state.size == 0 {
        return Err(EcrError::EmptyUpload(format!(
            "The upload with id '{id}' has no layer parts"
        )));
    }
    match api.registry.finish_upload(&name, &id, digest).await {
        Ok(_) => {}
        Err(RegistryError::DigestInvalid { reason }) => {
            return Err(EcrError::InvalidLayer(reason));
        }
        Err(RegistryError::UploadUnknown { .. }) => return Err(upload_not_found(&name, &id)),
        Err(other) => return Err(other.into()),
    }
    Ok(wire::CompleteLayerUploadResponse {
        registry_id: Some(api.control.scope.account_id.clone()),
        repository_name: Some(name.to_string()),
        upload_id: Some(id),
        layer_digest: Some(digest.to_string()),
    })
}

pub async fn batch_check_layer_availability(
    api: &Api,
    input: wire::BatchCheckLayerAvailabilityRequest,
) -> Result<wire::BatchCheckLayerAvailabilityResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let digests = match input.layer_digests.as_deref() {
        Some(digests) if !digests.is_empty() && digests.len() <= MAX_LAYER_DIGESTS => digests,
        _ => {
            return Err(EcrError::InvalidParameter(format!(
                "layerDigests must have between 1 and {MAX_LAYER_DIGESTS} items."
            )));
        }
    };
    existing_repository(api, &name).await?;
    let mut layers = Vec::new();
    let mut failures = Vec::new();
    for text in digests {
        let Ok(digest) = Digest::parse(text) else {
            failures.push(wire::LayerFailure {
                layer_digest: Some(text.clone()),
                failure_code: Some("InvalidLayerDigest".to_owned()),
                failure_reason: Some("Invalid layer digest".to_owned()),
            });
            continue;
        };
        match api.registry.blob_info(&name, &digest).await {
            Ok(info) => layers.push(wire::Layer {
                layer_digest: Some(digest.to_string()),
                layer_availability: Some("AVAILABLE".to_owned()),
                layer_size: Some(i64::try_from(info.size).unwrap_or(i64::MAX)),
                media_type: None,
            }),
            Err(RegistryError::BlobUnknown { .. }) => failures.push(wire::LayerFailure {
                layer_digest: Some(digest.to_string()),
                failure_code: Some("MissingLayerDigest".to_owned()),
                failure_reason: Some("Could not find layer".to_owned()),
            }),
            Err(other) => return Err(other.into()),
        }
    }
    Ok(wire::BatchCheckLayerAvailabilityResponse {
        layers: Some(layers),
        failures: Some(failures),
    })
}

pub async fn get_download_url_for_layer(
    api: &Api,
    input: wire::GetDownloadUrlForLayerRequest,
) -> Result<wire::GetDownloadUrlForLayerResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let Some(text) = input.layer_digest else {
        return Err(EcrError::InvalidParameter(
            "layerDigest must be specified.".to_owned(),
        ));
    };
    let digest = Digest::parse(&text).map_err(|_| {
        EcrError::InvalidParameter(format!(
            "Invalid parameter at 'layerDigest' failed to satisfy constraint: 'must satisfy regular expression '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'' ({})",
            crate::error::truncated(&text, 80)
        ))
    })?;
    existing_repository(api, &name).await?;
    match api.registry.blob_info(&name, &digest).await {
        Ok(_) => {}
        Err(RegistryError::BlobUnknown { .. }) => {
            return Err(EcrError::LayersNotFound(format!(
                "The layer with digest '{digest}' does not exist in the repository with name '{name}' in the registry with id '{}'",
                api.control.scope.account_id
            )));
        }
        Err(other) => return Err(other.into()),
    }
    // The registry serves the layer to anyone holding a token, so the URL
    // is the plain blob URL; clients send the same credentials as docker.
    Ok(wire::GetDownloadUrlForLayerResponse {
        download_url: Some(format!(
            "http://{}/v2/{name}/blobs/{digest}",
            api.registry_host
        )),
        layer_digest: Some(digest.to_string()),
    })
}
