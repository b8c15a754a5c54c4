//! The daemon's two links to the server, each its own tokio task: the
//! poller (registration, long-polled assignments, heartbeat) and the
//! reporter (the outbox of task reports, retried until acknowledged).

use std::time::Duration;

use berth_model::task::TaskReport;
use berth_protocol::{
    AssignmentCache, MAX_REPORTS_PER_REQUEST, POLL_PATH, PollResponse, ProtocolErrorCode,
    REGISTER_PATH, REPORTS_PATH, RegisterRequest, RegisterResponse, ReportBatchRequest,
    ReportBatchResponse, ReportOutcome, TaskStateReport,
};
use tokio::sync::{mpsc, watch};
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
}

impl Poller {
    /// Runs the poll loop.
    pub async fn run(self) {
        // What the server already told: polls ask for only what changed
        // since, and brief answers are completed from it.
        let mut cache = AssignmentCache::default();
        let mut failures = 0u32;
        loop {
            let request = cache.poll_request(
                &self.register_request.cluster,
                &self.instance.borrow(),
                u64::try_from(self.wait.as_millis()).unwrap_or(u64::MAX),
            );
            let timeout = self.wait + self.request_timeout;
            match self
                .client
                .post::<_, PollResponse>(POLL_PATH, &request, timeout)
                .await
            {
                Ok(response) => {
                    failures = 0;
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
                }
                Err(err) if err.code() == Some(ProtocolErrorCode::InstanceNotFound) => {
                    tracing::warn!("the server no longer knows this instance; registering again");
                    let mut register_request = self.register_request.clone();
                    register_request.container_instance_id = None;
                    let response =
                        register(&self.client, register_request, self.request_timeout).await;
                    cache.clear();
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
                    failures = failures.saturating_add(1);
                    let delay = LINK_BACKOFF.jittered(failures, jitter());
                    tracing::warn!(error = %format_error(&err), ?delay, "poll failed; retrying");
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }
}

/// The reporter: owns the outbox, sends due reports one by one and tells
/// the daemon which were acknowledged. When the daemon closes the queue it
/// keeps sending until the outbox is empty (the daemon bounds that wait).
pub struct Reporter {
    /// The server.
    pub client: ProtocolClient,
    /// Cluster name.
    pub cluster: String,
    /// The instance currently registered.
    pub instance: watch::Receiver<String>,
    /// Reports to send.
    pub queue: mpsc::UnboundedReceiver<(String, TaskReport)>,
    /// Acknowledgements back to the daemon.
    pub acks: mpsc::UnboundedSender<Ack>,
    /// Deadline of one report request.
    pub request_timeout: Duration,
}

impl Reporter {
    /// Runs the report loop.
    pub async fn run(mut self) {
        let mut outbox = Outbox::new(REPORT_BACKOFF);
        let mut closed = false;
        loop {
            closed |= self.drain_queue(&mut outbox);
            let due = outbox.due(Instant::now());
            for batch in due.chunks(MAX_REPORTS_PER_REQUEST) {
                match self.send(batch).await {
                    Ok(response) => {
                        let mut results = response.results.into_iter();
                        for (task_arn, report) in batch {
                            let at = position(report);
                            // A result the server left out is retried.
                            let outcome = results
                                .next()
                                .filter(|result| &result.task_arn == task_arn)
                                .map(|result| result.outcome);
                            match outcome {
                                Some(ReportOutcome::Taken(response)) => {
                                    tracing::trace!(task = %task_arn, applied = response.applied, "report acknowledged");
                                    outbox.remove(task_arn, at);
                                    self.ack(task_arn.clone(), at, true);
                                }
                                Some(ReportOutcome::Refused(error))
                                    if !matches!(
                                        error.code,
                                        ProtocolErrorCode::Internal
                                            | ProtocolErrorCode::InstanceNotFound
                                    ) =>
                                {
                                    tracing::warn!(task = %task_arn, error = %error.message, "the server refused a report; dropping it");
                                    outbox.remove(task_arn, at);
                                    self.ack(task_arn.clone(), at, false);
                                }
                                _ => {
                                    tracing::debug!(task = %task_arn, "report not taken; will retry");
                                    outbox.failed(task_arn, at, Instant::now(), jitter());
                                }
                            }
                        }
                    }
                    Err(err)
                        if !is_retryable(&err)
                            && err.code() != Some(ProtocolErrorCode::InstanceNotFound) =>
                    {
                        tracing::warn!(reports = batch.len(), error = %format_error(&err), "the server refused reports; dropping them");
                        for (task_arn, report) in batch {
                            let at = position(report);
                            outbox.remove(task_arn, at);
                            self.ack(task_arn.clone(), at, false);
                        }
                    }
                    Err(err) => {
                        tracing::debug!(reports = batch.len(), error = %format_error(&err), "reports failed; will retry");
                        for (task_arn, report) in batch {
                            outbox.failed(task_arn, position(report), Instant::now(), jitter());
                        }
                    }
                }
                // New reports supersede queued ones; take them before the next send.
                closed |= self.drain_queue(&mut outbox);
            }
            if closed && outbox.is_empty() {
                return;
            }
            let next_due = outbox.next_due();
            tokio::select! {
                message = self.queue.recv(), if !closed => match message {
                    Some((task_arn, report)) => {
                        outbox.push(&task_arn, report, Instant::now());
                    }
                    None => closed = true,
                },
                _ = sleep_until_opt(next_due) => {}
            }
        }
    }

    /// Moves every queued report into the outbox; returns whether the queue closed.
    fn drain_queue(&mut self, outbox: &mut Outbox) -> bool {
        loop {
            match self.queue.try_recv() {
                Ok((task_arn, report)) => {
                    outbox.push(&task_arn, report, Instant::now());
                }
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
            reports: batch
                .iter()
                .map(|(task_arn, report)| TaskStateReport {
                    task_arn: task_arn.clone(),
                    report: report.clone(),
                })
                .collect(),
        };
        self.client
            .post(REPORTS_PATH, &request, self.request_timeout)
            .await
    }

    fn ack(&self, task_arn: String, position: Position, accepted: bool) {
        // The daemon may already be gone during the final flush; nothing to tell then.
        let _ = self.acks.send(Ack {
            task_arn,
            position,
            accepted,
        });
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
