// A worker for whole runs in the background (the switch table, the stability map, the run before
// a change): it runs the rows it is given one at a time and posts each as it finishes, so the
// page's own run (in sim-worker.js) never waits on them. Between rows it lets messages in, so a cancel or a new job takes effect at once.
import init, {
  switch_combination as switchCombination, retry_option as retryOption, run_lines as runLines, load_loop as loadLoop,
  WebSweep,
} from '../pkg-explore/loginstorm.js';

let begin;
const ready = new Promise((resolve) => { begin = resolve; }).then((module) => init({ module_or_path: module }));
/** The job being worked on (0: none); a new job or a cancel replaces it. */
let current = 0;
/** The stability map's sweep and the job it is for. */
let sweep = null;

/** What each kind of row runs: its parameters, and the row's number. */
const KINDS = {
  // The 16 combinations, then the retry options in the fixed network.
  switches: (m, i) => (i < 16 ? switchCombination(m.preset, m.settings, i) : retryOption(m.preset, m.settings, i - 16)),
  // The run before a change, whole, for the faint line on the charts.
  lines: (m) => runLines(m.preset, m.settings),
  // The hysteresis loop: row 0 with the settings as given, row 1 with the fix.
  loop: (m, i) => loadLoop(m.preset, i === 0 ? m.settings : { ...m.settings, strategy: 'fixed' }),
  sweep: (m, i) => {
    // One sweep a job (its grid checked once); a new job replaces it.
    if (sweep?.job !== m.job) {
      sweep?.grid.free();
      sweep = { job: m.job, grid: new WebSweep(m.preset, m.settings, m.x, m.y, m.seeds) };
    }
    const row = sweep.grid.row(i);
    return { ...row, seed: String(row.seed) };
  },
};

self.onmessage = (e) => {
  const m = e.data;
  if (m?.type === 'init') begin(m.module);
  else if (m?.type === 'cancel') current = 0;
  else if (m?.type === 'rows' && KINDS[m.kind]) {
    current = m.job;
    ready.then(() => next(m, 0), (err) => self.postMessage({ type: 'error', job: m.job, message: String(err?.message ?? err) }));
  }
};

function next(m, k) {
  if (current !== m.job) return;
  if (k >= m.rows.length) {
    self.postMessage({ type: 'done', job: m.job });
    return;
  }
  const i = m.rows[k];
  try {
    self.postMessage({ type: 'row', job: m.job, index: i, row: KINDS[m.kind](m, i) });
  } catch (err) {
    self.postMessage({ type: 'error', job: m.job, message: String(err?.message ?? err) });
    return;
  }
  setTimeout(() => next(m, k + 1), 0);
}
