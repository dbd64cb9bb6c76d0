// Shared helpers for the end-to-end tests: a static file server, a headless
// Chromium, error collection, screenshots and a "page drew something" check.
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// The network is closed: without the background-networking flags Chromium's
// own connections are refused and show up as noise.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Serves `dir` on 127.0.0.1 at a free port with scripts/serve.py (as `make serve` does: the
 * headers of `dir`/_headers); resolves {url, stop()}.
 */
export function startServer(dir, timeoutMs = 10_000) {
  const proc = spawn('python3', ['-u', path.join(repoRoot, 'scripts', 'serve.py'), '--bind', '127.0.0.1', '--directory', dir, '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  // A crashed test must not leave the server behind, nor keep node alive for it.
  const killOnExit = () => proc.kill('SIGKILL');
  process.once('exit', killOnExit);
  proc.unref();
  proc.stdout.unref();
  proc.stderr.unref();
  let stderr = '';
  // Always drain stderr (the request log): a full pipe would block the server.
  proc.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });

  const exited = new Promise((resolve) => proc.once('exit', resolve));
  const stop = async () => {
    process.off('exit', killOnExit);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
  };

  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`serve.py did not report its port within ${timeoutMs} ms\n${out}${stderr}`));
    }, timeoutMs);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /Serving HTTP on \S+ port (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${m[1]}/`, stop });
      }
    });
    proc.once('error', (e) => { clearTimeout(timer); reject(e); });
    proc.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`serve.py exited (${code ?? sig}) before serving\n${out}${stderr}`));
    });
  });
}

/** A headless Debian Chromium driven by playwright-core (no downloaded browser). */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** Records console errors, uncaught exceptions and failed requests of `page`. */
export function collectErrors(page) {
  const errors = [];
  page.on('console', (m) => {
    // Chromium fetches /favicon.ico by itself, once per browser, so its 404 would
    // fail whichever test happens to run first; the page's own requests still count.
    if (m.type() !== 'error' || m.location().url.endsWith('/favicon.ico')) return;
    errors.push(`console: ${m.text()}${m.location().url ? ` (${m.location().url})` : ''}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
  // The site must never reach beyond its own origin (it is embedded in other people's pages).
  page.on('request', (r) => {
    const origin = new URL(page.url() === 'about:blank' ? r.url() : page.url()).origin;
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) errors.push(`request beyond the origin: ${url}`);
  });
  return errors;
}

/**
 * Opens `url`, a page that embeds the site (another origin's host page, an article), in a fresh
 * context of `width` x `height`. Returns {page, errors, close()}: `errors` keeps the page's and
 * its frames' exceptions and console errors. Not collectErrors: a host's frames reach the site's
 * origin, as they should.
 */
export async function openHost(browser, url, { width = 900, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  return { page, errors, close: () => context.close() };
}

/** Writes target/screenshots/<name>.png; returns its path. */
export async function saveScreenshot(page, name) {
  const dir = path.join(repoRoot, 'target', 'screenshots');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: 15_000 });
  return file;
}

/** Pixel statistics of a canvas: size, distinct colours, share not of the most common colour. */
export function canvasStats(page, selector) {
  return page.evaluate((sel) => {
    const c = document.querySelector(sel);
    if (!(c instanceof HTMLCanvasElement)) return null;
    const { width, height } = c;
    if (width === 0 || height === 0) return { width, height, distinct: 0, otherShare: 0 };
    // Copying onto a scratch 2d canvas reads the pixels whatever context the page drew with.
    const scratch = document.createElement('canvas');
    scratch.width = width;
    scratch.height = height;
    const ctx = scratch.getContext('2d');
    ctx.drawImage(c, 0, 0);
    const px = new Uint32Array(ctx.getImageData(0, 0, width, height).data.buffer);
    const counts = new Map();
    for (const p of px) counts.set(p, (counts.get(p) ?? 0) + 1);
    let top = 0;
    for (const n of counts.values()) top = Math.max(top, n);
    return { width, height, distinct: counts.size, otherShare: (px.length - top) / px.length };
  }, selector);
}

/**
 * Opens `url` at the given viewport, waits for the page's ready flag
 * (document.body.dataset.ready === "1"), screenshots it as `name`, and asserts
 * that canvas#view shows a picture and that nothing went wrong on the way.
 */
export async function checkPage(browser, url, { width, height, deviceScaleFactor = 1, name }) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor });
  try {
    const page = await context.newPage();
    const errors = collectErrors(page);
    const res = await page.goto(url, { waitUntil: 'load', timeout: 15_000 });
    assert.ok(res?.ok(), `GET ${url} answered ${res?.status()}`);
    try {
      await page.waitForFunction(() => document.body?.dataset.ready === '1', null, { timeout: 15_000 });
    } catch (e) {
      await saveScreenshot(page, name).catch(() => {});
      throw new Error(`page never set data-ready="1": ${e.message}\ncollected errors:\n${errors.join('\n')}`, { cause: e });
    }
    await saveScreenshot(page, name);
    const stats = await canvasStats(page, 'canvas#view');
    assert.ok(stats, 'no <canvas id="view"> on the page');
    const detail = JSON.stringify(stats);
    assert.ok(stats.distinct >= 2, `canvas#view is blank: ${detail}`);
    assert.ok(stats.otherShare > 0.01, `canvas#view is nearly blank: ${detail}`);
    assert.deepEqual(errors, [], 'the page reported errors');
    return stats;
  } finally {
    await context.close();
  }
}

/**
 * Opens `url` in a fresh context and waits for the page's ready flag. Returns {page, errors,
 * close()}; `errors` keeps collecting until close.
 */
export async function openPage(browser, url, { width = 1280, height = 800, deviceScaleFactor = 1, reducedMotion = 'no-preference' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor, reducedMotion });
  const page = await context.newPage();
  const errors = collectErrors(page);
  const res = await page.goto(url, { waitUntil: 'load', timeout: 15_000 });
  assert.ok(res?.ok(), `GET ${url} answered ${res?.status()}`);
  await page.waitForFunction(() => document.body?.dataset.ready === '1', null, { timeout: 15_000 });
  return { page, errors, close: () => context.close() };
}

/**
 * Opens `url` as `openPage` does, runs `body(page)`, then asserts the page reported no errors
 * (console, exceptions, failed requests, requests beyond its origin); always closes the page.
 */
export async function onPage(browser, url, body, options) {
  const { page, errors, close } = await openPage(browser, url, options);
  try {
    await body(page);
    assert.deepEqual(errors, [], 'the page reported errors');
  } finally {
    await close();
  }
}

/** Waits until the run on `page` (or frame) has simulated up to minute `t`. */
export function reached(page, t, timeout = 30_000) {
  return page.waitForFunction((m) => window.loginstorm?.state().now === m, t, { timeout });
}

/**
 * For a test file: serves `dir` (after `prepare`, if given) and launches the browser before the
 * tests, and stops both after. Returns {server, browser} filled in once the tests run.
 */
export function useSite(dir, { prepare, prepareTimeoutMs = 30_000 } = {}) {
  const site = { server: null, browser: null };
  before(async () => {
    if (prepare) await prepare();
    site.server = await startServer(dir);
    site.browser = await launchBrowser();
  }, { timeout: prepareTimeoutMs });
  after(async () => {
    await site.browser?.close();
    await site.server?.stop();
  });
  return site;
}
