// How the reader's settings combine with a change, and what the update button carries over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withChanges, carriedToUpdate, switchesAt, forkedSettings, parseChanges, writeChanges } from '../../www/js/settings.js';

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

const FLAWED = {
  supernode_choice: 'first-live', retry: 'fixed', planner_demand: 'attached', overload: 'switch-off', supernode_capacity: '330', handshakes_per_min: '15',
};

test('a switch changed during a run forks it: earlier changes stay, later ones go, only what differs is written', () => {
  const values = { ...FLAWED, live_changes: '100:overload=shed;500:retry=exponential' };
  assert.deepEqual(switchesAt(values, 99), FLAWED, 'before the first change, the run\'s own switches');
  assert.equal(switchesAt(values, 100).overload, 'shed');
  assert.deepEqual(switchesAt(values), { ...FLAWED, overload: 'shed', retry: 'exponential' }, 'after every change');
  // At 300, after going back before the change at 500: that one was the future left behind.
  const at300 = forkedSettings({ seed: '3' }, values, 300, { ...switchesAt(values, 300), overload: 'admission-control' });
  assert.deepEqual(at300, { settings: { seed: '3', live_changes: '100:overload=shed;300:overload=admission-control' }, switches: 'overload=admission-control' });
  // Back to the switches already in force: no change is added.
  const same = forkedSettings({}, values, 600, switchesAt(values));
  assert.equal(same.switches, '');
  assert.equal(same.settings.live_changes, values.live_changes);
  // Back to the run's own switches from before the first change: no change remains at all.
  assert.deepEqual(forkedSettings({}, { ...FLAWED, live_changes: '100:overload=shed' }, 50, FLAWED), { settings: {}, switches: '' });
  assert.equal(writeChanges(parseChanges(values.live_changes)), values.live_changes, 'the knob\'s text round-trips');
  // A supernode's limits change the same way, written after the switches, as the engine writes them.
  const limits = forkedSettings({}, values, 700, { ...switchesAt(values), handshakes_per_min: '200', overload: 'shed' });
  assert.equal(limits.switches, 'handshakes_per_min=200', 'only what differs from what is in force');
  assert.equal(limits.settings.live_changes, '100:overload=shed;500:retry=exponential;700:handshakes_per_min=200');
});

test('a run holds at most four switch changes, and the fifth is refused naming the knob', () => {
  const values = { ...FLAWED, live_changes: '1:retry=exponential;2:retry=fixed;3:retry=exponential;4:retry=fixed' };
  const r = forkedSettings({}, values, 10, { ...FLAWED, overload: 'shed' });
  assert.match(r.problem, /^live_changes: a run holds at most 4/);
});
