// The class worksheet's content, from a run as the page describes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { worksheet } from '../../www/js/worksheet.js';

const RUN = {
  title: 'August 2007, as it happened', description: 'Patch Tuesday restarts 70% of PCs within an hour.',
  link: 'https://example.org/index.html?preset=aug-2007', settingsWords: ['Restarts happen over 12 hours.'],
  trigger: 'update', triggerAt: 'Thu, 16 Aug 2007, 06:00 UTC', lowest: { share: 0.004, at: 'Thu, 16 Aug 2007, 06:50 UTC' },
  recoveredAt: null, userHoursLost: '228 million', computedTo: 'Fri, 17 Aug 2007, 12:00 UTC',
};

test('a worksheet names the scenario, its settings and its link, and asks to predict, run and explain', () => {
  const w = worksheet(RUN);
  assert.equal(w.title, 'loginstorm worksheet: August 2007, as it happened');
  assert.match(w.setting, /70% of PCs.*Changed from the scenario: Restarts happen over 12 hours/);
  assert.equal(w.link, RUN.link);
  assert.deepEqual(w.sections.map((s) => s.heading.split(' ')[1]), ['Predict', 'Run', 'Explain']);
  assert.match(w.sections[0].prompts[0], /^When the update lands \(Thu, 16 Aug 2007, 06:00 UTC\)/);
});

test('the answers are the run\'s own numbers, and say how far it was computed', () => {
  const [lowest, back, lost, computed] = worksheet(RUN).answers;
  assert.equal(lowest, 'Lowest point: 0% of the usual users online, at Thu, 16 Aug 2007, 06:50 UTC.');
  assert.match(back, /Not back to normal/);
  assert.match(lost, /228 million/);
  assert.match(computed, /Fri, 17 Aug 2007, 12:00 UTC only/);
  assert.equal(worksheet({ ...RUN, computedTo: null }).answers.length, 3, 'a whole run needs no caveat');
  assert.deepEqual(worksheet({ ...RUN, lowest: null }).answers, ['Play the run first: nothing is computed yet.']);
});

test('the questions follow what sets the run off: a calm day, an update, a crash', () => {
  const calm = worksheet({ ...RUN, trigger: 'calm', triggerAt: null, lowest: { share: 0.97, at: 'x' } });
  assert.match(calm.sections[0].prompts[0], /^Over this normal day/);
  assert.match(calm.answers[1], /never fell below 90%/, 'a calm day is not "not back to normal"');
  assert.doesNotMatch(calm.sections[2].prompts.join(' '), /collapse goes on/);
  const crash = worksheet({ ...RUN, trigger: 'crash', triggerAt: 'Wed, 22 Dec 2010, 16:00 UTC' });
  assert.match(crash.sections[0].prompts[0], /^When the crash strikes \(Wed, 22 Dec 2010, 16:00 UTC\)/);
  assert.match(crash.sections[2].prompts.join(' '), /engineers/);
  assert.doesNotMatch(crash.sections[2].prompts.join(' '), /follow the night/, 'a crash has no update to spread');
  assert.match(worksheet(RUN).sections[2].prompts.join(' '), /follow the night/);
});
