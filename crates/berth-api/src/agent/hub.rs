//! Wakes agents' long polls: one watch on the assignment index of the store,
//! fanned out to a channel per container instance holding the revision of
//! the last change to that instance's assignments. Each instance also keeps
//! a short log of which tasks changed and what their assignment became, so
//! a poll can be answered with only those, without reading the store's
//! index at all. While the server is busy, a poll woken by new tasks only
//! is held for more to join it (`pacing`).

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use berth_model::task::DesiredStatus;
use berth_state::tasks::{ASSIGNMENTS_PREFIX, Assigned};
use berth_store::{EventKind, KeyRange, Kv, Revision};
use futures::StreamExt;
use tokio::sync::watch;

use super::pacing::{AnswerRate, spacing_after};

/// Most changes one instance's log keeps, which bounds the hub's memory to
/// a few kilobytes per instance. Its agent trims the log with every poll,
/// so only an instance whose agent went quiet fills it; past this its polls
/// are answered with the whole set.
const MAX_LOGGED_CHANGES: usize = 256;

/// An instance nobody polled for this long (deregistered, or its agent
/// gone) is forgotten, so instances that come and go do not pile up.
const FORGET_IDLE_AFTER: Duration = Duration::from_secs(600);
/// How often the hub looks for instances to forget.
const FORGET_CHECK_EVERY: Duration = Duration::from_secs(60);

/// Per-instance change notifications for long polls.
pub struct AssignmentHub {
    state: Mutex<HubState>,
}

/// What the hub knows, under one lock: an entry is always made from the
/// baseline of the moment, which forgetting an instance may raise.
struct HubState {
    instances: HashMap<String, Instance>,
    /// Revision at which the hub started (or last lost its watch, or
    /// forgot an instance that had changed since): every instance it holds
    /// no entry for may have changed then, as far as the hub knows.
    baseline: Revision,
    /// When the hub last looked for idle instances to forget.
    last_forget_check: Instant,
    /// Answers that brought some instance new tasks, for whether the
    /// server is busy.
    news_answers: AnswerRate,
}

impl AssignmentHub {
    /// Starts watching `kv`'s assignment index. The watch runs until the
    /// store closes.
    pub async fn start(kv: Arc<dyn Kv>) -> Result<Arc<AssignmentHub>, berth_store::StoreError> {
        let revision = kv.revision().await?;
        let hub = Arc::new(AssignmentHub::new(revision));
        tokio::spawn(run_watch(hub.clone(), kv, revision + 1));
        Ok(hub)
    }

    fn new(baseline: Revision) -> AssignmentHub {
        AssignmentHub {
            state: Mutex::new(HubState {
                instances: HashMap::new(),
                baseline,
                last_forget_check: Instant::now(),
                news_answers: AnswerRate::new(tokio::time::Instant::now()),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HubState> {
        // Plain data behind the lock stays valid after a panic elsewhere.
        self.state
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Waits until the assignments of `instance_id` changed after
    /// `known_revision`, or `wait` passed; tells whether a change was seen.
    /// A change may be committed a moment before the hub sees it, so "no
    /// change" can be briefly out of date, never wrong for long: the next
    /// poll from the same revision wakes as soon as the hub sees it.
    ///
    /// While the server is busy, a change that brings only tasks to run is
    /// told a moment later, when the instance's spacing after its last
    /// answer with new tasks has passed (at most the rest of `wait`), so
    /// that the tasks placed on it meanwhile come in the same answer; any
    /// other change that comes meanwhile, such as a task to stop, ends that
    /// hold at once.
    pub async fn wait_for_change(
        &self,
        instance_id: &str,
        known_revision: Revision,
        wait: Duration,
    ) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        let (mut receiver, mut urgent) = self.subscribe(instance_id);
        let changed = matches!(
            tokio::time::timeout_at(
                deadline,
                receiver.wait_for(|changed| *changed > known_revision)
            )
            .await,
            Ok(Ok(_))
        );
        if changed {
            while let Some(until) =
                self.held_until(instance_id, known_revision, tokio::time::Instant::now())
            {
                // Only a change that may not wait wakes the hold early: the
                // tasks that join it do not.
                tokio::select! {
                    () = tokio::time::sleep_until(until.min(deadline)) => break,
                    seen = urgent.changed() => if seen.is_err() { break },
                }
            }
        }
        changed
    }

    /// Until when an answer to a poll of `instance_id` from `since` is held
    /// at `now`, if it is: the server is busy, the instance's last answer
    /// with new tasks was less than its spacing ago, and every change since
    /// is one that can wait (no task to stop, and all of them in the log).
    fn held_until(
        &self,
        instance_id: &str,
        since: Revision,
        now: tokio::time::Instant,
    ) -> Option<tokio::time::Instant> {
        let state = self.lock();
        if !state.news_answers.busy(now) {
            return None;
        }
        let instance = state.instances.get(instance_id)?;
        let until = instance.next_news_at.filter(|at| *at > now)?;
        let can_wait = *instance.urgent.borrow() <= since;
        can_wait.then_some(until)
    }

    /// What became of the tasks whose assignment to `instance_id` changed
    /// after `since`, as of the revision of the last change, which comes
    /// with them: `None` when the log does not reach back to `since` (the
    /// hub started or lost its watch later, or the log overflowed). The
    /// caller's agent holds everything up to `since`, so older entries are
    /// dropped.
    pub fn changes_since(
        &self,
        instance_id: &str,
        since: Revision,
    ) -> Option<(Vec<Change>, Revision)> {
        let mut guard = self.lock();
        let state = &mut *guard;
        let instance = state.instances.get_mut(instance_id)?;
        instance.polled_at = Instant::now();
        if since < instance.floor {
            return None;
        }
        while instance
            .log
            .front()
            .is_some_and(|logged| logged.at <= since)
        {
            instance.log.pop_front();
        }
        instance.floor = since;
        // The last change of each task is what holds now.
        let mut seen = HashSet::with_capacity(instance.log.len());
        let mut changes: Vec<Change> = instance
            .log
            .iter()
            .rev()
            .filter(|logged| seen.insert(logged.change.task_id()))
            .map(|logged| logged.change.clone())
            .collect();
        changes.reverse();
        let revision = *instance.sender.borrow();
        let brings_tasks = changes.iter().any(|change| match change {
            Change::Assigned(assigned) => assigned.assigned_at > since,
            Change::Removed(_) => false,
        });
        if brings_tasks {
            let now = tokio::time::Instant::now();
            state.news_answers.record(now);
            instance.next_news_at = Some(now + spacing_after(instance_id, revision));
        }
        Some((changes, revision))
    }

    /// Receivers of every change to `instance_id`'s assignments and of the
    /// ones a held answer may not wait for, both taken under one lock so
    /// that no change falls between them.
    fn subscribe(
        &self,
        instance_id: &str,
    ) -> (watch::Receiver<Revision>, watch::Receiver<Revision>) {
        let mut state = self.lock();
        let baseline = state.baseline;
        let instance = state
            .instances
            .entry(instance_id.to_owned())
            .or_insert_with(|| Instance::new(baseline));
        instance.polled_at = Instant::now();
        (instance.sender.subscribe(), instance.urgent.subscribe())
    }

    #[cfg(test)]
    fn forget_idle(&self, now: Instant) {
        self.lock().forget_idle(now);
    }

    /// Records a batch of changes under one lock. A batch holds whole
    /// commits: were a commit's changes recorded one at a time, a poll could
    /// be answered with part of it, say it holds that revision, and never
    /// hear of the rest.
    fn changed<'a>(&self, changes: impl IntoIterator<Item = Marked<'a>>) {
        let now = Instant::now();
        let mut state = self.lock();
        if now.saturating_duration_since(state.last_forget_check) >= FORGET_CHECK_EVERY {
            state.last_forget_check = now;
            state.forget_idle(now);
        }
        let baseline = state.baseline;
        for change in changes {
            let instance = match state.instances.get_mut(change.instance_id) {
                Some(instance) => instance,
                None => state
                    .instances
                    .entry(change.instance_id.to_owned())
                    .or_insert_with(|| Instance::new(baseline)),
            };
            instance.record(change);
        }
    }

    /// After losing the watch, anything may have changed: every instance
    /// gets the new baseline so its agent fetches its set again.
    fn reset(&self, revision: Revision) {
        let mut state = self.lock();
        state.baseline = revision;
        for instance in state.instances.values_mut() {
            instance.forget_log(revision);
        }
    }
}

impl HubState {
    /// Forgets the instances nobody waits on and nobody polled for
    /// [`FORGET_IDLE_AFTER`] before `now`. Their changes then count as
    /// possibly made at the baseline, which rises to the latest of them: a
    /// poll from before it wakes at once and reads its whole set, as after
    /// the hub's start.
    fn forget_idle(&mut self, now: Instant) {
        let baseline = &mut self.baseline;
        self.instances.retain(|_, instance| {
            let idle = instance.sender.receiver_count() == 0
                && now.saturating_duration_since(instance.polled_at) >= FORGET_IDLE_AFTER;
            if idle {
                *baseline = (*baseline).max(*instance.sender.borrow());
            }
            !idle
        });
    }
}

/// What became of one task's assignment to the polling instance, as of the
/// answer's revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Assigned(Assigned),
    /// The assignment was removed: the task is STOPPED.
    Removed(String),
}

impl Change {
    fn task_id(&self) -> &str {
        match self {
            Change::Assigned(assigned) => &assigned.task_id,
            Change::Removed(task_id) => task_id,
        }
    }

    /// Whether telling the agent may wait a moment for more: a task to run,
    /// or one whose STOPPED state is recorded. A task to stop may not.
    fn can_wait(&self) -> bool {
        match self {
            Change::Assigned(assigned) => assigned.marker.desired_status == DesiredStatus::Running,
            Change::Removed(_) => true,
        }
    }
}

/// One change to an instance's assignments, as the watch saw it.
struct Marked<'a> {
    instance_id: &'a str,
    revision: Revision,
    /// `None` for a marker that does not decode: left for a read of the
    /// store to report.
    change: Option<Change>,
}

/// One change in an instance's log.
struct Logged {
    at: Revision,
    change: Change,
}

/// What the hub knows of one instance's assignments.
struct Instance {
    /// The revision of the last change.
    sender: watch::Sender<Revision>,
    /// The tasks that changed after `floor`, oldest first.
    log: VecDeque<Logged>,
    /// Every change after this revision is in `log`.
    floor: Revision,
    /// The revision of the last change an answer held for more tasks may
    /// not wait for: a task to stop, or the log no longer reaching back
    /// (then the floor, never below it). A poll from this revision or
    /// later has only changes that can wait, all of them in the log.
    urgent: watch::Sender<Revision>,
    /// When its agent last polled (or the entry was made).
    polled_at: Instant,
    /// The earliest a busy server answers its agent with new tasks again.
    next_news_at: Option<tokio::time::Instant>,
}

impl Instance {
    /// An instance with no change the hub saw: it may have changed at any
    /// time up to `baseline`, when the hub's watch began.
    fn new(baseline: Revision) -> Instance {
        Instance {
            sender: watch::channel(baseline).0,
            urgent: watch::channel(baseline).0,
            log: VecDeque::new(),
            floor: baseline,
            polled_at: Instant::now(),
            next_news_at: None,
        }
    }

    /// Everything up to `revision` may have changed without being logged:
    /// polls from before it, held ones too, wake to read the whole set.
    fn forget_log(&mut self, revision: Revision) {
        self.log.clear();
        self.floor = revision;
        advance(&self.sender, revision);
        advance(&self.urgent, revision);
    }

    fn record(&mut self, change: Marked<'_>) {
        let revision = change.revision;
        // A change at or before the floor is one the agent already holds
        // (it read the set after it): only polls need waking for it.
        if revision > self.floor {
            let Some(change) = change.change else {
                // Polls from before it read the whole set from the store,
                // which reports the damage.
                self.forget_log(revision);
                return;
            };
            if self.log.len() == MAX_LOGGED_CHANGES
                && let Some(dropped) = self.log.pop_front()
            {
                self.floor = self.floor.max(dropped.at);
                advance(&self.urgent, self.floor);
            }
            if !change.can_wait() {
                advance(&self.urgent, revision);
            }
            self.log.push_back(Logged {
                at: revision,
                change,
            });
        }
        advance(&self.sender, revision);
    }
}

/// Moves `sender` on to `revision` unless it is there already, waking the
/// polls of its instance.
fn advance(sender: &watch::Sender<Revision>, revision: Revision) {
    sender.send_if_modified(|current| {
        let newer = revision > *current;
        if newer {
            *current = revision;
        }
        newer
    });
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
                    // Keys are `<prefix><instance id>/<task id>`.
                    let split: Vec<(String, usize)> = events
                        .iter()
                        .map(|event| {
                            let key = &event.kv.key;
                            let start = prefix.len().min(key.len());
                            let slash = (start..key.len())
                                .find(|&at| key[at] == b'/')
                                .unwrap_or(key.len());
                            let instance_id = String::from_utf8_lossy(&key[start..slash]);
                            (instance_id.into_owned(), (slash + 1).min(key.len()))
                        })
                        .collect();
                    hub.changed(events.iter().zip(&split).map(
                        |(event, (instance_id, task_at))| {
                            let change = match event.kind {
                                EventKind::Delete => Some(Change::Removed(
                                    String::from_utf8_lossy(&event.kv.key[*task_at..]).into_owned(),
                                )),
                                EventKind::Put => Assigned::decode(&event.kv, *task_at)
                                    .ok()
                                    .map(Change::Assigned),
                            };
                            Marked {
                                instance_id,
                                revision: event.kv.mod_revision,
                                change,
                            }
                        },
                    ));
                    if let Some(last) = events.last() {
                        from = from.max(last.kv.mod_revision + 1);
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

#[cfg(test)]
mod tests {
    use berth_state::tasks::AssignmentMarker;

    use super::*;

    fn hub(baseline: Revision) -> AssignmentHub {
        AssignmentHub::new(baseline)
    }

    /// A marker for `task_id` on `instance_id` created at `revision`.
    fn put<'a>(instance_id: &'a str, task_id: &'a str, revision: Revision) -> Marked<'a> {
        Marked {
            instance_id,
            revision,
            change: Some(Change::Assigned(assigned(
                task_id,
                running(),
                revision,
                revision,
            ))),
        }
    }

    fn assigned(
        task_id: &str,
        marker: AssignmentMarker,
        assigned_at: Revision,
        changed_at: Revision,
    ) -> Assigned {
        Assigned {
            task_id: task_id.to_owned(),
            marker,
            assigned_at,
            changed_at,
        }
    }

    fn running() -> AssignmentMarker {
        AssignmentMarker {
            cluster: "c".to_owned(),
            desired_status: DesiredStatus::Running,
        }
    }

    /// The ids `changes_since` names, and its revision.
    fn ids(
        hub: &AssignmentHub,
        instance_id: &str,
        since: Revision,
    ) -> Option<(Vec<String>, Revision)> {
        hub.changes_since(instance_id, since)
            .map(|(changes, revision)| {
                let ids = changes.iter().map(|change| change.task_id().to_owned());
                (ids.collect(), revision)
            })
    }

    #[test]
    fn changes_since_a_revision_name_each_task_once() {
        let hub = hub(10);
        hub.changed([
            put("i", "a", 11),
            put("i", "b", 12),
            put("i", "a", 13),
            put("other", "z", 14),
        ]);
        // In the order of their last change.
        assert_eq!(
            ids(&hub, "i", 10),
            Some((vec!["b".to_owned(), "a".to_owned()], 13))
        );
        // The agent moved on to 12: only a's second change is left.
        assert_eq!(ids(&hub, "i", 12), Some((vec!["a".to_owned()], 13)));
        // And it cannot go back behind what it said it holds.
        assert_eq!(ids(&hub, "i", 11), None);
    }

    #[test]
    fn each_change_says_what_the_assignment_became() {
        let hub = hub(10);
        let stopping = AssignmentMarker {
            desired_status: DesiredStatus::Stopped,
            ..running()
        };
        hub.changed([put("i", "a", 11), put("i", "b", 11), put("i", "c", 11)]);
        hub.changed([
            Marked {
                change: Some(Change::Assigned(assigned("a", stopping.clone(), 11, 12))),
                ..put("i", "a", 12)
            },
            Marked {
                change: Some(Change::Removed("b".to_owned())),
                ..put("i", "b", 13)
            },
        ]);
        let (changes, revision) = hub.changes_since("i", 10).expect("logged");
        assert_eq!(revision, 13);
        assert_eq!(
            changes,
            [
                Change::Assigned(assigned("c", running(), 11, 11)),
                Change::Assigned(assigned("a", stopping, 11, 12)),
                Change::Removed("b".to_owned()),
            ]
        );
    }

    #[test]
    fn an_unreadable_marker_sends_polls_to_the_store() {
        let hub = hub(10);
        hub.changed([put("i", "a", 11)]);
        hub.changed([Marked {
            change: None,
            ..put("i", "b", 12)
        }]);
        assert_eq!(ids(&hub, "i", 11), None, "read the whole set instead");
        hub.changed([put("i", "c", 13)]);
        assert_eq!(ids(&hub, "i", 12), Some((vec!["c".to_owned()], 13)));
    }

    #[tokio::test]
    async fn idle_instances_are_forgotten_without_losing_a_change() {
        let hub = hub(10);
        hub.changed([
            put("gone", "a", 11),
            put("gone", "b", 14),
            put("live", "c", 12),
        ]);
        let waiting = hub.subscribe("live");
        let later = Instant::now() + FORGET_IDLE_AFTER;
        hub.forget_idle(later);
        let instances: Vec<String> = hub.lock().instances.keys().cloned().collect();
        assert_eq!(
            instances,
            vec!["live".to_owned()],
            "one with a poll waiting stays"
        );
        // The forgotten instance's changes count as made at the baseline,
        // now the latest of them: a poll from before it wakes at once and
        // is sent to the store for the whole set.
        assert_eq!(hub.lock().baseline, 14);
        assert!(hub.wait_for_change("gone", 12, Duration::ZERO).await);
        assert_eq!(hub.changes_since("gone", 12), None);
        assert!(!hub.wait_for_change("gone", 14, Duration::ZERO).await);
        drop(waiting);
        // A recent poll keeps an instance too.
        assert_eq!(ids(&hub, "live", 11), Some((vec!["c".to_owned()], 12)));
        hub.forget_idle(Instant::now());
        assert!(hub.lock().instances.contains_key("live"));
    }

    #[test]
    fn a_commit_is_logged_whole_before_a_poll_can_see_it() {
        let hub = hub(10);
        hub.changed([put("i", "a", 11)]);
        assert_eq!(ids(&hub, "i", 10), Some((vec!["a".to_owned()], 11)));
        // Commit 12 put three tasks on the instance: a poll from 11 sees all
        // three, never a part of them.
        hub.changed([put("i", "b", 12), put("i", "c", 12), put("i", "d", 12)]);
        let (tasks, revision) = ids(&hub, "i", 11).expect("logged");
        assert_eq!((tasks.len(), revision), (3, 12));
        // Changes the agent already read (at or before what it holds) still
        // wake polls but are not logged again.
        hub.changed([put("i", "e", 12)]);
        assert_eq!(ids(&hub, "i", 12), Some((Vec::new(), 12)));
    }

    #[test]
    fn the_log_does_not_reach_behind_the_hub_start_or_a_lost_watch() {
        let hub = hub(10);
        assert_eq!(ids(&hub, "unseen", 10), None, "no entry yet");
        hub.changed([put("i", "a", 11)]);
        assert_eq!(ids(&hub, "i", 9), None, "before the hub started");
        hub.reset(20);
        assert_eq!(ids(&hub, "i", 11), None, "the watch was lost");
        hub.changed([put("i", "b", 21)]);
        assert_eq!(ids(&hub, "i", 20), Some((vec!["b".to_owned()], 21)));
    }

    #[test]
    fn an_overflowing_log_forgets_its_oldest_changes() {
        let hub = hub(0);
        let total = Revision::try_from(MAX_LOGGED_CHANGES).expect("fits") + 5;
        let tasks: Vec<String> = (1..=total).map(|revision| format!("t{revision}")).collect();
        hub.changed(
            (1..=total)
                .zip(&tasks)
                .map(|(revision, task)| put("i", task.as_str(), revision)),
        );
        assert_eq!(ids(&hub, "i", 4), None);
        let (tasks, last) = ids(&hub, "i", 5).expect("still logged");
        assert_eq!(tasks.len(), MAX_LOGGED_CHANGES);
        assert_eq!(last, total);
    }

    /// A hub whose server counts as busy (for the next two seconds).
    fn busy_hub(baseline: Revision) -> Arc<AssignmentHub> {
        let hub = Arc::new(hub(baseline));
        let now = tokio::time::Instant::now();
        for _ in 0..crate::agent::pacing::BUSY_ANSWERS_PER_SEC {
            hub.lock().news_answers.record(now);
        }
        hub
    }

    /// How long `wait_for_change` took (on the test's paused clock) and
    /// what it said.
    async fn timed_wait(
        hub: &AssignmentHub,
        instance_id: &str,
        since: Revision,
        wait: Duration,
    ) -> (Duration, bool) {
        let start = tokio::time::Instant::now();
        let changed = hub.wait_for_change(instance_id, since, wait).await;
        (start.elapsed(), changed)
    }

    /// A busy hub whose instance "i" was just answered with a new task (at
    /// revision 11) and has been given another since (at 12): a poll from
    /// 11 is held.
    fn holding_hub() -> Arc<AssignmentHub> {
        let hub = busy_hub(10);
        hub.changed([put("i", "a", 11)]);
        assert_eq!(ids(&hub, "i", 10), Some((vec!["a".to_owned()], 11)));
        hub.changed([put("i", "b", 12)]);
        hub
    }

    /// Runs `changes` on `hub` in a task of its own, 100 ms (of the test's
    /// paused clock) after the test starts waiting.
    fn after_100ms<F>(hub: &Arc<AssignmentHub>, changes: impl FnOnce(Arc<AssignmentHub>) -> F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let changes = changes(hub.clone());
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            changes.await;
        });
    }

    #[tokio::test(start_paused = true)]
    async fn a_busy_server_holds_new_tasks_for_the_ones_that_follow() {
        let hub = holding_hub();
        let spacing = spacing_after("i", 11);
        after_100ms(&hub, |later| async move {
            later.changed([put("i", "c", 13)]);
        });
        let (took, changed) = timed_wait(&hub, "i", 11, Duration::from_secs(20)).await;
        assert!(changed);
        assert_eq!(took, spacing, "held until the instance's spacing passed");
        assert_eq!(
            ids(&hub, "i", 11),
            Some((vec!["b".to_owned(), "c".to_owned()], 13)),
            "both come in one answer"
        );
        // The hold never outlasts the poll's own wait.
        hub.changed([put("i", "d", 14)]);
        let (took, changed) = timed_wait(&hub, "i", 13, Duration::from_millis(200)).await;
        assert_eq!((took, changed), (Duration::from_millis(200), true));
    }

    #[tokio::test(start_paused = true)]
    async fn a_task_to_stop_is_never_held() {
        let hub = holding_hub();
        after_100ms(&hub, |later| async move {
            let stopping = AssignmentMarker {
                desired_status: DesiredStatus::Stopped,
                ..running()
            };
            later.changed([Marked {
                change: Some(Change::Assigned(assigned("a", stopping, 11, 13))),
                ..put("i", "a", 13)
            }]);
        });
        let (took, changed) = timed_wait(&hub, "i", 11, Duration::from_secs(20)).await;
        assert_eq!(
            (took, changed),
            (Duration::from_millis(100), true),
            "the stop ends the hold"
        );
        // One waiting from the start is not held at all.
        let (took, _) = timed_wait(&hub, "i", 12, Duration::from_secs(20)).await;
        assert_eq!(took, Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_lost_watch_ends_a_hold() {
        let hub = holding_hub();
        after_100ms(&hub, |later| async move {
            // More tasks to run join the hold without ending it...
            later.changed([put("i", "c", 13)]);
            tokio::time::sleep(Duration::from_millis(100)).await;
            // ...but the log no longer reaching back to the poll does.
            later.reset(20);
        });
        let (took, changed) = timed_wait(&hub, "i", 11, Duration::from_secs(20)).await;
        assert_eq!((took, changed), (Duration::from_millis(200), true));
        assert_eq!(hub.changes_since("i", 11), None, "read the whole set");
    }

    #[tokio::test(start_paused = true)]
    async fn an_overflowing_log_ends_a_hold_it_no_longer_reaches_back_for() {
        let hub = holding_hub();
        after_100ms(&hub, |later| async move {
            let total = Revision::try_from(MAX_LOGGED_CHANGES).expect("fits");
            let tasks: Vec<String> = (0..total).map(|n| format!("t{n}")).collect();
            later.changed(
                (13..13 + total)
                    .zip(&tasks)
                    .map(|(revision, task)| put("i", task.as_str(), revision)),
            );
        });
        let (took, changed) = timed_wait(&hub, "i", 11, Duration::from_secs(20)).await;
        assert_eq!((took, changed), (Duration::from_millis(100), true));
        assert_eq!(hub.changes_since("i", 11), None, "read the whole set");
    }

    #[tokio::test(start_paused = true)]
    async fn a_quiet_server_answers_at_once() {
        let hub = Arc::new(hub(10));
        hub.changed([put("i", "a", 11)]);
        ids(&hub, "i", 10);
        hub.changed([put("i", "b", 12)]);
        let (took, changed) = timed_wait(&hub, "i", 11, Duration::from_secs(20)).await;
        assert_eq!((took, changed), (Duration::ZERO, true));
        // Nor does a busy one hold an instance that had no new tasks of
        // late, or whose log does not reach back to the poll.
        let hub = busy_hub(10);
        hub.changed([put("i", "a", 11)]);
        let (took, _) = timed_wait(&hub, "i", 10, Duration::from_secs(20)).await;
        assert_eq!(took, Duration::ZERO);
        ids(&hub, "i", 10);
        hub.reset(20);
        let (took, _) = timed_wait(&hub, "i", 11, Duration::from_secs(20)).await;
        assert_eq!(took, Duration::ZERO);
    }
}
