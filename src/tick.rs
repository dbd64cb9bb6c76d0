//! One tick (one simulated minute): the narrow context the model's parts act in, and what the
//! tick reports to whoever records the run.
//!
//! A part of the model (the life cycle, the host cache, the planner, the engineers...) sees the
//! time, the knobs, the random stream and the client timers through a [`Ctx`], and is handed only
//! the tables it touches. What it wants known (an attempt, a login, a supernode switching itself
//! off) goes into the tick's [`TickLog`]; the model never writes words, and never keeps a trace:
//! that is the [`crate::recorder::Recorder`]'s job.

use crate::config::Config;
use crate::queue::TickQueue;
use crate::rng::SimRng;
use serde::Serialize;

/// Something the model did that the record of a run should tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Happening {
    /// The update starts restarting PCs (once a tick, however many time zones start).
    UpdateLands,
    /// The client crash starts restarting clients and supernodes.
    CrashStrikes,
    /// A flooded supernode switched itself off, dropping everyone on it.
    SwitchOff {
        /// Its seat.
        seat: u32,
    },
    /// A supernode's PC restarted: everyone on it logs in elsewhere; the seat waits for its host.
    SupernodeDown {
        /// Its seat.
        seat: u32,
    },
    /// Engineers start bringing up mega-supernodes.
    EngineersStepIn {
        /// How many they bring up.
        megas: u32,
        /// Each one's capacity and handshake rate, in ordinary supernodes.
        factor: u32,
    },
}

/// What one tick did, beyond the state it left.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TickLog {
    /// Login attempts made.
    pub attempts: u32,
    /// Logins completed.
    pub logins: u32,
    /// Notable moments, in the order they happened.
    pub happenings: Vec<Happening>,
}

impl TickLog {
    /// Empties the log for a new tick (keeping its memory).
    pub fn clear(&mut self) {
        self.attempts = 0;
        self.logins = 0;
        self.happenings.clear();
    }
}

/// What every part of the model may use while it acts within a tick.
pub struct Ctx<'a> {
    /// The tick being simulated (minutes since the run started).
    pub t: u32,
    /// The run's knobs.
    pub cfg: &'a Config,
    /// The run's one random stream.
    pub rng: &'a mut SimRng,
    /// A hash of the seed: facts fixed per client (eligibility, host cache entries) derive
    /// from it instead of being stored.
    pub seed_hash: u64,
    /// Client timers: a packed client and timer generation (see `client::pack_timer`), by tick.
    pub timers: &'a mut TickQueue<u32>,
    /// What this tick did.
    pub log: &'a mut TickLog,
}
