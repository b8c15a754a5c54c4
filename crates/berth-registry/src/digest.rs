//! Content digests (`sha256:<64 hex>`): parsing against the OCI descriptor
//! grammar, and computing them over bytes. Only sha256 is stored; other
//! well-formed algorithms are recognised so they can be refused precisely.

use std::fmt;

use sha2::{Digest as _, Sha256};

/// A validated sha256 content digest, kept in its canonical text form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest {
    text: String,
}

/// Why a digest string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigestError {
    /// The text does not follow `algorithm ":" encoded`, or a registered
    /// algorithm's encoding rules.
    #[error("malformed digest {0:?}")]
    Malformed(String),
    /// The digest is well formed but uses an algorithm Berth does not store.
    #[error("unsupported digest algorithm {0:?}")]
    UnsupportedAlgorithm(String),
}

/// Longest digest text accepted; bounds the work done on hostile input.
const MAX_DIGEST_LEN: usize = 256;

impl Digest {
    /// Parses `sha256:<64 lowercase hex>`. Other algorithms that fit the
    /// grammar give [`DigestError::UnsupportedAlgorithm`].
    pub fn parse(text: &str) -> Result<Digest, DigestError> {
        let malformed = || DigestError::Malformed(text.chars().take(MAX_DIGEST_LEN).collect());
        if text.len() > MAX_DIGEST_LEN {
            return Err(malformed());
        }
        let (algorithm, encoded) = text.split_once(':').ok_or_else(malformed)?;
        if !is_valid_algorithm(algorithm) || !is_valid_encoded(encoded) {
            return Err(malformed());
        }
        match algorithm {
            "sha256" => {
                if encoded.len() == 64 && encoded.bytes().all(is_lower_hex) {
                    Ok(Digest {
                        text: text.to_string(),
                    })
                } else {
                    Err(malformed())
                }
            }
            "sha512" if !(encoded.len() == 128 && encoded.bytes().all(is_lower_hex)) => {
                Err(malformed())
            }
            other => Err(DigestError::UnsupportedAlgorithm(other.to_string())),
        }
    }

    /// The sha256 digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Digest {
        Digest::from_sha256(Sha256::digest(bytes).into())
    }

    /// The digest with this raw sha256 output.
    pub fn from_sha256(hash: [u8; 32]) -> Digest {
        Digest {
            text: format!("sha256:{}", hex::encode(hash)),
        }
    }

    /// The full text, `sha256:<hex>`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The 64 hex characters after `sha256:`.
    pub fn hex(&self) -> &str {
        &self.text["sha256:".len()..]
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn is_lower_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

/// `algorithm := component (separator component)*`, `component := [a-z0-9]+`,
/// `separator := [+._-]`.
fn is_valid_algorithm(algorithm: &str) -> bool {
    !algorithm.is_empty()
        && algorithm.split(['+', '.', '_', '-']).all(|component| {
            !component.is_empty()
                && component
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// `encoded := [a-zA-Z0-9=_-]+`.
fn is_valid_encoded(encoded: &str) -> bool {
    !encoded.is_empty()
        && encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'=' | b'_' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY_JSON: &str =
        "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    fn check(input: &str, expected: Result<(), &str>) {
        let got = Digest::parse(input).map(|_| ()).map_err(|err| match err {
            DigestError::Malformed(_) => "malformed",
            DigestError::UnsupportedAlgorithm(_) => "unsupported",
        });
        assert_eq!(got, expected, "input {input:?}");
    }

    #[test]
    fn parse_digest_table() {
        let sha512 = format!("sha512:{}", "a".repeat(128));
        let cases: &[(&str, Result<(), &str>)] = &[
            (EMPTY_JSON, Ok(())),
            ("sha256:totallywrong", Err("malformed")),
            ("sha256:", Err("malformed")),
            ("sha256", Err("malformed")),
            ("", Err("malformed")),
            (":abc", Err("malformed")),
            (
                "SHA256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
                Err("malformed"),
            ),
            (
                "sha256:44136FA355B3678A1146AD16F7E8649E94FB4FC21FE77E8310C060F61CAAFF8A",
                Err("malformed"),
            ),
            (
                "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8",
                Err("malformed"),
            ),
            (&sha512, Err("unsupported")),
            ("sha512:abc", Err("malformed")),
            ("blake3:abcdef", Err("unsupported")),
            ("multi+part.alg:abc=", Err("unsupported")),
            ("bad alg:abc", Err("malformed")),
            ("sha256:../../etc/passwd", Err("malformed")),
        ];
        for (input, expected) in cases {
            check(input, *expected);
        }
    }

    #[test]
    fn digest_of_empty_json_matches_oci_empty_descriptor() {
        assert_eq!(Digest::of(b"{}").as_str(), EMPTY_JSON);
        assert_eq!(Digest::of(b"{}").hex(), &EMPTY_JSON[7..]);
    }

    #[test]
    fn overlong_digest_is_malformed() {
        check(&format!("sha256:{}", "a".repeat(1000)), Err("malformed"));
    }
}
