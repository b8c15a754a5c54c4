//! Conversions between the ECS wire shapes and the domain model. Wire enum
//! strings are parsed here (unknown values answer InvalidParameterException,
//! as ECS does) so the model never sees AWS spellings.

pub mod task_definition;

use berth_model::validation::ValidationError;

/// Longest piece of client input echoed back in an error message.
const MAX_ECHO_CHARS: usize = 64;

/// Defines `parse` (wire text to model value) and `print` (model value to
/// wire text) for one enum shape.
macro_rules! wire_enum {
    ($parse:ident, $print:ident, $ty:ty, $field:literal, { $($variant:path => $text:literal),+ $(,)? }) => {
        /// Parses the wire spelling; unknown values are InvalidParameter.
        // Output-only enums (a revision's status) are never parsed.
        #[allow(dead_code)]
        pub(crate) fn $parse(value: &str) -> Result<$ty, berth_model::validation::ValidationError> {
            match value {
                $($text => Ok($variant),)+
                _ => Err($crate::ecs::convert::invalid_enum($field, value, &[$($text),+])),
            }
        }

        /// The wire spelling.
        pub(crate) fn $print(value: $ty) -> &'static str {
            match value {
                $($variant => $text,)+
            }
        }
    };
}
pub(crate) use wire_enum;

/// The error for an enum value outside the allowed set.
pub(crate) fn invalid_enum(field: &str, value: &str, allowed: &[&str]) -> ValidationError {
    let shown: String = value.chars().take(MAX_ECHO_CHARS).collect();
    ValidationError::invalid_parameter(format!(
        "Invalid value '{shown}' for {field}. Valid values: {}.",
        allowed.join(", ")
    ))
}

/// A member botocore marks required, absent from the request.
pub(crate) fn required<T>(value: Option<T>, field: &str) -> Result<T, ValidationError> {
    value.ok_or_else(|| {
        ValidationError::invalid_parameter(format!("Missing required parameter '{field}'."))
    })
}
