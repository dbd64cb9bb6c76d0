// The engine as wasm against the engine native, over the same minutes of the same scenario, in one
// run: minutes 385..395 of aug-2007 (the storm) at 1M clients, each round a fresh run timed natively
// (examples/speed), in headless Chromium (the browser the page runs in, through bench.html) and
// under Node, the three interleaved so a machine that slows down for a while slows all three.
// Prints each round and then, per engine, the least and the median ms a minute, and the ratios
// wasm / native of the medians, of the least (the machine at its quietest) and the median of the
// rounds' own ratios.
// Usage: node scripts/bench-wasm.mjs [clients] [--dist] [--rounds N]   (make bench: --dist, the shipped wasm)
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot, startServer, launchBrowser } from '../tests/e2e/harness.mjs';
import { timeWindow } from '../www/js/window-timing.js';

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 9;
const clients = Number(args.find((a, i) => /^\d+$/.test(a) && (roundsAt < 0 || i !== roundsAt + 1)) ?? 1_000_000);
if (!(Number.isInteger(rounds) && rounds >= 1)) throw new Error(`--rounds: '${args[roundsAt + 1]}' is not a whole number of rounds, 1 or more`);
// www/'s wasm (what `make build` just built); dist/ adds wasm-opt, `--dist` measures that.
const site = args.includes('--dist') ? 'dist' : 'www';
const [preset, from, to] = ['aug-2007', 385, 395];

// Node: www's glue either way (dist bundles its copy into the page's scripts, for the same wasm).
const glue = await import(path.join(repoRoot, 'www', 'pkg/loginstorm.js'));
glue.initSync({ module: await readFile(path.join(repoRoot, site, 'pkg/loginstorm_bg.wasm')) });
const nodeWindow = () => timeWindow(glue.WebSim, preset, clients, from, to);

function nativeWindow() {
  const out = execFileSync(path.join(repoRoot, 'target/release/examples/speed'),
    ['window', String(clients), String(from), String(to)], { encoding: 'utf8' });
  const m = /window \S+: ([0-9.]+) ms a tick/.exec(out);
  if (!m) throw new Error(`speed window printed no time: ${out}`);
  return Number(m[1]);
}

// The harness's server does not hold Node's event loop open by itself: this does, until the end.
const keepAlive = setInterval(() => {}, 1000);
const server = await startServer(path.join(repoRoot, site));
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}bench.html?window=${from}-${to}`);
  await page.waitForFunction(() => typeof globalThis.loginstormWindow === 'function', null, { timeout: 30_000 });
  const chromiumWindow = () => page.evaluate(([p, c]) => globalThis.loginstormWindow(p, c), [preset, clients]);
  // Once each before timing: V8 compiles hot functions a second time, optimised, as they run.
  await chromiumWindow();
  nodeWindow();
  const times = { native: [], chromium: [], node: [] };
  for (let r = 0; r < rounds; r++) {
    times.native.push(nativeWindow());
    times.chromium.push(await chromiumWindow());
    times.node.push(nodeWindow());
    console.log(JSON.stringify({ bench: 'wasm-vs-native-round', round: r, ...roundTo3(times, r) }));
  }
  const least = (xs) => Math.min(...xs);
  // The middle value (the upper of the two middle ones for an even count).
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const r2 = (v) => Math.round(v * 100) / 100;
  const r3 = (v) => Math.round(v * 1000) / 1000;
  const summary = { bench: 'wasm-vs-native', preset, minutes: `${from}..${to}`, clients, site, rounds };
  for (const [engine, xs] of Object.entries(times)) {
    summary[`${engine}_ms_a_minute`] = { least: r3(least(xs)), median: r3(median(xs)) };
  }
  for (const engine of ['chromium', 'node']) {
    summary[`ratio_${engine}`] = {
      medians: r2(median(times[engine]) / median(times.native)),
      least: r2(least(times[engine]) / least(times.native)),
      // Each round's own ratio, its two sides timed a moment apart, then their median: the
      // figure a machine that slows down now and then disturbs least.
      rounds_median: r2(median(times[engine].map((ms, r) => ms / times.native[r]))),
    };
  }
  console.log(JSON.stringify(summary));
} finally {
  await browser.close();
  await server.stop();
  clearInterval(keepAlive);
}

function roundTo3(times, r) {
  return Object.fromEntries(Object.entries(times).map(([k, xs]) => [`${k}_ms`, Math.round(xs[r] * 1000) / 1000]));
}
