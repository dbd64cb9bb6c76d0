// Hostile input to the embed: URL parameters, element attributes and messages (NaN, Infinity,
// 1e99, -0, empty, overlong, wrong types, __proto__ and constructor keys, nested objects, huge
// arrays, non-objects). Each gets a clear message naming the field, or a console warning, and the
// simulation runs on with the rest of its state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { repoRoot, useSite, startServer, openPage, openHost } from './harness.mjs';

const site = useSite(path.join(repoRoot, 'www'));
let other = null;
before(async () => { other = await startServer(path.join(repoRoot, 'tests', 'e2e', 'fixtures')); });
after(async () => { await other?.stop(); });

const LONG = 'x'.repeat(10_000);
const state = (page) => page.evaluate(() => window.loginstorm.state());

/** Hostile URL parameters, several to an address; each must come back as a problem naming it. */
const URLS = [
  { view: 'NaN', controls: 'Infinity', caption: '1e99', height: '-0', title: '', origins: 'javascript:alert(1)', speed: 'NaN', reboot_window_min: 'Infinity', clients: '1e99', __proto__: '1' },
  { constructor: 'x', seed: '-1', slow: 'NaN', present: '2', tour: '-0', view: LONG, controls: 'switch:__proto__', origins: '*', speed: '1e99', reboot_share: '1e99' },
  { caption: '', title: 'y'.repeat(300), height: 'Infinity', origins: 'https://a.example/path', supernode_capacity: 'NaN', handshakes_per_min: '-0.5', live_changes: '1e99:retry=fixed', strategy: '__proto__', controls: 'switch:constructor', retry: '[object Object]' },
];

test('hostile URL parameters: each is named in a message, and the run keeps the rest of its address', { timeout: 120_000 }, async () => {
  let values = 0;
  for (const hostile of URLS) {
    const params = new URLSearchParams({ preset: 'aug-2007', t: '300' });
    // Object.entries sees an own `__proto__` key only when the object is made by JSON.
    for (const [k, v] of Object.entries(JSON.parse(JSON.stringify(hostile)))) params.append(k, v);
    if ('__proto__' in JSON.parse(JSON.stringify(hostile))) params.append('__proto__', '1');
    const { page, errors, close } = await openPage(site.browser, `${site.server.url}embed.html?${params}`, { width: 720, height: 600 });
    try {
      const problems = await page.evaluate(() => [...document.querySelectorAll('#problems p')].map((p) => p.textContent));
      const named = [...new Set([...params.keys()].filter((k) => k !== 'preset' && k !== 't'))];
      for (const name of named) {
        const said = problems.find((p) => p.startsWith(`${name}:`));
        assert.ok(said, `${name}=${params.get(name).slice(0, 30)} gets a message naming it; got ${JSON.stringify(problems)}`);
        assert.ok(said.length < 900, `the message about ${name} is short, not the value echoed: ${said.length} characters`);
      }
      values += named.length;
      const s = await state(page);
      assert.equal(s.preset, 'aug-2007', 'the scenario asked for stays');
      assert.equal(s.target, 300, 'the moment asked for stays');
      assert.ok(await page.locator('#view-wrap').isVisible(), 'the picture is there');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  }
  assert.ok(values >= 25, `${values} hostile URL values`);
});

/** Messages: `ignore` ones draw one console warning, the others an error reply naming `field`. */
const MESSAGES = [
  ['null', null, 'ignore'], ['a number', 42, 'ignore'], ['a string', 'play', 'ignore'], ['an empty list', [], 'ignore'],
  ['a huge list', Array.from({ length: 100_000 }, (_, i) => i), 'ignore'], ['an empty object', {}, 'ignore'],
  ['version 2', { loginstorm: 2, type: 'play' }, 'ignore'], ['version as text', { loginstorm: '1', type: 'play' }, 'ignore'],
  ['no type', { loginstorm: 1 }, 'ignore'], ['type in capitals', { loginstorm: 1, type: 'PLAY' }, 'ignore'],
  ['type __proto__', { loginstorm: 1, type: '__proto__' }, 'ignore'], ['type constructor', { loginstorm: 1, type: 'constructor' }, 'ignore'],
  ['type a nested object', { loginstorm: 1, type: { play: true } }, 'ignore'],
  ['seek NaN', { loginstorm: 1, type: 'seek', t: NaN }, 't'], ['seek Infinity', { loginstorm: 1, type: 'seek', t: Infinity }, 't'],
  ['seek 1e99', { loginstorm: 1, type: 'seek', t: 1e99 }, 't'], ['seek -1', { loginstorm: 1, type: 'seek', t: -1 }, 't'],
  ['seek as text', { loginstorm: 1, type: 'seek', t: '300' }, 't'], ['seek an object', { loginstorm: 1, type: 'seek', t: { valueOf: 5 } }, 't'],
  ['seek a list', { loginstorm: 1, type: 'seek', t: [300] }, 't'], ['seek nothing', { loginstorm: 1, type: 'seek' }, 't'],
  ['set __proto__', { loginstorm: 1, type: 'set', name: '__proto__', value: 'x' }, '__proto__'],
  ['set constructor', { loginstorm: 1, type: 'set', name: 'constructor', value: 'x' }, 'constructor'],
  ['set a nested value', { loginstorm: 1, type: 'set', name: 'seed', value: { deep: { deeper: 1 } } }, 'value'],
  ['set an overlong value', { loginstorm: 1, type: 'set', name: 'seed', value: LONG }, 'value'],
  ['set NaN', { loginstorm: 1, type: 'set', name: 'reboot_window_min', value: NaN }, 'value'],
  ['set -0 minutes', { loginstorm: 1, type: 'set', name: 'reboot_window_min', value: -0 }, 'reboot_window_min'],
  ['set an empty name', { loginstorm: 1, type: 'set', name: '', value: '1' }, 'name'],
  ['load __proto__', { loginstorm: 1, type: 'load', preset: '__proto__' }, 'preset'],
  ['load a list', { loginstorm: 1, type: 'load', preset: ['aug-2007'] }, 'preset'],
  ['an overlong id', { loginstorm: 1, type: 'get', id: LONG }, 'id'],
  ['an object id', { loginstorm: 1, type: 'get', id: { x: 1 } }, 'id'],
  ['own __proto__ and constructor keys', '{"loginstorm":1,"type":"get","id":"proto","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}', 'json:reply'],
  ['a __proto__ seek', '{"loginstorm":1,"type":"seek","id":"proto-seek","__proto__":{"t":400}}', 'json:error'],
];

test('hostile messages: ignored with a warning or refused naming the field, and nothing changes', { timeout: 180_000 }, async () => {
  const { page, errors, close } = await openHost(site.browser, `${other.url}host.html?embed=${encodeURIComponent(`${site.server.url}embed.html?preset=aug-2007&t=300&reboot_window_min=90`)}`);
  try {
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    await frame.waitForFunction(() => document.body?.dataset.ready === '1', null, { timeout: 15_000 });
    const before = await state(frame);
    let n = 0;
    for (const [what, data, expect] of MESSAGES) {
      const errorsBefore = await page.evaluate(() => window.heard.filter((m) => m.type === 'error').length);
      const warned = expect === 'ignore'
        ? page.waitForEvent('console', { predicate: (m) => m.type() === 'warning' && m.text().startsWith('loginstorm: a message was ignored'), timeout: 10_000 })
        : null;
      const json = expect.startsWith('json:');
      // (A JSON-made object has __proto__ and constructor as its own keys.)
      await page.evaluate(([d, parse]) => window.tell(parse ? JSON.parse(d) : d), [data, json]);
      if (json) {
        const id = JSON.parse(data).id;
        await page.waitForFunction((i) => window.heard.some((m) => m.id === i), id, { timeout: 10_000 });
        const answer = await page.evaluate((i) => window.heard.find((m) => m.id === i), id);
        assert.equal(answer.type, expect.slice('json:'.length), `${what}: answered as a plain ${JSON.parse(data).type}`);
      } else if (warned) {
        const w = await warned;
        assert.ok(w.text().length < 400, `${what}: one short warning`);
      } else {
        await page.waitForFunction((k) => window.heard.filter((m) => m.type === 'error').length > k, errorsBefore, { timeout: 10_000 });
        const refused = await page.evaluate(() => window.heard.filter((m) => m.type === 'error').at(-1));
        assert.equal(refused.field, expect, `${what}: the error names ${expect}: ${refused.message}`);
        assert.ok(refused.message.length < 900, `${what}: a short message`);
      }
      n++;
    }
    const after = await state(frame);
    for (const k of ['preset', 'target', 'playing', 'duration']) assert.deepEqual(after[k], before[k], `${k} unchanged`);
    assert.deepEqual(after.settings, before.settings, 'settings unchanged');
    // (Only the embed's own window could be polluted by what it reads.)
    assert.deepEqual(await frame.evaluate(() => [({}).polluted, Object.prototype.deep, Object.prototype.t]), [undefined, undefined, undefined]);
    assert.deepEqual(errors, []);
    assert.ok(n >= 30, `${n} hostile messages`);
  } finally {
    await close();
  }
});

/** Attributes set on a live element: each answered by an `error` event naming it. */
const ATTRIBUTES = [
  ['t', 'NaN'], ['t', 'Infinity'], ['t', '1e99'], ['reboot_window_min', 'abc'], ['seed', '-1'],
  ['view', 'sideways'], ['controls', 'switch:constructor'], ['title', ' '], ['caption', LONG], ['__proto__', '1'],
];

test('hostile attributes on <loginstorm-sim>: an error event names each, and the element keeps working', { timeout: 180_000 }, async () => {
  const { page, errors, close } = await openHost(site.browser, `${other.url}elements.html?lib=${encodeURIComponent(`${site.server.url}loginstorm.js`)}`, { width: 900, height: 1400 });
  try {
    await page.waitForFunction(() => window.fired.second.some((e) => e.type === 'ready'), null, { timeout: 30_000 });
    for (const [name, value] of ATTRIBUTES) {
      const seen = await page.evaluate(() => window.fired.second.filter((e) => e.type === 'error').length);
      await page.evaluate(([n, v]) => document.getElementById('second').setAttribute(n, v), [name, value]);
      await page.waitForFunction(([k, n]) => window.fired.second.filter((e) => e.type === 'error').slice(k).some((e) => e.detail.field === n), [seen, name], { timeout: 20_000 })
        .catch(async () => assert.fail(`${name}="${value.slice(0, 20)}" got no error event; events: ${JSON.stringify(await page.evaluate(() => window.fired.second.slice(-5).map((e) => [e.type, e.detail.field, e.detail.t])))}; src ${await page.evaluate(() => document.getElementById('second').shadowRoot.querySelector('iframe').src)}; frames ${page.frames().map((f) => f.url()).join(' | ')}`));
      // Back to a good value, so each case is judged alone, on an embed that is ready again (so
      // t and the knobs go as messages, the rest as a new address).
      const readies = await page.evaluate(() => window.fired.second.filter((e) => e.type === 'ready').length);
      await page.evaluate((n) => document.getElementById('second').removeAttribute(n), name);
      await page.waitForFunction((k) => window.fired.second.filter((e) => e.type === 'ready').length > k, readies, { timeout: 20_000 });
    }
    // Asked while it reloads, it answers once it is ready.
    const r = await page.evaluate(() => document.getElementById('second').get());
    assert.equal(r.preset, 'calm-day', 'the element still runs its scenario');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
