//! The engineers' intervention: mega-supernodes, servers of `mega_factor` times an ordinary
//! supernode's capacity and handshake rate, brought up at a chosen minute over a ramp (the
//! scenario's `mega_at_min`), or at once from outside the run ([`Engineers::add`]).
//!
//! Mega-supernodes shed load but never switch themselves off (`supernode.rs`): enough of them
//! restore service; a handful are simply full.

use crate::config::Config;
use crate::seats::{MEGA_HOST, Seats};
use crate::tick::{Ctx, Happening};

/// Mega-supernodes brought up evenly over a stretch of ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Ramp {
    /// First tick.
    start: u32,
    /// Ticks it lasts (at least 1).
    ticks: u32,
    /// Mega-supernodes in all.
    count: u32,
}

impl Ramp {
    /// How many come up in tick `t` (0 outside the ramp).
    fn due_at(self, t: u32) -> u32 {
        if t < self.start || t >= self.start + self.ticks {
            return 0;
        }
        let (k, count, ticks) = (
            u64::from(t - self.start),
            u64::from(self.count),
            u64::from(self.ticks),
        );
        (count * (k + 1) / ticks - count * k / ticks) as u32
    }
}

/// The engineers' plan: mega-supernodes still to bring up.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Engineers {
    ramps: Vec<Ramp>,
}

impl Engineers {
    /// The plan of `cfg`: `mega_share` of the normal core, from `mega_at_min`, over
    /// `mega_ramp_min` (or none).
    pub fn of(cfg: &Config, normal_core: u32) -> Self {
        let mut plan = Self::default();
        if let Some(at) = cfg.mega_at_min {
            let count = (cfg.mega_share * f64::from(normal_core)).round() as u32;
            if count > 0 {
                plan.ramps.push(Ramp {
                    start: at,
                    ticks: cfg.mega_ramp_min.max(1),
                    count,
                });
            }
        }
        plan
    }

    /// Engineers bring up `count` mega-supernodes at tick `t`, at once.
    pub fn add(&mut self, t: u32, count: u32) {
        self.ramps.push(Ramp {
            start: t,
            ticks: 1,
            count,
        });
    }

    /// Mega-supernodes of the ramps started by tick `t` (brought up or still to come).
    pub fn started_by(&self, t: u32) -> u32 {
        self.ramps
            .iter()
            .filter(|r| r.start <= t)
            .map(|r| r.count)
            .sum()
    }

    /// Brings up the mega-supernodes due in this tick, telling when a ramp starts.
    pub fn act(&self, ctx: &mut Ctx, seats: &mut Seats) {
        let (t, cfg) = (ctx.t, ctx.cfg);
        let mut due = 0;
        for ramp in &self.ramps {
            due += ramp.due_at(t);
            if t == ramp.start {
                ctx.log.happenings.push(Happening::EngineersStepIn {
                    megas: ramp.count,
                    factor: cfg.mega_factor,
                });
            }
        }
        let capacity = cfg.supernode_capacity.saturating_mul(cfg.mega_factor);
        let limit = cfg.handshakes_per_min.saturating_mul(cfg.mega_factor);
        for _ in 0..due {
            seats.open(MEGA_HOST, t, capacity, limit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ramp_brings_up_every_mega_once_and_evenly() {
        let ramp = Ramp {
            start: 100,
            ticks: 7,
            count: 30,
        };
        let per_tick: Vec<u32> = (98..110).map(|t| ramp.due_at(t)).collect();
        assert_eq!(per_tick.iter().sum::<u32>(), 30, "all 30, once");
        assert_eq!(
            (per_tick[0], per_tick[1], per_tick[9]),
            (0, 0, 0),
            "none outside the ramp"
        );
        assert!(
            per_tick[2..9].iter().all(|&n| n == 4 || n == 5),
            "4 or 5 a tick: {per_tick:?}"
        );
    }
}
