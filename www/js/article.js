// The example article (article.html): the embedded simulation drives the story, and the story's
// buttons drive the simulation, through the embed's message API (README: "Embedding"). An article
// on another site does the same with the embed's full address.

const frame = document.getElementById('sim');
/** The embed's address: the picture alone on a narrow screen, the chart beside it on a wide one. */
const src = new URL(frame.dataset.src, location.href);
src.searchParams.set('view', matchMedia('(min-width: 700px)').matches ? 'both' : 'stage');
frame.src = src.href;
/** The embed's origin: its messages are believed only from there, and ours go only there. */
const EMBED_ORIGIN = src.origin;
/** August 2007's update lands at minute 360 (Thu 06:00 UTC); "Just before" goes ten minutes earlier. */
const BEFORE_UPDATE_MIN = 350;
/** Where the story starts: Thursday 05:00 UTC. */
const STORY_START_MIN = 300;

const $ = (id) => document.getElementById(id);
let nextId = 1;
/** Requests waiting for an answer: id -> what to do with it. */
const pending = new Map();

/** Sends request `type` to the embed; `then(reply)` is told its answer. */
function send(type, fields = {}, then = null) {
  const id = `article-${nextId++}`;
  if (then) pending.set(id, then);
  frame.contentWindow?.postMessage({ loginstorm: 1, type, id, ...fields }, EMBED_ORIGIN);
}

/** Says `text` above the simulation: the last thing heard from it (it plays on meanwhile). */
function heard(text) {
  $('heard').textContent = `Last heard: ${text}`;
}

/**
 * The story's paragraph for event `kind` is reached, with what the model did; the current one is
 * the furthest reached (events of one minute may come in any order).
 */
function reach(kind, words) {
  const item = document.querySelector(`#story li[data-on="${kind}"]`);
  if (!item) return;
  item.classList.add('reached');
  if (words) item.querySelector('[data-says]').textContent = words;
  const reached = [...document.querySelectorAll('#story li.reached')];
  for (const li of document.querySelectorAll('#story li[aria-current]')) li.removeAttribute('aria-current');
  reached.at(-1)?.setAttribute('aria-current', 'step');
}

addEventListener('message', (e) => {
  if (e.source !== frame.contentWindow || e.origin !== EMBED_ORIGIN) return;
  const m = e.data;
  if (!m || typeof m !== 'object' || m.loginstorm !== 1) return;
  switch (m.type) {
    case 'height':
      frame.style.height = `${Math.ceil(m.height)}px`;
      break;
    case 'ready':
      document.body.dataset.simReady = '1';
      heard(`${m.when}, ${m.playing ? 'playing' : 'paused'}.`);
      reach('ready', `In the simulation, the story starts at ${m.when}.`);
      break;
    case 'phase':
      heard(`${m.when}: ${m.words}.`);
      break;
    case 'event':
      heard(`${m.when}: ${m.text}`);
      reach(m.kind, `In the simulation, ${m.when}: ${m.text}`);
      break;
    case 'recovered':
      heard(`the network came back at ${m.when}.`);
      break;
    case 'ended':
      heard(`${m.when}: the end of the run. Press “August 2007 again” to start over.`);
      break;
    case 'reply':
    case 'error': {
      const then = pending.get(m.id);
      pending.delete(m.id);
      if (m.type === 'error') heard(`the simulation refused that: ${m.message}`);
      else then?.(m);
      break;
    }
    default:
      break;
  }
});

/** Says where the run is, from a reply. */
const where = (r) => heard(`${r.when}, ${r.words ?? 'starting'}, ${r.playing ? 'playing' : 'paused'}.`);
$('play').addEventListener('click', () => send('play', {}, where));
$('pause').addEventListener('click', () => send('pause', {}, where));
$('to-update').addEventListener('click', () => send('seek', { t: BEFORE_UPDATE_MIN }, where));
$('fix').addEventListener('click', () => {
  send('set', { name: 'strategy', value: 'fixed' }, (r) => heard(`the fix (two choices, backoff with jitter, polite refusals) is pushed at ${r.when}; the run goes on from there.`));
  send('play');
});
$('again').addEventListener('click', () => {
  for (const li of document.querySelectorAll('#story li')) {
    li.classList.remove('reached');
    li.removeAttribute('aria-current');
    li.querySelector('[data-says]').textContent = '';
  }
  send('load', { preset: 'aug-2007' }, () => send('seek', { t: STORY_START_MIN }, (r) => {
    where(r);
    reach('ready', `In the simulation, the story starts at ${r.when}.`);
    send('play');
  }));
});
$('where').addEventListener('click', () => send('get', {}, (r) => {
  where(r);
  if (r.summary) $('heard').textContent += ` The lowest point so far: ${Math.round(100 * r.summary.min_online_fraction)}% of the normal users online.`;
}));
