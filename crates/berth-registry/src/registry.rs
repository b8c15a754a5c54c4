//! The registry as a Rust API: repositories, blobs and upload sessions here,
//! manifests, tags and referrers in [`manifests`]. The HTTP layer and the ECR
//! JSON API both call these methods; metadata goes through `Kv`
//! transactions, bytes through the [`BlobStore`].

mod lifecycle;
mod manifests;

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use berth_store::{Compare, Condition, KeyRange, Kv, Op, Txn};

use crate::auth::{Clock, SystemClock, TokenAuthority};
use crate::blob::{BlobInfo, BlobStore, ByteStream, UploadState};
use crate::digest::Digest;
use crate::error::RegistryError;
use crate::meta::{self, LinkRecord, RepositoryRecord};
use crate::name::RepositoryName;
use crate::range::ByteRange;

pub use lifecycle::LifecycleReport;
pub use manifests::{ManifestInfo, PushedManifest, StoredManifest};

/// Largest manifest accepted (ECR's and the spec's 4 MiB).
pub const DEFAULT_MAX_MANIFEST_SIZE: u64 = 4 * 1024 * 1024;

/// How a registry behaves.
#[derive(Clone)]
pub struct RegistryConfig {
    /// ECR semantics: pushing to a repository nobody created answers
    /// `NAME_UNKNOWN`. When false, the first push creates it.
    pub require_existing_repository: bool,
    /// Token checking; `None` lets anonymous clients in.
    pub auth: Option<TokenAuthority>,
    /// The realm named in `WWW-Authenticate: Basic realm="..."`.
    pub realm: String,
    /// Largest manifest body accepted.
    pub max_manifest_size: u64,
    /// Most entries one tags/catalog/referrers page returns.
    pub max_page_size: usize,
    /// Blobs younger than this are never collected, so a push that uploaded
    /// its layers but not yet its manifest keeps them.
    pub gc_grace_period: Duration,
    /// Upload sessions idle for longer than this are cancelled by the collector.
    pub upload_expiry: Duration,
    /// The time source for garbage collection and repository timestamps.
    pub clock: Arc<dyn Clock>,
}

impl RegistryConfig {
    /// ECR-like defaults: repositories must be created first, and clients
    /// must present tokens of `authority`.
    pub fn new(authority: TokenAuthority) -> RegistryConfig {
        RegistryConfig {
            require_existing_repository: true,
            auth: Some(authority),
            realm: "berth".to_string(),
            max_manifest_size: DEFAULT_MAX_MANIFEST_SIZE,
            max_page_size: 1000,
            gc_grace_period: Duration::from_secs(60 * 60),
            upload_expiry: Duration::from_secs(24 * 60 * 60),
            clock: Arc::new(SystemClock),
        }
    }
}

impl Default for RegistryConfig {
    /// Auth on, with a fresh random secret (tokens die with the process; a
    /// server should pass its persisted secret to [`RegistryConfig::new`]).
    fn default() -> Self {
        RegistryConfig::new(TokenAuthority::new(
            TokenAuthority::generate_secret(),
            Arc::new(SystemClock),
        ))
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Whether entries remain after the last item.
    pub more: bool,
}

/// An OCI registry over a metadata store and a blob store.
pub struct Registry {
    pub(crate) kv: Arc<dyn Kv>,
    pub(crate) blobs: Arc<dyn BlobStore>,
    pub(crate) config: RegistryConfig,
}

/// How many times a transaction is retried when a concurrent writer wins.
const TXN_ATTEMPTS: usize = 8;

impl Registry {
    /// A registry storing metadata in `kv` and bytes in `blobs`.
    pub fn new(kv: Arc<dyn Kv>, blobs: Arc<dyn BlobStore>, config: RegistryConfig) -> Registry {
        Registry { kv, blobs, config }
    }

    /// The configuration in force.
    pub fn config(&self) -> &RegistryConfig {
        &self.config
    }

    /// The blob store (for callers that stream bytes themselves).
    pub fn blob_store(&self) -> &Arc<dyn BlobStore> {
        &self.blobs
    }

    fn now_secs(&self) -> u64 {
        self.config
            .clock
            .now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs())
    }

    pub(crate) async fn txn(&self, txn: Txn, context: &'static str) -> Result<bool, RegistryError> {
        self.kv
            .txn(txn)
            .await
            .map(|result| result.succeeded)
            .map_err(|source| RegistryError::Store { context, source })
    }

    pub(crate) async fn range(
        &self,
        range: &KeyRange,
        limit: usize,
        context: &'static str,
    ) -> Result<berth_store::RangeResult, RegistryError> {
        self.kv
            .range(range, limit)
            .await
            .map_err(|source| RegistryError::Store { context, source })
    }

    /// Creates a repository (ECR CreateRepository); `RepositoryExists` if it
    /// is already there.
    pub async fn create_repository(
        &self,
        name: &RepositoryName,
        immutable_tags: bool,
    ) -> Result<RepositoryRecord, RegistryError> {
        self.create_repository_with(
            name,
            RepositoryRecord {
                immutable_tags,
                ..RepositoryRecord::default()
            },
        )
        .await
    }

    /// Creates a repository with every setting of `record` (its
    /// `created_at` is set to now); `RepositoryExists` if it is there.
    pub async fn create_repository_with(
        &self,
        name: &RepositoryName,
        mut record: RepositoryRecord,
    ) -> Result<RepositoryRecord, RegistryError> {
        record.created_at = self.now_secs();
        let key = meta::repo_key(name.as_str());
        let created = self
            .txn(
                Txn {
                    compares: vec![Compare {
                        key: key.clone(),
                        condition: Condition::Absent,
                    }],
                    ops: vec![Op::Put {
                        key,
                        value: meta::encode(&record),
                    }],
                },
                "creating a repository",
            )
            .await?;
        if created {
            Ok(record)
        } else {
            Err(RegistryError::RepositoryExists {
                name: name.to_string(),
            })
        }
    }

    /// A repository's record, `None` when it does not exist.
    pub async fn repository(
        &self,
        name: &RepositoryName,
    ) -> Result<Option<RepositoryRecord>, RegistryError> {
        let found = meta::get_record(
            &*self.kv,
            &meta::repo_key(name.as_str()),
            "reading a repository",
        )
        .await?;
        Ok(found.map(|(record, _)| record))
    }

    /// Switches a repository's tags between mutable and immutable.
    pub async fn set_tag_immutability(
        &self,
        name: &RepositoryName,
        immutable_tags: bool,
    ) -> Result<(), RegistryError> {
        self.update_repository(name, |record| record.immutable_tags = immutable_tags)
            .await
            .map(|_| ())
    }

    /// Applies `change` to a repository's record atomically (re-running it
    /// on a fresh copy when a concurrent writer wins) and returns what the
    /// last run of `change` returned with the record as written.
    pub async fn update_repository<T>(
        &self,
        name: &RepositoryName,
        mut change: impl FnMut(&mut RepositoryRecord) -> T,
    ) -> Result<(T, RepositoryRecord), RegistryError> {
        let key = meta::repo_key(name.as_str());
        for _ in 0..TXN_ATTEMPTS {
            let Some((mut record, revision)) =
                meta::get_record::<RepositoryRecord>(&*self.kv, &key, "reading a repository")
                    .await?
            else {
                return Err(RegistryError::NameUnknown {
                    name: name.to_string(),
                });
            };
            let outcome = change(&mut record);
            let txn = Txn {
                compares: vec![Compare {
                    key: key.clone(),
                    condition: Condition::ModRevision(revision),
                }],
                ops: vec![Op::Put {
                    key: key.clone(),
                    value: meta::encode(&record),
                }],
            };
            if self.txn(txn, "updating a repository").await? {
                return Ok((outcome, record));
            }
        }
        Err(RegistryError::Busy)
    }

    /// Deletes a repository and its manifests, tags, links and referrers.
    /// Without `force` a repository holding manifests is refused. The blobs
    /// themselves are left to garbage collection.
    pub async fn delete_repository(
        &self,
        name: &RepositoryName,
        force: bool,
    ) -> Result<(), RegistryError> {
        if self.repository(name).await?.is_none() {
            return Err(RegistryError::NameUnknown {
                name: name.to_string(),
            });
        }
        let manifests = KeyRange::prefix(meta::manifests_prefix(name.as_str()));
        if !force
            && !self
                .range(&manifests, 1, "listing manifests")
                .await?
                .kvs
                .is_empty()
        {
            return Err(RegistryError::RepositoryNotEmpty {
                name: name.to_string(),
            });
        }
        let prefixes = [
            meta::manifests_prefix(name.as_str()),
            meta::tags_prefix(name.as_str()),
            meta::links_prefix(name.as_str()),
            format!("{}referrer/{}@", meta::PREFIX, name).into_bytes(),
        ];
        for prefix in prefixes {
            loop {
                let page = self
                    .range(
                        &KeyRange::prefix(prefix.clone()),
                        500,
                        "listing a repository",
                    )
                    .await?;
                if page.kvs.is_empty() {
                    break;
                }
                let ops = page
                    .kvs
                    .into_iter()
                    .map(|kv| Op::Delete { key: kv.key })
                    .collect();
                self.txn(
                    Txn {
                        compares: Vec::new(),
                        ops,
                    },
                    "deleting a repository",
                )
                .await?;
            }
        }
        self.txn(
            Txn {
                compares: Vec::new(),
                ops: vec![Op::Delete {
                    key: meta::repo_key(name.as_str()),
                }],
            },
            "deleting a repository",
        )
        .await?;
        Ok(())
    }

    /// Repository names in order, after `last`, at most `limit`.
    pub async fn list_repositories(
        &self,
        last: Option<&str>,
        limit: usize,
    ) -> Result<Page<String>, RegistryError> {
        let prefix = meta::repos_prefix();
        self.list_suffixes(prefix, last, limit, "listing repositories")
            .await
    }

    /// Lists the key suffixes under `prefix` after `last` (a page).
    async fn list_suffixes(
        &self,
        prefix: Vec<u8>,
        last: Option<&str>,
        limit: usize,
        context: &'static str,
    ) -> Result<Page<String>, RegistryError> {
        let limit = limit.min(self.config.max_page_size);
        if limit == 0 {
            return Ok(Page {
                items: Vec::new(),
                more: false,
            });
        }
        let range = match last {
            Some(last) => {
                let mut after = prefix.clone();
                after.extend_from_slice(last.as_bytes());
                KeyRange::prefix_after(prefix.clone(), &after)
            }
            None => KeyRange::prefix(prefix.clone()),
        };
        let page = self.range(&range, limit, context).await?;
        let items = page
            .kvs
            .iter()
            .filter_map(|kv| meta::key_suffix(&kv.key, &prefix).map(str::to_string))
            .collect();
        Ok(Page {
            items,
            more: page.more,
        })
    }

    /// Makes sure a push may write into `name`: the repository exists, or is
    /// created now when the registry does not require creation first.
    async fn ensure_repository(&self, name: &RepositoryName) -> Result<(), RegistryError> {
        if self.repository(name).await?.is_some() {
            return Ok(());
        }
        if self.config.require_existing_repository {
            return Err(RegistryError::NameUnknown {
                name: name.to_string(),
            });
        }
        match self.create_repository(name, false).await {
            Ok(_) | Err(RegistryError::RepositoryExists { .. }) => Ok(()),
            Err(err) => Err(err),
        }
    }

    /// Fails with `NameUnknown` when the repository does not exist.
    async fn require_repository(&self, name: &RepositoryName) -> Result<(), RegistryError> {
        match self.repository(name).await? {
            Some(_) => Ok(()),
            None => Err(RegistryError::NameUnknown {
                name: name.to_string(),
            }),
        }
    }

    /// A blob usable from repository `name`.
    pub async fn blob_info(
        &self,
        name: &RepositoryName,
        digest: &Digest,
    ) -> Result<BlobInfo, RegistryError> {
        let link = meta::get(
            &*self.kv,
            &meta::link_key(name.as_str(), digest),
            "reading a blob link",
        )
        .await?;
        let unknown = || RegistryError::BlobUnknown {
            digest: digest.to_string(),
        };
        if link.is_none() {
            if self.repository(name).await?.is_none() {
                return Err(RegistryError::NameUnknown {
                    name: name.to_string(),
                });
            }
            return Err(unknown());
        }
        self.blobs.stat(digest).await?.ok_or_else(unknown)
    }

    /// Streams a blob (or the inclusive `range` of it). It does not check
    /// repository membership: call [`Registry::blob_info`] first.
    pub async fn read_blob(
        &self,
        digest: &Digest,
        range: Option<ByteRange>,
    ) -> Result<ByteStream, RegistryError> {
        self.blobs
            .read(digest, range)
            .await
            .map_err(|err| match err {
                crate::blob::BlobStoreError::NotFound { digest } => RegistryError::BlobUnknown {
                    digest: digest.to_string(),
                },
                other => other.into(),
            })
    }

    /// Unlinks a blob from repository `name` (its bytes go at the next
    /// garbage collection if nothing else uses them).
    pub async fn delete_blob(
        &self,
        name: &RepositoryName,
        digest: &Digest,
    ) -> Result<(), RegistryError> {
        let key = meta::link_key(name.as_str(), digest);
        let deleted = self
            .txn(
                Txn {
                    compares: vec![Compare {
                        key: key.clone(),
                        condition: Condition::Exists,
                    }],
                    ops: vec![Op::Delete { key }],
                },
                "deleting a blob link",
            )
            .await?;
        if deleted {
            return Ok(());
        }
        self.require_repository(name).await?;
        Err(RegistryError::BlobUnknown {
            digest: digest.to_string(),
        })
    }

    /// Links `digest` into `name` in one transaction that fails if the
    /// collector doomed the blob or the repository vanished meanwhile.
    async fn link_blob(
        &self,
        name: &RepositoryName,
        info: &BlobInfo,
        extra: Vec<Compare>,
    ) -> Result<bool, RegistryError> {
        let mut compares = vec![
            Compare {
                key: meta::doomed_key(&info.digest),
                condition: Condition::Absent,
            },
            Compare {
                key: meta::repo_key(name.as_str()),
                condition: Condition::Exists,
            },
        ];
        compares.extend(extra);
        let txn = Txn {
            compares,
            ops: vec![Op::Put {
                key: meta::link_key(name.as_str(), &info.digest),
                value: meta::encode(&LinkRecord { size: info.size }),
            }],
        };
        self.txn(txn, "linking a blob").await
    }

    /// Cross-repository mount: links a blob of `from` into `name`. `None`
    /// when `from` does not hold it (the caller then opens an upload).
    pub async fn mount_blob(
        &self,
        name: &RepositoryName,
        digest: &Digest,
        from: &RepositoryName,
    ) -> Result<Option<BlobInfo>, RegistryError> {
        self.ensure_repository(name).await?;
        let from_key = meta::link_key(from.as_str(), digest);
        if meta::get(&*self.kv, &from_key, "reading a blob link")
            .await?
            .is_none()
        {
            return Ok(None);
        }
        let Some(info) = self.blobs.stat(digest).await? else {
            return Ok(None);
        };
        let source_still_linked = Compare {
            key: from_key,
            condition: Condition::Exists,
        };
        if self
            .link_blob(name, &info, vec![source_still_linked])
            .await?
        {
            Ok(Some(info))
        } else {
            Ok(None)
        }
    }

    /// Opens an upload session in `name`.
    pub async fn start_upload(&self, name: &RepositoryName) -> Result<UploadState, RegistryError> {
        self.ensure_repository(name).await?;
        Ok(self.blobs.create_upload(name.as_str()).await?)
    }

    /// The state of upload `id` of repository `name`.
    pub async fn upload_status(
        &self,
        name: &RepositoryName,
        id: &str,
    ) -> Result<UploadState, RegistryError> {
        match self.blobs.upload_state(id).await? {
            Some(state) if state.repository == name.as_str() => Ok(state),
            _ => Err(RegistryError::UploadUnknown { id: id.to_string() }),
        }
    }

    /// Appends a chunk. `start` is the chunk's first byte when the client
    /// sent `Content-Range`; a streamed chunk (`None`) continues at the end.
    pub async fn append_upload(
        &self,
        name: &RepositoryName,
        id: &str,
        start: Option<u64>,
        expected_len: Option<u64>,
        body: ByteStream,
    ) -> Result<UploadState, RegistryError> {
        let state = self.upload_status(name, id).await?;
        let start = start.unwrap_or(state.size);
        Ok(self
            .blobs
            .append_upload(id, start, expected_len, body)
            .await?)
    }

    /// Verifies and publishes an upload as blob `digest` of `name`.
    pub async fn finish_upload(
        &self,
        name: &RepositoryName,
        id: &str,
        digest: &Digest,
    ) -> Result<BlobInfo, RegistryError> {
        self.upload_status(name, id).await?;
        let info = self.blobs.finish_upload(id, digest).await?;
        if self.link_blob(name, &info, Vec::new()).await? {
            return Ok(info);
        }
        self.require_repository(name).await?;
        // The collector is deleting this very blob; the client must push again.
        Err(RegistryError::Busy)
    }

    /// Cancels upload `id` of `name`.
    pub async fn cancel_upload(
        &self,
        name: &RepositoryName,
        id: &str,
    ) -> Result<(), RegistryError> {
        self.upload_status(name, id).await?;
        if self.blobs.cancel_upload(id).await? {
            Ok(())
        } else {
            Err(RegistryError::UploadUnknown { id: id.to_string() })
        }
    }
}
