//! The only file that imports wasm-bindgen: a thin handle over [`Simulation`] for the page.
//!
//! State lives here in wasm; the page holds a [`WebSim`] handle and reads small values or JSON-like
//! objects back. Errors come back as JS `Error`s whose message names the field and its range.

use crate::config::Config;
use crate::presets;
use crate::render::{Painter, Palette};
use crate::sim::Simulation;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, ImageData};

/// A running simulation and the painter for its canvas.
#[wasm_bindgen]
pub struct WebSim {
    sim: Simulation,
    painter: Painter,
    palette: Palette,
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    let s = serde_wasm_bindgen::Serializer::new().serialize_large_number_types_as_bigints(true);
    v.serialize(&s).map_err(|e| JsError::new(&e.to_string()))
}

/// The config of `preset` with `settings` (an object of knob name to value) applied on top.
fn build_config(preset: &str, settings: &JsValue) -> Result<Config, JsError> {
    let mut cfg = presets::preset(preset)
        .ok_or_else(|| {
            JsError::new(&format!(
                "preset: '{preset}' is unknown; choose one of {}",
                presets::NAMES.join(", ")
            ))
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
            cfg.set(&key, &value)
                .map_err(|e| JsError::new(&e.to_string()))?;
        }
    }
    cfg.validate().map_err(|e| JsError::new(&e.to_string()))?;
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
        let cfg = build_config(preset, &settings)?;
        let painter = Painter::new(width, height, cfg.clients);
        let sim = Simulation::new(cfg).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(WebSim {
            sim,
            painter,
            palette: if dark { Palette::DARK } else { Palette::LIGHT },
        })
    }

    /// Simulates until `t_min` minutes have passed (or the run ends).
    pub fn step_until(&mut self, t_min: u32) {
        self.sim.step_until(t_min);
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

    /// Real users each client stands for.
    pub fn users_per_client(&self) -> f64 {
        self.sim.config().users_per_client()
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
