/**
 * Seeded pseudo-random numbers for simulators.
 *
 * Simulated data must be identical across runs, processes and machines, and must be derivable
 * for any slice (one day, one call) without generating everything before it. So every slice
 * gets its own generator, seeded by hashing its coordinates: `createRng(hashSeed(seed, 'day',
 * '2024-05-14'))`. Only 32-bit integer arithmetic is used, which JavaScript performs exactly
 * everywhere.
 */

/** 32-bit avalanche: small input changes flip about half of the output bits. */
function mix32(value: number): number {
  let z = value >>> 0;
  z ^= z >>> 16;
  z = Math.imul(z, 0x85ebca6b);
  z ^= z >>> 13;
  z = Math.imul(z, 0xc2b2ae35);
  z ^= z >>> 16;
  return z >>> 0;
}

/**
 * A 32-bit seed from any mix of strings and numbers. Parts are separated, so
 * `hashSeed('ab', 'c')` and `hashSeed('a', 'bc')` differ.
 */
export function hashSeed(...parts: ReadonlyArray<string | number>): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const text = typeof part === 'number' ? `#${part}` : `$${part}`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0xff;
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** integer in [min, max], both inclusive */
  int(min: number, max: number): number;
  /** uniform in [min, max) */
  float(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** picks by relative weight */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T;
  /** Poisson-distributed count with the given mean (small means only) */
  poisson(mean: number): number;
  /** `length` decimal digits, the first one non-zero */
  digits(length: number): string;
  /** an independent generator derived from this one's state and a label */
  fork(label: string | number): Rng;
}

/** A Weyl sequence passed through `mix32`: fast, 2^32 period, good enough for synthetic data. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    return mix32(state) / 4294967296;
  };
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    float: (min, max) => min + next() * (max - min),
    chance: (probability) => next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted: (choices) => {
      let total = 0;
      for (const [, weight] of choices) total += weight;
      let roll = next() * total;
      for (const [value, weight] of choices) {
        roll -= weight;
        if (roll < 0) return value;
      }
      const last = choices[choices.length - 1];
      if (!last) throw new RangeError('weighted pick from an empty list');
      return last[0];
    },
    poisson: (mean) => {
      // Knuth's multiplication method; fine for the means used here (< 10).
      const limit = Math.exp(-mean);
      let count = 0;
      let product = next();
      while (product > limit) {
        count++;
        product *= next();
      }
      return count;
    },
    digits: (length) => {
      let out = String(1 + Math.floor(next() * 9));
      while (out.length < length) out += String(Math.floor(next() * 10));
      return out;
    },
    fork: (label) => createRng(hashSeed(state, label)),
  };
  return rng;
}
