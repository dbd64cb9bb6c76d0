// The engine in this thread, behind the playback's asynchronous interface (see playback.js): a
// Web Worker can later answer the same two calls without the playback changing.

export class LocalEngine {
  constructor() {
    /** The WebSim of the current run. */
    this.sim = null;
    /** Running estimate of the engine's cost of a minute, to size each frame's chunk. */
    this.msPerTick = 0.05;
  }

  /** The run the calls now go to. */
  use(sim) { this.sim = sim; }

  /** @param {number} t */
  async seek(t) { return this.sim.seek(t); }

  /**
   * Simulates towards `target` in chunks sized from the measured cost of a minute, until it is
   * reached or `budgetMs` is spent.
   * @param {number} target
   * @param {number} budgetMs
   */
  async advance(target, budgetMs) {
    const sim = this.sim;
    const start = performance.now();
    if (target < sim.now_min()) sim.seek(target);
    while (sim.now_min() < target) {
      const left = budgetMs - (performance.now() - start);
      if (left <= 0) break;
      const chunk = Math.max(1, Math.min(target - sim.now_min(), Math.floor(left / Math.max(this.msPerTick, 0.001))));
      const t0 = performance.now();
      const from = sim.now_min();
      sim.step_until(from + chunk);
      const done = sim.now_min() - from;
      if (done === 0) break;
      this.msPerTick = 0.7 * this.msPerTick + 0.3 * ((performance.now() - t0) / done);
    }
    return sim.now_min();
  }
}
