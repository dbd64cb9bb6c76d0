//! Browser tests: the facade's engine and painter running as wasm in headless Chromium.
#![cfg(target_arch = "wasm32")]
// A browser without a DOM is a broken test environment: failing loudly is right.
#![allow(clippy::expect_used)]

use loginstorm::render::{Painter, Palette};
use loginstorm::{ClientState, Config, Simulation};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

fn canvas(w: u32, h: u32) -> CanvasRenderingContext2d {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let c: HtmlCanvasElement = doc
        .create_element("canvas")
        .expect("canvas")
        .dyn_into()
        .expect("a canvas element");
    c.set_width(w);
    c.set_height(h);
    doc.body()
        .expect("a body")
        .append_child(&c)
        .expect("attached");
    c.get_context("2d")
        .expect("2d")
        .expect("context")
        .dyn_into()
        .expect("2d context")
}

/// Paints a calm network onto a real canvas and reads the pixels back from the browser.
#[wasm_bindgen_test]
fn a_calm_network_is_drawn_on_a_canvas() {
    let sim = Simulation::new(Config {
        clients: 300,
        ..Config::default()
    })
    .expect("valid config");
    let mut painter = Painter::new(120, 120, 300);
    painter.paint(&sim, &Palette::LIGHT);
    let ctx = canvas(120, 120);
    let data = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
        wasm_bindgen::Clamped(painter.pixels()),
        120,
        120,
    )
    .expect("image data");
    ctx.put_image_data(&data, 0.0, 0.0).expect("put");
    let back = ctx
        .get_image_data(0.0, 0.0, 120.0, 120.0)
        .expect("get")
        .data();
    let online = Palette::LIGHT.states[ClientState::Online as usize];
    let online_px = back.chunks_exact(4).filter(|p| *p == online).count();
    let white_px = back
        .chunks_exact(4)
        .filter(|p| *p == [255, 255, 255, 255])
        .count();
    assert!(
        online_px > 300,
        "online dots read back from the canvas: {online_px} px"
    );
    assert!(white_px > 0, "and background between them");
    assert_eq!(
        back.to_vec(),
        painter.pixels().to_vec(),
        "the canvas holds exactly what was painted"
    );
}

#[path = "common/golden.rs"]
mod golden;

/// The engine gives the same trace in the browser as natively (see tests/properties.rs).
#[wasm_bindgen_test]
fn a_short_run_gives_the_native_trace() {
    assert_eq!(
        golden::short_run(),
        golden::SHORT_RUN_DIGEST,
        "wasm32 trace digest differs from the native one"
    );
}

/// A bad knob through the facade is an `Error` naming the field and its range, not a panic.
#[wasm_bindgen_test]
fn the_facade_rejects_a_bad_knob_with_a_message() {
    let settings = js_sys::Object::new();
    js_sys::Reflect::set(&settings, &"clients".into(), &5.into()).expect("set");
    let err = loginstorm::web::WebSim::new("aug-2007", settings.into(), 100, 100, false)
        .err()
        .map(|e| {
            js_sys::Error::from(wasm_bindgen::JsValue::from(e))
                .message()
                .as_string()
                .unwrap_or_default()
        });
    let msg = err.unwrap_or_default();
    assert!(
        msg.starts_with("clients:") && msg.contains("100 to 9000000"),
        "message names field and range: {msg}"
    );
    let ok =
        loginstorm::web::WebSim::new("aug-2007", js_sys::Object::new().into(), 100, 100, false);
    assert!(
        ok.is_ok(),
        "the page keeps working: a good config still builds"
    );
}
