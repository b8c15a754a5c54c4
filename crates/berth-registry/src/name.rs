//! Repository names, tags and manifest references, validated against the
//! OCI distribution grammar before they reach storage keys or paths.

use std::fmt;

use crate::digest::{Digest, DigestError};

/// Longest repository name accepted (the ECR limit).
pub const MAX_NAME_LEN: usize = 256;
/// Longest tag accepted (the OCI limit).
pub const MAX_TAG_LEN: usize = 128;

/// A repository name matching
/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RepositoryName(String);

/// A tag matching `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(String);

/// What a manifest URL names: a tag or a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    Tag(Tag),
    Digest(Digest),
}

/// Why a name, tag or reference was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// The repository name breaks the grammar or the length limit.
    #[error("invalid repository name")]
    InvalidName,
    /// The tag breaks the grammar or the length limit.
    #[error("invalid tag")]
    InvalidTag,
    /// The reference looked like a digest but is not a valid one.
    #[error(transparent)]
    Digest(#[from] DigestError),
}

impl RepositoryName {
    /// Validates `text` as a repository name.
    pub fn parse(text: &str) -> Result<RepositoryName, NameError> {
        if text.is_empty() || text.len() > MAX_NAME_LEN {
            return Err(NameError::InvalidName);
        }
        if text.split('/').all(is_valid_component) {
            Ok(RepositoryName(text.to_string()))
        } else {
            Err(NameError::InvalidName)
        }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One path component: alphanumeric runs joined by `.`, `_`, `__` or `-+`.
fn is_valid_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let is_alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let mut idx = 0;
    loop {
        let run_start = idx;
        while idx < bytes.len() && is_alnum(bytes[idx]) {
            idx += 1;
        }
        if idx == run_start {
            return false;
        }
        if idx == bytes.len() {
            return true;
        }
        let sep_start = idx;
        while idx < bytes.len() && !is_alnum(bytes[idx]) {
            idx += 1;
        }
        let separator = &component[sep_start..idx];
        let valid = separator == "."
            || separator == "_"
            || separator == "__"
            || separator.bytes().all(|b| b == b'-');
        if !valid {
            return false;
        }
    }
}

impl fmt::Display for RepositoryName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Tag {
    /// Validates `text` as a tag.
    pub fn parse(text: &str) -> Result<Tag, NameError> {
        let bytes = text.as_bytes();
        let first_ok = bytes
            .first()
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        let rest_ok = bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        if first_ok && rest_ok && bytes.len() <= MAX_TAG_LEN {
            Ok(Tag(text.to_string()))
        } else {
            Err(NameError::InvalidTag)
        }
    }

    /// The tag as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Reference {
    /// A reference holding `:` is a digest, anything else a tag.
    pub fn parse(text: &str) -> Result<Reference, NameError> {
        if text.contains(':') {
            Ok(Reference::Digest(Digest::parse(text)?))
        } else {
            Ok(Reference::Tag(Tag::parse(text)?))
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reference::Tag(tag) => tag.fmt(f),
            Reference::Digest(digest) => digest.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: bool) {
        assert_eq!(
            RepositoryName::parse(input).is_ok(),
            expected,
            "name {input:?}"
        );
    }

    fn check_tag(input: &str, expected: bool) {
        assert_eq!(Tag::parse(input).is_ok(), expected, "tag {input:?}");
    }

    #[test]
    fn repository_name_table() {
        let cases: &[(&str, bool)] = &[
            ("nginx", true),
            ("a", true),
            ("a/b/c", true),
            ("library/nginx-web_app.v2", true),
            ("a__b", true),
            ("a---b", true),
            ("0abc", true),
            ("", false),
            ("..", false),
            ("a/../b", false),
            ("a/./b", false),
            ("Nginx", false),
            ("a//b", false),
            ("/a", false),
            ("a/", false),
            ("a___b", false),
            ("a.-b", false),
            ("-a", false),
            ("a-", false),
            ("a b", false),
            ("a:b", false),
            ("a@b", false),
            ("é", false),
        ];
        for (input, expected) in cases {
            check(input, *expected);
        }
    }

    #[test]
    fn repository_name_length_limit() {
        check(&"a".repeat(MAX_NAME_LEN), true);
        check(&"a".repeat(MAX_NAME_LEN + 1), false);
    }

    #[test]
    fn tag_table() {
        let cases: &[(&str, bool)] = &[
            ("latest", true),
            ("v1.2.3", true),
            ("_x", true),
            ("A-b_C.d", true),
            ("", false),
            (".x", false),
            ("-x", false),
            ("a/b", false),
            ("a:b", false),
        ];
        for (input, expected) in cases {
            check_tag(input, *expected);
        }
        check_tag(&"a".repeat(MAX_TAG_LEN), true);
        check_tag(&"a".repeat(MAX_TAG_LEN + 1), false);
    }

    #[test]
    fn reference_with_colon_is_a_digest() {
        assert!(matches!(
            Reference::parse("sha256:totallywrong"),
            Err(NameError::Digest(DigestError::Malformed(_)))
        ));
        assert!(matches!(Reference::parse("latest"), Ok(Reference::Tag(_))));
    }
}
