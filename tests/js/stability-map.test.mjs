// The stability map's arithmetic (stability-map.js): cells from a sweep's rows, an axis's size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellsOf, downs, steps } from '../../www/js/stability-map.js';

const row = (x, y, outcome, lost, at) => ({ x, y, outcome: { outcome, ...(at ? { at_min: at } : {}) }, summary: { user_hours_lost: lost, min_online_fraction: 0.5 } });

test('a cell gathers its seeds: how many collapsed, the mean loss, the mean recovery of those that recovered', () => {
  // Two x values, one y, two seeds a cell: y then x then seed.
  const rows = [row('1', '9', 'collapses', 100), row('1', '9', 'recovers', 50, 400), row('2', '9', 'recovers', 10, 300), row('2', '9', 'recovers', 30, 500)];
  const [a, b] = cellsOf(rows, 2, 2);
  assert.deepEqual([a.i, a.j, a.x, a.collapsed, a.lost, a.recoveredAt], [0, 0, '1', 1, 75, 400]);
  assert.deepEqual([b.i, b.collapsed, b.lost, b.recoveredAt], [1, 0, 20, 400]);
  assert.equal(downs(a), false, 'half is not most');
  assert.equal(downs({ ...a, collapsed: 2 }), true);
  assert.deepEqual(cellsOf([null, null, row('2', '9', 'untroubled', 0)], 2, 2).map((c) => c && c.runs), [null, 1], 'a cell without rows yet is empty');
});

test('an axis spec gives its number of values, or 0 if it has none', () => {
  assert.equal(steps('reboot_share=0..1:20'), 20);
  assert.equal(steps('reboot_share=0..1'), 0);
  assert.equal(steps('reboot_share=0..1:0'), 0);
  assert.equal(steps('reboot_share=0..1:5000'), 0);
});
