//! Lifecycle policies applied to a repository's images: the facts the pure
//! evaluation in [`crate::lifecycle`] needs, dry-run previews, and the
//! periodic pass that deletes what the stored policies expire.

use std::collections::HashSet;

use super::Registry;
use crate::digest::Digest;
use crate::error::RegistryError;
use crate::lifecycle::{self, ImageFacts, LifecyclePolicy};
use crate::meta::PreviewedImage;
use crate::name::{Reference, RepositoryName};

/// What one pass over every repository did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LifecycleReport {
    /// Repositories with a policy that were evaluated.
    pub repositories: usize,
    /// Images deleted.
    pub images_expired: usize,
}

impl Registry {
    /// The images of `name` a lifecycle policy may act on: every manifest
    /// except those an index or list in the repository references (deleting
    /// those would break the index, which ECR refuses too).
    pub async fn lifecycle_candidates(
        &self,
        name: &RepositoryName,
    ) -> Result<Vec<ImageFacts>, RegistryError> {
        let manifests = self.list_manifests(name).await?;
        let children: HashSet<&str> = manifests
            .iter()
            .flat_map(|(_, record, _)| record.manifests.iter().map(String::as_str))
            .collect();
        Ok(manifests
            .iter()
            .filter(|(digest, _, _)| !children.contains(digest.as_str()))
            .map(|(digest, record, tags)| ImageFacts {
                digest: digest.to_string(),
                tags: tags.clone(),
                pushed_at: record.pushed_at,
            })
            .collect())
    }

    /// The images `policy` would expire in `name` now, oldest first.
    pub async fn preview_lifecycle(
        &self,
        name: &RepositoryName,
        policy: &LifecyclePolicy,
    ) -> Result<Vec<PreviewedImage>, RegistryError> {
        let images = self.lifecycle_candidates(name).await?;
        let expiring = lifecycle::evaluate(policy, &images, self.now_secs());
        Ok(expiring
            .into_iter()
            .filter_map(|expiry| {
                images
                    .iter()
                    .find(|image| image.digest == expiry.digest)
                    .map(|image| PreviewedImage {
                        digest: image.digest.clone(),
                        tags: image.tags.clone(),
                        pushed_at: image.pushed_at,
                        rule_priority: expiry.rule_priority,
                    })
            })
            .collect())
    }

    /// Applies the stored lifecycle policy of `name`: deletes every image it
    /// expires and records the evaluation time. Returns how many went; a
    /// repository without a policy is left alone.
    pub async fn apply_lifecycle_policy(
        &self,
        name: &RepositoryName,
    ) -> Result<usize, RegistryError> {
        let Some(record) = self.repository(name).await? else {
            return Err(RegistryError::NameUnknown {
                name: name.to_string(),
            });
        };
        let Some(text) = record.lifecycle_policy else {
            return Ok(0);
        };
        let policy = match lifecycle::parse_policy(&text) {
            Ok(policy) => policy,
            Err(err) => {
                // Stored policies were validated on the way in; one that no
                // longer parses (rules tightened since) is skipped, not fatal.
                tracing::warn!(repository = %name, error = %err, "skipping an invalid lifecycle policy");
                return Ok(0);
            }
        };
        let expiring = self.preview_lifecycle(name, &policy).await?;
        let mut deleted = 0;
        for image in &expiring {
            let Ok(digest) = Digest::parse(&image.digest) else {
                continue;
            };
            match self.delete_manifest(name, &Reference::Digest(digest)).await {
                Ok(()) => deleted += 1,
                // Someone deleted it first: the goal is reached.
                Err(RegistryError::ManifestUnknown { .. }) => {}
                Err(err) => return Err(err),
            }
        }
        let now = self.now_secs();
        self.update_repository(name, |record| record.lifecycle_evaluated_at = Some(now))
            .await?;
        if deleted > 0 {
            tracing::info!(repository = %name, images = deleted, "lifecycle policy expired images");
        }
        Ok(deleted)
    }

    /// Applies every repository's lifecycle policy once. A repository that
    /// fails is logged and the pass goes on with the next.
    pub async fn apply_lifecycle_policies(&self) -> Result<LifecycleReport, RegistryError> {
        let mut report = LifecycleReport::default();
        let mut last: Option<String> = None;
        loop {
            let page = self.list_repositories(last.as_deref(), 500).await?;
            for repository in &page.items {
                let Ok(name) = RepositoryName::parse(repository) else {
                    continue;
                };
                let has_policy = self
                    .repository(&name)
                    .await?
                    .is_some_and(|record| record.lifecycle_policy.is_some());
                if !has_policy {
                    continue;
                }
                report.repositories += 1;
                match self.apply_lifecycle_policy(&name).await {
                    Ok(n) => report.images_expired += n,
                    Err(RegistryError::NameUnknown { .. }) => {}
                    Err(err) => {
                        tracing::warn!(repository = %name, error = %err, "lifecycle evaluation failed");
                    }
                }
            }
            match (page.more, page.items.last()) {
                (true, Some(item)) => last = Some(item.clone()),
                _ => return Ok(report),
            }
        }
    }
}
