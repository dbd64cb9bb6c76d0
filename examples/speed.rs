//! Quick timings for iterating on the engine (criterion's `benches/engine.rs` is the reference):
//! `cargo run --release --example speed -- MODE [clients]`, MODE one of:
//! - `run`: whole 96 h runs; `all`: `run` and `ticks`;
//! - `ticks`: one tick after a clone, best and mean of 10; `steady`: ten ticks in a row;
//! - `bytes`: hourly peak of memory a client over whole runs;
//! - `phases`: time by stretch of `aug-2007`;
//! - `wave`, `storm`: the wave again and again, the storm from minute 385 on (for a profiler);
//! - `steady-loop`: minutes 385..395 of `aug-2007` again and again (for a profiler);
//! - `window [clients] [from] [to]`: minutes from..to of `aug-2007` (the recovery by default);
//! - `worst [scenario] [cut]`: the slowest minutes, or pieces of minutes cut after `cut` timers;
//! - `soak`: two weeks with the update landing every day, memory a client day by day.
//!
//! Prints trace digests too, so an optimisation that changes a trace shows at once.
// A native timing tool: the wall clock is what it measures (the engine never reads it).
#![allow(clippy::disallowed_methods)]

use loginstorm::presets::preset;
use loginstorm::{Config, Run};
use std::time::Instant;

fn config(name: &str, clients: u32) -> Config {
    Config {
        clients,
        ..preset(name).map(|p| p.config).unwrap_or_default()
    }
}

fn whole(name: &str, clients: u32) {
    let t0 = Instant::now();
    let mut sim = Run::new(config(name, clients)).unwrap_or_else(|e| panic!("{e}"));
    sim.run_to_end();
    let dt = t0.elapsed();
    let attempts: u64 = sim
        .trace()
        .iter()
        .map(|s| u64::from(s.login_attempts))
        .sum();
    println!(
        "run {name} at {clients}: {:.3} s, {attempts} attempts, digest {:#018x}",
        dt.as_secs_f64(),
        sim.trace_digest()
    );
}

fn tick(name: &str, clients: u32, t: u32, reps: u32) {
    let mut sim = Run::new(config(name, clients)).unwrap_or_else(|e| panic!("{e}"));
    sim.step_until(t);
    let mut best = f64::MAX;
    let mut total = 0.0;
    for _ in 0..reps {
        let mut s = sim.clone();
        let t0 = Instant::now();
        s.step();
        let dt = t0.elapsed().as_secs_f64();
        best = best.min(dt);
        total += dt;
        drop(s);
    }
    let last = sim.trace().last().copied();
    println!(
        "tick {name}@{t} at {clients}: best {:.3} ms, mean {:.3} ms ({} attempts last tick, {} supernodes, {:.1} B/client)",
        best * 1e3,
        total / f64::from(reps) * 1e3,
        last.map_or(0, |s| s.login_attempts),
        last.map_or(0, |s| s.supernodes),
        sim.state_bytes() as f64 / f64::from(clients)
    );
}

/// Time spent in each stretch of a whole `aug-2007` run.
fn phases(clients: u32) {
    let mut sim = Run::new(config("aug-2007", clients)).unwrap_or_else(|e| panic!("{e}"));
    let mut from = 0;
    for to in [360, 380, 400, 420, 440, 480, 600, 1200, 5760] {
        let t0 = Instant::now();
        sim.step_until(to);
        println!(
            "  minutes {from}..{to}: {:.3} s",
            t0.elapsed().as_secs_f64()
        );
        from = to;
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args.get(1).map_or("all", String::as_str);
    let clients: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    if what == "run" || what == "all" {
        whole("aug-2007", clients);
        whole("aug-2007-fixed", clients);
    }
    if what == "wave" {
        // For a profiler: the wave and its aftermath, again and again.
        let sim = Run::new(config("aug-2007", clients)).unwrap_or_else(|e| panic!("{e}"));
        let reps: u32 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(3);
        let t0 = Instant::now();
        for _ in 0..reps {
            let mut s = sim.clone();
            s.step_until(460);
        }
        println!("to 460 x{reps}: {:.3} s", t0.elapsed().as_secs_f64());
    }
    if what == "storm" {
        // For a profiler (`perf record -D 500`): minutes 385.. of `aug-2007` one after another.
        let mut sim = Run::new(config("aug-2007", clients)).unwrap_or_else(|e| panic!("{e}"));
        sim.step_until(385);
        let ticks: u32 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(30);
        let t0 = Instant::now();
        sim.step_until(385 + ticks);
        println!(
            "storm aug-2007@385..{}: {:.3} ms a tick",
            385 + ticks,
            t0.elapsed().as_secs_f64() * 1e3 / f64::from(ticks)
        );
    }
    if what == "window" {
        // Any stretch of `aug-2007`: `window CLIENTS FROM TO` (the recovery: 2300 2400).
        let arg = |i: usize, or: u32| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(or);
        let (from, to) = (arg(3, 2300), arg(4, 2400));
        let cfg = config("aug-2007", clients);
        let end = cfg.duration_ticks();
        if from >= to || to > end {
            eprintln!("window: FROM must be below TO, and TO at most {end} (the run's minutes)");
            std::process::exit(2);
        }
        let mut sim = Run::new(cfg).unwrap_or_else(|e| panic!("{e}"));
        sim.step_until(from);
        let t0 = Instant::now();
        sim.step_until(to);
        let spent = t0.elapsed().as_secs_f64();
        let samples = sim.trace().get(from as usize..).unwrap_or_default();
        let attempts: u64 = samples.iter().map(|s| u64::from(s.login_attempts)).sum();
        println!(
            "window aug-2007@{from}..{to}: {:.3} ms a tick, {:.1} ns an attempt",
            spent * 1e3 / samples.len().max(1) as f64,
            spent * 1e9 / attempts.max(1) as f64
        );
    }
    if what == "worst" {
        // The slowest minutes of a scenario up to minute 900 (the ones a frame waits for).
        let name = args.get(3).map_or("aug-2007", String::as_str);
        let mut sim = Run::new(config(name, clients)).unwrap_or_else(|e| panic!("{e}"));
        // With a third argument, minutes are cut after that many timers, as the page's worker
        // cuts them: the slowest pieces are then what a frame may wait for.
        let piece: usize = args
            .get(4)
            .and_then(|s| s.parse().ok())
            .unwrap_or(usize::MAX);
        let mut times = Vec::new();
        while sim.now_min() < 900 && !sim.is_finished() {
            let t0 = Instant::now();
            let t = sim.now_min();
            sim.step_within(&mut piece.clone());
            times.push((t0.elapsed().as_secs_f64() * 1e3, t));
        }
        times.sort_by(|a, b| b.0.total_cmp(&a.0));
        let slowest: Vec<String> = times
            .iter()
            .take(6)
            .map(|(ms, t)| format!("{t}: {ms:.1} ms"))
            .collect();
        println!(
            "worst minutes of {name} at {clients}: {}",
            slowest.join(", ")
        );
    }
    if what == "soak" {
        // Two weeks with the update landing every day (the fixed bundle weathers each wave):
        // the model's memory must not creep up as the days go by.
        let cfg = Config {
            duration_h: 336,
            update_every_h: 24,
            ..config("aug-2007-fixed", clients)
        };
        let t0 = Instant::now();
        let mut sim = Run::new(cfg).unwrap_or_else(|e| panic!("{e}"));
        let per_client = |sim: &Run| sim.state_bytes() as f64 / f64::from(clients);
        let start = per_client(&sim);
        let mut days = Vec::new();
        while !sim.is_finished() {
            sim.step_until(sim.now_min() + 1440);
            days.push(format!("{:.1}", per_client(&sim)));
        }
        let recovered = sim
            .events()
            .iter()
            .filter(|e| e.kind == loginstorm::metrics::EventKind::Recovered)
            .count();
        println!(
            "soak 336 h at {clients}, the update every 24 h: {:.1} s, {recovered} recoveries; \
             bytes a client at the start {start:.1}, at each day's end {}",
            t0.elapsed().as_secs_f64(),
            days.join(" ")
        );
    }
    if what == "steady" {
        // Ticks in a row (no clone before each, unlike the criterion bench).
        for (name, from) in [("calm-day", 120u32), ("aug-2007", 385)] {
            let mut sim = Run::new(config(name, clients)).unwrap_or_else(|e| panic!("{e}"));
            sim.step_until(from);
            let t0 = Instant::now();
            sim.step_until(from + 10);
            println!(
                "steady {name}@{from}..{}: {:.3} ms a tick",
                from + 10,
                t0.elapsed().as_secs_f64() * 100.0
            );
        }
    }
    if what == "steady-loop" {
        // For a profiler: the steady storm window (minutes 385..395 of `aug-2007`) again and
        // again from one clone, so the profile is that window's and not the run up to it.
        let mut sim = Run::new(config("aug-2007", clients)).unwrap_or_else(|e| panic!("{e}"));
        // A clone's queue chunks have no spare room: two minutes before the window warm them.
        sim.step_until(383);
        let reps: u32 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(20);
        let mut spent = 0.0;
        for _ in 0..reps {
            let mut s = sim.clone();
            s.step_until(385);
            let t0 = Instant::now();
            s.step_until(395);
            spent += t0.elapsed().as_secs_f64();
        }
        println!(
            "steady-loop aug-2007@385..395 x{reps}: {:.3} ms a tick",
            spent * 100.0 / f64::from(reps)
        );
    }
    if what == "bytes" {
        // Memory a client over whole runs.
        for name in [
            "calm-day",
            "aug-2007",
            "aug-2007-fixed",
            "staggered-updates",
            "dec-2010-mega",
        ] {
            let mut sim = Run::new(config(name, clients)).unwrap_or_else(|e| panic!("{e}"));
            let mut most: f64 = 0.0;
            while !sim.is_finished() {
                sim.step_until(sim.now_min() + 60);
                most = most.max(sim.state_bytes() as f64 / f64::from(clients));
            }
            println!(
                "bytes {name}: at most {most:.1} a client (hourly), {:.1} at the end",
                sim.state_bytes() as f64 / f64::from(clients)
            );
        }
    }
    if what == "phases" {
        phases(clients);
    }
    if what == "ticks" || what == "all" {
        tick("calm-day", clients, 120, 10);
        tick("aug-2007", clients, 390, 10);
        tick("aug-2007", clients, 600, 10);
    }
}
