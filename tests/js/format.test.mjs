// The clock's words: the calendar as en-GB writes it (by hand, without Intl), or days since the start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Clock, grouped, usersShort, restartWindow, splitWhy } from '../../www/js/format.js';

const DAY = 1440;

test('a dated run reads as the calendar, in UTC', () => {
  const c = new Clock('2007-08-16T00:00:00Z');
  assert.equal(c.long(6 * 60 + 40), 'Thu, 16 Aug 2007, 06:40 UTC');
  assert.equal(c.long(DAY + 5), 'Fri, 17 Aug 2007, 00:05 UTC');
  assert.equal(c.tick(DAY), 'Fri 17 Aug', 'midnight ticks name the day');
  assert.equal(c.tick(DAY + 90), '01:30', 'other ticks the hour');
  assert.equal(c.short(DAY + 14 * 60 + 53), 'Fri 14:53', 'tables: the weekday and the time');
  const winter = new Clock('2010-12-22T00:00:00Z');
  assert.equal(winter.long(10 * DAY + 60), 'Sat, 1 Jan 2011, 01:00 UTC', 'across a year');
});

test('it agrees with Intl en-GB on every day of a year', () => {
  const c = new Clock('2007-01-01T00:00:00Z');
  const intl = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  for (let day = 0; day < 365; day++) {
    // ICU writes September "Sept"; the page keeps three letters for every month.
    const expected = intl.format(new Date(Date.UTC(2007, 0, 1 + day))).replace('Sept', 'Sep');
    assert.equal(c.tick(day * DAY), expected, `day ${day}`);
  }
});

test('an undated run counts days from the start', () => {
  const c = new Clock(undefined);
  assert.equal(c.long(DAY + 61), 'day 2, 01:01');
  assert.equal(c.tick(2 * DAY), 'day 3');
  assert.equal(c.short(DAY + 61), 'day 2 01:01');
});

test('chart numbers are compact', () => {
  assert.equal(usersShort(6_000_000), '6M');
  assert.equal(usersShort(250_400), '250k');
  assert.equal(usersShort(42.4), '42');
});

test('grouped numbers read as toLocaleString("en") writes them', () => {
  for (const n of [0, 7, 999, 1000, 20_000, 1_000_000, 9_000_000, 2007, 0.6, 0.05, 0.001, 12.3456, -4200, 18446744073709552000]) {
    assert.equal(grouped(n), n.toLocaleString('en'), String(n));
  }
});

test('the restart window reads as a span of time, and says when the update follows the night', () => {
  assert.equal(restartWindow(10), 'within 10 minutes');
  assert.equal(restartWindow(60), 'within an hour');
  assert.equal(restartWindow(720), 'over 12 hours');
  assert.equal(restartWindow(90), 'over 1.5 hours');
  assert.equal(restartWindow(1440), 'over a day');
  assert.equal(restartWindow(2880), 'over 2 days');
  assert.equal(restartWindow(60, true), 'within an hour in each time zone, one zone an hour');
});

test('a collapse caption folds its why away; others stay whole', () => {
  const c = 'Collapse: nobody can stay online and no supernode is left. Why: a flooded supernode switches off; clients retry (all in step). The last PC restarted 2 hours ago. On the real day few stayed.';
  assert.deepEqual(splitWhy(c), {
    what: 'Collapse: nobody can stay online and no supernode is left. The last PC restarted 2 hours ago. On the real day few stayed.',
    why: 'A flooded supernode switches off; clients retry (all in step).',
  });
  assert.deepEqual(splitWhy('Collapse: x. Why: y.'), { what: 'Collapse: x.', why: 'Y.' });
  assert.deepEqual(splitWhy('A normal day.'), { what: 'A normal day.', why: '' });
});
