// The engine in its Web Worker: a panic inside it never leaves a frozen canvas (the page says
// what happened and a new worker starts), and the page stays in charge while the worker works.
// Runs on target/panic-site (scripts/build-panic-site.sh): www/ with an engine that can panic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { repoRoot, useSite, onPage, reached, canvasStats } from './harness.mjs';

const site = useSite(path.join(repoRoot, 'target', 'panic-site'));
const state = (page) => page.evaluate(() => window.loginstorm.state());

test('a panic in the engine shows an error panel; Restart starts a new engine that runs', { timeout: 60_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&t=300`, async (page) => {
    await reached(page, 300);
    assert.equal(await page.locator('#crashed').isVisible(), false, 'no error panel before the panic');
    await page.evaluate(() => window.loginstorm.panic());
    await page.locator('#crashed').waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await page.locator('#crashed-text').textContent(), /a panic forced by a test at minute 300/,
      'the panel gives the panic\'s own message');
    assert.equal((await state(page)).playing, false, 'the page stops playing');

    await page.getByRole('button', { name: 'Restart the simulation' }).click();
    await page.locator('#crashed').waitFor({ state: 'hidden', timeout: 5_000 });
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => window.loginstorm.state().now >= 30, null, { timeout: 20_000 });
    const s = await state(page);
    assert.equal(s.preset, 'aug-2007', 'the same scenario runs again');
    const stats = await canvasStats(page, 'canvas#view');
    assert.ok(stats.distinct >= 2 && stats.otherShare > 0.01, `the new engine draws: ${JSON.stringify(stats)}`);
  });
});

test('while the worker simulates a big run, the page answers: it pauses, and a new scenario replaces the run', { timeout: 90_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&clients=1000000&t=2400`, async (page) => {
    // The jump to minute 2400 at a million clients takes the worker many seconds (the collapse,
    // then the engineers' slow ramp), so the page is caught mid-way.
    await page.locator('#catching-up').waitFor({ state: 'visible', timeout: 10_000 });
    const during = await state(page);
    assert.ok(during.now < 2400, `still on the way (${during.now})`);
    // The page says how far the engine has got, and the figure moves.
    const said = await page.locator('#catching-up').textContent();
    assert.match(said, /^Simulating… .+, on the way to .+/);
    await page.waitForFunction((before) => document.getElementById('catching-up').textContent !== before, said, { timeout: 10_000 });
    // Frames keep coming while the worker works: the main thread is not blocked.
    const frames = await page.evaluate(() => new Promise((resolve) => {
      let n = 0;
      const start = performance.now();
      const tick = () => { n++; if (performance.now() - start < 500) requestAnimationFrame(tick); else resolve(n); };
      requestAnimationFrame(tick);
    }));
    assert.ok(frames >= 10, `animation frames in half a second while the worker works: ${frames}`);
    await page.locator('#presets button[data-preset="calm-day"]').click();
    // The clock runs while the view is on screen (clicking scrolled down to the button).
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForFunction(() => window.loginstorm.state().preset === 'calm-day' && window.loginstorm.state().now > 0,
      null, { timeout: 20_000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    assert.equal((await state(page)).playing, false);
    // Paused, the run holds still (a minute already asked for may still land, then no more).
    await page.waitForTimeout(300);
    const held = (await state(page)).now;
    await page.waitForTimeout(700);
    assert.equal((await state(page)).now, held, 'no time passes while paused');
  });
});
