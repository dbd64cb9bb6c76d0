//! The only file that imports wasm-bindgen: a thin handle over a [`Timeline`] for the page.
//!
//! State lives here in wasm; the page holds a [`WebSim`] handle and reads small values or JSON-like
//! objects back. This file only converts values to and from JS; what they mean is the engine's.
//! Errors come back as JS `Error`s whose message names the field and its range.

use crate::config::Config;
use crate::live_change::LiveChanges;
use crate::metrics::{Phase, trace_csv_page};
use crate::narration::{History, caption, tell};
use crate::palette::Palette;
use crate::presets;
use crate::render::Painter;
use crate::run::Run;
use crate::timeline::Timeline;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, ImageData, OffscreenCanvasRenderingContext2d};

/// Memory the scrubber's checkpoints may take, in bytes.
const CHECKPOINT_BUDGET: usize = 128 << 20;

/// A running simulation on its timeline, and the painter for its canvas.
#[wasm_bindgen]
pub struct WebSim {
    timeline: Timeline,
    painter: Painter,
    palette: Palette,
    history: History,
    /// Calendar time of minute 0 (ISO 8601, UTC), from the preset.
    starts_at: &'static str,
}

fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsError> {
    let s = serde_wasm_bindgen::Serializer::new()
        .serialize_large_number_types_as_bigints(true)
        .serialize_maps_as_objects(true);
    v.serialize(&s).map_err(|e| JsError::new(&e.to_string()))
}

thread_local! {
    /// The message of the last panic, for the page to show (a panic aborts the wasm instance).
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs when the module starts (in the page and in its worker): keeps a panic's message, so the
/// page can say what went wrong instead of only "unreachable".
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let text = info.to_string();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(text));
    }));
}

/// The message of the panic that stopped this module, if one did.
#[wasm_bindgen]
pub fn last_panic() -> Option<String> {
    LAST_PANIC.with(|p| p.borrow().clone())
}

/// Every knob's value in `cfg` as text, by name (and `strategy`: a bundle or `custom`).
fn values_of(cfg: &Config) -> BTreeMap<&'static str, String> {
    std::iter::once("strategy")
        .chain(Config::knobs().iter().map(|k| k.name))
        .filter_map(|name| cfg.get(name).map(|v| (name, v)))
        .collect()
}

/// The config of `preset` with `settings` (an object of knob name to value) applied on top, or
/// the first problem in words, field first.
fn build_config(preset: &str, settings: &JsValue) -> Result<Config, String> {
    let mut pairs = Vec::new();
    if !settings.is_undefined() && !settings.is_null() {
        let entries = js_sys::Object::entries(&js_sys::Object::from(settings.clone()));
        for pair in entries.iter() {
            let pair = js_sys::Array::from(&pair);
            let key = pair.get(0).as_string().unwrap_or_default();
            let raw = pair.get(1);
            let value = raw
                .as_string()
                .or_else(|| raw.as_f64().map(|v| v.to_string()))
                .or_else(|| raw.as_bool().map(|v| v.to_string()))
                .unwrap_or_default();
            pairs.push((key, value));
        }
    }
    presets::build_config(preset, pairs).map_err(|e| e.to_string())
}

#[wasm_bindgen]
impl WebSim {
    /// A new run of `preset` with `settings` applied, painting into `width` x `height` pixels.
    #[wasm_bindgen(constructor)]
    pub fn new(
        preset: &str,
        settings: JsValue,
        width: u32,
        height: u32,
        dark: bool,
    ) -> Result<WebSim, JsError> {
        let cfg = build_config(preset, &settings).map_err(|e| JsError::new(&e))?;
        let run = Run::new(cfg).map_err(|e| JsError::new(&e.to_string()))?;
        let painter = Painter::new(width, height, run.sim().clusters());
        Ok(WebSim {
            timeline: Timeline::new(run, CHECKPOINT_BUDGET),
            painter,
            palette: Palette::of(dark),
            history: History::of_preset(preset),
            starts_at: presets::preset(preset).map_or("", |p| p.starts_at),
        })
    }

    fn run(&self) -> &Run {
        self.timeline.run()
    }

    /// Paints at a new size from the next frame on.
    pub fn resize(&mut self, width: u32, height: u32) {
        self.painter = Painter::new(width, height, self.run().sim().clusters());
    }

    /// Switches between the light and the dark palette.
    pub fn set_dark(&mut self, dark: bool) {
        self.palette = Palette::of(dark);
    }

    /// Simulates until `t_min` minutes have passed (or the run ends).
    pub fn step_until(&mut self, t_min: u32) {
        self.timeline.step_until(t_min);
    }

    /// Simulates towards minute `t_min`, handling at most about `most_timers` client timers
    /// (a minute may be left under way; the next call finishes it). Returns the timers handled
    /// (at most `most_timers`), so a caller can size its next call to a time budget.
    pub fn step_within(&mut self, t_min: u32, most_timers: u32) -> u32 {
        let mut budget = most_timers as usize;
        self.timeline.step_within(t_min, &mut budget);
        most_timers.saturating_sub(budget as u32)
    }

    /// Jumps to the nearest checkpoint at or before `t_min` when that is closer than going on
    /// from now (always, for a time in the past); then `step_until(t_min)` finishes the way.
    /// Returns the minute it jumped to (or now).
    pub fn seek(&mut self, t_min: u32) -> u32 {
        self.timeline.seek(t_min)
    }

    /// From minute `at_min` (now or later) on, the switches in `switches` (`switch=value`, joined
    /// by commas, as in the `live_changes` knob) take their values: the run forks, its past
    /// unchanged, its known future forgotten. Refused (naming the problem) for a minute already
    /// simulated or a bad switch, and then nothing changes.
    pub fn change_live(&mut self, at_min: u32, switches: &str) -> Result<(), JsError> {
        let one = LiveChanges::parse(&format!("{at_min}:{switches}"))
            .map_err(|e| JsError::new(&format!("live_changes: {e}")))?;
        let Some(change) = one.iter().next() else {
            return Err(JsError::new("live_changes: the change sets no switch"));
        };
        self.timeline
            .change_live(change.at_min, change.to)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// The furthest minute this run has reached (the scrubber's known range).
    pub fn horizon_min(&self) -> u32 {
        self.timeline.horizon_min()
    }

    /// Minutes simulated so far.
    pub fn now_min(&self) -> u32 {
        self.run().now_min()
    }

    /// The run's length in minutes.
    pub fn duration_min(&self) -> u32 {
        self.run().config().duration_ticks()
    }

    /// Paints the current state and puts it on `ctx` at (0, 0).
    pub fn draw(&mut self, ctx: &CanvasRenderingContext2d) -> Result<(), JsValue> {
        ctx.put_image_data(&self.paint()?, 0.0, 0.0)
    }

    /// The same, on a worker's canvas.
    pub fn draw_offscreen(
        &mut self,
        ctx: &OffscreenCanvasRenderingContext2d,
    ) -> Result<(), JsValue> {
        ctx.put_image_data(&self.paint()?, 0.0, 0.0)
    }

    fn paint(&mut self) -> Result<ImageData, JsValue> {
        self.painter.paint(self.timeline.run().sim(), &self.palette);
        ImageData::new_with_u8_clamped_array_and_sh(
            wasm_bindgen::Clamped(self.painter.pixels()),
            self.painter.width(),
            self.painter.height(),
        )
    }

    /// Panics, so the page's recovery from a panic can be tested (test builds only).
    #[cfg(feature = "panic-test")]
    pub fn panic_for_test(&self) {
        panic!(
            "a panic forced by a test at minute {}",
            self.run().now_min()
        );
    }

    /// The latest sample (`null` before the first tick).
    pub fn latest(&self) -> Result<JsValue, JsError> {
        to_js(&self.run().trace().last())
    }

    /// The run's summary so far.
    pub fn summary(&self) -> Result<JsValue, JsError> {
        to_js(&self.run().summary())
    }

    /// True while the update or the crash was restarting PCs in the last minute simulated.
    pub fn restarting(&self) -> bool {
        let now = self.run().now_min();
        self.run()
            .recorder()
            .last_trigger_min()
            .is_some_and(|t| t + 1 == now)
    }

    /// How many events the log holds so far (cheap: for noticing new ones every frame).
    pub fn event_count(&self) -> u32 {
        self.run().events().len() as u32
    }

    /// The event log so far.
    pub fn events(&self) -> Result<JsValue, JsError> {
        to_js(&tell(self.run()))
    }

    /// Samples from minute `from_min` on, for the charts to append.
    pub fn samples_since(&self, from_min: u32) -> Result<JsValue, JsError> {
        let trace = self.run().trace();
        let at = trace.partition_point(|s| s.t_min < from_min);
        to_js(&trace[at..])
    }

    /// The whole run computed so far (past where the reader went back to) as CSV: the CLI's
    /// columns, the UTC time, and the counts in real users and supernodes.
    pub fn csv(&self) -> String {
        trace_csv_page(
            self.timeline.known_trace(),
            self.run().config().users_per_client(),
            self.starts_at,
        )
    }

    /// What is happening now and why, in plain words.
    pub fn caption(&self) -> String {
        caption(self.run(), self.history)
    }

    /// Who is attached to whom, five numbers a client (see [`Painter::links`]); empty when
    /// clients share dots.
    pub fn links(&self) -> js_sys::Float32Array {
        js_sys::Float32Array::from(&self.painter.layout().links(self.run().sim())[..])
    }

    /// Every knob's current value as text, by name (and `strategy`: a bundle or `custom`).
    pub fn values(&self) -> Result<JsValue, JsError> {
        to_js(&values_of(self.run().config()))
    }

    /// Supernodes in the normal core (the charts' reference line).
    pub fn normal_core(&self) -> u32 {
        self.run().sim().normal_core()
    }

    /// Real users each client stands for.
    pub fn users_per_client(&self) -> f64 {
        self.run().config().users_per_client()
    }

    /// Side of one dot on the canvas, in pixels (below 3, a sample is also drawn large).
    pub fn dot_px(&self) -> u32 {
        self.painter.layout().cell_px
    }

    /// Clients sharing one dot on the canvas.
    pub fn clients_per_dot(&self) -> u32 {
        self.painter.layout().clients_per_dot
    }
}

/// Every preset with its description and config.
#[wasm_bindgen]
pub fn presets() -> Result<JsValue, JsError> {
    to_js(&presets::all())
}

/// `null` if `settings` on top of `preset` make a valid run, else the first problem, naming
/// the field and its allowed range (the page checks URL parameters one by one with this).
#[wasm_bindgen]
pub fn check_settings(preset: &str, settings: JsValue) -> Option<String> {
    build_config(preset, &settings).err()
}

/// Every knob's value as text for `preset` with `settings` (as [`WebSim::values`] would give),
/// so the page can show a run's controls before its worker has built it.
#[wasm_bindgen]
pub fn config_values(preset: &str, settings: JsValue) -> Result<JsValue, JsError> {
    let cfg = build_config(preset, &settings).map_err(|e| JsError::new(&e))?;
    to_js(&values_of(&cfg))
}

/// `n` real users in words, as the caption writes them ("5.9 million", "320,000"), so the
/// page's legend and spoken summary read numbers the same way.
#[wasm_bindgen]
pub fn users_in_words(n: f64) -> String {
    crate::narration::users(n)
}

/// Every phase of the story, in order: `{name, words}` (the page's labels and chart bands).
#[wasm_bindgen]
pub fn phases() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Named {
        name: &'static str,
        words: &'static str,
    }
    let all: Vec<Named> = Phase::ALL
        .iter()
        .map(|p| Named {
            name: p.name(),
            words: p.words(),
        })
        .collect();
    to_js(&all)
}

#[cfg(feature = "explore")]
/// Combination `mask` of the four switches (bit i set: switch i of
/// [`crate::switches::SWITCHES`] fixed, the rest as in 2007) on `preset` with `settings`, run to
/// its end: `{fixed, strategy, outcome, summary}`. The switch table asks for one at a time, from
/// a worker of its own, so the page's run never waits on it.
#[wasm_bindgen]
pub fn switch_combination(preset: &str, settings: JsValue, mask: u32) -> Result<JsValue, JsError> {
    if mask > 15 {
        return Err(JsError::new(&format!(
            "mask: {mask} is outside the allowed range 0 to 15"
        )));
    }
    let cfg = build_config(preset, &settings).map_err(|e| JsError::new(&e))?;
    let row = crate::switches::combination(&cfg, mask).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&row)
}

/// The run of `preset` with `settings` to its end, as the charts draw it: one value a minute
/// from minute 0, in real users (`online`, `supernodes`, `attempts`). The page draws it faintly
/// behind a run forked from it ("the run as it was before your change").
#[cfg(feature = "explore")]
#[wasm_bindgen]
pub fn run_lines(preset: &str, settings: JsValue) -> Result<JsValue, JsError> {
    let cfg = build_config(preset, &settings).map_err(|e| JsError::new(&e))?;
    let mut run = Run::new(cfg).map_err(|e| JsError::new(&e.to_string()))?;
    run.run_to_end();
    let upc = run.config().users_per_client();
    let line = |f: &dyn Fn(&crate::metrics::Sample) -> f64| -> js_sys::Float64Array {
        let v: Vec<f64> = run.trace().iter().map(|s| f(s) * upc).collect();
        js_sys::Float64Array::from(&v[..])
    };
    let out = js_sys::Object::new();
    for (name, values) in [
        ("online", line(&|s| f64::from(s.online))),
        ("supernodes", line(&|s| f64::from(s.supernodes))),
        ("attempts", line(&|s| f64::from(s.login_attempts))),
    ] {
        js_sys::Reflect::set(&out, &JsValue::from_str(name), &values)
            .map_err(|_| JsError::new("run_lines: could not build the result"))?;
    }
    Ok(out.into())
}

/// Retry option `i` (the engine's order: fixed, exponential, exponential-jitter, retry-budget,
/// circuit-breaker) in the otherwise fixed network on `preset` with `settings`, run to its end:
/// `{retry, strategy, outcome, summary}`. The switch table's second part.
#[cfg(feature = "explore")]
#[wasm_bindgen]
pub fn retry_option(preset: &str, settings: JsValue, i: u32) -> Result<JsValue, JsError> {
    let cfg = build_config(preset, &settings).map_err(|e| JsError::new(&e))?;
    let row = crate::switches::retry_row(&cfg, i).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&row)
}

/// The hysteresis loop of `preset` with `settings` (the `ramp_*` knobs ramp the load), run to
/// its end: `{points: [{t_min, offered_per_h, online_share, rising}], opening}` (see
/// [`crate::hysteresis`]).
#[cfg(feature = "explore")]
#[wasm_bindgen]
pub fn load_loop(preset: &str, settings: JsValue) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Loop {
        points: Vec<crate::hysteresis::LoopPoint>,
        opening: f64,
    }
    let cfg = build_config(preset, &settings).map_err(|e| JsError::new(&e))?;
    let points = crate::hysteresis::load_loop(&cfg).map_err(|e| JsError::new(&e.to_string()))?;
    let opening = crate::hysteresis::opening(&points);
    to_js(&Loop { points, opening })
}

/// The sweep of `x` and `y` (each `KNOB=FROM..TO:STEPS`, as `loginstorm sweep --x` takes it)
/// with `seeds` seeds a cell, on `preset` with `settings`. A stability map's worker makes one per
/// map, so the whole grid is checked once, not at every row.
#[cfg(feature = "explore")]
#[wasm_bindgen]
pub struct WebSweep {
    sweep: crate::sweep::Sweep,
}

#[cfg(feature = "explore")]
#[wasm_bindgen]
impl WebSweep {
    /// The sweep, checked whole; the first problem in words, naming the part.
    #[wasm_bindgen(constructor)]
    pub fn new(
        preset: &str,
        settings: JsValue,
        x: &str,
        y: &str,
        seeds: u32,
    ) -> Result<WebSweep, JsError> {
        use crate::sweep::{Axis, Sweep};
        let base = build_config(preset, &settings).map_err(|e| JsError::new(&e))?;
        let err = |e: crate::config::ConfigError| JsError::new(&e.to_string());
        let (x, y) = (
            Axis::parse("x", x).map_err(err)?,
            Axis::parse("y", y).map_err(err)?,
        );
        let sweep = Sweep::new(base, x, y, seeds).map_err(err)?;
        Ok(WebSweep { sweep })
    }

    /// Row `i` (y, then x, then seed, as `loginstorm sweep` prints them), run to its end:
    /// `{x, y, seed, outcome, summary}`.
    pub fn row(&self, i: u32) -> Result<JsValue, JsError> {
        if i as usize >= self.sweep.len() {
            return Err(JsError::new(&format!(
                "row: {i} is outside the allowed range 0 to {}",
                self.sweep.len().saturating_sub(1)
            )));
        }
        let row = self
            .sweep
            .row(i as usize)
            .map_err(|e| JsError::new(&e.to_string()))?;
        to_js(&row)
    }
}

/// Every knob with its unit, range, default and group.
#[wasm_bindgen]
pub fn knobs() -> Result<JsValue, JsError> {
    to_js(&Config::knobs())
}

/// A fresh random seed from the browser's generator (for a "new seed" button; runs themselves
/// only ever use their config's seed).
#[wasm_bindgen]
pub fn random_seed() -> Result<u64, JsError> {
    getrandom::u64().map_err(|e| JsError::new(&e.to_string()))
}
