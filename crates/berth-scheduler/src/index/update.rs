//! Keeping a [`ClusterIndex`] current: reserving and releasing a task, and
//! replacing one instance. Each takes the instance's entries out of the
//! derived structures, changes it, and puts them back, so every change costs
//! O(log n) per structure that holds the instance rather than a rebuild. A
//! reservation touches its own group's structures, except when it takes an
//! instance's last CPU or memory or gives some back: then every group's sets
//! move the instance, O(groups x log n), about once per instance as a
//! cluster fills.

use std::collections::HashMap;

use super::views::{AttrColumn, Exhaustion};
use super::{ClusterIndex, note_group, note_groups, position};
use crate::instance::InstanceSnapshot;
use crate::request::PlacementRequest;

/// Which groups an update touches (their counts, value totals and ordered
/// sets): a reservation changes one group's count (and moves the instance in
/// every group's sets when it takes its last CPU or memory, or gives some
/// back), a replaced instance may change them all.
#[derive(Clone, Copy)]
enum Groups<'a> {
    One(&'a str),
    All,
}

/// The entries of `map` that `groups` selects, with their group names.
fn selected<'m, V>(
    map: &'m mut HashMap<String, V>,
    groups: Groups<'m>,
) -> impl Iterator<Item = (&'m str, &'m mut V)> {
    let (one, all) = match groups {
        // A reservation must not pay for every group the index knows.
        Groups::One(group) => (map.get_mut(group).map(|value| (group, value)), None),
        Groups::All => (
            None,
            Some(map.iter_mut().map(|(name, value)| (name.as_str(), value))),
        ),
    };
    one.into_iter().chain(all.into_iter().flatten())
}

/// The entries instance `idx` occupies in per-value vectors keyed by
/// attribute name (one per attribute with a column): its spread bucket, its
/// group's ordered set or value count for each value it has.
fn value_slots<'m, T>(
    by_value: &'m mut HashMap<String, Vec<T>>,
    columns: &'m HashMap<String, AttrColumn>,
    idx: usize,
) -> impl Iterator<Item = &'m mut T> {
    by_value.iter_mut().filter_map(move |(name, slots)| {
        let column = columns.get(name)?;
        slots.get_mut(column.value_of[idx] as usize)
    })
}

/// Removes `pos` from an ascending list (if present).
fn remove_sorted(list: &mut Vec<u32>, pos: u32) {
    if let Ok(at) = list.binary_search(&pos) {
        list.remove(at);
    }
}

/// Inserts `pos` into an ascending list (once).
fn insert_sorted(list: &mut Vec<u32>, pos: u32) {
    if let Err(at) = list.binary_search(&pos) {
        list.insert(at, pos);
    }
}

impl ClusterIndex {
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

    /// Replaces one instance (e.g. after its attributes, status or free
    /// resources changed) and updates the derived structures in place, so
    /// cached matches never go stale. An unknown id is appended.
    pub fn replace_instance(&mut self, instance: InstanceSnapshot) {
        note_groups(&mut self.groups_counted, instance.task_groups.keys());
        let idx = match self.positions.get(&instance.id) {
            Some(&idx) => {
                self.unlink(idx, Groups::All);
                self.leave_scopes(idx);
                self.instances[idx] = instance;
                idx
            }
            None => {
                let idx = self.instances.len();
                if position(idx) == u32::MAX {
                    // Positions must fit in u32 (see `ClusterIndex::new`).
                    return;
                }
                self.positions.insert(instance.id.clone(), idx);
                self.instances.push(instance);
                // Placeholders: `enter_scopes` and `link` set the real values.
                for counts in self.groups.values_mut() {
                    counts.counts.push(0);
                }
                for column in self.columns.values_mut() {
                    column.value_of.push(0);
                }
                for scope in &mut self.scopes {
                    scope.member.push(false);
                }
                idx
            }
        };
        self.enter_scopes(idx);
        self.link(idx, Groups::All);
    }

    fn adjust(&mut self, idx: usize, request: &PlacementRequest, reserve: bool) {
        let Some(instance) = self.instances.get(idx) else {
            return;
        };
        // What the instance will have left. Every group's sets keep it apart
        // once it has no CPU or no memory left: when that changes, all of
        // them move it, else only the request's group (whose count changes)
        // does.
        let (cpu, memory_mib) = if reserve {
            (
                instance.remaining_cpu.saturating_sub(request.cpu),
                instance
                    .remaining_memory_mib
                    .saturating_sub(request.memory_mib),
            )
        } else {
            (
                instance.remaining_cpu.saturating_add(request.cpu),
                instance
                    .remaining_memory_mib
                    .saturating_add(request.memory_mib),
            )
        };
        let groups = if Exhaustion::of(instance) == Exhaustion::with(cpu, memory_mib) {
            Groups::One(&request.group)
        } else {
            Groups::All
        };
        self.unlink(idx, groups);
        let instance = &mut self.instances[idx];
        instance.remaining_cpu = cpu;
        instance.remaining_memory_mib = memory_mib;
        if reserve {
            instance
                .tcp_ports_in_use
                .extend(request.tcp_ports.iter().copied());
            instance
                .udp_ports_in_use
                .extend(request.udp_ports.iter().copied());
            instance.running_tasks_count = instance.running_tasks_count.saturating_add(1);
            // Looked up before inserting so that a group already present
            // (the common case) costs no key allocation.
            match instance.task_groups.get_mut(request.group.as_str()) {
                Some(count) => *count = count.saturating_add(1),
                None => {
                    let name = note_group(&mut self.groups_counted, &request.group);
                    instance.task_groups.insert(name, 1);
                }
            }
        } else {
            for port in &request.tcp_ports {
                instance.tcp_ports_in_use.remove(port);
            }
            for port in &request.udp_ports {
                instance.udp_ports_in_use.remove(port);
            }
            instance.running_tasks_count = instance.running_tasks_count.saturating_sub(1);
            let old_count = instance.group_count(&request.group);
            // An emptied group leaves no zero entry behind, so a release
            // restores the snapshot exactly.
            if old_count <= 1 {
                instance.task_groups.remove(request.group.as_str());
            } else if let Some(count) = instance.task_groups.get_mut(request.group.as_str()) {
                *count = old_count - 1;
            }
        }
        self.link(idx, groups);
    }

    /// Takes instance `idx` out of its scopes' ordered sets and spread
    /// buckets and out of the ordered sets and value counts of the selected
    /// groups, using the values it was entered with.
    fn unlink(&mut self, idx: usize, groups: Groups<'_>) {
        let ClusterIndex {
            instances,
            scopes,
            groups: group_counts,
            columns,
            ..
        } = self;
        let instance = &instances[idx];
        let pos = position(idx);
        for scope in scopes.iter_mut().filter(|scope| scope.contains(idx)) {
            for set in [&mut scope.by_cpu, &mut scope.by_memory]
                .into_iter()
                .flatten()
            {
                set.remove(pos, instance);
            }
            for bucket in value_slots(&mut scope.by_value, columns, idx) {
                bucket.remove(pos, instance);
            }
            for (group, scoped) in selected(&mut scope.groups, groups) {
                let Some(count) = group_counts.get(group).map(|counts| counts.counts[idx]) else {
                    // A group's sets are built only once its counts exist,
                    // and counts are never removed.
                    debug_assert!(false, "sets of group {group} without its counts");
                    continue;
                };
                if let Some(set) = &mut scoped.by_count {
                    set.remove((count, pos), instance);
                }
                for set in value_slots(&mut scoped.by_value, columns, idx) {
                    set.remove((count, pos), instance);
                }
            }
        }
        for (_, counts) in selected(group_counts, groups) {
            let count = counts.counts[idx];
            for total in value_slots(&mut counts.by_value, columns, idx) {
                *total = total.saturating_sub(count);
            }
        }
    }

    /// Puts instance `idx` back into its scopes' ordered sets and spread
    /// buckets and into the ordered sets and value counts of the selected
    /// groups, from its current state.
    fn link(&mut self, idx: usize, groups: Groups<'_>) {
        let ClusterIndex {
            instances,
            scopes,
            groups: group_counts,
            columns,
            ..
        } = self;
        let instance = &instances[idx];
        let pos = position(idx);
        for (group, counts) in selected(group_counts, groups) {
            let count = instance.group_count(group);
            counts.counts[idx] = count;
            for total in value_slots(&mut counts.by_value, columns, idx) {
                *total = total.saturating_add(count);
            }
        }
        for scope in scopes.iter_mut().filter(|scope| scope.contains(idx)) {
            for set in [&mut scope.by_cpu, &mut scope.by_memory]
                .into_iter()
                .flatten()
            {
                set.insert(pos, instance);
            }
            for bucket in value_slots(&mut scope.by_value, columns, idx) {
                bucket.insert(pos, instance);
            }
            for (group, scoped) in selected(&mut scope.groups, groups) {
                let Some(count) = group_counts.get(group).map(|counts| counts.counts[idx]) else {
                    // A group's sets are built only once its counts exist,
                    // and counts are never removed.
                    debug_assert!(false, "sets of group {group} without its counts");
                    continue;
                };
                if let Some(set) = &mut scoped.by_count {
                    set.insert((count, pos), instance);
                }
                for set in value_slots(&mut scoped.by_value, columns, idx) {
                    set.insert((count, pos), instance);
                }
            }
        }
    }

    /// Removes instance `idx` from the member lists of every scope, before
    /// its attributes or status change.
    fn leave_scopes(&mut self, idx: usize) {
        let pos = position(idx);
        for scope in &mut self.scopes {
            if !scope.contains(idx) {
                continue;
            }
            scope.member[idx] = false;
            remove_sorted(&mut scope.members, pos);
        }
    }

    /// Recomputes instance `idx`'s attribute value ids and scope
    /// memberships from its current state and enters it in the member lists.
    fn enter_scopes(&mut self, idx: usize) {
        let pos = position(idx);
        let mut grown = Vec::new();
        for (name, column) in &mut self.columns {
            let n_values = column.n_values();
            column.value_of[idx] = column.id_for(self.instances[idx].attribute(name));
            if column.n_values() > n_values {
                grown.push((name.clone(), column.n_values()));
            }
        }
        for (name, n_values) in grown {
            self.grow_values(&name, n_values);
        }
        for scope in &mut self.scopes {
            if !scope.admits(&self.instances[idx]) {
                continue;
            }
            scope.member[idx] = true;
            insert_sorted(&mut scope.members, pos);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use rand::SeedableRng;
    use rand::rngs::SmallRng;

    use crate::instance::{
        ClusterSnapshot, ContainerInstanceId, InstanceSnapshot, InstanceStatus, Timestamp,
    };
    use crate::query::Expression;
    use crate::request::{PlacementConstraint, PlacementRequest, PlacementStrategy};
    use crate::{ClusterIndex, SpreadField};

    fn instance(id: &str, zone: &str, stack: &str) -> InstanceSnapshot {
        InstanceSnapshot {
            id: ContainerInstanceId(id.to_owned()),
            host_id: format!("i-{id}"),
            status: InstanceStatus::Active,
            agent_connected: true,
            agent_version: "1.80.0".to_owned(),
            registered_at: Timestamp(0),
            attributes: BTreeMap::from([
                ("ecs.availability-zone".to_owned(), zone.to_owned()),
                ("stack".to_owned(), stack.to_owned()),
            ]),
            remaining_cpu: 4096,
            remaining_memory_mib: 4096,
            tcp_ports_in_use: BTreeSet::new(),
            udp_ports_in_use: BTreeSet::new(),
            task_groups: BTreeMap::new(),
            running_tasks_count: 0,
        }
    }

    /// Service-default spread of `count` tasks limited to `stack == prod`.
    fn request(count: u32) -> PlacementRequest {
        PlacementRequest {
            cpu: 1,
            memory_mib: 1,
            tcp_ports: BTreeSet::new(),
            udp_ports: BTreeSet::new(),
            count,
            group: "service:web".to_owned(),
            constraints: vec![PlacementConstraint::MemberOf(
                Expression::parse("attribute:stack == prod").expect("valid expression"),
            )],
            strategies: PlacementStrategy::service_default(),
        }
    }

    /// Places one task (building the views), applies `replacement`, places
    /// `expected.len()` more and compares their instance ids.
    fn check(replacement: InstanceSnapshot, expected: &[&str]) {
        let mut index = ClusterIndex::new(ClusterSnapshot {
            instances: vec![
                instance("a", "z1", "prod"),
                instance("b", "z2", "prod"),
                instance("c", "z2", "dev"),
            ],
        });
        let mut rng = SmallRng::seed_from_u64(3);
        let first = index
            .place_with_ties_from(&request(1), &mut rng, 0)
            .expect("valid request");
        assert_eq!(first.placements().count(), 1);
        index.replace_instance(replacement.clone());
        let count = u32::try_from(expected.len()).expect("few tasks");
        let outcome = index
            .place_with_ties_from(&request(count), &mut rng, 0)
            .expect("valid request");
        let got: Vec<&str> = outcome
            .placements()
            .map(|placement| placement.instance_id.0.as_str())
            .collect();
        assert_eq!(got, expected, "after replacing with {replacement:?}");
    }

    #[test]
    fn replaced_instances_take_effect_at_once() {
        let with_task = |mut replacement: InstanceSnapshot| {
            replacement.task_groups.insert("service:web".into(), 1);
            replacement.running_tasks_count = 1;
            replacement
        };
        // `a` took the first task; the replacements of `a` keep it.
        check(with_task(instance("a", "z1", "prod")), &["b", "a", "b"]);
        check(with_task(instance("a", "z1", "dev")), &["b", "b"]);
        check(instance("c", "z3", "prod"), &["b", "c", "a"]);
        check(instance("c", "z9", "prod"), &["b", "c", "a"]);
        check(instance("d", "z2", "prod"), &["b", "d", "a"]);
        let mut draining = instance("b", "z2", "prod");
        draining.status = InstanceStatus::Draining;
        check(draining, &["a", "a"]);
        let mut full = with_task(instance("a", "z1", "prod"));
        full.remaining_cpu = 0;
        check(full, &["b", "b"]);
    }

    #[test]
    fn spread_values_never_seen_before_get_their_own_bucket() {
        let mut index = ClusterIndex::new(ClusterSnapshot {
            instances: vec![instance("a", "z1", "prod"), instance("b", "z1", "prod")],
        });
        let zone_only = PlacementRequest {
            strategies: vec![PlacementStrategy::Spread(SpreadField::Attribute(
                "ecs.availability-zone".to_owned(),
            ))],
            ..request(2)
        };
        let mut rng = SmallRng::seed_from_u64(3);
        let ids = |index: &mut ClusterIndex, rng: &mut SmallRng| -> Vec<usize> {
            index
                .place_with_ties_from(&zone_only, rng, 0)
                .expect("valid request")
                .placements()
                .map(|placement| placement.instance_index)
                .collect()
        };
        assert_eq!(ids(&mut index, &mut rng), vec![0, 0]);
        index.replace_instance(instance("b", "z7", "prod"));
        assert_eq!(ids(&mut index, &mut rng), vec![1, 1]);
    }

    /// Another group's task that leaves an instance without CPU moves it
    /// apart in every group's ordered sets, not only its own: a later
    /// placement of the first group then decides as a new index would.
    #[test]
    fn an_instance_run_out_of_cpu_moves_in_every_groups_sets() {
        let mut index = ClusterIndex::new(ClusterSnapshot {
            instances: vec![
                instance("a", "z1", "prod"),
                instance("b", "z1", "prod"),
                instance("c", "z1", "prod"),
            ],
        });
        let web = |cpu: u32| PlacementRequest {
            cpu,
            constraints: Vec::new(),
            strategies: vec![PlacementStrategy::Spread(SpreadField::InstanceId)],
            ..request(1)
        };
        let mut rng = SmallRng::seed_from_u64(3);
        let mut place = |index: &mut ClusterIndex, request: &PlacementRequest| -> String {
            let fresh = ClusterIndex::new(ClusterSnapshot {
                instances: index.instances().to_vec(),
            })
            .place_with_ties_from(request, &mut SmallRng::seed_from_u64(3), 0)
            .expect("valid request");
            let outcome = index
                .place_with_ties_from(request, &mut rng, 0)
                .expect("valid request");
            let ids = |outcome: &crate::PlacementOutcome| -> Vec<String> {
                outcome
                    .placements()
                    .map(|placement| placement.instance_id.0.clone())
                    .collect()
            };
            assert_eq!(ids(&outcome), ids(&fresh), "as a new index decides");
            ids(&outcome).concat()
        };
        // The web group's walk by task count is built: `a` takes a task.
        assert_eq!(place(&mut index, &web(1)), "a");
        // A batch task takes all of `b`'s CPU.
        let batch = PlacementRequest {
            cpu: 4096,
            group: "family:batch".to_owned(),
            ..web(1)
        };
        index.reserve(1, &batch);
        // Tasks that need no CPU still go to `b`, then by count.
        assert_eq!(place(&mut index, &web(0)), "b");
        assert_eq!(place(&mut index, &web(0)), "c");
        assert_eq!(place(&mut index, &web(0)), "a");
        assert_eq!(place(&mut index, &web(1)), "c");
        // Its CPU back, `b` is open again in the web group's walk.
        index.release(1, &batch);
        assert_eq!(place(&mut index, &web(1)), "b");
    }

    /// A group's first request sees every count of it the index holds,
    /// whichever way it came: in the snapshot, in a replaced instance, or
    /// in a reservation made before any request of the group; a group
    /// counted nowhere starts at zero everywhere.
    #[test]
    fn a_new_groups_counts_come_from_every_way_a_task_arrives() {
        let distinct = |group: &str| PlacementRequest {
            group: group.to_owned(),
            constraints: vec![PlacementConstraint::DistinctInstance],
            strategies: Vec::new(),
            ..request(1)
        };
        let with_group = |mut instance: InstanceSnapshot, group: &str| {
            instance.task_groups.insert(group.into(), 1);
            instance.running_tasks_count = 1;
            instance
        };
        let mut index = ClusterIndex::new(ClusterSnapshot {
            instances: vec![
                with_group(instance("a", "z1", "prod"), "from-snapshot"),
                instance("b", "z2", "prod"),
                instance("c", "z3", "prod"),
            ],
        });
        index.replace_instance(with_group(instance("b", "z2", "prod"), "from-replacement"));
        index.reserve(2, &distinct("from-reservation"));
        let mut rng = SmallRng::seed_from_u64(5);
        let mut placed_on = |index: &mut ClusterIndex, group: &str| -> Vec<String> {
            let request = PlacementRequest {
                count: 3,
                ..distinct(group)
            };
            let outcome = index
                .place_with_ties_from(&request, &mut rng, 0)
                .expect("valid request");
            outcome
                .placements()
                .map(|placement| placement.instance_id.0.clone())
                .collect()
        };
        assert_eq!(placed_on(&mut index, "from-snapshot"), ["b", "c"]);
        assert_eq!(placed_on(&mut index, "from-replacement"), ["a", "c"]);
        assert_eq!(placed_on(&mut index, "from-reservation"), ["a", "b"]);
        assert_eq!(placed_on(&mut index, "new"), ["a", "b", "c"]);
    }
}
