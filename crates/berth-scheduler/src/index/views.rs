//! The derived structures of a [`ClusterIndex`] and how each is first built:
//! attribute columns, per-group task counts, and scopes (the whole cluster or
//! the instances one static memberOf expression matches) holding the ordered
//! sets selection walks. Everything is built on first use from the current
//! instances; `update` keeps it current afterwards.

use std::collections::{BTreeSet, HashMap, btree_set};
use std::ops::Bound::{self, Excluded, Included, Unbounded};

use super::{ClusterIndex, position};
use crate::instance::InstanceSnapshot;
use crate::query::Expression;
use crate::request::{BinpackField, PlacementRequest, PlacementStrategy, SpreadField};

/// `(value, position)` pairs in ascending order, the order they are stored
/// in; selection walks each value's positions in [`TieOrder`].
pub(super) type Ordered = BTreeSet<(u32, u32)>;

/// The order in which a request's walks visit positions of equal value:
/// from its tie start (see `PlacementRequest::tie_start`) up, then from 0
/// up to the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TieOrder {
    start: u32,
    /// How many positions there are: the order wraps around after the last.
    len: u32,
}

impl TieOrder {
    /// Ties from `start` among `len` positions (from 0 if `start` is not
    /// below `len`).
    pub(super) fn new(start: u32, len: u32) -> TieOrder {
        TieOrder {
            start: if start < len { start } else { 0 },
            len,
        }
    }

    /// Where `pos` comes in the order: 0 for the start, ascending from it.
    pub(super) fn rank(self, pos: u32) -> u32 {
        if pos >= self.start {
            pos - self.start
        } else {
            pos + (self.len - self.start)
        }
    }

    /// `positions`, sorted ascending, walked in this order.
    pub(super) fn slice(self, positions: &[u32]) -> impl Iterator<Item = u32> + '_ {
        let split = positions.partition_point(|&pos| pos < self.start);
        positions[split..]
            .iter()
            .chain(&positions[..split])
            .copied()
    }

    /// The positions of `set` walked in this order, each as `(rank,
    /// position)`, so that walks of several sets merge in this order.
    fn set(self, set: &BTreeSet<u32>) -> TiePositions<'_> {
        TiePositions {
            set,
            ties: self,
            upper: Some(set.range(self.start..)),
            lower: None,
        }
    }

    /// The pairs of `set` with a value of at least `least`, by value, and
    /// within each value in this order, each as `(value, rank, position)`.
    fn pairs(self, set: &Ordered, least: u32) -> TiePairs<'_> {
        TiePairs {
            set,
            ties: self,
            next: Included((least, 0)),
            value: least,
            upper: None,
            lower: None,
        }
    }
}

/// The positions of a set from a tie start up, then from 0. Each part's
/// B-tree search is made only once the walk reaches it: most walks stop at
/// the first member that fits.
struct TiePositions<'s> {
    set: &'s BTreeSet<u32>,
    ties: TieOrder,
    upper: Option<btree_set::Range<'s, u32>>,
    lower: Option<btree_set::Range<'s, u32>>,
}

impl Iterator for TiePositions<'_> {
    type Item = (u32, u32);

    fn next(&mut self) -> Option<(u32, u32)> {
        if let Some(upper) = &mut self.upper {
            if let Some(&pos) = upper.next() {
                return Some((self.ties.rank(pos), pos));
            }
            self.upper = None;
            self.lower = Some(self.set.range(..self.ties.start));
        }
        let &pos = self.lower.as_mut()?.next()?;
        Some((self.ties.rank(pos), pos))
    }
}

/// The `(value, position)` pairs of a set by value, each value's positions
/// from a tie start up, then from 0, searched as lazily as [`TiePositions`].
struct TiePairs<'s> {
    set: &'s Ordered,
    ties: TieOrder,
    /// Where the next value is searched from.
    next: Bound<(u32, u32)>,
    value: u32,
    upper: Option<btree_set::Range<'s, (u32, u32)>>,
    lower: Option<btree_set::Range<'s, (u32, u32)>>,
}

impl Iterator for TiePairs<'_> {
    type Item = (u32, u32, u32);

    fn next(&mut self) -> Option<(u32, u32, u32)> {
        let start = self.ties.start;
        loop {
            let pair = match (&mut self.upper, &mut self.lower) {
                (Some(upper), _) => upper.next(),
                (None, Some(lower)) => lower.next(),
                (None, None) => None,
            };
            if let Some(&(value, pos)) = pair {
                return Some((value, self.ties.rank(pos), pos));
            }
            if self.upper.take().is_some() && start > 0 {
                self.lower = Some(self.set.range((self.value, 0)..(self.value, start)));
                continue;
            }
            self.lower = None;
            let &(value, _) = self.set.range((self.next, Unbounded)).next()?;
            self.value = value;
            self.next = Excluded((value, u32::MAX));
            self.upper = Some(self.set.range((value, start)..=(value, u32::MAX)));
        }
    }
}

/// Members by (remaining amount of one resource, position), the walk of
/// binpack on that resource, with the members that have none left of the
/// other resource (CPU for binpack on memory, and the reverse) set apart.
/// Those can only take tasks that need none of it; once a filling cluster
/// held thousands of them, walking past them on every decision was most of
/// what binpack cost.
#[derive(Debug, Clone)]
pub(super) struct Binpacked {
    field: BinpackField,
    /// Members with some of the other resource left.
    open: Ordered,
    /// Members with none of it left.
    other_exhausted: Ordered,
}

impl Binpacked {
    pub(super) fn new(field: BinpackField) -> Binpacked {
        Binpacked {
            field,
            open: Ordered::new(),
            other_exhausted: Ordered::new(),
        }
    }

    /// Enters member `pos` as `instance` stands now.
    pub(super) fn insert(&mut self, pos: u32, instance: &InstanceSnapshot) {
        let (remaining, set) = self.place_of(instance);
        set.insert((remaining, pos));
    }

    /// Takes out member `pos`, entered when `instance` stood as it does now.
    pub(super) fn remove(&mut self, pos: u32, instance: &InstanceSnapshot) {
        let (remaining, set) = self.place_of(instance);
        set.remove(&(remaining, pos));
    }

    /// What `instance` has left of the binpacked resource, and the set it
    /// belongs in.
    fn place_of(&mut self, instance: &InstanceSnapshot) -> (u32, &mut Ordered) {
        let (remaining, other_left) = match self.field {
            BinpackField::Cpu => (instance.remaining_cpu, instance.remaining_memory_mib),
            BinpackField::Memory => (instance.remaining_memory_mib, instance.remaining_cpu),
        };
        let set = if other_left == 0 {
            &mut self.other_exhausted
        } else {
            &mut self.open
        };
        (remaining, set)
    }

    /// The members with at least `needed` left, in binpack order (ties in
    /// `ties` order), leaving out those with none of the other resource
    /// left unless `other_needed` is 0.
    pub(super) fn walk(
        &self,
        needed: u32,
        other_needed: u32,
        ties: TieOrder,
    ) -> impl Iterator<Item = (u32, u32)> {
        let open = ties.pairs(&self.open, needed);
        let exhausted = (other_needed == 0)
            .then(|| ties.pairs(&self.other_exhausted, needed))
            .into_iter()
            .flatten();
        Merged::new(open, exhausted).map(|(value, _, pos)| (value, pos))
    }
}

/// Two ascending iterators as one.
struct Merged<L: Iterator, R: Iterator> {
    left: std::iter::Peekable<L>,
    right: std::iter::Peekable<R>,
}

impl<L: Iterator, R: Iterator> Merged<L, R> {
    fn new(left: L, right: R) -> Self {
        Merged {
            left: left.peekable(),
            right: right.peekable(),
        }
    }
}

impl<T, L, R> Iterator for Merged<L, R>
where
    T: Ord,
    L: Iterator<Item = T>,
    R: Iterator<Item = T>,
{
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match (self.left.peek(), self.right.peek()) {
            (Some(left), Some(right)) if right < left => self.right.next(),
            (Some(_), _) => self.left.next(),
            (None, _) => self.right.next(),
        }
    }
}

/// Members in walk order (`T`: a position, or a (group count, position)
/// pair), with those that have no CPU or no memory left set apart as in
/// [`Binpacked`]. Spread takes the first feasible member of the least-used
/// value (or instance), and once a filling cluster held thousands of full
/// hosts, walking past them was most of what each decision cost.
#[derive(Debug, Clone)]
pub(super) struct Bucket<T = u32> {
    /// Members with CPU and memory left.
    open: BTreeSet<T>,
    /// Members with memory left and no CPU.
    cpu_exhausted: BTreeSet<T>,
    /// Members with no memory left.
    memory_exhausted: BTreeSet<T>,
}

impl<T> Default for Bucket<T> {
    fn default() -> Self {
        Bucket {
            open: BTreeSet::new(),
            cpu_exhausted: BTreeSet::new(),
            memory_exhausted: BTreeSet::new(),
        }
    }
}

/// Which set of a [`Bucket`] an instance belongs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Exhaustion {
    Open,
    Cpu,
    Memory,
}

impl Exhaustion {
    pub(super) fn of(instance: &InstanceSnapshot) -> Exhaustion {
        Exhaustion::with(instance.remaining_cpu, instance.remaining_memory_mib)
    }

    /// The set of an instance with `cpu` units and `memory_mib` left.
    pub(super) fn with(cpu: u32, memory_mib: u32) -> Exhaustion {
        if memory_mib == 0 {
            Exhaustion::Memory
        } else if cpu == 0 {
            Exhaustion::Cpu
        } else {
            Exhaustion::Open
        }
    }
}

impl<T: Ord + Copy> Bucket<T> {
    /// Enters `member` as its `instance` stands now.
    pub(super) fn insert(&mut self, member: T, instance: &InstanceSnapshot) {
        self.set_of(instance).insert(member);
    }

    /// Takes out `member`, entered when its `instance` stood as it does now.
    pub(super) fn remove(&mut self, member: T, instance: &InstanceSnapshot) {
        self.set_of(instance).remove(&member);
    }

    fn set_of(&mut self, instance: &InstanceSnapshot) -> &mut BTreeSet<T> {
        match Exhaustion::of(instance) {
            Exhaustion::Memory => &mut self.memory_exhausted,
            Exhaustion::Cpu => &mut self.cpu_exhausted,
            Exhaustion::Open => &mut self.open,
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.open.is_empty() && self.cpu_exhausted.is_empty() && self.memory_exhausted.is_empty()
    }

    /// The sets a walk for a task needing `cpu` and `memory_mib` visits:
    /// it leaves out the members with no memory left unless `memory_mib` is
    /// 0, and those with memory but no CPU left unless `cpu` is 0, since
    /// none of them could take the task. (A member with neither left is
    /// walked for a task that needs no memory; the feasibility check turns
    /// it down.)
    fn walked(&self, cpu: u32, memory_mib: u32) -> [Option<&BTreeSet<T>>; 3] {
        [
            Some(&self.open),
            (cpu == 0).then_some(&self.cpu_exhausted),
            (memory_mib == 0).then_some(&self.memory_exhausted),
        ]
    }
}

impl Bucket<u32> {
    /// The members a task needing `cpu` and `memory_mib` could go to (see
    /// `walked`), in `ties` order.
    pub(super) fn walk(
        &self,
        cpu: u32,
        memory_mib: u32,
        ties: TieOrder,
    ) -> impl Iterator<Item = u32> {
        let [open, cpu_exhausted, memory_exhausted] = self
            .walked(cpu, memory_mib)
            .map(|set| set.into_iter().flat_map(move |set| ties.set(set)));
        Merged::new(Merged::new(open, cpu_exhausted), memory_exhausted).map(|(_, pos)| pos)
    }
}

impl Bucket<(u32, u32)> {
    /// The (group count, position) members a task needing `cpu` and
    /// `memory_mib` could go to (see `walked`), by count and within each
    /// count in `ties` order.
    pub(super) fn walk(
        &self,
        cpu: u32,
        memory_mib: u32,
        ties: TieOrder,
    ) -> impl Iterator<Item = (u32, u32)> {
        let [open, cpu_exhausted, memory_exhausted] = self
            .walked(cpu, memory_mib)
            .map(|set| set.into_iter().flat_map(move |set| ties.pairs(set, 0)));
        Merged::new(Merged::new(open, cpu_exhausted), memory_exhausted)
            .map(|(count, _, pos)| (count, pos))
    }
}

/// The values of one attribute across the cluster, as dense ids.
#[derive(Debug, Clone, Default)]
pub(super) struct AttrColumn {
    /// Value id of each instance; instances lacking the attribute share the
    /// id of `None`.
    pub(super) value_of: Vec<u32>,
    /// The id of each value seen so far; ids are never reused, so a value
    /// that disappears just leaves an empty bucket behind.
    pub(super) ids: HashMap<Option<String>, u32>,
}

impl AttrColumn {
    /// The id of `value`, allocating the next one for a value not seen yet.
    pub(super) fn id_for(&mut self, value: Option<&str>) -> u32 {
        if let Some(&id) = self.ids.get(&value.map(str::to_owned)) {
            return id;
        }
        let id = position(self.ids.len());
        self.ids.insert(value.map(str::to_owned), id);
        id
    }

    /// How many value ids exist.
    pub(super) fn n_values(&self) -> usize {
        self.ids.len()
    }
}

/// Task counts of one group over the whole cluster.
#[derive(Debug, Clone, Default)]
pub(super) struct GroupCounts {
    /// Tasks of the group on each instance.
    pub(super) counts: Vec<u32>,
    /// Per attribute used in a spread strategy: tasks of the group per value
    /// id, on all instances (accepting or not, as the spread rule says).
    pub(super) by_value: HashMap<String, Vec<u32>>,
}

/// One group's ordered sets within one scope.
#[derive(Debug, Clone, Default)]
pub(super) struct ScopedGroup {
    /// Members by (group count, position); for spread by instance first.
    pub(super) by_count: Option<Bucket<(u32, u32)>>,
    /// Per spread attribute, per value id: members with that value by
    /// (group count, position); for spread by attribute then by instance.
    pub(super) by_value: HashMap<String, Vec<Bucket<(u32, u32)>>>,
}

/// A set of instances selection may walk instead of the whole cluster.
///
/// Slot 0 of the index is every instance accepting tasks; every other slot
/// holds the accepting instances one static memberOf expression matches.
/// Walking the ordered sets of the smallest applicable scope means
/// non-matching instances are never visited at all.
#[derive(Debug, Clone)]
pub(super) struct Scope {
    /// The expression members must match; `None` for the whole cluster.
    pub(super) expression: Option<Expression>,
    /// Whether each instance is a member (matches and accepts tasks).
    pub(super) member: Vec<bool>,
    /// Member positions, ascending.
    pub(super) members: Vec<u32>,
    /// Members by (remaining CPU, position); for binpack on CPU first.
    pub(super) by_cpu: Option<Binpacked>,
    /// Members by (remaining memory, position); for binpack on memory first.
    pub(super) by_memory: Option<Binpacked>,
    /// Per spread attribute, per value id: the members with that value.
    pub(super) by_value: HashMap<String, Vec<Bucket>>,
    /// Ordered sets per task group.
    pub(super) groups: HashMap<String, ScopedGroup>,
}

impl Scope {
    /// The scope of `expression` (or the whole cluster) over `instances`.
    pub(super) fn new(expression: Option<Expression>, instances: &[InstanceSnapshot]) -> Scope {
        let mut scope = Scope {
            expression,
            member: Vec::with_capacity(instances.len()),
            members: Vec::new(),
            by_cpu: None,
            by_memory: None,
            by_value: HashMap::new(),
            groups: HashMap::new(),
        };
        for (idx, instance) in instances.iter().enumerate() {
            let admitted = scope.admits(instance);
            scope.member.push(admitted);
            if admitted {
                scope.members.push(position(idx));
            }
        }
        scope
    }

    /// Whether `instance` belongs in the scope.
    pub(super) fn admits(&self, instance: &InstanceSnapshot) -> bool {
        instance.accepts_tasks()
            && self
                .expression
                .as_ref()
                .is_none_or(|expression| expression.matches(instance))
    }

    /// Whether instance `idx` is a member.
    pub(super) fn contains(&self, idx: usize) -> bool {
        self.member.get(idx).copied().unwrap_or(false)
    }
}

/// The value under `key`, made first if missing. Unlike `entry`, a hit
/// allocates no key: this runs once per decision.
fn entry<'m, V>(
    map: &'m mut HashMap<String, V>,
    key: &str,
    make: impl FnOnce() -> V,
) -> Option<&'m mut V> {
    if !map.contains_key(key) {
        map.insert(key.to_owned(), make());
    }
    map.get_mut(key)
}

impl ClusterIndex {
    /// Builds whatever `request` needs: its group's counts, the columns and
    /// value counts of its spread attributes, a scope per static memberOf
    /// expression, and the ordered sets its first strategy walks in
    /// `primary` (the scope selection will walk).
    pub(super) fn prepare_views(&mut self, request: &PlacementRequest, primary: usize) {
        self.ensure_group(&request.group);
        for strategy in &request.strategies {
            if let PlacementStrategy::Spread(SpreadField::Attribute(name)) = strategy {
                self.ensure_group_spread(&request.group, name);
            }
        }
        let ClusterIndex {
            instances,
            scopes,
            groups,
            columns,
            ..
        } = self;
        let (Some(scope), Some(counts)) = (scopes.get_mut(primary), groups.get(&request.group))
        else {
            return;
        };
        match request.strategies.first() {
            Some(PlacementStrategy::Binpack(field)) => {
                let set = match field {
                    BinpackField::Cpu => &mut scope.by_cpu,
                    BinpackField::Memory => &mut scope.by_memory,
                };
                if set.is_none() {
                    let mut built = Binpacked::new(*field);
                    for &pos in &scope.members {
                        built.insert(pos, &instances[pos as usize]);
                    }
                    *set = Some(built);
                }
            }
            Some(PlacementStrategy::Spread(SpreadField::InstanceId)) => {
                let Some(group) = entry(&mut scope.groups, &request.group, Default::default) else {
                    return;
                };
                if group.by_count.is_none() {
                    let mut built = Bucket::default();
                    for &pos in &scope.members {
                        built.insert((counts.counts[pos as usize], pos), &instances[pos as usize]);
                    }
                    group.by_count = Some(built);
                }
            }
            Some(PlacementStrategy::Spread(SpreadField::Attribute(name))) => {
                let Some(column) = columns.get(name) else {
                    return;
                };
                let members = &scope.members;
                if entry(&mut scope.by_value, name, || {
                    let mut buckets = vec![Bucket::default(); column.n_values()];
                    for &pos in members {
                        buckets[column.value_of[pos as usize] as usize]
                            .insert(pos, &instances[pos as usize]);
                    }
                    buckets
                })
                .is_none()
                {
                    return;
                }
                // Within a bucket only instance spread has an ordered walk;
                // any other tie-breaker scans the bucket's members.
                if request.strategies.get(1)
                    == Some(&PlacementStrategy::Spread(SpreadField::InstanceId))
                {
                    let Some(group) = entry(&mut scope.groups, &request.group, Default::default)
                    else {
                        return;
                    };
                    entry(&mut group.by_value, name, || {
                        let mut sets = vec![Bucket::default(); column.n_values()];
                        for &pos in members {
                            sets[column.value_of[pos as usize] as usize].insert(
                                (counts.counts[pos as usize], pos),
                                &instances[pos as usize],
                            );
                        }
                        sets
                    });
                }
            }
            Some(PlacementStrategy::Random) | None => {}
        }
    }

    /// The slot of the scope of a static `expression`, built on first use.
    pub(super) fn ensure_scope(&mut self, expression: &Expression) -> usize {
        if let Some(&slot) = self.scope_slots.get(expression.canonical()) {
            return slot;
        }
        let slot = self.scopes.len();
        self.scopes
            .push(Scope::new(Some(expression.clone()), &self.instances));
        self.scope_slots
            .insert(expression.canonical().to_owned(), slot);
        slot
    }

    fn ensure_column(&mut self, name: &str) {
        if self.columns.contains_key(name) {
            return;
        }
        let mut column = AttrColumn::default();
        for instance in &self.instances {
            let id = column.id_for(instance.attribute(name));
            column.value_of.push(id);
        }
        self.columns.insert(name.to_owned(), column);
    }

    fn ensure_group(&mut self, group: &str) {
        if self.groups.contains_key(group) {
            return;
        }
        let counts = if self.groups_counted.contains(group) {
            self.instances
                .iter()
                .map(|i| i.group_count(group))
                .collect()
        } else {
            vec![0; self.instances.len()]
        };
        self.groups.insert(
            group.to_owned(),
            GroupCounts {
                counts,
                by_value: HashMap::new(),
            },
        );
    }

    fn ensure_group_spread(&mut self, group: &str, name: &str) {
        self.ensure_column(name);
        let (Some(column), Some(counts)) = (self.columns.get(name), self.groups.get_mut(group))
        else {
            return;
        };
        if counts.by_value.contains_key(name) {
            return;
        }
        let mut value_counts = vec![0u32; column.n_values()];
        for (idx, &value) in column.value_of.iter().enumerate() {
            value_counts[value as usize] =
                value_counts[value as usize].saturating_add(counts.counts[idx]);
        }
        counts.by_value.insert(name.to_owned(), value_counts);
    }

    /// Extends every per-value vector of attribute `name` to `n_values`
    /// entries after a replaced instance brought a value not seen before.
    pub(super) fn grow_values(&mut self, name: &str, n_values: usize) {
        for counts in self.groups.values_mut() {
            if let Some(value_counts) = counts.by_value.get_mut(name) {
                value_counts.resize(n_values, 0);
            }
        }
        for scope in &mut self.scopes {
            if let Some(buckets) = scope.by_value.get_mut(name) {
                buckets.resize_with(n_values, Bucket::default);
            }
            for group in scope.groups.values_mut() {
                if let Some(sets) = group.by_value.get_mut(name) {
                    sets.resize_with(n_values, Bucket::default);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::instance::{ContainerInstanceId, InstanceStatus, Timestamp};

    fn with_left(cpu: u32, memory_mib: u32) -> InstanceSnapshot {
        InstanceSnapshot {
            id: ContainerInstanceId(format!("{cpu}-{memory_mib}")),
            host_id: "i-1".to_owned(),
            status: InstanceStatus::Active,
            agent_connected: true,
            agent_version: "1.80.0".to_owned(),
            registered_at: Timestamp(0),
            attributes: BTreeMap::new(),
            remaining_cpu: cpu,
            remaining_memory_mib: memory_mib,
            tcp_ports_in_use: BTreeSet::new(),
            udp_ports_in_use: BTreeSet::new(),
            task_groups: BTreeMap::new(),
            running_tasks_count: 0,
        }
    }

    #[test]
    fn spread_buckets_walk_in_position_order_past_only_hosts_that_cannot_fit() {
        let full_cpu = with_left(0, 512);
        let full_memory = with_left(256, 0);
        let full = with_left(0, 0);
        let open = with_left(256, 512);
        let mut bucket = Bucket::default();
        for (pos, instance) in [
            (5, &open),
            (1, &full_cpu),
            (3, &full_memory),
            (4, &full),
            (2, &open),
        ] {
            bucket.insert(pos, instance);
        }
        fn walk(bucket: &Bucket, cpu: u32, memory_mib: u32) -> Vec<u32> {
            bucket.walk(cpu, memory_mib, TieOrder::new(0, 6)).collect()
        }
        assert_eq!(walk(&bucket, 128, 128), [2, 5]);
        assert_eq!(walk(&bucket, 0, 128), [1, 2, 5]);
        assert_eq!(walk(&bucket, 128, 0), [2, 3, 4, 5]);
        assert_eq!(walk(&bucket, 0, 0), [1, 2, 3, 4, 5]);
        // From a tie start of 3, wrapping around, across the three sets.
        let from_3: Vec<u32> = bucket.walk(0, 0, TieOrder::new(3, 6)).collect();
        assert_eq!(from_3, [3, 4, 5, 1, 2]);
        let from_3: Vec<u32> = bucket.walk(128, 128, TieOrder::new(3, 6)).collect();
        assert_eq!(from_3, [5, 2]);
        // Removal uses the state the member was entered with.
        bucket.remove(1, &full_cpu);
        bucket.remove(4, &full);
        assert_eq!(walk(&bucket, 0, 0), [2, 3, 5]);
        bucket.remove(2, &open);
        bucket.remove(3, &full_memory);
        bucket.remove(5, &open);
        assert!(bucket.is_empty());
    }

    #[test]
    fn counted_members_walk_by_count_then_from_the_tie_start() {
        let open = with_left(256, 512);
        let full_cpu = with_left(0, 512);
        let mut bucket: Bucket<(u32, u32)> = Bucket::default();
        for (member, instance) in [
            ((0, 1), &open),
            ((0, 4), &open),
            ((1, 0), &open),
            ((1, 2), &open),
            ((1, 5), &open),
            ((0, 3), &full_cpu),
            ((2, 4), &open),
        ] {
            bucket.insert(member, instance);
        }
        let walk = |cpu, start| -> Vec<(u32, u32)> {
            bucket.walk(cpu, 128, TieOrder::new(start, 6)).collect()
        };
        assert_eq!(
            walk(128, 0),
            [(0, 1), (0, 4), (1, 0), (1, 2), (1, 5), (2, 4)]
        );
        assert_eq!(
            walk(128, 2),
            [(0, 4), (0, 1), (1, 2), (1, 5), (1, 0), (2, 4)]
        );
        assert_eq!(
            walk(0, 2),
            [(0, 3), (0, 4), (0, 1), (1, 2), (1, 5), (1, 0), (2, 4)]
        );
        assert_eq!(
            walk(128, 5),
            [(0, 1), (0, 4), (1, 5), (1, 0), (1, 2), (2, 4)]
        );
    }

    #[test]
    fn a_tie_order_ranks_from_its_start_and_wraps() {
        let ties = TieOrder::new(3, 5);
        let ranks: Vec<u32> = (0..5).map(|pos| ties.rank(pos)).collect();
        assert_eq!(ranks, [2, 3, 4, 0, 1]);
        assert_eq!(ties.slice(&[0, 2, 3, 4]).collect::<Vec<_>>(), [3, 4, 0, 2]);
        // A start past the positions (the cluster shrank) starts at 0.
        assert_eq!(TieOrder::new(7, 5), TieOrder::new(0, 5));
        assert_eq!(TieOrder::new(0, 0).rank(0), 0);
    }
}
