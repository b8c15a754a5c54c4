//! The registry's periodic jobs: applying lifecycle policies and collecting
//! garbage, each on its own interval, for as long as the process runs.

use std::sync::Arc;
use std::time::Duration;

use crate::registry::Registry;

/// How often the periodic jobs run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaintenanceConfig {
    /// Between two lifecycle policy passes.
    pub lifecycle_interval: Duration,
    /// Between two garbage collections.
    pub gc_interval: Duration,
}

/// Default time between lifecycle passes (ECR promises expiry within a day;
/// an hour keeps repositories tidy without constant scanning).
pub const DEFAULT_LIFECYCLE_INTERVAL: Duration = Duration::from_secs(60 * 60);
/// Default time between garbage collections.
pub const DEFAULT_GC_INTERVAL: Duration = Duration::from_secs(60 * 60);

impl Default for MaintenanceConfig {
    fn default() -> Self {
        MaintenanceConfig {
            lifecycle_interval: DEFAULT_LIFECYCLE_INTERVAL,
            gc_interval: DEFAULT_GC_INTERVAL,
        }
    }
}

impl MaintenanceConfig {
    /// The defaults, overridden by `BERTH_LIFECYCLE_INTERVAL_SECS` and
    /// `BERTH_GC_INTERVAL_SECS` (whole seconds, at least 1) when set.
    pub fn from_env() -> MaintenanceConfig {
        let mut config = MaintenanceConfig::default();
        if let Some(interval) = interval_from_env("BERTH_LIFECYCLE_INTERVAL_SECS") {
            config.lifecycle_interval = interval;
        }
        if let Some(interval) = interval_from_env("BERTH_GC_INTERVAL_SECS") {
            config.gc_interval = interval;
        }
        config
    }
}

fn interval_from_env(variable: &str) -> Option<Duration> {
    let text = std::env::var(variable).ok()?;
    match parse_interval(&text) {
        Some(interval) => Some(interval),
        None => {
            tracing::warn!(variable, value = %text, "ignoring an interval that is not a positive number of seconds");
            None
        }
    }
}

/// A positive whole number of seconds.
fn parse_interval(text: &str) -> Option<Duration> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|secs| *secs > 0)
        .map(Duration::from_secs)
}

/// Starts both jobs on the current tokio runtime. They stop when the
/// runtime does.
pub fn spawn(registry: Arc<Registry>, config: MaintenanceConfig) {
    let lifecycle_registry = registry.clone();
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(config.lifecycle_interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if let Err(err) = lifecycle_registry.apply_lifecycle_policies().await {
                tracing::warn!(error = %err, "lifecycle pass failed");
            }
        }
    });
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(config.gc_interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The first tick fires at once; a collection right at start-up would
        // race with clients resuming their pushes for no gain.
        ticker.tick().await;
        loop {
            ticker.tick().await;
            if let Err(err) = registry.collect_garbage().await {
                tracing::warn!(error = %err, "garbage collection failed");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Option<u64>) {
        assert_eq!(
            parse_interval(text),
            expected.map(Duration::from_secs),
            "{text:?}"
        );
    }

    #[test]
    fn interval_table() {
        for (text, expected) in [
            ("1", Some(1)),
            (" 30 ", Some(30)),
            ("0", None),
            ("-1", None),
            ("x", None),
            ("", None),
        ] {
            check(text, expected);
        }
    }
}
