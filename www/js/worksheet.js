// A worksheet for a class (predict, run, explain), built from the run the page shows: its
// scenario, its settings in words, its link, and the answers from the whole run, on a second
// page for the teacher. The questions follow what the scenario is: a calm day, an update, a crash.

/** Share of the usual users below which the run counts as a disruption. */
const TROUBLE = 0.9;

/** The questions to explain, by what sets the run off. */
const EXPLAIN = {
  calm: [
    'Nothing goes wrong here on purpose. What keeps the users online? What happens to a supernode\'s users when its PC restarts?',
    'Press "Apply the Patch Tuesday update". What changes, and why?',
    'Which of the four switches (under "The network\'s algorithm, switch by switch") would you change so the network survives the update? Try it.',
  ],
  update: [
    'Change one of the four switches at a time (under "The network\'s algorithm, switch by switch"). Which one decides whether the network collapses? What does it change?',
    'The collapse goes on after the last PC has restarted. Why?',
    'Spread the restarts over a day, or let the update follow the night. What changes, and why?',
  ],
  crash: [
    'Change one of the four switches at a time (under "The network\'s algorithm, switch by switch"). Which one decides whether the network collapses? What does it change?',
    'The collapse goes on after the crashes have stopped. Why?',
    'Send in the engineers earlier, or later. How does the recovery change, and why does it take hours?',
  ],
};

/**
 * The worksheet's content as plain data (the page lays it out, tests read it).
 * `run`: {title, description, link, settingsWords: string[], trigger: 'calm' | 'update' | 'crash',
 * triggerAt: string | null (when the update lands or the crash strikes), lowest: {share, at} |
 * null, recoveredAt: string | null, userHoursLost: string (in words), computedTo: string | null
 * (null: the whole run is computed)}.
 */
export function worksheet(run) {
  const trigger = run.trigger === 'crash' ? `When the crash strikes (${run.triggerAt})`
    : run.trigger === 'update' ? `When the update lands (${run.triggerAt})` : 'Over this normal day';
  const untroubled = run.lowest && run.lowest.share >= TROUBLE;
  const answers = run.lowest
    ? [
      `Lowest point: ${Math.round(run.lowest.share * 100)}% of the usual users online, at ${run.lowest.at}.`,
      untroubled ? `It never fell below ${TROUBLE * 100}% of the usual users.`
        : run.recoveredAt ? `Back to normal at ${run.recoveredAt}.` : 'Not back to normal within the run.',
      // The caption's outage cost stops at the recovery; this counts to the run's end.
      `User-hours lost over the whole run, everyday restarts after any recovery included: ${run.userHoursLost}.`,
      ...(run.computedTo ? [`(Computed up to ${run.computedTo} only: these numbers are not the whole run's.)`] : []),
    ]
    : ['Play the run first: nothing is computed yet.'];
  return {
    title: `loginstorm worksheet: ${run.title}`,
    setting: [run.description, run.settingsWords.length ? `Changed from the scenario: ${run.settingsWords.join(' ')}` : ''].filter(Boolean).join(' '),
    link: run.link,
    sections: [
      { heading: '1. Predict (before you run it)', prompts: [
        `${trigger}, what happens to the number of users online? Sketch your guess on the empty chart: users online (0 to normal) against time.`,
        run.trigger === 'calm' ? 'What would it take to knock this network over?' : 'Will the network come back by itself? If so, how soon?',
      ], sketch: true },
      { heading: '2. Run it', prompts: [
        'Open the link, press Play, and write down: the lowest number of users online, and when; when (if ever) the network is back to normal; the user-hours lost.',
      ], blanks: ['Lowest point and when', 'Back to normal at', 'User-hours lost'] },
      { heading: '3. Explain', prompts: EXPLAIN[run.trigger] ?? EXPLAIN.update, lines: 2 },
    ],
    answers,
  };
}

/** Lays `sheet` (from `worksheet`) out in `container`, for paper. */
export function layOut(sheet, container) {
  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  const parts = [el('h1', sheet.title), el('p', sheet.setting), el('p', sheet.link, 'link')];
  for (const sec of sheet.sections) {
    parts.push(el('h2', sec.heading), ...sec.prompts.map((t) => el('p', t)));
    if (sec.sketch) {
      const box = el('div', null, 'sketch');
      box.append(el('span', 'normal', 'top'), el('span', '0', 'zero'), el('span', 'time →', 'time'));
      parts.push(box);
    }
    for (const b of sec.blanks ?? []) parts.push(el('p', `${b}:`), el('div', null, 'blank'));
    for (let i = 0; i < (sec.lines ?? 0) * sec.prompts.length; i++) parts.push(el('div', null, 'blank'));
  }
  // On a page of its own, so the students' sheets can be copied without it.
  const answers = el('div', null, 'answers');
  answers.append(el('h2', `For the teacher: ${sheet.title.replace(/^loginstorm worksheet: /, '')}`),
    ...sheet.answers.map((a) => el('p', a)), el('p', sheet.link, 'link'));
  parts.push(answers);
  container.replaceChildren(...parts);
}
