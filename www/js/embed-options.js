// The embed's own URL options (embed.html?view=both&controls=play&caption=off&title=…): how much of
// the simulation an article shows. Pure functions, tested with node --test; every refused value
// is a problem naming the option and what it allows, and that option keeps its default.

import { EMBED_PARAMS } from './settings.js';

export { EMBED_PARAMS };

/** The switches an embed may offer on their own (`controls=switch:NAME`). */
export const EMBED_SWITCHES = ['strategy', 'supernode_choice', 'retry', 'planner_demand', 'overload', 'reboot_window_min'];
/** Of those, the ones shown as the first screen's fieldset (the bundle, the restart window); the rest are one select each. */
export const FIELDSET_SWITCHES = ['strategy', 'reboot_window_min'];

export const EMBED_DEFAULTS = Object.freeze({
  view: 'stage', controls: 'play', switch: null, caption: true, title: null, height: 'frame', origins: null,
});

/** Longest title an embed shows (characters). */
export const TITLE_MAX = 120;
/** Most origins `origins=` may list. */
export const ORIGINS_MAX = 20;
/** Longest value any option is read from (characters): beyond it, the value is refused unread. */
const VALUE_MAX = 2000;

const CHOICES = {
  view: ['stage', 'chart', 'both'],
  controls: ['none', 'play', 'all', 'switch:NAME'],
  caption: ['on', 'off'],
  height: ['frame', 'auto'],
};

/** A value as a message may quote it: short, one line. */
export function quoted(raw) {
  const s = String(raw).replace(/\s+/g, ' ');
  return `'${s.length > 40 ? `${s.slice(0, 40)}…` : s}'`;
}

/**
 * Reads the embed options from `params` (URLSearchParams, or a plain object of attribute
 * values). Returns {options, problems}; options hold every option, defaults where a value was
 * missing or refused.
 */
export function readEmbedOptions(params) {
  const get = (k) => (params instanceof URLSearchParams ? params.get(k) : params?.[k] ?? null);
  const options = { ...EMBED_DEFAULTS };
  const problems = [];
  for (const name of EMBED_PARAMS) {
    const raw = get(name);
    if (raw === null || raw === undefined) continue;
    const text = String(raw);
    if (text.length > VALUE_MAX) {
      problems.push(`${name}: the value is ${text.length} characters long; at most ${VALUE_MAX} are read`);
      continue;
    }
    const problem = readOption(options, name, text.trim());
    if (problem) problems.push(problem);
  }
  return { options, problems };
}

/** Sets option `name` from `text` in `options`; returns a problem instead if it is refused. */
export function readOption(options, name, text) {
  switch (name) {
    case 'view':
    case 'height':
      if (!CHOICES[name].includes(text)) return `${name}: ${quoted(text)} is not one of ${CHOICES[name].join(', ')}`;
      options[name] = text;
      return null;
    case 'caption':
      if (!CHOICES.caption.includes(text)) return `caption: ${quoted(text)} is not one of on, off`;
      options.caption = text === 'on';
      return null;
    case 'controls': {
      if (text.startsWith('switch:')) {
        const sw = text.slice('switch:'.length);
        if (!EMBED_SWITCHES.includes(sw)) return `controls: ${quoted(sw)} is not a switch an embed can show; choose switch: and one of ${EMBED_SWITCHES.join(', ')}`;
        options.controls = 'switch';
        options.switch = sw;
        return null;
      }
      if (!CHOICES.controls.slice(0, 3).includes(text)) return `controls: ${quoted(text)} is not one of ${CHOICES.controls.join(', ')}`;
      options.controls = text;
      options.switch = null;
      return null;
    }
    case 'title': {
      // Shown as text (never as markup); control characters would only confuse a screen reader.
      const clean = text.replace(/\p{Cc}/gu, ' ').replace(/\s+/g, ' ').trim();
      if (clean === '') return 'title: it is empty; give the words to show, up to 120 characters, or leave it out for the scenario\'s own title';
      options.title = clean.length > TITLE_MAX ? `${clean.slice(0, TITLE_MAX - 1)}…` : clean;
      return clean.length > TITLE_MAX ? `title: it is ${clean.length} characters long; the first ${TITLE_MAX} are shown` : null;
    }
    case 'origins': {
      const { origins, problem } = readOrigins(text);
      if (problem) return problem;
      options.origins = origins;
      return null;
    }
    default:
      return `${name}: not an embed option; the options are ${EMBED_PARAMS.join(', ')}`;
  }
}

/**
 * The origins allowed to drive an embed, from `a,b` (each a web origin such as
 * https://news.example, no path). Returns {origins} or {problem}.
 */
export function readOrigins(text) {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) return { problem: 'origins: it is empty; list the web origins allowed to drive the embed, such as https://news.example' };
  if (parts.length > ORIGINS_MAX) return { problem: `origins: ${parts.length} origins listed; at most ${ORIGINS_MAX}` };
  const origins = [];
  for (const part of parts) {
    let url = null;
    try { url = new URL(part); } catch { /* refused below */ }
    const bare = url && (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === part.replace(/\/$/, '');
    if (!bare) return { problem: `origins: ${quoted(part)} is not a web origin; write each as https://host or https://host:port, with no path` };
    origins.push(url.origin);
  }
  return { origins };
}

/** The query options of `options` that differ from the defaults (for embed code). */
export function writeEmbedOptions(options) {
  const out = new URLSearchParams();
  if (options.view && options.view !== EMBED_DEFAULTS.view) out.set('view', options.view);
  const controls = options.controls === 'switch' ? `switch:${options.switch}` : options.controls;
  if (controls && controls !== EMBED_DEFAULTS.controls) out.set('controls', controls);
  if (options.caption === false) out.set('caption', 'off');
  if (options.title) out.set('title', options.title);
  if (options.height && options.height !== EMBED_DEFAULTS.height) out.set('height', options.height);
  if (options.origins?.length) out.set('origins', options.origins.join(','));
  return out;
}
