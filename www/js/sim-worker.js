// The engine's own thread: a module worker that holds the run (a WebSim), simulates in chunks,
// paints each new moment into its own canvas, and answers every request with a snapshot of what
// the page shows (see engine.js for the other side). A panic is reported, never left to freeze.
import init, { WebSim, last_panic as lastPanic } from '../pkg/loginstorm.js';

/** The current run, the id the page gave it, and its canvas. */
let sim = null;
let runId = 0;
let canvas = null;
let ctx = null;
/** Settings of the painting that apply from the next frame. */
let size = { w: 1, h: 1 };
let dark = false;
/** The picture no longer shows the run (moved, resized, recoloured). */
let stale = true;
/** Samples before this minute and this many events have reached the page. */
let sentTo = 0;
let sentEvents = -1;
/**
 * Running estimates of the engine's cost (ms a minute, ms a client timer) to size each chunk,
 * and the most minutes the next chunk may take: a new run starts at one and doubles, so a run
 * much slower than the last never swallows seconds on a stale estimate.
 */
let msPerTick = 0.05;
let msPerTimer = 0.001;
let mostMinutes = 1;
/**
 * What a picture costs (ms, a running estimate) and when the last one was made: on the way to
 * a moment far ahead, pictures of the minutes passed take at most a fifth of the worker's time
 * (at 9M clients a picture costs more than a frame's budget of simulating).
 */
let msPerPaint = null;
let lastPaintAt = -Infinity;
/** The engine hands back control between runs of this many timers at the least. */
const FEWEST_TIMERS = 256;
/** Set once the engine has panicked: nothing more is asked of it. */
let dead = false;
/**
 * The engine, once the page sends its compiled module: requests that come first (the page
 * starts this worker before the module is compiled) wait for it, in order.
 */
let begin;
const ready = new Promise((resolve) => { begin = resolve; }).then((module) => init({ module_or_path: module }));
ready.then(() => {
  self.postMessage({ type: 'ready' });
  // The first canvas context of a thread takes a while to make: make it before the first run.
  canvas ??= new OffscreenCanvas(size.w, size.h);
  ctx ??= canvas.getContext('2d');
}, (err) => crashed(err));

self.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'init') {
    begin(m.module);
    return;
  }
  ready.then(() => {
    if (dead) return;
    try {
      handle(m);
    } catch (err) {
      crashed(err);
    }
  });
};

function handle(m) {
  switch (m.type) {
    case 'load': return load(m);
    case 'resize': size = { w: m.w, h: m.h }; sim?.resize(m.w, m.h); stale = true; return undefined;
    case 'dark': dark = m.dark; sim?.set_dark(m.dark); stale = true; return undefined;
    case 'seek': if (m.run === runId) sim.seek(m.t); return answer(m);
    case 'advance': if (m.run === runId) advance(m.target, m.budgetMs); return answer(m);
    case 'fork': return fork(m);
    case 'csv': return self.postMessage({ type: 'reply', id: m.id, run: runId, csv: sim?.csv() ?? '' });
    case 'panic': return sim?.panic_for_test?.();
    default: return undefined;
  }
}

function load(m) {
  size = { w: m.w, h: m.h };
  dark = m.dark;
  let next;
  try {
    next = new WebSim(m.preset, m.settings, size.w, size.h, dark);
  } catch (err) {
    // A refused setting (the page checks first, so this is rare): the old run stays.
    self.postMessage({ type: 'reply', id: m.id, run: m.run, error: err.message });
    return;
  }
  sim?.free();
  sim = next;
  runId = m.run;
  sentTo = 0;
  sentEvents = -1;
  lastNow = -1;
  mostMinutes = 1;
  msPerPaint = null;
  answer(m);
}

/**
 * The run forks at minute `m.at`: the switches in `m.switches` from then on. The worker may be
 * past that minute (the page asked while a frame was on its way): it goes back first, to the
 * checkpoint before (the change waits for its minute), or short of it (it is still on its way).
 */
function fork(m) {
  if (m.run !== runId) return answer(m);
  try {
    if (sim.now_min() > m.at) sim.seek(m.at);
    sim.change_live(m.at, m.switches);
  } catch (err) {
    self.postMessage({ type: 'reply', id: m.id, run: m.run, error: err.message });
    return undefined;
  }
  // What the page holds from the fork on is the other run's: send it again, and its events.
  sentTo = Math.min(sentTo, sim.now_min());
  sentEvents = -1;
  stale = true;
  return answer(m);
}

/**
 * Simulates towards `target` in chunks sized from the measured cost of a minute and of a timer.
 * A minute that moves millions of clients is cut between timers (the engine finishes it at the
 * next call, the same run), so no chunk runs far past the budget and a new request is never
 * kept waiting by a mass switch-off.
 */
function advance(target, budgetMs) {
  const start = performance.now();
  if (target < sim.now_min()) sim.seek(target);
  while (sim.now_min() < target) {
    const left = budgetMs - (performance.now() - start);
    if (left <= 0) break;
    const chunk = Math.max(1, Math.min(target - sim.now_min(), mostMinutes, Math.floor(left / Math.max(msPerTick, 0.001))));
    mostMinutes = Math.min(2 * chunk, 1 << 16);
    const timers = Math.min(2 ** 31, Math.max(FEWEST_TIMERS, Math.floor(left / msPerTimer)));
    const t0 = performance.now();
    const from = sim.now_min();
    const handled = sim.step_within(from + chunk, timers);
    const done = sim.now_min() - from;
    if (done === 0 && handled === 0) break;
    const spent = performance.now() - t0;
    if (done > 0) msPerTick = running(msPerTick, spent / done);
    if (handled > 0) msPerTimer = Math.max(1e-6, running(msPerTimer, spent / handled));
  }
}

/** A running estimate moved towards a new `sample` (taken whole when there is none yet, null). */
function running(estimate, sample) {
  return estimate === null ? sample : 0.7 * estimate + 0.3 * sample;
}

let lastNow = -1;

/** Replies to request `m` with a snapshot of the run (and a new picture if one is wanted). */
function answer(m) {
  const now = sim.now_min();
  if (now !== lastNow) { stale = true; lastNow = now; }
  const snap = {
    type: 'reply', id: m.id, run: runId, now,
    horizon: sim.horizon_min(), duration: sim.duration_min(), restarting: sim.restarting(),
    caption: sim.caption(), latest: sim.latest(), summary: sim.summary(),
    usersPerClient: sim.users_per_client(), normalCore: sim.normal_core(),
    dotPx: sim.dot_px(), clientsPerDot: sim.clients_per_dot(),
  };
  // Samples from where the page's copy is still right (a jump back shortens it).
  const from = Math.min(sentTo, now);
  snap.samplesFrom = from;
  snap.samples = sim.samples_since(from);
  sentTo = snap.samples.length ? snap.samples[snap.samples.length - 1].t_min + 1 : from;
  const count = sim.event_count();
  if (count !== sentEvents) { snap.events = sim.events(); sentEvents = count; }
  const transfer = [];
  const onTheWay = m.type === 'advance' && now < m.target;
  if (stale && m.paint && !(onTheWay && performance.now() - lastPaintAt < 4 * (msPerPaint ?? 0))) {
    if (!canvas || canvas.width !== size.w || canvas.height !== size.h) {
      canvas = new OffscreenCanvas(size.w, size.h);
      ctx = canvas.getContext('2d');
    }
    const t0 = performance.now();
    sim.draw_offscreen(ctx);
    snap.frame = canvas.transferToImageBitmap();
    snap.links = sim.links();
    transfer.push(snap.frame, snap.links.buffer);
    stale = false;
    lastPaintAt = performance.now();
    msPerPaint = running(msPerPaint, lastPaintAt - t0);
  }
  self.postMessage(snap, transfer);
}

/** The engine panicked (or failed): say so with the panic's own message, and stop. */
function crashed(err) {
  dead = true;
  let message = err?.message ?? String(err);
  try { message = lastPanic() ?? message; } catch { /* the module itself did not load */ }
  self.postMessage({ type: 'crashed', message });
}
