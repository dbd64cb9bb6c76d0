// <loginstorm-sim>: loginstorm in an article without writing an iframe.
//
//   <script type="module" src="https://HOST/loginstorm.js"></script>
//   <loginstorm-sim preset="aug-2007" t="300" view="both" controls="play"></loginstorm-sim>
//
// Attributes are the embed's URL parameters (preset, t, speed, any knob such as
// reboot_window_min, and view, controls, caption, title, height). Changing one updates the
// simulation: `t` moves it, a knob changes the run as the page's controls do, the rest reload it.
// The element fires the embed's events as DOM events (ready, phase, event, recovered, ended,
// height, error; `detail` is the message) and offers play(), pause(), seek(t), set(name,
// value), load(preset) and get() (a promise of the run's state).
//
// Requests made before the embed is ready wait for it. Inside, a shadow root holds an iframe of embed.html from this script's own site: the engine's
// workers and wasm must come from there, the article's styles cannot reach in and its own
// cannot leak out, and each element on a page runs on its own.

const HOME = new URL('./', import.meta.url);
const EMBED = new URL('embed.html', HOME);
/** Attributes that are the element's own HTML, not the simulation's. */
const HTML_ATTRIBUTES = /^(class|style|id|hidden|slot|tabindex|lang|dir|part|is|inert|role|aria-.*|data-.*|on.*)$/;
/** Attributes that change the run in place (sent as messages, no reload). */
const IN_PLACE = new Set(['t']);
/** Longest attribute value sent (characters): a longer one would make an unusable address. */
const VALUE_MAX = 2000;
/** The embed's height before it reports its own (px): about a 16:9 picture and a caption. */
const FIRST_HEIGHT = 480;
const EVENT_TYPES = ['ready', 'phase', 'event', 'recovered', 'ended', 'height', 'error'];

const STYLE = `
:host { display: block; contain: content; }
:host([hidden]) { display: none; }
iframe { display: block; width: 100%; border: 0; height: ${FIRST_HEIGHT}px; }
`;

export class LoginstormSim extends HTMLElement {
  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = STYLE;
    this.frame = document.createElement('iframe');
    this.frame.title = 'loginstorm: a simulation of the login storm that took Skype down in 2007';
    this.frame.setAttribute('allow', 'fullscreen');
    this.root.append(style, this.frame);
    /**
     * The frame holds the document of the latest address: until its load event, a message may
     * still come from the one before (the frame's window stays the same object).
     */
    this.current = false;
    this.frame.addEventListener('load', () => { this.current = true; });
    this.nextId = 1;
    /** Requests waiting for their answer: id -> {resolve, reject}. */
    this.pending = new Map();
    /** Requests made before the embed was ready, sent once it is. */
    this.queued = [];
    this.ready = false;
    /** The embed starts when the element comes near the screen: a long article runs only what is read. */
    this.near = false;
    this.nearby = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting) || this.near) return;
      this.near = true;
      this.nearby.disconnect();
      this.reload();
    }, { rootMargin: '50% 0px' });
    this.onMessage = (e) => this.receive(e);
    this.watcher = new MutationObserver((changes) => this.changed(changes));
  }

  connectedCallback() {
    addEventListener('message', this.onMessage);
    this.watcher.observe(this, { attributes: true });
    if (this.near) this.reload();
    else this.nearby.observe(this);
  }

  disconnectedCallback() {
    removeEventListener('message', this.onMessage);
    this.watcher.disconnect();
    this.nearby.disconnect();
    this.forget('the element was removed');
  }

  /** Requests that will get no answer (their embed is gone) are rejected, saying why. */
  forget(why) {
    for (const { reject } of this.pending.values()) reject(new Error(`loginstorm-sim: ${why}`));
    for (const { reject } of this.queued) reject(new Error(`loginstorm-sim: ${why}`));
    this.pending.clear();
    this.queued = [];
  }

  /** The embed's address for the attributes as they are now; refused attributes are told as `error`. */
  source() {
    const params = new URLSearchParams();
    for (const { name, value } of this.attributes) {
      if (HTML_ATTRIBUTES.test(name)) continue;
      if (value.length > VALUE_MAX) {
        // Said as the embed says a refusal, so a listener reads both alike.
        this.fire('error', { loginstorm: 1, type: 'error', id: null, field: name, message: `${name}: the value is ${value.length} characters long; at most ${VALUE_MAX} are read` });
        continue;
      }
      params.set(name, value);
    }
    // The element always fits its content: the embed keeps its shape and reports its height.
    params.set('height', 'auto');
    return `${EMBED.href}?${params}`;
  }

  reload() {
    if (!this.near) return;
    // What was asked of the embed before goes with it; what is asked from now on waits for the new one.
    for (const { reject } of this.pending.values()) reject(new Error('loginstorm-sim: the simulation reloaded before answering'));
    this.pending.clear();
    this.ready = false;
    this.current = false;
    this.frame.src = this.source();
  }

  /** Attributes changed: `t` moves the run; a knob is set as the page sets it; the rest reload. */
  changed(changes) {
    if (!this.isConnected) return;
    const names = [...new Set(changes.map((c) => c.attributeName))].filter((n) => !HTML_ATTRIBUTES.test(n));
    if (names.length === 0) return;
    const reload = !this.ready || names.some((n) => !this.hasAttribute(n) || (!IN_PLACE.has(n) && !knobLike(n)));
    if (reload) {
      this.reload();
      return;
    }
    for (const n of names) {
      const value = this.getAttribute(n);
      // (An empty or non-numeric t goes as written: the embed refuses it, naming t.)
      if (n === 't') this.seek(value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value).catch(() => {});
      else this.set(n, value).catch(() => {});
    }
  }

  /** A message from this element's own embed: an answer, or an event fired on the element. */
  receive(e) {
    if (e.source !== this.frame.contentWindow || e.origin !== EMBED.origin) return;
    const m = e.data;
    if (!m || typeof m !== 'object' || m.loginstorm !== 1) return;
    // The document being replaced: its height is harmless, its ready and answers are not ours.
    if (!this.current && m.type !== 'height') return;
    if ((m.type === 'reply' || m.type === 'error') && this.pending.has(m.id)) {
      const { resolve, reject } = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.type === 'reply') resolve(m);
      else reject(Object.assign(new Error(m.message), { field: m.field }));
    }
    if (m.type === 'height' && Number.isFinite(m.height) && m.height > 0) this.frame.style.height = `${Math.ceil(m.height)}px`;
    if (m.type === 'ready') {
      this.ready = true;
      const queued = this.queued;
      this.queued = [];
      for (const q of queued) this.post(q);
    }
    if (EVENT_TYPES.includes(m.type)) this.fire(m.type, m);
  }

  fire(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Sends request `type`; resolves with the embed's reply, rejects with its error. */
  request(type, fields = {}) {
    const id = `${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const q = { id, message: { loginstorm: 1, type, id, ...fields }, resolve, reject };
      if (this.ready) this.post(q);
      else this.queued.push(q);
    });
  }

  post({ id, message, resolve, reject }) {
    const win = this.frame.contentWindow;
    if (!win) {
      reject(new Error('loginstorm-sim: not on a page'));
      return;
    }
    this.pending.set(id, { resolve, reject });
    try {
      win.postMessage(message, EMBED.origin);
    } catch (e) {
      // A value that cannot be sent (a function, say): this request fails, the others go on.
      this.pending.delete(id);
      reject(e);
    }
  }

  play() { return this.request('play'); }
  pause() { return this.request('pause'); }
  /** Goes to minute `t` of the run (and pauses there). */
  seek(t) { return this.request('seek', { t }); }
  /** Sets knob `name` to `value`, as the page's controls do. */
  set(name, value) { return this.request('set', { name, value }); }
  /** Starts scenario `preset` from its beginning. */
  load(preset) { return this.request('load', { preset }); }
  /** The run's state: minute, phase, playing, preset, settings and summary. */
  get() { return this.request('get'); }
}

/** Whether attribute `name` is one of the run's knobs rather than a page or embed option. */
function knobLike(name) {
  return !['preset', 'speed', 'tour', 'slow', 'present', 'compare', 'view', 'controls', 'caption', 'title', 'height', 'origins'].includes(name);
}

if (!customElements.get('loginstorm-sim')) customElements.define('loginstorm-sim', LoginstormSim);
