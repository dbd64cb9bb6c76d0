// The reader's settings (knob name to text, as in the URL) and how a change combines with them:
// pure functions, tested with node --test.

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
