//! The dormant cohort: lock-step retries in a dead network, counted instead of replayed.
//!
//! Once no supernode is live, a client on the fixed retry fails every attempt the same way, a
//! minute (`retry_base_min`) after the last, without drawing a random number or touching a seat:
//! its host cache holds nothing live, whatever it holds. When every pending timer is such a
//! client's, in one tick's bucket, the engine freezes them into a cohort: one timer in the queue
//! stands for all of them, in their order, and each tick it fires it only counts their attempts.
//! Their per-client fields (failures, refill streak, host cache, timer generation) are replayed
//! in closed form when anything could tell: a seat becomes live, or a trigger restarts PCs. The
//! trace, and every client's state once thawed, are exactly what firing each timer would give.

use crate::client::{Clients, NO_SEAT, pack_timer, unpack_timer};

/// The timer standing for the cohort in the client queue: never a real client's (clients are
/// fewer than 2^24, so a packed client timer is below `0xFFFF_FF00`).
pub const COHORT_TIMER: u32 = u32::MAX;

/// Clients frozen in lock-step.
#[derive(Clone, Debug, Default)]
pub struct Cohort {
    /// The members' timers (packed client and generation) as they were when frozen, in queue
    /// order. Empty: no cohort.
    pub timers: Vec<u32>,
    /// Tick of the first failure not yet replayed.
    pub first: u32,
    /// Failures not yet replayed, at ticks `first`, `first + base`, and so on.
    pub fails: u32,
    /// The seats' `live_epoch` when frozen: the failures hold while it stays so.
    pub epoch: u32,
}

impl Cohort {
    /// True while clients are frozen.
    pub fn is_frozen(&self) -> bool {
        !self.timers.is_empty()
    }

    /// The tick the cohort's timer is due (`base`: the fixed retry interval).
    pub fn due(&self, base: u32) -> u32 {
        self.first + self.fails * base
    }

    /// Ends the cohort: replays its failures on every member (`memo`: the "nothing live" memo of
    /// its epoch; `base`: the retry interval; `bootstrap_after`: the refill threshold) and returns
    /// the members' timers as they now are, in order.
    pub fn thaw(
        &mut self,
        clients: &mut Clients,
        memo: u32,
        base: u32,
        bootstrap_after: u32,
    ) -> Vec<u32> {
        let mut timers = std::mem::take(&mut self.timers);
        let k = self.fails;
        if k > 0 {
            for timer in &mut timers {
                let (c, generation) = unpack_timer(*timer);
                let g = replay_failures(
                    clients,
                    c as usize,
                    generation,
                    k,
                    self.first,
                    base,
                    bootstrap_after,
                    memo,
                );
                *timer = pack_timer(c, g);
            }
        }
        *self = Self::default();
        timers
    }
}

/// Client `i` fails `k` (at least 1) attempts in a row at ticks `first`, `first + base`, ...,
/// with nothing live in its host cache (`memo` is what the supernode choice remembers for that),
/// and reschedules after each with timer generation `generation` bumped; returns the final
/// generation. Exactly what `k` calls of the engine's failure path do, in O(1).
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn replay_failures(
    clients: &mut Clients,
    i: usize,
    generation: u8,
    k: u32,
    first: u32,
    base: u32,
    bootstrap_after: u32,
    memo: u32,
) -> u8 {
    let life = &mut clients.life[i];
    life.failures = (u32::from(life.failures) + k).min(u32::from(u8::MAX)) as u8;
    let streak = u32::from(life.since_refill);
    // The failure (0-based) that first reaches the threshold refills the host cache.
    let need = bootstrap_after.saturating_sub(streak).max(1);
    let seat = if k < need {
        life.since_refill = (streak + k) as u8;
        memo
    } else {
        let last_refill = need - 1 + (k - need) / bootstrap_after * bootstrap_after;
        let after = k - 1 - last_refill;
        life.since_refill = after as u8;
        life.cache_at = first + last_refill * base;
        if after == 0 { NO_SEAT } else { memo }
    };
    let g = generation.wrapping_add((k % 256) as u8);
    life.timer_gen = g;
    clients.seat[i] = seat;
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One failure the slow way, as the engine's `choose_seat` + `fail` do it in a dead network.
    fn fail_once(clients: &mut Clients, i: usize, t: u32, bootstrap_after: u32, memo: u32) {
        clients.seat[i] = memo;
        clients.life[i].failures = clients.life[i].failures.saturating_add(1);
        let streak = clients.life[i].since_refill + 1;
        if u32::from(streak) >= bootstrap_after {
            clients.life[i].cache_at = t;
            clients.seat[i] = NO_SEAT;
            clients.life[i].since_refill = 0;
        } else {
            clients.life[i].since_refill = streak;
        }
        clients.life[i].timer_gen = clients.life[i].timer_gen.wrapping_add(1);
    }

    #[test]
    fn replaying_failures_matches_failing_one_by_one() {
        let memo = (1 << 31) | 77;
        for bootstrap_after in [1u32, 2, 5, 7, 255] {
            for base in [1u32, 3] {
                for start_streak in 0..bootstrap_after.min(9) {
                    for start_failures in [0u8, 3, 250] {
                        for k in 1..600u32 {
                            let mut slow = Clients::new(1);
                            slow.life[0].since_refill = start_streak as u8;
                            slow.life[0].failures = start_failures;
                            slow.life[0].timer_gen = 200;
                            slow.seat[0] = 12;
                            slow.life[0].cache_at = 4;
                            let mut fast = slow.clone();
                            for j in 0..k {
                                fail_once(&mut slow, 0, 50 + j * base, bootstrap_after, memo);
                            }
                            let g = replay_failures(
                                &mut fast,
                                0,
                                200,
                                k,
                                50,
                                base,
                                bootstrap_after,
                                memo,
                            );
                            assert_eq!(g, slow.life[0].timer_gen, "generation after {k} failures");
                            assert_eq!(
                                (&fast.life, &fast.seat),
                                (&slow.life, &slow.seat),
                                "{k} failures, threshold {bootstrap_after}, base {base}, streak {start_streak}"
                            );
                        }
                    }
                }
            }
        }
    }
}
