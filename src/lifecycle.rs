//! The client life cycle: `Online` -> `Rebooting` -> `Waiting` -> `LoggingIn` -> `Online`, and
//! back to `Waiting` when a client loses its supernode (MODEL.md Part 2).
//!
//! A restarted PC makes its first login attempt as soon as it is back; a failed attempt waits on
//! its retry timer (the retry switch, `retry.rs`); an accepted handshake logs in a minute later.

use crate::client::{ClientState, Clients, NO_SEAT, unpack_timer};
use crate::hostcache::choose_seat;
use crate::retry::{FailureRule, delay_min};
use crate::supernode::{self, Handshake, Supernodes};
use crate::tick::Ctx;

/// A client timer comes due (ignored if it was replaced since).
#[inline]
pub fn fire(ctx: &mut Ctx, clients: &mut Clients, sn: &mut Supernodes, timer: u32) {
    if !clients.is_current(timer) {
        return;
    }
    let (c, _) = unpack_timer(timer);
    match clients.state_of(c) {
        ClientState::Rebooting | ClientState::Waiting => attempt(ctx, clients, sn, c),
        ClientState::LoggingIn => complete_login(ctx, clients, sn, c),
        ClientState::Online => {}
    }
}

/// Client `c`'s PC restarts (the update, the crash or an everyday restart); a supernode host
/// takes its seat down with it.
pub fn restart(ctx: &mut Ctx, clients: &mut Clients, sn: &mut Supernodes, c: u32) {
    let i = c as usize;
    let state = clients.state_of(c);
    if state == ClientState::Rebooting {
        return;
    }
    match sn.hosts.get(c) {
        Some(s) if sn.seats.is_active(s) => supernode::go_down(ctx, clients, sn, s),
        _ => {
            if matches!(state, ClientState::Online | ClientState::LoggingIn)
                && clients.life[i].seat != NO_SEAT
            {
                sn.seats.detach(clients.life[i].seat);
            }
        }
    }
    clients.life[i].seat = NO_SEAT;
    clients.set_state(c, ClientState::Rebooting);
    let (lo, hi) = (ctx.cfg.reboot_shortest_min, ctx.cfg.reboot_longest_min);
    let d = ctx.rng.between(lo, hi);
    clients.schedule(ctx.timers, c, ctx.t + d);
}

/// Client `c` tries to log in through a supernode from its host cache.
// In the page's wasm a function of its own, like `complete_login`: V8 allocates registers for
// the two paths of a timer apart: 1.3% fewer instructions in a storm minute. Native, inlined.
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline)]
fn attempt(ctx: &mut Ctx, clients: &mut Clients, sn: &mut Supernodes, c: u32) {
    ctx.log.attempts += 1;
    let Some(s) = choose_seat(ctx, clients, &sn.seats, c) else {
        fail(ctx, clients, c, false);
        return;
    };
    match supernode::handshake(ctx, clients, sn, s) {
        Handshake::Accepted => {
            sn.seats.attach(s, c);
            clients.life[c as usize].seat = s;
            clients.set_state(c, ClientState::LoggingIn);
            clients.schedule(ctx.timers, c, ctx.t + 1);
        }
        Handshake::Refused { fresh_list } => fail(ctx, clients, c, fresh_list),
    }
}

/// A failed attempt: the failure rule (count it, maybe refill the host cache), then wait to
/// retry. `fresh_list`: the supernode answered "busy" with a fresh list of supernodes.
#[inline]
fn fail(ctx: &mut Ctx, clients: &mut Clients, c: u32, fresh_list: bool) {
    let i = c as usize;
    if FailureRule::of(ctx.cfg).fail(&mut clients.life[i], ctx.t, fresh_list) {
        // A refilled cache: nothing remembered from the old one.
        clients.life[i].seat = NO_SEAT;
    }
    if clients.state_of(c) != ClientState::Waiting {
        clients.set_state(c, ClientState::Waiting);
    }
    let failures = u32::from(clients.life[i].failures);
    wait_to_retry(ctx, clients, c, failures);
}

/// Client `c` waits on its retry timer after its `failures`-th failure in a row.
#[inline]
pub fn wait_to_retry(ctx: &mut Ctx, clients: &mut Clients, c: u32, failures: u32) {
    let d = delay_min(ctx.cfg, failures, ctx.rng);
    clients.schedule(ctx.timers, c, ctx.t + d);
}

/// The login server finishes client `c`'s login: it is online, its host cache fresh; a
/// supernode host starts warming up to take its role back.
#[cfg_attr(target_arch = "wasm32", inline(never))]
fn complete_login(ctx: &mut Ctx, clients: &mut Clients, sn: &mut Supernodes, c: u32) {
    let (i, t) = (c as usize, ctx.t);
    ctx.log.logins += 1;
    clients.set_state(c, ClientState::Online);
    let life = &mut clients.life[i];
    life.failures = 0;
    life.since_refill = 0;
    life.cache_at = t;
    if let Some(s) = sn.hosts.get(c) {
        sn.warmups.push(t + ctx.cfg.supernode_warmup_min, s);
    }
}

/// Client `c` lost its supernode: it notices at its next keep-alive (uniform over the interval;
/// with a one-minute interval, after a first retry delay) and logs in again.
pub fn lose_supernode(ctx: &mut Ctx, clients: &mut Clients, c: u32) {
    clients.life[c as usize].seat = NO_SEAT;
    clients.set_state(c, ClientState::Waiting);
    let every = ctx.cfg.keepalive_min;
    if every > 1 {
        let d = ctx.rng.between(1, every);
        clients.schedule(ctx.timers, c, ctx.t + d);
    } else {
        wait_to_retry(ctx, clients, c, 1);
    }
}
