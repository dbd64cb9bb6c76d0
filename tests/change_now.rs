//! "Change it now" in the engine: the four switches set anew from a minute on, like a patch
//! pushed to a live network. The minutes before are the run as it was; the change is part of
//! the run, so a checkpoint taken before it replays it.
#![cfg(not(target_arch = "wasm32"))] // native only: whole runs

use loginstorm::live_change::ChangeSet;
use loginstorm::presets::build_config;
use loginstorm::strategy::{Bundle, Overload, Strategy};
use loginstorm::switches::{Outcome, outcome};
use loginstorm::timeline::Timeline;
use loginstorm::{Config, Run};

fn config(seed: u64) -> Config {
    build_config(
        "aug-2007-unaided",
        [("clients", "4000"), ("seed", &seed.to_string())],
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn run(cfg: Config) -> Run {
    Run::new(cfg).unwrap_or_else(|e| panic!("valid config: {e}"))
}

/// The 2007 switches with a flooded supernode turning the excess away instead.
fn shedding() -> Strategy {
    let mut s = Bundle::Flawed2007.strategy();
    s.overload = Overload::Shed;
    s
}

/// Seed `seed`'s run to its end, with the switches set to `change.1` from minute `change.0` if given.
fn finished(seed: u64, change: Option<(u32, Strategy)>) -> Run {
    let mut r = run(config(seed));
    if let Some((at, strategy)) = change {
        r.change_switches_at(at, strategy)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    r.run_to_end();
    r
}

/// The first minute of seed `seed`'s finished run `run` with no supernode live (the page's "too
/// late" from then on).
fn every_supernode_gone(run: &Run, seed: u64) -> usize {
    run.trace()
        .iter()
        .position(|s| s.supernodes == 0)
        .unwrap_or_else(|| panic!("seed {seed}: every supernode goes"))
}

/// Two stretches of trace are alike (compared without printing thousands of samples).
fn alike(a: &[loginstorm::Sample], b: &[loginstorm::Sample]) -> bool {
    a == b
}

#[test]
fn the_minutes_before_a_change_are_the_run_as_it_was_and_the_fix_in_the_storm_saves_it() {
    // 06:20 on the Thursday: the update's restarts under way, the storm building.
    let at = 6 * 60 + 20;
    for seed in 1..=3 {
        let before = finished(seed, None);
        assert_eq!(
            outcome(&before),
            Outcome::Collapses,
            "seed {seed}: unaided, it stays down"
        );
        let fixed = finished(seed, Some((at, Bundle::Fixed.strategy())));
        let (a, b) = (before.trace(), fixed.trace());
        assert!(
            alike(&a[..at as usize], &b[..at as usize]),
            "seed {seed}: minutes 0 to {at} unchanged"
        );
        assert!(
            !alike(&a[at as usize..], &b[at as usize..]),
            "seed {seed}: the run after {at} differs"
        );
        assert!(
            matches!(outcome(&fixed), Outcome::Recovers { .. }),
            "seed {seed}: the fix from {at} on brings it back: {:?}",
            outcome(&fixed)
        );
        assert_eq!(
            fixed.config().overload,
            Overload::AdmissionControl,
            "the run's switches from then on"
        );
    }
}

#[test]
fn once_every_supernode_is_gone_no_switch_brings_the_network_back_but_the_engineers_do() {
    // What the page says when a switch is changed after the last supernode went: nobody is
    // online, so nobody can be made a supernode, and a flooded supernode's manners no longer
    // matter. Only an outside push helps (the engineers' servers).
    for seed in 1..=3 {
        let before = finished(seed, None);
        let gone = every_supernode_gone(&before, seed);
        // The page: "less than an hour after the update lands".
        let lands = before.config().patch_at_min as usize;
        assert!(
            gone > lands && gone < lands + 60,
            "seed {seed}: every supernode gone at minute {gone}, the update landed at {lands}"
        );
        // The page's moment once that minute is on screen.
        let at = gone as u32 + 1;
        for strategy in [shedding(), Bundle::Fixed.strategy()] {
            let late = finished(seed, Some((at, strategy)));
            assert_eq!(
                outcome(&late),
                Outcome::Collapses,
                "seed {seed}: {strategy:?} from {at}"
            );
            assert_eq!(
                late.summary().user_hours_lost,
                before.summary().user_hours_lost
            );
        }
        let mut cfg = config(seed);
        cfg.mega_at_min = Some(at);
        let mut helped = run(cfg);
        helped.run_to_end();
        assert!(
            matches!(outcome(&helped), Outcome::Recovers { .. }),
            "seed {seed}: the engineers from {at} bring it back: {:?}",
            outcome(&helped)
        );
    }
}

#[test]
fn a_checkpoint_taken_before_the_change_replays_it() {
    let at = 800;
    let mut straight = run(config(7));
    straight
        .change_switches_at(at, shedding())
        .unwrap_or_else(|e| panic!("{e}"));
    straight.step_until(700);
    let mut copy = straight.checkpoint();
    straight.step_until(1200);
    copy.step_until(1200);
    assert_eq!(
        copy.sim().config(),
        straight.sim().config(),
        "the copy switched at {at} too"
    );
    assert_eq!(copy.sim().observation(), straight.sim().observation());
    assert_eq!(
        copy.sim().clients(),
        straight.sim().clients(),
        "every client alike"
    );
}

#[test]
fn the_past_cannot_be_changed_in_place() {
    let mut r = run(config(1));
    r.step_until(500);
    let e = r
        .change_switches_at(499, shedding())
        .err()
        .map(|e| e.to_string());
    assert!(e.is_some_and(|m| m.contains("already been simulated")));
    assert!(
        r.change_switches_at(500, shedding()).is_ok(),
        "the next minute is still open"
    );
}

/// The knob a link carries: a run built with `live_changes` from the start is the run changed
/// on the way, minute for minute; and the page's fork of a timeline (rewound, then played on)
/// is that run too.
#[test]
fn a_link_replays_the_fork_and_a_rewound_timeline_keeps_it() {
    let at = 6 * 60 + 20;
    let changed_on_the_way = finished(2, Some((at, Bundle::Fixed.strategy())));
    let mut cfg = config(2);
    cfg.set(
        "live_changes",
        &format!("{at}:supernode_choice=best-of-two,retry=exponential-jitter,planner_demand=attached-waiting,overload=admission-control"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut from_a_link = run(cfg);
    from_a_link.run_to_end();
    assert_eq!(
        from_a_link.trace_digest(),
        changed_on_the_way.trace_digest(),
        "the knob replays the change"
    );

    // The page: the run played to 500, back to 200, forked there, played on, back again.
    let mut tl = Timeline::new(run(config(2)), 64 << 20);
    tl.step_until(500);
    tl.seek(at);
    tl.step_until(at);
    let all_fixed = ChangeSet::between(Bundle::Flawed2007.strategy(), Bundle::Fixed.strategy());
    tl.change_live(at, all_fixed)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        tl.horizon_min(),
        at,
        "the future without the change is forgotten"
    );
    tl.step_until(900);
    tl.seek(100);
    tl.step_until(u32::MAX);
    assert_eq!(
        tl.run().trace_digest(),
        changed_on_the_way.trace_digest(),
        "a checkpoint from before the fork replays it"
    );
    assert!(
        tl.change_live(at - 1, all_fixed).is_err(),
        "the past is refused"
    );
}

/// A supernode's limits can be pushed too: raising the handshake limit thirteen-fold at 06:20
/// saves the 2007 network; after the last supernode has gone it changes nothing. A capacity the
/// network could not start with is refused, naming the change.
#[test]
fn a_handshake_limit_raised_in_the_storm_saves_it_but_not_once_every_supernode_is_gone() {
    let raised = |seed: u64, at: u32| {
        let mut cfg = config(seed);
        cfg.set("live_changes", &format!("{at}:handshakes_per_min=200"))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut r = run(cfg);
        r.run_to_end();
        r
    };
    for seed in 1..=3 {
        let before = finished(seed, None);
        let early = raised(seed, 380);
        assert!(
            alike(&before.trace()[..380], &early.trace()[..380]),
            "seed {seed}: the minutes before are the run as it was"
        );
        assert!(
            matches!(outcome(&early), Outcome::Recovers { .. }),
            "seed {seed}: raised at 06:20 it comes back: {:?}",
            outcome(&early)
        );
        assert_eq!(
            early.config().handshakes_per_min,
            200,
            "the run's limit from then on"
        );
        let gone = every_supernode_gone(&before, seed);
        let late = raised(seed, gone as u32 + 1);
        assert_eq!(outcome(&late), Outcome::Collapses, "seed {seed}: too late");
    }
    let mut r = run(config(1));
    let small = loginstorm::live_change::ChangeSet {
        supernode_capacity: Some(5),
        ..Default::default()
    };
    let e = r.change_live(10, small).err().map(|e| e.to_string());
    assert!(
        e.as_deref()
            .is_some_and(|m| m.starts_with("live_changes: supernode_capacity=5 is too small")),
        "{e:?}"
    );
}
