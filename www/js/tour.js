// The guided tour: each step sets the whole scenario and the time, so Back is just the
// previous step applied again. A step that plays stops at `until`, the moment its text
// describes (at `pace` simulated minutes a second, if given, for a moment that passes fast);
// `shows` is the phase the run is in there (an end-to-end test checks each one).

export const STEPS = [
  {
    title: 'A calm day',
    preset: 'aug-2007', t: 120, play: false, shows: 'stable',
    text: 'Early on Thursday 16 August 2007. Each dot is a group of Skype users, filled blue when they are online. The squares are supernodes: ordinary PCs with good connections that carry about 200 users each, filled as far as they are loaded. People restart their PCs now and then and log back in within minutes. The charts show a flat line: this network works.',
  },
  {
    title: 'The patch lands',
    preset: 'aug-2007', t: 355, until: 372, play: true, shows: 'reboot-wave',
    text: 'Patch Tuesday\'s Windows updates make PCs restart, and in this scenario 70% of them do so within one hour. Grey dots are PCs restarting. Supernodes are Windows PCs too: they go down with everyone else, and their users lose their connection.',
  },
  {
    title: 'The reboot wave',
    preset: 'aug-2007', t: 372, until: 402, play: true, shows: 'reboot-wave',
    text: 'Every restarted PC tries to log in again, and a supernode accepts only 15 new logins a minute. Yellow hollow squares are waiting to retry; green ringed ones are logging in. Beside the animation, the users chart dips; below it, the login attempts climb.',
  },
  {
    title: 'Dominoes',
    preset: 'aug-2007', t: 400, until: 410, pace: 1, play: true, shows: 'collapsed',
    text: 'A supernode flooded with more logins than it can take switches itself off (the red-orange flash) and drops all its users, who join the queue. Waiting clients retry every minute on the same supernode, so the flood moves to the next one: dominoes.',
  },
  {
    title: 'The collapse',
    preset: 'aug-2007-unaided', t: 900, play: false, shows: 'collapsed',
    text: 'Nobody can stay online, and no supernode is left. Every supernode that comes back is flooded at once by the retries of everyone waiting, and switches itself off again. The self-healing planner counts only logged-in users, so it promotes nobody; but that is not what keeps this network down. Below, fix the planner alone and it stays down; change only what a flooded supernode does, from the start, and it recovers.',
  },
  {
    title: 'The collapse outlives its trigger',
    preset: 'aug-2007-unaided', t: 2400, play: false, shows: 'collapsed',
    action: { label: 'Send in the engineers', target: 'engineers' },
    text: 'The last PC restarted more than a day ago, yet the network is still down: the retries themselves now keep it there. This is a metastable failure. In 2007 Skype said its self-healing "needed outside intervention and assistance by our engineers", without saying what they did. In 2010 they brought up dedicated mega-supernodes: press "Send in the engineers" to do the same here, and watch the network come back as they do, over hours.',
  },
  {
    title: 'The fix',
    preset: 'aug-2007-fixed', t: 330, until: 540, play: true, shows: 'recovered',
    text: 'The same update and the same restarts, on a network that picks the less loaded of two supernodes, backs off at random, turns excess logins away politely and counts waiting users as demand. Watch the dip: it is real, and it is short. Now try the controls: spread the update over a day, or flip one switch at a time.',
  },
];

export class Tour {
  /** `apply(step, n)` sets the scenario for step n (1-based); `onClose()` when the tour ends. */
  constructor(els, apply, onClose = () => {}) {
    this.els = els;
    this.apply = apply;
    this.onClose = onClose;
    this.index = -1;
    els.back.addEventListener('click', () => this.go(this.index - 1));
    els.next.addEventListener('click', () => (this.index + 1 < STEPS.length ? this.go(this.index + 1) : this.close()));
    els.close.addEventListener('click', () => this.close());
    els.action?.addEventListener('click', () => {
      const step = STEPS[this.index];
      if (step?.action) document.getElementById(step.action.target)?.click();
    });
  }

  /** Step `i` (0-based): its text, and its scenario applied. */
  go(i) {
    this.show(i);
    this.apply(STEPS[this.index], this.index + 1);
    this.els.title.focus({ preventScroll: true });
  }

  /** Whether a page at `preset`, minute `t`, is step `i`'s (0-based) scenario, at or after its start. */
  fits(i, preset, t) {
    const step = STEPS[Math.max(0, Math.min(STEPS.length - 1, i))];
    return step.preset === preset && t >= step.t;
  }

  /** Step `i` (0-based): its text only (the scenario is already set, say from a link). */
  show(i) {
    const idx = Math.max(0, Math.min(STEPS.length - 1, i));
    this.index = idx;
    const step = STEPS[idx];
    this.els.panel.hidden = false;
    this.els.count.textContent = `Step ${idx + 1} of ${STEPS.length}`;
    this.els.title.textContent = step.title;
    this.els.text.textContent = step.text;
    this.els.back.disabled = idx === 0;
    // A step that asks the reader to do something offers it here, where they are reading.
    if (this.els.action) {
      this.els.action.hidden = !step.action;
      this.els.action.textContent = step.action?.label ?? '';
    }
    document.body.dataset.touring = '1';
    this.els.next.textContent = idx + 1 < STEPS.length ? 'Next' : 'Finish';
  }

  close() {
    const was = this.active;
    this.index = -1;
    this.els.panel.hidden = true;
    delete document.body.dataset.touring;
    if (was) this.onClose();
  }

  get active() { return this.index >= 0; }
}
