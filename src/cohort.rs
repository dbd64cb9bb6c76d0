//! The dormant cohort: lock-step retries in a dead network, counted instead of replayed.
//!
//! Once no supernode is live, a client on the fixed retry fails every attempt the same way, a
//! minute (`retry_base_min`) after the last, without drawing a random number or touching a seat:
//! its host cache holds nothing live, whatever it holds. When every pending timer is such a
//! client's, in one tick's bucket, the engine freezes them into a cohort: one timer in the queue
//! stands for all of them, in their order, and each tick it fires it only counts their attempts.
//! Their per-client fields are brought up to date by the failure rule's closed form
//! ([`FailureRule::fail_repeatedly`]) when anything could tell: a seat becomes live, or a trigger
//! restarts PCs. The trace, and every client's state once thawed, are exactly what firing each
//! timer would give.

use crate::client::{ClientState, Clients, NO_SEAT, pack_timer, unpack_timer};
use crate::config::Config;
use crate::hostcache::none_live_memo;
use crate::lifecycle;
use crate::queue::TickQueue;
use crate::retry::{FailureRule, RetryPolicy};
use crate::seats::Seats;
use crate::supernode::Supernodes;
use crate::tick::Ctx;

/// The timer standing for the cohort in the client queue: never a real client's (clients are
/// fewer than 2^24, so a packed client timer is below `0xFFFF_FF00`).
pub const COHORT_TIMER: u32 = u32::MAX;

/// Clients frozen in lock-step.
#[derive(Clone, Debug, Default)]
pub struct Cohort {
    /// The members' timers (packed client and generation) as they were when frozen, in queue
    /// order. Empty: no cohort.
    timers: Vec<u32>,
    /// Tick of the first failure not yet replayed.
    first: u32,
    /// Failures not yet replayed, at ticks `first`, `first + base`, and so on.
    fails: u32,
    /// The seats' `live_epoch` when frozen: the failures hold while it stays so.
    epoch: u32,
}

impl Cohort {
    /// True while clients are frozen.
    pub fn is_frozen(&self) -> bool {
        !self.timers.is_empty()
    }

    /// Heap bytes held (capacity).
    pub fn heap_bytes(&self) -> usize {
        self.timers.capacity() * std::mem::size_of::<u32>()
    }

    /// The tick the cohort's timer is due (`base`: the fixed retry interval).
    fn due(&self, base: u32) -> u32 {
        self.first + self.fails * base
    }

    /// At the end of a tick: if the network is dead, retries are fixed, and every pending timer
    /// is a waiting client's, due in one tick, freeze those clients into a cohort.
    pub fn freeze(&mut self, ctx: &mut Ctx, clients: &Clients, seats: &Seats) {
        if self.is_frozen() || ctx.cfg.retry != RetryPolicy::Fixed || seats.active != 0 {
            return;
        }
        let due = ctx.t + ctx.cfg.retry_base_min;
        let pending = ctx.timers.bucket_len(due);
        let waiting = clients.count(ClientState::Waiting) as usize;
        // Every waiting client has a timer pending: if the queue is this bucket and as long as
        // there are waiting clients, and each timer is a waiting client's current one, each
        // waiting client has exactly one timer here and nothing else is pending.
        if pending == 0 || pending != ctx.timers.len() || pending != waiting {
            return;
        }
        let all_current = ctx.timers.bucket(due).all(|&timer| {
            clients.is_current(timer)
                && clients.state_of(unpack_timer(timer).0) == ClientState::Waiting
        });
        if !all_current {
            return;
        }
        *self = Cohort {
            timers: ctx.timers.swap_bucket(due, vec![COHORT_TIMER]),
            first: due,
            fails: 0,
            epoch: seats.live_epoch,
        };
    }

    /// The cohort's timer comes due: while the network stays dead its members all fail again,
    /// so count them and requeue the cohort; otherwise thaw it and fire each member's timer.
    pub fn come_due(&mut self, ctx: &mut Ctx, clients: &mut Clients, sn: &mut Supernodes) {
        if sn.seats.active == 0 && sn.seats.live_epoch == self.epoch {
            self.fails += 1;
            ctx.log.attempts += self.timers.len() as u32;
            ctx.timers
                .push(ctx.t + ctx.cfg.retry_base_min, COHORT_TIMER);
        } else {
            for timer in self.thaw(ctx.cfg, clients) {
                lifecycle::fire(ctx, clients, sn, timer);
            }
        }
    }

    /// Ends the cohort before it comes due (PCs are about to restart one by one), putting its
    /// members' timers back in its place in the queue.
    pub fn thaw_in_queue(
        &mut self,
        cfg: &Config,
        timers: &mut TickQueue<u32>,
        clients: &mut Clients,
    ) {
        if !self.is_frozen() {
            return;
        }
        let due = self.due(cfg.retry_base_min);
        let members = self.thaw(cfg, clients);
        let mut bucket = timers.swap_bucket(due, Vec::new());
        if let Some(at) = bucket.iter().position(|&x| x == COHORT_TIMER) {
            bucket.splice(at..=at, members);
        }
        timers.swap_bucket(due, bucket);
    }

    /// Ends the cohort, replaying its failures on every member (as the failure rule and the
    /// supernode choice would have left them: the "nothing live" memo of its epoch, or no seat
    /// after a refill); returns the members' timers as they now are, in order.
    fn thaw(&mut self, cfg: &Config, clients: &mut Clients) -> Vec<u32> {
        let mut timers = std::mem::take(&mut self.timers);
        let k = self.fails;
        if k > 0 {
            let rule = FailureRule::of(cfg);
            let memo = none_live_memo(self.epoch);
            for timer in &mut timers {
                let (c, generation) = unpack_timer(*timer);
                let i = c as usize;
                let refilled =
                    rule.fail_repeatedly(&mut clients.life[i], k, self.first, cfg.retry_base_min);
                clients.life[i].seat = if refilled { NO_SEAT } else { memo };
                // Each failure set a new timer.
                let g = generation.wrapping_add((k % 256) as u8);
                clients.life[i].timer_gen = g;
                *timer = pack_timer(c, g);
            }
        }
        *self = Self::default();
        timers
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::presets::build_config;
    use crate::sim::Simulation;

    /// Runs `cfg` with and without lock-step cohorts, tick by tick, comparing what every tick
    /// offers a recorder and, every `every` ticks and at the end, the whole state; `megas_at`
    /// adds mega-supernodes from outside at that minute. The cohort must have been frozen for
    /// at least `min_frozen` ticks, or the comparison would prove nothing. Returns the ticks
    /// frozen.
    fn compare(cfg: &Config, every: u32, megas_at: Option<(u32, u32)>, min_frozen: u32) -> u32 {
        let mut fast = Simulation::new(cfg.clone()).unwrap_or_else(|e| panic!("{e}"));
        let mut slow = fast.clone();
        slow.set_lockstep(false);
        let mut frozen = 0;
        while !slow.is_finished() {
            let t = slow.now_min();
            if let Some((_, n)) = megas_at.filter(|&(at, _)| at == t) {
                fast.add_megas(n);
                slow.add_megas(n);
            }
            fast.step();
            slow.step();
            frozen += u32::from(fast.is_frozen());
            assert_eq!(fast.observation(), slow.observation(), "minute {t}");
            assert_eq!(fast.happenings(), slow.happenings(), "events of minute {t}");
            assert!(!slow.is_frozen(), "the switch keeps clients apart");
            if t % every == 0 || slow.is_finished() {
                assert_eq!(
                    fast.state_text(),
                    slow.state_text(),
                    "state after minute {t}"
                );
            }
        }
        assert!(
            frozen >= min_frozen,
            "seed {}: frozen {frozen} ticks, expected {min_frozen}",
            cfg.seed
        );
        frozen
    }

    fn aug_2007(clients: u32, seed: u64, hours: u32) -> Config {
        let (clients, seed, hours) = (clients.to_string(), seed.to_string(), hours.to_string());
        let settings = [
            ("clients", clients.as_str()),
            ("seed", &seed),
            ("patch_at_min", "60"),
            ("duration_h", &hours),
        ];
        build_config("aug-2007", settings).unwrap_or_else(|e| panic!("{e}"))
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
            // Mega-supernodes from the scenario, and from outside, deep in the collapse.
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
            let mut cfg = aug_2007(2_400, seed, 16);
            cfg.crash_at_min = 600;
            cfg.crash_client_share = 0.3;
            cfg.crash_supernode_share = 0.5;
            compare(&cfg, 41, None, 100);
            cfg.crash_supernode_share = 0.0;
            cfg.crash_window_min = 30;
            compare(&cfg, 41, None, 100);
            // Time zones restart an hour apart on a network a crash has killed: each zone thaws
            // the cohort, which freezes again once its PCs are back.
            let mut cfg = aug_2007(2_400, seed, 30);
            cfg.follow_night = true;
            cfg.reboot_window_min = 20;
            (cfg.crash_at_min, cfg.crash_client_share) = (30, 0.5);
            cfg.crash_supernode_share = 1.0;
            compare(&cfg, 53, None, 300);
        }
    }

    #[test]
    fn other_retry_intervals_and_thresholds_give_the_same_run() {
        // With a longer interval the waiting clients fall into several ticks' buckets and never
        // freeze, unless they fail in step: here every PC (and no other) restarts in one minute
        // for the same three minutes, supernodes among them, and comes back to a dead network.
        for (seed, base, after) in [(1, 2, 3), (2, 3, 1), (3, 1, 7), (4, 5, 255), (5, 2, 2)] {
            let mut cfg = aug_2007(2_000, seed, 24);
            (cfg.reboot_share, cfg.reboot_window_min, cfg.churn_per_h) = (1.0, 1, 0.0);
            (cfg.reboot_shortest_min, cfg.reboot_longest_min) = (3, 3);
            cfg.retry_base_min = base;
            cfg.retry_cap_min = cfg.retry_cap_min.max(base);
            cfg.bootstrap_after_failures = after;
            cfg.mega_at_min = Some(1_000);
            compare(&cfg, 67, None, 500);
        }
        // December 2010 with every supernode crashing, and the megas of its sequel.
        for name in ["dec-2010", "dec-2010-mega"] {
            let settings = [
                ("clients", "2000"),
                ("duration_h", "40"),
                ("crash_supernode_share", "1"),
            ];
            let cfg = build_config(name, settings).unwrap_or_else(|e| panic!("{e}"));
            compare(&cfg, 113, None, 300);
        }
    }
}
