//! The runner's decisions as pure functions over the spec and the observed
//! container states: what to start next, what can never start, when the
//! essential rule stops the task, the task's status and health, the order of
//! shutdown, and how to treat an image before creating a container.

use crate::spec::{DependencyCondition, PullBehavior, TaskSpec};
use crate::state::{ContainerState, ContainerStatus, HealthStatus, TaskStatus};

/// Result of [`plan_starts`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartPlan {
    /// Containers whose dependencies are all satisfied, by index, in order.
    pub start: Vec<usize>,
    /// Containers whose dependencies can never be satisfied, with the reason.
    pub give_up: Vec<(usize, String)>,
}

/// Whether one dependency condition holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConditionState {
    /// It holds.
    Satisfied,
    /// It may hold later.
    Waiting,
    /// It can no longer hold.
    Never(String),
}

/// Judges one dependency condition against the dependency's state.
pub fn condition_state(condition: DependencyCondition, dep: &ContainerState) -> ConditionState {
    let stopped = dep.last_status == ContainerStatus::Stopped;
    if stopped && !dep.was_started() {
        return ConditionState::Never(format!("dependency {} never started", dep.name));
    }
    match condition {
        DependencyCondition::Start if dep.was_started() => ConditionState::Satisfied,
        DependencyCondition::Complete if stopped => ConditionState::Satisfied,
        DependencyCondition::Success if stopped => match dep.exit_code {
            Some(0) => ConditionState::Satisfied,
            Some(code) => ConditionState::Never(format!(
                "dependency {} exited with code {code}, SUCCESS needs 0",
                dep.name
            )),
            None => ConditionState::Never(format!(
                "dependency {} stopped without an exit code",
                dep.name
            )),
        },
        DependencyCondition::Healthy if dep.health_status == HealthStatus::Healthy => {
            ConditionState::Satisfied
        }
        DependencyCondition::Healthy if stopped => ConditionState::Never(format!(
            "dependency {} stopped before it became healthy",
            dep.name
        )),
        _ => ConditionState::Waiting,
    }
}

/// Decides which pending, never-started containers can start now and which
/// never will. `states` is parallel to `spec.containers`.
pub fn plan_starts(spec: &TaskSpec, states: &[ContainerState]) -> StartPlan {
    let mut plan = StartPlan::default();
    for (idx, (container, state)) in spec.containers.iter().zip(states).enumerate() {
        if state.last_status != ContainerStatus::Pending || state.was_started() {
            continue;
        }
        let mut verdict = ConditionState::Satisfied;
        for dep in &container.depends_on {
            let Some(dep_state) = states.iter().find(|s| s.name == dep.container_name) else {
                verdict = ConditionState::Never(format!(
                    "dependency {} is not in the task",
                    dep.container_name
                ));
                break;
            };
            match condition_state(dep.condition, dep_state) {
                ConditionState::Satisfied => {}
                ConditionState::Waiting => verdict = ConditionState::Waiting,
                never @ ConditionState::Never(_) => {
                    verdict = never;
                    break;
                }
            }
        }
        match verdict {
            ConditionState::Satisfied => plan.start.push(idx),
            ConditionState::Waiting => {}
            ConditionState::Never(reason) => plan.give_up.push((idx, reason)),
        }
    }
    plan
}

/// The first essential container that has stopped, if any: the task must stop.
pub fn essential_stopped(spec: &TaskSpec, states: &[ContainerState]) -> Option<usize> {
    spec.containers
        .iter()
        .zip(states)
        .position(|(c, s)| c.essential && s.last_status == ContainerStatus::Stopped)
}

/// The task's status after `previous`, given its containers. Status never
/// moves backwards: STOPPED once nothing runs and nothing is pending;
/// RUNNING once nothing is pending and something runs.
pub fn task_status(previous: TaskStatus, states: &[ContainerState]) -> TaskStatus {
    let any_pending = states
        .iter()
        .any(|s| s.last_status == ContainerStatus::Pending);
    let any_running = states
        .iter()
        .any(|s| s.last_status == ContainerStatus::Running);
    let computed = if !any_pending && !any_running {
        TaskStatus::Stopped
    } else if !any_pending {
        TaskStatus::Running
    } else {
        TaskStatus::Pending
    };
    previous.max(computed)
}

/// The task's health from its essential containers: any UNHEALTHY wins,
/// then any UNKNOWN, else HEALTHY.
pub fn task_health(spec: &TaskSpec, states: &[ContainerState]) -> HealthStatus {
    let mut health = None;
    for (container, state) in spec.containers.iter().zip(states) {
        if !container.essential {
            continue;
        }
        health = Some(match (health, state.health_status) {
            (_, HealthStatus::Unhealthy) | (Some(HealthStatus::Unhealthy), _) => {
                HealthStatus::Unhealthy
            }
            (_, HealthStatus::Unknown) | (Some(HealthStatus::Unknown), _) => HealthStatus::Unknown,
            _ => HealthStatus::Healthy,
        });
    }
    health.unwrap_or(HealthStatus::Unknown)
}

/// Maps Docker's `State.Health.Status` to ECS health. A container without a
/// task-definition health check is always UNKNOWN.
pub fn health_from_docker(has_health_check: bool, docker_status: Option<&str>) -> HealthStatus {
    match (has_health_check, docker_status) {
        (true, Some("healthy")) => HealthStatus::Healthy,
        (true, Some("unhealthy")) => HealthStatus::Unhealthy,
        _ => HealthStatus::Unknown,
    }
}

/// Groups containers into shutdown waves: a container is stopped only after
/// every container that depends on it, and each wave can stop in parallel.
pub fn shutdown_waves(spec: &TaskSpec) -> Vec<Vec<usize>> {
    let n = spec.containers.len();
    let mut stopped = vec![false; n];
    let mut waves = Vec::new();
    while stopped.iter().any(|s| !s) {
        let wave: Vec<usize> = (0..n)
            .filter(|&idx| !stopped[idx])
            .filter(|&idx| {
                let name = &spec.containers[idx].name;
                spec.containers
                    .iter()
                    .enumerate()
                    .all(|(other_idx, other)| {
                        stopped[other_idx]
                            || other_idx == idx
                            || !other.depends_on.iter().any(|d| &d.container_name == name)
                    })
            })
            .collect();
        // A cycle (rejected by validation) would leave no candidate; stop the
        // rest together rather than loop forever.
        let wave = if wave.is_empty() {
            (0..n).filter(|&idx| !stopped[idx]).collect()
        } else {
            wave
        };
        for &idx in &wave {
            stopped[idx] = true;
        }
        waves.push(wave);
    }
    waves
}

/// What to do about an image before creating a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullDecision {
    /// Use the local image without pulling.
    UseCached,
    /// Pull; on failure fall back to the local image if allowed and present.
    Pull {
        /// Whether a failed pull may fall back to a cached image.
        fallback_to_cached: bool,
    },
}

/// Applies the pull behaviour to what the host has: whether the image is
/// present locally and whether this agent pulled it before.
pub fn decide_pull(behavior: PullBehavior, present: bool, pulled_before: bool) -> PullDecision {
    match behavior {
        PullBehavior::Default => PullDecision::Pull {
            fallback_to_cached: present,
        },
        PullBehavior::Always => PullDecision::Pull {
            fallback_to_cached: false,
        },
        PullBehavior::Once if present && pulled_before => PullDecision::UseCached,
        PullBehavior::PreferCached if present => PullDecision::UseCached,
        PullBehavior::Once | PullBehavior::PreferCached => PullDecision::Pull {
            fallback_to_cached: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::spec::{
        ContainerSpec, Dependency, DependencyCondition::*, HealthCheck, NetworkMode,
    };

    /// A container in a test table: name, essential, dependencies.
    type Row<'a> = (&'a str, bool, &'a [(&'a str, DependencyCondition)]);

    fn spec(rows: &[Row]) -> TaskSpec {
        TaskSpec {
            task_arn: "arn".into(),
            cluster: "c".into(),
            family: "f".into(),
            revision: 1,
            network_mode: NetworkMode::Bridge,
            volumes: vec![],
            containers: rows
                .iter()
                .map(|(name, essential, deps)| ContainerSpec {
                    name: name.to_string(),
                    image: "i".into(),
                    essential: *essential,
                    health_check: Some(HealthCheck::with_defaults(vec![
                        "CMD".into(),
                        "true".into(),
                    ])),
                    depends_on: deps
                        .iter()
                        .map(|(n, c)| Dependency {
                            container_name: n.to_string(),
                            condition: *c,
                        })
                        .collect(),
                    ..Default::default()
                })
                .collect(),
        }
    }

    /// Short container states: P pending, R running, H running+healthy,
    /// U running+unhealthy, E<n> exited with n, X stopped without starting.
    fn state(name: &str, code: &str) -> ContainerState {
        let mut s = ContainerState::pending(name, "i");
        let started = Some(SystemTime::UNIX_EPOCH);
        match code {
            "P" => {}
            "R" | "H" | "U" => {
                s.last_status = ContainerStatus::Running;
                s.started_at = started;
                s.health_status = match code {
                    "H" => HealthStatus::Healthy,
                    "U" => HealthStatus::Unhealthy,
                    _ => HealthStatus::Unknown,
                };
            }
            "X" => s.last_status = ContainerStatus::Stopped,
            exited => {
                s.last_status = ContainerStatus::Stopped;
                s.started_at = started;
                s.exit_code = exited.strip_prefix('E').and_then(|c| c.parse().ok());
            }
        }
        s
    }

    fn states(rows: &[Row], codes: &[&str]) -> Vec<ContainerState> {
        rows.iter()
            .zip(codes)
            .map(|((name, _, _), code)| state(name, code))
            .collect()
    }

    fn check_plan(rows: &[Row], codes: &[&str], start: &[usize], give_up: &[usize]) {
        let plan = plan_starts(&spec(rows), &states(rows, codes));
        assert_eq!(plan.start, start, "start for {codes:?}");
        let gave_up: Vec<usize> = plan.give_up.iter().map(|(idx, _)| *idx).collect();
        assert_eq!(gave_up, give_up, "give_up for {codes:?}");
    }

    #[test]
    fn plan_starts_cases() {
        let single: &[Row] = &[("app", true, &[])];
        check_plan(single, &["P"], &[0], &[]);
        check_plan(single, &["R"], &[], &[]);

        let start_dep: &[Row] = &[("db", true, &[]), ("app", true, &[("db", Start)])];
        check_plan(start_dep, &["P", "P"], &[0], &[]);
        check_plan(start_dep, &["R", "P"], &[1], &[]);
        check_plan(start_dep, &["E0", "P"], &[1], &[]);
        check_plan(start_dep, &["X", "P"], &[], &[1]);

        let init: &[Row] = &[("init", false, &[]), ("app", true, &[("init", Success)])];
        check_plan(init, &["R", "P"], &[], &[]);
        check_plan(init, &["E0", "P"], &[1], &[]);
        check_plan(init, &["E1", "P"], &[], &[1]);

        let complete: &[Row] = &[("init", false, &[]), ("app", true, &[("init", Complete)])];
        check_plan(complete, &["R", "P"], &[], &[]);
        check_plan(complete, &["E7", "P"], &[1], &[]);

        let healthy: &[Row] = &[("db", true, &[]), ("app", true, &[("db", Healthy)])];
        check_plan(healthy, &["R", "P"], &[], &[]);
        check_plan(healthy, &["U", "P"], &[], &[]);
        check_plan(healthy, &["H", "P"], &[1], &[]);
        check_plan(healthy, &["E0", "P"], &[], &[1]);

        let two: &[Row] = &[
            ("a", true, &[]),
            ("b", false, &[]),
            ("c", true, &[("a", Start), ("b", Success)]),
        ];
        check_plan(two, &["P", "P", "P"], &[0, 1], &[]);
        check_plan(two, &["R", "R", "P"], &[], &[]);
        check_plan(two, &["R", "E0", "P"], &[2], &[]);
        check_plan(two, &["R", "E2", "P"], &[], &[2]);
        check_plan(two, &["P", "E0", "P"], &[0], &[]);
    }

    #[test]
    fn essential_stopped_cases() {
        let rows: &[Row] = &[("side", false, &[]), ("app", true, &[])];
        let cases: &[(&[&str], Option<usize>)] = &[
            (&["R", "R"], None),
            (&["E0", "R"], None),
            (&["R", "E3"], Some(1)),
            (&["R", "X"], Some(1)),
        ];
        for (codes, expected) in cases {
            assert_eq!(
                essential_stopped(&spec(rows), &states(rows, codes)),
                *expected,
                "{codes:?}"
            );
        }
    }

    #[test]
    fn task_status_cases() {
        use TaskStatus::*;
        let rows: &[Row] = &[("a", true, &[]), ("b", true, &[])];
        let cases: &[(TaskStatus, &[&str], TaskStatus)] = &[
            (Pending, &["P", "P"], Pending),
            (Pending, &["R", "P"], Pending),
            (Pending, &["R", "R"], Running),
            (Pending, &["E0", "R"], Running),
            (Pending, &["E0", "X"], Stopped),
            (Pending, &["X", "X"], Stopped),
            (Running, &["E1", "R"], Running),
            (Running, &["E1", "E0"], Stopped),
            (Stopped, &["R", "R"], Stopped),
        ];
        for (previous, codes, expected) in cases {
            assert_eq!(
                task_status(*previous, &states(rows, codes)),
                *expected,
                "{previous:?} {codes:?}"
            );
        }
    }

    #[test]
    fn task_health_cases() {
        use HealthStatus::*;
        let rows: &[Row] = &[("a", true, &[]), ("b", true, &[]), ("side", false, &[])];
        let cases: &[(&[&str], HealthStatus)] = &[
            (&["H", "H", "U"], Healthy),
            (&["H", "R", "H"], Unknown),
            (&["U", "R", "H"], Unhealthy),
            (&["R", "U", "H"], Unhealthy),
            (&["P", "P", "P"], Unknown),
        ];
        for (codes, expected) in cases {
            assert_eq!(
                task_health(&spec(rows), &states(rows, codes)),
                *expected,
                "{codes:?}"
            );
        }
    }

    #[test]
    fn health_from_docker_cases() {
        use HealthStatus::*;
        let cases: &[(bool, Option<&str>, HealthStatus)] = &[
            (true, Some("healthy"), Healthy),
            (true, Some("unhealthy"), Unhealthy),
            (true, Some("starting"), Unknown),
            (true, Some("none"), Unknown),
            (true, None, Unknown),
            (false, Some("healthy"), Unknown),
        ];
        for (has_check, docker, expected) in cases {
            assert_eq!(health_from_docker(*has_check, *docker), *expected);
        }
    }

    #[test]
    fn shutdown_waves_cases() {
        let cases: &[(&[Row], Vec<Vec<usize>>)] = &[
            (&[("a", true, &[])], vec![vec![0]]),
            (&[("a", true, &[]), ("b", true, &[])], vec![vec![0, 1]]),
            (
                &[("db", true, &[]), ("app", true, &[("db", Start)])],
                vec![vec![1], vec![0]],
            ),
            (
                &[
                    ("db", true, &[]),
                    ("cache", true, &[("db", Start)]),
                    ("app", true, &[("db", Start), ("cache", Start)]),
                    ("log", false, &[]),
                ],
                vec![vec![2, 3], vec![1], vec![0]],
            ),
            (
                &[("a", true, &[("b", Start)]), ("b", true, &[("a", Start)])],
                vec![vec![0, 1]],
            ),
        ];
        for (rows, expected) in cases {
            assert_eq!(&shutdown_waves(&spec(rows)), expected);
        }
    }

    #[test]
    fn decide_pull_cases() {
        use PullBehavior::*;
        let pull = |fallback_to_cached| PullDecision::Pull { fallback_to_cached };
        let cases = [
            (Default, false, false, pull(false)),
            (Default, true, false, pull(true)),
            (Always, true, true, pull(false)),
            (Once, true, true, PullDecision::UseCached),
            (Once, true, false, pull(false)),
            (Once, false, true, pull(false)),
            (PreferCached, true, false, PullDecision::UseCached),
            (PreferCached, false, false, pull(false)),
        ];
        for (behavior, present, pulled_before, expected) in cases {
            assert_eq!(
                decide_pull(behavior, present, pulled_before),
                expected,
                "{behavior:?} {present} {pulled_before}"
            );
        }
    }
}
