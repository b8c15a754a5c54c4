//! Manifests, tags and referrers: pushes are reference-checked and written
//! in one compare-and-swap transaction with their tag and referrer entry, so
//! concurrent tag moves, deletes and garbage collection cannot interleave
//! into a dangling state.

use bytes::Bytes;

use berth_store::{Compare, Condition, KeyRange, Op, Txn};

use super::{Page, Registry, TXN_ATTEMPTS};
use crate::digest::Digest;
use crate::error::RegistryError;
use crate::manifest::{ManifestError, ParsedManifest, parse_manifest};
use crate::meta::{self, ManifestRecord, ReferrerRecord, RepositoryRecord, TagRecord};
use crate::name::{Reference, RepositoryName};

/// A manifest's identity without its bytes (for HEAD and listings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestInfo {
    pub digest: Digest,
    pub media_type: String,
    pub size: u64,
}

/// A manifest with its exact stored bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredManifest {
    pub info: ManifestInfo,
    pub body: Bytes,
}

/// The result of a manifest push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedManifest {
    pub digest: Digest,
    /// The `subject` the manifest refers to (echoed as `OCI-Subject`).
    pub subject: Option<Digest>,
}

impl Registry {
    /// Stores a manifest under `reference` (a tag moves to it; a digest must
    /// equal the body's). Every referenced blob and child manifest must
    /// already be in the repository.
    pub async fn put_manifest(
        &self,
        name: &RepositoryName,
        reference: &Reference,
        content_type: Option<&str>,
        body: Bytes,
    ) -> Result<PushedManifest, RegistryError> {
        if body.len() as u64 > self.config.max_manifest_size {
            return Err(RegistryError::TooLarge {
                what: "manifest",
                limit: self.config.max_manifest_size,
            });
        }
        let digest = Digest::of(&body);
        if let Reference::Digest(claimed) = reference
            && claimed != &digest
        {
            return Err(RegistryError::DigestInvalid {
                reason: format!("manifest digest is {digest}, not {claimed}"),
            });
        }
        let parsed = parse_manifest(&body, content_type).map_err(|err| match err {
            ManifestError::Invalid(reason) => RegistryError::ManifestInvalid { reason },
            ManifestError::UnsupportedMediaType(media) => RegistryError::ManifestInvalid {
                reason: format!("unsupported media type {media:?}"),
            },
        })?;
        self.ensure_repository(name).await?;
        self.check_references(name, &parsed).await?;
        self.blobs.put(&digest, body.clone()).await?;
        let record = ManifestRecord {
            media_type: parsed.media_type.clone(),
            size: body.len() as u64,
            blobs: parsed.blobs.iter().map(Digest::to_string).collect(),
            manifests: parsed.manifests.iter().map(Digest::to_string).collect(),
            subject: parsed.subject.as_ref().map(Digest::to_string),
            artifact_type: parsed.artifact_type.clone(),
            annotations: parsed.annotations.clone(),
            pushed_at: self.now_secs(),
            content_size: parsed.content_size,
        };
        for _ in 0..TXN_ATTEMPTS {
            let txn = self
                .manifest_txn(name, reference, &digest, &parsed, &record)
                .await?;
            if self.txn(txn, "storing a manifest").await? {
                return Ok(PushedManifest {
                    digest,
                    subject: parsed.subject,
                });
            }
            // Something moved underneath: report a vanished reference
            // precisely, otherwise retry with fresh revisions.
            self.require_repository(name).await?;
            self.check_references(name, &parsed).await?;
        }
        Err(RegistryError::Busy)
    }

    /// Collects every referenced blob or child manifest `name` lacks.
    async fn check_references(
        &self,
        name: &RepositoryName,
        parsed: &ParsedManifest,
    ) -> Result<(), RegistryError> {
        let mut missing = Vec::new();
        for blob in &parsed.blobs {
            let key = meta::link_key(name.as_str(), blob);
            if meta::get(&*self.kv, &key, "reading a blob link")
                .await?
                .is_none()
            {
                missing.push(blob.clone());
            }
        }
        for child in &parsed.manifests {
            let key = meta::manifest_key(name.as_str(), child);
            if meta::get(&*self.kv, &key, "reading a manifest")
                .await?
                .is_none()
            {
                missing.push(child.clone());
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(RegistryError::ManifestBlobUnknown { digests: missing })
        }
    }

    /// Builds the push transaction: references and repository still there,
    /// nothing doomed by the collector, the tag unchanged since read.
    async fn manifest_txn(
        &self,
        name: &RepositoryName,
        reference: &Reference,
        digest: &Digest,
        parsed: &ParsedManifest,
        record: &ManifestRecord,
    ) -> Result<Txn, RegistryError> {
        let repo_key = meta::repo_key(name.as_str());
        let Some((repository, repo_revision)) =
            meta::get_record::<RepositoryRecord>(&*self.kv, &repo_key, "reading a repository")
                .await?
        else {
            return Err(RegistryError::NameUnknown {
                name: name.to_string(),
            });
        };
        let mut compares = vec![
            Compare {
                key: repo_key,
                condition: Condition::ModRevision(repo_revision),
            },
            Compare {
                key: meta::doomed_key(digest),
                condition: Condition::Absent,
            },
        ];
        for blob in &parsed.blobs {
            compares.push(Compare {
                key: meta::link_key(name.as_str(), blob),
                condition: Condition::Exists,
            });
            compares.push(Compare {
                key: meta::doomed_key(blob),
                condition: Condition::Absent,
            });
        }
        for child in &parsed.manifests {
            compares.push(Compare {
                key: meta::manifest_key(name.as_str(), child),
                condition: Condition::Exists,
            });
        }
        let mut ops = vec![Op::Put {
            key: meta::manifest_key(name.as_str(), digest),
            value: meta::encode(record),
        }];
        if let Reference::Tag(tag) = reference {
            let key = meta::tag_key(name.as_str(), tag.as_str());
            let current = meta::get_record::<TagRecord>(&*self.kv, &key, "reading a tag").await?;
            let revision = match &current {
                Some((existing, revision)) => {
                    if repository.is_tag_immutable(tag.as_str())
                        && existing.digest != digest.as_str()
                    {
                        return Err(RegistryError::TagImmutable {
                            tag: tag.to_string(),
                            repository: name.to_string(),
                        });
                    }
                    *revision
                }
                None => 0,
            };
            compares.push(Compare {
                key: key.clone(),
                condition: Condition::ModRevision(revision),
            });
            ops.push(Op::Put {
                key,
                value: meta::encode(&TagRecord {
                    digest: digest.to_string(),
                }),
            });
        }
        if let Some(subject) = &parsed.subject {
            let referrer = ReferrerRecord {
                media_type: record.media_type.clone(),
                digest: digest.to_string(),
                size: record.size,
                artifact_type: record.artifact_type.clone(),
                annotations: record.annotations.clone(),
            };
            ops.push(Op::Put {
                key: meta::referrer_key(name.as_str(), subject, digest),
                value: meta::encode(&referrer),
            });
        }
        Ok(Txn { compares, ops })
    }

    /// The digest a reference names in `name`.
    async fn resolve(
        &self,
        name: &RepositoryName,
        reference: &Reference,
    ) -> Result<Digest, RegistryError> {
        match reference {
            Reference::Digest(digest) => Ok(digest.clone()),
            Reference::Tag(tag) => {
                let key = meta::tag_key(name.as_str(), tag.as_str());
                match meta::get_record::<TagRecord>(&*self.kv, &key, "reading a tag").await? {
                    Some((record, _)) => {
                        Digest::parse(&record.digest).map_err(|_| RegistryError::ManifestUnknown {
                            reference: reference.to_string(),
                        })
                    }
                    None => Err(self.manifest_unknown(name, reference).await),
                }
            }
        }
    }

    /// `NameUnknown` when the repository is missing, else `ManifestUnknown`.
    async fn manifest_unknown(
        &self,
        name: &RepositoryName,
        reference: &Reference,
    ) -> RegistryError {
        match self.require_repository(name).await {
            Ok(()) => RegistryError::ManifestUnknown {
                reference: reference.to_string(),
            },
            Err(err) => err,
        }
    }

    /// A manifest's digest, media type and size.
    pub async fn manifest_info(
        &self,
        name: &RepositoryName,
        reference: &Reference,
    ) -> Result<ManifestInfo, RegistryError> {
        let digest = self.resolve(name, reference).await?;
        let key = meta::manifest_key(name.as_str(), &digest);
        match meta::get_record::<ManifestRecord>(&*self.kv, &key, "reading a manifest").await? {
            Some((record, _)) => Ok(ManifestInfo {
                digest,
                media_type: record.media_type,
                size: record.size,
            }),
            None => Err(self.manifest_unknown(name, reference).await),
        }
    }

    /// A manifest with its exact bytes.
    pub async fn get_manifest(
        &self,
        name: &RepositoryName,
        reference: &Reference,
    ) -> Result<StoredManifest, RegistryError> {
        let info = self.manifest_info(name, reference).await?;
        let body = self
            .blobs
            .read_all(&info.digest, self.config.max_manifest_size)
            .await?;
        Ok(StoredManifest { info, body })
    }

    /// Deletes a tag, or a manifest with every tag pointing at it.
    pub async fn delete_manifest(
        &self,
        name: &RepositoryName,
        reference: &Reference,
    ) -> Result<(), RegistryError> {
        let digest = match reference {
            Reference::Tag(tag) => {
                let key = meta::tag_key(name.as_str(), tag.as_str());
                let txn = Txn {
                    compares: vec![Compare {
                        key: key.clone(),
                        condition: Condition::Exists,
                    }],
                    ops: vec![Op::Delete { key }],
                };
                if self.txn(txn, "deleting a tag").await? {
                    return Ok(());
                }
                return Err(self.manifest_unknown(name, reference).await);
            }
            Reference::Digest(digest) => digest,
        };
        let key = meta::manifest_key(name.as_str(), digest);
        for _ in 0..TXN_ATTEMPTS {
            let Some((record, revision)) =
                meta::get_record::<ManifestRecord>(&*self.kv, &key, "reading a manifest").await?
            else {
                return Err(self.manifest_unknown(name, reference).await);
            };
            let tags_prefix = meta::tags_prefix(name.as_str());
            let tags = self
                .range(&KeyRange::prefix(tags_prefix), 0, "listing tags")
                .await?;
            let mut ops = vec![Op::Delete { key: key.clone() }];
            for tag in &tags.kvs {
                let tag_record: TagRecord = meta::decode(tag)?;
                if tag_record.digest == digest.as_str() {
                    ops.push(Op::Delete {
                        key: tag.key.clone(),
                    });
                }
            }
            if let Some(subject) = record
                .subject
                .as_deref()
                .and_then(|s| Digest::parse(s).ok())
            {
                ops.push(Op::Delete {
                    key: meta::referrer_key(name.as_str(), &subject, digest),
                });
            }
            // A concurrent push of the same manifest rewrites the record, so
            // this compare keeps a freshly pointed tag from dangling.
            let txn = Txn {
                compares: vec![Compare {
                    key: key.clone(),
                    condition: Condition::ModRevision(revision),
                }],
                ops,
            };
            if self.txn(txn, "deleting a manifest").await? {
                return Ok(());
            }
        }
        Err(RegistryError::Busy)
    }

    /// Tags of `name` in byte order, after `last`, at most `limit`.
    pub async fn list_tags(
        &self,
        name: &RepositoryName,
        last: Option<&str>,
        limit: usize,
    ) -> Result<Page<String>, RegistryError> {
        self.require_repository(name).await?;
        self.list_suffixes(
            meta::tags_prefix(name.as_str()),
            last,
            limit,
            "listing tags",
        )
        .await
    }

    /// Every manifest of `name` with its tags (for ECR image listings).
    pub async fn list_manifests(
        &self,
        name: &RepositoryName,
    ) -> Result<Vec<(Digest, ManifestRecord, Vec<String>)>, RegistryError> {
        self.require_repository(name).await?;
        let prefix = meta::manifests_prefix(name.as_str());
        let manifests = self
            .range(&KeyRange::prefix(prefix.clone()), 0, "listing manifests")
            .await?;
        let tags_prefix = meta::tags_prefix(name.as_str());
        let tags = self
            .range(&KeyRange::prefix(tags_prefix.clone()), 0, "listing tags")
            .await?;
        let mut tagged: Vec<(String, String)> = Vec::new();
        for tag in &tags.kvs {
            let record: TagRecord = meta::decode(tag)?;
            if let Some(tag_name) = meta::key_suffix(&tag.key, &tags_prefix) {
                tagged.push((record.digest, tag_name.to_string()));
            }
        }
        let mut out = Vec::new();
        for kv in &manifests.kvs {
            let Some(digest) =
                meta::key_suffix(&kv.key, &prefix).and_then(|s| Digest::parse(s).ok())
            else {
                continue;
            };
            let record: ManifestRecord = meta::decode(kv)?;
            let tags = tagged
                .iter()
                .filter(|(target, _)| target == digest.as_str())
                .map(|(_, tag)| tag.clone())
                .collect();
            out.push((digest, record, tags));
        }
        Ok(out)
    }

    /// Descriptors of the manifests in `name` whose subject is `subject`,
    /// optionally only those of `artifact_type`. An unknown subject gives an
    /// empty list, never an error.
    pub async fn list_referrers(
        &self,
        name: &RepositoryName,
        subject: &Digest,
        artifact_type: Option<&str>,
    ) -> Result<Vec<ReferrerRecord>, RegistryError> {
        self.require_repository(name).await?;
        let prefix = meta::referrers_prefix(name.as_str(), subject);
        let found = self
            .range(
                &KeyRange::prefix(prefix),
                self.config.max_page_size,
                "listing referrers",
            )
            .await?;
        let mut out = Vec::new();
        for kv in &found.kvs {
            let record: ReferrerRecord = meta::decode(kv)?;
            if artifact_type.is_none_or(|wanted| record.artifact_type.as_deref() == Some(wanted)) {
                out.push(record);
            }
        }
        Ok(out)
    }
}
