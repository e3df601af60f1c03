/**
 * Sliding-window request limits, the way vendors describe them ("3 calls per second and 10,000
 * per day"): a request is admitted when, for every window, no interval of `windowMs` would hold
 * more than `limit` admitted requests. Rejected requests are not counted, so a client that backs
 * off for the advertised time always gets through.
 *
 * Requests are counted at their *arrival* instant, which a simulator may pass in: a request held
 * up inside the simulator (a `timeout` fault with `afterMs`, a slow body) is decided after later
 * ones, and still counts where it arrived. Decisions out of arrival order stay strict: no interval
 * of `windowMs` ever holds more than `limit` admissions.
 */

export interface RateWindow {
  limit: number;
  windowMs: number;
}

export type RateDecision =
  | { allowed: true }
  | { allowed: false; retryAfterMs: number; window: RateWindow };

export class SlidingWindowRateLimiter {
  private readonly windows: RateWindow[];
  private readonly longestMs: number;
  /** admission times, ascending; entries before `head` have left every window */
  private times: number[] = [];
  private head = 0;

  /** Windows with a non-finite or non-positive limit are ignored (no limit). */
  constructor(
    windows: readonly RateWindow[],
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.windows = windows.filter((w) => Number.isFinite(w.limit) && w.limit > 0 && w.windowMs > 0);
    this.longestMs = Math.max(0, ...this.windows.map((w) => w.windowMs));
  }

  /**
   * Admits and counts a request that arrived at `at` (default: now on the limiter's clock), or
   * says how long until it would be admitted.
   */
  tryAcquire(at: number = this.clock()): RateDecision {
    if (this.windows.length === 0) return { allowed: true };
    this.evict(at);
    const pos = this.firstIndexAfter(at);
    let worst: { retryAfterMs: number; window: RateWindow } | undefined;
    for (const window of this.windows) {
      const wait = this.excess(window, at, pos);
      if (wait !== undefined && (!worst || wait > worst.retryAfterMs)) worst = { retryAfterMs: wait, window };
    }
    if (worst) return { allowed: false, ...worst };
    this.times.splice(pos, 0, at);
    return { allowed: true };
  }

  reset(): void {
    this.times = [];
    this.head = 0;
  }

  /**
   * With `at` inserted at `pos`, any `limit + 1` consecutive admissions must span at least
   * `windowMs` (then no half-open interval of that length holds more than `limit`). Undefined when
   * they do; else the wait until the oldest admission that breaks the rule leaves the window.
   */
  private excess(window: RateWindow, at: number, pos: number): number | undefined {
    const { limit, windowMs } = window;
    const length = this.times.length + 1;
    const nth = (i: number): number => (i < pos ? this.times[i]! : i === pos ? at : this.times[i - 1]!);
    let wait: number | undefined;
    for (let i = Math.max(this.head, pos - limit); i <= pos && i + limit < length; i++) {
      const first = nth(i);
      if (nth(i + limit) - first < windowMs) wait = Math.max(wait ?? 0, Math.max(1, first + windowMs - at));
    }
    return wait;
  }

  private evict(now: number): void {
    // a minute of slack keeps what a request decided out of order may still need
    const cutoff = now - this.longestMs - 60_000;
    while (this.head < this.times.length && (this.times[this.head] as number) <= cutoff) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  /** index of the first admission strictly after `instant` (binary search) */
  private firstIndexAfter(instant: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.times[mid] as number) <= instant) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
