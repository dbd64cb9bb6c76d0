// The page's frames in headless Chromium, as JSON lines: the real page (engine in its worker)
// playing, jumping and changing a knob at 1M and 9M clients, with the main thread's long tasks and the
// longest the engine's worker kept a request waiting; then www/bench.html's engine calls timed one by one
// at 100k and 1M.
// The stability map's default grid is timed too.
// Usage: node scripts/bench-page.mjs [clients ...]   (make bench-page)
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { repoRoot, startServer, launchBrowser } from '../tests/e2e/harness.mjs';

// The harness unrefs its server so tests can exit; a script must keep itself alive.
const keepAlive = setInterval(() => {}, 1000);
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
// The deployable site (make dist): minified, its wasm optimised.
const site = path.join(repoRoot, 'dist');
const server = await startServer(site);
const browser = await launchBrowser();
try {
  console.log(JSON.stringify(await pageWeight(browser, server.url, site)));
  // Load: navigation to the first frame of the full page, five cold loads.
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${server.url}index.html`);
    await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30_000 });
    loads.push(Number(await page.evaluate(() => document.body.dataset.firstFrameMs)));
    await context.close();
  }
  console.log(JSON.stringify({ bench: 'load', first_frame_ms: loads }));
  console.log(JSON.stringify(await mapBench(browser, server.url)));
  for (const clients of sizes.length ? sizes : [1_000_000, 9_000_000]) {
    for (const line of await pageBench(browser, server.url, clients)) console.log(JSON.stringify(line));
  }
  for (const clients of sizes.length ? sizes : [100_000, 1_000_000]) {
    for (const from of [120, 390, 600]) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${server.url}bench.html?clients=${clients}&from=${from}&frames=240`);
      await page.waitForFunction(() => document.body.dataset.done, null, { timeout: 600_000 });
      console.log(await page.locator('#result').textContent());
      await page.close();
    }
  }
} finally {
  await browser.close();
  await server.stop();
  clearInterval(keepAlive);
}

/**
 * The stability map's default grid (20 x 20, 3 seeds a cell) on "August 2007, nobody steps in"
 * at 20,000 clients: seconds from the click to the last cell, and the main thread's long tasks.
 */
async function mapBench(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${url}index.html?preset=aug-2007-unaided`);
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30_000 });
  await page.locator('#map-section').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.getElementById('map-pick').options.length > 0);
  await page.evaluate(() => {
    window.benchLong = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.benchLong.push(e.duration); }).observe({ type: 'longtask' });
  });
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Draw the map' }).click();
  await page.waitForFunction(() => document.body.dataset.mapDone, null, { timeout: 600_000 });
  const seconds = (Date.now() - t0) / 1000;
  const long = await page.evaluate(() => window.benchLong);
  const runs = Number(await page.evaluate(() => document.body.dataset.mapDone));
  await page.close();
  return { bench: 'stability-map', grid: '20x20', seeds: 3, clients: 20_000, runs, seconds, long_tasks_over_50ms: long.filter((ms) => ms > 50).length };
}

/**
 * The real page at `clients`: for each starting minute, 4 s of play at one simulated minute a
 * frame; then a jump of 300 minutes and a knob change. Main-thread frame intervals and long
 * tasks (PerformanceObserver) for each.
 */
async function pageBench(browser, url, clients) {
  const lines = [];
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(() => {
    window.benchLong = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.benchLong.push(e.duration); })
      .observe({ type: 'longtask', buffered: true });
  });
  const watch = (ms) => page.evaluate((span) => new Promise((resolve) => {
    const intervals = [];
    window.benchLong = [];
    window.loginstorm.slowestReply();
    const t0 = performance.now();
    const from = window.loginstorm.state().now;
    let last = null;
    const tick = (now) => {
      if (last !== null) intervals.push(now - last);
      last = now;
      if (now - t0 < span) requestAnimationFrame(tick);
      else resolve({ intervals, long: window.benchLong, minutes: window.loginstorm.state().now - from, reply: window.loginstorm.slowestReply() });
    };
    requestAnimationFrame(tick);
  }), ms);
  const summarise = (what, r, extra = {}) => {
    const s = [...r.intervals].sort((a, b) => a - b);
    const q = (p) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 10) / 10;
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    return {
      bench: 'page', what, clients, ...extra, fps: Math.round(1000 / mean), frame_p95_ms: q(0.95), frame_max_ms: q(1),
      long_tasks: r.long.length, longest_task_ms: Math.round(Math.max(0, ...r.long)), sim_minutes: r.minutes,
      slowest_engine_reply_ms: Math.round(r.reply),
    };
  };
  for (const from of [390, 600]) {
    const t0 = Date.now();
    await page.goto(`${url}index.html?preset=aug-2007&clients=${clients}&t=${from}&speed=60&slow=off`);
    await page.waitForFunction((m) => window.loginstorm?.state().now === m, from, { timeout: 900_000, polling: 250 });
    const reachMs = Date.now() - t0;
    const catchUp = await page.evaluate(() => ({
      long: window.benchLong.length, longest: Math.round(Math.max(0, ...window.benchLong)), reply: Math.round(window.loginstorm.slowestReply()),
    }));
    lines.push({
      bench: 'page', what: `reach ${from}`, clients, ms: reachMs, long_tasks: catchUp.long, longest_task_ms: catchUp.longest,
      slowest_engine_reply_ms: catchUp.reply,
    });
    await page.getByRole('button', { name: 'Play' }).click();
    lines.push(summarise(`play from ${from}`, await watch(4000)));
  }
  await page.getByRole('button', { name: 'Pause' }).click();
  const jump = watch(3000);
  await page.evaluate(() => { const s = document.getElementById('scrub'); s.value = String(Number(s.value) + 300); s.dispatchEvent(new Event('input')); });
  lines.push(summarise('jump 300 min', await jump));
  const knob = watch(3000);
  await page.getByRole('radio', { name: /^The fix/ }).check();
  lines.push(summarise('knob change', await knob));
  await page.close();
  return lines;
}

/**
 * What a cold load of index.html fetches, in bytes as served and gzipped: until the page is
 * ready, and in all once the charts (loaded after the first picture) are in too.
 */
async function pageWeight(browser, url, dir) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const files = new Set();
  page.on('request', (r) => { if (r.url().startsWith(url)) files.add(new URL(r.url()).pathname); });
  await page.goto(`${url}index.html`);
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  const first = await weigh([...files], dir);
  await page.evaluate(() => window.loginstorm.charts());
  await page.waitForLoadState('networkidle');
  await context.close();
  const all = await weigh([...files], dir);
  return {
    bench: 'weight', files: all.files, bytes: all.bytes, gzipped: all.gzipped, gzipped_kib: Math.round(all.gzipped / 102.4) / 10,
    before_charts_gzipped: first.gzipped,
  };
}

async function weigh(files, dir) {
  let bytes = 0;
  let gzipped = 0;
  for (const f of files) {
    const data = await readFile(path.join(dir, f === '/' ? 'index.html' : f)).catch(() => null);
    if (!data) continue;
    bytes += data.length;
    gzipped += gzipSync(data, { level: 9 }).length;
  }
  return { files: files.length, bytes, gzipped };
}
