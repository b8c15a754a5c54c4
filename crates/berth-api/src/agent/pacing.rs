//! When a poll that found new tasks is answered.
//!
//! Every answer costs the server and the host an exchange, and a host being
//! filled one task at a time (spread placement gives each of a cluster's
//! hosts one task of a RunTask before any gets a second) would otherwise
//! cost one exchange per task. So while the server is busy answering polls,
//! an answer that brings an instance only tasks to run waits until a moment
//! after the instance's last such answer, and the tasks placed on it
//! meanwhile come with it. A quiet server answers at once, and a task to
//! stop is never held.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::Duration;

use berth_store::Revision;
use tokio::time::Instant;

/// Most time between two answers that bring one instance new tasks while
/// the server is busy: a task placed on a busy host reaches it at most this
/// much later than it could have.
pub const ANSWER_SPACING: Duration = Duration::from_secs(1);

/// Answers bringing new tasks, over the whole server, in the last whole
/// second or the current one, from which it counts as busy. Below it the
/// exchanges cost too little to be worth a task's delay: the fleet bench's
/// full replay answers about 6,500 a second, a person running tasks by hand
/// or a test a few.
pub const BUSY_ANSWERS_PER_SEC: u32 = 500;

const WINDOW: Duration = Duration::from_secs(1);

/// How many answers brought new tasks in the current second and in the one
/// before, seconds counted from the first answer.
#[derive(Debug, Clone)]
pub struct AnswerRate {
    window_start: Instant,
    this_window: u32,
    last_window: u32,
}

impl AnswerRate {
    pub fn new(now: Instant) -> AnswerRate {
        AnswerRate {
            window_start: now,
            this_window: 0,
            last_window: 0,
        }
    }

    /// Counts one answer that brought new tasks.
    pub fn record(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.window_start);
        if elapsed >= WINDOW {
            if elapsed < 2 * WINDOW {
                self.last_window = self.this_window;
                self.window_start += WINDOW;
            } else {
                self.last_window = 0;
                self.window_start = now;
            }
            self.this_window = 0;
        }
        self.this_window = self.this_window.saturating_add(1);
    }

    /// Whether the current second or the last whole one reached
    /// [`BUSY_ANSWERS_PER_SEC`].
    pub fn busy(&self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.window_start);
        let (this, last) = if elapsed < WINDOW {
            (self.this_window, self.last_window)
        } else if elapsed < 2 * WINDOW {
            (0, self.this_window)
        } else {
            (0, 0)
        };
        this.max(last) >= BUSY_ANSWERS_PER_SEC
    }
}

/// How long after an answer at `revision` that brought `instance_id` new
/// tasks its next such answer may be held: between half and all of
/// [`ANSWER_SPACING`], spread by instance and revision. Hosts given their
/// first tasks together, as spread placement does, would otherwise come
/// back in step every spacing, and every RunTask would wait for the wave.
pub fn spacing_after(instance_id: &str, revision: Revision) -> Duration {
    // The std hasher's keys are fixed: the same spread on every run.
    let mut hasher = DefaultHasher::new();
    (instance_id, revision).hash(&mut hasher);
    // Whole milliseconds, the timers' own step.
    let half = u64::try_from(ANSWER_SPACING.as_millis() / 2).unwrap_or(u64::MAX);
    Duration::from_millis(half + hasher.finish() % (half + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(rate: &mut AnswerRate, now: Instant, count: u32) {
        for _ in 0..count {
            rate.record(now);
        }
    }

    #[test]
    fn busy_from_the_threshold_within_a_second() {
        let start = Instant::now();
        let mut rate = AnswerRate::new(start);
        answered(&mut rate, start, BUSY_ANSWERS_PER_SEC - 1);
        assert!(!rate.busy(start));
        rate.record(start + Duration::from_millis(999));
        assert!(rate.busy(start + Duration::from_millis(999)));
    }

    #[test]
    fn a_busy_second_counts_through_the_next_and_no_longer() {
        let start = Instant::now();
        let mut rate = AnswerRate::new(start);
        answered(&mut rate, start, BUSY_ANSWERS_PER_SEC);
        assert!(rate.busy(start + Duration::from_millis(1_500)));
        // An answer in the next second moves the count to the last window.
        rate.record(start + Duration::from_millis(1_500));
        assert!(rate.busy(start + Duration::from_millis(1_999)));
        assert!(!rate.busy(start + Duration::from_millis(2_000)));
        // Both windows are over without a new answer.
        let mut quiet = AnswerRate::new(start);
        answered(&mut quiet, start, BUSY_ANSWERS_PER_SEC);
        assert!(!quiet.busy(start + Duration::from_secs(2)));
    }

    #[test]
    fn answers_split_across_seconds_do_not_add_up() {
        let start = Instant::now();
        let mut rate = AnswerRate::new(start);
        let half = BUSY_ANSWERS_PER_SEC / 2;
        answered(&mut rate, start, half);
        answered(&mut rate, start + Duration::from_millis(1_100), half);
        assert!(!rate.busy(start + Duration::from_millis(1_100)));
        // After a long quiet the count starts again from nothing.
        answered(&mut rate, start + Duration::from_secs(5), half);
        assert!(!rate.busy(start + Duration::from_secs(5)));
    }

    #[test]
    fn spacings_stay_within_bounds_and_spread() {
        let spacings: Vec<Duration> = (0..1_000)
            .map(|n| spacing_after(&format!("instance-{n}"), 7))
            .collect();
        assert!(
            spacings
                .iter()
                .all(|s| *s >= ANSWER_SPACING / 2 && *s <= ANSWER_SPACING)
        );
        let early = spacings
            .iter()
            .filter(|s| **s < ANSWER_SPACING * 3 / 4)
            .count();
        assert!(
            (400..600).contains(&early),
            "{early} of 1,000 in the first half"
        );
        assert_eq!(spacing_after("i", 7), spacing_after("i", 7));
        assert_ne!(spacing_after("i", 7), spacing_after("i", 8));
    }
}
