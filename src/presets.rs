//! The historical and teaching scenarios, one click each on the page, `--preset` in the CLI.

use crate::config::{Config, ConfigError};
use crate::record::{self, Milestone};
use crate::strategy::{Bundle, Overload, PlannerDemand, RetryPolicy, Strategy, SupernodeChoice};
use serde::Serialize;

/// A named scenario.
#[derive(Clone, Debug, Serialize)]
pub struct Preset {
    /// Its name, as in the URL and `--preset`.
    pub name: &'static str,
    /// A short title for a button.
    pub title: &'static str,
    /// One paragraph for the page: what it shows.
    pub description: &'static str,
    /// Calendar time of minute 0 (ISO 8601, UTC), so charts can read as real dates.
    pub starts_at: &'static str,
    /// The knobs.
    pub config: Config,
    /// What is documented about the day it retells (empty for a scenario of our own).
    pub record: &'static [Milestone],
}

/// Every preset's name, in display order.
pub const NAMES: &[&str] = &[
    "calm-day",
    "aug-2007",
    "aug-2007-unaided",
    "aug-2007-fixed",
    "staggered-updates",
    "dec-2010",
    "dec-2010-mega",
    "load-ramp",
];

const AUG_2007: &str = "2007-08-16T00:00:00Z";
const DEC_2010: &str = "2010-12-22T00:00:00Z";

/// The 2010 network as we model it: the 2007 fix spreads clients over supernodes and counts the
/// waiting ones, but clients still retry every minute and a flooded supernode still switches
/// itself off (the self-protection of the post-mortem).
fn strategy_2010() -> Strategy {
    Strategy {
        supernode_choice: SupernodeChoice::Random,
        retry: RetryPolicy::Fixed,
        planner_demand: PlannerDemand::AttachedWaiting,
        overload: Overload::SwitchOff,
    }
}

fn dec_2010() -> Config {
    let mut c = Config {
        online_users: 24_000_000,
        // Four times the users of 2007 on supernodes of 200 (MODEL.md): a core running hot, at
        // 97% of its capacity. That is the vulnerable state the crash tipped over.
        supernode_capacity: 200,
        target_load: 0.97,
        reboot_share: 0.0,
        crash_at_min: 960,
        crash_client_share: 0.2,
        crash_supernode_share: 0.3,
        crash_window_min: 6,
        duration_h: 72,
        ..Config::default()
    };
    c.set_strategy(strategy_2010());
    c
}

/// Thursday 16 August 2007's update on the flawed network, the day before anyone steps in.
fn aug_2007() -> Config {
    Config::default()
}

/// A preset: its texts, its start on the calendar, the record it retells, its knobs.
fn scenario(
    name: &'static str,
    title: &'static str,
    description: &'static str,
    (starts_at, record): (&'static str, &'static [Milestone]),
    config: Config,
) -> Preset {
    Preset {
        name,
        title,
        description,
        starts_at,
        config,
        record,
    }
}

/// The preset called `name`.
pub fn preset(name: &str) -> Option<Preset> {
    let (day_2007, day_2010) = ((AUG_2007, record::AUG_2007), (DEC_2010, record::DEC_2010));
    let own_2007 = (AUG_2007, &[][..]);
    let p = match name {
        "calm-day" => scenario(
            "calm-day",
            "A calm day",
            "An ordinary day in 2007. About 30,000 supernodes, ordinary PCs with good connections, each carry a cluster of about 200 users. People restart their PCs now and then; they log back in within minutes, and the network's self-healing keeps enough supernodes running. Nothing to see, and that is the point: this network works.",
            own_2007,
            Config {
                reboot_share: 0.0,
                duration_h: 24,
                ..aug_2007()
            },
        ),
        "aug-2007" => scenario(
            "aug-2007",
            "August 2007, as it happened",
            "Thursday 16 August 2007. Windows updates from Patch Tuesday restart 70% of the PCs within an hour, supernodes among them. Millions try to log in at once, every failed client retrying each minute on the same supernode. A supernode flooded with logins switches itself off and drops its users onto the next one, and any supernode that comes back is flooded again: the network stays down long after the last PC has restarted. From Friday noon engineers bring up dedicated supernodes, and the network is back during Saturday.",
            day_2007,
            Config {
                mega_at_min: Some(2160),
                mega_ramp_min: 1440,
                ..aug_2007()
            },
        ),
        "load-ramp" => scenario(
            "load-ramp",
            "A load ramp (an experiment)",
            "Not a historical day: an experiment on the 2007 network. From 01:00 restarts rise steadily for 12 hours, to one in every user an hour on top of the everyday ones, then fall back as steadily. The logins tip the network over on the way up, and on the way back down it stays down, even once the extra load is gone: the way down does not retrace the way up. That loop is the mark of a metastable failure. Set the fix and it falls too and lags on the way down, but it comes back while the load is still easing: its loop closes.",
            own_2007,
            Config {
                reboot_share: 0.0,
                ramp_peak_per_h: 1.0,
                duration_h: 31,
                ..aug_2007()
            },
        ),
        "aug-2007-unaided" => scenario(
            "aug-2007-unaided",
            "August 2007, nobody steps in",
            "The same Thursday, but nobody steps in. The retries of millions of waiting clients flood every supernode that comes back, so the network cannot heal itself: it stays down for as long as you watch. A metastable failure: the trigger is long gone, and the failure keeps itself going.",
            day_2007,
            aug_2007(),
        ),
        "aug-2007-fixed" => scenario(
            "aug-2007-fixed",
            "August 2007, fixed",
            "The same update, the same restarts, but the network allocates its resources the way the literature recommends: clients pick the less loaded of two supernodes, back off exponentially with random jitter, supernodes turn away excess logins politely instead of switching off, and the planner counts the users still waiting. The dip is real but short.",
            own_2007,
            {
                let mut c = aug_2007();
                c.set_strategy(Bundle::Fixed.strategy());
                c
            },
        ),
        "staggered-updates" => scenario(
            "staggered-updates",
            "Staggered updates",
            "The flawed 2007 network, but the update restarts PCs over twelve hours instead of one. The load never gets past what the supernodes can take, and the network rides it out with a dip at most. It is still the flawed network: squeeze the same restarts into an hour and it collapses (the stability map shows where the edge lies).",
            own_2007,
            Config {
                reboot_window_min: 720,
                ..aug_2007()
            },
        ),
        "dec-2010" => scenario(
            "dec-2010",
            "December 2010, nobody steps in",
            "Wednesday 22 December 2010. A bug in a popular Windows client crashes it on delayed replies from overloaded servers: a fifth of the clients and nearly a third of the supernodes restart within minutes. Their logins hit the remaining supernodes at many times the normal rate; self-protection switches them off one after another, like dominoes.",
            day_2010,
            dec_2010(),
        ),
        "dec-2010-mega" => scenario(
            "dec-2010-mega",
            "December 2010, as it happened",
            "The December 2010 crash, and what Skype's engineers did about it: overnight they brought up dedicated mega-supernodes, hundreds at first, then thousands, each serving many times an ordinary supernode's users. Online users climb back over the next day, as fast as the mega-supernodes come up.",
            day_2010,
            Config {
                mega_at_min: Some(30 * 60 + 50),
                ..dec_2010()
            },
        ),
        _ => return None,
    };
    Some(p)
}

/// The config of preset `name` with `settings` (knob name and value, as text) applied on top in
/// order, then checked as a whole: the one way the CLI, the page and the tests build a config.
/// The first problem names its field (`preset` for an unknown preset) and what is allowed.
pub fn build_config<K: AsRef<str>, V: AsRef<str>>(
    name: &str,
    settings: impl IntoIterator<Item = (K, V)>,
) -> Result<Config, ConfigError> {
    let mut cfg = preset(name)
        .ok_or_else(|| {
            ConfigError::new(
                "preset",
                format!("'{name}' is unknown; choose one of {}", NAMES.join(", ")),
            )
        })?
        .config;
    for (key, value) in settings {
        cfg.set(key.as_ref().trim(), value.as_ref())?;
    }
    cfg.validate()?;
    Ok(cfg)
}

/// Every preset, in display order.
pub fn all() -> Vec<Preset> {
    NAMES.iter().filter_map(|n| preset(n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_valid_and_named_as_listed() {
        for &n in NAMES {
            let p = preset(n);
            assert_eq!(
                p.as_ref().map(|p| p.name),
                Some(n),
                "preset {n} exists under its name"
            );
            assert_eq!(
                p.map(|p| p.config.validate()),
                Some(Ok(())),
                "preset {n} is a valid config"
            );
        }
        assert!(preset("aug-2008").is_none(), "unknown presets are None");
    }

    #[test]
    fn settings_apply_in_order_on_the_preset_and_problems_name_the_field() {
        let cfg = build_config(
            "staggered-updates",
            [("clients", "500"), ("strategy", "fixed")],
        );
        let cfg = cfg.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (cfg.clients, cfg.reboot_window_min, cfg.bundle()),
            (500, 720, Some(Bundle::Fixed)),
            "the preset's window, the settings on top"
        );
        let later_wins = build_config("aug-2007", [("strategy", "fixed"), ("retry", "fixed")]);
        assert_eq!(
            later_wins.map(|c| c.retry),
            Ok(RetryPolicy::Fixed),
            "a later setting overrides an earlier one"
        );
        let field = |r: Result<Config, ConfigError>| r.err().map(|e| e.field);
        assert_eq!(
            field(build_config("aug-2008", [("clients", "500")])).as_deref(),
            Some("preset")
        );
        assert_eq!(
            field(build_config("aug-2007", [("reboot_share", "2")])).as_deref(),
            Some("reboot_share"),
            "a value out of range"
        );
        let pair = [("retry_cap_min", "5"), ("retry_base_min", "10")];
        assert_eq!(
            field(build_config("aug-2007", pair)).as_deref(),
            Some("retry_cap_min"),
            "each value is in range, but the whole is checked too: the cap is below the base"
        );
    }
}
