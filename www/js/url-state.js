// The whole state in the URL: ?preset=aug-2007&reboot_window_min=720&seed=5&t=1200&speed=60
// Every knob goes through the engine's own check, one parameter at a time, so a bad one is
// reported (naming the field and its range) and dropped while the rest still apply.
import { check_settings } from '../pkg/loginstorm.js';
import { EMBED_PARAMS } from './settings.js';

/** Parameters that are not knobs (the embed's own options are read by embed-options.js). */
const PAGE_PARAMS = ['preset', 't', 'speed', 'tour', 'slow', 'present', 'compare', ...EMBED_PARAMS];

/**
 * Reads `search` against the engine's presets. Returns {preset, settings, t, speed, tour, slow,
 * present, compare, problems}, where problems are messages for the reader (`compare`, the side by
 * side's difference as `knob:value`, is checked by the page against the run's own choices).
 */
export function readState(search, presets, defaults) {
  const params = new URLSearchParams(search);
  const problems = [];
  let preset = params.get('preset') ?? defaults.preset;
  const known = presets.find((p) => p.name === preset);
  if (!known) {
    problems.push(`preset: '${preset}' is unknown; choose one of ${presets.map((p) => p.name).join(', ')}`);
    preset = defaults.preset;
  }
  // All together first: knobs tied by a rule (retry base and cap) are only valid as a pair.
  const asked = [...params].filter(([key]) => !PAGE_PARAMS.includes(key));
  let settings = Object.fromEntries(asked);
  if (check_settings(preset, settings)) {
    // Otherwise one at a time, in rounds, so a pair still goes in once its partner has.
    settings = {};
    let pending = asked;
    const last = new Map();
    while (pending.length) {
      const rejected = pending.filter(([key, value]) => {
        const problem = check_settings(preset, { ...settings, [key]: value });
        if (problem) last.set(key, problem); else settings[key] = value;
        return Boolean(problem);
      });
      if (rejected.length === pending.length) break;
      pending = rejected;
    }
    for (const [key] of pending) problems.push(last.get(key));
  }
  const hours = Number(settings.duration_h ?? presets.find((p) => p.name === preset)?.config.duration_h ?? 96);
  const t = readNumber(params, 't', 0, hours * 60, defaults.t, problems, 'whole minutes from the start');
  const speed = readNumber(params, 'speed', 1, 2000, defaults.speed, problems, null);
  const tour = params.has('tour') ? readNumber(params, 'tour', 1, 99, 1, problems, 'a step number') : null;
  let slow = true;
  if (params.has('slow')) {
    const raw = params.get('slow');
    if (raw === 'off' || raw === 'on') slow = raw === 'on';
    else problems.push(`slow: '${raw}' is not one of on, off`);
  }
  let present = false;
  if (params.has('present')) {
    const raw = params.get('present');
    if (raw === '1' || raw === '0') present = raw === '1';
    else problems.push(`present: '${raw}' is not one of 1, 0`);
  }
  const compare = params.get('compare');
  return { preset, settings, t, speed, tour, slow, present, compare, problems };
}

/**
 * Number parameter `key` between `min` and `max` (a problem, and `fallback`, otherwise); `whole`
 * says what whole number it counts (null for any number).
 */
function readNumber(params, key, min, max, fallback, problems, whole) {
  if (!params.has(key)) return fallback;
  const raw = params.get(key);
  const v = Number(raw);
  const range = `${min} to ${max}${whole ? ` (${whole})` : ''}`;
  if (raw.trim() === '' || Number.isNaN(v)) {
    problems.push(`${key}: '${raw}' is not a number; the allowed range is ${range}`);
    return fallback;
  }
  if (!Number.isFinite(v) || v < min || v > max || (whole && !Number.isInteger(v))) {
    const inRange = Number.isFinite(v) && v >= min && v <= max;
    problems.push(`${key}: '${raw}' ${inRange ? 'is not a whole number; the allowed range is' : 'is outside the allowed range'} ${range}`);
    return fallback;
  }
  return v;
}

/** The query string of a state (only what differs from the defaults). */
export function writeState({ preset, settings, t, speed, slow = true, present = false, compare = null }, defaults) {
  const params = new URLSearchParams();
  params.set('preset', preset);
  for (const [k, v] of Object.entries(settings)) params.set(k, String(v));
  if (t) params.set('t', String(Math.round(t)));
  if (speed !== defaults.speed) params.set('speed', String(speed));
  if (!slow) params.set('slow', 'off');
  if (present) params.set('present', '1');
  if (compare) params.set('compare', compare);
  return `?${params}`;
}
