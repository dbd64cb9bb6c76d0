// Keyboard shortcuts: what each key does, and where it leaves the key to the control.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shortcut } from '../../www/js/keys.js';

test('keys on the page act on the playback', () => {
  assert.equal(shortcut(' '), 'toggle');
  assert.equal(shortcut('ArrowRight'), 'step');
  assert.equal(shortcut('ArrowLeft'), 'back');
  assert.equal(shortcut('R'), 'restart');
  assert.equal(shortcut('r'), 'restart');
  assert.equal(shortcut('?'), 'help');
  assert.equal(shortcut('x'), null);
});

test('controls, modifiers and the open help keep their keys', () => {
  assert.equal(shortcut(' ', { tag: 'BUTTON' }), null, 'a button presses itself');
  assert.equal(shortcut('ArrowRight', { tag: 'INPUT', type: 'range' }), null, 'a slider moves itself');
  assert.equal(shortcut('ArrowLeft', { tag: 'INPUT', type: 'radio' }), null, 'a radio group moves itself');
  assert.equal(shortcut('?', { tag: 'INPUT' }), null, 'typing a question mark');
  assert.equal(shortcut(' ', { tag: 'INPUT', type: 'text' }), null, 'typing a space');
  assert.equal(shortcut('r', { tag: 'TEXTAREA' }), null, 'typing an r');
  assert.equal(shortcut(' ', { tag: 'INPUT', type: 'checkbox' }), null, 'a checkbox ticks itself');
  assert.equal(shortcut('ArrowLeft', { tag: 'BUTTON' }), 'back', 'arrows still step from a button');
  assert.equal(shortcut('r', { modified: true }), null, 'Ctrl+R reloads');
  assert.equal(shortcut(' ', { helpOpen: true }), null, 'the help dialog has the keys');
});

test('Space plays and pauses from a slider too: the time slider, the speed', () => {
  assert.equal(shortcut(' ', { tag: 'INPUT', type: 'range' }), 'toggle');
  assert.equal(shortcut('?', { tag: 'INPUT', type: 'range' }), 'help');
  assert.equal(shortcut('ArrowRight', { tag: 'INPUT', type: 'checkbox' }), 'step', 'a checkbox has no use for arrows');
});

test('Space after clicking a button plays or pauses; after tabbing to it, it presses the button', () => {
  assert.equal(shortcut(' ', { tag: 'BUTTON', clicked: true }), 'toggle', 'clicked: the reader meant play or pause');
  assert.equal(shortcut(' ', { tag: 'BUTTON', clicked: false }), null, 'reached by Tab: Space presses it');
  assert.equal(shortcut(' ', { tag: 'INPUT', type: 'checkbox', clicked: true }), null, 'a checkbox still takes its Space');
});

test("a presenter's clicker (Page Down, Page Up) moves the tour, and nothing else", () => {
  assert.equal(shortcut('PageDown', { touring: true }), 'tour-next');
  assert.equal(shortcut('PageUp', { touring: true }), 'tour-back');
  assert.equal(shortcut('PageDown', { touring: false }), null, 'without the tour the page scrolls');
});
