//! The simulation: clients, supernodes, triggers, the planner and the engineers, tick by tick.
//!
//! One tick is one simulated minute. Within a tick, in this order: supernodes finishing their
//! warm-up take their role back; the triggers restart PCs; mega-supernodes come up; timers due
//! this tick fire in the order they were set (restarts ending and retries make login attempts,
//! accepted handshakes become logins); every `heal_interval_min` the planner promotes clients;
//! last, a sample is taken. Work per tick is proportional to the clients that act.

use crate::client::{ClientState, Clients, NO_SEAT, pack_timer, unpack_timer};
use crate::cohort::{COHORT_TIMER, Cohort};
use crate::config::{Config, ConfigError};
use crate::metrics::{Event, Reporter, Sample, Summary};
use crate::queue::TickQueue;
use crate::rng::{SimRng, below, mix, mix_all, seeded, unit};
use crate::strategy::{Overload, PlannerDemand, RetryPolicy, SupernodeChoice, pick};
use crate::supernode::{Hosts, MEGA_HOST, SeatStatus, Seats};
use crate::wave::{Sweep, Target, crash_sweeps, update_sweeps};
use rand::RngExt;

/// A waiting client's memo meaning "nothing in my cache was live at this `live_epoch`".
const NONE_LIVE: u32 = 1 << 31;
/// Largest host cache (the knob's maximum).
const MAX_CACHE: usize = 200;
/// Timers whose clients are read ahead together (see `Simulation::touch`).
const TOUCH_CHUNK: usize = 32;
/// Salt for the eligibility hash.
const SALT_ELIGIBLE: u64 = 0xE1E6;

/// A run of the model. Deterministic: the same config (seed included) gives the same trace.
#[derive(Clone, Debug)]
pub struct Simulation {
    cfg: Config,
    rng: SimRng,
    seed_hash: u64,
    /// The next tick to run (minutes since the start).
    tick: u32,
    clients: Clients,
    seats: Seats,
    /// Client timers (packed client and generation).
    timers: TickQueue<u32>,
    /// Seats whose host may take its role back.
    seat_timers: TickQueue<u32>,
    /// The seat each supernode host holds.
    host_seat: Hosts,
    counts: [u32; 4],
    sweeps: Vec<Sweep>,
    /// Mega-supernodes still to bring up: `(first tick, ticks, how many)`.
    mega_plan: Vec<(u32, u32, u32)>,
    normal_core: u32,
    reporter: Reporter,
    trace: Vec<Sample>,
    attempts_this_tick: u32,
    successes_this_tick: u32,
    /// Waiting clients frozen in lock-step while the network is dead (see `cohort.rs`).
    cohort: Cohort,
    /// Whether clients may be frozen into a cohort (always, but for the tests that compare).
    lockstep: bool,
}

impl Simulation {
    /// A run of `cfg`, at tick 0, with every client online and a core sized for the load.
    pub fn new(cfg: Config) -> Result<Self, ConfigError> {
        cfg.validate()?;
        let n = cfg.clients;
        let seed_hash = mix(cfg.seed);
        let mut sweeps = update_sweeps(&cfg);
        sweeps.extend(crash_sweeps(&cfg));
        let first_trigger = sweeps.iter().map(|s| s.start).min().unwrap_or(u32::MAX);
        let mut mega_plan = Vec::new();
        let normal_core = cfg.normal_core();
        if let Some(at) = cfg.mega_at_min {
            let count = (cfg.mega_share * f64::from(normal_core)).round() as u32;
            if count > 0 {
                mega_plan.push((at, cfg.mega_ramp_min.max(1), count));
            }
        }
        let reporter = Reporter::new(cfg.users_per_client(), first_trigger, normal_core, n);
        let mut sim = Self {
            rng: seeded(cfg.seed),
            seed_hash,
            tick: 0,
            clients: Clients::new(n),
            seats: Seats::default(),
            timers: TickQueue::starting_at(0),
            seat_timers: TickQueue::starting_at(0),
            host_seat: Hosts::new(n),
            counts: [n, 0, 0, 0],
            sweeps,
            mega_plan,
            normal_core,
            reporter,
            trace: Vec::with_capacity(cfg.duration_ticks() as usize),
            attempts_this_tick: 0,
            successes_this_tick: 0,
            cohort: Cohort::default(),
            lockstep: true,
            cfg,
        };
        sim.build_core();
        Ok(sim)
    }

    /// Promotes eligible clients spread evenly over the population into a core of the normal
    /// size and attaches everyone else round-robin, so a run starts from a calm, evenly loaded
    /// network. (Spread, because the triggers walk clients in index order: a core bunched at
    /// low indices would all restart at the start of a staggered update.)
    fn build_core(&mut self) {
        // Never more than there are eligible clients: searching for ones that do not exist
        // would cost a scan of the population per missing supernode.
        let eligible = (0..self.cfg.clients)
            .filter(|&c| self.is_eligible(c))
            .count() as u64;
        let want = u64::from(self.normal_core).min(eligible);
        let n = u64::from(self.cfg.clients);
        let (cap, limit) = (self.cfg.supernode_capacity, self.cfg.handshakes_per_min);
        for k in 0..want {
            let from = (k * n / want) as u32;
            let found = (from..self.cfg.clients)
                .chain(0..from)
                .find(|&c| self.is_eligible(c) && !self.host_seat.contains(c));
            let Some(c) = found else { break };
            let s = self.seats.open(c, 0, cap, limit);
            self.host_seat.insert(c, s);
            self.seats.attach(s, c);
            self.clients.seat[c as usize] = s;
        }
        let k = self.seats.len() as u32;
        if k == 0 {
            return;
        }
        let mut next = 0;
        // Seats fill in turn, so once a whole round finds every seat full, all stay full.
        let mut all_full = false;
        for c in 0..self.cfg.clients {
            if self.clients.seat[c as usize] == NO_SEAT {
                // Skip full seats (only possible when the eligible clients are too few).
                for _ in 0..if all_full { 0 } else { k } {
                    let s = next % k;
                    next += 1;
                    if self.seats.attached[s as usize] < cap {
                        self.seats.attach(s, c);
                        self.clients.seat[c as usize] = s;
                        break;
                    }
                }
                if self.clients.seat[c as usize] == NO_SEAT {
                    all_full = true;
                    self.set_state(c, ClientState::Waiting);
                    self.schedule_retry(c, 0, 1);
                }
            }
        }
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

    /// One sample per simulated minute so far.
    pub fn trace(&self) -> &[Sample] {
        &self.trace
    }

    /// Notable moments so far.
    pub fn events(&self) -> &[Event] {
        self.reporter.events()
    }

    /// The run so far in a few numbers.
    pub fn summary(&self) -> Summary {
        self.reporter.summary()
    }

    /// Supernodes in the normal core.
    pub fn normal_core(&self) -> u32 {
        self.normal_core
    }

    /// Every client's [`ClientState`] as `u8`, by client index.
    pub fn client_states(&self) -> &[u8] {
        &self.clients.state
    }

    /// The seat each client is attached to (online or logging in), by client index. For other
    /// clients the value is the engine's own business.
    pub fn client_seats(&self) -> &[u32] {
        &self.clients.seat
    }

    /// The supernode seats.
    pub fn seats(&self) -> &Seats {
        &self.seats
    }

    /// How many clients are in each [`ClientState`], indexed by its value.
    pub fn counts(&self) -> [u32; 4] {
        self.counts
    }

    /// Heap bytes the run holds for its clients, seats and timers (the trace not included).
    pub fn state_bytes(&self) -> usize {
        self.clients.heap_bytes()
            + self.seats.heap_bytes()
            + self.timers.heap_bytes()
            + self.seat_timers.heap_bytes()
            + self.host_seat.heap_bytes()
            + self.cohort.timers.capacity() * 4
    }

    /// A digest of the trace so far: equal digests mean identical traces (for comparing runs
    /// across platforms).
    pub fn trace_digest(&self) -> u64 {
        self.trace.iter().fold(0x00D1_6E57_u64, |h, s| {
            let words = [
                u64::from(s.t_min),
                u64::from(s.online),
                u64::from(s.rebooting),
                u64::from(s.waiting),
                u64::from(s.logging_in),
                u64::from(s.supernodes),
                s.sn_capacity_used.to_bits(),
                u64::from(s.login_attempts),
                u64::from(s.login_successes),
                s.phase as u64,
            ];
            words.iter().fold(h, |h, &w| mix(h ^ w))
        })
    }

    /// Checks the model's invariants by recounting everything (O(clients); for tests): every
    /// client is in exactly one state and the counters agree; every seat's attached count is
    /// what its clients say and within its capacity; the active totals add up.
    pub fn check_invariants(&self) -> Result<(), String> {
        let mut counts = [0u32; 4];
        let mut attached = vec![0u32; self.seats.len()];
        for (c, &st) in self.clients.state.iter().enumerate() {
            if st > 3 {
                return Err(format!("client {c} has no valid state ({st})"));
            }
            let state = ClientState::from_u8(st);
            counts[st as usize] += 1;
            if matches!(state, ClientState::Online | ClientState::LoggingIn) {
                let s = self.clients.seat[c];
                match attached.get_mut(s as usize) {
                    Some(a) => *a += 1,
                    None => return Err(format!("client {c} is {state:?} with no seat")),
                }
            }
        }
        if counts != self.counts {
            return Err(format!(
                "state counters {:?} but recount {counts:?}",
                self.counts
            ));
        }
        let (mut active, mut cap, mut att) = (0u32, 0u64, 0u64);
        for (s, &on_seat) in attached.iter().enumerate() {
            let st = self.seats.status[s];
            if st == SeatStatus::Active {
                active += 1;
                cap += u64::from(self.seats.capacity[s]);
                att += u64::from(self.seats.attached[s]);
                if self.seats.attached[s] != on_seat {
                    return Err(format!(
                        "seat {s} counts {} attached, clients say {}",
                        self.seats.attached[s], on_seat
                    ));
                }
                if on_seat > self.seats.capacity[s] {
                    return Err(format!(
                        "seat {s} holds {} over its capacity {}",
                        on_seat, self.seats.capacity[s]
                    ));
                }
            } else if on_seat != 0 {
                return Err(format!(
                    "seat {s} is {st:?} but {} clients are on it",
                    on_seat
                ));
            }
        }
        if (active, cap, att)
            != (
                self.seats.active,
                self.seats.active_capacity,
                self.seats.active_attached,
            )
        {
            return Err(format!(
                "active totals {:?} but recount {:?}",
                (
                    self.seats.active,
                    self.seats.active_capacity,
                    self.seats.active_attached
                ),
                (active, cap, att)
            ));
        }
        Ok(())
    }

    /// A copy of the run without its trace: the page keeps many checkpoints of one run, and
    /// they share its one trace (see [`Simulation::restore_trace`]).
    pub fn checkpoint(&mut self) -> Simulation {
        let trace = std::mem::take(&mut self.trace);
        let copy = self.clone();
        self.trace = trace;
        copy
    }

    /// Gives a checkpoint its trace back from `trace`, a longer trace of the same run (the
    /// samples before this run's minute are taken from it).
    pub fn restore_trace(&mut self, trace: &[Sample]) {
        let n = (self.tick as usize).min(trace.len());
        self.trace = trace[..n].to_vec();
    }

    /// Engineers bring up `count` mega-supernodes at the next tick.
    pub fn add_megas(&mut self, count: u32) {
        self.mega_plan.push((self.tick, 1, count));
    }

    /// Runs ticks until `t_min` minutes are simulated (or the run ends).
    pub fn step_until(&mut self, t_min: u32) {
        while self.tick < t_min.min(self.cfg.duration_ticks()) {
            self.step();
        }
    }

    /// Runs the whole run.
    pub fn run_to_end(&mut self) {
        self.step_until(u32::MAX);
    }

    /// Simulates one minute.
    pub fn step(&mut self) {
        let t = self.tick;
        self.attempts_this_tick = 0;
        self.successes_this_tick = 0;
        self.warmups(t);
        self.triggers(t);
        self.megas(t);
        let due = self.timers.pop_due(t);
        for chunk in due.chunks(TOUCH_CHUNK) {
            self.touch(chunk.iter().map(|&timer| timer >> 8));
            for &timer in chunk {
                if timer == COHORT_TIMER {
                    self.cohort_due(t);
                } else {
                    self.fire(timer, t);
                }
            }
        }
        self.timers.recycle(due);
        if t > 0 && t % self.cfg.heal_interval_min == 0 {
            self.plan(t);
        }
        self.freeze(t);
        self.sample(t);
        self.tick += 1;
    }

    /// Reads the records of a chunk of clients before they are handled, in a loop short enough
    /// that all the reads are under way at once: at a million clients each is a cache miss, and
    /// one after the other they would wait for each other. Changes nothing.
    #[inline]
    fn touch(&self, clients: impl Iterator<Item = u32>) {
        let c = &self.clients;
        let sum = clients.fold(0u32, |acc, client| {
            let i = client as usize;
            match (c.life.get(i), c.state.get(i), c.seat.get(i)) {
                (Some(l), Some(&st), Some(&s)) => acc ^ u32::from(l.timer_gen) ^ u32::from(st) ^ s,
                _ => acc,
            }
        });
        std::hint::black_box(sum);
    }

    /// A client timer comes due (ignored if it was replaced since).
    #[inline]
    fn fire(&mut self, timer: u32, t: u32) {
        let (c, generation) = unpack_timer(timer);
        if self.clients.life[c as usize].timer_gen != generation {
            return;
        }
        match self.clients.state_of(c) {
            ClientState::Rebooting | ClientState::Waiting => self.attempt(c, t),
            ClientState::LoggingIn => self.complete_login(c, t),
            ClientState::Online => {}
        }
    }

    // ----- the dormant cohort -----

    /// The "nothing in my host cache is live" memo for seat-table epoch `epoch`.
    fn none_live_memo(epoch: u32) -> u32 {
        NONE_LIVE | (epoch & !NONE_LIVE)
    }

    /// The cohort's timer comes due: while the network stays dead its members all fail again,
    /// so count them and requeue the cohort; otherwise thaw it and fire each member's timer.
    fn cohort_due(&mut self, t: u32) {
        if self.seats.active == 0 && self.seats.live_epoch == self.cohort.epoch {
            self.cohort.fails += 1;
            self.attempts_this_tick += self.cohort.timers.len() as u32;
            self.timers.push(t + self.cfg.retry_base_min, COHORT_TIMER);
        } else {
            for timer in self.thaw() {
                self.fire(timer, t);
            }
        }
    }

    /// Ends the cohort, replaying its members' failures; returns their timers, in order.
    fn thaw(&mut self) -> Vec<u32> {
        let memo = Self::none_live_memo(self.cohort.epoch);
        self.cohort.thaw(
            &mut self.clients,
            memo,
            self.cfg.retry_base_min,
            self.cfg.bootstrap_after_failures,
        )
    }

    /// Ends the cohort before it comes due, putting its members' timers back in its place.
    fn thaw_in_queue(&mut self) {
        if !self.cohort.is_frozen() {
            return;
        }
        let due = self.cohort.due(self.cfg.retry_base_min);
        let members = self.thaw();
        let mut bucket = self.timers.swap_bucket(due, Vec::new());
        if let Some(at) = bucket.iter().position(|&x| x == COHORT_TIMER) {
            bucket.splice(at..=at, members);
        }
        self.timers.swap_bucket(due, bucket);
    }

    /// At the end of tick `t`: if the network is dead, retries are fixed, and every pending timer
    /// is a waiting client's, due in one tick, freeze those clients into a cohort.
    fn freeze(&mut self, t: u32) {
        if !self.lockstep
            || self.cohort.is_frozen()
            || self.cfg.retry != RetryPolicy::Fixed
            || self.seats.active != 0
        {
            return;
        }
        let due = t + self.cfg.retry_base_min;
        let bucket = self.timers.bucket(due);
        let waiting = self.counts[ClientState::Waiting as usize] as usize;
        // Every waiting client has a timer pending: if the queue is this bucket and as long as
        // there are waiting clients, and each timer is a waiting client's current one, each
        // waiting client has exactly one timer here and nothing else is pending.
        if bucket.is_empty() || bucket.len() != self.timers.len() || bucket.len() != waiting {
            return;
        }
        let all_current = bucket.iter().all(|&timer| {
            let (c, generation) = unpack_timer(timer);
            self.clients.life[c as usize].timer_gen == generation
                && self.clients.state_of(c) == ClientState::Waiting
        });
        if !all_current {
            return;
        }
        let timers = self.timers.swap_bucket(due, vec![COHORT_TIMER]);
        self.cohort = Cohort {
            timers,
            first: due,
            fails: 0,
            epoch: self.seats.live_epoch,
        };
    }

    fn sample(&mut self, t: u32) {
        let [online, rebooting, waiting, logging_in] = self.counts;
        let mut s = Sample {
            t_min: t,
            online,
            rebooting,
            waiting,
            logging_in,
            supernodes: self.seats.active,
            sn_capacity_used: if self.seats.active_capacity == 0 {
                0.0
            } else {
                self.seats.active_attached as f64 / self.seats.active_capacity as f64
            },
            login_attempts: self.attempts_this_tick,
            login_successes: self.successes_this_tick,
            phase: crate::metrics::Phase::Stable,
        };
        let trigger_active = self.sweeps.iter().any(|w| w.active_at(t));
        s.phase = self.reporter.observe(&s, trigger_active);
        self.trace.push(s);
    }

    // ----- triggers and the engineers -----

    fn triggers(&mut self, t: u32) {
        // Restarts change clients one by one: the cohort's members must be themselves again.
        if self.sweeps.iter().any(|w| w.active_at(t)) {
            self.thaw_in_queue();
        }
        for i in 0..self.sweeps.len() {
            let sweep = &self.sweeps[i];
            if t == sweep.start && (i == 0 || self.sweeps[i - 1].start != t) {
                let (kind, text) = match sweep.target {
                    Target::AllClients => (
                        "update",
                        "The update lands: PCs restart to install it, supernodes among them.",
                    ),
                    _ => (
                        "crash",
                        "A faulty client version crashes: clients and supernodes restart.",
                    ),
                };
                if !self.reporter.events().iter().any(|e| e.kind == kind) {
                    self.reporter.event(t, kind, text.to_owned());
                }
            }
            let (target, share) = (sweep.target, sweep.share);
            let len = if target == Target::Seats {
                self.seats.len() as u32
            } else {
                self.cfg.clients
            };
            let Some(range) = self.sweeps[i].slice(t, len) else {
                continue;
            };
            for item in range {
                if !self.rng.random_bool(share) {
                    continue;
                }
                match target {
                    Target::AllClients => self.restart(item, t),
                    Target::OrdinaryClients => {
                        if !self.host_seat.contains(item) {
                            self.restart(item, t);
                        }
                    }
                    Target::Seats => {
                        let host = self.seats.host[item as usize];
                        if self.seats.status[item as usize] == SeatStatus::Active
                            && host < MEGA_HOST
                        {
                            self.restart(host, t);
                        }
                    }
                }
            }
        }
        // Everyday restarts keep a trickle of logins going on a calm day.
        let expected = f64::from(self.cfg.clients) * self.cfg.churn_per_h / 60.0;
        let mut n = expected.floor() as u32;
        if self.rng.random_bool(expected.fract()) {
            n += 1;
        }
        for _ in 0..n {
            let c = self.rng.random_range(0..self.cfg.clients);
            if self.clients.state_of(c) == ClientState::Online {
                self.restart(c, t);
            }
        }
    }

    fn megas(&mut self, t: u32) {
        let mut brought_up = 0;
        let (cap, limit) = (
            self.cfg
                .supernode_capacity
                .saturating_mul(self.cfg.mega_factor),
            self.cfg
                .handshakes_per_min
                .saturating_mul(self.cfg.mega_factor),
        );
        for &(start, ticks, count) in &self.mega_plan {
            if t < start || t >= start + ticks {
                continue;
            }
            let k = u64::from(t - start);
            let due = (u64::from(count) * (k + 1) / u64::from(ticks)
                - u64::from(count) * k / u64::from(ticks)) as u32;
            brought_up += due;
            if t == start {
                self.reporter.event(
                    t,
                    "intervention",
                    format!("Engineers start bringing up {count} mega-supernodes, each {}x a normal supernode.", self.cfg.mega_factor),
                );
            }
        }
        for _ in 0..brought_up {
            self.seats.open(MEGA_HOST, t, cap, limit);
        }
    }

    // ----- the client life cycle -----

    fn set_state(&mut self, c: u32, s: ClientState) {
        let old = self.clients.state[c as usize];
        self.counts[old as usize] -= 1;
        self.counts[s as usize] += 1;
        self.clients.state[c as usize] = s as u8;
    }

    fn schedule(&mut self, c: u32, at: u32) {
        let g = self.clients.life[c as usize].timer_gen.wrapping_add(1);
        self.clients.life[c as usize].timer_gen = g;
        self.timers.push(at, pack_timer(c, g));
    }

    /// Client `c`'s PC restarts (update, crash or everyday churn).
    fn restart(&mut self, c: u32, t: u32) {
        let i = c as usize;
        let state = self.clients.state_of(c);
        if state == ClientState::Rebooting {
            return;
        }
        match self.host_seat.get(c) {
            Some(s) if self.seats.status[s as usize] == SeatStatus::Active => self.seat_down(s, t),
            _ => {
                if matches!(state, ClientState::Online | ClientState::LoggingIn)
                    && self.clients.seat[i] != NO_SEAT
                {
                    self.seats.detach(self.clients.seat[i]);
                }
            }
        }
        self.clients.seat[i] = NO_SEAT;
        self.set_state(c, ClientState::Rebooting);
        let (lo, hi) = (self.cfg.reboot_shortest_min, self.cfg.reboot_longest_min);
        let d = self.rng.random_range(lo..=hi);
        self.schedule(c, t + d);
    }

    /// Client `c` tries to log in.
    fn attempt(&mut self, c: u32, t: u32) {
        self.attempts_this_tick += 1;
        let Some(s) = self.choose_seat(c) else {
            self.fail(c, t, false);
            return;
        };
        let n = self.seats.count_attempt(s, t);
        let i = s as usize;
        let limit = self.seats.handshake_limit[i];
        let flooded = f64::from(n) > self.cfg.flood_factor * f64::from(limit);
        match self.cfg.overload {
            Overload::SwitchOff if flooded && self.seats.host[i] != MEGA_HOST => {
                self.switch_off(s, t);
                self.fail(c, t, false);
                return;
            }
            Overload::SwitchOff | Overload::Shed if flooded => {
                self.fail(c, t, false);
                return;
            }
            _ => {}
        }
        if self.seats.accepted[i] < limit && self.seats.attached[i] < self.seats.capacity[i] {
            self.seats.accepted[i] += 1;
            self.seats.attach(s, c);
            self.clients.seat[c as usize] = s;
            self.set_state(c, ClientState::LoggingIn);
            self.schedule(c, t + 1);
        } else {
            self.fail(c, t, self.cfg.overload == Overload::AdmissionControl);
        }
    }

    /// A failed attempt: count it, maybe refill the host cache, and wait to retry.
    /// `fresh_list`: the supernode answered "busy" with a fresh list of supernodes.
    fn fail(&mut self, c: u32, t: u32, fresh_list: bool) {
        let i = c as usize;
        let f = self.clients.life[i].failures.saturating_add(1);
        self.clients.life[i].failures = f;
        let streak = self.clients.life[i].since_refill + 1;
        if fresh_list || u32::from(streak) >= self.cfg.bootstrap_after_failures {
            self.clients.life[i].cache_at = t;
            self.clients.seat[i] = NO_SEAT;
            self.clients.life[i].since_refill = 0;
        } else {
            self.clients.life[i].since_refill = streak;
        }
        if self.clients.state_of(c) != ClientState::Waiting {
            self.set_state(c, ClientState::Waiting);
        }
        self.schedule_retry(c, t, u32::from(f));
    }

    fn schedule_retry(&mut self, c: u32, t: u32, failures: u32) {
        let base = self.cfg.retry_base_min;
        let backoff = || {
            base.saturating_mul(1u32 << failures.saturating_sub(1).min(20))
                .min(self.cfg.retry_cap_min)
        };
        let d = match self.cfg.retry {
            RetryPolicy::Fixed => base,
            RetryPolicy::Exponential => backoff(),
            RetryPolicy::ExponentialJitter => {
                let cap = backoff();
                self.rng.random_range(0..=cap).max(1)
            }
        };
        self.schedule(c, t + d);
    }

    fn complete_login(&mut self, c: u32, t: u32) {
        let i = c as usize;
        self.successes_this_tick += 1;
        self.set_state(c, ClientState::Online);
        self.clients.life[i].failures = 0;
        self.clients.life[i].since_refill = 0;
        self.clients.online_since[i] = t;
        self.clients.life[i].cache_at = t;
        if let Some(s) = self.host_seat.get(c) {
            self.seat_timers.push(t + self.cfg.supernode_warmup_min, s);
        }
    }

    /// Client `c` lost its supernode: it waits a first retry interval and logs in again.
    fn lose_supernode(&mut self, c: u32, t: u32) {
        self.clients.seat[c as usize] = NO_SEAT;
        self.set_state(c, ClientState::Waiting);
        self.schedule_retry(c, t, 1);
    }

    // ----- host caches and the supernode choice -----

    /// Whether client `c` could ever be a supernode (public IP, resources).
    fn is_eligible(&self, c: u32) -> bool {
        unit(mix_all(&[self.seed_hash, SALT_ELIGIBLE, u64::from(c)])) < self.cfg.eligible_share
    }

    /// The seed of client `c`'s host cache as filled at tick `r`.
    fn cache_base(&self, c: u32, r: u32) -> u64 {
        mix(self.seed_hash ^ mix((u64::from(c) << 32) | u64::from(r)))
    }

    /// The seat in slot `slot` of a host cache (seeded `base`, filled at tick `r` from the `len`
    /// seats that existed then). Live or not now; `None` if the slot holds nothing usable.
    fn cache_entry(&self, base: u64, slot: u32, r: u32, len: u32) -> Option<u32> {
        let h1 = mix(base.wrapping_add(u64::from(slot).wrapping_mul(0x9E37_79B9_7F4A_7C15)));
        let h2 = mix(h1);
        // Four probes from two hashes: a slot that lands on a seat empty at tick r tries again.
        for h in [h1, h1 >> 32, h2, h2 >> 32] {
            let s = below(h, len) as usize;
            let held_at_r = match self.seats.status[s] {
                SeatStatus::Vacant => self.seats.since[s] <= r && r < self.seats.vacated_at[s],
                _ => self.seats.since[s] <= r,
            };
            if held_at_r {
                return Some(s as u32);
            }
        }
        None
    }

    fn is_live(&self, s: u32) -> bool {
        self.seats.status[s as usize] == SeatStatus::Active
    }

    /// Picks the seat client `c` tries, by the supernode-choice switch; `None` if no entry of its
    /// host cache is live. Waiting clients remember their `first-live` target, or that nothing
    /// was live as of the seat table's `live_epoch`, so a collapsed network costs no rescans.
    fn choose_seat(&mut self, c: u32) -> Option<u32> {
        let i = c as usize;
        let epoch_memo = Self::none_live_memo(self.seats.live_epoch);
        let memo = self.clients.seat[i];
        if memo == epoch_memo {
            return None;
        }
        if self.seats.active == 0 {
            self.clients.seat[i] = epoch_memo;
            return None;
        }
        let r = self.clients.life[i].cache_at;
        let len = self.seats.len_at(r);
        let slots = self.cfg.host_cache_size;
        let base = self.cache_base(c, r);
        let choice = match self.cfg.supernode_choice {
            SupernodeChoice::FirstLive => {
                if memo < NONE_LIVE && self.is_live(memo) && self.seats.since[memo as usize] <= r {
                    return Some(memo);
                }
                (0..slots).find_map(|k| {
                    self.cache_entry(base, k, r, len)
                        .filter(|&s| self.is_live(s))
                })
            }
            choice => {
                let mut live = [0u32; MAX_CACHE];
                let mut n = 0;
                for k in 0..slots {
                    if let Some(s) = self
                        .cache_entry(base, k, r, len)
                        .filter(|&s| self.is_live(s))
                    {
                        live[n] = s;
                        n += 1;
                    }
                }
                (n > 0).then(|| {
                    let (seats, rng) = (&self.seats, &mut self.rng);
                    pick(
                        choice,
                        &live[..n],
                        |s| seats.load(s),
                        |k| rng.random_range(0..k),
                    )
                })
            }
        };
        self.clients.seat[i] = choice.unwrap_or(epoch_memo);
        choice
    }

    // ----- supernodes -----

    /// Every client attached to seat `s` (but `keep`) loses it.
    fn drop_members(&mut self, s: u32, t: u32, keep: u32) {
        let members = std::mem::take(&mut self.seats.members[s as usize]);
        for chunk in members.chunks(TOUCH_CHUNK) {
            self.touch(chunk.iter().copied());
            for &c in chunk {
                let i = c as usize;
                if c != keep
                    && self.clients.seat[i] == s
                    && matches!(
                        self.clients.state_of(c),
                        ClientState::Online | ClientState::LoggingIn
                    )
                {
                    self.lose_supernode(c, t);
                }
            }
        }
    }

    /// A flooded supernode drops its role and everyone on it (its host too: it must log in again).
    fn switch_off(&mut self, s: u32, t: u32) {
        self.reporter.switch_off(t);
        let host = self.seats.host[s as usize];
        self.host_seat.remove(host);
        self.drop_members(s, t, NO_SEAT);
        self.seats.set_status(s, SeatStatus::Vacant, t);
    }

    /// The host of seat `s` restarts: everyone on it is dropped; the seat waits for its host.
    fn seat_down(&mut self, s: u32, t: u32) {
        let host = self.seats.host[s as usize];
        self.drop_members(s, t, host);
        self.seats.set_status(s, SeatStatus::Down, t);
        self.seats.attached[s as usize] = 0;
    }

    /// Seats whose host has been back long enough take their role back.
    fn warmups(&mut self, t: u32) {
        for s in self.seat_timers.pop_due(t) {
            let i = s as usize;
            let host = self.seats.host[i];
            if self.seats.status[i] != SeatStatus::Down || host >= MEGA_HOST {
                continue;
            }
            let h = host as usize;
            if self.clients.state_of(host) != ClientState::Online
                || t < self.clients.online_since[h] + self.cfg.supernode_warmup_min
            {
                continue;
            }
            if self.clients.seat[h] != NO_SEAT {
                self.seats.detach(self.clients.seat[h]);
            }
            self.seats.set_status(s, SeatStatus::Active, t);
            self.seats.attach(s, host);
            self.clients.seat[h] = s;
        }
    }

    /// The self-healing planner: promote eligible clients so capacity tracks demand, a step at a time.
    fn plan(&mut self, t: u32) {
        let mut demand = self.seats.active_attached as f64;
        if self.cfg.planner_demand == PlannerDemand::AttachedWaiting {
            demand += f64::from(self.counts[ClientState::Waiting as usize]);
        }
        let needed = demand / self.cfg.target_load - self.seats.active_capacity as f64;
        if needed <= 0.0 {
            return;
        }
        let cap = self.cfg.supernode_capacity;
        let deficit = (needed / f64::from(cap)).ceil() as u32;
        let step = ((self.cfg.heal_step_share * f64::from(self.seats.active)).ceil() as u32).max(1);
        let want = deficit.min(step);
        let mut promoted = 0;
        for _ in 0..want.saturating_mul(64) {
            if promoted == want {
                break;
            }
            let c = self.rng.random_range(0..self.cfg.clients);
            let i = c as usize;
            if self.clients.state_of(c) != ClientState::Online
                || t < self.clients.online_since[i] + self.cfg.supernode_warmup_min
                || self.host_seat.contains(c)
                || !self.is_eligible(c)
            {
                continue;
            }
            if self.clients.seat[i] != NO_SEAT {
                self.seats.detach(self.clients.seat[i]);
            }
            let s = self.seats.open(c, t, cap, self.cfg.handshakes_per_min);
            self.host_seat.insert(c, s);
            self.seats.attach(s, c);
            self.clients.seat[i] = s;
            promoted += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::preset;

    /// Everything a run holds, but the cohort (thawed first) and the switch: as text, to compare.
    fn state_of(sim: &Simulation) -> String {
        let mut sim = sim.clone();
        sim.thaw_in_queue();
        let hosts = sim.host_seat.pairs();
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{hosts:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            sim.clients,
            sim.seats,
            sim.timers,
            sim.seat_timers,
            sim.counts,
            sim.rng,
            sim.mega_plan,
            sim.trace,
            sim.reporter.events()
        )
    }

    /// Runs `cfg` with and without lock-step cohorts, tick by tick, comparing every sample and,
    /// every `every` ticks and at the end, the whole state; `megas_at` adds mega-supernodes from
    /// outside at that minute. The cohort must have been frozen for at least `min_frozen` ticks,
    /// or the comparison would prove nothing.
    fn compare(cfg: &Config, every: u32, megas_at: Option<(u32, u32)>, min_frozen: u32) {
        let mut fast = Simulation::new(cfg.clone()).unwrap_or_else(|e| panic!("{e}"));
        let mut slow = fast.clone();
        slow.lockstep = false;
        let mut frozen = 0;
        while !slow.is_finished() {
            let t = slow.now_min();
            if megas_at.is_some_and(|(at, _)| at == t) {
                let n = megas_at.map_or(0, |(_, n)| n);
                fast.add_megas(n);
                slow.add_megas(n);
            }
            fast.step();
            slow.step();
            frozen += u32::from(fast.cohort.is_frozen());
            assert_eq!(
                fast.trace().last(),
                slow.trace().last(),
                "sample at minute {t}"
            );
            assert!(!slow.cohort.is_frozen(), "the switch keeps clients apart");
            if t % every == 0 || slow.is_finished() {
                assert_eq!(state_of(&fast), state_of(&slow), "state after minute {t}");
            }
        }
        assert_eq!(fast.trace_digest(), slow.trace_digest(), "whole trace");
        assert!(
            frozen >= min_frozen,
            "seed {}: frozen {frozen} ticks, expected {min_frozen}",
            cfg.seed
        );
    }

    fn aug_2007(clients: u32, seed: u64, hours: u32) -> Config {
        Config {
            clients,
            seed,
            patch_at_min: 60,
            duration_h: hours,
            ..preset("aug-2007").map(|p| p.config).unwrap_or_default()
        }
    }

    #[test]
    fn a_frozen_cohort_gives_the_same_run_as_every_client_alone() {
        for seed in 1..=4 {
            compare(&aug_2007(3_000, seed, 12), 97, None, 300);
        }
    }

    #[test]
    fn engineers_thaw_the_cohort_exactly() {
        for seed in 1..=3 {
            // Mega-supernodes from the scenario, and from the button, deep in the collapse.
            let mut cfg = aug_2007(3_000, seed, 16);
            cfg.mega_at_min = Some(400);
            cfg.mega_ramp_min = 30;
            compare(&cfg, 31, None, 100);
            compare(&aug_2007(3_000, seed, 16), 31, Some((500, 3)), 100);
        }
    }

    #[test]
    fn restarts_thaw_the_cohort_exactly() {
        for seed in 1..=3 {
            // A crash on top of the collapse: clients and supernodes, then clients only.
            let mut cfg = aug_2007(2_000, seed, 16);
            cfg.crash_at_min = 600;
            cfg.crash_client_share = 0.3;
            cfg.crash_supernode_share = 0.5;
            compare(&cfg, 41, None, 100);
            cfg.crash_supernode_share = 0.0;
            cfg.crash_window_min = 30;
            compare(&cfg, 41, None, 100);
            // Time zones restart hours apart (the network need not die before the last one).
            let mut cfg = aug_2007(2_400, seed, 30);
            cfg.follow_night = true;
            cfg.reboot_window_min = 20;
            compare(&cfg, 53, None, 0);
        }
    }

    #[test]
    fn other_retry_intervals_and_thresholds_give_the_same_run() {
        for (seed, base, after) in [(1, 2, 3), (2, 3, 1), (3, 1, 7), (4, 5, 255)] {
            let mut cfg = aug_2007(2_000, seed, 24);
            cfg.retry_base_min = base;
            cfg.retry_cap_min = cfg.retry_cap_min.max(base);
            cfg.bootstrap_after_failures = after;
            cfg.mega_at_min = Some(1_000);
            compare(&cfg, 67, None, 0);
        }
        for name in [
            "dec-2010",
            "dec-2010-mega",
            "staggered-updates",
            "aug-2007-fixed",
        ] {
            let mut cfg = preset(name).map(|p| p.config).unwrap_or_default();
            cfg.clients = 2_000;
            cfg.duration_h = 30;
            compare(&cfg, 113, None, 0);
        }
    }
}
