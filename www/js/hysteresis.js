// The hysteresis loop: the load-ramp experiment run twice in the background (the 2007 switches and
// the fix), drawn as users online against the offered load, the way up solid and the way down
// dashed. A loop that stays open is a metastable failure (Bronson et al. 2021).
import { Background } from './background.js';
import { colour } from './theme.js';

/**
 * The chart's data from loops (each a list of points {offered_per_h, online_share, rising}, in
 * time order): one ascending x (offered load, % of users an hour) shared by every series, and for
 * each loop a way-up and a way-down series holding values only at their own x (null elsewhere).
 * Going up and coming down are each single-valued in the offered load; the way down ends with the
 * run's last point (the load gone), where a network that stays down shows it.
 */
export function loopData(loops) {
  const key = (v) => Math.round(v * 1e6) / 1e6;
  const legs = loops.flatMap((points) => {
    const up = points.filter((p) => p.rising);
    const down = points.filter((p) => !p.rising && p.offered_per_h > 0);
    const end = points.at(-1);
    if (end && end.offered_per_h === 0 && !end.rising) down.push(end);
    return [up, down];
  });
  const xs = [...new Set(legs.flat().map((p) => key(p.offered_per_h * 100)))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const series = legs.map((leg) => {
    const ys = new Array(xs.length).fill(null);
    // A later point at the same load replaces an earlier one: the leg's newest state there.
    for (const p of leg) ys[at.get(key(p.offered_per_h * 100))] = p.online_share * 100;
    return ys;
  });
  return [xs, ...series];
}

export class HysteresisLoop {
  /**
   * @param {object} els {run, status, chart}
   * @param {Promise<WebAssembly.Module>} module The compiled exploring engine.
   * @param {object} hooks {settings(): object}: the settings the experiment runs with (its seed).
   */
  constructor(els, module, hooks) {
    this.els = els;
    this.hooks = hooks;
    this.background = new Background(module);
    this.loops = null;
    this.plot = null;
  }

  async compute() {
    const { run, status } = this.els;
    run.disabled = true;
    status.textContent = 'Ramping the load up and down, with the 2007 switches and with the fix…';
    const loops = [];
    try {
      await this.background.run('loop', { preset: 'load-ramp', settings: this.hooks.settings() }, 2, (i, row) => { loops[i] = row; });
      this.loops = loops;
      await this.draw();
      status.textContent = `Computed: the 2007 loop's widest gap is ${Math.round(loops[0].opening * 100)} points of users online; the fix's ends back at ${Math.round(loops[1].points.at(-1).online_share * 100)}%.`;
      // For the tests: how open each loop is (see src/hysteresis.rs).
      document.body.dataset.loopOpening = loops.map((l) => l.opening.toFixed(2)).join(',');
    } catch (err) {
      status.textContent = `The loop stopped: ${err.message}`;
    } finally {
      run.disabled = false;
    }
  }

  /** Draws the loops (again, at the chart's width) with uPlot, the page's chart library. */
  async draw() {
    if (!this.loops) return;
    const [{ default: uPlot }, { loadStyles }] = await Promise.all([import('../vendor/uPlot.esm.js'), import('./charts.js')]);
    await loadStyles();
    const { chart } = this.els;
    this.plot?.destroy();
    chart.replaceChildren();
    const width = Math.max(260, chart.clientWidth || 600);
    const fg = colour('muted');
    const grid = { stroke: colour('line'), width: 1 };
    const pct = (u, v) => (v == null ? '–' : `${Math.round(v)}%`);
    const leg = (label, stroke, dash) => ({ label, stroke, width: 2, dash, spanGaps: true, points: { show: false }, value: pct });
    const old = colour('warn');
    const fix = colour('online');
    this.plot = new uPlot({
      width,
      height: Math.max(240, Math.min(320, Math.round(width * 0.55))),
      scales: { x: { time: false }, y: { range: [0, 110] } },
      axes: [
        { label: width < 420 ? 'Extra restarts (% an hour)' : 'Extra restarts asked for (% of users an hour)', stroke: fg, grid, ticks: grid, values: (u, splits) => splits.map((v) => `${v}%`) },
        { label: width < 420 ? 'Online (% of normal)' : 'Users online (% of normal)', stroke: fg, grid, ticks: grid, size: 50, values: (u, splits) => splits.map((v) => `${v}%`) },
      ],
      series: [
        { label: 'offered', value: pct },
        leg('2007, way up (solid)', old, null), leg('2007, way down (dashed)', old, [6, 4]),
        leg('the fix, way up (solid)', fix, null), leg('the fix, way down (dashed)', fix, [6, 4]),
      ],
      cursor: { drag: { x: false, y: false } },
      legend: { live: false },
    }, loopData(this.loops.map((l) => l.points)), chart);
  }

  resize() { if (this.plot) this.draw(); }
}
