import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ParleyError } from '../domain/errors.js';
import { budgetWindows, type Admission, type RateBudgetOptions, type SendBudget, type SendPermit, type SendPriority } from './rate-budget.js';

/**
 * One account's budget shared by every Parley process through Redis: the same rule as the
 * in-process `RateBudget` (a sliding log of real send instants per window, places held by admitted
 * requests not yet sent, the margin, pauses after a vendor 429, live before background), decided
 * atomically by one Lua script per admission on Redis's own clock, so processes on different hosts
 * agree on "now".
 *
 * Keys (`<prefix>:budget:<account>:…`): `w<i>` a sorted set of send instants per window; `held` the
 * places admitted and not yet sent (scored by when the hold lapses, so a process that died holding
 * one gives it back); `live` the live requests waiting anywhere (scored by a short heartbeat), which
 * background requests let go first; `pause` the instant a vendor 429 ends.
 *
 * Each process queues its own waiters FIFO (live ahead of background) and only its head asks Redis;
 * the script answers "admitted" or how long until a place frees (−1: places are held by requests
 * about to leave, ask again shortly). So the budget paces (waiters wait for their slot) rather than
 * rejects, and across processes the first head to ask after a slot frees gets it.
 */

const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local held, pause, live = KEYS[1], KEYS[2], KEYS[3]
local id, background, holdMs, liveMs, n = ARGV[1], ARGV[2] == '1', tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', held, '-inf', now)
redis.call('ZREMRANGEBYSCORE', live, '-inf', now)
local wait = 0
local unknown = false
local p = tonumber(redis.call('GET', pause) or '0')
if p > now then wait = p - now end
if background then
  if redis.call('ZCARD', live) > 0 then unknown = true end
else
  redis.call('ZADD', live, now + liveMs, id)
  redis.call('PEXPIRE', live, liveMs * 2)
end
local h = redis.call('ZCARD', held)
for i = 1, n do
  local log = KEYS[3 + i]
  local limit, span = tonumber(ARGV[4 + 2 * i]), tonumber(ARGV[5 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now - span)
  local free = limit - h
  if free <= 0 then
    unknown = true
  else
    local count = redis.call('ZCARD', log)
    if count >= free then
      local e = redis.call('ZRANGE', log, count - free, count - free, 'WITHSCORES')
      local at = tonumber(e[2]) + span
      if at - now > wait then wait = at - now end
    end
  end
end
if wait <= 0 and not unknown then
  redis.call('ZADD', held, now + holdMs, id)
  redis.call('PEXPIRE', held, holdMs * 2)
  redis.call('ZREM', live, id)
  return {1, 0}
end
if unknown and wait <= 0 then return {0, -1} end
return {0, math.ceil(wait)}
`;

const SENT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREM', KEYS[1], ARGV[1])
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], math.ceil(tonumber(ARGV[i])) + 1000)
end
return now
`;

const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local target = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if target > current then redis.call('SET', KEYS[1], target, 'PX', tonumber(ARGV[1]) + 1000) end
return target
`;

/** how long an admitted request may take to leave before its place lapses (a process died holding it) */
const HOLD_MS = 60_000;
/** a live waiter's heartbeat: background requests let it go first while it is fresh */
const LIVE_MS = 2_000;
/** when every place is held by a request about to leave, ask again this soon */
const POLL_MS = 15;
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Waiter {
  id: string;
  deadline: number;
  background: boolean;
  signal?: AbortSignal;
  resolve(admission: Admission): void;
  reject(reason: unknown): void;
  dispose(): void;
}

export interface RedisRateBudgetOptions extends RateBudgetOptions {
  redis: Redis;
  /** `<prefix>:budget:<account>` */
  key: string;
}

export class RedisRateBudget implements SendBudget {
  private readonly redis: Redis;
  private readonly key: string;
  private readonly windows: { limit: number; spanMs: number }[];
  private readonly queue: Waiter[] = [];
  private pumping = false;
  private wake: (() => void) | undefined;

  constructor(opts: RedisRateBudgetOptions) {
    this.redis = opts.redis;
    this.key = opts.key;
    this.windows = budgetWindows(opts);
  }

  private keys(): string[] {
    return [`${this.key}:held`, `${this.key}:pause`, `${this.key}:live`, ...this.windows.map((_, i) => `${this.key}:w${i}`)];
  }

  acquire(request: { deadline: number; signal?: AbortSignal; priority?: SendPriority }): Promise<Admission> {
    const { deadline, signal } = request;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const background = request.priority === 'background';
    return new Promise<Admission>((resolve, reject) => {
      const onAbort = (): void => {
        this.drop(waiter);
        reject(signal!.reason);
      };
      const expire = (): void => {
        // its turn did not come in time (the head's own deadline is checked against Redis's answer)
        if (this.queue[0] === waiter) return;
        this.drop(waiter);
        resolve({ ok: false, retryAfterMs: Math.ceil(this.windows[0]!.spanMs * (this.queue.length + 1)) });
      };
      const expiry = deadline - Date.now() <= MAX_TIMER_MS ? setTimeout(expire, Math.max(0, deadline - Date.now())) : undefined;
      const waiter: Waiter = {
        id: randomUUID(),
        deadline,
        background,
        signal,
        resolve,
        reject,
        dispose: () => {
          clearTimeout(expiry);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const position = background ? this.queue.length : indexOrEnd(this.queue.findIndex((w) => w.background), this.queue.length);
      this.queue.splice(position, 0, waiter);
      this.kick();
    });
  }

  pauseUntil(epochMs: number): void {
    const ms = Math.ceil(epochMs - Date.now());
    if (ms <= 0) return;
    void this.redis.eval(PAUSE, 1, `${this.key}:pause`, ms).catch(() => {});
  }

  private drop(waiter: Waiter): void {
    waiter.dispose();
    const i = this.queue.indexOf(waiter);
    if (i >= 0) this.queue.splice(i, 1);
    if (!waiter.background) void this.redis.zrem(`${this.key}:live`, waiter.id).catch(() => {});
    if (i === 0) this.kick();
  }

  /** wakes the pump if it sleeps, or starts it */
  private kick(): void {
    if (this.pumping) {
      this.wake?.();
      return;
    }
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async pump(): Promise<void> {
    const keys = this.keys();
    const windowArgs = this.windows.flatMap((w) => [w.limit, w.spanMs]);
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      let answer: [number, number];
      try {
        answer = (await this.redis.eval(ACQUIRE, keys.length, ...keys, head.id, head.background ? '1' : '0', HOLD_MS, LIVE_MS, this.windows.length, ...windowArgs)) as [number, number];
      } catch (e) {
        // Redis is unreachable: the request fails (the caller maps it), the queue goes on
        if (this.queue[0] === head) {
          this.queue.shift();
          head.dispose();
          head.reject(new ParleyError(503, `the shared rate budget (Redis) could not be reached: ${(e as Error).message}`));
        }
        continue;
      }
      if (this.queue[0] !== head) {
        // aborted while Redis decided: a place it got is given back
        if (answer[0] === 1) void this.redis.zrem(`${this.key}:held`, head.id).catch(() => {});
        continue;
      }
      const now = Date.now();
      if (answer[0] === 1) {
        this.queue.shift();
        head.dispose();
        head.resolve({ ok: true, permit: this.permit(head.id) });
        continue;
      }
      const waitMs = answer[1] < 0 ? POLL_MS : answer[1];
      if (now + waitMs > head.deadline) {
        this.queue.shift();
        head.dispose();
        if (!head.background) void this.redis.zrem(`${this.key}:live`, head.id).catch(() => {});
        head.resolve({ ok: false, retryAfterMs: Math.max(waitMs, POLL_MS) });
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, waitMs);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = undefined;
    }
  }

  private permit(id: string): SendPermit {
    let open = true;
    return {
      sent: () => {
        if (!open) return;
        open = false;
        const keys = [`${this.key}:held`, ...this.windows.map((_, i) => `${this.key}:w${i}`)];
        void this.redis
          .eval(SENT, keys.length, ...keys, id, ...this.windows.map((w) => w.spanMs))
          .catch(() => {})
          .finally(() => this.wake?.());
      },
      release: () => {
        if (!open) return;
        open = false;
        void this.redis
          .zrem(`${this.key}:held`, id)
          .catch(() => {})
          .finally(() => this.wake?.());
      },
    };
  }
}

function indexOrEnd(i: number, end: number): number {
  return i === -1 ? end : i;
}
