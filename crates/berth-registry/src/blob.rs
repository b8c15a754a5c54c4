//! The blob-store contract: content-addressed blobs plus resumable upload
//! sessions. A blob becomes visible only once its digest is verified; an
//! upload's bytes live apart until then. The local-directory backend is in
//! [`local`]; an S3-compatible backend can implement the same trait.

pub mod local;

use std::io;
use std::pin::Pin;
use std::time::SystemTime;

use bytes::Bytes;
use futures::Stream;

use crate::digest::Digest;
use crate::range::ByteRange;

pub use local::LocalBlobStore;

/// A stream of body bytes, in or out.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, io::Error>> + Send>>;

/// What the store knows about one stored blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobInfo {
    pub digest: Digest,
    pub size: u64,
    /// When the blob's bytes were last written; garbage collection spares
    /// blobs younger than its grace period.
    pub modified: SystemTime,
}

/// The durable state of an upload session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadState {
    /// The session id (a UUID).
    pub id: String,
    /// The repository the upload was started in.
    pub repository: String,
    /// Bytes received and committed so far.
    pub size: u64,
    /// When the session last received bytes (or was created).
    pub updated: SystemTime,
}

/// Errors of a blob store.
#[derive(Debug, thiserror::Error)]
pub enum BlobStoreError {
    /// No blob with that digest is stored.
    #[error("blob {digest} not found")]
    NotFound { digest: Digest },
    /// No upload session with that id exists.
    #[error("upload {id} not found")]
    UploadUnknown { id: String },
    /// A chunk did not start where the upload stands.
    #[error("upload holds {size} bytes but the chunk starts at {start}")]
    OffsetMismatch { size: u64, start: u64 },
    /// A chunk's body was shorter or longer than announced.
    #[error("expected {expected} bytes, received {received}")]
    LengthMismatch { expected: u64, received: u64 },
    /// The upload would exceed the store's blob size limit.
    #[error("blob exceeds {limit} bytes")]
    TooLarge { limit: u64 },
    /// The finished upload's content does not hash to the claimed digest.
    #[error("expected digest {expected}, content hashes to {actual}")]
    DigestMismatch { expected: Digest, actual: Digest },
    /// Reading the client's body failed (disconnect, bad framing).
    #[error("reading the request body failed")]
    Body {
        #[source]
        source: io::Error,
    },
    /// The backend itself failed.
    #[error("{context}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
    /// Persisted session state did not decode.
    #[error("upload state of {id} is corrupt")]
    CorruptState {
        id: String,
        #[source]
        source: serde_json::Error,
    },
}

/// Content-addressed blob storage with resumable uploads. Implementations
/// must never expose a blob whose bytes are not complete and verified, and
/// must tolerate concurrent uploads of the same content.
#[async_trait::async_trait]
pub trait BlobStore: Send + Sync + 'static {
    /// Size and age of a stored blob, `None` when absent.
    async fn stat(&self, digest: &Digest) -> Result<Option<BlobInfo>, BlobStoreError>;

    /// Streams a blob, or the inclusive `range` of it.
    async fn read(
        &self,
        digest: &Digest,
        range: Option<ByteRange>,
    ) -> Result<ByteStream, BlobStoreError>;

    /// Reads a whole (small) blob into memory, e.g. a manifest.
    async fn read_all(&self, digest: &Digest, limit: u64) -> Result<Bytes, BlobStoreError>;

    /// Stores `data` under `digest` after checking that it hashes to it.
    async fn put(&self, digest: &Digest, data: Bytes) -> Result<BlobInfo, BlobStoreError>;

    /// Removes a blob; `false` when it was not there.
    async fn delete(&self, digest: &Digest) -> Result<bool, BlobStoreError>;

    /// Every stored blob (for garbage collection).
    async fn list(&self) -> Result<Vec<BlobInfo>, BlobStoreError>;

    /// Opens a new upload session for `repository`.
    async fn create_upload(&self, repository: &str) -> Result<UploadState, BlobStoreError>;

    /// The state of a session, `None` when unknown.
    async fn upload_state(&self, id: &str) -> Result<Option<UploadState>, BlobStoreError>;

    /// Appends `body` at byte `start`, which must equal the bytes received so
    /// far. With `expected_len`, the body must be exactly that long. On any
    /// failure the session is left exactly as before the call.
    async fn append_upload(
        &self,
        id: &str,
        start: u64,
        expected_len: Option<u64>,
        body: ByteStream,
    ) -> Result<UploadState, BlobStoreError>;

    /// Verifies the session's content against `digest` and moves it into
    /// place atomically, ending the session. On a mismatch the session stays.
    async fn finish_upload(&self, id: &str, digest: &Digest) -> Result<BlobInfo, BlobStoreError>;

    /// Ends a session and drops its bytes; `false` when it was not there.
    async fn cancel_upload(&self, id: &str) -> Result<bool, BlobStoreError>;

    /// Every open session (for expiry by garbage collection).
    async fn list_uploads(&self) -> Result<Vec<UploadState>, BlobStoreError>;
}
