import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { InteractionAggregator, computedRecordId, type CallMetricsTuple } from '../../src/metrics/aggregate.js';
import { buckets } from '../../src/metrics/buckets.js';

const opt = fc.option(fc.double({ min: 0, max: 500, noNaN: true }), { nil: null });
const arbRow = fc.tuple(
  fc.constantFrom('u1', 'u2', 'u3'),
  fc.integer({ min: Date.UTC(2024, 2, 1), max: Date.UTC(2024, 3, 10) }),
  opt, opt, opt, opt, opt, opt,
);

describe('aggregating per-call rows read as tuples', () => {
  it('gives the records aggregating the same rows as objects gives: buckets, nulls, rows outside every bucket', () => {
    fc.assert(
      fc.property(fc.array(arbRow, { maxLength: 200 }), fc.constantFrom('day', 'week', 'month' as const), fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata'), (rows, period, zone) => {
        // the buckets cover part of the rows' span only: some rows fall before and after them
        const list = buckets({ start: DateTime.fromISO('2024-03-05', { zone }), end: DateTime.fromISO('2024-04-02', { zone }), period, zone });
        const make = () => new InteractionAggregator({ buckets: list, period, timezone: zone, recordId: (u, b) => computedRecordId(u, period, zone, b) });
        const asObjects = make();
        asObjects.addRows(
          rows.map((r) => ({
            user_id: r[0],
            started_at: r[1],
            metrics: {
              longest_monologue: r[2] ?? 0,
              longest_customer_story: r[3] ?? 0,
              interactivity: r[4] ?? undefined,
              patience: r[5] ?? undefined,
              question_rate: r[6] ?? undefined,
              talk_ratio: r[7] ?? undefined,
            },
          })),
        );
        const asTuples = make();
        asTuples.addTuples(rows.map((r) => [...r] as CallMetricsTuple).sort((a, b) => a[1] - b[1]));
        expect(asTuples.records()).toEqual(asObjects.records());
      }),
      { numRuns: 200 },
    );
  });

  it('leaves out rows between buckets that do not touch (a clipped, non-contiguous list)', () => {
    const days = buckets({ start: DateTime.fromISO('2024-03-01', { zone: 'UTC' }), end: DateTime.fromISO('2024-03-05', { zone: 'UTC' }), period: 'day', zone: 'UTC' });
    const list = [days[0]!, days[2]!];
    const agg = new InteractionAggregator({ buckets: list, period: 'day', timezone: 'UTC', recordId: (u) => u });
    const at = (iso: string) => Date.parse(iso);
    agg.addTuples([
      ['u1', at('2024-03-01T10:00:00Z'), 60, 10, 1, 1, 1, 0.5],
      ['u1', at('2024-03-02T10:00:00Z'), 999, 999, 9, 9, 9, 0.9],
      ['u1', at('2024-03-03T10:00:00Z'), 30, 10, null, null, null, null],
    ]);
    const records = agg.records();
    expect(records.map((r) => [r.start_time, r.metrics.longest_monologue])).toEqual([
      ['2024-03-01T00:00:00Z', 60],
      ['2024-03-03T00:00:00Z', 30],
    ]);
    expect(records[1]!.metrics.patience).toBeUndefined();
  });
});
