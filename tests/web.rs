//! Browser tests: the facade's engine and painter running as wasm in headless Chromium.
#![cfg(target_arch = "wasm32")]
// A browser without a DOM is a broken test environment: failing loudly is right.
#![allow(clippy::expect_used)]

use loginstorm::palette::Palette;
use loginstorm::render::Painter;
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
    let mut painter = Painter::new(120, 120, sim.clusters());
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

// --- The facade the page uses -------------------------------------------------------------

use loginstorm::web::WebSim;
use wasm_bindgen::JsValue;

fn settings(pairs: &[(&str, &str)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&o, &(*k).into(), &(*v).into()).expect("set");
    }
    o.into()
}

fn web_sim(preset: &str, pairs: &[(&str, &str)]) -> WebSim {
    WebSim::new(preset, settings(pairs), 160, 90, false)
        .map_err(JsValue::from)
        .expect("a valid run")
}

/// Draws `sim` on a fresh canvas and reads the pixels back from the browser.
fn drawn(sim: &mut WebSim) -> Vec<u8> {
    let ctx = canvas(160, 90);
    sim.draw(&ctx).expect("draw");
    ctx.get_image_data(0.0, 0.0, 160.0, 90.0)
        .expect("get")
        .data()
        .to_vec()
}

fn count(px: &[u8], colour: [u8; 4]) -> usize {
    px.chunks_exact(4).filter(|p| *p == colour).count()
}

/// The pixels follow the clients' states: a calm network is online-blue, the same network in
/// the August 2007 storm is waiting-orange.
#[wasm_bindgen_test]
fn pixels_reflect_client_states() {
    let pairs = [("clients", "2000")];
    let online = Palette::LIGHT.states[ClientState::Online as usize];
    let waiting = Palette::LIGHT.states[ClientState::Waiting as usize];
    let mut calm = web_sim("aug-2007", &pairs);
    calm.step_until(300);
    let before = drawn(&mut calm);
    let mut storm = web_sim("aug-2007", &pairs);
    storm.step_until(900);
    let after = drawn(&mut storm);
    assert!(
        count(&before, online) > 10 * count(&before, waiting).max(1),
        "calm: mostly online pixels ({} online, {} waiting)",
        count(&before, online),
        count(&before, waiting)
    );
    assert!(
        count(&after, waiting) > 10 * count(&after, online).max(1),
        "collapse: mostly waiting pixels ({} waiting, {} online)",
        count(&after, waiting),
        count(&after, online)
    );
}

/// A knob set through the facade reaches the engine.
#[wasm_bindgen_test]
fn a_changed_knob_reaches_the_engine() {
    let sim = web_sim("aug-2007", &[("clients", "500"), ("strategy", "fixed")]);
    let values = sim.values().map_err(JsValue::from).expect("values");
    let get = |k: &str| {
        js_sys::Reflect::get(&values, &k.into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    assert_eq!(get("clients"), "500", "population set");
    assert_eq!(
        get("retry"),
        "exponential-jitter",
        "the bundle set the switches"
    );
    assert!(
        (sim.users_per_client() - 6_000_000.0 / 500.0).abs() < 1e-9,
        "each client now stands for 12,000 users"
    );
}

/// The same seed gives the same pixels; another seed other pixels.
#[wasm_bindgen_test]
fn the_same_seed_gives_the_same_pixels() {
    let run = |seed: &str| {
        let mut sim = web_sim("aug-2007", &[("clients", "3000"), ("seed", seed)]);
        sim.step_until(400);
        drawn(&mut sim)
    };
    let (a, b, c) = (run("11"), run("11"), run("12"));
    assert!(a == b, "seed 11 twice: identical pixels");
    assert!(a != c, "seeds 11 and 12: different pixels");
}

/// The worker's way of stepping, as wasm: minutes cut into pieces of a few timers give the same
/// run and the same pixels as whole minutes, and each call reports the timers it handled.
#[wasm_bindgen_test]
fn cut_minutes_give_the_same_run() {
    let pairs = [("clients", "3000"), ("seed", "5")];
    let mut whole = web_sim("aug-2007", &pairs);
    whole.step_until(430);
    let mut cut = web_sim("aug-2007", &pairs);
    // Calls that handled timers yet ended inside the minute they started in.
    let mut inside = 0u32;
    while cut.now_min() < 430 {
        let before = cut.now_min();
        let n = cut.step_within(430, 200);
        assert!(n <= 200, "a call reports no more than it may handle: {n}");
        inside += u32::from(n > 0 && cut.now_min() == before);
    }
    assert!(inside > 20, "the storm's minutes were cut: {inside} times");
    let json = |s: &WebSim| {
        js_sys::JSON::stringify(&s.latest().map_err(JsValue::from).expect("sample")).expect("json")
    };
    assert_eq!(json(&cut), json(&whole), "the same minute 430");
    assert!(drawn(&mut cut) == drawn(&mut whole), "the same pixels");
}

/// The facade's scrubber, as wasm: rewinding through a checkpoint and playing on gives the same
/// minute, and the future stays known (tests/timeline in `src/timeline.rs` check it natively).
#[wasm_bindgen_test]
fn the_scrubber_rewinds_to_the_same_run() {
    let mut sim = web_sim("aug-2007", &[("clients", "2000")]);
    sim.step_until(500);
    let later = sim.latest().map_err(JsValue::from).expect("sample");
    let at_500 = js_sys::JSON::stringify(&later).expect("json");
    let jumped = sim.seek(150);
    assert!(
        jumped <= 150,
        "jumped back to a checkpoint at or before 150: {jumped}"
    );
    assert_eq!(sim.horizon_min(), 500, "the future is still known");
    sim.step_until(500);
    let again = js_sys::JSON::stringify(&sim.latest().map_err(JsValue::from).expect("sample"))
        .expect("json");
    assert_eq!(
        again, at_500,
        "played on from the checkpoint: the same minute 500"
    );
}

/// The page checks URL parameters one by one: a bad one names its field and range.
#[wasm_bindgen_test]
fn settings_are_checked_with_a_message() {
    let bad = loginstorm::web::check_settings("aug-2007", settings(&[("reboot_share", "3")]));
    let msg = bad.unwrap_or_default();
    assert!(
        msg.starts_with("reboot_share:") && msg.contains("0 to 1"),
        "names field and range: {msg}"
    );
    assert_eq!(
        loginstorm::web::check_settings("aug-2007", settings(&[("reboot_share", "0.5")])),
        None,
        "a good value passes"
    );
}

/// The page's "change it now": the run forks in the worker's hands, the same run as a link to
/// it builds (the `live_changes` knob), and the past is refused with a message.
#[wasm_bindgen_test]
fn a_switch_changed_now_forks_the_run_as_its_link_replays_it() {
    let json = |sim: &WebSim| {
        js_sys::JSON::stringify(&sim.latest().map_err(JsValue::from).expect("sample"))
            .expect("json")
    };
    let mut live = web_sim("aug-2007-unaided", &[("clients", "2000")]);
    live.step_until(600);
    live.seek(380);
    live.step_until(380);
    live.change_live(380, "overload=admission-control")
        .map_err(JsValue::from)
        .expect("the next minute is open");
    assert_eq!(
        live.horizon_min(),
        380,
        "the future without the change is forgotten"
    );
    live.step_until(900);
    let mut link = web_sim(
        "aug-2007-unaided",
        &[
            ("clients", "2000"),
            ("live_changes", "380:overload=admission-control"),
        ],
    );
    link.step_until(900);
    assert_eq!(
        json(&live),
        json(&link),
        "the fork and its link: the same minute 900"
    );
    let refused = live
        .change_live(100, "retry=fixed")
        .err()
        .map(|e| {
            js_sys::Error::from(JsValue::from(e))
                .message()
                .as_string()
                .unwrap_or_default()
        })
        .unwrap_or_default();
    assert!(
        refused.starts_with("live_changes:") && refused.contains("already been simulated"),
        "the past is refused, named: {refused}"
    );
}
