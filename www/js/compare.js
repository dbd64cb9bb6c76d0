// Side by side: the run on screen (A) and the same run differing in one thing the reader picks
// (B: a bundle, one switch, the restart window), each in its own engine worker, played in lockstep
// by one playback, with a picture, a caption and a chart each (their cursors linked), and the
// difference in numbers below. Same preset, same seed, same wave: what differs is the one thing.
import { WorkerEngine } from './engine.js';
import { Playback } from './playback.js';
import { View } from './view.js';
import { CHOICE_WORDS } from './controls.js';
import { STRATEGY_KNOBS, LIVE_KNOBS, withChanges, switchesAt, forkedSettings } from './settings.js';
import { restartWindow, splitWhy, usersShort } from './format.js';
import { colour } from './theme.js';

/** Restart windows offered (minutes), as the first screen's slider names them. */
const WINDOWS = [10, 60, 720, 2880];
/** How often the charts and numbers are brought up to date while playing (ms). */
const SLOW_EVERY_MS = 250;

/**
 * The differences the reader can pick for a run whose knobs are `values`: {key, label, changes},
 * grouped; `key` (`knob:value`) is what the URL carries. A choice equal to the run's own is left out.
 */
export function differences(values) {
  const now = switchesAt(values);
  const groups = [];
  const bundles = Object.entries(CHOICE_WORDS.strategy).filter(([v]) => v !== 'custom' && v !== values.strategy);
  groups.push({ label: 'All four switches', options: bundles.map(([v, words]) => ({ key: `strategy:${v}`, label: words, phrase: `${words} (all four switches)`, changes: { strategy: v } })) });
  for (const k of STRATEGY_KNOBS) {
    const name = SWITCH_NAMES[k].charAt(0).toLowerCase() + SWITCH_NAMES[k].slice(1);
    const options = Object.entries(CHOICE_WORDS[k]).filter(([v]) => v !== now[k])
      .map(([v, words]) => ({ key: `${k}:${v}`, label: words, phrase: `${name} ${words}`, changes: { [k]: v } }));
    groups.push({ label: SWITCH_NAMES[k], options });
  }
  if (values.reboot_share !== '0') {
    const follow = values.follow_night === 'true';
    const options = WINDOWS.filter((m) => follow || String(m) !== values.reboot_window_min)
      .map((m) => ({ key: `reboot_window_min:${m}`, label: `restarts ${restartWindow(m, false)}`, phrase: `the update's restarts ${restartWindow(m, false)}`, changes: { reboot_window_min: String(m), follow_night: 'false' } }));
    if (!follow) options.push({ key: 'follow_night:true', label: 'restarts following the night', phrase: "the update's restarts following the night", changes: { follow_night: 'true' } });
    groups.push({ label: 'The update', options });
  }
  return groups.filter((g) => g.options.length);
}

/** Each switch's name in the picker. */
const SWITCH_NAMES = {
  supernode_choice: 'A client logging in picks',
  retry: 'After a failed login, a client tries',
  planner_demand: 'The self-healing planner counts',
  overload: 'A flooded supernode',
};

/** The difference `key` (as the URL carries it) among `groups`, or null. */
export function findDifference(groups, key) {
  for (const g of groups) for (const o of g.options) if (o.key === key) return o;
  return null;
}

/**
 * The numbers under the two sides, so far: for each, user-hours lost, the lowest point and when
 * it was back (null: not yet), from the engine's summaries; and B against A in words.
 */
export function compareNumbers(a, b, at) {
  const row = (s) => ({
    lost: s.user_hours_lost,
    lowest: s.min_online_fraction,
    back: s.recovered_at_min ?? null,
  });
  const [x, y] = [row(a), row(b)];
  const lostDiff = y.lost - x.lost;
  let words;
  if (Math.abs(lostDiff) < 0.005 * Math.max(1, x.lost, y.lost)) words = 'So far B loses as many user-hours as A.';
  else if (lostDiff < 0) words = `So far B loses ${Math.round((1 - y.lost / Math.max(x.lost, 1)) * 100)}% fewer user-hours than A.`;
  else words = `So far B loses ${x.lost > 0 ? `${Math.round((y.lost / x.lost - 1) * 100)}% more` : 'more'} user-hours than A.`;
  if (x.back !== null && y.back !== null && x.back !== y.back) {
    words += ` B is back ${at(Math.abs(y.back - x.back))} ${y.back < x.back ? 'sooner' : 'later'}.`;
  } else if (x.back === null && y.back !== null) words += ' B is back; A is not (yet).';
  else if (y.back === null && x.back !== null) words += ' A is back; B is not (yet).';
  return { a: x, b: y, words };
}

/** One side: its engine, picture, caption and chart. */
class Side {
  constructor(root, module, onCrash) {
    this.root = root;
    this.engine = new WorkerEngine(module, onCrash);
    this.view = new View(root.querySelector('canvas.view'), root.querySelector('canvas.overlay'), root.querySelector('.compare-pic'));
    this.caption = root.querySelector('.compare-caption');
    this.title = root.querySelector('.compare-title');
    this.chartBox = root.querySelector('.compare-chart');
    this.plot = null;
  }
}

export class Compare {
  /**
   * @param {object} els {pick, live, start, close, panel, play, scrub, scrubOut, status, numbers, sides: [el, el]}
   * @param {Promise<WebAssembly.Module>} module The engine, compiled once for the page.
   * @param {object} hooks {base(): {preset, settings, values, title, at}, bundle(name): its four
   *   switches (the engine's), clock(): Clock, users(n), duration(t): words for a span of minutes,
   *   opened(key|null): told when it opens or closes}
   */
  constructor(els, module, hooks) {
    this.els = els;
    this.module = module;
    this.hooks = hooks;
    this.sides = null;
    this.open = false;
    this.lastSlow = 0;
    this.playback = new Playback({
      seek: (t) => Promise.all(this.sides.map((s) => s.engine.seek(t))).then((n) => Math.min(...n)),
      advance: (target, ms) => Promise.all(this.sides.map((s) => s.engine.advance(target, ms))).then((n) => Math.min(...n)),
    }, { speed: 60, onPlaying: (p) => { els.play.textContent = p ? 'Pause' : 'Play'; els.play.setAttribute('aria-pressed', String(p)); } });
    els.start.addEventListener('click', () => this.start(els.pick.value, els.live?.checked ?? false));
    els.pick.addEventListener('change', () => this.showLiveChoice());
    // The minute offered follows the run: brought up to date as the reader comes to the choice.
    for (const type of ['pointerenter', 'focusin']) els.pick.parentElement?.addEventListener(type, () => this.showLiveChoice());
    els.close.addEventListener('click', () => this.stop());
    els.play.addEventListener('click', () => this.playback.setPlaying(!this.playback.playing));
    els.scrub.addEventListener('input', () => { this.playback.setPlaying(false); this.playback.seek(Number(els.scrub.value)); });
    this.fillPicker();
  }

  /** The picker's options for the run on screen now. */
  fillPicker(selected = null) {
    const { pick } = this.els;
    const keep = selected ?? pick.value;
    this.groups = differences(this.hooks.base().values);
    pick.replaceChildren(...this.groups.map((g) => {
      const og = document.createElement('optgroup');
      og.label = g.label;
      og.append(...g.options.map((o) => new Option(o.label, o.key)));
      return og;
    }));
    if (findDifference(this.groups, keep)) pick.value = keep;
    this.showLiveChoice();
  }

  /**
   * "Pushed at the minute you are at" is offered for what can change during a run (a switch, a
   * bundle, a supernode's limit), once the run has begun; the update's timing always acts from
   * the start.
   */
  showLiveChoice() {
    const { live, pick } = this.els;
    if (!live) return;
    const diff = findDifference(this.groups ?? [], pick.value);
    const at = Math.floor(this.hooks.base().at);
    const can = Boolean(diff) && at > 0 && Object.keys(diff.changes).every((k) => k === 'strategy' || LIVE_KNOBS.includes(k));
    live.disabled = !can;
    if (!can) live.checked = false;
    const label = live.closest('label')?.querySelector('.live-at');
    if (label) label.textContent = at > 0 ? this.hooks.clock().short(at) : 'the minute you are at';
  }

  /**
   * Opens the two sides on the run on screen (A) and that run with difference `key` (B), at the
   * minute the reader is at, playing; with `live`, B's change is pushed at that minute (the two
   * alike until then) rather than made from the start. Returns a problem in words, or null.
   */
  start(key, live = false) {
    const base = this.hooks.base();
    this.fillPicker(key);
    const diff = findDifference(this.groups, key);
    if (!diff) return `compare: '${key}' is not a difference this run can take; choose one in the list`;
    const at = Math.floor(base.at);
    let settingsB = withChanges(base.settings, diff.changes);
    let since = '';
    if (live && at > 0) {
      const target = { ...switchesAt(base.values), ...diff.changes };
      if ('strategy' in diff.changes) {
        const bundle = this.hooks.bundle(diff.changes.strategy);
        for (const k of STRATEGY_KNOBS) target[k] = bundle[k];
        delete target.strategy;
      }
      const forked = forkedSettings(base.settings, base.values, at, target);
      if (forked.problem) return forked.problem;
      settingsB = forked.settings;
      since = ` from ${this.hooks.clock().short(at)}`;
    }
    this.stop(false);
    const { els } = this;
    els.panel.hidden = false;
    this.open = true;
    this.key = key;
    document.body.dataset.comparing = '1';
    const crashed = (message) => { els.status.textContent = `A side's engine stopped: ${message}. Close and compare again.`; this.playback.pause(); };
    this.sides = els.sides.map((el) => new Side(el, this.module, crashed));
    const runs = [base.settings, settingsB];
    this.sides[0].title.textContent = `A: ${base.title}`;
    this.sides[1].title.textContent = `B: the same, but${since} ${diff.phrase}`;
    this.duration = Number(base.values.duration_h) * 60;
    els.scrub.max = String(this.duration);
    this.clock = this.hooks.clock();
    this.sides.forEach((side, i) => {
      side.view.fit();
      side.engine.load(base.preset, runs[i], {}, { w: side.view.size.w, h: side.view.size.h, dark: matchMedia('(prefers-color-scheme: dark)').matches })
        .then((refused) => { if (refused) els.status.textContent = `${i ? 'B' : 'A'} could not start: ${refused}`; });
    });
    this.playback.load(this.duration, at);
    this.playback.setPlaying(true);
    els.status.textContent = `Both sides run in lockstep from ${this.clock.short(at)}, the same seed and the same wave (the time slider goes back); your own run is paused meanwhile.`;
    this.hooks.opened(key);
    this.buildCharts();
    this.loop();
    return null;
  }

  /** Closes the sides and stops their engines. */
  stop(tell = true) {
    if (!this.sides) return;
    this.open = false;
    for (const s of this.sides) { s.engine.stop(); s.plot?.destroy(); s.plot = null; }
    this.sides = null;
    this.els.panel.hidden = true;
    delete document.body.dataset.comparing;
    if (tell) this.hooks.opened(null);
  }

  /** The two charts of users online, their cursors linked, on one scale. */
  async buildCharts() {
    const [{ default: uPlot }, { loadStyles, HOUR_INCRS }] = await Promise.all([import('../vendor/uPlot.esm.js'), import('./charts.js')]);
    await loadStyles();
    if (!this.sides) return;
    const fg = colour('muted');
    const grid = { stroke: colour('line'), width: 1 };
    for (const side of this.sides) {
      side.chartBox.replaceChildren();
      const width = Math.max(240, side.chartBox.clientWidth || 300);
      side.plot = new uPlot({
        width,
        height: 140,
        // Room on the right for the last day's label.
        padding: [8, 28, 0, 0],
        scales: { x: { time: false, range: () => [0, this.duration] }, y: { range: (u, min, max) => [0, Math.max(max * 1.05, this.normal ?? 1)] } },
        axes: [
          { stroke: fg, grid, ticks: grid, values: (u, splits) => splits.map((v) => this.clock.tick(v)), incrs: HOUR_INCRS, space: 70 },
          { stroke: fg, grid, ticks: grid, size: 48, values: (u, splits) => splits.map(usersShort) },
        ],
        series: [
          { label: 'time', value: (u, v) => (v == null ? '–' : this.clock.long(v)) },
          { label: 'online', stroke: colour('online'), width: 2, points: { show: false }, value: (u, v) => (v == null ? '–' : usersShort(v)) },
        ],
        cursor: { sync: { key: 'compare' }, drag: { x: false, y: false } },
        // The numbers below say what the legend would; hovering still links the two cursors.
        legend: { show: false },
      }, [[], []], side.chartBox);
    }
  }

  /** Plays both sides while open: a frame's worth of minutes, the pictures, now and then the rest. */
  loop() {
    requestAnimationFrame(async (ms) => {
      if (!this.open) return;
      const sides = this.sides;
      for (const s of sides) s.engine.wantPicture = true;
      await this.playback.frame(ms);
      if (this.sides !== sides) return;
      for (const s of sides) {
        const pic = s.engine.view.takeFrame();
        if (pic) s.view.paint(pic);
      }
      const t = this.playback.now;
      this.els.scrubOut.textContent = this.clock.long(t);
      if (document.activeElement !== this.els.scrub) this.els.scrub.value = String(t);
      if (ms - this.lastSlow > SLOW_EVERY_MS || !this.playback.playing) {
        this.lastSlow = ms;
        this.showSlow();
      }
      this.loop();
    });
  }

  /** Captions, charts and the numbers, at the minute both sides have reached. */
  showSlow() {
    const [a, b] = this.sides.map((s) => s.engine.view);
    if (!a.ready || !b.ready) return;
    this.normal = (a.summary()?.baseline_online ?? 0) * a.users_per_client();
    for (const s of this.sides) {
      const v = s.engine.view;
      // The caption without its why (the page's main caption folds that away too).
      const words = splitWhy(v.caption()).what;
      if (s.caption.textContent !== words) s.caption.textContent = words;
      if (s.plot) {
        const upc = v.users_per_client();
        const samples = v.samples_since(0);
        s.plot.setData([samples.map((x) => x.t_min), samples.map((x) => x.online * upc)]);
      }
    }
    const n = compareNumbers(a.summary(), b.summary(), (m) => this.hooks.duration(m));
    const users = this.hooks.users;
    const back = (m) => (m == null ? 'not yet' : this.clock.long(m));
    const cells = [
      ['User-hours lost so far (every minute below normal, everyday dips too)', users(n.a.lost), users(n.b.lost)],
      ['Lowest point so far', `${Math.round(n.a.lowest * 100)}% online`, `${Math.round(n.b.lowest * 100)}% online`],
      ['Back to normal', back(n.a.back), back(n.b.back)],
    ];
    const { numbers } = this.els;
    const body = numbers.querySelector('tbody');
    body.replaceChildren(...cells.map((c) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = c[0];
      tr.append(th, ...c.slice(1).map((text) => { const td = document.createElement('td'); td.textContent = text; return td; }));
      return tr;
    }));
    numbers.querySelector('.compare-words').textContent = n.words;
  }

  /** The two sides' chart data (for tests): minutes and users online. */
  data() {
    return this.sides?.map((s) => s.engine.view.samples_since(0).map((x) => x.online)) ?? null;
  }
}
