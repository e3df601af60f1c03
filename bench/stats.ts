/**
 * Figures as the benchmarks report them: the median of several runs with the spread around it
 * (min–max), never the best run. Alternatives are interleaved within each round, so that a machine
 * busy during one stretch of the run slows both sides of a comparison alike.
 */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function spread(xs: readonly number[]): Spread {
  if (xs.length === 0) throw new RangeError('no runs');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, runs: s.length };
}

/** The same runs in another unit (e.g. seconds → milliseconds with k = 1000). */
export function scaled(x: Spread, k: number): Spread {
  return { median: x.median * k, min: x.min * k, max: x.max * k, runs: x.runs };
}

/** `12.3 (11.8–13.0)` with `digits` decimals and an optional unit. */
export function show(x: Spread, digits = 2, unit = ''): string {
  const f = (v: number) => `${v.toFixed(digits)}${unit}`;
  return `${f(x.median)} (${f(x.min)}–${f(x.max)})`;
}

/**
 * Runs each of `variants` once per round, for `rounds` rounds, rotating which goes first, and returns
 * every variant's results in round order. `variants` return the measured value (e.g. milliseconds).
 */
export async function interleaved<K extends string>(
  rounds: number,
  variants: Record<K, (round: number) => number | Promise<number>>,
): Promise<Record<K, number[]>> {
  const keys = Object.keys(variants) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[(i + round) % keys.length]!;
      out[k][round] = await variants[k](round);
    }
  }
  return out;
}

/** Per-round ratios a[i] / b[i]. */
export function ratios(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => x / b[i]!);
}
