import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisRateBudget } from '../../src/upstream/redis-rate-budget.js';
import { RedisLocks } from '../../src/coordination/redis-locks.js';
import { dropRedisPrefix, freshRedisPrefix, redisAvailable, REDIS_URL } from '../helpers/services.js';

/**
 * The Redis budget and locks, each used from several independent clients (as several processes
 * would): one budget across them all, one holder of a lock at a time.
 */
const available = await redisAvailable();
const prefix = freshRedisPrefix('shared');
const clients: Redis[] = [];

function client(): Redis {
  const c = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  clients.push(c);
  return c;
}

afterAll(async () => {
  for (const c of clients) c.disconnect();
  if (available.ok) await dropRedisPrefix(prefix);
});

describe.skipIf(!available.ok)('Redis-backed shared state', () => {
  it('three budgets on three connections pace one account together: one send per spacing across all', { timeout: 20_000 }, async () => {
    const key = `${prefix}:budget:a1`;
    const budgets = [0, 1, 2].map(() => new RedisRateBudget({ redis: client(), key, perSecond: 10 }));
    const sends: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const admission = await budgets[i % 3]!.acquire({ deadline: Date.now() + 15_000 });
        expect(admission.ok).toBe(true);
        if (admission.ok) {
          sends.push(Date.now());
          admission.permit.sent();
        }
      }),
    );
    const wall = Date.now() - started;
    sends.sort((a, b) => a - b);
    // 10/s: 101 ms apart and 10 in any 1.03 s; a loaded machine delays sends, never brings them closer than the log allows
    for (let i = 1; i < sends.length; i++) expect(sends[i]! - sends[i - 1]!, `send ${i}`).toBeGreaterThanOrEqual(100);
    expect(wall).toBeGreaterThanOrEqual(29 * 100);
    expect(wall).toBeLessThan(29 * 105 * 1.5);
  });

  it('refuses at once a wait beyond the deadline, and a 429 pause holds every process', { timeout: 10_000 }, async () => {
    const key = `${prefix}:budget:a2`;
    const [a, b] = [new RedisRateBudget({ redis: client(), key, perSecond: 1 }), new RedisRateBudget({ redis: client(), key, perSecond: 1 })];
    const first = await a.acquire({ deadline: Date.now() + 1000 });
    expect(first.ok).toBe(true);
    if (first.ok) first.permit.sent();
    await new Promise((r) => setTimeout(r, 20));
    const refused = await b.acquire({ deadline: Date.now() + 100 });
    expect(refused).toMatchObject({ ok: false });
    if (!refused.ok) expect(refused.retryAfterMs).toBeGreaterThan(500);
    a.pauseUntil(Date.now() + 3000);
    await new Promise((r) => setTimeout(r, 50));
    const paused = await b.acquire({ deadline: Date.now() + 1500 });
    expect(paused).toMatchObject({ ok: false });
  });

  it('a released place is free again; an aborted waiter leaves the queue with the signal\'s reason', { timeout: 10_000 }, async () => {
    const key = `${prefix}:budget:a3`;
    const budget = new RedisRateBudget({ redis: client(), key, perSecond: 1 });
    const held = await budget.acquire({ deadline: Date.now() + 1000 });
    expect(held.ok).toBe(true);
    const ac = new AbortController();
    const waiting = budget.acquire({ deadline: Date.now() + 5000, signal: ac.signal });
    ac.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    if (held.ok) held.permit.release();
    const again = await budget.acquire({ deadline: Date.now() + 200 });
    expect(again.ok).toBe(true);
  });

  it('live requests go ahead of background ones waiting in another process', { timeout: 10_000 }, async () => {
    const key = `${prefix}:budget:a4`;
    const [a, b] = [new RedisRateBudget({ redis: client(), key, perSecond: 5 }), new RedisRateBudget({ redis: client(), key, perSecond: 5 })];
    const order: string[] = [];
    const take = async (budget: RedisRateBudget, name: string, priority: 'live' | 'background') => {
      const adm = await budget.acquire({ deadline: Date.now() + 8000, priority });
      if (adm.ok) {
        order.push(name);
        adm.permit.sent();
      }
    };
    const first = await a.acquire({ deadline: Date.now() + 1000 });
    if (first.ok) first.permit.sent();
    const bg = [1, 2, 3].map((i) => take(a, `bg${i}`, 'background'));
    await new Promise((r) => setTimeout(r, 30));
    const live = [1, 2].map((i) => take(b, `live${i}`, 'live'));
    await Promise.all([...bg, ...live]);
    // at most the background request that was already at the head may slip in before the live ones
    expect(order.indexOf('live2')).toBeLessThanOrEqual(2);
  });

  it('Redis unreachable: an admission fails as a 503 naming the shared budget, not a 500', { timeout: 10_000 }, async () => {
    const down = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    down.on('error', () => {});
    clients.push(down);
    const budget = new RedisRateBudget({ redis: down, key: `${prefix}:budget:down`, perSecond: 3 });
    await expect(budget.acquire({ deadline: Date.now() + 2000 })).rejects.toMatchObject({ statusCode: 503, message: expect.stringContaining('shared rate budget') });
  });

  it('locks: one holder at a time across connections, in order within one', { timeout: 10_000 }, async () => {
    const locks = [new RedisLocks(client(), `${prefix}:lock`), new RedisLocks(client(), `${prefix}:lock`)];
    let inside = 0;
    let most = 0;
    const ran: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        locks[i % 2]!.withLock('refresh:acct', 5000, async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 10));
          ran.push(i);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(ran).toHaveLength(10);
    // callers of one process take their turns in the order they asked
    const mine = ran.filter((i) => i % 2 === 0);
    expect(mine).toEqual([...mine].sort((a, b) => a - b));
    // a holder that died (never released) keeps others out only for its TTL
    const dead = client();
    await dead.set(`${prefix}:lock:orphan`, 'someone-else', 'PX', 300);
    const started = Date.now();
    await locks[0]!.withLock('orphan', 1000, async () => {});
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});
