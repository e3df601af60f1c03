import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { computeCallMetrics, computeInteractions, parseBoundary, parseCalls, type AggregationPeriod } from '../../src/metrics/index.js';

/** The shared worked examples of METRICS.md; every case must match within the published tolerance. */

interface VectorRecord {
  user_id: string;
  start_time: string;
  end_time: string;
  metrics: Record<string, number>;
  additional_metrics: { name: string; value: number }[];
}
interface VectorCase {
  name: string;
  calls: unknown[];
  range: { start: string; end: string; period: AggregationPeriod; tz: string };
  expected: VectorRecord[];
  per_call?: { call: string; users: Record<string, Record<string, number>> }[];
}
const vectors = JSON.parse(readFileSync(new URL('../../reference/metrics-vectors.json', import.meta.url), 'utf8')) as {
  tolerance: number;
  cases: VectorCase[];
};
const tol = vectors.tolerance;

function instant(s: string): number {
  const t = DateTime.fromISO(s, { setZone: true });
  expect(t.isValid, `${s} is an ISO instant`).toBe(true);
  return t.toMillis();
}

function expectClose(actual: number | undefined, expected: number, what: string): void {
  expect(actual, what).toBeTypeOf('number');
  expect(Math.abs(actual! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
}

describe('metrics-vectors.json', () => {
  it('has cases', () => {
    expect(vectors.cases.length).toBeGreaterThan(0);
  });

  for (const c of vectors.cases) {
    it(c.name, () => {
      const calls = parseCalls(c.calls);
      const { start, end, period, tz } = c.range;
      const records = computeInteractions(calls, {
        start: parseBoundary(start, tz),
        end: parseBoundary(end, tz),
        period,
        timezone: tz,
      });
      // Same records, same order (start_time, then user id).
      expect(records.map((r) => `${instant(r.start_time)} ${r.user.id}`)).toEqual(
        c.expected.map((r) => `${instant(r.start_time)} ${r.user_id}`),
      );
      records.forEach((r, i) => {
        const e = c.expected[i]!;
        const at = `${e.user_id} @ ${e.start_time}`;
        expect(instant(r.end_time), `${at} end_time`).toBe(instant(e.end_time));
        expect(r.timezone).toBe(tz);
        expect(r.aggregation_period).toBe(period);
        // Offsets are the zone's at that instant, as the contract wants.
        expect(r.start_time.slice(-6).replace('Z', '+00:00')).toBe(e.start_time.slice(-6).replace('Z', '+00:00'));
        expect(Object.keys(r.metrics).sort(), `${at} metric names`).toEqual(Object.keys(e.metrics).sort());
        for (const [name, value] of Object.entries(e.metrics)) {
          expectClose(r.metrics[name as keyof typeof r.metrics], value, `${at} ${name}`);
        }
        expect(r.additional_metrics.map((m) => m.name), `${at} additional names`).toEqual(e.additional_metrics.map((m) => m.name));
        e.additional_metrics.forEach((m, j) => expectClose(r.additional_metrics[j]!.value, m.value, `${at} ${m.name}`));
      });

      for (const pc of c.per_call ?? []) {
        const call = calls.find((x) => x.id === pc.call);
        expect(call, `call ${pc.call}`).toBeDefined();
        const got = computeCallMetrics(call!);
        expect([...got.users.keys()].sort()).toEqual(Object.keys(pc.users).sort());
        for (const [userId, expected] of Object.entries(pc.users)) {
          const m = got.users.get(userId)!;
          for (const [name, value] of Object.entries(expected)) {
            expectClose(m[name as keyof typeof m], value, `${pc.call} ${userId} ${name}`);
          }
        }
      }
    });
  }
});
