//! Repositories: create, describe, delete, tag mutability and scanning
//! settings, and the resource tag operations on repository ARNs.

use berth_model::arn::Arn;
use berth_registry::RepositoryName;
use berth_registry::meta::RepositoryRecord;

use super::{EcrError, existing_repository, page_size, target, wire, wire_time};
use crate::Api;

/// Most tags one repository may carry.
const MAX_TAGS: usize = 50;
/// Most exclusion filters a `*_WITH_EXCLUSION` mutability may list.
const MAX_EXCLUSION_FILTERS: usize = 5;

/// A repository as the wire shows it.
pub fn repository_to_wire(
    api: &Api,
    name: &RepositoryName,
    record: &RepositoryRecord,
) -> wire::Repository {
    let exclusions = (!record.mutability_exclusions.is_empty()).then(|| {
        record
            .mutability_exclusions
            .iter()
            .map(|filter| wire::ImageTagMutabilityExclusionFilter {
                filter_type: Some("WILDCARD".to_owned()),
                filter: Some(filter.clone()),
            })
            .collect()
    });
    let encryption_type = if record.encryption_type.is_empty() {
        "AES256".to_owned()
    } else {
        record.encryption_type.clone()
    };
    wire::Repository {
        repository_arn: Some(api.control.scope.repository_arn(name.as_str())),
        registry_id: Some(api.control.scope.account_id.clone()),
        repository_name: Some(name.to_string()),
        repository_uri: Some(format!("{}/{}", api.registry_host, name)),
        created_at: Some(wire_time(record.created_at)),
        image_tag_mutability: Some(mutability_to_wire(record).to_owned()),
        image_tag_mutability_exclusion_filters: exclusions,
        image_scanning_configuration: Some(wire::ImageScanningConfiguration {
            scan_on_push: Some(record.scan_on_push),
        }),
        encryption_configuration: Some(wire::EncryptionConfiguration {
            encryption_type: Some(encryption_type),
            kms_key: record.kms_key.clone(),
        }),
    }
}

fn mutability_to_wire(record: &RepositoryRecord) -> &'static str {
    match (
        record.immutable_tags,
        record.mutability_exclusions.is_empty(),
    ) {
        (false, true) => "MUTABLE",
        (true, true) => "IMMUTABLE",
        (false, false) => "MUTABLE_WITH_EXCLUSION",
        (true, false) => "IMMUTABLE_WITH_EXCLUSION",
    }
}

/// Parses `imageTagMutability` with its exclusion filters into
/// (immutable, exclusions).
fn parse_mutability(
    mutability: Option<&str>,
    filters: Option<Vec<wire::ImageTagMutabilityExclusionFilter>>,
) -> Result<(bool, Vec<String>), EcrError> {
    let (immutable, with_exclusion) = match mutability.unwrap_or("MUTABLE") {
        "MUTABLE" => (false, false),
        "IMMUTABLE" => (true, false),
        "MUTABLE_WITH_EXCLUSION" => (false, true),
        "IMMUTABLE_WITH_EXCLUSION" => (true, true),
        other => {
            return Err(EcrError::InvalidParameter(format!(
                "Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION]' ({})",
                crate::error::truncated(other, 64)
            )));
        }
    };
    let filters = filters.unwrap_or_default();
    if !with_exclusion {
        if !filters.is_empty() {
            return Err(EcrError::InvalidParameter(
                "imageTagMutabilityExclusionFilters can only be used with IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION.".to_owned(),
            ));
        }
        return Ok((immutable, Vec::new()));
    }
    if filters.is_empty() || filters.len() > MAX_EXCLUSION_FILTERS {
        return Err(EcrError::InvalidParameter(format!(
            "imageTagMutabilityExclusionFilters must have between 1 and {MAX_EXCLUSION_FILTERS} items."
        )));
    }
    let mut out = Vec::with_capacity(filters.len());
    for filter in filters {
        if filter.filter_type.as_deref() != Some("WILDCARD") {
            return Err(EcrError::InvalidParameter(
                "An exclusion filter's filterType must be WILDCARD.".to_owned(),
            ));
        }
        let text = filter.filter.unwrap_or_default();
        let valid = (1..=128).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._*-".contains(&b));
        if !valid {
            return Err(EcrError::InvalidParameter(
                "An exclusion filter must match ^[0-9a-zA-Z._*-]{1,128}$.".to_owned(),
            ));
        }
        out.push(text);
    }
    Ok((immutable, out))
}

pub async fn create_repository(
    api: &Api,
    input: wire::CreateRepositoryRequest,
) -> Result<wire::CreateRepositoryResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let (immutable_tags, mutability_exclusions) = parse_mutability(
        input.image_tag_mutability.as_deref(),
        input.image_tag_mutability_exclusion_filters,
    )?;
    let tags = tags_from_wire(input.tags.unwrap_or_default())?;
    let mut record = RepositoryRecord {
        immutable_tags,
        mutability_exclusions,
        scan_on_push: input
            .image_scanning_configuration
            .and_then(|c| c.scan_on_push)
            .unwrap_or(false),
        ..RepositoryRecord::default()
    };
    merge_tags(&mut record.tags, tags)?;
    if let Some(encryption) = input.encryption_configuration {
        let kind = encryption.encryption_type.unwrap_or_default();
        match kind.as_str() {
            "AES256" if encryption.kms_key.is_some() => {
                return Err(EcrError::InvalidParameter(
                    "kmsKey can only be given with encryptionType KMS or KMS_DSSE.".to_owned(),
                ));
            }
            "AES256" | "KMS" | "KMS_DSSE" => {}
            _ => {
                return Err(EcrError::InvalidParameter(
                    "Invalid parameter at 'encryptionType' failed to satisfy constraint: 'Member must satisfy enum value set: [AES256, KMS, KMS_DSSE]'".to_owned(),
                ));
            }
        }
        if let Some(key) = &encryption.kms_key
            && (key.is_empty() || key.len() > 2048)
        {
            return Err(EcrError::InvalidParameter(
                "kmsKey must be 1 to 2048 characters.".to_owned(),
            ));
        }
        record.kms_key = match kind.as_str() {
            // AWS names its managed key when none is given.
            "KMS" | "KMS_DSSE" => Some(
                encryption
                    .kms_key
                    .unwrap_or_else(|| api.control.scope.arn("kms", "alias/aws/ecr")),
            ),
            _ => None,
        };
        record.encryption_type = kind;
    }
    let created = api.registry.create_repository_with(&name, record).await?;
    Ok(wire::CreateRepositoryResponse {
        repository: Some(repository_to_wire(api, &name, &created)),
    })
}

pub async fn describe_repositories(
    api: &Api,
    input: wire::DescribeRepositoriesRequest,
) -> Result<wire::DescribeRepositoriesResponse, EcrError> {
    super::check_registry_id(api, input.registry_id.as_deref())?;
    if let Some(names) = input.repository_names {
        if input.max_results.is_some() || input.next_token.is_some() {
            return Err(EcrError::InvalidParameter(
                "maxResults and nextToken cannot be used with repositoryNames.".to_owned(),
            ));
        }
        if names.is_empty() || names.len() > 100 {
            return Err(EcrError::InvalidParameter(
                "repositoryNames must have between 1 and 100 items.".to_owned(),
            ));
        }
        let mut repositories = Vec::with_capacity(names.len());
        for name in &names {
            let name = super::parse_repository_name(Some(name))?;
            let record = existing_repository(api, &name).await?;
            repositories.push(repository_to_wire(api, &name, &record));
        }
        return Ok(wire::DescribeRepositoriesResponse {
            repositories: Some(repositories),
            next_token: None,
        });
    }
    let size = page_size(input.max_results, 100, 1000)?;
    let after = input
        .next_token
        .as_deref()
        .map(|token| super::decode_token("DescribeRepositories", token))
        .transpose()?;
    let page = api
        .registry
        .list_repositories(after.as_deref(), size)
        .await?;
    let mut repositories = Vec::with_capacity(page.items.len());
    for name in &page.items {
        let Ok(name) = RepositoryName::parse(name) else {
            continue;
        };
        // A repository deleted between the listing and this read is skipped.
        if let Some(record) = api.registry.repository(&name).await? {
            repositories.push(repository_to_wire(api, &name, &record));
        }
    }
    let next_token = match (page.more, page.items.last()) {
        (true, Some(last)) => Some(super::encode_token("DescribeRepositories", last)),
        _ => None,
    };
    Ok(wire::DescribeRepositoriesResponse {
        repositories: Some(repositories),
        next_token,
    })
}

pub async fn delete_repository(
    api: &Api,
    input: wire::DeleteRepositoryRequest,
) -> Result<wire::DeleteRepositoryResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let record = existing_repository(api, &name).await?;
    api.registry
        .delete_repository(&name, input.force.unwrap_or(false))
        .await?;
    Ok(wire::DeleteRepositoryResponse {
        repository: Some(repository_to_wire(api, &name, &record)),
    })
}

pub async fn put_image_tag_mutability(
    api: &Api,
    input: wire::PutImageTagMutabilityRequest,
) -> Result<wire::PutImageTagMutabilityResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    if input.image_tag_mutability.is_none() {
        return Err(EcrError::InvalidParameter(
            "imageTagMutability must be specified.".to_owned(),
        ));
    }
    let (immutable, exclusions) = parse_mutability(
        input.image_tag_mutability.as_deref(),
        input.image_tag_mutability_exclusion_filters,
    )?;
    let ((), record) = api
        .registry
        .update_repository(&name, |record| {
            record.immutable_tags = immutable;
            record.mutability_exclusions = exclusions.clone();
        })
        .await?;
    let shown = repository_to_wire(api, &name, &record);
    Ok(wire::PutImageTagMutabilityResponse {
        registry_id: shown.registry_id,
        repository_name: shown.repository_name,
        image_tag_mutability: shown.image_tag_mutability,
        image_tag_mutability_exclusion_filters: shown.image_tag_mutability_exclusion_filters,
    })
}

pub async fn put_image_scanning_configuration(
    api: &Api,
    input: wire::PutImageScanningConfigurationRequest,
) -> Result<wire::PutImageScanningConfigurationResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let Some(scan_on_push) = input
        .image_scanning_configuration
        .as_ref()
        .map(|c| c.scan_on_push.unwrap_or(false))
    else {
        return Err(EcrError::InvalidParameter(
            "imageScanningConfiguration must be specified.".to_owned(),
        ));
    };
    api.registry
        .update_repository(&name, |record| record.scan_on_push = scan_on_push)
        .await?;
    Ok(wire::PutImageScanningConfigurationResponse {
        registry_id: Some(api.control.scope.account_id.clone()),
        repository_name: Some(name.to_string()),
        image_scanning_configuration: Some(wire::ImageScanningConfiguration {
            scan_on_push: Some(scan_on_push),
        }),
    })
}

pub async fn tag_resource(
    api: &Api,
    input: wire::TagResourceRequest,
) -> Result<wire::TagResourceResponse, EcrError> {
    let name = repository_from_arn(api, input.resource_arn.as_deref())?;
    let Some(tags) = input.tags else {
        return Err(EcrError::InvalidParameter(
            "tags must be specified.".to_owned(),
        ));
    };
    let tags = tags_from_wire(tags)?;
    let (outcome, _) = api
        .registry
        .update_repository(&name, |record| {
            let mut merged = record.tags.clone();
            merge_tags(&mut merged, tags.clone())?;
            record.tags = merged;
            Ok::<(), EcrError>(())
        })
        .await?;
    outcome?;
    Ok(wire::TagResourceResponse {})
}

pub async fn untag_resource(
    api: &Api,
    input: wire::UntagResourceRequest,
) -> Result<wire::UntagResourceResponse, EcrError> {
    let name = repository_from_arn(api, input.resource_arn.as_deref())?;
    let Some(keys) = input.tag_keys else {
        return Err(EcrError::InvalidParameter(
            "tagKeys must be specified.".to_owned(),
        ));
    };
    if keys.len() > MAX_TAGS {
        return Err(EcrError::InvalidParameter(format!(
            "tagKeys can have at most {MAX_TAGS} items."
        )));
    }
    for key in &keys {
        check_tag_key(key)?;
    }
    api.registry
        .update_repository(&name, |record| {
            record.tags.retain(|(key, _)| !keys.contains(key));
        })
        .await?;
    Ok(wire::UntagResourceResponse {})
}

pub async fn list_tags_for_resource(
    api: &Api,
    input: wire::ListTagsForResourceRequest,
) -> Result<wire::ListTagsForResourceResponse, EcrError> {
    let name = repository_from_arn(api, input.resource_arn.as_deref())?;
    let record = existing_repository(api, &name).await?;
    Ok(wire::ListTagsForResourceResponse {
        tags: Some(
            record
                .tags
                .iter()
                .map(|(key, value)| wire::Tag {
                    key: Some(key.clone()),
                    value: Some(value.clone()),
                })
                .collect(),
        ),
    })
}

/// The repository a resource ARN of this registry names.
fn repository_from_arn(api: &Api, arn: Option<&str>) -> Result<RepositoryName, EcrError> {
    let Some(arn) = arn else {
        return Err(EcrError::InvalidParameter(
            "resourceArn must be specified.".to_owned(),
        ));
    };
    let invalid = || {
        EcrError::InvalidParameter(format!(
            "Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN' ({})",
            crate::error::truncated(arn, 256)
        ))
    };
    let parsed = Arn::parse(arn).ok_or_else(invalid)?;
    match parsed.resource_type() {
        ("repository", name) if parsed.service == "ecr" => {
            let name = super::parse_repository_name(Some(name)).map_err(|_| invalid())?;
            if !parsed.is_in(&api.control.scope) {
                return Err(EcrError::RepositoryNotFound {
                    name: name.to_string(),
                });
            }
            Ok(name)
        }
        _ => Err(invalid()),
    }
}

fn check_tag_key(key: &str) -> Result<(), EcrError> {
    if key.is_empty() || key.chars().count() > 128 {
        return Err(EcrError::InvalidTagParameter(
            "Tag keys must be between 1 and 128 characters.".to_owned(),
        ));
    }
    if key.to_ascii_lowercase().starts_with("aws:") {
        return Err(EcrError::InvalidTagParameter(
            "Tag keys cannot start with the reserved prefix 'aws:'.".to_owned(),
        ));
    }
    Ok(())
}

/// Tags from the wire as (key, value), each checked.
fn tags_from_wire(tags: Vec<wire::Tag>) -> Result<Vec<(String, String)>, EcrError> {
    tags.into_iter()
        .map(|tag| {
            let key = tag.key.ok_or_else(|| {
                EcrError::InvalidTagParameter("Tag keys must be specified.".to_owned())
            })?;
            check_tag_key(&key)?;
            let value = tag.value.unwrap_or_default();
            if value.chars().count() > 256 {
                return Err(EcrError::InvalidTagParameter(
                    "Tag values can be at most 256 characters.".to_owned(),
                ));
            }
            Ok((key, value))
        })
        .collect()
}

/// Adds `new` to `tags`, replacing values of existing keys; more than
/// [`MAX_TAGS`] afterwards is refused.
fn merge_tags(
    tags: &mut Vec<(String, String)>,
    new: Vec<(String, String)>,
) -> Result<(), EcrError> {
    for (key, value) in new {
        match tags.iter_mut().find(|(existing, _)| *existing == key) {
            Some(slot) => slot.1 = value,
            None => tags.push((key, value)),
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(EcrError::TooManyTags(format!(
            "A repository can have at most {MAX_TAGS} tags."
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(mutability: Option<&str>, filters: &[&str], expected: Option<(bool, usize)>) {
        let wire_filters = (!filters.is_empty()).then(|| {
            filters
                .iter()
                .map(|f| wire::ImageTagMutabilityExclusionFilter {
                    filter_type: Some("WILDCARD".to_owned()),
                    filter: Some((*f).to_owned()),
                })
                .collect()
        });
        let got = parse_mutability(mutability, wire_filters)
            .ok()
            .map(|(immutable, exclusions)| (immutable, exclusions.len()));
        assert_eq!(got, expected, "{mutability:?} {filters:?}");
    }

    #[test]
    fn mutability_table() {
        check(None, &[], Some((false, 0)));
        check(Some("MUTABLE"), &[], Some((false, 0)));
        check(Some("IMMUTABLE"), &[], Some((true, 0)));
        check(Some("IMMUTABLE"), &["latest"], None);
        check(
            Some("IMMUTABLE_WITH_EXCLUSION"),
            &["latest", "dev-*"],
            Some((true, 2)),
        );
        check(Some("MUTABLE_WITH_EXCLUSION"), &[], None);
        check(Some("MUTABLE_WITH_EXCLUSION"), &["bad/filter"], None);
        check(Some("mutable"), &[], None);
    }

    #[test]
    fn tags_merge_and_are_bounded() {
        let mut tags = vec![("a".to_owned(), "1".to_owned())];
        merge_tags(
            &mut tags,
            vec![
                ("a".to_owned(), "2".to_owned()),
                ("b".to_owned(), String::new()),
            ],
        )
        .expect("merge");
        assert_eq!(
            tags,
            vec![
                ("a".to_owned(), "2".to_owned()),
                ("b".to_owned(), String::new())
            ]
        );
        let many = (0..50).map(|n| (format!("k{n}"), String::new())).collect();
        assert!(merge_tags(&mut tags, many).is_err());
        assert!(check_tag_key("aws:x").is_err());
        assert!(check_tag_key("").is_err());
    }
}
