// The playback clock, without a DOM: turns real time into simulated minutes on a capped
// accumulator, jumps (seek, tour step, shared link) that complete before the clock plays on, and
// a new run that keeps the reader's moment. It speaks to the engine only through a small
// asynchronous interface, so the engine can live in this thread or in a Web Worker.

/**
 * The engine as the playback sees it.
 * @typedef {object} PlaybackEngine
 * @property {(t: number) => Promise<number>} seek Goes back (or ahead) to the nearest checkpoint
 *   at or before minute `t` when that is closer than going on; resolves to the minute the run is at.
 * @property {(target: number, budgetMs: number) => Promise<number>} advance Simulates towards
 *   minute `target` (going back first if it is behind) for about `budgetMs` at most; resolves to
 *   the minute the run is at.
 */

/**
 * What a frame did.
 * @typedef {object} FrameResult
 * @property {boolean} moved The run's minute changed.
 * @property {boolean} arrived The run, paused, reached the minute it was heading for: worth
 *   saying at once.
 * @property {number} behind Minutes the run is behind the clock.
 */

export class Playback {
  /**
   * @param {PlaybackEngine} engine
   * @param {{speed?: number, maxFrameS?: number, budgetMs?: number, jumpBudgetMs?: number, onPlaying?: (playing: boolean) => void}} [options]
   *   `speed`: simulated minutes per real second; `maxFrameS`: the longest real time one frame
   *   may simulate (so a background tab does not fast-forward); `budgetMs`: engine time a frame
   *   may spend; `jumpBudgetMs`: engine time a call may spend on the way to a jump's minute,
   *   where no minute is shown for itself and a frame's worth each time would leave the engine
   *   idle between calls; `onPlaying`: told whenever playing starts or stops.
   */
  constructor(engine, { speed = 60, maxFrameS = 0.25, budgetMs = 9, jumpBudgetMs = 45, onPlaying = () => {} } = {}) {
    this.engine = engine;
    this.onPlaying = onPlaying;
    this.speed = speed;
    this.maxFrameS = maxFrameS;
    this.budgetMs = budgetMs;
    this.jumpBudgetMs = Math.max(budgetMs, jumpBudgetMs);
    /** The minute the run is at, as the engine last said. */
    this.now = 0;
    /** The run's length in minutes. */
    this.duration = 0;
    this.playing = false;
    /** The clock, in simulated minutes (fractional: the particles use the fraction). */
    this.clock = 0;
    /** The minute the run is simulating towards. */
    this.target = 0;
    /** A jump is under way: the run heads for `target` before the clock moves on. */
    this.jumping = false;
    /** Real time of the last frame (ms), or null to start the accumulator afresh. */
    this.lastFrame = null;
    /** Bumped by every jump and new run: answers to older engine calls are stale. */
    this.epoch = 0;
    /** An engine call of a frame is in flight. */
    this.busy = false;
    /** Slow down at key moments (the reader can turn it off). */
    this.autoSlow = true;
    /** The reading pace at key moments, simulated minutes per real second. */
    this.slowSpeed = 4;
    /** Play at the reading pace until the run reaches this minute. */
    this.slowUntil = -1;
    /**
     * Simulated minutes a real second the run has actually moved while playing, over about the
     * last second (null until measured): below the pace, the engine is the limit.
     */
    this.rate = null;
    /** Where the rate is measured from: [real time ms, minute], or null. */
    this.rateFrom = null;
    /** Playing pauses on reaching this minute (a tour step's moment), or null. */
    this.stopAt = null;
    /** The pace (minutes a second) on the way to `stopAt`, if it has one. */
    this.stopPace = null;
  }

  /** True while playing and the engine cannot keep up with the pace (measured, not guessed). */
  get lagging() { return this.playing && this.rate !== null && this.rate < 0.7 * this.pace; }

  /** The speed the clock moves at now: the reader's, or the reading pace at a key moment. */
  get pace() {
    if (this.stopAt !== null && this.stopPace) return Math.min(this.speed, this.stopPace);
    return this.autoSlow && this.now < this.slowUntil ? Math.min(this.speed, this.slowSpeed) : this.speed;
  }

  /** True while a key moment holds the clock at the reading pace. */
  get slowed() { return this.pace < this.speed; }

  /** Something worth seeing happens: play at the reading pace until minute `t`. */
  slowDownUntil(t) { this.slowUntil = Math.max(this.slowUntil, t); }

  /** The moment the reader is at: where the run is, or where a jump under way is heading. */
  get moment() { return this.jumping ? this.target : this.now; }

  /** A new run (the engine has it, at minute 0) that sets off towards minute `t`. */
  load(duration, t = 0) {
    this.epoch++;
    this.slowUntil = -1;
    this.stopAt = null;
    this.duration = duration;
    this.now = 0;
    this.clock = Math.min(Math.max(t, 0), duration);
    this.target = Math.floor(this.clock);
    this.jumping = this.target > 0;
  }

  /** Goes to minute `t`: back through a checkpoint, forwards by simulating. */
  async seek(t) {
    const to = Math.max(0, Math.min(Math.round(t), this.duration));
    // A jump lands after (or before) any key moment it skipped: no slowing down for it.
    this.slowUntil = -1;
    this.stopAt = null;
    const epoch = ++this.epoch;
    this.target = to;
    this.clock = to;
    this.jumping = true;
    const now = await this.engine.seek(to);
    if (epoch === this.epoch) this.now = now;
  }

  /** Plays (from the start again when the run is over) or pauses. */
  setPlaying(playing) {
    if (playing && this.moment >= this.duration) this.seek(0);
    this.playing = playing;
    this.lastFrame = null;
    this.rate = null;
    this.rateFrom = null;
    this.onPlaying(playing);
  }

  /** The reader pauses: a jump under way stops where the run is, and the clock holds. */
  pause() {
    if (this.jumping) {
      this.epoch++;
      this.target = this.now;
      this.clock = this.now;
      this.jumping = false;
    }
    this.setPlaying(false);
  }

  /** Updates `rate` from where the run is at real time `nowMs`; `counts`: a frame of play. */
  measureRate(nowMs, minute, counts) {
    if (!this.playing || !counts) { this.rateFrom = null; return; }
    if (this.rateFrom === null) { this.rateFrom = [nowMs, minute]; return; }
    const [t0, m0] = this.rateFrom;
    if (nowMs - t0 < 1000) return;
    this.rate = ((minute - m0) * 1000) / (nowMs - t0);
    this.rateFrom = [nowMs, minute];
  }

  /** Forgets the last frame's time, so a pause of the page (hidden tab) is not simulated. */
  resetFrameTime() { this.lastFrame = null; }

  /**
   * One animation frame at real time `nowMs` (a hidden tab gets none, so its time does not
   * count). Resolves to what the frame did, or null when an engine call of an earlier frame is
   * still in flight.
   * @returns {Promise<FrameResult | null>}
   */
  async frame(nowMs) {
    if (this.busy) return null;
    const dt = this.lastFrame === null ? 0 : Math.min(Math.max(nowMs - this.lastFrame, 0) / 1000, this.maxFrameS);
    this.lastFrame = nowMs;
    // A jump completes before the clock plays on from it.
    const jumpUnderWay = this.jumping && this.target > this.now + 1;
    if (this.playing && !jumpUnderWay) {
      this.clock = Math.min(this.clock + dt * this.pace, this.stopAt ?? this.duration, this.duration);
      this.target = Math.floor(this.clock);
    }
    const before = this.now;
    const epoch = this.epoch;
    this.busy = true;
    let after;
    try {
      after = await this.engine.advance(this.target, this.jumping ? this.jumpBudgetMs : this.budgetMs);
    } finally {
      this.busy = false;
    }
    // A jump or a new run since the call: its answer is about a moment no longer wanted.
    if (epoch !== this.epoch) return null;
    this.now = after;
    if (after >= this.target) this.jumping = false;
    // The engine could not keep up with the clock: hold the clock where the run is.
    const most = this.pace * this.maxFrameS;
    if (this.playing && !this.jumping && this.target - after > most) this.clock = after + most;
    this.measureRate(nowMs, after, !this.jumping);
    if (this.playing && after >= this.duration) this.setPlaying(false);
    if (this.playing && this.stopAt !== null && after >= this.stopAt) {
      this.stopAt = null;
      this.setPlaying(false);
    }
    const moved = after !== before;
    return {
      moved,
      arrived: moved && after === this.target && !this.playing,
      behind: this.target - after,
    };
  }
}
