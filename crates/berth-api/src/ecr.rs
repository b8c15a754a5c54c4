//! The ECR API: operation routing and the handlers, over Berth's registry.

pub mod wire;

use axum::body::Bytes;

use crate::Api;
use crate::error::AwsError;
use crate::protocol::{encode_output, parse_input};

/// Runs `operation` on `body`, returning the encoded output shape.
pub async fn handle(api: &Api, operation: &str, body: &Bytes) -> Result<Vec<u8>, AwsError> {
    macro_rules! route {
        ($($name:literal => $handler:path,)*) => {
            match operation {
                $($name => {
                    let input = parse_input(body)?;
                    let output = $handler(api, input).await?;
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
    }
}

/// A token for `docker login`: base64 of `AWS:<password>`, valid 12 hours,
/// with the registry endpoint it is good for.
async fn get_authorization_token(
    api: &Api,
    input: wire::GetAuthorizationTokenRequest,
) -> Result<wire::GetAuthorizationTokenResponse, AwsError> {
    if input
        .registry_ids
        .as_ref()
        .is_some_and(|ids| ids.len() > 10)
    {
        return Err(AwsError::client(
            "InvalidParameterException",
            "registryIds can have at most 10 items.",
        ));
    }
    let Some(authority) = api.registry.config().auth.as_ref() else {
        return Err(AwsError::client(
            "UnsupportedFeatureException",
            "This registry accepts anonymous clients; no token is needed.",
        ));
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
