//! Reports waiting for the server's acknowledgement: only the latest report
//! per task is kept (each carries the task's whole state, so older ones add
//! nothing), and a failed send is retried after a capped exponential
//! backoff. Pure: time is passed in.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use berth_model::task::TaskReport;
use tokio::time::Instant;

/// Capped exponential backoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Delay after the first failure.
    pub initial: Duration,
    /// Longest delay.
    pub max: Duration,
}

impl Backoff {
    /// Delay before attempt `failures + 1`, before jitter.
    pub fn delay(&self, failures: u32) -> Duration {
        let factor = 1u32
            .checked_shl(failures.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.initial.saturating_mul(factor).min(self.max)
    }

    /// [`Backoff::delay`] scaled by `jitter` (clamped to 0.5..=1.0) so that
    /// many agents failing together do not retry together.
    pub fn jittered(&self, failures: u32, jitter: f64) -> Duration {
        self.delay(failures).mul_f64(jitter.clamp(0.5, 1.0))
    }
}

/// A report's position: `(epoch, seq)`.
pub type Position = (u64, u64);

#[derive(Debug, Clone)]
struct Entry {
    report: TaskReport,
    failures: u32,
    next_try: Instant,
}

/// The latest unacknowledged report of each task.
#[derive(Debug, Clone)]
pub struct Outbox {
    backoff: Backoff,
    entries: BTreeMap<String, Entry>,
}

impl Outbox {
    /// An empty outbox retrying with `backoff`.
    pub fn new(backoff: Backoff) -> Self {
        Outbox {
            backoff,
            entries: BTreeMap::new(),
        }
    }

    /// Queues `report`, due at once; a report older than the one queued for
    /// the task is ignored. Returns whether it was queued.
    pub fn push(&mut self, task_arn: &str, report: TaskReport, now: Instant) -> bool {
        let stale = self
            .entries
            .get(task_arn)
            .is_some_and(|existing| position(&existing.report) >= position(&report));
        if stale {
            return false;
        }
        self.entries.insert(
            task_arn.to_string(),
            Entry {
                report,
                failures: 0,
                next_try: now,
            },
        );
        true
    }

    /// Reports due at `now`, in ARN order.
    pub fn due(&self, now: Instant) -> Vec<(String, TaskReport)> {
        self.entries
            .iter()
            .filter(|(_, e)| e.next_try <= now)
            .map(|(arn, e)| (arn.clone(), e.report.clone()))
            .collect()
    }

    /// The server took the report at `at`; it leaves the outbox unless a
    /// newer one replaced it meanwhile. Returns whether it left.
    pub fn remove(&mut self, task_arn: &str, at: Position) -> bool {
        match self.entries.get(task_arn) {
            Some(entry) if position(&entry.report) == at => {
                self.entries.remove(task_arn);
                true
            }
            _ => false,
        }
    }

    /// Sending the report at `at` failed; it is retried after the backoff.
    pub fn failed(&mut self, task_arn: &str, at: Position, now: Instant, jitter: f64) {
        let backoff = self.backoff;
        if let Some(entry) = self
            .entries
            .get_mut(task_arn)
            .filter(|entry| position(&entry.report) == at)
        {
            entry.failures = entry.failures.saturating_add(1);
            entry.next_try = now + backoff.jittered(entry.failures, jitter);
        }
    }

    /// When the next report falls due, if any is queued.
    pub fn next_due(&self) -> Option<Instant> {
        self.entries.values().map(|e| e.next_try).min()
    }

    /// Tasks with a queued report.
    pub fn pending(&self) -> BTreeSet<String> {
        self.entries.keys().cloned().collect()
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The position of a report.
pub fn position(report: &TaskReport) -> Position {
    (report.epoch, report.seq)
}

#[cfg(test)]
mod tests {
    use berth_model::task::{HealthStatus, TaskStatus};

    use super::*;

    const BACKOFF: Backoff = Backoff {
        initial: Duration::from_millis(100),
        max: Duration::from_secs(2),
    };

    fn report(epoch: u64, seq: u64) -> TaskReport {
        TaskReport {
            epoch,
            seq,
            last_status: TaskStatus::Running,
            health_status: HealthStatus::Unknown,
            stop_code: None,
            stopped_reason: None,
            pull_started_at_ms: None,
            pull_stopped_at_ms: None,
            started_at_ms: None,
            stopping_at_ms: None,
            execution_stopped_at_ms: None,
            containers: vec![],
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let cases = [
            (0, 100),
            (1, 100),
            (2, 200),
            (3, 400),
            (5, 1600),
            (6, 2000),
            (40, 2000),
        ];
        for (failures, ms) in cases {
            assert_eq!(
                BACKOFF.delay(failures),
                Duration::from_millis(ms),
                "{failures}"
            );
        }
        assert_eq!(BACKOFF.jittered(3, 0.0), Duration::from_millis(200));
        assert_eq!(BACKOFF.jittered(3, 0.75), Duration::from_millis(300));
    }

    #[test]
    fn keeps_only_the_latest_report_per_task() {
        let now = Instant::now();
        let mut outbox = Outbox::new(BACKOFF);
        assert!(outbox.push("a", report(1, 2), now));
        assert!(!outbox.push("a", report(1, 1), now));
        assert!(!outbox.push("a", report(1, 2), now));
        assert!(outbox.push("a", report(2, 1), now));
        assert!(outbox.push("b", report(1, 1), now));
        let due: Vec<_> = outbox
            .due(now)
            .into_iter()
            .map(|(arn, r)| (arn, position(&r)))
            .collect();
        assert_eq!(
            due,
            vec![("a".to_string(), (2, 1)), ("b".to_string(), (1, 1))]
        );
        // An acknowledgement of an older report leaves the newer one queued.
        assert!(!outbox.remove("a", (1, 2)));
        assert!(outbox.remove("a", (2, 1)));
        assert_eq!(outbox.pending(), BTreeSet::from(["b".to_string()]));
    }

    #[test]
    fn failures_wait_for_the_backoff() {
        let now = Instant::now();
        let mut outbox = Outbox::new(BACKOFF);
        outbox.push("a", report(1, 1), now);
        outbox.failed("a", (1, 1), now, 1.0);
        outbox.failed("a", (1, 1), now, 1.0);
        assert!(outbox.due(now).is_empty());
        assert_eq!(outbox.next_due(), Some(now + Duration::from_millis(200)));
        assert_eq!(outbox.due(now + Duration::from_millis(200)).len(), 1);
        // A newer report is due at once whatever the old one's backoff.
        outbox.push("a", report(1, 2), now);
        assert_eq!(outbox.due(now).len(), 1);
        assert!(outbox.remove("a", (1, 2)));
        assert!(outbox.is_empty());
        assert_eq!(outbox.next_due(), None);
    }
}
