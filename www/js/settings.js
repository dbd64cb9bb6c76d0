// The reader's settings (knob name to text, as in the URL) and how a change combines with them:
// pure functions, tested with node --test.

/**
 * The embed's own URL options beside the run's parameters (read by embed-options.js; listed
 * here so the page's URL reader knows them without loading the embed's code).
 */
export const EMBED_PARAMS = ['view', 'controls', 'caption', 'title', 'height', 'origins'];

/** The four switches that the `strategy` bundle sets together. */
export const STRATEGY_KNOBS = ['supernode_choice', 'retry', 'planner_demand', 'overload'];
/** Whether a run with these knob `values` (text) has a crash (December 2010). */
export function hasCrash(values) {
  return Number(values.crash_client_share) > 0 || Number(values.crash_supernode_share) > 0;
}

/** Whether its trigger is a crash alone, with no update: the update's controls mean nothing there. */
export function crashOnly(values) {
  return values.reboot_share === '0' && hasCrash(values);
}

/** What "Apply the Patch Tuesday update" carries over from the scenario the reader was at. */
const CARRIED_TO_UPDATE = [...STRATEGY_KNOBS, 'reboot_window_min', 'follow_night', 'reboot_share'];

/**
 * `settings` with `changes` on top: a bundle replaces the switches set one by one, and a switch
 * set one by one replaces the bundle.
 */
export function withChanges(settings, changes) {
  const out = { ...settings, ...changes };
  if ('strategy' in changes) for (const k of STRATEGY_KNOBS) delete out[k];
  if (STRATEGY_KNOBS.some((k) => k in changes)) delete out.strategy;
  return out;
}

/**
 * The settings for August 2007 when the reader applies the update from a run whose knobs are
 * `values` (every knob as text) and whose own settings are `settings`: the update's timing and
 * the strategy carry over where they differ from August 2007's `base` config, set by hand or by
 * an update scenario (the first screen shows them beside the button). A calm day's "no update"
 * does not, nor a crash scenario's own switches: it is another network, so only what the reader
 * set goes with them.
 */
export function carriedToUpdate(base, values, settings) {
  const carried = { ...settings };
  const crash = hasCrash(values);
  const chosen = (k) => k in settings || ('strategy' in settings && STRATEGY_KNOBS.includes(k));
  for (const k of CARRIED_TO_UPDATE) {
    if (k === 'reboot_share' && values[k] === '0') continue;
    if (crash && !chosen(k)) continue;
    if (String(base[k]) !== values[k]) carried[k] = values[k];
  }
  delete carried.strategy;
  return carried;
}

/**
 * What can be changed during a run, from a minute on (a patch pushed to the live network): the
 * switches and an ordinary supernode's limits, in the engine's order (live_change.rs).
 */
export const LIVE_KNOBS = [...STRATEGY_KNOBS, 'supernode_capacity', 'handshakes_per_min'];

/** Most changes one run holds (the engine's MOST_CHANGES). */
export const MOST_CHANGES = 4;

/**
 * The changes of a `live_changes` value as the engine writes it: [{at, switches: {name: value}}]
 * (the switches and limits each sets), earliest first.
 */
export function parseChanges(text) {
  if (!text || text === 'none') return [];
  return text.split(';').map((one) => {
    const [at, rest = ''] = one.split(':');
    return { at: Number(at), switches: Object.fromEntries(rest.split(',').map((pair) => pair.split('='))) };
  });
}

/** What one change sets, as the knob writes it: `name=value` in the engine's order. */
function switchText(switches) {
  return LIVE_KNOBS.filter((k) => k in switches).map((k) => `${k}=${switches[k]}`).join(',');
}

/** The `live_changes` value of `changes` (as parseChanges gives them). */
export function writeChanges(changes) {
  return changes.length ? changes.map((c) => `${c.at}:${switchText(c.switches)}`).join(';') : 'none';
}

/** The switches and limits (LIVE_KNOBS) of a run whose knobs are `values`, in force from minute `t` on. */
export function switchesAt(values, t = Infinity) {
  const now = Object.fromEntries(LIVE_KNOBS.map((k) => [k, values[k]]));
  for (const c of parseChanges(values.live_changes)) if (c.at <= t) Object.assign(now, c.switches);
  return now;
}

/**
 * The settings of a run whose knobs are `values` and own settings `settings` once the reader sets
 * the switches and limits to `target` (every LIVE_KNOBS value) at minute `at`, as a patch pushed to
 * the live network: changes before `at` stay, later ones go (they belonged to the future the reader
 * left), and a change at `at` sets what differs from what is in force then. Returns {settings,
 * switches}, where `switches` is the new change as the engine takes it ('' when all is as it was),
 * or {problem} when the run already holds MOST_CHANGES changes.
 */
export function forkedSettings(settings, values, at, target) {
  const kept = parseChanges(values.live_changes).filter((c) => c.at < at);
  const before = switchesAt({ ...values, live_changes: writeChanges(kept) });
  const differ = Object.fromEntries(LIVE_KNOBS.filter((k) => target[k] !== before[k]).map((k) => [k, target[k]]));
  const changes = Object.keys(differ).length ? [...kept, { at, switches: differ }] : kept;
  if (changes.length > MOST_CHANGES) {
    return { problem: `live_changes: a run holds at most ${MOST_CHANGES} changes pushed during it; go back before one of them, or start again from the beginning` };
  }
  const out = { ...settings };
  if (changes.length) out.live_changes = writeChanges(changes); else delete out.live_changes;
  return { settings: out, switches: switchText(differ) };
}
