// The wasm side of scripts/bench-wasm.mjs, one piece for both places it runs: the page
// (bench.html?window=FROM-TO, in Chromium) and Node.

/**
 * Milliseconds a simulated minute over minutes `from`..`to` of a fresh run of `preset` at
 * `clients` clients, as the native `speed window` times them. `WebSim` is the engine's class
 * from whichever glue loaded the wasm.
 */
export function timeWindow(WebSim, preset, clients, from, to) {
  const sim = new WebSim(preset, { clients: String(clients) }, 640, 360, false);
  sim.step_until(from);
  const t0 = performance.now();
  sim.step_until(to);
  const ms = (performance.now() - t0) / (to - from);
  sim.free();
  return ms;
}
