// The switch table: the current scenario with each of the 16 combinations of the four switches
// (each as in 2007 or fixed), run in the background, a row filling in as each run ends. It answers
// "which switch matters?" at a glance; a row's button loads that combination. Below it, each of the
// retry switch's five options in the otherwise fixed network (rows 16 to 20 of the same job).
import { Background } from './background.js';
// The switches in the engine's order: bit i of a row's number is switch i fixed.
import { STRATEGY_KNOBS } from './settings.js';
import { CHOICE_WORDS } from './controls.js';

/** The combinations of the four switches, and the retry switch's options after them. */
const COMBINATIONS = 16;
const RETRY_OPTIONS = 5;

/** A row's outcome in words (`at` writes a minute as a time). */
export function outcomeWords(outcome, at) {
  switch (outcome.outcome) {
    case 'untroubled': return 'untroubled';
    case 'recovers': return `recovers by ${at(outcome.at_min)}`;
    case 'collapses': return 'collapses';
    default: return 'limps (neither down nor back)';
  }
}

export class SwitchTable {
  /**
   * @param {object} els {table, body, status, run, cancel, retryBox, retryBody}
   * @param {Promise<WebAssembly.Module>} module The compiled engine.
   * @param {object} hooks {scenario(): {preset, settings, title}, at(t): string, users(n): string,
   *   load(strategy)}: the scenario to tabulate, words for times and users, and loading a row.
   */
  constructor(els, module, hooks) {
    this.els = els;
    this.background = new Background(module);
    this.hooks = hooks;
    this.key = null;
    els.cancel.addEventListener('click', () => this.background.cancel());
  }

  /** The scenario whose table this is, as a key: a change elsewhere makes the table stale. */
  static keyOf({ preset, settings }) {
    return JSON.stringify([preset, Object.entries(settings).sort()]);
  }

  /** Hides the table if the scenario is no longer the one it was computed for. */
  follow(scenario) {
    if (this.key === null || SwitchTable.keyOf(scenario) === this.key) return;
    this.background.cancel();
    this.key = null;
    this.els.table.hidden = true;
    if (this.els.retryBox) this.els.retryBox.hidden = true;
    this.els.status.textContent = 'The scenario changed: work the table out again for it.';
  }

  async compute() {
    const scenario = this.hooks.scenario();
    this.key = SwitchTable.keyOf(scenario);
    const { body, table, status, run, cancel, retryBox, retryBody } = this.els;
    body.replaceChildren(...Array.from({ length: COMBINATIONS }, (_, i) => this.emptyRow(i)));
    retryBody?.replaceChildren(...Array.from({ length: RETRY_OPTIONS }, () => this.emptyRetryRow()));
    table.hidden = false;
    if (retryBox) retryBox.hidden = false;
    run.disabled = true;
    cancel.hidden = false;
    let done = 0;
    const all = COMBINATIONS + RETRY_OPTIONS;
    status.textContent = `Running the 16 combinations of ${scenario.title}, then the 5 retry policies: 0 of ${all}…`;
    try {
      const whole = await this.background.run('switches', { preset: scenario.preset, settings: scenario.settings }, all, (i, row) => {
        if (i < COMBINATIONS) this.fill(body.children[i], row);
        else if (retryBody) this.fillRetry(retryBody.children[i - COMBINATIONS], row);
        done++;
        status.textContent = `Running the 16 combinations of ${scenario.title}, then the 5 retry policies: ${done} of ${all}…`;
      });
      status.textContent = whole
        ? `The 16 combinations of ${scenario.title}, and the 5 retry policies. A row's button loads it.`
        : `Stopped at ${done} of ${all}.`;
    } catch (err) {
      status.textContent = `The table stopped: ${err.message}`;
    } finally {
      run.disabled = false;
      cancel.hidden = true;
    }
  }

  emptyRow(i) {
    const tr = document.createElement('tr');
    const fixed = STRATEGY_KNOBS.map((_, b) => (i & (1 << b)) !== 0);
    const cell = (text, cls) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (cls) td.className = cls;
      return td;
    };
    // The outcome beside the button: on a phone the table scrolls sideways, and it is what counts.
    // The numbers next to it, then the switches: a narrow screen shows what counts first.
    const cells = [cell(''), cell('…', 'outcome'), cell(''), cell(''), ...fixed.map((f) => cell(f ? 'fixed' : '2007', f ? 'fixed' : 'old'))];
    tr.append(...cells);
    return tr;
  }

  emptyRetryRow() {
    const tr = document.createElement('tr');
    tr.append(...['', '…', '', '', '', ''].map((text) => { const td = document.createElement('td'); td.textContent = text; return td; }));
    tr.children[1].className = 'outcome';
    return tr;
  }

  /** A retry option's row: its words, how it ended, and its peak of login attempts. */
  fillRetry(tr, row) {
    const { at, users, load } = this.hooks;
    const [button, outcome, words, lowest, lost, peak] = tr.children;
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = 'Load';
    b.setAttribute('aria-label', `Load: the fix, retrying ${row.retry}`);
    b.addEventListener('click', () => load(row.strategy));
    button.replaceChildren(b);
    outcome.textContent = outcomeWords(row.outcome, at);
    tr.dataset.outcome = row.outcome.outcome;
    tr.dataset.retry = row.retry;
    words.textContent = CHOICE_WORDS.retry[row.retry] ?? row.retry;
    lowest.textContent = `${Math.round(row.summary.min_online_fraction * 100)}%`;
    lost.textContent = users(row.summary.user_hours_lost);
    peak.textContent = users(row.summary.peak_login_attempts_per_min * row.summary.users_per_client);
  }

  fill(tr, row) {
    const { at, users, load } = this.hooks;
    const [button, outcome, lowest, lost] = tr.children;
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = 'Load';
    b.setAttribute('aria-label', `Load: ${row.fixed.length ? `${row.fixed.join(', ')} fixed` : 'all as in 2007'}`);
    b.addEventListener('click', () => load(row.strategy));
    button.replaceChildren(b);
    outcome.textContent = outcomeWords(row.outcome, at);
    tr.dataset.outcome = row.outcome.outcome;
    lowest.textContent = `${Math.round(row.summary.min_online_fraction * 100)}%`;
    lost.textContent = users(row.summary.user_hours_lost);
  }
}
