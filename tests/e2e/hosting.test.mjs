// Safe hosting: scripts/serve.py (make serve, every end-to-end test) sends the headers of
// www/_headers, the file Netlify and Cloudflare Pages read in dist/, so embed.html runs in
// another site's <iframe sandbox="allow-scripts">, whose opaque origin makes every script, the
// wasm and the worker a CORS request.
import { test, before, after } from 'node:test';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { repoRoot, useSite, startServer, reached } from './harness.mjs';

const www = path.join(repoRoot, 'www');
const site = useSite(www);

/** The Content-Security-Policy of a page's <meta http-equiv> tag. */
async function metaPolicy(file) {
  const html = await readFile(path.join(www, file), 'utf8');
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, `${file} has a CSP <meta> tag`);
  return m[1];
}

const policy = await metaPolicy('embed.html');

/** A host page on another origin, in a folder of its own: no _headers, so no policy of ours. */
let host = null;
let hostDir = null;
before(async () => {
  hostDir = await mkdtemp(path.join(os.tmpdir(), 'loginstorm-host-'));
  host = await startServer(hostDir);
});
after(async () => {
  await host?.stop();
  if (hostDir) await rm(hostDir, { recursive: true, force: true });
});

test('the site\'s files carry CORS and the pages\' policy as headers; the wasm is application/wasm', async () => {
  for (const file of ['', 'embed.html', 'js/boot.js', 'pkg/loginstorm_bg.wasm']) {
    const res = await fetch(`${site.server.url}${file}`);
    assert.equal(res.status, 200, `/${file}`);
    assert.equal(res.headers.get('access-control-allow-origin'), '*', `/${file}`);
    assert.equal(res.headers.get('content-security-policy'), policy, `/${file}`);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `/${file}`);
    await res.arrayBuffer();
  }
  const wasm = await fetch(`${site.server.url}pkg/loginstorm_bg.wasm`, { method: 'HEAD' });
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  const js = await fetch(`${site.server.url}js/boot.js`, { method: 'HEAD' });
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
});

test('a CORS preflight is answered with what a static file allows', async () => {
  const res = await fetch(`${site.server.url}js/boot.js`, {
    method: 'OPTIONS',
    headers: { Origin: 'null', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-probe' },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.match(res.headers.get('access-control-allow-methods'), /\bGET\b/);
  assert.equal(res.headers.get('access-control-allow-headers'), 'x-probe');
});

test('a folder without _headers is served without our headers', async () => {
  await writeFile(path.join(hostDir, 'plain.txt'), 'plain');
  const res = await fetch(`${host.url}plain.txt`);
  assert.equal(await res.text(), 'plain');
  assert.equal(res.headers.get('content-security-policy'), null);
  assert.equal(res.headers.get('access-control-allow-origin'), null);
});

test('www/_headers gives every path (/*) the pages\' policy and CORS', async () => {
  assert.equal(await metaPolicy('index.html'), policy, 'index.html and embed.html share one policy');
  const blocks = new Map();
  let current = null;
  for (const line of (await readFile(path.join(www, '_headers'), 'utf8')).split('\n')) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(line)) blocks.set(line.trim(), current = new Map());
    else {
      const [, name, value] = /^\s+([^:]+):\s*(.*)$/.exec(line);
      current.set(name.toLowerCase(), value.trim());
    }
  }
  const all = blocks.get('/*');
  assert.ok(all, 'a /* block');
  assert.equal(all.get('content-security-policy'), policy);
  assert.equal(all.get('access-control-allow-origin'), '*');
  assert.ok(!/frame-ancestors/.test(policy), 'any site may frame the embed');
});

// The opaque origin starts its engine worker from a blob (engine.js): the policy allows that
// (worker-src blob:), and the server sends CORS for the scripts and the wasm.
test('embed.html runs in a sandboxed iframe of another origin', {
  timeout: 60_000,
}, async () => {
  const src = `${site.server.url}embed.html?preset=aug-2007&t=400`;
  await writeFile(path.join(hostDir, 'host.html'), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<title>A site that embeds loginstorm</title>
<iframe sandbox="allow-scripts" width="720" height="640" src="${src}"></iframe>`);
  const context = await site.browser.newContext({ viewport: { width: 900, height: 900 } });
  try {
    const page = await context.newPage();
    // Not collectErrors: the frame's requests go beyond the host page's origin, as they should.
    // The first error ends the wait for the frame (a blocked worker leaves it loading forever).
    const errors = [];
    let failed;
    const failure = new Promise((resolve, reject) => { failed = reject; });
    failure.catch(() => {});
    const report = (text) => { errors.push(text); failed(new Error(`the frame reported errors:\n${errors.join('\n')}`)); };
    page.on('pageerror', (e) => report(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') report(`console: ${m.text()}`); });
    await page.goto(`${host.url}host.html`);
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    assert.equal(await frame.evaluate(() => self.origin), 'null', 'the sandbox gives the embed an opaque origin');
    await Promise.race([failure, frame.waitForFunction(() => document.body?.dataset.ready === '1', null, { timeout: 20_000 })]);
    await reached(frame, 400);
    assert.notEqual((await frame.locator('#caption').textContent()).trim(), 'Loading the simulation…');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
