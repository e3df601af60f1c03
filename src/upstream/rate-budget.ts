/**
 * A vendor's published request budget, paced *before* sending: every request reserves a send slot
 * synchronously, so concurrent callers queue behind each other and never exceed the budget together.
 *
 * - `perSecond` is enforced as an even spacing of 1/perSecond (plus a small safety margin), which also
 *   satisfies any sliding or token-bucket window of that rate on the vendor's side despite network jitter.
 * - longer windows (Gong: 10,000 per day) are a sliding log; when exhausted, waiting would take hours,
 *   so the reservation is refused with the time after which a slot frees up.
 */
export interface RateBudgetOptions {
  perSecond: number;
  windows?: { limit: number; windowMs: number }[];
  /** extra spacing, as a fraction of the interval, to absorb timer and network jitter (default 2%) */
  safety?: number;
  now?: () => number;
}

export type Reservation = { ok: true; delayMs: number } | { ok: false; retryAfterMs: number };

export class RateBudget {
  private readonly intervalMs: number;
  private readonly now: () => number;
  private lastSlot = -Infinity;
  private pausedUntil = 0;
  private readonly logs: { limit: number; windowMs: number; sent: number[] }[];

  constructor(opts: RateBudgetOptions) {
    this.intervalMs = (1000 / opts.perSecond) * (1 + (opts.safety ?? 0.02));
    this.now = opts.now ?? Date.now;
    this.logs = (opts.windows ?? []).map((w) => ({ ...w, sent: [] }));
  }

  /** Reserve the next send slot if it falls within `maxWaitMs`; the caller sleeps `delayMs` then sends. */
  reserve(maxWaitMs: number): Reservation {
    const now = this.now();
    let slot = Math.max(now, this.lastSlot + this.intervalMs, this.pausedUntil);
    for (const log of this.logs) {
      while (log.sent.length > 0 && log.sent[0]! <= now - log.windowMs) log.sent.shift();
      if (log.sent.length >= log.limit) {
        const frees = log.sent[log.sent.length - log.limit]! + log.windowMs;
        slot = Math.max(slot, frees);
      }
    }
    const delayMs = slot - now;
    if (delayMs > maxWaitMs) return { ok: false, retryAfterMs: delayMs };
    this.lastSlot = slot;
    for (const log of this.logs) log.sent.push(slot);
    return { ok: true, delayMs };
  }

  /** The vendor said 429 with Retry-After: nobody sends to it before then. */
  pauseUntil(epochMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, epochMs);
  }
}
