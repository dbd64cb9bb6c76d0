// The playback clock without a browser: a fake engine that simulates instantly (or slowly) and
// keeps checkpoints every ten minutes, driven frame by frame with made-up real times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Playback } from '../../www/js/playback.js';

/** An engine of a run `duration` minutes long that simulates at most `perCall` minutes a call. */
class FakeEngine {
  constructor({ perCall = Infinity, every = 10 } = {}) {
    this.now = 0;
    this.horizon = 0;
    this.perCall = perCall;
    this.every = every;
    this.calls = [];
  }

  async seek(t) {
    this.calls.push(['seek', t]);
    const checkpoint = Math.min(Math.floor(t / this.every) * this.every, Math.floor(this.horizon / this.every) * this.every);
    if (t < this.now || checkpoint > this.now) this.now = checkpoint;
    return this.now;
  }

  async advance(target, budgetMs) {
    this.calls.push(['advance', target, budgetMs]);
    if (target < this.now) await this.seek(target);
    this.now = Math.min(target, this.now + this.perCall);
    this.horizon = Math.max(this.horizon, this.now);
    return this.now;
  }
}

/** Frames every `stepMs` from real time `from` until `until` (ms); returns the last result. */
async function frames(pb, from, until, stepMs = 16) {
  let last = null;
  for (let t = from; t <= until; t += stepMs) last = (await pb.frame(t)) ?? last;
  return last;
}

function playback(engine, options = {}) {
  const pb = new Playback(engine, { speed: 60, maxFrameS: 0.25, budgetMs: 9, ...options });
  pb.load(5760, 0);
  return pb;
}

test('playing turns real seconds into simulated minutes at the speed', async () => {
  const pb = playback(new FakeEngine());
  pb.setPlaying(true);
  await frames(pb, 0, 1000);
  assert.ok(pb.now >= 58 && pb.now <= 60, `about 60 minutes after a second at 60 min/s: ${pb.now}`);
  pb.speed = 600;
  await frames(pb, 1016, 2000);
  assert.ok(pb.now >= 640 && pb.now <= 660, `then 600 min/s: ${pb.now}`);
});

test('a long gap between frames moves the clock by the cap at most', async () => {
  const pb = playback(new FakeEngine());
  pb.setPlaying(true);
  await pb.frame(0);
  await pb.frame(30_000); // a background tab comes back after 30 s
  assert.equal(pb.now, 15, 'a quarter of a second at 60 min/s, not 30 s');
});

test('the clock holds still only while paused', async () => {
  const pb = playback(new FakeEngine());
  pb.setPlaying(true);
  await frames(pb, 0, 500);
  const at = pb.now;
  pb.setPlaying(false);
  await frames(pb, 516, 2000);
  assert.equal(pb.now, at, 'paused: no time passes');
  pb.setPlaying(true);
  await frames(pb, 2016, 3000);
  assert.ok(pb.now >= at + 55, `playing again: about a minute a second more (${at} -> ${pb.now})`);
});

/** Playing on a slow engine (7 minutes a frame), then a jump to minute 450 asked for. */
async function jumpingTo450() {
  const pb = playback(new FakeEngine({ perCall: 7 }));
  pb.setPlaying(true);
  await pb.frame(0);
  pb.seek(450);
  return pb;
}

test('a jump completes before the clock plays on from it', async () => {
  const pb = await jumpingTo450();
  let t = 16;
  const seen = [];
  while (pb.now < 450) {
    await pb.frame(t);
    t += 16;
    seen.push([pb.target, pb.clock]);
    assert.ok(t < 10_000, 'the jump arrives');
  }
  assert.ok(seen.every(([target, clock]) => target === 450 && clock === 450), 'neither the target nor the clock moves while the jump is under way');
  assert.ok(t > 1000, 'the jump took over a second of frames');
  await pb.frame(t);
  await pb.frame(t + 50);
  assert.ok(pb.now > 450 && pb.now <= 454, `then the clock plays on from 450, not from a second or more later: ${pb.now}`);
});

test('the way to a jump gets the longer budget; playing gets a frame\'s', async () => {
  const engine = new FakeEngine({ perCall: 7 });
  const pb = playback(engine, { jumpBudgetMs: 45 });
  pb.seek(100);
  for (let t = 0; pb.now < 100; t += 16) {
    await pb.frame(t);
    assert.ok(t < 1000, 'the jump arrives');
  }
  const budgets = (calls) => new Set(calls.filter(([kind]) => kind === 'advance').map((c) => c[2]));
  assert.deepEqual([...budgets(engine.calls)], [45], 'every call on the way had the jump budget');
  engine.calls = [];
  pb.setPlaying(true);
  await frames(pb, 1000, 2000);
  assert.ok(pb.now > 150, `playing moved on: ${pb.now}`);
  assert.deepEqual([...budgets(engine.calls)], [9], 'every call while playing had a frame\'s budget');
});

test('the moment is where a jump is heading, and a new run keeps it', async () => {
  const engine = new FakeEngine({ perCall: 5 });
  const pb = playback(engine);
  pb.seek(300);
  await pb.frame(0);
  assert.equal(pb.moment, 300, 'still catching up, the reader is at 300');
  // The reader changes a knob: a new run (at 0 in the engine) heading for the same moment.
  engine.now = 0;
  engine.horizon = 0;
  pb.load(5760, pb.moment);
  assert.equal(pb.moment, 300, 'the new run heads for 300');
  await frames(pb, 16, 3000);
  assert.equal(pb.now, 300, 'and gets there');
  assert.equal(pb.jumping, false);
});

test('going back seeks through a checkpoint', async () => {
  const engine = new FakeEngine();
  const pb = playback(engine);
  pb.seek(600);
  await pb.frame(0);
  assert.equal(pb.now, 600);
  await pb.seek(125);
  assert.equal(pb.now, 120, 'the checkpoint at or before 125');
  await pb.frame(16);
  assert.equal(pb.now, 125, 'then simulated the rest of the way');
});

test('the end of the run stops play, and playing again starts over', async () => {
  const engine = new FakeEngine();
  const told = [];
  const pb = new Playback(engine, { speed: 2000, onPlaying: (p) => told.push(p) });
  pb.load(100, 0);
  pb.setPlaying(true);
  await frames(pb, 0, 1000);
  assert.equal(pb.now, 100);
  assert.equal(pb.playing, false, 'stopped at the end');
  assert.deepEqual(told, [true, false], 'and said so');
  pb.setPlaying(true);
  assert.equal(pb.moment, 0, 'play at the end goes back to the start');
  assert.deepEqual(engine.calls.at(-1), ['seek', 0]);
});

test('a slow engine holds the clock instead of running away from it', async () => {
  const pb = playback(new FakeEngine({ perCall: 1 }), { speed: 600 });
  pb.setPlaying(true);
  const last = await frames(pb, 0, 2000);
  assert.ok(pb.clock - pb.now <= 600 * 0.25 + 1e-9, `the clock stays within a frame's worth: ${pb.clock} vs ${pb.now}`);
  assert.ok(last.behind > 0, 'and the frame says the run is behind');
});

test('the measured rate says when the engine, not the speed, sets the pace', async () => {
  // One minute a call at 60 frames a second: 60 min/s at most, under a speed of 600.
  const slow = playback(new FakeEngine({ perCall: 1 }), { speed: 600 });
  slow.setPlaying(true);
  await frames(slow, 0, 3000);
  assert.ok(slow.rate > 40 && slow.rate < 80, `about 60 min/s: ${slow.rate}`);
  assert.ok(slow.lagging, 'the engine is the limit');
  const fast = playback(new FakeEngine(), { speed: 60 });
  fast.setPlaying(true);
  await frames(fast, 0, 3000);
  assert.ok(Math.abs(fast.rate - 60) < 5, `the speed itself: ${fast.rate}`);
  assert.ok(!fast.lagging, 'keeping up');
  fast.setPlaying(false);
  assert.equal(fast.rate, null, 'paused: nothing measured');
});

test('an answer to a frame overtaken by a jump is ignored', async () => {
  let release;
  const engine = new FakeEngine();
  const slow = {
    seek: (t) => engine.seek(t),
    advance: (target, budget) => new Promise((resolve) => { release = () => resolve(engine.advance(target, budget)); }),
  };
  const pb = playback(slow);
  pb.seek(600);
  const pending = pb.frame(0);
  assert.equal(await pb.frame(5), null, 'no second call while one is in flight');
  engine.now = 600;
  engine.horizon = 600;
  pb.seek(10); // the reader drags the scrubber back while the engine works
  release();
  assert.equal(await pending, null, 'the old answer is dropped');
  assert.equal(pb.jumping, true, 'and the jump back is still under way');
  assert.equal(pb.target, 10);
});

test('a key moment slows the clock to the reading pace until its minute, unless turned off', async () => {
  const pb = playback(new FakeEngine());
  pb.setPlaying(true);
  await frames(pb, 0, 1000);
  const at = pb.now;
  pb.slowDownUntil(at + 8);
  assert.equal(pb.slowed, true);
  await frames(pb, 1016, 2000);
  assert.ok(pb.now - at <= 5, `one second at 4 min/s, not 60: ${pb.now - at}`);
  await frames(pb, 2016, 5000);
  assert.equal(pb.slowed, false, 'past the key moment');
  const later = pb.now;
  await frames(pb, 5016, 6000);
  assert.ok(pb.now - later >= 55, `back to the reader's speed: ${pb.now - later}`);
  pb.autoSlow = false;
  pb.slowDownUntil(pb.now + 100);
  const off = pb.now;
  await frames(pb, 6016, 7000);
  assert.ok(pb.now - off >= 55, `turned off, nothing slows it: ${pb.now - off}`);
});

test('pausing during a jump stops it where the run is; a jump asked for while paused completes', async () => {
  const pb = await jumpingTo450();
  for (let t = 16; t < 200; t += 16) await pb.frame(t);
  const at = pb.now;
  assert.ok(at > 0 && at < 450, `on the way: ${at}`);
  pb.pause();
  assert.equal(pb.moment, at, 'the reader is where the run is');
  for (let t = 200; t < 400; t += 16) await pb.frame(t);
  assert.equal(pb.now, at, 'the run stays there');
  pb.seek(300);
  for (let t = 400; t < 3000 && pb.now < 300; t += 16) await pb.frame(t);
  assert.equal(pb.now, 300, 'a jump asked for while paused goes all the way');
});

test('playing pauses exactly at the stop set for it, and a jump clears the stop', async () => {
  const pb = playback(new FakeEngine());
  pb.setPlaying(true);
  pb.stopAt = 30;
  await frames(pb, 0, 2000);
  assert.equal(pb.now, 30, 'held at the stop, not past it');
  assert.equal(pb.playing, false, 'and paused there');
  assert.equal(pb.stopAt, null, 'a stop is used once');
  pb.stopAt = 100;
  await pb.seek(50);
  assert.equal(pb.stopAt, null, 'a jump leaves the step: no stop');
});

test('on the way to a stop with a pace of its own, the clock keeps that pace', async () => {
  const pb = playback(new FakeEngine());
  pb.setPlaying(true);
  pb.stopAt = 30;
  pb.stopPace = 2;
  await frames(pb, 0, 1000);
  assert.ok(pb.now >= 1 && pb.now <= 2, `about 2 minutes in a second: ${pb.now}`);
  assert.equal(pb.playing, true, 'still on its way');
});
