//! Opaque `nextToken`s and `maxResults` bounds shared by the List operations.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::EcsError;

/// Longest token accepted back from a client.
const MAX_TOKEN_CHARS: usize = 4096;

/// The page size a request asks for: `default` when absent, else 1..=`max`.
pub fn page_size(max_results: Option<i32>, default: usize, max: usize) -> Result<usize, EcsError> {
    match max_results {
        None => Ok(default),
        Some(n) if n >= 1 && n as usize <= max => Ok(n as usize),
        Some(_) => Err(EcsError::InvalidParameter(format!(
            "maxResults must be between 1 and {max}."
        ))),
    }
}

/// A token that resumes `operation` after `position`. Tokens name their
/// operation so one cannot be replayed against another listing.
pub fn encode_token(operation: &str, position: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("1\n{operation}\n{position}"))
}

/// The position a token resumes from; tokens from other operations, other
/// versions or other hands are refused.
pub fn decode_token(operation: &str, token: &str) -> Result<String, EcsError> {
    let invalid = || EcsError::InvalidParameter("Invalid nextToken.".to_owned());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_refuse_foreign_ones() {
        let token = encode_token("ListClusters", "web-2");
        assert_eq!(
            decode_token("ListClusters", &token).ok(),
            Some("web-2".to_owned())
        );
        assert!(decode_token("ListTasks", &token).is_err());
        assert!(decode_token("ListClusters", "not a token!").is_err());
        assert!(decode_token("ListClusters", &"A".repeat(5000)).is_err());
    }

    #[test]
    fn page_sizes_are_bounded() {
        assert_eq!(page_size(None, 100, 100).ok(), Some(100));
        assert_eq!(page_size(Some(5), 100, 100).ok(), Some(5));
        assert!(page_size(Some(0), 100, 100).is_err());
        assert!(page_size(Some(101), 100, 100).is_err());
        assert!(page_size(Some(-1), 100, 100).is_err());
    }
}
