// The engine as the page sees it: the run lives in a Web Worker (sim-worker.js), so a slow minute
// never freezes the page. The playback calls `seek` and `advance` (playback.js); every answer
// brings a snapshot that `RunView` holds, so the page reads the run without waiting.

/**
 * What the page knows of the run: the worker's latest snapshot, read with the names of the
 * engine's own handle (WebSim), so the readout does not care where the run lives.
 */
export class RunView {
  /** @param {object} values Every knob's value as text (the run's config). */
  constructor(values = {}) {
    this.valuesByName = values;
    /** The worker has answered at least once for this run. */
    this.ready = false;
    this.now = 0;
    this.horizon = 0;
    this.duration = Number(values.duration_h ?? 0) * 60;
    this.isRestarting = false;
    this.captionText = '';
    this.last = null;
    this.summaryNow = null;
    this.samples = [];
    this.eventList = [];
    this.usersPerClient = 1;
    this.normalCore = 0;
    this.dotPx = 1;
    this.clientsPerDot = 1;
    /** The newest picture not yet shown, the minute it shows, and the links drawn over it. */
    this.frame = null;
    this.frameMin = -1;
    this.linkList = null;
  }

  /** Takes in a snapshot from the worker. */
  take(snap) {
    this.ready = true;
    this.now = snap.now;
    this.horizon = snap.horizon;
    this.duration = snap.duration;
    this.isRestarting = snap.restarting;
    this.captionText = snap.caption;
    this.last = snap.latest ?? null;
    this.summaryNow = snap.summary;
    this.usersPerClient = snap.usersPerClient;
    this.normalCore = snap.normalCore;
    this.dotPx = snap.dotPx;
    this.clientsPerDot = snap.clientsPerDot;
    this.takeSamples(snap.samples);
    if (snap.events) this.eventList = snap.events;
    if (snap.frame) {
      this.frame?.close();
      this.frame = snap.frame;
      this.frameMin = snap.now;
      this.linkList = snap.links;
    }
  }

  /**
   * Puts `incoming` (consecutive minutes) in place of the same minutes, keeping those beyond: a run
   * is deterministic, so what was computed past a jump back stays true (a changed setting is a
   * new run, with a new view).
   */
  takeSamples(incoming) {
    if (incoming.length === 0) return;
    const first = incoming[0].t_min;
    const last = incoming[incoming.length - 1].t_min;
    let at = this.samples.findIndex((s) => s.t_min >= first);
    if (at < 0) at = this.samples.length;
    let end = at;
    while (end < this.samples.length && this.samples[end].t_min <= last) end++;
    this.samples.splice(at, end - at, ...incoming);
  }

  /** Forgets the minutes from `t` on (the run forked there: they are another run's). */
  forget(t) {
    const at = this.samples.findIndex((s) => s.t_min >= t);
    if (at >= 0) this.samples.length = at;
    this.horizon = Math.min(this.horizon, Math.max(t, this.now));
  }

  /** The newest picture, once (the caller draws it). */
  takeFrame() {
    const f = this.frame;
    this.frame = null;
    return f;
  }

  /** Lets go of a picture never shown. */
  free() { this.frame?.close(); this.frame = null; }

  now_min() { return this.now; }
  horizon_min() { return this.horizon; }
  duration_min() { return this.duration; }
  restarting() { return this.isRestarting; }
  event_count() { return this.eventList.length; }
  events() { return this.eventList; }
  latest() { return this.last; }
  summary() { return this.summaryNow; }
  caption() { return this.captionText; }
  samples_since(from) {
    const at = this.samples.findIndex((s) => s.t_min >= from);
    return at < 0 ? [] : this.samples.slice(at);
  }

  users_per_client() { return this.usersPerClient; }
  normal_core() { return this.normalCore; }
  dot_px() { return this.dotPx; }
  clients_per_dot() { return this.clientsPerDot; }
  values() { return this.valuesByName; }
  links() { return this.linkList; }
}

/**
 * A module worker running `url`. A page whose origin is opaque (embed.html in another site's
 * <iframe sandbox="allow-scripts">) may start no worker from an http URL, and Chromium fails a
 * module worker from its own blob: there a classic worker of a blob imports the module (a CORS
 * request: the server sends Access-Control-Allow-Origin), and hands it the messages that came
 * meanwhile. That worker needs `blob:` in the policy's worker-src.
 * @param {URL} url
 */
export function moduleWorker(url) {
  try {
    return new Worker(url, { type: 'module' });
  } catch (e) {
    if (e.name !== 'SecurityError') throw e;
  }
  const source = `const early = [];
const keep = (e) => early.push(e);
self.addEventListener('message', keep);
import(${JSON.stringify(url.href)}).then(() => {
  self.removeEventListener('message', keep);
  for (const e of early) self.dispatchEvent(new MessageEvent('message', { data: e.data, ports: e.ports }));
}, (err) => setTimeout(() => { throw err; }));
`;
  const blob = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(blob);
  URL.revokeObjectURL(blob);
  return worker;
}

/** The engine in its worker, behind the playback's interface (seek, advance) and a few more. */
export class WorkerEngine {
  /**
   * @param {WebAssembly.Module | Promise<WebAssembly.Module>} module The compiled engine (shared
   *   with the page, compiled once), or its compiling: the worker starts meanwhile.
   * @param {(message: string) => void} onCrash Told once if the engine panics.
   */
  constructor(module, onCrash) {
    this.worker = moduleWorker(new URL('./sim-worker.js', import.meta.url));
    this.onCrash = onCrash;
    this.crashed = false;
    this.nextId = 1;
    this.run = 0;
    /** Requests waiting for an answer: id -> {resolve, at} (when it was sent, ms). */
    this.pending = new Map();
    /** The longest a request waited for its answer (ms), for the benchmarks. */
    this.slowestReplyMs = 0;
    /** The run as the page knows it. */
    this.view = new RunView();
    /** Whether answers should bring a new picture (the view is on screen and due). */
    this.wantPicture = true;
    this.worker.onmessage = (e) => this.receive(e.data);
    this.worker.onerror = (e) => this.crash(e.message || 'the engine could not start');
    Promise.resolve(module).then(
      (compiled) => { if (!this.crashed) this.worker.postMessage({ type: 'init', module: compiled }); },
      (err) => this.crash(err?.message ?? String(err)),
    );
  }

  receive(m) {
    if (m.type === 'crashed') { this.crash(m.message); return; }
    if (m.type !== 'reply') return;
    if (m.run === this.run && !m.error && m.now !== undefined) this.view.take(m);
    const waiting = this.pending.get(m.id);
    this.pending.delete(m.id);
    if (waiting) this.slowestReplyMs = Math.max(this.slowestReplyMs, performance.now() - waiting.at);
    waiting?.resolve(m);
  }

  crash(message) {
    if (this.crashed) return;
    this.crashed = true;
    this.worker.terminate();
    // Whoever waits hears "no change", so nothing waits forever.
    for (const { resolve } of this.pending.values()) resolve({ now: this.view.now });
    this.pending.clear();
    this.onCrash(message);
  }

  request(message) {
    if (this.crashed) return Promise.resolve({ now: this.view.now });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, at: performance.now() });
      this.worker.postMessage({ ...message, id, run: this.run });
    });
  }

  /**
   * A new run of `preset` with `settings` (already checked), painted `w` x `h` pixels; `values`
   * are its knobs' values. Resolves to null, or the worker's refusal in words.
   */
  async load(preset, settings, values, { w, h, dark }) {
    this.run++;
    this.view.free();
    this.view = new RunView(values);
    const answer = await this.request({ type: 'load', preset, settings, w, h, dark, paint: this.wantPicture });
    return answer.error ?? null;
  }

  /**
   * From minute `at` (now or later) on, the switches in `switches` (`name=value,...`) take their
   * values: the run forks, its past kept. Resolves to null, or the worker's refusal in words.
   */
  async fork(at, switches) {
    this.view.forget(at);
    const answer = await this.request({ type: 'fork', at, switches, paint: this.wantPicture });
    return answer.error ?? null;
  }

  async seek(t) { return (await this.request({ type: 'seek', t, paint: this.wantPicture })).now ?? this.view.now; }

  async advance(target, budgetMs) {
    return (await this.request({ type: 'advance', target, budgetMs, paint: this.wantPicture })).now ?? this.view.now;
  }

  /** How long the oldest unanswered request has waited (ms): the worker is busy that long. */
  waitingMs() {
    let oldest = Infinity;
    for (const { at } of this.pending.values()) oldest = Math.min(oldest, at);
    return oldest === Infinity ? 0 : performance.now() - oldest;
  }

  /** Paints at a new size from the next answer on. */
  resize(w, h) { if (!this.crashed) this.worker.postMessage({ type: 'resize', w, h }); }

  setDark(dark) { if (!this.crashed) this.worker.postMessage({ type: 'dark', dark }); }

  /** The run's trace so far as CSV (real-world counts). */
  async csv() { return (await this.request({ type: 'csv' })).csv ?? ''; }

  /** Makes the engine panic (only a build with the `panic-test` feature can). */
  panicForTest() { this.worker.postMessage({ type: 'panic' }); }

  /** Stops the worker; whoever waits on it hears "no change", so nothing waits forever. */
  stop() {
    this.worker.terminate();
    for (const { resolve } of this.pending.values()) resolve({ now: this.view.now });
    this.pending.clear();
    this.crashed = true;
    this.view.free();
  }
}
