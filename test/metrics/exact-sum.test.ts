import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExactSum } from '../../src/metrics/exact-sum.js';

const sum = (xs: readonly number[]) => {
  const s = new ExactSum();
  for (const x of xs) s.add(x);
  return s.value();
};

describe('ExactSum', () => {
  it('is the exact sum where naive addition loses it', () => {
    expect(sum([1e100, 1, -1e100])).toBe(1);
    // the exact sum of the four doubles nearest 0.1, 0.2, 0.3 and -0.6 is about 2.8e-17, not 1.1e-16
    expect(Math.abs(sum([0.1, 0.2, 0.3, -0.6]))).toBeLessThan(1e-16);
    expect(sum(Array(10).fill(0.1))).toBe(1);
    expect(sum([])).toBe(0);
  });

  it('does not depend on the order of its terms (per-user means are the same live and from the store)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 60 }), fc.integer(), (xs, seed) => {
        const shuffled = [...xs];
        let s = seed >>> 0;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (s * 1664525 + 1013904223) >>> 0;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        expect(sum(shuffled)).toBe(sum(xs));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with integer arithmetic on integers (where doubles are exact)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e9, max: 1e9 }), { maxLength: 100 }), (xs) => {
        expect(sum(xs)).toBe(xs.reduce((a, b) => a + b, 0));
      }),
    );
  });
});
