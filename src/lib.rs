//! loginstorm: an explorable simulation of Skype's August 2007 and December 2010 outages.
//!
//! A pure, deterministic engine (no web imports) plus one thin `#[wasm_bindgen]` facade in
//! `web.rs` for the page. See `../shared/design/MODEL.md` for the model and its sources.
//!
//! # Conventions
//! - **Time** is integer simulated minutes: one tick is one minute, `t_min` counts from the run's
//!   start (Thursday 16 August 2007, 00:00 UTC, in the historical presets). No floats as keys.
//! - **Counts** are simulated clients; each stands for [`Config::users_per_client`] real users.
//! - **Rates** are per simulated minute (`_per_min`); shares are fractions from 0 to 1 (`_share`).
//! - **Randomness** comes from one seeded [`rng::SimRng`] owned by the run, and from hashes of the
//!   seed for facts that are fixed per client; same config and seed, same trace, on every platform.
//! - **State** is struct-of-arrays: a client costs a few bytes, an inactive client no work.
//!
//! # Layers
//! - **The model**: one module per concept of MODEL.md Part 2 ([`lifecycle`], [`hostcache`],
//!   [`retry`], [`planner`], [`supernode`], [`engineers`], [`wave`], [`cohort`]). Each acts
//!   through a [`tick::Ctx`] (time, knobs, random stream, timers) on the tables it is handed;
//!   [`Simulation`] owns the state and the order they act in, and reports each tick as an
//!   observation and typed [`tick::Happening`]s. It never writes words or keeps a trace.
//! - **The record**: a [`Recorder`] turns ticks into samples, phases, events and a summary; a
//!   [`Run`] pairs it with its simulation; a [`Timeline`] keeps checkpoints for going back.
//! - **The words and pictures**: [`narration`], [`palette`], [`layout`], [`render`]; and the
//!   `web` facade (wasm32 only) that converts them for the page.

// The model, one module per concept of MODEL.md Part 2.
pub mod client;
pub mod cohort;
pub mod engineers;
pub mod hostcache;
pub mod lifecycle;
pub mod members;
pub mod planner;
pub mod retry;
pub mod seats;
pub mod sim;
pub mod supernode;
pub mod tick;
pub mod wave;

// Time, randomness, knobs and scenarios.
pub mod config;
pub mod hysteresis;
pub mod knob;
pub mod live_change;
pub mod presets;
pub mod queue;
pub mod record;
pub mod rng;
pub mod strategy;
pub mod sweep;
pub mod switches;

// The record of a run, its timeline and its words.
pub mod calendar;
pub mod metrics;
pub mod narration;
pub mod recorder;
pub mod run;
pub mod timeline;

// Pictures.
pub mod layout;
pub mod palette;
pub mod render;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use client::ClientState;
pub use config::{Config, ConfigError};
pub use metrics::{Event, EventKind, Phase, Sample, Summary};
pub use recorder::Recorder;
pub use run::Run;
pub use sim::Simulation;
pub use strategy::{Bundle, Strategy};
pub use timeline::Timeline;
