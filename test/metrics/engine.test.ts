import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { stableId } from '../../src/domain/ids.js';
import { Interaction } from '../../src/domain/interaction.js';
import {
  CallValidationError,
  computeCallMetrics,
  computeInteractions,
  computeRequest,
  countQuestions,
  InteractionAggregator,
  MetricsInputError,
  type NormalizedCall,
  parseBoundary,
  parseCalls,
  buckets,
} from '../../src/metrics/index.js';
import { PARTICIPANTS } from './arbitraries.js';
import { modelCallMetrics } from './model.js';

const call = (over: Partial<NormalizedCall> & Pick<NormalizedCall, 'utterances'>): NormalizedCall => ({
  id: 'c1',
  started_at: '2024-03-04T15:00:00Z',
  participants: [
    { speaker_id: 'a', side: 'internal', user_id: 'u1' },
    { speaker_id: 'b', side: 'external' },
  ],
  ...over,
});

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('countQuestions', () => {
  it.each([
    ['Really?!', 1],
    ['What? Why?', 2],
    ['Is it 3.5?', 1],
    ['Hmm...? Ok.', 1],
    ['?.?!…?', 1],
    ['No questions. None!', 0],
    ['', 0],
    ['Why… really?? Sure? ', 2],
    ['?', 1],
    ['a?b?c?', 3],
  ])('%j has %i', (text, n) => {
    expect(countQuestions(text)).toBe(n);
  });
});

describe('parseCalls', () => {
  const good = { id: 'c9', started_at: '2024-03-04T15:00:00Z', participants: [], utterances: [] };

  it('names the call and the field of a structural error', () => {
    const input = [good, good, good, { ...good, utterances: [{ speaker_id: 'a', start_s: 0, end_s: 1 }, {}, { speaker_id: 'a', start_s: '1', end_s: 2 }] }];
    input[3]!.utterances![1] = { speaker_id: 'a', start_s: 0, end_s: 1 };
    const e = thrown(() => parseCalls(input));
    expect(e).toBeInstanceOf(CallValidationError);
    expect(e.message).toBe('calls[3] (id "c9"): utterances[2].start_s: expected a number, got "1"');
    expect((e as CallValidationError).field).toBe('calls[3].utterances[2].start_s');
  });

  it.each([
    [[{ ...good, id: undefined }], 'calls[0]: id: required (expected a string)'],
    [[{ ...good, started_at: '2024-03-04' }], 'calls[0] (id "c9"): started_at: expected an ISO 8601 date-time (e.g. 2024-03-04T15:00:00Z), got "2024-03-04"'],
    [[{ ...good, started_at: '2024-02-30T00:00:00Z' }], 'calls[0] (id "c9"): started_at: expected an ISO 8601 date-time (e.g. 2024-03-04T15:00:00Z), got "2024-02-30T00:00:00Z"'],
    [[{ ...good, utterances: 'x' }], 'calls[0] (id "c9"): utterances: expected an array, got "x"'],
    [[{ ...good, utterances: undefined }], 'calls[0] (id "c9"): utterances: required (expected an array)'],
    [[{ ...good, utterances: [null] }], 'calls[0] (id "c9"): utterances[0]: expected an object, got null'],
    [[{ ...good, utterances: [{ start_s: 0, end_s: 1 }] }], 'calls[0] (id "c9"): utterances[0].speaker_id: required (expected a string)'],
    [[{ ...good, utterances: [{ speaker_id: 's', start_s: 0, end_s: 1, questions: 1.5 }] }], 'calls[0] (id "c9"): utterances[0].questions: expected a whole number ≥ 0, got 1.5'],
    [[{ ...good, participants: [{ speaker_id: 's', side: 'inside' }] }], 'calls[0] (id "c9"): participants[0].side: expected one of "internal", "external", got "inside"'],
    [[{ ...good, duration_s: -1 }], 'calls[0] (id "c9"): duration_s: must be ≥ 0, got -1'],
    [[{ ...good, participants: undefined }], 'calls[0] (id "c9"): participants: required (expected an array)'],
    [[7], 'calls[0]: expected an object, got 7'],
    [{}, 'calls: expected an array of calls, got an object'],
  ])('rejects %j', (input, message) => {
    const e = thrown(() => parseCalls(input));
    expect(e).toBeInstanceOf(MetricsInputError);
    expect(e.message).toBe(message);
  });

  it('accepts utterances with impossible times (the engine drops them) and date-times without offset (UTC)', () => {
    const [c] = parseCalls([
      { ...good, started_at: '2024-03-04T15:00', utterances: [{ speaker_id: 'a', start_s: -1, end_s: 2 }, { speaker_id: 'a', start_s: 5, end_s: 1 }], extra: 1 },
    ]);
    expect(c!.utterances).toHaveLength(2);
    expect(c).not.toHaveProperty('extra');
    const records = computeInteractions([c!], {
      start: DateTime.fromISO('2024-03-04T15:00:00Z'),
      end: DateTime.fromISO('2024-03-04T15:00:01Z'),
      period: 'total',
      timezone: 'UTC',
    });
    expect(records).toEqual([]); // u1 has no valid utterance: no record
  });
});

describe('computeCallMetrics', () => {
  it('treats speakers missing from participants or without side as external, and gives no metrics to internal speakers without user', () => {
    const m = computeCallMetrics(
      call({
        participants: [
          { speaker_id: 'a', side: 'internal', user_id: 'u1' },
          { speaker_id: 'n', side: 'internal' },
          { speaker_id: 'x' },
        ],
        utterances: [
          { speaker_id: 'ghost', start_s: 0, end_s: 10 },
          { speaker_id: 'a', start_s: 11, end_s: 15 },
          { speaker_id: 'x', start_s: 16, end_s: 30 },
          { speaker_id: 'n', start_s: 31, end_s: 33 },
        ],
      }),
    );
    expect([...m.users.keys()]).toEqual(['u1']);
    const u = m.users.get('u1')!;
    expect(u.patience).toBe(1);
    expect(u.longest_customer_story).toBe(14);
    expect(u.interactivity).toBeCloseTo(3 / (33 / 60), 12);
  });

  it('merges speaker ids of one user into one speaker', () => {
    const m = computeCallMetrics(
      call({
        participants: [
          { speaker_id: 'a', side: 'internal', user_id: 'u1' },
          { speaker_id: 'a2', side: 'internal', user_id: 'u1' },
          { speaker_id: 'b', side: 'external' },
        ],
        utterances: [
          { speaker_id: 'a', start_s: 0, end_s: 10 },
          { speaker_id: 'a2', start_s: 11, end_s: 20 },
          { speaker_id: 'a', start_s: 15, end_s: 18 },
          { speaker_id: 'b', start_s: 20, end_s: 30 },
        ],
      }),
    );
    const u = m.users.get('u1')!;
    expect(u.longest_monologue).toBe(20);
    expect(u.talk_ratio).toBeCloseTo(19 / 29, 12);
  });

  it('leaves rates undefined for a 0 s call and patience undefined without an external turn before the user', () => {
    const m = computeCallMetrics(call({ utterances: [{ speaker_id: 'a', start_s: 3, end_s: 3, text: 'Hm?' }] }));
    expect(m.duration_s).toBe(3);
    const zero = computeCallMetrics(call({ duration_s: 0, utterances: [{ speaker_id: 'a', start_s: 0, end_s: 0, text: 'Hm?' }] })).users.get('u1')!;
    expect(zero).toEqual({
      longest_monologue: 0,
      longest_customer_story: 0,
      patience: undefined,
      interactivity: undefined,
      question_rate: undefined,
      talk_ratio: undefined,
    });
  });

  it('sorts badly shuffled long calls correctly (past the insertion-sort budget)', () => {
    const utterances = Array.from({ length: 600 }, (_, i) => ({
      speaker_id: i % 3 === 0 ? 'b' : 'a',
      start_s: (600 - i) * 1.5,
      end_s: (600 - i) * 1.5 + (i % 5 === 0 ? 0.5 : 2.5),
      text: i % 7 === 0 ? 'Why?' : 'Sure.',
    }));
    const c = call({ participants: PARTICIPANTS.concat([{ speaker_id: 'a', side: 'internal', user_id: 'u1' }]), utterances });
    const got = computeCallMetrics(c).users;
    const want = modelCallMetrics(c);
    expect(new Set(got.keys())).toEqual(new Set(want.keys()));
    for (const [user, m] of want) for (const [k, v] of Object.entries(m)) expect(got.get(user)![k as keyof typeof m]).toBeCloseTo(v as number, 9);
  });
});

describe('InteractionAggregator', () => {
  const zone = 'Europe/Berlin';
  const list = buckets({ start: parseBoundary('2024-03-30', zone), end: parseBoundary('2024-04-02', zone), period: 'day', zone });

  it('averages per call where defined, rounds to 3 decimals, orders by start then plain user id, ignores calls outside', () => {
    const agg = new InteractionAggregator({
      buckets: list,
      period: 'day',
      timezone: zone,
      recordId: (user, b) => `${user}@${b.start.toISODate()}`,
      users: new Map([['a', { name: 'Ann', emails: [{ email: 'ann@x.test', is_primary: true }] }]]),
    });
    const mk = (id: string, started_at: string, speaker: string, utterances: NormalizedCall['utterances'], duration_s?: number): NormalizedCall => ({
      id,
      started_at,
      ...(duration_s === undefined ? {} : { duration_s }),
      participants: [
        { speaker_id: 's-a', side: 'internal', user_id: 'a' },
        { speaker_id: 's-B', side: 'internal', user_id: 'B' },
        { speaker_id: 's-10', side: 'internal', user_id: '10' },
        { speaker_id: 's-9', side: 'internal', user_id: '9' },
        { speaker_id: 'e', side: 'external' },
      ],
      utterances: utterances.map((u) => ({ ...u, speaker_id: u.speaker_id === 'me' ? speaker : u.speaker_id })),
    });
    const talk = [
      { speaker_id: 'e', start_s: 0, end_s: 10 },
      { speaker_id: 'me', start_s: 11, end_s: 20, text: 'Ok?' },
    ];
    // 2024-03-31 is the DST day in Berlin (23 h).
    expect(agg.add(mk('1', '2024-03-30T23:30:00Z', 's-a', talk, 60))).toBe(true); // 03-31 local
    expect(agg.add(mk('2', '2024-03-31T12:00:00+02:00', 's-a', [{ speaker_id: 'me', start_s: 0, end_s: 3, text: 'Hi' }], 0))).toBe(true);
    expect(agg.add(mk('3', '2024-03-31T10:00:00Z', 's-a', talk, 3600))).toBe(true);
    for (const s of ['s-B', 's-10', 's-9']) agg.add(mk(`x${s}`, '2024-03-31T10:00:00Z', s, talk));
    expect(agg.add(mk('4', '2024-04-01T22:00:00Z', 's-a', talk))).toBe(false); // 04-02 local: outside
    expect(agg.add(mk('5', '2024-03-29T22:59:59Z', 's-a', talk))).toBe(false);

    const records = agg.records();
    for (const r of records) Interaction.parse(r);
    expect(records.map((r) => r.id)).toEqual(['10@2024-03-31', '9@2024-03-31', 'B@2024-03-31', 'a@2024-03-31']);
    const a = records.at(-1)!;
    expect(a.start_time).toBe('2024-03-31T00:00:00+01:00');
    expect(a.end_time).toBe('2024-04-01T00:00:00+02:00');
    expect(a.user).toEqual({ id: 'a', name: 'Ann', emails: [{ email: 'ann@x.test', is_primary: true }] });
    expect(records[0]!.user).toEqual({ id: '10' });
    // Calls 1 and 3 define the rates (call 2 lasts 0 s): (1 / 60 s) and (1 / 3600 s) switches and questions.
    expect(a.metrics).toEqual({
      longest_monologue: 7, // (9 + 3 + 9) / 3
      longest_customer_story: 6.667, // (10 + 0 + 10) / 3
      interactivity: 0.508, // (1 + 1/60) / 2 = 0.508333…
      patience: 1,
      question_rate: 30.5, // (60 + 1) / 2
    });
    expect(a.additional_metrics).toEqual([
      { name: 'talk_ratio', value: 0.649 }, // (9/19 + 1 + 9/19) / 3 = 0.64912…
      { name: 'call_count', value: 3 },
    ]);
  });

  it('uses stable ids by default', () => {
    const c = call({ utterances: [{ speaker_id: 'a', start_s: 0, end_s: 5 }] });
    const opts = { start: parseBoundary('2024-03-01', 'UTC'), end: parseBoundary('2024-04-01', 'UTC'), period: 'month' as const, timezone: 'UTC' };
    const [r] = computeInteractions([c], opts);
    expect(r!.id).toBe(stableId('int', ['computed', 'u1', 'month', 'UTC', '2024-03-01T00:00:00Z', '2024-04-01T00:00:00Z']));
    expect(computeInteractions([c], opts)[0]!.id).toBe(r!.id);
    // Clipped to notAfter only when asked.
    const clipped = computeInteractions([c], { ...opts, notAfter: DateTime.fromISO('2024-03-10T00:00:00Z') });
    expect(clipped[0]!.end_time).toBe('2024-03-10T00:00:00Z');
  });
});

describe('computeRequest', () => {
  const calls = [call({ utterances: [{ speaker_id: 'a', start_s: 0, end_s: 5, text: 'So?' }] })];

  it('defaults to period total in UTC and copies user info', () => {
    const out = computeRequest({ start_time: '2024-03-01', end_time: '2024-03-05T00:00:00', calls, users: [{ id: 'u1', name: 'U One' }] });
    expect(out.result).toHaveLength(1);
    expect(out.result[0]).toMatchObject({
      user: { id: 'u1', name: 'U One' },
      start_time: '2024-03-01T00:00:00Z',
      end_time: '2024-03-05T00:00:00Z',
      timezone: 'UTC',
      aggregation_period: 'total',
      metrics: { longest_monologue: 5, question_rate: 720 },
    });
  });

  it.each([
    [{ end_time: '2024-03-02', calls: [] }, 'start_time', 'start_time: required (expected a string)'],
    [{ start_time: '2024-03-01', end_time: '2024-03-02', timezone: 'Mars/Olympus', calls: [] }, 'timezone', 'timezone: "Mars/Olympus" is not an IANA time zone (e.g. Europe/Berlin)'],
    [{ start_time: '2024-03-02', end_time: '2024-03-02', calls: [] }, 'end_time', 'end_time: must be after start_time (2024-03-02 .. 2024-03-02 is empty)'],
    [{ start_time: 'yesterday', end_time: '2024-03-02', calls: [] }, 'start_time', undefined],
    [{ start_time: '2024-03-01', end_time: '2024-03-02', aggregation_period: 'year', calls: [] }, 'aggregation_period', undefined],
    [{ start_time: '1900-01-01', end_time: '2100-01-01', aggregation_period: 'day', calls: [] }, 'aggregation_period', undefined],
    [{ start_time: '2024-03-01', end_time: '2024-03-02' }, 'calls', 'calls: required (expected an array of calls)'],
    [{ start_time: '2024-03-01', end_time: '2024-03-02', calls: [{ id: 'z' }] }, 'calls[0].started_at', undefined],
    [null, 'body', 'body: expected an object, got null'],
  ])('rejects %j naming %s', (body, field, message) => {
    const e = thrown(() => computeRequest(body));
    expect(e).toBeInstanceOf(MetricsInputError);
    expect((e as MetricsInputError).field).toBe(field);
    if (message !== undefined) expect(e.message).toBe(message);
  });
});
