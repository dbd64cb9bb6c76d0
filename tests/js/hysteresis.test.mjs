// The hysteresis loop's chart data: each leg single-valued in the offered load, on one x.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loopData } from '../../www/js/hysteresis.js';

const p = (offered, online, rising) => ({ offered_per_h: offered, online_share: online, rising });

test('the way up and the way down share one ascending x, each holding only its own points', () => {
  const stuck = [p(0, 1, true), p(0.5, 0.9, true), p(1, 0, true), p(0.5, 0, false), p(0, 0, false), p(0, 0, false)];
  const back = [p(0, 1, true), p(0.5, 0.95, true), p(1, 0.4, true), p(0.25, 1, false), p(0, 1, false)];
  const [x, up07, down07, upFix, downFix] = loopData([stuck, back]);
  assert.deepEqual(x, [0, 25, 50, 100], 'percent of users an hour, ascending, no duplicates');
  assert.deepEqual(up07, [100, null, 90, 0]);
  assert.deepEqual(down07, [0, null, 0, null], 'the way down ends at no extra load, still down');
  assert.deepEqual(upFix, [100, null, 95, 40]);
  assert.deepEqual(downFix, [100, 100, null, null], 'and the fix back up');
});
