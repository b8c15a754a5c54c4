//! Parsing of the SigV4 `Authorization` header. Signatures are not verified
//! yet (that arrives with IAM); a header that is present but malformed is
//! refused the way AWS refuses it.

use crate::error::AwsError;

/// The parts of a SigV4 `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization<'a> {
    pub access_key_id: &'a str,
    pub date: &'a str,
    pub region: &'a str,
    pub service: &'a str,
    pub signed_headers: Vec<&'a str>,
    pub signature: &'a str,
}

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Parses `AWS4-HMAC-SHA256 Credential=AKID/yyyymmdd/region/service/aws4_request,
/// SignedHeaders=a;b, Signature=hex`.
pub fn parse_authorization(header: &str) -> Result<Authorization<'_>, AwsError> {
    let Some(rest) = header.strip_prefix(ALGORITHM) else {
        return Err(incomplete(
            "Authorization header requires AWS4-HMAC-SHA256 as the signing algorithm.",
        ));
    };
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let part = part.trim();
        let Some((name, value)) = part.split_once('=') else {
            return Err(incomplete(&format!(
                "Authorization header requires each component to be of the form name=value; got '{}'.",
                crate::error::truncated(part, 64)
            )));
        };
        match name {
            "Credential" => credential = Some(value),
            "SignedHeaders" => signed_headers = Some(value),
            "Signature" => signature = Some(value),
            _ => {}
        }
    }
    let (Some(credential), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err(incomplete(
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
        ));
    };
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, terminator] = scope[..] else {
        return Err(incomplete(
            "Credential should be scoped to a valid region, service and date: AKID/yyyymmdd/region/service/aws4_request.",
        ));
    };
    if access_key_id.is_empty()
        || date.len() != 8
        || !date.bytes().all(|b| b.is_ascii_digit())
        || region.is_empty()
        || service.is_empty()
        || terminator != "aws4_request"
    {
        return Err(incomplete(
            "Credential should be scoped to a valid region, service and date: AKID/yyyymmdd/region/service/aws4_request.",
        ));
    }
    let signed_headers: Vec<&str> = signed_headers.split(';').collect();
    if signed_headers.iter().any(|h| h.is_empty()) {
        return Err(incomplete(
            "SignedHeaders must list header names separated by ';'.",
        ));
    }
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(incomplete("Signature must be 64 hexadecimal characters."));
    }
    Ok(Authorization {
        access_key_id,
        date,
        region,
        service,
        signed_headers,
        signature,
    })
}

fn incomplete(message: &str) -> AwsError {
    AwsError::client("IncompleteSignatureException", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(header: &str, ok: bool) {
        assert_eq!(parse_authorization(header).is_ok(), ok, "{header}");
    }

    #[test]
    fn parses_what_botocore_sends() {
        let header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261124/us-east-1/ecs/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let auth = parse_authorization(header).expect("valid header");
        assert_eq!(auth.access_key_id, "AKIDEXAMPLE");
        assert_eq!(auth.region, "us-east-1");
        assert_eq!(auth.service, "ecs");
        assert_eq!(auth.signed_headers.len(), 4);
    }

    #[test]
    fn refuses_malformed_headers() {
        let sig = "0".repeat(64);
        check(
            &format!(
                "AWS4-HMAC-SHA256 Credential=A/20260101/r/ecs/aws4_request, SignedHeaders=host, Signature={sig}"
            ),
            true,
        );
        check("Basic dXNlcjpwYXNz", false);
        check("AWS4-HMAC-SHA256", false);
        check(
            &format!(
                "AWS4-HMAC-SHA256 Credential=A/2026/r/ecs/aws4_request, SignedHeaders=host, Signature={sig}"
            ),
            false,
        );
        check(
            &format!(
                "AWS4-HMAC-SHA256 Credential=A/20260101/r/ecs, SignedHeaders=host, Signature={sig}"
            ),
            false,
        );
        check(
            "AWS4-HMAC-SHA256 Credential=A/20260101/r/ecs/aws4_request, SignedHeaders=host, Signature=xyz",
            false,
        );
        check(
            &format!("AWS4-HMAC-SHA256 Credential=A/20260101/r/ecs/aws4_request, Signature={sig}"),
            false,
        );
        check(
            &format!(
                "AWS4-HMAC-SHA256 Credential=A/20260101/r/ecs/aws4_request, SignedHeaders=, Signature={sig}"
            ),
            false,
        );
        check("AWS4-HMAC-SHA256 garbage", false);
    }
}
