//! What restarts PCs: the update's reboot wave (2007), the client crash (2010), both as sweeps,
//! and the everyday trickle of restarts that gives a calm day its logins.
//!
//! A sweep walks a block of clients (or supernode seats) over a window of ticks, a slice per tick,
//! and restarts each with a given probability. Clients are walked in a scattered order (a fixed
//! permutation, no memory), since neighbouring clients share a supernode; nothing is scheduled
//! in advance.

use crate::client::{ClientState, Clients, READ_AHEAD};
use crate::config::Config;
use crate::lifecycle::restart;
use crate::rng::{Scatter, Walk};
use crate::seats::MEGA_HOST;
use crate::supernode::Supernodes;
use crate::tick::{Ctx, Happening};
use rand::RngExt;
use rand::distr::{Bernoulli, Distribution};
use std::ops::Range;

/// What a sweep walks over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Clients, supernode hosts included (the update restarts every kind of PC).
    AllClients,
    /// Ordinary clients only (the crash's client share).
    OrdinaryClients,
    /// Supernode seats: the host of each live seat (the crash's supernode share).
    Seats,
}

/// One block of restarts.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    /// What it walks.
    pub target: Target,
    /// Share of the walked items that restart.
    pub share: f64,
    /// First tick.
    pub start: u32,
    /// Length in ticks (at least 1).
    pub window: u32,
    /// Which indices (clients; for seats, a share of the table: `0..u32::MAX` means all).
    pub items: Range<u32>,
    /// The order clients are walked in: scattered, since neighbouring clients share a
    /// supernode, and an update restarts PCs here and there, not cluster by cluster.
    pub order: Option<Scatter>,
}

/// Minutes in a day.
pub const DAY_MIN: u32 = 1440;
/// Local time at which Windows installs updates by default (03:00).
pub const INSTALL_LOCAL_MIN: u32 = 180;

impl Sweep {
    /// The slice of `len` items this sweep walks in tick `t`, if it is under way.
    pub fn slice(&self, t: u32, len: u32) -> Option<Range<u32>> {
        if t < self.start || t >= self.start + self.window {
            return None;
        }
        let (a, b) = (self.items.start.min(len), self.items.end.min(len));
        let k = u64::from(t - self.start);
        let span = u64::from(b - a);
        let w = u64::from(self.window);
        let lo = a + (span * k / w) as u32;
        let hi = a + (span * (k + 1) / w) as u32;
        Some(lo..hi)
    }

    /// The walked indices of positions `items` of the sweep's order (the positions themselves
    /// when it walks in turn).
    fn walk(&self, items: Range<u32>) -> impl Iterator<Item = u32> + use<> {
        let wide = u64::from(items.start)..u64::from(items.end);
        let walk = match self.order {
            Some(order) => order.walk(wide),
            None => Walk::in_turn(wide),
        };
        walk.map(|i| i as u32)
    }

    /// True while the sweep is under way at tick `t`.
    pub fn active_at(&self, t: u32) -> bool {
        t >= self.start && t < self.start + self.window
    }
}

/// True while any of `sweeps` is restarting PCs at tick `t`.
pub fn any_active(sweeps: &[Sweep], t: u32) -> bool {
    sweeps.iter().any(|w| w.active_at(t))
}

/// The sweeps' restarts due in this tick, telling when the update lands or the crash strikes
/// (once for sweeps that start together).
pub fn restart_due(ctx: &mut Ctx, clients: &mut Clients, sn: &mut Supernodes, sweeps: &[Sweep]) {
    let t = ctx.t;
    for (i, sweep) in sweeps.iter().enumerate() {
        if t == sweep.start && (i == 0 || sweeps[i - 1].start != t) {
            ctx.log.happenings.push(match sweep.target {
                Target::AllClients => Happening::UpdateLands,
                _ => Happening::CrashStrikes,
            });
        }
        let len = if sweep.target == Target::Seats {
            sn.seats.len() as u32
        } else {
            ctx.cfg.clients
        };
        let Some(range) = sweep.slice(t, len) else {
            continue;
        };
        // The config's range checks keep every share within 0 to 1.
        let Ok(coin) = Bernoulli::new(sweep.share) else {
            continue;
        };
        for (position, item) in range.clone().zip(sweep.walk(range)) {
            // Scattered clients are cache misses at a million: read the next ones' records
            // ahead, all at once, every so many items.
            if sweep.order.is_some() && (position - sweep.items.start) % READ_AHEAD as u32 == 0 {
                clients.read_ahead(sweep.walk(position..position + READ_AHEAD as u32));
            }
            if !coin.sample(ctx.rng) {
                continue;
            }
            match sweep.target {
                Target::AllClients => restart(ctx, clients, sn, item),
                Target::OrdinaryClients => {
                    if !sn.hosts.contains(item) {
                        restart(ctx, clients, sn, item);
                    }
                }
                Target::Seats => {
                    let host = sn.seats.host(item);
                    if sn.seats.is_active(item) && host < MEGA_HOST {
                        restart(ctx, clients, sn, host);
                    }
                }
            }
        }
    }
}

/// Everyday restarts (`churn_per_h`, and the load ramp's on top): online clients drawn at random
/// restart, a trickle that keeps logins going on a calm day.
pub fn everyday_restarts(ctx: &mut Ctx, clients: &mut Clients, sn: &mut Supernodes) {
    let n_clients = ctx.cfg.clients;
    let per_h = ctx.cfg.churn_per_h + ctx.cfg.ramp_per_h(ctx.t);
    let expected = f64::from(n_clients) * per_h / 60.0;
    let mut n = expected.floor() as u32;
    if ctx.rng.random_bool(expected.fract()) {
        n += 1;
    }
    for _ in 0..n {
        let c = ctx.rng.random_range(0..n_clients);
        if clients.state_of(c) == ClientState::Online {
            restart(ctx, clients, sn, c);
        }
    }
}

/// The update's restarts: one sweep over every client, or one per time zone (24 zones from
/// UTC-11 to UTC+12, equally populated) each at 03:00 local time after the update lands.
pub fn update_sweeps(cfg: &Config) -> Vec<Sweep> {
    let once = one_landing(cfg);
    if cfg.update_every_h == 0 {
        return once;
    }
    // Every later landing, as long as it falls within the run: the same sweeps, later.
    let every = cfg.update_every_h.saturating_mul(60);
    let end = cfg.duration_ticks();
    (0..)
        .map(|k: u32| k.saturating_mul(every))
        .take_while(|&shift| cfg.patch_at_min.saturating_add(shift) < end)
        .flat_map(|shift| {
            once.iter().map(move |w| Sweep {
                start: w.start.saturating_add(shift),
                ..w.clone()
            })
        })
        .collect()
}

/// The update's restarts when it lands once.
fn one_landing(cfg: &Config) -> Vec<Sweep> {
    if cfg.reboot_share <= 0.0 {
        return Vec::new();
    }
    let window = cfg.reboot_window_min.max(1);
    if !cfg.follow_night {
        return vec![Sweep {
            target: Target::AllClients,
            share: cfg.reboot_share,
            start: cfg.patch_at_min,
            window,
            items: 0..cfg.clients,
            order: Some(Scatter::new(u64::from(cfg.clients))),
        }];
    }
    let n = u64::from(cfg.clients);
    let order = Some(Scatter::new(n));
    (0..24u32)
        .map(|z| {
            let offset_min = (z as i64 - 11) * 60;
            let local =
                (i64::from(cfg.patch_at_min) + offset_min).rem_euclid(i64::from(DAY_MIN)) as u32;
            let delay = (INSTALL_LOCAL_MIN + DAY_MIN - local) % DAY_MIN;
            let lo = (n * u64::from(z) / 24) as u32;
            let hi = (n * u64::from(z + 1) / 24) as u32;
            Sweep {
                target: Target::AllClients,
                share: cfg.reboot_share,
                start: cfg.patch_at_min + delay,
                window,
                items: lo..hi,
                order,
            }
        })
        .collect()
}

/// The crash's restarts: a share of ordinary clients and a share of supernodes.
pub fn crash_sweeps(cfg: &Config) -> Vec<Sweep> {
    let window = cfg.crash_window_min.max(1);
    let mut out = Vec::new();
    if cfg.crash_client_share > 0.0 {
        out.push(Sweep {
            target: Target::OrdinaryClients,
            share: cfg.crash_client_share,
            start: cfg.crash_at_min,
            window,
            items: 0..cfg.clients,
            order: Some(Scatter::new(u64::from(cfg.clients))),
        });
    }
    if cfg.crash_supernode_share > 0.0 {
        out.push(Sweep {
            target: Target::Seats,
            share: cfg.crash_supernode_share,
            start: cfg.crash_at_min,
            window,
            items: 0..u32::MAX,
            order: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_cover_every_item_once() {
        let s = Sweep {
            target: Target::AllClients,
            share: 1.0,
            start: 10,
            window: 7,
            items: 0..100,
            order: None,
        };
        let mut next = 0;
        for t in 10..17 {
            let r = s.slice(t, 100).unwrap_or(0..0);
            assert_eq!(r.start, next, "slice at {t} starts where the last ended");
            next = r.end;
        }
        assert_eq!(next, 100, "all items walked");
        assert_eq!(s.slice(9, 100), None, "not before the start");
        assert_eq!(s.slice(17, 100), None, "not after the window");
    }

    #[test]
    fn following_the_night_starts_each_zone_at_three_local() {
        let cfg = Config {
            follow_night: true,
            patch_at_min: 360,
            ..Config::default()
        };
        let sweeps = update_sweeps(&cfg);
        assert_eq!(sweeps.len(), 24, "one sweep per zone");
        for (z, s) in sweeps.iter().enumerate() {
            let local = (i64::from(s.start) + (z as i64 - 11) * 60).rem_euclid(1440);
            assert_eq!(local, 180, "zone {z} restarts at 03:00 local");
            assert!(
                s.start >= 360 && s.start < 360 + 1440,
                "within a day of the update"
            );
        }
    }

    #[test]
    fn a_repeating_update_lands_again_within_the_run_only() {
        let cfg = Config {
            patch_at_min: 360,
            update_every_h: 24,
            duration_h: 96,
            ..Config::default()
        };
        let starts: Vec<u32> = update_sweeps(&cfg).iter().map(|s| s.start).collect();
        assert_eq!(starts, [360, 1800, 3240, 4680], "daily, four times in 96 h");
        let night = Config {
            follow_night: true,
            ..cfg.clone()
        };
        let sweeps = update_sweeps(&night);
        assert_eq!(sweeps.len(), 4 * 24, "every zone at every landing");
        assert_eq!(
            sweeps[24].start,
            sweeps[0].start + 1440,
            "the first zone a day later"
        );
        let once = Config {
            update_every_h: 0,
            ..cfg
        };
        assert_eq!(update_sweeps(&once).len(), 1, "0: the update lands once");
    }
}
