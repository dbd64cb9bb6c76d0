//! The run's one random-number generator and the stateless hashes that stand in for stored data.
//!
//! Everything random in a run comes from [`SimRng`], seeded from the config's `seed` and owned by
//! the [`crate::Simulation`]. Facts that are fixed for a client (is it eligible to be a supernode?
//! which time zone? which supernodes are in its host cache?) are not stored at all: they are
//! derived from [`mix`] of the seed, the client and whatever else they depend on, so a million
//! clients cost no memory for them.

use rand::{RngExt, SeedableRng, TryRng};
use std::convert::Infallible;

/// The simulation's generator: PCG-64 with a multiplicative congruential step (O'Neill 2014),
/// `rand_pcg::Pcg64Mcg` draw for draw (seeded by it; a test holds the streams equal).
///
/// Portable (same stream on every platform and in wasm32) and fixed by `Cargo.lock`; never
/// `thread_rng`, `StdRng` or the browser's `Math.random`. A type of its own for one
/// multiplication: wasm has no 128-bit product, and the crate's `u128` step compiles there to a
/// call of the runtime's general multiply, its result passed back through memory, on every draw
/// (that call alone was 5% of a storm minute's instructions in the page, and the step in
/// `mul_by_multiplier_in_halves` saves 1.9% of them).
#[derive(Clone, PartialEq, Eq)]
pub struct SimRng {
    /// Always odd, as the crate keeps it.
    state: u128,
}

/// The generator's multiplier, `rand_pcg`'s.
const MULTIPLIER: u128 = 0x2360_ED05_1FC6_5DA4_4385_DF64_9FCC_F645;

/// A generator for a run's `seed`: `Pcg64Mcg::seed_from_u64(seed)`'s state.
pub fn seeded(seed: u64) -> SimRng {
    SimRng {
        state: rand_pcg::Pcg64Mcg::seed_from_u64(seed).state(),
    }
}

impl SimRng {
    /// A uniform draw from `lo..=hi` (`lo` at most `hi`), exactly as `random_range(lo..=hi)`.
    // In the page's wasm a function of its own, taking and giving plain numbers: wasm passes a
    // range through memory, which every restart and lost supernode would otherwise set up.
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn between(&mut self, lo: u32, hi: u32) -> u32 {
        self.random_range(lo..=hi)
    }
}

impl std::fmt::Debug for SimRng {
    // Like the crate's: a run's Debug need not print the generator's state.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SimRng")
    }
}

/// `state * MULTIPLIER` modulo 2^128 from 64-bit products: the low halves' full product (from
/// four 32-bit products) and the cross terms' low halves.
#[inline(always)]
fn mul_by_multiplier_in_halves(state: u128) -> u128 {
    let (lo, hi) = (state as u64, (state >> 64) as u64);
    let (m_lo, m_hi) = (MULTIPLIER as u64, (MULTIPLIER >> 64) as u64);
    let low32 = |x: u64| x & 0xFFFF_FFFF;
    let (a0, a1, b0, b1) = (low32(lo), lo >> 32, low32(m_lo), m_lo >> 32);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    let middle = (p00 >> 32) + low32(p01) + low32(p10);
    let carried = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
    let high = carried
        .wrapping_add(lo.wrapping_mul(m_hi))
        .wrapping_add(hi.wrapping_mul(m_lo));
    (u128::from(high) << 64) | u128::from(lo.wrapping_mul(m_lo))
}

/// `state * MULTIPLIER` modulo 2^128: in halves on wasm, the CPU's own product elsewhere.
#[inline(always)]
fn mul_by_multiplier(state: u128) -> u128 {
    if cfg!(target_arch = "wasm32") {
        mul_by_multiplier_in_halves(state)
    } else {
        state.wrapping_mul(MULTIPLIER)
    }
}

/// The crate's output of a state, XSL RR: the halves xored, rotated by the top six bits.
#[inline(always)]
fn output(state: u128) -> u64 {
    let xsl = ((state >> 64) as u64) ^ (state as u64);
    xsl.rotate_right((state >> 122) as u32)
}

impl TryRng for SimRng {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        self.try_next_u64().map(|word| word as u32)
    }

    /// The crate's step and output.
    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.state = mul_by_multiplier(self.state);
        Ok(output(self.state))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        rand::rand_core::utils::fill_bytes_via_next_word(dst, || self.try_next_u64())
    }
}

/// A 64-bit finaliser (SplitMix64, Steele et al. 2014): a good avalanche for cheap derived facts.
#[inline]
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Hashes several words into one, order-sensitively.
#[inline]
pub fn mix_all(words: &[u64]) -> u64 {
    words.iter().fold(0x5EED_u64, |h, &w| mix(h ^ w))
}

/// A uniform fraction in `[0, 1)` from a hash.
#[inline]
pub fn unit(h: u64) -> f64 {
    (h >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform integer in `[0, n)` from a hash (Lemire's multiply-shift; `n` must be positive).
#[inline]
pub fn below(h: u64, n: u32) -> u32 {
    ((u64::from(h as u32) * u64::from(n)) >> 32) as u32
}

/// A fixed permutation of `0..n` that scatters neighbours far apart: `i -> (i * m + 7) mod n`
/// with `m` coprime with `n`, near its golden ratio. Costs no memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scatter {
    n: u64,
    m: u64,
}

impl Scatter {
    /// The scatter of `0..n` (`n` at least 1).
    pub fn new(n: u64) -> Self {
        let n = n.max(1);
        let gcd = |mut a: u64, mut b: u64| {
            while b != 0 {
                (a, b) = (b, a % b);
            }
            a
        };
        let mut m = ((n as f64 * 0.618_033_988_7) as u64).max(1);
        while gcd(m, n) != 1 {
            m += 1;
        }
        Self { n, m }
    }

    /// Where `i` goes.
    #[inline]
    pub fn at(&self, i: u64) -> u64 {
        (i * self.m + 7) % self.n
    }

    /// Where each of `items` goes, in order: [`Scatter::at`] of each, a step from the last
    /// instead of a division each (a reboot wave walks tens of thousands a minute).
    #[inline]
    pub fn walk(self, items: std::ops::Range<u64>) -> Walk {
        Walk {
            at: self.at(items.start),
            step: self.step(),
            n: self.n,
            left: items.end.saturating_sub(items.start),
        }
    }

    /// How far one step moves (`at(i + 1) - at(i)`, modulo `n`).
    pub fn step(&self) -> u64 {
        self.m % self.n
    }
}

/// Indices in a fixed order: a [`Scatter`]'s, or in turn ([`Walk::in_turn`]).
#[derive(Clone, Debug)]
pub struct Walk {
    at: u64,
    step: u64,
    /// Where the walk wraps round (never, for one in turn).
    n: u64,
    left: u64,
}

impl Walk {
    /// `items` in turn.
    pub fn in_turn(items: std::ops::Range<u64>) -> Self {
        Self {
            at: items.start,
            step: 1,
            n: u64::MAX,
            left: items.end.saturating_sub(items.start),
        }
    }
}

impl Iterator for Walk {
    type Item = u64;

    #[inline]
    fn next(&mut self) -> Option<u64> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let here = self.at;
        self.at += self.step;
        if self.at >= self.n {
            self.at -= self.n;
        }
        Some(here)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, RngExt};

    #[test]
    fn the_generator_draws_the_crates_stream() {
        for seed in [0, 1, 42, 2007, u64::MAX] {
            let (mut ours, mut crates) = (seeded(seed), rand_pcg::Pcg64Mcg::seed_from_u64(seed));
            for _ in 0..2000 {
                assert_eq!(ours.next_u64(), crates.next_u64(), "seed {seed}: a u64");
                assert_eq!(ours.next_u32(), crates.next_u32(), "seed {seed}: a u32");
                assert_eq!(
                    ours.random_range(3..=17u32),
                    crates.random_range(3..=17u32),
                    "seed {seed}: a range"
                );
                let (mut a, mut b) = ([0u8; 13], [0u8; 13]);
                ours.fill_bytes(&mut a);
                crates.fill_bytes(&mut b);
                assert_eq!(a, b, "seed {seed}: bytes");
            }
        }
    }

    #[test]
    fn a_stream_stepped_in_halves_is_the_crates() {
        // The wasm path, natively: the crate's output from states stepped in halves.
        for seed in [0, 2007, u64::MAX] {
            let (mut state, mut crates) =
                (seeded(seed).state, rand_pcg::Pcg64Mcg::seed_from_u64(seed));
            for i in 0..5000 {
                state = mul_by_multiplier_in_halves(state);
                assert_eq!(output(state), crates.next_u64(), "seed {seed}: draw {i}");
            }
        }
    }

    #[test]
    fn the_product_in_halves_is_the_full_product() {
        let mut rng = seeded(7);
        let edges = [
            0,
            1,
            u128::from(u64::MAX),
            u128::MAX,
            1 << 64,
            (1 << 127) | 1,
        ];
        let draws =
            (0..10_000).map(|_| (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64()));
        for x in edges.into_iter().chain(draws) {
            assert_eq!(
                mul_by_multiplier_in_halves(x),
                x.wrapping_mul(MULTIPLIER),
                "{x:#x}"
            );
        }
    }

    #[test]
    fn same_seed_same_stream_other_seed_other_stream() {
        let a: Vec<u64> = (0..4)
            .map(|_| 0)
            .scan(seeded(7), |r, _: u64| Some(r.random()))
            .collect();
        let b: Vec<u64> = (0..4)
            .map(|_| 0)
            .scan(seeded(7), |r, _: u64| Some(r.random()))
            .collect();
        let c: Vec<u64> = (0..4)
            .map(|_| 0)
            .scan(seeded(8), |r, _: u64| Some(r.random()))
            .collect();
        assert_eq!(a, b, "a seed must replay its stream");
        assert_ne!(a, c, "different seeds must give different streams");
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut seen = [false; 10];
        for i in 0..1000 {
            let v = below(mix(i), 10);
            assert!(v < 10, "below(_, 10) gave {v}");
            seen[v as usize] = true;
        }
        assert!(
            seen.iter().all(|&s| s),
            "1000 hashes should hit all 10 values: {seen:?}"
        );
    }

    #[test]
    fn a_scatter_is_a_permutation() {
        for n in [1u64, 2, 10, 1440, 20_000, 99_991] {
            let s = Scatter::new(n);
            let mut seen = vec![false; n as usize];
            for i in 0..n {
                seen[s.at(i) as usize] = true;
            }
            assert!(seen.iter().all(|&x| x), "every one of {n} reached once");
        }
    }

    #[test]
    #[allow(
        clippy::reversed_empty_ranges,
        reason = "a reversed range must walk nowhere"
    )]
    fn a_walk_steps_where_at_goes() {
        for n in [1u64, 2, 10, 1440, 99_991] {
            let s = Scatter::new(n);
            let walked: Vec<u64> = s.walk(3..3 + 2 * n).collect();
            let each: Vec<u64> = (3..3 + 2 * n).map(|i| s.at(i)).collect();
            assert_eq!(walked, each, "a walk of {n} twice round");
            let far = (5 * n + 1)..(5 * n + 4);
            let walked: Vec<u64> = s.walk(far.clone()).collect();
            let each: Vec<u64> = far.map(|i| s.at(i)).collect();
            assert_eq!(walked, each, "a walk of {n} from past n");
            assert_eq!(s.walk(4..4).count(), 0, "an empty range walks nowhere");
            assert_eq!(s.walk(9..4).count(), 0, "a reversed range walks nowhere");
        }
        let in_turn: Vec<u64> = Walk::in_turn(7..11).collect();
        assert_eq!(in_turn, vec![7, 8, 9, 10], "in turn is the range itself");
        assert_eq!(
            Walk::in_turn(5..2).count(),
            0,
            "a reversed range in turn is empty"
        );
    }

    #[test]
    fn unit_is_a_fraction() {
        for i in 0..1000 {
            let u = unit(mix(i));
            assert!((0.0..1.0).contains(&u), "unit gave {u}");
        }
    }
}
