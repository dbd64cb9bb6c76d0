// What a downloaded file is called, and the embed code an article pastes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileStem, embedCode } from '../../www/js/share.js';
import { readEmbedOptions } from '../../www/js/embed-options.js';

test('a file name names the scenario and each setting changed, in safe characters', () => {
  assert.equal(fileStem('aug-2007', {}), 'loginstorm_aug-2007');
  assert.equal(fileStem('aug-2007', { strategy: 'fixed', reboot_window_min: '720', reboot_share: '0.5' }),
    'loginstorm_aug-2007_strategy-fixed_reboot_window_min-720_reboot_share-0.5');
  assert.equal(fileStem('calm-day', { seed: 'a/b c' }), 'loginstorm_calm-day_seed-a-b-c');
});

test('a very long one is cut to a length every file system takes', () => {
  const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`knob_${i}`, String(i)]));
  assert.equal(fileStem('aug-2007', many).length, 150);
});

test('embed code: an iframe with the state and the options, read back as they were set', () => {
  const options = { view: 'both', controls: 'switch', switch: 'overload', caption: false, title: 'Why "Skype" fell <over>', height: 'frame' };
  const code = embedCode('https://host.example/loginstorm/index.html?x=1', '?preset=aug-2007&t=400', options);
  const src = /src="([^"]+)"/.exec(code)[1].replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&lt;', '<');
  const url = new URL(src);
  assert.equal(url.origin + url.pathname, 'https://host.example/loginstorm/embed.html');
  assert.equal(url.searchParams.get('preset'), 'aug-2007');
  assert.equal(url.searchParams.get('t'), '400');
  const { options: back, problems } = readEmbedOptions(url.searchParams);
  assert.deepEqual(problems, []);
  assert.deepEqual({ ...back, origins: undefined }, { ...options, origins: undefined });
  assert.ok(!code.includes('<over>'), 'the title cannot break out of its attribute');
  assert.ok(!code.includes('<script'), 'a frame of fixed size needs no script');
});

test('embed code: growing to its content adds frame-sizing and the height message; the element form loads loginstorm.js', () => {
  const auto = embedCode('https://host.example/index.html', '?preset=calm-day', { height: 'auto' });
  assert.match(auto, /frame-sizing: content-height/);
  assert.match(auto, /height=auto/);
  assert.match(auto, /e\.data\.type === 'height'/);
  const element = embedCode('https://host.example/index.html', '?preset=aug-2007&t=300', { view: 'chart', height: 'auto' }, 'element');
  assert.match(element, /^<script type="module" src="https:\/\/host\.example\/loginstorm\.js"><\/script>\n<loginstorm-sim preset="aug-2007" t="300" view="chart"><\/loginstorm-sim>$/);
});
