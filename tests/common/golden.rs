//! A short run whose trace digest is pinned, shared by the native and the browser tests: if the
//! engine gave a different trace on wasm32 than natively, one of the two would fail.
//! (After a deliberate change to the model, update the digest from the native test's message.)

use loginstorm::{Config, Run};

/// The digest of [`short_run`]'s trace.
pub const SHORT_RUN_DIGEST: u64 = 0xfe3f_7792_af48_6f17;

/// August 2007 at 2,000 clients, the update at minute 60, eight hours.
pub fn short_run() -> u64 {
    let cfg = Config {
        clients: 2_000,
        seed: 7,
        patch_at_min: 60,
        duration_h: 8,
        ..Config::default()
    };
    let mut sim = Run::new(cfg).unwrap_or_else(|e| panic!("valid config: {e}"));
    sim.run_to_end();
    sim.trace_digest()
}
