// The explorable page as a reader uses it: the August 2007 collapse in the charts and the
// caption, the fix that saves it, the engineers, the URL that carries the state, the scrubber,
// bad URL input, the CSV export and the embed inside another site's page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { repoRoot, useSite, startServer, onPage, openHost, reached, saveScreenshot, canvasStats } from './harness.mjs';

const site = useSite(path.join(repoRoot, 'www'));

const state = (page) => page.evaluate(() => window.loginstorm.state());
const charts = (page) => page.evaluate(() => window.loginstorm.charts());
const caption = (page) => page.evaluate(() => window.loginstorm.caption());
/** Online users as a share of normal: the lowest, and the last, from the chart data. */
function onlineShares(data) {
  const shares = data.online.map((v) => v / data.normal);
  return { min: Math.min(...shares), last: shares.at(-1) };
}

test('aug-2007 collapses; the fix from the start saves it; the URL carries the state', { timeout: 120_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&t=1800`, async (page) => {
    await reached(page, 1800);
    const flawed = await charts(page);
    assert.equal(flawed.t.length, 1800, 'one chart point a simulated minute');
    const f = onlineShares(flawed);
    assert.ok(f.min < 0.1, `online falls below 10% of normal: ${f.min}`);
    assert.ok(f.last < 0.5, `and is still below half 18 h after the update: ${f.last}`);
    assert.ok(flawed.phase.includes('collapsed'), 'the charts show a collapsed phase');
    assert.match(await caption(page), /^Collapse:.*metastable/s, 'the caption says it has collapsed and why it lasts');
    // On the page the why folds away under the caption, which stays short.
    assert.doesNotMatch(await page.locator('#caption').textContent(), /Why:/);
    await page.locator('#why summary').click();
    assert.match(await page.locator('#why-text').textContent(), /^A supernode flooded with logins switches itself off/);
    await saveScreenshot(page, 'collapse');
  });
  // The fix from the first minute (a link that sets it).
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&strategy=fixed&t=1800`, async (page) => {
    await reached(page, 1800);
    const fixed = onlineShares(await charts(page));
    assert.ok(fixed.min > 0.4, `the fixed network's lowest point stays above 40%: ${fixed.min}`);
    assert.ok(fixed.last > 0.95, `and it is back above 95%: ${fixed.last}`);
    assert.match(await caption(page), /^Recovered:/, 'the caption says it recovered');
    assert.equal(await page.locator('#knob-retry').inputValue(), 'exponential-jitter', 'the switches show the bundle');
    assert.ok(await page.getByRole('radio', { name: /^The fix/ }).isChecked(), 'the control shows the state');
    const url = page.url();
    assert.match(url, /strategy=fixed/);
    assert.match(url, /t=1800/);
    await onPage(site.browser, url, async (again) => {
      await reached(again, 1800);
      assert.deepEqual((await state(again)).values, (await state(page)).values, 'every knob round-trips through the URL');
      assert.deepEqual(await charts(again), await charts(page), 'the same run, minute by minute');
    });
  });
});

/** Plays `page` to minute `t` by the scrubber and returns its charts. */
async function chartsAt(page, t) {
  await page.locator('#scrub').fill(String(t));
  await reached(page, t);
  return charts(page);
}

test('change it now: the fix pushed at 06:20 forks the run, keeps its past, draws the run before, and a link replays it', { timeout: 120_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&t=380`, async (page) => {
    await reached(page, 380);
    await page.getByRole('radio', { name: /^The fix/ }).check();
    await page.waitForFunction(() => /^380:/.test(window.loginstorm.state().settings.live_changes ?? ''));
    assert.equal((await state(page)).now, 380, 'no rewind: the run goes on from the moment of the change');
    assert.match(await page.locator('#change-text').textContent(), /^Your change applies from Thu 06:20, the past as it was/);
    assert.equal(await page.locator('#knob-overload').inputValue(), 'admission-control', 'the switches show what the network runs now');
    const forked = await chartsAt(page, 1800);
    // The run before is computed to its end in the background, and drawn from the change on.
    await page.waitForFunction(() => window.loginstorm.ghost()?.minutes === 5760, null, { timeout: 60_000 });
    const withGhost = await charts(page);
    assert.equal(withGhost.ghost.from, 380);
    await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&t=1800`, async (p) => {
      await reached(p, 1800);
      const c = await charts(p);
      assert.deepEqual(forked.online.slice(0, 380), c.online.slice(0, 380), 'minutes before the change are the run without it');
      assert.notDeepEqual(forked.online.slice(380), c.online.slice(380), 'and the minutes after differ');
      assert.deepEqual(withGhost.ghost.online.slice(0, 1800), c.online, 'the faint line is the run without the change');
    });
    const after = onlineShares(forked);
    assert.ok(after.last > 0.95, `pushed at 06:20, the fix brings the network back: ${after.last}`);
    assert.match(page.url(), /live_changes=380/);
    // A link replays the fork (the past, the change, the future), minute by minute.
    await onPage(site.browser, page.url(), async (again) => {
      await reached(again, 1800);
      assert.deepEqual((await charts(again)).online, forked.online);
      assert.ok(await again.getByRole('radio', { name: /^The fix/ }).isChecked(), 'the control shows the switches in force');
    });
    await page.getByRole('button', { name: 'Clear the faint line' }).click();
    assert.equal((await charts(page)).ghost, null);
    assert.ok(await page.locator('#change-note').isHidden());
  });
});

test('change it now: once every supernode is gone the page says a switch is too late; the update timing after it landed restarts and says so', { timeout: 120_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007-unaided&t=1800`, async (page) => {
    await reached(page, 1800);
    await page.locator('#knob-overload').selectOption('shed');
    await page.waitForFunction(() => /^1800:overload=shed$/.test(window.loginstorm.state().settings.live_changes ?? ''));
    assert.match(await page.locator('#change-text').textContent(), /^Too late: by Fri 06:00 every supernode is gone .*only the engineers can\./);
    const late = onlineShares(await chartsAt(page, 2400));
    assert.ok(late.last < 0.1, `and indeed the network stays down: ${late.last}`);
    // Moving the update after it landed changes the past: a new run, from the beginning.
    await page.locator('#knob-patch_at_min').evaluate((e) => {
      e.value = String(Number(e.value) + 5);
      e.dispatchEvent(new Event('input', { bubbles: true }));
      e.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.waitForFunction(() => window.loginstorm.state().values.patch_at_min !== '360');
    assert.match(await page.locator('#change-text').textContent(), /^The update had already landed \(Thu 06:00\): the run restarted from the beginning/);
    assert.equal((await charts(page)).ghost.from, 0, 'the whole run before is the faint line');
  });
});

test('the engineers end the collapse, over hours', { timeout: 120_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007-unaided&t=2400`, async (page) => {
    await reached(page, 2400);
    assert.ok(onlineShares(await charts(page)).last < 0.1, 'still collapsed 33 h after the update');
    await page.getByRole('button', { name: 'Send in the engineers' }).click();
    await page.waitForFunction(() => /mega_at_min=2400/.test(location.search), null, { timeout: 10_000 });
    await reached(page, 2400);
    await page.locator('#scrub').fill(String(2400 + 60));
    await reached(page, 2400 + 60);
    assert.ok(onlineShares(await charts(page)).last < 0.5, 'an hour in, the mega-supernodes are still coming up');
    assert.match(await caption(page), /Engineers (have brought up [\d,]+ of the|are bringing up) [\d,]+ mega-supernodes/);
    await page.locator('#scrub').fill(String(2400 + 24 * 60));
    await reached(page, 2400 + 24 * 60);
    const shares = onlineShares(await charts(page));
    assert.ok(shares.last > 0.95, `back above 95% a day later: ${shares.last}`);
    const events = await page.locator('#events li').allTextContents();
    assert.ok(events.some((e) => /mega-supernodes/.test(e)), `the intervention is in the event list: ${events}`);
    // The intervention is part of the state: a new tab with the link shows the same recovery.
    await onPage(site.browser, page.url(), async (again) => {
      await reached(again, 2400 + 24 * 60);
      // The faint line of the run before is the reader's own, not the link's.
      const { ghost, ...here } = await charts(page);
      assert.equal(ghost.from, 2400, 'the run before the engineers is the faint line from then on');
      assert.deepEqual({ ...await charts(again), ghost: undefined }, { ...here, ghost: undefined }, 'the same rescued run from the link');
    });
  });
});

test('the scrubber rewinds (the charts keep the run known beyond, veiled), and acting in the past discards the future', { timeout: 60_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007-unaided&t=600`, async (page) => {
    await reached(page, 600);
    const scrub = page.locator('#scrub');
    await scrub.focus();
    await page.keyboard.press('Home');
    await reached(page, 0);
    let s = await state(page);
    assert.equal(s.horizon, 600, 'the run up to 600 is still known after rewinding');
    await page.waitForFunction(() => window.loginstorm.charts().then((c) => c.now === 0));
    const rewound = await charts(page);
    assert.ok(rewound.t.length >= 590, `the charts still hold the run known to 600: ${rewound.t.length} minutes`);
    await scrub.fill('500');
    await reached(page, 500);
    await page.getByRole('button', { name: 'Send in the engineers' }).click();
    await page.waitForFunction(() => window.loginstorm.state().values.mega_at_min === '500' && window.loginstorm.state().now >= 500);
    s = await state(page);
    assert.ok(s.horizon < 600, `acting at 300 forgot the old future: known to ${s.horizon}`);
    const acted = await charts(page);
    assert.ok(acted.t.at(-1) < 600, `and so did the charts: to ${acted.t.at(-1)}`);
    assert.equal(s.playing, true, 'and plays, to show the engineers at work');
  });
});

test('bad URL parameters are reported by name and range; the page still runs', { timeout: 60_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&reboot_share=3&clients=lots&bogus=1&t=99999&seed=42&speed=fast`, async (page) => {
    const problems = await page.locator('#problems').textContent();
    const box = await page.locator('#problems').boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 800, `the problems are on the first screen: ${JSON.stringify(box)}`);
    assert.match(problems, /speed: 'fast' is not a number; the allowed range is 1 to 2000/);
    assert.match(problems, /reboot_share: .*0 to 1/);
    assert.match(problems, /clients: .*100 to 9000000/);
    assert.match(problems, /bogus: unknown setting/);
    assert.match(problems, /t: '99999' is outside the allowed range 0 to 5760/);
    const s = await state(page);
    assert.equal(s.preset, 'aug-2007', 'the good parameters still apply');
    assert.equal(s.values.seed, '42');
    assert.equal(s.values.reboot_share, '0.7', 'the bad ones are dropped');
    // A minute within the range but not whole is told so, not called out of range.
    await onPage(site.browser, `${site.server.url}index.html?t=3.5`, async (frac) => {
      assert.match(await frac.locator('#problems').textContent(), /t: '3.5' is not a whole number; the allowed range is 0 to /);
    });
    // Knobs tied by a rule go in as a pair, whatever their order in the URL.
    await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&retry_base_min=60&retry_cap_min=120`, async (pair) => {
      const v = (await state(pair)).values;
      assert.deepEqual([v.retry_base_min, v.retry_cap_min], ['60', '120']);
      assert.equal(await pair.locator('#problems').isHidden(), true, 'and nothing is reported');
    });
    await page.waitForFunction(() => window.loginstorm.state().now > 5, null, { timeout: 10_000 });
  });
});

test('a bad value typed in a control is refused with a message; the run goes on', { timeout: 60_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=calm-day`, async (page) => {
    await page.locator('details.advanced summary').click();
    await page.locator('#knob-seed').fill('-5');
    await page.locator('#knob-seed').press('Enter');
    await page.locator('#knob-seed').blur();
    await page.waitForFunction(() => !document.getElementById('knob-seed-error').hidden);
    assert.match(await page.locator('#knob-seed-error').textContent(), /^seed: .*0 to/);
    assert.equal((await state(page)).values.seed, '2007', 'the run keeps its seed');
  });
});

test('CSV export: the CLI\'s columns with the time and real-world counts beside them, for the whole run', { timeout: 90_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&t=120&strategy=fixed`, async (page) => {
    await reached(page, 120);
    // Back to minute 110: the export is the whole run all the same.
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => window.loginstorm.state().now === 110);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    assert.equal(download.suggestedFilename(), 'loginstorm_aug-2007_strategy-fixed.csv', 'the name says the scenario and the settings');
    const text = await readFile(await download.path(), 'utf8');
    const lines = text.trim().split('\n');
    const header = lines[0].split(',');
    assert.deepEqual(header.slice(0, 10), ['t_min', 'online', 'rebooting', 'waiting', 'logging_in', 'supernodes', 'sn_capacity_used', 'login_attempts', 'login_successes', 'phase'], 'the CLI\'s columns first');
    const col = (name) => header.indexOf(name);
    const row = lines[101].split(',');
    // Real-world counts: the calm hours before the update have about 6 million users online.
    const online = Number(row[col('online_users')]);
    assert.ok(online > 5.5e6 && online < 6.5e6, `real users online: ${online}`);
    assert.equal(row[col('time_utc')], '2007-08-16T01:40Z');
    assert.equal(lines.length, 1 + 96 * 60, 'header and every minute of the run, computed for the export');
    await page.waitForFunction(() => window.loginstorm.state().now === 110, null, { timeout: 30_000 });
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PNG' }).click()]);
    assert.equal(png.suggestedFilename(), 'loginstorm_aug-2007_strategy-fixed_t110.png');
    const bytes = await readFile(await png.path());
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG', 'a PNG file');
    // The charts in it are drawn, even when the PNG is what loaded them: their three lines (the
    // 'online', supernode and 'waiting' colours) show below the picture of the network and its
    // legend. A blank chart has none of those colours.
    const drawn = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      [c.width, c.height] = [img.width, img.height];
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const top = Math.floor(img.height * 0.4);
      const px = ctx.getImageData(0, top, img.width, img.height - top).data;
      const rgb = (css) => css.match(/\d+/g).slice(0, 3).map(Number);
      const style = (sel) => getComputedStyle(document.querySelector(sel));
      const inks = [rgb(style('.dot.online').backgroundColor), rgb(style('.dot.supernode').borderTopColor), rgb(style('.dot.waiting').borderTopColor)];
      let n = 0;
      for (let i = 0; i < px.length; i += 4) {
        if (inks.some(([r, g, b]) => Math.abs(px[i] - r) + Math.abs(px[i + 1] - g) + Math.abs(px[i + 2] - b) < 40)) n++;
      }
      return n;
    }, bytes.toString('base64'));
    assert.ok(drawn > 20, `the charts' lines are in the PNG: ${drawn} pixels`);
  });
});

test('reduced motion: the page opens paused, waiting for the reader', { timeout: 60_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007`, async (page) => {
    assert.equal((await state(page)).playing, false, 'nothing moves until the reader asks');
    assert.equal(await page.locator('#play').textContent(), 'Play');
  }, { reducedMotion: 'reduce' });
});

test('the embed works inside an iframe of another site', { timeout: 60_000 }, async () => {
  // A second server on another port: another origin, like an article embedding us.
  const other = await startServer(path.join(repoRoot, 'tests', 'e2e', 'fixtures'));
  const { page, errors, close } = await openHost(site.browser, `${other.url}article.html?embed=${encodeURIComponent(`${site.server.url}embed.html?preset=aug-2007&t=600`)}`, { width: 900, height: 900 });
  try {
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    await frame.waitForFunction(() => document.body?.dataset.ready === '1', null, { timeout: 15_000 });
    await reached(frame, 600);
    const stats = await canvasStats(frame, 'canvas#view');
    assert.ok(stats.distinct >= 2 && stats.otherShare > 0.01, `the embedded view draws: ${JSON.stringify(stats)}`);
    assert.match(await frame.locator('#caption').textContent(), /^Collapse:/);
    const full = await frame.locator('#open-full').getAttribute('href');
    assert.match(full, /^index\.html\?preset=aug-2007.*t=600/, 'the link out carries the state');
    assert.equal(await frame.locator('#charts').isVisible(), false, 'the picture alone by default (view=stage): no chart');
    await saveScreenshot(page, 'embed');
    assert.deepEqual(errors, []);
  } finally {
    await close();
    await other.stop();
  }
});

test('keyboard alone reaches and operates every control', { timeout: 120_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&t=400`, async (page) => {
    const reachedIds = new Set();
    // Tab round the page; open each closed <details> on the way, as a keyboard user would.
    for (let i = 0; i < 400; i++) {
      await page.keyboard.press('Tab');
      const el = await page.evaluate(() => {
        const a = document.activeElement;
        if (!a || a === document.body) return null;
        if (!a.dataset.kbId) a.dataset.kbId = String(Math.random());
        return { id: a.dataset.kbId, tag: a.tagName, closed: a.tagName === 'SUMMARY' && !a.parentElement.open };
      });
      if (!el) continue;
      if (el.closed) await page.keyboard.press('Enter');
      reachedIds.add(el.id);
    }
    const missed = await page.evaluate((seen) => {
      const all = [...document.querySelectorAll('button, input, select, textarea, summary, a[href]')]
        .filter((e) => !e.disabled && e.offsetParent !== null && getComputedStyle(e).visibility !== 'hidden' && !e.closest('dialog, [hidden]'));
      // A radio group is one Tab stop (arrow keys move within it): reaching one reaches the group.
      const groupsSeen = new Set(all.filter((e) => e.type === 'radio' && seen.includes(e.dataset.kbId)).map((e) => e.name));
      return all.filter((e) => !seen.includes(e.dataset.kbId) && !(e.type === 'radio' && groupsSeen.has(e.name)))
        .map((e) => e.id || e.name || e.textContent.trim());
    }, [...reachedIds]);
    assert.deepEqual(missed, [], 'controls Tab never reached');

    // Operate: Space plays and pauses, the arrow keys step.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    const before = (await state(page)).playing;
    await page.keyboard.press('Space');
    assert.equal((await state(page)).playing, !before, 'Space toggles play');
    await page.keyboard.press('Space');
    const t = (await state(page)).now;
    await page.keyboard.press('ArrowRight');
    await reached(page, t + 1);
    await page.locator('#knob-retry').focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => window.loginstorm.state().shown.retry === 'exponential');
    // Space plays and pauses from the time slider too; an arrow moves the speed a visible step.
    await page.locator('#scrub').focus();
    const was = (await state(page)).playing;
    await page.keyboard.press('Space');
    assert.equal((await state(page)).playing, !was, 'Space toggles play from the time slider');
    await page.locator('#speed').focus();
    assert.match(await page.locator('#speed-out').textContent(), /^60 min\/s/);
    await page.keyboard.press('ArrowRight');
    assert.match(await page.locator('#speed-out').textContent(), /^120 min\/s/, 'one press: 60 to 120');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.match(await page.locator('#speed-out').textContent(), /^30 min\/s/, 'two presses back: 30');
  });
});

for (const [width, height] of [[1280, 800], [360, 740]]) {
  test(`the run goes on while the reader reads the charts, the animation in view (${width}x${height})`, { timeout: 60_000 }, async () => {
    await onPage(site.browser, `${site.server.url}index.html`, async (page) => {
      await page.locator('#charts-h').scrollIntoViewIfNeeded();
      await page.evaluate(() => document.getElementById('charts-h').scrollIntoView());
      const from = (await state(page)).now;
      await page.waitForFunction((t) => window.loginstorm.state().now > t + 30, from, { timeout: 10_000 });
      assert.equal(await page.locator('#play').textContent(), 'Pause', 'and the button says it is playing');
      const view = await page.locator('#view-wrap').boundingBox();
      assert.ok(view.y >= 0 && view.y + view.height <= height, `the animation stays on screen: ${JSON.stringify(view)}`);
    }, { width, height });
  });
}

test('one control for the restart window; following the night says what it does', { timeout: 60_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&t=100`, async (page) => {
    assert.equal(await page.locator('#knob-reboot_window_min').count(), 0, 'no second slider for the window');
    assert.equal(await page.locator('#knob-follow_night').count(), 0, 'nor for following the night');
    assert.equal(await page.locator('#window-out').textContent(), 'within an hour');
    await page.getByLabel(/Follow the night/).check();
    await page.waitForFunction(() => window.loginstorm.state().values.follow_night === 'true');
    assert.equal(await page.locator('#window-out').textContent(), 'within an hour in each time zone, one zone an hour');
    // The scenario's own text no longer describes this run: the page says so.
    assert.match(await page.locator('#preset-description').textContent(), /You changed “Follow the night”: this run follows your settings/);
    assert.equal(await page.locator('#presets button[data-preset=aug-2007]').getAttribute('aria-pressed'), 'false');
    await page.locator('#window').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => window.loginstorm.state().values.reboot_window_min === '90');
    assert.match(page.url(), /reboot_window_min=90/);
    assert.match(page.url(), /follow_night=true/);
  });
});

test('the update button keeps the strategy and timing the reader was looking at', { timeout: 60_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=staggered-updates`, async (page) => {
    await page.getByRole('radio', { name: /^The fix/ }).check();
    await page.waitForFunction(() => window.loginstorm.state().shown.retry === 'exponential-jitter');
    // The engineers have nothing to fix on a working network: they say so, and change nothing.
    await page.getByRole('button', { name: 'Send in the engineers' }).click();
    assert.match(await page.locator('#action-note').textContent(), /nothing to fix/);
    assert.equal((await state(page)).values.mega_at_min, 'none');
    const before = (await state(page)).now;
    await page.getByRole('button', { name: 'Apply the Patch Tuesday update' }).click();
    // The new run is set up at once; on a loaded machine the click itself may land a frame later.
    await page.waitForFunction(() => window.loginstorm.state().preset === 'aug-2007', null, { timeout: 10_000 });
    const s = await state(page);
    assert.equal(s.values.reboot_window_min, '720', "the scenario's staggered window carried over");
    assert.equal(s.values.retry, 'exponential-jitter', 'and the fixed strategy');
    assert.ok(await page.getByRole('radio', { name: /^The fix/ }).isChecked());
    // It lands now: a minute after the moment of the click, and the run goes on from there.
    const at = Number(s.values.patch_at_min);
    assert.ok(at > before && at <= before + 30, `the update lands at ${at}, just after the click at ${before}`);
    assert.ok(s.target >= before, `no rewind: ${s.target} from ${before}`);
    // Once it has landed, the button offers to watch it again, and does.
    await page.getByRole('button', { name: 'Watch the update land again' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Watch the update land again' }).click();
    await page.waitForFunction((t) => window.loginstorm.state().target <= t, at, { timeout: 10_000 });
  });
});

test('the historical presets show the record beside the model; a scenario of our own does not', { timeout: 60_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=dec-2010-mega&t=600`, async (page) => {
    await reached(page, 600);
    const items = await page.locator('#record li').allTextContents();
    assert.equal(items.length, 5, `the post-mortem's milestones: ${items}`);
    assert.match(items[1], /^Thu, 23 Dec 2010, 12:00 UTC: 5 million online at 07:00 EST/);
    assert.equal((await charts(page)).record, 5, 'drawn on the users chart');
    await page.getByRole('button', { name: 'Staggered updates' }).click();
    await page.waitForFunction(() => window.loginstorm.state().preset === 'staggered-updates');
    assert.equal(await page.locator('#record-box').isHidden(), true, 'no record for a scenario of our own');
  });
});

test('the page slows to a reading pace at a key moment, says so, and the reader can keep their speed', { timeout: 90_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&t=340`, async (page) => {
    await reached(page, 340);
    await page.getByRole('button', { name: 'Play' }).click();
    // The update lands at 360: a key moment.
    await page.waitForFunction(() => window.loginstorm.state().slowed, null, { timeout: 30_000 });
    assert.equal(await page.locator('#slowed').isVisible(), true, 'the page says it slowed down');
    await page.getByRole('button', { name: 'Keep my speed' }).click();
    const s = await state(page);
    assert.equal(s.autoSlow, false);
    assert.equal(s.slowed, false, 'back to the reader\'s speed at once');
    assert.equal(await page.locator('#auto-slow').isChecked(), false, 'the switch shows it');
    await page.waitForFunction(() => /slow=off/.test(location.search), null, { timeout: 5_000 });
  });
});

test('the charts explain themselves: a key for the bands, the legend at the current moment, a click seeks', { timeout: 60_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&t=600`, async (page) => {
    await reached(page, 600);
    await charts(page);
    const key = await page.locator('#chart-key').textContent();
    for (const words of ['collapsed', 'recovering']) assert.match(key, new RegExp(words), `the key names the band for ${words}`);
    // Not hovered: the legend gives the values at the moment shown.
    const legend = page.locator('.u-legend').first();
    // (The latest sample is of minute 599, the one that ends at 10:00.)
    await page.waitForFunction(() => /09:59/.test(document.querySelector('.u-legend .u-value')?.textContent ?? ''));
    assert.doesNotMatch(await legend.textContent(), /online:\s*–/, 'a value, not a dash');
    const over = page.locator('.u-over').first();
    await over.scrollIntoViewIfNeeded();
    const box = await over.boundingBox();
    await page.mouse.click(box.x + box.width / 4, box.y + box.height / 2);
    const s = await state(page);
    assert.equal(s.playing, false, 'a click on a chart pauses there');
    assert.ok(Math.abs(s.target - 1440) <= 30, `a quarter of the way along four days is about minute 1440: ${s.target}`);
  });
});

test('presenter view at 1920x1080 shows the simulation and the charts together; the link keeps it', { timeout: 60_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&t=500`, async (page) => {
    await page.getByRole('button', { name: 'Presenter view' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.uplot').length === 3);
    await page.evaluate(() => window.scrollTo(0, 0));
    const inView = await page.evaluate(() => ['#view-wrap', ...[...document.querySelectorAll('.uplot canvas')].map((_, i) => `.uplot:nth-of-type(${i + 1}) canvas`)]
      .map((sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return [sel, r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth]; }));
    for (const [sel, ok] of inView) assert.ok(ok, `${sel} is on the screen`);
    await page.waitForFunction(() => /present=1/.test(location.search));
    await page.getByRole('button', { name: 'Leave presenter view' }).click();
    await page.waitForFunction(() => !/present=1/.test(location.search));
  }, { width: 1920, height: 1080 });
});

test('back to the defaults: the calm day with every setting as the page opened', { timeout: 60_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&t=500&strategy=fixed&speed=240&slow=off`, async (page) => {
    await page.getByRole('button', { name: 'Back to the defaults' }).click();
    const s = await state(page);
    assert.equal(s.preset, 'calm-day');
    assert.deepEqual(s.settings, {});
    assert.equal(s.autoSlow, true);
    await page.waitForFunction(() => location.search === '?preset=calm-day' || /^\?preset=calm-day&t=\d+$/.test(location.search));
  });
});

test('a printable worksheet from the run on screen: predict, run, explain, its link, and the whole run\'s answers on a second page', { timeout: 90_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&t=600&reboot_window_min=720`, async (page) => {
    await reached(page, 600);
    await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed++; }; });
    await page.getByRole('button', { name: 'Print a worksheet' }).click();
    await page.waitForFunction(() => window.printed === 1, null, { timeout: 60_000 });
    const text = await page.locator('#worksheet').textContent();
    assert.match(text, /loginstorm worksheet: August 2007, as it happened/);
    assert.match(text, /Restarts happen over 12 hours\./, 'the setting changed, in words');
    assert.match(text, /reboot_window_min=720/, 'the link to open');
    assert.doesNotMatch(text, /[?&]t=/, 'from the start: the class predicts first');
    assert.match(text, /1\. Predict.*When the update lands.*2\. Run it.*3\. Explain.*follow the night/);
    assert.match(text, /For the teacher: .*Lowest point: \d+% of the usual users online, at /);
    assert.doesNotMatch(text, /Computed up to/, 'the answers are the whole run\'s, computed before printing');
    await page.waitForFunction(() => window.loginstorm.state().now === 600, null, { timeout: 30_000 });
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('main').isVisible(), false, 'on paper, only the worksheet');
    assert.equal(await page.locator('#worksheet').isVisible(), true);
    const pdf = await page.pdf({ format: 'A4' });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.equal(pages, 2, 'the students\' page, and the teacher\'s answers on their own');
  });
  // A calm day is asked about as one, and its answers do not call it a failure.
  await onPage(site.browser, `${site.server.url}index.html?preset=calm-day`, async (page) => {
    await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed++; }; });
    await page.getByRole('button', { name: 'Print a worksheet' }).click();
    await page.waitForFunction(() => window.printed === 1, null, { timeout: 60_000 });
    const text = await page.locator('#worksheet').textContent();
    assert.match(text, /Over this normal day/);
    assert.match(text, /It never fell below 90% of the usual users/);
    assert.doesNotMatch(text, /Not back to normal|The collapse goes on/);
  });
});

test('the switch table runs the 16 combinations and the 5 retry policies in the background; its outcomes are the CLI\'s; a row loads', { timeout: 120_000 }, async () => {
  const scenario = ['--preset', 'aug-2007-unaided', '--clients', '2000', '--set', 'duration_h=24'];
  // The CLI, built by the native tests (cargo's test profile).
  const cli = execFileSync('cargo', ['run', '--quiet', '--profile', 'test', '--bin', 'loginstorm', '--', 'switches', ...scenario],
    { cwd: repoRoot, encoding: 'utf8' });
  const [combinations, retries] = cli.trim().split('\n\n');
  const outcomesOf = (block) => block.split('\n').slice(1).map((line) => line.slice(59).trim().split(/\s{2,}/)[0]);
  const cliOutcomes = outcomesOf(combinations);
  assert.equal(cliOutcomes.length, 16);
  const cliRetries = outcomesOf(retries);
  assert.equal(cliRetries.length, 5, 'then the five retry policies in the fixed network');
  assert.ok(cliOutcomes.includes('collapses') && cliOutcomes.some((o) => o.startsWith('recovers')), cliOutcomes.join('; '));
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007-unaided&clients=2000&duration_h=24`, async (page) => {
    await page.getByRole('button', { name: 'Work out the 16 combinations' }).click();
    await page.waitForFunction(() => /^The 16 combinations/.test(document.getElementById('switch-table-status').textContent), null, { timeout: 100_000 });
    const rows = await page.locator('#switch-table-body tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.outcome));
    assert.deepEqual(rows, cliOutcomes.map((o) => o.split(' ')[0]), 'row by row, the same outcome as the CLI');
    const retryRows = await page.locator('#retry-table-body tr').evaluateAll((trs) => trs.map((tr) => [tr.dataset.retry, tr.dataset.outcome]));
    assert.deepEqual(retryRows.map((r) => r[1]), cliRetries.map((o) => o.split(' ')[0]), 'the retry policies too');
    assert.deepEqual(retryRows.map((r) => r[0]), ['fixed', 'exponential', 'exponential-jitter', 'retry-budget', 'circuit-breaker']);
    assert.match(await page.locator('#retry-table-body tr[data-retry=retry-budget]').textContent(), /a retry budget: three quick retries/);
    // While it ran, the page's own run went on (it plays from the start).
    assert.ok((await state(page)).now > 0, 'the page kept playing');
    // The last row (every switch fixed) loads the fixed bundle.
    await page.locator('#switch-table-body tr').last().getByRole('button', { name: /^Load/ }).click();
    await page.waitForFunction(() => window.loginstorm.state().values.strategy === 'fixed');
  });
});

test('the stability map runs its grid off the main thread; its collapsed runs are the CLI sweep\'s', { timeout: 180_000 }, async () => {
  const [x, y] = ['reboot_window_min=10..1440:5', 'reboot_share=0.1..1:4'];
  const csv = execFileSync('cargo', ['run', '--quiet', '--profile', 'test', '--bin', 'loginstorm', '--', 'sweep',
    '--preset', 'aug-2007-unaided', '--clients', '2000', '--set', 'duration_h=24', '--x', x, '--y', y, '--seeds', '3'],
  { cwd: repoRoot, encoding: 'utf8' });
  const cliRows = csv.trim().split('\n').slice(1).map((line) => line.split(','));
  assert.equal(cliRows.length, 5 * 4 * 3);
  const cliOutcomes = cliRows.map((r) => r[3]);
  assert.ok(cliOutcomes.includes('collapses') && cliOutcomes.includes('recovers'), 'the grid crosses the cliff');
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007-unaided&clients=2000&duration_h=24`, async (page) => {
    await page.locator('#map-section').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.getElementById('map-pick').options.length > 0);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('#map-seeds').selectOption('3');
    await page.locator('.map-spec summary').click();
    await page.locator('#map-x').fill(x);
    await page.locator('#map-y').fill(y);
    await page.evaluate(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longTasks.push(e.duration); }).observe({ type: 'longtask' });
    });
    await page.getByRole('button', { name: 'Draw the map' }).click();
    await page.waitForFunction(() => document.body.dataset.mapDone === '60', null, { timeout: 150_000 });
    const rows = await page.evaluate(() => window.loginstorm.mapRows());
    assert.deepEqual(rows.map((r) => [r.x, r.y, r.seed, r.outcome.outcome]), cliRows.map((r) => [r[0], r[1], r[2], r[3]]),
      'run by run, the same cells, seeds and outcomes as the CLI');
    const long = await page.evaluate(() => window.longTasks);
    assert.deepEqual(long.filter((ms) => ms > 50), [], `no main-thread task over 50 ms while the map ran: ${long.join(', ')}`);
    // A click on a cell loads it: the bottom-left cell is the first x and the first y.
    await page.locator('#map-canvas').scrollIntoViewIfNeeded();
    const box = await page.locator('#map-canvas').boundingBox();
    await page.mouse.click(box.x + 60, box.y + box.height - 50);
    await page.waitForFunction(() => window.loginstorm.state().values.reboot_window_min === '10' && window.loginstorm.state().values.reboot_share === '0.1');
    await saveScreenshot(page, 'stability-map');
  });
});

test('the hysteresis loop: the 2007 way down does not retrace the way up; the fix closes its loop', { timeout: 120_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=calm-day`, async (page) => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('#loop-section').scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: 'Ramp the load up and down' }).click();
    await page.waitForFunction(() => document.body.dataset.loopOpening, null, { timeout: 90_000 });
    const [open2007, openFix] = (await page.evaluate(() => document.body.dataset.loopOpening)).split(',').map(Number);
    assert.ok(open2007 > 0.8, `the 2007 loop is open: ${open2007}`);
    assert.ok(Number.isFinite(openFix), 'the fix was computed too');
    assert.match(await page.locator('#loop-status').textContent(), /the fix's ends back at (9[5-9]|1\d\d)%/);
    // Four legs drawn: 2007 and the fix, up and down.
    assert.equal(await page.locator('#loop-chart .u-series').count(), 4, 'four legs in the legend');
    await page.locator('#loop-section').screenshot({ path: path.join(repoRoot, 'target/screenshots/hysteresis-loop.png') });
  });
});

test('side by side: two runs in lockstep, identical until their difference takes effect; a link opens it; phone width stacks it', { timeout: 120_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&compare=reboot_window_min:720`, async (page) => {
    await page.waitForFunction(() => (window.loginstorm.compare()?.[0]?.length ?? 0) > 480, null, { timeout: 60_000 });
    assert.equal((await state(page)).playing, false, 'the run above waits while the two play');
    const [a, b] = await page.evaluate(() => window.loginstorm.compare());
    const n = Math.min(a.length, b.length);
    assert.ok(n > 480, `both sides played on together: ${a.length}, ${b.length}`);
    assert.ok(Math.abs(a.length - b.length) <= 1, 'in lockstep');
    assert.deepEqual(a.slice(0, 360), b.slice(0, 360), 'the same run until the update lands at 06:00');
    assert.notDeepEqual(a.slice(360, n), b.slice(360, n), 'then the restart window makes them differ');
    assert.match(await page.locator('#compare-b .compare-title').textContent(), /^B: the same, but the update's restarts over 12 hours/);
    await page.getByRole('button', { name: 'Pause' }).last().click();
    assert.match(await page.locator('#compare-numbers .compare-words').textContent(), /^So far B loses \d+% fewer user-hours than A\./);
    assert.match(page.url(), /compare=reboot_window_min%3A720/);
    await page.getByRole('button', { name: 'Close' }).click();
    assert.ok(await page.locator('#compare-panel').isHidden());
    assert.doesNotMatch(page.url(), /compare=/, 'closed: the link no longer opens it');
    // Opened again after a long first comparison, it plays (it once waited forever on the
    // closed sides' last answers).
    await page.getByRole('button', { name: 'Compare side by side' }).click();
    await page.waitForFunction(() => (window.loginstorm.compare()?.[1]?.length ?? 0) > 60, null, { timeout: 60_000 });
  });
  // At phone width, picked from the list: the two sides stack.
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007`, async (page) => {
    await page.locator('#compare-section').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.getElementById('compare-pick').options.length > 5);
    await page.locator('#compare-pick').selectOption('strategy:fixed');
    await page.getByRole('button', { name: 'Compare side by side' }).click();
    await page.waitForFunction(() => (window.loginstorm.compare()?.[1]?.length ?? 0) > 100, null, { timeout: 60_000 });
    const [boxA, boxB] = await Promise.all(['#compare-a', '#compare-b'].map((s) => page.locator(s).boundingBox()));
    assert.ok(boxB.y >= boxA.y + boxA.height, `stacked: ${JSON.stringify([boxA, boxB])}`);
    assert.ok(boxA.width <= 360 && boxA.width > 300, `each side the phone's width: ${boxA.width}`);
    await saveScreenshot(page, 'compare-phone');
  }, { width: 360, height: 740, deviceScaleFactor: 2 });
  // A difference the run cannot take is named, and the page goes on.
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007&compare=retry:sometimes`, async (page) => {
    await page.waitForFunction(() => !document.getElementById('problems').hidden, null, { timeout: 15_000 });
    assert.match(await page.locator('#problems').textContent(), /^compare: 'retry:sometimes' is not a difference this run can take/);
    assert.ok(await page.locator('#compare-panel').isHidden());
  });
});

test('change it now: a supernode limit pushed during a run forks it too', { timeout: 60_000 }, async () => {
  await onPage(site.browser, `${site.server.url}index.html?preset=aug-2007-unaided&t=380`, async (page) => {
    await reached(page, 380);
    // Key by key, quickly: each press is a change at the same minute; the run keeps one change
    // there, the last value, and the faint line stays the run before the first.
    await page.locator('details.advanced summary').click();
    await page.locator('#knob-handshakes_per_min').focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => /^380:handshakes_per_min=\d+$/.test(window.loginstorm.state().settings.live_changes ?? ''));
    await page.waitForFunction(() => {
      const st = window.loginstorm.state();
      const v = (st.settings.live_changes ?? '').split('=')[1];
      return Number(v) >= 20 && st.shown.handshakes_per_min === v;
    }, null, { timeout: 15_000 });
    assert.equal((await page.evaluate(() => window.loginstorm.ghost()))?.from, 380, 'the faint line parts at the change');
    const s = await state(page);
    assert.equal(s.now, 380, 'no rewind');
    assert.equal(s.values.handshakes_per_min, '15', 'the run started with its own limit');
    assert.notEqual(s.shown.handshakes_per_min, '15', 'and the control shows the limit in force now');
    assert.match(await page.locator('#change-text').textContent(), /^Your change applies from Thu 06:20/);
  });
});
