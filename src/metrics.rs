//! What a run reports: a sample every tick, its phase, an event log in plain words, and a summary.
//!
//! The [`Reporter`] sees only the samples the simulation hands it (as Mesa's data collector does),
//! so the CLI, the page and the tests all read one computation.

use serde::Serialize;

/// Where the network is in the story.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Normal operation.
    Stable,
    /// PCs are restarting (the update) or crashing (2010).
    RebootWave,
    /// Many clients are retrying their logins; online is below normal and not climbing.
    LoginStorm,
    /// Fewer than half the normal users online, and not climbing.
    Collapsed,
    /// Online users are climbing back.
    Recovering,
    /// Back above 95% of normal after a dip.
    Recovered,
}

impl Phase {
    /// The phase's name as the CLI and the page write it.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Stable => "stable",
            Phase::RebootWave => "reboot-wave",
            Phase::LoginStorm => "login-storm",
            Phase::Collapsed => "collapsed",
            Phase::Recovering => "recovering",
            Phase::Recovered => "recovered",
        }
    }
}

/// The network at the end of one tick. Counts are simulated clients (multiply by
/// `users_per_client` for real users).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Sample {
    /// Minutes since the run started.
    pub t_min: u32,
    /// Clients online.
    pub online: u32,
    /// Clients whose PC is restarting.
    pub rebooting: u32,
    /// Clients waiting to retry a login.
    pub waiting: u32,
    /// Clients whose handshake was accepted, finishing their login.
    pub logging_in: u32,
    /// Live supernodes (mega-supernodes included).
    pub supernodes: u32,
    /// Share of the live supernodes' capacity in use, 0 to 1.
    pub sn_capacity_used: f64,
    /// Login attempts this minute.
    pub login_attempts: u32,
    /// Logins completed this minute.
    pub login_successes: u32,
    /// The phase.
    pub phase: Phase,
}

/// The CSV header of a trace: `t_min` first, then the counts, rates and the phase.
pub const CSV_HEADER: &str = "t_min,online,rebooting,waiting,logging_in,supernodes,sn_capacity_used,login_attempts,login_successes,phase";

/// A trace as CSV (header and one row a sample), as the CLI prints it and the page exports it.
pub fn trace_csv(trace: &[Sample]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(64 * (trace.len() + 1));
    out.push_str(CSV_HEADER);
    out.push('\n');
    for s in trace {
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{}",
            s.t_min,
            s.online,
            s.rebooting,
            s.waiting,
            s.logging_in,
            s.supernodes,
            s.sn_capacity_used,
            s.login_attempts,
            s.login_successes,
            s.phase.name()
        );
    }
    out
}

/// A notable moment, in plain words.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// Minutes since the run started.
    pub t_min: u32,
    /// A stable identifier (`first_switch_off`, `core_below_half`, ...).
    pub kind: &'static str,
    /// What happened, for a reader.
    pub text: String,
}

/// A run in a few numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Clients online on a normal day (mean before the first trigger).
    pub baseline_online: f64,
    /// Lowest online count as a share of the baseline.
    pub min_online_fraction: f64,
    /// Minutes with fewer than half the baseline online.
    pub minutes_below_half: u32,
    /// First minute, with the trigger over, back at 95% of the baseline after falling below it
    /// (and not below 90% since); `None` if it never fell or never came back.
    pub recovered_at_min: Option<u32>,
    /// Most login attempts in one minute.
    pub peak_login_attempts_per_min: u32,
    /// Fewest live supernodes as a share of the normal core.
    pub min_supernode_fraction: f64,
    /// Real user-hours of service lost against the baseline.
    pub user_hours_lost: f64,
    /// Real users each client stands for.
    pub users_per_client: f64,
}

/// Turns samples into phases, events and the summary, incrementally.
#[derive(Clone, Debug)]
pub struct Reporter {
    users_per_client: f64,
    /// First tick a trigger (update or crash) acts; the baseline is measured before it.
    first_trigger: u32,
    normal_core: f64,
    baseline_sum: f64,
    baseline_n: u32,
    min_online: f64,
    minutes_below_half: u32,
    fell_below_95_at: Option<u32>,
    recovered_at: Option<u32>,
    peak_attempts: u32,
    min_core: f64,
    lost_client_minutes: f64,
    /// Online counts of the last hour, newest last, to tell climbing from flat.
    recent: std::collections::VecDeque<u32>,
    flags: u32,
    events: Vec<Event>,
}

const FLAG_CORE_HALF: u32 = 1;
const FLAG_ONLINE_HALF: u32 = 2;
const FLAG_ONLINE_TENTH: u32 = 4;
const FLAG_SWITCH_OFF: u32 = 8;

impl Reporter {
    /// A reporter for a run whose first trigger acts at `first_trigger` and whose normal core
    /// has `normal_core` supernodes.
    pub fn new(users_per_client: f64, first_trigger: u32, normal_core: u32, clients: u32) -> Self {
        Self {
            users_per_client,
            first_trigger,
            normal_core: f64::from(normal_core.max(1)),
            baseline_sum: 0.0,
            baseline_n: 0,
            min_online: f64::from(clients),
            minutes_below_half: 0,
            fell_below_95_at: None,
            recovered_at: None,
            peak_attempts: 0,
            min_core: f64::INFINITY,
            lost_client_minutes: 0.0,
            recent: std::collections::VecDeque::with_capacity(61),
            flags: 0,
            events: Vec::new(),
        }
    }

    /// Clients online on a normal day (before the first trigger; the first sample's count if
    /// the run starts with one).
    pub fn baseline(&self) -> f64 {
        if self.baseline_n == 0 {
            self.min_online.max(1.0)
        } else {
            self.baseline_sum / f64::from(self.baseline_n)
        }
    }

    /// Records an event.
    pub fn event(&mut self, t_min: u32, kind: &'static str, text: String) {
        self.events.push(Event { t_min, kind, text });
    }

    /// Records a supernode switching itself off (only the first one makes an event).
    pub fn switch_off(&mut self, t_min: u32) {
        if self.flags & FLAG_SWITCH_OFF == 0 {
            self.flags |= FLAG_SWITCH_OFF;
            self.event(t_min, "first_switch_off", "A supernode is flooded with logins and switches itself off, dropping all its users.".into());
        }
    }

    /// Events so far.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Takes a sample's counts (phase unset) and gives back its phase, updating the summary.
    /// `trigger_active`: the update or the crash is still restarting PCs.
    pub fn observe(&mut self, s: &Sample, trigger_active: bool) -> Phase {
        let online = f64::from(s.online);
        if s.t_min < self.first_trigger {
            self.baseline_sum += online;
            self.baseline_n += 1;
        }
        let base = self.baseline();
        let frac = online / base;
        self.min_online = self.min_online.min(online);
        self.peak_attempts = self.peak_attempts.max(s.login_attempts);
        self.min_core = self.min_core.min(f64::from(s.supernodes));
        if frac < 0.5 {
            self.minutes_below_half += 1;
        }
        self.lost_client_minutes += (base - online).max(0.0);
        if frac < 0.95 && self.fell_below_95_at.is_none() && s.t_min >= self.first_trigger {
            self.fell_below_95_at = Some(s.t_min);
        }
        let crossed = |flag: u32, cond: bool, kind: &'static str, text: &str, this: &mut Self| {
            if cond && this.flags & flag == 0 {
                this.flags |= flag;
                this.event(s.t_min, kind, text.to_owned());
            }
        };
        crossed(
            FLAG_CORE_HALF,
            f64::from(s.supernodes) < 0.5 * self.normal_core,
            "core_below_half",
            "The supernode core is below half its normal size: the network has lost the peers that carry it.",
            self,
        );
        crossed(
            FLAG_ONLINE_HALF,
            frac < 0.5,
            "online_below_half",
            "Fewer than half the usual users are online.",
            self,
        );
        crossed(
            FLAG_ONLINE_TENTH,
            frac < 0.1,
            "online_below_tenth",
            "Fewer than one user in ten can stay logged in: the network has collapsed.",
            self,
        );
        // Recovered: back at 95% once the trigger is over. A relapse below 90% takes it back.
        if self.recovered_at.is_some() && frac < 0.9 {
            self.recovered_at = None;
        }
        if self.recovered_at.is_none()
            && self.fell_below_95_at.is_some()
            && frac >= 0.95
            && !trigger_active
        {
            self.recovered_at = Some(s.t_min);
            self.event(
                s.t_min,
                "recovered",
                "Service is back: more than 95% of the usual users are online again.".into(),
            );
        }

        self.recent.push_back(s.online);
        if self.recent.len() > 61 {
            self.recent.pop_front();
        }
        let climbing = self
            .recent
            .front()
            .is_some_and(|&old| online - f64::from(old) > 0.05 * base);
        if trigger_active {
            Phase::RebootWave
        } else if frac >= 0.95 {
            if self.fell_below_95_at.is_some() {
                Phase::Recovered
            } else {
                Phase::Stable
            }
        } else if climbing {
            Phase::Recovering
        } else if frac < 0.5 {
            Phase::Collapsed
        } else {
            Phase::LoginStorm
        }
    }

    /// The run so far in a few numbers.
    pub fn summary(&self) -> Summary {
        let base = self.baseline();
        Summary {
            baseline_online: base,
            min_online_fraction: self.min_online / base,
            minutes_below_half: self.minutes_below_half,
            recovered_at_min: self.recovered_at,
            peak_login_attempts_per_min: self.peak_attempts,
            min_supernode_fraction: if self.min_core.is_finite() {
                self.min_core / self.normal_core
            } else {
                1.0
            },
            user_hours_lost: self.lost_client_minutes / 60.0 * self.users_per_client,
            users_per_client: self.users_per_client,
        }
    }
}
