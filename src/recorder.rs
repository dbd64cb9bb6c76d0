//! The recorder: what the simulation offers after each tick, turned into the record of a run (a
//! sample a minute with its phase, the event log, the summary), as Mesa's data collector does.
//!
//! The simulation does not own it and it never changes the simulation: it reads the tick's
//! [`Observation`] and [`Happening`]s. The CLI, the page and the tests all read one recorder
//! (usually through a [`crate::run::Run`], which pairs the two).

use crate::metrics::{Event, EventKind, Phase, Sample, Summary, trace_digest};
use crate::sim::{Observation, Simulation};
use crate::tick::Happening;
use std::collections::VecDeque;

/// Minutes of history that tell "climbing" from "flat": three hours, so a recovery that comes in
/// steps (mega-supernodes arriving one by one) reads as one recovery.
const CLIMB_WINDOW_MIN: usize = 180;

/// Events the record tells only once.
const ONCE_UPDATE: u32 = 1;
const ONCE_CRASH: u32 = 2;
const ONCE_SWITCH_OFF: u32 = 4;
const ONCE_CORE_HALF: u32 = 8;
const ONCE_ONLINE_HALF: u32 = 16;
const ONCE_ONLINE_TENTH: u32 = 32;

/// Builds the record of one run, tick by tick.
#[derive(Clone, Debug)]
pub struct Recorder {
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
    /// `lost_client_minutes` when the run last recovered.
    lost_at_recovery: f64,
    /// The last tick a trigger (update or crash) was restarting PCs.
    last_trigger: Option<u32>,
    /// Online counts of the last hour, newest last, to tell climbing from flat.
    recent: VecDeque<u32>,
    /// Which once-only events were told (`ONCE_*` bits).
    told: u32,
    events: Vec<Event>,
    trace: Vec<Sample>,
}

impl Recorder {
    /// A recorder for `sim`, a run at its start.
    pub fn new(sim: &Simulation) -> Self {
        let cfg = sim.config();
        Self {
            users_per_client: cfg.users_per_client(),
            first_trigger: sim.first_trigger_min(),
            normal_core: f64::from(sim.normal_core().max(1)),
            baseline_sum: 0.0,
            baseline_n: 0,
            min_online: f64::from(cfg.clients),
            minutes_below_half: 0,
            fell_below_95_at: None,
            recovered_at: None,
            peak_attempts: 0,
            min_core: f64::INFINITY,
            lost_client_minutes: 0.0,
            lost_at_recovery: 0.0,
            last_trigger: None,
            recent: VecDeque::with_capacity(CLIMB_WINDOW_MIN + 1),
            told: 0,
            events: Vec::new(),
            trace: Vec::with_capacity(cfg.duration_ticks() as usize),
        }
    }

    /// Records the tick `sim` just simulated (nothing before its first tick).
    pub fn observe(&mut self, sim: &Simulation) {
        let Some(o) = sim.observation() else {
            return;
        };
        for &h in sim.happenings() {
            self.note(o.t_min, h);
        }
        let [online, rebooting, waiting, logging_in] = o.counts;
        let phase = self.phase_of(&o);
        self.trace.push(Sample {
            t_min: o.t_min,
            online,
            rebooting,
            waiting,
            logging_in,
            supernodes: o.supernodes,
            sn_capacity_used: o.capacity_used,
            login_attempts: o.login_attempts,
            login_successes: o.login_successes,
            phase,
        });
    }

    /// One sample a simulated minute so far.
    pub fn trace(&self) -> &[Sample] {
        &self.trace
    }

    /// Notable moments so far.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// A digest of the trace so far (see [`trace_digest`]).
    pub fn trace_digest(&self) -> u64 {
        trace_digest(&self.trace)
    }

    /// A copy without the trace (checkpoints of one run share its one trace).
    pub fn without_trace(&mut self) -> Recorder {
        let trace = std::mem::take(&mut self.trace);
        let copy = self.clone();
        self.trace = trace;
        copy
    }

    /// Gives a copy made by [`Recorder::without_trace`] its trace back from `trace`, a longer
    /// trace of the same run: its first `minutes` samples.
    pub fn restore_trace(&mut self, trace: &[Sample], minutes: u32) {
        let n = (minutes as usize).min(trace.len());
        self.trace = trace[..n].to_vec();
    }

    /// The last minute the update or the crash was restarting PCs, so far.
    pub fn last_trigger_min(&self) -> Option<u32> {
        self.last_trigger
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

    /// The user-hours lost up to the moment the run recovered (none while it has not): what the
    /// outage cost, without the everyday dips that follow it.
    pub fn outage_user_hours(&self) -> Option<f64> {
        self.recovered_at
            .map(|_| self.lost_at_recovery / 60.0 * self.users_per_client)
    }

    /// Tells `kind` at `t_min`, if it is a once-only event not told yet (`once` 0: always).
    fn tell(&mut self, t_min: u32, kind: EventKind, once: u32) {
        if self.told & once == 0 {
            self.told |= once;
            self.events.push(Event { t_min, kind });
        }
    }

    /// Something the model did.
    fn note(&mut self, t_min: u32, h: Happening) {
        match h {
            Happening::UpdateLands => self.tell(t_min, EventKind::Update, ONCE_UPDATE),
            Happening::CrashStrikes => self.tell(t_min, EventKind::Crash, ONCE_CRASH),
            Happening::SwitchOff { .. } => {
                self.tell(t_min, EventKind::FirstSwitchOff, ONCE_SWITCH_OFF)
            }
            // Everyday on a calm day, and by the thousand in a wave: not news.
            Happening::SupernodeDown { .. } => {}
            Happening::EngineersStepIn { megas, factor } => {
                self.tell(t_min, EventKind::Intervention { megas, factor }, 0)
            }
        }
    }

    /// Updates the summary with a tick's observation; tells the thresholds it crosses; gives
    /// its phase.
    fn phase_of(&mut self, o: &Observation) -> Phase {
        let online = f64::from(o.counts[0]);
        self.account(o, online);
        let frac = online / self.baseline();
        for (crossed, kind, once) in [
            (
                f64::from(o.supernodes) < 0.5 * self.normal_core,
                EventKind::CoreBelowHalf,
                ONCE_CORE_HALF,
            ),
            (frac < 0.5, EventKind::OnlineBelowHalf, ONCE_ONLINE_HALF),
            (frac < 0.1, EventKind::OnlineBelowTenth, ONCE_ONLINE_TENTH),
        ] {
            if crossed {
                self.tell(o.t_min, kind, once);
            }
        }
        // Recovered: back at 95% once the trigger is over. A relapse below 90% takes it back.
        if self.recovered_at.is_some() && frac < 0.9 {
            self.recovered_at = None;
        }
        if self.recovered_at.is_none()
            && self.fell_below_95_at.is_some()
            && frac >= 0.95
            && !o.trigger_active
        {
            self.recovered_at = Some(o.t_min);
            self.lost_at_recovery = self.lost_client_minutes;
            self.tell(o.t_min, EventKind::Recovered, 0);
        }
        self.recent.push_back(o.counts[0]);
        if self.recent.len() > CLIMB_WINDOW_MIN + 1 {
            self.recent.pop_front();
        }
        self.phase(o, frac)
    }

    /// Adds a tick to the summary's tallies (`online`: clients online).
    fn account(&mut self, o: &Observation, online: f64) {
        if o.trigger_active {
            self.last_trigger = Some(o.t_min);
        }
        if o.t_min < self.first_trigger {
            self.baseline_sum += online;
            self.baseline_n += 1;
        }
        let base = self.baseline();
        let frac = online / base;
        self.min_online = self.min_online.min(online);
        self.peak_attempts = self.peak_attempts.max(o.login_attempts);
        self.min_core = self.min_core.min(f64::from(o.supernodes));
        if frac < 0.5 {
            self.minutes_below_half += 1;
        }
        self.lost_client_minutes += (base - online).max(0.0);
        if frac < 0.95 && self.fell_below_95_at.is_none() && o.t_min >= self.first_trigger {
            self.fell_below_95_at = Some(o.t_min);
        }
    }

    /// The phase of a tick online at `frac` of normal, its hour of history recorded.
    fn phase(&self, o: &Observation, frac: f64) -> Phase {
        let base = self.baseline();
        let climbing = self
            .recent
            .front()
            .is_some_and(|&old| f64::from(o.counts[0]) - f64::from(old) > 0.05 * base);
        // Fewer than half online is a collapse, whatever else is going on: a wave that has
        // emptied the network is no longer just a wave.
        if frac < 0.5 {
            if climbing {
                Phase::Recovering
            } else {
                Phase::Collapsed
            }
        } else if o.trigger_active {
            Phase::RebootWave
        } else if frac >= 0.95 {
            if self.fell_below_95_at.is_some() {
                Phase::Recovered
            } else {
                Phase::Stable
            }
        } else if climbing {
            Phase::Recovering
        } else {
            Phase::LoginStorm
        }
    }
}
