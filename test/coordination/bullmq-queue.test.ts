import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { BullJobQueue } from '../../src/jobs/bullmq.js';
import { loadConfig, ConfigError } from '../../src/config.js';
import { dropRedisPrefix, freshRedisPrefix, redisAvailable, REDIS_URL } from '../helpers/services.js';

/**
 * `BullJobQueue` as the sync scheduler relies on it, with two queues on two connections standing for
 * two processes: one job per key at a time, retries with backoff, one schedule for the cluster, and
 * running handlers' signals aborted on close.
 */
const available = await redisAvailable();
const prefix = freshRedisPrefix('bull');
const connections: Redis[] = [];
const queues: BullJobQueue[] = [];

function queue(name: string): BullJobQueue {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  connections.push(connection);
  const q = new BullJobQueue({ connection, prefix: `${prefix}:${name}`, backoffMs: 50, lockDurationMs: 2000, stalledIntervalMs: 1000 });
  queues.push(q);
  return q;
}

afterAll(async () => {
  await Promise.all(queues.map((q) => q.close()));
  for (const c of connections) c.disconnect();
  if (available.ok) await dropRedisPrefix(prefix);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PARLEY_REDIS_URL in the configuration', () => {
  it('is optional, must be a redis URL, and comes with a key prefix', () => {
    const base = { PARLEY_SECRET_KEY: 'a'.repeat(64) };
    expect(loadConfig(base).redisUrl).toBeUndefined();
    expect(loadConfig({ ...base, PARLEY_REDIS_URL: '' }).redisUrl).toBeUndefined();
    expect(loadConfig({ ...base, PARLEY_REDIS_URL: 'redis://127.0.0.1:6379' })).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', redisPrefix: 'parley' });
    expect(() => loadConfig({ ...base, PARLEY_REDIS_URL: 'http://x' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, PARLEY_REDIS_URL: 'redis://x', PARLEY_REDIS_PREFIX: 'a b' })).toThrow(/PARLEY_REDIS_PREFIX/);
  });
});

describe.skipIf(!available.ok)('BullJobQueue', () => {
  it('one job per key at a time across two processes; a key enqueued again after its job finished runs again', { timeout: 20_000 }, async () => {
    const [a, b] = [queue('dedupe'), queue('dedupe')];
    // one prefix: the two share one BullMQ queue, as two processes would
    const runs: string[] = [];
    let inside = 0;
    let most = 0;
    const handler = async (key: string) => {
      inside++;
      most = Math.max(most, inside);
      runs.push(key);
      await sleep(300);
      inside--;
    };
    a.process('job', 4, handler);
    b.process('job', 4, handler);
    a.start();
    b.start();
    await Promise.all([a.enqueue('job', 'k1'), b.enqueue('job', 'k1'), a.enqueue('job', 'k1'), b.enqueue('job', 'k2')]);
    await sleep(100);
    await b.enqueue('job', 'k1'); // while k1 runs: ignored (its job exists)
    for (let i = 0; i < 50 && runs.length < 2; i++) await sleep(100);
    await sleep(600);
    expect(runs.sort()).toEqual(['k1', 'k2']);
    expect(await a.has('job', 'k1')).toBe(false);
    await a.enqueue('job', 'k1');
    for (let i = 0; i < 50 && runs.length < 3; i++) await sleep(100);
    expect(runs.filter((k) => k === 'k1')).toHaveLength(2);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('a handler that throws is retried with backoff until it succeeds', { timeout: 20_000 }, async () => {
    const q = queue('retry');
    const at: number[] = [];
    q.process('flaky', 1, async () => {
      at.push(Date.now());
      if (at.length < 3) throw new Error('not yet');
    });
    q.start();
    await q.enqueue('flaky', 'x');
    for (let i = 0; i < 100 && at.length < 3; i++) await sleep(50);
    expect(at).toHaveLength(3);
    // exponential: at least 50 ms, then at least 100 ms (lower bounds only: a busy machine only
    // lengthens the gaps, so comparing the two measured gaps with each other was flaky)
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(45);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(95);
    await sleep(300);
    expect(at).toHaveLength(3);
  });

  it('a schedule declared by two processes fires once per interval', { timeout: 20_000 }, async () => {
    const [a, b] = [queue('repeat'), queue('repeat')];
    const ticks: number[] = [];
    a.process('tick', 1, async () => void ticks.push(Date.now()));
    b.process('tick', 1, async () => void ticks.push(Date.now()));
    a.start();
    b.start();
    await Promise.all([a.repeat('tick', 'tick', 500), b.repeat('tick', 'tick', 500)]);
    await sleep(3200);
    // ~6 intervals: one fire each (two schedulers would give ~12)
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks.length).toBeLessThanOrEqual(8);
  });

  it('takes no job before start: jobs other processes enqueued wait until this process starts its background work', { timeout: 20_000 }, async () => {
    const q = queue('late');
    const runs: string[] = [];
    q.process('job', 1, async (key) => void runs.push(key));
    await q.enqueue('job', 'early');
    await sleep(500);
    expect(runs).toEqual([]);
    q.start();
    for (let i = 0; i < 50 && runs.length < 1; i++) await sleep(50);
    expect(runs).toEqual(['early']);
  });

  it('close aborts the running handlers\' signals and waits for them', { timeout: 20_000 }, async () => {
    const q = queue('close');
    let aborted = false;
    let started = false;
    q.process('long', 1, async (_key, signal) => {
      started = true;
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted = signal.aborted;
    });
    q.start();
    await q.enqueue('long', 'x');
    for (let i = 0; i < 100 && !started; i++) await sleep(50);
    expect(started).toBe(true);
    await q.close();
    expect(aborted).toBe(true);
  });
});
