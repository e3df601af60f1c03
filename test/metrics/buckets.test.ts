import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { bucketIndexOf, buckets, formatInstant, parseBoundary, widenToDays, type AggregationPeriod } from '../../src/metrics/buckets.js';

const ZONES = ['UTC', 'US/Pacific', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata', 'Pacific/Chatham', 'America/St_Johns', 'Asia/Tehran'];
const PERIODS: AggregationPeriod[] = ['day', 'week', 'month', 'total'];

const arbRange = fc.record({
  zone: fc.constantFrom(...ZONES),
  period: fc.constantFrom(...PERIODS),
  startMs: fc.integer({ min: Date.UTC(2019, 0, 1), max: Date.UTC(2027, 0, 1) }),
  lengthMs: fc.integer({ min: 1, max: 400 * 24 * 3600 * 1000 }),
});

describe('calendar buckets', () => {
  it('tile the range exactly: contiguous, in order, no gaps or overlaps', () => {
    fc.assert(
      fc.property(arbRange, ({ zone, period, startMs, lengthMs }) => {
        const start = DateTime.fromMillis(startMs, { zone });
        const end = DateTime.fromMillis(startMs + lengthMs, { zone });
        const list = buckets({ start, end, period, zone });
        expect(list.length).toBeGreaterThan(0);
        expect(list[0]!.start.toMillis()).toBe(startMs);
        expect(list[list.length - 1]!.end.toMillis()).toBe(startMs + lengthMs);
        for (let i = 1; i < list.length; i++) expect(list[i]!.start.toMillis()).toBe(list[i - 1]!.end.toMillis());
        for (const b of list) expect(b.end.toMillis()).toBeGreaterThan(b.start.toMillis());
      }),
      { numRuns: 300 },
    );
  });

  it('inner boundaries are local midnights on the calendar unit (Mondays for weeks, 1st for months)', () => {
    fc.assert(
      fc.property(arbRange, ({ zone, period, startMs, lengthMs }) => {
        const list = buckets({
          start: DateTime.fromMillis(startMs, { zone }),
          end: DateTime.fromMillis(startMs + lengthMs, { zone }),
          period,
          zone,
        });
        if (period === 'total') {
          expect(list).toHaveLength(1);
          return;
        }
        for (const b of list.slice(1)) {
          const s = b.start.setZone(zone);
          // a local midnight, or the first instant of a day whose midnight DST skips
          expect(s.toMillis()).toBe(s.startOf('day').toMillis());
          if (period === 'week') expect(s.weekday).toBe(1);
          if (period === 'month') expect(s.day).toBe(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every instant of the range falls in exactly one bucket, the one bucketIndexOf finds', () => {
    fc.assert(
      fc.property(arbRange, fc.double({ min: 0, max: 1, noNaN: true }), ({ zone, period, startMs, lengthMs }, f) => {
        const list = buckets({ start: DateTime.fromMillis(startMs, { zone }), end: DateTime.fromMillis(startMs + lengthMs, { zone }), period, zone });
        const t = startMs + Math.floor(f * (lengthMs - 1));
        const hits = list.filter((b) => b.start.toMillis() <= t && t < b.end.toMillis());
        expect(hits).toHaveLength(1);
        expect(list[bucketIndexOf(list, t)]).toBe(hits[0]);
      }),
      { numRuns: 300 },
    );
  });

  /** Luxon's calendar arithmetic alone: what a bucket was before the fast path, and must stay. */
  function luxonBuckets(startMs: number, endMs: number, period: Exclude<AggregationPeriod, 'total'>, zone: string): string[] {
    const out: string[] = [];
    const end = DateTime.fromMillis(endMs, { zone });
    let cur = DateTime.fromMillis(startMs, { zone });
    while (cur.toMillis() < end.toMillis()) {
      const next = cur.startOf(period).plus(period === 'day' ? { days: 1 } : period === 'week' ? { weeks: 1 } : { months: 1 }).startOf('day');
      out.push(`${formatInstant(cur)}/${formatInstant(next.toMillis() < end.toMillis() ? next : end)}`);
      cur = next;
    }
    return out;
  }
  const cut = (startMs: number, endMs: number, period: Exclude<AggregationPeriod, 'total'>, zone: string) =>
    buckets({ start: DateTime.fromMillis(startMs, { zone }), end: DateTime.fromMillis(endMs, { zone }), period, zone }).map(
      (b) => `${formatInstant(b.start)}/${formatInstant(b.end)}`,
    );

  it('cuts the instants Luxon cuts, in zones whose clocks jump at or across midnight, whole days skipped included', () => {
    // clocks that jump at midnight (a day starting at 01:00, or a midnight twice), and whole days skipped
    const atMidnight = ['America/Havana', 'America/Santiago', 'Asia/Beirut', 'America/Sao_Paulo', 'America/Asuncion', 'Asia/Gaza', 'Pacific/Apia', 'Pacific/Fakaofo', 'Asia/Damascus'];
    // jumps at odd hours, half-hour DST, permanent offset changes
    const others = ['Asia/Tehran', 'Australia/Lord_Howe', 'America/Nuuk', 'Europe/Moscow', 'America/Caracas', 'Africa/Casablanca', 'Antarctica/Troll'];
    const from = Date.UTC(2010, 0, 1, 7, 13);
    const to = Date.UTC(2027, 0, 1);
    for (const zone of [...atMidnight, ...others]) {
      const periods = atMidnight.includes(zone) ? (['day', 'week', 'month'] as const) : (['week', 'month'] as const);
      for (const period of periods) expect(cut(from, to, period, zone), `${zone} ${period}`).toEqual(luxonBuckets(from, to, period, zone));
    }
  });

  it('cuts the instants Luxon cuts in every zone the runtime knows', () => {
    const from = Date.UTC(2024, 0, 1);
    const to = Date.UTC(2025, 0, 1);
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      for (const period of ['week', 'month'] as const) expect(cut(from, to, period, zone), `${zone} ${period}`).toEqual(luxonBuckets(from, to, period, zone));
    }
    fc.assert(
      fc.property(fc.constantFrom(...Intl.supportedValuesOf('timeZone')), fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2027, 0, 1) }), fc.integer({ min: 1, max: 60 }), (zone, startMs, days) => {
        const endMs = startMs + days * 86_400_000;
        expect(cut(startMs, endMs, 'day', zone)).toEqual(luxonBuckets(startMs, endMs, 'day', zone));
      }),
      { numRuns: 300 },
    );
  });

  it('days are 23 or 25 hours long across DST changes', () => {
    const zone = 'US/Pacific';
    const list = buckets({ start: parseBoundary('2024-03-09', zone), end: parseBoundary('2024-03-12', zone), period: 'day', zone });
    expect(list.map((b) => b.end.diff(b.start, 'hours').hours)).toEqual([24, 23, 24]);
    const fall = buckets({ start: parseBoundary('2024-11-03', zone), end: parseBoundary('2024-11-04', zone), period: 'day', zone });
    expect(fall[0]!.end.diff(fall[0]!.start, 'hours').hours).toBe(25);
    expect(formatInstant(list[1]!.start)).toBe('2024-03-10T00:00:00-08:00');
    expect(formatInstant(list[1]!.end)).toBe('2024-03-11T00:00:00-07:00');
  });

  it('a zone whose DST skips midnight starts that day at 01:00', () => {
    const zone = 'America/Santiago';
    const list = buckets({ start: parseBoundary('2024-09-07', zone), end: parseBoundary('2024-09-09', zone), period: 'day', zone });
    expect(list.map((b) => formatInstant(b.start))).toEqual(['2024-09-07T00:00:00-04:00', '2024-09-08T01:00:00-03:00']);
  });

  it('ISO weeks start on Monday and months on the 1st, clipped to the range', () => {
    const list = buckets({ start: parseBoundary('2024-02-28', 'UTC'), end: parseBoundary('2024-03-13', 'UTC'), period: 'week', zone: 'UTC' });
    expect(list.map((b) => `${formatInstant(b.start)}/${formatInstant(b.end)}`)).toEqual([
      '2024-02-28T00:00:00Z/2024-03-04T00:00:00Z',
      '2024-03-04T00:00:00Z/2024-03-11T00:00:00Z',
      '2024-03-11T00:00:00Z/2024-03-13T00:00:00Z',
    ]);
    const months = buckets({ start: parseBoundary('2024-01-15', 'Europe/Berlin'), end: parseBoundary('2024-03-02', 'Europe/Berlin'), period: 'month', zone: 'Europe/Berlin' });
    expect(months.map((b) => formatInstant(b.start))).toEqual(['2024-01-15T00:00:00+01:00', '2024-02-01T00:00:00+01:00', '2024-03-01T00:00:00+01:00']);
  });

  it('clips to notAfter (the vendor cannot report the future) and drops buckets wholly after it', () => {
    const zone = 'UTC';
    const list = buckets({
      start: parseBoundary('2024-03-01', zone),
      end: parseBoundary('2024-04-01', zone),
      period: 'week',
      zone,
      notAfter: parseBoundary('2024-03-06', zone),
    });
    expect(list.map((b) => formatInstant(b.end))).toEqual(['2024-03-04T00:00:00Z', '2024-03-06T00:00:00Z']);
    expect(buckets({ start: parseBoundary('2024-03-07', zone), end: parseBoundary('2024-04-01', zone), period: 'day', zone, notAfter: parseBoundary('2024-03-06', zone) })).toEqual([]);
  });

  it('parses boundaries per the contract: date = local midnight, date-time without offset = UTC', () => {
    expect(parseBoundary('2024-03-01', 'US/Pacific').toUTC().toISO()).toBe('2024-03-01T08:00:00.000Z');
    expect(parseBoundary('2024-03-01T10:00:00', 'US/Pacific').toUTC().toISO()).toBe('2024-03-01T10:00:00.000Z');
    expect(parseBoundary('2024-03-01T10:00:00+02:00', 'US/Pacific').toUTC().toISO()).toBe('2024-03-01T08:00:00.000Z');
    for (const bad of ['2024-02-30', '2024-13-01', 'yesterday', '2024-03-01T25:00', '']) {
      expect(() => parseBoundary(bad, 'UTC')).toThrow();
    }
  });

  it('widens date-times to the days that contain them', () => {
    const zone = 'US/Pacific';
    const w = widenToDays(parseBoundary('2024-03-01T10:00:00Z', zone), parseBoundary('2024-03-03T08:00:00Z', zone));
    expect(formatInstant(w.start)).toBe('2024-03-01T00:00:00-08:00');
    expect(formatInstant(w.end)).toBe('2024-03-03T00:00:00-08:00');
    const w2 = widenToDays(parseBoundary('2024-03-01', zone), parseBoundary('2024-03-03T08:00:01Z', zone));
    expect(formatInstant(w2.end)).toBe('2024-03-04T00:00:00-08:00');
  });
});
