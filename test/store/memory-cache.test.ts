import { describe, expect, it } from 'vitest';
import { approximateBytes, DEFAULT_CACHE_MAX_BYTES, TtlCache } from '../../src/store/memory-cache.js';

describe('TtlCache byte budget', () => {
  it('holds no more than its byte budget however many entries it may keep (default budget)', () => {
    const cache = new TtlCache<string>(60_000, 1000);
    const megabyte = 'x'.repeat(512 * 1024); // ~1 MB as UTF-16
    for (let i = 0; i < 1000; i++) cache.set(`k${i}`, megabyte + i);
    expect(cache.bytes).toBeLessThanOrEqual(DEFAULT_CACHE_MAX_BYTES);
    expect(cache.size).toBeLessThan(40);
    // the most recent survive, the oldest went first
    expect(cache.get('k999')).toBeDefined();
    expect(cache.get('k0')).toBeUndefined();
  });

  it('evicts the least recently used first, and keeps the byte count exact across replace and expiry', () => {
    let now = 0;
    const cache = new TtlCache<string>(1000, 100, { now: () => now, maxBytes: 1000, sizeOf: (v) => v.length });
    cache.set('a', 'a'.repeat(400));
    cache.set('b', 'b'.repeat(400));
    expect(cache.get('a')).toBeDefined(); // a is now the most recent
    cache.set('c', 'c'.repeat(400)); // over budget: b goes
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.bytes).toBe(800 + 2 + 2);
    cache.set('a', 'a'); // replacing frees the old size
    expect(cache.bytes).toBe(400 + 1 + 4);
    now = 5000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it('does not keep a value larger than the whole budget, and drops what the key held before', () => {
    const cache = new TtlCache<string>(1000, 100, { maxBytes: 100, sizeOf: (v) => v.length });
    cache.set('k', 'small');
    cache.set('k', 'y'.repeat(200));
    expect(cache.get('k')).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it('still bounds entries', () => {
    const cache = new TtlCache<number>(1000, 3);
    for (let i = 0; i < 10; i++) cache.set(String(i), i);
    expect(cache.size).toBe(3);
    expect(cache.get('9')).toBe(9);
  });
});

describe('TtlCache.getOrLoad keeps its single flight', () => {
  it('shares one load among concurrent callers, caches the value, and does not cache a failure', async () => {
    const cache = new TtlCache<number>(60_000, 10);
    let loads = 0;
    let release!: (v: number) => void;
    const load = () => {
      loads++;
      return new Promise<number>((r) => (release = r));
    };
    const callers = Array.from({ length: 5 }, () => cache.getOrLoad('k', load));
    release(7);
    expect(await Promise.all(callers)).toEqual([7, 7, 7, 7, 7]);
    expect(loads).toBe(1);
    expect(await cache.getOrLoad('k', load)).toBe(7);
    expect(loads).toBe(1);

    let failures = 0;
    const failing = () => {
      failures++;
      return Promise.reject(new Error('vendor down'));
    };
    const both = await Promise.allSettled([cache.getOrLoad('f', failing), cache.getOrLoad('f', failing)]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(failures).toBe(1);
    await expect(cache.getOrLoad('f', failing)).rejects.toThrow('vendor down');
    expect(failures).toBe(2);
  });

  it('returns a loaded value too large to keep, to every waiting caller', async () => {
    const cache = new TtlCache<string>(60_000, 10, { maxBytes: 10, sizeOf: (v) => v.length });
    const big = 'z'.repeat(100);
    const [a, b] = await Promise.all([cache.getOrLoad('k', async () => big), cache.getOrLoad('k', async () => 'other')]);
    expect(a).toBe(big);
    expect(b).toBe(big);
    expect(cache.get('k')).toBeUndefined();
  });
});

describe('approximateBytes', () => {
  it('grows with the data, counts shared and cyclic references once, and walks Maps, Sets and buffers', () => {
    expect(approximateBytes('x'.repeat(1000))).toBeGreaterThanOrEqual(2000);
    const record = { user: { id: '1', name: 'Ada' }, metrics: { a: 1, b: 2 }, remote_data: { text: 'y'.repeat(10_000) } };
    const one = approximateBytes([record]);
    expect(approximateBytes([record, record])).toBeLessThan(one + 100); // same object twice
    expect(approximateBytes([record, structuredClone(record)])).toBeGreaterThan(2 * one - 100);
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(approximateBytes(cyclic)).toBeGreaterThan(0);
    expect(approximateBytes(new Map([['k', 'v'.repeat(500)]]))).toBeGreaterThan(1000);
    expect(approximateBytes(new Set(['s'.repeat(500)]))).toBeGreaterThan(1000);
    expect(approximateBytes(Buffer.alloc(4096))).toBeGreaterThanOrEqual(4096);
    expect(approximateBytes(() => 1)).toBeLessThan(100);
  });
});
