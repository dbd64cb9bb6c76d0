//! The captions and the event log, read back from runs.

use super::*;

#[test]
fn numbers_read_as_words() {
    assert_eq!(users(5_940_000.0), "5.9 million");
    assert_eq!(users(321_499.0), "321,000");
    assert_eq!(users(8_765.0), "8,765");
    assert_eq!(users(870.4), "870");
    assert_eq!(duration(40), "40 minutes");
    assert_eq!(duration(1), "1 minute");
    assert_eq!(duration(185), "3 hours");
    assert_eq!(duration(26 * 60 + 10), "26 hours");
    assert_eq!(duration(3 * 1440 + 120), "3 days 2 hours");
}

fn at(name: &str, t: u32) -> Run {
    let cfg = crate::presets::build_config(name, [("clients", "5000")]);
    let mut run = Run::new(cfg.unwrap_or_else(|e| panic!("{e}"))).unwrap_or_else(|e| panic!("{e}"));
    run.step_until(t);
    run
}

#[test]
fn a_calm_morning_announces_the_update() {
    let text = caption(&at("aug-2007", 60), History::Aug2007);
    assert!(text.starts_with("A normal day:"), "{text}");
    assert!(text.contains("The update lands in 5 hours."), "{text}");
}

#[test]
fn the_collapse_says_why_and_that_it_outlives_its_trigger() {
    let sim = at("aug-2007", 40 * 60);
    let text = caption(&sim, History::Aug2007);
    assert!(text.starts_with("Collapse:"), "{text}");
    assert!(
        text.contains("retries every minute without letting up"),
        "fixed retry named: {text}"
    );
    assert!(
        text.contains("promotes nobody"),
        "the planner's flaw named: {text}"
    );
    assert!(text.contains("metastable"), "trigger long over: {text}");
    assert!(text.contains("two days"), "the real day: {text}");
}

#[test]
fn the_fixed_network_gives_no_flawed_reasons_and_recovers() {
    let mut sim = at("aug-2007-fixed", 360);
    while sim.now_min() < 900 {
        let text = caption(&sim, History::Aug2007);
        assert!(!text.contains("promotes nobody"), "{text}");
        assert!(!text.contains("switches itself off"), "{text}");
        sim.step();
    }
    let text = caption(&sim, History::Aug2007);
    assert!(text.starts_with("Recovered:"), "{text}");
    let told = tell(&sim);
    assert!(
        told.iter()
            .any(|e| e.kind == "recovered" && e.text.starts_with("Service is back")),
        "the event log tells the recovery: {told:?}"
    );
    assert!(text.contains("user-hours"), "the cost is told: {text}");
}

#[test]
fn the_caption_counts_the_engineers_mega_supernodes_while_they_come_up() {
    let cfg = crate::presets::build_config(
        "dec-2010-mega",
        [("clients", "5000"), ("mega_ramp_min", "600")],
    );
    let mut run = Run::new(cfg.unwrap_or_else(|e| panic!("{e}"))).unwrap_or_else(|e| panic!("{e}"));
    let at = run.config().mega_at_min.unwrap_or(0);
    run.step_until(at + 300);
    let (live, planned) = run.sim().megas();
    assert!(
        live > 0 && live < planned,
        "half-way up the ramp: {live} of {planned}"
    );
    let text = caption(&run, History::Dec2010);
    let scale = run.config().users_per_client();
    let expect = format!(
        "Engineers have brought up {} of the {} mega-supernodes",
        users(f64::from(live) * scale),
        users(f64::from(planned) * scale)
    );
    assert!(text.contains(&expect), "{text}");
    run.step_until(at + 700);
    assert!(
        !caption(&run, History::Dec2010).contains("Engineers have brought up"),
        "said no more once they are all up"
    );
}

#[test]
fn a_storm_on_the_fixed_network_says_what_helps_it_clear_not_why_it_is_stuck() {
    let mut cfg = crate::presets::build_config("aug-2007-fixed", [("seed", "2")])
        .unwrap_or_else(|e| panic!("{e}"));
    cfg.clients = 20_000;
    let mut run = Run::new(cfg).unwrap_or_else(|e| panic!("{e}"));
    let mut storm = None;
    while !run.is_finished() && storm.is_none() {
        run.step();
        let text = caption(&run, History::Aug2007);
        if text.starts_with("Login storm:") {
            storm = Some(text);
        }
    }
    let text = storm.unwrap_or_else(|| panic!("the fixed network went through a login storm"));
    assert!(
        text.contains("What helps it clear: a flooded supernode answers \"busy\""),
        "{text}"
    );
    assert!(text.contains("clients back off at random"), "{text}");
    assert!(
        !text.contains("What keeps it going"),
        "nothing in the fix keeps it going: {text}"
    );
}

#[test]
fn the_outage_cost_stays_put_once_the_network_is_back() {
    let cfg = crate::presets::build_config("aug-2007-fixed", [("clients", "20000")])
        .unwrap_or_else(|e| panic!("{e}"));
    let mut run = Run::new(cfg).unwrap_or_else(|e| panic!("{e}"));
    let cost = |run: &Run| {
        let text = caption(run, History::Aug2007);
        text.split("The outage cost ").nth(1).map(str::to_owned)
    };
    while run.recorder().outage_user_hours().is_none() && !run.is_finished() {
        run.step();
    }
    let at_recovery =
        cost(&run).unwrap_or_else(|| panic!("recovered: {}", caption(&run, History::Aug2007)));
    run.run_to_end();
    assert_eq!(
        cost(&run),
        Some(at_recovery.clone()),
        "at the end, the same cost"
    );
    // The everyday dips after it add up to a different figure: the caption does not count them.
    let whole_run = format!(
        "{} user-hours of service.",
        users(run.summary().user_hours_lost)
    );
    assert_ne!(whole_run, at_recovery);
}
