// Keyboard shortcuts as a pure mapping from a key press to an action (tested with node --test).

/** Input types that take typed text: every key stays with them. */
const TEXT_TYPES = new Set(['text', 'search', 'number', 'email', 'url', 'tel', 'password']);

/**
 * The action for key `key` pressed on an element named `tag` (its tagName) of input type
 * `type`, or null. `modified`: Alt, Ctrl or Meta is down; `helpOpen`: the help dialog is showing;
 * `clicked`: the element has focus from a click, not from the keyboard; `touring`: the tour is
 * open. Space plays and pauses from anywhere but a text field or something Space presses itself
 * (a button the reader just clicked is not pressed again: they meant play or pause); a slider or
 * radio group keeps its arrows; Page Down and Page Up (a presenter's clicker) move the tour.
 * @returns {'help' | 'toggle' | 'step' | 'back' | 'restart' | 'tour-next' | 'tour-back' | null}
 */
export function shortcut(key, { tag = 'BODY', type = '', modified = false, helpOpen = false, clicked = false, touring = false } = {}) {
  if (modified || helpOpen) return null;
  const kind = tag === 'INPUT' ? (type || 'text').toLowerCase() : '';
  const typing = tag === 'TEXTAREA' || tag === 'SELECT' || TEXT_TYPES.has(kind);
  // A button, link, summary, checkbox or radio button answers Space itself.
  const pressable = ((tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'A') && !clicked) || kind === 'checkbox' || kind === 'radio';
  const ownsArrows = kind === 'range' || kind === 'radio';
  if (typing) return null;
  if (key === '?') return 'help';
  if (key === ' ') return pressable ? null : 'toggle';
  if (key === 'ArrowRight') return ownsArrows ? null : 'step';
  if (key === 'ArrowLeft') return ownsArrows ? null : 'back';
  if (key === 'r' || key === 'R') return 'restart';
  if (key === 'PageDown' && touring) return 'tour-next';
  if (key === 'PageUp' && touring) return 'tour-back';
  return null;
}
