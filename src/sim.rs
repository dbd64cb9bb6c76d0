//! The simulation: the model's state, and the order in which its parts act in a tick.
//!
//! One tick is one simulated minute. Within a tick, in this order: supernodes finishing their
//! warm-up take their role back (`supernode.rs`); the update, the crash and everyday restarts
//! restart PCs (`wave.rs`); the engineers' mega-supernodes come up (`engineers.rs`); client
//! timers due this tick fire in the order they were set (`lifecycle.rs`: restarts ending and
//! retries make login attempts, accepted handshakes become logins); every `heal_interval_min`
//! the planner promotes clients (`planner.rs`); last, a dead network's lock-step retries may
//! freeze into a cohort (`cohort.rs`). Work per tick is proportional to the clients that act.
//!
//! The model keeps no trace and writes no words: after each tick it offers an [`Observation`]
//! and the tick's typed [`Happening`]s, which a [`crate::recorder::Recorder`] turns into the
//! trace, the phases, the event log and the summary.

use crate::client::{ClientState, Clients, Clusters, Life, READ_AHEAD};
use crate::cohort::{COHORT_TIMER, Cohort};
use crate::config::{Config, ConfigError};
use crate::engineers::Engineers;
use crate::lifecycle;
use crate::live_change::{ChangeSet, LiveChange, MOST_CHANGES};
use crate::planner;
use crate::queue::TickQueue;
use crate::rng::{SimRng, mix, seeded};
use crate::seats::{SeatStatus, Seats};
use crate::strategy::Strategy;
use crate::supernode::{self, Supernodes};
use crate::tick::{Ctx, Happening, TickLog};
use crate::wave::{self, Sweep, crash_sweeps, update_sweeps};

/// The network at the end of a tick, as the model offers it to a recorder. Counts are simulated
/// clients.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observation {
    /// The tick just simulated (minutes since the run started).
    pub t_min: u32,
    /// Clients in each [`ClientState`], by its value.
    pub counts: [u32; 4],
    /// Live supernodes (mega-supernodes included).
    pub supernodes: u32,
    /// Share of the live supernodes' capacity in use, 0 to 1.
    pub capacity_used: f64,
    /// Login attempts in the tick.
    pub login_attempts: u32,
    /// Logins completed in the tick.
    pub login_successes: u32,
    /// The update or the crash was restarting PCs in the tick.
    pub trigger_active: bool,
}

/// A run of the model. Deterministic: the same config (seed included) gives the same run.
#[derive(Clone, Debug)]
pub struct Simulation {
    cfg: Config,
    rng: SimRng,
    seed_hash: u64,
    /// The next tick to run (minutes since the start).
    tick: u32,
    clients: Clients,
    /// Client timers (packed client and generation).
    timers: TickQueue<u32>,
    supernodes: Supernodes,
    sweeps: Vec<Sweep>,
    engineers: Engineers,
    normal_core: u32,
    /// The clusters clients start in.
    clusters: Clusters,
    /// What the last tick did.
    log: TickLog,
    /// Waiting clients frozen in lock-step while the network is dead (see `cohort.rs`).
    cohort: Cohort,
    /// Whether clients may be frozen into a cohort (always, but for the tests that compare).
    lockstep: bool,
    /// The tick under way when [`Simulation::step_within`] stopped inside it: its due timers
    /// not yet handled.
    under_way: Option<DueTimers>,
}

/// The due timers of a tick under way, and how far through them it got.
#[derive(Clone, Debug, Default)]
struct DueTimers {
    /// The chunks popped from the queue, in order.
    chunks: Vec<Vec<u32>>,
    /// Chunks before this one are handled (and recycled).
    chunk: usize,
    /// Timers before this one in `chunks[chunk]` are handled.
    at: usize,
}

impl Simulation {
    /// A run of `cfg`, at tick 0, with every client online and a core sized for the load.
    pub fn new(cfg: Config) -> Result<Self, ConfigError> {
        cfg.validate()?;
        let n = cfg.clients;
        let mut sweeps = update_sweeps(&cfg);
        sweeps.extend(crash_sweeps(&cfg));
        let normal_core = cfg.normal_core();
        let mut sim = Self {
            rng: seeded(cfg.seed),
            seed_hash: mix(cfg.seed),
            tick: 0,
            clients: Clients::new(n),
            timers: TickQueue::starting_at(0),
            supernodes: Supernodes::new(n),
            sweeps,
            engineers: Engineers::of(&cfg, normal_core),
            normal_core,
            clusters: Clusters::new(n, 1),
            log: TickLog::default(),
            cohort: Cohort::default(),
            lockstep: true,
            under_way: None,
            cfg,
        };
        let Self {
            cfg,
            rng,
            seed_hash,
            clients,
            timers,
            supernodes,
            log,
            clusters,
            ..
        } = &mut sim;
        let ctx = &mut Ctx {
            t: 0,
            cfg,
            rng,
            seed_hash: *seed_hash,
            timers,
            log,
        };
        *clusters = supernode::start_core(ctx, clients, supernodes, normal_core);
        Ok(sim)
    }

    /// Simulates one minute.
    pub fn step(&mut self) {
        let mut unlimited = usize::MAX;
        while !self.step_within(&mut unlimited) {}
    }

    /// Simulates one minute, or part of it: handles client timers (in runs of [`READ_AHEAD`])
    /// while `budget` lasts, takes what it handled off `budget`, and returns whether the minute
    /// is done. A minute left under way goes on from where it stopped at the next call, so the
    /// run is the same however its minutes are cut: a page can bound a frame's work in a minute
    /// that moves millions. The tick's start (restarts, engineers) and end (the planner) are
    /// not cut.
    pub fn step_within(&mut self, budget: &mut usize) -> bool {
        let Self {
            cfg,
            rng,
            seed_hash,
            tick,
            clients,
            timers,
            supernodes: sn,
            sweeps,
            engineers,
            log,
            cohort,
            lockstep,
            under_way,
            ..
        } = self;
        let t = *tick;
        if under_way.is_none() {
            // The switches changed from this minute on (the config's `live_changes`, a patch
            // pushed to a live network; a checkpoint's copy of the config replays it).
            let change = cfg.live_changes.iter().find(|c| c.at_min == t);
            if let Some(change) = change {
                // Frozen lock-step retries were counted under the old retry switch: each
                // member is itself again before the new switches apply.
                cohort.thaw_in_queue(cfg, timers, clients);
                let now = change.to.apply(cfg.strategy());
                cfg.set_strategy(now);
                let (cap, rate) = (change.to.supernode_capacity, change.to.handshakes_per_min);
                if cap.is_some() || rate.is_some() {
                    cfg.supernode_capacity = cap.unwrap_or(cfg.supernode_capacity);
                    cfg.handshakes_per_min = rate.unwrap_or(cfg.handshakes_per_min);
                    sn.seats
                        .set_ordinary_limits(cfg.supernode_capacity, cfg.handshakes_per_min);
                }
            }
        }
        let ctx = &mut Ctx {
            t,
            cfg,
            rng,
            seed_hash: *seed_hash,
            timers,
            log,
        };
        let due = under_way.get_or_insert_with(|| {
            ctx.log.clear();
            sn.seats.start_tick();
            supernode::take_back_roles(ctx, clients, sn);
            if wave::any_active(sweeps, t) {
                // Restarts change clients one by one: the cohort's members must be themselves again.
                cohort.thaw_in_queue(ctx.cfg, ctx.timers, clients);
            }
            wave::restart_due(ctx, clients, sn, sweeps);
            wave::everyday_restarts(ctx, clients, sn);
            engineers.act(ctx, &mut sn.seats);
            DueTimers {
                chunks: ctx.timers.pop_due(t),
                ..DueTimers::default()
            }
        });
        // Chunk by chunk, each handed back once handled: its clients' next timers fill it again.
        while let Some(chunk) = due.chunks.get(due.chunk) {
            if *budget == 0 {
                return false;
            }
            let run = &chunk[due.at..chunk.len().min(due.at + READ_AHEAD)];
            clients.read_ahead(run.iter().map(|&timer| timer >> 8));
            for &timer in run {
                if timer == COHORT_TIMER {
                    cohort.come_due(ctx, clients, sn);
                } else {
                    lifecycle::fire(ctx, clients, sn, timer);
                }
            }
            *budget = budget.saturating_sub(run.len());
            due.at += run.len();
            if due.at >= chunk.len() {
                let done = std::mem::take(&mut due.chunks[due.chunk]);
                ctx.timers.recycle(done);
                due.chunk += 1;
                due.at = 0;
            }
        }
        *under_way = None;
        if t > 0 && t % ctx.cfg.heal_interval_min == 0 {
            planner::plan(ctx, clients, sn);
        }
        if *lockstep {
            cohort.freeze(ctx, clients, &sn.seats);
        }
        *tick += 1;
        true
    }

    /// The network at the end of the last tick (`None` before the first).
    pub fn observation(&self) -> Option<Observation> {
        let t = self.tick.checked_sub(1)?;
        let seats = &self.supernodes.seats;
        Some(Observation {
            t_min: t,
            counts: self.clients.counts,
            supernodes: seats.active,
            capacity_used: if seats.active_capacity == 0 {
                0.0
            } else {
                seats.active_attached as f64 / seats.active_capacity as f64
            },
            login_attempts: self.log.attempts,
            login_successes: self.log.logins,
            trigger_active: wave::any_active(&self.sweeps, t),
        })
    }

    /// What the last tick did that a record should tell, in order.
    pub fn happenings(&self) -> &[Happening] {
        &self.log.happenings
    }

    /// Mega-supernodes live now, and those the engineers have started bringing up so far.
    pub fn megas(&self) -> (u32, u32) {
        let seats = &self.supernodes.seats;
        let live = (0..seats.len() as u32)
            .filter(|&s| seats.host(s) == crate::seats::MEGA_HOST && seats.is_active(s))
            .count() as u32;
        (live, self.engineers.started_by(self.tick.saturating_sub(1)))
    }

    /// From minute `at_min` on, the switches `to` names take their new values: a patch pushed to
    /// a live network, added to the config's `live_changes`. The minutes before are the run as
    /// it was; timers already set (a retry's wait) keep their time. Refused for a minute already
    /// simulated (changing the past is a new run), before a change already planned, or past
    /// [`crate::live_change::MOST_CHANGES`].
    pub fn change_live_at(&mut self, at_min: u32, to: ChangeSet) -> Result<(), ConfigError> {
        if at_min < self.tick || (at_min == self.tick && self.under_way.is_some()) {
            return Err(ConfigError::new(
                "live_changes",
                format!(
                    "minute {at_min} has already been simulated (the run is at minute {}); change the past with a new run",
                    self.tick
                ),
            ));
        }
        let change = LiveChange { at_min, to };
        let changes = self.cfg.live_changes.and_then(change).ok_or_else(|| {
            ConfigError::new(
                "live_changes",
                format!(
                    "a change at minute {at_min} must come after the run's last one (or at its minute, replacing it), and a run holds at most {MOST_CHANGES}"
                ),
            )
        })?;
        // A capacity pushed now must be one the network could start with (config.rs).
        let mut probe = self.cfg.clone();
        probe.live_changes = changes;
        probe.validate()?;
        self.cfg.live_changes = changes;
        Ok(())
    }

    /// The switches in force just before minute `t_min` (now or later): today's, with the
    /// changes planned before then (one at `t_min` itself would be replaced by a new one there).
    pub fn strategy_before(&self, t_min: u32) -> Strategy {
        self.cfg
            .live_changes
            .iter()
            .filter(|c| {
                let pending =
                    c.at_min > self.tick || (c.at_min == self.tick && self.under_way.is_none());
                pending && c.at_min < t_min
            })
            .fold(self.cfg.strategy(), |s, c| c.to.apply(s))
    }

    /// Engineers bring up `count` mega-supernodes at the next tick.
    pub fn add_megas(&mut self, count: u32) {
        self.engineers.add(self.tick, count);
    }

    /// The config of this run.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// Minutes simulated so far.
    pub fn now_min(&self) -> u32 {
        self.tick
    }

    /// True when the run has reached its `duration_h`.
    pub fn is_finished(&self) -> bool {
        self.tick >= self.cfg.duration_ticks()
    }

    /// The first minute the update or the crash restarts PCs (`u32::MAX`: never).
    pub fn first_trigger_min(&self) -> u32 {
        self.sweeps
            .iter()
            .map(|s| s.start)
            .min()
            .unwrap_or(u32::MAX)
    }

    /// The clusters clients start in (a supernode of the starting core and its users), which
    /// the page draws as blocks.
    pub fn clusters(&self) -> Clusters {
        self.clusters
    }

    /// Supernodes in the normal core.
    pub fn normal_core(&self) -> u32 {
        self.normal_core
    }

    /// Every client's record, by client index: its state, and the seat it is attached to when
    /// online or logging in (for other clients `seat` is the engine's own business).
    pub fn clients(&self) -> &[Life] {
        &self.clients.life
    }

    /// The supernode seats.
    pub fn seats(&self) -> &Seats {
        &self.supernodes.seats
    }

    /// How many clients are in each [`ClientState`], indexed by its value.
    pub fn counts(&self) -> [u32; 4] {
        self.clients.counts
    }

    /// Heap bytes the run holds for its clients, seats and timers.
    pub fn state_bytes(&self) -> usize {
        self.clients.heap_bytes()
            + self.supernodes.heap_bytes()
            + self.timers.heap_bytes()
            + self.cohort.heap_bytes()
    }

    /// Checks the model's invariants by recounting everything (O(clients); for tests): every
    /// client is in exactly one state and the counters agree; every seat's attached count is
    /// what its clients say and within its capacity; the active totals add up.
    pub fn check_invariants(&self) -> Result<(), String> {
        let (clients, seats) = (&self.clients, &self.supernodes.seats);
        let mut counts = [0u32; 4];
        let mut attached = vec![0u32; seats.len()];
        for (c, st) in clients.life.iter().map(|l| l.state).enumerate() {
            if st > 3 {
                return Err(format!("client {c} has no valid state ({st})"));
            }
            let state = ClientState::from_u8(st);
            counts[st as usize] += 1;
            if matches!(state, ClientState::Online | ClientState::LoggingIn) {
                match attached.get_mut(clients.life[c].seat as usize) {
                    Some(a) => *a += 1,
                    None => return Err(format!("client {c} is {state:?} with no seat")),
                }
            }
        }
        if counts != clients.counts {
            let kept = clients.counts;
            return Err(format!("state counters {kept:?} but recount {counts:?}"));
        }
        let (mut active, mut cap, mut att) = (0u32, 0u64, 0u64);
        for (s, &on_seat) in attached.iter().enumerate() {
            let seat = s as u32;
            let (status, held, room) = (
                seats.status(seat),
                seats.attached(seat),
                seats.capacity(seat),
            );
            if status != SeatStatus::Active {
                if on_seat != 0 {
                    return Err(format!(
                        "seat {s} is {status:?} but {on_seat} clients are on it"
                    ));
                }
                continue;
            }
            (active, cap, att) = (active + 1, cap + u64::from(room), att + u64::from(held));
            if held != on_seat {
                return Err(format!(
                    "seat {s} counts {held} attached, clients say {on_seat}"
                ));
            }
            if on_seat > room {
                return Err(format!("seat {s} holds {on_seat} over its capacity {room}"));
            }
        }
        let kept = (seats.active, seats.active_capacity, seats.active_attached);
        if (active, cap, att) != kept {
            let recount = (active, cap, att);
            return Err(format!("active totals {kept:?} but recount {recount:?}"));
        }
        Ok(())
    }

    /// Lets (or stops) waiting clients freeze into a cohort; for the tests that compare.
    #[cfg(test)]
    pub(crate) fn set_lockstep(&mut self, on: bool) {
        self.lockstep = on;
    }

    /// True while a cohort is frozen; for the tests that compare.
    #[cfg(test)]
    pub(crate) fn is_frozen(&self) -> bool {
        self.cohort.is_frozen()
    }

    /// Everything the run holds, the cohort thawed first and the switch left out, as text.
    #[cfg(test)]
    pub(crate) fn state_text(&self) -> String {
        let mut sim = self.clone();
        sim.cohort
            .thaw_in_queue(&sim.cfg, &mut sim.timers, &mut sim.clients);
        let sn = &sim.supernodes;
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            sim.clients,
            sn.seats,
            sim.timers,
            sn.warmups,
            sn.hosts.pairs(),
            sim.rng,
            sim.engineers,
            sim.log,
        )
    }
}
