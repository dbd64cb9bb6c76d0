// The guided tour as a reader takes it: every step shows what its text describes (the run stops
// on that moment, in the phase the text names), with the animation and the step's text both on
// screen, on a laptop and on a phone; Back and the URL follow the steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { repoRoot, useSite, onPage, reached } from './harness.mjs';
import { STEPS } from '../../www/js/tour.js';

const site = useSite(path.join(repoRoot, 'www'));

/** Each step as the reader sees it (the viewport), to look at. */
const shots = path.join(repoRoot, 'target', 'screenshots');
await mkdir(shots, { recursive: true });

const state = (page) => page.evaluate(() => window.loginstorm.state());

/** How much of the element `selector` lies inside the viewport, from 0 to 1. */
function shareInView(page, selector) {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    const h = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
    const w = Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0));
    return (h * w) / (r.height * r.width);
  }, selector);
}

for (const [width, height, name] of [[1280, 800, 'laptop'], [360, 740, 'phone'], [1920, 1080, 'projector']]) {
  test(`every tour step stops where its text is, in view beside the animation (${width}x${height})`, { timeout: 120_000 }, async () => {
    // At the reader's own speed: the reading pace at key moments is tested elsewhere.
    await onPage(site.browser, `${site.server.url}index.html?slow=off`, async (page) => {
      assert.equal(await page.locator('#tour').isVisible(), false, 'no tour box before the tour starts');
      for (const [i, step] of STEPS.entries()) {
        await page.getByRole('button', { name: i === 0 ? 'Take the tour' : 'Next' }).click();
        // The tour's code loads on the first click.
        await page.waitForFunction((title) => document.getElementById('tour-title').textContent === title, step.title, { timeout: 10_000 });
        const at = step.until ?? step.t;
        await reached(page, at, 60_000);
        await page.waitForFunction(() => !window.loginstorm.state().playing, null, { timeout: 10_000 });
        const s = await state(page);
        assert.equal(s.now, at, `step ${i + 1} stops on its moment`);
        assert.equal(s.preset, step.preset);
        assert.equal(s.phase, step.shows, `step ${i + 1} ("${step.title}") shows the phase its text describes`);
        assert.equal(await shareInView(page, '#view-wrap'), 1, `step ${i + 1}: the whole animation is on screen`);
        assert.ok(await shareInView(page, '#tour-title') === 1, `step ${i + 1}: and so is the step's title`);
        assert.match(page.url(), new RegExp(`tour=${i + 1}`), 'the step is in the URL');
        if (width >= 900) {
          // Beside the animation, the charts the steps point at come right under the text.
          const charts = await page.locator('#charts-section').boundingBox();
          assert.ok(charts && charts.y < height - 150, `step ${i + 1}: the charts are on screen: ${JSON.stringify(charts)}`);
        }
        await page.screenshot({ path: path.join(shots, `tour-${name}-${i + 1}.png`) });
      }
      // The step that asks the reader to send in the engineers offers the button itself.
      await page.getByRole('button', { name: 'Back', exact: true }).click();
      await page.locator('#tour-action').click();
      await page.waitForFunction(() => window.loginstorm.state().values.mega_at_min === '2400');
      await page.getByRole('button', { name: 'Close the tour' }).click();
      await page.waitForFunction(() => !/tour=/.test(location.search), null, { timeout: 5_000 });
      assert.equal(await page.locator('#tour').isVisible(), false, 'no tour box once the tour is closed');
    }, { width, height });
  });
}

test('a tour step jumping far ahead never loses its moment while it catches up', { timeout: 60_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?tour=4&preset=aug-2007`, async (page) => {
    await page.getByRole('button', { name: 'Next' }).click();
    const step = STEPS[4];
    await page.waitForFunction((t) => {
      const s = window.loginstorm.state();
      if (s.target < t) throw new Error(`the jump was lost: aiming at ${s.target}`);
      return s.now >= t;
    }, step.t, { timeout: 20_000, polling: 'raf' });
  });
});
