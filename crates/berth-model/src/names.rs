//! Names of families, clusters, services and containers: 1-255 ASCII
//! letters, digits, hyphens and underscores (`^[A-Za-z0-9_-]{1,255}$`).

use crate::validation::ValidationError;

/// The longest name ECS accepts for a family, cluster, service or container.
pub const MAX_NAME_LEN: usize = 255;

/// What a name names; decides the wording and the exception family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// A task definition family (`ClientException`).
    Family,
    /// A cluster (`InvalidParameterException`).
    Cluster,
    /// A service (`InvalidParameterException`).
    Service,
    /// A container inside a task definition (`ClientException`).
    Container,
}

/// Whether `name` matches `^[A-Za-z0-9_-]{1,255}$`.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Checks a name of the given kind; the error text never echoes the name,
/// since an invalid one may be arbitrarily long.
pub fn validate_name(kind: NameKind, name: &str) -> Result<(), ValidationError> {
    if is_valid_name(name) {
        return Ok(());
    }
    let (label, make): (&str, fn(String) -> ValidationError) = match kind {
        NameKind::Family => ("Family", ValidationError::client),
        NameKind::Cluster => ("Cluster name", ValidationError::invalid_parameter),
        NameKind::Service => ("Service name", ValidationError::invalid_parameter),
        NameKind::Container => ("Container name", ValidationError::client),
    };
    if name.is_empty() {
        return Err(make(format!("{label} should not be null or empty.")));
    }
    Err(make(format!(
        "{label} must be 1-255 characters: letters (uppercase and lowercase), numbers, hyphens and underscores."
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(kind: NameKind, name: &str, expected: Result<(), ValidationError>) {
        assert_eq!(validate_name(kind, name), expected, "{name:?}");
    }

    #[test]
    fn names_follow_the_ecs_pattern() {
        let long_ok = "a".repeat(255);
        let too_long = "a".repeat(256);
        let bad = |m: &str| Err(ValidationError::client(m));
        let shape = "Family must be 1-255 characters: letters (uppercase and lowercase), numbers, hyphens and underscores.";
        check(NameKind::Family, "web-app_2", Ok(()));
        check(NameKind::Family, &long_ok, Ok(()));
        check(NameKind::Family, &too_long, bad(shape));
        check(NameKind::Family, "web.app", bad(shape));
        check(NameKind::Family, "wéb", bad(shape));
        check(
            NameKind::Family,
            "",
            bad("Family should not be null or empty."),
        );
        check(
            NameKind::Cluster,
            "my cluster",
            Err(ValidationError::invalid_parameter(
                "Cluster name must be 1-255 characters: letters (uppercase and lowercase), numbers, hyphens and underscores.",
            )),
        );
        check(
            NameKind::Container,
            "",
            bad("Container name should not be null or empty."),
        );
        check(NameKind::Service, "svc-1", Ok(()));
    }
}
