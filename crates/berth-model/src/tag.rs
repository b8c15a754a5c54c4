//! Resource tags and the rules ECS applies to them.

use serde::{Deserialize, Serialize};

/// A key-value tag on a cluster, task definition, task, service or instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// Most tags one resource may carry.
pub const MAX_TAGS: usize = 50;

/// Why a tag list was refused; the message is what the client sees.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TagError(pub String);

/// Checks one tag key: 1–128 allowed characters, not under the reserved
/// `aws:` prefix.
pub fn validate_tag_key(key: &str) -> Result<(), TagError> {
    let n_chars = key.chars().count();
    if n_chars == 0 || n_chars > 128 {
        return Err(TagError(format!(
            "Tag key must be between 1 and 128 characters: '{}'",
            truncate(key)
        )));
    }
    if !key.chars().all(is_tag_char) {
        return Err(TagError(format!(
            "Tag key contains invalid characters: '{}'",
            truncate(key)
        )));
    }
    if key.to_ascii_lowercase().starts_with("aws:") {
        return Err(TagError(
            "Tag keys with the prefix 'aws:' are reserved for AWS use.".to_owned(),
        ));
    }
    Ok(())
}

/// Checks a tag list as it would be stored: each key and value, no repeated
/// keys, at most [`MAX_TAGS`].
pub fn validate_tags(tags: &[Tag]) -> Result<(), TagError> {
    if tags.len() > MAX_TAGS {
        return Err(TagError(format!(
            "A resource can have at most {MAX_TAGS} tags; {} were given.",
            tags.len()
        )));
    }
    for (idx, tag) in tags.iter().enumerate() {
        validate_tag_key(&tag.key)?;
        if tag.value.chars().count() > 256 {
            return Err(TagError(format!(
                "Tag value for key '{}' must be at most 256 characters.",
                tag.key
            )));
        }
        if !tag.value.chars().all(is_tag_char) {
            return Err(TagError(format!(
                "Tag value for key '{}' contains invalid characters.",
                tag.key
            )));
        }
        if tags[..idx].iter().any(|earlier| earlier.key == tag.key) {
            return Err(TagError(format!("Duplicate tag key: '{}'", tag.key)));
        }
    }
    Ok(())
}

/// Adds or overwrites `new` tags in `tags`, keeping first-set order.
pub fn merge_tags(tags: &mut Vec<Tag>, new: Vec<Tag>) {
    for tag in new {
        match tags.iter_mut().find(|existing| existing.key == tag.key) {
            Some(existing) => existing.value = tag.value,
            None => tags.push(tag),
        }
    }
}

/// ECS allows letters, numbers, spaces and `_ . : / = + - @` in tags.
fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c)
}

fn truncate(text: &str) -> String {
    text.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(key: &str, value: &str) -> Tag {
        Tag {
            key: key.to_owned(),
            value: value.to_owned(),
        }
    }

    #[test]
    fn validates_tag_lists() {
        let check = |tags: Vec<Tag>, ok: bool| {
            assert_eq!(validate_tags(&tags).is_ok(), ok, "{tags:?}");
        };
        check(vec![tag("team", "web")], true);
        check(vec![tag("a b:c/d=e+f-g@h_i.j", "")], true);
        check(vec![tag("", "x")], false);
        check(vec![tag(&"k".repeat(129), "x")], false);
        check(vec![tag("k", &"v".repeat(257))], false);
        check(vec![tag("aws:owner", "x")], false);
        check(vec![tag("AWS:owner", "x")], false);
        check(vec![tag("k", "x"), tag("k", "y")], false);
        check(vec![tag("k#", "x")], false);
        check((0..51).map(|i| tag(&format!("k{i}"), "v")).collect(), false);
        check((0..50).map(|i| tag(&format!("k{i}"), "v")).collect(), true);
    }

    #[test]
    fn merge_overwrites_and_appends() {
        let mut tags = vec![tag("a", "1"), tag("b", "2")];
        merge_tags(&mut tags, vec![tag("b", "3"), tag("c", "4")]);
        assert_eq!(tags, vec![tag("a", "1"), tag("b", "3"), tag("c", "4")]);
    }
}
