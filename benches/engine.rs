//! Engine benchmarks: the cost of a tick in a storm and on a calm day at 100k and 1M clients,
//! memory per client, and a whole 96 h `aug-2007` run at 100k clients.
//!
//! `make bench` (or `cargo bench --bench engine`). Goals (issue 3): storm tick at 1M under 3 ms,
//! under 32 bytes per client, a whole 100k run under 1 s.

// criterion is a native dev-dependency; on wasm32 this bench is an empty program.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::{BatchSize, Criterion, criterion_group};
    use loginstorm::presets::preset;
    use loginstorm::{Config, Run};
    use std::hint::black_box;

    fn config(name: &str, clients: u32) -> Config {
        Config {
            clients,
            ..preset(name).map(|p| p.config).unwrap_or_default()
        }
    }

    /// A simulation of `name` at `clients`, run up to minute `t`.
    fn at(name: &str, clients: u32, t: u32) -> Run {
        let mut sim = Run::new(config(name, clients)).unwrap_or_else(|e| panic!("{e}"));
        sim.step_until(t);
        sim
    }

    fn ticks(c: &mut Criterion) {
        for clients in [100_000u32, 1_000_000] {
            let calm = at("calm-day", clients, 120);
            // Mid-wave (the update lands at 360) and deep in the collapse, where every waiting
            // client retries every minute.
            let wave = at("aug-2007", clients, 390);
            let collapsed = at("aug-2007", clients, 600);
            for (label, sim) in [
                ("calm", &calm),
                ("storm (mid-wave)", &wave),
                ("storm (collapsed)", &collapsed),
            ] {
                let last = sim.trace().last().copied();
                println!(
                    "{label} at {clients} clients: {:.1} bytes/client, {} login attempts in the last tick",
                    sim.state_bytes() as f64 / f64::from(clients),
                    last.map_or(0, |s| s.login_attempts)
                );
            }
            let mut group = c.benchmark_group(format!("tick/{clients}"));
            group.sample_size(20);
            for (label, sim) in [
                ("calm", &calm),
                ("storm-wave", &wave),
                ("storm-collapsed", &collapsed),
            ] {
                group.bench_function(label, |b| {
                    b.iter_batched(
                        || sim.clone(),
                        // Return the simulation so criterion frees it outside the timing:
                        // unmapping a million clients' pages costs more than a calm tick.
                        |mut s| {
                            s.step();
                            s
                        },
                        BatchSize::LargeInput,
                    )
                });
            }
            group.finish();
            // A tick straight after a clone pays for the clone: every vector is exactly full,
            // so the first push to a seat's member list or a timer bucket copies it, and no
            // line is in cache. Ten ticks in a row from mid-wave (385..395) show the cost a
            // tick has within a run (divide by ten).
            let wave = at("aug-2007", clients, 385);
            let mut group = c.benchmark_group(format!("ten-ticks/{clients}"));
            group.sample_size(10);
            group.bench_function("storm-wave-x10", |b| {
                b.iter_batched(
                    || wave.clone(),
                    |mut s| {
                        for _ in 0..10 {
                            s.step();
                        }
                        s
                    },
                    BatchSize::LargeInput,
                )
            });
            group.finish();
        }
    }

    fn whole_runs(c: &mut Criterion) {
        let mut group = c.benchmark_group("run-96h/100000");
        group.sample_size(10);
        for name in ["aug-2007", "aug-2007-fixed"] {
            group.bench_function(name, |b| {
                b.iter(|| {
                    let mut sim = Run::new(config(name, 100_000)).unwrap_or_else(|e| panic!("{e}"));
                    sim.run_to_end();
                    black_box(sim.summary().min_online_fraction)
                })
            });
        }
        group.finish();
    }

    criterion_group!(benches, ticks, whole_runs);
}
