//! Property tests: the indexed `ClusterIndex::place` decides exactly what a
//! plain reference implementation of the placement rules decides (also
//! after instances are replaced), every placement is valid (resources,
//! ports, constraints), and "unplaceable" only happens when brute force
//! finds no valid instance either.

use std::collections::{BTreeMap, BTreeSet};

use berth_scheduler::{
    BinpackField, ClusterIndex, ClusterSnapshot, ContainerInstanceId, Expression, GroupName,
    InstanceSnapshot, InstanceStatus, PlacementConstraint, PlacementRequest, PlacementStrategy,
    SpreadField, TaskDecision, Timestamp,
};
use proptest::prelude::*;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

const GROUPS: [&str; 2] = ["service:web", "family:batch"];
const EXPRESSIONS: [&str; 6] = [
    "attribute:stack == prod",
    "attribute:ecs.availability-zone in [z1, z2]",
    "not attribute:stack exists or agentVersion >= 1.5",
    "runningTasksCount < 3",
    "not(task:group == service:web)",
    "attribute:stack =~ 'p.*' and registeredAt < 2020-01-01",
];

fn instance_strategy() -> impl Strategy<Value = InstanceSnapshot> {
    (
        (
            prop::option::of(prop::sample::select(vec!["z1", "z2", "z3"])),
            prop::option::of(prop::sample::select(vec!["prod", "dev"])),
            prop::bool::weighted(0.85),
            prop::bool::weighted(0.9),
            prop::sample::select(vec!["1.2.0", "1.5.0", "1.10.1"]),
            prop::sample::select(vec![1_500_000_000_i64, 1_600_000_000]),
        ),
        (
            0..5u32,
            0..5u32,
            prop::collection::btree_set(prop::sample::select(vec![80u16, 443]), 0..2),
            prop::collection::btree_set(prop::sample::select(vec![53u16]), 0..2),
            prop::collection::btree_map(prop::sample::select(GROUPS.to_vec()), 1..3u32, 0..3),
        ),
    )
        .prop_map(
            |(
                (zone, stack, active, connected, version, registered),
                (cpu, memory, tcp, udp, groups),
            )| {
                let mut attributes = BTreeMap::new();
                if let Some(zone) = zone {
                    attributes.insert("ecs.availability-zone".to_owned(), zone.to_owned());
                }
                if let Some(stack) = stack {
                    attributes.insert("stack".to_owned(), stack.to_owned());
                }
                let task_groups: BTreeMap<GroupName, u32> = groups
                    .into_iter()
                    .map(|(group, count)| (group.into(), count))
                    .collect();
                InstanceSnapshot {
                    id: ContainerInstanceId(String::new()),
                    host_id: String::new(),
                    status: if active {
                        InstanceStatus::Active
                    } else {
                        InstanceStatus::Draining
                    },
                    agent_connected: connected,
                    agent_version: version.to_owned(),
                    registered_at: Timestamp(registered),
                    attributes,
                    remaining_cpu: cpu * 256,
                    remaining_memory_mib: memory * 512,
                    tcp_ports_in_use: tcp,
                    udp_ports_in_use: udp,
                    running_tasks_count: task_groups.values().sum(),
                    task_groups,
                }
            },
        )
}

fn cluster_strategy() -> impl Strategy<Value = ClusterSnapshot> {
    prop::collection::vec(instance_strategy(), 0..9).prop_map(|mut instances| {
        for (idx, instance) in instances.iter_mut().enumerate() {
            instance.id = ContainerInstanceId(format!("ci-{idx}"));
            instance.host_id = format!("i-{idx:08x}");
        }
        ClusterSnapshot { instances }
    })
}

fn placement_strategy_strategy() -> impl Strategy<Value = PlacementStrategy> {
    prop::sample::select(vec![
        PlacementStrategy::Binpack(BinpackField::Cpu),
        PlacementStrategy::Binpack(BinpackField::Memory),
        PlacementStrategy::Spread(SpreadField::InstanceId),
        PlacementStrategy::Spread(SpreadField::Attribute("ecs.availability-zone".to_owned())),
        PlacementStrategy::Spread(SpreadField::Attribute("stack".to_owned())),
        PlacementStrategy::Random,
    ])
}

fn request_strategy() -> impl Strategy<Value = PlacementRequest> {
    (
        (
            // Sizes that divide the instances' capacities (so reservations
            // leave some with exactly none left) and sizes that do not.
            prop::sample::select(vec![0u32, 128, 200, 256, 400]),
            prop::sample::select(vec![0u32, 256, 400, 512, 800]),
            1..=10u32,
            prop::sample::select(GROUPS.to_vec()),
        ),
        prop::collection::btree_set(prop::sample::select(vec![80u16, 443]), 0..2),
        prop::collection::btree_set(prop::sample::select(vec![53u16]), 0..2),
        prop::bool::weighted(0.3),
        prop::collection::vec(prop::sample::select(EXPRESSIONS.to_vec()), 0..3),
        prop::collection::vec(placement_strategy_strategy(), 0..4),
    )
        .prop_map(
            |((cpu, memory, count, group), tcp, udp, distinct, expressions, strategies)| {
                let mut constraints: Vec<PlacementConstraint> = expressions
                    .into_iter()
                    .filter_map(|source| {
                        Expression::parse(source)
                            .ok()
                            .map(PlacementConstraint::MemberOf)
                    })
                    .collect();
                if distinct {
                    constraints.push(PlacementConstraint::DistinctInstance);
                }
                PlacementRequest {
                    cpu,
                    memory_mib: memory,
                    tcp_ports: tcp,
                    udp_ports: udp,
                    count,
                    group: group.to_owned(),
                    constraints,
                    strategies,
                }
            },
        )
}

/// Whether `instance` may take one task of `request`, straight from the rules.
fn valid(instance: &InstanceSnapshot, request: &PlacementRequest) -> bool {
    instance.status == InstanceStatus::Active
        && instance.agent_connected
        && instance.remaining_cpu >= request.cpu
        && instance.remaining_memory_mib >= request.memory_mib
        && request.tcp_ports.is_disjoint(&instance.tcp_ports_in_use)
        && request.udp_ports.is_disjoint(&instance.udp_ports_in_use)
        && request
            .constraints
            .iter()
            .all(|constraint| match constraint {
                PlacementConstraint::DistinctInstance => instance.group_count(&request.group) == 0,
                PlacementConstraint::MemberOf(expression) => expression.matches(instance),
            })
}

fn apply(instance: &mut InstanceSnapshot, request: &PlacementRequest) {
    instance.remaining_cpu -= request.cpu;
    instance.remaining_memory_mib -= request.memory_mib;
    instance.tcp_ports_in_use.extend(&request.tcp_ports);
    instance.udp_ports_in_use.extend(&request.udp_ports);
    instance.running_tasks_count += 1;
    *instance
        .task_groups
        .entry(request.group.as_str().into())
        .or_insert(0) += 1;
}

/// A strategy's value for one instance, computed from scratch.
fn value(
    instances: &[InstanceSnapshot],
    idx: usize,
    strategy: &PlacementStrategy,
    group: &str,
) -> u32 {
    let instance = &instances[idx];
    match strategy {
        PlacementStrategy::Binpack(BinpackField::Cpu) => instance.remaining_cpu,
        PlacementStrategy::Binpack(BinpackField::Memory) => instance.remaining_memory_mib,
        PlacementStrategy::Spread(SpreadField::InstanceId) => instance.group_count(group),
        PlacementStrategy::Spread(SpreadField::Attribute(name)) => instances
            .iter()
            .filter(|other| other.attribute(name) == instance.attribute(name))
            .map(|other| other.group_count(group))
            .sum(),
        PlacementStrategy::Random => 0,
    }
}

/// The placement rules without any index: filter, then narrow ties
/// strategy by strategy, random draws once among the ties, else the first
/// at or after the request's tie start, wrapping around.
fn reference_place<R: Rng>(
    instances: &mut [InstanceSnapshot],
    request: &PlacementRequest,
    rng: &mut R,
) -> Vec<Option<usize>> {
    let mut decisions = Vec::new();
    for _ in 0..request.count {
        let mut ties: Vec<usize> = (0..instances.len())
            .filter(|&idx| valid(&instances[idx], request))
            .collect();
        let mut choice = None;
        if !ties.is_empty() {
            for strategy in &request.strategies {
                if *strategy == PlacementStrategy::Random {
                    choice = Some(ties[rng.random_range(0..ties.len())]);
                    break;
                }
                let least = ties
                    .iter()
                    .map(|&idx| value(instances, idx, strategy, &request.group))
                    .min()
                    .unwrap_or(0);
                ties.retain(|&idx| value(instances, idx, strategy, &request.group) == least);
            }
            let start = request.tie_start(instances.len());
            choice = choice.or(ties
                .iter()
                .copied()
                .min_by_key(|&idx| (idx + instances.len() - start) % instances.len()));
        }
        if let Some(idx) = choice {
            apply(&mut instances[idx], request);
        }
        decisions.push(choice);
    }
    decisions
}

fn decisions_of(outcome: &berth_scheduler::PlacementOutcome) -> Vec<Option<usize>> {
    outcome
        .decisions
        .iter()
        .map(|decision| match decision {
            TaskDecision::Placed(placement) => Some(placement.instance_index),
            TaskDecision::Unplaceable(_) => None,
        })
        .collect()
}

/// 512 cases unless `PROPTEST_CASES` asks for another count (a bare
/// `with_cases` would override the variable).
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(512);
    ProptestConfig::with_cases(cases)
}

proptest! {
    #![proptest_config(config())]

    /// Several requests on one index, each compared with the reference on
    /// the same evolving state; then releases restore the snapshot exactly.
    #[test]
    fn index_matches_reference_and_every_placement_is_valid(
        snapshot in cluster_strategy(),
        requests in prop::collection::vec(request_strategy(), 1..4),
        seed in any::<u64>(),
    ) {
        let mut index = ClusterIndex::new(snapshot.clone());
        let mut state = snapshot.instances.clone();
        let mut index_rng = SmallRng::seed_from_u64(seed);
        let mut reference_rng = SmallRng::seed_from_u64(seed);
        let mut made = Vec::new();
        for request in &requests {
            let before = state.clone();
            let outcome = index.place(request, &mut index_rng).expect("generated requests are valid");
            let got = decisions_of(&outcome);
            let expected = reference_place(&mut state, request, &mut reference_rng);
            prop_assert_eq!(&got, &expected, "request {:?}", request);

            // Replay: each placement valid when made; each failure had no
            // valid instance and names a reason for every instance.
            let mut replay = before;
            for decision in &outcome.decisions {
                match decision {
                    TaskDecision::Placed(placement) => {
                        let instance = &mut replay[placement.instance_index];
                        prop_assert!(valid(instance, request), "invalid placement on {:?}", instance);
                        apply(instance, request);
                        made.push((placement.instance_index, request.clone()));
                    }
                    TaskDecision::Unplaceable(unplaceable) => {
                        prop_assert!(replay.iter().all(|instance| !valid(instance, request)));
                        prop_assert_eq!(unplaceable.rejections.len(), replay.len());
                        prop_assert_eq!(unplaceable.aws_reason().is_none(), replay.is_empty());
                    }
                }
            }
            prop_assert_eq!(index.instances(), replay.as_slice());
        }
        for (idx, request) in made.iter().rev() {
            index.release(*idx, request);
        }
        prop_assert_eq!(index.instances(), snapshot.instances.as_slice());

        // Views updated through reserve and release still decide like new.
        let first = &requests[0];
        let mut fresh = snapshot.instances.clone();
        let again = index.place(first, &mut SmallRng::seed_from_u64(seed)).expect("valid");
        let expected = reference_place(&mut fresh, first, &mut SmallRng::seed_from_u64(seed));
        prop_assert_eq!(decisions_of(&again), expected);
    }

    /// Replacing instances (changed in place, or new ids appended) after
    /// requests have built views keeps every view current: each later
    /// request still decides what the reference decides on the same state.
    #[test]
    fn replaced_instances_keep_the_index_current(
        snapshot in cluster_strategy(),
        steps in prop::collection::vec(
            (
                request_strategy(),
                prop::option::of((any::<prop::sample::Index>(), instance_strategy(), any::<bool>())),
            ),
            1..6,
        ),
        seed in any::<u64>(),
    ) {
        let mut index = ClusterIndex::new(snapshot.clone());
        let mut state = snapshot.instances.clone();
        let mut index_rng = SmallRng::seed_from_u64(seed);
        let mut reference_rng = SmallRng::seed_from_u64(seed);
        for (step, (request, replacement)) in steps.iter().enumerate() {
            let outcome = index.place(request, &mut index_rng).expect("generated requests are valid");
            let expected = reference_place(&mut state, request, &mut reference_rng);
            prop_assert_eq!(decisions_of(&outcome), expected, "request {:?}", request);
            let Some((which, mut instance, append)) = replacement.clone() else {
                continue;
            };
            if append || state.is_empty() {
                instance.id = ContainerInstanceId(format!("new-{step}"));
                state.push(instance.clone());
            } else {
                let idx = which.index(state.len());
                instance.id = state[idx].id.clone();
                state[idx] = instance.clone();
            }
            index.replace_instance(instance);
            prop_assert_eq!(index.instances(), state.as_slice());
        }
        for request in steps.iter().map(|(request, _)| request) {
            let outcome = index.place(request, &mut index_rng).expect("valid");
            let expected = reference_place(&mut state, request, &mut reference_rng);
            prop_assert_eq!(decisions_of(&outcome), expected, "request {:?}", request);
        }
    }

    /// Parsing never panics, whatever the input.
    #[test]
    fn parser_never_panics(source in "[ -~]{0,80}") {
        let _ = Expression::parse(&source);
    }

    /// Expressions assembled from the grammar's pieces parse, and their
    /// canonical form parses to the same canonical form.
    #[test]
    fn canonical_form_is_stable(
        parts in prop::collection::vec(prop::sample::select(EXPRESSIONS.to_vec()), 1..5),
        joiners in prop::collection::vec(prop::sample::select(vec![" and ", " or ", " && ", " || "]), 4),
        negate in prop::collection::vec(any::<bool>(), 5),
    ) {
        let mut source = String::new();
        for (idx, part) in parts.iter().enumerate() {
            if idx > 0 {
                source.push_str(joiners[idx - 1]);
            }
            if negate[idx] {
                source.push_str(&format!("not ({part})"));
            } else {
                source.push_str(&format!("({part})"));
            }
        }
        let expression = Expression::parse(&source).expect("grammar-built expression parses");
        let again = Expression::parse(expression.canonical()).expect("canonical parses");
        prop_assert_eq!(again.canonical(), expression.canonical());
    }
}

#[test]
fn release_of_a_snapshot_with_empty_groups_is_exact() {
    let snapshot = ClusterSnapshot {
        instances: vec![InstanceSnapshot {
            id: ContainerInstanceId("a".to_owned()),
            host_id: "i-a".to_owned(),
            status: InstanceStatus::Active,
            agent_connected: true,
            agent_version: "1.0.0".to_owned(),
            registered_at: Timestamp(0),
            attributes: BTreeMap::new(),
            remaining_cpu: 10,
            remaining_memory_mib: 10,
            tcp_ports_in_use: BTreeSet::new(),
            udp_ports_in_use: BTreeSet::new(),
            task_groups: BTreeMap::new(),
            running_tasks_count: 0,
        }],
    };
    let request = PlacementRequest {
        cpu: 1,
        memory_mib: 1,
        tcp_ports: BTreeSet::from([80]),
        udp_ports: BTreeSet::new(),
        count: 1,
        group: "g".to_owned(),
        constraints: Vec::new(),
        strategies: Vec::new(),
    };
    let mut index = ClusterIndex::new(snapshot.clone());
    let outcome = index
        .place(&request, &mut SmallRng::seed_from_u64(0))
        .expect("valid");
    assert_eq!(outcome.placements().count(), 1);
    index.release(0, &request);
    assert_eq!(index.instances(), snapshot.instances.as_slice());
}
