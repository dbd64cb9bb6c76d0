// Frame benchmark: one simulated minute a frame through the page's own calls (step, paint,
// links), timed per frame; logs one JSON line for scripts/bench-page.mjs to read.
import init, { WebSim } from '../pkg/loginstorm.js';
import { timeWindow } from './window-timing.js';

const params = new URLSearchParams(location.search);
const clients = Number(params.get('clients') ?? 100_000);
const preset = params.get('preset') ?? 'aug-2007';
const from = Number(params.get('from') ?? 360);
const frames = Number(params.get('frames') ?? 300);

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const r = (v) => Math.round(v * 100) / 100;
  return { mean: r(mean), p50: r(q(0.5)), p95: r(q(0.95)), max: r(s.at(-1)) };
}

async function run() {
  // Explicitly relative to this module, which dist/ bundles together with the glue.
  await init({ module_or_path: new URL('../pkg/loginstorm_bg.wasm', import.meta.url) });
  const canvas = document.getElementById('view');
  const ctx = canvas.getContext('2d');
  const sim = new WebSim(preset, { clients: String(clients) }, canvas.width, canvas.height, false);
  const t0 = performance.now();
  sim.step_until(from);
  const warmup = performance.now() - t0;
  const step = [];
  const draw = [];
  const interval = [];
  let last = null;
  await new Promise((resolve) => {
    const frame = (now) => {
      if (last !== null) interval.push(now - last);
      last = now;
      const a = performance.now();
      sim.step_until(sim.now_min() + 1);
      const b = performance.now();
      sim.draw(ctx);
      sim.links();
      const c = performance.now();
      step.push(b - a);
      draw.push(c - b);
      if (step.length < frames) requestAnimationFrame(frame); else resolve();
    };
    requestAnimationFrame(frame);
  });
  const result = {
    bench: 'frame', preset, clients, from_min: from, frames,
    users_per_dot: sim.users_per_client() * sim.clients_per_dot(),
    warmup_ms: Math.round(warmup), step_ms: stats(step), draw_ms: stats(draw),
    frame_interval_ms: stats(interval), fps: Math.round(1000 / stats(interval).mean),
  };
  const line = JSON.stringify(result);
  console.log(line);
  document.getElementById('result').textContent = line;
  document.body.dataset.done = '1';
}

/**
 * The engine's speed alone, for scripts/bench-wasm.mjs (`?window=385-395`): offers
 * `loginstormWindow(preset, clients)`, which times those minutes of a fresh run and returns the
 * ms a minute, as the native `speed window` does.
 */
async function offerWindow(spec) {
  const m = /^(\d+)-(\d+)$/.exec(spec);
  if (!m || Number(m[1]) >= Number(m[2])) throw new Error(`window: '${spec}' is not FROM-TO minutes, FROM below TO`);
  const [from, to] = [Number(m[1]), Number(m[2])];
  await init({ module_or_path: new URL('../pkg/loginstorm_bg.wasm', import.meta.url) });
  window.loginstormWindow = (name, clients) => timeWindow(WebSim, name, clients, from, to);
  document.getElementById('result').textContent = `ready: loginstormWindow(preset, clients) times minutes ${from}..${to}`;
}

(params.has('window') ? offerWindow(params.get('window')) : run()).catch((e) => {
  document.getElementById('result').textContent = `failed: ${e.message}`;
  document.body.dataset.done = 'error';
});
