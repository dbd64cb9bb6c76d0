// How the background's rows are shared among its workers (background.js), without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deal, workerCount } from '../../www/js/background.js';

test('rows are dealt in turn, each once, and no worker is left without any', () => {
  assert.deepEqual(deal(5, 2), [[0, 2, 4], [1, 3]]);
  assert.deepEqual(deal(2, 4), [[0], [1]], 'fewer rows than workers: only those with rows');
  const all = deal(16, 3).flat().sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 16 }, (_, i) => i));
});

test('the background leaves a core to the page\'s own run, and takes at most four', () => {
  assert.equal(workerCount(1), 1);
  assert.equal(workerCount(2), 1);
  assert.equal(workerCount(8), 4);
});
