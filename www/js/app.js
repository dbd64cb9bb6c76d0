// The page's controller, for index.html (the full page) and embed.html (minimal chrome): wires
// the engine, the playback clock (playback.js), the view, charts, caption, controls and URL.
import init, {
  presets as enginePresets, knobs as engineKnobs, phases as enginePhases, random_seed, users_in_words as users,
  check_settings as checkSettings, config_values as configValues, WebSim,
} from '../pkg/loginstorm.js';
import { Clock, restartWindow, span } from './format.js';
import { Playback } from './playback.js';
import { WorkerEngine } from './engine.js';
import { readState, writeState } from './url-state.js';
import { View } from './view.js';
import { Controls, logScale, stepByStops, CHOICE_WORDS, showValue, changesInWords } from './controls.js';
import { Readout } from './readout.js';
import { shortcut } from './keys.js';
import { colour } from './theme.js';
import {
  STRATEGY_KNOBS, LIVE_KNOBS, withChanges, carriedToUpdate, hasCrash, crashOnly, switchesAt, forkedSettings, parseChanges,
} from './settings.js';

const DEFAULTS = { preset: 'calm-day', t: 0, speed: 60 };
/** Longest real time one frame may simulate, so a background tab does not fast-forward. */
const MAX_FRAME_S = 0.25;
/** Real milliseconds a frame may spend simulating (the rest is for drawing). */
const STEP_BUDGET_MS = 9;
/**
 * Engine time (ms) a call may take on the way to a jump's minute: pause and cancel still answer
 * within it, and the engine is not left idle between calls (at 9M clients, a frame's budget a
 * call kept it idle half the time).
 */
const JUMP_BUDGET_MS = 45;
/** Longest an embed's answer waits for the run to get where it was sent (ms). */
const SETTLE_MS = 60_000;
/** How long a change's note shows over a pinned picture (ms). */
const FLASH_MS = 6000;
/** Runs up to this many clients get their first picture from the page itself (see paintFirstHere). */
const FIRST_PICTURE_HERE_MAX = 100_000;
/** Speed slider range, simulated minutes per real second (log scale). */
const SPEED = { min: 1, max: 2000 };
/** With reduced motion the view changes in steps of this many simulated minutes. */
const REDUCED_STEP_MIN = 10;
/** Events at which the page slows to a reading pace, for this many simulated minutes. */
const KEY_EVENTS = new Set(['update', 'crash', 'first_switch_off', 'core_below_half', 'online_below_half', 'online_below_tenth', 'intervention', 'recovered']);
const SLOW_SPAN_MIN = 40;
/** Knobs the first screen sets (the strategy bundle, the restart window): no second control. */
const FIRST_SCREEN_KNOBS = ['strategy', 'reboot_window_min', 'follow_night'];
/** The first screen's controls as the page labels them (the engine's labels name the rest). */
const FIRST_SCREEN_NAMES = {
  strategy: 'How the network hands out its supernodes', reboot_window_min: 'Restarts happen', follow_night: 'Follow the night',
};
const UPDATE_KNOBS = ['patch_at_min', 'reboot_share'];
const ADVANCED_KNOBS = ['clients', 'supernode_capacity', 'handshakes_per_min', 'host_cache_size', 'retry_base_min', 'retry_cap_min', 'seed'];

const $ = (id) => document.getElementById(id);
const on = (id, type, fn) => $(id)?.addEventListener(type, fn);

/** The speed slider: simulated minutes per real second, tens above 100. */
const SPEED_SCALE = logScale(SPEED.min, SPEED.max, (v) => (v >= 100 ? Math.round(v / 10) * 10 : Math.round(v)));
/** Where the arrow keys move the speed. */
const SPEED_STOPS = [1, 2, 4, 10, 20, 30, 60, 120, 240, 480, 1000, 2000];
/** The update-timing slider on the first screen: ten minutes to two days, in fives then tens. */
const WINDOW_SCALE = logScale(10, 2880, (v) => (v < 60 ? Math.round(v / 5) * 5 : Math.round(v / 10) * 10));
/** Where the arrow keys move the restart window, minutes. */
const WINDOW_STOPS = [10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 960, 1440, 2160, 2880];

class App {
  constructor() {
    this.mode = document.body.dataset.mode ?? 'page';
    this.view = new View($('view'), $('overlay'), $('view-wrap'));
    this.dark = matchMedia('(prefers-color-scheme: dark)').matches;
    this.reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.engine = null;
    // The playback talks to whichever worker is current (a new one after a crash).
    const engine = { seek: (t) => this.engine.seek(t), advance: (target, ms) => this.engine.advance(target, ms) };
    this.playback = new Playback(engine, {
      speed: DEFAULTS.speed, maxFrameS: MAX_FRAME_S, budgetMs: STEP_BUDGET_MS, jumpBudgetMs: JUMP_BUDGET_MS,
      onPlaying: (p) => this.showPlaying(p),
    });
    this.visible = true;
    this.lastDrawnAt = -1;
    /** The worker's picture on screen: the minute it shows and its size (none yet: minute -1). */
    this.picture = { min: -1, w: 0, h: 0 };
    /** The last frame's attachment links (from the engine), redrawn with every particle step. */
    this.links = null;
    this.lastSlow = { caption: 0, charts: 0, url: 0 };
    /** Events of the run already seen (so each key moment slows the page once). */
    this.seenEvents = 0;
    /** The minute the caption was last written for. */
    this.captionAt = -1;
    /** Presenter view is on. */
    this.presenting = false;
  }

  async start(wasm) {
    // Compiled once, instantiated here (presets, checks, words) and in the engine's worker. The
    // worker starts at once and is sent the module when it is compiled: a thread's start-up
    // then overlaps the compiling and the page's own building.
    this.module = compileEngine(wasm);
    this.startEngine();
    performance.mark('loginstorm:worker');
    await init({ module_or_path: await this.module });
    performance.mark('loginstorm:compiled');
    this.presets = enginePresets();
    const st = readState(location.search, this.presets, DEFAULTS);
    if (this.mode === 'embed') {
      // An article's embed: its own options (view, controls, caption, title) and message API.
      const { Embed } = await import('./embed.js');
      this.embed = new Embed(this.embedHandle());
      // Its picture narrows to fit the frame: a shape that changed with the width would never settle.
      this.view.ratio = 9 / 16;
      st.problems.push(...this.embed.layOut());
      this.urlProblems = st.problems;
    }
    this.view.fit();
    this.paintFirstHere(st);
    performance.mark('loginstorm:first-picture');
    // Let the browser show that picture before building the rest (one short task each).
    await new Promise((resolve) => { setTimeout(resolve, 0); });
    this.knobs = engineKnobs();
    const phases = enginePhases();
    this.phases = phases;
    this.charts = null;
    this.readout = new Readout({ charts: this.charts, phaseWords: Object.fromEntries(phases.map((p) => [p.name, p.words])) });
    this.controls = new Controls(this.knobs, (name, value) => this.setKnob(name, value));
    this.buildPage();
    await new Promise((resolve) => { setTimeout(resolve, 0); });
    this.playback.speed = st.speed;
    this.setAutoSlow(st.slow);
    this.readout.showProblems(st.problems);
    this.setPresenting(st.present);
    this.view.fit();
    performance.mark('loginstorm:built');
    this.load(st.preset, st.settings, st.t, st.tour);
    this.showLinkedChange();
    // A shared moment opens paused on that moment; otherwise the network is alive at once.
    this.setPlaying(!st.t && st.tour === null && !this.reducedMotion);
    // The URL holds the step's whole state (and anything the reader did since): show the
    // step's text without applying it again.
    // A hand-made link (`?tour=4` alone, or with another scenario) gets the step applied.
    if (st.tour !== null) {
      this.tourReady()?.then((tour) => {
        if (tour.fits(st.tour - 1, st.preset, st.t)) tour.show(st.tour - 1);
        else tour.go(st.tour - 1);
        this.fitPresentedCharts();
      });
    }
    this.watch();
    this.embed?.listen();
    this.loadChartsWhenNear();
    this.loadMapWhenNear();
    this.compareReady = st.compare ? this.loadCompare().then((c) => this.openCompare(c, st.compare)) : null;
    whenNear($('compare-section'), () => this.loadCompare().catch((e) => this.fail(e)));
    on('loop-run', 'click', async () => {
      this.loop ??= await import('./hysteresis.js').then(({ HysteresisLoop }) => new HysteresisLoop({
        run: $('loop-run'), status: $('loop-status'), chart: $('loop-chart'),
      }, this.exploreModule(), { settings: () => ({ seed: this.values.seed }) }));
      this.loop.compute();
    });
    window.loginstorm = this.testHandle();
    requestAnimationFrame((t) => this.frame(t).catch((e) => this.fail(e)));
  }

  get playing() { return this.playback.playing; }

  /** The run as the page knows it (the worker's latest answer). */
  get sim() { return this.engine.view; }

  /** A new engine worker; a panic shows the error panel, whose button starts another. */
  startEngine() {
    this.engine?.stop();
    this.engine = new WorkerEngine(this.module, (message) => this.crashed(message));
    this.engine.resize(this.view.size.w, this.view.size.h);
  }

  /** The engine stopped: say why, and offer a new start (the same settings, from the start). */
  crashed(message) {
    this.setPlaying(false);
    if ($('crashed-text')) $('crashed-text').textContent = message;
    if ($('crashed')) $('crashed').hidden = false;
    // (It may stop before the page has built its readout.)
    this.readout?.status(`The simulation stopped: ${message}`);
  }

  restartEngine() {
    if ($('crashed')) $('crashed').hidden = true;
    this.startEngine();
    this.load(this.preset, this.settings, 0);
  }

  /** Wires the page's own elements (those present: the embed page has fewer). */
  buildPage() {
    this.showChartKey();
    this.wirePlayback();
    this.wireScenario();
    this.wireKnobs();
    this.wireTour();
    this.wireShare();
    document.addEventListener('keydown', (e) => this.key(e));
    // Whether focus came from a click or from the keyboard (see keys.js: Space after a click).
    this.pointerFocus = false;
    document.addEventListener('pointerdown', () => { this.pointerFocus = true; }, true);
    document.addEventListener('keydown', (e) => { if (e.key === 'Tab') this.pointerFocus = false; }, true);
  }

  /** The charts' key: each phase's band in its colour and words, then the lines and the clicks. */
  showChartKey() {
    const key = $('chart-key');
    if (!key) return;
    const bands = this.phases.filter((p) => p.name !== 'stable').map((p) => {
      const item = document.createElement('span');
      item.className = 'key';
      const swatch = document.createElement('i');
      swatch.className = 'band';
      swatch.style.background = `var(--band-${p.name})`;
      item.append(swatch, p.words);
      return item;
    });
    // The bands' key stays in presenter view; the rest is for a reader at the screen.
    const more = document.createElement('span');
    more.className = 'key-more';
    more.textContent = ' Dashed lines: the events so far, listed below (×3: three events too close to tell apart); grey: the normal level; letters (boxes, diamonds, ticks): what the record says, listed below; a faint dotted line: the run before your change, from the line marked “your change”. After going back in time, the rest of the run already computed stays, veiled. Click or drag on a chart to go to that moment.';
    key.replaceChildren('Shaded: ', ...bands.flatMap((b, i) => (i ? [', ', b] : [b])), '.', more);
  }

  /** Play, step, restart, speed and the time scrubber. */
  wirePlayback() {
    on('play', 'click', () => this.togglePlaying());
    on('crashed-restart', 'click', () => this.restartEngine());
    on('step', 'click', () => { this.setPlaying(false); this.seek(this.moment() + 1); });
    on('restart', 'click', () => { this.seek(0); this.setPlaying(true); });
    const speed = $('speed');
    if (speed) {
      speed.addEventListener('input', () => { this.playback.speed = SPEED_SCALE.fromPos(Number(speed.value)); this.showSpeed(); });
      speed.addEventListener('change', () => this.saveUrl());
      stepByStops(speed, SPEED_STOPS, () => this.playback.speed, (v) => { this.playback.speed = v; this.showSpeed(); this.saveUrl(); });
    }
    const scrub = $('scrub');
    if (scrub) {
      scrub.addEventListener('input', () => { this.setPlaying(false); this.seek(Number(scrub.value)); });
    }
    on('auto-slow', 'change', () => this.setAutoSlow($('auto-slow').checked));
    on('present', 'click', () => {
      this.setPresenting(!this.presenting);
      // A projector wants the whole screen; leaving full screen (Esc) leaves the view too.
      if (this.presenting) document.documentElement.requestFullscreen?.().catch(() => {});
      else if (document.fullscreenElement) document.exitFullscreen?.().catch(() => {});
    });
    document.addEventListener('fullscreenchange', () => {
      if (!document.fullscreenElement && this.presenting) this.setPresenting(false);
    });
    on('keep-speed', 'click', () => this.setAutoSlow(false));
  }

  /** Presenter view: the simulation and the charts large, side by side, the rest aside. */
  setPresenting(on) {
    this.presenting = on;
    if (on) document.body.dataset.present = '1';
    else delete document.body.dataset.present;
    const b = $('present');
    if (b) {
      b.setAttribute('aria-pressed', String(on));
      b.textContent = on ? 'Leave presenter view' : 'Presenter view';
    }
    // The charts belong to this view: load them now, sized for it (or back from it).
    if (on) this.loadCharts().then((c) => c?.resize()).catch((e) => this.fail(e));
    else this.charts?.resize();
    this.saveUrl();
  }

  /** In presenter view the charts share what the screen has left below them: a tour card changes that. */
  fitPresentedCharts() {
    if (this.presenting) this.charts?.resize();
  }

  /** Whether the page slows to a reading pace at key moments. */
  setAutoSlow(on) {
    this.playback.autoSlow = on;
    if ($('auto-slow')) $('auto-slow').checked = on;
    this.saveUrl();
  }

  /**
   * Key moments: the whole reboot wave, and the minutes after each new event of the run, play
   * at a reading pace (not while jumping).
   */
  noticeKeyMoments() {
    // A wave of an hour or two plays at the reading pace throughout; a day-long one (spread out,
    // or following the night) only around its events, or the reader would wait for minutes.
    const shortWave = Number(this.values?.reboot_window_min) <= 120 && this.values?.follow_night !== 'true';
    if (this.playing && !this.playback.jumping && shortWave && this.sim.restarting()) this.playback.slowDownUntil(this.playback.now + 1);
    const n = this.sim.event_count();
    if (n < this.seenEvents) this.seenEvents = n; // rewound
    if (n === this.seenEvents) return;
    const fresh = this.sim.events().slice(this.seenEvents);
    this.seenEvents = n;
    if (!this.playing || this.playback.jumping) return;
    for (const e of fresh) if (KEY_EVENTS.has(e.kind)) this.playback.slowDownUntil(e.t_min + SLOW_SPAN_MIN);
  }

  /** The first screen's actions and controls, and the scenario buttons. */
  wireScenario() {
    on('apply-update', 'click', () => this.applyUpdate());
    on('engineers', 'click', () => this.sendEngineers());
    const win = $('window');
    if (win) {
      const follow = () => this.values.follow_night === 'true';
      win.addEventListener('input', () => { $('window-out').textContent = restartWindow(WINDOW_SCALE.fromPos(Number(win.value)), follow()); });
      win.addEventListener('change', () => this.setKnob('reboot_window_min', String(WINDOW_SCALE.fromPos(Number(win.value)))));
      stepByStops(win, WINDOW_STOPS, () => Number(this.values.reboot_window_min), (v) => this.setKnob('reboot_window_min', String(v)));
    }
    on('follow-night', 'change', () => this.setKnob('follow_night', String($('follow-night').checked)));
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
        b.addEventListener('click', () => { this.tour?.close(); this.load(p.name, {}, 0); this.setPlaying(true); this.showCaption(); });
        list.append(b);
      }
    }
  }

  /** Every knob's control, built from the engine's list, and the new-seed button. */
  wireKnobs() {
    if ($('knobs-strategy')) {
      this.controls.build($('knobs-strategy'), STRATEGY_KNOBS);
      this.controls.build($('knobs-update'), UPDATE_KNOBS, (n) => (n === 'patch_at_min' ? 4 * 1440 : null));
      this.controls.build($('knobs-advanced'), ADVANCED_KNOBS);
      // The switches changed during a run are set by changing a switch while it plays.
      const shown = new Set([...FIRST_SCREEN_KNOBS, ...STRATEGY_KNOBS, ...UPDATE_KNOBS, ...ADVANCED_KNOBS, 'live_changes']);
      this.controls.build($('knobs-more'), this.knobs.map((k) => k.name).filter((n) => !shown.has(n)),
        (n) => (n.endsWith('_at_min') ? 14 * 1440 : null));
    }
    // An embed's one switch (`controls=switch:NAME`), with the engine's own words.
    if (this.embed?.ownSwitch) this.controls.build($('embed-switch'), [this.embed.ownSwitch]);
    on('ghost-clear', 'click', () => this.showGhost(null));
    on('reset', 'click', () => {
      this.tour?.close();
      this.playback.speed = DEFAULTS.speed;
      this.setAutoSlow(true);
      this.showSpeed();
      this.readout.showProblems([]);
      this.load(DEFAULTS.preset, {}, DEFAULTS.t);
      this.setPlaying(!this.reducedMotion);
    });
    // The switch table's code (and its workers) load on the first click.
    on('switch-table-run', 'click', async () => {
      this.switchTable ??= await import('./switch-table.js').then(({ SwitchTable }) => new SwitchTable({
        table: $('switch-table'), body: $('switch-table-body'), status: $('switch-table-status'),
        run: $('switch-table-run'), cancel: $('switch-table-cancel'), retryBox: $('retry-box'), retryBody: $('retry-table-body'),
      }, this.exploreModule(), {
        scenario: () => this.tableScenario(),
        at: (t) => this.clock.short(t),
        users,
        // A row is a whole run: it loads from the start, playing.
        load: (strategy) => {
          this.setKnobs(strategy, { fork: false, at: 0 });
          this.setPlaying(!this.reducedMotion);
          this.showCaption();
        },
      }));
      this.switchTable.compute();
    });
    on('new-seed', 'click', () => {
      let seed;
      try { seed = random_seed(); } catch { seed = BigInt(Math.floor(Math.random() * 2 ** 52)); }
      this.setKnob('seed', String(seed));
    });
  }

  /** The scenario's title. */
  get title() { return this.presets.find((p) => p.name === this.preset)?.title ?? this.preset; }

  /**
   * The scenario on screen with `settings` for a background job: its preset, the settings and
   * its title for the job's words (the engineers sent in are not "your settings").
   */
  scenarioWith(settings) {
    const changed = Object.keys(settings).some((k) => k !== 'mega_at_min');
    return { preset: this.preset, settings, title: `“${this.title}”${changed ? ' with your settings' : ''}` };
  }

  /** The scenario the switch table runs: this one, with its switches left to the table. */
  tableScenario() {
    return this.scenarioWith(Object.fromEntries(Object.entries(this.settings).filter(([k]) => k !== 'strategy' && k !== 'live_changes' && !STRATEGY_KNOBS.includes(k))));
  }

  /** The tour's code loads when a reader starts it (or a link opens on a step), not with the page. */
  wireTour() {
    if ($('tour')) on('tour-start', 'click', async () => (await this.tourReady()).go(0));
  }

  /** The tour, loaded once; null on a page without one (the embed). */
  tourReady() {
    if (!$('tour')) return null;
    this.tourLoading ??= import('./tour.js').then(({ Tour }) => {
      this.tour = new Tour({
        panel: $('tour'), count: $('tour-count'), title: $('tour-title'), text: $('tour-text'),
        back: $('tour-back'), next: $('tour-next'), close: $('tour-close'), action: $('tour-action'),
      }, (step, n) => {
        // With reduced motion, the step opens paused on the moment its text describes.
        const still = this.reducedMotion && step.until !== undefined;
        this.load(step.preset, {}, still ? step.until : step.t, n);
        this.playback.stopAt = still ? null : step.until ?? null;
        this.playback.stopPace = step.pace ?? null;
        this.setPlaying(step.play && !this.reducedMotion);
        const top = $('tour').getBoundingClientRect().top;
        if (top < 0 || top > innerHeight / 2) $('tour').scrollIntoView({ block: 'start', behavior: this.reducedMotion ? 'auto' : 'smooth' });
        this.fitPresentedCharts();
      }, () => { this.tourStep = null; this.saveUrl(true); this.fitPresentedCharts(); });
      return this.tour;
    });
    return this.tourLoading;
  }

  /**
   * Copy link, copy embed code, CSV, PNG and the worksheet: their code loads on the first click,
   * not with the page.
   */
  wireShare() {
    const share = () => import('./share.js');
    on('print-worksheet', 'click', async () => {
      const { worksheet, layOut } = await import('./worksheet.js');
      const sheet = await this.atRunEnd(() => worksheet(this.worksheetRun()));
      if (!sheet) {
        $('share-status').textContent = 'No worksheet: the run changed while it was being computed. Press the button again.';
        return;
      }
      layOut(sheet, $('worksheet'));
      document.body.dataset.printing = 'worksheet';
      addEventListener('afterprint', () => { delete document.body.dataset.printing; }, { once: true });
      window.print();
    });
    on('copy-link', 'click', async () => (await share()).copyText(location.href, $('share-text'), $('share-status'), 'The link'));
    // The element always grows to its content: the size is the iframe's choice alone.
    on('embed-kind', 'change', () => { $('embed-size').hidden = $('embed-kind').value === 'element'; });
    on('copy-embed', 'click', async () => {
      const [{ copyText, embedCode }, { readEmbedOptions }] = await Promise.all([share(), import('./embed-options.js')]);
      const now = $('embed-start')?.value === 'now';
      const at = now ? Math.floor(this.moment()) : 0;
      // Each copy its own id: two embeds on one article each follow their own height.
      const id = `loginstorm-${Math.random().toString(36).slice(2, 8)}`;
      // The run, not this page's own state: no presenter view, no side by side.
      const query = new URLSearchParams(this.query(at, false));
      query.delete('compare');
      // The form's choices read as the embed reads its address.
      const { options } = readEmbedOptions(this.embedChoices());
      await copyText(embedCode(location.href, `?${query}`, options, $('embed-kind')?.value, id), $('share-text'), $('share-status'), 'The embed code');
      $('share-status').textContent += ` It opens ${at ? `paused at ${this.clock.long(at)}` : 'at the beginning of the run, playing'}.`;
    });
    on('download-csv', 'click', async () => {
      // The whole run, computed for the export if need be (the reader is brought back).
      const [{ downloadCsv, fileStem }, csv] = await Promise.all([share(), this.atRunEnd(() => this.engine.csv())]);
      if (csv === null) {
        $('share-status').textContent = 'No CSV: the run changed while it was being computed. Press the button again.';
        return;
      }
      downloadCsv(csv, `${fileStem(this.preset, this.settings)}.csv`);
    });
    on('download-png', 'click', async () => {
      const [{ composePng, downloadPng, fileStem }] = await Promise.all([share(), this.loadCharts()]);
      // Charts loaded just now hold nothing yet: fill them up to this minute first, and let
      // them draw (uPlot draws on its own schedule) before copying their canvases.
      this.readout.updateCharts(this.sim, this.playback.now);
      await new Promise((resolve) => { requestAnimationFrame(() => requestAnimationFrame(resolve)); });
      const name = `${fileStem(this.preset, this.settings)}_t${this.sim.now_min()}.png`;
      await downloadPng(composePng($('view'), $('overlay'), this.charts?.canvases() ?? [], this.sim.caption(), this.pictureNotes()), name);
    });
  }

  /** The embed's options as the share section's small form sets them, written as in its address. */
  embedChoices() {
    const title = $('embed-title-in')?.value.trim();
    return {
      view: $('embed-view')?.value, controls: $('embed-controls')?.value, height: $('embed-height')?.value,
      caption: $('embed-caption')?.checked === false ? 'off' : 'on', ...(title ? { title } : {}),
    };
  }

  /**
   * `use()`'s answer at the run's end (the worksheet's answers and the CSV are the whole run's): the run is
   * computed to its end, then goes back to the moment the reader was at. Null if the reader
   * changed or moved the run meanwhile.
   */
  async atRunEnd(use) {
    const back = this.moment();
    const wasPlaying = this.playing;
    const run = this.engine.run;
    $('share-status').textContent = 'Computing the whole run…';
    this.setPlaying(false);
    this.seek(this.duration);
    const undisturbed = () => this.engine.run === run && !this.playing && this.playback.target === this.duration;
    while (this.sim.now_min() < this.duration && undisturbed()) await new Promise(requestAnimationFrame);
    $('share-status').textContent = '';
    if (!undisturbed()) return null;
    const out = await use();
    this.seek(back);
    this.setPlaying(wasPlaying);
    return out;
  }

  /** The run on screen as the worksheet describes it (worksheet.js writes the words). */
  worksheetRun() {
    const info = this.presets.find((p) => p.name === this.preset);
    const summary = this.sim.summary();
    const samples = this.sim.samples_since(0);
    const base = summary?.baseline_online || 1;
    const low = samples.reduce((m, x) => (!m || x.online < m.online ? x : m), null);
    const v = this.values;
    const crash = hasCrash(v);
    const settingsWords = Object.keys(this.settings).map((name) => {
      if (name === 'reboot_window_min') return `Restarts happen ${restartWindow(Number(v.reboot_window_min), v.follow_night === 'true')}.`;
      const k = this.knobs.find((x) => x.name === name);
      const words = CHOICE_WORDS[name]?.[v[name]] ?? showValue(k ?? { choices: [], default: '', unit: '' }, v[name]);
      return `${k?.label ?? name}: ${words}.`;
    });
    return {
      title: info?.title ?? this.preset,
      description: info?.description ?? '',
      // From the start: the class predicts before it sees what happens.
      link: this.linkAt(0),
      settingsWords,
      ...(crash ? { trigger: 'crash', triggerAt: this.clock.long(Number(v.crash_at_min)) }
        : Number(v.reboot_share) > 0 ? { trigger: 'update', triggerAt: this.clock.long(Number(v.patch_at_min)) }
          : { trigger: 'calm', triggerAt: null }),
      lowest: low ? { share: low.online / base, at: this.clock.long(low.t_min) } : null,
      recoveredAt: summary?.recovered_at_min != null ? this.clock.long(summary.recovered_at_min) : null,
      userHoursLost: users(summary?.user_hours_lost ?? 0),
      computedTo: this.sim.horizon_min() < this.duration ? this.clock.long(this.sim.horizon_min()) : null,
    };
  }

  /** What a PNG of the view says beside it: the scenario, the moment, the legend, the scale. */
  pictureNotes() {
    const changed = Object.keys(this.settings).length ? ' (settings changed: see the link)' : '';
    // Each legend dot's colour is the palette's colour of the same name (palette.css).
    const legend = [...document.querySelectorAll('#legend .dot')].map((d) => [colour(d.classList[1]), d.parentElement.textContent.trim()]);
    return {
      title: `loginstorm: ${this.title}${changed}`,
      when: `${this.clock.long(this.sim.now_min())} · ${$('phase')?.textContent ?? ''}`,
      // The link to this very minute (the address bar is brought up to date only now and then).
      link: this.linkAt(this.sim.now_min()),
      chartTitles: this.charts?.titles() ?? [],
      // The charts' key, and the record's lettered milestones drawn on the users chart.
      notes: [$('chart-key')?.textContent.replace(/ Click or drag.*$/, '') ?? '',
        ...[...document.querySelectorAll('#record li')].map((li, i) => `${String.fromCharCode(65 + i)}: ${li.textContent}`)].filter(Boolean),
      legend,
      scale: $('scale')?.textContent ?? '',
    };
  }

  /**
   * The charts (and their library) load when they come near the screen, or when something needs
   * them (the PNG), not with the page: building them is the longest task a load would have, for
   * a reader who may never scroll to them. Resolves to the charts (null on a page without them).
   */
  loadCharts() {
    if (!$('charts')) return Promise.resolve(null);
    // An embed has room for the users chart alone.
    const only = this.embed ? 1 : undefined;
    this.chartsLoading ??= import('./charts.js').then(({ Charts }) => Charts.open($('charts'), new Clock(null), this.phases, (t) => {
      this.setPlaying(false);
      this.seek(t);
    }, only)).then((charts) => {
      this.charts = charts;
      this.readout.setCharts(this.charts);
      this.charts.setGhost(this.ghost ?? null);
      this.lastSlow.charts = 0;
      return this.charts;
    });
    return this.chartsLoading;
  }

  /** The stability map's code (and workers) load when its section comes near the screen. */
  loadMapWhenNear() {
    whenNear($('map-section'), () => {
      import('./stability-map.js').then(({ StabilityMap }) => {
        this.map = new StabilityMap({
          map: $('map-pick'), steps: $('map-steps'), seeds: $('map-seeds'), metric: $('map-metric'),
          x: $('map-x'), y: $('map-y'), run: $('map-run'), cancel: $('map-cancel'), progress: $('map-progress'),
          status: $('map-status'), canvas: $('map-canvas'), key: $('map-key'), readout: $('map-readout'),
        }, this.exploreModule(), {
          scenario: () => this.mapScenario(),
          values: () => this.values,
          label: (knob) => this.knobs.find((k) => k.name === knob)?.label ?? knob,
          show: (knob, v) => { const k = this.knobs.find((x) => x.name === knob); return k ? showValue(k, v, this.clock) : v; },
          users,
          at: (t) => this.clock.short(t),
          // A cell is a whole run: it loads from the start, playing.
          load: (changes) => { this.setKnobs(changes, { at: 0 }); this.setPlaying(true); $('stage')?.scrollIntoView({ block: 'nearest' }); },
        });
      }).catch((e) => this.fail(e));
    });
  }

  /**
   * The exploring engine (the switch table's and the map's whole runs), compiled once when first
   * wanted: the page's first download does without it.
   */
  exploreModule() {
    this.exploring ??= compileEngine(fetch(new URL('../pkg-explore/loginstorm_bg.wasm', import.meta.url)));
    return this.exploring;
  }

  /**
   * Caps the picture's width so the sticky stage (two columns) fits the window's height, or
   * lifts the cap when there is room again; the picture keeps its shape, centred.
   */
  fitStage(stage) {
    const wrap = $('view-wrap');
    // Not before the run is on screen: the page's text is still settling then.
    if (!stage || !wrap || !this.engine?.view.ready) return;
    if (getComputedStyle(stage).position !== 'sticky' || this.presenting) {
      wrap.style.maxWidth = '';
      return;
    }
    const box = wrap.getBoundingClientRect();
    const rest = stage.scrollHeight - box.height;
    // The stage is pinned at the window's top, so the window's height is what it has.
    const room = window.innerHeight - 8 - rest;
    // Never below 45% of the column: past that, the stage scrolls instead.
    const column = stage.clientWidth;
    const most = Math.min(column, Math.max(0.45 * column, Math.floor(room * (box.width / Math.max(1, box.height)))));
    // Heights are whole pixels, so the width asked for can differ by a pixel or two from one
    // layout to the next, and each change resizes the canvas and repaints the picture: such
    // a change (capped or not) is no change (without this the picture resized at every frame).
    const was = wrap.style.maxWidth ? parseFloat(wrap.style.maxWidth) : column;
    if (Math.abs(was - most) <= 3) return;
    wrap.style.maxWidth = most >= column ? '' : `${most}px`;
  }

  /** Side by side's code, loaded once (when its section comes near, or a link asks for it). */
  loadCompare() {
    if (!$('compare-section')) return Promise.resolve(null);
    this.compareLoading ??= import('./compare.js').then(({ Compare }) => {
      this.compare = new Compare({
        pick: $('compare-pick'), live: $('compare-live'), start: $('compare-start'), close: $('compare-close'), panel: $('compare-panel'),
        play: $('compare-play'), scrub: $('compare-scrub'), scrubOut: $('compare-scrub-out'), status: $('compare-status'),
        numbers: $('compare-numbers'), sides: [$('compare-a'), $('compare-b')],
      }, this.module, {
        base: () => ({
          preset: this.preset, settings: this.settings, values: this.values, at: this.moment(),
          title: this.scenarioWith(this.settings).title,
        }),
        bundle: (name) => configValues(this.preset, { strategy: name }),
        clock: () => this.clock,
        users,
        duration: span,
        opened: (key) => {
          this.compareKey = key;
          if (key) this.setPlaying(false);
          this.saveUrl(true);
        },
      });
      return this.compare;
    });
    return this.compareLoading;
  }

  /** Opens side by side on difference `key` (from a link); a key the run cannot take is a problem. */
  openCompare(compare, key) {
    if (!compare) return;
    const problem = compare.start(key);
    if (problem) this.readout.showProblems([problem]);
    else $('compare-section')?.scrollIntoView({ block: 'start' });
  }

  /** The scenario the map runs: this one as the reader set it. */
  mapScenario() { return this.scenarioWith({ ...this.settings }); }

  loadChartsWhenNear() {
    whenNear($('charts'), () => this.loadCharts().catch((e) => this.fail(e)));
  }

  /** Listens to the world: size, theme, visibility, scrolling. */
  watch() {
    new ResizeObserver(() => {
      if (this.view.fit()) this.engine.resize(this.view.size.w, this.view.size.h);
      this.charts?.resize();
      this.loop?.resize();
    }).observe($('view-wrap'));
    // Beside the text (two columns), the whole stage fits the screen's height: when a note or a
    // longer caption needs room, the picture gives it up, so the controls under it stay in view.
    const stage = $('stage');
    if (stage) {
      const fitStage = () => this.fitStage(stage);
      const grows = new ResizeObserver(fitStage);
      for (const el of stage.querySelectorAll(':scope > *, .stage-pin > *')) grows.observe(el);
      window.addEventListener('resize', fitStage);
    }
    // Where the view is pinned above the text (one column), what the page scrolls to lands
    // below it, not under it.
    const pin = document.querySelector('.stage-pin');
    if (pin) {
      new ResizeObserver(() => {
        document.documentElement.style.scrollPaddingTop = viewPinned() ? `${pin.offsetHeight + 8}px` : '';
      }).observe(pin);
    }
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (e) => {
      this.dark = e.matches;
      this.engine.setDark(this.dark);
      this.view.readColours();
      this.charts?.build();
      this.loop?.draw();
    });
    matchMedia('(prefers-reduced-motion: reduce)').addEventListener('change', (e) => { this.reducedMotion = e.matches; });
    // A hidden tab gets no frames: its time away is not simulated. A view scrolled away is
    // not drawn, but the run goes on.
    document.addEventListener('visibilitychange', () => this.playback.resetFrameTime());
    new IntersectionObserver((entries) => {
      this.visible = entries.some((en) => en.isIntersecting);
    }).observe($('view-wrap'));
  }

  /** Starts a run of `preset` with `settings`, and sets off towards minute `t`. */
  load(preset, settings, t = 0, tourStep = null) {
    const info = this.presets.find((p) => p.name === preset);
    // The same scenario again (a changed knob): an embed does not tell its past twice.
    const sameScenario = preset === this.preset;
    // Checked here, at once, so a refused setting never reaches the worker.
    const problem = checkSettings(preset, settings);
    if (problem) {
      this.readout.showProblems([problem]);
      return problem;
    }
    this.values = configValues(preset, settings);
    this.engine.load(preset, settings, this.values, { w: this.view.size.w, h: this.view.size.h, dark: this.dark })
      .then((refused) => { if (refused) this.readout.showProblems([refused]); });
    this.preset = preset;
    this.settings = { ...settings };
    this.shown = this.valuesShown();
    this.tourStep = tourStep;
    this.duration = Number(this.values.duration_h) * 60;
    this.clock = new Clock(info?.starts_at);
    this.controls.clock = this.clock;
    this.readout.reset(this.clock, this.duration, info?.record ?? []);
    this.seenEvents = 0;
    this.embed?.reset(sameScenario ? t : -1);
    this.embed?.showTitle(info?.title ?? preset);
    this.embed?.showRecordKey((info?.record ?? []).length > 0);
    this.playback.load(this.duration, t);
    const scrub = $('scrub');
    if (scrub) scrub.max = String(this.duration);
    this.controls.show(this.shown);
    this.showFirstControls();
    this.showActions(t);
    if ($('action-note')) $('action-note').textContent = '';
    this.showGhost(null);
    this.compare?.fillPicker();
    this.switchTable?.follow(this.tableScenario());
    this.describeScenario();
    this.lastSlow.caption = 0;
    this.saveUrl(true);
    return null;
  }

  /**
   * The scenario's buttons and text for the run as it now is: the scenario's own words, and once
   * the reader changed something (a change pushed during the run included), what.
   */
  describeScenario() {
    const info = this.presets.find((p) => p.name === this.preset);
    // The scenario's own text describes it as it comes: once the reader changes something, say
    // so, and the button no longer claims the run is that scenario.
    const changed = Object.keys(this.settings).filter((k) => k !== 'mega_at_min');
    for (const b of document.querySelectorAll('#presets button')) b.setAttribute('aria-pressed', String(b.dataset.preset === this.preset && changed.length === 0));
    if ($('preset-description')) {
      // An update moved in time (the "Apply the update" button lands it when pressed): said in
      // clock times, since the record's letters on the chart keep the real day's.
      const real = Number(info?.config?.patch_at_min);
      const moved = changed.includes('patch_at_min') && (info?.record ?? []).length > 0 && Number(this.values.patch_at_min) !== real;
      const timing = moved
        ? ` Here the update lands at ${this.clock.short(Number(this.values.patch_at_min))}; on the real day it landed at ${this.clock.short(real)}, so the record's letters on the chart sit ${Number(this.values.patch_at_min) < real ? 'later' : 'earlier'} than the model's events.`
        : '';
      const others = moved ? changed.filter((k) => k !== 'patch_at_min') : changed;
      // The four switches set together (a row of the switch table) read as one change.
      const four = STRATEGY_KNOBS.every((k) => others.includes(k));
      const listed = four ? [...others.filter((k) => !STRATEGY_KNOBS.includes(k)), 'the four switches'] : others;
      const names = listed.map((k) => (k === 'the four switches' ? k : k === 'live_changes'
        ? `a change pushed during the run (${changesInWords(this.values.live_changes, this.clock)})`
        : FIRST_SCREEN_NAMES[k] ?? this.knobs?.find((x) => x.name === k)?.label ?? k));
      $('preset-description').textContent = (info?.description ?? '') + timing + (listed.length
        ? ` You changed ${names.map((n) => (n.startsWith('a change pushed') || n === 'the four switches' ? n : `“${n}”`)).join(', ')}: this run follows your settings, so it may not go as described.`
        : '');
    }
  }

  /**
   * A cold browser takes a few hundred milliseconds to start the engine's worker. Meanwhile the
   * page paints the first minute of a small run itself, with the same engine (already loaded
   * here for the presets), so the network is on screen at once; the worker's pictures follow.
   */
  paintFirstHere({ preset, settings, t }) {
    if (t !== 0 || checkSettings(preset, settings)) return;
    if (Number(configValues(preset, settings).clients) > FIRST_PICTURE_HERE_MAX) return;
    const { w, h } = this.view.size;
    let first;
    try {
      first = new WebSim(preset, settings, w, h, this.dark);
    } catch {
      return; // the worker's first picture will do
    }
    try {
      first.draw(this.view.ctx);
      this.lastDrawnAt = 0;
    } finally {
      first.free();
    }
    this.markReady();
  }

  /**
   * Where the view is pinned above the text (one column), brings the caption just under it, so
   * a reader who started something from below sees what it does; beside the text it is in view.
   */
  showCaption() {
    if (!viewPinned()) return;
    $('caption')?.scrollIntoView({ block: 'start', behavior: this.reducedMotion ? 'auto' : 'smooth' });
  }

  /** The reader set a knob: a new run with it, at the same moment. */
  setKnob(name, value) { return this.setKnobs({ [name]: value }); }

  /**
   * The reader changed `changes` (knob name to text). During a run a switch changes from this
   * minute on, like a patch pushed to the live network (the run forks, its past kept); any other
   * knob, or `fork: false` (a switch table's row), makes a new run, at the same moment. Either
   * way the run before stays on the charts as a faint line until the reader clears it.
   */
  setKnobs(changes, { fork = true, at = Math.floor(this.moment()) } = {}) {
    // By default the same moment: where the run is, or where it was heading if a jump is under
    // way. A changed knob leaves the tour's scripted step. A refused one leaves the run as it was.
    const names = Object.keys(changes);
    if (names.every((k) => k === 'strategy' || LIVE_KNOBS.includes(k))) return this.setSwitches(changes, at, fork);
    const before = this.ghostOfNow();
    const landed = this.updateLanded(at) ? Number(this.values.patch_at_min) : null;
    const problem = this.load(this.preset, withChanges(this.settings, changes), at);
    if (problem) {
      this.controls.show(this.shown);
      this.showFirstControls();
      return problem;
    }
    this.readout.showProblems([]);
    if (at > 0) {
      // The engineers act from now on, the past as it was; any other knob shapes the run from
      // its first minute, so the new run starts from the beginning and catches up to here.
      const fromNow = names.every((k) => k === 'mega_at_min');
      this.showGhost(before, fromNow ? at : 0, fromNow
        ? `The engineers act from ${this.clock.short(at)}; the faint line on the charts is the run before.`
        : `${this.changedWords(names, at, landed)} The faint line on the charts is the run before.`);
    }
    return null;
  }

  /**
   * Why a change to `names` at minute `at` restarted the run, in words; `landed` is the minute
   * the update had landed at before the change (null if it had not).
   */
  changedWords(names, at, landed) {
    const label = (k) => `“${FIRST_SCREEN_NAMES[k] ?? this.knobs?.find((x) => x.name === k)?.label ?? k}”`;
    const timing = names.some((k) => UPDATE_KNOBS.includes(k) || k === 'reboot_window_min' || k === 'follow_night');
    if (timing && landed !== null) {
      return `The update had already landed (${this.clock.short(landed)}): the run restarted from the beginning with its new timing, back to ${this.clock.short(at)}.`;
    }
    return `${names.map(label).join(', ')} shapes the run from its first minute: it restarted from the beginning, back to ${this.clock.short(at)}.`;
  }

  /**
   * Sets switches or a supernode's limits (LIVE_KNOBS): from minute `at` on during a run (a fork:
   * the past kept, the new change in the URL), or from the start before it has begun or when
   * `fork` is false.
   */
  setSwitches(changes, at, fork) {
    const now = switchesAt(this.values);
    const target = { ...now, ...changes };
    if ('strategy' in changes) {
      const bundle = configValues(this.preset, { strategy: changes.strategy });
      for (const k of STRATEGY_KNOBS) target[k] = bundle[k];
      delete target.strategy;
    }
    const refused = (problem) => {
      this.readout.showProblems([problem]);
      this.controls.show(this.shown);
      this.showFirstControls();
      return problem;
    };
    if (!fork || at <= 0 || at >= this.duration) {
      const problem = this.load(this.preset, this.settingsFromStart(target, changes), at);
      if (problem) return refused(problem);
      this.readout.showProblems([]);
      return null;
    }
    const next = forkedSettings(this.settings, this.values, at, target);
    if (next.problem) return refused(next.problem);
    const problem = checkSettings(this.preset, next.settings);
    if (problem) return refused(problem);
    this.readout.showProblems([]);
    // Changed again at the same minute (a slider moved key by key): the faint line stays the run
    // before the first of them.
    const again = this.ghostSource && parseChanges(this.values.live_changes).some((c) => c.at === at);
    const before = again ? this.ghostSource : this.ghostOfNow();
    // Nothing planned from now on and the worker's run at hand: the engine forks the run it
    // holds. Otherwise a new run with the changes kept replays the same past.
    // (A change at this very minute is replaced: the engine does so while the minute is ahead.)
    const inPlace = next.switches && this.sim.ready && parseChanges(this.values.live_changes).every((c) => c.at <= at);
    if (inPlace) {
      this.settings = next.settings;
      this.values = configValues(this.preset, next.settings);
      this.shown = this.valuesShown();
      this.readout.forget(at);
      this.engine.fork(at, next.switches).then((no) => { if (no) this.load(this.preset, next.settings, at); });
      this.controls.show(this.shown);
      this.showFirstControls();
      this.describeScenario();
      this.switchTable?.follow(this.tableScenario());
      this.saveUrl(true);
    } else {
      this.load(this.preset, next.settings, at);
    }
    if (!next.switches) {
      this.showGhost(null);
      return null;
    }
    // Once every supernode is gone, nobody is online to be made one: no switch or limit helps any
    // more (tests/change_now.rs); only the engineers' servers do.
    const gone = (this.sim.latest()?.supernodes ?? 1) === 0;
    this.showGhost(before, at, gone
      ? `Too late: by ${this.clock.short(at)} every supernode is gone and nobody is online to be made one, so no change brings the network back now; only the engineers can.`
      : `Your change applies from ${this.clock.short(at)}, the past as it was; the faint line on the charts is the run before.`);
    return null;
  }

  /**
   * A link that carries changes pushed during the run says so, and draws the run without them
   * (computed in the background) as the faint line, as the page that made the link did.
   */
  showLinkedChange() {
    const changes = parseChanges(this.values.live_changes);
    if (changes.length === 0) return;
    const settings = { ...this.settings };
    delete settings.live_changes;
    const empty = { online: new Float64Array(0), supernodes: new Float64Array(0), attempts: new Float64Array(0) };
    this.showGhost({ preset: this.preset, settings, duration: this.duration, lines: empty }, changes[0].at,
      `This link pushes a change to the live network ${changesInWords(this.values.live_changes, this.clock)}. The faint line on the charts is the run without it.`);
  }

  /**
   * The run as the page knows it now, as the charts draw it (one value a minute from minute 0, in
   * real users), with what makes it: the ghost a change leaves behind.
   */
  ghostOfNow() {
    const samples = this.sim.samples ?? [];
    const n = samples.length ? samples[samples.length - 1].t_min + 1 : 0;
    const upc = this.sim.users_per_client();
    const lines = { online: new Float64Array(n), supernodes: new Float64Array(n), attempts: new Float64Array(n) };
    for (const s of samples) {
      lines.online[s.t_min] = s.online * upc;
      lines.supernodes[s.t_min] = s.supernodes * upc;
      lines.attempts[s.t_min] = s.login_attempts * upc;
    }
    return { preset: this.preset, settings: { ...this.settings }, duration: this.duration, lines };
  }

  /**
   * Draws `ghost` (the run before a change, see ghostOfNow) on the charts from minute `from` on,
   * says `words` over the picture, and has the rest of that run computed in the background if
   * the page had not got that far; null clears it.
   */
  showGhost(ghost, from = 0, words = '') {
    this.ghostJob?.cancel();
    this.ghostSource = ghost;
    this.ghost = ghost ? { from, lines: ghost.lines } : null;
    this.charts?.setGhost(this.ghost);
    const note = $('change-note');
    if (note) note.hidden = !ghost;
    if ($('change-text')) $('change-text').textContent = words;
    if (words) this.readout.status(words);
    // On a phone the note sits out of sight under the pinned picture: it shows over the picture
    // for a few seconds too (the note itself stays where it is).
    const flash = $('change-flash');
    if (flash) {
      clearTimeout(this.flashTimer);
      flash.textContent = words;
      flash.hidden = !(words && viewPinned());
      this.flashTimer = setTimeout(() => { flash.hidden = true; }, FLASH_MS);
    }
    if (!ghost || ghost.lines.online.length >= ghost.duration) return;
    const shown = this.ghost;
    import('./background.js').then(({ Background }) => {
      this.ghostJob ??= new Background(this.exploreModule());
      return this.ghostJob.run('lines', { preset: ghost.preset, settings: ghost.settings }, 1, (i, lines) => {
        if (this.ghost !== shown) return;
        this.ghost = { from, lines };
        this.charts?.setGhost(this.ghost);
      });
    }).catch((e) => this.readout.status(`The run before your change could not be computed: ${e.message}`));
  }

  /**
   * The knobs' values as the controls show them: the switches in force once every change of
   * the run has been made (the run's own switches are those it started with).
   */
  valuesShown() {
    if (parseChanges(this.values.live_changes).length === 0) return this.values;
    return { ...configValues(this.preset, { ...this.ownSettings(), ...switchesAt(this.values) }), live_changes: this.values.live_changes };
  }

  /**
   * The settings of a run that has the switches and limits `target` from its first minute, no
   * change during it: only what the reader set (`changes`, or before) or what differs from the
   * scenario goes in (and so into the URL).
   */
  settingsFromStart(target, changes = {}) {
    const base = this.presets.find((p) => p.name === this.preset)?.config ?? {};
    // A bundle stays a bundle (`strategy=fixed` reads better than its four switches).
    const bundle = 'strategy' in changes;
    const set = Object.entries(target).filter(([k, v]) => !(bundle && STRATEGY_KNOBS.includes(k))
      && (k in changes || k in this.settings || String(base[k]) !== v));
    return { ...this.ownSettings(), ...Object.fromEntries(set), ...(bundle ? { strategy: changes.strategy } : {}) };
  }

  /** The reader's settings but for what changes during a run (the switches, limits and changes). */
  ownSettings() {
    return Object.fromEntries(Object.entries(this.settings).filter(([k]) => k !== 'strategy' && k !== 'live_changes' && !LIVE_KNOBS.includes(k)));
  }

  /**
   * The update lands now: August 2007 with what the reader set carried over, the update a minute
   * from now. Before it lands the runs are alike, so the new run goes on from this moment. Once it
   * has landed, the button replays it instead.
   */
  applyUpdate() {
    this.tour?.close();
    const now = Math.floor(this.moment());
    if (this.updateLanded(now)) {
      this.seek(Math.max(0, Number(this.values.patch_at_min) - 10));
    } else {
      const base = this.presets.find((p) => p.name === 'aug-2007')?.config ?? {};
      // The switches as the reader sees them go with it (a change during this run included).
      const changed = parseChanges(this.values.live_changes).length > 0;
      const own = changed ? this.settingsFromStart(switchesAt(this.values)) : this.settings;
      this.load('aug-2007', { ...carriedToUpdate(base, this.shown, own), patch_at_min: String(now + 1) }, now);
    }
    this.setPlaying(true);
    this.showCaption();
  }

  /** Whether this run's update has landed by minute `t`. */
  updateLanded(t) {
    const v = this.values;
    return Number(v.reboot_share) > 0 && Number(v.patch_at_min) <= t;
  }

  /**
   * The first screen's two actions say what they would do now: apply the update or watch it
   * land again (none in a crash scenario); send in the engineers, or say they are at work.
   */
  showActions(t) {
    const v = this.values;
    const apply = $('apply-update');
    if (apply) {
      apply.hidden = crashOnly(v);
      const words = this.updateLanded(t) ? 'Watch the update land again' : 'Apply the Patch Tuesday update';
      if (apply.textContent !== words) apply.textContent = words;
    }
    const eng = $('engineers');
    if (eng) {
      const at = v.mega_at_min === 'none' ? null : Number(v.mega_at_min);
      const working = at !== null && at <= t;
      eng.disabled = working;
      // An embed offers them only where they mean something: a network in a storm or down, not yet helped.
      if (this.embed) {
        const phase = this.sim.latest()?.phase ?? 'stable';
        eng.hidden = working || !(phase === 'login-storm' || phase === 'collapsed');
      }
      const words = working ? 'The engineers are at work' : 'Send in the engineers';
      if (eng.textContent !== words) eng.textContent = words;
    }
  }

  /**
   * Engineers bring up mega-supernodes now. It is a knob of the run (`mega_at_min`), so it is in
   * the URL and survives any later change; like any act in the past, it starts the future anew.
   */
  sendEngineers() {
    const at = this.moment();
    // A network that is not in trouble has nothing for them to fix.
    const phase = this.sim.latest()?.phase ?? 'stable';
    if (phase === 'stable' || phase === 'recovered') {
      if ($('action-note')) $('action-note').textContent = 'The network is working: the engineers have nothing to fix yet.';
      return;
    }
    // At the run's own pace (mega_ramp_min): bringing up servers takes hours, not minutes.
    const problem = this.setKnobs({ mega_at_min: String(at) });
    if (problem) return;
    this.readout.status(`Engineers bring up mega-supernodes at ${this.clock.long(at)}.`);
    // Their work takes hours: play, so the reader sees it (a paused page would show nothing).
    this.setPlaying(!this.reducedMotion);
  }

  /** The moment the reader is at: where the run is, or where a jump under way is heading. */
  moment() { return this.playback.moment; }

  /** Goes to minute `t`: back through a checkpoint, forwards by simulating. */
  seek(t) {
    this.playback.seek(t);
    this.lastSlow.caption = 0;
  }

  /** The reader's Play/Pause: pausing also stops a jump under way where the run is. */
  togglePlaying() {
    if (this.playing) this.playback.pause();
    else this.setPlaying(true);
  }

  setPlaying(p) {
    if (p && this.moment() >= this.duration) this.seek(0);
    this.playback.setPlaying(p);
  }

  showPlaying(p) {
    const b = $('play');
    if (b) { b.textContent = p ? 'Pause' : 'Play'; b.setAttribute('aria-pressed', String(p)); }
  }

  async frame(now) {
    requestAnimationFrame((t) => this.frame(t).catch((e) => this.fail(e)));
    if (document.hidden) return;
    // The run goes on while the reader looks elsewhere on the page (the charts follow it); only
    // the pictures wait until the view is on screen again (and, with reduced motion, they
    // change every few minutes).
    const shown = this.visible;
    this.engine.wantPicture = shown && this.pictureDue();
    const done = await this.playback.frame(now);
    if (done?.moved) {
      this.noticeKeyMoments();
      // Arrived where the reader asked: say so at once, not at the next slow update.
      if (done.arrived) { this.lastSlow.caption = 0; this.lastSlow.charts = 0; this.lastSlow.url = 0; }
    }
    const catching = $('catching-up');
    if (catching) {
      // Behind the clock, or no answer for a while: say how far the engine has got on its way
      // to the moment asked for. A big run's first picture takes a second or more to build:
      // say so from the start (a small one the page paints at once itself).
      const behind = done ? done.behind >= Math.max(30, this.playback.speed) : !catching.hidden;
      const building = !this.sim.ready && Number(this.values?.clients) > FIRST_PICTURE_HERE_MAX;
      catching.hidden = !(behind || building || this.engine.waitingMs() > 400);
      const text = this.sim.ready
        ? `Simulating… ${this.clock.long(this.playback.now)}, on the way to ${this.clock.long(this.playback.target)}`
        : 'Building the network…';
      if (!catching.hidden && catching.textContent !== text) catching.textContent = text;
    }
    if ($('slowed')) $('slowed').hidden = !(this.playing && this.playback.slowed);
    this.showPace();
    this.render(now, shown);
    this.markReady();
  }

  /**
   * Notes the first picture of the network on screen (milliseconds from navigation, for
   * scripts/bench-page.mjs), and the page ready once the engine's worker has answered with its
   * own.
   */
  markReady() {
    if (this.lastDrawnAt < 0) return;
    document.body.dataset.firstFrameMs ??= String(Math.round(performance.now()));
    if (document.body.dataset.ready || !this.sim.ready) return;
    document.body.dataset.ready = '1';
    this.fitStage($('stage'));
    this.embed?.emit('ready', this.embedInfo());
    // What the embed's address asked for and could not have: told as errors, naming the field.
    for (const problem of this.urlProblems ?? []) this.embed?.emit('error', { id: null, field: problem.split(':')[0], message: problem });
  }

  /** Something broke: say so where the reader looks, then let it reach the console too. */
  fail(e) {
    const caption = $('caption');
    if (caption) caption.textContent = `The simulation stopped: ${e.message}`;
    throw e;
  }

  /** With reduced motion, playing, the picture changes only every few simulated minutes. */
  pictureDue() {
    if (!(this.reducedMotion && this.playing)) return true;
    return Math.floor(this.playback.now / REDUCED_STEP_MIN) !== Math.floor(this.lastDrawnAt / REDUCED_STEP_MIN);
  }

  render(now, shown) {
    const t = this.playback.now;
    const motion = !this.reducedMotion;
    const particles = motion && this.playing;
    // The network and its links change only when the run does (the worker sends a new picture
    // then); the particles move every frame.
    const picture = shown ? this.sim.takeFrame() : null;
    const repaint = picture !== null;
    if (picture) {
      this.picture = { min: this.sim.frameMin, w: picture.width, h: picture.height };
      this.view.paint(picture);
      this.links = this.sim.links();
      this.lastDrawnAt = t;
    }
    if (repaint || (shown && particles)) {
      const clock = this.playback.clock;
      this.view.drawOverlay(this.links, { progress: clock - Math.floor(clock), motion });
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
    // Often enough that the charts' latest minute keeps up with the clock while playing.
    if (now - this.lastSlow.charts > 50) { this.lastSlow.charts = now; this.readout.updateCharts(this.sim, t); }
    // The caption follows every minute, so it never disagrees with the clock above it (the
    // spoken status is slowed down in the readout).
    if (this.sim.ready && (this.sim.now_min() !== this.captionAt || now - this.lastSlow.caption > 400)) {
      this.lastSlow.caption = now;
      this.captionAt = this.sim.now_min();
      this.readout.updateCaption(this.sim, this.playing);
      this.showScale();
      this.showActions(this.sim.now_min());
      // A jump is told once it arrives: what it passed, then where it is.
      if (!this.playback.jumping) this.embed?.follow(this.sim, this.sim.now_min(), this.duration);
    }
    if (now - this.lastSlow.url > 1000) {
      this.lastSlow.url = now;
      this.saveUrl();
      // Side by side offers to push B's change "at" the reader's minute: kept up to date.
      this.compare?.showLiveChoice();
    }
  }

  showScale() {
    const el = $('scale');
    if (!el || !this.sim.ready) return;
    const upc = this.sim.users_per_client();
    const perDot = upc * this.sim.clients_per_dot();
    // (The embed has no room for the why of the large shapes.)
    const sample = this.sim.dot_px() < 3 && !this.embed ? '; the dots are too small for shapes, so a sample of single users is drawn large in their state\'s shape' : '';
    // By the number as written: 0.7 is written "1", and one is singular.
    const plural = (words) => (words === '1' ? '' : 's');
    const [dot, square] = [users(perDot), users(upc)];
    const text = `1 dot = ${dot} real user${plural(dot)}, 1 square = ${square} real supernode${plural(square)}${sample}`;
    if (el.textContent !== text) el.textContent = text;
  }

  showSpeed() {
    const speed = this.playback.speed;
    if ($('speed')) $('speed').value = String(SPEED_SCALE.toPos(speed));
    this.showPace();
    $('speed')?.setAttribute('aria-valuetext', `${speed} simulated minutes a second`);
  }

  /** The speed's label, with the pace the page is slowed to at a key moment. */
  showPace() {
    const pb = this.playback;
    let out = `${pb.speed} min/s`;
    if (pb.lagging) out += ` (running at ${Math.max(1, Math.round(pb.rate))} min/s: as fast as this computer can simulate this minute)`;
    else if (this.playing && pb.slowed) out += ` (now ${pb.pace} min/s, slowed for a key moment)`;
    if ($('speed-out') && $('speed-out').textContent !== out) $('speed-out').textContent = out;
  }

  showFirstControls() {
    this.showSpeed();
    const win = $('window');
    if (win) {
      const m = Number(this.values.reboot_window_min);
      const follow = this.values.follow_night === 'true';
      win.value = String(WINDOW_SCALE.toPos(m));
      $('window-out').textContent = restartWindow(m, follow);
      win.setAttribute('aria-valuetext', restartWindow(m, follow));
    }
    if ($('follow-night')) $('follow-night').checked = this.values.follow_night === 'true';
    // A crash with no update (December 2010): the update's timing would change nothing here.
    const timing = document.querySelector('.timing');
    if (timing) timing.hidden = crashOnly(this.values) || Boolean(this.embed?.hidesTiming);
    const bundle = this.shown.strategy;
    for (const r of document.querySelectorAll('input[name=bundle]')) r.checked = r.value === bundle;
    const note = $('bundle-note');
    const ownMix = bundle === 'custom' && !Object.keys(this.settings).some((k) => k === 'strategy' || STRATEGY_KNOBS.includes(k));
    if (note) note.textContent = bundle !== 'custom' ? '' : ownMix
      ? 'This scenario sets the four switches its own way (see them below).'
      : 'Custom: the switches below are set one by one.';
  }

  /**
   * The URL's query for the page as it is, at minute `t` (by default the moment the reader asked
   * for, even while the run is still catching up to it), in presenter view if `present`.
   */
  query(t = this.playback.playing && !this.playback.jumping ? this.playback.now : this.playback.target, present = this.presenting) {
    const pb = this.playback;
    return writeState({ preset: this.preset, settings: this.settings, t, speed: pb.speed, slow: pb.autoSlow, present, compare: this.compareKey }, DEFAULTS);
  }

  /** The full address of this run at minute `t`, for someone else to open (never presenter view). */
  linkAt(t) { return new URL(this.query(t, false), location.href).href; }

  saveUrl(force = false) {
    if (!this.preset) return;
    const q = this.query() + (this.tourStep ? `&tour=${this.tourStep}` : '');
    // The hash stays: a link to a section (#words) keeps pointing there; an embed keeps its options.
    const own = q + (this.embed?.query() ?? '');
    if (force || own !== location.search) history.replaceState(null, '', own + location.hash);
    const open = $('open-full');
    if (open) open.href = `index.html${q}`;
  }

  key(e) {
    if (e.key === 'Escape' && this.presenting && !$('help')?.open) { this.setPresenting(false); return; }
    const action = shortcut(e.key, {
      tag: e.target?.tagName, type: e.target?.type, modified: e.altKey || e.ctrlKey || e.metaKey, helpOpen: Boolean($('help')?.open),
      clicked: this.pointerFocus, touring: Boolean(this.tour?.active),
    });
    if (action === null) return;
    if (action === 'help') $('help')?.showModal();
    else if (action === 'toggle') this.togglePlaying();
    else if (action === 'step') { this.setPlaying(false); this.seek(this.moment() + 1); }
    else if (action === 'back') { this.setPlaying(false); this.seek(this.moment() - 10); }
    else if (action === 'restart') { this.seek(0); this.setPlaying(true); }
    else if (action === 'tour-next') $('tour-next')?.click();
    else if (action === 'tour-back') { if (!$('tour-back')?.disabled) $('tour-back')?.click(); }
    // R restarts but leaves the key to the browser as before.
    if (action !== 'restart') e.preventDefault();
  }

  /** What the embed's API may do with the page (embed.js): the same acts as the reader's. */
  embedHandle() {
    return {
      load: (preset) => {
        this.tour?.close();
        const problem = this.load(preset, {}, 0);
        if (problem) return problem;
        // A scenario loaded by the article is a new story, told from its start (the same one too).
        this.embed?.reset(-1);
        this.setPlaying(!this.reducedMotion);
        return null;
      },
      set: (name, value) => this.setKnob(name, value),
      seek: (t) => { this.setPlaying(false); this.seek(t); },
      play: () => this.setPlaying(true),
      pause: () => this.playback.pause(),
      info: () => this.embedInfo(),
      settled: () => this.settled(),
      presets: () => this.presets.map((p) => p.name),
      duration: () => this.duration,
      checkSetting: (name, value) => checkSettings(this.preset, withChanges(this.settings, { [name]: value })),
      words: (phase) => this.phaseWords(phase),
      when: (t) => this.clock.long(t),
    };
  }

  /** Phase `phase` (the engine's name) in words. */
  phaseWords(phase) { return this.phases.find((p) => p.name === phase)?.words ?? phase; }

  /** The run in a few fields, for an article: where it is, what it does, how it has gone so far. */
  embedInfo() {
    const phase = this.sim.ready ? this.sim.latest()?.phase ?? null : null;
    return {
      preset: this.preset, settings: { ...this.settings }, t: Math.round(this.moment()), when: this.clock.long(Math.round(this.moment())), duration: this.duration,
      playing: this.playing, phase, words: phase && this.phaseWords(phase), summary: this.sim.summary(),
    };
  }

  /**
   * Resolves once the run is where the reader (or an article) sent it, and the embed has told
   * what it passed; at most SETTLE_MS later (a 9M run may take a while), it resolves anyway.
   */
  settled() {
    const since = performance.now();
    return new Promise((resolve) => {
      const check = () => {
        const there = this.sim.ready && !this.playback.jumping && (this.playing || this.sim.now_min() === Math.floor(this.playback.now));
        if (there) this.embed?.follow(this.sim, this.sim.now_min(), this.duration);
        if (there || performance.now() - since > SETTLE_MS) resolve();
        else setTimeout(check, 50);
      };
      check();
    });
  }

  /** A small read-only window on the run, for the end-to-end tests and the curious. */
  testHandle() {
    return {
      state: () => ({
        preset: this.preset, settings: { ...this.settings }, now: this.playback.now, target: this.playback.target,
        playing: this.playing, duration: this.duration, horizon: this.sim.horizon_min(), values: this.values, shown: this.shown,
        slowed: this.playback.slowed, autoSlow: this.playback.autoSlow, phase: this.sim.latest()?.phase ?? null,
        // The minute on screen, once the picture is the view's size (one painted before the
        // layout settled is not yet the final one).
        picture: this.picture.w === this.view.size.w && this.picture.h === this.view.size.h ? this.picture.min : -1,
      }),
      panic: () => this.engine.panicForTest(),
      /** The longest the engine kept a request waiting since the last call (ms). */
      slowestReply: () => { const ms = this.engine.slowestReplyMs; this.engine.slowestReplyMs = 0; return ms; },
      summary: () => this.sim.summary(),
      events: () => this.sim.events(),
      /** The run before the reader's last change: where it parts, and how many minutes are known. */
      ghost: () => (this.ghost ? { from: this.ghost.from, minutes: this.ghost.lines.online.length } : null),
      /** Side by side's two runs so far: users online a minute, A then B (null when closed). */
      compare: () => this.compare?.data() ?? null,
      /** The stability map's rows as they came back (null before it is loaded). */
      mapRows: () => this.map?.rows ?? null,
      charts: async () => {
        await this.loadCharts();
        this.readout.updateCharts(this.sim, this.playback.now);
        return this.charts?.data() ?? null;
      },
      /** The caption as the engine wrote it (on the page its why folds away under it). */
      caption: () => { this.readout.updateCaption(this.sim, this.playing); return this.sim.caption(); },
    };
  }
}

/** Calls `load` once, when `el` (if the page has it) comes within half a screen of the view. */
function whenNear(el, load) {
  if (!el) return;
  const near = new IntersectionObserver((entries) => {
    if (!entries.some((en) => en.isIntersecting)) return;
    near.disconnect();
    load();
  }, { rootMargin: '50% 0px' });
  near.observe(el);
}

/** True where the view is pinned above the text (one column: phones, narrow windows). */
function viewPinned() {
  const pin = document.querySelector('.stage-pin');
  return pin !== null && getComputedStyle(pin).position === 'sticky';
}

/** The engine's wasm, compiled once (streaming where the server says it is wasm). */
async function compileEngine(wasm) {
  const response = await wasm;
  if (!response.ok) throw new Error(`the engine (${response.url}) did not load: HTTP ${response.status}`);
  try {
    return await WebAssembly.compileStreaming(response.clone());
  } catch {
    return WebAssembly.compile(await response.arrayBuffer());
  }
}


/**
 * Starts the page (boot.js calls this once the page's text is on screen); `wasm` is the engine's
 * download, already under way.
 * @param {Promise<Response>} wasm
 */
export function start(wasm) {
  return new App().start(wasm).catch((e) => {
    const caption = $('caption');
    if (caption) caption.textContent = `The simulation could not start: ${e.message}`;
    throw e;
  });
}
