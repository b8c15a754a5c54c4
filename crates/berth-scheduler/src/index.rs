//! [`ClusterIndex`]: a cluster snapshot plus the structures that make one
//! placement decision cost far less than a scan of every instance: scopes
//! (the whole cluster, or the instances a static memberOf expression
//! matches) holding ordered sets by remaining CPU, memory and per-group task
//! count, and per-group task counts by instance and attribute value.
//! Reservations and replaced instances update them incrementally; `place` on
//! the index decides exactly what the plain definition in [`select`] would.

mod select;
mod update;
mod views;

use std::collections::{HashMap, HashSet};

use rand::Rng;

use crate::instance::{ClusterSnapshot, ContainerInstanceId, GroupName, InstanceSnapshot};
use crate::outcome::{
    Placement, PlacementOutcome, Rejection, RejectionReason, TaskDecision, Unplaceable,
};
use crate::query::Expression;
use crate::request::{PlacementConstraint, PlacementRequest, RequestError};
use views::{AttrColumn, GroupCounts, Scope, TieOrder};

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

/// The scope slot of the whole cluster.
const WHOLE_CLUSTER: usize = 0;

/// A cluster snapshot indexed for fast repeated placement.
///
/// Built once per snapshot in O(n); the structures a task group, spread
/// attribute, memberOf expression or strategy needs are built on first use
/// and kept up to date by [`ClusterIndex::reserve`],
/// [`ClusterIndex::release`] and [`ClusterIndex::replace_instance`].
#[derive(Debug, Clone)]
pub struct ClusterIndex {
    instances: Vec<InstanceSnapshot>,
    positions: HashMap<ContainerInstanceId, usize>,
    /// Slot [`WHOLE_CLUSTER`], then one per static memberOf expression seen.
    scopes: Vec<Scope>,
    /// Scope slot by canonical expression text.
    scope_slots: HashMap<String, usize>,
    columns: HashMap<String, AttrColumn>,
    groups: HashMap<String, GroupCounts>,
    /// Every task group an instance has counted since the index was built
    /// (a group whose last task left stays): the counts of a group outside
    /// it start at zero without a look at each instance, which every new
    /// group would otherwise cost (5,000 ordered-map lookups a group in the
    /// C1M replay, 3% of the server's CPU). It also holds the one copy of
    /// each name that the instances' `task_groups` share.
    groups_counted: HashSet<GroupName>,
}

/// A request with its constraints resolved against the index.
struct Prepared<'r> {
    request: &'r PlacementRequest,
    /// Scopes of the static memberOf expressions, smallest first.
    static_scopes: Vec<usize>,
    /// The scope selection walks: the smallest static one, else the whole
    /// cluster. Its members include every feasible instance.
    primary: usize,
    dynamic: Vec<&'r Expression>,
    distinct: bool,
    /// The order ties between positions are broken in.
    ties: TieOrder,
}

/// Adds `groups` to `counted`.
fn note_groups<'g>(
    counted: &mut HashSet<GroupName>,
    groups: impl IntoIterator<Item = &'g GroupName>,
) {
    for group in groups {
        if !counted.contains(group) {
            counted.insert(group.clone());
        }
    }
}

/// The shared name of `group`, added to `counted` if it is new there.
fn note_group(counted: &mut HashSet<GroupName>, group: &str) -> GroupName {
    match counted.get(group) {
        Some(name) => name.clone(),
        None => {
            let name = GroupName::from(group);
            counted.insert(name.clone());
            name
        }
    }
}

fn position(idx: usize) -> u32 {
    // Snapshots beyond u32::MAX instances cannot be built (see `new`).
    u32::try_from(idx).unwrap_or(u32::MAX)
}

impl ClusterIndex {
    /// Indexes `snapshot`. Instances past `u32::MAX - 1` are ignored (far
    /// beyond any real cluster; ECS allows 5,000).
    pub fn new(snapshot: ClusterSnapshot) -> ClusterIndex {
        let mut instances = snapshot.instances;
        instances.truncate(u32::MAX as usize);
        let mut positions = HashMap::with_capacity(instances.len());
        for (idx, instance) in instances.iter().enumerate() {
            positions.entry(instance.id.clone()).or_insert(idx);
        }
        let whole = Scope::new(None, &instances);
        let mut groups_counted = HashSet::new();
        for instance in &instances {
            note_groups(&mut groups_counted, instance.task_groups.keys());
        }
        ClusterIndex {
            instances,
            positions,
            scopes: vec![whole],
            scope_slots: HashMap::new(),
            columns: HashMap::new(),
            groups: HashMap::new(),
            groups_counted,
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

    /// Places the request's tasks one after another, reserving each on the
    /// index so later tasks (and later calls) see it. A task that fits
    /// nowhere yields [`TaskDecision::Unplaceable`]; that is not an error.
    pub fn place<R: Rng + ?Sized>(
        &mut self,
        request: &PlacementRequest,
        rng: &mut R,
    ) -> Result<PlacementOutcome, RequestError> {
        let tie_start = request.tie_start(self.instances.len());
        self.place_from(request, rng, tie_start)
    }

    /// [`ClusterIndex::place`] with ties broken from `tie_start` rather
    /// than the request's own start, so that unit tests can state their
    /// expectations in snapshot order.
    #[cfg(test)]
    pub(crate) fn place_with_ties_from<R: Rng + ?Sized>(
        &mut self,
        request: &PlacementRequest,
        rng: &mut R,
        tie_start: usize,
    ) -> Result<PlacementOutcome, RequestError> {
        self.place_from(request, rng, tie_start)
    }

    fn place_from<R: Rng + ?Sized>(
        &mut self,
        request: &PlacementRequest,
        rng: &mut R,
        tie_start: usize,
    ) -> Result<PlacementOutcome, RequestError> {
        request.validate()?;
        let prepared = self.prepare(request, tie_start);
        let mut decisions = Vec::with_capacity(request.count as usize);
        for _ in 0..request.count {
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

    /// Resolves the request's constraints to scopes and builds the views
    /// its selection walks. Scope sizes change only when instances are
    /// replaced, so the order chosen here holds for the whole request.
    fn prepare<'r>(&mut self, request: &'r PlacementRequest, tie_start: usize) -> Prepared<'r> {
        let mut static_scopes = Vec::new();
        let mut dynamic = Vec::new();
        for constraint in &request.constraints {
            if let PlacementConstraint::MemberOf(expression) = constraint {
                if expression.is_dynamic() {
                    dynamic.push(expression);
                } else {
                    static_scopes.push(self.ensure_scope(expression));
                }
            }
        }
        // The smallest scope first: selection walks it, and its bits reject
        // most non-members before the others are tested.
        static_scopes.sort_by_key(|&slot| self.scopes[slot].members.len());
        let primary = static_scopes.first().copied().unwrap_or(WHOLE_CLUSTER);
        self.prepare_views(request, primary);
        Prepared {
            request,
            static_scopes,
            primary,
            dynamic,
            distinct: request.is_distinct_instance(),
            ties: TieOrder::new(position(tie_start), position(self.instances.len())),
        }
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
        // Membership sits in dense vectors; testing it before touching the
        // instance keeps rejected non-members cheap.
        prepared
            .static_scopes
            .iter()
            .all(|&slot| self.scopes[slot].contains(idx))
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
            Some(counts) => counts.counts[idx],
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
