//! Per-repository policy documents: lifecycle policies (stored, previewed
//! and applied by the registry's periodic job) and repository permission
//! policies (validated as IAM-style JSON and stored verbatim).

use berth_registry::lifecycle::parse_policy;
use berth_registry::meta::{LifecyclePreviewRecord, PreviewedImage};
use serde_json::Value;

use super::{EcrError, existing_repository, page_size, paginate, target, wire, wire_time};
use crate::Api;

/// Lifecycle policy text bounds (the API model's).
const LIFECYCLE_TEXT_CHARS: std::ops::RangeInclusive<usize> = 100..=30_720;
/// Longest repository policy (the API model's).
const MAX_POLICY_CHARS: usize = 10_240;

fn lifecycle_missing(api: &Api, name: &str) -> EcrError {
    EcrError::LifecyclePolicyNotFound(format!(
        "Lifecycle policy does not exist for the repository with name '{name}' in the registry with id '{}'",
        api.control.scope.account_id
    ))
}

fn repository_policy_missing(api: &Api, name: &str) -> EcrError {
    EcrError::RepositoryPolicyNotFound(format!(
        "Repository policy does not exist for the repository with name '{name}' in the registry with id '{}'",
        api.control.scope.account_id
    ))
}

/// Checks a lifecycle policy text: length, then the rules.
fn check_lifecycle_text(text: &str) -> Result<(), EcrError> {
    let n_chars = text.chars().count();
    if !LIFECYCLE_TEXT_CHARS.contains(&n_chars) {
        return Err(EcrError::InvalidParameter(format!(
            "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Member must have length between {} and {}'",
            LIFECYCLE_TEXT_CHARS.start(),
            LIFECYCLE_TEXT_CHARS.end()
        )));
    }
    parse_policy(text).map(|_| ()).map_err(|err| {
        EcrError::InvalidParameter(format!(
            "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: '{err}'"
        ))
    })
}

pub async fn put_lifecycle_policy(
    api: &Api,
    input: wire::PutLifecyclePolicyRequest,
) -> Result<wire::PutLifecyclePolicyResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let Some(text) = input.lifecycle_policy_text else {
        return Err(EcrError::InvalidParameter(
            "lifecyclePolicyText must be specified.".to_owned(),
        ));
    };
    check_lifecycle_text(&text)?;
    api.registry
        .update_repository(&name, |record| {
            record.lifecycle_policy = Some(text.clone());
        })
        .await?;
    Ok(wire::PutLifecyclePolicyResponse {
        registry_id: Some(api.control.scope.account_id.clone()),
        repository_name: Some(name.to_string()),
        lifecycle_policy_text: Some(text),
    })
}

pub async fn get_lifecycle_policy(
    api: &Api,
    input: wire::GetLifecyclePolicyRequest,
) -> Result<wire::GetLifecyclePolicyResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let record = existing_repository(api, &name).await?;
    let Some(text) = record.lifecycle_policy else {
        return Err(lifecycle_missing(api, name.as_str()));
    };
    Ok(wire::GetLifecyclePolicyResponse {
        registry_id: Some(api.control.scope.account_id.clone()),
        repository_name: Some(name.to_string()),
        lifecycle_policy_text: Some(text),
        last_evaluated_at: record.lifecycle_evaluated_at.map(wire_time),
    })
}

pub async fn delete_lifecycle_policy(
    api: &Api,
    input: wire::DeleteLifecyclePolicyRequest,
) -> Result<wire::DeleteLifecyclePolicyResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let ((text, evaluated_at), _) = api
        .registry
        .update_repository(&name, |record| {
            (
                record.lifecycle_policy.take(),
                record.lifecycle_evaluated_at,
            )
        })
        .await?;
    let Some(text) = text else {
        return Err(lifecycle_missing(api, name.as_str()));
    };
    Ok(wire::DeleteLifecyclePolicyResponse {
        registry_id: Some(api.control.scope.account_id.clone()),
        repository_name: Some(name.to_string()),
        lifecycle_policy_text: Some(text),
        last_evaluated_at: evaluated_at.map(wire_time),
    })
}

/// Runs the preview at once (evaluation is quick), so the preview is
/// COMPLETE by the time GetLifecyclePolicyPreview asks.
pub async fn start_lifecycle_policy_preview(
    api: &Api,
    input: wire::StartLifecyclePolicyPreviewRequest,
) -> Result<wire::StartLifecyclePolicyPreviewResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let record = existing_repository(api, &name).await?;
    let text = match input.lifecycle_policy_text {
        Some(text) => {
            check_lifecycle_text(&text)?;
            text
        }
        None => record
            .lifecycle_policy
            .ok_or_else(|| lifecycle_missing(api, name.as_str()))?,
    };
    let policy = parse_policy(&text).map_err(|err| EcrError::InvalidParameter(err.to_string()))?;
    let expiring = api.registry.preview_lifecycle(&name, &policy).await?;
    let preview = LifecyclePreviewRecord {
        policy: text.clone(),
        expiring,
    };
    api.registry
        .update_repository(&name, |record| {
            record.lifecycle_preview = Some(preview.clone());
        })
        .await?;
    Ok(wire::StartLifecyclePolicyPreviewResponse {
        registry_id: Some(api.control.scope.account_id.clone()),
        repository_name: Some(name.to_string()),
        lifecycle_policy_text: Some(text),
        status: Some("COMPLETE".to_owned()),
    })
}

pub async fn get_lifecycle_policy_preview(
    api: &Api,
    input: wire::GetLifecyclePolicyPreviewRequest,
) -> Result<wire::GetLifecyclePolicyPreviewResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let record = existing_repository(api, &name).await?;
    let Some(preview) = record.lifecycle_preview else {
        return Err(EcrError::LifecyclePolicyPreviewNotFound(format!(
            "There is no dry run for the repository with name '{name}' in the registry with id '{}'",
            api.control.scope.account_id
        )));
    };
    let tag_status = input.filter.as_ref().and_then(|f| f.tag_status.as_deref());
    let keep: fn(&PreviewedImage) -> bool = match tag_status.unwrap_or("ANY") {
        "ANY" => |_| true,
        "TAGGED" => |image| !image.tags.is_empty(),
        "UNTAGGED" => |image| image.tags.is_empty(),
        _ => {
            return Err(EcrError::InvalidParameter(
                "Invalid parameter at 'tagStatus' failed to satisfy constraint: 'Member must satisfy enum value set: [ANY, TAGGED, UNTAGGED]'".to_owned(),
            ));
        }
    };
    let total = preview.expiring.len();
    let mut selected: Vec<PreviewedImage> = preview.expiring.into_iter().filter(keep).collect();
    let (page, next_token) = match &input.image_ids {
        Some(ids) => {
            if input.max_results.is_some() || input.next_token.is_some() {
                return Err(EcrError::InvalidParameter(
                    "maxResults and nextToken cannot be used with imageIds.".to_owned(),
                ));
            }
            if ids.is_empty() || ids.len() > 100 {
                return Err(EcrError::InvalidParameter(
                    "imageIds must have between 1 and 100 items.".to_owned(),
                ));
            }
            selected.retain(|image| {
                ids.iter().any(|id| {
                    id.image_digest.as_deref() == Some(image.digest.as_str())
                        || id
                            .image_tag
                            .as_ref()
                            .is_some_and(|tag| image.tags.contains(tag))
                })
            });
            (selected, None)
        }
        None => {
            let size = page_size(input.max_results, 100, 100)?;
            // Previews list oldest first; the position is the index.
            let indexed: Vec<(usize, PreviewedImage)> = selected.into_iter().enumerate().collect();
            let (page, token) = paginate(
                "GetLifecyclePolicyPreview",
                indexed,
                |(idx, _)| format!("{idx:010}"),
                input.next_token.as_deref(),
                size,
            )?;
            (page.into_iter().map(|(_, image)| image).collect(), token)
        }
    };
    let results = page
        .into_iter()
        .map(|image| wire::LifecyclePolicyPreviewResult {
            image_tags: (!image.tags.is_empty()).then_some(image.tags),
            image_digest: Some(image.digest),
            image_pushed_at: Some(wire_time(image.pushed_at)),
            action: Some(wire::LifecyclePolicyRuleAction {
                r#type: Some("EXPIRE".to_owned()),
                target_storage_class: None,
            }),
            applied_rule_priority: Some(i32::try_from(image.rule_priority).unwrap_or(i32::MAX)),
            storage_class: None,
        })
        .collect();
    Ok(wire::GetLifecyclePolicyPreviewResponse {
        registry_id: Some(api.control.scope.account_id.clone()),
        repository_name: Some(name.to_string()),
        lifecycle_policy_text: Some(preview.policy),
        status: Some("COMPLETE".to_owned()),
        next_token,
        preview_results: Some(results),
        summary: Some(wire::LifecyclePolicyPreviewSummary {
            expiring_image_total_count: Some(i32::try_from(total).unwrap_or(i32::MAX)),
            transitioning_image_total_counts: None,
        }),
    })
}

/// Why a repository policy document is not an IAM-style policy, if it
/// is not: a JSON object with a `Statement` (one or a list), each with an
/// `Effect` of Allow or Deny, a principal and actions.
fn check_repository_policy(text: &str) -> Result<(), String> {
    let document: Value =
        serde_json::from_str(text).map_err(|err| format!("Invalid JSON policy document: {err}"))?;
    let Some(object) = document.as_object() else {
        return Err("A policy document must be a JSON object".to_owned());
    };
    for key in object.keys() {
        if !["Version", "Id", "Statement"].contains(&key.as_str()) {
            return Err(format!("Unknown policy element {key:?}"));
        }
    }
    if let Some(version) = object.get("Version")
        && !matches!(version.as_str(), Some("2012-10-17" | "2008-10-17"))
    {
        return Err("Version must be 2012-10-17 or 2008-10-17".to_owned());
    }
    let statements = match object.get("Statement") {
        Some(Value::Array(list)) if !list.is_empty() => list.iter().collect::<Vec<_>>(),
        Some(single @ Value::Object(_)) => vec![single],
        _ => return Err("Statement must be a statement or a non-empty list of them".to_owned()),
    };
    for statement in statements {
        let Some(statement) = statement.as_object() else {
            return Err("Each statement must be a JSON object".to_owned());
        };
        if !matches!(
            statement.get("Effect").and_then(Value::as_str),
            Some("Allow" | "Deny")
        ) {
            return Err("Each statement needs an Effect of Allow or Deny".to_owned());
        }
        let has_principal = ["Principal", "NotPrincipal"]
            .iter()
            .any(|key| statement.contains_key(*key));
        if !has_principal {
            return Err("Each statement of a repository policy needs a Principal".to_owned());
        }
        let actions = ["Action", "NotAction"]
            .iter()
            .find_map(|key| statement.get(*key));
        let actions_valid = match actions {
            Some(Value::String(action)) => !action.is_empty(),
            Some(Value::Array(list)) => {
                !list.is_empty()
                    && list
                        .iter()
                        .all(|a| a.as_str().is_some_and(|a| !a.is_empty()))
            }
            _ => false,
        };
        if !actions_valid {
            return Err(
                "Each statement needs an Action (a string or a list of strings)".to_owned(),
            );
        }
        for key in statement.keys() {
            if ![
                "Sid",
                "Effect",
                "Principal",
                "NotPrincipal",
                "Action",
                "NotAction",
                "Resource",
                "NotResource",
                "Condition",
            ]
            .contains(&key.as_str())
            {
                return Err(format!("Unknown statement element {key:?}"));
            }
        }
    }
    Ok(())
}

pub async fn set_repository_policy(
    api: &Api,
    input: wire::SetRepositoryPolicyRequest,
) -> Result<wire::SetRepositoryPolicyResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let Some(text) = input.policy_text else {
        return Err(EcrError::InvalidParameter(
            "policyText must be specified.".to_owned(),
        ));
    };
    if text.chars().count() > MAX_POLICY_CHARS {
        return Err(EcrError::InvalidParameter(format!(
            "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Member must have length less than or equal to {MAX_POLICY_CHARS}'"
        )));
    }
    check_repository_policy(&text).map_err(|reason| {
        EcrError::InvalidParameter(format!(
            "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided: {reason}'"
        ))
    })?;
    api.registry
        .update_repository(&name, |record| record.policy = Some(text.clone()))
        .await?;
    Ok(wire::SetRepositoryPolicyResponse {
        registry_id: Some(api.control.scope.account_id.clone()),
        repository_name: Some(name.to_string()),
        policy_text: Some(text),
    })
}

pub async fn get_repository_policy(
    api: &Api,
    input: wire::GetRepositoryPolicyRequest,
) -> Result<wire::GetRepositoryPolicyResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let record = existing_repository(api, &name).await?;
    let Some(text) = record.policy else {
        return Err(repository_policy_missing(api, name.as_str()));
    };
    Ok(wire::GetRepositoryPolicyResponse {
        registry_id: Some(api.control.scope.account_id.clone()),
        repository_name: Some(name.to_string()),
        policy_text: Some(text),
    })
}

pub async fn delete_repository_policy(
    api: &Api,
    input: wire::DeleteRepositoryPolicyRequest,
) -> Result<wire::DeleteRepositoryPolicyResponse, EcrError> {
    let name = target(
        api,
        input.registry_id.as_deref(),
        input.repository_name.as_deref(),
    )?;
    let (removed, _) = api
        .registry
        .update_repository(&name, |record| record.policy.take())
        .await?;
    let Some(text) = removed else {
        return Err(repository_policy_missing(api, name.as_str()));
    };
    Ok(wire::DeleteRepositoryPolicyResponse {
        registry_id: Some(api.control.scope.account_id.clone()),
        repository_name: Some(name.to_string()),
        policy_text: Some(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, valid: bool) {
        assert_eq!(check_repository_policy(text).is_ok(), valid, "{text}");
    }

    #[test]
    fn repository_policy_table() {
        let allow = r#"{"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage"]}]}"#;
        let cases = [
            (allow, true),
            (
                r#"{"Statement":{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"ecr:*"}}"#,
                true,
            ),
            ("not json", false),
            ("[]", false),
            (r#"{"Statement":[]}"#, false),
            (
                r#"{"Version":"2020-01-01","Statement":{"Effect":"Allow","Principal":"*","Action":"x"}}"#,
                false,
            ),
            (
                r#"{"Statement":{"Effect":"Maybe","Principal":"*","Action":"x"}}"#,
                false,
            ),
            (r#"{"Statement":{"Effect":"Allow","Action":"x"}}"#, false),
            (r#"{"Statement":{"Effect":"Allow","Principal":"*"}}"#, false),
            (
                r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"x","Bogus":1}}"#,
                false,
            ),
        ];
        for (text, valid) in cases {
            check(text, valid);
        }
    }
}
