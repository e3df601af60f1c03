import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  CallUtterance,
  computeCallMetrics,
  computeInteractions,
  type AggregationPeriod,
  type NormalizedCall,
  type UserCallMetrics,
} from '../../src/metrics/index.js';
import { checkUtterance } from '../../src/metrics/call.js';
import { callArb, PARTICIPANTS, shuffled, SPEAKERS, utteranceArb } from './arbitraries.js';
import { modelCallMetrics } from './model.js';

const NUM_RUNS = 300;

function sortedEntries(m: Map<string, UserCallMetrics>) {
  return [...m].sort(([a], [b]) => (a < b ? -1 : 1));
}

function expectSameMetrics(actual: Map<string, UserCallMetrics>, expected: Map<string, UserCallMetrics>): void {
  const a = sortedEntries(actual);
  const e = sortedEntries(expected);
  expect(a.map(([k]) => k)).toEqual(e.map(([k]) => k));
  a.forEach(([user, m], i) => {
    const x = e[i]![1];
    for (const key of Object.keys(x) as (keyof UserCallMetrics)[]) {
      if (x[key] === undefined) expect(m[key], `${user} ${key}`).toBeUndefined();
      else expect(m[key], `${user} ${key}`).toBeCloseTo(x[key]!, 9);
    }
  });
}

describe('per-call metrics', () => {
  it('agree with a literal implementation of METRICS.md', () => {
    fc.assert(
      fc.property(callArb(), (call) => {
        expectSameMetrics(computeCallMetrics(call).users, modelCallMetrics(call));
      }),
      { numRuns: 1000 },
    );
  });

  it('do not depend on the input order of the utterances (no exact ties)', () => {
    fc.assert(
      fc.property(callArb(), fc.array(fc.nat(), { minLength: 1, maxLength: 50 }), (call, keys) => {
        // Utterances with the same (start, end) are ordered by input position, by definition; keep one.
        const seen = new Set<string>();
        const unique = call.utterances.filter((u) => {
          const k = `${u.start_s}/${u.end_s}`;
          return seen.has(k) ? false : (seen.add(k), true);
        });
        const a = computeCallMetrics({ ...call, utterances: unique });
        const b = computeCallMetrics({ ...call, utterances: shuffled(unique, keys) });
        expect(sortedEntries(b.users)).toEqual(sortedEntries(a.users));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('are unchanged by a backchannel of any speaker inserted anywhere', () => {
    const backchannel = fc.record({
      speaker_id: fc.constantFrom(...SPEAKERS),
      start_s: fc.integer({ min: 0, max: 1200 }).map((n) => n / 4),
      length: fc.integer({ min: 0, max: 99 }).map((n) => n / 100),
      at: fc.nat(),
    });
    fc.assert(
      fc.property(callArb(), backchannel, (call, bc) => {
        const utterances = [...call.utterances];
        utterances.splice(bc.at % (utterances.length + 1), 0, { speaker_id: bc.speaker_id, start_s: bc.start_s, end_s: bc.start_s + bc.length, text: 'mm-hm' });
        const before = computeCallMetrics(call).users;
        const after = computeCallMetrics({ ...call, utterances }).users;
        for (const [user, m] of before) {
          const n = after.get(user)!;
          expect(n.longest_monologue, `${user} longest_monologue`).toBe(m.longest_monologue);
          expect(n.longest_customer_story).toBe(m.longest_customer_story);
          expect(n.patience).toBe(m.patience);
          if (call.duration_s !== undefined) expect(n.interactivity).toBe(m.interactivity);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

// DST zones in both hemispheres, a 30-minute DST shift, a DST change at midnight (Sao Paulo 2018),
// non-hour offsets, and UTC.
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'America/Santiago',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'Asia/Tehran',
] as const;
const PERIODS: AggregationPeriod[] = ['day', 'week', 'month', 'total'];
const T0 = Date.UTC(2017, 0, 1);
const T1 = Date.UTC(2026, 0, 1);

describe('aggregation into buckets', () => {
  it('loses and duplicates no call, in any zone and period', () => {
    const scenario = fc
      .record({
        zone: fc.constantFrom(...ZONES),
        period: fc.constantFrom(...PERIODS),
        startMs: fc.integer({ min: T0, max: T1 }),
        lengthMs: fc.integer({ min: 1, max: 200 * 86_400_000 }),
        dateOnly: fc.boolean(),
      })
      .chain((s) =>
        fc.record({
          s: fc.constant(s),
          calls: fc.array(
            fc.record({
              // Around the range, including just outside it.
              at: fc.integer({ min: s.startMs - 3 * 86_400_000, max: s.startMs + s.lengthMs + 3 * 86_400_000 }),
              speaker: fc.constantFrom('i0', 'i1', 'i2'),
            }),
            { maxLength: 60 },
          ),
        }),
      );
    fc.assert(
      fc.property(scenario, ({ s, calls }) => {
        let start = DateTime.fromMillis(s.startMs, { zone: s.zone });
        let end = DateTime.fromMillis(s.startMs + s.lengthMs, { zone: s.zone });
        if (s.dateOnly) {
          start = start.startOf('day');
          end = end.startOf('day').plus({ days: 1 }).startOf('day');
        }
        const normalized: NormalizedCall[] = calls.map((c, i) => ({
          id: `c${i}`,
          started_at: new Date(c.at).toISOString(),
          participants: PARTICIPANTS,
          utterances: [{ speaker_id: c.speaker, start_s: 0, end_s: 5, text: 'Hi?' }],
        }));
        const records = computeInteractions(normalized, { start, end, period: s.period, timezone: s.zone });

        const inRange = (c: { at: number }) => c.at >= start.toMillis() && c.at < end.toMillis();
        const expected = new Map<string, number>();
        for (const c of calls.filter(inRange)) {
          const user = c.speaker === 'i1' ? 'u1' : 'u0';
          expected.set(user, (expected.get(user) ?? 0) + 1);
        }
        const counted = new Map<string, number>();
        for (const r of records) {
          const n = r.additional_metrics.find((m) => m.name === 'call_count')!.value;
          expect(n).toBeGreaterThan(0);
          counted.set(r.user.id, (counted.get(r.user.id) ?? 0) + n);
          // Each record covers part of the range, with the zone's offset at that instant.
          const rs = DateTime.fromISO(r.start_time, { setZone: true });
          const re = DateTime.fromISO(r.end_time, { setZone: true });
          expect(rs.toMillis()).toBeGreaterThanOrEqual(start.toMillis());
          expect(re.toMillis()).toBeLessThanOrEqual(end.toMillis());
          expect(rs.offset).toBe(rs.setZone(s.zone).offset);
          // And exactly the calls that started inside it for that user.
          const inside = calls.filter(
            (c) => c.at >= rs.toMillis() && c.at < re.toMillis() && (c.speaker === 'i1' ? 'u1' : 'u0') === r.user.id,
          ).length;
          expect(n).toBe(inside);
        }
        expect(new Map([...counted].sort())).toEqual(new Map([...expected].sort()));
        // Records are ordered by start_time, then user id.
        const keys = records.map((r) => [DateTime.fromISO(r.start_time).toMillis(), r.user.id] as const);
        const sorted = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
        expect(keys).toEqual(sorted);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('leaves a metric absent, never 0, when it is defined in none of the calls', () => {
    fc.assert(
      fc.property(fc.array(callArb(), { minLength: 1, maxLength: 5 }), (calls) => {
        const named = calls.map((c, i) => ({ ...c, id: `c${i}` }));
        const records = computeInteractions(named, {
          start: DateTime.fromISO('2024-03-01T00:00:00Z'),
          end: DateTime.fromISO('2024-04-01T00:00:00Z'),
          period: 'total',
          timezone: 'UTC',
        });
        const perCall = named.map((c) => computeCallMetrics(c).users);
        for (const r of records) {
          const mine = perCall.map((u) => u.get(r.user.id)).filter((m) => m !== undefined);
          for (const key of ['longest_monologue', 'longest_customer_story', 'interactivity', 'patience', 'question_rate'] as const) {
            const definedSomewhere = mine.some((m) => m[key] !== undefined);
            expect(key in r.metrics, `${r.user.id} ${key}`).toBe(definedSomewhere);
          }
          const talk = r.additional_metrics.some((m) => m.name === 'talk_ratio');
          expect(talk).toBe(mine.some((m) => m.talk_ratio !== undefined));
          expect(r.additional_metrics.at(-1)).toEqual({ name: 'call_count', value: mine.length });
        }
        expect(new Set(records.map((r) => r.user.id))).toEqual(new Set(perCall.flatMap((u) => [...u.keys()])));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('utterance validation', () => {
  it('accepts exactly what the CallUtterance schema accepts', () => {
    const field = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.string({ maxLength: 3 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -3, max: 3 }),
      fc.boolean(),
      fc.constant([]),
      fc.constant({}),
    );
    const candidate = fc.oneof(
      { weight: 1, arbitrary: field },
      {
        weight: 6,
        arbitrary: fc.record(
          { speaker_id: field, start_s: field, end_s: field, text: field, questions: field },
          { requiredKeys: [] },
        ),
      },
      { weight: 3, arbitrary: utteranceArb },
    );
    fc.assert(
      fc.property(candidate, (u) => {
        expect(checkUtterance(u) === undefined).toBe(CallUtterance.safeParse(u).success);
      }),
      { numRuns: 2000 },
    );
  });
});
