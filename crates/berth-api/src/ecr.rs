//! The ECR API: operation routing, the checks every handler shares
//! (registry id, repository name, paging) and the handlers, one module per
//! resource group, over Berth's registry.

mod error;
mod images;
mod layers;
mod policies;
mod repositories;
pub mod wire;

use axum::body::Bytes;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use berth_registry::RepositoryName;
use berth_registry::meta::RepositoryRecord;

pub use error::EcrError;

use crate::Api;
use crate::error::AwsError;
use crate::protocol::{encode_output, parse_input};

/// Runs `operation` on `body`, returning the encoded output shape.
pub async fn handle(api: &Api, operation: &str, body: &Bytes) -> Result<Vec<u8>, AwsError> {
    let registry_id = api.control.scope.account_id.as_str();
    macro_rules! route {
        ($($name:literal => $handler:path,)*) => {
            match operation {
                $($name => {
                    let input = parse_input(body)?;
                    let output = $handler(api, input)
                        .await
                        .map_err(|error: EcrError| error.into_aws(registry_id))?;
                    encode_output(&output)
                })*
                known if wire::OPERATIONS.contains(&known) => Err(AwsError::client(
                    "UnsupportedFeatureException",
                    format!("{known} is not supported by this version of Berth."),
                )),
                unknown => Err(AwsError::unknown_operation(unknown)),
            }
        };
    }
    route! {
        "GetAuthorizationToken" => get_authorization_token,
        "CreateRepository" => repositories::create_repository,
        "DescribeRepositories" => repositories::describe_repositories,
        "DeleteRepository" => repositories::delete_repository,
        "PutImageTagMutability" => repositories::put_image_tag_mutability,
        "PutImageScanningConfiguration" => repositories::put_image_scanning_configuration,
        "TagResource" => repositories::tag_resource,
        "UntagResource" => repositories::untag_resource,
        "ListTagsForResource" => repositories::list_tags_for_resource,
        "ListImages" => images::list_images,
        "DescribeImages" => images::describe_images,
        "BatchGetImage" => images::batch_get_image,
        "PutImage" => images::put_image,
        "BatchDeleteImage" => images::batch_delete_image,
        "InitiateLayerUpload" => layers::initiate_layer_upload,
        "UploadLayerPart" => layers::upload_layer_part,
        "CompleteLayerUpload" => layers::complete_layer_upload,
        "BatchCheckLayerAvailability" => layers::batch_check_layer_availability,
        "GetDownloadUrlForLayer" => layers::get_download_url_for_layer,
        "PutLifecyclePolicy" => policies::put_lifecycle_policy,
        "GetLifecyclePolicy" => policies::get_lifecycle_policy,
        "DeleteLifecyclePolicy" => policies::delete_lifecycle_policy,
        "StartLifecyclePolicyPreview" => policies::start_lifecycle_policy_preview,
        "GetLifecyclePolicyPreview" => policies::get_lifecycle_policy_preview,
        "SetRepositoryPolicy" => policies::set_repository_policy,
        "GetRepositoryPolicy" => policies::get_repository_policy,
        "DeleteRepositoryPolicy" => policies::delete_repository_policy,
    }
}

/// A token for `docker login`: base64 of `AWS:<password>`, valid 12 hours,
/// with the registry endpoint it is good for.
async fn get_authorization_token(
    api: &Api,
    input: wire::GetAuthorizationTokenRequest,
) -> Result<wire::GetAuthorizationTokenResponse, EcrError> {
    if input
        .registry_ids
        .as_ref()
        .is_some_and(|ids| ids.is_empty() || ids.len() > 10)
    {
        return Err(EcrError::InvalidParameter(
            "registryIds must have between 1 and 10 items.".to_owned(),
        ));
    }
    for id in input.registry_ids.iter().flatten() {
        check_registry_id(api, Some(id))?;
    }
    let Some(authority) = api.registry.config().auth.as_ref() else {
        return Err(AwsError::client(
            "UnsupportedFeatureException",
            "This registry accepts anonymous clients; no token is needed.",
        )
        .into());
    };
    let token = authority.issue();
    let expires_at = token
        .expires_at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |elapsed| elapsed.as_secs_f64());
    let data = wire::AuthorizationData {
        authorization_token: Some(token.authorization_token),
        expires_at: Some(expires_at),
        proxy_endpoint: Some(format!("http://{}", api.registry_host)),
    };
    // One entry per registry asked for; all of them are this registry.
    let n_entries = input.registry_ids.map_or(1, |ids| ids.len().max(1));
    Ok(wire::GetAuthorizationTokenResponse {
        authorization_data: Some(vec![data; n_entries]),
    })
}

/// Checks an optional `registryId`: 12 digits naming this registry.
pub(crate) fn check_registry_id(api: &Api, registry_id: Option<&str>) -> Result<(), EcrError> {
    let Some(id) = registry_id else {
        return Ok(());
    };
    if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(EcrError::InvalidParameter(format!(
            "Invalid parameter at 'registryId' failed to satisfy constraint: 'must satisfy regular expression '[0-9]{{12}}'' ({})",
            crate::error::truncated(id, 32)
        )));
    }
    if id != api.control.scope.account_id {
        return Err(EcrError::InvalidParameter(format!(
            "The registry with id '{id}' is not served here; this registry's id is '{}'.",
            api.control.scope.account_id
        )));
    }
    Ok(())
}

/// Parses a repository name as ECR constrains it: 2 to 256 characters of
/// the OCI name grammar.
pub(crate) fn parse_repository_name(name: Option<&str>) -> Result<RepositoryName, EcrError> {
    let Some(name) = name else {
        return Err(EcrError::InvalidParameter(
            "repositoryName must be specified.".to_owned(),
        ));
    };
    let invalid = || {
        EcrError::InvalidParameter(format!(
            "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*'' ({})",
            crate::error::truncated(name, 64)
        ))
    };
    if name.len() < 2 || name.len() > 256 {
        return Err(invalid());
    }
    RepositoryName::parse(name).map_err(|_| invalid())
}

/// The checks of a request addressing one repository: registry id, name.
pub(crate) fn target(
    api: &Api,
    registry_id: Option<&str>,
    repository_name: Option<&str>,
) -> Result<RepositoryName, EcrError> {
    check_registry_id(api, registry_id)?;
    parse_repository_name(repository_name)
}

/// The record of an existing repository.
pub(crate) async fn existing_repository(
    api: &Api,
    name: &RepositoryName,
) -> Result<RepositoryRecord, EcrError> {
    api.registry
        .repository(name)
        .await?
        .ok_or_else(|| EcrError::RepositoryNotFound {
            name: name.to_string(),
        })
}

/// Epoch seconds as the wire's timestamps.
pub(crate) fn wire_time(secs: u64) -> f64 {
    secs as f64
}

/// The page size a request asks for: `default` when absent, else 1..=`max`.
pub(crate) fn page_size(
    max_results: Option<i32>,
    default: usize,
    max: usize,
) -> Result<usize, EcrError> {
    match max_results {
        None => Ok(default),
        Some(n) if n >= 1 && n as usize <= max => Ok(n as usize),
        Some(_) => Err(EcrError::InvalidParameter(format!(
            "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value between 1 and {max}'"
        ))),
    }
}

/// Longest token accepted back from a client.
const MAX_TOKEN_CHARS: usize = 4096;

/// A token that resumes `operation` after `position`; tokens name their
/// operation so one cannot be replayed against another listing.
pub(crate) fn encode_token(operation: &str, position: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("1\n{operation}\n{position}"))
}

/// The position a token resumes after.
pub(crate) fn decode_token(operation: &str, token: &str) -> Result<String, EcrError> {
    let invalid =
        || EcrError::InvalidParameter("Invalid parameter: nextToken is invalid.".to_owned());
    if token.len() > MAX_TOKEN_CHARS {
        return Err(invalid());
    }
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let mut parts = text.splitn(3, '\n');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("1"), Some(op), Some(position)) if op == operation => Ok(position.to_owned()),
        _ => Err(invalid()),
    }
}

/// One page of `items` (sorted by `key`) after the token's position, with
/// the token for the next page.
pub(crate) fn paginate<T>(
    operation: &str,
    items: Vec<T>,
    key: impl Fn(&T) -> String,
    next_token: Option<&str>,
    size: usize,
) -> Result<(Vec<T>, Option<String>), EcrError> {
    let after = next_token
        .map(|token| decode_token(operation, token))
        .transpose()?;
    let mut page: Vec<T> = items
        .into_iter()
        .filter(|item| after.as_ref().is_none_or(|after| key(item) > *after))
        .take(size + 1)
        .collect();
    let more = page.len() > size;
    page.truncate(size);
    let token = match (more, page.last()) {
        (true, Some(last)) => Some(encode_token(operation, &key(last))),
        _ => None,
    };
    Ok((page, token))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, valid: bool) {
        assert_eq!(parse_repository_name(Some(name)).is_ok(), valid, "{name:?}");
    }

    #[test]
    fn repository_name_table() {
        let long = "a".repeat(257);
        let cases = [
            ("web", true),
            ("project-a/nginx-web-app", true),
            ("a", false),
            ("Upper", false),
            ("a/../b", false),
            ("..", false),
            ("a//b", false),
            ("-a", false),
            (long.as_str(), false),
        ];
        for (name, valid) in cases {
            check(name, valid);
        }
    }

    #[test]
    fn pages_resume_after_their_token() {
        let items: Vec<String> = (0..5).map(|n| format!("i{n}")).collect();
        let (first, token) = paginate("Op", items.clone(), String::clone, None, 2).expect("page");
        assert_eq!(first, vec!["i0", "i1"]);
        let (second, token) =
            paginate("Op", items.clone(), String::clone, token.as_deref(), 2).expect("page");
        assert_eq!(second, vec!["i2", "i3"]);
        let (third, token) =
            paginate("Op", items.clone(), String::clone, token.as_deref(), 2).expect("page");
        assert_eq!((third, token), (vec!["i4".to_owned()], None));
        assert!(
            paginate(
                "Other",
                items,
                String::clone,
                Some(&encode_token("Op", "x")),
                2
            )
            .is_err()
        );
    }
}
