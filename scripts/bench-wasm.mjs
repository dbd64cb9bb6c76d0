// The engine as wasm (under Node, the same build the page loads from dist/ or www/) against the
// engine native, over the same minutes of the same scenarios: prints ms a tick for each and the
// ratio wasm / native, as JSON lines. Usage: node scripts/bench-wasm.mjs [clients] [--dist]  (make bench)
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const clients = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1_000_000);
// www/'s wasm (what `make build` just built; dist/ adds wasm-opt, `--dist` measures that).
const site = process.argv.includes('--dist') ? 'dist' : 'www';
// The glue is www's either way: dist bundles its copy into the page's scripts, for the same wasm.
const glue = await import(path.join(root, 'www', 'pkg/loginstorm.js'));
glue.initSync({ module: await readFile(path.join(root, site, 'pkg/loginstorm_bg.wasm')) });

/** Milliseconds a tick over minutes from..from+10 of `preset`, as the native `speed steady` does. */
function wasmSteady(preset, from) {
  const sim = new glue.WebSim(preset, { clients: String(clients) }, 640, 360, false);
  sim.step_until(from);
  const t0 = performance.now();
  sim.step_until(from + 10);
  const ms = (performance.now() - t0) / 10;
  sim.free();
  return ms;
}

const native = execFileSync(path.join(root, 'target/release/examples/speed'), ['steady', String(clients)], { encoding: 'utf8' });
for (const [preset, from] of [['calm-day', 120], ['aug-2007', 385]]) {
  const m = new RegExp(`steady ${preset}@${from}\\.\\.\\d+: ([0-9.]+) ms`).exec(native);
  const nativeMs = m ? Number(m[1]) : NaN;
  const wasmMs = wasmSteady(preset, from);
  console.log(JSON.stringify({
    bench: 'wasm-vs-native', preset, minutes: `${from}..${from + 10}`, clients, site,
    wasm_ms_a_tick: Math.round(wasmMs * 1000) / 1000, native_ms_a_tick: nativeMs,
    ratio: Math.round((wasmMs / nativeMs) * 100) / 100,
  }));
}
