// The charts' event markers (charts.js): events too close to tell apart become one line with a count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeMarkers } from '../../www/js/charts.js';

test('markers within the gap of a group\'s first one merge, with a count', () => {
  assert.deepEqual(mergeMarkers([100, 103, 107, 140], 8), [{ x: 100, count: 3 }, { x: 140, count: 1 }]);
});

test('markers the gap apart or more stay apart; none gives none', () => {
  assert.deepEqual(mergeMarkers([0, 8, 16], 8), [{ x: 0, count: 1 }, { x: 8, count: 1 }, { x: 16, count: 1 }]);
  assert.deepEqual(mergeMarkers([], 8), []);
});
