// How the reader's settings combine with a change, and what the update button carries over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withChanges, carriedToUpdate } from '../../www/js/settings.js';

test('a bundle replaces the switches set one by one, and a switch replaces the bundle', () => {
  const one = withChanges({ retry: 'fixed', overload: 'shed', seed: '5' }, { strategy: 'fixed' });
  assert.deepEqual(one, { seed: '5', strategy: 'fixed' });
  const two = withChanges(one, { retry: 'exponential' });
  assert.deepEqual(two, { seed: '5', retry: 'exponential' });
  assert.deepEqual(withChanges({ strategy: 'naive' }, { clients: '500' }), { strategy: 'naive', clients: '500' },
    'other knobs leave the bundle alone');
});

test('applying the update carries over the timing and switches that differ from August 2007', () => {
  const base = { retry: 'fixed', supernode_choice: 'first-live', planner_demand: 'attached', overload: 'switch-off',
    reboot_window_min: 60, follow_night: false, reboot_share: 0.7 };
  // Staggered updates with the fixed bundle set by the reader.
  const values = { retry: 'exponential-jitter', supernode_choice: 'best-of-two', planner_demand: 'attached-waiting',
    overload: 'admission-control', reboot_window_min: '720', follow_night: 'false', reboot_share: '0.7' };
  assert.deepEqual(carriedToUpdate(base, values, { strategy: 'fixed', seed: '3' }), {
    seed: '3', retry: 'exponential-jitter', supernode_choice: 'best-of-two', planner_demand: 'attached-waiting',
    overload: 'admission-control', reboot_window_min: '720',
  });
  const calm = { ...values, retry: 'fixed', supernode_choice: 'first-live', planner_demand: 'attached', overload: 'switch-off',
    reboot_window_min: '60', reboot_share: '0' };
  assert.deepEqual(carriedToUpdate(base, calm, {}), {}, "a calm day's lack of an update is not carried over");
  // December 2010: a crash, on a network whose switches are its own.
  const crash = { ...values, supernode_choice: 'random', reboot_share: '0', crash_client_share: '0.2', crash_supernode_share: '0.3' };
  assert.deepEqual(carriedToUpdate(base, crash, {}), {}, "a crash scenario's switches and timing are not carried over");
  assert.deepEqual(carriedToUpdate(base, crash, { retry: 'exponential-jitter' }), { retry: 'exponential-jitter' },
    'what the reader set is');
});
