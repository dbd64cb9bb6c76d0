// The embed's own part (embed.html): its URL options shown (view, controls, caption, title), its
// size fitted to the iframe or reported to the article, and the message API (messages.js) that
// lets an article drive it and hear what happens.
import { readEmbedOptions, writeEmbedOptions, FIELDSET_SWITCHES } from './embed-options.js';
import { readMessage, message, originAllowed, EVENTS } from './messages.js';

const $ = (id) => document.getElementById(id);

/**
 * The smallest the picture may get when the embed fits its frame: a share of its column, and never
 * narrower than LEAST_PICTURE_PX (or the column): below that the embed scrolls instead.
 */
const LEAST_PICTURE = 0.3;
const LEAST_PICTURE_PX = 240;
/** Frames narrower than this (px) show the legend folded. */
const LEGEND_OPEN_PX = 560;

export class Embed {
  /**
   * `app`: what the embed drives, {load(preset), set(name, value), seek(t), play(), pause(),
   * info(), presets(), duration(), checkSetting(name, value), words(phase), when(t)}.
   */
  constructor(app, search = location.search) {
    this.app = app;
    const { options, problems } = readEmbedOptions(new URLSearchParams(search));
    this.options = options;
    this.problems = problems;
    /** Windows that drove the embed, with their origins: they hear its events too. */
    this.listeners = new Map();
    this.lastHeight = 0;
    /** The update's timing is not among the controls asked for (the page shows it otherwise). */
    this.hidesTiming = true;
    this.reset();
  }

  /**
   * A new run from minute `from` on (-1: a new scenario, told afresh): what was told up to `from`
   * is not told again (a change that keeps the past), what comes after is.
   */
  reset(from = -1) {
    /** The minute last followed, and the events told (`kind@minute`). */
    this.heardTo = from;
    this.told = new Set([...(this.told ?? [])].filter((key) => Number(key.split('@')[1]) <= from));
    if (from < 0) this.phase = null;
  }

  /** Shows what the options ask for; returns the options' problems for the page to list. */
  layOut() {
    const o = this.options;
    document.body.dataset.view = o.view;
    document.body.dataset.controls = o.controls;
    document.body.dataset.height = o.height;
    if (!o.caption) document.body.dataset.caption = 'off';
    const parts = {
      stage: o.view !== 'chart', chart: o.view !== 'stage', caption: o.caption,
      play: o.controls !== 'none', all: o.controls === 'all',
    };
    for (const el of document.querySelectorAll('[data-part]')) el.hidden = !parts[el.dataset.part];
    // One switch on its own: the first screen's choice for the bundle or the restart window, the
    // engine's own control for one of the four switches.
    const sw = o.switch;
    if ($('bundles')) $('bundles').hidden = !(parts.all || sw === 'strategy');
    this.hidesTiming = !(parts.all || sw === 'reboot_window_min');
    // A narrow frame has no room for the whole legend: it folds away under one line.
    if ($('legend-box') && innerWidth < LEGEND_OPEN_PX) $('legend-box').open = false;
    if ($('timing')) $('timing').hidden = this.hidesTiming;
    return this.problems;
  }

  /** The switch `controls=switch:NAME` names when it is one of the four (built by the page's controls). */
  get ownSwitch() {
    const sw = this.options.switch;
    return sw && !FIELDSET_SWITCHES.includes(sw) ? sw : null;
  }

  /** The embed's options for its own address (they stay when the page rewrites it). */
  query() {
    const q = writeEmbedOptions(this.options).toString();
    return q ? `&${q}` : '';
  }

  /** The chart's key, where the chart is shown and draws the record's letters (`hasRecord`). */
  showRecordKey(hasRecord) {
    if ($('record-key')) $('record-key').hidden = !(hasRecord && this.options.view !== 'stage');
  }

  /** The title: the author's, or the scenario's. */
  showTitle(scenarioTitle) {
    const title = this.options.title ?? `loginstorm: ${scenarioTitle}`;
    if ($('embed-title') && $('embed-title').textContent !== title) $('embed-title').textContent = title;
    document.title = title;
  }

  /** Starts listening to the article. */
  listen() {
    addEventListener('message', (e) => this.receive(e));
    // Sizes change with the caption's length, the options and the frame's width.
    const grows = new ResizeObserver(() => this.fit());
    grows.observe(document.body);
    addEventListener('resize', () => this.fit());
    this.fit();
  }

  /**
   * Fits the embed to its frame: with `height=frame` the picture gives way (down to a share of
   * its width) so the caption and controls always show whole; with `height=auto` it keeps its
   * shape and the article is told the height wanted. Either way the article hears `height`.
   */
  fit() {
    const wrap = $('view-wrap');
    const main = document.querySelector('main');
    if (!wrap || !main) return;
    // The picture's column (the whole width, or half of it beside the chart).
    const cell = wrap.parentElement;
    const shown = wrap.offsetParent !== null;
    const aspect = wrap.clientHeight / Math.max(1, wrap.clientWidth) || 9 / 16;
    const picture = shown ? wrap.offsetHeight : 0;
    const full = shown ? cell.clientWidth * aspect : 0;
    // Beside the chart, the row is as tall as the taller of the two.
    const beside = shown && getComputedStyle(cell.parentElement).display === 'grid' ? $('charts')?.offsetHeight ?? 0 : 0;
    const rest = main.offsetHeight - Math.max(picture, beside);
    // The height the embed wants: everything, the picture at its column's full width.
    const wanted = Math.ceil(rest + Math.max(full, beside));
    if (this.options.height === 'frame' && shown) {
      // (Beside the chart, a picture shorter than the chart would free no room.)
      const room = Math.max(innerHeight - rest, beside);
      const least = Math.max(LEAST_PICTURE * cell.clientWidth, Math.min(LEAST_PICTURE_PX, cell.clientWidth));
      const most = Math.max(least, Math.floor(room / aspect));
      const px = most >= cell.clientWidth ? '' : `${most}px`;
      // A pixel either way is rounding (the borders, the canvas's whole pixels): changing it
      // would only start the next round of the same.
      const now = wrap.style.maxWidth ? parseFloat(wrap.style.maxWidth) : cell.clientWidth;
      if (wrap.style.maxWidth !== px && Math.abs(now - Math.min(most, cell.clientWidth)) > 2) wrap.style.maxWidth = px;
    }
    if (Math.abs(wanted - this.lastHeight) < 2) return;
    this.lastHeight = wanted;
    // The platform's responsive iframes (an article with `frame-sizing: content-height`), and
    // a message for every other host.
    try { window.requestResize?.(); } catch { /* not embedded, or the article did not opt in */ }
    this.emit('height', { height: wanted });
  }

  /** A message from some window: carried out, refused (the sender is told) or ignored (a warning). */
  receive(e) {
    if (e.source === window) return;
    if (!originAllowed(e.origin, this.options.origins)) {
      console.warn(`loginstorm: a message from ${e.origin} was ignored: this embed takes messages only from ${this.options.origins.join(', ')} (origins=)`);
      return;
    }
    const app = this.app;
    const read = readMessage(e.data, { duration: app.duration(), presets: app.presets(), checkSetting: (n, v) => app.checkSetting(n, v) });
    if (read.ignore) {
      console.warn(`loginstorm: a message was ignored: ${read.ignore}`);
      return;
    }
    const reply = (type, fields) => send(e.source, e.origin, message(type, fields));
    if (e.source) this.listeners.set(e.source, e.origin);
    if (read.refuse) {
      reply('error', read.refuse);
      return;
    }
    const r = read.request;
    const problem = this.carryOut(r);
    if (problem) {
      reply('error', { id: r.id, field: r.type === 'set' ? r.name : r.type, message: problem });
      return;
    }
    // Answered once done: a seek or a load when the run is there (what it passed is told first).
    const done = r.type === 'seek' || r.type === 'load' || r.type === 'set' ? app.settled() : Promise.resolve();
    done.then(() => reply('reply', { id: r.id, request: r.type, ...app.info() }));
  }

  /** Does request `r` (already checked); a problem the page found instead, or null. */
  carryOut(r) {
    const app = this.app;
    switch (r.type) {
      case 'play': app.play(); return null;
      case 'pause': app.pause(); return null;
      case 'seek': app.seek(r.t); return null;
      case 'load': return app.load(r.preset);
      case 'set': return app.set(r.name, r.value);
      default: return null;
    }
  }

  /** Sends event `type` to the article (the parent window) and to every window that drove the embed. */
  emit(type, fields = {}) {
    if (!EVENTS.includes(type)) return;
    const m = message(type, fields);
    const told = new Set();
    for (const [win, origin] of this.listeners) {
      send(win, origin, m);
      told.add(win);
    }
    if (window.parent !== window && !told.has(window.parent)) {
      // The article's origin where the browser says it (or its address did); any only when no
      // origin is listed. Otherwise the article is heard once it has spoken (a listener above).
      const parentOrigin = [location.ancestorOrigins?.[0], referrerOrigin()].find((o) => o && o !== 'null') ?? null;
      if (!this.options.origins) send(window.parent, parentOrigin ?? '*', m);
      else if (parentOrigin && this.options.origins.includes(parentOrigin)) send(window.parent, parentOrigin, m);
    }
  }

  /**
   * Tells the article what the run did since the last call, as it plays: `phase` when the phase
   * changes, `event` for each event passed, `recovered` with the recovery, `ended` at the end.
   * `view` is the run as the page knows it, `t` the minute shown.
   */
  follow(view, t, duration) {
    if (!view.ready) return;
    const phase = view.latest()?.phase ?? null;
    if (phase && phase !== this.phase) {
      this.phase = phase;
      this.emit('phase', { phase, words: this.app.words(phase), t, when: this.app.when(t) });
    }
    // Gone back: what comes again is told again.
    if (t < this.heardTo) for (const key of this.told) if (Number(key.split('@')[1]) > t) this.told.delete(key);
    // Each event once, when the run has passed it (the list may arrive a little after the minute).
    for (const ev of view.events()) {
      const key = `${ev.kind}@${ev.t_min}`;
      if (ev.t_min > t || this.told.has(key)) continue;
      this.told.add(key);
      const { t_min: at, kind, text, ...more } = ev;
      const when = this.app.when(at);
      this.emit('event', { kind, t: at, when, text, ...more });
      if (kind === 'recovered') this.emit('recovered', { t: at, when, summary: view.summary() });
    }
    if (t >= duration && this.heardTo < duration) this.emit('ended', { t, when: this.app.when(t), summary: view.summary() });
    this.heardTo = t;
  }
}

/** The origin of the page that opened this one, from its address (null if it is not told). */
function referrerOrigin() {
  try {
    return document.referrer ? new URL(document.referrer).origin : null;
  } catch {
    return null;
  }
}

/** Posts `m` to `win` at `origin` (a sandboxed frame's 'null' origin is reached only with '*'). */
function send(win, origin, m) {
  try {
    win?.postMessage(m, origin === 'null' ? '*' : origin);
  } catch (e) {
    console.warn(`loginstorm: could not send ${m.type}: ${e.message}`);
  }
}
