//! The two forms a poll answer is written in. The inline form, which every
//! agent reads, carries each new task's definition, overrides and registry
//! credentials with the task. The shared form, for agents that ask for it,
//! carries each definition once per answer and the credentials once: a host
//! given twenty tasks of one revision reads that revision once, not twenty
//! times, and the server writes a quarter of the bytes.

use std::collections::HashMap;
use std::ops::Not;

use berth_model::task::{DesiredStatus, StopCode, TaskOverride};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{
    Assignment, KnownAssignment, PollResponse, RegistryCredentials, ReportResult, SharedDefinition,
};

/// How a [`PollResponse`] is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AnswerForm {
    /// Every task in `tasks` carries its definition, its overrides and its
    /// registry credentials.
    #[default]
    Inline,
    /// The answer's distinct definitions are in its `definitions`, each
    /// once, and a task names its definition by place (`definition_ref`).
    /// A task leaves out overrides that change nothing and credentials that
    /// are the answer's own `registry_auth`.
    Shared,
}

impl Serialize for PollResponse {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut definitions = Definitions::default();
        let tasks = self
            .tasks
            .iter()
            .map(|task| match self.form {
                AnswerForm::Inline => AssignmentOut {
                    definition: Some(&task.definition),
                    definition_ref: None,
                    overrides: Some(&task.overrides),
                    registry_auth: task.registry_auth.as_ref(),
                    ..AssignmentOut::of(task)
                },
                AnswerForm::Shared => AssignmentOut {
                    definition: None,
                    definition_ref: Some(definitions.place(&task.definition)),
                    overrides: Some(&task.overrides).filter(|o| **o != TaskOverride::default()),
                    registry_auth: task
                        .registry_auth
                        .as_ref()
                        .filter(|own| Some(*own) != self.registry_auth.as_ref()),
                    ..AssignmentOut::of(task)
                },
            })
            .collect();
        AnswerOut {
            revision: self.revision,
            definitions: definitions.listed,
            tasks,
            running_known: &self.running_known,
            stopping_known: &self.stopping_known,
            registry_auth: self.registry_auth.as_ref(),
            unchanged: self.unchanged,
            changes_only: self.changes_only,
            removed: &self.removed,
            report_results: &self.report_results,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PollResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        AnswerIn::deserialize(deserializer)?
            .resolve()
            .map_err(D::Error::custom)
    }
}

/// The distinct definitions of an answer in the shared form, in the order
/// first named.
#[derive(Default)]
struct Definitions<'a> {
    listed: Vec<&'a SharedDefinition>,
    /// Place in `listed` by the definition's shared allocation. Every task
    /// of a revision the server answers from its definition cache shares
    /// one; two copies of a revision would each be listed, which costs bytes
    /// but reads the same.
    places: HashMap<*const (), usize>,
}

impl<'a> Definitions<'a> {
    fn place(&mut self, definition: &'a SharedDefinition) -> usize {
        *self.places.entry(definition.identity()).or_insert_with(|| {
            self.listed.push(definition);
            self.listed.len() - 1
        })
    }
}

/// A poll answer as written; unset members are left out. The members keep
/// the order the answer always had, so the inline form is what it was.
#[derive(Serialize)]
struct AnswerOut<'a> {
    revision: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    definitions: Vec<&'a SharedDefinition>,
    tasks: Vec<AssignmentOut<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    running_known: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    stopping_known: &'a [KnownAssignment],
    #[serde(skip_serializing_if = "Option::is_none")]
    registry_auth: Option<&'a RegistryCredentials>,
    #[serde(skip_serializing_if = "Not::not")]
    unchanged: bool,
    #[serde(skip_serializing_if = "Not::not")]
    changes_only: bool,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    removed: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    report_results: &'a [ReportResult],
}

/// One task of an answer as written.
#[derive(Serialize)]
struct AssignmentOut<'a> {
    task_arn: &'a str,
    task_id: &'a str,
    desired_status: DesiredStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    definition: Option<&'a SharedDefinition>,
    #[serde(skip_serializing_if = "Option::is_none")]
    definition_ref: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    overrides: Option<&'a TaskOverride>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stop_code: Option<StopCode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stopped_reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    registry_auth: Option<&'a RegistryCredentials>,
}

impl<'a> AssignmentOut<'a> {
    /// The members both forms write alike.
    fn of(task: &'a Assignment) -> AssignmentOut<'a> {
        AssignmentOut {
            task_arn: &task.task_arn,
            task_id: &task.task_id,
            desired_status: task.desired_status,
            definition: None,
            definition_ref: None,
            overrides: None,
            stop_code: task.stop_code,
            stopped_reason: task.stopped_reason.as_deref(),
            registry_auth: None,
        }
    }
}

/// A poll answer as read, in either form.
#[derive(Deserialize)]
struct AnswerIn {
    revision: u64,
    #[serde(default)]
    definitions: Vec<SharedDefinition>,
    tasks: Vec<AssignmentIn>,
    #[serde(default)]
    running_known: Vec<String>,
    #[serde(default)]
    stopping_known: Vec<KnownAssignment>,
    #[serde(default)]
    registry_auth: Option<RegistryCredentials>,
    #[serde(default)]
    unchanged: bool,
    #[serde(default)]
    changes_only: bool,
    #[serde(default)]
    removed: Vec<String>,
    #[serde(default)]
    report_results: Vec<ReportResult>,
}

/// One task of an answer as read, in either form.
#[derive(Deserialize)]
struct AssignmentIn {
    task_arn: String,
    task_id: String,
    desired_status: DesiredStatus,
    #[serde(default)]
    definition: Option<SharedDefinition>,
    #[serde(default)]
    definition_ref: Option<usize>,
    #[serde(default)]
    overrides: TaskOverride,
    #[serde(default)]
    stop_code: Option<StopCode>,
    #[serde(default)]
    stopped_reason: Option<String>,
    #[serde(default)]
    registry_auth: Option<RegistryCredentials>,
}

impl AnswerIn {
    /// Every task with its definition and credentials in place.
    fn resolve(self) -> Result<PollResponse, String> {
        let form = if self.definitions.is_empty() {
            AnswerForm::Inline
        } else {
            AnswerForm::Shared
        };
        let tasks = self
            .tasks
            .into_iter()
            .map(|task| {
                // A task of the shared form leaves out credentials that are
                // the answer's; one of the inline form has what it carries.
                let shared = task.definition_ref.is_some();
                let definition = match (task.definition, task.definition_ref) {
                    (Some(definition), None) => definition,
                    (None, Some(place)) => {
                        self.definitions.get(place).cloned().ok_or_else(|| {
                            format!(
                                "task {} names definition {place} of the answer's {}",
                                task.task_id,
                                self.definitions.len()
                            )
                        })?
                    }
                    (Some(_), Some(_)) => {
                        return Err(format!("task {} names two definitions", task.task_id));
                    }
                    (None, None) => {
                        return Err(format!("task {} comes without a definition", task.task_id));
                    }
                };
                Ok(Assignment {
                    task_arn: task.task_arn,
                    task_id: task.task_id,
                    desired_status: task.desired_status,
                    definition,
                    overrides: task.overrides,
                    stop_code: task.stop_code,
                    stopped_reason: task.stopped_reason,
                    registry_auth: task
                        .registry_auth
                        .or_else(|| shared.then(|| self.registry_auth.clone()).flatten()),
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(PollResponse {
            revision: self.revision,
            tasks,
            running_known: self.running_known,
            stopping_known: self.stopping_known,
            registry_auth: self.registry_auth,
            unchanged: self.unchanged,
            changes_only: self.changes_only,
            removed: self.removed,
            report_results: self.report_results,
            form,
        })
    }
}

#[cfg(test)]
mod tests {
    use berth_model::task::ContainerOverride;
    use berth_model::task_definition::{
        ContainerDefinition, Registration, TaskDefinition, TaskDefinitionSpec,
    };
    use serde_json::{Value, json};

    use super::*;

    fn definition(family: &str, revision: u32) -> SharedDefinition {
        TaskDefinition::register(
            TaskDefinitionSpec {
                family: family.to_owned(),
                containers: vec![ContainerDefinition {
                    name: "web".to_owned(),
                    image: "127.0.0.1:4510/web:1".to_owned(),
                    memory: Some(64),
                    ..Default::default()
                }],
                ..Default::default()
            },
            Registration {
                revision,
                registered_at_ms: 0,
                registered_by: None,
                document_bytes: 100,
            },
        )
        .expect("a valid definition")
        .into()
    }

    fn credentials(password: &str) -> RegistryCredentials {
        RegistryCredentials {
            server_address: "127.0.0.1:4510".to_owned(),
            username: "AWS".to_owned(),
            password: password.to_owned(),
        }
    }

    fn task(id: &str, definition: &SharedDefinition) -> Assignment {
        Assignment {
            task_arn: format!("arn:aws:ecs:us-east-1:000000000000:task/c/{id}"),
            task_id: id.to_owned(),
            desired_status: DesiredStatus::Running,
            definition: definition.clone(),
            overrides: TaskOverride::default(),
            stop_code: None,
            stopped_reason: None,
            registry_auth: Some(credentials("fresh")),
        }
    }

    /// Four tasks of two revisions, one with overrides and one with
    /// credentials of its own, and a task known to stop.
    fn answer(form: AnswerForm) -> PollResponse {
        let (web, api) = (definition("web", 3), definition("api", 1));
        let mut tasks = vec![task("a", &web), task("b", &api), task("c", &web)];
        tasks[1]
            .overrides
            .container_overrides
            .push(ContainerOverride {
                name: "web".to_owned(),
                command: Some(vec!["serve".to_owned()]),
                ..Default::default()
            });
        let mut own = task("d", &definition("web", 3));
        own.registry_auth = Some(credentials("older"));
        own.desired_status = DesiredStatus::Stopped;
        own.stop_code = Some(StopCode::UserInitiated);
        own.stopped_reason = Some("Task stopped by user".to_owned());
        tasks.push(own);
        PollResponse {
            tasks,
            stopping_known: vec![KnownAssignment {
                task_id: "e".to_owned(),
                desired_status: DesiredStatus::Stopped,
                stop_code: None,
                stopped_reason: None,
            }],
            registry_auth: Some(credentials("fresh")),
            changes_only: true,
            form,
            ..PollResponse::whole_set(9)
        }
    }

    fn members(json: &Value) -> Vec<&str> {
        let mut members: Vec<&str> = json
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        members.sort_unstable();
        members
    }

    #[test]
    fn the_inline_form_is_the_answer_as_it_always_was() {
        let original = answer(AnswerForm::Inline);
        let json = serde_json::to_value(&original).expect("encodes");
        assert!(json.get("definitions").is_none(), "{json}");
        for task in json["tasks"].as_array().expect("tasks") {
            // What an agent older than the shared form requires of a task.
            for member in [
                "task_arn",
                "task_id",
                "desired_status",
                "definition",
                "overrides",
            ] {
                assert!(task.get(member).is_some(), "{member} in {task}");
            }
            assert!(task.get("definition_ref").is_none());
            assert!(task.get("registry_auth").is_some());
        }
        // Each task decodes with the derived form of an assignment, as older
        // agents decoded it.
        let tasks: Vec<Assignment> =
            serde_json::from_value(json["tasks"].clone()).expect("old agents' decoding");
        assert_eq!(tasks, original.tasks);
        let back: PollResponse = serde_json::from_value(json).expect("decodes");
        assert_eq!(back, original);
    }

    #[test]
    fn the_shared_form_lists_each_definition_once_and_decodes_the_same() {
        let original = answer(AnswerForm::Shared);
        let json = serde_json::to_value(&original).expect("encodes");
        let definitions = json["definitions"].as_array().expect("definitions");
        // Tasks a and c share one copy; d's is another copy of web:3, listed
        // again since it is not the same allocation.
        let listed: Vec<(&str, u64)> = definitions
            .iter()
            .map(|d| {
                (
                    d["spec"]["family"].as_str().expect("family"),
                    d["revision"].as_u64().expect("revision"),
                )
            })
            .collect();
        assert_eq!(listed, [("web", 3), ("api", 1), ("web", 3)]);
        let tasks = json["tasks"].as_array().expect("tasks");
        let refs: Vec<u64> = tasks
            .iter()
            .map(|t| t["definition_ref"].as_u64().expect("a place"))
            .collect();
        assert_eq!(refs, [0, 1, 0, 2]);
        assert_eq!(
            members(&tasks[0]),
            ["definition_ref", "desired_status", "task_arn", "task_id"],
            "no overrides that change nothing, no credentials that are the answer's"
        );
        assert!(
            tasks[1].get("overrides").is_some(),
            "b's overrides change something"
        );
        assert_eq!(
            tasks[3]["registry_auth"]["password"], "older",
            "credentials other than the answer's stay with their task"
        );
        let back: PollResponse = serde_json::from_value(json.clone()).expect("decodes");
        assert_eq!(back, original);
    }

    #[test]
    fn a_host_given_many_tasks_of_one_revision_reads_it_once() {
        let web = definition("web", 3);
        let tasks: Vec<Assignment> = (0..20).map(|i| task(&format!("t{i}"), &web)).collect();
        let size = |form| {
            let answer = PollResponse {
                tasks: tasks.clone(),
                registry_auth: Some(credentials("fresh")),
                form,
                ..PollResponse::whole_set(4)
            };
            serde_json::to_vec(&answer).expect("encodes").len()
        };
        let (inline, shared) = (size(AnswerForm::Inline), size(AnswerForm::Shared));
        assert!(
            shared * 3 < inline,
            "{shared} bytes shared, {inline} inline"
        );
    }

    #[test]
    fn a_task_without_its_definition_is_refused() {
        let base = json!({"revision": 2, "definitions": [], "tasks": [
            {"task_arn": "arn/a", "task_id": "a", "desired_status": "running"}
        ]});
        let refused = |answer: Value| serde_json::from_value::<PollResponse>(answer).is_err();
        assert!(refused(base.clone()), "no definition");
        let mut beyond = base.clone();
        beyond["tasks"][0]["definition_ref"] = json!(0);
        assert!(refused(beyond), "a place the answer does not have");
        let mut both = serde_json::to_value(answer(AnswerForm::Inline)).expect("encodes");
        both["tasks"][0]["definition_ref"] = json!(0);
        assert!(refused(both), "two definitions");
    }

    #[test]
    fn credentials_come_back_as_written() {
        let round_trip = |answer: &PollResponse| -> PollResponse {
            serde_json::from_slice(&serde_json::to_vec(answer).expect("encodes")).expect("decodes")
        };
        // Inline, a task without credentials stays without, whatever the
        // answer's.
        let mut inline = answer(AnswerForm::Inline);
        inline.tasks[0].registry_auth = None;
        assert_eq!(round_trip(&inline), inline);
        // An answer without credentials of its own keeps its tasks'.
        for form in [AnswerForm::Inline, AnswerForm::Shared] {
            let mut bare = answer(form);
            bare.registry_auth = None;
            let back = round_trip(&bare);
            assert_eq!(back, bare);
            assert_eq!(back.tasks[0].registry_auth, Some(credentials("fresh")));
        }
    }

    #[test]
    fn a_shared_answer_without_tasks_in_full_decodes_the_same() {
        let mut brief = answer(AnswerForm::Shared);
        brief.tasks.clear();
        brief.removed = vec!["gone".to_owned()];
        let json = serde_json::to_vec(&brief).expect("encodes");
        let back: PollResponse = serde_json::from_slice(&json).expect("decodes");
        assert_eq!(
            back, brief,
            "the form is how it is written, not what it says"
        );
        assert_eq!(
            serde_json::to_vec(&back).expect("encodes"),
            json,
            "and written again, the same bytes"
        );
    }
}
