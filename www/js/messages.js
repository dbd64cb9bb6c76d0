// The embed's message API: an article drives the simulation with window.postMessage and hears
// what happens. Every message, both ways, is a plain object { loginstorm: 1, type, ... }.
// Requests: play, pause, seek (t, minutes), set (name, value), load (preset), get; each may carry
// an `id` that its reply or error echoes. Events: ready, phase, event, recovered, ended, height;
// `error` answers a refused request and `reply` a get. readMessage is pure (node --test).

/** The requests an embed answers. */
export const REQUESTS = ['play', 'pause', 'seek', 'set', 'load', 'get'];
/** What an embed sends: its events, and the answers to requests. */
export const EVENTS = ['ready', 'phase', 'event', 'recovered', 'ended', 'height', 'error', 'reply'];
/** The version of this protocol, in every message's `loginstorm` field. */
export const PROTOCOL = 1;
/** Longest `id` echoed back (characters), and longest text a `set` value may be. */
const ID_MAX = 100;
const VALUE_MAX = 200;
/** Longest knob name a `set` may give (the engine's longest is far shorter). */
const NAME_MAX = 60;

/**
 * Reads a message's `data`. Returns one of
 * - {ignore: why}: not a loginstorm request at all (or not one this version knows): nothing
 *   changes, and the page warns once on the console;
 * - {refuse: {id, field, message}}: a request with a refused field: nothing changes, and the
 *   sender is told, naming the field and what it allows;
 * - {request: {type, id, ...}}: a request to carry out, its fields checked.
 * `limits` are the run's: {duration} (minutes), {presets} (names) and {checkSetting(name, value)}
 * (the engine's check: a problem or null).
 */
export function readMessage(data, limits) {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { ignore: `a ${describe(data)}, not a { loginstorm: 1, type } object` };
  // Only the message's own fields are read: a `__proto__` or `constructor` key is just a key.
  const field = (k) => (Object.hasOwn(data, k) ? data[k] : undefined);
  if (field('loginstorm') !== PROTOCOL) return { ignore: `no loginstorm: ${PROTOCOL} in the message (it has ${quote(field('loginstorm'))})` };
  const type = field('type');
  if (typeof type !== 'string' || !REQUESTS.includes(type)) return { ignore: `type ${quote(type)} is not one of ${REQUESTS.join(', ')}` };
  const rawId = field('id');
  const idOk = rawId === undefined || (typeof rawId === 'string' && rawId.length <= ID_MAX) || (typeof rawId === 'number' && Number.isFinite(rawId));
  if (!idOk) return refuse(null, 'id', `id: ${quote(rawId)} is not a string of up to ${ID_MAX} characters or a finite number`);
  const id = rawId ?? null;
  switch (type) {
    case 'play':
    case 'pause':
    case 'get':
      return { request: { type, id } };
    case 'seek': {
      const t = field('t');
      const range = `0 to ${limits.duration} (minutes from the start)`;
      if (typeof t !== 'number' || !Number.isFinite(t)) return refuse(id, 't', `t: ${quote(t)} is not a number; the allowed range is ${range}`);
      if (t < 0 || t > limits.duration) return refuse(id, 't', `t: ${quote(t)} is outside the allowed range ${range}`);
      // (-0 is 0.)
      return { request: { type, id, t: Math.round(t) || 0 } };
    }
    case 'load': {
      const preset = field('preset');
      if (typeof preset !== 'string' || !limits.presets.includes(preset)) {
        return refuse(id, 'preset', `preset: ${quote(preset)} is unknown; choose one of ${limits.presets.join(', ')}`);
      }
      return { request: { type, id, preset } };
    }
    case 'set': {
      const name = field('name');
      if (typeof name !== 'string' || name === '' || name.length > NAME_MAX) {
        return refuse(id, 'name', `name: ${quote(name)} is not a knob's name (a string of up to ${NAME_MAX} characters such as "reboot_window_min")`);
      }
      const value = field('value');
      if (!['string', 'number', 'boolean'].includes(typeof value)) return refuse(id, 'value', `value: ${quote(value)} is not a string, a number or true/false`);
      if (typeof value === 'number' && !Number.isFinite(value)) return refuse(id, 'value', `value: ${quote(value)} is not a finite number`);
      const text = String(value);
      if (text.length > VALUE_MAX) return refuse(id, 'value', `value: ${text.length} characters; at most ${VALUE_MAX}`);
      const problem = limits.checkSetting(name, text);
      if (problem) return refuse(id, problem.split(':')[0] === name ? name : 'name', problem);
      return { request: { type, id, name, value: text } };
    }
    default:
      return { ignore: `type ${quote(type)} is not one of ${REQUESTS.join(', ')}` };
  }
}

function refuse(id, field, message) {
  return { refuse: { id, field, message } };
}

/** A message of type `type` with `fields`, as the embed sends it. */
export function message(type, fields = {}) {
  return { loginstorm: PROTOCOL, type, ...fields };
}

/** What a value is, in a few words (never the whole of it: it may be huge). */
function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `list of ${v.length}`;
  if (typeof v === 'string') return `string ${quote(v)}`;
  return typeof v;
}

/** A value as a message may quote it: short, one line, whatever its type. */
export function quote(v) {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') {
    const s = v.replace(/\s+/g, ' ');
    return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
  }
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint') {
    const digits = String(v);
    return digits.length > 40 ? `a ${digits.length}-digit integer` : `${digits}n`;
  }
  if (v === null || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * Whether a message from `origin` may drive an embed that allows `origins` (null: any).
 * An opaque origin ('null', a sandboxed frame) is allowed only when any origin is.
 */
export function originAllowed(origin, origins) {
  if (!origins) return true;
  return origins.includes(origin);
}
