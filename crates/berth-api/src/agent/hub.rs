//! Wakes agents' long polls: one watch on the assignment index of the store,
//! fanned out to a channel per container instance holding the revision of
//! the last change to that instance's assignments.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use berth_state::tasks::ASSIGNMENTS_PREFIX;
use berth_store::{KeyRange, Kv, Revision};
use futures::StreamExt;
use tokio::sync::watch;

/// Per-instance change notifications for long polls.
pub struct AssignmentHub {
    channels: Mutex<HashMap<String, watch::Sender<Revision>>>,
    /// Revision at which the hub started (or last lost its watch): every
    /// instance may have changed then, as far as the hub knows.
    baseline: Mutex<Revision>,
}

impl AssignmentHub {
    /// Starts watching `kv`'s assignment index. The watch runs until the
    /// store closes.
    pub async fn start(kv: Arc<dyn Kv>) -> Result<Arc<AssignmentHub>, berth_store::StoreError> {
        let revision = kv.revision().await?;
        let hub = Arc::new(AssignmentHub {
            channels: Mutex::new(HashMap::new()),
            baseline: Mutex::new(revision),
        });
        tokio::spawn(run_watch(hub.clone(), kv, revision + 1));
        Ok(hub)
    }

    /// Waits until the assignments of `instance_id` changed after
    /// `known_revision`, or `wait` passed; tells whether a change was seen.
    /// A change may be committed a moment before the hub sees it, so "no
    /// change" can be briefly out of date, never wrong for long: the next
    /// poll from the same revision wakes as soon as the hub sees it.
    pub async fn wait_for_change(
        &self,
        instance_id: &str,
        known_revision: Revision,
        wait: Duration,
    ) -> bool {
        let mut receiver = self.subscribe(instance_id);
        let waited =
            tokio::time::timeout(wait, receiver.wait_for(|changed| *changed > known_revision))
                .await;
        matches!(waited, Ok(Ok(_)))
    }

    fn subscribe(&self, instance_id: &str) -> watch::Receiver<Revision> {
        let baseline = *lock(&self.baseline);
        lock(&self.channels)
            .entry(instance_id.to_owned())
            .or_insert_with(|| watch::channel(baseline).0)
            .subscribe()
    }

    fn changed(&self, instance_id: &str, revision: Revision) {
        let mut channels = lock(&self.channels);
        match channels.get(instance_id) {
            Some(sender) => {
                sender.send_if_modified(|current| {
                    let newer = revision > *current;
                    if newer {
                        *current = revision;
                    }
                    newer
                });
            }
            None => {
                channels.insert(instance_id.to_owned(), watch::channel(revision).0);
            }
        }
    }

    /// After losing the watch, anything may have changed: every instance
    /// gets the new baseline so its agent fetches its set again.
    fn reset(&self, revision: Revision) {
        *lock(&self.baseline) = revision;
        for sender in lock(&self.channels).values() {
            sender.send_if_modified(|current| {
                let newer = revision > *current;
                if newer {
                    *current = revision;
                }
                newer
            });
        }
    }
}

async fn run_watch(hub: Arc<AssignmentHub>, kv: Arc<dyn Kv>, mut from: Revision) {
    let prefix = ASSIGNMENTS_PREFIX.as_bytes();
    loop {
        let mut stream = match kv.watch(KeyRange::prefix(prefix.to_vec()), from).await {
            Ok(stream) => stream,
            Err(berth_store::StoreError::Closed) => return,
            Err(error) => {
                tracing::warn!(%error, "assignment watch failed; retrying");
                tokio::time::sleep(Duration::from_millis(200)).await;
                match kv.revision().await {
                    Ok(revision) => {
                        hub.reset(revision);
                        from = revision + 1;
                    }
                    Err(_) => return,
                }
                continue;
            }
        };
        while let Some(batch) = stream.next().await {
            match batch {
                Ok(events) => {
                    for event in events {
                        let rest = &event.kv.key[prefix.len()..];
                        let instance_id = rest.split(|b| *b == b'/').next().unwrap_or_default();
                        hub.changed(&String::from_utf8_lossy(instance_id), event.kv.mod_revision);
                        from = from.max(event.kv.mod_revision + 1);
                    }
                }
                Err(berth_store::StoreError::Closed) => return,
                Err(error) => {
                    tracing::warn!(%error, "assignment watch ended; resubscribing");
                    break;
                }
            }
        }
        match kv.revision().await {
            Ok(revision) => {
                hub.reset(revision);
                from = revision + 1;
            }
            Err(_) => return,
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Plain data behind the lock stays valid after a panic elsewhere.
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}
