import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGongSimulator, type GongSimulator } from '../../sandbox/gong/index.js';
import { UpstreamClient, createDispatchers } from '../../src/upstream/client.js';
import { RateBudget } from '../../src/upstream/rate-budget.js';
import { gongProvider } from '../../src/connectors/gong/provider.js';
import type { RateLimit } from '../../src/connectors/types.js';

/**
 * The vendor's budget holds on the instants requests reach it, whatever happens between our
 * decision to send and the send: timers that fire early or late, and — the case built here —
 * requests waiting in the connection pool. The simulator is Gong's, whose limiter is a strict
 * sliding window over arrival times; its first answers are slow, so the pool's 16 connections fill
 * up and later requests queue in the pool (as they do when many accounts share Gong's host).
 */

const NOW = new Date('2024-06-15T19:00:00Z');
const SLOW_FIRST_ANSWERS = 16;
let sim: GongSimulator;
const dispatchers = createDispatchers(10_000);

beforeAll(async () => {
  sim = await startGongSimulator({ now: () => NOW, ratePerSecond: 20, perDay: Infinity });
});
afterAll(async () => {
  await sim.close();
  await dispatchers.any.close();
  await dispatchers.publicOnly.close();
});

/** `count` concurrent GET /v2/users through one account's client; the arrivals Gong recorded. */
async function burst(sim: GongSimulator, rateLimit: RateLimit, count: number) {
  sim.resetRateLimits();
  sim.faults.clear();
  sim.faults.push({ kind: 'timeout', afterMs: 1500, path: '/v2/users', times: SLOW_FIRST_ANSWERS });
  const before = sim.requests.length;
  const client = new UpstreamClient({
    vendor: 'Gong',
    baseUrl: sim.url,
    headers: { authorization: `Basic ${Buffer.from('sandbox-key:sandbox-secret').toString('base64')}` },
    budget: new RateBudget(rateLimit),
    dispatcher: dispatchers.any,
    timeoutMs: 30_000,
    patienceMs: 60_000,
    retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
  });
  const results = await Promise.allSettled(Array.from({ length: count }, () => client.request({ method: 'GET', path: '/v2/users' })));
  const received = sim.requests.slice(before);
  return { results, received };
}

/** the largest number of arrivals inside any interval (t − 1000 ms, t] */
function busiestSecond(arrivals: number[]): number {
  const at = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < at.length; j++) {
    while (at[j]! - at[i]! >= 1000) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

describe('the vendor rate budget under concurrency', () => {
  it('keeps 50 concurrent requests inside a strict 20/s window, three times over, with slow answers filling the pool', async () => {
    for (let run = 0; run < 3; run++) {
      const { results, received } = await burst(sim, { perSecond: 20 }, 50);
      expect(received.filter((r) => r.status === 429).map((r) => r.seq), `run ${run}: vendor 429s`).toEqual([]);
      expect(results.every((r) => r.status === 'fulfilled'), `run ${run}`).toBe(true);
      expect(received).toHaveLength(50);
      expect(busiestSecond(received.map((r) => r.at)), `run ${run}: busiest second`).toBeLessThanOrEqual(20);
    }
  }, 60_000);

  it('keeps 50 concurrent requests inside Gong\'s real 3 requests/s', async () => {
    const strict = await startGongSimulator({ now: () => NOW, ratePerSecond: 3, perDay: Infinity });
    try {
      const { results, received } = await burst(strict, gongProvider.rateLimit as RateLimit, 50);
      expect(received.filter((r) => r.status === 429).map((r) => r.seq)).toEqual([]);
      expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
      expect(busiestSecond(received.map((r) => r.at))).toBeLessThanOrEqual(3);
    } finally {
      await strict.close();
    }
  }, 60_000);
});
