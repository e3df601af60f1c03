/**
 * A vendor's published request budget, held on the instants requests *really leave* (the moment a
 * pooled connection starts writing them), not on when a timer was meant to fire: timers fire early
 * or late, and a request admitted while every pooled connection is busy waits in the pool and
 * leaves later, next to requests admitted after it.
 *
 * Each window (the per-second rate as one send per `1000 / perSecond` ms, plus the vendor's longer
 * windows such as Gong's 10,000 a day) keeps a sliding log of send instants. A
 * request admitted but not yet sent holds a place in every window until it leaves (then its real
 * instant is logged) or gives the place back (it never left). The head of a FIFO queue is admitted
 * only when, right now, every window has a free place counting those held places, so any interval of
 * a window's length holds at most its limit of real sends; a margin widens each window to absorb
 * network jitter between our send and the vendor's arrival clock.
 *
 * The interface is small on purpose: a Redis implementation (shared by replicas) only needs
 * `acquire` (an atomic check-and-hold on sorted sets) and `pauseUntil` (a key with an expiry).
 */
export interface SendBudget {
  /**
   * Waits in FIFO order until a request may be sent now, and holds its place. Refuses at once when
   * the place would come after `deadline` (epoch ms) — e.g. a daily limit that frees up in hours —
   * and when the deadline passes while waiting. Rejects with the signal's reason when aborted.
   */
  acquire(request: { deadline: number; signal?: AbortSignal; priority?: SendPriority }): Promise<Admission>;
  /** The vendor said 429 with Retry-After: nobody sends to it before `epochMs`. */
  pauseUntil(epochMs: number): void;
}

/**
 * `live`: a client is waiting. `background` (sync runs): takes what live requests leave — a live
 * request waits behind at most the background requests already admitted, never behind queued ones.
 */
export type SendPriority = 'live' | 'background';

export type Admission = { ok: true; permit: SendPermit } | { ok: false; retryAfterMs: number };

/** A held place: exactly one of these is called, once (later calls do nothing). */
export interface SendPermit {
  /** the request started leaving now: log its real send instant */
  sent(): void;
  /** the request never left (aborted, could not connect): the place is free again */
  release(): void;
}

export interface RateBudgetOptions {
  perSecond: number;
  windows?: { limit: number; windowMs: number }[];
  /** added to each window's length, for jitter between our send and the vendor's clock (default 3 %, at most 30 ms; 1 % on the even spacing) */
  marginMs?: number;
  now?: () => number;
}

/** Send instants, ascending, in one window. */
class SendLog {
  private instants: number[] = [];
  private head = 0;

  constructor(
    readonly limit: number,
    /** the vendor's window plus the margin */
    readonly spanMs: number,
  ) {}

  add(at: number): void {
    let i = this.instants.length;
    while (i > this.head && this.instants[i - 1]! > at) i--;
    this.instants.splice(i, 0, at);
  }

  /** instants still inside the window at `now` */
  live(now: number): number {
    while (this.head < this.instants.length && this.instants[this.head]! <= now - this.spanMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.instants.length) {
      this.instants = this.instants.slice(this.head);
      this.head = 0;
    }
    return this.instants.length - this.head;
  }

  /** the `k`-th newest live instant (k ≥ 1), or of `extra` instants appended after the log */
  fromEnd(k: number, extra: readonly number[]): number {
    if (k <= extra.length) return extra[extra.length - k]!;
    return this.instants[this.instants.length - (k - extra.length)]!;
  }
}

const MAX_TIMER_MS = 2 ** 31 - 1;
/** a vendor's own window is widened by this share of its length, at most MAX_MARGIN_MS */
const MARGIN_SHARE = 0.03;
const MAX_MARGIN_MS = 30;
/** the even spacing is widened by this share only: the whole-second window below carries the margin */
const SPACING_MARGIN_SHARE = 0.01;
/** above this rate (a lifted budget) the spacing alone paces: a whole-second log of more sends buys nothing */
const MAX_WHOLE_SECOND_LIMIT = 100;

/**
 * The windows a budget keeps, each widened by its margin.
 *
 * The per-second rate is kept twice. An even spacing (3/s: one send per 336.7 ms) satisfies a vendor
 * window of that rate of any kind (sliding, fixed, token bucket, or a per-request minimum gap). A
 * whole-second window (3 sends in any 1,030 ms) carries the margin that absorbs jitter between our
 * send instant and the vendor's arrival clock: the margin is paid once per second rather than once
 * per gap, so a busy account runs at 3 per 1.03 s rather than 3 per 1.05 s, with the same slack
 * between a send and the one `limit` places before it, which is what a sliding window counts.
 * `marginMs` (tests) sets every margin, the spacing's included. Shared by the in-process and the
 * Redis budget.
 */
export function budgetWindows(opts: RateBudgetOptions): { limit: number; spanMs: number }[] {
  const margin = (windowMs: number, share: number) => opts.marginMs ?? Math.min(MAX_MARGIN_MS, windowMs * share);
  const spacingMs = 1000 / opts.perSecond;
  const perWholeSecond = Math.floor(opts.perSecond);
  const secondMs = perWholeSecond * spacingMs;
  const second =
    perWholeSecond >= 2 && perWholeSecond <= MAX_WHOLE_SECOND_LIMIT ? [{ limit: perWholeSecond, spanMs: secondMs + margin(secondMs, MARGIN_SHARE) }] : [];
  return [
    { limit: 1, spanMs: spacingMs + margin(spacingMs, SPACING_MARGIN_SHARE) },
    ...second,
    ...(opts.windows ?? []).map((w) => ({ limit: w.limit, spanMs: w.windowMs + margin(w.windowMs, MARGIN_SHARE) })),
  ];
}

interface Waiter {
  deadline: number;
  background: boolean;
  resolve(admission: Admission): void;
  reject(reason: unknown): void;
  /** stops the waiter's deadline timer and abort listener */
  dispose(): void;
}

/** The in-process budget of one account (single process; see `SendBudget` for replicas). */
export class RateBudget implements SendBudget {
  private readonly now: () => number;
  private readonly logs: SendLog[];
  private readonly queue: Waiter[] = [];
  /** admitted, neither sent nor released */
  private held = 0;
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(opts: RateBudgetOptions) {
    this.now = opts.now ?? Date.now;
    this.logs = budgetWindows(opts).map((w) => new SendLog(w.limit, w.spanMs));
  }

  acquire(request: { deadline: number; signal?: AbortSignal; priority?: SendPriority }): Promise<Admission> {
    const { deadline, signal } = request;
    const background = request.priority === 'background';
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = this.now();
    // live requests queue ahead of every background one: the queue is the live waiters, then the background ones
    const position = background ? this.queue.length : this.queue.findIndex((w) => w.background) === -1 ? this.queue.length : this.queue.findIndex((w) => w.background);
    const projected = this.projectedAdmission(now, position);
    if (projected > deadline) return Promise.resolve({ ok: false, retryAfterMs: projected - now });
    return new Promise<Admission>((resolve, reject) => {
      const onAbort = (): void => {
        this.drop(waiter);
        reject(signal!.reason);
      };
      const expire = (): void => {
        this.drop(waiter);
        const at = this.now();
        resolve({ ok: false, retryAfterMs: this.projectedAdmission(at, this.queue.length) - at });
      };
      // beyond a timer's range (or no deadline), the head check in `pump` still refuses it
      const expiry = deadline - now <= MAX_TIMER_MS ? setTimeout(expire, Math.max(0, deadline - now)) : undefined;
      const waiter: Waiter = {
        deadline,
        background,
        resolve,
        reject,
        dispose: () => {
          clearTimeout(expiry);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.splice(position, 0, waiter);
      this.pump();
    });
  }

  pauseUntil(epochMs: number): void {
    if (epochMs <= this.pausedUntil) return;
    this.pausedUntil = epochMs;
    this.pump();
  }

  private drop(waiter: Waiter): void {
    waiter.dispose();
    const i = this.queue.indexOf(waiter);
    if (i >= 0) this.queue.splice(i, 1);
    if (i === 0) this.pump();
  }

  /** Admits queue heads while every window has room now; else waits for a timer or a send/release. */
  private pump(): void {
    for (;;) {
      const head = this.queue[0];
      if (!head) return this.schedule(Infinity);
      const now = this.now();
      // (a late timer must not admit a request whose deadline has passed)
      const at = now > head.deadline ? Infinity : this.earliest(now, this.held, []);
      if (at <= now) {
        this.queue.shift();
        head.dispose();
        this.held += 1;
        head.resolve({ ok: true, permit: this.permit() });
      } else if (now > head.deadline || (at !== Infinity && at > head.deadline)) {
        this.queue.shift();
        head.dispose();
        head.resolve({ ok: false, retryAfterMs: this.projectedAdmission(now, 0) - now });
      } else {
        // at Infinity, only a send or a release can free a place, and both pump again
        return this.schedule(at);
      }
    }
  }

  private permit(): SendPermit {
    let open = true;
    return {
      sent: () => {
        if (!open) return;
        open = false;
        this.held -= 1;
        const at = this.now();
        for (const log of this.logs) log.add(at);
        this.pump();
      },
      release: () => {
        if (!open) return;
        open = false;
        this.held -= 1;
        this.pump();
      },
    };
  }

  /**
   * The earliest instant ≥ now at which one more request fits every window, with `held` places
   * held and `extra` send instants after the logged ones (projections); Infinity when held places
   * alone fill a window.
   */
  private earliest(now: number, held: number, extra: readonly number[]): number {
    let at = Math.max(now, this.pausedUntil);
    for (const log of this.logs) {
      const free = log.limit - held;
      if (free <= 0) return Infinity;
      const live = log.live(now) + extra.length;
      // the free places must include the one that the `free`-th newest live send gives back
      if (live >= free) at = Math.max(at, log.fromEnd(free, extra) + log.spanMs);
    }
    return at;
  }

  /**
   * When a request arriving now would be admitted behind `ahead` waiting requests, assuming those
   * and the ones held are sent the moment they are admitted: refuses hopeless waits up front.
   */
  private projectedAdmission(now: number, ahead: number): number {
    // held places are about to leave: count them as sent now
    const extra: number[] = Array.from({ length: this.held }, () => now);
    let at = now;
    for (let i = 0; i <= ahead; i++) {
      at = Math.max(at, this.earliest(now, 0, extra));
      extra.push(at);
    }
    return at;
  }

  private schedule(at: number): void {
    if (at === this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = at;
    if (at === Infinity) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(0, at - this.now()));
  }
}
