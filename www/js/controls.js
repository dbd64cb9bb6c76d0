// Controls built from the engine's own knob list (name, label, unit, range, choices), so a
// slider can never disagree with what the engine accepts. Each shows its current value with
// its unit; sliders over a wide range move on a log scale.

import { grouped } from './format.js';
import { parseChanges } from './settings.js';

/**
 * Each switch's options in plain words (the codes stay in the URL and the CLI). "2007:" marks our
 * hypothesis of the bug, first in its words, so a narrow drop-down still shows which one it is.
 */
export const CHOICE_WORDS = {
  strategy: { 'flawed-2007': 'the 2007 algorithm', naive: 'a first design', fixed: 'the fix', custom: 'set one by one' },
  supernode_choice: {
    'first-live': '2007: the first one in its list that answers, blind to its load',
    random: 'any one in its list, at random',
    'best-of-two': 'the less loaded of two in its list',
  },
  retry: {
    fixed: '2007: again after the same wait, forever',
    exponential: 'waiting twice as long each time, in step with everyone',
    'exponential-jitter': 'waiting a random time, up to twice as long each time',
    'retry-budget': 'a retry budget: three quick retries at random, then a fresh try only now and then',
    'circuit-breaker': 'a circuit breaker: each minute until five failures trip it, then once a retry cap (30 min)',
  },
  planner_demand: {
    attached: '2007: logged-in users only',
    'attached-waiting': 'logged-in users and those waiting to log in',
  },
  overload: {
    'switch-off': '2007, 2010: switches itself off and drops all its users',
    shed: 'turns the excess away and stays up',
    'admission-control': 'answers "busy" with a fresh list of supernodes',
  },
};

/** What each strategy switch changes, in one sentence. */
const SWITCH_HELP = {
  supernode_choice: 'Which supernode a client logging in knocks on, from the list of supernodes it keeps (its host cache).',
  retry: 'How long a client whose login failed waits before it tries again.',
  planner_demand: 'What the self-healing planner counts as demand when it decides whether to promote more PCs to supernodes.',
  overload: 'What a supernode does when more clients try to log in through it than it can take.',
};

/** What a change pushed during a run sets, in words (see settings.js LIVE_KNOBS). */
const LIVE_WORDS = {
  supernode_choice: (v) => `a client logging in picks ${CHOICE_WORDS.supernode_choice[v] ?? v}`,
  retry: (v) => `after a failed login, a client tries ${CHOICE_WORDS.retry[v] ?? v}`,
  planner_demand: (v) => `the self-healing planner counts ${CHOICE_WORDS.planner_demand[v] ?? v}`,
  overload: (v) => `a flooded supernode ${CHOICE_WORDS.overload[v] ?? v}`,
  supernode_capacity: (v) => `a supernode serves up to ${grouped(Number(v))} clients`,
  handshakes_per_min: (v) => `a supernode takes ${grouped(Number(v))} handshakes a minute`,
};

/** The `live_changes` value `text` in words, its moments read on `clock` (minutes without one). */
export function changesInWords(text, clock = null) {
  const changes = parseChanges(text);
  if (changes.length === 0) return 'none';
  return changes.map((c) => {
    const what = Object.entries(c.switches).map(([k, v]) => LIVE_WORDS[k]?.(v) ?? `${k} = ${v}`).join(', and ');
    return `from ${clock ? clock.long(c.at) : `minute ${grouped(c.at)}`}, ${what}`;
  }).join('; then ');
}

/** Positions on a log slider. */
const STEPS = 1000;

/**
 * A log scale from `min` to `max` (both above 0) over slider positions 0 to 1000; `round`
 * turns a raw value into one worth showing. Every log slider on the page uses one.
 */
export function logScale(min, max, round) {
  const span = Math.log(max / min);
  return {
    toPos: (v) => Math.round((Math.log(Math.min(Math.max(v, min), max) / min) / span) * STEPS),
    fromPos: (p) => round(min * Math.exp((p / STEPS) * span)),
  };
}

/**
 * The stop after (`dir` 1) or before (`dir` -1) value `v` in the ascending list `stops`, so an
 * arrow key moves a fine-grained slider by a step the reader can see; `v` itself if there is none.
 */
export function nudge(stops, v, dir) {
  if (dir > 0) return stops.find((s) => s > v) ?? v;
  return stops.findLast((s) => s < v) ?? v;
}

/** Arrow keys and Page Up/Down on `slider` move its value `get()` to the next of `stops` (set(value)). */
export function stepByStops(slider, stops, get, set) {
  const dirs = { ArrowRight: 1, ArrowUp: 1, PageUp: 1, ArrowLeft: -1, ArrowDown: -1, PageDown: -1 };
  slider.addEventListener('keydown', (e) => {
    const dir = dirs[e.key];
    if (!dir || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    const next = nudge(stops, get(), dir);
    if (next !== get()) set(next);
  });
}

function isLog(k) { return k.min !== null && k.max !== null && k.min >= 1 && k.max / k.min >= 200; }

/** A knob's log scale: two significant digits above 1000, whole numbers below. */
function knobScale(k) {
  return logScale(k.min, k.max, (v) => {
    const nice = v >= 1000 ? 10 ** Math.floor(Math.log10(v) - 1) : 1;
    return Math.min(k.max, Math.max(k.min, Math.round(v / nice) * nice));
  });
}

/** Slider position for value `v` of knob `k`. */
function toPos(k, v) { return isLog(k) ? knobScale(k).toPos(v) : v; }

/** Knob value for slider position `p`. */
function fromPos(k, p) { return isLog(k) ? knobScale(k).fromPos(p) : p; }

/** A value with its unit, in words. */
export function showValue(k, v, clock = null) {
  if (k.name === 'live_changes') return changesInWords(v, clock);
  if (v === 'none' || v === '') return 'never';
  if (k.name === 'seed') return v;
  if (k.name === 'update_every_h' && Number(v) === 0) return 'never again';
  if (k.choices.length) return '';
  if (k.default === 'true' || k.default === 'false') return v === 'true' ? 'on' : 'off';
  const n = Number(v);
  if (k.unit === 'share') return `${Math.round(n * 1000) / 10}%`;
  if (k.unit === 'minutes') {
    // A moment of the run reads as the calendar's time, its minute count after it.
    if (clock && k.name.endsWith('_at_min')) return `${clock.long(n)} (minute ${grouped(n)})`;
    if (n >= 120) return `${n} min (${+(n / 60).toFixed(1)} h)`;
    return `${n} min`;
  }
  return `${grouped(n)}${k.unit ? ` ${k.unit}` : ''}`;
}

export class Controls {
  /**
   * `knobs`: the engine's list. `onChange(name, text)` is called when the reader sets a value;
   * it returns an error message, or null when the engine took it.
   */
  constructor(knobs, onChange) {
    this.knobs = new Map(knobs.map((k) => [k.name, k]));
    this.onChange = onChange;
    /** The run's calendar (format.js Clock), for knobs that name a moment; set on each run. */
    this.clock = null;
    this.inputs = new Map();
  }

  /** Builds controls for `names` into `container`. `maxFor(name)` may narrow a slider's range. */
  build(container, names, maxFor = () => null) {
    container.replaceChildren();
    for (const name of names) {
      const k = this.knobs.get(name);
      if (!k) continue;
      container.append(this.control(k, maxFor(name)));
    }
  }

  control(knob, narrowMax) {
    let k = knob;
    const row = document.createElement('div');
    row.className = 'knob';
    const id = `knob-${k.name}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = k.label;
    const out = document.createElement('output');
    out.htmlFor = id;
    const err = document.createElement('p');
    err.className = 'error';
    err.id = `${id}-error`;
    err.hidden = true;
    let input;
    const isBool = k.default === 'true' || k.default === 'false';
    if (isBool) k = { ...k, choices: [] };
    if (k.choices.length) {
      input = document.createElement('select');
      for (const c of k.choices) input.append(new Option(CHOICE_WORDS[k.name]?.[c] ?? c, c));
    } else if (isBool) {
      input = document.createElement('input');
      input.type = 'checkbox';
    } else if (k.name === 'seed' || k.max === null || k.default === 'none' || k.name === 'online_users') {
      input = document.createElement('input');
      input.type = 'text';
      input.inputMode = 'numeric';
      input.autocomplete = 'off';
      if (k.default === 'none') input.placeholder = 'never';
    } else {
      input = document.createElement('input');
      input.type = 'range';
      const max = narrowMax ?? k.max;
      if (isLog(k)) {
        input.min = '0';
        input.max = String(toPos(k, max));
        input.step = '1';
      } else {
        input.min = String(k.min);
        input.max = String(max);
        // Fine enough for the default to sit on a step (0.015 needs 0.001), so it can be reached again.
        const decimals = (String(k.default).split('.')[1] ?? '').length;
        const fine = k.max <= 1 ? Math.min(0.01, 10 ** -decimals) : 0.1;
        input.step = k.unit === 'share' || Number(k.default) % 1 !== 0 || k.max <= 1 ? String(fine) : '1';
      }
    }
    input.id = id;
    input.name = k.name;
    input.setAttribute('aria-describedby', err.id);
    const value = () => {
      if (input.type === 'checkbox') return input.checked ? 'true' : 'false';
      if (input.type === 'range') return String(fromPos(k, Number(input.value)));
      return input.value.trim() === '' && k.default === 'none' ? 'none' : input.value.trim();
    };
    input.addEventListener('input', () => {
      if (input.type === 'range') {
        out.textContent = showValue(k, value(), this.clock);
        input.setAttribute('aria-valuetext', out.textContent);
      }
    });
    input.addEventListener('change', () => {
      const problem = this.onChange(k.name, value());
      this.showError(k.name, problem);
    });
    // On a log slider one position may not change the value shown: an arrow key moves to the
    // next value that differs, so every press does something.
    if (input.type === 'range' && isLog(k)) {
      input.addEventListener('keydown', (e) => {
        const dir = { ArrowUp: 1, ArrowRight: 1, ArrowDown: -1, ArrowLeft: -1 }[e.key];
        if (!dir || e.altKey || e.ctrlKey || e.metaKey) return;
        e.preventDefault();
        const from = fromPos(k, Number(input.value));
        const last = Number(input.max);
        let p = Number(input.value);
        while (p + dir >= 0 && p + dir <= last) {
          p += dir;
          if (fromPos(k, p) !== from) break;
        }
        if (fromPos(k, p) === from) return;
        input.value = String(p);
        input.dispatchEvent(new Event('input'));
        input.dispatchEvent(new Event('change'));
      });
    }
    label.append(' ', out);
    row.append(label, input, err);
    if (SWITCH_HELP[k.name]) {
      const help = document.createElement('p');
      help.className = 'help';
      help.textContent = SWITCH_HELP[k.name];
      row.append(help);
    }
    this.inputs.set(k.name, { input, out, err, k });
    return row;
  }

  showError(name, problem) {
    const c = this.inputs.get(name);
    if (!c) return;
    c.err.hidden = !problem;
    c.err.textContent = problem ?? '';
    c.input.setAttribute('aria-invalid', problem ? 'true' : 'false');
  }

  /** Shows the engine's current values (text, by knob name). */
  show(values) {
    for (const [name, c] of this.inputs) {
      const v = values[name];
      if (v === undefined) continue;
      if (c.input.type === 'checkbox') c.input.checked = v === 'true';
      else if (c.input.type === 'range') c.input.value = String(toPos(c.k, Number(v)));
      else if (document.activeElement !== c.input) c.input.value = v === 'none' ? '' : v;
      c.out.textContent = showValue(c.k, v, this.clock);
      if (c.input.type === 'range') c.input.setAttribute('aria-valuetext', c.out.textContent);
    }
  }
}

