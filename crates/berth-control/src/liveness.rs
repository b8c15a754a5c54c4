//! Instance liveness: an agent that stops polling shows agentConnected
//! false; one silent for longer is declared lost and its tasks are stopped
//! so services can replace them. A short network blip therefore never
//! duplicates a task: nothing is touched until the instance is lost.

use std::time::Duration;

use berth_model::task::StopCode;
use berth_state::tasks::{TASKS, task_key, task_put_ops};
use berth_store::Txn;

use crate::{Control, ControlError, MAX_TXN_ATTEMPTS};

impl Control {
    /// Starts tracking every registered instance, as if just heard from.
    pub async fn seed_heartbeats(&self) -> Result<(), ControlError> {
        let now = self.clock.now_millis();
        let mut after: Option<String> = None;
        loop {
            let page = self.state.clusters.list_all(after.as_deref(), 100).await?;
            for (name, _) in &page.items {
                for instance in self.state.instances.all(name).await? {
                    if instance.is_registered() {
                        self.heartbeats
                            .track(&instance.id, name, instance.agent_connected, now);
                    }
                }
            }
            match page.next_after {
                Some(next) => after = Some(next),
                None => return Ok(()),
            }
        }
    }

    /// Records a poll or registration; reconnects the instance in the store
    /// when it was shown disconnected.
    pub async fn heard_from(&self, cluster: &str, instance_id: &str) -> Result<(), ControlError> {
        let previous = self
            .heartbeats
            .seen(instance_id, cluster, self.clock.now_millis());
        if previous.is_some_and(|p| !p.connected) {
            self.set_agent_connected(cluster, instance_id, true).await?;
        }
        Ok(())
    }

    /// One pass of the liveness rules over every tracked instance.
    pub async fn check_liveness(&self) -> Result<(), ControlError> {
        let now = self.clock.now_millis();
        for (instance_id, liveness) in self.heartbeats.snapshot() {
            let silent_ms = now - liveness.last_seen_ms;
            if liveness.connected && silent_ms > self.config.disconnect_after_ms {
                tracing::warn!(%instance_id, silent_ms, "agent disconnected");
                self.set_agent_connected(&liveness.cluster, &instance_id, false)
                    .await?;
            }
            if !liveness.lost && silent_ms > self.config.lost_after_ms {
                tracing::warn!(%instance_id, silent_ms, "container instance lost; stopping its tasks");
                self.lose_instance(&liveness.cluster, &instance_id, silent_ms)
                    .await?;
                self.heartbeats.set_lost(&instance_id);
            }
        }
        Ok(())
    }

    async fn set_agent_connected(
        &self,
        cluster: &str,
        instance_id: &str,
        connected: bool,
    ) -> Result<(), ControlError> {
        let result = self
            .state
            .instances
            .modify(cluster, instance_id, |current| {
                let Some(mut instance) = current else {
                    return Err(ControlError::InstanceNotFound(instance_id.to_owned()));
                };
                if instance.agent_connected != connected {
                    instance.agent_connected = connected;
                    instance.version += 1;
                }
                Ok(instance)
            })
            .await;
        match result {
            Ok(written) => {
                self.record_instance(cluster, &written.value, written.mod_revision);
                self.heartbeats.set_connected(instance_id, connected);
                Ok(())
            }
            // Deregistered meanwhile: nothing left to track.
            Err(ControlError::InstanceNotFound(_)) => {
                self.heartbeats.forget(instance_id);
                Ok(())
            }
            Err(error) => Err(error),
        }
    }

    /// Marks every task on a lost instance STOPPED and gives its resources
    /// back, one task per commit.
    async fn lose_instance(
        &self,
        cluster: &str,
        instance_id: &str,
        silent_ms: i64,
    ) -> Result<(), ControlError> {
        let reason = format!(
            "Task stopped because its container instance {instance_id} was lost: no contact with its agent for {} s.",
            silent_ms / 1000
        );
        for (task, _) in self.active_tasks_on(cluster, instance_id).await? {
            for _ in 0..MAX_TXN_ATTEMPTS {
                let Some(record) = self.state.tasks.get(cluster, &task.id).await? else {
                    break;
                };
                let mut task = record.value;
                let was = task.desired_status;
                if !task.mark_stopped(
                    StopCode::TerminationNotice,
                    &reason,
                    self.clock.now_millis(),
                ) {
                    break;
                }
                let key = task_key(cluster, &task.id);
                let mut txn = Txn {
                    compares: vec![TASKS.unchanged(&key, record.mod_revision)],
                    ops: task_put_ops(cluster, &task, Some(was)),
                };
                self.add_release(&mut txn, &task).await?;
                if self.state.commit(txn).await? {
                    self.state.tasks.forget(cluster, &task.id);
                    break;
                }
            }
        }
        Ok(())
    }
}

/// Runs the liveness check every second, and task retention and client
/// token expiry every minute, until `shutdown` resolves. Errors are logged
/// and the loops go on.
pub async fn run_controllers(control: Control, shutdown: impl std::future::Future<Output = ()>) {
    if let Err(error) = control.seed_heartbeats().await {
        tracing::error!(%error, "cannot load container instances for liveness tracking");
    }
    let mut liveness_tick = tokio::time::interval(Duration::from_secs(1));
    let mut retention_tick = tokio::time::interval(Duration::from_secs(60));
    liveness_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    retention_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The minute's passes run beside the liveness check: the first after an
    // upgrade may have a day of client tokens to remove, and lost instances
    // must not wait for it.
    let mut passes: Option<tokio::task::JoinHandle<()>> = None;
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => {
                if let Some(passes) = passes {
                    passes.abort();
                }
                return;
            }
            _ = liveness_tick.tick() => {
                if let Err(error) = control.check_liveness().await {
                    tracing::error!(%error, "liveness check failed");
                }
            }
            _ = retention_tick.tick() => {
                if passes.as_ref().is_none_or(|passes| passes.is_finished()) {
                    passes = Some(tokio::spawn(expiry_passes(control.clone())));
                }
            }
        }
    }
}

/// The minute's passes: task retention, then client token expiry.
async fn expiry_passes(control: Control) {
    match control.expire_stopped_tasks().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(n, "expired stopped tasks"),
        Err(error) => tracing::error!(%error, "task retention failed"),
    }
    match control.expire_client_tokens().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(n, "expired client tokens"),
        Err(error) => tracing::error!(%error, "client token expiry failed"),
    }
}
