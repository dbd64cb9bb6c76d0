// The stability map: a grid of two settings, several seeds a cell, run in background workers
// (the same rows as `loginstorm sweep`), drawn as a heatmap of user-hours lost or time to
// recover, with a thick line along the cliff between cells that come back and cells that stay
// collapsed. Hovering a cell gives its numbers; clicking it loads it.
import { Background } from './background.js';

/** Maps a reader can pick: two settings and their ranges (the grid's size is chosen apart). */
export const MAPS = [
  { name: 'window-share', title: 'How fast the PCs restart × how many do', x: 'reboot_window_min=10..2880', y: 'reboot_share=0.05..1' },
  { name: 'capacity-handshakes', title: 'Supernode capacity × the logins a supernode takes a minute', x: 'supernode_capacity=100..1000', y: 'handshakes_per_min=5..60' },
  { name: 'flood-handshakes', title: 'How flooded before switching off × the logins a supernode takes a minute', x: 'flood_factor=1..10', y: 'handshakes_per_min=5..60' },
  { name: 'engineers', title: 'When the engineers step in × how many mega-supernodes', x: 'mega_at_min=600..4000', y: 'mega_share=0.02..0.5' },
];

/**
 * The cells of a sweep from its rows (`{x, y, seed, outcome, summary}`, y then x then seed):
 * per cell its values, how many seeds collapsed, the mean user-hours lost and the mean minute of
 * recovery (null if no seed recovered). `nx` values of x a row of cells.
 */
export function cellsOf(rows, nx, seeds) {
  const cells = [];
  for (let c = 0; c * seeds < rows.length; c++) {
    const mine = rows.slice(c * seeds, (c + 1) * seeds).filter(Boolean);
    if (mine.length === 0) { cells.push(null); continue; }
    const recovered = mine.filter((r) => r.outcome.outcome === 'recovers');
    cells.push({
      i: c % nx, j: Math.floor(c / nx), x: mine[0].x, y: mine[0].y, runs: mine.length,
      collapsed: mine.filter((r) => r.outcome.outcome === 'collapses').length,
      lost: mine.reduce((s, r) => s + r.summary.user_hours_lost, 0) / mine.length,
      recoveredAt: recovered.length ? recovered.reduce((s, r) => s + r.outcome.at_min, 0) / recovered.length : null,
      lowest: Math.min(...mine.map((r) => r.summary.min_online_fraction)),
    });
  }
  return cells;
}

/** The number of values an axis spec `KNOB=FROM..TO:STEPS` asks for, or 0 if it names none. */
export function steps(spec) {
  const m = /:\s*(\d+)\s*$/.exec(spec);
  const n = m ? Number(m[1]) : 0;
  return n >= 1 && n <= 1000 ? n : 0;
}

/** Whether most of a cell's seeds collapsed (the map's cliff runs between such cells and the rest). */
export const downs = (cell) => cell !== null && cell.collapsed * 2 > cell.runs;

/** A colour from pale to dark for `v` in 0..1 (a sequential scale that reads in grey too). */
export function shade(v) {
  const t = Math.max(0, Math.min(1, v));
  // From a pale yellow through orange to a deep red-brown.
  const stops = [[255, 247, 214], [252, 187, 96], [227, 103, 38], [150, 40, 20], [70, 15, 10]];
  const at = t * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(at));
  const f = at - k;
  const c = stops[k].map((a, n) => Math.round(a + (stops[k + 1][n] - a) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

export class StabilityMap {
  /**
   * @param {object} els {map, steps, seeds, metric, x, y, run, cancel, progress, status, canvas, key, readout}
   * @param {Promise<WebAssembly.Module>} module The compiled engine.
   * @param {object} hooks {scenario(): {preset, settings, title}, values(): the run's knobs as
   *   text (for the ring), label(knob): string, show(knob, value): string, users(n): string,
   *   at(t): string, load(changes)}
   */
  constructor(els, module, hooks) {
    this.els = els;
    this.hooks = hooks;
    this.background = new Background(module);
    this.rows = [];
    this.cells = [];
    this.grid = null;
    els.map.replaceChildren(...MAPS.map((m) => new Option(m.title, m.name)));
    const fill = () => {
      const m = MAPS.find((x) => x.name === els.map.value) ?? MAPS[0];
      els.x.value = `${m.x}:${els.steps.value}`;
      els.y.value = `${m.y}:${els.steps.value}`;
    };
    els.map.addEventListener('change', fill);
    els.steps.addEventListener('change', fill);
    fill();
    els.run.addEventListener('click', () => this.compute());
    els.cancel.addEventListener('click', () => this.background.cancel());
    els.metric.addEventListener('change', () => this.draw());
    els.canvas.addEventListener('pointermove', (e) => this.hover(e));
    // (A lifted finger "leaves" too: the cell it tapped stays chosen.)
    els.canvas.addEventListener('pointerleave', (e) => { if (e.pointerType !== 'touch') { this.hot = null; this.showCell(null); this.draw(); } });
    els.canvas.addEventListener('click', (e) => {
      const cell = this.cellAt(e);
      if (!cell || !this.grid) return;
      // A finger has no hover: its first tap on a cell shows the numbers, a second loads it.
      if (e.pointerType === 'touch' && this.hot !== cell) {
        this.hot = cell;
        this.showCell(cell);
        this.draw();
        return;
      }
      hooks.load({ [this.grid.xKnob]: cell.x, [this.grid.yKnob]: cell.y });
    });
  }

  async compute() {
    const { els, hooks } = this;
    const seeds = Number(els.seeds.value);
    const [x, y] = [els.x.value.trim(), els.y.value.trim()];
    const nx = steps(x);
    const ny = steps(y);
    // The engine checks the grid whole (its first row's answer names any part that is wrong);
    // here only what the page needs to lay it out.
    if (!nx || !ny) {
      els.status.textContent = `${nx ? 'y' : 'x'}: write KNOB=FROM..TO:STEPS, STEPS a whole number from 1 to 1000`;
      return;
    }
    const scenario = hooks.scenario();
    const n = nx * ny * seeds;
    // Where the scenario itself sits on the map (its own values of the two settings).
    const here = hooks.values?.() ?? {};
    this.grid = { nx, ny, seeds, x, y, xKnob: x.split('=')[0], yKnob: y.split('=')[0], here };
    this.rows = new Array(n).fill(null);
    this.cells = [];
    els.run.disabled = true;
    els.cancel.hidden = false;
    els.progress.hidden = false;
    els.progress.max = n;
    els.progress.value = 0;
    els.canvas.hidden = false;
    let done = 0;
    const started = performance.now();
    let drawn = 0;
    els.status.textContent = `Running ${n} runs of ${scenario.title} in the background…`;
    try {
      const whole = await this.background.run('sweep', { preset: scenario.preset, settings: scenario.settings, x, y, seeds }, n, (i, row) => {
        this.rows[i] = row;
        done++;
        els.progress.value = done;
        // Redrawn a few times a second, not per row: the page's thread stays free.
        if (performance.now() - drawn > 250 || done === n) {
          drawn = performance.now();
          this.cells = cellsOf(this.rows, nx, seeds);
          this.draw();
        }
      }, { all: true });
      const s = ((performance.now() - started) / 1000).toFixed(1);
      els.status.textContent = whole
        ? `${n} runs of ${scenario.title} in ${s} s. Hover (or tap) a cell for its numbers; click (or tap again) to load it.`
        : `Stopped after ${done} of ${n} runs.`;
      document.body.dataset.mapDone = whole ? String(n) : '';
    } catch (err) {
      els.status.textContent = `The map stopped: ${err.message}`;
    } finally {
      els.run.disabled = false;
      els.cancel.hidden = true;
      els.progress.hidden = true;
    }
  }

  /** The plot's box in canvas pixels: room for the axes' words on the left and below. */
  box() {
    const c = this.els.canvas;
    const dpr = devicePixelRatio || 1;
    const w = Math.round(c.clientWidth * dpr);
    const h = Math.round(c.clientHeight * dpr);
    if (c.width !== w || c.height !== h) { c.width = w; c.height = h; }
    const left = 56 * dpr;
    const bottom = 44 * dpr;
    return { left, top: 6 * dpr, width: w - left - 8 * dpr, height: h - bottom - 6 * dpr, dpr };
  }

  cellAt(e) {
    if (!this.grid) return null;
    const { left, top, width, height, dpr } = this.box();
    const r = this.els.canvas.getBoundingClientRect();
    const px = (e.clientX - r.left) * dpr - left;
    const py = (e.clientY - r.top) * dpr - top;
    if (px < 0 || py < 0 || px >= width || py >= height) return null;
    const i = Math.floor((px / width) * this.grid.nx);
    const j = this.grid.ny - 1 - Math.floor((py / height) * this.grid.ny);
    return this.cells[j * this.grid.nx + i] ?? null;
  }

  hover(e) {
    if (e.pointerType === 'touch') return;
    const cell = this.cellAt(e);
    if (cell === this.hot) return;
    this.hot = cell;
    this.showCell(cell);
    this.draw();
  }

  showCell(cell) {
    const { els, hooks, grid } = this;
    if (!cell || !grid) { els.readout.textContent = grid ? 'Hover (or tap) a cell for its numbers; click (or tap again) to load it.' : ''; return; }
    const back = cell.recoveredAt === null ? 'no seed recovered' : `back to normal at ${hooks.at(Math.round(cell.recoveredAt))} on average`;
    els.readout.textContent = `${hooks.label(grid.xKnob)}: ${hooks.show(grid.xKnob, cell.x)}; ${hooks.label(grid.yKnob)}: ${hooks.show(grid.yKnob, cell.y)}. `
      + `Collapsed in ${cell.collapsed} of ${cell.runs} seeds; ${back}; lowest point ${Math.round(cell.lowest * 100)}%; `
      + `${hooks.users(cell.lost)} user-hours lost on average.`;
  }

  draw() {
    const { grid, cells, els } = this;
    if (!grid) return;
    const ctx = els.canvas.getContext('2d');
    const { left, top, width, height, dpr } = this.box();
    ctx.clearRect(0, 0, els.canvas.width, els.canvas.height);
    const cw = width / grid.nx;
    const ch = height / grid.ny;
    const recovery = els.metric.value === 'recovery';
    const shown = cells.filter(Boolean);
    const most = Math.max(1, ...shown.map((c) => (recovery ? c.recoveredAt ?? 0 : c.lost)));
    // User-hours lost on a log scale from the map's least to its most (a dip costs thousands, a
    // collapse hundreds of millions).
    const floor = Math.log10(1 + Math.min(...shown.map((c) => c.lost)));
    const span = Math.max(1e-9, Math.log10(1 + most) - floor);
    const style = getComputedStyle(document.body);
    for (const c of cells) {
      if (!c) continue;
      const x = left + c.i * cw;
      const y = top + (grid.ny - 1 - c.j) * ch;
      const v = recovery
        ? (c.recoveredAt === null ? (downs(c) ? 1 : 0) : c.recoveredAt / most)
        : (Math.log10(1 + c.lost) - floor) / span;
      ctx.fillStyle = shade(v);
      ctx.fillRect(x, y, Math.ceil(cw), Math.ceil(ch));
    }
    // The cliff: a thick line between a mostly collapsed cell and its neighbour that is not.
    // In the page's blue: it stands out from the map's warm colours at both ends.
    ctx.strokeStyle = style.getPropertyValue('--accent').trim() || '#06c';
    ctx.lineWidth = 3 * dpr;
    ctx.beginPath();
    const at = (i, j) => (i < grid.nx && j < grid.ny ? cells[j * grid.nx + i] ?? null : null);
    for (const c of cells) {
      if (!c) continue;
      const right = at(c.i + 1, c.j);
      const above = at(c.i, c.j + 1);
      const x = left + (c.i + 1) * cw;
      const yTop = top + (grid.ny - 1 - c.j) * ch;
      if (right && downs(right) !== downs(c)) { ctx.moveTo(x, yTop); ctx.lineTo(x, yTop + ch); }
      if (above && downs(above) !== downs(c)) { ctx.moveTo(left + c.i * cw, yTop); ctx.lineTo(left + (c.i + 1) * cw, yTop); }
    }
    ctx.stroke();
    if (this.hot) {
      ctx.strokeStyle = style.getPropertyValue('--fg').trim() || '#000';
      ctx.lineWidth = 2 * dpr;
      ctx.strokeRect(left + this.hot.i * cw + dpr, top + (grid.ny - 1 - this.hot.j) * ch + dpr, cw - 2 * dpr, ch - 2 * dpr);
    }
    // This run's own settings, as a ring, where they fall inside the map.
    const place = (axis, n) => {
      const [knob, spec] = axis.split('=');
      const [range] = spec.split(':');
      const [from, to] = range.split('..').map(Number);
      const v = Number(grid.here[knob]);
      if (!Number.isFinite(v) || v < Math.min(from, to) || v > Math.max(from, to)) return null;
      return to === from ? 0 : Math.round(((v - from) / (to - from)) * (n - 1));
    };
    const hi = place(grid.x, grid.nx);
    const hj = place(grid.y, grid.ny);
    const ring = hi !== null && hj !== null;
    if (ring) {
      ctx.strokeStyle = style.getPropertyValue('--fg').trim() || '#000';
      ctx.lineWidth = 2 * dpr;
      ctx.beginPath();
      ctx.arc(left + (hi + 0.5) * cw, top + (grid.ny - 1 - hj + 0.5) * ch, Math.max(4 * dpr, Math.min(cw, ch) * 0.45), 0, 2 * Math.PI);
      ctx.stroke();
    }
    // Axes: each setting's name and its first and last values.
    ctx.fillStyle = style.getPropertyValue('--muted').trim() || '#555';
    ctx.font = `${Math.round(12 * dpr)}px system-ui, sans-serif`;
    const end = (axis, k) => this.hooks.show(axis.split('=')[0], axis.split('=')[1].split(':')[0].split('..')[k]);
    const first = (axis) => end(axis, 0);
    const last = (axis) => end(axis, 1);
    const [xs, ys] = [grid.x, grid.y];
    ctx.textAlign = 'left';
    ctx.fillText(first(xs), left, top + height + 16 * dpr);
    ctx.textAlign = 'right';
    ctx.fillText(last(xs), left + width, top + height + 16 * dpr);
    ctx.textAlign = 'center';
    ctx.fillText(this.hooks.label(grid.xKnob), left + width / 2, top + height + 34 * dpr);
    ctx.textAlign = 'right';
    ctx.fillText(first(ys), left - 6 * dpr, top + height);
    ctx.fillText(last(ys), left - 6 * dpr, top + 12 * dpr);
    ctx.save();
    ctx.translate(14 * dpr, top + height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(this.hooks.label(grid.yKnob), 0, 0);
    ctx.restore();
    const least = Math.min(...shown.map((c) => c.lost));
    const here = ring ? ' Ring: the settings of the run you are looking at.' : '';
    els.key.textContent = (recovery
      ? `Colour: when the network was back to normal, palest soonest, darkest latest or never (${shown.filter(downs).length} cells mostly collapsed). Blue line: the cliff.`
      : `Colour: user-hours lost, from ${this.hooks.users(least)} (palest) to ${this.hooks.users(most)} (darkest), on a log scale. Blue line: the cliff between cells that come back and cells where most runs stay collapsed.`) + here;
  }
}
