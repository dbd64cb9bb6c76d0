// The site in www/ loads, draws its first frame and reports no errors,
// on a desktop and on a phone-sized screen.
import { test } from 'node:test';
import path from 'node:path';
import assert from 'node:assert/strict';
import { repoRoot, useSite, checkPage, saveScreenshot, openPage, reached } from './harness.mjs';

const site = useSite(path.join(repoRoot, 'www'));

test('desktop 1280x800 draws the view without errors', { timeout: 60_000 }, async () => {
  await checkPage(site.browser, `${site.server.url}index.html`, { width: 1280, height: 800, name: 'desktop' });
});

test('phone 360x740 @2x draws the view without errors', { timeout: 60_000 }, async () => {
  await checkPage(site.browser, `${site.server.url}index.html`,
    { width: 360, height: 740, deviceScaleFactor: 2, name: 'phone' });
});

/** The legend's colour for a state, and the canvas's most common colour that is not the background. */
function colours(page) {
  return page.evaluate(() => {
    const legend = getComputedStyle(document.querySelector('.dot.online')).backgroundColor;
    const c = document.getElementById('view');
    const scratch = document.createElement('canvas');
    scratch.width = c.width;
    scratch.height = c.height;
    const ctx = scratch.getContext('2d');
    ctx.drawImage(c, 0, 0);
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    const counts = new Map();
    for (let i = 0; i < px.length; i += 4) {
      const key = `rgb(${px[i]}, ${px[i + 1]}, ${px[i + 2]})`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // A calm network: online dots on the background, the two most common colours.
    const [first, second] = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([key]) => key);
    const page = getComputedStyle(document.body).backgroundColor;
    return { legend, page, canvas: [first, second].sort() };
  });
}

test('the legend, the canvas and the page share the engine\'s palette, light and dark', { timeout: 60_000 }, async () => {
  for (const [scheme, online, background] of [['light', 'rgb(0, 114, 178)', 'rgb(255, 255, 255)'], ['dark', 'rgb(86, 180, 233)', 'rgb(17, 20, 24)']]) {
    const context = await site.browser.newContext({ viewport: { width: 800, height: 700 }, colorScheme: scheme });
    try {
      const page = await context.newPage();
      await page.goto(`${site.server.url}index.html?preset=calm-day`);
      await page.waitForFunction(() => document.body.dataset.ready === '1');
      const seen = await colours(page);
      assert.deepEqual(seen, { legend: online, page: background, canvas: [online, background].sort() },
        `${scheme}: the legend's online key, the page, and a calm network's dots on their background`);
      await saveScreenshot(page, scheme);
    } finally {
      await context.close();
    }
  }
});

test('on wide and phone screens the picture keeps its size while the run plays: the engine repaints for the run, not for a layout loop', { timeout: 90_000 }, async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }, { width: 360, height: 740 }]) {
    const context = await site.browser.newContext({ viewport });
    try {
      const page = await context.newPage();
      // Every size the page sends the engine's worker (each one a new picture to paint there).
      await page.addInitScript(() => {
        window.sizesSent = [];
        const post = Worker.prototype.postMessage;
        Worker.prototype.postMessage = function send(m, ...rest) {
          if (m?.type === 'resize') window.sizesSent.push(`${m.w}x${m.h}`);
          return post.call(this, m, ...rest);
        };
      });
      await page.goto(`${site.server.url}index.html?preset=aug-2007&t=350`);
      await page.waitForFunction(() => window.loginstorm?.state().now === 350, null, { timeout: 30_000 });
      await page.evaluate(() => new Promise((resolve) => { setTimeout(resolve, 500); }));
      const before = await page.evaluate(() => window.sizesSent.length);
      await page.getByRole('button', { name: 'Play' }).click();
      // Three seconds through the update's landing: captions, notes and the status change.
      const seen = await page.evaluate(() => new Promise((resolve) => {
        const sizes = new Set();
        const t0 = performance.now();
        const look = (now) => {
          const c = document.getElementById('view');
          sizes.add(`${c.width}x${c.height}`);
          if (now - t0 < 3000) requestAnimationFrame(look); else resolve([...sizes]);
        };
        requestAnimationFrame(look);
      }));
      const sent = await page.evaluate((n) => window.sizesSent.slice(n), before);
      const now = (await page.evaluate(() => window.loginstorm.state())).now;
      assert.ok(now > 360, `${viewport.width}px: the run played past the update (${now})`);
      assert.ok(seen.length <= 2, `${viewport.width}px: the canvas kept its size (at most one change as a note appears): ${seen.join(', ')}`);
      assert.ok(sent.length <= 1, `${viewport.width}px: at most one new size sent to the engine while playing: ${sent.join(', ')}`);
    } finally {
      await context.close();
    }
  }
});

/** The engine's picture on `page` (the network's 2d canvas; the particles are on another), as a PNG. */
function picture(page) {
  return page.evaluate(() => {
    const c = document.getElementById('view');
    return `${c.width}x${c.height}:${c.toDataURL()}`;
  });
}

test('after a jump the picture is the minute arrived at, not one passed on the way', { timeout: 90_000 }, async () => {
  const opened = async (t) => {
    const opening = await openPage(site.browser, `${site.server.url}index.html?preset=aug-2007&t=${t}`);
    await reached(opening.page, t);
    return opening;
  };
  // The picture of minute `t` is on screen a frame after the run arrives (the worker's answer).
  const settled = async (page, t) => {
    await page.waitForFunction((m) => window.loginstorm.state().picture === m, t);
    return picture(page);
  };
  const direct = await opened(380);
  const before = await opened(379);
  const jumped = await opened(300);
  try {
    // In the wave, where each minute moves many clients: the minute before looks different.
    const want = await settled(direct.page, 380);
    assert.notEqual(await settled(before.page, 379), want, 'minute 379 and minute 380 are told apart');
    await jumped.page.evaluate(() => {
      const s = document.getElementById('scrub');
      s.value = '380';
      s.dispatchEvent(new Event('input'));
    });
    await reached(jumped.page, 380);
    assert.equal(await settled(jumped.page, 380), want, 'jumping from 300 to 380 shows what opening at 380 shows');
  } finally {
    await Promise.all([direct.close(), before.close(), jumped.close()]);
  }
});
