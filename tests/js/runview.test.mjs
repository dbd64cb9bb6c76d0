// RunView: the page's copy of the run in the engine's worker, kept right from the worker's
// snapshots (samples, events, pictures), without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunView } from '../../www/js/engine.js';

const sample = (t) => ({ t_min: t, online: 100 - t });
/** A snapshot as the worker sends it, at minute `now`, with samples from `from`. */
function snap(now, from, extra = {}) {
  const samples = [];
  for (let t = from; t < now; t++) samples.push(sample(t));
  return {
    now, horizon: now, duration: 600, restarting: false, caption: `at ${now}`, latest: samples.at(-1) ?? null,
    summary: { baseline_online: 100 }, usersPerClient: 300, normalCore: 10, dotPx: 4, clientsPerDot: 1,
    samplesFrom: from, samples, ...extra,
  };
}
/** A stand-in for an ImageBitmap that records being let go. */
const picture = () => ({ closed: false, close() { this.closed = true; } });

test('samples grow with each snapshot, and a jump back keeps those after it (the same run)', () => {
  const v = new RunView({ duration_h: '10' });
  assert.equal(v.ready, false);
  assert.equal(v.duration_min(), 600, 'the length is known from the values before any answer');
  v.take(snap(5, 0));
  v.take(snap(9, 5));
  assert.equal(v.ready, true);
  assert.deepEqual(v.samples_since(0).map((s) => s.t_min), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(v.samples_since(7).map((s) => s.t_min), [7, 8]);
  assert.deepEqual(v.samples_since(20), []);
  // Back to minute 3: the worker sends from 3 (nothing new yet); the later minutes, already
  // computed, stay, and minutes simulated again replace their copies.
  v.take(snap(3, 3));
  assert.deepEqual(v.samples_since(0).map((s) => s.t_min), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(v.now_min(), 3);
  assert.equal(v.caption(), 'at 3');
  v.take({ ...snap(6, 3), samples: [3, 4, 5].map((t) => ({ t_min: t, online: -t })) });
  assert.deepEqual(v.samples_since(0).map((s) => s.online), [100, 99, 98, -3, -4, -5, 94, 93, 92]);
});

test('events change only when a snapshot brings them', () => {
  const v = new RunView();
  v.take(snap(2, 0, { events: [{ kind: 'update', t_min: 1 }] }));
  v.take(snap(3, 2));
  assert.equal(v.event_count(), 1);
  v.take(snap(4, 3, { events: [] }));
  assert.equal(v.event_count(), 0, 'a jump back before the event empties the list');
});

test('a picture is taken once; a newer one replaces and lets go of one never shown', () => {
  const v = new RunView();
  const first = picture();
  const second = picture();
  v.take(snap(1, 0, { frame: first, links: new Float32Array([1, 2, 3, 4, 0]) }));
  v.take(snap(2, 1, { frame: second, links: new Float32Array(0) }));
  assert.equal(first.closed, true, 'the unshown picture is let go');
  assert.equal(v.takeFrame(), second);
  assert.equal(v.takeFrame(), null, 'taken once');
  assert.equal(v.links().length, 0, 'the links of the newest picture');
  v.take(snap(3, 2));
  assert.equal(v.takeFrame(), null, 'a snapshot without a picture leaves none');
});
