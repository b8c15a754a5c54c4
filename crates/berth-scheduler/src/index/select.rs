//! Choosing one instance for one task.
//!
//! The definition: take the feasible instances in snapshot order; apply each
//! strategy in turn, keeping only the instances with the least value
//! (binpack: remaining amount; spread: tasks of the group on the instance or
//! in its attribute bucket); `random` picks uniformly among those left with
//! one `random_range` draw; otherwise the first one left at or after the
//! request's tie start wins, wrapping around (`PlacementRequest::tie_start`).
//! Without `random` that is the minimum of the key (values in strategy
//! order, then the position's rank in the request's `TieOrder`), which the
//! fast paths find by walking the index in key order and stopping early.

use rand::Rng;

use super::{ClusterIndex, Prepared};
use crate::request::{BinpackField, MAX_STRATEGIES, PlacementStrategy, SpreadField};

/// Strategy values of one instance, in strategy order; unused parts stay 0
/// so keys of one decision compare correctly as whole arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
struct Key([u32; MAX_STRATEGIES]);

impl ClusterIndex {
    /// The instance for the next task, or `None` if none is feasible.
    ///
    /// Every walk runs over the primary scope only: instances outside it
    /// are infeasible, so leaving them out changes no minimum, and sparing
    /// the walk from skipping them is what keeps memberOf requests fast.
    pub(super) fn select<R: Rng + ?Sized>(
        &self,
        prepared: &Prepared<'_>,
        rng: &mut R,
    ) -> Option<u32> {
        let strategies = &prepared.request.strategies;
        if strategies.contains(&PlacementStrategy::Random) {
            return self.select_by_elimination(prepared, rng);
        }
        let scope = self.scopes.get(prepared.primary)?;
        let request = prepared.request;
        let ties = prepared.ties;
        let best = match strategies.first() {
            None => self.scan(ties.slice(&scope.members), strategies, prepared),
            Some(PlacementStrategy::Binpack(field)) => {
                let (set, needed, other_needed) = match field {
                    BinpackField::Cpu => (scope.by_cpu.as_ref()?, request.cpu, request.memory_mib),
                    BinpackField::Memory => {
                        (scope.by_memory.as_ref()?, request.memory_mib, request.cpu)
                    }
                };
                self.ordered(set.walk(needed, other_needed, ties), strategies, prepared)
            }
            Some(PlacementStrategy::Spread(SpreadField::InstanceId)) => {
                let set = scope.groups.get(&request.group)?.by_count.as_ref()?;
                self.ordered(
                    set.walk(request.cpu, request.memory_mib, ties),
                    strategies,
                    prepared,
                )
            }
            Some(PlacementStrategy::Spread(SpreadField::Attribute(name))) => {
                self.select_spread(name, &strategies[1..], prepared)
            }
            Some(PlacementStrategy::Random) => None,
        };
        best.map(|(_, pos)| pos)
    }

    /// The reference procedure, used whenever `random` is among the
    /// strategies (its draw depends on the whole tie set).
    fn select_by_elimination<R: Rng + ?Sized>(
        &self,
        prepared: &Prepared<'_>,
        rng: &mut R,
    ) -> Option<u32> {
        // Scope members come in snapshot order, as the definition lists
        // feasible instances, so the draw picks the same one.
        let mut tied: Vec<u32> = self
            .scopes
            .get(prepared.primary)?
            .members
            .iter()
            .copied()
            .filter(|&pos| self.feasible(pos, prepared))
            .collect();
        if tied.is_empty() {
            return None;
        }
        for strategy in &prepared.request.strategies {
            if *strategy == PlacementStrategy::Random {
                let pick = rng.random_range(0..tied.len());
                return tied.get(pick).copied();
            }
            let least = tied
                .iter()
                .map(|&pos| self.key_part(strategy, pos, prepared))
                .min()?;
            tied.retain(|&pos| self.key_part(strategy, pos, prepared) == least);
        }
        // Snapshot order above, so the draw picks what the definition
        // picks; the first of the ties is counted from the tie start.
        tied.into_iter().min_by_key(|&pos| prepared.ties.rank(pos))
    }

    /// Spread over an attribute first: visit buckets from the fewest tasks
    /// up; the best instance of the first bucket level holding a feasible
    /// one wins (ties between buckets of that level go by the key).
    fn select_spread(
        &self,
        name: &str,
        rest: &[PlacementStrategy],
        prepared: &Prepared<'_>,
    ) -> Option<(Key, u32)> {
        let group = &prepared.request.group;
        let scope = self.scopes.get(prepared.primary)?;
        let members_by_value = scope.by_value.get(name)?;
        let value_counts = self.groups.get(group)?.by_value.get(name)?;
        let by_instance = match rest.first() {
            Some(PlacementStrategy::Spread(SpreadField::InstanceId)) => {
                Some(scope.groups.get(group)?.by_value.get(name)?)
            }
            _ => None,
        };
        let mut buckets: Vec<(u32, usize)> = members_by_value
            .iter()
            .enumerate()
            .filter(|(_, bucket)| !bucket.is_empty())
            .map(|(value, _)| (value_counts.get(value).copied().unwrap_or(0), value))
            .collect();
        buckets.sort_unstable();
        let mut best: Option<(u32, Key, u32)> = None;
        for (level, value) in buckets {
            if best.is_some_and(|(best_level, _, _)| level > best_level) {
                break;
            }
            let candidate = match by_instance.and_then(|sets| sets.get(value)) {
                Some(set) => self.ordered(
                    set.walk(
                        prepared.request.cpu,
                        prepared.request.memory_mib,
                        prepared.ties,
                    ),
                    rest,
                    prepared,
                ),
                None => self.scan(
                    members_by_value[value].walk(
                        prepared.request.cpu,
                        prepared.request.memory_mib,
                        prepared.ties,
                    ),
                    rest,
                    prepared,
                ),
            };
            if let Some((key, pos)) = candidate
                && best.is_none_or(|(_, best_key, best_pos)| {
                    (key, prepared.ties.rank(pos)) < (best_key, prepared.ties.rank(best_pos))
                })
            {
                best = Some((level, key, pos));
            }
        }
        // The spread value itself is the same across the winning level, so
        // the returned key need not carry it.
        best.map(|(_, key, pos)| (key, pos))
    }

    /// Walks `(first key value, position)` pairs in ascending order of the
    /// value and, within a value, in the request's tie order, where the
    /// first value is `strategies[0]`'s; returns the feasible instance with
    /// the least key over `strategies`.
    fn ordered(
        &self,
        pairs: impl Iterator<Item = (u32, u32)>,
        strategies: &[PlacementStrategy],
        prepared: &Prepared<'_>,
    ) -> Option<(Key, u32)> {
        let rest = strategies.get(1..).unwrap_or(&[]);
        let floor = self.lower_bound(rest, prepared);
        let mut best: Option<(u32, Key, u32)> = None;
        for (first, pos) in pairs {
            if best.is_some_and(|(best_first, _, _)| first > best_first) {
                break;
            }
            if !self.feasible(pos, prepared) {
                continue;
            }
            let key = self.key(rest, pos, prepared);
            if best.is_none_or(|(_, best_key, _)| key < best_key) {
                best = Some((first, key, pos));
            }
            if key == floor {
                // Pairs with equal first value come in tie order, so
                // nothing later can beat a key at its lower bound.
                break;
            }
        }
        best.map(|(first, rest_key, pos)| {
            let mut key = Key::default();
            key.0[0] = first;
            key.0[1..].copy_from_slice(&rest_key.0[..MAX_STRATEGIES - 1]);
            (key, pos)
        })
    }

    /// The feasible instance among `positions` (in the request's tie order)
    /// with the least key over `strategies`.
    fn scan(
        &self,
        positions: impl Iterator<Item = u32>,
        strategies: &[PlacementStrategy],
        prepared: &Prepared<'_>,
    ) -> Option<(Key, u32)> {
        let floor = self.lower_bound(strategies, prepared);
        let mut best: Option<(Key, u32)> = None;
        for pos in positions {
            if !self.feasible(pos, prepared) {
                continue;
            }
            let key = self.key(strategies, pos, prepared);
            if best.is_none_or(|(best_key, _)| key < best_key) {
                best = Some((key, pos));
            }
            if key == floor {
                break;
            }
        }
        best
    }

    fn key(&self, strategies: &[PlacementStrategy], pos: u32, prepared: &Prepared<'_>) -> Key {
        let mut key = Key::default();
        for (part, strategy) in key.0.iter_mut().zip(strategies) {
            *part = self.key_part(strategy, pos, prepared);
        }
        key
    }

    /// One strategy's value for one instance (smaller is preferred).
    fn key_part(&self, strategy: &PlacementStrategy, pos: u32, prepared: &Prepared<'_>) -> u32 {
        let idx = pos as usize;
        let group = &prepared.request.group;
        match strategy {
            PlacementStrategy::Binpack(BinpackField::Cpu) => self.instances[idx].remaining_cpu,
            PlacementStrategy::Binpack(BinpackField::Memory) => {
                self.instances[idx].remaining_memory_mib
            }
            PlacementStrategy::Spread(SpreadField::InstanceId) => self.group_count(idx, group),
            PlacementStrategy::Spread(SpreadField::Attribute(name)) => {
                let value = self
                    .columns
                    .get(name)
                    .map(|column| column.value_of[idx] as usize);
                let value_counts = self
                    .groups
                    .get(group)
                    .and_then(|counts| counts.by_value.get(name));
                match (value, value_counts) {
                    (Some(value), Some(value_counts)) => {
                        value_counts.get(value).copied().unwrap_or(0)
                    }
                    _ => 0,
                }
            }
            PlacementStrategy::Random => 0,
        }
    }

    /// A key no feasible instance can go below.
    fn lower_bound(&self, strategies: &[PlacementStrategy], prepared: &Prepared<'_>) -> Key {
        let mut key = Key::default();
        for (part, strategy) in key.0.iter_mut().zip(strategies) {
            *part = match strategy {
                PlacementStrategy::Binpack(BinpackField::Cpu) => prepared.request.cpu,
                PlacementStrategy::Binpack(BinpackField::Memory) => prepared.request.memory_mib,
                PlacementStrategy::Spread(SpreadField::Attribute(name)) => self
                    .groups
                    .get(&prepared.request.group)
                    .and_then(|counts| counts.by_value.get(name))
                    .and_then(|value_counts| value_counts.iter().min().copied())
                    .unwrap_or(0),
                PlacementStrategy::Spread(SpreadField::InstanceId) | PlacementStrategy::Random => 0,
            };
        }
        key
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
    use crate::outcome::TaskDecision;
    use crate::query::Expression;
    use crate::request::{
        BinpackField, PlacementConstraint, PlacementRequest, PlacementStrategy, SpreadField,
    };

    fn instance(id: &str, zone: &str, cpu: u32, memory: u32) -> InstanceSnapshot {
        InstanceSnapshot {
            id: ContainerInstanceId(id.to_owned()),
            host_id: format!("i-{id}"),
            status: InstanceStatus::Active,
            agent_connected: true,
            agent_version: "1.80.0".to_owned(),
            registered_at: Timestamp(0),
            attributes: BTreeMap::from([("ecs.availability-zone".to_owned(), zone.to_owned())]),
            remaining_cpu: cpu,
            remaining_memory_mib: memory,
            tcp_ports_in_use: BTreeSet::new(),
            udp_ports_in_use: BTreeSet::new(),
            task_groups: BTreeMap::new(),
            running_tasks_count: 0,
        }
    }

    fn request(cpu: u32, memory: u32, count: u32) -> PlacementRequest {
        PlacementRequest {
            cpu,
            memory_mib: memory,
            tcp_ports: BTreeSet::new(),
            udp_ports: BTreeSet::new(),
            count,
            group: "family:web".to_owned(),
            constraints: Vec::new(),
            strategies: Vec::new(),
        }
    }

    fn binpack(field: BinpackField) -> PlacementStrategy {
        PlacementStrategy::Binpack(field)
    }

    fn spread_zone() -> PlacementStrategy {
        PlacementStrategy::Spread(SpreadField::Attribute("ecs.availability-zone".to_owned()))
    }

    fn spread_instance() -> PlacementStrategy {
        PlacementStrategy::Spread(SpreadField::InstanceId)
    }

    fn member_of(source: &str) -> PlacementConstraint {
        PlacementConstraint::MemberOf(Expression::parse(source).expect("valid expression"))
    }

    /// Places and renders each decision as the instance id, or `!` and the
    /// ECS reason (`!NONE` for an empty cluster).
    fn check(instances: Vec<InstanceSnapshot>, request: PlacementRequest, expected: &[&str]) {
        let snapshot = ClusterSnapshot { instances };
        // Ties from position 0, so that expectations read in snapshot
        // order; `ties_start_where_the_group_hashes_to` covers the start.
        let outcome = crate::ClusterIndex::new(snapshot)
            .place_with_ties_from(&request, &mut SmallRng::seed_from_u64(7), 0)
            .expect("valid request");
        let got: Vec<String> = outcome
            .decisions
            .iter()
            .map(|decision| match decision {
                TaskDecision::Placed(placement) => placement.instance_id.0.clone(),
                TaskDecision::Unplaceable(unplaceable) => {
                    format!("!{}", unplaceable.aws_reason().unwrap_or("NONE"))
                }
            })
            .collect();
        assert_eq!(got, expected, "request {request:?}");
    }

    #[test]
    fn binpack_takes_the_fullest_instance_that_fits() {
        let cluster = || {
            vec![
                instance("a", "z1", 1024, 4096),
                instance("b", "z1", 512, 4096),
                instance("c", "z2", 256, 1024),
            ]
        };
        let by_cpu = |count| PlacementRequest {
            strategies: vec![binpack(BinpackField::Cpu)],
            ..request(300, 100, count)
        };
        check(cluster(), by_cpu(1), &["b"]);
        check(cluster(), by_cpu(3), &["b", "a", "a"]);
        check(cluster(), by_cpu(5), &["b", "a", "a", "a", "!RESOURCE:CPU"]);
        let by_memory = PlacementRequest {
            strategies: vec![binpack(BinpackField::Memory)],
            ..request(100, 1000, 2)
        };
        check(cluster(), by_memory, &["c", "a"]);
        let too_big = PlacementRequest {
            strategies: vec![binpack(BinpackField::Memory)],
            ..request(100, 5000, 1)
        };
        check(cluster(), too_big, &["!RESOURCE:MEMORY"]);
    }

    #[test]
    fn binpack_passes_instances_with_none_of_the_other_resource_left() {
        // "a" is the fullest by memory but has no CPU left: tasks that need
        // CPU go on to "b"; tasks that need none still pack onto "a".
        let cluster = || {
            vec![
                instance("a", "z1", 0, 1024),
                instance("b", "z1", 512, 2048),
                instance("c", "z2", 512, 4096),
            ]
        };
        let by_memory = |cpu| PlacementRequest {
            strategies: vec![binpack(BinpackField::Memory)],
            ..request(cpu, 1024, 3)
        };
        check(cluster(), by_memory(256), &["b", "b", "c"]);
        check(cluster(), by_memory(0), &["a", "b", "b"]);
        // The same, the other way round: "b" has no memory left.
        let cluster = || {
            vec![
                instance("a", "z1", 2048, 1024),
                instance("b", "z1", 256, 0),
                instance("c", "z2", 1024, 1024),
            ]
        };
        let by_cpu = |memory| PlacementRequest {
            strategies: vec![binpack(BinpackField::Cpu)],
            ..request(256, memory, 2)
        };
        check(cluster(), by_cpu(128), &["c", "c"]);
        check(cluster(), by_cpu(0), &["b", "c"]);
    }

    #[test]
    fn strategies_refine_ties_in_order() {
        let cluster = || {
            vec![
                instance("a", "z1", 512, 4096),
                instance("b", "z1", 512, 2048),
                instance("c", "z2", 512, 1024),
            ]
        };
        let cpu_then_memory = PlacementRequest {
            strategies: vec![binpack(BinpackField::Cpu), binpack(BinpackField::Memory)],
            ..request(256, 256, 1)
        };
        check(cluster(), cpu_then_memory, &["c"]);
        let zone_then_memory = PlacementRequest {
            strategies: vec![spread_zone(), binpack(BinpackField::Memory)],
            ..request(256, 256, 3)
        };
        check(cluster(), zone_then_memory, &["c", "b", "c"]);
        let cpu_then_spread = PlacementRequest {
            strategies: vec![binpack(BinpackField::Cpu), spread_instance()],
            ..request(256, 256, 3)
        };
        check(cluster(), cpu_then_spread, &["a", "a", "b"]);
    }

    #[test]
    fn spread_balances_zones_then_instances() {
        let mut busy = instance("c", "z2", 4096, 4096);
        busy.task_groups.insert("family:web".into(), 2);
        busy.task_groups.insert("family:other".into(), 5);
        let cluster = || {
            vec![
                instance("a", "z1", 4096, 4096),
                instance("b", "z1", 4096, 4096),
                instance("c", "z2", 4096, 4096),
                instance("d", "z3", 4096, 4096),
            ]
        };
        let zone_only = PlacementRequest {
            strategies: vec![spread_zone()],
            ..request(1, 1, 4)
        };
        check(cluster(), zone_only, &["a", "c", "d", "a"]);
        let zone_and_instance = PlacementRequest {
            strategies: PlacementStrategy::service_default(),
            ..request(1, 1, 5)
        };
        check(
            cluster(),
            zone_and_instance.clone(),
            &["a", "c", "d", "b", "c"],
        );
        let mut with_busy = cluster();
        with_busy[2] = busy;
        check(with_busy, zone_and_instance, &["a", "d", "b", "d", "a"]);
        let no_zone = {
            let mut lacking = instance("e", "z1", 4096, 4096);
            lacking.attributes.clear();
            vec![instance("a", "z1", 4096, 4096), lacking]
        };
        let zone_only = PlacementRequest {
            strategies: vec![spread_zone()],
            ..request(1, 1, 3)
        };
        check(no_zone, zone_only, &["a", "e", "a"]);
        let by_instance = PlacementRequest {
            strategies: vec![spread_instance()],
            ..request(1, 1, 5)
        };
        check(cluster(), by_instance, &["a", "b", "c", "d", "a"]);
    }

    #[test]
    fn constraints_bind() {
        let cluster = || {
            let mut prod = instance("p", "z1", 4096, 4096);
            prod.attributes
                .insert("stack".to_owned(), "prod".to_owned());
            vec![
                instance("a", "z1", 4096, 4096),
                prod,
                instance("c", "z2", 4096, 4096),
            ]
        };
        let distinct = PlacementRequest {
            constraints: vec![PlacementConstraint::DistinctInstance],
            ..request(1, 1, 4)
        };
        check(cluster(), distinct, &["a", "p", "c", "!ATTRIBUTE"]);
        let prod_only = PlacementRequest {
            constraints: vec![member_of("attribute:stack == prod")],
            strategies: vec![spread_zone()],
            ..request(1, 1, 2)
        };
        check(cluster(), prod_only, &["p", "p"]);
        let prod_distinct = PlacementRequest {
            constraints: vec![
                member_of("attribute:stack == prod"),
                PlacementConstraint::DistinctInstance,
            ],
            ..request(1, 1, 2)
        };
        check(cluster(), prod_distinct, &["p", "!ATTRIBUTE"]);
        let nowhere = PlacementRequest {
            constraints: vec![member_of("attribute:stack == test")],
            ..request(1, 1, 1)
        };
        check(cluster(), nowhere, &["!ATTRIBUTE"]);
        let one_task_each = PlacementRequest {
            constraints: vec![member_of("runningTasksCount < 1")],
            strategies: vec![binpack(BinpackField::Cpu)],
            ..request(1, 1, 4)
        };
        check(cluster(), one_task_each, &["a", "p", "c", "!ATTRIBUTE"]);
        let away_from_db = PlacementRequest {
            constraints: vec![member_of("not(task:group == family:web)")],
            ..request(1, 1, 2)
        };
        check(cluster(), away_from_db, &["a", "p"]);
    }

    #[test]
    fn member_of_walks_keep_strategy_order() {
        let cluster = || {
            let mut instances = vec![
                instance("a", "z1", 4096, 4096),
                instance("b", "z1", 4096, 1024),
                instance("c", "z2", 4096, 2048),
                instance("d", "z2", 4096, 4096),
                instance("e", "z3", 4096, 512),
            ];
            for instance in &mut instances[1..] {
                instance
                    .attributes
                    .insert("stack".to_owned(), "prod".to_owned());
            }
            instances
        };
        let prod = || vec![member_of("attribute:stack == prod")];
        let by_instance = PlacementRequest {
            constraints: prod(),
            strategies: vec![spread_instance()],
            ..request(1, 1, 5)
        };
        check(cluster(), by_instance, &["b", "c", "d", "e", "b"]);
        let by_memory = PlacementRequest {
            constraints: prod(),
            strategies: vec![binpack(BinpackField::Memory)],
            ..request(1, 600, 3)
        };
        check(cluster(), by_memory, &["b", "c", "c"]);
        let zone_then_instance = PlacementRequest {
            constraints: prod(),
            strategies: PlacementStrategy::service_default(),
            ..request(1, 1, 5)
        };
        check(cluster(), zone_then_instance, &["b", "c", "e", "d", "b"]);
        let two_scopes = PlacementRequest {
            constraints: vec![
                member_of("attribute:stack == prod"),
                member_of("attribute:ecs.availability-zone in [z2, z3]"),
            ],
            strategies: vec![spread_instance(), binpack(BinpackField::Cpu)],
            ..request(1, 1, 4)
        };
        check(cluster(), two_scopes.clone(), &["c", "d", "e", "c"]);
        let fill_first = PlacementRequest {
            strategies: vec![binpack(BinpackField::Cpu), spread_instance()],
            ..two_scopes
        };
        check(cluster(), fill_first, &["c", "c", "c", "c"]);
    }

    #[test]
    fn static_ports_never_collide() {
        let mut taken = instance("a", "z1", 4096, 4096);
        taken.tcp_ports_in_use.insert(80);
        taken.udp_ports_in_use.insert(53);
        let cluster = || vec![taken.clone(), instance("b", "z1", 4096, 4096)];
        let tcp = PlacementRequest {
            tcp_ports: BTreeSet::from([80, 8080]),
            ..request(1, 1, 2)
        };
        check(cluster(), tcp, &["b", "!RESOURCE:PORTS"]);
        let udp = PlacementRequest {
            udp_ports: BTreeSet::from([53]),
            ..request(1, 1, 2)
        };
        check(cluster(), udp, &["b", "!RESOURCE:PORTS_UDP"]);
        let other_port = PlacementRequest {
            tcp_ports: BTreeSet::from([443]),
            ..request(1, 1, 2)
        };
        check(cluster(), other_port, &["a", "b"]);
    }

    #[test]
    fn only_active_connected_instances_take_tasks() {
        let mut draining = instance("d", "z1", 4096, 4096);
        draining.status = InstanceStatus::Draining;
        let mut lost = instance("l", "z1", 4096, 4096);
        lost.agent_connected = false;
        check(vec![draining.clone()], request(1, 1, 1), &["!INACTIVE"]);
        check(
            vec![draining.clone(), lost.clone()],
            request(1, 1, 1),
            &["!AGENT"],
        );
        check(
            vec![draining, lost, instance("a", "z1", 1, 1)],
            request(1, 1, 2),
            &["a", "!RESOURCE:CPU"],
        );
        check(Vec::new(), request(1, 1, 2), &["!NONE", "!NONE"]);
    }

    #[test]
    fn random_picks_among_ties_and_follows_the_seed() {
        let cluster = ClusterSnapshot {
            instances: vec![
                instance("a", "z1", 100, 100),
                instance("b", "z1", 100, 100),
                instance("c", "z2", 200, 100),
                instance("d", "z2", 100, 100),
            ],
        };
        let binpack_random = PlacementRequest {
            strategies: vec![binpack(BinpackField::Cpu), PlacementStrategy::Random],
            ..request(10, 10, 1)
        };
        let mut seen = BTreeSet::new();
        for seed in 0..64 {
            let pick = |seed| {
                let outcome = crate::place(
                    &cluster,
                    &binpack_random,
                    &mut SmallRng::seed_from_u64(seed),
                )
                .expect("valid");
                outcome
                    .placements()
                    .map(|p| p.instance_id.0.clone())
                    .collect::<Vec<_>>()
            };
            let first = pick(seed);
            assert_eq!(first, pick(seed), "same seed, same choice");
            seen.extend(first);
        }
        let expected: BTreeSet<String> = ["a", "b", "d"].iter().map(|s| s.to_string()).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn ties_start_where_the_group_hashes_to() {
        let cluster = || ClusterSnapshot {
            instances: ["a", "b", "c", "d", "e", "f"]
                .into_iter()
                .map(|id| instance(id, "z1", 1024, 1024))
                .collect(),
        };
        let place = |group: &str, strategies: Vec<PlacementStrategy>, count| {
            let request = PlacementRequest {
                group: group.to_owned(),
                strategies,
                ..request(1, 1, count)
            };
            crate::place(&cluster(), &request, &mut SmallRng::seed_from_u64(7))
                .expect("valid request")
                .placements()
                .map(|placement| placement.instance_id.0.clone())
                .collect::<Vec<_>>()
                .concat()
        };
        // FNV-1a of the group, modulo the instances: 2 for "service:web"
        // and 4 for "service:g1" among 6.
        assert_eq!(place("service:web", vec![spread_instance()], 6), "cdefab");
        assert_eq!(place("service:g1", vec![spread_instance()], 3), "efa");
        // The same start breaks the ties binpack and zone spread leave, and
        // those of a request without strategies.
        assert_eq!(
            place("service:web", vec![binpack(BinpackField::Cpu)], 2),
            "cc"
        );
        assert_eq!(place("service:web", vec![spread_zone()], 1), "c");
        assert_eq!(place("service:web", Vec::new(), 1), "c");
        // Random draws among the ties in snapshot order, as before.
        let random = place("service:web", vec![PlacementStrategy::Random], 1);
        assert_eq!(random.len(), 1);
    }

    #[test]
    fn groups_spread_by_instance_begin_on_different_instances() {
        // Ten groups of ten tasks on a hundred hosts: with every group's
        // ties broken from position 0 they all went to the first ten.
        let mut index = crate::ClusterIndex::new(ClusterSnapshot {
            instances: (0..100)
                .map(|n| instance(&format!("{n:03}"), ["z1", "z2", "z3"][n % 3], 1024, 1024))
                .collect(),
        });
        let mut rng = SmallRng::seed_from_u64(1);
        for group in 0..10 {
            let request = PlacementRequest {
                group: format!("service:g{group}"),
                strategies: PlacementStrategy::service_default(),
                ..request(1, 1, 10)
            };
            index.place(&request, &mut rng).expect("valid request");
        }
        let used = index
            .instances()
            .iter()
            .filter(|instance| instance.running_tasks_count > 0)
            .count();
        assert!(used > 50, "the groups' tasks share {used} of 100 hosts");
    }

    #[test]
    fn index_reuse_accounts_for_earlier_requests_and_releases() {
        let mut index = crate::ClusterIndex::new(ClusterSnapshot {
            instances: vec![
                instance("a", "z1", 1024, 1024),
                instance("b", "z2", 1024, 1024),
            ],
        });
        let spread = PlacementRequest {
            strategies: PlacementStrategy::service_default(),
            ..request(512, 512, 1)
        };
        let mut rng = SmallRng::seed_from_u64(1);
        let mut place = |index: &mut crate::ClusterIndex| -> Vec<usize> {
            index
                .place_with_ties_from(&spread, &mut rng, 0)
                .expect("valid")
                .placements()
                .map(|placement| placement.instance_index)
                .collect()
        };
        assert_eq!(place(&mut index), [0]);
        assert_eq!(place(&mut index), [1]);
        index.release(0, &spread);
        assert_eq!(index.instances()[0].remaining_cpu, 1024);
        assert_eq!(place(&mut index), [0]);
        assert_eq!(place(&mut index), [0]);
        assert_eq!(place(&mut index), [1]);
        assert_eq!(place(&mut index), []);
        let mut moved = index.instances()[0].clone();
        moved.remaining_cpu = 4096;
        moved.remaining_memory_mib = 4096;
        index.replace_instance(moved);
        assert_eq!(place(&mut index), [0]);
    }
}
