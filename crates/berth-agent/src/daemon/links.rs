//! The daemon's two links to the server, each its own tokio task: the
//! poller (registration, long-polled assignments, heartbeat) and the
//! reporter (the outbox of task reports, retried until acknowledged). They
//! share the outbox: reports due when a poll goes out ride on it, and after
//! an answer that brought tasks the poller holds its next poll back a
//! moment for their first reports, so a task usually costs the host one
//! exchange instead of two.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use berth_model::task::{DesiredStatus, TaskReport};
use berth_protocol::{
    AssignmentCache, FIRST_REPORTS_LINGER_MS, MAX_REPORTS_PER_REQUEST, POLL_PATH, PollResponse,
    ProtocolErrorCode, REGISTER_PATH, REPORTING_POLL_WAIT_MS, REPORTS_PATH, RegisterRequest,
    RegisterResponse, ReportBatchRequest, ReportBatchResponse, ReportOutcome, ReportResult,
    TaskStateReport,
};
use tokio::sync::{Notify, mpsc, watch};
use tokio::time::Instant;

use crate::client::{ClientError, ProtocolClient, is_retryable};
use crate::outbox::{Backoff, Outbox, Position, position};

/// Retry pacing of registration and polling.
pub const LINK_BACKOFF: Backoff = Backoff {
    initial: Duration::from_millis(200),
    max: Duration::from_secs(10),
};
/// Retry pacing of reports.
pub const REPORT_BACKOFF: Backoff = Backoff {
    initial: Duration::from_millis(100),
    max: Duration::from_secs(5),
};

/// What the poller tells the daemon.
#[derive(Debug)]
pub enum PollEvent {
    /// A (possibly unchanged) assignment set.
    Assignments(PollResponse),
    /// The server forgot the instance; the host registered anew.
    Registered(RegisterResponse),
}

/// What the reporter tells the daemon about one report.
#[derive(Debug)]
pub struct Ack {
    /// Task ARN.
    pub task_arn: String,
    /// The report's position.
    pub position: Position,
    /// Whether the server took it; false when it refused it for good (the
    /// task is not on this instance any more), which ends retries all the same.
    pub accepted: bool,
}

fn jitter() -> f64 {
    rand::random_range(0.5..=1.0)
}

/// The outbox both links draw from.
pub struct SharedOutbox {
    outbox: Mutex<Outbox>,
    /// Signalled when reports are queued, for a poller waiting on them.
    queued: Notify,
    /// Signalled when the poller took or settled riders, which changes when
    /// the reporter's next send falls due.
    rescheduled: Notify,
}

impl SharedOutbox {
    /// An empty outbox retrying with [`REPORT_BACKOFF`].
    pub fn new() -> Arc<SharedOutbox> {
        Arc::new(SharedOutbox {
            outbox: Mutex::new(Outbox::new(REPORT_BACKOFF)),
            queued: Notify::new(),
            rescheduled: Notify::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Outbox> {
        // Every change to the outbox is a single call, so a panic elsewhere
        // cannot leave it half done.
        self.outbox.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the due reports, as many as a poll carries, to ride on it.
    fn take_riders(&self) -> Vec<(String, TaskReport)> {
        let riders = self
            .lock()
            .take_riders(Instant::now(), MAX_REPORTS_PER_REQUEST);
        // Taking them ended any hold, so more may be due to go on their own.
        self.rescheduled.notify_one();
        riders
    }

    /// Waits until a report is queued for each of `task_arns`, or `deadline`.
    async fn wait_for_reports(&self, task_arns: &[String], deadline: Instant) {
        loop {
            let queued = self.queued.notified();
            if self
                .lock()
                .holds_reports_for(task_arns.iter().map(String::as_str))
            {
                return;
            }
            tokio::select! {
                () = queued => {}
                () = tokio::time::sleep_until(deadline) => return,
            }
        }
    }

    /// Settles each report of `batch` by its result, in order: acknowledged,
    /// refused for good (dropped all the same), or retried later. A result
    /// the server left out is retried.
    fn settle(
        &self,
        acks: &mpsc::UnboundedSender<Ack>,
        batch: &[(String, TaskReport)],
        results: Vec<ReportResult>,
    ) {
        if batch.is_empty() {
            return;
        }
        let mut outbox = self.lock();
        let mut results = results.into_iter();
        for (task_arn, report) in batch {
            let at = position(report);
            let outcome = results
                .next()
                .filter(|result| &result.task_arn == task_arn)
                .map(|result| result.outcome);
            match outcome {
                Some(ReportOutcome::Taken(response)) => {
                    tracing::trace!(task = %task_arn, applied = response.applied, "report acknowledged");
                    outbox.remove(task_arn, at);
                    ack(acks, task_arn, at, true);
                }
                Some(ReportOutcome::Refused(error))
                    if !matches!(
                        error.code,
                        ProtocolErrorCode::Internal | ProtocolErrorCode::InstanceNotFound
                    ) =>
                {
                    tracing::warn!(task = %task_arn, error = %error.message, "the server refused a report; dropping it");
                    outbox.remove(task_arn, at);
                    ack(acks, task_arn, at, false);
                }
                _ => {
                    tracing::debug!(task = %task_arn, "report not taken; will retry");
                    outbox.failed(task_arn, at, Instant::now(), jitter());
                }
            }
        }
        drop(outbox);
        self.rescheduled.notify_one();
    }

    /// The server refused `batch` for good: its reports leave the outbox,
    /// and the daemon is told none was taken.
    fn drop_refused(&self, acks: &mpsc::UnboundedSender<Ack>, batch: &[(String, TaskReport)]) {
        let mut outbox = self.lock();
        for (task_arn, report) in batch {
            let at = position(report);
            outbox.remove(task_arn, at);
            ack(acks, task_arn, at, false);
        }
    }

    /// Sending `batch` failed; each report is retried after its backoff.
    fn retry(&self, batch: &[(String, TaskReport)]) {
        if batch.is_empty() {
            return;
        }
        let mut outbox = self.lock();
        for (task_arn, report) in batch {
            outbox.failed(task_arn, position(report), Instant::now(), jitter());
        }
        drop(outbox);
        self.rescheduled.notify_one();
    }
}

fn ack(acks: &mpsc::UnboundedSender<Ack>, task_arn: &str, position: Position, accepted: bool) {
    // The daemon may already be gone during the final flush; nothing to tell then.
    let _ = acks.send(Ack {
        task_arn: task_arn.to_owned(),
        position,
        accepted,
    });
}

fn state_reports(batch: &[(String, TaskReport)]) -> Vec<TaskStateReport> {
    batch
        .iter()
        .map(|(task_arn, report)| TaskStateReport {
            task_arn: task_arn.clone(),
            report: report.clone(),
        })
        .collect()
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Registers until the server accepts, retrying failures with backoff. An
/// instance id the server no longer knows is dropped and the host
/// registered as a new instance.
pub async fn register(
    client: &ProtocolClient,
    mut request: RegisterRequest,
    timeout: Duration,
) -> RegisterResponse {
    let mut failures = 0u32;
    loop {
        match client
            .post::<_, RegisterResponse>(REGISTER_PATH, &request, timeout)
            .await
        {
            Ok(response) => return response,
            Err(err) if err.code() == Some(ProtocolErrorCode::InstanceNotFound) => {
                tracing::warn!(instance = ?request.container_instance_id, "the server no longer knows this instance; registering a new one");
                request.container_instance_id = None;
                continue;
            }
            Err(err) => {
                failures = failures.saturating_add(1);
                let delay = LINK_BACKOFF.jittered(failures, jitter());
                tracing::warn!(error = %format_error(&err), ?delay, "registration failed; retrying");
                tokio::time::sleep(delay).await;
            }
        }
    }
}

/// The poller: long-polls forever, sending each answer to the daemon.
/// Ends when the daemon stops listening.
pub struct Poller {
    /// The server.
    pub client: ProtocolClient,
    /// How to register again when the server forgets the instance.
    pub register_request: RegisterRequest,
    /// The instance currently registered; shared with the reporter.
    pub instance: watch::Sender<String>,
    /// How long each poll may be held open.
    pub wait: Duration,
    /// Deadline of a request on top of `wait`.
    pub request_timeout: Duration,
    /// Where answers go.
    pub events: mpsc::Sender<PollEvent>,
    /// The reports; the ones due ride on each poll.
    pub outbox: Arc<SharedOutbox>,
    /// Acknowledgements of the reports that rode on polls. Weak, so that
    /// the channel closes when the reporter ends and the daemon notices.
    pub acks: mpsc::WeakUnboundedSender<Ack>,
}

impl Poller {
    /// Runs the poll loop.
    pub async fn run(self) {
        // What the server already told: polls ask for only what changed
        // since, and brief answers are completed from it.
        let mut cache = AssignmentCache::default();
        let mut failures = 0u32;
        // The tasks the last answer brought, whose first reports the next
        // poll waits for until the deadline.
        let mut awaited: Option<(Vec<String>, Instant)> = None;
        // Cleared once a server answers a poll's reports with no result (it
        // predates reports on polls) or refuses a poll that carried them:
        // from then on they go on their own, until the host registers anew.
        let mut server_takes_riders = true;
        loop {
            if let Some((tasks, deadline)) = awaited.take() {
                self.outbox.wait_for_reports(&tasks, deadline).await;
            }
            let riders = if server_takes_riders {
                self.outbox.take_riders()
            } else {
                Vec::new()
            };
            let wait = if riders.is_empty() {
                self.wait
            } else {
                self.wait.min(Duration::from_millis(REPORTING_POLL_WAIT_MS))
            };
            let mut request = cache.poll_request(
                &self.register_request.cluster,
                &self.instance.borrow(),
                millis(wait),
            );
            request.reports = state_reports(&riders);
            let timeout = wait + self.request_timeout;
            let answer = self
                .client
                .post::<_, PollResponse>(POLL_PATH, &request, timeout)
                .await;
            match answer {
                Ok(mut response) => {
                    failures = 0;
                    let results = std::mem::take(&mut response.report_results);
                    if !riders.is_empty() && results.is_empty() {
                        tracing::info!(
                            "the server takes no reports on polls; sending them on their own"
                        );
                        server_takes_riders = false;
                    }
                    match self.acks.upgrade() {
                        Some(acks) => self.outbox.settle(&acks, &riders, results),
                        // The reporter is gone; the daemon is ending.
                        None => self.outbox.retry(&riders),
                    }
                    let brought: Vec<String> = response
                        .tasks
                        .iter()
                        .filter(|task| {
                            task.desired_status == DesiredStatus::Running
                                && !cache.holds(&task.task_id)
                        })
                        .map(|task| task.task_arn.clone())
                        .collect();
                    let response = match cache.complete(response) {
                        Ok(complete) => complete,
                        Err(unknown) => {
                            // The cache is empty now: ask again for everything.
                            tracing::warn!(error = %unknown, "asking for every assignment in full");
                            continue;
                        }
                    };
                    if self
                        .events
                        .send(PollEvent::Assignments(response))
                        .await
                        .is_err()
                    {
                        return;
                    }
                    if server_takes_riders && !brought.is_empty() {
                        let deadline =
                            Instant::now() + Duration::from_millis(FIRST_REPORTS_LINGER_MS);
                        self.outbox.lock().hold(deadline);
                        awaited = Some((brought, deadline));
                    }
                }
                Err(err) if err.code() == Some(ProtocolErrorCode::InstanceNotFound) => {
                    self.outbox.retry(&riders);
                    tracing::warn!("the server no longer knows this instance; registering again");
                    let mut register_request = self.register_request.clone();
                    register_request.container_instance_id = None;
                    let response =
                        register(&self.client, register_request, self.request_timeout).await;
                    cache.clear();
                    server_takes_riders = true;
                    self.instance
                        .send_replace(response.container_instance_id.clone());
                    if self
                        .events
                        .send(PollEvent::Registered(response))
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
                Err(err) => {
                    // The reporter sends them on their own after their backoff.
                    self.outbox.retry(&riders);
                    if !riders.is_empty() && !is_retryable(&err) {
                        // Perhaps refused for what it carried: the poll is
                        // the heartbeat, so it goes on without reports.
                        tracing::warn!(
                            "a poll carrying reports was refused; sending them on their own"
                        );
                        server_takes_riders = false;
                    }
                    failures = failures.saturating_add(1);
                    let delay = LINK_BACKOFF.jittered(failures, jitter());
                    tracing::warn!(error = %format_error(&err), ?delay, "poll failed; retrying");
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }
}

/// The reporter: queues the daemon's reports in the outbox, sends the ones
/// due on their own (those no poll took) and tells the daemon which were
/// acknowledged. When the daemon closes the queue it keeps sending until the
/// outbox is empty (the daemon bounds that wait).
pub struct Reporter {
    /// The server.
    pub client: ProtocolClient,
    /// Cluster name.
    pub cluster: String,
    /// The instance currently registered.
    pub instance: watch::Receiver<String>,
    /// Reports to send.
    pub queue: mpsc::UnboundedReceiver<(String, TaskReport)>,
    /// The reports not yet acknowledged, shared with the poller.
    pub outbox: Arc<SharedOutbox>,
    /// Acknowledgements back to the daemon.
    pub acks: mpsc::UnboundedSender<Ack>,
    /// Deadline of one report request.
    pub request_timeout: Duration,
}

impl Reporter {
    /// Runs the report loop.
    pub async fn run(mut self) {
        let mut closed = false;
        loop {
            closed |= self.drain_queue();
            if closed {
                // The poller is gone: whatever rode on its last poll goes
                // on its own now.
                self.outbox.lock().abandon_in_flight();
            }
            let due = self.outbox.lock().take_due(Instant::now());
            for batch in due.chunks(MAX_REPORTS_PER_REQUEST) {
                match self.send(batch).await {
                    Ok(response) => self.outbox.settle(&self.acks, batch, response.results),
                    Err(err)
                        if !is_retryable(&err)
                            && err.code() != Some(ProtocolErrorCode::InstanceNotFound) =>
                    {
                        tracing::warn!(reports = batch.len(), error = %format_error(&err), "the server refused reports; dropping them");
                        self.outbox.drop_refused(&self.acks, batch);
                    }
                    Err(err) => {
                        tracing::debug!(reports = batch.len(), error = %format_error(&err), "reports failed; will retry");
                        self.outbox.retry(batch);
                    }
                }
                // New reports supersede queued ones; take them before the next send.
                closed |= self.drain_queue();
            }
            let next_due = {
                let outbox = self.outbox.lock();
                if closed && outbox.is_empty() {
                    return;
                }
                outbox.next_due()
            };
            tokio::select! {
                message = self.queue.recv(), if !closed => match message {
                    Some((task_arn, report)) => self.queue_report(&task_arn, report),
                    None => closed = true,
                },
                _ = sleep_until_opt(next_due) => {}
                () = self.outbox.rescheduled.notified() => {}
            }
        }
    }

    fn queue_report(&self, task_arn: &str, report: TaskReport) {
        self.outbox.lock().push(task_arn, report, Instant::now());
        self.outbox.queued.notify_one();
    }

    /// Moves every queued report into the outbox; returns whether the queue closed.
    fn drain_queue(&mut self) -> bool {
        loop {
            match self.queue.try_recv() {
                Ok((task_arn, report)) => self.queue_report(&task_arn, report),
                Err(mpsc::error::TryRecvError::Empty) => return false,
                Err(mpsc::error::TryRecvError::Disconnected) => return true,
            }
        }
    }

    async fn send(
        &self,
        batch: &[(String, TaskReport)],
    ) -> Result<ReportBatchResponse, ClientError> {
        let request = ReportBatchRequest {
            cluster: self.cluster.clone(),
            container_instance_id: self.instance.borrow().clone(),
            reports: state_reports(batch),
        };
        self.client
            .post(REPORTS_PATH, &request, self.request_timeout)
            .await
    }
}

async fn sleep_until_opt(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// An error with its whole chain of causes, for a log line.
pub fn format_error(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
