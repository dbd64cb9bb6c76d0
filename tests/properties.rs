//! Property tests over random valid configs: the model's bookkeeping can never drift.
#![cfg(not(target_arch = "wasm32"))] // native only: proptest, child processes, long runs

use loginstorm::client::Life;
use loginstorm::queue::{CHUNK, TickQueue};
use loginstorm::retry::FailureRule;
use loginstorm::strategy::{
    Bundle, Overload, PlannerDemand, RetryPolicy, Strategy as Switches, SupernodeChoice,
};
use loginstorm::{Config, Run};
use proptest::prelude::*;

fn strategies() -> impl Strategy<Value = Switches> {
    (
        proptest::sample::select(SupernodeChoice::ALL),
        proptest::sample::select(RetryPolicy::ALL),
        proptest::sample::select(PlannerDemand::ALL),
        proptest::sample::select(Overload::ALL),
    )
        .prop_map(
            |(supernode_choice, retry, planner_demand, overload)| Switches {
                supernode_choice,
                retry,
                planner_demand,
                overload,
            },
        )
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
        update_every_h in 0u32..6,
    ) -> Config {
        let mut c = Config {
            clients, seed, reboot_share, patch_at_min, reboot_window_min, follow_night,
            crash_at_min: patch_at_min, crash_client_share, crash_supernode_share,
            supernode_capacity, handshakes_per_min, host_cache_size, target_load,
            retry_cap_min, mega_at_min: mega_at, update_every_h, duration_h: 8,
            ..Config::default()
        };
        c.set_strategy(strategy);
        // Only networks whose normal core fits among the eligible clients are runs at all.
        while c.validate().is_err() && c.supernode_capacity < 10_000 {
            c.supernode_capacity += 1;
        }
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
        let mut sim = Run::new(cfg).map_err(|e| TestCaseError::fail(e.to_string()))?;
        while !sim.is_finished() {
            sim.step();
            prop_assert_eq!(sim.sim().check_invariants(), Ok(()), "at minute {}", sim.now_min());
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
            let mut s = Run::new(c).map_err(|e| TestCaseError::fail(e.to_string()))?;
            s.run_to_end();
            Ok(s.trace_digest())
        };
        prop_assert_eq!(run(cfg.clone())?, run(cfg)?);
    }

    /// A run whose minutes are cut into pieces (as the page's worker cuts them to keep frames
    /// coming) is the same run, client by client and sample by sample.
    #[test]
    fn cutting_minutes_changes_nothing(cfg in configs(), piece in 1usize..300) {
        let mut whole = Run::new(cfg.clone()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut cut = Run::new(cfg).map_err(|e| TestCaseError::fail(e.to_string()))?;
        whole.run_to_end();
        let (mut pieces, mut minutes) = (0u32, 0u32);
        while !cut.is_finished() {
            let mut budget = piece;
            pieces += 1;
            minutes += u32::from(cut.step_within(&mut budget));
        }
        prop_assert_eq!(minutes, whole.now_min(), "every minute completed once");
        prop_assert_eq!(cut.trace_digest(), whole.trace_digest(), "same trace in {} pieces", pieces);
        prop_assert!(cut.sim().clients() == whole.sim().clients(), "same clients at the end");
        prop_assert_eq!(whole.sim().check_invariants(), Ok(()), "whole");
        prop_assert_eq!(cut.sim().check_invariants(), Ok(()));
    }

    /// The failure rule's closed form, which thaws a dead network's cohort, ends exactly where
    /// failing one attempt at a time does, from any reachable client record.
    #[test]
    fn failing_repeatedly_is_failing_one_at_a_time(
        bootstrap_after in 1u32..=255,
        streak_share in 0.0f64..1.0,
        failures in any::<u8>(),
        cache_at in 0u32..10_000,
        timer_gen in any::<u8>(),
        k in 1u32..2_000,
        first in 0u32..10_000,
        every in 1u32..=60,
    ) {
        let rule = FailureRule { bootstrap_after };
        // A streak below the threshold: one at or above it would have refilled already.
        let since_refill = (streak_share * f64::from(bootstrap_after)) as u8;
        let start = Life { cache_at, timer_gen, failures, since_refill, ..Life::default() };
        let (mut slow, mut refilled) = (start, false);
        for j in 0..k {
            refilled = rule.fail(&mut slow, first + j * every, false);
        }
        let mut fast = start;
        let fast_refilled = rule.fail_repeatedly(&mut fast, k, first, every);
        prop_assert_eq!((fast, fast_refilled), (slow, refilled));
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
            out.extend(q.pop_due(t).into_iter().flatten());
        }
        let mut expected: Vec<(u32, usize)> = pushes.iter().enumerate().map(|(i, &(t, _))| (t, i)).collect();
        expected.sort(); // by tick, then by scheduling order
        prop_assert_eq!(out, expected);
        prop_assert!(q.is_empty());
    }

    /// Buckets of several chunks, handed back chunk by chunk while the next tick fills, keep
    /// the same order.
    #[test]
    fn queue_keeps_order_across_chunks(sizes in proptest::collection::vec(0usize..3 * CHUNK, 1..5)) {
        let mut q = TickQueue::starting_at(0);
        let mut next = 0usize;
        for _ in 0..sizes[0] {
            q.push(0, next);
            next += 1;
        }
        let mut expected_from = 0usize;
        for (t, &n) in sizes.iter().enumerate().skip(1) {
            let t = t as u32;
            let mut pushed = 0;
            for chunk in q.pop_due(t - 1) {
                for &item in &chunk {
                    prop_assert_eq!(item, expected_from, "tick {}", t - 1);
                    expected_from += 1;
                    // Handling an item may schedule the next tick's.
                    if pushed < n {
                        q.push(t, next);
                        next += 1;
                        pushed += 1;
                    }
                }
                q.recycle(chunk);
            }
            for _ in pushed..n {
                q.push(t, next);
                next += 1;
            }
        }
        let last: Vec<usize> = q.pop_due(sizes.len() as u32).into_iter().flatten().collect();
        prop_assert_eq!(last, (expected_from..next).collect::<Vec<_>>());
        prop_assert!(q.is_empty());
    }
}

/// A population so small that no client's hash makes it eligible has no supernode: every client
/// waits from the start (none is online without one), and the books still balance.
#[test]
fn a_network_without_supernodes_starts_with_everyone_waiting() {
    let cfg = Config {
        clients: 100,
        seed: 7_684_377_194_679_080_999,
        duration_h: 1,
        ..Config::default()
    };
    let mut run = Run::new(cfg).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        run.sim().seats().len(),
        0,
        "this seed makes none of the 100 eligible"
    );
    assert_eq!(run.sim().check_invariants(), Ok(()), "at the start");
    assert_eq!(run.sim().counts(), [0, 0, 100, 0], "everyone waiting");
    run.run_to_end();
    assert_eq!(run.sim().check_invariants(), Ok(()), "at the end");
}

#[test]
fn different_seeds_give_different_traces() {
    let digest = |seed| {
        let mut s = Run::new(Config {
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
        // At the page's default population: with a few dozen supernodes, the fixed network's
        // dip depends on how the restarts of those few happen to bunch up.
        let mut c = Config {
            clients: 20_000,
            duration_h: 24,
            ..Config::default()
        };
        c.set_strategy(b.strategy());
        let mut s = Run::new(c).expect("valid");
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
