// Keyboard shortcuts as a pure mapping from a key press to an action (tested with node --test).

/**
 * The action for key `key` pressed on an element named `tag` (its tagName), or null.
 * `modified`: Alt, Ctrl or Meta is down; `helpOpen`: the help dialog is showing.
 * @returns {'help' | 'toggle' | 'step' | 'back' | 'restart' | null}
 */
export function shortcut(key, { tag = 'BODY', modified = false, helpOpen = false } = {}) {
  if (modified || helpOpen) return null;
  const typing = tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA';
  // A button, link or summary answers Space itself.
  const pressable = tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'A';
  if (key === '?') return typing ? null : 'help';
  if (typing) return null;
  if (key === ' ') return pressable ? null : 'toggle';
  if (key === 'ArrowRight') return 'step';
  if (key === 'ArrowLeft') return 'back';
  if (key === 'r' || key === 'R') return 'restart';
  return null;
}
