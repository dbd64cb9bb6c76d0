//! After a failed login: the retry switch (how long to wait), and the failure rule (count the
//! failure; refill the host cache from the bootstrap list after too many in a row).
//!
//! The failure rule is written once, in [`FailureRule`], at two speeds: one failure at a time for
//! a client that acts alone, and `k` failures in closed form for the dormant cohort of a dead
//! network (`cohort.rs`), which must end exactly where `k` single failures would.

use crate::client::Life;
use crate::config::Config;
use crate::rng::SimRng;
use crate::strategy::named_enum;

named_enum! {
    /// How long a client waits after a failed login before trying again.
    RetryPolicy {
        /// Always `retry_base_min`, no jitter: failed clients retry in lock-step.
        Fixed = "fixed",
        /// `retry_base_min * 2^failures`, capped at `retry_cap_min`, no jitter.
        Exponential = "exponential",
        /// Uniform in `[0, min(cap, base * 2^failures)]` ("full jitter", Brooker 2015).
        ExponentialJitter = "exponential-jitter",
        /// A retry budget (a token bucket, Brooker 2022): full jitter while the client has
        /// tokens, [`RETRY_TOKENS`] of them, one a retry; then fresh tries only, at the
        /// application's reconnect pace, uniform in `[cap / 2, cap]`.
        RetryBudget = "retry-budget",
        /// A client-side circuit breaker on retries (Brooker 2022): every `retry_base_min`
        /// until [`BREAKER_OPENS_AFTER`] failures in a row open it; then one probe every
        /// `retry_cap_min`, a fixed time, as a breaker's timeout is.
        CircuitBreaker = "circuit-breaker",
    }
}

/// Retries in a client's token bucket when it loses its connection. A connected client's
/// successful keep-alives each drop a fraction of a token into the bucket, so one that was
/// online a while has it full; a failing client earns none, so after these it stops retrying.
/// (The AWS SDKs' retry quota works this way; three is their default number of attempts.)
pub const RETRY_TOKENS: u32 = 3;

/// Failed logins in a row that open a client's circuit breaker: its last ten calls were
/// keep-alives that succeeded, so the fifth failure makes half of them failures, a common
/// threshold.
pub const BREAKER_OPENS_AFTER: u32 = 5;

/// Minutes to wait after the `failures`-th failed login in a row (at least 1), by the retry
/// switch. Full jitter and the retry budget draw from `rng`.
#[inline(always)]
pub fn delay_min(cfg: &Config, failures: u32, rng: &mut SimRng) -> u32 {
    // The fixed retry of 2007 on its own, inlined where clients fail by the million; the other
    // policies behind a call, which the page's build would otherwise set up for every failure.
    match cfg.retry {
        RetryPolicy::Fixed => cfg.retry_base_min,
        _ => varying_delay_min(cfg, failures, rng),
    }
}

/// [`delay_min`] of the retry switches but the fixed one (which it also answers, for a whole
/// match).
#[inline(never)]
fn varying_delay_min(cfg: &Config, failures: u32, rng: &mut SimRng) -> u32 {
    let base = cfg.retry_base_min;
    let backoff = || {
        base.saturating_mul(1u32 << failures.saturating_sub(1).min(20))
            .min(cfg.retry_cap_min)
    };
    let cap = cfg.retry_cap_min;
    match cfg.retry {
        RetryPolicy::Fixed => base,
        RetryPolicy::Exponential => backoff(),
        RetryPolicy::ExponentialJitter => rng.between(0, backoff()).max(1),
        RetryPolicy::RetryBudget if failures <= RETRY_TOKENS => rng.between(0, backoff()).max(1),
        RetryPolicy::RetryBudget => rng.between(cap / 2, cap).max(1),
        RetryPolicy::CircuitBreaker if failures < BREAKER_OPENS_AFTER => base,
        RetryPolicy::CircuitBreaker => cap,
    }
}

/// What a failed login does to a client's record: one more failure in a row (the exponent of the
/// backoff), and a host cache refilled from the bootstrap list after `bootstrap_after` failures
/// in a row, or at once when a supernode answered "busy" with a fresh list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailureRule {
    /// Failed logins in a row that make a client refill its host cache (at least 1).
    pub bootstrap_after: u32,
}

impl FailureRule {
    /// The rule of `cfg`.
    pub fn of(cfg: &Config) -> Self {
        Self {
            bootstrap_after: cfg.bootstrap_after_failures,
        }
    }

    /// One failed login at tick `t`; `fresh_list`: the supernode answered busy with a fresh list
    /// of supernodes. Returns true if the host cache was refilled (its entries are now those of
    /// tick `t`).
    #[inline]
    pub fn fail(self, life: &mut Life, t: u32, fresh_list: bool) -> bool {
        life.failures = life.failures.saturating_add(1);
        let streak = life.since_refill + 1;
        if fresh_list || u32::from(streak) >= self.bootstrap_after {
            life.cache_at = t;
            life.since_refill = 0;
            true
        } else {
            life.since_refill = streak;
            false
        }
    }

    /// `k` failed logins in a row, none with a fresh list, at ticks `first`, `first + every`, and
    /// so on: exactly what `k` calls of [`FailureRule::fail`] do, in O(1). Returns true if the
    /// last of them refilled the host cache (`false`, and nothing changed, when `k` is 0).
    pub fn fail_repeatedly(self, life: &mut Life, k: u32, first: u32, every: u32) -> bool {
        if k == 0 {
            return false;
        }
        let after = self.bootstrap_after.max(1);
        life.failures = (u32::from(life.failures) + k).min(u32::from(u8::MAX)) as u8;
        let streak = u32::from(life.since_refill);
        // The failure (0-based) that first reaches the threshold refills the host cache; after
        // it, every `after`-th one does.
        let need = after.saturating_sub(streak).max(1);
        if k < need {
            life.since_refill = (streak + k) as u8;
            return false;
        }
        let last_refill = need - 1 + (k - need) / after * after;
        let since = k - 1 - last_refill;
        life.since_refill = since as u8;
        life.cache_at = first + last_refill * every;
        since == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failing_repeatedly_is_failing_one_at_a_time() {
        // Every threshold, streak and count up to a few refills; tests/properties.rs checks
        // random states too.
        for bootstrap_after in [1u32, 2, 5, 7, 255] {
            let rule = FailureRule { bootstrap_after };
            for every in [1u32, 3] {
                for streak in 0..bootstrap_after.min(9) {
                    for failures in [0u8, 3, 250] {
                        let start = Life {
                            cache_at: 4,
                            timer_gen: 200,
                            failures,
                            since_refill: streak as u8,
                            ..Life::default()
                        };
                        let mut slow = start;
                        for k in 1..600u32 {
                            let refilled = rule.fail(&mut slow, 50 + (k - 1) * every, false);
                            let mut fast = start;
                            let fast_refilled = rule.fail_repeatedly(&mut fast, k, 50, every);
                            assert_eq!(
                                (fast, fast_refilled),
                                (slow, refilled),
                                "{k} failures, threshold {bootstrap_after}, every {every}, streak {streak}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_fresh_list_refills_at_once() {
        let rule = FailureRule { bootstrap_after: 5 };
        let mut life = Life::default();
        assert!(!rule.fail(&mut life, 7, false), "one failure of five");
        assert!(
            rule.fail(&mut life, 8, true),
            "a busy answer with a fresh list"
        );
        assert_eq!(
            (life.cache_at, life.since_refill, life.failures),
            (8, 0, 2),
            "refilled at 8, streak reset, failures still counted"
        );
    }

    #[test]
    fn delays_follow_the_switch() {
        let mut rng = crate::rng::seeded(1);
        let mut cfg = Config {
            retry_base_min: 2,
            retry_cap_min: 30,
            ..Config::default()
        };
        cfg.retry = RetryPolicy::Fixed;
        assert_eq!(delay_min(&cfg, 9, &mut rng), 2, "fixed: the base, always");
        cfg.retry = RetryPolicy::Exponential;
        let plain: Vec<u32> = (1..=6).map(|f| delay_min(&cfg, f, &mut rng)).collect();
        assert_eq!(plain, [2, 4, 8, 16, 30, 30], "doubling up to the cap");
        cfg.retry = RetryPolicy::ExponentialJitter;
        let jitter: Vec<u32> = (0..200).map(|_| delay_min(&cfg, 6, &mut rng)).collect();
        assert!(
            jitter.iter().all(|&d| (1..=30).contains(&d)),
            "within 1 to the cap"
        );
        assert!(
            jitter.iter().min() < Some(&8) && jitter.iter().max() > Some(&22),
            "spread over the range: {jitter:?}"
        );
        cfg.retry = RetryPolicy::RetryBudget;
        let spent: Vec<u32> = (0..200)
            .map(|_| delay_min(&cfg, RETRY_TOKENS, &mut rng))
            .collect();
        assert!(
            spent.iter().all(|&d| (1..=8).contains(&d)),
            "with a token left: full jitter up to base * 2^2"
        );
        let broke: Vec<u32> = (0..200)
            .map(|_| delay_min(&cfg, RETRY_TOKENS + 1, &mut rng))
            .collect();
        assert!(
            broke.iter().all(|&d| (15..=30).contains(&d))
                && broke.iter().min() < Some(&18)
                && broke.iter().max() > Some(&27),
            "out of tokens: fresh tries from half the cap to the cap: {broke:?}"
        );
        cfg.retry = RetryPolicy::CircuitBreaker;
        let breaker: Vec<u32> = (1..=7).map(|f| delay_min(&cfg, f, &mut rng)).collect();
        assert_eq!(
            breaker,
            [2, 2, 2, 2, 30, 30, 30],
            "the base until the fifth failure opens the breaker; then the cap, not jittered"
        );
    }
}
