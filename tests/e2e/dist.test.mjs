// The deployable site: scripts/dist.sh builds dist/ from www/, and dist/ alone,
// served as plain static files, draws the view without errors.
import { test, before, after } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { repoRoot, startServer, launchBrowser, checkPage } from './harness.mjs';

let server;
let browser;

before(async () => {
  const { stdout } = await promisify(execFile)('bash', ['scripts/dist.sh'],
    { cwd: repoRoot, timeout: 120_000, killSignal: 'SIGKILL' });
  console.log(stdout.trim());
  server = await startServer(path.join(repoRoot, 'dist'));
  browser = await launchBrowser();
}, { timeout: 150_000 });

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('dist/ served as static files draws the view without errors', { timeout: 60_000 }, async () => {
  await checkPage(browser, `${server.url}index.html`, { width: 1280, height: 800, name: 'dist' });
});
