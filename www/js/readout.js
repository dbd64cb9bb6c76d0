// What the page says about the run as it goes: the charts and the event list, the caption and
// the phase, the spoken status, and problems with the reader's input.
import { users_in_words as users } from '../pkg/loginstorm.js';
import { splitWhy } from './format.js';

const $ = (id) => document.getElementById(id);

/** The live region speaks at most this often while playing, unless the phase changes. */
const STATUS_EVERY_MS = 20_000;

export class Readout {
  /**
   * @param {object} options
   * @param {import('./charts.js').Charts | null} options.charts The charts, if the page has them.
   * @param {Record<string, string>} options.phaseWords Each phase's name in words.
   */
  constructor({ charts, phaseWords }) {
    this.charts = charts;
    this.phaseWords = phaseWords;
    this.clock = null;
    this.eventCount = -1;
    this.lastPhase = null;
    this.lastStatus = 0;
  }

  /** A new run, told on `clock`, `duration` minutes long, retelling a day with `record`. */
  reset(clock, duration, record = []) {
    this.clock = clock;
    this.run = { duration, record };
    this.charts?.reset(clock, duration);
    this.charts?.setRecord(record);
    const box = $('record-box');
    if (box) {
      box.hidden = record.length === 0;
      $('record').replaceChildren(...record.map((m) => {
        const li = document.createElement('li');
        const when = m.from_min === m.to_min ? clock.long(m.from_min) : `${clock.long(m.from_min)} to ${clock.long(m.to_min)}`;
        li.textContent = `${when}: ${m.label}`;
        return li;
      }));
    }
    this.eventCount = -1;
    this.lastPhase = null;
  }

  /** The charts arrive (they load once they are near the screen): they start on this run. */
  setCharts(charts) {
    this.charts = charts;
    if (this.run) {
      charts.reset(this.clock, this.run.duration);
      charts.setRecord(this.run.record);
    }
    this.eventCount = -1;
  }

  /**
   * The charts (the run as far as it is known, the part after `now` veiled) and the event list up
   * to minute `now` of `sim`.
   */
  updateCharts(sim, now) {
    if (!this.charts || !sim.ready) return;
    const charts = this.charts;
    charts.setNow(now);
    const samples = sim.samples_since(charts.lastTime() + 1);
    const upc = sim.users_per_client();
    charts.append(samples, {
      usersPerClient: upc,
      normalUsers: sim.summary().baseline_online * upc,
      normalCore: sim.normal_core() * upc,
    });
    const events = sim.events();
    if (events.length !== this.eventCount) {
      this.eventCount = events.length;
      const past = events.filter((e) => e.t_min < now);
      charts.setEvents(past);
      $('events')?.replaceChildren(...past.map((e) => {
        const li = document.createElement('li');
        const time = document.createElement('strong');
        time.textContent = `${this.clock.long(e.t_min)}: `;
        li.append(time, e.text);
        return li;
      }));
    }
    charts.redraw();
  }

  /** The run forked at minute `at`: what the charts hold from then on is another run's. */
  forget(at) {
    this.charts?.truncate(at);
    this.eventCount = -1;
  }

  /** The caption and the phase of `sim`; the live region when the phase changes. */
  updateCaption(sim, playing) {
    const caption = sim.caption();
    // On a page with room for it, the why of a collapse folds away under the caption.
    const { what, why } = $('why') ? splitWhy(caption) : { what: caption, why: '' };
    if ($('caption') && $('caption').textContent !== what) $('caption').textContent = what;
    if ($('why')) {
      $('why').classList.toggle('empty', !why);
      if ($('why-text').textContent !== why) $('why-text').textContent = why;
    }
    const s = sim.latest();
    const phase = s?.phase ?? 'stable';
    const words = this.phaseWords[phase] ?? phase;
    if ($('phase')) { $('phase').textContent = words; $('phase').dataset.phase = phase; }
    const now = performance.now();
    if (phase !== this.lastPhase || (playing && now - this.lastStatus > STATUS_EVERY_MS)) {
      this.lastPhase = phase;
      this.lastStatus = now;
      const upc = sim.users_per_client();
      this.status(s
        ? `${this.clock.long(s.t_min)}: ${words}. ${users(s.online * upc)} users online, ${users(s.supernodes * upc)} supernodes.`
        : caption);
    }
  }

  /** Says `text` in the live region. */
  status(text) { if ($('status')) $('status').textContent = text; }

  /** Lists problems with the reader's input (none: the box hides). */
  showProblems(problems) {
    const box = $('problems');
    if (!box) return;
    box.hidden = problems.length === 0;
    box.replaceChildren(...problems.map((p) => { const el = document.createElement('p'); el.textContent = p; return el; }));
  }
}
