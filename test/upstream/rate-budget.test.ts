import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { RateBudget, type Admission, type SendPermit } from '../../src/upstream/rate-budget.js';

/** Timers and the clock are faked together, so waits are exact and the tests take no time. */
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const now = () => Date.now();
const permitOf = (a: Admission): SendPermit => {
  if (!a.ok) throw new Error(`refused (${a.retryAfterMs} ms)`);
  return a.permit;
};

/** any interval (t − windowMs, t] holds at most `limit` of `instants` */
function mostInAnyWindow(instants: number[], windowMs: number): number {
  const at = [...instants].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < at.length; j++) {
    while (at[j]! - at[i]! >= windowMs) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

describe('rate budget', () => {
  it('keeps every window on real send instants, however late admitted requests leave the pool', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 400 }), poolDelay: fc.integer({ min: 0, max: 1500 }), leaves: fc.boolean() }), {
          minLength: 1,
          maxLength: 40,
        }),
        async (requests) => {
          vi.setSystemTime(0);
          const budget = new RateBudget({ perSecond: 3, windows: [{ limit: 10, windowMs: 10_000 }], marginMs: 1, now });
          const sent: number[] = [];
          const done: Promise<void>[] = [];
          for (const r of requests) {
            await vi.advanceTimersByTimeAsync(r.gap);
            done.push(
              budget.acquire({ deadline: Infinity }).then(async (a) => {
                const permit = permitOf(a);
                await new Promise((resolve) => setTimeout(resolve, r.poolDelay)); // waiting for a pooled connection
                if (r.leaves) {
                  sent.push(Date.now());
                  permit.sent();
                } else permit.release(); // never left (connection refused, aborted)
              }),
            );
          }
          await vi.advanceTimersByTimeAsync(600_000);
          await Promise.all(done);
          expect(sent.length).toBe(requests.filter((r) => r.leaves).length);
          expect(mostInAnyWindow(sent, 1000)).toBeLessThanOrEqual(3);
          expect(mostInAnyWindow(sent, 10_000)).toBeLessThanOrEqual(10);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('admits in arrival order, one send per 1/rate plus 1 %, three in any 1 s plus a 3 % margin', async () => {
    const budget = new RateBudget({ perSecond: 3, now });
    const admittedAt: [number, number][] = [];
    const all = Array.from({ length: 7 }, (_, i) =>
      budget.acquire({ deadline: Infinity }).then((a) => {
        admittedAt.push([i, Date.now()]);
        permitOf(a).sent();
      }),
    );
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(all);
    expect(admittedAt.map(([i]) => i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(admittedAt.map(([, t]) => t)).toEqual([0, 337, 674, 1030, 1367, 1704, 2060]);
  });

  it('lets a live request ahead of queued background (sync) requests: it waits one slot at most', async () => {
    const budget = new RateBudget({ perSecond: 3, now });
    const order: string[] = [];
    const take = (name: string, priority: 'live' | 'background') =>
      budget.acquire({ deadline: Infinity, priority }).then((a) => {
        order.push(`${name}@${Date.now()}`);
        permitOf(a).sent();
      });
    const sync = Array.from({ length: 6 }, (_, i) => take(`sync${i}`, 'background'));
    await vi.advanceTimersByTimeAsync(500); // sync0 at 0, sync1 at 337
    const live = [take('live0', 'live'), take('live1', 'live')];
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all([...sync, ...live]);
    expect(order).toEqual(['sync0@0', 'sync1@337', 'live0@674', 'live1@1030', 'sync2@1367', 'sync3@1704', 'sync4@2060', 'sync5@2397']);
  });

  it('refuses a live request up front only by the live requests ahead of it, not the queued sync', async () => {
    const budget = new RateBudget({ perSecond: 3, now });
    for (let i = 0; i < 50; i++) void budget.acquire({ deadline: Infinity, priority: 'background' }).then((a) => permitOf(a).sent());
    await vi.advanceTimersByTimeAsync(0);
    // 50 queued sync requests would take ~17 s; a live one with 2 s of patience still gets a slot
    const live = budget.acquire({ deadline: Date.now() + 2_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await live).ok).toBe(true);
  });

  it('re-checks the window when its timer fires, and a place held by an unsent request stays taken', async () => {
    const budget = new RateBudget({ perSecond: 1, marginMs: 0, now });
    const first = permitOf(await budget.acquire({ deadline: Infinity }));
    let second: number | undefined;
    void budget.acquire({ deadline: Infinity }).then(() => (second = Date.now()));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(second).toBeUndefined(); // the first request is still waiting for a connection
    first.sent();
    await vi.advanceTimersByTimeAsync(999);
    expect(second).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(second).toBe(6_000);
  });

  it('gives a never-sent place back at once', async () => {
    const budget = new RateBudget({ perSecond: 1, now });
    const first = permitOf(await budget.acquire({ deadline: Infinity }));
    let admitted = false;
    void budget.acquire({ deadline: Infinity }).then(() => (admitted = true));
    first.release();
    first.sent(); // a late call after release changes nothing
    await vi.advanceTimersByTimeAsync(0);
    expect(admitted).toBe(true);
  });

  it('refuses at once a place beyond the deadline, saying when one frees up', async () => {
    const budget = new RateBudget({ perSecond: 1, marginMs: 0, now });
    permitOf(await budget.acquire({ deadline: Infinity })).sent();
    const r = await budget.acquire({ deadline: 500 });
    expect(r).toEqual({ ok: false, retryAfterMs: 1000 });
  });

  it('refuses a waiting request when its deadline passes', async () => {
    const budget = new RateBudget({ perSecond: 1, marginMs: 0, now });
    const held = permitOf(await budget.acquire({ deadline: Infinity })); // never sent: blocks the window
    const waiting = budget.acquire({ deadline: 2_000 });
    await vi.advanceTimersByTimeAsync(2_000);
    const r = await waiting;
    expect(r.ok).toBe(false);
    held.release();
  });

  it('enforces a daily window and honours a pause from Retry-After', async () => {
    const budget = new RateBudget({ perSecond: 1000, windows: [{ limit: 5, windowMs: 86_400_000 }], marginMs: 0, now });
    for (let i = 0; i < 5; i++) {
      const admission = budget.acquire({ deadline: 10_000 });
      await vi.advanceTimersByTimeAsync(1);
      permitOf(await admission).sent();
    }
    const r = await budget.acquire({ deadline: 10_000 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.retryAfterMs).toBeGreaterThan(86_000_000);
    vi.setSystemTime(86_400_010);
    permitOf(await budget.acquire({ deadline: Date.now() + 10_000 })).sent();
    budget.pauseUntil(Date.now() + 5000);
    let admittedAt: number | undefined;
    void budget.acquire({ deadline: Date.now() + 60_000 }).then(() => (admittedAt = Date.now()));
    await vi.advanceTimersByTimeAsync(6_000);
    expect(admittedAt).toBe(86_400_010 + 5000);
  });

  it('ends a wait at once when its signal aborts, and lets the next request through', async () => {
    const budget = new RateBudget({ perSecond: 1, marginMs: 0, now });
    permitOf(await budget.acquire({ deadline: Infinity })).sent();
    const controller = new AbortController();
    const aborted = budget.acquire({ deadline: Infinity, signal: controller.signal });
    let next: number | undefined;
    void budget.acquire({ deadline: Infinity }).then(() => (next = Date.now()));
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(new Error('gone'));
    await expect(aborted).rejects.toThrow('gone');
    await vi.advanceTimersByTimeAsync(900);
    expect(next).toBe(1000); // the aborted request took no place
  });
});
