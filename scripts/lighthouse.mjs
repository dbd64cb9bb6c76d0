// Lighthouse's performance audit of dist/ served locally (make lighthouse): `runs` times on its
// mobile settings (a simulated slow phone and network) and once on its desktop settings, a JSON
// line a run. Lighthouse 12 (13 needs Node 22) is installed on first use into target/lighthouse,
// not among the project's packages: only this measurement needs it.
// Usage: node scripts/lighthouse.mjs [runs]
import path from 'node:path';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot, startServer } from '../tests/e2e/harness.mjs';

const runs = Number(process.argv[2] ?? 3);
const tool = path.join(repoRoot, 'target', 'lighthouse');
// npm writes its lock file last: without it, an install was cut short and is done again.
if (!existsSync(path.join(tool, 'node_modules', '.package-lock.json'))) {
  execFileSync('npm', ['install', '--prefix', tool, '--no-audit', '--no-fund', '--loglevel=error', 'lighthouse@12'], { stdio: 'inherit' });
}
// The harness's server: serve.py with dist's _headers, on a free port it reports once it listens.
const keepAlive = setInterval(() => {}, 1000);
const server = await startServer(path.join(repoRoot, 'dist'));
try {
  for (let i = 1; i <= runs; i++) console.log(JSON.stringify(await audit(`mobile-${i}`, [])));
  console.log(JSON.stringify(await audit('desktop', ['--preset=desktop'])));
} finally {
  await server.stop();
  clearInterval(keepAlive);
}

async function audit(name, extra) {
  const out = path.join(tool, `report-${name}.json`);
  // Not a blocking call: the server's request log is read while Lighthouse runs.
  await promisify(execFile)(path.join(tool, 'node_modules', '.bin', 'lighthouse'), [
    `${server.url}index.html`, '--only-categories=performance', '--chrome-flags=--headless=new --no-sandbox',
    '--output=json', `--output-path=${out}`, '--quiet', ...extra,
  ], { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM || '/usr/bin/chromium' }, maxBuffer: 64 << 20 });
  const r = JSON.parse(await readFile(out, 'utf8'));
  const ms = (k) => Math.round(r.audits[k].numericValue);
  return {
    bench: 'lighthouse', form: r.configSettings.formFactor, score: r.categories.performance.score,
    fcp_ms: ms('first-contentful-paint'), lcp_ms: ms('largest-contentful-paint'), tbt_ms: ms('total-blocking-time'),
    cls: Math.round(r.audits['cumulative-layout-shift'].numericValue * 1000) / 1000,
    speed_index_ms: ms('speed-index'), interactive_ms: ms('interactive'),
  };
}
