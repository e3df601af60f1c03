/**
 * Sliding-window request limits, the way vendors describe them ("3 calls per second and 10,000
 * per day"): a request is admitted when, for every window, fewer than `limit` admitted requests
 * happened in the last `windowMs`. Rejected requests are not counted, so a client that backs off
 * for the advertised time always gets through.
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

  /** Admits and counts the request, or says how long until it would be admitted. */
  tryAcquire(): RateDecision {
    if (this.windows.length === 0) return { allowed: true };
    const now = this.clock();
    this.evict(now);
    let worst: { retryAfterMs: number; window: RateWindow } | undefined;
    for (const window of this.windows) {
      const first = this.firstIndexAfter(now - window.windowMs);
      const inWindow = this.times.length - first;
      if (inWindow >= window.limit) {
        // The request is admitted once enough of the oldest entries leave this window.
        const freeing = this.times[this.times.length - window.limit] ?? now;
        const retryAfterMs = Math.max(1, freeing + window.windowMs - now);
        if (!worst || retryAfterMs > worst.retryAfterMs) worst = { retryAfterMs, window };
      }
    }
    if (worst) return { allowed: false, ...worst };
    this.times.push(now);
    return { allowed: true };
  }

  reset(): void {
    this.times = [];
    this.head = 0;
  }

  private evict(now: number): void {
    const cutoff = now - this.longestMs;
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
