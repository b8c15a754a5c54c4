//! The agent's checkpoint: what must survive a restart or a kill -9 (host
//! id, container instance id, epoch, and per task its last report and
//! assignment), kept as one JSON file replaced atomically (temp file, fsync,
//! rename, fsync of the directory).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use berth_model::task::{TaskReport, TaskStatus};
use berth_protocol::Assignment;
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::reconcile::RecordView;

/// File name of the checkpoint inside the data directory.
pub const CHECKPOINT_FILE: &str = "agent-checkpoint.json";
/// Largest checkpoint the agent reads back; a bigger file is not ours.
pub const MAX_CHECKPOINT_BYTES: u64 = 64 * 1024 * 1024;
const FORMAT: u32 = 1;

/// A failure reading or writing the checkpoint.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    /// The file could not be read, written, synced or renamed.
    #[error("checkpoint I/O on {path} failed")]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file exists but does not parse (or is too large).
    #[error("checkpoint {path} is not a valid agent checkpoint")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },
    /// The file is larger than [`MAX_CHECKPOINT_BYTES`].
    #[error("checkpoint {path} is {bytes} bytes, more than the {MAX_CHECKPOINT_BYTES} allowed")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
    },
}

/// Everything the agent remembers across restarts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Layout version of this file.
    pub format: u32,
    /// Stable identity of the host (`i-` and 17 hex digits).
    pub host_id: String,
    /// Cluster the instance id belongs to.
    pub cluster: String,
    /// Container instance id from the last registration.
    pub container_instance_id: Option<String>,
    /// Bumped at every start before the first report, so reports of a new
    /// run always order after those of earlier runs.
    pub epoch: u64,
    /// Tasks this host has started or reported, by ARN.
    pub tasks: BTreeMap<String, TaskRecord>,
}

/// What the agent remembers about one task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskRecord {
    /// Sequence number of the last report built for the task.
    pub last_seq: u64,
    /// Status in that report (PENDING when the task was just started).
    pub last_status: TaskStatus,
    /// The assignment it was started from, without registry credentials,
    /// so the task can be supervised again after a restart.
    pub assignment: Option<Assignment>,
    /// The latest report the server has not acknowledged yet.
    pub unacked: Option<TaskReport>,
    /// The latest report, acknowledged or not (resent when needed).
    pub last_report: Option<TaskReport>,
}

impl TaskRecord {
    /// The view the reconcile decision needs.
    pub fn view(&self) -> RecordView {
        RecordView {
            last_status: self.last_status,
            has_assignment: self.assignment.is_some(),
        }
    }
}

impl Checkpoint {
    /// A checkpoint for a host seen for the first time.
    pub fn new(cluster: &str, host_id: String) -> Self {
        Checkpoint {
            format: FORMAT,
            host_id,
            cluster: cluster.to_string(),
            container_instance_id: None,
            epoch: 0,
            tasks: BTreeMap::new(),
        }
    }

    /// Path of the checkpoint in `data_dir`.
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(CHECKPOINT_FILE)
    }

    /// Reads the checkpoint of `data_dir`, or starts a new one (with a new
    /// host id) when there is none. A checkpoint of another cluster keeps
    /// its host id and epoch but nothing else: the instance id and tasks
    /// belong to that cluster.
    pub fn load_or_create(data_dir: &Path, cluster: &str) -> Result<Self, CheckpointError> {
        let path = Self::path(data_dir);
        let bytes = match std::fs::metadata(&path) {
            Ok(meta) if meta.len() > MAX_CHECKPOINT_BYTES => {
                return Err(CheckpointError::TooLarge {
                    path,
                    bytes: meta.len(),
                });
            }
            Ok(_) => std::fs::read(&path).map_err(|source| CheckpointError::Io {
                path: path.clone(),
                source,
            })?,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Checkpoint::new(cluster, new_host_id(&mut rand::rng())));
            }
            Err(source) => return Err(CheckpointError::Io { path, source }),
        };
        let mut checkpoint: Checkpoint = serde_json::from_slice(&bytes)
            .map_err(|source| CheckpointError::Corrupt { path, source })?;
        if checkpoint.cluster != cluster {
            tracing::warn!(old = %checkpoint.cluster, new = %cluster, "cluster changed; registering as a new container instance");
            checkpoint.cluster = cluster.to_string();
            checkpoint.container_instance_id = None;
            checkpoint.tasks.clear();
        }
        Ok(checkpoint)
    }

    /// Writes the checkpoint durably: a temp file, fsync, rename over the
    /// old one, fsync of the directory. A crash leaves the old or the new
    /// file, never a mix.
    pub fn save(&self, data_dir: &Path) -> Result<(), CheckpointError> {
        let bytes = serde_json::to_vec(self).map_err(|source| CheckpointError::Corrupt {
            path: Self::path(data_dir),
            source,
        })?;
        write_atomically(data_dir, CHECKPOINT_FILE, &bytes)
    }

    /// The record of `task_arn`, created empty if missing.
    pub fn record_mut(&mut self, task_arn: &str) -> &mut TaskRecord {
        self.tasks
            .entry(task_arn.to_string())
            .or_insert_with(|| TaskRecord {
                last_seq: 0,
                last_status: TaskStatus::Pending,
                assignment: None,
                unacked: None,
                last_report: None,
            })
    }
}

fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), CheckpointError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CheckpointError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let target = dir.join(name);
    let temp = dir.join(format!("{name}.tmp"));
    let mut file = std::fs::File::create(&temp).map_err(io(&temp))?;
    file.write_all(bytes).map_err(io(&temp))?;
    file.sync_all().map_err(io(&temp))?;
    drop(file);
    std::fs::rename(&temp, &target).map_err(io(&target))?;
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(dir))?;
    Ok(())
}

/// A new host id: `i-` and 17 lowercase hex digits, like an EC2 instance id.
pub fn new_host_id(rng: &mut impl Rng) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digits: String = (0..17)
        .map(|_| char::from(HEX[rng.random_range(0..16)]))
        .collect();
    format!("i-{digits}")
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn host_ids_look_like_instance_ids() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let id = new_host_id(&mut rng);
        assert_eq!(id.len(), 19);
        assert!(id.starts_with("i-"));
        assert!(
            id[2..]
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(id, new_host_id(&mut rng));
    }

    #[test]
    fn save_and_load_round_trip() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fresh = Checkpoint::load_or_create(dir.path(), "c").expect("new checkpoint");
        assert_eq!(fresh.epoch, 0);
        let mut checkpoint = fresh.clone();
        checkpoint.epoch = 3;
        checkpoint.container_instance_id = Some("abc".into());
        checkpoint.record_mut("t1").last_seq = 9;
        checkpoint.save(dir.path()).expect("save");
        assert!(!dir.path().join(format!("{CHECKPOINT_FILE}.tmp")).exists());
        let loaded = Checkpoint::load_or_create(dir.path(), "c").expect("load");
        assert_eq!(loaded, checkpoint);

        // Another cluster keeps the host id and epoch only.
        let other = Checkpoint::load_or_create(dir.path(), "d").expect("load other");
        assert_eq!(
            (
                other.host_id.as_str(),
                other.epoch,
                other.container_instance_id,
                other.tasks.len()
            ),
            (checkpoint.host_id.as_str(), 3, None, 0)
        );
    }

    #[test]
    fn corrupt_checkpoint_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(Checkpoint::path(dir.path()), b"{not json").expect("write");
        let err = Checkpoint::load_or_create(dir.path(), "c").expect_err("corrupt");
        assert!(matches!(err, CheckpointError::Corrupt { .. }), "{err:?}");
    }
}
