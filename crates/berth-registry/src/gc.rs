//! Garbage collection of blobs no manifest references, safe while pushes
//! run. Mark: every blob and manifest digest named by any stored manifest.
//! Candidates: unmarked blobs older than the grace period. Each candidate is
//! first marked "doomed" in the store; pushes that would reference it fail
//! their transaction from then on. A second mark pass then spares any
//! candidate a push referenced in between, and only the rest are unlinked
//! and deleted. Idle upload sessions past their expiry are cancelled.

use std::collections::HashSet;
use std::time::SystemTime;

use berth_store::{Compare, Condition, KeyRange, Op, Txn};

use crate::digest::Digest;
use crate::error::RegistryError;
use crate::meta::{self, ManifestRecord};
use crate::registry::Registry;

/// What one collection did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GcReport {
    /// Blobs whose bytes were deleted.
    pub blobs_deleted: usize,
    /// Bytes those blobs held.
    pub bytes_freed: u64,
    /// Repository links to deleted blobs that were removed.
    pub links_removed: usize,
    /// Idle upload sessions cancelled.
    pub uploads_expired: usize,
}

/// Markers written per transaction, keeping transactions small.
const BATCH: usize = 100;

impl Registry {
    /// Runs one mark-and-sweep collection.
    pub async fn collect_garbage(&self) -> Result<GcReport, RegistryError> {
        let now = self.config.clock.now();
        let mut report = GcReport {
            uploads_expired: self.expire_uploads(now).await?,
            ..GcReport::default()
        };

        let grace = self.config.gc_grace_period;
        let marked = self.mark().await?;
        let candidates: Vec<_> = self
            .blobs
            .list()
            .await?
            .into_iter()
            .filter(|blob| !marked.contains(&blob.digest))
            .filter(|blob| is_older_than(blob.modified, now, grace))
            .collect();
        if candidates.is_empty() {
            return Ok(report);
        }
        for chunk in candidates.chunks(BATCH) {
            let ops = chunk
                .iter()
                .map(|blob| Op::Put {
                    key: meta::doomed_key(&blob.digest),
                    value: Vec::new(),
                })
                .collect();
            self.txn(
                Txn {
                    compares: Vec::new(),
                    ops,
                },
                "dooming blobs",
            )
            .await?;
        }
        // Pushes that committed before the doom markers landed are visible
        // now; later ones fail their doom compare.
        let marked_again = self.mark().await?;
        let links = self
            .range(
                &KeyRange::prefix(meta::all_links_prefix()),
                0,
                "listing blob links",
            )
            .await?;
        for blob in &candidates {
            let doomed = meta::doomed_key(&blob.digest);
            let still_old = match self.blobs.stat(&blob.digest).await? {
                Some(info) => is_older_than(info.modified, now, grace),
                None => false,
            };
            if marked_again.contains(&blob.digest) || !still_old {
                self.undoom(doomed).await?;
                continue;
            }
            let suffix = format!("@{}", blob.digest);
            let link_ops: Vec<Op> = links
                .kvs
                .iter()
                .filter(|kv| kv.key.ends_with(suffix.as_bytes()))
                .map(|kv| Op::Delete {
                    key: kv.key.clone(),
                })
                .collect();
            let n_links = link_ops.len();
            if !link_ops.is_empty() {
                let txn = Txn {
                    compares: vec![Compare {
                        key: doomed.clone(),
                        condition: Condition::Exists,
                    }],
                    ops: link_ops,
                };
                self.txn(txn, "unlinking doomed blobs").await?;
                report.links_removed += n_links;
            }
            if self.blobs.delete(&blob.digest).await? {
                report.blobs_deleted += 1;
                report.bytes_freed += blob.size;
            }
            self.undoom(doomed).await?;
        }
        tracing::info!(
            blobs_deleted = report.blobs_deleted,
            bytes_freed = report.bytes_freed,
            uploads_expired = report.uploads_expired,
            "registry garbage collection finished"
        );
        Ok(report)
    }

    async fn undoom(&self, key: Vec<u8>) -> Result<(), RegistryError> {
        self.txn(
            Txn {
                compares: Vec::new(),
                ops: vec![Op::Delete { key }],
            },
            "clearing a doom marker",
        )
        .await?;
        Ok(())
    }

    /// Every digest a stored manifest keeps alive: its own bytes, its config
    /// and layers.
    async fn mark(&self) -> Result<HashSet<Digest>, RegistryError> {
        let prefix = meta::all_manifests_prefix();
        let manifests = self
            .range(&KeyRange::prefix(prefix.clone()), 0, "listing manifests")
            .await?;
        let mut marked = HashSet::new();
        for kv in &manifests.kvs {
            if let Some(digest) = meta::key_suffix(&kv.key, &prefix)
                .and_then(|suffix| suffix.rsplit_once('@'))
                .and_then(|(_, digest)| Digest::parse(digest).ok())
            {
                marked.insert(digest);
            }
            let record: ManifestRecord = meta::decode(kv)?;
            marked.extend(record.blobs.iter().filter_map(|d| Digest::parse(d).ok()));
        }
        Ok(marked)
    }

    async fn expire_uploads(&self, now: SystemTime) -> Result<usize, RegistryError> {
        let mut expired = 0;
        for upload in self.blobs.list_uploads().await? {
            if is_older_than(upload.updated, now, self.config.upload_expiry)
                && self.blobs.cancel_upload(&upload.id).await?
            {
                expired += 1;
            }
        }
        Ok(expired)
    }
}

/// Whether `time` lies at least `age` before `now` (a time in the future is
/// young).
fn is_older_than(time: SystemTime, now: SystemTime, age: std::time::Duration) -> bool {
    now.duration_since(time).is_ok_and(|elapsed| elapsed >= age)
}
