//! Host caches and the supernode-choice switch: which supernode a client knocks on.
//!
//! A client's cache is the `host_cache_size` seats its hash picks among the seats that existed
//! when it was last filled (at its last login, or a bootstrap refill). Nothing is stored: an
//! entry is derived from (seed, client, slot, fill tick), so a million caches cost no memory.
//! An entry whose supernode has switched off since, or whose seat was reused, is dead.

use crate::client::Clients;
use crate::rng::{below, mix};
use crate::seats::Seats;
use crate::strategy::named_enum;
use crate::tick::Ctx;
use rand::RngExt;

named_enum! {
    /// How a logging-in client picks a supernode from its host cache.
    SupernodeChoice {
        /// The first live entry, whatever its load: every client keeps knocking on the same door.
        FirstLive = "first-live",
        /// A live entry chosen uniformly at random.
        Random = "random",
        /// The less loaded of two random live entries, by the load hint in the cache.
        BestOfTwo = "best-of-two",
    }
}

/// Largest host cache (the knob's maximum).
const MAX_CACHE: usize = 200;
/// A waiting client's memo meaning "nothing in my cache was live at this `live_epoch`".
const NONE_LIVE: u32 = 1 << 31;

/// The memo "nothing in my host cache was live" for seat-table epoch `epoch`: a waiting client
/// keeps it in its seat field, so a dead network costs no rescans until a seat comes back.
#[inline]
pub fn none_live_memo(epoch: u32) -> u32 {
    NONE_LIVE | (epoch & !NONE_LIVE)
}

/// Picks one of the live host-cache entries `live` (non-empty) by the supernode-choice switch;
/// `load(s)` is the load hint of entry `s` and `draw(n)` a uniform index below `n`.
/// `first-live` takes `live[0]`: the caller lists entries in cache order.
pub fn pick(
    choice: SupernodeChoice,
    live: &[u32],
    load: impl Fn(u32) -> f64,
    mut draw: impl FnMut(usize) -> usize,
) -> u32 {
    match (choice, live.len()) {
        (_, 0 | 1) | (SupernodeChoice::FirstLive, _) => live[0],
        (SupernodeChoice::Random, n) => live[draw(n)],
        (SupernodeChoice::BestOfTwo, n) => {
            // Two distinct entries: the second skips the first.
            let i = draw(n);
            let j = (i + 1 + draw(n - 1)) % n;
            let (a, b) = (live[i], live[j]);
            if load(b) < load(a) { b } else { a }
        }
    }
}

/// The seed of client `c`'s host cache as filled at tick `r`.
#[inline]
fn cache_base(seed_hash: u64, c: u32, r: u32) -> u64 {
    mix(seed_hash ^ mix((u64::from(c) << 32) | u64::from(r)))
}

/// The seat in slot `slot` of a host cache (seeded `base`, filled at tick `r` from the `len`
/// seats that existed then). Live or not now; `None` if the slot holds nothing usable.
#[inline(always)]
fn cache_entry(seats: &Seats, base: u64, slot: u32, r: u32, len: u32) -> Option<u32> {
    let h1 = mix(base.wrapping_add(u64::from(slot).wrapping_mul(0x9E37_79B9_7F4A_7C15)));
    let h2 = mix(h1);
    // Four probes from two hashes: a slot that lands on a seat empty at tick r tries again.
    for h in [h1, h1 >> 32, h2, h2 >> 32] {
        let s = below(h, len);
        if seats.held_at(s, r) {
            return Some(s);
        }
    }
    None
}

/// The live entry of client `c`'s cache at `slot`, if that slot holds one. Always inlined, like
/// `cache_entry`: a login tries one slot or more, a million times a storm minute.
#[inline(always)]
fn live_entry(seats: &Seats, base: u64, slot: u32, r: u32, len: u32) -> Option<u32> {
    cache_entry(seats, base, slot, r, len).filter(|&s| seats.is_active(s))
}

/// Picks the seat client `c` tries, by the supernode-choice switch; `None` if no entry of its
/// host cache is live. Waiting clients remember their `first-live` target, or that nothing was
/// live as of the seat table's `live_epoch`, so a collapsed network costs no rescans.
// Always inlined into its one caller: wasm returns an `Option` through memory, and a call would
// write and read one on every attempt.
#[inline(always)]
pub fn choose_seat(ctx: &mut Ctx, clients: &mut Clients, seats: &Seats, c: u32) -> Option<u32> {
    let i = c as usize;
    let epoch_memo = none_live_memo(seats.live_epoch);
    let memo = clients.life[i].seat;
    if memo == epoch_memo {
        return None;
    }
    if seats.active == 0 {
        clients.life[i].seat = epoch_memo;
        return None;
    }
    let r = clients.life[i].cache_at;
    let len = seats.len_at(r);
    let slots = ctx.cfg.host_cache_size;
    let base = cache_base(ctx.seed_hash, c, r);
    let choice = match ctx.cfg.supernode_choice {
        SupernodeChoice::FirstLive => {
            // The remembered target, while it is live and was in the cache when it was filled.
            if memo < NONE_LIVE && seats.is_active(memo) && seats.since(memo) <= r {
                return Some(memo);
            }
            (0..slots).find_map(|k| live_entry(seats, base, k, r, len))
        }
        choice => {
            Some(choose_by_draw(ctx, seats, choice, base, r, len)).filter(|&s| s != NONE_LIVE)
        }
    };
    clients.life[i].seat = choice.unwrap_or(epoch_memo);
    choice
}

/// The live entries of a host cache (`base`, filled at tick `r`, `len` seats then), one of them
/// picked by a drawing `choice` ([`NONE_LIVE`] if none is live). Apart from [`choose_seat`]: its
/// list of up to [`MAX_CACHE`] entries is memory that the first-live choice of 2007, in the page's
/// wasm, would otherwise set up on every attempt; a plain number, not an `Option`, because wasm
/// returns a pair through memory, which the caller would set up on every attempt too.
#[inline(never)]
fn choose_by_draw(
    ctx: &mut Ctx,
    seats: &Seats,
    choice: SupernodeChoice,
    base: u64,
    r: u32,
    len: u32,
) -> u32 {
    let mut live = [0u32; MAX_CACHE];
    let mut n = 0;
    for k in 0..ctx.cfg.host_cache_size {
        if let Some(s) = live_entry(seats, base, k, r, len) {
            live[n] = s;
            n += 1;
        }
    }
    if n == 0 {
        return NONE_LIVE;
    }
    let rng = &mut *ctx.rng;
    pick(
        choice,
        &live[..n],
        |s| seats.load(s),
        |k| rng.random_range(0..k),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_live_takes_the_first_and_best_of_two_the_less_loaded() {
        let live = [7, 3, 9];
        let load = |s: u32| f64::from(s);
        assert_eq!(
            pick(SupernodeChoice::FirstLive, &live, load, |_| 2),
            7,
            "first-live ignores load and draws"
        );
        // Draws 0 then 0: entries 0 and 1, loads 7 and 3.
        assert_eq!(
            pick(SupernodeChoice::BestOfTwo, &live, load, |_| 0),
            3,
            "the less loaded of the two drawn"
        );
        assert_eq!(
            pick(SupernodeChoice::Random, &live, load, |_| 2),
            9,
            "random takes the drawn entry"
        );
    }

    #[test]
    fn the_none_live_memo_is_never_a_seat_and_follows_the_epoch() {
        let (a, b) = (none_live_memo(5), none_live_memo(6));
        assert!(
            a >= NONE_LIVE && b >= NONE_LIVE,
            "memos are above every seat"
        );
        assert_ne!(a, b, "a new epoch invalidates the memo");
    }
}
