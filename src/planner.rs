//! Self-healing: the planner that promotes eligible clients so supernode capacity tracks demand,
//! and the switch that says what it counts as demand.
//!
//! Every `heal_interval_min` it compares demand with the live capacity at `target_load` and
//! promotes up to `heal_step_share` of the current core (at least one supernode). With
//! `attached` demand, a storm of failed logins is invisible to it: our hypothesis of the 2007 bug
//! that "prevented the self-healing function from working quickly".

use crate::client::{ClientState, Clients};
use crate::strategy::named_enum;
use crate::supernode::{Supernodes, is_eligible};
use crate::tick::Ctx;
use rand::RngExt;

named_enum! {
    /// What demand the self-healing planner sizes the supernode core for.
    PlannerDemand {
        /// Attached clients only: a storm of failed logins looks like no demand at all.
        Attached = "attached",
        /// Attached clients plus those waiting to log in.
        AttachedWaiting = "attached-waiting",
    }
}

/// Random draws the planner may spend looking for each client to promote.
const DRAWS_PER_PROMOTION: u32 = 64;

/// Clients the planner counts as demand, by the switch.
pub fn demand(ctx: &Ctx, clients: &Clients, sn: &Supernodes) -> f64 {
    let attached = sn.seats.active_attached as f64;
    match ctx.cfg.planner_demand {
        PlannerDemand::Attached => attached,
        PlannerDemand::AttachedWaiting => attached + f64::from(clients.count(ClientState::Waiting)),
    }
}

/// Supernodes the planner wants to add now: enough for the demand at the target load, at most
/// a step of the current core.
pub fn wanted(ctx: &Ctx, clients: &Clients, sn: &Supernodes) -> u32 {
    let cfg = ctx.cfg;
    let needed = demand(ctx, clients, sn) / cfg.target_load - sn.seats.active_capacity as f64;
    if needed <= 0.0 {
        return 0;
    }
    let deficit = (needed / f64::from(cfg.supernode_capacity)).ceil() as u32;
    let step = ((cfg.heal_step_share * f64::from(sn.seats.active)).ceil() as u32).max(1);
    deficit.min(step)
}

/// The planner acts: promotes up to [`wanted`] clients drawn at random among those online for
/// the warm-up, eligible, and not supernodes already.
pub fn plan(ctx: &mut Ctx, clients: &mut Clients, sn: &mut Supernodes) {
    let want = wanted(ctx, clients, sn);
    let (cfg, t) = (ctx.cfg, ctx.t);
    let mut promoted = 0;
    for _ in 0..want.saturating_mul(DRAWS_PER_PROMOTION) {
        if promoted == want {
            break;
        }
        let c = ctx.rng.random_range(0..cfg.clients);
        if clients.state_of(c) != ClientState::Online
            || t < clients.online_since(c) + cfg.supernode_warmup_min
            || sn.hosts.contains(c)
            || !is_eligible(ctx.seed_hash, cfg.eligible_share, c)
        {
            continue;
        }
        sn.promote(cfg, clients, c, t);
        promoted += 1;
    }
}
