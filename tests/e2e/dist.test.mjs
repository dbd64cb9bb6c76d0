// The deployable site: scripts/dist.sh builds dist/ from www/, and dist/ alone,
// served as plain static files, draws the view without errors.
import { test } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { repoRoot, useSite, checkPage } from './harness.mjs';

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
