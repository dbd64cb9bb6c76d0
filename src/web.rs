//! The only file that imports wasm-bindgen: a thin handle over [`Simulation`] for the page.
//!
//! State lives here in wasm; the page holds a [`WebSim`] handle and reads small values or JSON-like
//! objects back. Errors come back as JS `Error`s whose message names the field and its range.

use crate::config::Config;
use crate::metrics::trace_csv;
use crate::narration::{History, caption};
use crate::presets;
use crate::render::{Painter, Palette};
use crate::sim::Simulation;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, ImageData};

/// Memory the scrubber's checkpoints may take, in bytes.
const CHECKPOINT_BUDGET: usize = 128 << 20;

/// A running simulation, the painter for its canvas, and checkpoints for the scrubber.
#[wasm_bindgen]
pub struct WebSim {
    sim: Simulation,
    painter: Painter,
    palette: Palette,
    history: History,
    /// Copies of the run at every `checkpoint_every_min` minutes, oldest first. After a rewind
    /// the ones ahead of now are still this run's future (the engine is deterministic) until an
    /// action in the past discards them.
    checkpoints: Vec<Simulation>,
    checkpoint_every_min: u32,
    /// The trace of the furthest minute known: the checkpoints carry none of their own.
    known: Vec<crate::metrics::Sample>,
}

fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsError> {
    let s = serde_wasm_bindgen::Serializer::new()
        .serialize_large_number_types_as_bigints(true)
        .serialize_maps_as_objects(true);
    v.serialize(&s).map_err(|e| JsError::new(&e.to_string()))
}

/// The config of `preset` with `settings` (an object of knob name to value) applied on top, or
/// the first problem in words, field first.
fn build_config(preset: &str, settings: &JsValue) -> Result<Config, String> {
    let mut cfg = presets::preset(preset)
        .ok_or_else(|| {
            format!(
                "preset: '{preset}' is unknown; choose one of {}",
                presets::NAMES.join(", ")
            )
        })?
        .config;
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
            cfg.set(&key, &value).map_err(|e| e.to_string())?;
        }
    }
    cfg.validate().map_err(|e| e.to_string())?;
    Ok(cfg)
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
        let painter = Painter::new(width, height, cfg.clients);
        let sim = Simulation::new(cfg).map_err(|e| JsError::new(&e.to_string()))?;
        // As many checkpoints as the budget holds (at 9M clients that is just the start), spaced
        // in whole tens of minutes.
        let fits = (CHECKPOINT_BUDGET / sim.state_bytes().max(1)).clamp(1, 400) as u32;
        let every = sim
            .config()
            .duration_ticks()
            .div_ceil(fits)
            .next_multiple_of(10);
        let mut sim = sim;
        Ok(WebSim {
            checkpoints: vec![sim.checkpoint()],
            known: Vec::new(),
            checkpoint_every_min: every,
            sim,
            painter,
            palette: if dark { Palette::DARK } else { Palette::LIGHT },
            history: History::of_preset(preset),
        })
    }

    /// Paints at a new size from the next frame on.
    pub fn resize(&mut self, width: u32, height: u32) {
        self.painter = Painter::new(width, height, self.sim.config().clients);
    }

    /// Switches between the light and the dark palette.
    pub fn set_dark(&mut self, dark: bool) {
        self.palette = if dark { Palette::DARK } else { Palette::LIGHT };
    }

    /// Simulates until `t_min` minutes have passed (or the run ends).
    pub fn step_until(&mut self, t_min: u32) {
        while self.sim.now_min() < t_min && !self.sim.is_finished() {
            self.sim.step();
            let now = self.sim.now_min();
            if now % self.checkpoint_every_min == 0 {
                let at = self.checkpoints.partition_point(|c| c.now_min() < now);
                if self.checkpoints.get(at).is_none_or(|c| c.now_min() != now) {
                    self.checkpoints.insert(at, self.sim.checkpoint());
                }
            }
        }
        let trace = self.sim.trace();
        if trace.len() > self.known.len() {
            self.known.extend_from_slice(&trace[self.known.len()..]);
        }
    }

    /// Jumps to the nearest checkpoint at or before `t_min` when that is closer than going on
    /// from now (always, for a time in the past); then `step_until(t_min)` finishes the way.
    /// Returns the minute it jumped to (or now).
    pub fn seek(&mut self, t_min: u32) -> u32 {
        let now = self.sim.now_min();
        let at = self.checkpoints.partition_point(|c| c.now_min() <= t_min);
        if let Some(cp) = at.checked_sub(1).and_then(|i| self.checkpoints.get(i)) {
            if t_min < now || cp.now_min() > now {
                self.sim = cp.clone();
                self.sim.restore_trace(&self.known);
            }
        }
        self.sim.now_min()
    }

    /// The furthest minute this run has reached (the scrubber's known range).
    pub fn horizon_min(&self) -> u32 {
        (self.known.len() as u32).max(self.sim.now_min())
    }

    /// Minutes between checkpoints.
    pub fn checkpoint_every_min(&self) -> u32 {
        self.checkpoint_every_min
    }

    /// Acting now changes what comes next: forget the checkpoints ahead of now.
    fn discard_future(&mut self) {
        let now = self.sim.now_min();
        self.checkpoints.retain(|c| c.now_min() <= now);
        self.known.truncate(now as usize);
    }

    /// Minutes simulated so far.
    pub fn now_min(&self) -> u32 {
        self.sim.now_min()
    }

    /// The run's length in minutes.
    pub fn duration_min(&self) -> u32 {
        self.sim.config().duration_ticks()
    }

    /// Paints the current state and puts it on `ctx` at (0, 0).
    pub fn draw(&mut self, ctx: &CanvasRenderingContext2d) -> Result<(), JsValue> {
        self.painter.paint(&self.sim, &self.palette);
        let data = ImageData::new_with_u8_clamped_array_and_sh(
            wasm_bindgen::Clamped(self.painter.pixels()),
            self.painter.width(),
            self.painter.height(),
        )?;
        ctx.put_image_data(&data, 0.0, 0.0)
    }

    /// The latest sample (`null` before the first tick).
    pub fn latest(&self) -> Result<JsValue, JsError> {
        to_js(&self.sim.trace().last())
    }

    /// Engineers bring up `share` x the normal core in mega-supernodes at the next minute.
    pub fn send_engineers(&mut self, share: f64) -> Result<u32, JsError> {
        if !(share.is_finite() && share > 0.0 && share <= 10.0) {
            return Err(JsError::new(&format!(
                "mega_share: {share} is outside the allowed range 0 to 10"
            )));
        }
        let count = ((share * f64::from(self.sim.normal_core())).round() as u32).max(1);
        self.discard_future();
        self.sim.add_megas(count);
        Ok(count)
    }

    /// The run's summary so far.
    pub fn summary(&self) -> Result<JsValue, JsError> {
        to_js(&self.sim.summary())
    }

    /// The event log so far.
    pub fn events(&self) -> Result<JsValue, JsError> {
        to_js(&self.sim.events())
    }

    /// Samples from minute `from_min` on, for the charts to append.
    pub fn samples_since(&self, from_min: u32) -> Result<JsValue, JsError> {
        let trace = self.sim.trace();
        let at = trace.partition_point(|s| s.t_min < from_min);
        to_js(&trace[at..])
    }

    /// The whole trace as CSV, the CLI's columns.
    pub fn csv(&self) -> String {
        trace_csv(self.sim.trace())
    }

    /// What is happening now and why, in plain words.
    pub fn caption(&self) -> String {
        caption(&self.sim, self.history)
    }

    /// Who is attached to whom, five numbers a client (see [`Painter::links`]); empty when
    /// clients share dots.
    pub fn links(&self) -> js_sys::Float32Array {
        js_sys::Float32Array::from(&self.painter.links(&self.sim)[..])
    }

    /// Every knob's current value as text, by name (and `strategy`: a bundle or `custom`).
    pub fn values(&self) -> Result<JsValue, JsError> {
        let cfg = self.sim.config();
        let map: std::collections::BTreeMap<&str, String> = std::iter::once("strategy")
            .chain(Config::knobs().iter().map(|k| k.name))
            .filter_map(|name| cfg.get(name).map(|v| (name, v)))
            .collect();
        to_js(&map)
    }

    /// Supernodes in the normal core (the charts' reference line).
    pub fn normal_core(&self) -> u32 {
        self.sim.normal_core()
    }

    /// Real users each client stands for.
    pub fn users_per_client(&self) -> f64 {
        self.sim.config().users_per_client()
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

/// `n` real users in words, as the caption writes them ("5.9 million", "320,000"), so the
/// page's legend and spoken summary read numbers the same way.
#[wasm_bindgen]
pub fn users_in_words(n: f64) -> String {
    crate::narration::users(n)
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
