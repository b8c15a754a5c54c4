//! ECR lifecycle policies: parsing and validating the policy document, and
//! the pure evaluation that decides which images its rules expire, given the
//! images and the current time (no clock, no store).

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

/// Seconds in one of ECR's `countUnit: days`.
const SECS_PER_DAY: u64 = 24 * 60 * 60;
/// Most `*` wildcards one `tagPatternList` entry may hold (as ECR allows).
const MAX_WILDCARDS: usize = 4;

/// A validated policy, its rules sorted by priority (lowest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecyclePolicy {
    pub rules: Vec<Rule>,
}

/// One rule: which images it looks at and when it expires them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub priority: u32,
    pub selection: TagSelection,
    pub count: CountRule,
}

/// ECR's `tagStatus` with its tag filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagSelection {
    /// Images with at least one tag matching every entry of the filter.
    Tagged(TagFilter),
    /// Images without tags.
    Untagged,
    /// Every image.
    Any,
}

/// How a tagged rule matches tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagFilter {
    /// `tagPrefixList`: each prefix must start some tag of the image.
    Prefixes(Vec<String>),
    /// `tagPatternList`: each wildcard pattern must match some tag.
    Patterns(Vec<String>),
}

/// ECR's `countType` with its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountRule {
    /// `imageCountMoreThan`: keep the newest n, expire the rest.
    MoreThan(u64),
    /// `sinceImagePushed` in days: expire images pushed longer ago.
    OlderThanDays(u64),
}

/// What the evaluation needs to know about one image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFacts {
    pub digest: String,
    pub tags: Vec<String>,
    /// Seconds since the Unix epoch.
    pub pushed_at: u64,
}

/// An image a rule expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiry {
    pub digest: String,
    pub rule_priority: u32,
}

/// Why a policy document was refused (the text is shown to clients).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Lifecycle policy validation failure: {0}")]
pub struct PolicyError(pub String);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawRule {
    rule_priority: i64,
    #[serde(default)]
    description: Option<String>,
    selection: RawSelection,
    action: RawAction,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawSelection {
    tag_status: String,
    #[serde(default)]
    tag_prefix_list: Option<Vec<String>>,
    #[serde(default)]
    tag_pattern_list: Option<Vec<String>>,
    count_type: String,
    #[serde(default)]
    count_unit: Option<String>,
    count_number: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    #[serde(rename = "type")]
    kind: String,
}

/// Parses and validates a lifecycle policy document.
pub fn parse_policy(text: &str) -> Result<LifecyclePolicy, PolicyError> {
    let raw: RawPolicy = serde_json::from_str(text)
        .map_err(|err| PolicyError(format!("the policy is not a valid document: {err}")))?;
    if raw.rules.is_empty() {
        return Err(PolicyError("at least one rule is required".to_string()));
    }
    let mut rules = Vec::with_capacity(raw.rules.len());
    let mut priorities = HashSet::new();
    for rule in raw.rules {
        let parsed = parse_rule(rule)?;
        if !priorities.insert(parsed.priority) {
            return Err(PolicyError(format!(
                "rulePriority {} is used by more than one rule",
                parsed.priority
            )));
        }
        rules.push(parsed);
    }
    rules.sort_by_key(|rule| rule.priority);
    let n_untagged = rules
        .iter()
        .filter(|rule| rule.selection == TagSelection::Untagged)
        .count();
    if n_untagged > 1 {
        return Err(PolicyError(
            "only one rule may select untagged images".to_string(),
        ));
    }
    let last = rules.len() - 1;
    if let Some(idx) = rules
        .iter()
        .position(|rule| rule.selection == TagSelection::Any)
        && idx != last
    {
        return Err(PolicyError(
            "a rule with tagStatus 'any' must have the highest rulePriority".to_string(),
        ));
    }
    Ok(LifecyclePolicy { rules })
}

fn parse_rule(raw: RawRule) -> Result<Rule, PolicyError> {
    let priority = u32::try_from(raw.rule_priority)
        .ok()
        .filter(|priority| *priority >= 1)
        .ok_or_else(|| PolicyError("rulePriority must be a positive integer".to_string()))?;
    if raw.description.as_ref().is_some_and(|d| d.len() > 1024) {
        return Err(PolicyError(format!(
            "rule {priority}: description is longer than 1024 characters"
        )));
    }
    if raw.action.kind != "expire" {
        return Err(PolicyError(format!(
            "rule {priority}: action type must be 'expire'"
        )));
    }
    let selection = raw.selection;
    let filter = match (selection.tag_prefix_list, selection.tag_pattern_list) {
        (Some(_), Some(_)) => {
            return Err(PolicyError(format!(
                "rule {priority}: tagPrefixList and tagPatternList cannot both be set"
            )));
        }
        (Some(prefixes), None) => Some(TagFilter::Prefixes(check_filter_list(
            priority, prefixes, false,
        )?)),
        (None, Some(patterns)) => Some(TagFilter::Patterns(check_filter_list(
            priority, patterns, true,
        )?)),
        (None, None) => None,
    };
    let selection_kind = match (selection.tag_status.as_str(), filter) {
        ("tagged", Some(filter)) => TagSelection::Tagged(filter),
        ("tagged", None) => {
            return Err(PolicyError(format!(
                "rule {priority}: tagStatus 'tagged' requires tagPrefixList or tagPatternList"
            )));
        }
        ("untagged" | "any", Some(_)) => {
            return Err(PolicyError(format!(
                "rule {priority}: tag filters are only allowed with tagStatus 'tagged'"
            )));
        }
        ("untagged", None) => TagSelection::Untagged,
        ("any", None) => TagSelection::Any,
        (other, _) => {
            return Err(PolicyError(format!(
                "rule {priority}: tagStatus {other:?} is not one of tagged, untagged, any"
            )));
        }
    };
    let number = u64::try_from(selection.count_number)
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| {
            PolicyError(format!(
                "rule {priority}: countNumber must be a positive integer"
            ))
        })?;
    let count = match (
        selection.count_type.as_str(),
        selection.count_unit.as_deref(),
    ) {
        ("imageCountMoreThan", None) => CountRule::MoreThan(number),
        ("imageCountMoreThan", Some(_)) => {
            return Err(PolicyError(format!(
                "rule {priority}: countUnit is not allowed with imageCountMoreThan"
            )));
        }
        ("sinceImagePushed", Some("days")) => CountRule::OlderThanDays(number),
        ("sinceImagePushed", _) => {
            return Err(PolicyError(format!(
                "rule {priority}: sinceImagePushed requires countUnit 'days'"
            )));
        }
        (other, _) => {
            return Err(PolicyError(format!(
                "rule {priority}: countType {other:?} is not one of imageCountMoreThan, sinceImagePushed"
            )));
        }
    };
    Ok(Rule {
        priority,
        selection: selection_kind,
        count,
    })
}

fn check_filter_list(
    priority: u32,
    entries: Vec<String>,
    patterns: bool,
) -> Result<Vec<String>, PolicyError> {
    if entries.is_empty() {
        return Err(PolicyError(format!(
            "rule {priority}: tag filter lists cannot be empty"
        )));
    }
    for entry in &entries {
        if entry.is_empty() || entry.len() > 128 {
            return Err(PolicyError(format!(
                "rule {priority}: tag filters must be 1 to 128 characters"
            )));
        }
        if patterns && entry.matches('*').count() > MAX_WILDCARDS {
            return Err(PolicyError(format!(
                "rule {priority}: a tag pattern may hold at most {MAX_WILDCARDS} wildcards"
            )));
        }
    }
    Ok(entries)
}

/// Whether `text` matches `pattern`, where `*` matches any run of
/// characters (including none) and everything else matches itself.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    // Greedy matching with backtracking to the last star: linear in
    // practice, quadratic at worst, never exponential.
    let (mut p_idx, mut t_idx) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t_idx < text.len() {
        if p_idx < pattern.len() && pattern[p_idx] == '*' {
            star = Some((p_idx, t_idx));
            p_idx += 1;
        } else if p_idx < pattern.len() && pattern[p_idx] == text[t_idx] {
            p_idx += 1;
            t_idx += 1;
        } else if let Some((star_p, star_t)) = star {
            p_idx = star_p + 1;
            t_idx = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p_idx..].iter().all(|c| *c == '*')
}

impl TagSelection {
    fn selects(&self, image: &ImageFacts) -> bool {
        match self {
            TagSelection::Any => true,
            TagSelection::Untagged => image.tags.is_empty(),
            TagSelection::Tagged(TagFilter::Prefixes(prefixes)) => prefixes.iter().all(|prefix| {
                image
                    .tags
                    .iter()
                    .any(|tag| tag.starts_with(prefix.as_str()))
            }),
            TagSelection::Tagged(TagFilter::Patterns(patterns)) => patterns
                .iter()
                .all(|pattern| image.tags.iter().any(|tag| wildcard_match(pattern, tag))),
        }
    }
}

/// The images `policy` expires at `now` (seconds since the epoch), oldest
/// first. ECR's rules: rules run by priority; each counts every image its
/// selection matches (even ones a higher rule expires) but only expires
/// images no higher-priority rule selected; an image is expired by at most
/// one rule; older images always go before newer ones.
pub fn evaluate(policy: &LifecyclePolicy, images: &[ImageFacts], now: u64) -> Vec<Expiry> {
    let mut newest_first: Vec<&ImageFacts> = images.iter().collect();
    newest_first.sort_by(|a, b| {
        b.pushed_at
            .cmp(&a.pushed_at)
            .then_with(|| b.digest.cmp(&a.digest))
    });
    let mut claimed: HashSet<&str> = HashSet::new();
    let mut expired: HashMap<&str, u32> = HashMap::new();
    for rule in &policy.rules {
        let selected: Vec<&ImageFacts> = newest_first
            .iter()
            .copied()
            .filter(|image| rule.selection.selects(image))
            .collect();
        let doomed: Vec<&ImageFacts> = match rule.count {
            CountRule::MoreThan(keep) => selected
                .iter()
                .copied()
                .skip(usize::try_from(keep).unwrap_or(usize::MAX))
                .collect(),
            CountRule::OlderThanDays(days) => {
                let cutoff = now.saturating_sub(days.saturating_mul(SECS_PER_DAY));
                selected
                    .iter()
                    .copied()
                    .filter(|image| image.pushed_at < cutoff)
                    .collect()
            }
        };
        for image in doomed {
            if !claimed.contains(image.digest.as_str()) {
                expired
                    .entry(image.digest.as_str())
                    .or_insert(rule.priority);
            }
        }
        claimed.extend(selected.iter().map(|image| image.digest.as_str()));
    }
    newest_first
        .iter()
        .rev()
        .filter_map(|image| {
            expired.get(image.digest.as_str()).map(|priority| Expiry {
                digest: image.digest.clone(),
                rule_priority: *priority,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = SECS_PER_DAY;

    fn image(digest: &str, tags: &[&str], pushed_at: u64) -> ImageFacts {
        ImageFacts {
            digest: digest.to_string(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            pushed_at,
        }
    }

    fn rule(priority: u32, selection: &str, count: &str) -> String {
        format!(
            r#"{{"rulePriority":{priority},"selection":{{{selection},{count}}},"action":{{"type":"expire"}}}}"#
        )
    }

    fn policy(rules: &[String]) -> String {
        format!(r#"{{"rules":[{}]}}"#, rules.join(","))
    }

    /// Evaluates `policy_text` on `images` at day 100 and compares the
    /// expired digests with their rule priorities.
    fn check(policy_text: &str, images: &[ImageFacts], expected: &[(&str, u32)]) {
        let parsed = parse_policy(policy_text).expect("a valid policy");
        let got: Vec<(String, u32)> = evaluate(&parsed, images, 100 * DAY)
            .into_iter()
            .map(|expiry| (expiry.digest, expiry.rule_priority))
            .collect();
        let expected: Vec<(String, u32)> = expected
            .iter()
            .map(|(digest, priority)| (digest.to_string(), *priority))
            .collect();
        assert_eq!(got, expected, "policy {policy_text}");
    }

    #[test]
    fn evaluation_table() {
        let images = vec![
            image("a", &["prod-1"], DAY),
            image("b", &["prod-2", "web"], 2 * DAY),
            image("c", &[], 3 * DAY),
            image("d", &["dev-1"], 4 * DAY),
            image("e", &["prod-3"], 99 * DAY),
            image("f", &[], 99 * DAY + 1),
        ];
        let untagged_keep1 = rule(
            1,
            r#""tagStatus":"untagged""#,
            r#""countType":"imageCountMoreThan","countNumber":1"#,
        );
        let prod_keep1 = rule(
            2,
            r#""tagStatus":"tagged","tagPrefixList":["prod"]"#,
            r#""countType":"imageCountMoreThan","countNumber":1"#,
        );
        let any_older_30d = rule(
            3,
            r#""tagStatus":"any""#,
            r#""countType":"sinceImagePushed","countUnit":"days","countNumber":30"#,
        );
        let any_keep2 = rule(
            3,
            r#""tagStatus":"any""#,
            r#""countType":"imageCountMoreThan","countNumber":2"#,
        );
        let pattern_web = rule(
            1,
            r#""tagStatus":"tagged","tagPatternList":["prod-*","w*b"]"#,
            r#""countType":"imageCountMoreThan","countNumber":0"#,
        );
        let pattern_keep0 = pattern_web.replace(r#""countNumber":0"#, r#""countNumber":1"#);
        let cases: Vec<(String, Vec<(&str, u32)>)> = vec![
            (
                policy(std::slice::from_ref(&untagged_keep1)),
                vec![("c", 1)],
            ),
            (
                policy(std::slice::from_ref(&prod_keep1)),
                vec![("a", 2), ("b", 2)],
            ),
            (
                policy(&[untagged_keep1.clone(), prod_keep1.clone()]),
                vec![("a", 2), ("b", 2), ("c", 1)],
            ),
            // "any" expires only what no earlier rule selected: d (old, dev).
            (
                policy(&[
                    untagged_keep1.clone(),
                    prod_keep1.clone(),
                    any_older_30d.clone(),
                ]),
                vec![("a", 2), ("b", 2), ("c", 1), ("d", 3)],
            ),
            // Counting includes images a higher rule selected: f, e are the
            // newest two, so d goes; a, b, c are claimed by rules 1 and 2.
            (
                policy(&[untagged_keep1.clone(), prod_keep1, any_keep2.clone()]),
                vec![("a", 2), ("b", 2), ("c", 1), ("d", 3)],
            ),
            (
                policy(&[any_keep2]),
                vec![("a", 3), ("b", 3), ("c", 3), ("d", 3)],
            ),
            // Only b has tags matching both patterns; keeping one keeps it.
            (policy(&[pattern_keep0]), vec![]),
            (
                policy(&[any_older_30d]),
                vec![("a", 3), ("b", 3), ("c", 3), ("d", 3)],
            ),
        ];
        for (policy_text, expected) in cases {
            check(&policy_text, &images, &expected);
        }
        // A countNumber of 0 is refused.
        assert!(parse_policy(&policy(&[pattern_web])).is_err());
    }

    #[test]
    fn validation_table() {
        let expire = r#""action":{"type":"expire"}"#;
        let count = r#""countType":"imageCountMoreThan","countNumber":1"#;
        let cases: Vec<(String, bool)> = vec![
            (policy(&[rule(1, r#""tagStatus":"any""#, count)]), true),
            ("not json".to_string(), false),
            (r#"{"rules":[]}"#.to_string(), false),
            (policy(&[rule(0, r#""tagStatus":"any""#, count)]), false),
            (policy(&[rule(1, r#""tagStatus":"tagged""#, count)]), false),
            (
                policy(&[rule(
                    1,
                    r#""tagStatus":"untagged","tagPrefixList":["a"]"#,
                    count,
                )]),
                false,
            ),
            (
                policy(&[rule(1, r#""tagStatus":"sometimes""#, count)]),
                false,
            ),
            (
                policy(&[rule(
                    1,
                    r#""tagStatus":"any""#,
                    r#""countType":"sinceImagePushed","countNumber":1"#,
                )]),
                false,
            ),
            (
                policy(&[rule(
                    1,
                    r#""tagStatus":"any""#,
                    r#""countType":"imageCountMoreThan","countUnit":"days","countNumber":1"#,
                )]),
                false,
            ),
            (
                policy(&[
                    rule(1, r#""tagStatus":"any""#, count),
                    rule(2, r#""tagStatus":"untagged""#, count),
                ]),
                false,
            ),
            (
                policy(&[
                    rule(1, r#""tagStatus":"untagged""#, count),
                    rule(1, r#""tagStatus":"tagged","tagPrefixList":["x"]"#, count),
                ]),
                false,
            ),
            (
                policy(&[rule(
                    1,
                    r#""tagStatus":"tagged","tagPatternList":["a*b*c*d*e*f"]"#,
                    count,
                )]),
                false,
            ),
            (
                format!(
                    r#"{{"rules":[{{"rulePriority":1,"selection":{{"tagStatus":"any",{count}}},"action":{{"type":"archive"}}}}]}}"#
                ),
                false,
            ),
            (
                format!(
                    r#"{{"rules":[{{"rulePriority":1,"selection":{{"tagStatus":"any",{count}}},{expire},"extra":1}}]}}"#
                ),
                false,
            ),
        ];
        for (text, valid) in cases {
            assert_eq!(parse_policy(&text).is_ok(), valid, "policy {text}");
        }
    }

    #[test]
    fn wildcard_table() {
        let cases = [
            ("prod*", "prod-1", true),
            ("prod*", "dev", false),
            ("*", "", true),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "axxbyy", false),
            ("v1.?", "v1.2", false),
            ("exact", "exact", true),
            ("*web", "myweb", true),
            ("**", "x", true),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(
                wildcard_match(pattern, text),
                expected,
                "{pattern} ~ {text}"
            );
        }
    }
}
