//! A task definition as poll answers carry it. Every task of a revision
//! carries the same definition, and encoding it again for each one was a
//! measurable share of the server's work under load: a [`SharedDefinition`]
//! is encoded once and its JSON reused by every answer that carries it.

use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use berth_model::task_definition::TaskDefinition;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

/// A task definition, cheap to clone, whose JSON is written at most once.
#[derive(Clone)]
pub struct SharedDefinition(Arc<Encoded>);

struct Encoded {
    definition: TaskDefinition,
    json: OnceLock<Box<RawValue>>,
}

impl SharedDefinition {
    pub fn new(definition: TaskDefinition) -> SharedDefinition {
        SharedDefinition(Arc::new(Encoded {
            definition,
            json: OnceLock::new(),
        }))
    }

    /// What copies of this one share: equal for clones, different for
    /// definitions decoded or made apart, even when they are equal.
    pub(crate) fn identity(&self) -> *const () {
        Arc::as_ptr(&self.0).cast()
    }

    /// The definition to change; a copy if it is shared, and encoded anew
    /// when next sent.
    pub fn make_mut(&mut self) -> &mut TaskDefinition {
        if Arc::get_mut(&mut self.0).is_none() {
            *self = SharedDefinition::new(self.0.definition.clone());
        }
        let encoded = Arc::get_mut(&mut self.0).expect("just made unique");
        encoded.json = OnceLock::new();
        &mut encoded.definition
    }
}

impl Deref for SharedDefinition {
    type Target = TaskDefinition;

    fn deref(&self) -> &TaskDefinition {
        &self.0.definition
    }
}

impl From<TaskDefinition> for SharedDefinition {
    fn from(definition: TaskDefinition) -> Self {
        SharedDefinition::new(definition)
    }
}

impl PartialEq for SharedDefinition {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.definition == other.0.definition
    }
}

impl fmt::Debug for SharedDefinition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.definition.fmt(f)
    }
}

impl Serialize for SharedDefinition {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(json) = self.0.json.get() {
            return json.serialize(serializer);
        }
        match compact_json(&self.0.definition) {
            Ok(json) => self.0.json.get_or_init(|| json).serialize(serializer),
            // Not expected of a plain data type; let the serializer say so.
            Err(_) => self.0.definition.serialize(serializer),
        }
    }
}

/// The definition's JSON without its unset members. A definition has
/// dozens of optional members, most of them unset, and their nulls were
/// most of a poll answer's bytes; an agent reads an absent member as unset,
/// as it reads a null.
fn compact_json(definition: &TaskDefinition) -> serde_json::Result<Box<RawValue>> {
    let mut json = serde_json::to_value(definition)?;
    drop_null_members(&mut json);
    serde_json::value::to_raw_value(&json)
}

/// Removes every object member whose value is null, at any depth. Nulls in
/// arrays stay: a tuple's unset element keeps its place.
fn drop_null_members(json: &mut Value) {
    match json {
        Value::Object(members) => {
            members.retain(|_, member| !member.is_null());
            members.values_mut().for_each(drop_null_members);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null_members),
        _ => {}
    }
}

impl<'de> Deserialize<'de> for SharedDefinition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        TaskDefinition::deserialize(deserializer).map(SharedDefinition::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_model::task_definition::{
        ContainerDefinition, EnvironmentVariable, Registration, TaskDefinitionSpec,
    };

    fn definition(image: &str) -> TaskDefinition {
        TaskDefinition::register(
            TaskDefinitionSpec {
                family: "web".to_owned(),
                containers: vec![ContainerDefinition {
                    name: "web".to_owned(),
                    image: image.to_owned(),
                    memory: Some(64),
                    ..Default::default()
                }],
                ..Default::default()
            },
            Registration {
                revision: 3,
                registered_at_ms: 0,
                registered_by: None,
                document_bytes: 100,
            },
        )
        .expect("a valid definition")
    }

    #[test]
    fn encodes_the_definition_without_unset_members_and_once() {
        let shared = SharedDefinition::new(definition("busybox"));
        let json = serde_json::to_string(&shared).expect("encodes");
        assert!(!json.contains("null"), "{json}");
        let plain = serde_json::to_string(&definition("busybox")).expect("encodes");
        assert!(
            json.len() * 2 < plain.len(),
            "{} of {}",
            json.len(),
            plain.len()
        );
        let back: SharedDefinition = serde_json::from_str(&json).expect("decodes");
        assert_eq!(back, shared);
        // Clones share the encoding made by the first.
        let copy = shared.clone();
        assert!(copy.0.json.get().is_some());
        assert_eq!(serde_json::to_string(&copy).expect("encodes"), json);
    }

    #[test]
    fn a_definition_with_members_set_at_every_depth_decodes_as_it_was() {
        let mut full = definition("busybox");
        let spec = &mut full.spec;
        spec.task_role_arn = Some("arn:aws:iam::000000000000:role/web".to_owned());
        spec.cpu = Some("256".to_owned());
        let container = &mut spec.containers[0];
        container.command = Some(vec!["sh".to_owned(), "-c".to_owned(), "true".to_owned()]);
        container.docker_labels = Some([("team".to_owned(), "web".to_owned())].into());
        container.stop_timeout = Some(5);
        // An element of a list whose own member is unset.
        container.environment = Some(vec![EnvironmentVariable {
            name: Some("EMPTY".to_owned()),
            value: None,
        }]);
        let json = serde_json::to_string(&SharedDefinition::new(full.clone())).expect("encodes");
        assert!(!json.contains("null"), "{json}");
        let back: TaskDefinition = serde_json::from_str(&json).expect("decodes");
        assert_eq!(back, full);
    }

    #[test]
    fn nulls_in_arrays_keep_their_places() {
        let mut json = serde_json::json!({
            "a": null,
            "b": [null, {"c": null, "d": 1}],
            "e": {"f": null}
        });
        drop_null_members(&mut json);
        assert_eq!(json, serde_json::json!({"b": [null, {"d": 1}], "e": {}}));
    }

    #[test]
    fn a_changed_copy_is_encoded_anew() {
        let shared = SharedDefinition::new(definition("busybox"));
        serde_json::to_string(&shared).expect("encodes");
        let mut changed = shared.clone();
        changed.make_mut().spec.containers[0].image = "nginx".to_owned();
        let json = serde_json::to_string(&changed).expect("encodes");
        assert!(json.contains("nginx") && !json.contains("busybox"));
        assert_eq!(shared.spec.containers[0].image, "busybox");
    }
}
