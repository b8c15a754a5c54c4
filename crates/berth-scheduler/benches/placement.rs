//! Placement throughput on a 5,000-instance cluster: binpack, spread by
//! availability zone (alone and with instance spread, also with nine hosts
//! in ten out of CPU), spread by instance on such a cluster, and a memberOf
//! query-language constraint under instance spread, binpack and the service
//! default spread. Each iteration places 1,000 one-task requests
//! on a fresh copy of a warmed index, so figures are decisions per second.

use std::collections::{BTreeMap, BTreeSet};
use std::hint::black_box;

use berth_scheduler::{
    BinpackField, ClusterIndex, ClusterSnapshot, Expression, InstanceSnapshot, PlacementConstraint,
    PlacementRequest, PlacementStrategy, SpreadField,
};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use rand::SeedableRng;
use rand::rngs::SmallRng;

mod support;

const N_INSTANCES: usize = 5_000;
const DECISIONS_PER_ITER: u64 = 1_000;
const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
const TYPES: [&str; 4] = ["m5.large", "m5.xlarge", "c5.large", "t3.medium"];

fn cluster() -> ClusterSnapshot {
    let instances = (0..N_INSTANCES)
        .map(|idx| InstanceSnapshot {
            tcp_ports_in_use: BTreeSet::from([22]),
            task_groups: BTreeMap::from([(format!("service:other-{}", idx % 7).into(), 1)]),
            running_tasks_count: 1,
            ..support::host(
                idx,
                BTreeMap::from([
                    (
                        "ecs.availability-zone".to_owned(),
                        ZONES[idx % ZONES.len()].to_owned(),
                    ),
                    (
                        "ecs.instance-type".to_owned(),
                        TYPES[idx / 3 % TYPES.len()].to_owned(),
                    ),
                    ("ecs.os-type".to_owned(), "linux".to_owned()),
                ]),
                // Uneven free capacity so binpack has a real order to follow.
                1024 + (idx as u32 * 37 % 16) * 256,
                2048 + (idx as u32 * 53 % 32) * 512,
            )
        })
        .collect();
    ClusterSnapshot { instances }
}

fn request(
    strategies: Vec<PlacementStrategy>,
    constraints: Vec<PlacementConstraint>,
) -> PlacementRequest {
    PlacementRequest {
        cpu: 128,
        memory_mib: 256,
        tcp_ports: BTreeSet::new(),
        udp_ports: BTreeSet::new(),
        count: 1,
        group: "service:web".to_owned(),
        constraints,
        strategies,
    }
}

/// [`cluster`] late in a replay: nine hosts in ten have no CPU left.
fn mostly_full_cluster() -> ClusterSnapshot {
    let mut snapshot = cluster();
    for (idx, instance) in snapshot.instances.iter_mut().enumerate() {
        if idx % 10 != 0 {
            instance.remaining_cpu = 0;
        }
    }
    snapshot
}

fn bench_scenario(c: &mut Criterion, name: &str, request: PlacementRequest) {
    bench_scenario_on(c, name, cluster(), request);
}

fn bench_scenario_on(
    c: &mut Criterion,
    name: &str,
    cluster: ClusterSnapshot,
    request: PlacementRequest,
) {
    let mut warmed = ClusterIndex::new(cluster);
    // One decision builds the group, spread and match-set structures; the
    // release leaves the cluster as it was.
    let mut rng = SmallRng::seed_from_u64(1);
    let outcome = warmed.place(&request, &mut rng).expect("valid request");
    for placement in outcome.placements() {
        warmed.release(placement.instance_index, &request);
    }
    let mut group = c.benchmark_group("placement");
    group.throughput(Throughput::Elements(DECISIONS_PER_ITER));
    group.bench_function(name, |b| {
        b.iter_batched(
            || (warmed.clone(), SmallRng::seed_from_u64(7)),
            |(mut index, mut rng)| {
                for _ in 0..DECISIONS_PER_ITER {
                    black_box(index.place(&request, &mut rng).expect("valid request"));
                }
                index
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

fn placement(c: &mut Criterion) {
    let zone =
        || PlacementStrategy::Spread(SpreadField::Attribute("ecs.availability-zone".to_owned()));
    bench_scenario(
        c,
        "binpack_memory_5000",
        request(
            vec![PlacementStrategy::Binpack(BinpackField::Memory)],
            Vec::new(),
        ),
    );
    bench_scenario(c, "spread_az_5000", request(vec![zone()], Vec::new()));
    bench_scenario(
        c,
        "spread_az_then_instance_5000",
        request(PlacementStrategy::service_default(), Vec::new()),
    );
    bench_scenario_on(
        c,
        "spread_az_then_instance_5000_mostly_full",
        mostly_full_cluster(),
        request(PlacementStrategy::service_default(), Vec::new()),
    );
    bench_scenario_on(
        c,
        "spread_instance_5000_mostly_full",
        mostly_full_cluster(),
        request(
            vec![PlacementStrategy::Spread(SpreadField::InstanceId)],
            Vec::new(),
        ),
    );
    let expression = Expression::parse(
        "attribute:ecs.instance-type =~ 'm5\\..*' and attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
    )
    .expect("valid expression");
    let member_of = || vec![PlacementConstraint::MemberOf(expression.clone())];
    bench_scenario(
        c,
        "member_of_spread_instance_5000",
        request(
            vec![PlacementStrategy::Spread(SpreadField::InstanceId)],
            member_of(),
        ),
    );
    bench_scenario(
        c,
        "member_of_binpack_memory_5000",
        request(
            vec![PlacementStrategy::Binpack(BinpackField::Memory)],
            member_of(),
        ),
    );
    bench_scenario(
        c,
        "member_of_spread_az_then_instance_5000",
        request(PlacementStrategy::service_default(), member_of()),
    );
}

criterion_group!(benches, placement);
criterion_main!(benches);
