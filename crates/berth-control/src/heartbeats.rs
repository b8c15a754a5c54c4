//! When each container instance's agent was last heard from. Kept in memory:
//! a poll every few seconds per agent is too frequent to store durably, and
//! after a server restart every instance simply starts a fresh grace period.

use std::collections::HashMap;
use std::sync::Mutex;

/// What the server knows of one agent's liveness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Liveness {
    pub cluster: String,
    pub last_seen_ms: i64,
    /// Whether the store shows the agent connected.
    pub connected: bool,
    /// Whether the instance was declared lost (its tasks were stopped).
    pub lost: bool,
}

/// The heartbeat table.
#[derive(Debug, Default)]
pub struct Heartbeats {
    entries: Mutex<HashMap<String, Liveness>>,
}

impl Heartbeats {
    /// Records a sign of life; returns the entry as it was before, if any.
    pub fn seen(&self, instance_id: &str, cluster: &str, now_ms: i64) -> Option<Liveness> {
        let mut entries = self.lock();
        let previous = entries.get(instance_id).cloned();
        let entry = entries
            .entry(instance_id.to_owned())
            .or_insert_with(|| Liveness {
                cluster: cluster.to_owned(),
                last_seen_ms: now_ms,
                connected: true,
                lost: false,
            });
        entry.last_seen_ms = now_ms;
        entry.lost = false;
        previous
    }

    /// Starts tracking an instance found in the store, as if just seen, so a
    /// restarted server gives every agent a full grace period.
    pub fn track(&self, instance_id: &str, cluster: &str, connected: bool, now_ms: i64) {
        self.lock()
            .entry(instance_id.to_owned())
            .or_insert_with(|| Liveness {
                cluster: cluster.to_owned(),
                last_seen_ms: now_ms,
                connected,
                lost: false,
            });
    }

    /// Updates what the store shows for an instance.
    pub fn set_connected(&self, instance_id: &str, connected: bool) {
        if let Some(entry) = self.lock().get_mut(instance_id) {
            entry.connected = connected;
        }
    }

    /// Marks an instance lost, so its tasks are stopped only once.
    pub fn set_lost(&self, instance_id: &str) {
        if let Some(entry) = self.lock().get_mut(instance_id) {
            entry.lost = true;
        }
    }

    /// Stops tracking a deregistered instance.
    pub fn forget(&self, instance_id: &str) {
        self.lock().remove(instance_id);
    }

    /// A copy of the table, for one pass of the liveness controller.
    pub fn snapshot(&self) -> Vec<(String, Liveness)> {
        self.lock()
            .iter()
            .map(|(id, liveness)| (id.clone(), liveness.clone()))
            .collect()
    }

    /// One instance's entry.
    pub fn get(&self, instance_id: &str) -> Option<Liveness> {
        self.lock().get(instance_id).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Liveness>> {
        // A panic while holding this lock leaves plain data behind; using it
        // is safe, so poisoning is ignored.
        self.entries
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}
