import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RateBudget } from '../../src/upstream/rate-budget.js';

describe('rate budget', () => {
  it('never lets more than perSecond requests into any one-second window, however many callers reserve at once', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 60 }), (gaps) => {
        let now = 0;
        const budget = new RateBudget({ perSecond: 3, now: () => now });
        const slots: number[] = [];
        for (const g of gaps) {
          now += g;
          const r = budget.reserve(60_000);
          expect(r.ok).toBe(true);
          if (r.ok) slots.push(now + r.delayMs);
        }
        for (let i = 3; i < slots.length; i++) expect(slots[i]! - slots[i - 3]!).toBeGreaterThan(1000);
      }),
    );
  });

  it('paces a burst evenly at about 1/rate, close to the ideal', () => {
    const budget = new RateBudget({ perSecond: 3, now: () => 0 });
    const delays = Array.from({ length: 31 }, () => budget.reserve(60_000)).map((r) => (r.ok ? r.delayMs : -1));
    expect(delays[0]).toBe(0);
    expect(delays[30]! / 10_000).toBeGreaterThan(1);
    expect(delays[30]! / 10_000).toBeLessThan(1.05);
  });

  it('refuses a slot beyond the caller\'s patience and reports when one frees', () => {
    const budget = new RateBudget({ perSecond: 1, now: () => 0 });
    expect(budget.reserve(0).ok).toBe(true);
    const r = budget.reserve(500);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.retryAfterMs).toBeGreaterThanOrEqual(1000);
  });

  it('enforces a daily window and honours a pause from Retry-After', () => {
    let now = 0;
    const budget = new RateBudget({ perSecond: 1000, windows: [{ limit: 5, windowMs: 86_400_000 }], now: () => now });
    for (let i = 0; i < 5; i++) expect(budget.reserve(10_000).ok).toBe(true);
    const r = budget.reserve(10_000);
    expect(r.ok).toBe(false);
    now = 86_400_001;
    expect(budget.reserve(10_000).ok).toBe(true);
    budget.pauseUntil(now + 5000);
    const p = budget.reserve(60_000);
    expect(p.ok && p.delayMs).toBeGreaterThanOrEqual(5000);
  });
});
