// The page's controller, for index.html (the full page) and embed.html (minimal chrome): loads
// the engine, turns wall-clock time into simulated minutes on a fixed timestep, and keeps the
// view, charts, caption, controls and URL in step with the run.
import init, { WebSim, presets as enginePresets, knobs as engineKnobs, random_seed, users_in_words as users } from '../pkg/loginstorm.js';
import { Clock } from './format.js';
import { readState, writeState } from './url-state.js';
import { View } from './view.js';
import { Controls, logScale } from './controls.js';
import { Tour } from './tour.js';
import { copyText, embedCode, downloadCsv, composePng, downloadPng } from './share.js';

const DEFAULTS = { preset: 'calm-day', t: 0, speed: 60 };
/** Longest real time one frame may simulate, so a background tab does not fast-forward. */
const MAX_FRAME_S = 0.25;
/** Real milliseconds a frame may spend simulating (the rest is for drawing). */
const STEP_BUDGET_MS = 9;
/** Speed slider range, simulated minutes per real second (log scale). */
const SPEED = { min: 1, max: 2000 };
/** With reduced motion the view changes in steps of this many simulated minutes. */
const REDUCED_STEP_MIN = 10;
const PHASE_WORDS = {
  stable: 'stable', 'reboot-wave': 'reboot wave', 'login-storm': 'login storm',
  collapsed: 'collapsed', recovering: 'recovering', recovered: 'recovered',
};
const STRATEGY_KNOBS = ['supernode_choice', 'retry', 'planner_demand', 'overload'];
const UPDATE_KNOBS = ['patch_at_min', 'reboot_share', 'reboot_window_min', 'follow_night'];
const ADVANCED_KNOBS = ['clients', 'supernode_capacity', 'handshakes_per_min', 'host_cache_size', 'retry_base_min', 'retry_cap_min', 'seed'];

const $ = (id) => document.getElementById(id);
const on = (id, type, fn) => $(id)?.addEventListener(type, fn);

/** The speed slider: simulated minutes per real second, tens above 100. */
const SPEED_SCALE = logScale(SPEED.min, SPEED.max, (v) => (v >= 100 ? Math.round(v / 10) * 10 : Math.round(v)));
/** The update-timing slider on the first screen: one hour to one day, in tens of minutes. */
const WINDOW_SCALE = logScale(60, 1440, (v) => Math.round(v / 10) * 10);

class App {
  constructor() {
    this.mode = document.body.dataset.mode ?? 'page';
    this.view = new View($('view'), $('overlay'), $('view-wrap'));
    this.dark = matchMedia('(prefers-color-scheme: dark)').matches;
    this.reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.playing = false;
    this.visible = true;
    this.simTime = 0;
    this.target = 0;
    /** A jump is under way: the run simulates towards `target` before the clock moves on. */
    this.seeking = false;
    this.msPerTick = 0.05;
    this.lastFrame = null;
    this.lastDrawnAt = -1;
    /** The last frame's attachment links (from the engine), redrawn with every particle step. */
    this.links = null;
    this.dirty = true;
    this.lastSlow = { caption: 0, charts: 0, url: 0, status: 0 };
    this.lastPhase = null;
    this.eventCount = -1;
  }

  async start() {
    await init();
    this.presets = enginePresets();
    this.knobs = engineKnobs();
    this.charts = null;
    if ($('charts')) {
      const { Charts } = await import('./charts.js');
      this.charts = new Charts($('charts'), new Clock(null));
    }
    this.controls = new Controls(this.knobs, (name, value) => this.setKnob(name, value));
    this.buildPage();
    const st = readState(location.search, this.presets, DEFAULTS);
    this.speed = st.speed;
    this.showProblems(st.problems);
    this.view.fit();
    this.load(st.preset, st.settings, st.t, st.tour);
    // A shared moment opens paused on that moment; otherwise the network is alive at once.
    this.setPlaying(!st.t && st.tour === null && !this.reducedMotion);
    // The URL holds the step's whole state (and anything the reader did since): show the
    // step's text without applying it again.
    if (st.tour !== null && this.tour) this.tour.show(st.tour - 1);
    this.watch();
    window.loginstorm = this.testHandle();
    requestAnimationFrame((t) => this.frame(t));
  }

  /** Wires the page's own elements (those present: the embed page has fewer). */
  buildPage() {
    on('play', 'click', () => this.setPlaying(!this.playing));
    on('step', 'click', () => { this.setPlaying(false); this.seek(this.moment() + 1); });
    on('restart', 'click', () => { this.seek(0); this.setPlaying(true); });
    const speed = $('speed');
    if (speed) {
      speed.addEventListener('input', () => { this.speed = SPEED_SCALE.fromPos(Number(speed.value)); this.showSpeed(); });
      speed.addEventListener('change', () => this.saveUrl());
    }
    const scrub = $('scrub');
    if (scrub) {
      scrub.addEventListener('input', () => { this.setPlaying(false); this.seek(Number(scrub.value)); });
    }
    on('apply-update', 'click', () => {
      this.tour?.close();
      // The reader's update timing and strategy carry over, whether set by hand or by the
      // scenario they were looking at (only where they differ from August 2007's own).
      const base = this.presets.find((p) => p.name === 'aug-2007')?.config ?? {};
      const carried = { ...this.settings };
      for (const k of [...STRATEGY_KNOBS, 'reboot_window_min', 'follow_night', 'reboot_share']) {
        if (k === 'reboot_share' && this.values[k] === '0') continue; // a calm day has no update
        if (String(base[k]) !== this.values[k]) carried[k] = this.values[k];
      }
      delete carried.strategy;
      this.load('aug-2007', carried, 300);
      this.setPlaying(true);
    });
    on('engineers', 'click', () => this.sendEngineers());
    const win = $('window');
    if (win) {
      win.addEventListener('input', () => { $('window-out').textContent = showWindow(WINDOW_SCALE.fromPos(Number(win.value))); });
      win.addEventListener('change', () => this.setKnob('reboot_window_min', String(WINDOW_SCALE.fromPos(Number(win.value)))));
    }
    for (const r of document.querySelectorAll('input[name=bundle]')) {
      r.addEventListener('change', () => { if (r.checked) this.setKnob('strategy', r.value); });
    }
    const list = $('presets');
    if (list) {
      for (const p of this.presets) {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = p.title;
        b.dataset.preset = p.name;
        b.addEventListener('click', () => { this.tour?.close(); this.load(p.name, {}, 0); this.setPlaying(true); });
        list.append(b);
      }
    }
    if ($('knobs-strategy')) {
      this.controls.build($('knobs-strategy'), STRATEGY_KNOBS);
      this.controls.build($('knobs-update'), UPDATE_KNOBS, (n) => (n === 'patch_at_min' ? 4 * 1440 : null));
      this.controls.build($('knobs-advanced'), ADVANCED_KNOBS);
      const shown = new Set([...STRATEGY_KNOBS, ...UPDATE_KNOBS, ...ADVANCED_KNOBS]);
      this.controls.build($('knobs-more'), this.knobs.map((k) => k.name).filter((n) => !shown.has(n)),
        (n) => (n.endsWith('_at_min') ? 14 * 1440 : null));
    }
    on('new-seed', 'click', () => {
      let seed;
      try { seed = random_seed(); } catch { seed = BigInt(Math.floor(Math.random() * 2 ** 52)); }
      this.setKnob('seed', String(seed));
    });
    if ($('tour')) {
      this.tour = new Tour({
        panel: $('tour'), count: $('tour-count'), title: $('tour-title'), text: $('tour-text'),
        back: $('tour-back'), next: $('tour-next'), close: $('tour-close'),
      }, (step, n) => {
        this.load(step.preset, {}, step.t, n);
        this.setPlaying(step.play && !this.reducedMotion);
      }, () => { this.tourStep = null; this.saveUrl(true); });
      on('tour-start', 'click', () => this.tour.go(0));
    }
    on('copy-link', 'click', () => copyText(location.href, $('share-text'), $('share-status'), 'The link'));
    on('copy-embed', 'click', () => copyText(embedCode(location.href, this.query()), $('share-text'), $('share-status'), 'The embed code'));
    on('download-csv', 'click', () => downloadCsv(this.sim.csv(), `loginstorm-${this.preset}.csv`));
    on('download-png', 'click', () => downloadPng(
      composePng($('view'), $('overlay'), this.charts?.canvases() ?? [], $('caption').textContent, this.dark),
      `loginstorm-${this.preset}-t${this.sim.now_min()}.png`));
    document.addEventListener('keydown', (e) => this.key(e));
  }

  /** Listens to the world: size, theme, visibility, scrolling. */
  watch() {
    new ResizeObserver(() => {
      if (this.view.fit()) { this.sim.resize(this.view.size.w, this.view.size.h); this.showScale(); this.dirty = true; }
      this.charts?.resize();
    }).observe($('view-wrap'));
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (e) => {
      this.dark = e.matches;
      this.sim.set_dark(this.dark);
      this.charts?.build();
      this.dirty = true;
    });
    matchMedia('(prefers-reduced-motion: reduce)').addEventListener('change', (e) => { this.reducedMotion = e.matches; this.dirty = true; });
    // Pause the animation while nobody can see it.
    document.addEventListener('visibilitychange', () => { this.lastFrame = null; });
    new IntersectionObserver((entries) => {
      this.visible = entries.some((en) => en.isIntersecting);
      this.lastFrame = null;
    }).observe($('view-wrap'));
  }

  /** Starts a run of `preset` with `settings`, and sets off towards minute `t`. */
  load(preset, settings, t = 0, tourStep = null) {
    const info = this.presets.find((p) => p.name === preset);
    let sim;
    try {
      sim = new WebSim(preset, settings, this.view.size.w, this.view.size.h, this.dark);
    } catch (e) {
      this.showProblems([e.message]);
      return e.message;
    }
    this.sim?.free();
    this.sim = sim;
    this.preset = preset;
    this.settings = { ...settings };
    this.tourStep = tourStep;
    this.duration = sim.duration_min();
    this.clock = new Clock(info?.starts_at);
    this.charts?.reset(this.clock, this.duration);
    this.eventCount = -1;
    this.lastPhase = null;
    this.simTime = Math.min(t, this.duration);
    this.target = Math.floor(this.simTime);
    this.seeking = this.target > 0;
    const scrub = $('scrub');
    if (scrub) scrub.max = String(this.duration);
    this.values = sim.values();
    this.controls.show(this.values);
    this.showFirstControls();
    for (const b of document.querySelectorAll('#presets button')) b.setAttribute('aria-pressed', String(b.dataset.preset === preset));
    if ($('preset-description')) $('preset-description').textContent = info?.description ?? '';
    this.showScale();
    this.dirty = true;
    this.lastSlow.caption = 0;
    this.saveUrl(true);
    return null;
  }

  /** The reader set a knob: a new run with it, at the same moment. */
  setKnob(name, value) { return this.setKnobs({ [name]: value }); }

  /** A new run with `changes` (knob name to text) on top of the current settings. */
  setKnobs(changes) {
    const settings = { ...this.settings, ...changes };
    if ('strategy' in changes) for (const k of STRATEGY_KNOBS) delete settings[k];
    if (STRATEGY_KNOBS.some((k) => k in changes)) delete settings.strategy;
    // The same moment: where the run is, or where it was heading if a jump is under way. A
    // changed knob leaves the tour's scripted step. A refused one leaves the run as it was.
    const problem = this.load(this.preset, settings, this.moment());
    if (problem) {
      this.controls.show(this.values);
      this.showFirstControls();
    } else {
      this.showProblems([]);
    }
    return problem;
  }

  /**
   * Engineers bring up mega-supernodes now. It is a knob of the run (`mega_at_min`), so it is in
   * the URL and survives any later change; like any act in the past, it starts the future anew.
   */
  sendEngineers() {
    const at = this.moment();
    const problem = this.setKnobs({ mega_at_min: String(at), mega_ramp_min: '0' });
    if (!problem) this.status(`Engineers bring up mega-supernodes at ${this.clock.long(at)}.`);
  }

  /** The moment the reader is at: where the run is, or where a jump under way is heading. */
  moment() { return this.seeking ? this.target : this.sim.now_min(); }

  /** Goes to minute `t`: back through a checkpoint, forwards by simulating. */
  seek(t) {
    const to = Math.max(0, Math.min(Math.round(t), this.duration));
    this.sim.seek(to);
    this.target = to;
    this.simTime = to;
    this.seeking = true;
    this.dirty = true;
    this.lastSlow.caption = 0;
  }

  setPlaying(p) {
    if (p && this.sim.now_min() >= this.duration) this.seek(0);
    this.playing = p;
    this.lastFrame = null;
    const b = $('play');
    if (b) { b.textContent = p ? 'Pause' : 'Play'; b.setAttribute('aria-pressed', String(p)); }
  }

  frame(now) {
    requestAnimationFrame((t) => this.frame(t));
    if (document.hidden) return;
    // Scrolled out of view, the animation holds still and nothing is drawn; a seek the reader
    // asked for (from a control below the view) still completes, and the charts follow it.
    const shown = this.visible;
    const dt = this.lastFrame === null || !shown ? 0 : Math.min(Math.max(now - this.lastFrame, 0) / 1000, MAX_FRAME_S);
    this.lastFrame = now;
    // A jump the reader asked for (seek, tour step, shared link) completes before the clock
    // plays on from it.
    const seeking = this.target > this.sim.now_min() + 1 && this.seeking;
    if (this.playing && shown && !seeking) {
      this.simTime = Math.min(this.simTime + dt * this.speed, this.duration);
      this.target = Math.floor(this.simTime);
    }
    const before = this.sim.now_min();
    this.advance(now);
    const after = this.sim.now_min();
    if (after >= this.target) this.seeking = false;
    // The engine could not keep up with the clock: hold the clock where the run is rather than
    // run away.
    if (this.playing && !this.seeking && this.target - after > this.speed * MAX_FRAME_S) this.simTime = after + this.speed * MAX_FRAME_S;
    if (this.playing && after >= this.duration) this.setPlaying(false);
    if (before !== after) {
      this.dirty = true;
      // Arrived where the reader asked: say so at once, not at the next slow update.
      if (after === this.target && !this.playing) { this.lastSlow.caption = 0; this.lastSlow.charts = 0; this.lastSlow.url = 0; }
    }
    const behind = this.target - after;
    const catching = $('catching-up');
    if (catching) catching.hidden = behind < Math.max(30, this.speed);
    this.render(now, shown);
    if (!document.body.dataset.ready) {
      // Milliseconds from navigation to the first frame, for scripts/bench-page.mjs.
      document.body.dataset.firstFrameMs = String(Math.round(performance.now()));
      document.body.dataset.ready = '1';
    }
  }

  /** Simulates towards the target within this frame's budget. */
  advance(frameStart) {
    if (this.target < this.sim.now_min()) this.sim.seek(this.target);
    while (this.sim.now_min() < this.target) {
      const left = STEP_BUDGET_MS - (performance.now() - frameStart);
      if (left <= 0) break;
      const chunk = Math.max(1, Math.min(this.target - this.sim.now_min(), Math.floor(left / Math.max(this.msPerTick, 0.001))));
      const t0 = performance.now();
      const from = this.sim.now_min();
      this.sim.step_until(from + chunk);
      const done = this.sim.now_min() - from;
      if (done === 0) break;
      this.msPerTick = 0.7 * this.msPerTick + 0.3 * ((performance.now() - t0) / done);
    }
  }

  render(now, shown) {
    const t = this.sim.now_min();
    const motion = !this.reducedMotion;
    const stepped = this.reducedMotion && this.playing;
    const due = stepped ? Math.floor(t / REDUCED_STEP_MIN) !== Math.floor(this.lastDrawnAt / REDUCED_STEP_MIN) : true;
    const particles = motion && this.playing;
    // The network and its links change only when the run does; the particles every frame.
    const repaint = shown && this.dirty && due;
    if (repaint) {
      this.view.paint(this.sim);
      this.links = this.sim.links();
      this.lastDrawnAt = t;
      this.dirty = false;
    }
    if (repaint || (shown && particles)) {
      this.view.drawOverlay(this.links, { progress: this.simTime - Math.floor(this.simTime), motion, dark: this.dark });
    }
    const scrub = $('scrub');
    if (scrub && document.activeElement !== scrub) scrub.value = String(Math.min(t, this.duration));
    const shownAt = this.clock.long(Number(scrub?.value ?? t));
    if ($('scrub-out') && $('scrub-out').textContent !== shownAt) {
      $('scrub-out').textContent = shownAt;
      scrub?.setAttribute('aria-valuetext', shownAt);
    }
    const bar = $('horizon-bar');
    if (bar) bar.style.width = `${(100 * this.sim.horizon_min()) / this.duration}%`;
    if ($('clock')) $('clock').textContent = this.clock.long(t);
    if (now - this.lastSlow.charts > 120) { this.lastSlow.charts = now; this.updateCharts(); }
    if (now - this.lastSlow.caption > 400) { this.lastSlow.caption = now; this.updateCaption(); }
    if (now - this.lastSlow.url > 1000) { this.lastSlow.url = now; this.saveUrl(); }
  }

  updateCharts() {
    if (!this.charts) return;
    const now = this.sim.now_min();
    if (this.charts.lastTime() >= now) this.charts.truncate(now);
    const samples = this.sim.samples_since(this.charts.lastTime() + 1);
    const upc = this.sim.users_per_client();
    const summary = this.sim.summary();
    this.charts.append(samples, {
      usersPerClient: upc,
      normalUsers: summary.baseline_online * upc,
      normalCore: this.sim.normal_core(),
    });
    const events = this.sim.events();
    if (events.length !== this.eventCount) {
      this.eventCount = events.length;
      this.charts.setEvents(events.filter((e) => e.t_min < now));
      const ol = $('events');
      if (ol) {
        ol.replaceChildren(...events.filter((e) => e.t_min < now).map((e) => {
          const li = document.createElement('li');
          const time = document.createElement('strong');
          time.textContent = `${this.clock.long(e.t_min)}: `;
          li.append(time, e.text);
          return li;
        }));
      }
    }
    this.charts.redraw();
  }

  updateCaption() {
    const caption = this.sim.caption();
    if ($('caption')) $('caption').textContent = caption;
    const s = this.sim.latest();
    const phase = s?.phase ?? 'stable';
    if ($('phase')) { $('phase').textContent = PHASE_WORDS[phase] ?? phase; $('phase').dataset.phase = phase; }
    // The live region speaks on a change of phase, or at most every 20 s while playing.
    const now = performance.now();
    if (phase !== this.lastPhase || (this.playing && now - this.lastSlow.status > 20_000)) {
      this.lastPhase = phase;
      this.lastSlow.status = now;
      const upc = this.sim.users_per_client();
      this.status(s
        ? `${this.clock.long(s.t_min)}: ${PHASE_WORDS[phase]}. ${users(s.online * upc)} users online, ${s.supernodes.toLocaleString('en')} supernodes.`
        : caption);
    }
  }

  status(text) { if ($('status')) $('status').textContent = text; }

  showProblems(problems) {
    const box = $('problems');
    if (!box) return;
    box.hidden = problems.length === 0;
    box.replaceChildren(...problems.map((p) => { const el = document.createElement('p'); el.textContent = p; return el; }));
  }

  showScale() {
    const el = $('scale');
    if (!el || !this.sim) return;
    const perDot = this.sim.users_per_client() * this.sim.clients_per_dot();
    const sample = this.sim.dot_px() < 3 ? '; the large shapes are a sample' : '';
    el.textContent = `1 dot = ${users(perDot)} real user${perDot === 1 ? '' : 's'}${sample}`;
  }

  showSpeed() {
    if ($('speed')) $('speed').value = String(SPEED_SCALE.toPos(this.speed));
    if ($('speed-out')) $('speed-out').textContent = `${this.speed} min/s`;
    $('speed')?.setAttribute('aria-valuetext', `${this.speed} simulated minutes a second`);
  }

  showFirstControls() {
    this.showSpeed();
    const win = $('window');
    if (win) {
      const m = Number(this.values.reboot_window_min);
      win.value = String(WINDOW_SCALE.toPos(m));
      $('window-out').textContent = showWindow(m);
      win.setAttribute('aria-valuetext', showWindow(m));
    }
    const bundle = this.values.strategy;
    for (const r of document.querySelectorAll('input[name=bundle]')) r.checked = r.value === bundle;
    const note = $('bundle-note');
    if (note) note.textContent = bundle === 'custom' ? 'Custom: the switches below are set one by one.' : '';
  }

  query() {
    // The moment the reader asked for, even while the run is still catching up to it.
    const t = this.playing && !this.seeking ? this.sim.now_min() : this.target;
    return writeState({ preset: this.preset, settings: this.settings, t, speed: this.speed }, DEFAULTS);
  }

  saveUrl(force = false) {
    if (!this.sim) return;
    const q = this.query() + (this.tourStep ? `&tour=${this.tourStep}` : '');
    if (force || q !== location.search) history.replaceState(null, '', q);
    const open = $('open-full');
    if (open) open.href = `index.html${q}`;
  }

  key(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const tag = e.target?.tagName;
    const typing = tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA';
    const onButton = tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'A';
    if ($('help')?.open) return;
    if (e.key === '?' && !typing) { $('help')?.showModal(); e.preventDefault(); return; }
    if (typing) return;
    if (e.key === ' ' && !onButton) { this.setPlaying(!this.playing); e.preventDefault(); }
    else if (e.key === 'ArrowRight') { this.setPlaying(false); this.seek(this.moment() + 1); e.preventDefault(); }
    else if (e.key === 'ArrowLeft') { this.setPlaying(false); this.seek(this.moment() - 10); e.preventDefault(); }
    else if (e.key === 'r' || e.key === 'R') { this.seek(0); this.setPlaying(true); }
  }

  /** A small read-only window on the run, for the end-to-end tests and the curious. */
  testHandle() {
    return {
      state: () => ({
        preset: this.preset, settings: { ...this.settings }, now: this.sim.now_min(), target: this.target,
        playing: this.playing, duration: this.duration, horizon: this.sim.horizon_min(), values: this.sim.values(),
      }),
      summary: () => this.sim.summary(),
      charts: () => { this.updateCharts(); return this.charts?.data() ?? null; },
      caption: () => { this.updateCaption(); return $('caption')?.textContent ?? ''; },
    };
  }
}

function showWindow(m) {
  if (m <= 60) return 'within an hour';
  if (m >= 1440) return 'a whole day';
  return `${+(m / 60).toFixed(1)} hours`;
}

new App().start().catch((e) => {
  const caption = $('caption');
  if (caption) caption.textContent = `The simulation could not start: ${e.message}`;
  throw e;
});
