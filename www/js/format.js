// Chart numbers and calendar times (real users in words come from the engine: users_in_words).

/** Compact real users for chart axes: "6M", "250k". */
export function usersShort(n) {
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(0)}k`;
  return `${Math.round(n)}`;
}

/**
 * Turns simulated minutes into words. With `startsAt` (ISO, UTC) the time reads as the calendar
 * ("Thu 16 Aug 2007, 06:40 UTC"); without, as time since the start ("day 2, 06:40").
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
    const day = d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    return `${day}, ${this.hhmm(t)} UTC`;
  }

  /** Axis form: the day at midnight, the hour otherwise. */
  tick(t) {
    if (t % 1440 === 0) {
      if (this.start === null) return `day ${t / 1440 + 1}`;
      return this.date(t).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
    }
    return this.hhmm(t);
  }

  hhmm(t) {
    const m = ((Math.floor(t) % 1440) + 1440) % 1440;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  }
}
