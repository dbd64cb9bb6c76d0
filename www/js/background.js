// Runs in the background, off the main thread and beside the page's own run: a few workers
// (background-worker.js) share a job's rows, and each row comes back as it is done.
import { moduleWorker } from './engine.js';

/**
 * Workers to use: the cores but one (the page's run has its own), at most four; `all` for a
 * long job (the map), which may share the page's core: the page's thread is not one of them.
 */
export function workerCount(cores = navigator.hardwareConcurrency || 2, all = false) {
  return Math.max(1, Math.min(all ? 8 : 4, all ? cores : cores - 1));
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
      const w = moduleWorker(new URL('./background-worker.js', import.meta.url));
      this.module.then((module) => w.postMessage({ type: 'init', module }));
      this.workers.push(w);
    }
    return this.workers[i];
  }

  /**
   * Runs rows `0..n` of `kind` with `params`; `onRow(index, row)` as each arrives, in any order.
   * Each worker is handed one row at a time, the next as it finishes, so a slow row never holds
   * up the rest. Resolves true when every row is in, false if cancelled or replaced by another
   * job; rejects with the engine's message if a row fails.
   */
  run(kind, params, n, onRow, { all = false } = {}) {
    this.cancel();
    const job = ++this.job;
    let next = 0;
    let working = 0;
    return new Promise((resolve, reject) => {
      this.settle = resolve;
      const hand = (w) => {
        if (next >= n) return false;
        working++;
        w.postMessage({ type: 'rows', job, kind, rows: [next++], ...params });
        return true;
      };
      const fail = (message) => { this.cancel(); reject(new Error(message)); };
      for (let i = 0; i < Math.min(workerCount(undefined, all), n); i++) {
        const w = this.worker(i);
        w.onmessage = (e) => {
          const m = e.data;
          if (m.job !== job || this.job !== job) return;
          if (m.type === 'row') onRow(m.index, m.row);
          else if (m.type === 'error') fail(m.message);
          else if (m.type === 'done') {
            working--;
            if (!hand(w) && working === 0) { this.settle = null; resolve(true); }
          }
        };
        w.onerror = (e) => fail(e.message || 'a background worker failed');
        hand(w);
      }
      if (n === 0) { this.settle = null; resolve(true); }
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
