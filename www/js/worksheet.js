// A one-page worksheet for a class (predict, run, explain), built from the run the page shows:
// its scenario, its settings in words, its link, and the answers as the run has computed them.
/**
 * The worksheet's content as plain data (the page lays it out, tests read it).
 * `run`: {title, description, link, settingsWords: string[], updateAt: string | null,
 * lowest: {share, at} | null, recoveredAt: string | null, userHoursLost: string (in words),
 * computedTo: string | null (null: the whole run is computed)}.
 */
export function worksheet(run) {
  const trigger = run.updateAt ? `When the update lands (${run.updateAt})` : 'Over the run';
  const answers = run.lowest
    ? [
      `Lowest point: ${Math.round(run.lowest.share * 100)}% of the usual users online, at ${run.lowest.at}.`,
      run.recoveredAt ? `Back to normal at ${run.recoveredAt}.` : 'Not back to normal within the run as computed.',
      `User-hours lost over the whole run: ${run.userHoursLost}.`,
      ...(run.computedTo ? [`(Computed up to ${run.computedTo}: play the run to its end for the final numbers.)`] : []),
    ]
    : ['Play the run first: nothing is computed yet.'];
  return {
    title: `loginstorm worksheet: ${run.title}`,
    setting: [run.description, run.settingsWords.length ? `Changed from the scenario: ${run.settingsWords.join(' ')}` : ''].filter(Boolean).join(' '),
    link: run.link,
    sections: [
      { heading: '1. Predict (before you run it)', prompts: [
        `${trigger}, what happens to the number of users online? Sketch your guess on the empty chart: users online (0 to normal) against time.`,
        'Will the network come back by itself? If so, how soon?',
      ], sketch: true },
      { heading: '2. Run it', prompts: [
        'Open the link, press Play, and write down: the lowest number of users online, and when; when (if ever) the network is back to normal; the user-hours lost.',
      ], blanks: ['Lowest point and when', 'Back to normal at', 'User-hours lost'] },
      { heading: '3. Explain', prompts: [
        'Change one of the four switches at a time (under "The network\'s algorithm, switch by switch"). Which one decides whether the network collapses? What does it change?',
        'The collapse goes on after the last PC has restarted. Why?',
        'Spread the restarts over a day, or let the update follow the night. What changes, and why?',
      ], lines: 2 },
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
  parts.push(el('div', `For the teacher, from this run: ${sheet.answers.join(' ')}`, 'answers'));
  container.replaceChildren(...parts);
}
