// The sliders' arrow-key stops (controls.js): a step the reader can see, never stuck, never past
// the ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nudge, showValue, changesInWords } from '../../www/js/controls.js';
import { Clock } from '../../www/js/format.js';

const STOPS = [1, 2, 5, 10, 30, 60, 120];

test('an arrow moves to the next stop up or down, from a stop or from between two', () => {
  assert.equal(nudge(STOPS, 60, 1), 120);
  assert.equal(nudge(STOPS, 60, -1), 30);
  assert.equal(nudge(STOPS, 40, 1), 60, 'between stops: the next one up');
  assert.equal(nudge(STOPS, 40, -1), 30, 'and the next one down');
});

test('at either end an arrow leaves the value where it is', () => {
  assert.equal(nudge(STOPS, 120, 1), 120);
  assert.equal(nudge(STOPS, 1, -1), 1);
  assert.equal(nudge(STOPS, 500, 1), 500, 'beyond the last stop (a URL value): no jump back');
});

test("a knob naming a moment shows the run's calendar time, other minutes stay durations", () => {
  const clock = new Clock('2007-08-16T00:00:00Z');
  const at = { name: 'patch_at_min', unit: 'minutes', choices: [], default: '360' };
  assert.equal(showValue(at, '360', clock), `${clock.long(360)} (minute 360)`);
  assert.match(clock.long(360), /06:00/);
  assert.equal(showValue({ ...at, name: 'reboot_window_min' }, '360', clock), '360 min (6 h)');
});

test('changes pushed during a run read as words, with their moments', () => {
  const clock = { long: (t) => `minute ${t} on the clock` };
  assert.equal(changesInWords('none'), 'none');
  assert.equal(
    changesInWords('380:overload=admission-control,handshakes_per_min=200;600:retry=fixed', clock),
    'from minute 380 on the clock, a flooded supernode answers "busy" with a fresh list of supernodes, and a supernode takes 200 handshakes a minute; then from minute 600 on the clock, after a failed login, a client tries 2007: again after the same wait, forever',
  );
  assert.equal(showValue({ name: 'live_changes', choices: [], default: 'none', unit: '' }, '5:supernode_capacity=500'), 'from minute 5, a supernode serves up to 500 clients',
    'the worksheet lists it in words, not as a number');
});
