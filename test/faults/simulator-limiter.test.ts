import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SlidingWindowRateLimiter } from '../../sandbox/shared/rate-limiter.js';
import { startGongSimulator } from '../../sandbox/gong/index.js';

/**
 * The simulators' limiter is what the pacing tests trust to catch a client over a vendor's limit:
 * a true sliding window over *arrival* times, even when requests are decided out of arrival order
 * (a request held up inside the simulator is decided after later ones).
 */
describe('the simulators\' sliding-window limiter', () => {
  it('never admits more than the limit into any interval of the window, whatever the order of decisions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 5_000 }), lateBy: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 60 }),
        (requests) => {
          // decide in an order that differs from arrival order by up to three places
          const order = requests
            .map((r, i) => ({ ...r, key: i + r.lateBy }))
            .sort((a, b) => a.key - b.key);
          const limiter = new SlidingWindowRateLimiter([{ limit: 3, windowMs: 1000 }], () => 0);
          const admitted = order.filter((r) => limiter.tryAcquire(r.at).allowed).map((r) => r.at).sort((a, b) => a - b);
          for (let i = 0; i + 3 < admitted.length; i++) expect(admitted[i + 3]! - admitted[i]!).toBeGreaterThanOrEqual(1000);
        },
      ),
    );
  });

  it('counts an in-order request exactly like before: admitted when the window has room, else told how long to wait', () => {
    const limiter = new SlidingWindowRateLimiter([{ limit: 2, windowMs: 1000 }], () => 0);
    expect(limiter.tryAcquire(0).allowed).toBe(true);
    expect(limiter.tryAcquire(100).allowed).toBe(true);
    expect(limiter.tryAcquire(999)).toMatchObject({ allowed: false, retryAfterMs: 1 });
    expect(limiter.tryAcquire(1000).allowed).toBe(true);
  });

  it('Gong counts a request held up by a fault where it arrived', async () => {
    const gong = await startGongSimulator({ ratePerSecond: 1, perDay: Infinity });
    try {
      gong.faults.push({ kind: 'timeout', afterMs: 1500, path: '/v2/users' });
      const auth = { authorization: `Basic ${Buffer.from('sandbox-key:sandbox-secret').toString('base64')}` };
      const held = fetch(`${gong.url}/v2/users`, { headers: auth });
      await new Promise((r) => setTimeout(r, 400));
      const second = await fetch(`${gong.url}/v2/users`, { headers: auth });
      expect(second.status).toBe(200);
      // decided 1.5 s after it arrived, but it arrived 0.4 s before an admitted request: over 1/s
      expect((await held).status).toBe(429);
      const [first, next] = gong.requests;
      expect(next!.at - first!.at).toBeLessThan(1000);
    } finally {
      await gong.close();
    }
  });
});
