//! A task definition as poll answers carry it. Every task of a revision
//! carries the same definition, and encoding it again for each one was a
//! measurable share of the server's work under load: a [`SharedDefinition`]
//! is encoded once and its JSON reused by every answer that carries it.

use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use berth_model::task_definition::TaskDefinition;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
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
        match serde_json::value::to_raw_value(&self.0.definition) {
            Ok(json) => self.0.json.get_or_init(|| json).serialize(serializer),
            // Not expected of a plain data type; let the serializer say so.
            Err(_) => self.0.definition.serialize(serializer),
        }
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
    use berth_model::task_definition::{ContainerDefinition, Registration, TaskDefinitionSpec};

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
    fn encodes_as_the_definition_does_and_once() {
        let shared = SharedDefinition::new(definition("busybox"));
        let plain = serde_json::to_string(&definition("busybox")).expect("encodes");
        assert_eq!(serde_json::to_string(&shared).expect("encodes"), plain);
        // Clones share the encoding made by the first.
        let copy = shared.clone();
        assert!(copy.0.json.get().is_some());
        assert_eq!(serde_json::to_string(&copy).expect("encodes"), plain);
        let back: SharedDefinition = serde_json::from_str(&plain).expect("decodes");
        assert_eq!(back, shared);
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
