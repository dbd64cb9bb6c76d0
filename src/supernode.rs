//! Supernodes: the role a client takes, what a flooded one does (the overload switch), and how a
//! restarted one takes its role back.
//!
//! The seat table itself (who holds which address, capacities, counters) is `seats.rs`; here is
//! what happens to it: promotion, the starting core, handshakes, switching off, going down with
//! the host's PC, and coming back after a warm-up.

use crate::client::{ClientState, Clients, Clusters, NO_SEAT};
use crate::config::Config;
use crate::lifecycle;
use crate::queue::TickQueue;
use crate::rng::{mix_all, unit};
use crate::seats::{Hosts, MEGA_HOST, SeatStatus, Seats};
use crate::strategy::named_enum;
use crate::tick::{Ctx, Happening};

named_enum! {
    /// What a supernode does when flooded with more handshakes than it can take.
    Overload {
        /// Past `flood_factor * handshakes_per_min` attempts in a minute it drops its role and
        /// every attached client (the self-protection of the 2010 post-mortem).
        SwitchOff = "switch-off",
        /// Past the flood threshold it refuses every further handshake that minute but keeps
        /// its role and its clients.
        Shed = "shed",
        /// Never floods: beyond its handshake limit it answers "busy" with a fresh list of
        /// supernodes, so the client's next try goes elsewhere.
        AdmissionControl = "admission-control",
    }
}

/// Salt for the eligibility hash.
const SALT_ELIGIBLE: u64 = 0xE1E6;

/// The network's supernodes: the seat table, which client hosts which seat, and the seats
/// waiting for their restarted host to warm up.
#[derive(Clone, Debug, Default)]
pub struct Supernodes {
    /// Every seat.
    pub seats: Seats,
    /// The seat each supernode host holds.
    pub hosts: Hosts,
    /// Seats whose host may take its role back at that tick.
    pub warmups: TickQueue<u32>,
}

/// How a supernode answers a handshake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handshake {
    /// Accepted: the client is attached and logs in.
    Accepted,
    /// Refused; `fresh_list`: with a fresh list of supernodes (admission control).
    Refused {
        /// The client's host cache is refilled.
        fresh_list: bool,
    },
}

/// Whether client `c` could ever be a supernode (public IP, resources): a hash of the seed and
/// the client, true for `share` of them.
#[inline]
pub fn is_eligible(seed_hash: u64, share: f64, c: u32) -> bool {
    unit(mix_all(&[seed_hash, SALT_ELIGIBLE, u64::from(c)])) < share
}

impl Supernodes {
    /// No supernodes among `clients` clients.
    pub fn new(clients: u32) -> Self {
        Self {
            seats: Seats::default(),
            hosts: Hosts::new(clients),
            warmups: TickQueue::starting_at(0),
        }
    }

    /// Heap bytes held (capacity).
    pub fn heap_bytes(&self) -> usize {
        self.seats.heap_bytes() + self.hosts.heap_bytes() + self.warmups.heap_bytes()
    }

    /// Online client `c` becomes a supernode at tick `t` (an ordinary one of `cfg`), attached
    /// to itself. Returns its seat.
    pub fn promote(&mut self, cfg: &Config, clients: &mut Clients, c: u32, t: u32) -> u32 {
        let i = c as usize;
        if clients.life[i].seat != NO_SEAT {
            self.seats.detach(clients.life[i].seat);
        }
        let s = self
            .seats
            .open(c, t, cfg.supernode_capacity, cfg.handshakes_per_min);
        self.hosts.insert(c, s);
        self.seats.attach(s, c);
        clients.life[i].seat = s;
        s
    }
}

/// Promotes one eligible client in each of `normal_core` clusters of consecutive clients (see
/// [`Clusters`]) and attaches the rest of each cluster to it, so a run starts from a calm, evenly
/// loaded network whose clusters the page can draw as blocks. Clients that do not fit (only when
/// eligible clients are too few) go round the other supernodes, or wait.
pub fn start_core(
    ctx: &mut Ctx,
    clients: &mut Clients,
    sn: &mut Supernodes,
    normal_core: u32,
) -> Clusters {
    let cfg = ctx.cfg;
    let (seed_hash, share) = (ctx.seed_hash, cfg.eligible_share);
    // Never more than there are eligible clients: searching for ones that do not exist would
    // cost a scan of the population per missing supernode.
    let eligible = (0..cfg.clients)
        .filter(|&c| is_eligible(seed_hash, share, c))
        .count() as u64;
    let want = u64::from(normal_core).min(eligible) as u32;
    let clusters = Clusters::new(cfg.clients, want);
    let free = |c: u32, sn: &Supernodes| is_eligible(seed_hash, share, c) && !sn.hosts.contains(c);
    for j in 0..want {
        // The eligible client nearest the middle of its cluster (drawn there), else any.
        let (from, to) = (clusters.start(j), clusters.start(j + 1));
        let mid = from + (to - from) / 2;
        let found = (mid..to)
            .chain((from..mid).rev())
            .chain(to..cfg.clients)
            .chain(0..from)
            .find(|&c| free(c, sn));
        let Some(c) = found else { break };
        sn.promote(cfg, clients, c, ctx.t);
    }
    attach_clusters(ctx, clients, sn, clusters);

    clusters
}

/// Attaches each client to the supernode of its cluster; those that do not fit (only when
/// eligible clients are too few) go round the other supernodes, or wait.
fn attach_clusters(ctx: &mut Ctx, clients: &mut Clients, sn: &mut Supernodes, clusters: Clusters) {
    let cfg = ctx.cfg;
    // With no supernode at all (a small population whose hashes made no client eligible),
    // every client waits: none can be online without one.
    let k = sn.seats.len() as u32;
    let mut next = 0;
    // Seats fill in turn, so once a whole round finds every seat full, all stay full.
    let mut all_full = false;
    for c in 0..cfg.clients {
        if clients.life[c as usize].seat != NO_SEAT {
            continue;
        }
        let home = clusters.of(c);
        if home < k && sn.seats.attached(home) < cfg.supernode_capacity {
            sn.seats.attach(home, c);
            clients.life[c as usize].seat = home;
            continue;
        }
        // Skip full seats (only possible when the eligible clients are too few).
        for _ in 0..if all_full { 0 } else { k } {
            let s = next % k;
            next += 1;
            if sn.seats.attached(s) < cfg.supernode_capacity {
                sn.seats.attach(s, c);
                clients.life[c as usize].seat = s;
                break;
            }
        }
        if clients.life[c as usize].seat == NO_SEAT {
            all_full = true;
            clients.set_state(c, ClientState::Waiting);
            lifecycle::wait_to_retry(ctx, clients, c, 1);
        }
    }
}

/// Seat `s` receives a handshake: by the overload switch, a flooded supernode switches itself
/// off or sheds it; otherwise it is accepted while the seat has handshakes and room left this
/// minute (an accepted one is counted; attaching the client is the caller's).
pub fn handshake(ctx: &mut Ctx, clients: &mut Clients, sn: &mut Supernodes, s: u32) -> Handshake {
    let attempts = sn.seats.count_attempt(s);
    let limit = sn.seats.handshake_limit(s);
    let overload = ctx.cfg.overload;
    if f64::from(attempts) > ctx.cfg.flood_factor * f64::from(limit) {
        match overload {
            // Mega-supernodes are the engineers' servers: they shed, never switch off.
            Overload::SwitchOff if sn.seats.host(s) != MEGA_HOST => {
                switch_off(ctx, clients, sn, s);
                return Handshake::Refused { fresh_list: false };
            }
            Overload::SwitchOff | Overload::Shed => {
                return Handshake::Refused { fresh_list: false };
            }
            Overload::AdmissionControl => {}
        }
    }
    if sn.seats.accept(s) {
        Handshake::Accepted
    } else {
        Handshake::Refused {
            fresh_list: overload == Overload::AdmissionControl,
        }
    }
}

/// A flooded supernode drops its role and everyone on it (its host too: it must log in again).
fn switch_off(ctx: &mut Ctx, clients: &mut Clients, sn: &mut Supernodes, s: u32) {
    ctx.log.happenings.push(Happening::SwitchOff { seat: s });
    let host = sn.seats.host(s);
    sn.hosts.remove(host);
    drop_members(ctx, clients, sn, s, NO_SEAT);
    sn.seats.set_status(s, SeatStatus::Vacant, ctx.t);
}

/// The host of live seat `s` restarts: everyone on it is dropped; the seat waits for its host.
pub fn go_down(ctx: &mut Ctx, clients: &mut Clients, sn: &mut Supernodes, s: u32) {
    ctx.log
        .happenings
        .push(Happening::SupernodeDown { seat: s });
    let host = sn.seats.host(s);
    drop_members(ctx, clients, sn, s, host);
    sn.seats.set_status(s, SeatStatus::Down, ctx.t);
    sn.seats.drop_attached(s);
}

/// Every client attached to seat `s` (but `keep`) loses it.
fn drop_members(ctx: &mut Ctx, clients: &mut Clients, sn: &mut Supernodes, s: u32, keep: u32) {
    for chunk in sn.seats.members_of(s) {
        clients.read_ahead(chunk.iter().copied());
        for &c in chunk {
            if c != keep
                && clients.life[c as usize].seat == s
                && matches!(
                    clients.state_of(c),
                    ClientState::Online | ClientState::LoggingIn
                )
            {
                lifecycle::lose_supernode(ctx, clients, c);
            }
        }
    }
    sn.seats.clear_members(s);
}

/// Seats whose host has been back online for `supernode_warmup_min` take their role back.
pub fn take_back_roles(ctx: &mut Ctx, clients: &mut Clients, sn: &mut Supernodes) {
    let t = ctx.t;
    for s in sn.warmups.pop_due(t).into_iter().flatten() {
        let host = sn.seats.host(s);
        if sn.seats.status(s) != SeatStatus::Down || host >= MEGA_HOST {
            continue;
        }
        let h = host as usize;
        if clients.state_of(host) != ClientState::Online
            || t < clients.online_since(host) + ctx.cfg.supernode_warmup_min
        {
            continue;
        }
        if clients.life[h].seat != NO_SEAT {
            sn.seats.detach(clients.life[h].seat);
        }
        sn.seats.set_status(s, SeatStatus::Active, t);
        sn.seats.attach(s, host);
        clients.life[h].seat = s;
    }
}
