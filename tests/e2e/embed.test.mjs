// The embed for article authors: its options and size, its message API from another origin,
// origins=, and the <loginstorm-sim> element (see www/js/embed.js, messages.js, loginstorm.js).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { repoRoot, useSite, startServer, openPage, openHost, reached, saveScreenshot } from './harness.mjs';
import { frameHeight } from '../../www/js/share.js';
import { writeEmbedOptions } from '../../www/js/embed-options.js';

const site = useSite(path.join(repoRoot, 'www'));
/** Another origin (another port), serving the host pages of tests/e2e/fixtures. */
let other = null;
before(async () => { other = await startServer(path.join(repoRoot, 'tests', 'e2e', 'fixtures')); });
after(async () => { await other?.stop(); });

const state = (page) => page.evaluate(() => window.loginstorm.state());

/** The bottom of `selector`'s box and the window's height, in the page. */
const bottomOf = (page, selector) => page.evaluate((s) => ({ bottom: document.querySelector(s).getBoundingClientRect().bottom, height: innerHeight }), selector);

test('at 720x600 the embed shows its whole caption and its controls, whatever the moment and view', { timeout: 120_000 }, async () => {
  for (const query of ['preset=calm-day', 'preset=aug-2007&t=420', 'preset=aug-2007&t=420&view=both', 'preset=dec-2010&t=700&controls=all', 'preset=aug-2007&t=420&view=chart&controls=switch:overload']) {
    const { page, errors, close } = await openPage(site.browser, `${site.server.url}embed.html?${query}`, { width: 720, height: 600 });
    try {
      const t = Number(new URLSearchParams(query).get('t') ?? 0);
      if (t) await reached(page, t);
      await page.waitForFunction(() => !/Loading/.test(document.getElementById('caption').textContent));
      // Laid out again for the caption of this moment (the picture gives way).
      await page.waitForFunction(() => document.documentElement.scrollHeight <= innerHeight + 1, null, { timeout: 5000 })
        .catch(() => {});
      const caption = await bottomOf(page, '#caption');
      assert.ok(caption.bottom <= caption.height, `${query}: the caption ends at ${caption.bottom} px, inside the ${caption.height} px frame`);
      const scrub = await bottomOf(page, '#scrub');
      assert.ok(scrub.bottom <= scrub.height, `${query}: the time slider ends at ${scrub.bottom} px, inside the frame`);
      const scroll = await page.evaluate(() => document.documentElement.scrollHeight);
      assert.ok(scroll <= 601, `${query}: nothing is cut off (content ${scroll} px)`);
      assert.deepEqual(errors, []);
      if (query.includes('view=both')) await saveScreenshot(page, 'embed-720x600-both');
    } finally {
      await close();
    }
  }
});

test('the frame height the embed code suggests holds everything the options ask for, the picture not a thumbnail', { timeout: 150_000 }, async () => {
  const cases = [
    { view: 'both', controls: 'all' }, { view: 'stage', controls: 'switch', switch: 'overload' },
    { view: 'both', controls: 'switch', switch: 'strategy' }, { view: 'chart', controls: 'none', caption: false }, { view: 'stage', controls: 'play' },
  ];
  for (const options of cases) {
    const height = frameHeight(options);
    const query = new URLSearchParams({ preset: 'aug-2007', t: '420', ...Object.fromEntries(writeEmbedOptions(options)) });
    const { page, errors, close } = await openPage(site.browser, `${site.server.url}embed.html?${query}`, { width: 720, height });
    try {
      await reached(page, 420);
      await page.waitForFunction(() => document.documentElement.scrollHeight <= innerHeight + 1, null, { timeout: 5000 }).catch(() => {});
      const fit = await page.evaluate(() => {
        const wrap = document.getElementById('view-wrap');
        return { content: document.documentElement.scrollHeight, frame: innerHeight, picture: wrap.offsetParent ? wrap.offsetWidth / wrap.parentElement.clientWidth : null };
      });
      assert.ok(fit.content <= fit.frame + 1, `${query}: ${fit.content} px of content in a ${fit.frame} px frame`);
      if (fit.picture !== null) assert.ok(fit.picture >= 0.6, `${query}: the picture keeps ${Math.round(100 * fit.picture)}% of its width`);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  }
});

test('the embed shows what its options ask for: title, view, controls, and a complete legend', { timeout: 60_000 }, async () => {
  const url = `${site.server.url}embed.html?preset=aug-2007&t=420&view=chart&controls=switch:overload&caption=off&title=${encodeURIComponent('What went wrong <b>here</b>')}`;
  const { page, errors, close } = await openPage(site.browser, url, { width: 720, height: 600 });
  try {
    assert.equal(await page.textContent('#embed-title'), 'What went wrong <b>here</b>', 'the title as text, never markup');
    assert.equal(await page.locator('#embed-title b').count(), 0);
    assert.equal(await page.locator('#view-wrap').isVisible(), false, 'view=chart: no picture');
    await page.waitForSelector('#charts .uplot');
    assert.equal(await page.locator('#charts .uplot').count(), 1, 'the users chart alone');
    assert.equal(await page.locator('#caption').isVisible(), false, 'caption=off');
    assert.equal(await page.locator('#embed-switch select').count(), 1, 'the one switch asked for');
    assert.equal(await page.locator('#bundles').isVisible(), false);
    assert.match(await page.getAttribute('#sources', 'href'), /index\.html#about$/, 'a sources link');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
  const calm = await openPage(site.browser, `${site.server.url}embed.html`, { width: 720, height: 600 });
  try {
    const legend = await calm.page.textContent('#legend');
    for (const key of ['online', 'PC restarting', 'waiting to retry', 'logging in', 'supernode', 'switched itself off', 'mega-supernode']) {
      assert.ok(legend.includes(key), `the legend has "${key}"`);
    }
    assert.equal(await calm.page.locator('#engineers').isVisible(), false, 'on a calm day the engineers have nothing to do');
    assert.equal(await calm.page.textContent('#apply-update'), 'Apply the Patch Tuesday update', 'the scenario\'s action');
    await calm.page.click('#apply-update');
    await calm.page.waitForFunction(() => window.loginstorm.state().preset === 'aug-2007');
  } finally {
    await calm.close();
  }
});

/** Opens the host page (another origin) around an embed with `query`; returns {page, frame, heard, tell, close}. */
async function hostPage(query) {
  const { page, errors, close } = await openHost(site.browser, `${other.url}host.html?embed=${encodeURIComponent(`${site.server.url}embed.html?${query}`)}`);
  const frame = await (await page.waitForSelector('iframe')).contentFrame();
  await frame.waitForFunction(() => document.body?.dataset.ready === '1', null, { timeout: 15_000 });
  const heard = () => page.evaluate(() => window.heard);
  /** Sends `data` and waits for the answer whose id is `data.id`. */
  const ask = async (data) => {
    await page.evaluate((d) => window.tell(d), data);
    await page.waitForFunction((id) => window.heard.some((m) => m.id === id && (m.type === 'reply' || m.type === 'error')), data.id, { timeout: 10_000 });
    return (await heard()).find((m) => m.id === data.id && (m.type === 'reply' || m.type === 'error'));
  };
  const waitFor = (type, pred = '') => page.waitForFunction(([ty, p]) => window.heard.some((m) => m.type === ty && (!p || JSON.stringify(m).includes(p))), [type, pred], { timeout: 30_000 });
  return { page, frame, errors, heard, ask, waitFor, close };
}

test('a page on another origin drives the embed with every request and hears every event', { timeout: 120_000 }, async () => {
  const h = await hostPage('preset=aug-2007&t=300');
  try {
    await h.waitFor('ready');
    await h.waitFor('height');
    const ready = (await h.heard()).find((m) => m.type === 'ready');
    assert.equal(ready.loginstorm, 1);
    assert.equal(ready.preset, 'aug-2007');
    const got = await h.ask({ loginstorm: 1, type: 'get', id: 'g1' });
    assert.equal(got.type, 'reply');
    assert.equal(got.t, 300);
    assert.equal(got.duration, 5760);

    let r = await h.ask({ loginstorm: 1, type: 'seek', t: 350, id: 's1' });
    assert.equal(r.type, 'reply');
    await reached(h.frame, 350);
    r = await h.ask({ loginstorm: 1, type: 'play', id: 'p1' });
    assert.equal(r.playing, true);
    // The update lands at minute 360: its event, and the phase it brings.
    await h.waitFor('event', '"kind":"update"');
    await h.waitFor('phase', '"phase":"reboot-wave"');
    r = await h.ask({ loginstorm: 1, type: 'pause', id: 'p2' });
    assert.equal(r.playing, false);
    assert.equal((await state(h.frame)).playing, false);

    // A refused request: the field named, nothing changed.
    const before = await state(h.frame);
    const refused = await h.ask({ loginstorm: 1, type: 'seek', t: 'soon', id: 'bad' });
    assert.equal(refused.type, 'error');
    assert.equal(refused.field, 't');
    assert.match(refused.message, /^t: "soon" is not a number; the allowed range is 0 to 5760/);
    assert.equal((await state(h.frame)).now, before.now);

    // set: the fix pushed during the run (a fork at the minute shown); the past is not told again.
    const updates = async () => (await h.heard()).filter((m) => m.type === 'event' && m.kind === 'update').length;
    assert.equal(await updates(), 1, 'the update is told once');
    r = await h.ask({ loginstorm: 1, type: 'set', name: 'strategy', value: 'fixed', id: 'set1' });
    assert.equal(r.type, 'reply');
    assert.match((await state(h.frame)).settings.live_changes ?? '', /supernode_choice=/, 'the change is pushed from this minute');
    assert.equal(await updates(), 1, 'a change that keeps the past does not tell it again');
    // Back before the update and past it again: told again, once.
    await h.ask({ loginstorm: 1, type: 'seek', t: 340, id: 'back' });
    await h.ask({ loginstorm: 1, type: 'seek', t: 365, id: 'again' });
    assert.equal(await updates(), 2, 'passed again after going back, told again');

    // load, then to the end: the recovery and the end are told.
    r = await h.ask({ loginstorm: 1, type: 'load', preset: 'aug-2007-fixed', id: 'l1' });
    assert.equal(r.preset, 'aug-2007-fixed');
    await h.ask({ loginstorm: 1, type: 'seek', t: 5760, id: 's2' });
    await h.waitFor('recovered');
    await h.waitFor('ended');
    const types = new Set((await h.heard()).map((m) => m.type));
    for (const type of ['ready', 'phase', 'event', 'recovered', 'ended', 'height', 'error', 'reply']) assert.ok(types.has(type), `heard ${type}`);
    assert.ok((await h.heard()).every((m) => m.loginstorm === 1), 'every message says loginstorm: 1');
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

test('origins= lets only the listed sites drive the embed', { timeout: 60_000 }, async () => {
  const foreign = await hostPage('preset=aug-2007&t=300&origins=https://news.example');
  try {
    const warned = foreign.frame.page().waitForEvent('console', { predicate: (m) => m.type() === 'warning' && /only from https:\/\/news\.example/.test(m.text()), timeout: 10_000 });
    await foreign.page.evaluate(() => window.tell({ loginstorm: 1, type: 'seek', t: 1000, id: 'x' }));
    await warned;
    assert.equal((await state(foreign.frame)).target, 300, 'the foreign seek changed nothing');
    assert.ok(!(await foreign.heard()).some((m) => m.type === 'ready' || m.id === 'x'), 'a foreign page hears nothing');
  } finally {
    await foreign.close();
  }
  const allowed = await hostPage(`preset=aug-2007&t=300&origins=https://news.example,${other.url.replace(/\/$/, '')}`);
  try {
    await allowed.waitFor('ready');
    const r = await allowed.ask({ loginstorm: 1, type: 'seek', t: 400, id: 'ok' });
    assert.equal(r.type, 'reply');
    await reached(allowed.frame, 400);
  } finally {
    await allowed.close();
  }
});

test('<loginstorm-sim> works twice on one page, each on its own, styles kept apart', { timeout: 120_000 }, async () => {
  const { page, errors, close } = await openHost(site.browser, `${other.url}elements.html?lib=${encodeURIComponent(`${site.server.url}loginstorm.js`)}`, { width: 900, height: 1400 });
  try {
    await page.waitForFunction(() => ['first', 'second'].every((id) => window.fired[id].some((e) => e.type === 'ready')), null, { timeout: 30_000 });
    const t = (id) => page.evaluate((i) => document.getElementById(i).get().then((r) => r.t), id);
    assert.equal(await t('first'), 300);
    assert.equal(await t('second'), 100);
    // A method on one moves that one only.
    await page.evaluate(() => document.getElementById('first').seek(420));
    assert.equal(await t('first'), 420);
    assert.equal(await t('second'), 100);
    // An observed attribute: t moves the run in place.
    await page.evaluate(() => document.getElementById('second').setAttribute('t', '200'));
    await page.waitForFunction(() => document.getElementById('second').get().then((r) => r.t === 200), null, { timeout: 15_000 });
    // A refused request rejects with the field named.
    const refused = await page.evaluate(() => document.getElementById('first').set('reboot_window_min', '-5').then(() => null, (e) => ({ field: e.field, message: e.message })));
    assert.equal(refused?.field, 'reboot_window_min');
    // The events carry the embed's messages, the height sizes the element.
    const first = await page.evaluate(() => window.fired.first.map((e) => e.type));
    assert.ok(first.includes('height') && first.includes('phase'), `events fired: ${first}`);
    const height = await page.evaluate(() => document.getElementById('first').getBoundingClientRect().height);
    assert.ok(height > 200, `the element takes its embed's height: ${height}`);
    // The article's iframe rule reaches neither element's iframe, and stays on its own.
    const borders = await page.evaluate(() => ({
      inside: getComputedStyle(document.getElementById('first').shadowRoot.querySelector('iframe')).borderTopWidth,
      own: getComputedStyle(document.getElementById('own')).borderTopWidth,
    }));
    assert.deepEqual(borders, { inside: '0px', own: '7px' });
    await saveScreenshot(page, 'element-twice');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('the page, the embed and the article set no cookies and store nothing', { timeout: 60_000 }, async () => {
  const context = await site.browser.newContext({ viewport: { width: 1000, height: 800 } });
  try {
    for (const url of ['index.html?preset=aug-2007&t=400', 'embed.html?preset=aug-2007&t=400&view=both', 'article.html']) {
      const page = await context.newPage();
      await page.goto(`${site.server.url}${url}`);
      await page.waitForFunction(() => document.body.dataset.ready === '1' || document.body.dataset.simReady === '1', null, { timeout: 20_000 });
      const stored = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));
      assert.deepEqual(stored, { local: 0, session: 0, cookie: '' }, url);
      await page.close();
    }
    assert.deepEqual(await context.cookies(), []);
  } finally {
    await context.close();
  }
});
