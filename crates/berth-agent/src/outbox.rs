//! Reports waiting for the server's acknowledgement: only the latest report
//! per task is kept (each carries the task's whole state, so older ones add
//! nothing), and a failed send is retried after a capped exponential
//! backoff. Reports are taken to be sent, on their own or riding on a poll,
//! and are not due again until the answer settles them, so no report is in
//! two requests at once. Pure: time is passed in.

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
    /// Taken by a request whose answer has not come yet.
    in_flight: bool,
}

/// The latest unacknowledged report of each task.
#[derive(Debug, Clone)]
pub struct Outbox {
    backoff: Backoff,
    entries: BTreeMap<String, Entry>,
    /// Nothing is due to be sent on its own before this: a poll is being
    /// held back for these reports to ride on it.
    held_until: Option<Instant>,
}

impl Outbox {
    /// An empty outbox retrying with `backoff`.
    pub fn new(backoff: Backoff) -> Self {
        Outbox {
            backoff,
            entries: BTreeMap::new(),
            held_until: None,
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
                in_flight: false,
            },
        );
        true
    }

    /// Takes the reports due at `now` to be sent on their own, in ARN
    /// order: none while held. They are not due again until
    /// [`Outbox::remove`] or [`Outbox::failed`] settles them, or
    /// [`Outbox::abandon_in_flight`].
    pub fn take_due(&mut self, now: Instant) -> Vec<(String, TaskReport)> {
        if self.held_until.is_some_and(|until| now < until) {
            return Vec::new();
        }
        self.take(now, usize::MAX)
    }

    /// Takes up to `limit` reports due at `now`, in ARN order, to ride on a
    /// poll, and ends any hold; settled as [`Outbox::take_due`]'s are.
    pub fn take_riders(&mut self, now: Instant, limit: usize) -> Vec<(String, TaskReport)> {
        self.held_until = None;
        self.take(now, limit)
    }

    fn take(&mut self, now: Instant, limit: usize) -> Vec<(String, TaskReport)> {
        self.entries
            .iter_mut()
            .filter(|(_, e)| e.is_due(now))
            .take(limit)
            .map(|(arn, e)| {
                e.in_flight = true;
                (arn.clone(), e.report.clone())
            })
            .collect()
    }

    /// Holds back reports sent on their own until `until`, so that they can
    /// ride on the next poll instead.
    pub fn hold(&mut self, until: Instant) {
        self.held_until = Some(until);
    }

    /// The requests in flight are gone without an answer (the poller was
    /// stopped): their reports are due again as they were, and any hold ends.
    pub fn abandon_in_flight(&mut self) {
        self.held_until = None;
        for entry in self.entries.values_mut() {
            entry.in_flight = false;
        }
    }

    /// Whether a report is queued for each of `task_arns`.
    pub fn holds_reports_for<'a>(&self, mut task_arns: impl Iterator<Item = &'a str>) -> bool {
        task_arns.all(|arn| self.entries.contains_key(arn))
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
            entry.in_flight = false;
        }
    }

    /// When the next report falls due to be sent on its own, if any is
    /// queued and not in flight.
    pub fn next_due(&self) -> Option<Instant> {
        let next = self
            .entries
            .values()
            .filter(|e| !e.in_flight)
            .map(|e| e.next_try)
            .min()?;
        Some(self.held_until.map_or(next, |until| next.max(until)))
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

impl Entry {
    fn is_due(&self, now: Instant) -> bool {
        !self.in_flight && self.next_try <= now
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
            .take_due(now)
            .into_iter()
            .map(|(arn, r)| (arn, position(&r)))
            .collect();
        assert_eq!(
            due,
            vec![("a".to_string(), (2, 1)), ("b".to_string(), (1, 1))]
        );
        // A taken report is not due again until settled, and an
        // acknowledgement of an older report leaves the newer one queued.
        assert!(outbox.take_due(now).is_empty());
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
        assert!(outbox.take_due(now).is_empty());
        assert_eq!(outbox.next_due(), Some(now + Duration::from_millis(200)));
        assert_eq!(outbox.take_due(now + Duration::from_millis(200)).len(), 1);
        // A newer report is due at once whatever the old one's backoff.
        outbox.push("a", report(1, 2), now);
        assert_eq!(outbox.take_due(now).len(), 1);
        assert!(outbox.remove("a", (1, 2)));
        assert!(outbox.is_empty());
        assert_eq!(outbox.next_due(), None);
    }

    fn arns(reports: &[(String, TaskReport)]) -> Vec<&str> {
        reports.iter().map(|(arn, _)| arn.as_str()).collect()
    }

    #[test]
    fn a_hold_keeps_reports_for_the_next_poll() {
        let now = Instant::now();
        let later = now + Duration::from_secs(1);
        let mut outbox = Outbox::new(BACKOFF);
        outbox.hold(later);
        outbox.push("a", report(1, 1), now);
        outbox.push("b", report(1, 2), now);
        // Held: nothing goes on its own before the hold ends.
        assert!(outbox.take_due(now).is_empty());
        assert_eq!(outbox.next_due(), Some(later));
        assert!(outbox.holds_reports_for(["a", "b"].into_iter()));
        assert!(!outbox.holds_reports_for(["a", "c"].into_iter()));
        // Taken by the poll, which ends the hold; at most `limit` ride.
        let riders = outbox.take_riders(now, 1);
        assert_eq!(arns(&riders), ["a"]);
        assert_eq!(outbox.next_due(), Some(now));
        assert_eq!(arns(&outbox.take_due(now)), ["b"]);
    }

    #[test]
    fn riders_are_due_again_only_once_settled() {
        let now = Instant::now();
        let mut outbox = Outbox::new(BACKOFF);
        outbox.push("a", report(1, 1), now);
        outbox.push("b", report(1, 2), now);
        outbox.push("c", report(1, 3), now);
        assert_eq!(arns(&outbox.take_riders(now, 10)), ["a", "b", "c"]);
        assert!(outbox.take_due(now).is_empty());
        assert!(outbox.take_riders(now, 10).is_empty());
        assert_eq!(outbox.next_due(), None);
        // A newer report of a riding task is due at once.
        outbox.push("c", report(1, 4), now);
        assert_eq!(outbox.next_due(), Some(now));
        // The answer settles the riders: taken, refused for now, superseded.
        assert!(outbox.remove("a", (1, 1)));
        outbox.failed("b", (1, 2), now, 1.0);
        assert!(!outbox.remove("c", (1, 3)));
        assert_eq!(
            arns(&outbox.take_due(now + Duration::from_millis(100))),
            ["b", "c"]
        );
    }

    #[test]
    fn abandoned_requests_leave_their_reports_due() {
        let now = Instant::now();
        let mut outbox = Outbox::new(BACKOFF);
        outbox.push("a", report(1, 1), now);
        outbox.take_riders(now, 10);
        outbox.hold(now + Duration::from_secs(1));
        outbox.abandon_in_flight();
        assert_eq!(arns(&outbox.take_due(now)), ["a"]);
    }
}
