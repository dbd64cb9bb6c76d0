// Runs in the background, off the main thread and beside the page's own run: a few workers
// (background-worker.js) share a job's rows, and each row comes back as it is done.

/** Workers to use: the cores but one (the page's run has its own), at most four. */
export function workerCount(cores = navigator.hardwareConcurrency || 2) {
  return Math.max(1, Math.min(4, cores - 1));
}

/** Rows `0..n` dealt to `k` workers in turn (0, k, 2k… to the first), so each gets a share soon. */
export function deal(n, k) {
  const out = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) out[i % k].push(i);
  return out.filter((rows) => rows.length);
}

export class Background {
  /** @param {Promise<WebAssembly.Module>} module The engine, compiled once for the whole page. */
  constructor(module) {
    this.module = module;
    this.workers = [];
    this.job = 0;
  }

  worker(i) {
    while (this.workers.length <= i) {
      const w = new Worker(new URL('./background-worker.js', import.meta.url), { type: 'module' });
      this.module.then((module) => w.postMessage({ type: 'init', module }));
      this.workers.push(w);
    }
    return this.workers[i];
  }

  /**
   * Runs rows `0..n` of `kind` with `params`; `onRow(index, row)` as each arrives, in any order.
   * Resolves true when every row is in, false if cancelled or replaced by another job; rejects
   * with the engine's message if a row fails.
   */
  run(kind, params, n, onRow) {
    this.cancel();
    const job = ++this.job;
    const shares = deal(n, workerCount());
    return new Promise((resolve, reject) => {
      let working = shares.length;
      this.settle = resolve;
      shares.forEach((rows, i) => {
        const w = this.worker(i);
        w.onmessage = (e) => {
          const m = e.data;
          if (m.job !== job || this.job !== job) return;
          if (m.type === 'row') onRow(m.index, m.row);
          else if (m.type === 'error') { this.cancel(); reject(new Error(m.message)); }
          else if (m.type === 'done' && --working === 0) { this.settle = null; resolve(true); }
        };
        w.onerror = (e) => { this.cancel(); reject(new Error(e.message || 'a background worker failed')); };
        w.postMessage({ type: 'rows', job, kind, rows, ...params });
      });
    });
  }

  /** Stops the job under way (its promise resolves false). */
  cancel() {
    for (const w of this.workers) w.postMessage({ type: 'cancel' });
    this.job++;
    this.settle?.(false);
    this.settle = null;
  }
}
