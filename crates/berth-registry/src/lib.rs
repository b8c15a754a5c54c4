//! Berth's container registry: the OCI distribution-spec v1.1 endpoints
//! (`/v2/`) that docker and skopeo speak, over content-addressed blob storage
//! and metadata kept in the `Kv` store, with ECR-style tokens and a garbage
//! collector for unreferenced blobs.
//!
//! Entry points: [`Registry::new`] over a [`berth_store::Kv`] and a
//! [`BlobStore`] (e.g. [`LocalBlobStore`]), [`router`] for the HTTP surface,
//! [`TokenAuthority`] for credentials, [`Registry::collect_garbage`],
//! [`lifecycle`] for ECR lifecycle policies and [`maintenance::spawn`] for
//! the periodic jobs.

pub mod auth;
pub mod blob;
pub mod digest;
pub mod error;
pub mod gc;
pub mod http;
pub mod lifecycle;
pub mod maintenance;
pub mod manifest;
pub mod meta;
pub mod name;
pub mod range;
pub mod registry;

pub use auth::{AuthError, Clock, IssuedToken, SystemClock, TOKEN_VALIDITY, TokenAuthority};
pub use blob::{BlobInfo, BlobStore, BlobStoreError, ByteStream, LocalBlobStore, UploadState};
pub use digest::{Digest, DigestError};
pub use error::{ErrorCode, RegistryError};
pub use gc::GcReport;
pub use http::router;
pub use maintenance::MaintenanceConfig;
pub use name::{Reference, RepositoryName, Tag};
pub use registry::{LifecycleReport, Page, Registry, RegistryConfig};
pub use registry::{ManifestInfo, PushedManifest, StoredManifest};
