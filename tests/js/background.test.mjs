// How many workers the background takes (background.js), without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workerCount } from '../../www/js/background.js';

test('the background leaves a core to the page\'s own run, and takes at most four', () => {
  assert.equal(workerCount(1), 1);
  assert.equal(workerCount(2), 1);
  assert.equal(workerCount(8), 4);
  assert.equal(workerCount(2, true), 2, 'a long job takes every core');
  assert.equal(workerCount(32, true), 8);
});
