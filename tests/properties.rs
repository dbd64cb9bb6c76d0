//! Property tests over random valid configs: the model's bookkeeping can never drift.
#![cfg(not(target_arch = "wasm32"))] // native only: proptest, child processes, long runs

use loginstorm::queue::TickQueue;
use loginstorm::strategy::{
    Bundle, Overload, PlannerDemand, RetryPolicy, Strategy as Switches, SupernodeChoice,
};
use loginstorm::{Config, Simulation};
use proptest::prelude::*;

fn strategies() -> impl Strategy<Value = Switches> {
    (0..3usize, 0..3usize, 0..2usize, 0..3usize).prop_map(|(c, r, p, o)| Switches {
        supernode_choice: [
            SupernodeChoice::FirstLive,
            SupernodeChoice::Random,
            SupernodeChoice::BestOfTwo,
        ][c],
        retry: [
            RetryPolicy::Fixed,
            RetryPolicy::Exponential,
            RetryPolicy::ExponentialJitter,
        ][r],
        planner_demand: [PlannerDemand::Attached, PlannerDemand::AttachedWaiting][p],
        overload: [
            Overload::SwitchOff,
            Overload::Shed,
            Overload::AdmissionControl,
        ][o],
    })
}

prop_compose! {
    fn configs()(
        clients in 100u32..3_000,
        seed in any::<u64>(),
        strategy in strategies(),
        reboot_share in 0.0f64..=1.0,
        patch_at_min in 0u32..120,
        reboot_window_min in 1u32..240,
        follow_night in any::<bool>(),
        crash_client_share in 0.0f64..0.5,
        crash_supernode_share in 0.0f64..0.6,
        supernode_capacity in 5u32..400,
        handshakes_per_min in 1u32..40,
        host_cache_size in 1u32..40,
        target_load in 0.3f64..=1.0,
        retry_cap_min in 1u32..60,
        mega_at in proptest::option::of(0u32..400),
    ) -> Config {
        let mut c = Config {
            clients, seed, reboot_share, patch_at_min, reboot_window_min, follow_night,
            crash_at_min: patch_at_min, crash_client_share, crash_supernode_share,
            supernode_capacity, handshakes_per_min, host_cache_size, target_load,
            retry_cap_min, mega_at_min: mega_at, duration_h: 8,
            ..Config::default()
        };
        c.set_strategy(strategy);
        c
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Every client is in exactly one state, the counts sum to the population, no supernode is
    /// over capacity, and time advances by one minute a tick, at every tick.
    #[test]
    fn bookkeeping_holds_at_every_tick(cfg in configs()) {
        let n = cfg.clients;
        let mut sim = Simulation::new(cfg).map_err(|e| TestCaseError::fail(e.to_string()))?;
        while !sim.is_finished() {
            sim.step();
            prop_assert_eq!(sim.check_invariants(), Ok(()), "at minute {}", sim.now_min());
            let s = sim.trace().last().copied().ok_or_else(|| TestCaseError::fail("no sample"))?;
            prop_assert_eq!(s.online + s.rebooting + s.waiting + s.logging_in, n, "counts sum to the population");
            prop_assert_eq!(s.t_min + 1, sim.now_min(), "the sample is of the tick just run");
        }
        let trace = sim.trace();
        prop_assert!(trace.windows(2).all(|w| w[1].t_min == w[0].t_min + 1), "time never goes backwards or skips");
    }

    /// Same config, same trace.
    #[test]
    fn runs_are_deterministic(cfg in configs()) {
        let run = |c: Config| -> Result<u64, TestCaseError> {
            let mut s = Simulation::new(c).map_err(|e| TestCaseError::fail(e.to_string()))?;
            s.run_to_end();
            Ok(s.trace_digest())
        };
        prop_assert_eq!(run(cfg.clone())?, run(cfg)?);
    }

    /// The queue releases items by tick, and same-tick items in the order they were scheduled.
    #[test]
    fn queue_is_fifo_within_a_tick(pushes in proptest::collection::vec((0u32..50, any::<u16>()), 0..400)) {
        let mut q = TickQueue::starting_at(0);
        for (i, &(tick, _)) in pushes.iter().enumerate() {
            q.push(tick, (tick, i));
        }
        let mut out = Vec::new();
        for t in 0..50 {
            out.extend(q.pop_due(t));
        }
        let mut expected: Vec<(u32, usize)> = pushes.iter().enumerate().map(|(i, &(t, _))| (t, i)).collect();
        expected.sort(); // by tick, then by scheduling order
        prop_assert_eq!(out, expected);
        prop_assert!(q.is_empty());
    }
}

#[test]
fn different_seeds_give_different_traces() {
    let digest = |seed| {
        let mut s = Simulation::new(Config {
            clients: 2_000,
            seed,
            duration_h: 12,
            ..Config::default()
        })
        .expect("valid");
        s.run_to_end();
        s.trace_digest()
    };
    assert_eq!(digest(1), digest(1), "a seed replays");
    assert_ne!(digest(1), digest(2), "another seed gives another run");
}

#[test]
fn bundles_differ_in_outcome_not_only_in_name() {
    let run = |b: Bundle| {
        let mut c = Config {
            clients: 5_000,
            duration_h: 24,
            ..Config::default()
        };
        c.set_strategy(b.strategy());
        let mut s = Simulation::new(c).expect("valid");
        s.run_to_end();
        s.summary().min_online_fraction
    };
    let (flawed, fixed) = (run(Bundle::Flawed2007), run(Bundle::Fixed));
    assert!(
        fixed > flawed + 0.3,
        "fixed ({fixed:.2}) holds far better than flawed-2007 ({flawed:.2})"
    );
}

#[path = "common/golden.rs"]
mod golden;

#[test]
fn the_pinned_short_run_replays_natively() {
    let d = golden::short_run();
    assert_eq!(
        d,
        golden::SHORT_RUN_DIGEST,
        "native digest is {d:#x}; tests/web.rs checks wasm32 against the same value"
    );
}

/// A checkpoint without its trace, given the trace back from the run it came from, plays on
/// into exactly that run (the page's scrubber relies on it).
#[test]
fn a_traceless_checkpoint_replays_the_same_run() {
    let cfg = Config {
        clients: 4_000,
        ..Config::default()
    };
    let mut full = Simulation::new(cfg).expect("valid");
    full.step_until(400);
    let mut cp = full.checkpoint();
    assert!(cp.trace().is_empty(), "a checkpoint carries no trace");
    full.step_until(900);
    cp.restore_trace(full.trace());
    assert_eq!(cp.trace().len(), 400, "the samples before its minute");
    cp.step_until(900);
    assert_eq!(cp.trace(), full.trace(), "the same run, sample by sample");
    assert_eq!(cp.summary(), full.summary(), "and the same summary");
}
