// The deployable site: scripts/dist.sh builds dist/ from www/, and dist/ alone,
// served as plain static files, draws the view without errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { repoRoot, useSite, checkPage, openHost } from './harness.mjs';

const site = useSite(path.join(repoRoot, 'dist'), {
  prepare: async () => {
    const { stdout } = await promisify(execFile)('bash', ['scripts/dist.sh'],
      { cwd: repoRoot, timeout: 120_000, killSignal: 'SIGKILL' });
    console.log(stdout.trim());
  },
  prepareTimeoutMs: 150_000,
});

test('dist/ served as static files draws the view without errors', { timeout: 60_000 }, async () => {
  await checkPage(site.browser, `${site.server.url}index.html`, { width: 1280, height: 800, name: 'dist' });
});

test('dist/: the example article drives its embed and follows it; the headers file ships', { timeout: 90_000 }, async () => {
  const headers = await readFile(path.join(repoRoot, 'dist', '_headers'), 'utf8');
  assert.match(headers, /Access-Control-Allow-Origin: \*/);
  const { page, errors, close } = await openHost(site.browser, `${site.server.url}article.html`, { width: 1000, height: 900 });
  try {
    await page.waitForFunction(() => document.body.dataset.simReady === '1', null, { timeout: 30_000 });
    await page.click('#to-update');
    await page.click('#play');
    // The update lands ten minutes later: its paragraph becomes the current one, with the model's words.
    await page.waitForSelector('#story li[data-on="update"][aria-current="step"]', { timeout: 30_000 });
    assert.match(await page.textContent('#story li[data-on="update"] [data-says]'), /^In the simulation, Thu, 16 Aug 2007, 06:00 UTC: The update lands/);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
