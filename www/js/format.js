// Chart numbers and calendar times (real users in words come from the engine: users_in_words).

/**
 * A number as English writes it, thousands grouped and at most three decimals ("9,000,000",
 * "0.05"), like toLocaleString('en') but without Intl: its first use costs the page tens of
 * milliseconds of locale data.
 */
export function grouped(n) {
  const [whole, frac] = String(Math.round(n * 1000) / 1000).split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = whole.slice(sign.length).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${digits}${frac ? `.${frac}` : ''}`;
}

/** Compact real users for chart axes: "6M", "250k". */
export function usersShort(n) {
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(0)}k`;
  return `${Math.round(n)}`;
}

// Calendar words by hand, as en-GB writes them: Intl's first formatter costs the page tens of
// milliseconds to make (its locale data), and toLocaleDateString makes one at every call.
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Turns simulated minutes into words. With `startsAt` (ISO, UTC) the time reads as the calendar
 * ("Thu, 16 Aug 2007, 06:40 UTC"); without, as time since the start ("day 2, 06:40").
 */
export class Clock {
  constructor(startsAt) {
    const ms = Date.parse(startsAt ?? '');
    this.start = Number.isFinite(ms) ? ms : null;
  }

  date(t) { return new Date((this.start ?? 0) + t * 60_000); }

  /** Long form for the time display and the caption. */
  long(t) {
    if (this.start === null) return `day ${Math.floor(t / 1440) + 1}, ${this.hhmm(t)}`;
    const d = this.date(t);
    return `${WEEKDAYS[d.getUTCDay()]}, ${this.dayMonth(d)} ${d.getUTCFullYear()}, ${this.hhmm(t)} UTC`;
  }

  /** Short form for tables: the weekday and the time ("Thu 14:53"; "day 2 14:53" without a date). */
  short(t) {
    if (this.start === null) return `day ${Math.floor(t / 1440) + 1} ${this.hhmm(t)}`;
    return `${WEEKDAYS[this.date(t).getUTCDay()]} ${this.hhmm(t)}`;
  }

  /** Axis form: the day at midnight, the hour otherwise. */
  tick(t) {
    if (t % 1440 === 0) {
      if (this.start === null) return `day ${t / 1440 + 1}`;
      const d = this.date(t);
      return `${WEEKDAYS[d.getUTCDay()]} ${this.dayMonth(d)}`;
    }
    return this.hhmm(t);
  }

  dayMonth(d) { return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`; }

  hhmm(t) {
    const m = ((Math.floor(t) % 1440) + 1440) % 1440;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  }
}

/** The restart window in words; following the night, each time zone restarts within it in turn. */
export function restartWindow(m, followNight = false) {
  let span;
  if (m < 60) span = `within ${m} minutes`;
  else if (m === 60) span = 'within an hour';
  else if (m < 1440) span = `over ${+(m / 60).toFixed(1)} hours`;
  else if (m === 1440) span = 'over a day';
  else span = `over ${+(m / 1440).toFixed(1)} days`;
  return followNight ? `${span} in each time zone, one zone an hour` : span;
}

/** A span of `m` minutes in words: "25 min", "3 h 20 min", "2 days 4 h". */
export function span(m) {
  const min = Math.round(m);
  if (min < 60) return `${min} min`;
  if (min < 1440) return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
  const days = Math.floor(min / 1440);
  const h = Math.round((min % 1440) / 60);
  return `${days} day${days > 1 ? 's' : ''}${h ? ` ${h} h` : ''}`;
}

/**
 * A caption split into what happens and why: the engine's collapse caption carries one sentence
 * "Why: ….", which the page folds away so the caption stays short. Returns {what, why} (why
 * empty when there is none).
 */
export function splitWhy(caption) {
  const at = caption.indexOf(' Why: ');
  if (at < 0) return { what: caption, why: '' };
  const end = caption.indexOf('. ', at + 6);
  const stop = end < 0 ? caption.length : end + 1;
  return { what: `${caption.slice(0, at)}${caption.slice(stop)}`, why: caption.slice(at + 6, stop).replace(/^./, (c) => c.toUpperCase()) };
}
