// The site in www/ loads, draws its first frame and reports no errors,
// on a desktop and on a phone-sized screen.
import { test } from 'node:test';
import path from 'node:path';
import assert from 'node:assert/strict';
import { repoRoot, useSite, checkPage, saveScreenshot } from './harness.mjs';

const site = useSite(path.join(repoRoot, 'www'));

test('desktop 1280x800 draws the view without errors', { timeout: 60_000 }, async () => {
  await checkPage(site.browser, `${site.server.url}index.html`, { width: 1280, height: 800, name: 'desktop' });
});

test('phone 360x740 @2x draws the view without errors', { timeout: 60_000 }, async () => {
  await checkPage(site.browser, `${site.server.url}index.html`,
    { width: 360, height: 740, deviceScaleFactor: 2, name: 'phone' });
});

test('dark colour scheme: the view is painted on a dark background', { timeout: 60_000 }, async () => {
  const context = await site.browser.newContext({ viewport: { width: 800, height: 700 }, colorScheme: 'dark' });
  try {
    const page = await context.newPage();
    await page.goto(`${site.server.url}index.html?preset=calm-day`);
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    const corner = await page.evaluate(() => {
      const c = document.getElementById('view');
      const scratch = document.createElement('canvas');
      scratch.width = c.width;
      scratch.height = c.height;
      const ctx = scratch.getContext('2d');
      ctx.drawImage(c, 0, 0);
      // The darkest pixel of the top rows is the background between the dots.
      const px = ctx.getImageData(0, 0, c.width, 4).data;
      let min = 255 * 3;
      for (let i = 0; i < px.length; i += 4) min = Math.min(min, px[i] + px[i + 1] + px[i + 2]);
      return { min, page: getComputedStyle(document.body).backgroundColor };
    });
    assert.ok(corner.min < 100, `a dark background behind the dots: ${JSON.stringify(corner)}`);
    assert.equal(corner.page, 'rgb(17, 20, 24)', 'the page follows prefers-color-scheme');
    await saveScreenshot(page, 'dark');
  } finally {
    await context.close();
  }
});
