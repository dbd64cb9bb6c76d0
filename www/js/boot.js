// The page's entry. It waits for the first paint (the page's words on screen), then starts the
// engine's download and the page's modules together: on a slow phone the reader gets the text
// at once instead of after the engine's hundred kilobytes. (A hidden tab paints nothing: there
// the timer starts it.)

/** The modules app.js imports, fetched beside it (dist.sh names its bundle's chunks here). */
const CHUNKS = globalThis.loginstormChunks ?? [];

let started = false;
function begin() {
  if (started) return;
  started = true;
  const engine = fetch(new URL('../pkg/loginstorm_bg.wasm', import.meta.url));
  for (const chunk of CHUNKS) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = new URL(chunk, import.meta.url).href;
    document.head.append(link);
  }
  import('./app.js').then((app) => app.start(engine));
}
// The frame after the first one: the first is then on screen, not merely under way.
requestAnimationFrame(() => requestAnimationFrame(begin));
setTimeout(begin, 250);
