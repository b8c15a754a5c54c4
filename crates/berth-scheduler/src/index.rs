//! [`ClusterIndex`]: a cluster snapshot plus the structures that make one
//! placement decision cost far less than a scan of every instance: ordered
//! sets by remaining CPU and memory, per-group task counts by instance and
//! by attribute value, and cached memberOf match sets. Reservations update
//! them incrementally; `place` on the index decides exactly what the plain
//! definition in [`select`] would.

mod select;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use rand::Rng;

use crate::instance::{ClusterSnapshot, ContainerInstanceId, InstanceSnapshot};
use crate::outcome::{
    Placement, PlacementOutcome, Rejection, RejectionReason, TaskDecision, Unplaceable,
};
use crate::request::{
    PlacementConstraint, PlacementRequest, PlacementStrategy, RequestError, SpreadField,
};

/// Places `request` on `snapshot`: a one-shot [`ClusterIndex`].
///
/// Equivalent to `ClusterIndex::new(snapshot.clone()).place(request, rng)`;
/// keep an index instead when placing repeatedly on the same cluster.
pub fn place<R: Rng + ?Sized>(
    snapshot: &ClusterSnapshot,
    request: &PlacementRequest,
    rng: &mut R,
) -> Result<PlacementOutcome, RequestError> {
    ClusterIndex::new(snapshot.clone()).place(request, rng)
}

/// The values of one attribute across the cluster.
#[derive(Debug, Clone)]
struct AttrColumn {
    /// Value id of each instance; instances lacking the attribute share the
    /// id of `None`.
    value_of: Vec<u32>,
    /// Accepting instances per value id, in snapshot order.
    members: Vec<Vec<u32>>,
}

/// Task counts of one group spread over one attribute's values.
#[derive(Debug, Clone)]
struct SpreadView {
    /// Tasks of the group per value id (on all instances).
    value_counts: Vec<u32>,
    /// Per value id, accepting instances ordered by (group count, index).
    by_count: Vec<BTreeSet<(u32, u32)>>,
}

/// Task counts of one group.
#[derive(Debug, Clone)]
struct GroupView {
    /// Tasks of the group on each instance.
    counts: Vec<u32>,
    /// Accepting instances ordered by (group count, index).
    by_count: BTreeSet<(u32, u32)>,
    /// Per attribute name used in a spread strategy.
    spreads: HashMap<String, SpreadView>,
}

/// The instances a static memberOf expression matches.
#[derive(Debug, Clone)]
struct MatchSet {
    /// Whether each instance matches.
    bits: Vec<bool>,
    /// Accepting matching instances, in snapshot order.
    members: Vec<u32>,
}

/// A cluster snapshot indexed for fast repeated placement.
///
/// Built once per snapshot in O(n log n); each decision then touches few
/// instances. Derived structures for a task group, spread attribute or
/// memberOf expression are built on first use and kept up to date by
/// [`ClusterIndex::reserve`] and [`ClusterIndex::release`].
#[derive(Debug, Clone)]
pub struct ClusterIndex {
    instances: Vec<InstanceSnapshot>,
    positions: HashMap<ContainerInstanceId, usize>,
    by_cpu: BTreeSet<(u32, u32)>,
    by_memory: BTreeSet<(u32, u32)>,
    columns: HashMap<String, AttrColumn>,
    groups: HashMap<String, GroupView>,
    match_sets: HashMap<String, Arc<MatchSet>>,
}

/// A request with its constraints resolved against the index.
struct Prepared<'r> {
    request: &'r PlacementRequest,
    static_sets: Vec<Arc<MatchSet>>,
    dynamic: Vec<&'r crate::query::Expression>,
    distinct: bool,
}

fn position(idx: usize) -> u32 {
    // Snapshots beyond u32::MAX instances cannot be built (see `new`).
    u32::try_from(idx).unwrap_or(u32::MAX)
}

impl ClusterIndex {
    /// Indexes `snapshot`. Instances past `u32::MAX` are ignored (far beyond
    /// any real cluster; ECS allows 5,000).
    pub fn new(snapshot: ClusterSnapshot) -> ClusterIndex {
        let mut instances = snapshot.instances;
        instances.truncate(u32::MAX as usize);
        let mut by_cpu = BTreeSet::new();
        let mut by_memory = BTreeSet::new();
        let mut positions = HashMap::with_capacity(instances.len());
        for (idx, instance) in instances.iter().enumerate() {
            positions.entry(instance.id.clone()).or_insert(idx);
            if instance.accepts_tasks() {
                by_cpu.insert((instance.remaining_cpu, position(idx)));
                by_memory.insert((instance.remaining_memory_mib, position(idx)));
            }
        }
        ClusterIndex {
            instances,
            positions,
            by_cpu,
            by_memory,
            columns: HashMap::new(),
            groups: HashMap::new(),
            match_sets: HashMap::new(),
        }
    }

    /// The instances with all reservations applied, in snapshot order.
    pub fn instances(&self) -> &[InstanceSnapshot] {
        &self.instances
    }

    /// The position of an instance in the snapshot.
    pub fn position_of(&self, id: &ContainerInstanceId) -> Option<usize> {
        self.positions.get(id).copied()
    }

    /// The current state as a snapshot (reservations included).
    pub fn to_snapshot(&self) -> ClusterSnapshot {
        ClusterSnapshot {
            instances: self.instances.clone(),
        }
    }

    /// Replaces one instance (e.g. after its attributes or status changed)
    /// and rebuilds the derived structures, so cached matches never go stale.
    /// An unknown id is appended.
    pub fn replace_instance(&mut self, instance: InstanceSnapshot) {
        let mut instances = std::mem::take(&mut self.instances);
        match self.positions.get(&instance.id) {
            Some(&idx) => instances[idx] = instance,
            None => instances.push(instance),
        }
        *self = ClusterIndex::new(ClusterSnapshot { instances });
    }

    /// Places the request's tasks one after another, reserving each on the
    /// index so later tasks (and later calls) see it. A task that fits
    /// nowhere yields [`TaskDecision::Unplaceable`]; that is not an error.
    pub fn place<R: Rng + ?Sized>(
        &mut self,
        request: &PlacementRequest,
        rng: &mut R,
    ) -> Result<PlacementOutcome, RequestError> {
        request.validate()?;
        let static_keys = self.prepare_views(request);
        let mut decisions = Vec::with_capacity(request.count as usize);
        for _ in 0..request.count {
            let prepared = self.prepared(request, &static_keys);
            match self.select(&prepared, rng) {
                Some(idx) => {
                    let idx = idx as usize;
                    self.reserve(idx, request);
                    decisions.push(TaskDecision::Placed(Placement {
                        instance_id: self.instances[idx].id.clone(),
                        instance_index: idx,
                    }));
                }
                None => {
                    // Nothing changes between the remaining tasks, so they
                    // all fail for the same reasons.
                    let unplaceable = self.explain(&prepared);
                    while decisions.len() < request.count as usize {
                        decisions.push(TaskDecision::Unplaceable(unplaceable.clone()));
                    }
                    break;
                }
            }
        }
        Ok(PlacementOutcome { decisions })
    }

    /// Records one task of `request` on instance `idx`: takes its CPU,
    /// memory and ports and counts it in its group. Does not check fit;
    /// `place` only reserves what fits. Out-of-range positions are ignored.
    pub fn reserve(&mut self, idx: usize, request: &PlacementRequest) {
        self.adjust(idx, request, true);
    }

    /// Undoes [`ClusterIndex::reserve`] of one task of `request` on `idx`
    /// (e.g. when the store write for a placement failed).
    pub fn release(&mut self, idx: usize, request: &PlacementRequest) {
        self.adjust(idx, request, false);
    }

    fn adjust(&mut self, idx: usize, request: &PlacementRequest, reserve: bool) {
        let Some(instance) = self.instances.get_mut(idx) else {
            return;
        };
        let pos = position(idx);
        let accepting = instance.accepts_tasks();
        let (old_cpu, old_memory) = (instance.remaining_cpu, instance.remaining_memory_mib);
        let old_count = instance.group_count(&request.group);
        if reserve {
            instance.remaining_cpu = old_cpu.saturating_sub(request.cpu);
            instance.remaining_memory_mib = old_memory.saturating_sub(request.memory_mib);
            instance
                .tcp_ports_in_use
                .extend(request.tcp_ports.iter().copied());
            instance
                .udp_ports_in_use
                .extend(request.udp_ports.iter().copied());
            instance.running_tasks_count = instance.running_tasks_count.saturating_add(1);
            *instance
                .task_groups
                .entry(request.group.clone())
                .or_insert(0) += 1;
        } else {
            instance.remaining_cpu = old_cpu.saturating_add(request.cpu);
            instance.remaining_memory_mib = old_memory.saturating_add(request.memory_mib);
            for port in &request.tcp_ports {
                instance.tcp_ports_in_use.remove(port);
            }
            for port in &request.udp_ports {
                instance.udp_ports_in_use.remove(port);
            }
            instance.running_tasks_count = instance.running_tasks_count.saturating_sub(1);
            if old_count <= 1 {
                instance.task_groups.remove(&request.group);
            } else {
                instance
                    .task_groups
                    .insert(request.group.clone(), old_count - 1);
            }
        }
        let new_count = instance.group_count(&request.group);
        if accepting {
            self.by_cpu.remove(&(old_cpu, pos));
            self.by_cpu.insert((instance.remaining_cpu, pos));
            self.by_memory.remove(&(old_memory, pos));
            self.by_memory.insert((instance.remaining_memory_mib, pos));
        }
        let Some(view) = self.groups.get_mut(&request.group) else {
            return;
        };
        view.counts[idx] = new_count;
        if accepting {
            view.by_count.remove(&(old_count, pos));
            view.by_count.insert((new_count, pos));
        }
        for (name, spread) in &mut view.spreads {
            let Some(column) = self.columns.get(name) else {
                continue;
            };
            let value = column.value_of[idx] as usize;
            spread.value_counts[value] = spread.value_counts[value]
                .saturating_sub(old_count)
                .saturating_add(new_count);
            if accepting {
                spread.by_count[value].remove(&(old_count, pos));
                spread.by_count[value].insert((new_count, pos));
            }
        }
    }

    /// Builds whatever the request's group, spreads and static memberOf
    /// expressions need; returns the match-set keys of static expressions.
    fn prepare_views(&mut self, request: &PlacementRequest) -> Vec<String> {
        self.ensure_group(&request.group);
        for strategy in &request.strategies {
            if let PlacementStrategy::Spread(SpreadField::Attribute(name)) = strategy {
                self.ensure_spread(&request.group, name);
            }
        }
        let mut keys = Vec::new();
        for constraint in &request.constraints {
            if let PlacementConstraint::MemberOf(expression) = constraint {
                if expression.is_dynamic() {
                    continue;
                }
                let key = expression.canonical().to_owned();
                if !self.match_sets.contains_key(&key) {
                    let bits: Vec<bool> = self
                        .instances
                        .iter()
                        .map(|i| expression.matches(i))
                        .collect();
                    let members = (0..self.instances.len())
                        .filter(|&idx| bits[idx] && self.instances[idx].accepts_tasks())
                        .map(position)
                        .collect();
                    self.match_sets
                        .insert(key.clone(), Arc::new(MatchSet { bits, members }));
                }
                keys.push(key);
            }
        }
        keys
    }

    fn prepared<'r>(&self, request: &'r PlacementRequest, static_keys: &[String]) -> Prepared<'r> {
        let mut static_sets: Vec<Arc<MatchSet>> = static_keys
            .iter()
            .filter_map(|key| self.match_sets.get(key).cloned())
            .collect();
        // The smallest set first: selection may iterate its members only.
        static_sets.sort_by_key(|set| set.members.len());
        let dynamic = request
            .constraints
            .iter()
            .filter_map(|constraint| match constraint {
                PlacementConstraint::MemberOf(expression) if expression.is_dynamic() => {
                    Some(expression)
                }
                _ => None,
            })
            .collect();
        Prepared {
            request,
            static_sets,
            dynamic,
            distinct: request.is_distinct_instance(),
        }
    }

    fn ensure_column(&mut self, name: &str) {
        if self.columns.contains_key(name) {
            return;
        }
        let mut ids: HashMap<Option<&str>, u32> = HashMap::new();
        let mut value_of = Vec::with_capacity(self.instances.len());
        let mut members: Vec<Vec<u32>> = Vec::new();
        for (idx, instance) in self.instances.iter().enumerate() {
            let next_id = position(ids.len());
            let id = *ids.entry(instance.attribute(name)).or_insert(next_id);
            if id as usize == members.len() {
                members.push(Vec::new());
            }
            value_of.push(id);
            if instance.accepts_tasks() {
                members[id as usize].push(position(idx));
            }
        }
        self.columns
            .insert(name.to_owned(), AttrColumn { value_of, members });
    }

    fn ensure_group(&mut self, group: &str) {
        if self.groups.contains_key(group) {
            return;
        }
        let counts: Vec<u32> = self
            .instances
            .iter()
            .map(|i| i.group_count(group))
            .collect();
        let by_count = (0..self.instances.len())
            .filter(|&idx| self.instances[idx].accepts_tasks())
            .map(|idx| (counts[idx], position(idx)))
            .collect();
        self.groups.insert(
            group.to_owned(),
            GroupView {
                counts,
                by_count,
                spreads: HashMap::new(),
            },
        );
    }

    fn ensure_spread(&mut self, group: &str, name: &str) {
        self.ensure_column(name);
        let (Some(column), Some(view)) = (self.columns.get(name), self.groups.get_mut(group))
        else {
            return;
        };
        if view.spreads.contains_key(name) {
            return;
        }
        let mut value_counts = vec![0; column.members.len()];
        let mut by_count = vec![BTreeSet::new(); column.members.len()];
        for (idx, &value) in column.value_of.iter().enumerate() {
            value_counts[value as usize] += view.counts[idx];
        }
        for (value, members) in column.members.iter().enumerate() {
            by_count[value] = members
                .iter()
                .map(|&pos| (view.counts[pos as usize], pos))
                .collect();
        }
        view.spreads.insert(
            name.to_owned(),
            SpreadView {
                value_counts,
                by_count,
            },
        );
    }

    /// Why instance `idx` cannot take the task now, or `None` if it can.
    /// Checks run in [`RejectionReason`] order.
    fn check(&self, idx: usize, prepared: &Prepared<'_>) -> Option<RejectionReason> {
        let instance = &self.instances[idx];
        let request = prepared.request;
        if instance.status != crate::instance::InstanceStatus::Active {
            return Some(RejectionReason::Draining);
        }
        if !instance.agent_connected {
            return Some(RejectionReason::AgentDisconnected);
        }
        if instance.remaining_cpu < request.cpu {
            return Some(RejectionReason::InsufficientCpu {
                required: request.cpu,
                available: instance.remaining_cpu,
            });
        }
        if instance.remaining_memory_mib < request.memory_mib {
            return Some(RejectionReason::InsufficientMemory {
                required: request.memory_mib,
                available: instance.remaining_memory_mib,
            });
        }
        if let Some(&port) = request
            .tcp_ports
            .iter()
            .find(|p| instance.tcp_ports_in_use.contains(p))
        {
            return Some(RejectionReason::TcpPortInUse { port });
        }
        if let Some(&port) = request
            .udp_ports
            .iter()
            .find(|p| instance.udp_ports_in_use.contains(p))
        {
            return Some(RejectionReason::UdpPortInUse { port });
        }
        for constraint in &request.constraints {
            if let PlacementConstraint::MemberOf(expression) = constraint
                && !expression.matches(instance)
            {
                return Some(RejectionReason::MemberOf {
                    expression: expression.as_str().to_owned(),
                });
            }
        }
        if prepared.distinct && instance.group_count(&request.group) > 0 {
            return Some(RejectionReason::DistinctInstance);
        }
        None
    }

    /// The fast feasibility test used while selecting; agrees with
    /// [`ClusterIndex::check`] returning `None`.
    fn feasible(&self, pos: u32, prepared: &Prepared<'_>) -> bool {
        let idx = pos as usize;
        let Some(instance) = self.instances.get(idx) else {
            return false;
        };
        let request = prepared.request;
        // The match bits sit in one dense vector; testing them before
        // touching the instance keeps skipped non-members cheap.
        prepared.static_sets.iter().all(|set| set.bits[idx])
            && instance.accepts_tasks()
            && instance.remaining_cpu >= request.cpu
            && instance.remaining_memory_mib >= request.memory_mib
            && !request
                .tcp_ports
                .iter()
                .any(|p| instance.tcp_ports_in_use.contains(p))
            && !request
                .udp_ports
                .iter()
                .any(|p| instance.udp_ports_in_use.contains(p))
            && (!prepared.distinct || self.group_count(idx, &request.group) == 0)
            && prepared
                .dynamic
                .iter()
                .all(|expression| expression.matches(instance))
    }

    fn group_count(&self, idx: usize, group: &str) -> u32 {
        match self.groups.get(group) {
            Some(view) => view.counts[idx],
            None => self.instances[idx].group_count(group),
        }
    }

    fn explain(&self, prepared: &Prepared<'_>) -> Unplaceable {
        let rejections = (0..self.instances.len())
            .filter_map(|idx| {
                self.check(idx, prepared).map(|reason| Rejection {
                    instance_id: self.instances[idx].id.clone(),
                    reason,
                })
            })
            .collect();
        Unplaceable { rejections }
    }
}
