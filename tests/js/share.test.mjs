// What a downloaded file is called: it says the scenario and the settings changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileStem } from '../../www/js/share.js';

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
