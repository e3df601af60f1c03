import fc from 'fast-check';
import type { CallParticipant, CallUtterance, NormalizedCall } from '../../src/metrics/call.js';

/**
 * Random normalized calls. Times are on a quarter-second grid so that the thresholds (1 s
 * backchannel, 2 s pause) and exact ties are hit often, and arithmetic on them is exact.
 */

export const SPEAKERS = ['i0', 'i1', 'i2', 'x0', 'e0', 'e1', 'ghost'] as const;

/** i0/i1 are users u0/u1; i2 is u0 again (a second speaker id of one user); x0 is internal without user. */
export const PARTICIPANTS: CallParticipant[] = [
  { speaker_id: 'i0', side: 'internal', user_id: 'u0' },
  { speaker_id: 'i1', side: 'internal', user_id: 'u1' },
  { speaker_id: 'i2', side: 'internal', user_id: 'u0' },
  { speaker_id: 'x0', side: 'internal' },
  { speaker_id: 'e0', side: 'external' },
  { speaker_id: 'e1' },
];

const quarter = (max: number) => fc.integer({ min: 0, max: max * 4 }).map((n) => n / 4);

export const textArb = fc.stringMatching(/^[a-z 3?!.…]{0,12}$/);

export const utteranceArb: fc.Arbitrary<CallUtterance> = fc
  .record(
    {
      speaker_id: fc.constantFrom(...SPEAKERS),
      // A dense stretch at the start makes exact (start, end) ties between speakers common.
      start_s: fc.oneof(quarter(300), quarter(6)),
      length: fc.oneof(quarter(1.5), quarter(40)),
      text: textArb,
      questions: fc.integer({ min: 0, max: 3 }),
      withQuestions: fc.boolean(),
      broken: fc.integer({ min: 0, max: 19 }),
    },
    { requiredKeys: ['speaker_id', 'start_s', 'length', 'broken'] },
  )
  .map((r) => {
    const u: CallUtterance = { speaker_id: r.speaker_id, start_s: r.start_s, end_s: r.start_s + r.length };
    if (r.text !== undefined) u.text = r.text;
    if (r.withQuestions && r.questions !== undefined) u.questions = r.questions;
    // One in twenty is invalid in one of the ways METRICS.md drops.
    if (r.broken === 0) u.start_s = -0.5;
    if (r.broken === 1) u.end_s = u.start_s - 0.25;
    return u;
  });

export const callArb = (opts: { id?: string; startedAt?: fc.Arbitrary<string>; maxUtterances?: number } = {}): fc.Arbitrary<NormalizedCall> =>
  fc
    .record({
      utterances: fc.array(utteranceArb, { maxLength: opts.maxUtterances ?? 40 }),
      duration: fc.option(fc.oneof(fc.constant(0), quarter(400)), { nil: undefined }),
      startedAt: opts.startedAt ?? fc.constant('2024-03-04T15:00:00Z'),
    })
    .map(({ utterances, duration, startedAt }) => {
      const call: NormalizedCall = { id: opts.id ?? 'c', started_at: startedAt, participants: PARTICIPANTS, utterances };
      if (duration !== undefined) call.duration_s = duration;
      return call;
    });

/** Fisher–Yates driven by fast-check's random, so failures shrink and replay. */
export function shuffled<T>(list: readonly T[], keys: readonly number[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = keys[i % keys.length]! % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
