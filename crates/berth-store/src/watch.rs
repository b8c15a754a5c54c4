//! The watch stream every local backend hands out: it pulls committed events
//! from the backend's history in revision order and sleeps on the published
//! revision in between, so it can neither skip nor repeat a commit and a slow
//! consumer only costs history reads, never buffered memory.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use tokio::sync::watch;

use crate::kv::{Event, Revision, StoreError, WatchStream};

/// Most revisions one history read scans, bounding each batch a watcher gets.
pub(crate) const MAX_REVISIONS_PER_FETCH: u64 = 256;

/// One read of history: the matching events of whole commits, and the first
/// revision the read did not cover.
#[derive(Debug)]
pub(crate) struct Fetched {
    pub events: Vec<Event>,
    pub next: Revision,
}

/// A pending history read.
pub(crate) type FetchFuture = Pin<Box<dyn Future<Output = Result<Fetched, StoreError>> + Send>>;

/// Reads the history of the watched range from a revision on. It must cover
/// at least up to the latest published revision (when that is not before its
/// argument) or fail, so that every call makes progress.
pub(crate) type Fetch = Arc<dyn Fn(Revision) -> FetchFuture + Send + Sync>;

/// Builds the stream of a watch starting at revision `from`, woken by
/// `published` (the latest committed revision; its sender drops when the store
/// closes).
pub(crate) fn stream(
    published: watch::Receiver<Revision>,
    from: Revision,
    fetch: Fetch,
) -> WatchStream {
    struct State {
        published: watch::Receiver<Revision>,
        next: Revision,
        fetch: Fetch,
        done: bool,
    }
    let state = State {
        published,
        next: from,
        fetch,
        done: false,
    };
    Box::pin(futures::stream::unfold(state, |mut st| async move {
        if st.done {
            return None;
        }
        loop {
            // Marking the value seen before reading history means a commit
            // published during the read still wakes `changed` below.
            let latest = *st.published.borrow_and_update();
            if latest >= st.next {
                match (st.fetch)(st.next).await {
                    Err(err) => {
                        st.done = true;
                        return Some((Err(err), st));
                    }
                    Ok(fetched) => {
                        st.next = st.next.max(fetched.next);
                        if !fetched.events.is_empty() {
                            return Some((Ok(fetched.events), st));
                        }
                        continue;
                    }
                }
            }
            if st.published.changed().await.is_err() {
                st.done = true;
                return Some((Err(StoreError::Closed), st));
            }
        }
    }))
}
