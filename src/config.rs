//! Every knob of the model, with its unit, default and allowed range, in one place.
//!
//! The page, the URL, the CLI's `--set` and the facade all go through [`Config::set`] and
//! [`Config::validate`], so a knob is named, parsed and checked in exactly one way. Names are
//! snake_case with their unit as a suffix (`_min` minutes, `_h` hours, `_per_min`, `_share` a
//! fraction from 0 to 1).

pub use crate::knob::{ConfigError, KnobInfo};
use crate::knob::{KnobValue, bound, check, parse_checked};
use crate::live_change::LiveChanges;
use crate::strategy::{Bundle, Overload, PlannerDemand, RetryPolicy, Strategy, SupernodeChoice};
use serde::{Deserialize, Serialize};

macro_rules! knobs {
    ($(
        $group:literal {
            $( $(#[doc = $doc:literal])* $name:ident : $t:ty = $default:expr, $min:expr, $max:expr, $unit:literal, $label:literal; )+
        }
    )+) => {
        /// Every knob of a run. See MODEL.md Part 2 for where each default comes from.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct Config {
            $($( $(#[doc = $doc])* pub $name: $t, )+)+
        }

        impl Default for Config {
            fn default() -> Self {
                Self { $($( $name: $default, )+)+ }
            }
        }

        impl Config {
            /// Every knob's name, unit, range and default, in display order.
            pub fn knobs() -> Vec<KnobInfo> {
                let d = Self::default();
                vec![$($( KnobInfo {
                    name: stringify!($name),
                    label: $label,
                    unit: $unit,
                    min: bound($min).filter(|_| <$t as KnobValue>::choices().is_empty() && <$t as KnobValue>::example().is_none()),
                    max: bound($max).filter(|_| <$t as KnobValue>::choices().is_empty() && <$t as KnobValue>::example().is_none()),
                    choices: <$t as KnobValue>::choices(),
                    whole: <$t as KnobValue>::WHOLE,
                    example: <$t as KnobValue>::example(),
                    default: d.$name.show(),
                    group: $group,
                }, )+)+]
            }

            /// Sets one knob from text, checking its range. The strategy bundle `strategy` sets all
            /// four switches. On error the config is unchanged.
            pub fn set(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
                if key == "strategy" {
                    let bundle = Bundle::from_name(value.trim()).ok_or_else(|| ConfigError::new(
                        key,
                        format!("'{value}' is not a strategy; choose one of {}", Bundle::NAMES.join(", ")),
                    ))?;
                    self.set_strategy(bundle.strategy());
                    return Ok(());
                }
                match key {
                    $($( stringify!($name) => {
                        let v = parse_checked::<$t>(key, value, bound($min), bound($max))?;
                        self.$name = v;
                    } )+)+
                    _ => return Err(ConfigError::new(key, format!(
                        "unknown setting; known settings are strategy, {}",
                        [$($(stringify!($name)),+),+].join(", ")
                    ))),
                }
                Ok(())
            }

            /// One knob's value as text (`strategy` gives the bundle's name or `custom`).
            pub fn get(&self, key: &str) -> Option<String> {
                match key {
                    "strategy" => Some(self.bundle().map_or("custom", Bundle::name).to_owned()),
                    $($( stringify!($name) => Some(self.$name.show()), )+)+
                    _ => None,
                }
            }

            /// Checks every knob's range and the rules that tie knobs together.
            pub fn validate(&self) -> Result<(), ConfigError> {
                $($( check(stringify!($name), &self.$name, bound($min), bound($max))?; )+)+
                self.check_relations()
            }

            /// The knobs that differ from `base`, as `(name, value)` text pairs (for the URL).
            pub fn changes_from(&self, base: &Config) -> Vec<(&'static str, String)> {
                let mut out = Vec::new();
                $($( if self.$name != base.$name { out.push((stringify!($name), self.$name.show())); } )+)+
                out
            }
        }
    };
}

knobs! {
    "scale" {
        /// Simulated clients; each stands for `online_users / clients` real users.
        clients: u32 = 20_000, 100, 9_000_000, "clients", "Simulated clients";
        /// Real users online on a normal day (August 2007: 5-6 million; January 2007 peak: 9 million).
        online_users: u64 = 6_000_000, 100, 30_000_000, "users", "Real users online normally";
        /// The seed of the run's random-number generator.
        seed: u64 = 2007, 0, 1.844_674_407_370_955_2e19, "", "Random seed";
        /// How long a run lasts.
        duration_h: u32 = 96, 1, 336, "hours", "Run length";
    }
    "update" {
        /// When the update makes PCs restart, in minutes after the run starts (the run starts on
        /// Thursday 16 August 2007 at 00:00 UTC).
        patch_at_min: u32 = 360, 0, 20_160, "minutes", "Update lands at";
        /// Share of clients whose PC restarts for the update.
        reboot_share: f64 = 0.7, 0.0, 1.0, "share", "PCs that restart";
        /// Over how long the restarts are spread (60 = synchronised; 720-1440 = staggered).
        reboot_window_min: u32 = 60, 1, 2_880, "minutes", "Restarts spread over";
        /// Restart each time zone at 03:00 local time after the update lands, instead of all at once.
        follow_night: bool = false, 0, 1, "", "Follow the night across time zones";
        /// Shortest time a PC takes to restart.
        reboot_shortest_min: u32 = 2, 1, 120, "minutes", "Shortest restart";
        /// Longest time a PC takes to restart.
        reboot_longest_min: u32 = 10, 1, 120, "minutes", "Longest restart";
        /// Hours from one landing of the update to the next (0 = it lands once). Every landing
        /// restarts the same share of PCs the same way: a soak test, or a patch day each day.
        update_every_h: u32 = 0, 0, 336, "hours", "Update lands again every";
    }
    "crash" {
        /// When a client crash strikes (December 2010), in minutes after the run starts.
        crash_at_min: u32 = 360, 0, 20_160, "minutes", "Crash strikes at";
        /// Share of ordinary clients that crash and restart (0 = no crash).
        crash_client_share: f64 = 0.0, 0.0, 1.0, "share", "Clients that crash";
        /// Share of supernodes that crash and restart.
        crash_supernode_share: f64 = 0.0, 0.0, 1.0, "share", "Supernodes that crash";
        /// Over how long the crashes happen.
        crash_window_min: u32 = 6, 1, 1_440, "minutes", "Crashes spread over";
    }
    "network" {
        /// Share of clients that could be supernodes (public IP, enough CPU, bandwidth, uptime).
        eligible_share: f64 = 0.05, 0.001, 1.0, "share", "Clients eligible as supernodes";
        /// Clients one supernode can serve at once.
        supernode_capacity: u32 = 330, 2, 10_000, "clients", "Supernode capacity";
        /// New handshakes one supernode accepts each minute.
        handshakes_per_min: u32 = 15, 1, 10_000, "handshakes/min", "Handshakes a supernode takes";
        /// A supernode that gets more than this many times `handshakes_per_min` attempts in a
        /// minute is flooded.
        flood_factor: f64 = 4.0, 1.0, 100.0, "x handshake limit", "Flood threshold";
        /// Uptime a client needs before it can be promoted, and that a restarted supernode needs
        /// before it takes its role back.
        supernode_warmup_min: u32 = 60, 0, 1_440, "minutes", "Supernode warm-up";
        /// Supernode addresses in each client's host cache.
        host_cache_size: u32 = 20, 1, 200, "entries", "Host cache size";
        /// A client notices its supernode is gone at its next keep-alive, up to this long after.
        keepalive_min: u32 = 1, 1, 60, "minutes", "Keep-alive interval";
        /// Failed logins in a row after which a client refills its cache from the bootstrap servers.
        bootstrap_after_failures: u32 = 5, 1, 255, "failures", "Bootstrap after";
        /// Share of online users who restart Skype or their PC each hour on a normal day.
        churn_per_h: f64 = 0.02, 0.0, 0.5, "share/hour", "Everyday restarts";
        /// Target share of the core's capacity in use; the planner sizes the core for it.
        target_load: f64 = 0.6, 0.05, 1.0, "share", "Planner's target load";
        /// How often the self-healing planner acts.
        heal_interval_min: u32 = 10, 1, 1_440, "minutes", "Planner acts every";
        /// Most the planner may grow the core each time it acts, as a share of the current core.
        heal_step_share: f64 = 0.015, 0.0, 1.0, "share", "Planner's largest step";
    }
    "strategy" {
        /// How a client picks a supernode from its host cache.
        supernode_choice: SupernodeChoice = SupernodeChoice::FirstLive, 0, 0, "", "A client logging in picks";
        /// How a client waits before retrying a failed login.
        retry: RetryPolicy = RetryPolicy::Fixed, 0, 0, "", "After a failed login, a client tries";
        /// What the self-healing planner counts as demand.
        planner_demand: PlannerDemand = PlannerDemand::Attached, 0, 0, "", "The self-healing planner counts";
        /// What a flooded supernode does.
        overload: Overload = Overload::SwitchOff, 0, 0, "", "A flooded supernode";
        /// First retry delay (and the fixed delay).
        retry_base_min: u32 = 1, 1, 60, "minutes", "Retry base";
        /// Longest retry delay of the exponential policies.
        retry_cap_min: u32 = 30, 1, 1_440, "minutes", "Retry cap";
    }
    "engineers" {
        /// When engineers add mega-supernodes, in minutes after the run starts (`none` = never).
        mega_at_min: Option<u32> = None, 0, 20_160, "minutes", "Engineers step in at";
        /// How many mega-supernodes, as a share of the normal supernode count.
        mega_share: f64 = 0.1, 0.0, 10.0, "share of normal core", "Mega-supernodes added";
        /// Over how long they are brought up (0 = all at once); December 2010's pace: "hundreds at
        /// first, then thousands" through the night and the next day.
        mega_ramp_min: u32 = 960, 0, 2_880, "minutes", "Brought up over";
        /// How many times an ordinary supernode's capacity and handshake rate one mega-supernode has.
        mega_factor: u32 = 10, 1, 1_000, "x supernode", "Mega-supernode size";
    }
    "ramp" {
        /// Restarts added at the ramp's peak, as a share of clients an hour (0 = no ramp): the
        /// offered login load rises evenly from `ramp_at_min` for `ramp_h` hours, then falls back
        /// over as long. The hysteresis experiment: does the way down retrace the way up?
        ramp_peak_per_h: f64 = 0.0, 0.0, 30.0, "share/hour", "Extra restarts at the ramp's peak";
        /// When the ramp starts rising, in minutes after the run starts.
        ramp_at_min: u32 = 60, 0, 20_160, "minutes", "Ramp starts at";
        /// How long the ramp rises (and then falls).
        ramp_h: u32 = 12, 1, 168, "hours", "Ramp rises over";
    }
    "change" {
        /// Switches changed during the run, like a patch pushed to a live network: `none`, or
        /// `MINUTE:name=value[,name=value...]` changes separated by `;`, minutes increasing, each naming
        /// switches or an ordinary supernode's `supernode_capacity` or `handshakes_per_min`
        /// (see `live_change.rs`).
        live_changes: LiveChanges = LiveChanges::default(), 0, crate::live_change::LATEST_MIN, "", "Changes pushed during the run";
    }
}

/// The fewest clients a supernode of the normal core may serve on average (see
/// [`Config::validate`]).
pub const LEAST_CLIENTS_A_SUPERNODE: u32 = 10;

impl Config {
    fn check_relations(&self) -> Result<(), ConfigError> {
        if self.reboot_longest_min < self.reboot_shortest_min {
            return Err(ConfigError::new(
                "reboot_longest_min",
                format!(
                    "{} is shorter than reboot_shortest_min ({}); it must be at least that",
                    self.reboot_longest_min, self.reboot_shortest_min
                ),
            ));
        }
        if self.retry_cap_min < self.retry_base_min {
            return Err(ConfigError::new(
                "retry_cap_min",
                format!(
                    "{} is below retry_base_min ({}); it must be at least that",
                    self.retry_cap_min, self.retry_base_min
                ),
            ));
        }
        self.check_capacity(self.supernode_capacity, "supernode_capacity")?;
        // A capacity pushed during the run must be one the network could start with.
        for change in self.live_changes.iter() {
            if let Some(capacity) = change.to.supernode_capacity {
                self.check_capacity(capacity, "live_changes")?;
            }
        }
        Ok(())
    }

    /// The rules a supernode capacity must keep, named as `field`.
    fn check_capacity(&self, capacity: u32, field: &str) -> Result<(), ConfigError> {
        let capacity_text = if field == "supernode_capacity" {
            capacity.to_string()
        } else {
            format!("supernode_capacity={capacity}")
        };
        // A core larger than the clients that may become supernodes cannot exist: such a network
        // could not carry its users even on a calm day, and every client would retry forever.
        let eligible = (self.eligible_share * f64::from(self.clients)).floor();
        let core = f64::from(self.core_for(capacity));
        if core > eligible {
            let least = (1.0 / (self.eligible_share * self.target_load)).ceil();
            return Err(ConfigError::new(
                field,
                format!(
                    "{capacity_text} is too small: at target_load {} the network would need more supernodes \
                     than it has clients able to become one (eligible_share {}); it must be at \
                     least {least} (or raise target_load or eligible_share)",
                    self.target_load, self.eligible_share
                ),
            ));
        }
        // More than one supernode for every LEAST_CLIENTS_A_SUPERNODE clients is no longer the
        // network of the record (hundreds of users a supernode), and at millions of clients its
        // seat table would make a run both slow and large: refused before anything is built.
        if core * f64::from(LEAST_CLIENTS_A_SUPERNODE) > f64::from(self.clients) {
            let least = (f64::from(LEAST_CLIENTS_A_SUPERNODE) / self.target_load).ceil();
            return Err(ConfigError::new(
                field,
                format!(
                    "{capacity_text} is too small: at target_load {} the network would need one supernode \
                     for every {:.1} clients, and this simulation allows at most one for every \
                     {LEAST_CLIENTS_A_SUPERNODE}; it must be at least {least} (or raise \
                     target_load)",
                    self.target_load,
                    f64::from(self.clients) / core
                ),
            ));
        }
        Ok(())
    }

    /// Restarts the load ramp adds at minute `t_min`, as a share of clients an hour: 0 before
    /// and after it, `ramp_peak_per_h` at its top.
    pub fn ramp_per_h(&self, t_min: u32) -> f64 {
        let rise = f64::from(self.ramp_h) * 60.0;
        let since = f64::from(t_min) - f64::from(self.ramp_at_min);
        if self.ramp_peak_per_h == 0.0 || since < 0.0 || since >= 2.0 * rise {
            return 0.0;
        }
        self.ramp_peak_per_h * (1.0 - (since - rise).abs() / rise)
    }

    /// The four switches.
    pub fn strategy(&self) -> Strategy {
        Strategy {
            supernode_choice: self.supernode_choice,
            retry: self.retry,
            planner_demand: self.planner_demand,
            overload: self.overload,
        }
    }

    /// Sets the four switches.
    pub fn set_strategy(&mut self, s: Strategy) {
        self.supernode_choice = s.supernode_choice;
        self.retry = s.retry;
        self.planner_demand = s.planner_demand;
        self.overload = s.overload;
    }

    /// The named bundle the switches make up, if any.
    pub fn bundle(&self) -> Option<Bundle> {
        Bundle::of(self.strategy())
    }

    /// Real users each simulated client stands for.
    pub fn users_per_client(&self) -> f64 {
        self.online_users as f64 / f64::from(self.clients)
    }

    /// The run's length in ticks (minutes).
    pub fn duration_ticks(&self) -> u32 {
        self.duration_h.saturating_mul(60)
    }

    /// Supernodes the core has on a normal day: enough for every client at `target_load`.
    pub fn normal_core(&self) -> u32 {
        self.core_for(self.supernode_capacity)
    }

    /// Supernodes the planner sizes the core at for supernodes of `capacity` clients.
    fn core_for(&self, capacity: u32) -> u32 {
        let per_node = f64::from(capacity) * self.target_load;
        ((f64::from(self.clients) / per_node).ceil() as u32).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_core_larger_than_the_eligible_clients_is_refused_naming_the_least_capacity() {
        let cfg = Config {
            clients: 1_000_000,
            supernode_capacity: 2,
            ..Config::default()
        };
        let err = cfg
            .validate()
            .expect_err("capacity 2 needs a core of 833,334");
        assert_eq!(err.field, "supernode_capacity");
        assert!(err.message.contains("at least 34"), "{}", err.message);
        let ok = Config {
            supernode_capacity: 34,
            ..cfg
        };
        assert_eq!(ok.validate(), Ok(()));
        let bad = Config {
            supernode_capacity: 33,
            ..cfg
        };
        assert!(
            bad.validate().is_err(),
            "33 at load 0.6 needs 50,506 of 50,000"
        );
    }

    #[test]
    fn a_core_of_more_than_one_supernode_in_ten_clients_is_refused() {
        // Every client eligible, so only the size rule stands in the way.
        let cfg = Config {
            clients: 9_000_000,
            eligible_share: 1.0,
            supernode_capacity: 2,
            ..Config::default()
        };
        let err = cfg.validate().expect_err("7.5M supernodes for 9M clients");
        assert_eq!(err.field, "supernode_capacity");
        assert!(
            err.message.contains("at least 17") && err.message.contains("one for every 10"),
            "{}",
            err.message
        );
        let edge = |supernode_capacity| Config {
            supernode_capacity,
            ..cfg.clone()
        };
        assert_eq!(edge(17).validate(), Ok(()), "17 x 0.6 = 10.2 clients each");
        assert!(edge(16).validate().is_err(), "16 x 0.6 = 9.6 clients each");
    }

    #[test]
    fn defaults_are_valid() {
        assert_eq!(
            Config::default().validate(),
            Ok(()),
            "the defaults must pass validation"
        );
    }

    #[test]
    fn out_of_range_names_the_field_and_range() {
        let mut c = Config::default();
        let err = c
            .set("clients", "50")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with("clients:"),
            "message names the field: {err}"
        );
        assert!(
            err.contains("100 to 9000000"),
            "message gives the range: {err}"
        );
        assert_eq!(
            c.clients, 20_000,
            "a rejected value leaves the config unchanged"
        );
    }

    #[test]
    fn words_and_numbers_are_checked() {
        let mut c = Config::default();
        for (k, v) in [
            ("reboot_share", "1.5"),
            ("reboot_share", "NaN"),
            ("retry", "sometimes"),
            ("nonsense", "1"),
            ("strategy", "magic"),
            ("mega_at_min", "soon"),
        ] {
            let e = c.set(k, v);
            assert!(
                e.as_ref().is_err_and(|e| e.field == k),
                "{k}={v} must be rejected naming {k}: {e:?}"
            );
        }
        assert_eq!(c, Config::default(), "nothing changed");
    }

    #[test]
    fn strategy_sets_the_four_switches() {
        let mut c = Config::default();
        assert_eq!(c.set("strategy", "fixed"), Ok(()), "fixed is a bundle");
        assert_eq!(
            c.retry,
            RetryPolicy::ExponentialJitter,
            "fixed brings full jitter"
        );
        assert_eq!(
            c.get("strategy").as_deref(),
            Some("fixed"),
            "and reads back as fixed"
        );
        assert_eq!(c.set("retry", "fixed"), Ok(()), "one switch on its own");
        assert_eq!(
            c.get("strategy").as_deref(),
            Some("custom"),
            "a mix reads as custom"
        );
    }

    #[test]
    fn relations_are_checked() {
        let c = Config {
            retry_base_min: 10,
            retry_cap_min: 5,
            ..Config::default()
        };
        let e = c.validate().err().map(|e| e.field);
        assert_eq!(
            e.as_deref(),
            Some("retry_cap_min"),
            "cap below base is rejected"
        );
    }

    #[test]
    fn every_knob_reads_back_what_was_set() {
        let d = Config::default();
        for k in Config::knobs() {
            // A valid value other than the default: another word, or the end of the range the
            // default is not at.
            let v = if let Some(example) = k.example {
                Some(example.to_owned())
            } else if !k.choices.is_empty() {
                k.choices
                    .iter()
                    .find(|&&c| c != k.default)
                    .map(|c| (*c).to_owned())
            } else {
                let (lo, hi) = (k.min.unwrap_or(0.0), k.max.unwrap_or(0.0));
                let end = if k.default == lo.to_string() { hi } else { lo };
                Some(end.to_string())
            };
            let Some(v) = v.filter(|v| *v != k.default) else {
                panic!("{}: no value other than its default {}", k.name, k.default)
            };
            let mut c = d.clone();
            assert_eq!(c.set(k.name, &v), Ok(()), "{} accepts {v}", k.name);
            assert_eq!(c.get(k.name), Some(v.clone()), "{} reads back {v}", k.name);
            assert_eq!(
                c.changes_from(&d),
                vec![(k.name, v.clone())],
                "setting {} to {v} changes it and nothing else",
                k.name
            );
        }
    }
}
