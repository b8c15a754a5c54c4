//! The container instance repository, with an index from host identity to
//! instance so that a host registering again gets its instance back.
//!
//! An instance is stored as two records side by side: its record
//! (`<cluster>/<id>`) and its usage (`<cluster>/<id>/usage`: what it has
//! left, and how many changes placement and releases made). A placement or
//! a release rewrites only the usage, a few dozen bytes, rather than the
//! whole record with every attribute (a real agent registers over thirty).
//! Every other write of an instance, its registration included, writes it
//! whole: the record with what is left folded in, and a usage record that
//! counts no change yet. So every change of an instance moves its usage
//! record, and a placement or a release compares that record alone.
//!
//! The usage sorts right after its record (instance ids are 32 hex digits,
//! none a prefix of another), so one watch delivers both in commit order,
//! and reads take a record and its usage from the same range read (see
//! [`Decoded`]): an old record paired with a later usage would pass a
//! placement's compare. An instance stored before usage records has none
//! until its next write, and reads as its record alone.
//!
//! Older versions of Berth read every key under the instance prefix as an
//! instance record, and their placements write only the record: every
//! server sharing a store must run this version or a later one, and a store
//! cannot go back to an older one once usage records are in it.

use std::sync::Arc;

use berth_model::container_instance::{ContainerInstance, Resources};
use berth_store::{Compare, KeyRange, KeyValue, Kv, Op, RangeResult, Revision, Txn};
use serde::{Deserialize, Serialize};

use crate::{Page, StateError, Table, Versioned};

/// Instance records by `<cluster>/<instance id>`.
pub const INSTANCES: Table<ContainerInstance> = Table::new(INSTANCES_PREFIX);
/// Usage records by `<cluster>/<instance id>/usage`, beside the records.
pub const INSTANCE_USAGE: Table<InstanceUsage> = Table::new(INSTANCES_PREFIX);
/// Instance ids by `<cluster>/<host id>`.
pub const INSTANCE_HOSTS: Table<String> = Table::new("ecs/instance-hosts/");

const INSTANCES_PREFIX: &str = "ecs/instances/";
const USAGE_SUFFIX: &str = "/usage";

/// The id of an instance record: `<cluster>/<instance id>`.
pub fn instance_key(cluster: &str, instance_id: &str) -> String {
    [cluster, "/", instance_id].concat()
}

/// The id of an instance's usage record: `<cluster>/<instance id>/usage`.
pub fn usage_key(cluster: &str, instance_id: &str) -> String {
    [cluster, "/", instance_id, USAGE_SUFFIX].concat()
}

/// What an id under a cluster's instance prefix (`<instance id>` or
/// `<instance id>/usage`) names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceKey<'a> {
    Record(&'a str),
    Usage(&'a str),
}

impl<'a> InstanceKey<'a> {
    /// Parses the part of a key after `ecs/instances/<cluster>/`.
    pub fn parse(id: &'a str) -> InstanceKey<'a> {
        match id.strip_suffix(USAGE_SUFFIX) {
            Some(instance_id) => InstanceKey::Usage(instance_id),
            None => InstanceKey::Record(id),
        }
    }
}

/// What placement and releases change of an instance: what it has left,
/// and how many times they changed it (counted in the instance's version).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceUsage {
    pub remaining: Resources,
    pub changes: u64,
}

/// The revision of a usage record, and the changes it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageStamp {
    pub revision: Revision,
    pub changes: u64,
}

/// The revisions an instance was read at: its record's, and its usage
/// record's when it has one. A write compares both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InstanceStamp {
    pub record: Revision,
    pub usage: Option<UsageStamp>,
}

impl InstanceStamp {
    /// The compare that holds while the instance is unchanged since the
    /// read: every write of an instance writes its usage record (an
    /// instance without one was stored by an older version, and has not been
    /// written since).
    pub fn unchanged(&self, cluster: &str, instance_id: &str) -> Compare {
        // 0: while there is none.
        INSTANCE_USAGE.unchanged(
            &usage_key(cluster, instance_id),
            self.usage.map_or(0, |usage| usage.revision),
        )
    }

    /// [`InstanceStamp::unchanged`], and the same of the record itself, for
    /// the rare writes of the whole instance.
    pub fn whole_unchanged(&self, cluster: &str, instance_id: &str) -> [Compare; 2] {
        [
            INSTANCES.unchanged(&instance_key(cluster, instance_id), self.record),
            self.unchanged(cluster, instance_id),
        ]
    }

    /// The write of `instance`, read at this stamp and changed by the
    /// caller, whole: its record with the usage in it, and a usage record
    /// that counts no change yet. The instance's version goes on from the
    /// merged one the caller bumped.
    pub fn write_whole(&self, cluster: &str, instance: &ContainerInstance) -> [Op; 2] {
        let usage = InstanceUsage {
            remaining: instance.remaining.clone(),
            changes: 0,
        };
        [
            INSTANCES.put_op(&instance_key(cluster, &instance.id), instance),
            INSTANCE_USAGE.put_op(&usage_key(cluster, &instance.id), &usage),
        ]
    }

    /// The whole write of `instance` (see [`InstanceStamp::write_whole`]),
    /// compared on both records as read at this stamp.
    pub fn whole_txn(&self, cluster: &str, instance: &ContainerInstance) -> Txn {
        Txn {
            compares: self.whole_unchanged(cluster, &instance.id).to_vec(),
            ops: self.write_whole(cluster, instance).to_vec(),
        }
    }

    /// The stamp of an instance just written whole at `revision`.
    pub fn written_whole(revision: Revision) -> InstanceStamp {
        InstanceStamp {
            record: revision,
            usage: Some(UsageStamp {
                revision,
                changes: 0,
            }),
        }
    }

    /// The write of what an instance read at this stamp has left, with the
    /// usage it writes (its change counted in the instance's version).
    pub fn write_usage(
        &self,
        cluster: &str,
        instance_id: &str,
        remaining: &Resources,
    ) -> (Op, InstanceUsage) {
        let usage = InstanceUsage {
            remaining: remaining.clone(),
            changes: self.usage.map_or(0, |usage| usage.changes) + 1,
        };
        let op = INSTANCE_USAGE.put_op(&usage_key(cluster, instance_id), &usage);
        (op, usage)
    }
}

/// An instance as read: its record with its usage applied, and the
/// revisions to compare on when writing it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredInstance {
    pub value: ContainerInstance,
    pub stamp: InstanceStamp,
}

/// The instance a record and its usage record describe together: what the
/// usage says is left, and a version that counts the usage's changes too.
/// (`record` is the instance record as stored.)
pub fn merge(record: &mut ContainerInstance, usage: &InstanceUsage) {
    record.remaining.clone_from(&usage.remaining);
    record.version += usage.changes;
}

/// Container instances of every cluster.
#[derive(Clone)]
pub struct InstanceRepo {
    kv: Arc<dyn Kv>,
}

impl InstanceRepo {
    pub(crate) fn new(kv: Arc<dyn Kv>) -> Self {
        InstanceRepo { kv }
    }

    /// One instance with its revisions: its two records in one read.
    pub async fn get(
        &self,
        cluster: &str,
        instance_id: &str,
    ) -> Result<Option<StoredInstance>, StateError> {
        let record = INSTANCES.key(&instance_key(cluster, instance_id));
        let mut end = INSTANCE_USAGE.key(&usage_key(cluster, instance_id));
        end.push(0);
        let range = KeyRange { start: record, end };
        let result = self.kv.range(&range, 2).await?;
        // The range holds the two keys only: nothing is left to read.
        let (complete, _) = Decoded::new(cluster).take_page(&range, &result)?;
        Ok(complete
            .into_iter()
            .find(|stored| stored.value.id == instance_id))
    }

    /// Reads an instance, lets `change` compute it anew from the current one
    /// (`None` when absent), and writes it whole if neither of its records
    /// changed meanwhile, retrying on a lost race. Returns what was written
    /// and the revision it was written at.
    pub async fn modify<E: From<StateError>>(
        &self,
        cluster: &str,
        instance_id: &str,
        mut change: impl FnMut(Option<ContainerInstance>) -> Result<ContainerInstance, E>,
    ) -> Result<Versioned<ContainerInstance>, E> {
        for _ in 0..crate::MAX_CAS_ATTEMPTS {
            let current = self.get(cluster, instance_id).await?;
            let stamp = current
                .as_ref()
                .map(|stored| stored.stamp)
                .unwrap_or_default();
            let updated = change(current.map(|stored| stored.value))?;
            let txn = stamp.whole_txn(cluster, &updated);
            let committed = self.kv.txn(txn).await.map_err(StateError::from)?;
            if committed.succeeded {
                return Ok(Versioned {
                    value: updated,
                    mod_revision: committed.revision,
                });
            }
        }
        Err(StateError::Contention {
            key: String::from_utf8_lossy(&INSTANCES.key(&instance_key(cluster, instance_id)))
                .into_owned(),
        }
        .into())
    }

    /// The instance a host registered as, if any.
    pub async fn by_host(
        &self,
        cluster: &str,
        host_id: &str,
    ) -> Result<Option<String>, StateError> {
        Ok(INSTANCE_HOSTS
            .get(&*self.kv, &instance_key(cluster, host_id))
            .await?
            .map(|record| record.value))
    }

    /// Instances of `cluster` in id order after `after` that `keep` accepts,
    /// up to `limit` (1 or more); a final empty page is allowed.
    pub async fn list(
        &self,
        cluster: &str,
        after: Option<&str>,
        limit: usize,
        mut keep: impl FnMut(&ContainerInstance) -> bool,
    ) -> Result<Page<ContainerInstance>, StateError> {
        let limit = limit.max(1);
        let mut items = Vec::new();
        let mut next_after = None;
        self.scan(cluster, after, limit.clamp(100, 1000), |stored| {
            if keep(&stored.value) {
                items.push((stored.value.id.clone(), stored.value));
                if items.len() == limit {
                    next_after = items.last().map(|(id, _)| id.clone());
                    return false;
                }
            }
            true
        })
        .await?;
        Ok(Page { items, next_after })
    }

    /// Every instance of `cluster`, for placement and counts.
    pub async fn all(&self, cluster: &str) -> Result<Vec<ContainerInstance>, StateError> {
        let mut instances = Vec::new();
        self.scan(cluster, None, 1000, |stored| {
            instances.push(stored.value);
            true
        })
        .await?;
        Ok(instances)
    }

    /// Hands the instances of `cluster` after `after` to `each` in id order,
    /// read `batch` keys at a time, until it answers false.
    async fn scan(
        &self,
        cluster: &str,
        after: Option<&str>,
        batch: usize,
        mut each: impl FnMut(StoredInstance) -> bool,
    ) -> Result<(), StateError> {
        let prefix = INSTANCES.key(&format!("{cluster}/"));
        let mut range = match after {
            // Past the instance's usage record too.
            Some(after) => {
                KeyRange::prefix_after(prefix, &INSTANCE_USAGE.key(&usage_key(cluster, after)))
            }
            None => KeyRange::prefix(prefix),
        };
        let mut decoded = Decoded::new(cluster);
        loop {
            let result = self.kv.range(&range, batch).await?;
            let (complete, rest) = decoded.take_page(&range, &result)?;
            for stored in complete {
                if !each(stored) {
                    return Ok(());
                }
            }
            match rest {
                Some(rest) => range = rest,
                None => return Ok(()),
            }
        }
    }
}

/// Instances assembled from the records of a cluster read in key order,
/// each usage record right after its instance's record. A record and its
/// usage are always taken from the same read, so an instance is never an
/// old record paired with a later usage (whose revision a placement would
/// then compare on and find current).
pub struct Decoded {
    cluster_prefix: usize,
    instances: Vec<StoredInstance>,
    /// The key of the last record added, while no usage record followed it.
    last_record: Option<Vec<u8>>,
}

impl Decoded {
    pub fn new(cluster: &str) -> Self {
        Decoded {
            cluster_prefix: INSTANCES.key(&format!("{cluster}/")).len(),
            instances: Vec::new(),
            last_record: None,
        }
    }

    /// The instances `page`, read from `range`, completed, and what is left
    /// of the range to read (see [`Decoded::after_read`]).
    pub fn take_page(
        &mut self,
        range: &KeyRange,
        page: &RangeResult,
    ) -> Result<(Vec<StoredInstance>, Option<KeyRange>), StateError> {
        for kv in &page.kvs {
            self.add(kv)?;
        }
        Ok(self.after_read(range, page))
    }

    /// Adds one record read from the cluster's instance prefix.
    fn add(&mut self, kv: &KeyValue) -> Result<(), StateError> {
        let corrupt = |source| StateError::Corrupt {
            key: String::from_utf8_lossy(&kv.key).into_owned(),
            source,
        };
        let id = String::from_utf8_lossy(&kv.key[self.cluster_prefix.min(kv.key.len())..]);
        match InstanceKey::parse(&id) {
            InstanceKey::Record(_) => {
                let value: ContainerInstance =
                    serde_json::from_slice(&kv.value).map_err(corrupt)?;
                self.last_record = Some(kv.key.clone());
                self.instances.push(StoredInstance {
                    value,
                    stamp: InstanceStamp {
                        record: kv.mod_revision,
                        usage: None,
                    },
                });
            }
            InstanceKey::Usage(instance_id) => {
                self.last_record = None;
                let usage: InstanceUsage = serde_json::from_slice(&kv.value).map_err(corrupt)?;
                match self.instances.last_mut() {
                    Some(stored) if stored.value.id == instance_id => {
                        merge(&mut stored.value, &usage);
                        stored.stamp.usage = Some(UsageStamp {
                            revision: kv.mod_revision,
                            changes: usage.changes,
                        });
                    }
                    // Its record is gone, or was read at another revision
                    // (a read that started at this key): a usage alone
                    // describes no instance.
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// After `page`, read from `range` and added: the instances it
    /// completed, and what is left of the range to read. When more follows
    /// a page that ended on a record, that record's usage may be next, so
    /// the record is left for the next read, which starts at it. (A page of
    /// one record is taken as it is, so that reads of one key still move
    /// on; every caller reads more.)
    fn after_read(
        &mut self,
        range: &KeyRange,
        page: &RangeResult,
    ) -> (Vec<StoredInstance>, Option<KeyRange>) {
        let Some(mut rest) = range.rest_after(page) else {
            self.last_record = None;
            return (std::mem::take(&mut self.instances), None);
        };
        if let Some(record) = self.last_record.take()
            && page.kvs.len() > 1
        {
            self.instances.pop();
            rest.start = record;
        }
        (std::mem::take(&mut self.instances), Some(rest))
    }
}

/// Turns `<cluster>/<id>` ids of a page into bare ids.
pub(crate) fn strip_cluster_prefix<T>(page: &mut Page<T>) {
    let strip = |id: &mut String| {
        if let Some((_, bare)) = id.split_once('/') {
            *id = bare.to_owned();
        }
    };
    for (id, _) in &mut page.items {
        strip(id);
    }
    if let Some(next) = &mut page.next_after {
        strip(next);
    }
}

#[cfg(test)]
mod tests {
    use berth_model::container_instance::InstanceStatus;
    use berth_store::MemoryKv;

    use super::*;

    const CLUSTER: &str = "c";

    fn resources(cpu: u32) -> Resources {
        Resources {
            cpu,
            memory_mib: 1_024,
            tcp_ports: vec![22],
            udp_ports: Vec::new(),
        }
    }

    fn instance(id: &str, cpu_left: u32) -> ContainerInstance {
        ContainerInstance {
            id: id.to_owned(),
            cluster: CLUSTER.to_owned(),
            host_id: format!("host-{id}"),
            status: InstanceStatus::Active,
            agent_connected: true,
            registered: resources(4_096),
            remaining: resources(cpu_left),
            attributes: Vec::new(),
            agent_version: String::new(),
            docker_version: String::new(),
            registered_at_ms: 1,
            tags: Vec::new(),
            version: 1,
        }
    }

    async fn commit(kv: &MemoryKv, compares: Vec<Compare>, ops: Vec<Op>) -> Option<Revision> {
        let result = kv.txn(Txn { compares, ops }).await.expect("txn");
        result.succeeded.then_some(result.revision)
    }

    /// A registration as this version writes it: the record and a usage
    /// record that counts no change.
    async fn register(kv: &MemoryKv, id: &str) -> Revision {
        let ops = InstanceStamp::default()
            .write_whole(CLUSTER, &instance(id, 4_096))
            .to_vec();
        commit(kv, Vec::new(), ops).await.expect("registered")
    }

    /// A placement as placement writes it: `cpu` taken from what the
    /// instance read has left.
    async fn place(repo: &InstanceRepo, kv: &MemoryKv, id: &str, cpu: u32) -> Option<Revision> {
        let read = repo.get(CLUSTER, id).await.unwrap().expect("instance");
        let mut remaining = read.value.remaining.clone();
        remaining.cpu -= cpu;
        let (op, _) = read.stamp.write_usage(CLUSTER, id, &remaining);
        commit(kv, vec![read.stamp.unchanged(CLUSTER, id)], vec![op]).await
    }

    fn repo() -> (InstanceRepo, Arc<MemoryKv>) {
        let kv = Arc::new(MemoryKv::new());
        (InstanceRepo::new(kv.clone()), kv)
    }

    #[tokio::test]
    async fn a_placement_rewrites_only_the_usage_and_reads_merge_it() {
        let (repo, kv) = repo();
        let registered = register(&kv, "i1").await;
        let placed = place(&repo, &kv, "i1", 1_000).await.expect("placed");
        let read = repo.get(CLUSTER, "i1").await.unwrap().unwrap();
        assert_eq!(read.value.remaining.cpu, 3_096);
        assert_eq!(read.value.version, 2, "the usage's change counts");
        assert_eq!(read.stamp.record, registered, "the record was not written");
        assert_eq!(
            read.stamp.usage,
            Some(UsageStamp {
                revision: placed,
                changes: 1
            })
        );
        let record = INSTANCES
            .get(&*kv, &instance_key(CLUSTER, "i1"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(record.value.remaining.cpu, 4_096);
    }

    #[tokio::test]
    async fn a_whole_write_folds_the_usage_in_and_fails_a_placement_read_before_it() {
        let (repo, kv) = repo();
        register(&kv, "i1").await;
        place(&repo, &kv, "i1", 1_000).await.expect("placed");
        let before = repo.get(CLUSTER, "i1").await.unwrap().unwrap();
        let written = repo
            .modify(CLUSTER, "i1", |current| {
                let mut instance = current.expect("instance");
                instance.status = InstanceStatus::Draining;
                instance.version += 1;
                Ok::<_, StateError>(instance)
            })
            .await
            .unwrap();
        let after = repo.get(CLUSTER, "i1").await.unwrap().unwrap();
        assert_eq!(after.value, written.value);
        assert_eq!((after.value.remaining.cpu, after.value.version), (3_096, 3));
        assert_eq!(
            after.stamp,
            InstanceStamp::written_whole(written.mod_revision)
        );
        // A placement decided on what was read before the drain loses.
        let mut remaining = before.value.remaining.clone();
        remaining.cpu -= 1_000;
        let (op, _) = before.stamp.write_usage(CLUSTER, "i1", &remaining);
        let stale = commit(&kv, vec![before.stamp.unchanged(CLUSTER, "i1")], vec![op]).await;
        assert_eq!(stale, None);
        // And one read after it counts on from the record's version.
        place(&repo, &kv, "i1", 1_000).await.expect("placed");
        let last = repo.get(CLUSTER, "i1").await.unwrap().unwrap();
        assert_eq!((last.value.remaining.cpu, last.value.version), (2_096, 4));
    }

    #[tokio::test]
    async fn an_instance_stored_before_usage_records_reads_as_it_was_and_takes_placements() {
        let (repo, kv) = repo();
        let mut old = instance("i1", 3_000);
        old.version = 7;
        let key = instance_key(CLUSTER, "i1");
        commit(&kv, Vec::new(), vec![INSTANCES.put_op(&key, &old)])
            .await
            .unwrap();
        let read = repo.get(CLUSTER, "i1").await.unwrap().unwrap();
        assert_eq!(read.value, old);
        assert_eq!(read.stamp.usage, None);
        place(&repo, &kv, "i1", 1_000).await.expect("placed");
        let read = repo.get(CLUSTER, "i1").await.unwrap().unwrap();
        assert_eq!((read.value.remaining.cpu, read.value.version), (2_000, 8));
    }

    #[tokio::test]
    async fn a_usage_write_read_before_another_loses() {
        let (repo, kv) = repo();
        register(&kv, "i1").await;
        let read = repo.get(CLUSTER, "i1").await.unwrap().unwrap();
        place(&repo, &kv, "i1", 1_000).await.expect("placed");
        let (op, _) = read.stamp.write_usage(CLUSTER, "i1", &read.value.remaining);
        let lost = commit(&kv, vec![read.stamp.unchanged(CLUSTER, "i1")], vec![op]).await;
        assert_eq!(lost, None, "a release must not overwrite a placement");
    }

    #[tokio::test]
    async fn listings_pair_each_record_with_its_usage_across_reads_and_pages() {
        let (repo, kv) = repo();
        // Every other instance has had a placement: records and usage
        // records interleave, and reads of 100 keys end between pairs.
        let ids: Vec<String> = (0..157).map(|n| format!("{n:032x}")).collect();
        for (n, id) in ids.iter().enumerate() {
            register(&kv, id).await;
            if n.is_multiple_of(2) {
                place(&repo, &kv, id, 96).await.expect("placed");
            }
        }
        let expect = |n: usize| if n.is_multiple_of(2) { 4_000 } else { 4_096 };
        let all = repo.all(CLUSTER).await.unwrap();
        assert_eq!(all.len(), ids.len());
        for (n, instance) in all.iter().enumerate() {
            assert_eq!((&instance.id, instance.remaining.cpu), (&ids[n], expect(n)));
        }
        for limit in [1, 3, 50, 100, 157, 200] {
            let mut listed = Vec::new();
            let mut after: Option<String> = None;
            loop {
                let page = repo
                    .list(CLUSTER, after.as_deref(), limit, |_| true)
                    .await
                    .unwrap();
                assert!(page.items.len() <= limit);
                listed.extend(page.items.into_iter().map(|(id, i)| (id, i.remaining.cpu)));
                match page.next_after {
                    Some(next) => after = Some(next),
                    None => break,
                }
            }
            let expected: Vec<(String, u32)> = ids
                .iter()
                .enumerate()
                .map(|(n, id)| (id.clone(), expect(n)))
                .collect();
            assert_eq!(listed, expected, "pages of {limit}");
        }
        let drained = repo
            .list(CLUSTER, None, 10, |instance| {
                instance.remaining.cpu == 4_000
            })
            .await
            .unwrap();
        assert_eq!(drained.items.len(), 10);
        assert_eq!(drained.items[9].0, ids[18]);
    }

    #[test]
    fn keys_under_a_cluster_name_records_and_usage_records() {
        assert_eq!(InstanceKey::parse("abc"), InstanceKey::Record("abc"));
        assert_eq!(InstanceKey::parse("abc/usage"), InstanceKey::Usage("abc"));
        let record = INSTANCES.key(&instance_key(CLUSTER, "abc"));
        let usage = INSTANCE_USAGE.key(&usage_key(CLUSTER, "abc"));
        let next = INSTANCES.key(&instance_key(CLUSTER, "abd"));
        assert!(
            record < usage && usage < next,
            "each usage sorts right after its record"
        );
    }
}
