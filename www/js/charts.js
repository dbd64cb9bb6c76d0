// Live charts (uPlot): online users against the normal level, live supernodes, login
// attempts a minute; phases as shaded bands and events as dashed lines on a calendar axis.
import uPlot from '../vendor/uPlot.esm.js';
import { grouped, usersShort } from './format.js';
import { colour } from './theme.js';

export const HOUR_INCRS = [10, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080];
/** Event lines closer than this (CSS pixels) are drawn as one. */
const MERGE_PX = 8;

/**
 * uPlot's styles, fetched with the charts rather than with the page; placed before the page's
 * own sheets so those still override them. Resolves once loaded (or failed: the charts still work).
 */
export function loadStyles() {
  const href = new URL('../vendor/uPlot.min.css', import.meta.url).href;
  if (document.querySelector(`link[href="${href}"]`)) return Promise.resolve();
  const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href });
  const loaded = new Promise((resolve) => { link.onload = resolve; link.onerror = resolve; });
  const first = document.head.querySelector('link[rel="stylesheet"]');
  if (first) first.before(link);
  else document.head.append(link);
  return loaded;
}

/**
 * Marker positions `xs` (ascending) merged where they lie within `gap` of the first of a group:
 * one marker at that first position, with how many it stands for.
 */
export function mergeMarkers(xs, gap) {
  const out = [];
  for (const x of xs) {
    const last = out.at(-1);
    if (last && x - last.x < gap) last.count++;
    else out.push({ x, count: 1 });
  }
  return out;
}

/** Draws phase bands and event lines under the series. */
function bandsPlugin(charts) {
  return {
    hooks: {
      drawClear: (u) => {
        const { ctx } = u;
        const { left, top, width, height } = u.bbox;
        const t = charts.t;
        const phases = charts.phases;
        ctx.save();
        let i = 0;
        while (i < t.length) {
          let j = i;
          while (j + 1 < t.length && phases[j + 1] === phases[i]) j++;
          const fill = charts.bands[phases[i]];
          if (fill) {
            const x0 = u.valToPos(t[i], 'x', true);
            const x1 = u.valToPos(t[j] + 1, 'x', true);
            ctx.fillStyle = fill;
            ctx.fillRect(Math.max(x0, left), top, Math.min(x1, left + width) - Math.max(x0, left), height);
          }
          i = j + 1;
        }
        ctx.strokeStyle = 'rgba(120,120,120,0.8)';
        ctx.fillStyle = colour('muted');
        ctx.lineWidth = 1;
        ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
        const xs = charts.events.map((e) => u.valToPos(e.t_min, 'x', true)).filter((x) => x >= left && x <= left + width);
        for (const { x, count } of mergeMarkers(xs, MERGE_PX * devicePixelRatio)) {
          ctx.setLineDash([4, 4]);
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + height);
          ctx.stroke();
          // Events too close to tell apart are one line, with how many it stands for.
          if (count > 1) ctx.fillText(`×${count}`, x + 3 * devicePixelRatio, top + height - 4 * devicePixelRatio);
        }
        ctx.restore();
      },
      // After a jump back, the run already computed beyond the moment shown stays, veiled, with a
      // line at the moment: looking back does not throw the rest of the day away.
      draw: (u) => {
        const t = charts.t;
        if (t.length === 0 || charts.now > t[t.length - 1]) return;
        const { ctx } = u;
        const { left, top, width, height } = u.bbox;
        const x = Math.max(left, u.valToPos(charts.now, 'x', true));
        ctx.save();
        ctx.globalAlpha = 0.6;
        ctx.fillStyle = colour('bg');
        ctx.fillRect(x, top, left + width - x, height);
        ctx.globalAlpha = 1;
        ctx.strokeStyle = colour('fg');
        ctx.lineWidth = 1.5 * devicePixelRatio;
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        ctx.restore();
      },
    },
  };
}

/**
 * Draws the run before the reader's last change as a faint dashed line from the change on, where
 * it parts from the run shown, with a label at its end (chart `key`: online, supernodes, attempts).
 */
function ghostPlugin(charts, key) {
  return {
    hooks: {
      draw: (u) => {
        const ghost = charts.ghost;
        const ys = ghost?.lines[key];
        if (!ys || ys.length <= ghost.from) return;
        const { ctx } = u;
        const { left, top, width, height } = u.bbox;
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, top, width, height);
        ctx.clip();
        ctx.strokeStyle = colour('fg');
        ctx.globalAlpha = 0.5;
        ctx.lineWidth = 1.5 * devicePixelRatio;
        ctx.setLineDash([3 * devicePixelRatio, 3 * devicePixelRatio]);
        ctx.beginPath();
        // One point a pixel is plenty: a 4-day run has more minutes than the chart has pixels.
        const step = Math.max(1, Math.floor((ys.length - ghost.from) / Math.max(1, width)));
        let x = 0;
        let y = 0;
        for (let t = ghost.from; t < ys.length; t += step) {
          x = u.valToPos(t, 'x', true);
          y = u.valToPos(ys[t], 'y', true);
          if (t === ghost.from) ctx.moveTo(x, y); else ctx.lineTo(x, y);
        }
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.globalAlpha = 0.8;
        ctx.fillStyle = colour('fg');
        ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
        ctx.textAlign = 'right';
        ctx.fillText('before your change', Math.min(x, left + width) - 2 * devicePixelRatio, Math.max(top + 12 * devicePixelRatio, y - 4 * devicePixelRatio));
        // Where the change took effect (a change from the first minute needs no marker).
        if (ghost.from > 0) {
          const at = u.valToPos(ghost.from, 'x', true);
          ctx.globalAlpha = 0.7;
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(at, top);
          ctx.lineTo(at, top + height);
          ctx.stroke();
          ctx.textAlign = 'left';
          ctx.fillText('your change', at + 3 * devicePixelRatio, top + 12 * devicePixelRatio);
        }
        ctx.restore();
      },
    },
  };
}

/**
 * Draws the documented milestones on the users chart: a stretch with a count as a box spanning
 * its range, a moment with a count as a diamond, a moment without one as a tick at the top; each
 * lettered as in the list under the charts.
 */
function recordPlugin(charts) {
  return {
    hooks: {
      draw: (u) => {
        if (charts.record.length === 0) return;
        const { ctx } = u;
        const { top, height } = u.bbox;
        const ink = colour('fg');
        ctx.save();
        ctx.strokeStyle = ink;
        ctx.fillStyle = ink;
        ctx.lineWidth = 1.5;
        ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
        charts.record.forEach((m, i) => {
          const x0 = u.valToPos(m.from_min, 'x', true);
          const x1 = u.valToPos(m.to_min, 'x', true);
          let labelAt;
          if (m.users) {
            const y0 = u.valToPos(m.users[1], 'y', true);
            const y1 = u.valToPos(m.users[0], 'y', true);
            if (x1 > x0 || y1 > y0 + 2) {
              ctx.setLineDash([3, 3]);
              ctx.strokeRect(x0, y0, Math.max(x1 - x0, 2), Math.max(y1 - y0, 2));
              ctx.setLineDash([]);
            } else {
              const r = 5 * devicePixelRatio;
              ctx.beginPath();
              ctx.moveTo(x0, y0 - r); ctx.lineTo(x0 + r, y0); ctx.lineTo(x0, y0 + r); ctx.lineTo(x0 - r, y0); ctx.closePath();
              ctx.fill();
            }
            labelAt = [x0 + 4 * devicePixelRatio, y0 - 4 * devicePixelRatio];
          } else {
            ctx.beginPath();
            ctx.moveTo(x0, top);
            ctx.lineTo(x0, top + Math.min(height, 14 * devicePixelRatio));
            ctx.stroke();
            labelAt = [x0 + 3 * devicePixelRatio, top + 12 * devicePixelRatio];
          }
          ctx.fillText(String.fromCharCode(65 + i), labelAt[0], labelAt[1]);
        });
        ctx.restore();
      },
    },
  };
}

export class Charts {
  /**
   * `phases`: the engine's phase names, each with a band on the charts; `onSeek(t)`: the reader
   * clicked or dragged on a chart at minute t; `only`: how many of the charts to show, in order
   * (users online, supernodes, login attempts).
   */
  constructor(container, clock, phases, onSeek = () => {}, only = 3) {
    this.onSeek = onSeek;
    this.only = only;
    this.phaseNames = phases.map((p) => p.name);
    this.container = container;
    this.clock = clock;
    this.t = [];
    /** The minute shown (Infinity: everything known has been shown). */
    this.now = Infinity;
    this.phases = [];
    this.events = [];
    /** The documented milestones of the day the run retells (see src/record.rs). */
    this.record = [];
    this.cols = { online: [], normal: [], supernodes: [], normalCore: [], attempts: [] };
    this.plots = [];
    this.duration = 5760;
    /** The run before the reader's last change: {from, lines: {online, supernodes, attempts}}. */
    this.ghost = null;
  }

  /**
   * The charts of `phases` in `container`, built one chart a task: three at once made the
   * longest task of a page load (about 60 ms here).
   */
  static async open(container, clock, phases, onSeek, only) {
    await loadStyles();
    const charts = new Charts(container, clock, phases, onSeek, only);
    for (const make of charts.makers()) {
      charts.plots.push(make());
      await new Promise((resolve) => { setTimeout(resolve, 0); });
    }
    return charts;
  }

  /** Builds the charts again (a new width or theme). */
  build() {
    this.plots = this.makers().map((make) => make());
  }

  /** Clears the container and returns a maker for each chart, in order. */
  makers() {
    for (const p of this.plots) p.destroy();
    this.plots = [];
    this.container.replaceChildren();
    const width = this.width();
    // Axis text and grid follow the page's theme, as the dots do.
    const fg = colour('muted');
    const grid = { stroke: colour('line'), width: 1 };
    // The model's colours, from the engine's palette (palette.css), in the current scheme.
    this.bands = Object.fromEntries(this.phaseNames.map((name) => [name, colour(`band-${name}`)]));
    const reference = colour('reference');
    const xAxis = {
      stroke: fg,
      grid,
      ticks: grid,
      values: (u, splits) => splits.map((v) => this.clock.tick(v)),
      incrs: HOUR_INCRS,
      space: 70,
    };
    // A y axis reaches the ghost's highest point too, so the run before a change is never cut off.
    const yRange = (key) => (u, min, max) => [0, Math.max(max * 1.05, this.ghostMax(key) * 1.05, 1)];
    const common = (title, series, yValues, key, extra = []) => ({
      title,
      width,
      height: this.height(width),
      scales: { x: { time: false, range: () => [0, this.duration] }, y: { range: yRange(key) } },
      axes: [xAxis, { values: (u, splits) => splits.map(yValues), size: 56, stroke: fg, grid, ticks: grid }],
      padding: [8, 40, 0, 0],
      series: [{ label: 'time', value: (u, v) => (v == null ? '–' : this.clock.long(v)) }, ...series],
      // A drag seeks (as a click does) rather than zooming.
      cursor: { sync: { key: 'loginstorm' }, drag: { x: false, y: false } },
      legend: { live: true },
      plugins: [bandsPlugin(this), ghostPlugin(this, key), ...extra],
      hooks: { ready: [(u) => this.seekOnPointer(u)] },
    });
    const line = (label, stroke, dash, fmt) => ({ label, stroke, width: dash ? 1 : 2, dash, value: (u, v) => (v == null ? '–' : fmt(v)), points: { show: false } });
    const usersFmt = (v) => usersShort(v);
    const makers = [
      () => new uPlot(common('Users online', [line('online', colour('online'), null, usersFmt), line('normal', reference, [6, 4], usersFmt)], usersShort, 'online', [recordPlugin(this)]),
        [this.t, this.cols.online, this.cols.normal], this.container),
      () => new uPlot(common('Live supernodes (a mega-supernode counts as one)', [line('supernodes', colour('supernode'), null, (v) => grouped(Math.round(v))), line('normal core', reference, [6, 4], (v) => grouped(Math.round(v)))], (v) => usersShort(v), 'supernodes'),
        [this.t, this.cols.supernodes, this.cols.normalCore], this.container),
      () => new uPlot(common('Login attempts a minute (real users)', [line('attempts', colour('waiting'), null, usersFmt)], usersShort, 'attempts'),
        [this.t, this.cols.attempts], this.container),
    ];
    return makers.slice(0, this.only);
  }

  width() { return Math.max(260, this.container.clientWidth || 600); }

  /** A click, or a drag with the button down, on chart `u` goes to that minute. */
  seekOnPointer(u) {
    const over = u.over;
    const seek = (e) => {
      const t = Math.round(u.posToVal(e.offsetX, 'x'));
      this.onSeek(Math.max(0, Math.min(t, this.duration)));
    };
    // A mouse seeks at once and while dragging; a finger only on a tap (a touch that moves is
    // the reader scrolling the page).
    let touchFrom = null;
    over.addEventListener('pointerdown', (e) => {
      if (e.pointerType === 'touch') { touchFrom = [e.clientX, e.clientY]; return; }
      over.setPointerCapture(e.pointerId);
      seek(e);
    });
    over.addEventListener('pointermove', (e) => { if (e.pointerType !== 'touch' && over.hasPointerCapture(e.pointerId)) seek(e); });
    over.addEventListener('pointerup', (e) => {
      if (e.pointerType !== 'touch' || !touchFrom) return;
      const moved = Math.hypot(e.clientX - touchFrom[0], e.clientY - touchFrom[1]);
      touchFrom = null;
      if (moved < 10) seek(e);
    });
    over.addEventListener('pointercancel', () => { touchFrom = null; });
  }

  /** Away from the pointer, each legend gives the values at the latest minute shown. */
  showLatestInLegends() {
    // The moment shown: the last minute before `now` (later minutes are known but not yet played).
    let last = this.t.length - 1;
    while (last >= 0 && this.t[last] >= this.now) last--;
    // Back at the start: the first minute, not a later one left over from before the rewind.
    if (last < 0) last = 0;
    if (this.t.length === 0) return;
    for (const p of this.plots) if (p.cursor.left == null || p.cursor.left < 0) p.setLegend({ idx: last });
  }

  /**
   * The run before the reader's change at minute `from`, drawn faintly from there on: `lines`
   * holds one value a minute from minute 0 for each chart (real users); null clears it.
   */
  setGhost(ghost) {
    this.ghost = ghost;
    this.redraw();
  }

  /** The ghost's highest value on chart `key` from its change on (0 without one). */
  ghostMax(key) {
    const ys = this.ghost?.lines[key];
    if (!ys) return 0;
    let most = 0;
    for (let t = this.ghost.from; t < ys.length; t++) most = Math.max(most, ys[t]);
    return most;
  }

  /** The minute shown: the run after it, computed before a jump back, is drawn veiled. */
  setNow(now) { this.now = now; }

  /** Starts over for a new run. */
  reset(clock, duration) {
    this.clock = clock;
    this.duration = duration;
    this.t.length = 0;
    this.now = Infinity;
    this.phases.length = 0;
    for (const c of Object.values(this.cols)) c.length = 0;
    this.events = [];
    this.redraw();
  }

  /** Appends samples (from the engine), scaled to real users. Drops any at or after their start first. */
  append(samples, { usersPerClient, normalUsers, normalCore }) {
    if (samples.length === 0) return;
    this.truncate(samples[0].t_min);
    for (const s of samples) {
      this.t.push(s.t_min);
      this.phases.push(s.phase);
      this.cols.online.push(s.online * usersPerClient);
      this.cols.normal.push(normalUsers);
      // One scale: a simulated supernode stands for as many real ones as a client for users.
      this.cols.supernodes.push(s.supernodes * usersPerClient);
      this.cols.normalCore.push(normalCore);
      this.cols.attempts.push(s.login_attempts * usersPerClient);
    }
  }

  /** Forgets samples from minute `t` on (after a rewind). */
  truncate(t) {
    let n = this.t.length;
    while (n > 0 && this.t[n - 1] >= t) n--;
    if (n === this.t.length) return;
    this.t.length = n;
    this.phases.length = n;
    for (const c of Object.values(this.cols)) c.length = n;
  }

  setEvents(events) { this.events = events; }

  /** The documented milestones to draw (none for a scenario of our own). */
  setRecord(milestones) { this.record = milestones; }

  lastTime() { return this.t.length ? this.t[this.t.length - 1] : -1; }

  redraw() {
    // Not while the charts are still being built, one a task.
    if (this.plots.length < this.only) return;
    const data = [
      [this.t, this.cols.online, this.cols.normal],
      [this.t, this.cols.supernodes, this.cols.normalCore],
      [this.t, this.cols.attempts],
    ];
    this.plots.forEach((plot, i) => plot.setData(data[i]));
    this.showLatestInLegends();
  }

  resize() {
    const w = this.width();
    for (const p of this.plots) p.setSize({ width: w, height: this.height(w) });
  }

  /**
   * A chart's plot height for width `w`: about a third of the width; in presenter view, a third
   * each of the screen below the charts' top, less each one's title (which grows with the text),
   * so the three fill it, but never so flat they stop reading (the column then scrolls).
   */
  height(w) {
    if (document.body.dataset.present) {
      const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
      const top = this.container.getBoundingClientRect().top + scrollY;
      return Math.max(150, Math.floor((innerHeight - top - 8) / 3 - 2.5 * rem));
    }
    // An embed's one chart leaves the picture its room.
    if (this.only < 3) return Math.max(110, Math.min(170, Math.round(w * 0.45)));
    return Math.max(140, Math.min(200, Math.round(w * 0.32)));
  }

  /** The chart canvases, for the PNG export. */
  canvases() { return this.plots.map((p) => p.ctx.canvas); }

  /** The charts' titles, in the same order. */
  titles() { return this.plots.map((p) => p.root.querySelector('.u-title')?.textContent ?? ''); }

  /** The data the charts show (for tests and the curious, via window.loginstorm). */
  data() {
    return { record: this.record.length, now: this.now, ghost: this.ghost ? { from: this.ghost.from, online: [...this.ghost.lines.online] } : null, t: [...this.t], phase: [...this.phases], online: [...this.cols.online], normal: this.cols.normal.at(-1) ?? null, supernodes: [...this.cols.supernodes], attempts: [...this.cols.attempts] };
  }
}
